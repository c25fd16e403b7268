//! Paper and e-mail channel: forms out, answers back in (workbook, Excel CSV, e-mail), double
//! data entry, atomic import and bad input.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{diagnoza, workspace, write};

/// The headers of the `dane` sheet of the data-entry workbook that `diagnoza form` writes.
fn workbook_headers(ws: &Path) -> Vec<String> {
    let out = ws.join("w.xlsx");
    diagnoza()
        .arg("-w")
        .arg(ws)
        .args(["form", "--format", "xlsx", "--out"])
        .arg(&out)
        .assert()
        .success();
    let bytes = std::fs::read(&out).unwrap();
    let sheets = diagnoza::ingest::xlsx::read_sheets(&bytes, "w.xlsx").unwrap();
    assert_eq!(sheets[0].0, "dane");
    sheets[0].1[0].clone()
}

/// A filled copy of the workbook: sheet `kody` first (so that import must pick `dane`), then
/// `dane` with the given rows (column name → cell).
fn filled_workbook(path: &Path, headers: &[String], rows: &[BTreeMap<&str, &str>]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let kody = wb.add_worksheet();
    kody.set_name("kody").unwrap();
    kody.write_string(0, 0, "pytanie").unwrap();
    kody.write_string(1, 0, "plec").unwrap();
    let dane = wb.add_worksheet();
    dane.set_name("dane").unwrap();
    for (c, h) in headers.iter().enumerate() {
        dane.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, h) in headers.iter().enumerate() {
            if let Some(v) = row.get(h.as_str()) {
                // numbers as numbers, as Excel stores them
                match v.parse::<f64>() {
                    Ok(x) => dane.write_number(r as u32 + 1, c as u16, x).unwrap(),
                    Err(_) => dane.write_string(r as u32 + 1, c as u16, *v).unwrap(),
                };
            }
        }
    }
    wb.save(path).unwrap();
}

/// Rows of the tidy results table (`analyze --out`) for one question, overall: option → (n, base, pct).
fn tidy(ws: &Path, question: &str) -> BTreeMap<String, (String, String, String)> {
    let out = ws.join("tidy.csv");
    diagnoza()
        .arg("-w")
        .arg(ws)
        .args(["analyze", "--out"])
        .arg(&out)
        .assert()
        .success();
    let mut rdr = csv::Reader::from_path(&out).unwrap();
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| {
        h.iter()
            .position(|x| x == n)
            .unwrap_or_else(|| panic!("no column {n} in {h:?}"))
    };
    let (q, o, gv, n, b, p) = (
        col("question"),
        col("option"),
        col("group_var"),
        col("n"),
        col("base"),
        col("pct"),
    );
    let mut m = BTreeMap::new();
    for r in rdr.records() {
        let r = r.unwrap();
        if &r[q] == question && r[gv].is_empty() {
            m.insert(
                r[o].to_string(),
                (r[n].to_string(), r[b].to_string(), r[p].to_string()),
            );
        }
    }
    m
}

fn pct(s: &str) -> f64 {
    s.parse::<f64>().unwrap()
}

fn row<'a>(pairs: &[(&'a str, &'a str)]) -> BTreeMap<&'a str, &'a str> {
    pairs.iter().copied().collect()
}

#[test]
fn workbook_round_trip_to_the_numbers() {
    let (_d, ws) = workspace();
    let headers = workbook_headers(&ws);
    assert_eq!(&headers[..3], &["nr_ankiety", "wprowadzil", "plec"]);
    assert!(headers.iter().any(|h| h == "uslugi_gmina/transport"));
    // 12 questionnaires: 7 women, 5 men (labels, codes, any case), ages; 8 tick transport.
    let mut rows = Vec::new();
    let plec = [
        "Kobieta",
        "kobieta",
        "KOBIETA",
        "Kobieta",
        "Kobieta",
        "kobieta",
        "Kobieta",
        "Mężczyzna",
        "mezczyzna",
        "Mężczyzna",
        "mężczyzna",
        "Mężczyzna",
    ];
    for (i, p) in plec.iter().enumerate() {
        let nr = Box::leak((i + 1).to_string().into_boxed_str());
        let mut r = row(&[
            ("nr_ankiety", nr),
            ("wprowadzil", "AK"),
            ("plec", p),
            ("wiek", if i % 2 == 0 { "60–74 lata" } else { "18_24" }),
        ]);
        if i < 8 {
            r.insert("uslugi_gmina/transport", "1");
        }
        if i < 3 {
            r.insert("liczba_osob", "4");
        }
        rows.push(r);
    }
    let filled = ws.join("wypelniony.xlsx");
    filled_workbook(&filled, &headers, &rows);
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("import")
        .arg(&filled)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.contains("sheet 'dane'"), "{stdout}");
    assert!(stdout.contains("accepted 12, rejected 0"), "{stdout}");
    let t = tidy(&ws, "plec");
    assert_eq!(t["kobieta"].0, "7");
    assert_eq!(t["kobieta"].1, "12");
    assert!(
        (pct(&t["kobieta"].2) - 7.0 / 12.0).abs() < 1e-9,
        "{:?}",
        t["kobieta"]
    );
    assert_eq!(t["mezczyzna"].0, "5");
    let t = tidy(&ws, "uslugi_gmina");
    assert_eq!(t["transport"].0, "8");
    // Importing the same workbook again stores nothing new.
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("import")
        .arg(&filled)
        .assert()
        .success();
    assert!(
        String::from_utf8_lossy(&out.get_output().stdout)
            .contains("accepted 0, rejected 0, duplicates 12")
    );
}

#[test]
fn excel_csv_windows_1250_semicolon_decimal_comma() {
    let (_d, ws) = workspace();
    let headers = workbook_headers(&ws);
    // What Polish Excel writes for "CSV (rozdzielany przecinkami)": windows-1250, `;`.
    let mut text = headers.join(";");
    text.push_str("\r\n");
    for i in 0..10 {
        let cells: Vec<String> = headers
            .iter()
            .map(|h| match h.as_str() {
                "nr_ankiety" => format!("{}", 100 + i),
                "wprowadzil" => "ŁŻ".into(),
                "plec" => {
                    if i < 5 {
                        "Mężczyzna".into()
                    } else {
                        "Kobieta".into()
                    }
                }
                "wiek" => "45–59 lat".replace('–', "-").replace("45-59 lat", "45_59"),
                "wyksztalcenie" => {
                    if i < 5 {
                        "Średnie lub policealne".into()
                    } else {
                        String::new()
                    }
                }
                "liczba_osob" => {
                    if i < 5 {
                        "3,0".into()
                    } else {
                        "2".into()
                    }
                }
                "uwagi" => {
                    if i == 0 {
                        "Więcej zajęć; dla dzieci".into()
                    } else {
                        String::new()
                    }
                }
                _ => String::new(),
            })
            .map(|c| {
                if c.contains(';') {
                    format!("\"{c}\"")
                } else {
                    c
                }
            })
            .collect();
        text.push_str(&cells.join(";"));
        text.push_str("\r\n");
    }
    let (bytes, _, bad) = encoding_rs::WINDOWS_1250.encode(&text);
    assert!(!bad);
    let path = ws.join("dane.csv");
    std::fs::write(&path, &bytes).unwrap();
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("import")
        .arg(&path)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.contains("windows-1250, ';'-separated"), "{stdout}");
    assert!(stdout.contains("accepted 10, rejected 0"), "{stdout}");
    let t = tidy(&ws, "plec");
    assert_eq!(
        (t["mezczyzna"].0.as_str(), t["mezczyzna"].1.as_str()),
        ("5", "10")
    );
    let t = tidy(&ws, "wyksztalcenie");
    assert_eq!(t["srednie"].0, "5");
}

pub fn fixtures() -> PathBuf {
    crate::common::root().join("tests/fixtures/email")
}

#[allow(dead_code)]
fn unused(_: &Path) {
    let _ = write;
}
