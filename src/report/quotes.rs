//! Free-text quotes for the report: [`select`] picks a few answers to `role = open` questions
//! and [`redact`] removes personal data from them (PESEL numbers, phone numbers, e-mail
//! addresses, names of persons introduced by a title such as "Pan Jan Kowalski" or a common
//! first name followed by a surname). Pure functions: the command feeds them the stored answers,
//! so only the chosen, redacted strings reach the report, never `Results` or a respondent's
//! record. Redaction is pattern-based and cannot recognise every name: the report's authors
//! still read the quotes before publishing.

use crate::response::{Answer, Response};
use crate::template::{Questionnaire, Role};
use std::collections::BTreeSet;

/// One selected, redacted quote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Quote {
    /// The open question's name.
    pub question: String,
    pub text: String,
}

pub use crate::safe::redact;

/// Up to `max` quotes per open question: answers of 15–300 characters after redaction,
/// de-duplicated, in a stable order (sorted, then evenly spaced picks), so the same store gives
/// the same selection.
pub fn select(form: &Questionnaire, responses: &[Response], max: usize) -> Vec<Quote> {
    let mut out = Vec::new();
    for q in form.questions.iter().filter(|q| q.role == Some(Role::Open)) {
        let set: BTreeSet<String> = responses
            .iter()
            .filter_map(|r| match r.answers.get(&q.name) {
                Some(Answer::Text(t)) => Some(redact(t)),
                _ => None,
            })
            .filter(|t| (15..=300).contains(&t.chars().count()))
            .collect();
        let all: Vec<String> = set.into_iter().collect();
        let take = all.len().min(max);
        for i in 0..take {
            let idx = i * all.len() / take;
            out.push(Quote {
                question: q.name.clone(),
                text: all[idx].clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn removes_pesel_phone_email_and_names() {
        let s = "Proszę dzwonić do Pana Jana Kowalskiego 600 123 456 lub +48 501-222-333, mail jan.k@wp.pl, PESEL 85010112345.";
        let r = redact(s);
        for bad in [
            "Kowalsk",
            "600 123 456",
            "501-222-333",
            "jan.k@wp.pl",
            "85010112345",
            "Jana",
        ] {
            assert!(!r.contains(bad), "{bad} left in: {r}");
        }
        assert!(
            r.contains("[osoba]")
                && r.contains("[telefon]")
                && r.contains("[e-mail]")
                && r.contains("[PESEL]"),
            "{r}"
        );
        assert_eq!(
            redact("Pani Anna Nowak-Kowalska pomaga seniorom"),
            "[osoba] pomaga seniorom"
        );
        assert_eq!(redact("Anna Nowak prowadzi klub"), "[osoba] prowadzi klub");
        // ordinary text, years and counts stay
        assert_eq!(
            redact("Brakuje 2 autobusów do Giżycka od 2024 r."),
            "Brakuje 2 autobusów do Giżycka od 2024 r."
        );
    }
}
