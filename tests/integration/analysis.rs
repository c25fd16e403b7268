//! `diagnoza analyze`: the tidy tables (exact columns, no NaN), XLSX sheets, `--by` validation,
//! post-stratification weights from diagnoza.toml, and tiny samples that must not break.

use std::path::Path;

use crate::common::{diagnoza, workspace};

const TIDY_HEADER: &str = "question,question_label,option,option_label,group_var,group_value,n,base,base_kind,pct,ci_low,ci_high,weighted_pct,suppressed";

/// A workspace with the example's synthetic answers (`paper` + `online` respondents).
fn example_ws(paper: usize, online: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, ws) = workspace();
    let imports = ws.join("imports");
    diagnoza()
        .args(["example-data", "--out"])
        .arg(&imports)
        .args([
            "--paper",
            &paper.to_string(),
            "--online",
            &online.to_string(),
        ])
        .assert()
        .success();
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("import")
        .arg(imports.join("ankiety-papierowe.csv"))
        .assert()
        .success();
    if online > 0 {
        diagnoza()
            .arg("-w")
            .arg(&ws)
            .args(["import", "--channel", "online"])
            .arg(imports.join("ankiety-online.csv"))
            .assert()
            .success();
    }
    (d, ws)
}

fn set_config(ws: &Path, from: &str, to: &str) {
    let p = ws.join("diagnoza.toml");
    let t = std::fs::read_to_string(&p).unwrap();
    assert!(t.contains(from), "diagnoza.toml has no {from}");
    std::fs::write(&p, t.replacen(from, to, 1)).unwrap();
}

fn no_nan(text: &str) {
    for bad in ["NaN", "nan", "inf"] {
        assert!(
            !text.split([',', '\n']).any(|c| c == bad || c == "-inf"),
            "{bad} in output:\n{text}"
        );
    }
}

#[test]
fn tidy_csv_indices_tests_and_xlsx() {
    let (_d, ws) = example_ws(150, 30);
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args([
            "analyze",
            "--out",
            "r.csv",
            "--indices",
            "i.csv",
            "--tests",
            "t.csv",
            "--by",
            "wiek",
        ])
        .current_dir(&ws)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        stdout.contains("Needs, availability and unmet need per area"),
        "{stdout}"
    );
    assert!(stdout.contains("Breakdown by wiek"));
    let tidy = std::fs::read_to_string(ws.join("r.csv")).unwrap();
    assert_eq!(tidy.lines().next().unwrap(), TIDY_HEADER);
    no_nan(&tidy);
    // Totals have empty group columns; pct is a fraction; base_kind is one of three words.
    let mut rdr = csv::Reader::from_reader(tidy.as_bytes());
    let mut overall = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        assert!(["asked", "answered", "all"].contains(&&rec[8]));
        if rec[4].is_empty() {
            assert!(rec[5].is_empty());
            overall += 1;
        } else {
            assert_eq!(&rec[4], "wiek");
        }
        if let Ok(p) = rec[9].parse::<f64>() {
            assert!((0.0..=1.0).contains(&p));
        }
        if &rec[13] == "true" {
            assert!(
                rec[6].is_empty() && rec[9].is_empty(),
                "suppressed row shows numbers: {rec:?}"
            );
        }
        assert!(rec[12].is_empty(), "weighted_pct without weighting");
    }
    assert!(overall > 100);
    let idx = std::fs::read_to_string(ws.join("i.csv")).unwrap();
    assert!(idx.starts_with("index,area,area_label,question,option,group_var,group_value,n,base,value,ci_low,ci_high,weighted_value,priority,suppressed"));
    assert!(idx.contains("unmet_need,zdrowie,"));
    assert!(idx.contains("potential_ready,,,wolontariat,"));
    no_nan(&idx);
    let tests = std::fs::read_to_string(ws.join("t.csv")).unwrap();
    assert!(tests.starts_with("group_var,question,option,method,"));
    no_nan(&tests);
    // XLSX: three sheets, shares stored as numbers.
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["analyze", "--out", "r.xlsx"])
        .current_dir(&ws)
        .assert()
        .success();
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(ws.join("r.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), vec!["results", "indices", "tests"]);
    let range = wb.worksheet_range("results").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header.join(","), TIDY_HEADER);
    let pct_col = range.rows().nth(1).unwrap()[9].clone();
    assert!(matches!(pct_col, calamine::Data::Float(_)), "{pct_col:?}");
}

#[test]
fn unknown_or_unfit_grouping_variable_is_a_clear_error() {
    let (_d, ws) = example_ws(20, 0);
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["analyze", "--by", "wzrost"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("--by wzrost") && err.contains("wiek*") && err.contains("plec*"),
        "{err}"
    );
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["analyze", "--by", "liczba_osob"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("only single-choice questions"), "{err}");
}

#[test]
fn weights_from_population_cells() {
    let (_d, ws) = example_ws(200, 0);
    // A population skewed to older women: weighted shares must differ from unweighted ones.
    let mut cells = String::from("[population]\nadults = 6000\nweight_by = [\"wiek\", \"plec\"]\n");
    for (i, w) in ["18_24", "25_34", "35_44", "45_59", "60_74", "75_plus"]
        .iter()
        .enumerate()
    {
        for (s, f) in [("kobieta", 3), ("mezczyzna", 1)] {
            cells.push_str(&format!(
                "[[population.cells]]\nwiek = \"{w}\"\nplec = \"{s}\"\ncount = {}\n",
                (i + 1) * 100 * f
            ));
        }
    }
    let p = ws.join("diagnoza.toml");
    let t = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("{t}\n{cells}")).unwrap();
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["analyze", "--out", "w.csv", "--indices", "wi.csv"])
        .current_dir(&ws)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        stdout.contains("Weighted to the population by wiek × plec"),
        "{stdout}"
    );
    let tidy = std::fs::read_to_string(ws.join("w.csv")).unwrap();
    no_nan(&tidy);
    let mut rdr = csv::Reader::from_reader(tidy.as_bytes());
    let plec_k = rdr
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "plec" && &r[2] == "kobieta" && r[4].is_empty())
        .unwrap();
    // Population: women 3 × (100+…+600) = 6300 of 8400 → weighted share exactly 0.75.
    let w: f64 = plec_k[12].parse().unwrap();
    assert!((w - 0.75).abs() < 1e-9, "{w}");
    let idx = std::fs::read_to_string(ws.join("wi.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(idx.as_bytes());
    assert!(
        rdr.records()
            .map(Result::unwrap)
            .any(|r| &r[0] == "need" && !r[12].is_empty())
    );
    // The report states the weighting (design effect, effective n); --no-weights turns it off.
    for (flag, weighted) in [(None, true), (Some("--no-weights"), false)] {
        let mut cmd = diagnoza();
        cmd.arg("-w")
            .arg(&ws)
            .args(["report", "--format", "md", "--out", "rep"]);
        if let Some(f) = flag {
            cmd.arg(f);
        }
        cmd.current_dir(&ws).assert().success();
        let md = std::fs::read_to_string(ws.join("rep/diagnoza-pl.md")).unwrap();
        assert_eq!(
            md.contains("Obliczono też wagi poststratyfikacyjne według: wiek, plec"),
            weighted,
            "{flag:?}"
        );
        assert_eq!(md.contains("efektywna liczebność próby"), weighted);
    }
    // --no-weights: unweighted only.
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["analyze", "--no-weights", "--out", "u.csv"])
        .current_dir(&ws)
        .assert()
        .success();
    let u = std::fs::read_to_string(ws.join("u.csv")).unwrap();
    assert!(
        csv::Reader::from_reader(u.as_bytes())
            .records()
            .all(|r| r.unwrap()[12].is_empty())
    );
    // A cell the population lacks → a clear error naming it.
    let t = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        t.replacen(
            "wiek = \"75_plus\"\nplec = \"kobieta\"",
            "wiek = \"75_plus\"\nplec = \"mezczyzna\"",
            1,
        ),
    )
    .unwrap();
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("analyze")
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("appears twice") || err.contains("75_plus × kobieta"),
        "{err}"
    );
}

#[test]
fn tiny_samples_give_no_nan_and_say_what_is_left_out() {
    // Three respondents: groups of one, questions nobody answered (e.g. liczba_dzieci for many).
    let (_d, ws) = example_ws(3, 0);
    set_config(
        &ws,
        "suppression_threshold = 5",
        "suppression_threshold = 1",
    );
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args([
            "analyze",
            "--out",
            "r.csv",
            "--indices",
            "i.csv",
            "--tests",
            "t.csv",
        ])
        .current_dir(&ws)
        .assert()
        .success();
    for f in ["r.csv", "i.csv", "t.csv"] {
        no_nan(&std::fs::read_to_string(ws.join(f)).unwrap());
    }
    // With the default threshold every group is too small: it is said, not hidden silently.
    set_config(
        &ws,
        "suppression_threshold = 1",
        "suppression_threshold = 5",
    );
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["analyze", "--out", "r5.csv"])
        .current_dir(&ws)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        stdout.contains("left out (fewer than 5 respondents)"),
        "{stdout}"
    );
    assert!(stdout.contains("below 5, table hidden"), "{stdout}");
    no_nan(&std::fs::read_to_string(ws.join("r5.csv")).unwrap());
}

#[test]
fn weights_from_a_bdl_csv_export() {
    let (_d, ws) = example_ws(250, 0);
    std::fs::copy(
        crate::common::root().join("tests/fixtures/analysis/bdl_ludnosc_wiek_plec.csv"),
        ws.join("ludnosc.csv"),
    )
    .unwrap();
    let p = ws.join("diagnoza.toml");
    let t = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("{t}\n[population]\ncsv = \"ludnosc.csv\"\n")).unwrap();
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["analyze", "--out", "w.csv"])
        .current_dir(&ws)
        .assert()
        .success();
    let tidy = std::fs::read_to_string(ws.join("w.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(tidy.as_bytes());
    let k = rdr
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "plec" && &r[2] == "kobieta" && r[4].is_empty())
        .unwrap();
    // Adults in the fixture (single years 18+ summed independently in Python): women 4476,
    // men 4352 → the weighted share of women is 4476 / 8828.
    let w: f64 = k[12].parse().unwrap();
    assert!((w - 4476.0 / 8828.0).abs() < 1e-9, "{w}");
    // A 5-year export does not fit the 18_24 band: a clear error naming both.
    std::fs::write(
        ws.join("ludnosc.csv"),
        "\"Kod\";\"Nazwa\";\"kobiety;15-19;2024;[osoba]\";\"kobiety;20-24;2024;[osoba]\";\n\"2818022\";\"Wydminy (2)\";\"150\";\"152\";\n",
    )
    .unwrap();
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("analyze")
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("15–19") && err.contains("18_24") && err.contains("ludnosc.csv"),
        "{err}"
    );
}
