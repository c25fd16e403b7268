//! The analysis tables as files for R, SPSS and Excel users: the tidy results table, the indices
//! table and the group tests, as CSV or as one XLSX workbook (a sheet each, shares formatted as
//! percentages). Text that a spreadsheet could take for a formula is neutralised. It returns
//! bytes; writing them is `output::write`'s job.

use anyhow::Result;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use serde::Serialize;

use super::{IndexRow, Results, TestMethod, TidyRow};

/// One row of the group-tests table.
#[derive(Debug, Clone, Serialize)]
pub struct TestRow {
    pub group_var: String,
    pub question: String,
    pub option: String,
    pub method: &'static str,
    pub n: u64,
    pub rows: usize,
    pub cols: usize,
    pub chi2: f64,
    pub df: u32,
    pub p_chi2: f64,
    pub p_fisher: Option<f64>,
    pub p: f64,
    pub cramers_v: f64,
    pub min_expected: f64,
    pub share_expected_below_5: f64,
    pub reliable: bool,
    pub supported: bool,
}

/// The tests of every breakdown, flattened.
pub fn test_rows(r: &Results) -> Vec<TestRow> {
    let mut out = Vec::new();
    for b in &r.breakdowns {
        for (q, tests) in &b.tests {
            for t in tests {
                out.push(TestRow {
                    group_var: b.var.clone(),
                    question: q.clone(),
                    option: t.option.clone().unwrap_or_default(),
                    method: match t.method {
                        TestMethod::ChiSquare => "chi_square",
                        TestMethod::FisherExact => "fisher_exact",
                    },
                    n: t.n,
                    rows: t.rows,
                    cols: t.cols,
                    chi2: t.chi2,
                    df: t.df,
                    p_chi2: t.p_chi2,
                    p_fisher: t.p_fisher,
                    p: t.p,
                    cramers_v: t.cramers_v,
                    min_expected: t.min_expected,
                    share_expected_below_5: t.share_expected_below_5,
                    reliable: t.reliable,
                    supported: t.supported,
                });
            }
        }
    }
    out
}

/// Text that Excel or LibreOffice would read as a formula when the CSV is opened (`=`, `+`, `-`,
/// `@`, tab, carriage return at the start) gets a leading apostrophe (OWASP's advice).
pub fn defuse(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn defused_tidy(rows: &[TidyRow]) -> Vec<TidyRow> {
    rows.iter()
        .cloned()
        .map(|mut r| {
            for s in [
                &mut r.question,
                &mut r.question_label,
                &mut r.option,
                &mut r.option_label,
                &mut r.group_var,
                &mut r.group_value,
            ] {
                *s = defuse(s);
            }
            r
        })
        .collect()
}

fn defused_index(rows: &[IndexRow]) -> Vec<IndexRow> {
    rows.iter()
        .cloned()
        .map(|mut r| {
            for s in [
                &mut r.area_label,
                &mut r.question,
                &mut r.option,
                &mut r.group_var,
                &mut r.group_value,
            ] {
                *s = defuse(s);
            }
            r
        })
        .collect()
}

fn to_csv<T: Serialize>(rows: &[T], header: &[&str]) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(!rows.is_empty())
        .from_writer(Vec::new());
    if rows.is_empty() {
        w.write_record(header)?;
    }
    for r in rows {
        w.serialize(r)?;
    }
    Ok(w.into_inner()?)
}

/// Column names of the tidy results table, in order.
pub const TIDY_COLUMNS: [&str; 14] = [
    "question",
    "question_label",
    "option",
    "option_label",
    "group_var",
    "group_value",
    "n",
    "base",
    "base_kind",
    "pct",
    "ci_low",
    "ci_high",
    "weighted_pct",
    "suppressed",
];

pub const INDEX_COLUMNS: [&str; 15] = [
    "index",
    "area",
    "area_label",
    "question",
    "option",
    "group_var",
    "group_value",
    "n",
    "base",
    "value",
    "ci_low",
    "ci_high",
    "weighted_value",
    "priority",
    "suppressed",
];

pub const TEST_COLUMNS: [&str; 17] = [
    "group_var",
    "question",
    "option",
    "method",
    "n",
    "rows",
    "cols",
    "chi2",
    "df",
    "p_chi2",
    "p_fisher",
    "p",
    "cramers_v",
    "min_expected",
    "share_expected_below_5",
    "reliable",
    "supported",
];

pub fn tidy_csv(rows: &[TidyRow]) -> Result<Vec<u8>> {
    to_csv(&defused_tidy(rows), &TIDY_COLUMNS)
}

pub fn indices_csv(rows: &[IndexRow]) -> Result<Vec<u8>> {
    to_csv(&defused_index(rows), &INDEX_COLUMNS)
}

pub fn tests_csv(rows: &[TestRow]) -> Result<Vec<u8>> {
    to_csv(rows, &TEST_COLUMNS)
}

/// A cell of a sheet.
enum Cell<'a> {
    Text(&'a str),
    Int(Option<u64>),
    Num(Option<f64>),
    Pct(Option<f64>),
    Bool(bool),
}

fn sheet(ws: &mut Worksheet, header: &[&str], rows: Vec<Vec<Cell<'_>>>) -> Result<()> {
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.0%");
    let num = Format::new().set_num_format("0.0000");
    for (j, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, j as u16, *h, &bold)?;
    }
    for (i, r) in rows.into_iter().enumerate() {
        let row = i as u32 + 1;
        for (j, c) in r.into_iter().enumerate() {
            let col = j as u16;
            match c {
                // write_string stores text as text: nothing is ever evaluated as a formula.
                Cell::Text(s) => {
                    ws.write_string(row, col, s)?;
                }
                Cell::Int(Some(x)) => {
                    ws.write_number(row, col, x as f64)?;
                }
                Cell::Num(Some(x)) if x.is_finite() => {
                    ws.write_number_with_format(row, col, x, &num)?;
                }
                Cell::Pct(Some(x)) if x.is_finite() => {
                    ws.write_number_with_format(row, col, x, &pct)?;
                }
                Cell::Bool(b) => {
                    ws.write_boolean(row, col, b)?;
                }
                _ => {}
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, 0, header.len().saturating_sub(1) as u16)?;
    Ok(())
}

/// The workbook: sheets `results`, `indices` and `tests`.
pub fn xlsx(tidy: &[TidyRow], indices: &[IndexRow], tests: &[TestRow]) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    // a fixed creation date: the same results give the same bytes
    wb.set_properties(&crate::report::xlsx_properties()?);
    let ws = wb.add_worksheet().set_name("results")?;
    sheet(
        ws,
        &TIDY_COLUMNS,
        tidy.iter()
            .map(|r| {
                vec![
                    Cell::Text(&r.question),
                    Cell::Text(&r.question_label),
                    Cell::Text(&r.option),
                    Cell::Text(&r.option_label),
                    Cell::Text(&r.group_var),
                    Cell::Text(&r.group_value),
                    Cell::Int(r.n),
                    Cell::Int(Some(r.base)),
                    Cell::Text(r.base_kind),
                    Cell::Pct(r.pct),
                    Cell::Pct(r.ci_low),
                    Cell::Pct(r.ci_high),
                    Cell::Pct(r.weighted_pct),
                    Cell::Bool(r.suppressed),
                ]
            })
            .collect(),
    )?;
    let ws = wb.add_worksheet().set_name("indices")?;
    sheet(
        ws,
        &INDEX_COLUMNS,
        indices
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.index),
                    Cell::Text(&r.area),
                    Cell::Text(&r.area_label),
                    Cell::Text(&r.question),
                    Cell::Text(&r.option),
                    Cell::Text(&r.group_var),
                    Cell::Text(&r.group_value),
                    Cell::Int(r.n),
                    Cell::Int(r.base),
                    Cell::Pct(r.value),
                    Cell::Pct(r.ci_low),
                    Cell::Pct(r.ci_high),
                    Cell::Pct(r.weighted_value),
                    Cell::Text(&r.priority),
                    Cell::Bool(r.suppressed),
                ]
            })
            .collect(),
    )?;
    let ws = wb.add_worksheet().set_name("tests")?;
    sheet(
        ws,
        &TEST_COLUMNS,
        tests
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(&r.group_var),
                    Cell::Text(&r.question),
                    Cell::Text(&r.option),
                    Cell::Text(r.method),
                    Cell::Int(Some(r.n)),
                    Cell::Int(Some(r.rows as u64)),
                    Cell::Int(Some(r.cols as u64)),
                    Cell::Num(Some(r.chi2)),
                    Cell::Int(Some(u64::from(r.df))),
                    Cell::Num(Some(r.p_chi2)),
                    Cell::Num(r.p_fisher),
                    Cell::Num(Some(r.p)),
                    Cell::Num(Some(r.cramers_v)),
                    Cell::Num(Some(r.min_expected)),
                    Cell::Pct(Some(r.share_expected_below_5)),
                    Cell::Bool(r.reliable),
                    Cell::Bool(r.supported),
                ]
            })
            .collect(),
    )?;
    Ok(wb.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_text_is_defused() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("+48 123"), "'+48 123");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("-1+1"), "'-1+1");
        assert_eq!(defuse("Wiek"), "Wiek");
        assert_eq!(defuse(""), "");
    }

    #[test]
    fn csv_cells_are_defused() {
        let row = TidyRow {
            question: "q".into(),
            question_label: "=HYPERLINK(\"http://x\")".into(),
            option: "a".into(),
            option_label: "@cmd".into(),
            group_var: String::new(),
            group_value: String::new(),
            n: Some(1),
            base: 2,
            base_kind: "asked",
            pct: Some(0.5),
            ci_low: None,
            ci_high: None,
            weighted_pct: None,
            suppressed: false,
        };
        let text = String::from_utf8(tidy_csv(&[row]).unwrap()).unwrap();
        assert!(
            text.contains("\"'=HYPERLINK(\"\"http://x\"\")\"") && text.contains(",'@cmd,"),
            "{text}"
        );
        assert!(text.starts_with(&TIDY_COLUMNS.join(",")));
        let empty = String::from_utf8(tidy_csv(&[]).unwrap()).unwrap();
        assert_eq!(empty.trim_end(), TIDY_COLUMNS.join(","));
    }
}
