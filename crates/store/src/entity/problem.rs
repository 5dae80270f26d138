//! The `problems` table (困难和问题).

crate::entity::entity_model! {
    audited "problems" {
        pub project_id: i64,
        pub title: String,
        pub detail: Option<String>,
        pub assignee_unit_id: i64,
        pub due_on: Option<Date>,
        pub status: String,
        pub resolution: Option<String>,
        pub resolved_on: Option<Date>,
        /// `ledger` (opened by the 存在问题 column) or `manual`.
        pub source: String,
    }
}
