//! The access matrix (security.md §5–6, issue #3): every API route × every role (and no
//! login at all) × a record inside and outside the caller's scope → the exact status,
//! derived from `domain::access::has_permission` and the data scope of domain.md §1. No
//! response body ever shows a project of another unit (name, code or total), no refusal
//! changes anything, and every refusal is audited. A guard walks the generated OpenAPI
//! document: a route that the matrix does not exercise fails the test, so new routes
//! cannot slip past. Runs on SQLite and PostgreSQL.

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::collections::BTreeSet;

use domain::{Permission, Role};
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};

const HEALTH: &str = "/api/v1/health";
const LOGIN: &str = "/api/v1/auth/login";
const LOGOUT: &str = "/api/v1/auth/logout";
const PASSWORD: &str = "/api/v1/auth/password";
const TOTP_SETUP: &str = "/api/v1/auth/totp/setup";
const TOTP_ENABLE: &str = "/api/v1/auth/totp/enable";
const ME: &str = "/api/v1/me";
const UNITS: &str = "/api/v1/units";
const USERS: &str = "/api/v1/users";
const USER: &str = "/api/v1/users/{id}";
const USER_ROLES: &str = "/api/v1/users/{id}/roles";
const COMPANIES: &str = "/api/v1/companies";
const COMPANY: &str = "/api/v1/companies/{id}";
const CONTACTS: &str = "/api/v1/companies/{id}/contacts";
const RANKINGS: &str = "/api/v1/companies/{id}/rankings";
const RANKING_IMPORT: &str = "/api/v1/companies/rankings";
const COMPANY_EXPORT: &str = "/api/v1/companies/export";
const PROJECTS: &str = "/api/v1/projects";
const PROJECT: &str = "/api/v1/projects/{id}";
const RESTORE: &str = "/api/v1/projects/{id}/restore";
const TRANSITIONS: &str = "/api/v1/projects/{id}/transitions";
const TIMELINE: &str = "/api/v1/projects/{id}/timeline";
const FUNDS: &str = "/api/v1/projects/{id}/funds";
const AGREEMENTS: &str = "/api/v1/projects/{id}/agreements";
const AGREEMENT: &str = "/api/v1/agreements/{id}";
const SUB_PROJECTS: &str = "/api/v1/agreements/{id}/sub_projects";
const CLAUSE: &str = "/api/v1/clauses/{id}";
const MILESTONES: &str = "/api/v1/projects/{id}/milestones";
const MILESTONE: &str = "/api/v1/milestones/{id}";
const TEAM: &str = "/api/v1/projects/{id}/team";
const FOUR_ONES: &str = "/api/v1/projects/{id}/four_ones";
const PROGRESS: &str = "/api/v1/projects/{id}/progress";
const OUTCOMES: &str = "/api/v1/projects/{id}/outcomes";
const OUTCOME_YEAR: &str = "/api/v1/projects/{id}/outcomes/{year}";
const AUDIT: &str = "/api/v1/audit";
const AUDIT_VERIFY: &str = "/api/v1/audit/verify";
const AUDIT_LOGINS: &str = "/api/v1/audit/logins";
const EXPORT: &str = "/api/v1/exports/ledger.xlsx";
const IMPORT: &str = "/api/v1/imports/ledger";
const TEMPLATE: &str = "/api/v1/imports/ledger/template.xlsx";
const ATTACHMENTS: &str = "/api/v1/attachments";
const ATTACHMENT: &str = "/api/v1/attachments/{id}";
const CASE_FILE: &str = "/api/v1/projects/{id}/attachments";
/// The evidence file every upload of the matrix sends (a minimal complete PDF).
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
const REVIEWS: &str = "/api/v1/reviews";
const REVIEWS_ACCEPT: &str = "/api/v1/reviews/accept";
const REVIEW_ACCEPT: &str = "/api/v1/reviews/{id}/accept";
const REVIEW_RETURN: &str = "/api/v1/reviews/{id}/return";
const REVIEW_RESUBMIT: &str = "/api/v1/reviews/{id}/resubmit";
const PROJECT_TASKS: &str = "/api/v1/projects/{id}/tasks";
const TASK: &str = "/api/v1/tasks/{id}";
const TASKS: &str = "/api/v1/tasks";
const PROJECT_PROBLEMS: &str = "/api/v1/projects/{id}/problems";
const PROBLEM: &str = "/api/v1/problems/{id}";
const PROBLEMS: &str = "/api/v1/problems";
const WARNINGS: &str = "/api/v1/warnings";
const SUPERVISIONS: &str = "/api/v1/supervisions";
const SUP_REPLY: &str = "/api/v1/supervisions/{id}/reply";
const SUP_CLOSE: &str = "/api/v1/supervisions/{id}/close";
const MONTHLY: &str = "/api/v1/monthly_reports";
const TARGETS: &str = "/api/v1/targets";
const TGT: &str = "/api/v1/targets/{id}";
const TGT_SHARED: &str = "/api/v1/targets/shared";
const TGT_STATUS: &str = "/api/v1/targets/{id}/status";
const TGT_FOLLOW_UPS: &str = "/api/v1/targets/{id}/follow_ups";
const TGT_CONVERT: &str = "/api/v1/targets/{id}/convert";
const INQUIRIES: &str = "/api/v1/inquiries";
const INQ: &str = "/api/v1/inquiries/{id}";
const INQ_ANSWER: &str = "/api/v1/inquiries/{id}/answer";
const LEADERS: &str = "/api/v1/leaders";
const BULLETINS: &str = "/api/v1/bulletins";
const BULLETIN: &str = "/api/v1/bulletins/{id}";
const BULLETIN_PUBLISH: &str = "/api/v1/bulletins/{id}/publish";
const BULLETIN_VERIFY: &str = "/api/v1/bulletins/{id}/verify";
const BULLETIN_EXPORT: &str = "/api/v1/bulletins/{id}/export.xlsx";
const LEADER: &str = "/api/v1/leaders/{id}";
const ACTIVITIES: &str = "/api/v1/activities";
const ACTIVITY: &str = "/api/v1/activities/{id}";
const ACT_COUNTS: &str = "/api/v1/activities/counts";
const AMBASSADORS: &str = "/api/v1/ambassadors";
const AMB: &str = "/api/v1/ambassadors/{id}";
const AMB_LEADS: &str = "/api/v1/ambassadors/{id}/leads";
const AMB_PAYOUTS: &str = "/api/v1/ambassadors/{id}/payouts";
const SCHEMES: &str = "/api/v1/schemes";
const SCHEME: &str = "/api/v1/schemes/{id}";
const RUN: &str = "/api/v1/assessments/run";
const RUNS: &str = "/api/v1/assessments";
const RUN_ONE: &str = "/api/v1/assessments/{id}";
const RUN_RECORDS: &str = "/api/v1/assessments/{id}/records";
const RUN_COMPARE: &str = "/api/v1/assessments/{id}/compare";
const MANUAL: &str = "/api/v1/assessments/manual_values";
const ADJUSTMENTS: &str = "/api/v1/assessments/adjustments";
const ADJUSTMENT: &str = "/api/v1/assessments/adjustments/{id}";
const TOP10: &str = "/api/v1/top10/{year}";
const LEADER_TABLE: &str = "/api/v1/assessments/leaders";

/// Every operation of the API and the permission it needs (`None`: public). The guard at
/// the end checks this table against the OpenAPI document, both ways, scope for scope.
const ROUTES: &[(&str, &str, Option<Permission>)] = &[
    ("get", HEALTH, None),
    ("post", LOGIN, None),
    ("post", LOGOUT, Some(Permission::SelfRead)),
    ("post", PASSWORD, Some(Permission::SelfRead)),
    ("post", TOTP_SETUP, Some(Permission::SelfRead)),
    ("post", TOTP_ENABLE, Some(Permission::SelfRead)),
    ("get", ME, Some(Permission::SelfRead)),
    ("get", UNITS, Some(Permission::UnitRead)),
    ("get", USERS, Some(Permission::UserRead)),
    ("post", USERS, Some(Permission::UserWrite)),
    ("patch", USER, Some(Permission::UserWrite)),
    ("put", USER_ROLES, Some(Permission::RoleAssign)),
    ("get", COMPANIES, Some(Permission::CompanyRead)),
    ("post", COMPANIES, Some(Permission::CompanyWrite)),
    ("get", COMPANY, Some(Permission::CompanyRead)),
    ("get", CONTACTS, Some(Permission::CompanyRead)),
    ("post", CONTACTS, Some(Permission::CompanyWrite)),
    ("get", RANKINGS, Some(Permission::CompanyRead)),
    ("post", RANKING_IMPORT, Some(Permission::RankingImport)),
    ("get", COMPANY_EXPORT, Some(Permission::CompanyRead)),
    ("get", PROJECTS, Some(Permission::ProjectRead)),
    ("post", PROJECTS, Some(Permission::ProjectWrite)),
    ("get", PROJECT, Some(Permission::ProjectRead)),
    ("patch", PROJECT, Some(Permission::ProjectWrite)),
    ("delete", PROJECT, Some(Permission::ProjectDelete)),
    ("post", RESTORE, Some(Permission::ProjectCorrect)),
    ("post", TRANSITIONS, Some(Permission::ProjectTransition)),
    ("get", TIMELINE, Some(Permission::ProjectRead)),
    ("get", FUNDS, Some(Permission::FundsRead)),
    ("post", FUNDS, Some(Permission::FundsWrite)),
    ("get", AGREEMENTS, Some(Permission::ProjectRead)),
    ("post", AGREEMENTS, Some(Permission::ProjectWrite)),
    ("get", AGREEMENT, Some(Permission::ProjectRead)),
    ("post", SUB_PROJECTS, Some(Permission::ProjectWrite)),
    ("patch", CLAUSE, Some(Permission::ProjectWrite)),
    ("get", MILESTONES, Some(Permission::ProjectRead)),
    ("post", MILESTONES, Some(Permission::ProjectWrite)),
    ("patch", MILESTONE, Some(Permission::ProjectWrite)),
    ("get", TEAM, Some(Permission::ProjectRead)),
    ("put", TEAM, Some(Permission::ProjectWrite)),
    ("get", FOUR_ONES, Some(Permission::ProjectRead)),
    ("post", PROGRESS, Some(Permission::ProjectWrite)),
    ("get", OUTCOMES, Some(Permission::ProjectRead)),
    ("put", OUTCOME_YEAR, Some(Permission::ProjectWrite)),
    ("get", AUDIT, Some(Permission::AuditRead)),
    ("get", AUDIT_VERIFY, Some(Permission::AuditRead)),
    ("get", AUDIT_LOGINS, Some(Permission::AuditRead)),
    ("get", EXPORT, Some(Permission::ProjectRead)),
    ("post", IMPORT, Some(Permission::ProjectWrite)),
    ("get", TEMPLATE, Some(Permission::ProjectRead)),
    ("post", ATTACHMENTS, Some(Permission::AttachmentWrite)),
    ("get", ATTACHMENT, Some(Permission::AttachmentRead)),
    ("delete", ATTACHMENT, Some(Permission::AttachmentWrite)),
    ("get", CASE_FILE, Some(Permission::AttachmentRead)),
    ("get", REVIEWS, Some(Permission::ReviewRead)),
    ("post", REVIEWS_ACCEPT, Some(Permission::ReviewDecide)),
    ("post", REVIEW_ACCEPT, Some(Permission::ReviewDecide)),
    ("post", REVIEW_RETURN, Some(Permission::ReviewDecide)),
    ("post", REVIEW_RESUBMIT, Some(Permission::ReviewSubmit)),
    ("get", PROJECT_TASKS, Some(Permission::TaskRead)),
    ("post", PROJECT_TASKS, Some(Permission::TaskAssign)),
    ("patch", TASK, Some(Permission::TaskReply)),
    ("get", TASKS, Some(Permission::TaskRead)),
    ("get", PROJECT_PROBLEMS, Some(Permission::ProblemRead)),
    ("post", PROJECT_PROBLEMS, Some(Permission::ProblemRaise)),
    ("patch", PROBLEM, Some(Permission::ProblemUpdate)),
    ("get", PROBLEMS, Some(Permission::ProblemRead)),
    ("get", WARNINGS, Some(Permission::WarningRead)),
    ("get", SUPERVISIONS, Some(Permission::WarningRead)),
    ("post", SUPERVISIONS, Some(Permission::SupervisionWrite)),
    ("post", SUP_REPLY, Some(Permission::SupervisionReply)),
    ("post", SUP_CLOSE, Some(Permission::SupervisionWrite)),
    ("get", MONTHLY, Some(Permission::MonthlyRead)),
    ("post", MONTHLY, Some(Permission::MonthlyConfirm)),
    ("get", TARGETS, Some(Permission::TargetRead)),
    ("post", TARGETS, Some(Permission::TargetWrite)),
    ("get", TGT, Some(Permission::TargetRead)),
    ("get", TGT_SHARED, Some(Permission::TargetRead)),
    ("post", TGT_STATUS, Some(Permission::TargetWrite)),
    ("get", TGT_FOLLOW_UPS, Some(Permission::TargetRead)),
    ("post", TGT_FOLLOW_UPS, Some(Permission::TargetWrite)),
    ("post", TGT_CONVERT, Some(Permission::TargetWrite)),
    ("get", INQUIRIES, Some(Permission::InquiryRead)),
    ("post", INQUIRIES, Some(Permission::InquiryWrite)),
    ("get", INQ, Some(Permission::InquiryRead)),
    ("post", INQ_ANSWER, Some(Permission::InquiryWrite)),
    ("get", LEADERS, Some(Permission::LeaderRead)),
    ("post", LEADERS, Some(Permission::LeaderWrite)),
    ("get", LEADER, Some(Permission::LeaderRead)),
    ("patch", LEADER, Some(Permission::LeaderWrite)),
    ("get", ACTIVITIES, Some(Permission::ActivityRead)),
    ("post", ACTIVITIES, Some(Permission::ActivityWrite)),
    ("get", ACTIVITY, Some(Permission::ActivityRead)),
    ("patch", ACTIVITY, Some(Permission::ActivityWrite)),
    ("get", ACT_COUNTS, Some(Permission::ActivityRead)),
    ("get", AMBASSADORS, Some(Permission::AmbassadorRead)),
    ("post", AMBASSADORS, Some(Permission::AmbassadorWrite)),
    ("get", AMB, Some(Permission::AmbassadorRead)),
    ("put", AMB, Some(Permission::AmbassadorWrite)),
    ("post", AMB_LEADS, Some(Permission::AmbassadorWrite)),
    ("post", AMB_PAYOUTS, Some(Permission::AmbassadorWrite)),
    ("get", SCHEMES, Some(Permission::AssessmentRead)),
    ("post", SCHEMES, Some(Permission::AssessmentManage)),
    ("get", SCHEME, Some(Permission::AssessmentRead)),
    ("post", RUN, Some(Permission::AssessmentRun)),
    ("get", RUNS, Some(Permission::AssessmentRead)),
    ("get", RUN_ONE, Some(Permission::AssessmentRead)),
    ("get", RUN_RECORDS, Some(Permission::AssessmentRead)),
    ("get", RUN_COMPARE, Some(Permission::AssessmentRead)),
    ("get", MANUAL, Some(Permission::AssessmentRead)),
    ("put", MANUAL, Some(Permission::AssessmentManage)),
    ("get", ADJUSTMENTS, Some(Permission::AssessmentRead)),
    ("post", ADJUSTMENTS, Some(Permission::AssessmentManage)),
    ("delete", ADJUSTMENT, Some(Permission::AssessmentManage)),
    ("get", TOP10, Some(Permission::AssessmentRead)),
    ("put", TOP10, Some(Permission::AssessmentManage)),
    ("get", LEADER_TABLE, Some(Permission::AssessmentRead)),
    ("get", BULLETINS, Some(Permission::BulletinRead)),
    ("post", BULLETINS, Some(Permission::BulletinWrite)),
    ("get", BULLETIN, Some(Permission::BulletinRead)),
    ("post", BULLETIN_PUBLISH, Some(Permission::BulletinWrite)),
    ("get", BULLETIN_VERIFY, Some(Permission::BulletinRead)),
    ("get", BULLETIN_EXPORT, Some(Permission::BulletinRead)),
];

/// A paid intermediary of `unit` named `name` (a body of `POST`/`PUT /api/v1/ambassadors`).
fn ambassador_body(name: &str, unit: &str) -> Value {
    json!({"name": name, "kind": "intermediary", "unit": unit, "appointed_from": "2026-01-01",
           "paid": true, "fee_terms": "开工后每个项目付费 10 万元", "fee_stage": "started", "fee_amount": "10"})
}

/// An id no record has.
const UNKNOWN: i64 = 987_654_321;
/// The department that carries tasks on jinshui's projects (the seeded `dept` user's).
const DEPT: &str = "ziranziyuan";
const NEW_PASSWORD: &str = "Neu#2027matrix";

fn route_perm(method: &Method, template: &str) -> Option<Permission> {
    let m = method.as_str().to_lowercase();
    ROUTES
        .iter()
        .find(|(rm, rt, _)| *rm == m && *rt == template)
        .unwrap_or_else(|| panic!("{method} {template} is not in the matrix's route table"))
        .2
}

/// Who calls: an index into `common::USERS`, or `None` for no login at all.
type Who = Option<usize>;

/// Every seeded user (one per role) and the caller without a login.
fn everyone() -> Vec<Who> {
    (0..common::USERS.len()).map(Some).chain([None]).collect()
}

fn label(who: Who) -> String {
    match who {
        Some(i) => format!("{} ({:?})", common::USERS[i].0, common::USERS[i].1),
        None => "anonymous".into(),
    }
}

/// Whether `who` reads a record that is its unit's (a target, an inquiry, an activity, an
/// ambassador) of `unit`: city_admin and the supervisor every unit's, a unit's users their own.
fn sees_unit(who: Who, unit: &str) -> bool {
    match who {
        Some(i) => matches!(role(i), Role::CityAdmin | Role::Supervisor) || common::USERS[i].2 == Some(unit),
        None => false,
    }
}

/// The ids of a list's items.
fn item_ids(list: &Value) -> Vec<i64> {
    list["items"].as_array().unwrap().iter().filter_map(|x| x["id"].as_i64()).collect()
}

/// Record `k` of `ids` (past them an unknown one) and what reading it answers a caller who
/// `sees` the k-th: 200, or 403 out of scope; 404 for the unknown one.
fn case(ids: &[i64], k: usize, sees: impl Fn(usize) -> bool) -> (i64, StatusCode) {
    match ids.get(k) {
        Some(id) => (*id, if sees(k) { StatusCode::OK } else { StatusCode::FORBIDDEN }),
        None => (UNKNOWN, StatusCode::NOT_FOUND),
    }
}

fn role(who: usize) -> Role {
    common::USERS[who].1
}

fn unit_label(unit: &str) -> &'static str {
    match unit {
        "jinshui" => "金水",
        "erqi" => "二七",
        other => panic!("no label for {other}"),
    }
}

/// A body for a failure message, cut to a readable length.
fn short(text: &str) -> String {
    match text.char_indices().nth(1500) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Percent-encoding for query values.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'_' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// A project the test created, and what would identify it in a response body.
#[derive(Debug, Clone)]
struct Rec {
    id: i64,
    unit: &'static str,
    /// The department whose task the project carries.
    task: Option<&'static str>,
    name: String,
    code: String,
    total: String,
    deleted: bool,
    on_hold: bool,
}

#[derive(Debug, Clone, Copy)]
enum Target {
    Rec(usize),
    Unknown,
}

#[derive(Debug, Clone)]
enum Auth {
    /// The caller's own session, reused for the whole matrix.
    Own,
    /// No `Authorization` header.
    Anonymous,
    Token(String),
}

/// One request of the matrix.
#[derive(Debug, Clone)]
struct Req {
    method: Method,
    template: &'static str,
    id: Option<i64>,
    query: String,
    body: Option<Value>,
    auth: Auth,
}

impl Req {
    fn new(method: Method, template: &'static str) -> Req {
        Req { method, template, id: None, query: String::new(), body: None, auth: Auth::Own }
    }
    fn get(template: &'static str) -> Req {
        Req::new(Method::GET, template)
    }
    fn post(template: &'static str, body: Value) -> Req {
        Req::new(Method::POST, template).body(body)
    }
    fn id(mut self, id: i64) -> Req {
        self.id = Some(id);
        self
    }
    fn query(mut self, q: &str) -> Req {
        self.query = q.to_string();
        self
    }
    fn body(mut self, b: Value) -> Req {
        self.body = Some(b);
        self
    }
    fn anonymous(mut self) -> Req {
        self.auth = Auth::Anonymous;
        self
    }
    fn token(mut self, t: &str) -> Req {
        self.auth = Auth::Token(t.to_string());
        self
    }
}

/// A query of the project list and what it selects.
struct ListQuery {
    q: Option<&'static str>,
    unit: Option<&'static str>,
    deleted: bool,
}

struct Matrix<'a> {
    app: &'a common::TestApp,
    tree: std::sync::Arc<store::UnitTree>,
    /// One session per seeded user, reused for everything but the session routes.
    tokens: Vec<String>,
    recs: Vec<Rec>,
    /// Throwaway projects for DELETE (live) and restore (deleted), by unit; replaced once used.
    to_delete: [Option<usize>; 2],
    to_restore: [Option<usize>; 2],
    exercised: BTreeSet<(String, String)>,
    /// (method, template, caller) of every case: each route must meet every caller.
    exercised_by: BTreeSet<(String, String, String)>,
    cases: usize,
    /// `METHOD path` of every 403 given to a logged-in caller (each must be audited).
    denied: Vec<String>,
    serial: u32,
    /// An agreement, its clause and a milestone of each project (by record index).
    children: std::collections::BTreeMap<usize, Children>,
}

/// The child records of one project that the child routes address by their own id.
#[derive(Debug, Clone, Copy)]
struct Children {
    agreement: i64,
    clause: i64,
    milestone: i64,
}

impl<'a> Matrix<'a> {
    fn new(app: &'a common::TestApp) -> Matrix<'a> {
        Matrix {
            app,
            tree: app.store.unit_tree(),
            tokens: vec![],
            recs: vec![],
            to_delete: [None, None],
            to_restore: [None, None],
            exercised: BTreeSet::new(),
            exercised_by: BTreeSet::new(),
            cases: 0,
            denied: vec![],
            serial: 0,
            children: std::collections::BTreeMap::new(),
        }
    }

    fn city(&self) -> &str {
        &self.tokens[0]
    }

    fn unit_id(&self, code: &str) -> i64 {
        self.tree.find(code).unwrap_or_else(|| panic!("unit {code}")).id
    }

    fn in_subtree(&self, top: &str, unit: &str) -> bool {
        self.tree.subtree(self.unit_id(top)).contains(&self.unit_id(unit))
    }

    /// domain.md §1: city_admin and supervisor see all; unit_staff and leader their unit's
    /// subtree; dept_staff the projects that carry a task of their department; the three
    /// administrators no business data.
    fn sees(&self, who: usize, rec: &Rec) -> bool {
        let (_, role, unit) = common::USERS[who];
        match role {
            Role::CityAdmin | Role::Supervisor => true,
            Role::UnitStaff | Role::Leader => self.in_subtree(unit.expect("unit"), rec.unit),
            Role::DeptStaff => rec.task.is_some() && rec.task == unit,
            Role::Sysadmin | Role::Secadmin | Role::Auditor => false,
        }
    }

    /// 401 without a login, 403 without the route's permission; otherwise `then`.
    fn expect(&self, who: Who, method: &Method, template: &str, then: StatusCode) -> StatusCode {
        match (who, route_perm(method, template)) {
            (_, None) => then,
            (None, Some(_)) => StatusCode::UNAUTHORIZED,
            (Some(i), Some(p)) if !domain::access::has_permission(&[role(i)], p) => StatusCode::FORBIDDEN,
            _ => then,
        }
    }

    /// The status of a project route past the permission gate: 404 for an unknown id, 403
    /// out of scope, 404 for a deleted project in scope (all but city_admin), else the
    /// route's answer for a live project or (city_admin) a deleted one.
    fn on_project(&self, who: Who, req: &Req, t: Target, live: StatusCode, deleted: StatusCode) -> StatusCode {
        let then = match (who, t) {
            (None, _) => StatusCode::UNAUTHORIZED,
            (Some(_), Target::Unknown) => StatusCode::NOT_FOUND,
            (Some(i), Target::Rec(r)) => {
                let rec = &self.recs[r];
                if !self.sees(i, rec) {
                    StatusCode::FORBIDDEN
                } else if !rec.deleted {
                    live
                } else if role(i) == Role::CityAdmin {
                    deleted
                } else {
                    StatusCode::NOT_FOUND
                }
            }
        };
        self.expect(who, &req.method, req.template, then)
    }

    /// The version of the record `id` of `collection` as city_admin reads it (1 for the
    /// unknown one).
    async fn version(&self, collection: &str, id: i64) -> i64 {
        if id == UNKNOWN {
            return 1;
        }
        let city = self.city().to_string();
        self.app.get(&format!("{collection}/{id}"), &city).await.1["version"].as_i64().unwrap_or(1)
    }

    /// Send one request of the matrix and assert its status and that its body shows nothing
    /// out of the caller's scope.
    async fn check(&mut self, who: Who, req: Req, expected: StatusCode) -> Value {
        let mut path = req.template.to_string();
        if let Some(id) = req.id {
            path = path.replace("{id}", &id.to_string());
        }
        // a year of 运行监测: this one
        path = path.replace("{year}", &chrono::Datelike::year(&domain::today_shanghai()).to_string());
        assert!(!path.contains('{'), "{path} needs an id");
        let url = if req.query.is_empty() { path.clone() } else { format!("{path}?{}", req.query) };
        let token = match (&req.auth, who) {
            (Auth::Own, Some(i)) => Some(self.tokens[i].clone()),
            (Auth::Token(t), _) => Some(t.clone()),
            (Auth::Own, None) | (Auth::Anonymous, _) => None,
        };
        let (st, res) = self.app.call(req.method.clone(), &url, token.as_deref(), req.body.clone()).await;
        let whom = label(who);
        assert_eq!(st, expected, "{whom} {} {url}: {}", req.method, short(&res.to_string()));
        self.exercised.insert((req.method.as_str().to_lowercase(), req.template.to_string()));
        self.exercised_by.insert((req.method.as_str().to_lowercase(), req.template.to_string(), whom.clone()));
        self.cases += 1;
        if st == StatusCode::FORBIDDEN && token.is_some() {
            self.denied.push(format!("{} {path}", req.method));
        }
        self.no_leak(who, &req, st, &res);
        res
    }

    /// No body shows a project the caller may not see; a refusal shows no project at all.
    /// (The audit log is the auditor's to read whole: that is its purpose.)
    fn no_leak(&self, who: Who, req: &Req, st: StatusCode, res: &Value) {
        let auditor = who.is_some_and(|i| role(i) == Role::Auditor);
        if auditor && st.is_success() && req.template.starts_with(AUDIT) {
            return;
        }
        let text = res.to_string();
        for rec in &self.recs {
            let visible = st.is_success() && who.is_some_and(|i| self.sees(i, rec));
            if visible {
                continue;
            }
            for mark in [&rec.name, &rec.code, &rec.total] {
                assert!(
                    !text.contains(mark.as_str()),
                    "{} {} {} ({st}) shows {mark} of a project out of scope: {}",
                    label(who),
                    req.method,
                    req.template,
                    short(&text)
                );
            }
        }
    }

    /// What a refusal must leave alone: version, deletion, stage and funds of a project.
    async fn fingerprint(&self, id: i64) -> (i32, bool, String, u64) {
        use store::entity::{funds_entry, project};
        let db = self.app.store.db();
        let p = project::Entity::find_by_id(id).one(db).await.unwrap().expect("project row");
        let funds = funds_entry::Entity::find().filter(funds_entry::Column::ProjectId.eq(id)).count(db).await.unwrap();
        (p.version, p.deleted_at.is_some(), p.stage, funds)
    }

    /// A project route on one target: the expected status, and a refusal changes nothing.
    async fn project_case(&mut self, who: Who, req: Req, t: Target, live: StatusCode, deleted: StatusCode) -> Value {
        let expected = self.on_project(who, &req, t, live, deleted);
        let (req, id) = match t {
            Target::Rec(r) => {
                let id = self.recs[r].id;
                (req.id(id), Some(id))
            }
            Target::Unknown => (req.id(UNKNOWN), None),
        };
        let before = match id {
            Some(id) => Some(self.fingerprint(id).await),
            None => None,
        };
        let res = self.check(who, req, expected).await;
        if !expected.is_success()
            && let (Some(id), Some(before)) = (id, before)
        {
            assert_eq!(self.fingerprint(id).await, before, "{} was refused ({expected}) yet changed", label(who));
        }
        res
    }

    /// A project made by city_admin through the API (setup, not a matrix case).
    async fn new_project(&mut self, unit: &'static str, task: bool, deleted: bool) -> usize {
        self.serial += 1;
        let n = self.serial;
        let name = format!("矩阵{}项目{n:03}号", unit_label(unit));
        let total = format!("{}.{:02}", 70_000 + n * 137, n % 100);
        let city = self.city().to_string();
        let p = self.app.project(&city, &name, unit, &total).await;
        let id = p["id"].as_i64().unwrap();
        if task {
            browser::add_task(self.app, id, DEPT).await;
        }
        if deleted {
            let (st, b) = self.app.call(Method::DELETE, &format!("{PROJECTS}/{id}"), Some(&city), None).await;
            assert_eq!(st, StatusCode::NO_CONTENT, "{b}");
        }
        self.register(&p, unit, task);
        self.recs.last_mut().unwrap().deleted = deleted;
        self.recs.len() - 1
    }

    fn register(&mut self, p: &Value, unit: &'static str, task: bool) {
        assert_eq!(p["unit"], unit, "{p}");
        self.recs.push(Rec {
            id: p["id"].as_i64().unwrap(),
            unit,
            task: task.then_some(DEPT),
            name: p["name"].as_str().unwrap().to_string(),
            code: p["code"].as_str().unwrap().to_string(),
            total: p["total_investment"].as_str().unwrap().to_string(),
            deleted: false,
            on_hold: false,
        });
    }

    // ---- the routes ----

    /// Health, login (failures), me, units, and the session routes that leave the session
    /// usable (TOTP setup; a wrong TOTP code and a wrong current password change nothing).
    async fn system_routes(&mut self, who: Who) {
        self.check(who, Req::get(HEALTH), StatusCode::OK).await;
        if who.is_none() {
            for body in [
                json!({"username": "js", "password": "Wrong#2026pw"}),
                json!({"username": "nobody", "password": common::PASSWORD}),
            ] {
                self.check(None, Req::post(LOGIN, body).anonymous(), StatusCode::UNAUTHORIZED).await;
            }
            // every session route refuses a caller without a session
            self.check(None, Req::post(LOGOUT, json!({})), StatusCode::UNAUTHORIZED).await;
        }

        let exp = self.expect(who, &Method::GET, ME, StatusCode::OK);
        let me = self.check(who, Req::get(ME), exp).await;
        if let Some(i) = who {
            let (name, role, unit) = common::USERS[i];
            assert_eq!(me["username"], name);
            assert_eq!(me["roles"], json!([role]));
            assert_eq!(me["unit"]["code"].as_str(), unit, "{me}");
            let perms: Vec<&str> = Permission::ALL
                .iter()
                .filter(|p| domain::access::has_permission(&[role], **p))
                .map(|p| p.code())
                .collect();
            assert_eq!(me["permissions"], json!(perms));
        }

        let exp = self.expect(who, &Method::GET, UNITS, StatusCode::OK);
        let units = self.check(who, Req::get(UNITS), exp).await;
        if let (Some(i), StatusCode::OK) = (who, exp) {
            self.assert_units(i, &units);
        }

        let exp = self.expect(who, &Method::POST, TOTP_SETUP, StatusCode::OK);
        let setup = self.check(who, Req::post(TOTP_SETUP, json!({})), exp).await;
        if exp == StatusCode::OK {
            assert!(setup["secret"].as_str().is_some_and(|s| !s.is_empty()), "{setup}");
        }
        // a malformed code is refused by the handler: the caller got past the gate
        let exp = self.expect(who, &Method::POST, TOTP_ENABLE, StatusCode::UNPROCESSABLE_ENTITY);
        self.check(who, Req::post(TOTP_ENABLE, json!({"code": "12345"})), exp).await;
        let exp = self.expect(who, &Method::POST, PASSWORD, StatusCode::UNPROCESSABLE_ENTITY);
        let body = json!({"current_password": "Wrong#2026pw", "new_password": NEW_PASSWORD});
        let res = self.check(who, Req::post(PASSWORD, body), exp).await;
        if exp == StatusCode::UNPROCESSABLE_ENTITY {
            assert!(res["error"]["fields"]["current_password"].is_string(), "{res}");
        }
    }

    /// "The unit tree in scope": all of it for the city-wide roles and for the system
    /// administrator (who manages users and units); a unit's subtree and the path up to the
    /// root for unit staff and leaders; a department user's own department.
    fn assert_units(&self, who: usize, res: &Value) {
        let (_, role, unit) = common::USERS[who];
        let codes: BTreeSet<String> =
            res["items"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap().to_string()).collect();
        assert_eq!(res["total"], codes.len());
        let all: BTreeSet<String> = self.tree.all().iter().map(|u| u.code.clone()).collect();
        let expected: BTreeSet<String> = match role {
            Role::CityAdmin | Role::Supervisor | Role::Sysadmin => all,
            Role::UnitStaff | Role::Leader => {
                let top = self.unit_id(unit.unwrap());
                let mut keep: BTreeSet<String> =
                    self.tree.subtree(top).iter().map(|u| self.tree.get(*u).unwrap().code.clone()).collect();
                let mut up = self.tree.get(top).and_then(|u| u.parent_id);
                while let Some(p) = up {
                    let u = self.tree.get(p).unwrap();
                    keep.insert(u.code.clone());
                    up = u.parent_id;
                }
                keep
            }
            Role::DeptStaff => BTreeSet::from([unit.unwrap().to_string()]),
            Role::Secadmin | Role::Auditor => unreachable!("no unit:read"),
        };
        assert_eq!(codes, expected, "{} units", label(Some(who)));
    }

    /// Users are the administrators' business for every unit alike (no unit scope): a user
    /// of jinshui and one of erqi answer the same, an unknown id 404.
    async fn user_routes(&mut self, who: Who, targets: [i64; 2]) {
        let exp = self.expect(who, &Method::GET, USERS, StatusCode::OK);
        let list = self.check(who, Req::get(USERS), exp).await;
        if exp == StatusCode::OK {
            let names: Vec<&str> =
                list["items"].as_array().unwrap().iter().filter_map(|u| u["username"].as_str()).collect();
            for (u, _, _) in common::USERS {
                assert!(names.contains(u), "{u} listed");
            }
            assert!(!list.to_string().contains("password_hash") && !list.to_string().contains("$argon2"));
        }

        let me = who.map(|i| common::USERS[i].0).unwrap_or("anon");
        let before = self.app.store.scoped(&store::Actor::system("test")).count_users().await.unwrap();
        let exp = self.expect(who, &Method::POST, USERS, StatusCode::CREATED);
        let body = json!({"username": format!("new_{me}"), "password": "Good#2026pw", "unit": "erqi"});
        self.check(who, Req::post(USERS, body), exp).await;
        let after = self.app.store.scoped(&store::Actor::system("test")).count_users().await.unwrap();
        assert_eq!(after, before + u64::from(exp == StatusCode::CREATED), "{} POST {USERS}", label(who));

        for id in [targets[0], targets[1], UNKNOWN] {
            let found = if id == UNKNOWN { StatusCode::NOT_FOUND } else { StatusCode::OK };
            let before = self.user_fingerprint(id).await;
            let exp = self.expect(who, &Method::PATCH, USER, found);
            let body = json!({"display_name": format!("改名{me}")});
            self.check(who, Req::new(Method::PATCH, USER).id(id).body(body), exp).await;
            if exp != StatusCode::OK {
                assert_eq!(self.user_fingerprint(id).await, before, "{} PATCH {USER} changed it", label(who));
            }
            let before = self.user_fingerprint(id).await;
            let exp = self.expect(who, &Method::PUT, USER_ROLES, found);
            let body = json!({"roles": ["leader"]});
            self.check(who, Req::new(Method::PUT, USER_ROLES).id(id).body(body), exp).await;
            if exp != StatusCode::OK {
                assert_eq!(self.user_fingerprint(id).await, before, "{} PUT {USER_ROLES} changed it", label(who));
            }
        }
    }

    async fn user_fingerprint(&self, id: i64) -> Option<String> {
        let users = self.app.store.scoped(&store::Actor::system("test")).list_users().await.unwrap();
        users.iter().find(|u| u.id == id).map(|u| format!("{}|{:?}|{}", u.display_name, u.roles, u.version))
    }

    /// Companies are shared by every business role (domain.md §3): the one jinshui's staff
    /// entered and the one erqi's staff entered read the same for everyone.
    async fn company_routes(&mut self, who: Who, companies: [i64; 2]) {
        let exp = self.expect(who, &Method::GET, COMPANIES, StatusCode::OK);
        let list = self.check(who, Req::get(COMPANIES).query("per_page=500"), exp).await;
        if exp == StatusCode::OK {
            let ids = item_ids(&list);
            assert!(companies.iter().all(|c| ids.contains(c)), "{} company list: {list}", label(who));
        }
        for id in [companies[0], companies[1], UNKNOWN] {
            let found = if id == UNKNOWN { StatusCode::NOT_FOUND } else { StatusCode::OK };
            let exp = self.expect(who, &Method::GET, COMPANY, found);
            let c = self.check(who, Req::get(COMPANY).id(id), exp).await;
            if exp == StatusCode::OK {
                assert_eq!(c["id"], id);
            }
        }
        let me = who.map(|i| common::USERS[i].0).unwrap_or("anon");
        let exp = self.expect(who, &Method::POST, COMPANIES, StatusCode::CREATED);
        self.check(who, Req::post(COMPANIES, json!({"name": format!("共享企业{me}")})), exp).await;

        // contacts: jinshui's contact on the first company; its phone is jinshui's staff's
        // and the city's to read, masked for everyone else
        for id in [companies[0], UNKNOWN] {
            let found = if id == UNKNOWN { StatusCode::NOT_FOUND } else { StatusCode::OK };
            let exp = self.expect(who, &Method::GET, CONTACTS, found);
            let list = self.check(who, Req::get(CONTACTS).id(id), exp).await;
            if exp == StatusCode::OK {
                let open = who.is_some_and(|i| {
                    role(i) == Role::CityAdmin || (role(i) == Role::UnitStaff && common::USERS[i].2 == Some("jinshui"))
                });
                let phone = if open { "13812341234" } else { "138****1234" };
                let first = list["items"].as_array().and_then(|a| a.first()).cloned().unwrap_or_default();
                assert_eq!(first["phone"], phone, "{}: {list}", label(who));
            }
            let created = if id == UNKNOWN { StatusCode::NOT_FOUND } else { StatusCode::CREATED };
            let exp = self.expect(who, &Method::POST, CONTACTS, created);
            self.check(who, Req::post(CONTACTS, json!({"name": format!("矩阵联系人{me}")})).id(id), exp).await;
        }

        // ranks by year: every business reader, a company of any unit; the list as Excel
        for id in [companies[0], companies[1], UNKNOWN] {
            let found = if id == UNKNOWN { StatusCode::NOT_FOUND } else { StatusCode::OK };
            let exp = self.expect(who, &Method::GET, RANKINGS, found);
            self.check(who, Req::get(RANKINGS).id(id), exp).await;
        }
        let exp = self.expect(who, &Method::GET, COMPANY_EXPORT, StatusCode::OK);
        self.check(who, Req::get(COMPANY_EXPORT), exp).await;
        // a ranking list: city_admin only; it names a company already in the library
        let exp = self.expect(who, &Method::POST, RANKING_IMPORT, StatusCode::OK);
        let csv = "排名,公司名称,国家/地区\n1,金水录入企业,中国\n".as_bytes();
        let parts = [
            common::Part::text("list", "china_500"),
            common::Part::text("year", "2024"),
            common::Part { name: "file", file_name: Some("榜单.csv"), bytes: csv },
        ];
        let token = who.map(|i| self.tokens[i].clone());
        let before = store::entity::company::Entity::find().count(self.app.store.db()).await.unwrap();
        let (st, res) = self.app.post_multipart(RANKING_IMPORT, token.as_deref(), &parts).await;
        let whom = label(who);
        assert_eq!(st, exp, "{whom} POST {RANKING_IMPORT}: {}", short(&res.to_string()));
        if st == StatusCode::OK {
            assert_eq!((res["matched"].as_u64(), res["created"].as_u64()), (Some(1), Some(0)), "{whom}: {res}");
        }
        let after = store::entity::company::Entity::find().count(self.app.store.db()).await.unwrap();
        assert_eq!(after, before, "{whom} POST {RANKING_IMPORT}: no company registered");
        self.exercised.insert(("post".into(), RANKING_IMPORT.into()));
        self.exercised_by.insert(("post".into(), RANKING_IMPORT.into(), whom.clone()));
        self.cases += 1;
        if st == StatusCode::FORBIDDEN && token.is_some() {
            self.denied.push(format!("POST {RANKING_IMPORT}"));
        }
        self.no_leak(who, &Req::new(Method::POST, RANKING_IMPORT), st, &res);
    }

    /// The Excel export: the status by permission, and (read back cell by cell, since the
    /// body is a compressed workbook) exactly the live projects the caller may see.
    async fn export_routes(&mut self, who: Who) {
        let exp = self.expect(who, &Method::GET, EXPORT, StatusCode::OK);
        self.check(who, Req::get(EXPORT), exp).await;
        if exp != StatusCode::OK {
            return;
        }
        let Some(i) = who else { return };
        let res = self
            .app
            .client
            .get(format!("{}{EXPORT}", self.app.base))
            .bearer_auth(&self.tokens[i])
            .send()
            .await
            .unwrap();
        let cells = common::xlsx_cells(res).await;
        for rec in &self.recs {
            let shown = cells.contains(&rec.name);
            let expected = self.sees(i, rec) && !rec.deleted;
            assert_eq!(shown, expected, "{} export shows {}: {shown}", label(who), rec.name);
        }
    }

    /// The import (a dry run of one CSV row for 金水区 and one for 二七区, so nothing changes):
    /// the status by permission, and the other unit's row refused as out of scope.
    async fn import_routes(&mut self, who: Who) {
        let exp = self.expect(who, &Method::GET, TEMPLATE, StatusCode::OK);
        self.check(who, Req::get(TEMPLATE), exp).await;
        let exp = self.expect(who, &Method::POST, IMPORT, StatusCode::OK);
        let csv = "项目名称,责任单位,产业类别,投资方来源地,总投资(万元),项目阶段\n矩阵导入甲,金水区,智能终端,长三角(沪苏浙皖),100,谋划/储备\n矩阵导入乙,二七区,智能终端,长三角(沪苏浙皖),100,谋划/储备\n";
        let boundary = "matrix-boundary";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.csv\"\r\n\r\n{csv}\r\n--{boundary}--\r\n"
        );
        let mut rb = self
            .app
            .client
            .post(format!("{}{IMPORT}?dry_run=true", self.app.base))
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(body);
        if let Some(i) = who {
            rb = rb.bearer_auth(&self.tokens[i]);
        }
        let res = rb.send().await.unwrap();
        let st = res.status();
        let body: Value = serde_json::from_str(&res.text().await.unwrap()).unwrap_or(Value::Null);
        let whom = label(who);
        // a department user holds project:write? then its scope refuses the import as a whole
        let dept = who.is_some_and(|i| role(i) == Role::DeptStaff);
        let exp = if exp == StatusCode::OK && dept { StatusCode::FORBIDDEN } else { exp };
        assert_eq!(st, exp, "{whom} POST {IMPORT}: {body}");
        self.exercised.insert(("post".into(), IMPORT.into()));
        self.exercised_by.insert(("post".into(), IMPORT.into(), whom.clone()));
        self.cases += 1;
        if st == StatusCode::FORBIDDEN && who.is_some() {
            self.denied.push(format!("POST {IMPORT}"));
        }
        if st == StatusCode::OK {
            let errors = body["errors"].as_array().unwrap();
            let i = who.unwrap_or_default();
            let city_wide = matches!(role(i), Role::CityAdmin | Role::Supervisor);
            for (row, unit) in [(2, "jinshui"), (3, "erqi")] {
                let refused =
                    errors.iter().any(|e| e["row"] == row && e["message"].as_str().unwrap_or("").contains("无权"));
                let mine = city_wide || common::USERS[i].2 == Some(unit);
                assert_eq!(refused, !mine, "{whom}: the {unit} row {body}");
            }
            assert_eq!(body["committed"], false);
        }
    }

    /// 预警, 督办 and 月报: by permission, then by the unit of the 督办 item (jinshui's
    /// project `rec`) or of the month confirmed (jinshui); an unknown item is 404.
    async fn warning_routes(&mut self, who: Who, rec: usize, sup: i64) {
        let ok = StatusCode::OK;
        for t in [WARNINGS, SUPERVISIONS, MONTHLY] {
            let exp = self.expect(who, &Method::GET, t, ok);
            self.check(who, Req::get(t), exp).await;
        }
        let month = domain::Month::of(domain::today_shanghai()).prev().to_string();
        let jinshui = |i: usize| common::USERS[i].2 == Some("jinshui");
        let body = json!({"unit": "jinshui", "month": month});
        let then = match who {
            Some(i) if !jinshui(i) => StatusCode::FORBIDDEN,
            _ => StatusCode::CREATED,
        };
        let exp = self.expect(who, &Method::POST, MONTHLY, then);
        self.check(who, Req::post(MONTHLY, body), exp).await;
        let id = self.recs[rec].id;
        let body = json!({"project_id": id, "deadline": "2099-12-31", "instruction": "矩阵督办"});
        let exp = self.expect(who, &Method::POST, SUPERVISIONS, StatusCode::CREATED);
        self.check(who, Req::post(SUPERVISIONS, body), exp).await;
        for (target, unknown) in [(sup, false), (UNKNOWN, true)] {
            let then = match who {
                _ if unknown => StatusCode::NOT_FOUND,
                Some(i) if role(i) == Role::UnitStaff && !jinshui(i) => StatusCode::FORBIDDEN,
                _ => ok,
            };
            let exp = self.expect(who, &Method::POST, SUP_REPLY, then);
            self.check(who, Req::post(SUP_REPLY, json!({"reply": "矩阵答复"})).id(target), exp).await;
            let exp = self.expect(who, &Method::POST, SUP_CLOSE, if unknown { StatusCode::NOT_FOUND } else { ok });
            self.check(who, Req::post(SUP_CLOSE, json!({})).id(target), exp).await;
        }
    }

    /// A target of `unit` courting a new company, made by city_admin (setup, not a case).
    async fn new_target(&mut self, unit: &str) -> i64 {
        self.serial += 1;
        let city = self.city().to_string();
        let (st, c) = self.app.post(COMPANIES, &city, json!({"name": format!("矩阵靶向企业{:03}", self.serial)})).await;
        assert_eq!(st, StatusCode::CREATED, "{c}");
        let body = json!({"company_id": c["id"], "unit": unit, "industry": "electronics"});
        let (st, t) = self.app.post(TARGETS, &city, body).await;
        assert_eq!(st, StatusCode::CREATED, "{t}");
        t["id"].as_i64().unwrap()
    }

    /// 靶向项目库: a target is its unit's (domain.md §1: a unit reads and writes its own
    /// subtree's; city_admin and the supervisor read all; the city-wide view is theirs).
    /// `targets`: jinshui's and erqi's, courting the same company.
    async fn target_routes(&mut self, who: Who, targets: [i64; 2]) {
        let (ok, created) = (StatusCode::OK, StatusCode::CREATED);
        let unit_of = ["jinshui", "erqi"];
        // in scope: city-wide roles see both; a unit (or its leader) only its own
        let sees = |who: Who, k: usize| sees_unit(who, unit_of[k]);
        let exp = self.expect(who, &Method::GET, TARGETS, ok);
        let list = self.check(who, Req::get(TARGETS), exp).await;
        if exp == ok {
            let ids = item_ids(&list);
            for (k, t) in targets.iter().enumerate() {
                assert_eq!(ids.contains(t), sees(who, k), "{} target list: {list}", label(who));
            }
        }
        let city_wide = who.is_some_and(|i| matches!(role(i), Role::CityAdmin | Role::Supervisor));
        let exp = self.expect(who, &Method::GET, TGT_SHARED, if city_wide { ok } else { StatusCode::FORBIDDEN });
        self.check(who, Req::get(TGT_SHARED), exp).await;
        let today = domain::today_shanghai().to_string();
        let me = who.map(|i| common::USERS[i].0).unwrap_or("anon");
        let city = self.city().to_string();
        for k in [0, 1, 2] {
            let (id, then) = case(&targets, k, |k| sees(who, k));
            let write = |st: StatusCode| if st == ok { created } else { st };
            for t in [TGT, TGT_FOLLOW_UPS] {
                let exp = self.expect(who, &Method::GET, t, then);
                self.check(who, Req::get(t).id(id), exp).await;
            }
            let body = json!({"date": today, "channel": "phone", "summary": format!("矩阵跟进{me}")});
            let exp = self.expect(who, &Method::POST, TGT_FOLLOW_UPS, write(then));
            self.check(who, Req::post(TGT_FOLLOW_UPS, body).id(id), exp).await;
            // drop it and take it up again: two legal moves for every caller let through
            for (to, reason) in [("dropped", Some("矩阵放弃")), ("watching", None)] {
                let version = self.version(TARGETS, id).await;
                let body = json!({"status": to, "drop_reason": reason, "version": version});
                let exp = self.expect(who, &Method::POST, TGT_STATUS, then);
                self.check(who, Req::post(TGT_STATUS, body).id(id), exp).await;
            }
        }
        // create: in jinshui's unit; convert: a fresh target of each unit and an unknown one
        let (st, c) = self.app.post(COMPANIES, &city, json!({"name": format!("矩阵新靶向{me}")})).await;
        assert_eq!(st, StatusCode::CREATED, "{c}");
        let body = json!({"company_id": c["id"], "unit": "jinshui", "industry": "electronics"});
        let then = if sees(who, 0) { created } else { StatusCode::FORBIDDEN };
        let exp = self.expect(who, &Method::POST, TARGETS, then);
        self.check(who, Req::post(TARGETS, body), exp).await;
        let fresh = [self.new_target("jinshui").await, self.new_target("erqi").await, UNKNOWN];
        for (k, id) in fresh.into_iter().enumerate() {
            let then = match k {
                2 => StatusCode::NOT_FOUND,
                _ if sees(who, k) => created,
                _ => StatusCode::FORBIDDEN,
            };
            self.serial += 1;
            // distinct figures, so the leak check can tell this project from the others
            let total = format!("{}.{:02}", 90_000 + self.serial * 137, self.serial % 100);
            let name = format!("矩阵靶向转化项目{me}{k}");
            let body = json!({"name": name, "region": "pearl", "total_investment": total, "version": 1});
            let exp = self.expect(who, &Method::POST, TGT_CONVERT, then);
            let res = self.check(who, Req::post(TGT_CONVERT, body).id(id), exp).await;
            if exp == created {
                // the new project is one the other cases count
                assert_eq!(res["target"]["project_id"], res["project"]["id"], "{res}");
                self.register(&res["project"], ["jinshui", "erqi"][k], false);
            }
        }
    }

    /// A new inquiry of `unit`, taken down by city_admin.
    async fn new_inquiry(&mut self, unit: &str) -> i64 {
        self.serial += 1;
        let city = self.city().to_string();
        let body = json!({"company_name": format!("矩阵咨询企业{:03}", self.serial), "contact": "联系人",
                          "interest": "咨询用地政策", "unit": unit, "received_at": domain::today_shanghai().to_string()});
        let (st, i) = self.app.post(INQUIRIES, &city, body).await;
        assert_eq!(st, StatusCode::CREATED, "{i}");
        i["id"].as_i64().unwrap()
    }

    /// 投资咨询: an inquiry is its unit's, like a target (a unit and its leader its own
    /// subtree's; city_admin and the supervisor all). `inquiries`: jinshui's and erqi's.
    async fn inquiry_routes(&mut self, who: Who, inquiries: [i64; 2]) {
        let (ok, created) = (StatusCode::OK, StatusCode::CREATED);
        let unit_of = ["jinshui", "erqi"];
        let sees = |who: Who, k: usize| sees_unit(who, unit_of[k]);
        let exp = self.expect(who, &Method::GET, INQUIRIES, ok);
        let list = self.check(who, Req::get(INQUIRIES), exp).await;
        if exp == ok {
            let ids = item_ids(&list);
            for (k, t) in inquiries.iter().enumerate() {
                assert_eq!(ids.contains(t), sees(who, k), "{} inquiry list: {list}", label(who));
            }
        }
        for k in [0, 1, 2] {
            let (id, then) = case(&inquiries, k, |k| sees(who, k));
            let exp = self.expect(who, &Method::GET, INQ, then);
            self.check(who, Req::get(INQ).id(id), exp).await;
        }
        let me = who.map(|i| common::USERS[i].0).unwrap_or("anon");
        let body = json!({"company_name": format!("矩阵登记咨询{me}"), "contact": "联系人", "interest": "咨询政策",
                          "unit": "jinshui", "received_at": domain::today_shanghai().to_string()});
        let then = if sees(who, 0) { created } else { StatusCode::FORBIDDEN };
        let exp = self.expect(who, &Method::POST, INQUIRIES, then);
        self.check(who, Req::post(INQUIRIES, body), exp).await;
        // answer: a fresh inquiry of each unit (an inquiry is answered once) and an unknown one
        let fresh = [self.new_inquiry("jinshui").await, self.new_inquiry("erqi").await, UNKNOWN];
        for (k, id) in fresh.into_iter().enumerate() {
            let then = match k {
                2 => StatusCode::NOT_FOUND,
                _ if sees(who, k) => ok,
                _ => StatusCode::FORBIDDEN,
            };
            let body = json!({"answer": format!("矩阵答复{me}"), "version": 1});
            let exp = self.expect(who, &Method::POST, INQ_ANSWER, then);
            self.check(who, Req::post(INQ_ANSWER, body).id(id), exp).await;
        }
    }

    /// A leader of the register made by city_admin (setup, not a matrix case).
    async fn new_leader(&mut self, unit: &str, level: &str) -> i64 {
        self.serial += 1;
        let city = self.city().to_string();
        let body =
            json!({"name": format!("矩阵领导{:03}", self.serial), "position": "领导", "unit": unit, "level": level});
        let (st, l) = self.app.post(LEADERS, &city, body).await;
        assert_eq!(st, StatusCode::CREATED, "{l}");
        l["id"].as_i64().unwrap()
    }

    /// 领导名录: everyone with leader:read sees the city leaders and the leaders of the units
    /// in scope; city_admin writes all, a unit's staff its own unit's (not a city leader).
    /// `leaders`: jinshui's, erqi's and a city leader.
    async fn leader_routes(&mut self, who: Who, leaders: [i64; 3]) {
        let (ok, created) = (StatusCode::OK, StatusCode::CREATED);
        let unit_of = [Some("jinshui"), Some("erqi"), None];
        let sees = |who: Who, k: usize| match who {
            Some(i) => {
                matches!(role(i), Role::CityAdmin | Role::Supervisor) || k == 2 || common::USERS[i].2 == unit_of[k]
            }
            None => false,
        };
        let writes = |who: Who, k: usize| match who {
            Some(i) => role(i) == Role::CityAdmin || (k < 2 && common::USERS[i].2 == unit_of[k]),
            None => false,
        };
        let exp = self.expect(who, &Method::GET, LEADERS, ok);
        let list = self.check(who, Req::get(LEADERS).query("per_page=500"), exp).await;
        if exp == ok {
            let ids = item_ids(&list);
            for (k, l) in leaders.iter().enumerate() {
                assert_eq!(ids.contains(l), sees(who, k), "{} leader list: {list}", label(who));
            }
        }
        for k in 0..4 {
            let id = leaders.get(k).copied().unwrap_or(UNKNOWN);
            let read = match k {
                3 => StatusCode::NOT_FOUND,
                _ if sees(who, k) => ok,
                _ => StatusCode::FORBIDDEN,
            };
            let exp = self.expect(who, &Method::GET, LEADER, read);
            self.check(who, Req::get(LEADER).id(id), exp).await;
            let write = match k {
                3 => StatusCode::NOT_FOUND,
                _ if writes(who, k) => ok,
                _ => StatusCode::FORBIDDEN,
            };
            let version = self.version(LEADERS, id).await;
            let exp = self.expect(who, &Method::PATCH, LEADER, write);
            let body = json!({"active": true, "version": version});
            self.check(who, Req::new(Method::PATCH, LEADER).id(id).body(body), exp).await;
        }
        self.serial += 1;
        let body = json!({"name": format!("矩阵新领导{:03}", self.serial), "position": "副区长", "unit": "jinshui", "level": "unit_deputy"});
        let exp =
            self.expect(who, &Method::POST, LEADERS, if writes(who, 0) { created } else { StatusCode::FORBIDDEN });
        self.check(who, Req::post(LEADERS, body), exp).await;
    }

    /// A draft bulletin of stored run `run` made by city_admin (setup, not a matrix case).
    async fn new_bulletin(&mut self, run: i64) -> i64 {
        self.serial += 1;
        let city = self.city().to_string();
        let body = json!({"run_id": run, "number": format!("郑商通〔2026〕{}号", 100 + self.serial), "title": "矩阵通报", "date": "2026-01-10"});
        let (st, b) = self.app.post(BULLETINS, &city, body).await;
        assert_eq!(st, StatusCode::CREATED, "{b}");
        b["id"].as_i64().unwrap()
    }

    /// 通报: bulletin:read lists and reads the published ones (city_admin also its drafts —
    /// a draft is 404 to everyone else), verifies and exports a published one (a draft: 409
    /// for the city); bulletin:write (city_admin) drafts and publishes (again: 409).
    /// `run`: a stored run; `published`: a published bulletin; `draft`: a draft.
    async fn bulletin_routes(&mut self, who: Who, run: i64, published: i64, draft: i64) {
        let ok = StatusCode::OK;
        let city = matches!(who, Some(i) if role(i) == Role::CityAdmin);
        let exp = self.expect(who, &Method::GET, BULLETINS, ok);
        let list = self.check(who, Req::get(BULLETINS).query("per_page=500"), exp).await;
        if exp == ok {
            let ids = item_ids(&list);
            assert!(ids.contains(&published), "{} bulletins: {list}", label(who));
            assert_eq!(ids.contains(&draft), city, "{} sees the draft: {list}", label(who));
        }
        let hidden = if city { ok } else { StatusCode::NOT_FOUND };
        for (id, then) in [(published, ok), (draft, hidden), (UNKNOWN, StatusCode::NOT_FOUND)] {
            let exp = self.expect(who, &Method::GET, BULLETIN, then);
            self.check(who, Req::get(BULLETIN).id(id), exp).await;
        }
        let draft_verify = if city { StatusCode::CONFLICT } else { StatusCode::NOT_FOUND };
        for (id, then) in [(published, ok), (draft, draft_verify), (UNKNOWN, StatusCode::NOT_FOUND)] {
            let exp = self.expect(who, &Method::GET, BULLETIN_VERIFY, then);
            self.check(who, Req::get(BULLETIN_VERIFY).id(id), exp).await;
        }
        for (id, then) in [(published, ok), (draft, draft_verify)] {
            let exp = self.expect(who, &Method::GET, BULLETIN_EXPORT, then);
            self.check(who, Req::get(BULLETIN_EXPORT).id(id), exp).await;
        }
        self.serial += 1;
        let body = json!({"run_id": run, "number": format!("郑商通〔2026〕{}号", 100 + self.serial), "title": "矩阵新通报", "date": "2026-01-10"});
        let exp = self.expect(who, &Method::POST, BULLETINS, StatusCode::CREATED);
        let made = self.check(who, Req::post(BULLETINS, body), exp).await;
        // publishing: the new draft (city_admin), the published one again (409), an unknown one
        let fresh = made["id"].as_i64().unwrap_or(draft);
        for (id, then) in [(fresh, ok), (published, StatusCode::CONFLICT), (UNKNOWN, StatusCode::NOT_FOUND)] {
            let exp = self.expect(who, &Method::POST, BULLETIN_PUBLISH, then);
            self.check(who, Req::post(BULLETIN_PUBLISH, json!({})).id(id), exp).await;
        }
    }

    /// A 招商活动 of `unit` made by city_admin (setup, not a matrix case).
    async fn new_activity(&mut self, unit: &str) -> i64 {
        self.serial += 1;
        let city = self.city().to_string();
        let body = json!({"title": format!("矩阵活动{:03}", self.serial), "kind": "talks", "start_on": "2026-05-01",
            "region": "yangtze", "city": "上海", "unit": unit});
        let (st, a) = self.app.post(ACTIVITIES, &city, body).await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        a["id"].as_i64().unwrap()
    }

    /// 招商活动: an activity is its organising unit's (a unit reads and writes its subtree's;
    /// city_admin and the supervisor read all). `acts`: jinshui's and erqi's.
    async fn activity_routes(&mut self, who: Who, acts: [i64; 2]) {
        let (ok, created) = (StatusCode::OK, StatusCode::CREATED);
        let unit_of = ["jinshui", "erqi"];
        let sees = |who: Who, k: usize| sees_unit(who, unit_of[k]);
        let exp = self.expect(who, &Method::GET, ACTIVITIES, ok);
        let list = self.check(who, Req::get(ACTIVITIES).query("per_page=500"), exp).await;
        if exp == ok {
            let ids = item_ids(&list);
            for (k, a) in acts.iter().enumerate() {
                assert_eq!(ids.contains(a), sees(who, k), "{} activity list: {list}", label(who));
            }
        }
        let exp = self.expect(who, &Method::GET, ACT_COUNTS, ok);
        let counts = self.check(who, Req::get(ACT_COUNTS).query("from=2026-01-01&to=2026-12-31"), exp).await;
        if exp == ok {
            let units: Vec<&str> =
                counts["by_unit"].as_array().unwrap().iter().filter_map(|u| u["unit"].as_str()).collect();
            for (k, u) in unit_of.iter().enumerate() {
                assert_eq!(units.contains(u), sees(who, k), "{} counts: {counts}", label(who));
            }
        }
        let me = who.map(|i| common::USERS[i].0).unwrap_or("anon");
        for k in 0..3 {
            let (id, then) = case(&acts, k, |k| sees(who, k));
            let exp = self.expect(who, &Method::GET, ACTIVITY, then);
            self.check(who, Req::get(ACTIVITY).id(id), exp).await;
            let version = self.version(ACTIVITIES, id).await;
            let body = json!({"summary": format!("矩阵修改{me}"), "version": version});
            let exp = self.expect(who, &Method::PATCH, ACTIVITY, then);
            self.check(who, Req::new(Method::PATCH, ACTIVITY).id(id).body(body), exp).await;
        }
        let body = json!({"title": format!("矩阵新活动{me}"), "kind": "promotion", "start_on": "2026-06-01",
            "region": "pearl", "city": "深圳", "unit": "jinshui"});
        let exp =
            self.expect(who, &Method::POST, ACTIVITIES, if sees(who, 0) { created } else { StatusCode::FORBIDDEN });
        self.check(who, Req::post(ACTIVITIES, body), exp).await;
    }

    /// A paid intermediary of `unit` made by city_admin (setup, not a matrix case).
    async fn new_ambassador(&mut self, unit: &str) -> i64 {
        self.serial += 1;
        let city = self.city().to_string();
        let (st, a) =
            self.app.post(AMBASSADORS, &city, ambassador_body(&format!("矩阵中介{:03}", self.serial), unit)).await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
        a["id"].as_i64().unwrap()
    }

    /// 招商大使/中介机构: a record is its unit's, like an inquiry (a unit and its leader its own
    /// subtree's; city_admin and the supervisor all). `ambs`: jinshui's and erqi's.
    async fn ambassador_routes(&mut self, who: Who, ambs: [i64; 2]) {
        let (ok, created) = (StatusCode::OK, StatusCode::CREATED);
        let unit_of = ["jinshui", "erqi"];
        let sees = |who: Who, k: usize| sees_unit(who, unit_of[k]);
        let exp = self.expect(who, &Method::GET, AMBASSADORS, ok);
        let list = self.check(who, Req::get(AMBASSADORS).query("per_page=500"), exp).await;
        if exp == ok {
            let ids = item_ids(&list);
            for (k, a) in ambs.iter().enumerate() {
                assert_eq!(ids.contains(a), sees(who, k), "{} ambassador list: {list}", label(who));
            }
        }
        let me = who.map(|i| common::USERS[i].0).unwrap_or("anon");
        for k in 0..3 {
            let (id, then) = case(&ambs, k, |k| sees(who, k));
            let exp = self.expect(who, &Method::GET, AMB, then);
            self.check(who, Req::get(AMB).id(id), exp).await;
            let version = self.version(AMBASSADORS, id).await;
            let mut body = ambassador_body(&format!("矩阵修改{me}"), unit_of[k % 2]);
            body["version"] = json!(version);
            let exp = self.expect(who, &Method::PUT, AMB, then);
            self.check(who, Req::new(Method::PUT, AMB).id(id).body(body), exp).await;
            let exp = self.expect(who, &Method::POST, AMB_LEADS, then);
            self.check(who, Req::post(AMB_LEADS, json!({"target_ids": [], "project_ids": []})).id(id), exp).await;
            // past the scope, a project that is not its lead: 422
            let unprocessable = if then == ok { StatusCode::UNPROCESSABLE_ENTITY } else { then };
            let body = json!({"project_id": UNKNOWN, "amount": "1", "paid_on": domain::today_shanghai().to_string()});
            let exp = self.expect(who, &Method::POST, AMB_PAYOUTS, unprocessable);
            self.check(who, Req::post(AMB_PAYOUTS, body).id(id), exp).await;
        }
        let then = if sees(who, 0) { created } else { StatusCode::FORBIDDEN };
        let exp = self.expect(who, &Method::POST, AMBASSADORS, then);
        self.check(who, Req::post(AMBASSADORS, ambassador_body(&format!("矩阵新中介{me}"), "jinshui")), exp).await;
    }

    /// A stored scheme (the shipped annual one) and a run of it, made by city_admin (setup).
    async fn new_run(&mut self) -> (i64, i64) {
        let city = self.city().to_string();
        let (st, s) = self.app.post(SCHEMES, &city, json!({"toml": domain::assessment::defaults::ANNUAL})).await;
        assert_eq!(st, StatusCode::CREATED, "{s}");
        let scheme = s["id"].as_i64().unwrap();
        let (st, r) = self.app.post(RUN, &city, json!({"scheme_id": scheme})).await;
        assert_eq!(st, StatusCode::CREATED, "{r}");
        (scheme, r["id"].as_i64().unwrap())
    }

    /// 考核: schemes and runs are the city's (city_admin and the supervisor read and run;
    /// only city_admin saves schemes and enters values); a unit's staff and leader read the
    /// manual values and 加减分 of their own units, and no run before a bulletin publishes it.
    async fn assessment_routes(&mut self, who: Who, scheme: i64, run: i64) {
        let (ok, created, forbidden) = (StatusCode::OK, StatusCode::CREATED, StatusCode::FORBIDDEN);
        let city_wide = matches!(who, Some(i) if matches!(role(i), Role::CityAdmin | Role::Supervisor));
        let wide = |then: StatusCode| if city_wide { then } else { forbidden };
        let city = self.city().to_string();
        for (template, id, then) in [
            (SCHEMES, None, ok),
            (SCHEME, Some(scheme), ok),
            (SCHEME, Some(UNKNOWN), StatusCode::NOT_FOUND),
            (RUNS, None, ok),
            (RUN_ONE, Some(run), ok),
        ] {
            let exp = self.expect(who, &Method::GET, template, wide(then));
            let mut req = Req::get(template);
            if let Some(id) = id {
                req = req.id(id);
            }
            self.check(who, req, exp).await;
        }
        // an unknown run is 404 for every reader, before any question of publication
        let exp = self.expect(who, &Method::GET, RUN_ONE, StatusCode::NOT_FOUND);
        self.check(who, Req::get(RUN_ONE).id(UNKNOWN), exp).await;
        let exp = self.expect(who, &Method::GET, RUN_RECORDS, wide(ok));
        self.check(who, Req::get(RUN_RECORDS).id(run).query("unit=jinshui&indicator=funds_domestic"), exp).await;
        let exp = self.expect(who, &Method::GET, RUN_COMPARE, wide(ok));
        self.check(who, Req::get(RUN_COMPARE).id(run).query(&format!("with={run}")), exp).await;
        let exp = self.expect(who, &Method::POST, RUN, wide(created));
        self.check(who, Req::post(RUN, json!({"scheme_id": scheme})), exp).await;
        let exp = self.expect(who, &Method::POST, SCHEMES, created);
        self.check(who, Req::post(SCHEMES, json!({"toml": domain::assessment::defaults::ANNUAL})), exp).await;

        // the period's entries: read in scope (a department has no scope of units: 403)
        let period = "from=2026-01-01&to=2026-12-31";
        let unit_reader = matches!(who, Some(i) if role(i) != Role::DeptStaff);
        for template in [MANUAL, ADJUSTMENTS] {
            let exp = self.expect(who, &Method::GET, template, if unit_reader { ok } else { forbidden });
            self.check(who, Req::get(template).query(period), exp).await;
        }
        let body = json!({"unit": "jinshui", "measure": "satisfaction", "from": "2026-01-01", "to": "2026-12-31",
            "value": "0.9", "source": "矩阵问卷"});
        let exp = self.expect(who, &Method::PUT, MANUAL, ok);
        self.check(who, Req::new(Method::PUT, MANUAL).body(body), exp).await;
        let body = json!({"unit": "erqi", "from": "2026-01-01", "to": "2026-12-31", "kind": "bonus",
            "points": "1", "reason": "矩阵加分"});
        let exp = self.expect(who, &Method::POST, ADJUSTMENTS, created);
        self.check(who, Req::post(ADJUSTMENTS, body.clone()), exp).await;
        let (st, a) = self.app.post(ADJUSTMENTS, &city, body).await;
        assert_eq!(st, created, "{a}");
        let entry = a["id"].as_i64().unwrap();
        for (id, then) in [(entry, ok), (UNKNOWN, StatusCode::NOT_FOUND)] {
            let exp = self.expect(who, &Method::DELETE, ADJUSTMENT, then);
            self.check(who, Req::new(Method::DELETE, ADJUSTMENT).id(id), exp).await;
        }
    }

    /// 十大项目 and the 五职 table: `assessment:read` in scope (a unit and its leader their
    /// subtree's candidates and leaders); the pick city_admin's (an empty one: 422).
    async fn top10_routes(&mut self, who: Who) {
        let ok = StatusCode::OK;
        let unit = who.and_then(|i| match role(i) {
            Role::UnitStaff | Role::Leader => common::USERS[i].2,
            _ => None,
        });
        let exp = self.expect(who, &Method::GET, TOP10, ok);
        let y = self.check(who, Req::get(TOP10), exp).await;
        if let (true, Some(u)) = (exp == ok, unit) {
            for c in y["candidates"].as_array().unwrap() {
                assert_eq!(c["unit"].as_str(), Some(u), "{} top10: {y}", label(who));
            }
        }
        let exp = self.expect(who, &Method::PUT, TOP10, StatusCode::UNPROCESSABLE_ENTITY);
        self.check(who, Req::new(Method::PUT, TOP10).body(json!({"picks": []})), exp).await;
        let exp = self.expect(who, &Method::GET, LEADER_TABLE, ok);
        let t = self.check(who, Req::get(LEADER_TABLE).query("from=2026-01-01&to=2026-12-31"), exp).await;
        if let (true, Some(u)) = (exp == ok, unit) {
            for r in t["items"].as_array().unwrap() {
                let at = r["unit"].as_str().unwrap_or("");
                assert!(at == u || at == "zhengzhou", "{} leader table: {t}", label(who));
            }
        }
    }

    async fn audit_routes(&mut self, who: Who) {
        for t in [AUDIT, AUDIT_VERIFY, AUDIT_LOGINS] {
            let exp = self.expect(who, &Method::GET, t, StatusCode::OK);
            let res = self.check(who, Req::get(t), exp).await;
            if exp == StatusCode::OK && t == AUDIT_VERIFY {
                assert_eq!(res["ok"], true, "{res}");
            }
        }
    }

    /// Every route on one project, for the records in and out of scope, deleted ones and an
    /// unknown id.
    async fn project_routes(&mut self, who: Who, base: [usize; 4]) {
        let mut targets: Vec<Target> = base.iter().map(|r| Target::Rec(*r)).collect();
        targets.push(Target::Unknown);
        let ok = StatusCode::OK;
        let today = domain::today_shanghai().to_string();
        let me = who.map(|i| common::USERS[i].0).unwrap_or("anon");
        for &t in &targets {
            for template in [PROJECT, TIMELINE, FUNDS, AGREEMENTS, MILESTONES, TEAM, FOUR_ONES, OUTCOMES] {
                let res = self.project_case(who, Req::get(template), t, ok, ok).await;
                if let (Target::Rec(r), Some(id)) = (t, res["id"].as_i64()) {
                    assert_eq!(id, self.recs[r].id);
                }
            }

            let version = match t {
                Target::Rec(r) => self.fingerprint(self.recs[r].id).await.0,
                Target::Unknown => 1,
            };
            let body = json!({"notes": format!("矩阵备注{me}"), "version": version});
            let patch = Req::new(Method::PATCH, PROJECT).body(body);
            self.project_case(who, patch, t, ok, StatusCode::CONFLICT).await;

            // on hold and back, alternately: a legal transition for every caller in scope
            let on_hold = matches!(t, Target::Rec(r) if self.recs[r].on_hold);
            let to = if on_hold { "reserve" } else { "on_hold" };
            let req = Req::post(TRANSITIONS, json!({"to": to, "date": today}));
            let res = self.project_case(who, req, t, ok, StatusCode::CONFLICT).await;
            if let (Target::Rec(r), Some(stage)) = (t, res["stage"].as_str()) {
                assert_eq!(stage, to);
                self.recs[r].on_hold = !on_hold;
            }

            let body = json!({"date": today, "kind": "domestic_out_of_province", "amount": "1"});
            let req = Req::post(FUNDS, body);
            self.project_case(who, req, t, StatusCode::CREATED, StatusCode::CONFLICT).await;

            let req = Req::post(AGREEMENTS, json!({"kind": "package", "title": format!("矩阵协议{me}")}));
            self.project_case(who, req, t, StatusCode::CREATED, StatusCode::CONFLICT).await;
            let req = Req::post(MILESTONES, json!({"title": format!("矩阵节点{me}")}));
            self.project_case(who, req, t, StatusCode::CREATED, StatusCode::CONFLICT).await;
            let team = json!({"members": [{"name": format!("矩阵组长{me}"), "is_leader": true}]});
            let req = Req::new(Method::PUT, TEAM).body(team);
            self.project_case(who, req, t, ok, StatusCode::CONFLICT).await;
            let req = Req::post(PROGRESS, json!({"progress": format!("矩阵进展{me}")}));
            self.project_case(who, req, t, StatusCode::CREATED, StatusCode::CONFLICT).await;
            // none of the matrix's projects was accepted as 投产: a caller let through meets 409
            let req = Req::new(Method::PUT, OUTCOME_YEAR).body(json!({"output": "1"}));
            self.project_case(who, req, t, StatusCode::CONFLICT, StatusCode::CONFLICT).await;
        }

        // DELETE: throwaway live projects (one per unit), the deleted ones, an unknown id
        let fresh = [self.throwaway(0, false).await, self.throwaway(1, false).await];
        let mut targets: Vec<Target> = fresh.iter().map(|r| Target::Rec(*r)).collect();
        targets.extend([Target::Rec(base[2]), Target::Rec(base[3]), Target::Unknown]);
        for t in targets {
            let req = Req::new(Method::DELETE, PROJECT);
            let expected = self.on_project(who, &req, t, StatusCode::NO_CONTENT, StatusCode::NOT_FOUND);
            self.project_case(who, req, t, StatusCode::NO_CONTENT, StatusCode::NOT_FOUND).await;
            if let (Target::Rec(r), StatusCode::NO_CONTENT) = (t, expected) {
                self.recs[r].deleted = true;
                self.to_delete.iter_mut().filter(|s| **s == Some(r)).for_each(|s| *s = None);
            }
        }

        // restore: throwaway deleted projects, the live ones (409 for city_admin), unknown
        let fresh = [self.throwaway(0, true).await, self.throwaway(1, true).await];
        let mut targets: Vec<Target> = fresh.iter().map(|r| Target::Rec(*r)).collect();
        targets.extend([Target::Rec(base[0]), Target::Rec(base[1]), Target::Unknown]);
        for t in targets {
            let req = Req::post(RESTORE, json!({}));
            let expected = self.on_project(who, &req, t, StatusCode::CONFLICT, ok);
            let res = self.project_case(who, req, t, StatusCode::CONFLICT, ok).await;
            if let (Target::Rec(r), StatusCode::OK) = (t, expected) {
                assert!(res.get("deleted_at").is_none_or(Value::is_null), "{res}");
                self.recs[r].deleted = false;
                self.to_restore.iter_mut().filter(|s| **s == Some(r)).for_each(|s| *s = None);
            }
        }

        // create: in the caller's unit or another
        for unit in ["jinshui", "erqi"] {
            self.serial += 1;
            let n = self.serial;
            let name = format!("矩阵{}项目{n:03}号", unit_label(unit));
            let total = format!("{}.{:02}", 70_000 + n * 137, n % 100);
            let allowed = match who {
                Some(i) => match role(i) {
                    Role::CityAdmin | Role::Supervisor => true,
                    Role::UnitStaff | Role::Leader => self.in_subtree(common::USERS[i].2.unwrap(), unit),
                    _ => false,
                },
                None => false,
            };
            let then = if allowed { StatusCode::CREATED } else { StatusCode::FORBIDDEN };
            let exp = self.expect(who, &Method::POST, PROJECTS, then);
            let body = json!({"name": name, "unit": unit, "industry": "electronics", "region": "yangtze", "total_investment": total});
            let before = self.project_count().await;
            let p = self.check(who, Req::post(PROJECTS, body), exp).await;
            if exp == StatusCode::CREATED {
                self.register(&p, unit, false);
            } else {
                assert_eq!(self.project_count().await, before, "{} was refused yet created a project", label(who));
            }
        }
    }

    /// Evidence files: each project's case file; an upload onto each (live, deleted, unknown;
    /// a multipart body); on the live ones the download of a file city_admin put there, its
    /// delete (city_admin only: not the uploader's unit) and the delete of the caller's own
    /// upload (its unit's); an unknown attachment 404 past the gate.
    async fn attachment_routes(&mut self, who: Who, base: [usize; 4]) {
        let mut targets: Vec<Target> = base.iter().map(|r| Target::Rec(*r)).collect();
        targets.push(Target::Unknown);
        for &t in &targets {
            self.project_case(who, Req::get(CASE_FILE), t, StatusCode::OK, StatusCode::OK).await;
            let upload = Req::new(Method::POST, ATTACHMENTS);
            let expected = self.on_project(who, &upload, t, StatusCode::CREATED, StatusCode::CONFLICT);
            let project = match t {
                Target::Rec(r) => self.recs[r].id,
                Target::Unknown => UNKNOWN,
            };
            let own = self.upload_case(who, project, expected).await;
            let Target::Rec(r) = t else { continue };
            if self.recs[r].deleted {
                continue;
            }
            let city = self.city().to_string();
            let (st, a) = self.app.upload(&city, "project", project, "市级材料.pdf", PDF).await;
            assert_eq!(st, StatusCode::CREATED, "{a}");
            let city_file = a["id"].as_i64().unwrap();
            let req = Req::get(ATTACHMENT).id(city_file);
            let exp = self.on_project(who, &req, t, StatusCode::OK, StatusCode::OK);
            self.check(who, req, exp).await;
            let by_city = who.is_some_and(|i| role(i) == Role::CityAdmin);
            let live = if by_city { StatusCode::NO_CONTENT } else { StatusCode::FORBIDDEN };
            let req = Req::new(Method::DELETE, ATTACHMENT).id(city_file);
            let exp = self.on_project(who, &req, t, live, live);
            self.check(who, req, exp).await;
            if let Some(own) = own {
                let req = Req::new(Method::DELETE, ATTACHMENT).id(own);
                let exp = self.on_project(who, &req, t, StatusCode::NO_CONTENT, StatusCode::NO_CONTENT);
                self.check(who, req, exp).await;
            }
        }
        for method in [Method::GET, Method::DELETE] {
            let exp = self.expect(who, &method, ATTACHMENT, StatusCode::NOT_FOUND);
            self.check(who, Req::new(method, ATTACHMENT).id(UNKNOWN), exp).await;
        }
    }

    /// One multipart upload of the matrix onto a project: the status, no row or file when
    /// refused; the new attachment's id when stored.
    async fn upload_case(&mut self, who: Who, project: i64, expected: StatusCode) -> Option<i64> {
        let rows = || store::entity::attachment::Entity::find().count(self.app.store.db());
        let before = rows().await.unwrap();
        let id = project.to_string();
        let parts = [
            common::Part::text("entity", "project"),
            common::Part::text("entity_id", &id),
            common::Part { name: "file", file_name: Some("矩阵材料.pdf"), bytes: PDF },
        ];
        let token = who.map(|i| self.tokens[i].clone());
        let (st, res) = self.app.post_multipart(ATTACHMENTS, token.as_deref(), &parts).await;
        let whom = label(who);
        assert_eq!(st, expected, "{whom} POST {ATTACHMENTS} onto {project}: {}", short(&res.to_string()));
        self.exercised.insert(("post".into(), ATTACHMENTS.into()));
        self.exercised_by.insert(("post".into(), ATTACHMENTS.into(), whom.clone()));
        self.cases += 1;
        if st == StatusCode::FORBIDDEN && token.is_some() {
            self.denied.push(format!("POST {ATTACHMENTS}"));
        }
        let after = rows().await.unwrap();
        assert_eq!(after, before + u64::from(st == StatusCode::CREATED), "{whom} POST {ATTACHMENTS}: rows");
        self.no_leak(who, &Req::new(Method::POST, ATTACHMENTS), st, &res);
        res["id"].as_i64()
    }

    /// A unit's funds claim on `rec` (made by that unit's user through the API), returned
    /// by the city when `returned`: a fresh target for each decision.
    async fn claim(&mut self, rec: usize, returned: bool) -> i64 {
        let user = if self.recs[rec].unit == "jinshui" { 1 } else { 2 };
        let path = format!("/api/v1/projects/{}/funds", self.recs[rec].id);
        let body = json!({"date": domain::today_shanghai().to_string(), "kind": "foreign", "amount": "2"});
        let (st, f) = self.app.post(&path, &self.tokens[user], body).await;
        assert_eq!(st, StatusCode::CREATED, "{f}");
        let (st, list) = self.app.get(&format!("{REVIEWS}?state=submitted"), &self.tokens[0]).await;
        assert_eq!(st, StatusCode::OK, "{list}");
        let id = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["funds_entry_id"] == f["id"])
            .and_then(|i| i["id"].as_i64())
            .expect("the entry's claim");
        if returned {
            let (st, r) =
                self.app.post(&format!("{REVIEWS}/{id}/return"), self.city(), json!({"comment": "回单不清晰"})).await;
            assert_eq!(st, StatusCode::OK, "{r}");
        }
        id
    }

    /// The review routes on claims of both units and an unknown id: city_admin decides,
    /// the claiming unit resubmits, a unit lists only its own.
    async fn review_routes(&mut self, who: Who, base: [usize; 2]) {
        let ok = StatusCode::OK;
        let exp = self.expect(who, &Method::GET, REVIEWS, ok);
        self.check(who, Req::get(REVIEWS), exp).await;
        let in_scope = |m: &Self, r: usize| who.is_some_and(|i| m.sees(i, &m.recs[r]));
        for t in [Target::Rec(base[0]), Target::Rec(base[1]), Target::Unknown] {
            for (template, returned) in [(REVIEW_ACCEPT, false), (REVIEW_RETURN, false), (REVIEW_RESUBMIT, true)] {
                let (id, then) = match t {
                    Target::Rec(r) => {
                        let then = if in_scope(self, r) { ok } else { StatusCode::FORBIDDEN };
                        (self.claim(r, returned).await, then)
                    }
                    Target::Unknown => (UNKNOWN, StatusCode::NOT_FOUND),
                };
                let body = match template {
                    REVIEW_RETURN => json!({"comment": "材料不全"}),
                    REVIEW_RESUBMIT => json!({"note": "已补充材料"}),
                    _ => json!({}),
                };
                let exp = self.expect(who, &Method::POST, template, then);
                self.check(who, Req::post(template, body).id(id), exp).await;
            }
        }
        let ids = [self.claim(base[0], false).await, self.claim(base[1], false).await];
        let exp = self.expect(who, &Method::POST, REVIEWS_ACCEPT, ok);
        self.check(who, Req::post(REVIEWS_ACCEPT, json!({"ids": ids})), exp).await;
    }

    /// The tasks and problems the work routes edit (setup by city_admin, not matrix cases):
    /// the department's task on the jinshui project and on the deleted one, another
    /// department's task on the jinshui project, and problems on both live projects (one of
    /// jinshui's assigned to the department).
    async fn work_setup(&mut self, j: usize, e: usize, dj: usize) -> Work {
        use store::entity::dept_task;
        let city = self.city().to_string();
        let db = self.app.store.db();
        let dept = self.unit_id(DEPT);
        let task_on = |p: i64| async move {
            let q = dept_task::Entity::find().filter(dept_task::Column::ProjectId.eq(p));
            q.filter(dept_task::Column::DeptUnitId.eq(dept)).one(db).await.unwrap().expect("the department's task").id
        };
        let (own, own_deleted) = (task_on(self.recs[j].id).await, task_on(self.recs[dj].id).await);
        let url = format!("/api/v1/projects/{}/tasks", self.recs[j].id);
        let (st, other) = self.app.post(&url, &city, json!({"department": "jianshe", "title": "施工许可"})).await;
        assert_eq!(st, StatusCode::CREATED, "{other}");
        let mut problems = vec![];
        for (r, assignee) in [(j, "jinshui"), (j, DEPT), (e, "erqi")] {
            let url = format!("/api/v1/projects/{}/problems", self.recs[r].id);
            let (st, p) = self.app.post(&url, &city, json!({"title": "矩阵困难", "assignee": assignee})).await;
            assert_eq!(st, StatusCode::CREATED, "{p}");
            problems.push((p["id"].as_i64().unwrap(), r, assignee));
        }
        Work { tasks: [own, other["id"].as_i64().unwrap(), own_deleted], problems }
    }

    /// Department tasks and problems: on every project (in and out of scope, deleted,
    /// unknown), the edits of one task or problem, and the lists.
    async fn work_routes(&mut self, who: Who, base: [usize; 4], work: &Work) {
        use store::entity::{dept_task, problem};
        let (ok, created, conflict) = (StatusCode::OK, StatusCode::CREATED, StatusCode::CONFLICT);
        let mut targets: Vec<Target> = base.iter().map(|r| Target::Rec(*r)).collect();
        targets.push(Target::Unknown);
        for &t in &targets {
            self.project_case(who, Req::get(PROJECT_TASKS), t, ok, ok).await;
            self.project_case(who, Req::get(PROJECT_PROBLEMS), t, ok, ok).await;
            // another department than the matrix's, so no one's scope grows
            let body = json!({"department": "jianshe", "title": "矩阵任务"});
            self.project_case(who, Req::post(PROJECT_TASKS, body), t, created, conflict).await;
            self.project_case(who, Req::post(PROJECT_PROBLEMS, json!({"title": "矩阵问题"})), t, created, conflict)
                .await;
        }
        let db = self.app.store.db();
        self.serial += 1;
        let n = self.serial;
        // a task: only its own department answers, on a live project
        let [own, other, own_deleted] = work.tasks;
        for (id, then) in [
            (own, ok),
            (other, StatusCode::FORBIDDEN),
            (own_deleted, StatusCode::NOT_FOUND),
            (UNKNOWN, StatusCode::NOT_FOUND),
        ] {
            let version = dept_task::Entity::find_by_id(id).one(db).await.unwrap().map_or(1, |t| t.version);
            let then = match who {
                Some(i) if role(i) == Role::DeptStaff => then,
                _ => StatusCode::FORBIDDEN,
            };
            let exp = self.expect(who, &Method::PATCH, TASK, then);
            let body = json!({"reply": format!("矩阵答复{n}"), "version": version});
            self.check(who, Req::new(Method::PATCH, TASK).id(id).body(body), exp).await;
        }
        // a problem: the city, the units over its project, the department it is assigned to
        let mut cases: Vec<(i64, Option<(usize, &str)>)> =
            work.problems.iter().map(|(id, r, a)| (*id, Some((*r, *a)))).collect();
        cases.push((UNKNOWN, None));
        for (id, on) in cases {
            let then = match (who, on) {
                (_, None) => StatusCode::NOT_FOUND,
                (Some(i), Some((r, assignee))) => {
                    let dept_other = role(i) == Role::DeptStaff && assignee != DEPT;
                    if !self.sees(i, &self.recs[r]) || dept_other { StatusCode::FORBIDDEN } else { ok }
                }
                (None, Some(_)) => StatusCode::UNAUTHORIZED,
            };
            let exp = self.expect(who, &Method::PATCH, PROBLEM, then);
            let version = problem::Entity::find_by_id(id).one(db).await.unwrap().map_or(1, |p| p.version);
            let body = json!({"resolution": format!("矩阵进展{n}"), "version": version});
            self.check(who, Req::new(Method::PATCH, PROBLEM).id(id).body(body), exp).await;
        }
        // the lists: a department's hold only its own
        for (template, query) in [
            (TASKS, ""),
            (TASKS, "open=true"),
            (PROBLEMS, ""),
            (PROBLEMS, "overdue=true"),
            (PROBLEMS, "status=open&assignee=jinshui"),
        ] {
            let exp = self.expect(who, &Method::GET, template, ok);
            let res = self.check(who, Req::get(template).query(query), exp).await;
            if let Some(i) = who.filter(|i| role(*i) == Role::DeptStaff && exp == ok) {
                let key = if template == TASKS { "department" } else { "assignee" };
                let items = res["items"].as_array().unwrap();
                assert!(items.iter().all(|t| t[key] == DEPT), "{} GET {template}?{query}: {res}", label(Some(i)));
            }
        }
        let exp = self.expect(who, &Method::GET, PROBLEMS, StatusCode::UNPROCESSABLE_ENTITY);
        self.check(who, Req::get(PROBLEMS).query("overdue=maybe"), exp).await;
    }

    async fn project_count(&self) -> u64 {
        store::entity::project::Entity::find().count(self.app.store.db()).await.unwrap()
    }

    /// The throwaway project of a unit (0 jinshui, 1 erqi) for DELETE (live) or restore
    /// (deleted), made anew once the previous one was used. Jinshui's carry the
    /// department's task, so the department user meets them in scope.
    async fn throwaway(&mut self, unit: usize, deleted: bool) -> usize {
        let slot = if deleted { self.to_restore[unit] } else { self.to_delete[unit] };
        if let Some(r) = slot {
            return r;
        }
        let code = ["jinshui", "erqi"][unit];
        let r = self.new_project(code, unit == 0, deleted).await;
        if deleted {
            self.to_restore[unit] = Some(r);
        } else {
            self.to_delete[unit] = Some(r);
        }
        r
    }

    /// The ledger and its searches hold exactly the live projects in scope (city_admin may
    /// ask for the deleted ones too); a unit filter outside a unit's scope is refused.
    async fn list_routes(&mut self, who: Who) {
        let queries = [
            ListQuery { q: None, unit: None, deleted: false },
            // two characters: answered from the gram index alone
            ListQuery { q: Some("矩阵"), unit: None, deleted: false },
            ListQuery { q: Some("矩阵"), unit: Some("erqi"), deleted: false },
            ListQuery { q: Some("矩阵"), unit: Some("jinshui"), deleted: false },
            // longer: the gram intersection and LIKE
            ListQuery { q: Some("矩阵金水"), unit: None, deleted: false },
            ListQuery { q: Some("矩阵二七"), unit: None, deleted: false },
            ListQuery { q: None, unit: Some("erqi"), deleted: false },
            ListQuery { q: None, unit: Some("jinshui"), deleted: false },
            ListQuery { q: None, unit: None, deleted: true },
            ListQuery { q: Some("矩阵"), unit: None, deleted: true },
        ];
        for lq in queries {
            let mut query = vec!["per_page=500".to_string()];
            if let Some(q) = lq.q {
                query.push(format!("q={}", enc(q)));
            }
            if let Some(u) = lq.unit {
                query.push(format!("unit={u}"));
            }
            if lq.deleted {
                query.push("deleted=true".into());
            }
            let query = query.join("&");
            let refused = match (who, lq.unit) {
                (Some(i), Some(u)) if matches!(role(i), Role::UnitStaff | Role::Leader) => {
                    let mine = self.tree.subtree(self.unit_id(common::USERS[i].2.unwrap()));
                    !self.tree.subtree(self.unit_id(u)).iter().any(|s| mine.contains(s))
                }
                // a department's projects are chosen by task: a unit filter is outside scope
                (Some(i), Some(_)) if role(i) == Role::DeptStaff => true,
                _ => false,
            };
            let then = if refused { StatusCode::FORBIDDEN } else { StatusCode::OK };
            let exp = self.expect(who, &Method::GET, PROJECTS, then);
            let res = self.check(who, Req::get(PROJECTS).query(&query), exp).await;
            let Some(i) = who.filter(|_| exp == StatusCode::OK) else { continue };
            let expected: BTreeSet<i64> = self
                .recs
                .iter()
                .filter(|r| !r.deleted || (lq.deleted && role(i) == Role::CityAdmin))
                .filter(|r| self.sees(i, r))
                .filter(|r| lq.unit.is_none_or(|u| self.in_subtree(u, r.unit)))
                .filter(|r| lq.q.is_none_or(|q| r.name.contains(q)))
                .map(|r| r.id)
                .collect();
            let listed: BTreeSet<i64> =
                res["items"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
            assert_eq!(listed, expected, "{} GET {PROJECTS}?{query}", label(who));
            assert_eq!(res["total"], expected.len(), "{} GET {PROJECTS}?{query}: the count", label(who));
        }
    }

    /// The routes addressed by a child record's id (an agreement, a clause, a milestone): the
    /// same answers as their project's, and no refusal changes the clause or milestone.
    /// The writes are refused past the gate (own project as sub-project 422, an unchanged
    /// clause status and a stale milestone version 409), so nothing changes either way.
    async fn child_routes(&mut self, who: Who, base: [usize; 4]) {
        let targets: Vec<Target> = base.iter().map(|r| Target::Rec(*r)).chain([Target::Unknown]).collect();
        for t in targets {
            let kids = match t {
                Target::Rec(r) => self.children[&r],
                Target::Unknown => Children { agreement: UNKNOWN, clause: UNKNOWN, milestone: UNKNOWN },
            };
            let own = match t {
                Target::Rec(r) => self.recs[r].id,
                Target::Unknown => UNKNOWN,
            };
            let before = self.child_fingerprint(kids).await;
            let cases = [
                (Req::get(AGREEMENT).id(kids.agreement), StatusCode::OK, StatusCode::OK),
                (
                    Req::post(SUB_PROJECTS, json!({"project_id": own})).id(kids.agreement),
                    StatusCode::UNPROCESSABLE_ENTITY,
                    StatusCode::CONFLICT,
                ),
                (
                    Req::new(Method::PATCH, CLAUSE).body(json!({"status": "pending", "version": 1})).id(kids.clause),
                    StatusCode::CONFLICT,
                    StatusCode::CONFLICT,
                ),
                (
                    Req::new(Method::PATCH, MILESTONE)
                        .body(json!({"title": "矩阵改名", "version": 999}))
                        .id(kids.milestone),
                    StatusCode::CONFLICT,
                    StatusCode::CONFLICT,
                ),
            ];
            for (req, live, deleted) in cases {
                let expected = self.on_project(who, &req, t, live, deleted);
                let res = self.check(who, req, expected).await;
                if expected == StatusCode::OK {
                    assert_eq!(res["id"], kids.agreement, "{res}");
                }
            }
            assert_eq!(self.child_fingerprint(kids).await, before, "{} changed a child record", label(who));
        }
    }

    async fn child_fingerprint(&self, kids: Children) -> (Option<(String, i32)>, Option<(String, i32)>, u64) {
        use store::entity::{agreement_sub_project, clause, milestone};
        let db = self.app.store.db();
        let c = clause::Entity::find_by_id(kids.clause).one(db).await.unwrap().map(|c| (c.status, c.version));
        let m = milestone::Entity::find_by_id(kids.milestone).one(db).await.unwrap().map(|m| (m.title, m.version));
        let subs = agreement_sub_project::Entity::find()
            .filter(agreement_sub_project::Column::AgreementId.eq(kids.agreement))
            .count(db)
            .await
            .unwrap();
        (c, m, subs)
    }

    /// A package agreement with one clause and a milestone on a project (setup, written
    /// directly so that deleted projects have them too).
    async fn add_children(&mut self, r: usize) {
        use store::entity::{agreement, clause, milestone};
        let (db, now, project) = (self.app.store.db(), store::now(), self.recs[r].id);
        // a new row: version 1, created and updated now
        macro_rules! insert_new {
            ($m:ident { $($f:ident: $v:expr),* $(,)? }) => {
                $m::ActiveModel {
                    $($f: Set($v),)*
                    version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(db)
                .await
                .unwrap()
            };
        }
        let a = insert_new!(agreement {
            project_id: project,
            kind: "package".into(),
            title: "矩阵一揽子协议".into(),
            parties: "[]".into(),
        });
        let c = insert_new!(clause {
            agreement_id: a.id,
            project_id: project,
            number: "1".into(),
            text: "矩阵条款".into(),
            obligor: "investor".into(),
            status: "pending".into(),
        });
        let m = insert_new!(milestone { project_id: project, title: "矩阵节点".into() });
        self.children.insert(r, Children { agreement: a.id, clause: c.id, milestone: m.id });
    }

    /// Every 403 above, and only those, is in the audit log as `authz.deny`.
    async fn denials_audited(&self, aud: usize) {
        let mut logged = vec![];
        for page in 1.. {
            let (st, res) = self.app.get(&format!("{AUDIT}?per_page=500&page={page}"), &self.tokens[aud]).await;
            assert_eq!(st, StatusCode::OK);
            let items = res["items"].as_array().unwrap();
            if items.is_empty() {
                break;
            }
            for r in items.iter().filter(|r| r["action"] == "authz.deny") {
                logged.push(r["entity_id"].as_str().unwrap().to_string());
            }
        }
        let mut denied = self.denied.clone();
        denied.sort();
        logged.sort();
        assert_eq!(logged, denied, "the authz.deny records are exactly the refusals");
    }

    /// The session routes, each on a session of its own: TOTP on, a password change (which
    /// ends the reused session but keeps this one), logout.
    async fn session_routes(&mut self, who: usize) {
        let (name, _, _) = common::USERS[who];
        let w = Some(who);
        let login = json!({"username": name, "password": common::PASSWORD});
        let fresh = self.check(w, Req::post(LOGIN, login).anonymous(), StatusCode::OK).await;
        let fresh = fresh["token"].as_str().unwrap().to_string();
        let ok = |m: &Self, method: Method, t: &str, st: StatusCode| m.expect(w, &method, t, st);

        let exp = ok(self, Method::POST, TOTP_SETUP, StatusCode::OK);
        let setup = self.check(w, Req::post(TOTP_SETUP, json!({})).token(&fresh), exp).await;
        let secret = web::totp::base32_decode(setup["secret"].as_str().unwrap()).unwrap();
        let code = web::totp::code(&secret, store::now().timestamp() / web::totp::STEP_SECONDS, 6).unwrap();
        let exp = ok(self, Method::POST, TOTP_ENABLE, StatusCode::NO_CONTENT);
        self.check(w, Req::post(TOTP_ENABLE, json!({"code": code})).token(&fresh), exp).await;
        let exp = ok(self, Method::POST, TOTP_ENABLE, StatusCode::CONFLICT);
        self.check(w, Req::post(TOTP_ENABLE, json!({"code": code})).token(&fresh), exp).await;

        let exp = ok(self, Method::POST, PASSWORD, StatusCode::NO_CONTENT);
        let body = json!({"current_password": common::PASSWORD, "new_password": NEW_PASSWORD});
        self.check(w, Req::post(PASSWORD, body).token(&fresh), exp).await;
        // the reused session ended with the change; this one lives on
        self.check(w, Req::get(ME), StatusCode::UNAUTHORIZED).await;
        let exp = ok(self, Method::GET, ME, StatusCode::OK);
        self.check(w, Req::get(ME).token(&fresh), exp).await;

        let exp = ok(self, Method::POST, LOGOUT, StatusCode::NO_CONTENT);
        self.check(w, Req::post(LOGOUT, json!({})).token(&fresh), exp).await;
        self.check(w, Req::get(ME).token(&fresh), StatusCode::UNAUTHORIZED).await;
        self.check(w, Req::post(LOGOUT, json!({})).token(&fresh), StatusCode::UNAUTHORIZED).await;
    }

    /// The guard: the route table, the OpenAPI document and what the matrix exercised are
    /// the same set, and each route declares the permission the matrix expects of it.
    async fn every_route_is_covered(&self) {
        let (st, doc) = self.app.call(Method::GET, "/api/v1/openapi.json", None, None).await;
        assert_eq!(st, StatusCode::OK);
        let methods = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];
        let mut documented = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().unwrap() {
                if !methods.contains(&method.as_str()) {
                    continue;
                }
                let key = (method.clone(), path.clone());
                assert!(
                    self.exercised.contains(&key),
                    "{method} {path} is in the API but not in the access matrix: add it to ROUTES and test it \
                     for every role, in and out of scope"
                );
                let declared: Vec<&str> = op["security"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s["bearer"].as_array())
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                let wanted: Vec<&str> = route_perm(&m, path).map(|p| p.code()).into_iter().collect();
                assert_eq!(declared, wanted, "{method} {path}: declared permission");
                documented.insert(key);
            }
        }
        let table: BTreeSet<(String, String)> = ROUTES.iter().map(|(m, t, _)| (m.to_string(), t.to_string())).collect();
        assert_eq!(documented, table, "the matrix's route table and the OpenAPI document differ");
        assert_eq!(self.exercised, table, "routes in the table that the matrix never called");
        for (method, template, _) in ROUTES {
            for who in everyone() {
                let key = (method.to_string(), template.to_string(), label(who));
                assert!(self.exercised_by.contains(&key), "{method} {template} never called by {}", label(who));
            }
        }
    }
}

/// What the work routes edit: tasks (the department's, another's, the department's on a
/// deleted project) and problems (id, project record, assignee).
struct Work {
    tasks: [i64; 3],
    problems: Vec<(i64, usize, &'static str)>,
}

/// A user made by the system (no login needed): a target of the user routes.
async fn target_user(app: &common::TestApp, username: &str, unit: &str) -> i64 {
    let new = store::users::NewUser {
        username: username.into(),
        display_name: username.into(),
        password_hash: "unused".into(),
        roles: vec![Role::UnitStaff],
        unit: Some(unit.into()),
        must_change_password: false,
    };
    app.store.scoped(&store::Actor::system("test")).create_user(new).await.unwrap().id
}

api_test!(every_route_by_every_role_in_and_out_of_scope, |app| {
    let mut m = Matrix::new(&app);
    // the login route, once for every role: the sessions the matrix reuses
    for (i, (name, _, _)) in common::USERS.iter().enumerate() {
        let body = json!({"username": name, "password": common::PASSWORD});
        let res = m.check(Some(i), Req::post(LOGIN, body).anonymous(), StatusCode::OK).await;
        m.tokens.push(res["token"].as_str().unwrap().to_string());
    }
    assert_eq!(common::USERS[0].1, Role::CityAdmin);
    // jinshui's project carries the department's task; erqi's does not
    let j = m.new_project("jinshui", true, false).await;
    let e = m.new_project("erqi", false, false).await;
    let dj = m.new_project("jinshui", true, true).await;
    let de = m.new_project("erqi", false, true).await;
    for r in [j, e, dj, de] {
        m.add_children(r).await;
    }
    let users = [target_user(&app, "tgt_js", "jinshui").await, target_user(&app, "tgt_eq", "erqi").await];
    let work = m.work_setup(j, e, dj).await;
    let mut companies = [0; 2];
    for (k, (user, name)) in [(1, "金水录入企业"), (2, "二七录入企业")].into_iter().enumerate() {
        let (st, c) = app.post(COMPANIES, &m.tokens[user], json!({"name": name})).await;
        assert_eq!(st, StatusCode::CREATED, "{c}");
        companies[k] = c["id"].as_i64().unwrap();
    }
    let body = json!({"name": "金水联系人", "position": "总经理", "phone": "13812341234"});
    let (st, c) = app.post(&format!("{COMPANIES}/{}/contacts", companies[0]), &m.tokens[1], body).await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    let sup_user = common::USERS.iter().position(|u| u.1 == Role::Supervisor).unwrap();
    let body = json!({"project_id": m.recs[j].id, "deadline": "2099-12-31", "instruction": "矩阵督办"});
    let (st, s) = app.post(SUPERVISIONS, &m.tokens[sup_user], body).await;
    assert_eq!(st, StatusCode::CREATED, "{s}");
    let sup = s["id"].as_i64().unwrap();
    let targets = [m.new_target("jinshui").await, m.new_target("erqi").await];
    let inquiries = [m.new_inquiry("jinshui").await, m.new_inquiry("erqi").await];
    let acts = [m.new_activity("jinshui").await, m.new_activity("erqi").await];
    let ambs = [m.new_ambassador("jinshui").await, m.new_ambassador("erqi").await];
    let (scheme, run) = m.new_run().await;
    let leaders = [
        m.new_leader("jinshui", "unit_chief").await,
        m.new_leader("erqi", "unit_chief").await,
        m.new_leader("zhengzhou", "city_leader").await,
    ];
    let city_actor = store::testing::fixtures::actor(&app.store, Role::CityAdmin, "shangwu");
    let bulletin_scheme = "name = \"矩阵考核\"\nfrom = 2025-01-01\nto = 2025-12-31\nunits = [\"jinshui\", \"erqi\"]\n\n[[indicator]]\ncode = \"funds\"\nname = \"实际到位省外资金\"\ngroup = \"招商引资\"\nmeasure = \"funds_domestic\"\nmethod = \"ratio_to_target\"\nweight = 100\n\n[targets.funds]\njinshui = 1000\nerqi = 1000\n";
    // a run of its own for the bulletins: publishing it makes it readable by units
    let text = store::assessment::SchemeSource::Text(bulletin_scheme.into());
    let bulletin_run = app.store.scoped(&city_actor).store_run(text, None).await.unwrap().id;
    let published = m.new_bulletin(bulletin_run).await;
    let (st, p) = app.post(&format!("{BULLETINS}/{published}/publish"), &m.tokens[0], json!({})).await;
    assert_eq!(st, StatusCode::OK, "{p}");
    let draft = m.new_bulletin(bulletin_run).await;

    for who in everyone() {
        m.system_routes(who).await;
        m.user_routes(who, users).await;
        m.company_routes(who, companies).await;
        m.audit_routes(who).await;
        m.export_routes(who).await;
        m.import_routes(who).await;
        m.project_routes(who, [j, e, dj, de]).await;
        m.child_routes(who, [j, e, dj, de]).await;
        m.attachment_routes(who, [j, e, dj, de]).await;
        m.warning_routes(who, j, sup).await;
        m.list_routes(who).await;
        m.review_routes(who, [j, e]).await;
        m.work_routes(who, [j, e, dj, de], &work).await;
        m.target_routes(who, targets).await;
        m.inquiry_routes(who, inquiries).await;
        m.leader_routes(who, leaders).await;
        m.activity_routes(who, acts).await;
        m.ambassador_routes(who, ambs).await;
        m.assessment_routes(who, scheme, run).await;
        m.top10_routes(who).await;
        m.bulletin_routes(who, bulletin_run, published, draft).await;
    }
    let aud = common::USERS.iter().position(|u| u.1 == Role::Auditor).unwrap();
    m.denials_audited(aud).await;
    for who in 0..common::USERS.len() {
        m.session_routes(who).await;
    }
    m.every_route_is_covered().await;
    assert!(m.cases >= 800, "{} cases", m.cases);
    eprintln!("access matrix: {} cases, {} refusals audited", m.cases, m.denied.len());
});
