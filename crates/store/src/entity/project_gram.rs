//! The `project_grams` table.

crate::entity::entity_model! {
    plain "project_grams" {
        #[sea_orm(primary_key, auto_increment = false)]
        pub gram: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub project_id: i64,
        pub unit_id: i64,
    }
}
