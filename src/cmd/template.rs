//! `diagnoza template list | show NAME | check FILE`.

use std::path::Path;

use anyhow::Result;
use clap::Subcommand;

use super::Outcome;
use crate::template::{self, Kind};

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
