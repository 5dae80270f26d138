//! The `milestones` table: a project's action plan (四个一).

crate::entity::entity_model! {
    audited "milestones" {
        pub project_id: i64,
        pub title: String,
        pub owner: Option<String>,
        pub due_on: Option<Date>,
        pub done_on: Option<Date>,
    }
}
