//! Issue 7: the draft programme of social services — planted needs come first, a tiny group's
//! wide interval does not produce a recommendation, every figure matches the analysis.

use crate::common::{diagnoza, example_copy, root, workspace, write};

fn example() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, ws) = example_copy();
    diagnoza().arg("-w").arg(&ws).arg("run").assert().success();
    (dir, ws)
}

#[test]
fn recommendations_follow_the_planted_needs_and_match_the_analysis() {
    let (d, ws) = example();
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["programme", "--out"])
        .arg(d.path())
        .assert()
        .success();
    let out = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let rows: Vec<csv::StringRecord> =
        csv::Reader::from_path(d.path().join("program-uslug-pl.csv"))
            .unwrap()
            .records()
            .map(|r| r.unwrap())
            .collect();
    assert!(rows.len() >= 5, "{out}");
    // The first five: care and transport for seniors, or family support for families.
    let top: Vec<(String, String)> = rows
        .iter()
        .take(5)
        .map(|r| (r[1].to_string(), r[4].to_string()))
        .collect();
    let seniors = top.iter().filter(|(s, g)| {
        matches!(s.as_str(), "transport" | "uslugi_opiekuncze") && g.starts_with("seniorzy")
    });
    assert!(seniors.count() >= 2, "{top:?}");
    assert!(
        rows.iter()
            .any(|r| &r[1] == "asystent_rodziny" && &r[4] == "rodziny_z_dziecmi"),
        "{out}"
    );
    assert!(
        rows.iter()
            .any(|r| &r[4] == "niepelnosprawni" && &r[1] == "opieka_wytchnieniowa"),
        "{out}"
    );
    // Every figure equals the analysis: the tidy table's counts for the same question and groups.
    let tidy = d.path().join("tidy.csv");
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args([
            "analyze",
            "--by",
            "wiek",
            "--by",
            "dzieci",
            "--by",
            "niepelnosprawnosc",
            "--by",
            "miejsce",
            "--by",
            "opiekun",
            "--by",
            "gospodarstwo",
            "--out",
        ])
        .arg(&tidy)
        .assert()
        .success();
    let t: Vec<csv::StringRecord> = csv::Reader::from_path(&tidy)
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .collect();
    let groups = |g: &str| -> (&str, Vec<&str>) {
        match g {
            "seniorzy" => ("wiek", vec!["60_74", "75_plus"]),
            "seniorzy_75" => ("wiek", vec!["75_plus"]),
            "niepelnosprawni" => ("niepelnosprawnosc", vec!["tak"]),
            "rodziny_z_dziecmi" => ("dzieci", vec!["tak"]),
            "mieszkancy_wsi" => ("miejsce", vec!["wies", "osada"]),
            "mlodzi_dorosli" => ("wiek", vec!["18_24", "25_34"]),
            "mlodzi" => ("wiek", vec!["18_24"]),
            "opiekunowie" => ("opiekun", vec!["tak"]),
            "samotni_rodzice" => ("gospodarstwo", vec!["samotny_rodzic"]),
            _ => ("", vec![""]),
        }
    };
    for r in &rows {
        let (var, values) = groups(&r[4]);
        let (mut n, mut base) = (0u64, 0u64);
        for v in &values {
            let row = t
                .iter()
                .find(|x| &x[0] == "uslugi_dom" && x[2] == r[1] && &x[4] == var && &x[5] == *v)
                .unwrap_or_else(|| panic!("no tidy row for {} {var}={v}", &r[1]));
            n += row[6].parse::<u64>().unwrap();
            base += row[7].parse::<u64>().unwrap();
        }
        assert_eq!(
            (r[6].parse::<u64>().unwrap(), r[7].parse::<u64>().unwrap()),
            (n, base),
            "{r:?}"
        );
        // need share's lower bound satisfies the bundled rule (min_need 0.15)
        assert!(r[9].parse::<f64>().unwrap() >= 0.15);
    }
    let md = std::fs::read_to_string(d.path().join("program-uslug-pl.md")).unwrap();
    assert!(md.contains("[do uzupełnienia przez zespół]"));
    assert!(
        md.contains("Ochotnicza Straż Pożarna w Wydminach"),
        "the ready OSP appears for transport"
    );
}

/// 6 (then 60) respondents from households with a disabled person; 5 of 6 (50 of 60) need a
/// personal assistant. With min_need = 0.5 the 6 give a share of 83% whose 95% interval starts at
/// 43.6%: no recommendation. The 60 give an interval from 72.0%: a recommendation.
#[test]
fn a_tiny_group_with_a_wide_interval_does_not_fire() {
    for (size, fires) in [(6usize, false), (60, true)] {
        let (d, ws) = workspace();
        std::fs::create_dir_all(ws.join("survey-templates")).unwrap();
        let rules =
            std::fs::read_to_string(root().join("survey-templates/reguly-rekomendacji.toml"))
                .unwrap()
                .replace("min_need = 0.15", "min_need = 0.5")
                .replace("high_need = 0.30", "high_need = 0.9")
                .replace("min_base = 20", "min_base = 1");
        write(
            &ws.join("survey-templates"),
            "reguly-rekomendacji.toml",
            &rules,
        );
        let mut csv = String::from("nr_ankiety,plec,wiek,niepelnosprawnosc,uslugi_dom\n");
        for i in 0..size {
            let need = if i < size * 5 / 6 {
                "asystent_osobisty"
            } else {
                "brak"
            };
            csv.push_str(&format!("{i},kobieta,45_59,tak,{need}\n"));
        }
        for i in 0..40 {
            csv.push_str(&format!("{},mezczyzna,25_34,nie,brak\n", 1000 + i));
        }
        let f = write(d.path(), "a.csv", &csv);
        diagnoza()
            .arg("-w")
            .arg(&ws)
            .arg("import")
            .arg(&f)
            .assert()
            .success();
        let out = diagnoza()
            .arg("-w")
            .arg(&ws)
            .args(["programme", "--lang", "en"])
            .assert()
            .success();
        let out = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        let fired = out
            .lines()
            .any(|l| l.contains("Personal assistant") || l.contains("personal assistant"));
        assert_eq!(fired, fires, "size {size}:\n{out}");
    }
}

#[test]
fn a_bad_catalogue_is_reported_with_its_place() {
    let (d, ws) = workspace();
    let _ = d;
    std::fs::create_dir_all(ws.join("survey-templates")).unwrap();
    let cat = std::fs::read_to_string(root().join("survey-templates/katalog-uslug.toml"))
        .unwrap()
        .replacen("area = \"pomoc_spoleczna\"", "area = \"opieka\"", 1);
    write(&ws.join("survey-templates"), "katalog-uslug.toml", &cat);
    let a = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("programme")
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        err.contains("katalog-uslug.toml: service")
            && err.contains("area 'opieka' is not a statutory area"),
        "{err}"
    );
}
