//! Product images: staff upload JPEG, PNG or WebP files (up to 5 MB), stored under
//! the media folder by their content's hash (the same file twice is one file),
//! resized for shoppers in the background (`comptoir_media`) and listed after the
//! product's other images; staff make one the main image, or take
//! one off a product. What is not an image, or is too large, is refused and nothing
//! is written.

use std::path::Path as FilePath;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use comptoir_domain::ProductId;
use comptoir_store::ImageChange;
use comptoir_web::csrf::CsrfForm;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::upload::{Missing, read_upload};
use crate::staff_session::{EditCatalogue, Staff};
use crate::{AppState, HttpError};

/// Largest image accepted.
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/products/{id}/images",
            // Room for an image somewhat too large, so that staff are told why it is
            // refused; far larger bodies are cut off before they are read.
            post(upload).layer(DefaultBodyLimit::max(2 * MAX_IMAGE_BYTES)),
        )
        .route("/products/{id}/images/{action}", post(change))
}

/// The kinds of image accepted, recognised by their first bytes (never by the name
/// or the type the browser claims). SVG is refused: it can carry scripts.
fn image_extension(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

/// Why an upload was refused.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    NotAnImage,
    Damaged,
    TooLarge,
    Missing,
}

impl Refusal {
    fn message(&self) -> &'static str {
        match self {
            Refusal::NotAnImage => "That file is not a JPEG, PNG or WebP image.",
            Refusal::Damaged => {
                "That image is damaged (it cannot be read to its end): export it again."
            }
            Refusal::TooLarge => "That image is larger than 5 MB.",
            Refusal::Missing => "Choose an image file to upload.",
        }
    }
}

/// Writes `bytes` as `products/{hash}.{extension}` under `media_dir` (through a
/// temporary file, so a reader never sees half an image); its path as stored.
async fn store_file(
    media_dir: &FilePath,
    bytes: &[u8],
    extension: &str,
) -> std::io::Result<String> {
    let name = format!("{}.{extension}", &hex::encode(Sha256::digest(bytes))[..32]);
    let folder = media_dir.join("products");
    tokio::fs::create_dir_all(&folder).await?;
    let target = folder.join(&name);
    if !tokio::fs::try_exists(&target).await? {
        let partial = folder.join(format!(".{name}.partial"));
        tokio::fs::write(&partial, bytes).await?;
        tokio::fs::rename(&partial, &target).await?;
    }
    Ok(format!("media/products/{name}"))
}

async fn upload(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, HttpError> {
    let refused = |refusal: Refusal| {
        super::products::editor_with_error(&state, &staff, id, refusal.message())
    };
    let upload = read_upload(
        &headers,
        staff.form_token(),
        &mut multipart,
        "image",
        MAX_IMAGE_BYTES,
    )
    .await?;
    let bytes = match upload {
        Err(forged) => return Ok(forged.into_response()),
        Ok(Err(Missing::TooLarge)) => return refused(Refusal::TooLarge).await,
        Ok(Err(Missing::NoFile)) => return refused(Refusal::Missing).await,
        Ok(Ok(bytes)) => bytes,
    };
    let Some(extension) = image_extension(&bytes) else {
        return refused(Refusal::NotAnImage).await;
    };
    // Read to the end now, so that staff hear of a damaged file rather than shoppers.
    let (bytes, readable) = comptoir_web::blocking(move || {
        let readable = comptoir_media::check(&bytes).is_ok();
        (bytes, readable)
    })
    .await?;
    if !readable {
        return refused(Refusal::Damaged).await;
    }
    if state.store.product_for_edit(ProductId(id)).await?.is_none() {
        return Err(HttpError::NotFound);
    }
    let path = store_file(&state.media_dir, &bytes, extension)
        .await
        .map_err(|error| {
            tracing::error!(%error, "cannot write an uploaded image");
            HttpError::internal("cannot write the image")
        })?;
    if !state
        .store
        .add_product_image(ProductId(id), &path, &staff.actor())
        .await?
    {
        return Err(HttpError::NotFound);
    }
    tracing::info!(
        by = staff.member.email,
        product = id,
        path,
        "image uploaded"
    );
    state.image_renderer.notify_one();
    Ok(Redirect::to(&format!("/products/{id}?done=1")).into_response())
}

/// An image of the product, named by its path.
#[derive(Deserialize)]
struct ImageForm {
    #[serde(default)]
    path: String,
}

/// Removes an image (`action` = `remove`) or makes it the main one (`main`).
async fn change(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    Path((id, action)): Path<(i64, String)>,
    CsrfForm(form): CsrfForm<ImageForm>,
) -> Result<Response, HttpError> {
    let change = match action.as_str() {
        // The file stays: another product may show it, and old pages still link it.
        "remove" => ImageChange::Remove,
        "main" => ImageChange::MakeMain,
        _ => return Err(HttpError::NotFound),
    };
    if !state
        .store
        .change_product_image(ProductId(id), &form.path, change, &staff.actor())
        .await?
    {
        return Err(HttpError::NotFound);
    }
    Ok(Redirect::to(&format!("/products/{id}?done=1")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_bytes() {
        assert_eq!(
            image_extension(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            Some("jpg")
        );
        assert_eq!(
            image_extension(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some("png")
        );
        assert_eq!(image_extension(b"RIFF\x10\0\0\0WEBPVP8 "), Some("webp"));
        assert_eq!(
            image_extension(b"<svg xmlns='http://www.w3.org/2000/svg'>"),
            None
        );
        assert_eq!(image_extension(b"GIF89a"), None);
        assert_eq!(image_extension(b""), None);
        assert_eq!(image_extension(b"RIFF\x10\0\0\0WAVE"), None);
    }
}
