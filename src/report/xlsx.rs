//! The report's tables as an Excel workbook (rust_xlsxwriter): a contents sheet linking to every
//! other sheet, one sheet per table (counts as numbers, shares with a % format; a confidence
//! interval column "40,0%–50,0%" becomes two numeric columns, and "216 / 417" two count
//! columns), the tidy results table with column names in the report's language, and the charts
//! as images. Every sheet is set up for print (A4, fit to the page width, header rows repeated,
//! landscape when wide). Every text — labels, answers, names from diagnoza.toml — is written as
//! a string cell, so nothing starting with `=`, `+`, `-` or `@` is ever read as a formula. The
//! file's creation date is fixed, so the same input gives the same bytes. Returns bytes.

use anyhow::{Context, Result};
use rust_xlsxwriter::{Format, FormatAlign, Image, Url, Workbook, Worksheet};

use super::{Doc, Fmt, Tidy};

fn xerr(e: rust_xlsxwriter::XlsxError) -> anyhow::Error {
    anyhow::anyhow!("building the workbook: {e}")
}

fn text(ws: &mut Worksheet, r: u32, c: u16, s: &str, f: &Format) -> Result<()> {
    ws.write_string_with_format(r, c, s, f).map_err(xerr)?;
    Ok(())
}

/// A share printed "45,2%" or "45.2%" as 0.452.
fn parse_pct(s: &str) -> Option<f64> {
    let v: f64 = s.trim().strip_suffix('%')?.replace(',', ".").parse().ok()?;
    v.is_finite().then_some(v / 100.0)
}

/// A confidence interval printed "40,0%–50,0%".
pub fn parse_ci(s: &str) -> Option<(f64, f64)> {
    let (a, b) = s.split_once('–')?;
    Some((parse_pct(a)?, parse_pct(b)?))
}

/// A count out of a base printed "216 / 417".
pub fn parse_fraction(s: &str) -> Option<(f64, f64)> {
    let (a, b) = s.split_once(" / ")?;
    let a: u64 = a.trim().parse().ok()?;
    let b: u64 = b.trim().parse().ok()?;
    Some((a as f64, b as f64))
}

/// How a column of a report table goes into the sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Split {
    /// One column, as the cell says.
    No,
    /// Two share columns: the interval's bounds.
    Ci,
    /// Two count columns: n and the base.
    Fraction,
}

fn split_of(t: &super::Table, c: usize) -> Split {
    let texts: Vec<&str> = t
        .rows
        .iter()
        .filter_map(|r| r.get(c))
        .filter(|x| x.fmt == Fmt::Text && !x.text.trim().is_empty())
        .map(|x| x.text.as_str())
        .collect();
    let all_text = t
        .rows
        .iter()
        .filter_map(|r| r.get(c))
        .all(|x| x.fmt == Fmt::Text);
    if texts.is_empty() || !all_text {
        Split::No
    } else if texts.iter().all(|s| parse_ci(s).is_some()) {
        Split::Ci
    } else if texts.iter().all(|s| parse_fraction(s).is_some()) {
        Split::Fraction
    } else {
        Split::No
    }
}

/// The tidy table's column names in the report's language (the tidy CSV keeps
/// [`crate::analysis::export::TIDY_COLUMNS`]).
fn tidy_headers(pl: bool) -> [&'static str; 14] {
    if pl {
        [
            "pytanie",
            "treść pytania",
            "kod odpowiedzi",
            "odpowiedź",
            "zmienna grupująca",
            "grupa",
            "n",
            "podstawa",
            "rodzaj podstawy",
            "odsetek",
            "przedział ufności: od",
            "przedział ufności: do",
            "odsetek ważony",
            "ukryto",
        ]
    } else {
        crate::analysis::export::TIDY_COLUMNS
    }
}

/// A4, fit to one page wide, `rows` repeated on every page, landscape when `wide`.
fn print_setup(ws: &mut Worksheet, repeat_to: u32, wide: bool) -> Result<()> {
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    if wide {
        ws.set_landscape();
    }
    ws.set_repeat_rows(0, repeat_to).map_err(xerr)?;
    Ok(())
}

/// `s` across the first `ncols` columns (merged when more than one), wrapped, with the row made
/// tall enough for its lines (`width` is the columns' total width in characters).
fn wrapped(
    ws: &mut Worksheet,
    r: u32,
    ncols: u16,
    width: usize,
    s: &str,
    f: &Format,
) -> Result<()> {
    if ncols > 1 {
        ws.merge_range(r, 0, r, ncols - 1, s, f).map_err(xerr)?;
    } else {
        text(ws, r, 0, s, f)?;
    }
    let lines = s.chars().count().div_ceil(width.max(10)).max(1);
    ws.set_row_height(r, 15.0 * lines as f64).map_err(xerr)?;
    Ok(())
}

fn link(ws: &mut Worksheet, r: u32, c: u16, sheet: &str, label: &str) -> Result<()> {
    // top-aligned like the wrapped caption beside it, in the usual hyperlink look
    let f = Format::new()
        .set_font_color("0563C1")
        .set_underline(rust_xlsxwriter::FormatUnderline::Single)
        .set_align(FormatAlign::Top);
    let url = Url::new(format!("internal:'{sheet}'!A1")).set_text(label);
    ws.write_url_with_format(r, c, url, &f).map_err(xerr)?;
    Ok(())
}

/// Render the workbook; `pngs` are [`super::chart_pngs`] of `doc`.
pub fn render(doc: &Doc, tidy: &[Tidy], pngs: &[Vec<u8>]) -> Result<Vec<u8>> {
    let lang = doc.lang.as_str();
    let pl = lang == "pl";
    let mut wb = Workbook::new();
    wb.set_properties(&crate::output::xlsx_properties().set_title(&doc.title));
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_background_color("EEF3F9")
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let plain = Format::new();
    let muted = Format::new().set_font_color("777777");
    let pctf = Format::new().set_num_format("0.0%");
    let intf = Format::new().set_num_format("#,##0");
    let numf = Format::new().set_num_format("0.00");
    let note = Format::new().set_italic().set_font_color("444444");
    let note_wrap = note.clone().set_text_wrap().set_align(FormatAlign::Top);
    let bold_wrap = bold.clone().set_text_wrap().set_align(FormatAlign::Top);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);

    // contents
    let contents = wb.add_worksheet();
    contents
        .set_name(if pl { "Spis" } else { "Contents" })
        .map_err(xerr)?;
    text(contents, 0, 0, &doc.title, &bold)?;
    text(contents, 1, 0, &doc.place, &plain)?;
    text(contents, 3, 0, if pl { "Arkusz" } else { "Sheet" }, &head)?;
    text(
        contents,
        3,
        1,
        if pl { "Zawartość" } else { "Content" },
        &head,
    )?;
    contents.set_column_width(0, 12).map_err(xerr)?;
    contents.set_column_width(1, 80).map_err(xerr)?;
    let mut row = 4;
    for t in doc.tables() {
        let name = format!("T{:02}", t.number);
        link(contents, row, 0, &name, &name)?;
        text(contents, row, 1, &t.caption, &wrap)?;
        let lines = t.caption.chars().count().div_ceil(85).max(1);
        if lines > 1 {
            contents
                .set_row_height(row, 15.0 * lines as f64)
                .map_err(xerr)?;
        }
        row += 1;
    }
    let tidy_name = if pl {
        "Wyniki (tabela długa)"
    } else {
        "Results (long table)"
    };
    let charts_name = if pl { "Wykresy" } else { "Charts" };
    for (name, what) in [
        (
            tidy_name,
            if pl {
                "Wszystkie odpowiedzi wszystkich pytań, ogółem i w grupach"
            } else {
                "Every option of every question, overall and by group"
            },
        ),
        (
            charts_name,
            if pl {
                "Wykresy raportu"
            } else {
                "The report's charts"
            },
        ),
    ] {
        link(contents, row, 0, name, name)?;
        text(contents, row, 1, what, &plain)?;
        row += 1;
    }
    print_setup(contents, 3, false)?;
    let back = if pl { "← Spis" } else { "← Contents" };
    let contents_name = if pl { "Spis" } else { "Contents" };

    // one sheet per table
    for t in doc.tables() {
        let ws = wb.add_worksheet();
        ws.set_name(format!("T{:02}", t.number)).map_err(xerr)?;
        link(ws, 1, 0, contents_name, back)?;
        let splits: Vec<Split> = (0..t.headers.len()).map(|c| split_of(t, c)).collect();
        // sheet column of each table column (split ones take two)
        let mut at = Vec::with_capacity(splits.len());
        let mut next = 0u16;
        for s in &splits {
            at.push(next);
            next += if *s == Split::No { 1 } else { 2 };
        }
        let mut chars = 0usize;
        for (c, h) in t.headers.iter().enumerate() {
            let longest = t
                .rows
                .iter()
                .filter_map(|r| r.get(c))
                .map(|x| x.text.chars().count())
                .max()
                .unwrap_or(0);
            let wdt = (longest.max(h.chars().count().min(24)) + 2).clamp(8, 60);
            let sub = match splits[c] {
                Split::No => vec![h.clone()],
                Split::Ci => vec![
                    format!("{h}: {}", if pl { "od" } else { "low" }),
                    format!("{h}: {}", if pl { "do" } else { "high" }),
                ],
                Split::Fraction => vec![
                    h.clone(),
                    (if pl { "podstawa" } else { "base" }).to_string(),
                ],
            };
            let wdt = if sub.len() == 2 { 12 } else { wdt };
            for (k, name) in sub.iter().enumerate() {
                let col = at[c] + k as u16;
                text(ws, 2, col, name, &head)?;
                ws.set_column_width(col, wdt as f64).map_err(xerr)?;
                chars += wdt;
            }
        }
        // caption and note wrap within the table's width (text running past the last column
        // would make "fit to page width" print everything tiny)
        wrapped(ws, 0, next, chars, &t.caption, &bold_wrap)?;
        for (r, cells) in t.rows.iter().enumerate() {
            let r = 3 + r as u32;
            for (c, cell) in cells.iter().enumerate() {
                let split = splits.get(c).copied().unwrap_or(Split::No);
                let c = at.get(c).copied().unwrap_or(next);
                let pair = match split {
                    Split::Ci => parse_ci(&cell.text).map(|p| (p, &pctf)),
                    Split::Fraction => parse_fraction(&cell.text).map(|p| (p, &intf)),
                    Split::No => None,
                };
                if let Some(((a, b), f)) = pair {
                    ws.write_number_with_format(r, c, a, f).map_err(xerr)?;
                    ws.write_number_with_format(r, c + 1, b, f).map_err(xerr)?;
                    continue;
                }
                match (cell.value, cell.fmt) {
                    (Some(v), Fmt::Pct) => ws
                        .write_number_with_format(r, c, v, &pctf)
                        .map(|_| ())
                        .map_err(xerr)?,
                    (Some(v), Fmt::Int) => ws
                        .write_number_with_format(r, c, v, &intf)
                        .map(|_| ())
                        .map_err(xerr)?,
                    (Some(v), Fmt::Num) => ws
                        .write_number_with_format(r, c, v, &numf)
                        .map(|_| ())
                        .map_err(xerr)?,
                    _ => text(
                        ws,
                        r,
                        c,
                        &cell.text,
                        if cell.muted { &muted } else { &plain },
                    )?,
                }
            }
        }
        if !t.note.is_empty() {
            wrapped(
                ws,
                4 + t.rows.len() as u32,
                next,
                chars,
                &t.note,
                &note_wrap,
            )?;
        }
        ws.set_freeze_panes(3, 0).map_err(xerr)?;
        print_setup(ws, 2, chars > 95)?;
    }

    // the tidy table
    let ws = wb.add_worksheet();
    ws.set_name(tidy_name).map_err(xerr)?;
    let cols = tidy_headers(pl);
    for (c, h) in cols.iter().enumerate() {
        text(ws, 0, c as u16, h, &head)?;
    }
    for (c, w) in [12, 40, 14, 30, 14, 20, 8, 9, 12, 9, 11, 11, 10, 8]
        .into_iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, w).map_err(xerr)?;
    }
    print_setup(ws, 0, true)?;
    for (i, t) in tidy.iter().enumerate() {
        let r = 1 + i as u32;
        for (c, s) in [
            &t.question,
            &t.question_label,
            &t.option,
            &t.option_label,
            &t.group_var,
            &t.group_value,
        ]
        .iter()
        .enumerate()
        {
            text(ws, r, c as u16, s, &plain)?;
        }
        if let Some(n) = t.n {
            ws.write_number_with_format(r, 6, n as f64, &intf)
                .map_err(xerr)?;
        }
        ws.write_number_with_format(r, 7, t.base as f64, &intf)
            .map_err(xerr)?;
        text(ws, r, 8, t.base_kind, &plain)?;
        for (c, v) in [
            (9u16, t.pct),
            (10, t.ci_low),
            (11, t.ci_high),
            (12, t.weighted_pct),
        ] {
            if let Some(v) = v {
                ws.write_number_with_format(r, c, v, &pctf).map_err(xerr)?;
            }
        }
        ws.write_boolean(r, 13, t.suppressed).map_err(xerr)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    if !tidy.is_empty() {
        ws.autofilter(0, 0, tidy.len() as u32, cols.len() as u16 - 1)
            .map_err(xerr)?;
    }

    // charts
    let ws = wb.add_worksheet();
    ws.set_name(charts_name).map_err(xerr)?;
    print_setup(ws, 0, false)?;
    let mut row = 0u32;
    for c in doc.charts() {
        text(ws, row, 0, &c.caption, &bold)?;
        let png = pngs
            .get(c.number - 1)
            .with_context(|| format!("chart {} was not drawn", c.number))?;
        let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
        let img = Image::new_from_buffer(png)
            .map_err(xerr)?
            .set_scale_width(0.5)
            .set_scale_height(0.5);
        ws.insert_image(row + 1, 0, &img).map_err(xerr)?;
        row += 3 + (h / 2) / 20;
    }
    wb.save_to_buffer().map_err(xerr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_and_fraction_texts_become_numbers() {
        assert_eq!(parse_ci("40,0%–50,5%"), Some((0.4, 0.505)));
        assert_eq!(parse_ci("12.5%–20.0%"), Some((0.125, 0.2)));
        assert_eq!(parse_ci("ukryto"), None);
        assert_eq!(
            parse_ci("40%-50%"),
            None,
            "a hyphen is not the report's range dash"
        );
        assert_eq!(parse_fraction("216 / 417"), Some((216.0, 417.0)));
        assert_eq!(parse_fraction("216/417"), None);
        assert_eq!(parse_fraction("a / 4"), None);
    }
}
