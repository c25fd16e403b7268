//! The language of everything a user reads: the [`Lang`] enum (Polish by default, English on
//! request) that the report, the programme, the charts and the CLI take. It does not hold the
//! questionnaires' own texts (those live in the templates, per language). Also the number
//! formats of a language ([`pct`], [`num`]), shared by every renderer.

use std::fmt;

pub mod cli;
pub mod programme;
pub mod report;

/// A language of the outputs. Parsed by clap (`--lang pl|en`: anything else is a usage error)
/// and from diagnoza.toml's `language`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum Lang {
    /// Polish (the default: the users are Polish social-services clerks).
    #[default]
    Pl,
    /// English.
    En,
}

impl Lang {
    /// Every language, in the order they are offered.
    pub const ALL: [Lang; 2] = [Lang::Pl, Lang::En];

    /// The ISO 639-1 code (`pl`, `en`), as used in file names and templates.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Pl => "pl",
            Lang::En => "en",
        }
    }

    /// The language of a code; None for a code diagnoza has no texts for.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code.trim())
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A text diagnoza writes itself (not a questionnaire's). `{name}` marks a value [`fill`]
/// puts in. Every message has a text in every language: [`t`] matches on both, so a missing
/// translation does not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    /// Programme note: a target group's variable is not in the analysis. `{group}`, `{var}`.
    NoGroupingData,
    /// Programme note: too few answers for a recommendation. `{group}`, `{base}`, `{min}`.
    TooFewForNeed,
    /// Programme note: fewer answers than the suppression threshold (no count). `{group}`.
    TooFewHidden,
    /// Programme note: a target group an anonymous survey cannot identify. `{group}`.
    NotInSurvey,
}

/// The text of a message in a language.
pub fn t(lang: Lang, m: Msg) -> &'static str {
    use Lang::{En, Pl};
    match (m, lang) {
        (Msg::NotInSurvey, Pl) => {
            "{group}: grupa nierozpoznawalna w ankiecie mieszkańców — jej potrzeby wynikają z danych zastanych (powody przyznania pomocy) i z ankiety instytucji"
        }
        (Msg::NotInSurvey, En) => {
            "{group}: not identified by the residents' survey — its needs come from desk data (reasons for assistance) and the institutions"
        }
        (Msg::NoGroupingData, Pl) => {
            "{group}: brak danych dla zmiennej grupującej „{var}” (czy jest w grupowaniu analizy?)"
        }
        (Msg::NoGroupingData, En) => {
            "{group}: no data for the grouping variable '{var}' (is it in the analysis' grouping?)"
        }
        (Msg::TooFewForNeed, Pl) => {
            "{group}: na pytanie o potrzeby odpowiedziało tylko {base} osób, poniżej minimum {min} — bez rekomendacji"
        }
        (Msg::TooFewForNeed, En) => {
            "{group}: only {base} respondents answered the need question; below the minimum of {min} — no recommendation drawn"
        }
        (Msg::TooFewHidden, Pl) => {
            "{group}: na pytanie o potrzeby odpowiedziało mniej osób, niż wynosi próg ukrywania małych grup — bez rekomendacji"
        }
        (Msg::TooFewHidden, En) => {
            "{group}: fewer respondents than the suppression threshold answered the need question — no recommendation drawn"
        }
    }
}

/// A message's text with its `{name}` places filled in.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// `0.4523` → `45,2%` (pl) / `45.2%` (en).
pub fn pct(x: f64, lang: &str) -> String {
    let s = format!("{:.1}%", x * 100.0);
    if lang == "pl" { s.replace('.', ",") } else { s }
}

/// A number with one decimal in the language's notation.
pub fn num(x: f64, lang: &str) -> String {
    let s = format!("{x:.1}");
    if lang == "pl" { s.replace('.', ",") } else { s }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn codes_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(l));
        }
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::default(), Lang::Pl);
    }

    #[test]
    fn messages_fill_every_place() {
        use super::{Msg, fill, t};
        for l in Lang::ALL {
            let s = fill(
                t(l, Msg::TooFewForNeed),
                &[("group", "G"), ("base", "7"), ("min", "30")],
            );
            assert!(
                s.starts_with("G: ") && s.contains('7') && s.contains("30"),
                "{s}"
            );
            assert!(!s.contains('{'), "{s}");
            assert!(!fill(t(l, Msg::TooFewHidden), &[("group", "G")]).contains('{'));
        }
        assert_ne!(
            t(Lang::Pl, Msg::TooFewHidden),
            t(Lang::En, Msg::TooFewHidden)
        );
    }
}
