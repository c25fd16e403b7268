//! The resource inventory from the institutions' questionnaire: which entities provide which
//! services in each statutory area and with what capacity, staff and volunteers, what they could
//! share or take on, and the gap map — areas and services residents need where no provider
//! exists. Institutions are not persons: their names may be shown (after the one redaction of
//! personal data, as a sole trader's name is a person's); contact fields never are; counts of
//! fewer entities than the threshold are hidden ([`Inventory::suppress_small`]).
//! Reads stored responses of the institutions' questionnaire and the residents' `Results`; does
//! not render or write.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::analysis::{Index, Results};
use crate::response::{Answer, Response};
use crate::template::{Area, Questionnaire};

/// A need index at or above this share, with no provider in the area, is a gap.
pub const GAP_NEED: f64 = 0.15;
/// A service named as needed by at least this share of residents (in the household need
/// question), with no provider, is a service gap.
pub const GAP_SERVICE: f64 = 0.10;

#[derive(Debug, Clone, Serialize)]
pub struct Provision {
    pub service: String,
    pub label: String,
    pub providers: Vec<String>,
    /// People served per month, summed over providers that gave a number.
    pub capacity: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaRow {
    pub area: Area,
    /// Entities that provide at least one service of the area.
    pub providers: Vec<String>,
    /// Entities that say they work in the area.
    pub active: Vec<String>,
    pub services: Vec<Provision>,
    /// Residents' need index for the area, when the residents' survey has one.
    pub need: Option<Index>,
    pub gap: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceGap {
    pub service: String,
    pub label: String,
    pub area: Option<Area>,
    /// Share of residents naming the service as needed in their household, n and base.
    pub pct: f64,
    pub n: u64,
    pub base: u64,
    /// Entities ready to take it on.
    pub ready: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ready {
    pub name: String,
    pub kind: String,
    pub cooperate: String,
    pub commissioned: String,
    pub services: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Inventory {
    pub entities: usize,
    pub by_type: Vec<(String, usize)>,
    pub areas: Vec<AreaRow>,
    pub service_gaps: Vec<ServiceGap>,
    pub ready: Vec<Ready>,
    pub shared: Vec<(String, usize)>,
    pub staff: u64,
    pub volunteers: u64,
    /// Service code → entities ready to take it on.
    pub ready_services: BTreeMap<String, Vec<String>>,
}

impl Inventory {
    /// Entities ready to take on a service.
    pub fn ready_for(&self, code: &str) -> Vec<String> {
        self.ready_services.get(code).cloned().unwrap_or_default()
    }
}

fn set(a: Option<&Answer>) -> Vec<String> {
    match a {
        Some(Answer::Choices(s)) => s.iter().cloned().collect(),
        Some(Answer::Choice(c)) => vec![c.clone()],
        _ => Vec::new(),
    }
}

fn text(a: Option<&Answer>) -> Option<String> {
    match a {
        Some(Answer::Text(t)) | Some(Answer::Choice(t)) => Some(t.clone()),
        _ => None,
    }
}

fn number(a: Option<&Answer>) -> Option<f64> {
    match a {
        Some(Answer::Number(n)) => Some(*n),
        _ => None,
    }
}

impl Inventory {
    /// Hide counts of 1 to `k - 1` entities in the count tables (entities by type, resources
    /// they could share), as the analysis of the institutions' questionnaire does: the small
    /// rows are summed into one "other" row when the sum reaches `k`, else left out.
    pub fn suppress_small(&mut self, k: u32, lang: &str) {
        let k = k as usize;
        let other = if lang == "pl" {
            format!("pozostałe (mniej niż {k} w każdej kategorii)")
        } else {
            format!("other (fewer than {k} in each category)")
        };
        for table in [&mut self.by_type, &mut self.shared] {
            let small: usize = table
                .iter()
                .filter(|r| r.1 > 0 && r.1 < k)
                .map(|r| r.1)
                .sum();
            table.retain(|r| r.1 == 0 || r.1 >= k);
            if small >= k {
                table.push((other.clone(), small));
            }
        }
    }
}

/// Build the inventory. `residents` gives need indices and the household need shares.
pub fn build(
    form: &Questionnaire,
    responses: &[Response],
    residents_form: Option<&Questionnaire>,
    residents: Option<&Results>,
    lang: &str,
) -> Inventory {
    let label_of = |q: &str, code: &str| match form.question(q) {
        Some(qq) => form.choice_label(qq, code, lang),
        None => code.to_string(),
    };
    let area_of = |code: &str| -> Option<Area> {
        let q = form.question("uslugi_obecne")?;
        form.list_of(q)?.get(code)?.area
    };
    let mut names: Vec<String> = Vec::new();
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    let mut provides: BTreeMap<String, Vec<(String, Option<f64>)>> = BTreeMap::new();
    let mut active: BTreeMap<Area, BTreeSet<String>> = BTreeMap::new();
    let mut shared: BTreeMap<String, usize> = BTreeMap::new();
    let mut ready = Vec::new();
    let (mut staff, mut volunteers) = (0u64, 0u64);
    for (i, r) in responses.iter().enumerate() {
        let a = &r.answers;
        // A sole trader's name is a person's: names go through the one redaction.
        let name = text(a.get("nazwa"))
            .map(|t| crate::safe::redact(&t))
            .unwrap_or_else(|| format!("#{}", i + 1));
        names.push(name.clone());
        if let Some(t) = text(a.get("typ")) {
            *by_type.entry(label_of("typ", &t)).or_default() += 1;
        }
        for code in set(a.get("obszary")) {
            if let Some(area) = Area::parse(&code) {
                active.entry(area).or_default().insert(name.clone());
            }
        }
        for code in set(a.get("uslugi_obecne")) {
            if code == "brak" {
                continue;
            }
            let cap = number(a.get(&format!("miejsca_{code}")));
            provides.entry(code).or_default().push((name.clone(), cap));
        }
        for z in set(a.get("zasoby")) {
            if z != "brak" {
                *shared.entry(label_of("zasoby", &z)).or_default() += 1;
            }
        }
        staff += number(a.get("personel")).unwrap_or(0.0) as u64;
        volunteers += number(a.get("wolontariusze")).unwrap_or(0.0) as u64;
        let coop = text(a.get("wspolpraca_cus")).unwrap_or_default();
        let comm = text(a.get("zlecenie_uslug")).unwrap_or_default();
        if matches!(coop.as_str(), "tak" | "moze") || matches!(comm.as_str(), "tak" | "moze") {
            ready.push(Ready {
                name: name.clone(),
                kind: text(a.get("typ"))
                    .map(|t| label_of("typ", &t))
                    .unwrap_or_default(),
                cooperate: if coop.is_empty() {
                    String::new()
                } else {
                    label_of("wspolpraca_cus", &coop)
                },
                commissioned: if comm.is_empty() {
                    String::new()
                } else {
                    label_of("zlecenie_uslug", &comm)
                },
                services: set(a.get("uslugi_nowe"))
                    .into_iter()
                    .filter(|c| c != "brak")
                    .map(|c| label_of("uslugi_nowe", &c))
                    .collect(),
            });
        }
    }
    let mut ready_services: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (r, n) in responses.iter().zip(&names) {
        for c in set(r.answers.get("uslugi_nowe")) {
            ready_services.entry(c).or_default().push(n.clone());
        }
    }
    let ready_for = |code: &str| ready_services.get(code).cloned().unwrap_or_default();
    let mut areas = Vec::new();
    for area in Area::all() {
        let mut services = Vec::new();
        let mut providers = BTreeSet::new();
        for (code, list) in &provides {
            if area_of(code) != Some(area) {
                continue;
            }
            let caps: Vec<f64> = list.iter().filter_map(|x| x.1).collect();
            providers.extend(list.iter().map(|x| x.0.clone()));
            services.push(Provision {
                service: code.clone(),
                label: label_of("uslugi_obecne", code),
                providers: list.iter().map(|x| x.0.clone()).collect(),
                capacity: (!caps.is_empty()).then(|| caps.iter().sum::<f64>() as u64),
            });
        }
        let need = residents.and_then(|r| r.needs.get(&area)).cloned();
        let gap = providers.is_empty()
            && need
                .as_ref()
                .is_some_and(|n| !n.suppressed && n.pct >= GAP_NEED);
        areas.push(AreaRow {
            area,
            providers: providers.into_iter().collect(),
            active: active
                .get(&area)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default(),
            services,
            need,
            gap,
        });
    }
    let mut service_gaps = Vec::new();
    if let (Some(rf), Some(res)) = (residents_form, residents) {
        if let Some(st) = res.overall.iter().find(|s| s.question == "uslugi_dom") {
            for o in &st.options {
                if o.suppressed || o.code == "brak" || o.pct < GAP_SERVICE {
                    continue;
                }
                if provides.contains_key(&o.code) {
                    continue;
                }
                let area = rf
                    .question("uslugi_dom")
                    .and_then(|q| rf.list_of(q))
                    .and_then(|l| l.get(&o.code))
                    .and_then(|c| c.area);
                service_gaps.push(ServiceGap {
                    service: o.code.clone(),
                    label: o.label.clone(),
                    area,
                    pct: o.pct,
                    n: o.n,
                    base: st.base,
                    ready: ready_for(&o.code),
                });
            }
            service_gaps.sort_by(|a, b| b.pct.total_cmp(&a.pct).then(a.service.cmp(&b.service)));
        }
    }
    let mut by_type: Vec<(String, usize)> = by_type.into_iter().collect();
    by_type.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut shared: Vec<(String, usize)> = shared.into_iter().collect();
    shared.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ready.sort_by(|a, b| a.name.cmp(&b.name));
    Inventory {
        entities: responses.len(),
        by_type,
        areas,
        service_gaps,
        ready,
        shared,
        staff,
        volunteers,
        ready_services,
    }
}

/// The inventory as the terminal shows it: entities, services by area, gaps, ready entities.
pub fn terminal(inv: &Inventory, lang: &str) -> anyhow::Result<String> {
    use std::fmt::Write as _;
    let pct = crate::lang::pct;
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
    Ok(o)
}

/// The inventory as CSV, one row per area and service (`inventory --out`).
pub fn csv(inv: &Inventory, lang: &str) -> anyhow::Result<Vec<u8>> {
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
            wtr.row([
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
    wtr.finish()
}

#[cfg(test)]
mod suppression_tests {
    use super::*;

    #[test]
    fn small_entity_counts_are_hidden() {
        let mut inv = Inventory {
            entities: 12,
            by_type: vec![("NGO".into(), 6), ("OSP".into(), 2), ("GOK".into(), 1)],
            areas: vec![],
            service_gaps: vec![],
            ready: vec![],
            shared: vec![("sala".into(), 4), ("bus".into(), 3)],
            staff: 0,
            volunteers: 0,
            ready_services: BTreeMap::new(),
        };
        inv.suppress_small(5, "en");
        assert_eq!(inv.by_type, vec![("NGO".to_string(), 6)]);
        assert_eq!(
            inv.shared,
            vec![("other (fewer than 5 in each category)".to_string(), 7)]
        );
    }
}
