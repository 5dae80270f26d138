//! The reference tables (units, industries, regions, channels), embedded from
//! `reference/*.csv` — copies of the city's tables; the product never reads files for them.

use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent: Option<String>,
    pub assessed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub code: String,
    pub name: String,
    /// industries: the parent code; regions: the group (domestic/foreign); channels: none.
    pub parent: Option<String>,
}

pub const UNITS_CSV: &str = include_str!("../reference/units.csv");
pub const INDUSTRIES_CSV: &str = include_str!("../reference/industries.csv");
pub const REGIONS_CSV: &str = include_str!("../reference/regions.csv");
pub const CHANNELS_CSV: &str = include_str!("../reference/channels.csv");

crate::vocabulary! {
    /// The kind of a unit in the tree (domain.md §2).
    pub enum UnitKind;
}

/// Unit kinds, code → label (the one table is `UnitKind`'s).
pub const UNIT_KINDS: [(&str, &str); 6] = UnitKind::TABLE;

fn rows(csv: &str) -> impl Iterator<Item = Vec<&str>> {
    // The embedded tables are simple: no quoting, no commas inside fields.
    csv.lines().skip(1).filter(|l| !l.trim().is_empty()).map(|l| l.split(',').map(str::trim).collect())
}

fn opt(s: Option<&&str>) -> Option<String> {
    s.filter(|v| !v.is_empty()).map(|v| v.to_string())
}

pub fn units() -> &'static [UnitRow] {
    static U: LazyLock<Vec<UnitRow>> = LazyLock::new(|| {
        rows(UNITS_CSV)
            .map(|r| UnitRow {
                code: r.first().copied().unwrap_or_default().to_string(),
                name: r.get(1).copied().unwrap_or_default().to_string(),
                kind: r.get(2).copied().unwrap_or_default().to_string(),
                parent: opt(r.get(3)),
                assessed: r.get(4) == Some(&"true"),
            })
            .collect()
    });
    &U
}

fn entries(csv: &str) -> Vec<Entry> {
    rows(csv)
        .map(|r| Entry {
            code: r.first().copied().unwrap_or_default().to_string(),
            name: r.get(1).copied().unwrap_or_default().to_string(),
            parent: opt(r.get(2)),
        })
        .collect()
}

pub fn industries() -> &'static [Entry] {
    static I: LazyLock<Vec<Entry>> = LazyLock::new(|| entries(INDUSTRIES_CSV));
    &I
}

pub fn regions() -> &'static [Entry] {
    static R: LazyLock<Vec<Entry>> = LazyLock::new(|| entries(REGIONS_CSV));
    &R
}

pub fn channels() -> &'static [Entry] {
    static C: LazyLock<Vec<Entry>> = LazyLock::new(|| entries(CHANNELS_CSV));
    &C
}

fn find<'a>(table: &'a [Entry], text: &str) -> Option<&'a Entry> {
    let t = text.trim();
    table.iter().find(|e| e.code == t || e.name == t)
}

/// An industry by code or Chinese name.
pub fn industry(text: &str) -> Option<&'static Entry> {
    find(industries(), text)
}

/// A region by code or Chinese name; also the short name before the bracket (`长三角`).
pub fn region(text: &str) -> Option<&'static Entry> {
    find(regions(), text).or_else(|| {
        let t = text.trim();
        regions().iter().find(|e| !t.is_empty() && e.name.split(['(', '（']).next() == Some(t))
    })
}

/// A channel by code, name or short form (`空中`).
pub fn channel(text: &str) -> Option<&'static Entry> {
    find(channels(), text).or_else(|| {
        let t = text.trim();
        channels().iter().find(|e| !t.is_empty() && e.name.starts_with(t))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_unit_has_a_known_kind() {
        for u in units() {
            assert!(UnitKind::parse(&u.kind).is_some(), "{}: {}", u.code, u.kind);
        }
    }

    #[test]
    fn tables_load_with_the_city_tree() {
        assert_eq!(units().iter().filter(|u| u.assessed).count(), 16);
        assert!(
            units()
                .iter()
                .any(|u| u.code == "jinshui" && u.name == "金水区" && u.parent.as_deref() == Some("zhengzhou"))
        );
        assert!(industries().len() > 40);
        assert_eq!(industry("电子信息").map(|e| e.code.as_str()), Some("electronics"));
        assert_eq!(industry("electronics.ai").map(|e| e.parent.as_deref()), Some(Some("electronics")));
        assert_eq!(region("长三角").map(|e| e.code.as_str()), Some("yangtze"));
        assert_eq!(region("europe_america").map(|e| e.parent.as_deref()), Some(Some("foreign")));
        assert_eq!(channel("空中").map(|e| e.code.as_str()), Some("air"));
        assert!(industry("不存在").is_none());
    }

    #[test]
    fn every_parent_exists() {
        for u in units() {
            if let Some(p) = &u.parent {
                assert!(units().iter().any(|x| &x.code == p), "unit parent {p}");
            }
        }
        for i in industries() {
            if let Some(p) = &i.parent {
                assert!(industry(p).is_some(), "industry parent {p}");
            }
        }
    }
}
