//! `diagnoza import FILE...`: read (CSV, spreadsheets, e-mail), recognise the tool that
//! exported it (formats), pick the workspace's questionnaire it answers, validate, store (one
//! transaction per file), and report every problem with its place.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Outcome;
use crate::ingest::{self, formats, map};
use crate::response::Channel;
use crate::store::{Batch, Record, Store};

/// Rows mapped, validated and stored at a time: an import holds this many records in memory,
/// whatever the size of the file.
pub const WINDOW: usize = 2048;
use crate::template::Questionnaire;
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// CSV files (UTF-8/16 with or without BOM, windows-1250/1252, ISO-8859-2 detected, or
    /// --encoding; `,` `;` or tab), spreadsheets (.xlsx,
    /// .xls; the sheet `dane` of the data-entry workbook), ODK Central ZIP downloads, or e-mail:
    /// .eml files, mbox files, maildir folders (recognised by their content).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// How the answers were collected: `auto` recognises exports of kobo, odk, google,
    /// limesurvey and msforms by their columns (anything else counts as paper); or name one of
    /// them, or paper, email, online, other.
    #[arg(long, default_value = "auto")]
    pub channel: String,
    /// Check and report only; store nothing. Prints which column matched which question and why.
    #[arg(long)]
    pub dry_run: bool,
    /// The questionnaire the files answer (a form_id of the workspace; default: recognised from
    /// the columns).
    #[arg(long)]
    pub form: Option<String>,
    /// A mapping file (TOML): `[columns]` "header" = "question" ("" ignores a column) and
    /// `[values.QUESTION]` "answer text" = "code", for columns that do not match by themselves.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Keep submissions rejected in review (Kobo "Not approved", ODK "rejected").
    #[arg(long)]
    pub include_rejected: bool,
    /// Encoding of CSV files (utf-8, windows-1250, windows-1252, iso-8859-2, utf-16le …):
    /// forces it instead of detecting it.
    #[arg(long)]
    pub encoding: Option<String>,
}

/// How to import: everything but the files.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub dry_run: bool,
    /// A form_id of the workspace; None: recognised from the columns.
    pub form: Option<String>,
    pub mapping: Option<PathBuf>,
    pub include_rejected: bool,
    /// Forced encoding of CSV files; None: detected.
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let w = Workspace::open(ws)?;
    let channel = parse_channel(&a.channel)?;
    let files: Vec<(PathBuf, Option<Channel>)> =
        a.files.iter().map(|f| (f.clone(), channel)).collect();
    let opts = Options {
        dry_run: a.dry_run,
        form: a.form,
        mapping: a.mapping,
        include_rejected: a.include_rejected,
        encoding: match a.encoding.as_deref() {
            None => None,
            Some(label) => Some(ingest::decode::encoding_for_label(label).with_context(|| {
                format!(
                    "--encoding '{label}' is not an encoding name (e.g. utf-8, windows-1250, \
                     windows-1252, iso-8859-2, utf-16le)"
                )
            })?),
        },
    };
    import_files(&w, &files, &opts)
}

/// A `--channel` value: `auto` (None) or a channel.
pub fn parse_channel(s: &str) -> Result<Option<Channel>> {
    if s == "auto" {
        return Ok(None);
    }
    Channel::parse(s).map(Some).with_context(|| {
        format!(
            "--channel '{s}' is unknown (expected auto or one of: {})",
            Channel::ALL
                .iter()
                .map(|c| c.0)
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// How many columns of a (normalised) table are questions of `form`.
fn matched(norm: &formats::Normalised, form: &Questionnaire) -> usize {
    map::plan_with(&norm.table, form, &norm.names)
        .targets
        .iter()
        .filter(|t| matches!(t, map::Target::Question(_) | map::Target::Split(..)))
        .count()
}

/// Which of the workspace's questionnaires a table answers: the one named, else the one whose
/// questions its columns match best.
pub fn choose_form<'a>(
    table: &ingest::RawTable,
    format: formats::Format,
    forms: &'a [Questionnaire],
    wanted: Option<&str>,
) -> Result<&'a Questionnaire> {
    let ids = || {
        forms
            .iter()
            .map(|f| f.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(id) = wanted {
        return forms.iter().find(|f| f.id == id).with_context(|| {
            format!(
                "--form '{id}' is not a questionnaire of this workspace (it has: {})",
                ids()
            )
        });
    }
    if forms.len() == 1 {
        return Ok(&forms[0]);
    }
    let mut scored: Vec<(usize, &Questionnaire)> = forms
        .iter()
        .map(|f| {
            (
                matched(&formats::normalise(table.clone(), f, format, None), f),
                f,
            )
        })
        .collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    match scored.as_slice() {
        [(0, _), ..] => anyhow::bail!(
            "{}: none of its {} columns is a question of any questionnaire of this workspace ({}): \
             is it the right file? Nothing was read from it. Columns: {}",
            table.file,
            table.headers.len(),
            ids(),
            table
                .headers
                .iter()
                .take(8)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ),
        [(a, _), (b, _), ..] if a == b => anyhow::bail!(
            "{}: the columns match questionnaires equally well; say which with --form ({})",
            table.file,
            ids()
        ),
        [(_, f), ..] => Ok(f),
        [] => anyhow::bail!("the workspace has no questionnaire"),
    }
}

/// Import files into the workspace's store, printing what happened to each record. A channel of
/// None is recognised from the file (`auto`).
pub fn import_files(
    w: &Workspace,
    files: &[(PathBuf, Option<Channel>)],
    opts: &Options,
) -> Result<Outcome> {
    // Senders are hashed under the workspace's own secret (created on the first import).
    crate::safe::use_workspace_secret(&w.dir)?;
    let forms = w.questionnaires()?;
    let wanted = opts.form.as_deref();
    let mut store = Store::open(&w.store_path())?;
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut problems = false;
    let mut rejected_any = false;
    for (f, forced) in files {
        let forced = *forced;
        // E-mail: .eml, mbox, maildir (by content, or any file but a CSV or spreadsheet with
        // --channel email).
        let source = ingest::email::detect(f).or_else(|| {
            (forced == Some(Channel::Email) && f.is_file() && !ingest::email::is_table_file(f))
                .then_some(ingest::email::Source::Message)
        });
        if let Some(source) = source {
            let (p, r) = import_email(f, source, &forms, wanted, &mut store, &now, opts.dry_run)?;
            problems |= p;
            rejected_any |= r;
            continue;
        }
        let read = match opts.encoding {
            Some(enc) if ingest::is_csv_path(f) => std::fs::read(f)
                .with_context(|| format!("cannot read {}", f.display()))
                .and_then(|b| ingest::read_csv_bytes_as(&b, &f.display().to_string(), Some(enc))),
            _ => ingest::read_file(f),
        };
        let table = match read {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {e:#}");
                problems = true;
                continue;
            }
        };
        let format = match forced {
            Some(c) => formats::Format::from_channel(c),
            None => formats::detect(&table.headers),
        };
        let channel = forced.or(format.channel()).unwrap_or(Channel::Paper);
        let form = match choose_form(&table, format, &forms, wanted) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("error: {e:#}");
                problems = true;
                continue;
            }
        };
        let mapping = match &opts.mapping {
            Some(p) => Some(formats::Mapping::load(p, form)?),
            None => None,
        };
        let norm = formats::normalise(table, form, format, mapping.as_ref());
        let table = &norm.table;
        println!(
            "{}: {} data rows ({}; {}{}), questionnaire '{}'",
            table.file,
            table.rows.len(),
            table.detected,
            format.name(),
            if forced.is_none() && format != formats::Format::Plain {
                ", recognised"
            } else {
                ""
            },
            form.id
        );
        for n in &norm.notes {
            println!("  {n}");
        }
        if matched(&norm, form) == 0 && !table.rows.is_empty() {
            if opts.dry_run {
                print_plan(&norm, form);
            }
            eprintln!(
                "error: {}: none of its {} columns is a question of the questionnaire '{}' (by name, \
                 label, or question/choice): is it the right file for this workspace? Nothing \
                 was read from it. Columns: {}",
                table.file,
                table.headers.len(),
                form.id,
                table
                    .headers
                    .iter()
                    .take(8)
                    .map(|h| crate::safe::term(h))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            problems = true;
            continue;
        }
        let plan = map::plan_with(table, form, &norm.names);
        if opts.dry_run {
            print_plan(&norm, form);
        }
        print_file_issues(&plan.issues);
        // A column that is not a question is data that does not reach the analysis.
        problems |= plan
            .issues
            .iter()
            .any(|i| i.question.is_empty() && !i.column.is_empty());
        if !norm.review_rejected.is_empty() {
            println!(
                "  {} submission(s) rejected in review{}",
                norm.review_rejected.len(),
                if opts.include_rejected {
                    ": kept (--include-rejected)"
                } else {
                    ": put in the rejects with that reason"
                }
            );
        }
        // Streamed: the rows are mapped and validated a window at a time (on every core) and
        // each window stored at once, all in the file's one transaction.
        let mut importing = if opts.dry_run {
            None
        } else {
            Some(
                store
                    .begin_import(&form.id, &table.file, &table.file_hash, channel, &now)
                    .with_context(|| format!("storing {}", table.file))?,
            )
        };
        let (mut warnings, mut rejected, mut records) = (0, 0, 0);
        let mut progress = crate::progress::Progress::rows(table.rows.len() as u64, &table.file);
        for (w, rows) in table.rows.chunks(WINDOW).enumerate() {
            let mut window = map_window(table, form, channel, &plan, w * WINDOW, rows);
            formats::apply_row_errors(&mut window, &norm, opts.include_rejected);
            progress.suspend(|| {
                for r in &window {
                    match r {
                        Record::Rejected { issues, .. } => {
                            rejected += 1;
                            issues.iter().for_each(|i| eprintln!("{i}"));
                        }
                        Record::Accepted { warnings: w, .. } => {
                            warnings += w.len();
                            w.iter().for_each(|i| eprintln!("{i}"));
                        }
                    }
                }
            });
            records += window.len();
            if let Some(imp) = importing.as_mut() {
                imp.add(&window)
                    .with_context(|| format!("storing {}", table.file))?;
            }
            progress.inc(rows.len() as u64);
        }
        progress.finish();
        let Some(importing) = importing else {
            println!(
                "  dry run: {} would be accepted, {rejected} rejected, {warnings} warnings; nothing stored",
                records - rejected
            );
            problems |= rejected > 0;
            continue;
        };
        let o = importing
            .finish()
            .with_context(|| format!("storing {}", table.file))?;
        print_outcome(&table.file, &o, warnings);
        problems |= o.rejected > 0;
        rejected_any |= o.rejected > 0;
    }
    if rejected_any {
        eprintln!(
            "Some records were rejected: see `diagnoza rejects` (they are kept in the store, nothing is lost)."
        );
    } else if problems && opts.dry_run {
        eprintln!(
            "Some records would be rejected or columns are not matched (dry run: nothing was stored)."
        );
    }
    Ok(if problems {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}

/// Map and validate the data rows `rows` (data rows `first + 1` on) of `table`, skipping blank
/// lines, on every core; records in row order.
fn map_window(
    table: &ingest::RawTable,
    form: &Questionnaire,
    channel: Channel,
    plan: &map::Plan,
    first: usize,
    rows: &[Vec<String>],
) -> Vec<Record> {
    let one = |offset: usize, rows: &[Vec<String>]| -> Vec<Record> {
        rows.iter()
            .enumerate()
            .filter(|(_, cells)| !cells.iter().all(|c| c.trim().is_empty()))
            .map(|(i, cells)| {
                map::map_row(table, form, channel, plan, first + offset + i + 1, cells)
            })
            .collect()
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    if threads < 2 || rows.len() < 256 {
        return one(0, rows);
    }
    let per = rows.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = rows
            .chunks(per)
            .enumerate()
            .map(|(k, part)| s.spawn(move || one(k * per, part)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// `--dry-run`: every column, what it matched and why (or why not).
fn print_plan(norm: &formats::Normalised, form: &Questionnaire) {
    let plan = map::plan_with(&norm.table, form, &norm.names);
    println!("  columns:");
    let mut unmatched = 0;
    for (ci, t) in plan.targets.iter().enumerate() {
        let h = &norm.table.headers[ci];
        let how = norm.how.get(ci).filter(|s| !s.is_empty());
        let text = match t {
            map::Target::Question(i) => {
                let q = &form.questions[*i];
                let by = if how.is_some() {
                    how.cloned().unwrap_or_default()
                } else if q.name.eq_ignore_ascii_case(h.trim()) {
                    format!("question '{}' (by name)", q.name)
                } else {
                    format!("question '{}' (by label)", q.name)
                };
                format!("-> {by}")
            }
            map::Target::Split(i, c) => format!(
                "-> {}",
                how.cloned().unwrap_or_else(|| format!(
                    "choice '{c}' of '{}' (split column)",
                    form.questions[*i].name
                ))
            ),
            map::Target::Id => {
                if plan.id_column == Some(ci) {
                    "-> record id (repeated imports are deduplicated by it)".to_string()
                } else {
                    "-> another id column, kept with the record".to_string()
                }
            }
            map::Target::Meta if plan.personal.contains(&ci) => {
                "-> personal data (by its name): not stored".to_string()
            }
            map::Target::Meta => match how {
                Some(h) => format!("-> {h}"),
                None => "-> kept with the record (system column / provenance)".to_string(),
            },
            map::Target::Unknown => {
                unmatched += 1;
                match how {
                    Some(h) => format!("-> {h}"),
                    None => {
                        "-> NOT MATCHED: no question has this name or label (as a header, after \
                             dropping group prefixes, or as question/choice); cells kept with the \
                             record, not imported; fix it with --mapping"
                            .to_string()
                    }
                }
            }
        };
        if ci < 200 {
            println!("    {:<40} {text}", crate::safe::term(h));
        } else if ci == 200 {
            println!("    … {} more columns", plan.targets.len() - 200);
        }
    }
    if unmatched > 0 {
        println!(
            "  {unmatched} column(s) not matched: write a mapping file (see the README: A mapping file for the columns that do not match) and pass --mapping FILE"
        );
    }
}

/// Print the problems about a file as a whole; questions without a column are listed on one
/// line (a partial table, such as a batch typed with only some columns, is normal).
fn print_file_issues(issues: &[crate::issue::Issue]) {
    let (missing, other): (Vec<_>, Vec<_>) = issues
        .iter()
        .partition(|i| i.column.is_empty() && !i.question.is_empty() && i.row == 0);
    // One kind of problem (e.g. 10,000 unknown columns) is listed a few times, then counted.
    let mut shown: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for i in &other {
        let n = shown.entry(i.expected.as_str()).or_default();
        *n += 1;
        if *n <= crate::safe::MAX_LISTED {
            eprintln!("{i}");
        }
    }
    for (expected, n) in shown {
        if n > crate::safe::MAX_LISTED {
            eprintln!(
                "… and {} more like this (expected {})",
                n - crate::safe::MAX_LISTED,
                crate::safe::term(expected)
            );
        }
    }
    if let Some(first) = missing.first() {
        let names: Vec<&str> = missing.iter().map(|i| i.question.as_str()).collect();
        let what = if names.len() == 1 {
            "1 question has no column and counts".to_string()
        } else {
            format!("{} questions have no column and count", names.len())
        };
        eprintln!(
            "{}: warning: {what} as not answered: {}",
            first.file,
            names.join(", ")
        );
    }
}

/// Import one e-mail source (one transaction). Returns (problems, something rejected). The
/// questionnaire: the one named, else the one for which most messages hold answers.
fn import_email(
    f: &Path,
    source: ingest::email::Source,
    forms: &[Questionnaire],
    wanted: Option<&str>,
    store: &mut Store,
    now: &str,
    dry_run: bool,
) -> Result<(bool, bool)> {
    let file = f.display().to_string();
    let messages = match ingest::email::read_messages(f, source) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e:#}");
            return Ok((true, false));
        }
    };
    let candidates: Vec<&Questionnaire> = match wanted {
        Some(id) => vec![forms.iter().find(|q| q.id == id).with_context(|| {
            format!(
                "--form '{id}' is not a questionnaire of this workspace (it has: {})",
                forms
                    .iter()
                    .map(|q| q.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?],
        None => forms.iter().collect(),
    };
    let mut best: Option<(usize, &Questionnaire, ingest::email::MailBatch)> = None;
    for form in candidates {
        let mapped = ingest::email::map_messages(&file, &messages, form);
        let found = mapped
            .records
            .iter()
            .filter(|r| match r {
                Record::Accepted { .. } => true,
                Record::Rejected { raw, .. } => raw.contains_key("_czesc"),
            })
            .count();
        if best.as_ref().is_none_or(|b| found > b.0) {
            best = Some((found, form, mapped));
        }
    }
    let Some((_, form, mapped)) = best else {
        anyhow::bail!("the workspace has no questionnaire")
    };
    let mut all = Vec::new();
    for m in &messages {
        all.extend_from_slice(&m.bytes);
    }
    println!(
        "{file}: {} ({} message{}, {} attached table{}), questionnaire '{}'",
        source.describe(),
        mapped.messages,
        if mapped.messages == 1 { "" } else { "s" },
        mapped.attachments,
        if mapped.attachments == 1 { "" } else { "s" },
        form.id
    );
    print_file_issues(&mapped.file_issues);
    let mut warnings = 0;
    for r in &mapped.records {
        match r {
            Record::Rejected { issues, .. } => issues.iter().for_each(|i| eprintln!("{i}")),
            Record::Accepted { warnings: w, .. } => {
                warnings += w.len();
                w.iter().for_each(|i| eprintln!("{i}"));
            }
        }
    }
    let rejected = mapped
        .records
        .iter()
        .filter(|r| matches!(r, Record::Rejected { .. }))
        .count();
    if dry_run {
        println!(
            "  dry run: {} would be accepted, {rejected} rejected, {warnings} warnings; nothing stored",
            mapped.records.len() - rejected
        );
        return Ok((rejected > 0, false));
    }
    let batch = Batch {
        form_id: form.id.clone(),
        file: file.clone(),
        file_hash: ingest::hash_bytes(&all),
        channel: Channel::Email,
        records: mapped.records,
    };
    let o = store
        .import(&batch, now)
        .with_context(|| format!("storing {file}"))?;
    print_outcome(&file, &o, warnings);
    Ok((o.rejected > 0, o.rejected > 0))
}

/// What storing a file did: counts, then every duplicate with where it was first seen.
fn print_outcome(file: &str, o: &crate::store::Outcome, warnings: usize) {
    println!(
        "  accepted {}, rejected {}, duplicates {} (already in the store), warnings {warnings}{}",
        o.accepted,
        o.rejected,
        o.duplicates.len(),
        if o.resolved > 0 {
            format!(", {} earlier rejects corrected", o.resolved)
        } else {
            String::new()
        }
    );
    for (row, key, first) in &o.duplicates {
        let key = crate::safe::term(key);
        eprintln!("{file}:{row}: duplicate of {first} (key {key}): stored once");
    }
    for (row, key, first) in &o.conflicts {
        let key = crate::safe::term(key);
        eprintln!(
            "{file}:{row}: conflict: key {key} is already used by {first} with different answers: put in the rejects"
        );
    }
}
