//! The `team_members` table: a project's work team (四个一).

crate::entity::entity_model! {
    keyed "team_members" {
        pub project_id: i64,
        pub name: String,
        pub position: Option<String>,
        pub role: Option<String>,
        pub is_leader: bool,
        pub sort: i32,
    }
}
