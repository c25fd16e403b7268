//! Measurements for `bench/run.sh` (hidden `diagnoza bench` subcommand): the analysis of a
//! workspace's store, timed by phase, and the baseline — polars reading the same data as one CSV
//! and nothing else. Not a test and not a user feature.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use polars::prelude::*;

use super::coded::Coded;
use crate::template::Questionnaire;

/// Seconds and memory per phase of one analysis run.
#[derive(Debug, Clone)]
pub struct Timing {
    pub respondents: usize,
    pub questions: usize,
    pub grouping: Vec<String>,
    /// Reading the store and decoding the answers into columns.
    pub load_s: f64,
    /// Counting, statistics and indices overall and by every grouping variable.
    pub analyse_s: f64,
    /// Resident memory once the answers are decoded (MB; Linux only, else 0).
    pub rss_loaded_mb: f64,
    /// Peak resident memory of the process (MB; Linux only, else 0).
    pub peak_mb: f64,
}

/// A field of /proc/self/status in MB (0 when unavailable).
fn status_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|x| x.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// Load the store's responses of `form` and analyse them by every disaggregation question.
pub fn analyse_store(form: &Questionnaire, store: &Path, threshold: u32) -> Result<Timing> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let t0 = Instant::now();
    let coded = Coded::from_store(form, store, threads)?;
    let load_s = t0.elapsed().as_secs_f64();
    let rss_loaded_mb = status_mb("VmRSS:");
    let grouping: Vec<String> = form.grouping_questions().map(|q| q.name.clone()).collect();
    let t1 = Instant::now();
    let r = super::analyse_coded(form, &coded, &grouping, threshold, "pl", None)?;
    let analyse_s = t1.elapsed().as_secs_f64();
    Ok(Timing {
        respondents: r.total as usize,
        questions: form.data_questions().count(),
        grouping,
        load_s,
        analyse_s,
        rss_loaded_mb,
        peak_mb: status_mb("VmHWM:"),
    })
}

/// The baseline: polars reads the CSV into a data frame. Returns (rows, columns, seconds).
pub fn polars_read(csv: &Path) -> Result<(usize, usize, f64)> {
    let t = Instant::now();
    let reader = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(10_000))
        .try_into_reader_with_file_path(Some(csv.to_path_buf()));
    let reader =
        anyhow::Context::with_context(reader, || format!("cannot open {}", csv.display()))?;
    let df = anyhow::Context::with_context(reader.finish(), || {
        format!("polars cannot read {}", csv.display())
    })?;
    Ok((df.height(), df.width(), t.elapsed().as_secs_f64()))
}
