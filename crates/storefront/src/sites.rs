//! The four sites' canonical base URLs, and which site a request is for.
//!
//! A request's site comes from its Host header and path: the site whose base URL has
//! that host and a path prefix the request's path starts with. For local use, a path
//! prefix `/es/`, `/fr/`, `/pt/` or `/it/` on any other host also names the site, and
//! answers a permanent redirect to the canonical URL.

use std::fmt;

use comptoir_domain::SiteCode;

/// A site's canonical base URL, such as `https://www.disfraces.example.es/` or
/// `http://127.0.0.1:8080/es/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `http` or `https`.
    scheme: String,
    /// Host and optional port, lower-cased.
    authority: String,
    /// Path prefix, starting and ending with `/`.
    prefix: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a base URL like https://www.example.es/ or http://127.0.0.1:8080/es/")]
pub struct InvalidBaseUrl(pub String);

impl BaseUrl {
    pub fn parse(input: &str) -> Result<Self, InvalidBaseUrl> {
        let invalid = || InvalidBaseUrl(input.to_owned());
        let (scheme, rest) = input.split_once("://").ok_or_else(invalid)?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(invalid());
        }
        let (authority, path) = match rest.find('/') {
            Some(slash) => (&rest[..slash], &rest[slash..]),
            None => (rest, "/"),
        };
        let valid_authority = !authority.is_empty()
            && authority.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
            });
        let valid_path = path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.'))
            && !path.contains("//");
        if !valid_authority || !valid_path {
            return Err(invalid());
        }
        let prefix = if path.ends_with('/') {
            path.to_owned()
        } else {
            format!("{path}/")
        };
        Ok(BaseUrl {
            scheme,
            authority: authority.to_ascii_lowercase(),
            prefix,
        })
    }

    pub fn is_https(&self) -> bool {
        self.scheme == "https"
    }

    /// The absolute URL of `path` (relative, no leading slash) on this site.
    pub fn join(&self, path: &str) -> String {
        format!(
            "{}://{}{}{}",
            self.scheme, self.authority, self.prefix, path
        )
    }

    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// Scheme and authority, such as `https://www.example.es`: what a path from the
    /// host's root is joined to.
    pub fn origin(&self) -> String {
        format!("{}://{}", self.scheme, self.authority)
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}{}", self.scheme, self.authority, self.prefix)
    }
}

/// The base URL of each site, indexed by [`SiteCode::index`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrls {
    bases: [BaseUrl; 4],
    /// Found once: every indexable page names it (`x-default`).
    chooser: Option<String>,
}

/// What a request's host and path lead to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution<'p> {
    /// A page of `site`; `path` is what follows the site's prefix (no leading slash).
    Site { site: SiteCode, path: &'p str },
    /// A non-canonical form of a site's URL: answer 301 to `location`.
    Redirect { location: String },
    /// The bare root of a host that serves no site at `/`: the site chooser.
    Chooser,
    /// The host's `robots.txt`, with this text.
    Robots(String),
    /// Nothing here.
    Unknown,
}

impl SiteUrls {
    pub fn new(bases: [BaseUrl; 4]) -> Self {
        let chooser = chooser_of(&bases);
        SiteUrls { bases, chooser }
    }

    /// The local defaults: every site on `http://{bind}/{code}/`.
    pub fn local(authority: &str) -> Self {
        SiteUrls::new(SiteCode::ALL.map(|site| {
            BaseUrl::parse(&format!("http://{authority}/{site}/"))
                .expect("a socket address is a valid authority")
        }))
    }

    /// Whether the shop is served over https (TLS ending at the balancer): cookies
    /// are then Secure and browsers are asked to stay on https.
    pub fn any_https(&self) -> bool {
        SiteCode::ALL.iter().any(|site| self.base(*site).is_https())
    }

    pub fn base(&self, site: SiteCode) -> &BaseUrl {
        &self.bases[site.index()]
    }

    /// The site chooser's URL, the root of the first host whose root is no site's
    /// (see [`Resolution::Chooser`]); `None` when every host's root is a site.
    pub fn chooser(&self) -> Option<&str> {
        self.chooser.as_deref()
    }

    pub fn resolve<'p>(&self, host: Option<&str>, path: &'p str) -> Resolution<'p> {
        if path == "/robots.txt" {
            return self
                .robots_txt(host)
                .map_or(Resolution::Unknown, Resolution::Robots);
        }
        let host = host.map(str::to_ascii_lowercase);
        let on_host =
            |site: &SiteCode| host.as_deref() == Some(self.base(*site).authority.as_str());
        let best = SiteCode::ALL
            .into_iter()
            .filter(on_host)
            .filter(|site| path.starts_with(&self.base(*site).prefix))
            .max_by_key(|site| self.base(*site).prefix.len());
        if let Some(site) = best {
            let rest = &path[self.base(site).prefix.len()..];
            return Resolution::Site { site, path: rest };
        }
        // The prefix without its trailing slash (`/es`) on the site's own host.
        if let Some(site) = SiteCode::ALL.into_iter().filter(on_host).find(|site| {
            let prefix = &self.base(*site).prefix;
            path == &prefix[..prefix.len() - 1]
        }) {
            return Resolution::Redirect {
                location: self.base(site).join(""),
            };
        }
        // A local path prefix on a host that is not the site's canonical one.
        let mut segments = path.trim_start_matches('/').splitn(2, '/');
        if let Some(Ok(site)) = segments.next().map(SiteCode::parse) {
            return Resolution::Redirect {
                location: self.base(site).join(segments.next().unwrap_or("")),
            };
        }
        if path == "/" {
            Resolution::Chooser
        } else {
            Resolution::Unknown
        }
    }
}

/// See [`SiteUrls::chooser`].
fn chooser_of(bases: &[BaseUrl; 4]) -> Option<String> {
    let root_is_a_site = |authority: &str| {
        bases
            .iter()
            .any(|base| base.authority == authority && base.prefix == "/")
    };
    bases
        .iter()
        .find(|base| !root_is_a_site(&base.authority))
        .map(|base| format!("{}/", base.origin()))
}

/// Paths of a site no crawler has reason to fetch: a shopper's own pages, the
/// payment steps and the suggestions' JSON. Search, filtered and sorted listings stay
/// crawlable: their head says `noindex`, which a crawler kept out would never read.
const PRIVATE_PATHS: [&str; 8] = [
    "cart",
    "checkout",
    "account",
    "order/",
    "pay/",
    "payment/",
    "test-bank",
    "autocomplete",
];

impl SiteUrls {
    /// The `robots.txt` of `host` (at the root of the host, whatever the sites'
    /// prefixes): the private paths of every site it serves are disallowed, and
    /// each site's sitemap named; `None` when it serves no site.
    fn robots_txt(&self, host: Option<&str>) -> Option<String> {
        let host = host?.to_ascii_lowercase();
        let bases: Vec<&BaseUrl> = self
            .bases
            .iter()
            .filter(|base| base.authority == host)
            .collect();
        if bases.is_empty() {
            return None;
        }
        let mut robots = String::from("User-agent: *\n");
        for base in &bases {
            for path in PRIVATE_PATHS {
                robots.push_str(&format!("Disallow: {}{path}\n", base.prefix));
            }
        }
        robots.push('\n');
        for base in bases {
            robots.push_str(&format!("Sitemap: {}\n", base.join("sitemap.xml")));
        }
        Some(robots)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn production() -> SiteUrls {
        SiteUrls::new([
            BaseUrl::parse("https://www.disfraces.example.es").unwrap(),
            BaseUrl::parse("https://www.deguisements.example.fr/").unwrap(),
            BaseUrl::parse("https://www.fantasias.example.pt/loja/").unwrap(),
            BaseUrl::parse("https://www.costumi.example.it/").unwrap(),
        ])
    }

    #[test]
    fn the_chooser_is_the_root_of_a_host_no_site_takes() {
        assert_eq!(
            SiteUrls::local("127.0.0.1:8080").chooser(),
            Some("http://127.0.0.1:8080/")
        );
        assert_eq!(
            production().chooser(),
            Some("https://www.fantasias.example.pt/")
        );
        let every_root_a_site = SiteUrls::new(
            SiteCode::ALL
                .map(|site| BaseUrl::parse(&format!("https://shop.example.{site}/")).unwrap()),
        );
        assert_eq!(every_root_a_site.chooser(), None);
    }

    #[test]
    fn parses_and_joins() {
        let base = BaseUrl::parse("http://127.0.0.1:8080/es").unwrap();
        assert_eq!(base.join("p/peluca"), "http://127.0.0.1:8080/es/p/peluca");
        assert_eq!(
            BaseUrl::parse("HTTPS://Shop.Example.ES/")
                .unwrap()
                .to_string(),
            "https://shop.example.es/"
        );
        for bad in [
            "",
            "ftp://x/",
            "www.example.es",
            "http:///",
            "http://a b/",
            "http://x//y/",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn resolves_by_host() {
        let urls = production();
        assert_eq!(
            urls.resolve(Some("www.deguisements.example.fr"), "/p/x"),
            Resolution::Site {
                site: SiteCode::Fr,
                path: "p/x"
            }
        );
        assert_eq!(
            urls.resolve(Some("WWW.FANTASIAS.EXAMPLE.PT"), "/loja/c/a"),
            Resolution::Site {
                site: SiteCode::Pt,
                path: "c/a"
            }
        );
        assert_eq!(
            urls.resolve(Some("www.fantasias.example.pt"), "/loja"),
            Resolution::Redirect {
                location: "https://www.fantasias.example.pt/loja/".into()
            }
        );
        assert_eq!(
            urls.resolve(Some("www.fantasias.example.pt"), "/other"),
            Resolution::Unknown
        );
    }

    #[test]
    fn path_prefixes_redirect_to_canonical_urls() {
        let urls = production();
        assert_eq!(
            urls.resolve(Some("127.0.0.1:8080"), "/it/p/strega"),
            Resolution::Redirect {
                location: "https://www.costumi.example.it/p/strega".into()
            }
        );
        assert_eq!(
            urls.resolve(Some("127.0.0.1:8080"), "/"),
            Resolution::Chooser
        );
        assert_eq!(urls.resolve(None, "/de/"), Resolution::Unknown);
    }

    #[test]
    fn local_defaults_share_one_host() {
        let urls = SiteUrls::local("127.0.0.1:8080");
        assert_eq!(
            urls.resolve(Some("127.0.0.1:8080"), "/pt/"),
            Resolution::Site {
                site: SiteCode::Pt,
                path: ""
            }
        );
        assert_eq!(
            urls.resolve(Some("127.0.0.1:8080"), "/es"),
            Resolution::Redirect {
                location: "http://127.0.0.1:8080/es/".into()
            }
        );
        assert_eq!(
            urls.resolve(Some("localhost:8080"), "/fr/c/halloween"),
            Resolution::Redirect {
                location: "http://127.0.0.1:8080/fr/c/halloween".into()
            }
        );
        assert_eq!(
            urls.resolve(Some("127.0.0.1:8080"), "/"),
            Resolution::Chooser
        );
    }

    #[test]
    fn robots_txt_keeps_crawlers_out_of_each_sites_private_pages_on_its_host() {
        let pt = production()
            .robots_txt(Some("WWW.fantasias.example.pt"))
            .unwrap();
        assert!(pt.starts_with("User-agent: *\n"));
        assert!(pt.contains("Disallow: /loja/cart\n") && pt.contains("Disallow: /loja/checkout\n"));
        assert!(!pt.contains("Disallow: /cart"), "{pt}");
        assert!(pt.ends_with("\nSitemap: https://www.fantasias.example.pt/loja/sitemap.xml\n"));
        assert!(
            !pt.contains("/c/") && !pt.contains("buscar"),
            "listings stay crawlable"
        );
        let local = SiteUrls::local("127.0.0.1:8080")
            .robots_txt(Some("127.0.0.1:8080"))
            .unwrap();
        for site in ["es", "fr", "pt", "it"] {
            assert!(
                local.contains(&format!("Disallow: /{site}/account\n"))
                    && local.contains(&format!(
                        "Sitemap: http://127.0.0.1:8080/{site}/sitemap.xml\n"
                    )),
                "{local}"
            );
        }
        assert_eq!(production().robots_txt(Some("elsewhere.example")), None);
        assert_eq!(production().robots_txt(None), None);
    }
}
