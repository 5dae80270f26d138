//! Vocabularies: closed sets of codes, each with ONE code ↔ Chinese label table. The codes
//! are what the database stores and the API speaks; the labels are what users read.
//!
//! The values are data: `data/vocabularies.csv` holds every vocabulary's rows (variant,
//! code, label, an optional doc), in order; `build.rs` hands them to `vocabulary!`, so a
//! module declares only the enum's name and documentation:
//!
//! ```ignore
//! crate::vocabulary! {
//!     /// Which rule raised a warning.
//!     pub enum WarningRule;
//! }
//! ```

/// Declares an enum whose variants each carry a stored code and a Chinese label, with
/// `code()`, `label()`, `parse()`, `ALL`, `CODES` and `TABLE` generated from that one list.
/// `pub enum Name;` takes the list from `data/vocabularies.csv`; `pub enum Name; labels`
/// also parses the Chinese labels.
#[macro_export]
macro_rules! vocabulary {
    ($(#[$meta:meta])* pub enum $name:ident; $($labels:ident)?) => {
        vocabulary_rows! { $name, $(#[$meta])* pub enum $name $($labels)? }
    };
    (@parse $text:ident, labels, $($value:path = $code:literal | $label:literal,)+) => {
        match $text.trim() {
            $($code | $label => Some($value),)+
            _ => None,
        }
    };
    (@parse $text:ident, , $($value:path = $code:literal | $label:literal,)+) => {
        match $text {
            $($code => Some($value),)+
            _ => None,
        }
    };
    ($(#[$meta:meta])* pub enum $name:ident $($labels:ident)? { $($(#[$vmeta:meta])* $variant:ident = ($code:literal, $label:literal),)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in table order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            /// Every stored code, in table order (for CHECK constraints and input checks).
            pub const CODES: [&'static str; [$($code),+].len()] = [$($code,)+];
            /// code → label, in table order.
            pub const TABLE: [(&'static str, &'static str); [$($code),+].len()] = [$(($code, $label),)+];

            /// The code stored in the database.
            pub const fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// The Chinese label.
            pub const fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }

            /// The value of a stored code (declared `pub enum Name; labels`: a code or a
            /// label, trimmed); `None` for anything else.
            pub fn parse(text: &str) -> Option<$name> {
                $crate::vocabulary!(@parse text, $($labels)?, $($name::$variant = $code | $label,)+)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            /// From its code, as serde's derive reads a unit variant (same error for others).
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = String::deserialize(d)?;
                $name::CODES
                    .iter()
                    .position(|c| *c == code)
                    .map(|i| $name::ALL[i])
                    .ok_or_else(|| serde::de::Error::unknown_variant(&code, &$name::CODES))
            }
        }
    };
}

#[cfg(test)]
pub(crate) fn check_table(all: &[&str], table: &[(&str, &str)]) {
    // every code unique, every label unique and non-empty, codes are the table's
    let mut codes: Vec<&str> = table.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, all);
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), table.len(), "duplicate code in {table:?}");
    let mut labels: Vec<&str> = table.iter().map(|(_, l)| *l).collect();
    assert!(labels.iter().all(|l| !l.is_empty()));
    labels.sort_unstable();
    labels.dedup();
    assert_eq!(labels.len(), table.len(), "duplicate label in {table:?}");
}

/// The tests every vocabulary gets (`vocabulary_rows!` declares them beside each one): code
/// ↔ label round trip, unique codes and labels, unknown codes are `None`.
#[cfg(test)]
#[macro_export]
macro_rules! vocabulary_tests {
    ($name:ident, $test:ident) => {
        #[test]
        fn $test() {
            $crate::vocab::check_table(&$name::CODES, &$name::TABLE);
            assert_eq!($name::ALL.len(), $name::TABLE.len());
            for (v, (code, label)) in $name::ALL.iter().zip($name::TABLE.iter()) {
                assert_eq!(v.code(), *code);
                assert_eq!(v.label(), *label);
                assert_eq!($name::parse(code), Some(*v));
                assert_eq!(v.to_string(), *code);
            }
            for bad in ["", "unknown", " accepted", "ACCEPTED", "project.correct"] {
                assert_eq!($name::parse(bad), None, "{bad:?}");
            }
        }
    };
}
