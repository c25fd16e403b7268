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

fn fixtures() -> PathBuf {
    crate::common::root().join("tests/fixtures/email")
}

fn import(ws: &Path, args: &[&Path]) -> (i32, String, String) {
    let out = diagnoza()
        .arg("-w")
        .arg(ws)
        .arg("import")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// Stored responses: (external id, answers as raw strings).
fn stored(ws: &Path) -> Vec<(String, BTreeMap<String, String>)> {
    let s = diagnoza::store::Store::open(&ws.join("diagnoza.sqlite")).unwrap();
    s.responses("mieszkancy")
        .unwrap()
        .into_iter()
        .map(|r| {
            let a = r
                .response
                .answers
                .iter()
                .map(|(k, v)| (k.clone(), v.raw()))
                .collect();
            (r.record_key, a)
        })
        .collect()
}

fn find<'a>(
    rows: &'a [(String, BTreeMap<String, String>)],
    q: &str,
    v: &str,
    q2: &str,
    v2: &str,
) -> &'a BTreeMap<String, String> {
    let hits: Vec<_> = rows
        .iter()
        .filter(|r| r.1[q] == v && r.1[q2] == v2)
        .collect();
    assert_eq!(hits.len(), 1, "{q}={v} {q2}={v2} in {rows:#?}");
    &hits[0].1
}

#[test]
fn email_messages_each_kind() {
    let (_d, ws) = workspace();
    let fx = fixtures();
    let files = [
        "multipart-alternative.eml",
        "html-only.eml",
        "qp-iso-8859-2.eml",
        "attachments-base64.eml",
        "forwarded-as-attachment.eml",
        "reply-quoted.eml",
    ];
    for f in files {
        let (code, out, err) = import(&ws, &[&fx.join(f)]);
        assert_eq!(code, 0, "{f}: {out}{err}");
        assert!(out.contains("e-mail message (1 message"), "{f}: {out}");
    }
    let rows = stored(&ws);
    assert_eq!(rows.len(), 8, "{rows:#?}");
    // multipart/alternative, quoted-printable UTF-8
    let r = find(&rows, "plec", "kobieta", "wiek", "60_74");
    assert_eq!(r["dzieci"], "nie");
    assert_eq!(r["liczba_osob"], "2");
    assert_eq!(r["uslugi_gmina"], "transport uslugi_opiekuncze");
    assert_eq!(
        r["uwagi"],
        "Brakuje opieki nad osobami starszymi, zwłaszcza we wsiach."
    );
    // HTML only, ✓ marks and numbers after "Odpowiedź:"
    let r = find(&rows, "plec", "mezczyzna", "wiek", "25_34");
    assert_eq!(r["kanaly"], "media_spolecznosciowe strona_gminy");
    // ISO-8859-2 quoted-printable
    let r = find(&rows, "plec", "kobieta", "wiek", "35_44");
    assert_eq!(r["wolontariat"], "tak");
    assert_eq!(
        r["uwagi"],
        "Zajęcia dla dzieci w świetlicy, dowóz do lekarza."
    );
    // two base64 CSV attachments (RFC 2231 and RFC 2047 names; windows-1250 and UTF-8)
    let keys: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    for k in ["id:701", "id:702", "id:703"] {
        assert!(keys.contains(&k), "{keys:?}");
    }
    let r = find(&rows, "plec", "kobieta", "liczba_osob", "3");
    assert_eq!(r["wiek"], "45_59");
    // forwarded as message/rfc822
    let r = find(&rows, "plec", "mezczyzna", "wiek", "75_plus");
    assert_eq!(
        (r["senior"].as_str(), r["niepelnosprawnosc"].as_str()),
        ("tak", "tak")
    );
    // reply with the form filled inside the quoted history
    let r = rows.iter().find(|r| r.1["korzystanie"] == "nie").unwrap();
    assert_eq!(
        (
            r.1["plec"].as_str(),
            r.1["wiek"].as_str(),
            r.1["liczba_osob"].as_str()
        ),
        ("kobieta", "45_59", "4")
    );
    // No address or name in clear anywhere in the store.
    let db = std::fs::read(ws.join("diagnoza.sqlite")).unwrap();
    let db = String::from_utf8_lossy(&db);
    for s in [
        "example.org",
        "kowalski",
        "Kowalski",
        "Nowak",
        "Wiśniewski",
        "fixture-1",
    ] {
        assert!(!db.contains(s), "the store holds '{s}'");
    }
}

#[test]
fn mailbox_and_maildir_duplicates_and_rejects() {
    let (_d, ws) = workspace();
    let fx = fixtures();
    // The resident's original first; then the sołtys' forward of it is the same response.
    let (code, _, _) = import(&ws, &[&fx.join("resident-original.eml")]);
    assert_eq!(code, 0);
    let (code, out, err) = import(&ws, &[&fx.join("forwarded-as-attachment.eml")]);
    assert_eq!(code, 0);
    assert!(
        out.contains("accepted 0, rejected 0, duplicates 1"),
        "{out}{err}"
    );
    // mbox: 1, reply, original (dup), 1 again (dup), no answers (reject)
    let (code, out, err) = import(&ws, &[&fx.join("inbox.mbox")]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("mbox mailbox (5 messages"), "{out}");
    assert!(
        out.contains("accepted 2, rejected 1, duplicates 2"),
        "{out}{err}"
    );
    assert!(err.contains("inbox.mbox:5:: error: 'message 5: message body: the form is there but no answer is marked'"), "{err}");
    // maildir: cur/ 2 messages, new/ 1 (already in the mbox), tmp/ ignored
    let (code, out, err) = import(&ws, &[&fx.join("maildir")]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("maildir folder (3 messages"), "{out}");
    assert!(
        out.contains("accepted 2, rejected 0, duplicates 1"),
        "{out}{err}"
    );
    // The same mailbox again: nothing new.
    let (_, out, _) = import(&ws, &[&fx.join("inbox.mbox")]);
    assert!(
        out.contains("accepted 0, rejected 0, duplicates 5"),
        "{out}"
    );
    assert_eq!(stored(&ws).len(), 5);
    // status counts the e-mail channel and the reject
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("status")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("email        5"), "{text}");
    assert!(text.contains("Rejects open: 1"), "{text}");
}

#[test]
fn unusable_messages_are_rejected_with_the_reason() {
    let (_d, ws) = workspace();
    let fx = fixtures();
    let (code, _, err) = import(
        &ws,
        &[&fx.join("no-answers.eml"), &fx.join("malformed.eml")],
    );
    assert_eq!(code, 1);
    assert!(err.contains("no-answers.eml:1:: error: 'message 1: message body: the form is there but no answer is marked'"), "{err}");
    assert!(
        err.contains(
            "malformed.eml:1:: error: 'message 1: no mail headers': expected an e-mail message"
        ),
        "{err}"
    );
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("rejects")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("no-answers.eml:1 (email)"), "{text}");
    assert!(text.contains("malformed.eml:1 (email)"), "{text}");
    // The coordinator reads the message and types its answers into the rejects CSV.
    let fix = ws.join("poprawki.csv");
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["rejects", "--csv"])
        .arg(&fix)
        .assert()
        .code(1);
    let text = String::from_utf8(std::fs::read(&fix).unwrap()).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let h: Vec<&str> = lines[0].trim_start_matches('\u{feff}').split(';').collect();
    let (pi, wi) = (
        h.iter().position(|c| *c == "plec").unwrap(),
        h.iter().position(|c| *c == "wiek").unwrap(),
    );
    let mut cells: Vec<String> = lines[1].split(';').map(String::from).collect();
    assert!(cells[0].starts_with("mail:"), "{cells:?}");
    cells[pi] = "kobieta".into();
    cells[wi] = "18_24".into();
    lines[1] = cells.join(";");
    lines.truncate(2);
    std::fs::write(&fix, lines.join("\n") + "\n").unwrap();
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["import", "--channel", "email"])
        .arg(&fix)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("accepted 1, rejected 0") && text.contains("1 earlier rejects corrected"),
        "{text}"
    );
    // A plain note without the form, given as an e-mail with --channel email.
    let note = write(
        ws.parent().unwrap(),
        "note.txt",
        "From: a@b.pl\nSubject: x\n\nNie wypełnię.\n",
    );
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["import", "--channel", "email"])
        .arg(&note)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("no [question] blocks and no CSV/XLSX attachment")
    );
}

fn b64(data: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for (i, c) in data.chunks(3).enumerate() {
        if i > 0 && i % 19 == 0 {
            s.push_str("\r\n");
        }
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= c.len() {
                s.push(A[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[test]
fn email_with_filled_workbook_attached() {
    let (_d, ws) = workspace();
    let headers = workbook_headers(&ws);
    let x = ws.join("x.xlsx");
    filled_workbook(
        &x,
        &headers,
        &[
            row(&[("nr_ankiety", "41"), ("plec", "Kobieta"), ("wiek", "25_34")]),
            row(&[("nr_ankiety", "42"), ("plec", "Mężczyzna"), ("wiek", "x")]),
        ],
    );
    let xlsx = std::fs::read(&x).unwrap();
    let eml = format!(
        "From: Filia <filia@example.org>\r\nTo: gops@example.org\r\nSubject: dane\r\nMessage-ID: <xlsx-1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nW załączniku.\r\n--b1\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name=\"=?UTF-8?Q?wprowadzone_=C5=BC.xlsx?=\"\r\nContent-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--b1--\r\n",
        b64(&xlsx)
    );
    let p = ws.parent().unwrap().join("dane.eml");
    std::fs::write(&p, eml).unwrap();
    let (code, out, err) = import(&ws, &[&p]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("1 attached table"), "{out}");
    assert!(out.contains("accepted 1, rejected 1"), "{out}{err}");
    assert!(
        err.contains("dane.eml#1/attachment 1 (spreadsheet):2:wiek: error: wiek: 'x'"),
        "{err}"
    );
    let rows = stored(&ws);
    assert_eq!(rows[0].0, "id:41");
}

#[test]
fn verify_double_entry() {
    let (_d, ws) = workspace();
    let headers = workbook_headers(&ws);
    let a_rows = vec![
        row(&[
            ("nr_ankiety", "1"),
            ("wprowadzil", "AK"),
            ("plec", "Kobieta"),
            ("wiek", "18–24 lata"),
            ("liczba_osob", "3"),
        ]),
        row(&[
            ("nr_ankiety", "2"),
            ("wprowadzil", "AK"),
            ("plec", "Mężczyzna"),
            ("wiek", "25_34"),
            ("uslugi_gmina/transport", "1"),
        ]),
        row(&[
            ("nr_ankiety", "3"),
            ("wprowadzil", "AK"),
            ("plec", "Kobieta"),
            ("wiek", "60_74"),
        ]),
    ];
    let b_rows = vec![
        // the same answers typed differently (code for label, other clerk's initials)
        row(&[
            ("nr_ankiety", "1"),
            ("wprowadzil", "BW"),
            ("plec", "kobieta"),
            ("wiek", "18_24"),
            ("liczba_osob", "3"),
        ]),
        row(&[
            ("nr_ankiety", "2"),
            ("wprowadzil", "BW"),
            ("plec", "Kobieta"),
            ("wiek", "25_34"),
            ("uslugi_gmina/transport", "0"),
        ]),
        row(&[
            ("nr_ankiety", "4"),
            ("wprowadzil", "BW"),
            ("plec", "Kobieta"),
            ("wiek", "60_74"),
        ]),
    ];
    let (a, b) = (ws.join("a.xlsx"), ws.join("b.xlsx"));
    filled_workbook(&a, &headers, &a_rows);
    filled_workbook(&b, &headers, &b_rows);
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("verify")
        .arg(&a)
        .arg(&b)
        .arg("--csv")
        .arg(ws.join("diff.csv"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "Compared 2 questionnaires present in both: 2 disagreeing cells in 1 questionnaires."
        ),
        "{text}"
    );
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("2 ")).collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].split_whitespace().collect::<Vec<_>>() == ["2", "plec", "Mężczyzna", "Kobieta"],
        "{text}"
    );
    assert!(
        lines[1].split_whitespace().collect::<Vec<_>>()
            == ["2", "uslugi_gmina/transport", "1", "0"],
        "{text}"
    );
    assert!(text.contains("Only in FIRST (1): 3"), "{text}");
    assert!(text.contains("Only in SECOND (1): 4"), "{text}");
    let diff = std::fs::read_to_string(ws.join("diff.csv")).unwrap();
    assert!(diff.contains("2;plec;Mężczyzna;Kobieta"), "{diff}");
    // identical transcriptions (one as Excel CSV): exit 0
    let csv_path = ws.join("a.csv");
    let mut text = headers.join(";") + "\r\n";
    for r in &a_rows {
        let cells: Vec<&str> = headers
            .iter()
            .map(|h| r.get(h.as_str()).copied().unwrap_or(""))
            .collect();
        text += &(cells.join(";") + "\r\n");
    }
    std::fs::write(&csv_path, encoding_rs::WINDOWS_1250.encode(&text).0).unwrap();
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("verify")
        .arg(&a)
        .arg(&csv_path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("The two files agree."), "{text}");
    // a file without a number column cannot be matched: exit 2 with the reason
    let bad = write(&ws, "bad.csv", "plec;wiek\nkobieta;18_24\n");
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("verify")
        .arg(&a)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad.csv: no questionnaire-number column")
    );
}

fn counts(ws: &Path) -> (i64, i64, i64, i64) {
    let c = rusqlite::Connection::open(ws.join("diagnoza.sqlite")).unwrap();
    let n = |t: &str| {
        c.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap()
    };
    (n("imports"), n("responses"), n("rejects"), n("duplicates"))
}

#[test]
fn import_is_atomic_per_file() {
    let (_d, ws) = workspace();
    let first = write(
        &ws,
        "first.csv",
        "nr_ankiety;plec;wiek\n1;kobieta;18_24\n2;mezczyzna;25_34\n3;x;25_34\n",
    );
    let (code, _, _) = import(&ws, &[&first]);
    assert_eq!(code, 1); // one reject
    let before = counts(&ws);
    assert_eq!(before, (1, 2, 1, 0));
    // A failure while storing row 5 of the next file (a trigger stands in for a crash).
    let c = rusqlite::Connection::open(ws.join("diagnoza.sqlite")).unwrap();
    c.execute_batch(
        "CREATE TRIGGER boom BEFORE INSERT ON responses WHEN NEW.row = 5 BEGIN SELECT RAISE(ABORT, 'boom'); END;",
    )
    .unwrap();
    let mut text = String::from("nr_ankiety;plec;wiek\n");
    for i in 10..20 {
        text.push_str(&format!("{i};kobieta;60_74\n"));
    }
    text.push_str("30;nieznana;60_74\n");
    let second = write(&ws, "second.csv", &text);
    let (code, out, err) = import(&ws, &[&second]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("storing") && err.contains("boom"), "{err}");
    assert_eq!(
        counts(&ws),
        before,
        "the store changed after a failed import"
    );
    // Once the cause is gone, the same file imports whole.
    c.execute_batch("DROP TRIGGER boom;").unwrap();
    let (code, out, _) = import(&ws, &[&second]);
    assert_eq!(code, 1);
    assert!(out.contains("accepted 10, rejected 1"), "{out}");
    assert_eq!(counts(&ws), (2, 12, 2, 0));
}

/// A synthetic answers file of the bundled questionnaire (`diagnoza bench gen`).
fn generated(dir: &Path, name: &str, n: usize) -> PathBuf {
    let csv = dir.join(name);
    diagnoza()
        .args(["bench", "gen", "--respondents", &n.to_string(), "--out"])
        .arg(&csv)
        .assert()
        .success();
    csv
}

/// A file larger than the import's window is read, validated and stored window by window: every
/// row ends once in the store, the rejects or the duplicates (a duplicate of a row of the first
/// window found in the last), and importing it again adds only duplicates.
#[test]
fn a_file_larger_than_the_streaming_window_imports_whole() {
    let (d, ws) = workspace();
    let n = 2 * diagnoza::cmd::import::WINDOW + 500;
    let csv = generated(d.path(), "big.csv", n);
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut bad: Vec<&str> = lines[2].split(',').collect();
    assert!(!lines[2].contains('"'), "{}", lines[2]);
    bad[0] = "999999";
    bad[1] = "nieznana";
    let text = format!("{text}{}\n{}\n", lines[1], bad.join(","));
    std::fs::write(&csv, text).unwrap();
    let (code, out, err) = import(&ws, &[&csv]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains(&format!("accepted {n}, rejected 1, duplicates 1")),
        "{out}"
    );
    assert_eq!(counts(&ws), (1, n as i64, 1, 1));
    let (_, out, _) = import(&ws, &[&csv]);
    assert!(
        out.contains(&format!("accepted 0, rejected 0, duplicates {}", n + 2)),
        "{out}"
    );
    assert_eq!(counts(&ws), (2, n as i64, 1, n as i64 + 3));
    // The analysis reads every stored response from the columns, all parts of them.
    let st = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("status")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&st.stdout).contains(&n.to_string()),
        "{}",
        String::from_utf8_lossy(&st.stdout)
    );
}

/// `kill -9` in the middle of a streamed import (some windows written, the transaction not
/// committed) loses and duplicates nothing: the store is as before, and the same file then
/// imports whole.
#[cfg(unix)]
#[test]
fn kill_9_during_a_streamed_import_loses_and_duplicates_nothing() {
    let (d, ws) = workspace();
    let n = 4 * diagnoza::cmd::import::WINDOW;
    let csv = generated(d.path(), "big.csv", n);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("diagnoza"))
        .arg("-w")
        .arg(&ws)
        .arg("import")
        .arg(&csv)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The rollback journal appears with the import's first write; a window or more later it
    // is killed.
    let journal = ws.join("diagnoza.sqlite-journal");
    let start = std::time::Instant::now();
    while !journal.exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it could be killed"
        );
        assert!(start.elapsed().as_secs() < 120, "the import never wrote");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(
        status.code().is_none(),
        "the import finished before the kill ({status}): nothing was tested"
    );
    assert_eq!(counts(&ws), (0, 0, 0, 0), "a killed import left records");
    let (code, out, err) = import(&ws, &[&csv]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!("accepted {n}, rejected 0, duplicates 0")),
        "{out}"
    );
    assert_eq!(counts(&ws), (1, n as i64, 0, 0));
}

#[test]
fn bad_input_is_named_and_the_rest_imports() {
    let (_d, ws) = workspace();
    let headers = workbook_headers(&ws);
    // A typed workbook with an extra column, a missing one (miejsce) and bad cells.
    let mut h: Vec<String> = headers
        .iter()
        .filter(|h| *h != "miejsce")
        .cloned()
        .collect();
    h.push("telefon".into());
    let rows = vec![
        row(&[
            ("nr_ankiety", "1"),
            ("plec", "Kobieta"),
            ("wiek", "18_24"),
            ("liczba_osob", "2"),
        ]),
        row(&[("nr_ankiety", "2"), ("plec", "Kobita"), ("wiek", "18_24")]),
        row(&[
            ("nr_ankiety", "3"),
            ("plec", "Kobieta, Mężczyzna"),
            ("wiek", "18_24"),
        ]),
        row(&[
            ("nr_ankiety", "4"),
            ("plec", "Kobieta"),
            ("wiek", "18_24"),
            ("liczba_osob", "trzy"),
        ]),
        row(&[
            ("nr_ankiety", "5"),
            ("plec", "Mężczyzna"),
            ("wiek", "60_74"),
            ("telefon", "600100200"),
        ]),
        row(&[
            ("nr_ankiety", "6"),
            ("plec", "Mężczyzna"),
            ("wiek", "75_plus"),
            ("liczba_osob", "25"),
        ]),
    ];
    let x = ws.join("zle.xlsx");
    filled_workbook(&x, &h, &rows);
    // An .xlsx that is not a zip, and a truncated workbook, in the same command.
    let not_zip = write(&ws, "nie-zip.xlsx", "nr_ankiety;plec\n1;kobieta\n");
    let bytes = std::fs::read(&x).unwrap();
    let cut = ws.join("uciety.xlsx");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let (code, out, err) = import(&ws, &[&not_zip, &cut, &x]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains(
            "nie-zip.xlsx: not a spreadsheet (an .xlsx file is a zip archive; this one is not)"
        ),
        "{err}"
    );
    assert!(
        err.contains("uciety.xlsx: cannot open the workbook"),
        "{err}"
    );
    let f = x.display().to_string();
    for expected in [
        // `telefon` is not a question and looks like personal data: dropped, not kept.
        format!(
            "{f}:0:telefon: warning: '': expected no personal data in columns that are not questions"
        ),
        format!("{f}: warning: 1 question has no column and counts as not answered: miejsce"),
        format!("{f}:2:plec: error: plec: 'Kobita': expected one of kobieta, mezczyzna"),
        format!("{f}:3:plec: error: plec: 'Kobieta, Mężczyzna': expected a single answer"),
        format!(
            "{f}:4:liczba_osob: error: liczba_osob: 'trzy': expected a whole number written in digits"
        ),
        format!(
            "{f}:6:liczba_osob: error: liczba_osob: '25': expected Please enter a number from 1 to 20."
        ),
    ] {
        assert!(err.contains(&expected), "missing: {expected}\n{err}");
    }
    assert!(out.contains("accepted 2, rejected 4"), "{out}");
    // The clerk's loop: rejects as CSV, fix in Excel, import again.
    let fix = ws.join("poprawki.csv");
    let o = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["rejects", "--csv"])
        .arg(&fix)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8(std::fs::read(&fix).unwrap()).unwrap();
    let fixed = text
        .replace(";Kobita;", ";Kobieta;")
        .replace(";Kobieta, Mężczyzna;", ";Kobieta;")
        .replace(";trzy;", ";3;")
        .replace(";25;", ";2;");
    assert_ne!(fixed, text);
    std::fs::write(&fix, fixed).unwrap();
    let (code, out, err) = import(&ws, &[&fix]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("accepted 4, rejected 0") && out.contains("4 earlier rejects corrected"),
        "{out}{err}"
    );
    assert_eq!(stored(&ws).len(), 6);
}

#[test]
fn wrong_encoding_and_truncated_csv() {
    let (_d, ws) = workspace();
    // DOS code page 852 (not what the detector expects): the Polish label comes out garbled,
    // that row is rejected showing the value; the ASCII rows import.
    let cp852_m = [b'M', 0xA9, 0xBE, b'c', b'z', b'y', b'z', b'n', b'a']; // "Mężczyzna" in cp852
    let mut bytes = b"nr_ankiety;plec;wiek\r\n1;kobieta;18_24\r\n2;".to_vec();
    bytes.extend_from_slice(&cp852_m);
    bytes.extend_from_slice(b";25_34\r\n3;mezczyzna;35_44\r\n");
    let p = ws.join("dos.csv");
    std::fs::write(&p, &bytes).unwrap();
    let (code, out, err) = import(&ws, &[&p]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("accepted 2, rejected 1"), "{out}");
    assert!(
        err.contains(&format!("{}:2:plec: error: plec: 'M", p.display())),
        "{err}"
    );
    assert!(err.contains("expected one of kobieta, mezczyzna"), "{err}");
    // A CSV cut off in the middle of its last line.
    let t = write(
        &ws,
        "uciety.csv",
        "nr_ankiety;plec;wiek\n10;kobieta;18_24\n11;mezczyzna;25_34\n12;kobi",
    );
    let (code, out, err) = import(&ws, &[&t]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("accepted 2, rejected 1"), "{out}");
    assert!(
        err.contains(&format!("{}:3:plec: error: plec: 'kobi'", t.display())),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}:3:wiek: error: wiek: '': expected an answer (the question is required)",
            t.display()
        )),
        "{err}"
    );
}

#[test]
fn one_respondent_workbook_by_email() {
    let (_d, ws) = workspace();
    let blank = ws.join("ankieta-email.xlsx");
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["form", "--format", "xlsx-email", "--out"])
        .arg(&blank)
        .assert()
        .success();
    let sheets = diagnoza::ingest::xlsx::read_sheets(&std::fs::read(&blank).unwrap(), "b").unwrap();
    assert_eq!(sheets[0].0, "ankieta");
    let rows = &sheets[0].1;
    assert_eq!(rows[0], vec!["pytanie", "nr", "treść", "odpowiedź"]);
    assert!(rows.iter().any(|r| r[0] == "uslugi_gmina/transport"));
    // The resident's copy: the same rows with answers in column D.
    let answers: BTreeMap<&str, &str> = [
        ("plec", "Mężczyzna"),
        ("wiek", "35–44 lata"),
        ("liczba_osob", "5"),
        ("uslugi_gmina/transport", "X"),
        ("uslugi_gmina/posilki", "x"),
    ]
    .into();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sh = wb.add_worksheet();
    sh.set_name("ankieta").unwrap();
    for (ri, r) in rows.iter().enumerate() {
        for (ci, c) in r.iter().take(3).enumerate() {
            sh.write_string(ri as u32, ci as u16, c).unwrap();
        }
        if ri == 0 {
            sh.write_string(0, 3, "odpowiedź").unwrap();
        } else if let Some(a) = answers.get(r[0].as_str()) {
            sh.write_string(ri as u32, 3, *a).unwrap();
        }
    }
    let filled = ws.join("odpowiedz.xlsx");
    wb.save(&filled).unwrap();
    let eml = format!(
        "From: x@example.org\r\nSubject: ankieta\r\nMessage-ID: <one@example.org>\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nW zalaczniku.\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"ankieta.xlsx\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--b--\r\n",
        b64(&std::fs::read(&filled).unwrap())
    );
    let p = ws.parent().unwrap().join("one.eml");
    std::fs::write(&p, eml).unwrap();
    let (code, out, err) = import(&ws, &[&p]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("accepted 1, rejected 0"), "{out}{err}");
    let r = &stored(&ws)[0].1;
    assert_eq!(
        (
            r["plec"].as_str(),
            r["wiek"].as_str(),
            r["liczba_osob"].as_str()
        ),
        ("mezczyzna", "35_44", "5")
    );
    assert_eq!(r["uslugi_gmina"], "posilki transport");
    // The same file imported directly is read as one record too.
    let (code, out, err) = import(&ws, &[&filled]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("one-respondent form"), "{out}");
}

#[test]
fn forms_from_the_command_line() {
    let (d, ws) = workspace();
    let toml = std::fs::read_to_string(ws.join("diagnoza.toml")).unwrap();
    let toml = toml
        .replace(
            "institution = \"\"",
            "institution = \"GOPS w Testowie <i \\\"Spółka\\\">\"",
        )
        .replace(
            "return_address = \"\"",
            "return_address = \"ul. Polna 1, 11-500 Testowo\"",
        )
        .replace(
            "return_email = \"\"",
            "return_email = \"ankieta@testowo.pl\"",
        );
    std::fs::write(ws.join("diagnoza.toml"), toml).unwrap();
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["form", "--format", "html"])
        .assert()
        .success();
    let html = std::fs::read_to_string(ws.join("formularze/ankieta.html")).unwrap();
    assert!(
        html.contains("GOPS w Testowie &lt;i &quot;Spółka&quot;&gt;"),
        "institution escaped"
    );
    assert!(html.contains("ankieta@testowo.pl"));
    assert!(
        html.contains("Ankieta jest anonimowa"),
        "the anonymity statement"
    );
    assert!(html.contains("Jeśli w pytaniu 8 zaznaczono „Tak”, proszę odpowiedzieć na to pytanie. W przeciwnym razie proszę przejść do pytania 10."));
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["form", "--format", "txt", "--lang", "en"])
        .assert()
        .success();
    let txt = std::fs::read_to_string(ws.join("formularze/ankieta-email.txt")).unwrap();
    assert!(
        txt.contains("[plec] 1. Sex (one answer)\n[ ] 1. Woman\n[ ] 2. Man\nAnswer:\n"),
        "{txt}"
    );
    let flat = txt.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Please return the completed questionnaire: hand it in or post it to ul. Polna 1, 11-500 Testowo, or e-mail it to ankieta@testowo.pl."), "{txt}");
    // Without a workspace, from a bundled template.
    let out = d.path().join("x.html");
    diagnoza()
        .current_dir(d.path())
        .args(["form", "--template", "mieszkancy", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    let o = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["form", "--format", "pdf"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("--format 'pdf' is unknown (expected html, xlsx, txt or xlsx-email)")
    );
}
