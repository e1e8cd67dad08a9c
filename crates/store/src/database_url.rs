use std::fmt;

/// A database connection URL whose password never reaches a log or an error message.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> Self {
        DatabaseUrl(url.into())
    }

    /// The full URL, password included: for the database driver only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The URL with its password replaced by `***`.
    pub fn redacted(&self) -> String {
        let Some(scheme_end) = self.0.find("://").map(|i| i + 3) else {
            return self.0.clone();
        };
        let rest = &self.0[scheme_end..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let Some(at) = rest[..authority_end].rfind('@') else {
            return self.0.clone();
        };
        match rest[..at].find(':') {
            Some(colon) => format!(
                "{}{}:***{}",
                &self.0[..scheme_end],
                &rest[..colon],
                &rest[at..]
            ),
            None => self.0.clone(),
        }
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_the_password() {
        let url =
            DatabaseUrl::new("postgres://shop:s3cr%40t@db.internal:5432/comptoir?sslmode=require");
        assert_eq!(
            url.redacted(),
            "postgres://shop:***@db.internal:5432/comptoir?sslmode=require"
        );
        assert!(!format!("{url:?} {url}").contains("s3cr"));
        assert_eq!(
            DatabaseUrl::new("postgres://postgres@127.0.0.1/test").redacted(),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(
            DatabaseUrl::new("postgres:///test").redacted(),
            "postgres:///test"
        );
    }
}
