//! Reading product and customer files into Comptoir: its own product format and
//! other shops' exports. Each reader checks every row and
//! returns either all the records or every row's problem, so that an import is
//! all-or-nothing: the caller writes nothing unless the whole file is right.

pub mod comptoir_products;
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

/// A CSV file's header (trimmed names); refused when it lacks any of `required`.
pub(crate) fn header<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    required: &[String],
) -> Result<Vec<String>, FileError> {
    let header: Vec<String> = reader
        .byte_headers()?
        .iter()
        .map(|name| String::from_utf8_lossy(name).trim().to_owned())
        .collect();
    let missing: Vec<String> = required
        .iter()
        .filter(|column| !header.contains(column))
        .cloned()
        .collect();
    if missing.is_empty() {
        Ok(header)
    } else {
        Err(FileError::MissingColumns(missing))
    }
}

/// A row's fields as trimmed text, and the line it starts on (a quoted field may
/// span several); the row's error when it is not UTF-8.
pub(crate) fn text_fields(record: &csv::ByteRecord) -> Result<(u64, Vec<&str>), RowError> {
    let line = record.position().map_or(0, csv::Position::line);
    record
        .iter()
        .map(|field| std::str::from_utf8(field).map(str::trim))
        .collect::<Result<Vec<&str>, _>>()
        .map(|fields| (line, fields))
        .map_err(|_| RowError {
            line,
            message: "not UTF-8 text (save the file as UTF-8)".to_owned(),
        })
}
