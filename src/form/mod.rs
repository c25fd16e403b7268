//! Forms out: the questionnaire rendered for people who do not use an online survey: a printable
//! paper questionnaire (`html`), a data-entry workbook for the clerks who type paper answers in
//! (`workbook`), and a plain-text form that residents fill in by replying to an e-mail
//! (`textform`, which also parses the replies). Shared here: question numbering, skip logic and
//! constraints written in words. It does not read answers from files (that is `ingest`).

pub mod html;
pub mod textform;
pub mod workbook;

use std::collections::BTreeMap;

use crate::template::expr::{CmpOp, Expr};
use crate::template::{Kind, Question, Questionnaire};

/// What a form says besides the questions: who runs the diagnosis and where answers go back
/// (from `diagnoza.toml`).
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// `pl` or `en`.
    pub lang: String,
    pub gmina: String,
    pub institution: String,
    pub return_address: String,
    pub return_email: String,
}

impl Context {
    pub fn pl(&self) -> bool {
        self.lang != "en"
    }
    /// Polish or English text.
    pub fn t<'a>(&self, pl: &'a str, en: &'a str) -> &'a str {
        if self.pl() { pl } else { en }
    }
}

/// Question numbers as printed: data questions (not notes) numbered 1, 2, … in order.
pub fn numbering(form: &Questionnaire) -> BTreeMap<String, usize> {
    form.data_questions()
        .enumerate()
        .map(|(i, q)| (q.name.clone(), i + 1))
        .collect()
}

fn qref(numbers: &BTreeMap<String, usize>, name: &str) -> String {
    numbers
        .get(name)
        .map(|n| n.to_string())
        .unwrap_or_else(|| name.to_string())
}

/// The printed label of a choice, with typographic quotes.
fn quoted(form: &Questionnaire, name: &str, code: &str, ctx: &Context) -> String {
    let label = form
        .question(name)
        .map(|q| form.choice_label(q, code, &ctx.lang))
        .unwrap_or_else(|| code.to_string());
    if ctx.pl() {
        format!("„{label}”")
    } else {
        format!("“{label}”")
    }
}

fn num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        n.to_string().replace('.', ",")
    }
}

/// A condition in words, e.g. "w pytaniu 8 zaznaczono „Tak”" / "you ticked “Yes” in question 8".
pub fn condition_words(
    form: &Questionnaire,
    e: &Expr,
    ctx: &Context,
    numbers: &BTreeMap<String, usize>,
) -> String {
    let field = |e: &Expr| match e {
        Expr::Field(n) => Some(n.clone()),
        _ => None,
    };
    match e {
        Expr::Cmp(a, op, b) => {
            if let (Some(n), Expr::Str(v)) = (field(a), b.as_ref()) {
                let is_select = form.question(&n).is_some_and(|q| q.kind.is_select());
                let what = if is_select {
                    quoted(form, &n, v, ctx)
                } else {
                    format!("„{v}”")
                };
                let qn = qref(numbers, &n);
                match (op, ctx.pl()) {
                    (CmpOp::Eq, true) => return format!("w pytaniu {qn} zaznaczono {what}"),
                    (CmpOp::Eq, false) => return format!("you ticked {what} in question {qn}"),
                    (CmpOp::Ne, true) => return format!("w pytaniu {qn} nie zaznaczono {what}"),
                    (CmpOp::Ne, false) => {
                        return format!("you did not tick {what} in question {qn}");
                    }
                    _ => {}
                }
            }
            if let (Some(n), Expr::Num(x)) = (field(a), b.as_ref()) {
                let qn = qref(numbers, &n);
                let x = num(*x);
                let rel = match (op, ctx.pl()) {
                    (CmpOp::Eq, true) => format!("równą {x}"),
                    (CmpOp::Ne, true) => format!("różną od {x}"),
                    (CmpOp::Lt, true) => format!("mniejszą niż {x}"),
                    (CmpOp::Le, true) => format!("nie większą niż {x}"),
                    (CmpOp::Gt, true) => format!("większą niż {x}"),
                    (CmpOp::Ge, true) => format!("co najmniej {x}"),
                    (CmpOp::Eq, false) => format!("equal to {x}"),
                    (CmpOp::Ne, false) => format!("other than {x}"),
                    (CmpOp::Lt, false) => format!("less than {x}"),
                    (CmpOp::Le, false) => format!("at most {x}"),
                    (CmpOp::Gt, false) => format!("greater than {x}"),
                    (CmpOp::Ge, false) => format!("at least {x}"),
                };
                return if ctx.pl() {
                    format!("w pytaniu {qn} podano liczbę {rel}")
                } else {
                    format!("the number given in question {qn} is {rel}")
                };
            }
            if let (Expr::CountSelected(inner), Expr::Num(x)) = (a.as_ref(), b.as_ref()) {
                if let Some(n) = field(inner) {
                    let qn = qref(numbers, &n);
                    let x = num(*x);
                    let rel = match (op, ctx.pl()) {
                        (CmpOp::Gt, true) => format!("więcej niż {x}"),
                        (CmpOp::Ge, true) => format!("co najmniej {x}"),
                        (CmpOp::Lt, true) => format!("mniej niż {x}"),
                        (CmpOp::Le, true) => format!("najwyżej {x}"),
                        (_, true) => x.to_string(),
                        (CmpOp::Gt, false) => format!("more than {x}"),
                        (CmpOp::Ge, false) => format!("at least {x}"),
                        (CmpOp::Lt, false) => format!("fewer than {x}"),
                        (CmpOp::Le, false) => format!("at most {x}"),
                        (_, false) => x.to_string(),
                    };
                    return if ctx.pl() {
                        format!("w pytaniu {qn} zaznaczono {rel} odpowiedzi")
                    } else {
                        format!("you ticked {rel} answers in question {qn}")
                    };
                }
            }
            fallback(e, ctx)
        }
        Expr::Selected(a, b) => match (field(a), b.as_ref()) {
            (Some(n), Expr::Str(v)) => {
                let qn = qref(numbers, &n);
                let what = quoted(form, &n, v, ctx);
                if ctx.pl() {
                    format!("w pytaniu {qn} zaznaczono {what}")
                } else {
                    format!("you ticked {what} in question {qn}")
                }
            }
            _ => fallback(e, ctx),
        },
        Expr::Not(inner) => match inner.as_ref() {
            Expr::Selected(a, b) => match (field(a), b.as_ref()) {
                (Some(n), Expr::Str(v)) => {
                    let qn = qref(numbers, &n);
                    let what = quoted(form, &n, v, ctx);
                    if ctx.pl() {
                        format!("w pytaniu {qn} nie zaznaczono {what}")
                    } else {
                        format!("you did not tick {what} in question {qn}")
                    }
                }
                _ => fallback(e, ctx),
            },
            other => {
                let w = condition_words(form, other, ctx, numbers);
                if ctx.pl() {
                    format!("nie jest prawdą, że {w}")
                } else {
                    format!("it is not the case that {w}")
                }
            }
        },
        Expr::And(a, b) => format!(
            "{} {} {}",
            condition_words(form, a, ctx, numbers),
            ctx.t("i", "and"),
            condition_words(form, b, ctx, numbers)
        ),
        Expr::Or(a, b) => format!(
            "{} {} {}",
            condition_words(form, a, ctx, numbers),
            ctx.t("lub", "or"),
            condition_words(form, b, ctx, numbers)
        ),
        _ => fallback(e, ctx),
    }
}

fn fallback(e: &Expr, ctx: &Context) -> String {
    if ctx.pl() {
        format!("spełniony jest warunek {e}")
    } else {
        format!("the condition {e} holds")
    }
}

/// The skip instruction printed before a question that is not always asked, e.g. "Jeśli w
/// pytaniu 8 zaznaczono „Tak”, proszę odpowiedzieć na to pytanie. W przeciwnym razie proszę
/// przejść do pytania 10." `None` for questions everyone answers.
pub fn skip_instruction(
    form: &Questionnaire,
    q: &Question,
    ctx: &Context,
    numbers: &BTreeMap<String, usize>,
) -> Option<String> {
    let conds = form.conditions(q);
    if conds.is_empty() {
        return None;
    }
    let words: Vec<String> = conds
        .iter()
        .map(|l| condition_words(form, &l.expr, ctx, numbers))
        .collect();
    let joined = words.join(&format!(" {} ", ctx.t("i", "and")));
    // The next question that does not depend on the same conditions.
    let sources: Vec<&str> = conds.iter().map(|l| l.source.as_str()).collect();
    let next = form
        .data_questions()
        .skip_while(|x| x.name != q.name)
        .skip(1)
        .find(|x| {
            form.conditions(x)
                .iter()
                .map(|l| l.source.as_str())
                .collect::<Vec<_>>()
                != sources
        })
        .and_then(|x| numbers.get(&x.name));
    let mut s = if ctx.pl() {
        format!("Jeśli {joined}, proszę odpowiedzieć na to pytanie.")
    } else {
        format!("If {joined}, please answer this question.")
    };
    match next {
        Some(n) if ctx.pl() => s.push_str(&format!(
            " W przeciwnym razie proszę przejść do pytania {n}."
        )),
        Some(n) => s.push_str(&format!(" Otherwise please go to question {n}.")),
        None if ctx.pl() => s.push_str(" W przeciwnym razie proszę pominąć to pytanie."),
        None => s.push_str(" Otherwise please skip it."),
    }
    Some(s)
}

/// How to answer, in a few words: "jedna odpowiedź", "najwyżej 3 odpowiedzi", "liczba od 1 do
/// 20", "data". Constraints that are not simple bounds are given by their message, if any.
pub fn answer_hint(form: &Questionnaire, q: &Question, ctx: &Context) -> String {
    let b = q
        .constraint
        .as_ref()
        .map(|c| c.expr.bounds())
        .unwrap_or_default();
    let mut parts: Vec<String> = Vec::new();
    match q.kind {
        Kind::SelectOne => parts.push(ctx.t("jedna odpowiedź", "one answer").into()),
        Kind::SelectMultiple => match (b.min_choices, b.max_choices) {
            (_, Some(m)) if m <= 1.0 => parts.push(ctx.t("jedna odpowiedź", "one answer").into()),
            (Some(lo), Some(hi)) => parts.push(if ctx.pl() {
                format!("od {} do {} odpowiedzi", num(lo), num(hi))
            } else {
                format!("from {} to {} answers", num(lo), num(hi))
            }),
            (_, Some(hi)) => parts.push(if ctx.pl() {
                format!("najwyżej {} odpowiedzi", num(hi))
            } else {
                format!("at most {} answers", num(hi))
            }),
            _ => parts.push(
                ctx.t(
                    "można zaznaczyć kilka odpowiedzi",
                    "you can choose several answers",
                )
                .into(),
            ),
        },
        Kind::Integer | Kind::Decimal => {
            let what = if q.kind == Kind::Integer {
                ctx.t("liczba całkowita", "a whole number")
            } else {
                ctx.t("liczba", "a number")
            };
            parts.push(match (b.min, b.max) {
                (Some(lo), Some(hi)) => {
                    if ctx.pl() {
                        format!("{what} od {} do {}", num(lo), num(hi))
                    } else {
                        format!("{what} from {} to {}", num(lo), num(hi))
                    }
                }
                (Some(lo), None) => {
                    format!("{what} {} {}", ctx.t("co najmniej", "of at least"), num(lo))
                }
                (None, Some(hi)) => {
                    format!("{what} {} {}", ctx.t("najwyżej", "of at most"), num(hi))
                }
                _ => what.to_string(),
            });
        }
        Kind::Date => parts.push(
            ctx.t("data: dzień.miesiąc.rok", "date: day.month.year")
                .into(),
        ),
        Kind::Text | Kind::Note => {}
    }
    let bounded = b != crate::template::expr::Bounds::default();
    if let (Some(_), false) = (&q.constraint, bounded) {
        if let Some(m) =
            crate::template::pick(&q.constraint_message, &ctx.lang, &form.default_language)
        {
            parts.push(m.trim_end_matches('.').to_string());
        }
    }
    // Say nothing the question's own label or hint already says.
    let own = format!(
        "{} {}",
        form.text(&q.label, &ctx.lang),
        form.text(&q.hint, &ctx.lang)
    )
    .to_lowercase();
    parts.retain(|p| !own.contains(&p.to_lowercase()));
    parts.join("; ")
}

/// The questionnaire's notes that introduce it (before the first data question): the
/// anonymity statement.
pub fn intro_notes(form: &Questionnaire) -> impl Iterator<Item = &Question> {
    form.questions.iter().take_while(|q| q.kind == Kind::Note)
}

/// Where answers go back, in one sentence (empty when diagnoza.toml gives no address).
pub fn return_sentence(ctx: &Context) -> String {
    let mut parts = Vec::new();
    if !ctx.return_address.trim().is_empty() {
        parts.push(if ctx.pl() {
            format!(
                "oddać lub przesłać pocztą na adres: {}",
                ctx.return_address.trim()
            )
        } else {
            format!("hand it in or post it to {}", ctx.return_address.trim())
        });
    }
    if !ctx.return_email.trim().is_empty() {
        parts.push(if ctx.pl() {
            format!("przesłać e-mailem na adres {}", ctx.return_email.trim())
        } else {
            format!("e-mail it to {}", ctx.return_email.trim())
        });
    }
    if parts.is_empty() {
        return String::new();
    }
    if ctx.pl() {
        format!("Wypełnioną ankietę prosimy {}.", parts.join(" lub "))
    } else {
        format!(
            "Please return the completed questionnaire: {}.",
            parts.join(", or ")
        )
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::template::load_str;

    pub(crate) const FORM: &str = r#"
[settings]
form_id = "t"
[[survey]]
type = "note"
name = "wstep"
label = { pl = "Ankieta jest anonimowa.", en = "The questionnaire is anonymous." }
[[survey]]
type = "select_one tn"
name = "dzieci"
label = { pl = "Dzieci w gospodarstwie", en = "Children" }
required = true
[[survey]]
type = "integer"
name = "ile"
label = { pl = "Ile dzieci", en = "How many children" }
relevant = "${dzieci} = 'tak'"
constraint = ". >= 1 and . <= 15"
[[survey]]
type = "select_multiple u"
name = "uslugi"
label = { pl = "Usługi", en = "Services" }
constraint = "count-selected(.) <= 2"
[[survey]]
type = "select_multiple u"
name = "inne"
label = { pl = "Inne <usługi> & \"rzeczy\"", en = "Other" }
relevant = "selected(${uslugi}, 'klub') or ${dzieci} != 'nie'"
constraint = "not(selected(., 'brak') and count-selected(.) > 1)"
constraint_message = { pl = "Odpowiedzi „Brak” nie można łączyć z innymi.", en = "“None” cannot be combined with other answers." }
[[survey]]
type = "text"
name = "uwagi"
label = "Uwagi"
[[choices]]
list_name = "tn"
name = "tak"
label = { pl = "Tak", en = "Yes" }
[[choices]]
list_name = "tn"
name = "nie"
label = { pl = "Nie", en = "No" }
[[choices]]
list_name = "u"
name = "opieka"
label = "Usługi opiekuńcze"
[[choices]]
list_name = "u"
name = "klub"
label = "Klub seniora"
[[choices]]
list_name = "u"
name = "brak"
label = "Brak"
"#;

    pub(crate) fn form() -> Questionnaire {
        load_str(FORM, "t").unwrap().form
    }

    fn ctx(lang: &str) -> Context {
        Context {
            lang: lang.into(),
            ..Context::default()
        }
    }

    #[test]
    fn skip_logic_in_words() {
        let f = form();
        let n = numbering(&f);
        assert_eq!(n["dzieci"], 1);
        assert_eq!(n["uwagi"], 5);
        let s = skip_instruction(&f, f.question("ile").unwrap(), &ctx("pl"), &n).unwrap();
        assert_eq!(
            s,
            "Jeśli w pytaniu 1 zaznaczono „Tak”, proszę odpowiedzieć na to pytanie. W przeciwnym razie proszę przejść do pytania 3."
        );
        let s = skip_instruction(&f, f.question("inne").unwrap(), &ctx("en"), &n).unwrap();
        assert_eq!(
            s,
            "If you ticked “Klub seniora” in question 3 or you did not tick “No” in question 1, please answer this question. Otherwise please go to question 5."
        );
        assert!(skip_instruction(&f, f.question("uslugi").unwrap(), &ctx("pl"), &n).is_none());
    }

    #[test]
    fn hints_from_constraints() {
        let f = form();
        assert_eq!(
            answer_hint(&f, f.question("ile").unwrap(), &ctx("pl")),
            "liczba całkowita od 1 do 15"
        );
        assert_eq!(
            answer_hint(&f, f.question("uslugi").unwrap(), &ctx("pl")),
            "najwyżej 2 odpowiedzi"
        );
        assert_eq!(
            answer_hint(&f, f.question("uslugi").unwrap(), &ctx("en")),
            "at most 2 answers"
        );
        assert_eq!(
            answer_hint(&f, f.question("inne").unwrap(), &ctx("pl")),
            "można zaznaczyć kilka odpowiedzi; Odpowiedzi „Brak” nie można łączyć z innymi"
        );
        assert_eq!(
            answer_hint(&f, f.question("dzieci").unwrap(), &ctx("pl")),
            "jedna odpowiedź"
        );
    }
}
