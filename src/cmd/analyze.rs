//! `diagnoza analyze [--by VAR]... [--out FILE.csv]`: frequency tables in the terminal and the
//! tidy results table for R, SPSS and Excel users.

use std::path::{Path, PathBuf};

use std::fmt::Write as _;

use anyhow::Result;

use super::Outcome;
use crate::analysis;
use crate::output;
use crate::report::pct;
use crate::store::Store;
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Grouping variables (default: those of diagnoza.toml, else the template's).
    #[arg(long)]
    pub by: Vec<String>,
    /// Write the tidy results table (CSV).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Label language.
    #[arg(long)]
    pub lang: Option<String>,
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let w = Workspace::open(ws)?;
    let form = w.questionnaire()?.form;
    let lang = a
        .lang
        .unwrap_or_else(|| w.config.diagnosis.language.clone());
    let mut cfg = w.clone();
    if !a.by.is_empty() {
        cfg.config.diagnosis.grouping = a.by.clone();
    }
    let grouping = cfg.grouping(&form)?;
    let responses: Vec<_> = Store::open(&w.store_path())?
        .responses(&form.id)?
        .into_iter()
        .map(|s| s.response)
        .collect();
    if responses.is_empty() {
        anyhow::bail!(
            "the store holds no responses for questionnaire '{}': import some first",
            form.id
        );
    }
    let k = w.config.diagnosis.suppression_threshold;
    let r = analysis::analyse(&form, &responses, &grouping, k, &lang)?;
    let mut out = String::new();
    writeln!(out, "{} responses; cells under {k} are hidden.\n", r.total)?;
    for st in &r.overall {
        let q = form.question(&st.question).expect("analysed");
        writeln!(out, "{} — {}", q.name, form.text(&q.label, &lang))?;
        writeln!(out, "  base: n = {} ({})", st.base, st.base_kind.code())?;
        for o in &st.options {
            if o.suppressed || st.suppressed {
                writeln!(out, "  {:<44} {:>6} {:>8}", o.label, "—", "hidden")?;
            } else {
                writeln!(out, "  {:<44} {:>6} {:>8}", o.label, o.n, pct(o.pct, &lang))?;
            }
        }
        if let Some(s) = &st.scale {
            writeln!(
                out,
                "  mean {:.2} (n = {}), hard to say / not used: {}",
                s.mean, s.n_scored, s.n_unscored
            )?;
        }
        if let Some(n) = &st.numeric {
            writeln!(
                out,
                "  n {} mean {:.2} median {} quartiles {}–{}",
                n.n, n.mean, n.median, n.q1, n.q3
            )?;
        }
        writeln!(out)?;
    }
    super::print(&out)?;
    if let Some(out) = a.out {
        let mut wtr = csv::Writer::from_writer(Vec::new());
        for row in analysis::tidy(&form, &r, &lang) {
            wtr.serialize(row)?;
        }
        output::write(&out, &wtr.into_inner()?)?;
        println!("Wrote the tidy results table to {}", out.display());
    }
    Ok(Outcome::Clean)
}
