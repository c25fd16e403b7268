//! The workspace: a folder with `diagnoza.toml` (the diagnosis plan: gmina, period, team, research
//! questions, schedule, template, grouping variables, suppression threshold), the store
//! `diagnoza.sqlite`, `imports/` and `reports/`. Reads and creates it; does not import or analyse.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::template::{self, Loaded};

pub const CONFIG_FILE: &str = "diagnoza.toml";
pub const STORE_FILE: &str = "diagnoza.sqlite";

/// `diagnoza.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub diagnosis: Diagnosis,
    #[serde(default)]
    pub team: Vec<TeamMember>,
    #[serde(default)]
    pub planning: Planning,
    #[serde(default)]
    pub research: Research,
    #[serde(default)]
    pub schedule: Vec<ScheduleItem>,
    #[serde(default)]
    pub population: Option<Population>,
    /// Data files that `diagnoza run` imports (paths relative to the workspace).
    #[serde(default)]
    pub imports: Vec<ImportSpec>,
    /// Desk data ("dane zastane") tables for stage III of the report.
    #[serde(default)]
    pub desk_data: Vec<DeskData>,
    /// The team's own texts (conclusions, objectives, SWOT, …), printed in their stage.
    #[serde(default)]
    pub texts: TeamTexts,
    /// Interviews, focus groups, consultations: one entry each (`[[qualitative]]`).
    #[serde(default)]
    pub qualitative: Vec<Qualitative>,
    /// The programme-level elements of the draft programme of social services.
    #[serde(default)]
    pub programme: ProgrammePlan,
}

/// The texts a diagnosis team writes itself (`[texts]`): the report prints each in its stage,
/// and a visibly marked to-do for the team where one is missing.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamTexts {
    /// Stage III: the local conditions (geography, demography, economy, institutions).
    #[serde(default)]
    pub local_conditions: String,
    /// Stage IV: the team's conclusions, one item each.
    #[serde(default)]
    pub conclusions: Vec<String>,
    /// Stage IV: the specific objectives (cele szczegółowe) of the programme.
    #[serde(default)]
    pub objectives: Vec<String>,
    /// Stage IV: how the diagnosis was consulted (with whom, when, what changed).
    #[serde(default)]
    pub consultation: String,
    #[serde(default)]
    pub swot: Swot,
}

/// A SWOT analysis written by the team (the report proposes strengths and weaknesses from the
/// data next to it).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Swot {
    #[serde(default)]
    pub strengths: Vec<String>,
    #[serde(default)]
    pub weaknesses: Vec<String>,
    #[serde(default)]
    pub opportunities: Vec<String>,
    #[serde(default)]
    pub threats: Vec<String>,
}

impl Swot {
    pub fn is_empty(&self) -> bool {
        self.strengths.is_empty()
            && self.weaknesses.is_empty()
            && self.opportunities.is_empty()
            && self.threats.is_empty()
    }
}

/// A qualitative input (`[[qualitative]]`): an interview, a focus group, a consultation meeting.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Qualitative {
    /// e.g. "wywiad grupowy (FGI)", "wywiad indywidualny (IDI)", "spotkanie konsultacyjne".
    pub method: String,
    #[serde(default)]
    pub date: String,
    /// Who took part, described without names (e.g. "6 opiekunów osób starszych").
    #[serde(default)]
    pub participants: String,
    pub summary: String,
}

/// `[programme]`: what the team decides for the programme of social services (art. 4–5 of the CUS
/// act) — its period, goals, link to the strategy for solving social problems (SRPS), monitoring
/// and evaluation, and per service (`[programme.services.<code>]`) a budget estimate, the
/// indicator's target and, when known, its baseline. `file` names a TOML file of the workspace
/// holding these fields instead.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammePlan {
    #[serde(default)]
    pub file: String,
    /// E.g. "2027–2030".
    #[serde(default)]
    pub period: String,
    /// The gmina's strategy for solving social problems the programme implements.
    #[serde(default)]
    pub strategy: String,
    #[serde(default)]
    pub general_goal: String,
    #[serde(default)]
    pub specific_goals: Vec<String>,
    #[serde(default)]
    pub monitoring: String,
    #[serde(default)]
    pub evaluation: String,
    #[serde(default)]
    pub services: std::collections::BTreeMap<String, ServicePlan>,
}

/// `[programme.services.<code>]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServicePlan {
    /// Estimated cost per year, PLN.
    #[serde(default)]
    pub budget: Option<f64>,
    /// The indicator's target value at the end of the period.
    #[serde(default)]
    pub target: String,
    /// The indicator's baseline, when the team knows it (overrides inventory and desk data).
    #[serde(default)]
    pub baseline: String,
}

/// One desk-data file (`[[desk_data]]`): a CSV in the workspace.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeskData {
    /// Path relative to the workspace, e.g. "dane/ludnosc.csv".
    pub file: String,
    /// `population` (age × sex, GUS BDL layout), `assistance` (reason + counts), `resources`
    /// or `table` (printed as is).
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub year: String,
}

/// A data file to import, with its collection channel.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportSpec {
    pub file: String,
    #[serde(default = "default_channel")]
    pub channel: String,
    /// The questionnaire the file answers (default: recognised from its columns).
    #[serde(default)]
    pub form: String,
}

fn default_channel() -> String {
    "paper".into()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diagnosis {
    pub gmina: String,
    #[serde(default)]
    pub powiat: String,
    #[serde(default)]
    pub wojewodztwo: String,
    /// e.g. "2026" or "IX–XII 2026".
    #[serde(default)]
    pub period: String,
    /// The questionnaire: a bundled name, or a file in the workspace's `survey-templates/`.
    #[serde(default = "default_template")]
    pub template: String,
    /// Report language: `pl` or `en`.
    #[serde(default = "default_lang")]
    pub language: String,
    /// Cells with fewer respondents than this are suppressed in every output.
    #[serde(default = "default_threshold")]
    pub suppression_threshold: u32,
    /// The institutions' and organisations' questionnaire (optional; e.g. "instytucje").
    #[serde(default)]
    pub institutions: String,
    /// Further perspectives: more questionnaires of the same diagnosis (e.g. "mlodziez"), each
    /// imported, checked and analysed on its own (`analyze --form ID`).
    #[serde(default)]
    pub forms: Vec<String>,
    /// Grouping variables; empty means every `disaggregation` question of the template.
    #[serde(default)]
    pub grouping: Vec<String>,
    /// The data are fictional (an example or a training workspace): the report says so on its
    /// cover and in its summary.
    #[serde(default)]
    pub fictional: bool,
    /// Below this many respondents the report warns at its top and states no key findings
    /// from shares.
    #[serde(default = "default_small_sample")]
    pub small_sample: u64,
    /// The unit running the diagnosis and where paper questionnaires go back.
    #[serde(default)]
    pub institution: String,
    #[serde(default)]
    pub return_address: String,
    #[serde(default)]
    pub return_email: String,
    /// The gmina's coat of arms for the report's cover: a PNG file in the workspace (optional).
    #[serde(default)]
    pub coat_of_arms: String,
}

fn default_template() -> String {
    "mieszkancy".into()
}
fn default_lang() -> String {
    "pl".into()
}
fn default_threshold() -> u32 {
    5
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamMember {
    pub role: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub institution: String,
}

/// A research question: its text, and optionally the key of the answer the report writes from
/// the results (`state`, `needs`, `potential`, `solutions`, `packages`). A plain string works:
/// its key is then recognised from the wording of the five CUS questions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum ResearchQuestion {
    Text(String),
    Keyed {
        text: String,
        #[serde(default)]
        key: String,
    },
}

/// The keys of research questions the report answers from the results.
pub const ANSWER_KEYS: [&str; 5] = ["state", "needs", "potential", "solutions", "packages"];

impl ResearchQuestion {
    pub fn text(&self) -> &str {
        match self {
            ResearchQuestion::Text(t) | ResearchQuestion::Keyed { text: t, .. } => t,
        }
    }
    /// The answer key: the one given, else recognised from the wording (Polish or English).
    pub fn key(&self) -> Option<&'static str> {
        if let ResearchQuestion::Keyed { key, .. } = self
            && !key.trim().is_empty()
        {
            return ANSWER_KEYS.into_iter().find(|k| *k == key.trim());
        }
        let t = self.text().to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
        if has(&["pakiet", "package"]) {
            Some("packages")
        } else if has(&["rozwiązani", "solution"]) {
            Some("solutions")
        } else if has(&["potencja", "potential"]) {
            Some("potential")
        } else if has(&["stan ", "state of", "current"]) {
            Some("state")
        } else if has(&["potrzeb", "need"]) {
            Some("needs")
        } else {
            None
        }
    }
}

/// Stage II: research problems and methods.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Research {
    #[serde(default)]
    pub questions: Vec<ResearchQuestion>,
    #[serde(default)]
    pub methods: Vec<String>,
}

/// Stage I: planning and feasibility.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Planning {
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub resources: String,
    #[serde(default)]
    pub constraints: String,
    /// The principles of providing social services the diagnosis and the programme follow.
    #[serde(default)]
    pub principles: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleItem {
    /// I, II, III or IV.
    pub stage: String,
    pub task: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub who: String,
}

/// The gmina's adult population, for response rates, and optionally by cells (age band × sex)
/// for post-stratification weights.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Population {
    #[serde(default)]
    pub adults: u64,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub year: String,
    /// Weighting variables (single-choice questions); the cells give one code for each.
    #[serde(default = "default_weight_by")]
    pub weight_by: Vec<String>,
    /// A GUS BDL CSV export of the population by age and sex (path relative to the workspace);
    /// weight_by must then be [age question, sex question].
    #[serde(default)]
    pub csv: Option<String>,
    /// The territorial unit (BDL `Kod` or `Nazwa`) when the CSV holds several.
    #[serde(default)]
    pub unit: Option<String>,
    /// Population per cell: `[[population.cells]] wiek = "18_24", plec = "kobieta", count = 412`.
    #[serde(default)]
    pub cells: Vec<PopulationCell>,
}

fn default_small_sample() -> u64 {
    100
}

fn default_weight_by() -> Vec<String> {
    vec!["wiek".into(), "plec".into()]
}

/// One population cell: a choice code per weighting variable and the count.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PopulationCell {
    pub count: u64,
    #[serde(flatten)]
    pub codes: std::collections::BTreeMap<String, String>,
}

/// An opened workspace.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub dir: PathBuf,
    pub config: Config,
}

impl Workspace {
    /// Open the workspace in `dir` (the folder holding `diagnoza.toml`).
    pub fn open(dir: &Path) -> Result<Workspace> {
        let file = dir.join(CONFIG_FILE);
        if !file.is_file() {
            bail!(
                "{} is not a diagnoza workspace: {CONFIG_FILE} not found (create one with \
                 `diagnoza init DIR --gmina NAME`, or pass --workspace DIR)",
                dir.display()
            );
        }
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let config: Config = toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start].lines().count().max(1))
                .unwrap_or(0);
            anyhow::anyhow!("{}:{line}: {}", file.display(), e.message())
        })?;
        if config.diagnosis.suppression_threshold == 0 {
            bail!(
                "{}: suppression_threshold must be at least 1",
                file.display()
            );
        }
        if !matches!(config.diagnosis.language.as_str(), "pl" | "en") {
            bail!("{}: language must be \"pl\" or \"en\"", file.display());
        }
        for q in &config.research.questions {
            if let ResearchQuestion::Keyed { key, text } = q
                && !key.trim().is_empty()
                && !ANSWER_KEYS.contains(&key.trim())
            {
                bail!(
                    "{}: [research] question \"{text}\": key \"{key}\" is not an answer key \
                     (expected one of: {})",
                    file.display(),
                    ANSWER_KEYS.join(", ")
                );
            }
        }
        Ok(Workspace {
            dir: dir.to_path_buf(),
            config,
        })
    }

    pub fn store_path(&self) -> PathBuf {
        self.dir.join(STORE_FILE)
    }

    pub fn reports_dir(&self) -> PathBuf {
        self.dir.join("reports")
    }

    /// Load and check the workspace's (residents') questionnaire.
    pub fn questionnaire(&self) -> Result<Loaded> {
        self.load_template(&self.config.diagnosis.template)
    }

    /// The institutions' questionnaire, when the workspace has one.
    pub fn institutions(&self) -> Result<Option<Loaded>> {
        match self.config.diagnosis.institutions.trim() {
            "" => Ok(None),
            name => self.load_template(name).map(Some),
        }
    }

    /// Every questionnaire of the workspace, the residents' first.
    pub fn questionnaires(&self) -> Result<Vec<template::Questionnaire>> {
        let mut out = vec![self.questionnaire()?.form];
        if let Some(i) = self.institutions()? {
            if i.form.id == out[0].id {
                bail!(
                    "{}: the institutions' questionnaire has the same form_id '{}' as the residents' one",
                    self.dir.join(CONFIG_FILE).display(),
                    i.form.id
                );
            }
            out.push(i.form);
        }
        for name in &self.config.diagnosis.forms {
            let f = self.load_template(name)?.form;
            if out.iter().any(|o| o.id == f.id) {
                bail!(
                    "{}: forms: '{name}' has the form_id '{}' of another questionnaire of this workspace",
                    self.dir.join(CONFIG_FILE).display(),
                    f.id
                );
            }
            out.push(f);
        }
        Ok(out)
    }

    /// Load a template named in diagnoza.toml: a file in the workspace's `survey-templates/`, a
    /// path relative to the workspace, or a bundled name.
    pub fn load_template(&self, name: &str) -> Result<Loaded> {
        let src = template::resolve(name, Some(&self.dir.join("survey-templates")))
            .or_else(|| template::resolve(&self.dir.join(name).display().to_string(), None))
            .with_context(|| {
                format!(
                    "{}: template '{name}' is neither a bundled template ({}) nor a file in \
                     survey-templates/",
                    self.dir.join(CONFIG_FILE).display(),
                    template::builtin_names().join(", ")
                )
            })?;
        src.load()
    }

    /// The grouping variables: those configured, else the template's `disaggregation` questions.
    pub fn grouping(&self, form: &template::Questionnaire) -> Result<Vec<String>> {
        if self.config.diagnosis.grouping.is_empty() {
            return Ok(form.grouping_questions().map(|q| q.name.clone()).collect());
        }
        for g in &self.config.diagnosis.grouping {
            match form.question(g) {
                None => bail!(
                    "{}: grouping variable '{g}' is not a question of the questionnaire '{}' \
                     (grouping variables available: {})",
                    self.dir.join(CONFIG_FILE).display(),
                    form.id,
                    form.grouping_questions()
                        .map(|q| q.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Some(q) if q.kind != template::Kind::SelectOne => bail!(
                    "{}: grouping variable '{g}' must be a single-choice question",
                    self.dir.join(CONFIG_FILE).display()
                ),
                _ => {}
            }
        }
        Ok(self.config.diagnosis.grouping.clone())
    }
}

/// What `init` is told about the diagnosis besides the gmina and the questionnaire.
pub struct Plan<'a> {
    pub gmina: &'a str,
    pub template: &'a str,
    pub institution: &'a str,
    pub return_address: &'a str,
    pub return_email: &'a str,
}

/// The `diagnoza.toml` that `init` writes, with its comments in a language and the
/// institution and return addresses filled in.
pub fn initial_config_in(plan: &Plan, lang: crate::lang::Lang) -> String {
    let mut text = initial_config(plan.gmina, plan.template);
    for (key, value) in [
        ("institution", plan.institution),
        ("return_address", plan.return_address),
        ("return_email", plan.return_email),
    ] {
        if !value.is_empty() {
            let old = format!("\n{key} = \"\"");
            let pad = " ".repeat(key.len() + 3);
            let new = format!(
                "\n{key} = {}{}",
                toml::Value::String(value.to_string()),
                &pad[..pad.len().min(2)]
            );
            text = text.replacen(&old, &new, 1);
        }
    }
    if lang == crate::lang::Lang::Pl {
        for (en, pl) in crate::lang::cli::CONFIG_COMMENTS {
            text = text.replace(en, pl);
        }
    }
    text
}

/// The `diagnoza.toml` that `init` writes: every field present and explained.
pub fn initial_config(gmina: &str, template: &str) -> String {
    let gmina_toml = toml::Value::String(gmina.to_string()).to_string();
    let template_toml = toml::Value::String(template.to_string()).to_string();
    format!(
        r#"# diagnoza workspace: the plan of the diagnosis of needs and potential of the local community
# in the field of social services (ustawa z 19 lipca 2019 r. o realizowaniu usług społecznych
# przez centrum usług społecznych). Stages I and II of the report are written from this file.

[diagnosis]
gmina = {gmina_toml}
powiat = ""
wojewodztwo = ""
period = ""                     # e.g. "wrzesień–grudzień 2026"
template = {template_toml}      # bundled name or a file in survey-templates/
institutions = ""               # optional: the institutions' questionnaire, e.g. "instytucje"
forms = []                      # optional further perspectives, e.g. ["mlodziez"]
language = "pl"                 # report language: "pl" or "en"
suppression_threshold = 5       # cells with fewer respondents are never shown
grouping = []                   # empty: every disaggregation question of the template
institution = ""                # e.g. "Gminny Ośrodek Pomocy Społecznej w …"
return_address = ""             # where paper questionnaires are handed in
return_email = ""               # where e-mailed questionnaires are sent
coat_of_arms = ""               # optional: a PNG of the gmina's coat of arms for the report cover

# The team (roles and institutions; names are optional and appear in the report).
[[team]]
role = "Koordynator diagnozy"
name = ""
institution = ""

# Stage I: planning and feasibility.
[planning]
purpose = "Celem diagnozy jest dostarczenie władzom gminy informacji o potrzebach mieszkańców w zakresie usług społecznych oraz o potencjale usługowym środowiska lokalnego."
scope = ""
resources = ""
constraints = ""
# The seven principles of providing social services named by the CUS materials (Biblioteczka CUS,
# Kancelaria Prezydenta RP 2020); edit to the gmina's wording.
principles = "Usługi społeczne są realizowane zgodnie z zasadami: powszechności (dostępne dla wszystkich mieszkańców, nie tylko dla osób w trudnej sytuacji), podmiotowości (mieszkańcy współdecydują o usługach, z których korzystają), jakości (usługi spełniają określone standardy), kompleksowości (obejmują wszystkie obszary usług społecznych, nie tylko pomoc społeczną), współpracy (CUS współdziała z instytucjami, organizacjami i mieszkańcami), pomocniczości (wspierają samodzielność osób, rodzin i wspólnoty, nie zastępując ich) oraz wzmacniania więzi społecznych (budują relacje i samopomoc w społeczności lokalnej)."

# Stage II: research problems, methods and schedule. The five research questions of a CUS
# diagnosis (Biblioteczka CUS no. 2, "Diagnoza potrzeb i potencjału społeczności lokalnej").
# `key` names the answer the report writes from the results (state, needs, potential,
# solutions, packages); a plain string is matched by its wording, else the team answers it.
[research]
questions = [
  {{ key = "state", text = "Jaki jest obecny stan usług społecznych w gminie?" }},
  {{ key = "needs", text = "Jakie są potrzeby społeczne mieszkańców w zakresie usług społecznych (w ujęciu ilościowym i jakościowym)?" }},
  {{ key = "potential", text = "Jaki jest potencjał społeczności lokalnej do zaspokajania tych potrzeb?" }},
  {{ key = "solutions", text = "Jakie rozwiązania należy wprowadzić, aby te potrzeby zaspokoić?" }},
  {{ key = "packages", text = "Jakie pakiety usług społecznych należy zaoferować poszczególnym grupom mieszkańców?" }},
]
methods = [
  "Analiza danych zastanych (GUS BDL, sprawozdania OPS, Ocena zasobów pomocy społecznej)",
  "Ankieta dla dorosłych mieszkańców (papierowa, e-mail, internetowa)",
]

[[schedule]]
stage = "I"
task = "Planowanie diagnozy i ocena wykonalności"
from = ""
to = ""

[[schedule]]
stage = "II"
task = "Problemy badawcze, dobór metod i narzędzi, harmonogram"
from = ""
to = ""

[[schedule]]
stage = "III"
task = "Zbieranie danych, badanie ankietowe, analiza"
from = ""
to = ""

[[schedule]]
stage = "IV"
task = "Wnioski, rekomendacje, raport, konsultacje"
from = ""
to = ""

# Files that `diagnoza run` imports before writing the report (paths relative to this folder).
# [[imports]]
# file = "imports/ankiety-papierowe.csv"
# channel = "paper"            # paper, email, kobo, odk, google, limesurvey, msforms, online, other

# Adult population of the gmina, for the response rate (GUS BDL).
# [population]
# adults = 0
# source = "GUS BDL"
# year = ""
# Optional post-stratification weights by age band × sex (see the README, "Weighting"): either a GUS BDL
# CSV export of the population by single years of age and sex …
# csv = "ludnosc_wiek_plec.csv"
# … or the cells themselves (one per age band × sex):
# weight_by = ["wiek", "plec"]
# [[population.cells]]
# wiek = "18_24"
# plec = "kobieta"
# count = 412
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initial_config_in_both_languages() {
        use crate::lang::Lang;
        let plan = Plan {
            gmina: "Wydminy",
            template: "mieszkancy",
            institution: "GOPS w Wydminach",
            return_address: "ul. Grunwaldzka 6",
            return_email: "gops@wydminy.pl",
        };
        for lang in Lang::ALL {
            let text = initial_config_in(&plan, lang);
            let c: Config = toml::from_str(&text).unwrap();
            assert_eq!(c.diagnosis.institution, "GOPS w Wydminach");
            assert_eq!(c.diagnosis.return_address, "ul. Grunwaldzka 6");
            assert_eq!(c.diagnosis.return_email, "gops@wydminy.pl");
            let comments: Vec<&str> = text
                .lines()
                .filter_map(|l| l.split_once('#').map(|c| c.1))
                .collect();
            for (en, pl) in crate::lang::cli::CONFIG_COMMENTS {
                let want = if lang == Lang::Pl { pl } else { en };
                assert!(text.contains(want), "{lang}: {want}");
            }
            if lang == Lang::Pl {
                for w in [" the ", " of ", " or ", "e.g.", "optional"] {
                    assert!(
                        !comments.iter().any(|c| c.contains(w)),
                        "English '{w}' in a Polish comment: {comments:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn initial_config_parses() {
        let c: Config = toml::from_str(&initial_config("Wydminy \"Test\"", "mieszkancy")).unwrap();
        assert_eq!(c.diagnosis.gmina, "Wydminy \"Test\"");
        assert_eq!(c.diagnosis.suppression_threshold, 5);
        assert_eq!(c.schedule.len(), 4);
        assert_eq!(c.research.questions.len(), 5);
        let keys: Vec<_> = c
            .research
            .questions
            .iter()
            .filter_map(|q| q.key())
            .collect();
        assert_eq!(keys, ANSWER_KEYS);
        // plain strings keep working: the five CUS questions are recognised by their wording
        for q in &c.research.questions {
            let plain = ResearchQuestion::Text(q.text().to_string());
            assert_eq!(plain.key(), q.key(), "{}", q.text());
        }
        assert!(
            c.planning
                .principles
                .contains("wzmacniania więzi społecznych")
        );
    }
}
