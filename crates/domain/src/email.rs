//! E-mail addresses as customers type them.

use std::fmt;

/// An e-mail address: trimmed, one `@`, a dotted domain, lower-cased (one customer,
/// one e-mail, whatever the capitals typed).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not an e-mail address")]
pub struct InvalidEmail(pub String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, InvalidEmail> {
        let text = input.trim();
        let invalid = || InvalidEmail(text.chars().take(100).collect());
        let (local, domain) = text.split_once('@').ok_or_else(invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && domain.len() <= 253
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if text.len() > 254 || !local_ok || !domain_ok {
            return Err(invalid());
        }
        Ok(Email(text.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_addresses_are_normalised() {
        assert_eq!(
            Email::parse("  Ana.Garcia+disfraces@Example.ES ")
                .unwrap()
                .as_str(),
            "ana.garcia+disfraces@example.es"
        );
        assert!(Email::parse("joão@correio.pt").is_ok());
    }

    #[test]
    fn invalid_addresses_are_refused() {
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.es",
            "ana@example",
            "ana@@example.es",
            "ana@exa mple.es",
            ".ana@example.es",
            "ana..g@example.es",
            "ana@-example.es",
            "ana@example..es",
            "<script>@example.es",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        assert!(Email::parse(&format!("{}@example.es", "a".repeat(65))).is_err());
    }
}
