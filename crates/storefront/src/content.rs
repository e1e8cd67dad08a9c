//! Content pages and blocks as the storefront shows them: their Markdown rendered
//! once per change (never raw HTML, never a script), the seller's identity filled in
//! where a text names it (`{{company_name}}`), looked up by key per site.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use comptoir_domain::content::{BlockSlot, Content, ContentRole, SellerIdentity};
use comptoir_domain::{PageMeta, SiteCode};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::i18n::Texts;

/// A page ready to show.
#[derive(Debug, Clone)]
pub struct ShownPage {
    pub id: i64,
    pub url_key: String,
    pub title: String,
    /// The body, rendered.
    pub html: String,
    /// The body's first words as plain text, for a description.
    pub summary: String,
    pub meta: PageMeta,
    pub role: Option<ContentRole>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// One site's content.
#[derive(Debug, Clone, Default)]
pub struct SiteContent {
    /// Active pages, footer pages first in their order.
    pages: Vec<ShownPage>,
    by_key: HashMap<String, usize>,
    /// Old keys of active pages.
    moved: HashMap<String, usize>,
    /// How many of `pages` the footer links.
    footer_count: usize,
    /// Active blocks, rendered, by [`BlockSlot`] order.
    blocks: Vec<(BlockSlot, String)>,
    pub identity: SellerIdentity,
    /// What every page's footer says of the seller: company, tax id with the
    /// country's name for it, address (those filled in).
    pub seller: Vec<String>,
}

/// What a request for a content key finds.
pub enum Found<'a> {
    Page(&'a ShownPage),
    /// An old key: the page it leads to now.
    Moved(&'a ShownPage),
}

impl SiteContent {
    pub fn find(&self, key: &str) -> Option<Found<'_>> {
        if let Some(&index) = self.by_key.get(key) {
            return Some(Found::Page(&self.pages[index]));
        }
        self.moved
            .get(key)
            .map(|&index| Found::Moved(&self.pages[index]))
    }

    /// The pages the footer links, in order.
    pub fn footer(&self) -> &[ShownPage] {
        &self.pages[..self.footer_count]
    }

    /// Every active page (for sitemaps).
    pub fn pages(&self) -> &[ShownPage] {
        &self.pages
    }

    /// The active page with `role`.
    pub fn page_with_role(&self, role: ContentRole) -> Option<&ShownPage> {
        self.pages.iter().find(|page| page.role == Some(role))
    }

    /// The rendered block of `slot`, when one is active.
    pub fn block(&self, slot: BlockSlot) -> Option<&str> {
        self.blocks
            .iter()
            .find(|(s, _)| *s == slot)
            .map(|(_, html)| html.as_str())
    }
}

/// Every site's content.
#[derive(Debug, Clone, Default)]
pub struct Contents {
    sites: [SiteContent; 4],
}

impl Contents {
    pub fn build(content: Content) -> Contents {
        let mut contents = Contents::default();
        for (site, identity) in SiteCode::ALL.into_iter().zip(content.identities) {
            let shown = &mut contents.sites[site.index()];
            shown.seller = seller_line(site, &identity);
            shown.identity = identity;
        }
        let mut pages = content.pages;
        // Footer pages first, by position; then the others by id.
        pages.sort_by_key(|page| {
            (
                page.footer_position.is_none(),
                page.footer_position,
                page.id,
            )
        });
        for page in pages.into_iter().filter(|page| page.active) {
            let site = &mut contents.sites[page.site.index()];
            let index = site.pages.len();
            site.by_key.insert(page.url_key.clone(), index);
            for old in page.old_keys {
                site.moved.insert(old, index);
            }
            if page.footer_position.is_some() {
                site.footer_count += 1;
            }
            site.pages.push(ShownPage {
                id: page.id,
                html: render(&page.body, &site.identity),
                summary: plain_text(&fill_in(&page.body, &site.identity, false)),
                url_key: page.url_key,
                title: fill_in(&page.title, &site.identity, false),
                meta: page.meta,
                role: page.role,
                version: page.version,
                updated_at: page.updated_at,
            });
        }
        for block in content.blocks.into_iter().filter(|block| block.active) {
            let site = &mut contents.sites[block.site.index()];
            let html = render(&block.body, &site.identity);
            site.blocks.push((block.slot, html));
        }
        contents
    }

    pub fn site(&self, site: SiteCode) -> &SiteContent {
        &self.sites[site.index()]
    }
}

/// The footer's parts naming the seller, made once per change rather than per page.
fn seller_line(site: SiteCode, identity: &SellerIdentity) -> Vec<String> {
    let tax_id = match identity.tax_id.as_str() {
        "" => String::new(),
        tax_id => format!("{} {tax_id}", Texts::of(site.locale()).tax_id_label),
    };
    [
        identity.company_name.clone(),
        tax_id,
        identity.address.clone(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect()
}

/// `text` with each `{{placeholder}}` replaced by the seller's value; in Markdown the
/// value's punctuation is escaped, so an address cannot turn into markup.
fn fill_in(text: &str, identity: &SellerIdentity, markdown: bool) -> String {
    if !text.contains("{{") {
        return text.to_owned();
    }
    let mut filled = text.to_owned();
    for (name, value) in identity.placeholders() {
        let placeholder = format!("{{{{{name}}}}}");
        if filled.contains(&placeholder) {
            let value = if markdown {
                escape_markdown(value)
            } else {
                value.to_owned()
            };
            filled = filled.replace(&placeholder, &value);
        }
    }
    filled
}

fn escape_markdown(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_ascii_punctuation() {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Whether a link may go where `url` says: the web, mail, a phone, or this site.
/// Anything else (`javascript:`, `data:`) is dropped.
fn safe_link(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    ["https://", "http://", "mailto:", "tel:", "/", "#"]
        .iter()
        .any(|allowed| lower.starts_with(allowed))
        || !lower.contains(':')
}

/// Longest summary kept: more than a description shows.
const SUMMARY_CHARS: usize = 400;

/// The words of `markdown`, without its markup.
fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            // Inline markup ends within a sentence; a block's end between two.
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            ) => {}
            Event::End(_) | Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
        if text.len() > SUMMARY_CHARS {
            break;
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Renders Markdown to HTML: raw HTML is shown as text, links to anything but the
/// web, mail or phone lose their target, and images may come from this site only.
pub fn render(markdown: &str, identity: &SellerIdentity) -> String {
    let source = fill_in(markdown, identity, true);
    let events = Parser::new_ext(&source, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !safe_link(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if !dest_url.starts_with('/') || dest_url.starts_with("//") => {
            Event::Start(Tag::Image {
                link_type,
                dest_url: CowStr::Borrowed(""),
                title,
                id,
            })
        }
        other => other,
    });
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> SellerIdentity {
        SellerIdentity {
            company_name: "Fiestas <Sol> S.L.".to_owned(),
            email: "tienda@example.com".to_owned(),
            ..SellerIdentity::default()
        }
    }

    #[test]
    fn markdown_becomes_html_without_scripts() {
        let html = render(
            "# Aviso\n\nTexto *importante*.\n\n<script>alert(1)</script>\n\n\
             [x](javascript:alert(1)) [y](https://example.com) [z](/es/c/carnaval)\n\n\
             ![a](https://tracker.example/p.gif)",
            &SellerIdentity::default(),
        );
        assert!(html.contains("<h1>Aviso</h1>"), "{html}");
        assert!(html.contains("<em>importante</em>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains(r#"href="https://example.com""#), "{html}");
        assert!(html.contains(r#"href="/es/c/carnaval""#), "{html}");
        assert!(!html.contains("tracker.example"), "{html}");
    }

    #[test]
    fn summaries_are_the_words_without_markup() {
        assert_eq!(
            plain_text("# Aviso legal\n\nTexto *de ejemplo*:\n- uno\n- [dos](/x)"),
            "Aviso legal Texto de ejemplo: uno dos"
        );
    }

    #[test]
    fn placeholders_take_the_sellers_values_as_text() {
        let html = render(
            "Vende **{{company_name}}**, [{{email}}](mailto:{{email}}).",
            &identity(),
        );
        assert!(
            html.contains("<strong>Fiestas &lt;Sol&gt; S.L.</strong>"),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="mailto:tienda@example.com">tienda@example.com</a>"#),
            "{html}"
        );
        assert_eq!(
            fill_in("{{company_name}}", &identity(), false),
            "Fiestas <Sol> S.L."
        );
    }
}
