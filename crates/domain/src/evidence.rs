//! Evidence files (附件; domain.md §4 审核 and 四个一; security.md §14): what an upload is,
//! told by its bytes (never by its name), the allowed types, the size and zip limits, and the
//! name it is stored under (generated; never user input).
//!
//! The zip-based formats (OFD, Word, Excel, …) are told apart by their entry names, read from
//! the zip's central directory here, without inflating anything.

crate::vocabulary! {
    /// The file types an attachment may be.
    pub enum FileType;
}

impl FileType {
    /// The file name extensions (lowercase, without the dot) this type is saved with.
    pub const fn extensions(self) -> &'static [&'static str] {
        match self {
            FileType::Pdf => &["pdf"],
            FileType::Jpeg => &["jpg", "jpeg"],
            FileType::Png => &["png"],
            FileType::Ofd => &["ofd"],
            FileType::Docx => &["docx"],
            FileType::Xlsx => &["xlsx"],
            FileType::Pptx => &["pptx"],
            FileType::Odt => &["odt"],
            FileType::Ods => &["ods"],
            FileType::Odp => &["odp"],
        }
    }

    /// The media type a download is served with.
    pub const fn content_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Ofd => "application/ofd",
            FileType::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            FileType::Odt => "application/vnd.oasis.opendocument.text",
            FileType::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileType::Odp => "application/vnd.oasis.opendocument.presentation",
        }
    }

    /// Whether the file is a zip (its entry count and inflated size are then limited).
    pub const fn is_zip(self) -> bool {
        !matches!(self, FileType::Pdf | FileType::Jpeg | FileType::Png)
    }
}

crate::vocabulary! {
    /// What an attachment belongs to (api.md, attachments: the `entity` field). Each is a
    /// record of one project, so an attachment is scoped through that project.
    pub enum AttachedTo;
}

/// The allowed types, as users read them in a refusal.
pub const ALLOWED_TEXT: &str = "PDF、JPG、PNG、OFD、Word（.docx）、Excel（.xlsx）、PowerPoint（.pptx）、ODF 文档";

/// Limits on an attachment (security.md §14: 50 MiB by default; the zip's declarations are
/// checked before anything is inflated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadLimits {
    pub max_bytes: u64,
    pub max_zip_entries: u64,
    /// Sum of the uncompressed sizes the zip declares.
    pub max_inflated_bytes: u64,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits { max_bytes: 50 * MIB, max_zip_entries: 2_000, max_inflated_bytes: 400 * MIB }
    }
}

const MIB: u64 = 1024 * 1024;

/// Why an upload is refused; each message is for users, in Chinese, naming what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("文件为空，请重新选择文件")]
    Empty,
    #[error("文件过大（{}），附件上限为 {}", mib(*size), mib(*limit))]
    TooLarge { size: u64, limit: u64 },
    #[error("不支持该文件类型：按文件内容识别，它不是 {ALLOWED_TEXT} 中的一种（或文件已损坏、不完整）")]
    NotAllowed,
    #[error("文件解压后过大或条目过多，疑似压缩炸弹，已拒绝：{0}")]
    ZipBomb(String),
    #[error("文件扩展名“{ext}”与文件内容（{}）不符，请确认文件后重新上传", .detected.label())]
    ExtensionMismatch { ext: String, detected: FileType },
    #[error("文件名缺少扩展名，该文件内容为{}（.{}）", .0.label(), .0.code())]
    NoExtension(FileType),
}

impl UploadError {
    /// Too large is 413; every other refusal is 422 (api.md, attachments).
    pub fn is_too_large(&self) -> bool {
        matches!(self, UploadError::TooLarge { .. })
    }
}

/// Bytes as users read a size: "52.3 MiB" (one decimal, rounded down), "512 字节" below 1 KiB.
fn mib(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} 字节")
    } else {
        let tenths = bytes.saturating_mul(10) / MIB;
        format!("{}.{} MiB", tenths / 10, tenths % 10)
    }
}

/// What the central directory of a zip declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipFacts {
    pub entries: u64,
    /// Sum of the declared uncompressed sizes.
    pub inflated: u64,
}

/// What an upload turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub file_type: FileType,
    /// For the zip-based types.
    pub zip: Option<ZipFacts>,
}

// security.md §14: content type checked by magic bytes
/// The type of a file by its bytes alone; `None` for anything not allowed (an executable, a
/// web page, a zip that is not an office document) or visibly cut short (no end marker).
pub fn detect_file_type(bytes: &[u8]) -> Option<FileType> {
    detect(bytes).map(|d| d.file_type)
}

/// `detect_file_type` with what the zip declares.
pub fn detect(bytes: &[u8]) -> Option<Detected> {
    let plain = |file_type| Some(Detected { file_type, zip: None });
    if bytes.starts_with(b"%PDF-") {
        // a complete PDF ends with %%EOF (maybe followed by a line break or two)
        let tail = &bytes[bytes.len().saturating_sub(1024)..];
        return if contains(tail, b"%%EOF") { plain(FileType::Pdf) } else { None };
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        // SOI … EOI
        return if contains(&bytes[2..], &[0xFF, 0xD9]) { plain(FileType::Jpeg) } else { None };
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        // the IHDR chunk first, the IEND chunk (with its fixed CRC) at the end
        let ihdr = bytes.get(8..16) == Some(b"\x00\x00\x00\x0dIHDR");
        return if ihdr && contains(&bytes[16..], b"IEND\xAE\x42\x60\x82") { plain(FileType::Png) } else { None };
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return zip_type(bytes);
    }
    None
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn u16_at(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u64::from(u16::from_le_bytes([s[0], s[1]])))
}

fn u32_at(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u64::from(u32::from_le_bytes([s[0], s[1], s[2], s[3]])))
}

fn usize_at(b: &[u8], at: usize, wide: bool) -> Option<usize> {
    usize::try_from(if wide { u32_at(b, at)? } else { u16_at(b, at)? }).ok()
}

/// The end of central directory record: (entry count, directory size, directory offset).
/// It must end the file exactly (its comment reaching the last byte): a cut-short zip has none.
fn end_of_directory(b: &[u8]) -> Option<(u64, usize, usize)> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let last = b.len().checked_sub(22)?;
    let first = last.saturating_sub(u16::MAX as usize);
    let at = (first..=last)
        .rev()
        .find(|&i| b[i..].starts_with(EOCD) && usize_at(b, i + 20, false) == Some(b.len() - i - 22))?;
    let (disk, cd_disk) = (u16_at(b, at + 4)?, u16_at(b, at + 6)?);
    let (here, total) = (u16_at(b, at + 8)?, u16_at(b, at + 10)?);
    let (size, offset) = (u32_at(b, at + 12)?, u32_at(b, at + 16)?);
    // one disk, no zip64 (an attachment of at most a few dozen MiB never needs it)
    if disk != 0 || cd_disk != 0 || here != total || total == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
        return None;
    }
    let (size, offset) = (usize::try_from(size).ok()?, usize::try_from(offset).ok()?);
    (offset.checked_add(size)? <= at).then_some((total, size, offset))
}

/// One central directory entry: its name, local header offset, method, sizes.
struct Entry<'a> {
    name: &'a [u8],
    local: usize,
    method: u64,
    compressed: usize,
    size: u64,
}

/// The central directory's entries, or `None` when any is malformed or points outside.
fn entries<'a>(b: &[u8], count: u64, cd: &'a [u8], cd_offset: usize) -> Option<Vec<Entry<'a>>> {
    let mut out = Vec::new();
    let mut at = 0usize;
    for _ in 0..count {
        if !cd.get(at..)?.starts_with(b"PK\x01\x02") {
            return None;
        }
        let name_len = usize_at(cd, at + 28, false)?;
        let skip = name_len.checked_add(usize_at(cd, at + 30, false)?)?.checked_add(usize_at(cd, at + 32, false)?)?;
        let name = cd.get(at + 46..at + 46 + name_len)?;
        let local = usize_at(cd, at + 42, true)?;
        // each entry's local header lies before the directory and is one
        if local >= cd_offset || !b.get(local..)?.starts_with(b"PK\x03\x04") {
            return None;
        }
        let compressed = usize_at(cd, at + 20, true)?;
        out.push(Entry { name, local, method: u16_at(cd, at + 10)?, compressed, size: u32_at(cd, at + 24)? });
        at = at.checked_add(46)?.checked_add(skip)?;
    }
    Some(out)
}

/// A zip-based office file by its entry names: OFD (GB/T 33190: `OFD.xml` at the root),
/// OOXML (`[Content_Types].xml` with the `word/`, `xl/` or `ppt/` part), ODF (a stored
/// `mimetype` first entry naming the kind).
fn zip_type(b: &[u8]) -> Option<Detected> {
    let (count, size, offset) = end_of_directory(b)?;
    let entries = entries(b, count, b.get(offset..offset + size)?, offset)?;
    let facts = ZipFacts { entries: count, inflated: entries.iter().map(|e| e.size).fold(0u64, u64::saturating_add) };
    let has = |name: &[u8]| entries.iter().any(|e| e.name == name);
    let has_dir = |dir: &[u8]| entries.iter().any(|e| e.name.len() > dir.len() && e.name.starts_with(dir));
    let file_type = if has(b"OFD.xml") {
        FileType::Ofd
    } else if has(b"[Content_Types].xml") && has_dir(b"word/") {
        FileType::Docx
    } else if has(b"[Content_Types].xml") && has_dir(b"xl/") {
        FileType::Xlsx
    } else if has(b"[Content_Types].xml") && has_dir(b"ppt/") {
        FileType::Pptx
    } else {
        odf_type(b, entries.first()?)?
    };
    Some(Detected { file_type, zip: Some(facts) })
}

/// ODF: the first entry is `mimetype`, stored (not compressed), holding the media type.
fn odf_type(b: &[u8], first: &Entry<'_>) -> Option<FileType> {
    if first.name != b"mimetype" || first.method != 0 {
        return None;
    }
    let data = first
        .local
        .checked_add(30)?
        .checked_add(usize_at(b, first.local + 26, false)?)?
        .checked_add(usize_at(b, first.local + 28, false)?)?;
    let mime = b.get(data..data.checked_add(first.compressed)?)?;
    [FileType::Odt, FileType::Ods, FileType::Odp].into_iter().find(|t| mime == t.content_type().as_bytes())
}

/// The extension of a declared file name (after its last dot, lowercase); `None` without one.
fn extension(declared: &str) -> Option<String> {
    let name = declared.rsplit(['/', '\\']).next().unwrap_or(declared);
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.trim().to_lowercase())
}

// security.md §14: size limit, zip limits before inflating, type by magic bytes
/// The upload check: not empty, within the size limit, an allowed type by its bytes, a zip
/// within its declared limits, and a declared name whose extension agrees with the bytes.
pub fn check_upload(bytes: &[u8], declared_name: &str, limits: &UploadLimits) -> Result<Detected, UploadError> {
    let size = bytes.len() as u64;
    if size == 0 {
        return Err(UploadError::Empty);
    }
    if size > limits.max_bytes {
        return Err(UploadError::TooLarge { size, limit: limits.max_bytes });
    }
    let found = detect(bytes).ok_or(UploadError::NotAllowed)?;
    if let Some(zip) = found.zip {
        if zip.entries > limits.max_zip_entries {
            return Err(UploadError::ZipBomb(format!("{} 个条目，上限 {}", zip.entries, limits.max_zip_entries)));
        }
        if zip.inflated > limits.max_inflated_bytes {
            let (got, max) = (mib(zip.inflated), mib(limits.max_inflated_bytes));
            return Err(UploadError::ZipBomb(format!("解压后共 {got}，上限 {max}")));
        }
    }
    let ty = found.file_type;
    match extension(declared_name) {
        None => Err(UploadError::NoExtension(ty)),
        Some(ext) if ty.extensions().contains(&ext.as_str()) => Ok(found),
        Some(ext) => Err(UploadError::ExtensionMismatch { ext: format!(".{}", truncate(&ext, 16)), detected: ty }),
    }
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// The longest name a download keeps (characters, extension included).
pub const DISPLAY_NAME_MAX: usize = 100;

/// The name a file is offered for download under: the declared name's last path part,
/// without control characters or the characters file systems refuse, at most
/// `DISPLAY_NAME_MAX` characters, ending in the detected type's extension; `附件.ext` when
/// nothing of it is left. Only for the `Content-Disposition` header, never a path.
pub fn display_name(declared: &str, ty: FileType) -> String {
    let last = declared.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last.chars().filter(|c| !c.is_control() && !"\"<>:|?*".contains(*c)).collect();
    let clean = clean.trim().trim_matches('.');
    let ext = ty.extensions()[0];
    let stem = match extension(clean) {
        Some(e) if ty.extensions().contains(&e.as_str()) => clean.rsplit_once('.').map_or(clean, |(s, _)| s),
        _ => clean,
    };
    let stem = truncate(stem.trim(), DISPLAY_NAME_MAX - ext.len() - 1);
    let stem = if stem.is_empty() { "附件".to_string() } else { stem };
    format!("{stem}.{ext}")
}

/// The name a file is stored under: 32 lowercase hex digits of 128 random bits the caller
/// supplies (never user input, no extension, no path separator).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StoredName(String);

impl StoredName {
    /// The stored name of these random bytes (from the operating system's generator).
    pub fn generate(random: [u8; 16]) -> StoredName {
        StoredName(random.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// A stored name read back (from the database): exactly 32 lowercase hex digits, so that
    /// it can never name a path outside the attachment folder.
    pub fn parse(text: &str) -> Option<StoredName> {
        (text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| StoredName(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for StoredName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use proptest::prelude::*;

    use super::*;

    /// A minimal complete PDF: header, a catalog, the trailer and %%EOF.
    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    /// A real 1×1 PNG (IHDR, IDAT, IEND with their CRCs).
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53\xde\x00\x00\x00\x0cIDAT\x78\x9c\x63\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xae\x42\x60\x82";
    /// A JPEG's start (SOI, the JFIF APP0 segment) and its end marker (EOI).
    const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9";
    /// Real workbooks: openpyxl's, and LibreOffice's (entries with data descriptors).
    const XLSX: &[u8] = include_bytes!("../../ledger/tests/fixtures/01_template.xlsx");
    const XLSX_LIBREOFFICE: &[u8] = include_bytes!("../../ledger/tests/fixtures/05_wps.xlsx");
    /// An encrypted .xlsx is an OLE container, not a zip.
    const XLSX_ENCRYPTED: &[u8] = include_bytes!("../../ledger/tests/fixtures/11_encrypted.xlsx");
    const ZIP_BOMB: &[u8] = include_bytes!("../../ledger/tests/fixtures/10_zipbomb.xlsx");
    const MANY_ENTRIES: &[u8] = include_bytes!("../../ledger/tests/fixtures/12_many_entries.xlsx");

    /// A zip of these entries (deflated, except a stored `mimetype` as ODF wants it).
    fn zip(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        for (name, body) in entries {
            let method =
                if *name == "mimetype" { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
            z.start_file(*name, zip::write::SimpleFileOptions::default().compression_method(method)).unwrap();
            z.write_all(body.as_bytes()).unwrap();
        }
        z.finish().unwrap();
        buf.into_inner()
    }

    const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#;

    fn docx() -> Vec<u8> {
        zip(&[
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", "<Relationships/>"),
            (
                "word/document.xml",
                "<w:document><w:body><w:p><w:r><w:t>投资合同</w:t></w:r></w:p></w:body></w:document>",
            ),
        ])
    }

    fn ofd() -> Vec<u8> {
        zip(&[
            (
                "OFD.xml",
                r#"<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#,
            ),
            ("Doc_0/Document.xml", "<ofd:Document/>"),
        ])
    }

    fn odt() -> Vec<u8> {
        zip(&[("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office:document-content/>")])
    }

    #[test]
    fn each_allowed_type_is_told_by_its_bytes() {
        let pptx = zip(&[("[Content_Types].xml", CONTENT_TYPES), ("ppt/presentation.xml", "<p:presentation/>")]);
        let ods = zip(&[("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<x/>")]);
        let cases: [(&[u8], FileType); 9] = [
            (PDF, FileType::Pdf),
            (PNG, FileType::Png),
            (JPEG, FileType::Jpeg),
            (XLSX, FileType::Xlsx),
            (XLSX_LIBREOFFICE, FileType::Xlsx),
            (&docx(), FileType::Docx),
            (&ofd(), FileType::Ofd),
            (&odt(), FileType::Odt),
            (&ods, FileType::Ods),
        ];
        for (bytes, want) in cases {
            assert_eq!(detect_file_type(bytes), Some(want), "{want:?}");
        }
        assert_eq!(detect_file_type(&pptx), Some(FileType::Pptx));
        let facts = detect(XLSX).unwrap().zip.unwrap();
        assert_eq!(facts.entries, 9);
        assert_eq!(facts.inflated, 28583);
        assert_eq!(detect(PDF).unwrap().zip, None);
    }

    #[test]
    fn other_files_are_refused() {
        let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode.";
        let html = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".as_bytes();
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#;
        let plain_zip = zip(&[("readme.txt", "not an office file"), ("setup.exe", "MZ")]);
        // OOXML part names without [Content_Types].xml, and an ODF mimetype for something else
        let fake_docx = zip(&[("word/document.xml", "<w:document/>")]);
        let odf_other = zip(&[("mimetype", "application/x-unknown"), ("content.xml", "<x/>")]);
        // the mimetype compressed: ODF requires it stored
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        z.start_file("mimetype", zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.text").unwrap();
        z.finish().unwrap();
        let odf_deflated = buf.into_inner();
        for (what, bytes) in [
            ("exe", &exe[..]),
            ("html", html),
            ("svg", svg),
            ("zip", &plain_zip),
            ("fake docx", &fake_docx),
            ("odf other", &odf_other),
            ("odf deflated", &odf_deflated),
            ("encrypted xlsx", XLSX_ENCRYPTED),
            ("empty", b""),
            ("gif", b"GIF89a\x01\x00\x01\x00"),
        ] {
            assert_eq!(detect_file_type(bytes), None, "{what}");
        }
    }

    #[test]
    fn a_truncated_file_is_refused() {
        assert_eq!(detect_file_type(&PDF[..PDF.len() - 8]), None, "pdf without %%EOF");
        assert_eq!(detect_file_type(&PNG[..PNG.len() - 12]), None, "png without IEND");
        assert_eq!(detect_file_type(&JPEG[..JPEG.len() - 2]), None, "jpeg without EOI");
        assert_eq!(detect_file_type(&PNG[..8]), None, "png signature alone");
        // every cut of a zip-based file loses its end of central directory
        for bytes in [docx(), ofd(), XLSX.to_vec()] {
            for len in 0..bytes.len() {
                assert_eq!(detect_file_type(&bytes[..len]), None, "cut at {len} of {}", bytes.len());
            }
        }
        // and trailing bytes after it are not a zip either
        let mut longer = docx();
        longer.extend_from_slice(b"junk");
        assert_eq!(detect_file_type(&longer), None);
    }

    #[test]
    fn a_renamed_executable_is_refused_with_a_clear_message() {
        let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00PE\x00\x00";
        let e = check_upload(exe, "施工许可证.pdf", &UploadLimits::default()).unwrap_err();
        assert_eq!(e, UploadError::NotAllowed);
        assert!(!e.is_too_large());
        assert!(e.to_string().starts_with("不支持该文件类型：按文件内容识别"), "{e}");
        assert!(e.to_string().contains("PDF、JPG、PNG、OFD"), "{e}");
    }

    #[test]
    fn an_oversize_file_is_refused_with_the_limit() {
        assert_eq!(UploadLimits::default().max_bytes, 50 * 1024 * 1024);
        let limits = UploadLimits { max_bytes: 100, ..UploadLimits::default() };
        let e = check_upload(PDF, "合同.pdf", &limits).unwrap_err();
        assert_eq!(e, UploadError::TooLarge { size: PDF.len() as u64, limit: 100 });
        assert!(e.is_too_large());
        assert_eq!(e.to_string(), format!("文件过大（{} 字节），附件上限为 100 字节", PDF.len()));
        let big = UploadError::TooLarge { size: 52 * MIB + 3 * MIB / 10 + 1, limit: 50 * MIB };
        assert_eq!(big.to_string(), "文件过大（52.3 MiB），附件上限为 50.0 MiB");
        assert_eq!(check_upload(b"", "a.pdf", &limits), Err(UploadError::Empty));
    }

    #[test]
    fn zip_limits_are_checked_from_the_declarations() {
        let e = check_upload(MANY_ENTRIES, "台账.xlsx", &UploadLimits::default()).unwrap_err();
        assert_eq!(e, UploadError::ZipBomb("10006 个条目，上限 2000".into()));
        // 200 MiB declared in a 200 KB file
        assert!(check_upload(ZIP_BOMB, "台账.xlsx", &UploadLimits::default()).is_ok());
        let tight = UploadLimits { max_inflated_bytes: 100 * MIB, ..UploadLimits::default() };
        let e = check_upload(ZIP_BOMB, "台账.xlsx", &tight).unwrap_err();
        assert!(matches!(&e, UploadError::ZipBomb(m) if m.contains("上限 100.0 MiB")), "{e}");
    }

    #[test]
    fn the_extension_must_agree_with_the_content() {
        let ok = UploadLimits::default();
        assert_eq!(check_upload(XLSX, "台账.xlsx", &ok).map(|d| d.file_type), Ok(FileType::Xlsx));
        assert_eq!(check_upload(JPEG, "现场照片.JPEG", &ok).map(|d| d.file_type), Ok(FileType::Jpeg));
        assert_eq!(check_upload(JPEG, "C:\\scan\\现场.jpg", &ok).map(|d| d.file_type), Ok(FileType::Jpeg));
        let e = check_upload(XLSX, "合同.pdf", &ok).unwrap_err();
        assert_eq!(e, UploadError::ExtensionMismatch { ext: ".pdf".into(), detected: FileType::Xlsx });
        assert_eq!(e.to_string(), "文件扩展名“.pdf”与文件内容（Excel 表格）不符，请确认文件后重新上传");
        assert_eq!(check_upload(&docx(), "合同", &ok), Err(UploadError::NoExtension(FileType::Docx)));
        assert_eq!(check_upload(PDF, ".pdf", &ok), Err(UploadError::NoExtension(FileType::Pdf)));
        assert_eq!(
            check_upload(PDF, "合同.pdf.exe", &ok).unwrap_err().to_string(),
            "文件扩展名“.exe”与文件内容（PDF 文档）不符，请确认文件后重新上传"
        );
        assert_eq!(
            check_upload(&ofd(), "dir.ofd/合同", &ok),
            Err(UploadError::NoExtension(FileType::Ofd)),
            "only the last path part counts"
        );
    }

    #[test]
    fn stored_names_are_random_hex_only() {
        let n = StoredName::generate([0xab; 16]);
        assert_eq!(n.as_str(), "ab".repeat(16));
        assert_eq!(StoredName::parse(n.as_str()), Some(n.clone()));
        assert_eq!(n.to_string(), n.as_str());
        for bad in [
            "../../etc/passwd",
            "AB".repeat(16).as_str(),
            &"a".repeat(31),
            &"a".repeat(33),
            "",
            "0123456789abcdef0123456789abcde/",
        ] {
            assert_eq!(StoredName::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn display_names_keep_the_users_name_safely() {
        assert_eq!(display_name("C:\\Users\\张三\\Desktop\\投资合同.pdf", FileType::Pdf), "投资合同.pdf");
        assert_eq!(display_name("../../a\"b<c>.pdf", FileType::Pdf), "abc.pdf");
        assert_eq!(display_name("line\r\nbreak.pdf", FileType::Pdf), "linebreak.pdf");
        assert_eq!(display_name("", FileType::Png), "附件.png");
        assert_eq!(display_name("...", FileType::Png), "附件.png");
        assert_eq!(display_name("扫描件", FileType::Jpeg), "扫描件.jpg");
        assert_eq!(display_name("photo.JPEG", FileType::Jpeg), "photo.jpg");
        let long = display_name(&format!("{}.docx", "长".repeat(300)), FileType::Docx);
        assert_eq!(long.chars().count(), DISPLAY_NAME_MAX);
        assert!(long.ends_with(".docx"));
    }

    proptest! {
        // security.md §14: any bytes, however they begin, are classified or refused: never a
        // panic, and a type only with its magic bytes.
        #[test]
        fn any_bytes_are_classified_or_refused(prefix in 0..5usize, tail in proptest::collection::vec(any::<u8>(), 0..300)) {
            let magic: [&[u8]; 5] = [b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b""];
            let bytes: Vec<u8> = magic[prefix].iter().chain(tail.iter()).copied().collect();
            if let Some(t) = detect_file_type(&bytes) {
                let starts = match t {
                    FileType::Pdf => bytes.starts_with(b"%PDF-"),
                    FileType::Jpeg => bytes.starts_with(b"\xff\xd8\xff"),
                    FileType::Png => bytes.starts_with(b"\x89PNG"),
                    _ => bytes.starts_with(b"PK\x03\x04"),
                };
                prop_assert!(starts, "{:?}", t);
            }
        }

        // Corrupting any bytes of a real office file never panics the zip reader.
        #[test]
        fn corrupted_zips_never_panic(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
            let mut bytes = XLSX.to_vec();
            for (i, b) in edits {
                let at = i.index(bytes.len());
                bytes[at] = b;
            }
            let _ = detect(&bytes);
        }

        // The stored name is 32 hex digits, whatever the random bytes; it parses back.
        #[test]
        fn stored_names_round_trip(random in any::<[u8; 16]>()) {
            let n = StoredName::generate(random);
            prop_assert_eq!(n.as_str().len(), 32);
            prop_assert_eq!(StoredName::parse(n.as_str()), Some(n));
        }

        // A display name is never a path and never longer than the limit.
        #[test]
        fn display_names_are_bounded(name in "\\PC{0,300}") {
            let n = display_name(&name, FileType::Pdf);
            prop_assert!(n.chars().count() <= DISPLAY_NAME_MAX);
            prop_assert!(!n.contains(['/', '\\']) && !n.chars().any(char::is_control));
            prop_assert!(n.ends_with(".pdf"));
        }
    }
}
