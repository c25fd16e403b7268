//! `diagnoza report [--format html,docx,md,xlsx,pdf] [--lang pl|en] [--out DIR]`: the four-stage
//! diagnosis report. Reads one [`Diagnosis`] of the workspace (plan, store, desk-data files,
//! template overrides in `templates/`), renders every requested format in memory, then writes
//! them; a failure leaves no file half-written.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::Outcome;
use crate::diagnosis::{Diagnosis, Settings};
use crate::lang::Lang;
use crate::report::{self, Extras};
use crate::workspace::Workspace;
use crate::{analysis, output};

/// A report output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Html,
    Docx,
    Md,
    Xlsx,
    /// The Word file converted by LibreOffice (needs LibreOffice installed).
    Pdf,
}

/// The arguments `report`, `programme` and `run` share.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Output language (default: diagnoza.toml's).
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Output folder (default: the workspace's reports/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Ignore the population table in diagnoza.toml (no weighted figures).
    #[arg(long)]
    pub no_weights: bool,
}

impl Common {
    /// Open the workspace's diagnosis with these settings.
    pub fn diagnosis(&self, ws: &Path) -> Result<Diagnosis> {
        let w = Workspace::open(ws)?;
        let settings = Settings::of(&w, self.lang, self.no_weights)?;
        Diagnosis::open(w, settings)
    }

    /// The output folder.
    pub fn out_dir(&self, d: &Diagnosis) -> PathBuf {
        self.out
            .clone()
            .unwrap_or_else(|| d.workspace.reports_dir())
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output formats, comma-separated.
    #[arg(long, value_enum, default_value = "html", value_delimiter = ',')]
    pub format: Vec<Format>,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let mut d = a.common.diagnosis(ws)?;
    d.results()?;
    d.release_coded();
    let out = a.common.out_dir(&d);
    write(&d, &a.format, &out)?;
    Ok(Outcome::Clean)
}

/// Render the report of a diagnosis in the given formats and write the files into `out`.
pub fn write(d: &Diagnosis, formats: &[Format], out: &Path) -> Result<()> {
    let lang = d.lang();
    let form = d.form();
    let results = d.results()?;
    // Stage IV's recommendations: a catalogue problem does not stop the report.
    let programme = d
        .programme()
        .map_err(|e| eprintln!("warning: the recommendations are left out of the report: {e:#}"))
        .ok();
    let extras = Extras {
        quotes: d.quotes()?,
        inventory: d.inventory()?,
        desk: d.desk()?,
        programme,
    };
    let doc = report::build(form, results, &d.workspace.config, &extras, lang);
    let templates = d.workspace.dir.join("templates");
    let templates = templates.is_dir().then_some(templates.as_path());

    // Render everything first: a template or chart error must not leave some files written.
    let stem = format!("diagnoza-{lang}");
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let progress = crate::progress::Progress::spinner("rendering the report");
    let pngs = if formats
        .iter()
        .any(|f| matches!(f, Format::Docx | Format::Xlsx | Format::Pdf))
    {
        report::chart_pngs(&doc)?
    } else {
        Vec::new()
    };
    let mut seen = Vec::new();
    for &f in formats {
        if seen.contains(&f) {
            continue;
        }
        seen.push(f);
        match f {
            Format::Html => files.push((
                out.join(format!("{stem}.html")),
                report::html(&doc, templates)?.into_bytes(),
            )),
            Format::Md => {
                let dir = format!("{stem}-wykresy");
                files.push((
                    out.join(format!("{stem}.md")),
                    report::markdown(&doc, templates, &dir)?.into_bytes(),
                ));
                for c in doc.charts() {
                    files.push((out.join(&dir).join(&c.file), c.svg.clone().into_bytes()));
                }
            }
            Format::Docx => files.push((
                out.join(format!("{stem}.docx")),
                report::docx(&doc, &pngs, &cover(&d.workspace)?)?,
            )),
            Format::Pdf => {
                let docx = report::docx(&doc, &pngs, &cover(&d.workspace)?)?;
                files.push((out.join(format!("{stem}.pdf")), report::pdf::render(&docx)?));
            }
            Format::Xlsx => {
                let tidy = analysis::tidy(form, results, lang);
                files.push((
                    out.join(format!("{stem}.xlsx")),
                    report::xlsx(&doc, &tidy, &pngs)?,
                ));
            }
        }
    }
    progress.finish();
    for (path, bytes) in &files {
        output::write(path, bytes)
            .with_context(|| format!("the report was not written to {}", out.display()))?;
    }
    for (path, _) in files.iter().filter(|(p, _)| p.parent() == Some(out)) {
        println!("Wrote {}", path.display());
    }
    let n_charts = doc.charts().count();
    if seen.contains(&Format::Md) && n_charts > 0 {
        println!(
            "Wrote {n_charts} chart(s) to {}",
            out.join(format!("{stem}-wykresy")).display()
        );
    }
    Ok(())
}

/// The Word cover's authors (the team), year (the last year named in the period, else in the
/// schedule) and coat of arms (`coat_of_arms` in diagnoza.toml, a PNG file).
fn cover(w: &Workspace) -> Result<report::docx::Cover> {
    let c = &w.config;
    let authors = c
        .team
        .iter()
        .map(|m| {
            let who = [m.name.as_str(), m.institution.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            if who.is_empty() {
                m.role.clone()
            } else {
                format!("{}: {who}", m.role)
            }
        })
        .collect();
    let years = |s: &str| -> Option<String> {
        s.split(|ch: char| !ch.is_ascii_digit())
            .rfind(|t| t.len() == 4 && (t.starts_with("19") || t.starts_with("20")))
            .map(str::to_string)
    };
    let year = years(&c.diagnosis.period)
        .or_else(|| c.schedule.iter().filter_map(|s| years(&s.to)).max())
        .unwrap_or_default();
    let coat_of_arms = match c.diagnosis.coat_of_arms.trim() {
        "" => None,
        f => {
            let path = w.dir.join(f);
            let bytes = std::fs::read(&path).with_context(|| {
                format!(
                    "{}: coat_of_arms = '{f}': cannot read {}",
                    w.dir.join("diagnoza.toml").display(),
                    path.display()
                )
            })?;
            if report::docx::png_size(&bytes).is_none() {
                bail!(
                    "{}: coat_of_arms = '{f}': {} is not a PNG image (expected a .png file)",
                    w.dir.join("diagnoza.toml").display(),
                    path.display()
                );
            }
            Some(bytes)
        }
    };
    Ok(report::docx::Cover {
        authors,
        year,
        coat_of_arms,
    })
}
