//! Writes a [`Questionnaire`] back as the TOML text that `text::load_str` reads (one `[[survey]]`
//! table per survey row, groups re-opened and closed around their questions, labels as
//! `{ pl = "…", en = "…" }`), so that load(to_toml(model)) gives the same model. It does not
//! check the model (that is `validate`) and keeps no comments of an original file.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::{Kind, Labels, Question, Questionnaire};

/// A TOML string literal.
fn s(v: &str) -> String {
    toml::Value::String(v.to_string()).to_string()
}

/// A TOML key: bare when it can be, quoted otherwise.
fn key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        s(k)
    }
}

fn labels(l: &Labels) -> String {
    let parts: Vec<String> = l
        .iter()
        .map(|(lang, t)| format!("{} = {}", key(lang), s(t)))
        .collect();
    format!("{{ {} }}", parts.join(", "))
}

fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The XLSForm `type` cell of a question.
pub fn type_cell(q: &Question) -> String {
    match (q.kind, &q.list) {
        (Kind::SelectOne, Some(l)) => format!("select_one {l}"),
        (Kind::SelectMultiple, Some(l)) => format!("select_multiple {l}"),
        (Kind::SelectOne, None) => "select_one".into(),
        (Kind::SelectMultiple, None) => "select_multiple".into(),
        (Kind::Integer, _) => "integer".into(),
        (Kind::Decimal, _) => "decimal".into(),
        (Kind::Text, _) => "text".into(),
        (Kind::Date, _) => "date".into(),
        (Kind::Note, _) => "note".into(),
    }
}

/// One survey-sheet row as (column, cell) pairs, in XLSForm column order; labelled columns carry
/// their language table. Shared by the TOML and the XLSForm writers.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Labels(Labels),
    Bool(bool),
    Number(f64),
}

pub type RowCells = Vec<(String, Cell)>;

/// The survey sheet as rows: groups opened and closed around their members, in source order.
pub fn survey_rows(f: &Questionnaire) -> Vec<RowCells> {
    enum Item<'a> {
        Group(&'a super::Group),
        Question(&'a Question),
        Kept(&'a super::Kept),
    }
    let mut items: Vec<(usize, usize, Item)> = Vec::new();
    for (i, g) in f.groups.iter().enumerate() {
        items.push((g.row, i, Item::Group(g)));
    }
    for (i, q) in f.questions.iter().enumerate() {
        items.push((q.row, f.groups.len() + i, Item::Question(q)));
    }
    let base = f.groups.len() + f.questions.len();
    for (i, k) in f.kept.iter().enumerate() {
        items.push((k.row, base + i, Item::Kept(k)));
    }
    items.sort_by_key(|(row, i, _)| (*row, *i));
    let mut out = Vec::new();
    let mut stack: Vec<&str> = Vec::new();
    let end = |name: &str| {
        vec![
            ("type".to_string(), Cell::Text("end_group".into())),
            ("name".to_string(), Cell::Text(name.to_string())),
        ]
    };
    for (_, _, item) in &items {
        let parent = match item {
            Item::Group(g) => g.parent.as_deref(),
            Item::Question(q) => q.group.as_deref(),
            Item::Kept(k) => k.group.as_deref(),
        };
        // Close groups until the parent is on top (or nothing is open).
        while let Some(top) = stack.last() {
            if Some(*top) == parent {
                break;
            }
            // Only close when the parent is open further down, or the item is top-level.
            if parent.is_some_and(|p| !stack.contains(&p)) {
                break;
            }
            out.push(end(top));
            stack.pop();
        }
        match item {
            Item::Group(g) => {
                let mut r: RowCells = vec![
                    ("type".into(), Cell::Text("begin_group".into())),
                    ("name".into(), Cell::Text(g.name.clone())),
                ];
                if !g.label.is_empty() {
                    r.push(("label".into(), Cell::Labels(g.label.clone())));
                }
                if let Some(l) = &g.relevant {
                    r.push(("relevant".into(), Cell::Text(l.source.clone())));
                }
                out.push(r);
                stack.push(&g.name);
            }
            Item::Question(q) => out.push(question_row(q)),
            Item::Kept(k) => out.extend(k.rows.iter().map(kept_row)),
        }
    }
    while let Some(top) = stack.pop() {
        out.push(end(top));
    }
    out
}

/// A kept row as it came: type and name first, then its other cells.
fn kept_row(k: &super::KeptRow) -> RowCells {
    let mut r: RowCells = Vec::new();
    for c in ["type", "name"] {
        if let Some(v) = k.plain.get(c) {
            r.push((c.into(), Cell::Text(v.clone())));
        }
    }
    for (c, l) in &k.labelled {
        r.push((c.clone(), Cell::Labels(l.clone())));
    }
    for (c, v) in &k.plain {
        if c != "type" && c != "name" {
            r.push((c.clone(), Cell::Text(v.clone())));
        }
    }
    r
}

fn question_row(q: &Question) -> RowCells {
    let mut r: RowCells = vec![
        ("type".into(), Cell::Text(type_cell(q))),
        ("name".into(), Cell::Text(q.name.clone())),
    ];
    if !q.label.is_empty() {
        r.push(("label".into(), Cell::Labels(q.label.clone())));
    }
    if !q.hint.is_empty() {
        r.push(("hint".into(), Cell::Labels(q.hint.clone())));
    }
    if q.required {
        r.push(("required".into(), Cell::Bool(true)));
    }
    if let Some(l) = &q.relevant {
        r.push(("relevant".into(), Cell::Text(l.source.clone())));
    }
    if let Some(l) = &q.constraint {
        r.push(("constraint".into(), Cell::Text(l.source.clone())));
    }
    if !q.constraint_message.is_empty() {
        r.push((
            "constraint_message".into(),
            Cell::Labels(q.constraint_message.clone()),
        ));
    }
    if let Some(a) = &q.appearance {
        r.push(("appearance".into(), Cell::Text(a.clone())));
    }
    if let Some(x) = q.role {
        r.push(("role".into(), Cell::Text(x.code().into())));
    }
    if let Some(x) = q.area {
        r.push(("area".into(), Cell::Text(x.code().into())));
    }
    if q.disaggregation {
        r.push(("disaggregation".into(), Cell::Bool(true)));
    }
    if let Some(x) = q.identifier {
        r.push(("identifier".into(), Cell::Text(x.code().into())));
    }
    for (k, v) in &q.extra {
        r.push((k.clone(), Cell::Text(v.clone())));
    }
    r
}

/// The choices sheet as rows.
pub fn choice_rows(f: &Questionnaire) -> Vec<RowCells> {
    let mut lists: Vec<&super::ChoiceList> = f.lists.values().collect();
    lists.sort_by_key(|l| {
        (
            l.choices.first().map_or(usize::MAX, |c| c.row),
            l.name.clone(),
        )
    });
    let mut out = Vec::new();
    for l in lists {
        for c in &l.choices {
            let mut r: RowCells = vec![
                ("list_name".into(), Cell::Text(l.name.clone())),
                ("name".into(), Cell::Text(c.name.clone())),
            ];
            if !c.label.is_empty() {
                r.push(("label".into(), Cell::Labels(c.label.clone())));
            }
            if let Some(a) = c.area {
                r.push(("area".into(), Cell::Text(a.code().into())));
            }
            if let Some(x) = c.score {
                r.push(("score".into(), Cell::Number(x)));
            }
            for (k, v) in &c.extra {
                r.push((k.clone(), Cell::Text(v.clone())));
            }
            out.push(r);
        }
    }
    out
}

/// The settings sheet as one row.
pub fn settings_row(f: &Questionnaire) -> RowCells {
    let mut r: RowCells = vec![("form_id".into(), Cell::Text(f.id.clone()))];
    if !f.title.is_empty() {
        r.push(("form_title".into(), Cell::Labels(f.title.clone())));
    }
    if !f.version.is_empty() {
        r.push(("version".into(), Cell::Text(f.version.clone())));
    }
    r.push((
        "default_language".into(),
        Cell::Text(f.default_language.clone()),
    ));
    for (k, v) in &f.settings_extra {
        r.push((k.clone(), Cell::Text(v.clone())));
    }
    r
}

fn write_row(out: &mut String, table: &str, row: &RowCells) {
    let _ = writeln!(out, "[[{table}]]");
    for (k, v) in row {
        let val = match v {
            Cell::Text(t) => s(t),
            Cell::Labels(l) => labels(l),
            Cell::Bool(b) => b.to_string(),
            Cell::Number(x) => number(*x),
        };
        let _ = writeln!(out, "{} = {val}", key(k));
    }
    out.push('\n');
}

/// The questionnaire as TOML text; `header` lines are written first as comments.
pub fn to_toml(f: &Questionnaire, header: &[String]) -> String {
    let mut out = String::new();
    for h in header {
        for line in h.lines() {
            let _ = writeln!(out, "# {line}");
        }
    }
    if !header.is_empty() {
        out.push('\n');
    }
    out.push_str("[settings]\n");
    for (k, v) in settings_row(f) {
        let val = match v {
            Cell::Text(t) => s(&t),
            Cell::Labels(l) => labels(&l),
            Cell::Bool(b) => b.to_string(),
            Cell::Number(x) => number(x),
        };
        let _ = writeln!(out, "{} = {val}", key(&k));
    }
    out.push('\n');
    for r in survey_rows(f) {
        write_row(&mut out, "survey", &r);
    }
    for r in choice_rows(f) {
        write_row(&mut out, "choices", &r);
    }
    out
}

/// A comparable picture of a model without source row numbers (which differ between a TOML
/// file and a spreadsheet): what "the same questionnaire" means for round trips.
pub fn comparable(f: &Questionnaire) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.remove("row");
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(f).unwrap_or_default();
    strip(&mut v);
    v
}

/// Survey-sheet column names of a model, for writers that need a fixed header: the known
/// columns in XLSForm order with one column per language, then the extra columns.
pub fn columns(rows: &[RowCells], languages: &[String]) -> Vec<(String, Option<String>)> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut order: Vec<(String, Option<String>)> = Vec::new();
    for r in rows {
        for (k, v) in r {
            match v {
                Cell::Labels(l) => {
                    let mut langs: Vec<&String> =
                        languages.iter().filter(|x| l.contains_key(*x)).collect();
                    langs.extend(l.keys().filter(|x| !languages.contains(x)));
                    for lang in langs {
                        let id = format!("{k}::{lang}");
                        if seen.insert(id) {
                            order.push((k.clone(), Some(lang.clone())));
                        }
                    }
                }
                _ => {
                    if seen.insert(k.clone()) {
                        order.push((k.clone(), None));
                    }
                }
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{builtin, load_str};

    #[test]
    fn bundled_template_round_trips() {
        let a = load_str(builtin("mieszkancy").unwrap(), "m").unwrap().form;
        let text = to_toml(&a, &["generated".into()]);
        let b = load_str(&text, "again")
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
            .form;
        assert_eq!(comparable(&a), comparable(&b));
        // And a second pass is byte-identical.
        assert_eq!(to_toml(&b, &["generated".into()]), text);
    }

    #[test]
    fn nested_groups_and_quoting_survive() {
        let src = r#"
[settings]
form_id = "g"
[[survey]]
type = "begin_group"
name = "a"
label = "A \"quoted\""
relevant = "${x} = 'tak'"
[[survey]]
type = "begin_group"
name = "b"
[[survey]]
type = "text"
name = "t"
label = { pl = "Tekst", en = "Text" }
"chapter::x" = "c1"
[[survey]]
type = "end_group"
[[survey]]
type = "integer"
name = "n"
label = "N"
[[survey]]
type = "end_group"
[[survey]]
type = "select_one tn"
name = "x"
label = "X"
[[choices]]
list_name = "tn"
name = "tak"
label = "Tak"
score = 1.5
"#;
        let a = load_str(src, "g").unwrap().form;
        let text = to_toml(&a, &[]);
        let b = load_str(&text, "g2")
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
            .form;
        assert_eq!(comparable(&a), comparable(&b));
        assert_eq!(b.question("n").unwrap().group.as_deref(), Some("a"));
        assert_eq!(b.question("t").unwrap().group.as_deref(), Some("b"));
        assert_eq!(b.question("x").unwrap().group, None);
    }
}
