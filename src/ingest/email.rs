//! Answers returned by e-mail: single messages (.eml), mbox files and maildir folders, read with
//! mail-parser. From each message it takes the filled text form (`form::textform`) in the body
//! (plain text, or HTML without a text part; quoted replies; forwarded messages, also attached
//! as message/rfc822) and every attached CSV or spreadsheet, and turns them into records with
//! `ingest::map`. An mbox is split here ([`split_mbox`]: only at real separator lines, so a body
//! line "From …" never splits a message). Provenance is a hash of the Message-ID (of the raw
//! message when it has none) and a keyed hash of the sender under the workspace's secret
//! (`safe::sender_hash`): no address reaches the store in clear or guessable. A message without
//! recognisable answers becomes a reject with the reason. It does not write to the store.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use mail_parser::{Message, MessageParser, MimeHeaders};

use super::{RawTable, hash_bytes, map};
use crate::form::textform;
use crate::issue::Issue;
use crate::response::{Channel, Provenance};
use crate::store::Record;
use crate::template::Questionnaire;

/// What kind of mail source a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// One message (.eml).
    Message,
    Mbox,
    Maildir,
}

impl Source {
    pub fn describe(self) -> &'static str {
        match self {
            Source::Message => "e-mail message",
            Source::Mbox => "mbox mailbox",
            Source::Maildir => "maildir folder",
        }
    }
}

const HEADER_NAMES: &[&str] = &[
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "received",
    "return-path",
    "mime-version",
    "delivered-to",
    "reply-to",
    "content-type",
    "x-mozilla-status",
    "dkim-signature",
    "cc",
];

/// Whether a path holds e-mail, and which kind: a folder with `cur/` or `new/` is a maildir, a
/// file starting with `From ` is an mbox, a file with extension .eml/.mbox or starting with mail
/// headers is a message. `None` for anything else (CSV, spreadsheets).
pub fn detect(path: &Path) -> Option<Source> {
    if path.is_dir() {
        return (path.join("cur").is_dir() || path.join("new").is_dir()).then_some(Source::Maildir);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let mut head = vec![0u8; 4096];
    let n = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    head.truncate(n);
    if head.starts_with(b"From ") {
        return Some(Source::Mbox);
    }
    match ext.as_str() {
        "mbox" | "mbx" => return Some(Source::Mbox),
        "eml" | "msg822" => return Some(Source::Message),
        "csv" | "tsv" | "txt" | "xlsx" | "xlsm" | "xls" | "ods" => return None,
        _ => {}
    }
    looks_like_headers(&head).then_some(Source::Message)
}

/// A CSV or spreadsheet by its extension (imported as a table even with `--channel email`).
pub fn is_table_file(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    matches!(
        ext.as_str(),
        "csv" | "tsv" | "xlsx" | "xlsm" | "xls" | "ods"
    )
}

/// The first lines are `Name: value` mail headers, at least two of them well-known.
fn looks_like_headers(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let mut known = 0;
    for line in text.lines().take(40) {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((name, _)) = line.split_once(':') else {
            return false;
        };
        if name.is_empty() || name.contains(' ') {
            return false;
        }
        if HEADER_NAMES.contains(&name.to_lowercase().as_str()) {
            known += 1;
        }
    }
    known >= 2
}

/// One message as read from a source.
#[derive(Debug, Clone)]
pub struct RawMessage {
    /// 1-based number in the source (1 for a single .eml).
    pub number: usize,
    /// The maildir file name, if any.
    pub name: Option<String>,
    pub bytes: Vec<u8>,
}

/// Read the messages of a source, in order (a maildir: `cur/` then `new/`, by file name; `tmp/`
/// holds deliveries in progress and is skipped).
pub fn read_messages(path: &Path, source: Source) -> Result<Vec<RawMessage>> {
    match source {
        Source::Message => {
            let bytes = super::read_bounded(path)?;
            if bytes.is_empty() {
                bail!("{}: the file is empty", path.display());
            }
            Ok(vec![RawMessage {
                number: 1,
                name: None,
                bytes,
            }])
        }
        Source::Mbox => {
            let bytes = super::read_bounded(path)?;
            let out = split_mbox(&bytes);
            if out.is_empty() {
                bail!(
                    "{}: no messages in the mbox (it should start with a line 'From …')",
                    path.display()
                );
            }
            Ok(out)
        }
        Source::Maildir => {
            let mut files: Vec<PathBuf> = Vec::new();
            for sub in ["cur", "new"] {
                let dir = path.join(sub);
                if !dir.is_dir() {
                    continue;
                }
                let mut here: Vec<PathBuf> = std::fs::read_dir(&dir)
                    .with_context(|| format!("cannot read {}", dir.display()))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file())
                    .collect();
                here.sort();
                files.extend(here);
            }
            let mut out = Vec::new();
            for (i, p) in files.iter().enumerate() {
                let bytes = super::read_bounded(p)?;
                let name = p.strip_prefix(path).unwrap_or(p).display().to_string();
                out.push(RawMessage {
                    number: i + 1,
                    name: Some(name),
                    bytes,
                });
            }
            if out.is_empty() {
                bail!(
                    "{}: the maildir has no messages in cur/ or new/",
                    path.display()
                );
            }
            Ok(out)
        }
    }
}

/// Split an mbox into its messages. A message starts at a line `From <sender> <date>` at the
/// start of the file or after a blank line, with a time and a year in it (the separator mail
/// programs write); any other line starting with "From " is text of the message, so a body
/// sentence "From the survey…" never splits one. Quoted `>From ` lines (mboxrd and mboxo) lose
/// one `>`.
pub fn split_mbox(bytes: &[u8]) -> Vec<RawMessage> {
    static SEPARATOR: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
        regex::bytes::Regex::new(r"^From \S+ +.*\b\d{1,2}:\d{2}(:\d{2})?\b.*\b\d{4}\b")
            .expect("valid regex")
    });
    static QUOTED: std::sync::LazyLock<regex::bytes::Regex> =
        std::sync::LazyLock::new(|| regex::bytes::Regex::new(r"^>+From ").expect("valid regex"));
    let mut out: Vec<RawMessage> = Vec::new();
    let mut current: Option<Vec<u8>> = None;
    let mut previous_blank = true;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let bare = line.strip_suffix(b"\n").unwrap_or(line);
        let bare = bare.strip_suffix(b"\r").unwrap_or(bare);
        if previous_blank && SEPARATOR.is_match(bare) {
            if let Some(m) = current.take() {
                out.push(RawMessage {
                    number: out.len() + 1,
                    name: None,
                    bytes: m,
                });
            }
            current = Some(Vec::new());
            previous_blank = false;
            continue;
        }
        previous_blank = bare.is_empty();
        if let Some(m) = current.as_mut() {
            if QUOTED.is_match(bare) {
                m.extend_from_slice(&line[1..]);
            } else {
                m.extend_from_slice(line);
            }
        }
    }
    if let Some(m) = current {
        out.push(RawMessage {
            number: out.len() + 1,
            name: None,
            bytes: m,
        });
    }
    // The blank line before a separator belongs to the mbox, not to the message.
    for m in &mut out {
        if m.bytes.ends_with(b"\r\n\r\n") {
            m.bytes.truncate(m.bytes.len() - 2);
        } else if m.bytes.ends_with(b"\n\n") {
            m.bytes.truncate(m.bytes.len() - 1);
        }
    }
    out
}

/// Everything read from one source.
#[derive(Debug, Clone, Default)]
pub struct MailBatch {
    pub records: Vec<Record>,
    /// About the source as a whole (e.g. unknown columns in an attachment).
    pub file_issues: Vec<Issue>,
    pub messages: usize,
    /// Attachments read as tables.
    pub attachments: usize,
}

/// Map every message of a source onto the questionnaire. `file` names the source in messages.
pub fn map_messages(file: &str, messages: &[RawMessage], form: &Questionnaire) -> MailBatch {
    let mut out = MailBatch {
        messages: messages.len(),
        ..MailBatch::default()
    };
    for m in messages {
        map_message(file, m, form, &mut out);
    }
    out
}

fn sha(s: &str) -> String {
    hash_bytes(s.as_bytes())
}

/// A part of a message that can hold answers.
enum Content {
    /// The text of a body (the outer message's, or a forwarded message's), with the hash of the
    /// Message-ID it belongs to.
    Text {
        id: String,
        text: String,
        what: String,
    },
    /// An attached table.
    Table {
        index: usize,
        table: Result<RawTable>,
        what: String,
    },
}

/// Strip HTML to text, keeping line breaks at block elements (used when mail-parser gives HTML).
pub fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut tag = String::new();
    let mut in_tag = false;
    let mut skip = false;
    for c in html.chars() {
        if in_tag {
            if c == '>' {
                in_tag = false;
                let t = tag
                    .trim_start_matches('/')
                    .split([' ', '/'])
                    .next()
                    .unwrap_or("")
                    .to_lowercase();
                let closing = tag.starts_with('/');
                if matches!(t.as_str(), "script" | "style" | "head") {
                    skip = !closing;
                }
                if matches!(
                    t.as_str(),
                    "br" | "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "blockquote" | "pre"
                ) {
                    out.push('\n');
                }
                tag.clear();
            } else {
                tag.push(c);
            }
        } else if c == '<' {
            in_tag = true;
        } else if !skip {
            out.push(c);
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Undo RFC 3676 `format=flowed`: a line ending in a space continues on the next line of the
/// same quote depth (the space removed too with `delsp`); space-stuffing is removed; the
/// signature separator `-- ` is never joined. Quote marks are written back as `> `.
pub fn unflow(text: &str, delsp: bool) -> String {
    let mut out = String::new();
    // The paragraph being joined: (quote depth, text so far).
    let mut open: Option<(usize, String)> = None;
    let finish = |out: &mut String, depth: usize, line: &str| {
        for _ in 0..depth {
            out.push('>');
        }
        if depth > 0 {
            out.push(' ');
        }
        out.push_str(line);
        out.push('\n');
    };
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let depth = raw.chars().take_while(|&c| c == '>').count();
        let mut line = &raw[depth..];
        line = line.strip_prefix(' ').unwrap_or(line);
        if let Some((d, buf)) = open.take() {
            if d != depth {
                // A flowed line followed by another quote depth ends its paragraph.
                finish(&mut out, d, &buf);
            } else {
                open = Some((d, buf));
            }
        }
        let flowed = line.ends_with(' ') && line != "-- ";
        let piece = if flowed && delsp {
            &line[..line.len() - 1]
        } else {
            line
        };
        let mut buf = open.take().map(|(_, b)| b).unwrap_or_default();
        buf.push_str(piece);
        if flowed {
            open = Some((depth, buf));
        } else {
            finish(&mut out, depth, &buf);
        }
    }
    if let Some((d, buf)) = open {
        finish(&mut out, d, &buf);
    }
    // `split` gives one more (empty) piece after a final newline than there were lines.
    if !text.ends_with('\n') || out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The texts of a message's body parts (plain text preferred; HTML converted), then its
/// attachments, recursing into forwarded messages.
fn collect(
    msg: &Message,
    id: &str,
    depth: usize,
    contents: &mut Vec<Content>,
    attachments: &mut usize,
) {
    let mut text = String::new();
    for i in 0..msg.text_body_count() {
        if let Some(t) = msg.body_text(i) {
            // Thunderbird and Apple Mail send `format=flowed` (RFC 3676): long lines are cut
            // with a trailing space (with `delsp=yes` even inside a word) and must be joined.
            let ct = msg
                .text_body
                .get(i)
                .and_then(|&id| msg.part(id))
                .and_then(|p| p.content_type());
            let attr = |name: &str| {
                ct.and_then(|c| c.attribute(name)).is_some_and(|v| {
                    v.trim()
                        .eq_ignore_ascii_case(if name == "format" { "flowed" } else { "yes" })
                })
            };
            if attr("format") {
                text.push_str(&unflow(&t, attr("delsp")));
            } else {
                text.push_str(&t);
            }
            text.push('\n');
        }
    }
    if text.trim().is_empty() {
        for i in 0..msg.html_body_count() {
            if let Some(h) = msg.body_html(i) {
                text.push_str(&html_to_text(&h));
                text.push('\n');
            }
        }
    }
    let what = if depth == 0 {
        "message body".to_string()
    } else {
        "forwarded message".to_string()
    };
    contents.push(Content::Text {
        id: id.to_string(),
        text,
        what,
    });
    for part in msg.attachments() {
        if let Some(inner) = part.message() {
            if depth < 5 {
                let inner_id = message_key(inner);
                collect(inner, &inner_id, depth + 1, contents, attachments);
            }
            continue;
        }
        let name = part.attachment_name().unwrap_or("").to_string();
        let ext = Path::new(&name)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_lowercase();
        let ctype = part
            .content_type()
            .map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or("")).to_lowercase())
            .unwrap_or_default();
        // A text part's contents are already converted from its charset (a CSV from Polish
        // Excel often names none, and its windows-1250 bytes would be lost): take the bytes as
        // sent, undo only the transfer encoding, and let `decode` detect the encoding.
        let original = original_bytes(msg, part);
        let bytes: &[u8] = original.as_deref().unwrap_or_else(|| part.contents());
        let is_sheet = matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods")
            || ctype.contains("spreadsheetml")
            || ctype.contains("ms-excel")
            || ctype.contains("opendocument.spreadsheet");
        let is_csv = matches!(ext.as_str(), "csv" | "tsv") || ctype == "text/csv";
        let is_text_form = ext == "txt" || (ctype == "text/plain" && name.is_empty());
        if is_sheet || is_csv {
            *attachments += 1;
            let index = *attachments;
            let label = format!(
                "attachment {index} ({})",
                if is_sheet { "spreadsheet" } else { "CSV" }
            );
            let table = if is_sheet {
                super::xlsx::read_xlsx_bytes(bytes, &label, None)
            } else {
                super::read_csv_bytes(bytes, &label)
            };
            contents.push(Content::Table {
                index,
                table,
                what: label,
            });
        } else if is_text_form {
            contents.push(Content::Text {
                id: format!("{id}:txt{}", contents.len()),
                text: String::from_utf8_lossy(bytes).to_string(),
                what: "attached text form".into(),
            });
        }
    }
}

/// The bytes of a text part as sent, with only the transfer encoding (base64,
/// quoted-printable) undone. `None` for non-text parts or when the part cannot be located.
fn original_bytes(msg: &Message, part: &mail_parser::MessagePart) -> Option<Vec<u8>> {
    if !part.is_text() {
        return None;
    }
    let raw = msg.raw_message();
    let (a, z) = (
        part.raw_body_offset() as usize,
        part.raw_end_offset() as usize,
    );
    let body = raw.get(a..z)?;
    let cte = part
        .content_transfer_encoding()
        .unwrap_or("")
        .trim()
        .to_lowercase();
    match cte.as_str() {
        "base64" => {
            let clean: Vec<u8> = body
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            mail_parser::decoders::base64::base64_decode(&clean)
        }
        "quoted-printable" => {
            mail_parser::decoders::quoted_printable::quoted_printable_decode(body)
        }
        _ => Some(body.to_vec()),
    }
}

/// A hash of the Message-ID, or of the whole raw message when it has none.
fn message_key(msg: &Message) -> String {
    match msg.message_id() {
        Some(id) if !id.trim().is_empty() => sha(&format!("message-id:{}", id.trim())),
        _ => hash_bytes(msg.raw_message()),
    }
}

fn map_message(file: &str, m: &RawMessage, form: &Questionnaire, out: &mut MailBatch) {
    let n = m.number;
    let mut meta: BTreeMap<String, String> = BTreeMap::new();
    meta.insert("_wiadomosc".into(), n.to_string());
    if let Some(name) = &m.name {
        meta.insert("_plik".into(), name.clone());
    }
    let reject = |key: String, meta: BTreeMap<String, String>, value: &str, expected: &str| {
        Record::Rejected {
            key: key.clone(),
            provenance: Provenance {
                channel: Channel::Email,
                file: file.to_string(),
                row: n,
                external_id: Some(key),
            },
            issues: vec![Issue::error(file, n, "", "", value, expected)],
            raw: meta,
        }
    };
    let parsed = MessageParser::default()
        .parse(&m.bytes)
        .filter(|msg| !msg.headers().is_empty());
    let Some(msg) = parsed else {
        let key = format!("mail:{}", hash_bytes(&m.bytes));
        out.records.push(reject(
            key,
            meta,
            &format!("message {n}: no mail headers"),
            "an e-mail message (headers such as From:, Date:, Subject:, then a blank line and the body)",
        ));
        return;
    };
    let id = message_key(&msg);
    meta.insert("_message_id_sha".into(), id.clone());
    if let Some(addr) = msg.from().and_then(|a| a.first()).and_then(|a| a.address()) {
        meta.insert("_nadawca_sha".into(), crate::safe::sender_hash(addr));
    }
    if let Some(d) = msg.date() {
        meta.insert("_data".into(), d.to_rfc3339());
    }
    let mut contents = Vec::new();
    let mut attachments = 0;
    collect(&msg, &id, 0, &mut contents, &mut attachments);
    out.attachments += attachments;
    let mut produced = 0;
    let mut notes: Vec<String> = Vec::new();
    // Parse the texts first: a form that appears both in the body and in a forwarded message
    // is one respondent's, kept once (with the forwarded message's own id, which also matches
    // the original if it is imported from another mailbox).
    let mut texts: Vec<(String, String, textform::Parsed)> = Vec::new();
    let mut tables = Vec::new();
    for c in contents {
        match c {
            Content::Text {
                id: tid,
                text,
                what,
            } => {
                let p = textform::parse(&text, form);
                if p.blocks == 0 {
                    continue;
                }
                if p.answered() == 0 {
                    notes.push(format!("{what}: the form is there but no answer is marked"));
                    continue;
                }
                texts.push((tid, what, p));
            }
            Content::Table { index, table, what } => tables.push((index, table, what)),
        }
    }
    let keep: Vec<bool> = (0..texts.len())
        .map(|i| {
            !texts[i + 1..]
                .iter()
                .any(|later| later.2.values == texts[i].2.values)
        })
        .collect();
    for ((tid, what, p), keep) in texts.into_iter().zip(keep) {
        if !keep {
            continue;
        }
        let headers: Vec<String> = p.values.keys().cloned().collect();
        let cells: Vec<String> = p.values.values().cloned().collect();
        let table = RawTable {
            file: file.to_string(),
            headers,
            rows: vec![cells.clone()],
            detected: "e-mail form".into(),
            file_hash: tid.clone(),
        };
        let plan = map::plan(&table, form);
        let rec = map::map_row(&table, form, Channel::Email, &plan, n, &cells);
        let key = format!("mail:{tid}");
        let mut extra = meta.clone();
        extra.insert("_czesc".into(), what.clone());
        let conflicts: Vec<Issue> = p
            .conflicts
            .iter()
            .map(|(q, a, b)| {
                Issue::error(
                    file,
                    n,
                    q,
                    q,
                    &format!("{a} | {b}"),
                    "one answer: the form appears twice in the message with different answers",
                )
            })
            .collect();
        out.records.push(relabel(rec, key, extra, conflicts));
        produced += 1;
    }
    for (index, table, what) in tables {
        match table {
            Err(e) => notes.push(format!("{e:#}")),
            Ok(mut t) => {
                t.file = format!("{file}#{n}/{what}");
                let plan = map::plan(&t, form);
                // Missing columns are normal in a partial table: one line, not one per question.
                let (missing, other): (Vec<&Issue>, Vec<&Issue>) = plan
                    .issues
                    .iter()
                    .partition(|i| i.column.is_empty() && !i.question.is_empty());
                out.file_issues.extend(other.into_iter().cloned());
                if !missing.is_empty() {
                    let names: Vec<&str> = missing.iter().map(|i| i.question.as_str()).collect();
                    out.file_issues.push(Issue::warning(
                        &t.file,
                        0,
                        "",
                        "",
                        "",
                        format!(
                            "a column for every question: {} questions have none and count as \
                             not answered ({})",
                            names.len(),
                            names.join(", ")
                        ),
                    ));
                }
                let mut any = false;
                for (ri, cells) in t.rows.iter().enumerate() {
                    if cells.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    any = true;
                    let rec = map::map_row(&t, form, Channel::Email, &plan, ri + 1, cells);
                    // Rows with a questionnaire number keep it as their key; others are
                    // keyed by the message, the attachment and the row.
                    let key = match &rec {
                        Record::Accepted { key, .. } | Record::Rejected { key, .. }
                            if key.starts_with("id:") =>
                        {
                            key.clone()
                        }
                        _ => format!("mail:{id}:a{index}:{}", ri + 1),
                    };
                    let mut extra = meta.clone();
                    extra.insert("_czesc".into(), what.clone());
                    out.records.push(relabel(rec, key, extra, Vec::new()));
                    produced += 1;
                }
                if !any {
                    notes.push(format!("{what}: no data rows"));
                }
            }
        }
    }
    if produced == 0 {
        let found = if notes.is_empty() {
            "no [question] blocks and no CSV/XLSX attachment".to_string()
        } else {
            notes.join("; ")
        };
        out.records.push(reject(
            format!("mail:{id}"),
            meta,
            &format!("message {n}: {found}"),
            "answers: the e-mail form with answers marked ([X] or numbers after 'Odpowiedź:'), or an attached CSV/XLSX of answers",
        ));
    }
}

/// Set a record's key, add the message's provenance to its raw record and extra errors.
fn relabel(rec: Record, key: String, meta: BTreeMap<String, String>, extra: Vec<Issue>) -> Record {
    match rec {
        Record::Accepted {
            response, warnings, ..
        } if extra.is_empty() => {
            let mut response = response;
            response.raw.extend(meta);
            if response.provenance.external_id.is_none() {
                response.provenance.external_id = Some(key.clone());
            }
            Record::Accepted {
                key,
                response,
                warnings,
            }
        }
        Record::Accepted {
            response, warnings, ..
        } => {
            let mut raw = response.raw;
            raw.extend(meta);
            let mut issues = extra;
            issues.extend(warnings);
            let mut provenance = response.provenance;
            provenance.external_id.get_or_insert(key.clone());
            Record::Rejected {
                key,
                provenance,
                issues,
                raw,
            }
        }
        Record::Rejected {
            mut provenance,
            mut issues,
            mut raw,
            ..
        } => {
            raw.extend(meta);
            issues.extend(extra);
            provenance.external_id.get_or_insert(key.clone());
            Record::Rejected {
                key,
                provenance,
                issues,
                raw,
            }
        }
    }
}

#[cfg(test)]
mod tests {

    /// A body line starting with "From " does not split a message; only separator lines after a
    /// blank line do, and quoted ">From " lines lose one '>'.
    #[test]
    fn mbox_splits_only_at_separators() {
        let mbox = b"From a@b.pl Tue Dec  8 00:11:17 2026\nSubject: 1\n\nFrom the survey: tak\n>From quoted\n\nFrom nobody\n\nFrom c@d.pl Tue Dec  8 00:12:00 2026\nSubject: 2\n\nbody\n";
        let m = split_mbox(mbox);
        assert_eq!(m.len(), 2, "{m:?}");
        let first = String::from_utf8_lossy(&m[0].bytes);
        assert!(
            first.contains("\nFrom the survey: tak\nFrom quoted\n"),
            "{first}"
        );
        assert!(first.contains("From nobody"), "{first}");
        assert_eq!((m[0].number, m[1].number), (1, 2));
        assert!(String::from_utf8_lossy(&m[1].bytes).starts_with("Subject: 2"));
    }
    use super::*;

    #[test]
    fn html_is_stripped_to_lines() {
        let t = html_to_text(
            "<html><head><style>p{}</style></head><body><p>[plec] 1. P&lt;&gt;</p><div>[X] 1. Kobieta</div>x&nbsp;y</body></html>",
        );
        assert!(t.contains("[plec] 1. P<>\n"), "{t:?}");
        assert!(t.contains("[X] 1. Kobieta"));
        assert!(!t.contains("p{}"));
    }

    fn form() -> Questionnaire {
        let text = crate::template::builtin("mieszkancy").unwrap();
        crate::template::load_str(text, "mieszkancy").unwrap().form
    }

    fn one(bytes: &str) -> MailBatch {
        let m = RawMessage {
            number: 1,
            name: None,
            bytes: bytes.as_bytes().to_vec(),
        };
        map_messages("m.eml", &[m], &form())
    }

    const FILLED: &str = "[plec] 1. Płeć\n[X] 1. Kobieta\n[ ] 2. Mężczyzna\n[wiek]\nOdpowiedź: 2\n";

    #[test]
    fn text_form_attached_as_txt() {
        let eml = format!(
            "From: a@b.pl\r\nMessage-ID: <t1@b.pl>\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nW załączniku.\r\n--x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Disposition: attachment; filename=ankieta.txt\r\n\r\n{FILLED}\r\n--x--\r\n"
        );
        let b = one(&eml);
        assert_eq!(b.records.len(), 1, "{:?}", b.records);
        let Record::Accepted { response, key, .. } = &b.records[0] else {
            panic!("{:?}", b.records[0])
        };
        assert_eq!(response.answers["plec"].raw(), "kobieta");
        assert_eq!(response.answers["wiek"].raw(), "25_34");
        assert!(key.starts_with("mail:"));
        assert!(response.raw.contains_key("_nadawca_sha"));
        assert!(!response.raw.values().any(|v| v.contains("a@b.pl")));
    }

    #[test]
    fn the_same_form_in_body_and_forward_counts_once() {
        let quoted: String = FILLED.lines().map(|l| format!("> {l}\r\n")).collect();
        let eml = format!(
            "From: s@b.pl\r\nMessage-ID: <fw@b.pl>\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nPrzesyłam:\r\n{quoted}\r\n--x\r\nContent-Type: message/rfc822\r\n\r\nFrom: r@b.pl\r\nMessage-ID: <orig@b.pl>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{FILLED}\r\n--x--\r\n"
        );
        let b = one(&eml);
        assert_eq!(b.records.len(), 1, "{:?}", b.records);
        let Record::Accepted { key, .. } = &b.records[0] else {
            panic!()
        };
        // keyed by the forwarded original's Message-ID
        assert_eq!(key, &format!("mail:{}", sha("message-id:orig@b.pl")));
    }

    #[test]
    fn flowed_lines_are_joined() {
        // RFC 3676 §4: soft breaks joined, hard breaks kept, quotes and stuffing handled.
        assert_eq!(
            unflow("Ala ma \r\nkota.\r\nNowa linia\r\n", false),
            "Ala ma kota.\nNowa linia\n"
        );
        assert_eq!(unflow("Wię \r\ncej\r\n", true), "Więcej\n");
        assert_eq!(unflow("> a \r\n> b\r\n>> c\r\n", false), "> a b\n>> c\n");
        assert_eq!(
            unflow(" From here\r\n-- \r\nsig", false),
            "From here\n-- \nsig"
        );
        assert_eq!(unflow("a \r\n> b\r\n", false), "a \n> b\n");
    }

    #[test]
    fn flowed_reply_from_apple_mail_keeps_words_whole() {
        // delsp=yes: the sender cut "dzieci" inside the word; the answer must not say "dzie ci".
        let body = "[plec] 1. P\u{142}e\u{107}\r\n[X] 1. Kobieta\r\n[wiek]\r\nOdpowied\u{17a}: 2\r\n[uwagi]\r\nOdpowied\u{17a}: Wi\u{119}cej zaj\u{119}\u{107} dla dzie \r\nci w \u{15b}wietlicy\r\n";
        let eml = format!(
            "From: a@b.pl\r\nMessage-ID: <fl@b.pl>\r\nContent-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\r\n\r\n{body}"
        );
        let b = one(&eml);
        let Record::Accepted { response, .. } = &b.records[0] else {
            panic!("{:?}", b.records[0])
        };
        assert_eq!(
            response.answers["uwagi"].raw(),
            "Więcej zajęć dla dzieci w świetlicy"
        );
    }

    #[test]
    fn detects_headers() {
        assert!(looks_like_headers(
            b"From: a@b.pl\nTo: c@d.pl\nSubject: x\n\nbody"
        ));
        assert!(!looks_like_headers(b"nr_ankiety;plec\n1;kobieta\n"));
        assert!(!looks_like_headers(b"Subject: only one\n\nbody"));
    }
}
