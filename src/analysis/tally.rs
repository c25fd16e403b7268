//! The counting behind every table: one pass over each question's column adds every respondent
//! to the overall total and to their group of every grouping variable at once (counts, and with
//! weights Σw and Σw²), per answer code. Shares, bases, Likert sums and the need per area are
//! then sums of those per-code counts. Medians and quartiles, which do not add up, are computed
//! by polars per group. Questions are counted on several threads.
//! It counts; it does not turn counts into statistics (that is the parent module).

use std::collections::HashMap;

use anyhow::{Context, Result, bail};
use polars::prelude::*;

use super::coded::{Coded, Col, FIRST, NOT_ASKED, OTHER, Shape, ones};
use super::{Agg, GroupAggs};
use crate::template::{Area, Questionnaire, Role};

/// Where each respondent goes: slot 0 is everybody; grouping variable g has one slot per option
/// and one for "no answer", from `base[g]`.
struct Slots {
    count: usize,
    base: Vec<usize>,
    /// Per respondent, `1 + grouping.len()` slot numbers.
    of: Vec<u32>,
    per_row: usize,
}

impl Slots {
    fn new(coded: &Coded, grouping: &[&Col]) -> Slots {
        let mut base = Vec::new();
        let mut count = 1;
        for g in grouping {
            base.push(count);
            count += g.options.len() + 1;
        }
        let per_row = 1 + grouping.len();
        let mut of = Vec::with_capacity(coded.n * per_row);
        for r in 0..coded.n {
            of.push(0);
            for (g, b) in grouping.iter().zip(&base) {
                let k = g.chosen(r).unwrap_or(g.options.len());
                of.push((b + k) as u32);
            }
        }
        Slots {
            count,
            base,
            of,
            per_row,
        }
    }

    fn of(&self, r: usize) -> &[u32] {
        &self.of[r * self.per_row..(r + 1) * self.per_row]
    }
}

/// Sums per slot × position: counts (or sums of a value), Σw and Σw² when weighted.
struct Counts {
    width: usize,
    c: Vec<f64>,
    w: Vec<f64>,
    w2: Vec<f64>,
}

impl Counts {
    fn new(slots: usize, width: usize, weighted: bool) -> Counts {
        let size = slots * width;
        Counts {
            width,
            c: vec![0.0; size],
            w: if weighted {
                vec![0.0; size]
            } else {
                Vec::new()
            },
            w2: if weighted {
                vec![0.0; size]
            } else {
                Vec::new()
            },
        }
    }

    /// Add `x` (weighted: `w·x`, `w²·x`) at position `p` of every slot of a respondent.
    #[inline]
    fn add(&mut self, slots: &[u32], p: usize, x: f64, w: Option<f64>) {
        for &s in slots {
            let i = s as usize * self.width + p;
            self.c[i] += x;
            if let Some(w) = w {
                self.w[i] += w * x;
                self.w2[i] += w * w * x;
            }
        }
    }

    fn c(&self, s: usize, p: usize) -> f64 {
        self.c[s * self.width + p]
    }
    fn w(&self, s: usize, p: usize) -> f64 {
        self.w[s * self.width + p]
    }
    fn w2(&self, s: usize, p: usize) -> f64 {
        self.w2[s * self.width + p]
    }
}

/// Count one question's column: positions 0..FIRST are the answer status (not asked, not
/// answered, answered), then one per option; a number has Σx and the count of numbers instead.
fn count_col(col: &Col, slots: &Slots, w: Option<&[f64]>) -> Counts {
    let k = col.options.len();
    let width = match col.shape {
        Shape::Number => FIRST as usize + 2,
        _ => FIRST as usize + k,
    };
    let mut t = Counts::new(slots.count, width, w.is_some());
    for r in 0..col.code.len() {
        let s = slots.of(r);
        let wr = w.map(|w| w[r]);
        let code = col.code[r];
        match col.shape {
            Shape::One => t.add(s, code as usize, 1.0, wr),
            Shape::Multi { words } => {
                t.add(s, code as usize, 1.0, wr);
                for i in col.marked(r, words) {
                    t.add(s, FIRST as usize + i, 1.0, wr);
                }
            }
            Shape::Number => {
                t.add(s, code as usize, 1.0, wr);
                let x = col.x[r];
                if !x.is_nan() {
                    t.add(s, FIRST as usize, x, wr);
                    t.add(s, FIRST as usize + 1, 1.0, wr);
                }
            }
        }
    }
    t
}

/// The need per area of every respondent: the areas named in any `role = need` question (None
/// when the respondent answered none of them), counted per slot: position i = area i named,
/// the last position = answered.
fn count_need(
    form: &Questionnaire,
    coded: &Coded,
    areas: &[Area],
    slots: &Slots,
    w: Option<&[f64]>,
) -> Counts {
    let bit = |a: Option<Area>| {
        a.and_then(|a| areas.iter().position(|x| *x == a))
            .map(|i| 1u64 << i)
            .unwrap_or(0)
    };
    // Per need question: its column and the area bit of each option.
    let qs: Vec<(&Col, Vec<u64>)> = form
        .questions
        .iter()
        .filter(|q| q.role == Some(Role::Need))
        .filter_map(|q| {
            let col = coded.col(&q.name)?;
            let masks = match form.list_of(q) {
                Some(l) => l.choices.iter().map(|c| bit(c.area.or(q.area))).collect(),
                None => Vec::new(),
            };
            Some((col, masks))
        })
        .collect();
    let mut t = Counts::new(slots.count, areas.len() + 1, w.is_some());
    for r in 0..coded.n {
        let mut any = false;
        let mut m = 0u64;
        for (col, masks) in &qs {
            let code = col.code[r];
            if code < OTHER {
                continue;
            }
            any = true;
            match col.shape {
                Shape::One => {
                    if let Some(i) = col.chosen(r) {
                        m |= masks.get(i).copied().unwrap_or(0);
                    }
                }
                Shape::Multi { words } => {
                    for i in col.marked(r, words) {
                        m |= masks.get(i).copied().unwrap_or(0);
                    }
                }
                Shape::Number => {}
            }
        }
        if !any {
            continue;
        }
        let s = slots.of(r);
        let wr = w.map(|w| w[r]);
        t.add(s, areas.len(), 1.0, wr);
        for i in ones(m) {
            t.add(s, i, 1.0, wr);
        }
    }
    t
}

/// Write one question's sums into the aggregates of every slot, under the names the statistics
/// read (`q#asked@sum`, `q/opt@sum`, `q#score@ssum` …).
fn emit_col(form: &Questionnaire, col: &Col, t: &Counts, aggs: &mut [Agg], weighted: bool) {
    let q = &col.name;
    let (asked, answered) = (super::asked_col(q), super::answered_col(q));
    let statuses = match col.shape {
        Shape::One => FIRST as usize + col.options.len(),
        _ => FIRST as usize,
    };
    let scores: Vec<Option<f64>> = form
        .question(q)
        .and_then(|qq| form.list_of(qq))
        .filter(|l| l.is_scored() && col.shape == Shape::One)
        .map(|l| l.choices.iter().map(|c| c.score).collect())
        .unwrap_or_default();
    let names: Vec<String> = col.options.iter().map(|o| super::ind(q, o)).collect();
    for (s, agg) in aggs.iter_mut().enumerate() {
        let sum = |f: &dyn Fn(usize) -> f64, from: usize| (from..statuses).map(f).sum::<f64>();
        let asked_from = NOT_ASKED as usize + 1;
        let answered_from = OTHER as usize;
        agg.insert(format!("{asked}@sum"), sum(&|p| t.c(s, p), asked_from));
        agg.insert(
            format!("{answered}@sum"),
            sum(&|p| t.c(s, p), answered_from),
        );
        if weighted {
            agg.insert(format!("{asked}@wsum"), sum(&|p| t.w(s, p), asked_from));
            agg.insert(format!("{asked}@w2sum"), sum(&|p| t.w2(s, p), asked_from));
            agg.insert(
                format!("{answered}@wsum"),
                sum(&|p| t.w(s, p), answered_from),
            );
            agg.insert(
                format!("{answered}@w2sum"),
                sum(&|p| t.w2(s, p), answered_from),
            );
        }
        if col.shape == Shape::Number {
            let c = super::num_col(q);
            let p = FIRST as usize;
            agg.insert(format!("{c}@ssum"), t.c(s, p));
            agg.insert(format!("{c}@n"), t.c(s, p + 1));
            if weighted {
                agg.insert(format!("{c}@wsum"), t.w(s, p));
                agg.insert(format!("{c}@wn"), t.w(s, p + 1));
                agg.insert(format!("{c}@w2n"), t.w2(s, p + 1));
            }
            continue;
        }
        for (i, name) in names.iter().enumerate() {
            let p = FIRST as usize + i;
            agg.insert(format!("{name}@sum"), t.c(s, p));
            if weighted {
                agg.insert(format!("{name}@wsum"), t.w(s, p));
            }
        }
        if !scores.is_empty() {
            let c = super::score_col(q);
            let (mut ssum, mut n, mut wsum, mut wn, mut w2n) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for (i, sc) in scores.iter().enumerate() {
                let Some(sc) = sc else { continue };
                let p = FIRST as usize + i;
                ssum += sc * t.c(s, p);
                n += t.c(s, p);
                if weighted {
                    wsum += sc * t.w(s, p);
                    wn += t.w(s, p);
                    w2n += t.w2(s, p);
                }
            }
            agg.insert(format!("{c}@ssum"), ssum);
            agg.insert(format!("{c}@n"), n);
            if weighted {
                agg.insert(format!("{c}@wsum"), wsum);
                agg.insert(format!("{c}@wn"), wn);
                agg.insert(format!("{c}@w2n"), w2n);
            }
        }
    }
}

fn emit_need(areas: &[Area], t: &Counts, aggs: &mut [Agg], weighted: bool) {
    let last = areas.len();
    for (s, agg) in aggs.iter_mut().enumerate() {
        for (i, a) in areas.iter().enumerate() {
            let c = super::need_col(*a);
            agg.insert(format!("{c}@sum"), t.c(s, i));
            agg.insert(format!("{c}@n"), t.c(s, last));
            if weighted {
                agg.insert(format!("{c}@wsum"), t.w(s, i));
                agg.insert(format!("{c}@wn"), t.w(s, last));
                agg.insert(format!("{c}@w2n"), t.w2(s, last));
            }
        }
    }
}

/// Median and quartiles of the numeric questions, overall and per group of each grouping
/// variable (polars: these are not sums, so they are computed per margin).
fn quantiles(coded: &Coded, grouping: &[&Col], slots: &Slots, aggs: &mut [Agg]) -> Result<()> {
    let nums: Vec<&Col> = coded
        .cols
        .iter()
        .filter(|c| c.shape == Shape::Number)
        .collect();
    if nums.is_empty() || coded.n == 0 {
        return Ok(());
    }
    let mut cols: Vec<Column> = nums
        .iter()
        .map(|c| {
            let v: Vec<Option<f64>> = c.x.iter().map(|x| (!x.is_nan()).then_some(*x)).collect();
            Column::new(super::num_col(&c.name).into(), v)
        })
        .collect();
    for (g, _) in grouping.iter().enumerate() {
        let v: Vec<u32> = (0..coded.n).map(|r| slots.of(r)[1 + g]).collect();
        cols.push(Column::new(format!("#slot{g}").into(), v));
    }
    let df = anyhow::Context::context(DataFrame::new(coded.n, cols), "building the numeric frame")?;
    let exprs: Vec<Expr> = nums
        .iter()
        .flat_map(|c| {
            let s = super::num_col(&c.name);
            let x = col(s.as_str());
            [
                x.clone().median().alias(format!("{s}@median")),
                x.clone()
                    .quantile(lit(0.25), QuantileMethod::Linear)
                    .alias(format!("{s}@q1")),
                x.quantile(lit(0.75), QuantileMethod::Linear)
                    .alias(format!("{s}@q3")),
            ]
        })
        .collect();
    let put = |out: &DataFrame,
               slot_of_row: &dyn Fn(usize) -> Result<usize>,
               aggs: &mut [Agg]|
     -> Result<()> {
        for i in 0..out.height() {
            let s = slot_of_row(i)?;
            for c in out.columns() {
                let name = c.name().as_str();
                if name.starts_with("#slot") {
                    continue;
                }
                if let Some(x) = c.get(i)?.extract::<f64>().filter(|x| x.is_finite()) {
                    aggs[s].insert(name.to_string(), x);
                }
            }
        }
        Ok(())
    };
    let overall = df.clone().lazy().select(exprs.clone()).collect()?;
    put(&overall, &|_| Ok(0), aggs)?;
    for g in 0..grouping.len() {
        let key = format!("#slot{g}");
        let out = df
            .clone()
            .lazy()
            .group_by([col(key.as_str())])
            .agg(exprs.clone())
            .collect()?;
        let keys = out.column(&key)?.u32()?.clone();
        put(
            &out,
            &|i| {
                keys.get(i)
                    .map(|s| s as usize)
                    .context("a group without its slot")
            },
            aggs,
        )?;
    }
    Ok(())
}

/// Aggregates overall and per group of each grouping variable (groups nobody is in are left
/// out), as the statistics read them.
pub fn aggregates(
    form: &Questionnaire,
    coded: &Coded,
    grouping: &[String],
    w: Option<&[f64]>,
) -> Result<(Agg, Vec<GroupAggs>)> {
    if let Some(w) = w {
        if w.len() != coded.n {
            bail!("internal: {} weights for {} respondents", w.len(), coded.n);
        }
    }
    let mut gcols = Vec::new();
    for g in grouping {
        match coded.col(g) {
            Some(c) if c.shape == Shape::One => gcols.push(c),
            _ => bail!(
                "grouping variable '{g}' is not a single-choice question of '{}'",
                form.id
            ),
        }
    }
    let slots = Slots::new(coded, &gcols);
    let weighted = w.is_some();
    let mut aggs: Vec<Agg> = vec![HashMap::new(); slots.count];
    // Respondents per slot.
    let mut n = vec![0.0; slots.count];
    for r in 0..coded.n {
        for &s in slots.of(r) {
            n[s as usize] += 1.0;
        }
    }
    for (agg, k) in aggs.iter_mut().zip(&n) {
        agg.insert("#n".to_string(), *k);
    }
    // The questions on a few threads: each count is independent of the others.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let cols: Vec<&Col> = coded.cols.iter().collect();
    let chunk = cols.len().div_ceil(threads).max(1);
    let counted: Vec<Counts> = if threads == 1 || coded.n < 20_000 {
        cols.iter().map(|c| count_col(c, &slots, w)).collect()
    } else {
        std::thread::scope(|sc| {
            let hs: Vec<_> = cols
                .chunks(chunk)
                .map(|part| {
                    let slots = &slots;
                    sc.spawn(move || {
                        part.iter()
                            .map(|c| count_col(c, slots, w))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            hs.into_iter()
                .flat_map(|h| h.join().expect("a counting thread panicked"))
                .collect()
        })
    };
    for (c, t) in cols.iter().zip(&counted) {
        emit_col(form, c, t, &mut aggs, weighted);
    }
    let areas = super::need_areas(form);
    let need = count_need(form, coded, &areas, &slots, w);
    emit_need(&areas, &need, &mut aggs, weighted);
    quantiles(coded, &gcols, &slots, &mut aggs)?;
    for agg in &mut aggs {
        super::add_means(agg);
    }
    let mut aggs: Vec<Option<Agg>> = aggs.into_iter().map(Some).collect();
    let overall = aggs[0].take().unwrap_or_default();
    let mut per = Vec::new();
    for (gi, g) in gcols.iter().enumerate() {
        let b = slots.base[gi];
        let mut rows: GroupAggs = Vec::new();
        for k in 0..=g.options.len() {
            let s = b + k;
            if n[s] == 0.0 {
                continue;
            }
            let key = g.options.get(k).cloned();
            rows.push((key, aggs[s].take().unwrap_or_default()));
        }
        per.push(rows);
    }
    Ok((overall, per))
}
