//! Every page route, in one table: the router is built from it and the menu shows its
//! `menu` rows the user may open, so nothing unbuilt appears.

use axum::routing::{get, post};
use domain::Permission;

use super::*;

/// Every page, in menu order. A menu entry's permission must be the one its handler's
/// `Page<perm::X>` demands (tests/ui_pages.rs opens each entry as a role that holds it).
pub const PAGES: &[PageRoute] = &[
    page("/login", || get(login::form).post(login::submit)),
    page("/logout", || post(login::logout)),
    page("/password", || get(login::password_form).post(login::password_submit)),
    // a department user lands on its inbox: the first entry its role may open
    menu("/tasks", Group::Business, "任务待办", Permission::TaskReply, || get(tasks::inbox)),
    page("/tasks/{id}", || post(tasks::reply)),
    menu("/", Group::Business, "工作台", Permission::ProjectRead, || get(dashboard::page)),
    menu("/projects", Group::Business, "项目台账", Permission::ProjectRead, || get(projects::list)),
    page("/projects/new", || get(projects::new_form).post(projects::create)),
    page("/projects/export.xlsx", || get(projects::export)),
    page("/projects/import", || {
        get(import::form)
            .post(import::preview)
            .layer(axum::extract::DefaultBodyLimit::max(crate::api::imports::MAX_UPLOAD))
    }),
    page("/projects/import/confirm", || post(import::confirm)),
    page("/projects/import/template.xlsx", || get(import::template)),
    page("/projects/{id}", || get(projects::detail)),
    page("/projects/{id}/edit", || get(projects::edit_form).post(projects::update)),
    page("/projects/{id}/transition", || post(projects::transition)),
    page("/projects/{id}/funds", || post(projects::add_funds)),
    page("/projects/{id}/progress", || post(projects::add_progress)),
    page("/projects/{id}/agreements", || post(agreements::create_agreement)),
    page("/clauses/{id}/status", || post(agreements::update_clause)),
    page("/projects/{id}/milestones", || post(four_ones::add_milestone)),
    page("/milestones/{id}/done", || post(four_ones::milestone_done)),
    page("/projects/{id}/team", || post(four_ones::set_team)),
    page("/projects/{id}/outcomes", || post(outcomes::record)),
    menu("/agreements", Group::Business, "协议履约", Permission::ProjectRead, || get(agreements::page)),
    menu("/targets", Group::Business, "靶向库", Permission::TargetRead, || get(targets::list).post(targets::create)),
    page("/targets/{id}", || get(targets::detail)),
    page("/targets/{id}/follow_ups", || post(targets::follow_up)),
    page("/targets/{id}/status", || post(targets::set_status)),
    page("/targets/{id}/convert", || post(targets::convert)),
    menu("/inquiries", Group::Business, "投资咨询", Permission::InquiryRead, || {
        get(inquiries::list).post(inquiries::create)
    }),
    page("/inquiries/{id}", || get(inquiries::detail)),
    page("/inquiries/{id}/answer", || post(inquiries::answer)),
    menu("/activities", Group::Business, "招商活动", Permission::ActivityRead, || get(activities::list)),
    page("/activities/calendar", || get(activities::calendar)),
    page("/activities/stats", || get(activities::stats)),
    page("/activities/new", || get(activities::new_form).post(activities::create)),
    page("/activities/{id}", || get(activities::detail)),
    page("/activities/{id}/attachments", || {
        post(activities::upload).layer(axum::extract::DefaultBodyLimit::max(crate::api::attachments::MAX_UPLOAD))
    }),
    menu("/leaders", Group::Business, "领导名录", Permission::LeaderRead, || {
        get(leaders::list).post(leaders::create)
    }),
    page("/leaders/link", || post(leaders::link)),
    page("/leaders/{id}", || get(leaders::detail).post(leaders::update)),
    menu("/ambassadors", Group::Business, "招商大使/中介", Permission::AmbassadorRead, || {
        get(ambassadors::list).post(ambassadors::create)
    }),
    page("/ambassadors/{id}", || get(ambassadors::detail).post(ambassadors::update)),
    page("/ambassadors/{id}/leads", || post(ambassadors::add_leads)),
    page("/ambassadors/{id}/payouts", || post(ambassadors::payout)),
    menu("/four_ones", Group::Business, "重点项目四个一", Permission::ProjectRead, || get(four_ones::page)),
    page("/projects/{id}/attachments", || {
        post(attachments::upload).layer(axum::extract::DefaultBodyLimit::max(crate::api::attachments::MAX_UPLOAD))
    }),
    page("/attachments/{id}", || get(attachments::download)),
    menu("/reviews", Group::Business, "审核", Permission::ReviewDecide, || get(reviews::list)),
    page("/reviews/accept", || post(reviews::accept_many)),
    page("/reviews/{id}/return", || post(reviews::return_claim)),
    page("/reviews/{id}/resubmit", || post(reviews::resubmit)),
    page("/projects/{id}/tasks", || post(tasks::assign)),
    page("/projects/{id}/problems", || post(problems::raise)),
    menu("/warnings", Group::Business, "预警督办", Permission::WarningRead, || get(warnings::page)),
    page("/warnings/supervise", || post(warnings::supervise)),
    page("/supervisions/{id}/reply", || post(warnings::reply)),
    page("/supervisions/{id}/close", || post(warnings::close)),
    menu("/monthly", Group::Business, "月报", Permission::MonthlyRead, || get(monthly::page)),
    page("/monthly/confirm", || post(monthly::confirm)),
    page("/monthly/export.xlsx", || get(monthly::export)),
    menu("/companies", Group::Business, "企业库", Permission::CompanyRead, || get(companies::list)),
    page("/companies/export.xlsx", || get(companies::export)),
    page("/companies/rankings/import", || {
        get(companies::rankings::form)
            .post(companies::rankings::import)
            .layer(axum::extract::DefaultBodyLimit::max(crate::api::companies::MAX_RANKING_UPLOAD))
    }),
    page("/companies/{id}", || get(companies::detail)),
    page("/companies/{id}/contacts", || post(companies::add_contact)),
    menu("/problems", Group::Business, "困难和问题", Permission::ProblemRead, || get(problems::list)),
    page("/problems/{id}", || post(problems::update)),
    menu("/assessment", Group::Assessment, "考核评价", Permission::AssessmentRead, || get(assessment::page)),
    page("/assessment/check", || post(assessment::check)),
    page("/assessment/schemes", || post(assessment::save)),
    page("/assessment/run", || post(assessment::run_scheme)),
    page("/assessment/runs/{id}", || get(assessment::run::show)),
    page("/assessment/compare", || get(assessment::run::compare)),
    menu("/assessment/inputs", Group::Assessment, "评分录入", Permission::AssessmentManage, || {
        get(assessment::inputs::page)
    }),
    page("/assessment/inputs/manual", || post(assessment::inputs::set_manual)),
    page("/assessment/inputs/adjustments", || post(assessment::inputs::add_adjustment)),
    page("/assessment/inputs/adjustments/{id}/remove", || post(assessment::inputs::remove_adjustment)),
    menu("/assessment/top10", Group::Assessment, "十大项目", Permission::AssessmentRead, || {
        get(top10::page).post(top10::pick)
    }),
    menu("/assessment/leaders", Group::Assessment, "五职领导", Permission::AssessmentRead, || {
        get(top10::leaders::page)
    }),
    menu("/bulletins", Group::Assessment, "通报", Permission::BulletinRead, || {
        get(bulletins::list).post(bulletins::create)
    }),
    page("/bulletins/{id}", || get(bulletins::detail)),
    page("/bulletins/{id}/publish", || post(bulletins::publish)),
    page("/bulletins/{id}/print", || get(bulletins::print)),
    page("/bulletins/{id}/export.xlsx", || get(bulletins::export)),
    page("/bulletins/{id}/export.docx", || get(bulletins::export_docx)),
    menu("/admin/users", Group::Admin, "用户与角色", Permission::UserRead, || {
        get(admin::users).post(admin::create_user)
    }),
    page("/admin/users/{id}", || post(admin::update_user)),
    page("/admin/users/{id}/roles", || post(admin::set_roles)),
    menu("/admin/units", Group::Admin, "单位", Permission::UserRead, || get(admin::units)),
    menu("/admin/policy", Group::Admin, "安全策略", Permission::PolicyWrite, || get(admin::policy)),
    menu("/admin/audit", Group::Admin, "审计日志", Permission::AuditRead, || get(admin::audit)),
    page("/admin/audit/export.xlsx", || get(admin::audit_export)),
    menu("/admin/logins", Group::Admin, "登录日志", Permission::AuditRead, || get(admin::logins)),
    page("/assets/{*path}", || get(assets::serve)),
];
