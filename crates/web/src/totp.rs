//! TOTP second factor (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), as authenticator
//! apps expect. A code is accepted for the current step and one step either side, and a
//! step once used is not accepted again (the store keeps the last one).
//!
//! The codes and base32 come from the kept `totp-rs` crate (default features off: it then
//! builds on the hmac 0.13 / sha1 0.11 already in the tree, plus `base32` and
//! `constant_time_eq`); its check returns the step a code matched, which the replay guard
//! needs. The RFC 6238 and RFC 4648 vectors below still pass through it.

pub const STEP_SECONDS: i64 = 30;

/// RFC 4648 base32 without padding.
pub fn base32_encode(data: &[u8]) -> String {
    totp_rs::Secret::from(data).to_base32()
}

/// Decode a base32 secret as authenticator apps show it: any case, spaces, optional padding.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let clean: String =
        text.trim_end_matches('=').chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
    if !clean.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)) {
        return None;
    }
    totp_rs::Secret::try_from_base32(clean).ok().map(|s| s.as_ref().to_vec())
}

/// RFC 6238 with SHA-1, 30-second steps, one step of skew either side; `None` for a
/// secret shorter than RFC 4226's 128 bits.
fn totp(secret: &[u8], digits: u32) -> Option<totp_rs::Totp> {
    totp_rs::Builder::new()
        .with_digits(u8::try_from(digits).ok()?)
        .with_skew(1)
        .with_step_duration(STEP_SECONDS as u64)
        .with_secret(secret.to_vec())
        .build()
        .ok()
}

/// The code for one time step (`digits` long).
pub fn code(secret: &[u8], step: i64, digits: u32) -> Option<String> {
    let at = u64::try_from(step).ok()?.checked_mul(STEP_SECONDS as u64)?;
    Some(totp(secret, digits)?.generate(at).to_string())
}

/// The accepted step for `input` at unix time `now`, if the code is right within ±1 step.
pub fn check(secret_b32: &str, input: &str, now: i64) -> Option<i64> {
    let t = totp(&base32_decode(secret_b32)?, 6)?;
    let step = t.check(input.trim(), u64::try_from(now).ok()?)?;
    i64::try_from(step).ok()
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
