//! Drafting and publishing a bulletin, each audited in its transaction. No other write:
//! a published bulletin is never changed again.

use chrono::{Datelike, NaiveDate};
use domain::assessment::BulletinState;
use domain::assessment::bulletin::{BulletinContent, normalise_number};
use domain::fields::BULLETIN;
use domain::{AuditAction, FieldError, Permission};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

use super::{Bulletin, view};
use crate::assessment::stored::sha256_hex;
use crate::audit::Event;
use crate::entity::{assessment_run, bulletin};
use crate::handle::{one_shot, update_versioned_or};
use crate::{Result, Scope, StoreError, Tx};

/// A new draft.
#[derive(Debug, Clone)]
pub struct BulletinInput {
    pub run_id: i64,
    /// 文号 (`郑商通〔2025〕12号`; ASCII or full-width brackets are normalised to 〔〕).
    pub number: String,
    pub title: String,
    /// 成文日期.
    pub date: NaiveDate,
}

/// Renders a bulletin's content as the HTML fragment that is frozen and hashed.
pub type Render<'a> = &'a (dyn Fn(&BulletinContent) -> Result<String, String> + Send + Sync);

one_shot! {
    write fn create_bulletin(input: BulletinInput) -> Bulletin;
}

impl crate::Scoped<'_> {
    /// Freeze draft `id`: its content built as of `today` (read before the transaction
    /// opens), rendered by `render`, stored in one transaction with the SHA-256 of the
    /// rendered HTML and the run's `inputs_sha256`; `published_at/by` set. 409 when already
    /// published (or published meanwhile); `bulletin:write` city-wide; audited with the
    /// hashes.
    pub async fn publish_bulletin(&self, id: i64, today: NaiveDate, render: Render<'_>) -> Result<Bulletin> {
        self.require(Permission::BulletinWrite)?;
        if self.actor.scope != Scope::All {
            return Err(StoreError::Forbidden);
        }
        let draft = self.bulletin(id).await?;
        if draft.state == BulletinState::Published {
            return Err(already(&draft.number));
        }
        let content = self.build_content(&draft, today).await?;
        let html = render(&content).map_err(StoreError::Conflict)?;
        let tx = self.begin().await?;
        let out = tx.freeze_bulletin(&draft, &content, html).await?;
        tx.commit().await?;
        Ok(out)
    }
}

impl Tx<'_> {
    fn require_city_write(&self) -> Result<()> {
        self.s.require(Permission::BulletinWrite)?;
        if self.actor().scope != Scope::All {
            return Err(StoreError::Forbidden);
        }
        Ok(())
    }

    /// A draft of run `run_id` (422 naming `run_id` when there is no such run), with a 文号
    /// (checked, normalised, unique: 422 `number` 文号已被使用), a title (required, ≤ 200)
    /// and a date; its year is the run's (the year its period ends in). `bulletin:write`
    /// city-wide; audited.
    pub async fn create_bulletin(&self, input: BulletinInput) -> Result<Bulletin> {
        self.require_city_write()?;
        let mut errors = vec![];
        let run = assessment_run::Entity::find_by_id(input.run_id).one(&self.txn).await?;
        if run.is_none() {
            errors.push(FieldError::new("run_id", format!("考核结果 #{} 不存在", input.run_id)));
        }
        BULLETIN.check_len("number", input.number.trim(), &mut errors);
        let number = match normalise_number(&input.number) {
            Ok(n) => Some(n),
            Err(m) => {
                if !errors.iter().any(|e| e.field == "number") {
                    errors.push(FieldError::new("number", m));
                }
                None
            }
        };
        if let Some(n) = &number {
            let dup = bulletin::Entity::find().filter(bulletin::Column::Number.eq(n.clone())).one(&self.txn).await?;
            if dup.is_some() {
                errors.push(FieldError::new("number", format!("文号已被使用：{n}")));
            }
        }
        BULLETIN.check_required("title", &input.title, &mut errors);
        let (Some(run), Some(number), true) = (run, number, errors.is_empty()) else {
            return Err(StoreError::Validation(errors));
        };
        let am = bulletin::ActiveModel {
            run_id: Set(run.id),
            number: Set(number),
            title: Set(input.title.trim().to_string()),
            issued_on: Set(input.date),
            year: Set(run.period_to.year()),
            state: Set(BulletinState::Draft.code().into()),
            ..Default::default()
        };
        let row = self.insert_new(am).await?;
        let out = view(row, false)?;
        self.audited(Event::ok(AuditAction::BulletinCreate, "bulletin", out.id), out).await
    }

    /// The publishing write of [`crate::Scoped::publish_bulletin`]: the draft as read at
    /// `draft.version`, still a draft (409 otherwise).
    async fn freeze_bulletin(&self, draft: &Bulletin, content: &BulletinContent, html: String) -> Result<Bulletin> {
        self.require_city_write()?;
        let id = draft.id;
        let json = content.canonical_json().map_err(|e| StoreError::Conflict(format!("通报内容无法保存：{e}")))?;
        let sha = sha256_hex(html.as_bytes());
        let now = crate::now();
        let am = bulletin::ActiveModel {
            state: Set(BulletinState::Published.code().into()),
            content: Set(Some(json)),
            content_html: Set(Some(html)),
            sha256: Set(Some(sha.clone())),
            inputs_sha256: Set(Some(content.inputs_sha256.clone())),
            published_at: Set(Some(now)),
            published_by: Set(self.actor().user_id),
            version: Set(draft.version + 1),
            updated_at: Set(now),
            ..Default::default()
        };
        let still_draft = sea_orm::Condition::all().add(bulletin::Column::State.eq(BulletinState::Draft.code()));
        let (key, version) = ((bulletin::Column::Id, id), (bulletin::Column::Version, draft.version));
        update_versioned_or(&self.txn, am, key, version, still_draft, || already(&draft.number)).await?;
        let fresh = bulletin::Entity::find_by_id(id).one(&self.txn).await?.ok_or(StoreError::NotFound)?;
        let out = view(fresh, true)?;
        let summary = serde_json::json!({
            "number": out.number, "run_id": out.run_id, "sha256": sha,
            "inputs_sha256": content.inputs_sha256, "output_sha256": content.output_sha256,
        });
        self.audit(Event::ok(AuditAction::BulletinPublish, "bulletin", id).after(summary)).await?;
        Ok(out)
    }
}

fn already(number: &str) -> StoreError {
    StoreError::Conflict(format!("通报{number}已发布，不能再次发布或修改"))
}
