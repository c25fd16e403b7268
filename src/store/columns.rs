//! The answers of one import also kept column by column: for every question, a dictionary of the
//! choice codes seen and one small tag per response, written in the import's transaction. The
//! JSON of each response stays the record; these columns let the analysis read a million
//! responses without parsing a million JSON maps. They are questionnaire-independent (the codes
//! are stored by name), so a questionnaire edited after the import still reads them right.

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
}

impl Column {
    /// The dictionary index of code `c`, added when new.
    fn intern(&mut self, index: &mut BTreeMap<String, u16>, c: &str) -> Result<u16> {
        if let Some(&i) = index.get(c) {
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

    /// The bytes kept in the store: row count, tags, numbers, sets (little-endian).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(12 + self.tags.len() * 2 + self.numbers.len() * 8);
        b.extend_from_slice(&(self.tags.len() as u32).to_le_bytes());
        b.extend_from_slice(&(self.numbers.len() as u32).to_le_bytes());
        b.extend_from_slice(&(self.sets.len() as u32).to_le_bytes());
        for t in &self.tags {
            b.extend_from_slice(&t.to_le_bytes());
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
        if b.len() != 12 + nt * 2 + nn * 8 + ns * 2 {
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
        let tags = u16s(&mut p, nt);
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
        })
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

    /// Each row's answer again (for checks and tests).
    pub fn answers(&self) -> Result<Vec<Answer>> {
        self.cells()
            .map(|c| {
                Ok(match c? {
                    Cell::NotAsked => Answer::Missing(Missing::NotAsked),
                    Cell::NotAnswered => Answer::Missing(Missing::NotAnswered),
                    Cell::Other => Answer::Text(String::new()),
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

/// The columns of the responses of one import (in insertion order), plus their channels.
pub fn encode(responses: &[&Response]) -> Result<BTreeMap<String, Column>> {
    let mut cols: BTreeMap<String, (Column, BTreeMap<String, u16>)> = BTreeMap::new();
    let n = responses.len();
    let mut channel = (Column::default(), BTreeMap::new());
    for (r, resp) in responses.iter().enumerate() {
        let c = channel
            .0
            .intern(&mut channel.1, resp.provenance.channel.code())?;
        channel.0.tags.push(T_CHOICE + c);
        for (name, a) in &resp.answers {
            let (col, index) = cols.entry(name.clone()).or_insert_with(|| {
                (
                    Column {
                        tags: vec![T_NOT_ANSWERED; n],
                        ..Column::default()
                    },
                    BTreeMap::new(),
                )
            });
            col.tags[r] = match a {
                Answer::Missing(Missing::NotAsked) => T_NOT_ASKED,
                Answer::Missing(Missing::NotAnswered) => T_NOT_ANSWERED,
                Answer::Date(_) | Answer::Text(_) => T_OTHER,
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
        }
    }
    let mut out: BTreeMap<String, Column> = cols.into_iter().map(|(k, v)| (k, v.0)).collect();
    out.insert(CHANNEL.to_string(), channel.0);
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
