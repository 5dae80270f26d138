//! The 公文 fragment of a bulletin (GB/T 9704-2012 layout, styled by `assets/print.css`):
//! rendered once on publishing, frozen in `bulletins.content_html` and hashed; a draft's
//! page renders it afresh from the content it would freeze.

use askama::Template;
use domain::assessment::bulletin::chinese_date;
use domain::assessment::{BulletinContent, UnitResult};

#[derive(Template)]
#[template(path = "bulletins/document.html")]
struct Document<'a> {
    c: &'a BulletinContent,
}

impl Document<'_> {
    fn period(&self) -> String {
        format!("{}至{}", chinese_date(self.c.from), chinese_date(self.c.to))
    }

    fn date(&self) -> String {
        chinese_date(self.c.date)
    }

    fn warnings_on(&self) -> String {
        chinese_date(self.c.warnings_on)
    }

    fn points(&self, r: &UnitResult, code: &str) -> String {
        r.indicators.iter().find(|i| i.code == code).map(|i| i.points.to_string()).unwrap_or_default()
    }

    fn red_total(&self) -> u32 {
        self.c.warnings.iter().map(|w| w.red).sum()
    }

    fn yellow_total(&self) -> u32 {
        self.c.warnings.iter().map(|w| w.yellow).sum()
    }

    /// The Chinese number of a later section (4: 五职, 5: 预警), counting only the sections
    /// present: 一 排名, 二 红黑榜, then 十大项目 and 五职 when there.
    fn section(&self, which: u8) -> &'static str {
        let mut n = 3 + usize::from(!self.c.top10.is_empty());
        if which == 5 && !self.c.leaders.is_empty() {
            n += 1;
        }
        ["一", "二", "三", "四", "五", "六"][n.min(6) - 1]
    }

    fn table_no(&self) -> usize {
        2 + usize::from(!self.c.top10.is_empty())
    }
}

/// The bulletin's HTML fragment, as frozen and hashed (the SHA-256 of these UTF-8 bytes).
pub fn render(c: &BulletinContent) -> Result<String, String> {
    Document { c }.render().map_err(|e| format!("通报无法生成：{e}"))
}
