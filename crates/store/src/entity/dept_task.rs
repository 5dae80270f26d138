//! The `dept_tasks` table.

crate::entity::entity_model! {
    keyed "dept_tasks" {
        pub project_id: i64,
        pub dept_unit_id: i64,
        pub title: String,
        pub due_on: Option<Date>,
        pub status: String,
        pub reply: Option<String>,
        /// Who assigned it (the project's unit or city_admin).
        pub created_by: Option<i64>,
        pub replied_at: Option<DateTimeUtc>,
        /// The day it was closed (Asia/Shanghai).
        pub done_on: Option<Date>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
}
