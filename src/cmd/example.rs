//! `diagnoza example-data --out DIR`: regenerate the synthetic answers of the bundled example
//! (examples/wydminy/imports/): residents' paper and online answers, the institutions' answers
//! and the youth questionnaire's answers. Seeded: the same files every time.

use std::path::PathBuf;

use anyhow::Result;

use super::Outcome;
use crate::{output, synth, template};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to write the CSV files to.
    #[arg(long)]
    pub out: PathBuf,
    /// Paper questionnaires (windows-1250, `;`-separated, as saved by Polish Excel).
    #[arg(long, default_value_t = 340)]
    pub paper: usize,
    /// Online answers (UTF-8 with BOM, `,`-separated).
    #[arg(long, default_value_t = 80)]
    pub online: usize,
    /// Answers of the youth questionnaire (pupils, UTF-8, `,`-separated).
    #[arg(long, default_value_t = 160)]
    pub youth: usize,
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

/// The example's files: (file name, bytes).
pub fn files(a: &Args) -> Result<Vec<(String, Vec<u8>)>> {
    let form = template::load_str(
        template::builtin("mieszkancy").unwrap_or_default(),
        "mieszkancy",
    )?
    .form;
    let paper = synth::csv(&form, a.paper, a.seed, 1, b';');
    let (cp1250, _, _) = encoding_rs::WINDOWS_1250.encode(&paper);
    let online = synth::csv(&form, a.online, a.seed + 1, 5001, b',');
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(online.as_bytes());
    let inst = template::load_str(
        template::builtin("instytucje").unwrap_or_default(),
        "instytucje",
    )?
    .form;
    let institutions = synth::institutions_csv(&inst, a.seed + 2);
    let youth_form = template::load_str(
        template::builtin("mlodziez").unwrap_or_default(),
        "mlodziez",
    )?
    .form;
    let youth = synth::youth_csv(&youth_form, a.youth, a.seed + 3);
    Ok(vec![
        ("ankiety-papierowe.csv".into(), cp1250.into_owned()),
        ("ankiety-online.csv".into(), bom),
        ("instytucje.csv".into(), institutions.into_bytes()),
        ("mlodziez.csv".into(), youth.into_bytes()),
    ])
}

pub fn run(a: Args) -> Result<Outcome> {
    for (name, bytes) in files(&a)? {
        let p = a.out.join(&name);
        output::write(&p, &bytes)?;
        println!("Wrote {} (synthetic data)", p.display());
    }
    Ok(Outcome::Clean)
}
