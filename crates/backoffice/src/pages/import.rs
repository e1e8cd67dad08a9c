//! Product import from the back office, in Comptoir's format or from a Magento 1.9
//! export (told apart by the header): the file is streamed to disk as it arrives
//! (files of 100 MB and more never sit in memory), read and checked, and shown as a
//! preview with every bad row; only a file without errors can then be imported, in
//! one transaction.

use std::path::PathBuf;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use comptoir_domain::staff::Permission;
use comptoir_import::RowError;
use comptoir_store::{ImportedProduct, ProductImportOutcome};
use comptoir_web::csrf::{self, CsrfForm};
use serde::Deserialize;
use tokio::io::AsyncWriteExt;
use tower_cookies::Cookies;

use super::{Layout, render};
use crate::staff_session::CurrentStaff;
use crate::{AppState, BackofficeError};

/// Largest file accepted.
const MAX_FILE_BYTES: usize = 1024 * 1024 * 1024;
/// Bad rows listed at most.
const ERRORS_SHOWN: usize = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/import",
            get(form)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_FILE_BYTES)),
        )
        .route("/import/commit", post(commit))
}

#[derive(Template)]
#[template(path = "backoffice/import.html")]
struct ImportPage<'a> {
    layout: Layout<'a>,
    /// The checked file waiting to be imported, and what it holds.
    preview: Option<Preview>,
    errors: Vec<String>,
    row_errors: Vec<RowError>,
    /// Bad rows beyond those listed.
    more_errors: usize,
}

struct Preview {
    /// Names the uploaded file on disk.
    token: String,
    products: usize,
    variants: usize,
    first_skus: Vec<String>,
}

fn page(content: ImportPage<'_>, status: StatusCode) -> Result<Response, BackofficeError> {
    Ok((status, render(&content)?).into_response())
}

fn blank<'a>(state: &AppState, staff: &'a CurrentStaff, cookies: &Cookies) -> ImportPage<'a> {
    ImportPage {
        layout: Layout::new(state, Some(&staff.0), cookies),
        preview: None,
        errors: Vec::new(),
        row_errors: Vec::new(),
        more_errors: 0,
    }
}

async fn form(
    State(state): State<AppState>,
    staff: CurrentStaff,
    cookies: Cookies,
) -> Result<Response, BackofficeError> {
    staff.require(Permission::EditCatalogue)?;
    let content = blank(&state, &staff, &cookies);
    page(content, StatusCode::OK)
}

/// Where uploaded files wait between their preview and their import: the system's
/// temporary folder, never the media folder the storefronts serve.
fn upload_path(token: &str) -> PathBuf {
    std::env::temp_dir()
        .join("comptoir-imports")
        .join(format!("{token}.csv"))
}

/// Reads and checks an uploaded file (on a blocking thread: 65 000 products take a
/// few seconds).
async fn check(
    state: &AppState,
    path: PathBuf,
) -> Result<Result<Result<Vec<ImportedProduct>, Vec<RowError>>, String>, BackofficeError> {
    let categories = state.store.category_paths().await?;
    let sites = state.magento_sites.clone();
    tokio::task::spawn_blocking(move || {
        let file = std::fs::File::open(&path).map_err(|e| e.to_string())?;
        comptoir_import::read_products(file, &categories, &sites).map_err(|error| error.to_string())
    })
    .await
    .map_err(|_| BackofficeError::Internal("the file check was interrupted"))
}

async fn upload(
    State(state): State<AppState>,
    staff: CurrentStaff,
    cookies: Cookies,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, BackofficeError> {
    staff.require(Permission::EditCatalogue)?;
    let unreadable = |_| BackofficeError::BadRequest("unreadable upload");
    let token = comptoir_web::random_token();
    let path = upload_path(&token);
    let mut token_checked = false;
    let mut received = false;
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("csrf") => {
                let sent = field.text().await.map_err(unreadable)?;
                if let Err(forged) = csrf::verify(&headers, &cookies, &sent) {
                    return Ok(forged.into_response());
                }
                token_checked = true;
            }
            Some("file") if token_checked => {
                let folder = path.parent().expect("an upload path has a folder");
                let io = |error: std::io::Error| {
                    tracing::error!(%error, "cannot store an uploaded import file");
                    BackofficeError::Internal("cannot store the file")
                };
                tokio::fs::create_dir_all(folder).await.map_err(io)?;
                let mut file = tokio::fs::File::create(&path).await.map_err(io)?;
                while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                    file.write_all(&chunk).await.map_err(io)?;
                    received |= !chunk.is_empty();
                }
                file.flush().await.map_err(io)?;
            }
            _ => {}
        }
    }
    if !token_checked {
        return Ok(comptoir_web::csrf::CsrfRejection::Forbidden("no CSRF field").into_response());
    }
    let mut content = blank(&state, &staff, &cookies);
    if !received {
        let _ = tokio::fs::remove_file(&path).await;
        content
            .errors
            .push("Choose a CSV file to import.".to_owned());
        return page(content, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let checked = check(&state, path.clone()).await?;
    let status = match checked {
        Ok(Ok(products)) => {
            content.preview = Some(Preview {
                token,
                products: products.len(),
                variants: products.iter().map(|p| p.variants.len()).sum(),
                first_skus: products
                    .iter()
                    .take(20)
                    .map(|p| p.sku.as_str().to_owned())
                    .collect(),
            });
            StatusCode::OK
        }
        Ok(Err(rows)) => {
            let _ = tokio::fs::remove_file(&path).await;
            content.more_errors = rows.len().saturating_sub(ERRORS_SHOWN);
            content.row_errors = rows.into_iter().take(ERRORS_SHOWN).collect();
            content.errors.push("The file has errors: nothing will be imported. Correct the rows below and upload it again.".to_owned());
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(message) => {
            let _ = tokio::fs::remove_file(&path).await;
            content
                .errors
                .push(format!("The file cannot be read: {message}."));
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    page(content, status)
}

#[derive(Deserialize)]
struct CommitForm {
    #[serde(default)]
    token: String,
}

async fn commit(
    State(state): State<AppState>,
    staff: CurrentStaff,
    cookies: Cookies,
    CsrfForm(form): CsrfForm<CommitForm>,
) -> Result<Response, BackofficeError> {
    staff.require(Permission::EditCatalogue)?;
    // Only tokens this back office made name a file: nothing else can be read.
    if form.token.len() != 64 || !form.token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(BackofficeError::BadRequest("unknown import"));
    }
    let path = upload_path(&form.token);
    if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Err(BackofficeError::NotFound);
    }
    let mut content = blank(&state, &staff, &cookies);
    // Checked again: the catalogue may have changed since the preview.
    let products = match check(&state, path.clone()).await? {
        Ok(Ok(products)) => products,
        _ => {
            content
                .errors
                .push("The file no longer matches the catalogue: upload it again.".to_owned());
            let _ = tokio::fs::remove_file(&path).await;
            return page(content, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let outcome = state
        .store
        .import_products(&products, &staff.actor())
        .await?;
    let _ = tokio::fs::remove_file(&path).await;
    let status = match outcome {
        ProductImportOutcome::Done { created, updated } => {
            tracing::info!(by = staff.0.email, created, updated, "products imported");
            content.layout = content.layout.with_notice(format!(
                "Imported: {created} products created, {updated} updated. Storefronts and search show them within seconds."
            ));
            StatusCode::OK
        }
        ProductImportOutcome::Refused(reason) => {
            content
                .errors
                .push(format!("{reason}: nothing was imported."));
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    page(content, status)
}
