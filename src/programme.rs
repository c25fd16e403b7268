//! The draft programme of social services: the service catalogue and the recommendation rules
//! (both diffable TOML, bundled and overridable per workspace) applied to the analysis `Results`
//! (and the institutions' inventory when there is one). Every recommendation carries the figures
//! it rests on; what data cannot say (access rules, fees, duration, budget) is marked for the
//! team to complete, never invented. Pure: no I/O beyond reading the two text files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::analysis::{QuestionStat, Results, stats};
use crate::inventory::Inventory;
use crate::lang::{Lang, Msg, fill, t as t_msg};
use crate::template::{Area, Kind, Labels, Questionnaire, Role, pick};

pub const CATALOGUE_FILE: &str = "katalog-uslug.toml";
pub const RULES_FILE: &str = "reguly-rekomendacji.toml";
const CATALOGUE: &str = include_str!("../survey-templates/katalog-uslug.toml");
const RULES: &str = include_str!("../survey-templates/reguly-rekomendacji.toml");

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TargetGroup {
    pub code: String,
    pub name: Labels,
    /// A grouping question; empty for all residents.
    #[serde(default)]
    pub variable: String,
    #[serde(default)]
    pub values: Vec<String>,
    /// False for a group the residents' survey cannot identify (needs from desk data and the
    /// institutions): named in the notes, never given figures.
    #[serde(default = "yes")]
    pub survey: bool,
}

fn yes() -> bool {
    true
}

/// A package of services ("pakiet usług") that the programme groups services into.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    pub code: String,
    pub name: Labels,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub code: String,
    pub name: Labels,
    pub area: String,
    pub target_groups: Vec<String>,
    /// A code of the catalogue's packages (empty: none).
    #[serde(default)]
    pub package: String,
    pub form: String,
    pub providers: Labels,
    pub funding: Labels,
    #[serde(default)]
    pub potential: Vec<String>,
    pub indicator: Labels,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    #[serde(default)]
    pub packages: Vec<Package>,
    pub target_groups: Vec<TargetGroup>,
    pub services: Vec<Service>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NeedRule {
    pub question: String,
    pub min_need: f64,
    pub high_need: f64,
    pub min_base: u64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityRule {
    pub low: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PotentialRule {
    pub code: String,
    pub question: String,
    pub ready: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub need: NeedRule,
    pub availability: AvailabilityRule,
    #[serde(default)]
    pub potential: Vec<PotentialRule>,
}

/// Read a TOML file of the workspace's `survey-templates/` when present, else the bundled text.
fn text_or_bundled(
    dir: Option<&Path>,
    file: &str,
    bundled: &'static str,
) -> Result<(String, String)> {
    if let Some(d) = dir {
        let p = d.join(file);
        if p.is_file() {
            let t = std::fs::read_to_string(&p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            return Ok((t, p.display().to_string()));
        }
    }
    Ok((bundled.to_string(), format!("<bundled {file}>")))
}

fn parse<T: for<'de> Deserialize<'de>>(text: &str, name: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start].lines().count().max(1))
            .unwrap_or(0);
        anyhow::anyhow!("{name}:{line}: {}", e.message())
    })
}

/// Load and check the catalogue and the rules against the residents' questionnaire.
pub fn load(dir: Option<&Path>, form: &Questionnaire) -> Result<(Catalogue, Rules)> {
    let (ct, cname) = text_or_bundled(dir, CATALOGUE_FILE, CATALOGUE)?;
    let (rt, rname) = text_or_bundled(dir, RULES_FILE, RULES)?;
    let cat: Catalogue = parse(&ct, &cname)?;
    let rules: Rules = parse(&rt, &rname)?;
    check(&cat, &rules, form, &cname, &rname)?;
    Ok((cat, rules))
}

/// Every problem in the catalogue and the rules, with its place.
pub fn check(
    cat: &Catalogue,
    rules: &Rules,
    form: &Questionnaire,
    cname: &str,
    rname: &str,
) -> Result<()> {
    let mut errs = Vec::new();
    let r = &rules.need;
    for (name, v) in [
        ("min_need", r.min_need),
        ("high_need", r.high_need),
        ("availability.low", rules.availability.low),
    ] {
        if !(0.0..=1.0).contains(&v) {
            errs.push(format!(
                "{rname}: {name} = {v}: expected a share from 0 to 1"
            ));
        }
    }
    if r.high_need < r.min_need {
        errs.push(format!(
            "{rname}: high_need ({}) is below min_need ({}): a high priority must need at least as much as any recommendation",
            r.high_need, r.min_need
        ));
    }
    let need_q = form.question(&r.question);
    let need_list = match need_q {
        None => {
            errs.push(format!(
                "{rname}: need.question '{}' is not a question of '{}'",
                r.question, form.id
            ));
            None
        }
        Some(q) if q.kind != Kind::SelectMultiple || !matches!(q.role, None | Some(Role::Need)) => {
            errs.push(format!(
                "{rname}: need.question '{}' is not a multiple-choice need question (role = need)",
                r.question
            ));
            None
        }
        Some(q) => form.list_of(q),
    };
    let mut groups = BTreeSet::new();
    for (i, g) in cat.target_groups.iter().enumerate() {
        let place = format!("{cname}: target group {} ({})", i + 1, g.code);
        if !groups.insert(g.code.clone()) {
            errs.push(format!("{place}: duplicate code"));
        }
        if !g.survey && !g.variable.is_empty() {
            errs.push(format!(
                "{place}: survey = false (a group the survey cannot identify) but variable = '{}'",
                g.variable
            ));
            continue;
        }
        if g.variable.is_empty() {
            if !g.values.is_empty() {
                errs.push(format!("{place}: values without a variable"));
            }
            continue;
        }
        match form.question(&g.variable) {
            Some(q) if q.disaggregation || q.kind == Kind::SelectOne => {
                let list = form.list_of(q);
                for v in &g.values {
                    if list.and_then(|l| l.get(v)).is_none() {
                        errs.push(format!(
                            "{place}: '{v}' is not a choice of '{}'",
                            g.variable
                        ));
                    }
                }
                if g.values.is_empty() {
                    errs.push(format!("{place}: no values"));
                }
            }
            Some(_) => errs.push(format!(
                "{place}: '{}' is not a single-choice question (a grouping variable)",
                g.variable
            )),
            None => errs.push(format!(
                "{place}: '{}' is not a question of '{}'",
                g.variable, form.id
            )),
        }
    }
    let potentials: BTreeSet<&str> = rules.potential.iter().map(|p| p.code.as_str()).collect();
    for p in &rules.potential {
        match form.question(&p.question) {
            None => errs.push(format!(
                "{rname}: potential '{}': question '{}' does not exist",
                p.code, p.question
            )),
            Some(q) => {
                for v in &p.ready {
                    if form.list_of(q).and_then(|l| l.get(v)).is_none() {
                        errs.push(format!(
                            "{rname}: potential '{}': '{v}' is not a choice of '{}'",
                            p.code, p.question
                        ));
                    }
                }
            }
        }
    }
    let mut packages = BTreeSet::new();
    for (i, p) in cat.packages.iter().enumerate() {
        if !packages.insert(p.code.as_str()) {
            errs.push(format!(
                "{cname}: package {} ({}): duplicate code",
                i + 1,
                p.code
            ));
        }
    }
    let mut codes = BTreeSet::new();
    for (i, s) in cat.services.iter().enumerate() {
        let place = format!("{cname}: service {} ({})", i + 1, s.code);
        if !codes.insert(s.code.clone()) {
            errs.push(format!("{place}: duplicate code"));
        }
        if !s.package.is_empty() && !packages.contains(s.package.as_str()) {
            errs.push(format!(
                "{place}: unknown package '{}' (the catalogue's [[packages]] define: {})",
                s.package,
                packages.iter().copied().collect::<Vec<_>>().join(", ")
            ));
        }
        let area = Area::parse(&s.area);
        if area.is_none() {
            errs.push(format!(
                "{place}: area '{}' is not a statutory area (expected one of: {})",
                s.area,
                Area::codes().join(", ")
            ));
        }
        if let Some(l) = need_list {
            match l.get(&s.code) {
                None => errs.push(format!("{place}: '{}' is not a choice of the need question '{}'", s.code, r.question)),
                Some(c) if c.area.is_some() && c.area != area && area.is_some() => errs.push(format!(
                    "{place}: area '{}' differs from the questionnaire's area '{}' for this service",
                    s.area,
                    c.area.map(|a| a.code()).unwrap_or("")
                )),
                _ => {}
            }
        }
        for g in &s.target_groups {
            if !groups.contains(g) {
                errs.push(format!("{place}: unknown target group '{g}'"));
            }
        }
        for p in &s.potential {
            if !potentials.contains(p.as_str()) {
                errs.push(format!(
                    "{place}: unknown potential '{p}' (the rules define: {})",
                    potentials.iter().copied().collect::<Vec<_>>().join(", ")
                ));
            }
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        bail!(
            "{} problem(s) in the catalogue or the rules:\n  {}\n(for a questionnaire of the workspace's own, `diagnoza catalogue` writes a catalogue and rules skeleton into survey-templates/ for the team to edit)",
            errs.len(),
            errs.join("\n  ")
        )
    }
}

/// A share with its interval and counts.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub n: u64,
    pub base: u64,
    pub pct: f64,
    pub ci: (f64, f64),
}

/// Readiness to help, overall and where it is highest.
#[derive(Debug, Clone, Serialize)]
pub struct PotentialNote {
    pub code: String,
    pub question_label: String,
    pub overall: Figure,
    /// (group label, figure) of the group most ready, when shown.
    pub best: Option<(String, Figure)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    pub service: String,
    pub service_name: String,
    pub area: Area,
    pub target_group: String,
    pub target_group_name: String,
    pub need: Figure,
    /// The same service's need among all respondents.
    pub need_overall: Option<Figure>,
    /// Availability of the area for the group (0–1), when rated.
    pub availability: Option<f64>,
    pub priority: Priority,
    pub form: String,
    pub providers: String,
    /// Entities that provide the service now / could take it on (institutions' inventory).
    pub current_providers: Vec<String>,
    pub ready_providers: Vec<String>,
    pub funding: String,
    pub indicator: String,
    pub potential: Vec<PotentialNote>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    High,
    Medium,
}

impl Priority {
    pub fn name(self, lang: &str) -> &'static str {
        match (self, lang == "pl") {
            (Priority::High, true) => "wysoki",
            (Priority::High, false) => "high",
            (Priority::Medium, true) => "średni",
            (Priority::Medium, false) => "medium",
        }
    }
}

/// The draft programme.
#[derive(Debug, Clone, Serialize)]
pub struct Programme {
    pub recommendations: Vec<Recommendation>,
    /// Why some groups could not be considered (too small, suppressed, no data).
    pub notes: Vec<String>,
    pub rules: Rules,
}

/// n and base of an option summed over some groups of a breakdown (or overall).
fn option_counts(stats: &[&QuestionStat], code: &str) -> Option<(u64, u64)> {
    let mut n = 0;
    let mut base = 0;
    for st in stats {
        let o = st.options.iter().find(|o| o.code == code)?;
        n += o.n;
        base += st.base;
    }
    Some((n, base))
}

fn figure(n: u64, base: u64) -> Option<Figure> {
    let ci = stats::wilson(n as f64, base as f64, stats::Z95)?;
    Some(Figure {
        n,
        base,
        pct: n as f64 / base as f64,
        ci,
    })
}

/// The stats of question `q` for target group `g`: one per group value, or the overall one.
fn group_stats<'a>(
    results: &'a Results,
    g: &TargetGroup,
    q: &str,
) -> Option<Vec<&'a QuestionStat>> {
    if g.variable.is_empty() {
        return results
            .overall
            .iter()
            .find(|s| s.question == q)
            .map(|s| vec![s]);
    }
    let b = results.breakdowns.iter().find(|b| b.var == g.variable)?;
    let per = b.questions.get(q)?;
    let mut out = Vec::new();
    for v in &g.values {
        let i = b.groups.iter().position(|x| &x.code == v)?;
        out.push(&per[i]);
    }
    Some(out)
}

/// Draft the programme. `grouping` must include every target group's variable (the caller runs
/// the analysis with them).
pub fn draft(
    form: &Questionnaire,
    results: &Results,
    cat: &Catalogue,
    rules: &Rules,
    inventory: Option<&Inventory>,
    lang: &str,
) -> Programme {
    let t = |l: &Labels| pick(l, lang, "pl").unwrap_or("").to_string();
    let k = u64::from(results.threshold);
    let mut notes = Vec::new();
    let mut recs = Vec::new();
    // potential notes, computed once per code
    let mut potential: BTreeMap<String, PotentialNote> = BTreeMap::new();
    for p in &rules.potential {
        let Some(q) = form.question(&p.question) else {
            continue;
        };
        let Some(st) = results.overall.iter().find(|s| s.question == p.question) else {
            continue;
        };
        let n: u64 = st
            .options
            .iter()
            .filter(|o| p.ready.contains(&o.code))
            .map(|o| o.n)
            .sum();
        let Some(overall) = figure(n, st.base) else {
            continue;
        };
        let mut best: Option<(String, Figure)> = None;
        for b in &results.breakdowns {
            let Some(per) = b.questions.get(&p.question) else {
                continue;
            };
            for (g, s) in b.groups.iter().zip(per) {
                if g.suppressed || s.suppressed || s.base < rules.need.min_base {
                    continue;
                }
                let n: u64 = s
                    .options
                    .iter()
                    .filter(|o| p.ready.contains(&o.code))
                    .map(|o| o.n)
                    .sum();
                if n < k {
                    continue;
                }
                if let Some(f) = figure(n, s.base) {
                    if best.as_ref().is_none_or(|(_, bf)| f.pct > bf.pct) {
                        best = Some((format!("{}: {}", b.label, g.label), f));
                    }
                }
            }
        }
        potential.insert(
            p.code.clone(),
            PotentialNote {
                code: p.code.clone(),
                question_label: form.text(&q.label, lang).to_string(),
                overall,
                best,
            },
        );
    }
    // availability per area for a target group: scored answers to the area's availability
    // question, pooled over the group's values
    let availability = |g: &TargetGroup, area: Area| -> Option<f64> {
        let q = form
            .questions
            .iter()
            .find(|q| q.role == Some(Role::Availability) && q.area == Some(area))?;
        let sts = group_stats(results, g, &q.name)?;
        let mut sum = 0.0;
        let mut n = 0u64;
        for st in sts {
            if let Some(s) = &st.scale {
                sum += s.mean01 * s.n_scored as f64;
                n += s.n_scored;
            }
        }
        (n >= k && n > 0).then(|| sum / n as f64)
    };
    let need_q = &rules.need.question;
    let overall_need = |code: &str| {
        let st = results.overall.iter().find(|s| &s.question == need_q)?;
        let (n, base) = option_counts(&[st], code)?;
        figure(n, base)
    };
    let lg = Lang::from_code(lang).unwrap_or_default();
    for g in &cat.target_groups {
        if !g.survey {
            notes.push(fill(t_msg(lg, Msg::NotInSurvey), &[("group", &t(&g.name))]));
            continue;
        }
        let Some(sts) = group_stats(results, g, need_q) else {
            if !g.variable.is_empty() {
                notes.push(fill(
                    t_msg(lg, Msg::NoGroupingData),
                    &[("group", &t(&g.name)), ("var", &g.variable)],
                ));
            }
            continue;
        };
        let base: u64 = sts.iter().map(|s| s.base).sum();
        let min = rules.need.min_base.max(k);
        if base < min {
            // Below the suppression threshold the count itself is not shown.
            let note = if base < k {
                fill(t_msg(lg, Msg::TooFewHidden), &[("group", &t(&g.name))])
            } else {
                fill(
                    t_msg(lg, Msg::TooFewForNeed),
                    &[
                        ("group", &t(&g.name)),
                        ("base", &base.to_string()),
                        ("min", &min.to_string()),
                    ],
                )
            };
            notes.push(note);
            continue;
        }
        for s in cat
            .services
            .iter()
            .filter(|s| s.target_groups.contains(&g.code))
        {
            let Some(area) = Area::parse(&s.area) else {
                continue;
            };
            let Some((n, base)) = option_counts(&sts, &s.code) else {
                continue;
            };
            if n < k {
                continue;
            }
            let Some(need) = figure(n, base) else {
                continue;
            };
            if need.ci.0 < rules.need.min_need {
                continue;
            }
            let av = availability(g, area);
            let priority = if need.ci.0 >= rules.need.high_need
                || av.is_some_and(|a| a < rules.availability.low)
            {
                Priority::High
            } else {
                Priority::Medium
            };
            let (current, ready) = match inventory {
                Some(inv) => (
                    inv.areas
                        .iter()
                        .flat_map(|a| a.services.iter())
                        .filter(|p| p.service == s.code)
                        .flat_map(|p| p.providers.iter().cloned())
                        .collect(),
                    inv.ready_for(&s.code),
                ),
                None => (Vec::new(), Vec::new()),
            };
            recs.push(Recommendation {
                service: s.code.clone(),
                service_name: t(&s.name),
                area,
                target_group: g.code.clone(),
                target_group_name: t(&g.name),
                need,
                need_overall: overall_need(&s.code),
                availability: av,
                priority,
                form: s.form.clone(),
                providers: t(&s.providers),
                current_providers: current,
                ready_providers: ready,
                funding: t(&s.funding),
                indicator: t(&s.indicator),
                potential: s
                    .potential
                    .iter()
                    .filter_map(|p| potential.get(p).cloned())
                    .collect(),
            });
        }
    }
    recs.sort_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then(b.need.ci.0.total_cmp(&a.need.ci.0))
            .then(a.service.cmp(&b.service))
            .then(a.target_group.cmp(&b.target_group))
    });
    Programme {
        recommendations: recs,
        notes,
        rules: rules.clone(),
    }
}

/// The grouping variables the catalogue's target groups need.
pub fn grouping_needed(cat: &Catalogue) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for g in &cat.target_groups {
        if !g.variable.is_empty() && !v.contains(&g.variable) {
            v.push(g.variable.clone());
        }
    }
    v
}

/// The recommendations as CSV, one row per recommendation (priority codes in English).
pub fn csv(p: &Programme) -> Result<Vec<u8>> {
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
    wtr.finish()
}

/// The draft as Markdown: one section per recommendation with the elements a programme must
/// contain; what the data cannot say is marked for the team.
pub fn markdown(p: &Programme, gmina: &str, lang: &str) -> String {
    use std::fmt::Write as _;
    // Names come from the institutions' answers and the catalogue: never raw HTML.
    let esc = crate::safe::escape_html;
    let pl = lang == "pl";
    let pct = |x: f64| crate::lang::pct(x, lang);
    let todo = if pl {
        "**[do uzupełnienia przez zespół]**"
    } else {
        "**[for the team to complete]**"
    };
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# {} — {}\n",
        if pl {
            "Projekt programu usług społecznych"
        } else {
            "Draft programme of social services"
        },
        esc(gmina)
    );
    let _ = writeln!(
        o,
        "{}\n",
        if pl {
            "Projekt przygotowany automatycznie na podstawie diagnozy potrzeb i potencjału. Każda rekomendacja podaje liczby, na których się opiera; zespół decyduje, czy ją przyjąć, zmienić czy odrzucić. Elementy, których dane nie rozstrzygają (zasady dostępu i odpłatności, czas realizacji, budżet), są oznaczone do uzupełnienia."
        } else {
            "Drafted automatically from the diagnosis of needs and potential. Every recommendation gives the figures it rests on; the team decides to accept, change or drop it. Elements that data cannot settle (access rules and fees, duration, budget) are marked for completion."
        }
    );
    let _ = writeln!(
        o,
        "{}: {} ≥ {}; {} ≥ {} {} < {}.\n",
        if pl { "Reguły" } else { "Rules" },
        if pl {
            "dolna granica 95% przedziału ufności potrzeby w grupie"
        } else {
            "lower bound of the group's need share (95% CI)"
        },
        pct(p.rules.need.min_need),
        if pl {
            "priorytet wysoki, gdy dolna granica"
        } else {
            "high priority when the lower bound"
        },
        pct(p.rules.need.high_need),
        if pl {
            "lub gdy ocena dostępności obszaru (0–100%)"
        } else {
            "or when the area's availability rating (0–100%)"
        },
        pct(p.rules.availability.low)
    );
    if p.recommendations.is_empty() {
        let _ = writeln!(
            o,
            "{}\n",
            if pl {
                "Żadna usługa nie spełnia reguł."
            } else {
                "No service meets the rules."
            }
        );
    }
    for (i, r) in p.recommendations.iter().enumerate() {
        let _ = writeln!(
            o,
            "## {}. {} — {}\n",
            i + 1,
            esc(&r.service_name),
            esc(&r.target_group_name)
        );
        let rows: Vec<(&str, String)> = vec![
            (
                if pl { "Obszar" } else { "Area" },
                r.area.name(lang).to_string(),
            ),
            (
                if pl { "Grupa docelowa" } else { "Target group" },
                r.target_group_name.clone(),
            ),
            (
                if pl { "Uzasadnienie" } else { "Justification" },
                format!(
                    "{} {} ({} {}–{}; n = {} / {}){}{}",
                    pct(r.need.pct),
                    if pl {
                        "respondentów z grupy wskazało potrzebę tej usługi w swoim gospodarstwie"
                    } else {
                        "of the group's respondents named this service as needed in their household"
                    },
                    if pl { "95% PU" } else { "95% CI" },
                    pct(r.need.ci.0),
                    pct(r.need.ci.1),
                    r.need.n,
                    r.need.base,
                    r.need_overall
                        .as_ref()
                        .map(|f| format!(
                            "; {} {}",
                            if pl {
                                "wśród wszystkich respondentów"
                            } else {
                                "among all respondents"
                            },
                            pct(f.pct)
                        ))
                        .unwrap_or_default(),
                    r.availability
                        .map(|a| format!(
                            "; {} {}",
                            if pl {
                                "ocena dostępności obszaru"
                            } else {
                                "availability of the area"
                            },
                            pct(a)
                        ))
                        .unwrap_or_default()
                ),
            ),
            (
                if pl { "Priorytet" } else { "Priority" },
                r.priority.name(lang).to_string(),
            ),
            (if pl { "Forma" } else { "Form" }, r.form.clone()),
            (if pl { "Realizatorzy" } else { "Providers" }, {
                let mut s = r.providers.clone();
                if !r.current_providers.is_empty() {
                    s.push_str(&format!(
                        "; {}: {}",
                        if pl {
                            "obecnie świadczą"
                        } else {
                            "provide it now"
                        },
                        r.current_providers.join(", ")
                    ));
                }
                if !r.ready_providers.is_empty() {
                    s.push_str(&format!(
                        "; {}: {}",
                        if pl {
                            "gotowi podjąć"
                        } else {
                            "ready to take it on"
                        },
                        r.ready_providers.join(", ")
                    ));
                }
                s
            }),
            (
                if pl {
                    "Potencjał lokalny"
                } else {
                    "Local potential"
                },
                if r.potential.is_empty() {
                    "—".into()
                } else {
                    r.potential
                        .iter()
                        .map(|p| {
                            format!(
                                "{}: {} ({}){}",
                                p.question_label,
                                pct(p.overall.pct),
                                if pl { "gotowych" } else { "ready" },
                                p.best
                                    .as_ref()
                                    .map(|(g, f)| format!(
                                        ", {} {} ({})",
                                        if pl { "najwięcej" } else { "most in" },
                                        g,
                                        pct(f.pct)
                                    ))
                                    .unwrap_or_default()
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                },
            ),
            (
                if pl {
                    "Źródła finansowania"
                } else {
                    "Funding"
                },
                r.funding.clone(),
            ),
            (
                if pl {
                    "Zasady dostępu i odpłatność"
                } else {
                    "Access rules and fees"
                },
                todo.to_string(),
            ),
            (
                if pl { "Okres realizacji" } else { "Duration" },
                todo.to_string(),
            ),
            (
                if pl {
                    "Wskaźnik monitorowania"
                } else {
                    "Monitoring indicator"
                },
                r.indicator.clone(),
            ),
        ];
        let _ = writeln!(o, "| | |\n|---|---|");
        for (k, v) in rows {
            let _ = writeln!(o, "| {k} | {} |", esc(&v).replace('|', "\\|"));
        }
        let _ = writeln!(o);
    }
    if !p.notes.is_empty() {
        let _ = writeln!(o, "## {}\n", if pl { "Uwagi" } else { "Notes" });
        for n in &p.notes {
            let _ = writeln!(o, "- {}", esc(n));
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> Questionnaire {
        crate::template::load_str(crate::template::builtin("mieszkancy").unwrap(), "m")
            .unwrap()
            .form
    }

    #[test]
    fn markdown_escapes_html() {
        let (_, rules) = load(None, &form()).unwrap();
        let p = Programme {
            recommendations: vec![],
            notes: vec!["<b>x</b>".into()],
            rules,
        };
        let md = markdown(&p, "<script>alert(1)</script>", "pl");
        assert!(!md.contains("<b>"), "{md}");
        assert!(!md.contains("<script>"), "{md}");
        assert!(md.contains("&lt;script&gt;"), "{md}");
    }

    #[test]
    fn bundled_catalogue_and_rules_are_valid() {
        let (cat, rules) = load(None, &form()).unwrap();
        assert!(cat.services.len() >= 20);
        assert_eq!(rules.need.question, "uslugi_dom");
        // every bundled service sits in a package; the groups the survey cannot identify are there
        assert!(cat.services.iter().all(|s| !s.package.is_empty()));
        for code in [
            "kryzys_psychiczny",
            "bezdomni",
            "uzaleznieni",
            "doznajacy_przemocy",
        ] {
            let g = cat.target_groups.iter().find(|g| g.code == code).unwrap();
            assert!(!g.survey && g.variable.is_empty(), "{code}");
        }
        // the area mapping: door-to-door transport and legal advice are not social assistance
        for (code, area) in [
            ("transport", "niepelnosprawnosc"),
            ("poradnictwo_prawne", "aktywnosc_obywatelska"),
            ("sds", "niepelnosprawnosc"),
            ("wtz", "niepelnosprawnosc"),
            ("przeciwdzialanie_przemocy", "pomoc_spoleczna"),
        ] {
            let s = cat.services.iter().find(|s| s.code == code).unwrap();
            assert_eq!(s.area, area, "{code}");
        }
    }

    #[test]
    fn bad_catalogue_and_contradictory_rules_are_reported() {
        let f = form();
        let (mut cat, mut rules) = load(None, &f).unwrap();
        cat.services[0].area = "opieka".into();
        cat.services[1].code = "nie_ma".into();
        cat.services[2].target_groups.push("kosmici".into());
        cat.target_groups[0].values.push("100_plus".into());
        cat.services[3].package = "pakiet_x".into();
        let desk = cat.target_groups.iter_mut().find(|g| !g.survey).unwrap();
        desk.variable = "wiek".into();
        rules.need.high_need = 0.1;
        rules.need.min_need = 0.2;
        let e = check(&cat, &rules, &f, "k.toml", "r.toml")
            .unwrap_err()
            .to_string();
        for s in [
            "r.toml: high_need (0.1) is below min_need (0.2)",
            "area 'opieka' is not a statutory area",
            "'nie_ma' is not a choice of the need question 'uslugi_dom'",
            "unknown target group 'kosmici'",
            "'100_plus' is not a choice of 'wiek'",
            "unknown package 'pakiet_x'",
            "survey = false (a group the survey cannot identify) but variable = 'wiek'",
        ] {
            assert!(e.contains(s), "missing «{s}» in {e}");
        }
    }
}
