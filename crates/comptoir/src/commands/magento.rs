//! `comptoir import-magento`: a running Magento 1.x shop read from its database
//! (read only), checked whole and reported, then written; its images resized.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use comptoir::config::ImportMagentoArgs;
use comptoir_magento::migration::{self, MigrationError, MigrationProgress, MigrationSettings};
use comptoir_magento::shop::ShopSettings;
use comptoir_magento::{MagentoDb, Report};
use comptoir_store::Store;
use indicatif::{ProgressBar, ProgressStyle};

use super::import::render_images;

/// Notes shown at most (what was left out is all shown).
const NOTES_SHOWN: usize = 50;

/// Opens the Magento database: the first thing the command does, so that a wrong
/// address or password is told before anything else.
pub(crate) async fn connect(args: &ImportMagentoArgs) -> anyhow::Result<MagentoDb> {
    Ok(MagentoDb::connect(&args.database_url, &args.table_prefix).await?)
}

pub(crate) async fn import_magento(
    store: &dyn Store,
    db: MagentoDb,
    args: &ImportMagentoArgs,
    media_dir: PathBuf,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let settings = MigrationSettings {
        shop: ShopSettings {
            stores: args.store_sites.clone(),
            attributes: args.attributes.clone().unwrap_or_default(),
        },
        dry_run: args.dry_run,
        magento_media: args.media_dir.clone(),
        media_dir,
    };
    let progress = Bars::new();
    let migrated = migration::migrate(db, store, &settings, &progress).await;
    progress.finish();
    let report = match migrated {
        Ok(report) => report,
        Err(MigrationError::Refused(reason, report)) => {
            tell(&report, args, started)?;
            anyhow::bail!("{reason}: nothing was written")
        }
        Err(error) => return Err(error.into()),
    };
    tell(&report, args, started)?;
    if args.dry_run {
        println!("dry run: nothing was written");
        return Ok(());
    }
    let migrated: usize = report
        .counts
        .iter()
        .filter(|counts| counts.kind == "products")
        .map(|counts| counts.created + counts.updated + counts.unchanged)
        .sum();
    if migrated == 0 {
        return Err(comptoir::ExitStatus {
            status: 2,
            message: "no product could be migrated".to_owned(),
        }
        .into());
    }
    render_images(store, &settings.media_dir).await
}

/// A spinner while the shop is read, a bar while it is written.
struct Bars {
    reading: ProgressBar,
    writing: ProgressBar,
}

impl Bars {
    fn new() -> Bars {
        let reading = ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("reading {msg} from Magento {spinner} ({elapsed})")
                .expect("the progress template is valid"),
        );
        reading.enable_steady_tick(Duration::from_millis(120));
        let writing = ProgressBar::hidden().with_style(
            ProgressStyle::with_template("writing [{bar:40}] {pos}/{len} products ({elapsed})")
                .expect("the progress template is valid")
                .progress_chars("=> "),
        );
        Bars { reading, writing }
    }

    fn finish(&self) {
        self.reading.finish_and_clear();
        self.writing.finish();
    }
}

impl MigrationProgress for Bars {
    fn reading(&self, what: &str) {
        self.reading.set_message(what.to_owned());
    }

    fn writing(&self, done: u64, total: u64) {
        if self.writing.is_hidden() {
            self.reading.finish_and_clear();
            self.writing
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
            self.writing.set_length(total);
        }
        self.writing.set_position(done);
    }
}

/// Prints the report, and writes it whole to `--report`'s file.
fn tell(report: &Report, args: &ImportMagentoArgs, started: Instant) -> anyhow::Result<()> {
    print_report(report, args.report.is_some(), started);
    if let Some(path) = &args.report {
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot create the report {}", path.display()))?;
        report
            .write_csv(std::io::BufWriter::new(file))
            .with_context(|| format!("cannot write the report {}", path.display()))?;
        println!("the whole report: {}", path.display());
    }
    Ok(())
}

/// Prints the counts, everything left out, and the first notes (all of them are
/// in the report's file, when one is `written`).
fn print_report(report: &Report, written: bool, started: Instant) {
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
            let more = report.notes.len() - NOTES_SHOWN;
            if written {
                println!("  … and {more} more, in the report's file");
            } else {
                println!("  … and {more} more: --report FILE lists them all");
            }
        }
    }
    println!("done in {:.1} s", started.elapsed().as_secs_f64());
}
