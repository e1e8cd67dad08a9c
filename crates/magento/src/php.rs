//! PHP's `serialize()` format, read: Magento 1.x keeps a cart price rule's
//! conditions in it (`salesrule.conditions_serialized`). Only what `serialize()`
//! writes for arrays of scalars: objects and references, which Magento's rules
//! never hold, are refused like any other malformed text.

/// A value `unserialize()` would give.
#[derive(Debug, Clone, PartialEq)]
pub enum PhpValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// PHP strings are bytes; Magento's are UTF-8, anything else is kept lossily.
    String(String),
    /// An array's entries in order, integer keys written as text.
    Array(Vec<(String, PhpValue)>),
}

impl PhpValue {
    /// The entry under `key` of an array.
    pub fn get(&self, key: &str) -> Option<&PhpValue> {
        match self {
            PhpValue::Array(entries) => entries
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value),
            _ => None,
        }
    }

    /// A string or a number as text (`"1"` and `1` are alike to PHP); none for
    /// null, a boolean or an array.
    pub fn text(&self) -> Option<String> {
        match self {
            PhpValue::String(text) => Some(text.clone()),
            PhpValue::Int(number) => Some(number.to_string()),
            PhpValue::Float(number) => Some(number.to_string()),
            PhpValue::Null | PhpValue::Bool(_) | PhpValue::Array(_) => None,
        }
    }

    /// An array's values in order; none for anything else.
    pub fn values(&self) -> impl Iterator<Item = &PhpValue> {
        let entries = match self {
            PhpValue::Array(entries) => entries.as_slice(),
            _ => &[],
        };
        entries.iter().map(|(_, value)| value)
    }
}

/// Why a text is not PHP's serialised format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not PHP's serialised format at byte {at}: {why}")]
pub struct PhpError {
    pub at: usize,
    pub why: &'static str,
}

/// Arrays nested deeper than this are refused: Magento's rules nest a few
/// levels, and a hostile text must not exhaust the stack.
const MAX_DEPTH: usize = 32;

/// Reads one serialised value, the whole of `text`.
pub fn unserialize(text: &[u8]) -> Result<PhpValue, PhpError> {
    let mut reader = Reader { text, at: 0 };
    let value = reader.value(0)?;
    if reader.at != text.len() {
        return Err(reader.error("text after the value"));
    }
    Ok(value)
}

struct Reader<'t> {
    text: &'t [u8],
    at: usize,
}

impl Reader<'_> {
    fn error(&self, why: &'static str) -> PhpError {
        PhpError { at: self.at, why }
    }

    fn expect(&mut self, byte: u8) -> Result<(), PhpError> {
        if self.text.get(self.at) == Some(&byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(match byte {
                b':' => "':' expected",
                b';' => "';' expected",
                b'"' => "'\"' expected",
                b'{' => "'{' expected",
                _ => "'}' expected",
            }))
        }
    }

    /// The text up to `end`, which is passed.
    fn until(&mut self, end: u8) -> Result<&str, PhpError> {
        let rest = &self.text[self.at..];
        let length = rest
            .iter()
            .position(|&byte| byte == end)
            .ok_or_else(|| self.error("the value does not end"))?;
        let token = std::str::from_utf8(&rest[..length]).map_err(|_| self.error("not a number"))?;
        self.at += length + 1;
        Ok(token)
    }

    fn integer(&mut self, end: u8) -> Result<i64, PhpError> {
        let start = self.at;
        self.until(end)?.parse().map_err(|_| PhpError {
            at: start,
            why: "not a whole number",
        })
    }

    fn value(&mut self, depth: usize) -> Result<PhpValue, PhpError> {
        let kind = *self
            .text
            .get(self.at)
            .ok_or_else(|| self.error("a value is missing"))?;
        self.at += 1;
        if kind == b'N' {
            self.expect(b';')?;
            return Ok(PhpValue::Null);
        }
        self.expect(b':')?;
        match kind {
            b'b' => match self.integer(b';')? {
                0 => Ok(PhpValue::Bool(false)),
                1 => Ok(PhpValue::Bool(true)),
                _ => Err(self.error("a boolean is 0 or 1")),
            },
            b'i' => Ok(PhpValue::Int(self.integer(b';')?)),
            b'd' => {
                let start = self.at;
                let number = self.until(b';')?;
                number.parse().map(PhpValue::Float).map_err(|_| PhpError {
                    at: start,
                    why: "not a number",
                })
            }
            b's' => Ok(PhpValue::String(self.string()?)),
            b'a' => self.array(depth),
            _ => Err(PhpError {
                at: self.at - 2,
                why: "not a value PHP serialises arrays of scalars with",
            }),
        }
    }

    /// `5:"hello";` after `s:`; the length counts bytes.
    fn string(&mut self) -> Result<String, PhpError> {
        let length = usize::try_from(self.integer(b':')?)
            .map_err(|_| self.error("a string's length is negative"))?;
        self.expect(b'"')?;
        let end = self
            .at
            .checked_add(length)
            .filter(|&end| end <= self.text.len())
            .ok_or_else(|| self.error("a string is shorter than its length"))?;
        let text = String::from_utf8_lossy(&self.text[self.at..end]).into_owned();
        self.at = end;
        self.expect(b'"')?;
        self.expect(b';')?;
        Ok(text)
    }

    /// `2:{key;value;key;value}` after `a:`.
    fn array(&mut self, depth: usize) -> Result<PhpValue, PhpError> {
        if depth == MAX_DEPTH {
            return Err(self.error("arrays nested too deep"));
        }
        let count = usize::try_from(self.integer(b':')?)
            .map_err(|_| self.error("an array's length is negative"))?;
        self.expect(b'{')?;
        // Each entry takes at least 6 bytes (`i:0;N;`): a count the text cannot
        // hold is refused before anything is reserved for it.
        let mut entries = Vec::with_capacity(count.min(self.text.len() / 6));
        for _ in 0..count {
            let key = match self.value(depth + 1)? {
                PhpValue::Int(number) => number.to_string(),
                PhpValue::String(text) => text,
                _ => return Err(self.error("an array's key is a number or a string")),
            };
            entries.push((key, self.value(depth + 1)?));
        }
        self.expect(b'}')?;
        Ok(PhpValue::Array(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(text: &str) -> PhpValue {
        PhpValue::String(text.to_owned())
    }

    #[test]
    fn a_magento_condition_is_read_whole() {
        let text = r#"a:3:{s:4:"type";s:32:"salesrule/rule_condition_address";s:5:"value";s:7:"39.5€";s:10:"conditions";a:2:{i:0;b:1;i:1;N;}}"#;
        let value = unserialize(text.as_bytes()).unwrap();
        assert_eq!(
            value.get("type"),
            Some(&string("salesrule/rule_condition_address"))
        );
        assert_eq!(
            value.get("value").and_then(PhpValue::text).unwrap(),
            "39.5€",
            "a length counts bytes"
        );
        let inner: Vec<&PhpValue> = value.get("conditions").unwrap().values().collect();
        assert_eq!(inner, [&PhpValue::Bool(true), &PhpValue::Null]);
    }

    #[test]
    fn numbers_read_as_text_as_php_compares_them() {
        assert_eq!(unserialize(b"i:-12;").unwrap().text().unwrap(), "-12");
        assert_eq!(unserialize(b"d:0.5;").unwrap().text().unwrap(), "0.5");
        assert_eq!(unserialize(b"b:0;").unwrap().text(), None);
    }

    #[test]
    fn malformed_text_is_refused_with_where() {
        for (bad, why) in [
            (&b""[..], "a value is missing"),
            (b"s:10:\"short\";", "a string is shorter than its length"),
            (b"s:2:\"abc\";", "'\"' expected"),
            (b"a:1:{i:0;i:1;", "'}' expected"),
            (b"a:-1:{}", "an array's length is negative"),
            (b"i:1;i:2;", "text after the value"),
            (
                b"O:8:\"stdClass\":0:{}",
                "not a value PHP serialises arrays of scalars with",
            ),
            (
                b"a:1:{a:0:{}i:1;}",
                "an array's key is a number or a string",
            ),
            (b"b:2;", "a boolean is 0 or 1"),
            (b"i:x;", "not a whole number"),
        ] {
            assert_eq!(unserialize(bad).unwrap_err().why, why, "{bad:?}");
        }
        let deep = "a:1:{i:0;".repeat(100) + "N;" + &"}".repeat(100);
        assert_eq!(
            unserialize(deep.as_bytes()).unwrap_err().why,
            "arrays nested too deep"
        );
        let huge = b"a:999999999999:{}";
        assert!(unserialize(huge).is_err(), "nothing reserved for a lie");
    }
}
