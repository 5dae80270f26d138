//! The `companies` table.

crate::entity::entity_model! {
    /// Served as it is (api.md "Company object"): `store::companies::Company`.
    #[schema(as = Company)]
    keyed "companies" [serde::Serialize, utoipa::ToSchema] {
        #[sea_orm(unique)]
        pub name: String,
        pub credit_code: Option<String>,
        pub country: String,
        pub region: Option<String>,
        pub hq_city: Option<String>,
        pub industry: Option<String>,
        pub fortune_global_500_rank: Option<i32>,
        pub china_500_rank: Option<i32>,
        pub china_private_500_rank: Option<i32>,
        pub rank_year: Option<i32>,
        pub industry_leader: bool,
        pub leader_reason: Option<String>,
        pub website: Option<String>,
        pub notes: Option<String>,
        pub version: i32,
        #[schema(value_type = chrono::DateTime<chrono::Utc>)]
        pub created_at: DateTimeUtc,
        #[schema(value_type = chrono::DateTime<chrono::Utc>)]
        pub updated_at: DateTimeUtc,
        /// 投资方类型 declared by the ledger that created the company (not a rank).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub declared_type: Option<String>,
    }
}
