//! The four-stage diagnosis report. Builds a view model from [`Results`], the questionnaire and
//! the workspace plan (numbers formatted for the language, suppressed cells already absent) and
//! renders it with tera templates embedded in the binary. Returns strings; writing is `output`'s
//! job. Sees only aggregates: never a respondent's answers.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::analysis::{Index, QuestionStat, Results};
use crate::chart::{self, Bar};
use crate::response::Channel;
use crate::template::{Area, Kind, Questionnaire, Role};
use crate::workspace::Config;

const HTML_TEMPLATE: &str = include_str!("templates/report.html");

/// UI strings of the report in Polish and English.
fn strings(lang: &str) -> BTreeMap<&'static str, &'static str> {
    let pl = lang == "pl";
    let pairs: &[(&str, &str, &str)] = &[
        ("title", "Diagnoza potrzeb i potencjału wspólnoty samorządowej w zakresie usług społecznych", "Diagnosis of the needs and potential of the local community regarding social services"),
        ("gmina", "Gmina", "Municipality (gmina)"),
        ("contents", "Spis treści", "Contents"),
        ("summary", "Najważniejsze wnioski", "Key findings"),
        ("stage1", "Etap I. Planowanie diagnozy i ocena wykonalności", "Stage I. Planning and feasibility"),
        ("stage2", "Etap II. Problemy badawcze, metody i techniki, harmonogram", "Stage II. Research problems, methods and techniques, schedule"),
        ("stage3", "Etap III. Dane, badanie i analiza", "Stage III. Data, fieldwork and analysis"),
        ("stage4", "Etap IV. Wnioski i rekomendacje", "Stage IV. Conclusions and recommendations"),
        ("legal", "Podstawa prawna: ustawa z dnia 19 lipca 2019 r. o realizowaniu usług społecznych przez centrum usług społecznych (Dz.U. 2019 poz. 1818).", "Legal basis: the Act of 19 July 2019 on the provision of social services by a social services centre (Dz.U. 2019 item 1818)."),
        ("purpose", "Cel diagnozy", "Purpose of the diagnosis"),
        ("scope", "Zakres", "Scope"),
        ("team", "Zespół", "Team"),
        ("resources", "Zasoby", "Resources"),
        ("constraints", "Ograniczenia", "Constraints"),
        ("role", "Rola", "Role"),
        ("name", "Imię i nazwisko", "Name"),
        ("institution", "Instytucja", "Institution"),
        ("questions", "Problemy badawcze", "Research questions"),
        ("methods", "Metody i techniki badawcze", "Methods and techniques"),
        ("sample", "Zrealizowana próba", "Sample achieved"),
        ("channel", "Sposób zebrania ankiet", "Collection channel"),
        ("respondents", "Liczba ankiet", "Questionnaires"),
        ("total", "Razem", "Total"),
        ("response_rate", "Odsetek dorosłych mieszkańców, którzy wypełnili ankietę", "Share of adult residents who answered"),
        ("schedule", "Harmonogram", "Schedule"),
        ("stage", "Etap", "Stage"),
        ("task", "Zadanie", "Task"),
        ("from", "Od", "From"),
        ("to", "Do", "To"),
        ("who", "Odpowiedzialni", "Responsible"),
        ("group", "Grupa", "Group"),
        ("method_note", "Wyniki przedstawiono wyłącznie w postaci zbiorczych zestawień statystycznych. Odsetki liczono od podanej podstawy (n): przy pytaniach jednokrotnego wyboru — od osób, którym zadano pytanie (z pominięciem osób, które zgodnie z logiką ankiety je pominęły), przy pytaniach wielokrotnego wyboru — od osób, które udzieliły odpowiedzi (odsetki nie sumują się do 100%). Przedziały ufności 95% wyznaczono metodą Wilsona. Komórek liczących mniej niż {k} osób nie pokazano, aby chronić anonimowość respondentów.", "Results are shown only as aggregate statistics. Percentages use the stated base (n): for single-choice questions, the respondents who were asked (those routed past the question by skip logic excluded); for multiple-choice questions, those who answered (percentages do not sum to 100%). 95% confidence intervals are Wilson score intervals. Cells of fewer than {k} respondents are not shown, to protect respondents' anonymity."),
        ("option", "Odpowiedź", "Answer"),
        ("ci", "95% przedział ufności", "95% CI"),
        ("base", "Podstawa", "Base"),
        ("base_asked", "osoby, którym zadano pytanie", "respondents asked"),
        ("base_answered", "osoby, które odpowiedziały", "respondents who answered"),
        ("mean", "Średnia ocena (1–5)", "Mean rating (1–5)"),
        ("unscored", "trudno powiedzieć / nie korzystam", "hard to say / not used"),
        ("numeric", "Średnia; mediana; kwartyle", "Mean; median; quartiles"),
        ("suppressed", "ukryto (mniej niż {k} osób)", "hidden (fewer than {k} respondents)"),
        ("needs_by_group", "Potrzeby według grup mieszkańców", "Needs by group of residents"),
        ("need_index_note", "Odsetek respondentów, którzy wskazali co najmniej jedną usługę z danego obszaru jako potrzebną (w gminie lub w swoim gospodarstwie domowym).", "Share of respondents who named at least one service of the area as needed (in the gmina or in their household)."),
        ("area", "Obszar usług społecznych", "Area of social services"),
        ("needs_ranked", "Potrzeby mieszkańców — ranking obszarów", "Residents' needs — areas ranked"),
        ("need", "Potrzeba", "Need"),
        ("availability", "Ocena dostępności", "Availability rating"),
        ("unmet", "Potrzeby niezaspokojone (wysoka potrzeba, niska dostępność)", "Unmet needs (high need, low availability)"),
        ("needs_per_group", "Najczęściej wskazywane obszary w grupach", "Areas named most often, by group"),
        ("top_areas", "Trzy najczęściej wskazywane obszary", "Three areas named most often"),
        ("no_data", "brak danych", "no data"),
        ("results_area", "Wyniki badania ankietowego", "Survey results"),
        ("annex_q", "Aneks: kwestionariusz", "Annex: the questionnaire"),
        ("section_metric", "Charakterystyka respondentów", "Respondents' profile"),
        ("section_availability", "Dostępność usług", "Availability of services"),
        ("section_quality", "Jakość usług", "Quality of services"),
        ("section_need", "Potrzebne usługi", "Services needed"),
        ("section_barrier", "Bariery w korzystaniu z usług", "Barriers to using services"),
        ("section_potential", "Potencjał społeczności lokalnej", "Local community potential"),
        ("section_channel", "Źródła informacji", "Information channels"),
        ("section_other", "Pozostałe pytania", "Other questions"),
        ("unknown_group", "bez odpowiedzi na pytanie grupujące", "no answer to the grouping question"),
        ("groups_hidden", "Grupy liczące mniej niż {k} osób pominięto.", "Groups of fewer than {k} respondents are left out."),
        ("priority", "Priorytet", "Priority"),
        ("high", "wysoki", "high"),
        ("medium", "średni", "medium"),
        ("generated", "Raport przygotowano programem diagnoza na podstawie danych z ankiet i planu diagnozy.", "Report prepared with diagnoza from the survey data and the diagnosis plan."),
    ];
    pairs.iter().map(|(k, p, e)| (*k, if pl { *p } else { *e })).collect()
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

fn ci_text(ci: Option<(f64, f64)>, lang: &str) -> String {
    match ci {
        Some((l, h)) => format!("{}–{}", pct(l, lang), pct(h, lang)),
        None => String::new(),
    }
}

#[derive(Debug, Serialize)]
struct Row {
    label: String,
    n: String,
    pct: String,
    ci: String,
    muted: bool,
}

#[derive(Debug, Serialize)]
struct QuestionView {
    name: String,
    label: String,
    base: String,
    rows: Vec<Row>,
    extra: Vec<String>,
    chart: String,
    suppressed: bool,
}

#[derive(Debug, Serialize)]
struct Section {
    title: String,
    questions: Vec<QuestionView>,
}

#[derive(Debug, Serialize)]
struct GroupTable {
    var: String,
    label: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    note: String,
    chart: String,
}

#[derive(Debug, Serialize)]
struct RankedNeed {
    area: String,
    pct: String,
    ci: String,
    n: String,
    availability: String,
    priority: String,
}

fn question_view(form: &Questionnaire, st: &QuestionStat, k: u32, lang: &str, t: &BTreeMap<&str, &str>) -> QuestionView {
    let q = form.question(&st.question).expect("analysed question");
    let label = form.text(&q.label, lang).to_string();
    let hidden = t["suppressed"].replace("{k}", &k.to_string());
    let base = format!(
        "n = {} ({})",
        st.base,
        if st.base_kind == crate::analysis::BaseKind::Asked { t["base_asked"] } else { t["base_answered"] }
    );
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for o in &st.options {
        if o.suppressed || st.suppressed {
            rows.push(Row { label: o.label.clone(), n: "—".into(), pct: hidden.clone(), ci: String::new(), muted: true });
            continue;
        }
        let muted = o.code == "_not_answered";
        rows.push(Row {
            label: o.label.clone(),
            n: o.n.to_string(),
            pct: pct(o.pct, lang),
            ci: ci_text(o.ci, lang),
            muted,
        });
        if !muted {
            bars.push(Bar { label: o.label.clone(), value: o.pct, ci: o.ci, note: format!("{} (n={})", pct(o.pct, lang), o.n) });
        }
    }
    if q.kind == Kind::SelectMultiple {
        let order: Vec<usize> = {
            let mut idx: Vec<usize> = (0..bars.len()).collect();
            idx.sort_by(|&a, &b| bars[b].value.total_cmp(&bars[a].value));
            idx
        };
        bars = order.into_iter().map(|i| bars[i].clone()).collect();
    }
    let mut extra = Vec::new();
    if let Some(s) = &st.scale {
        extra.push(format!(
            "{}: {} (n = {}); {}: {}",
            t["mean"],
            format!("{:.2}", s.mean).replace('.', if lang == "pl" { "," } else { "." }),
            s.n_scored,
            t["unscored"],
            s.n_unscored
        ));
    }
    if let Some(nu) = &st.numeric {
        extra.push(format!(
            "{}: {}; {}; {}–{} (n = {})",
            t["numeric"],
            num(nu.mean, lang),
            num(nu.median, lang),
            num(nu.q1, lang),
            num(nu.q3, lang),
            nu.n
        ));
    }
    let chart = if st.suppressed || bars.is_empty() { String::new() } else { chart::hbar_svg(&label, &bars) };
    QuestionView { name: q.name.clone(), label, base, rows, extra, chart, suppressed: st.suppressed }
}

fn index_cell(i: &Index, lang: &str, hidden: &str) -> String {
    if i.suppressed { hidden.to_string() } else { format!("{} (n = {})", pct(i.pct, lang), i.base) }
}

/// Render the HTML report.
pub fn html(form: &Questionnaire, results: &Results, config: &Config, lang: &str) -> Result<String> {
    let t = strings(lang);
    let k = results.threshold;
    let hidden_short = "—".to_string();
    // Stage III: sections by role
    let sections_order: [(Option<Role>, &str); 8] = [
        (Some(Role::Metric), "section_metric"),
        (Some(Role::Availability), "section_availability"),
        (Some(Role::Quality), "section_quality"),
        (Some(Role::Need), "section_need"),
        (Some(Role::Barrier), "section_barrier"),
        (Some(Role::Potential), "section_potential"),
        (Some(Role::Channel), "section_channel"),
        (None, "section_other"),
    ];
    let mut sections = Vec::new();
    for (role, key) in sections_order {
        let questions: Vec<QuestionView> = results
            .overall
            .iter()
            .filter(|st| {
                let q = form.question(&st.question).expect("analysed");
                match role {
                    Some(r) => q.role == Some(r),
                    None => q.role.is_none() || q.role == Some(Role::Open),
                }
            })
            .map(|st| question_view(form, st, k, lang, &t))
            .collect();
        if !questions.is_empty() {
            sections.push(Section { title: t[key].to_string(), questions });
        }
    }
    // Needs by group
    let areas: Vec<Area> = results.needs.keys().copied().collect();
    let mut group_tables = Vec::new();
    for b in &results.breakdowns {
        let shown: Vec<usize> = (0..b.groups.len()).filter(|&i| !b.groups[i].suppressed).collect();
        let mut headers = vec![t["area"].to_string()];
        headers.extend(shown.iter().map(|&i| format!("{} (n = {})", b.groups[i].label, b.groups[i].n)));
        let mut rows = Vec::new();
        for a in &areas {
            let mut row = vec![a.name(lang).to_string()];
            for &i in &shown {
                row.push(index_cell(&b.needs[a][i], lang, &hidden_short));
            }
            rows.push(row);
        }
        let hidden_groups: Vec<String> = b.groups.iter().filter(|g| g.suppressed).map(|g| g.label.clone()).collect();
        let note = if hidden_groups.is_empty() {
            String::new()
        } else {
            format!("{} ({})", t["groups_hidden"].replace("{k}", &k.to_string()), hidden_groups.join(", "))
        };
        // chart: for each shown group, its top need area
        let mut bars = Vec::new();
        for &i in &shown {
            if let Some((a, idx)) = areas
                .iter()
                .map(|a| (a, &b.needs[a][i]))
                .filter(|(_, x)| !x.suppressed)
                .max_by(|x, y| x.1.pct.total_cmp(&y.1.pct))
            {
                bars.push(Bar {
                    label: format!("{} — {}", b.groups[i].label, a.name(lang)),
                    value: idx.pct,
                    ci: idx.ci,
                    note: format!("{} (n={})", pct(idx.pct, lang), idx.base),
                });
            }
        }
        let chart = if bars.is_empty() { String::new() } else { chart::hbar_svg(&format!("{} — {}", b.label, t["top_areas"].split_whitespace().last().unwrap_or("")), &bars) };
        group_tables.push(GroupTable { var: b.var.clone(), label: b.label.clone(), headers, rows, note, chart });
    }
    // Stage IV: ranked needs
    let mut ranked: Vec<(Area, &Index)> = results.needs.iter().map(|(a, i)| (*a, i)).filter(|(_, i)| !i.suppressed).collect();
    ranked.sort_by(|a, b| b.1.pct.total_cmp(&a.1.pct).then(a.0.cmp(&b.0)));
    let median_need = {
        let mut v: Vec<f64> = ranked.iter().map(|r| r.1.pct).collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    let ranked_view: Vec<RankedNeed> = ranked
        .iter()
        .map(|(a, i)| {
            let av = results.availability.get(a);
            let priority = match av {
                Some(s) if i.pct >= median_need && s.mean01 < 0.5 => t["high"],
                Some(s) if i.pct >= median_need || s.mean01 < 0.5 => t["medium"],
                _ => "",
            };
            RankedNeed {
                area: a.name(lang).to_string(),
                pct: pct(i.pct, lang),
                ci: ci_text(i.ci, lang),
                n: format!("{} / {}", i.n, i.base),
                availability: av.map(|s| format!("{} ({})", num(s.mean, lang), pct(s.mean01, lang))).unwrap_or_default(),
                priority: priority.to_string(),
            }
        })
        .collect();
    let ranked_chart = chart::hbar_svg(
        t["needs_ranked"],
        &ranked
            .iter()
            .map(|(a, i)| Bar { label: a.name(lang).to_string(), value: i.pct, ci: i.ci, note: format!("{} (n={})", pct(i.pct, lang), i.base) })
            .collect::<Vec<_>>(),
    );
    // Top three areas per group
    let mut per_group: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for b in &results.breakdowns {
        for (i, g) in b.groups.iter().enumerate() {
            if g.suppressed {
                continue;
            }
            let mut v: Vec<(Area, &Index)> = areas.iter().map(|a| (*a, &b.needs[a][i])).filter(|(_, x)| !x.suppressed).collect();
            v.sort_by(|x, y| y.1.pct.total_cmp(&x.1.pct).then(x.0.cmp(&y.0)));
            let top = v.iter().take(3).map(|(a, x)| (a.name(lang).to_string(), pct(x.pct, lang))).collect();
            per_group.push((format!("{}: {} (n = {})", b.label, g.label, g.n), top));
        }
    }
    let summary: Vec<String> = {
        let mut s = Vec::new();
        s.push(match lang {
            "pl" => format!("W badaniu ankietowym wzięło udział {} dorosłych mieszkańców gminy {}.", results.total, config.diagnosis.gmina),
            _ => format!("{} adult residents of the gmina of {} took part in the survey.", results.total, config.diagnosis.gmina),
        });
        for (a, i) in ranked.iter().take(3) {
            s.push(match lang {
                "pl" => format!("{}: potrzebę usług z tego obszaru zgłosiło {} respondentów (95% PU: {}).", a.name(lang), pct(i.pct, lang), ci_text(i.ci, lang)),
                _ => format!("{}: {} of respondents named a need for services of this area (95% CI: {}).", a.name(lang), pct(i.pct, lang), ci_text(i.ci, lang)),
            });
        }
        s
    };
    let channels: Vec<(String, u64)> = results
        .per_channel
        .iter()
        .map(|(c, n)| (Channel::parse(c).map(|c| c.name(lang).to_string()).unwrap_or_else(|| c.clone()), *n))
        .collect();
    let response_rate = config
        .population
        .as_ref()
        .filter(|p| p.adults > 0)
        .map(|p| format!("{} ({} / {}{})", pct(results.total as f64 / p.adults as f64, lang), results.total, p.adults, if p.source.is_empty() { String::new() } else { format!("; {} {}", p.source, p.year) }));
    let group_sizes: Vec<(String, Vec<(String, String)>)> = results
        .breakdowns
        .iter()
        .map(|b| {
            let mut v: Vec<(String, String)> = b
                .groups
                .iter()
                .map(|g| (g.label.clone(), if g.suppressed && g.n > 0 { format!("< {k}") } else { g.n.to_string() }))
                .collect();
            if b.unknown > 0 {
                v.push((t["unknown_group"].to_string(), if b.unknown < u64::from(k) { format!("< {k}") } else { b.unknown.to_string() }));
            }
            (b.label.clone(), v)
        })
        .collect();
    let annex: Vec<(String, String, Vec<String>)> = form
        .questions
        .iter()
        .filter(|q| q.kind != Kind::Note)
        .map(|q| {
            let choices = form.list_of(q).map(|l| l.choices.iter().map(|c| form.text(&c.label, lang).to_string()).collect()).unwrap_or_default();
            (q.name.clone(), form.text(&q.label, lang).to_string(), choices)
        })
        .collect();

    let mut ctx = tera::Context::new();
    ctx.insert("t", &t);
    ctx.insert("lang", lang);
    ctx.insert("config", config);
    ctx.insert("form_title", form.text(&form.title, lang));
    ctx.insert("total", &results.total);
    ctx.insert("channels", &channels);
    ctx.insert("response_rate", &response_rate);
    ctx.insert("group_sizes", &group_sizes);
    ctx.insert("method_note", &t["method_note"].replace("{k}", &k.to_string()));
    ctx.insert("sections", &sections);
    ctx.insert("group_tables", &group_tables);
    ctx.insert("ranked", &ranked_view);
    ctx.insert("ranked_chart", &ranked_chart);
    ctx.insert("per_group", &per_group);
    ctx.insert("summary", &summary);
    ctx.insert("annex", &annex);
    let mut tera = tera::Tera::new();
    tera.add_raw_template("report.html", HTML_TEMPLATE).context("the HTML report template")?;
    tera.render("report.html", &ctx).context("rendering the HTML report")
}

#[cfg(test)]
mod tests {
    #[test]
    fn polish_number_format() {
        assert_eq!(super::pct(0.4523, "pl"), "45,2%");
        assert_eq!(super::pct(0.4523, "en"), "45.2%");
        assert_eq!(super::num(3.26, "pl"), "3,3");
    }
}
