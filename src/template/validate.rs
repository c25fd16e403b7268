//! Builds a checked [`Questionnaire`] from XLSForm-shaped rows (column name → cell text), whatever
//! file they came from. Accepts the spellings real files use (`label::Polski (pl)`, `label:English`,
//! `list name`, `begin group`, `select one from L`, `bind:relevant` …) and reports every error with
//! its row. Repeats (and `begin loop`) are modelled with their questions and kept verbatim for
//! export; `calculate` rows are kept and evaluated; other types diagnoza does not ask (geopoint,
//! start, …) are kept for export with a warning; unknown functions in expressions are warnings.
//! Dependency cycles in `relevant`/`calculation` are errors.

use std::collections::{BTreeMap, BTreeSet};

use super::expr;
use super::{
    Area, Calculate, Choice, ChoiceList, Group, Identifier, Kept, KeptRow, Kind, Labels, Loaded,
    Logic, Problem, Question, Questionnaire, Repeat, Role,
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

/// The language of a form without `default_language`: the language of its unsuffixed
/// `label` column guessed from common words, else the language of most suffixed label cells,
/// else `pl`. Returns the code and how it was found.
fn form_language(survey: &Sheet) -> (String, &'static str) {
    let mut plain: Vec<&str> = Vec::new();
    let mut suffixed: BTreeMap<String, usize> = BTreeMap::new();
    for r in &survey.rows {
        for (col, v) in &r.cells {
            match split_column(col) {
                (b, None) if b == "label" || b == "hint" => plain.push(v),
                (b, Some(l)) if b == "label" => *suffixed.entry(l).or_default() += 1,
                _ => {}
            }
        }
    }
    if !plain.is_empty() {
        return match guess_language(&plain) {
            Some(l) => (l.to_string(), "guessed from the words of the labels"),
            None => ("pl".into(), "default"),
        };
    }
    if let Some((l, _)) = suffixed
        .iter()
        .max_by_key(|(l, n)| (**n, *l == "pl", std::cmp::Reverse((*l).clone())))
    {
        return (l.clone(), "the label columns' language");
    }
    ("pl".into(), "default")
}

/// The language of some texts by their most common short words (and letters only Polish has).
pub fn guess_language(texts: &[&str]) -> Option<&'static str> {
    const WORDS: &[(&str, &[&str])] = &[
        (
            "pl",
            &[
                "i", "w", "z", "na", "się", "czy", "nie", "jest", "do", "jak", "ile", "pan",
                "pani", "osób", "lub", "oraz", "są", "dla", "jaki", "jaka",
            ],
        ),
        (
            "en",
            &[
                "the", "of", "and", "you", "your", "is", "do", "how", "what", "many", "are",
                "does", "in", "to", "any", "or", "who", "which", "have", "did",
            ],
        ),
        (
            "fr",
            &[
                "le", "la", "les", "de", "des", "vous", "est", "et", "du", "un", "une", "votre",
                "quel", "quelle", "combien", "avez", "ménage", "pour", "dans", "ou",
            ],
        ),
        (
            "es",
            &[
                "el", "la", "los", "las", "de", "usted", "es", "y", "del", "un", "una", "su",
                "cuántos", "qué", "hogar", "tiene", "para", "en", "o", "personas",
            ],
        ),
        (
            "de",
            &[
                "der", "die", "das", "und", "sie", "ist", "ihr", "ihre", "wie", "viele",
                "haushalt", "nicht", "im", "mit", "oder", "haben", "welche", "ein", "eine", "zu",
            ],
        ),
    ];
    let mut score: BTreeMap<&str, usize> = BTreeMap::new();
    for t in texts {
        let lower = t.to_lowercase();
        for w in lower.split(|c: char| !c.is_alphabetic()) {
            if w.is_empty() {
                continue;
            }
            for (lang, words) in WORDS {
                if words.contains(&w) {
                    *score.entry(lang).or_default() += 1;
                }
            }
        }
        let polish = lower.chars().filter(|c| "ąęłńśźżć".contains(*c)).count();
        *score.entry("pl").or_default() += polish;
    }
    let (lang, n) = score.into_iter().max_by_key(|(_, n)| *n)?;
    (n >= 2).then_some(lang)
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
    /// `begin loop over LIST`
    BeginLoop(String),
    EndLoop,
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
        "end_loop" | "end loop" => return Some(Parsed::EndLoop),
        // Legacy and alternative spellings pyxform accepts for types diagnoza does not ask.
        "phone number" | "phone_number" | "phonenumber" => {
            return Some(Parsed::Unsupported("phonenumber".into()));
        }
        "date time" | "date_time" | "datetime" => {
            return Some(Parsed::Unsupported("dateTime".into()));
        }
        "gps" | "location" => return Some(Parsed::Unsupported("geopoint".into())),
        "photo" | "picture" => return Some(Parsed::Unsupported("image".into())),
        _ => {}
    }
    if let ["begin" | "begin_loop", rest @ ..] = words.as_slice() {
        let rest = match rest {
            ["loop", "over", l] | ["over", l] | ["loop", l] => Some(l),
            _ => None,
        };
        if let Some(l) = rest {
            return Some(Parsed::BeginLoop(l.to_string()));
        }
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
                "select_one_external",
                "start-geopoint",
                "csv-external",
                "note_external",
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
    let default_language = match settings_row.plain.get("default_language") {
        Some(s) => lang_code(s),
        None => {
            let (lang, how) = form_language(survey);
            if lang != "pl" {
                warnings.push(Problem {
                    place: "settings".into(),
                    message: format!(
                        "no default_language: the form's language is taken as '{lang}' ({how})"
                    ),
                });
            }
            lang
        }
    };
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
                continue;
            }
            // allow_choice_duplicates: the row is kept (exported as it came); answers match
            // the first choice of that name.
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
    struct OpenRepeat {
        name: String,
        label: Labels,
        count: Option<String>,
        loop_over: Option<String>,
        parent: Option<String>,
        row: usize,
        /// Groups open inside the repeat.
        groups: Vec<String>,
        questions: Vec<Question>,
        names: BTreeMap<String, usize>,
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut questions: Vec<Question> = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut open: Vec<OpenRepeat> = Vec::new();
    let mut repeats: Vec<Repeat> = Vec::new();
    let mut kept: Vec<Kept> = Vec::new();
    let mut block: Vec<KeptRow> = Vec::new();
    let mut block_at: (Option<String>, usize) = (None, 0);
    let mut calculates: Vec<Calculate> = Vec::new();
    // Names of rows that hold no imported value: kept rows' type, repeat members' repeat.
    let mut kept_types: BTreeMap<String, String> = BTreeMap::new();
    let mut member_of: BTreeMap<String, String> = BTreeMap::new();
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
                     decimal, text, date, note, calculate, begin_group, end_group, begin_repeat, \
                     end_repeat, or another XLSForm type)"
                ),
            });
            continue;
        };
        let kept_row = KeptRow {
            plain: r.plain.clone(),
            labelled: r.labelled.clone(),
            row: r.row,
        };
        if !open.is_empty() {
            block.push(kept_row.clone());
        }
        let repeat_name = open.last().map(|o| o.name.clone());
        let parse_logic = |col: &str, errors: &mut Vec<Problem>, warnings: &mut Vec<Problem>| {
            let src = r.plain.get(col)?;
            match expr::parse(src) {
                Ok(e) => {
                    for f in e.unknown_functions() {
                        warnings.push(Problem {
                            place: place.clone(),
                            message: format!(
                                "{col} '{src}': function {f}() is not computed by diagnoza; it \
                                 counts as empty"
                            ),
                        });
                    }
                    Some(Logic {
                        source: src.clone(),
                        expr: e,
                    })
                }
                Err(e) => {
                    errors.push(Problem {
                        place: place.clone(),
                        message: format!("{col} '{src}': {e}"),
                    });
                    None
                }
            }
        };
        // Names are unique in the form's main part and within each repeat (pyxform's rule
        // is per section; one level is what real forms need).
        let mut register = |name: &str, errors: &mut Vec<Problem>, open: &mut Vec<OpenRepeat>| {
            let map = match open.last_mut() {
                Some(o) => &mut o.names,
                None => &mut names,
            };
            if let Some(first) = map.insert(name.to_string(), r.row) {
                errors.push(Problem {
                    place: place.clone(),
                    message: format!("duplicate name '{name}' (first used in survey row {first})"),
                });
            }
        };
        match &parsed {
            Parsed::EndGroup => {
                let unmatched = match open.last_mut() {
                    Some(o) => o.groups.pop().is_none(),
                    None => stack.pop().is_none(),
                };
                if unmatched {
                    errors.push(Problem {
                        place,
                        message: "end_group without begin_group".into(),
                    });
                }
                continue;
            }
            Parsed::BeginRepeat | Parsed::BeginLoop(_) => {
                if name.is_empty() {
                    errors.push(Problem {
                        place: place.clone(),
                        message: "name is missing".into(),
                    });
                } else {
                    register(&name, &mut errors, &mut open);
                }
                if open.is_empty() {
                    block = vec![kept_row];
                    block_at = (stack.last().cloned(), r.row);
                } else {
                    member_of.insert(name.clone(), open[open.len() - 1].name.clone());
                }
                let loop_over = match &parsed {
                    Parsed::BeginLoop(l) => {
                        used_lists.insert(l.clone());
                        if !lists.contains_key(l) {
                            errors.push(Problem {
                                place: place.clone(),
                                message: format!(
                                    "unknown choice list '{l}' (no rows with list_name '{l}')"
                                ),
                            });
                        }
                        Some(l.clone())
                    }
                    _ => None,
                };
                let count = r.plain.get("repeat_count").cloned();
                if let Some(c) = &count {
                    if let Err(e) = expr::parse(c) {
                        errors.push(Problem {
                            place: place.clone(),
                            message: format!("repeat_count '{c}': {e}"),
                        });
                    }
                }
                open.push(OpenRepeat {
                    name,
                    label: r.labelled.get("label").cloned().unwrap_or_default(),
                    count,
                    loop_over,
                    parent: repeat_name,
                    row: r.row,
                    groups: Vec::new(),
                    questions: Vec::new(),
                    names: BTreeMap::new(),
                });
                continue;
            }
            Parsed::EndRepeat | Parsed::EndLoop => {
                let Some(o) = open.pop() else {
                    errors.push(Problem {
                        place,
                        message: format!(
                            "{} without {}",
                            ty.trim(),
                            if matches!(parsed, Parsed::EndLoop) {
                                "begin loop"
                            } else {
                                "begin_repeat"
                            }
                        ),
                    });
                    continue;
                };
                if let Some(g) = o.groups.last() {
                    errors.push(Problem {
                        place: format!("group {g}"),
                        message: format!(
                            "begin_group without end_group inside repeat '{}'",
                            o.name
                        ),
                    });
                }
                for q in &o.questions {
                    member_of.insert(q.name.clone(), o.name.clone());
                }
                repeats.push(Repeat {
                    name: o.name,
                    label: o.label,
                    count: o.count,
                    parent: o.parent,
                    loop_over: o.loop_over,
                    questions: o.questions,
                    row: o.row,
                });
                if open.is_empty() {
                    kept.push(Kept {
                        rows: std::mem::take(&mut block),
                        group: block_at.0.clone(),
                        row: block_at.1,
                    });
                }
                continue;
            }
            Parsed::Unsupported(t) => {
                if open.is_empty() {
                    kept.push(Kept {
                        rows: vec![kept_row],
                        group: stack.last().cloned(),
                        row: r.row,
                    });
                }
                if !name.is_empty() {
                    register(&name, &mut errors, &mut open);
                    if let Some(rn) = &repeat_name {
                        member_of.insert(name.clone(), rn.clone());
                    }
                }
                if t == "calculate" {
                    if name.is_empty() {
                        errors.push(Problem {
                            place,
                            message: "name is missing".into(),
                        });
                        continue;
                    }
                    match parse_logic("calculation", &mut errors, &mut warnings) {
                        Some(calculation) => calculates.push(Calculate {
                            name,
                            calculation,
                            repeat: repeat_name,
                            row: r.row,
                        }),
                        None if !r.plain.contains_key("calculation") => errors.push(Problem {
                            place,
                            message: "a calculate row needs a calculation".into(),
                        }),
                        None => {}
                    }
                } else {
                    if !name.is_empty() {
                        kept_types.insert(name, t.clone());
                    }
                    warnings.push(Problem {
                        place,
                        message: format!(
                            "type '{t}' is not asked by diagnoza: the row is kept for export, its \
                             answers are not imported"
                        ),
                    });
                }
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
        register(&name, &mut errors, &mut open);
        let relevant = parse_logic("relevant", &mut errors, &mut warnings);
        let label = r.labelled.get("label").cloned().unwrap_or_default();
        if let Parsed::BeginGroup = parsed {
            if let Some(o) = open.last_mut() {
                // A group inside a repeat: its rows are in the repeat's block; its members
                // name it as their group.
                o.groups.push(name);
                continue;
            }
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
        let constraint = parse_logic("constraint", &mut errors, &mut warnings);
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
        let q = Question {
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
            group: match open.last() {
                Some(o) => o.groups.last().cloned(),
                None => stack.last().cloned(),
            },
            extra,
            row: r.row,
        };
        match open.last_mut() {
            Some(o) => o.questions.push(q),
            None => questions.push(q),
        }
    }
    if let Some(o) = open.last() {
        errors.push(Problem {
            place: format!("survey row {} ({})", o.row, o.name),
            message: "begin_repeat without end_repeat".into(),
        });
    }
    if let Some(open) = stack.last() {
        errors.push(Problem {
            place: format!("group {open}"),
            message: "begin_group without end_group".into(),
        });
    }

    // references in relevant / constraint / calculation
    let main: BTreeSet<&str> = questions
        .iter()
        .map(|q| q.name.as_str())
        .chain(
            calculates
                .iter()
                .filter(|c| c.repeat.is_none())
                .map(|c| c.name.as_str()),
        )
        .chain(groups.iter().map(|g| g.name.as_str()))
        .collect();
    let repeat_names: BTreeSet<&str> = repeats.iter().map(|r| r.name.as_str()).collect();
    let check_refs = |place: String,
                      logic: &Logic,
                      inside: Option<&str>,
                      errors: &mut Vec<Problem>,
                      warnings: &mut Vec<Problem>| {
        for f in logic.expr.fields() {
            if main.contains(f.as_str()) || repeat_names.contains(f.as_str()) {
                continue;
            }
            if let Some(rep) = member_of.get(&f) {
                if inside.is_none() {
                    warnings.push(Problem {
                        place: place.clone(),
                        message: format!(
                            "'{}' names '{f}' inside repeat '{rep}': outside the repeat it has no single value and counts as empty",
                            logic.source
                        ),
                    });
                }
                continue;
            }
            if let Some(t) = kept_types.get(&f) {
                warnings.push(Problem {
                    place: place.clone(),
                    message: format!(
                        "'{}' names '{f}', a {t} row whose answers diagnoza does not import: it counts as empty",
                        logic.source
                    ),
                });
                continue;
            }
            errors.push(Problem {
                place: place.clone(),
                message: format!(
                    "'{}' names question '{f}', which does not exist",
                    logic.source
                ),
            });
        }
    };
    for (q, inside) in questions.iter().map(|q| (q, None)).chain(
        repeats
            .iter()
            .flat_map(|r| r.questions.iter().map(|q| (q, Some(r.name.as_str())))),
    ) {
        let place = format!("survey row {} ({})", q.row, q.name);
        for l in q.relevant.iter().chain(q.constraint.iter()) {
            check_refs(place.clone(), l, inside, &mut errors, &mut warnings);
        }
    }
    for g in &groups {
        if let Some(l) = &g.relevant {
            check_refs(
                format!("survey row {} ({})", g.row, g.name),
                l,
                None,
                &mut errors,
                &mut warnings,
            );
        }
    }
    for c in &calculates {
        check_refs(
            format!("survey row {} ({})", c.row, c.name),
            &c.calculation,
            c.repeat.as_deref(),
            &mut errors,
            &mut warnings,
        );
    }
    // Dependency cycles: a relevant or calculation that needs its own value.
    let mut deps: BTreeMap<&str, (usize, Vec<String>)> = BTreeMap::new();
    for q in questions
        .iter()
        .chain(repeats.iter().flat_map(|r| r.questions.iter()))
    {
        if let Some(l) = &q.relevant {
            deps.insert(q.name.as_str(), (q.row, l.expr.fields()));
        }
    }
    for g in &groups {
        if let Some(l) = &g.relevant {
            deps.insert(g.name.as_str(), (g.row, l.expr.fields()));
        }
    }
    for c in &calculates {
        deps.insert(c.name.as_str(), (c.row, c.calculation.expr.fields()));
    }
    for cycle in find_cycles(&deps) {
        let row = deps.get(cycle[0].as_str()).map_or(0, |d| d.0);
        errors.push(Problem {
            place: format!("survey row {row} ({})", cycle[0]),
            message: format!(
                "skip logic or calculation depends on itself: {} (a question cannot be asked \
                 depending on its own answer)",
                cycle.join(" → ")
            ),
        });
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
    for q in questions
        .iter()
        .chain(repeats.iter().flat_map(|r| r.questions.iter()))
    {
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
            calculates,
            repeats,
            kept,
        },
        warnings,
    })
}

/// Every dependency cycle once, each as the path `a → b → a`, smallest name first.
fn find_cycles(deps: &BTreeMap<&str, (usize, Vec<String>)>) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut seen: BTreeSet<Vec<String>> = BTreeSet::new();
    // Iterative DFS from every node; graphs are a few hundred nodes.
    for &start in deps.keys() {
        let mut path: Vec<&str> = vec![start];
        let mut iters: Vec<usize> = vec![0];
        while let Some(&node) = path.last() {
            let i = *iters.last().unwrap_or(&0);
            let next = deps.get(node).and_then(|d| d.1.get(i));
            let Some(next) = next else {
                path.pop();
                iters.pop();
                continue;
            };
            if let Some(n) = iters.last_mut() {
                *n += 1;
            }
            let next = next.as_str();
            if next == start {
                let mut cyc: Vec<String> = path.iter().map(|s| s.to_string()).collect();
                let mut key = cyc.clone();
                key.sort();
                if seen.insert(key) {
                    cyc.push(start.to_string());
                    out.push(cyc);
                }
            } else if !path.contains(&next) && deps.contains_key(next) && next > start {
                path.push(next);
                iters.push(0);
            }
        }
    }
    out
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
    fn form_language_without_default_language() {
        let sheet = |cells: &[(&str, &str)]| Sheet {
            rows: vec![SheetRow {
                row: 2,
                cells: cells
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            }],
        };
        let lang = |cells: &[(&str, &str)]| form_language(&sheet(cells)).0;
        assert_eq!(
            lang(&[("label", "How many people live in your household?")]),
            "en"
        );
        assert_eq!(
            lang(&[("label", "Combien de personnes vivent dans votre ménage ?")]),
            "fr"
        );
        assert_eq!(
            lang(&[("label", "¿Cuántas personas viven en su hogar?")]),
            "es"
        );
        assert_eq!(
            lang(&[("label", "Wie viele Personen leben in Ihrem Haushalt?")]),
            "de"
        );
        assert_eq!(
            lang(&[("label", "Ile osób mieszka w gospodarstwie?")]),
            "pl"
        );
        assert_eq!(lang(&[("label::Français (fr)", "Âge")]), "fr");
        assert_eq!(
            lang(&[
                ("label::English (en)", "Age"),
                ("label::Polski (pl)", "Wiek")
            ]),
            "pl"
        );
        assert_eq!(lang(&[("label", "X1")]), "pl");
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
