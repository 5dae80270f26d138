//! `/api/v1`: the routes of api.md. Each handler's `#[utoipa::path]` names its permission
//! as the bearer scope, and its `Db<perm::…>` (or `Caller<perm::…>`) argument enforces the
//! same permission; a test walks the generated document and checks both agree.

pub mod activities;
pub mod agreements;
pub mod ambassadors;
pub mod assessment_inputs;
pub mod assessments;
pub mod attachments;
pub mod audit;
pub mod body;
pub mod bulletins;
pub mod companies;
pub mod contacts;
pub mod exports;
pub mod four_ones;
pub mod imports;
pub mod inquiries;
pub mod leader_table;
pub mod leaders;
pub mod monthly;
pub mod outcomes;
pub mod problems;
pub mod projects;
pub mod reviews;
pub mod schemes;
pub mod supervisions;
pub mod system;
pub mod targets;
pub mod tasks;
pub mod top10;
pub mod warnings;

use std::sync::Arc;

use serde::Serialize;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "zhaoshang 招商引资项目管理平台 API", description = "The stable core of api.md. Money is a decimal string in 万元; dates are YYYY-MM-DD (Asia/Shanghai)."),
    modifiers(&Bearer)
)]
struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let c = openapi.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Routes that need no login (the health check and login itself).
pub const PUBLIC: &[(&str, &str)] = &[("get", "/api/v1/health"), ("post", "/api/v1/auth/login")];

/// The writes that take no request body (any body sent is ignored); every other POST, PUT
/// and PATCH documents its body's schema (a test walks the document and checks).
pub const NO_BODY: &[(&str, &str)] = &[
    ("post", "/api/v1/auth/logout"),
    ("post", "/api/v1/auth/totp/setup"),
    ("post", "/api/v1/projects/{id}/restore"),
    ("post", "/api/v1/reviews/{id}/accept"),
    ("post", "/api/v1/bulletins/{id}/publish"),
];

pub fn routes() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(system::health))
        .routes(routes!(system::login))
        .routes(routes!(system::logout))
        .routes(routes!(system::change_password))
        .routes(routes!(system::totp_setup))
        .routes(routes!(system::totp_enable))
        .routes(routes!(system::me))
        .routes(routes!(system::units))
        .routes(routes!(system::list_users, system::create_user))
        .routes(routes!(system::update_user))
        .routes(routes!(system::set_roles))
        .routes(routes!(companies::list, companies::create))
        .routes(routes!(companies::get))
        .routes(routes!(companies::rankings))
        .routes(routes!(companies::export))
        .routes(routes!(projects::list, projects::create))
        .routes(routes!(projects::get, projects::update, projects::delete))
        .routes(routes!(projects::restore))
        .routes(routes!(projects::transition))
        .routes(routes!(projects::timeline))
        .routes(routes!(projects::add_progress))
        .routes(routes!(projects::list_funds, projects::add_funds))
        .routes(routes!(agreements::list, agreements::create))
        .routes(routes!(agreements::get))
        .routes(routes!(agreements::add_sub_project))
        .routes(routes!(agreements::update_clause))
        .routes(routes!(four_ones::list_milestones, four_ones::create_milestone))
        .routes(routes!(four_ones::update_milestone))
        .routes(routes!(four_ones::team, four_ones::set_team))
        .routes(routes!(four_ones::four_ones))
        .routes(routes!(outcomes::list))
        .routes(routes!(outcomes::record))
        .routes(routes!(attachments::get, attachments::delete))
        .routes(routes!(attachments::list))
        .routes(routes!(reviews::list))
        .routes(routes!(reviews::accept_many))
        .routes(routes!(reviews::accept))
        .routes(routes!(reviews::return_claim))
        .routes(routes!(reviews::resubmit))
        .routes(routes!(tasks::list_for_project, tasks::create))
        .routes(routes!(tasks::update))
        .routes(routes!(tasks::list))
        .routes(routes!(problems::list_for_project, problems::create))
        .routes(routes!(problems::update))
        .routes(routes!(problems::list))
        .routes(routes!(audit::list))
        .routes(routes!(audit::verify))
        .routes(routes!(audit::logins))
        .routes(routes!(exports::ledger))
        .routes(routes!(imports::template))
        .routes(routes!(warnings::list))
        .routes(routes!(supervisions::list, supervisions::create))
        .routes(routes!(supervisions::reply))
        .routes(routes!(supervisions::close))
        .routes(routes!(monthly::list, monthly::confirm))
        .routes(routes!(contacts::list, contacts::add))
        .routes(routes!(targets::list, targets::create))
        .routes(routes!(targets::shared))
        .routes(routes!(targets::get))
        .routes(routes!(targets::set_status))
        .routes(routes!(targets::follow_ups, targets::add_follow_up))
        .routes(routes!(targets::convert))
        .routes(routes!(inquiries::list, inquiries::create))
        .routes(routes!(inquiries::get))
        .routes(routes!(inquiries::answer))
        .routes(routes!(leaders::list, leaders::create))
        .routes(routes!(leaders::get, leaders::update))
        .routes(routes!(activities::list, activities::create))
        .routes(routes!(activities::counts))
        .routes(routes!(activities::get, activities::update))
        .routes(routes!(ambassadors::list, ambassadors::create))
        .routes(routes!(ambassadors::get, ambassadors::update))
        .routes(routes!(ambassadors::add_leads))
        .routes(routes!(ambassadors::payout))
        .routes(routes!(schemes::list, schemes::create))
        .routes(routes!(schemes::get))
        .routes(routes!(assessments::run))
        .routes(routes!(assessments::list))
        .routes(routes!(assessments::get))
        .routes(routes!(assessments::records))
        .routes(routes!(assessments::compare))
        .routes(routes!(assessment_inputs::list_manual, assessment_inputs::set_manual))
        .routes(routes!(assessment_inputs::list_adjustments, assessment_inputs::add_adjustment))
        .routes(routes!(assessment_inputs::remove_adjustment))
        .routes(routes!(top10::get, top10::put))
        .routes(routes!(leader_table::leader_table))
        .routes(routes!(bulletins::list, bulletins::create))
        .routes(routes!(bulletins::get))
        .routes(routes!(bulletins::publish))
        .routes(routes!(bulletins::verify))
        .routes(routes!(bulletins::export))
        // an upload may be up to 20 MiB, far over the JSON limit of every other route
        .merge(
            OpenApiRouter::new()
                .routes(routes!(imports::ledger))
                .layer(axum::extract::DefaultBodyLimit::max(imports::MAX_UPLOAD)),
        )
        // a published ranking list may be up to 5 MiB
        .merge(
            OpenApiRouter::new()
                .routes(routes!(companies::import))
                .layer(axum::extract::DefaultBodyLimit::max(companies::MAX_RANKING_UPLOAD)),
        )
        // an evidence file may be up to 50 MiB
        .merge(
            OpenApiRouter::new()
                .routes(routes!(attachments::upload))
                .layer(axum::extract::DefaultBodyLimit::max(attachments::MAX_UPLOAD)),
        )
}

/// The list envelope of api.md.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// All that match, over every page.
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    /// One page of a list: the store's rows as answered, `total` over every page.
    pub fn of<R: Into<T>>(rows: Vec<R>, total: u64, (page, per_page): (u64, u64)) -> Self {
        Page { items: rows.into_iter().map(Into::into).collect(), total, page, per_page }
    }
}

/// A whole list, unpaged (a project's timeline and funds, the unit tree).
#[derive(Debug, Serialize, ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
    pub total: usize,
}

impl<T> Items<T> {
    pub fn of(items: Vec<T>) -> Self {
        Items { total: items.len(), items }
    }
}

/// An Excel workbook (.xlsx) download: a binary string in the document.
pub struct Xlsx {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The media type of an .xlsx download.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

impl axum::response::IntoResponse for Xlsx {
    fn into_response(self) -> axum::response::Response {
        crate::ledger::download(&self.file_name, self.bytes)
    }
}

impl utoipa::PartialSchema for Xlsx {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl ToSchema for Xlsx {}

pub use crate::input::paging;

/// A `true`/`false` query parameter (`1`/`0` too); blank or absent is `None`.
pub fn flag(q: &std::collections::BTreeMap<String, String>, k: &str) -> Result<Option<bool>, crate::error::ApiError> {
    let mut c = crate::input::QueryCheck::new(q);
    let v = c.flag(k);
    c.finish(v)
}

#[cfg(test)]
mod tests {
    use domain::fields::{self, Entity};
    use utoipa::PartialSchema;
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::Schema;

    fn properties<T: PartialSchema>() -> Vec<String> {
        match T::schema() {
            RefOr::T(Schema::Object(o)) => o.properties.keys().cloned().collect(),
            _ => panic!("{} is not an object schema", std::any::type_name::<T>()),
        }
    }

    /// Every field a body takes is in its entity's field table, so its label names it and
    /// its text is held to the table's maximum (a field missing from the table would get
    /// neither).
    #[test]
    fn every_body_field_is_in_its_field_table() {
        let bodies: Vec<(&str, Vec<String>, &Entity)> = vec![
            ("LoginBody", properties::<super::system::LoginBody>(), &fields::USER),
            ("NewUserBody", properties::<super::system::NewUserBody>(), &fields::USER),
            ("UserPatchBody", properties::<super::system::UserPatchBody>(), &fields::USER),
            ("RolesBody", properties::<super::system::RolesBody>(), &fields::USER),
            ("PasswordBody", properties::<super::system::PasswordBody>(), &fields::USER),
            ("TotpEnableBody", properties::<super::system::TotpEnableBody>(), &fields::USER),
            ("CompanyBody", properties::<super::companies::CompanyBody>(), &fields::COMPANY),
            ("RankingUpload", properties::<super::companies::RankingUpload>(), &fields::RANKING),
            ("ProjectBody", properties::<super::projects::ProjectBody>(), &fields::PROJECT),
            ("TransitionBody", properties::<super::projects::TransitionBody>(), &fields::TRANSITION),
            ("FundsBody", properties::<super::projects::FundsBody>(), &fields::FUNDS),
            ("ProgressBody", properties::<super::projects::ProgressBody>(), &fields::PROGRESS),
            ("AgreementBody", properties::<super::agreements::AgreementBody>(), &fields::AGREEMENT),
            ("ClauseBody", properties::<super::agreements::ClauseBody>(), &fields::CLAUSE),
            ("SubProjectBody", properties::<super::agreements::SubProjectBody>(), &fields::AGREEMENT),
            ("ClausePatchBody", properties::<super::agreements::ClausePatchBody>(), &fields::CLAUSE),
            ("MilestoneBody", properties::<super::four_ones::MilestoneBody>(), &fields::MILESTONE),
            ("MemberBody", properties::<super::four_ones::MemberBody>(), &fields::TEAM_MEMBER),
            ("TeamBody", properties::<super::four_ones::TeamBody>(), &fields::TEAM_MEMBER),
            ("OutcomeBody", properties::<super::outcomes::OutcomeBody>(), &fields::OUTCOME),
            ("ContactBody", properties::<super::contacts::ContactBody>(), &fields::CONTACT),
            ("TargetBody", properties::<super::targets::TargetBody>(), &fields::TARGET),
            ("TargetStatusBody", properties::<super::targets::TargetStatusBody>(), &fields::TARGET),
            ("FollowUpBody", properties::<super::targets::FollowUpBody>(), &fields::FOLLOW_UP),
            ("ConvertBody", properties::<super::targets::ConvertBody>(), &fields::PROJECT),
            ("InquiryBody", properties::<super::inquiries::InquiryBody>(), &fields::INQUIRY),
            ("AnswerBody", properties::<super::inquiries::AnswerBody>(), &fields::INQUIRY),
            ("LeaderBody", properties::<super::leaders::LeaderBody>(), &fields::LEADER),
            ("ActivityBody", properties::<super::activities::ActivityBody>(), &fields::ACTIVITY),
            ("AmbassadorBody", properties::<super::ambassadors::AmbassadorBody>(), &fields::AMBASSADOR),
            ("LeadsBody", properties::<super::ambassadors::LeadsBody>(), &fields::AMBASSADOR),
            ("PayoutBody", properties::<super::ambassadors::PayoutBody>(), &fields::PAYOUT),
            ("SchemeBody", properties::<super::schemes::SchemeBody>(), &fields::SCHEME),
            ("RunBody", properties::<super::assessments::RunBody>(), &fields::SCHEME),
            ("ManualValueBody", properties::<super::assessment_inputs::ManualValueBody>(), &fields::MANUAL_VALUE),
            ("AdjustmentBody", properties::<super::assessment_inputs::AdjustmentBody>(), &fields::ADJUSTMENT),
            ("Top10Body", properties::<super::top10::Top10Body>(), &fields::TOP10),
            ("PickBody", properties::<super::top10::PickBody>(), &fields::TOP10),
            ("AttachmentUpload", properties::<super::attachments::AttachmentUpload>(), &fields::ATTACHMENT),
            ("TaskBody", properties::<super::tasks::TaskBody>(), &fields::TASK),
            ("TaskPatchBody", properties::<super::tasks::TaskPatchBody>(), &fields::TASK),
            ("ProblemBody", properties::<super::problems::ProblemBody>(), &fields::PROBLEM),
            ("ProblemPatchBody", properties::<super::problems::ProblemPatchBody>(), &fields::PROBLEM),
        ];
        for (body, props, entity) in bodies {
            assert!(!props.is_empty(), "{body} shows no fields");
            for p in props {
                assert!(entity.field(&p).is_some(), "{body}.{p} is not in the {} field table", entity.code);
            }
        }
    }
}
