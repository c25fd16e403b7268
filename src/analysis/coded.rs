//! The respondents' answers as the analysis needs them: one compact column per closed or numeric
//! question (a small integer code per respondent, a bit set for a multiple choice, a number),
//! decoded straight from the store's JSON without building a `Response` per respondent. At a
//! million respondents this is a few hundred MB instead of many GB of maps and strings, and the
//! store is read by several threads at once.
//! It decodes answers; it does not count them (that is `tally`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::response::{Answer, Missing, Response};
use crate::store::columns::{self, Cell};
use crate::template::{Kind, Questionnaire};

/// Code of a respondent to whom skip logic did not put the question.
pub const NOT_ASKED: u16 = 0;
/// Code of a question asked and left blank (also: no answer stored at all).
pub const NOT_ANSWERED: u16 = 1;
/// Code of an answer that is none of the list's options (a number, a date, a multiple choice, a
/// code outside the list — which import rejects).
pub const OTHER: u16 = 2;
/// Code of the list's first option; option i has `FIRST + i`.
pub const FIRST: u16 = 3;

/// What a column holds besides the codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// select_one: the code says which option.
    One,
    /// select_multiple: `words` u64 words of option bits per respondent.
    Multi { words: usize },
    /// integer / decimal: the number (NaN when there is none).
    Number,
}

/// One question's answers.
#[derive(Debug, Clone)]
pub struct Col {
    pub name: String,
    pub shape: Shape,
    /// Options of the question's list (empty for a number).
    pub options: Vec<String>,
    /// Per respondent: `NOT_ASKED`, `NOT_ANSWERED`, `OTHER` or `FIRST + option`.
    pub code: Vec<u16>,
    /// Multiple choice: option bits, `words` per respondent.
    pub bits: Vec<u64>,
    /// Number: the value per respondent (NaN when missing).
    pub x: Vec<f64>,
    /// Options sorted by code, with their index, for decoding.
    lookup: Vec<(String, u16)>,
}

impl Col {
    fn new(name: &str, shape: Shape, options: Vec<String>) -> Col {
        let mut lookup: Vec<(String, u16)> = options
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i as u16))
            .collect();
        lookup.sort();
        Col {
            name: name.to_string(),
            shape,
            options,
            code: Vec::new(),
            bits: Vec::new(),
            x: Vec::new(),
            lookup,
        }
    }

    fn option(&self, code: &str) -> Option<u16> {
        // Lists are short: comparing lengths first leaves one or two string comparisons, fewer
        // than a binary search makes (this is the decoder's innermost lookup).
        if self.lookup.len() <= 32 {
            return self
                .lookup
                .iter()
                .find(|(c, _)| c.len() == code.len() && c == code)
                .map(|(_, i)| *i);
        }
        self.lookup
            .binary_search_by(|(c, _)| c.as_str().cmp(code))
            .ok()
            .map(|i| self.lookup[i].1)
    }

    /// A new respondent: not answered until an answer says otherwise.
    fn push_row(&mut self) {
        self.code.push(NOT_ANSWERED);
        match self.shape {
            Shape::One => {}
            Shape::Multi { words } => self.bits.extend(std::iter::repeat_n(0, words)),
            Shape::Number => self.x.push(f64::NAN),
        }
    }

    fn set_choice(&mut self, r: usize, code: &str) {
        let opt = self.option(code);
        self.set_option(r, opt);
    }

    /// A single code, already looked up (None: not an option of the list).
    fn set_option(&mut self, r: usize, opt: Option<u16>) {
        match (self.shape, opt) {
            (Shape::One, Some(i)) => self.code[r] = FIRST + i,
            (Shape::Multi { .. }, Some(i)) => {
                self.code[r] = OTHER;
                self.set_bit(r, i);
            }
            _ => self.code[r] = OTHER,
        }
    }

    /// Option `i` chosen by respondent `r` of a multiple choice (nothing on other shapes).
    fn set_bit(&mut self, r: usize, i: u16) {
        if let Shape::Multi { words } = self.shape {
            self.bits[r * words + usize::from(i) / 64] |= 1u64 << (i % 64);
        }
    }

    /// A set of codes: answered, and each code of the list marked.
    fn set_choices<'s>(&mut self, r: usize, codes: impl IntoIterator<Item = &'s str>) {
        self.code[r] = OTHER;
        for c in codes {
            if let Some(i) = self.option(c) {
                self.set_bit(r, i);
            }
        }
    }

    /// Rows `from..` from a column the store kept for one import (see `store::columns`).
    fn fill(&mut self, from: usize, c: &columns::Column) -> Result<()> {
        let remap: Vec<Option<u16>> = c.dict.iter().map(|d| self.option(d)).collect();
        let look = |i: u16| -> Result<Option<u16>> {
            remap
                .get(usize::from(i))
                .copied()
                .context("a code outside the column's dictionary")
        };
        for (k, cell) in c.cells().enumerate() {
            let r = from + k;
            match cell? {
                Cell::NotAsked => self.code[r] = NOT_ASKED,
                Cell::NotAnswered => self.code[r] = NOT_ANSWERED,
                Cell::Other => self.code[r] = OTHER,
                Cell::Number(x) => self.set_number(r, x),
                Cell::Choices(idx) => {
                    self.code[r] = OTHER;
                    for &i in idx {
                        if let Some(o) = look(i)? {
                            self.set_bit(r, o);
                        }
                    }
                }
                Cell::Choice(i) => self.set_option(r, look(i)?),
            }
        }
        Ok(())
    }

    fn set_number(&mut self, r: usize, x: f64) {
        self.code[r] = OTHER;
        if self.shape == Shape::Number {
            self.x[r] = x;
        }
    }

    /// Append another part's rows (same question, decoded by another thread).
    fn append(&mut self, other: Col) {
        self.code.extend(other.code);
        self.bits.extend(other.bits);
        self.x.extend(other.x);
    }

    /// The options respondent `r` marked on a multiple choice of `words` words per row.
    pub fn marked(&self, r: usize, words: usize) -> impl Iterator<Item = usize> + '_ {
        self.bits[r * words..(r + 1) * words]
            .iter()
            .enumerate()
            .flat_map(|(wi, &w)| ones(w).map(move |i| wi * 64 + i))
    }

    /// The option index chosen by respondent `r` on a single choice.
    pub fn chosen(&self, r: usize) -> Option<usize> {
        let c = self.code[r];
        (self.shape == Shape::One && c >= FIRST).then(|| usize::from(c - FIRST))
    }
}

/// The positions of the set bits of `word`, lowest first.
pub fn ones(mut word: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (word != 0).then(|| {
            let i = word.trailing_zeros() as usize;
            word &= word - 1;
            i
        })
    })
}

/// Every analysed question's answers, one column each, respondents in store order.
#[derive(Debug, Clone)]
pub struct Coded {
    pub n: usize,
    /// Respondents per channel code (paper, email, kobo …).
    pub per_channel: BTreeMap<String, u64>,
    /// Columns in questionnaire order.
    pub cols: Vec<Col>,
    /// Column indices sorted by question name, for looking names up.
    by_name: Vec<usize>,
}

impl Coded {
    /// Empty columns for the questionnaire's closed and numeric questions.
    pub fn new(form: &Questionnaire) -> Result<Coded> {
        let mut cols = Vec::new();
        for q in super::analysed(form) {
            let options: Vec<String> = form
                .list_of(q)
                .map(|l| l.choices.iter().map(|c| c.name.clone()).collect())
                .unwrap_or_default();
            if options.len() > usize::from(u16::MAX - FIRST) {
                bail!(
                    "question '{}' has {} options; the analysis handles at most {}",
                    q.name,
                    options.len(),
                    u16::MAX - FIRST
                );
            }
            let shape = match q.kind {
                Kind::SelectOne => Shape::One,
                Kind::SelectMultiple => Shape::Multi {
                    words: options.len().div_ceil(64).max(1),
                },
                _ => Shape::Number,
            };
            cols.push(Col::new(&q.name, shape, options));
        }
        let mut by_name: Vec<usize> = (0..cols.len()).collect();
        by_name.sort_by(|&a, &b| cols[a].name.cmp(&cols[b].name));
        Ok(Coded {
            n: 0,
            per_channel: BTreeMap::new(),
            cols,
            by_name,
        })
    }

    /// The column of a question, if it is analysed.
    pub fn col(&self, name: &str) -> Option<&Col> {
        self.index(name).map(|i| &self.cols[i])
    }

    /// `index` for names coming in sorted order: moves `cursor` (a position in `by_name`) forward.
    fn seek(&self, name: &str, cursor: &mut usize) -> Option<usize> {
        while let Some(&i) = self.by_name.get(*cursor) {
            match self.cols[i].name.as_str().cmp(name) {
                std::cmp::Ordering::Less => *cursor += 1,
                std::cmp::Ordering::Equal => {
                    *cursor += 1;
                    return Some(i);
                }
                std::cmp::Ordering::Greater => {
                    if *cursor > 0 && self.cols[self.by_name[*cursor - 1]].name.as_str() > name {
                        // Out of order: search the whole list.
                        return self.index(name);
                    }
                    return None;
                }
            }
        }
        self.index(name)
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.by_name
            .binary_search_by(|&i| self.cols[i].name.as_str().cmp(name))
            .ok()
            .map(|k| self.by_name[k])
    }

    /// The choice code respondent `r` gave to single-choice question `name`.
    pub fn choice(&self, name: &str, r: usize) -> Option<&str> {
        let c = self.col(name)?;
        c.chosen(r).map(|i| c.options[i].as_str())
    }

    /// `k` more respondents of `channel`.
    fn count_channel(&mut self, channel: &str, k: u64) {
        match self.per_channel.get_mut(channel) {
            Some(n) => *n += k,
            None => {
                self.per_channel.insert(channel.to_string(), k);
            }
        }
    }

    fn push_row(&mut self, channel: &str) -> usize {
        for c in &mut self.cols {
            c.push_row();
        }
        self.count_channel(channel, 1);
        self.n += 1;
        self.n - 1
    }

    /// Add one respondent from a parsed response.
    pub fn push_response(&mut self, resp: &Response) {
        let r = self.push_row(resp.provenance.channel.code());
        for (name, a) in &resp.answers {
            let Some(i) = self.index(name) else { continue };
            let col = &mut self.cols[i];
            match a {
                Answer::Choice(c) => col.set_choice(r, c),
                Answer::Choices(cs) => col.set_choices(r, cs.iter().map(String::as_str)),
                Answer::Number(x) => col.set_number(r, *x),
                Answer::Date(_) | Answer::Text(_) => col.code[r] = OTHER,
                Answer::Missing(Missing::NotAsked) => col.code[r] = NOT_ASKED,
                Answer::Missing(Missing::NotAnswered) => col.code[r] = NOT_ANSWERED,
            }
        }
    }

    /// The columns of parsed responses.
    pub fn from_responses(form: &Questionnaire, responses: &[Response]) -> Result<Coded> {
        let mut c = Coded::new(form)?;
        for r in responses {
            c.push_response(r);
        }
        Ok(c)
    }

    /// Add one respondent from the store's JSON of its answers (`{"q": {"choice": "x"}, …}`,
    /// the serialisation of `BTreeMap<String, Answer>`), without building the map.
    pub fn push_json(&mut self, channel: &str, json: &str) -> Result<()> {
        let r = self.push_row(channel);
        let mut de = serde_json::Deserializer::from_str(json);
        RowSeed { coded: self, r }.deserialize(&mut de)?;
        de.end()?;
        Ok(())
    }

    /// Append another part's respondents (the same questionnaire, decoded by another thread).
    fn append(&mut self, other: Coded) {
        self.n += other.n;
        for (k, v) in other.per_channel {
            self.count_channel(&k, v);
        }
        for (a, b) in self.cols.iter_mut().zip(other.cols) {
            a.append(b);
        }
    }

    /// Every stored response of `form` in the store at `path`: from the columns each import
    /// keeps (`store::columns`), or, for imports made before the store had them, from the
    /// responses' JSON decoded by up to `threads` threads.
    pub fn from_store(form: &Questionnaire, path: &Path, threads: usize) -> Result<Coded> {
        let store = crate::store::Store::open(path)?;
        let mut out = Coded::new(form)?;
        let names: Vec<String> = out.cols.iter().map(|c| c.name.clone()).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        for (import, n, cached) in store.column_imports(&form.id)? {
            if cached {
                let cols = store.columns(import, &names)?;
                out.append_columns(n, &cols)
                    .with_context(|| format!("store: the columns of import {import}"))?;
            } else if let Some((lo, hi)) = store.import_id_range(import)? {
                // Small imports are read by one thread: a thread per range only pays off for
                // many rows.
                out.append(Coded::read_parts(form, path, threads, 20_000, lo, hi, n)?);
            }
        }
        Ok(out)
    }

    /// `n` respondents from one import's stored columns.
    fn append_columns(&mut self, n: usize, cols: &[(String, columns::Column)]) -> Result<()> {
        let from = self.n;
        for c in &mut self.cols {
            for _ in 0..n {
                c.push_row();
            }
        }
        self.n += n;
        for (name, c) in cols {
            if c.tags.len() != n {
                bail!(
                    "column '{name}' has {} rows for {n} responses",
                    c.tags.len()
                );
            }
            if name == columns::CHANNEL {
                // Counted per dictionary entry, then named once each.
                let mut per_code = vec![0u64; c.dict.len()];
                for cell in c.cells() {
                    let Cell::Choice(i) = cell? else {
                        bail!("a response without its channel");
                    };
                    *per_code
                        .get_mut(usize::from(i))
                        .context("a code outside the column's dictionary")? += 1;
                }
                for (ch, k) in c.dict.iter().zip(per_code) {
                    if k > 0 {
                        self.count_channel(ch, k);
                    }
                }
            } else if let Some(i) = self.index(name) {
                self.cols[i].fill(from, c)?;
            }
        }
        Ok(())
    }

    fn read_parts(
        form: &Questionnaire,
        path: &Path,
        threads: usize,
        min_per_thread: usize,
        lo: i64,
        hi: i64,
        count: usize,
    ) -> Result<Coded> {
        let threads = threads.clamp(1, (count / min_per_thread.max(1)).max(1));
        let span = (hi - lo + threads as i64) / threads as i64;
        let ranges: Vec<(i64, i64)> = (0..threads as i64)
            .map(|t| (lo + t * span, (lo + (t + 1) * span - 1).min(hi)))
            .filter(|(a, b)| a <= b)
            .collect();
        let read = |(a, b): (i64, i64)| -> Result<Coded> {
            let store = crate::store::Store::open(path)?;
            let mut part = Coded::new(form)?;
            store.each_answers(&form.id, a, b, |id, channel, json| {
                part.push_json(channel, json)
                    .with_context(|| format!("store: response {id} has unreadable answers"))
            })?;
            Ok(part)
        };
        let parts: Vec<Result<Coded>> = if ranges.len() == 1 {
            vec![read(ranges[0])]
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = ranges.iter().map(|&r| s.spawn(move || read(r))).collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join()
                            .unwrap_or_else(|_| Err(anyhow::anyhow!("a reading thread failed")))
                    })
                    .collect()
            })
        };
        let mut out: Option<Coded> = None;
        for p in parts {
            let p = p?;
            match &mut out {
                None => out = Some(p),
                Some(o) => o.append(p),
            }
        }
        match out {
            Some(c) => Ok(c),
            None => Coded::new(form),
        }
    }
}

/// A string from the JSON, borrowed when it has no escapes.
struct Str<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

/// One respondent's answer map.
struct RowSeed<'a> {
    coded: &'a mut Coded,
    r: usize,
}

impl<'de> DeserializeSeed<'de> for RowSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of question names to answers")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // The store writes the keys sorted (a BTreeMap), so a cursor walking the sorted column
        // names finds each one in a step or two; any other order falls back to a search.
        let mut cursor = 0;
        while let Some(Str(name)) = map.next_key::<Str>()? {
            let found = self.coded.seek(&name, &mut cursor);
            match found {
                Some(i) => map.next_value_seed(AnswerSeed {
                    col: &mut self.coded.cols[i],
                    r: self.r,
                })?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// One answer (`{"choice": "x"}`, `{"choices": [...]}`, `{"number": 3}`, `{"missing": ...}` …)
/// written into its column.
struct AnswerSeed<'a> {
    col: &'a mut Col,
    r: usize,
}

impl<'de> DeserializeSeed<'de> for AnswerSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for AnswerSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an answer such as {\"choice\": \"code\"}")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some(Str(kind)) = map.next_key::<Str>()? else {
            return Err(de::Error::custom("an empty answer"));
        };
        let (col, r) = (self.col, self.r);
        match kind.as_ref() {
            "choice" => {
                let Str(c) = map.next_value()?;
                col.set_choice(r, &c);
            }
            "choices" => map.next_value_seed(CodesSeed { col, r })?,
            "number" => {
                let x: f64 = map.next_value()?;
                col.set_number(r, x);
            }
            "date" | "text" => {
                map.next_value::<IgnoredAny>()?;
                col.code[r] = OTHER;
            }
            "missing" => {
                let Str(m) = map.next_value()?;
                col.code[r] = match m.as_ref() {
                    "not_asked" => NOT_ASKED,
                    "not_answered" => NOT_ANSWERED,
                    other => {
                        return Err(de::Error::custom(format!(
                            "unknown missing reason '{other}'"
                        )));
                    }
                };
            }
            other => {
                return Err(de::Error::custom(format!("unknown answer kind '{other}'")));
            }
        }
        if map.next_key::<IgnoredAny>()?.is_some() {
            return Err(de::Error::custom("an answer with more than one kind"));
        }
        Ok(())
    }
}

/// The codes of a multiple choice, set as bits.
struct CodesSeed<'a> {
    col: &'a mut Col,
    r: usize,
}

impl<'de> DeserializeSeed<'de> for CodesSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for CodesSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of choice codes")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.col.set_choices(self.r, std::iter::empty());
        while let Some(Str(c)) = seq.next_element::<Str>()? {
            self.col.set_choices(self.r, [c.as_ref()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::{Channel, Provenance};

    fn form() -> Questionnaire {
        crate::template::load_str(
            crate::template::builtin("mieszkancy").unwrap(),
            "mieszkancy",
        )
        .unwrap()
        .form
    }

    fn resp(pairs: &[(&str, Answer)]) -> Response {
        Response {
            provenance: Provenance {
                channel: Channel::Paper,
                file: "f.csv".into(),
                row: 1,
                external_id: None,
            },
            answers: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            raw: Default::default(),
        }
    }

    /// The JSON path and the parsed-response path decode the same columns.
    #[test]
    fn json_and_response_agree() {
        let f = form();
        let rs = vec![
            resp(&[
                ("plec", Answer::Choice("kobieta".into())),
                (
                    "bariery",
                    Answer::Choices(["koszt".to_string(), "brak_informacji".to_string()].into()),
                ),
                ("liczba_osob", Answer::Number(3.0)),
                ("liczba_dzieci", Answer::Missing(Missing::NotAsked)),
                ("uwagi", Answer::Text("Zażółć \"gęślą\" jaźń\n".into())),
                ("wiek", Answer::Choice("nieznany_kod".into())),
            ]),
            resp(&[("plec", Answer::Missing(Missing::NotAnswered))]),
        ];
        let a = Coded::from_responses(&f, &rs).unwrap();
        let mut b = Coded::new(&f).unwrap();
        for r in &rs {
            b.push_json("paper", &serde_json::to_string(&r.answers).unwrap())
                .unwrap();
        }
        assert_eq!(a.n, 2);
        assert_eq!(b.n, 2);
        for (x, y) in a.cols.iter().zip(&b.cols) {
            assert_eq!(x.code, y.code, "{}", x.name);
            assert_eq!(x.bits, y.bits, "{}", x.name);
            assert_eq!(format!("{:?}", x.x), format!("{:?}", y.x), "{}", x.name);
        }
        assert_eq!(a.choice("plec", 0), Some("kobieta"));
        assert_eq!(a.choice("plec", 1), None);
        assert_eq!(a.col("wiek").unwrap().code[0], OTHER);
        assert_eq!(a.col("liczba_dzieci").unwrap().code[0], NOT_ASKED);
        assert_eq!(a.col("liczba_osob").unwrap().x[0], 3.0);
        // Questions the response does not mention are "not answered".
        assert_eq!(a.col("wiek").unwrap().code[1], NOT_ANSWERED);
        let bar = a.col("bariery").unwrap();
        let koszt = bar.options.iter().position(|o| o == "koszt").unwrap();
        assert_ne!(bar.bits[0] & (1 << koszt), 0);
        assert_eq!(a.per_channel.get("paper"), Some(&2));
    }

    /// Several threads reading ranges of the store give the columns one reader gives, in the
    /// same order, and the parsed responses give them too.
    #[test]
    fn store_read_in_parallel_parts_is_the_same() {
        let f = form();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        let mut store = crate::store::Store::create(&path).unwrap();
        let text = crate::synth::csv(&f, 90, 3, 1, b',');
        let table = crate::ingest::read_csv_bytes(text.as_bytes(), "s.csv").unwrap();
        let mapped = crate::ingest::map::map(&table, &f, Channel::Paper);
        let responses: Vec<Response> = mapped
            .records
            .iter()
            .filter_map(|r| match r {
                crate::store::Record::Accepted { response, .. } => Some(response.clone()),
                _ => None,
            })
            .collect();
        store
            .import(
                &crate::store::Batch {
                    form_id: f.id.clone(),
                    file: "s.csv".into(),
                    file_hash: "h".into(),
                    channel: Channel::Paper,
                    records: mapped.records,
                },
                "2026-11-23T00:00:00Z",
            )
            .unwrap();
        let (lo, hi, n) = store.id_range(&f.id).unwrap().unwrap();
        drop(store);
        let one = Coded::read_parts(&f, &path, 1, 1, lo, hi, n).unwrap();
        let three = Coded::read_parts(&f, &path, 3, 1, lo, hi, n).unwrap();
        let parsed = Coded::from_responses(&f, &responses).unwrap();
        let columns = Coded::from_store(&f, &path, 2).unwrap();
        // (The upgrade of stores from before schema version 3 is tested in `store`, on stores
        // laid out as those versions wrote them.)
        assert_eq!(one.n, responses.len());
        for other in [&three, &parsed, &columns] {
            assert_eq!(other.n, one.n);
            assert_eq!(other.per_channel, one.per_channel);
            for (x, y) in one.cols.iter().zip(&other.cols) {
                assert_eq!(x.code, y.code, "{}", x.name);
                assert_eq!(x.bits, y.bits, "{}", x.name);
                assert_eq!(format!("{:?}", x.x), format!("{:?}", y.x), "{}", x.name);
            }
        }
    }

    #[test]
    fn bad_json_is_an_error_not_a_panic() {
        let f = form();
        let mut c = Coded::new(&f).unwrap();
        for bad in [
            "{\"plec\": {\"colour\": \"x\"}}",
            "{\"plec\": {}}",
            "{\"plec\": {\"missing\": \"later\"}}",
            "[1, 2]",
            "{\"plec\": {\"choice\": \"a\", \"text\": \"b\"}}",
        ] {
            assert!(c.push_json("paper", bad).is_err(), "{bad}");
        }
    }
}
