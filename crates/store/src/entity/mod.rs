//! SeaORM entities, one module per table. The schema itself is in `migration`.

pub mod audit_record;
pub mod company;
pub mod dept_task;
pub mod funds_entry;
pub mod login_record;
pub mod problem;
pub mod progress_note;
pub mod project;
pub mod project_gram;
pub mod project_investor;
pub mod session;
pub mod transition;
pub mod unit;
pub mod user;
pub mod user_role;
