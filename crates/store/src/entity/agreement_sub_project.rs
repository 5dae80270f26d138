//! The `agreement_sub_projects` table: a package agreement's sub-projects.

crate::entity::entity_model! {
    plain "agreement_sub_projects" {
        #[sea_orm(primary_key, auto_increment = false)]
        pub agreement_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub project_id: i64,
    }
}
