//! The `reviews` table: one claim the city reviews (a stage claim or a funds entry).

crate::entity::entity_model! {
    keyed "reviews" {
        pub kind: String,
        pub project_id: i64,
        pub transition_id: Option<i64>,
        pub funds_entry_id: Option<i64>,
        pub stage: Option<String>,
        pub date: Date,
        /// Hundredths, as `funds_entries.amount`.
        pub amount: Option<i64>,
        pub state: String,
        pub submitted_by: Option<i64>,
        pub submitted_at: DateTimeUtc,
        pub reviewed_by: Option<i64>,
        pub reviewed_at: Option<DateTimeUtc>,
        pub comment: Option<String>,
        pub accepted_on: Option<Date>,
        pub resubmissions: i32,
        pub version: i32,
    }
}
