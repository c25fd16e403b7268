//! The analysis: from stored responses to [`Results`] — frequencies with stated bases and Wilson
//! intervals for every closed question, overall and per grouping variable, Likert means, numeric
//! summaries, and the need index per statutory area and group; small cells suppressed here, once,
//! so that no renderer can skip it. The stored answers are decoded into compact columns
//! (`coded`), counted in one pass per question into the overall total and every group at once
//! (`tally`, with polars for medians and quartiles), and the statistics are built from those sums.
//! It reads the store only through `store`'s API; it does not read input files or render anything.

pub mod bench;
pub mod coded;
pub mod export;
#[cfg(test)]
mod oracle;
pub mod stats;
mod tally;
pub mod weights;

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::response::Response;
use crate::template::{Area, Kind, Question, Questionnaire, Role};

/// Which respondents a percentage is computed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BaseKind {
    /// Everyone to whom skip logic put the question (answered or not).
    Asked,
    /// Those who gave an answer.
    Answered,
    /// All respondents.
    All,
}

impl BaseKind {
    pub fn code(self) -> &'static str {
        match self {
            BaseKind::Asked => "asked",
            BaseKind::Answered => "answered",
            BaseKind::All => "all",
        }
    }
}

/// One line of a frequency table.
#[derive(Debug, Clone, Serialize)]
pub struct OptionStat {
    /// Choice code; `_not_answered` for the missing line.
    pub code: String,
    pub label: String,
    pub n: u64,
    pub pct: f64,
    pub ci: Option<(f64, f64)>,
    /// Share of all answers given (multiple choice only).
    pub pct_of_answers: Option<f64>,
    /// Weighted share (post-stratification on), over the weighted base.
    pub weighted_pct: Option<f64>,
    /// Wilson interval of the weighted share from the Kish effective base.
    pub weighted_ci: Option<(f64, f64)>,
    /// Suppressed: n and shares must not be shown.
    pub suppressed: bool,
}

/// Summary of a numeric question.
#[derive(Debug, Clone, Serialize)]
pub struct NumStats {
    pub n: u64,
    pub mean: f64,
    pub median: f64,
    pub q1: f64,
    pub q3: f64,
    /// Weighted mean (median and quartiles stay unweighted).
    pub weighted_mean: Option<f64>,
}

/// Summary of a rating scale (scored choices).
#[derive(Debug, Clone, Serialize)]
pub struct Scale {
    /// Answers with a score.
    pub n_scored: u64,
    /// "trudno powiedzieć" / "nie korzystam": answered, no score.
    pub n_unscored: u64,
    pub mean: f64,
    /// Mean rescaled to 0–1 between the lowest and highest score.
    pub mean01: f64,
    /// Share of the two highest scores among scored answers.
    pub top2: f64,
    pub weighted_mean: Option<f64>,
    pub weighted_mean01: Option<f64>,
}

/// One closed or numeric question in one group of respondents.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionStat {
    pub question: String,
    pub kind: Kind,
    /// Respondents in the group.
    pub all: u64,
    pub asked: u64,
    pub answered: u64,
    pub base_kind: BaseKind,
    pub base: u64,
    pub options: Vec<OptionStat>,
    pub scale: Option<Scale>,
    pub numeric: Option<NumStats>,
    /// The whole table is hidden: the base is below the threshold.
    pub suppressed: bool,
    /// Sum of the weights over the base (weighting on).
    pub weighted_base: Option<f64>,
    /// Kish effective size of the base: (Σw)² / Σw² (weighting on).
    pub n_eff: Option<f64>,
}

/// A value of a grouping variable.
#[derive(Debug, Clone, Serialize)]
pub struct GroupValue {
    pub code: String,
    pub label: String,
    pub n: u64,
    /// Fewer respondents than the threshold: left out of every breakdown.
    pub suppressed: bool,
}

/// All questions broken down by one grouping variable.
#[derive(Debug, Clone, Serialize)]
pub struct Breakdown {
    pub var: String,
    pub label: String,
    pub groups: Vec<GroupValue>,
    /// Respondents who did not answer the grouping question.
    pub unknown: u64,
    /// question → one stat per group (same order as `groups`).
    pub questions: BTreeMap<String, Vec<QuestionStat>>,
    /// area → one need index per group.
    pub needs: BTreeMap<Area, Vec<Index>>,
    /// Tests of a difference between the (shown) groups: question name → one test for a
    /// single-choice question, one per option for a multiple-choice question; `need#<area>` →
    /// the test of the need index. Exploratory: no correction for multiple testing.
    pub tests: BTreeMap<String, Vec<GroupTest>>,
    /// area → indices per group (same order as `groups`).
    pub areas: BTreeMap<Area, Vec<AreaIndex>>,
    /// potential question → readiness per group.
    pub potential: BTreeMap<String, Vec<Potential>>,
}

/// Which test produced a p-value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TestMethod {
    /// Pearson's chi-square test of independence.
    ChiSquare,
    /// Fisher's exact test (two-sided), used for 2×2 tables whose expected counts are too small.
    FisherExact,
}

/// A test of whether the answers differ between the groups of a breakdown, on the unweighted
/// counts of respondents who answered (rows: groups shown in the breakdown; columns: options, or
/// chosen / not chosen for one option of a multiple-choice question).
#[derive(Debug, Clone, Serialize)]
pub struct GroupTest {
    /// The option tested against the rest (multiple choice and need indices); None for a whole
    /// single-choice question.
    pub option: Option<String>,
    pub method: TestMethod,
    /// Respondents in the table.
    pub n: u64,
    /// Rows × columns after dropping empty ones.
    pub rows: usize,
    pub cols: usize,
    pub chi2: f64,
    pub df: u32,
    /// p-value of the chi-square test.
    pub p_chi2: f64,
    /// Fisher's exact p-value (2×2 tables only).
    pub p_fisher: Option<f64>,
    /// The p-value to report: Fisher's for a 2×2 table with small expected counts, else chi-square.
    pub p: f64,
    /// Cramér's V (effect size, 0–1).
    pub cramers_v: f64,
    pub min_expected: f64,
    /// Share of cells with an expected count below 5.
    pub share_expected_below_5: f64,
    /// False when the chi-square approximation cannot be trusted (any expected count below 1 or
    /// more than 20% below 5) and no exact test replaced it.
    pub reliable: bool,
    /// p < 0.05 and reliable: a difference the report may state.
    pub supported: bool,
}

/// Significance level for `GroupTest::supported`.
pub const ALPHA: f64 = 0.05;

/// Test a groups × categories table of counts. None when there is nothing to test (fewer than
/// two non-empty rows or columns).
pub fn group_test(table: &[Vec<u64>], option: Option<String>) -> Option<GroupTest> {
    let f: Vec<Vec<f64>> = table
        .iter()
        .map(|r| r.iter().map(|&x| x as f64).collect())
        .collect();
    let c = stats::chi_square(&f)?;
    // Fisher's test on the 2×2 table: needed when the chi-square is unreliable; also given for
    // tables up to 10,000 respondents (beyond that its sum over all tables is costly and the
    // chi-square is as good).
    let p_fisher = if c.rows == 2 && c.cols == 2 && (!c.reliable || c.n <= 10_000.0) {
        let ncols = table.iter().map(Vec::len).max().unwrap_or(0);
        let keep: Vec<usize> = (0..ncols)
            .filter(|&j| {
                table
                    .iter()
                    .map(|r| r.get(j).copied().unwrap_or(0))
                    .sum::<u64>()
                    > 0
            })
            .collect();
        let rows: Vec<Vec<u64>> = table
            .iter()
            .map(|r| {
                keep.iter()
                    .map(|&j| r.get(j).copied().unwrap_or(0))
                    .collect::<Vec<u64>>()
            })
            .filter(|r| r.iter().sum::<u64>() > 0)
            .collect();
        stats::fisher_exact(rows[0][0], rows[0][1], rows[1][0], rows[1][1])
    } else {
        None
    };
    let (method, p, reliable) = match p_fisher {
        Some(pf) if !c.reliable => (TestMethod::FisherExact, pf, true),
        _ => (TestMethod::ChiSquare, c.p, c.reliable),
    };
    Some(GroupTest {
        option,
        method,
        n: c.n as u64,
        rows: c.rows,
        cols: c.cols,
        chi2: c.statistic,
        df: c.df,
        p_chi2: c.p,
        p_fisher,
        p,
        cramers_v: c.cramers_v,
        min_expected: c.min_expected,
        share_expected_below_5: c.share_expected_below_5,
        reliable,
        supported: reliable && p < ALPHA,
    })
}

/// The tests of one breakdown, from the per-group statistics of the groups that are shown.
fn breakdown_tests(
    form: &Questionnaire,
    var: &str,
    groups: &[GroupValue],
    questions: &BTreeMap<String, Vec<QuestionStat>>,
    needs: &BTreeMap<Area, Vec<Index>>,
) -> BTreeMap<String, Vec<GroupTest>> {
    let shown: Vec<usize> = (0..groups.len())
        .filter(|&i| !groups[i].suppressed)
        .collect();
    let mut out = BTreeMap::new();
    for (name, per_group) in questions {
        let Some(q) = form.question(name) else {
            continue;
        };
        if name == var || !q.kind.is_select() {
            continue;
        }
        let opts: Vec<usize> = per_group
            .first()
            .map(|st| {
                (0..st.options.len())
                    .filter(|&j| st.options[j].code != "_not_answered")
                    .collect()
            })
            .unwrap_or_default();
        let mut tests = Vec::new();
        if q.kind == Kind::SelectOne {
            let table: Vec<Vec<u64>> = shown
                .iter()
                .map(|&i| opts.iter().map(|&j| per_group[i].options[j].n).collect())
                .collect();
            tests.extend(group_test(&table, None));
        } else {
            for &j in &opts {
                let table: Vec<Vec<u64>> = shown
                    .iter()
                    .map(|&i| {
                        let st = &per_group[i];
                        let x = st.options[j].n;
                        vec![x, st.answered.saturating_sub(x)]
                    })
                    .collect();
                tests.extend(group_test(
                    &table,
                    Some(per_group[0].options[j].code.clone()),
                ));
            }
        }
        if !tests.is_empty() {
            out.insert(name.clone(), tests);
        }
    }
    for (area, per_group) in needs {
        let table: Vec<Vec<u64>> = shown
            .iter()
            .map(|&i| {
                vec![
                    per_group[i].n,
                    per_group[i].base.saturating_sub(per_group[i].n),
                ]
            })
            .collect();
        if let Some(t) = group_test(&table, Some(area.code().to_string())) {
            out.insert(format!("need#{}", area.code()), vec![t]);
        }
    }
    out
}

/// A share of respondents with a Wilson interval (need index and the like).
#[derive(Debug, Clone, Serialize)]
pub struct Index {
    pub n: u64,
    pub base: u64,
    pub pct: f64,
    pub ci: Option<(f64, f64)>,
    pub suppressed: bool,
    /// Weighted share, its Wilson interval from the effective base, and that base (weighting on).
    pub weighted_pct: Option<f64>,
    pub weighted_ci: Option<(f64, f64)>,
    pub n_eff: Option<f64>,
}

/// Analyses run in this process (`analyse_coded` calls).
static ANALYSES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many analyses this process ran: `diagnoza report` runs one (shown with
/// `DIAGNOZA_DEBUG_COUNTS=1`, checked by the integration tests).
pub fn analyses_run() -> usize {
    ANALYSES.load(std::sync::atomic::Ordering::Relaxed)
}

/// Everything the renderers may show. Nothing in here identifies a respondent.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub form_id: String,
    pub total: u64,
    pub threshold: u32,
    pub per_channel: Vec<(String, u64)>,
    /// Overall statistics for every closed and numeric question, in questionnaire order.
    pub overall: Vec<QuestionStat>,
    /// Need index per area, overall (areas named by at least one need choice).
    pub needs: BTreeMap<Area, Index>,
    /// Mean availability rating (0–1) per area, overall.
    pub availability: BTreeMap<Area, Scale>,
    pub breakdowns: Vec<Breakdown>,
    /// Need, availability, quality and unmet need per area, overall (areas with a need question
    /// or a rating), in the act's order.
    pub areas: Vec<AreaIndex>,
    /// Local potential: one entry per `role = potential` single-choice question, overall.
    pub potential: Vec<Potential>,
    /// Post-stratification used (None: unweighted analysis).
    pub weighting: Option<weights::Weighting>,
}

/// Mean of the scored answers of the `availability` (or `quality`) questions of an area, rescaled
/// to 0–1 between each scale's lowest and highest score; unscored answers ("trudno powiedzieć",
/// "nie korzystam") are left out of the mean and counted.
#[derive(Debug, Clone, Serialize)]
pub struct Rating {
    pub n_scored: u64,
    pub n_unscored: u64,
    /// None when nobody gave a scored answer or the rating is suppressed.
    pub mean01: Option<f64>,
    /// Fewer scored answers than the threshold: no mean shown.
    pub suppressed: bool,
    pub weighted_mean01: Option<f64>,
}

/// Priority class of an area's unmet need (formula in the README, "Indices").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// The need is confidently at or above the threshold (its Wilson lower bound is) and
    /// availability is low (< 0.5).
    High,
    /// The need's point estimate reaches the threshold and availability is low, or the need is
    /// confidently high while availability is not low.
    Medium,
    Low,
    /// The need or the availability is missing or suppressed: no class.
    Insufficient,
}

impl Priority {
    pub fn code(self) -> &'static str {
        match self {
            Priority::High => "high",
            Priority::Medium => "medium",
            Priority::Low => "low",
            Priority::Insufficient => "insufficient_data",
        }
    }
}

/// Need share at or above which an area counts as needed (for the priority class).
pub const NEED_THRESHOLD: f64 = 0.20;
/// Availability (0–1) below which it counts as low.
pub const LOW_AVAILABILITY: f64 = 0.5;

/// The indices of one statutory area in one group (or overall).
#[derive(Debug, Clone, Serialize)]
pub struct AreaIndex {
    pub area: Area,
    /// Share naming at least one service of the area as needed; None without need questions.
    pub need: Option<Index>,
    pub availability: Option<Rating>,
    pub quality: Option<Rating>,
    /// need × (1 − availability): the share of respondents whose need meets poor availability
    /// (under independence); None unless both are shown.
    pub unmet: Option<f64>,
    pub weighted_unmet: Option<f64>,
    /// From the weighted need (interval from the effective base) and weighted availability when
    /// weighting is on, else from the unweighted figures.
    pub priority: Priority,
}

/// Readiness shares of one `role = potential` single-choice question.
#[derive(Debug, Clone, Serialize)]
pub struct Potential {
    pub question: String,
    /// Share of each option among those who answered, in list order.
    pub options: Vec<(String, Index)>,
    /// "tak" + "może" (or "tak" alone when the list has no "może") among those who answered;
    /// None when the list has no "tak".
    pub ready: Option<Index>,
}

/// Column names in the indicator frame.
fn ind(q: &str, code: &str) -> String {
    format!("{q}/{code}")
}
fn asked_col(q: &str) -> String {
    format!("{q}#asked")
}
fn answered_col(q: &str) -> String {
    format!("{q}#answered")
}
fn score_col(q: &str) -> String {
    format!("{q}#score")
}
fn num_col(q: &str) -> String {
    format!("{q}#num")
}
fn need_col(a: Area) -> String {
    format!("need#{}", a.code())
}

/// Closed and numeric questions that get a table.
pub fn analysed(form: &Questionnaire) -> impl Iterator<Item = &Question> {
    form.questions
        .iter()
        .filter(|q| q.kind.is_select() || q.kind.is_numeric())
}

/// Areas that a need question can name, in the act's order.
pub fn need_areas(form: &Questionnaire) -> Vec<Area> {
    let mut set = std::collections::BTreeSet::new();
    for q in form.questions.iter().filter(|q| q.role == Some(Role::Need)) {
        if let Some(a) = q.area {
            set.insert(a);
        }
        if let Some(l) = form.list_of(q) {
            set.extend(l.choices.iter().filter_map(|c| c.area));
        }
    }
    Area::all().filter(|a| set.contains(a)).collect()
}

/// Weighted share `num / base` with its Wilson interval from the Kish effective base
/// `base² / base2`; all None when the weighted base is zero.
fn wshare(num: f64, base: f64, base2: f64) -> (Option<f64>, Option<(f64, f64)>, Option<f64>) {
    if base <= 0.0 || base2 <= 0.0 || !num.is_finite() {
        return (None, None, None);
    }
    let p = (num / base).clamp(0.0, 1.0);
    let n_eff = base * base / base2;
    (
        Some(p),
        stats::wilson(p * n_eff, n_eff, stats::Z95),
        Some(n_eff),
    )
}

/// Weighted mean of a score or number column: Σ w·x / Σ w over answers with a value.
fn wmean(agg: &Agg, c: &str) -> Option<f64> {
    let num = agg.get(&format!("{c}@wsum"))?;
    let den = agg.get(&format!("{c}@wn"))?;
    (*den > 0.0).then(|| num / den)
}

/// Aggregated values of one group: name → value.
type Agg = HashMap<String, f64>;

/// The groups of one grouping variable (None: no answer) with their aggregates.
type GroupAggs = Vec<(Option<String>, Agg)>;

/// Means from the sums: `@mean` = `@ssum` / `@n` where `@n` > 0.
fn add_means(agg: &mut Agg) {
    let means: Vec<(String, f64)> = agg
        .iter()
        .filter_map(|(k, v)| {
            let base = k.strip_suffix("@ssum")?;
            let n = agg.get(&format!("{base}@n")).copied().unwrap_or(0.0);
            (n > 0.0).then(|| (format!("{base}@mean"), v / n))
        })
        .collect();
    agg.extend(means);
}

/// Statistics of one question from one group's aggregates.
fn question_stat(
    form: &Questionnaire,
    q: &Question,
    agg: &Agg,
    k: u32,
    lang: &str,
) -> QuestionStat {
    let get = |s: &str| agg.get(s).copied().unwrap_or(0.0);
    let all = get("#n") as u64;
    let asked = get(&format!("{}@sum", asked_col(&q.name))) as u64;
    let answered = get(&format!("{}@sum", answered_col(&q.name))) as u64;
    let k = u64::from(k);
    let (base_kind, base) = match q.kind {
        Kind::SelectOne => (BaseKind::Asked, asked),
        _ => (BaseKind::Answered, answered),
    };
    let share = |n: u64, b: u64| if b == 0 { 0.0 } else { n as f64 / b as f64 };
    let base_col = match base_kind {
        BaseKind::Asked => asked_col(&q.name),
        _ => answered_col(&q.name),
    };
    let wbase = agg.get(&format!("{base_col}@wsum")).copied();
    let wbase2 = agg
        .get(&format!("{base_col}@w2sum"))
        .copied()
        .unwrap_or(0.0);
    // Weighted share of an option from its weighted count.
    let wopt = |wnum: f64| match wbase {
        Some(b) => {
            let (p, ci, _) = wshare(wnum, b, wbase2);
            (p, ci)
        }
        None => (None, None),
    };
    let mut options = Vec::new();
    if let Some(list) = form.list_of(q) {
        let counts: Vec<u64> = list
            .choices
            .iter()
            .map(|c| get(&format!("{}@sum", ind(&q.name, &c.name))) as u64)
            .collect();
        let mentions: u64 = counts.iter().sum();
        for (c, &n) in list.choices.iter().zip(&counts) {
            options.push(OptionStat {
                code: c.name.clone(),
                label: form.text(&c.label, lang).to_string(),
                n,
                pct: share(n, base),
                ci: stats::wilson(n as f64, base as f64, stats::Z95),
                pct_of_answers: (q.kind == Kind::SelectMultiple).then(|| share(n, mentions)),
                suppressed: false,
                weighted_pct: wopt(get(&format!("{}@wsum", ind(&q.name, &c.name)))).0,
                weighted_ci: wopt(get(&format!("{}@wsum", ind(&q.name, &c.name)))).1,
            });
        }
        if q.kind == Kind::SelectOne {
            let n = asked.saturating_sub(answered);
            options.push(OptionStat {
                code: "_not_answered".into(),
                label: if lang == "pl" {
                    "brak odpowiedzi"
                } else {
                    "no answer"
                }
                .into(),
                n,
                pct: share(n, base),
                ci: stats::wilson(n as f64, base as f64, stats::Z95),
                pct_of_answers: None,
                suppressed: false,
                weighted_pct: wbase.and_then(|_| {
                    wopt(
                        get(&format!("{}@wsum", asked_col(&q.name)))
                            - get(&format!("{}@wsum", answered_col(&q.name))),
                    )
                    .0
                }),
                weighted_ci: wbase.and_then(|_| {
                    wopt(
                        get(&format!("{}@wsum", asked_col(&q.name)))
                            - get(&format!("{}@wsum", answered_col(&q.name))),
                    )
                    .1
                }),
            });
        }
    }
    let scale = form
        .list_of(q)
        .filter(|l| l.is_scored() && q.kind == Kind::SelectOne)
        .and_then(|l| {
            let (lo, hi) = l.score_range()?;
            let n_scored = get(&format!("{}@n", score_col(&q.name))) as u64;
            let mean = agg.get(&format!("{}@mean", score_col(&q.name))).copied()?;
            let mut scores: Vec<f64> = l.choices.iter().filter_map(|c| c.score).collect();
            scores.sort_by(|a, b| b.total_cmp(a));
            scores.dedup();
            let top: Vec<f64> = scores.into_iter().take(2).collect();
            let top_n: u64 = l
                .choices
                .iter()
                .filter(|c| c.score.is_some_and(|s| top.contains(&s)))
                .map(|c| get(&format!("{}@sum", ind(&q.name, &c.name))) as u64)
                .sum();
            Some(Scale {
                n_scored,
                n_unscored: answered.saturating_sub(n_scored),
                mean,
                mean01: if hi > lo {
                    (mean - lo) / (hi - lo)
                } else {
                    0.0
                },
                top2: share(top_n, n_scored),
                weighted_mean: wmean(agg, &score_col(&q.name)),
                weighted_mean01: wmean(agg, &score_col(&q.name))
                    .map(|m| if hi > lo { (m - lo) / (hi - lo) } else { 0.0 }),
            })
        });
    let numeric = q.kind.is_numeric().then(|| {
        let c = num_col(&q.name);
        let g = |s: &str| agg.get(&format!("{c}@{s}")).copied();
        Some(NumStats {
            n: g("n")? as u64,
            mean: g("mean")?,
            median: g("median")?,
            q1: g("q1")?,
            q3: g("q3")?,
            weighted_mean: wmean(agg, &c),
        })
    });
    let mut st = QuestionStat {
        question: q.name.clone(),
        kind: q.kind,
        all,
        asked,
        answered,
        base_kind,
        base,
        options,
        scale,
        numeric: numeric.flatten(),
        suppressed: false,
        weighted_base: wbase,
        n_eff: wbase
            .filter(|b| *b > 0.0 && wbase2 > 0.0)
            .map(|b| b * b / wbase2),
    };
    suppress(&mut st, k);
    st
}

/// Small-cell suppression: a base below `k` hides the whole table; a count from 1 to k−1 hides
/// the cell; when a single-choice table would hide exactly one cell, the next smallest is hidden
/// too, so that the hidden one cannot be worked out from the base.
pub fn suppress(st: &mut QuestionStat, k: u64) {
    if st.base < k {
        st.suppressed = true;
        for o in &mut st.options {
            o.suppressed = true;
        }
        st.scale = None;
        st.numeric = None;
        return;
    }
    for o in &mut st.options {
        o.suppressed = o.n > 0 && o.n < k;
    }
    if st.kind == Kind::SelectOne && st.options.iter().filter(|o| o.suppressed).count() == 1 {
        if let Some(o) = st
            .options
            .iter_mut()
            .filter(|o| !o.suppressed && o.n > 0)
            .min_by_key(|o| o.n)
        {
            o.suppressed = true;
        }
    }
    if st.scale.as_ref().is_some_and(|s| s.n_scored < k) {
        st.scale = None;
    }
    if st.numeric.as_ref().is_some_and(|s| s.n < k) {
        st.numeric = None;
    }
}

fn need_index(agg: &Agg, area: Area, k: u32) -> Index {
    let c = need_col(area);
    let n = agg.get(&format!("{c}@sum")).copied().unwrap_or(0.0) as u64;
    let base = agg.get(&format!("{c}@n")).copied().unwrap_or(0.0) as u64;
    let (wp, wci, n_eff) = match (agg.get(&format!("{c}@wsum")), agg.get(&format!("{c}@wn"))) {
        (Some(&num), Some(&wb)) => wshare(
            num,
            wb,
            agg.get(&format!("{c}@w2n")).copied().unwrap_or(0.0),
        ),
        _ => (None, None, None),
    };
    Index {
        weighted_pct: wp,
        weighted_ci: wci,
        n_eff,
        ..share_index(n, base, k)
    }
}

/// Pooled 0–1 rating of the questions with `role` and `area` from one group's aggregates.
fn rating(form: &Questionnaire, agg: &Agg, role: Role, area: Area, k: u32) -> Option<Rating> {
    let mut n_scored = 0u64;
    let mut answered = 0u64;
    let mut sum01 = 0.0;
    let (mut wsum01, mut wden) = (0.0, 0.0);
    let mut any = false;
    for q in form
        .questions
        .iter()
        .filter(|q| q.role == Some(role) && q.area == Some(area))
    {
        let Some((lo, hi)) = form
            .list_of(q)
            .filter(|l| l.is_scored())
            .and_then(|l| l.score_range())
        else {
            continue;
        };
        if q.kind != Kind::SelectOne {
            continue;
        }
        any = true;
        let n = agg
            .get(&format!("{}@n", score_col(&q.name)))
            .copied()
            .unwrap_or(0.0);
        answered += agg
            .get(&format!("{}@sum", answered_col(&q.name)))
            .copied()
            .unwrap_or(0.0) as u64;
        n_scored += n as u64;
        if let Some(m) = agg.get(&format!("{}@mean", score_col(&q.name))) {
            if n > 0.0 && hi > lo {
                sum01 += n * (m - lo) / (hi - lo);
            }
        }
        let wn = agg
            .get(&format!("{}@wn", score_col(&q.name)))
            .copied()
            .unwrap_or(0.0);
        if let (Some(m), true) = (wmean(agg, &score_col(&q.name)), wn > 0.0 && hi > lo) {
            wsum01 += wn * (m - lo) / (hi - lo);
            wden += wn;
        }
    }
    if !any {
        return None;
    }
    let suppressed = n_scored < u64::from(k);
    Some(Rating {
        n_scored,
        n_unscored: answered.saturating_sub(n_scored),
        mean01: (!suppressed && n_scored > 0).then(|| sum01 / n_scored as f64),
        suppressed,
        weighted_mean01: (!suppressed && wden > 0.0).then(|| wsum01 / wden),
    })
}

/// The priority class from a need index and an availability rating.
pub fn priority(need: Option<&Index>, availability: Option<&Rating>) -> Priority {
    let (Some(n), Some(a)) = (need, availability) else {
        return Priority::Insufficient;
    };
    let (Some(avail), false) = (a.mean01, n.suppressed || n.base == 0) else {
        return Priority::Insufficient;
    };
    class(n.pct, n.ci.map(|c| c.0), avail)
}

/// The priority class of a need share (`pct`, its Wilson lower bound `ci_low`) met by an
/// availability rating (0–1): the one rule behind `analyze --indices`, the report's stage IV
/// and the programme's priority tiers.
pub fn class(pct: f64, ci_low: Option<f64>, avail: f64) -> Priority {
    let confident = ci_low.is_some_and(|c| c >= NEED_THRESHOLD);
    let likely = pct >= NEED_THRESHOLD;
    let low = avail < LOW_AVAILABILITY;
    if confident && low {
        Priority::High
    } else if (likely && low) || confident {
        Priority::Medium
    } else {
        Priority::Low
    }
}

/// Areas that get an index: named by a need question or rated by an availability/quality one.
fn index_areas(form: &Questionnaire) -> Vec<Area> {
    let mut set: std::collections::BTreeSet<Area> = need_areas(form).into_iter().collect();
    for q in &form.questions {
        if matches!(q.role, Some(Role::Availability | Role::Quality)) {
            set.extend(q.area);
        }
    }
    Area::all().filter(|a| set.contains(a)).collect()
}

fn area_index(form: &Questionnaire, agg: &Agg, area: Area, has_need: bool, k: u32) -> AreaIndex {
    let need = has_need.then(|| need_index(agg, area, k));
    let availability = rating(form, agg, Role::Availability, area, k);
    let quality = rating(form, agg, Role::Quality, area, k);
    let unmet = match (&need, &availability) {
        (
            Some(n),
            Some(Rating {
                mean01: Some(a), ..
            }),
        ) if !n.suppressed && n.base > 0 => Some(n.pct * (1.0 - a)),
        _ => None,
    };
    let weighted_unmet = match (&need, &availability) {
        (
            Some(n),
            Some(Rating {
                weighted_mean01: Some(a),
                ..
            }),
        ) if !n.suppressed => n.weighted_pct.map(|p| p * (1.0 - a)),
        _ => None,
    };
    // With weights, the class rests on the weighted need (interval from the effective base) and
    // the weighted availability.
    let priority = match (&need, &availability) {
        (Some(n), Some(a)) if n.weighted_pct.is_some() => {
            let wn = Index {
                pct: n.weighted_pct.unwrap_or(n.pct),
                ci: n.weighted_ci,
                ..n.clone()
            };
            let wa = Rating {
                mean01: a.weighted_mean01,
                ..a.clone()
            };
            priority(Some(&wn), Some(&wa))
        }
        _ => priority(need.as_ref(), availability.as_ref()),
    };
    AreaIndex {
        area,
        need,
        availability,
        quality,
        unmet,
        weighted_unmet,
        priority,
    }
}

/// A share among those who answered, as an [`Index`].
fn share_index(n: u64, base: u64, k: u32) -> Index {
    let k = u64::from(k);
    Index {
        n,
        base,
        pct: if base == 0 {
            0.0
        } else {
            n as f64 / base as f64
        },
        ci: stats::wilson(n as f64, base as f64, stats::Z95),
        // A share is one cell of a two-cell table (yes / not): hiding a small count is not
        // enough when the small count is the complement (base − n), as in 56 of 58.
        suppressed: base < k || (n > 0 && n < k) || (base > n && base - n < k),
        weighted_pct: None,
        weighted_ci: None,
        n_eff: None,
    }
}

/// Code of the "yes" and "maybe" options of a readiness list, if it has them.
fn yes_maybe(list: &crate::template::ChoiceList) -> (Option<&str>, Option<&str>) {
    let find = |names: &[&str]| {
        list.choices
            .iter()
            .map(|c| c.name.as_str())
            .find(|n| names.contains(&n.to_lowercase().as_str()))
    };
    (
        find(&["tak", "yes", "1"]),
        find(&["moze", "może", "maybe", "raczej_tak"]),
    )
}

/// Readiness from one potential question's statistics in one group.
fn potential_of(form: &Questionnaire, st: &QuestionStat, agg: &Agg, k: u32) -> Potential {
    let base = st.answered;
    let ans = answered_col(&st.question);
    let wbase = agg.get(&format!("{ans}@wsum")).copied();
    let wbase2 = agg.get(&format!("{ans}@w2sum")).copied().unwrap_or(0.0);
    let wnum = |codes: &[&str]| -> f64 {
        codes
            .iter()
            .map(|c| {
                agg.get(&format!("{}@wsum", ind(&st.question, c)))
                    .copied()
                    .unwrap_or(0.0)
            })
            .sum()
    };
    let with_weights = |mut i: Index, codes: &[&str]| -> Index {
        if let Some(b) = wbase {
            let (p, ci, n_eff) = wshare(wnum(codes), b, wbase2);
            (i.weighted_pct, i.weighted_ci, i.n_eff) = (p, ci, n_eff);
        }
        i
    };
    let options: Vec<(String, Index)> = st
        .options
        .iter()
        .filter(|o| o.code != "_not_answered")
        .map(|o| {
            (
                o.code.clone(),
                with_weights(share_index(o.n, base, k), &[o.code.as_str()]),
            )
        })
        .collect();
    let ready = form
        .question(&st.question)
        .and_then(|q| form.list_of(q))
        .and_then(|l| {
            let (yes, maybe) = yes_maybe(l);
            let yes = yes?;
            let codes: Vec<&str> = std::iter::once(yes).chain(maybe).collect();
            let n: u64 = st
                .options
                .iter()
                .filter(|o| codes.contains(&o.code.as_str()))
                .map(|o| o.n)
                .sum();
            Some(with_weights(share_index(n, base, k), &codes))
        });
    Potential {
        question: st.question.clone(),
        options,
        ready,
    }
}

fn is_potential(form: &Questionnaire, name: &str) -> bool {
    form.question(name)
        .is_some_and(|q| q.role == Some(Role::Potential) && q.kind == Kind::SelectOne)
}

/// Run the whole analysis of parsed responses, unweighted.
pub fn analyse(
    form: &Questionnaire,
    responses: &[Response],
    grouping: &[String],
    threshold: u32,
    lang: &str,
) -> Result<Results> {
    let coded = coded::Coded::from_responses(form, responses)?;
    analyse_coded(form, &coded, grouping, threshold, lang, None)
}

/// Run the whole analysis of parsed responses; see [`analyse_coded`].
pub fn analyse_weighted(
    form: &Questionnaire,
    responses: &[Response],
    grouping: &[String],
    threshold: u32,
    lang: &str,
    weighting: Option<weights::Weighting>,
) -> Result<Results> {
    let coded = coded::Coded::from_responses(form, responses)?;
    analyse_coded(form, &coded, grouping, threshold, lang, weighting)
}

/// Run the whole analysis; with `weighting`, every share also gets its weighted value and a
/// Wilson interval from the Kish effective base. Counts, suppression and tests stay unweighted.
pub fn analyse_coded(
    form: &Questionnaire,
    coded: &coded::Coded,
    grouping: &[String],
    threshold: u32,
    lang: &str,
    weighting: Option<weights::Weighting>,
) -> Result<Results> {
    ANALYSES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // The same variable twice (`--by wiek --by wiek`) is one breakdown.
    let mut unique: Vec<String> = Vec::new();
    for g in grouping {
        if !unique.contains(g) {
            unique.push(g.clone());
        }
    }
    let grouping = &unique[..];
    let (overall_agg, mut per_grouping) = tally::aggregates(
        form,
        coded,
        grouping,
        weighting.as_ref().map(|w| w.w.as_slice()),
    )?;
    let overall: Vec<QuestionStat> = analysed(form)
        .map(|q| question_stat(form, q, &overall_agg, threshold, lang))
        .collect();
    let areas = need_areas(form);
    let needs = areas
        .iter()
        .map(|&a| (a, need_index(&overall_agg, a, threshold)))
        .collect();
    let mut availability = BTreeMap::new();
    for st in &overall {
        let q = form.question(&st.question).expect("analysed question");
        if let (Some(Role::Availability), Some(area), Some(s)) = (q.role, q.area, &st.scale) {
            availability.entry(area).or_insert_with(|| s.clone());
        }
    }
    let iareas = index_areas(form);
    let overall_areas: Vec<AreaIndex> = iareas
        .iter()
        .map(|&a| area_index(form, &overall_agg, a, areas.contains(&a), threshold))
        .collect();
    let overall_potential: Vec<Potential> = overall
        .iter()
        .filter(|st| is_potential(form, &st.question))
        .map(|st| potential_of(form, st, &overall_agg, threshold))
        .collect();
    let per_channel = coded.per_channel.clone();
    let mut breakdowns = Vec::new();
    for (gi, g) in grouping.iter().enumerate() {
        let q = form
            .question(g)
            .with_context(|| format!("grouping variable '{g}' is not a question"))?;
        let rows = std::mem::take(&mut per_grouping[gi]);
        let mut groups = Vec::new();
        let mut unknown = 0;
        let mut by_code: BTreeMap<String, Agg> = BTreeMap::new();
        for (code, agg) in rows {
            match code {
                Some(c) => {
                    by_code.insert(c, agg);
                }
                None => unknown = agg.get("#n").copied().unwrap_or(0.0) as u64,
            }
        }
        // Groups in choice-list order, including those nobody chose.
        let list = form
            .list_of(q)
            .context("grouping variable without a choice list")?;
        let empty = Agg::new();
        let mut ordered: Vec<(&str, &Agg)> = Vec::new();
        for c in &list.choices {
            let agg = by_code.get(&c.name).unwrap_or(&empty);
            let n = agg.get("#n").copied().unwrap_or(0.0) as u64;
            groups.push(GroupValue {
                code: c.name.clone(),
                label: form.text(&c.label, lang).to_string(),
                n,
                suppressed: n < u64::from(threshold),
            });
            ordered.push((c.name.as_str(), agg));
        }
        let mut questions = BTreeMap::new();
        for aq in analysed(form) {
            let v = ordered
                .iter()
                .map(|(_, agg)| question_stat(form, aq, agg, threshold, lang))
                .collect();
            questions.insert(aq.name.clone(), v);
        }
        let mut gneeds = BTreeMap::new();
        for &a in &areas {
            gneeds.insert(
                a,
                ordered
                    .iter()
                    .map(|(_, agg)| need_index(agg, a, threshold))
                    .collect(),
            );
        }
        let tests = breakdown_tests(form, g, &groups, &questions, &gneeds);
        let mut gareas = BTreeMap::new();
        for &a in &iareas {
            let v = ordered
                .iter()
                .map(|(_, agg)| area_index(form, agg, a, areas.contains(&a), threshold))
                .collect();
            gareas.insert(a, v);
        }
        let mut gpotential = BTreeMap::new();
        for (name, per_group) in &questions {
            if is_potential(form, name) {
                gpotential.insert(
                    name.clone(),
                    per_group
                        .iter()
                        .zip(&ordered)
                        .map(|(st, (_, agg))| potential_of(form, st, agg, threshold))
                        .collect(),
                );
            }
        }
        breakdowns.push(Breakdown {
            var: g.clone(),
            label: form.text(&q.label, lang).to_string(),
            groups,
            unknown,
            questions,
            needs: gneeds,
            tests,
            areas: gareas,
            potential: gpotential,
        });
    }
    Ok(Results {
        form_id: form.id.clone(),
        total: coded.n as u64,
        threshold,
        per_channel: per_channel.into_iter().collect(),
        overall,
        needs,
        availability,
        breakdowns,
        areas: overall_areas,
        potential: overall_potential,
        weighting,
    })
}

/// One row of the tidy results table (README documents the columns).
#[derive(Debug, Clone, Serialize)]
pub struct TidyRow {
    pub question: String,
    pub question_label: String,
    pub option: String,
    pub option_label: String,
    pub group_var: String,
    pub group_value: String,
    pub n: Option<u64>,
    pub base: u64,
    pub base_kind: &'static str,
    pub pct: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub weighted_pct: Option<f64>,
    pub suppressed: bool,
}

/// The long table: every option of every question, overall and per group. Suppressed cells
/// carry no count and no share.
pub fn tidy(form: &Questionnaire, r: &Results, lang: &str) -> Vec<TidyRow> {
    let mut out = Vec::new();
    let mut push = |st: &QuestionStat, gv: &str, gval: &str| {
        let q = form.question(&st.question).expect("analysed question");
        for o in &st.options {
            let hide = o.suppressed || st.suppressed;
            out.push(TidyRow {
                question: st.question.clone(),
                question_label: form.text(&q.label, lang).to_string(),
                option: o.code.clone(),
                option_label: o.label.clone(),
                group_var: gv.to_string(),
                group_value: gval.to_string(),
                n: (!hide).then_some(o.n),
                base: st.base,
                base_kind: st.base_kind.code(),
                pct: (!hide).then_some(o.pct),
                ci_low: if hide { None } else { o.ci.map(|c| c.0) },
                ci_high: if hide { None } else { o.ci.map(|c| c.1) },
                weighted_pct: if hide { None } else { o.weighted_pct },
                suppressed: hide,
            });
        }
    };
    for st in &r.overall {
        push(st, "", "");
    }
    for b in &r.breakdowns {
        for stats in b.questions.values() {
            for (g, st) in b.groups.iter().zip(stats) {
                if g.suppressed {
                    continue;
                }
                push(st, &b.var, &g.code);
            }
        }
    }
    out
}

/// One row of the tidy indices table (the README documents the columns).
#[derive(Debug, Clone, Serialize)]
pub struct IndexRow {
    /// need | availability | quality | unmet_need | potential_ready | potential_option
    pub index: &'static str,
    /// Area code (area indices) or empty.
    pub area: String,
    pub area_label: String,
    /// Question name (potential) or empty.
    pub question: String,
    pub option: String,
    pub group_var: String,
    pub group_value: String,
    /// Respondents counted (need: naming the area; ratings: scored answers; potential: choosing).
    pub n: Option<u64>,
    /// The base (need, potential: respondents who answered; ratings: answers incl. unscored).
    pub base: Option<u64>,
    /// Share (0–1) or rescaled mean (0–1).
    pub value: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub weighted_value: Option<f64>,
    /// Priority class (unmet_need rows only).
    pub priority: String,
    pub suppressed: bool,
}

impl IndexRow {
    fn blank(index: &'static str, gv: &str, gval: &str) -> IndexRow {
        IndexRow {
            index,
            area: String::new(),
            area_label: String::new(),
            question: String::new(),
            option: String::new(),
            group_var: gv.to_string(),
            group_value: gval.to_string(),
            n: None,
            base: None,
            value: None,
            ci_low: None,
            ci_high: None,
            weighted_value: None,
            priority: String::new(),
            suppressed: false,
        }
    }
    fn share(mut self, i: &Index) -> IndexRow {
        self.base = Some(i.base);
        self.suppressed = i.suppressed;
        if !i.suppressed && i.base > 0 {
            self.n = Some(i.n);
            self.value = Some(i.pct);
            self.ci_low = i.ci.map(|c| c.0);
            self.ci_high = i.ci.map(|c| c.1);
            self.weighted_value = i.weighted_pct;
        }
        self
    }
}

/// The long table of indices: per area need, availability, quality and unmet need; per potential
/// question the readiness and each option's share; overall and per shown group.
pub fn tidy_indices(form: &Questionnaire, r: &Results, lang: &str) -> Vec<IndexRow> {
    let mut out = Vec::new();
    let mut push_area = |x: &AreaIndex, gv: &str, gval: &str| {
        let named = |mut row: IndexRow| {
            row.area = x.area.code().to_string();
            row.area_label = x.area.name(lang).to_string();
            row
        };
        if let Some(n) = &x.need {
            out.push(named(IndexRow::blank("need", gv, gval)).share(n));
        }
        for (kind, rt) in [("availability", &x.availability), ("quality", &x.quality)] {
            if let Some(rt) = rt {
                let mut row = named(IndexRow::blank(kind, gv, gval));
                row.base = Some(rt.n_scored + rt.n_unscored);
                row.suppressed = rt.suppressed;
                if !rt.suppressed {
                    row.n = Some(rt.n_scored);
                    row.value = rt.mean01;
                    row.weighted_value = rt.weighted_mean01;
                }
                out.push(row);
            }
        }
        if x.need.is_some() {
            let mut row = named(IndexRow::blank("unmet_need", gv, gval));
            row.value = x.unmet;
            row.weighted_value = x.weighted_unmet;
            row.priority = x.priority.code().to_string();
            row.suppressed = x.unmet.is_none();
            out.push(row);
        }
    };
    for x in &r.areas {
        push_area(x, "", "");
    }
    for b in &r.breakdowns {
        for per_group in b.areas.values() {
            for (g, x) in b.groups.iter().zip(per_group) {
                if !g.suppressed {
                    push_area(x, &b.var, &g.code);
                }
            }
        }
    }
    let mut push_pot = |p: &Potential, gv: &str, gval: &str| {
        if let Some(ready) = &p.ready {
            let mut row = IndexRow::blank("potential_ready", gv, gval).share(ready);
            row.question = p.question.clone();
            out.push(row);
        }
        for (code, i) in &p.options {
            let mut row = IndexRow::blank("potential_option", gv, gval).share(i);
            row.question = p.question.clone();
            row.option = code.clone();
            out.push(row);
        }
    };
    for p in &r.potential {
        push_pot(p, "", "");
    }
    for b in &r.breakdowns {
        for per_group in b.potential.values() {
            for (g, p) in b.groups.iter().zip(per_group) {
                if !g.suppressed {
                    push_pot(p, &b.var, &g.code);
                }
            }
        }
    }
    let _ = form;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::{Answer, Channel, Missing, Provenance};
    use std::collections::BTreeSet;

    const FORM: &str = r#"
[settings]
form_id = "t"
[[survey]]
type = "select_one wiek"
name = "wiek"
label = "Wiek"
disaggregation = true
[[survey]]
type = "select_one ocena"
name = "dost"
label = "Dostępność"
role = "availability"
area = "zdrowie"
[[survey]]
type = "select_multiple uslugi"
name = "potrzeby"
label = "Potrzeby"
role = "need"
[[survey]]
type = "integer"
name = "osoby"
label = "Osoby"
[[choices]]
list_name = "wiek"
name = "mlodzi"
label = "18-59"
[[choices]]
list_name = "wiek"
name = "seniorzy"
label = "60+"
[[choices]]
list_name = "ocena"
name = "zle"
label = "Źle"
score = 1
[[choices]]
list_name = "ocena"
name = "dobrze"
label = "Dobrze"
score = 5
[[choices]]
list_name = "ocena"
name = "trudno"
label = "Trudno powiedzieć"
[[choices]]
list_name = "uslugi"
name = "opieka"
label = "Opieka"
area = "pomoc_spoleczna"
[[choices]]
list_name = "uslugi"
name = "rehab"
label = "Rehabilitacja"
area = "zdrowie"
[[choices]]
list_name = "uslugi"
name = "lekarz"
label = "Lekarz"
area = "zdrowie"
"#;

    fn resp(wiek: &str, dost: Option<&str>, potrzeby: &[&str], osoby: Option<f64>) -> Response {
        let mut a = BTreeMap::new();
        a.insert("wiek".into(), Answer::Choice(wiek.into()));
        a.insert(
            "dost".into(),
            dost.map(|d| Answer::Choice(d.into()))
                .unwrap_or(Answer::Missing(Missing::NotAnswered)),
        );
        a.insert(
            "potrzeby".into(),
            if potrzeby.is_empty() {
                Answer::Missing(Missing::NotAnswered)
            } else {
                Answer::Choices(
                    potrzeby
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<BTreeSet<_>>(),
                )
            },
        );
        a.insert(
            "osoby".into(),
            osoby
                .map(Answer::Number)
                .unwrap_or(Answer::Missing(Missing::NotAnswered)),
        );
        Response {
            provenance: Provenance {
                channel: Channel::Paper,
                file: "f".into(),
                row: 1,
                external_id: None,
            },
            answers: a,
            raw: BTreeMap::new(),
        }
    }

    /// Hand-worked: 10 respondents, 6 young and 4 seniors.
    fn sample() -> Vec<Response> {
        vec![
            resp("mlodzi", Some("dobrze"), &["opieka"], Some(1.0)),
            resp("mlodzi", Some("dobrze"), &["rehab", "lekarz"], Some(2.0)),
            resp("mlodzi", Some("zle"), &["lekarz"], Some(3.0)),
            resp("mlodzi", Some("trudno"), &[], Some(4.0)),
            resp("mlodzi", None, &["opieka", "rehab"], None),
            resp("mlodzi", Some("dobrze"), &["lekarz"], Some(5.0)),
            resp("seniorzy", Some("zle"), &["opieka"], Some(2.0)),
            resp("seniorzy", Some("zle"), &["opieka", "lekarz"], Some(2.0)),
            resp("seniorzy", Some("dobrze"), &["opieka"], Some(1.0)),
            resp("seniorzy", Some("trudno"), &["rehab"], Some(2.0)),
        ]
    }

    #[test]
    fn hand_worked_frequencies_and_needs() {
        let form = crate::template::load_str(FORM, "t").unwrap().form;
        let r = analyse(&form, &sample(), &["wiek".into()], 1, "pl").unwrap();
        assert_eq!(r.total, 10);
        let dost = r.overall.iter().find(|s| s.question == "dost").unwrap();
        assert_eq!((dost.asked, dost.answered, dost.base), (10, 9, 10));
        let n: Vec<u64> = dost.options.iter().map(|o| o.n).collect();
        assert_eq!(n, vec![3, 4, 2, 1]); // zle, dobrze, trudno, not answered
        let s = dost.scale.as_ref().unwrap();
        // scored: 3×1 + 4×5 = 23 over 7 → 3.2857; rescaled (3.2857-1)/4 = 0.5714
        assert_eq!((s.n_scored, s.n_unscored), (7, 2));
        assert!((s.mean - 23.0 / 7.0).abs() < 1e-12);
        assert!((s.mean01 - (23.0 / 7.0 - 1.0) / 4.0).abs() < 1e-12);
        assert!((s.top2 - 1.0).abs() < 1e-12); // only two scores: both are "top 2"
        let p = r.overall.iter().find(|s| s.question == "potrzeby").unwrap();
        assert_eq!(p.base, 9);
        let opieka = &p.options[0];
        assert_eq!(opieka.n, 5);
        assert!((opieka.pct - 5.0 / 9.0).abs() < 1e-12);
        // mentions: opieka 5, rehab 3, lekarz 4 = 12
        assert!((opieka.pct_of_answers.unwrap() - 5.0 / 12.0).abs() < 1e-12);
        // need zdrowie: respondents naming rehab or lekarz: 2,3,5,6,8,10 = 6 of 9
        let z = &r.needs[&Area::Zdrowie];
        assert_eq!((z.n, z.base), (6, 9));
        let b = &r.breakdowns[0];
        assert_eq!(b.groups.iter().map(|g| g.n).collect::<Vec<_>>(), vec![6, 4]);
        let ps = &b.needs[&Area::PomocSpoleczna];
        assert_eq!((ps[0].n, ps[0].base, ps[1].n, ps[1].base), (2, 5, 3, 4));
        let osoby = r
            .overall
            .iter()
            .find(|s| s.question == "osoby")
            .unwrap()
            .numeric
            .clone()
            .unwrap();
        // 1,2,3,4,5,2,2,1,2 → n 9, mean 22/9, median 2, q1 2 (linear: pos 2 → 2), q3 3
        assert_eq!(osoby.n, 9);
        assert!((osoby.mean - 22.0 / 9.0).abs() < 1e-12);
        assert_eq!((osoby.median, osoby.q1, osoby.q3), (2.0, 2.0, 3.0));
    }

    #[test]
    fn small_cells_are_suppressed_with_a_complement() {
        let form = crate::template::load_str(FORM, "t").unwrap().form;
        let r = analyse(&form, &sample(), &["wiek".into()], 3, "pl").unwrap();
        let dost = r.overall.iter().find(|s| s.question == "dost").unwrap();
        // counts 3,4,2,1: "trudno" (2) and "not answered" (1) are below 3; two hidden already
        let hidden: Vec<bool> = dost.options.iter().map(|o| o.suppressed).collect();
        assert_eq!(hidden, vec![false, false, true, true]);
        let rows = tidy(&form, &r, "pl");
        assert!(
            rows.iter()
                .all(|t| !t.suppressed || (t.n.is_none() && t.pct.is_none()))
        );
        let r4 = analyse(&form, &sample(), &["wiek".into()], 5, "pl").unwrap();
        // seniors (4) fall below 5: their group is suppressed and absent from the tidy table
        assert!(r4.breakdowns[0].groups[1].suppressed);
        assert!(
            tidy(&form, &r4, "pl")
                .iter()
                .all(|t| t.group_value != "seniorzy")
        );
    }

    #[test]
    fn group_tests_on_the_hand_worked_sample() {
        // Reference values: SciPy 1.17.1 chi2_contingency(correction=False) and fisher_exact.
        let form = crate::template::load_str(FORM, "t").unwrap().form;
        let r = analyse(&form, &sample(), &["wiek".into()], 1, "pl").unwrap();
        let b = &r.breakdowns[0];
        assert!(
            !b.tests.contains_key("wiek"),
            "the grouping variable is not tested against itself"
        );
        // dost among those who answered: young zle 1, dobrze 3, trudno 1; seniors 2, 1, 1.
        let d = &b.tests["dost"][0];
        assert_eq!((d.n, d.rows, d.cols, d.df), (9, 2, 3, 2));
        assert!((d.chi2 - 1.2374999999999998).abs() < 1e-12);
        assert!((d.p - 0.5386172885859267).abs() < 1e-10);
        assert!((d.min_expected - 0.8888888888888888).abs() < 1e-12);
        assert!(!d.reliable && !d.supported && d.method == TestMethod::ChiSquare);
        // potrzeby/opieka: young 2 of 5, seniors 3 of 4 → 2×2 with small counts → Fisher.
        let o = b.tests["potrzeby"]
            .iter()
            .find(|t| t.option.as_deref() == Some("opieka"))
            .unwrap();
        assert!((o.p_chi2 - 0.29371811275178894).abs() < 1e-10);
        assert!((o.p_fisher.unwrap() - 0.5238095238095237).abs() < 1e-10);
        assert_eq!(o.method, TestMethod::FisherExact);
        assert!((o.p - 0.5238095238095237).abs() < 1e-10 && o.reliable && !o.supported);
        assert_eq!(b.tests["potrzeby"].len(), 3);
        // need for pomoc społeczna: young 2 of 5, seniors 3 of 4 — the same table as opieka.
        let ps = &b.tests["need#pomoc_spoleczna"][0];
        assert!((ps.p - 0.5238095238095237).abs() < 1e-10);
    }

    #[test]
    fn a_large_clear_difference_is_supported() {
        // 200/180 vs 150/210 (SciPy: χ² 8.9165220744168, p 0.002826021804813504).
        let t = group_test(&[vec![200, 180], vec![150, 210]], None).unwrap();
        assert!(t.reliable && t.supported && t.method == TestMethod::ChiSquare);
        assert!((t.p - 0.002826021804813504).abs() < 1e-10);
        // One group only: nothing to test.
        assert!(group_test(&[vec![3, 4]], None).is_none());
        assert!(group_test(&[vec![3, 0], vec![4, 0]], None).is_none());
    }

    const POTENTIAL: &str = r#"
[[survey]]
type = "select_one tmn"
name = "wol"
label = "Wolontariat"
role = "potential"
[[choices]]
list_name = "tmn"
name = "tak"
label = "Tak"
[[choices]]
list_name = "tmn"
name = "moze"
label = "Może"
[[choices]]
list_name = "tmn"
name = "nie"
label = "Nie"
"#;

    #[test]
    fn hand_worked_indices() {
        let text = FORM.replacen("[[choices]]", &format!("{POTENTIAL}\n[[choices]]"), 1);
        let form = crate::template::load_str(&text, "t").unwrap().form;
        let mut resp = sample();
        // wol: tak, moze, nie, nie, (blank), tak | moze, nie, nie, tak
        let wol = [
            "tak", "moze", "nie", "nie", "", "tak", "moze", "nie", "nie", "tak",
        ];
        for (r, w) in resp.iter_mut().zip(wol) {
            let a = if w.is_empty() {
                Answer::Missing(Missing::NotAnswered)
            } else {
                Answer::Choice(w.into())
            };
            r.answers.insert("wol".into(), a);
        }
        let r = analyse(&form, &resp, &["wiek".into()], 1, "pl").unwrap();
        let z = r.areas.iter().find(|a| a.area == Area::Zdrowie).unwrap();
        let need = z.need.as_ref().unwrap();
        assert_eq!((need.n, need.base), (6, 9));
        let av = z.availability.as_ref().unwrap();
        // dost: 3×1 + 4×5 over 7 scored, 2 "trudno": mean01 = (23/7 − 1)/4 = 4/7
        assert_eq!((av.n_scored, av.n_unscored), (7, 2));
        assert!((av.mean01.unwrap() - 4.0 / 7.0).abs() < 1e-12);
        assert!(z.quality.is_none());
        // unmet = 6/9 × (1 − 4/7) = 2/7; Wilson lower bound of 6/9 = 0.3542 ≥ 0.20, availability
        // 0.571 is not low → medium.
        assert!((z.unmet.unwrap() - 2.0 / 7.0).abs() < 1e-12);
        assert_eq!(z.priority, Priority::Medium);
        // pomoc społeczna: a need but no availability question → no class.
        let ps = r
            .areas
            .iter()
            .find(|a| a.area == Area::PomocSpoleczna)
            .unwrap();
        assert_eq!(ps.priority, Priority::Insufficient);
        assert!(ps.unmet.is_none());
        // Potential: 9 answered; tak 3, moze 2 → ready 5/9.
        let p = &r.potential[0];
        assert_eq!(p.question, "wol");
        let ready = p.ready.as_ref().unwrap();
        assert_eq!((ready.n, ready.base), (5, 9));
        assert_eq!(
            p.options.iter().map(|o| o.1.n).collect::<Vec<_>>(),
            vec![3, 2, 4]
        );
        // Per group: young answered 5 (tak 2, moze 1) → 3/5; seniors 4 (tak 1, moze 1) → 2/4.
        let g = &r.breakdowns[0].potential["wol"];
        let (y, s) = (g[0].ready.as_ref().unwrap(), g[1].ready.as_ref().unwrap());
        assert_eq!((y.n, y.base, s.n, s.base), (3, 5, 2, 4));
        // Seniors' zdrowie: need 2 of 4 (opieka+lekarz; rehab) = 0.5 but Wilson low 0.150 < 0.20;
        // availability: zle, zle, dobrze, trudno → scored 1,1,5 → mean01 = (7/3 − 1)/4 = 1/3
        // (low) → medium, not high: four answers cannot support a confident claim.
        let sz = &r.breakdowns[0].areas[&Area::Zdrowie][1];
        assert_eq!(
            (sz.need.as_ref().unwrap().n, sz.need.as_ref().unwrap().base),
            (2, 4)
        );
        assert!((sz.availability.as_ref().unwrap().mean01.unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(sz.priority, Priority::Medium);
        let rows = tidy_indices(&form, &r, "pl");
        let row = rows
            .iter()
            .find(|x| x.index == "unmet_need" && x.area == "zdrowie" && x.group_value == "seniorzy")
            .unwrap();
        assert_eq!(row.priority, "medium");
        assert!((row.value.unwrap() - 0.5 * (2.0 / 3.0)).abs() < 1e-12);
        assert!(
            rows.iter()
                .any(|x| x.index == "potential_ready" && x.group_var.is_empty())
        );
        assert!(rows.iter().all(|x| x.value.is_none_or(f64::is_finite)));
    }

    #[test]
    fn priority_uses_the_lower_bound_of_the_need() {
        let idx = |n: u64, base: u64| share_index(n, base, 1);
        let low = Rating {
            n_scored: 10,
            n_unscored: 0,
            mean01: Some(0.3),
            suppressed: false,
            weighted_mean01: None,
        };
        let ok = Rating {
            n_scored: 10,
            n_unscored: 0,
            mean01: Some(0.7),
            suppressed: false,
            weighted_mean01: None,
        };
        // 2 of 5 = 40% but the Wilson lower bound is 0.118 < 0.20 → only medium.
        assert_eq!(priority(Some(&idx(2, 5)), Some(&low)), Priority::Medium);
        // 40 of 100: lower bound 0.309 → high.
        assert_eq!(priority(Some(&idx(40, 100)), Some(&low)), Priority::High);
        assert_eq!(priority(Some(&idx(40, 100)), Some(&ok)), Priority::Medium);
        assert_eq!(priority(Some(&idx(5, 100)), Some(&low)), Priority::Low);
        assert_eq!(
            priority(Some(&idx(0, 0)), Some(&low)),
            Priority::Insufficient
        );
        assert_eq!(priority(Some(&idx(40, 100)), None), Priority::Insufficient);
    }

    #[test]
    fn hand_worked_weighted_shares() {
        // Weights: young 0.5 each (6), seniors 2.0 each (4). Wilson reference intervals computed
        // with the textbook formula in Python at x = p·n_eff, n = n_eff.
        let form = crate::template::load_str(FORM, "t").unwrap().form;
        let resp = sample();
        let w: Vec<f64> = resp
            .iter()
            .map(|r| {
                if r.answers["wiek"] == Answer::Choice("mlodzi".into()) {
                    0.5
                } else {
                    2.0
                }
            })
            .collect();
        let weighting = weights::Weighting {
            vars: vec!["wiek".into()],
            source: "test".into(),
            cells: vec![],
            unclassified: 0,
            n_eff: weights::kish(&w),
            deff: 0.0,
            w,
        };
        let r = analyse_weighted(&form, &resp, &["wiek".into()], 1, "pl", Some(weighting)).unwrap();
        let dost = r.overall.iter().find(|s| s.question == "dost").unwrap();
        // Base asked: Σw = 6·0.5 + 4·2 = 11, Σw² = 17.5 → n_eff = 121/17.5.
        assert!((dost.weighted_base.unwrap() - 11.0).abs() < 1e-12);
        assert!((dost.n_eff.unwrap() - 121.0 / 17.5).abs() < 1e-12);
        // zle: young #3 (0.5) + seniors #7, #8 (2 + 2) = 4.5 → 4.5/11.
        let zle = &dost.options[0];
        assert!((zle.weighted_pct.unwrap() - 4.5 / 11.0).abs() < 1e-12);
        let (l, h) = zle.weighted_ci.unwrap();
        assert!((l - 0.14593968185766054).abs() < 1e-9 && (h - 0.7371792549063749).abs() < 1e-9);
        // Unweighted figures are unchanged.
        assert!((zle.pct - 0.3).abs() < 1e-12);
        // Weighted mean score: young Σw·s = 0.5·(5+5+1+5) = 8 over 2; seniors 2·(1+1+5) = 14
        // over 6 → 22/8 = 2.75; rescaled (2.75 − 1)/4.
        let sc = dost.scale.as_ref().unwrap();
        assert!((sc.weighted_mean.unwrap() - 2.75).abs() < 1e-12);
        assert!((sc.weighted_mean01.unwrap() - 0.4375).abs() < 1e-12);
        // Need zdrowie: weighted 6 of 10.5; Σw² = 17.25 → n_eff 10.5²/17.25.
        let z = &r.needs[&Area::Zdrowie];
        assert!((z.weighted_pct.unwrap() - 6.0 / 10.5).abs() < 1e-12);
        assert!((z.n_eff.unwrap() - 10.5 * 10.5 / 17.25).abs() < 1e-12);
        let (l, h) = z.weighted_ci.unwrap();
        assert!((l - 0.24021985273684426).abs() < 1e-9 && (h - 0.8490076084311939).abs() < 1e-9);
        let za = r.areas.iter().find(|a| a.area == Area::Zdrowie).unwrap();
        assert!(
            (za.availability.as_ref().unwrap().weighted_mean01.unwrap() - 0.4375).abs() < 1e-12
        );
        assert!((za.weighted_unmet.unwrap() - 6.0 / 10.5 * (1.0 - 0.4375)).abs() < 1e-12);
        // Within one group all weights are equal: weighted = unweighted shares.
        let young = &r.breakdowns[0].questions["dost"][0];
        for o in &young.options {
            assert!((o.weighted_pct.unwrap() - o.pct).abs() < 1e-12);
        }
        let rows = tidy(&form, &r, "pl");
        assert!(
            rows.iter()
                .all(|t| t.suppressed || t.weighted_pct.is_some())
        );
        // Unweighted analysis leaves weighted_pct empty.
        let r0 = analyse(&form, &resp, &["wiek".into()], 1, "pl").unwrap();
        assert!(
            tidy(&form, &r0, "pl")
                .iter()
                .all(|t| t.weighted_pct.is_none())
        );
    }

    #[test]
    fn counts_above_255_are_exact() {
        let form = crate::template::load_str(FORM, "t").unwrap().form;
        let resp: Vec<Response> = (0..300)
            .map(|_| resp("mlodzi", Some("dobrze"), &["lekarz"], Some(1.0)))
            .collect();
        let r = analyse(&form, &resp, &["wiek".into()], 5, "pl").unwrap();
        let dost = r.overall.iter().find(|s| s.question == "dost").unwrap();
        assert_eq!(
            (dost.asked, dost.answered, dost.options[1].n),
            (300, 300, 300)
        );
        let p = &r.breakdowns[0].questions["potrzeby"][0];
        assert_eq!(p.options[2].n, 300);
        assert_eq!(r.needs[&Area::Zdrowie].n, 300);
        // The empty seniors group: zero counts, no shares that are not numbers.
        let s = &r.breakdowns[0].questions["dost"][1];
        assert_eq!(s.all, 0);
        assert!(s.options.iter().all(|o| o.pct == 0.0 && o.ci.is_none()));
    }

    #[test]
    fn a_share_is_hidden_when_its_complement_is_small() {
        assert!(share_index(56, 58, 5).suppressed); // 2 did not: derivable
        assert!(share_index(2, 58, 5).suppressed);
        assert!(!share_index(30, 58, 5).suppressed);
        assert!(!share_index(58, 58, 5).suppressed); // nobody is singled out
        assert!(!share_index(0, 58, 5).suppressed);
        assert!(share_index(3, 4, 5).suppressed); // base below k
    }

    #[test]
    fn margins_from_joint_cells_match_direct_counts() {
        let form = crate::template::load_str(FORM, "t").unwrap().form;
        // No grouping at all: overall only.
        let r0 = analyse(&form, &sample(), &[], 1, "pl").unwrap();
        assert!(r0.breakdowns.is_empty());
        assert_eq!(
            r0.overall
                .iter()
                .find(|s| s.question == "dost")
                .unwrap()
                .options[1]
                .n,
            4
        );
        // Two grouping variables (wiek and dost): the wiek margin is unchanged, and medians per
        // group come from their own pass: young osoby 1,2,3,4,5 → 3; seniors 2,2,1,2 → 2.
        let r = analyse(
            &form,
            &sample(),
            &["wiek".into(), "dost".into(), "wiek".into()],
            1,
            "pl",
        )
        .unwrap();
        assert_eq!(
            r.breakdowns.len(),
            2,
            "a repeated variable is one breakdown"
        );
        let b = &r.breakdowns[0];
        let med: Vec<f64> = b.questions["osoby"]
            .iter()
            .map(|s| s.numeric.as_ref().unwrap().median)
            .collect();
        assert_eq!(med, vec![3.0, 2.0]);
        let mean = b.questions["osoby"][1].numeric.as_ref().unwrap().mean;
        assert!((mean - 7.0 / 4.0).abs() < 1e-12);
        let ps = &b.needs[&Area::PomocSpoleczna];
        assert_eq!((ps[0].n, ps[0].base, ps[1].n, ps[1].base), (2, 5, 3, 4));
        // dost margin: zle 3, dobrze 4, trudno 2; one respondent without an answer is "unknown".
        let d = &r.breakdowns[1];
        assert_eq!(
            d.groups.iter().map(|g| g.n).collect::<Vec<_>>(),
            vec![3, 4, 2]
        );
        assert_eq!(d.unknown, 1);
    }

    #[test]
    fn tests_leave_out_suppressed_groups() {
        let form = crate::template::load_str(FORM, "t").unwrap().form;
        // Threshold 5: seniors (4) are left out, one group remains → nothing to test.
        let r = analyse(&form, &sample(), &["wiek".into()], 5, "pl").unwrap();
        assert!(r.breakdowns[0].tests.is_empty());
    }
}
