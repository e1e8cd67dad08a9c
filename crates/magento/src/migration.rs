//! A whole migration: the old shop read and checked, then (unless a dry run) its
//! catalogue written in one transaction and its product images copied. A failed
//! write leaves the catalogue as it was; a re-run updates what changed and
//! duplicates nothing.

use std::path::{Path, PathBuf};

use comptoir_domain::import::ProductFile;
use comptoir_store::prelude::*;
use comptoir_store::{Actor, ImportClash, ProductImportOutcome};

use crate::report::Report;
use crate::shop::{self, ShopSettings};
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
    let existing = store.category_paths().await?;
    let read = shop::read(&mut db, &existing, &settings.shop, &|what| {
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
            let categories = report.counts("categories");
            categories.created = categories_created;
            categories.unchanged = categories.read - categories.skipped - categories_created;
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
    if let Some(magento_media) = &settings.magento_media {
        copy_images(file, magento_media, &settings.media_dir, report).await?;
    }
    Ok(shop.report)
}

/// Copies the images of the products migrated from Magento's media folder (its
/// `catalog/product/…`) to Comptoir's, where they are not there already; one
/// missing is reported.
async fn copy_images(
    file: &ProductFile,
    magento_media: &Path,
    media_dir: &Path,
    report: &mut Report,
) -> Result<(), MigrationError> {
    let (mut read, mut copied, mut there, mut missing) = (0, 0, 0, 0);
    for product in &file.products {
        for image in &product.images {
            read += 1;
            let relative = image.strip_prefix("media/").unwrap_or(image);
            let (from, to) = (magento_media.join(relative), media_dir.join(relative));
            if tokio::fs::try_exists(&to).await.unwrap_or(false) {
                there += 1;
                continue;
            }
            if !tokio::fs::try_exists(&from).await.unwrap_or(false) {
                missing += 1;
                report.problem(
                    &format!("product {}", product.sku),
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
