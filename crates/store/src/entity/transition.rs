//! The `transitions` table.

crate::entity::entity_model! {
    keyed "transitions" {
        pub project_id: i64,
        pub from_stage: String,
        pub to_stage: String,
        pub date: Date,
        pub note: Option<String>,
        pub reason: Option<String>,
        /// JSON object of the skipped stages and their dates.
        pub skipped_dates: Option<String>,
        pub correction: bool,
        pub review_state: String,
        pub created_by: Option<i64>,
        pub created_at: DateTimeUtc,
    }
}
