//! `diagnoza rejects [--csv OUT]`: the rejected records and why. The CSV has the original columns
//! plus `_klucz` (the record key) and `_powod` (the reasons): fix the cells in Excel and import
//! the file again; a corrected record replaces its reject.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::Outcome;
use crate::output;
use crate::store::Store;
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write the rejects as CSV (UTF-8 with BOM, `;`-separated: opens in Polish Excel).
    #[arg(long)]
    pub csv: Option<PathBuf>,
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let w = Workspace::open(ws)?;
    let form = w.questionnaire()?.form;
    let rejects = Store::open(&w.store_path())?.rejects(&form.id)?;
    if rejects.is_empty() {
        println!("No open rejects.");
        return Ok(Outcome::Clean);
    }
    for r in &rejects {
        println!("{}:{} ({}), key {}", r.file, r.row, r.channel.code(), r.record_key);
        for i in &r.issues {
            println!("  {i}");
        }
    }
    if let Some(out) = a.csv {
        let mut cols: Vec<String> = Vec::new();
        let mut seen = BTreeSet::new();
        for q in form.data_questions() {
            if seen.insert(q.name.clone()) {
                cols.push(q.name.clone());
            }
        }
        for r in &rejects {
            for k in r.raw.keys() {
                if !seen.contains(k) && !k.starts_with('_') {
                    seen.insert(k.clone());
                    cols.push(k.clone());
                }
            }
        }
        let mut wtr = csv::WriterBuilder::new().delimiter(b';').from_writer(vec![0xEF, 0xBB, 0xBF]);
        let mut header = vec!["_klucz".to_string()];
        header.extend(cols.iter().cloned());
        header.push("_powod".into());
        wtr.write_record(&header)?;
        for r in &rejects {
            let mut row = vec![r.record_key.clone()];
            row.extend(cols.iter().map(|c| r.raw.get(c).cloned().unwrap_or_default()));
            row.push(r.issues.iter().map(|i| format!("{}: '{}': expected {}", i.column, i.value, i.expected)).collect::<Vec<_>>().join(" | "));
            wtr.write_record(&row)?;
        }
        output::write(&out, &wtr.into_inner()?)?;
        println!("Wrote {} rejects to {}: fix the cells, then import the file again.", rejects.len(), out.display());
    }
    Ok(Outcome::Problems)
}
