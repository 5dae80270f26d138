//! The `sessions` table.

crate::entity::entity_model! {
    keyed "sessions" {
        #[sea_orm(unique)]
        pub token_hash: String,
        pub user_id: i64,
        pub address: Option<String>,
        pub created_at: DateTimeUtc,
        pub last_seen_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub ended_at: Option<DateTimeUtc>,
    }
}
