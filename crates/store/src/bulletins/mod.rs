//! 通报 (assessment.md, Bulletins; issue 13 item 7): a stored run frozen into a numbered
//! bulletin. A draft names a run, a 文号, a title and a date; publishing builds the content
//! ([`domain::assessment::BulletinContent`]: the ranking with every indicator, the year's
//! top-10 for the annual scheme, the 五职 table, the warnings per unit, 红黑榜, 版记) and has
//! the caller render it (the web layer's 公文 template), then freezes, in one transaction:
//! `content` (canonical JSON), `content_html` (the rendered fragment), `sha256` and the run's
//! `inputs_sha256`. **`sha256` is the SHA-256 of `content_html`'s UTF-8 bytes** — "the rendered
//! content" is exactly what the print page shows between its header and its 版记 shell.
//! Nothing of a published bulletin changes again: there is no update path, a second publish
//! is 409.
//!
//! Who: `bulletin:write` (city_admin) drafts and publishes; `bulletin:read` lists and reads —
//! the city every bulletin, everyone else only published ones (a draft is 404 to them).
//! [`Scoped::verify_bulletin`] re-hashes the stored HTML and recomputes the ranking from the
//! records as they stand now (never stored) to show what changed since.

use chrono::{DateTime, NaiveDate, Utc};
use domain::assessment::bulletin::{self as rules, BulletinContent, Top10Entry, WarningCount};
use domain::assessment::{Assessment, BulletinState, Difference, Scheme, compare};
use domain::{Money, Permission};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

mod write;

pub use write::BulletinInput;

use crate::assessment::stored::sha256_hex;
use crate::entity::{bulletin, project, top10_pick};
use crate::warnings::WarningFilter;
use crate::{Actor, Result, Scope, Scoped, StoreError};

/// A bulletin as the API and the pages show it (`content`/`content_html` only when read one
/// by one, and only once published).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bulletin {
    pub id: i64,
    pub run_id: i64,
    pub number: String,
    pub title: String,
    /// 成文日期.
    pub date: NaiveDate,
    pub year: i32,
    pub state: BulletinState,
    pub sha256: Option<String>,
    pub inputs_sha256: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub published_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
    pub content: Option<BulletinContent>,
    pub content_html: Option<String>,
}

/// What [`Scoped::verify_bulletin`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// The stored HTML still hashes to the stored `sha256`.
    pub ok: bool,
    /// The stored hash.
    pub sha256: String,
    /// The hash of the stored HTML as computed now.
    pub computed: String,
    /// The frozen ranking against a recomputation now (a unit user: its own units only).
    pub differences: Vec<Difference>,
}

fn view(r: bulletin::Model, with_content: bool) -> Result<Bulletin> {
    let state = BulletinState::parse(&r.state).unwrap_or(BulletinState::Draft);
    let content = match (&r.content, with_content) {
        (Some(c), true) => {
            Some(serde_json::from_str(c).map_err(|e| StoreError::Conflict(format!("通报 #{} 无法读取：{e}", r.id)))?)
        }
        _ => None,
    };
    Ok(Bulletin {
        id: r.id,
        run_id: r.run_id,
        number: r.number,
        title: r.title,
        date: r.issued_on,
        year: r.year,
        state,
        sha256: r.sha256,
        inputs_sha256: r.inputs_sha256,
        published_at: r.published_at,
        published_by: r.published_by,
        created_at: r.created_at,
        version: r.version,
        content,
        content_html: if with_content { r.content_html } else { None },
    })
}

impl Scoped<'_> {
    /// Whether the caller sees drafts: `bulletin:write` with the city-wide scope.
    fn sees_drafts(&self) -> bool {
        self.may(Permission::BulletinWrite) && self.actor.scope == Scope::All
    }

    /// The bulletins, newest first, paged (`page` from 1): the city all, others the
    /// published ones. `bulletin:read`.
    pub async fn bulletins(&self, page: u64, per_page: u64) -> Result<(Vec<Bulletin>, u64)> {
        self.require(Permission::BulletinRead)?;
        let mut q = bulletin::Entity::find();
        if !self.sees_drafts() {
            q = q.filter(bulletin::Column::State.eq(BulletinState::Published.code()));
        }
        let total = q.clone().count(self.store.db()).await?;
        let q = q.order_by_desc(bulletin::Column::IssuedOn).order_by_desc(bulletin::Column::Id);
        let rows = crate::page_rows(self.store.db(), q, page, per_page).await?;
        Ok((rows.into_iter().map(|r| view(r, false)).collect::<Result<_>>()?, total))
    }

    /// The latest published bulletin with its content (the 工作台's 红黑榜), if any.
    pub async fn latest_published_bulletin(&self) -> Result<Option<Bulletin>> {
        self.require(Permission::BulletinRead)?;
        let row = bulletin::Entity::find()
            .filter(bulletin::Column::State.eq(BulletinState::Published.code()))
            .order_by_desc(bulletin::Column::PublishedAt)
            .order_by_desc(bulletin::Column::Id)
            .one(self.store.db())
            .await?;
        row.map(|r| view(r, true)).transpose()
    }

    /// One bulletin with its frozen content (404 unknown, and a draft for whoever does not
    /// see drafts).
    pub async fn bulletin(&self, id: i64) -> Result<Bulletin> {
        self.require(Permission::BulletinRead)?;
        let row = bulletin::Entity::find_by_id(id).one(self.store.db()).await?.ok_or(StoreError::NotFound)?;
        if row.state != BulletinState::Published.code() && !self.sees_drafts() {
            return Err(StoreError::NotFound);
        }
        view(row, true)
    }

    /// A draft's content as it would be frozen if published on `today` (the city only).
    pub async fn bulletin_preview(&self, id: i64, today: NaiveDate) -> Result<BulletinContent> {
        self.require(Permission::BulletinWrite)?;
        let b = self.bulletin(id).await?;
        if let Some(c) = b.content {
            return Ok(c);
        }
        self.build_content(&b, today).await
    }

    /// The content of bulletin `b` from its run, the year's top-10 picks (annual scheme)
    /// and the warnings as of `today`.
    pub(crate) async fn build_content(&self, b: &Bulletin, today: NaiveDate) -> Result<BulletinContent> {
        let run = self.stored_run(b.run_id).await?;
        let text = self.run_scheme_text(b.run_id).await?;
        let annual = Scheme::parse(&text).map(|s| s.top10_bonus.is_some()).unwrap_or(false);
        let top10 = if annual { self.top10_entries(b.year).await? } else { vec![] };
        let warnings = self.warning_counts(&run.assessment, today).await?;
        let (red_list, black_list) = rules::red_black(&run.assessment, 3);
        let leaders = self
            .leader_table(run.from, run.to)
            .await?
            .items
            .into_iter()
            .filter(|r| r.figures != domain::assessment::leaders::LeaderFigures::default())
            .map(|r| rules::LeaderLine {
                name: r.name,
                position: r.position,
                unit_name: r.unit_name,
                figures: r.figures,
            })
            .collect();
        Ok(BulletinContent {
            number: b.number.clone(),
            title: b.title.clone(),
            date: b.date,
            issuer: rules::ISSUER.into(),
            scheme: run.name.clone(),
            from: run.from,
            to: run.to,
            run_id: run.id,
            inputs_sha256: run.inputs_sha256.clone(),
            output_sha256: run.output_sha256.clone(),
            ranking: run.assessment,
            top10,
            leaders,
            warnings,
            warnings_on: today,
            red_list,
            black_list,
            copy_to: rules::COPY_TO.into(),
            printed_by: rules::PRINTED_BY.into(),
        })
    }

    /// The year's top-10 picks in order, with each project's unit and total investment.
    async fn top10_entries(&self, year: i32) -> Result<Vec<Top10Entry>> {
        let picks = top10_pick::Entity::find()
            .filter(top10_pick::Column::Year.eq(year))
            .order_by_asc(top10_pick::Column::Position)
            .all(self.store.db())
            .await?;
        let ids: Vec<i64> = picks.iter().map(|p| p.project_id).collect();
        let projects = project::Entity::find().filter(project::Column::Id.is_in(ids)).all(self.store.db()).await?;
        let tree = self.store.unit_tree();
        Ok(picks
            .into_iter()
            .filter_map(|pick| {
                let p = projects.iter().find(|p| p.id == pick.project_id)?;
                let (unit, unit_name) = tree.code_name(p.unit_id);
                Some(Top10Entry {
                    position: pick.position,
                    project_code: p.code.clone(),
                    project_name: p.name.clone(),
                    unit,
                    unit_name,
                    total_investment: Money::from_hundredths(p.total_investment).to_decimal(),
                    citation: pick.citation,
                })
            })
            .collect())
    }

    /// Red and yellow warnings as of `today` per ranked unit (its subtree), in rank order;
    /// counted city-wide whoever publishes.
    async fn warning_counts(&self, a: &Assessment, today: NaiveDate) -> Result<Vec<WarningCount>> {
        let city = Actor::system("bulletin");
        let items = self.store.scoped(&city).warnings(&WarningFilter::default(), today).await?;
        let tree = self.store.unit_tree();
        Ok(a.results
            .iter()
            .map(|r| {
                let subtree = tree.find(&r.unit.code).map(|u| tree.subtree(u.id)).unwrap_or_default();
                let of = |level: &str| {
                    items.iter().filter(|w| w.level == level && subtree.contains(&w.unit_id)).count() as u32
                };
                WarningCount {
                    unit: r.unit.code.clone(),
                    unit_name: r.unit.name.clone(),
                    red: of("red"),
                    yellow: of("yellow"),
                }
            })
            .collect())
    }

    /// Re-hash the stored HTML of a published bulletin (ok = it still matches `sha256`) and
    /// recompute its ranking now — the run's scheme over the records as they stand, with the
    /// manual values, 加减分 and top-10 picks recorded now (`run_recorded`) — listing every
    /// difference from the frozen ranking. Nothing is stored. 409 for a draft.
    pub async fn verify_bulletin(&self, id: i64, _today: NaiveDate) -> Result<Verification> {
        let b = self.bulletin(id).await?;
        let (Some(sha), Some(html), Some(content)) = (b.sha256, b.content_html, b.content) else {
            return Err(StoreError::Conflict("通报尚未发布，无可核验".into()));
        };
        let computed = sha256_hex(html.as_bytes());
        let system = Actor::system("bulletin-verify");
        let all = self.store.scoped(&system);
        let text = all.run_scheme_text(b.run_id).await?;
        let scheme = Scheme::parse(&text).map_err(crate::assessment::problems_error)?;
        let (now, _, _) = all.run_recorded(&scheme, None).await?;
        let tree = self.store.unit_tree();
        let differences = compare(&content.ranking, &now.assessment)
            .into_iter()
            .filter(|d| tree.find(&d.unit.code).is_some_and(|u| self.actor.scope.allows_unit(u.id)))
            .collect();
        Ok(Verification { ok: computed == sha, sha256: sha, computed, differences })
    }
}

impl Scoped<'_> {
    /// A published bulletin's frozen content for its workbook; the download audited
    /// (`bulletin.export`). 409 for a draft.
    pub async fn export_bulletin(&self, id: i64) -> Result<BulletinContent> {
        let b = self.bulletin(id).await?;
        let content = b.content.ok_or_else(|| StoreError::Conflict("通报尚未发布，不能导出".into()))?;
        let ev = crate::audit::Event::ok(domain::AuditAction::BulletinExport, "bulletin", id)
            .after(serde_json::json!({"number": b.number, "sha256": b.sha256}));
        self.audit_alone(ev).await?;
        Ok(content)
    }
}
