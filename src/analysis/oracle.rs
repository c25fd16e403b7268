//! The analysis's first implementation, kept as a test oracle: every closed answer becomes 0/1
//! indicator columns of a polars frame and one polars `group_by` sums them per joint cell of the
//! grouping variables. It is exact but slow and memory-hungry at scale (hundreds of Boolean
//! columns, one aggregate per column and cell); `tally` replaced it, and the tests check that
//! both give the same aggregates.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Result, bail};
use polars::prelude::*;

use super::*;
use crate::response::{Answer, Missing, Response};

/// Build the respondent × indicator frame.
pub(super) fn frame(
    form: &Questionnaire,
    responses: &[Response],
    grouping: &[String],
) -> Result<DataFrame> {
    let n = responses.len();
    let mut cols: Vec<Column> = Vec::new();
    let missing = Answer::Missing(Missing::NotAnswered);
    // Every respondent's answers to the analysed questions, gathered in one ordered walk over
    // their (sorted) answer maps: no map lookup per question and respondent.
    let mut names: Vec<&str> = analysed(form).map(|q| q.name.as_str()).collect();
    names.extend(grouping.iter().map(String::as_str));
    names.sort_unstable();
    names.dedup();
    let mut table: Vec<Vec<&Answer>> = vec![Vec::with_capacity(n); names.len()];
    for r in responses {
        let mut i = 0;
        let mut it = r.answers.iter();
        let mut cur = it.next();
        while i < names.len() {
            match cur {
                Some((k, a)) => match k.as_str().cmp(names[i]) {
                    std::cmp::Ordering::Less => cur = it.next(),
                    std::cmp::Ordering::Equal => {
                        table[i].push(a);
                        i += 1;
                        cur = it.next();
                    }
                    std::cmp::Ordering::Greater => {
                        table[i].push(&missing);
                        i += 1;
                    }
                },
                None => {
                    table[i].push(&missing);
                    i += 1;
                }
            }
        }
    }
    let column_of = |name: &str| -> &[&Answer] {
        names
            .binary_search(&name)
            .map(|i| table[i].as_slice())
            .unwrap_or(&[])
    };
    for g in grouping {
        let v: Vec<Option<&str>> = column_of(g)
            .iter()
            .map(|a| match a {
                Answer::Choice(c) => Some(c.as_str()),
                _ => None,
            })
            .collect();
        cols.push(Column::new(format!("g#{g}").into(), v));
    }
    for q in analysed(form) {
        let answers: &[&Answer] = column_of(&q.name);
        // One pass over the answers fills every column of the question: the answers live in
        // each respondent's own map, so every extra pass would be another round of cache misses.
        let list = form.list_of(q);
        let pos: HashMap<&str, usize> = list
            .map(|l| {
                l.choices
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (c.name.as_str(), i))
                    .collect()
            })
            .unwrap_or_default();
        let n_choices = list.map_or(0, |l| l.choices.len());
        let scored = list.is_some_and(|l| l.is_scored()) && q.kind == Kind::SelectOne;
        let numeric = q.kind.is_numeric();
        let mut asked: Vec<bool> = Vec::with_capacity(n);
        let mut answered: Vec<bool> = Vec::with_capacity(n);
        // Indicator columns are plain Booleans: false also for "no answer" (sums are all that is
        // taken from them; the base comes from the asked/answered columns). A code outside the
        // list (import rejects those) counts as answered with no option chosen.
        let mut ind_cols: Vec<Vec<bool>> = vec![vec![false; n]; n_choices];
        let mut scores: Vec<Option<f64>> = if scored {
            Vec::with_capacity(n)
        } else {
            Vec::new()
        };
        let mut numbers: Vec<Option<f64>> = if numeric {
            Vec::with_capacity(n)
        } else {
            Vec::new()
        };
        for (r, a) in answers.iter().enumerate() {
            asked.push(!matches!(a, Answer::Missing(Missing::NotAsked)));
            answered.push(!a.is_missing());
            let mut score = None;
            match a {
                Answer::Choice(x) => {
                    if let Some(&i) = pos.get(x.as_str()) {
                        ind_cols[i][r] = true;
                        if scored {
                            score = list.and_then(|l| l.choices[i].score);
                        }
                    }
                }
                Answer::Choices(xs) => {
                    for x in xs {
                        if let Some(&i) = pos.get(x.as_str()) {
                            ind_cols[i][r] = true;
                        }
                    }
                }
                _ => {}
            }
            if scored {
                scores.push(score);
            }
            if numeric {
                numbers.push(if let Answer::Number(x) = a {
                    Some(*x)
                } else {
                    None
                });
            }
        }
        cols.push(Column::new(asked_col(&q.name).into(), asked));
        cols.push(Column::new(answered_col(&q.name).into(), answered));
        if let Some(list) = list {
            for (c, v) in list.choices.iter().zip(ind_cols) {
                cols.push(Column::new(ind(&q.name, &c.name).into(), v));
            }
        }
        if scored {
            cols.push(Column::new(score_col(&q.name).into(), scores));
        }
        if numeric {
            cols.push(Column::new(num_col(&q.name).into(), numbers));
        }
    }
    // Need per area: the areas each respondent names, as a bit mask computed once.
    let areas = need_areas(form);
    let need_qs: Vec<&Question> = form
        .questions
        .iter()
        .filter(|q| q.role == Some(Role::Need))
        .collect();
    let bit = |a: Area| {
        areas
            .iter()
            .position(|x| *x == a)
            .map(|i| 1u64 << i)
            .unwrap_or(0)
    };
    let masks: Vec<(HashMap<&str, u64>, u64)> = need_qs
        .iter()
        .map(|q| {
            let by_code = form
                .list_of(q)
                .map(|l| {
                    l.choices
                        .iter()
                        .map(|c| (c.name.as_str(), c.area.or(q.area).map(bit).unwrap_or(0)))
                        .collect()
                })
                .unwrap_or_default();
            (by_code, q.area.map(bit).unwrap_or(0))
        })
        .collect();
    let need_cols: Vec<&[&Answer]> = need_qs.iter().map(|q| column_of(&q.name)).collect();
    let per_resp: Vec<Option<u64>> = (0..n)
        .map(|ri| {
            let mut any_answer = false;
            let mut m = 0u64;
            for ((by_code, own), answers) in masks.iter().zip(&need_cols) {
                let code_mask = |c: &str| by_code.get(c).copied().unwrap_or(*own);
                match answers.get(ri).copied() {
                    Some(Answer::Choice(c)) => {
                        any_answer = true;
                        m |= code_mask(c);
                    }
                    Some(Answer::Choices(cs)) => {
                        any_answer = true;
                        cs.iter().for_each(|c| m |= code_mask(c));
                    }
                    Some(a) if !a.is_missing() => any_answer = true,
                    _ => {}
                }
            }
            any_answer.then_some(m)
        })
        .collect();
    for (i, area) in areas.iter().enumerate() {
        let v: Vec<Option<bool>> = per_resp
            .iter()
            .map(|m| m.map(|m| m & (1 << i) != 0))
            .collect();
        cols.push(Column::new(need_col(*area).into(), v));
    }
    if cols.is_empty() {
        bail!("the questionnaire has no closed or numeric questions to analyse");
    }
    let df = anyhow::Context::context(DataFrame::new(n, cols), "building the analysis frame")?;
    Ok(df)
}

/// The additive aggregations (sums and counts) of one cell of respondents: they can be computed
/// once per joint cell of all grouping variables and summed up into any margin.
fn additive_aggs(df: &DataFrame) -> Vec<Expr> {
    let mut out = vec![len().cast(DataType::Float64).alias("#n")];
    let weighted = df.column(WEIGHT).is_ok();
    for name in df.get_column_names() {
        let s = name.as_str();
        if s.starts_with("g#") || s == WEIGHT {
            continue;
        }
        let c = col(s);
        if weighted {
            let w = col(WEIGHT);
            let x = c.clone().cast(DataType::Float64);
            out.push((x.clone() * w.clone()).sum().alias(format!("{s}@wsum")));
            if s.ends_with("#asked") || s.ends_with("#answered") {
                out.push(
                    (x * w.clone() * w.clone())
                        .sum()
                        .alias(format!("{s}@w2sum")),
                );
            }
            if s.starts_with("need#") || s.ends_with("#score") || s.ends_with("#num") {
                let wn = when(c.clone().is_not_null())
                    .then(w.clone())
                    .otherwise(lit(0.0));
                out.push(wn.clone().sum().alias(format!("{s}@wn")));
                out.push((wn * w).sum().alias(format!("{s}@w2n")));
            }
        }
        if s.ends_with("#score") || s.ends_with("#num") {
            out.push(c.clone().sum().alias(format!("{s}@ssum")));
            out.push(c.count().cast(DataType::Float64).alias(format!("{s}@n")));
        } else {
            // Boolean columns: the sum counts the trues without materialising a cast column.
            out.push(
                c.clone()
                    .sum()
                    .cast(DataType::Float64)
                    .alias(format!("{s}@sum")),
            );
            if s.starts_with("need#") {
                out.push(c.count().cast(DataType::Float64).alias(format!("{s}@n")));
            }
        }
    }
    out
}

/// Median and quartiles of the numeric columns (not additive: computed per margin).
fn quantile_aggs(df: &DataFrame) -> Vec<Expr> {
    let mut out = Vec::new();
    for name in df.get_column_names() {
        let s = name.as_str();
        if s.ends_with("#num") {
            let c = col(s);
            out.push(c.clone().median().alias(format!("{s}@median")));
            out.push(
                c.clone()
                    .quantile(lit(0.25), QuantileMethod::Linear)
                    .alias(format!("{s}@q1")),
            );
            out.push(
                c.quantile(lit(0.75), QuantileMethod::Linear)
                    .alias(format!("{s}@q3")),
            );
        }
    }
    out
}

/// The weight column of the indicator frame (present only when weighting is on).
pub(super) const WEIGHT: &str = "#w";

/// Rows of an aggregated frame: the key column's value (None for null) and name → value.
fn rows_of(out: &DataFrame, key: Option<&str>) -> Result<Vec<(Option<String>, Agg)>> {
    let mut rows = Vec::with_capacity(out.height());
    for i in 0..out.height() {
        let mut m = Agg::new();
        let mut group = None;
        for c in out.columns() {
            let v = c.get(i)?;
            if Some(c.name().as_str()) == key {
                group = match v {
                    AnyValue::Null => None,
                    other => Some(other.str_value().to_string()),
                };
                continue;
            }
            if let Some(x) = v.extract::<f64>() {
                if x.is_finite() {
                    m.insert(c.name().to_string(), x);
                }
            }
        }
        rows.push((group, m));
    }
    Ok(rows)
}

/// Aggregates overall and per value of each grouping variable.
///
/// One polars pass computes the additive aggregates per joint cell of all grouping variables;
/// the margins (overall, each variable's groups) are sums of those cells, done here. Medians and
/// quartiles, which do not add up, get their own small pass per margin over the numeric columns.
pub(super) fn all_aggs(df: &DataFrame, grouping: &[String]) -> Result<(Agg, Vec<GroupAggs>)> {
    let mut keys: Vec<String> = Vec::new();
    for g in grouping {
        let k = format!("g#{g}");
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let lf = df.clone().lazy();
    let cells = if keys.is_empty() {
        lf.select(additive_aggs(df)).collect()?
    } else {
        lf.group_by(keys.iter().map(|k| col(k.as_str())).collect::<Vec<_>>())
            .agg(additive_aggs(df))
            .collect()?
    };
    // Value columns as f64 vectors, key columns as strings.
    let mut names = Vec::new();
    let mut values: Vec<Vec<f64>> = Vec::new();
    let mut key_vals: HashMap<String, Vec<Option<String>>> = HashMap::new();
    for c in cells.columns() {
        let name = c.name().to_string();
        if keys.contains(&name) {
            let s = c.cast(&DataType::String)?;
            let v = s.str()?.iter().map(|x| x.map(str::to_string)).collect();
            key_vals.insert(name, v);
            continue;
        }
        let f = c.cast(&DataType::Float64)?;
        let v: Vec<f64> = f
            .f64()?
            .iter()
            .map(|x| x.filter(|x| x.is_finite()).unwrap_or(0.0))
            .collect();
        names.push(name);
        values.push(v);
    }
    let sum_rows = |rows: &[usize]| -> Agg {
        let mut m: Agg = names
            .iter()
            .zip(&values)
            .map(|(n, v)| (n.clone(), rows.iter().map(|&i| v[i]).sum::<f64>()))
            .collect();
        add_means(&mut m);
        m
    };
    let all_rows: Vec<usize> = (0..cells.height()).collect();
    let mut overall = sum_rows(&all_rows);
    let q = quantile_aggs(df);
    if !q.is_empty() {
        let out = df.clone().lazy().select(q.clone()).collect()?;
        if let Some((_, m)) = rows_of(&out, None)?.pop() {
            overall.extend(m);
        }
    }
    let mut per = Vec::new();
    for g in grouping {
        let k = format!("g#{g}");
        let kv = key_vals.get(&k).cloned().unwrap_or_default();
        let mut by: BTreeMap<Option<String>, Vec<usize>> = BTreeMap::new();
        for (i, v) in kv.into_iter().enumerate() {
            by.entry(v).or_default().push(i);
        }
        let mut rows: Vec<(Option<String>, Agg)> =
            by.iter().map(|(v, r)| (v.clone(), sum_rows(r))).collect();
        if !q.is_empty() {
            let out = df
                .clone()
                .lazy()
                .group_by([col(k.as_str())])
                .agg(q.clone())
                .collect()?;
            for (v, m) in rows_of(&out, Some(&k))? {
                if let Some(row) = rows.iter_mut().find(|r| r.0 == v) {
                    row.1.extend(m);
                }
            }
        }
        per.push(rows);
    }
    Ok((overall, per))
}

/// The tally and this polars implementation give the same aggregates, key by key, overall and
/// per group of every grouping variable, unweighted and weighted, on a synthetic survey with
/// skip logic, multiple choices, Likert scales and numbers.
#[test]
fn tally_equals_the_polars_group_by() {
    let form = crate::template::load_str(
        crate::template::builtin("mieszkancy").unwrap(),
        "mieszkancy",
    )
    .unwrap()
    .form;
    let text = crate::synth::csv(&form, 700, 11, 1, b',');
    let table = crate::ingest::read_csv_bytes(text.as_bytes(), "synth.csv").unwrap();
    let mapped = crate::ingest::map::map(&table, &form, crate::response::Channel::Online);
    let responses: Vec<Response> = mapped
        .records
        .into_iter()
        .filter_map(|r| match r {
            crate::store::Record::Accepted { response, .. } => Some(response),
            _ => None,
        })
        .collect();
    assert!(responses.len() > 600);
    let grouping: Vec<String> = form.grouping_questions().map(|q| q.name.clone()).collect();
    let coded = super::coded::Coded::from_responses(&form, &responses).unwrap();
    let w: Vec<f64> = (0..responses.len())
        .map(|r| 0.4 + (r % 7) as f64 / 3.0)
        .collect();
    for weights in [None, Some(&w)] {
        let mut df = frame(&form, &responses, &grouping).unwrap();
        if let Some(w) = weights {
            df.with_column(Column::new(WEIGHT.into(), w.clone()))
                .unwrap();
        }
        let (o_all, o_per) = all_aggs(&df, &grouping).unwrap();
        let (t_all, t_per) =
            super::tally::aggregates(&form, &coded, &grouping, weights.map(|w| w.as_slice()))
                .unwrap();
        let same = |a: &Agg, b: &Agg, what: &str| {
            let mut ka: Vec<&String> = a.keys().collect();
            let mut kb: Vec<&String> = b.keys().collect();
            ka.sort();
            kb.sort();
            assert_eq!(ka, kb, "{what}: the same aggregates");
            for (k, x) in a {
                let y = b[k];
                assert!(
                    (x - y).abs() <= 1e-9 * x.abs().max(1.0),
                    "{what} {k}: polars {x}, tally {y}"
                );
            }
        };
        assert!(t_all.len() > 400, "{} aggregates", t_all.len());
        assert_eq!(
            weights.is_some(),
            t_all.keys().any(|k| k.ends_with("@w2sum"))
        );
        assert!(t_all.keys().any(|k| k.ends_with("#num@median")));
        same(&o_all, &t_all, "overall");
        assert_eq!(o_per.len(), t_per.len());
        for ((g, o), t) in grouping.iter().zip(&o_per).zip(&t_per) {
            let mut o: Vec<_> = o.iter().collect();
            o.sort_by(|a, b| a.0.cmp(&b.0));
            let mut t: Vec<_> = t.iter().collect();
            t.sort_by(|a, b| a.0.cmp(&b.0));
            assert_eq!(
                o.iter().map(|x| &x.0).collect::<Vec<_>>(),
                t.iter().map(|x| &x.0).collect::<Vec<_>>(),
                "{g}: the same groups"
            );
            for (a, b) in o.iter().zip(&t) {
                same(&a.1, &b.1, &format!("{g}={:?}", a.0));
            }
        }
    }
}
