//! The `clauses` table: an agreement's clauses.

crate::entity::entity_model! {
    audited "clauses" {
        pub agreement_id: i64,
        pub project_id: i64,
        pub number: String,
        pub text: String,
        pub obligor: String,
        /// Hundredths of 万元.
        pub due_amount: Option<i64>,
        /// Hundredths of 亩.
        pub due_area: Option<i64>,
        pub due_on: Option<Date>,
        pub status: String,
        pub status_on: Option<Date>,
        pub note: Option<String>,
    }
}
