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
use crate::lang::programme::P;
use crate::lang::{Lang, Msg, fill, t as t_msg};
use crate::template::{Area, Kind, Labels, Questionnaire, Role, pick};
use crate::workspace::ProgrammePlan;

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
    /// Labels of rows of a `resources` desk-data table that count this service today (the
    /// indicator's baseline).
    #[serde(default)]
    pub desk: Vec<String>,
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
    /// No longer applied (the priority is the analysis' class); read so that older copies of
    /// the rules still load, and named in the notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_need: Option<f64>,
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
    /// A short name ("gotowość do wolontariatu"); the code when missing.
    #[serde(default)]
    pub name: Labels,
    pub question: String,
    pub ready: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub need: NeedRule,
    /// No longer applied (see [`NeedRule::high_need`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<AvailabilityRule>,
    #[serde(default)]
    pub potential: Vec<PotentialRule>,
    /// Help residents offer set against a need they report (supporting activities).
    #[serde(default)]
    pub support: Vec<SupportRule>,
}

/// One line of the supporting activities: the share offering `offer` (a choice of
/// `offer_question`) against the share of target group `group` reporting `need` (a choice of
/// `need_question`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SupportRule {
    pub offer_question: String,
    pub offer: String,
    pub need_question: String,
    pub need: String,
    pub group: String,
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
    if !(0.0..=1.0).contains(&r.min_need) {
        errs.push(format!(
            "{rname}: min_need = {}: expected a share from 0 to 1",
            r.min_need
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
    for (i, sr) in rules.support.iter().enumerate() {
        let place = format!("{rname}: support {}", i + 1);
        for (q, code) in [
            (&sr.offer_question, &sr.offer),
            (&sr.need_question, &sr.need),
        ] {
            match form.question(q) {
                None => errs.push(format!("{place}: question '{q}' does not exist")),
                Some(qq) => {
                    if form.list_of(qq).and_then(|l| l.get(code)).is_none() {
                        errs.push(format!("{place}: '{code}' is not a choice of '{q}'"));
                    }
                }
            }
        }
        if !groups.contains(&sr.group) {
            errs.push(format!(
                "{place}: unknown target group '{}' (the catalogue's [[target_groups]])",
                sr.group
            ));
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
    /// The rule's short name (never the question's text).
    pub name: String,
    pub overall: Figure,
    /// (group value label, figure) of the group most ready, when shown.
    pub best: Option<(String, Figure)>,
}

/// One target group's need for a service.
#[derive(Debug, Clone, Serialize)]
pub struct GroupNeed {
    pub target_group: String,
    pub target_group_name: String,
    pub need: Figure,
    /// Availability of the service's area for the group (0–1), when rated.
    pub availability: Option<f64>,
    /// The analysis' priority class of this need against this availability.
    pub class: crate::analysis::Priority,
}

/// The indicator's baseline and where it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct Baseline {
    pub value: String,
    pub source: String,
}

/// One service of the programme, with every target group that needs it.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// 1 = first in the ranking.
    pub rank: usize,
    pub service: String,
    pub service_name: String,
    pub area: Area,
    pub package: String,
    pub priority: Priority,
    /// The best class of the groups and the lower bound that ranks the item within it.
    pub class: crate::analysis::Priority,
    pub evidence: f64,
    /// The groups that need it, strongest evidence first.
    pub groups: Vec<GroupNeed>,
    /// The same service's need among all respondents.
    pub need_overall: Option<Figure>,
    pub form: String,
    pub providers: String,
    /// Entities that provide the service now / could take it on (institutions' inventory).
    pub current_providers: Vec<String>,
    pub ready_providers: Vec<String>,
    pub funding: String,
    pub indicator: String,
    /// None: no baseline data (the team completes it).
    pub baseline: Option<Baseline>,
    pub target: String,
    pub budget: Option<f64>,
    pub potential: Vec<PotentialNote>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    High,
    Medium,
    Low,
}

impl Priority {
    pub fn name(self, lang: &str) -> &'static str {
        match (self, lang == "pl") {
            (Priority::High, true) => "wysoki",
            (Priority::High, false) => "high",
            (Priority::Medium, true) => "średni",
            (Priority::Medium, false) => "medium",
            (Priority::Low, true) => "niski",
            (Priority::Low, false) => "low",
        }
    }
}

fn class_name(c: crate::analysis::Priority, lang: &str) -> &'static str {
    use crate::analysis::Priority as C;
    match (c, lang == "pl") {
        (C::High, true) => "wysoka",
        (C::High, false) => "high",
        (C::Medium, true) => "średnia",
        (C::Medium, false) => "medium",
        (C::Low, true) => "niska",
        (C::Low, false) => "low",
        (C::Insufficient, true) => "brak danych o dostępności",
        (C::Insufficient, false) => "no availability data",
    }
}

/// A package with its items (indices into [`Programme::items`], in rank order).
#[derive(Debug, Clone, Serialize)]
pub struct PackageItems {
    pub code: String,
    pub name: String,
    pub items: Vec<usize>,
}

/// A target group with two or more recommended services (a case for IPUS).
#[derive(Debug, Clone, Serialize)]
pub struct IpusGroup {
    pub group: String,
    pub services: Vec<String>,
}

/// A count that is shown, or hidden because it is below the suppression threshold.
#[derive(Debug, Clone, Serialize)]
pub enum Shown {
    Figure(Figure),
    Hidden,
}

/// Help offered against a need (supporting activities).
#[derive(Debug, Clone, Serialize)]
pub struct SupportLine {
    pub offer: String,
    pub offered: Shown,
    pub need: String,
    pub group: String,
    pub needed: Shown,
}

/// The barrier named most often, with the channels residents prefer.
#[derive(Debug, Clone, Serialize)]
pub struct BarrierNote {
    pub code: String,
    pub label: String,
    pub figure: Figure,
    /// Up to three channels, most preferred first, with their shares.
    pub channels: Vec<(String, Figure)>,
}

/// A row of a `resources` desk-data table (the caller reads the tables).
#[derive(Debug, Clone, Serialize)]
pub struct DeskRow {
    pub label: String,
    /// The row's other cells with their headers ("Liczba: 1; Miejsca / uczestnicy: 35").
    pub text: String,
    pub source: String,
}

/// The draft programme.
#[derive(Debug, Clone, Serialize)]
pub struct Programme {
    /// One per service, in rank order.
    pub items: Vec<Item>,
    pub packages: Vec<PackageItems>,
    pub ipus: Vec<IpusGroup>,
    pub support: Vec<SupportLine>,
    pub barrier: Option<BarrierNote>,
    /// Why some groups could not be considered (too small, suppressed, no data).
    pub notes: Vec<String>,
    pub rules: Rules,
    pub plan: ProgrammePlan,
    /// At most this many items are high.
    pub high_max: usize,
}

impl Programme {
    /// The sum of the per-service budget estimates, when any is given.
    pub fn budget_total(&self) -> Option<f64> {
        let v: Vec<f64> = self.items.iter().filter_map(|i| i.budget).collect();
        (!v.is_empty()).then(|| v.iter().sum())
    }
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
/// None when a value's group is suppressed.
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

/// A share shown only when both counts reach the threshold `k`.
fn shown(n: u64, base: u64, k: u64) -> Shown {
    match figure(n, base) {
        Some(f) if n >= k && base >= k => Shown::Figure(f),
        _ => Shown::Hidden,
    }
}

/// Read `[programme]`'s `file` when it names one (relative to `dir`), else the block itself.
pub fn plan(dir: &Path, block: &ProgrammePlan) -> Result<ProgrammePlan> {
    if block.file.is_empty() {
        return Ok(block.clone());
    }
    let p = dir.join(&block.file);
    let text = std::fs::read_to_string(&p).with_context(|| {
        format!(
            "cannot read {} (named by [programme] file in diagnoza.toml)",
            p.display()
        )
    })?;
    let plan: ProgrammePlan = parse(&text, &p.display().to_string())?;
    if !plan.file.is_empty() {
        bail!(
            "{}: `file` names another file: give the fields here",
            p.display()
        );
    }
    Ok(plan)
}

/// What the draft reads besides the analysis.
pub struct Inputs<'a> {
    pub inventory: Option<&'a Inventory>,
    pub desk: &'a [DeskRow],
    pub plan: &'a ProgrammePlan,
    /// Where the rules came from (for the notes).
    pub rules_name: &'a str,
}

/// Draft the programme. `grouping` must include every target group's variable (the caller runs
/// the analysis with them). Errors: a `[programme.services]` code the catalogue does not know.
pub fn draft(
    form: &Questionnaire,
    results: &Results,
    cat: &Catalogue,
    rules: &Rules,
    inputs: &Inputs,
    lang: &str,
) -> Result<Programme> {
    let t = |l: &Labels| pick(l, lang, "pl").unwrap_or("").to_string();
    let lg = Lang::from_code(lang).unwrap_or_default();
    let k = u64::from(results.threshold);
    let plan = inputs.plan;
    let unknown: Vec<&str> = plan
        .services
        .keys()
        .filter(|c| !cat.services.iter().any(|s| &s.code == *c))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        bail!(
            "diagnoza.toml [programme.services]: unknown service code(s) {} (the catalogue's codes: {})",
            unknown.join(", "),
            cat.services
                .iter()
                .map(|s| s.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let mut notes = Vec::new();
    if rules.need.high_need.is_some() || rules.availability.is_some() {
        notes.push(fill(
            tp(lg, P::RulesIgnored),
            &[("file", inputs.rules_name)],
        ));
    }
    // potential notes, computed once per code
    let mut potential: BTreeMap<String, PotentialNote> = BTreeMap::new();
    for p in &rules.potential {
        let Some(st) = results.overall.iter().find(|s| s.question == p.question) else {
            continue;
        };
        let n: u64 = st
            .options
            .iter()
            .filter(|o| p.ready.contains(&o.code))
            .map(|o| o.n)
            .sum();
        if n < k || st.suppressed {
            continue;
        }
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
                        best = Some((g.label.clone(), f));
                    }
                }
            }
        }
        let name = pick(&p.name, lang, "pl")
            .map(str::to_string)
            .unwrap_or_else(|| p.code.clone());
        potential.insert(
            p.code.clone(),
            PotentialNote {
                code: p.code.clone(),
                name,
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
        (n >= k).then(|| figure(n, base)).flatten()
    };
    // the groups that can be considered, with their stats of the need question
    let mut usable: BTreeMap<&str, (&TargetGroup, Vec<&QuestionStat>)> = BTreeMap::new();
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
        usable.insert(g.code.as_str(), (g, sts));
    }
    let mut items = Vec::new();
    for s in &cat.services {
        let Some(area) = Area::parse(&s.area) else {
            continue;
        };
        let mut groups = Vec::new();
        for gc in &s.target_groups {
            let Some((g, sts)) = usable.get(gc.as_str()) else {
                continue;
            };
            let Some((n, base)) = option_counts(sts, &s.code) else {
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
            let class = match av {
                Some(a) => crate::analysis::class(need.pct, Some(need.ci.0), a),
                None => crate::analysis::Priority::Insufficient,
            };
            groups.push(GroupNeed {
                target_group: g.code.clone(),
                target_group_name: t(&g.name),
                need,
                availability: av,
                class,
            });
        }
        if groups.is_empty() {
            continue;
        }
        groups.sort_by(|a, b| {
            a.class
                .cmp(&b.class)
                .then(b.need.ci.0.total_cmp(&a.need.ci.0))
        });
        let (class, evidence) = (groups[0].class, groups[0].need.ci.0);
        let (current, ready) = match inputs.inventory {
            Some(inv) => (
                inv.areas
                    .iter()
                    .flat_map(|a| a.services.iter())
                    .filter(|p| p.service == s.code)
                    .flat_map(|p| p.providers.iter().cloned())
                    .collect::<Vec<_>>(),
                inv.ready_for(&s.code),
            ),
            None => (Vec::new(), Vec::new()),
        };
        let sp = plan.services.get(&s.code);
        let baseline = if let Some(b) = sp.filter(|b| !b.baseline.trim().is_empty()) {
            Some(Baseline {
                value: b.baseline.clone(),
                source: "diagnoza.toml [programme]".into(),
            })
        } else if let Some(r) = inputs.desk.iter().find(|r| {
            let l = r.label.to_lowercase();
            s.desk.iter().any(|d| l.starts_with(&d.to_lowercase()))
        }) {
            Some(Baseline {
                value: format!("{}: {}", r.label, r.text),
                source: r.source.clone(),
            })
        } else if !current.is_empty() {
            let cap: u64 = inputs
                .inventory
                .iter()
                .flat_map(|inv| inv.areas.iter())
                .flat_map(|a| a.services.iter())
                .filter(|p| p.service == s.code)
                .filter_map(|p| p.capacity)
                .sum();
            Some(Baseline {
                value: fill(
                    tp(lg, P::SourceInventory),
                    &[
                        ("n", &current.len().to_string()),
                        (
                            "cap",
                            &if cap > 0 {
                                fill(tp(lg, P::Capacity), &[("n", &cap.to_string())])
                            } else {
                                String::new()
                            },
                        ),
                    ],
                ),
                source: current.join(", "),
            })
        } else {
            None
        };
        items.push(Item {
            rank: 0,
            service: s.code.clone(),
            service_name: t(&s.name),
            area,
            package: s.package.clone(),
            priority: Priority::Low,
            class,
            evidence,
            groups,
            need_overall: overall_need(&s.code),
            form: s.form.clone(),
            providers: t(&s.providers),
            current_providers: current,
            ready_providers: ready,
            funding: t(&s.funding),
            indicator: t(&s.indicator),
            baseline,
            target: sp.map(|b| b.target.clone()).unwrap_or_default(),
            budget: sp.and_then(|b| b.budget),
            potential: s
                .potential
                .iter()
                .filter_map(|p| potential.get(p).cloned())
                .collect(),
        });
    }
    items.sort_by(|a, b| {
        a.class
            .cmp(&b.class)
            .then(b.evidence.total_cmp(&a.evidence))
            .then(a.service.cmp(&b.service))
    });
    // high is reserved for at most a third of the items: the high class, strongest evidence first
    let high_max = items.len() / 3;
    let mut highs = 0;
    for (i, it) in items.iter_mut().enumerate() {
        use crate::analysis::Priority as C;
        it.rank = i + 1;
        it.priority = match it.class {
            C::High if highs < high_max => {
                highs += 1;
                Priority::High
            }
            C::High | C::Medium => Priority::Medium,
            C::Low | C::Insufficient => Priority::Low,
        };
    }
    let mut packages: Vec<PackageItems> = cat
        .packages
        .iter()
        .map(|p| PackageItems {
            code: p.code.clone(),
            name: t(&p.name),
            items: Vec::new(),
        })
        .collect();
    let mut loose = PackageItems {
        code: String::new(),
        name: tp(lg, P::NoPackage).to_string(),
        items: Vec::new(),
    };
    for (i, it) in items.iter().enumerate() {
        match packages.iter_mut().find(|p| p.code == it.package) {
            Some(p) => p.items.push(i),
            None => loose.items.push(i),
        }
    }
    packages.retain(|p| !p.items.is_empty());
    if !loose.items.is_empty() {
        packages.push(loose);
    }
    // IPUS: groups with two or more recommended services, in the catalogue's order
    let ipus = cat
        .target_groups
        .iter()
        .filter_map(|g| {
            let services: Vec<String> = items
                .iter()
                .filter(|it| it.groups.iter().any(|x| x.target_group == g.code))
                .map(|it| it.service_name.clone())
                .collect();
            (services.len() >= 2).then(|| IpusGroup {
                group: t(&g.name),
                services,
            })
        })
        .collect();
    let choice_label = |q: &str, code: &str| -> String {
        form.question(q)
            .and_then(|qq| form.list_of(qq))
            .and_then(|l| l.get(code))
            .map(|c| form.text(&c.label, lang).to_string())
            .unwrap_or_else(|| code.to_string())
    };
    let mut support = Vec::new();
    for sr in &rules.support {
        let offered = match results
            .overall
            .iter()
            .find(|st| st.question == sr.offer_question)
        {
            Some(st) if !st.suppressed => {
                let n = st
                    .options
                    .iter()
                    .find(|o| o.code == sr.offer && !o.suppressed)
                    .map(|o| o.n);
                n.map(|n| shown(n, st.base, k)).unwrap_or(Shown::Hidden)
            }
            _ => Shown::Hidden,
        };
        let Some(g) = cat.target_groups.iter().find(|g| g.code == sr.group) else {
            continue;
        };
        let needed = match group_stats(results, g, &sr.need_question) {
            Some(sts) if sts.iter().all(|s| !s.suppressed) => option_counts(&sts, &sr.need)
                .map(|(n, base)| shown(n, base, k))
                .unwrap_or(Shown::Hidden),
            _ => Shown::Hidden,
        };
        support.push(SupportLine {
            offer: choice_label(&sr.offer_question, &sr.offer),
            offered,
            need: choice_label(&sr.need_question, &sr.need),
            group: t(&g.name),
            needed,
        });
    }
    let top = |role: Role, skip: &[&str], count: usize| -> Vec<(String, String, Figure)> {
        let Some(q) = form.questions.iter().find(|q| q.role == Some(role)) else {
            return Vec::new();
        };
        let Some(st) = results.overall.iter().find(|s| s.question == q.name) else {
            return Vec::new();
        };
        if st.suppressed {
            return Vec::new();
        }
        let mut v: Vec<(String, String, Figure)> = st
            .options
            .iter()
            .filter(|o| {
                !o.suppressed
                    && o.n >= k
                    && !o.code.starts_with('_')
                    && !skip.contains(&o.code.as_str())
            })
            .filter_map(|o| {
                figure(o.n, st.base).map(|f| (o.code.clone(), choice_label(&q.name, &o.code), f))
            })
            .collect();
        v.sort_by(|a, b| b.2.n.cmp(&a.2.n).then(a.0.cmp(&b.0)));
        v.truncate(count);
        v
    };
    let barrier = top(Role::Barrier, &["brak_barier", "inne", "brak"], 1)
        .into_iter()
        .next()
        .map(|(code, label, figure)| BarrierNote {
            code,
            label,
            figure,
            channels: top(Role::Channel, &["inne"], 3)
                .into_iter()
                .map(|(_, l, f)| (l, f))
                .collect(),
        });
    Ok(Programme {
        items,
        packages,
        ipus,
        support,
        barrier,
        notes,
        rules: rules.clone(),
        plan: plan.clone(),
        high_max,
    })
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

/// The programme as CSV, one row per service × target group (the item's priority, rank and
/// package on each row; priority codes in English).
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
        "rank",
        "package",
        "group_class",
        "baseline",
        "target",
        "budget",
    ])?;
    for it in &p.items {
        for g in &it.groups {
            wtr.row([
                it.priority.name("en"),
                &it.service,
                &it.service_name,
                it.area.code(),
                &g.target_group,
                &g.target_group_name,
                &g.need.n.to_string(),
                &g.need.base.to_string(),
                &g.need.pct.to_string(),
                &g.need.ci.0.to_string(),
                &g.need.ci.1.to_string(),
                &g.availability.map(|a| a.to_string()).unwrap_or_default(),
                &it.current_providers.join("; "),
                &it.ready_providers.join("; "),
                &it.rank.to_string(),
                &it.package,
                g.class.code(),
                &it.baseline
                    .as_ref()
                    .map(|b| b.value.clone())
                    .unwrap_or_default(),
                &it.target,
                &it.budget.map(|b| b.to_string()).unwrap_or_default(),
            ])?;
        }
    }
    wtr.finish()
}

/// The embedded template of the programme's Markdown (overridden by `programme.md` in the
/// workspace's `templates/`).
pub const TEMPLATE: &str = include_str!("programme/programme.md");
pub const TEMPLATE_FILE: &str = "programme.md";

/// What the template sees: every text formatted and escaped, so the template only lays it out.
#[derive(Serialize)]
struct View {
    t: BTreeMap<&'static str, String>,
    gmina: String,
    period: String,
    strategy: String,
    general_goal: String,
    specific_goals: Vec<String>,
    monitoring: String,
    evaluation: String,
    budget_total: String,
    budget_missing: String,
    priority_rule: String,
    summary: Vec<Vec<String>>,
    packages: Vec<ViewPackage>,
    ipus: Vec<KeyValue>,
    support: Vec<Vec<String>>,
    barrier: String,
    barrier_rec: String,
    channels: String,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct ViewPackage {
    name: String,
    items: Vec<ViewItem>,
}

#[derive(Serialize)]
struct ViewItem {
    rank: usize,
    name: String,
    groups: Vec<String>,
    rows: Vec<KeyValue>,
}

#[derive(Serialize)]
struct KeyValue {
    k: String,
    v: String,
}

/// The draft as Markdown, from the embedded template or the workspace's override in
/// `templates` (a folder).
pub fn markdown(
    p: &Programme,
    gmina: &str,
    lang: &str,
    templates: Option<&Path>,
) -> Result<String> {
    let (origin, text) = match templates.map(|d| d.join(TEMPLATE_FILE)) {
        Some(f) if f.is_file() => (
            f.display().to_string(),
            std::fs::read_to_string(&f)
                .with_context(|| format!("cannot read the template override {}", f.display()))?,
        ),
        _ => (
            format!("the built-in template {TEMPLATE_FILE}"),
            TEMPLATE.to_string(),
        ),
    };
    let view = view(p, gmina, lang);
    let mut tera = tera::Tera::new();
    tera.add_raw_template(TEMPLATE_FILE, &text)
        .map_err(|e| anyhow::anyhow!("{origin}: {}", chain(&e)))?;
    let ctx = tera::Context::from_serialize(&view)
        .map_err(|e| anyhow::anyhow!("{origin}: {}", chain(&e)))?;
    tera.render(TEMPLATE_FILE, &ctx)
        .map_err(|e| anyhow::anyhow!("{origin}: {}", chain(&e)))
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        parts.push(s.to_string());
        cur = s.source();
    }
    parts.join(": ")
}

fn tp(l: Lang, m: P) -> &'static str {
    crate::lang::programme::t(l, m)
}

fn view(p: &Programme, gmina: &str, lang: &str) -> View {
    // Names come from the institutions' answers, the catalogue and diagnoza.toml: never raw
    // HTML, and a table cell never breaks on '|'.
    let esc = |s: &str| crate::safe::escape_html(s).replace('|', "\\|");
    let lg = Lang::from_code(lang).unwrap_or_default();
    let tx = |m: P| tp(lg, m);
    let pct = |x: f64| crate::lang::pct(x, lang);
    let todo = tx(P::Todo).to_string();
    let or_todo = |s: &str| {
        if s.trim().is_empty() {
            todo.clone()
        } else {
            esc(s)
        }
    };
    let digits = |x: f64| {
        let s = format!("{x:.0}");
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 && c.is_ascii_digit() {
                out.push(if lang == "pl" { '\u{a0}' } else { ',' });
            }
            out.push(c);
        }
        out
    };
    let money = |x: f64| fill(tx(P::Money), &[("amount", &digits(x))]);
    let fig = |f: &Figure| {
        fill(
            tx(P::NeedFigure),
            &[
                ("pct", &pct(f.pct)),
                ("n", &f.n.to_string()),
                ("base", &f.base.to_string()),
            ],
        )
    };
    let summary = p
        .items
        .iter()
        .map(|it| {
            vec![
                it.rank.to_string(),
                esc(&it.service_name),
                esc(&p
                    .packages
                    .iter()
                    .find(|pk| pk.items.contains(&(it.rank - 1)))
                    .map(|pk| pk.name.clone())
                    .unwrap_or_default()),
                it.priority.name(lang).to_string(),
                esc(&it
                    .groups
                    .iter()
                    .map(|g| g.target_group_name.clone())
                    .collect::<Vec<_>>()
                    .join("; ")),
                format!("{} ({})", pct(it.evidence), class_name(it.class, lang)),
            ]
        })
        .collect();
    let item_view = |it: &Item| {
        let mut providers = it.providers.clone();
        if !it.current_providers.is_empty() {
            providers.push_str(&format!(
                "; {}: {}",
                tx(P::ProvideNow),
                it.current_providers.join(", ")
            ));
        }
        if !it.ready_providers.is_empty() {
            providers.push_str(&format!(
                "; {}: {}",
                tx(P::ReadyToTake),
                it.ready_providers.join(", ")
            ));
        }
        let potential = if it.potential.is_empty() {
            "—".to_string()
        } else {
            it.potential
                .iter()
                .map(|n| {
                    format!(
                        "{}: {}{}",
                        n.name,
                        pct(n.overall.pct),
                        n.best
                            .as_ref()
                            .map(|(g, f)| format!(" ({} {}: {})", tx(P::MostIn), g, pct(f.pct)))
                            .unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        let groups = it
            .groups
            .iter()
            .map(|g| {
                let mut s = format!(
                    "{}: {}",
                    esc(&g.target_group_name),
                    fill(
                        tx(P::NeedLine),
                        &[
                            ("pct", &pct(g.need.pct)),
                            ("lo", &pct(g.need.ci.0)),
                            ("hi", &pct(g.need.ci.1)),
                            ("n", &g.need.n.to_string()),
                            ("base", &g.need.base.to_string()),
                        ],
                    )
                );
                if let Some(a) = g.availability {
                    s.push_str(&format!("; {} {}", tx(P::Availability), pct(a)));
                }
                s.push_str(&format!(
                    "; {}: {}",
                    tx(P::Class),
                    class_name(g.class, lang)
                ));
                s
            })
            .collect();
        let baseline = match &it.baseline {
            Some(b) => format!("{} ({})", esc(&b.value), esc(&b.source)),
            None => format!("**{}**", tx(P::NoBaseline)),
        };
        let mut rows = vec![
            (tx(P::Area).to_string(), it.area.name(lang).to_string()),
            (
                tx(P::Priority).to_string(),
                it.priority.name(lang).to_string(),
            ),
        ];
        if let Some(f) = &it.need_overall {
            rows.push((tx(P::NeedOverall).to_string(), fig(f)));
        }
        rows.extend([
            (tx(P::Form).to_string(), esc(&it.form)),
            (tx(P::Providers).to_string(), esc(&providers)),
            (tx(P::Potential).to_string(), esc(&potential)),
            (tx(P::Funding).to_string(), esc(&it.funding)),
            (tx(P::Access).to_string(), todo.clone()),
            (tx(P::Indicator).to_string(), esc(&it.indicator)),
            (tx(P::Baseline).to_string(), baseline),
            (tx(P::Target).to_string(), or_todo(&it.target)),
            (
                tx(P::CostPerYear).to_string(),
                it.budget.map(money).unwrap_or_else(|| todo.clone()),
            ),
        ]);
        ViewItem {
            rank: it.rank,
            name: esc(&it.service_name),
            groups,
            rows: rows.into_iter().map(|(k, v)| KeyValue { k, v }).collect(),
        }
    };
    let packages = p
        .packages
        .iter()
        .map(|pk| ViewPackage {
            name: esc(&pk.name),
            items: pk.items.iter().map(|&i| item_view(&p.items[i])).collect(),
        })
        .collect();
    let show = |s: &Shown, offer: bool| match s {
        Shown::Hidden => tx(P::Hidden).to_string(),
        Shown::Figure(f) if offer => fill(
            tx(P::OfferFigure),
            &[("n", &f.n.to_string()), ("pct", &pct(f.pct))],
        ),
        Shown::Figure(f) => fig(f),
    };
    let support = p
        .support
        .iter()
        .map(|l| {
            vec![
                esc(&l.offer),
                show(&l.offered, true),
                esc(&l.need),
                esc(&l.group),
                show(&l.needed, false),
            ]
        })
        .collect();
    let (barrier, barrier_rec, channels) = match &p.barrier {
        None => (String::new(), String::new(), String::new()),
        Some(b) => (
            fill(
                tx(P::BarrierLine),
                &[
                    ("barrier", &esc(&b.label)),
                    ("pct", &pct(b.figure.pct)),
                    ("n", &b.figure.n.to_string()),
                    ("base", &b.figure.base.to_string()),
                ],
            ),
            tx(match b.code.as_str() {
                "brak_informacji" => P::RecInformation,
                "odleglosc" => P::RecDistance,
                "koszt" => P::RecCost,
                "czas_oczekiwania" => P::RecWaiting,
                "wstyd" => P::RecStigma,
                "godziny" => P::RecHours,
                "brak_uslug" => P::RecNoServices,
                _ => P::RecOther,
            })
            .to_string(),
            if b.channels.is_empty() {
                String::new()
            } else {
                fill(
                    tx(P::Channels),
                    &[(
                        "channels",
                        &b.channels
                            .iter()
                            .map(|(l, f)| format!("{} ({})", esc(l), pct(f.pct)))
                            .collect::<Vec<_>>()
                            .join(", "),
                    )],
                )
            },
        ),
    };
    let missing: Vec<String> = p
        .items
        .iter()
        .filter(|i| i.budget.is_none())
        .map(|i| esc(&i.service_name))
        .collect();
    let plan = &p.plan;
    View {
        t: crate::lang::programme::table(lg)
            .into_iter()
            .map(|(k, v)| (k, v.to_string()))
            .collect(),
        gmina: esc(gmina),
        period: or_todo(&plan.period),
        strategy: or_todo(&plan.strategy),
        general_goal: or_todo(&plan.general_goal),
        specific_goals: plan.specific_goals.iter().map(|g| esc(g)).collect(),
        monitoring: or_todo(&plan.monitoring),
        evaluation: or_todo(&plan.evaluation),
        budget_total: p
            .budget_total()
            .map(|b| fill(tx(P::BudgetTotal), &[("total", &money(b))]))
            .unwrap_or_else(|| todo.clone()),
        budget_missing: if missing.is_empty() {
            String::new()
        } else {
            fill(tx(P::BudgetMissing), &[("services", &missing.join(", "))])
        },
        priority_rule: fill(
            tx(P::PriorityRule),
            &[
                ("min_base", &p.rules.need.min_base.to_string()),
                ("min_need", &pct(p.rules.need.min_need)),
                ("need", &pct(crate::analysis::NEED_THRESHOLD)),
                ("avail", &pct(crate::analysis::LOW_AVAILABILITY)),
                ("high_max", &p.high_max.to_string()),
                ("total", &p.items.len().to_string()),
            ],
        ),
        summary,
        packages,
        ipus: p
            .ipus
            .iter()
            .map(|g| KeyValue {
                k: esc(&g.group),
                v: esc(&g.services.join(", ")),
            })
            .collect(),
        support,
        barrier,
        barrier_rec,
        channels,
        notes: p.notes.iter().map(|n| esc(n)).collect(),
    }
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
            items: vec![],
            packages: vec![],
            ipus: vec![],
            support: vec![],
            barrier: None,
            notes: vec!["<b>x</b>".into()],
            rules,
            plan: ProgrammePlan {
                general_goal: "<i>cel</i>".into(),
                ..Default::default()
            },
            high_max: 0,
        };
        let md = markdown(&p, "<script>alert(1)</script>", "pl", None).unwrap();
        assert!(!md.contains("<b>"), "{md}");
        assert!(!md.contains("<i>"), "{md}");
        assert!(!md.contains("<script>"), "{md}");
        assert!(md.contains("&lt;script&gt;"), "{md}");
        // no items: the rule is stated, nothing is invented
        assert!(md.contains("Żadna usługa nie spełnia reguł."), "{md}");
        assert!(md.contains("[do uzupełnienia przez zespół]"), "{md}");
    }

    #[test]
    fn a_template_override_is_used_and_its_errors_name_it() {
        let (_, rules) = load(None, &form()).unwrap();
        let p = Programme {
            items: vec![],
            packages: vec![],
            ipus: vec![],
            support: vec![],
            barrier: None,
            notes: vec![],
            rules,
            plan: ProgrammePlan::default(),
            high_max: 0,
        };
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join(TEMPLATE_FILE), "G={{ gmina }} {{ t.title }}").unwrap();
        assert_eq!(
            markdown(&p, "Wydminy", "en", Some(d.path())).unwrap(),
            "G=Wydminy Draft programme of social services"
        );
        std::fs::write(d.path().join(TEMPLATE_FILE), "{% for %}").unwrap();
        let e = markdown(&p, "W", "pl", Some(d.path()))
            .unwrap_err()
            .to_string();
        assert!(e.contains(TEMPLATE_FILE), "{e}");
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
        rules.need.min_need = 1.5;
        rules.support[0].offer = "latanie".into();
        rules.support[1].group = "marsjanie".into();
        let e = check(&cat, &rules, &f, "k.toml", "r.toml")
            .unwrap_err()
            .to_string();
        for s in [
            "r.toml: min_need = 1.5: expected a share from 0 to 1",
            "r.toml: support 1: 'latanie' is not a choice of 'forma_pomocy'",
            "r.toml: support 2: unknown target group 'marsjanie'",
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
