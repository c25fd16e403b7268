//! Answers and responses as the store keeps them: a choice code, a set of codes, a number, a
//! date, free text, or missing with its reason; a response with its provenance. No parsing of
//! files here (that is `ingest`) and no statistics (that is `analysis`).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// Why an answer is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// Skip logic (`relevant`) said the question was not to be asked.
    NotAsked,
    /// The question was asked and left blank.
    NotAnswered,
}

/// One answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Choice(String),
    Choices(BTreeSet<String>),
    Number(f64),
    /// ISO date `YYYY-MM-DD`.
    Date(String),
    Text(String),
    Missing(Missing),
}

impl Answer {
    /// The XLSForm raw value: codes joined by spaces for a multiple choice, "" when missing.
    /// This is what `relevant` expressions see.
    pub fn raw(&self) -> String {
        match self {
            Answer::Choice(c) => c.clone(),
            Answer::Choices(s) => s.iter().cloned().collect::<Vec<_>>().join(" "),
            Answer::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    format!("{}", *n as i64)
                } else {
                    n.to_string()
                }
            }
            Answer::Date(d) => d.clone(),
            Answer::Text(t) => t.clone(),
            Answer::Missing(_) => String::new(),
        }
    }

    pub fn is_missing(&self) -> bool {
        matches!(self, Answer::Missing(_))
    }
}

/// How a response reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Paper questionnaire typed in (PAPI).
    Paper,
    Email,
    Kobo,
    Odk,
    Google,
    Limesurvey,
    Msforms,
    /// Another online survey (CAWI).
    Online,
    /// Any other source.
    Other,
}

impl Channel {
    pub const ALL: [(&'static str, Channel); 9] = [
        ("paper", Channel::Paper),
        ("email", Channel::Email),
        ("kobo", Channel::Kobo),
        ("odk", Channel::Odk),
        ("google", Channel::Google),
        ("limesurvey", Channel::Limesurvey),
        ("msforms", Channel::Msforms),
        ("online", Channel::Online),
        ("other", Channel::Other),
    ];
    pub fn code(self) -> &'static str {
        Self::ALL.iter().find(|c| c.1 == self).map(|c| c.0).unwrap_or("other")
    }
    pub fn parse(s: &str) -> Option<Channel> {
        Self::ALL.iter().find(|c| c.0 == s).map(|c| c.1)
    }
    /// Polish / English name for reports.
    pub fn name(self, lang: &str) -> &'static str {
        let pl = lang == "pl";
        match self {
            Channel::Paper => {
                if pl {
                    "ankieta papierowa (PAPI)"
                } else {
                    "paper questionnaire (PAPI)"
                }
            }
            Channel::Email => {
                if pl {
                    "ankieta odesłana e-mailem"
                } else {
                    "questionnaire returned by e-mail"
                }
            }
            Channel::Kobo => "KoboToolbox (CAWI)",
            Channel::Odk => "ODK (CAWI/CAPI)",
            Channel::Google => "Google Forms (CAWI)",
            Channel::Limesurvey => "LimeSurvey (CAWI)",
            Channel::Msforms => "Microsoft Forms (CAWI)",
            Channel::Online => {
                if pl {
                    "ankieta internetowa (CAWI)"
                } else {
                    "online questionnaire (CAWI)"
                }
            }
            Channel::Other => {
                if pl {
                    "inne źródło"
                } else {
                    "other source"
                }
            }
        }
    }
}

/// Where one response came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub channel: Channel,
    /// The file name as given on the command line (no directories beyond it).
    pub file: String,
    /// 1-based data row, or message number in a mailbox.
    pub row: usize,
    /// The id the source gives (paper questionnaire number, Kobo `_uuid`, a hash of an e-mail's
    /// Message-ID): the key for duplicates.
    pub external_id: Option<String>,
}

/// One respondent's answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub provenance: Provenance,
    /// Question name → answer, for every data question of the questionnaire.
    pub answers: BTreeMap<String, Answer>,
    /// The record as read (column → cell), kept so that nothing is lost.
    pub raw: BTreeMap<String, String>,
}

impl Response {
    /// A content hash over the answers (stable across runs).
    pub fn content_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let json = serde_json::to_string(&self.answers).expect("answers serialise");
        let d = Sha256::digest(json.as_bytes());
        d.iter().take(12).map(|b| format!("{b:02x}")).collect()
    }
}
