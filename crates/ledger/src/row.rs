//! A sheet turned into ledger rows and a precise error report (ledger.md): every cell that
//! cannot be taken yields one error naming the row as the spreadsheet numbers it, the
//! column's label as written in the file, the cell's text and the reason in Chinese. Pure:
//! no database; units, industries, regions and channels come from `domain::reference`.

use chrono::NaiveDate;
use domain::fields::PROJECT;
use domain::reference::{self, UnitRow};
use domain::stage::{ACTIVE, StageDates, StageState, TransitionRequest, apply};
use domain::{Money, Stage};
use serde::Serialize;

use crate::header::{self, Column, Field, FileError, Header};
use crate::read::{Cell, Sheet};
use crate::value::{self, AmountUnit, cell_str, clean_note, clean_text, is_placeholder, is_space, to_halfwidth};

pub use domain::ledger::{LedgerRow, MAX_ERRORS, MAX_QUOTED_CHARS, RowError, quote};

/// A parsed sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Parsed {
    /// The header's row as the spreadsheet numbers it.
    pub header_row: u32,
    /// The recognised columns in the file's order (a field whose column is absent is left
    /// alone by an update).
    pub columns: Vec<Column>,
    /// The rows without any error, in file order.
    pub rows: Vec<LedgerRow>,
    /// The first [`MAX_ERRORS`] errors, by row, then by column position.
    pub errors: Vec<RowError>,
    /// How many errors there are in all (`errors` may hold fewer).
    pub error_count: usize,
    /// Header labels that map to no field, as written.
    pub unknown_columns: Vec<String>,
    /// Non-blank rows below the header that were skipped: `合计`/`小计` rows, and rows holding
    /// nothing but footer text (`填报人：…`), section titles (`一、…`) or unknown columns.
    /// Blank rows (and rows with only a 序号) are skipped without being listed.
    pub skipped: Vec<u32>,
    /// How many rows were read as projects, with or without errors.
    pub data_rows: usize,
}

impl Parsed {
    /// Whether the file has a column for `field`.
    pub fn has(&self, field: Field) -> bool {
        self.columns.iter().any(|c| c.field == field)
    }
}

/// Parse a sheet as a ledger, as of today in Asia/Shanghai. `allowed_units`: the unit codes
/// the caller may write (`None`: all); a row of another unit is a row error (`无权…`).
pub fn parse(sheet: &Sheet, allowed_units: Option<&[String]>) -> Result<Parsed, FileError> {
    parse_on(sheet, allowed_units, domain::today_shanghai())
}

/// [`parse`] with the day that counts as today (no stage date may lie after it).
pub fn parse_on(sheet: &Sheet, allowed_units: Option<&[String]>, today: NaiveDate) -> Result<Parsed, FileError> {
    let header = header::find(sheet)?;
    let mut parsed = Parsed {
        header_row: header.row,
        columns: header.columns.clone(),
        rows: Vec::new(),
        errors: Vec::new(),
        error_count: 0,
        unknown_columns: header.unknown.clone(),
        skipped: Vec::new(),
        data_rows: 0,
    };
    for (row, cells) in sheet.rows.iter().skip(header.data_start) {
        match kind(&header, cells) {
            Kind::Blank => {}
            Kind::Skipped => parsed.skipped.push(*row),
            Kind::Data => {
                parsed.data_rows += 1;
                let mut ctx = RowCtx { row: *row, cells, header: &header, errors: Vec::new() };
                let parsed_row = ctx.parse(allowed_units, today);
                if ctx.errors.is_empty() {
                    parsed.rows.extend(parsed_row);
                } else {
                    ctx.errors.sort_by_key(|(position, _)| *position);
                    parsed.error_count += ctx.errors.len();
                    let room = MAX_ERRORS.saturating_sub(parsed.errors.len());
                    parsed.errors.extend(ctx.errors.into_iter().take(room).map(|(_, e)| e));
                }
            }
        }
    }
    Ok(parsed)
}

// ---------------------------------------------------------------------------------------
// Which rows are projects
// ---------------------------------------------------------------------------------------

enum Kind {
    Blank,
    Skipped,
    Data,
}

/// The first `max` characters of a text without whitespace, full-width forms as ASCII.
fn compact(text: &str, max: usize) -> String {
    to_halfwidth(text).chars().filter(|c| !is_space(*c)).take(max).collect()
}

/// `合计`, `合 计`, `小计（已开工）`, `全区总计`.
fn is_total(text: &str) -> bool {
    let t = compact(text, 21);
    t.chars().count() <= 20 && ["合计", "小计", "总计"].iter().any(|w| t.starts_with(w) || t.ends_with(w))
}

/// Footer lines under a ledger and section titles inside it: `填报人：王丽`, `注：…`,
/// `一、新签约项目`, `（二）在建项目`.
fn is_footer_or_section(text: &str) -> bool {
    const FOOTERS: [&str; 19] = [
        "填报人",
        "填表人",
        "审核人",
        "制表人",
        "负责人",
        "单位负责人",
        "分管领导",
        "联系人",
        "联系电话",
        "填报单位",
        "填报日期",
        "填表日期",
        "制表日期",
        "注:",
        "注1",
        "说明:",
        "备注:",
        "(盖章)",
        "盖章",
    ];
    let t = compact(text, 8);
    const NUMERALS: &str = "一二三四五六七八九十";
    let numeral_then = |s: &str, end: char| {
        let rest = s.trim_start_matches(|c| NUMERALS.contains(c));
        rest.len() < s.len() && rest.starts_with(end)
    };
    FOOTERS.iter().any(|f| t.starts_with(f))
        || numeral_then(&t, '、')
        || t.strip_prefix('(').is_some_and(|s| numeral_then(s, ')'))
}

fn kind(header: &Header, cells: &[Cell]) -> Kind {
    let Some(first) = cells.iter().find(|c| !c.is_blank()) else { return Kind::Blank };
    if is_total(&cell_str(first)) {
        return Kind::Skipped;
    }
    // A row is a project when a known column other than 序号 holds something that is not a
    // footer or a section title.
    let mut only_numbering = true;
    for (i, cell) in cells.iter().enumerate() {
        if cell.is_blank() {
            continue;
        }
        let field = header.columns.iter().find(|c| c.index == i).map(|c| c.field);
        match field {
            Some(Field::Seq) if matches!(cell, Cell::Number(_)) || compact(&cell.text(), 32).parse::<f64>().is_ok() => {
            }
            Some(Field::Seq) | None => only_numbering = false,
            Some(_) if is_footer_or_section(&cell_str(cell)) => only_numbering = false,
            Some(_) => return Kind::Data,
        }
    }
    if only_numbering { Kind::Blank } else { Kind::Skipped }
}

// ---------------------------------------------------------------------------------------
// One row
// ---------------------------------------------------------------------------------------

static EMPTY: Cell = Cell::Empty;

struct RowCtx<'a> {
    row: u32,
    cells: &'a [Cell],
    header: &'a Header,
    /// (column position for sorting, error)
    errors: Vec<(usize, RowError)>,
}

impl RowCtx<'_> {
    fn cell(&self, field: Field) -> &Cell {
        self.header.column(field).and_then(|c| self.cells.get(c.index)).unwrap_or(&EMPTY)
    }

    fn label(&self, field: Field) -> String {
        self.header.column(field).map_or_else(|| field.label().to_string(), |c| c.label.clone())
    }

    fn fail(&mut self, field: Field, reason: impl Into<String>) {
        let position = self.header.column(field).map_or(usize::MAX, |c| c.index);
        let value = quote(cell_str(self.cell(field)).trim_matches(is_space));
        let error = RowError { row: self.row, column: self.label(field), value, reason: reason.into() };
        self.errors.push((position, error));
    }

    /// A single-line text field; `None` when empty or a placeholder (`/`, `无`).
    fn text(&self, field: Field) -> Option<String> {
        let t = clean_text(&cell_str(self.cell(field)));
        (!t.is_empty() && !is_placeholder(&t)).then_some(t)
    }

    fn note(&self, field: Field) -> Option<String> {
        let t = clean_note(&cell_str(self.cell(field)));
        (!t.is_empty() && !is_placeholder(&t)).then_some(t)
    }

    fn required_text(&mut self, field: Field) -> Option<String> {
        let t = self.text(field);
        if t.is_none() {
            let reason = format!("{}不能为空", self.label(field));
            self.fail(field, reason);
        }
        t
    }

    fn check<T>(&mut self, field: Field, result: Result<T, String>) -> Option<T> {
        result.map_err(|reason| self.fail(field, reason)).ok()
    }

    fn amount(&mut self, field: Field, unit: AmountUnit) -> Result<Option<Money>, ()> {
        let r = value::amount(self.cell(field), unit);
        r.map_err(|reason| self.fail(field, reason))
    }

    fn date(&mut self, field: Field) -> Result<Option<NaiveDate>, ()> {
        let r = value::date(self.cell(field));
        r.map_err(|reason| self.fail(field, reason))
    }

    fn parse(&mut self, allowed_units: Option<&[String]>, today: NaiveDate) -> Option<LedgerRow> {
        let code = self.text(Field::Code);
        let name = self.required_text(Field::Name);
        let unit = self.unit(allowed_units);

        let investors = value::investors(&cell_str(self.cell(Field::Investors)));
        if let Some(reason) = investors.iter().find_map(|i| PROJECT.len_error(Field::Investors.code(), i)) {
            self.fail(Field::Investors, reason);
        }
        let investor_type =
            self.check(Field::InvestorType, value::investor_type(&cell_str(self.cell(Field::InvestorType))));
        let region = self.reference(Field::Region, |t| reference::region(t).map(|e| e.code.clone()), "不在地区表中");
        let industry = self.reference(Field::Industry, industry_code, "不在产业表中");
        let categories = self.check(Field::Categories, value::categories(&cell_str(self.cell(Field::Categories))));
        let channel = self.check(Field::Channel, value::channel(&cell_str(self.cell(Field::Channel))));

        let total = self.amount(Field::TotalInvestment, AmountUnit::WanYuan);
        if matches!(total, Ok(None)) {
            let reason = format!("{}不能为空", self.label(Field::TotalInvestment));
            self.fail(Field::TotalInvestment, reason);
        }
        let foreign = self.amount(Field::ForeignInvestment, AmountUnit::WanUsd);
        let land = self.amount(Field::LandMu, AmountUnit::Mu);

        let stage = match self.text(Field::Stage) {
            None => {
                let reason = format!("{}不能为空", self.label(Field::Stage));
                self.fail(Field::Stage, reason);
                None
            }
            Some(t) => self.check(Field::Stage, value::stage(&t)),
        };
        let mut dates = StageDates::default();
        let mut dates_ok = true;
        for s in ACTIVE.iter().copied().filter(|s| s.is_dated()) {
            let Some(field) = Field::of_stage(s) else { continue };
            match self.date(field) {
                Ok(d) => dates.set(s, d),
                Err(()) => dates_ok = false,
            }
        }
        let expected_producing_on = self.date(Field::ExpectedProducingOn);
        // stage and dates together only when each parsed: one error per bad cell
        if let (Some(stage), true) = (stage, dates_ok) {
            self.stage_dates(stage, &dates, today);
        }

        let lead_leader = self.text(Field::LeadLeader);
        let (progress, problem, notes) =
            (self.note(Field::Progress), self.note(Field::Problem), self.note(Field::Notes));
        // every text within its maximum in the project table (domain::fields)
        for (field, text) in [
            (Field::Code, &code),
            (Field::Name, &name),
            (Field::LeadLeader, &lead_leader),
            (Field::Progress, &progress),
            (Field::Problem, &problem),
            (Field::Notes, &notes),
        ] {
            if let Some(reason) = text.as_deref().and_then(|t| PROJECT.len_error(field.code(), t)) {
                self.fail(field, reason);
            }
        }

        Some(LedgerRow {
            row: self.row,
            code,
            name: name?,
            unit: unit?,
            investors,
            investor_type: investor_type?,
            region: region.ok()?,
            industry: industry.ok()?,
            categories: categories?,
            channel: channel?,
            total_investment: total.ok()??,
            foreign_investment: foreign.ok()?,
            land_mu: land.ok()?,
            stage: stage?,
            dates,
            expected_producing_on: expected_producing_on.ok()?,
            lead_leader,
            progress,
            problem,
            notes,
        })
    }

    /// 责任单位 by name, code or a common short name, within the caller's units.
    fn unit(&mut self, allowed_units: Option<&[String]>) -> Option<String> {
        let text = self.required_text(Field::Unit)?;
        let Some(unit) = find_unit(&text) else {
            self.fail(Field::Unit, format!("单位「{text}」不存在"));
            return None;
        };
        if unit.kind == "department" {
            self.fail(Field::Unit, "项目的责任单位不能是市直部门");
            return None;
        }
        if allowed_units.is_some_and(|allowed| !allowed.contains(&unit.code)) {
            self.fail(Field::Unit, format!("无权导入「{}」的项目：超出本账号的管理范围", unit.name));
            return None;
        }
        Some(unit.code.clone())
    }

    /// A reference value by name or code: `Ok(None)` when the file lacks the column; an
    /// empty cell in the column, or an unknown value, is an error.
    fn reference(
        &mut self,
        field: Field,
        find: impl Fn(&str) -> Option<String>,
        not_found: &str,
    ) -> Result<Option<String>, ()> {
        if !self.header.has(field) {
            return Ok(None);
        }
        let Some(text) = self.text(field) else {
            let reason = format!("{}不能为空", self.label(field));
            self.fail(field, reason);
            return Err(());
        };
        match find(&text) {
            Some(code) => Ok(Some(code)),
            None => {
                let reason = format!("{}「{text}」{not_found}", field.label());
                self.fail(field, reason);
                Err(())
            }
        }
    }

    /// Replay the transition rules (domain.md §4) from reserve through every dated stage up
    /// to the row's stage, with the row's dates: each needs its date, the dates never go
    /// backwards nor lie after today, and no later stage has a date. For 暂缓/终止 the stage
    /// reached before is the latest dated one.
    fn stage_dates(&mut self, stage: Stage, dates: &StageDates, today: NaiveDate) {
        let reached = match stage.order() {
            Some(_) => stage,
            None => ACTIVE.iter().rev().copied().find(|s| dates.get(*s).is_some()).unwrap_or(Stage::Reserve),
        };
        let reached_order = reached.order().unwrap_or(0);
        for s in ACTIVE.iter().copied().filter(|s| s.is_dated()) {
            let Some(field) = Field::of_stage(s) else { continue };
            if s.order().unwrap_or(0) > reached_order && dates.get(s).is_some() {
                let reason = format!("项目阶段为「{}」，不应填写{}", stage.label(), field.label());
                self.fail(field, reason);
            }
        }
        let mut state = StageState::new();
        for s in ACTIVE[..=reached_order].iter().copied().filter(|s| s.is_dated()) {
            let Some(field) = Field::of_stage(s) else { continue };
            let Some(date) = dates.get(s) else {
                let reason = if stage == reached {
                    format!("项目阶段为「{}」，需要填写{}", stage.label(), field.label())
                } else {
                    format!("已填写「{}」的日期，需要同时填写{}", reached.label(), field.label())
                };
                self.fail(field, reason);
                return;
            };
            let request = TransitionRequest {
                to: s,
                date,
                skipped_dates: Default::default(),
                reason: None,
                may_correct: false,
                today,
            };
            match apply(&state, &request) {
                Ok(applied) => state = applied.state,
                Err(e) => {
                    self.fail(field, e.to_string());
                    return;
                }
            }
        }
    }
}

/// Short names units go by in ledgers.
const UNIT_ALIASES: [(&str, &str); 12] = [
    ("管城区", "guancheng"),
    ("航空港区", "hangkonggang"),
    ("航空港", "hangkonggang"),
    ("郑州航空港区", "hangkonggang"),
    ("航空港实验区", "hangkonggang"),
    ("经开区", "jingkai"),
    ("郑州经开区", "jingkai"),
    ("经济技术开发区", "jingkai"),
    ("高新区", "gaoxin"),
    ("郑州高新区", "gaoxin"),
    ("高新技术产业开发区", "gaoxin"),
    ("郑州", "zhengzhou"),
];

/// A unit by code, name, a common short name (`航空港区`), or its name without the
/// 区/县/市 (`金水`).
pub fn find_unit(text: &str) -> Option<&'static UnitRow> {
    let t = text.trim_matches(is_space);
    let units = reference::units();
    units
        .iter()
        .find(|u| u.code == t || u.name == t)
        .or_else(|| {
            let code = UNIT_ALIASES.iter().find(|(alias, _)| *alias == t).map(|(_, code)| *code)?;
            units.iter().find(|u| u.code == code)
        })
        .or_else(|| {
            (t.chars().count() >= 2)
                .then(|| units.iter().find(|u| u.name.strip_prefix(t).is_some_and(|r| matches!(r, "区" | "县" | "市"))))
                .flatten()
        })
}

/// An industry by code or name; also with brackets written either way, or the name without
/// its bracketed detail (`新能源汽车零部件`).
fn industry_code(text: &str) -> Option<String> {
    let bare = |s: &str| -> String { to_halfwidth(s).chars().filter(|c| !is_space(*c)).collect() };
    let t = bare(text);
    reference::industry(text)
        .or_else(|| reference::industries().iter().find(|e| bare(&e.name) == t))
        .or_else(|| reference::industries().iter().find(|e| bare(&e.name).split('(').next() == Some(t.as_str())))
        .map(|e| e.code.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn today() -> NaiveDate {
        d("2026-11-27")
    }

    /// A template sheet: the header, then rows given as (label, text) overrides of a good row.
    fn sheet(rows: &[&[(&str, &str)]]) -> Sheet {
        let head = crate::export::columns();
        let good: [(&str, &str); 9] = [
            ("项目名称", "甲项目"),
            ("责任单位", "金水区"),
            ("投资方", "甲公司"),
            ("投资方来源地", "长三角"),
            ("产业类别", "电子信息"),
            ("总投资(万元)", "1000"),
            ("项目阶段", "已签约"),
            ("签约日期", "2025-03-01"),
            ("项目类别", "靶向"),
        ];
        let mut out = vec![(1, head.iter().map(|h| Cell::Text(h.to_string())).collect())];
        for (i, overrides) in rows.iter().enumerate() {
            let mut cells = vec![Cell::Empty; head.len()];
            for (label, text) in good.iter().chain(overrides.iter()) {
                let at = head.iter().position(|h| h == label).unwrap();
                cells[at] = if text.is_empty() { Cell::Empty } else { Cell::Text(text.to_string()) };
            }
            out.push((i as u32 + 2, cells));
        }
        Sheet { name: "项目台账".into(), rows: out }
    }

    fn jinshui() -> Vec<String> {
        vec!["jinshui".to_string()]
    }

    fn errors(rows: &[&[(&str, &str)]]) -> Vec<(u32, String, String, String)> {
        let p = parse_on(&sheet(rows), Some(&jinshui()), today()).unwrap();
        p.errors.into_iter().map(|e| (e.row, e.column, e.value, e.reason)).collect()
    }

    #[test]
    fn a_good_row() {
        let p = parse_on(
            &sheet(&[&[("投资方", "甲公司、乙公司"), ("丝路通道", "空中"), ("备注", " 第一行\n第二行 ")]]),
            None,
            today(),
        )
        .unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let r = &p.rows[0];
        assert_eq!((r.row, r.name.as_str(), r.unit.as_str()), (2, "甲项目", "jinshui"));
        assert_eq!(r.investors, ["甲公司", "乙公司"]);
        assert_eq!(r.region.as_deref(), Some("yangtze"));
        assert_eq!(r.industry.as_deref(), Some("electronics"));
        assert_eq!(r.channel.as_deref(), Some("air"));
        assert_eq!(r.categories, [domain::Category::Targeted]);
        assert_eq!(r.total_investment, Money::from_units(1000));
        assert_eq!(r.stage, Stage::Signed);
        assert_eq!(r.dates.signed_on, Some(d("2025-03-01")));
        assert_eq!(r.notes.as_deref(), Some("第一行\n第二行"));
        assert_eq!((p.header_row, p.data_rows), (1, 1));
    }

    #[test]
    fn several_errors_in_one_row_are_all_reported_in_column_order() {
        let e = errors(&[&[("项目阶段", "已完成"), ("总投资(万元)", "很多"), ("项目名称", ""), ("丝路通道", "海上")]]);
        let cols: Vec<&str> = e.iter().map(|e| e.1.as_str()).collect();
        assert_eq!(cols, ["项目名称", "丝路通道", "总投资(万元)", "项目阶段"]);
        assert!(e[0].3.contains("不能为空"));
        assert_eq!(e[1].2, "海上");
    }

    #[test]
    fn scope_departments_and_unknown_units() {
        let e = errors(&[
            &[("责任单位", "二七区")],
            &[("责任单位", "市商务局")],
            &[("责任单位", "火星区")],
            &[("责任单位", "jinshui")],
            &[("责任单位", "金水")],
        ]);
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].3.contains("无权"));
        assert!(e[1].3.contains("市直部门"));
        assert_eq!(e[2].3, "单位「火星区」不存在");
        // a city-wide user (no scope) may import any district's rows
        let p = parse_on(&sheet(&[&[("责任单位", "航空港区")]]), None, today()).unwrap();
        assert_eq!(p.rows[0].unit, "hangkonggang");
    }

    #[test]
    fn stage_and_dates_follow_the_transition_rules() {
        let e = errors(&[
            // skipped stages need their dates
            &[("项目阶段", "已开工"), ("开工日期", "2025-05-01")],
            // dates never go backwards
            &[("项目阶段", "已开工"), ("手续办结日期", "2025-06-01"), ("开工日期", "2025-05-01")],
            // no date after today
            &[("签约日期", "2026-12-01")],
            // no date for a stage not reached
            &[("项目阶段", "在谈"), ("签约日期", "2025-03-01")],
            // 暂缓: the dates reached before must be complete
            &[("项目阶段", "暂缓"), ("签约日期", "2025-03-01"), ("开工日期", "2025-05-01")],
            // fine: 暂缓 after signing, 终止 before anything, 已达产 with all five dates
            &[("项目阶段", "暂缓")],
            &[("项目阶段", "终止"), ("签约日期", "")],
            &[
                ("项目阶段", "已达产"),
                ("手续办结日期", "2025/4/1"),
                ("开工日期", "2025年5月"),
                ("投产日期", "2025.6.1"),
                ("达产日期", "2025年7月1日"),
            ],
        ]);
        let got: Vec<(u32, &str)> = e.iter().map(|e| (e.0, e.1.as_str())).collect();
        assert_eq!(
            got,
            [(2, "手续办结日期"), (3, "开工日期"), (4, "签约日期"), (5, "签约日期"), (6, "手续办结日期")],
            "{e:?}"
        );
        assert!(e[0].3.contains("需要填写手续办结日期"), "{}", e[0].3);
        assert!(e[1].3.contains("日期不能倒退"), "{}", e[1].3);
        assert!(e[2].3.contains("晚于今天"), "{}", e[2].3);
        assert!(e[3].3.contains("不应填写签约日期"), "{}", e[3].3);
        assert!(e[4].3.contains("需要同时填写手续办结日期"), "{}", e[4].3);
    }

    #[test]
    fn texts_are_refused_over_the_project_tables_maximum() {
        let (name, notes, investor) = ("名".repeat(101), "注".repeat(2001), "企".repeat(201));
        let e = errors(&[
            &[("项目名称", &name), ("备注", &notes), ("投资方", &format!("甲公司、{investor}"))],
            // at the maximum: taken
            &[("项目名称", &"名".repeat(100)), ("备注", &"注".repeat(2000))],
        ]);
        let got: Vec<(u32, &str, &str)> = e.iter().map(|e| (e.0, e.1.as_str(), e.3.as_str())).collect();
        assert_eq!(
            got,
            [
                (2, "项目名称", "项目名称不能超过100个字符"),
                (2, "投资方", "投资方不能超过200个字符"),
                (2, "备注", "备注不能超过2000个字符"),
            ]
        );
    }

    #[test]
    fn one_error_per_bad_cell() {
        // a bad date: no consistency error on top; a bad stage: likewise
        let e = errors(&[&[("项目阶段", "已开工"), ("签约日期", "2025-13-45")], &[("项目阶段", "已完成")]]);
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!(e[0].1, "签约日期");
        assert_eq!(e[1].1, "项目阶段");
    }

    #[test]
    fn totals_footers_sections_and_blank_rows_are_skipped() {
        let mut s = sheet(&[&[], &[], &[]]);
        s.rows[2].1 = vec![Cell::Text("一、新签约项目".into())];
        s.rows[3].1 = vec![Cell::Number(3.0)];
        s.rows.push((5, vec![]));
        s.rows.push((6, vec![Cell::Text("合 计".into()), Cell::Empty, Cell::Empty, Cell::Text("".into())]));
        s.rows.push((7, vec![Cell::Empty, Cell::Empty, Cell::Text("填报人：王丽".into())]));
        s.rows.push((8, vec![Cell::Empty, Cell::Text("小计".into()), Cell::Number(1.0)]));
        let p = parse_on(&s, Some(&jinshui()), today()).unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.data_rows, 1);
        assert_eq!(p.skipped, [3, 6, 7, 8]);
    }

    #[test]
    fn optional_reference_columns() {
        // without the 产业类别 and 投资方来源地 columns the row has none; with them, an empty
        // cell is an error (every project has an industry and a region)
        let mut s = sheet(&[&[]]);
        for (_, cells) in s.rows.iter_mut() {
            cells.truncate(6);
        }
        let p = parse_on(&s, None, today());
        assert!(matches!(p, Err(FileError::MissingColumns { .. })));
        let e = errors(&[&[("产业类别", ""), ("投资方来源地", "火星")]]);
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].3, "投资方来源地「火星」不在地区表中");
        assert_eq!(e[1].3, "产业类别不能为空");
        let head: Vec<Cell> =
            ["项目名称", "责任单位", "总投资", "项目阶段"].iter().map(|t| Cell::Text(t.to_string())).collect();
        let row: Vec<Cell> = ["甲", "金水区", "3.5亿", "在谈"].iter().map(|t| Cell::Text(t.to_string())).collect();
        let p = parse_on(&Sheet { name: String::new(), rows: vec![(1, head), (2, row)] }, None, today()).unwrap();
        assert_eq!((p.rows[0].industry.as_deref(), p.rows[0].region.as_deref()), (None, None));
        assert_eq!(p.rows[0].total_investment.to_string(), "35000.00");
        assert!(!p.has(Field::Industry) && p.has(Field::Stage));
    }

    #[test]
    fn industries_by_short_name() {
        assert_eq!(industry_code("新能源汽车零部件"), Some("automotive.nev_parts".into()));
        assert_eq!(industry_code("新能源汽车零部件（动力总成、电池、电机）"), Some("automotive.nev_parts".into()));
        assert_eq!(industry_code("元宇宙"), None);
        assert_eq!(find_unit("金水").map(|u| u.code.as_str()), Some("jinshui"));
        assert_eq!(find_unit("中牟").map(|u| u.code.as_str()), Some("zhongmou"));
        assert!(find_unit("区").is_none());
    }
}
