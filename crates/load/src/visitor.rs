//! One visitor's browser over HTTP: it keeps the cookies the shop sets, sends the
//! form token of the last page that had one, follows no redirect by itself (the
//! journey opens the page a form leads to, as a browser does, and times it), and
//! reads pages only as far as the journey needs (links, hidden inputs).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// A page as the shop answered it.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub body: String,
    /// A redirect's target, as a path on the shop (`/es/checkout/address`).
    pub location: Option<String>,
    pub elapsed: Duration,
}

impl Page {
    /// The value of the first hidden input named `name`.
    pub fn hidden(&self, name: &str) -> Option<String> {
        hidden_input(&self.body, name)
    }

    /// Every link's path on the shop, in page order (`/es/c/disfraces?theme=pirata`).
    pub fn links(&self) -> Vec<String> {
        let mut links = Vec::new();
        let mut rest = self.body.as_str();
        while let Some(at) = rest.find("href=\"") {
            rest = &rest[at + 6..];
            let Some(end) = rest.find('"') else { break };
            links.push(path_of(&unescape(&rest[..end])));
            rest = &rest[end..];
        }
        links
    }

    /// The path a form posts to or a search box sends to, the first whose tag
    /// holds `marker` (`role="search"`).
    pub fn form_action(&self, marker: &str) -> Option<String> {
        let tag_start = self
            .body
            .match_indices("<form")
            .map(|(at, _)| at)
            .find(|at| {
                let end = self.body[*at..]
                    .find('>')
                    .map_or(self.body.len(), |e| at + e);
                self.body[*at..end].contains(marker)
            })?;
        let tag = &self.body[tag_start..];
        let tag = &tag[..tag.find('>')?];
        let start = tag.find("action=\"")? + 8;
        let end = tag[start..].find('"')? + start;
        Some(path_of(&unescape(&tag[start..end])))
    }
}

/// A link as a path on the shop: the scheme and host of an absolute URL dropped.
fn path_of(link: &str) -> String {
    match link.split_once("://") {
        Some((_, rest)) => rest
            .find('/')
            .map_or("/".to_owned(), |at| rest[at..].to_owned()),
        None => link.to_owned(),
    }
}

/// The value of the first input named `name` in `html` (`name="…" value="…"`,
/// as the shop's templates write hidden inputs).
pub fn hidden_input(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(unescape(&html[start..end]))
}

/// Text as it reads once HTML's escapes (named or numbered, as askama writes
/// them) are undone; `&amp;` last, so that an escaped escape stays one.
pub fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&gt;", ">")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

/// Why a request got no answer to time.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Unanswered(String);

/// A visitor: cookies and form token of its own, the HTTP client shared by all.
pub struct Visitor {
    client: reqwest::Client,
    base: String,
    cookies: BTreeMap<String, String>,
    form_token: Option<String>,
}

impl Visitor {
    /// `base`: `http://127.0.0.1:8080`.
    pub fn new(client: reqwest::Client, base: &str) -> Visitor {
        Visitor {
            client,
            base: base.trim_end_matches('/').to_owned(),
            cookies: BTreeMap::new(),
            form_token: None,
        }
    }

    pub async fn get(&mut self, path: &str) -> Result<Page, Unanswered> {
        let request = self.client.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    /// Posts `fields` with the form token of the last page that had one, from the
    /// shop's own page (the `Origin` a browser sends).
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Result<Page, Unanswered> {
        let body = {
            let mut form = form_urlencoded::Serializer::new(String::new());
            if let Some(token) = &self.form_token {
                form.append_pair("csrf", token);
            }
            form.extend_pairs(fields);
            form.finish()
        };
        let request = self
            .client
            .post(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Result<Page, Unanswered> {
        let cookies = self
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        let started = Instant::now();
        let response = request
            .header("cookie", cookies)
            .send()
            .await
            .map_err(|e| Unanswered(e.to_string()))?;
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(path_of);
        for header in response.headers().get_all("set-cookie") {
            let Ok(text) = header.to_str() else { continue };
            let pair = text.split(';').next().unwrap_or_default();
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            if value.is_empty() || text.to_ascii_lowercase().contains("max-age=0") {
                self.cookies.remove(name.trim());
            } else {
                self.cookies
                    .insert(name.trim().to_owned(), value.trim().to_owned());
            }
        }
        let body = response
            .text()
            .await
            .map_err(|e| Unanswered(e.to_string()))?;
        let page = Page {
            status,
            body,
            location,
            elapsed: started.elapsed(),
        };
        if let Some(token) = page.hidden("csrf") {
            self.form_token = Some(token);
        }
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> Page {
        Page {
            status: 200,
            body: body.to_owned(),
            location: None,
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn links_hidden_inputs_and_forms_are_read_as_paths() {
        let page = page(
            r#"<form class="search-box" action="http://127.0.0.1:8080/es/buscar" method="get" role="search"></form>
               <a href="http://127.0.0.1:8080/es/c/disfraces?theme=piratas&amp;size=m">x</a>
               <a href="/es/p/bruja">y</a>
               <input type="hidden" name="attempt" value="a&#39;b&amp;lt;">"#,
        );
        assert_eq!(page.form_action("role=\"search\"").unwrap(), "/es/buscar");
        assert_eq!(
            page.links(),
            ["/es/c/disfraces?theme=piratas&size=m", "/es/p/bruja"]
        );
        assert_eq!(page.hidden("attempt").unwrap(), "a'b&lt;");
        assert_eq!(page.hidden("nothing"), None);
    }
}
