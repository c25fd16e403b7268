//! `diagnoza inventory [--out FILE.csv]`: the resource inventory from the institutions'
//! questionnaire, with the gap map against the residents' needs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::Outcome;
use crate::report::pct;
use crate::store::Store;
use crate::workspace::Workspace;
use crate::{analysis, inventory, output};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write the inventory as CSV (one row per area and service).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Label language.
    #[arg(long)]
    pub lang: Option<String>,
}

/// Load everything the inventory needs from a workspace: None when it has no institutions'
/// questionnaire or no institutions' answers.
pub fn load(w: &Workspace, lang: &str) -> Result<Option<inventory::Inventory>> {
    let Some(inst) = w.institutions()? else {
        return Ok(None);
    };
    let store = Store::open(&w.store_path())?;
    let responses: Vec<_> = store
        .answers(&inst.form.id)?
        .into_iter()
        .map(|s| s.response)
        .collect();
    if responses.is_empty() {
        return Ok(None);
    }
    let residents_form = w.questionnaire()?.form;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let res = analysis::coded::Coded::from_store(&residents_form, &w.store_path(), threads)?;
    let results = if res.n == 0 {
        None
    } else {
        Some(analysis::analyse_coded(
            &residents_form,
            &res,
            &[],
            w.config.diagnosis.suppression_threshold,
            lang,
            None,
        )?)
    };
    let mut inv = inventory::build(
        &inst.form,
        &responses,
        Some(&residents_form),
        results.as_ref(),
        lang,
    );
    inv.suppress_small(w.config.diagnosis.suppression_threshold, lang);
    Ok(Some(inv))
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let w = Workspace::open(ws)?;
    let lang = a
        .lang
        .unwrap_or_else(|| w.config.diagnosis.language.clone());
    if w.institutions()?.is_none() {
        bail!(
            "{}: no institutions' questionnaire: set `institutions = \"instytucje\"` under [diagnosis]",
            w.dir.join(crate::workspace::CONFIG_FILE).display()
        );
    }
    let Some(inv) = load(&w, &lang)? else {
        bail!("the store holds no institutions' answers: import them first");
    };
    let mut o = String::new();
    writeln!(
        o,
        "{} entities; paid staff {}, volunteers {}",
        inv.entities, inv.staff, inv.volunteers
    )?;
    for (t, n) in &inv.by_type {
        writeln!(o, "  {t:<44} {n:>4}")?;
    }
    writeln!(
        o,
        "\nServices by statutory area (providers; capacity = people served per month):"
    )?;
    for a in &inv.areas {
        let need = a
            .need
            .as_ref()
            .filter(|n| !n.suppressed)
            .map(|n| format!(", residents' need {}", pct(n.pct, &lang)))
            .unwrap_or_default();
        writeln!(
            o,
            "{}{}{need}: {} provider(s){}",
            if a.gap { "GAP  " } else { "     " },
            a.area.name(&lang),
            a.providers.len(),
            if a.active.is_empty() {
                String::new()
            } else {
                format!(", {} active in the area", a.active.len())
            }
        )?;
        for s in &a.services {
            let cap = s
                .capacity
                .map(|c| format!(", capacity {c}"))
                .unwrap_or_default();
            writeln!(o, "       {}: {}{cap}", s.label, s.providers.join(", "))?;
        }
    }
    if !inv.service_gaps.is_empty() {
        writeln!(o, "\nServices residents need that no entity provides:")?;
        for g in &inv.service_gaps {
            writeln!(
                o,
                "  {} — {} of residents (n = {} of {}); ready to take it on: {}",
                g.label,
                pct(g.pct, &lang),
                g.n,
                g.base,
                if g.ready.is_empty() {
                    "nobody".to_string()
                } else {
                    g.ready.join(", ")
                }
            )?;
        }
    }
    if !inv.ready.is_empty() {
        writeln!(
            o,
            "\nEntities ready to cooperate with a CUS or take on commissioned services:"
        )?;
        for r in &inv.ready {
            writeln!(
                o,
                "  {} ({}): cooperation {}, commissioned services {}; {}",
                r.name,
                r.kind,
                r.cooperate,
                r.commissioned,
                r.services.join(", ")
            )?;
        }
    }
    super::print(&o)?;
    if let Some(out) = a.out {
        let mut wtr = crate::safe::CsvOut::new(b',', false);
        wtr.row([
            "area",
            "area_name",
            "service",
            "service_label",
            "providers",
            "n_providers",
            "capacity",
            "need_pct",
            "gap",
        ])?;
        for a in &inv.areas {
            let need = a
                .need
                .as_ref()
                .filter(|n| !n.suppressed)
                .map(|n| n.pct.to_string())
                .unwrap_or_default();
            if a.services.is_empty() {
                wtr.row([
                    a.area.code(),
                    a.area.name(&lang),
                    "",
                    "",
                    "",
                    "0",
                    "",
                    &need,
                    &a.gap.to_string(),
                ])?;
            }
            for s in &a.services {
                wtr.row([
                    a.area.code(),
                    a.area.name(&lang),
                    &s.service,
                    &s.label,
                    &s.providers.join("; "),
                    &s.providers.len().to_string(),
                    &s.capacity.map(|c| c.to_string()).unwrap_or_default(),
                    &need,
                    &a.gap.to_string(),
                ])?;
            }
        }
        output::write(&out, &wtr.finish()?)?;
        println!("Wrote {}", out.display());
    }
    Ok(Outcome::Clean)
}
