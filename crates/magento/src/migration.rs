//! A whole migration: the old shop read and checked, then (unless a dry run) its
//! catalogue written in one transaction and its product images copied. A failed
//! write leaves the catalogue as it was; a re-run updates what changed and
//! duplicates nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use comptoir_domain::CategoryId;
use comptoir_store::prelude::*;
use comptoir_store::{
    Actor, CategoryEdit, CategoryOutcome, ContentOutcome, ContentPageEdit, ImportClash,
    ProductImportOutcome, PromotionImport,
};

use crate::categories::Category;
use crate::cms::MigratedPage;
use crate::report::Report;
use crate::salesrules::MigratedRule;
use crate::shop::{self, KnownCategories, ShopSettings};
use crate::url_rewrites::CATEGORY_SYSTEM_PATH;
use crate::{MagentoDb, MagentoError};

/// How to migrate.
#[derive(Debug, Clone, Default)]
pub struct MigrationSettings {
    pub shop: ShopSettings,
    /// Read and check everything, write nothing.
    pub dry_run: bool,
    /// Magento's `media/` folder, whose `catalog/product` images are copied.
    pub magento_media: Option<PathBuf>,
    /// Comptoir's media folder.
    pub media_dir: PathBuf,
}

/// What a migration tells while it runs.
pub trait MigrationProgress: Sync {
    /// It is reading `what` (`products`, `URL rewrites`...).
    fn reading(&self, what: &str);
    /// It has written `done` of `total` products.
    fn writing(&self, done: u64, total: u64);
}

/// Why a migration stopped. Nothing of the shop was written.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    #[error(transparent)]
    Magento(#[from] MagentoError),
    #[error("the catalogue cannot be read or written: {0}")]
    Store(#[from] comptoir_store::StoreError),
    /// Something of the shop this catalogue cannot take (a URL key another
    /// product has); the report tells the rest.
    #[error("{0}: nothing was written")]
    Refused(ImportClash, Box<Report>),
    #[error("cannot copy {from} to {to}: {cause}")]
    Copy {
        from: PathBuf,
        to: PathBuf,
        cause: std::io::Error,
    },
}

/// Migrates the shop `db` reads into `store`; the report says what was read,
/// written and left out.
pub async fn migrate(
    mut db: MagentoDb,
    store: &dyn Store,
    settings: &MigrationSettings,
    progress: &dyn MigrationProgress,
) -> Result<Report, MigrationError> {
    let known = KnownCategories {
        by_path: store.category_paths().await?,
        by_magento_id: categories_by_magento_id(store).await?,
    };
    let read = shop::read(&mut db, &known, &settings.shop, &|what| {
        progress.reading(what);
    })
    .await;
    db.close().await;
    let mut shop = read?;
    if settings.dry_run {
        return Ok(shop.report);
    }
    let file = &shop.products;
    let total = file.products.len() as u64;
    let outcome = store
        .import_products(file, &Actor::command_line(), &|done| {
            progress.writing(done, total);
        })
        .await?;
    let report = &mut shop.report;
    match outcome {
        ProductImportOutcome::Done {
            created,
            updated,
            unchanged,
            categories_created,
        } => {
            let products = report.counts("products");
            products.created = created;
            products.updated = updated;
            products.unchanged = unchanged;
            let updated = update_categories(store, &shop.known_categories, report).await?;
            let categories = report.counts("categories");
            categories.created = categories_created;
            categories.updated = updated;
            categories.unchanged =
                categories.read - categories.skipped - categories_created - updated;
        }
        ProductImportOutcome::Refused(reason) => {
            return Err(MigrationError::Refused(reason, Box::new(shop.report)));
        }
    }
    // Customers in a transaction of their own: a failure here leaves the
    // catalogue written, and a re-run adds the customers (those there stay).
    let customers = store
        .import_customers(&shop.customers.customers, &Actor::command_line())
        .await?;
    let counts = report.counts("customers");
    counts.created = customers.created;
    counts.unchanged = customers.already_there;
    let subscribers = store
        .import_newsletter_subscribers(&shop.subscribers)
        .await?;
    let counts = report.counts("newsletter subscribers");
    counts.created = subscribers.created;
    counts.unchanged = subscribers.already_there;
    // After the customers: each order joins the account of its e-mail address.
    let orders = store
        .import_legacy_orders(&shop.orders, &Actor::command_line())
        .await?;
    let counts = report.counts("orders");
    counts.created = orders.created;
    counts.unchanged = orders.already_there;
    write_pages(store, &shop.content.pages, report).await?;
    write_promotions(store, &shop.promotions, report).await?;
    if let Some(magento_media) = &settings.magento_media {
        let product_images = file.products.iter().flat_map(|product| {
            product.images.iter().map(|image| {
                let relative = image.strip_prefix("media/").unwrap_or(image);
                (format!("product {}", product.sku), relative)
            })
        });
        let page_images = shop
            .content
            .media
            .iter()
            .map(|path| ("CMS".to_owned(), path.as_str()));
        copy_media(
            product_images.chain(page_images),
            magento_media,
            &settings.media_dir,
            report,
        )
        .await?;
    }
    Ok(shop.report)
}

/// Gives the categories Comptoir already had the names, URL keys and meta
/// texts Magento gives them now (their place, state and hygiene rule kept);
/// returns how many changed. A key a sibling has is reported, its category left
/// as it was.
async fn update_categories(
    store: &dyn Store,
    known: &[(CategoryId, Category)],
    report: &mut Report,
) -> Result<usize, MigrationError> {
    let stored = store.all_categories().await?;
    let mut updated = 0;
    for (id, magento) in known {
        let Some(current) = stored.iter().find(|category| category.id == *id) else {
            continue;
        };
        if current.names == magento.names
            && current.url_keys == magento.url_keys
            && current.meta == magento.meta
        {
            continue;
        }
        let edit = CategoryEdit {
            id: Some(*id),
            parent: current.parent,
            position: current.position,
            enabled: current.enabled,
            hygiene_sealed: current.hygiene_sealed,
            names: magento.names.clone(),
            url_keys: magento.url_keys.clone(),
            meta: magento.meta.clone(),
        };
        match store.save_category(&edit, &Actor::command_line()).await? {
            CategoryOutcome::Saved(_) => updated += 1,
            CategoryOutcome::KeyTaken(locale) => report.problem(
                &format!("category {} ({})", magento.id, magento.path),
                format!(
                    "its URL key in {locale} is a sibling's in Comptoir: its texts are left as they were"
                ),
            ),
            // Gone or moved since it was read (the others answer a deletion).
            CategoryOutcome::NotFound
            | CategoryOutcome::InvalidParent
            | CategoryOutcome::Deleted
            | CategoryOutcome::NotEmpty => {}
        }
    }
    Ok(updated)
}

/// Writes each CMS page on its site: created, or updated where it is there
/// with other texts (its footer place and role kept), and its Magento URL kept
/// where it is not its key.
async fn write_pages(
    store: &dyn Store,
    pages: &[MigratedPage],
    report: &mut Report,
) -> Result<(), MigrationError> {
    let existing = store.content().await?.pages;
    let by = Actor::command_line();
    let (mut created, mut updated, mut unchanged) = (0, 0, 0);
    for page in pages {
        let current = existing
            .iter()
            .find(|known| known.site == page.site && known.url_key == page.key.as_str());
        let same = current.is_some_and(|known| {
            known.title == page.title
                && known.body == page.body
                && known.meta == page.meta
                && known.active == page.active
        });
        let id = match current {
            Some(known) if same => {
                unchanged += 1;
                known.id
            }
            _ => {
                let edit = ContentPageEdit {
                    id: current.map(|known| known.id),
                    expected_version: current.map_or(0, |known| known.version),
                    site: page.site,
                    url_key: page.key.clone(),
                    title: page.title.clone(),
                    body: page.body.clone(),
                    meta: page.meta.clone(),
                    active: page.active,
                    footer_position: current.and_then(|known| known.footer_position),
                    role: current.and_then(|known| known.role),
                };
                match store.save_content_page(&edit, &by).await? {
                    ContentOutcome::Saved(id) => {
                        if current.is_some() {
                            updated += 1;
                        } else {
                            created += 1;
                        }
                        id
                    }
                    refused => {
                        report.problem(
                            &page.entity,
                            format!("not written on {}: {refused:?}", page.site),
                        );
                        continue;
                    }
                }
            }
        };
        if let Some(old_key) = &page.old_key {
            store
                .keep_old_content_key(page.site, old_key, id, &by)
                .await?;
        }
    }
    let counts = report.counts("pages written");
    (
        counts.read,
        counts.created,
        counts.updated,
        counts.unchanged,
    ) = (pages.len(), created, updated, unchanged);
    Ok(())
}

/// Writes the cart price rules, their categories given the ids the catalogue's
/// write gave them; a rule an earlier run wrote is left as it is.
async fn write_promotions(
    store: &dyn Store,
    rules: &[MigratedRule],
    report: &mut Report,
) -> Result<(), MigrationError> {
    let categories = categories_by_magento_id(store).await?;
    let mut imports = Vec::with_capacity(rules.len());
    for migrated in rules {
        match migrated.resolved(|magento| categories.get(&magento).copied()) {
            Some(rule) => imports.push(PromotionImport {
                source: format!("magento:{}", migrated.magento_id),
                rule,
                codes: migrated.codes.clone(),
                customer_uses: migrated.customer_uses.clone(),
            }),
            None => report.problem(
                &migrated.entity,
                "one of its categories is not in the catalogue: left out".to_owned(),
            ),
        }
    }
    let outcome = store
        .import_promotions(&imports, &Actor::command_line())
        .await?;
    for (source, code) in &outcome.codes_taken {
        let entity = rules
            .iter()
            .find(|rule| format!("magento:{}", rule.magento_id) == *source)
            .map_or_else(|| source.clone(), |rule| rule.entity.clone());
        report.problem(
            &entity,
            format!("its code {code} is another Comptoir rule's: left out"),
        );
    }
    let counts = report.counts("cart price rules");
    counts.created = outcome.created;
    counts.unchanged = outcome.already_there;
    counts.skipped = counts.read - outcome.created - outcome.already_there;
    Ok(())
}

/// The categories an earlier migration wrote, by their Magento id: each keeps
/// Magento's system path among its old URLs.
async fn categories_by_magento_id(
    store: &dyn Store,
) -> Result<HashMap<u64, CategoryId>, MigrationError> {
    Ok(store
        .category_redirects_under(CATEGORY_SYSTEM_PATH)
        .await?
        .into_iter()
        .filter_map(|(path, id)| Some((path.strip_prefix(CATEGORY_SYSTEM_PATH)?.parse().ok()?, id)))
        .collect())
}

/// Copies files of Magento's media folder (`catalog/product/…`, `wysiwyg/…`),
/// each named with what shows it, to Comptoir's, where they are not there
/// already; one missing is reported.
async fn copy_media<'a>(
    files: impl Iterator<Item = (String, &'a str)>,
    magento_media: &Path,
    media_dir: &Path,
    report: &mut Report,
) -> Result<(), MigrationError> {
    let (mut read, mut copied, mut there, mut missing) = (0, 0, 0, 0);
    for (shown_by, relative) in files {
        read += 1;
        let (from, to) = (magento_media.join(relative), media_dir.join(relative));
        if tokio::fs::try_exists(&to).await.unwrap_or(false) {
            there += 1;
            continue;
        }
        if !tokio::fs::try_exists(&from).await.unwrap_or(false) {
            missing += 1;
            report.problem(
                &shown_by,
                format!("its image {relative} is not in {}", magento_media.display()),
            );
            continue;
        }
        let failed = |cause| MigrationError::Copy {
            from: from.clone(),
            to: to.clone(),
            cause,
        };
        if let Some(folder) = to.parent() {
            tokio::fs::create_dir_all(folder).await.map_err(failed)?;
        }
        tokio::fs::copy(&from, &to).await.map_err(failed)?;
        copied += 1;
    }
    let counts = report.counts("images");
    (
        counts.read,
        counts.created,
        counts.unchanged,
        counts.skipped,
    ) = (read, copied, there, missing);
    Ok(())
}
