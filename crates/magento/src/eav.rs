//! Magento's entity–attribute–value tables: an entity's attributes (`eav_attribute`)
//! and their values in `{entity}_{varchar,int,decimal,text,datetime}`, each with the
//! admin scope's value (store 0) and store views' own, read as text (numbers as
//! `29.9900`, dates as `2026-10-20 00:00:00`, `0000-00-00` meaning unset).

use std::collections::HashMap;

use crate::{MagentoDb, MagentoError};

/// One of an entity type's attributes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Attribute {
    pub id: u64,
    pub code: String,
    /// Where its values are: `varchar`, `int`, `decimal`, `text`, `datetime`,
    /// or `static` (a column of the entity's own table).
    pub backend: String,
    /// `select`, `multiselect`, `text`...: a select's values are option ids.
    pub input: String,
}

/// An entity type's attributes, by code.
pub(crate) struct Attributes(HashMap<String, Attribute>);

impl Attributes {
    /// The attributes of `entity_type` (`catalog_product`, `customer`...).
    pub async fn read(db: &mut MagentoDb, entity_type: &str) -> Result<Attributes, MagentoError> {
        let (attributes, types) = (
            db.tables().name("eav_attribute"),
            db.tables().name("eav_entity_type"),
        );
        let rows: Vec<Attribute> = db
            .rows(
                "eav_attribute",
                &format!(
                    "SELECT CAST(a.attribute_id AS UNSIGNED) AS id, \
                     CAST(a.attribute_code AS CHAR) AS code, \
                     CAST(a.backend_type AS CHAR) AS backend, \
                     CAST(COALESCE(a.frontend_input, '') AS CHAR) AS input \
                     FROM {attributes} a JOIN {types} t ON t.entity_type_id = a.entity_type_id \
                     WHERE t.entity_type_code = '{entity_type}'"
                ),
            )
            .await?;
        Ok(Attributes(
            rows.into_iter()
                .map(|attribute| (attribute.code.clone(), attribute))
                .collect(),
        ))
    }

    pub fn get(&self, code: &str) -> Option<&Attribute> {
        self.0.get(code)
    }

    pub fn by_id(&self, id: u64) -> Option<&Attribute> {
        self.0.values().find(|attribute| attribute.id == id)
    }
}

/// A value as stored: text, or bytes that are not UTF-8.
pub(crate) type Stored = Result<String, Vec<u8>>;

/// The values of some attributes of an entity type's entities, each with its
/// store view (0: the admin scope).
#[derive(Default)]
pub(crate) struct Values(HashMap<(u64, u64), Vec<(u64, Stored)>>);

impl Values {
    /// Reads the values of `wanted` from `{entity_table}_{backend}`. Tables of
    /// customers have no store views (`scoped` false): their values are the
    /// admin scope's.
    pub async fn read(
        db: &mut MagentoDb,
        entity_table: &str,
        wanted: &[&Attribute],
        scoped: bool,
    ) -> Result<Values, MagentoError> {
        let mut values = Values::default();
        for backend in ["varchar", "int", "decimal", "text", "datetime"] {
            let ids: Vec<String> = wanted
                .iter()
                .filter(|attribute| attribute.backend == backend)
                .map(|attribute| attribute.id.to_string())
                .collect();
            let table = format!("{entity_table}_{backend}");
            if ids.is_empty() || !db.tables().has(&table) {
                continue;
            }
            let store = if scoped { "store_id" } else { "0" };
            let rows: Vec<(u64, u64, u64, Option<Vec<u8>>)> = db
                .rows(
                    &table,
                    &format!(
                        "SELECT CAST(entity_id AS UNSIGNED), CAST(attribute_id AS UNSIGNED), \
                         CAST({store} AS UNSIGNED), CAST(value AS BINARY) FROM {} \
                         WHERE attribute_id IN ({}) ORDER BY entity_id",
                        db.tables().name(&table),
                        ids.join(",")
                    ),
                )
                .await?;
            for (entity, attribute, store, value) in rows {
                let value = crate::text(value).map(|text| unset_dates(text, backend));
                values
                    .0
                    .entry((entity, attribute))
                    .or_default()
                    .push((store, value));
            }
        }
        Ok(values)
    }

    /// The admin scope's value, if any and if UTF-8.
    pub fn admin(&self, entity: u64, attribute: Option<&Attribute>) -> Option<&str> {
        self.of_store(entity, attribute, 0)
    }

    /// Store view `store`'s own value (not the admin scope's), if UTF-8.
    pub fn of_store(&self, entity: u64, attribute: Option<&Attribute>, store: u64) -> Option<&str> {
        self.0
            .get(&(entity, attribute?.id))?
            .iter()
            .find(|(at, _)| *at == store)
            .and_then(|(_, value)| value.as_deref().ok())
            .filter(|value| !value.is_empty())
    }

    /// Values that are not UTF-8: their entity, attribute and store view.
    pub fn not_utf8(&self) -> impl Iterator<Item = (u64, u64, u64)> + '_ {
        self.0.iter().flat_map(|((entity, attribute), values)| {
            values
                .iter()
                .filter(|(_, value)| value.is_err())
                .map(move |(store, _)| (*entity, *attribute, *store))
        })
    }
}

/// MySQL's zero date is Magento's "no date".
fn unset_dates(text: String, backend: &str) -> String {
    if backend == "datetime" && text.starts_with("0000-00-00") {
        String::new()
    } else {
        text
    }
}

/// The labels of select attributes' options (`eav_attribute_option_value`), the
/// admin scope's and store views' own.
pub(crate) struct OptionLabels(HashMap<(u64, u64), String>);

impl OptionLabels {
    pub async fn read(db: &mut MagentoDb) -> Result<OptionLabels, MagentoError> {
        let table = db.tables().name("eav_attribute_option_value");
        let rows: Vec<(u64, u64, Option<Vec<u8>>)> = db
            .rows(
                "eav_attribute_option_value",
                &format!(
                    "SELECT CAST(option_id AS UNSIGNED), CAST(store_id AS UNSIGNED), \
                     CAST(value AS BINARY) FROM {table}"
                ),
            )
            .await?;
        Ok(OptionLabels(
            rows.into_iter()
                .filter_map(|(option, store, label)| {
                    Some(((option, store), crate::text(label).ok()?))
                })
                .collect(),
        ))
    }

    /// The admin label of option `id` (`"21"` as stored in an `int` value).
    pub fn admin(&self, id: &str) -> Option<&str> {
        let id: u64 = id.parse().ok()?;
        self.0.get(&(id, 0)).map(String::as_str)
    }
}
