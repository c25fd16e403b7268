//! `diagnoza run`: the whole job on a workspace — import every file listed under `[[imports]]`
//! in diagnoza.toml (files already imported are recognised and stored once), then write the
//! report in every format and the draft programme. Creates the store if the workspace has none yet (a fresh clone of the example).

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::{Outcome, import, programme, report};
use crate::store::Store;
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Report formats, comma-separated.
    #[arg(long, default_value = "html,docx,md,xlsx", value_delimiter = ',')]
    pub format: Vec<String>,
    /// Report language (default: diagnoza.toml's).
    #[arg(long)]
    pub lang: Option<String>,
    /// Output folder (default: the workspace's reports/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Ignore the population table in diagnoza.toml (no weighted figures).
    #[arg(long)]
    pub no_weights: bool,
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let w = Workspace::open(ws)?;
    if w.config.imports.is_empty() {
        bail!(
            "{}: no [[imports]] listed: add the data files to import, or use `diagnoza import`",
            w.dir.join(crate::workspace::CONFIG_FILE).display()
        );
    }
    if !w.store_path().exists() {
        Store::create(&w.store_path())?;
    }
    let mut imported = Outcome::Clean;
    for spec in &w.config.imports {
        let files = vec![(
            w.dir.join(&spec.file),
            import::parse_channel(&spec.channel)?,
        )];
        let opts = import::Options {
            form: Some(spec.form.clone()).filter(|f| !f.is_empty()),
            ..import::Options::default()
        };
        if import::import_files(&w, &files, &opts)? == Outcome::Problems {
            imported = Outcome::Problems;
        }
    }
    let reported = report::run(
        report::Args {
            format: a.format,
            lang: a.lang.clone(),
            out: a.out.clone(),
            no_weights: a.no_weights,
        },
        ws,
    )?;
    programme::run(
        programme::Args {
            lang: a.lang,
            out: a.out,
            no_weights: a.no_weights,
        },
        ws,
    )?;
    Ok(
        if imported == Outcome::Clean && reported == Outcome::Clean {
            Outcome::Clean
        } else {
            Outcome::Problems
        },
    )
}
