//! A property-based fuzzer for every parser, on stable Rust (no cargo-fuzz): seed inputs are
//! mutated (bytes flipped, inserted from a dictionary of CSV/mbox/XML/terminal tokens, ranges
//! deleted, duplicated or truncated) and fed to each parser; the property is "no panic" (an
//! error is fine). Ignored in CI; run it for a bounded time with `scripts/fuzz.sh [SECONDS]`
//! (or `FUZZ_SECONDS=60 cargo test --test integration fuzz -- --ignored --nocapture`). A
//! panicking input is saved in `target/fuzz-findings/` and the run fails.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use diagnoza::ingest;
use diagnoza::response::Channel;

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const TOKENS: &[&[u8]] = &[
    b"\"",
    b";",
    b",",
    b"\t",
    b"\n",
    b"\r\n",
    b"\n\nFrom a@b.pl Tue Dec  8 00:11:17 2026\n",
    b"From ",
    b">From ",
    b"=",
    b"+",
    b"@",
    b"\x1b[31m",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"99999999999999999999",
    b"1e309",
    b"NaN",
    b"-inf",
    b"2023-02-30",
    b"nr_ankiety",
    b"_klucz",
    b"Content-Type: multipart/mixed; boundary=\"b\"\n",
    b"--b\n",
    b"Content-Transfer-Encoding: base64\n",
    b"(((((((((((",
    b"\0",
];

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..=rng.below(8) {
        match rng.below(6) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                let i = rng.below(v.len() + 1);
                v.splice(i..i, t.iter().copied());
            }
            2 if !v.is_empty() => {
                let a = rng.below(v.len());
                let b = (a + rng.below(64)).min(v.len());
                v.drain(a..b);
            }
            3 if !v.is_empty() => {
                let a = rng.below(v.len());
                let b = (a + rng.below(256)).min(v.len());
                let copy = v[a..b].to_vec();
                let i = rng.below(v.len() + 1);
                v.splice(i..i, copy);
            }
            4 if !v.is_empty() => v.truncate(rng.below(v.len())),
            _ => {
                let i = rng.below(v.len() + 1);
                v.insert(i, rng.next() as u8);
            }
        }
    }
    v.truncate(1 << 16);
    v
}

fn form() -> diagnoza::template::Questionnaire {
    diagnoza::template::load_str(diagnoza::template::builtin("mieszkancy").unwrap(), "m")
        .unwrap()
        .form
}

fn xlsx_seed() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["nr_ankiety", "plec", "wiek"].iter().enumerate() {
        ws.write(0, c as u16, *h).unwrap();
    }
    ws.write(1, 0, 1).unwrap();
    ws.write(1, 1, "kobieta").unwrap();
    ws.write(1, 2, "18_24").unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
#[ignore = "bounded-time fuzzing: scripts/fuzz.sh"]
fn fuzz_parsers() {
    let secs: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15);
    let mut rng = Rng(seed | 1);
    let form = form();
    let csv_seed =
        b"nr_ankiety;plec;wiek;uwagi\n1;kobieta;18_24;\"ok, \"\"tak\"\"\"\n2;mezczyzna;25_34;\n"
            .to_vec();
    let mbox_seed = b"From a@b.pl Tue Dec  8 00:11:17 2026\nFrom: a@b.pl\nSubject: x\nContent-Type: text/plain; charset=utf-8\n\n[x] plec: kobieta\nFrom the survey\n\nFrom c@d.pl Tue Dec  8 00:12:17 2026\nFrom: c@d.pl\n\nbody\n".to_vec();
    let ctx = diagnoza::form::Context {
        lang: "pl".into(),
        gmina: "Testowo".into(),
        institution: "GOPS".into(),
        return_address: String::new(),
        return_email: "gops@testowo.pl".into(),
    };
    let text_seed = diagnoza::form::textform::render(&form, &ctx).into_bytes();
    let desk_seed = b"powod;2023\nubostwo;12\nbezrobocie;1 234\n".to_vec();
    let seeds: Vec<(&str, Vec<u8>)> = vec![
        ("csv", csv_seed),
        ("xlsx", xlsx_seed()),
        ("mbox", mbox_seed),
        ("textform", text_seed),
        ("desk", desk_seed),
    ];
    let findings = diagnoza_findings_dir();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let (mut runs, mut failed) = (0u64, Vec::new());
    'outer: while Instant::now() < deadline {
        for (parser, seed) in &seeds {
            let input = mutate(&mut rng, seed);
            let ok = catch_unwind(AssertUnwindSafe(|| run_parser(parser, &input, &form))).is_ok();
            runs += 1;
            if !ok {
                let p = findings.join(format!("{parser}-{runs}.bin"));
                std::fs::write(&p, &input).unwrap();
                failed.push(p.display().to_string());
                if failed.len() >= 5 {
                    break 'outer;
                }
            }
        }
    }
    eprintln!("fuzz: {runs} inputs in {secs} s, {} panics", failed.len());
    assert!(failed.is_empty(), "panicking inputs saved: {failed:?}");
}

fn diagnoza_findings_dir() -> std::path::PathBuf {
    let d = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-findings");
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run_parser(parser: &str, input: &[u8], form: &diagnoza::template::Questionnaire) {
    match parser {
        "csv" => {
            if let Ok(t) = ingest::read_csv_bytes(input, "f.csv") {
                let m = ingest::map::map(&t, form, Channel::Paper);
                for r in &m.records {
                    let _ = format!("{r:?}");
                }
            }
        }
        "xlsx" => {
            if let Ok(t) = ingest::xlsx::read_xlsx_bytes(input, "f.xlsx", None) {
                let _ = ingest::map::map(&t, form, Channel::Paper);
            }
        }
        "mbox" => {
            let msgs = ingest::email::split_mbox(input);
            let _ = ingest::email::map_messages("f.mbox", &msgs, form);
        }
        "textform" => {
            let _ = diagnoza::form::textform::parse(&String::from_utf8_lossy(input), form);
        }
        "desk" => {
            if let Ok(t) = ingest::read_csv_bytes(input, "d.csv") {
                for kind in ["assistance", "table", "population"] {
                    let spec: diagnoza::workspace::DeskData = toml::from_str(&format!(
                        "file = \"d.csv\"\nkind = \"{kind}\"\ntitle = \"t\"\n"
                    ))
                    .unwrap();
                    let _ = diagnoza::report::desk::parse(&spec, &t, "pl");
                }
            }
        }
        _ => unreachable!(),
    }
}
