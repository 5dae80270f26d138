//! The `project_investors` table.

crate::entity::entity_model! {
    plain "project_investors" {
        #[sea_orm(primary_key, auto_increment = false)]
        pub project_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub company_id: i64,
        pub position: i32,
    }
}
