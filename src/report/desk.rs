//! Desk data ("dane zastane") for stage III: tables read from the CSV files that diagnoza.toml
//! lists under `[[desk_data]]` — population by age and sex (including the long layout GUS Bank
//! Danych Lokalnych exports: `Kod;Nazwa;wiek;płeć;2019;2023;…`), social-assistance beneficiaries
//! by reason, and resources. [`parse`] checks a table already read by `ingest` (encoding and
//! delimiter are settled there) and reports unexpected columns or values with file, row and
//! column; [`blocks`] adds the table, its source and year, and a population pyramid to the
//! report. It does not read files.

use anyhow::{Result, bail};

use super::{Builder, Cell, Fmt};
use crate::chart;
use crate::ingest::RawTable;
use crate::workspace::DeskData;

/// A checked desk-data table.
#[derive(Debug, Clone)]
pub struct DeskTable {
    pub title: String,
    pub source: String,
    pub year: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// For population tables: (age bands youngest first, men, women).
    pub pyramid: Option<(Vec<String>, Vec<f64>, Vec<f64>)>,
    /// One line under the table (e.g. the share of people aged 65+).
    pub note: String,
}

fn norm(s: &str) -> String {
    s.trim().trim_matches('"').to_lowercase()
}

/// A number as GUS and spreadsheets write it: `1 234`, `1234,5`, `-` or empty for none.
fn number(s: &str) -> Option<Option<f64>> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    if t.is_empty() || t == "-" || t == "–" {
        return Some(None);
    }
    // `1e309`, `NaN`, `inf` are not counts: not numbers.
    t.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .map(Some)
}

/// A number cell shown as typed when it is a whole number (`99999999999999999999` stays so, not
/// reformatted through f64).
fn typed_cell(typed: &str, v: f64, lang: &str) -> Cell {
    let t: String = typed
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    let digits = t.strip_prefix('-').unwrap_or(&t);
    let mut c = num_cell(v, lang);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        c.text = typed.trim().to_string();
    }
    c
}

/// A text cell that looks like a number or a date must be one: `NaN`, `inf`, `1e309`,
/// `2023-02-30` are errors naming the place; other text is redacted (a desk note may name a
/// person).
fn text_cell(v: &str, file: &str, row: usize, col: &str) -> Result<Cell> {
    let lower = v.trim().to_lowercase();
    let t = lower.trim_start_matches(['+', '-']);
    if matches!(t, "nan" | "inf" | "infinity") || lower.parse::<f64>().is_ok_and(|x| !x.is_finite())
    {
        bail!("{file}: row {row}, column '{col}': '{v}' is not a finite number");
    }
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4})$")
            .expect("valid regex")
    });
    if DATE.is_match(v.trim()) && crate::ingest::map::parse_date(v).is_none() {
        bail!("{file}: row {row}, column '{col}': '{v}' is not a date that exists");
    }
    Ok(Cell::text(crate::safe::redact(v)))
}

fn num_cell(v: f64, lang: &str) -> Cell {
    let text = if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        super::num(v, lang)
    };
    Cell {
        text,
        value: Some(v),
        fmt: if v.fract() == 0.0 { Fmt::Int } else { Fmt::Num },
        muted: false,
    }
}

/// The lower bound of an age band ("0-4" → 0, "85 i więcej" → 85, "85+" → 85).
fn age_start(band: &str) -> Option<u32> {
    let d: String = band
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    d.parse().ok()
}

/// Check a desk-data table read from `spec.file`.
pub fn parse(spec: &DeskData, t: &RawTable, lang: &str) -> Result<DeskTable> {
    let file = &t.file;
    let headers: Vec<String> = t
        .headers
        .iter()
        .map(|h| h.trim().trim_matches('"').to_string())
        .collect();
    // GUS exports end rows with ';': drop empty trailing columns.
    let width = headers
        .iter()
        .rposition(|h| !h.is_empty())
        .map(|i| i + 1)
        .unwrap_or(0);
    if width < 2 {
        bail!(
            "{file}: a desk-data table needs a header row with at least two columns (found: {})",
            headers.join(", ")
        );
    }
    let mut out = DeskTable {
        title: spec.title.clone(),
        source: spec.source.clone(),
        year: spec.year.clone(),
        headers: Vec::new(),
        rows: Vec::new(),
        pyramid: None,
        note: String::new(),
    };
    match spec.kind.as_str() {
        "population" => {
            let col = |names: &[&str]| {
                headers[..width]
                    .iter()
                    .position(|h| names.contains(&norm(h).as_str()))
            };
            let (Some(age), Some(sex)) = (
                col(&["wiek", "age", "grupa wieku"]),
                col(&["płeć", "plec", "sex"]),
            ) else {
                bail!(
                    "{file}: a population table needs the columns 'wiek' (age) and 'płeć' (sex) as in a GUS BDL export \
                     (Kod;Nazwa;wiek;płeć;2023), found: {}",
                    headers[..width].join(", ")
                );
            };
            // value column: the configured year, else the last year column, else 'wartość'
            let years: Vec<usize> = (0..width)
                .filter(|&i| {
                    headers[i].len() == 4 && headers[i].chars().all(|c| c.is_ascii_digit())
                })
                .collect();
            let value_col = if let Some(i) =
                (0..width).find(|&i| !spec.year.is_empty() && headers[i] == spec.year)
            {
                i
            } else if let Some(&i) = years.last() {
                i
            } else if let Some(i) = col(&["wartość", "wartosc", "value", "liczba"]) {
                i
            } else {
                bail!(
                    "{file}: a population table needs a year column (e.g. 2023) or a 'wartość' column, found: {}",
                    headers[..width].join(", ")
                );
            };
            if out.year.is_empty() && years.contains(&value_col) {
                out.year = headers[value_col].clone();
            }
            let mut bands: Vec<(u32, String, f64, f64)> = Vec::new();
            // the earliest year column, for the change between years
            let first_col = years.first().copied().filter(|&i| i != value_col);
            let mut first_total = 0.0;
            for (r, row) in t.rows.iter().enumerate() {
                let cell = |i: usize| row.get(i).map(|s| s.trim()).unwrap_or("");
                let band = cell(age).to_string();
                let s = norm(cell(sex));
                if band.is_empty()
                    || norm(&band) == "ogółem"
                    || norm(&band) == "ogolem"
                    || s == "ogółem"
                    || s == "ogolem"
                {
                    continue;
                }
                let Some(start) = age_start(&band) else {
                    bail!(
                        "{file}: row {}, column '{}': '{}' is not an age band (expected e.g. 0-4, 85 i więcej)",
                        r + 1,
                        headers[age],
                        band
                    );
                };
                let v = match number(cell(value_col)) {
                    Some(v) => v.unwrap_or(0.0),
                    None => bail!(
                        "{file}: row {}, column '{}': '{}' is not a number",
                        r + 1,
                        headers[value_col],
                        cell(value_col)
                    ),
                };
                if let Some(fc) = first_col {
                    first_total += number(cell(fc)).flatten().unwrap_or(0.0);
                }
                let idx = match bands.iter().position(|b| b.1 == band) {
                    Some(i) => i,
                    None => {
                        bands.push((start, band.clone(), 0.0, 0.0));
                        bands.len() - 1
                    }
                };
                if s.starts_with("mężczy")
                    || s.starts_with("mezczy")
                    || s == "m"
                    || s == "men"
                    || s == "male"
                {
                    bands[idx].2 += v;
                } else if s.starts_with("kobiet") || s == "k" || s == "women" || s == "female" {
                    bands[idx].3 += v;
                } else {
                    bail!(
                        "{file}: row {}, column '{}': '{}' is not a sex (expected mężczyźni, kobiety or ogółem)",
                        r + 1,
                        headers[sex],
                        cell(sex)
                    );
                }
            }
            if bands.is_empty() {
                bail!("{file}: no rows with an age band and a sex (mężczyźni/kobiety)");
            }
            bands.sort_by_key(|b| b.0);
            let total: f64 = bands.iter().map(|b| b.2 + b.3).sum();
            let old: f64 = bands.iter().filter(|b| b.0 >= 65).map(|b| b.2 + b.3).sum();
            let (m, w) = if lang == "pl" {
                ("Mężczyźni", "Kobiety")
            } else {
                ("Men", "Women")
            };
            out.headers = vec![
                if lang == "pl" { "Wiek" } else { "Age" }.into(),
                m.into(),
                w.into(),
                if lang == "pl" { "Razem" } else { "Total" }.into(),
            ];
            for b in &bands {
                out.rows.push(vec![
                    Cell::text(b.1.clone()),
                    num_cell(b.2, lang),
                    num_cell(b.3, lang),
                    num_cell(b.2 + b.3, lang),
                ]);
            }
            let (sm, sw): (f64, f64) = (
                bands.iter().map(|b| b.2).sum(),
                bands.iter().map(|b| b.3).sum(),
            );
            out.rows.push(vec![
                Cell::text(out.headers[3].clone()),
                num_cell(sm, lang),
                num_cell(sw, lang),
                num_cell(total, lang),
            ]);
            if total > 0.0 && bands.iter().any(|b| b.0 >= 65) {
                out.note = match lang {
                    "pl" => format!(
                        "Osoby w wieku 65 lat i więcej: {} ({} ludności).",
                        num_cell(old, lang).text,
                        super::pct(old / total, lang)
                    ),
                    _ => format!(
                        "People aged 65 and over: {} ({} of the population).",
                        num_cell(old, lang).text,
                        super::pct(old / total, lang)
                    ),
                };
            }
            if total > 0.0 {
                let mut more = Vec::new();
                let sum = |f: &dyn Fn(u32) -> bool| -> f64 {
                    bands.iter().filter(|b| f(b.0)).map(|b| b.2 + b.3).sum()
                };
                if bands.iter().any(|b| b.0 == 80) {
                    let x = sum(&|a| a >= 80);
                    more.push(crate::lang::fill(
                        crate::lang::report::tr(lang, crate::lang::report::R::Desk80),
                        &[
                            ("n", &num_cell(x, lang).text),
                            ("share", &super::pct(x / total, lang)),
                        ],
                    ));
                }
                let working = sum(&|a| (15..65).contains(&a));
                if bands.iter().any(|b| b.0 == 15)
                    && bands.iter().any(|b| b.0 == 65)
                    && working > 0.0
                {
                    more.push(crate::lang::fill(
                        crate::lang::report::tr(lang, crate::lang::report::R::DeskDependency),
                        &[("ratio", &super::num(100.0 * old / working, lang))],
                    ));
                }
                if let Some(fc) = first_col.filter(|_| first_total > 0.0) {
                    more.push(crate::lang::fill(
                        crate::lang::report::tr(lang, crate::lang::report::R::DeskChange),
                        &[
                            ("from", &num_cell(first_total, lang).text),
                            ("y0", &headers[fc]),
                            ("to", &num_cell(total, lang).text),
                            ("y1", &headers[value_col]),
                            (
                                "change",
                                &super::num(100.0 * (total - first_total) / first_total, lang),
                            ),
                        ],
                    ));
                }
                for m in more {
                    if !out.note.is_empty() {
                        out.note.push(' ');
                    }
                    out.note.push_str(&m);
                }
            }
            out.pyramid = Some((
                bands.iter().map(|b| b.1.clone()).collect(),
                bands.iter().map(|b| b.2).collect(),
                bands.iter().map(|b| b.3).collect(),
            ));
        }
        "assistance" | "resources" | "table" => {
            out.headers = headers[..width].to_vec();
            for (r, row) in t.rows.iter().enumerate() {
                if row.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                let mut cells = vec![Cell::text(crate::safe::redact(
                    row.first().map(|s| s.trim()).unwrap_or(""),
                ))];
                for (c, h) in headers.iter().enumerate().take(width).skip(1) {
                    let v = row.get(c).map(|s| s.trim()).unwrap_or("");
                    match (spec.kind.as_str(), number(v)) {
                        (_, Some(Some(x))) => cells.push(typed_cell(v, x, lang)),
                        (_, Some(None)) => cells.push(Cell::text("")),
                        ("assistance", None) => bail!(
                            "{file}: row {}, column '{h}': '{v}' is not a number (an assistance table has the reason in the first column and counts in the others)",
                            r + 1
                        ),
                        _ => cells.push(text_cell(v, file, r + 1, h)?),
                    }
                }
                out.rows.push(cells);
            }
            if out.rows.is_empty() {
                bail!("{file}: the table has no data rows");
            }
        }
        other => bail!(
            "desk data {file}: kind '{other}' is not known (expected population, assistance, resources or table)"
        ),
    }
    Ok(out)
}

/// The report blocks of one desk table: heading, table with source and year, pyramid.
pub(super) fn blocks(b: &mut Builder, d: &DeskTable) {
    let src = [
        (!d.source.is_empty()).then(|| format!("{}: {}", b.t["source"], d.source)),
        (!d.year.is_empty()).then(|| format!("{} {}", b.t["year"], d.year)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let note = [src, d.note.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(". ");
    b.table(d.title.clone(), d.headers.clone(), d.rows.clone(), note);
    if let Some((bands, men, women)) = &d.pyramid {
        let caption = format!(
            "{}{}",
            b.t["pyramid"],
            if d.year.is_empty() {
                String::new()
            } else {
                format!(" ({})", d.year)
            }
        );
        b.chart(
            caption.clone(),
            chart::pyramid_svg(&caption, bands, men, women, b.t["men"], b.t["women"]),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: &str) -> DeskData {
        DeskData {
            file: "d.csv".into(),
            kind: kind.into(),
            title: "T".into(),
            source: String::new(),
            year: String::new(),
        }
    }

    fn table(rows: &[&[&str]]) -> RawTable {
        RawTable {
            file: "d.csv".into(),
            headers: vec!["powód".into(), "liczba".into()],
            rows: rows
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
            ..RawTable::default()
        }
    }

    #[test]
    fn non_finite_numbers_and_impossible_dates_are_errors() {
        for bad in ["1e309", "NaN", "-inf"] {
            let e = parse(&spec("assistance"), &table(&[&["ubóstwo", bad]]), "pl").unwrap_err();
            assert!(e.to_string().contains(bad), "{e}");
            let e = parse(&spec("table"), &table(&[&["ubóstwo", bad]]), "pl").unwrap_err();
            assert!(e.to_string().contains("row 1, column 'liczba'"), "{e}");
        }
        let e = parse(&spec("table"), &table(&[&["x", "2023-02-30"]]), "pl").unwrap_err();
        assert!(e.to_string().contains("not a date"), "{e}");
    }

    #[test]
    fn numbers_echo_as_typed_and_notes_are_redacted() {
        let d = parse(
            &spec("table"),
            &table(&[
                &["ubóstwo", "99999999999999999999"],
                &["Jan Kowalski tel. 601 234 567", "x"],
            ]),
            "pl",
        )
        .unwrap();
        assert_eq!(d.rows[0][1].text, "99999999999999999999");
        assert!(
            !d.rows[1][0].text.contains("Kowalski"),
            "{}",
            d.rows[1][0].text
        );
        assert!(!d.rows[1][0].text.contains("601"), "{}", d.rows[1][0].text);
    }
}
