//! `diagnoza catalogue [--need QUESTION] [--force]`: write a service catalogue and recommendation
//! rules skeleton (`survey-templates/katalog-uslug.toml`, `reguly-rekomendacji.toml`) for the
//! workspace's own questionnaire (built by `skeleton`), checked exactly as `diagnoza programme`
//! checks it; an existing file is kept unless `--force`.

use std::path::Path;

use anyhow::{Context, Result, bail};

use super::Outcome;
use crate::programme::{self, Catalogue, Rules};
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The need question whose choices are the services (a multiple-choice question; default:
    /// the need question without a "max N answers" limit, else the longest multiple choice).
    #[arg(long)]
    pub need: Option<String>,
    /// Overwrite the workspace's catalogue and rules when they exist.
    #[arg(long)]
    pub force: bool,
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let w = Workspace::open(ws)?;
    let form = w.questionnaire()?.form;
    let (k, r, summary) = crate::skeleton::skeleton(&w.grouping(&form)?, &form, a.need.as_deref())?;
    // checked exactly as the programme checks it
    let cat: Catalogue = toml::from_str(&k).context("the written catalogue")?;
    let rules: Rules = toml::from_str(&r).context("the written rules")?;
    programme::check(
        &cat,
        &rules,
        &form,
        programme::CATALOGUE_FILE,
        programme::RULES_FILE,
    )?;
    let dir = w.dir.join("survey-templates");
    let kp = dir.join(programme::CATALOGUE_FILE);
    let rp = dir.join(programme::RULES_FILE);
    for p in [&kp, &rp] {
        if p.exists() && !a.force {
            bail!(
                "{} exists: edit it, or pass --force to replace it with a new skeleton",
                p.display()
            );
        }
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    crate::output::write(&kp, k.as_bytes())?;
    crate::output::write(&rp, r.as_bytes())?;
    super::print(&format!(
        "{summary}Wrote {} and {} — edit them, then run `diagnoza programme`.\n",
        kp.display(),
        rp.display()
    ))?;
    Ok(Outcome::Clean)
}
