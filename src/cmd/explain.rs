//! Import problems told so that a clerk can act on them, in the CLI's language: one line per
//! problem naming the file, the spreadsheet's own row (data row + 1 for the header) or the
//! e-mail message, the column, the value and what was expected — the questionnaire's own
//! `constraint_message` in that language, or a sentence made from the limit, never the raw
//! expression — with a hint when the value is a known abbreviation (K/M, T/N) or a number written
//! in words; and a summary that collapses repeated problems ("plec: 'K' ×170, 'M' ×170 —
//! expected …"). It reads the English `expected` that ingest stores and words it anew from the
//! questionnaire; texts it does not know are shown as they are. It does not find problems.

use std::collections::BTreeMap;

use crate::issue::Issue;
use crate::lang::cli::{M, t};
use crate::lang::{Lang, fill};
use crate::template::{Kind, Question, Questionnaire};

/// The answers a question accepts, as a clerk reads them: `Kobieta/Mężczyzna (kobieta/mezczyzna)`.
fn choices(form: &Questionnaire, q: &Question, lang: Lang) -> Option<String> {
    let list = form.list_of(q)?;
    let labels: Vec<&str> = list
        .choices
        .iter()
        .map(|c| form.text(&c.label, lang.code()))
        .collect();
    let codes: Vec<&str> = list.choices.iter().map(|c| c.name.as_str()).collect();
    if list.choices.len() > 12 {
        return Some(codes.join(", "));
    }
    Some(format!("{} ({})", labels.join("/"), codes.join("/")))
}

/// What the question expects, in the language, from the questionnaire and ingest's English text.
pub fn expected(form: Option<&Questionnaire>, issue: &Issue, lang: Lang) -> String {
    let e = issue.expected.as_str();
    let q = form.and_then(|f| f.question(&issue.question).map(|q| (f, q)));
    if let Some((f, q)) = q {
        if let Some(c) = &q.constraint {
            let from_constraint = e.ends_with(&format!("({})", c.source))
                || e.contains(&c.source)
                || e.starts_with("a value from")
                || e.starts_with("a value of at")
                || (e.starts_with("at most ") && e.ends_with(" answers"));
            if from_constraint {
                return constraint(q, lang);
            }
        }
        if e.starts_with("one of ") {
            if let Some(c) = choices(f, q, lang) {
                return fill(t(lang, M::ExpOneOf), &[("choices", &c)]);
            }
        }
        if e.starts_with("a single answer") {
            if let Some(c) = choices(f, q, lang) {
                return fill(t(lang, M::ExpSingle), &[("choices", &c)]);
            }
        }
        if let Some(rest) = e.strip_prefix("codes separated by spaces or commas, each ") {
            let unknown = rest
                .rsplit_once("(not known: ")
                .map(|(_, u)| u.trim_end_matches(')'))
                .unwrap_or("");
            if let Some(c) = choices(f, q, lang) {
                return fill(
                    t(lang, M::ExpCodes),
                    &[("choices", &c), ("unknown", unknown)],
                );
            }
        }
    }
    let fixed = match e {
        "a whole number written in digits" => Some(M::ExpWhole),
        "a number written in digits (decimal comma or point)" => Some(M::ExpNumber),
        "a date such as 2026-10-05 or 05.10.2026" => Some(M::ExpDate),
        "an answer (the question is required)" => Some(M::ExpRequired),
        _ => None,
    };
    fixed
        .map(|m| t(lang, m).to_string())
        .unwrap_or_else(|| e.to_string())
}

/// A failed constraint in words: the questionnaire's message in the language, else a sentence
/// from its limits; never the expression.
pub fn constraint(q: &Question, lang: Lang) -> String {
    if let Some(m) = q.constraint_message.get(lang.code()) {
        return m.clone();
    }
    let Some(c) = &q.constraint else {
        return String::new();
    };
    let b = c.expr.bounds();
    let n = |x: f64| {
        crate::lang::num(x, lang.code())
            .trim_end_matches(",0")
            .trim_end_matches(".0")
            .to_string()
    };
    let (m, v): (M, Vec<(&str, String)>) = match (b.min, b.max, b.max_choices) {
        (_, _, Some(m)) => (M::ExpAtMostAnswers, vec![("n", n(m))]),
        (Some(lo), Some(hi), _) => (M::ExpRange, vec![("lo", n(lo)), ("hi", n(hi))]),
        (Some(lo), None, _) => (M::ExpAtLeast, vec![("lo", n(lo))]),
        (None, Some(hi), _) => (M::ExpAtMost, vec![("hi", n(hi))]),
        _ => (M::ExpCondition, vec![]),
    };
    let v: Vec<(&str, &str)> = v.iter().map(|(k, s)| (*k, s.as_str())).collect();
    fill(t(lang, m), &v)
}

/// A hint for a value a clerk typed from habit: the first letter of one answer (K for kobieta,
/// T for tak), an answer's label in the other language, or a number written in words.
pub fn hint(form: Option<&Questionnaire>, issue: &Issue, lang: Lang) -> Option<String> {
    let (f, q) = form.and_then(|f| f.question(&issue.question).map(|q| (f, q)))?;
    let v = issue.value.trim();
    if v.is_empty() {
        return None;
    }
    if matches!(q.kind, Kind::Integer | Kind::Decimal) {
        let n = number_in_words(v)?;
        return Some(fill(t(lang, M::HintDigits), &[("n", &n.to_string())]));
    }
    let list = f.list_of(q)?;
    let lower = v.to_lowercase();
    let other = if lang == Lang::Pl { "en" } else { "pl" };
    if let Some(c) = list
        .choices
        .iter()
        .find(|c| f.text(&c.label, other).to_lowercase() == lower)
    {
        return Some(fill(t(lang, M::HintOtherLanguage), &[("code", &c.name)]));
    }
    if v.chars().count() <= 2 {
        let starts: Vec<&str> = list
            .choices
            .iter()
            .filter(|c| {
                c.name.to_lowercase().starts_with(&lower)
                    || f.text(&c.label, lang.code())
                        .to_lowercase()
                        .starts_with(&lower)
            })
            .map(|c| c.name.as_str())
            .collect();
        if starts.len() == 1 {
            return Some(fill(t(lang, M::HintAbbreviation), &[("code", starts[0])]));
        }
    }
    None
}

/// A Polish or English number word up to 99 ("dwadzieścia", "dwadziescia trzy", "twelve").
fn number_in_words(v: &str) -> Option<u32> {
    const WORDS: &[(&str, u32)] = &[
        ("zero", 0),
        ("jeden", 1),
        ("jedna", 1),
        ("dwa", 2),
        ("dwie", 2),
        ("trzy", 3),
        ("cztery", 4),
        ("piec", 5),
        ("pięć", 5),
        ("szesc", 6),
        ("sześć", 6),
        ("siedem", 7),
        ("osiem", 8),
        ("dziewiec", 9),
        ("dziewięć", 9),
        ("dziesiec", 10),
        ("dziesięć", 10),
        ("jedenascie", 11),
        ("jedenaście", 11),
        ("dwanascie", 12),
        ("dwanaście", 12),
        ("trzynascie", 13),
        ("trzynaście", 13),
        ("czternascie", 14),
        ("czternaście", 14),
        ("pietnascie", 15),
        ("piętnaście", 15),
        ("szesnascie", 16),
        ("szesnaście", 16),
        ("siedemnascie", 17),
        ("siedemnaście", 17),
        ("osiemnascie", 18),
        ("osiemnaście", 18),
        ("dziewietnascie", 19),
        ("dziewiętnaście", 19),
        ("dwadziescia", 20),
        ("dwadzieścia", 20),
        ("trzydziesci", 30),
        ("trzydzieści", 30),
        ("czterdziesci", 40),
        ("czterdzieści", 40),
        ("piecdziesiat", 50),
        ("pięćdziesiąt", 50),
        ("szescdziesiat", 60),
        ("sześćdziesiąt", 60),
        ("siedemdziesiat", 70),
        ("siedemdziesiąt", 70),
        ("osiemdziesiat", 80),
        ("osiemdziesiąt", 80),
        ("dziewiecdziesiat", 90),
        ("dziewięćdziesiąt", 90),
        ("one", 1),
        ("two", 2),
        ("three", 3),
        ("four", 4),
        ("five", 5),
        ("six", 6),
        ("seven", 7),
        ("eight", 8),
        ("nine", 9),
        ("ten", 10),
        ("eleven", 11),
        ("twelve", 12),
        ("twenty", 20),
    ];
    let mut total = 0;
    let mut any = false;
    for w in v.to_lowercase().split([' ', '-']).filter(|w| !w.is_empty()) {
        total += WORDS.iter().find(|(k, _)| *k == w)?.1;
        any = true;
    }
    any.then_some(total)
}

/// One problem as a line: place (file, row in the spreadsheet or message), column, question,
/// value, what was expected, a hint. `table`: the file is a table (else e-mail messages).
pub fn line(form: Option<&Questionnaire>, issue: &Issue, lang: Lang, table: bool) -> String {
    use crate::safe::term;
    let kind = t(
        lang,
        if issue.is_error() {
            M::Error
        } else {
            M::Warning
        },
    );
    let place = if issue.row == 0 {
        term(&issue.file)
    } else if table {
        fill(
            t(lang, M::PlaceRow),
            &[
                ("file", &term(&issue.file)),
                ("excel", &(issue.row + 1).to_string()),
                ("row", &issue.row.to_string()),
            ],
        )
    } else {
        fill(
            t(lang, M::PlaceMessage),
            &[
                ("file", &term(&issue.file)),
                ("row", &issue.row.to_string()),
            ],
        )
    };
    let mut out = place;
    if !issue.column.is_empty() {
        out.push_str(&fill(
            t(lang, M::PlaceColumn),
            &[("column", &term(&issue.column))],
        ));
    }
    out.push_str(&format!(": {kind}: "));
    if !issue.question.is_empty() && issue.question != issue.column {
        out.push_str(&format!("{}: ", term(&issue.question)));
    }
    out.push_str(&fill(
        t(lang, M::ValueExpected),
        &[
            ("value", &term(&issue.value)),
            ("expected", &term(&expected(form, issue, lang))),
        ],
    ));
    if let Some(h) = hint(form, issue, lang) {
        out.push_str(&format!(" — {h}"));
    }
    out
}

/// Repeated problems collapsed: one line per question and expectation, with each value's count
/// ("plec: 'K' ×170, 'M' ×170 — expected …"), for problems seen at least `min` times.
pub fn summary(
    form: Option<&Questionnaire>,
    issues: &[&Issue],
    lang: Lang,
    min: usize,
) -> Vec<String> {
    use crate::safe::term;
    let mut groups: BTreeMap<(String, String), BTreeMap<String, usize>> = BTreeMap::new();
    let mut first: BTreeMap<(String, String), &Issue> = BTreeMap::new();
    for i in issues.iter().filter(|i| !i.question.is_empty()) {
        let key = (i.question.clone(), expected(form, i, lang));
        *groups
            .entry(key.clone())
            .or_default()
            .entry(i.value.clone())
            .or_default() += 1;
        first.entry(key).or_insert(i);
    }
    let mut out = Vec::new();
    for (key, values) in &groups {
        let total: usize = values.values().sum();
        if total < min {
            continue;
        }
        let mut vs: Vec<(&String, &usize)> = values.iter().collect();
        vs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let shown: Vec<String> = vs
            .iter()
            .take(8)
            .map(|(v, n)| match lang {
                Lang::Pl => format!("„{}” ×{n}", term(v)),
                Lang::En => format!("'{}' ×{n}", term(v)),
            })
            .collect();
        let mut text = format!(
            "  {}: {}{} — {}",
            term(&key.0),
            shown.join(", "),
            if vs.len() > 8 { ", …" } else { "" },
            fill(t(lang, M::ExpectedWord), &[("expected", &term(&key.1))])
        );
        // A hint belongs to one value: with several values each line above carries its own.
        if let Some(h) = first
            .get(key)
            .filter(|_| vs.len() == 1)
            .and_then(|i| hint(form, i, lang))
        {
            text.push_str(&format!(" — {h}"));
        }
        out.push(text);
    }
    out
}

/// One problem as the import prints it: in English the established `file:row:column: …` line
/// (data rows), in Polish [`line`] with the spreadsheet's row and the questionnaire's words.
pub fn show(form: &Questionnaire, issue: &Issue, table: bool) -> String {
    match super::ui() {
        Lang::En => {
            // The established line, but a constraint in words, never its expression.
            let mut i = issue.clone();
            if let Some(q) = form.question(&issue.question) {
                if q.constraint
                    .as_ref()
                    .is_some_and(|c| issue.expected.contains(&c.source))
                {
                    i.expected = constraint(q, Lang::En);
                }
            }
            let mut s = i.to_string();
            if let Some(h) = hint(Some(form), issue, Lang::En) {
                s.push_str(&format!(" — {h}"));
            }
            s
        }
        lang => line(Some(form), issue, lang, table),
    }
}

/// How many problems of a file the summary keeps (a million-row file with errors everywhere
/// is summarised from its first ones).
pub const SUMMARY_MAX: usize = 100_000;

/// After a file's problems, the repeated ones collapsed (printed when some problem repeats).
pub fn print_summary(form: &Questionnaire, issues: &[&Issue]) {
    let lang = super::ui();
    let lines = summary(Some(form), issues, lang, 2);
    if lines.is_empty() {
        return;
    }
    eprintln!(
        "{}",
        fill(t(lang, M::SummaryHead), &[("n", &issues.len().to_string())])
    );
    for l in lines {
        eprintln!("{l}");
    }
}

/// ingest's description of a file (encoding, separator, layout) in the CLI's language.
pub fn detected(text: &str) -> String {
    if super::ui() == Lang::En {
        return text.to_string();
    }
    let mut s = text.to_string();
    for (en, pl) in [
        ("plain table", "zwykła tabela"),
        ("with BOM", "z BOM"),
        ("';'-separated", "rozdzielany ';'"),
        ("','-separated", "rozdzielany ','"),
        ("tab-separated", "rozdzielany tabulatorem"),
        ("data-entry workbook", "skoroszyt do wpisywania"),
        ("sheet", "arkusz"),
    ] {
        s = s.replace(en, pl);
    }
    s
}
