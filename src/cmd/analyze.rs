//! `diagnoza analyze [--by VAR]... [--out FILE.csv|FILE.xlsx] [--indices FILE.csv]
//! [--tests FILE.csv] [--no-weights]`: frequency tables, indices and group differences in the
//! terminal, and the tidy tables for R, SPSS and Excel users.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::Outcome;
use crate::analysis::{self, Results, export};
use crate::diagnosis::{Diagnosis, Settings};
use crate::lang::Lang;
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
        "Questionnaire '{}' — {}",
        form.id,
        form.text(&form.title, lang)
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
        println!("Wrote the tidy results table to {}", out.display());
    }
    if let Some(p) = &a.indices {
        output::write(
            p,
            &export::indices_csv(&analysis::tidy_indices(form, r, lang))?,
        )?;
        println!("Wrote the indices table to {}", p.display());
    }
    if let Some(p) = &a.tests {
        output::write(p, &export::tests_csv(&export::test_rows(r))?)?;
        println!("Wrote the group tests to {}", p.display());
    }
    Ok(Outcome::Clean)
}

fn ci(c: Option<(f64, f64)>, lang: &str) -> String {
    c.map(|(l, h)| format!("{}–{}", pct(l, lang), pct(h, lang)))
        .unwrap_or_default()
}

/// The readable terminal output.
fn terminal(form: &Questionnaire, r: &Results, lang: &str) -> Result<String> {
    let mut out = String::new();
    let k = r.threshold;
    writeln!(
        out,
        "{} responses; cells under {k} are hidden; 95% Wilson intervals.",
        r.total
    )?;
    let weighted = r.weighting.is_some();
    if let Some(wt) = &r.weighting {
        writeln!(
            out,
            "Weighted to the population by {} ({}): effective sample size {:.1} (design effect \
             {:.2}); {} respondent(s) without a weighting answer keep weight 1.",
            wt.vars.join(" × "),
            wt.source,
            wt.n_eff,
            wt.deff,
            wt.unclassified
        )?;
    }
    writeln!(out)?;
    for st in &r.overall {
        let q = form.question(&st.question).expect("analysed");
        writeln!(out, "{} — {}", q.name, form.text(&q.label, lang))?;
        if st.suppressed {
            writeln!(
                out,
                "  base ({}): below {k}, table hidden\n",
                st.base_kind.code()
            )?;
            continue;
        }
        if st.base == 0 {
            writeln!(out, "  nobody answered\n")?;
            continue;
        }
        writeln!(out, "  base: n = {} ({})", st.base, st.base_kind.code())?;
        let wh = if weighted {
            format!(" {:>8}", "weighted")
        } else {
            String::new()
        };
        if !st.options.is_empty() {
            writeln!(
                out,
                "  {:<44} {:>6} {:>7} {:>15}{wh}",
                "", "n", "%", "95% CI"
            )?;
        }
        for o in &st.options {
            if o.suppressed {
                writeln!(
                    out,
                    "  {:<44} {:>6} {:>7}",
                    trunc(&o.label, 44),
                    "—",
                    "hidden"
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
                "  mean {:.2} (0–1: {:.2}; n = {}), top-2 {}, hard to say / not used: {}",
                s.mean,
                s.mean01,
                s.n_scored,
                pct(s.top2, lang),
                s.n_unscored
            )?;
        }
        if let Some(n) = &st.numeric {
            writeln!(
                out,
                "  n {} mean {:.2} median {} quartiles {}–{}",
                n.n, n.mean, n.median, n.q1, n.q3
            )?;
        }
        writeln!(out)?;
    }
    if !r.areas.is_empty() {
        writeln!(
            out,
            "Needs, availability and unmet need per area (overall{})",
            if weighted { ", weighted" } else { "" }
        )?;
        writeln!(
            out,
            "  {:<40} {:>7} {:>15} {:>6} {:>6} {:>6}  priority",
            "area", "need", "95% CI", "avail", "qual", "unmet"
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
                x.priority.code()
            )?;
        }
        writeln!(out)?;
    }
    if !r.potential.is_empty() {
        writeln!(out, "Local potential (share of those who answered)")?;
        for p in &r.potential {
            let label = form
                .question(&p.question)
                .map(|q| form.text(&q.label, lang))
                .unwrap_or("");
            let ready = match &p.ready {
                Some(i) if !i.suppressed && i.base > 0 => {
                    format!(
                        "ready {} ({}; n = {})",
                        pct(i.pct, lang),
                        ci(i.ci, lang),
                        i.base
                    )
                }
                Some(_) => "ready: hidden".into(),
                None => String::new(),
            };
            writeln!(out, "  {} — {}  {ready}", p.question, trunc(label, 60))?;
        }
        writeln!(out)?;
    }
    for b in &r.breakdowns {
        writeln!(out, "Breakdown by {} — {}", b.var, b.label)?;
        let shown: Vec<String> = b
            .groups
            .iter()
            .filter(|g| !g.suppressed)
            .map(|g| format!("{} (n = {})", g.label, g.n))
            .collect();
        writeln!(
            out,
            "  groups: {}",
            if shown.is_empty() {
                "none large enough".into()
            } else {
                shown.join(", ")
            }
        )?;
        let left: Vec<String> = b
            .groups
            .iter()
            .filter(|g| g.suppressed && g.n > 0)
            .map(|g| g.label.clone())
            .collect();
        if !left.is_empty() {
            writeln!(
                out,
                "  left out (fewer than {k} respondents): {}",
                left.join(", ")
            )?;
        }
        if b.unknown > 0 {
            writeln!(out, "  without an answer to {}: {}", b.var, b.unknown)?;
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
                        (_, Some(area)) => format!("need: {area}"),
                        (Some(o), None) => format!("{q} / {o}"),
                        (None, None) => q.clone(),
                    };
                    let p = if t.p < 0.0001 {
                        "< 0.0001".to_string()
                    } else {
                        format!("= {:.4}", t.p)
                    };
                    supported.push((
                        t.p,
                        format!(
                            "    {what:<44} p {p} ({}), Cramér's V = {:.2}, n = {}",
                            if t.method == analysis::TestMethod::FisherExact {
                                "Fisher"
                            } else {
                                "χ²"
                            },
                            t.cramers_v,
                            t.n
                        ),
                    ));
                }
            }
        }
        supported.sort_by(|a, b| a.0.total_cmp(&b.0));
        writeln!(
            out,
            "  differences between groups (p < 0.05, reliable; exploratory): {} of {} tests; {} \
             test(s) unreliable (small expected counts)",
            supported.len(),
            total,
            unreliable
        )?;
        for (_, line) in supported.iter().take(15) {
            writeln!(out, "{line}")?;
        }
        if supported.len() > 15 {
            writeln!(
                out,
                "    … {} more in --tests / the xlsx tests sheet",
                supported.len() - 15
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
    write!(out, "  {:<36}", if weighted { "weighted %" } else { "%" })?;
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
            trunc(&format!("need: {}", area.name(lang)), 36)
        )?;
        for &i in &shown {
            write!(out, " {:>10}", cell(per_group[i].need.as_ref()))?;
        }
        writeln!(out)?;
    }
    for (q, per_group) in &b.potential {
        write!(out, "  {:<36}", trunc(&format!("ready: {q}"), 36))?;
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
