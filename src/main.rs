//! The `diagnoza` binary: decide the language, parse the command line in it, dispatch, map the
//! result to an exit code (0 success, 1 ran but found problems in the data, 2 fatal). A closed
//! output pipe (`diagnoza status | head`) is not an error: the program stops quietly.

use std::process::ExitCode;

use diagnoza::cmd::locale;
use diagnoza::lang::cli::{M, t};

fn main() -> ExitCode {
    diagnoza::safe::quiet_broken_pipe();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = locale::language(&args);
    diagnoza::cmd::set_ui(lang);
    let cli = locale::parse(args, lang);
    match diagnoza::cmd::run(cli) {
        Ok(diagnoza::cmd::Outcome::Clean) => ExitCode::from(0),
        Ok(diagnoza::cmd::Outcome::Problems) => ExitCode::from(1),
        Err(e) if diagnoza::safe::is_broken_pipe(&e) => ExitCode::from(0),
        Err(e) => {
            eprintln!("{}: {e:#}", t(lang, M::Error));
            ExitCode::from(2)
        }
    }
}
