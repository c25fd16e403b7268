//! `diagnoza verify FIRST SECOND`: double data entry. Two clerks type the same paper batch; this
//! lists only the disagreeing cells (number, question, first value, second value) and the
//! questionnaires present in one file only. Exit 1 when anything differs, 0 when identical.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::Outcome;
use crate::ingest::{self, verify};
use crate::output;
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The first transcription (CSV or XLSX; the sheet `dane` of the data-entry workbook).
    pub first: PathBuf,
    /// The second transcription of the same questionnaires.
    pub second: PathBuf,
    /// Also write the disagreements as CSV (UTF-8 with BOM, `;`: opens in Polish Excel).
    #[arg(long)]
    pub csv: Option<PathBuf>,
}

pub fn run(a: Args, ws: &Path) -> Result<Outcome> {
    // With a workspace, a choice's code and its label count as the same answer.
    let form = Workspace::open(ws)
        .ok()
        .and_then(|w| w.questionnaire().ok())
        .map(|l| l.form);
    let ta = ingest::read_file(&a.first)?;
    let tb = ingest::read_file(&a.second)?;
    let c = verify::compare(&ta, &tb, form.as_ref())?;
    let (fa, fb) = (ta.file.as_str(), tb.file.as_str());
    let mut o = String::new();
    writeln!(
        o,
        "FIRST  {fa}: {} questionnaires ({})",
        c.first_records, ta.detected
    )?;
    writeln!(
        o,
        "SECOND {fb}: {} questionnaires ({})",
        c.second_records, tb.detected
    )?;
    let in_records: std::collections::BTreeSet<&str> =
        c.disagreements.iter().map(|d| d.number.as_str()).collect();
    writeln!(
        o,
        "Compared {} questionnaires present in both: {} disagreeing cells in {} questionnaires.",
        c.matched,
        c.disagreements.len(),
        in_records.len()
    )?;
    if !c.disagreements.is_empty() {
        let w = |f: fn(&verify::Disagreement) -> &str, min: usize| {
            c.disagreements
                .iter()
                .map(|d| f(d).chars().count())
                .max()
                .unwrap_or(0)
                .max(min)
        };
        let (wn, wc, wf) = (
            w(|d| &d.number, 10),
            w(|d| &d.column, 8),
            w(|d| &d.first, 5).min(40),
        );
        writeln!(o)?;
        writeln!(
            o,
            "{:<wn$}  {:<wc$}  {:<wf$}  SECOND",
            "nr_ankiety", "question", "FIRST"
        )?;
        for d in &c.disagreements {
            let show = |s: &str| {
                if s.is_empty() {
                    "(blank)".to_string()
                } else {
                    s.to_string()
                }
            };
            writeln!(
                o,
                "{:<wn$}  {:<wc$}  {:<wf$}  {}",
                d.number,
                d.column,
                show(&d.first),
                show(&d.second)
            )?;
        }
    }
    let list = |v: &[String]| v.join(", ");
    if !c.only_first.is_empty() {
        writeln!(
            o,
            "\nOnly in FIRST ({}): {}",
            c.only_first.len(),
            list(&c.only_first)
        )?;
    }
    if !c.only_second.is_empty() {
        writeln!(
            o,
            "\nOnly in SECOND ({}): {}",
            c.only_second.len(),
            list(&c.only_second)
        )?;
    }
    for (name, rep, un, cols) in [
        (
            "FIRST",
            &c.repeated_first,
            &c.unnumbered_first,
            &c.columns_only_first,
        ),
        (
            "SECOND",
            &c.repeated_second,
            &c.unnumbered_second,
            &c.columns_only_second,
        ),
    ] {
        for (nr, rows) in rep {
            let rows: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
            writeln!(
                o,
                "\n{name}: questionnaire {nr} is typed more than once (data rows {}); only the first is compared",
                rows.join(", ")
            )?;
        }
        if !un.is_empty() {
            let rows: Vec<String> = un.iter().map(|r| r.to_string()).collect();
            writeln!(
                o,
                "\n{name}: data rows without a questionnaire number (not compared): {}",
                rows.join(", ")
            )?;
        }
        if !cols.is_empty() {
            writeln!(
                o,
                "\n{name}: columns missing from the other file (not compared): {}",
                cols.join(", ")
            )?;
        }
    }
    if c.identical() {
        writeln!(o, "\nThe two files agree.")?;
    } else {
        writeln!(
            o,
            "\nCheck the listed questionnaires on paper, correct the file(s) and run verify again."
        )?;
    }
    super::print(&o)?;
    if let Some(out) = a.csv {
        let mut wtr = crate::safe::CsvOut::new(b';', true);
        wtr.row(["nr_ankiety", "pytanie", "pierwszy", "drugi"])?;
        for d in &c.disagreements {
            wtr.row([&d.number, &d.column, &d.first, &d.second])?;
        }
        for nr in &c.only_first {
            wtr.row([nr.as_str(), "", "(jest)", "(brak)"])?;
        }
        for nr in &c.only_second {
            wtr.row([nr.as_str(), "", "(brak)", "(jest)"])?;
        }
        output::write(&out, &wtr.finish()?)?;
        println!("Wrote the differences to {}", out.display());
    }
    Ok(if c.identical() {
        Outcome::Clean
    } else {
        Outcome::Problems
    })
}
