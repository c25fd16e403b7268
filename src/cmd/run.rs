//! `diagnoza run`: the whole job on a workspace — import every file listed under `[[imports]]`
//! in diagnoza.toml (files already imported are recognised and stored once), then write the
//! report in every format and the draft programme from one diagnosis. Creates the store if the
//! workspace has none yet (a fresh clone of the example).

use std::path::Path;

use anyhow::{Result, bail};

use super::report::{Common, Format};
use super::{Outcome, import, programme, report};
use crate::store::Store;
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Report formats, comma-separated.
    #[arg(
        long,
        value_enum,
        default_value = "html,docx,md,xlsx",
        value_delimiter = ','
    )]
    pub format: Vec<Format>,
    #[command(flatten)]
    pub common: Common,
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
    // One diagnosis for the report and the programme: the store is decoded and analysed once.
    let mut d = a.common.diagnosis(ws)?;
    d.results()?;
    d.release_coded();
    let out = a.common.out_dir(&d);
    report::write(&d, &a.format, &out)?;
    programme::show(&d)?;
    programme::write(&d, &out)?;
    Ok(imported)
}
