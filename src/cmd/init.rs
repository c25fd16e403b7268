//! `diagnoza init DIR --gmina NAME`: create a workspace.

use std::path::PathBuf;

use anyhow::{Result, bail};

use super::{Outcome, msg};
use crate::lang::cli::M;
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
    /// The institution carrying out the diagnosis, e.g. "Gminny Ośrodek Pomocy Społecznej w
    /// Wydminach".
    #[arg(long, visible_alias = "instytucja")]
    pub institution: Option<String>,
    /// Where paper questionnaires are handed in.
    #[arg(long, visible_alias = "adres")]
    pub return_address: Option<String>,
    /// The e-mail address questionnaires are sent back to.
    #[arg(long, visible_alias = "email")]
    pub return_email: Option<String>,
}

pub fn run(a: Args) -> Result<Outcome> {
    let cfg = a.dir.join(workspace::CONFIG_FILE);
    if cfg.exists() {
        bail!(msg(M::InitExists, &[("cfg", &cfg.display().to_string())]));
    }
    let src = template::resolve(&a.template, None).ok_or_else(|| {
        anyhow::anyhow!(msg(
            M::InitNoTemplate,
            &[
                ("name", &a.template),
                ("list", &template::builtin_names().join(", "))
            ]
        ))
    })?;
    src.load()?;
    std::fs::create_dir_all(a.dir.join("imports"))?;
    std::fs::create_dir_all(a.dir.join("reports"))?;
    let template_ref = match &src {
        template::text::Source::Builtin(n) => n.to_string(),
        template::text::Source::File(p) => {
            let dest = a
                .dir
                .join("survey-templates")
                .join(p.file_name().unwrap_or_default());
            output::write(&dest, &std::fs::read(p)?)?;
            dest.file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        }
    };
    output::write(
        &cfg,
        workspace::initial_config_in(
            &workspace::Plan {
                gmina: &a.gmina,
                template: &template_ref,
                institution: a.institution.as_deref().unwrap_or(""),
                return_address: a.return_address.as_deref().unwrap_or(""),
                return_email: a.return_email.as_deref().unwrap_or(""),
            },
            super::ui(),
        )
        .as_bytes(),
    )?;
    Store::create(&a.dir.join(workspace::STORE_FILE))?;
    let dir = a.dir.display().to_string();
    println!(
        "{}",
        msg(M::InitCreated, &[("dir", &dir), ("gmina", &a.gmina)])
    );
    println!(
        "{}",
        msg(
            M::InitNext,
            &[("cfg", &cfg.display().to_string()), ("dir", &dir)]
        )
    );
    Ok(Outcome::Clean)
}
