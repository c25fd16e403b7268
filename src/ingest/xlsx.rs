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
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| anyhow::anyhow!("{file}: cannot open the workbook: {e}"))?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| anyhow::anyhow!("{file}: sheet '{name}': {e}"))?;
        let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(cell_text).collect()).collect();
        out.push((name, rows));
    }
    Ok(out)
}

/// Read one sheet (the named one, else the first non-empty) of a workbook as a table.
pub fn read_xlsx(path: &Path, sheet: Option<&str>) -> Result<RawTable> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    read_xlsx_bytes(&bytes, &path.display().to_string(), sheet)
}

pub fn read_xlsx_bytes(bytes: &[u8], file: &str, sheet: Option<&str>) -> Result<RawTable> {
    let sheets = read_sheets(bytes, file)?;
    let names: Vec<String> = sheets.iter().map(|s| s.0.clone()).collect();
    let (name, rows) = match sheet {
        Some(want) => sheets.into_iter().find(|s| s.0 == want).with_context(|| {
            format!("{file}: no sheet named '{want}' (sheets: {})", names.join(", "))
        })?,
        None => sheets
            .into_iter()
            .find(|s| s.1.iter().any(|r| r.iter().any(|c| !c.is_empty())))
            .with_context(|| format!("{file}: every sheet is empty"))?,
    };
    let mut rows = rows.into_iter().skip_while(|r| r.iter().all(|c| c.is_empty()));
    let headers = rows.next().with_context(|| format!("{file}: sheet '{name}' is empty"))?;
    let width = headers.iter().rposition(|h| !h.is_empty()).map_or(0, |i| i + 1);
    let headers: Vec<String> = headers.into_iter().take(width).collect();
    let rows: Vec<Vec<String>> = rows.collect();
    Ok(RawTable {
        file: file.to_string(),
        headers,
        rows,
        detected: format!("spreadsheet, sheet '{name}'"),
        file_hash: hash_bytes(bytes),
    })
}
