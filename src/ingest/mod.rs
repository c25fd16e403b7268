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
    let bytes = read_bounded(path)?;
    read_csv_bytes(&bytes, &path.display().to_string())
}

/// Read a whole input file, refusing one larger than [`crate::safe::MAX_FILE_BYTES`].
pub fn read_bounded(path: &Path) -> Result<Vec<u8>> {
    let len = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if len > crate::safe::MAX_FILE_BYTES {
        bail!(
            "{}: the file has {} MB, more than the limit of {} MB for one input file: split it",
            path.display(),
            len / 1_000_000,
            crate::safe::MAX_FILE_BYTES / 1_000_000
        );
    }
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// One pass over CSV text before it is parsed: a quote opened at the start of a cell and never
/// closed (the csv reader would read the rest of the file into that one cell, silently
/// swallowing the rows after it) and tables over the column or cell limits are errors naming
/// the line.
fn check_csv_shape(text: &str, delimiter: u8, file: &str) -> Result<()> {
    use crate::safe::{MAX_CELLS, MAX_COLUMNS};
    let (mut line, mut open_line) = (1u64, 0u64);
    let (mut in_quotes, mut field_start) = (false, true);
    let (mut fields, mut cells) = (1usize, 0u64);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            } else if b == b'\n' {
                line += 1;
            }
        } else if b == b'"' && field_start {
            in_quotes = true;
            open_line = line;
            field_start = false;
        } else if b == delimiter {
            fields += 1;
            field_start = true;
            if fields > MAX_COLUMNS {
                bail!(
                    "{file}:{line}: more than {MAX_COLUMNS} cells in one row (the limit of columns): is the separator right?"
                );
            }
        } else if b == b'\n' {
            cells += fields as u64;
            if cells > MAX_CELLS {
                bail!(
                    "{file}:{line}: more than {MAX_CELLS} cells in the file (the limit for one import): split the file"
                );
            }
            fields = 1;
            field_start = true;
            line += 1;
        } else if b != b'\r' {
            field_start = false;
        }
        i += 1;
    }
    if in_quotes {
        bail!(
            "{file}:{open_line}: a quote (\") opened in this line is never closed: the rest of the file would be read as one cell (nothing was imported); close the quote or remove it"
        );
    }
    Ok(())
}

/// What a file is when its first bytes say it is no table at all (a scan, a photo, a Word or
/// PDF document), recognised by its signature ("magic bytes"), whatever its name.
pub fn not_a_table(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF-", "a PDF document"),
        (b"II*\x00", "a TIFF image (a scan?)"),
        (b"MM\x00*", "a TIFF image (a scan?)"),
        (b"{\\rtf", "an RTF document"),
    ];
    if let Some((_, kind)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Some(kind);
    }
    // A Word document is a zip whose first entries live under word/ (or name the document).
    if bytes.starts_with(b"PK\x03\x04") {
        let head = &bytes[..bytes.len().min(64 * 1024)];
        let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
        if has(b"word/") {
            return Some("a Word document (.docx)");
        }
        if has(b"content.xml") && has(b"opendocument.text") {
            return Some("a text document (.odt)");
        }
    }
    // An old Word document (.doc) shares the OLE signature with .xls: only named by its stream.
    None
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
    if let Some(kind) = not_a_table(bytes) {
        bail!("{file}: this is {kind}, not a table of answers: import the CSV or XLSX file");
    }
    if bytes.starts_with(b"PK\x03\x04") {
        bail!("{file}: this is a zip archive (an .xlsx workbook?), not a CSV file");
    }
    let decoded = decode::decode_as(bytes, encoding);
    let text = decoded.text.as_str();
    let delimiter = decode::sniff_delimiter(text);
    check_csv_shape(text, delimiter, file)?;
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
    // A file written by `diagnoza rejects --csv` (its cells defused for spreadsheets) read back.
    if headers.iter().any(|h| h == "_klucz") {
        for c in rows.iter_mut().flatten() {
            let u = crate::safe::undefuse(c);
            if u.len() != c.len() {
                *c = u.to_string();
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An unclosed quote would swallow the rows after it: an error naming its line.
    #[test]
    fn unclosed_quote_is_an_error_naming_the_line() {
        let e = read_csv_bytes(b"nr,uwagi\n1,ok\n2,\"bez konca\n3,x\n4,y\n", "a.csv")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("a.csv:3: a quote"), "{e}");
        // a closed multi-line cell is fine
        let t = read_csv_bytes(b"nr,uwagi\n1,\"dwie\nlinie\"\n2,x\n", "a.csv").unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0][1], "dwie\nlinie");
    }

    #[test]
    fn column_and_cell_limits() {
        let wide = format!("a{}\n", ",".repeat(crate::safe::MAX_COLUMNS + 1));
        let e = read_csv_bytes(wide.as_bytes(), "w.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("w.csv:1: more than"), "{e}");
    }

    /// A scan, photo or Word document given to `import` is named as such, not decoded as CSV.
    #[test]
    fn images_and_documents_are_recognised() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        let e = read_csv_bytes(png, "skan.csv").unwrap_err().to_string();
        assert!(e.contains("skan.csv: this is a PNG image"), "{e}");
        let mut docx = b"PK\x03\x04\x14\x00\x06\x00".to_vec();
        docx.extend_from_slice(b"[Content_Types].xml....word/document.xml");
        let e = read_csv_bytes(&docx, "ankiety.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("a Word document"), "{e}");
        assert_eq!(not_a_table(b"nr;plec\n1;K\n"), None);
        assert_eq!(not_a_table(b"PK\x03\x04xl/workbook.xml"), None);
    }

    /// Cells defused by `rejects --csv` come back as they were.
    #[test]
    fn rejects_csv_cells_are_read_back() {
        let t = read_csv_bytes("_klucz;q\nid:1;'=1+1\n".as_bytes(), "r.csv").unwrap();
        assert_eq!(t.rows[0][1], "=1+1");
    }
}
