//! `comptoir import` and `comptoir import-customers`: a whole file read and checked
//! first; then its good records written in one transaction and the rows left out
//! listed, or, `--strict`, nothing written unless every row is right.

use std::time::Instant;

use anyhow::Context;
use comptoir::progress_bar;
use comptoir_store::{Actor, Store};

/// Rows' problems shown at most.
const ROWS_SHOWN: usize = 50;

/// Opens `path` for reading with a progress bar over its bytes.
fn read_with_progress(
    path: &std::path::Path,
) -> anyhow::Result<(indicatif::ProgressBar, impl std::io::Read)> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = indicatif::ProgressBar::new(size).with_style(
        indicatif::ProgressStyle::with_template("reading {msg} [{bar:40}] {bytes}/{total_bytes}")
            .expect("the progress template is valid")
            .progress_chars("=> "),
    );
    bar.set_message(path.display().to_string());
    let reader = bar.wrap_read(file);
    Ok((bar, reader))
}

/// Lists rows left out (the first [`ROWS_SHOWN`]).
fn list_rows(rows: &[comptoir_import::RowError]) {
    for row in rows.iter().take(ROWS_SHOWN) {
        eprintln!("{row}");
    }
    if rows.len() > ROWS_SHOWN {
        eprintln!("… and {} more", rows.len() - ROWS_SHOWN);
    }
}

/// The records to write: all of them when `strict` and every row is right (else
/// an error listing the rows), the good ones otherwise, the rows left out listed.
/// `count` tells how many records there are: none ends the command with status 2
/// (1 is for a file that cannot be read).
fn records_to_write<T>(
    read: comptoir_import::ReadOutcome<T>,
    strict: bool,
    count: impl Fn(&T) -> usize,
) -> anyhow::Result<T> {
    let rejected = read.rejected.len();
    if strict && rejected > 0 {
        list_rows(&read.rejected);
        anyhow::bail!("{rejected} rows are wrong: nothing was imported (--strict)");
    }
    list_rows(&read.rejected);
    if !read.notes.is_empty() {
        eprintln!(
            "{} notes (how the file was read, rows imported with a change, columns not imported):",
            read.notes.len()
        );
        list_rows(&read.notes);
    }
    if count(&read.records) == 0 {
        return Err(comptoir::ExitStatus {
            status: 2,
            message: format!("no row could be imported ({rejected} rows left out)"),
        }
        .into());
    }
    if rejected > 0 {
        eprintln!("{rejected} rows left out (listed above); the rest is imported");
    }
    Ok(read.records)
}

/// Reads a product file (Comptoir's format or a Magento 1.9 export), then writes it
/// all or nothing.
/// Resizes the images still without renditions (the import's, once their files are
/// in `media_dir`; the back office's renderer would get to them within a minute).
pub(crate) async fn render_images(
    store: &dyn Store,
    media_dir: &std::path::Path,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let rendered = comptoir_media::render_pending(store, media_dir)
        .await
        .context("cannot render the images")?;
    if rendered > 0 {
        println!(
            "{rendered} images resized in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

pub(crate) async fn import_products(
    store: &dyn Store,
    path: &std::path::Path,
    magento: &comptoir_import::magento_products::MagentoSettings,
    media_dir: &std::path::Path,
    strict: bool,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let categories = store.category_paths().await?;
    let (bar, reader) = read_with_progress(path)?;
    let read = comptoir_import::read_products(reader, &categories, magento)
        .with_context(|| format!("cannot read {}", path.display()))?;
    bar.finish();
    let file = records_to_write(read, strict, |file| file.products.len())?;
    let bar = progress_bar(
        file.products.len() as u64,
        format!("importing into {}", store.backend()),
    );
    let outcome = store
        .import_products(&file, &Actor::command_line(), &|written| {
            bar.set_position(written);
        })
        .await
        .context("the import failed: nothing was imported")?;
    bar.finish();
    match outcome {
        comptoir_store::ProductImportOutcome::Done {
            created,
            updated,
            unchanged,
            categories_created,
        } => {
            println!(
                "{created} products created, {updated} updated, {unchanged} unchanged, \
                 {categories_created} categories created in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            render_images(store, media_dir).await
        }
        comptoir_store::ProductImportOutcome::Refused(reason) => {
            anyhow::bail!("{reason}: nothing was imported")
        }
    }
}

/// Reads a Magento customer export with a progress bar, then writes its good
/// customers (all or nothing when `strict`) and lists the rows left out.
pub(crate) async fn import_customers(
    store: &dyn Store,
    path: &std::path::Path,
    stores: &comptoir_import::magento_products::StoreSites,
    strict: bool,
) -> anyhow::Result<()> {
    let (bar, reader) = read_with_progress(path)?;
    let read = comptoir_import::magento_customers::read(reader, stores)
        .with_context(|| format!("cannot read {}", path.display()))?;
    bar.finish();
    let changed = read.notes.len();
    let file = records_to_write(read, strict, |file| file.customers.len())?;
    let report = store
        .import_customers(&file.customers, &Actor::command_line())
        .await
        .context("the import failed: nothing was imported")?;
    println!(
        "{} customers imported, {} already had an account ({changed} addresses left out)",
        report.created, report.already_there,
    );
    Ok(())
}
