//! `diagnoza report [--lang pl|en] [--out DIR]`: the four-stage diagnosis report.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::Outcome;
use crate::store::Store;
use crate::workspace::Workspace;
use crate::{analysis, output, report};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output formats, comma-separated.
    #[arg(long, default_value = "html", value_delimiter = ',')]
    pub format: Vec<String>,
    /// Report language (default: diagnoza.toml's).
    #[arg(long)]
    pub lang: Option<String>,
    /// Output folder (default: the workspace's reports/).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let w = Workspace::open(ws)?;
    let form = w.questionnaire()?.form;
    let lang = a.lang.unwrap_or_else(|| w.config.diagnosis.language.clone());
    if !matches!(lang.as_str(), "pl" | "en") {
        bail!("--lang '{lang}': expected pl or en");
    }
    for f in &a.format {
        if f != "html" {
            bail!("--format '{f}' is not available yet (available: html)");
        }
    }
    let grouping = w.grouping(&form)?;
    let responses: Vec<_> =
        Store::open(&w.store_path())?.responses(&form.id)?.into_iter().map(|s| s.response).collect();
    if responses.is_empty() {
        bail!("the store holds no responses for questionnaire '{}': import some first", form.id);
    }
    let results =
        analysis::analyse(&form, &responses, &grouping, w.config.diagnosis.suppression_threshold, &lang)?;
    let out = a.out.unwrap_or_else(|| w.reports_dir());
    let html = report::html(&form, &results, &w.config, &lang)?;
    let path = out.join(format!("diagnoza-{}.html", lang));
    output::write(&path, html.as_bytes())?;
    println!("Wrote {}", path.display());
    Ok(Outcome::Clean)
}
