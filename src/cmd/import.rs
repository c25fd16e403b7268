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
    /// CSV files (UTF-8, UTF-8 with BOM or windows-1250; `,` `;` or tab) or spreadsheets (.xlsx, .xls).
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
        for i in &mapped.file_issues {
            eprintln!("{i}");
        }
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
