//! The attachments folder: bytes under generated names, written so that a crash leaves no
//! half file (a temporary file in the same folder, fsync, rename, fsync of the folder).

use std::io::Write;
use std::path::{Path, PathBuf};

use domain::evidence::StoredName;

/// Where the bytes live (`<data dir>/attachments` by default); never a served folder.
#[derive(Debug, Clone)]
pub struct Folder {
    dir: PathBuf,
}

fn io_error(what: &str, e: std::io::Error) -> crate::StoreError {
    crate::StoreError::Db(sea_orm::DbErr::Custom(format!("附件存储（{what}）: {e}")))
}

impl Folder {
    pub fn new(dir: impl Into<PathBuf>) -> Folder {
        Folder { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, name: &StoredName) -> PathBuf {
        self.dir.join(name.as_str())
    }

    /// Store `bytes` under a new generated name; on any failure nothing is left behind.
    pub(crate) async fn save(&self, bytes: Vec<u8>) -> crate::Result<StoredName> {
        let dir = self.dir.clone();
        let joined = tokio::task::spawn_blocking(move || save_blocking(&dir, &bytes)).await;
        joined.map_err(|e| io_error("写入", std::io::Error::other(e)))?.map_err(|e| io_error("写入", e))
    }

    /// The bytes of a stored file.
    pub(crate) async fn read(&self, name: &StoredName) -> crate::Result<Vec<u8>> {
        tokio::fs::read(self.path(name)).await.map_err(|e| io_error("读取", e))
    }

    /// Remove a file whose row was never committed (best effort: a leftover file is only
    /// unreferenced bytes, never a visible attachment).
    pub(crate) async fn remove(&self, name: &StoredName) {
        if let Err(e) = tokio::fs::remove_file(self.path(name)).await {
            tracing::warn!(file = %name, error = %e, "could not remove an uncommitted attachment file");
        }
    }
}

fn save_blocking(dir: &Path, bytes: &[u8]) -> std::io::Result<StoredName> {
    std::fs::create_dir_all(dir)?;
    let name = StoredName::generate(rand::random());
    let target = dir.join(name.as_str());
    let temp = dir.join(format!(".{name}.part"));
    let written = write_synced(&temp, bytes).and_then(|()| {
        if target.exists() {
            return Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "generated name taken"));
        }
        std::fs::rename(&temp, &target)
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    // the rename itself survives a crash once the folder is synced (not possible on Windows)
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(name)
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_file_is_whole_under_its_generated_name_and_no_temporary_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("attachments");
        let name = save_blocking(&folder, b"%PDF-1.4 ... %%EOF").unwrap();
        assert_eq!(std::fs::read(folder.join(name.as_str())).unwrap(), b"%PDF-1.4 ... %%EOF");
        let names: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [name.as_str()], "only the file itself");
        let other = save_blocking(&folder, b"x").unwrap();
        assert_ne!(other, name, "each file its own name");
    }

    #[test]
    fn a_failed_write_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        // the folder's place is taken by a file: nothing can be written below it
        let blocked = dir.path().join("attachments");
        std::fs::write(&blocked, b"not a folder").unwrap();
        assert!(save_blocking(&blocked, b"bytes").is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
