//! `diagnoza rejects [--csv OUT]`: the rejected records and why. The CSV has the original columns
//! plus `_klucz` (the record key) and `_powod` (the reasons): fix the cells in Excel and import
//! the file again; a corrected record replaces its reject.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::{Outcome, msg};
use crate::lang::cli::M;
use crate::output;
use crate::store::{Reject, Store};
use crate::template::Questionnaire;
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write the rejects as CSV (UTF-8 with BOM, `;`-separated: opens in Polish Excel).
    #[arg(long)]
    pub csv: Option<PathBuf>,
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let w = Workspace::open(ws)?;
    let store = Store::open(&w.store_path())?;
    let mut per_form = Vec::new();
    for form in w.questionnaires()? {
        let rejects = store.rejects(&form.id)?;
        if !rejects.is_empty() {
            per_form.push((form, rejects));
        }
    }
    if per_form.is_empty() {
        println!("{}", msg(M::NoRejects, &[]));
        return Ok(Outcome::Clean);
    }
    let several = per_form.len() > 1;
    for (form, rejects) in &per_form {
        println!(
            "{}",
            msg(
                M::RejectsOf,
                &[("id", &form.id), ("n", &rejects.len().to_string())]
            )
        );
        for r in rejects {
            let line = if r.channel == crate::response::Channel::Email {
                M::RejectLineMail
            } else {
                M::RejectLine
            };
            println!(
                "{}",
                msg(
                    line,
                    &[
                        ("file", &crate::safe::term(&r.file)),
                        ("row", &r.row.to_string()),
                        ("excel", &(r.row + 1).to_string()),
                        ("channel", r.channel.code()),
                        ("key", &key_text(&r.record_key)),
                    ]
                )
            );
            for i in &r.issues {
                println!("  {}", issue_text(form, i));
            }
        }
        if let Some(out) = &a.csv {
            let out = if several {
                let stem = out.file_stem().unwrap_or_default().to_string_lossy();
                out.with_file_name(format!("{stem}-{}.csv", form.id))
            } else {
                out.clone()
            };
            output::write(&out, &rejects_csv(form, rejects)?)?;
            println!(
                "{}",
                msg(
                    M::RejectsWritten,
                    &[
                        ("n", &rejects.len().to_string()),
                        ("file", &out.display().to_string())
                    ]
                )
            );
        }
    }
    Ok(Outcome::Problems)
}

/// The rejects as CSV for Excel: `_klucz`, the questions, other original columns, `_powod`.
fn rejects_csv(form: &Questionnaire, rejects: &[Reject]) -> Result<Vec<u8>> {
    let mut cols: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    for q in form.data_questions() {
        if seen.insert(q.name.clone()) {
            cols.push(q.name.clone());
        }
    }
    for r in rejects {
        for k in r.raw.keys() {
            if !seen.contains(k) && !k.starts_with('_') {
                seen.insert(k.clone());
                cols.push(k.clone());
            }
        }
    }
    let mut wtr = crate::safe::CsvOut::new(b';', true);
    let mut header = vec!["_klucz".to_string()];
    header.extend(cols.iter().cloned());
    header.push("_powod".into());
    wtr.row(&header)?;
    for r in rejects {
        let mut row = vec![r.record_key.clone()];
        row.extend(
            cols.iter()
                .map(|c| r.raw.get(c).cloned().unwrap_or_default()),
        );
        row.push(
            r.issues
                .iter()
                .map(|i| issue_text(form, i))
                .collect::<Vec<_>>()
                .join(" | "),
        );
        wtr.row(&row)?;
    }
    wtr.finish()
}

/// One reason of a reject in the CLI's language (column, value, what was expected).
fn issue_text(form: &Questionnaire, i: &crate::issue::Issue) -> String {
    use crate::safe::term;
    let lang = super::ui();
    let mut text = msg(
        M::Issue,
        &[
            ("column", &term(&i.column)),
            ("value", &term(&i.value)),
            (
                "expected",
                &term(&super::explain::expected(Some(form), i, lang)),
            ),
        ],
    );
    if let Some(h) = super::explain::hint(Some(form), i, lang) {
        text.push_str(&format!(" — {h}"));
    }
    text
}

/// The record key as a clerk knows it: `ankieta nr 0901` for a questionnaire number.
fn key_text(key: &str) -> String {
    let safe = crate::safe::term(key);
    match key.strip_prefix("id:") {
        Some(nr) if !nr.contains(':') => msg(M::QuestionnaireNo, &[("nr", &crate::safe::term(nr))]),
        _ => safe,
    }
}
