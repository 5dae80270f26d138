//! Exact decimal amounts with two fractional digits (万元, 万美元, 亩) — never f64.
//!
//! Stored as an integer count of hundredths so that sums in SQL stay exact on every backend.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount with exactly two decimals, e.g. 万元 (domain.md §10). `Money(123_45)` is 123.45.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

/// Why a text is not an amount; the caller adds the field name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("不是有效的数字")]
    NotANumber,
    #[error("最多保留两位小数")]
    TooPrecise,
    #[error("不能为负数")]
    Negative,
    #[error("数值过大")]
    TooLarge,
}

/// The largest accepted amount: 10^13 (in 万元 that is far beyond any project).
const MAX_HUNDREDTHS: i64 = 1_000_000_000_000_000;

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_hundredths(h: i64) -> Self {
        Money(h)
    }

    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// Whole units (e.g. `Money::from_units(50_000)` is 50,000.00).
    pub const fn from_units(units: i64) -> Self {
        Money(units * 100)
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// Parse a non-negative decimal such as `"12345.67"`, `"60000"`, `" 1200.5 "`.
    pub fn parse(text: &str) -> Result<Self, MoneyError> {
        let t = text.trim();
        if t.is_empty() || t.contains(['e', 'E']) {
            return Err(MoneyError::NotANumber);
        }
        let d = Decimal::from_str(t).map_err(|_| MoneyError::NotANumber)?;
        Self::from_decimal(d)
    }

    pub fn from_decimal(d: Decimal) -> Result<Self, MoneyError> {
        if d.is_sign_negative() && !d.is_zero() {
            return Err(MoneyError::Negative);
        }
        let scaled = d.normalize();
        if scaled.scale() > 2 {
            return Err(MoneyError::TooPrecise);
        }
        // checked: a 29-digit amount would overflow the multiplication (found by fuzzing)
        let h = d.checked_mul(Decimal::ONE_HUNDRED).ok_or(MoneyError::TooLarge)?.trunc();
        let h: i64 = h.try_into().map_err(|_| MoneyError::TooLarge)?;
        if h > MAX_HUNDREDTHS {
            return Err(MoneyError::TooLarge);
        }
        Ok(Money(h))
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }
}

impl fmt::Display for Money {
    /// Always two decimals: `60000.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// api.md: money inputs accept a string or an integer, never a JSON float.
impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a decimal string or an integer")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Money, E> {
                Money::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Money, E> {
                Money::from_decimal(Decimal::from(v)).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Money, E> {
                Money::from_decimal(Decimal::from(v)).map_err(E::custom)
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Money, E> {
                Err(E::custom("金额请用字符串表示（如 \"12345.67\"），以免精度丢失"))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_prints_exactly() {
        assert_eq!(Money::parse("12345.67").unwrap().hundredths(), 1_234_567);
        assert_eq!(Money::parse(" 60000 ").unwrap().to_string(), "60000.00");
        assert_eq!(Money::parse("1200.5").unwrap().to_string(), "1200.50");
        assert_eq!(Money::parse("0").unwrap(), Money::ZERO);
        assert!(Money::parse("49999.99").unwrap() < Money::from_units(50_000));
    }

    #[test]
    fn refuses_what_is_not_an_exact_amount() {
        assert_eq!(Money::parse("很多"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse(""), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("1e5"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("1.234"), Err(MoneyError::TooPrecise));
        assert_eq!(Money::parse("-5"), Err(MoneyError::Negative));
        assert_eq!(Money::parse("99999999999999999999"), Err(MoneyError::TooLarge));
        // the largest decimal there is: ×100 overflows, which must be an error, not a panic
        assert_eq!(Money::parse("79228162514264337593543950335"), Err(MoneyError::TooLarge));
        assert_eq!(Money::parse("9999999999999999999999999991"), Err(MoneyError::TooLarge));
        // trailing zeros beyond two places are still exact
        assert_eq!(Money::parse("1.2300").unwrap().hundredths(), 123);
    }

    #[test]
    fn json_takes_strings_and_integers_not_floats() {
        let m: Money = serde_json::from_str("\"1200.50\"").unwrap();
        assert_eq!(m.hundredths(), 120_050);
        let m: Money = serde_json::from_str("60000").unwrap();
        assert_eq!(m.to_string(), "60000.00");
        assert!(serde_json::from_str::<Money>("1.5").is_err());
        assert_eq!(serde_json::to_string(&Money::from_hundredths(5)).unwrap(), "\"0.05\"");
    }

    proptest! {
        #[test]
        fn display_parse_roundtrip(h in 0i64..MAX_HUNDREDTHS) {
            let m = Money::from_hundredths(h);
            prop_assert_eq!(Money::parse(&m.to_string()).unwrap(), m);
        }
    }
}
