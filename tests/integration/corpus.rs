//! The malformed-input corpus (issue #15): small hostile files for every importer, generated
//! here, each with its expected outcome (a clear error, rejects with a reason, or accepted).
//! Every run is checked for: no panic (exit code 101, "panicked"), the expected outcome, every
//! data record either stored or rejected (the import's counts add up to the file's records),
//! and bounded memory (each import runs under `ulimit -v`, see [`MEMORY_LIMIT_KB`]).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::common::{diagnoza, workspace, write};

/// Virtual memory allowed to one import of a corpus file (KiB): 1.5 GiB, of which the
/// program's threads and mappings take a part; a run that needs more fails.
const MEMORY_LIMIT_KB: u64 = 1_536 * 1024;

/// What a corpus file must give.
#[derive(Debug)]
enum Expect {
    /// The file is refused with an error containing this text; nothing stored.
    Error(&'static str),
    /// (accepted, rejected) records; a reject's reason contains the text, if given.
    Records(usize, usize, Option<&'static str>),
}

struct Case {
    name: &'static str,
    file: PathBuf,
    expect: Expect,
}

/// Run one import under the memory limit: (exit code, stdout, stderr).
fn import_limited(ws: &Path, file: &Path, form: &str) -> (i32, String, String) {
    let bin = assert_cmd::cargo::cargo_bin("diagnoza");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_LIMIT_KB} 2>/dev/null; exec \"$0\" \"$@\""
        ))
        .arg(bin)
        .args(["--lang", "en"])
        .arg("-w")
        .arg(ws)
        .args(["import", "--form", form])
        .arg(file)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// "accepted A, rejected R, duplicates D" from an import's output.
fn counts(out: &str) -> Option<(usize, usize, usize)> {
    let line = out.lines().find(|l| l.contains("accepted "))?;
    let num = |key: &str| -> Option<usize> {
        let rest = &line[line.find(key)? + key.len()..];
        rest.split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    };
    Some((num("accepted ")?, num("rejected ")?, num("duplicates ")?))
}

fn xlsx(path: &Path, fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> PathBuf {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write(0, 0, "nr_ankiety").unwrap();
    ws.write(0, 1, "plec").unwrap();
    ws.write(0, 3, "wiek").unwrap();
    ws.write(1, 0, 81).unwrap();
    ws.write(1, 1, "kobieta").unwrap();
    ws.write(1, 3, "18_24").unwrap();
    fill(ws);
    wb.save(path).unwrap();
    path.to_path_buf()
}

fn zip_file(path: &Path, entries: &[(&str, &[u8])]) -> PathBuf {
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    for (name, data) in entries {
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file(*name, opts).unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap();
    path.to_path_buf()
}

fn cases(dir: &Path) -> Vec<Case> {
    let csv = |name: &str, text: &str| write(dir, name, text);
    let mut out = vec![
        Case {
            name: "unclosed quote in the last column",
            file: csv(
                "quote.csv",
                "nr_ankiety;plec;uwagi\n1;kobieta;ok\n2;kobieta;\"bez końca\n3;kobieta;x\n4;kobieta;y\n5;kobieta;z\n6;kobieta;w\n",
            ),
            expect: Expect::Error("quote.csv:3: a quote"),
        },
        Case {
            name: "ragged rows: fewer and more cells than the header",
            file: csv(
                "ragged.csv",
                "nr_ankiety;plec;wiek\n11;kobieta;18_24\n12;kobieta\n13;kobieta;18_24;extra\n",
            ),
            expect: Expect::Records(1, 2, Some("as many as header columns")),
        },
        Case {
            name: "truncated export: the last row cut mid-way",
            file: csv(
                "cut.csv",
                "nr_ankiety;plec;wiek\n21;kobieta;18_24\n22;mezczyzna;25_34\n23;kobi",
            ),
            expect: Expect::Records(2, 1, Some("truncated")),
        },
        Case {
            name: "one key, different answers: a conflict",
            file: csv(
                "conflict.csv",
                "nr_ankiety;plec;wiek\n31;kobieta;18_24\n31;mezczyzna;25_34\n32;kobieta;18_24\n32;kobieta;18_24\n",
            ),
            expect: Expect::Records(2, 1, Some("conflict")),
        },
        Case {
            name: "terminal escapes and formulas in cells",
            file: csv(
                "escapes.csv",
                "nr_ankiety;plec;wiek\n41;\u{1b}[31mkobieta\u{7};18_24\n42;=cmd|' /C calc'!A0;18_24\n",
            ),
            expect: Expect::Records(0, 2, None),
        },
        Case {
            name: "10,000 unknown columns",
            file: csv(
                "wide.csv",
                &format!(
                    "nr_ankiety;plec;wiek;{}\n51;kobieta;18_24;{}\n",
                    (0..10_000)
                        .map(|i| format!("x{i}"))
                        .collect::<Vec<_>>()
                        .join(";"),
                    ";".repeat(9_999)
                ),
            ),
            expect: Expect::Records(1, 0, None),
        },
        Case {
            name: "a 1 MB header cell",
            file: csv(
                "bigheader.csv",
                &format!(
                    "nr_ankiety;plec;wiek;{}\n61;kobieta;18_24;x\n",
                    "H".repeat(1_000_000)
                ),
            ),
            expect: Expect::Records(1, 0, None),
        },
        Case {
            name: "a row of 100,000 empty cells",
            file: csv(
                "empty.csv",
                &format!("nr_ankiety;plec\n{}\n", ";".repeat(100_000)),
            ),
            expect: Expect::Error("more than 16384 cells in one row"),
        },
        Case {
            name: "personal-data columns",
            file: csv(
                "personal.csv",
                "nr_ankiety;plec;wiek;Email;Telefon;Imię i nazwisko\n71;kobieta;18_24;jan.k@wp.pl;601234567;Jan Kowalski\n",
            ),
            expect: Expect::Records(1, 0, None),
        },
        Case {
            name: "empty file",
            file: csv("empty-file.csv", ""),
            expect: Expect::Error("the file is empty"),
        },
        Case {
            name: "binary junk named .csv",
            file: {
                let p = dir.join("junk.csv");
                std::fs::write(
                    &p,
                    (0..4096u32)
                        .map(|i| (i * 7919 % 251) as u8)
                        .collect::<Vec<_>>(),
                )
                .unwrap();
                p
            },
            expect: Expect::Error(""),
        },
    ];
    out.push(Case {
        name: "xlsx: a date cell with a huge serial",
        file: xlsx(&dir.join("date.xlsx"), |ws| {
            let f = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
            ws.write(0, 2, "data").unwrap();
            ws.write_number_with_format(1, 2, 1e300, &f).unwrap();
        }),
        expect: Expect::Records(1, 0, None),
    });
    out.push(Case {
        name: "xlsx: one cell at XFD1048576",
        file: xlsx(&dir.join("far.xlsx"), |ws| {
            ws.write(1_048_575, 16_383, "x").unwrap();
        }),
        expect: Expect::Error("XFD1048576"),
    });
    out.push(Case {
        name: "xlsx: not a zip",
        file: csv("notzip.xlsx", "nr_ankiety;plec\n1;kobieta\n"),
        expect: Expect::Error("not a spreadsheet"),
    });
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="a"><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    out.push(Case {
        name: "ods: a small file repeating one cell 16 billion times",
        file: zip_file(
            &dir.join("repeat.ods"),
            &[
                (
                    "mimetype",
                    b"application/vnd.oasis.opendocument.spreadsheet",
                ),
                ("content.xml", content.as_bytes()),
            ],
        ),
        expect: Expect::Error("repeat cells"),
    });
    out.push(Case {
        name: "ODK zip: no CSV inside",
        file: zip_file(&dir.join("odk.zip"), &[("readme.txt", b"x")]),
        expect: Expect::Error("holds no CSV table"),
    });
    out.push(Case {
        name: "ODK zip: a table with a ragged row",
        file: zip_file(
            &dir.join("odk2.zip"),
            &[(
                "ankieta.csv",
                b"SubmissionDate,meta-instanceID,plec,wiek,KEY\n2026-01-01,uuid:a,kobieta,18_24,uuid:a\n2026-01-01,uuid:b,kobieta\n",
            )],
        ),
        expect: Expect::Records(1, 1, Some("as many as header columns")),
    });
    out
}

/// Every corpus file: its expected outcome, no panic, every record stored or rejected, memory
/// bounded.
#[test]
fn malformed_inputs_end_cleanly() {
    let (d, ws) = workspace();
    let mut failures = Vec::new();
    for c in cases(d.path()) {
        let (code, out, err) = import_limited(&ws, &c.file, "mieszkancy");
        let all = format!("{out}{err}");
        if code == 101 || all.contains("panicked") || all.contains("memory allocation") {
            failures.push(format!("{}: crashed (exit {code}): {all}", c.name));
            continue;
        }
        if all.contains('\u{1b}') || all.contains('\u{7}') {
            failures.push(format!("{}: terminal escape echoed", c.name));
        }
        if err.lines().count() > 60 || all.len() > 40_000 {
            failures.push(format!(
                "{}: flood of {} lines / {} bytes",
                c.name,
                err.lines().count(),
                all.len()
            ));
        }
        match c.expect {
            Expect::Error(text) => {
                if code != 2 && !err.contains("error:") {
                    failures.push(format!(
                        "{}: expected an error, got exit {code}: {all}",
                        c.name
                    ));
                } else if !err.contains(text) {
                    failures.push(format!("{}: the error lacks '{text}': {err}", c.name));
                }
            }
            Expect::Records(acc, rej, reason) => match counts(&out) {
                Some((a, r, dup)) => {
                    // Every record of the file: stored, rejected or a duplicate of a stored one.
                    if (a, r) != (acc, rej) {
                        failures.push(format!(
                            "{}: accepted {a}, rejected {r}, duplicates {dup}; expected {acc}, {rej}: {all}",
                            c.name
                        ));
                    }
                    if let Some(t) = reason {
                        if !err.contains(t) {
                            failures.push(format!("{}: no reason '{t}' given: {err}", c.name));
                        }
                    }
                }
                None => failures.push(format!("{}: no counts (exit {code}): {all}", c.name)),
            },
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // Nothing personal or formula-leading left the store in clear: the store file and the
    // rejects CSV.
    let store = std::fs::read(ws.join("diagnoza.sqlite")).unwrap();
    let text = String::from_utf8_lossy(&store);
    for bad in ["jan.k@wp.pl", "601234567", "Jan Kowalski"] {
        assert!(!text.contains(bad), "{bad} stored in clear");
    }
    let rejects = ws.join("rejects.csv");
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["rejects", "--csv"])
        .arg(&rejects)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let csv = std::fs::read_to_string(&rejects).unwrap();
    for line in csv.lines() {
        for cell in line.split(';') {
            let cell = cell.trim_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '@']),
                "formula-leading cell in rejects.csv: {line}"
            );
        }
    }
    assert!(csv.contains("'=cmd"), "{csv}");
}

/// An mbox whose body has a line starting with "From ": still one message.
#[test]
fn mbox_body_from_line_does_not_split() {
    let (d, ws) = workspace();
    let mbox = write(
        d.path(),
        "skrzynka.mbox",
        "From a@b.pl Tue Dec  8 00:11:17 2026\nFrom: a@b.pl\nSubject: ankieta\n\nFrom the survey I only say hello.\n\nFrom c@d.pl Tue Dec  8 00:12:17 2026\nFrom: c@d.pl\nSubject: druga\n\nno answers here\n",
    );
    let (code, out, err) = import_limited(&ws, &mbox, "mieszkancy");
    assert_ne!(code, 101, "{out}{err}");
    assert!(out.contains("2 messages"), "{out}{err}");
    let (a, r, _) = counts(&out).expect("counts");
    assert_eq!(a + r, 2, "{out}{err}");
    // The sender is hashed under the workspace's own secret: not the plain hash of the address.
    assert!(ws.join(".diagnoza-secret").is_file());
    let store = std::fs::read(ws.join("diagnoza.sqlite")).unwrap();
    let text = String::from_utf8_lossy(&store);
    assert!(!text.contains("a@b.pl"), "address stored in clear");
    let plain = diagnoza::ingest::hash_bytes(b"a@b.pl");
    assert!(!text.contains(&plain), "unsalted sender hash stored");
}

/// An ODK download whose table unpacks to more than the limit (a zip bomb) is refused naming
/// the entry, without unpacking it all.
#[test]
fn odk_zip_bomb_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let (_w, ws) = workspace();
    let p = d.path().join("bomb.zip");
    let f = std::fs::File::create(&p).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    z.start_file("ankieta.csv", opts).unwrap();
    z.write_all(b"SubmissionDate,plec,KEY\n").unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..(diagnoza::safe::MAX_UNPACKED_BYTES >> 20) + 4 {
        z.write_all(&zeros).unwrap();
    }
    z.finish().unwrap();
    assert!(std::fs::metadata(&p).unwrap().len() < 2_000_000);
    let (code, out, err) = import_limited(&ws, &p, "mieszkancy");
    assert!(code == 1 || code == 2, "{out}{err}");
    assert!(
        err.contains("'ankieta.csv' unpacks to more than 200 MB"),
        "{err}"
    );
}

/// A hostile XLSForm given to `template import`: a clear error, no panic.
#[test]
fn hostile_xlsform_is_a_clear_error() {
    let d = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("junk.xlsx", b"PK\x03\x04junk".to_vec()),
        ("empty.xlsx", Vec::new()),
    ] {
        let p = d.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let out = diagnoza()
            .args(["template", "import"])
            .arg(&p)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(101), "{err}");
        assert!(!out.status.success() && err.contains(name), "{name}: {err}");
    }
}

/// `rejects | head`: a closed pipe ends the program quietly.
#[test]
fn broken_pipe_is_quiet() {
    let (d, ws) = workspace();
    let rows: String = (1..=3000).map(|i| format!("{i};zle\n")).collect();
    let f = write(d.path(), "bad.csv", &format!("nr_ankiety;plec\n{rows}"));
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["import", "--form", "mieszkancy"])
        .arg(&f)
        .assert()
        .code(1);
    let bin = assert_cmd::cargo::cargo_bin("diagnoza");
    for cmd in ["rejects", "status"] {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "set -o pipefail; \"$0\" -w \"$1\" {cmd} | head -n 1 >/dev/null"
            ))
            .arg(&bin)
            .arg(&ws)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{cmd}: {err}"
        );
        assert_ne!(out.status.code(), Some(101), "{cmd}: {err}");
    }
}

/// A store held by another process: the message says so (not "is not a diagnoza store").
#[test]
fn locked_store_says_it_is_in_use() {
    let (_d, ws) = workspace();
    let c = rusqlite::Connection::open(ws.join("diagnoza.sqlite")).unwrap();
    c.execute_batch("BEGIN EXCLUSIVE; UPDATE meta SET value = value;")
        .unwrap();
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("status")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("in use by another diagnoza process"), "{err}");
    assert!(!err.contains("is not a diagnoza store"), "{err}");
    c.execute_batch("ROLLBACK;").unwrap();
}

/// The memory limit stated in docs/src/limits.md: one million cells (10,000 rows × 100
/// columns) import within 600 MB of virtual memory.
#[test]
fn memory_per_million_cells() {
    let (d, ws) = workspace();
    let mut text = String::from("nr_ankiety;plec;wiek");
    for i in 0..97 {
        text.push_str(&format!(";x{i}"));
    }
    text.push('\n');
    for r in 0..10_000 {
        text.push_str(&format!("{r};kobieta;18_24"));
        text.push_str(&";1".repeat(97));
        text.push('\n');
    }
    let f = write(d.path(), "million.csv", &text);
    let bin = assert_cmd::cargo::cargo_bin("diagnoza");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 614400 2>/dev/null; exec \"$0\" \"$@\"")
        .arg(bin)
        .args(["--lang", "en"])
        .arg("-w")
        .arg(&ws)
        .args(["import", "--form", "mieszkancy"])
        .arg(&f)
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(counts(&all), Some((10_000, 0, 0)), "{all}");
}
