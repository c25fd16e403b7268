//! `diagnoza inventory [--out FILE.csv]`: the resource inventory from the institutions'
//! questionnaire, with the gap map against the residents' needs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::Outcome;
use crate::diagnosis::{Diagnosis, Settings};
use crate::lang::Lang;
use crate::output;
use crate::report::pct;
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write the inventory as CSV (one row per area and service).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Label language (default: diagnoza.toml's).
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let w = Workspace::open(ws)?;
    if w.institutions()?.is_none() {
        bail!(
            "{}: no institutions' questionnaire: set `institutions = \"instytucje\"` under [diagnosis]",
            w.dir.join(crate::workspace::CONFIG_FILE).display()
        );
    }
    let settings = Settings::of(&w, a.lang, false)?;
    let d = Diagnosis::open(w, settings)?;
    let lang = d.lang();
    let Some(inv) = d.inventory()? else {
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
            .map(|n| format!(", residents' need {}", pct(n.pct, lang)))
            .unwrap_or_default();
        writeln!(
            o,
            "{}{}{need}: {} provider(s){}",
            if a.gap { "GAP  " } else { "     " },
            a.area.name(lang),
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
                pct(g.pct, lang),
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
        let mut wtr = csv::Writer::from_writer(Vec::new());
        wtr.write_record([
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
                wtr.write_record([
                    a.area.code(),
                    a.area.name(lang),
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
                wtr.write_record([
                    a.area.code(),
                    a.area.name(lang),
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
        output::write(&out, &wtr.into_inner()?)?;
        println!("Wrote {}", out.display());
    }
    Ok(Outcome::Clean)
}
