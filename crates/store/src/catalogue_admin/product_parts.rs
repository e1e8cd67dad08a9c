//! A product's images and variants, as staff add, reorder and remove them.

use async_trait::async_trait;
use comptoir_domain::ProductId;

use crate::Result;
use crate::staff::Actor;

/// What staff do to one of a product's images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageChange {
    Remove,
    /// Shown first, on listings too.
    MakeMain,
}

/// A variant staff add in the editor: what an import gives of one.
pub type NewVariant = crate::ImportedVariant;

/// How adding or removing a variant ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariantOutcome {
    Done,
    /// No such product, or no such variant of it.
    NotFound,
    /// Another variant has the SKU: nothing written.
    SkuTaken,
    /// A product keeps at least one variant.
    LastVariant,
    /// Orders name the variant: it stays (its stock can go to 0).
    Ordered,
}

/// A product's images and variants, as staff add and remove them.
#[async_trait]
pub trait ProductPartsStore: Send + Sync {
    /// Adds an image (a path under the media root) after the product's others;
    /// `false` if there is no such product.
    async fn add_product_image(&self, id: ProductId, path: &str, by: &Actor) -> Result<bool>;

    /// Takes an image off a product or makes it the main one; `false` if the
    /// product has no such image.
    async fn change_product_image(
        &self,
        id: ProductId,
        path: &str,
        change: ImageChange,
        by: &Actor,
    ) -> Result<bool>;

    /// Adds a variant (a size or colour) after the product's others, with its
    /// change-log entry and audit entry.
    async fn add_variant(
        &self,
        id: ProductId,
        variant: &NewVariant,
        by: &Actor,
    ) -> Result<VariantOutcome>;

    /// Removes a variant no order names, unless it is the product's last.
    async fn remove_variant(
        &self,
        id: ProductId,
        variant_id: i64,
        by: &Actor,
    ) -> Result<VariantOutcome>;
}

pub(crate) const ADD_IMAGE_SQL: &str = "INSERT INTO product_images (product_id, position, path) \
     SELECT $1, COALESCE(MAX(position) + 1, 0), $2 FROM product_images WHERE product_id = $1";
pub(crate) const REMOVE_IMAGE_SQL: &str =
    "DELETE FROM product_images WHERE product_id = $1 AND path = $2";
/// Puts an image before the product's others (positions may go below 0).
pub(crate) const MAKE_MAIN_IMAGE_SQL: &str = "UPDATE product_images SET position = \
     (SELECT MIN(position) - 1 FROM product_images WHERE product_id = $1) \
     WHERE product_id = $1 AND path = $2";
pub(crate) const PRODUCT_EXISTS_SQL: &str = "SELECT id FROM products WHERE id = $1";
pub(crate) const ADD_VARIANT_SQL: &str = "INSERT INTO variants \
     (product_id, sku, size, colour, stock, stock_policy, position) \
     SELECT $1, $2, $3, $4, $5, $6, COALESCE(MAX(position) + 1, 0) FROM variants WHERE product_id = $1";
/// A product with more than one variant is configurable (exports say so).
pub(crate) const BECOME_CONFIGURABLE_SQL: &str = "UPDATE products SET kind = 'configurable' \
     WHERE id = $1 AND (SELECT COUNT(*) FROM variants WHERE product_id = $1) > 1";
pub(crate) const PRODUCT_VARIANTS_SQL: &str =
    "SELECT id, sku FROM variants WHERE product_id = $1 ORDER BY position, id";
pub(crate) const VARIANT_ORDERED_SQL: &str =
    "SELECT variant_id FROM order_lines WHERE variant_id = $1 LIMIT 1";
pub(crate) const DELETE_VARIANT_SQL: &str =
    "DELETE FROM variants WHERE id = $1 AND product_id = $2";

/// Writes `impl ProductPartsStore for $store`, a backend's store type.
macro_rules! impl_product_parts_store {
    ($store:ty) => {
        const _: () = {
            use $crate::dialect::Dialect;

            type Db = <$store as Dialect>::Db;

            /// Whether product `id` exists, read in the transaction of a change to it.
            async fn product_exists(
                tx: &mut sqlx::Transaction<'static, Db>,
                id: comptoir_domain::ProductId,
            ) -> $crate::Result<bool> {
                let found: Option<i64> =
                    sqlx::query_scalar($crate::catalogue_admin::product_parts::PRODUCT_EXISTS_SQL)
                        .bind(id.0)
                        .fetch_optional(&mut **tx)
                        .await?;
                Ok(found.is_some())
            }

            #[async_trait::async_trait]
            impl $crate::catalogue_admin::ProductPartsStore for $store {
                async fn add_product_image(
                    &self,
                    id: comptoir_domain::ProductId,
                    path: &str,
                    by: &$crate::staff::Actor,
                ) -> $crate::Result<bool> {
                    use $crate::catalogue_admin::product_parts as admin;
                    let mut tx = self.begin_write().await?;
                    if !product_exists(&mut tx, id).await? {
                        return Ok(false);
                    }
                    sqlx::query(admin::ADD_IMAGE_SQL)
                        .bind(id.0)
                        .bind(path)
                        .execute(&mut *tx)
                        .await?;
                    Self::append_changes(&mut tx, $crate::ChangeKind::Product, &[id.0]).await?;
                    let after = serde_json::json!({ "image": path }).to_string();
                    Self::audit(
                        &mut tx,
                        by,
                        "product.image.add",
                        "product",
                        &id.0.to_string(),
                        None,
                        Some(after),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn change_product_image(
                    &self,
                    id: comptoir_domain::ProductId,
                    path: &str,
                    change: $crate::ImageChange,
                    by: &$crate::staff::Actor,
                ) -> $crate::Result<bool> {
                    use $crate::catalogue_admin::product_parts as admin;
                    let (sql, action) = match change {
                        $crate::ImageChange::Remove => {
                            (admin::REMOVE_IMAGE_SQL, "product.image.remove")
                        }
                        $crate::ImageChange::MakeMain => {
                            (admin::MAKE_MAIN_IMAGE_SQL, "product.image.main")
                        }
                    };
                    let mut tx = self.begin_write().await?;
                    let changed = sqlx::query(sql)
                        .bind(id.0)
                        .bind(path)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    if changed == 0 {
                        return Ok(false);
                    }
                    Self::append_changes(&mut tx, $crate::ChangeKind::Product, &[id.0]).await?;
                    let image = Some(serde_json::json!({ "image": path }).to_string());
                    let (before, after) = match change {
                        $crate::ImageChange::Remove => (image, None),
                        $crate::ImageChange::MakeMain => (None, image),
                    };
                    Self::audit(
                        &mut tx,
                        by,
                        action,
                        "product",
                        &id.0.to_string(),
                        before,
                        after,
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn add_variant(
                    &self,
                    id: comptoir_domain::ProductId,
                    variant: &$crate::NewVariant,
                    by: &$crate::staff::Actor,
                ) -> $crate::Result<$crate::VariantOutcome> {
                    use $crate::VariantOutcome;
                    use $crate::catalogue_admin::product_parts as admin;
                    let mut tx = self.begin_write().await?;
                    if !product_exists(&mut tx, id).await? {
                        return Ok(VariantOutcome::NotFound);
                    }
                    let added = sqlx::query(admin::ADD_VARIANT_SQL)
                        .bind(id.0)
                        .bind(variant.sku.as_str())
                        .bind(&variant.size)
                        .bind(&variant.colour)
                        .bind(variant.stock)
                        .bind(variant.stock_policy.as_str())
                        .execute(&mut *tx)
                        .await;
                    match added {
                        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                            return Ok(VariantOutcome::SkuTaken);
                        }
                        other => {
                            other?;
                        }
                    }
                    sqlx::query(admin::BECOME_CONFIGURABLE_SQL)
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await?;
                    Self::append_changes(&mut tx, $crate::ChangeKind::Product, &[id.0]).await?;
                    let after = serde_json::json!({
                        "variant": variant.sku.as_str(),
                        "size": variant.size,
                        "colour": variant.colour,
                        "stock": variant.stock,
                    });
                    Self::audit(
                        &mut tx,
                        by,
                        "product.variant.add",
                        "product",
                        &id.0.to_string(),
                        None,
                        Some(after.to_string()),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(VariantOutcome::Done)
                }

                async fn remove_variant(
                    &self,
                    id: comptoir_domain::ProductId,
                    variant_id: i64,
                    by: &$crate::staff::Actor,
                ) -> $crate::Result<$crate::VariantOutcome> {
                    use $crate::VariantOutcome;
                    use $crate::catalogue_admin::product_parts as admin;
                    let mut tx = self.begin_write().await?;
                    let variants: Vec<(i64, String)> = sqlx::query_as(admin::PRODUCT_VARIANTS_SQL)
                        .bind(id.0)
                        .fetch_all(&mut *tx)
                        .await?;
                    let Some((_, sku)) = variants.iter().find(|(v, _)| *v == variant_id) else {
                        return Ok(VariantOutcome::NotFound);
                    };
                    if variants.len() == 1 {
                        return Ok(VariantOutcome::LastVariant);
                    }
                    let ordered: Option<i64> = sqlx::query_scalar(admin::VARIANT_ORDERED_SQL)
                        .bind(variant_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if ordered.is_some() {
                        return Ok(VariantOutcome::Ordered);
                    }
                    sqlx::query(admin::DELETE_VARIANT_SQL)
                        .bind(variant_id)
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await?;
                    Self::append_changes(&mut tx, $crate::ChangeKind::Product, &[id.0]).await?;
                    let before = serde_json::json!({ "variant": sku }).to_string();
                    Self::audit(
                        &mut tx,
                        by,
                        "product.variant.remove",
                        "product",
                        &id.0.to_string(),
                        Some(before),
                        None,
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(VariantOutcome::Done)
                }
            }
        };
    };
}
pub(crate) use impl_product_parts_store;
