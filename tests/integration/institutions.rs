//! Issue 8: the institutions' questionnaire beside the residents' one, the resource inventory
//! checked against hand counts, the gap map, and bad institution records.

use crate::common::{diagnoza, example_copy, workspace, write};

fn example_with_institutions() -> (tempfile::TempDir, std::path::PathBuf) {
    example_copy()
}

#[test]
fn inventory_matches_hand_counts_and_shows_gaps() {
    let (d, ws) = example_with_institutions();
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
    assert!(out.contains("questionnaire 'instytucje'"), "{out}");
    // the report's potential section carries the inventory and the gap
    let html = std::fs::read_to_string(ws.join("reports/diagnoza-pl.html")).unwrap();
    assert!(html.contains("Potencjał instytucji i organizacji — inwentaryzacja zasobów"));
    let row = html
        .split("<tr")
        .find(|r| r.contains("wspieranie osób niepełnosprawnych") && r.contains("LUKA"))
        .expect("the disability area is marked as a gap in the report");
    assert!(row.contains(">0<"), "{row}");
    assert!(html.contains("Gotowość mieszkańców do działania na rzecz społeczności"));
    // the analysis keeps the questionnaires apart and says which one it shows
    let a = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["analyze", "--form", "instytucje"])
        .assert()
        .success();
    let a = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(
        a.starts_with("Questionnaire 'instytucje'") && a.contains("28 responses"),
        "{a}"
    );
    let a = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("analyze")
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&a.get_output().stdout).contains("420 responses"));
    let e = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["analyze", "--form", "nie_ma"])
        .assert()
        .code(2);
    assert!(
        String::from_utf8_lossy(&e.get_output().stderr)
            .contains("is not a questionnaire of this workspace")
    );
    // contact roles never reach the report
    assert!(!html.contains("dyrektor / prezes zarządu"));
    // status keeps the two questionnaires apart
    let st = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("status")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let st = String::from_utf8(st).unwrap();
    assert!(
        st.contains("Questionnaire 'mieszkancy'") && st.contains("Questionnaire 'instytucje'"),
        "{st}"
    );
    assert!(
        st.contains("Responses stored: 420") && st.contains("Responses stored: 28"),
        "{st}"
    );
    // the example's youth perspective (forms = ["mlodziez"]) is imported by `run` and kept apart
    assert!(
        st.contains("Questionnaire 'mlodziez'") && st.contains("Responses stored: 160"),
        "{st}"
    );
    // hand counts from the institutions' file, read independently
    let text = std::fs::read_to_string(ws.join("imports/instytucje.csv")).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let providers = |code: &str| {
        rows.iter()
            .filter(|row| row[col("uslugi_obecne")].split(' ').any(|c| c == code))
            .count()
    };
    let capacity: u64 = rows
        .iter()
        .filter_map(|row| row[col("miejsca_zajecia_dzieci")].parse::<u64>().ok())
        .sum();
    let volunteers: u64 = rows
        .iter()
        .map(|row| row[col("wolontariusze")].parse::<u64>().unwrap())
        .sum();
    let inv = d.path().join("inv.csv");
    let o = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["inventory", "--out"])
        .arg(&inv)
        .assert()
        .success();
    let o = String::from_utf8(o.get_output().stdout.clone()).unwrap();
    assert!(o.contains(&format!("volunteers {volunteers}")), "{o}");
    let csv_text = std::fs::read_to_string(&inv).unwrap();
    let line = csv_text
        .lines()
        .find(|l| l.contains(",zajecia_dzieci,"))
        .unwrap();
    assert!(
        line.contains(&format!(",{},{capacity},", providers("zajecia_dzieci"))),
        "{line}"
    );
    assert_eq!(providers("zajecia_dzieci"), 4);
    assert_eq!(providers("transport"), 0);
    // gap map: no provider for disability services although residents need them
    assert!(o.contains("GAP  wspieranie osób niepełnosprawnych"), "{o}");
    assert!(
        csv_text.contains("niepelnosprawnosc,wspieranie osób niepełnosprawnych,,,,0,,"),
        "{csv_text}"
    );
    // a needed service without a provider, with who is ready to take it on
    let transport = o
        .lines()
        .find(|l| l.starts_with("  Transport"))
        .expect("transport is a service gap");
    assert!(
        transport.contains("Ochotnicza Straż Pożarna w Wydminach"),
        "{transport}"
    );
}

#[test]
fn bad_institution_records_are_reported_and_kept() {
    let (d, ws) = workspace();
    let cfg = std::fs::read_to_string(ws.join("diagnoza.toml")).unwrap();
    std::fs::write(
        ws.join("diagnoza.toml"),
        cfg.replace("institutions = \"\"", "institutions = \"instytucje\""),
    )
    .unwrap();
    let f = write(
        d.path(),
        "inst.csv",
        "nazwa,typ,obszary,uslugi_obecne,miejsca_transport,personel\n\
         Klub A,ngo,kultura,zly_kod,,1\n\
         OSP B,osp,aktywnosc_obywatelska,transport,dużo,0\n\
         Klub  a,ngo,kultura,zajecia_kulturalne,,2\n\
         GOK,gok,kultura,zajecia_kulturalne,,5\n\
         gok,gok,kultura,zajecia_kulturalne,,5\n",
    );
    let a = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["import", "--form", "instytucje"])
        .arg(&f)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    let file = f.display().to_string();
    assert!(
        err.contains(&format!(
            "{file}:1:uslugi_obecne: error: uslugi_obecne: 'zly_kod'"
        )),
        "{err}"
    );
    assert!(err.contains("not known: zly_kod"), "{err}");
    assert!(
        err.contains(&format!(
            "{file}:2:miejsca_transport: error: miejsca_transport: 'dużo': expected a whole number"
        )),
        "{err}"
    );
    // "GOK" and "gok" are the same entity: the second is a duplicate, stored once.
    // "Klub  a" answers again for "Klub A", whose record was rejected: it corrects it.
    assert!(
        err.contains(&format!("{file}:5: duplicate of {file}:4")),
        "{err}"
    );
    let st = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("status")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let st = String::from_utf8(st).unwrap();
    assert!(st.contains("Questionnaire 'instytucje'"), "{st}");
    let inst = st.split("Questionnaire 'instytucje'").nth(1).unwrap();
    assert!(
        inst.contains("Responses stored: 2")
            && inst.contains("Rejects open: 1 (corrected later: 1)")
            && inst.contains("Duplicates seen (stored once): 1"),
        "{inst}"
    );
    // The file's columns pick the questionnaire when --form is not given.
    let g = write(
        d.path(),
        "inst2.csv",
        "nazwa,typ,obszary,uslugi_obecne\nBiblioteka,biblioteka,kultura,zajecia_kulturalne\n",
    );
    let a = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("import")
        .arg(&g)
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&a.get_output().stdout).contains("questionnaire 'instytucje'"));
}

/// Issue 14: the youth questionnaire as a further perspective (`forms = ["mlodziez"]`): its paper
/// form and data-entry workbook are written, it goes to XLSForm and back, its answers are
/// imported beside the residents' ones, those who decline consent are "not asked" afterwards, and
/// `analyze --form mlodziez` counts what was planted.
#[test]
fn the_youth_questionnaire_is_a_further_perspective() {
    let (d, ws) = workspace();
    let p = d.path();
    let cfg = std::fs::read_to_string(ws.join("diagnoza.toml")).unwrap();
    assert!(cfg.contains("forms = []"));
    write(
        &ws,
        "diagnoza.toml",
        &cfg.replacen("forms = []", "forms = [\"mlodziez\"]", 1),
    );
    diagnoza()
        .args(["template", "check", "mlodziez"])
        .assert()
        .success();
    let html = p.join("m.html");
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["form", "--form", "mlodziez", "--format", "html", "--out"])
        .arg(&html)
        .assert()
        .success();
    let h = std::fs::read_to_string(&html).unwrap();
    assert!(h.contains("ANONIMOWA") && h.contains("DOBROWOLNY") && h.contains("116 111"));
    assert!(h.contains("mniej niż 16 lat"), "the parental-consent note");
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["form", "--form", "mlodziez", "--format", "xlsx", "--out"])
        .arg(p.join("m.xlsx"))
        .assert()
        .success();
    diagnoza()
        .args(["template", "export", "mlodziez", "--xlsform"])
        .arg(p.join("mx.xlsx"))
        .assert()
        .success();
    diagnoza()
        .args(["template", "import"])
        .arg(p.join("mx.xlsx"))
        .arg("--out")
        .arg(p.join("back.toml"))
        .assert()
        .success();
    // 30 who agree (12 lack sports activities), 2 who decline and answer nothing else
    let mut csv =
        String::from("zgoda,wiek,plec,miejsce,szkola,samopoczucie,potrzeby,wolontariat\n");
    for i in 0..30 {
        let wiek = if i % 2 == 0 { "13_15" } else { "16_17" };
        let pot = if i < 12 {
            "zajecia_sportowe miejsce_spotkan"
        } else {
            "wydarzenia"
        };
        let vol = if i < 9 { "tak" } else { "nie" };
        csv.push_str(&format!(
            "tak,{wiek},dziewczyna,wies,podstawowa,raczej_dobrze,{pot},{vol}\n"
        ));
    }
    csv.push_str("nie,,,,,,,\nnie,,,,,,,\n");
    let f = write(p, "mlodziez.csv", &csv);
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("import")
        .arg(&f)
        .assert()
        .success();
    let out = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        out.contains("questionnaire 'mlodziez'") && out.contains("accepted 32, rejected 0"),
        "{out}"
    );
    let tidy = p.join("tidy.csv");
    let a = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["analyze", "--form", "mlodziez", "--out"])
        .arg(&tidy)
        .assert()
        .success();
    let a = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(
        a.starts_with("Questionnaire 'mlodziez'") && a.contains("32 responses"),
        "{a}"
    );
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(&tidy)
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .collect();
    let cell = |q: &str, o: &str| {
        let r = rows
            .iter()
            .find(|r| &r[0] == q && &r[2] == o && r[4].is_empty())
            .unwrap_or_else(|| panic!("no row {q}/{o}"));
        (r[6].to_string(), r[7].to_string())
    };
    // the base excludes the two who declined (not asked)
    assert_eq!(
        cell("potrzeby", "zajecia_sportowe"),
        ("12".into(), "30".into())
    );
    assert_eq!(cell("wolontariat", "tak"), ("9".into(), "30".into()));
    // the residents' questionnaire stays apart
    let st = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("status")
        .assert()
        .success();
    let st = String::from_utf8(st.get_output().stdout.clone()).unwrap();
    assert!(
        st.contains("Questionnaire 'mieszkancy'") && st.contains("Questionnaire 'mlodziez'"),
        "{st}"
    );
}
