//! `diagnoza import FILE...`: read, validate against the questionnaire, store (one transaction
//! per file), and report every problem with its place.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Outcome;
use crate::ingest::{self, map};
use crate::response::Channel;
use crate::store::{Batch, Record, Store};
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
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let w = Workspace::open(ws)?;
    let form = w.questionnaire()?.form;
    let channel = Channel::parse(&a.channel).with_context(|| {
        format!(
            "--channel '{}' is unknown (expected one of: {})",
            a.channel,
            Channel::ALL
                .iter()
                .map(|c| c.0)
                .collect::<Vec<_>>()
                .join(", ")
        )
    })?;
    let mut store = Store::open(&w.store_path())?;
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut problems = false;
    for f in &a.files {
        // E-mail: .eml, mbox, maildir (by --channel email or by content).
        let source = ingest::email::detect(f).or_else(|| {
            (channel == Channel::Email && f.is_file()).then_some(ingest::email::Source::Message)
        });
        if let Some(source) = source {
            problems |= import_email(f, source, &form, &mut store, &now, a.dry_run)?;
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
        println!(
            "{}: {} data rows ({})",
            table.file,
            table.rows.len(),
            table.detected
        );
        let mapped = map::map(&table, &form, channel);
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
        if a.dry_run {
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
    }
    if problems {
        eprintln!(
            "Problems found: see the messages above; rejected records are listed by `diagnoza rejects` (they are kept in the store, nothing is lost)."
        );
        Ok(Outcome::Problems)
    } else {
        Ok(Outcome::Clean)
    }
}

/// Import one e-mail source (one transaction); true when something was rejected or unreadable.
fn import_email(
    f: &Path,
    source: ingest::email::Source,
    form: &crate::template::Questionnaire,
    store: &mut Store,
    now: &str,
    dry_run: bool,
) -> Result<bool> {
    let file = f.display().to_string();
    let messages = match ingest::email::read_messages(f, source) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e:#}");
            return Ok(true);
        }
    };
    let mut all = Vec::new();
    for m in &messages {
        all.extend_from_slice(&m.bytes);
    }
    let mapped = ingest::email::map_messages(&file, &messages, form);
    println!(
        "{file}: {} ({} message{}, {} attached table{})",
        source.describe(),
        mapped.messages,
        if mapped.messages == 1 { "" } else { "s" },
        mapped.attachments,
        if mapped.attachments == 1 { "" } else { "s" }
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
        return Ok(rejected > 0);
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
    Ok(o.rejected > 0)
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
