//! Magento's category tree (`catalog_category_entity` with its paths of ids),
//! each category with its store views' names, URL keys and meta texts. The tree's
//! roots (level 1, a store group's "Default Category") are not categories of the
//! shop: their children are Comptoir's top-level categories.

use std::collections::{HashMap, HashSet};

use comptoir_domain::slug::{is_url_key, slugify};
use comptoir_domain::{Locale, PageMeta, PerLocale};

use crate::eav::{Attributes, Values};
use crate::report::Report;
use crate::stores::Stores;
use crate::{MagentoDb, MagentoError};

/// A category of the old shop that is migrated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: u64,
    /// Its path of names below the root, in the default site's language
    /// (`Disfraces/Mujer`): how Comptoir's tree and the export name it.
    pub path: String,
    pub names: PerLocale<String>,
    pub url_keys: PerLocale<String>,
    pub meta: PerLocale<PageMeta>,
}

/// The categories to migrate, parents before children, siblings in Magento's
/// order; those left out are in the report.
#[derive(Debug, Default)]
pub struct CategoryTree {
    pub categories: Vec<Category>,
}

impl CategoryTree {
    /// Reads the tree. A category whose parent is missing, or that is inactive,
    /// is left out with those below it, each reported.
    pub async fn read(
        db: &mut MagentoDb,
        stores: &Stores,
        report: &mut Report,
    ) -> Result<CategoryTree, MagentoError> {
        let table = db.tables().name("catalog_category_entity");
        let rows: Vec<(u64, Vec<u8>, i64, i64)> = db
            .rows(
                "catalog_category_entity",
                &format!(
                    "SELECT CAST(entity_id AS UNSIGNED), CAST(path AS BINARY), CAST(position AS SIGNED), \
                     CAST(level AS SIGNED) FROM {table} \
                     ORDER BY level, position, entity_id"
                ),
            )
            .await?;
        let attributes = Attributes::read(db, "catalog_category").await?;
        let wanted: Vec<_> = [
            "name",
            "url_key",
            "is_active",
            "meta_title",
            "meta_description",
        ]
        .into_iter()
        .filter_map(|code| attributes.get(code))
        .collect();
        let values = Values::read(db, "catalog_category_entity", &wanted, true).await?;
        let value =
            |id: u64, code: &str, store: u64| values.of_store(id, attributes.get(code), store);
        // Each language's store view: the first that feeds its site.
        let store_of = |locale: Locale| {
            stores
                .mapped()
                .find(|(_, site)| *site == locale.site())
                .map(|(view, _)| view.id)
        };
        let localised = |id: u64, code: &str| {
            PerLocale::from_fn(|locale| {
                store_of(locale)
                    .and_then(|store| value(id, code, store))
                    .or_else(|| value(id, code, 0))
                    .unwrap_or_default()
                    .to_owned()
            })
        };
        let known: HashSet<u64> = rows.iter().map(|(id, ..)| *id).collect();
        // Migrated categories' paths by id; a category below one left out is left out.
        let mut paths: HashMap<u64, String> = HashMap::new();
        let mut left_out: HashSet<u64> = HashSet::new();
        let mut tree = CategoryTree::default();
        for (id, path, _position, level) in rows {
            if level < 2 {
                continue;
            }
            let ids: Vec<u64> = String::from_utf8_lossy(&path)
                .split('/')
                .filter_map(|id| id.parse().ok())
                .collect();
            let parent = ids.len().checked_sub(2).map(|at| ids[at]);
            let names = localised(id, "name");
            let entity = format!("category {id} ({})", names[store_locale(stores)]);
            if let Some(missing) = ids.iter().find(|id| !known.contains(id)) {
                report.problem(
                    &entity,
                    format!("its parent {missing} is missing: left out"),
                );
                left_out.insert(id);
                continue;
            }
            if let Some(parent) = parent.filter(|parent| left_out.contains(parent)) {
                report.problem(
                    &entity,
                    format!("its parent {parent} is left out: so is it"),
                );
                left_out.insert(id);
                continue;
            }
            if value(id, "is_active", 0) == Some("0") {
                report.note(&entity, "inactive in Magento: not migrated");
                left_out.insert(id);
                continue;
            }
            let own_name = names[store_locale(stores)].replace('/', "-");
            if own_name.trim().is_empty() {
                report.problem(&entity, "no name: left out".to_owned());
                left_out.insert(id);
                continue;
            }
            let path = match parent.and_then(|parent| paths.get(&parent)) {
                Some(parent_path) => format!("{parent_path}/{own_name}"),
                None => own_name,
            };
            let keys = localised(id, "url_key");
            let url_keys = PerLocale::from_fn(|locale| url_key(&keys[locale], &names[locale]));
            let meta = PerLocale::from_fn(|locale| PageMeta {
                title: store_of(locale)
                    .and_then(|store| value(id, "meta_title", store))
                    .or_else(|| value(id, "meta_title", 0))
                    .unwrap_or_default()
                    .to_owned(),
                description: store_of(locale)
                    .and_then(|store| value(id, "meta_description", store))
                    .or_else(|| value(id, "meta_description", 0))
                    .unwrap_or_default()
                    .to_owned(),
            });
            paths.insert(id, path.clone());
            tree.categories.push(Category {
                id,
                path,
                names,
                url_keys,
                meta,
            });
        }
        let counts = report.counts("categories");
        counts.read = tree.categories.len() + left_out.len();
        counts.skipped = left_out.len();
        Ok(tree)
    }

    /// The migrated category with Magento id `id`.
    pub fn get(&self, id: u64) -> Option<&Category> {
        self.categories.iter().find(|category| category.id == id)
    }
}

/// The language of the default site, whose names make categories' paths.
fn store_locale(stores: &Stores) -> Locale {
    stores.sites.default_site.locale()
}

/// A URL key Comptoir takes: Magento's own when it is one, else one made from
/// it or from the name.
fn url_key(magento: &str, name: &str) -> String {
    if is_url_key(magento) {
        return magento.to_owned();
    }
    [magento, name]
        .into_iter()
        .map(slugify)
        .find(|key| is_url_key(key))
        .unwrap_or_else(|| "category".to_owned())
}
