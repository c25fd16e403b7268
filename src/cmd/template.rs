//! `diagnoza template list | show NAME | check FILE | import FORM.xlsx | export NAME --xlsform
//! OUT.xlsx | infer DATA.csv`.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Subcommand;

use super::Outcome;
use crate::template::{self, Kind};
use crate::{ingest, output};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The bundled questionnaires.
    List,
    /// Print a questionnaire: its questions, types, skip logic and choices.
    Show {
        /// Bundled name or TOML file.
        name: String,
        /// Label language (pl, en).
        #[arg(long, default_value = "pl")]
        lang: String,
    },
    /// Check a questionnaire and report every error with its place (exit 2 if invalid).
    Check {
        /// Bundled name or TOML file.
        name: String,
    },
    /// Read an XLSForm (.xlsx, .xls, .ods, or CSV copies) and write it as a diagnoza TOML
    /// questionnaire; every error and warning names its sheet row.
    Import {
        /// The XLSForm: a workbook, `form.survey.csv` (with `form.choices.csv`,
        /// `form.settings.csv` beside it), a folder holding survey.csv …, or one sectioned CSV.
        form: PathBuf,
        /// Write the TOML here (default: print it).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Encoding of CSV files (utf-8, windows-1250, windows-1252, iso-8859-2, utf-16le …):
        /// forces it instead of detecting it.
        #[arg(long)]
        encoding: Option<String>,
    },
    /// Write a questionnaire as an XLSForm workbook for KoboToolbox / ODK (or as TOML).
    Export {
        /// Bundled name or TOML file.
        name: String,
        /// The XLSForm workbook to write (.xlsx).
        #[arg(long, required_unless_present = "toml")]
        xlsform: Option<PathBuf>,
        /// Write the TOML text instead (normalised).
        #[arg(long)]
        toml: Option<PathBuf>,
    },
    /// Propose a questionnaire from a data file that has none (e.g. a Google Forms export):
    /// printed as TOML for review, then usable with `import`.
    Infer {
        /// The data: CSV or spreadsheet.
        data: PathBuf,
        /// Write the TOML here (default: print it).
        #[arg(long)]
        out: Option<PathBuf>,
        /// form_id of the proposed questionnaire (default: from the file name).
        #[arg(long)]
        id: Option<String>,
    },
}

fn load(name: &str, ws: &Path) -> Result<template::Loaded> {
    let src = template::resolve(name, Some(&ws.join("survey-templates"))).ok_or_else(|| {
        anyhow::anyhow!(
            "'{name}' is neither a file nor a bundled template ({})",
            template::builtin_names().join(", ")
        )
    })?;
    src.load()
}

pub fn run(c: Command, ws: &Path) -> Result<Outcome> {
    match c {
        Command::List => {
            for n in template::builtin_names() {
                let l = template::load_str(template::builtin(n).unwrap_or_default(), n)?;
                let f = &l.form;
                println!(
                    "{n}\t{}\t{} questions",
                    f.text(&f.title, "pl"),
                    f.data_questions().count()
                );
            }
            Ok(Outcome::Clean)
        }
        Command::Show { name, lang } => {
            let l = load(&name, ws)?;
            let f = &l.form;
            println!(
                "{} — {} (version {})",
                f.id,
                f.text(&f.title, &lang),
                f.version
            );
            let mut group = None;
            for q in &f.questions {
                if q.group != group {
                    if let Some(g) = q.group.as_deref().and_then(|g| f.group(g)) {
                        println!("\n[{}] {}", g.name, f.text(&g.label, &lang));
                    }
                    group = q.group.clone();
                }
                let ty = match (q.kind, &q.list) {
                    (Kind::SelectOne, Some(l)) => format!("select_one {l}"),
                    (Kind::SelectMultiple, Some(l)) => format!("select_multiple {l}"),
                    (k, _) => format!("{k:?}").to_lowercase(),
                };
                let mut tags = Vec::new();
                if q.required {
                    tags.push("required".to_string());
                }
                if let Some(r) = q.role {
                    tags.push(format!("role={}", r.code()));
                }
                if let Some(a) = q.area {
                    tags.push(format!("area={a}"));
                }
                if q.disaggregation {
                    tags.push("grouping".into());
                }
                println!("  {:<22} {:<28} {}", q.name, ty, tags.join(" "));
                println!("      {}", f.text(&q.label, &lang));
                if let Some(r) = &q.relevant {
                    println!("      asked if: {}", r.source);
                }
                if let Some(c) = &q.constraint {
                    println!("      constraint: {}", c.source);
                }
                if let Some(l) = f.list_of(q) {
                    for c in &l.choices {
                        let mut extra = String::new();
                        if let Some(a) = c.area {
                            extra.push_str(&format!(" [{a}]"));
                        }
                        if let Some(s) = c.score {
                            extra.push_str(&format!(" [score {s}]"));
                        }
                        println!("        {:<26} {}{extra}", c.name, f.text(&c.label, &lang));
                    }
                }
            }
            Ok(Outcome::Clean)
        }
        Command::Import {
            form,
            out,
            encoding,
        } => {
            let enc = match encoding.as_deref() {
                None => None,
                Some(label) => Some(ingest::decode::encoding_for_label(label).ok_or_else(|| {
                    anyhow::anyhow!(
                        "--encoding '{label}' is not an encoding name (e.g. utf-8, windows-1250, \
                         windows-1252, iso-8859-2, utf-16le)"
                    )
                })?),
            };
            let l = template::xlsform::read_as(&form, enc)?;
            for w in &l.warnings {
                eprintln!("warning: {}: {w}", form.display());
            }
            let header = vec![
                format!(
                    "Imported by `diagnoza template import` from {}.",
                    form.display()
                ),
                "Review it, then check it with `diagnoza template check FILE`.".to_string(),
            ];
            let text = template::totoml::to_toml(&l.form, &header);
            summary(&form.display().to_string(), &l);
            match out {
                Some(p) => {
                    output::write(&p, text.as_bytes())?;
                    eprintln!("written {}", p.display());
                }
                None => super::print(&text)?,
            }
            // Warnings are things left out on purpose (repeats, calculations): not data problems.
            Ok(Outcome::Clean)
        }
        Command::Export {
            name,
            xlsform,
            toml,
        } => {
            let l = load(&name, ws)?;
            if let Some(p) = xlsform {
                let bytes = template::xlsform::to_xlsx(&l.form)?;
                output::write(&p, &bytes)?;
                println!(
                    "written {} (XLSForm: survey, choices, settings; languages {})",
                    p.display(),
                    l.form.languages.join(", ")
                );
                if l.form.title.len() > 1 {
                    eprintln!(
                        "note: XLSForm's form_title holds one language: the {} title was written",
                        l.form.default_language
                    );
                }
            }
            if let Some(p) = toml {
                output::write(&p, template::totoml::to_toml(&l.form, &[]).as_bytes())?;
                println!("written {}", p.display());
            }
            Ok(Outcome::Clean)
        }
        Command::Infer { data, out, id } => {
            let table = ingest::read_file(&data)?;
            let id = id.unwrap_or_else(|| {
                data.file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("ankieta")
                    .to_string()
            });
            let proposal = ingest::infer::infer(&table, &id)?;
            for n in &proposal.notes {
                eprintln!("note: {}: {n}", data.display());
            }
            let header = vec![
                format!("Proposed by `diagnoza template infer` from {}.", data.display()),
                "A PROPOSAL: check types, lists, labels and required; add role/area for the report."
                    .to_string(),
            ];
            let text = template::totoml::to_toml(&proposal.form, &header);
            // The proposal must load as it is.
            template::load_str(&text, "proposal")?;
            match out {
                Some(p) => {
                    output::write(&p, text.as_bytes())?;
                    eprintln!("written {}", p.display());
                }
                None => super::print(&text)?,
            }
            Ok(Outcome::Clean)
        }
        Command::Check { name } => {
            let l = load(&name, ws)?;
            for w in &l.warnings {
                eprintln!("warning: {name}: {w}");
            }
            println!(
                "{name}: OK — {} questions, {} choice lists, {} grouping variables, languages: {}",
                l.form.data_questions().count(),
                l.form.lists.len(),
                l.form.grouping_questions().count(),
                l.form.languages.join(", ")
            );
            Ok(Outcome::Clean)
        }
    }
}

fn summary(name: &str, l: &template::Loaded) {
    eprintln!(
        "{name}: {} questions, {} choice lists, {} groups, languages: {}; {} warning(s)",
        l.form.data_questions().count(),
        l.form.lists.len(),
        l.form.groups.len(),
        l.form.languages.join(", "),
        l.warnings.len()
    );
}
