//! `diagnoza import FILE...`: read, validate against the questionnaire, store (one transaction
//! per file), and report every problem with its place.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Outcome;
use crate::ingest::{self, map};
use crate::response::Channel;
use crate::store::{Batch, Record, Store};
use crate::template::Questionnaire;
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// CSV files (UTF-8, UTF-8 with BOM or windows-1250; `,` `;` or tab), spreadsheets (.xlsx,
    /// .xls; the sheet `dane` of the data-entry workbook), or e-mail: .eml files, mbox files,
    /// maildir folders (recognised by their content).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// How the answers were collected.
    #[arg(long, default_value = "paper")]
    pub channel: String,
    /// Check and report only; store nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The questionnaire the files answer (a form_id of the workspace; default: recognised from
    /// the columns).
    #[arg(long)]
    pub form: Option<String>,
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let w = Workspace::open(ws)?;
    let channel = parse_channel(&a.channel)?;
    let files: Vec<(PathBuf, Channel)> = a.files.iter().map(|f| (f.clone(), channel)).collect();
    import_files_as(&w, &files, a.dry_run, a.form.as_deref())
}

/// A `--channel` value.
pub fn parse_channel(s: &str) -> Result<Channel> {
    Channel::parse(s).with_context(|| {
        format!(
            "channel '{s}' is unknown (expected one of: {})",
            Channel::ALL
                .iter()
                .map(|c| c.0)
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// Import files into the workspace's store, printing what happened to each record; each file
/// goes to the questionnaire its columns match best.
pub fn import_files(w: &Workspace, files: &[(PathBuf, Channel)], dry_run: bool) -> Result<Outcome> {
    import_files_as(w, files, dry_run, None)
}

/// Which of the workspace's questionnaires a table answers: the one named, else the one whose
/// questions its columns match best.
pub fn choose_form<'a>(
    table: &ingest::RawTable,
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
    let score = |f: &Questionnaire| {
        map::plan(table, f)
            .targets
            .iter()
            .filter(|t| matches!(t, map::Target::Question(_) | map::Target::Split(..)))
            .count()
    };
    let mut scored: Vec<(usize, &Questionnaire)> = forms.iter().map(|f| (score(f), f)).collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    match scored.as_slice() {
        [(0, _), ..] => anyhow::bail!(
            "{}: no column matches a question of any questionnaire of this workspace ({})",
            table.file,
            ids()
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

/// [`import_files`] with the questionnaire named (`--form`).
pub fn import_files_as(
    w: &Workspace,
    files: &[(PathBuf, Channel)],
    dry_run: bool,
    wanted: Option<&str>,
) -> Result<Outcome> {
    let forms = w.questionnaires()?;
    let mut store = Store::open(&w.store_path())?;
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut problems = false;
    let mut rejected_any = false;
    for (f, channel) in files {
        let channel = *channel;
        // E-mail: .eml, mbox, maildir (by content, or any file but a CSV or spreadsheet with
        // --channel email).
        let source = ingest::email::detect(f).or_else(|| {
            (channel == Channel::Email && f.is_file() && !ingest::email::is_table_file(f))
                .then_some(ingest::email::Source::Message)
        });
        if let Some(source) = source {
            let (p, r) = import_email(f, source, &forms, wanted, &mut store, &now, dry_run)?;
            problems |= p;
            rejected_any |= r;
            continue;
        }
        let table = match ingest::read_file(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {e:#}");
                problems = true;
                continue;
            }
        };
        let form = match choose_form(&table, &forms, wanted) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("error: {e:#}");
                problems = true;
                continue;
            }
        };
        println!(
            "{}: {} data rows ({}), questionnaire '{}'",
            table.file,
            table.rows.len(),
            table.detected,
            form.id
        );
        let mapped = map::map(&table, form, channel);
        print_file_issues(&mapped.file_issues);
        // A column that is not a question is data that does not reach the analysis.
        problems |= mapped
            .file_issues
            .iter()
            .any(|i| i.question.is_empty() && !i.column.is_empty());
        let mut warnings = 0;
        for r in &mapped.records {
            match r {
                Record::Rejected { issues, .. } => {
                    for i in issues {
                        eprintln!("{i}");
                    }
                }
                Record::Accepted { warnings: w, .. } => {
                    warnings += w.len();
                    for i in w {
                        eprintln!("{i}");
                    }
                }
            }
        }
        let batch = Batch {
            form_id: form.id.clone(),
            file: table.file.clone(),
            file_hash: table.file_hash.clone(),
            channel,
            records: mapped.records,
        };
        if dry_run {
            let rejected = batch
                .records
                .iter()
                .filter(|r| matches!(r, Record::Rejected { .. }))
                .count();
            println!(
                "  dry run: {} would be accepted, {rejected} rejected, {warnings} warnings; nothing stored",
                batch.records.len() - rejected
            );
            problems |= rejected > 0;
            continue;
        }
        let o = store
            .import(&batch, &now)
            .with_context(|| format!("storing {}", table.file))?;
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
            eprintln!(
                "{}:{row}: duplicate of {first} (key {key}): stored once",
                table.file
            );
        }
        problems |= o.rejected > 0;
        rejected_any |= o.rejected > 0;
    }
    if rejected_any {
        eprintln!(
            "Some records were rejected: see `diagnoza rejects` (they are kept in the store, nothing is lost)."
        );
    }
    if problems {
        Ok(Outcome::Problems)
    } else {
        Ok(Outcome::Clean)
    }
}

/// Print the problems about a file as a whole; questions without a column are listed on one
/// line (a partial table, such as a batch typed with only some columns, is normal).
fn print_file_issues(issues: &[crate::issue::Issue]) {
    let (missing, other): (Vec<_>, Vec<_>) = issues
        .iter()
        .partition(|i| i.column.is_empty() && !i.question.is_empty() && i.row == 0);
    for i in other {
        eprintln!("{i}");
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
    for i in &mapped.file_issues {
        eprintln!("{i}");
    }
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
        eprintln!("{file}:{row}: duplicate of {first} (key {key}): stored once");
    }
    Ok((o.rejected > 0, o.rejected > 0))
}
