//! A page's `<head>` as a search engine reads it: title, meta tags, links and
//! JSON-LD documents, parsed from the HTML (attribute values unescaped).

use serde_json::Value;

use crate::Page;
use crate::shopper::unescape;

#[derive(Debug, Default)]
pub struct Head {
    pub title: String,
    /// `<meta>` tags' attributes, in order.
    pub metas: Vec<Vec<(String, String)>>,
    /// `<link>` tags' attributes, in order.
    pub links: Vec<Vec<(String, String)>>,
    /// The `application/ld+json` scripts, parsed.
    pub structured_data: Vec<Value>,
}

impl Head {
    /// The head of `page`; panics when the page has none or a JSON-LD script is not
    /// JSON.
    pub fn of(page: &Page) -> Head {
        let start = page.body.find("<head>").expect("the page has a <head>");
        let end = page.body.find("</head>").expect("the <head> is closed");
        let mut html = &page.body[start + "<head>".len()..end];
        let mut head = Head::default();
        while let Some(open) = html.find('<') {
            html = &html[open + 1..];
            let close = html.find('>').expect("a tag is closed");
            let tag = &html[..close];
            html = &html[close + 1..];
            let (name, attributes) = tag.split_once(' ').unwrap_or((tag, ""));
            let attributes = parse_attributes(attributes.trim_end_matches('/'));
            match name {
                "title" => {
                    let end = html.find("</title>").expect("the title is closed");
                    head.title = unescape(&html[..end]);
                }
                "meta" => head.metas.push(attributes),
                "link" => head.links.push(attributes),
                "script" if value(&attributes, "type") == Some("application/ld+json") => {
                    let end = html.find("</script>").expect("the script is closed");
                    let data = serde_json::from_str(&html[..end])
                        .unwrap_or_else(|e| panic!("JSON-LD is not JSON: {e}"));
                    head.structured_data.push(data);
                }
                _ => {}
            }
        }
        head
    }

    /// The content of `<meta name=…>` or `<meta property=…>`.
    pub fn meta(&self, name: &str) -> Option<&str> {
        self.metas
            .iter()
            .find(|meta| value(meta, "name") == Some(name) || value(meta, "property") == Some(name))
            .and_then(|meta| value(meta, "content"))
    }

    pub fn description(&self) -> Option<&str> {
        self.meta("description")
    }

    pub fn canonical(&self) -> Option<&str> {
        self.links
            .iter()
            .find(|link| value(link, "rel") == Some("canonical"))
            .and_then(|link| value(link, "href"))
    }

    /// `(hreflang, href)` of each alternate.
    pub fn alternates(&self) -> Vec<(&str, &str)> {
        self.links
            .iter()
            .filter(|link| value(link, "rel") == Some("alternate"))
            .filter_map(|link| Some((value(link, "hreflang")?, value(link, "href")?)))
            .collect()
    }

    pub fn noindex(&self) -> bool {
        self.meta("robots")
            .is_some_and(|content| content.contains("noindex"))
    }

    /// The JSON-LD document of `@type` `kind`.
    pub fn data_of_type(&self, kind: &str) -> Option<&Value> {
        self.structured_data
            .iter()
            .find(|data| data["@type"] == kind)
    }
}

fn value<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// `name="value" other='value' bare` → pairs (a bare attribute has an empty value).
fn parse_attributes(mut text: &str) -> Vec<(String, String)> {
    let mut attributes = Vec::new();
    loop {
        text = text.trim_start();
        if text.is_empty() {
            return attributes;
        }
        let name_end = text
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(text.len());
        let name = text[..name_end].to_ascii_lowercase();
        text = &text[name_end..];
        if let Some(rest) = text.strip_prefix('=') {
            let (quote, rest) = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => (Some(q), &rest[1..]),
                _ => (None, rest),
            };
            let end = match quote {
                Some(q) => rest.find(q).expect("a quoted value is closed"),
                None => rest.find(char::is_whitespace).unwrap_or(rest.len()),
            };
            attributes.push((name, unescape(&rest[..end])));
            text = &rest[(end + usize::from(quote.is_some())).min(rest.len())..];
        } else {
            attributes.push((name, String::new()));
        }
    }
}
