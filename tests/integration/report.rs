//! The report: every format from a small fixed workspace (24 questionnaires, desk data), snapshot
//! of the HTML (charts cut out) and Markdown, determinism, escaping, suppression, redaction,
//! formula injection, Word package contents, template overrides and bad input.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::common::{diagnoza, root};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/report").join(name)
}

/// A workspace with the fixture answers, the BDL population file and the assistance table;
/// `gmina` and `role` go into diagnoza.toml as written.
fn small_workspace(gmina: &str, role: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = dir.path().join("ws");
    diagnoza()
        .args(["init"])
        .arg(&ws)
        .args(["--gmina", "Testowo"])
        .assert()
        .success();
    std::fs::create_dir_all(ws.join("dane")).unwrap();
    std::fs::copy(fixture("ludnosc-bdl.csv"), ws.join("dane/ludnosc.csv")).unwrap();
    std::fs::copy(fixture("pomoc.csv"), ws.join("dane/pomoc.csv")).unwrap();
    let toml = std::fs::read_to_string(ws.join("diagnoza.toml")).unwrap();
    let toml = toml
        .replace(
            "gmina = \"Testowo\"",
            &format!("gmina = {}", toml_str(gmina)),
        )
        .replace(
            "role = \"Koordynator diagnozy\"",
            &format!("role = {}", toml_str(role)),
        );
    let toml = format!(
        "{toml}\n[[desk_data]]\nfile = \"dane/ludnosc.csv\"\nkind = \"population\"\ntitle = \"Ludność według wieku i płci\"\nsource = \"GUS, Bank Danych Lokalnych\"\n\n[[desk_data]]\nfile = \"dane/pomoc.csv\"\nkind = \"assistance\"\ntitle = \"Rodziny objęte pomocą według powodów\"\nsource = \"GOPS, Ocena zasobów pomocy społecznej\"\nyear = \"2024\"\n"
    );
    std::fs::write(ws.join("diagnoza.toml"), toml).unwrap();
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("import")
        .arg(fixture("ankiety.csv"))
        .assert()
        .success();
    (dir, ws)
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn report(ws: &Path, out: &Path, formats: &str) {
    diagnoza()
        .arg("-w")
        .arg(ws)
        .args(["report", "--format", formats, "--out"])
        .arg(out)
        .assert()
        .success();
}

fn unzip(path: &Path, member: &str) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).expect("a zip package");
    let mut s = String::new();
    z.by_name(member)
        .expect("member present")
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn members(path: &Path) -> Vec<String> {
    let z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    z.file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .collect()
}

/// The HTML with inline SVG charts replaced by a marker, for a reviewable snapshot.
fn without_svg(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg") {
        out.push_str(&rest[..i]);
        let end = rest[i..]
            .find("</svg>")
            .map(|j| i + j + 6)
            .unwrap_or(rest.len());
        out.push_str("[svg]");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn all_formats_snapshot_and_determinism() {
    let (dir, ws) = small_workspace("Testowo", "Koordynator diagnozy");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    report(&ws, &a, "html,md,docx,xlsx");
    report(&ws, &b, "html,md");
    for f in ["diagnoza-pl.html", "diagnoza-pl.md"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs between runs"
        );
    }
    let charts: Vec<_> = std::fs::read_dir(a.join("diagnoza-pl-wykresy"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(charts.len() >= 5, "{charts:?}");
    for c in &charts {
        assert_eq!(
            std::fs::read(a.join("diagnoza-pl-wykresy").join(c)).unwrap(),
            std::fs::read(b.join("diagnoza-pl-wykresy").join(c)).unwrap()
        );
    }
    let html = std::fs::read_to_string(a.join("diagnoza-pl.html")).unwrap();
    let md = std::fs::read_to_string(a.join("diagnoza-pl.md")).unwrap();
    for h in [
        "Etap I.",
        "Etap II.",
        "Etap III.",
        "Etap IV.",
        "Najważniejsze wnioski",
        "Nota metodologiczna",
        "Aneks: kwestionariusz",
    ] {
        assert!(html.contains(h) && md.contains(h), "{h}");
    }
    // desk data: BDL layout read, totals and the 65+ share worked out by hand (1225 of 5670)
    assert!(
        html.contains("GUS, Bank Danych Lokalnych, rok 2023"),
        "latest year column used and printed"
    );
    assert!(html.contains("Osoby w wieku 65 lat i więcej: 1225 (21,6% ludności)"));
    assert!(html.contains("<td class=\"num\">5670</td>"));
    assert!(html.contains("Struktura ludności według wieku i płci (2023)"));
    assert!(html.contains("GOPS, Ocena zasobów pomocy społecznej, rok 2024"));
    // group differences: a column per group table and the stage IV list, from the analysis' tests
    assert!(html.contains("<th scope=\"col\">Różnica między grupami</th>"));
    assert!(html.contains("Różnice między grupami potwierdzone testem"));
    // stage IV names the programme's recommendations (none with 24 questionnaires), and never the
    // small group sizes the programme's notes mention
    assert!(html.contains("Usługi rekomendowane do programu usług społecznych"));
    assert!(!html.contains("respondents answered the need question"));
    // Markdown links its charts, which exist
    assert!(md.contains("](diagnoza-pl-wykresy/wykres-01.svg)"));
    insta::assert_snapshot!("report_small_html", without_svg(&html));
    insta::assert_snapshot!("report_small_md", md);

    // Word: heading styles, TOC field, tables, pictures
    let docx = a.join("diagnoza-pl.docx");
    let xml = unzip(&docx, "word/document.xml");
    for h in [
        "Etap I. Planowanie",
        "Etap II. Problemy",
        "Etap III. Dane",
        "Etap IV. Wnioski",
    ] {
        assert!(xml.contains(h), "{h} missing from the Word document");
    }
    assert!(
        xml.contains("w:val=\"Heading1\""),
        "chapters use the Heading 1 style"
    );
    // contents: entries with dot leaders and PAGEREF page numbers, no TOC field code to show
    assert!(xml.contains("PAGEREF _Toc") && xml.contains("w:leader=\"dot\""));
    assert!(!xml.contains("TOC \\o"), "no table-of-contents field code");
    // header rows repeat, rows do not split; page numbers "Strona X z Y" in the footer
    assert!(xml.contains("<w:tblHeader />") && xml.contains("<w:cantSplit />"));
    let footers: String = members(&docx)
        .iter()
        .filter(|m| m.starts_with("word/footer"))
        .map(|m| unzip(&docx, m))
        .collect();
    assert!(
        footers.contains("Strona ") && footers.contains("PAGE") && footers.contains("NUMPAGES")
    );
    assert!(unzip(&docx, "word/styles.xml").contains("w:ascii=\"Arial\""));
    // the Word file is the same bytes on every run
    report(&ws, &b, "docx");
    assert_eq!(
        std::fs::read(&docx).unwrap(),
        std::fs::read(b.join("diagnoza-pl.docx")).unwrap(),
        "the Word document differs between runs"
    );
    assert!(xml.matches("<w:tbl>").count() >= 10, "real Word tables");
    assert!(
        members(&docx)
            .iter()
            .any(|m| m.starts_with("word/media/") && m.ends_with(".png"))
    );
    let styles = unzip(&docx, "word/styles.xml");
    assert!(styles.contains("heading 1"));

    // XLSX: contents, a sheet per table, tidy table, images; shares stored as numbers with a % format
    let xlsx = a.join("diagnoza-pl.xlsx");
    let names = members(&xlsx);
    assert!(
        names.iter().any(|m| m.starts_with("xl/media/")),
        "charts as images"
    );
    let wb = unzip(&xlsx, "xl/workbook.xml");
    for s in ["Spis", "T01", "Wyniki (tabela długa)", "Wykresy"] {
        assert!(wb.contains(&format!("name=\"{s}\"")), "sheet {s}");
    }
    assert!(unzip(&xlsx, "xl/styles.xml").contains("0.0%"));
    // the contents sheet links to the others; sheets are set up for print
    let spis = unzip(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(spis.contains("<hyperlink ref=\"A5\"") && spis.contains("location=\"'T01'!A1\""));
    let t01 = unzip(&xlsx, "xl/worksheets/sheet2.xml");
    assert!(t01.contains("fitToWidth=\"1\"") || t01.contains("fitToPage=\"1\""));
    assert!(unzip(&xlsx, "xl/workbook.xml").contains("_xlnm.Print_Titles"));
    // confidence intervals are two numeric columns; the tidy sheet speaks Polish
    let mut wbk: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    use calamine::Reader;
    let mut ci_cols = 0;
    for name in wbk.sheet_names().clone() {
        let range = wbk.worksheet_range(&name).unwrap();
        let Some(head) = range.rows().nth(2) else {
            continue;
        };
        for (c, h) in head.iter().enumerate() {
            if h.to_string().ends_with(": od") {
                ci_cols += 1;
                let nums = range
                    .rows()
                    .skip(3)
                    .filter(|r| matches!(r.get(c), Some(calamine::Data::Float(_))))
                    .count();
                assert!(nums > 0, "{name}: the interval column holds numbers");
            }
        }
    }
    assert!(ci_cols > 0, "some table has a confidence interval");
    let tidy = wbk.worksheet_range("Wyniki (tabela długa)").unwrap();
    assert_eq!(tidy.get((0, 0)).unwrap().to_string(), "pytanie");
    // the workbook is the same bytes on every run
    report(&ws, &b, "xlsx");
    assert_eq!(
        std::fs::read(&xlsx).unwrap(),
        std::fs::read(b.join("diagnoza-pl.xlsx")).unwrap(),
        "the workbook differs between runs"
    );
}

#[test]
fn suppressed_cells_appear_in_no_format() {
    let (dir, ws) = small_workspace("Testowo", "Koordynator diagnozy");
    let out = dir.path().join("out");
    report(&ws, &out, "html,md,xlsx");
    // one respondent is 25–34: the cell is hidden everywhere
    let html = std::fs::read_to_string(out.join("diagnoza-pl.html")).unwrap();
    let row = html
        .lines()
        .find(|l| l.contains("<td class=\"muted\">25"))
        .expect("the 25–34 row of the age table");
    assert!(
        row.contains("ukryto (mniej niż 5 osób)") && !row.contains("<td class=\"num\">1</td>"),
        "{row}"
    );
    let md = std::fs::read_to_string(out.join("diagnoza-pl.md")).unwrap();
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| 25–34")).collect();
    assert!(rows.len() >= 2, "the sample table and the age table");
    for row in rows {
        assert!(
            (row.contains("ukryto") || row.contains("&lt; 5")) && !row.contains("| 1 |"),
            "{row}"
        );
    }
    // in the workbook, no numeric cell next to the hidden label in any sheet
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(out.join("diagnoza-pl.xlsx")).unwrap();
    use calamine::Reader;
    let mut seen = 0;
    for name in wb.sheet_names().clone() {
        let range = wb.worksheet_range(&name).unwrap();
        for r in range.rows() {
            let label = r.first().map(|c| c.to_string()).unwrap_or_default();
            if label.starts_with("25") && r.iter().any(|c| c.to_string().contains("ukryto")) {
                seen += 1;
                assert!(
                    r.iter()
                        .skip(1)
                        .all(|c| !matches!(c, calamine::Data::Float(_) | calamine::Data::Int(_))),
                    "{name}: {r:?}"
                );
            }
        }
    }
    assert!(
        seen >= 1,
        "the hidden row is in the workbook, without numbers"
    );
}

#[test]
fn user_text_is_escaped_redacted_and_never_a_formula() {
    let (dir, ws) = small_workspace(
        "<script>alert('g')</script>",
        "=HYPERLINK(\"http://x\",\"y\")",
    );
    let out = dir.path().join("out");
    report(&ws, &out, "html,md,xlsx,docx");
    let html = std::fs::read_to_string(out.join("diagnoza-pl.html")).unwrap();
    assert!(
        !html.contains("<script>"),
        "no script element from user text"
    );
    assert!(
        html.contains("&lt;script&gt;alert("),
        "the gmina name appears as text"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt; Potrzebny jest transport")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Potrzebny jest transport"),
        "the free-text answer appears as text"
    );
    let md = std::fs::read_to_string(out.join("diagnoza-pl.md")).unwrap();
    assert!(!md.contains("<script>") && md.contains("&lt;script&gt;"));
    // personal data in a comment is removed before it reaches any output
    for text in [&html, &md] {
        for pii in [
            "Kowalski",
            "600 123 456",
            "jan.kowalski@example.pl",
            "85010112345",
        ] {
            assert!(!text.contains(pii), "{pii} reached the report");
        }
        assert!(text.contains("[osoba]") && text.contains("[telefon]"));
    }
    let docx = unzip(&out.join("diagnoza-pl.docx"), "word/document.xml");
    assert!(!docx.contains("Kowalski") && !docx.contains("<script>"));
    // the team role starting with '=' is a string cell, and no cell holds a formula
    let xlsx = out.join("diagnoza-pl.xlsx");
    let mut found = false;
    for m in members(&xlsx)
        .iter()
        .filter(|m| m.starts_with("xl/worksheets/"))
    {
        let x = unzip(&xlsx, m);
        assert!(
            !x.contains("<f>") && !x.contains("<f "),
            "{m} has a formula"
        );
        found |= x.contains("=HYPERLINK");
    }
    let shared = unzip(&xlsx, "xl/sharedStrings.xml");
    assert!(
        found || shared.contains("=HYPERLINK"),
        "the text is kept, as text"
    );
}

#[test]
fn english_report_has_the_same_structure() {
    let (dir, ws) = small_workspace("Testowo", "Coordinator");
    let out = dir.path().join("out");
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["report", "--lang", "en", "--format", "html", "--out"])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("diagnoza-en.html")).unwrap();
    for h in [
        "Stage I.",
        "Stage II.",
        "Stage III.",
        "Stage IV.",
        "Key findings",
        "Population by age and sex",
    ] {
        assert!(html.contains(h), "{h}");
    }
}

#[test]
fn template_overrides_and_their_errors() {
    let (dir, ws) = small_workspace("Testowo", "Koordynator diagnozy");
    let out = dir.path().join("out");
    std::fs::create_dir_all(ws.join("templates")).unwrap();
    std::fs::write(
        ws.join("templates/report.md"),
        "# {{ title }}\n{% for e in toc %}- {{ e[1] }}\n{% endfor %}",
    )
    .unwrap();
    report(&ws, &out, "md,html");
    let md = std::fs::read_to_string(out.join("diagnoza-pl.md")).unwrap();
    assert!(
        md.starts_with("# Diagnoza potrzeb") && md.contains("- Etap IV. Wnioski i rekomendacje"),
        "{md}"
    );
    // the HTML is not overridden
    assert!(
        std::fs::read_to_string(out.join("diagnoza-pl.html"))
            .unwrap()
            .contains("<!DOCTYPE html>")
    );
    // a missing variable names the file and the variable, and nothing is written
    std::fs::write(ws.join("templates/report.html"), "<p>{{ gmina_nazwa }}</p>").unwrap();
    let out2 = dir.path().join("out2");
    let a = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["report", "--format", "md,html", "--out"])
        .arg(&out2)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        err.contains("templates/report.html") && err.contains("gmina_nazwa"),
        "{err}"
    );
    assert!(!out2.exists(), "no file written when one format fails");
}

#[test]
fn bad_desk_data_and_unwritable_output_are_clear_errors() {
    let (dir, ws) = small_workspace("Testowo", "Koordynator diagnozy");
    std::fs::write(
        ws.join("dane/ludnosc.csv"),
        "Kod;Nazwa;rok;wartość\n2806052;Wydminy;2023;5670\n",
    )
    .unwrap();
    let a = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["report", "--out"])
        .arg(dir.path().join("o"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        err.contains("ludnosc.csv")
            && err.contains("'wiek'")
            && err.contains("Kod, Nazwa, rok, wartość"),
        "{err}"
    );
    std::fs::write(
        ws.join("dane/ludnosc.csv"),
        "Kod;Nazwa;wiek;płeć;2023\n1;W;0-4;mężczyźni;dużo\n",
    )
    .unwrap();
    let a = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["report", "--out"])
        .arg(dir.path().join("o"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        err.contains("row 1, column '2023': 'dużo' is not a number"),
        "{err}"
    );
    std::fs::copy(fixture("ludnosc-bdl.csv"), ws.join("dane/ludnosc.csv")).unwrap();
    // output under a regular file: cannot be created
    let blocker = dir.path().join("plik");
    std::fs::write(&blocker, "x").unwrap();
    let a = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["report", "--out"])
        .arg(blocker.join("raport"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        err.contains("cannot create the folder") && err.contains("plik"),
        "{err}"
    );
    // an unknown format
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["report", "--format", "odt"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("html, docx, md, xlsx, pdf"));
}

/// When LibreOffice is installed, the Word file must open and convert to a PDF of several pages
/// (the package checks above run everywhere).
#[test]
fn word_file_opens_in_libreoffice_when_available() {
    let Some(office) = ["libreoffice", "soffice"].into_iter().find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        eprintln!("LibreOffice not installed: conversion check skipped");
        return;
    };
    let (dir, ws) = small_workspace("Testowo", "Koordynator diagnozy");
    let out = dir.path().join("out");
    report(&ws, &out, "docx");
    let status = std::process::Command::new(office)
        .env("HOME", dir.path())
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .arg(out.join("diagnoza-pl.docx"))
        .output()
        .expect("LibreOffice runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let pdf = std::fs::read(out.join("diagnoza-pl.pdf")).expect("a PDF was produced");
    assert!(pdf.starts_with(b"%PDF"));
    let pages = pdf
        .windows(b"/Type /Page\n".len())
        .filter(|w| w.starts_with(b"/Type /Page") && !w.starts_with(b"/Type /Pages"))
        .count();
    assert!(
        pages >= 5 || pdf.len() > 50_000,
        "the document has content ({pages} pages, {} bytes)",
        pdf.len()
    );
}

#[test]
fn pdf_report_is_tagged_paged_and_the_same_bytes_when_libreoffice_is_available() {
    if diagnoza::report::pdf::office().is_err() {
        eprintln!("LibreOffice not installed: PDF check skipped");
        return;
    }
    let (dir, ws) = small_workspace("Testowo", "Koordynator diagnozy");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    report(&ws, &a, "pdf");
    report(&ws, &b, "pdf");
    let pdf = std::fs::read(a.join("diagnoza-pl.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(
        pdf,
        std::fs::read(b.join("diagnoza-pl.pdf")).unwrap(),
        "the PDF differs between runs"
    );
    let has = |s: &[u8]| pdf.windows(s.len()).any(|w| w == s);
    assert!(has(b"/StructTreeRoot"), "a tagged (accessible) PDF");
    let pages = pdf
        .windows(b"/Type/Page".len())
        .filter(|w| *w == b"/Type/Page")
        .count()
        + pdf
            .windows(b"/Type /Page\n".len())
            .filter(|w| w.starts_with(b"/Type /Page") && !w.starts_with(b"/Type /Pages"))
            .count();
    assert!(pages >= 5, "{pages} pages");
}

#[test]
fn pdf_without_libreoffice_says_what_to_do_and_writes_nothing() {
    let (dir, ws) = small_workspace("Testowo", "Koordynator diagnozy");
    let out = dir.path().join("out");
    diagnoza()
        .env("DIAGNOZA_OFFICE", dir.path().join("no-such-soffice"))
        .arg("-w")
        .arg(&ws)
        .args(["report", "--format", "html,pdf", "--out"])
        .arg(&out)
        .assert()
        .failure()
        .stderr(predicates::str::contains("DIAGNOZA_OFFICE="))
        .stderr(predicates::str::contains("expected LibreOffice's soffice"));
    assert!(!out.join("diagnoza-pl.html").exists(), "nothing is written");
}

#[test]
fn word_cover_has_the_coat_of_arms_year_and_authors_and_a_bad_image_is_named() {
    let (dir, ws) = small_workspace("Testowo", "Koordynator diagnozy");
    let herb = diagnoza::chart::png(&diagnoza::chart::hbar_svg("Herb", &[], ""), 0.25).unwrap();
    std::fs::write(ws.join("herb.png"), &herb).unwrap();
    let toml = std::fs::read_to_string(ws.join("diagnoza.toml")).unwrap();
    let with_herb = toml
        .replace("coat_of_arms = \"\"", "coat_of_arms = \"herb.png\"")
        .replace("period = \"\"", "period = \"wrzesień–grudzień 2026\"");
    assert_ne!(with_herb, toml, "diagnoza.toml has the coat_of_arms field");
    std::fs::write(ws.join("diagnoza.toml"), &with_herb).unwrap();
    let out = dir.path().join("out");
    report(&ws, &out, "docx");
    let docx = out.join("diagnoza-pl.docx");
    let xml = unzip(&docx, "word/document.xml");
    let cover = &xml[..xml.find("Spis treści").expect("contents after the cover")];
    assert!(
        cover.contains("<w:drawing>"),
        "the coat of arms on the cover"
    );
    assert!(cover.contains(">2026<") && cover.contains("Autorzy"));
    assert!(cover.contains("Koordynator diagnozy"));
    let media: Vec<String> = members(&docx)
        .into_iter()
        .filter(|m| m.starts_with("word/media/"))
        .collect();
    assert!(
        media.len() >= 2,
        "the coat of arms and the charts: {media:?}"
    );
    // not a PNG: the error names diagnoza.toml, the field and the file
    std::fs::write(ws.join("herb.png"), b"GIF89a").unwrap();
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["report", "--format", "docx", "--out"])
        .arg(dir.path().join("out2"))
        .assert()
        .failure()
        .stderr(predicates::str::contains("diagnoza.toml"))
        .stderr(predicates::str::contains("coat_of_arms = 'herb.png'"))
        .stderr(predicates::str::contains("is not a PNG image"));
}

#[test]
fn no_chart_cuts_text_and_every_chart_has_a_text_alternative() {
    let (dir, ws) = small_workspace("Testowo", "Koordynator diagnozy");
    let out = dir.path().join("out");
    report(&ws, &out, "md");
    let mut n = 0;
    for e in std::fs::read_dir(out.join("diagnoza-pl-wykresy")).unwrap() {
        let svg = std::fs::read_to_string(e.unwrap().path()).unwrap();
        assert!(!svg.contains('…'), "a chart cuts text");
        assert!(
            svg.contains("<title>") && svg.contains("<desc>"),
            "a text alternative"
        );
        n += 1;
    }
    assert!(n >= 5);
}
