//! The security headers of every response, and the one exception a shop may make
//! to its content security policy: a third-party script (analytics) it loads once
//! the shopper consents.

use axum::http::HeaderValue;
use axum::http::header::{self, HeaderMap};

/// A third-party script's absolute URL (`https://stats.example/script.js`) and its
/// origin, which the content security policy then admits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThirdPartyScript {
    url: String,
    origin: String,
}

impl ThirdPartyScript {
    pub fn parse(url: &str) -> Result<ThirdPartyScript, String> {
        let url = url.trim();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| format!("`{url}`: an absolute http(s) URL"))?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let safe = |c: char| c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&()*+,;=%".contains(c);
        if host.is_empty() || !url.chars().all(safe) || url.contains(['\'', '"', ';', ' ']) {
            return Err(format!("`{url}`: not a plain script URL"));
        }
        let scheme = &url[..url.len() - rest.len()];
        Ok(ThirdPartyScript {
            origin: format!("{scheme}{host}"),
            url: url.to_owned(),
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }
}

/// The content security policy: everything from the shop itself, plus the CDN's
/// origin (`static_origin`) for stylesheets, scripts and images when files come
/// from one, and `third_party`'s origin for scripts, images and connections (what
/// analytics use) when there is one.
pub fn content_security_policy(
    static_origin: Option<&str>,
    third_party: Option<&ThirdPartyScript>,
) -> HeaderValue {
    let sources = |extra: &[Option<&str>]| {
        extra
            .iter()
            .flatten()
            .fold("'self'".to_owned(), |sources, origin| {
                format!("{sources} {origin}")
            })
    };
    let third_party = third_party.map(|script| script.origin.as_str());
    let policy = format!(
        "default-src 'self'; img-src {} data:; style-src {}; script-src {}; \
         connect-src {}; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'",
        sources(&[static_origin, third_party]),
        sources(&[static_origin]),
        sources(&[static_origin, third_party]),
        sources(&[third_party]),
    );
    HeaderValue::from_str(&policy).expect("parsed origins make a valid header")
}

/// Adds the security headers a response does not set itself: no sniffing, no
/// framing, a strict referrer policy, `policy` as content security policy, and HSTS
/// over https.
pub fn add_security_headers(headers: &mut HeaderMap, https: bool, policy: &HeaderValue) {
    let set = |headers: &mut HeaderMap, name, value: HeaderValue| {
        headers.entry(name).or_insert(value);
    };
    set(
        headers,
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    set(
        headers,
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("DENY"),
    );
    set(
        headers,
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    set(headers, header::CONTENT_SECURITY_POLICY, policy.clone());
    if https {
        set(
            headers,
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_third_party_script_adds_its_origin_and_nothing_else() {
        let script =
            ThirdPartyScript::parse("https://stats.example:8443/js/script.js?v=2").unwrap();
        assert_eq!(script.origin, "https://stats.example:8443");
        let policy = content_security_policy(None, Some(&script));
        let policy = policy.to_str().unwrap();
        assert!(policy.contains("script-src 'self' https://stats.example:8443;"));
        assert!(policy.contains("connect-src 'self' https://stats.example:8443;"));
        assert!(policy.contains("style-src 'self';"));
        let own = content_security_policy(None, None);
        assert!(own.to_str().unwrap().contains("script-src 'self';"));
    }

    #[test]
    fn a_cdn_is_admitted_for_files_not_for_connections() {
        let policy = content_security_policy(Some("https://cdn.example.com"), None);
        let policy = policy.to_str().unwrap();
        assert!(policy.contains("img-src 'self' https://cdn.example.com data:;"));
        assert!(policy.contains("style-src 'self' https://cdn.example.com;"));
        assert!(policy.contains("script-src 'self' https://cdn.example.com;"));
        assert!(policy.contains("connect-src 'self';"));
    }

    #[test]
    fn only_plain_absolute_urls_are_scripts() {
        for bad in [
            "stats.example/script.js",
            "javascript:alert(1)",
            "https://",
            "https://a.example/x.js; script-src *",
            "https://a.example/x'.js",
            "https://a.example/\"x.js",
        ] {
            assert!(ThirdPartyScript::parse(bad).is_err(), "{bad}");
        }
    }
}
