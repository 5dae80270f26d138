//! The `funds_entries` table.

crate::entity::entity_model! {
    keyed "funds_entries" {
        pub project_id: i64,
        pub date: Date,
        pub kind: String,
        /// Hundredths of 万元 (domestic) or 万美元 (foreign).
        pub amount: i64,
        pub note: Option<String>,
        pub review_state: String,
        pub created_by: Option<i64>,
        pub created_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
    }
}
