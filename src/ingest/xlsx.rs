//! Reading spreadsheets (.xlsx, .xlsm, .xls, .ods) with calamine into [`RawTable`]s: cell values
//! as text the way a clerk sees them (whole numbers without ".0", dates as ISO), first non-empty
//! row as the header.

use std::io::Cursor;
use std::path::Path;

use anyhow::{Context, Result, bail};
use calamine::{Data, Reader, open_workbook_auto_from_rs};

use super::{RawTable, hash_bytes};

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
            let serial = dt.as_f64();
            let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
            let days = serial.floor();
            let secs = ((serial - days) * 86_400.0).round() as i64;
            match base.checked_add_signed(chrono::Duration::days(days as i64)) {
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
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| {
        anyhow::anyhow!("{file}: cannot open the workbook (a damaged or incomplete file?): {e}")
    })?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| anyhow::anyhow!("{file}: sheet '{name}': {e}"))?;
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
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

/// The sheet that holds the answers in the data-entry workbook (`diagnoza form --format xlsx`).
pub const DATA_SHEET: &str = "dane";
/// The header of the one-respondent form (`diagnoza form --format xlsx-email`): one row per
/// question (or per choice, `q/choice`), the answer in the fourth column.
pub const FORM_HEADERS: [&str; 4] = ["pytanie", "nr", "treść", "odpowiedź"];

/// Read one sheet of a workbook as a table: the named one; else the sheet `dane` (the
/// data-entry workbook) when present, else the first non-empty sheet.
pub fn read_xlsx(path: &Path, sheet: Option<&str>) -> Result<RawTable> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
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
