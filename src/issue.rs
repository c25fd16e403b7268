//! A problem found in input data, with its exact place: file, row, column, question, value and
//! what was expected. Shared by ingest (which finds them), the store (which keeps rejected records
//! with them) and the commands (which print them, through the one terminal sanitiser). No I/O.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The record cannot be stored as it is: it goes to the rejects.
    Error,
    /// Stored, but worth a look (e.g. an answer to a question that skip logic says was not asked).
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    pub severity: Severity,
    pub file: String,
    /// 1-based data row (header excluded), or message number; 0 when about the whole file.
    pub row: usize,
    /// Column header as in the file ("" when about the whole record).
    pub column: String,
    /// Question name ("" when no question is concerned).
    pub question: String,
    pub value: String,
    pub expected: String,
}

impl Issue {
    pub fn error(
        file: &str,
        row: usize,
        column: &str,
        question: &str,
        value: &str,
        expected: impl Into<String>,
    ) -> Issue {
        Issue {
            severity: Severity::Error,
            file: file.to_string(),
            row,
            column: column.to_string(),
            question: question.to_string(),
            value: value.to_string(),
            expected: expected.into(),
        }
    }

    pub fn warning(
        file: &str,
        row: usize,
        column: &str,
        question: &str,
        value: &str,
        expected: impl Into<String>,
    ) -> Issue {
        Issue {
            severity: Severity::Warning,
            ..Issue::error(file, row, column, question, value, expected)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Issue {
    /// `file:row:column: question: value: expected …`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.is_error() { "error" } else { "warning" };
        // Cell values and headers are the file's: shown escaped and cut (a terminal escape or
        // a 5 MB header is never echoed as it is).
        use crate::safe::term;
        write!(
            f,
            "{}:{}:{}: {kind}: ",
            term(&self.file),
            self.row,
            term(&self.column)
        )?;
        if !self.question.is_empty() {
            write!(f, "{}: ", term(&self.question))?;
        }
        write!(f, "'{}': expected {}", term(&self.value), self.expected)
    }
}
