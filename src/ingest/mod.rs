//! Reading input files into a [`RawTable`] (every format quirk ends here: encoding, delimiter,
//! BOM, blank lines) and mapping a table onto the questionnaire (`map`). Nothing past this module
//! sees a CSV dialect. It does not write to the store.

pub mod decode;
pub mod email;
pub mod formats;
pub mod infer;
pub mod map;
pub mod verify;
pub mod xlsx;

use std::path::Path;

use anyhow::{Context, Result, bail};

/// A table of text cells as read from a file, with what was detected about it.
#[derive(Debug, Clone, Default)]
pub struct RawTable {
    /// The file as named on the command line.
    pub file: String,
    pub headers: Vec<String>,
    /// Data rows (header excluded); row `i` is data row `i + 1` in messages.
    pub rows: Vec<Vec<String>>,
    /// What was detected, e.g. "windows-1250, ';'-separated".
    pub detected: String,
    /// Hash of the file's bytes (record keys of rows without their own id derive from it).
    pub file_hash: String,
}

/// Hash of bytes, hex (stable across runs).
pub fn hash_bytes(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Read a data file by its extension: .xlsx/.xlsm/.xls/.ods as a spreadsheet, anything else
/// as CSV.
pub fn read_file(path: &Path) -> Result<RawTable> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => xlsx::read_xlsx(path, None),
        "zip" => formats::read_zip(path),
        _ => read_csv(path),
    }
}

/// Whether `read_file` reads this path as CSV (not a spreadsheet or a ZIP).
pub fn is_csv_path(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    !matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods" | "zip")
}

/// Read a CSV file (any encoding the clerks' PCs produce; `,` `;` or tab).
pub fn read_csv(path: &Path) -> Result<RawTable> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    read_csv_bytes(&bytes, &path.display().to_string())
}

/// Read CSV from bytes; `file` names it in messages.
pub fn read_csv_bytes(bytes: &[u8], file: &str) -> Result<RawTable> {
    read_csv_bytes_as(bytes, file, None)
}

/// Read CSV from bytes in a forced encoding (None: detect it).
pub fn read_csv_bytes_as(
    bytes: &[u8],
    file: &str,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> Result<RawTable> {
    if bytes.is_empty() {
        bail!("{file}: the file is empty");
    }
    if bytes.starts_with(b"PK\x03\x04") {
        bail!("{file}: this is a zip archive (an .xlsx workbook?), not a CSV file");
    }
    let decoded = decode::decode_as(bytes, encoding);
    let text = decoded.text.as_str();
    let delimiter = decode::sniff_delimiter(text);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut headers: Option<Vec<String>> = None;
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(i as u64 + 1);
            anyhow::anyhow!("{file}:{line}: cannot read the CSV record: {e}")
        })?;
        let cells: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
        if headers.is_none() {
            headers = Some(cells);
            continue;
        }
        rows.push(cells);
    }
    let Some(headers) = headers else {
        bail!("{file}: no header row")
    };
    if headers.iter().all(|h| h.is_empty()) {
        bail!("{file}: the first row (the header) is empty");
    }
    let delim_name = match delimiter {
        b'\t' => "tab".to_string(),
        d => format!("'{}'", d as char),
    };
    Ok(RawTable {
        file: file.to_string(),
        headers,
        rows,
        detected: format!("{}, {delim_name}-separated", decoded.describe()),
        file_hash: hash_bytes(bytes),
    })
}
