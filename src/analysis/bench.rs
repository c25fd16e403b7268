//! Measurements for `bench/run.sh` (hidden `diagnoza bench` subcommand): the analysis of a
//! synthetic survey read from CSV, timed by phase, and the baseline — polars reading the same
//! CSV and nothing else. Not a test and not a user feature.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use polars::prelude::*;

use crate::ingest::{self, map};
use crate::response::{Channel, Response};
use crate::template::Questionnaire;

/// Seconds per phase of one analysis run.
#[derive(Debug, Clone)]
pub struct Timing {
    pub respondents: usize,
    pub questions: usize,
    pub read_map_s: f64,
    pub frame_s: f64,
    pub analyse_s: f64,
    pub grouping: Vec<String>,
    /// Resident memory once the responses are in memory (MB; Linux only, else 0).
    pub rss_responses_mb: f64,
    /// Peak resident memory during the analysis itself (MB; Linux only, else 0).
    pub peak_analysis_mb: f64,
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

/// Reset the peak-RSS mark (Linux ≥ 4.0: writing 5 to clear_refs); ignored elsewhere.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Read the CSV with the importer (decode, map, validate), then analyse it by every
/// disaggregation question of the questionnaire.
pub fn analyse_csv(form: &Questionnaire, csv: &Path, threshold: u32) -> Result<Timing> {
    let t0 = Instant::now();
    let table = ingest::read_csv(csv)?;
    let mapped = map::map(&table, form, Channel::Online);
    drop(table);
    let responses: Vec<Response> = mapped
        .records
        .into_iter()
        .filter_map(|r| match r {
            crate::store::Record::Accepted { response, .. } => Some(response),
            _ => None,
        })
        .collect();
    let read_map_s = t0.elapsed().as_secs_f64();
    let grouping: Vec<String> = form.grouping_questions().map(|q| q.name.clone()).collect();
    let rss_responses_mb = status_mb("VmRSS:");
    reset_peak();
    let t1 = Instant::now();
    let df = super::frame(form, &responses, &grouping)?;
    let frame_s = t1.elapsed().as_secs_f64();
    drop(df);
    let t2 = Instant::now();
    let r = super::analyse(form, &responses, &grouping, threshold, "pl")?;
    let analyse_s = t2.elapsed().as_secs_f64();
    let peak_analysis_mb = status_mb("VmHWM:");
    Ok(Timing {
        respondents: r.total as usize,
        questions: form.data_questions().count(),
        read_map_s,
        frame_s,
        analyse_s,
        grouping,
        rss_responses_mb,
        peak_analysis_mb,
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
