//! Product descriptions as HTML. Magento's are HTML (`<h1>Le t&eacute;l&eacute;…`,
//! lists, tables, links) and staff keep writing them so: every description is
//! stored as HTML made safe by an allowlist ([`sanitised`]) and shown as HTML. Text
//! without tags becomes paragraphs. Where a description must be plain text (a meta
//! description, the search index, structured data), [`plain_text`] strips the tags
//! of a sanitised one.

use std::collections::HashSet;
use std::sync::LazyLock;

/// The tags a description keeps: structure, emphasis, lists, tables and links. No
/// scripts, styles, forms, frames or images (an old shop's images point at its old
/// host); `h1` and `h2` become `h3`, as the page's own headings come first.
const TAGS: [&str; 31] = [
    "a",
    "b",
    "blockquote",
    "br",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
];

/// Ammonia's defaults (scripts' and styles' content dropped, safe URL schemes only,
/// `title` and `lang` kept) with our tags, and links that pass no ranking on.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .tags(HashSet::from(TAGS))
        .add_tags(["ul", "u"])
        .link_rel(Some("nofollow noopener noreferrer"));
    builder
});

/// A description made safe to show as HTML: only allowed tags and attributes,
/// entities decoded (`&eacute;` is `é`), headings below the page's. Text without
/// tags is escaped, its blank lines separating paragraphs and its line ends kept.
pub fn sanitised(description: &str) -> String {
    let description = description.trim();
    if description.is_empty() {
        return String::new();
    }
    if !description.contains('<') {
        return paragraphs(description);
    }
    let demoted = ["h1", "H1", "h2", "H2"]
        .into_iter()
        .fold(description.to_owned(), |html, tag| {
            html.replace(&format!("<{tag}"), "<h3")
                .replace(&format!("</{tag}"), "</h3")
        });
    SANITISER.clean(&demoted).to_string()
}

/// Text without tags as HTML paragraphs: blank lines separate them, line ends
/// within one are kept as `<br>`. Entities the text holds (`&eacute;`) are
/// decoded, everything else escaped, by the sanitiser.
fn paragraphs(text: &str) -> String {
    let mut html = String::with_capacity(text.len() + 16);
    let normalised = text.replace("\r\n", "\n");
    for paragraph in normalised
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        html.push_str("<p>");
        html.push_str(&paragraph.lines().collect::<Vec<_>>().join("<br>"));
        html.push_str("</p>");
    }
    if text.contains('&') || text.contains('>') {
        SANITISER.clean(&html).to_string()
    } else {
        html
    }
}

/// A sanitised description as plain text: tags dropped (a block's end as a space),
/// the entities the sanitiser writes decoded, runs of whitespace as one space.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        let tag = &rest[start..end];
        let inline = [
            "<a", "</a", "<b", "</b", "<em", "</em", "<strong", "</strong", "<i", "</i",
        ]
        .iter()
        .any(|name| {
            tag.strip_prefix(name)
                .is_some_and(|after| after.starts_with(['>', ' ']))
        });
        if !inline {
            text.push(' ');
        }
        rest = &rest[end..];
    }
    text.push_str(rest);
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magento_html_keeps_its_structure_without_anything_unsafe() {
        let magento = "<h1>Le t&eacute;l&eacute;phone</h1><p style=\"color:red\" onclick=\"x()\">Un <strong>vrai</strong> son.</p>\
                       <script>alert(1)</script><ul><li>Rouge</li></ul>\
                       <a href=\"javascript:alert(1)\">ici</a> <a href=\"https://example.com/guide\">guide</a>\
                       <img src=\"http://old-shop/media/x.jpg\" onerror=\"x()\"><iframe src=\"https://e.vil\"></iframe>";
        assert_eq!(
            sanitised(magento),
            "<h3>Le téléphone</h3><p>Un <strong>vrai</strong> son.</p>\
             <ul><li>Rouge</li></ul><a rel=\"nofollow noopener noreferrer\">ici</a> \
             <a href=\"https://example.com/guide\" rel=\"nofollow noopener noreferrer\">guide</a>"
        );
    }

    #[test]
    fn text_without_tags_becomes_paragraphs() {
        assert_eq!(
            sanitised("Capa negra.\nCon capucha.\n\nTallas S a XL."),
            "<p>Capa negra.<br>Con capucha.</p><p>Tallas S a XL.</p>"
        );
        assert_eq!(
            sanitised("Tom & Jerry > 3 a&ntilde;os"),
            "<p>Tom &amp; Jerry &gt; 3 años</p>"
        );
        assert_eq!(sanitised("  "), "");
    }

    #[test]
    fn plain_text_reads_as_the_page_shows_it() {
        let html = sanitised(
            "<h2>Pirata</h2><p>Un <em>gran</em> disfraz &amp; más.</p><ul><li>Sombrero</li><li>Parche</li></ul>",
        );
        assert_eq!(
            plain_text(&html),
            "Pirata Un gran disfraz & más. Sombrero Parche"
        );
        assert_eq!(plain_text("Texto sin etiquetas"), "Texto sin etiquetas");
    }
}
