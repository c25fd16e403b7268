//! Hidden `diagnoza bench gen|read|analyze`: the pieces `bench/run.sh` times with
//! `/usr/bin/time -v` besides the real `init`, `import` and `analyze` commands (synthetic CSV,
//! polars' bare CSV read, the analysis of a store by phase). Prints one `key=value` line; not for
//! users.

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
        /// Also write the same rows as files of at most this many respondents, next to `out`
        /// (`out` with -001, -002 … before the extension), for importing file by file.
        #[arg(long)]
        split: Option<usize>,
    },
    /// Read the CSV with polars only (the baseline).
    Read { csv: PathBuf },
    /// Analyse a workspace's store by every disaggregation question, timed by phase.
    Analyze { workspace: PathBuf },
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
            split,
        } => {
            // In chunks, so that a million rows never sit in one String twice.
            let chunk = split.unwrap_or(50_000).clamp(1, 50_000);
            if split.is_some_and(|s| s % chunk != 0) {
                anyhow::bail!("--split: use a multiple of 50000 above 50000");
            }
            let mut bytes = Vec::new();
            let mut part: Vec<u8> = Vec::new();
            let mut parts = 0;
            let mut header = String::new();
            let mut done = 0;
            let flush = |part: &mut Vec<u8>, parts: &mut usize| -> Result<()> {
                *parts += 1;
                let stem = out.file_stem().and_then(|s| s.to_str()).unwrap_or("survey");
                let p = out.with_file_name(format!("{stem}-{:03}.csv", *parts));
                output::write(&p, part)?;
                part.clear();
                Ok(())
            };
            while done < respondents {
                let n = chunk.min(respondents - done);
                let text = synth::csv(&form, n, seed + done as u64, done + 1, b',');
                let (head, body) = text.split_once('\n').unwrap_or((&text, ""));
                if done == 0 {
                    header = format!("{head}\n");
                    bytes.extend_from_slice(header.as_bytes());
                }
                bytes.extend_from_slice(body.as_bytes());
                if let Some(size) = split {
                    if part.is_empty() {
                        part.extend_from_slice(header.as_bytes());
                    }
                    part.extend_from_slice(body.as_bytes());
                    if (done + n) % size == 0 || done + n == respondents {
                        flush(&mut part, &mut parts)?;
                    }
                }
                done += n;
            }
            output::write(&out, &bytes)?;
            println!(
                "respondents={respondents} bytes={} parts={parts}",
                bytes.len()
            );
        }
        Command::Read { csv } => {
            let (rows, cols, s) = analysis::bench::polars_read(&csv)?;
            println!("rows={rows} cols={cols} read_s={s:.3}");
        }
        Command::Analyze { workspace } => {
            let w = crate::workspace::Workspace::open(&workspace)?;
            let form = w.questionnaire()?.form;
            let t = analysis::bench::analyse_store(&form, &w.store_path(), 5)?;
            println!(
                "respondents={} questions={} groupings={} load_s={:.3} analyse_s={:.3} \
                 rss_loaded_mb={:.0} peak_mb={:.0}",
                t.respondents,
                t.questions,
                t.grouping.len(),
                t.load_s,
                t.analyse_s,
                t.rss_loaded_mb,
                t.peak_mb
            );
        }
    }
    Ok(Outcome::Clean)
}
