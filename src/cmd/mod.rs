//! Subcommands, one file each, with their clap arguments and a `run`. Commands are thin: they
//! turn arguments into a plan, call the stages and print; they name no heavy crate.

pub mod analyze;
pub mod bench;
pub mod example;
pub mod form;
pub mod import;
pub mod init;
pub mod inventory;
pub mod programme;
pub mod rejects;
pub mod report;
pub mod run;
pub mod status;
pub mod template;
pub mod verify;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

/// How a command ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Clean,
    /// Exit 1: it ran, but the data has problems (rejects, disagreements).
    Problems,
}

#[derive(Debug, Parser)]
#[command(
    name = "diagnoza",
    version,
    about = "Diagnosis of the needs and potential of a local community for social services (CUS): questionnaires, import, analysis, four-stage report"
)]
pub struct Cli {
    /// The workspace folder (holding diagnoza.toml).
    #[arg(long, short = 'w', global = true, default_value = ".")]
    pub workspace: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a workspace: diagnoza.toml, the store, imports/ and reports/.
    Init(init::Args),
    /// List, show and check questionnaire templates.
    #[command(subcommand)]
    Template(template::Command),
    /// Write the questionnaire as a printable paper form (html), a data-entry workbook (xlsx),
    /// an e-mail form (txt) or a one-respondent workbook (xlsx-email).
    Form(form::Args),
    /// Import answers (CSV, spreadsheets, e-mail: .eml, mbox, maildir) into the store, validated
    /// against the questionnaire.
    Import(import::Args),
    /// Double data entry: compare two transcriptions of the same paper questionnaires and list
    /// the cells that differ (exit 1 when anything differs).
    Verify(verify::Args),
    /// Counts of stored responses per channel, duplicates and rejects.
    Status(status::Args),
    /// List the rejected records with their reasons (or write them as CSV to fix and re-import).
    Rejects(rejects::Args),
    /// Frequency tables in the terminal; with --out, the tidy results table as CSV.
    Analyze(analyze::Args),
    /// The resource inventory of institutions and NGOs, and the gap map.
    Inventory(inventory::Args),
    /// The draft programme of social services: recommendations with the figures behind them.
    Programme(programme::Args),
    /// Write the four-stage diagnosis report.
    Report(report::Args),
    /// The whole job: import the files listed in diagnoza.toml, then write the report.
    Run(run::Args),
    /// Write the synthetic answers of the bundled example (seeded, reproducible).
    ExampleData(example::Args),
    /// Benchmark pieces for bench/run.sh (not for users).
    #[command(subcommand, hide = true)]
    Bench(bench::Command),
}

/// The stored responses of a questionnaire decoded into analysis columns (read by several
/// threads, without building a response per respondent); an error when there are none yet.
pub fn coded(
    w: &crate::workspace::Workspace,
    form: &crate::template::Questionnaire,
) -> Result<crate::analysis::coded::Coded> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let c = crate::analysis::coded::Coded::from_store(form, &w.store_path(), threads)?;
    if c.n == 0 {
        anyhow::bail!(
            "the store holds no responses for questionnaire '{}': import some first",
            form.id
        );
    }
    Ok(c)
}

/// Post-stratification weights for the residents' questionnaire when diagnoza.toml configures a
/// population table (`[population]` with cells or a csv) and `no_weights` is not set.
pub fn weighting(
    w: &crate::workspace::Workspace,
    form: &crate::template::Questionnaire,
    coded: &crate::analysis::coded::Coded,
    no_weights: bool,
) -> Result<Option<crate::analysis::weights::Weighting>> {
    use crate::analysis::weights;
    if no_weights {
        return Ok(None);
    }
    match weights::load_population(w, form)? {
        Some(t) => Ok(Some(weights::weights(form, coded, &t)?)),
        None => Ok(None),
    }
}

/// The stored responses of a questionnaire holding only their answers to `questions`, streamed
/// from the store so that the other answers are never held (the report's quotes need the open
/// questions only).
pub fn answers_to(
    w: &crate::workspace::Workspace,
    form: &crate::template::Questionnaire,
    questions: &[&str],
) -> Result<Vec<crate::response::Response>> {
    if questions.is_empty() {
        return Ok(Vec::new());
    }
    let store = crate::store::Store::open(&w.store_path())?;
    // Only those questions' columns are read.
    let mut out = store.answers_of(&form.id, questions)?;
    for r in &mut out {
        r.provenance.file.clear();
        r.provenance.row = 0;
        r.provenance.external_id = None;
    }
    Ok(out)
}

/// Print to standard output; a closed pipe (`diagnoza analyze | head`) is not an error.
pub fn print(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

pub fn run(cli: Cli) -> Result<Outcome> {
    let ws = cli.workspace;
    match cli.command {
        Command::Init(a) => init::run(a),
        Command::Template(c) => template::run(c, &ws),
        Command::Form(a) => form::run(a, &ws),
        Command::Import(a) => import::run(a, &ws),
        Command::Verify(a) => verify::run(a, &ws),
        Command::Status(a) => status::run(a, &ws),
        Command::Rejects(a) => rejects::run(a, &ws),
        Command::Analyze(a) => analyze::run(a, &ws),
        Command::Inventory(a) => inventory::run(a, &ws),
        Command::Programme(a) => programme::run(a, &ws),
        Command::Report(a) => report::run(a, &ws),
        Command::Run(a) => run::run(a, &ws),
        Command::ExampleData(a) => example::run(a),
        Command::Bench(c) => bench::run(c),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
