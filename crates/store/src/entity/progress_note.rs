//! The `progress_notes` table: every 项目进展情况 a project has had, oldest first.

crate::entity::entity_model! {
    keyed "progress_notes" {
        pub project_id: i64,
        pub date: Date,
        pub note: String,
        pub created_by: Option<i64>,
        pub created_at: DateTimeUtc,
    }
}
