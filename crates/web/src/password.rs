//! Password hashing: argon2id with a per-password salt (PHC strings), run off the async
//! threads. A dummy hash is verified for unknown usernames so timing reveals nothing.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

pub fn hash(password: &str) -> Result<String, String> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).map_err(|e| e.to_string())?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) => Argon2::default().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

pub async fn hash_blocking(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || hash(&password)).await.map_err(|e| e.to_string())?
}

pub async fn verify_blocking(password: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || verify(&password, &phc)).await.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #[test]
    fn hash_then_verify() {
        let h = super::hash("Demo#2026zs").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("Demo#2026zs", &h));
        assert!(!super::verify("demo#2026zs", &h));
        assert!(!super::verify("x", "not a hash"));
    }
}
