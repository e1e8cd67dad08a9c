//! Old URLs (of the shop Comptoir replaced, or of a product or category renamed
//! since) and what they stand for now, so that links and search rankings survive.

use async_trait::async_trait;
use comptoir_domain::{CategoryId, ProductId, SiteCode};

use crate::Result;

/// What an old URL stands for now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OldUrlTarget {
    Product(ProductId),
    Category(CategoryId),
}

/// Where old URLs lead.
#[async_trait]
pub trait RedirectStore: Send + Sync {
    /// What an old URL (of a site, without its leading slash) stands for now.
    async fn redirect_target(&self, site: SiteCode, path: &str) -> Result<Option<OldUrlTarget>>;

    /// The categories old URLs starting with `prefix` lead to, on any site, with
    /// those URLs (`catalog/category/view/id/7`: what a Magento migration recorded).
    async fn category_redirects_under(&self, prefix: &str) -> Result<Vec<(String, CategoryId)>>;
}

/// A product's old URL first, then a category's (a path both had is the product's).
pub(crate) const REDIRECT_SQL: &str = "SELECT product_id, NULL AS category_id FROM url_redirects \
     WHERE site = $1 AND path = $2 \
     UNION ALL SELECT NULL, category_id FROM category_redirects WHERE site = $1 AND path = $2";

pub(crate) const CATEGORY_REDIRECTS_UNDER_SQL: &str = "SELECT DISTINCT path, category_id FROM category_redirects WHERE substr(path, 1, length($1)) = $1";

/// Writes `impl RedirectStore for $store`, a backend's store type.
macro_rules! impl_redirect_store {
    ($store:ty) => {
        const _: () = {
            use $crate::dialect::Dialect;

            #[async_trait::async_trait]
            impl $crate::redirects::RedirectStore for $store {
                async fn redirect_target(
                    &self,
                    site: comptoir_domain::SiteCode,
                    path: &str,
                ) -> $crate::Result<Option<$crate::OldUrlTarget>> {
                    let found: Vec<(Option<i64>, Option<i64>)> =
                        sqlx::query_as($crate::redirects::REDIRECT_SQL)
                            .bind(site.as_str())
                            .bind(path)
                            .fetch_all(self.pool())
                            .await?;
                    let product = found.iter().find_map(|(product, _)| *product);
                    let category = found.iter().find_map(|(_, category)| *category);
                    Ok(product
                        .map(|id| $crate::OldUrlTarget::Product(comptoir_domain::ProductId(id)))
                        .or(category.map(|id| {
                            $crate::OldUrlTarget::Category(comptoir_domain::CategoryId(id))
                        })))
                }

                async fn category_redirects_under(
                    &self,
                    prefix: &str,
                ) -> $crate::Result<Vec<(String, comptoir_domain::CategoryId)>> {
                    let rows: Vec<(String, i64)> =
                        sqlx::query_as($crate::redirects::CATEGORY_REDIRECTS_UNDER_SQL)
                            .bind(prefix)
                            .fetch_all(self.pool())
                            .await?;
                    Ok(rows
                        .into_iter()
                        .map(|(path, id)| (path, comptoir_domain::CategoryId(id)))
                        .collect())
                }
            }
        };
    };
}
pub(crate) use impl_redirect_store;
