//! Proposing a questionnaire from a data file that has none (many GOPS only have a Google Forms
//! export): one question per column — few repeated values → select_one with a list, cells joined
//! with ", " or ";" or split 0/1 columns → select_multiple, numbers → integer/decimal, dates →
//! date, the rest → text; the tools' system columns (Timestamp, `_uuid` …) are left out. The result
//! is a proposal built through `validate::build`, to be reviewed by a person; it does not guess
//! roles, areas or skip logic.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;

use super::RawTable;
use super::formats::{Format, clean, detect};
use super::map::{parse_date, parse_number};
use crate::template::validate::{Sheet, SheetRow, build};
use crate::template::{Problem, Questionnaire, TemplateError};

/// A proposed questionnaire with notes on what was decided.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub form: Questionnaire,
    pub notes: Vec<String>,
}

/// Most distinct values a column may have to be proposed as a choice question.
const MAX_CHOICES: usize = 15;

/// System columns of the online tools: metadata, not questions.
fn is_system(h: &str) -> bool {
    let l = h.trim().to_lowercase();
    l.starts_with('_')
        || l.starts_with("x_")
        || l.starts_with("meta-")
        || l.starts_with("meta/")
        || matches!(
            l.as_str(),
            "" | "...1"
                | "x"
                | "unnamed: 0"
                | "timestamp"
                | "sygnatura czasowa"
                | "znacznik czasu"
                | "start"
                | "end"
                | "today"
                | "deviceid"
                | "submissiondate"
                | "key"
                | "submitterid"
                | "submittername"
                | "attachmentspresent"
                | "attachmentsexpected"
                | "status"
                | "reviewstate"
                | "edits"
                | "formversion"
                | "id"
                | "submitdate"
                | "lastpage"
                | "startlanguage"
                | "seed"
                | "startdate"
                | "datestamp"
                | "ipaddr"
                | "refurl"
                | "start time"
                | "completion time"
                | "last modified time"
                | "email"
                | "email address"
                | "adres e-mail"
                | "name"
                | "nazwa"
                | "godzina rozpoczęcia"
                | "godzina ukończenia"
                | "godzina ostatniej modyfikacji"
        )
}

/// An XLSForm name from any text: ASCII (Polish letters folded), lower case, `_` between words.
pub fn slug(s: &str) -> String {
    let fold = |c: char| match c {
        'ą' | 'Ą' => 'a',
        'ć' | 'Ć' => 'c',
        'ę' | 'Ę' => 'e',
        'ł' | 'Ł' => 'l',
        'ń' | 'Ń' => 'n',
        'ó' | 'Ó' => 'o',
        'ś' | 'Ś' => 's',
        'ź' | 'Ź' | 'ż' | 'Ż' => 'z',
        c => c.to_ascii_lowercase(),
    };
    let mut out = String::new();
    for c in s.chars().map(fold) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let mut out: String = out.trim_end_matches('_').chars().take(32).collect();
    out = out.trim_end_matches('_').to_string();
    if out.is_empty() || !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out = format!("q_{out}");
    }
    out
}

fn unique(base: String, used: &mut BTreeSet<String>) -> String {
    let mut n = base.clone();
    let mut i = 2;
    while used.contains(&n) {
        n = format!("{base}_{i}");
        i += 1;
    }
    used.insert(n.clone());
    n
}

fn is_tick(v: &str) -> bool {
    super::map::excel_date_tick(v).is_some()
        || matches!(
            v.trim().to_lowercase().as_str(),
            "" | "0" | "1" | "y" | "n" | "true" | "false" | "na" | "tak" | "nie"
        )
}

fn blank(v: &str) -> bool {
    matches!(v.trim(), "" | "NA" | "N/A" | "n/a")
}

/// What one question will be.
enum Proposed {
    One(Vec<String>),
    Multi(Vec<String>),
    Integer,
    Decimal,
    Date,
    Text,
}

/// Split a joined multiple-choice cell: `A, B` (Google), `A;B;` (Microsoft).
fn parts(v: &str, sep: &str) -> Vec<String> {
    v.split(sep)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect()
}

/// Google joins checkbox answers with ", ", so an answer whose text holds ", " comes out in two
/// parts. Glue part B to the part A before it when B starts with a lower-case letter and B never
/// appears without A just before it ("Usługi opiekuńcze, pielęgnacja").
fn merge_comma_labels(split: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let mut glue: BTreeMap<String, String> = BTreeMap::new();
    let all: BTreeSet<String> = split.iter().flatten().cloned().collect();
    for b in &all {
        if !b.chars().next().is_some_and(char::is_lowercase) {
            continue;
        }
        let mut before: BTreeSet<Option<&String>> = BTreeSet::new();
        for cell in &split {
            for (i, p) in cell.iter().enumerate() {
                if p == b {
                    before.insert(if i == 0 { None } else { cell.get(i - 1) });
                }
            }
        }
        if let [Some(a)] = before.iter().copied().collect::<Vec<_>>().as_slice() {
            glue.insert(b.clone(), (*a).clone());
        }
    }
    if glue.is_empty() {
        return split;
    }
    split
        .into_iter()
        .map(|cell| {
            let mut out: Vec<String> = Vec::new();
            for p in cell {
                match (glue.get(&p), out.last_mut()) {
                    (Some(a), Some(last)) if last.ends_with(a.as_str()) => {
                        last.push_str(", ");
                        last.push_str(&p);
                    }
                    _ => out.push(p),
                }
            }
            out
        })
        .collect()
}

fn classify(values: &[&str], format: Format) -> (Proposed, String) {
    let vals: Vec<&str> = values.iter().copied().filter(|v| !blank(v)).collect();
    if vals.is_empty() {
        return (Proposed::Text, "no answers: proposed as text".into());
    }
    if vals.iter().all(|v| parse_number(v).is_some()) {
        let whole = vals
            .iter()
            .all(|v| parse_number(v).is_some_and(|x| x.fract() == 0.0));
        return if whole {
            (Proposed::Integer, "whole numbers".into())
        } else {
            (Proposed::Decimal, "numbers".into())
        };
    }
    if vals.iter().all(|v| parse_date(v).is_some()) {
        return (Proposed::Date, "dates".into());
    }
    // Month first (M/D/YYYY, as Google Forms and US Excel write them).
    if vals.iter().all(|v| {
        let d = v.trim().split([' ', 'T']).next().unwrap_or("");
        chrono::NaiveDate::parse_from_str(d, "%m/%d/%Y").is_ok()
    }) {
        return (Proposed::Date, "dates, month first (M/D/YYYY)".into());
    }
    let distinct: BTreeSet<&str> = vals.iter().copied().collect();
    // Joined multiple choice: parts recur across rows and some cell holds several.
    for sep in [";", ", "] {
        if sep == ";"
            && !matches!(format, Format::MsForms)
            && !vals.iter().any(|v| v.trim_end().ends_with(';'))
        {
            continue;
        }
        if sep == ", " && matches!(format, Format::MsForms) {
            continue;
        }
        let split: Vec<Vec<String>> = vals.iter().map(|v| parts(v, sep)).collect();
        let split = if sep == ", " {
            merge_comma_labels(split)
        } else {
            split
        };
        let several = split.iter().filter(|p| p.len() > 1).count();
        let all_parts: BTreeSet<&String> = split.iter().flatten().collect();
        let total: usize = split.iter().map(Vec::len).sum();
        // A checkbox question with a few write-ins: the parts that recur are the choices, the
        // ones typed once go to "other".
        let mut seen: BTreeMap<&String, usize> = BTreeMap::new();
        for p in split.iter().flatten() {
            *seen.entry(p).or_default() += 1;
        }
        let once: Vec<&String> = seen
            .iter()
            .filter(|(_, n)| **n == 1)
            .map(|(p, _)| *p)
            .collect();
        let recurring = seen.len() - once.len();
        let few = (vals.len() / 5).max(3);
        if several > 0
            && (2..MAX_CHOICES).contains(&recurring)
            && !once.is_empty()
            && once.len() <= few
            // Too many answers for a list, or the ones typed once read like sentences.
            && (all_parts.len() > MAX_CHOICES
                || once.iter().all(|p| p.split_whitespace().count() >= 3))
        {
            let mut order: Vec<String> = Vec::new();
            for p in split.iter().flatten() {
                if seen[p] > 1 && !order.contains(p) {
                    order.push(p.clone());
                }
            }
            order.push("other".to_string());
            return (
                Proposed::Multi(order),
                format!(
                    "answers joined with '{}' in one cell: multiple choice; {} write-in answer(s) \
                     typed once go to 'other' (add a text question for them if they matter)",
                    sep.trim(),
                    once.len()
                ),
            );
        }
        if several > 0 && all_parts.len() <= MAX_CHOICES && all_parts.len() < total {
            let mut order: Vec<String> = Vec::new();
            for p in split.iter().flatten() {
                if !order.contains(p) {
                    order.push(p.clone());
                }
            }
            return (
                Proposed::Multi(order),
                format!(
                    "answers joined with '{}' in one cell: multiple choice",
                    sep.trim()
                ),
            );
        }
    }
    if distinct.len() <= MAX_CHOICES && distinct.len() < vals.len() {
        let mut order: Vec<String> = Vec::new();
        for v in &vals {
            if !order.iter().any(|o| o == v.trim()) {
                order.push(v.trim().to_string());
            }
        }
        return (
            Proposed::One(order),
            format!(
                "{} distinct answers, repeated: single choice",
                distinct.len()
            ),
        );
    }
    (
        Proposed::Text,
        "free text (answers mostly different)".into(),
    )
}

/// Propose a questionnaire for `table`; `id` becomes its form_id.
pub fn infer(table: &RawTable, id: &str) -> Result<Proposal> {
    if table
        .rows
        .iter()
        .all(|r| r.iter().all(|c| c.trim().is_empty()))
    {
        anyhow::bail!(
            "{}: no data rows: a questionnaire is proposed from answers",
            table.file
        );
    }
    let format = detect(&table.headers);
    let mut notes = Vec::new();
    if format != Format::Plain {
        notes.push(format!("recognised as a {}", format.name()));
    }
    let mut cleaned = table.clone();
    notes.extend(clean(&mut cleaned, format, None));
    let table = &cleaned;
    let col = |ci: usize| -> Vec<&str> {
        table
            .rows
            .iter()
            .map(|r| r.get(ci).map(String::as_str).unwrap_or(""))
            .collect()
    };
    // Split 0/1 columns `q/opt`, `q.opt`, `q[opt]` grouped by their question.
    let split_of = |h: &str| -> Option<(String, String)> {
        let h = h.trim();
        if let Some(s) = h.strip_suffix(']') {
            let (l, r) = s.rsplit_once('[')?;
            return Some((l.trim().to_string(), r.trim().to_string()));
        }
        let i = h.rfind(['/', '.'])?;
        Some((h[..i].trim().to_string(), h[i + 1..].trim().to_string()))
    };
    let mut split_groups: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
    for (ci, h) in table.headers.iter().enumerate() {
        if is_system(h) {
            continue;
        }
        if let Some((q, c)) = split_of(h) {
            if !q.is_empty() && !c.is_empty() && col(ci).iter().all(|v| is_tick(v)) {
                split_groups.entry(q).or_default().push((ci, c));
            }
        }
    }
    split_groups.retain(|_, v| v.len() >= 2);
    let split_cols: BTreeSet<usize> = split_groups.values().flatten().map(|(ci, _)| *ci).collect();

    let mut used_names = BTreeSet::new();
    let mut used_lists: BTreeMap<Vec<String>, String> = BTreeMap::new();
    let mut survey = Vec::new();
    let mut choices = Vec::new();
    let mut row = 1;
    // Lists with the same answers (in any order) are shared, e.g. the rows of a rating grid.
    let mut add_list = |name: &str, labels: &[String], choices: &mut Vec<SheetRow>| -> String {
        let mut key = labels.to_vec();
        key.sort();
        if let Some(l) = used_lists.get(&key) {
            return l.clone();
        }
        let base: String = name.chars().take(26).collect();
        let base = format!("{}_lista", base.trim_end_matches('_'));
        let mut list = base.clone();
        let mut i = 2;
        while used_lists.values().any(|v| *v == list) {
            list = format!("{base}_{i}");
            i += 1;
        }
        let mut used = BTreeSet::new();
        for l in labels {
            let name = unique(slug(l), &mut used);
            let mut cells = BTreeMap::new();
            cells.insert("list_name".to_string(), list.clone());
            cells.insert("name".to_string(), name);
            cells.insert("label".to_string(), l.clone());
            choices.push(SheetRow {
                row: choices.len() + 1,
                cells,
            });
        }
        used_lists.insert(key, list.clone());
        list
    };
    let mut done_splits = BTreeSet::new();
    for (ci, h) in table.headers.iter().enumerate() {
        let h = h.trim();
        if is_system(h) {
            if !h.is_empty() {
                notes.push(format!(
                    "column '{h}': a system column of the tool, not a question"
                ));
            }
            continue;
        }
        let mut cells = BTreeMap::new();
        if split_cols.contains(&ci) {
            let Some((q, _)) = split_of(h) else { continue };
            if !done_splits.insert(q.clone()) {
                continue;
            }
            let opts: Vec<String> = split_groups[&q].iter().map(|(_, c)| c.clone()).collect();
            let name = if crate::template::validate::valid_name(&q) && !used_names.contains(&q) {
                used_names.insert(q.clone());
                q.clone()
            } else {
                unique(slug(&q), &mut used_names)
            };
            // Choice names: the column suffixes themselves when they are valid names, so that
            // `q/opt` columns match on import.
            let list = if opts
                .iter()
                .all(|o| crate::template::validate::valid_name(o))
            {
                let list = unique(format!("{name}_lista"), &mut BTreeSet::new());
                for o in &opts {
                    let mut c = BTreeMap::new();
                    c.insert("list_name".to_string(), list.clone());
                    c.insert("name".to_string(), o.clone());
                    c.insert("label".to_string(), o.clone());
                    choices.push(SheetRow {
                        row: choices.len() + 1,
                        cells: c,
                    });
                }
                list
            } else {
                add_list(&name, &opts, &mut choices)
            };
            notes.push(format!("columns '{q}/…' ({} choices): split 0/1 columns of one multiple-choice question '{name}'", opts.len()));
            let dated = split_groups[&q]
                .iter()
                .flat_map(|(ci, _)| col(*ci))
                .filter(|v| super::map::excel_date_tick(v).is_some())
                .count();
            if dated > 0 {
                notes.push(format!(
                    "columns '{q}/…': {dated} cell(s) were dates Excel made of 0/1 (1900-01-00, \
                     1900-01-01 …): read as 0/1, and the import repairs them the same way"
                ));
            }
            cells.insert("type".to_string(), format!("select_multiple {list}"));
            cells.insert("name".to_string(), name);
            cells.insert("label".to_string(), q.clone());
            row += 1;
            survey.push(SheetRow { row, cells });
            continue;
        }
        if split_groups.contains_key(h) {
            notes.push(format!(
                "column '{h}': summary of the split columns '{h}/…', not a separate question"
            ));
            continue;
        }
        let (kind, why) = classify(&col(ci), format);
        // A grid row `Question [Row]` is named after its row.
        let grid_row = h
            .strip_suffix(']')
            .and_then(|x| x.rsplit_once(" ["))
            .map(|(_, row)| row.trim())
            .filter(|row| !row.is_empty());
        let name = if slug(h) == h && !used_names.contains(h) {
            used_names.insert(h.to_string());
            h.to_string()
        } else {
            unique(slug(grid_row.unwrap_or(h)), &mut used_names)
        };
        let ty = match &kind {
            Proposed::One(labels) => {
                format!("select_one {}", add_list(&name, labels, &mut choices))
            }
            Proposed::Multi(labels) => {
                format!("select_multiple {}", add_list(&name, labels, &mut choices))
            }
            Proposed::Integer => "integer".into(),
            Proposed::Decimal => "decimal".into(),
            Proposed::Date => "date".into(),
            Proposed::Text => "text".into(),
        };
        notes.push(format!("column '{h}' → {name} ({ty}): {why}"));
        cells.insert("type".to_string(), ty);
        cells.insert("name".to_string(), name);
        cells.insert("label".to_string(), h.to_string());
        row += 1;
        survey.push(SheetRow { row, cells });
    }
    let mut settings = BTreeMap::new();
    settings.insert("form_id".to_string(), slug(id));
    settings.insert("form_title".to_string(), id.to_string());
    settings.insert("default_language".to_string(), "pl".to_string());
    let loaded =
        build(&Sheet { rows: survey }, &Sheet { rows: choices }, &settings).map_err(|errors| {
            TemplateError {
                file: table.file.clone(),
                errors,
            }
        })?;
    let warnings: Vec<&Problem> = loaded.warnings.iter().collect();
    for w in warnings {
        notes.push(w.to_string());
    }
    Ok(Proposal {
        form: loaded.form,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(headers: &[&str], rows: &[&[&str]]) -> RawTable {
        RawTable {
            file: "g.csv".into(),
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
            detected: String::new(),
            file_hash: "h".into(),
        }
    }

    #[test]
    fn proposes_types() {
        let t = table(
            &[
                "Sygnatura czasowa",
                "Płeć",
                "Wiek",
                "Usługi",
                "Uwagi",
                "dochod",
                "pomoc/a",
                "pomoc/b",
            ],
            &[
                &[
                    "2026/10/01 10:00",
                    "Kobieta",
                    "34",
                    "Opieka, pielęgnacja, Transport",
                    "brak",
                    "1200,5",
                    "1",
                    "0",
                ],
                &[
                    "2026/10/01 11:00",
                    "Mężczyzna",
                    "51",
                    "Transport",
                    "nic",
                    "900",
                    "0",
                    "1",
                ],
                &[
                    "2026/10/01 12:00",
                    "Kobieta",
                    "70",
                    "Opieka, pielęgnacja",
                    "dużo uwag",
                    "",
                    "",
                    "",
                ],
            ],
        );
        let p = infer(&t, "Ankieta Google").unwrap();
        let f = &p.form;
        assert_eq!(f.id, "ankieta_google");
        assert!(f.question("sygnatura_czasowa").is_none());
        let plec = f.question("plec").unwrap();
        assert_eq!(plec.kind, crate::template::Kind::SelectOne);
        assert_eq!(f.list_of(plec).unwrap().choices.len(), 2);
        assert_eq!(
            f.question("wiek").unwrap().kind,
            crate::template::Kind::Integer
        );
        assert_eq!(
            f.question("dochod").unwrap().kind,
            crate::template::Kind::Decimal
        );
        assert_eq!(
            f.question("uwagi").unwrap().kind,
            crate::template::Kind::Text
        );
        let u = f.question("uslugi").unwrap();
        assert_eq!(u.kind, crate::template::Kind::SelectMultiple);
        // "Opieka, pielęgnacja" has a comma inside: "pielęgnacja" (lower case, always after
        // "Opieka") is glued back.
        let labels: Vec<&str> = f
            .list_of(u)
            .unwrap()
            .choices
            .iter()
            .map(|c| c.label["pl"].as_str())
            .collect();
        assert_eq!(labels, ["Opieka, pielęgnacja", "Transport"]);
        let pomoc = f.question("pomoc").unwrap();
        assert_eq!(pomoc.kind, crate::template::Kind::SelectMultiple);
        let codes: Vec<&str> = f
            .list_of(pomoc)
            .unwrap()
            .choices
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(codes, ["a", "b"]);
    }

    #[test]
    fn excel_dates_in_split_columns_and_month_first_dates() {
        let t = table(
            &["pomoc/a", "pomoc/b", "pomoc/c", "data"],
            &[
                &["1900-01-01", "1899-12-30", "1", "12/31/2025"],
                &["00.01.1900", "01.01.1900", "0", "1/5/2026"],
                &["0", "1", "1", "2/28/2026"],
            ],
        );
        let p = infer(&t, "x").unwrap();
        let f = &p.form;
        assert_eq!(f.questions.len(), 2, "{:?}", p.notes);
        let q = f.question("pomoc").unwrap();
        assert_eq!(q.kind, crate::template::Kind::SelectMultiple);
        assert_eq!(f.list_of(q).unwrap().choices.len(), 3);
        assert!(
            p.notes
                .iter()
                .any(|n| n.contains("4 cell(s) were dates Excel made of 0/1")),
            "{:?}",
            p.notes
        );
        assert_eq!(
            f.question("data").unwrap().kind,
            crate::template::Kind::Date
        );
    }

    #[test]
    fn checkbox_write_ins_become_other() {
        let rows: Vec<Vec<&str>> = vec![
            vec!["Transport, Opieka"],
            vec!["Opieka"],
            vec!["Transport"],
            vec!["Transport, Klub seniora"],
            vec!["Klub seniora, Opieka"],
            vec!["Opieka, Sąsiadka mi pomaga"],
            vec!["Transport, Opieka, Klub seniora"],
            vec!["Zakupy przez internet, Transport"],
        ];
        let rows: Vec<&[&str]> = rows.iter().map(|r| r.as_slice()).collect();
        let t = table(&["Czego potrzebujesz?"], &rows);
        let p = infer(&t, "x").unwrap();
        let q = &p.form.questions[0];
        assert_eq!(
            q.kind,
            crate::template::Kind::SelectMultiple,
            "{:?}",
            p.notes
        );
        let names: Vec<&str> = p
            .form
            .list_of(q)
            .unwrap()
            .choices
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert!(names.contains(&"other"), "{names:?}");
        assert_eq!(names.len(), 4, "{names:?}");
        assert!(
            p.notes.iter().any(|n| n.contains("2 write-in answer(s)")),
            "{:?}",
            p.notes
        );
        // The proposal imports its own data: write-ins count as other, with a warning.
        let m = super::super::map::map(&t, &p.form, crate::response::Channel::Google);
        let mut warned = 0;
        for r in &m.records {
            match r {
                crate::store::Record::Accepted { warnings, .. } => {
                    warned += warnings
                        .iter()
                        .filter(|i| i.expected.contains("counted as the choice 'other'"))
                        .count()
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(warned, 2);
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Płeć"), "plec");
        assert_eq!(
            slug("Jak ocenia Pan/Pani dostęp?"),
            "jak_ocenia_pan_pani_dostep"
        );
        assert_eq!(slug("12 lat"), "q_12_lat");
    }
}
