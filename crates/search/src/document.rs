//! The index's fields, and a product turned into one site's search document.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use comptoir_domain::{
    AttributeOption, Catalogue, Category, CategoryId, Locale, PerLocale, Product, SiteCode,
    StockState, Visibility,
};
use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::{FOLDED_TOKENIZER, stemmed_tokenizer_name};

/// The fields of a site's index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    /// Product and variant SKUs, lower-cased, untokenized: an exact SKU wins.
    pub sku: Field,
    pub name: Field,
    /// The name unstemmed, for typo tolerance and prefixes.
    pub name_folded: Field,
    pub description: Field,
    /// Names of the categories the product is in, and of their ancestors.
    pub category_names: Field,
    /// Labels of its theme, colours and sizes.
    pub attribute_labels: Field,
    /// Category ids, ancestors included (multi-valued).
    pub category: Field,
    pub size: Field,
    pub colour: Field,
    pub theme: Field,
    pub gender: Field,
    pub age_group: Field,
    /// Price in cents at indexing time.
    pub price: Field,
    pub in_stock: Field,
    /// Where the product is shown: [`LISTED`] and, or, [`FOUND`].
    pub places: Field,
    pub created: Field,
    pub popularity: Field,
}

impl Fields {
    pub fn schema(locale: Locale) -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let text = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let stemmed = text(stemmed_tokenizer_name(locale));
        let fields = Fields {
            id: builder.add_u64_field("id", INDEXED | FAST | STORED),
            sku: builder.add_text_field("sku", STRING),
            name: builder.add_text_field("name", stemmed.clone()),
            name_folded: builder.add_text_field("name_folded", text(FOLDED_TOKENIZER)),
            description: builder.add_text_field("description", stemmed.clone()),
            category_names: builder.add_text_field("category_names", stemmed.clone()),
            attribute_labels: builder.add_text_field("attribute_labels", stemmed),
            category: builder.add_u64_field("category", INDEXED | FAST),
            size: builder.add_u64_field("size", FAST),
            colour: builder.add_u64_field("colour", FAST),
            theme: builder.add_u64_field("theme", FAST),
            gender: builder.add_u64_field("gender", FAST),
            age_group: builder.add_u64_field("age_group", FAST),
            price: builder.add_u64_field("price", FAST),
            in_stock: builder.add_u64_field("in_stock", FAST),
            places: builder.add_u64_field("places", FAST),
            created: builder.add_i64_field("created", FAST),
            popularity: builder.add_u64_field("popularity", FAST),
        };
        (builder.build(), fields)
    }
}

impl Fields {
    /// The text fields a query word is looked for in, and how much a match in each
    /// weighs: the name above all, the description least (it repeats every word of a
    /// long catalogue).
    pub fn weighted_text(&self) -> [(Field, f32); 4] {
        [
            (self.name, 3.0),
            (self.category_names, 1.0),
            (self.attribute_labels, 1.0),
            (self.description, 0.3),
        ]
    }
}

/// A facet value as the index stores it: a stable 64-bit hash of `attribute:code`.
pub fn facet_code(attribute: &str, code: &str) -> u64 {
    // FNV-1a: stable across runs and versions, unlike std's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in attribute.bytes().chain([b':']).chain(code.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// What documents need besides the product: the category tree and option labels.
#[derive(Debug, Default)]
pub struct CatalogueContext {
    categories: HashMap<CategoryId, Category>,
    labels: HashMap<(String, String), PerLocale<String>>,
    /// Facet hash → (attribute, code), to name the counted values.
    pub(crate) codes: HashMap<u64, (String, String)>,
}

/// Attribute names of the facets stored as hashed codes.
pub(crate) const GENDER: &str = "gender";
pub(crate) const AGE_GROUP: &str = "age_group";

impl CatalogueContext {
    pub fn new(categories: &[Category], options: &[AttributeOption]) -> CatalogueContext {
        let mut codes: HashMap<u64, (String, String)> = options
            .iter()
            .map(|o| {
                (
                    facet_code(&o.attribute, &o.code),
                    (o.attribute.clone(), o.code.clone()),
                )
            })
            .collect();
        for gender in ["women", "men", "unisex"] {
            codes.insert(
                facet_code(GENDER, gender),
                (GENDER.to_owned(), gender.to_owned()),
            );
        }
        for age in ["adult", "teen", "kid", "baby"] {
            codes.insert(
                facet_code(AGE_GROUP, age),
                (AGE_GROUP.to_owned(), age.to_owned()),
            );
        }
        CatalogueContext {
            categories: categories.iter().map(|c| (c.id, c.clone())).collect(),
            labels: options
                .iter()
                .map(|o| ((o.attribute.clone(), o.code.clone()), o.labels.clone()))
                .collect(),
            codes,
        }
    }

    pub fn of(catalogue: &Catalogue) -> CatalogueContext {
        CatalogueContext::new(&catalogue.categories, &catalogue.attribute_options)
    }

    pub fn has_category(&self, id: i64) -> bool {
        self.categories.contains_key(&CategoryId(id))
    }

    /// The categories a product is in, with all their ancestors.
    fn closure(&self, product: &Product) -> BTreeSet<CategoryId> {
        let mut closure = BTreeSet::new();
        for (id, _) in &product.categories {
            let mut cursor = Some(*id);
            while let Some(id) = cursor {
                if !closure.insert(id) {
                    break;
                }
                cursor = self.categories.get(&id).and_then(|c| c.parent);
            }
        }
        closure.retain(|id| self.categories.get(id).is_some_and(|c| c.enabled));
        closure
    }

    fn label(&self, attribute: &str, code: &str, locale: Locale) -> Option<&str> {
        self.labels
            .get(&(attribute.to_owned(), code.to_owned()))
            .map(|l| l[locale].as_str())
    }
}

/// A place bit: the product is listed on its categories' pages.
pub(crate) const LISTED: u64 = 1;
/// A place bit: shoppers find the product by searching.
pub(crate) const FOUND: u64 = 2;

/// Where shoppers of `site` see the product, as place bits: none when it is
/// disabled or not sold there.
pub(crate) fn places_on(product: &Product, site: SiteCode) -> u64 {
    let Some(offer) = product.site(site).filter(|_| product.enabled) else {
        return 0;
    };
    match offer.visibility {
        Visibility::CatalogueAndSearch => LISTED | FOUND,
        Visibility::Catalogue => LISTED,
        Visibility::Search => FOUND,
        Visibility::NotVisible => 0,
    }
}

/// The product's document for `site`, or `None` if shoppers see it nowhere there.
/// Category pages filter through the index too, so a product listed in its
/// categories but not found by searching has a document, marked with its places.
pub(crate) fn document(
    fields: &Fields,
    context: &CatalogueContext,
    product: &Product,
    site: SiteCode,
    now: DateTime<Utc>,
) -> Option<TantivyDocument> {
    let places = places_on(product, site);
    if places == 0 {
        return None;
    }
    let offer = product.site(site)?;
    let locale = site.locale();
    let mut doc = TantivyDocument::default();
    doc.add_u64(fields.id, product.id.0 as u64);
    doc.add_u64(fields.places, places);
    doc.add_text(fields.sku, product.sku.as_str().to_ascii_lowercase());
    for variant in &product.variants {
        if variant.sku != product.sku {
            doc.add_text(fields.sku, variant.sku.as_str().to_ascii_lowercase());
        }
    }
    doc.add_text(fields.name, &product.names[locale]);
    doc.add_text(fields.name_folded, &product.names[locale]);
    doc.add_text(
        fields.description,
        comptoir_domain::rich_text::plain_text(&product.descriptions[locale]),
    );
    for id in context.closure(product) {
        doc.add_u64(fields.category, id.0 as u64);
        if let Some(category) = context.categories.get(&id) {
            doc.add_text(fields.category_names, &category.names[locale]);
        }
    }
    if let Some(theme) = &product.theme {
        doc.add_u64(fields.theme, facet_code("theme", theme));
        if let Some(label) = context.label("theme", theme, locale) {
            doc.add_text(fields.attribute_labels, label);
        }
    }
    let mut seen = BTreeSet::new();
    for variant in &product.variants {
        for (attribute, field, value) in [
            ("size", fields.size, &variant.size),
            ("colour", fields.colour, &variant.colour),
        ] {
            let Some(code) = value else { continue };
            if seen.insert((attribute, code.as_str())) {
                doc.add_u64(field, facet_code(attribute, code));
                if let Some(label) = context.label(attribute, code, locale) {
                    doc.add_text(fields.attribute_labels, label);
                }
            }
        }
    }
    if let Some(gender) = product.gender {
        doc.add_u64(fields.gender, facet_code(GENDER, gender.as_str()));
    }
    if let Some(age_group) = product.age_group {
        doc.add_u64(fields.age_group, facet_code(AGE_GROUP, age_group.as_str()));
    }
    doc.add_u64(fields.price, offer.effective(now).cents().max(0) as u64);
    doc.add_u64(
        fields.in_stock,
        u64::from(product.stock_state() != StockState::OutOfStock),
    );
    doc.add_i64(fields.created, product.created_at.timestamp());
    doc.add_u64(fields.popularity, product.popularity.max(0) as u64);
    Some(doc)
}
