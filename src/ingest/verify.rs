//! Double data entry (EpiData's method): two clerks type the same batch of paper
//! questionnaires; this compares the two tables record by record, matched by the questionnaire
//! number, and lists only the cells that disagree, the numbers present in one table only, and
//! numbers that are missing or repeated. Values that mean the same are equal: case and spaces,
//! `3`/`3,0`, a choice's code and its label, a blank and `0` in a ticked-box column. It does not
//! decide which value is right and writes nothing.

use std::collections::BTreeMap;

use anyhow::{Result, bail};

use super::RawTable;
use super::map::{ID_COLUMNS, parse_number};
use crate::template::{Kind, Questionnaire};

/// Columns that legitimately differ between the two copies.
const IGNORED: &[&str] = &["wprowadzil", "clerk", "_powod"];

/// One disagreeing cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    pub number: String,
    pub column: String,
    pub first: String,
    pub second: String,
}

/// The result of comparing two tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Comparison {
    pub first_records: usize,
    pub second_records: usize,
    /// Records present in both.
    pub matched: usize,
    pub disagreements: Vec<Disagreement>,
    pub only_first: Vec<String>,
    pub only_second: Vec<String>,
    /// (number, data rows) repeated within the first / second table.
    pub repeated_first: Vec<(String, Vec<usize>)>,
    pub repeated_second: Vec<(String, Vec<usize>)>,
    /// Data rows without a questionnaire number.
    pub unnumbered_first: Vec<usize>,
    pub unnumbered_second: Vec<usize>,
    pub columns_only_first: Vec<String>,
    pub columns_only_second: Vec<String>,
}

impl Comparison {
    /// True when the two tables agree completely.
    pub fn identical(&self) -> bool {
        self.disagreements.is_empty()
            && self.only_first.is_empty()
            && self.only_second.is_empty()
            && self.repeated_first.is_empty()
            && self.repeated_second.is_empty()
            && self.unnumbered_first.is_empty()
            && self.unnumbered_second.is_empty()
            && self.columns_only_first.is_empty()
            && self.columns_only_second.is_empty()
    }
}

fn id_column(t: &RawTable) -> Result<usize> {
    for c in ID_COLUMNS {
        if let Some(i) = t
            .headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(c))
        {
            return Ok(i);
        }
    }
    bail!(
        "{}: no questionnaire-number column (expected one named {}): records cannot be matched",
        t.file,
        ID_COLUMNS[..3].join(" or ")
    )
}

/// Number → (first data row, cells); repeated numbers and rows without a number on the side.
type Indexed<'a> = (
    BTreeMap<String, (usize, &'a [String])>,
    Vec<(String, Vec<usize>)>,
    Vec<usize>,
    usize,
);

fn index(t: &RawTable, id: usize) -> Indexed<'_> {
    let mut map: BTreeMap<String, (usize, &[String])> = BTreeMap::new();
    let mut rows_of: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut unnumbered = Vec::new();
    let mut records = 0;
    for (ri, cells) in t.rows.iter().enumerate() {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        records += 1;
        let nr = cells
            .get(id)
            .map(|c| c.trim().to_string())
            .unwrap_or_default();
        let nr = match parse_number(&nr) {
            Some(x) if x.fract() == 0.0 => format!("{}", x as i64),
            _ => nr,
        };
        if nr.is_empty() {
            unnumbered.push(ri + 1);
            continue;
        }
        rows_of.entry(nr.clone()).or_default().push(ri + 1);
        map.entry(nr).or_insert((ri + 1, cells.as_slice()));
    }
    let repeated = rows_of.into_iter().filter(|(_, r)| r.len() > 1).collect();
    (map, repeated, unnumbered, records)
}

/// A cell as compared: trimmed, spaces collapsed, lower case; numbers as numbers; a choice's
/// label as its code when the questionnaire knows the column.
fn normal(cell: &str, header: &str, form: Option<&Questionnaire>) -> String {
    let s: String = cell
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    // A ticked-box column (`q/choice`): 0 and blank both mean "not ticked".
    if header.contains('/') && s == "0" {
        return String::new();
    }
    if let Some(x) = parse_number(&s) {
        return format!("{x}");
    }
    if let Some(q) = form.and_then(|f| f.question(header.trim()).map(|q| (f, q))) {
        let (f, q) = q;
        if q.kind == Kind::SelectOne {
            if let Some(c) = f.list_of(q).and_then(|l| {
                l.choices.iter().find(|c| {
                    c.name.to_lowercase() == s || c.label.values().any(|v| v.to_lowercase() == s)
                })
            }) {
                return c.name.clone();
            }
        }
    }
    s
}

/// Compare two transcriptions of the same batch.
pub fn compare(a: &RawTable, b: &RawTable, form: Option<&Questionnaire>) -> Result<Comparison> {
    let (ia, ib) = (id_column(a)?, id_column(b)?);
    let (ma, ra, ua, na) = index(a, ia);
    let (mb, rb, ub, nb) = index(b, ib);
    let ignored = |h: &str| IGNORED.iter().any(|x| h.trim().eq_ignore_ascii_case(x));
    let norm_h = |h: &str| h.trim().to_lowercase();
    let cols_b: BTreeMap<String, usize> = b
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| (norm_h(h), i))
        .collect();
    let cols_a: BTreeMap<String, usize> = a
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| (norm_h(h), i))
        .collect();
    let mut out = Comparison {
        first_records: na,
        second_records: nb,
        repeated_first: ra,
        repeated_second: rb,
        unnumbered_first: ua,
        unnumbered_second: ub,
        ..Comparison::default()
    };
    // Columns compared: those of the first file present in the second.
    let mut pairs: Vec<(usize, usize, &str)> = Vec::new();
    for (i, h) in a.headers.iter().enumerate() {
        if i == ia || ignored(h) || h.trim().is_empty() {
            continue;
        }
        match cols_b.get(&norm_h(h)) {
            Some(&j) => pairs.push((i, j, h.as_str())),
            None => out.columns_only_first.push(h.clone()),
        }
    }
    for (j, h) in b.headers.iter().enumerate() {
        if j != ib && !ignored(h) && !h.trim().is_empty() && !cols_a.contains_key(&norm_h(h)) {
            out.columns_only_second.push(h.clone());
        }
    }
    let cell = |cells: &[String], i: usize| {
        cells
            .get(i)
            .map(|c| c.trim().to_string())
            .unwrap_or_default()
    };
    // Numbers in questionnaire order where they are numeric.
    let mut numbers: Vec<&String> = ma.keys().collect();
    numbers.sort_by(|x, y| match (x.parse::<u64>(), y.parse::<u64>()) {
        (Ok(p), Ok(q)) => p.cmp(&q),
        _ => x.cmp(y),
    });
    for nr in numbers {
        let (_, ca) = ma[nr];
        let Some((_, cb)) = mb.get(nr) else {
            out.only_first.push(nr.clone());
            continue;
        };
        out.matched += 1;
        for &(i, j, h) in &pairs {
            let (va, vb) = (cell(ca, i), cell(cb, j));
            if normal(&va, h, form) != normal(&vb, h, form) {
                out.disagreements.push(Disagreement {
                    number: nr.clone(),
                    column: h.to_string(),
                    first: va,
                    second: vb,
                });
            }
        }
    }
    let mut rest: Vec<&String> = mb.keys().filter(|k| !ma.contains_key(*k)).collect();
    rest.sort_by(|x, y| match (x.parse::<u64>(), y.parse::<u64>()) {
        (Ok(p), Ok(q)) => p.cmp(&q),
        _ => x.cmp(y),
    });
    out.only_second = rest.into_iter().cloned().collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(file: &str, headers: &[&str], rows: &[&[&str]]) -> RawTable {
        RawTable {
            file: file.into(),
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
            detected: String::new(),
            file_hash: String::new(),
        }
    }

    #[test]
    fn lists_only_what_differs() {
        let form = crate::form::tests::form();
        let a = t(
            "a.csv",
            &[
                "nr_ankiety",
                "wprowadzil",
                "dzieci",
                "ile",
                "uslugi/klub",
                "uwagi",
            ],
            &[
                &["1", "AK", "Tak", "2", "1", "dużo  zajęć"],
                &["2", "AK", "nie", "", "", ""],
                &["3", "AK", "tak", "3", "", ""],
                &["5", "AK", "tak", "1", "", ""],
                &["5", "AK", "tak", "1", "", ""],
            ],
        );
        let b = t(
            "b.csv",
            &[
                "nr_ankiety",
                "wprowadzil",
                "dzieci",
                "ile",
                "uslugi/klub",
                "uwagi",
            ],
            &[
                &["1", "BW", "tak", "2,0", "1", "Dużo zajęć"],
                &["2.0", "BW", "nie", "", "0", ""],
                &["3", "BW", "nie", "8", "1", ""],
                &["4", "BW", "tak", "", "", ""],
                &["", "BW", "tak", "", "", ""],
            ],
        );
        let c = compare(&a, &b, Some(&form)).unwrap();
        assert_eq!(c.matched, 3);
        assert_eq!(
            c.disagreements,
            vec![
                Disagreement {
                    number: "3".into(),
                    column: "dzieci".into(),
                    first: "tak".into(),
                    second: "nie".into()
                },
                Disagreement {
                    number: "3".into(),
                    column: "ile".into(),
                    first: "3".into(),
                    second: "8".into()
                },
                Disagreement {
                    number: "3".into(),
                    column: "uslugi/klub".into(),
                    first: "".into(),
                    second: "1".into()
                },
            ]
        );
        assert_eq!(c.only_first, vec!["5".to_string()]);
        assert_eq!(c.only_second, vec!["4".to_string()]);
        assert_eq!(c.repeated_first, vec![("5".to_string(), vec![4, 5])]);
        assert_eq!(c.unnumbered_second, vec![5]);
        assert!(!c.identical());
        let same = compare(&a, &a, None).unwrap();
        assert!(same.disagreements.is_empty());
        assert!(
            compare(&t("x.csv", &["plec"], &[]), &a, None)
                .unwrap_err()
                .to_string()
                .contains("x.csv: no questionnaire-number column")
        );
    }
}
