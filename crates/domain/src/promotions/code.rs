//! Coupon codes: what a shopper types, normalised, and batches of unique codes
//! generated for partners and mailings.

/// The longest code accepted: printed codes are short, and a long one is a typo
/// or an attack.
pub const MAX_LENGTH: usize = 32;
/// The shortest code a rule may carry (a shared one); shorter ones are guessed.
pub const MIN_LENGTH: usize = 3;
/// Generated codes: no characters that read alike (0/O, 1/I/L), as codes are
/// copied from paper and screens.
pub const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// The most codes one batch may hold.
pub const MAX_BATCH: u32 = 200_000;

/// A coupon code: letters, digits, `-` and `_`, compared without regard to case
/// or surrounding spaces (kept upper-case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CouponCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("a code is empty")]
    Empty,
    #[error("a code has at most {MAX_LENGTH} characters")]
    TooLong,
    #[error("a code has at least {MIN_LENGTH} characters")]
    TooShort,
    #[error("a code holds only letters, digits, '-' and '_'")]
    Characters,
}

impl CouponCode {
    /// Reads a code as typed: trimmed, upper-cased.
    pub fn parse(text: &str) -> Result<CouponCode, CodeError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(CodeError::Empty);
        }
        // Counted before anything else is done with it.
        if text.len() > MAX_LENGTH {
            return Err(CodeError::TooLong);
        }
        if !text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(CodeError::Characters);
        }
        Ok(CouponCode(text.to_ascii_uppercase()))
    }

    /// A code a rule is given by staff: [`CouponCode::parse`], and long enough.
    pub fn for_rule(text: &str) -> Result<CouponCode, CodeError> {
        let code = CouponCode::parse(text)?;
        if code.0.len() < MIN_LENGTH {
            return Err(CodeError::TooShort);
        }
        Ok(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CouponCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a batch of codes is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchSpec {
    pub count: u32,
    /// Random characters after the prefix.
    pub length: usize,
    /// Upper-case, as codes are; may be empty.
    pub prefix: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BatchError {
    #[error("a batch holds from 1 to {MAX_BATCH} codes")]
    Count,
    #[error("codes need 6 to 16 random characters")]
    Length,
    #[error("prefix: {0}")]
    Prefix(CodeError),
    #[error("{length} random characters cannot make {count} codes that are hard to guess")]
    TooFewCombinations { length: usize, count: u32 },
}

impl BatchSpec {
    /// Checks what staff asked for. A batch must leave codes hard to guess: at
    /// least a million unused combinations for each code.
    pub fn parse(count: u32, length: usize, prefix: &str) -> Result<BatchSpec, BatchError> {
        if count == 0 || count > MAX_BATCH {
            return Err(BatchError::Count);
        }
        if !(6..=16).contains(&length) {
            return Err(BatchError::Length);
        }
        let prefix = prefix.trim();
        if !prefix.is_empty() {
            CouponCode::parse(prefix).map_err(BatchError::Prefix)?;
        }
        if prefix.len() + length > MAX_LENGTH {
            return Err(BatchError::Prefix(CodeError::TooLong));
        }
        let combinations = (ALPHABET.len() as f64).powi(length as i32);
        if combinations / f64::from(count) < 1e6 {
            return Err(BatchError::TooFewCombinations { length, count });
        }
        Ok(BatchSpec {
            count,
            length,
            prefix: prefix.to_ascii_uppercase(),
        })
    }

    /// The batch's codes, unique, drawn from `random` (a secure source of bytes:
    /// guessable codes are free money). Bytes that would bias the draw are skipped.
    pub fn generate(&self, mut random: impl FnMut(&mut [u8])) -> Vec<CouponCode> {
        // The largest multiple of the alphabet's size below 256: bytes above it
        // are drawn again, so every character is equally likely.
        let limit = 256 - 256 % ALPHABET.len();
        let mut seen = std::collections::HashSet::with_capacity(self.count as usize);
        let mut codes = Vec::with_capacity(self.count as usize);
        let mut bytes = vec![0_u8; 256];
        let mut next = bytes.len();
        while codes.len() < self.count as usize {
            let mut code = String::with_capacity(self.prefix.len() + self.length);
            code.push_str(&self.prefix);
            while code.len() < self.prefix.len() + self.length {
                if next == bytes.len() {
                    random(&mut bytes);
                    next = 0;
                }
                let byte = usize::from(bytes[next]);
                next += 1;
                if byte < limit {
                    code.push(char::from(ALPHABET[byte % ALPHABET.len()]));
                }
            }
            if seen.insert(code.clone()) {
                codes.push(CouponCode(code));
            }
        }
        codes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_trimmed_and_upper_cased() {
        assert_eq!(
            CouponCode::parse("  halloween20 ").unwrap().as_str(),
            "HALLOWEEN20"
        );
        assert_eq!(CouponCode::parse("Wig_3-x2").unwrap().as_str(), "WIG_3-X2");
        assert_eq!(CouponCode::parse(""), Err(CodeError::Empty));
        assert_eq!(CouponCode::parse("   "), Err(CodeError::Empty));
        assert_eq!(
            CouponCode::parse(&"A".repeat(10_000)),
            Err(CodeError::TooLong)
        );
        for odd in ["HALLO WEEN", "DESCUENTO€", "A'; DROP", "ÑOÑO", "<b>"] {
            assert_eq!(CouponCode::parse(odd), Err(CodeError::Characters), "{odd}");
        }
        assert_eq!(CouponCode::for_rule("ab"), Err(CodeError::TooShort));
        assert!(
            CouponCode::parse("ab").is_ok(),
            "typed codes are looked up whatever their length"
        );
    }

    #[test]
    fn a_batch_is_unique_unbiased_and_without_look_alikes() {
        let spec = BatchSpec::parse(20_000, 8, "hal-").unwrap();
        let mut state = 7_u64;
        let codes = spec.generate(|bytes| {
            for byte in bytes {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                *byte = (state >> 56) as u8;
            }
        });
        assert_eq!(codes.len(), 20_000);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), 20_000);
        for code in &codes {
            let random = code.as_str().strip_prefix("HAL-").unwrap();
            assert_eq!(random.len(), 8);
            assert!(random.bytes().all(|b| ALPHABET.contains(&b)), "{code}");
            assert_eq!(CouponCode::parse(code.as_str()).as_ref(), Ok(code));
        }
        let mut counts = [0_u32; 256];
        for code in &codes {
            for byte in code.as_str()[4..].bytes() {
                counts[usize::from(byte)] += 1;
            }
        }
        let expected = 20_000.0 * 8.0 / ALPHABET.len() as f64;
        for &byte in ALPHABET {
            let seen = f64::from(counts[usize::from(byte)]);
            assert!(
                (seen / expected - 1.0).abs() < 0.05,
                "{} {seen}",
                byte as char
            );
        }
    }

    #[test]
    fn a_batch_refuses_what_would_make_codes_guessable_or_unusable() {
        assert_eq!(BatchSpec::parse(0, 8, ""), Err(BatchError::Count));
        assert_eq!(
            BatchSpec::parse(MAX_BATCH + 1, 8, ""),
            Err(BatchError::Count)
        );
        assert_eq!(BatchSpec::parse(10, 5, ""), Err(BatchError::Length));
        assert_eq!(
            BatchSpec::parse(100_000, 6, ""),
            Err(BatchError::TooFewCombinations {
                length: 6,
                count: 100_000
            })
        );
        assert!(BatchSpec::parse(100_000, 10, "").is_ok());
        assert_eq!(
            BatchSpec::parse(10, 8, "50%"),
            Err(BatchError::Prefix(CodeError::Characters))
        );
        assert_eq!(
            BatchSpec::parse(10, 16, &"P".repeat(20)),
            Err(BatchError::Prefix(CodeError::TooLong))
        );
    }
}
