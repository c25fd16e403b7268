//! Builds a checked [`Questionnaire`] from XLSForm-shaped rows (column name → cell text), whatever
//! file they came from. Accepts the spellings real files use (`label::Polski (pl)`, `label:English`,
//! `list name`, `begin group`, `select one from L`, `bind:relevant` …) and reports every error with
//! its row; things it cannot use (repeats, calculations) become warnings, never a crash.

use std::collections::{BTreeMap, BTreeSet};

use super::expr;
use super::{
    Area, Choice, ChoiceList, Group, Identifier, Kind, Labels, Loaded, Logic, Problem, Question,
    Questionnaire, Role,
};

/// One sheet of rows.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub rows: Vec<SheetRow>,
}

/// One row: its 1-based number in the source and its non-empty cells.
#[derive(Debug, Clone, Default)]
pub struct SheetRow {
    pub row: usize,
    pub cells: BTreeMap<String, String>,
}

/// A language code from an XLSForm column suffix: `Polski (pl)` → `pl`, `English` → `en`.
pub fn lang_code(s: &str) -> String {
    let s = s.trim();
    if let (Some(a), Some(b)) = (s.rfind('('), s.rfind(')')) {
        if a < b {
            return s[a + 1..b].trim().to_lowercase();
        }
    }
    match s.to_lowercase().as_str() {
        "english" | "angielski" => "en".into(),
        "polski" | "polish" => "pl".into(),
        other => other.to_string(),
    }
}

/// Split a column name into (base, language): `label::Polski (pl)` → (`label`, `pl`),
/// `label:English` → (`label`, `en`), `bind:relevant` → (`relevant`, none).
fn split_column(col: &str) -> (String, Option<String>) {
    let c = col.trim();
    let lower = c.to_lowercase();
    let aliases = [
        ("bind:relevant", "relevant"),
        ("bind:constraint", "constraint"),
        ("bind:required", "required"),
        ("bind:jr:constraintmsg", "constraint_message"),
        ("control:appearance", "appearance"),
        ("list name", "list_name"),
        ("anonymise", "identifier"),
    ];
    if let Some((_, to)) = aliases.iter().find(|(from, _)| *from == lower) {
        return (to.to_string(), None);
    }
    if let Some((base, lang)) = c.split_once("::") {
        return (base.trim().to_lowercase(), Some(lang_code(lang)));
    }
    for base in [
        "label",
        "hint",
        "constraint_message",
        "form_title",
        "required_message",
    ] {
        if let Some(rest) = lower.strip_prefix(&format!("{base}:")) {
            return (base.to_string(), Some(lang_code(rest)));
        }
    }
    (lower, None)
}

/// A row with its columns resolved.
struct Row {
    row: usize,
    plain: BTreeMap<String, String>,
    labelled: BTreeMap<String, Labels>,
    /// Original column names of the cells not interpreted, for `extra`.
    original: BTreeMap<String, String>,
}

fn resolve_row(r: &SheetRow, default_lang: &str) -> Row {
    let mut plain = BTreeMap::new();
    let mut labelled: BTreeMap<String, Labels> = BTreeMap::new();
    let mut original = BTreeMap::new();
    for (col, val) in &r.cells {
        let v = val.trim();
        if v.is_empty() {
            continue;
        }
        let (base, lang) = split_column(col);
        let translatable = matches!(
            base.as_str(),
            "label" | "hint" | "constraint_message" | "form_title"
        );
        match lang {
            Some(l) => {
                labelled.entry(base).or_default().insert(l, v.to_string());
            }
            None if translatable => {
                labelled
                    .entry(base)
                    .or_default()
                    .entry(default_lang.to_string())
                    .or_insert_with(|| v.to_string());
            }
            None => {
                plain.insert(base, v.to_string());
            }
        }
        original.insert(col.clone(), v.to_string());
    }
    Row {
        row: r.row,
        plain,
        labelled,
        original,
    }
}

const SURVEY_KNOWN: &[&str] = &[
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "appearance",
    "role",
    "area",
    "disaggregation",
    "identifier",
];

fn truthy(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "yes" | "true" | "1" | "tak" | "true()" => Some(true),
        "no" | "false" | "0" | "nie" | "false()" | "" => Some(false),
        _ => None,
    }
}

pub fn valid_name(n: &str) -> bool {
    let mut chars = n.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

enum Parsed {
    Question(Kind, Option<String>),
    BeginGroup,
    EndGroup,
    BeginRepeat,
    EndRepeat,
    Unsupported(String),
}

fn parse_type(t: &str) -> Option<Parsed> {
    let t = t.trim();
    let lower = t.to_lowercase();
    let words: Vec<&str> = t.split_whitespace().collect();
    let simple = match lower.as_str() {
        "integer" | "int" => Some(Kind::Integer),
        "decimal" => Some(Kind::Decimal),
        "text" | "string" => Some(Kind::Text),
        "date" => Some(Kind::Date),
        "note" => Some(Kind::Note),
        _ => None,
    };
    if let Some(k) = simple {
        return Some(Parsed::Question(k, None));
    }
    match lower.as_str() {
        "begin_group" | "begin group" => return Some(Parsed::BeginGroup),
        "end_group" | "end group" => return Some(Parsed::EndGroup),
        "begin_repeat" | "begin repeat" => return Some(Parsed::BeginRepeat),
        "end_repeat" | "end repeat" => return Some(Parsed::EndRepeat),
        _ => {}
    }
    // select_one L, select one L, select one from L, select all that apply from L, … or_other
    let (kind, rest): (Kind, &[&str]) = match words.as_slice() {
        ["select_one", rest @ ..] => (Kind::SelectOne, rest),
        ["select_multiple", rest @ ..] => (Kind::SelectMultiple, rest),
        ["select", "one", "from", rest @ ..] | ["select", "one", rest @ ..] => {
            (Kind::SelectOne, rest)
        }
        ["select", "all", "that", "apply", "from", rest @ ..]
        | ["select", "all", "that", "apply", rest @ ..]
        | ["select", "multiple", rest @ ..] => (Kind::SelectMultiple, rest),
        _ => {
            let known_unsupported = [
                "calculate",
                "range",
                "time",
                "datetime",
                "geopoint",
                "geotrace",
                "geoshape",
                "image",
                "audio",
                "video",
                "file",
                "barcode",
                "acknowledge",
                "hidden",
                "start",
                "end",
                "today",
                "deviceid",
                "audit",
                "rank",
                "trigger",
                "username",
                "phonenumber",
                "simserial",
                "subscriberid",
                "email",
                "background-audio",
                "xml-external",
                "select_one_from_file",
                "select_multiple_from_file",
            ];
            let first = words.first().map(|w| w.to_lowercase()).unwrap_or_default();
            if known_unsupported.contains(&first.as_str()) {
                return Some(Parsed::Unsupported(first));
            }
            return None;
        }
    };
    match rest {
        [list] => Some(Parsed::Question(kind, Some(list.to_string()))),
        [list, "or_other"] | [list, "or", "specify", "other"] => {
            Some(Parsed::Question(kind, Some(format!("{list} or_other"))))
        }
        _ => None,
    }
}

/// Build the questionnaire from its three sheets, reporting every problem.
pub fn build(
    survey: &Sheet,
    choices: &Sheet,
    settings: &BTreeMap<String, String>,
) -> Result<Loaded, Vec<Problem>> {
    let mut errors: Vec<Problem> = Vec::new();
    let mut warnings: Vec<Problem> = Vec::new();

    // settings
    let settings_row = resolve_row(
        &SheetRow {
            row: 1,
            cells: settings.clone(),
        },
        "pl",
    );
    let default_language = settings_row
        .plain
        .get("default_language")
        .map(|s| lang_code(s))
        .unwrap_or_else(|| "pl".to_string());
    let settings_row = resolve_row(
        &SheetRow {
            row: 1,
            cells: settings.clone(),
        },
        &default_language,
    );
    let id = settings_row
        .plain
        .get("form_id")
        .cloned()
        .unwrap_or_default();
    if id.is_empty() {
        errors.push(Problem {
            place: "settings".into(),
            message: "form_id is missing".into(),
        });
    } else if !valid_name(&id) {
        errors.push(Problem {
            place: "settings".into(),
            message: format!(
                "form_id '{id}' must start with a letter and hold only letters, digits, _ - ."
            ),
        });
    }
    let title = settings_row
        .labelled
        .get("form_title")
        .cloned()
        .unwrap_or_default();
    let version = settings_row
        .plain
        .get("version")
        .cloned()
        .unwrap_or_default();
    let settings_extra: BTreeMap<String, String> = settings_row
        .plain
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "form_id" | "version" | "default_language"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();

    // choices
    let mut lists: BTreeMap<String, ChoiceList> = BTreeMap::new();
    for raw in &choices.rows {
        let r = resolve_row(raw, &default_language);
        if r.plain.is_empty() && r.labelled.is_empty() {
            continue;
        }
        let Some(list) = r.plain.get("list_name").cloned() else {
            errors.push(Problem {
                place: format!("choices row {}", r.row),
                message: "list_name is missing".into(),
            });
            continue;
        };
        let place = format!("choices row {} (list {list})", r.row);
        let Some(name) = r.plain.get("name").cloned() else {
            errors.push(Problem {
                place,
                message: "name is missing".into(),
            });
            continue;
        };
        let area = match r.plain.get("area") {
            Some(a) => match Area::parse(a) {
                Some(x) => Some(x),
                None => {
                    errors.push(Problem {
                        place: place.clone(),
                        message: format!(
                            "area '{a}' is not a statutory area (expected one of: {})",
                            Area::codes().join(", ")
                        ),
                    });
                    None
                }
            },
            None => None,
        };
        let score = match r.plain.get("score") {
            Some(s) => match s.replace(',', ".").parse::<f64>() {
                Ok(x) if x.is_finite() => Some(x),
                _ => {
                    errors.push(Problem {
                        place: place.clone(),
                        message: format!("score '{s}' is not a number"),
                    });
                    None
                }
            },
            None => None,
        };
        let label = r.labelled.get("label").cloned().unwrap_or_default();
        if label.is_empty() {
            warnings.push(Problem {
                place: place.clone(),
                message: format!("choice '{name}' has no label"),
            });
        }
        let extra = r
            .original
            .iter()
            .filter(|(k, _)| {
                let (b, _) = split_column(k);
                !matches!(
                    b.as_str(),
                    "list_name" | "name" | "label" | "area" | "score"
                )
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let entry = lists.entry(list.clone()).or_insert_with(|| ChoiceList {
            name: list.clone(),
            choices: Vec::new(),
        });
        if entry.get(&name).is_some() {
            let allow = settings_row
                .plain
                .get("allow_choice_duplicates")
                .and_then(|v| truthy(v))
                .unwrap_or(false);
            if !allow {
                errors.push(Problem {
                    place,
                    message: format!("duplicate choice name '{name}' in list '{list}'"),
                });
            }
            continue;
        }
        entry.choices.push(Choice {
            name,
            label,
            area,
            score,
            extra,
            row: r.row,
        });
    }

    // survey
    let mut groups: Vec<Group> = Vec::new();
    let mut questions: Vec<Question> = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut repeat_depth = 0usize;
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    let mut used_lists: BTreeSet<String> = BTreeSet::new();
    for raw in &survey.rows {
        let r = resolve_row(raw, &default_language);
        let Some(ty) = r.plain.get("type").cloned() else {
            if !(r.plain.is_empty() && r.labelled.is_empty()) {
                errors.push(Problem {
                    place: format!("survey row {}", r.row),
                    message: "type is missing".into(),
                });
            }
            continue;
        };
        let name = r.plain.get("name").cloned().unwrap_or_default();
        let place = if name.is_empty() {
            format!("survey row {}", r.row)
        } else {
            format!("survey row {} ({name})", r.row)
        };
        let Some(parsed) = parse_type(&ty) else {
            errors.push(Problem {
                place,
                message: format!(
                    "unknown type '{ty}' (expected select_one LIST, select_multiple LIST, integer, \
                     decimal, text, date, note, begin_group, end_group)"
                ),
            });
            continue;
        };
        match parsed {
            Parsed::EndGroup => {
                if stack.pop().is_none() {
                    errors.push(Problem {
                        place,
                        message: "end_group without begin_group".into(),
                    });
                }
                continue;
            }
            Parsed::BeginRepeat => {
                repeat_depth += 1;
                warnings.push(Problem {
                    place,
                    message: "repeat groups are not supported: the questions inside are skipped"
                        .into(),
                });
                continue;
            }
            Parsed::EndRepeat => {
                repeat_depth = repeat_depth.saturating_sub(1);
                continue;
            }
            _ if repeat_depth > 0 => continue,
            Parsed::Unsupported(t) => {
                warnings.push(Problem {
                    place,
                    message: format!("type '{t}' is not used by diagnoza: the row is skipped"),
                });
                continue;
            }
            _ => {}
        }
        if name.is_empty() {
            errors.push(Problem {
                place,
                message: "name is missing".into(),
            });
            continue;
        }
        if !valid_name(&name) {
            errors.push(Problem {
                place: place.clone(),
                message: format!(
                    "name '{name}' must start with a letter or _ and hold only letters, digits, _ - ."
                ),
            });
        }
        if let Some(first) = names.insert(name.clone(), r.row) {
            errors.push(Problem {
                place: place.clone(),
                message: format!("duplicate name '{name}' (first used in survey row {first})"),
            });
        }
        let parse_logic = |col: &str, errors: &mut Vec<Problem>| -> Option<Logic> {
            let src = r.plain.get(col)?;
            match expr::parse(src) {
                Ok(e) => Some(Logic {
                    source: src.clone(),
                    expr: e,
                }),
                Err(e) => {
                    errors.push(Problem {
                        place: place.clone(),
                        message: format!("{col} '{src}': {e}"),
                    });
                    None
                }
            }
        };
        let relevant = parse_logic("relevant", &mut errors);
        let label = r.labelled.get("label").cloned().unwrap_or_default();
        if let Parsed::BeginGroup = parsed {
            groups.push(Group {
                name: name.clone(),
                label,
                relevant,
                parent: stack.last().cloned(),
                row: r.row,
            });
            stack.push(name);
            continue;
        }
        let Parsed::Question(kind, list) = parsed else {
            unreachable!("handled above")
        };
        let list = list.map(|l| {
            if let Some(base) = l.strip_suffix(" or_other") {
                warnings.push(Problem {
                    place: place.clone(),
                    message: "'or_other' is read as the plain list; add an 'other' choice and a \
                              text question instead"
                        .into(),
                });
                base.to_string()
            } else {
                l
            }
        });
        if let Some(l) = &list {
            used_lists.insert(l.clone());
            match lists.get(l) {
                None => errors.push(Problem {
                    place: place.clone(),
                    message: format!("unknown choice list '{l}' (no rows with list_name '{l}')"),
                }),
                Some(cl) if kind == Kind::SelectMultiple => {
                    for c in &cl.choices {
                        if c.name.contains(char::is_whitespace) {
                            errors.push(Problem {
                                place: format!("choices row {} (list {l})", c.row),
                                message: format!(
                                    "choice name '{}' of a select_multiple list must not contain spaces",
                                    c.name
                                ),
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        let constraint = parse_logic("constraint", &mut errors);
        let required = match r.plain.get("required") {
            Some(v) => truthy(v).unwrap_or_else(|| {
                warnings.push(Problem {
                    place: place.clone(),
                    message: format!("required '{v}' is an expression; treated as not required"),
                });
                false
            }),
            None => false,
        };
        let role = match r.plain.get("role") {
            Some(v) => Role::parse(v).or_else(|| {
                errors.push(Problem {
                    place: place.clone(),
                    message: format!(
                        "role '{v}' is unknown (expected one of: {})",
                        Role::ALL.iter().map(|r| r.0).collect::<Vec<_>>().join(", ")
                    ),
                });
                None
            }),
            None => None,
        };
        let area = match r.plain.get("area") {
            Some(v) => Area::parse(v).or_else(|| {
                errors.push(Problem {
                    place: place.clone(),
                    message: format!(
                        "area '{v}' is not a statutory area (expected one of: {})",
                        Area::codes().join(", ")
                    ),
                });
                None
            }),
            None => None,
        };
        let identifier = match r.plain.get("identifier") {
            Some(v) => Identifier::parse(v).or_else(|| {
                errors.push(Problem {
                    place: place.clone(),
                    message: format!(
                        "identifier '{v}' is unknown (expected direct, quasi or sensitive)"
                    ),
                });
                None
            }),
            None => None,
        };
        let disaggregation = match r.plain.get("disaggregation") {
            Some(v) => truthy(v).unwrap_or_else(|| {
                errors.push(Problem {
                    place: place.clone(),
                    message: format!("disaggregation '{v}': expected yes or no"),
                });
                false
            }),
            None => false,
        };
        if disaggregation && kind != Kind::SelectOne {
            errors.push(Problem {
                place: place.clone(),
                message: "disaggregation needs a select_one question (a grouping variable)".into(),
            });
        }
        let extra = r
            .original
            .iter()
            .filter(|(k, _)| !SURVEY_KNOWN.contains(&split_column(k).0.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if label.is_empty() {
            warnings.push(Problem {
                place: place.clone(),
                message: "question has no label".into(),
            });
        }
        questions.push(Question {
            name,
            kind,
            list,
            label,
            hint: r.labelled.get("hint").cloned().unwrap_or_default(),
            required,
            relevant,
            constraint,
            constraint_message: r
                .labelled
                .get("constraint_message")
                .cloned()
                .unwrap_or_default(),
            appearance: r.plain.get("appearance").cloned(),
            role,
            area,
            disaggregation,
            identifier,
            group: stack.last().cloned(),
            extra,
            row: r.row,
        });
    }
    if let Some(open) = stack.last() {
        errors.push(Problem {
            place: format!("group {open}"),
            message: "begin_group without end_group".into(),
        });
    }

    // references in relevant / constraint
    let known: BTreeMap<&str, usize> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.name.as_str(), i))
        .collect();
    let check_refs = |place: String, logic: &Logic, errors: &mut Vec<Problem>| {
        for f in logic.expr.fields() {
            if !known.contains_key(f.as_str()) {
                errors.push(Problem {
                    place: place.clone(),
                    message: format!(
                        "'{}' names question '{f}', which does not exist",
                        logic.source
                    ),
                });
            }
        }
    };
    for q in &questions {
        let place = format!("survey row {} ({})", q.row, q.name);
        for l in q.relevant.iter().chain(q.constraint.iter()) {
            check_refs(place.clone(), l, &mut errors);
        }
    }
    for g in &groups {
        if let Some(l) = &g.relevant {
            check_refs(format!("survey row {} ({})", g.row, g.name), l, &mut errors);
        }
    }
    for name in lists.keys() {
        if !used_lists.contains(name) {
            warnings.push(Problem {
                place: format!("choices list {name}"),
                message: "list is not used by any question".into(),
            });
        }
    }
    for q in &questions {
        if q.role == Some(super::Role::Need) && q.kind == Kind::SelectMultiple && q.area.is_none() {
            if let Some(l) = q.list.as_ref().and_then(|l| lists.get(l)) {
                let missing: Vec<&str> = l
                    .choices
                    .iter()
                    .filter(|c| c.area.is_none())
                    .map(|c| c.name.as_str())
                    .filter(|n| {
                        !matches!(
                            *n,
                            "brak" | "none" | "inne" | "other" | "trudno" | "nie_wiem"
                        )
                    })
                    .collect();
                if !missing.is_empty() && missing.len() < l.choices.len() {
                    warnings.push(Problem {
                        place: format!("survey row {} ({})", q.row, q.name),
                        message: format!(
                            "need question: choices without an area count in no area: {}",
                            missing.join(", ")
                        ),
                    });
                }
            }
        }
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    let mut languages: BTreeSet<String> = BTreeSet::new();
    for q in &questions {
        languages.extend(q.label.keys().cloned());
    }
    let mut langs = vec![default_language.clone()];
    langs.extend(languages.into_iter().filter(|l| *l != default_language));
    Ok(Loaded {
        form: Questionnaire {
            id,
            title,
            version,
            default_language,
            languages: langs,
            groups,
            questions,
            lists,
            settings_extra,
        },
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_spellings() {
        assert_eq!(
            split_column("label::Polski (pl)"),
            ("label".into(), Some("pl".into()))
        );
        assert_eq!(
            split_column("label:English"),
            ("label".into(), Some("en".into()))
        );
        assert_eq!(split_column("bind:relevant"), ("relevant".into(), None));
        assert_eq!(split_column("list name"), ("list_name".into(), None));
        assert_eq!(split_column("hint::en"), ("hint".into(), Some("en".into())));
    }

    #[test]
    fn legacy_types() {
        assert!(matches!(
            parse_type("select one from yn"),
            Some(Parsed::Question(Kind::SelectOne, Some(l))) if l == "yn"
        ));
        assert!(matches!(
            parse_type("select all that apply from needs"),
            Some(Parsed::Question(Kind::SelectMultiple, Some(l))) if l == "needs"
        ));
        assert!(matches!(
            parse_type("begin group"),
            Some(Parsed::BeginGroup)
        ));
        assert!(matches!(
            parse_type("int"),
            Some(Parsed::Question(Kind::Integer, None))
        ));
        assert!(matches!(
            parse_type("calculate"),
            Some(Parsed::Unsupported(_))
        ));
        assert!(parse_type("selectone x").is_none());
    }
}
