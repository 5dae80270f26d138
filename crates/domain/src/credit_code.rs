//! 统一社会信用代码 (GB 32100-2015): 18 characters with a mod-31 check character.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The character set of GB 32100-2015 (no I, O, S, V, Z); index = value.
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Position weights 3^(i) mod 31 for the first 17 characters.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// A validated credit code. Construct with [`CreditCode::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码应为18位")]
    Length,
    #[error("统一社会信用代码含有无效字符「{0}」")]
    Char(char),
    #[error("统一社会信用代码校验位错误")]
    CheckDigit,
}

fn value_of(c: u8) -> Option<u32> {
    CHARSET.iter().position(|&x| x == c).map(|p| p as u32)
}

/// The check character for the first 17 characters (all must be in the charset).
pub fn check_char(first17: &[u8]) -> Option<char> {
    let mut sum = 0u32;
    for (i, &c) in first17.iter().enumerate().take(17) {
        sum += value_of(c)? * WEIGHTS[i];
    }
    let check = (31 - sum % 31) % 31;
    Some(CHARSET[check as usize] as char)
}

impl CreditCode {
    /// Accepts lowercase and surrounding spaces; stores the canonical uppercase form.
    pub fn parse(text: &str) -> Result<Self, CreditCodeError> {
        let t = text.trim().to_ascii_uppercase();
        if t.chars().count() != 18 {
            return Err(CreditCodeError::Length);
        }
        let bytes = t.as_bytes();
        for ch in t.chars() {
            if !ch.is_ascii() || value_of(ch as u8).is_none() {
                return Err(CreditCodeError::Char(ch));
            }
        }
        match check_char(&bytes[..17]) {
            Some(c) if c as u8 == bytes[17] => Ok(CreditCode(t)),
            _ => Err(CreditCodeError::CheckDigit),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CreditCode::parse(&s)
    }
}

impl From<CreditCode> for String {
    fn from(c: CreditCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_valid_codes() {
        // Published codes of real companies (check character computed by the standard).
        for code in ["91350100M000100Y43", "91110000100010433L", "91440300708461136T"] {
            assert!(CreditCode::parse(code).is_ok(), "{code}");
        }
        assert_eq!(CreditCode::parse(" 91350100m000100y43 ").unwrap().as_str(), "91350100M000100Y43");
    }

    #[test]
    fn refuses_bad_codes() {
        assert_eq!(CreditCode::parse("91350100M000100Y4"), Err(CreditCodeError::Length));
        assert_eq!(CreditCode::parse("91350100M000100Y44"), Err(CreditCodeError::CheckDigit));
        assert_eq!(CreditCode::parse("91350100M0001I0Y43"), Err(CreditCodeError::Char('I')));
        assert_eq!(CreditCode::parse("91350100M000100Y4中"), Err(CreditCodeError::Char('中')));
    }

    proptest! {
        /// Any 17 charset characters plus their check character form a valid code,
        /// and changing any one character breaks it.
        #[test]
        fn check_char_detects_single_substitutions(body in proptest::collection::vec(0usize..31, 17), pos in 0usize..18, delta in 1usize..31) {
            let mut code: Vec<u8> = body.iter().map(|&i| CHARSET[i]).collect();
            code.push(check_char(&code).unwrap() as u8);
            let s = String::from_utf8(code.clone()).unwrap();
            prop_assert!(CreditCode::parse(&s).is_ok());
            let old = value_of(code[pos]).unwrap() as usize;
            code[pos] = CHARSET[(old + delta) % 31];
            let bad = String::from_utf8(code).unwrap();
            prop_assert!(CreditCode::parse(&bad).is_err());
        }
    }
}
