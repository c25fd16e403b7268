//! `diagnoza analyze [--by VAR]... [--out FILE.csv|FILE.xlsx] [--indices FILE.csv]
//! [--tests FILE.csv] [--no-weights]`: frequency tables, indices and group differences in the
//! terminal, and the tidy tables for R, SPSS and Excel users.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::Outcome;
use crate::analysis::{self, Results, export};
use crate::diagnosis::{Diagnosis, Settings};
use crate::lang::cli::{M, t};
use crate::lang::{Lang, fill, num};
use crate::output;
use crate::report::pct;
use crate::template::{Kind, Questionnaire};
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Grouping variables (default: those of diagnoza.toml, else the template's).
    #[arg(long)]
    pub by: Vec<String>,
    /// Write the tidy results table: FILE.csv, or FILE.xlsx with the results, indices and
    /// tests sheets.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write the tidy indices table (need, availability, quality, unmet need, potential) as CSV.
    #[arg(long)]
    pub indices: Option<PathBuf>,
    /// Write the group-difference tests as CSV.
    #[arg(long)]
    pub tests: Option<PathBuf>,
    /// Ignore the population table: unweighted figures only.
    #[arg(long)]
    pub no_weights: bool,
    /// Label language (default: diagnoza.toml's).
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// The questionnaire to analyse (a form_id of the workspace, e.g. `instytucje`; default: the
    /// residents' one).
    #[arg(long)]
    pub form: Option<String>,
}

/// Check `--by` variables against the questionnaire, with the choices a user has.
pub fn check_by(form: &Questionnaire, by: &[String]) -> Result<()> {
    let candidates = || {
        form.questions
            .iter()
            .filter(|q| q.kind == Kind::SelectOne)
            .map(|q| {
                if q.disaggregation {
                    format!("{}*", q.name)
                } else {
                    q.name.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    for g in by {
        match form.question(g) {
            None => bail!(
                "--by {g}: there is no question '{g}' in the questionnaire '{}'. Grouping \
                 variables available (single-choice questions; * = marked for disaggregation): {}",
                form.id,
                candidates()
            ),
            Some(q) if q.kind != Kind::SelectOne => bail!(
                "--by {g}: '{g}' is a {:?} question; only single-choice questions can group \
                 respondents. Available: {}",
                q.kind,
                candidates()
            ),
            _ => {}
        }
    }
    Ok(())
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    let w = Workspace::open(ws)?;
    let main = w.questionnaire()?.form;
    let form = match &a.form {
        None => main.clone(),
        Some(id) => {
            let forms = w.questionnaires()?;
            let ids = forms
                .iter()
                .map(|f| f.id.clone())
                .collect::<Vec<_>>()
                .join(", ");
            match forms.into_iter().find(|f| &f.id == id) {
                Some(f) => f,
                None => {
                    bail!("--form '{id}' is not a questionnaire of this workspace (it has: {ids})")
                }
            }
        }
    };
    check_by(&form, &a.by)?;
    let mut cfg = w.clone();
    if !a.by.is_empty() {
        cfg.config.diagnosis.grouping = a.by.clone();
    }
    // diagnoza.toml's grouping belongs to the residents' questionnaire; another one groups by its
    // own disaggregation questions.
    if form.id != main.id && a.by.is_empty() {
        cfg.config.diagnosis.grouping.clear();
    }
    let grouping = cfg.grouping(&form)?;
    // The population table describes the residents: other questionnaires are not weighted.
    let settings = Settings::of(&w, a.lang, a.no_weights || form.id != main.id)?;
    let lang = settings.lang.code();
    println!(
        "{}",
        fill(
            t(super::ui(), M::Questionnaire),
            &[("id", &form.id), ("title", form.text(&form.title, lang))]
        )
    );
    let d = Diagnosis::of_form(w, settings, form, grouping);
    let (form, r) = (d.form(), d.results()?);
    super::print(&terminal(form, r, lang)?)?;
    if let Some(out) = &a.out {
        let tidy = analysis::tidy(form, r, lang);
        let is_xlsx = out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        let bytes = if is_xlsx {
            let idx = analysis::tidy_indices(form, r, lang);
            export::xlsx(&tidy, &idx, &export::test_rows(r))?
        } else {
            export::tidy_csv(&tidy)?
        };
        output::write(out, &bytes)?;
        println!("{}", wrote(M::WroteTidy, out));
    }
    if let Some(p) = &a.indices {
        output::write(
            p,
            &export::indices_csv(&analysis::tidy_indices(form, r, lang))?,
        )?;
        println!("{}", wrote(M::WroteIndices, p));
    }
    if let Some(p) = &a.tests {
        output::write(p, &export::tests_csv(&export::test_rows(r))?)?;
        println!("{}", wrote(M::WroteTests, p));
    }
    Ok(Outcome::Clean)
}

/// "Wrote … to FILE" in the CLI's language.
fn wrote(m: M, file: &std::path::Path) -> String {
    fill(t(super::ui(), m), &[("file", &file.display().to_string())])
}

/// Two decimals in the language's notation.
fn num2(x: f64, lang: &str) -> String {
    let s = format!("{x:.2}");
    if lang == "pl" { s.replace('.', ",") } else { s }
}

fn ci(c: Option<(f64, f64)>, lang: &str) -> String {
    c.map(|(l, h)| format!("{}–{}", pct(l, lang), pct(h, lang)))
        .unwrap_or_default()
}

/// The readable terminal output.
fn terminal(form: &Questionnaire, r: &Results, lang: &str) -> Result<String> {
    let mut out = String::new();
    let k = r.threshold;
    // Table words in the CLI's language; labels and numbers in the analysis' language.
    let ui = super::ui();
    let m = |x: M| t(ui, x);
    let f = |x: M, v: &[(&str, &str)]| fill(t(ui, x), v);
    let base_kind = |b: analysis::BaseKind| {
        m(match b {
            analysis::BaseKind::Asked => M::BaseAsked,
            analysis::BaseKind::Answered => M::BaseAnswered,
            analysis::BaseKind::All => M::BaseAll,
        })
    };
    let (ks, total) = (k.to_string(), r.total.to_string());
    writeln!(out, "{}", f(M::AnalyzeHead, &[("n", &total), ("k", &ks)]))?;
    let weighted = r.weighting.is_some();
    if let Some(wt) = &r.weighting {
        writeln!(
            out,
            "{}",
            f(
                M::AnalyzeWeighted,
                &[
                    ("vars", &wt.vars.join(" × ")),
                    ("source", &wt.source),
                    ("neff", &num(wt.n_eff, lang)),
                    ("deff", &num2(wt.deff, lang)),
                    ("un", &wt.unclassified.to_string()),
                ]
            )
        )?;
    }
    writeln!(out)?;
    for st in &r.overall {
        let q = form.question(&st.question).expect("analysed");
        writeln!(out, "{} — {}", q.name, form.text(&q.label, lang))?;
        if st.suppressed {
            writeln!(
                out,
                "{}",
                f(
                    M::BaseHidden,
                    &[("kind", base_kind(st.base_kind)), ("k", &ks)]
                )
            )?;
            continue;
        }
        if st.base == 0 {
            writeln!(out, "{}", m(M::NobodyAnswered))?;
            continue;
        }
        writeln!(
            out,
            "{}",
            f(
                M::Base,
                &[
                    ("n", &st.base.to_string()),
                    ("kind", base_kind(st.base_kind))
                ]
            )
        )?;
        let wh = if weighted {
            format!(" {:>8}", m(M::Weighted))
        } else {
            String::new()
        };
        if !st.options.is_empty() {
            writeln!(
                out,
                "  {:<44} {:>6} {:>7} {:>15}{wh}",
                "",
                "n",
                "%",
                m(M::Ci95)
            )?;
        }
        for o in &st.options {
            if o.suppressed {
                writeln!(
                    out,
                    "  {:<44} {:>6} {:>7}",
                    trunc(&o.label, 44),
                    "—",
                    m(M::Hidden)
                )?;
            } else {
                let wv = if weighted {
                    format!(
                        " {:>8}",
                        o.weighted_pct.map(|p| pct(p, lang)).unwrap_or_default()
                    )
                } else {
                    String::new()
                };
                writeln!(
                    out,
                    "  {:<44} {:>6} {:>7} {:>15}{wv}",
                    trunc(&o.label, 44),
                    o.n,
                    pct(o.pct, lang),
                    ci(o.ci, lang)
                )?;
            }
        }
        if let Some(s) = &st.scale {
            writeln!(
                out,
                "{}",
                f(
                    M::RatingLine,
                    &[
                        ("mean", &num2(s.mean, lang)),
                        ("m01", &num2(s.mean01, lang)),
                        ("n", &s.n_scored.to_string()),
                        ("top2", &pct(s.top2, lang)),
                        ("dk", &s.n_unscored.to_string()),
                    ]
                )
            )?;
        }
        if let Some(n) = &st.numeric {
            writeln!(
                out,
                "{}",
                f(
                    M::NumberLine,
                    &[
                        ("n", &n.n.to_string()),
                        ("mean", &num2(n.mean, lang)),
                        ("median", &n.median.to_string()),
                        ("q1", &n.q1.to_string()),
                        ("q3", &n.q3.to_string()),
                    ]
                )
            )?;
        }
        writeln!(out)?;
    }
    if !r.areas.is_empty() {
        let w = if weighted { m(M::WeightedSuffix) } else { "" };
        writeln!(out, "{}", f(M::IndicesHead, &[("w", w)]))?;
        writeln!(
            out,
            "  {:<40} {:>7} {:>15} {:>6} {:>6} {:>6}  {}",
            m(M::ColArea),
            m(M::ColNeed),
            m(M::Ci95),
            m(M::ColAvail),
            m(M::ColQual),
            m(M::ColUnmet),
            m(M::ColPriority)
        )?;
        for x in &r.areas {
            let need = x.need.as_ref().filter(|n| !n.suppressed && n.base > 0);
            let rate = |r: &Option<analysis::Rating>| {
                r.as_ref().and_then(|r| {
                    if weighted {
                        r.weighted_mean01
                    } else {
                        r.mean01
                    }
                })
            };
            let f2 = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into());
            let (np, nci) = match need {
                Some(n) if weighted => (n.weighted_pct.unwrap_or(n.pct), n.weighted_ci),
                Some(n) => (n.pct, n.ci),
                None => (0.0, None),
            };
            writeln!(
                out,
                "  {:<40} {:>7} {:>15} {:>6} {:>6} {:>6}  {}",
                trunc(x.area.name(lang), 40),
                if need.is_some() {
                    pct(np, lang)
                } else {
                    "—".into()
                },
                ci(nci, lang),
                f2(rate(&x.availability)),
                f2(rate(&x.quality)),
                f2(if weighted { x.weighted_unmet } else { x.unmet }),
                m(match x.priority {
                    analysis::Priority::High => M::PrioHigh,
                    analysis::Priority::Medium => M::PrioMedium,
                    analysis::Priority::Low => M::PrioLow,
                    analysis::Priority::Insufficient => M::PrioInsufficient,
                })
            )?;
        }
        writeln!(out)?;
    }
    if !r.potential.is_empty() {
        writeln!(out, "{}", m(M::PotentialHead))?;
        for p in &r.potential {
            let label = form
                .question(&p.question)
                .map(|q| form.text(&q.label, lang))
                .unwrap_or("");
            let ready = match &p.ready {
                Some(i) if !i.suppressed && i.base > 0 => f(
                    M::Ready,
                    &[
                        ("pct", &pct(i.pct, lang)),
                        ("ci", &ci(i.ci, lang)),
                        ("n", &i.base.to_string()),
                    ],
                ),
                Some(_) => m(M::ReadyHidden).into(),
                None => String::new(),
            };
            writeln!(out, "  {} — {}  {ready}", p.question, trunc(label, 60))?;
        }
        writeln!(out)?;
    }
    for b in &r.breakdowns {
        writeln!(
            out,
            "{}",
            f(M::BreakdownBy, &[("var", &b.var), ("label", &b.label)])
        )?;
        let shown: Vec<String> = b
            .groups
            .iter()
            .filter(|g| !g.suppressed)
            .map(|g| format!("{} (n = {})", g.label, g.n))
            .collect();
        let list = if shown.is_empty() {
            m(M::NoneLargeEnough).to_string()
        } else {
            shown.join(", ")
        };
        writeln!(out, "{}", f(M::Groups, &[("list", &list)]))?;
        let left: Vec<String> = b
            .groups
            .iter()
            .filter(|g| g.suppressed && g.n > 0)
            .map(|g| g.label.clone())
            .collect();
        if !left.is_empty() {
            writeln!(
                out,
                "{}",
                f(M::LeftOut, &[("k", &ks), ("list", &left.join(", "))])
            )?;
        }
        if b.unknown > 0 {
            writeln!(
                out,
                "{}",
                f(
                    M::WithoutAnswer,
                    &[("var", &b.var), ("n", &b.unknown.to_string())]
                )
            )?;
        }
        group_table(&mut out, b, weighted, lang)?;
        let mut supported = Vec::new();
        let mut unreliable = 0;
        let mut total = 0;
        for (q, tests) in &b.tests {
            for t in tests {
                total += 1;
                if !t.reliable {
                    unreliable += 1;
                }
                if t.supported {
                    let what = match (&t.option, q.strip_prefix("need#")) {
                        (_, Some(area)) => f(M::NeedOf, &[("area", area)]),
                        (Some(o), None) => format!("{q} / {o}"),
                        (None, None) => q.clone(),
                    };
                    let p = if t.p < 0.0001 {
                        "< 0.0001".to_string()
                    } else {
                        format!("= {:.4}", t.p)
                    };
                    let p = if ui == Lang::Pl {
                        p.replace('.', ",")
                    } else {
                        p
                    };
                    let method = if t.method == analysis::TestMethod::FisherExact {
                        "Fisher"
                    } else {
                        "χ²"
                    };
                    supported.push((
                        t.p,
                        f(
                            M::TestLine,
                            &[
                                ("what", &format!("{what:<44}")),
                                ("p", &p),
                                ("method", method),
                                ("v", &num2(t.cramers_v, lang)),
                                ("n", &t.n.to_string()),
                            ],
                        ),
                    ));
                }
            }
        }
        supported.sort_by(|a, b| a.0.total_cmp(&b.0));
        writeln!(
            out,
            "{}",
            f(
                M::TestsSummary,
                &[
                    ("sig", &supported.len().to_string()),
                    ("all", &total.to_string()),
                    ("bad", &unreliable.to_string()),
                ]
            )
        )?;
        for (_, line) in supported.iter().take(15) {
            writeln!(out, "{line}")?;
        }
        if supported.len() > 15 {
            writeln!(
                out,
                "{}",
                f(M::TestsMore, &[("n", &(supported.len() - 15).to_string())])
            )?;
        }
        writeln!(out)?;
    }
    Ok(out)
}

/// Need per area and readiness per potential question, one column per shown group.
fn group_table(
    out: &mut String,
    b: &analysis::Breakdown,
    weighted: bool,
    lang: &str,
) -> Result<()> {
    let shown: Vec<usize> = (0..b.groups.len())
        .filter(|&i| !b.groups[i].suppressed)
        .collect();
    if shown.is_empty() {
        return Ok(());
    }
    let cell = |i: Option<&analysis::Index>| match i {
        Some(x) if x.suppressed => "—".to_string(),
        Some(x) if x.base == 0 => String::new(),
        Some(x) => pct(
            if weighted {
                x.weighted_pct.unwrap_or(x.pct)
            } else {
                x.pct
            },
            lang,
        ),
        None => String::new(),
    };
    let ui = super::ui();
    let weighted_pct = format!("{} %", t(ui, M::Weighted));
    write!(
        out,
        "  {:<36}",
        if weighted { weighted_pct.as_str() } else { "%" }
    )?;
    for &i in &shown {
        write!(out, " {:>10}", trunc(&b.groups[i].label, 10))?;
    }
    writeln!(out)?;
    for (area, per_group) in &b.areas {
        if per_group.iter().all(|x| x.need.is_none()) {
            continue;
        }
        write!(
            out,
            "  {:<36}",
            trunc(&fill(t(ui, M::NeedOf), &[("area", area.name(lang))]), 36)
        )?;
        for &i in &shown {
            write!(out, " {:>10}", cell(per_group[i].need.as_ref()))?;
        }
        writeln!(out)?;
    }
    for (q, per_group) in &b.potential {
        write!(
            out,
            "  {:<36}",
            trunc(&fill(t(ui, M::ReadyOf), &[("q", q)]), 36)
        )?;
        for &i in &shown {
            write!(out, " {:>10}", cell(per_group[i].ready.as_ref()))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn trunc(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
