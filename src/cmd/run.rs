//! `diagnoza run`: the whole job on a workspace — import every file listed under `[[imports]]`
//! in diagnoza.toml, or, when it lists none, every file in the workspace's `imports/` folder
//! (channel recognised from the columns; files already imported are recognised and stored
//! once), then write the
//! report in every format and the draft programme from one diagnosis. Creates the store if the
//! workspace has none yet (a fresh clone of the example).

use std::path::Path;

use anyhow::{Result, bail};

use super::report::{Common, Format};
use super::{Outcome, import, programme, report};
use crate::lang::cli::M;
use crate::store::Store;
use crate::workspace::{ImportSpec, Workspace};

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
    let mut w = Workspace::open(ws)?;
    if w.config.imports.is_empty() {
        w.config.imports = import_folder(&w)?;
        super::print(&format!(
            "{}\n",
            super::msg(
                M::RunFolder,
                &[
                    ("n", &w.config.imports.len().to_string()),
                    ("dir", &w.dir.join("imports").display().to_string())
                ]
            )
        ))?;
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

/// Every file and folder (a maildir) in `imports/`, sorted, hidden ones left out; the channel
/// is recognised from each file's columns. None is an error naming both ways to give data.
fn import_folder(w: &Workspace) -> Result<Vec<ImportSpec>> {
    let dir = w.dir.join("imports");
    let mut names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.') && !n.starts_with("~$"))
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    if names.is_empty() {
        bail!(super::msg(
            M::RunNoImports,
            &[
                (
                    "cfg",
                    &w.dir
                        .join(crate::workspace::CONFIG_FILE)
                        .display()
                        .to_string()
                ),
                ("dir", &dir.display().to_string())
            ]
        ));
    }
    Ok(names
        .into_iter()
        .map(|n| ImportSpec {
            file: format!("imports/{n}"),
            channel: "auto".into(),
            form: String::new(),
        })
        .collect())
}
