//! The `supervisions` table (督办).

crate::entity::entity_model! {
    audited "supervisions" {
        pub warning_key: Option<String>,
        pub project_id: i64,
        pub unit_id: i64,
        pub deadline: Date,
        pub instruction: String,
        pub status: String,
        pub reply: Option<String>,
        pub replied_by: Option<i64>,
        pub replied_at: Option<DateTimeUtc>,
        pub closed_by: Option<i64>,
        pub closed_at: Option<DateTimeUtc>,
    }
}
