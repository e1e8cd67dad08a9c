//! Where pages point browsers for the shop's static files and product images: the
//! shop's own `/static` by default, or a CDN in front of it
//! (`https://cdn.example.com/static`), which fetches from the shop on a miss.

/// The URL prefix of everything served under `/static/`, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticBase(String);

impl Default for StaticBase {
    fn default() -> StaticBase {
        StaticBase("/static".to_owned())
    }
}

impl StaticBase {
    /// `/static`, another path on the shop's hosts, or an absolute http(s) URL; a
    /// trailing slash is dropped.
    pub fn parse(value: &str) -> Result<StaticBase, String> {
        let value = value.trim().trim_end_matches('/');
        let plain = |c: char| c.is_ascii_alphanumeric() || "-._~:/%".contains(c);
        if !value.chars().all(plain) {
            return Err(format!("`{value}`: only letters, digits and -._~:/%"));
        }
        if let Some(rest) = value
            .strip_prefix("https://")
            .or_else(|| value.strip_prefix("http://"))
        {
            if rest.split('/').next().is_none_or(str::is_empty) {
                return Err(format!("`{value}`: no host"));
            }
        } else if !value.starts_with('/') {
            return Err(format!(
                "`{value}`: a path such as /static or an absolute URL such as https://cdn.example.com/static"
            ));
        }
        Ok(StaticBase(value.to_owned()))
    }

    /// The URL of `path` (relative to `/static/`, no leading slash).
    pub fn join(&self, path: &str) -> String {
        format!("{}/{path}", self.0)
    }

    /// The CDN's origin (`https://cdn.example.com`), which the content security
    /// policy must admit; `None` when files come from the shop's own hosts.
    pub fn foreign_origin(&self) -> Option<&str> {
        let rest = self
            .0
            .strip_prefix("https://")
            .or_else(|| self.0.strip_prefix("http://"))?;
        let host_end = rest.find('/').unwrap_or(rest.len());
        Some(&self.0[..self.0.len() - rest.len() + host_end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_shops_own_folder() {
        let base = StaticBase::default();
        assert_eq!(base.join("css/shop.css"), "/static/css/shop.css");
        assert_eq!(base.foreign_origin(), None);
    }

    #[test]
    fn a_cdn_url_keeps_its_path_and_names_its_origin() {
        let base = StaticBase::parse("https://cdn.example.com:8443/shop/static/").unwrap();
        assert_eq!(
            base.join("media/renditions/ab-240.jpg"),
            "https://cdn.example.com:8443/shop/static/media/renditions/ab-240.jpg"
        );
        assert_eq!(base.foreign_origin(), Some("https://cdn.example.com:8443"));
        let bare = StaticBase::parse("http://cdn.example.com").unwrap();
        assert_eq!(bare.foreign_origin(), Some("http://cdn.example.com"));
    }

    #[test]
    fn relative_hosts_quotes_and_spaces_are_refused() {
        for bad in [
            "static",
            "cdn.example.com/static",
            "https://",
            "https:///static",
            "https://cdn.example.com/a b",
            "https://cdn.example.com/'x",
            "/static\"",
        ] {
            assert!(StaticBase::parse(bad).is_err(), "{bad}");
        }
    }
}
