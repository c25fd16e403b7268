//! The diffable text form of a questionnaire: TOML with `[settings]`, `[[survey]]` and
//! `[[choices]]` tables whose keys are XLSForm column names (`label = { pl = "…", en = "…" }` is
//! the pair of columns `label::pl`, `label::en`). Also the bundled templates and the lookup of a
//! template by name or path. Turning rows into a checked model is `validate`'s job.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::validate::{Sheet, SheetRow, build};
use super::{Loaded, Problem, TemplateError};

/// Bundled questionnaires: (name, file name, TOML text).
const BUILTIN: &[(&str, &str)] = &[
    (
        "mieszkancy",
        include_str!("../../survey-templates/mieszkancy.toml"),
    ),
    (
        "instytucje",
        include_str!("../../survey-templates/instytucje.toml"),
    ),
    (
        "mlodziez",
        include_str!("../../survey-templates/mlodziez.toml"),
    ),
];

/// Names of the bundled questionnaires.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTIN.iter().map(|b| b.0).collect()
}

/// The text of a bundled questionnaire.
pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|b| b.0 == name).map(|b| b.1)
}

/// Where a template named on the command line comes from.
#[derive(Debug, Clone)]
pub enum Source {
    File(PathBuf),
    Builtin(&'static str),
}

/// Resolve a template: a path to an existing file, a file `NAME.toml` in `dir` (a workspace's
/// `survey-templates/`), or a bundled name.
pub fn resolve(name: &str, dir: Option<&Path>) -> Option<Source> {
    let p = Path::new(name);
    if p.is_file() {
        return Some(Source::File(p.to_path_buf()));
    }
    if let Some(d) = dir {
        let f = d.join(format!("{name}.toml"));
        if f.is_file() {
            return Some(Source::File(f));
        }
    }
    BUILTIN
        .iter()
        .find(|b| b.0 == name)
        .map(|b| Source::Builtin(b.0))
}

impl Source {
    pub fn load(&self) -> anyhow::Result<Loaded> {
        match self {
            Source::File(p) => Ok(load_file(p)?),
            Source::Builtin(n) => Ok(load_str(
                builtin(n).expect("resolved name"),
                &format!("<bundled {n}>"),
            )?),
        }
    }
    pub fn describe(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Builtin(n) => format!("bundled template '{n}'"),
        }
    }
}

/// Load a questionnaire from a TOML file.
pub fn load_file(path: &Path) -> Result<Loaded, TemplateError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| TemplateError {
        file: file.clone(),
        errors: vec![Problem {
            place: "file".into(),
            message: format!("cannot read: {e}"),
        }],
    })?;
    load_str(&text, &file)
}

/// Load a questionnaire from TOML text; `file` names it in messages.
pub fn load_str(text: &str, file: &str) -> Result<Loaded, TemplateError> {
    let fail = |errors| TemplateError {
        file: file.to_string(),
        errors,
    };
    let doc: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let place = match e.span() {
            Some(s) => format!("line {}", text[..s.start].lines().count().max(1)),
            None => "file".to_string(),
        };
        fail(vec![Problem {
            place,
            message: format!("not valid TOML: {}", e.message()),
        }])
    })?;
    let mut problems = Vec::new();
    for key in doc.keys() {
        if !matches!(key.as_str(), "settings" | "survey" | "choices") {
            problems.push(Problem {
                place: format!("[{key}]"),
                message: "unknown table (expected [settings], [[survey]], [[choices]])".into(),
            });
        }
    }
    let settings = match doc.get("settings") {
        Some(toml::Value::Table(t)) => cells(t, "settings", &mut problems),
        Some(_) => {
            problems.push(Problem {
                place: "settings".into(),
                message: "must be a table".into(),
            });
            BTreeMap::new()
        }
        None => BTreeMap::new(),
    };
    let survey = sheet(&doc, "survey", &mut problems);
    let choices = sheet(&doc, "choices", &mut problems);
    if !problems.is_empty() {
        return Err(fail(problems));
    }
    build(&survey, &choices, &settings).map_err(fail)
}

fn sheet(doc: &toml::Table, key: &str, problems: &mut Vec<Problem>) -> Sheet {
    let mut rows = Vec::new();
    match doc.get(key) {
        None => {}
        Some(toml::Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let place = format!("{key} row {}", i + 1);
                match item {
                    toml::Value::Table(t) => rows.push(SheetRow {
                        row: i + 1,
                        cells: cells(t, &place, problems),
                    }),
                    _ => problems.push(Problem {
                        place,
                        message: "must be a table".into(),
                    }),
                }
            }
        }
        Some(_) => problems.push(Problem {
            place: key.to_string(),
            message: format!("must be an array of tables ([[{key}]])"),
        }),
    }
    Sheet { rows }
}

/// Flatten a TOML table into XLSForm cells.
fn cells(t: &toml::Table, place: &str, problems: &mut Vec<Problem>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (k, v) in t {
        match v {
            toml::Value::Table(inner) => {
                for (lang, text) in inner {
                    match scalar(text) {
                        Some(s) => {
                            out.insert(format!("{k}::{lang}"), s);
                        }
                        None => problems.push(Problem {
                            place: place.to_string(),
                            message: format!("{k}.{lang}: expected text"),
                        }),
                    }
                }
            }
            other => match scalar(other) {
                Some(s) => {
                    out.insert(k.clone(), s);
                }
                None => problems.push(Problem {
                    place: place.to_string(),
                    message: format!(
                        "{k}: expected text, a number, true/false or a table of labels"
                    ),
                }),
            },
        }
    }
    out
}

fn scalar(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(if *b { "yes" } else { "no" }.to_string()),
        _ => None,
    }
}
