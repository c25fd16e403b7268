//! Real-world-shaped XLSForms written for the tests (household rosters, REACH-style needs
//! assessments): each test builds its form in code and checks what `xlsform::read` makes of it.
//! Only compiled for tests.

use std::path::{Path, PathBuf};

use super::totoml::comparable;
use super::xlsform::{read, to_xlsx};

/// Write a folder of XLSForm CSVs (survey.csv, choices.csv, settings.csv) and return its path.
pub(crate) fn csv_form(dir: &Path, survey: &str, choices: &str, settings: &str) -> PathBuf {
    let p = dir.join("form");
    std::fs::create_dir_all(&p).unwrap();
    std::fs::write(p.join("survey.csv"), survey).unwrap();
    if !choices.is_empty() {
        std::fs::write(p.join("choices.csv"), choices).unwrap();
    }
    if !settings.is_empty() {
        std::fs::write(p.join("settings.csv"), settings).unwrap();
    }
    p
}

/// A household survey with a roster: nested group inside the repeat, calculates (also inside
/// the repeat), regex constraint, `phone number`, `begin loop`, an unknown function, a label
/// naming a calculate row, skip logic on a calculate and on a roster member.
pub(crate) const HOUSEHOLD_SURVEY: &str =
    include_str!("../../tests/fixtures/interop/household/survey.csv");

pub(crate) const HOUSEHOLD_CHOICES: &str =
    include_str!("../../tests/fixtures/interop/household/choices.csv");

pub(crate) const HOUSEHOLD_SETTINGS: &str =
    include_str!("../../tests/fixtures/interop/household/settings.csv");

fn household(dir: &Path) -> super::Loaded {
    let p = csv_form(dir, HOUSEHOLD_SURVEY, HOUSEHOLD_CHOICES, HOUSEHOLD_SETTINGS);
    read(&p).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn household_roster_form_imports_with_warnings_only() {
    let d = tempfile::tempdir().unwrap();
    let l = household(d.path());
    let f = &l.form;
    let w: Vec<String> = l.warnings.iter().map(|p| p.to_string()).collect();
    let has = |s: &str| w.iter().any(|x| x.contains(s));
    assert!(
        has("survey row 2 (start): type 'start' is not asked"),
        "{w:#?}"
    );
    assert!(has("(phone): type 'phonenumber' is not asked"), "{w:#?}");
    assert!(has("(hh_ref): relevant 'pulldata("), "{w:#?}");
    assert!(has("function pulldata() is not computed"), "{w:#?}");
    assert!(
        has("(older): '${m_age} > 70' names 'm_age' inside repeat 'members'"),
        "{w:#?}"
    );
    // The roster is modelled: its questions (the nested group flattened), its count.
    let m = f.repeat("members").unwrap();
    let names: Vec<&str> = m.questions.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(names, ["m_name", "m_age", "m_disab"]);
    assert_eq!(m.questions[1].group.as_deref(), Some("person"));
    assert_eq!(m.count.as_deref(), Some("${hh_size}"));
    assert_eq!(
        f.repeat("loop1").unwrap().loop_over.as_deref(),
        Some("place")
    );
    assert!(
        f.question("m_age").is_none(),
        "members are not household questions"
    );
    // allow_choice_duplicates: no row lost.
    assert_eq!(f.lists["yn"].choices.len(), 3);
    // The form's language comes from default_language.
    assert_eq!(f.default_language, "en");
}

#[test]
fn skip_logic_on_a_calculate_row_is_evaluated() {
    let d = tempfile::tempdir().unwrap();
    let f = household(d.path()).form;
    let q = f.question("help_what").unwrap();
    let answers = |size: &'static str| {
        move |n: &str| match n {
            "hh_size" => size.to_string(),
            "needs_help" => "yes".to_string(),
            _ => String::new(),
        }
    };
    assert!(f.is_relevant(q, &answers("6")));
    assert!(!f.is_relevant(q, &answers("2")));
    assert_eq!(f.value("hh_large", &answers("5")), "yes");
    // count() over the roster: the caller gives the member count as the repeat's value.
    assert_eq!(
        f.value("n_members", &|n: &str| if n == "members" {
            "3".into()
        } else {
            String::new()
        }),
        "3"
    );
}

#[test]
fn household_form_round_trips_through_xlsx_and_toml() {
    let d = tempfile::tempdir().unwrap();
    let a = household(d.path()).form;
    let bytes = to_xlsx(&a).unwrap();
    let p = d.path().join("hh.xlsx");
    std::fs::write(&p, bytes).unwrap();
    let b = read(&p).unwrap_or_else(|e| panic!("{e}")).form;
    let mut ca = comparable(&a);
    let mut cb = comparable(&b);
    ca["title"] = serde_json::Value::Null;
    cb["title"] = serde_json::Value::Null;
    assert_eq!(ca, cb);
    let text = super::totoml::to_toml(&a, &[]);
    let c = super::load_str(&text, "hh")
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
        .form;
    assert_eq!(comparable(&a), comparable(&c));
}

#[test]
fn a_cycle_in_skip_logic_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    let p = csv_form(
        d.path(),
        "type,name,label,relevant,calculation\n\
         integer,a,A,${b} > 1,\n\
         integer,b,B,${c} > 1,\n\
         calculate,c,,,${a} + 1\n\
         integer,d,D,${d} > 1,\n",
        "",
        "form_id\ncyc\n",
    );
    let e = read(&p).unwrap_err().to_string();
    assert!(e.contains("depends on itself: a → b → c → a"), "{e}");
    assert!(e.contains("depends on itself: d → d"), "{e}");
}

#[test]
fn unbalanced_repeats_and_groups_inside_them_are_named() {
    let d = tempfile::tempdir().unwrap();
    let p = csv_form(
        d.path(),
        "type,name,label\nbegin_repeat,r,R\nbegin_group,g,G\ntext,t,T\nend_repeat,,\nend_group,,\n",
        "",
        "form_id\nbad\n",
    );
    let e = read(&p).unwrap_err().to_string();
    assert!(
        e.contains("begin_group without end_group inside repeat 'r'"),
        "{e}"
    );
    assert!(
        e.contains("survey row 6: end_group without begin_group"),
        "{e}"
    );
}

#[test]
fn a_windows_1252_french_form_is_detected_and_said() {
    let d = tempfile::tempdir().unwrap();
    let survey = "type;name;label\nselect_one on;aide;Avez-vous besoin d'aide à domicile ?\n\
                  integer;age_chef;Quel est l'âge du chef de ménage ?\n";
    let choices = "list_name;name;label\non;oui;Oui, c'est nécessaire\non;non;Non\n";
    let enc = |t: &str| encoding_rs::WINDOWS_1252.encode(t).0.into_owned();
    std::fs::write(d.path().join("enquête.survey.csv"), enc(survey)).unwrap();
    std::fs::write(d.path().join("enquête.choices.csv"), enc(choices)).unwrap();
    let l = read(&d.path().join("enquête.survey.csv")).unwrap_or_else(|e| panic!("{e}"));
    let f = &l.form;
    assert_eq!(f.default_language, "fr");
    assert_eq!(
        f.question("aide").unwrap().label["fr"],
        "Avez-vous besoin d'aide à domicile ?"
    );
    assert_eq!(
        f.lists["on"].choices[0].label["fr"],
        "Oui, c'est nécessaire"
    );
    let w: Vec<String> = l.warnings.iter().map(|p| p.to_string()).collect();
    assert!(
        w.iter()
            .any(|x| x.starts_with("file enquête.survey.csv: read as windows-1252")),
        "{w:#?}"
    );
    assert!(w.iter().any(|x| x.contains("taken as 'fr'")), "{w:#?}");
    // Forcing another encoding is obeyed (and said).
    let forced = super::xlsform::read_as(
        &d.path().join("enquête.survey.csv"),
        Some(encoding_rs::WINDOWS_1250),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        forced
            .warnings
            .iter()
            .any(|p| p.message.contains("forced by --encoding"))
    );
}

#[test]
fn choices_files_are_found_by_the_names_people_use() {
    for (survey, choices) in [
        ("questions.csv", "choices.csv"),
        ("survey.csv", "choices.csv"),
        ("msna_survey-sheet.csv", "msna_choices-sheet.csv"),
        ("msna-questions.csv", "msna-choices.csv"),
        ("form_survey.csv", "lists of choices.csv"),
    ] {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join(survey),
            "type,name,label\nselect_one yn,q,Question?\n",
        )
        .unwrap();
        std::fs::write(
            d.path().join(choices),
            "list_name,name,label\nyn,yes,Yes\nyn,no,No\n",
        )
        .unwrap();
        let l = read(&d.path().join(survey)).unwrap_or_else(|e| panic!("{survey}: {e}"));
        assert_eq!(l.form.lists["yn"].choices.len(), 2, "{survey}");
    }
    // None found: said once, beside the errors.
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("questions.csv"),
        "type,name,label\nselect_one a,q1,Q1\nselect_one b,q2,Q2\n",
    )
    .unwrap();
    let e = read(&d.path().join("questions.csv"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        e.matches("no choices file found beside questions.csv")
            .count(),
        1,
        "{e}"
    );
}
