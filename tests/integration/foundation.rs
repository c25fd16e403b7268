//! The foundation path: template → import → store → analysis → report, on the bundled example
//! and on small fixtures; skip logic; bad input with places and exit codes.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{diagnoza, example_copy, root, workspace, write};

/// Read an example CSV independently of diagnoza's ingest: (header, rows).
fn read_example(path: &Path) -> Vec<BTreeMap<String, String>> {
    let bytes = std::fs::read(path).unwrap();
    let text = match std::str::from_utf8(&bytes) {
        Ok(s) => s.trim_start_matches('\u{feff}').to_string(),
        Err(_) => encoding_rs::WINDOWS_1250.decode(&bytes).0.into_owned(),
    };
    let delim = if text.lines().next().unwrap().contains(';') {
        b';'
    } else {
        b','
    };
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delim)
        .from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn example_runs_end_to_end_with_hand_computed_numbers() {
    let (_d, ws) = example_copy();
    diagnoza().arg("-w").arg(&ws).arg("run").assert().success();
    let html = std::fs::read_to_string(ws.join("reports/diagnoza-pl.html")).unwrap();
    for h in ["Etap I.", "Etap II.", "Etap III.", "Etap IV."] {
        assert!(html.contains(h), "missing chapter {h}");
    }
    let mut rows = read_example(&ws.join("imports/ankiety-papierowe.csv"));
    rows.extend(read_example(&ws.join("imports/ankiety-online.csv")));
    assert!(rows.len() >= 300);
    // Hand count: respondents aged 75+.
    let old = rows.iter().filter(|r| r["wiek"] == "75_plus").count();
    let pct = format!("{:.1}%", 100.0 * old as f64 / rows.len() as f64).replace('.', ",");
    let line =
        format!("<td>75 lat i więcej</td><td class=\"num\">{old}</td><td class=\"num\">{pct}</td>");
    assert!(html.contains(&line), "expected {line}");
    // Hand-computed need index for social assistance: anyone naming one of its services in
    // either need question, over those who answered at least one need question. The service →
    // area map is read from the template text itself.
    let tpl: toml::Table = std::fs::read_to_string(root().join("survey-templates/mieszkancy.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let ps: Vec<String> = tpl["choices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["list_name"].as_str() == Some("uslugi"))
        .filter(|c| c.get("area").and_then(|a| a.as_str()) == Some("pomoc_spoleczna"))
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    assert!(ps.contains(&"uslugi_opiekuncze".to_string()));
    let answered: Vec<_> = rows
        .iter()
        .filter(|r| !r["uslugi_gmina"].is_empty() || !r["uslugi_dom"].is_empty())
        .collect();
    let named = answered
        .iter()
        .filter(|r| {
            r["uslugi_gmina"]
                .split(' ')
                .chain(r["uslugi_dom"].split(' '))
                .any(|s| ps.iter().any(|p| p == s))
        })
        .count();
    let pct = format!("{:.1}%", 100.0 * named as f64 / answered.len() as f64).replace('.', ",");
    let line = format!("<td>pomoc społeczna</td><td class=\"num\">{pct}</td>");
    assert!(html.contains(&line), "expected {line}");
    assert!(html.contains(&format!("{named} / {}", answered.len())));
    // Running again imports nothing new and gives the same report, byte for byte.
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("run")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("accepted 0, rejected 0, duplicates 340"),
        "{out}"
    );
    assert_eq!(
        html,
        std::fs::read_to_string(ws.join("reports/diagnoza-pl.html")).unwrap()
    );
    // The planted needs: care for seniors is named more often by 75+ than by 25–34.
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["report", "--lang", "en"])
        .assert()
        .success();
    let en = std::fs::read_to_string(ws.join("reports/diagnoza-en.html")).unwrap();
    assert!(en.contains("Stage IV. Conclusions and recommendations"));
}

#[test]
fn example_data_regenerates_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    diagnoza()
        .args(["example-data", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    for f in [
        "ankiety-papierowe.csv",
        "ankiety-online.csv",
        "instytucje.csv",
        "mlodziez.csv",
    ] {
        let committed = std::fs::read(root().join("examples/wydminy/imports").join(f)).unwrap();
        assert_eq!(
            committed,
            std::fs::read(dir.path().join(f)).unwrap(),
            "{f} differs"
        );
    }
}

const FORM: &str = r#"
[settings]
form_id = "maly"
form_title = { pl = "Mała ankieta", en = "Small survey" }
[[survey]]
type = "select_one tn"
name = "dzieci"
label = { pl = "Czy w gospodarstwie są dzieci?", en = "Children?" }
required = true
disaggregation = true
[[survey]]
type = "integer"
name = "ile"
label = { pl = "Ile dzieci?", en = "How many?" }
relevant = "${dzieci} = 'tak'"
constraint = ". >= 1 and . <= 15"
[[survey]]
type = "select_one tn"
name = "zlobek"
label = { pl = "Czy potrzebny jest żłobek?", en = "Nursery needed?" }
relevant = "${dzieci} = 'tak'"
[[choices]]
list_name = "tn"
name = "tak"
label = { pl = "Tak", en = "Yes" }
[[choices]]
list_name = "tn"
name = "nie"
label = { pl = "Nie", en = "No" }
"#;

fn small_workspace() -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, ws) = workspace();
    std::fs::create_dir_all(ws.join("survey-templates")).unwrap();
    write(&ws.join("survey-templates"), "maly.toml", FORM);
    let cfg = std::fs::read_to_string(ws.join("diagnoza.toml")).unwrap();
    let cfg = cfg
        .replace("template = \"mieszkancy\"", "template = \"maly\"")
        .replace("suppression_threshold = 5", "suppression_threshold = 1");
    std::fs::write(ws.join("diagnoza.toml"), cfg).unwrap();
    (d, ws)
}

#[test]
fn skipped_questions_are_not_asked_not_unanswered() {
    let (d, ws) = small_workspace();
    // 3 with children (one leaves 'zlobek' blank), 2 without; one of those answers 'zlobek'
    // anyway: a warning, stored as not asked.
    let f = write(
        d.path(),
        "a.csv",
        "nr_ankiety,dzieci,ile,zlobek\n1,tak,2,tak\n2,tak,1,\n3,tak,3,nie\n4,nie,,\n5,nie,,tak\n",
    );
    let a = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("import")
        .arg(&f)
        .assert()
        .success();
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        err.contains("a.csv:5:zlobek: warning: zlobek: 'tak'"),
        "{err}"
    );
    let out = d.path().join("t.csv");
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["analyze", "--out"])
        .arg(&out)
        .assert()
        .success();
    let tidy = std::fs::read_to_string(&out).unwrap();
    // base for 'zlobek' = the 3 asked, not 5; the blank one is "not answered" 1 of 3
    assert!(
        tidy.contains("zlobek,Czy potrzebny jest żłobek?,tak,Tak,,,1,3,asked,0.3333333333333333"),
        "{tidy}"
    );
    assert!(
        tidy.contains(
            "zlobek,Czy potrzebny jest żłobek?,_not_answered,brak odpowiedzi,,,1,3,asked"
        ),
        "{tidy}"
    );
}

#[test]
fn bad_rows_are_rejected_with_places_and_nothing_is_lost() {
    let (d, ws) = small_workspace();
    let f = write(
        d.path(),
        "b.csv",
        "nr_ankiety,dzieci,ile,zlobek\n1,tak,2,tak\n2,może,,\n3,tak,trzy,\n4,tak,40,\n5,,,\n6,nie,,\n",
    );
    let a = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("import")
        .arg(&f)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    let file = f.display().to_string();
    for expected in [
        format!("{file}:2:dzieci: error: dzieci: 'może': expected one of tak, nie"),
        format!("{file}:3:ile: error: ile: 'trzy': expected a whole number written in digits"),
        format!("{file}:4:ile: error: ile: '40': expected a value from 1 to 15"),
        format!(
            "{file}:5:dzieci: error: dzieci: '': expected an answer (the question is required)"
        ),
    ] {
        assert!(err.contains(&expected), "missing «{expected}» in:\n{err}");
    }
    let st = diagnoza().arg("-w").arg(&ws).arg("status").assert().code(1);
    let st = String::from_utf8_lossy(&st.get_output().stdout).to_string();
    assert!(st.contains("Responses stored: 2"), "{st}");
    assert!(st.contains("Rejects open: 4"), "{st}");
    // Re-importing the same file adds nothing.
    let a = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("import")
        .arg(&f)
        .assert()
        .code(0);
    let out = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(
        out.contains("accepted 0, rejected 0, duplicates 6"),
        "{out}"
    );
    // Fix the rejects in their CSV and import it again: they are resolved.
    let rej = d.path().join("rejects.csv");
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["rejects", "--csv"])
        .arg(&rej)
        .assert()
        .code(1);
    let text = String::from_utf8(std::fs::read(&rej).unwrap()).unwrap();
    assert!(text.starts_with('\u{feff}'));
    let fixed = text
        .replace(";może;", ";nie;")
        .replace(";trzy;", ";3;")
        .replace(";40;", ";4;");
    let fixed = fixed
        .lines()
        .map(|l| {
            if l.starts_with("id:5;") {
                l.replacen("id:5;;", "id:5;nie;", 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let fixed_path = write(d.path(), "rejects-fixed.csv", &fixed);
    let a = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("import")
        .arg(&fixed_path)
        .assert();
    let out = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(out.contains("accepted 4, rejected 0"), "{out}\n{fixed}");
    assert!(out.contains("4 earlier rejects corrected"), "{out}");
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("rejects")
        .assert()
        .success();
}

#[test]
fn fatal_errors_exit_2_with_clear_messages() {
    let (d, ws) = small_workspace();
    // a malformed template: every error with its place
    let bad = write(
        d.path(),
        "zly.toml",
        r#"
[settings]
form_id = "zly"
[[survey]]
type = "select_one brak_listy"
name = "a"
label = "A"
[[survey]]
type = "text"
name = "a"
label = "A again"
relevant = "${nie_ma} = 'x'"
area = "opieka"
"#,
    );
    let a = diagnoza()
        .args(["template", "check"])
        .arg(&bad)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    for e in [
        "survey row 1 (a): unknown choice list 'brak_listy'",
        "survey row 2 (a): duplicate name 'a' (first used in survey row 1)",
        "survey row 2 (a): area 'opieka' is not a statutory area",
        "survey row 2 (a): '${nie_ma} = 'x'' names question 'nie_ma', which does not exist",
    ] {
        assert!(err.contains(e), "missing «{e}» in:\n{err}");
    }
    // not a workspace
    let a = diagnoza()
        .arg("-w")
        .arg(d.path())
        .arg("status")
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("not a diagnoza workspace"));
    // a missing file: reported, exit 1, the store untouched
    let a = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["import", "nie-ma-takiego.csv"])
        .assert()
        .code(1);
    assert!(
        String::from_utf8_lossy(&a.get_output().stderr).contains("cannot read nie-ma-takiego.csv")
    );
    // a zip (an .xlsx renamed .csv)
    let z = d.path().join("x.csv");
    std::fs::write(&z, b"PK\x03\x04garbage").unwrap();
    let a = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("import")
        .arg(&z)
        .assert()
        .code(1);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("zip archive"));
    // bundled template is valid
    diagnoza()
        .args(["template", "check", "mieszkancy"])
        .assert()
        .success();
}
