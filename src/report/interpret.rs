//! Interpretation written from the numbers: the sentences that open each results section of
//! stage III and answer the research questions of stage IV. Every sentence is filled from a
//! template ([`Sentences`]: embedded `templates/sentences.toml`, overridden key by key by a
//! workspace's `templates/sentences.toml`) with figures taken from the same [`Results`] the
//! tables print, formatted by the same functions. A sentence is written only from shown figures:
//! suppressed cells, near-zero shares and differences a test does not support never become a
//! finding. Does not decide priorities (the analysis does) and does not render.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use anyhow::{Result, anyhow};

use crate::analysis::{Breakdown, NEED_THRESHOLD, Priority, QuestionStat, Results};
use crate::lang::fill;
use crate::lang::report::{R, tr};
use crate::template::{Area, Kind, Questionnaire, Role};

use super::{Builder, Cell, Extras, Fmt, dec2, p_text, pct};

/// A share below this is never stated as a finding (it is near zero).
pub const MIN_SHARE: f64 = 0.05;

/// The embedded sentence templates.
pub const EMBEDDED_TOML: &str = include_str!("templates/sentences.toml");

/// The file in a workspace's `templates/` that overrides sentence templates.
pub const OVERRIDE_FILE: &str = "sentences.toml";

static EMBEDDED: LazyLock<Sentences> = LazyLock::new(|| {
    Sentences::parse(EMBEDDED_TOML, "embedded sentences.toml").expect("embedded sentences parse")
});

/// Sentence templates per language and key.
#[derive(Debug, Clone)]
pub struct Sentences {
    texts: BTreeMap<String, BTreeMap<String, String>>,
}

fn placeholders(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find('{') {
        let tail = &rest[i + 1..];
        match tail.find('}') {
            Some(j) => {
                out.push(&tail[..j]);
                rest = &tail[j + 1..];
            }
            None => break,
        }
    }
    out
}

impl Sentences {
    /// The embedded templates.
    pub fn embedded() -> &'static Sentences {
        &EMBEDDED
    }

    fn parse(text: &str, origin: &str) -> Result<Sentences> {
        let texts: BTreeMap<String, BTreeMap<String, String>> = toml::from_str(text)
            .map_err(|e| anyhow!("{origin}: not a sentence template file: {e}"))?;
        Ok(Sentences { texts })
    }

    /// The embedded templates with the overrides of `dir/sentences.toml` when that file exists.
    /// An override of an unknown language or key, or one using a placeholder the sentence does
    /// not have, is an error naming the file, the key and what was expected.
    pub fn load(dir: Option<&Path>) -> Result<Sentences> {
        let mut s = Sentences::embedded().clone();
        let Some(path) = dir.map(|d| d.join(OVERRIDE_FILE)).filter(|p| p.is_file()) else {
            return Ok(s);
        };
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| anyhow!("cannot read the sentence templates {origin}: {e}"))?;
        let over = Sentences::parse(&text, &origin)?;
        for (lang, keys) in over.texts {
            let Some(base) = s.texts.get_mut(&lang) else {
                return Err(anyhow!(
                    "{origin}: [{lang}] is not a language of the report (expected [pl] or [en])"
                ));
            };
            for (key, value) in keys {
                let Some(old) = base.get(&key) else {
                    let known: Vec<&str> = base.keys().map(String::as_str).collect();
                    return Err(anyhow!(
                        "{origin}: [{lang}] {key} is not a sentence key (expected one of: {})",
                        known.join(", ")
                    ));
                };
                let allowed = placeholders(old);
                if let Some(bad) = placeholders(&value)
                    .into_iter()
                    .find(|p| !allowed.contains(p))
                {
                    return Err(anyhow!(
                        "{origin}: [{lang}] {key} uses {{{bad}}}, which this sentence does not \
                         have (expected: {})",
                        allowed
                            .iter()
                            .map(|p| format!("{{{p}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                base.insert(key, value);
            }
        }
        Ok(s)
    }

    /// The template `key` in `lang` (English when the language has none), filled with `vals`.
    pub fn say(&self, lang: &str, key: &str, vals: &[(&str, &str)]) -> String {
        let text = self
            .texts
            .get(lang)
            .and_then(|m| m.get(key))
            .or_else(|| self.texts.get("en").and_then(|m| m.get(key)))
            .map(String::as_str)
            .unwrap_or(key);
        crate::lang::fill(text, vals)
    }
}

/// One row of a section's rating summary: an area (or question) with its rating figures, or a
/// hidden one (kept so it never silently drops out of the table).
#[derive(Debug, Clone)]
pub struct RatingRow {
    pub label: String,
    /// (mean, share of the two highest scores, scored answers); None when hidden.
    pub shown: Option<(f64, f64, u64)>,
    /// Answered without a score ("trudno powiedzieć", "nie korzystam").
    pub unscored: u64,
}

/// The rating rows of a section's scored questions, in questionnaire order.
pub fn rating_rows(form: &Questionnaire, stats: &[&QuestionStat], lang: &str) -> Vec<RatingRow> {
    stats
        .iter()
        .filter_map(|st| {
            let q = form.question(&st.question)?;
            let s = st.scale.as_ref()?;
            let label = q
                .area
                .map(|a| a.name(lang).to_string())
                .unwrap_or_else(|| form.text(&q.label, lang).to_string());
            Some(RatingRow {
                label,
                shown: (!st.suppressed && s.n_scored > 0).then_some((s.mean, s.top2, s.n_scored)),
                unscored: if st.suppressed { 0 } else { s.n_unscored },
            })
        })
        .collect()
}

/// The sentences of a rating section: the lowest and highest rated areas, and the area most
/// often left unrated. `kind` is "avail" or "quality".
pub fn rating_sentences(s: &Sentences, lang: &str, rows: &[RatingRow], kind: &str) -> Vec<String> {
    let mut shown: Vec<(&str, f64, f64, u64)> = rows
        .iter()
        .filter_map(|r| r.shown.map(|(m, t, n)| (r.label.as_str(), m, t, n)))
        .collect();
    if shown.is_empty() {
        return Vec::new();
    }
    shown.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(b.0)));
    let item = |r: &(&str, f64, f64, u64)| {
        s.say(
            lang,
            "rating_item",
            &[
                ("area", r.0),
                ("mean", &dec2(r.1, lang)),
                ("positive", &pct(r.2, lang)),
            ],
        )
    };
    let mut out = Vec::new();
    let n_worst = if shown.len() >= 6 { 3 } else { 1 };
    let worst: Vec<String> = shown.iter().take(n_worst).map(item).collect();
    out.push(s.say(
        lang,
        &format!("{kind}_worst"),
        &[("items", &worst.join(", "))],
    ));
    if shown.len() > n_worst {
        let best: Vec<String> = shown.iter().rev().take(n_worst.min(2)).map(item).collect();
        out.push(s.say(
            lang,
            &format!("{kind}_best"),
            &[("items", &best.join(", "))],
        ));
    }
    let unscored = rows
        .iter()
        .filter_map(|r| {
            let (_, _, n) = r.shown?;
            let all = n + r.unscored;
            (all > 0).then(|| (r.label.as_str(), r.unscored as f64 / all as f64))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(a.0)));
    if let Some((area, share)) = unscored.filter(|u| u.1 >= 0.2) {
        out.push(s.say(
            lang,
            "unscored_top",
            &[("area", area), ("share", &pct(share, lang))],
        ));
    }
    out
}

/// The shown need indices, largest first.
pub fn needs_ranked(results: &Results) -> Vec<(Area, &crate::analysis::Index)> {
    let mut v: Vec<_> = results
        .needs
        .iter()
        .filter(|(_, i)| !i.suppressed)
        .map(|(a, i)| (*a, i))
        .collect();
    v.sort_by(|a, b| b.1.pct.total_cmp(&a.1.pct).then(a.0.cmp(&b.0)));
    v
}

/// The sentences of the needs section: the areas named most often and how many reach the
/// priority threshold.
pub fn need_sentences(s: &Sentences, lang: &str, results: &Results) -> Vec<String> {
    let ranked = needs_ranked(results);
    if ranked.is_empty() {
        return Vec::new();
    }
    let k = u64::from(results.threshold);
    let top: Vec<String> = ranked
        .iter()
        .filter(|(_, i)| i.pct >= MIN_SHARE && i.n >= k)
        .take(3)
        .map(|(a, i)| {
            s.say(
                lang,
                "need_item",
                &[("area", a.name(lang)), ("share", &pct(i.pct, lang))],
            )
        })
        .collect();
    let mut out = Vec::new();
    if !top.is_empty() {
        out.push(s.say(lang, "need_top", &[("items", &top.join(", "))]));
    }
    let threshold = pct(NEED_THRESHOLD, lang);
    let n = ranked
        .iter()
        .filter(|(_, i)| i.pct >= NEED_THRESHOLD)
        .count();
    if n == 0 {
        out.push(s.say(lang, "need_none", &[("threshold", &threshold)]));
    } else {
        out.push(s.say(
            lang,
            "need_count",
            &[
                ("threshold", &threshold),
                ("n", &n.to_string()),
                ("total", &ranked.len().to_string()),
            ],
        ));
    }
    out
}

/// The largest shown, non-trivial options of a closed question, largest first.
fn top_options(st: &QuestionStat, lang: &str, s: &Sentences, n: usize) -> Vec<String> {
    if st.suppressed {
        return Vec::new();
    }
    let mut v: Vec<_> = st
        .options
        .iter()
        .filter(|o| o.code != "_not_answered" && !o.suppressed && o.pct >= MIN_SHARE)
        .collect();
    v.sort_by(|a, b| b.pct.total_cmp(&a.pct).then(a.label.cmp(&b.label)));
    v.iter()
        .take(n)
        .map(|o| {
            s.say(
                lang,
                "option_item",
                &[("option", &o.label), ("share", &pct(o.pct, lang))],
            )
        })
        .collect()
}

/// The barriers named most often (each barrier question, at most two).
pub fn barrier_sentences(s: &Sentences, lang: &str, stats: &[&QuestionStat]) -> Vec<String> {
    stats
        .iter()
        .filter(|st| st.kind.is_select())
        .filter_map(|st| {
            let items = top_options(st, lang, s, 3);
            (!items.is_empty()).then(|| s.say(lang, "barrier_top", &[("items", &items.join(", "))]))
        })
        .take(2)
        .collect()
}

/// The most frequent answer of up to three closed questions of a section.
pub fn largest_sentences(
    s: &Sentences,
    lang: &str,
    form: &Questionnaire,
    stats: &[&QuestionStat],
) -> Vec<String> {
    stats
        .iter()
        .filter(|st| st.kind == Kind::SelectOne || st.kind == Kind::SelectMultiple)
        .filter(|st| st.scale.is_none())
        .filter_map(|st| {
            let q = form.question(&st.question)?;
            let items = top_options(st, lang, s, 1);
            let question = form.text(&q.label, lang).trim_end_matches([':', '?', '.']);
            (!items.is_empty()).then(|| {
                s.say(
                    lang,
                    "largest",
                    &[("question", question), ("items", &items.join(", "))],
                )
            })
        })
        .take(3)
        .collect()
}

/// Readiness: the potential question with the largest and the smallest shown share.
pub fn potential_sentences(
    s: &Sentences,
    lang: &str,
    form: &Questionnaire,
    results: &Results,
    inventory: Option<&crate::inventory::Inventory>,
) -> Vec<String> {
    let mut v: Vec<(String, f64)> = results
        .potential
        .iter()
        .filter_map(|p| {
            let r = p.ready.as_ref().filter(|r| !r.suppressed)?;
            let q = form.question(&p.question)?;
            let label = form
                .text(&q.label, lang)
                .trim_end_matches([':', '?', '.'])
                .to_string();
            Some((label, r.pct))
        })
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out = Vec::new();
    if let Some((q, x)) = v.first().filter(|x| x.1 >= MIN_SHARE) {
        out.push(s.say(
            lang,
            "ready_top",
            &[("question", q), ("share", &pct(*x, lang))],
        ));
    }
    if v.len() >= 2
        && let Some((q, x)) = v.last()
    {
        out.push(s.say(
            lang,
            "ready_low",
            &[("question", q), ("share", &pct(*x, lang))],
        ));
    }
    if let Some(inv) = inventory.filter(|i| i.entities > 0 && !i.ready.is_empty()) {
        out.push(s.say(
            lang,
            "inst_ready",
            &[
                ("n", &inv.ready.len().to_string()),
                ("total", &inv.entities.to_string()),
            ],
        ));
    }
    out
}

/// A difference in need between the shown groups of a breakdown that a test supports.
#[derive(Debug, Clone)]
pub struct Difference {
    pub area: Area,
    /// The grouping question's label, and its name.
    pub variable: String,
    pub var: String,
    /// (group label, share), the shown groups, in the breakdown's order.
    pub groups: Vec<(String, f64)>,
    /// Largest minus smallest share (0–1).
    pub gap: f64,
    pub p: f64,
    pub v: f64,
}

/// Every supported need difference, strongest (Cramér's V) first.
pub fn differences(results: &Results) -> Vec<Difference> {
    let mut out = Vec::new();
    for br in &results.breakdowns {
        for a in results.needs.keys() {
            if let Some(d) = difference(br, *a) {
                out.push(d);
            }
        }
    }
    out.sort_by(|x, y| {
        y.v.total_cmp(&x.v)
            .then(x.area.cmp(&y.area))
            .then(x.variable.cmp(&y.variable))
    });
    out
}

fn difference(br: &Breakdown, area: Area) -> Option<Difference> {
    let g = br
        .tests
        .get(&format!("need#{}", area.code()))?
        .first()
        .filter(|g| g.supported)?;
    let groups: Vec<(String, f64)> = br
        .groups
        .iter()
        .enumerate()
        .filter(|(_, gv)| !gv.suppressed)
        .filter_map(|(i, gv)| {
            let x = br.needs.get(&area)?.get(i)?;
            (!x.suppressed).then(|| (gv.label.clone(), x.pct))
        })
        .collect();
    if groups.len() < 2 {
        return None;
    }
    let max = groups.iter().map(|g| g.1).fold(f64::MIN, f64::max);
    let min = groups.iter().map(|g| g.1).fold(f64::MAX, f64::min);
    Some(Difference {
        area,
        variable: br.label.clone(),
        var: br.var.clone(),
        groups,
        gap: max - min,
        p: g.p,
        v: g.cramers_v,
    })
}

/// The short name of a grouping variable (its label when diagnoza has none).
pub fn var_name(var: &str, label: &str, lang: &str) -> String {
    crate::lang::report::short_var(var, lang)
        .map(str::to_string)
        .unwrap_or_else(|| label.to_string())
}

/// Percentage points with one decimal in the language's notation.
pub fn pp(x: f64, lang: &str) -> String {
    super::num(x * 100.0, lang)
}

/// One difference as a list item: the groups with the highest and the lowest share, the gap
/// (their difference), the test.
pub fn difference_item(s: &Sentences, lang: &str, d: &Difference) -> String {
    let by = |a: &&(String, f64), b: &&(String, f64)| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0));
    let fmt = |g: Option<&(String, f64)>| {
        g.map(|(l, x)| format!("{l} {}", pct(*x, lang)))
            .unwrap_or_default()
    };
    let high = fmt(d.groups.iter().max_by(by));
    let low = fmt(d.groups.iter().min_by(by));
    s.say(
        lang,
        "diff_item",
        &[
            ("area", d.area.name(lang)),
            ("variable", &var_name(&d.var, &d.variable, lang)),
            ("high", &high),
            ("low", &low),
            ("pp", &pp(d.gap, lang)),
            ("p", &p_text(d.p, lang)),
            ("v", &dec2(d.v, lang)),
        ],
    )
}

/// The sentences on group differences: the strongest supported ones, or that none is.
pub fn difference_sentences(s: &Sentences, lang: &str, results: &Results) -> Vec<String> {
    if results.breakdowns.is_empty() {
        return Vec::new();
    }
    let diffs = differences(results);
    if diffs.is_empty() {
        return vec![s.say(lang, "diff_none", &[])];
    }
    let items: Vec<String> = diffs
        .iter()
        .take(3)
        .map(|d| difference_item(s, lang, d))
        .collect();
    let mut out = vec![s.say(lang, "diff_top", &[("items", &items.join("; "))])];
    if diffs.len() > 3 {
        out.push(s.say(lang, "diff_count", &[("n", &diffs.len().to_string())]));
    }
    out
}

/// The priority classes of the analysis, as sentences.
pub fn priority_sentences(s: &Sentences, lang: &str, results: &Results) -> Vec<String> {
    let names = |p: Priority| -> Vec<String> {
        results
            .areas
            .iter()
            .filter(|x| x.priority == p)
            .map(|x| x.area.name(lang).to_string())
            .collect()
    };
    let threshold = pct(NEED_THRESHOLD, lang);
    let high = names(Priority::High);
    let medium = names(Priority::Medium);
    let mut out = Vec::new();
    if high.is_empty() {
        out.push(s.say(lang, "priority_none", &[("threshold", &threshold)]));
    } else {
        out.push(s.say(
            lang,
            "priority_high",
            &[("threshold", &threshold), ("items", &high.join(", "))],
        ));
    }
    if !medium.is_empty() {
        out.push(s.say(lang, "priority_medium", &[("items", &medium.join(", "))]));
    }
    out
}

/// The service packages of the draft programme: each target group with its services.
pub fn package_sentences(
    s: &Sentences,
    lang: &str,
    p: &crate::programme::Programme,
    k: u32,
) -> Vec<String> {
    let mut by_group: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let recs: Vec<_> = p
        .items
        .iter()
        .filter(|i| {
            i.groups
                .iter()
                .any(|g| g.need.n >= u64::from(k) && g.need.base >= u64::from(k))
        })
        .collect();
    for i in &recs {
        for g in i
            .groups
            .iter()
            .filter(|g| g.need.n >= u64::from(k) && g.need.base >= u64::from(k))
        {
            let v = by_group.entry(g.target_group_name.as_str()).or_default();
            if !v.contains(&i.service_name.as_str()) {
                v.push(i.service_name.as_str());
            }
        }
    }
    if by_group.is_empty() {
        return Vec::new();
    }
    let items: Vec<String> = by_group
        .iter()
        .map(|(g, sv)| {
            s.say(
                lang,
                "package_item",
                &[("group", g), ("services", &sv.join(", "))],
            )
        })
        .collect();
    vec![
        s.say(
            lang,
            "programme_count",
            &[
                ("n", &recs.len().to_string()),
                ("groups", &by_group.len().to_string()),
            ],
        ),
        s.say(lang, "packages", &[("items", &items.join("; "))]),
    ]
}

/// The opening of a results section of stage III: its interpretation, and for the rating
/// sections one summary table (the questions' full distributions are added to `annex`).
#[allow(clippy::too_many_arguments)]
pub(super) fn section_intro<'r>(
    b: &mut Builder,
    form: &Questionnaire,
    results: &Results,
    extras: &Extras,
    role: Option<Role>,
    stats: &[&'r QuestionStat],
    title: &str,
    annex: &mut Vec<(&'r QuestionStat, super::Show)>,
) {
    let lang = b.lang;
    let s = extras.sentences.unwrap_or(Sentences::embedded());
    let k = results.threshold;
    let sentences = match role {
        Some(Role::Availability) | Some(Role::Quality) => {
            let kind = if role == Some(Role::Availability) {
                "avail"
            } else {
                "quality"
            };
            let rows = rating_rows(form, stats, lang);
            let out = rating_sentences(s, lang, &rows, kind);
            for x in &out {
                b.p(x.clone(), "interpretation");
            }
            let cells: Vec<Vec<Cell>> = rows
                .iter()
                .map(|r| match r.shown {
                    Some((mean, top2, n)) => vec![
                        Cell::text(r.label.clone()),
                        Cell {
                            text: dec2(mean, lang),
                            value: Some(mean),
                            fmt: Fmt::Num,
                            muted: false,
                        },
                        Cell::pct(top2, lang),
                        Cell::int(n),
                        Cell::int(r.unscored),
                    ],
                    None => vec![
                        Cell::text(r.label.clone()).muted(),
                        Cell::text(fill(tr(lang, R::HiddenRow), &[("k", &k.to_string())])).muted(),
                        Cell::text("").muted(),
                        Cell::text("").muted(),
                        Cell::text("").muted(),
                    ],
                })
                .collect();
            b.table(
                fill(tr(lang, R::RatingSummary), &[("section", title)]),
                vec![
                    tr(lang, R::Area).into(),
                    tr(lang, R::Mean).into(),
                    tr(lang, R::Positive).into(),
                    "n".into(),
                    tr(lang, R::Unscored).into(),
                ],
                cells,
                format!("{} {}", tr(lang, R::RatingNote), b.source()),
            );
            annex.extend(
                stats
                    .iter()
                    .filter(|st| st.scale.is_some())
                    .map(|st| (*st, super::Show::Table)),
            );
            return;
        }
        Some(Role::Need) => need_sentences(s, lang, results),
        Some(Role::Barrier) => barrier_sentences(s, lang, stats),
        Some(Role::Potential) => potential_sentences(s, lang, form, results, extras.inventory),
        _ => largest_sentences(s, lang, form, stats),
    };
    for x in sentences {
        b.p(x, "interpretation");
    }
}

/// The answer to a research question with the answer key `key`, written from the results;
/// empty when the key is unknown or the data hold nothing to answer it with.
pub fn answer(
    s: &Sentences,
    lang: &str,
    form: &Questionnaire,
    results: &Results,
    extras: &Extras,
    key: Option<&str>,
) -> Vec<String> {
    let rated = |role: Role, kind: &str| {
        let stats: Vec<&QuestionStat> = results
            .overall
            .iter()
            .filter(|st| {
                form.question(&st.question)
                    .is_some_and(|q| q.role == Some(role))
            })
            .collect();
        rating_sentences(s, lang, &rating_rows(form, &stats, lang), kind)
    };
    match key {
        Some("state") => {
            let mut v = rated(Role::Availability, "avail");
            v.extend(rated(Role::Quality, "quality"));
            v
        }
        Some("needs") => {
            let mut v = need_sentences(s, lang, results);
            v.extend(difference_sentences(s, lang, results));
            v
        }
        Some("potential") => potential_sentences(s, lang, form, results, extras.inventory),
        Some("solutions") => priority_sentences(s, lang, results),
        Some("packages") => extras
            .programme
            .map(|p| package_sentences(s, lang, p, results.threshold))
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found() {
        assert_eq!(placeholders("a {x} b {yy}."), vec!["x", "yy"]);
    }

    #[test]
    fn every_key_has_both_languages_with_the_same_placeholders() {
        let s = Sentences::embedded();
        let pl = &s.texts["pl"];
        let en = &s.texts["en"];
        assert_eq!(pl.keys().collect::<Vec<_>>(), en.keys().collect::<Vec<_>>());
        for (k, v) in pl {
            let mut a = placeholders(v);
            let mut b = placeholders(&en[k]);
            a.sort();
            b.sort();
            assert_eq!(a, b, "{k}");
        }
    }

    #[test]
    fn rating_sentences_state_the_rows_figures_and_skip_hidden_rows() {
        let rows = vec![
            RatingRow {
                label: "Pomoc społeczna".into(),
                shown: Some((2.25, 0.3, 40)),
                unscored: 10,
            },
            RatingRow {
                label: "Kultura".into(),
                shown: Some((4.1, 0.8, 44)),
                unscored: 2,
            },
            RatingRow {
                label: "Ukryty obszar".into(),
                shown: None,
                unscored: 0,
            },
        ];
        let s = rating_sentences(Sentences::embedded(), "pl", &rows, "avail");
        assert_eq!(
            s[0],
            "Najniżej mieszkańcy ocenili dostępność usług w obszarach: Pomoc społeczna \
             (średnia 2,25; oceny pozytywne: 30,0%)."
        );
        assert!(s[1].contains("Kultura (średnia 4,10; oceny pozytywne: 80,0%)"));
        assert!(
            s[2].contains("Pomoc społeczna (20,0% odpowiedzi)"),
            "{}",
            s[2]
        );
        assert!(s.iter().all(|x| !x.contains("Ukryty")));
    }

    #[test]
    fn overrides_are_checked_key_by_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(OVERRIDE_FILE),
            "[pl]\nneed_top = \"Potrzeby: {items}!\"\n",
        )
        .unwrap();
        let s = Sentences::load(Some(dir.path())).unwrap();
        assert_eq!(s.say("pl", "need_top", &[("items", "x")]), "Potrzeby: x!");
        assert!(s.say("en", "need_top", &[]).starts_with("Residents"));
        std::fs::write(
            dir.path().join(OVERRIDE_FILE),
            "[pl]\nneed_top = \"{nieznane}\"\n",
        )
        .unwrap();
        let e = Sentences::load(Some(dir.path())).unwrap_err().to_string();
        assert!(
            e.contains("need_top uses {nieznane}") && e.contains("{items}"),
            "{e}"
        );
        std::fs::write(dir.path().join(OVERRIDE_FILE), "[pl]\nbrak = \"x\"\n").unwrap();
        let e = Sentences::load(Some(dir.path())).unwrap_err().to_string();
        assert!(e.contains("brak is not a sentence key"), "{e}");
    }
}
