//! `diagnoza import FILE...`: read, recognise the tool that exported it (formats), validate
//! against the questionnaire, store (one transaction per file), and report every problem with
//! its place.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Outcome;
use crate::ingest::{self, formats, map};
use crate::response::Channel;
use crate::store::{Batch, Record, Store};
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// CSV files (UTF-8, UTF-8 with BOM or windows-1250; `,` `;` or tab) or spreadsheets (.xlsx, .xls).
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
    /// A mapping file (TOML): `[columns]` "header" = "question" ("" ignores a column) and
    /// `[values.QUESTION]` "answer text" = "code", for columns that do not match by themselves.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Keep submissions rejected in review (Kobo "Not approved", ODK "rejected").
    #[arg(long)]
    pub include_rejected: bool,
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let w = Workspace::open(ws)?;
    let form = w.questionnaire()?.form;
    let forced = if a.channel == "auto" {
        None
    } else {
        Some(Channel::parse(&a.channel).with_context(|| {
            format!(
                "--channel '{}' is unknown (expected auto or one of: {})",
                a.channel,
                Channel::ALL
                    .iter()
                    .map(|c| c.0)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?)
    };
    let mapping = match &a.mapping {
        Some(p) => Some(formats::Mapping::load(p, &form)?),
        None => None,
    };
    let mut store = Store::open(&w.store_path())?;
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut problems = false;
    let mut rejects = false;
    for f in &a.files {
        let table = match ingest::read_file(f) {
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
        let norm = formats::normalise(table, &form, format, mapping.as_ref());
        let table = &norm.table;
        println!(
            "{}: {} data rows ({}; {}{})",
            table.file,
            table.rows.len(),
            table.detected,
            format.name(),
            if forced.is_none() && format != formats::Format::Plain {
                ", recognised"
            } else {
                ""
            }
        );
        for n in &norm.notes {
            println!("  {n}");
        }
        let matched = map::plan_with(table, &form, &norm.names)
            .targets
            .iter()
            .filter(|t| matches!(t, map::Target::Question(_) | map::Target::Split(..)))
            .count();
        if matched == 0 && !table.rows.is_empty() {
            if a.dry_run {
                print_plan(&norm, &form);
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
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            problems = true;
            continue;
        }
        let mut mapped = map::map_with(table, &form, channel, &norm.names);
        if a.dry_run {
            print_plan(&norm, &form);
        }
        for i in &mapped.file_issues {
            eprintln!("{i}");
        }
        formats::apply_row_errors(&mut mapped.records, &norm, a.include_rejected);
        if !norm.review_rejected.is_empty() {
            println!(
                "  {} submission(s) rejected in review{}",
                norm.review_rejected.len(),
                if a.include_rejected {
                    ": kept (--include-rejected)"
                } else {
                    ": put in the rejects with that reason"
                }
            );
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
        if a.dry_run {
            let rejected = batch.records.iter().filter(|r| matches!(r, Record::Rejected { .. })).count();
            println!(
                "  dry run: {} would be accepted, {rejected} rejected, {warnings} warnings; nothing stored",
                batch.records.len() - rejected
            );
            problems |= rejected > 0;
            rejects |= rejected > 0;
            continue;
        }
        let o = store.import(&batch, &now).with_context(|| format!("storing {}", table.file))?;
        println!(
            "  accepted {}, rejected {}, duplicates {} (already in the store), warnings {warnings}{}",
            o.accepted,
            o.rejected,
            o.duplicates.len(),
            if o.resolved > 0 { format!(", {} earlier rejects corrected", o.resolved) } else { String::new() }
        );
        for (row, key, first) in &o.duplicates {
            eprintln!("{}:{row}: duplicate of {first} (key {key}): stored once", table.file);
        }
        problems |= o.rejected > 0;
        rejects |= o.rejected > 0;
    }
    if problems {
        if rejects && a.dry_run {
            eprintln!("Some records would be rejected (dry run: nothing was stored).");
        } else if rejects {
            eprintln!(
                "Some records were rejected: see `diagnoza rejects` (they are kept in the store, nothing is lost)."
            );
        }
        Ok(Outcome::Problems)
    } else {
        Ok(Outcome::Clean)
    }
}

/// `--dry-run`: every column, what it matched and why (or why not).
fn print_plan(norm: &formats::Normalised, form: &crate::template::Questionnaire) {
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
        println!("    {h:<40} {text}");
    }
    if unmatched > 0 {
        println!(
            "  {unmatched} column(s) not matched: write a mapping file (see docs/interop.md) and pass --mapping FILE"
        );
    }
}
