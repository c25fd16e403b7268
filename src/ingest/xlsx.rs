//! Reading spreadsheets (.xlsx, .xlsm, .xls, .ods) with calamine into [`RawTable`]s: cell values
//! as text the way a clerk sees them (whole numbers without ".0", dates as ISO), first non-empty
//! row as the header.

use std::io::Cursor;
use std::path::Path;

use anyhow::{Context, Result, bail};
use calamine::{Data, Reader, open_workbook_auto_from_rs};

use super::{RawTable, hash_bytes};
use crate::safe::{MAX_CELL_CHARS, MAX_CELLS, MAX_UNPACKED_BYTES};

/// Text of one cell.
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        Data::DateTime(dt) => {
            // Excel serial date (1900 system): days since 1899-12-30.
            // A serial outside years 1–9999 (a hostile or damaged file) is shown as the number.
            let serial = dt.as_f64();
            let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
            let days = serial.floor();
            let secs = ((serial - days) * 86_400.0).round() as i64;
            let day = (serial.is_finite() && days.abs() < 3_000_000.0)
                .then(|| chrono::Duration::try_days(days as i64))
                .flatten()
                .and_then(|d| base.checked_add_signed(d));
            match day {
                Some(d) if secs == 0 => d.format("%Y-%m-%d").to_string(),
                Some(d) => (d.and_time(chrono::NaiveTime::MIN) + chrono::Duration::seconds(secs))
                    .format("%Y-%m-%dT%H:%M:%S")
                    .to_string(),
                None => serial.to_string(),
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Every sheet of a workbook as (sheet name, rows of cell text).
pub fn read_sheets(bytes: &[u8], file: &str) -> Result<Vec<(String, Vec<Vec<String>>)>> {
    if !(bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])) {
        bail!("{file}: not a spreadsheet (an .xlsx file is a zip archive; this one is not)");
    }
    if bytes.starts_with(b"PK\x03\x04") {
        check_zip(bytes, file)?;
    }
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| {
        anyhow::anyhow!("{file}: cannot open the workbook (a damaged or incomplete file?): {e}")
    })?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let rows = match &mut wb {
            // Cell by cell: a lone cell at XFD1048576 must not make a dense 17-billion-cell range.
            calamine::Sheets::Xlsx(x) => xlsx_rows(x, &name, file)?,
            _ => {
                let range = wb
                    .worksheet_range(&name)
                    .map_err(|e| anyhow::anyhow!("{file}: sheet '{name}': {e}"))?;
                range
                    .rows()
                    .map(|r| r.iter().map(cell_text).collect())
                    .collect()
            }
        };
        out.push((name, rows));
    }
    Ok(out)
}

/// Whether a sheet's header is a Kobo repeat sheet's (`_parent_index`, `_submission__uuid`) or
/// an ODK repeat table's (`PARENT_KEY`).
pub fn is_repeat_sheet(headers: &[String]) -> bool {
    headers.iter().any(|h| {
        matches!(
            h.trim(),
            "_parent_index" | "_submission__uuid" | "_parent_table_name" | "PARENT_KEY"
        )
    })
}

/// A spreadsheet's zip archive checked before it is unpacked: no entry and not all of them
/// together larger than [`MAX_UNPACKED_BYTES`] (a "zip bomb", huge shared strings), and an .ods
/// whose repeated cells stay under [`MAX_CELLS`].
fn check_zip(bytes: &[u8], file: &str) -> Result<()> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        anyhow::anyhow!("{file}: cannot open the workbook (a damaged or incomplete file?): {e}")
    })?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip
            .by_index(i)
            .map_err(|e| anyhow::anyhow!("{file}: damaged archive entry {i}: {e}"))?;
        total = total.saturating_add(entry.size());
        if entry.size() > MAX_UNPACKED_BYTES || total > MAX_UNPACKED_BYTES {
            bail!(
                "{file}: the archive entry '{}' unpacks to {} MB, over the limit of {} MB for one file (a damaged file or a zip bomb)",
                entry.name().map(|n| n.to_string()).unwrap_or_default(),
                entry.size() / 1_000_000,
                MAX_UNPACKED_BYTES / 1_000_000
            );
        }
    }
    if let Ok(entry) = zip.by_name("content.xml") {
        // OpenDocument: every value cell repeated `number-columns-repeated` times in a row
        // repeated `number-rows-repeated` times counts.
        let mut xml = String::new();
        entry
            .take(MAX_UNPACKED_BYTES)
            .read_to_string(&mut xml)
            .with_context(|| format!("{file}: cannot unpack content.xml"))?;
        let cells = ods_cells(&xml);
        if cells > MAX_CELLS {
            bail!(
                "{file}: the sheets repeat cells to {cells} cells, over the limit of {MAX_CELLS} (a damaged file or a hostile one)"
            );
        }
    }
    Ok(())
}

/// Value cells of an OpenDocument spreadsheet with their repeats multiplied out.
fn ods_cells(xml: &str) -> u64 {
    static TAG: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"<table:(table-row|table-cell|covered-table-cell)\b([^>]*)>")
            .expect("valid regex")
    });
    let repeat = |attrs: &str, name: &str| -> u64 {
        let key = format!("{name}=\"");
        attrs
            .find(&key)
            .and_then(|p| attrs[p + key.len()..].split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
    };
    let (mut rows, mut total) = (1u64, 0u64);
    for c in TAG.captures_iter(xml) {
        let attrs = &c[2];
        if &c[1] == "table-row" {
            rows = repeat(attrs, "table:number-rows-repeated");
        } else if attrs.contains("value-type") || attrs.contains("formula") {
            let n = rows.saturating_mul(repeat(attrs, "table:number-columns-repeated"));
            total = total.saturating_add(n);
        }
    }
    total
}

/// One .xlsx sheet's rows from its cells (sparse), bounded by the non-empty cells; a used area
/// over [`MAX_CELLS`] is an error naming its far corner.
fn xlsx_rows<RS: std::io::Read + std::io::Seek>(
    x: &mut calamine::Xlsx<RS>,
    name: &str,
    file: &str,
) -> Result<Vec<Vec<String>>> {
    let mut reader = x
        .worksheet_cells_reader(name)
        .map_err(|e| anyhow::anyhow!("{file}: sheet '{name}': {e}"))?;
    let mut cells: Vec<((u32, u32), String)> = Vec::new();
    while let Some(c) = reader
        .next_cell()
        .map_err(|e| anyhow::anyhow!("{file}: sheet '{name}': {e}"))?
    {
        let text = cell_text(&Data::from(c.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        if text.chars().count() > MAX_CELL_CHARS {
            let (r, col) = c.get_position();
            bail!(
                "{file}: sheet '{name}', cell {}: over {MAX_CELL_CHARS} characters",
                cell_name(r, col)
            );
        }
        cells.push((c.get_position(), text));
        if cells.len() as u64 > MAX_CELLS {
            bail!("{file}: sheet '{name}': more than {MAX_CELLS} cells (the limit for one import)");
        }
    }
    if cells.is_empty() {
        return Ok(Vec::new());
    }
    let (r0, r1) = cells
        .iter()
        .fold((u32::MAX, 0), |(a, b), c| (a.min(c.0.0), b.max(c.0.0)));
    let (c0, c1) = cells
        .iter()
        .fold((u32::MAX, 0), |(a, b), c| (a.min(c.0.1), b.max(c.0.1)));
    let (h, w) = (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1);
    if h * w > MAX_CELLS {
        let far = cells
            .iter()
            .max_by_key(|c| (c.0.0.max(c.0.1), c.0))
            .map(|c| c.0)
            .unwrap_or((r1, c1));
        bail!(
            "{file}: sheet '{name}': the used area reaches cell {} ({h} rows × {w} columns, over the limit of {MAX_CELLS} cells): delete the stray cells far from the table",
            cell_name(far.0, far.1)
        );
    }
    let mut rows = vec![vec![String::new(); w as usize]; h as usize];
    for ((r, c), t) in cells {
        rows[(r - r0) as usize][(c - c0) as usize] = t;
    }
    Ok(rows)
}

/// `A1`-style name of a 0-based (row, column).
fn cell_name(row: u32, col: u32) -> String {
    let mut c = col + 1;
    let mut letters = Vec::new();
    while c > 0 {
        let r = (c - 1) % 26;
        letters.push((b'A' + r as u8) as char);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

/// The sheet that holds the answers in the data-entry workbook (`diagnoza form --format xlsx`).
pub const DATA_SHEET: &str = "dane";
/// The header of the one-respondent form (`diagnoza form --format xlsx-email`): one row per
/// question (or per choice, `q/choice`), the answer in the fourth column.
pub const FORM_HEADERS: [&str; 4] = ["pytanie", "nr", "treść", "odpowiedź"];

/// Read one sheet of a workbook as a table: the named one; else the sheet `dane` (the
/// data-entry workbook) when present, else the first non-empty sheet.
pub fn read_xlsx(path: &Path, sheet: Option<&str>) -> Result<RawTable> {
    let bytes = super::read_bounded(path)?;
    read_xlsx_bytes(&bytes, &path.display().to_string(), sheet)
}

pub fn read_xlsx_bytes(bytes: &[u8], file: &str, sheet: Option<&str>) -> Result<RawTable> {
    let sheets = read_sheets(bytes, file)?;
    let names: Vec<String> = sheets.iter().map(|s| s.0.clone()).collect();
    // Other sheets with data (a Kobo export's repeat sheets) are named, never dropped silently.
    let sizes: Vec<(String, usize, bool)> = sheets
        .iter()
        .map(|(n, rows)| {
            let mut filled = rows.iter().filter(|r| r.iter().any(|c| !c.is_empty()));
            let repeat = filled.next().is_some_and(|h| is_repeat_sheet(h));
            (n.clone(), filled.count(), repeat)
        })
        .collect();
    let (name, rows) = match sheet {
        Some(want) => sheets.into_iter().find(|s| s.0 == want).with_context(|| {
            format!(
                "{file}: no sheet named '{want}' (sheets: {})",
                names.join(", ")
            )
        })?,
        None => {
            let non_empty = |s: &(String, Vec<Vec<String>>)| {
                s.1.iter().any(|r| r.iter().any(|c| !c.is_empty()))
            };
            // The data-entry workbook of `diagnoza form --format xlsx` keeps the answers in `dane`.
            let pos = sheets
                .iter()
                .position(|s| s.0.eq_ignore_ascii_case(DATA_SHEET) && non_empty(s))
                .or_else(|| sheets.iter().position(non_empty))
                .with_context(|| format!("{file}: every sheet is empty"))?;
            sheets
                .into_iter()
                .nth(pos)
                .with_context(|| format!("{file}: every sheet is empty"))?
        }
    };
    let mut rows = rows
        .into_iter()
        .skip_while(|r| r.iter().all(|c| c.is_empty()));
    let headers = rows
        .next()
        .with_context(|| format!("{file}: sheet '{name}' is empty"))?;
    let width = headers
        .iter()
        .rposition(|h| !h.is_empty())
        .map_or(0, |i| i + 1);
    let headers: Vec<String> = headers.into_iter().take(width).collect();
    let rows: Vec<Vec<String>> = rows.collect();
    let is_form = headers.len() >= 4
        && headers
            .iter()
            .zip(FORM_HEADERS)
            .all(|(h, f)| h.trim().to_lowercase() == f);
    if is_form {
        // One respondent, one question per row: turn it into one record.
        let mut names = Vec::new();
        let mut cells = Vec::new();
        for r in &rows {
            let name = r.first().map(|c| c.trim()).unwrap_or("");
            if name.is_empty() {
                continue;
            }
            names.push(name.to_string());
            cells.push(r.get(3).cloned().unwrap_or_default());
        }
        return Ok(RawTable {
            file: file.to_string(),
            headers: names,
            rows: vec![cells],
            detected: format!("one-respondent form, sheet '{name}'"),
            file_hash: hash_bytes(bytes),
        });
    }
    let others: Vec<String> = sizes
        .iter()
        .filter(|(n, rows, _)| *n != name && *rows > 0)
        .map(|(n, rows, repeat)| {
            let repeat = if *repeat {
                ", a repeat (roster) sheet: its members are not imported"
            } else {
                ""
            };
            format!("'{n}' ({rows} rows{repeat})")
        })
        .collect();
    let mut detected = format!("spreadsheet, sheet '{name}'");
    if !others.is_empty() {
        detected.push_str(&format!("; other sheets not read: {}", others.join(", ")));
    }
    Ok(RawTable {
        file: file.to_string(),
        headers,
        rows,
        detected,
        file_hash: hash_bytes(bytes),
    })
}

#[cfg(test)]
mod repeat_sheet_tests {
    use super::*;

    #[test]
    fn a_kobo_repeat_sheet_is_named_not_dropped() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let main = wb.add_worksheet();
        main.set_name("household").unwrap();
        for (c, h) in ["hh_size", "_id", "_uuid", "_index"].iter().enumerate() {
            main.write_string(0, c as u16, *h).unwrap();
            main.write_string(1, c as u16, "1").unwrap();
        }
        let rep = wb.add_worksheet();
        rep.set_name("members").unwrap();
        for (c, h) in ["m_age", "_index", "_parent_index", "_submission__uuid"]
            .iter()
            .enumerate()
        {
            rep.write_string(0, c as u16, *h).unwrap();
            rep.write_string(1, c as u16, "80").unwrap();
            rep.write_string(2, c as u16, "7").unwrap();
        }
        let bytes = wb.save_to_buffer().unwrap();
        let t = read_xlsx_bytes(&bytes, "k.xlsx", None).unwrap();
        assert_eq!(t.headers[0], "hh_size");
        assert!(
            t.detected.ends_with(
                "other sheets not read: 'members' (2 rows, a repeat (roster) sheet: its members \
                 are not imported)"
            ),
            "{}",
            t.detected
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_date_serial_does_not_panic() {
        for v in [1e300, -1e300, f64::NAN, f64::INFINITY, 4e12] {
            let d = Data::DateTime(calamine::ExcelDateTime::new(
                v,
                calamine::ExcelDateTimeType::DateTime,
                false,
            ));
            assert!(!cell_text(&d).is_empty());
        }
    }

    #[test]
    fn cell_names_and_ods_repeats() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
        let xml = r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1000" office:value-type="float"/></table:table-row><table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#;
        assert_eq!(ods_cells(xml), 1_000_000_000);
    }
}
