//! The store: an embedded SQLite database in the workspace holding every accepted response with
//! its provenance and every rejected record with its reasons, so that nothing read is lost.
//! One transaction per imported file: a failure midway leaves the store as it was. The schema is
//! versioned (`meta.schema_version`). It does not parse input files or compute statistics.

use std::path::Path;

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OptionalExtension, params};

use crate::issue::Issue;
use crate::response::{Channel, Provenance, Response};

pub mod columns;

/// The schema this build reads and writes.
pub const SCHEMA_VERSION: i64 = 2;

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

/// Compare a record with what the store holds under its key: a stored response by its answers'
/// hash, a stored reject (or a rejected record) by its original cells.
fn compare_stored(
    tx: &rusqlite::Transaction,
    form_id: &str,
    key: &str,
    rec: &Record,
) -> Result<Seen> {
    let stored: Vec<(Option<String>, String)> = {
        let mut st = tx.prepare(
            "SELECT answers, raw FROM responses WHERE form_id = ?1 AND record_key = ?2
             UNION ALL
             SELECT NULL, raw FROM rejects WHERE form_id = ?1 AND record_key = ?2 AND resolved_by IS NULL",
        )?;
        st.query_map(params![form_id, key], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    // A key made from an answer (settings `record_key`, e.g. an institution's name, compared
    // without case and spacing): that answer's spelling is not a difference.
    let key_question = key
        .strip_prefix("id:")
        .and_then(|k| k.split_once('='))
        .map(|(q, _)| q);
    type Answers = std::collections::BTreeMap<String, serde_json::Value>;
    let comparable = |mut a: Answers| {
        if let Some(q) = key_question {
            a.remove(q);
        }
        a
    };
    let raw_of =
        |raw: &str| serde_json::from_str::<std::collections::BTreeMap<String, String>>(raw);
    let same = stored.iter().any(|(answers, raw)| match rec {
        Record::Accepted { response, .. } => {
            let mine = serde_json::to_value(&response.answers)
                .ok()
                .and_then(|v| serde_json::from_value::<Answers>(v).ok());
            let theirs = answers
                .as_deref()
                .and_then(|a| serde_json::from_str::<Answers>(a).ok());
            match (mine, theirs) {
                (Some(m), Some(t)) => comparable(m) == comparable(t),
                _ => raw_of(raw).is_ok_and(|r| r == response.raw),
            }
        }
        Record::Rejected { raw: mine, .. } => raw_of(raw).is_ok_and(|r| r == *mine),
    });
    Ok(if same || stored.is_empty() {
        Seen::Duplicate
    } else {
        Seen::Conflict
    })
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
        conn.execute_batch(SCHEMA)?;
        conn.execute_batch(SCHEMA_V2)?;
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)",
            params![SCHEMA_VERSION.to_string()],
        )?;
        Ok(Store { conn })
    }

    /// Open an existing store (created by `diagnoza init`), checking its schema version.
    pub fn open(path: &Path) -> Result<Store> {
        if !path.is_file() {
            bail!(
                "the store {} does not exist (run `diagnoza init` to create the workspace)",
                path.display()
            );
        }
        let conn = Connection::open(path)
            .with_context(|| format!("cannot open the store {}", path.display()))?;
        let version: Option<String> = match conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .optional()
        {
            Ok(v) => v,
            Err(e) if is_busy(&e) => bail!(
                "the store {} is in use by another diagnoza process (an import or report still running?): wait for it to finish and try again",
                path.display()
            ),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("{} is not a diagnoza store", path.display()));
            }
        };
        match version.as_deref().and_then(|v| v.parse::<i64>().ok()) {
            Some(SCHEMA_VERSION) => Ok(Store { conn }),
            Some(1) => {
                // Additive upgrade: the column tables; earlier imports are read from their JSON.
                conn.execute_batch(&format!(
                    "BEGIN; {SCHEMA_V2} {KEYS_V2} UPDATE meta SET value = '{SCHEMA_VERSION}' \
                     WHERE key = 'schema_version'; COMMIT;"
                ))
                .with_context(|| {
                    format!(
                        "cannot upgrade the store {} to schema version {SCHEMA_VERSION}",
                        path.display()
                    )
                })?;
                Ok(Store { conn })
            }
            Some(v) if v > SCHEMA_VERSION => bail!(
                "{} has schema version {v}, newer than this diagnoza ({SCHEMA_VERSION}): upgrade diagnoza",
                path.display()
            ),
            other => bail!("{}: unknown schema version {other:?}", path.display()),
        }
    }

    /// Store one file's records in one transaction.
    pub fn import(&mut self, batch: &Batch, imported_at: &str) -> Result<Outcome> {
        self.import_tx(batch, imported_at).map_err(|e| {
            let busy = e
                .chain()
                .any(|c| c.downcast_ref::<rusqlite::Error>().is_some_and(is_busy));
            if busy {
                anyhow::anyhow!(
                    "the store is in use by another diagnoza process (an import or report still \
                     running?): nothing of {} was stored; wait for it to finish and import again",
                    batch.file
                )
            } else {
                e
            }
        })
    }

    fn import_tx(&mut self, batch: &Batch, imported_at: &str) -> Result<Outcome> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO imports (form_id, file, file_hash, channel, imported_at, accepted, rejected, duplicates)
             VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, 0)",
            params![batch.form_id, batch.file, batch.file_hash, batch.channel.code(), imported_at],
        )?;
        let import_id = tx.last_insert_rowid();
        let mut out = Outcome::default();
        let mut inserted: Vec<&Response> = Vec::new();
        for rec in &batch.records {
            let (key, file, row) = match rec {
                Record::Accepted { key, response, .. } => {
                    (key, &response.provenance.file, response.provenance.row)
                }
                Record::Rejected {
                    key, provenance, ..
                } => (key, &provenance.file, provenance.row),
            };
            let first: Option<(String, i64)> = tx
                .query_row(
                    "SELECT file, row FROM responses WHERE form_id = ?1 AND record_key = ?2
                     UNION ALL
                     SELECT file, row FROM rejects WHERE form_id = ?1 AND record_key = ?2 AND resolved_by IS NULL
                     LIMIT 1",
                    params![batch.form_id, key],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let prior_reject: Option<i64> = tx
                .query_row(
                    "SELECT id FROM rejects WHERE form_id = ?1 AND record_key = ?2 AND resolved_by IS NULL",
                    params![batch.form_id, key],
                    |r| r.get(0),
                )
                .optional()?;
            let stored_response: bool = tx.query_row(
                "SELECT COUNT(*) > 0 FROM responses WHERE form_id = ?1 AND record_key = ?2",
                params![batch.form_id, key],
                |r| r.get(0),
            )?;
            // A corrected record replaces its earlier reject; anything else seen before is a
            // duplicate when its content is the same, else a conflict.
            let replaces_reject = matches!(rec, Record::Accepted { .. })
                && prior_reject.is_some()
                && !stored_response;
            if let (Some((f, r)), false) = (&first, replaces_reject) {
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
                if compare_stored(&tx, &batch.form_id, key, rec)? == Seen::Conflict {
                    // Its own key, so that the stored record and this one both stay.
                    let ckey = format!("{key}#conflict:{}:{row}", batch.file_hash);
                    let known: bool = tx.query_row(
                        "SELECT COUNT(*) > 0 FROM rejects WHERE form_id = ?1 AND record_key = ?2",
                        params![batch.form_id, ckey],
                        |r| r.get(0),
                    )?;
                    if known {
                        out.duplicates.push((
                            row,
                            ckey,
                            format!("{f}:{r} (the conflict is in the rejects)"),
                        ));
                        continue;
                    }
                    let mut reasons: Vec<Issue> =
                        issues.iter().filter(|i| i.is_error()).cloned().collect();
                    reasons.push(Issue::error(
                        file,
                        row,
                        "",
                        "",
                        key.strip_prefix("id:").unwrap_or(key),
                        format!(
                            "a record key not used yet: {f}:{r} has this key with different answers (a conflict, not a duplicate; correct the key or the answers and import this record again)"
                        ),
                    ));
                    tx.execute(
                        "INSERT INTO rejects (form_id, import_id, channel, file, row, record_key, reasons, raw)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        params![
                            batch.form_id,
                            import_id,
                            provenance.channel.code(),
                            provenance.file,
                            provenance.row as i64,
                            ckey,
                            serde_json::to_string(&reasons)?,
                            serde_json::to_string(raw)?,
                        ],
                    )?;
                    out.rejected += 1;
                    out.conflicts.push((row, key.clone(), format!("{f}:{r}")));
                    continue;
                }
                tx.execute(
                    "INSERT INTO duplicates (form_id, import_id, file, row, record_key, first_file, first_row, raw)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![batch.form_id, import_id, file, row as i64, key, f, r, serde_json::to_string(raw)?],
                )?;
                out.duplicates.push((row, key.clone(), format!("{f}:{r}")));
                continue;
            }
            match rec {
                Record::Accepted { response, .. } => {
                    let p = &response.provenance;
                    tx.execute(
                        "INSERT INTO responses (form_id, import_id, channel, file, row, record_key, external_id, content_hash, answers, raw)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                        params![
                            batch.form_id,
                            import_id,
                            p.channel.code(),
                            p.file,
                            p.row as i64,
                            key,
                            p.external_id,
                            response.content_hash(),
                            serde_json::to_string(&response.answers)?,
                            serde_json::to_string(&response.raw)?,
                        ],
                    )?;
                    let id = tx.last_insert_rowid();
                    inserted.push(response);
                    if let Some(rid) = prior_reject {
                        tx.execute(
                            "UPDATE rejects SET resolved_by = ?1 WHERE id = ?2",
                            params![id, rid],
                        )?;
                        out.resolved += 1;
                    }
                    out.accepted += 1;
                }
                Record::Rejected {
                    provenance,
                    issues,
                    raw,
                    ..
                } => {
                    tx.execute(
                        "INSERT INTO rejects (form_id, import_id, channel, file, row, record_key, reasons, raw)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        params![
                            batch.form_id,
                            import_id,
                            provenance.channel.code(),
                            provenance.file,
                            provenance.row as i64,
                            key,
                            serde_json::to_string(issues)?,
                            serde_json::to_string(raw)?,
                        ],
                    )?;
                    out.rejected += 1;
                }
            }
        }
        {
            let mut put = tx.prepare(
                "INSERT INTO answer_columns (import_id, question, dict, data) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (q, c) in columns::encode(&inserted)? {
                put.execute(params![
                    import_id,
                    q,
                    serde_json::to_string(&c.dict)?,
                    c.to_bytes()
                ])?;
            }
            tx.execute(
                "INSERT INTO answer_columns_imports (import_id, rows) VALUES (?1, ?2)",
                params![import_id, inserted.len() as i64],
            )?;
        }
        tx.execute(
            "UPDATE imports SET accepted = ?1, rejected = ?2, duplicates = ?3 WHERE id = ?4",
            params![
                out.accepted as i64,
                out.rejected as i64,
                out.duplicates.len() as i64,
                import_id
            ],
        )?;
        tx.commit()?;
        Ok(out)
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
    /// its answers are also kept as columns). Imports made before schema version 2 have no
    /// columns.
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

    /// The columns of one import for the named questions (those it has), and the channels.
    pub fn columns(
        &self,
        import_id: i64,
        questions: &[&str],
    ) -> Result<Vec<(String, columns::Column)>> {
        let mut st = self.conn.prepare(
            "SELECT question, dict, data FROM answer_columns WHERE import_id = ?1 ORDER BY question",
        )?;
        let mut rows = st.query(params![import_id])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let q = row.get_ref(0)?.as_str()?;
            if q != columns::CHANNEL && !questions.contains(&q) {
                continue;
            }
            let dict: Vec<String> =
                serde_json::from_str(row.get_ref(1)?.as_str()?).with_context(|| {
                    format!("store: import {import_id}, column '{q}': unreadable codes")
                })?;
            let c = columns::Column::from_bytes(dict, row.get_ref(2)?.as_blob()?)
                .with_context(|| format!("store: import {import_id}, column '{q}'"))?;
            out.push((q.to_string(), c));
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

    /// Stream the answers of the responses with `lo <= id <= hi`, in id order: `f(id, channel,
    /// answers JSON)` without allocating a response per row (the analysis decodes them into
    /// columns itself).
    pub fn each_answers(
        &self,
        form_id: &str,
        lo: i64,
        hi: i64,
        mut f: impl FnMut(i64, &str, &str) -> Result<()>,
    ) -> Result<()> {
        // Read through a memory map: no copy of every page into SQLite's cache (a hint; SQLite
        // ignores it where mapping is unavailable).
        // self.conn.pragma_update(None, "mmap_size", 1i64 << 40)?;
        let mut st = self.conn.prepare(
            // `+form_id`: walk the id range in order rather than take the (form_id, key) index
            // and sort every row's answers in a temporary file.
            "SELECT id, channel, answers FROM responses
             WHERE +form_id = ?1 AND id BETWEEN ?2 AND ?3 ORDER BY id",
        )?;
        let mut rows = st.query(params![form_id, lo, hi])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let channel = row.get_ref(1)?.as_str()?;
            let answers = row.get_ref(2)?.as_str()?;
            f(id, channel, answers)?;
        }
        Ok(())
    }

    fn load(&self, form_id: &str, with_raw: bool) -> Result<Vec<Stored>> {
        let sql = format!(
            "SELECT id, record_key, channel, file, row, external_id, answers, {}
             FROM responses WHERE form_id = ?1 ORDER BY id",
            if with_raw { "raw" } else { "'{}'" }
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map(params![form_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, key, channel, file, rown, ext, answers, raw) = row?;
            out.push(Stored {
                id,
                record_key: key,
                response: Response {
                    provenance: Provenance {
                        channel: Channel::parse(&channel).unwrap_or(Channel::Other),
                        file,
                        row: rown as usize,
                        external_id: ext,
                    },
                    answers: serde_json::from_str(&answers)
                        .with_context(|| format!("store: response {id} has unreadable answers"))?,
                    raw: serde_json::from_str(&raw).with_context(|| {
                        format!("store: response {id} has an unreadable record")
                    })?,
                },
            });
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::Answer;
    use std::collections::BTreeMap;

    /// The same key with different answers is a conflict (in the rejects, naming both places);
    /// the same key with the same answers a duplicate; importing the file again adds nothing.
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

    /// A version-1 store is upgraded on opening: the column tables appear, and LimeSurvey's and
    /// MS Forms' keys get the tool's name (paper keys stay), so that a re-import still matches.
    #[test]
    fn version_1_store_is_upgraded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        let mut s = Store::create(&path).unwrap();
        let mut lime = resp(1, Some("12"), "k");
        lime.provenance.channel = Channel::Limesurvey;
        let batch = Batch {
            form_id: "f".into(),
            file: "a.csv".into(),
            file_hash: "h".into(),
            channel: Channel::Limesurvey,
            records: vec![
                Record::Accepted {
                    key: "id:12".into(),
                    response: lime,
                    warnings: vec![],
                },
                Record::Accepted {
                    key: "id:7".into(),
                    response: resp(2, Some("7"), "m"),
                    warnings: vec![],
                },
            ],
        };
        s.import(&batch, "t").unwrap();
        s.conn
            .execute_batch(
                "DROP TABLE answer_columns; DROP TABLE answer_columns_imports;
                 DROP INDEX responses_import;
                 UPDATE meta SET value = '1' WHERE key = 'schema_version';",
            )
            .unwrap();
        drop(s);
        let s = Store::open(&path).unwrap();
        let mut keys: Vec<String> = s
            .answers("f")
            .unwrap()
            .into_iter()
            .map(|r| r.record_key)
            .collect();
        keys.sort();
        assert_eq!(keys, vec!["id:7", "id:limesurvey:12"]);
        // Its import has no columns: the analysis reads its JSON.
        assert_eq!(s.column_imports("f").unwrap(), vec![(1, 2, false)]);
        drop(s);
        // Opening again changes nothing more.
        let s = Store::open(&path).unwrap();
        assert_eq!(s.answers("f").unwrap().len(), 2);
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
