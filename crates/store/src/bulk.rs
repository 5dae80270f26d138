//! Loading many projects at once (the demo dataset, and the ledger importer to come):
//! the same validation and stage rules as one-by-one writes, but the rules run in memory
//! and the rows go in with multi-row INSERTs, so 100,000 projects load in seconds.
//! The batch is one audited event (its counts include the city-reportable claims opened).

use std::collections::HashMap;

use domain::review::{claim_state, funds_need_review, needs_review, review_after_claim};
use domain::stage::{self, StageState, TransitionRequest};
use domain::{FieldError, Permission, Stage};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use crate::audit::Event;
use crate::entity::{company, funds_entry, project_gram, project_investor, transition};
use crate::funds::NewFunds;
use crate::projects::{ProjectInput, TransitionInput, project_code, search_index};
use crate::reviews::{opens_reportable, reason_of, reportable_claim_row};
use crate::rows::{CHUNK, insert_chunks};
use crate::{Result, StoreError, Tx};

/// One project with its history.
#[derive(Debug, Clone, Default)]
pub struct BulkProject {
    pub input: ProjectInput,
    /// Applied in order, under the rules of domain.md §4.
    pub transitions: Vec<TransitionInput>,
    pub funds: Vec<NewFunds>,
}

impl Tx<'_> {
    /// Insert `items` in this transaction. Any invalid item fails the whole call (the
    /// transaction then writes nothing); the error names the item by its position.
    pub async fn bulk_insert_projects(&self, items: Vec<BulkProject>) -> Result<Vec<i64>> {
        let (txn, actor) = (&self.txn, self.actor());
        let mut ids: Vec<i64> = items.iter().flat_map(|i| i.input.investor_ids.iter().copied()).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut companies: HashMap<i64, company::Model> = HashMap::new();
        for chunk in ids.chunks(CHUNK) {
            for c in company::Entity::find().filter(company::Column::Id.is_in(chunk.to_vec())).all(txn).await? {
                companies.insert(c.id, c);
            }
        }
        // the 包联领导 the items name (by id, or by a text's name), loaded once
        let texts: Vec<&str> = items.iter().filter_map(|i| i.input.lead_leader.as_deref()).collect();
        let leader_ids: Vec<i64> = items.iter().filter_map(|i| i.input.lead_leader_id).collect();
        let book = crate::leaders::LeaderBook::load(txn, &texts, &leader_ids).await?;
        let tree = self.store().unit_tree();
        let may_correct = domain::access::has_permission(&actor.roles, Permission::ProjectCorrect);
        let today = domain::today_shanghai();
        let by_city = actor.is_city();
        let policy = self.store().review_policy_on(txn).await?;
        let (mut investor_rows, mut gram_rows, mut transition_rows, mut funds_rows) = (vec![], vec![], vec![], vec![]);
        let mut reportable_rows = vec![];
        let mut created = Vec::with_capacity(items.len());
        for (n, item) in items.into_iter().enumerate() {
            let label = |e: StoreError| match e {
                StoreError::Validation(f) => StoreError::Validation(
                    f.into_iter()
                        .map(|f| {
                            FieldError::new(f.field, format!("第{}项「{}」：{}", n + 1, item.input.name, f.message))
                        })
                        .collect(),
                ),
                other => other,
            };
            let mut errors = vec![];
            let mut investors = vec![];
            for id in &item.input.investor_ids {
                match companies.get(id) {
                    Some(c) if !investors.iter().any(|i: &company::Model| i.id == *id) => investors.push(c.clone()),
                    Some(_) => {}
                    None => errors.push(FieldError::new("investor_ids", format!("投资方企业 {id} 不存在"))),
                }
            }
            let i = &item.input;
            let lead = tree
                .find(&i.unit)
                .map(|u| book.resolve(&tree, u.id, i.lead_leader.as_deref(), i.lead_leader_id, &mut errors));
            let (mut am, created_at) = self.s.prepare_row(&item.input, &investors, errors).map_err(label)?;
            if let Some(lead) = lead {
                am.lead_leader = Set(lead.text);
                am.lead_leader_id = Set(lead.id);
            }
            // The history, through the same rules as one-by-one transitions.
            let reportable = matches!(am.city_reportable, sea_orm::ActiveValue::Set(true));
            let reason = if by_city { String::new() } else { reason_of(item.input.total_investment, &investors) };
            let mut state = StageState::new();
            let (mut review, mut accepted) = (domain::ReviewState::None, Stage::Reserve);
            let mut history = vec![];
            for t in &item.transitions {
                let req = TransitionRequest {
                    to: t.to,
                    date: t.date,
                    skipped_dates: t.skipped_dates.clone(),
                    reason: t.reason.clone(),
                    may_correct,
                    today,
                };
                let applied = stage::apply(&state, &req)
                    .map_err(|e| StoreError::Conflict(format!("第{}项「{}」：{e}", n + 1, item.input.name)))?;
                let is_claim = !by_city && needs_review(t.to, reportable, policy);
                let (r, a) = review_after_claim(by_city, is_claim, review, accepted, applied.state.stage);
                history.push((state.stage, t.clone(), applied.correction, is_claim));
                (review, accepted, state) = (r, a, applied.state);
            }
            for f in &item.funds {
                let errs = crate::funds::validate(f);
                if !errs.is_empty() {
                    return Err(label(StoreError::Validation(errs)));
                }
            }
            am.stage = Set(state.stage.code().into());
            am.paused_from = Set(state.paused_from.map(|s| s.code().to_string()));
            am.accepted_stage = Set(accepted.code().into());
            am.review_state = Set(review.code().into());
            am.signed_on = Set(state.dates.signed_on);
            am.approved_on = Set(state.dates.approved_on);
            am.started_on = Set(state.dates.started_on);
            am.producing_on = Set(state.dates.producing_on);
            am.at_capacity_on = Set(state.dates.at_capacity_on);
            am.last_transition_on = Set(state.last_date);
            let row = am.insert(txn).await?;
            let code = project_code(created_at, row.id);
            let (text, grams) = search_index(&row.name, &code, &investors);
            let (id, unit_id) = (row.id, row.unit_id);
            let mut am = row.into_active_model();
            am.code = Set(code);
            am.search_text = Set(text);
            am.update(txn).await?;
            for (pos, c) in investors.iter().enumerate() {
                investor_rows.push(project_investor::ActiveModel {
                    project_id: Set(id),
                    company_id: Set(c.id),
                    position: Set(pos as i32),
                });
            }
            gram_rows.extend(grams.into_iter().map(|g| project_gram::ActiveModel {
                gram: Set(g),
                project_id: Set(id),
                unit_id: Set(unit_id),
            }));
            let now = crate::now();
            let funds_claim = !by_city && funds_need_review(reportable, policy);
            for (from, t, correction, is_claim) in history {
                let skipped = (!t.skipped_dates.is_empty())
                    .then(|| {
                        serde_json::to_string(
                            &t.skipped_dates.iter().map(|(s, d)| (s.code(), d.to_string())).collect::<HashMap<_, _>>(),
                        )
                        .ok()
                    })
                    .flatten();
                transition_rows.push(transition::ActiveModel {
                    project_id: Set(id),
                    from_stage: Set(from.code().into()),
                    to_stage: Set(t.to.code().into()),
                    date: Set(t.date),
                    note: Set(t.note.filter(|s| !s.trim().is_empty())),
                    reason: Set(t.reason.filter(|s| !s.trim().is_empty())),
                    skipped_dates: Set(skipped),
                    correction: Set(correction),
                    review_state: Set(claim_state(!is_claim).code().into()),
                    created_by: Set(actor.user_id),
                    created_at: Set(now),
                    ..Default::default()
                });
            }
            for f in item.funds {
                funds_rows.push(funds_entry::ActiveModel {
                    project_id: Set(id),
                    date: Set(f.date),
                    kind: Set(f.kind),
                    amount: Set(f.amount.hundredths()),
                    note: Set(f.note.filter(|s| !s.trim().is_empty())),
                    review_state: Set(claim_state(!funds_claim).code().into()),
                    created_by: Set(actor.user_id),
                    created_at: Set(now),
                    deleted_at: Set(None),
                    ..Default::default()
                });
            }
            // 三(一)一: a unit's city-reportable project waits for the city
            if opens_reportable(false, &reason, by_city) {
                reportable_rows.push(reportable_claim_row(id, reason, actor.user_id));
            }
            created.push(id);
        }
        let counts = serde_json::json!({
            "projects": created.len(),
            "transitions": transition_rows.len(),
            "funds_entries": funds_rows.len(),
            "reportable_claims": reportable_rows.len(),
            "first_id": created.first(),
            "last_id": created.last(),
        });
        insert_chunks(txn, investor_rows).await?;
        insert_chunks(txn, gram_rows).await?;
        insert_chunks(txn, transition_rows).await?;
        insert_chunks(txn, funds_rows).await?;
        insert_chunks(txn, reportable_rows).await?;
        if !by_city {
            self.open_claims_of(&created).await?;
        }
        let ev = Event {
            action: domain::AuditAction::ProjectBulkCreate,
            entity: "project",
            entity_id: None,
            before: None,
            after: Some(counts),
            result: "ok",
        };
        self.audit(ev).await?;
        Ok(created)
    }
}
