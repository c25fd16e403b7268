//! `diagnoza inventory [--out FILE.csv]`: the resource inventory from the institutions'
//! questionnaire, with the gap map against the residents' needs.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::Outcome;
use crate::diagnosis::{Diagnosis, Settings};
use crate::lang::Lang;
use crate::workspace::Workspace;
use crate::{inventory, output};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write the inventory as CSV (one row per area and service).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Label language (default: diagnoza.toml's).
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let w = Workspace::open(ws)?;
    if w.institutions()?.is_none() {
        bail!(
            "{}: no institutions' questionnaire: set `institutions = \"instytucje\"` under [diagnosis]",
            w.dir.join(crate::workspace::CONFIG_FILE).display()
        );
    }
    let settings = Settings::of(&w, a.lang, false)?;
    let d = Diagnosis::open(w, settings)?;
    let lang = d.lang();
    let Some(inv) = d.inventory()? else {
        bail!("the store holds no institutions' answers: import them first");
    };
    super::print(&inventory::terminal(inv, lang)?)?;
    if let Some(out) = a.out {
        output::write(&out, &inventory::csv(inv, lang)?)?;
        println!("Wrote {}", out.display());
    }
    Ok(Outcome::Clean)
}
