//! The catalogue as the shop reads it: loaded whole into each replica's snapshot,
//! then kept current from the change log; and the two writes every node may make
//! outside the back office (a price, a stock count).

use std::sync::Arc;

use async_trait::async_trait;
use comptoir_domain::price_history::ReferencePrices;
use comptoir_domain::{Catalogue, Money, Product, ProductId, SiteCode, Sku};

use crate::change_log::{CatalogueChange, ChangePosition, ModificationTimes};
use crate::images::Renditions;
use crate::{Progress, Result};

/// A catalogue as loaded, and the change-log position it reflects: a reader applies
/// the changes after `position` to keep it current.
#[derive(Debug, Clone)]
pub struct CatalogueSnapshot {
    pub catalogue: Catalogue,
    pub position: ChangePosition,
}

/// The catalogue, as replicas load and follow it.
#[async_trait]
pub trait CatalogueStore: Send + Sync {
    /// Notified when a change other than stock is appended to the change log, so
    /// followers can catch up before their next poll; `None` when the backend cannot
    /// tell (they poll alone). A lost wake-up only delays: the log stays the truth.
    fn change_wakeups(&self) -> Option<Arc<tokio::sync::Notify>>;

    /// Whether the catalogue has no product at all (a fresh database).
    async fn catalogue_is_empty(&self) -> Result<bool>;

    /// Replaces the whole catalogue in one transaction (the demo seed): readers see
    /// the old catalogue or the new one, never a mix, and a `reset` change. Orders go
    /// with the catalogue they refer to: this is for demo databases.
    async fn replace_catalogue(&self, catalogue: &Catalogue, progress: Progress<'_>) -> Result<()>;

    /// The whole catalogue and the change-log position it reflects, read from one
    /// consistent snapshot.
    async fn load_catalogue(&self) -> Result<CatalogueSnapshot>;

    /// The catalogue without its products (categories, attribute options) and the
    /// change-log position it reflects: for a reader that has the products already.
    async fn load_structure(&self) -> Result<CatalogueSnapshot>;

    /// The given products as they are now; ids that no longer exist are left out.
    async fn load_products(&self, ids: &[ProductId]) -> Result<Vec<Product>>;

    /// The reference price of each reduction announced among the products `ids`
    /// (every product when `None`), from the offers' price history.
    async fn reference_prices(&self, ids: Option<&[ProductId]>) -> Result<ReferencePrices>;

    /// The renditions of the images of products `ids` (every product when `None`).
    async fn renditions(&self, ids: Option<&[ProductId]>) -> Result<Renditions>;

    /// When each product last changed in more than its stock, from the change log.
    async fn modification_times(&self) -> Result<ModificationTimes>;

    /// Up to `limit` changes after `position`, oldest first.
    async fn changes_after(
        &self,
        position: ChangePosition,
        limit: u32,
    ) -> Result<Vec<CatalogueChange>>;

    /// Sets a product's regular shelf price (VAT included) on a site.
    async fn set_price(&self, product: &Sku, site: SiteCode, price: Money) -> Result<()>;

    /// Sets the stock on hand of a variant (a count from the warehouse).
    async fn set_stock(&self, variant: &Sku, quantity: i32) -> Result<()>;
}

pub(crate) const ANY_PRODUCT_SQL: &str = "SELECT EXISTS (SELECT 1 FROM products)";
pub(crate) const SET_PRICE_SQL: &str = "UPDATE product_sites SET price_cents = $3 \
     WHERE site = $2 AND product_id = (SELECT id FROM products WHERE sku = $1) \
     RETURNING product_id";
/// The history of every offer with a sale price, as [`crate::rows::reference_prices`]
/// reads it.
macro_rules! select_offer_history {
    () => {
        "SELECT h.product_id, h.site, h.valid_from, h.price_cents, h.sale_price_cents, \
         h.sale_starts_at, h.sale_ends_at FROM offer_history h \
         JOIN product_sites ps ON ps.product_id = h.product_id AND ps.site = h.site \
         WHERE ps.sale_price_cents IS NOT NULL"
    };
}
macro_rules! offer_history_order {
    () => {
        " ORDER BY h.product_id, h.site, h.valid_from"
    };
}
pub(crate) const OFFER_HISTORY_ORDER: &str = offer_history_order!();
pub(crate) const ALL_OFFER_HISTORY_SQL: &str =
    concat!(select_offer_history!(), offer_history_order!());
pub(crate) const SOME_OFFER_HISTORY_SQL: &str =
    concat!(select_offer_history!(), " AND h.product_id IN (");
/// Products one statement reads rows of, well under both backends' bind limits.
pub(crate) const IDS_PER_STATEMENT: usize = 10_000;

/// The rows `$row` of `$all` (every product) or, for `Some(ids)`, of `$some`
/// followed by the ids and `$tail`, read in one snapshot transaction.
macro_rules! rows_of_products {
    ($store:expr, $ids:expr, $row:ty, $all:expr, $some:expr, $tail:expr) => {{
        let mut tx = $store.begin_snapshot().await?;
        let rows: Vec<$row> = match $ids {
            None => sqlx::query_as($all).fetch_all(&mut *tx).await?,
            Some(ids) => {
                let mut rows = Vec::new();
                for chunk in ids.chunks($crate::catalogue::IDS_PER_STATEMENT) {
                    let mut query = Self::listed($some, chunk.iter().map(|id| id.0));
                    query.push($tail);
                    rows.extend(query.build_query_as().fetch_all(&mut *tx).await?);
                }
                rows
            }
        };
        tx.commit().await?;
        rows
    }};
}
pub(crate) use rows_of_products;
pub(crate) const SET_STOCK_SQL: &str =
    "UPDATE variants SET stock = $2 WHERE sku = $1 RETURNING product_id";

/// Writes `impl CatalogueStore for $store`, a backend's store type.
macro_rules! impl_catalogue_store {
    ($store:ty) => {
        const _: () = {
            use std::sync::Arc;

            use comptoir_domain::price_history::ReferencePrices;
            use comptoir_domain::{Catalogue, Money, Product, ProductId, SiteCode, Sku};

            use $crate::images::Renditions;

            use $crate::catalogue::{self as sql, CatalogueSnapshot, CatalogueStore};
            use $crate::change_log::{
                CatalogueChange, ChangeKind, ChangePosition, ModificationTimes,
            };
            use $crate::dialect::Dialect;
            use $crate::{Progress, Result, StoreError};

            #[async_trait::async_trait]
            impl CatalogueStore for $store {
                fn change_wakeups(&self) -> Option<Arc<tokio::sync::Notify>> {
                    Dialect::change_wakeups(self)
                }

                async fn catalogue_is_empty(&self) -> Result<bool> {
                    let any: bool = sqlx::query_scalar(sql::ANY_PRODUCT_SQL)
                        .fetch_one(self.pool())
                        .await?;
                    Ok(!any)
                }

                async fn replace_catalogue(
                    &self,
                    catalogue: &Catalogue,
                    progress: Progress<'_>,
                ) -> Result<()> {
                    self.bulk_replace_catalogue(catalogue, progress).await
                }

                async fn load_catalogue(&self) -> Result<CatalogueSnapshot> {
                    self.read_catalogue(true).await
                }

                async fn load_structure(&self) -> Result<CatalogueSnapshot> {
                    self.read_catalogue(false).await
                }

                async fn load_products(&self, ids: &[ProductId]) -> Result<Vec<Product>> {
                    let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
                    let mut tx = self.begin_snapshot().await?;
                    let products = Self::products_in(&mut tx, &ids).await?;
                    tx.commit().await?;
                    Ok(products)
                }

                async fn reference_prices(
                    &self,
                    ids: Option<&[ProductId]>,
                ) -> Result<ReferencePrices> {
                    let rows = sql::rows_of_products!(
                        self,
                        ids,
                        $crate::rows::OfferVersionRow,
                        sql::ALL_OFFER_HISTORY_SQL,
                        sql::SOME_OFFER_HISTORY_SQL,
                        sql::OFFER_HISTORY_ORDER
                    );
                    $crate::rows::reference_prices(rows)
                }

                async fn renditions(&self, ids: Option<&[ProductId]>) -> Result<Renditions> {
                    let rows = sql::rows_of_products!(
                        self,
                        ids,
                        $crate::images::RenditionRow,
                        $crate::images::ALL_RENDITIONS_SQL,
                        $crate::images::SOME_RENDITIONS_SQL,
                        ""
                    );
                    Ok($crate::images::renditions(rows))
                }

                async fn modification_times(&self) -> Result<ModificationTimes> {
                    let rows: Vec<$crate::rows::ModifiedRow> =
                        sqlx::query_as($crate::rows::PRODUCTS_MODIFIED_SQL)
                            .fetch_all(&self.pool)
                            .await?;
                    let catalogue_replaced = sqlx::query_scalar($crate::rows::LAST_RESET_SQL)
                        .fetch_one(&self.pool)
                        .await?;
                    Ok(ModificationTimes {
                        products: rows
                            .into_iter()
                            .map(|row| (ProductId(row.product_id), row.changed_at))
                            .collect(),
                        catalogue_replaced,
                    })
                }

                async fn changes_after(
                    &self,
                    position: ChangePosition,
                    limit: u32,
                ) -> Result<Vec<CatalogueChange>> {
                    self.committed_changes_after(position, limit).await
                }

                async fn set_price(
                    &self,
                    product: &Sku,
                    site: SiteCode,
                    price: Money,
                ) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    let id: Option<i64> = sqlx::query_scalar(sql::SET_PRICE_SQL)
                        .bind(product.as_str())
                        .bind(site.as_str())
                        .bind(price.cents())
                        .fetch_optional(&mut *tx)
                        .await?;
                    let id = id.ok_or_else(|| {
                        StoreError::NotFound(format!("product {product} on site {site}"))
                    })?;
                    Self::append_changes(&mut tx, ChangeKind::Price, &[id]).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn set_stock(&self, variant: &Sku, quantity: i32) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    let id: Option<i64> = sqlx::query_scalar(sql::SET_STOCK_SQL)
                        .bind(variant.as_str())
                        .bind(quantity)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let id =
                        id.ok_or_else(|| StoreError::NotFound(format!("variant {variant}")))?;
                    Self::append_changes(&mut tx, ChangeKind::Stock, &[id]).await?;
                    tx.commit().await?;
                    Ok(())
                }
            }
        };
    };
}
pub(crate) use impl_catalogue_store;
