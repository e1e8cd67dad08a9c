//! Which shop may be loaded: the loopback, or a host the operator names
//! explicitly. A load model pointed at a shop by mistake is a denial of service.

use std::net::IpAddr;

/// A shop to load, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `http://127.0.0.1:8080`, without a trailing slash.
    pub base: String,
    pub host: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("--target {0}: not an http:// or https:// address")]
    NotAnAddress(String),
    #[error(
        "--target {0}: only the loopback (127.0.0.1, ::1, localhost) is loaded unless \
         --allow-host {0} names it"
    )]
    NotAllowed(String),
}

impl Target {
    /// `url` if it is on the loopback or its host is one of `allowed`.
    pub fn parse(url: &str, allowed: &[String]) -> Result<Target, TargetError> {
        let parsed =
            reqwest::Url::parse(url).map_err(|_| TargetError::NotAnAddress(url.to_owned()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(TargetError::NotAnAddress(url.to_owned()));
        }
        let written_host = parsed
            .host_str()
            .ok_or_else(|| TargetError::NotAnAddress(url.to_owned()))?;
        let host = written_host.trim_matches(['[', ']']).to_owned();
        let loopback = host == "localhost"
            || host
                .parse::<IpAddr>()
                .is_ok_and(|address| address.is_loopback());
        if !loopback && !allowed.iter().any(|named| named == &host) {
            return Err(TargetError::NotAllowed(host));
        }
        let port = parsed
            .port()
            .map(|port| format!(":{port}"))
            .unwrap_or_default();
        let base = format!("{}://{written_host}{port}", parsed.scheme());
        Ok(Target { base, host })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_loopback_or_a_named_host_is_loaded() {
        let target = Target::parse("http://127.0.0.1:8080/es/", &[]).unwrap();
        assert_eq!(target.base, "http://127.0.0.1:8080");
        assert!(Target::parse("http://localhost:8080", &[]).is_ok());
        assert_eq!(
            Target::parse("http://[::1]:8080", &[]).unwrap().base,
            "http://[::1]:8080"
        );
        assert_eq!(
            Target::parse("https://tienda.example.es", &[]),
            Err(TargetError::NotAllowed("tienda.example.es".to_owned()))
        );
        let allowed = ["10.0.0.7".to_owned()];
        assert!(Target::parse("http://10.0.0.7:8080", &allowed).is_ok());
        assert!(Target::parse("http://10.0.0.8:8080", &allowed).is_err());
        assert!(matches!(
            Target::parse("ftp://127.0.0.1", &[]),
            Err(TargetError::NotAnAddress(_))
        ));
        assert!(Target::parse("127.0.0.1:8080", &[]).is_err());
    }
}
