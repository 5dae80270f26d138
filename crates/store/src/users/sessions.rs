//! Sessions (server-side, the token stored hashed) and the login log.

use chrono::{DateTime, Utc};
use domain::Role;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, FromQueryResult, IntoActiveModel, QueryFilter, Set};

use crate::audit::{self, Event};
use crate::entity::{login_record, session, user};
use crate::{Actor, Result, Scoped, Store, StoreError};

use super::{UNKNOWN_USER, User, WRONG_PASSWORD, WRONG_TOTP};

/// A live session: who, and the session row id.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub session_id: i64,
    pub user: User,
    pub last_seen_at: DateTime<Utc>,
    pub password_changed_at: DateTime<Utc>,
}

/// A line of the login log: `actor` logged in at `at`, or failed for `failure`.
async fn log_login(
    txn: &sea_orm::DatabaseTransaction,
    actor: &Actor,
    at: DateTime<Utc>,
    user_id: Option<i64>,
    failure: Option<&str>,
) -> Result<()> {
    login_record::ActiveModel {
        at: Set(at),
        username: Set(actor.username.clone()),
        user_id: Set(user_id),
        address: Set(actor.address.clone()),
        success: Set(failure.is_none()),
        reason: Set(failure.map(str::to_string)),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

impl Store {
    /// Store a new session (the token hash only) and audit the login, in one transaction.
    pub async fn create_session(&self, actor: &Actor, token_hash: &str, expires_at: DateTime<Utc>) -> Result<i64> {
        let txn = self.write_quiet().await?;
        let now = crate::now();
        let user_id = actor.user_id.ok_or(StoreError::Forbidden)?;
        let s = session::ActiveModel {
            token_hash: Set(token_hash.to_string()),
            user_id: Set(user_id),
            address: Set(actor.address.clone()),
            created_at: Set(now),
            last_seen_at: Set(now),
            expires_at: Set(expires_at),
            ended_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        log_login(&txn, actor, now, Some(user_id), None).await?;
        audit::record(&txn, actor, Event::ok(domain::AuditAction::AuthLogin, "session", s.id)).await?;
        txn.commit().await?;
        Ok(s.id)
    }

    /// A failed login: login log and audit, with the (Chinese) reason.
    pub async fn record_login_failure(&self, actor: &Actor, user_id: Option<i64>, reason: &str) -> Result<()> {
        let txn = self.write_quiet().await?;
        log_login(&txn, actor, crate::now(), user_id, Some(reason)).await?;
        let ev = Event {
            action: domain::AuditAction::AuthLogin,
            entity: "user",
            entity_id: user_id.map(|i| i.to_string()),
            before: None,
            after: None,
            result: "denied",
        };
        audit::record(&txn, actor, ev).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The session behind a token hash, if live (not ended, not expired, user enabled).
    /// One round trip — it runs on every API request.
    pub async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<SessionUser>> {
        #[derive(sea_orm::FromQueryResult)]
        struct Row {
            session_id: i64,
            last_seen_at: DateTime<Utc>,
            id: i64,
            username: String,
            display_name: String,
            password_hash: String,
            unit_id: Option<i64>,
            disabled: bool,
            must_change_password: bool,
            password_changed_at: DateTime<Utc>,
            totp_secret: Option<String>,
            totp_enabled: bool,
            totp_last_step: Option<i64>,
            version: i32,
            created_at: DateTime<Utc>,
            updated_at: DateTime<Utc>,
            role: Option<String>,
        }
        let sql = format!(
            "SELECT s.id AS session_id, s.last_seen_at, u.*, r.role FROM sessions s \
             JOIN users u ON u.id = s.user_id LEFT JOIN user_roles r ON r.user_id = u.id \
             WHERE s.token_hash = {} AND s.ended_at IS NULL AND s.expires_at > {} AND u.disabled = {}",
            self.ph(1),
            self.ph(2),
            self.ph(3)
        );
        let rows = Row::find_by_statement(sea_orm::Statement::from_sql_and_values(
            self.backend(),
            sql,
            [token_hash.into(), now.into(), false.into()],
        ))
        .all(self.db())
        .await?;
        let Some(first) = rows.first() else { return Ok(None) };
        let mut roles: Vec<Role> = rows.iter().filter_map(|r| r.role.as_deref().and_then(Role::parse)).collect();
        roles.sort();
        let (session_id, last_seen_at, password_changed_at) =
            (first.session_id, first.last_seen_at, first.password_changed_at);
        let f = rows.into_iter().next().ok_or(StoreError::NotFound)?;
        let m = user::Model {
            id: f.id,
            username: f.username,
            display_name: f.display_name,
            password_hash: f.password_hash,
            unit_id: f.unit_id,
            disabled: f.disabled,
            must_change_password: f.must_change_password,
            password_changed_at: f.password_changed_at,
            totp_secret: f.totp_secret,
            totp_enabled: f.totp_enabled,
            totp_last_step: f.totp_last_step,
            version: f.version,
            created_at: f.created_at,
            updated_at: f.updated_at,
        };
        Ok(Some(SessionUser { session_id, user: self.to_user(m, roles), last_seen_at, password_changed_at }))
    }

    /// Note activity (for the idle timeout); callers rate-limit this to spare the writer.
    pub async fn touch_session(&self, session_id: i64, now: DateTime<Utc>) -> Result<()> {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, sea_orm::sea_query::Expr::value(now))
            .filter(session::Column::Id.eq(session_id))
            .exec(self.db())
            .await?;
        Ok(())
    }

    pub async fn end_session(&self, actor: &Actor, session_id: i64) -> Result<()> {
        let txn = self.write_quiet().await?;
        if let Some(s) = session::Entity::find_by_id(session_id).one(&txn).await? {
            let mut am = s.into_active_model();
            am.ended_at = Set(Some(crate::now()));
            am.update(&txn).await?;
        }
        audit::record(&txn, actor, Event::ok(domain::AuditAction::AuthLogout, "session", session_id)).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Times of wrong-password (or unknown-username) logins for a username since `since` (for lockout).
    pub async fn password_failures(&self, username: &str, since: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>> {
        Ok(login_record::Entity::find()
            .filter(login_record::Column::Username.eq(username))
            .filter(login_record::Column::Success.eq(false))
            .filter(login_record::Column::Reason.is_in([WRONG_PASSWORD, UNKNOWN_USER, WRONG_TOTP]))
            .filter(login_record::Column::At.gte(since))
            .all(self.db())
            .await?
            .into_iter()
            .map(|r| r.at)
            .collect())
    }
}

impl Scoped<'_> {
    pub async fn login_log(&self, limit: u64) -> Result<Vec<login_record::Model>> {
        Ok(self.login_page(1, limit).await?.0)
    }

    /// A page of the login log, newest first (`audit:read`).
    pub async fn login_page(&self, page: u64, per_page: u64) -> Result<(Vec<login_record::Model>, u64)> {
        self.require(domain::Permission::AuditRead)?;
        let q = login_record::Entity::find();
        crate::audit::newest_first(self.store, q, login_record::Column::Id, page, per_page).await
    }
}
