//! Finding the header row of a ledger and what each column means (ledger.md): the row,
//! among the first 20, with the most ledger labels; labels compared without whitespace,
//! `*` marks, and with full-width brackets equal to half-width ones; the variants units use
//! (`名称`, `承办单位`, `所属区县`, `计划总投资` …) mapped to the template's fields; columns
//! in any order; unknown columns listed, not fatal. A two-row header (a group label such as
//! `阶段日期` merged over `签约日期 | 开工日期 …`) is read as one.

use domain::Stage;
use serde::Serialize;

use crate::read::{Cell, Sheet};
use crate::value::{cell_text, clean_text, is_space, to_halfwidth};

/// The template's columns (ledger.md), in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Seq,
    Code,
    Name,
    Unit,
    Investors,
    InvestorType,
    Region,
    Industry,
    Categories,
    Channel,
    TotalInvestment,
    ForeignInvestment,
    LandMu,
    Stage,
    SignedOn,
    ApprovedOn,
    StartedOn,
    ProducingOn,
    AtCapacityOn,
    ExpectedProducingOn,
    LeadLeader,
    Progress,
    Problem,
    Notes,
}

/// Never used: stands in for a field missing from the project table (a test proves none is).
static UNKNOWN: domain::fields::Field =
    domain::fields::Field { code: "", label: "", kind: domain::fields::Kind::Text, max: 0, required: false };

/// The unit an amount column's label may name in brackets.
enum LabelUnit {
    /// Any bracketed note is accepted (`签约日期(年月日)`).
    Any,
    /// Only this unit, or none (`总投资`, `总投资(万元)`; not `总投资(亿元)`).
    Only(&'static str),
}

impl Field {
    /// Every field in the template's order.
    pub const ALL: [Field; 24] = [
        Field::Seq,
        Field::Code,
        Field::Name,
        Field::Unit,
        Field::Investors,
        Field::InvestorType,
        Field::Region,
        Field::Industry,
        Field::Categories,
        Field::Channel,
        Field::TotalInvestment,
        Field::ForeignInvestment,
        Field::LandMu,
        Field::Stage,
        Field::SignedOn,
        Field::ApprovedOn,
        Field::StartedOn,
        Field::ProducingOn,
        Field::AtCapacityOn,
        Field::ExpectedProducingOn,
        Field::LeadLeader,
        Field::Progress,
        Field::Problem,
        Field::Notes,
    ];

    /// The columns a ledger must have (ledger.md: required).
    pub const REQUIRED: [Field; 4] = [Field::Name, Field::Unit, Field::TotalInvestment, Field::Stage];

    /// Each field's code in `domain::fields::PROJECT`, in the template's order.
    const CODES: [&'static str; 24] = [
        "seq",
        "code",
        "name",
        "unit",
        "investors",
        "investor_type",
        "region",
        "industry",
        "categories",
        "channel",
        "total_investment",
        "foreign_investment",
        "land_mu",
        "stage",
        "signed_on",
        "approved_on",
        "started_on",
        "producing_on",
        "at_capacity_on",
        "expected_producing_on",
        "lead_leader",
        "progress",
        "problem",
        "notes",
    ];

    /// The field's code in the project's field table (`domain::fields::PROJECT`).
    pub fn code(self) -> &'static str {
        Self::CODES[self.index()]
    }

    /// The field's row in the project's field table: its label, kind and maximum length.
    pub fn spec(self) -> &'static domain::fields::Field {
        // every code is in the table: tests::every_field_is_in_the_project_table
        domain::fields::PROJECT.field(self.code()).unwrap_or(&UNKNOWN)
    }

    /// The template's label (the exporter writes these; the importer reads them and
    /// variants): the project table's label.
    pub fn label(self) -> &'static str {
        self.spec().label
    }

    pub fn required(self) -> bool {
        Self::REQUIRED.contains(&self)
    }

    /// Position in the template (0 for 序号).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The stage whose date this column holds (签约日期 → signed …).
    pub fn stage(self) -> Option<Stage> {
        match self {
            Field::SignedOn => Some(Stage::Signed),
            Field::ApprovedOn => Some(Stage::Approved),
            Field::StartedOn => Some(Stage::Started),
            Field::ProducingOn => Some(Stage::Producing),
            Field::AtCapacityOn => Some(Stage::AtCapacity),
            _ => None,
        }
    }

    /// The column holding a dated stage's date.
    pub fn of_stage(stage: Stage) -> Option<Field> {
        match stage {
            Stage::Signed => Some(Field::SignedOn),
            Stage::Approved => Some(Field::ApprovedOn),
            Stage::Started => Some(Field::StartedOn),
            Stage::Producing => Some(Field::ProducingOn),
            Stage::AtCapacity => Some(Field::AtCapacityOn),
            _ => None,
        }
    }

    /// Names this field goes by in real ledgers, without any bracketed unit, plus the unit
    /// its label may carry.
    fn names(self) -> (&'static [&'static str], LabelUnit) {
        use LabelUnit::{Any, Only};
        match self {
            Field::Seq => (&["序号", "序"], Any),
            Field::Code => (&["项目编号", "项目编码", "项目代码", "项目ID"], Any),
            Field::Name => (&["项目名称", "名称", "项目名"], Any),
            Field::Unit => (
                &[
                    "责任单位",
                    "承办单位",
                    "所属区县",
                    "所属单位",
                    "承载单位",
                    "责任单位名称",
                    "区县",
                    "所在区县",
                    "县市区",
                    "县(市、区)",
                    "县(市)区",
                    "区县(市)",
                    "所属区县(市)",
                    "所属县(市、区)",
                ],
                Any,
            ),
            Field::Investors => {
                (&["投资方", "投资主体", "投资企业", "投资方名称", "投资方全称", "投资商", "签约企业", "企业名称"], Any)
            }
            Field::InvestorType => (&["投资方类型", "投资方类别", "投资主体类型", "投资企业类型", "企业类型"], Any),
            Field::Region => (
                &[
                    "投资方来源地",
                    "来源地",
                    "投资来源地",
                    "客商来源地",
                    "资金来源地",
                    "投资方所在地",
                    "投资方来源",
                    "来源地区",
                ],
                Any,
            ),
            Field::Industry => (
                &["产业类别", "产业类型", "所属产业", "产业分类", "行业类别", "所属行业", "产业", "行业", "产业领域"],
                Any,
            ),
            Field::Categories => (&["项目类别", "项目类型", "项目分类"], Any),
            Field::Channel => (&["丝路通道", "丝绸之路通道", "所属丝路", "丝路", "丝路类型", "四路协同"], Any),
            Field::TotalInvestment => (
                &[
                    "总投资",
                    "计划总投资",
                    "总投资额",
                    "投资总额",
                    "项目总投资",
                    "计划投资",
                    "总投资金额",
                    "计划投资总额",
                ],
                Only("万元"),
            ),
            Field::ForeignInvestment => (&["利用外资", "利用外资额", "外资额", "外资金额"], Only("万美元")),
            Field::LandMu => (&["用地", "用地面积", "占地", "占地面积", "用地规模"], Only("亩")),
            Field::Stage => (&["项目阶段", "阶段", "项目状态", "当前阶段", "推进阶段"], Any),
            Field::SignedOn => (&["签约日期", "签约时间"], Any),
            Field::ApprovedOn => (&["手续办结日期", "手续办结时间", "办结日期", "办结时间"], Any),
            Field::StartedOn => (&["开工日期", "开工时间", "实际开工日期", "实际开工时间"], Any),
            Field::ProducingOn => (&["投产日期", "投产时间", "实际投产日期", "实际投产时间"], Any),
            Field::AtCapacityOn => (&["达产日期", "达产时间"], Any),
            Field::ExpectedProducingOn => (&["预计投产日期", "预计投产时间", "计划投产日期", "计划投产时间"], Any),
            Field::LeadLeader => (
                &["包联领导", "分包领导", "联系领导", "责任领导", "项目组长", "包抓领导", "包联区领导", "包联县级领导"],
                Any,
            ),
            Field::Progress => {
                (&["项目进展情况", "进展情况", "项目进展", "工作进展", "最新进展", "推进情况", "项目推进情况"], Any)
            }
            Field::Problem => (
                &["存在问题", "存在的问题", "困难和问题", "存在困难和问题", "存在困难", "问题", "需协调解决的问题"],
                Any,
            ),
            Field::Notes => (&["备注"], Any),
        }
    }

    /// The field a header cell names, if any (`总投资（万元）` → total investment).
    pub fn from_label(text: &str) -> Option<Field> {
        let n = normalize_label(text);
        if n.is_empty() {
            return None;
        }
        // the whole label first (`县(市、区)` has brackets of its own), then without a
        // bracketed unit or note at the end
        if let Some(f) = Field::ALL.into_iter().find(|f| f.names().0.contains(&n.as_str())) {
            return Some(f);
        }
        let (base, unit) = n.strip_suffix(')').and_then(|s| s.rsplit_once('('))?;
        Field::ALL.into_iter().find(|f| {
            let (names, allowed) = f.names();
            names.contains(&base)
                && match allowed {
                    LabelUnit::Any => true,
                    LabelUnit::Only(u) => unit == u,
                }
        })
    }
}

/// A label as compared: full-width forms as ASCII, no whitespace or line breaks, no `*`
/// marks of required columns, no trailing colon.
pub fn normalize_label(text: &str) -> String {
    let t: String = to_halfwidth(text)
        .chars()
        .filter(|c| !is_space(*c) && !c.is_control() && !matches!(c, '*' | '★' | '※' | '△'))
        .map(|c| match c {
            '【' | '[' => '(',
            '】' | ']' => ')',
            c => c,
        })
        .collect();
    t.trim_end_matches(':').to_string()
}

/// One recognised column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// 0-based position in the row.
    pub index: usize,
    pub field: Field,
    /// The label as written in the file (line breaks removed), for error reports.
    pub label: String,
}

/// Where the header is and what each column means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The header's row as the spreadsheet numbers it (the first, for a two-row header).
    pub row: u32,
    /// Recognised columns, in the file's order.
    pub columns: Vec<Column>,
    /// Labels that map to no field, as written (each once).
    pub unknown: Vec<String>,
    /// Index into `Sheet::rows` of the first row below the header.
    pub data_start: usize,
    /// Field → position in `columns`.
    slots: [Option<usize>; 24],
}

impl Header {
    pub fn column(&self, field: Field) -> Option<&Column> {
        self.slots[field.index()].and_then(|i| self.columns.get(i))
    }

    pub fn has(&self, field: Field) -> bool {
        self.slots[field.index()].is_some()
    }
}

/// Why a sheet cannot be read as a ledger at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("在前20行中找不到表头：表头行应包含“项目名称”“责任单位”“总投资(万元)”“项目阶段”等列名，请对照导入模板")]
    NoHeader,
    #[error("缺少必填列{}（第{row}行为表头）{}", quoted(.missing), unknown_note(.unknown))]
    MissingColumns { row: u32, missing: Vec<&'static str>, unknown: Vec<String> },
    #[error("表头中「{first}」和「{second}」都表示“{}”，请只保留一列", .field.label())]
    DuplicateColumn { field: Field, first: String, second: String },
}

fn quoted(labels: &[&str]) -> String {
    labels.iter().map(|l| format!("「{l}」")).collect()
}

fn unknown_note(unknown: &[String]) -> String {
    if unknown.is_empty() {
        String::new()
    } else {
        format!("；未能识别的列：{}", unknown.iter().map(|l| format!("「{l}」")).collect::<String>())
    }
}

/// How far down the header may be (ledger.md: the first 20 rows).
pub const HEADER_SEARCH_ROWS: u32 = 20;

fn label_of(cell: &Cell) -> String {
    clean_text(&cell_text(cell))
}

/// The distinct fields a row's cells name.
fn recognised(cells: &[Cell]) -> usize {
    let mut seen = [false; 24];
    for c in cells {
        if let Cell::Text(t) = c
            && let Some(f) = Field::from_label(t)
        {
            seen[f.index()] = true;
        }
    }
    seen.iter().filter(|s| **s).count()
}

/// The labels of a two-row header, when the row below the header holds nothing but labels,
/// each under a column the header row leaves blank or unknown (a merged group label such as
/// `阶段日期`), and naming no field twice.
fn with_sub_header(labels: &[String], below: &[Cell]) -> Option<Vec<String>> {
    let mut merged = labels.to_vec();
    let mut any = false;
    for (i, c) in below.iter().enumerate() {
        if c.is_blank() {
            continue;
        }
        let label = label_of(c);
        Field::from_label(&label)?;
        if labels.get(i).is_some_and(|l| Field::from_label(l).is_some()) {
            return None;
        }
        if merged.len() <= i {
            merged.resize(i + 1, String::new());
        }
        merged[i] = label;
        any = true;
    }
    let mut seen = [false; 24];
    for f in merged.iter().filter_map(|l| Field::from_label(l)).filter(|f| *f != Field::Seq) {
        if std::mem::replace(&mut seen[f.index()], true) {
            return None;
        }
    }
    any.then_some(merged)
}

/// Find the header: the row within the first 20 with the most ledger labels (at least 3;
/// the first such row on a tie), plus the row below it when that is the second row of a
/// two-row header (see `with_sub_header`).
pub fn find(sheet: &Sheet) -> Result<Header, FileError> {
    let mut best: Option<(usize, usize)> = None;
    for (i, (number, cells)) in sheet.rows.iter().enumerate() {
        if *number > HEADER_SEARCH_ROWS {
            break;
        }
        let n = recognised(cells);
        if n >= 3 && best.is_none_or(|(_, m)| n > m) {
            best = Some((i, n));
        }
    }
    let Some((at, _)) = best else { return Err(FileError::NoHeader) };
    let (row, top) = &sheet.rows[at];
    let mut labels: Vec<String> = top.iter().map(label_of).collect();
    let mut data_start = at + 1;
    if let Some((below_row, below)) = sheet.rows.get(at + 1)
        && *below_row == row + 1
        && let Some(merged) = with_sub_header(&labels, below)
    {
        labels = merged;
        data_start = at + 2;
    }

    let mut columns: Vec<Column> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut slots = [None; 24];
    for (index, label) in labels.into_iter().enumerate() {
        if label.is_empty() {
            continue;
        }
        match Field::from_label(&label) {
            Some(field) => match slots[field.index()] {
                Some(first) if field != Field::Seq => {
                    let first: &Column = &columns[first];
                    return Err(FileError::DuplicateColumn { field, first: first.label.clone(), second: label });
                }
                Some(_) => {}
                None => {
                    slots[field.index()] = Some(columns.len());
                    columns.push(Column { index, field, label });
                }
            },
            None => {
                if !unknown.contains(&label) {
                    unknown.push(label);
                }
            }
        }
    }
    let missing: Vec<&'static str> =
        Field::REQUIRED.iter().filter(|f| slots[f.index()].is_none()).map(|f| f.label()).collect();
    if !missing.is_empty() {
        return Err(FileError::MissingColumns { row: *row, missing, unknown });
    }
    Ok(Header { row: *row, columns, unknown, data_start, slots })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet::of_texts(rows)
    }

    #[test]
    fn every_field_is_in_the_project_table() {
        for f in Field::ALL {
            let spec = domain::fields::PROJECT.field(f.code()).unwrap_or_else(|| panic!("{f:?}"));
            assert_eq!(f.spec(), spec);
            // the code is also the field's serialised name
            assert_eq!(serde_json::to_value(f).ok(), Some(serde_json::Value::from(f.code())));
        }
    }

    #[test]
    fn labels_and_their_variants() {
        for f in Field::ALL {
            assert_eq!(Field::from_label(f.label()), Some(f), "{}", f.label());
        }
        for (text, f) in [
            ("名称", Field::Name),
            (" 项目 名称 ", Field::Name),
            ("*项目名称", Field::Name),
            ("总投资（万元）", Field::TotalInvestment),
            ("总投资\n(万元)", Field::TotalInvestment),
            ("计划总投资", Field::TotalInvestment),
            ("计划总投资（万元）", Field::TotalInvestment),
            ("总投资", Field::TotalInvestment),
            ("承办单位", Field::Unit),
            ("所属区县", Field::Unit),
            ("所属单位", Field::Unit),
            ("县（市、区）", Field::Unit),
            ("利用外资（万美元）", Field::ForeignInvestment),
            ("用地（亩）", Field::LandMu),
            ("用地面积(亩)", Field::LandMu),
            ("签约时间", Field::SignedOn),
            ("签约日期（年月日）", Field::SignedOn),
            ("项目进展情况：", Field::Progress),
        ] {
            assert_eq!(Field::from_label(text), Some(f), "{text}");
        }
        for text in ["联系人", "总投资(亿元)", "利用外资(万元)", "", "编号", "用地(平方米)"] {
            assert_eq!(Field::from_label(text), None, "{text}");
        }
    }

    #[test]
    fn header_found_below_a_banner_in_any_order() {
        let s = sheet(&[
            &["郑州市金水区招商引资项目台账"],
            &["填报单位：金水区商务局"],
            &[],
            &["序号", "总投资（万元）", "名称", "联系人", "项目阶段", "承办单位", "联系人"],
            &["1", "100", "甲项目", "王磊", "在谈", "金水区"],
        ]);
        let h = find(&s).unwrap();
        assert_eq!(h.row, 4);
        assert_eq!(h.data_start, 4);
        assert_eq!(h.unknown, ["联系人"]);
        assert_eq!(h.column(Field::Name).map(|c| (c.index, c.label.as_str())), Some((2, "名称")));
        assert_eq!(h.column(Field::Unit).map(|c| c.index), Some(5));
        assert!(!h.has(Field::Code));
    }

    #[test]
    fn two_row_header() {
        let s = sheet(&[
            &["序号", "项目名称", "责任单位", "总投资(万元)", "项目阶段", "阶段日期", "", "备注"],
            &["", "", "", "", "", "签约日期", "开工日期", ""],
            &["1", "甲", "金水区", "100", "已开工", "2025-01-01", "2025-02-01"],
        ]);
        let h = find(&s).unwrap();
        assert_eq!(h.row, 1);
        assert_eq!(h.data_start, 2);
        assert_eq!(h.column(Field::SignedOn).map(|c| c.index), Some(5));
        assert_eq!(h.column(Field::StartedOn).map(|c| c.index), Some(6));
        assert!(h.unknown.is_empty(), "{:?}", h.unknown);
        // a row below that would name a field twice, or sits under known labels, is data
        for below in [&["", "", "", "", "", "项目名称"][..], &["", "备注"][..]] {
            let s = sheet(&[&["序号", "项目名称", "责任单位", "总投资(万元)", "项目阶段", "阶段日期"], below]);
            assert_eq!(find(&s).map(|h| h.data_start), Ok(1), "{below:?}");
        }
    }

    #[test]
    fn file_level_errors() {
        assert_eq!(find(&sheet(&[&["台账"], &["a", "b", "c"]])), Err(FileError::NoHeader));
        let e = find(&sheet(&[&["项目名称", "责任单位", "项目阶段", "总投资(亿元)"]])).unwrap_err();
        assert_eq!(
            e,
            FileError::MissingColumns {
                row: 1, missing: vec!["总投资(万元)"], unknown: vec!["总投资(亿元)".into()]
            }
        );
        assert!(e.to_string().contains("缺少必填列「总投资(万元)」"), "{e}");
        assert!(e.to_string().contains("「总投资(亿元)」"), "{e}");
        let e = find(&sheet(&[&["项目名称", "责任单位", "总投资", "计划总投资", "项目阶段"]])).unwrap_err();
        assert!(matches!(e, FileError::DuplicateColumn { field: Field::TotalInvestment, .. }), "{e}");
        assert!(e.to_string().contains("「总投资」和「计划总投资」"), "{e}");
        // the header must be within the first 20 rows
        let mut rows: Vec<&[&str]> = vec![&[]; 20];
        rows.push(&["项目名称", "责任单位", "总投资", "项目阶段"]);
        assert_eq!(find(&sheet(&rows)), Err(FileError::NoHeader));
    }
}
