//! `diagnoza status`: what the store holds, per questionnaire.

use std::path::Path;

use anyhow::Result;

use super::{Outcome, msg};
use crate::lang::cli::M;
use crate::store::Store;
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_a: Args, ws: &Path) -> Result<Outcome> {
    let w = Workspace::open(ws)?;
    let store = Store::open(&w.store_path())?;
    let lang = super::ui().code();
    let dir = w.dir.display().to_string();
    println!(
        "{}",
        msg(
            M::StatusWorkspace,
            &[("dir", &dir), ("gmina", &w.config.diagnosis.gmina)]
        )
    );
    let mut open = 0;
    for form in w.questionnaires()? {
        let s = store.status(&form.id)?;
        open += s.rejects_open;
        println!(
            "\n{}",
            msg(
                M::Questionnaire,
                &[("id", &form.id), ("title", form.text(&form.title, lang))]
            )
        );
        println!("{}", msg(M::Imports, &[("n", &s.imports.to_string())]));
        let total: usize = s.per_channel.iter().map(|c| c.1).sum();
        println!("{}", msg(M::Stored, &[("n", &total.to_string())]));
        for (c, n) in &s.per_channel {
            println!("  {c:<12} {n}");
        }
        println!(
            "{}",
            msg(M::Duplicates, &[("n", &s.duplicates.to_string())])
        );
        if s.same_content > 0 {
            println!(
                "{}",
                msg(M::SameContent, &[("n", &s.same_content.to_string())])
            );
        }
        println!(
            "{}",
            msg(
                M::RejectsOpen,
                &[
                    ("open", &s.rejects_open.to_string()),
                    ("resolved", &s.rejects_resolved.to_string())
                ]
            )
        );
    }
    Ok(if open > 0 {
        Outcome::Problems
    } else {
        Outcome::Clean
    })
}
