//! `diagnoza form --format html|xlsx|txt`: the questionnaire for paper (printable HTML), the
//! clerks' data-entry workbook (.xlsx) and the e-mail form (plain text). Texts come from the
//! workspace's questionnaire and diagnoza.toml (institution, return address and e-mail).

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use super::Outcome;
use crate::form::{self, Context};
use crate::output;
use crate::template;
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// html: printable paper questionnaire (A4); xlsx: data-entry workbook for typing in paper
    /// questionnaires; txt: e-mail form that residents fill in by replying; xlsx-email: the same
    /// as a one-respondent workbook to attach to an e-mail.
    #[arg(long, default_value = "html")]
    pub format: String,
    /// Language of the form: pl or en (default: the workspace's language).
    #[arg(long)]
    pub lang: Option<String>,
    /// Output file (default: formularze/ankieta.html, formularze/wprowadzanie.xlsx or
    /// formularze/ankieta-email.txt in the workspace).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// A questionnaire (bundled name or TOML file) instead of the workspace's; then no workspace
    /// is needed.
    #[arg(long)]
    pub template: Option<String>,
    /// Which of the workspace's questionnaires (its form_id, e.g. `instytucje`; default: the
    /// residents' questionnaire of diagnoza.toml).
    #[arg(long)]
    pub form: Option<String>,
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let workspace = match (&a.template, Workspace::open(ws)) {
        (_, Ok(w)) => Some(w),
        (Some(_), Err(_)) => None,
        (None, Err(e)) => return Err(e),
    };
    let loaded = match &a.template {
        Some(name) => template::resolve(name, Some(&ws.join("survey-templates")))
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "--template '{name}' is neither a file nor a bundled template ({})",
                    template::builtin_names().join(", ")
                )
            })?
            .load()?,
        None => workspace
            .as_ref()
            .map(|w| w.questionnaire())
            .transpose()?
            .expect("workspace opened"),
    };
    let form = match (&a.form, &workspace) {
        (Some(id), Some(w)) if *id != loaded.form.id => {
            let all = w.questionnaires()?;
            let ids: Vec<String> = all.iter().map(|f| f.id.clone()).collect();
            all.into_iter().find(|f| f.id == *id).with_context(|| {
                format!(
                    "--form '{id}' is not a questionnaire of this workspace (it has: {})",
                    ids.join(", ")
                )
            })?
        }
        (Some(id), None) if *id != loaded.form.id => {
            bail!("--form '{id}' needs a workspace (or give the questionnaire with --template)")
        }
        _ => loaded.form,
    };
    let lang = a
        .lang
        .clone()
        .or_else(|| {
            workspace
                .as_ref()
                .map(|w| w.config.diagnosis.language.clone())
        })
        .unwrap_or_else(|| "pl".into());
    if !matches!(lang.as_str(), "pl" | "en") {
        bail!("--lang '{lang}' is not supported (expected pl or en)");
    }
    let d = workspace.as_ref().map(|w| w.config.diagnosis.clone());
    let ctx = Context {
        lang,
        gmina: d.as_ref().map(|d| d.gmina.clone()).unwrap_or_default(),
        institution: d
            .as_ref()
            .map(|d| d.institution.clone())
            .unwrap_or_default(),
        return_address: d
            .as_ref()
            .map(|d| d.return_address.clone())
            .unwrap_or_default(),
        return_email: d
            .as_ref()
            .map(|d| d.return_email.clone())
            .unwrap_or_default(),
    };
    let (bytes, default_name, what) = match a.format.as_str() {
        "html" => (
            form::html::render(&form, &ctx).into_bytes(),
            "ankieta.html",
            "paper questionnaire (open it in a browser and print, A4)",
        ),
        "xlsx" => (
            form::workbook::render(&form, &ctx)?,
            "wprowadzanie.xlsx",
            "data-entry workbook (sheet 'dane')",
        ),
        "xlsx-email" => (
            form::workbook::render_single(&form, &ctx)?,
            "ankieta-email.xlsx",
            "one-respondent workbook (attach it to an e-mail; answers go in column D)",
        ),
        "txt" | "email" => (
            form::textform::render(&form, &ctx).into_bytes(),
            "ankieta-email.txt",
            "e-mail form (paste it into the body of an e-mail)",
        ),
        other => bail!("--format '{other}' is unknown (expected html, xlsx, txt or xlsx-email)"),
    };
    let out = a
        .out
        .unwrap_or_else(|| ws.join("formularze").join(default_name));
    output::write(&out, &bytes)?;
    println!("Wrote the {what}: {}", out.display());
    if d.as_ref()
        .is_some_and(|d| d.return_address.trim().is_empty() && d.return_email.trim().is_empty())
        && a.format != "xlsx"
    {
        eprintln!(
            "note: diagnoza.toml gives no return_address or return_email: the form does not say where to return it"
        );
    }
    Ok(Outcome::Clean)
}
