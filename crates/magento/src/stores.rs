//! Magento's store views, each feeding the Comptoir site `--store-sites` names.

use comptoir_domain::SiteCode;
use comptoir_import::magento_products::StoreSites;

use crate::{MagentoDb, MagentoError};

/// One of Magento's store views (`core_store`), the admin scope (id 0) aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreView {
    pub id: u64,
    pub code: String,
    pub website_id: u64,
    /// The site it feeds; `None`: left out (reported).
    pub site: Option<SiteCode>,
}

/// The shop's store views and the sites they feed.
#[derive(Debug, Clone)]
pub struct Stores {
    pub views: Vec<StoreView>,
    pub sites: StoreSites,
}

impl Stores {
    /// Reads the store views and maps them with `given` (`--store-sites`), in
    /// which a store code the shop lacks is an error naming it and the codes the
    /// shop has; without, with [`StoreSites::default`] (`default` and `es` to
    /// Spain, `fr`, `pt`, `it`), whichever of its codes the shop has.
    pub async fn read(
        db: &mut MagentoDb,
        given: Option<&StoreSites>,
    ) -> Result<Stores, MagentoError> {
        let sites = given.cloned().unwrap_or_default();
        let table = db.tables().name("core_store");
        let rows: Vec<(u64, Vec<u8>, u64)> = db
            .rows(
                "core_store",
                &format!(
                    "SELECT CAST(store_id AS UNSIGNED), CAST(code AS BINARY), \
                     CAST(website_id AS UNSIGNED) FROM {table} \
                     WHERE store_id <> 0 ORDER BY sort_order, store_id"
                ),
            )
            .await?;
        let views: Vec<StoreView> = rows
            .into_iter()
            .map(|(id, code, website_id)| {
                let code = String::from_utf8_lossy(&code).into_owned();
                StoreView {
                    id,
                    site: sites.site_of(&code),
                    code,
                    website_id,
                }
            })
            .collect();
        let mut unknown: Vec<&str> = given
            .iter()
            .flat_map(|given| given.stores.keys())
            .map(String::as_str)
            .filter(|code| {
                !views
                    .iter()
                    .any(|view| view.code.eq_ignore_ascii_case(code))
            })
            .collect();
        unknown.sort_unstable();
        if !unknown.is_empty() {
            let known: Vec<&str> = views.iter().map(|view| view.code.as_str()).collect();
            return Err(MagentoError::Stores(format!(
                "--store-sites names the store code{} {} which the Magento shop lacks (it has: {})",
                if unknown.len() > 1 { "s" } else { "" },
                unknown.join(", "),
                known.join(", ")
            )));
        }
        Ok(Stores { views, sites })
    }

    /// The store views that feed a site.
    pub fn mapped(&self) -> impl Iterator<Item = (&StoreView, SiteCode)> {
        self.views
            .iter()
            .filter_map(|view| view.site.map(|site| (view, site)))
    }

    /// The site store view `id` feeds (the admin scope, 0, is the default site's).
    pub fn site_of(&self, id: u64) -> Option<SiteCode> {
        if id == 0 {
            return Some(self.sites.default_site);
        }
        self.views
            .iter()
            .find(|view| view.id == id)
            .and_then(|view| view.site)
    }

    /// Store views no site takes, by code.
    pub fn left_out(&self) -> impl Iterator<Item = &StoreView> {
        self.views.iter().filter(|view| view.site.is_none())
    }
}
