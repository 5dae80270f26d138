//! The `audit_log` table.

crate::entity::entity_model! {
    #[schema(as = AuditRecord)]
    keyed "audit_log" [serde::Serialize, utoipa::ToSchema] {
        #[schema(value_type = chrono::DateTime<chrono::Utc>)]
        pub at: DateTimeUtc,
        pub user_id: Option<i64>,
        pub username: Option<String>,
        pub address: Option<String>,
        pub request_id: Option<String>,
        pub action: String,
        pub entity: String,
        pub entity_id: Option<String>,
        pub before: Option<String>,
        pub after: Option<String>,
        pub result: String,
        pub prev_hash: String,
        pub hash: String,
    }
}
