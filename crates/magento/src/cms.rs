//! Magento's CMS pages (`cms_page`, each on the store views `cms_page_store`
//! names, 0 for all) as content pages of the sites those store views feed, and its
//! blocks (`cms_block`) as inactive pages staff may reuse. Their HTML becomes
//! Markdown; Magento's directives become real links (`{{store url="…"}}`,
//! `{{media url="…"}}`), or are removed and reported (`{{block …}}`,
//! `{{widget …}}`, `{{skin …}}`, any other).

use comptoir_domain::content::ContentKey;
use comptoir_domain::slug::slugify;
use comptoir_domain::{PageMeta, SiteCode};

use crate::report::Report;
use crate::stores::Stores;
use crate::{MagentoDb, MagentoError};

/// Where Comptoir serves the files of its media folder.
pub const MEDIA_URL: &str = "/static/media/";

/// Pages Magento keeps for itself, which Comptoir has its own of.
const MAGENTO_ONLY: [&str; 2] = ["home", "no-route"];

/// A page to write on a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigratedPage {
    pub site: SiteCode,
    /// What the report calls it: `CMS page 3 (quienes-somos)`.
    pub entity: String,
    pub key: ContentKey,
    /// Its Magento URL where it is not the key (`envios.html`): redirected.
    pub old_key: Option<String>,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub meta: PageMeta,
    pub active: bool,
}

/// The pages to write, and the files of Magento's media folder they show.
#[derive(Debug, Default)]
pub struct CmsContent {
    pub pages: Vec<MigratedPage>,
    /// Paths under Magento's `media/` (`wysiwyg/tienda.jpg`), to copy.
    pub media: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct StoredPage {
    id: u64,
    identifier: Option<String>,
    title: Option<String>,
    content: Option<Vec<u8>>,
    meta_description: Option<String>,
    active: u64,
}

/// Reads the CMS pages and blocks of the store views that feed a site.
pub async fn read(
    db: &mut MagentoDb,
    stores: &Stores,
    report: &mut Report,
) -> Result<CmsContent, MagentoError> {
    let mut content = CmsContent::default();
    for (kind, counted, table, id_column, title_meta) in [
        (
            "CMS page",
            "CMS pages",
            "cms_page",
            "page_id",
            "meta_description",
        ),
        ("CMS block", "CMS blocks", "cms_block", "block_id", "NULL"),
    ] {
        let links = format!("{table}_store");
        if !db.tables().has(table) || !db.tables().has(&links) {
            continue;
        }
        let (table_name, links_name) = (db.tables().name(table), db.tables().name(&links));
        let rows: Vec<StoredPage> = db
            .rows(
                table,
                &format!(
                    "SELECT CAST({id_column} AS UNSIGNED) AS id, \
                     CAST(identifier AS CHAR) AS identifier, CAST(title AS CHAR) AS title, \
                     CAST(content AS BINARY) AS content, \
                     CAST({title_meta} AS CHAR) AS meta_description, \
                     CAST(is_active AS UNSIGNED) AS active FROM {table_name} ORDER BY {id_column}"
                ),
            )
            .await?;
        let placed: Vec<(u64, u64)> = db
            .rows(
                &links,
                &format!(
                    "SELECT CAST({id_column} AS UNSIGNED), CAST(store_id AS UNSIGNED) \
                     FROM {links_name}"
                ),
            )
            .await?;
        let stores_of = crate::grouped(placed);
        let counts = report.counts(counted);
        counts.read = rows.len();
        let mut skipped = 0;
        for page in rows {
            let identifier = page.identifier.clone().unwrap_or_default();
            let entity = format!("{kind} {} ({identifier})", page.id);
            if kind == "CMS page" && MAGENTO_ONLY.contains(&identifier.as_str()) {
                report.note(&entity, "Magento's own page: Comptoir has its own");
                skipped += 1;
                continue;
            }
            let Ok(html) = crate::text(page.content.clone()) else {
                report.problem(
                    &entity,
                    "its content is not UTF-8 text: left out".to_owned(),
                );
                skipped += 1;
                continue;
            };
            let wanted = if kind == "CMS page" {
                identifier.clone()
            } else {
                format!("block-{identifier}")
            };
            let Some(key) = content_key(&wanted) else {
                report.problem(
                    &entity,
                    format!("no page key can be made of '{identifier}': left out"),
                );
                skipped += 1;
                continue;
            };
            let sites = sites_of(stores_of.get(&page.id).map(Vec::as_slice), stores);
            if sites.is_empty() {
                report.note(&entity, "on no store view that feeds a site: left out");
                skipped += 1;
                continue;
            }
            let converted = directives(&html);
            for removed in &converted.removed {
                report.note(&entity, format!("{removed} removed"));
            }
            content.media.extend(converted.media.iter().cloned());
            let body = htmd::convert(&converted.html).unwrap_or_default();
            let old_key =
                (kind == "CMS page" && identifier != key.as_str()).then(|| identifier.clone());
            for site in sites {
                // A page of a store view of its own takes the place of one for all.
                content
                    .pages
                    .retain(|other| other.site != site || other.key != key);
                content.pages.push(MigratedPage {
                    site,
                    entity: entity.clone(),
                    key: key.clone(),
                    old_key: old_key.clone(),
                    title: page.title.clone().unwrap_or_default(),
                    body: body.clone(),
                    meta: PageMeta {
                        title: String::new(),
                        description: page.meta_description.clone().unwrap_or_default(),
                    },
                    // Blocks are kept for staff to reuse, not shown as pages.
                    active: kind == "CMS page" && page.active == 1,
                });
            }
        }
        report.counts(counted).skipped = skipped;
    }
    content.media.sort_unstable();
    content.media.dedup();
    Ok(content)
}

/// The sites of a page's store views (0: every store view), each once; a page of
/// one store view comes after those for all, so that it wins.
fn sites_of(store_ids: Option<&[u64]>, stores: &Stores) -> Vec<SiteCode> {
    let mut sites = Vec::new();
    for &store in store_ids.unwrap_or_default() {
        let here: Vec<SiteCode> = if store == 0 {
            stores.mapped().map(|(_, site)| site).collect()
        } else {
            stores.site_of(store).into_iter().collect()
        };
        for site in here {
            if !sites.contains(&site) {
                sites.push(site);
            }
        }
    }
    sites
}

/// A page key Comptoir takes for a Magento identifier: itself when it is one,
/// else one made from it (`info/envios.html` is `info-envios`).
fn content_key(identifier: &str) -> Option<ContentKey> {
    ContentKey::parse(identifier).ok().or_else(|| {
        let stem = identifier.trim_end_matches(".html").replace('/', "-");
        ContentKey::parse(&slugify(&stem)).ok()
    })
}

/// A CMS text with its directives replaced.
#[derive(Debug, Default, PartialEq, Eq)]
struct Converted {
    html: String,
    /// The media files it shows, under Magento's `media/`.
    media: Vec<String>,
    /// The directives removed, as written.
    removed: Vec<String>,
}

/// Replaces Magento's directives: `{{store url="disfraces.html"}}` and
/// `{{store direct_url="…"}}` become a link relative to the page (the old URL,
/// which answers 301 to the new one), `{{media url="wysiwyg/a.jpg"}}` the file
/// copied into Comptoir's media folder; `{{skin …}}` (Magento's theme),
/// `{{block …}}`, `{{widget …}}` and any other are removed.
fn directives(html: &str) -> Converted {
    let mut converted = Converted::default();
    let mut rest = html;
    while let Some(start) = rest.find("{{") {
        converted.html.push_str(&rest[..start]);
        let Some(length) = rest[start..].find("}}") else {
            rest = &rest[start..];
            break;
        };
        let directive = &rest[start..start + length + 2];
        rest = &rest[start + length + 2..];
        let inner = directive[2..directive.len() - 2].trim();
        let name = inner.split_whitespace().next().unwrap_or_default();
        let parameter = |wanted: &str| parameter(inner, wanted);
        match name {
            "store" => match parameter("url").or_else(|| parameter("direct_url")) {
                Some(path) => converted.html.push_str(path.trim_start_matches('/')),
                None => converted.removed.push(directive.to_owned()),
            },
            "media" => match parameter("url") {
                Some(path) => {
                    let path = path.trim_start_matches('/').to_owned();
                    converted.html.push_str(MEDIA_URL);
                    converted.html.push_str(&path);
                    converted.media.push(path);
                }
                None => converted.removed.push(directive.to_owned()),
            },
            _ => converted.removed.push(directive.to_owned()),
        }
    }
    converted.html.push_str(rest);
    converted
}

/// A directive's parameter: `url="x"` or `url='x'` (in HTML, quotes may be
/// written `&quot;`).
fn parameter<'a>(directive: &'a str, wanted: &str) -> Option<&'a str> {
    let mut rest = directive;
    while let Some(at) = rest.find(wanted) {
        let after = &rest[at + wanted.len()..];
        let starts_word = at == 0 || rest.as_bytes()[at - 1].is_ascii_whitespace();
        if starts_word && let Some(value) = after.strip_prefix('=') {
            for quote in ["\"", "'", "&quot;"] {
                if let Some(quoted) = value.strip_prefix(quote) {
                    return quoted.find(quote).map(|end| &quoted[..end]);
                }
            }
            return value.split_whitespace().next();
        }
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_and_media_directives_become_links_and_the_others_are_removed() {
        let converted = directives(
            r#"<a href="{{store url="disfraces.html"}}">a</a> <a href="{{store direct_url='accesorios/pelucas.html'}}">b</a> <img src="{{media url="wysiwyg/tienda.jpg"}}"> {{block type="cms/block" block_id="envios"}} <img src="{{skin url="images/logo.png"}}"> {{widget type="x"}} {{unclosed"#,
        );
        assert_eq!(
            converted.html,
            r#"<a href="disfraces.html">a</a> <a href="accesorios/pelucas.html">b</a> <img src="/static/media/wysiwyg/tienda.jpg">  <img src="">  {{unclosed"#
        );
        assert_eq!(converted.media, ["wysiwyg/tienda.jpg"]);
        assert_eq!(
            converted.removed,
            [
                r#"{{block type="cms/block" block_id="envios"}}"#,
                r#"{{skin url="images/logo.png"}}"#,
                r#"{{widget type="x"}}"#
            ]
        );
        assert_eq!(
            directives("{{store url=&quot;envios&quot;}}").html,
            "envios",
            "quotes escaped by the editor"
        );
        assert_eq!(
            parameter(r#"store _url="x" url="y""#, "url"),
            Some("y"),
            "a whole parameter name"
        );
    }

    #[test]
    fn identifiers_become_page_keys() {
        assert_eq!(
            content_key("quienes-somos").unwrap().as_str(),
            "quienes-somos"
        );
        assert_eq!(
            content_key("info/envios.html").unwrap().as_str(),
            "info-envios"
        );
        assert!(content_key("¡!").is_none());
    }
}
