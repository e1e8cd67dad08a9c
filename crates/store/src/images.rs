//! Product images' renditions: which images still need resizing and what resizing
//! each gave (replicas read the renditions with the catalogue).

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use comptoir_domain::image::Rendition;

use crate::Result;

/// The renditions of product images, by the image's path.
pub type Renditions = HashMap<String, Rendition>;

#[async_trait]
pub trait ImageStore: Send + Sync {
    /// Up to `limit` images of products, in the media folder, never resized, or
    /// whose resizing failed before `retry_failed_before` (a file copied since).
    async fn images_to_render(
        &self,
        retry_failed_before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<String>>;

    /// Records what resizing the image at `path` gave, and logs a change of every
    /// product showing it, so replicas serve the renditions.
    async fn record_rendition(
        &self,
        path: &str,
        outcome: std::result::Result<&Rendition, &str>,
    ) -> Result<()>;
}

pub(crate) const IMAGES_TO_RENDER_SQL: &str = "SELECT DISTINCT i.path FROM product_images i \
     LEFT JOIN image_renditions r ON r.path = i.path \
     WHERE i.path LIKE 'media/%' AND (r.path IS NULL OR (r.failure IS NOT NULL AND r.rendered_at < $1)) \
     ORDER BY i.path LIMIT $2";
pub(crate) const RECORD_RENDITION_SQL: &str = "INSERT INTO image_renditions \
     (path, content_hash, width, height, failure, rendered_at) VALUES ($1, $2, $3, $4, $5, $6) \
     ON CONFLICT (path) DO UPDATE SET content_hash = excluded.content_hash, width = excluded.width, \
     height = excluded.height, failure = excluded.failure, rendered_at = excluded.rendered_at";
pub(crate) const PRODUCTS_SHOWING_SQL: &str =
    "SELECT DISTINCT product_id FROM product_images WHERE path = $1";
macro_rules! select_renditions {
    () => {
        "SELECT DISTINCT r.path, r.content_hash, r.width, r.height FROM image_renditions r \
         JOIN product_images i ON i.path = r.path WHERE r.content_hash IS NOT NULL"
    };
}
pub(crate) const ALL_RENDITIONS_SQL: &str = select_renditions!();
pub(crate) const SOME_RENDITIONS_SQL: &str =
    concat!(select_renditions!(), " AND i.product_id IN (");

/// A row of [`select_renditions`].
#[derive(sqlx::FromRow)]
pub(crate) struct RenditionRow {
    path: String,
    content_hash: String,
    width: i32,
    height: i32,
}

pub(crate) fn renditions(rows: Vec<RenditionRow>) -> Renditions {
    rows.into_iter()
        .map(|row| {
            let rendition = Rendition {
                hash: row.content_hash,
                width: row.width.max(1) as u32,
                height: row.height.max(1) as u32,
            };
            (row.path, rendition)
        })
        .collect()
}

/// Writes `impl ImageStore for $store`, a backend's store type.
macro_rules! impl_image_store {
    ($store:ty) => {
        const _: () = {
            use chrono::{DateTime, Utc};
            use comptoir_domain::image::Rendition;

            use $crate::Result;
            use $crate::change_log::ChangeKind;
            use $crate::dialect::Dialect;
            use $crate::images::{self as sql, ImageStore};

            #[async_trait::async_trait]
            impl ImageStore for $store {
                async fn images_to_render(
                    &self,
                    retry_failed_before: DateTime<Utc>,
                    limit: u32,
                ) -> Result<Vec<String>> {
                    Ok(sqlx::query_scalar(sql::IMAGES_TO_RENDER_SQL)
                        .bind(retry_failed_before)
                        .bind(i64::from(limit))
                        .fetch_all(self.pool())
                        .await?)
                }

                async fn record_rendition(
                    &self,
                    path: &str,
                    outcome: std::result::Result<&Rendition, &str>,
                ) -> Result<()> {
                    let (hash, width, height, failure) = match outcome {
                        Ok(rendition) => (
                            Some(rendition.hash.as_str()),
                            Some(rendition.width as i32),
                            Some(rendition.height as i32),
                            None,
                        ),
                        Err(failure) => (None, None, None, Some(failure)),
                    };
                    let mut tx = self.begin_write().await?;
                    sqlx::query(sql::RECORD_RENDITION_SQL)
                        .bind(path)
                        .bind(hash)
                        .bind(width)
                        .bind(height)
                        .bind(failure)
                        .bind(Utc::now())
                        .execute(&mut *tx)
                        .await?;
                    if outcome.is_ok() {
                        let products: Vec<i64> = sqlx::query_scalar(sql::PRODUCTS_SHOWING_SQL)
                            .bind(path)
                            .fetch_all(&mut *tx)
                            .await?;
                        Self::append_changes(&mut tx, ChangeKind::Product, &products).await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }
            }
        };
    };
}
pub(crate) use impl_image_store;
