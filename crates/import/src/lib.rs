//! Reading product and customer files into Comptoir: its own product format and
//! other shops' exports. Each reader checks every row and returns the records of
//! the good ones with every row it left out and why ([`ReadOutcome`]): an import
//! writes the good records and reports the rest, or, strict, writes nothing unless
//! the whole file is right. A record several rows describe (a product and its
//! variants, a customer and their addresses) is left out whole when any of its
//! rows is wrong: nothing is imported half.

pub mod comptoir_products;
pub mod magento_attributes;
mod magento_categories;
pub mod magento_customers;
pub mod magento_products;
pub mod promotions;
pub mod spreadsheet;

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

/// What a file gave: the records of its good rows, the rows left out, and notes on
/// what was imported with a change (a stock below zero as none, an address left
/// out) or not at all (a column, named once on line 1), each with its line and
/// reason, in line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOutcome<T> {
    pub records: T,
    pub rejected: Vec<RowError>,
    pub notes: Vec<RowError>,
}

impl<T> ReadOutcome<T> {
    /// The records only if no row was left out: an all-or-nothing import.
    pub fn all_or_nothing(self) -> Result<T, Vec<RowError>> {
        if self.rejected.is_empty() {
            Ok(self.records)
        } else {
            Err(self.rejected)
        }
    }
}

/// Reads a product file in either format, told apart by its header: Comptoir's
/// own (a `variant_sku` column) or Magento 1.9's export (`_store` and `_type`).
pub fn read_products(
    input: impl std::io::Read,
    categories: &std::collections::HashMap<String, comptoir_domain::CategoryId>,
    magento: &magento_products::MagentoSettings,
) -> Result<ReadOutcome<comptoir_domain::import::ProductFile>, FileError> {
    use std::io::BufRead;
    let mut input = std::io::BufReader::with_capacity(256 * 1024, input);
    let start = input.fill_buf().map_err(|e| FileError::Csv(e.into()))?;
    let first_line = start.split(|b| *b == b'\n').next().unwrap_or_default();
    let columns: Vec<String> = String::from_utf8_lossy(first_line)
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_owned())
        .collect();
    let has = |name: &str| columns.iter().any(|c| c == name);
    if has("variant_sku") {
        comptoir_products::read(input, categories)
    } else if has("_store") && has("_type") {
        magento_products::read(input, categories, magento)
    } else {
        Err(FileError::UnknownFormat)
    }
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error(
        "the header is neither Comptoir's product format (with variant_sku) nor a Magento 1.9 product export (with _store and _type)"
    )]
    UnknownFormat,
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

/// Reads every row of `reader`, giving `row` the line it starts on (a quoted field
/// may span several) and its fields as text (to read through [`ColumnIndex`]),
/// with `errors` to report its problems in. A row that is not UTF-8 is reported
/// there instead.
pub(crate) fn read_rows<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    errors: &mut Vec<RowError>,
    mut row: impl FnMut(u64, &[&str], &mut Vec<RowError>),
) -> Result<(), FileError> {
    for record in reader.byte_records() {
        let record = record?;
        let line = record.position().map_or(0, csv::Position::line);
        let fields: Result<Vec<&str>, _> = record.iter().map(std::str::from_utf8).collect();
        match fields {
            Ok(fields) if fields.iter().any(|f| f.len() > MAX_FIELD_BYTES) => {
                errors.push(RowError {
                    line,
                    message: format!("a field is longer than {} KiB", MAX_FIELD_BYTES / 1024),
                });
            }
            Ok(fields) => row(line, &fields, errors),
            Err(_) => errors.push(RowError {
                line,
                message: "not UTF-8 text (save the file as UTF-8)".to_owned(),
            }),
        }
    }
    Ok(())
}

/// A header's columns by name.
pub(crate) struct ColumnIndex(std::collections::HashMap<String, usize>);

impl ColumnIndex {
    pub(crate) fn new(header: &[String]) -> ColumnIndex {
        ColumnIndex(
            header
                .iter()
                .enumerate()
                .map(|(i, name)| (name.clone(), i))
                .collect(),
        )
    }

    /// Where column `name` is in the header.
    pub(crate) fn position(&self, name: &str) -> Option<usize> {
        self.0.get(name).copied()
    }

    /// Whether the header has column `name`.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// The field of column `name` in a row's `fields`, trimmed; empty when the
    /// header or the row lacks it.
    pub(crate) fn field<'f>(&self, fields: &[&'f str], name: &str) -> &'f str {
        self.untrimmed(fields, name).trim()
    }

    /// The field as the file has it, surrounding whitespace included (two Magento
    /// SKUs may differ only by it).
    pub(crate) fn untrimmed<'f>(&self, fields: &[&'f str], name: &str) -> &'f str {
        self.0
            .get(name)
            .and_then(|&i| fields.get(i))
            .copied()
            .unwrap_or("")
    }
}

/// The longest row a file may hold: a real product's row is a few KiB; a longer one
/// is refused before it fills the memory.
pub const MAX_ROW_BYTES: usize = 1024 * 1024;
/// The longest field: descriptions included, a few KiB is the most real files hold.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// A CSV reader over `input` as every reader of this crate reads files: Windows
/// line ends as `\n`, rows at most [`MAX_ROW_BYTES`] long; `flexible`, rows may
/// have fewer fields than the header (Magento's continuation rows).
pub(crate) fn csv_reader<R: std::io::Read>(
    input: R,
    flexible: bool,
) -> csv::Reader<RowLimit<UnixLines<R>>> {
    csv::ReaderBuilder::new()
        .flexible(flexible)
        .from_reader(RowLimit::new(UnixLines::new(input)))
}

/// Reads through to `inner`, failing once a row (up to a line end outside quotes)
/// grows past [`MAX_ROW_BYTES`]: the CSV reader would otherwise hold the whole of
/// a 200 MB line in memory.
pub(crate) struct RowLimit<R> {
    inner: R,
    in_quotes: bool,
    row_bytes: usize,
}

impl<R> RowLimit<R> {
    fn new(inner: R) -> RowLimit<R> {
        RowLimit {
            inner,
            in_quotes: false,
            row_bytes: 0,
        }
    }
}

impl<R: std::io::Read> std::io::Read for RowLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        for &byte in &buf[..read] {
            match byte {
                // A doubled quote inside quotes toggles twice: no change, as it should.
                b'"' => self.in_quotes = !self.in_quotes,
                b'\n' if !self.in_quotes => self.row_bytes = 0,
                _ => {}
            }
            self.row_bytes += 1;
            if self.row_bytes > MAX_ROW_BYTES {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("a row is longer than {} KiB", MAX_ROW_BYTES / 1024),
                ));
            }
        }
        Ok(read)
    }
}

/// Reads through to `inner`, turning Windows line ends (`\r\n`) into `\n`: the CSV
/// reader then counts lines as editors show them (with `\r\n` it reports each row
/// one line early).
pub(crate) struct UnixLines<R> {
    inner: R,
    /// A `\r` ended the last chunk: kept until the next byte shows whether a `\n`
    /// follows.
    pending_cr: bool,
}

impl<R: std::io::Read> UnixLines<R> {
    pub(crate) fn new(inner: R) -> UnixLines<R> {
        UnixLines {
            inner,
            pending_cr: false,
        }
    }
}

impl<R: std::io::Read> std::io::Read for UnixLines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.len() < 2 {
            return self.inner.read(buf);
        }
        // One byte kept free for a `\r` held back from the last chunk.
        let read = self.inner.read(&mut buf[1..])?;
        if read == 0 {
            if std::mem::take(&mut self.pending_cr) {
                buf[0] = b'\r';
                return Ok(1);
            }
            return Ok(0);
        }
        let mut written = 0;
        let mut pending = std::mem::take(&mut self.pending_cr);
        for i in 1..=read {
            let byte = buf[i];
            if pending && byte != b'\n' {
                buf[written] = b'\r';
                written += 1;
            }
            pending = byte == b'\r';
            if !pending {
                buf[written] = byte;
                written += 1;
            }
        }
        self.pending_cr = pending;
        if written == 0 {
            // Only a held-back `\r`: read on rather than report the end.
            return self.read(buf);
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::UnixLines;

    fn through(input: &[u8], chunk: usize) -> Vec<u8> {
        let mut reader = UnixLines::new(std::io::Cursor::new(input.to_vec()));
        let mut out = Vec::new();
        let mut buf = vec![0; chunk];
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                return out;
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    #[test]
    fn windows_line_ends_become_unix_ones() {
        for chunk in [2, 3, 4, 64] {
            assert_eq!(
                through(b"a,b\r\nc,d\r\n", chunk),
                b"a,b\nc,d\n",
                "chunk {chunk}"
            );
            assert_eq!(
                through(b"x\ry\r", chunk),
                b"x\ry\r",
                "lone \\r kept, chunk {chunk}"
            );
            assert_eq!(through(b"\r\n\r\n", chunk), b"\n\n");
        }
    }

    /// Every row of `text` with the crate's reader, or why the file cannot be read.
    fn rows(text: Vec<u8>) -> Result<(usize, Vec<super::RowError>), super::FileError> {
        let mut reader = super::csv_reader(std::io::Cursor::new(text), true);
        let mut errors = Vec::new();
        let mut count = 0;
        super::read_rows(&mut reader, &mut errors, |_, _, _| count += 1)?;
        Ok((count, errors))
    }

    #[test]
    fn rows_and_fields_have_a_size_limit() {
        let header = b"sku,description\n".to_vec();
        let row = |description: &[u8]| {
            let mut text = header.clone();
            text.extend_from_slice(b"A-1,\"");
            text.extend_from_slice(description);
            text.extend_from_slice(b"\"\nA-2,short\n");
            text
        };
        let (count, errors) = rows(row(b"a \"\"quoted\"\" text\nover two lines")).unwrap();
        assert_eq!((count, errors.len()), (2, 0));
        let long_field = vec![b'x'; super::MAX_FIELD_BYTES + 1];
        let (count, errors) = rows(row(&long_field)).unwrap();
        assert_eq!(count, 1, "the other row is read");
        assert!(
            errors[0].message.contains("longer than 64 KiB"),
            "{errors:?}"
        );
        let huge_line = vec![b'x'; 3 * super::MAX_ROW_BYTES];
        let refused = rows(row(&huge_line)).unwrap_err();
        assert!(
            refused.to_string().contains("longer than 1024 KiB"),
            "{refused}"
        );
        // Short lines inside one quoted field add up to one row.
        let many_lines = b"0123456789abcdef\n".repeat(super::MAX_ROW_BYTES / 16);
        assert!(rows(row(&many_lines)).is_err());
    }
}
