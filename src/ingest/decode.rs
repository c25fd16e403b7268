//! Text encodings and CSV dialects of files typed on Polish Windows PCs: BOM, UTF-8,
//! windows-1250, ISO-8859-2 (detected with chardetng as crates.md describes), and the delimiter.

use encoding_rs::{Encoding, ISO_8859_2, UTF_8, WINDOWS_1250};

/// Decoded text and how it was decoded.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub bom: bool,
}

impl Decoded {
    pub fn describe(&self) -> String {
        format!("{}{}", self.encoding.name(), if self.bom { " with BOM" } else { "" })
    }
}

/// Decode bytes: BOM → valid UTF-8 → chardetng limited to windows-1250 / ISO-8859-2 (ISO-8859-2
/// with bytes 0x80–0x9F is really windows-1250) → windows-1250.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Decoded { text: text.into_owned(), encoding: enc, bom: true };
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded { text: s.to_string(), encoding: UTF_8, bom: false };
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let guess = det.guess(None, chardetng::Utf8Detection::Allow);
    let enc = if guess == ISO_8859_2 && !bytes.iter().any(|b| (0x80..=0x9F).contains(b)) {
        ISO_8859_2
    } else {
        WINDOWS_1250
    };
    let (text, _, _) = enc.decode(bytes);
    Decoded { text: text.into_owned(), encoding: enc, bom: false }
}

/// The delimiter of a CSV text: the one of `,` `;` tab that occurs most often outside quotes in
/// the first line, consistently in the next lines.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(6).collect();
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
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3"), b';');
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(sniff_delimiter("a\tb\n1\t2"), b'\t');
        assert_eq!(sniff_delimiter("\"a;x\",b,c\n1,2,3"), b',');
    }
}
