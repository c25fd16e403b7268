//! Text encodings and CSV dialects of the files people bring: BOM (UTF-8, UTF-16), UTF-16
//! without a BOM, UTF-8 (a few invalid bytes are replaced and named by line, the file is not
//! re-read in another encoding for them), the Polish windows-1250 / ISO-8859-2, Western
//! windows-1252 / ISO-8859-1 (French, Spanish, German forms), Cyrillic windows-1251 — detected
//! with chardetng as crates.md describes — or an encoding the user forces by its label; and the
//! delimiter. It does not parse CSV.

use encoding_rs::{
    Encoding, ISO_8859_2, ISO_8859_15, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1250, WINDOWS_1251,
    WINDOWS_1252,
};

/// Decoded text and how it was decoded.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub bom: bool,
    /// What the user should know: replaced bytes (with their lines), a forced encoding.
    pub notes: Vec<String>,
}

impl Decoded {
    pub fn describe(&self) -> String {
        let name = match self.encoding.name() {
            "windows-1252" => "windows-1252 (ISO-8859-1)",
            n => n,
        };
        let mut s = format!("{name}{}", if self.bom { " with BOM" } else { "" });
        for n in &self.notes {
            s.push_str("; ");
            s.push_str(n);
        }
        s
    }
}

/// The encoding named by a label as `--encoding` takes it (`utf-8`, `windows-1252`, `cp1250`,
/// `latin1`, `iso-8859-2`, `utf-16le` …), or None when the label is unknown.
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let l = label.trim().to_lowercase();
    let l = match l.as_str() {
        "cp1250" | "win1250" => "windows-1250",
        "cp1251" | "win1251" => "windows-1251",
        "cp1252" | "win1252" => "windows-1252",
        "latin2" => "iso-8859-2",
        "utf16" | "utf-16" => "utf-16le",
        other => other,
    };
    Encoding::for_label(l.as_bytes())
}

/// 1-based line of byte `at`.
fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Replacement characters in a decoded text, as a note naming the lines.
fn replaced_note(text: &str) -> Option<String> {
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains('\u{FFFD}'))
        .map(|(i, _)| i + 1)
        .collect();
    if lines.is_empty() {
        return None;
    }
    let shown: Vec<String> = lines.iter().take(5).map(|l| l.to_string()).collect();
    Some(format!(
        "bytes that are not valid in this encoding were replaced by \u{FFFD} on line(s) {}{}",
        shown.join(", "),
        if lines.len() > 5 { ", …" } else { "" }
    ))
}

/// UTF-16 without a BOM: ASCII text has a zero byte in every other position.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    if odd * 10 >= pairs * 3 && even * 20 < pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 3 && odd * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// UTF-8 with a few invalid bytes: (valid multi-byte characters, invalid sequences with their
/// offsets).
fn utf8_damage(bytes: &[u8]) -> (usize, Vec<usize>) {
    let mut valid_multi = 0;
    let mut bad = Vec::new();
    let mut rest = bytes;
    let mut base = 0;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_multi += s.chars().filter(|c| c.len_utf8() > 1).count();
                break;
            }
            Err(e) => {
                let good = e.valid_up_to();
                // Safe: the prefix is valid UTF-8 by `valid_up_to`.
                if let Ok(s) = std::str::from_utf8(&rest[..good]) {
                    valid_multi += s.chars().filter(|c| c.len_utf8() > 1).count();
                }
                bad.push(base + good);
                let skip = good + e.error_len().unwrap_or(rest.len() - good).max(1);
                base += skip;
                rest = &rest[skip.min(rest.len())..];
            }
        }
    }
    (valid_multi, bad)
}

/// Decode bytes, detecting the encoding (see [`decode_as`]).
pub fn decode(bytes: &[u8]) -> Decoded {
    decode_as(bytes, None)
}

/// Decode bytes: a forced encoding (a matching BOM is skipped) → BOM → UTF-16 without BOM →
/// valid UTF-8 → UTF-8 with a few invalid bytes (replaced, lines named) → chardetng among
/// windows-1250 / ISO-8859-2 (ISO-8859-2 with bytes 0x80–0x9F is really windows-1250),
/// windows-1252, ISO-8859-15, windows-1251 → windows-1250.
pub fn decode_as(bytes: &[u8], forced: Option<&'static Encoding>) -> Decoded {
    let bom = Encoding::for_bom(bytes);
    if let Some(enc) = forced {
        let (start, has_bom) = match bom {
            Some((b, len)) if b == enc => (len, true),
            _ => (0, false),
        };
        let (text, _) = enc.decode_without_bom_handling(&bytes[start..]);
        let text = text.into_owned();
        let mut notes = vec!["as forced by --encoding".to_string()];
        notes.extend(replaced_note(&text));
        return Decoded {
            text,
            encoding: enc,
            bom: has_bom,
            notes,
        };
    }
    if let Some((enc, bom_len)) = bom {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let text = text.into_owned();
        return Decoded {
            notes: replaced_note(&text).into_iter().collect(),
            text,
            encoding: enc,
            bom: true,
        };
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        let text = text.into_owned();
        let mut notes = vec!["detected without a BOM".to_string()];
        notes.extend(replaced_note(&text));
        return Decoded {
            text,
            encoding: enc,
            bom: false,
            notes,
        };
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded {
            text: s.to_string(),
            encoding: UTF_8,
            bom: false,
            notes: Vec::new(),
        };
    }
    let (valid_multi, bad) = utf8_damage(bytes);
    if valid_multi > 0 && bad.len() <= valid_multi {
        // A UTF-8 file with a stray byte (a cell pasted from elsewhere): keep UTF-8.
        let text = String::from_utf8_lossy(bytes).into_owned();
        let shown: Vec<String> = bad
            .iter()
            .take(5)
            .map(|&at| format!("line {} (byte 0x{:02X})", line_of(bytes, at), bytes[at]))
            .collect();
        return Decoded {
            text,
            encoding: UTF_8,
            bom: false,
            notes: vec![format!(
                "{} invalid byte(s) replaced by \u{FFFD}: {}{}",
                bad.len(),
                shown.join(", "),
                if bad.len() > 5 { ", …" } else { "" }
            )],
        };
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let guess = det.guess(None, chardetng::Utf8Detection::Allow);
    let high_c1 = bytes.iter().any(|b| (0x80..=0x9F).contains(b));
    let enc = if guess == ISO_8859_2 && !high_c1 {
        ISO_8859_2
    } else if guess == WINDOWS_1252 || guess == WINDOWS_1251 {
        guess
    } else if guess == ISO_8859_15 {
        WINDOWS_1252
    } else {
        WINDOWS_1250
    };
    let (text, _, _) = enc.decode(bytes);
    Decoded {
        notes: replaced_note(&text).into_iter().collect(),
        text: text.into_owned(),
        encoding: enc,
        bom: false,
    }
}

/// The delimiter of a CSV text: the one of `,` `;` tab that occurs most often outside quotes in
/// the first line, consistently in the next lines.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(6)
        .collect();
    let count = |line: &str, d: char| {
        let mut inq = false;
        let mut n = 0;
        for c in line.chars() {
            if c == '"' {
                inq = !inq;
            } else if c == d && !inq {
                n += 1;
            }
        }
        n
    };
    let mut best = (b',', 0usize);
    for d in [';', ',', '\t'] {
        let Some(first) = lines.first() else { break };
        let n = count(first, d);
        if n > best.1 {
            best = (d as u8, n);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_polish_encodings() {
        let s = "płeć;miejscowość;uwagi\nkobieta;Wydminy;Zażółć gęślą jaźń, świętość\n";
        let (cp, _, _) = WINDOWS_1250.encode(s);
        let d = decode(&cp);
        assert_eq!(d.encoding, WINDOWS_1250);
        assert_eq!(d.text, s);
        let d = decode(s.as_bytes());
        assert_eq!(d.encoding, UTF_8);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(s.as_bytes());
        let d = decode(&bom);
        assert!(d.bom);
        assert_eq!(d.text, s);
    }

    #[test]
    fn detects_western_and_utf16_encodings() {
        for s in [
            "type;name;label\nselect_one sexe;sexe;Êtes-vous une femme ou un homme ? Précisez\ninteger;âge;Quel âge avez-vous ? (années révolues)\ntext;réponse;Décrivez la situation de votre ménage\n",
            "type;name;label\ninteger;edad;¿Cuántos años tiene usted? Señale la opción\ntext;situación;Descripción de la situación económica del hogar\n",
            "type;name;label\ninteger;alter;Wie alt sind Sie? Bitte für jede Person im Haushalt ausfüllen\ntext;größe;Größe der Wohnung in Quadratmetern (ungefähr)\n",
        ] {
            let (b, _, _) = WINDOWS_1252.encode(s);
            let d = decode(&b);
            assert_eq!(d.encoding, WINDOWS_1252, "{s}");
            assert_eq!(d.text, s);
            assert!(d.describe().starts_with("windows-1252 (ISO-8859-1)"));
        }
        let s = "type,name,label\ntext,imię,Imię i nazwisko — żółć\n";
        let le: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decode(&le).encoding, UTF_16LE);
        assert_eq!(decode(&le).text, s);
        assert!(decode(&le).describe().contains("without a BOM"));
        assert_eq!(decode(&be).encoding, UTF_16BE);
        let mut bom = vec![0xFF, 0xFE];
        bom.extend_from_slice(&le);
        let d = decode(&bom);
        assert_eq!((d.encoding, d.bom, d.text.as_str()), (UTF_16LE, true, s));
    }

    #[test]
    fn one_bad_byte_keeps_utf8_and_names_the_line() {
        let mut b = "a;b\nzażółć;gęślą\njaźń;x".as_bytes().to_vec();
        b.extend_from_slice(b"\ncaf\xE9;y\n");
        let d = decode(&b);
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.contains("zażółć") && d.text.contains("caf\u{FFFD}"));
        assert_eq!(
            d.notes,
            ["1 invalid byte(s) replaced by \u{FFFD}: line 4 (byte 0xE9)"]
        );
    }

    #[test]
    fn a_forced_encoding_wins() {
        let (cp, _, _) = WINDOWS_1250.encode("łódź;ś\n");
        let d = decode_as(&cp, encoding_for_label("cp1250"));
        assert_eq!(d.text, "łódź;ś\n");
        assert_eq!(d.encoding, WINDOWS_1250);
        assert!(d.describe().contains("forced"));
        assert_eq!(encoding_for_label("latin1"), Some(WINDOWS_1252));
        assert!(encoding_for_label("klingon").is_none());
    }

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3"), b';');
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(sniff_delimiter("a\tb\n1\t2"), b'\t');
        assert_eq!(sniff_delimiter("\"a;x\",b,c\n1,2,3"), b',');
    }
}
