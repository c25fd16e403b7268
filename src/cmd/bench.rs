//! Hidden `diagnoza bench gen|read|analyze`: the pieces `bench/run.sh` times with
//! `/usr/bin/time -v` (synthetic CSV, polars' bare CSV read, the importer's parse + the
//! analysis). Prints one `key=value` line; not for users.

use std::path::PathBuf;

use anyhow::Result;

use super::Outcome;
use crate::{analysis, output, synth, template};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Write a synthetic answers CSV of the bundled questionnaire.
    Gen {
        #[arg(long)]
        respondents: usize,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Read the CSV with polars only (the baseline).
    Read { csv: PathBuf },
    /// Parse the CSV with the importer and analyse it by every disaggregation question.
    Analyze { csv: PathBuf },
}

pub fn run(c: Command) -> Result<Outcome> {
    let form = template::load_str(
        template::builtin("mieszkancy").unwrap_or_default(),
        "mieszkancy",
    )?
    .form;
    match c {
        Command::Gen {
            respondents,
            out,
            seed,
        } => {
            // In chunks, so that a million rows never sit in one String twice.
            let chunk = 50_000;
            let mut bytes = Vec::new();
            let mut done = 0;
            while done < respondents {
                let n = chunk.min(respondents - done);
                let text = synth::csv(&form, n, seed + done as u64, done + 1, b',');
                let body = if done == 0 {
                    text.as_str()
                } else {
                    text.split_once('\n').map(|x| x.1).unwrap_or("")
                };
                bytes.extend_from_slice(body.as_bytes());
                done += n;
            }
            output::write(&out, &bytes)?;
            println!("respondents={respondents} bytes={}", bytes.len());
        }
        Command::Read { csv } => {
            let (rows, cols, s) = analysis::bench::polars_read(&csv)?;
            println!("rows={rows} cols={cols} read_s={s:.3}");
        }
        Command::Analyze { csv } => {
            let t = analysis::bench::analyse_csv(&form, &csv, 5)?;
            println!(
                "respondents={} questions={} groupings={} read_map_s={:.3} frame_s={:.3} analyse_s={:.3} \
                 rss_responses_mb={:.0} peak_analysis_mb={:.0}",
                t.respondents,
                t.questions,
                t.grouping.len(),
                t.read_map_s,
                t.frame_s,
                t.analyse_s,
                t.rss_responses_mb,
                t.peak_analysis_mb
            );
        }
    }
    Ok(Outcome::Clean)
}
