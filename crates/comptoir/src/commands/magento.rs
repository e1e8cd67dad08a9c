//! `comptoir import-magento`: a running Magento 1.x shop read from its database
//! (read only), checked whole, reported, then written in one transaction; its
//! product images copied from its media folder and resized.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use comptoir::config::ImportMagentoArgs;
use comptoir::progress_bar;
use comptoir_domain::import::ProductFile;
use comptoir_magento::shop::{self, ShopSettings};
use comptoir_magento::{MagentoDb, Report};
use comptoir_store::{Actor, ProductImportOutcome, Store};

use super::import::render_images;

/// Notes shown at most (problems are all shown).
const NOTES_SHOWN: usize = 50;

/// Opens the Magento database: the first thing the command does, so that a wrong
/// address or password is told before anything else.
pub(crate) async fn connect(args: &ImportMagentoArgs) -> anyhow::Result<MagentoDb> {
    Ok(MagentoDb::connect(&args.database_url, &args.table_prefix).await?)
}

pub(crate) async fn import_magento(
    store: &dyn Store,
    mut db: MagentoDb,
    args: &ImportMagentoArgs,
    media_dir: &Path,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let spinner = indicatif::ProgressBar::new_spinner().with_style(
        indicatif::ProgressStyle::with_template("reading {msg} from Magento {spinner} ({elapsed})")
            .expect("the progress template is valid"),
    );
    spinner.enable_steady_tick(Duration::from_millis(120));
    let existing = store.category_paths().await?;
    let settings = ShopSettings {
        stores: args.store_sites.clone(),
        attributes: args.attributes.clone(),
    };
    let read = shop::read(&mut db, &existing, &settings, &|stage| {
        spinner.set_message(stage.to_owned());
    })
    .await;
    db.close().await;
    spinner.finish_and_clear();
    let mut shop = read?;
    if args.dry_run {
        print_report(&shop.report, started);
        println!("dry run: nothing was written");
        return Ok(());
    }
    let file = &shop.products;
    if file.products.is_empty() {
        print_report(&shop.report, started);
        return Err(comptoir::ExitStatus {
            status: 2,
            message: "no product could be migrated".to_owned(),
        }
        .into());
    }
    let bar = progress_bar(
        file.products.len() as u64,
        format!("writing into {}", store.backend()),
    );
    let outcome = store
        .import_products(file, &Actor::command_line(), &|written| {
            bar.set_position(written);
        })
        .await
        .context("the migration failed: nothing was written")?;
    bar.finish();
    match outcome {
        ProductImportOutcome::Done {
            created,
            updated,
            unchanged,
            categories_created,
        } => {
            let products = shop.report.counts("products");
            products.created = created;
            products.updated = updated;
            products.unchanged = unchanged;
            let categories = shop.report.counts("categories");
            categories.created = categories_created;
            categories.unchanged = categories.read - categories.skipped - categories_created;
        }
        ProductImportOutcome::Refused(reason) => {
            print_report(&shop.report, started);
            anyhow::bail!("{reason}: nothing was written")
        }
    }
    if let Some(magento_media) = &args.media_dir {
        copy_images(&shop.products, magento_media, media_dir, &mut shop.report).await?;
    }
    print_report(&shop.report, started);
    render_images(store, media_dir).await
}

/// Copies the images of the products migrated from Magento's media folder (its
/// `catalog/product/…`) to Comptoir's, where they are not there already; one
/// missing is reported.
async fn copy_images(
    file: &ProductFile,
    magento_media: &Path,
    media_dir: &Path,
    report: &mut Report,
) -> anyhow::Result<()> {
    let mut copied = 0;
    for product in &file.products {
        for image in &product.images {
            let relative = image.strip_prefix("media/").unwrap_or(image);
            let (from, to) = (magento_media.join(relative), media_dir.join(relative));
            if tokio::fs::try_exists(&to).await.unwrap_or(false) {
                continue;
            }
            if !tokio::fs::try_exists(&from).await.unwrap_or(false) {
                report.problem(
                    &format!("product {}", product.sku),
                    format!(
                        "its image {} is not in {}",
                        relative,
                        magento_media.display()
                    ),
                );
                continue;
            }
            if let Some(folder) = to.parent() {
                tokio::fs::create_dir_all(folder)
                    .await
                    .with_context(|| format!("cannot create {}", folder.display()))?;
            }
            tokio::fs::copy(&from, &to)
                .await
                .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
            copied += 1;
        }
    }
    println!("{copied} images copied from {}", magento_media.display());
    Ok(())
}

/// Prints the counts, every problem, and the first notes.
fn print_report(report: &Report, started: Instant) {
    for counts in &report.counts {
        println!("{counts}");
    }
    if !report.problems.is_empty() {
        println!("{} left out:", report.problems.len());
        for problem in &report.problems {
            println!("  {problem}");
        }
    }
    if !report.notes.is_empty() {
        println!(
            "{} notes (migrated with a change, or worth knowing):",
            report.notes.len()
        );
        for note in report.notes.iter().take(NOTES_SHOWN) {
            println!("  {note}");
        }
        if report.notes.len() > NOTES_SHOWN {
            println!("  … and {} more", report.notes.len() - NOTES_SHOWN);
        }
    }
    println!("read in {:.1} s", started.elapsed().as_secs_f64());
}
