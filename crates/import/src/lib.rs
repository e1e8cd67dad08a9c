//! Reading other shops' exports into Comptoir. Each reader checks every row and
//! returns either all the records or every row's problem, so that an import is
//! all-or-nothing: the caller writes nothing unless the whole file is right.

pub mod magento_customers;

use std::fmt;

/// A problem with one line of a file (lines counted from 1, the header included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("the file is not CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("the header lacks the column{} {}", if .0.len() > 1 { "s" } else { "" }, .0.join(", "))]
    MissingColumns(Vec<String>),
}
