//! SeaORM entities, one module per table. The schema itself is in `migration`.

pub mod agreement;
pub mod agreement_sub_project;
pub mod attachment;
pub mod audit_record;
pub mod clause;
pub mod company;
pub mod dept_task;
pub mod funds_entry;
pub mod login_record;
pub mod milestone;
pub mod problem;
pub mod progress_note;
pub mod project;
pub mod project_gram;
pub mod project_investor;
pub mod review;
pub mod session;
pub mod setting;
pub mod team_member;
pub mod transition;
pub mod unit;
pub mod user;
pub mod user_role;
