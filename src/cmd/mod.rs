//! Subcommands, one file each, with their clap arguments and a `run`. Commands are thin: they
//! turn arguments into a plan, call the stages and print; they name no heavy crate.

pub mod analyze;
pub mod bench;
pub mod catalogue;
pub mod example;
pub mod explain;
pub mod form;
pub mod import;
pub mod init;
pub mod inventory;
pub mod locale;
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
    #[command(aliases = ["ankieta", "formularz"])]
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
    #[command(alias = "stan")]
    Status(status::Args),
    /// List the rejected records with their reasons (or write them as CSV to fix and re-import).
    #[command(alias = "odrzucone")]
    Rejects(rejects::Args),
    /// Frequency tables in the terminal; with --out, the tidy results table as CSV.
    Analyze(analyze::Args),
    /// The resource inventory of institutions and NGOs, and the gap map.
    Inventory(inventory::Args),
    /// The draft programme of social services: recommendations with the figures behind them.
    #[command(alias = "program")]
    Programme(programme::Args),
    /// Write a service catalogue and rules skeleton for the workspace's own questionnaire.
    Catalogue(catalogue::Args),
    /// Write the four-stage diagnosis report.
    #[command(alias = "raport")]
    Report(report::Args),
    /// The whole job: import the files listed in diagnoza.toml, then write the report.
    Run(run::Args),
    /// Write the synthetic answers of the bundled example (seeded, reproducible).
    ExampleData(example::Args),
    /// Print shell completions (bash, zsh, fish, powershell, elvish) to standard output.
    Completions(locale::CompletionsArgs),
    /// Write the man pages (diagnoza.1 and one per command).
    Man(locale::ManArgs),
    /// Benchmark pieces for bench/run.sh (not for users).
    #[command(subcommand, hide = true)]
    Bench(bench::Command),
}

static UI: std::sync::OnceLock<crate::lang::Lang> = std::sync::OnceLock::new();

/// Set the CLI's language once, before [`run`] (`locale::language` decides it; the default,
/// when nothing set it, is Polish).
pub fn set_ui(lang: crate::lang::Lang) {
    let _ = UI.set(lang);
}

/// The language the CLI speaks in this run.
pub fn ui() -> crate::lang::Lang {
    UI.get().copied().unwrap_or_default()
}

/// A CLI message in the CLI's language, its `{name}` places filled.
pub fn msg(m: crate::lang::cli::M, values: &[(&str, &str)]) -> String {
    crate::lang::fill(crate::lang::cli::t(ui(), m), values)
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

/// Run a command line. With `DIAGNOZA_DEBUG_COUNTS=1` in the environment, standard error ends
/// with how often the store was decoded and analysed (the tests check `report` does it once).
pub fn run(cli: Cli) -> Result<Outcome> {
    let outcome = dispatch(cli);
    if std::env::var_os("DIAGNOZA_DEBUG_COUNTS").is_some_and(|v| v == "1") {
        eprintln!(
            "debug: store decoded {} time(s), analysed {} time(s)",
            crate::diagnosis::decodes_run(),
            crate::analysis::analyses_run()
        );
    }
    outcome
}

fn dispatch(cli: Cli) -> Result<Outcome> {
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
        Command::Catalogue(a) => catalogue::run(a, &ws),
        Command::Report(a) => report::run(a, &ws),
        Command::Run(a) => run::run(a, &ws),
        Command::ExampleData(a) => example::run(a),
        Command::Completions(a) => locale::completions(a),
        Command::Man(a) => locale::man(a),
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
