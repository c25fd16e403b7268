//! `diagnoza programme [--lang pl|en] [--out DIR]`: the draft programme of social services from
//! the needs, the availability and the local potential, with the figures behind each item.
//! The drafting is [`crate::programme`]'s; this prints it and writes its Markdown and CSV.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;

use super::Outcome;
use super::report::Common;
use crate::diagnosis::Diagnosis;
use crate::report::pct;
use crate::{output, programme};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let d = a.common.diagnosis(ws)?;
    show(&d)?;
    write(&d, &a.common.out_dir(&d))?;
    Ok(Outcome::Clean)
}

/// Print the programme's services with the figures behind them.
pub fn show(d: &Diagnosis) -> Result<()> {
    let lang = d.lang();
    let p = d.programme()?;
    let mut o = String::new();
    writeln!(
        o,
        "{} recommendations (priority, service — target group: need share [95% CI], n/base):",
        p.items.len()
    )?;
    for it in &p.items {
        writeln!(
            o,
            "  {}. [{}] {}",
            it.rank,
            it.priority.name(lang),
            it.service_name
        )?;
        for g in &it.groups {
            writeln!(
                o,
                "      {} — {}: {} [{}–{}], {}/{}{}",
                it.service_name,
                g.target_group_name,
                pct(g.need.pct, lang),
                pct(g.need.ci.0, lang),
                pct(g.need.ci.1, lang),
                g.need.n,
                g.need.base,
                g.availability
                    .map(|a| format!(", availability {}", pct(a, lang)))
                    .unwrap_or_default()
            )?;
        }
    }
    for n in &p.notes {
        writeln!(o, "note: {n}")?;
    }
    super::print(&o)
}

/// Write the draft programme of a diagnosis as Markdown (from the template, overridable in the
/// workspace's `templates/`) and CSV into `dir`.
pub fn write(d: &Diagnosis, dir: &Path) -> Result<()> {
    let lang = d.lang();
    let p = d.programme()?;
    let templates = d.workspace.dir.join("templates");
    let templates = templates.is_dir().then_some(templates.as_path());
    let md = dir.join(format!("program-uslug-{lang}.md"));
    output::write(
        &md,
        programme::markdown(p, &d.workspace.config.diagnosis.gmina, lang, templates)?.as_bytes(),
    )?;
    let csvp = dir.join(format!("program-uslug-{lang}.csv"));
    output::write(&csvp, &programme::csv(p)?)?;
    println!("Wrote {} and {}", md.display(), csvp.display());
    Ok(())
}
