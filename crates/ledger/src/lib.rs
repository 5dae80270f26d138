//! The Excel ledger (`../shared/spec/ledger.md`): reading the 台账 files units keep today —
//! safely, whatever shape they are in — into domain values with a per-cell error report, and
//! writing the same template back out. No storage here: the store applies the rows.

pub mod assessment;
pub mod bulletin;
pub mod csv;
pub mod docx;
pub mod export;
pub mod header;
pub mod rankings;
pub mod read;
pub mod row;
pub mod value;

pub use header::{Column, Field, FileError};
pub use read::{Cell, Limits, ReadError, Sheet, read};
pub use row::{LedgerRow, Parsed, RowError, parse, parse_on};
