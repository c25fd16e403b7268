//! Architecture invariants (ARCHITECTURE.md): one diagnosis per command, typed command-line
//! values, reproducible outputs, no hidden count in any output, and the module layers.

use crate::common::{diagnoza, example_copy};

/// The `debug:` line `DIAGNOZA_DEBUG_COUNTS=1` appends to standard error.
fn counts(stderr: &[u8]) -> String {
    let s = String::from_utf8_lossy(stderr);
    s.lines()
        .rfind(|l| l.starts_with("debug: store decoded"))
        .unwrap_or_else(|| panic!("no debug counts in: {s}"))
        .to_string()
}

#[test]
fn report_and_run_decode_and_analyse_once() {
    let (_d, ws) = example_copy();
    let run = diagnoza()
        .arg("-w")
        .arg(&ws)
        .arg("run")
        .env("DIAGNOZA_DEBUG_COUNTS", "1")
        .assert()
        .success();
    let out = run.get_output();
    assert_eq!(
        counts(&out.stderr),
        "debug: store decoded 1 time(s), analysed 1 time(s)"
    );
    // `run` still prints the programme's recommendations and writes its files.
    assert!(String::from_utf8_lossy(&out.stdout).contains("recommendations (priority"));
    assert!(ws.join("reports/program-uslug-pl.csv").is_file());
    for args in [
        &["report", "--format", "html,md,docx,xlsx"][..],
        &["programme"][..],
        &["inventory"][..],
    ] {
        let a = diagnoza()
            .arg("-w")
            .arg(&ws)
            .args(args)
            .env("DIAGNOZA_DEBUG_COUNTS", "1")
            .assert()
            .success();
        assert_eq!(
            counts(&a.get_output().stderr),
            "debug: store decoded 1 time(s), analysed 1 time(s)",
            "{args:?}"
        );
    }
}

#[test]
fn unknown_lang_and_format_are_usage_errors() {
    let (_d, ws) = example_copy();
    for args in [
        &["report", "--lang", "de"][..],
        &["analyze", "--lang", "de"][..],
        &["programme", "--lang", "xx"][..],
        &["report", "--format", "pdf2"][..],
    ] {
        let a = diagnoza().arg("-w").arg(&ws).args(args).assert().code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
        assert!(err.contains("invalid value"), "{args:?}: {err}");
        assert!(err.contains("possible values"), "{args:?}: {err}");
    }
}

#[test]
fn programme_never_prints_a_count_under_the_threshold() {
    let (_d, ws) = example_copy();
    diagnoza().arg("-w").arg(&ws).arg("run").assert().success();
    // The 75+ group has 52 answers to the need question: under a threshold of 60 its count is
    // hidden, also in the note saying why it has no recommendation.
    let cfg = std::fs::read_to_string(ws.join("diagnoza.toml")).unwrap();
    let cfg = cfg.replace("suppression_threshold = 5", "suppression_threshold = 60");
    std::fs::write(ws.join("diagnoza.toml"), cfg).unwrap();
    for (lang, hidden) in [
        ("en", "fewer respondents than the suppression threshold"),
        ("pl", "mniej osób, niż wynosi próg"),
    ] {
        let a = diagnoza()
            .arg("-w")
            .arg(&ws)
            .args(["programme", "--lang", lang])
            .assert()
            .success();
        let out = String::from_utf8_lossy(&a.get_output().stdout).to_string();
        assert!(out.contains(hidden), "{out}");
        assert!(
            !out.contains("only 52") && !out.contains("tylko 52"),
            "{out}"
        );
    }
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn files(dir: &std::path::Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn every_output_of_the_example_is_byte_identical_when_written_twice() {
    let (_d, ws) = example_copy();
    let write = |out: &std::path::Path| {
        for args in [
            &["report", "--format", "html,docx,md,xlsx", "--out"][..],
            &["programme", "--out"][..],
        ] {
            diagnoza()
                .arg("-w")
                .arg(&ws)
                .args(args)
                .arg(out)
                .assert()
                .success();
        }
        for name in ["tidy.csv", "tidy.xlsx"] {
            diagnoza()
                .arg("-w")
                .arg(&ws)
                .arg("analyze")
                .arg("--out")
                .arg(out.join(name))
                .arg("--indices")
                .arg(out.join("indices.csv"))
                .arg("--tests")
                .arg(out.join("tests.csv"))
                .assert()
                .success();
        }
    };
    diagnoza().arg("-w").arg(&ws).arg("run").assert().success();
    let (a, b) = (ws.join("first"), ws.join("second"));
    write(&a);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    write(&b);
    let (fa, fb) = (files(&a), files(&b));
    for ext in ["html", "docx", "md", "xlsx", "csv", "svg"] {
        assert!(
            fa.keys().any(|p| p.extension().is_some_and(|e| e == ext)),
            "no .{ext} written"
        );
    }
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (p, bytes) in &fa {
        assert!(bytes == &fb[p], "{} differs between two runs", p.display());
    }
}
