//! `diagnoza programme [--lang pl|en] [--out DIR]`: the draft programme of social services from
//! the needs, the availability and the local potential, with the figures behind each item.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::Outcome;
use crate::report::pct;
use crate::workspace::Workspace;
use crate::{analysis, output, programme};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Language of the draft (default: diagnoza.toml's).
    #[arg(long)]
    pub lang: Option<String>,
    /// Output folder (default: the workspace's reports/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Ignore the population table in diagnoza.toml (unweighted figures only).
    #[arg(long)]
    pub no_weights: bool,
}

/// Analyse the residents' answers with the grouping the catalogue needs and draft the programme.
pub fn build(w: &Workspace, lang: &str, no_weights: bool) -> Result<programme::Programme> {
    let form = w.questionnaire()?.form;
    let (cat, rules) = programme::load(Some(&w.dir.join("survey-templates")), &form)?;
    let mut grouping = w.grouping(&form)?;
    for g in programme::grouping_needed(&cat) {
        if !grouping.contains(&g) {
            grouping.push(g);
        }
    }
    let coded = super::coded(w, &form)?;
    let weighting = super::weighting(w, &form, &coded, no_weights)?;
    let results = analysis::analyse_coded(
        &form,
        &coded,
        &grouping,
        w.config.diagnosis.suppression_threshold,
        lang,
        weighting,
    )?;
    let inventory = super::inventory::load(w, lang)?;
    Ok(programme::draft(
        &form,
        &results,
        &cat,
        &rules,
        inventory.as_ref(),
        lang,
    ))
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let w = Workspace::open(ws)?;
    let lang = a
        .lang
        .unwrap_or_else(|| w.config.diagnosis.language.clone());
    let p = build(&w, &lang, a.no_weights)?;
    let mut o = String::new();
    writeln!(
        o,
        "{} recommendations (priority, service — target group: need share [95% CI], n/base):",
        p.recommendations.len()
    )?;
    for r in &p.recommendations {
        writeln!(
            o,
            "  [{}] {} — {}: {} [{}–{}], {}/{}{}",
            r.priority.name(&lang),
            r.service_name,
            r.target_group_name,
            pct(r.need.pct, &lang),
            pct(r.need.ci.0, &lang),
            pct(r.need.ci.1, &lang),
            r.need.n,
            r.need.base,
            r.availability
                .map(|a| format!(", availability {}", pct(a, &lang)))
                .unwrap_or_default()
        )?;
    }
    for n in &p.notes {
        writeln!(o, "note: {n}")?;
    }
    super::print(&o)?;
    let dir = a.out.unwrap_or_else(|| w.reports_dir());
    let md = dir.join(format!("program-uslug-{lang}.md"));
    output::write(
        &md,
        programme::markdown(&p, &w.config.diagnosis.gmina, &lang).as_bytes(),
    )?;
    let mut wtr = crate::safe::CsvOut::new(b',', false);
    wtr.row([
        "priority",
        "service",
        "service_name",
        "area",
        "target_group",
        "target_group_name",
        "n",
        "base",
        "pct",
        "ci_low",
        "ci_high",
        "availability",
        "current_providers",
        "ready_providers",
    ])?;
    for r in &p.recommendations {
        wtr.row([
            r.priority.name("en"),
            &r.service,
            &r.service_name,
            r.area.code(),
            &r.target_group,
            &r.target_group_name,
            &r.need.n.to_string(),
            &r.need.base.to_string(),
            &r.need.pct.to_string(),
            &r.need.ci.0.to_string(),
            &r.need.ci.1.to_string(),
            &r.availability.map(|a| a.to_string()).unwrap_or_default(),
            &r.current_providers.join("; "),
            &r.ready_providers.join("; "),
        ])?;
    }
    let csvp = dir.join(format!("program-uslug-{lang}.csv"));
    output::write(&csvp, &wtr.finish()?)?;
    println!("Wrote {} and {}", md.display(), csvp.display());
    Ok(Outcome::Clean)
}
