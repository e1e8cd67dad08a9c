//! The category tree as staff edit it: add, rename, move, reorder, switch off, and
//! delete an empty category. Every change is a `category` change in the log, so
//! every replica reloads the tree.

use async_trait::async_trait;
use comptoir_domain::{Category, CategoryId, Locale, PageMeta, PerLocale};
use serde_json::json;

use crate::Result;
use crate::staff::Actor;

/// A category as the editor saves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryEdit {
    /// `None` for a new category.
    pub id: Option<CategoryId>,
    /// `None` for a top-level category.
    pub parent: Option<CategoryId>,
    /// Order among its siblings (smaller first).
    pub position: i32,
    pub enabled: bool,
    pub hygiene_sealed: bool,
    pub names: PerLocale<String>,
    pub url_keys: PerLocale<String>,
    pub meta: PerLocale<PageMeta>,
}

/// How a category change ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CategoryOutcome {
    Saved(CategoryId),
    Deleted,
    /// A sibling already has this URL key in this language: nothing written.
    KeyTaken(Locale),
    /// The parent does not exist, or is the category itself or one below it.
    InvalidParent,
    /// Only an empty category (no subcategory, no product) can be deleted.
    NotEmpty,
    NotFound,
}

/// A category for pickers: its Spanish name, its depth in the tree, and its path
/// from the root (`Disfraces/Adultos`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryChoice {
    pub id: i64,
    pub name: String,
    pub depth: usize,
    pub path: String,
}

/// The category tree, as staff edit it.
#[async_trait]
pub trait CategoryAdminStore: Send + Sync {
    /// Every category, parents before their children, with Spanish names.
    async fn category_choices(&self) -> Result<Vec<CategoryChoice>>;

    /// Every category's id by its path from the root (`Pelucas/Pelucas de colores`),
    /// as import files name them.
    async fn category_paths(&self) -> Result<std::collections::HashMap<String, CategoryId>> {
        Ok(self
            .category_choices()
            .await?
            .into_iter()
            .map(|choice| (choice.path, CategoryId(choice.id)))
            .collect())
    }

    /// The whole category tree, every language.
    async fn all_categories(&self) -> Result<Vec<Category>>;

    /// Creates or changes a category, checking its parent and its siblings' keys.
    async fn save_category(&self, edit: &CategoryEdit, by: &Actor) -> Result<CategoryOutcome>;

    /// Deletes a category with neither subcategories nor products.
    async fn delete_category(&self, id: CategoryId, by: &Actor) -> Result<CategoryOutcome>;
}

/// What the audit log keeps of a category.
pub(crate) fn audited(category: &CategoryEdit) -> String {
    let texts = |values: &PerLocale<String>| {
        Locale::ALL
            .into_iter()
            .map(|locale| (locale.as_str().to_owned(), json!(values[locale])))
            .collect::<serde_json::Map<_, _>>()
    };
    json!({
        "parent": category.parent.map(|p| p.0),
        "position": category.position,
        "enabled": category.enabled,
        "hygiene_sealed": category.hygiene_sealed,
        "names": texts(&category.names),
        "url_keys": texts(&category.url_keys),
        "meta_titles": texts(&PerLocale::from_fn(|l| category.meta[l].title.clone())),
        "meta_descriptions": texts(&PerLocale::from_fn(|l| category.meta[l].description.clone())),
    })
    .to_string()
}

impl From<&Category> for CategoryEdit {
    fn from(category: &Category) -> CategoryEdit {
        CategoryEdit {
            id: Some(category.id),
            parent: category.parent,
            position: category.position,
            enabled: category.enabled,
            hygiene_sealed: category.hygiene_sealed,
            names: category.names.clone(),
            url_keys: category.url_keys.clone(),
            meta: category.meta.clone(),
        }
    }
}

/// Whether a sibling (same parent, another category) has the key in the locale.
pub(crate) const SIBLING_KEY_SQL: &str = "SELECT c.id FROM categories c \
     JOIN category_translations t ON t.category_id = c.id \
     WHERE (c.parent_id = $1 OR (c.parent_id IS NULL AND $1 IS NULL)) \
     AND t.locale = $2 AND t.url_key = $3 AND c.id <> $4";
/// Whether `$2` is category `$1` or below it.
pub(crate) const IS_BELOW_SQL: &str = "WITH RECURSIVE below(id) AS (SELECT CAST($1 AS BIGINT) \
     UNION SELECT c.id FROM categories c JOIN below ON c.parent_id = below.id) \
     SELECT id FROM below WHERE id = $2";
pub(crate) const CATEGORY_EXISTS_SQL: &str = "SELECT id FROM categories WHERE id = $1";
pub(crate) const INSERT_CATEGORY_SQL: &str = "INSERT INTO categories (parent_id, position, enabled, hygiene_sealed) VALUES ($1, $2, $3, $4) RETURNING id";
pub(crate) const UPDATE_CATEGORY_SQL: &str = "UPDATE categories SET parent_id = $2, position = $3, enabled = $4, hygiene_sealed = $5 WHERE id = $1";
pub(crate) const UPSERT_CATEGORY_TEXT_SQL: &str = "INSERT INTO category_translations \
     (category_id, locale, name, url_key, meta_title, meta_description) \
     VALUES ($1, $2, $3, $4, $5, $6) \
     ON CONFLICT (category_id, locale) DO UPDATE SET name = excluded.name, \
     url_key = excluded.url_key, meta_title = excluded.meta_title, \
     meta_description = excluded.meta_description";
pub(crate) const HAS_CONTENT_SQL: &str = "SELECT EXISTS (SELECT 1 FROM categories WHERE parent_id = $1) \
     OR EXISTS (SELECT 1 FROM product_categories WHERE category_id = $1)";
pub(crate) const DELETE_CATEGORY_SQL: &str = "DELETE FROM categories WHERE id = $1";

pub(crate) const CATEGORY_CHOICES_SQL: &str = "SELECT c.id, c.parent_id, t.name FROM categories c \
     JOIN category_translations t ON t.category_id = c.id AND t.locale = 'es' \
     ORDER BY c.position, c.id";

/// Orders categories as a tree (parents before their children), with depths.
pub(crate) fn category_tree(rows: Vec<(i64, Option<i64>, String)>) -> Vec<CategoryChoice> {
    fn visit(
        parent: Option<(i64, &str)>,
        depth: usize,
        rows: &[(i64, Option<i64>, String)],
        out: &mut Vec<CategoryChoice>,
    ) {
        for (id, _, name) in rows
            .iter()
            .filter(|(_, p, _)| *p == parent.map(|(id, _)| id))
        {
            let path = match parent {
                Some((_, above)) => format!("{above}/{name}"),
                None => name.clone(),
            };
            out.push(CategoryChoice {
                id: *id,
                name: name.clone(),
                depth,
                path: path.clone(),
            });
            visit(Some((*id, &path)), depth + 1, rows, out);
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    visit(None, 0, &rows, &mut out);
    out
}

/// Writes `impl CategoryAdminStore for $store`, a backend's store type.
macro_rules! impl_category_admin_store {
    ($store:ty) => {
        const _: () = {
            use $crate::dialect::Dialect;

            #[async_trait::async_trait]
            impl $crate::catalogue_admin::CategoryAdminStore for $store {
                async fn category_choices(&self) -> $crate::Result<Vec<$crate::CategoryChoice>> {
                    let rows: Vec<(i64, Option<i64>, String)> =
                        sqlx::query_as($crate::catalogue_admin::categories::CATEGORY_CHOICES_SQL)
                            .fetch_all(self.pool())
                            .await?;
                    Ok($crate::catalogue_admin::categories::category_tree(rows))
                }

                async fn all_categories(&self) -> $crate::Result<Vec<comptoir_domain::Category>> {
                    let rows = sqlx::query_as($crate::rows::CATEGORIES_SQL)
                        .fetch_all(self.pool())
                        .await?;
                    let translations = sqlx::query_as($crate::rows::CATEGORY_TRANSLATIONS_SQL)
                        .fetch_all(self.pool())
                        .await?;
                    $crate::rows::assemble_categories(rows, translations)
                }

                async fn save_category(
                    &self,
                    edit: &$crate::CategoryEdit,
                    by: &$crate::staff::Actor,
                ) -> $crate::Result<$crate::CategoryOutcome> {
                    use $crate::CategoryOutcome;
                    use $crate::catalogue_admin::categories as admin;
                    let before = match edit.id {
                        Some(id) => {
                            match self.all_categories().await?.iter().find(|c| c.id == id) {
                                Some(category) => Some(admin::audited(&category.into())),
                                None => return Ok(CategoryOutcome::NotFound),
                            }
                        }
                        None => None,
                    };
                    let mut tx = self.begin_write().await?;
                    if let Some(parent) = edit.parent {
                        let exists: Option<i64> = sqlx::query_scalar(admin::CATEGORY_EXISTS_SQL)
                            .bind(parent.0)
                            .fetch_optional(&mut *tx)
                            .await?;
                        let below: Option<i64> = match edit.id {
                            Some(id) => {
                                sqlx::query_scalar(admin::IS_BELOW_SQL)
                                    .bind(id.0)
                                    .bind(parent.0)
                                    .fetch_optional(&mut *tx)
                                    .await?
                            }
                            None => None,
                        };
                        if exists.is_none() || below.is_some() {
                            return Ok(CategoryOutcome::InvalidParent);
                        }
                    }
                    for locale in comptoir_domain::Locale::ALL {
                        let taken: Option<i64> = sqlx::query_scalar(admin::SIBLING_KEY_SQL)
                            .bind(edit.parent.map(|p| p.0))
                            .bind(locale.as_str())
                            .bind(&edit.url_keys[locale])
                            .bind(edit.id.map_or(0, |id| id.0))
                            .fetch_optional(&mut *tx)
                            .await?;
                        if taken.is_some() {
                            return Ok(CategoryOutcome::KeyTaken(locale));
                        }
                    }
                    let id = match edit.id {
                        Some(id) => {
                            sqlx::query(admin::UPDATE_CATEGORY_SQL)
                                .bind(id.0)
                                .bind(edit.parent.map(|p| p.0))
                                .bind(edit.position)
                                .bind(edit.enabled)
                                .bind(edit.hygiene_sealed)
                                .execute(&mut *tx)
                                .await?;
                            id.0
                        }
                        None => {
                            sqlx::query_scalar(admin::INSERT_CATEGORY_SQL)
                                .bind(edit.parent.map(|p| p.0))
                                .bind(edit.position)
                                .bind(edit.enabled)
                                .bind(edit.hygiene_sealed)
                                .fetch_one(&mut *tx)
                                .await?
                        }
                    };
                    for locale in comptoir_domain::Locale::ALL {
                        sqlx::query(admin::UPSERT_CATEGORY_TEXT_SQL)
                            .bind(id)
                            .bind(locale.as_str())
                            .bind(&edit.names[locale])
                            .bind(&edit.url_keys[locale])
                            .bind(&edit.meta[locale].title)
                            .bind(&edit.meta[locale].description)
                            .execute(&mut *tx)
                            .await?;
                    }
                    Self::append_changes(&mut tx, $crate::ChangeKind::Category, &[]).await?;
                    let action = if before.is_some() {
                        "category.update"
                    } else {
                        "category.create"
                    };
                    let saved = $crate::CategoryEdit {
                        id: Some(comptoir_domain::CategoryId(id)),
                        ..edit.clone()
                    };
                    Self::audit(
                        &mut tx,
                        by,
                        action,
                        "category",
                        &id.to_string(),
                        before,
                        Some(admin::audited(&saved)),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(CategoryOutcome::Saved(comptoir_domain::CategoryId(id)))
                }

                async fn delete_category(
                    &self,
                    id: comptoir_domain::CategoryId,
                    by: &$crate::staff::Actor,
                ) -> $crate::Result<$crate::CategoryOutcome> {
                    use $crate::CategoryOutcome;
                    use $crate::catalogue_admin::categories as admin;
                    let Some(before) = self
                        .all_categories()
                        .await?
                        .iter()
                        .find(|c| c.id == id)
                        .map(|category| admin::audited(&category.into()))
                    else {
                        return Ok(CategoryOutcome::NotFound);
                    };
                    let mut tx = self.begin_write().await?;
                    let has_content: bool = sqlx::query_scalar(admin::HAS_CONTENT_SQL)
                        .bind(id.0)
                        .fetch_one(&mut *tx)
                        .await?;
                    if has_content {
                        return Ok(CategoryOutcome::NotEmpty);
                    }
                    sqlx::query(admin::DELETE_CATEGORY_SQL)
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await?;
                    Self::append_changes(&mut tx, $crate::ChangeKind::Category, &[]).await?;
                    Self::audit(
                        &mut tx,
                        by,
                        "category.delete",
                        "category",
                        &id.0.to_string(),
                        Some(before),
                        None,
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(CategoryOutcome::Deleted)
                }
            }
        };
    };
}
pub(crate) use impl_category_admin_store;
