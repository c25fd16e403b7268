//! The answers of one import kept column by column: for every question, a dictionary of the
//! choice codes seen and one small tag per response (plus the numbers, the code sets, and the
//! dates and texts), written in the import's transaction in parts of at most [`PART_ROWS`]
//! responses. Since schema version 3 they are the only copy of the validated answers (the
//! response rows keep the original cells); the analysis reads a million responses from them
//! without parsing anything per response. They are questionnaire-independent (the codes are
//! stored by name), so a questionnaire edited after the import still reads them right. It does
//! not validate answers (that is `ingest::map`).

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};

use crate::response::{Answer, Missing, Response};

/// Tag of a response to whom skip logic did not put the question.
pub const T_NOT_ASKED: u16 = 0;
/// Asked and left blank, or no answer stored for the question at all.
pub const T_NOT_ANSWERED: u16 = 1;
/// A date or a free text.
pub const T_OTHER: u16 = 2;
/// A number: the next value of the numbers stream.
pub const T_NUMBER: u16 = 3;
/// A set of codes: the next entry of the sets stream (a count, then dictionary indices).
pub const T_CHOICES: u16 = 4;
/// A single code: dictionary entry `tag - T_CHOICE`.
pub const T_CHOICE: u16 = 5;

/// The column name under which each response's channel is kept.
pub const CHANNEL: &str = "";

/// At most this many responses per stored part of a column: an import of any size holds one
/// part in memory, not the whole file's columns.
pub const PART_ROWS: usize = 65_536;

/// Set in the first header word of [`Column::to_bytes`] when the tags are one byte each.
const NARROW: u32 = 1 << 31;

/// One row of a column: what its tag says, with the number or the dictionary indices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    NotAsked,
    NotAnswered,
    /// A date or a free text.
    Other,
    Number(f64),
    Choices(&'a [u16]),
    Choice(u16),
}

/// One question's answers in one import, decoded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Column {
    pub dict: Vec<String>,
    pub tags: Vec<u16>,
    pub numbers: Vec<f64>,
    /// For each `T_CHOICES` row in order: a count, then that many dictionary indices.
    pub sets: Vec<u16>,
    /// For each `T_OTHER` row in order: the date (`true`) or the free text. Kept apart from
    /// [`Column::to_bytes`] (the analysis does not read them): [`texts_to_bytes`].
    pub texts: Vec<(bool, String)>,
}

impl Column {
    /// The dictionary index of code `c`, added when new.
    fn intern(&mut self, index: &mut BTreeMap<String, u16>, c: &str) -> Result<u16> {
        // A few codes (a rating scale): a look along the dictionary beats the map.
        if self.dict.len() <= 16 {
            if let Some(i) = self.dict.iter().position(|d| d == c) {
                return Ok(i as u16);
            }
        } else if let Some(&i) = index.get(c) {
            return Ok(i);
        }
        let i = self.dict.len();
        if i >= usize::from(u16::MAX - T_CHOICE) {
            bail!(
                "more than {} different codes in one column",
                u16::MAX - T_CHOICE
            );
        }
        self.dict.push(c.to_string());
        index.insert(c.to_string(), i as u16);
        Ok(i as u16)
    }

    /// The bytes kept in the store: row count, tags, numbers, sets (little-endian). Tags are
    /// one byte each when they all fit (the row count's top bit says so), else two.
    pub fn to_bytes(&self) -> Vec<u8> {
        let narrow = self.tags.iter().all(|&t| t < 256);
        let mut b = Vec::with_capacity(12 + self.tags.len() * 2 + self.numbers.len() * 8);
        let nt = self.tags.len() as u32 | if narrow { NARROW } else { 0 };
        b.extend_from_slice(&nt.to_le_bytes());
        b.extend_from_slice(&(self.numbers.len() as u32).to_le_bytes());
        b.extend_from_slice(&(self.sets.len() as u32).to_le_bytes());
        if narrow {
            b.extend(self.tags.iter().map(|&t| t as u8));
        } else {
            for t in &self.tags {
                b.extend_from_slice(&t.to_le_bytes());
            }
        }
        for x in &self.numbers {
            b.extend_from_slice(&x.to_le_bytes());
        }
        for s in &self.sets {
            b.extend_from_slice(&s.to_le_bytes());
        }
        b
    }

    pub fn from_bytes(dict: Vec<String>, b: &[u8]) -> Result<Column> {
        let word = |i: usize| -> Result<usize> {
            let s = b
                .get(i * 4..i * 4 + 4)
                .ok_or_else(|| anyhow::anyhow!("short header"))?;
            Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
        };
        let (nt, nn, ns) = (word(0)?, word(1)?, word(2)?);
        let narrow = nt & NARROW as usize != 0;
        let nt = nt & !(NARROW as usize);
        let tag_bytes = if narrow { nt } else { nt * 2 };
        if b.len() != 12 + tag_bytes + nn * 8 + ns * 2 {
            bail!("a column of {} bytes does not match its header", b.len());
        }
        let mut p = 12;
        let u16s = |p: &mut usize, n: usize| -> Vec<u16> {
            let v = b[*p..*p + n * 2]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            *p += n * 2;
            v
        };
        let tags = if narrow {
            p += nt;
            b[12..12 + nt].iter().map(|&t| u16::from(t)).collect()
        } else {
            u16s(&mut p, nt)
        };
        let numbers = b[p..p + nn * 8]
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect();
        p += nn * 8;
        let sets = u16s(&mut p, ns);
        Ok(Column {
            dict,
            tags,
            numbers,
            sets,
            texts: Vec::new(),
        })
    }

    /// Add another part's rows after these (its dictionary indices renumbered into this one's).
    pub fn append(&mut self, other: Column) -> Result<()> {
        let mut index: BTreeMap<String, u16> = self
            .dict
            .iter()
            .enumerate()
            .map(|(i, d)| (d.clone(), i as u16))
            .collect();
        let mut remap = Vec::with_capacity(other.dict.len());
        for d in &other.dict {
            remap.push(self.intern(&mut index, d)?);
        }
        let re = |i: u16| -> Result<u16> {
            remap
                .get(usize::from(i))
                .copied()
                .context("a code outside the column's dictionary")
        };
        for &t in &other.tags {
            self.tags.push(if t >= T_CHOICE {
                T_CHOICE + re(t - T_CHOICE)?
            } else {
                t
            });
        }
        let mut i = 0;
        while i < other.sets.len() {
            let n = usize::from(other.sets[i]);
            self.sets.push(other.sets[i]);
            for &c in other
                .sets
                .get(i + 1..i + 1 + n)
                .context("the code sets end early")?
            {
                self.sets.push(re(c)?);
            }
            i += 1 + n;
        }
        self.numbers.extend(other.numbers);
        self.texts.extend(other.texts);
        Ok(())
    }

    /// Each row's entry, in order: the tags with the numbers and code sets they point to.
    /// Fails where the streams end early.
    pub fn cells(&self) -> impl Iterator<Item = Result<Cell<'_>>> {
        let (mut ni, mut si) = (0, 0);
        self.tags.iter().map(move |&t| {
            Ok(match t {
                T_NOT_ASKED => Cell::NotAsked,
                T_NOT_ANSWERED => Cell::NotAnswered,
                T_OTHER => Cell::Other,
                T_NUMBER => {
                    let x = *self.numbers.get(ni).context("the numbers end early")?;
                    ni += 1;
                    Cell::Number(x)
                }
                T_CHOICES => {
                    let n = usize::from(*self.sets.get(si).context("the code sets end early")?);
                    let idx = self
                        .sets
                        .get(si + 1..si + 1 + n)
                        .context("the code sets end early")?;
                    si += 1 + n;
                    Cell::Choices(idx)
                }
                c => Cell::Choice(c - T_CHOICE),
            })
        })
    }

    /// A dictionary entry by its index.
    pub fn code(&self, i: u16) -> Result<&str> {
        self.dict
            .get(usize::from(i))
            .map(String::as_str)
            .context("a code outside the column's dictionary")
    }

    /// Each row's answer again: a date or a text as kept in [`Column::texts`] (an empty text
    /// where they were not read).
    pub fn answers(&self) -> Result<Vec<Answer>> {
        let mut texts = self.texts.iter();
        self.cells()
            .map(|c| {
                Ok(match c? {
                    Cell::NotAsked => Answer::Missing(Missing::NotAsked),
                    Cell::NotAnswered => Answer::Missing(Missing::NotAnswered),
                    Cell::Other => match texts.next() {
                        Some((true, d)) => Answer::Date(d.clone()),
                        Some((false, t)) => Answer::Text(t.clone()),
                        None => Answer::Text(String::new()),
                    },
                    Cell::Number(x) => Answer::Number(x),
                    Cell::Choices(idx) => Answer::Choices(
                        idx.iter()
                            .map(|&i| self.code(i).map(str::to_string))
                            .collect::<Result<_>>()?,
                    ),
                    Cell::Choice(i) => Answer::Choice(self.code(i)?.to_string()),
                })
            })
            .collect()
    }
}

/// The dates and texts of a column as stored: for each, a kind byte (`d` or `t`), a length
/// (u32, little-endian) and the UTF-8 bytes.
pub fn texts_to_bytes(texts: &[(bool, String)]) -> Vec<u8> {
    let mut b = Vec::new();
    for (date, t) in texts {
        b.push(if *date { b'd' } else { b't' });
        b.extend_from_slice(&(t.len() as u32).to_le_bytes());
        b.extend_from_slice(t.as_bytes());
    }
    b
}

pub fn texts_from_bytes(b: &[u8]) -> Result<Vec<(bool, String)>> {
    let mut out = Vec::new();
    let mut p = 0;
    while p < b.len() {
        let date = match b[p] {
            b'd' => true,
            b't' => false,
            k => bail!("a text of unknown kind {k}"),
        };
        let len = b
            .get(p + 1..p + 5)
            .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
            .context("the texts end early")?;
        let s = b.get(p + 5..p + 5 + len).context("the texts end early")?;
        out.push((
            date,
            String::from_utf8(s.to_vec()).context("a text is not UTF-8")?,
        ));
        p += 5 + len;
    }
    Ok(out)
}

/// Builds the columns of an import response by response (in insertion order), plus their
/// channels; [`Encoder::take`] hands over the rows so far as one part.
#[derive(Debug, Default)]
pub struct Encoder {
    /// By name, in order (responses' answers come in the same order: found by walking along).
    cols: Vec<(String, Column, BTreeMap<String, u16>)>,
    channel: (Column, BTreeMap<String, u16>),
    rows: usize,
}

impl Encoder {
    /// Responses pushed since the last [`Encoder::take`].
    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn push(&mut self, resp: &Response) -> Result<()> {
        let r = self.rows;
        let c = self
            .channel
            .0
            .intern(&mut self.channel.1, resp.provenance.channel.code())?;
        self.channel.0.tags.push(T_CHOICE + c);
        let mut at = 0;
        for (name, a) in &resp.answers {
            // The answers are in name order, as the columns: the next column is usually it.
            if self.cols.get(at).is_none_or(|c| c.0 != *name) {
                at = match self.cols.binary_search_by(|c| c.0.as_str().cmp(name)) {
                    Ok(i) => i,
                    Err(i) => {
                        let col = Column {
                            tags: vec![T_NOT_ANSWERED; r],
                            ..Column::default()
                        };
                        self.cols.insert(i, (name.clone(), col, BTreeMap::new()));
                        i
                    }
                };
            }
            let (_, col, index) = &mut self.cols[at];
            at += 1;
            // A question this response has twice cannot happen (a map); one it lacks is padded
            // below.
            let tag = match a {
                Answer::Missing(Missing::NotAsked) => T_NOT_ASKED,
                Answer::Missing(Missing::NotAnswered) => T_NOT_ANSWERED,
                Answer::Date(d) => {
                    col.texts.push((true, d.clone()));
                    T_OTHER
                }
                Answer::Text(t) => {
                    col.texts.push((false, t.clone()));
                    T_OTHER
                }
                Answer::Number(x) => {
                    col.numbers.push(*x);
                    T_NUMBER
                }
                Answer::Choices(cs) => {
                    if cs.len() > usize::from(u16::MAX) {
                        bail!("question '{name}': too many codes in one answer");
                    }
                    col.sets.push(cs.len() as u16);
                    for c in cs {
                        let i = col.intern(index, c)?;
                        col.sets.push(i);
                    }
                    T_CHOICES
                }
                Answer::Choice(c) => T_CHOICE + col.intern(index, c)?,
            };
            col.tags.push(tag);
        }
        self.rows += 1;
        for (_, col, _) in self.cols.iter_mut() {
            if col.tags.len() < self.rows {
                col.tags.push(T_NOT_ANSWERED);
            }
        }
        Ok(())
    }

    /// The columns of the responses pushed since the last call (the channels under
    /// [`CHANNEL`]); empty when there were none.
    pub fn take(&mut self) -> BTreeMap<String, Column> {
        if self.rows == 0 {
            return BTreeMap::new();
        }
        let cols = std::mem::take(&mut self.cols);
        let channel = std::mem::take(&mut self.channel);
        self.rows = 0;
        let mut out: BTreeMap<String, Column> = cols.into_iter().map(|(k, c, _)| (k, c)).collect();
        out.insert(CHANNEL.to_string(), channel.0);
        out
    }
}

/// The columns of the responses of one import (in insertion order), plus their channels.
pub fn encode(responses: &[&Response]) -> Result<BTreeMap<String, Column>> {
    let mut e = Encoder::default();
    for r in responses {
        e.push(r)?;
    }
    let mut out = e.take();
    if out.is_empty() {
        out.insert(CHANNEL.to_string(), Column::default());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::{Channel, Provenance};

    #[test]
    fn columns_round_trip_every_kind_of_answer() {
        let mk = |pairs: Vec<(&str, Answer)>| Response {
            provenance: Provenance {
                channel: Channel::Email,
                file: "f".into(),
                row: 1,
                external_id: None,
            },
            answers: pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            raw: Default::default(),
        };
        let a = mk(vec![
            ("p", Answer::Choice("tak".into())),
            (
                "m",
                Answer::Choices(["x".to_string(), "y".to_string()].into()),
            ),
            ("n", Answer::Number(2.5)),
        ]);
        let b = mk(vec![
            ("p", Answer::Missing(Missing::NotAsked)),
            ("m", Answer::Choices(Default::default())),
            ("n", Answer::Missing(Missing::NotAnswered)),
            ("t", Answer::Text("uwaga".into())),
        ]);
        let cols = encode(&[&a, &b]).unwrap();
        let back = |name: &str| {
            let c = &cols[name];
            Column::from_bytes(c.dict.clone(), &c.to_bytes())
                .unwrap()
                .answers()
                .unwrap()
        };
        assert_eq!(
            back("p"),
            vec![
                Answer::Choice("tak".into()),
                Answer::Missing(Missing::NotAsked)
            ]
        );
        assert_eq!(
            back("m"),
            vec![
                Answer::Choices(["x".to_string(), "y".to_string()].into()),
                Answer::Choices(Default::default())
            ]
        );
        assert_eq!(
            back("n"),
            vec![Answer::Number(2.5), Answer::Missing(Missing::NotAnswered)]
        );
        // A question only one response mentions: the other has "not answered".
        assert_eq!(
            back("t"),
            vec![
                Answer::Missing(Missing::NotAnswered),
                Answer::Text(String::new())
            ]
        );
        assert_eq!(
            back(CHANNEL),
            vec![
                Answer::Choice("email".into()),
                Answer::Choice("email".into())
            ]
        );
        assert!(Column::from_bytes(vec![], &[1, 2, 3]).is_err());
        assert!(Column::from_bytes(vec![], &cols["p"].to_bytes()[..13]).is_err());
    }
}
