//! A catalogue flattened into table rows, for bulk writes: PostgreSQL streams them
//! with `COPY`, SQLite inserts them in multi-row batches.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use comptoir_domain::{Catalogue, Locale, Product, SiteCode};

/// One value of a row.
pub(crate) enum Cell<'a> {
    Int(i64),
    Bool(bool),
    Text(&'a str),
    Time(DateTime<Utc>),
    Day(NaiveDate),
    Null,
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(text: &'a str) -> Self {
        Cell::Text(text)
    }
}

impl<'a, T: Into<Cell<'a>>> From<Option<T>> for Cell<'a> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Cell::Null, Into::into)
    }
}

impl From<i64> for Cell<'_> {
    fn from(value: i64) -> Self {
        Cell::Int(value)
    }
}

impl From<i32> for Cell<'_> {
    fn from(value: i32) -> Self {
        Cell::Int(value.into())
    }
}

impl From<bool> for Cell<'_> {
    fn from(value: bool) -> Self {
        Cell::Bool(value)
    }
}

impl From<NaiveDate> for Cell<'_> {
    fn from(value: NaiveDate) -> Self {
        Cell::Day(value)
    }
}

impl From<DateTime<Utc>> for Cell<'_> {
    fn from(value: DateTime<Utc>) -> Self {
        Cell::Time(value)
    }
}

pub(crate) struct Table<'a> {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<Cell<'a>>>,
}

macro_rules! row {
    ($($value:expr),+ $(,)?) => { vec![$(Cell::from($value)),+] };
}

impl<'a> Table<'a> {
    fn new(name: &'static str, columns: &'static [&'static str]) -> Self {
        Table {
            name,
            columns,
            rows: Vec::new(),
        }
    }

    /// The rows in PostgreSQL's CSV format: NULL is an unquoted empty field, text is
    /// always quoted (so an empty string stays an empty string).
    pub fn to_csv(&self) -> String {
        let mut csv = String::with_capacity(self.rows.len() * 64);
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    csv.push(',');
                }
                match cell {
                    Cell::Int(n) => csv.push_str(&n.to_string()),
                    Cell::Bool(b) => csv.push_str(if *b { "t" } else { "f" }),
                    Cell::Text(text) => {
                        csv.push('"');
                        csv.push_str(&text.replace('"', "\"\""));
                        csv.push('"');
                    }
                    Cell::Time(time) => {
                        csv.push_str(&time.to_rfc3339_opts(SecondsFormat::Micros, true));
                    }
                    Cell::Day(day) => csv.push_str(&day.to_string()),
                    Cell::Null => {}
                }
            }
            csv.push('\n');
        }
        csv
    }
}

/// Attribute options and labels, and the category tree, parents before children.
pub(crate) fn structure_tables(catalogue: &Catalogue) -> Vec<Table<'_>> {
    let mut options = Table::new("attribute_options", &["attribute", "code", "position"]);
    let mut labels = Table::new(
        "attribute_option_labels",
        &["attribute", "code", "locale", "label"],
    );
    for option in &catalogue.attribute_options {
        options.rows.push(row![
            option.attribute.as_str(),
            option.code.as_str(),
            option.position
        ]);
        for (locale, label) in option.labels.iter() {
            labels.rows.push(row![
                option.attribute.as_str(),
                option.code.as_str(),
                locale.as_str(),
                label.as_str()
            ]);
        }
    }
    let mut categories = Table::new(
        "categories",
        &["id", "parent_id", "position", "enabled", "hygiene_sealed"],
    );
    let mut translations = Table::new(
        "category_translations",
        &[
            "category_id",
            "locale",
            "name",
            "url_key",
            "meta_title",
            "meta_description",
        ],
    );
    for category in &catalogue.categories {
        categories.rows.push(row![
            category.id.0,
            category.parent.map(|p| p.0),
            category.position,
            category.enabled,
            category.hygiene_sealed
        ]);
        for (locale, name) in category.names.iter() {
            translations.rows.push(row![
                category.id.0,
                locale.as_str(),
                name.as_str(),
                category.url_keys[locale].as_str(),
                category.meta[locale].title.as_str(),
                category.meta[locale].description.as_str()
            ]);
        }
    }
    let mut attribute_labels = Table::new("attribute_labels", &["attribute", "locale", "label"]);
    for attribute in &catalogue.attribute_labels {
        for (locale, label) in attribute.labels.iter() {
            attribute_labels.rows.push(row![
                attribute.attribute.as_str(),
                locale.as_str(),
                label.as_str()
            ]);
        }
    }
    vec![options, labels, attribute_labels, categories, translations]
}

/// The rows of `products` in every product table, products first.
pub(crate) fn product_tables(products: &[Product]) -> Vec<Table<'_>> {
    let mut main = Table::new(
        "products",
        &[
            "id",
            "sku",
            "kind",
            "tax_class",
            "enabled",
            "theme",
            "gender",
            "age_group",
            "created_at",
            "popularity",
            "brand",
            "made_in",
            "weight_grams",
            "gtin",
            "new_from",
            "new_until",
        ],
    );
    let mut translations = Table::new(
        "product_translations",
        &[
            "product_id",
            "locale",
            "name",
            "description",
            "url_key",
            "meta_title",
            "meta_description",
            "short_description",
            "meta_keywords",
        ],
    );
    let mut sites = Table::new(
        "product_sites",
        &[
            "product_id",
            "site",
            "price_cents",
            "sale_price_cents",
            "sale_starts_at",
            "sale_ends_at",
            "visibility",
        ],
    );
    // The price history starts with each offer as the catalogue gives it, since its
    // product was created; written first, so the trigger on `product_sites` finds
    // the version already recorded.
    let mut history = Table::new(
        "offer_history",
        &[
            "product_id",
            "site",
            "valid_from",
            "price_cents",
            "sale_price_cents",
            "sale_starts_at",
            "sale_ends_at",
        ],
    );
    let mut variants = Table::new(
        "variants",
        &[
            "id",
            "product_id",
            "sku",
            "size",
            "colour",
            "stock",
            "stock_policy",
            "min_sale_units",
            "max_sale_units",
            "position",
        ],
    );
    let mut choices = Table::new(
        "variant_choices",
        &["variant_id", "attribute", "value", "position"],
    );
    let mut surcharges = Table::new(
        "variant_surcharges",
        &["variant_id", "site", "amount_cents"],
    );
    let mut options = Table::new(
        "product_options",
        &[
            "id",
            "product_id",
            "position",
            "required",
            "title_es",
            "title_fr",
            "title_pt",
            "title_it",
        ],
    );
    let mut option_values = Table::new(
        "product_option_values",
        &[
            "id",
            "option_id",
            "position",
            "title_es",
            "title_fr",
            "title_pt",
            "title_it",
            "surcharge_es_cents",
            "surcharge_fr_cents",
            "surcharge_pt_cents",
            "surcharge_it_cents",
        ],
    );
    let mut images = Table::new("product_images", &["product_id", "position", "path"]);
    let mut links = Table::new(
        "product_links",
        &["product_id", "kind", "position", "linked_sku"],
    );
    let mut tiers = Table::new(
        "price_tiers",
        &[
            "product_id",
            "position",
            "customer_group",
            "min_units",
            "price_es_cents",
            "price_fr_cents",
            "price_pt_cents",
            "price_it_cents",
        ],
    );
    let mut placements = Table::new(
        "product_categories",
        &["product_id", "category_id", "position"],
    );
    for p in products {
        let id = p.id.0;
        main.rows.push(row![
            id,
            p.sku.as_str(),
            p.kind.as_str(),
            p.tax_class.as_str(),
            p.enabled,
            p.theme.as_deref(),
            p.gender.map(|g| g.as_str()),
            p.age_group.map(|a| a.as_str()),
            p.created_at,
            p.popularity,
            p.facts.brand.as_deref(),
            p.facts.made_in.as_ref().map(|country| country.as_str()),
            p.facts.weight_grams.map(i64::from),
            p.facts.gtin.as_ref().map(|gtin| gtin.as_str()),
            p.facts.new_from,
            p.facts.new_until,
        ]);
        for (locale, name) in p.names.iter() {
            translations.rows.push(row![
                id,
                locale.as_str(),
                name.as_str(),
                p.descriptions[locale].as_str(),
                p.url_keys[locale].as_str(),
                p.meta[locale].title.as_str(),
                p.meta[locale].description.as_str(),
                p.facts.short_descriptions[locale].as_str(),
                p.facts.keywords[locale].as_str(),
            ]);
        }
        for site in SiteCode::ALL {
            let Some(offer) = p.site(site) else { continue };
            sites.rows.push(row![
                id,
                site.as_str(),
                offer.price.cents(),
                offer.sale.map(|s| s.price.cents()),
                offer.sale.and_then(|s| s.starts_at),
                offer.sale.and_then(|s| s.ends_at),
                offer.visibility.as_str(),
            ]);
            history.rows.push(row![
                id,
                site.as_str(),
                p.created_at,
                offer.price.cents(),
                offer.sale.map(|s| s.price.cents()),
                offer.sale.and_then(|s| s.starts_at),
                offer.sale.and_then(|s| s.ends_at),
            ]);
        }
        for v in &p.variants {
            variants.rows.push(row![
                v.id,
                id,
                v.sku.as_str(),
                v.size.as_deref(),
                v.colour.as_deref(),
                v.stock,
                v.stock_policy.as_str(),
                i64::from(v.sale_units.min),
                v.sale_units.max.map(i64::from),
                v.position
            ]);
            for (position, choice) in v.choices.iter().enumerate() {
                choices.rows.push(row![
                    v.id,
                    choice.attribute.as_str(),
                    choice.value.as_str(),
                    position as i64
                ]);
            }
            for site in SiteCode::ALL {
                let cents = v.surcharge_cents[site.index()];
                if cents != 0 {
                    surcharges.rows.push(row![v.id, site.as_str(), cents]);
                }
            }
        }
        for (position, option) in p.options.iter().enumerate() {
            let [es, fr, pt, it] = Locale::ALL.map(|locale| option.titles[locale].as_str());
            options.rows.push(row![
                option.id,
                id,
                position as i64,
                option.required,
                es,
                fr,
                pt,
                it
            ]);
            for (position, value) in option.values.iter().enumerate() {
                let [es, fr, pt, it] = Locale::ALL.map(|locale| value.titles[locale].as_str());
                let [es_cents, fr_cents, pt_cents, it_cents] = value.surcharge_cents;
                option_values.rows.push(row![
                    value.id,
                    option.id,
                    position as i64,
                    es,
                    fr,
                    pt,
                    it,
                    es_cents,
                    fr_cents,
                    pt_cents,
                    it_cents
                ]);
            }
        }
        for (position, path) in p.images.iter().enumerate() {
            images.rows.push(row![id, position as i64, path.as_str()]);
        }
        for (position, link) in p.links.iter().enumerate() {
            links.rows.push(row![
                id,
                link.kind.as_str(),
                position as i64,
                link.sku.as_str()
            ]);
        }
        for (position, tier) in p.price_tiers.iter().enumerate() {
            let [es, fr, pt, it] = tier.unit_price_cents;
            tiers.rows.push(row![
                id,
                position as i64,
                tier.customer_group.as_deref(),
                i64::from(tier.min_units),
                es,
                fr,
                pt,
                it
            ]);
        }
        for (category, position) in &p.categories {
            placements.rows.push(row![id, category.0, *position]);
        }
    }
    vec![
        main,
        translations,
        history,
        sites,
        variants,
        choices,
        surcharges,
        options,
        option_values,
        images,
        links,
        tiers,
        placements,
    ]
}
