//! The `login_log` table.

crate::entity::entity_model! {
    #[schema(as = LoginRecord)]
    keyed "login_log" [serde::Serialize, utoipa::ToSchema] {
        #[schema(value_type = chrono::DateTime<chrono::Utc>)]
        pub at: DateTimeUtc,
        pub username: String,
        pub user_id: Option<i64>,
        pub address: Option<String>,
        pub success: bool,
        pub reason: Option<String>,
    }
}
