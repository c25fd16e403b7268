//! Mapping a [`RawTable`] onto a questionnaire: which column is which question (by name, by
//! `q/choice` split columns for multiple choice, by label), parsing and checking every cell
//! (codes, labels, numbers with decimal commas, dates, required, skip logic, constraints), and
//! turning each row into an accepted response or a reject with every reason. Never panics on
//! data; never drops a row.

use std::collections::{BTreeMap, BTreeSet};

use super::RawTable;
use crate::issue::Issue;
use crate::response::{Answer, Channel, Missing, Provenance, Response};
use crate::store::Record;
use crate::template::{Kind, Question, Questionnaire};

/// Columns that carry a record's own id (paper questionnaire number, online system ids). The
/// first present and non-empty one is the key for duplicates.
pub const ID_COLUMNS: &[&str] = &[
    "_klucz",
    "nr_ankiety",
    "numer_ankiety",
    "nr",
    // Kobo's rootUuid stays the same when a submission is edited (`_uuid` changes).
    "meta/rootUuid",
    "meta-rootUuid",
    "rootUuid",
    "_uuid",
    "meta-instanceID",
    "meta/instanceID",
    "instanceID",
    "KEY",
    "_id",
    "id",
];

/// Columns kept as provenance only (not questions, not reported as unknown).
const META_COLUMNS: &[&str] = &[
    "_powod",
    "wprowadzil",
    "clerk",
    "_submission_time",
    "_index",
    "_status",
    "start",
    "end",
    "today",
    // Online tools' system columns (formats.rs): provenance, not questions.
    "__version__",
    "_version_",
    "_validation_status",
    "_notes",
    "_submitted_by",
    "_tags",
    "_attachments",
    "_geolocation",
    "_xform_id_string",
    "meta-instanceName",
    "meta/instanceName",
    "deviceid",
    "SubmissionDate",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
    "Timestamp",
    "Sygnatura czasowa",
    "Znacznik czasu",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "startdate",
    "datestamp",
    "ipaddr",
    "refurl",
    "Start time",
    "Completion time",
    "Last modified time",
    "Godzina rozpoczęcia",
    "Godzina ukończenia",
    "Godzina ostatniej modyfikacji",
    "_ignored",
];

/// How a column maps onto the questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Question(usize),
    /// One 0/1 column of a multiple-choice question: (question index, choice code).
    Split(usize, String),
    Id,
    Meta,
    Unknown,
}

/// The column plan for a table.
#[derive(Debug, Clone)]
pub struct Plan {
    pub targets: Vec<Target>,
    pub issues: Vec<Issue>,
    /// Index of the id column.
    pub id_column: Option<usize>,
    /// Every id column, most stable first: a row whose best id is blank uses the next.
    pub id_columns: Vec<usize>,
    /// Columns that are not questions and hold personal data by their name (`Email`,
    /// `Imię i nazwisko`, `Telefon`, `device_id`, …): their cells are not kept with the record.
    pub personal: BTreeSet<usize>,
    /// Questions whose skip condition refers to a question without a column: whether they were
    /// asked is unknown, so their answers are kept as given (one warning per question).
    pub relevance_unknown: BTreeSet<usize>,
}

/// Result of mapping a whole table.
#[derive(Debug, Clone)]
pub struct Mapped {
    pub records: Vec<Record>,
    /// About the file as a whole (unknown or missing columns).
    pub file_issues: Vec<Issue>,
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Work out which column is which question.
pub fn plan(table: &RawTable, form: &Questionnaire) -> Plan {
    plan_with(table, form, &table.headers)
}

/// [`plan`] with the names to match given apart from the headers (`formats` resolves group
/// prefixes, R-mangled and bracketed headers and a mapping file into them; messages keep the
/// file's headers).
pub fn plan_with(table: &RawTable, form: &Questionnaire, names: &[String]) -> Plan {
    let mut targets = Vec::with_capacity(table.headers.len());
    let mut issues = Vec::new();
    let questions: Vec<&Question> = form.questions.iter().collect();
    let by_name: BTreeMap<String, usize> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| (norm(&q.name), i))
        .collect();
    let mut by_label: BTreeMap<String, usize> = BTreeMap::new();
    for (i, q) in questions.iter().enumerate() {
        for l in q.label.values() {
            by_label.entry(norm(l)).or_insert(i);
        }
    }
    let mut personal = BTreeSet::new();
    let mut id_column: Option<(usize, usize)> = None;
    let mut id_ranked: Vec<(usize, usize)> = Vec::new();
    for (ci, file_header) in table.headers.iter().enumerate() {
        let h = names.get(ci).unwrap_or(file_header);
        let hn = norm(h);
        let t = if let Some(&i) = by_name.get(&hn) {
            if questions[i].kind == Kind::Note {
                Target::Meta
            } else {
                Target::Question(i)
            }
        } else if let Some((q, c)) = split_header(h, form) {
            let i = questions
                .iter()
                .position(|x| x.name == q)
                .expect("split_header found it");
            Target::Split(i, c)
        } else if let Some(rank) = ID_COLUMNS.iter().position(|c| norm(c) == hn) {
            // The most specific id wins (`_uuid` over Kobo's server-local `_id`).
            id_ranked.push((rank, ci));
            if id_column.is_none_or(|(r, _)| rank < r) {
                id_column = Some((rank, ci));
            }
            Target::Id
        } else if crate::safe::is_personal_column(h) && !by_label.contains_key(&hn) {
            personal.insert(ci);
            issues.push(Issue::warning(
                &table.file,
                0,
                file_header,
                "",
                "",
                "no personal data in columns that are not questions: the column looks like personal data (a name, e-mail, phone, device or IP address), so its cells are not stored",
            ));
            Target::Meta
        } else if META_COLUMNS.iter().any(|c| norm(c) == hn) || hn.is_empty() {
            Target::Meta
        } else if let Some(&i) = by_label.get(&hn) {
            Target::Question(i)
        } else {
            Target::Unknown
        };
        if t == Target::Unknown {
            issues.push(Issue::warning(
                &table.file,
                0,
                file_header,
                "",
                file_header,
                "a question name of the questionnaire: the column is not imported (its cells \
                 are kept with each record)",
            ));
        }
        targets.push(t);
    }
    // A question named twice: keep the first column.
    let mut seen = BTreeSet::new();
    for (ci, t) in targets.iter_mut().enumerate() {
        if let Target::Question(i) = t {
            if !seen.insert(*i) {
                issues.push(Issue::warning(
                    &table.file,
                    0,
                    &table.headers[ci],
                    &questions[*i].name,
                    &table.headers[ci],
                    "one column per question: this second column is not imported",
                ));
                *t = Target::Meta;
            }
        }
    }
    for (i, q) in questions.iter().enumerate() {
        if q.kind == Kind::Note {
            continue;
        }
        let present = targets.iter().any(|t| match t {
            Target::Question(j) | Target::Split(j, _) => *j == i,
            _ => false,
        });
        if !present {
            issues.push(Issue::warning(
                &table.file,
                0,
                "",
                &q.name,
                "",
                "a column for this question: it is missing, so every record counts it as not answered",
            ));
        }
    }
    // A skip condition on a question the file has no column for cannot be evaluated: the
    // dependent question's answers are kept (relevance unknown), with one warning.
    let present: BTreeSet<&str> = targets
        .iter()
        .filter_map(|t| match t {
            Target::Question(j) | Target::Split(j, _) => Some(questions[*j].name.as_str()),
            _ => None,
        })
        .collect();
    let mut relevance_unknown = BTreeSet::new();
    for (i, q) in questions.iter().enumerate() {
        if q.kind == Kind::Note {
            continue;
        }
        let absent: BTreeSet<String> = form
            .conditions(q)
            .iter()
            .flat_map(|l| l.expr.fields())
            .filter(|f| form.question(f).is_some() && !present.contains(f.as_str()))
            .collect();
        if !absent.is_empty() && present.contains(q.name.as_str()) {
            relevance_unknown.insert(i);
            let column = targets
                .iter()
                .position(|t| matches!(t, Target::Question(j) | Target::Split(j, _) if *j == i))
                .map(|ci| table.headers[ci].as_str())
                .unwrap_or("");
            issues.push(Issue::warning(
                &table.file,
                0,
                column,
                &q.name,
                "",
                format!(
                    "a column for {} (its skip logic depends on it): whether this question was asked is unknown, so its answers are kept as given and blanks count as not asked",
                    absent.into_iter().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }
    id_ranked.sort();
    Plan {
        targets,
        issues,
        id_column: id_column.map(|(_, ci)| ci),
        id_columns: id_ranked.into_iter().map(|(_, ci)| ci).collect(),
        personal,
        relevance_unknown,
    }
}

/// `q/choice`, `q.choice`, `q[choice]` or `group/q/choice` for a select_multiple question.
fn split_header(h: &str, form: &Questionnaire) -> Option<(String, String)> {
    let h = h.trim();
    let (q, c) = if let Some(stripped) = h.strip_suffix(']') {
        let (q, c) = stripped.split_once('[')?;
        (q.to_string(), c.to_string())
    } else {
        let pos = h.rfind(['/', '.'])?;
        let q = &h[..pos];
        let q = q.rsplit(['/', '-']).next().unwrap_or(q);
        (q.to_string(), h[pos + 1..].to_string())
    };
    let question = form.question(&q)?;
    if question.kind != Kind::SelectMultiple {
        return None;
    }
    let list = form.list_of(question)?;
    list.get(&c)
        .map(|ch| (question.name.clone(), ch.name.clone()))
}

/// A 0/1 cell that Excel displayed as a date (the cell was formatted as a date): serial 0 is
/// `1899-12-30` / `1900-01-00` / `00.01.1900`, serial 1 is `1899-12-31` / `1900-01-01` /
/// `01.01.1900` / `1/1/1900`. Returns the 0/1 it stands for.
pub fn excel_date_tick(cell: &str) -> Option<bool> {
    match cell.trim().split(['T', ' ']).next().unwrap_or("") {
        "1899-12-30" | "1900-01-00" | "00.01.1900" | "00/01/1900" | "1/0/1900" | "0/1/1900" => {
            Some(false)
        }
        "1899-12-31" | "1900-01-01" | "01.01.1900" | "1.1.1900" | "01/01/1900" | "1/1/1900" => {
            Some(true)
        }
        _ => None,
    }
}

/// A cell of a split 0/1 column: Some(true) ticked, Some(false) not, None blank.
fn tick(cell: &str) -> Result<Option<bool>, ()> {
    match norm(cell).as_str() {
        "" | "na" | "n/a" => Ok(None),
        "1" | "1.0" | "true" | "prawda" | "y" | "yes" | "tak" | "x" => Ok(Some(true)),
        "0" | "0.0" | "false" | "fałsz" | "n" | "no" | "nie" => Ok(Some(false)),
        _ => Err(()),
    }
}

/// Match one answer text to a choice code: by code, then case-insensitively, then by label.
fn match_choice(form: &Questionnaire, q: &Question, text: &str) -> Option<String> {
    let list = form.list_of(q)?;
    if let Some(c) = list.get(text) {
        return Some(c.name.clone());
    }
    let t = norm(text);
    list.choices
        .iter()
        .find(|c| norm(&c.name) == t || c.label.values().any(|l| norm(l) == t))
        .map(|c| c.name.clone())
}

/// Split a multiple-choice cell into choices when the choices' labels themselves may contain the
/// separator: Google's `A, B` (labels with commas), Microsoft's `A;B;`, Kobo's label mode
/// `Label one Label two`. Tries codes and labels, longest first, with backtracking; `None` unless
/// the whole cell is consumed.
pub fn segment(form: &Questionnaire, q: &Question, cell: &str) -> Option<Vec<String>> {
    let list = form.list_of(q)?;
    let mut options: Vec<(String, String)> = Vec::new();
    for c in &list.choices {
        options.push((c.name.to_lowercase(), c.name.clone()));
        for l in c.label.values() {
            options.push((l.trim().to_lowercase(), c.name.clone()));
        }
    }
    options.retain(|o| !o.0.is_empty());
    options.sort_by_key(|o| std::cmp::Reverse(o.0.len()));
    let text = cell.trim().to_lowercase();
    fn go(rest: &str, options: &[(String, String)], out: &mut Vec<String>, depth: usize) -> bool {
        let rest = rest.trim_start_matches([',', ';', '|', ' ']);
        if rest.is_empty() {
            return !out.is_empty();
        }
        if depth > 64 {
            return false;
        }
        for (text, code) in options {
            if let Some(after) = rest.strip_prefix(text.as_str()) {
                let boundary = after.is_empty() || after.starts_with([',', ';', '|', ' ']);
                if !boundary {
                    continue;
                }
                out.push(code.clone());
                if go(after, options, out, depth + 1) {
                    return true;
                }
                out.pop();
            }
        }
        false
    }
    let mut out = Vec::new();
    if go(&text, &options, &mut out, 0) {
        Some(out)
    } else {
        None
    }
}

/// The choice of a select_multiple list that takes write-in answers: `other` or `inne`.
fn other_choice(form: &Questionnaire, q: &Question) -> Option<String> {
    if q.kind != Kind::SelectMultiple {
        return None;
    }
    form.list_of(q)?
        .choices
        .iter()
        .find(|c| matches!(c.name.as_str(), "other" | "inne"))
        .map(|c| c.name.clone())
}

/// The parts of a select_multiple cell that match no choice (write-ins), when the cell as a
/// whole does not match.
fn write_ins(form: &Questionnaire, q: &Question, cell: &str) -> Vec<String> {
    if match_choice(form, q, cell).is_some() || segment(form, q, cell).is_some() {
        return Vec::new();
    }
    let separators: &[char] = if cell.contains([';', '|', ',']) {
        &[';', '|', ',']
    } else {
        &[' ']
    };
    cell.split(separators)
        .map(str::trim)
        .filter(|p| !p.is_empty() && match_choice(form, q, p).is_none())
        .map(String::from)
        .collect()
}

fn allowed(form: &Questionnaire, q: &Question) -> String {
    let codes: Vec<&str> = form
        .list_of(q)
        .map(|l| l.choices.iter().map(|c| c.name.as_str()).collect())
        .unwrap_or_default();
    format!("one of {}", codes.join(", "))
}

/// Parse a number the way Polish spreadsheets write it: `3,5`, `3.5`, `1 200`.
pub fn parse_number(s: &str) -> Option<f64> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    let t = t.replace(',', ".");
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Parse a date: `2026-10-05`, `05.10.2026`, `5/10/2026` (day first) → ISO.
pub fn parse_date(s: &str) -> Option<String> {
    use chrono::NaiveDate;
    let s = s.trim();
    let s = s.split(['T', ' ']).next().unwrap_or(s);
    for f in ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y.%m.%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(d.format("%Y-%m-%d").to_string());
        }
    }
    None
}

/// Parse one cell for question `q`. `Ok(None)` is blank.
fn parse_cell(form: &Questionnaire, q: &Question, cell: &str) -> Result<Option<Answer>, String> {
    let cell = cell.trim();
    if cell.is_empty() || matches!(cell, "NA" | "n/a" | "N/A") {
        return Ok(None);
    }
    match q.kind {
        Kind::SelectOne => {
            if let Some(c) = match_choice(form, q, cell) {
                return Ok(Some(Answer::Choice(c)));
            }
            let parts: Vec<&str> = cell
                .split([',', ';', ' ', '|'])
                .filter(|p| !p.is_empty())
                .collect();
            if parts.len() > 1 && parts.iter().all(|p| match_choice(form, q, p).is_some()) {
                return Err(format!(
                    "a single answer ({}), not several",
                    allowed(form, q)
                ));
            }
            Err(allowed(form, q))
        }
        Kind::SelectMultiple => {
            if let Some(c) = match_choice(form, q, cell) {
                return Ok(Some(Answer::Choices(BTreeSet::from([c]))));
            }
            if let Some(codes) = segment(form, q, cell) {
                return Ok(Some(Answer::Choices(codes.into_iter().collect())));
            }
            let mut set = BTreeSet::new();
            let mut bad = Vec::new();
            let separators: &[char] = if cell.contains([';', '|', ',']) {
                &[';', '|', ',']
            } else {
                &[' ']
            };
            for part in cell
                .split(separators)
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                match match_choice(form, q, part) {
                    Some(c) => {
                        set.insert(c);
                    }
                    None => bad.push(part.to_string()),
                }
            }
            if !bad.is_empty() {
                // Write-ins ("Other: …" typed into a checkbox question) go to the list's
                // `other` choice when it has one; the caller warns, the text stays in the record.
                if let Some(o) = other_choice(form, q) {
                    set.insert(o);
                    return Ok(Some(Answer::Choices(set)));
                }
                return Err(format!(
                    "codes separated by spaces or commas, each {} (not known: {})",
                    allowed(form, q),
                    bad.join(", ")
                ));
            }
            Ok(Some(Answer::Choices(set)))
        }
        Kind::Integer => match parse_number(cell) {
            Some(x) if x.fract() == 0.0 => Ok(Some(Answer::Number(x))),
            _ => Err("a whole number written in digits".into()),
        },
        Kind::Decimal => match parse_number(cell) {
            Some(x) => Ok(Some(Answer::Number(x))),
            None => Err("a number written in digits (decimal comma or point)".into()),
        },
        Kind::Date => match parse_date(cell) {
            Some(d) => Ok(Some(Answer::Date(d))),
            None => Err("a date such as 2026-10-05 or 05.10.2026".into()),
        },
        Kind::Text => Ok(Some(Answer::Text(cell.to_string()))),
        Kind::Note => Ok(None),
    }
}

/// What a failed constraint expects, in words.
fn constraint_expectation(q: &Question) -> String {
    let Some(c) = &q.constraint else {
        return String::new();
    };
    if let Some(m) = q
        .constraint_message
        .get("en")
        .or_else(|| q.constraint_message.values().next())
    {
        return format!("{m} ({})", c.source);
    }
    let b = c.expr.bounds();
    match (b.min, b.max, b.max_choices) {
        (Some(lo), Some(hi), _) => format!("a value from {lo} to {hi}"),
        (Some(lo), None, _) => format!("a value of at least {lo}"),
        (None, Some(hi), _) => format!("a value of at most {hi}"),
        (_, _, Some(m)) => format!("at most {m} answers"),
        _ => format!("a value for which {} holds", c.source),
    }
}

/// Map every row of a table. Each row becomes exactly one record.
pub fn map(table: &RawTable, form: &Questionnaire, channel: Channel) -> Mapped {
    map_with(table, form, channel, &table.headers)
}

/// [`map`] with resolved column names (see [`plan_with`]).
pub fn map_with(
    table: &RawTable,
    form: &Questionnaire,
    channel: Channel,
    names: &[String],
) -> Mapped {
    let plan = plan_with(table, form, names);
    let mut records = Vec::with_capacity(table.rows.len());
    for (ri, cells) in table.rows.iter().enumerate() {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue; // a blank line is not a record
        }
        records.push(map_row(table, form, channel, &plan, ri + 1, cells));
    }
    Mapped {
        records,
        file_issues: plan.issues,
    }
}

/// Map one row (1-based `row`).
pub fn map_row(
    table: &RawTable,
    form: &Questionnaire,
    channel: Channel,
    plan: &Plan,
    row: usize,
    cells: &[String],
) -> Record {
    let file = table.file.as_str();
    let cell = |ci: usize| cells.get(ci).map(String::as_str).unwrap_or("");
    let mut issues: Vec<Issue> = Vec::new();
    let mut raw: BTreeMap<String, String> = BTreeMap::new();
    for (ci, h) in table.headers.iter().enumerate() {
        let v = cell(ci);
        if !v.is_empty() && !plan.personal.contains(&ci) {
            raw.insert(
                if h.is_empty() {
                    format!("column{}", ci + 1)
                } else {
                    h.clone()
                },
                v.to_string(),
            );
        }
    }
    // A short row is a truncated or shifted record (its last cells would silently count as
    // not answered): an error naming the row. Trailing blank headers do not count.
    let width = table
        .headers
        .iter()
        .rposition(|h| !h.trim().is_empty())
        .map_or(0, |i| i + 1);
    if cells.len() < width {
        issues.push(Issue::error(
            file,
            row,
            table.headers.get(cells.len()).map_or("", String::as_str),
            "",
            &cells.join("|"),
            format!(
                "{width} cells, as many as header columns: this row has {} (a truncated or shifted row; an unclosed quote or a missing separator?)",
                cells.len()
            ),
        ));
    }
    if cells.len() > table.headers.len()
        && cells[table.headers.len()..].iter().any(|c| !c.is_empty())
    {
        issues.push(Issue::error(
            file,
            row,
            "",
            "",
            &cells[table.headers.len()..].join("|"),
            format!(
                "at most {} cells, as many as header columns",
                table.headers.len()
            ),
        ));
    }
    // Parse each question's cell(s).
    let mut parsed: BTreeMap<usize, Option<Answer>> = BTreeMap::new();
    let mut columns: BTreeMap<usize, String> = BTreeMap::new();
    let mut split_sets: BTreeMap<usize, (BTreeSet<String>, bool)> = BTreeMap::new();
    for (ci, t) in plan.targets.iter().enumerate() {
        let h = &table.headers[ci];
        match t {
            Target::Question(qi) => {
                let q = &form.questions[*qi];
                columns.insert(*qi, h.clone());
                match parse_cell(form, q, cell(ci)) {
                    Ok(a) => {
                        if other_choice(form, q).is_some() {
                            let w = write_ins(form, q, cell(ci));
                            if !w.is_empty() {
                                issues.push(Issue::warning(
                                    file,
                                    row,
                                    h,
                                    &q.name,
                                    cell(ci),
                                    format!(
                                        "write-in answer(s) '{}' counted as the choice 'other' \
                                         (the text stays in the record)",
                                        w.join("', '")
                                    ),
                                ));
                            }
                        }
                        parsed.insert(*qi, a);
                    }
                    Err(expected) => {
                        issues.push(Issue::error(file, row, h, &q.name, cell(ci), expected));
                        parsed.insert(*qi, None);
                    }
                }
            }
            Target::Split(qi, code) => {
                columns.entry(*qi).or_insert_with(|| h.clone());
                let entry = split_sets.entry(*qi).or_default();
                let repaired = excel_date_tick(cell(ci));
                if let Some(b) = repaired {
                    issues.push(Issue::warning(
                        file,
                        row,
                        h,
                        &form.questions[*qi].name,
                        cell(ci),
                        format!(
                            "Excel had turned the 0/1 into a date: read as {}",
                            u8::from(b)
                        ),
                    ));
                }
                match repaired
                    .map(|b| Ok(Some(b)))
                    .unwrap_or_else(|| tick(cell(ci)))
                {
                    Ok(Some(true)) => {
                        entry.0.insert(code.clone());
                        entry.1 = true;
                    }
                    Ok(Some(false)) => entry.1 = true,
                    Ok(None) => {}
                    Err(()) => issues.push(Issue::error(
                        file,
                        row,
                        h,
                        &form.questions[*qi].name,
                        cell(ci),
                        "1 (ticked), 0 or blank (not ticked)",
                    )),
                }
            }
            _ => {}
        }
    }
    // Split columns: a summary column, if any, loses to the split ones (anchors.md).
    for (qi, (set, any)) in split_sets {
        if any {
            parsed.insert(
                qi,
                if set.is_empty() {
                    None
                } else {
                    Some(Answer::Choices(set))
                },
            );
        } else {
            parsed.entry(qi).or_insert(None);
        }
    }
    // Skip logic, required and constraints, in questionnaire order.
    let mut answers: BTreeMap<String, Answer> = BTreeMap::new();
    for (qi, q) in form.questions.iter().enumerate() {
        if q.kind == Kind::Note {
            continue;
        }
        let value = parsed.get(&qi).cloned().flatten();
        let column = columns.get(&qi).cloned().unwrap_or_default();
        let lookup = |n: &str| answers.get(n).map(Answer::raw).unwrap_or_default();
        let unknown = plan.relevance_unknown.contains(&qi);
        let relevant = unknown || form.is_relevant(q, &lookup);
        let answer = match (relevant, value) {
            (true, None) if unknown => Answer::Missing(Missing::NotAsked),
            (false, Some(v)) => {
                let conds: Vec<&str> = form
                    .conditions(q)
                    .iter()
                    .map(|l| l.source.as_str())
                    .collect();
                issues.push(Issue::warning(
                    file,
                    row,
                    &column,
                    &q.name,
                    &v.raw(),
                    format!(
                        "no answer: skip logic ({}) says the question was not asked; stored as \
                         not asked",
                        conds.join(" and ")
                    ),
                ));
                Answer::Missing(Missing::NotAsked)
            }
            (false, None) => Answer::Missing(Missing::NotAsked),
            (true, None) => {
                let failed = issues.iter().any(|i| i.is_error() && i.question == q.name);
                if q.required && !failed {
                    issues.push(Issue::error(
                        file,
                        row,
                        &column,
                        &q.name,
                        "",
                        "an answer (the question is required)",
                    ));
                }
                Answer::Missing(Missing::NotAnswered)
            }
            (true, Some(v)) => {
                if let Some(c) = &q.constraint {
                    if !c.expr.eval(&lookup, &v.raw()) {
                        issues.push(Issue::error(
                            file,
                            row,
                            &column,
                            &q.name,
                            &v.raw(),
                            constraint_expectation(q),
                        ));
                    }
                }
                v
            }
        };
        answers.insert(q.name.clone(), answer);
    }
    let id_from = plan
        .id_columns
        .iter()
        .copied()
        .find(|&ci| !cell(ci).trim().is_empty());
    let external_id = id_from.map(|ci| cell(ci).trim().to_string());
    // A questionnaire may name a question whose answer identifies the record (settings
    // `record_key`, e.g. an institution's name): the same entity answering twice is a duplicate.
    let external_id = external_id.or_else(|| {
        let q = form.settings_extra.get("record_key")?;
        match answers.get(q) {
            Some(Answer::Text(t)) | Some(Answer::Choice(t)) => {
                let norm: String = t
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase();
                Some(format!("{q}={norm}"))
            }
            _ => None,
        }
    });
    // `_klucz` comes from `diagnoza rejects --csv`: the stored key, verbatim.
    let from_rejects = id_from.is_some_and(|ci| table.headers[ci] == "_klucz");
    let key = match &external_id {
        Some(id) if from_rejects => id.clone(),
        // LimeSurvey and Microsoft Forms number responses 1, 2, 3 … like the paper
        // questionnaires' `nr_ankiety`: their ids get the tool's name, so that LimeSurvey's
        // response 12 is not taken for paper questionnaire 12.
        Some(id) if matches!(channel, Channel::Limesurvey | Channel::Msforms) => {
            format!("id:{}:{id}", channel.code())
        }
        // ODK writes `uuid:…`, Kobo's `_uuid` the same id bare: one key for both.
        Some(id) => format!("id:{}", id.strip_prefix("uuid:").unwrap_or(id)),
        None => format!("{}:{row}", table.file_hash),
    };
    let external_id = match external_id {
        Some(id) if from_rejects => id.strip_prefix("id:").map(String::from),
        other => other,
    };
    let provenance = Provenance {
        channel,
        file: file.to_string(),
        row,
        external_id,
    };
    if issues.iter().any(Issue::is_error) {
        Record::Rejected {
            key,
            provenance,
            issues,
            raw,
        }
    } else {
        Record::Accepted {
            key,
            response: Response {
                provenance,
                answers,
                raw,
            },
            warnings: issues,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::load_str;

    const FORM: &str = r#"
[settings]
form_id = "t"
[[survey]]
type = "select_one tn"
name = "dzieci"
label = { pl = "Dzieci w gospodarstwie", en = "Children" }
required = true
[[survey]]
type = "integer"
name = "ile"
label = "Ile dzieci"
relevant = "${dzieci} = 'tak'"
constraint = ". >= 1 and . <= 15"
[[survey]]
type = "select_multiple u"
name = "uslugi"
label = "Usługi"
constraint = "count-selected(.) <= 2"
[[choices]]
list_name = "tn"
name = "tak"
label = { pl = "Tak", en = "Yes" }
[[choices]]
list_name = "tn"
name = "nie"
label = { pl = "Nie", en = "No" }
[[choices]]
list_name = "u"
name = "opieka"
label = "Usługi opiekuńcze"
[[choices]]
list_name = "u"
name = "transport"
label = "Transport"
[[choices]]
list_name = "u"
name = "klub"
label = "Klub seniora"
"#;

    fn table(headers: &[&str], rows: &[&[&str]]) -> RawTable {
        RawTable {
            file: "x.csv".into(),
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
            detected: String::new(),
            file_hash: "h".into(),
        }
    }

    /// A row shorter than the header (a truncated export's last row) is a reject naming the row.
    #[test]
    fn short_rows_are_rejected() {
        let form = load_str(FORM, "t").unwrap().form;
        let t = table(&["dzieci", "ile", "uslugi"], &[&["nie", "", ""], &["nie"]]);
        let m = map(&t, &form, Channel::Paper);
        assert!(matches!(m.records[0], Record::Accepted { .. }));
        let Record::Rejected { issues, .. } = &m.records[1] else {
            panic!("{:?}", m.records[1])
        };
        assert_eq!(issues[0].row, 2);
        assert!(issues[0].expected.contains("3 cells"), "{:?}", issues[0]);
    }

    /// A skip condition on a question without a column: the answers are kept, one warning.
    #[test]
    fn skip_condition_on_absent_question_keeps_answers() {
        let form = load_str(&FORM.replace("required = true\n", ""), "t")
            .unwrap()
            .form;
        let t = table(
            &["ile", "uslugi"],
            &[&["2", ""], &["", "opieka"], &["3", ""]],
        );
        let m = map(&t, &form, Channel::Paper);
        let about_ile: Vec<&Issue> = m
            .file_issues
            .iter()
            .filter(|i| i.question == "ile")
            .collect();
        assert_eq!(about_ile.len(), 1, "{:?}", m.file_issues);
        assert!(about_ile[0].expected.contains("dzieci"));
        let got: Vec<Answer> = m
            .records
            .iter()
            .map(|r| match r {
                Record::Accepted {
                    response, warnings, ..
                } => {
                    assert!(warnings.is_empty(), "{warnings:?}");
                    response.answers["ile"].clone()
                }
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            got,
            vec![
                Answer::Number(2.0),
                Answer::Missing(Missing::NotAsked),
                Answer::Number(3.0)
            ]
        );
    }

    /// Columns that are not questions and look like personal data are not stored.
    #[test]
    fn personal_columns_are_dropped() {
        let form = load_str(FORM, "t").unwrap().form;
        let t = table(
            &["dzieci", "Email", "Imię i nazwisko", "uwagi"],
            &[&["nie", "a@b.pl", "Jan Kowalski", "x"]],
        );
        let m = map(&t, &form, Channel::Paper);
        let Record::Accepted { response, .. } = &m.records[0] else {
            panic!()
        };
        assert_eq!(response.raw.keys().collect::<Vec<_>>(), ["dzieci", "uwagi"]);
        assert_eq!(
            m.file_issues
                .iter()
                .filter(|i| i.expected.contains("personal data"))
                .count(),
            2
        );
    }

    #[test]
    fn skipped_is_not_asked_not_unanswered() {
        let form = load_str(FORM, "t").unwrap().form;
        let t = table(
            &["nr_ankiety", "dzieci", "ile", "uslugi"],
            &[
                &["1", "nie", "", "opieka"],
                &["2", "tak", "", "opieka transport"],
            ],
        );
        let m = map(&t, &form, Channel::Paper);
        let Record::Accepted { response, .. } = &m.records[0] else {
            panic!("{:?}", m.records[0])
        };
        assert_eq!(response.answers["ile"], Answer::Missing(Missing::NotAsked));
        let Record::Accepted { response, key, .. } = &m.records[1] else {
            panic!()
        };
        assert_eq!(
            response.answers["ile"],
            Answer::Missing(Missing::NotAnswered)
        );
        assert_eq!(key, "id:2");
    }

    #[test]
    fn errors_name_the_place() {
        let form = load_str(FORM, "t").unwrap().form;
        let t = table(
            &["dzieci", "ile", "uslugi"],
            &[
                &["tak", "trzy", "opieka"],
                &["tak nie", "2", ""],
                &["tak", "20", "opieka,transport,klub"],
                &["", "", "zakupy"],
            ],
        );
        let m = map(&t, &form, Channel::Paper);
        let msgs: Vec<String> = m
            .records
            .iter()
            .map(|r| match r {
                Record::Rejected { issues, .. } => issues
                    .iter()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(" | "),
                Record::Accepted { .. } => "accepted".into(),
            })
            .collect();
        assert_eq!(
            msgs[0],
            "x.csv:1:ile: error: ile: 'trzy': expected a whole number written in digits"
        );
        assert!(
            msgs[1].contains("x.csv:2:dzieci: error: dzieci: 'tak nie': expected a single answer"),
            "{}",
            msgs[1]
        );
        assert!(
            msgs[2].contains("'20': expected a value from 1 to 15"),
            "{}",
            msgs[2]
        );
        assert!(
            msgs[2].contains("uslugi: 'klub opieka transport': expected at most 2 answers"),
            "{}",
            msgs[2]
        );
        assert!(
            msgs[3].contains("dzieci: '': expected an answer (the question is required)"),
            "{}",
            msgs[3]
        );
        assert!(msgs[3].contains("not known: zakupy"), "{}", msgs[3]);
    }

    #[test]
    fn the_most_stable_id_is_the_key() {
        let form = load_str(FORM, "t").unwrap().form;
        let t = table(
            &["_id", "dzieci", "_uuid", "meta/rootUuid"],
            &[&["61", "nie", "b2", "uuid:a1"], &["62", "nie", "c3", ""]],
        );
        let m = map(&t, &form, Channel::Kobo);
        let keys: Vec<&str> = m
            .records
            .iter()
            .map(|r| match r {
                Record::Accepted { key, .. } | Record::Rejected { key, .. } => key.as_str(),
            })
            .collect();
        // rootUuid (its "uuid:" dropped) over _uuid over Kobo's server-local _id; a blank
        // rootUuid falls back to the next id.
        assert_eq!(keys[0], "id:a1");
        assert_eq!(keys[1], "id:c3");
    }

    #[test]
    fn joined_labels_are_segmented() {
        let form = load_str(FORM, "t").unwrap().form;
        let q = form.question("uslugi").unwrap();
        let seg = |s: &str| segment(&form, q, s);
        // Kobo label mode (spaces), Google (", "), Microsoft (";" trailing), codes.
        assert_eq!(
            seg("Usługi opiekuńcze Klub seniora"),
            Some(vec!["opieka".into(), "klub".into()])
        );
        assert_eq!(
            seg("Transport, Usługi opiekuńcze"),
            Some(vec!["transport".into(), "opieka".into()])
        );
        assert_eq!(
            seg("Klub seniora;Transport;"),
            Some(vec!["klub".into(), "transport".into()])
        );
        assert_eq!(
            seg("opieka transport"),
            Some(vec!["opieka".into(), "transport".into()])
        );
        assert_eq!(seg("Transport, zakupy"), None);
        assert_eq!(seg("Transportowe"), None);
    }

    #[test]
    fn labels_split_columns_and_decimal_comma() {
        let form = load_str(FORM, "t").unwrap().form;
        let t = table(
            &[
                "Dzieci w gospodarstwie",
                "ile",
                "uslugi/opieka",
                "uslugi/transport",
                "uslugi/klub",
                "extra",
            ],
            &[
                &["Tak", "2,0", "1", "0", "1", "x"],
                &["No", "", "", "", "", ""],
            ],
        );
        let m = map(&t, &form, Channel::Paper);
        assert_eq!(m.file_issues.len(), 1, "{:?}", m.file_issues); // 'extra' is unknown
        let Record::Accepted { response, .. } = &m.records[0] else {
            panic!("{:?}", m.records[0])
        };
        assert_eq!(response.answers["dzieci"], Answer::Choice("tak".into()));
        assert_eq!(response.answers["ile"], Answer::Number(2.0));
        assert_eq!(
            response.answers["uslugi"],
            Answer::Choices(BTreeSet::from(["opieka".to_string(), "klub".to_string()]))
        );
        assert_eq!(response.raw["extra"], "x");
        let Record::Accepted { response, .. } = &m.records[1] else {
            panic!()
        };
        assert_eq!(
            response.answers["uslugi"],
            Answer::Missing(Missing::NotAnswered)
        );
    }

    #[test]
    fn split_cells_excel_turned_into_dates_are_repaired_and_said() {
        let form = load_str(FORM, "t").unwrap().form;
        let t = table(
            &["dzieci", "uslugi/opieka", "uslugi/transport", "uslugi/klub"],
            &[&["nie", "1900-01-01", "1899-12-30", "01.01.1900"]],
        );
        let m = map(&t, &form, Channel::Paper);
        let Record::Accepted {
            response, warnings, ..
        } = &m.records[0]
        else {
            panic!("{:?}", m.records[0])
        };
        assert_eq!(
            response.answers["uslugi"],
            Answer::Choices(BTreeSet::from(["opieka".to_string(), "klub".to_string()]))
        );
        let said = warnings
            .iter()
            .filter(|i| i.expected.contains("Excel had turned the 0/1 into a date"))
            .count();
        assert_eq!(said, 3, "{warnings:?}");
    }
}
