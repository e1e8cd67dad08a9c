//! Product image renditions. Staff upload originals of any size (up to 5 MB) and
//! imports name files copied into the media folder; shoppers get each resized to
//! [`comptoir_domain::image::RENDITION_WIDTHS`], in JPEG and lossy WebP, named by the original's content hash
//! so browsers and proxies keep them for good.
//!
//! Resizing is slow (tens to hundreds of milliseconds an image) and never runs on a
//! request: the back office renders an upload right after storing it, and
//! [`follow`] renders whatever an import or a restart left behind.

pub mod demo;
mod render;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use comptoir_store::ImageStore;
use tokio::sync::Notify;

pub use render::{RenderError, Rendered, check, render};

/// Images rendered per round of [`render_pending`] before asking for more.
const BATCH: u32 = 20;
/// A failed image (a file not copied to the media folder yet) is tried again after
/// this long.
const RETRY_FAILED_AFTER: chrono::Duration = chrono::Duration::hours(1);

/// Why rendering the pending images stopped.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error(transparent)]
    Store(#[from] comptoir_store::StoreError),
    #[error("cannot write renditions in {folder}: {source}")]
    Write {
        folder: PathBuf,
        source: std::io::Error,
    },
}

/// Renders the image stored at `path` (as product images name it: `media/…`) under
/// `media_dir`, writes its renditions there and records the outcome. A file that is
/// missing or not an image is recorded as a failure (tried again later), not an
/// error; only what stops every image (the store, a full disk) is.
pub async fn render_one(
    store: &dyn ImageStore,
    media_dir: &Path,
    path: &str,
) -> Result<bool, MediaError> {
    let rendered = match tokio::fs::read(file_of(media_dir, path)).await {
        Ok(bytes) => tokio::task::spawn_blocking(move || render(&bytes))
            .await
            .unwrap_or_else(|panic| Err(RenderError::Crashed(panic.to_string()))),
        Err(error) => Err(RenderError::Unreadable(error.to_string())),
    };
    match rendered {
        Ok(rendered) => {
            let files = rendered.files.iter();
            write(
                media_dir,
                files.map(|(name, bytes)| (name.as_str(), bytes.as_slice())),
            )
            .await?;
            store
                .record_rendition(path, Ok(&rendered.rendition))
                .await?;
            Ok(true)
        }
        Err(failure) => {
            tracing::warn!(path, %failure, "image not rendered");
            store
                .record_rendition(path, Err(&failure.to_string()))
                .await?;
            Ok(false)
        }
    }
}

/// Renders every image of a product that has no renditions yet; how many were
/// rendered.
pub async fn render_pending(store: &dyn ImageStore, media_dir: &Path) -> Result<u64, MediaError> {
    let mut rendered = 0;
    loop {
        let retry_before = chrono::Utc::now() - RETRY_FAILED_AFTER;
        let paths = store.images_to_render(retry_before, BATCH).await?;
        if paths.is_empty() {
            return Ok(rendered);
        }
        for path in &paths {
            rendered += u64::from(render_one(store, media_dir, path).await?);
        }
        if paths.len() < BATCH as usize {
            return Ok(rendered);
        }
    }
}

/// Renders pending images forever: when `wake` is notified (an upload, an import)
/// and every `interval` otherwise.
pub async fn follow(
    store: Arc<dyn ImageStore>,
    media_dir: PathBuf,
    wake: Arc<Notify>,
    interval: Duration,
) {
    loop {
        match render_pending(store.as_ref(), &media_dir).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "images rendered"),
            Err(error) => tracing::error!(%error, "rendering images failed"),
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(interval) => {}
        }
    }
}

/// The file of an image stored at `path` (as product images name it: `media/…`).
fn file_of(media_dir: &Path, path: &str) -> PathBuf {
    media_dir.join(path.strip_prefix("media/").unwrap_or(path))
}

/// Writes each file (named relative to `media_dir`) through a temporary file, so a
/// reader never sees half one.
async fn write<'a>(
    media_dir: &Path,
    files: impl Iterator<Item = (&'a str, &'a [u8])>,
) -> Result<(), MediaError> {
    let failed = |source| MediaError::Write {
        folder: media_dir.to_owned(),
        source,
    };
    for (name, bytes) in files {
        let target = file_of(media_dir, name);
        if let Some(folder) = target.parent() {
            tokio::fs::create_dir_all(folder).await.map_err(failed)?;
        }
        let partial = target.with_extension("partial");
        tokio::fs::write(&partial, bytes).await.map_err(failed)?;
        tokio::fs::rename(&partial, &target).await.map_err(failed)?;
    }
    Ok(())
}
