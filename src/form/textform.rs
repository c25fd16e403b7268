//! The e-mail form: a plain-text questionnaire that a resident fills in by replying to an
//! e-mail, and the parser that reads the answers back from a reply. Each question is a block
//! that starts with a line `[question_name] N. Label`; options are lines `[ ] 1. Label` where
//! the resident types X (x, ✓, v, * …) between the brackets, or writes the option numbers after
//! `Odpowiedź:` / `Answer:`; numbers, dates and texts go after `Odpowiedź:`. The parser finds
//! blocks anywhere in the text, also inside quoted replies (`> `) and forwarded messages. It
//! returns cell texts for `ingest::map`, which checks them; it does not decide what is valid.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Context, answer_hint, intro_notes, numbering, return_sentence, skip_instruction};
use crate::template::{Kind, Questionnaire};

/// The marker line that ends the form.
pub const END_PL: &str = "=== KONIEC ANKIETY ===";
pub const END_EN: &str = "=== END OF QUESTIONNAIRE ===";

fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
            line.push_str(indent);
            line.push_str(word);
        } else {
            if len > 0 {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines.push(line);
    lines.join("\n")
}

/// Render the e-mail form.
pub fn render(form: &Questionnaire, ctx: &Context) -> String {
    let lang = ctx.lang.as_str();
    let numbers = numbering(form);
    let mut t = String::new();
    let title = form.text(&form.title, lang);
    let _ = writeln!(t, "{}", wrap(&title.to_uppercase(), 76, ""));
    let who: Vec<&str> = [ctx.institution.trim(), ctx.gmina.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if !who.is_empty() {
        let _ = writeln!(t, "{}", who.join(" — "));
    }
    t.push('\n');
    let how: [&str; 5] = if ctx.pl() {
        [
            "JAK ODPOWIEDZIEĆ",
            "1. Proszę kliknąć „Odpowiedz” i wypełnić ankietę w treści odpowiedzi (albo w tym pliku tekstowym, jeśli ankieta przyszła jako załącznik).",
            "2. Przy wybranej odpowiedzi proszę wpisać X między nawiasami, na przykład:  [X] 1. Tak — można też wpisać numer lub numery odpowiedzi po słowie „Odpowiedź:”, na przykład:  Odpowiedź: 1, 3",
            "3. Liczby (cyframi) i teksty proszę wpisać po słowie „Odpowiedź:”.",
            "4. Proszę nie zmieniać ani nie usuwać nazw w nawiasach kwadratowych na początku pytań: po nich rozpoznajemy pytania. Pytania bez odpowiedzi można zostawić puste.",
        ]
    } else {
        [
            "HOW TO ANSWER",
            "1. Click “Reply” and fill in the questionnaire in your reply (or in this text file, if the questionnaire came as an attachment).",
            "2. Type X between the brackets of your answer, for example:  [X] 1. Yes — or write the number(s) of your answer(s) after “Answer:”, for example:  Answer: 1, 3",
            "3. Write numbers (in digits) and texts after “Answer:”.",
            "4. Please do not change or delete the names in square brackets at the start of the questions: they identify the questions. You can leave questions unanswered.",
        ]
    };
    for l in how {
        let indent = if l.starts_with(char::is_numeric) {
            "   "
        } else {
            ""
        };
        let _ = writeln!(t, "{}", wrap(l, 76, indent));
    }
    t.push('\n');
    let intro: Vec<_> = intro_notes(form).collect();
    for n in &intro {
        let _ = writeln!(t, "{}\n", wrap(form.text(&n.label, lang), 76, ""));
    }
    let answer = ctx.t("Odpowiedź:", "Answer:");
    let mut group: Option<&str> = None;
    for q in form.questions.iter().skip(intro.len()) {
        if q.group.as_deref() != group {
            group = q.group.as_deref();
            if let Some(g) = group.and_then(|g| form.group(g)) {
                let label = form.text(&g.label, lang);
                if !label.is_empty() {
                    let _ = writeln!(t, "=== {} ===\n", label.to_uppercase());
                }
            }
        }
        if q.kind == Kind::Note {
            let _ = writeln!(t, "{}\n", wrap(form.text(&q.label, lang), 76, ""));
            continue;
        }
        let n = numbers.get(&q.name).copied().unwrap_or(0);
        let hint = answer_hint(form, q, ctx);
        let head = if hint.is_empty() {
            format!("[{}] {n}. {}", q.name, form.text(&q.label, lang))
        } else {
            format!("[{}] {n}. {} ({hint})", q.name, form.text(&q.label, lang))
        };
        let _ = writeln!(t, "{}", wrap(&head, 76, "    "));
        if let Some(s) = skip_instruction(form, q, ctx, &numbers) {
            let _ = writeln!(t, "{}", wrap(&format!("→ {s}"), 76, "  "));
        }
        let h = form.text(&q.hint, lang);
        if !h.is_empty() {
            let _ = writeln!(t, "{}", wrap(&format!("({h})"), 76, " "));
        }
        if q.kind.is_select() {
            for (i, c) in form
                .list_of(q)
                .map(|l| l.choices.as_slice())
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                let _ = writeln!(
                    t,
                    "{}",
                    wrap(
                        &format!("[ ] {}. {}", i + 1, form.text(&c.label, lang)),
                        76,
                        "       "
                    )
                );
            }
        }
        // No trailing space: mail programs sending format=flowed would join the next line.
        let _ = writeln!(t, "{answer}\n");
    }
    let _ = writeln!(t, "{}", ctx.t(END_PL, END_EN));
    let _ = writeln!(
        t,
        "{}",
        ctx.t(
            "Dziękujemy za wypełnienie ankiety.",
            "Thank you for completing the questionnaire."
        )
    );
    let r = return_sentence(ctx);
    if !r.is_empty() {
        let _ = writeln!(t, "{}", wrap(&r, 76, ""));
    }
    t
}

/// What the parser found in a text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    /// Question name → cell text for `ingest::map` (codes joined by `;` for multiple choice).
    pub values: BTreeMap<String, String>,
    /// Question blocks found (answered or not).
    pub blocks: usize,
    /// Questions answered differently in two copies of the form in the same text:
    /// (question, first, second).
    pub conflicts: Vec<(String, String, String)>,
}

impl Parsed {
    pub fn answered(&self) -> usize {
        self.values
            .values()
            .filter(|v| !v.trim().is_empty())
            .count()
    }
}

/// Strip e-mail quoting (`> `, `>> `, `> > `) and surrounding space.
fn unquote(line: &str) -> &str {
    line.trim_start_matches(['>', ' ', '\t', '\u{a0}'])
        .trim_end()
}

/// `[name] …` at the start of a line, when `name` is a data question of the form.
fn block_start(line: &str, form: &Questionnaire) -> Option<String> {
    let rest = line.strip_prefix('[')?;
    let end = rest.find(']')?;
    let name = rest[..end].trim();
    if name.chars().count() < 2 {
        return None;
    }
    form.question(name)
        .filter(|q| q.kind != Kind::Note)
        .map(|q| q.name.clone())
}

/// `[mark] N. label` → (marked, N).
fn option_line(line: &str) -> Option<(bool, usize)> {
    // A mark typed just before the brackets ("X[ ] 1. Tak", "x [ ] 1. Tak") counts too.
    let (before, rest) = line.split_once('[')?;
    let before = before.trim();
    if !before.is_empty() && !is_mark(before) {
        return None;
    }
    let end = rest.find(']')?;
    let mark = rest[..end].trim();
    if mark.chars().count() > 3 {
        return None;
    }
    let mut after = rest[end + 1..].trim_start();
    // ... or just after them ("[ ]X 1. Tak", "[ ] x 1. Tak").
    let mut mark_after = false;
    if let Some((first, tail)) = after.split_once(char::is_whitespace) {
        if is_mark(first) && tail.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
            mark_after = true;
            after = tail.trim_start();
        }
    }
    let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
    let n: usize = digits.parse().ok()?;
    let tail = after[digits.len()..].chars().next();
    if !matches!(tail, Some('.') | Some(')') | Some(' ') | None) {
        return None;
    }
    let inside = !mark.is_empty() && !matches!(mark, "_" | "-" | "." | " ");
    Some((inside || mark_after || !before.is_empty(), n))
}

/// A tick typed by hand: X, x, ✓, ✔, v, V, *, +, ●, ☒, ☑ (up to 3 of them).
fn is_mark(s: &str) -> bool {
    let n = s.chars().count();
    (1..=3).contains(&n)
        && s.chars().all(|c| {
            matches!(
                c,
                'X' | 'x' | '✓' | '✔' | 'v' | 'V' | '*' | '+' | '●' | '☒' | '☑' | '✗' | '×'
            )
        })
}

/// The text after `Odpowiedź:` / `Odpowiedz:` / `Odp.:` / `Answer:`, if the line is one.
fn answer_line(line: &str) -> Option<&str> {
    let lower = line.to_lowercase();
    for p in [
        "odpowiedź:",
        "odpowiedz:",
        "odpowiedź :",
        "odp.:",
        "odp:",
        "answer:",
        "antwort:",
    ] {
        if lower.starts_with(p) {
            // byte offsets agree: the prefixes are lowercase already in both
            let cut = line
                .char_indices()
                .nth(p.chars().count())
                .map(|(i, _)| i)
                .unwrap_or(line.len());
            return Some(line[cut..].trim());
        }
    }
    None
}

#[derive(Debug, Default)]
struct Block {
    name: String,
    marks: Vec<usize>,
    answer: Vec<String>,
    in_answer: bool,
}

/// Read the answers from the text of an e-mail (or a text file).
pub fn parse(text: &str, form: &Questionnaire) -> Parsed {
    let mut out = Parsed::default();
    let mut cur: Option<Block> = None;
    let finish = |b: Block, out: &mut Parsed| {
        out.blocks += 1;
        let value = block_value(&b, form);
        match out.values.get(&b.name) {
            Some(old) if old.trim().is_empty() => {
                out.values.insert(b.name, value);
            }
            Some(old) if !value.trim().is_empty() && *old != value => {
                out.conflicts.push((b.name.clone(), old.clone(), value));
            }
            Some(_) => {}
            None => {
                out.values.insert(b.name, value);
            }
        }
    };
    for raw in text.lines() {
        let line = unquote(raw);
        if let Some(name) = block_start(line, form) {
            if let Some(b) = cur.take() {
                finish(b, &mut out);
            }
            cur = Some(Block {
                name,
                ..Block::default()
            });
            continue;
        }
        let Some(b) = cur.as_mut() else { continue };
        if line.starts_with("===") || line.starts_with("---") || line == "--" {
            if let Some(b) = cur.take() {
                finish(b, &mut out);
            }
            continue;
        }
        if let Some((marked, n)) = option_line(line) {
            b.in_answer = false;
            if marked {
                b.marks.push(n);
            }
            continue;
        }
        if let Some(a) = answer_line(line) {
            b.in_answer = true;
            if !a.is_empty() {
                b.answer.push(a.to_string());
            }
            continue;
        }
        if b.in_answer {
            if line.is_empty() {
                b.in_answer = false;
                continue;
            }
            b.answer.push(line.to_string());
        }
    }
    if let Some(b) = cur.take() {
        finish(b, &mut out);
    }
    out
}

/// The cell text of one block.
fn block_value(b: &Block, form: &Questionnaire) -> String {
    let Some(q) = form.question(&b.name) else {
        return String::new();
    };
    let answer = b.answer.join(" ").trim().to_string();
    if !q.kind.is_select() {
        return answer;
    }
    let choices = form.list_of(q).map(|l| l.choices.as_slice()).unwrap_or(&[]);
    let code = |n: usize| {
        choices
            .get(n.wrapping_sub(1))
            .map(|c| c.name.clone())
            .unwrap_or_else(|| n.to_string())
    };
    let mut parts: Vec<String> = Vec::new();
    for &n in &b.marks {
        let c = code(n);
        if !parts.contains(&c) {
            parts.push(c);
        }
    }
    if !answer.is_empty() {
        let tokens: Vec<&str> = answer
            .split([',', ';', ' ', '/', '+'])
            .map(|t| t.trim_end_matches(['.', ')']))
            .filter(|t| !t.is_empty() && !matches!(t.to_lowercase().as_str(), "i" | "oraz" | "and"))
            .collect();
        if !tokens.is_empty() && tokens.iter().all(|t| t.parse::<usize>().is_ok()) {
            for t in tokens {
                let c = code(t.parse().unwrap_or(0));
                if !parts.contains(&c) {
                    parts.push(c);
                }
            }
        } else if !parts.contains(&answer) {
            // a label or code written out: `ingest::map` matches it (or says what is expected)
            parts.push(answer);
        }
    }
    match q.kind {
        Kind::SelectMultiple => parts.join(";"),
        _ => parts.join(" "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::tests::form;

    fn ctx() -> Context {
        Context {
            lang: "pl".into(),
            gmina: "Testowo".into(),
            return_email: "a@b.pl".into(),
            ..Context::default()
        }
    }

    #[test]
    fn renders_blocks() {
        let f = form();
        let t = render(&f, &ctx());
        assert!(t.contains("[dzieci] 1. Dzieci w gospodarstwie (jedna odpowiedź)\n[ ] 1. Tak\n[ ] 2. Nie\nOdpowiedź:\n"), "{t}");
        assert!(t.contains("[ile] 2. Ile dzieci (liczba całkowita od 1 do 15)\n→ Jeśli w pytaniu 1 zaznaczono „Tak”"), "{t}");
        assert!(t.contains(END_PL));
        assert!(t.contains("a@b.pl"));
        // The blank form has no answers.
        let p = parse(&t, &f);
        assert_eq!(p.blocks, 5);
        assert_eq!(p.answered(), 0);
    }

    #[test]
    fn reads_marks_numbers_quotes_and_text() {
        let f = form();
        let blank = render(&f, &ctx());
        let filled = blank
            .replace("[ ] 1. Tak", "[X] 1. Tak")
            .replacen("Odpowiedź:\n\n[uslugi]", "Odpowiedź: 3\n\n[uslugi]", 1)
            .replace("[ ] 1. Usługi opiekuńcze\n[ ] 2. Klub seniora\n[ ] 3. Brak\nOdpowiedź:\n\n[inne]", "[✓] 1. Usługi opiekuńcze\n[ ] 2. Klub seniora\n[ ] 3. Brak\nOdpowiedź: 2\n\n[inne]");
        let filled = filled.replace(
            "[uwagi] 5. Uwagi\nOdpowiedź:",
            "[uwagi] 5. Uwagi\nOdpowiedź: Więcej\nzajęć dla dzieci\n\nPozdrawiam",
        );
        // as a reply: every line quoted
        let quoted: String = filled.lines().map(|l| format!("> {l}\n")).collect();
        let text = format!("Dzień dobry, odsyłam.\n\n{quoted}");
        let p = parse(&text, &f);
        assert_eq!(p.values["dzieci"], "tak");
        assert_eq!(p.values["ile"], "3");
        assert_eq!(p.values["uslugi"], "opieka;klub");
        assert_eq!(p.values["inne"], "");
        assert_eq!(p.values["uwagi"], "Więcej zajęć dla dzieci");
        assert_eq!(p.answered(), 4);
        assert!(p.conflicts.is_empty());
    }

    #[test]
    fn marks_beside_the_brackets() {
        assert_eq!(option_line("[X] 2. Nie"), Some((true, 2)));
        assert_eq!(option_line("[ ] 2. Nie"), Some((false, 2)));
        assert_eq!(option_line("[] 2. Nie"), Some((false, 2)));
        assert_eq!(option_line("X[ ] 1. Tak"), Some((true, 1)));
        assert_eq!(option_line("x [ ] 1. Tak"), Some((true, 1)));
        assert_eq!(option_line("[ ]X 1. Tak"), Some((true, 1)));
        assert_eq!(option_line("[ ] ✓ 3) Tak"), Some((true, 3)));
        assert_eq!(option_line("Uwaga [ ] 1. Tak"), None);
        assert_eq!(option_line("[plec] 1. Płeć"), None);
        assert_eq!(option_line("[ ] Tak"), None);
    }

    #[test]
    fn numbers_after_answer_and_two_copies() {
        let f = form();
        let text = "[dzieci] 1. x\nOdpowiedz: 1, 2\n[uslugi]\nAnswer: 1 i 3\n> [dzieci]\n> [ ] 1. Tak\n> [x] 2. Nie\n[ile]\nOdp.: trzy\n";
        let p = parse(text, &f);
        assert_eq!(p.values["dzieci"], "tak nie");
        assert_eq!(p.values["uslugi"], "opieka;brak");
        assert_eq!(p.values["ile"], "trzy");
        assert_eq!(
            p.conflicts,
            vec![(
                "dzieci".to_string(),
                "tak nie".to_string(),
                "nie".to_string()
            )]
        );
        // an option number out of range stays visible
        let p = parse("[dzieci]\nOdpowiedź: 7\n", &f);
        assert_eq!(p.values["dzieci"], "7");
        // a label written out
        let p = parse("[dzieci]\nOdpowiedź: Nie\n", &f);
        assert_eq!(p.values["dzieci"], "Nie");
    }
}
