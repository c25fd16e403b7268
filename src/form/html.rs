//! The printable paper questionnaire: one self-contained HTML page with print CSS for A4 (tick
//! boxes, numbered questions, skip instructions in words, answer hints, rating questions as a
//! grid, a questionnaire-number box, the anonymity statement and where to return it). All text
//! is escaped. It does not write files and needs no network (no external fonts or images).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Context, answer_hint, intro_notes, numbering, return_sentence, skip_instruction};
use crate::template::{Kind, Question, Questionnaire};

/// Escape text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

const CSS: &str = r#"
@page { size: A4; margin: 14mm 15mm 16mm 15mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8pt; } }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt; color: #000; }
body { margin: 0 auto; max-width: 180mm; line-height: 1.3; }
header.top { display: flex; justify-content: space-between; align-items: flex-start; gap: 8mm; border-bottom: 1.5pt solid #000; padding-bottom: 2mm; }
header.top .inst { font-size: 9.5pt; }
.nr { border: 1pt solid #000; padding: 1.5mm 2mm; text-align: center; font-size: 8.5pt; white-space: nowrap; }
.nr .digits { display: flex; gap: 0; margin-top: 1mm; justify-content: center; }
.nr .digits span { display: inline-block; width: 6mm; height: 7mm; border: 0.8pt solid #000; margin-left: -0.8pt; }
.nr small { display: block; margin-top: 0.8mm; }
h1 { font-size: 14pt; margin: 4mm 0 2mm; }
h2 { font-size: 11.5pt; margin: 5mm 0 2mm; padding: 1mm 2mm; background: #e6e6e6; border-left: 3pt solid #000; break-after: avoid; }
.intro { border: 0.8pt solid #000; padding: 2mm 3mm; margin: 2mm 0; font-size: 9.5pt; }
.how { font-size: 9.5pt; margin: 2mm 0; }
.note { font-style: italic; margin: 2mm 0; break-after: avoid; }
.q { margin: 0 0 3.5mm; break-inside: avoid; page-break-inside: avoid; }
.qt { font-weight: bold; margin: 0 0 1mm; display: flex; }
.qt .n { flex: none; width: 8mm; }
.skip { font-size: 9pt; margin: 0 0 1mm; padding: 0.8mm 2mm; border: 0.8pt dashed #000; }
.skip::before { content: "\2192  "; font-weight: bold; }
.how-q { font-weight: normal; font-style: italic; font-size: 9pt; }
.hint { font-size: 9pt; font-style: italic; margin: 0 0 1mm 8mm; }
ul.opts { list-style: none; margin: 0 0 0 8mm; padding: 0; }
ul.opts.cols { columns: 2; column-gap: 8mm; }
ul.opts li { margin: 0.6mm 0; break-inside: avoid; display: flex; gap: 2mm; align-items: flex-start; }
.box { display: inline-block; flex: none; width: 3.8mm; height: 3.8mm; border: 0.9pt solid #000; margin-top: 0.4mm; background: #fff; }
.code { font-size: 7.5pt; color: #444; margin-left: 1mm; }
.field { margin: 0.5mm 0 0 7mm; display: flex; align-items: flex-end; gap: 2mm; }
.field .line { display: inline-block; width: 35mm; border-bottom: 0.9pt solid #000; height: 6mm; }
.lines { margin: 1mm 0 0 7mm; }
.lines div { border-bottom: 0.7pt solid #000; height: 7mm; }
table.grid { width: 100%; border-collapse: collapse; margin: 1mm 0 3mm; font-size: 9pt; break-inside: auto; }
table.grid th, table.grid td { border: 0.6pt solid #000; padding: 1mm 1.2mm; vertical-align: middle; }
table.grid thead th { font-weight: normal; font-size: 8pt; text-align: center; background: #f0f0f0; }
table.grid thead { display: table-header-group; }
table.grid tr { break-inside: avoid; page-break-inside: avoid; }
table.grid td.c { text-align: center; width: 11mm; }
table.grid td.c .box { margin: 0; }
table.grid td.l .n { font-weight: bold; margin-right: 1mm; }
.return { margin-top: 6mm; border-top: 1.5pt solid #000; padding-top: 2mm; break-inside: avoid; }
@media screen { body { padding: 10mm; } }
"#;

/// A run of rating questions shown as one grid: same list, same group, no skip logic.
fn grid_run<'a>(form: &'a Questionnaire, qs: &[&'a Question], start: usize) -> usize {
    let q = qs[start];
    let fits = |x: &Question| {
        x.kind == Kind::SelectOne
            && x.list == q.list
            && x.group == q.group
            && form.conditions(x).is_empty()
            && x.constraint.is_none()
    };
    if !fits(q) {
        return 1;
    }
    let mut end = start + 1;
    while end < qs.len() && fits(qs[end]) {
        end += 1;
    }
    let n = end - start;
    if n >= 3
        && form
            .list_of(q)
            .is_some_and(|l| (2..=7).contains(&l.choices.len()))
    {
        n
    } else {
        1
    }
}

/// Render the paper questionnaire.
pub fn render(form: &Questionnaire, ctx: &Context) -> String {
    let numbers = numbering(form);
    let lang = ctx.lang.as_str();
    let mut h = String::new();
    let title = form.text(&form.title, lang);
    let title = if title.is_empty() {
        form.id.as_str()
    } else {
        title
    };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{CSS}@page {{ @top-right {{ content: \"{}\"; font-size: 8pt; font-family: \"DejaVu Sans\", Arial, sans-serif; }} }}</style>\n</head>\n<body>\n",
        esc(lang),
        esc(title),
        // On every page, so that pages that come apart can be put back together.
        ctx.t("Nr ankiety: ________", "Questionnaire no.: ________")
    );
    // Header: institution and the questionnaire-number box.
    h.push_str("<header class=\"top\"><div class=\"inst\">");
    if !ctx.institution.trim().is_empty() {
        let _ = write!(h, "<strong>{}</strong><br>", esc(ctx.institution.trim()));
    }
    if !ctx.gmina.trim().is_empty() {
        let _ = write!(
            h,
            "{} {}",
            ctx.t("Gmina", "Municipality:"),
            esc(ctx.gmina.trim())
        );
    }
    let _ = writeln!(
        h,
        "</div><div class=\"nr\">{}<div class=\"digits\"><span></span><span></span><span></span><span></span></div><small>{}</small></div></header>",
        ctx.t("Nr ankiety", "Questionnaire no."),
        ctx.t("(wypełnia urząd)", "(office use)")
    );
    let _ = writeln!(h, "<h1>{}</h1>", esc(title));
    // The introduction (anonymity statement).
    let intro: Vec<&Question> = intro_notes(form).collect();
    for n in &intro {
        let _ = writeln!(
            h,
            "<div class=\"intro\">{}</div>",
            esc(form.text(&n.label, lang))
        );
    }
    let _ = writeln!(
        h,
        "<p class=\"how\">{}</p>",
        ctx.t(
            "Jak wypełnić: przy wybranej odpowiedzi proszę postawić znak X w kratce. Strzałka → przy pytaniu mówi, kiedy na nie odpowiadać. Liczby proszę wpisywać cyframi.",
            "How to fill in: put an X in the box next to your answer. An arrow → before a question says when to answer it. Please write numbers in digits."
        )
    );
    // Questions and notes in order, with group headings.
    let items: Vec<&Question> = form.questions.iter().skip(intro.len()).collect();
    let mut group: Option<&str> = None;
    let mut i = 0;
    while i < items.len() {
        let q = items[i];
        if q.group.as_deref() != group {
            group = q.group.as_deref();
            if let Some(g) = group.and_then(|g| form.group(g)) {
                let label = form.text(&g.label, lang);
                if !label.is_empty() {
                    let _ = writeln!(h, "<h2>{}</h2>", esc(label));
                }
            }
        }
        if q.kind == Kind::Note {
            let _ = writeln!(
                h,
                "<p class=\"note\">{}</p>",
                esc(form.text(&q.label, lang))
            );
            i += 1;
            continue;
        }
        let run = grid_run(form, &items, i);
        if run > 1 {
            grid(&mut h, form, &items[i..i + run], &numbers, lang);
            i += run;
            continue;
        }
        question(&mut h, form, q, ctx, &numbers);
        i += 1;
    }
    // Thanks and where to return it.
    let _ = write!(
        h,
        "<section class=\"return\"><p><strong>{}</strong></p>",
        ctx.t(
            "Dziękujemy za wypełnienie ankiety.",
            "Thank you for completing the questionnaire."
        )
    );
    // Keep postcodes such as 11-510 on one line (non-breaking hyphen).
    let r = return_sentence(&Context {
        return_address: ctx.return_address.replace('-', "\u{2011}"),
        ..ctx.clone()
    });
    if !r.is_empty() {
        let _ = write!(h, "<p>{}</p>", esc(&r));
    }
    h.push_str("</section>\n</body>\n</html>\n");
    h
}

fn question(
    h: &mut String,
    form: &Questionnaire,
    q: &Question,
    ctx: &Context,
    numbers: &BTreeMap<String, usize>,
) {
    let lang = ctx.lang.as_str();
    let n = numbers.get(&q.name).copied().unwrap_or(0);
    let _ = write!(h, "<div class=\"q\" id=\"q-{}\">", esc(&q.name));
    if let Some(s) = skip_instruction(form, q, ctx, numbers) {
        let _ = write!(h, "<p class=\"skip\">{}</p>", esc(&s));
    }
    let how = answer_hint(form, q, ctx);
    let _ = write!(
        h,
        "<p class=\"qt\"><span class=\"n\">{n}.</span><span>{}",
        esc(form.text(&q.label, lang))
    );
    if !how.is_empty() {
        let _ = write!(h, " <span class=\"how-q\">({})</span>", esc(&how));
    }
    h.push_str("</span></p>");
    let hint = form.text(&q.hint, lang);
    if !hint.is_empty() {
        let _ = write!(h, "<p class=\"hint\">{}</p>", esc(hint));
    }
    match q.kind {
        Kind::SelectOne | Kind::SelectMultiple => {
            let choices = form.list_of(q).map(|l| l.choices.as_slice()).unwrap_or(&[]);
            let labels: Vec<&str> = choices.iter().map(|c| form.text(&c.label, lang)).collect();
            let short = labels.iter().all(|l| l.chars().count() <= 38);
            let cols = if choices.len() > 5 && short {
                " cols"
            } else {
                ""
            };
            let _ = write!(h, "<ul class=\"opts{cols}\">");
            for l in labels {
                let _ = write!(
                    h,
                    "<li><span class=\"box\"></span><span>{}</span></li>",
                    esc(l)
                );
            }
            h.push_str("</ul>");
        }
        Kind::Integer | Kind::Decimal => {
            let _ = write!(h, "<div class=\"field\"><span class=\"line\"></span></div>");
        }
        Kind::Date => {
            let _ = write!(h, "<div class=\"field\">__ __ . __ __ . __ __ __ __</div>");
        }
        Kind::Text => {
            h.push_str("<div class=\"lines\"><div></div><div></div><div></div><div></div></div>");
        }
        Kind::Note => {}
    }
    h.push_str("</div>\n");
}

fn grid(
    h: &mut String,
    form: &Questionnaire,
    qs: &[&Question],
    numbers: &BTreeMap<String, usize>,
    lang: &str,
) {
    let choices = form
        .list_of(qs[0])
        .map(|l| l.choices.as_slice())
        .unwrap_or(&[]);
    h.push_str("<table class=\"grid\"><thead><tr><th></th>");
    for c in choices {
        let _ = write!(h, "<th>{}</th>", esc(form.text(&c.label, lang)));
    }
    h.push_str("</tr></thead><tbody>");
    for q in qs {
        let n = numbers.get(&q.name).copied().unwrap_or(0);
        let _ = write!(
            h,
            "<tr id=\"q-{}\"><td class=\"l\"><span class=\"n\">{n}.</span>{}</td>",
            esc(&q.name),
            esc(form.text(&q.label, lang))
        );
        for _ in choices {
            h.push_str("<td class=\"c\"><span class=\"box\"></span></td>");
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::tests::form;

    #[test]
    fn paper_form_has_the_parts_and_escapes() {
        let f = form();
        let ctx = Context {
            lang: "pl".into(),
            gmina: "Testowo".into(),
            institution: "GOPS <Testowo>".into(),
            return_address: "ul. Główna 1, 11-500 Testowo".into(),
            return_email: "diagnoza@testowo.pl".into(),
        };
        let h = render(&f, &ctx);
        assert!(h.contains("GOPS &lt;Testowo&gt;"));
        assert!(h.contains("Inne &lt;usługi&gt; &amp; &quot;rzeczy&quot;"));
        assert!(!h.contains("<usługi>"));
        assert!(h.contains("Ankieta jest anonimowa."));
        assert!(h.contains("Nr ankiety"));
        // page numbers and the number line on every page
        assert!(h.contains("counter(page) \" / \" counter(pages)"));
        assert!(h.contains("@top-right { content: \"Nr ankiety: ________\""));
        assert!(
            h.contains("Jeśli w pytaniu 1 zaznaczono „Tak”, proszę odpowiedzieć na to pytanie.")
        );
        assert!(h.contains("(najwyżej 2 odpowiedzi)"));
        assert!(h.contains("(liczba całkowita od 1 do 15)"));
        assert!(h.contains("ul. Główna 1, 11\u{2011}500 Testowo"));
        assert!(h.contains("diagnoza@testowo.pl"));
        assert_eq!(h.matches("class=\"q\"").count(), 5);
        let en = render(
            &f,
            &Context {
                lang: "en".into(),
                ..ctx
            },
        );
        assert!(en.contains("If you ticked “Yes” in question 1"));
        assert!(en.contains("The questionnaire is anonymous."));
    }
}
