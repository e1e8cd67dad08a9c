//! Content pages, blocks and the seller's identity: what the storefronts load
//! (`ContentStore`) and how staff edit it (`ContentAdminStore`). Pages and blocks
//! carry a version: a save based on an older one writes nothing. Every save keeps the
//! page's version, its audit entry and a `content` change in one transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use comptoir_domain::content::{
    BlockSlot, Content, ContentBlock, ContentKey, ContentPage, ContentRole, SellerIdentity,
};
use comptoir_domain::{PageMeta, SiteCode};
use serde_json::json;

use crate::staff::Actor;
use crate::{Result, StoreError};

/// A page as the editor saves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentPageEdit {
    /// `None` for a new page.
    pub id: Option<i64>,
    /// The version the editor showed (0 for a new page).
    pub expected_version: i64,
    /// A new page's site; an existing page stays on its own.
    pub site: SiteCode,
    pub url_key: ContentKey,
    pub title: String,
    pub body: String,
    pub meta: PageMeta,
    pub active: bool,
    pub footer_position: Option<i32>,
    pub role: Option<ContentRole>,
}

/// A block as the editor saves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentBlockEdit {
    pub site: SiteCode,
    pub slot: BlockSlot,
    /// The version the editor showed (0 where the slot had no block).
    pub expected_version: i64,
    pub body: String,
    pub active: bool,
}

/// One saved version of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentPageVersion {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub saved_at: DateTime<Utc>,
    pub saved_by: String,
}

/// How a content save ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentOutcome {
    /// Saved; the page's id.
    Saved(i64),
    /// Someone saved since the editor was opened: nothing written.
    Stale,
    /// Another page of the site has this URL key.
    KeyTaken,
    /// Another page of the site has this role.
    RoleTaken(ContentRole),
    NotFound,
}

/// What the storefronts show of content.
#[async_trait]
pub trait ContentStore: Send + Sync {
    /// Every page (active or not, with its old keys), block and seller identity.
    async fn content(&self) -> Result<Content>;
}

/// Content as staff edit it.
#[async_trait]
pub trait ContentAdminStore: Send + Sync {
    /// Creates or changes a page, checking its version, key and role.
    async fn save_content_page(&self, edit: &ContentPageEdit, by: &Actor)
    -> Result<ContentOutcome>;

    /// Makes `old_key`, a URL of the site's old shop (`envios.html`), lead to
    /// page `page` (audited, as a save is).
    async fn keep_old_content_key(
        &self,
        site: SiteCode,
        old_key: &str,
        page: i64,
        by: &Actor,
    ) -> Result<()>;

    /// A page's saved versions, newest first.
    async fn content_page_versions(&self, page: i64) -> Result<Vec<ContentPageVersion>>;

    /// Writes a slot's block, checking its version.
    async fn save_content_block(
        &self,
        edit: &ContentBlockEdit,
        by: &Actor,
    ) -> Result<ContentOutcome>;

    /// Replaces a site's seller identity.
    async fn save_seller_identity(
        &self,
        site: SiteCode,
        identity: &SellerIdentity,
        by: &Actor,
    ) -> Result<()>;

    /// Writes `content` (pages, blocks, identities) where there is none yet: the
    /// sample texts a new shop starts from, like a seeded catalogue not audited.
    /// Whether it wrote anything.
    async fn install_content(&self, content: &Content, by: &Actor) -> Result<bool>;
}

/// What the audit log keeps of a page.
pub(crate) fn audited_page(edit: &ContentPageEdit) -> String {
    json!({
        "site": edit.site.as_str(),
        "url_key": edit.url_key.as_str(),
        "title": edit.title,
        "body": edit.body,
        "meta_title": edit.meta.title,
        "meta_description": edit.meta.description,
        "active": edit.active,
        "footer_position": edit.footer_position,
        "role": edit.role.map(ContentRole::as_str),
    })
    .to_string()
}

pub(crate) fn audited_identity(identity: &SellerIdentity) -> String {
    let fields: serde_json::Map<String, serde_json::Value> = identity
        .placeholders()
        .into_iter()
        .map(|(name, value)| (name.to_owned(), json!(value)))
        .collect();
    serde_json::Value::Object(fields).to_string()
}

pub(crate) const PAGES_SQL: &str = "SELECT id, site, url_key, title, body, meta_title, \
     meta_description, active, footer_position, role, version, updated_at \
     FROM content_pages ORDER BY site, footer_position, id";
pub(crate) const REDIRECTS_SQL: &str =
    "SELECT page_id, old_key FROM content_redirects ORDER BY old_key";
pub(crate) const BLOCKS_SQL: &str =
    "SELECT site, slot, body, active, version, updated_at FROM content_blocks ORDER BY site, slot";
pub(crate) const IDENTITIES_SQL: &str = "SELECT site, company_name, tax_id, address, registry, \
     email, phone, host, publication_director, dispute_body FROM seller_identities";

pub(crate) const PAGE_STATE_SQL: &str =
    "SELECT site, url_key, version FROM content_pages WHERE id = $1";
pub(crate) const KEY_TAKEN_SQL: &str =
    "SELECT id FROM content_pages WHERE site = $1 AND url_key = $2 AND id <> $3";
pub(crate) const ROLE_TAKEN_SQL: &str =
    "SELECT id FROM content_pages WHERE site = $1 AND role = $2 AND id <> $3";
pub(crate) const INSERT_PAGE_SQL: &str = "INSERT INTO content_pages (site, url_key, title, body, \
     meta_title, meta_description, active, footer_position, role, version, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10) RETURNING id";
pub(crate) const UPDATE_PAGE_SQL: &str = "UPDATE content_pages SET url_key = $3, title = $4, \
     body = $5, meta_title = $6, meta_description = $7, active = $8, footer_position = $9, \
     role = $10, version = version + 1, updated_at = $11 \
     WHERE id = $1 AND version = $2 RETURNING version";
pub(crate) const INSERT_VERSION_SQL: &str = "INSERT INTO content_page_versions \
     (page_id, version, title, body, saved_at, saved_by) VALUES ($1, $2, $3, $4, $5, $6)";
pub(crate) const VERSIONS_SQL: &str = "SELECT version, title, body, saved_at, saved_by \
     FROM content_page_versions WHERE page_id = $1 ORDER BY version DESC";
/// Keeps a renamed page's old key leading to it.
pub(crate) const KEEP_OLD_KEY_SQL: &str = "INSERT INTO content_redirects (site, old_key, page_id) \
     VALUES ($1, $2, $3) ON CONFLICT (site, old_key) DO UPDATE SET page_id = excluded.page_id";
/// A key a page now has is no longer an old key of any page.
pub(crate) const RETIRE_OLD_KEY_SQL: &str =
    "DELETE FROM content_redirects WHERE site = $1 AND old_key = $2";
/// Inserts a block (expected version 0) or updates it from the version shown; no row
/// is written when another save came first.
pub(crate) const UPSERT_BLOCK_SQL: &str = "INSERT INTO content_blocks \
     (site, slot, body, active, version, updated_at) VALUES ($1, $2, $3, $4, 1, $6) \
     ON CONFLICT (site, slot) DO UPDATE SET body = excluded.body, active = excluded.active, \
     version = content_blocks.version + 1, updated_at = excluded.updated_at \
     WHERE content_blocks.version = $5";
pub(crate) const BLOCK_SQL: &str =
    "SELECT body, active FROM content_blocks WHERE site = $1 AND slot = $2";
pub(crate) const UPSERT_IDENTITY_SQL: &str = "INSERT INTO seller_identities (site, company_name, \
     tax_id, address, registry, email, phone, host, publication_director, dispute_body, \
     version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11) \
     ON CONFLICT (site) DO UPDATE SET company_name = excluded.company_name, \
     tax_id = excluded.tax_id, address = excluded.address, registry = excluded.registry, \
     email = excluded.email, phone = excluded.phone, host = excluded.host, \
     publication_director = excluded.publication_director, \
     dispute_body = excluded.dispute_body, version = seller_identities.version + 1, \
     updated_at = excluded.updated_at";
pub(crate) const HAS_CONTENT_SQL: &str = "SELECT (SELECT COUNT(*) FROM content_pages) \
     + (SELECT COUNT(*) FROM content_blocks) + (SELECT COUNT(*) FROM seller_identities)";

pub(crate) type PageRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    bool,
    Option<i32>,
    Option<String>,
    i64,
    DateTime<Utc>,
);
pub(crate) type BlockRow = (String, String, String, bool, i64, DateTime<Utc>);
pub(crate) type IdentityRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

fn site(code: &str) -> Result<SiteCode> {
    SiteCode::parse(code).map_err(|_| StoreError::Corrupt(format!("site '{code}'")))
}

/// Puts the rows together.
pub(crate) fn assemble(
    pages: Vec<PageRow>,
    redirects: Vec<(i64, String)>,
    blocks: Vec<BlockRow>,
    identities: Vec<IdentityRow>,
) -> Result<Content> {
    let mut content = Content::default();
    for row in pages {
        let (id, site_code, url_key, title, body, meta_title, meta_description) =
            (row.0, row.1, row.2, row.3, row.4, row.5, row.6);
        let role = match row.9 {
            Some(code) => Some(
                ContentRole::parse(&code)
                    .ok_or_else(|| StoreError::Corrupt(format!("content role '{code}'")))?,
            ),
            None => None,
        };
        content.pages.push(ContentPage {
            id,
            site: site(&site_code)?,
            url_key,
            title,
            body,
            meta: PageMeta {
                title: meta_title,
                description: meta_description,
            },
            active: row.7,
            footer_position: row.8,
            role,
            version: row.10,
            updated_at: row.11,
            old_keys: redirects
                .iter()
                .filter(|(page, _)| *page == id)
                .map(|(_, key)| key.clone())
                .collect(),
        });
    }
    for (site_code, slot, body, active, version, updated_at) in blocks {
        content.blocks.push(ContentBlock {
            site: site(&site_code)?,
            slot: BlockSlot::parse(&slot)
                .ok_or_else(|| StoreError::Corrupt(format!("block slot '{slot}'")))?,
            body,
            active,
            version,
            updated_at,
        });
    }
    for row in identities {
        content.identities[site(&row.0)?.index()] = SellerIdentity {
            company_name: row.1,
            tax_id: row.2,
            address: row.3,
            registry: row.4,
            email: row.5,
            phone: row.6,
            host: row.7,
            publication_director: row.8,
            dispute_body: row.9,
        };
    }
    Ok(content)
}

/// Writes `impl ContentStore` and `impl ContentAdminStore` for `$store`, a backend's
/// store type.
macro_rules! impl_content_store {
    ($store:ty) => {
        const _: () = {
            use comptoir_domain::SiteCode;
            use comptoir_domain::content::{Content, SellerIdentity};
            use $crate::content as sql;
            use $crate::content::{ContentOutcome, ContentPageEdit};
            use $crate::dialect::{Connection, Dialect};
            use $crate::staff::Actor;

            #[async_trait::async_trait]
            impl $crate::content::ContentStore for $store {
                async fn content(&self) -> $crate::Result<Content> {
                    let pages = sqlx::query_as(sql::PAGES_SQL)
                        .fetch_all(self.pool())
                        .await?;
                    let redirects = sqlx::query_as(sql::REDIRECTS_SQL)
                        .fetch_all(self.pool())
                        .await?;
                    let blocks = sqlx::query_as(sql::BLOCKS_SQL)
                        .fetch_all(self.pool())
                        .await?;
                    let identities = sqlx::query_as(sql::IDENTITIES_SQL)
                        .fetch_all(self.pool())
                        .await?;
                    sql::assemble(pages, redirects, blocks, identities)
                }
            }

            impl $store {
                /// Writes a site's seller identity in the caller's transaction.
                async fn write_identity(
                    conn: &mut Connection<Self>,
                    site: SiteCode,
                    identity: &SellerIdentity,
                ) -> $crate::Result<()> {
                    let mut query = sqlx::query(sql::UPSERT_IDENTITY_SQL).bind(site.as_str());
                    for (_, value) in identity.placeholders() {
                        query = query.bind(value);
                    }
                    query.bind(chrono::Utc::now()).execute(&mut *conn).await?;
                    Ok(())
                }

                /// Writes a block in the caller's transaction, if its version is
                /// still the one shown; whether it was written.
                async fn write_block(
                    conn: &mut Connection<Self>,
                    edit: &$crate::content::ContentBlockEdit,
                ) -> $crate::Result<bool> {
                    let written = sqlx::query(sql::UPSERT_BLOCK_SQL)
                        .bind(edit.site.as_str())
                        .bind(edit.slot.as_str())
                        .bind(&edit.body)
                        .bind(edit.active)
                        .bind(edit.expected_version)
                        .bind(chrono::Utc::now())
                        .execute(&mut *conn)
                        .await?
                        .rows_affected();
                    Ok(written == 1)
                }

                /// Writes a page in the caller's transaction, when its version, key
                /// and role allow; `audited`: with its audit entry (staff's saves,
                /// not the samples a new shop is seeded with).
                async fn write_content_page(
                    conn: &mut Connection<Self>,
                    edit: &ContentPageEdit,
                    by: &Actor,
                    audited: bool,
                ) -> $crate::Result<ContentOutcome> {
                    let now = chrono::Utc::now();
                    let (site, before) = match edit.id {
                        Some(id) => {
                            let state: Option<(String, String, i64)> =
                                sqlx::query_as(sql::PAGE_STATE_SQL)
                                    .bind(id)
                                    .fetch_optional(&mut *conn)
                                    .await?;
                            let Some((site, key, version)) = state else {
                                return Ok(ContentOutcome::NotFound);
                            };
                            if version != edit.expected_version {
                                return Ok(ContentOutcome::Stale);
                            }
                            (site, Some(key))
                        }
                        None => (edit.site.as_str().to_owned(), None),
                    };
                    let id_or_none = edit.id.unwrap_or(0);
                    let key_taken: Option<i64> = sqlx::query_scalar(sql::KEY_TAKEN_SQL)
                        .bind(&site)
                        .bind(edit.url_key.as_str())
                        .bind(id_or_none)
                        .fetch_optional(&mut *conn)
                        .await?;
                    if key_taken.is_some() {
                        return Ok(ContentOutcome::KeyTaken);
                    }
                    if let Some(role) = edit.role {
                        let role_taken: Option<i64> = sqlx::query_scalar(sql::ROLE_TAKEN_SQL)
                            .bind(&site)
                            .bind(role.as_str())
                            .bind(id_or_none)
                            .fetch_optional(&mut *conn)
                            .await?;
                        if role_taken.is_some() {
                            return Ok(ContentOutcome::RoleTaken(role));
                        }
                    }
                    let role = edit.role.map(|r| r.as_str());
                    let (id, version) = match edit.id {
                        Some(id) => {
                            let version: Option<i64> = sqlx::query_scalar(sql::UPDATE_PAGE_SQL)
                                .bind(id)
                                .bind(edit.expected_version)
                                .bind(edit.url_key.as_str())
                                .bind(&edit.title)
                                .bind(&edit.body)
                                .bind(&edit.meta.title)
                                .bind(&edit.meta.description)
                                .bind(edit.active)
                                .bind(edit.footer_position)
                                .bind(role)
                                .bind(now)
                                .fetch_optional(&mut *conn)
                                .await?;
                            let Some(version) = version else {
                                return Ok(ContentOutcome::Stale);
                            };
                            (id, version)
                        }
                        None => {
                            let id: i64 = sqlx::query_scalar(sql::INSERT_PAGE_SQL)
                                .bind(&site)
                                .bind(edit.url_key.as_str())
                                .bind(&edit.title)
                                .bind(&edit.body)
                                .bind(&edit.meta.title)
                                .bind(&edit.meta.description)
                                .bind(edit.active)
                                .bind(edit.footer_position)
                                .bind(role)
                                .bind(now)
                                .fetch_one(&mut *conn)
                                .await?;
                            (id, 1)
                        }
                    };
                    sqlx::query(sql::RETIRE_OLD_KEY_SQL)
                        .bind(&site)
                        .bind(edit.url_key.as_str())
                        .execute(&mut *conn)
                        .await?;
                    if let Some(old_key) = before.as_deref().filter(|k| *k != edit.url_key.as_str())
                    {
                        sqlx::query(sql::KEEP_OLD_KEY_SQL)
                            .bind(&site)
                            .bind(old_key)
                            .bind(id)
                            .execute(&mut *conn)
                            .await?;
                    }
                    sqlx::query(sql::INSERT_VERSION_SQL)
                        .bind(id)
                        .bind(version)
                        .bind(&edit.title)
                        .bind(&edit.body)
                        .bind(now)
                        .bind(&by.name)
                        .execute(&mut *conn)
                        .await?;
                    if !audited {
                        return Ok(ContentOutcome::Saved(id));
                    }
                    let saved = ContentPageEdit {
                        site: SiteCode::parse(&site).unwrap_or(edit.site),
                        ..edit.clone()
                    };
                    let action = if edit.id.is_some() {
                        "content_page.update"
                    } else {
                        "content_page.create"
                    };
                    Self::audit(
                        conn,
                        by,
                        action,
                        "content_page",
                        &id.to_string(),
                        None,
                        Some(sql::audited_page(&saved)),
                    )
                    .await?;
                    Ok(ContentOutcome::Saved(id))
                }
            }

            #[async_trait::async_trait]
            impl $crate::content::ContentAdminStore for $store {
                async fn save_content_page(
                    &self,
                    edit: &ContentPageEdit,
                    by: &Actor,
                ) -> $crate::Result<ContentOutcome> {
                    let mut tx = self.begin_write().await?;
                    let outcome = Self::write_content_page(&mut tx, edit, by, true).await?;
                    if matches!(outcome, ContentOutcome::Saved(_)) {
                        Self::append_changes(&mut tx, $crate::ChangeKind::Content, &[]).await?;
                        tx.commit().await?;
                    }
                    Ok(outcome)
                }

                async fn keep_old_content_key(
                    &self,
                    site: SiteCode,
                    old_key: &str,
                    page: i64,
                    by: &Actor,
                ) -> $crate::Result<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query(sql::KEEP_OLD_KEY_SQL)
                        .bind(site.as_str())
                        .bind(old_key)
                        .bind(page)
                        .execute(&mut *tx)
                        .await?;
                    let after = serde_json::json!({ "site": site.as_str(), "old_key": old_key })
                        .to_string();
                    Self::audit(
                        &mut tx,
                        by,
                        "content_page.old_key",
                        "content_page",
                        &page.to_string(),
                        None,
                        Some(after),
                    )
                    .await?;
                    Self::append_changes(&mut tx, $crate::ChangeKind::Content, &[]).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn content_page_versions(
                    &self,
                    page: i64,
                ) -> $crate::Result<Vec<$crate::content::ContentPageVersion>> {
                    let rows: Vec<(i64, String, String, chrono::DateTime<chrono::Utc>, String)> =
                        sqlx::query_as(sql::VERSIONS_SQL)
                            .bind(page)
                            .fetch_all(self.pool())
                            .await?;
                    Ok(rows
                        .into_iter()
                        .map(|(version, title, body, saved_at, saved_by)| {
                            $crate::content::ContentPageVersion {
                                version,
                                title,
                                body,
                                saved_at,
                                saved_by,
                            }
                        })
                        .collect())
                }

                async fn save_content_block(
                    &self,
                    edit: &$crate::content::ContentBlockEdit,
                    by: &Actor,
                ) -> $crate::Result<ContentOutcome> {
                    let mut tx = self.begin_write().await?;
                    let before: Option<(String, bool)> = sqlx::query_as(sql::BLOCK_SQL)
                        .bind(edit.site.as_str())
                        .bind(edit.slot.as_str())
                        .fetch_optional(&mut *tx)
                        .await?;
                    let written = Self::write_block(&mut tx, edit).await?;
                    if !written {
                        return Ok(ContentOutcome::Stale);
                    }
                    let audited = |body: &str, active: bool| {
                        serde_json::json!({ "body": body, "active": active }).to_string()
                    };
                    Self::audit(
                        &mut tx,
                        by,
                        "content_block.save",
                        "content_block",
                        &format!("{}/{}", edit.site.as_str(), edit.slot.as_str()),
                        before.map(|(body, active)| audited(&body, active)),
                        Some(audited(&edit.body, edit.active)),
                    )
                    .await?;
                    Self::append_changes(&mut tx, $crate::ChangeKind::Content, &[]).await?;
                    tx.commit().await?;
                    Ok(ContentOutcome::Saved(0))
                }

                async fn save_seller_identity(
                    &self,
                    site: SiteCode,
                    identity: &SellerIdentity,
                    by: &Actor,
                ) -> $crate::Result<()> {
                    let before = $crate::content::ContentStore::content(self)
                        .await?
                        .identities[site.index()]
                    .clone();
                    let mut tx = self.begin_write().await?;
                    Self::write_identity(&mut tx, site, identity).await?;
                    Self::audit(
                        &mut tx,
                        by,
                        "seller_identity.save",
                        "seller_identity",
                        site.as_str(),
                        Some(sql::audited_identity(&before)),
                        Some(sql::audited_identity(identity)),
                    )
                    .await?;
                    Self::append_changes(&mut tx, $crate::ChangeKind::Content, &[]).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn install_content(
                    &self,
                    content: &Content,
                    by: &Actor,
                ) -> $crate::Result<bool> {
                    let mut tx = self.begin_write().await?;
                    let existing: i64 = sqlx::query_scalar(sql::HAS_CONTENT_SQL)
                        .fetch_one(&mut *tx)
                        .await?;
                    if existing > 0 {
                        return Ok(false);
                    }
                    for page in &content.pages {
                        let edit = ContentPageEdit {
                            id: None,
                            expected_version: 0,
                            site: page.site,
                            url_key: comptoir_domain::content::ContentKey::parse(&page.url_key)
                                .map_err(|error| {
                                    $crate::StoreError::Corrupt(format!(
                                        "content key '{}': {error}",
                                        page.url_key
                                    ))
                                })?,
                            title: page.title.clone(),
                            body: page.body.clone(),
                            meta: page.meta.clone(),
                            active: page.active,
                            footer_position: page.footer_position,
                            role: page.role,
                        };
                        let outcome = Self::write_content_page(&mut tx, &edit, by, false).await?;
                        if !matches!(outcome, ContentOutcome::Saved(_)) {
                            return Err($crate::StoreError::Corrupt(format!(
                                "content page {} clashes: {outcome:?}",
                                page.url_key
                            )));
                        }
                    }
                    for block in &content.blocks {
                        let edit = $crate::content::ContentBlockEdit {
                            site: block.site,
                            slot: block.slot,
                            expected_version: 0,
                            body: block.body.clone(),
                            active: block.active,
                        };
                        Self::write_block(&mut tx, &edit).await?;
                    }
                    for site in SiteCode::ALL {
                        Self::write_identity(&mut tx, site, &content.identities[site.index()])
                            .await?;
                    }
                    Self::append_changes(&mut tx, $crate::ChangeKind::Content, &[]).await?;
                    tx.commit().await?;
                    Ok(true)
                }
            }
        };
    };
}
pub(crate) use impl_content_store;
