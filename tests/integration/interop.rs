//! Interop: XLSForm in and out, the exports of Kobo, ODK, Google Forms, LimeSurvey, Microsoft
//! Forms and R all giving the same stored responses, and `template infer`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use diagnoza::response::{Answer, Channel, Missing};
use diagnoza::store::Store;
use diagnoza::template::{self, totoml::comparable};

use crate::common::{diagnoza, root};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/interop").join(name)
}

/// A workspace using `template` (a TOML file).
fn ws_with(template: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = dir.path().join("ws");
    diagnoza()
        .args(["init"])
        .arg(&ws)
        .args(["--gmina", "Testowo", "--template"])
        .arg(template)
        .assert()
        .success();
    (dir, ws)
}

fn stored(ws: &Path, form_id: &str) -> Vec<(Channel, BTreeMap<String, Answer>)> {
    let store = Store::open(&ws.join("diagnoza.sqlite")).or_else(|_| {
        let f = std::fs::read_dir(ws)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "sqlite" || x == "db"))
            .expect("a store file in the workspace");
        Store::open(&f)
    });
    store
        .expect("store opens")
        .responses(form_id)
        .expect("responses")
        .into_iter()
        .map(|s| (s.response.provenance.channel, s.response.answers))
        .collect()
}

fn import(ws: &Path, args: &[&str], file: &Path) -> (i32, String) {
    let out = diagnoza()
        .arg("-w")
        .arg(ws)
        .arg("import")
        .args(args)
        .arg(file)
        .output()
        .expect("runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn set(v: &[&str]) -> Answer {
    Answer::Choices(v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>())
}

#[test]
fn every_export_gives_identical_stored_responses() {
    let form = fixture("form.toml");
    // Baseline: the paper transcription with codes.
    let (_d, ws) = ws_with(&form);
    let (code, out) = import(&ws, &[], &fixture("paper.csv"));
    assert_eq!(code, 0, "{out}");
    let base = stored(&ws, "interop");
    assert_eq!(base.len(), 6);
    // Checked by hand against make_fixtures.py's respondents.
    let a = |i: usize, q: &str| base[i].1[q].clone();
    assert_eq!(a(0, "uslugi"), set(&["opieka", "transport"]));
    assert_eq!(a(0, "ile_dzieci"), Answer::Number(2.0));
    assert_eq!(a(1, "ile_dzieci"), Answer::Missing(Missing::NotAsked));
    assert_eq!(a(2, "bariery"), Answer::Missing(Missing::NotAsked));
    assert_eq!(a(4, "wiek"), Answer::Missing(Missing::NotAnswered));
    assert_eq!(a(5, "uslugi"), Answer::Missing(Missing::NotAnswered));
    assert_eq!(a(5, "bariery"), Answer::Missing(Missing::NotAnswered));
    assert_eq!(
        a(2, "uwagi"),
        Answer::Text("Brak informacji, gdzie szukać".into())
    );
    assert_eq!(base[0].0, Channel::Paper);

    let cases: &[(&str, &[&str], i32, Channel)] = &[
        ("kobo.csv", &[], 1, Channel::Kobo),
        ("kobo_percent.csv", &[], 1, Channel::Kobo),
        ("kobo_labels.xlsx", &[], 1, Channel::Kobo),
        ("odk.csv", &[], 1, Channel::Odk),
        ("kobo_xml.xlsx", &[], 1, Channel::Kobo),
        ("odk_nogroups.csv", &[], 0, Channel::Odk),
        ("google.csv", &[], 0, Channel::Google),
        ("google_en.csv", &[], 0, Channel::Google),
        ("msforms.xlsx", &[], 0, Channel::Msforms),
        ("r_export.csv", &[], 0, Channel::Kobo),
        ("limesurvey.csv", &["--mapping"], 0, Channel::Limesurvey),
    ];
    for (file, args, exit, channel) in cases {
        let (_d, ws) = ws_with(&form);
        let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        if args.first().is_some_and(|a| a == "--mapping") {
            args.push(fixture("lime.map.toml").display().to_string());
        }
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out) = import(&ws, &argv, &fixture(file));
        assert_eq!(code, *exit, "{file}: {out}");
        assert!(
            !out.contains("not imported"),
            "{file}: a column was not matched:\n{out}"
        );
        let got = stored(&ws, "interop");
        assert_eq!(got.len(), 6, "{file}: {out}");
        for (i, (ch, answers)) in got.iter().enumerate() {
            assert_eq!(ch, channel, "{file}");
            assert_eq!(
                answers,
                &base[i].1,
                "{file}: respondent {} differs from paper.csv\n{out}",
                i + 1
            );
        }
        // E-mail addresses and names the tools add never reach the store.
        let store = Store::open(&ws.join("diagnoza.sqlite")).unwrap();
        for r in store.responses("interop").unwrap() {
            for (k, v) in &r.response.raw {
                assert!(
                    !v.contains('@')
                        && v != "anonymous"
                        && v != "ankieter1"
                        && !v.starts_with("collect:"),
                    "{file}: {k} = {v} stored"
                );
            }
        }
        if *exit == 1 {
            // The submission rejected in review is in the rejects with that reason.
            let rejects = diagnoza()
                .arg("-w")
                .arg(&ws)
                .arg("rejects")
                .output()
                .unwrap();
            let r = String::from_utf8_lossy(&rejects.stdout).to_string()
                + &String::from_utf8_lossy(&rejects.stderr);
            assert!(r.contains("rejected in review"), "{file}: {r}");
        }
    }
}

/// Paper questionnaires numbered 1–6 and LimeSurvey responses with ids 1–6 in one workspace are
/// twelve respondents, not six and six duplicates; the same LimeSurvey export again adds nothing.
#[test]
fn paper_numbers_and_limesurvey_ids_do_not_collide() {
    let (_d, ws) = ws_with(&fixture("form.toml"));
    let (code, out) = import(&ws, &[], &fixture("paper.csv"));
    assert_eq!(code, 0, "{out}");
    let map = fixture("lime.map.toml").display().to_string();
    let (code, out) = import(&ws, &["--mapping", &map], &fixture("limesurvey.csv"));
    assert_eq!(code, 0, "{out}");
    assert_eq!(stored(&ws, "interop").len(), 12, "{out}");
    let (_, out) = import(&ws, &["--mapping", &map], &fixture("limesurvey.csv"));
    assert_eq!(stored(&ws, "interop").len(), 12, "{out}");
    assert!(out.contains("duplicates 6"), "{out}");
}

#[test]
fn instance_id_deduplicates_and_review_state_can_be_kept() {
    let (_d, ws) = ws_with(&fixture("form.toml"));
    let (code, out) = import(&ws, &["--dry-run"], &fixture("odk.csv"));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("metryczka-plec")
            && out.contains("question 'plec' (group prefix 'metryczka' dropped)"),
        "{out}"
    );
    assert!(out.contains("record id"), "{out}");
    assert!(stored(&ws, "interop").is_empty(), "dry run stores nothing");
    let (code, out) = import(&ws, &["--include-rejected"], &fixture("odk.csv"));
    assert_eq!(code, 0, "{out}");
    assert_eq!(stored(&ws, "interop").len(), 7);
    // Importing the export again stores nothing twice.
    let (code, out) = import(&ws, &["--include-rejected"], &fixture("odk.csv"));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("duplicates 7"), "{out}");
    // The Kobo export of the same submissions: other headers, the same instance ids (`_uuid` is
    // ODK's meta-instanceID without "uuid:").
    let (code, out) = import(&ws, &["--include-rejected"], &fixture("kobo.csv"));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("duplicates 7"), "{out}");
    assert_eq!(stored(&ws, "interop").len(), 7);
}

#[test]
fn unmatched_columns_and_unknown_choices_are_reported_before_storing() {
    let (d, ws) = ws_with(&fixture("form.toml"));
    let text = std::fs::read_to_string(fixture("kobo.csv")).unwrap();
    let text = text
        .replacen("\"uslugi/brak\"", "\"uslugi/zakupy\"", 1)
        .replacen("\"uwagi\"", "\"komentarz\"", 1);
    let f = d.path().join("kobo_changed.csv");
    std::fs::write(&f, text).unwrap();
    let (code, out) = import(&ws, &["--dry-run"], &f);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("uslugi/zakupy")
            && out.contains("NOT MATCHED: 'zakupy' is not a choice of 'uslugi'"),
        "{out}"
    );
    assert!(
        out.contains("komentarz")
            && out.contains("NOT MATCHED: no question has this name or label"),
        "{out}"
    );
    // Respondent 3 ticked the unknown choice (it was 'brak'): that row is an error with its place.
    assert!(
        out.contains("kobo_changed.csv:3:uslugi/zakupy: error: uslugi: '1'"),
        "{out}"
    );
    assert!(stored(&ws, "interop").is_empty());
    // A file of another questionnaire: refused as a whole, with its columns named.
    let other = d.path().join("other.csv");
    std::fs::write(&other, "a;b\n1;2\n").unwrap();
    let (code, out) = import(&ws, &[], &other);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("none of its 2 columns is a question of the questionnaire 'interop'"),
        "{out}"
    );
    assert!(out.contains("Columns: a, b"), "{out}");
    assert!(stored(&ws, "interop").is_empty());
    // A mapping file fixes the column once.
    let m = d.path().join("map.toml");
    std::fs::write(
        &m,
        "[columns]\nkomentarz = \"uwagi\"\n\"uslugi/zakupy\" = \"uslugi/brak\"\n",
    )
    .unwrap();
    let (code, out) = import(&ws, &["--mapping", m.to_str().unwrap()], &f);
    assert_eq!(code, 1, "only the review reject remains: {out}");
    assert_eq!(stored(&ws, "interop").len(), 6, "{out}");
    // Value mapping on a column matched by its label (Google's question text).
    let (_d2, ws2) = ws_with(&fixture("form.toml"));
    let g = std::fs::read_to_string(fixture("google.csv"))
        .unwrap()
        .replace(",Kobieta,", ",K,");
    let gf = d.path().join("google_k.csv");
    std::fs::write(&gf, g).unwrap();
    let (code, out) = import(&ws2, &["--dry-run"], &gf);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("plec: 'K': expected one of kobieta, mezczyzna"),
        "{out}"
    );
    let gm = d.path().join("g.map.toml");
    std::fs::write(&gm, "[values.plec]\nK = \"kobieta\"\n").unwrap();
    let (code, out) = import(&ws2, &["--mapping", gm.to_str().unwrap()], &gf);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        stored(&ws2, "interop")[0].1["plec"],
        Answer::Choice("kobieta".into())
    );
    // A mapping naming a question that does not exist is refused with its place.
    std::fs::write(&m, "[columns]\nkomentarz = \"uwagi_x\"\n").unwrap();
    let (code, out) = import(&ws, &["--mapping", m.to_str().unwrap()], &f);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("map.toml: [columns] \"komentarz\" = \"uwagi_x\""),
        "{out}"
    );
}

fn without_extras(f: &template::Questionnaire) -> serde_json::Value {
    // Compare what every spelling can carry: one title language, no extra columns, the
    // constraint message in the default language.
    let mut v = comparable(f);
    v["title"] = serde_json::json!(null);
    if let Some(qs) = v["questions"].as_array_mut() {
        for q in qs {
            q["extra"] = serde_json::json!({});
            if let Some(m) = q["constraint_message"].as_object_mut() {
                m.retain(|k, _| k == "pl");
            }
        }
    }
    v
}

fn import_form(file: &Path, dir: &Path) -> (i32, String, Option<template::Questionnaire>) {
    let out_toml = dir.join(format!(
        "{}.toml",
        file.file_stem().unwrap().to_string_lossy()
    ));
    let out = diagnoza()
        .args(["template", "import"])
        .arg(file)
        .arg("--out")
        .arg(&out_toml)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    let code = out.status.code().unwrap_or(-1);
    let form = if code == 0 {
        let loaded = template::load_file(&out_toml).unwrap_or_else(|e| panic!("{e}"));
        Some(loaded.form)
    } else {
        None
    };
    (code, text, form)
}

#[test]
fn xlsform_spellings_and_encodings_give_the_same_questionnaire() {
    let d = tempfile::tempdir().unwrap();
    let toml = template::load_file(&fixture("form.toml")).unwrap().form;
    for f in [
        "form.xlsx",
        "form_legacy.xlsx",
        "form_legacy.xls",
        "form_cp1250.survey.csv",
    ] {
        let (code, out, form) = import_form(&fixture(f), d.path());
        assert_eq!(code, 0, "{f}: {out}");
        let form = form.unwrap();
        assert_eq!(without_extras(&form), without_extras(&toml), "{f}");
        assert_eq!(form.question("plec").unwrap().label["en"], "Sex", "{f}");
    }
    // The extra column of form.xlsx is kept.
    let (_, _, form) = import_form(&fixture("form.xlsx"), d.path());
    assert_eq!(
        form.unwrap().question("plec").unwrap().extra["chapter"],
        "A"
    );
    // The windows-1250 copy really is windows-1250.
    let bytes = std::fs::read(fixture("form_cp1250.survey.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err());
}

#[test]
fn xlsform_mistakes_are_reported_with_their_rows() {
    let d = tempfile::tempdir().unwrap();
    let (code, out, _) = import_form(&fixture("form_errors.xlsx"), d.path());
    assert_eq!(code, 2, "{out}");
    for expected in [
        "survey row 3 (dzieci): duplicate name 'dzieci' (first used in survey row 2)",
        "survey row 3 (dzieci): relevant '${dzieci} = “tak”'",
        "typographic quote",
        "survey row 4 (gmina): unknown choice list 'nieznana'",
        "choices row 4 (list tn): duplicate choice name 'tak' in list 'tn'",
        "survey row 10 (liczba): unknown type 'integr'",
    ] {
        assert!(out.contains(expected), "missing «{expected}» in:\n{out}");
    }
    // An answers file given as a form: one clear error, not one per row.
    let (code, out, _) = import_form(&fixture("kobo.csv"), d.path());
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("the survey sheet has no 'type' column"),
        "{out}"
    );
    assert_eq!(out.matches("error").count(), 2, "{out}");
    let (code, out, form) = import_form(&fixture("form_warnings.xlsx"), d.path());
    assert_eq!(code, 0, "{out}");
    let expected = "survey row 7 (sprawa): choice_filter 'kraj = ${dzieci}'";
    assert!(out.contains(expected), "missing «{expected}» in:\n{out}");
    // A calculate is evaluated and a repeat is modelled: neither is a warning any more.
    assert!(!out.contains("(suma)"), "{out}");
    assert!(!out.contains("(osoby)"), "{out}");
    let form = form.unwrap();
    assert!(
        form.question("imie").is_none(),
        "questions inside a repeat are the roster's, not the respondent's"
    );
    assert!(
        form.repeat("osoby")
            .unwrap()
            .questions
            .iter()
            .any(|q| q.name == "imie")
    );
    assert!(form.calculates.iter().any(|c| c.name == "suma"));
    assert!(form.question("sprawa").is_some());
}

#[test]
fn export_to_xlsform_and_back_is_the_same_questionnaire() {
    let d = tempfile::tempdir().unwrap();
    for name in [
        "mieszkancy".to_string(),
        fixture("form.toml").display().to_string(),
    ] {
        let x = d.path().join("out.xlsx");
        diagnoza()
            .args(["template", "export", &name, "--xlsform"])
            .arg(&x)
            .assert()
            .success();
        let (code, out, back) = import_form(&x, d.path());
        assert_eq!(code, 0, "{out}");
        let orig = template::resolve(&name, None).unwrap().load().unwrap().form;
        let mut a = comparable(&orig);
        let mut b = comparable(&back.unwrap());
        // XLSForm's form_title is one text: the default language's.
        a["title"] = serde_json::json!({"pl": orig.title["pl"]});
        b["title"] = b["title"].clone();
        assert_eq!(a, b, "{name}");
    }
}

#[test]
fn infer_proposes_a_questionnaire_that_imports_its_own_data() {
    let d = tempfile::tempdir().unwrap();
    for (file, accepted, exit) in [
        ("google.csv", 6, 0),
        ("kobo.csv", 6, 1),
        ("msforms.xlsx", 6, 0),
    ] {
        let out_toml = d.path().join(format!("{}.toml", file.replace('.', "_")));
        let out = diagnoza()
            .args(["template", "infer"])
            .arg(fixture(file))
            .arg("--out")
            .arg(&out_toml)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        diagnoza()
            .args(["template", "check"])
            .arg(&out_toml)
            .assert()
            .success();
        let form = template::load_file(&out_toml).unwrap().form;
        assert!(form.questions.iter().all(|q| {
            !q.label
                .values()
                .any(|l| l.contains("Sygnatura") || l == "_uuid")
        }));
        let (_d, ws) = ws_with(&out_toml);
        let (code, text) = import(&ws, &[], &fixture(file));
        assert_eq!(code, exit, "{file}: {text}");
        let got = stored(&ws, &form.id);
        assert_eq!(got.len(), accepted, "{file}: {text}");
        assert!(!text.contains("not imported"), "{file}: {text}");
        if file == "google.csv" {
            let plec = form
                .questions
                .iter()
                .find(|q| q.label.values().any(|l| l == "Płeć"))
                .unwrap();
            assert_eq!(plec.kind, template::Kind::SelectOne);
            let wiek = form
                .questions
                .iter()
                .find(|q| q.label.values().any(|l| l == "Wiek (lata)"))
                .unwrap();
            assert_eq!(wiek.kind, template::Kind::Integer);
            assert_eq!(got[0].1[&wiek.name], Answer::Number(34.0));
            let uslugi = form
                .questions
                .iter()
                .find(|q| q.label.values().any(|l| l.starts_with("Z jakich")))
                .unwrap();
            assert_eq!(uslugi.kind, template::Kind::SelectMultiple);
            // The label with a comma is one choice, and R1's two answers are read as two.
            let list = form.list_of(uslugi).unwrap();
            assert_eq!(list.choices.len(), 4, "{:?}", list.choices);
            let Answer::Choices(c) = &got[0].1[&uslugi.name] else {
                panic!("{:?}", got[0].1)
            };
            assert_eq!(c.len(), 2);
        }
        if file == "kobo.csv" {
            let u = form.question("uslugi").unwrap();
            assert_eq!(u.kind, template::Kind::SelectMultiple);
            let codes: Vec<&str> = form
                .list_of(u)
                .unwrap()
                .choices
                .iter()
                .map(|c| c.name.as_str())
                .collect();
            assert_eq!(codes, ["opieka", "transport", "klub", "brak"]);
            assert_eq!(got[0].1["uslugi"], set(&["opieka", "transport"]));
        }
    }
}

#[test]
fn month_first_dates_and_excel_damaged_ids() {
    let d = tempfile::tempdir().unwrap();
    let form = d.path().join("daty.toml");
    std::fs::write(
        &form,
        "[settings]\nform_id = \"daty\"\n[[survey]]\ntype = \"date\"\nname = \"kiedy\"\nlabel = \"When did you last use the service?\"\n",
    )
    .unwrap();
    let (_d, ws) = ws_with(&form);
    // Google in English: the timestamps (9/30/…) show the month comes first, so 1/2/2026 is
    // 2 January, not 1 February.
    let g = d.path().join("g.csv");
    std::fs::write(
        &g,
        "Timestamp,When did you last use the service?\n9/30/2026 10:10:00,1/2/2026\n10/1/2026 9:00:00,12/24/2025\n",
    )
    .unwrap();
    let (code, out) = import(&ws, &[], &g);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("dates written month first (M/D/Y): 2 read as such"),
        "{out}"
    );
    let got = stored(&ws, "daty");
    assert_eq!(got[0].1["kiedy"], Answer::Date("2026-01-02".into()));
    assert_eq!(got[1].1["kiedy"], Answer::Date("2025-12-24".into()));
    // Ids Excel turned into 3.56E+14 are reported with the first row.
    let x = d.path().join("x.csv");
    std::fs::write(
        &x,
        "nr_ankiety;kiedy\n3,56E+14;05.10.2026\n3,57E+14;06.10.2026\n",
    )
    .unwrap();
    let (code, out) = import(&ws, &["--dry-run"], &x);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "column 'nr_ankiety': 2 id(s) in scientific notation (first in data row 1, '3,56E+14')"
        ),
        "{out}"
    );
}

#[test]
fn channel_can_be_forced_and_unknown_channels_are_refused() {
    let (_d, ws) = ws_with(&fixture("form.toml"));
    let (code, out) = import(&ws, &["--channel", "online"], &fixture("google.csv"));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("plain table"), "{out}");
    assert!(
        stored(&ws, "interop")
            .iter()
            .all(|(c, _)| *c == Channel::Online)
    );
    let (code, out) = import(&ws, &["--channel", "surveymonkey"], &fixture("google.csv"));
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("--channel 'surveymonkey' is unknown (expected auto or one of: paper"),
        "{out}"
    );
}

/// Whether `python3 -m pyxform.xls2xform` can run here.
fn pyxform() -> bool {
    std::process::Command::new("python3")
        .args(["-c", "import pyxform"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn every_exported_form_passes_pyxform() {
    if !pyxform() {
        eprintln!(
            "note: pyxform is not installed (pip install pyxform): the export check is skipped"
        );
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let mut forms: Vec<String> = template::builtin_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    // Every XLSForm fixture, imported to TOML first.
    for f in [
        "form.toml",
        "form.xlsx",
        "form_legacy.xlsx",
        "form_warnings.xlsx",
        "household",
    ] {
        let (code, out, _) = import_form(&fixture(f), d.path());
        if f.ends_with(".toml") {
            forms.push(fixture(f).display().to_string());
            continue;
        }
        assert_eq!(code, 0, "{f}: {out}");
        let stem = fixture(f)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        forms.push(d.path().join(format!("{stem}.toml")).display().to_string());
    }
    for (i, name) in forms.iter().enumerate() {
        let x = d.path().join(format!("export{i}.xlsx"));
        diagnoza()
            .args(["template", "export", name, "--xlsform"])
            .arg(&x)
            .assert()
            .success();
        let out = std::process::Command::new("python3")
            .args(["-m", "pyxform.xls2xform", "--skip_validate"])
            .arg(&x)
            .arg(d.path().join(format!("export{i}.xml")))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pyxform refused the export of {name}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn import_takes_a_forced_encoding() {
    let (d, ws) = ws_with(&fixture("form.toml"));
    let text = std::fs::read_to_string(fixture("paper.csv")).unwrap();
    let (cp, _, _) = encoding_rs::WINDOWS_1250.encode(&text);
    let f = d.path().join("paper_cp1250.csv");
    std::fs::write(&f, &cp).unwrap();
    let (code, out) = import(&ws, &["--encoding", "cp1250"], &f);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("windows-1250; as forced by --encoding"),
        "{out}"
    );
    let uwagi: Vec<String> = stored(&ws, "interop")
        .into_iter()
        .filter_map(|(_, a)| a.get("uwagi").map(|v| format!("{v:?}")))
        .collect();
    assert!(
        uwagi.iter().any(|u| u.contains("Więcej zajęć")),
        "{uwagi:?}"
    );
    let (code, out) = import(&ws, &["--encoding", "klingon"], &f);
    assert_ne!(code, 0);
    assert!(
        out.contains("--encoding 'klingon' is not an encoding name"),
        "{out}"
    );
}
