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

/// The modules of the library from the ground floor up: a module may use modules of its own
/// layer or below, never above (ARCHITECTURE.md, "Layers").
const LAYERS: &[&[&str]] = &[
    &["issue", "lang", "output", "progress", "response", "safe"],
    &["template"],
    &["store"],
    &["form"],
    &["ingest"],
    &["workspace", "synth"],
    &["analysis"],
    &["chart", "inventory"],
    &["programme", "skeleton"],
    &["report"],
    &["diagnosis"],
    &["cmd"],
];

/// Upward imports that exist and are to be removed (each names its owner's issue); a new one
/// fails the test, and so does one of these once it is gone (so the list only shrinks).
const KNOWN_UPWARD: &[(&str, &str)] = &[
    // template::xlsform reads XLSForm workbooks with ingest's readers (#18, xlsform helper).
    ("template", "ingest"),
    // form's paper workbook shares ingest's header normalisation (#18).
    ("form", "ingest"),
];

/// The top-level modules a source text names through `crate::` paths (also inside
/// `use crate::{a, b::c}` groups), outside comments.
fn crate_uses(text: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    let code: Vec<&str> = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect();
    let code = code.join("\n");
    {
        let mut rest = code.as_str();
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // Split the group's top-level items; stop at its closing brace.
                let mut depth = 0;
                let mut item = String::new();
                let mut take = |item: &mut String| {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.insert(name);
                    }
                    item.clear();
                };
                for c in group.chars() {
                    match c {
                        '}' if depth == 0 => break,
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        ',' if depth == 0 => take(&mut item),
                        _ => item.push(c),
                    }
                }
                take(&mut item);
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
    }
    out
}

#[test]
fn no_module_imports_a_module_above_it() {
    let layer = |m: &str| {
        LAYERS
            .iter()
            .position(|l| l.contains(&m))
            .unwrap_or_else(|| panic!("module '{m}' is not in LAYERS"))
    };
    let src = crate::common::root().join("src");
    let mut upward = std::collections::BTreeSet::new();
    for (rel, bytes) in files(&src) {
        let Some(first) = rel.iter().next().and_then(|s| s.to_str()) else {
            continue;
        };
        let module = first.trim_end_matches(".rs");
        if matches!(module, "lib" | "main") {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        for used in crate_uses(&text) {
            if used != module && layer(&used) > layer(module) {
                upward.insert((module.to_string(), used, rel.display().to_string()));
            }
        }
    }
    let pairs: std::collections::BTreeSet<(&str, &str)> = upward
        .iter()
        .map(|(m, u, _)| (m.as_str(), u.as_str()))
        .collect();
    let known: std::collections::BTreeSet<(&str, &str)> = KNOWN_UPWARD.iter().copied().collect();
    let new: Vec<_> = upward
        .iter()
        .filter(|(m, u, _)| !known.contains(&(m.as_str(), u.as_str())))
        .collect();
    assert!(new.is_empty(), "upward imports: {new:?}");
    let gone: Vec<_> = known.difference(&pairs).collect();
    assert!(
        gone.is_empty(),
        "no longer imported upward, remove from KNOWN_UPWARD: {gone:?}"
    );
}

#[test]
fn crate_uses_reads_groups_and_skips_comments() {
    let text = "use crate::{analysis::{self, Results}, lang};\n// crate::cmd\nlet x = crate::output::write(p);\nuse crate::{\n    diagnosis,\n    store::Store,\n};";
    let got: Vec<String> = crate_uses(text).into_iter().collect();
    assert_eq!(got, ["analysis", "diagnosis", "lang", "output", "store"]);
}
