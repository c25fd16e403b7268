//! Free-text quotes for the report: [`select`] picks a few answers to `role = open` questions
//! and [`redact`] removes personal data from them (PESEL numbers, phone numbers, e-mail
//! addresses, names of persons introduced by a title such as "Pan Jan Kowalski" or a common
//! first name followed by a surname). Pure functions: the command feeds them the stored answers,
//! so only the chosen, redacted strings reach the report, never `Results` or a respondent's
//! record. Redaction is pattern-based and cannot recognise every name: the report's authors
//! still read the quotes before publishing.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::response::{Answer, Response};
use crate::template::{Questionnaire, Role};

/// One selected, redacted quote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Quote {
    /// The open question's name.
    pub question: String,
    pub text: String,
}

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w.+-]+@[\w-]+(\.[\w-]+)+").expect("valid regex"));
static PESEL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b\d{11}\b").expect("valid regex"));
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\+48[ -]?|\b0048[ -]?)?\b\d{2,3}([ -]?\d{2,3}){2,3}\b").expect("valid regex")
});
const UPPER: &str = "A-ZĄĆĘŁŃÓŚŹŻ";
const LOWER: &str = "a-ząćęłńóśźż";
static TITLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?i:pan|pani|pana|panu|panią|panem|panie|państwo|państwa|ks\.|ksiądz|księdza|dr|doktor|doktora|sołtys|sołtysa|sołtysowa|radny|radna|wójt|wójta)\s+[{UPPER}][{LOWER}]+(\s*-\s*[{UPPER}][{LOWER}]+)?(\s+[{UPPER}][{LOWER}]+(-[{UPPER}][{LOWER}]+)?)?"
    ))
    .expect("valid regex")
});
/// Common Polish first names: "Jan Kowalski" without a title.
const FIRST_NAMES: &[&str] = &[
    "Adam",
    "Agnieszka",
    "Aleksandra",
    "Andrzej",
    "Anna",
    "Barbara",
    "Beata",
    "Danuta",
    "Dorota",
    "Elżbieta",
    "Ewa",
    "Grażyna",
    "Halina",
    "Irena",
    "Jacek",
    "Jadwiga",
    "Jan",
    "Janina",
    "Janusz",
    "Jerzy",
    "Joanna",
    "Józef",
    "Kamil",
    "Katarzyna",
    "Krystyna",
    "Krzysztof",
    "Łukasz",
    "Magdalena",
    "Małgorzata",
    "Marek",
    "Maria",
    "Mariusz",
    "Marta",
    "Michał",
    "Monika",
    "Paweł",
    "Piotr",
    "Robert",
    "Ryszard",
    "Stanisław",
    "Tadeusz",
    "Teresa",
    "Tomasz",
    "Wiesław",
    "Wojciech",
    "Zbigniew",
    "Zofia",
];
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b({})\s+[{UPPER}][{LOWER}]+(-[{UPPER}][{LOWER}]+)?",
        FIRST_NAMES.join("|")
    ))
    .expect("valid regex")
});

/// Remove personal data from a free-text answer.
pub fn redact(text: &str) -> String {
    let s = EMAIL.replace_all(text, "[e-mail]");
    let s = PESEL.replace_all(&s, "[PESEL]");
    let s = PHONE.replace_all(&s, |c: &regex::Captures| {
        let digits = c[0].chars().filter(char::is_ascii_digit).count();
        if (9..=11).contains(&digits) {
            "[telefon]".to_string()
        } else {
            c[0].to_string()
        }
    });
    let s = TITLED.replace_all(&s, "[osoba]");
    let s = NAMED.replace_all(&s, "[osoba]");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

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
