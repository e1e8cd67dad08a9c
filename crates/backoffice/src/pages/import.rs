//! Product import from the back office, in Comptoir's format or from a Magento 1.9
//! export (told apart by the header). The file is streamed to disk as it arrives
//! (files of 100 MB and more never sit in memory); checking and writing it run in
//! the background as an [`ImportJob`] whose page shows how far it has gone and
//! refreshes itself until it is done. A file is first checked and shown as a
//! preview with every bad row; only a file without errors can then be imported, in
//! one transaction.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use comptoir_import::{ReadOutcome, RowError};
use comptoir_store::{Actor, ProductFile, ProductImportOutcome};
use comptoir_web::csrf::{self, CsrfForm};
use tokio::io::AsyncWriteExt;

use super::{ButtonOnly, Layout, render};
use crate::staff_session::{CurrentStaff, EditCatalogue, Staff};
use crate::{AppState, HttpError};

/// Largest file accepted.
const MAX_FILE_BYTES: usize = 1024 * 1024 * 1024;
/// Bad rows listed at most.
const ERRORS_SHOWN: usize = 200;
/// How long a finished job's page stays, and a checked file waits to be imported.
const KEPT_FOR: Duration = Duration::from_secs(24 * 60 * 60);

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/import",
            get(form)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_FILE_BYTES)),
        )
        .route("/import/{token}", get(status).post(commit))
}

/// The imports this back office is checking, waiting on or writing, by the token
/// that names their file, and the folder their files wait in. Held in memory: the
/// back office is one process, and an import cut short by its restart writes nothing
/// (its transaction never commits).
#[derive(Clone)]
pub struct ImportJobs {
    jobs: Arc<Mutex<HashMap<String, Arc<ImportJob>>>>,
    folder: Arc<PathBuf>,
}

impl ImportJobs {
    /// The jobs of a back office starting now, their files in `folder` (created if
    /// missing). Files left there by an earlier run belong to no job any more (jobs
    /// live in memory): they are deleted.
    pub fn open(folder: PathBuf) -> std::io::Result<ImportJobs> {
        std::fs::create_dir_all(&folder)?;
        let mut orphans = 0;
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            let ours = path.extension().is_some_and(|e| e == "csv");
            if ours && std::fs::remove_file(&path).is_ok() {
                orphans += 1;
            }
        }
        if orphans > 0 {
            tracing::info!(orphans, folder = %folder.display(), "import files of an earlier run deleted");
        }
        Ok(ImportJobs {
            jobs: Arc::default(),
            folder: Arc::new(folder),
        })
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Arc<ImportJob>>> {
        self.jobs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Where the file of the job `token` waits between its preview and its import.
    fn file(&self, token: &str) -> PathBuf {
        self.folder.join(format!("{token}.csv"))
    }

    fn get(&self, token: &str) -> Option<Arc<ImportJob>> {
        self.lock().get(token).cloned()
    }

    /// Registers a new job, forgetting (and deleting the files of) those past
    /// [`KEPT_FOR`].
    fn start(&self, token: String, job: ImportJob) -> Arc<ImportJob> {
        let job = Arc::new(job);
        let mut jobs = self.lock();
        jobs.retain(|token, old| {
            let keep = old.created.elapsed() < KEPT_FOR || old.stage().is_running();
            if !keep {
                let _ = std::fs::remove_file(self.folder.join(format!("{token}.csv")));
            }
            keep
        });
        jobs.insert(token, job.clone());
        job
    }
}

/// One uploaded file on its way into the catalogue.
pub struct ImportJob {
    created: Instant,
    file_name: String,
    file_bytes: u64,
    /// Bytes read by the check running now.
    bytes_checked: Arc<AtomicU64>,
    /// Products imported (written, or found unchanged) by the import running now.
    products_done: AtomicU64,
    stage: Mutex<Stage>,
}

#[derive(Clone)]
enum Stage {
    /// Reading and checking every row (`again`: before writing, since the
    /// catalogue may have changed since the preview).
    Checking { again: bool },
    /// Checked: its good products wait for a staff member to confirm (the rows
    /// left out are listed).
    Checked(Preview),
    /// No row can be imported: nothing will be written.
    Rejected {
        rows: Vec<RowError>,
        /// Bad rows beyond those listed.
        more: usize,
    },
    /// The file cannot be read at all, or the import was refused or failed:
    /// nothing was written.
    Failed(String),
    /// Writing `products` in one transaction.
    Importing { products: usize },
    Done {
        created: usize,
        updated: usize,
        /// Given exactly as stored: left alone.
        unchanged: usize,
        /// Categories the file named that the catalogue lacked.
        categories_created: usize,
        /// Rows of the file left out (listed in the preview).
        left_out: usize,
    },
}

impl Stage {
    fn is_running(&self) -> bool {
        matches!(self, Stage::Checking { .. } | Stage::Importing { .. })
    }
}

#[derive(Clone)]
struct Preview {
    products: usize,
    variants: usize,
    old_urls: usize,
    /// Paths of the categories the file names that the catalogue lacks.
    new_categories: Vec<String>,
    first_skus: Vec<String>,
    /// Rows that will be left out, the first [`ERRORS_SHOWN`] of them.
    left_out: Vec<RowError>,
    /// How many rows will be left out in all.
    left_out_count: usize,
    /// Notes: rows that will be imported with a change (a stock below zero as
    /// none), columns not imported; the first [`ERRORS_SHOWN`] of them, and how
    /// many in all.
    notes: Vec<RowError>,
    notes_count: usize,
}

impl ImportJob {
    fn lock_stage(&self) -> MutexGuard<'_, Stage> {
        self.stage
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn stage(&self) -> Stage {
        self.lock_stage().clone()
    }

    fn set_stage(&self, stage: Stage) {
        *self.lock_stage() = stage;
    }

    /// Moves from `Checked` to checking again before the import: how many rows the
    /// preview said would be left out; `None` if the job is elsewhere (a second
    /// click, a rejected file).
    fn claim_for_import(&self) -> Option<usize> {
        let mut stage = self.lock_stage();
        let Stage::Checked(preview) = &*stage else {
            return None;
        };
        let left_out = preview.left_out_count;
        *stage = Stage::Checking { again: true };
        Some(left_out)
    }
}

#[derive(Template)]
#[template(path = "backoffice/import.html")]
struct ImportPage<'a> {
    layout: Layout<'a>,
    /// Where the job's page is, when showing one.
    job_url: Option<String>,
    file_name: String,
    stage: Option<Stage>,
    /// How far the running stage has gone, in thousandths.
    done_per_mille: u64,
    /// The running stage's progress in words.
    progress: String,
    errors: Vec<String>,
}

impl ImportPage<'_> {
    fn running(&self) -> bool {
        self.stage.as_ref().is_some_and(Stage::is_running)
    }
}

/// The upload form, with `errors`.
fn upload_form<'a>(staff: &'a CurrentStaff, errors: Vec<String>) -> ImportPage<'a> {
    ImportPage {
        layout: staff.layout(),
        job_url: None,
        file_name: String::new(),
        stage: None,
        done_per_mille: 0,
        progress: String::new(),
        errors,
    }
}

async fn form(staff: Staff<EditCatalogue>) -> Result<Response, HttpError> {
    Ok(render(&upload_form(&staff, Vec::new()))?.into_response())
}

/// An uploaded file being received: deleted when dropped, unless [`kept`]
/// once whole.
///
/// [`kept`]: UploadFile::keep
struct UploadFile {
    path: PathBuf,
    kept: bool,
}

impl UploadFile {
    fn new(path: PathBuf) -> UploadFile {
        UploadFile { path, kept: false }
    }

    fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for UploadFile {
    fn drop(&mut self) {
        if !self.kept {
            // Nothing may have been written yet: a missing file is fine.
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Only tokens this back office made name a file: nothing else can be read.
fn is_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

async fn upload(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, HttpError> {
    let unreadable = |_| HttpError::BadRequest("unreadable upload");
    let token = comptoir_web::random_token();
    // Deleted unless the upload is whole: an error, a cut connection or a
    // refusal leaves nothing behind.
    let upload = UploadFile::new(state.imports.file(&token));
    let mut token_checked = false;
    let mut received: u64 = 0;
    let mut file_name = String::new();
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("csrf") => {
                let sent = field.text().await.map_err(unreadable)?;
                if let Err(forged) = csrf::verify(&headers, staff.form_token(), &sent) {
                    return Ok(forged.into_response());
                }
                token_checked = true;
            }
            Some("file") if token_checked => {
                file_name = field.file_name().unwrap_or_default().to_owned();
                let io = |error: std::io::Error| {
                    tracing::error!(%error, "cannot store an uploaded import file");
                    HttpError::internal("cannot store the file")
                };
                let mut file = tokio::fs::File::create(&upload.path).await.map_err(io)?;
                while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                    file.write_all(&chunk).await.map_err(io)?;
                    received += chunk.len() as u64;
                }
                file.flush().await.map_err(io)?;
            }
            _ => {}
        }
    }
    if !token_checked {
        return Ok(comptoir_web::csrf::CsrfRejection::Forbidden("no CSRF field").into_response());
    }
    if received == 0 {
        let errors = vec!["Choose a CSV file to import.".to_owned()];
        let page = render(&upload_form(&staff, errors))?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    upload.keep();
    let job = state.imports.start(
        token.clone(),
        ImportJob {
            created: Instant::now(),
            file_name,
            file_bytes: received,
            bytes_checked: Arc::default(),
            products_done: AtomicU64::new(0),
            stage: Mutex::new(Stage::Checking { again: false }),
        },
    );
    let job_url = format!("/import/{token}");
    tokio::spawn(async move {
        let stage = match check(&state, &job, &token).await {
            Ok(ReadOutcome {
                records: file,
                rejected,
                notes,
            }) => Stage::Checked(Preview {
                left_out_count: rejected.len(),
                left_out: rejected.into_iter().take(ERRORS_SHOWN).collect(),
                notes_count: notes.len(),
                notes: notes.into_iter().take(ERRORS_SHOWN).collect(),
                products: file.products.len(),
                variants: file.products.iter().map(|p| p.variants.len()).sum(),
                new_categories: file.new_categories.iter().map(|c| c.path.clone()).collect(),
                old_urls: file
                    .products
                    .iter()
                    .map(|p| p.old_paths.len())
                    .sum::<usize>()
                    + file.old_category_paths.len(),
                first_skus: file
                    .products
                    .iter()
                    .take(20)
                    .map(|p| p.sku.as_str().to_owned())
                    .collect(),
            }),
            Err(stage) => stage,
        };
        if !matches!(stage, Stage::Checked(_)) {
            let _ = tokio::fs::remove_file(state.imports.file(&token)).await;
        }
        job.set_stage(stage);
    });
    Ok(Redirect::to(&job_url).into_response())
}

/// Reads and checks the job's file on a blocking thread (65 000 products take a
/// few seconds), counting the bytes read: its good products and the rows left out,
/// or the stage to show when no product can be imported.
async fn check(
    state: &AppState,
    job: &ImportJob,
    token: &str,
) -> Result<ReadOutcome<ProductFile>, Stage> {
    job.bytes_checked.store(0, Ordering::Relaxed);
    let failed = |error: &dyn std::fmt::Display| Stage::Failed(error.to_string());
    let categories = state.store.category_paths().await.map_err(|e| {
        tracing::error!(error = %e, "cannot read the categories for an import");
        failed(&"the catalogue cannot be read now; try again")
    })?;
    let magento = state.magento.clone();
    let path = state.imports.file(token);
    let counter = job.bytes_checked.clone();
    let read = tokio::task::spawn_blocking(move || {
        let file = std::fs::File::open(&path).map_err(|e| e.to_string())?;
        let counted = CountedReader {
            inner: file,
            count: counter,
        };
        comptoir_import::read_products(counted, &categories, &magento).map_err(|e| e.to_string())
    })
    .await
    .map_err(|_| failed(&"the check was interrupted"))?;
    match read {
        Ok(read) if read.records.products.is_empty() && !read.rejected.is_empty() => {
            let rows = read.rejected;
            Err(Stage::Rejected {
                more: rows.len().saturating_sub(ERRORS_SHOWN),
                rows: rows.into_iter().take(ERRORS_SHOWN).collect(),
            })
        }
        Ok(read) => Ok(read),
        Err(message) => Err(Stage::Failed(format!(
            "The file cannot be read: {message}."
        ))),
    }
}

/// Counts the bytes read through it, for the page's progress bar.
struct CountedReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: std::io::Read> std::io::Read for CountedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.count.fetch_add(read as u64, Ordering::Relaxed);
        Ok(read)
    }
}

async fn status(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    Path(token): Path<String>,
) -> Result<Response, HttpError> {
    if !is_token(&token) {
        return Err(HttpError::NotFound);
    }
    let job = state.imports.get(&token).ok_or(HttpError::NotFound)?;
    let stage = job.stage();
    let per_mille = |done: u64, total: u64| (done * 1000).checked_div(total).unwrap_or(0);
    let (done_per_mille, progress) = match &stage {
        Stage::Checking { .. } => {
            let read = job
                .bytes_checked
                .load(Ordering::Relaxed)
                .min(job.file_bytes);
            (
                per_mille(read, job.file_bytes),
                format!("{} of {} read", megabytes(read), megabytes(job.file_bytes)),
            )
        }
        Stage::Importing { products } => {
            let done = job.products_done.load(Ordering::Relaxed);
            (
                per_mille(done, *products as u64),
                format!("{done} of {products} products imported"),
            )
        }
        _ => (0, String::new()),
    };
    let mut page = upload_form(&staff, Vec::new());
    page.job_url = Some(format!("/import/{token}"));
    page.file_name = job.file_name.clone();
    page.stage = Some(stage);
    page.done_per_mille = done_per_mille;
    page.progress = progress;
    Ok(render(&page)?.into_response())
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// Starts writing a checked file; its page then shows the progress.
async fn commit(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    Path(token): Path<String>,
    CsrfForm(ButtonOnly {}): CsrfForm<ButtonOnly>,
) -> Result<Response, HttpError> {
    if !is_token(&token) {
        return Err(HttpError::NotFound);
    }
    let job = state.imports.get(&token).ok_or(HttpError::NotFound)?;
    let page = Redirect::to(&format!("/import/{token}")).into_response();
    // A second click, or a file that is not ready, just shows the job.
    let Some(previewed_left_out) = job.claim_for_import() else {
        return Ok(page);
    };
    let by = staff.actor();
    let email = staff.member.email.clone();
    tokio::spawn(async move {
        let changed = || {
            Stage::Failed(
                "The file no longer matches the catalogue (it changed since the preview): upload it again.".to_owned(),
            )
        };
        let stage = match check(&state, &job, &token).await {
            // Exactly the rows the preview said would be left out.
            Ok(read) if read.rejected.len() == previewed_left_out => {
                import(
                    &state,
                    &job,
                    &read.records,
                    read.rejected.len(),
                    &by,
                    &email,
                )
                .await
            }
            Ok(read) => {
                tracing::info!(
                    left_out = read.rejected.len(),
                    previewed_left_out,
                    "an import no longer matches the catalogue"
                );
                changed()
            }
            Err(Stage::Rejected { rows, more }) => {
                tracing::info!(
                    rows = rows.len() + more,
                    "an import no longer matches the catalogue"
                );
                changed()
            }
            Err(stage) => stage,
        };
        let _ = tokio::fs::remove_file(state.imports.file(&token)).await;
        job.set_stage(stage);
    });
    Ok(page)
}

/// Writes a checked file, counting the products done for the page.
async fn import(
    state: &AppState,
    job: &ImportJob,
    file: &ProductFile,
    left_out: usize,
    by: &Actor,
    email: &str,
) -> Stage {
    job.products_done.store(0, Ordering::Relaxed);
    job.set_stage(Stage::Importing {
        products: file.products.len(),
    });
    let done = |count| job.products_done.store(count, Ordering::Relaxed);
    match state.store.import_products(file, by, &done).await {
        Ok(ProductImportOutcome::Done {
            created,
            updated,
            unchanged,
            categories_created,
        }) => {
            tracing::info!(
                by = email,
                created,
                updated,
                unchanged,
                categories_created,
                left_out,
                "products imported"
            );
            state.image_renderer.notify_one();
            Stage::Done {
                created,
                updated,
                unchanged,
                categories_created,
                left_out,
            }
        }
        Ok(ProductImportOutcome::Refused(reason)) => {
            Stage::Failed(format!("{reason}: nothing was imported."))
        }
        Err(error) => {
            tracing::error!(%error, "an import failed");
            Stage::Failed("The import failed: nothing was imported. Try again.".to_owned())
        }
    }
}
