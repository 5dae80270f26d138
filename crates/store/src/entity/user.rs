//! The `users` table.

crate::entity::entity_model! {
    keyed "users" {
        #[sea_orm(unique)]
        pub username: String,
        pub display_name: String,
        pub password_hash: String,
        pub unit_id: Option<i64>,
        pub disabled: bool,
        pub must_change_password: bool,
        pub password_changed_at: DateTimeUtc,
        /// Base32 TOTP secret; set at setup, used once `totp_enabled`.
        pub totp_secret: Option<String>,
        pub totp_enabled: bool,
        /// The last accepted time step, so a code cannot be replayed.
        pub totp_last_step: Option<i64>,
        pub version: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
}
