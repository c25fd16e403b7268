//! Post-stratification weights: a population table by cells of grouping questions (usually age
//! band × sex), given as cells in diagnoza.toml or read from a GUS Bank Danych Lokalnych CSV
//! export, turned into one weight per respondent (population share / sample share of the cell).
//! It reads the population CSV named in diagnoza.toml and computes weights; it does not estimate
//! anything (that is the analysis proper).

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use serde::Serialize;

use super::coded::Coded;
use crate::template::{Kind, Questionnaire};
use crate::workspace::Workspace;

/// Population counts per cell: one choice code per weighting variable.
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationTable {
    /// Weighting variables (question names), e.g. `["wiek", "plec"]`.
    pub vars: Vec<String>,
    /// Cell (codes in `vars` order) → population count.
    pub cells: BTreeMap<Vec<String>, f64>,
    /// Where the table came from, for messages and the report.
    pub source: String,
}

/// One weighting cell as used.
#[derive(Debug, Clone, Serialize)]
pub struct CellWeight {
    pub codes: Vec<String>,
    pub population: f64,
    pub respondents: u64,
    pub weight: f64,
}

/// The weights of one analysis.
#[derive(Debug, Clone, Serialize)]
pub struct Weighting {
    pub vars: Vec<String>,
    pub source: String,
    pub cells: Vec<CellWeight>,
    /// Respondents without an answer to a weighting variable: weight 1.
    pub unclassified: u64,
    /// Kish effective sample size of the whole sample: (Σw)² / Σw².
    pub n_eff: f64,
    /// Design effect of weighting: n / n_eff.
    pub deff: f64,
    /// One weight per respondent, in the order of the responses (not serialised).
    #[serde(skip)]
    pub w: Vec<f64>,
}

/// The population table configured in diagnoza.toml (`[population]` with `cells` or `csv`), or
/// None when the workspace configures no weighting.
pub fn load_population(ws: &Workspace, form: &Questionnaire) -> Result<Option<PopulationTable>> {
    let Some(pop) = &ws.config.population else {
        return Ok(None);
    };
    let cfg = ws
        .dir
        .join(crate::workspace::CONFIG_FILE)
        .display()
        .to_string();
    match (&pop.csv, pop.cells.is_empty()) {
        (None, true) => Ok(None),
        (Some(_), false) => {
            bail!("{cfg}: [population] gives both csv and cells: keep one of them")
        }
        (Some(file), true) => {
            let path = ws.dir.join(file);
            let bytes = std::fs::read(&path).with_context(|| {
                format!("{cfg}: cannot read the population file {}", path.display())
            })?;
            let text = match String::from_utf8(bytes) {
                Ok(t) => t,
                // BDL exports are UTF-8; a file re-saved in Polish Excel is windows-1250.
                Err(e) => encoding_rs::WINDOWS_1250
                    .decode(e.as_bytes())
                    .0
                    .into_owned(),
            };
            if pop.weight_by.len() != 2 {
                bail!(
                    "{cfg}: with a population csv, weight_by must name the age and the sex                      question, e.g. [\"wiek\", \"plec\"]"
                );
            }
            let t = from_bdl_csv(
                &text,
                &path.display().to_string(),
                form,
                &pop.weight_by[0],
                &pop.weight_by[1],
                pop.unit.as_deref(),
            )?;
            Ok(Some(t))
        }
        (None, false) => {
            let mut cells = BTreeMap::new();
            for (i, c) in pop.cells.iter().enumerate() {
                let keys: Vec<&String> = c.codes.keys().collect();
                let mut want: Vec<&String> = pop.weight_by.iter().collect();
                want.sort();
                if keys != want {
                    bail!(
                        "{cfg}: [[population.cells]] number {}: has {} but weight_by is {} (each                          cell needs exactly one code per weighting variable, and count)",
                        i + 1,
                        keys.iter()
                            .map(|k| k.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        pop.weight_by.join(", ")
                    );
                }
                let key: Vec<String> = pop.weight_by.iter().map(|v| c.codes[v].clone()).collect();
                if cells.insert(key.clone(), c.count as f64).is_some() {
                    bail!(
                        "{cfg}: [[population.cells]] {} appears twice",
                        key.join(" × ")
                    );
                }
            }
            Ok(Some(PopulationTable {
                vars: pop.weight_by.clone(),
                cells,
                source: cfg,
            }))
        }
    }
}

/// Check a table's variables and codes against the questionnaire.
fn check_vars(form: &Questionnaire, t: &PopulationTable) -> Result<()> {
    if t.vars.is_empty() {
        bail!("{}: no weighting variables", t.source);
    }
    for v in &t.vars {
        let Some(q) = form.question(v) else {
            bail!(
                "{}: weighting variable '{v}' is not a question of the questionnaire '{}'",
                t.source,
                form.id
            );
        };
        if q.kind != Kind::SelectOne {
            bail!(
                "{}: weighting variable '{v}' must be a single-choice question",
                t.source
            );
        }
    }
    for (cell, count) in &t.cells {
        for (v, code) in t.vars.iter().zip(cell) {
            let q = form.question(v).expect("checked above");
            if form.list_of(q).and_then(|l| l.get(code)).is_none() {
                let codes: Vec<&str> = form
                    .list_of(q)
                    .map(|l| l.choices.iter().map(|c| c.name.as_str()).collect())
                    .unwrap_or_default();
                bail!(
                    "{}: population cell {v} = \"{code}\" is not a choice of '{v}' (choices: {})",
                    t.source,
                    codes.join(", ")
                );
            }
        }
        if !count.is_finite() || *count < 0.0 {
            bail!(
                "{}: population count {count} for {} is not a count",
                t.source,
                cell.join(" × ")
            );
        }
    }
    Ok(())
}

/// Weights for `responses`: respondents in cell c get (N_c / N) / (n_c / n), where N is the
/// population of all cells and n the number of classified respondents. Errors when a cell with
/// population has no respondents (its share cannot be represented) or when the table misses a
/// cell that respondents are in.
pub fn weights(form: &Questionnaire, coded: &Coded, t: &PopulationTable) -> Result<Weighting> {
    check_vars(form, t)?;
    let key = |r: usize| -> Option<Vec<String>> {
        t.vars
            .iter()
            .map(|v| coded.choice(v, r).map(str::to_string))
            .collect()
    };
    let keys: Vec<Option<Vec<String>>> = (0..coded.n).map(key).collect();
    let mut counts: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    for k in keys.iter().flatten() {
        *counts.entry(k.clone()).or_default() += 1;
    }
    let missing_in_table: Vec<String> = counts
        .keys()
        .filter(|k| !t.cells.contains_key(*k))
        .map(|k| k.join(" × "))
        .collect();
    if !missing_in_table.is_empty() {
        bail!(
            "{}: respondents are in cells the population table does not have: {} (add them, \
             with count = 0 if nobody lives there)",
            t.source,
            missing_in_table.join("; ")
        );
    }
    let empty: Vec<String> = t
        .cells
        .iter()
        .filter(|(k, n)| **n > 0.0 && !counts.contains_key(*k))
        .map(|(k, n)| format!("{} (population {n})", k.join(" × ")))
        .collect();
    if !empty.is_empty() {
        bail!(
            "{}: no respondents in the weighting cell(s) {}: their share of the population \
             cannot be represented; weight by fewer variables (population weight_by) or merge \
             bands, or analyse without weights (--no-weights)",
            t.source,
            empty.join("; ")
        );
    }
    let pop_total: f64 = t
        .cells
        .iter()
        .filter(|(k, _)| counts.contains_key(*k))
        .map(|(_, n)| n)
        .sum();
    let n_classified: u64 = counts.values().sum();
    if pop_total <= 0.0 || n_classified == 0 {
        bail!(
            "{}: the population table and the sample have no cell in common",
            t.source
        );
    }
    let mut cells = Vec::new();
    let mut cell_w: BTreeMap<&Vec<String>, f64> = BTreeMap::new();
    for (k, &pop) in &t.cells {
        let n = counts.get(k).copied().unwrap_or(0);
        let w = if n == 0 {
            0.0
        } else {
            (pop / pop_total) / (n as f64 / n_classified as f64)
        };
        cell_w.insert(k, w);
        cells.push(CellWeight {
            codes: k.clone(),
            population: pop,
            respondents: n,
            weight: w,
        });
    }
    let w: Vec<f64> = keys
        .iter()
        .map(|k| {
            k.as_ref()
                .and_then(|k| cell_w.get(k).copied())
                .unwrap_or(1.0)
        })
        .collect();
    let unclassified = keys.iter().filter(|k| k.is_none()).count() as u64;
    let (s1, s2) = w.iter().fold((0.0, 0.0), |(a, b), x| (a + x, b + x * x));
    let n_eff = if s2 > 0.0 { s1 * s1 / s2 } else { 0.0 };
    Ok(Weighting {
        vars: t.vars.clone(),
        source: t.source.clone(),
        cells,
        unclassified,
        n_eff,
        deff: if n_eff > 0.0 {
            coded.n as f64 / n_eff
        } else {
            0.0
        },
        w,
    })
}

/// Kish effective sample size of a set of weights: (Σw)² / Σw².
pub fn kish(w: &[f64]) -> f64 {
    let (s1, s2) = w.iter().fold((0.0, 0.0), |(a, b), x| (a + x, b + x * x));
    if s2 > 0.0 { s1 * s1 / s2 } else { 0.0 }
}

/// An age range in years; `hi` None = "and over".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgeRange {
    pub lo: u32,
    pub hi: Option<u32>,
}

impl std::fmt::Display for AgeRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.hi {
            Some(h) if h == self.lo => write!(f, "{}", self.lo),
            Some(h) => write!(f, "{}–{h}", self.lo),
            None => write!(f, "{}+", self.lo),
        }
    }
}

/// Parse an age label: a GUS band ("20-24", "20 - 24 lata", "85 i więcej", "85 lat i więcej",
/// "85+", a single year "18") or a questionnaire choice code ("18_24", "75_plus").
pub fn parse_age(s: &str) -> Option<AgeRange> {
    let t = s.trim().to_lowercase().replace(['–', '—'], "-");
    let nums: Vec<u32> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|x| !x.is_empty())
        .filter_map(|x| x.parse().ok())
        .collect();
    let open = t.contains("więcej")
        || t.contains("wiecej")
        || t.contains("plus")
        || t.ends_with('+')
        || t.contains("over")
        || t.contains("powyżej");
    match (nums.as_slice(), open) {
        ([a], true) => Some(AgeRange { lo: *a, hi: None }),
        ([a], false) => Some(AgeRange {
            lo: *a,
            hi: Some(*a),
        }),
        ([a, b], false) if a <= b => Some(AgeRange {
            lo: *a,
            hi: Some(*b),
        }),
        _ => None,
    }
}

/// Canonical sex from a GUS header or a choice code: Some("k") women, Some("m") men.
fn sex_key(s: &str) -> Option<&'static str> {
    let t = s.trim().to_lowercase();
    if t.starts_with("kobiet") || t == "k" || t.starts_with("female") || t.starts_with("wom") {
        Some("k")
    } else if t.starts_with("mężczy")
        || t.starts_with("mezczy")
        || t == "m"
        || t.starts_with("male")
        || t == "men"
        || t == "man"
    {
        Some("m")
    } else {
        None
    }
}

/// Read a GUS BDL CSV export of population by age and sex (semicolon-separated, Polish headers)
/// and aggregate it into the questionnaire's age bands (`age_var`) × sex (`sex_var`).
///
/// Two layouts are read: the wide table view (`Kod;Nazwa;` then one column per sex × age, the
/// header cell holding `sex;age;year;[osoba]` or `age;sex;year;[osoba]`) and the long view (one
/// row per value, with columns `Płeć`, `Wiek`, `Wartość`). A file with several territorial units
/// (rows) is an error unless `unit` names the row (by its code or name). Ages outside every
/// questionnaire band (children) are left out; a GUS band that straddles a questionnaire band's
/// limit, or a questionnaire band with no GUS band in it, is an error naming both.
pub fn from_bdl_csv(
    text: &str,
    file: &str,
    form: &Questionnaire,
    age_var: &str,
    sex_var: &str,
    unit: Option<&str>,
) -> Result<PopulationTable> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| anyhow::anyhow!("{file}: row {}: {e}", i + 1))?;
        rows.push(rec.iter().map(|c| c.trim().to_string()).collect());
    }
    let Some(header) = rows.first().cloned() else {
        bail!("{file}: the file is empty")
    };
    let col = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.contains(&h.to_lowercase().as_str()))
    };
    // (sex key, age range, count) triples
    let mut values: Vec<(String, &'static str, AgeRange, f64)> = Vec::new();
    let parse_num = |s: &str, row: usize, c: usize| -> Result<Option<f64>> {
        let t = s.replace([' ', '\u{a0}'], "").replace(',', ".");
        if t.is_empty() || t == "-" {
            return Ok(None);
        }
        t.parse::<f64>().map(Some).map_err(|_| {
            anyhow::anyhow!(
                "{file}: row {row}, column {}: \"{s}\" is not a number",
                c + 1
            )
        })
    };
    let unit_col = col(&["kod"]);
    let name_col = col(&["nazwa"]);
    let unit_of = |r: &Vec<String>| -> String {
        let k = unit_col.and_then(|c| r.get(c)).cloned().unwrap_or_default();
        let n = name_col.and_then(|c| r.get(c)).cloned().unwrap_or_default();
        format!("{k} {n}").trim().to_string()
    };
    let wanted = |r: &Vec<String>| -> bool {
        match unit {
            None => true,
            Some(u) => {
                unit_col.and_then(|c| r.get(c)).is_some_and(|x| x == u)
                    || name_col
                        .and_then(|c| r.get(c))
                        .is_some_and(|x| x.eq_ignore_ascii_case(u))
            }
        }
    };
    if let (Some(sc), Some(ac), Some(vc)) = (
        col(&["płeć", "plec"]),
        col(&["wiek"]),
        col(&["wartość", "wartosc"]),
    ) {
        // Long layout.
        for (i, r) in rows.iter().enumerate().skip(1) {
            if r.iter().all(String::is_empty) || !wanted(r) {
                continue;
            }
            let get = |c: usize| r.get(c).map(String::as_str).unwrap_or("");
            let Some(sex) = sex_key(get(sc)) else {
                continue;
            }; // "ogółem"
            let Some(age) = parse_age(get(ac)) else {
                continue;
            }; // "ogółem", "w wieku …"
            if let Some(v) = parse_num(get(vc), i + 1, vc)? {
                values.push((unit_of(r), sex, age, v));
            }
        }
    } else {
        // Wide layout: header cells "mężczyźni;20-24;2024;[osoba]".
        let mut cols: Vec<(usize, &'static str, AgeRange)> = Vec::new();
        for (c, h) in header.iter().enumerate() {
            let parts: Vec<&str> = h.split(';').map(str::trim).collect();
            let sex = parts.iter().find_map(|p| sex_key(p));
            let age = parts
                .iter()
                .filter(|p| !p.starts_with('['))
                .filter(|p| !(p.len() == 4 && p.chars().all(|x| x.is_ascii_digit())))
                .find_map(|p| {
                    if sex_key(p).is_some() {
                        None
                    } else {
                        parse_age(p)
                    }
                });
            if let (Some(s), Some(a)) = (sex, age) {
                cols.push((c, s, a));
            }
        }
        if cols.is_empty() {
            bail!(
                "{file}: no column of population by sex and age found: expected a GUS BDL export \
                 with headers like \"kobiety;20-24;2024;[osoba]\" or columns Płeć, Wiek, Wartość"
            );
        }
        for (i, r) in rows.iter().enumerate().skip(1) {
            if r.iter().all(String::is_empty) || !wanted(r) {
                continue;
            }
            for &(c, s, a) in &cols {
                if let Some(v) = parse_num(r.get(c).map(String::as_str).unwrap_or(""), i + 1, c)? {
                    values.push((unit_of(r), s, a, v));
                }
            }
        }
    }
    let mut units: Vec<&str> = values.iter().map(|v| v.0.as_str()).collect();
    units.sort_unstable();
    units.dedup();
    if units.len() > 1 {
        bail!(
            "{file}: the file holds {} territorial units ({}): name the gmina with population \
             unit = \"<Kod or Nazwa>\"",
            units.len(),
            units.join("; ")
        );
    }
    if values.is_empty() {
        bail!("{file}: no population counts by sex and age found");
    }
    aggregate(
        values.into_iter().map(|v| (v.1, v.2, v.3)).collect(),
        file,
        form,
        age_var,
        sex_var,
    )
}

/// Sum (sex, age range, count) values into the questionnaire's age bands × sex.
pub fn aggregate(
    values: Vec<(&'static str, AgeRange, f64)>,
    file: &str,
    form: &Questionnaire,
    age_var: &str,
    sex_var: &str,
) -> Result<PopulationTable> {
    let age_q = form.question(age_var).ok_or_else(|| {
        anyhow::anyhow!("{file}: age variable '{age_var}' is not a question of the questionnaire")
    })?;
    let sex_q = form.question(sex_var).ok_or_else(|| {
        anyhow::anyhow!("{file}: sex variable '{sex_var}' is not a question of the questionnaire")
    })?;
    let bands: Vec<(String, AgeRange)> = form
        .list_of(age_q)
        .map(|l| {
            l.choices
                .iter()
                .filter_map(|c| parse_age(&c.name).map(|a| (c.name.clone(), a)))
                .collect()
        })
        .unwrap_or_default();
    if bands.is_empty() {
        bail!("{file}: the choices of '{age_var}' are not age bands like 18_24 or 75_plus");
    }
    let sexes: Vec<(String, &'static str)> = form
        .list_of(sex_q)
        .map(|l| {
            l.choices
                .iter()
                .filter_map(|c| sex_key(&c.name).map(|k| (c.name.clone(), k)))
                .collect()
        })
        .unwrap_or_default();
    if sexes.len() < 2 {
        bail!("{file}: the choices of '{sex_var}' are not recognised as women / men");
    }
    let inside = |r: AgeRange, b: AgeRange| -> bool {
        r.lo >= b.lo
            && match (r.hi, b.hi) {
                (_, None) => true,
                (Some(rh), Some(bh)) => rh <= bh,
                (None, Some(_)) => false,
            }
    };
    let overlaps = |r: AgeRange, b: AgeRange| -> bool {
        let r_hi = r.hi.unwrap_or(u32::MAX);
        let b_hi = b.hi.unwrap_or(u32::MAX);
        r.lo <= b_hi && b.lo <= r_hi
    };
    let mut cells: BTreeMap<Vec<String>, f64> = BTreeMap::new();
    // (band, sex) → the population age ranges summed into it, to check they tile the band.
    let mut parts: BTreeMap<(String, String), Vec<AgeRange>> = BTreeMap::new();
    for (sex, age, count) in values {
        let Some((sex_code, _)) = sexes.iter().find(|s| s.1 == sex) else {
            continue;
        };
        if let Some((code, _)) = bands.iter().find(|(_, b)| inside(age, *b)) {
            *cells
                .entry(vec![code.clone(), sex_code.clone()])
                .or_default() += count;
            parts
                .entry((code.clone(), sex_code.clone()))
                .or_default()
                .push(age);
        } else if let Some((code, b)) = bands.iter().find(|(_, b)| overlaps(age, *b)) {
            bail!(
                "{file}: the population age group {age} straddles the questionnaire's band {code} \
                 ({b}): the bands do not match; download single years of age (BDL \"Ludność wg \
                 pojedynczych roczników wieku i płci\") or give the cells in diagnoza.toml"
            );
        }
    }
    // Every band × sex must be tiled by the population's ranges: no gap, no year counted twice.
    let mut problems = Vec::new();
    for (code, b) in &bands {
        for (sex_code, _) in &sexes {
            let Some(v) = parts.get_mut(&(code.clone(), sex_code.clone())) else {
                problems.push(format!("{code} ({b}) × {sex_code}: no population counts"));
                continue;
            };
            v.sort_by_key(|r| r.lo);
            let mut next = Some(b.lo);
            for r in v.iter() {
                match next {
                    Some(n) if r.lo == n => next = r.hi.map(|h| h + 1),
                    Some(n) if r.lo > n => {
                        problems.push(format!(
                            "{code} ({b}) × {sex_code}: ages {n}–{} missing",
                            r.lo - 1
                        ));
                        next = r.hi.map(|h| h + 1);
                    }
                    _ => {
                        problems.push(format!(
                            "{code} ({b}) × {sex_code}: age group {r} counted twice"
                        ));
                    }
                }
            }
            match (next, b.hi) {
                (Some(n), Some(h)) if n <= h => {
                    problems.push(format!("{code} ({b}) × {sex_code}: ages {n}–{h} missing"))
                }
                (Some(n), None) => problems.push(format!(
                    "{code} ({b}) × {sex_code}: ages {n} and over missing"
                )),
                _ => {}
            }
        }
    }
    if !problems.is_empty() {
        bail!(
            "{file}: the population does not cover the questionnaire's age bands: {}",
            problems.join("; ")
        );
    }
    Ok(PopulationTable {
        vars: vec![age_var.to_string(), sex_var.to_string()],
        cells,
        source: file.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::{Answer, Channel, Missing, Provenance, Response};

    fn form() -> Questionnaire {
        crate::template::builtin("mieszkancy")
            .map(|t| crate::template::load_str(t, "mieszkancy").unwrap().form)
            .unwrap()
    }

    #[test]
    fn ages_parse() {
        assert_eq!(
            parse_age("20-24"),
            Some(AgeRange {
                lo: 20,
                hi: Some(24)
            })
        );
        assert_eq!(
            parse_age("85 i więcej"),
            Some(AgeRange { lo: 85, hi: None })
        );
        assert_eq!(
            parse_age("85 lat i więcej"),
            Some(AgeRange { lo: 85, hi: None })
        );
        assert_eq!(
            parse_age("18_24"),
            Some(AgeRange {
                lo: 18,
                hi: Some(24)
            })
        );
        assert_eq!(parse_age("75_plus"), Some(AgeRange { lo: 75, hi: None }));
        assert_eq!(
            parse_age("18"),
            Some(AgeRange {
                lo: 18,
                hi: Some(18)
            })
        );
        assert_eq!(parse_age("ogółem"), None);
    }

    fn coded(rs: &[Response]) -> Coded {
        Coded::from_responses(&form(), rs).unwrap()
    }

    fn resp(wiek: Option<&str>, plec: &str) -> Response {
        let mut a = BTreeMap::new();
        a.insert(
            "wiek".to_string(),
            wiek.map(|w| Answer::Choice(w.into()))
                .unwrap_or(Answer::Missing(Missing::NotAnswered)),
        );
        a.insert("plec".to_string(), Answer::Choice(plec.into()));
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

    #[test]
    fn hand_worked_weights_and_kish() {
        // Population: 18_24 women 300, men 100 (N = 400). Sample: 2 women, 2 men, 1 unclassified.
        // Women: (300/400)/(2/4) = 1.5; men: (100/400)/(2/4) = 0.5; unclassified: 1.
        let f = form();
        let mut cells = BTreeMap::new();
        cells.insert(vec!["18_24".to_string(), "kobieta".to_string()], 300.0);
        cells.insert(vec!["18_24".to_string(), "mezczyzna".to_string()], 100.0);
        let t = PopulationTable {
            vars: vec!["wiek".into(), "plec".into()],
            cells,
            source: "t".into(),
        };
        let rs = vec![
            resp(Some("18_24"), "kobieta"),
            resp(Some("18_24"), "kobieta"),
            resp(Some("18_24"), "mezczyzna"),
            resp(Some("18_24"), "mezczyzna"),
            resp(None, "kobieta"),
        ];
        let w = weights(&f, &coded(&rs), &t).unwrap();
        assert_eq!(w.w, vec![1.5, 1.5, 0.5, 0.5, 1.0]);
        assert_eq!(w.unclassified, 1);
        // Kish: Σw = 5, Σw² = 2.25+2.25+0.25+0.25+1 = 6 → 25/6
        assert!((w.n_eff - 25.0 / 6.0).abs() < 1e-12);
        assert!((kish(&w.w) - 25.0 / 6.0).abs() < 1e-12);
        // A respondent in a cell the table lacks, and a populated cell without respondents.
        let e = weights(&f, &coded(&[resp(Some("25_34"), "kobieta")]), &t)
            .unwrap_err()
            .to_string();
        assert!(e.contains("25_34 × kobieta"), "{e}");
        let e = weights(&f, &coded(&rs[..2]), &t).unwrap_err().to_string();
        assert!(
            e.contains("no respondents") && e.contains("18_24 × mezczyzna"),
            "{e}"
        );
        let bad = PopulationTable {
            vars: vec!["nie_ma".into()],
            cells: BTreeMap::new(),
            source: "t".into(),
        };
        assert!(
            weights(&f, &coded(&rs), &bad)
                .unwrap_err()
                .to_string()
                .contains("'nie_ma'")
        );
    }

    /// A BDL-style wide export of population by single years of age and sex (2024, one gmina);
    /// the "ogółem" columns and children's ages are ignored. Counts are synthetic.
    pub const BDL_WIDE: &str =
        include_str!("../../tests/fixtures/analysis/bdl_ludnosc_wiek_plec.csv");

    #[test]
    fn bdl_wide_export_aggregates_into_the_questionnaire_bands() {
        let f = form();
        let t = from_bdl_csv(BDL_WIDE, "bdl.csv", &f, "wiek", "plec", None).unwrap();
        let get = |a: &str, s: &str| t.cells[&vec![a.to_string(), s.to_string()]];
        // Sums over the single years, computed independently (Python) from the fixture's columns.
        assert_eq!(get("18_24", "kobieta"), 469.0);
        assert_eq!(get("18_24", "mezczyzna"), 459.0);
        assert_eq!(get("45_59", "kobieta"), 1026.0);
        assert_eq!(get("75_plus", "kobieta"), 757.0);
        assert_eq!(get("75_plus", "mezczyzna"), 718.0);
        assert_eq!(t.cells.len(), 12);
    }

    #[test]
    fn bdl_bands_that_do_not_match_are_refused() {
        let f = form();
        let text = "Kod;Nazwa;\"kobiety;15-19;2024;[osoba]\";\"kobiety;20-24;2024;[osoba]\";\"mężczyźni;15-19;2024;[osoba]\"\n\
                    \"2818022\";\"Wydminy\";\"150\";\"152\";\"160\"\n";
        let e = from_bdl_csv(text, "bdl.csv", &f, "wiek", "plec", None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("15–19") && e.contains("18_24") && e.contains("pojedynczych"),
            "{e}"
        );
        let long = "Kod;Nazwa;Płeć;Wiek;Rok;Wartość;Jednostka miary\n\
                    2818022;Wydminy;kobiety;20-24;2024;152;osoba\n";
        let e = from_bdl_csv(long, "long.csv", &f, "wiek", "plec", None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("does not cover") && e.contains("ages 18–19 missing"),
            "{e}"
        );
        let two = "Kod;Nazwa;Płeć;Wiek;Rok;Wartość;Jednostka miary\n\
                   2818022;Wydminy;kobiety;20-24;2024;152;osoba\n\
                   2818032;Giżycko;kobiety;20-24;2024;900;osoba\n";
        let e = from_bdl_csv(two, "two.csv", &f, "wiek", "plec", None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("2 territorial units") && e.contains("unit"),
            "{e}"
        );
    }

    fn ws_with(extra: &str) -> (tempfile::TempDir, Workspace) {
        let d = tempfile::tempdir().unwrap();
        let text = format!(
            "{}\n{extra}",
            crate::workspace::initial_config("Testowo", "mieszkancy")
        );
        std::fs::write(d.path().join(crate::workspace::CONFIG_FILE), text).unwrap();
        let ws = Workspace::open(d.path()).unwrap();
        (d, ws)
    }

    #[test]
    fn population_from_diagnoza_toml() {
        let f = form();
        let (_d, ws) = ws_with(
            "[population]\nadults = 900\n[[population.cells]]\nwiek = \"18_24\"\nplec = \"kobieta\"\ncount = 300\n\
             [[population.cells]]\nwiek = \"18_24\"\nplec = \"mezczyzna\"\ncount = 100\n",
        );
        let t = load_population(&ws, &f).unwrap().unwrap();
        assert_eq!(t.vars, vec!["wiek", "plec"]);
        assert_eq!(
            t.cells[&vec!["18_24".to_string(), "kobieta".to_string()]],
            300.0
        );
        let (_d, ws) = ws_with(
            "[population]\nadults = 900\n[[population.cells]]\nwiek = \"18_24\"\ncount = 3\n",
        );
        let e = load_population(&ws, &f).unwrap_err().to_string();
        assert!(
            e.contains("number 1") && e.contains("weight_by is wiek, plec"),
            "{e}"
        );
        let (_d, ws) = ws_with("[population]\nadults = 900\n");
        assert!(load_population(&ws, &f).unwrap().is_none());
        let (d, ws) = ws_with("[population]\ncsv = \"bdl.csv\"\n");
        std::fs::write(d.path().join("bdl.csv"), BDL_WIDE).unwrap();
        let t = load_population(&ws, &f).unwrap().unwrap();
        assert_eq!(t.cells.len(), 12);
    }
}
