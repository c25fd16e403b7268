//! The store: an embedded SQLite database in the workspace holding every accepted response with
//! its provenance and every rejected record with its reasons, so that nothing read is lost.
//! One transaction per imported file, written in windows of records ([`Store::begin_import`]):
//! a failure or a kill midway leaves the store as it was, and memory does not grow with the
//! file. Each response's record is kept once: its original cells (`responses.cells`, compact,
//! the column names once per import in `import_headers`) and its validated answers column by
//! column (`columns`). The schema is versioned (`meta.schema_version`); older stores are upgraded
//! when opened. It does not parse input files or compute statistics.

use std::path::Path;

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OptionalExtension, params};

use crate::issue::Issue;
use crate::response::{Channel, Provenance, Response};

pub mod columns;

/// The schema this build reads and writes.
pub const SCHEMA_VERSION: i64 = 3;

const SCHEMA: &str = r#"
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    form_id     TEXT NOT NULL,
    file        TEXT NOT NULL,
    file_hash   TEXT NOT NULL,
    channel     TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    accepted    INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    duplicates  INTEGER NOT NULL
);
CREATE TABLE responses (
    id           INTEGER PRIMARY KEY,
    form_id      TEXT NOT NULL,
    import_id    INTEGER NOT NULL REFERENCES imports(id),
    channel      TEXT NOT NULL,
    file         TEXT NOT NULL,
    row          INTEGER NOT NULL,
    record_key   TEXT NOT NULL,
    external_id  TEXT,
    content_hash TEXT NOT NULL,
    answers      TEXT NOT NULL,
    raw          TEXT NOT NULL,
    UNIQUE (form_id, record_key)
);
CREATE INDEX responses_content ON responses (form_id, content_hash);
CREATE TABLE rejects (
    id          INTEGER PRIMARY KEY,
    form_id     TEXT NOT NULL,
    import_id   INTEGER NOT NULL REFERENCES imports(id),
    channel     TEXT NOT NULL,
    file        TEXT NOT NULL,
    row         INTEGER NOT NULL,
    record_key  TEXT NOT NULL,
    reasons     TEXT NOT NULL,
    raw         TEXT NOT NULL,
    resolved_by INTEGER REFERENCES responses(id),
    UNIQUE (form_id, record_key)
);
CREATE TABLE duplicates (
    id          INTEGER PRIMARY KEY,
    form_id     TEXT NOT NULL,
    import_id   INTEGER NOT NULL REFERENCES imports(id),
    file        TEXT NOT NULL,
    row         INTEGER NOT NULL,
    record_key  TEXT NOT NULL,
    first_file  TEXT NOT NULL,
    first_row   INTEGER NOT NULL,
    raw         TEXT NOT NULL
);
"#;

/// Added in schema version 2 (a version-1 store gets them when opened): each import's answers
/// kept column by column as well (`columns`), for the analysis.
const SCHEMA_V2: &str = r#"
CREATE INDEX IF NOT EXISTS responses_import ON responses (import_id);
CREATE TABLE IF NOT EXISTS answer_columns (
    import_id   INTEGER NOT NULL REFERENCES imports(id),
    question    TEXT NOT NULL,
    dict        TEXT NOT NULL,
    data        BLOB NOT NULL,
    PRIMARY KEY (import_id, question)
);
CREATE TABLE IF NOT EXISTS answer_columns_imports (
    import_id   INTEGER PRIMARY KEY REFERENCES imports(id),
    rows        INTEGER NOT NULL
);
"#;

/// Added in schema version 3: the original cells of a response are kept once, compact
/// (`responses.cells`, see [`encode_cells`]; the column names once per import), and the answers
/// only as columns, in parts, with the dates and texts. `answers` and `raw` JSON are gone.
const SCHEMA_V3: &str = r#"
CREATE TABLE responses3 (
    id           INTEGER PRIMARY KEY,
    form_id      TEXT NOT NULL,
    import_id    INTEGER NOT NULL REFERENCES imports(id),
    channel      TEXT NOT NULL,
    file         TEXT NOT NULL,
    row          INTEGER NOT NULL,
    record_key   TEXT NOT NULL,
    external_id  TEXT,
    content_hash TEXT NOT NULL,
    cells        BLOB NOT NULL,
    UNIQUE (form_id, record_key)
);
CREATE TABLE import_headers (
    import_id   INTEGER PRIMARY KEY REFERENCES imports(id),
    headers     TEXT NOT NULL
);
CREATE TABLE answer_columns3 (
    import_id   INTEGER NOT NULL REFERENCES imports(id),
    question    TEXT NOT NULL,
    part        INTEGER NOT NULL,
    dict        TEXT NOT NULL,
    data        BLOB NOT NULL,
    texts       BLOB,
    PRIMARY KEY (import_id, question, part)
);
"#;

/// After the version-3 tables are filled: they take the old names.
const SCHEMA_V3_RENAME: &str = r#"
DROP TABLE IF EXISTS responses;
ALTER TABLE responses3 RENAME TO responses;
DROP TABLE IF EXISTS answer_columns;
ALTER TABLE answer_columns3 RENAME TO answer_columns;
CREATE INDEX responses_content ON responses (form_id, content_hash);
CREATE INDEX responses_import ON responses (import_id);
"#;

/// Version 2 keys LimeSurvey's and Microsoft Forms' sequence-number ids by the tool
/// (`id:limesurvey:12`), apart from paper questionnaire numbers (`id:12`): a version-1 store's
/// keys are renamed so that importing the same export again still finds them.
const KEYS_V2: &str = r#"
UPDATE responses SET record_key = 'id:' || channel || ':' || substr(record_key, 4)
    WHERE channel IN ('limesurvey', 'msforms') AND record_key LIKE 'id:%';
UPDATE rejects SET record_key = 'id:' || channel || ':' || substr(record_key, 4)
    WHERE channel IN ('limesurvey', 'msforms') AND record_key LIKE 'id:%';
"#;

/// One record read from a file, after validation: accepted or rejected.
#[derive(Debug, Clone)]
pub enum Record {
    Accepted {
        key: String,
        response: Response,
        warnings: Vec<Issue>,
    },
    Rejected {
        key: String,
        provenance: Provenance,
        issues: Vec<Issue>,
        raw: std::collections::BTreeMap<String, String>,
    },
}

/// Everything read from one file.
#[derive(Debug, Clone)]
pub struct Batch {
    pub form_id: String,
    pub file: String,
    pub file_hash: String,
    pub channel: Channel,
    pub records: Vec<Record>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    pub accepted: usize,
    pub rejected: usize,
    /// (row, record key, where it was first seen)
    pub duplicates: Vec<(usize, String, String)>,
    /// Earlier rejects resolved by a corrected record in this batch.
    pub resolved: usize,
    /// Records whose key was already stored with different content: (row, key, where the
    /// stored one came from). They are in the rejects (counted in `rejected`), not duplicates.
    pub conflicts: Vec<(usize, String, String)>,
}

/// SQLite's "database is locked" / "busy": another process holds the store.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// A record whose key is already in the store: the same content, or different content under
/// the same key (a typo in `nr_ankiety`, member rows exported with their household's id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    Duplicate,
    Conflict,
}

/// An error of a busy store said as such: another process holds it, nothing of `file` was stored.
fn in_use(e: anyhow::Error, file: &str) -> anyhow::Error {
    let busy = e
        .chain()
        .any(|c| c.downcast_ref::<rusqlite::Error>().is_some_and(is_busy));
    if busy {
        anyhow::anyhow!(
            "the store is in use by another diagnoza process (an import or report still \
             running?): nothing of {file} was stored; wait for it to finish and import again"
        )
    } else {
        e
    }
}

/// Two records' original cells the same, empty cells and the key's own question left out (a key
/// made from an answer, settings `record_key`, is compared without case and spacing: that
/// answer's spelling is not a difference).
fn same_cells(
    a: &std::collections::BTreeMap<String, String>,
    b: &std::collections::BTreeMap<String, String>,
    key_question: Option<&str>,
) -> bool {
    let keep = |(k, v): &(&String, &String)| !v.is_empty() && Some(k.as_str()) != key_question;
    a.iter().filter(keep).eq(b.iter().filter(keep))
}

/// A stored response.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: i64,
    pub record_key: String,
    pub response: Response,
}

/// A stored reject.
#[derive(Debug, Clone)]
pub struct Reject {
    pub id: i64,
    pub channel: Channel,
    pub file: String,
    pub row: usize,
    pub record_key: String,
    pub issues: Vec<Issue>,
    pub raw: std::collections::BTreeMap<String, String>,
}

/// Counts for `diagnoza status`.
#[derive(Debug, Clone, Default)]
pub struct Status {
    pub imports: usize,
    pub per_channel: Vec<(String, usize)>,
    pub rejects_open: usize,
    pub rejects_resolved: usize,
    pub duplicates: usize,
    /// Responses whose answers equal another response's (possible double entry of one paper).
    pub same_content: usize,
}

#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Create a new store; fails if the file exists.
    pub fn create(path: &Path) -> Result<Store> {
        if path.exists() {
            bail!("{} already exists", path.display());
        }
        let conn = Connection::open(path)
            .with_context(|| format!("cannot create the store {}", path.display()))?;
        conn.execute_batch(&format!(
            "BEGIN; {SCHEMA} {SCHEMA_V2} {SCHEMA_V3} {SCHEMA_V3_RENAME} COMMIT;"
        ))?;
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)",
            params![SCHEMA_VERSION.to_string()],
        )?;
        Ok(Store { conn })
    }

    /// Open an existing store (created by `diagnoza init`), checking its schema version and
    /// upgrading an older one (every record kept).
    pub fn open(path: &Path) -> Result<Store> {
        if !path.is_file() {
            bail!(
                "the store {} does not exist (run `diagnoza init` to create the workspace)",
                path.display()
            );
        }
        let conn = Connection::open(path)
            .with_context(|| format!("cannot open the store {}", path.display()))?;
        let version: Option<String> = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| {
                if is_busy(&e) {
                    anyhow::anyhow!(
                        "the store {} is in use by another diagnoza process (an import or report still running?): wait for it to finish and try again",
                        path.display()
                    )
                } else {
                    anyhow::Error::new(e).context(format!("{} is not a diagnoza store", path.display()))
                }
            })?;
        let mut store = Store { conn };
        match version.as_deref().and_then(|v| v.parse::<i64>().ok()) {
            Some(SCHEMA_VERSION) => Ok(store),
            Some(v @ (1 | 2)) => {
                store.upgrade(v).with_context(|| {
                    format!(
                        "cannot upgrade the store {} to schema version {SCHEMA_VERSION} (it was \
                         left as it was)",
                        path.display()
                    )
                })?;
                Ok(store)
            }
            Some(v) if v > SCHEMA_VERSION => bail!(
                "{} has schema version {v}, newer than this diagnoza ({SCHEMA_VERSION}): upgrade diagnoza",
                path.display()
            ),
            other => bail!("{}: unknown schema version {other:?}", path.display()),
        }
    }

    /// Upgrade a version-1 or -2 store to version 3 in one transaction: each response's answers
    /// JSON becomes columns (with its dates and texts), its cells JSON the compact cells; the
    /// JSON is dropped and the file compacted.
    fn upgrade(&mut self, from: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        if from == 1 {
            tx.execute_batch(&format!("{SCHEMA_V2} {KEYS_V2}"))?;
        }
        tx.execute_batch(SCHEMA_V3)?;
        let imports: Vec<i64> = {
            let mut st = tx.prepare("SELECT id FROM imports ORDER BY id")?;
            st.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        tx.execute("DELETE FROM answer_columns_imports", [])?;
        for import_id in imports {
            let mut headers = Headers::default();
            let mut enc = columns::Encoder::default();
            let (mut part, mut rows) = (0i64, 0i64);
            let mut st = tx.prepare(
                "SELECT id, form_id, channel, file, row, record_key, external_id, content_hash,
                        answers, raw
                 FROM responses WHERE import_id = ?1 ORDER BY id",
            )?;
            let mut q = st.query(params![import_id])?;
            while let Some(r) = q.next()? {
                let id: i64 = r.get(0)?;
                let channel: String = r.get(2)?;
                let answers: std::collections::BTreeMap<String, crate::response::Answer> =
                    serde_json::from_str(r.get_ref(8)?.as_str()?)
                        .with_context(|| format!("response {id} has unreadable answers"))?;
                let raw: std::collections::BTreeMap<String, String> =
                    serde_json::from_str(r.get_ref(9)?.as_str()?)
                        .with_context(|| format!("response {id} has an unreadable record"))?;
                let resp = Response {
                    provenance: Provenance {
                        channel: Channel::parse(&channel).unwrap_or(Channel::Other),
                        file: String::new(),
                        row: 0,
                        external_id: None,
                    },
                    answers,
                    raw,
                };
                enc.push(&resp)?;
                tx.prepare_cached(
                    "INSERT INTO responses3 (id, form_id, import_id, channel, file, row, record_key,
                         external_id, content_hash, cells)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )?
                .execute(params![
                    id,
                    r.get::<_, String>(1)?,
                    import_id,
                    channel,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, String>(7)?,
                    encode_cells(&mut headers, &resp.raw),
                ])?;
                rows += 1;
                if enc.rows() >= columns::PART_ROWS {
                    put_columns(&tx, "answer_columns3", import_id, part, enc.take())?;
                    part += 1;
                }
            }
            drop(q);
            drop(st);
            put_columns(&tx, "answer_columns3", import_id, part, enc.take())?;
            finish_import(&tx, import_id, rows, &headers)?;
        }
        tx.execute_batch(&format!(
            "{SCHEMA_V3_RENAME} UPDATE meta SET value = '{SCHEMA_VERSION}' WHERE key = 'schema_version';"
        ))?;
        tx.commit()?;
        // The JSON's pages back to the file system (outside the transaction; harmless if it
        // fails).
        let _ = self.conn.execute_batch("VACUUM");
        Ok(())
    }

    /// Store one file's records in one transaction.
    pub fn import(&mut self, batch: &Batch, imported_at: &str) -> Result<Outcome> {
        let mut imp = self.begin_import(
            &batch.form_id,
            &batch.file,
            &batch.file_hash,
            batch.channel,
            imported_at,
        )?;
        imp.add(&batch.records)?;
        imp.finish()
    }

    /// Start storing one file: its records go in with [`Importing::add`], window by window, in
    /// one transaction that [`Importing::finish`] commits. Dropped unfinished (an error, a kill),
    /// nothing of the file is stored.
    pub fn begin_import(
        &mut self,
        form_id: &str,
        file: &str,
        file_hash: &str,
        channel: Channel,
        imported_at: &str,
    ) -> Result<Importing<'_>> {
        self.begin_import_tx(form_id, file, file_hash, channel, imported_at)
            .map_err(|e| in_use(e, file))
    }

    fn begin_import_tx(
        &mut self,
        form_id: &str,
        file: &str,
        file_hash: &str,
        channel: Channel,
        imported_at: &str,
    ) -> Result<Importing<'_>> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO imports (form_id, file, file_hash, channel, imported_at, accepted, rejected, duplicates)
             VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, 0)",
            params![form_id, file, file_hash, channel.code(), imported_at],
        )?;
        let import_id = tx.last_insert_rowid();
        Ok(Importing {
            tx,
            form_id: form_id.to_string(),
            file: file.to_string(),
            file_hash: file_hash.to_string(),
            import_id,
            out: Outcome::default(),
            enc: columns::Encoder::default(),
            headers: Headers::default(),
            part: 0,
            stored: 0,
            part_rows: columns::PART_ROWS,
        })
    }

    /// Every stored response of a questionnaire, in import order.
    pub fn responses(&self, form_id: &str) -> Result<Vec<Stored>> {
        self.load(form_id, true)
    }

    /// Every stored response with its answers and provenance but without the original cells:
    /// what the analysis and the report need, at a fraction of the memory.
    pub fn answers(&self, form_id: &str) -> Result<Vec<Stored>> {
        self.load(form_id, false)
    }

    /// The imports holding responses of a questionnaire, in order: (import id, responses, whether
    /// its answers are also kept as columns). Since schema version 3 every import has them.
    pub fn column_imports(&self, form_id: &str) -> Result<Vec<(i64, usize, bool)>> {
        let mut st = self.conn.prepare(
            "SELECT i.id, i.accepted, c.rows FROM imports i
             LEFT JOIN answer_columns_imports c ON c.import_id = i.id
             WHERE i.form_id = ?1 AND i.accepted > 0 ORDER BY i.id",
        )?;
        let rows = st.query_map(params![form_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<i64>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, n, cached) = row?;
            out.push((id, n as usize, cached == Some(n)));
        }
        Ok(out)
    }

    /// The columns of one import for the named questions (those it has), and the channels; the
    /// parts joined. Without the dates and texts (see [`Store::columns_with_texts`]).
    pub fn columns(
        &self,
        import_id: i64,
        questions: &[&str],
    ) -> Result<Vec<(String, columns::Column)>> {
        self.read_columns(import_id, Some(questions), false)
    }

    /// Every column of one import with its dates and texts.
    pub fn columns_with_texts(&self, import_id: i64) -> Result<Vec<(String, columns::Column)>> {
        self.read_columns(import_id, None, true)
    }

    fn read_columns(
        &self,
        import_id: i64,
        questions: Option<&[&str]>,
        texts: bool,
    ) -> Result<Vec<(String, columns::Column)>> {
        let mut st = self.conn.prepare_cached(if texts {
            "SELECT question, dict, data, texts FROM answer_columns WHERE import_id = ?1
             ORDER BY question, part"
        } else {
            "SELECT question, dict, data, NULL FROM answer_columns WHERE import_id = ?1
             ORDER BY question, part"
        })?;
        let mut rows = st.query(params![import_id])?;
        let mut out: Vec<(String, columns::Column)> = Vec::new();
        while let Some(row) = rows.next()? {
            let q = row.get_ref(0)?.as_str()?;
            if q != columns::CHANNEL && questions.is_some_and(|qs| !qs.contains(&q)) {
                continue;
            }
            let dict: Vec<String> =
                serde_json::from_str(row.get_ref(1)?.as_str()?).with_context(|| {
                    format!("store: import {import_id}, column '{q}': unreadable codes")
                })?;
            let mut c = columns::Column::from_bytes(dict, row.get_ref(2)?.as_blob()?)
                .with_context(|| format!("store: import {import_id}, column '{q}'"))?;
            if let Some(t) = row.get_ref(3)?.as_blob_or_null()? {
                c.texts = columns::texts_from_bytes(t)
                    .with_context(|| format!("store: import {import_id}, column '{q}'"))?;
            }
            match out.last_mut() {
                Some((name, prev)) if name == q => prev
                    .append(c)
                    .with_context(|| format!("store: import {import_id}, column '{q}'"))?,
                _ => out.push((q.to_string(), c)),
            }
        }
        Ok(out)
    }

    /// The lowest and highest response id of one import (None when it stored none).
    pub fn import_id_range(&self, import_id: i64) -> Result<Option<(i64, i64)>> {
        let (lo, hi): (Option<i64>, Option<i64>) = self.conn.query_row(
            "SELECT min(id), max(id) FROM responses WHERE import_id = ?1",
            params![import_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(lo.zip(hi))
    }

    /// The lowest and highest response id of a questionnaire and how many responses it has;
    /// None when it has none.
    pub fn id_range(&self, form_id: &str) -> Result<Option<(i64, i64, usize)>> {
        let (lo, hi, n): (Option<i64>, Option<i64>, i64) = self.conn.query_row(
            "SELECT min(id), max(id), count(*) FROM responses WHERE form_id = ?1",
            params![form_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        Ok(lo.zip(hi).map(|(lo, hi)| (lo, hi, n as usize)))
    }

    /// The answers of the responses with `lo <= id <= hi`, in id order, as JSON maps:
    /// `f(id, channel, answers JSON)` (rebuilt from the columns).
    pub fn each_answers(
        &self,
        form_id: &str,
        lo: i64,
        hi: i64,
        mut f: impl FnMut(i64, &str, &str) -> Result<()>,
    ) -> Result<()> {
        self.each_response(form_id, None, false, |id, resp| {
            if (lo..=hi).contains(&id) {
                f(
                    id,
                    resp.provenance.channel.code(),
                    &serde_json::to_string(&resp.answers)?,
                )?;
            }
            Ok(())
        })
    }

    /// The answers to the named questions only, with each response's channel, in id order
    /// (the report's quotes: other columns are not read).
    pub fn answers_of(&self, form_id: &str, questions: &[&str]) -> Result<Vec<Response>> {
        let mut out = Vec::new();
        self.each_response(form_id, Some(questions), false, |_, r| {
            out.push(r);
            Ok(())
        })?;
        Ok(out)
    }

    /// Every response of a questionnaire, import by import, rebuilt from its columns (only the
    /// named questions, when given) and, `with_cells`, its original cells.
    fn each_response(
        &self,
        form_id: &str,
        questions: Option<&[&str]>,
        with_cells: bool,
        mut f: impl FnMut(i64, Response) -> Result<()>,
    ) -> Result<()> {
        for (import_id, _, _) in self.column_imports(form_id)? {
            let cols = self.read_columns(import_id, questions, true)?;
            let mut decoded: Vec<(String, std::vec::IntoIter<crate::response::Answer>)> =
                Vec::new();
            for (name, c) in cols {
                if name != columns::CHANNEL {
                    let a = c
                        .answers()
                        .with_context(|| format!("store: import {import_id}, column '{name}'"))?;
                    decoded.push((name, a.into_iter()));
                }
            }
            let headers: Vec<String> = if with_cells {
                import_headers(&self.conn, import_id)?
            } else {
                Vec::new()
            };
            let mut st = self.conn.prepare_cached(
                "SELECT id, record_key, channel, file, row, external_id, cells
                 FROM responses WHERE import_id = ?1 AND form_id = ?2 ORDER BY id",
            )?;
            let mut rows = st.query(params![import_id, form_id])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                let mut answers = std::collections::BTreeMap::new();
                for (name, it) in decoded.iter_mut() {
                    let a = it.next().with_context(|| {
                        format!(
                            "store: import {import_id}: column '{name}' ends before response {id}"
                        )
                    })?;
                    answers.insert(name.clone(), a);
                }
                let raw = if with_cells {
                    decode_cells(&headers, r.get_ref(6)?.as_blob()?)
                        .with_context(|| format!("store: response {id} has unreadable cells"))?
                } else {
                    Default::default()
                };
                let resp = Response {
                    provenance: Provenance {
                        channel: Channel::parse(r.get_ref(2)?.as_str()?).unwrap_or(Channel::Other),
                        file: r.get(3)?,
                        row: r.get::<_, i64>(4)? as usize,
                        external_id: r.get(5)?,
                    },
                    answers,
                    raw,
                };
                f(id, resp)?;
            }
        }
        Ok(())
    }

    fn load(&self, form_id: &str, with_raw: bool) -> Result<Vec<Stored>> {
        let mut keys = std::collections::HashMap::new();
        {
            let mut st = self
                .conn
                .prepare("SELECT id, record_key FROM responses WHERE form_id = ?1")?;
            let mut rows = st.query(params![form_id])?;
            while let Some(r) = rows.next()? {
                keys.insert(r.get::<_, i64>(0)?, r.get::<_, String>(1)?);
            }
        }
        let mut out = Vec::new();
        self.each_response(form_id, None, with_raw, |id, response| {
            out.push(Stored {
                id,
                record_key: keys.remove(&id).unwrap_or_default(),
                response,
            });
            Ok(())
        })?;
        Ok(out)
    }

    /// Rejects not yet resolved by a corrected record.
    pub fn rejects(&self, form_id: &str) -> Result<Vec<Reject>> {
        let mut st = self.conn.prepare(
            "SELECT id, channel, file, row, record_key, reasons, raw FROM rejects
             WHERE form_id = ?1 AND resolved_by IS NULL ORDER BY id",
        )?;
        let rows = st.query_map(params![form_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, channel, file, rown, key, reasons, raw) = row?;
            out.push(Reject {
                id,
                channel: Channel::parse(&channel).unwrap_or(Channel::Other),
                file,
                row: rown as usize,
                record_key: key,
                issues: serde_json::from_str(&reasons)?,
                raw: serde_json::from_str(&raw)?,
            });
        }
        Ok(out)
    }

    pub fn status(&self, form_id: &str) -> Result<Status> {
        let mut s = Status {
            imports: self.count("SELECT COUNT(*) FROM imports WHERE form_id = ?1", form_id)?,
            rejects_open: self.count(
                "SELECT COUNT(*) FROM rejects WHERE form_id = ?1 AND resolved_by IS NULL",
                form_id,
            )?,
            rejects_resolved: self.count(
                "SELECT COUNT(*) FROM rejects WHERE form_id = ?1 AND resolved_by IS NOT NULL",
                form_id,
            )?,
            duplicates: self.count(
                "SELECT COUNT(*) FROM duplicates WHERE form_id = ?1",
                form_id,
            )?,
            same_content: self.count(
                "SELECT COALESCE(SUM(c - 1), 0) FROM (SELECT COUNT(*) AS c FROM responses
                 WHERE form_id = ?1 GROUP BY content_hash HAVING c > 1)",
                form_id,
            )?,
            ..Status::default()
        };
        let mut st = self.conn.prepare(
            "SELECT channel, COUNT(*) FROM responses WHERE form_id = ?1 GROUP BY channel ORDER BY channel",
        )?;
        let rows = st.query_map(params![form_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        for r in rows {
            let (c, n) = r?;
            s.per_channel.push((c, n as usize));
        }
        Ok(s)
    }

    fn count(&self, sql: &str, form_id: &str) -> Result<usize> {
        Ok(self
            .conn
            .query_row(sql, params![form_id], |r| r.get::<_, i64>(0))? as usize)
    }
}

/// One file being stored (see [`Store::begin_import`]).
#[derive(Debug)]
pub struct Importing<'s> {
    tx: rusqlite::Transaction<'s>,
    form_id: String,
    /// The file being stored and its content hash (conflicts get their own key from it).
    file: String,
    file_hash: String,
    import_id: i64,
    out: Outcome,
    enc: columns::Encoder,
    headers: Headers,
    part: i64,
    stored: i64,
    /// Responses per part of the columns ([`columns::PART_ROWS`]; fewer in tests).
    part_rows: usize,
}

/// Where a record's key was seen before this record.
#[derive(Debug, Default)]
struct Prior {
    /// The file and row of the first record with the key (a response, else an open reject).
    first: Option<(String, i64)>,
    /// An open reject with the key (a corrected record resolves it).
    reject: Option<i64>,
    /// A response is stored with the key.
    response: bool,
}

impl Importing<'_> {
    /// The file's records so far: what was stored, rejected, and found before.
    pub fn outcome(&self) -> &Outcome {
        &self.out
    }

    /// Look a record's key up among the stored responses and open rejects (those of this file
    /// stored so far included).
    fn prior(&self, key: &str) -> Result<Prior> {
        let mut st = self.tx.prepare_cached(
            "SELECT file, row, NULL FROM responses WHERE form_id = ?1 AND record_key = ?2
             UNION ALL
             SELECT file, row, id FROM rejects WHERE form_id = ?1 AND record_key = ?2 AND resolved_by IS NULL",
        )?;
        let mut rows = st.query(params![self.form_id, key])?;
        let mut p = Prior::default();
        while let Some(r) = rows.next()? {
            if p.first.is_none() {
                p.first = Some((r.get(0)?, r.get(1)?));
            }
            match r.get::<_, Option<i64>>(2)? {
                Some(id) => p.reject = Some(id),
                None => p.response = true,
            }
        }
        Ok(p)
    }

    /// Compare a record with what the store holds under its key: a stored response by its
    /// answers' hash (else by its original cells), an open reject by its original cells.
    fn seen(&self, rec: &Record, hash: &str, key: &str) -> Result<Seen> {
        let key_question = key
            .strip_prefix("id:")
            .and_then(|k| k.split_once('='))
            .map(|(q, _)| q);
        let mine = match rec {
            Record::Accepted { response, .. } => &response.raw,
            Record::Rejected { raw, .. } => raw,
        };
        let mut any = false;
        let mut st = self.tx.prepare_cached(
            "SELECT content_hash, cells, import_id FROM responses WHERE form_id = ?1 AND record_key = ?2",
        )?;
        let mut rows = st.query(params![self.form_id, key])?;
        while let Some(r) = rows.next()? {
            any = true;
            let stored_hash: String = r.get(0)?;
            let accepted = matches!(rec, Record::Accepted { .. });
            if accepted && stored_hash == hash {
                return Ok(Seen::Duplicate);
            }
            // Answers differ: still the same record when only the key's own answer is spelled
            // otherwise (compared by the cells without it).
            if accepted && key_question.is_none() {
                continue;
            }
            let import_id: i64 = r.get(2)?;
            let headers: Vec<String> = if import_id == self.import_id {
                self.headers.names.clone()
            } else {
                import_headers(&self.tx, import_id)?
            };
            let cells: Vec<u8> = r.get(1)?;
            if same_cells(&decode_cells(&headers, &cells)?, mine, key_question) {
                return Ok(Seen::Duplicate);
            }
        }
        let mut st = self.tx.prepare_cached(
            "SELECT raw FROM rejects WHERE form_id = ?1 AND record_key = ?2 AND resolved_by IS NULL",
        )?;
        let mut rows = st.query(params![self.form_id, key])?;
        while let Some(r) = rows.next()? {
            any = true;
            let raw: String = r.get(0)?;
            let theirs: std::collections::BTreeMap<String, String> =
                serde_json::from_str(&raw).unwrap_or_default();
            if same_cells(&theirs, mine, key_question) {
                return Ok(Seen::Duplicate);
            }
        }
        Ok(if any { Seen::Conflict } else { Seen::Duplicate })
    }

    /// A record whose key is stored with different content: a reject of its own (its key
    /// made unique, so that the stored record and this one both stay), naming both places.
    fn conflict(&mut self, rec: &Record, key: &str, first: &(String, i64)) -> Result<()> {
        let (raw, provenance, issues) = match rec {
            Record::Accepted {
                response, warnings, ..
            } => (&response.raw, &response.provenance, warnings.as_slice()),
            Record::Rejected {
                raw,
                provenance,
                issues,
                ..
            } => (raw, provenance, issues.as_slice()),
        };
        let (f, r) = first;
        let row = provenance.row;
        let ckey = format!("{key}#conflict:{}:{row}", self.file_hash);
        let known: bool = self.tx.query_row(
            "SELECT COUNT(*) > 0 FROM rejects WHERE form_id = ?1 AND record_key = ?2",
            params![self.form_id, ckey],
            |r| r.get(0),
        )?;
        if known {
            self.out.duplicates.push((
                row,
                ckey,
                format!("{f}:{r} (the conflict is in the rejects)"),
            ));
            return Ok(());
        }
        let mut reasons: Vec<Issue> = issues.iter().filter(|i| i.is_error()).cloned().collect();
        reasons.push(Issue::error(
            &provenance.file,
            row,
            "",
            "",
            key.strip_prefix("id:").unwrap_or(key),
            format!(
                "a record key not used yet: {f}:{r} has this key with different answers (a conflict, not a duplicate; correct the key or the answers and import this record again)"
            ),
        ));
        self.insert_reject(provenance, &ckey, &reasons, raw)?;
        self.out.rejected += 1;
        self.out
            .conflicts
            .push((row, key.to_string(), format!("{f}:{r}")));
        Ok(())
    }

    /// One row of the rejects: the record's place, key, reasons and original cells.
    fn insert_reject(
        &self,
        provenance: &Provenance,
        key: &str,
        reasons: &[Issue],
        raw: &std::collections::BTreeMap<String, String>,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO rejects (form_id, import_id, channel, file, row, record_key, reasons, raw)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                self.form_id,
                self.import_id,
                provenance.channel.code(),
                provenance.file,
                provenance.row as i64,
                key,
                serde_json::to_string(reasons)?,
                serde_json::to_string(raw)?,
            ])?;
        Ok(())
    }

    /// A record whose key was seen before: kept in `duplicates` with its cells.
    fn duplicate(&mut self, rec: &Record, key: &str, first: &(String, i64)) -> Result<()> {
        let (file, row, raw) = match rec {
            Record::Accepted { response, .. } => (
                &response.provenance.file,
                response.provenance.row,
                &response.raw,
            ),
            Record::Rejected {
                provenance, raw, ..
            } => (&provenance.file, provenance.row, raw),
        };
        self.tx
            .prepare_cached(
                "INSERT INTO duplicates (form_id, import_id, file, row, record_key, first_file, first_row, raw)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                self.form_id,
                self.import_id,
                file,
                row as i64,
                key,
                first.0,
                first.1,
                serde_json::to_string(raw)?
            ])?;
        self.out
            .duplicates
            .push((row, key.to_string(), format!("{}:{}", first.0, first.1)));
        Ok(())
    }

    /// Store a window of the file's records (in file order).
    pub fn add(&mut self, records: &[Record]) -> Result<()> {
        self.add_tx(records).map_err(|e| in_use(e, &self.file))
    }

    fn add_tx(&mut self, records: &[Record]) -> Result<()> {
        let hashes = content_hashes(records);
        for (rec, hash) in records.iter().zip(hashes) {
            let key = match rec {
                Record::Accepted { key, .. } | Record::Rejected { key, .. } => key,
            };
            let prior = self.prior(key)?;
            // A corrected record replaces its earlier reject; anything else seen before is a
            // duplicate when its content is the same, else a conflict.
            let replaces_reject =
                matches!(rec, Record::Accepted { .. }) && prior.reject.is_some() && !prior.response;
            if let (Some(first), false) = (&prior.first, replaces_reject) {
                if self.seen(rec, &hash, key)? == Seen::Conflict {
                    self.conflict(rec, key, first)?;
                } else {
                    self.duplicate(rec, key, first)?;
                }
                continue;
            }
            match rec {
                Record::Accepted { response, .. } => {
                    let p = &response.provenance;
                    self.tx
                        .prepare_cached(
                            "INSERT INTO responses (form_id, import_id, channel, file, row, record_key, external_id, content_hash, cells)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                        )?
                        .execute(params![
                            self.form_id,
                            self.import_id,
                            p.channel.code(),
                            p.file,
                            p.row as i64,
                            key,
                            p.external_id,
                            hash,
                            encode_cells(&mut self.headers, &response.raw),
                        ])?;
                    let id = self.tx.last_insert_rowid();
                    self.enc.push(response)?;
                    self.stored += 1;
                    if self.enc.rows() >= self.part_rows {
                        put_columns(
                            &self.tx,
                            "answer_columns",
                            self.import_id,
                            self.part,
                            self.enc.take(),
                        )?;
                        self.part += 1;
                    }
                    if let Some(rid) = prior.reject {
                        self.tx
                            .prepare_cached("UPDATE rejects SET resolved_by = ?1 WHERE id = ?2")?
                            .execute(params![id, rid])?;
                        self.out.resolved += 1;
                    }
                    self.out.accepted += 1;
                }
                Record::Rejected {
                    provenance,
                    issues,
                    raw,
                    ..
                } => {
                    self.insert_reject(provenance, key, issues, raw)?;
                    self.out.rejected += 1;
                }
            }
        }
        Ok(())
    }

    /// Write the last part of the columns and the counts, and commit: the file is stored.
    pub fn finish(self) -> Result<Outcome> {
        let file = self.file.clone();
        self.finish_tx().map_err(|e| in_use(e, &file))
    }

    fn finish_tx(mut self) -> Result<Outcome> {
        put_columns(
            &self.tx,
            "answer_columns",
            self.import_id,
            self.part,
            self.enc.take(),
        )?;
        finish_import(&self.tx, self.import_id, self.stored, &self.headers)?;
        self.tx.execute(
            "UPDATE imports SET accepted = ?1, rejected = ?2, duplicates = ?3 WHERE id = ?4",
            params![
                self.out.accepted as i64,
                self.out.rejected as i64,
                self.out.duplicates.len() as i64,
                self.import_id
            ],
        )?;
        self.tx.commit()?;
        Ok(self.out)
    }
}

/// The content hash of each accepted record (empty for a rejected one), computed on every core.
fn content_hashes(records: &[Record]) -> Vec<String> {
    let one = |rs: &[Record]| -> Vec<String> {
        rs.iter()
            .map(|r| match r {
                Record::Accepted { response, .. } => response.content_hash(),
                Record::Rejected { .. } => String::new(),
            })
            .collect()
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    if threads < 2 || records.len() < 256 {
        return one(records);
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = records
            .chunks(records.len().div_ceil(threads))
            .map(|part| s.spawn(move || one(part)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// One part of an import's columns.
fn put_columns(
    tx: &rusqlite::Transaction<'_>,
    table: &str,
    import_id: i64,
    part: i64,
    cols: std::collections::BTreeMap<String, columns::Column>,
) -> Result<()> {
    let mut put = tx.prepare_cached(&format!(
        "INSERT INTO {table} (import_id, question, part, dict, data, texts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    ))?;
    for (q, c) in cols {
        let texts = (!c.texts.is_empty()).then(|| columns::texts_to_bytes(&c.texts));
        put.execute(params![
            import_id,
            q,
            part,
            serde_json::to_string(&c.dict)?,
            c.to_bytes(),
            texts
        ])?;
    }
    Ok(())
}

/// The column names of one import's cells (empty for an import that stored none).
fn import_headers(conn: &Connection, import_id: i64) -> Result<Vec<String>> {
    let h: Option<String> = conn
        .query_row(
            "SELECT headers FROM import_headers WHERE import_id = ?1",
            params![import_id],
            |r| r.get(0),
        )
        .optional()?;
    match h {
        Some(h) => serde_json::from_str(&h)
            .with_context(|| format!("store: import {import_id}: unreadable headers")),
        None => Ok(Vec::new()),
    }
}

/// An import's row count (the columns are complete) and its column names.
fn finish_import(
    tx: &rusqlite::Transaction<'_>,
    import_id: i64,
    rows: i64,
    headers: &Headers,
) -> Result<()> {
    tx.execute(
        "INSERT INTO answer_columns_imports (import_id, rows) VALUES (?1, ?2)",
        params![import_id, rows],
    )?;
    tx.execute(
        "INSERT INTO import_headers (import_id, headers) VALUES (?1, ?2)",
        params![import_id, serde_json::to_string(&headers.names)?],
    )?;
    Ok(())
}

/// The column names of one import's cells, numbered in order of first appearance.
#[derive(Debug, Default)]
struct Headers {
    names: Vec<String>,
    index: std::collections::HashMap<String, usize>,
}

/// A record's original cells, compact: for each column name of the import (by number) up to
/// the last one the record has, a LEB128 length and the UTF-8 bytes (length 0: no cell). The
/// names are kept once per import (`import_headers`); [`decode_cells`] gives the map back.
fn encode_cells(
    headers: &mut Headers,
    raw: &std::collections::BTreeMap<String, String>,
) -> Vec<u8> {
    let mut cells: Vec<(usize, &str)> = raw
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            let i = match headers.index.get(k.as_str()) {
                Some(&i) => i,
                None => {
                    headers.names.push(k.clone());
                    headers.index.insert(k.clone(), headers.names.len() - 1);
                    headers.names.len() - 1
                }
            };
            (i, v.as_str())
        })
        .collect();
    cells.sort_unstable_by_key(|c| c.0);
    let mut b = Vec::with_capacity(cells.iter().map(|c| c.1.len() + 2).sum());
    let mut next = 0;
    for (i, v) in cells {
        b.resize(b.len() + (i - next), 0);
        let mut n = v.len();
        while n >= 0x80 {
            b.push((n as u8 & 0x7f) | 0x80);
            n >>= 7;
        }
        b.push(n as u8);
        b.extend_from_slice(v.as_bytes());
        next = i + 1;
    }
    b
}

fn decode_cells(
    headers: &[String],
    mut b: &[u8],
) -> Result<std::collections::BTreeMap<String, String>> {
    let mut out = std::collections::BTreeMap::new();
    let mut i = 0;
    while !b.is_empty() {
        let (mut n, mut shift) = (0usize, 0);
        loop {
            let (&byte, rest) = b.split_first().context("a cell length is cut")?;
            b = rest;
            n |= usize::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                break;
            }
            if shift > 56 {
                bail!("a cell length is too long");
            }
        }
        if n > 0 {
            let v = b.get(..n).context("a cell is cut")?;
            let name = headers
                .get(i)
                .context("a cell beyond the import's column names")?;
            out.insert(
                name.clone(),
                String::from_utf8(v.to_vec()).context("a cell is not UTF-8")?,
            );
            b = &b[n..];
        }
        i += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::Answer;
    use std::collections::BTreeMap;

    #[test]
    fn same_key_different_content_is_a_conflict() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::create(&dir.path().join("s.sqlite")).unwrap();
        let acc = |row, plec: &str| Record::Accepted {
            key: "id:5".into(),
            response: resp(row, Some("5"), plec),
            warnings: vec![],
        };
        let batch = Batch {
            form_id: "f".into(),
            file: "a.csv".into(),
            file_hash: "h".into(),
            channel: Channel::Paper,
            records: vec![acc(1, "k"), acc(2, "k"), acc(3, "m")],
        };
        let o = s.import(&batch, "t").unwrap();
        assert_eq!((o.accepted, o.rejected, o.duplicates.len()), (1, 1, 1));
        assert_eq!(
            o.conflicts,
            vec![(3, "id:5".to_string(), "a.csv:1".to_string())]
        );
        let rejects = s.rejects("f").unwrap();
        assert_eq!(rejects.len(), 1);
        assert_eq!(rejects[0].row, 3);
        let why = &rejects[0].issues.last().unwrap().expected;
        assert!(why.contains("a.csv:1") && why.contains("conflict"), "{why}");
        let again = s.import(&batch, "t").unwrap();
        assert_eq!((again.accepted, again.rejected), (0, 0));
        assert_eq!(s.rejects("f").unwrap().len(), 1);
        assert_eq!(s.answers("f").unwrap().len(), 1);
    }

    fn resp(row: usize, ext: Option<&str>, plec: &str) -> Response {
        let mut answers = BTreeMap::new();
        answers.insert("plec".to_string(), Answer::Choice(plec.into()));
        Response {
            provenance: Provenance {
                channel: Channel::Paper,
                file: "a.csv".into(),
                row,
                external_id: ext.map(String::from),
            },
            answers,
            raw: BTreeMap::new(),
        }
    }

    /// A store as diagnoza wrote it before schema version 3 (`version` 1 or 2): JSON answers
    /// and cells per response, columns (version 2 only, without parts).
    fn legacy_store(path: &Path, version: i64, rows: &[(&str, &str, Response)]) {
        let c = Connection::open(path).unwrap();
        c.execute_batch(SCHEMA).unwrap();
        if version == 2 {
            c.execute_batch(SCHEMA_V2).unwrap();
        }
        c.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)",
            params![version.to_string()],
        )
        .unwrap();
        c.execute(
            "INSERT INTO imports (form_id, file, file_hash, channel, imported_at, accepted, rejected, duplicates)
             VALUES ('f', 'a.csv', 'h', 'paper', 't', ?1, 0, 0)",
            params![rows.len() as i64],
        )
        .unwrap();
        for (key, channel, r) in rows {
            c.execute(
                "INSERT INTO responses (form_id, import_id, channel, file, row, record_key, external_id, content_hash, answers, raw)
                 VALUES ('f', 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    channel,
                    r.provenance.file,
                    r.provenance.row as i64,
                    key,
                    r.provenance.external_id,
                    r.content_hash(),
                    serde_json::to_string(&r.answers).unwrap(),
                    serde_json::to_string(&r.raw).unwrap()
                ],
            )
            .unwrap();
        }
        if version == 2 {
            let refs: Vec<&Response> = rows.iter().map(|r| &r.2).collect();
            for (q, col) in columns::encode(&refs).unwrap() {
                c.execute(
                    "INSERT INTO answer_columns (import_id, question, dict, data) VALUES (1, ?1, ?2, ?3)",
                    params![q, serde_json::to_string(&col.dict).unwrap(), col.to_bytes()],
                )
                .unwrap();
            }
            c.execute(
                "INSERT INTO answer_columns_imports (import_id, rows) VALUES (1, ?1)",
                params![rows.len() as i64],
            )
            .unwrap();
        }
    }

    fn full(row: usize, ext: Option<&str>, plec: &str) -> Response {
        let mut r = resp(row, ext, plec);
        r.answers
            .insert("uwagi".into(), Answer::Text(format!("tekst {row}")));
        r.answers
            .insert("data".into(), Answer::Date("2026-01-02".into()));
        r.answers
            .insert("n".into(), Answer::Number(row as f64 + 0.5));
        r.answers.insert(
            "m".into(),
            Answer::Choices(["a".to_string(), "b".to_string()].into()),
        );
        r.answers.insert(
            "s".into(),
            Answer::Missing(crate::response::Missing::NotAsked),
        );
        r.raw.insert("nr".into(), row.to_string());
        r.raw.insert("Płeć".into(), plec.into());
        r.raw.insert("uwagi".into(), format!("tekst {row}"));
        r.raw.insert("".into(), "ąę;\"x\"\u{1f}".into());
        r
    }

    /// A version-1 and a version-2 store are upgraded on opening to version 3: every record
    /// keeps its answers (texts and dates too), provenance, key and original cells; LimeSurvey's
    /// and MS Forms' keys get the tool's name in a version-1 store; the JSON is gone; a re-import
    /// still finds the records.
    #[test]
    fn version_1_and_2_stores_are_upgraded_keeping_every_record() {
        for version in [1, 2] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("s.sqlite");
            let mut lime = full(1, Some("12"), "k");
            lime.provenance.channel = Channel::Limesurvey;
            let paper = full(2, Some("7"), "m");
            let rows = [
                ("id:12", "limesurvey", lime.clone()),
                ("id:7", "paper", paper.clone()),
            ];
            legacy_store(&path, version, &rows);
            let s = Store::open(&path).unwrap();
            let got = s.responses("f").unwrap();
            let want_key = if version == 1 {
                "id:limesurvey:12"
            } else {
                "id:12"
            };
            assert_eq!(got.len(), 2);
            assert_eq!(got[0].record_key, want_key);
            assert_eq!(got[1].record_key, "id:7");
            assert_eq!(got[0].response, lime, "version {version}");
            assert_eq!(got[1].response, paper, "version {version}");
            assert_eq!(s.column_imports("f").unwrap(), vec![(1, 2, true)]);
            let v: String = s
                .conn
                .query_row(
                    "SELECT value FROM meta WHERE key = 'schema_version'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(v, SCHEMA_VERSION.to_string());
            let json_left: i64 = s
                .conn
                .query_row(
                    "SELECT count(*) FROM pragma_table_info('responses') WHERE name IN ('answers', 'raw')",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(json_left, 0);
            assert_eq!(s.status("f").unwrap().per_channel.len(), 2);
            drop(s);
            // Opening again changes nothing more; the same records again are duplicates.
            let mut s = Store::open(&path).unwrap();
            assert_eq!(s.responses("f").unwrap().len(), 2);
            let batch = Batch {
                form_id: "f".into(),
                file: "a.csv".into(),
                file_hash: "h".into(),
                channel: Channel::Paper,
                records: vec![Record::Accepted {
                    key: "id:7".into(),
                    response: paper.clone(),
                    warnings: vec![],
                }],
            };
            let o = s.import(&batch, "t").unwrap();
            assert_eq!((o.accepted, o.duplicates.len()), (0, 1));
        }
    }

    /// Imports of more rows than a part of the columns: every answer and cell comes back in
    /// order, and the columns read as one.
    #[test]
    fn an_import_in_several_parts_reads_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        let mut s = Store::create(&path).unwrap();
        let all: Vec<Response> = (1..=10)
            .map(|i| full(i, Some(&i.to_string()), if i % 3 == 0 { "k" } else { "m" }))
            .collect();
        let mut imp = s
            .begin_import("f", "a.csv", "h", Channel::Paper, "t")
            .unwrap();
        imp.part_rows = 3;
        for w in all.chunks(4) {
            let recs: Vec<Record> = w
                .iter()
                .map(|r| Record::Accepted {
                    key: format!("id:{}", r.provenance.row),
                    response: r.clone(),
                    warnings: vec![],
                })
                .collect();
            imp.add(&recs).unwrap();
        }
        assert_eq!(imp.outcome().accepted, 10);
        let o = imp.finish().unwrap();
        assert_eq!(o.accepted, 10);
        let parts: i64 = s
            .conn
            .query_row(
                "SELECT count(DISTINCT part) FROM answer_columns WHERE import_id = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(parts, 4);
        let got: Vec<Response> = s
            .responses("f")
            .unwrap()
            .into_iter()
            .map(|r| r.response)
            .collect();
        assert_eq!(got, all);
        let cols = s.columns(1, &["plec"]).unwrap();
        assert_eq!(cols.len(), 2); // the channel and plec
        let plec = &cols.iter().find(|c| c.0 == "plec").unwrap().1;
        assert_eq!(plec.tags.len(), 10);
        assert_eq!(plec.answers().unwrap()[2], Answer::Choice("k".into()),);
        // The quotes read only the questions named.
        let texts = s.answers_of("f", &["uwagi"]).unwrap();
        assert_eq!(texts.len(), 10);
        assert_eq!(texts[4].answers.len(), 1);
        assert_eq!(texts[4].answers["uwagi"], Answer::Text("tekst 5".into()));
    }

    /// An import dropped before it finishes (an error, a kill) leaves nothing.
    #[test]
    fn an_unfinished_import_stores_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        let mut s = Store::create(&path).unwrap();
        let mut imp = s
            .begin_import("f", "a.csv", "h", Channel::Paper, "t")
            .unwrap();
        imp.add(&[Record::Accepted {
            key: "1".into(),
            response: full(1, None, "k"),
            warnings: vec![],
        }])
        .unwrap();
        drop(imp);
        assert!(s.responses("f").unwrap().is_empty());
        assert_eq!(s.status("f").unwrap().imports, 0);
    }

    #[test]
    fn cells_round_trip() {
        let mut h = Headers::default();
        let r = full(3, None, "k").raw;
        let mut other = BTreeMap::new();
        other.insert("nowa".to_string(), "x".repeat(300));
        other.insert("nr".to_string(), String::new());
        let (a, b) = (encode_cells(&mut h, &r), encode_cells(&mut h, &other));
        assert_eq!(decode_cells(&h.names, &a).unwrap(), r);
        other.remove("nr");
        assert_eq!(decode_cells(&h.names, &b).unwrap(), other);
        assert!(decode_cells(&h.names, &b[..b.len() - 1]).is_err());
        assert!(decode_cells(&[], &a).is_err());
    }

    #[test]
    fn duplicates_and_resolved_rejects() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        let mut s = Store::create(&path).unwrap();
        let batch = Batch {
            form_id: "f".into(),
            file: "a.csv".into(),
            file_hash: "h".into(),
            channel: Channel::Paper,
            records: vec![
                Record::Accepted {
                    key: "1".into(),
                    response: resp(1, Some("1"), "k"),
                    warnings: vec![],
                },
                Record::Rejected {
                    key: "2".into(),
                    provenance: resp(2, Some("2"), "x").provenance,
                    issues: vec![Issue::error("a.csv", 2, "plec", "plec", "x", "k or m")],
                    raw: BTreeMap::new(),
                },
                Record::Accepted {
                    key: "1".into(),
                    response: resp(3, Some("1"), "k"),
                    warnings: vec![],
                },
            ],
        };
        let o = s.import(&batch, "t").unwrap();
        assert_eq!((o.accepted, o.rejected, o.duplicates.len()), (1, 1, 1));
        // the same file again adds nothing
        let o = s.import(&batch, "t").unwrap();
        assert_eq!((o.accepted, o.rejected, o.duplicates.len()), (0, 0, 3));
        // a corrected record 2 resolves the reject
        let fix = Batch {
            records: vec![Record::Accepted {
                key: "2".into(),
                response: resp(1, Some("2"), "m"),
                warnings: vec![],
            }],
            ..batch.clone()
        };
        let o = s.import(&fix, "t").unwrap();
        assert_eq!((o.accepted, o.resolved), (1, 1));
        assert_eq!(s.responses("f").unwrap().len(), 2);
        let light = s.answers("f").unwrap();
        assert_eq!(light.len(), 2);
        assert!(
            light
                .iter()
                .all(|r| r.response.raw.is_empty() && !r.response.answers.is_empty())
        );
        assert!(s.rejects("f").unwrap().is_empty());
        drop(s);
        let s = Store::open(&path).unwrap();
        let st = s.status("f").unwrap();
        assert_eq!(st.per_channel, vec![("paper".to_string(), 2)]);
        assert_eq!(st.rejects_resolved, 1);
    }
}
