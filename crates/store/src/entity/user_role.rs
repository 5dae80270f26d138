//! The `user_roles` table.

crate::entity::entity_model! {
    plain "user_roles" {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub role: String,
    }
}
