//! The demo's 领导名录 (domain.md §6): the leaders the projects name as 包联领导 — each unit's
//! secretary and chief (党政正职) and three deputies, and the city leaders — registered so
//! that every project's 包联领导 text matches one of them by name and unit.

use domain::leader::LeaderLevel;

use crate::catalog::UNITS;
use crate::projects::Rosters;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLeader {
    pub name: String,
    pub position: String,
    /// units.csv code: an assessed unit, or `zhengzhou` for a city leader.
    pub unit: &'static str,
    pub level: LeaderLevel,
}

/// `张伟（金水区委书记）` → (张伟, 金水区委书记).
fn split(text: &str) -> (String, String) {
    match text.split_once('（') {
        Some((name, rest)) => (name.to_string(), rest.trim_end_matches('）').to_string()),
        None => (text.to_string(), String::new()),
    }
}

/// Every roster as the register: city leaders first, then each unit's, in roster order (the
/// first two of a unit lead it: 党政正职; the others are deputies).
pub(crate) fn register(rosters: &Rosters) -> Vec<DemoLeader> {
    let city = rosters.city.iter().map(|t| {
        let (name, position) = split(t);
        DemoLeader { name, position, unit: "zhengzhou", level: LeaderLevel::CityLeader }
    });
    let units = UNITS.iter().zip(&rosters.units).flat_map(|(u, roster)| {
        roster.iter().enumerate().map(move |(i, t)| {
            let (name, position) = split(t);
            let level = if i < 2 { LeaderLevel::UnitChief } else { LeaderLevel::UnitDeputy };
            DemoLeader { name, position, unit: u.code, level }
        })
    });
    city.chain(units).collect()
}
