//! The catalogue and rules skeleton for a questionnaire of the workspace's own (e.g. imported
//! from a Kobo XLSForm), so that it gets a programme: the need question (its choices become the
//! services), target groups from the grouping variables, one package per statutory area, and the
//! potential questions; a service with a bundled code copies the bundled catalogue's entry, and
//! what cannot be known is marked for the team. Pure: returns TOML text; `cmd::catalogue` checks
//! it as the programme does and writes it. It does not edit the questionnaire.

use std::fmt::Write as _;

use anyhow::{Context, Result, bail};

use crate::programme::{self, Catalogue, Rules};
use crate::template::{Area, Kind, Labels, Question, Questionnaire, Role, pick};

/// Choices that name no service or group ("none", "other", "hard to say").
fn none_like(code: &str) -> bool {
    matches!(
        code,
        "brak" | "none" | "nie" | "inne" | "other" | "trudno" | "nie_wiem" | "dont_know" | "nic"
    )
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn labels_toml(pl: &str, en: &str) -> String {
    format!("{{ pl = {}, en = {} }}", toml_str(pl), toml_str(en))
}

/// A code made of ASCII lower-case letters, digits and `_`.
fn code_of(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// The statutory area a service's code and label suggest (Polish and English stems), first match.
pub fn guess_area(code: &str, label: &str) -> Option<Area> {
    let t = format!("{} {}", code, label).to_lowercase();
    const STEMS: &[(&[&str], &str)] = &[
        (
            &[
                "wytchn",
                "respite",
                "asystent osob",
                "niepełnospr",
                "niepelnospr",
                "disab",
                "transport",
                "door",
                "śds",
                "wtz",
            ],
            "niepelnosprawnosc",
        ),
        (&["reintegr", "integracji", "cis ", "kis "], "reintegracja"),
        (
            &[
                "żłob",
                "zlob",
                "nursery",
                "childcare",
                "child care",
                "do lat 3",
            ],
            "polityka_prorodzinna",
        ),
        (
            &["psycholog", "rodzin", "family", "counsel", "asystent rodz"],
            "wspieranie_rodziny",
        ),
        (&["zastępcz", "zastepcz", "foster"], "piecza_zastepcza"),
        (
            &[
                "rehab", "zdrow", "health", "lekarz", "doctor", "uzależ", "uzalez", "addict",
                "profilak", "medic",
            ],
            "zdrowie",
        ),
        (
            &[
                "dzieci", "dziec", "młodzie", "mlodzie", "youth", "szkoł", "szkol", "school",
                "nauk", "tutor", "pozalekc",
            ],
            "edukacja",
        ),
        (
            &["sport", "rekreac", "recreat", "fitness"],
            "kultura_fizyczna",
        ),
        (&["kultur", "cultur", "bibliot", "library"], "kultura"),
        (&["mieszka", "housing", "flat", "lokal"], "mieszkalnictwo"),
        (
            &[
                "pracy", "praca", "job", "employ", "zawod", "bezrob", "career",
            ],
            "bezrobocie",
        ),
        (
            &[
                "środowisk",
                "srodowisk",
                "environment",
                "piec",
                "odpad",
                "waste",
            ],
            "srodowisko",
        ),
        (
            &[
                "klub", "club", "wolontar", "volunt", "civic", "obywatel", "prawn", "legal",
            ],
            "aktywnosc_obywatelska",
        ),
        (
            &[
                "opiek", "care", "posił", "posil", "meal", "senior", "socjal", "social", "kryzys",
                "crisis", "przemoc", "violence",
            ],
            "pomoc_spoleczna",
        ),
    ];
    STEMS
        .iter()
        .find(|(stems, _)| stems.iter().any(|s| t.contains(s)))
        .and_then(|(_, a)| Area::parse(a))
}

/// The need question: `--need`, else ranked by (role = need, no "max N" constraint, choices).
fn need_question<'a>(form: &'a Questionnaire, name: Option<&str>) -> Result<&'a Question> {
    let ok = |q: &Question| {
        q.kind == Kind::SelectMultiple && (q.role.is_none() || q.role == Some(Role::Need))
    };
    if let Some(n) = name {
        return match form.question(n) {
            Some(q) if ok(q) => Ok(q),
            Some(_) => bail!(
                "--need '{n}' is not a multiple-choice need question of '{}'",
                form.id
            ),
            None => bail!("--need '{n}' is not a question of '{}'", form.id),
        };
    }
    let key = |q: &Question| {
        let limited = q
            .constraint
            .as_ref()
            .is_some_and(|c| c.source.contains("count-selected(.) <="));
        let n = form.list_of(q).map_or(0, |l| l.choices.len());
        (q.role == Some(Role::Need), !limited, n)
    };
    let mut best: Option<&Question> = None;
    for q in form.questions.iter().filter(|q| ok(q)) {
        if best.is_none_or(|b| key(q) > key(b)) {
            best = Some(q);
        }
    }
    best.with_context(|| {
        format!(
            "questionnaire '{}' has no multiple-choice question that could name the needed services: \
             a programme needs one (e.g. \"Which services does your household need?\")",
            form.id
        )
    })
}

/// Grouping variables for target groups: the workspace's grouping, else single choices with 2–8
/// unscored choices (not rating or potential questions).
fn grouping_vars<'a>(configured: &[String], form: &'a Questionnaire) -> Result<Vec<&'a Question>> {
    if !configured.is_empty() {
        return Ok(configured.iter().filter_map(|g| form.question(g)).collect());
    }
    let potential: Vec<&str> = potential_questions(form)
        .iter()
        .map(|(q, _)| q.name.as_str())
        .collect();
    Ok(form
        .questions
        .iter()
        .filter(|q| q.kind == Kind::SelectOne)
        .filter(|q| matches!(q.role, None | Some(Role::Metric)))
        .filter(|q| !potential.contains(&q.name.as_str()))
        .filter(|q| {
            form.list_of(q)
                .is_some_and(|l| !l.is_scored() && (2..=8).contains(&l.choices.len()))
        })
        .collect())
}

/// A potential question (readiness to help): role potential, or a label that says so.
fn potential_questions(form: &Questionnaire) -> Vec<(&Question, Vec<String>)> {
    let mut out = Vec::new();
    for q in form.questions.iter().filter(|q| q.kind == Kind::SelectOne) {
        let label = q
            .label
            .values()
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let by_label = [
            "wolontar",
            "volunt",
            "pomagać",
            "pomagac",
            "help your neighb",
            "sąsiad",
        ]
        .iter()
        .any(|s| label.contains(s) || q.name.contains(s));
        if !(q.role == Some(Role::Potential) || (q.role.is_none() && by_label)) {
            continue;
        }
        let Some(l) = form.list_of(q) else { continue };
        let ready: Vec<String> = l
            .choices
            .iter()
            .map(|c| c.name.clone())
            .filter(|c| matches!(c.as_str(), "tak" | "moze" | "yes" | "maybe" | "1" | "true"))
            .collect();
        if !ready.is_empty() {
            out.push((q, ready));
        }
    }
    out
}

/// The two skeleton texts (catalogue, rules) for `form`, with a summary for the terminal.
pub fn skeleton(
    configured: &[String],
    form: &Questionnaire,
    need: Option<&str>,
) -> Result<(String, String, String)> {
    let bundled: Catalogue = toml::from_str(include_str!("../survey-templates/katalog-uslug.toml"))
        .context("the bundled catalogue")?;
    let nq = need_question(form, need)?;
    let list = form
        .list_of(nq)
        .with_context(|| format!("'{}' has no choice list", nq.name))?;
    let lbl = |l: &Labels, lang: &str| {
        pick(l, lang, &form.default_language)
            .unwrap_or("")
            .to_string()
    };
    let todo_pl = "[do uzupełnienia przez zespół]";
    let todo_en = "[for the team to complete]";
    let mut summary = String::new();
    // target groups
    let mut groups: Vec<(String, String, String, String, Vec<String>)> = Vec::new(); // code, pl, en, var, values
    for q in grouping_vars(configured, form)? {
        let Some(l) = form.list_of(q) else { continue };
        let yes = l
            .choices
            .iter()
            .find(|c| matches!(c.name.as_str(), "tak" | "yes" | "1" | "true"));
        let chosen: Vec<_> = match yes {
            Some(y) if l.choices.len() <= 3 => vec![y],
            _ => l.choices.iter().filter(|c| !none_like(&c.name)).collect(),
        };
        for c in chosen {
            let code = code_of(&format!("{}_{}", q.name, c.name));
            if groups.iter().any(|g| g.0 == code) {
                continue;
            }
            groups.push((
                code,
                format!("{}: {}", lbl(&q.label, "pl"), lbl(&c.label, "pl")),
                format!("{}: {}", lbl(&q.label, "en"), lbl(&c.label, "en")),
                q.name.clone(),
                vec![c.name.clone()],
            ));
        }
    }
    let potentials = potential_questions(form);
    // services with their area (from the questionnaire, the bundled catalogue, or guessed)
    struct Svc<'a> {
        code: String,
        pl: String,
        en: String,
        area: Area,
        how: &'static str,
        bundled: Option<&'a programme::Service>,
    }
    let mut services = Vec::new();
    for c in list.choices.iter().filter(|c| !none_like(&c.name)) {
        let b = bundled.services.iter().find(|s| s.code == c.name);
        let (area, how) = match (c.area, b.and_then(|b| Area::parse(&b.area))) {
            (Some(a), _) => (a, "the questionnaire"),
            (None, Some(a)) => (a, "the bundled catalogue"),
            (None, None) => match guess_area(&c.name, &lbl(&c.label, "pl")) {
                Some(a) => (a, "guessed from the label: check"),
                None => (
                    Area::PomocSpoleczna,
                    "NOT KNOWN — pomoc_spoleczna put in: set the right area",
                ),
            },
        };
        services.push(Svc {
            code: c.name.clone(),
            pl: lbl(&c.label, "pl"),
            en: lbl(&c.label, "en"),
            area,
            how,
            bundled: b,
        });
    }
    if services.is_empty() {
        bail!(
            "the need question '{}' has no choices that name a service",
            nq.name
        );
    }
    // catalogue text
    let mut k = String::new();
    writeln!(
        k,
        "# Katalog usług — a SKELETON written by `diagnoza catalogue` for the questionnaire '{}'\n\
         # (need question '{}'). The team edits it: narrow each service's target groups, check the\n\
         # areas marked \"check\", complete providers and funding, group services into packages.\n\
         # The fields are described in the bundled katalog-uslug.toml (`diagnoza` docs: programme.md).\n",
        form.id, nq.name
    )?;
    let mut areas: Vec<Area> = services.iter().map(|s| s.area).collect();
    areas.sort();
    areas.dedup();
    for a in &areas {
        writeln!(
            k,
            "[[packages]]\ncode = {}\nname = {}\n",
            toml_str(a.code()),
            labels_toml(
                &format!("Pakiet: {}", a.name("pl")),
                &format!("Package: {}", a.name("en"))
            )
        )?;
    }
    for (code, pl, en, var, values) in &groups {
        writeln!(
            k,
            "[[target_groups]]\ncode = {}\nname = {}\nvariable = {}\nvalues = [{}]\n",
            toml_str(code),
            labels_toml(pl, en),
            toml_str(var),
            values
                .iter()
                .map(|v| toml_str(v))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    writeln!(
        k,
        "[[target_groups]]\ncode = \"ogol\"\nname = {}\nvariable = \"\"\nvalues = []\n",
        labels_toml("Ogół mieszkańców", "All residents")
    )?;
    let all_groups: Vec<String> = groups
        .iter()
        .map(|g| toml_str(&g.0))
        .chain(std::iter::once(toml_str("ogol")))
        .collect();
    let pot_codes: Vec<String> = potentials.iter().map(|(q, _)| q.name.clone()).collect();
    for s in &services {
        let (form_kind, providers, funding, indicator, potential) = match s.bundled {
            Some(b) => (
                b.form.clone(),
                labels_toml(&lbl(&b.providers, "pl"), &lbl(&b.providers, "en")),
                labels_toml(&lbl(&b.funding, "pl"), &lbl(&b.funding, "en")),
                labels_toml(&lbl(&b.indicator, "pl"), &lbl(&b.indicator, "en")),
                b.potential
                    .iter()
                    .filter(|p| pot_codes.contains(p))
                    .cloned()
                    .collect::<Vec<_>>(),
            ),
            None => (
                "indywidualna".to_string(),
                labels_toml(todo_pl, todo_en),
                labels_toml(todo_pl, todo_en),
                labels_toml(
                    &format!("liczba osób korzystających z usługi „{}” (rocznie)", s.pl),
                    &format!("people using the service \"{}\" per year", s.en),
                ),
                Vec::new(),
            ),
        };
        writeln!(
            k,
            "# area from {}\n[[services]]\ncode = {}\nname = {}\narea = {}\ntarget_groups = [{}]\n\
             package = {}\nform = {}\nproviders = {}\nfunding = {}\npotential = [{}]\nindicator = {}\n",
            s.how,
            toml_str(&s.code),
            labels_toml(&s.pl, &s.en),
            toml_str(s.area.code()),
            all_groups.join(", "),
            toml_str(s.area.code()),
            toml_str(&form_kind),
            providers,
            funding,
            potential
                .iter()
                .map(|p| toml_str(p))
                .collect::<Vec<_>>()
                .join(", "),
            indicator
        )?;
    }
    // rules text: the bundled thresholds, this questionnaire's questions
    let br: Rules = toml::from_str(include_str!("../survey-templates/reguly-rekomendacji.toml"))
        .context("the bundled rules")?;
    let mut r = String::new();
    writeln!(
        r,
        "# Reguły rekomendacji — a SKELETON written by `diagnoza catalogue` for the questionnaire '{}'.\n\
         # The thresholds are the bundled ones (see the bundled reguly-rekomendacji.toml).\n\n\
         [need]\nquestion = {}\nmin_need = {}\nmin_base = {}\n",
        form.id,
        toml_str(&nq.name),
        br.need.min_need,
        br.need.min_base,
    )?;
    for (q, ready) in &potentials {
        writeln!(
            r,
            "[[potential]]\ncode = {}\nquestion = {}\nready = [{}]\n",
            toml_str(&q.name),
            toml_str(&q.name),
            ready
                .iter()
                .map(|v| toml_str(v))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    writeln!(
        summary,
        "need question: {} ({} services); target groups: {} (from {}) and all residents; packages: {}; potential questions: {}",
        nq.name,
        services.len(),
        groups.len(),
        {
            let mut v: Vec<&str> = groups.iter().map(|g| g.3.as_str()).collect();
            v.dedup();
            if v.is_empty() {
                "no grouping variable".to_string()
            } else {
                v.join(", ")
            }
        },
        areas.len(),
        if pot_codes.is_empty() {
            "none".to_string()
        } else {
            pot_codes.join(", ")
        }
    )?;
    let unknown: Vec<&str> = services
        .iter()
        .filter(|s| s.how.starts_with("NOT KNOWN") || s.how.starts_with("guessed"))
        .map(|s| s.code.as_str())
        .collect();
    if !unknown.is_empty() {
        writeln!(
            summary,
            "check the statutory area of: {} (marked in the file)",
            unknown.join(", ")
        )?;
    }
    Ok((k, r, summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_guessed_from_polish_and_english_labels() {
        for (code, label, area) in [
            ("home_care", "Home care for older people", "pomoc_spoleczna"),
            ("transport", "Transport to the doctor", "niepelnosprawnosc"),
            ("counselling", "Family counselling", "wspieranie_rodziny"),
            ("youth", "Zajęcia dla młodzieży", "edukacja"),
            ("x1", "Żłobek", "polityka_prorodzinna"),
            ("x2", "Sekcja sportowa", "kultura_fizyczna"),
        ] {
            assert_eq!(
                guess_area(code, label).map(|a| a.code()),
                Some(area),
                "{code}"
            );
        }
        assert_eq!(guess_area("q7", "Coś innego"), None);
    }

    #[test]
    fn codes_are_ascii() {
        assert_eq!(code_of("wiek_75 plus!"), "wiek_75_plus");
    }
}
