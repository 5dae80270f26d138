//! Password hashing, run off the async threads. argon2id by default; PBKDF2-HMAC-SM3 for
//! deployments that must use the national algorithms (商用密码, GB/T 39786). Verification
//! recognises both formats, so switching the setting keeps existing passwords valid.
//! A dummy hash is verified for unknown usernames so timing reveals nothing.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;

/// Which key-derivation function new password hashes use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kdf {
    #[default]
    Argon2id,
    Pbkdf2Sm3,
}

impl Kdf {
    pub fn parse(s: &str) -> Option<Kdf> {
        match s {
            "argon2id" => Some(Kdf::Argon2id),
            "pbkdf2-sm3" => Some(Kdf::Pbkdf2Sm3),
            _ => None,
        }
    }
}

const SM3_PREFIX: &str = "$pbkdf2-sm3$";
/// PBKDF2 iterations for HMAC-SM3 (in line with current guidance for PBKDF2-HMAC-SHA256).
const SM3_ITERATIONS: u32 = 310_000;

/// A new argon2id hash (the default).
pub fn hash(password: &str) -> Result<String, String> {
    hash_with(password, Kdf::Argon2id)
}

pub fn hash_with(password: &str, kdf: Kdf) -> Result<String, String> {
    let salt: [u8; 16] = rand::random();
    match kdf {
        Kdf::Argon2id => {
            let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| e.to_string())
        }
        Kdf::Pbkdf2Sm3 => {
            let key = pbkdf2_sm3(password.as_bytes(), &salt, SM3_ITERATIONS);
            Ok(format!("{SM3_PREFIX}i={SM3_ITERATIONS}${}${}", B64.encode(salt), B64.encode(key)))
        }
    }
}

fn pbkdf2_sm3(password: &[u8], salt: &[u8], rounds: u32) -> [u8; 32] {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sm3::Sm3>(password, salt, rounds, &mut out);
    out
}

pub fn verify(password: &str, stored: &str) -> bool {
    if let Some(rest) = stored.strip_prefix(SM3_PREFIX) {
        let mut parts = rest.split('$');
        let (Some(i), Some(salt), Some(key), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return false;
        };
        let (Some(rounds), Ok(salt), Ok(key)) =
            (i.strip_prefix("i=").and_then(|n| n.parse::<u32>().ok()), B64.decode(salt), B64.decode(key))
        else {
            return false;
        };
        if !(1..=10_000_000).contains(&rounds) {
            return false;
        }
        let got = pbkdf2_sm3(password.as_bytes(), &salt, rounds);
        return same_bytes(&got, &key);
    }
    match PasswordHash::new(stored) {
        Ok(h) => Argon2::default().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// Constant-time equality (the `subtle` crate, kept and already in the tree through the
/// RustCrypto crates, instead of a hand-written fold the optimiser may shortcut).
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

pub async fn hash_blocking(password: String, kdf: Kdf) -> Result<String, String> {
    tokio::task::spawn_blocking(move || hash_with(&password, kdf)).await.map_err(|e| e.to_string())?
}

pub async fn verify_blocking(password: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || verify(&password, &phc)).await.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hash_then_verify() {
        let h = hash("Demo#2026zs").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Demo#2026zs", &h));
        assert!(!verify("demo#2026zs", &h));
        assert!(!verify("x", "not a hash"));
    }

    /// GB/T 32905-2016 (SM3) known-answer tests: "abc" and the 64-byte "abcd"×16.
    #[test]
    fn sm3_known_answers() {
        use sm3::Digest;
        let abc = sm3::Sm3::digest(b"abc");
        assert_eq!(hex::encode(abc), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
        let long = sm3::Sm3::digest("abcd".repeat(16).as_bytes());
        assert_eq!(hex::encode(long), "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
    }

    #[test]
    fn pbkdf2_sm3_hash_then_verify() {
        let h = hash_with("Demo#2026zs", Kdf::Pbkdf2Sm3).unwrap();
        assert!(h.starts_with("$pbkdf2-sm3$i=310000$"), "{h}");
        assert!(verify("Demo#2026zs", &h));
        assert!(!verify("Demo#2026zS", &h));
        // a different salt gives a different hash for the same password
        assert_ne!(h, hash_with("Demo#2026zs", Kdf::Pbkdf2Sm3).unwrap());
        // malformed stored values never verify
        for bad in ["$pbkdf2-sm3$i=0$AA$AA", "$pbkdf2-sm3$i=x$AA$AA", "$pbkdf2-sm3$i=1$!!$AA", "$pbkdf2-sm3$"] {
            assert!(!verify("Demo#2026zs", bad), "{bad}");
        }
    }

    #[test]
    fn same_bytes_compares_whole_values() {
        assert!(same_bytes(b"abc", b"abc"));
        assert!(!same_bytes(b"abc", b"abd"));
        assert!(!same_bytes(b"abc", b"ab"), "a prefix is not equal");
        assert!(same_bytes(b"", b""));
    }

    #[test]
    fn pbkdf2_sm3_is_deterministic_for_fixed_inputs() {
        // Same inputs, same output; one round differs from two (the iteration count is used).
        assert_eq!(pbkdf2_sm3(b"password", b"salt", 2), pbkdf2_sm3(b"password", b"salt", 2));
        assert_ne!(pbkdf2_sm3(b"password", b"salt", 1), pbkdf2_sm3(b"password", b"salt", 2));
    }
}
