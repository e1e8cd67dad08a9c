//! Every old URL of the shop (`core_url_rewrite`) and what it showed: a product
//! (alone, or under a category path like `disfraces/mujer/disfraz-bruja.html`), a
//! category, or, for a custom rewrite, whatever its target shows (followed
//! through other rewrites and Magento's system paths).

use std::collections::HashMap;

use comptoir_domain::SiteCode;

use crate::report::Report;
use crate::stores::Stores;
use crate::{MagentoDb, MagentoError};

/// What an old URL showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shown {
    Product(u64),
    Category(u64),
}

/// An old URL of a site and what it showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldUrl {
    pub site: SiteCode,
    /// Without its leading slash.
    pub path: String,
    pub shown: Shown,
}

/// A row of `core_url_rewrite` as stored: its paths as bytes, which may not be
/// UTF-8.
#[derive(sqlx::FromRow)]
struct StoredRewrite {
    id: u64,
    store: u64,
    request: Option<Vec<u8>>,
    target: Option<Vec<u8>>,
    product: Option<u64>,
    category: Option<u64>,
}

/// A row of `core_url_rewrite`.
struct Rewrite {
    id: u64,
    store: u64,
    request: String,
    target: String,
    product: Option<u64>,
    category: Option<u64>,
}

/// Custom rewrites followed through at most this many others.
const HOPS: usize = 5;

/// Reads the rewrites of the store views that feed a site and resolves each; one
/// that leads nowhere Comptoir can follow (an outside address, a path no rewrite
/// or system path shows) is reported.
pub async fn read(
    db: &mut MagentoDb,
    stores: &Stores,
    report: &mut Report,
) -> Result<Vec<OldUrl>, MagentoError> {
    let table = db.tables().name("core_url_rewrite");
    let rows: Vec<StoredRewrite> = db
        .rows(
            "core_url_rewrite",
            &format!(
                "SELECT CAST(url_rewrite_id AS UNSIGNED) AS id, CAST(store_id AS UNSIGNED) AS store, \
                 CAST(request_path AS BINARY) AS request, CAST(target_path AS BINARY) AS target, \
                 CAST(product_id AS UNSIGNED) AS product, \
                 CAST(category_id AS UNSIGNED) AS category FROM {table} \
                 ORDER BY url_rewrite_id"
            ),
        )
        .await?;
    let mut rewrites = Vec::with_capacity(rows.len());
    for row in rows {
        let StoredRewrite {
            id,
            store,
            product,
            category,
            ..
        } = row;
        let (Ok(request), Ok(target)) = (crate::text(row.request), crate::text(row.target)) else {
            report.problem(
                &format!("URL rewrite {id}"),
                "its path is not UTF-8 text: left out".to_owned(),
            );
            continue;
        };
        rewrites.push(Rewrite {
            id,
            store,
            request: request.trim_start_matches('/').to_owned(),
            target: target.trim_start_matches('/').to_owned(),
            product,
            category,
        });
    }
    let by_request: HashMap<(u64, &str), &Rewrite> = rewrites
        .iter()
        .map(|rewrite| ((rewrite.store, rewrite.request.as_str()), rewrite))
        .collect();
    let mut old = Vec::new();
    for rewrite in &rewrites {
        let Some(site) = stores.site_of(rewrite.store).filter(|_| rewrite.store != 0) else {
            continue;
        };
        if rewrite.request.is_empty() {
            continue;
        }
        match resolve(rewrite, &by_request) {
            Some(shown) => old.push(OldUrl {
                site,
                path: rewrite.request.clone(),
                shown,
            }),
            None => report.problem(
                &format!("URL rewrite {} ({})", rewrite.id, rewrite.request),
                format!(
                    "leads to '{}', which shows no product or category: left out",
                    rewrite.target
                ),
            ),
        }
    }
    Ok(old)
}

/// What a rewrite shows: its own product or category, else its target's.
fn resolve(rewrite: &Rewrite, by_request: &HashMap<(u64, &str), &Rewrite>) -> Option<Shown> {
    let mut current = rewrite;
    for _ in 0..HOPS {
        if let Some(product) = current.product {
            return Some(Shown::Product(product));
        }
        if let Some(category) = current.category {
            return Some(Shown::Category(category));
        }
        if let Some(shown) = system_path(&current.target) {
            return Some(shown);
        }
        let target = current.target.split(['?', '#']).next().unwrap_or_default();
        current = by_request.get(&(current.store, target))?;
    }
    None
}

/// Where Magento's own path of a category starts; its id follows.
pub const CATEGORY_SYSTEM_PATH: &str = "catalog/category/view/id/";

/// What one of Magento's own paths shows: `catalog/product/view/id/10` (with
/// `/category/4` or not), `catalog/category/view/id/4`.
pub fn system_path(path: &str) -> Option<Shown> {
    let path = path.trim_matches('/');
    let id = |rest: &str| rest.split('/').next()?.parse::<u64>().ok();
    if let Some(rest) = path.strip_prefix("catalog/product/view/id/") {
        return id(rest).map(Shown::Product);
    }
    if let Some(rest) = path.strip_prefix(CATEGORY_SYSTEM_PATH) {
        return id(rest).map(Shown::Category);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(id: u64, request: &str, target: &str) -> Rewrite {
        Rewrite {
            id,
            store: 1,
            request: request.to_owned(),
            target: target.to_owned(),
            product: None,
            category: None,
        }
    }

    #[test]
    fn system_paths_name_what_they_show() {
        assert_eq!(
            system_path("catalog/product/view/id/10/category/4"),
            Some(Shown::Product(10))
        );
        assert_eq!(
            system_path("/catalog/category/view/id/4"),
            Some(Shown::Category(4))
        );
        assert_eq!(system_path("catalog/product/view/id/x"), None);
        assert_eq!(system_path("disfraces.html"), None);
    }

    #[test]
    fn custom_rewrites_are_followed_to_what_they_show() {
        let product = Rewrite {
            product: Some(10),
            ..rewrite(1, "disfraz-bruja.html", "catalog/product/view/id/10")
        };
        let custom = rewrite(2, "bruja-2019.html", "disfraz-bruja.html");
        let chained = rewrite(3, "bruja.html", "bruja-2019.html?utm=x");
        let loop_a = rewrite(4, "a.html", "b.html");
        let loop_b = rewrite(5, "b.html", "a.html");
        let outside = rewrite(6, "blog.html", "https://blog.example/");
        let all = [&product, &custom, &chained, &loop_a, &loop_b, &outside];
        let by_request: HashMap<(u64, &str), &Rewrite> = all
            .iter()
            .map(|r| ((r.store, r.request.as_str()), *r))
            .collect();
        assert_eq!(resolve(&custom, &by_request), Some(Shown::Product(10)));
        assert_eq!(resolve(&chained, &by_request), Some(Shown::Product(10)));
        assert_eq!(resolve(&loop_a, &by_request), None);
        assert_eq!(resolve(&outside, &by_request), None);
    }
}
