//! `diagnoza init DIR --gmina NAME`: create a workspace.

use std::path::PathBuf;

use anyhow::{Result, bail};

use super::Outcome;
use crate::{output, store::Store, template, workspace};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to create (or an empty existing one).
    pub dir: PathBuf,
    /// The gmina's name, e.g. "Wydminy".
    #[arg(long)]
    pub gmina: String,
    /// The questionnaire: a bundled template name or a TOML file.
    #[arg(long, default_value = "mieszkancy")]
    pub template: String,
}

pub fn run(a: Args) -> Result<Outcome> {
    let cfg = a.dir.join(workspace::CONFIG_FILE);
    if cfg.exists() {
        bail!("{} already exists: this folder is a workspace already", cfg.display());
    }
    let src = template::resolve(&a.template, None).ok_or_else(|| {
        anyhow::anyhow!(
            "template '{}' is neither a file nor a bundled template ({})",
            a.template,
            template::builtin_names().join(", ")
        )
    })?;
    src.load()?;
    std::fs::create_dir_all(a.dir.join("imports"))?;
    std::fs::create_dir_all(a.dir.join("reports"))?;
    let template_ref = match &src {
        template::text::Source::Builtin(n) => n.to_string(),
        template::text::Source::File(p) => {
            let dest = a.dir.join("survey-templates").join(p.file_name().unwrap_or_default());
            output::write(&dest, &std::fs::read(p)?)?;
            dest.file_stem().unwrap_or_default().to_string_lossy().into_owned()
        }
    };
    output::write(&cfg, workspace::initial_config(&a.gmina, &template_ref).as_bytes())?;
    Store::create(&a.dir.join(workspace::STORE_FILE))?;
    println!("Created the workspace {} for gmina {}.", a.dir.display(), a.gmina);
    println!("Next: edit {} (stages I–II of the report), then `diagnoza -w {} import FILE.csv`.", cfg.display(), a.dir.display());
    Ok(Outcome::Clean)
}
