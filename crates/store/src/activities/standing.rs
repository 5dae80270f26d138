//! The standing of the companies an activity met in the year of the activity (三(三)二): the
//! ranking history (`company_rankings`) read through `domain::ranking::rank_in` — the list of
//! that year, else the latest recorded before it, else the company's current rank; 行业领军
//! as the library marks it now.

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use domain::InvestorStanding;
use domain::ranking::{ListHistory, RankIn, RankingList, rank_in, standing_in};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::Result;
use crate::companies::rankings::ranks_of;
use crate::entity::{company, company_ranking};

/// The lists' recorded years and the companies' rows on them.
#[derive(Default)]
pub(crate) struct Standings {
    /// list → the years recorded (any company's row).
    recorded: HashMap<RankingList, Vec<i32>>,
    /// (company, list) → its (year, rank) rows.
    rows: HashMap<(i64, RankingList), Vec<(i32, i32)>>,
}

impl Standings {
    /// The history of `companies` and the years each list has.
    pub(crate) async fn load<C: ConnectionTrait>(db: &C, companies: &[i64]) -> Result<Standings> {
        let mut s = Standings::default();
        if companies.is_empty() {
            return Ok(s);
        }
        let years: Vec<(String, i32)> = company_ranking::Entity::find()
            .select_only()
            .column(company_ranking::Column::List)
            .column(company_ranking::Column::Year)
            .distinct()
            .into_tuple()
            .all(db)
            .await?;
        let mut recorded: HashMap<RankingList, BTreeSet<i32>> = HashMap::new();
        for (list, year) in years {
            if let Some(l) = RankingList::parse(&list) {
                recorded.entry(l).or_default().insert(year);
            }
        }
        s.recorded = recorded.into_iter().map(|(l, y)| (l, y.into_iter().collect())).collect();
        for chunk in companies.chunks(500) {
            for r in company_ranking::Entity::find()
                .filter(company_ranking::Column::CompanyId.is_in(chunk.to_vec()))
                .all(db)
                .await?
            {
                if let Some(l) = RankingList::parse(&r.list) {
                    s.rows.entry((r.company_id, l)).or_default().push((r.year, r.rank));
                }
            }
        }
        Ok(s)
    }

    /// Each list with the company's rank on it in `year` (None: not on it).
    fn ranks(&self, c: &company::Model, year: i32) -> [(RankingList, Option<RankIn>); 3] {
        ranks_of(c).map(|(list, current)| (list, rank_in(year, &self.history(c.id, list, current))))
    }

    fn history(&self, id: i64, list: RankingList, current: Option<i32>) -> ListHistory<'_> {
        ListHistory {
            recorded: self.recorded.get(&list).map_or(&[][..], Vec::as_slice),
            company: self.rows.get(&(id, list)).map_or(&[][..], Vec::as_slice),
            current,
        }
    }

    /// The company's standing on the day `on` (the year of its list).
    pub(crate) fn standing(&self, c: &company::Model, on: NaiveDate) -> InvestorStanding {
        let [a, b, p] = ranks_of(c).map(|(list, current)| self.history(c.id, list, current));
        standing_in(on.year(), [&a, &b, &p], c.industry_leader)
    }

    /// `2025年世界500强第12位、行业领军企业`: what the company's standing on `on` says.
    pub(crate) fn text(&self, c: &company::Model, on: NaiveDate) -> String {
        let mut parts: Vec<String> = self
            .ranks(c, on.year())
            .into_iter()
            .filter_map(|(list, r)| {
                let r = r?;
                let name = match list {
                    RankingList::ChinaPrivate500 => "中国民营500强",
                    l => l.label(),
                };
                Some(match r.year {
                    Some(y) => format!("{y}年{name}第{}位", r.rank),
                    None => format!("{name}第{}位", r.rank),
                })
            })
            .collect();
        if c.industry_leader {
            parts.push("行业领军企业".into());
        }
        parts.join("、")
    }
}
