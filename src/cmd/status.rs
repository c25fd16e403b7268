//! `diagnoza status`: what the store holds.

use std::path::Path;

use anyhow::Result;

use super::Outcome;
use crate::store::Store;
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_a: Args, ws: &Path) -> Result<Outcome> {
    let w = Workspace::open(ws)?;
    let form = w.questionnaire()?.form;
    let s = Store::open(&w.store_path())?.status(&form.id)?;
    println!("Workspace {} — gmina {}, questionnaire {}", w.dir.display(), w.config.diagnosis.gmina, form.id);
    println!("Imports: {}", s.imports);
    let total: usize = s.per_channel.iter().map(|c| c.1).sum();
    println!("Responses stored: {total}");
    for (c, n) in &s.per_channel {
        println!("  {c:<12} {n}");
    }
    println!("Duplicates seen (stored once): {}", s.duplicates);
    if s.same_content > 0 {
        println!("Responses identical to another one (possible double entry): {}", s.same_content);
    }
    println!("Rejects open: {} (corrected later: {})", s.rejects_open, s.rejects_resolved);
    Ok(if s.rejects_open > 0 { Outcome::Problems } else { Outcome::Clean })
}
