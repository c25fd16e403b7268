//! The clerk's habits (#17): the CLI speaks the workspace's language (Polish by default, English
//! on request) — help of every command, status, rejects and analyze print no word of the other
//! language; completions and man pages; `run` with no `[[imports]]` imports `imports/`; a scan
//! given to `import` is named as such.

use std::path::Path;

use crate::common::{diagnoza_in, write};

/// Every command whose help a clerk can ask for.
const COMMANDS: &[&[&str]] = &[
    &[],
    &["init"],
    &["template"],
    &["template", "list"],
    &["template", "show"],
    &["template", "check"],
    &["template", "import"],
    &["template", "export"],
    &["template", "infer"],
    &["form"],
    &["import"],
    &["verify"],
    &["status"],
    &["rejects"],
    &["analyze"],
    &["inventory"],
    &["programme"],
    &["catalogue"],
    &["report"],
    &["run"],
    &["example-data"],
    &["completions"],
    &["man"],
];

/// English words that must not appear in Polish output (none is a command, option or code
/// name of diagnoza's, so a hit is an untranslated text).
const ENGLISH: &[&str] = &[
    "the",
    "and",
    "of",
    "with",
    "for",
    "usage",
    "options",
    "commands",
    "arguments",
    "default",
    "possible",
    "print",
    "questionnaire",
    "responses",
    "stored",
    "hidden",
    "base",
    "asked",
    "weighted",
    "mean",
    "median",
    "ready",
    "groups",
    "wrote",
    "file",
    "error",
    "warning",
    "expected",
    "aliases",
    "duplicates",
    "nobody",
    "answered",
    "below",
    "area",
    "priority",
    "table",
    "cells",
    "under",
    "intervals",
    "breakdown",
    "without",
    "between",
    "differences",
    "corrected",
    "open",
    "key",
    "row",
];

/// Polish words that must not appear in English output.
const POLISH: &[&str] = &[
    "się",
    "oraz",
    "domyślnie",
    "opcje",
    "polecenia",
    "użycie",
    "wyświetl",
    "podstawa",
    "ukryte",
    "zapisane",
    "odpowiedzi",
    "katalog",
    "według",
    "albo",
    "plik",
    "pliki",
    "wiersz",
    "oczekiwano",
    "błąd",
    "klucz",
    "zadane",
    "importy",
];

fn words_of<'a>(text: &'a str, list: &[&str]) -> Vec<&'a str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| list.iter().any(|l| w.to_lowercase() == *l))
        .collect()
}

fn output(ws: &Path, lang: Option<&str>, args: &[&str]) -> String {
    let mut c = diagnoza_in();
    c.arg("-w").arg(ws).args(args);
    if let Some(l) = lang {
        c.args(["--lang", l]);
    }
    let out = c.output().expect("runs");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn assert_only(text: &str, lang: &str, what: &str) {
    let bad = words_of(text, if lang == "pl" { ENGLISH } else { POLISH });
    assert!(
        bad.is_empty(),
        "{what} ({lang}): foreign words {bad:?} in:\n{text}"
    );
}

/// A Polish workspace (init with no language anywhere) holding 60 synthetic paper
/// questionnaires and one questionnaire with a clerk's mistakes.
fn polish_workspace() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let out = diagnoza_in()
        .arg("init")
        .arg(&ws)
        .args(["--gmina", "Testowo"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("Utworzono katalog roboczy"), "{text}");
    assert!(
        text.contains("ankieta"),
        "init suggests `form` next: {text}"
    );
    assert_only(&text, "pl", "init");
    let cfg = std::fs::read_to_string(ws.join("diagnoza.toml")).unwrap();
    assert!(cfg.contains("# język raportu i komunikatów"), "{cfg}");
    diagnoza_in()
        .args([
            "example-data",
            "--paper",
            "60",
            "--online",
            "0",
            "--youth",
            "0",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    diagnoza_in()
        .arg("-w")
        .arg(&ws)
        .arg("import")
        .arg(dir.path().join("ankiety-papierowe.csv"))
        .assert()
        .success();
    (dir, ws)
}

/// A batch with the typical clerk's mistakes: K/M for sex, four ticks on a "max 3" question,
/// a number in words, a required answer left out (every column of the questionnaire present).
fn clerk_mistakes(dir: &Path) -> std::path::PathBuf {
    let src = std::fs::read(dir.join("ankiety-papierowe.csv")).unwrap();
    let text: String = src.iter().map(|&b| b as char).collect();
    let mut lines = text.lines();
    let head = lines.next().unwrap().to_string();
    let cols: Vec<&str> = head.split(';').collect();
    let base: Vec<String> = lines.next().unwrap().split(';').map(String::from).collect();
    let set = |row: &mut Vec<String>, col: &str, v: &str| {
        let i = cols.iter().position(|c| *c == col).unwrap();
        row[i] = v.to_string();
    };
    let mut rows = vec![head.clone()];
    for (nr, edit) in [
        ("0901", ("plec", "K")),
        ("0902", ("plec", "M")),
        ("0903", ("liczba_osob", "dwa")),
        ("0904", ("wiek", "")),
        (
            "0905",
            (
                "uslugi_gmina",
                "uslugi_opiekuncze rehabilitacja klub_seniora transport",
            ),
        ),
        ("0906", ("plec", "K")),
    ] {
        let mut r = base.clone();
        set(&mut r, "nr_ankiety", nr);
        set(&mut r, edit.0, edit.1);
        rows.push(r.join(";"));
    }
    write(dir, "bledy.csv", &(rows.join("\n") + "\n"))
}

#[test]
fn polish_by_default_english_on_request() {
    let (dir, ws) = polish_workspace();
    let bad = clerk_mistakes(dir.path());
    let import = output(&ws, None, &["import", bad.to_str().unwrap()]);
    assert_only(&import, "pl", "import");
    for want in [
        "wiersz 2 w Excelu (wiersz danych 1), kolumna plec",
        "wskazówka: skrót? wpisz całą odpowiedź „kobieta”",
        "wskazówka: liczbę wpisuje się cyframi (2)",
        "oczekiwano: odpowiedź (pytanie jest obowiązkowe)",
        "najwyżej 3 odpowiedzi",
        "plec: „K” ×2, „M” ×1 — oczekiwano: jedna z odpowiedzi Kobieta/Mężczyzna (kobieta/mezczyzna)",
    ] {
        assert!(import.contains(want), "{want}: {import}");
    }
    assert!(!import.contains("count-selected"), "{import}");
    let import = output(&ws, Some("en"), &["import", bad.to_str().unwrap()]);
    assert_only(&import, "en", "import again (duplicates)");
    for lang in [None, Some("en")] {
        let code = lang.unwrap_or("pl");
        for cmd in COMMANDS {
            let mut args = cmd.to_vec();
            args.push("--help");
            let text = output(&ws, lang, &args);
            assert!(!text.trim().is_empty(), "{args:?}");
            assert_only(&text, code, &format!("{args:?}"));
        }
        for cmd in ["status", "rejects", "analyze"] {
            let text = output(&ws, lang, &[cmd]);
            assert_only(&text, code, cmd);
        }
    }
    let status = output(&ws, None, &["stan"]);
    assert!(status.contains("Zapisane odpowiedzi: 60"), "{status}");
    let rejects = output(&ws, None, &["odrzucone"]);
    assert!(
        rejects.contains("wiersz 2 w Excelu (wiersz danych 1) (paper), ankieta nr 0901"),
        "{rejects}"
    );
    let rejects = output(&ws, Some("en"), &["rejects"]);
    assert!(
        rejects.contains("You can choose at most 3 answers."),
        "{rejects}"
    );
    assert!(!rejects.contains("count-selected"), "{rejects}");
    let analyze = output(&ws, None, &["analyze"]);
    assert!(analyze.contains("podstawa: n = 6"), "{analyze}");
    let analyze = output(&ws, Some("en"), &["analyze"]);
    assert!(analyze.contains("base: n = 6"), "{analyze}");
}

#[test]
fn environment_and_workspace_choose_the_language() {
    let (_dir, ws) = polish_workspace();
    // A Polish workspace stays Polish under an English environment; --lang wins.
    let mut c = diagnoza_in();
    let out = c
        .env("LANG", "en_US.UTF-8")
        .arg("-w")
        .arg(&ws)
        .arg("status")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Zapisane odpowiedzi"));
    // Outside a workspace the environment decides; unset or C means Polish.
    let out = diagnoza_in()
        .env("LANG", "en_US.UTF-8")
        .arg("--help")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage:"));
    let out = diagnoza_in()
        .env("LANG", "C.UTF-8")
        .arg("--help")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Użycie:"));
    // A usage error in Polish, exit 2.
    let out = diagnoza_in().args(["raport", "--formt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nieznany argument"));
}

#[test]
fn completions_and_man_pages() {
    let dir = tempfile::tempdir().unwrap();
    let out = diagnoza_in()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("complete") && text.contains("diagnoza"),
        "{text}"
    );
    diagnoza_in()
        .args(["--lang", "en", "man", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let page = std::fs::read_to_string(dir.path().join("diagnoza.1")).unwrap();
    assert!(page.contains(".TH") && page.contains("import"), "{page}");
    assert!(dir.path().join("diagnoza-import.1").exists());
    diagnoza_in()
        .args(["man", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let page = std::fs::read_to_string(dir.path().join("diagnoza-import.1")).unwrap();
    assert!(page.contains("Importuj odpowiedzi"), "{page}");
}

#[test]
fn run_imports_the_imports_folder_and_names_a_scan() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    diagnoza_in()
        .arg("init")
        .arg(&ws)
        .args(["--gmina", "Testowo"])
        .assert()
        .success();
    let out = diagnoza_in()
        .arg("-w")
        .arg(&ws)
        .arg("run")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("katalog") && err.contains("jest pusty"),
        "{err}"
    );
    diagnoza_in()
        .args([
            "example-data",
            "--paper",
            "40",
            "--online",
            "0",
            "--youth",
            "0",
            "--out",
        ])
        .arg(ws.join("imports"))
        .assert()
        .success();
    for other in ["instytucje.csv", "mlodziez.csv", "ankiety-online.csv"] {
        std::fs::remove_file(ws.join("imports").join(other)).unwrap();
    }
    let out = diagnoza_in()
        .arg("-w")
        .arg(&ws)
        .args(["run", "--format", "md"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("importuję wszystkie pliki"), "{text}");
    let status = output(&ws, None, &["status"]);
    assert!(status.contains("Zapisane odpowiedzi: 40"), "{status}");
    // A photo of a questionnaire saved as .csv is named, not decoded.
    let png = ws.join("skan.csv");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").unwrap();
    let out = output(&ws, None, &["import", png.to_str().unwrap()]);
    assert!(out.contains("PNG"), "{out}");
}
