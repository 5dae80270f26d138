//! The `projects` table.

crate::entity::entity_model! {
    audited "projects" {
        #[sea_orm(unique)]
        pub code: String,
        pub name: String,
        pub unit_id: i64,
        pub industry: String,
        pub region: String,
        pub channel: Option<String>,
        /// Category codes between commas: `,pillar,foreign,` (so a LIKE finds one exactly).
        pub categories: String,
        /// Hundredths of 万元.
        pub total_investment: i64,
        /// Hundredths of 万美元.
        pub foreign_investment: Option<i64>,
        /// Hundredths of 亩.
        pub land_mu: Option<i64>,
        pub expected_output: Option<i64>,
        pub expected_tax: Option<i64>,
        pub expected_jobs: Option<i32>,
        pub lead_leader: Option<String>,
        pub stage: String,
        pub paused_from: Option<String>,
        pub accepted_stage: String,
        pub review_state: String,
        pub signed_on: Option<Date>,
        pub approved_on: Option<Date>,
        pub started_on: Option<Date>,
        pub producing_on: Option<Date>,
        pub at_capacity_on: Option<Date>,
        pub expected_producing_on: Option<Date>,
        pub last_transition_on: Option<Date>,
        pub city_reportable: bool,
        pub key_project: bool,
        pub notes: Option<String>,
        /// Lowercased name, code and investor names: what `q` searches.
        pub search_text: String,
        pub deleted_at: Option<DateTimeUtc>,
        /// The latest 项目进展情况 (each one is also a row of `progress_notes`).
        pub progress: Option<String>,
    }
}
