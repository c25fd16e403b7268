//! The questionnaire model: questions, groups, choice lists, labels per language, skip logic,
//! constraints and the analysis columns (role, area, disaggregation, identifier, score). It maps
//! 1:1 onto XLSForm rows. Loading from the diffable TOML text lives in `text`, validation in
//! `validate`. This module knows nothing about answers, files of data or reports.

pub mod areas;
#[cfg(test)]
mod cases;
pub mod expr;
pub mod text;
pub mod totoml;
pub mod validate;
pub mod xlsform;

use std::collections::BTreeMap;

use serde::Serialize;

pub use areas::Area;
pub use expr::Expr;
pub use text::{builtin, builtin_names, load_file, load_str, resolve};

/// Labels keyed by language code (`pl`, `en`).
pub type Labels = BTreeMap<String, String>;

/// Pick the label for `lang`, falling back to `fallback` and then to any label.
pub fn pick<'a>(labels: &'a Labels, lang: &str, fallback: &str) -> Option<&'a str> {
    labels
        .get(lang)
        .or_else(|| labels.get(fallback))
        .or_else(|| labels.values().next())
        .map(String::as_str)
}

/// A whole questionnaire.
#[derive(Debug, Clone, Serialize)]
pub struct Questionnaire {
    /// `form_id`: also the name under which it is bundled and stored.
    pub id: String,
    pub title: Labels,
    pub version: String,
    /// Language code used when a label is missing in the requested one.
    pub default_language: String,
    /// Language codes found in labels, default first.
    pub languages: Vec<String>,
    pub groups: Vec<Group>,
    /// Questions in questionnaire order (notes included).
    pub questions: Vec<Question>,
    pub lists: BTreeMap<String, ChoiceList>,
    /// Settings keys this model does not interpret, kept for export.
    pub settings_extra: BTreeMap<String, String>,
    /// `calculate` rows: evaluated when skip logic names them.
    pub calculates: Vec<Calculate>,
    /// Repeats (rosters) and `begin loop` blocks with the questions inside them.
    pub repeats: Vec<Repeat>,
    /// Survey rows kept verbatim for export but not asked (calculate, geopoint, start …, and
    /// every repeat block as a whole), so an exported form never refers to a row it left out.
    pub kept: Vec<Kept>,
}

/// A `calculate` row.
#[derive(Debug, Clone, Serialize)]
pub struct Calculate {
    pub name: String,
    pub calculation: Logic,
    /// The repeat the row is in, if any.
    pub repeat: Option<String>,
    pub row: usize,
}

/// `begin_repeat` … `end_repeat` (or `begin loop over LIST` … `end loop`): a roster whose
/// members (e.g. the persons of a household) each answer `questions`.
#[derive(Debug, Clone, Serialize)]
pub struct Repeat {
    pub name: String,
    pub label: Labels,
    /// `repeat_count` as written.
    pub count: Option<String>,
    /// The enclosing repeat of a nested repeat.
    pub parent: Option<String>,
    /// `begin loop over LIST`: a loop over a choice list rather than a repeat.
    pub loop_over: Option<String>,
    /// Questions asked of each member (groups inside the repeat are flattened; each question's
    /// `group` names its group inside the repeat).
    pub questions: Vec<Question>,
    pub row: usize,
}

/// Survey rows kept as they were: one row, or a whole repeat block (begin … end).
#[derive(Debug, Clone, Serialize)]
pub struct Kept {
    pub rows: Vec<KeptRow>,
    /// The group the row (or block) sits in.
    pub group: Option<String>,
    pub row: usize,
}

/// One kept survey row: plain cells by column, translatable cells by column and language.
#[derive(Debug, Clone, Serialize)]
pub struct KeptRow {
    pub plain: BTreeMap<String, String>,
    pub labelled: BTreeMap<String, Labels>,
    pub row: usize,
}

impl KeptRow {
    pub fn get(&self, col: &str) -> Option<&str> {
        self.plain.get(col).map(String::as_str)
    }
}

/// `begin_group` … `end_group`.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub name: String,
    pub label: Labels,
    pub relevant: Option<Logic>,
    pub parent: Option<String>,
    /// 1-based row in the source (survey row).
    pub row: usize,
}

/// An expression with the text it was parsed from.
#[derive(Debug, Clone, Serialize)]
pub struct Logic {
    pub source: String,
    #[serde(skip)]
    pub expr: Expr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    SelectOne,
    SelectMultiple,
    Integer,
    Decimal,
    Text,
    Date,
    Note,
}

impl Kind {
    pub fn is_select(self) -> bool {
        matches!(self, Kind::SelectOne | Kind::SelectMultiple)
    }
    pub fn is_numeric(self) -> bool {
        matches!(self, Kind::Integer | Kind::Decimal)
    }
}

/// What a question is for in the analysis (design.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Metric,
    Need,
    Availability,
    Quality,
    Barrier,
    Potential,
    Channel,
    Open,
}

impl Role {
    pub const ALL: [(&'static str, Role); 8] = [
        ("metric", Role::Metric),
        ("need", Role::Need),
        ("availability", Role::Availability),
        ("quality", Role::Quality),
        ("barrier", Role::Barrier),
        ("potential", Role::Potential),
        ("channel", Role::Channel),
        ("open", Role::Open),
    ];
    pub fn parse(s: &str) -> Option<Role> {
        Self::ALL
            .iter()
            .find(|r| r.0 == s.trim().to_lowercase())
            .map(|r| r.1)
    }
    pub fn code(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|r| r.1 == self)
            .map(|r| r.0)
            .unwrap_or("")
    }
}

/// Identifier class for anonymisation (kobocruncher's `anonymise`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Identifier {
    Direct,
    Quasi,
    Sensitive,
}

impl Identifier {
    pub fn parse(s: &str) -> Option<Identifier> {
        match s.trim().to_lowercase().as_str() {
            "direct" | "direct_identifier" => Some(Identifier::Direct),
            "quasi" | "quasi_identifier" => Some(Identifier::Quasi),
            "sensitive" | "sensitive_information" => Some(Identifier::Sensitive),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Identifier::Direct => "direct",
            Identifier::Quasi => "quasi",
            Identifier::Sensitive => "sensitive",
        }
    }
}

/// One question (an XLSForm survey row that holds data, or a note).
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub name: String,
    pub kind: Kind,
    /// The choice list of a select question.
    pub list: Option<String>,
    pub label: Labels,
    pub hint: Labels,
    pub required: bool,
    /// The question's own `relevant` (groups' conditions are applied on top, see
    /// [`Questionnaire::is_relevant`]).
    pub relevant: Option<Logic>,
    pub constraint: Option<Logic>,
    pub constraint_message: Labels,
    pub appearance: Option<String>,
    pub role: Option<Role>,
    pub area: Option<Area>,
    /// A grouping variable for the analysis.
    pub disaggregation: bool,
    pub identifier: Option<Identifier>,
    /// The innermost group.
    pub group: Option<String>,
    /// Survey-sheet columns this model does not interpret, kept for export.
    pub extra: BTreeMap<String, String>,
    pub row: usize,
}

/// A choice list (`list_name`).
#[derive(Debug, Clone, Serialize)]
pub struct ChoiceList {
    pub name: String,
    pub choices: Vec<Choice>,
}

impl ChoiceList {
    pub fn get(&self, name: &str) -> Option<&Choice> {
        self.choices.iter().find(|c| c.name == name)
    }
    /// True when some choices carry a score: a rating scale.
    pub fn is_scored(&self) -> bool {
        self.choices.iter().any(|c| c.score.is_some())
    }
    /// (min, max) of the scores.
    pub fn score_range(&self) -> Option<(f64, f64)> {
        let s: Vec<f64> = self.choices.iter().filter_map(|c| c.score).collect();
        if s.is_empty() {
            return None;
        }
        let min = s.iter().copied().fold(f64::INFINITY, f64::min);
        let max = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Some((min, max))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub name: String,
    pub label: Labels,
    pub area: Option<Area>,
    /// Score on a rating scale; a scored list's choices without a score ("trudno powiedzieć",
    /// "nie korzystam") are kept out of means and counted apart.
    pub score: Option<f64>,
    pub extra: BTreeMap<String, String>,
    pub row: usize,
}

impl Questionnaire {
    pub fn question(&self, name: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.name == name)
    }

    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }

    /// The choice list of a select question.
    pub fn list_of(&self, q: &Question) -> Option<&ChoiceList> {
        q.list.as_ref().and_then(|l| self.lists.get(l))
    }

    /// Questions that hold data (everything but notes).
    pub fn data_questions(&self) -> impl Iterator<Item = &Question> {
        self.questions.iter().filter(|q| q.kind != Kind::Note)
    }

    /// Grouping variables (`disaggregation = yes`).
    pub fn grouping_questions(&self) -> impl Iterator<Item = &Question> {
        self.questions.iter().filter(|q| q.disaggregation)
    }

    /// The label of a question, group or choice in `lang`.
    pub fn text<'a>(&self, labels: &'a Labels, lang: &str) -> &'a str {
        pick(labels, lang, &self.default_language).unwrap_or("")
    }

    /// The label of choice `code` of question `q`, or the code itself when unknown.
    pub fn choice_label(&self, q: &Question, code: &str, lang: &str) -> String {
        self.list_of(q)
            .and_then(|l| l.get(code))
            .map(|c| self.text(&c.label, lang).to_string())
            .unwrap_or_else(|| code.to_string())
    }

    /// The chain of conditions that decide whether `q` is asked: its enclosing groups' `relevant`
    /// (outermost first), then its own.
    pub fn conditions<'a>(&'a self, q: &'a Question) -> Vec<&'a Logic> {
        let mut chain = Vec::new();
        let mut g = q.group.as_deref();
        while let Some(name) = g {
            let Some(group) = self.group(name) else { break };
            if let Some(r) = &group.relevant {
                chain.push(r);
            }
            g = group.parent.as_deref();
        }
        chain.reverse();
        if let Some(r) = &q.relevant {
            chain.push(r);
        }
        chain
    }

    /// Whether `q` is asked, given the raw values of the other answers (`calculate` rows are
    /// computed from them, see [`Questionnaire::value`]).
    pub fn is_relevant(&self, q: &Question, field: &dyn Fn(&str) -> String) -> bool {
        let look = |n: &str| self.value(n, field);
        self.conditions(q).iter().all(|l| l.expr.eval(&look, ""))
    }

    /// The value of field `name`: a `calculate` row's computed value, or else `field(name)`.
    pub fn value(&self, name: &str, field: &dyn Fn(&str) -> String) -> String {
        self.value_at(name, field, 0)
    }

    fn value_at(&self, name: &str, field: &dyn Fn(&str) -> String, depth: usize) -> String {
        match self
            .calculates
            .iter()
            .find(|c| c.name == name && c.repeat.is_none())
        {
            // Cycles are refused when the questionnaire is built; the depth bound is a guard.
            Some(c) if depth < 64 => {
                let look = |n: &str| self.value_at(n, field, depth + 1);
                c.calculation.expr.eval_string(&look, "")
            }
            Some(_) => String::new(),
            None => field(name),
        }
    }

    pub fn repeat(&self, name: &str) -> Option<&Repeat> {
        self.repeats.iter().find(|r| r.name == name)
    }
}

/// A problem in a questionnaire, with its place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// e.g. `survey row 12 (plec)` or `choices row 4 (list skala)`
    pub place: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// A questionnaire that could not be loaded: every error found, with the file.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}: {} error(s) in the questionnaire:\n{}", errors.len(), errors.iter().map(|e| format!("  {file}: {e}")).collect::<Vec<_>>().join("\n"))]
pub struct TemplateError {
    pub file: String,
    pub errors: Vec<Problem>,
}

/// A loaded questionnaire together with the warnings found while checking it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub form: Questionnaire,
    pub warnings: Vec<Problem>,
}
