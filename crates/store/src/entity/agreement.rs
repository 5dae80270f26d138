//! The `agreements` table.

crate::entity::entity_model! {
    audited "agreements" {
        pub project_id: i64,
        pub kind: String,
        pub title: String,
        pub signed_on: Option<Date>,
        /// A JSON array of the parties' names.
        pub parties: String,
        /// Hundredths of 万元.
        pub amount: Option<i64>,
        pub deleted_at: Option<DateTimeUtc>,
    }
}
