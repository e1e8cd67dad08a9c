//! The category tree as staff edit it: add, rename, move, reorder, switch off, and
//! delete an empty category. Every change is a `category` change in the log, so
//! every replica reloads the tree.

use comptoir_domain::{Category, CategoryId, Locale, PerLocale};
use serde_json::json;

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
    pub names: PerLocale<String>,
    pub url_keys: PerLocale<String>,
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
        "names": texts(&category.names),
        "url_keys": texts(&category.url_keys),
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
            names: category.names.clone(),
            url_keys: category.url_keys.clone(),
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
pub(crate) const INSERT_CATEGORY_SQL: &str =
    "INSERT INTO categories (parent_id, position, enabled) VALUES ($1, $2, $3) RETURNING id";
pub(crate) const UPDATE_CATEGORY_SQL: &str =
    "UPDATE categories SET parent_id = $2, position = $3, enabled = $4 WHERE id = $1";
pub(crate) const UPSERT_CATEGORY_TEXT_SQL: &str = "INSERT INTO category_translations \
     (category_id, locale, name, url_key) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (category_id, locale) DO UPDATE SET name = excluded.name, url_key = excluded.url_key";
pub(crate) const HAS_CONTENT_SQL: &str = "SELECT EXISTS (SELECT 1 FROM categories WHERE parent_id = $1) \
     OR EXISTS (SELECT 1 FROM product_categories WHERE category_id = $1)";
pub(crate) const DELETE_CATEGORY_SQL: &str = "DELETE FROM categories WHERE id = $1";
