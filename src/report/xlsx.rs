//! The report's tables as an Excel workbook (rust_xlsxwriter): a contents sheet, one sheet per
//! table (counts as numbers, shares with a % format), the tidy results table, and the charts as
//! images. Every text — labels, answers, names from diagnoza.toml — is written as a string cell,
//! so nothing starting with `=`, `+`, `-` or `@` is ever read as a formula. Returns bytes.

use anyhow::{Context, Result};
use rust_xlsxwriter::{Format, FormatAlign, Image, Workbook, Worksheet};

use super::{Doc, Fmt, Tidy};

fn xerr(e: rust_xlsxwriter::XlsxError) -> anyhow::Error {
    anyhow::anyhow!("building the workbook: {e}")
}

fn text(ws: &mut Worksheet, r: u32, c: u16, s: &str, f: &Format) -> Result<()> {
    ws.write_string_with_format(r, c, s, f).map_err(xerr)?;
    Ok(())
}

/// Render the workbook; `pngs` are [`super::chart_pngs`] of `doc`.
pub fn render(doc: &Doc, tidy: &[Tidy], pngs: &[Vec<u8>]) -> Result<Vec<u8>> {
    let lang = doc.lang.as_str();
    let pl = lang == "pl";
    let mut wb = Workbook::new();
    wb.set_properties(&crate::output::xlsx_properties());
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
    contents.set_column_width(1, 100).map_err(xerr)?;
    let mut row = 4;
    for t in doc.tables() {
        text(contents, row, 0, &format!("T{:02}", t.number), &plain)?;
        text(contents, row, 1, &t.caption, &plain)?;
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
        text(contents, row, 0, name, &plain)?;
        text(contents, row, 1, what, &plain)?;
        row += 1;
    }

    // one sheet per table
    for t in doc.tables() {
        let ws = wb.add_worksheet();
        ws.set_name(format!("T{:02}", t.number)).map_err(xerr)?;
        text(ws, 0, 0, &t.caption, &bold)?;
        for (c, h) in t.headers.iter().enumerate() {
            text(ws, 2, c as u16, h, &head)?;
            ws.set_column_width(c as u16, if c == 0 { 45 } else { 16 })
                .map_err(xerr)?;
        }
        for (r, cells) in t.rows.iter().enumerate() {
            let r = 3 + r as u32;
            for (c, cell) in cells.iter().enumerate() {
                let c = c as u16;
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
            text(ws, 4 + t.rows.len() as u32, 0, &t.note, &note)?;
        }
        ws.set_freeze_panes(3, 0).map_err(xerr)?;
    }

    // the tidy table
    let ws = wb.add_worksheet();
    ws.set_name(tidy_name).map_err(xerr)?;
    let cols = crate::analysis::export::TIDY_COLUMNS;
    for (c, h) in cols.iter().enumerate() {
        text(ws, 0, c as u16, h, &head)?;
    }
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
