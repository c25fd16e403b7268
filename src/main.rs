//! The `diagnoza` binary: parse the command line, dispatch, map the result to an exit code
//! (0 success, 1 ran but found problems in the data, 2 fatal). A closed output pipe
//! (`diagnoza status | head`) is not an error: the program stops quietly.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    diagnoza::safe::quiet_broken_pipe();
    let cli = diagnoza::cmd::Cli::parse();
    match diagnoza::cmd::run(cli) {
        Ok(diagnoza::cmd::Outcome::Clean) => ExitCode::from(0),
        Ok(diagnoza::cmd::Outcome::Problems) => ExitCode::from(1),
        Err(e) if diagnoza::safe::is_broken_pipe(&e) => ExitCode::from(0),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
