//! Which of Magento 1.x's tables an install has: those the migration cannot do
//! without, and newer or optional ones (group prices came with 1.7) used when
//! there.

use std::collections::HashSet;

use sqlx::mysql::MySqlConnection;

use crate::MagentoError;

/// Tables every Magento CE 1.4 to 1.9 has and the migration reads.
const REQUIRED: [&str; 27] = [
    "core_store",
    "core_website",
    "core_config_data",
    "eav_entity_type",
    "eav_attribute",
    "eav_attribute_option_value",
    "catalog_category_entity",
    "catalog_category_entity_varchar",
    "catalog_category_entity_int",
    "catalog_category_product",
    "catalog_product_entity",
    "catalog_product_entity_varchar",
    "catalog_product_entity_int",
    "catalog_product_entity_decimal",
    "catalog_product_entity_text",
    "catalog_product_entity_datetime",
    "catalog_product_website",
    "catalog_product_super_attribute",
    "catalog_product_super_link",
    "cataloginventory_stock_item",
    "core_url_rewrite",
    "cms_page",
    "customer_entity",
    "customer_entity_varchar",
    "customer_address_entity",
    "customer_address_entity_varchar",
    "customer_address_entity_text",
];

/// The tables of one install, named with its prefix.
#[derive(Debug, Clone)]
pub struct Tables {
    prefix: String,
    present: HashSet<String>,
}

impl Tables {
    /// Lists the database's tables; an error names the required ones it lacks.
    pub(crate) async fn check(
        connection: &mut MySqlConnection,
        prefix: &str,
    ) -> Result<Tables, MagentoError> {
        let names: Vec<(Vec<u8>,)> = sqlx::query_as(
            "SELECT CAST(table_name AS BINARY) FROM information_schema.tables \
             WHERE table_schema = DATABASE()",
        )
        .fetch_all(connection)
        .await
        .map_err(|cause| MagentoError::Query {
            table: "information_schema.tables".to_owned(),
            cause,
        })?;
        let present: HashSet<String> = names
            .into_iter()
            .filter_map(|(name,)| String::from_utf8(name).ok())
            .filter_map(|name| name.strip_prefix(prefix).map(str::to_owned))
            .collect();
        let tables = Tables {
            prefix: prefix.to_owned(),
            present,
        };
        let missing: Vec<String> = REQUIRED
            .iter()
            .filter(|table| !tables.has(table))
            .map(|table| format!("{prefix}{table}"))
            .collect();
        if missing.is_empty() {
            Ok(tables)
        } else {
            Err(MagentoError::NotMagento(missing))
        }
    }

    /// Whether the install has `table` (named without the prefix).
    pub fn has(&self, table: &str) -> bool {
        self.present.contains(table)
    }

    /// `table` as SQL names it in this install: prefixed and quoted.
    pub(crate) fn name(&self, table: &str) -> String {
        format!("`{}{table}`", self.prefix.replace('`', "``"))
    }
}
