//! The `settings` table: one deployment setting per key.

crate::entity::entity_model! {
    plain "settings" {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub value: String,
        pub updated_by: Option<i64>,
        pub updated_at: DateTimeUtc,
    }
}
