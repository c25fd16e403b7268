//! `report --format pdf`: the Word document ([`super::docx`]) converted to a tagged (accessible)
//! PDF by LibreOffice running headless, so the PDF has what the Word file has — cover, table of
//! contents and lists of tables and charts with page numbers, "Strona X z Y" footers, a running
//! header, repeated table header rows — with no PDF engine compiled into the program. The office
//! binary is `DIAGNOZA_OFFICE` when set, else `soffice` / `libreoffice` on the PATH (or the
//! usual install folders). The conversion's timestamp and file ID are replaced by fixed values
//! derived from the content, so the same input gives the same bytes. Does not lay out anything.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

/// The office binaries tried, in order, when `DIAGNOZA_OFFICE` is not set.
fn candidates() -> Vec<PathBuf> {
    let mut c: Vec<PathBuf> = ["soffice", "libreoffice"]
        .iter()
        .map(PathBuf::from)
        .collect();
    for p in [
        "/usr/bin/soffice",
        "/usr/lib/libreoffice/program/soffice",
        "/opt/libreoffice/program/soffice",
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
        r"C:\Program Files\LibreOffice\program\soffice.exe",
        r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    ] {
        c.push(PathBuf::from(p));
    }
    c
}

fn runs(bin: &Path) -> bool {
    Command::new(bin)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The LibreOffice binary to convert with.
pub fn office() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("DIAGNOZA_OFFICE") {
        let p = PathBuf::from(p);
        if runs(&p) {
            return Ok(p);
        }
        bail!(
            "DIAGNOZA_OFFICE={}: this program does not run (expected LibreOffice's soffice)",
            p.display()
        );
    }
    candidates().into_iter().find(|p| runs(p)).context(
        "--format pdf needs LibreOffice (soffice) to convert the Word report; install it \
         (https://www.libreoffice.org) or set DIAGNOZA_OFFICE to its soffice binary, or use \
         --format docx and save as PDF from Word",
    )
}

fn file_url(p: &Path) -> String {
    let s = p.display().to_string().replace('\\', "/");
    if s.starts_with('/') {
        format!("file://{s}")
    } else {
        format!("file:///{s}")
    }
}

/// Convert the Word document `docx` to PDF.
pub fn render(docx: &[u8]) -> Result<Vec<u8>> {
    let bin = office()?;
    let dir = tempfile::tempdir().context("creating a temporary folder for the PDF conversion")?;
    let src = dir.path().join("raport.docx");
    std::fs::write(&src, docx).context("writing the Word file for the PDF conversion")?;
    let out = Command::new(&bin)
        .arg(format!(
            "-env:UserInstallation={}",
            file_url(&dir.path().join("profile"))
        ))
        .args(["--headless", "--norestore", "--convert-to"])
        .arg(r#"pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},"ExportBookmarks":{"type":"boolean","value":"true"}}"#)
        .arg("--outdir")
        .arg(dir.path())
        .arg(&src)
        .output()
        .with_context(|| format!("running {}", bin.display()))?;
    let pdf = dir.path().join("raport.pdf");
    if !out.status.success() || !pdf.is_file() {
        bail!(
            "{} did not convert the report to PDF: {}",
            bin.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let bytes = std::fs::read(&pdf).context("reading the converted PDF")?;
    Ok(normalise(bytes))
}

/// Replace in place (same length, so the cross-reference offsets stay right) the bytes that
/// change from run to run: the creation/modification dates, the file ID and LibreOffice's
/// document checksum. The ID and checksum become a hash of the rest of the file.
pub fn normalise(mut pdf: Vec<u8>) -> Vec<u8> {
    for key in [&b"/CreationDate(D:"[..], &b"/ModDate(D:"[..]] {
        let mut from = 0;
        while let Some(i) = find(&pdf[from..], key).map(|i| i + from) {
            let start = i + key.len();
            let fixed = b"20000101000000";
            let n = pdf[start..]
                .iter()
                .take(14)
                .take_while(|c| c.is_ascii_digit())
                .count();
            pdf[start..start + n].copy_from_slice(&fixed[..n]);
            from = start + n;
        }
    }
    let hex_spans = |pdf: &[u8]| -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        for key in [&b"/ID ["[..], &b"/DocChecksum /"[..]] {
            if let Some(i) = find(pdf, key) {
                let mut j = i + key.len();
                let end = (j + 200).min(pdf.len());
                while j < end {
                    if pdf[j].is_ascii_hexdigit() {
                        let s = j;
                        while j < end && pdf[j].is_ascii_hexdigit() {
                            j += 1;
                        }
                        if j - s >= 16 {
                            spans.push((s, j));
                        }
                        if key == b"/DocChecksum /" {
                            break;
                        }
                    } else if pdf[j] == b']' {
                        break;
                    } else {
                        j += 1;
                    }
                }
            }
        }
        spans
    };
    let spans = hex_spans(&pdf);
    let mut h = Sha256::new();
    let mut last = 0;
    for &(s, e) in &spans {
        h.update(&pdf[last..s]);
        last = e;
    }
    h.update(&pdf[last..]);
    let digest: String = h.finalize().iter().map(|b| format!("{b:02X}")).collect();
    for (s, e) in spans {
        let n = e - s;
        let rep: Vec<u8> = digest.bytes().cycle().take(n).collect();
        pdf[s..e].copy_from_slice(&rep);
    }
    pdf
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_ids_and_checksums_are_fixed_in_place() {
        let a = b"%PDF-1.7\n/Producer(x)/CreationDate(D:20261208004505Z')>>\ntrailer\n<</ID [ <9C853AF483B1DD5682D254128266061E>\n<9C853AF483B1DD5682D254128266061E> ]\n/DocChecksum /CC4B89633B7F0FBBF1B58A53A7014C9D\n>>\n%%EOF\n".to_vec();
        let mut b = a.clone();
        // another run: other time, other ID
        let t = find(&b, b"20261208004505").unwrap();
        b[t..t + 14].copy_from_slice(b"20271231235959");
        let i = find(&b, b"9C853A").unwrap();
        b[i..i + 6].copy_from_slice(b"ABCDEF");
        let (na, nb) = (normalise(a.clone()), normalise(b));
        assert_eq!(na, nb);
        assert_eq!(na.len(), a.len(), "same length: xref offsets stay valid");
        assert!(find(&na, b"/CreationDate(D:20000101000000Z')").is_some());
        assert!(find(&na, b"9C853AF4").is_none());
        // a different document gets a different ID
        let mut c = a.clone();
        c[6] = b'6';
        assert_ne!(normalise(c)[..], na[..]);
    }
}
