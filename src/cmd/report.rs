//! `diagnoza report [--format html,docx,md,xlsx] [--lang pl|en] [--out DIR]`: the four-stage
//! diagnosis report. Reads the workspace (plan, store, desk-data files, template overrides in
//! `templates/`), renders every requested format in memory, then writes them; a failure leaves
//! no file half-written.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::Outcome;
use crate::report::{self, Extras};
use crate::workspace::Workspace;
use crate::{analysis, ingest, output};

/// Formats `--format` accepts.
const FORMATS: [&str; 4] = ["html", "docx", "md", "xlsx"];
/// Quotes per open question.
const QUOTES_PER_QUESTION: usize = 6;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output formats, comma-separated: html, docx, md, xlsx.
    #[arg(long, default_value = "html", value_delimiter = ',')]
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
    let form = w.questionnaire()?.form;
    let lang = a
        .lang
        .unwrap_or_else(|| w.config.diagnosis.language.clone());
    if !matches!(lang.as_str(), "pl" | "en") {
        bail!("--lang '{lang}': expected pl or en");
    }
    let mut formats: Vec<&str> = Vec::new();
    for f in &a.format {
        let f = f.trim();
        match FORMATS.iter().find(|x| **x == f) {
            Some(x) if !formats.contains(x) => formats.push(x),
            Some(_) => {}
            None => bail!(
                "--format '{f}' is not known (available: {})",
                FORMATS.join(", ")
            ),
        }
    }
    let grouping = w.grouping(&form)?;
    let coded = super::coded(&w, &form)?;
    let weighting = super::weighting(&w, &form, &coded, a.no_weights)?;
    let results = analysis::analyse_coded(
        &form,
        &coded,
        &grouping,
        w.config.diagnosis.suppression_threshold,
        &lang,
        weighting,
    )?;
    drop(coded);
    let open: Vec<&str> = form
        .questions
        .iter()
        .filter(|q| q.role == Some(crate::template::Role::Open))
        .map(|q| q.name.as_str())
        .collect();
    let texts = super::answers_to(&w, &form, &open)?;
    let mut extras = Extras {
        quotes: report::quotes::select(&form, &texts, QUOTES_PER_QUESTION),
        inventory: super::inventory::load(&w, &lang)?,
        ..Extras::default()
    };
    drop(texts);
    for d in &w.config.desk_data {
        let path = w.dir.join(&d.file);
        if !path.is_file() {
            bail!(
                "{}: desk-data file '{}' ([[desk_data]]) not found at {}",
                w.dir.join("diagnoza.toml").display(),
                d.file,
                path.display()
            );
        }
        let table = ingest::read_file(&path)?;
        extras.desk.push(report::desk::parse(d, &table, &lang)?);
    }
    // Stage IV's recommendations: the draft programme (its own analysis run, with the grouping
    // its catalogue needs); a catalogue problem does not stop the report.
    match super::programme::build(&w, &lang, a.no_weights) {
        Ok(p) => extras.programme = Some(p),
        Err(e) => eprintln!("warning: the recommendations are left out of the report: {e:#}"),
    }
    let doc = report::build(&form, &results, &w.config, &extras, &lang);
    let templates = w.dir.join("templates");
    let templates = templates.is_dir().then_some(templates.as_path());

    // Render everything first: a template or chart error must not leave some files written.
    let out = a.out.unwrap_or_else(|| w.reports_dir());
    let stem = format!("diagnoza-{lang}");
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let progress = crate::progress::Progress::spinner("rendering the report");
    let pngs = if formats.iter().any(|f| *f == "docx" || *f == "xlsx") {
        report::chart_pngs(&doc)?
    } else {
        Vec::new()
    };
    for f in &formats {
        match *f {
            "html" => files.push((
                out.join(format!("{stem}.html")),
                report::html(&doc, templates)?.into_bytes(),
            )),
            "md" => {
                let dir = format!("{stem}-wykresy");
                files.push((
                    out.join(format!("{stem}.md")),
                    report::markdown(&doc, templates, &dir)?.into_bytes(),
                ));
                for c in doc.charts() {
                    files.push((out.join(&dir).join(&c.file), c.svg.clone().into_bytes()));
                }
            }
            "docx" => files.push((out.join(format!("{stem}.docx")), report::docx(&doc, &pngs)?)),
            "xlsx" => {
                let tidy = analysis::tidy(&form, &results, &lang);
                files.push((
                    out.join(format!("{stem}.xlsx")),
                    report::xlsx(&doc, &tidy, &pngs)?,
                ));
            }
            _ => unreachable!("checked above"),
        }
    }
    progress.finish();
    for (path, bytes) in &files {
        output::write(path, bytes)
            .with_context(|| format!("the report was not written to {}", out.display()))?;
    }
    for (path, _) in files
        .iter()
        .filter(|(p, _)| p.parent() == Some(out.as_path()))
    {
        println!("Wrote {}", path.display());
    }
    let n_charts = doc.charts().count();
    if formats.contains(&"md") && n_charts > 0 {
        println!(
            "Wrote {n_charts} chart(s) to {}",
            out.join(format!("{stem}-wykresy")).display()
        );
    }
    Ok(Outcome::Clean)
}
