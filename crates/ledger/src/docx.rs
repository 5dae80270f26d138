//! A bulletin as a Word document (.docx, issue 13 item 7 "a plus"): the same 公文 as the print
//! page — A4 with GB/T 9704 margins (天头 37 mm, 订口 28 mm, 右 26 mm, 下 35 mm), the red
//! 发文机关标志, 文号 and red separator line, the title in 2号 小标宋, the body in 3号 仿宋 at
//! 28.95 pt a line (22 lines a page), the tables, the signature and date right-aligned four
//! characters in, page numbers "— n —" in 4号 宋体, and the 版记. Written as WordprocessingML
//! by hand (no template file): Word applies the named fonts where installed.

use std::io::Write;

use domain::assessment::BulletinContent;
use domain::assessment::bulletin::chinese_date;
use zip::write::SimpleFileOptions;

const FANGSONG: &str = "仿宋_GB2312";
const XBS: &str = "方正小标宋简体";
const HEI: &str = "黑体";
const SONG: &str = "宋体";
/// 1 mm in twentieths of a point.
const MM: f64 = 56.6929;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A run of `text` in `font` at `half_points` (Word's unit), optionally bold and coloured.
fn run(text: &str, font: &str, half_points: u32, bold: bool, color: Option<&str>) -> String {
    format!(
        "<w:r><w:rPr><w:rFonts w:ascii=\"{font}\" w:eastAsia=\"{font}\" w:hAnsi=\"{font}\"/>{}{}<w:sz w:val=\"{half_points}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
        if bold { "<w:b/>" } else { "" },
        color.map(|c| format!("<w:color w:val=\"{c}\"/>")).unwrap_or_default(),
        esc(text)
    )
}

/// A paragraph: alignment (`left`, `center`, `right`, `both`), first-line indent in characters
/// (hundredths), right indent in characters, extra properties, the runs.
fn para(jc: &str, first_chars: u32, right_chars: u32, extra: &str, runs: &str) -> String {
    format!(
        "<w:p><w:pPr>{extra}<w:spacing w:line=\"579\" w:lineRule=\"exact\" w:before=\"0\" w:after=\"0\"/><w:ind w:firstLineChars=\"{first_chars}\" w:rightChars=\"{right_chars}\"/><w:jc w:val=\"{jc}\"/></w:pPr>{runs}</w:p>"
    )
}

fn body(text: &str) -> String {
    para("both", 200, 0, "", &run(text, FANGSONG, 32, false, None))
}

fn heading(text: &str) -> String {
    para("both", 200, 0, "<w:keepNext/>", &run(text, HEI, 32, false, None))
}

fn blank() -> String {
    para("left", 0, 0, "", "")
}

/// A table with a header row; every cell 5号 宋体, centred.
fn table(caption: &str, head: &[String], rows: &[Vec<String>]) -> String {
    let cell = |t: &str, bold: bool| {
        format!(
            "<w:tc><w:tcPr><w:vAlign w:val=\"center\"/></w:tcPr><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>{}</w:p></w:tc>",
            run(t, SONG, 21, bold, None)
        )
    };
    let row = |cells: &[String], head: bool| {
        let props =
            if head { "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" } else { "<w:trPr><w:cantSplit/></w:trPr>" };
        format!("<w:tr>{props}{}</w:tr>", cells.iter().map(|c| cell(c, head)).collect::<String>())
    };
    let border = |side: &str| format!("<w:{side} w:val=\"single\" w:sz=\"6\" w:space=\"0\" w:color=\"000000\"/>");
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"].iter().map(|s| border(s)).collect();
    format!(
        "{}<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders>{borders}</w:tblBorders></w:tblPr>{}{}</w:tbl>",
        para("center", 0, 0, "<w:keepNext/>", &run(caption, HEI, 24, false, None)),
        row(head, true),
        rows.iter().map(|r| row(r, false)).collect::<String>()
    )
}

fn document(c: &BulletinContent) -> String {
    let mut x = String::new();
    let red_line = "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"18\" w:space=\"6\" w:color=\"D40000\"/></w:pBdr>";
    // 版头: the mark 35 mm below the block's top edge
    x.push_str(&format!(
        "<w:p><w:pPr><w:spacing w:before=\"{}\" w:after=\"0\"/><w:jc w:val=\"center\"/></w:pPr>{}</w:p>",
        (35.0 * MM) as u32,
        run(&c.issuer, XBS, 84, true, Some("D40000"))
    ));
    x.push_str(&blank());
    x.push_str(&para("center", 0, 0, red_line, &run(&c.number, FANGSONG, 32, false, None)));
    x.push_str(&blank());
    x.push_str(&blank());
    x.push_str(&para("center", 0, 0, "", &run(&c.title, XBS, 44, false, None)));
    x.push_str(&blank());
    x.push_str(&para(
        "both",
        0,
        0,
        "",
        &run("各县（市、区）人民政府，各开发区管委会，市直有关单位：", FANGSONG, 32, false, None),
    ));
    x.push_str(&body(&format!(
        "根据《{}》，现将{}至{}招商引资工作考核结果通报如下。",
        c.scheme,
        chinese_date(c.from),
        chinese_date(c.to)
    )));
    x.push_str(&heading("一、考核排名"));
    let mut head: Vec<String> = vec!["名次".into(), "单位".into()];
    head.extend(c.ranking.columns.iter().map(|col| format!("{}（{}分）", col.name, col.weight.normalize())));
    head.extend(["加分", "扣分", "总分"].map(String::from));
    let rows: Vec<Vec<String>> = c
        .ranking
        .results
        .iter()
        .map(|r| {
            let mut v = vec![r.rank.to_string(), r.unit.name.clone()];
            for col in &c.ranking.columns {
                v.push(
                    r.indicators.iter().find(|i| i.code == col.code).map(|i| i.points.to_string()).unwrap_or_default(),
                );
            }
            v.extend([r.bonus.to_string(), r.penalty.to_string(), r.total.to_string()]);
            v
        })
        .collect();
    x.push_str(&table("表1　考核得分与排名", &head, &rows));
    x.push_str(&heading("二、红黑榜"));
    let list = |v: &[domain::assessment::UnitResult]| {
        let names: Vec<String> = v.iter().map(|r| format!("{}（{}分）", r.unit.name, r.total)).collect();
        if names.is_empty() { "无".to_string() } else { names.join("、") }
    };
    x.push_str(&body(&format!("红榜（前三名）：{}。", list(&c.red_list))));
    x.push_str(&body(&format!("黑榜（后三名）：{}。", list(&c.black_list))));
    let mut n = 3;
    let numbers = ["一", "二", "三", "四", "五", "六"];
    if !c.top10.is_empty() {
        x.push_str(&heading("三、年度十大重大招商引资项目"));
        let head = ["序号", "项目名称", "所属单位", "总投资（万元）", "入选理由"].map(String::from);
        let rows: Vec<Vec<String>> = c
            .top10
            .iter()
            .map(|t| {
                vec![
                    t.position.to_string(),
                    t.project_name.clone(),
                    t.unit_name.clone(),
                    t.total_investment.to_string(),
                    t.citation.clone(),
                ]
            })
            .collect();
        x.push_str(&table("表2　年度十大重大招商引资项目", &head, &rows));
        n += 1;
    }
    let (red, yellow): (u32, u32) = (c.warnings.iter().map(|w| w.red).sum(), c.warnings.iter().map(|w| w.yellow).sum());
    x.push_str(&heading(&format!("{}、预警情况", numbers[n - 1])));
    x.push_str(&body(&format!(
        "截至{}，各单位项目预警情况如下（红色预警 {red} 条，黄色预警 {yellow} 条）。",
        chinese_date(c.warnings_on)
    )));
    let rows: Vec<Vec<String>> =
        c.warnings.iter().map(|w| vec![w.unit_name.clone(), w.red.to_string(), w.yellow.to_string()]).collect();
    let no = if c.top10.is_empty() { 2 } else { 3 };
    x.push_str(&table(&format!("表{no}　各单位预警数量"), &["单位", "红色预警", "黄色预警"].map(String::from), &rows));
    x.push_str(&body(
        "请各单位对照考核结果，查找差距，补齐短板，进一步加大招商引资工作力度；对预警项目逐一分析原因，限期整改。",
    ));
    x.push_str(&blank());
    x.push_str(&blank());
    let date = chinese_date(c.date);
    x.push_str(&para("right", 0, 400, "<w:keepNext/>", &run(&c.issuer, FANGSONG, 32, false, None)));
    x.push_str(&para("right", 0, 400, "", &run(&date, FANGSONG, 32, false, None)));
    x.push_str(&blank());
    x.push_str(&body("（此件公开发布）"));
    // 版记 on a page of its own, 抄送 and 印发 between rules
    let rule =
        |sz: u32| format!("<w:pBdr><w:top w:val=\"single\" w:sz=\"{sz}\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>");
    x.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
    x.push_str(&format!(
        "<w:p><w:pPr>{}<w:spacing w:before=\"{}\"/><w:ind w:left=\"320\" w:right=\"320\"/></w:pPr>{}</w:p>",
        rule(8),
        (190.0 * MM) as u32,
        run(&format!("抄送：{}", c.copy_to), FANGSONG, 28, false, None)
    ));
    x.push_str(&format!(
        "<w:p><w:pPr><w:pBdr><w:top w:val=\"single\" w:sz=\"4\" w:space=\"1\" w:color=\"000000\"/><w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"1\" w:color=\"000000\"/></w:pBdr><w:tabs><w:tab w:val=\"right\" w:pos=\"8500\"/></w:tabs><w:ind w:left=\"320\" w:right=\"320\"/></w:pPr>{}<w:r><w:tab/></w:r>{}</w:p>",
        run(&c.printed_by, FANGSONG, 28, false, None),
        run(&format!("{date}印发"), FANGSONG, 28, false, None)
    ));
    let section = format!(
        "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" w:header=\"851\" w:footer=\"{}\" w:gutter=\"0\"/><w:docGrid w:type=\"linesAndChars\" w:linePitch=\"579\" w:charSpace=\"0\"/></w:sectPr>",
        (37.0 * MM).round() as u32,
        (26.0 * MM).round() as u32,
        (35.0 * MM).round() as u32,
        (28.0 * MM).round() as u32,
        (28.0 * MM - 7.0 * MM).round() as u32,
    );
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>{x}{section}</w:body></w:document>"
    )
}

const FOOTER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii=\"宋体\" w:eastAsia=\"宋体\" w:hAnsi=\"宋体\"/><w:sz w:val=\"28\"/></w:rPr><w:t xml:space=\"preserve\">— </w:t></w:r><w:r><w:rPr><w:rFonts w:ascii=\"宋体\" w:eastAsia=\"宋体\" w:hAnsi=\"宋体\"/><w:sz w:val=\"28\"/></w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:rPr><w:rFonts w:ascii=\"宋体\" w:eastAsia=\"宋体\" w:hAnsi=\"宋体\"/><w:sz w:val=\"28\"/></w:rPr><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>";

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/></Types>";

const RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";

const DOC_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/></Relationships>";

/// The media type of a .docx download.
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The .docx of a published bulletin's content.
pub fn bulletin_docx(c: &BulletinContent) -> Result<Vec<u8>, String> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", RELS.to_string()),
        ("word/_rels/document.xml.rels", DOC_RELS.to_string()),
        ("word/document.xml", document(c)),
        ("word/footer1.xml", FOOTER.to_string()),
    ];
    for (name, text) in parts {
        z.start_file(name, opts).map_err(|e| format!("导出失败：{e}"))?;
        z.write_all(text.as_bytes()).map_err(|e| format!("导出失败：{e}"))?;
    }
    z.finish().map_err(|e| format!("导出失败：{e}"))?;
    Ok(buf.into_inner())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    #[test]
    fn the_document_has_a4_margins_and_the_content() {
        let c = crate::bulletin::tests_support::content();
        let bytes = super::bulletin_docx(&c).unwrap();
        // to look at the file: ZHAOSHANG_DOCX_OUT=/tmp/b.docx cargo test -p ledger docx
        if let Ok(out) = std::env::var("ZHAOSHANG_DOCX_OUT") {
            std::fs::write(out, &bytes).unwrap();
        }
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut doc = String::new();
        z.by_name("word/document.xml").unwrap().read_to_string(&mut doc).unwrap();
        assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
        assert!(doc.contains("w:top=\"2098\"") && doc.contains("w:left=\"1587\""), "{doc}");
        for text in
            ["郑州市商务局", "郑商通〔2026〕1号", "红榜（前三名）", "抄送：", "印发", "某新能源汽车项目", "u7区"]
        {
            assert!(doc.contains(text), "{text}");
        }
        assert!(z.by_name("word/footer1.xml").is_ok());
    }
}
