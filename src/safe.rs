//! The tool's defences in one place: the input limits (named constants, stated in the book's
//! "Limits and guarantees" page), the one CSV writer that neutralises formula-leading cells for
//! every CSV the tool writes ([`CsvOut`], [`defuse`]), the one terminal sanitiser for echoed cell
//! values ([`term`]), the one redaction of personal data in free text ([`redact`]), the test for
//! columns that look like personal data ([`is_personal_column`]), the keyed sender hash with a
//! per-workspace secret ([`sender_hash`]) and the quiet exit on a closed output pipe. It does
//! not read input files or decide what to write.

use std::io::Write;
use std::path::Path;
use std::sync::{LazyLock, OnceLock};

use anyhow::{Context, Result};
use regex::Regex;

/// The largest file an import reads whole (CSV, spreadsheet, e-mail, ZIP archive).
pub const MAX_FILE_BYTES: u64 = 128_000_000;
/// The largest total uncompressed size of an archive's entries that are read (.xlsx, .ods,
/// ODK/Kobo .zip); a larger entry is a "zip bomb" and the file is refused naming the entry.
pub const MAX_UNPACKED_BYTES: u64 = 200_000_000;
/// The most cells (rows × columns of the used range) one sheet or table may have. An import
/// holds every record in memory (about 330 MB per million cells, measured): this keeps it under
/// 1 GB. Raise it when the import streams.
pub const MAX_CELLS: u64 = 2_500_000;
/// The most columns a table may have.
pub const MAX_COLUMNS: usize = 16_384;
/// The longest cell text kept (characters); longer cells are an error naming the cell.
pub const MAX_CELL_CHARS: usize = 1_000_000;
/// How many messages of one kind (e.g. unknown columns) are listed before a summary line.
pub const MAX_LISTED: usize = 10;
/// How many characters of an echoed value (a header, a cell) are shown.
pub const MAX_ECHO_CHARS: usize = 200;

/// Make a closed output pipe (`diagnoza status | head`) end the program quietly instead of
/// panicking in `println!`: a broken pipe is never an error.
pub fn quiet_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.contains("Broken pipe") || msg.contains("os error 32") {
            std::process::exit(0);
        }
        default(info);
    }));
}

/// Whether an error is (caused by) a closed output pipe.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Text that Excel or LibreOffice would read as a formula when the CSV is opened (`=`, `+`, `-`,
/// `@`, tab, carriage return at the start) gets a leading apostrophe (OWASP's advice). A plain
/// number (`-5`, `+3,5`) is left as it is: it cannot be a formula.
pub fn defuse(s: &str) -> String {
    static NUMBER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[+-]?\d+([.,]\d+)?$").expect("valid regex"));
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && !NUMBER.is_match(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Undo [`defuse`] (a CSV written by the tool and read back, e.g. the rejects to correct).
pub fn undefuse(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

/// The one CSV writer of the tool: every field goes through [`defuse`].
pub struct CsvOut {
    w: csv::Writer<Vec<u8>>,
}

impl std::fmt::Debug for CsvOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsvOut")
    }
}

impl CsvOut {
    /// A writer with `delimiter`; `bom` starts the file with a UTF-8 BOM (Polish Excel).
    pub fn new(delimiter: u8, bom: bool) -> CsvOut {
        let start = if bom {
            vec![0xEF, 0xBB, 0xBF]
        } else {
            Vec::new()
        };
        CsvOut {
            w: csv::WriterBuilder::new()
                .delimiter(delimiter)
                .from_writer(start),
        }
    }

    /// Write one row, each field defused.
    pub fn row<I, S>(&mut self, fields: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<String> = fields.into_iter().map(|f| defuse(f.as_ref())).collect();
        self.w.write_record(&cells)?;
        Ok(())
    }

    /// The bytes written.
    pub fn finish(self) -> Result<Vec<u8>> {
        self.w
            .into_inner()
            .map_err(|e| anyhow::anyhow!("cannot write the CSV: {e}"))
    }
}

/// A value to echo to the terminal: control characters (ANSI escapes, carriage returns, bells)
/// shown as `\u{1b}`-style escapes, and cut to [`MAX_ECHO_CHARS`] characters.
pub fn term(s: &str) -> String {
    let mut out = String::new();
    for (n, c) in s.chars().enumerate() {
        if n >= MAX_ECHO_CHARS {
            out.push_str(&format!("… ({} characters)", s.chars().count()));
            break;
        }
        if c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}') {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// Columns that are not questions and hold personal data by their name: their cells are not
/// stored with the record (the import says so once per column).
pub fn is_personal_column(header: &str) -> bool {
    let h: String = header
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    const EXACT: &[&str] = &[
        "email",
        "mail",
        "adresemail",
        "emailaddress",
        "name",
        "fullname",
        "firstname",
        "lastname",
        "surname",
        "imie",
        "imię",
        "nazwisko",
        "imieinazwisko",
        "imięinazwisko",
        "telefon",
        "tel",
        "nrtelefonu",
        "numertelefonu",
        "phone",
        "phonenumber",
        "mobile",
        "deviceid",
        "ip",
        "ipaddr",
        "ipaddress",
        "adresip",
        "pesel",
        "adres",
        "address",
        "respondentname",
        "respondent",
        "submittername",
        "username",
    ];
    EXACT.contains(&h.as_str())
}

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w.+-]+@[\w-]+(\.[\w-]+)+").expect("valid regex"));
static PESEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i:pesel)[\s:.=#-]*\d{11}|\b\d{11}\b").expect("valid regex"));
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\+48[ .-]?|\b0048[ .-]?)?\b\d{2,3}([ .-]?\d{2,3}){2,3}\b").expect("valid regex")
});
const UPPER: &str = "A-ZĄĆĘŁŃÓŚŹŻ";
const LOWER: &str = "a-ząćęłńóśźż";
static TITLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?i:pan|pani|pana|panu|panią|panem|panie|państwo|państwa|ks\.|ksiądz|księdza|dr|doktor|doktora|sołtys|sołtysa|sołtysowa|radny|radna|wójt|wójta)\s+[{UPPER}][{LOWER}]+(\s*-\s*[{UPPER}][{LOWER}]+)?(\s+[{UPPER}][{LOWER}]+(-[{UPPER}][{LOWER}]+)?)?"
    ))
    .expect("valid regex")
});
/// Common Polish first names: "Jan Kowalski", "Kowalski Jan", "JAN KOWALSKI" without a title.
const FIRST_NAMES: &[&str] = &[
    "Adam",
    "Agnieszka",
    "Aleksandra",
    "Andrzej",
    "Anna",
    "Barbara",
    "Beata",
    "Danuta",
    "Dorota",
    "Elżbieta",
    "Ewa",
    "Grażyna",
    "Halina",
    "Irena",
    "Jacek",
    "Jadwiga",
    "Jan",
    "Janina",
    "Janusz",
    "Jerzy",
    "Joanna",
    "Józef",
    "Kamil",
    "Katarzyna",
    "Krystyna",
    "Krzysztof",
    "Łukasz",
    "Magdalena",
    "Małgorzata",
    "Marek",
    "Maria",
    "Mariusz",
    "Marta",
    "Michał",
    "Monika",
    "Paweł",
    "Piotr",
    "Robert",
    "Ryszard",
    "Stanisław",
    "Tadeusz",
    "Teresa",
    "Tomasz",
    "Wiesław",
    "Wojciech",
    "Zbigniew",
    "Zofia",
];
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    let first = FIRST_NAMES.join("|");
    let upper_first = FIRST_NAMES
        .iter()
        .map(|n| n.to_uppercase())
        .collect::<Vec<_>>()
        .join("|");
    let surname = format!("[{UPPER}][{LOWER}]+(-[{UPPER}][{LOWER}]+)?");
    let caps = format!("[{UPPER}]{{2,}}(-[{UPPER}]{{2,}})?");
    Regex::new(&format!(
        r"\b({first})\s+{surname}|\b{surname}\s+({first})\b|\b({upper_first})\s+{caps}\b|\b{caps}\s+({upper_first})\b"
    ))
    .expect("valid regex")
});

/// Remove personal data from free text (open answers, institution names and descriptions,
/// desk-data notes): PESEL numbers (also "PESEL44051401458"), phone numbers (also
/// "tel.601.234.567"), e-mail addresses, persons introduced by a title ("Pan Jan Kowalski") or
/// written with a common first name ("Jan Kowalski", "Kowalski Jan", "JAN KOWALSKI").
/// Pattern-based: it cannot recognise every name, so the report's authors still read the texts.
pub fn redact(text: &str) -> String {
    let s = EMAIL.replace_all(text, "[e-mail]");
    let s = PESEL.replace_all(&s, "[PESEL]");
    let s = PHONE.replace_all(&s, |c: &regex::Captures| {
        let digits = c[0].chars().filter(char::is_ascii_digit).count();
        if (9..=11).contains(&digits) {
            "[telefon]".to_string()
        } else {
            c[0].to_string()
        }
    });
    let s = TITLED.replace_all(&s, "[osoba]");
    let s = NAMED.replace_all(&s, "[osoba]");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escape text for Markdown/HTML output: `<`, `>`, `&` become entities, so a name such as
/// `<script>` is shown, never run.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// The workspace's secret key for hashing senders (file `.diagnoza-secret`, created with random
/// bytes on first use). Without it a hash of an address could be reversed with a list of
/// addresses.
static KEY: OnceLock<Vec<u8>> = OnceLock::new();

/// The name of the secret's file in the workspace.
pub const SECRET_FILE: &str = ".diagnoza-secret";

/// Load (or create) the workspace's secret for [`sender_hash`].
pub fn use_workspace_secret(ws: &Path) -> Result<()> {
    let path = ws.join(SECRET_FILE);
    let key = match std::fs::read(&path) {
        Ok(k) if k.len() >= 32 => k,
        _ => {
            let k = random_key();
            let mut f = std::fs::File::create(&path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            f.write_all(&k)
                .with_context(|| format!("cannot write {}", path.display()))?;
            k
        }
    };
    let _ = KEY.set(key);
    Ok(())
}

fn random_key() -> Vec<u8> {
    let mut k = vec![0u8; 32];
    if getrandom::fill(&mut k).is_err() {
        // No OS randomness: the process's hash seed (itself from the OS) and the time.
        use std::hash::{BuildHasher, Hasher};
        for chunk in k.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0),
            );
            chunk.copy_from_slice(&h.finish().to_le_bytes());
        }
    }
    k
}

/// HMAC-SHA256 (RFC 2104) of `data` under `key`.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(data);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// A sender's address as a keyed hash (HMAC-SHA256 under the workspace's secret, hex, 128
/// bits): the same sender gives the same hash within a workspace, and nobody without the secret
/// can test a list of addresses against it. Without a loaded secret (library use) a random key
/// of this process is used.
pub fn sender_hash(address: &str) -> String {
    let key = KEY.get_or_init(random_key);
    hmac_sha256(key, address.trim().to_lowercase().as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defuse_formulas_not_numbers() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("+48 123"), "'+48 123");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("-1+1"), "'-1+1");
        assert_eq!(defuse("\tx"), "'\tx");
        assert_eq!(defuse("-5"), "-5");
        assert_eq!(defuse("-3,5"), "-3,5");
        assert_eq!(defuse("Wiek"), "Wiek");
        assert_eq!(undefuse(&defuse("=1+1")), "=1+1");
        assert_eq!(undefuse("'ok"), "'ok");
        let mut w = CsvOut::new(b';', false);
        w.row(["=cmd|' /C calc'!A0", "ok"]).unwrap();
        assert_eq!(
            String::from_utf8(w.finish().unwrap()).unwrap(),
            "'=cmd|' /C calc'!A0;ok\n"
        );
    }

    #[test]
    fn terminal_text_has_no_escapes() {
        let t = term("a\u{1b}[31mred\u{7}\r");
        assert!(!t.chars().any(char::is_control), "{t}");
        assert!(t.contains("\\u{1b}"));
        let long = "x".repeat(5000);
        assert!(term(&long).chars().count() < 300);
    }

    #[test]
    fn redaction_covers_common_spellings() {
        for (s, gone) in [
            ("PESEL44051401458 w nazwie", "44051401458"),
            ("PESEL: 44051401458", "44051401458"),
            ("tel.601.234.567", "601.234.567"),
            ("dzwonić 601 234 567", "601 234 567"),
            ("Kowalski Jan, sklep", "Kowalski"),
            ("JAN KOWALSKI usługi", "KOWALSKI"),
            ("KOWALSKI JAN usługi", "KOWALSKI"),
            ("Jan Kowalski usługi", "Kowalski"),
            ("pisz: jan.k@wp.pl", "jan.k@wp.pl"),
            ("Pani Anna Nowak-Kowalska", "Nowak"),
        ] {
            let r = redact(s);
            assert!(!r.contains(gone), "{gone} left in: {r}");
        }
        assert_eq!(
            redact("Stowarzyszenie Klub Seniora w Giżycku, 2024 r., 12 miejsc"),
            "Stowarzyszenie Klub Seniora w Giżycku, 2024 r., 12 miejsc"
        );
        assert_eq!(
            redact("Brakuje 2 autobusów do Giżycka od 05.10.2026 r."),
            "Brakuje 2 autobusów do Giżycka od 05.10.2026 r."
        );
    }

    #[test]
    fn personal_columns_by_name() {
        for h in [
            "Email",
            "E-mail",
            "Name",
            "Imię i nazwisko",
            "Nazwisko",
            "Telefon",
            "Phone",
            "device_id",
            "deviceid",
            "IP",
        ] {
            assert!(is_personal_column(h), "{h}");
        }
        for h in ["wiek", "plec", "uslugi", "nr_ankiety", "gmina"] {
            assert!(!is_personal_column(h), "{h}");
        }
    }

    #[test]
    fn hmac_matches_rfc4231() {
        // RFC 4231 test case 2.
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let _ = KEY.set(b"k".repeat(32));
        assert_eq!(sender_hash("A@b.pl "), sender_hash("a@b.pl"));
        assert_ne!(sender_hash("a@b.pl"), sender_hash("c@b.pl"));
    }
}
