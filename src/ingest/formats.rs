//! The exports of the online tools people already use (KoboToolbox, ODK Central, Google Forms,
//! LimeSurvey, Microsoft Forms) and files that passed through R or Excel: recognising which one a
//! table is by its header signature, and cleaning it into a table `map` understands — HXL tag
//! row and R's index column removed, personal-data columns dropped, month-first dates rewritten,
//! group prefixes (`g/q`, `g-q`, `g.q`), R-mangled names (`X_uuid`, `q.opt`), bracketed columns (`Q[SQ001]`,
//! `Question [Row]`) and a user's mapping file resolved into question names, review states
//! (`Not approved`, `rejected`) turned into reasons to reject. It does not parse answers (that is
//! `map`, which also reads `NA` as blank) and does not store anything.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::RawTable;
use crate::issue::Issue;
use crate::response::Channel;
use crate::store::Record;
use crate::template::{Kind, Questionnaire};

/// Where a table comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Kobo,
    Odk,
    Google,
    LimeSurvey,
    MsForms,
    /// A plain table (paper transcription, another tool, or unknown).
    Plain,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Kobo => "KoboToolbox export",
            Format::Odk => "ODK Central export",
            Format::Google => "Google Forms export",
            Format::LimeSurvey => "LimeSurvey export",
            Format::MsForms => "Microsoft Forms export",
            Format::Plain => "plain table",
        }
    }
    pub fn channel(self) -> Option<Channel> {
        match self {
            Format::Kobo => Some(Channel::Kobo),
            Format::Odk => Some(Channel::Odk),
            Format::Google => Some(Channel::Google),
            Format::LimeSurvey => Some(Channel::Limesurvey),
            Format::MsForms => Some(Channel::Msforms),
            Format::Plain => None,
        }
    }
    pub fn from_channel(c: Channel) -> Format {
        match c {
            Channel::Kobo => Format::Kobo,
            Channel::Odk => Format::Odk,
            Channel::Google => Format::Google,
            Channel::Limesurvey => Format::LimeSurvey,
            Channel::Msforms => Format::MsForms,
            _ => Format::Plain,
        }
    }
}

/// An ODK Central (or Briefcase) download: a ZIP holding the main table as `FORM.csv`, one CSV per
/// repeat group (`FORM-repeat.csv`), `files/…` media and maybe `FORM - audit.csv`. Reads the main
/// table; says what else was in the archive and was not read.
pub fn read_zip(path: &Path) -> Result<RawTable> {
    use std::io::Read;
    let file = path.display().to_string();
    let bytes = super::read_bounded(path)?;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| anyhow::anyhow!("{file}: not a readable ZIP archive: {e}"))?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .collect();
    let tables: Vec<&String> = names
        .iter()
        .filter(|n| {
            !n.contains('/') && n.to_lowercase().ends_with(".csv") && !n.ends_with(" - audit.csv")
        })
        .collect();
    // The main table: the one whose name (without .csv) starts every other table's name.
    let main = tables
        .iter()
        .min_by_key(|n| n.len())
        .copied()
        .with_context(|| {
            format!(
                "{file}: the archive holds no CSV table (files: {})",
                names.join(", ")
            )
        })?;
    let stem = main.trim_end_matches(".csv");
    if tables.iter().any(|n| !n.starts_with(stem)) {
        bail!(
            "{file}: the archive holds several unrelated tables ({}): unpack it and import the one you mean",
            tables
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    // Unpacked with a limit whatever the archive claims: a 7 MB zip may hold 2 GB.
    let limit = crate::safe::MAX_UNPACKED_BYTES;
    let mut data = Vec::new();
    zip.by_name(main)
        .map_err(|e| anyhow::anyhow!("{file}: {main}: {e}"))?
        .take(limit + 1)
        .read_to_end(&mut data)
        .with_context(|| format!("{file}: cannot unpack {main}"))?;
    if data.len() as u64 > limit {
        bail!(
            "{file}: the archive entry '{main}' unpacks to more than {} MB, the limit for one table (a damaged archive or a zip bomb)",
            limit / 1_000_000
        );
    }
    let mut t = super::read_csv_bytes(&data, &format!("{file}:{main}"))?;
    let others: Vec<&str> = tables
        .iter()
        .filter(|n| **n != main)
        .map(|s| s.as_str())
        .collect();
    t.detected = format!("{} from the ZIP archive", t.detected);
    if !others.is_empty() {
        t.detected
            .push_str(&format!("; repeat tables not read: {}", others.join(", ")));
    }
    Ok(t)
}

/// R's `write.csv`/readr/pandas rename `_uuid` to `X_uuid` and leave an index column.
fn unmangle(h: &str) -> String {
    let h = h.trim().trim_start_matches('\u{feff}').trim();
    if let Some(rest) = h
        .strip_prefix("X_")
        .or_else(|| h.strip_prefix("X."))
        .or_else(|| h.strip_prefix("x_"))
    {
        let known = [
            "_uuid",
            "_id",
            "_submission_time",
            "_validation_status",
            "_index",
            "_status",
            "_submitted_by",
            "_notes",
            "_tags",
            "__version__",
        ];
        let cand = format!("_{rest}");
        if known.contains(&cand.as_str()) {
            return cand;
        }
    }
    h.to_string()
}

fn has(headers: &[String], name: &str) -> bool {
    headers.iter().any(|h| h.eq_ignore_ascii_case(name))
}

/// Recognise a table by its header signature.
pub fn detect(headers: &[String]) -> Format {
    let h: Vec<String> = headers.iter().map(|h| unmangle(h)).collect();
    if [
        "_uuid",
        "_submission_time",
        "_validation_status",
        "_submitted_by",
        "__version__",
    ]
    .iter()
    .any(|n| has(&h, n))
    {
        return Format::Kobo;
    }
    if has(&h, "meta-instanceID")
        || (has(&h, "KEY") && has(&h, "SubmissionDate"))
        || has(&h, "ReviewState")
    {
        return Format::Odk;
    }
    let first = h
        .iter()
        .find(|x| !is_index_header(x))
        .map(|s| s.to_lowercase())
        .unwrap_or_default();
    if matches!(
        first.as_str(),
        "timestamp" | "sygnatura czasowa" | "znacznik czasu"
    ) {
        return Format::Google;
    }
    let bracketed = h.iter().any(|x| x.ends_with(']') && x.contains('['));
    if has(&h, "submitdate") && (has(&h, "id") || has(&h, "lastpage") || bracketed) {
        return Format::LimeSurvey;
    }
    if has(&h, "ID")
        && (has(&h, "Start time") || has(&h, "Godzina rozpoczęcia"))
        && (has(&h, "Completion time") || has(&h, "Godzina ukończenia"))
    {
        return Format::MsForms;
    }
    Format::Plain
}

fn is_index_header(h: &str) -> bool {
    matches!(h.trim(), "" | "...1" | "X" | "Unnamed: 0")
}

/// A saved mapping a user writes once: `[columns]` header → question name (`""` to ignore a
/// column) and `[values.QUESTION]` answer text → choice code.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    pub columns: BTreeMap<String, String>,
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    pub file: String,
}

impl Mapping {
    pub fn load(path: &Path, form: &Questionnaire) -> Result<Mapping> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {file}"))?;
        let doc: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let line = e
                .span()
                .map(|s| text[..s.start].lines().count().max(1))
                .unwrap_or(0);
            anyhow::anyhow!("{file}:{line}: not valid TOML: {}", e.message())
        })?;
        let mut m = Mapping {
            file: file.clone(),
            ..Mapping::default()
        };
        for (k, v) in &doc {
            match (k.as_str(), v) {
                ("columns", toml::Value::Table(t)) => {
                    for (h, q) in t {
                        let Some(q) = q.as_str() else {
                            bail!("{file}: [columns] \"{h}\": expected a question name in quotes");
                        };
                        let (qname, choice) = match q.split_once('/') {
                            Some((a, b)) => (a, Some(b)),
                            None => (q, None),
                        };
                        let known = match (form.question(qname), choice) {
                            (Some(_), None) => true,
                            (Some(question), Some(c)) => {
                                question.kind == Kind::SelectMultiple
                                    && form.list_of(question).is_some_and(|l| l.get(c).is_some())
                            }
                            (None, _) => false,
                        };
                        if !q.is_empty() && !known {
                            bail!(
                                "{file}: [columns] \"{h}\" = \"{q}\": the questionnaire '{}' has no question '{q}'",
                                form.id
                            );
                        }
                        m.columns.insert(h.trim().to_string(), q.to_string());
                    }
                }
                ("values", toml::Value::Table(t)) => {
                    for (q, vals) in t {
                        let Some(question) = form.question(q) else {
                            bail!(
                                "{file}: [values.{q}]: the questionnaire '{}' has no question '{q}'",
                                form.id
                            );
                        };
                        let toml::Value::Table(vals) = vals else {
                            bail!(
                                "{file}: [values.{q}]: expected a table of \"answer text\" = \"code\""
                            );
                        };
                        let mut out = BTreeMap::new();
                        for (from, to) in vals {
                            let Some(to) = to.as_str() else {
                                bail!(
                                    "{file}: [values.{q}] \"{from}\": expected a choice code in quotes"
                                );
                            };
                            if question.kind.is_select()
                                && form.list_of(question).is_some_and(|l| l.get(to).is_none())
                            {
                                bail!(
                                    "{file}: [values.{q}] \"{from}\" = \"{to}\": '{to}' is not a choice of question '{q}'"
                                );
                            }
                            out.insert(from.trim().to_lowercase(), to.to_string());
                        }
                        m.values.insert(q.clone(), out);
                    }
                }
                _ => bail!("{file}: [{k}] is unknown (expected [columns] and [values.QUESTION])"),
            }
        }
        Ok(m)
    }
}

/// A table cleaned for `map`.
#[derive(Debug, Clone)]
pub struct Normalised {
    pub table: RawTable,
    /// Per column: the name `map` matches (a question name, `q/choice`, or the header itself).
    pub names: Vec<String>,
    /// Per column: how the name was found, for `--dry-run`.
    pub how: Vec<String>,
    pub format: Format,
    /// What was done to the file as a whole.
    pub notes: Vec<String>,
    /// Errors for single rows (1-based data rows of `table`): review states, unknown choices
    /// ticked in split columns.
    pub row_errors: Vec<(usize, Issue)>,
    /// Rows rejected by the review state (Kobo `Not approved`, ODK `rejected`).
    pub review_rejected: Vec<usize>,
}

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Resolve one header to a question name or `q/choice`; `None` when nothing fits.
fn resolve(h: &str, form: &Questionnaire) -> Option<(String, String)> {
    let q_by_name = |s: &str| {
        form.questions
            .iter()
            .find(|q| q.name.eq_ignore_ascii_case(s.trim()))
    };
    let q_by_label = |s: &str| {
        form.questions
            .iter()
            .find(|q| q.label.values().any(|l| norm(l) == norm(s)))
    };
    let choice = |q: &crate::template::Question, c: &str| -> Option<String> {
        let l = form.list_of(q)?;
        l.choices
            .iter()
            .find(|x| {
                x.name.eq_ignore_ascii_case(c.trim())
                    || x.label.values().any(|l| norm(l) == norm(c))
            })
            .map(|x| x.name.clone())
    };
    if q_by_name(h).is_some() {
        return None; // map matches it as it is
    }
    if let Some(q) = q_by_label(h) {
        return Some((q.name.clone(), format!("question '{}' (by label)", q.name)));
    }
    // Bracketed: LimeSurvey `Q1[SQ001]`, Google grid `Question [Row]`.
    if let Some(stripped) = h.trim().strip_suffix(']') {
        if let Some((left, inner)) = stripped.rsplit_once('[') {
            let left = left.trim();
            let q = q_by_name(left).or_else(|| q_by_label(left));
            if let Some(q) = q.filter(|q| q.kind == Kind::SelectMultiple) {
                if let Some(c) = choice(q, inner) {
                    return Some((
                        format!("{}/{c}", q.name),
                        format!("choice '{c}' of '{}' (bracketed column)", q.name),
                    ));
                }
            }
            // A grid row: the question labelled like the row, preferably in a group labelled
            // like the grid.
            let rows: Vec<&crate::template::Question> = form
                .questions
                .iter()
                .filter(|q| {
                    q.name.eq_ignore_ascii_case(inner.trim())
                        || q.label.values().any(|l| norm(l) == norm(inner))
                })
                .collect();
            let in_group = rows.iter().find(|q| {
                q.group
                    .as_deref()
                    .and_then(|g| form.group(g))
                    .is_some_and(|g| {
                        g.name.eq_ignore_ascii_case(left)
                            || g.label.values().any(|l| norm(l) == norm(left))
                    })
            });
            if let Some(q) = in_group.or(if rows.len() == 1 { rows.first() } else { None }) {
                return Some((
                    q.name.clone(),
                    format!("grid row '{inner}' → question '{}'", q.name),
                ));
            }
        }
    }
    // Group prefixes and split columns: try every suffix after a separator, longest first.
    // '%' is Kobo's other choice of group separator ("Include groups in headers").
    let seps = ['/', '-', '.', ':', '%'];
    let mut starts = vec![0];
    starts.extend(
        h.char_indices()
            .filter(|(_, c)| seps.contains(c))
            .map(|(i, c)| i + c.len_utf8()),
    );
    for &s in &starts {
        let cand = h[s..].trim();
        if cand.is_empty() {
            continue;
        }
        if s > 0 {
            // Names are case-sensitive in XLSForm: an exact name first, a label next.
            if let Some(q) = form.questions.iter().find(|q| q.name == cand) {
                return Some((
                    q.name.clone(),
                    format!(
                        "question '{}' (group prefix '{}' dropped)",
                        q.name,
                        h[..s - 1].trim()
                    ),
                ));
            }
            // Several questions may share a label ("Uwagi" in two groups): prefer the one whose
            // group is named or labelled like the prefix.
            let same: Vec<&crate::template::Question> = form
                .questions
                .iter()
                .filter(|q| q.label.values().any(|l| norm(l) == norm(cand)))
                .collect();
            let prefix = h[..s - 1].trim();
            let prefix_last = prefix
                .rsplit(['/', '-', '.', '%'])
                .next()
                .unwrap_or(prefix)
                .trim();
            let in_group = |q: &&crate::template::Question| {
                let mut g = q.group.as_deref().and_then(|g| form.group(g));
                while let Some(group) = g {
                    let hit = [prefix, prefix_last].iter().any(|p| {
                        group.name.eq_ignore_ascii_case(p)
                            || group.label.values().any(|l| norm(l) == norm(p))
                    });
                    if hit {
                        return true;
                    }
                    g = group.parent.as_deref().and_then(|p| form.group(p));
                }
                false
            };
            let by_name = q_by_name(cand);
            let pick = same
                .iter()
                .find(|q| in_group(q))
                .or(same.first())
                .or(by_name.as_ref());
            if let Some(q) = pick {
                return Some((
                    q.name.clone(),
                    format!("question '{}' by label (group prefix dropped)", q.name),
                ));
            }
        }
        // `q/choice`, `q%choice` (Kobo), `q.choice` (R), `Label/Choice label` (Kobo label mode).
        for (i, c) in cand
            .char_indices()
            .filter(|(_, c)| matches!(c, '/' | '.' | '%'))
        {
            let (left, right) = (&cand[..i], &cand[i + c.len_utf8()..]);
            let q = q_by_name(left).or_else(|| q_by_label(left));
            if let Some(q) = q.filter(|q| q.kind == Kind::SelectMultiple) {
                if let Some(code) = choice(q, right) {
                    return Some((
                        format!("{}/{code}", q.name),
                        format!("choice '{code}' of '{}' (split column)", q.name),
                    ));
                }
            }
        }
    }
    None
}

/// A select_multiple split column whose choice the questionnaire does not know: (question, choice).
fn unknown_split(h: &str, form: &Questionnaire) -> Option<(String, String)> {
    let h = h.trim();
    let (left, right) = if let Some(stripped) = h.strip_suffix(']') {
        stripped.rsplit_once('[')?
    } else {
        let i = h.rfind(['/', '.', '%'])?;
        (&h[..i], &h[i + 1..])
    };
    let left = left.rsplit(['/', '-', '%']).next().unwrap_or(left).trim();
    let q = form.questions.iter().find(|q| {
        q.name.eq_ignore_ascii_case(left) || q.label.values().any(|l| norm(l) == norm(left))
    })?;
    let right = right.trim();
    let known = form.list_of(q).is_some_and(|l| {
        l.choices.iter().any(|c| {
            c.name.eq_ignore_ascii_case(right) || c.label.values().any(|x| norm(x) == norm(right))
        })
    });
    (q.kind == Kind::SelectMultiple && !known).then(|| (q.name.clone(), right.to_string()))
}

/// The part of the cleaning that needs no questionnaire: `X_uuid` → `_uuid`, the HXL tag row,
/// R's index column, the personal-data columns the tools add. Returns what was done.
pub fn clean(table: &mut RawTable, format: Format, form: Option<&Questionnaire>) -> Vec<String> {
    let mut notes = Vec::new();
    for h in table.headers.iter_mut() {
        *h = unmangle(h);
    }
    // HXL hashtag row (Kobo, when the form has hxl tags).
    if table.rows.first().is_some_and(|r| {
        r.iter().any(|c| c.trim().starts_with('#'))
            && r.iter()
                .all(|c| c.trim().is_empty() || c.trim().starts_with('#'))
    }) {
        table.rows.remove(0);
        notes.push("second header row of HXL tags (#…) skipped".to_string());
    }
    // A leading index column from R (`""`, `...1`, `X`) or pandas (`Unnamed: 0`).
    if table.headers.len() > 1 && is_index_header(&table.headers[0]) {
        let seq = table.rows.iter().enumerate().all(|(i, r)| {
            let c = r.first().map(|c| c.trim()).unwrap_or("");
            c == (i + 1).to_string() || c == i.to_string()
        });
        if seq && !table.rows.is_empty() {
            notes.push(format!(
                "leading index column '{}' (row numbers added by R/pandas/Excel) dropped",
                table.headers[0]
            ));
            table.headers.remove(0);
            for r in table.rows.iter_mut() {
                if !r.is_empty() {
                    r.remove(0);
                }
            }
        }
    }
    // Personal data the tools add: never stored.
    // (respondents' e-mail and names; interviewers' names and device ids; IP addresses)
    let personal: &[&str] = match format {
        Format::MsForms => &["Email", "Name", "Adres e-mail", "Nazwa", "Imię i nazwisko"],
        Format::Google => &["Email Address", "Adres e-mail", "Email"],
        Format::Kobo => &[
            "_submitted_by",
            "username",
            "deviceid",
            "phonenumber",
            "simserial",
            "subscriberid",
        ],
        Format::Odk => &[
            "SubmitterName",
            "DeviceID",
            "deviceid",
            "username",
            "phonenumber",
        ],
        Format::LimeSurvey => &["ipaddr", "email", "firstname", "lastname", "token"],
        Format::Plain => &[],
    };
    let drop: Vec<usize> = table
        .headers
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            personal.iter().any(|p| p.eq_ignore_ascii_case(h.trim()))
                && form.is_none_or(|f| f.question(h.trim()).is_none())
        })
        .map(|(i, _)| i)
        .collect();
    if !drop.is_empty() {
        let names: Vec<String> = drop.iter().map(|&i| table.headers[i].clone()).collect();
        notes.push(format!(
            "personal-data columns not read (never stored): {}",
            names.join(", ")
        ));
        for &i in drop.iter().rev() {
            table.headers.remove(i);
            for r in table.rows.iter_mut() {
                if i < r.len() {
                    r.remove(i);
                }
            }
        }
    }
    notes
}

/// Clean `table` as an export of `format` for `form`.
pub fn normalise(
    mut table: RawTable,
    form: &Questionnaire,
    format: Format,
    mapping: Option<&Mapping>,
) -> Normalised {
    let mut notes = clean(&mut table, format, Some(form));
    // Names to match.
    let mut names = Vec::with_capacity(table.headers.len());
    let mut how = Vec::with_capacity(table.headers.len());
    for h in &table.headers {
        if let Some(target) = mapping.and_then(|m| m.columns.get(h.trim())) {
            if target.is_empty() {
                names.push("_ignored".to_string());
                how.push("ignored (mapping file)".to_string());
            } else {
                names.push(target.clone());
                how.push(match target.split_once('/') {
                    Some((q, c)) => format!("choice '{c}' of '{q}' (mapping file)"),
                    None => format!("question '{target}' (mapping file)"),
                });
            }
            continue;
        }
        match resolve(h, form) {
            Some((n, why)) => {
                names.push(n);
                how.push(why);
            }
            None if format == Format::Kobo
                && h.starts_with('_')
                && form.question(h.trim()).is_none()
                && !super::map::ID_COLUMNS.contains(&h.trim()) =>
            {
                // `_geo_latitude`, `_attachments`, `_parent_index` …: Kobo's own columns.
                names.push("_ignored".to_string());
                how.push("kept with the record (KoboToolbox system column)".to_string());
            }
            None => {
                names.push(h.clone());
                how.push(String::new());
            }
        }
    }
    // Mapping values: answer text → code, whole cell or each part of a multiple choice.
    if let Some(m) = mapping {
        for (ci, n) in names.iter().enumerate() {
            let Some(vals) = m.values.get(n) else {
                continue;
            };
            let multi = form
                .question(n)
                .is_some_and(|q| q.kind == Kind::SelectMultiple);
            for r in table.rows.iter_mut() {
                let Some(cell) = r.get_mut(ci) else { continue };
                if let Some(to) = vals.get(&cell.trim().to_lowercase()) {
                    *cell = to.clone();
                } else if multi && !cell.trim().is_empty() {
                    let parts: Vec<String> = cell
                        .split([';', '|', ','])
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(|p| {
                            vals.get(&p.to_lowercase())
                                .cloned()
                                .unwrap_or_else(|| p.to_string())
                        })
                        .collect();
                    *cell = parts.join("|");
                }
            }
        }
    }
    // Dates written month first (`9/30/2026`, Google and Microsoft in English): recognised by a
    // middle number above 12 in the column, or, for a column that cannot tell, by the tool's own
    // timestamp column; rewritten as ISO dates.
    let timestamp_order = table
        .headers
        .iter()
        .position(|h| matches!(h.trim(), "Timestamp" | "Start time" | "Completion time"))
        .and_then(|ci| slash_order(table.rows.iter().filter_map(|r| r.get(ci))));
    for (ci, n) in names.iter().enumerate() {
        let q = form.question(n.trim()).or_else(|| {
            form.questions
                .iter()
                .find(|q| q.label.values().any(|l| norm(l) == norm(n)))
        });
        if !q.is_some_and(|q| q.kind == Kind::Date) {
            continue;
        }
        let order = slash_order(table.rows.iter().filter_map(|r| r.get(ci))).or(timestamp_order);
        if order == Some(true) {
            let mut changed = 0;
            for r in table.rows.iter_mut() {
                if let Some(c) = r.get_mut(ci) {
                    if let Some(iso) = month_first(c) {
                        *c = iso;
                        changed += 1;
                    }
                }
            }
            notes.push(format!(
                "column '{}': dates written month first (M/D/Y): {changed} read as such",
                table.headers[ci]
            ));
        }
    }
    // Review states.
    let mut row_errors = Vec::new();
    let mut review_rejected = Vec::new();
    let review_col = table
        .headers
        .iter()
        .position(|h| matches!(h.trim(), "_validation_status" | "ReviewState"));
    if let Some(ci) = review_col {
        for (ri, r) in table.rows.iter().enumerate() {
            let v = r.get(ci).map(|c| c.trim()).unwrap_or("");
            let lower = v.to_lowercase().replace('_', " ");
            if lower.contains("not approved") || lower == "rejected" {
                review_rejected.push(ri + 1);
                row_errors.push((
                    ri + 1,
                    Issue::error(
                        &table.file,
                        ri + 1,
                        &table.headers[ci],
                        "",
                        v,
                        "a submission not rejected in review (import with --include-rejected to keep it)",
                    ),
                ));
            }
        }
    }
    // Split columns of choices the questionnaire does not know: a tick there is an error.
    for (ci, h) in table.headers.iter().enumerate() {
        if names[ci] != *h || form.question(h.trim()).is_some() {
            continue;
        }
        let Some((q, c)) = unknown_split(h, form) else {
            continue;
        };
        how[ci] = format!("NOT MATCHED: '{c}' is not a choice of '{q}'");
        for (ri, r) in table.rows.iter().enumerate() {
            let v = r
                .get(ci)
                .map(|c| c.trim().to_lowercase())
                .unwrap_or_default();
            if matches!(v.as_str(), "1" | "y" | "yes" | "true" | "tak" | "x") {
                row_errors.push((
                    ri + 1,
                    Issue::error(
                        &table.file,
                        ri + 1,
                        h,
                        &q,
                        &v,
                        format!("a choice of question '{q}': '{c}' is not in its list"),
                    ),
                ));
            }
        }
    }
    // Excel damage: long ids shown as 3.56E+14 have lost their digits.
    for (ci, h) in table.headers.iter().enumerate() {
        let is_id = super::map::ID_COLUMNS
            .iter()
            .any(|c| c.eq_ignore_ascii_case(names[ci].trim()));
        if !is_id {
            continue;
        }
        let damaged: Vec<usize> = table
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.get(ci).is_some_and(|c| looks_scientific(c)))
            .map(|(i, _)| i + 1)
            .collect();
        if let Some(&first) = damaged.first() {
            notes.push(format!(
                "column '{h}': {} id(s) in scientific notation (first in data row {first}, '{}'): Excel \
                 cut their digits, so repeated imports may not be recognised as duplicates; export \
                 again without opening the file in Excel",
                damaged.len(),
                table.rows[first - 1].get(ci).map(String::as_str).unwrap_or("")
            ));
        }
    }
    Normalised {
        table,
        names,
        how,
        format,
        notes,
        row_errors,
        review_rejected,
    }
}

/// Turn the row errors found by `formats` (review states, unknown split choices) into rejects.
pub fn apply_row_errors(records: &mut [Record], norm: &Normalised, include_rejected: bool) {
    for (row, issue) in &norm.row_errors {
        if include_rejected && norm.review_rejected.contains(row) && issue.question.is_empty() {
            continue;
        }
        let Some(rec) = records.iter_mut().find(|r| match r {
            Record::Accepted { response, .. } => response.provenance.row == *row,
            Record::Rejected { provenance, .. } => provenance.row == *row,
        }) else {
            continue;
        };
        match rec {
            Record::Rejected { issues, .. } => issues.push(issue.clone()),
            Record::Accepted {
                key,
                response,
                warnings,
            } => {
                let mut issues = std::mem::take(warnings);
                issues.push(issue.clone());
                *rec = Record::Rejected {
                    key: std::mem::take(key),
                    provenance: response.provenance.clone(),
                    issues,
                    raw: std::mem::take(&mut response.raw),
                };
            }
        }
    }
}

/// `3.56E+14`, `1,23457E+15`: a number Excel rewrote.
fn looks_scientific(c: &str) -> bool {
    let c = c.trim();
    let Some((m, e)) = c.split_once(['E', 'e']) else {
        return false;
    };
    let e = e.strip_prefix('+').unwrap_or(e);
    !m.is_empty()
        && m.chars()
            .all(|x| x.is_ascii_digit() || x == '.' || x == ',')
        && m.chars().next().is_some_and(|x| x.is_ascii_digit())
        && !e.is_empty()
        && e.chars().all(|x| x.is_ascii_digit())
}

/// The numbers of a `a/b/y` date (time after a space ignored).
fn slash_parts(c: &str) -> Option<(u32, u32, i32)> {
    let d = c.trim().split([' ', 'T']).next()?;
    let mut it = d.split('/');
    let a = it.next()?.parse().ok()?;
    let b = it.next()?.parse().ok()?;
    let y: i32 = it.next()?.parse().ok()?;
    if it.next().is_some() {
        return None;
    }
    let y = if y < 100 { 2000 + y } else { y };
    Some((a, b, y))
}

/// Whether `a/b/y` dates in these cells are month first (`Some(true)`), day first
/// (`Some(false)`), or cannot tell.
fn slash_order<'a>(cells: impl Iterator<Item = &'a String>) -> Option<bool> {
    let (mut month_first, mut day_first) = (false, false);
    for c in cells {
        if let Some((a, b, _)) = slash_parts(c) {
            month_first |= b > 12 && a <= 12;
            day_first |= a > 12 && b <= 12;
        }
    }
    match (month_first, day_first) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// `9/30/2026` → `2026-09-30`.
fn month_first(c: &str) -> Option<String> {
    let (m, d, y) = slash_parts(c)?;
    chrono::NaiveDate::from_ymd_opt(y, m, d).map(|x| x.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::load_str;

    const FORM: &str = r#"
[settings]
form_id = "t"
[[survey]]
type = "begin_group"
name = "g"
label = "Metryczka"
[[survey]]
type = "select_one tn"
name = "dzieci"
label = "Dzieci w gospodarstwie"
[[survey]]
type = "end_group"
[[survey]]
type = "select_multiple u"
name = "uslugi"
label = "Usługi"
[[choices]]
list_name = "tn"
name = "tak"
label = "Tak"
[[choices]]
list_name = "u"
name = "opieka"
label = "Opieka, pielęgnacja"
[[choices]]
list_name = "u"
name = "transport"
label = "Transport"
"#;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn detects_signatures() {
        assert_eq!(
            detect(&h(&["start", "q", "_id", "_uuid", "_submission_time"])),
            Format::Kobo
        );
        assert_eq!(detect(&h(&["", "X_uuid", "q"])), Format::Kobo);
        assert_eq!(unmangle("x_uuid"), "_uuid");
        assert_eq!(
            detect(&h(&["SubmissionDate", "meta-instanceID", "q", "KEY"])),
            Format::Odk
        );
        assert_eq!(detect(&h(&["Sygnatura czasowa", "Płeć"])), Format::Google);
        assert_eq!(detect(&h(&["Timestamp", "Sex"])), Format::Google);
        assert_eq!(
            detect(&h(&["id", "submitdate", "lastpage", "Q1[SQ001]"])),
            Format::LimeSurvey
        );
        assert_eq!(
            detect(&h(&[
                "ID",
                "Start time",
                "Completion time",
                "Email",
                "Name",
                "Q"
            ])),
            Format::MsForms
        );
        assert_eq!(detect(&h(&["nr_ankiety", "plec"])), Format::Plain);
    }

    #[test]
    fn odk_zip_download() {
        use std::io::Write;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("ankieta.zip");
        let mut z = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("ankieta.csv", o).unwrap();
        z.write_all(b"SubmissionDate,meta-instanceID,q,KEY\n2026-10-01,uuid:a,tak,uuid:a\n")
            .unwrap();
        z.start_file("ankieta-osoby.csv", o).unwrap();
        z.write_all(b"imie,PARENT_KEY,KEY\nx,uuid:a,uuid:a/osoby[1]\n")
            .unwrap();
        z.start_file("files/uuid:a/photo.jpg", o).unwrap();
        z.write_all(b"jpg").unwrap();
        z.finish().unwrap();
        let t = crate::ingest::read_file(&p).unwrap();
        assert_eq!(t.headers, ["SubmissionDate", "meta-instanceID", "q", "KEY"]);
        assert_eq!(t.rows.len(), 1);
        assert!(
            t.detected
                .contains("repeat tables not read: ankieta-osoby.csv"),
            "{}",
            t.detected
        );
        assert_eq!(detect(&t.headers), Format::Odk);
    }

    #[test]
    fn excel_damage() {
        assert!(looks_scientific("3.56E+14") && looks_scientific("1,23457E+15"));
        assert!(
            !looks_scientific("E5") && !looks_scientific("12") && !looks_scientific("uuid:3e5")
        );
    }

    #[test]
    fn month_first_dates() {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            slash_order(v(&["9/30/2026 10:10", "1/2/2026"]).iter()),
            Some(true)
        );
        assert_eq!(slash_order(v(&["23/07/2018"]).iter()), Some(false));
        assert_eq!(slash_order(v(&["1/2/2026", "2026-01-02"]).iter()), None);
        assert_eq!(month_first("9/30/20 10:10"), Some("2020-09-30".into()));
        assert_eq!(month_first("2/30/2026"), None);
    }

    #[test]
    fn resolves_prefixes_and_splits() {
        let f = load_str(FORM, "t").unwrap().form;
        let r = |s: &str| resolve(s, &f).map(|x| x.0);
        assert_eq!(r("g/dzieci"), Some("dzieci".into()));
        assert_eq!(r("g-dzieci"), Some("dzieci".into()));
        assert_eq!(r("g.dzieci"), Some("dzieci".into()));
        assert_eq!(r("Metryczka/Dzieci w gospodarstwie"), Some("dzieci".into()));
        assert_eq!(r("uslugi.opieka"), Some("uslugi/opieka".into()));
        assert_eq!(r("uslugi[transport]"), Some("uslugi/transport".into()));
        assert_eq!(
            r("Usługi/Opieka, pielęgnacja"),
            Some("uslugi/opieka".into())
        );
        assert_eq!(
            r("Metryczka [Dzieci w gospodarstwie]"),
            Some("dzieci".into())
        );
        assert_eq!(r("dzieci"), None);
        assert_eq!(r("Dzieci w gospodarstwie"), Some("dzieci".into()));
        // Two questions labelled "Uwagi": the group prefix decides.
        let f2 = load_str(
            &FORM.replace(
                "[[survey]]\ntype = \"end_group\"",
                "[[survey]]\ntype = \"text\"\nname = \"uwagi_g\"\nlabel = \"Uwagi\"\n[[survey]]\ntype = \"end_group\"\n[[survey]]\ntype = \"text\"\nname = \"uwagi\"\nlabel = \"Uwagi\"",
            ),
            "t2",
        )
        .unwrap()
        .form;
        assert_eq!(
            resolve("Metryczka/Uwagi", &f2).map(|x| x.0),
            Some("uwagi_g".into())
        );
        assert_eq!(
            resolve("Inne/Uwagi", &f2).map(|x| x.0),
            Some("uwagi_g".into())
        );
        assert_eq!(r("cokolwiek"), None);
        assert_eq!(
            unknown_split("uslugi/zakupy", &f),
            Some(("uslugi".into(), "zakupy".into()))
        );
        assert_eq!(unknown_split("uslugi/transport", &f), None);
    }
}
