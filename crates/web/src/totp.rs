//! TOTP second factor (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), as authenticator
//! apps expect. A code is accepted for the current step and one step either side, and a
//! step once used is not accepted again (the store keeps the last one).
//!
//! The code itself is RFC 4226's truncation over the kept `hmac`/`sha1` crates (a few
//! lines, checked against RFC 6238's vectors below). `totp-lite` and `totp-rs` were
//! weighed: both pin older RustCrypto releases (hmac 0.12, sha1 0.10) than the tree's, so
//! either would add a second copy of each; base32 is the `data-encoding` crate.

use hmac::{Hmac, KeyInit, Mac};

pub const STEP_SECONDS: i64 = 30;

/// RFC 4648 base32 without padding (the `data-encoding` crate: kept, no dependencies).
pub fn base32_encode(data: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(data)
}

/// Decode a base32 secret as authenticator apps show it: any case, spaces, optional padding.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let clean: String =
        text.trim_end_matches('=').chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
    data_encoding::BASE32_NOPAD.decode(clean.as_bytes()).ok()
}

/// The code for one time step (`digits` long).
pub fn code(secret: &[u8], step: i64, digits: u32) -> Option<String> {
    let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(secret).ok()?;
    mac.update(&step.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = (h[h.len() - 1] & 0x0f) as usize;
    let bin = u32::from_be_bytes([h[offset] & 0x7f, h[offset + 1], h[offset + 2], h[offset + 3]]);
    Some(format!("{:0width$}", bin % 10u32.pow(digits), width = digits as usize))
}

/// The accepted step for `input` at unix time `now`, if the code is right within ±1 step.
pub fn check(secret_b32: &str, input: &str, now: i64) -> Option<i64> {
    let secret = base32_decode(secret_b32)?;
    let input = input.trim();
    if input.len() != 6 || !input.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let step = now.div_euclid(STEP_SECONDS);
    [step, step - 1, step + 1].into_iter().find(|s| code(&secret, *s, 6).as_deref() == Some(input))
}

pub fn new_secret() -> String {
    base32_encode(&rand::random::<[u8; 20]>())
}

pub fn otpauth_uri(secret: &str, username: &str) -> String {
    format!("otpauth://totp/zhaoshang:{username}?secret={secret}&issuer=zhaoshang&algorithm=SHA1&digits=6&period=30")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1, 8 digits.
    #[test]
    fn rfc6238_vectors() {
        let secret = b"12345678901234567890";
        for (t, expected) in
            [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"), (2000000000, "69279037")]
        {
            assert_eq!(code(secret, t / 30, 8).unwrap(), expected, "t={t}");
        }
    }

    #[test]
    fn base32_roundtrip_and_rfc4648() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("MZXW6YTBOI======").unwrap(), b"foobar");
        let s = new_secret();
        assert_eq!(base32_decode(&s).unwrap().len(), 20);
        assert!(base32_decode("not*base32").is_none());
        assert_eq!(base32_decode("mzxw 6ytb oi").unwrap(), b"foobar", "any case, spaces");
        // RFC 4648 §10 vectors
        for (plain, enc) in [("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB")]
        {
            assert_eq!(base32_encode(plain.as_bytes()), enc);
            assert_eq!(base32_decode(enc).unwrap(), plain.as_bytes());
        }
    }

    #[test]
    fn check_accepts_adjacent_steps_only() {
        let s = new_secret();
        let raw = base32_decode(&s).unwrap();
        let now = 1_800_000_000;
        let c = code(&raw, now / 30, 6).unwrap();
        assert_eq!(check(&s, &c, now), Some(now / 30));
        assert_eq!(check(&s, &c, now + 30), Some(now / 30), "one step late is fine");
        assert_eq!(check(&s, &c, now + 90), None, "three steps late is not");
        assert_eq!(check(&s, "12345", now), None);
    }
}
