//! The `units` table.

crate::entity::entity_model! {
    keyed "units" {
        #[sea_orm(unique)]
        pub code: String,
        pub name: String,
        pub kind: String,
        pub parent_id: Option<i64>,
        pub assessed: bool,
        pub sort: i32,
    }
}
