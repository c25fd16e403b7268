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

/// Issue 14 items 1–2 on the example: one entry per service, in packages, high priority for at
/// most a third, a baseline or an explicit "brak danych bazowych" for every indicator, the
/// supporting activities with offered help against needs (figures equal to the tidy table), the
/// `[programme]` block with its budget summed, IPUS, no whole question text; English too.
#[test]
fn the_programme_is_one_entry_per_service_in_packages_with_ranked_tiers() {
    let (d, ws) = example();
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["programme", "--out"])
        .arg(d.path())
        .assert()
        .success();
    let md = std::fs::read_to_string(d.path().join("program-uslug-pl.md")).unwrap();
    let rows: Vec<csv::StringRecord> =
        csv::Reader::from_path(d.path().join("program-uslug-pl.csv"))
            .unwrap()
            .records()
            .map(|r| r.unwrap())
            .collect();
    // one rank and one priority per service; the groups are rows inside it
    let mut items: std::collections::BTreeMap<String, (String, String, String)> =
        Default::default();
    for r in &rows {
        let e = items.entry(r[1].to_string()).or_insert((
            r[14].to_string(),
            r[0].to_string(),
            r[15].to_string(),
        ));
        assert_eq!(
            (&e.0, &e.1),
            (&r[14].to_string(), &r[0].to_string()),
            "{r:?}"
        );
    }
    let n = items.len();
    assert!(n >= 8, "{items:?}");
    assert!(rows.len() > n, "some service is needed by several groups");
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("#### ")).collect();
    assert_eq!(headings.len(), n, "{headings:?}");
    let uslugi = rows.iter().find(|r| &r[1] == "uslugi_opiekuncze").unwrap();
    assert_eq!(
        md.matches(&format!(". {}\n", &uslugi[2])).count(),
        1,
        "care services appear once"
    );
    let care_groups: Vec<&str> = rows
        .iter()
        .filter(|r| &r[1] == "uslugi_opiekuncze")
        .map(|r| &r[4])
        .collect();
    assert!(
        care_groups.contains(&"seniorzy") && care_groups.contains(&"seniorzy_75"),
        "{care_groups:?}"
    );
    // every item sits in a package, and its heading under that package's heading
    assert!(items.values().all(|(_, _, pk)| !pk.is_empty()), "{items:?}");
    let mut package = None;
    for l in md.lines() {
        if l.starts_with("### Pakiet") {
            package = Some(l);
        }
        if l.starts_with("#### ") {
            assert!(package.is_some(), "{l} outside a package");
        }
    }
    // tiers: high for at most a third, and the three tiers are ranked in order
    let high = items.values().filter(|(_, p, _)| p == "high").count();
    assert!(high >= 1 && high * 3 <= n, "{high} of {n} high");
    let mut ranked: Vec<(usize, &str)> = items
        .values()
        .map(|(r, p, _)| (r.parse().unwrap(), p.as_str()))
        .collect();
    ranked.sort();
    let order = |p: &str| {
        ["high", "medium", "low"]
            .iter()
            .position(|x| *x == p)
            .unwrap()
    };
    assert!(
        ranked.windows(2).all(|w| order(w[0].1) <= order(w[1].1)),
        "{ranked:?}"
    );
    assert!(
        md.contains("najwyżej jednej trzeciej pozycji"),
        "the rule is stated"
    );
    // every indicator has a baseline or says it has none
    let baselines: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| Wartość bazowa |"))
        .collect();
    assert_eq!(baselines.len(), n);
    assert!(
        baselines
            .iter()
            .all(|l| l.len() > "| Wartość bazowa |  |".len()),
        "{baselines:?}"
    );
    assert!(md.contains("brak danych bazowych — do uzupełnienia przez zespół"));
    assert!(
        md.contains("Klub seniora: Liczba: 1; Miejsca / uczestnicy: 35"),
        "desk baseline"
    );
    assert!(
        md.contains("0 przejazdów (usługa nie jest świadczona)"),
        "team baseline"
    );
    // [programme]: period, goals, strategy, budget summed (420 000 + 90 000 + 60 000 + 45 000)
    for s in [
        "2027–2030",
        "Strategia Rozwiązywania Problemów Społecznych",
        "Cele szczegółowe",
    ] {
        assert!(md.contains(s), "{s}");
    }
    assert!(md.contains("615\u{a0}000 zł"), "budget total");
    // IPUS for the groups with two or more services
    assert!(md.contains("## Indywidualne plany usług społecznych (IPUS)"));
    assert!(
        md.contains("- **Seniorzy (60+)**: Usługi opiekuńcze"),
        "{md}"
    );
    // supporting activities: lifts offered against the transport need, both counted as in the
    // tidy table
    let tidy = d.path().join("tidy.csv");
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["analyze", "--out"])
        .arg(&tidy)
        .assert()
        .success();
    let t: Vec<csv::StringRecord> = csv::Reader::from_path(&tidy)
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .collect();
    let count = |q: &str, o: &str| {
        let r = t
            .iter()
            .find(|x| &x[0] == q && &x[2] == o && x[4].is_empty())
            .unwrap();
        (r[6].to_string(), r[7].to_string())
    };
    let (lifts, _) = count("forma_pomocy", "transport_sasiedzki");
    let (need, base) = count("uslugi_dom", "transport");
    let line = md
        .lines()
        .find(|l| l.starts_with("| Podwiezienie samochodem"))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(
        line.contains(&format!("n = {lifts} (")) && line.contains(&format!("n = {need} / {base}")),
        "{line}"
    );
    assert!(md.contains("| Towarzyszenie, rozmowa, odwiedziny u osoby samotnej |"));
    assert!(md.contains("| Korepetycje, pomoc dzieciom w nauce |"));
    assert!(md.contains("organizatora społeczności lokalnej (art. 32"));
    assert!(
        md.contains("„Brak informacji o dostępnych usługach”"),
        "the top barrier"
    );
    assert!(md.contains("kampania informacyjna"), "its recommendation");
    assert!(
        md.contains("Media społecznościowe"),
        "the channels residents prefer"
    );
    // no whole question text: potential by its short name
    assert!(md.contains("gotowość do wolontariatu: "), "{md}");
    let form: toml::Value = toml::from_str(
        &std::fs::read_to_string(root().join("survey-templates/mieszkancy.toml")).unwrap(),
    )
    .unwrap();
    for q in form["survey"].as_array().unwrap() {
        if let Some(l) = q
            .get("label")
            .and_then(|l| l.get("pl"))
            .and_then(|l| l.as_str())
        {
            if l.len() > 40 {
                assert!(!md.contains(l), "whole question text: {l}");
            }
        }
    }
    // English: the same structure in the other language
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["programme", "--lang", "en", "--out"])
        .arg(d.path())
        .assert()
        .success();
    let en = std::fs::read_to_string(d.path().join("program-uslug-en.md")).unwrap();
    for s in [
        "# Draft programme of social services",
        "## Supporting activities from the local potential",
        "## Individual plans of social services (IPUS)",
        "community organiser (art. 32",
    ] {
        assert!(en.contains(s), "{s}");
    }
    assert_eq!(en.lines().filter(|l| l.starts_with("#### ")).count(), n);
}

/// `[programme] file` names a file of the workspace with the block's fields; an unknown service
/// code in it is an error naming the catalogue's codes.
#[test]
fn the_programme_block_can_live_in_a_file_it_names() {
    let (d, ws) = example();
    let cfg = std::fs::read_to_string(ws.join("diagnoza.toml")).unwrap();
    let i = cfg.find("\n[programme]").unwrap();
    std::fs::write(
        ws.join("diagnoza.toml"),
        format!("{}\n[programme]\nfile = \"program.toml\"\n", &cfg[..i]),
    )
    .unwrap();
    write(
        &ws,
        "program.toml",
        "period = \"2028–2031\"\n[services.transport]\nbudget = 1000\n",
    );
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["programme", "--out"])
        .arg(d.path())
        .assert()
        .success();
    let md = std::fs::read_to_string(d.path().join("program-uslug-pl.md")).unwrap();
    assert!(
        md.contains("| Okres realizacji programu | 2028–2031 |"),
        "{md}"
    );
    assert!(md.contains("1\u{a0}000 zł"), "{md}");
    write(&ws, "program.toml", "[services.teleportacja]\nbudget = 1\n");
    let e = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("programme")
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&e.get_output().stderr).to_string();
    assert!(
        err.contains("unknown service code(s) teleportacja"),
        "{err}"
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

/// Issue 14: a workspace made from a foreign XLSForm (no diagnoza roles, codes or areas) gets
/// catalogue errors that name `diagnoza catalogue`; after that one command it gets a programme
/// whose planted needs come first and whose figures equal the analysis.
#[test]
fn a_foreign_xlsform_gets_a_programme_after_diagnoza_catalogue() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    write(
        p,
        "form.survey.csv",
        "type,name,label\nselect_one gender,gender,Gender\nselect_one age,age_group,Age group\n\
         select_one yn,carer,Do you care for a dependent person?\n\
         select_multiple svc,services_needed,Which services does your household need?\n\
         select_one ymn,volunteer,Would you volunteer to help other residents?\n\
         text,comments,Comments\n",
    );
    write(
        p,
        "form.choices.csv",
        "list_name,name,label\ngender,f,Female\ngender,m,Male\nage,a18_39,18-39\n\
         age,a40_59,40-59\nage,a60,60 and over\nyn,yes,Yes\nyn,no,No\n\
         svc,home_care,Home care for older people\nsvc,transport,Transport to the doctor\n\
         svc,counselling,Family counselling\nsvc,none,None\nymn,yes,Yes\nymn,maybe,Maybe\nymn,no,No\n",
    );
    write(
        p,
        "form.settings.csv",
        "form_id,form_title,version\ncommunity_needs,Community needs,1\n",
    );
    diagnoza()
        .args(["template", "import"])
        .arg(p.join("form.survey.csv"))
        .arg("--out")
        .arg(p.join("wspolnota.toml"))
        .assert()
        .success();
    let ws = p.join("ws");
    diagnoza()
        .arg("init")
        .arg(&ws)
        .args(["--gmina", "Testowo", "--template"])
        .arg(p.join("wspolnota.toml"))
        .assert()
        .success();
    // 60 people aged 60+: 36 need home care (60%); 60 younger: 6 need counselling, the rest none
    let mut csv = String::from("gender,age_group,carer,services_needed,volunteer,comments\n");
    for i in 0..120 {
        let (age, need) = match i {
            0..36 => ("a60", "home_care transport"),
            36..60 => ("a60", "none"),
            60..66 => ("a18_39", "counselling"),
            _ => ("a40_59", "none"),
        };
        let g = if i % 2 == 0 { "f" } else { "m" };
        let carer = if i % 3 == 0 { "yes" } else { "no" };
        csv.push_str(&format!("{g},{age},{carer},{need},maybe,\n"));
    }
    let f = write(p, "answers.csv", &csv);
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("import")
        .arg(&f)
        .assert()
        .success();
    let e = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("programme")
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&e.get_output().stderr).to_string();
    assert!(
        err.contains("need.question 'uslugi_dom' is not a question of 'community_needs'")
            && err.contains("`diagnoza catalogue`"),
        "{err}"
    );
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("catalogue")
        .assert()
        .success();
    let out = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        out.contains("need question: services_needed (3 services)"),
        "{out}"
    );
    let cat = std::fs::read_to_string(ws.join("survey-templates/katalog-uslug.toml")).unwrap();
    // groups from the single choices, not from the potential question; transport's area comes
    // from the bundled catalogue (not social assistance)
    assert!(cat.contains("code = \"age_group_a60\""), "{cat}");
    assert!(!cat.contains("code = \"volunteer_yes\""), "{cat}");
    assert!(
        cat.contains("code = \"transport\"\nname = { pl = \"Transport to the doctor\", en = \"Transport to the doctor\" }\narea = \"niepelnosprawnosc\""),
        "{cat}"
    );
    // a second run does not overwrite the team's edits
    diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("catalogue")
        .assert()
        .code(2);
    let out = diagnoza()
        .arg("-w")
        .arg(&ws)
        .args(["programme", "--out"])
        .arg(p)
        .assert()
        .success();
    let out = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(p.join("program-uslug-pl.csv"))
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .collect();
    // home care for 60+: 36 of 60, counted independently above
    let hc = rows
        .iter()
        .find(|r| &r[1] == "home_care" && &r[4] == "age_group_a60")
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!((&hc[6], &hc[7]), ("36", "60"), "{out}");
    // counselling: 6 of 120 overall (5%) stays below the rule; it is never recommended
    assert!(!rows.iter().any(|r| &r[1] == "counselling"), "{out}");
}
