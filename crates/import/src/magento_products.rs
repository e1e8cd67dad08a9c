//! Magento 1.9's product export (System → Import/Export → Export, entity
//! "Products"), with its quirks: a product's first row holds the admin scope; rows
//! after it with an empty `sku` continue it: more categories (`_category` under
//! `_root_category`, created when the catalogue lacks them), gallery images
//! (`_media_image`), configurable children (`_super_products_sku`), or a store view
//! (`_store` set) with translated `name`, `description` (HTML, kept sanitised),
//! `url_key`, `meta_title` and `meta_description`. Children are also exported as
//! their own `simple` rows, usually with visibility 1 (not visible on their own).
//! Numbers look like `100.0000`; dates `2026-10-20 00:00:00`, `2026/10/20` or
//! `10/20/2026`; store codes in any case; `status` is 1 (enabled) or 2 (disabled);
//! `visibility` is 1–4; prices include VAT.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use chrono::NaiveDate;
use comptoir_domain::import::{
    CategoryRef, ImportedProduct, ImportedVariant, OldCategoryPath, Placement, ProductFile,
};
use comptoir_domain::price_tiers::PriceTier;
use comptoir_domain::product_facts::{CountryCode, Gtin, ProductFacts};
use comptoir_domain::product_options::{OptionValue, ProductOption};
use comptoir_domain::{
    CategoryId, ChoiceAttribute, LinkKind, Locale, Money, PageMeta, PerLocale, ProductKind,
    ProductLink, Sale, SaleUnits, SiteCode, SitePrice, Sku, SkuError, StockPolicy, VariantChoice,
    Visibility,
};

use crate::magento_attributes::AttributeMap;
use crate::magento_categories::CategoryPaths;
use crate::{FileError, ReadOutcome, RowError};

/// Columns that tell a Magento product export apart, and that it must have.
pub const REQUIRED: [&str; 8] = [
    "sku",
    "_store",
    "_type",
    "name",
    "price",
    "status",
    "visibility",
    "url_key",
];

/// The columns this reader takes (besides the super attributes' columns); every
/// other column of a file is named once in the notes, as not imported.
pub const READ_COLUMNS: [&str; 68] = [
    "sku",
    "_store",
    "_type",
    "name",
    "description",
    "price",
    "status",
    "visibility",
    "url_key",
    "url_path",
    "meta_title",
    "meta_description",
    "meta_keyword",
    "short_description",
    "country_of_manufacture",
    "weight",
    "news_from_date",
    "news_to_date",
    "tax_class_id",
    "qty",
    "is_in_stock",
    "manage_stock",
    "use_config_manage_stock",
    "backorders",
    "use_config_backorders",
    "min_sale_qty",
    "use_config_min_sale_qty",
    "max_sale_qty",
    "use_config_max_sale_qty",
    "special_price",
    "special_from_date",
    "special_to_date",
    "_category",
    // Every path is read below the root, whichever root a row names.
    "_root_category",
    "_product_websites",
    "image",
    "_media_image",
    "_media_position",
    "_media_is_disabled",
    "_super_products_sku",
    "_super_attribute_code",
    "_super_attribute_option",
    "_super_attribute_price_corr",
    "_links_related_sku",
    "_links_related_position",
    "_links_upsell_sku",
    "_links_upsell_position",
    "_links_crosssell_sku",
    "_links_crosssell_position",
    // One website sells on every site: a price's website is not read.
    "_tier_price_website",
    "_tier_price_customer_group",
    "_tier_price_qty",
    "_tier_price_price",
    "_group_price_website",
    "_group_price_customer_group",
    "_group_price_price",
    "_custom_option_store",
    "_custom_option_type",
    "_custom_option_title",
    "_custom_option_is_required",
    "_custom_option_price",
    "_custom_option_sku",
    "_custom_option_max_characters",
    "_custom_option_sort_order",
    "_custom_option_row_title",
    "_custom_option_row_price",
    "_custom_option_row_sku",
    "_custom_option_row_sort",
];

/// Which site each Magento store view feeds. The admin scope (`_store` empty) is
/// `default_site`. Store codes are matched whatever their case (`Default` is
/// `default`), as Magento's own exports and settings mix them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreSites {
    pub default_site: SiteCode,
    pub stores: HashMap<String, SiteCode>,
}

impl StoreSites {
    /// Reads `admin=es,default=es,fr=fr,pt=pt,it=it`: each Magento store code, and
    /// `admin` for the admin scope, with the site it feeds.
    pub fn parse(text: &str) -> Result<StoreSites, String> {
        let mut sites = StoreSites {
            default_site: SiteCode::Es,
            stores: HashMap::new(),
        };
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (store, site) = pair
                .split_once('=')
                .ok_or_else(|| format!("'{pair}' is not store=site"))?;
            let site = SiteCode::parse(site.trim()).map_err(|e| e.to_string())?;
            match store.trim().to_lowercase().as_str() {
                "" => return Err(format!("'{pair}' names no store")),
                "admin" => sites.default_site = site,
                store => {
                    sites.stores.insert(store.to_owned(), site);
                }
            }
        }
        Ok(sites)
    }

    /// The site the store view `code` feeds, whatever the code's case (codes are
    /// kept in lower case).
    pub fn site_of(&self, code: &str) -> Option<SiteCode> {
        match self.stores.get(code) {
            Some(site) => Some(*site),
            None => self.stores.get(&code.to_lowercase()).copied(),
        }
    }
}

impl Default for StoreSites {
    /// The admin and `default` scopes are Spain; `fr`, `pt` and `it` are themselves.
    fn default() -> Self {
        StoreSites {
            default_site: SiteCode::Es,
            stores: [
                ("default", SiteCode::Es),
                ("es", SiteCode::Es),
                ("fr", SiteCode::Fr),
                ("pt", SiteCode::Pt),
                ("it", SiteCode::It),
            ]
            .into_iter()
            .map(|(code, site)| (code.to_owned(), site))
            .collect(),
        }
    }
}

/// How the Magento shop was set up, which its exports do not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MagentoSettings {
    pub stores: StoreSites,
    pub prices: PriceBasis,
    /// Which attributes hold the gender, age group, theme, brand and GTIN, and
    /// the shop's own words for their values.
    pub attributes: AttributeMap,
}

/// Whether the export's prices include VAT: Magento's
/// `tax/calculation/price_includes_tax` (0 by default: without VAT).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PriceBasis {
    /// Shelf prices, as shoppers see them: each site sells at the price written.
    #[default]
    IncludingVat,
    /// Net prices: each site adds its standard VAT.
    ExcludingVat,
}

impl PriceBasis {
    /// `true` (prices include VAT) or `false`, as Magento's setting says it.
    pub fn from_includes_tax(includes_tax: bool) -> PriceBasis {
        if includes_tax {
            PriceBasis::IncludingVat
        } else {
            PriceBasis::ExcludingVat
        }
    }

    /// A Magento price (`24.9900`) as the VAT-included price on `site`. Including
    /// VAT, decimals beyond the cent must be zeros; without, the net price keeps
    /// its four decimals (`24.7934`) until the site's VAT is added and the shelf
    /// price rounded half up to the cent.
    fn shelf_price(self, text: &str, site: SiteCode) -> Option<Money> {
        match self {
            PriceBasis::IncludingVat => amount(text, site),
            PriceBasis::ExcludingVat => {
                let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
                let (kept, rest) = fraction.split_at(fraction.len().min(4));
                if !rest.bytes().all(|b| b == b'0')
                    || !whole.bytes().all(|b| b.is_ascii_digit())
                    || !kept.bytes().all(|b| b.is_ascii_digit())
                    || whole.is_empty()
                {
                    return None;
                }
                let ten_thousandths: i128 = format!("{whole}{kept:0<4}").parse().ok()?;
                let with_vat = ten_thousandths
                    * (10_000 + i128::from(site.standard_vat_rate().basis_points()));
                // Ten-thousandths of a cent times basis points: 10⁶ to the cent.
                let cents = i64::try_from((with_vat + 500_000) / 1_000_000).ok()?;
                Some(Money::from_cents(cents, site.currency()))
            }
        }
    }
}

/// A product as its rows describe it, before children are attached.
#[derive(Default)]
struct Gathered {
    line: u64,
    /// The SKU as the file has it, surrounding whitespace included.
    sku: String,
    /// The SKU as Magento tells SKUs apart ([`magento_identity`]).
    identity: String,
    kind: String,
    names: HashMap<SiteCode, String>,
    descriptions: HashMap<SiteCode, String>,
    url_keys: HashMap<SiteCode, String>,
    meta_titles: HashMap<SiteCode, String>,
    meta_descriptions: HashMap<SiteCode, String>,
    meta_keywords: HashMap<SiteCode, String>,
    short_descriptions: HashMap<SiteCode, String>,
    /// The admin row's facts, as written.
    brand: String,
    made_in: String,
    weight: String,
    gtin: String,
    news_from: String,
    news_to: String,
    tax_class: String,
    price: String,
    /// Store views' own prices and special prices (Magento's price scope
    /// "website") and visibilities, by the site each feeds: each applies there.
    site_prices: HashMap<SiteCode, String>,
    site_special_prices: HashMap<SiteCode, String>,
    site_visibilities: HashMap<SiteCode, String>,
    special_price: String,
    special_from: String,
    special_to: String,
    status: String,
    visibility: String,
    qty: String,
    /// `is_in_stock`: 0 takes a counted article off sale whatever its `qty`.
    in_stock: String,
    /// Magento's stock settings and whether each is the row's own (its
    /// `use_config_*` flag 0) or the shop's default.
    manage_stock: StockSetting,
    backorders: StockSetting,
    min_sale_units: StockSetting,
    max_sale_units: StockSetting,
    /// A simple product's values of the columns not read otherwise (`size`,
    /// `formato`...): a configurable that names it as a child takes its super
    /// attributes' values from them. Column positions and [`AttributeValues`] ids.
    attributes: Vec<(usize, u32)>,
    categories: Vec<String>,
    /// Gallery images (`_media_image`) with their `_media_position`, those marked
    /// `_media_is_disabled` left out.
    images: Vec<(i64, String)>,
    /// The main image (`image`), shown first.
    main_image: String,
    /// Configurable children (`_super_products_sku`), each once, as Magento
    /// identifies SKUs.
    children: Vec<String>,
    /// A configurable's super attributes' values with their price corrections.
    super_prices: Vec<SuperPrice>,
    /// Tier and group prices (`_tier_price_*`, `_group_price_*`), as written.
    tiers: Vec<TierRow>,
    /// Products it suggests (`_links_*_sku`), as written, with their positions.
    links: Vec<(LinkKind, String, i64)>,
    /// Custom options (`_custom_option_*`), in the admin scope.
    custom_options: Vec<CustomOption>,
    /// The admin row's gender, age group and theme, as written.
    gender: String,
    age_group: String,
    theme: String,
    /// The product's Magento URLs per site: `url_key.html` and `url_path`.
    old_paths: Vec<(SiteCode, String)>,
    /// Each site's `url_path`, which Magento makes unique when URL keys clash
    /// (`ambrosia-575.html`).
    url_paths: HashMap<SiteCode, String>,
    /// The websites (`_product_websites`) the product is in, over its rows; `None`
    /// when the export has no such column.
    websites: Option<Vec<String>>,
    /// Sites whose store view says `status` 2: not sold there.
    disabled_on: Vec<SiteCode>,
}

/// A tier or group price as a row writes it: a group price is a tier from one unit.
#[derive(Debug, Clone, Default)]
struct TierRow {
    line: u64,
    /// `all`, or a customer group's id.
    group: String,
    units: String,
    price: String,
}

/// A row of a configurable's `_super_attribute_*` columns: a value of one of its
/// super attributes and what it adds to the price (`5.0000`, or `10%` of it).
/// Magento's export pairs these with `_super_products_sku` by position only: a
/// child's own values are on its own row.
struct SuperPrice {
    attribute: String,
    option: String,
    correction: String,
}

/// A custom option as its rows give it: the row with its `_custom_option_type`
/// holds its first value, the rows after it the others.
struct CustomOption {
    line: u64,
    kind: String,
    title: String,
    required: bool,
    sort: i64,
    /// The values, in file order.
    values: Vec<CustomValue>,
    /// Titles of store views, by the site each feeds.
    titles: HashMap<SiteCode, String>,
    /// How many rows of each store view's translations were read: Magento writes a
    /// store view's row per value, in the values' order.
    store_rows: HashMap<SiteCode, usize>,
}

struct CustomValue {
    title: String,
    /// `5.0000`, or `10%` of the product's price.
    price: String,
    sort: i64,
    /// Titles of store views, by the site each feeds.
    titles: HashMap<SiteCode, String>,
}

/// The values of the columns this reader does not read, each text stored once:
/// a shop's simple products share a few sizes and colours.
#[derive(Default)]
struct AttributeValues {
    texts: Vec<String>,
    ids: HashMap<String, u32>,
}

impl AttributeValues {
    /// Values longer than this are not an attribute's option (descriptions).
    const LONGEST: usize = 255;

    fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = u32::try_from(self.texts.len()).expect("fewer values than rows");
        self.texts.push(text.to_owned());
        self.ids.insert(text.to_owned(), id);
        id
    }

    fn text(&self, id: u32) -> &str {
        &self.texts[id as usize]
    }
}

/// Reads a whole export; `categories` maps the catalogue's category paths (below
/// the root) to ids, and a path it lacks is added to the file's new categories.
/// A product with a wrong row (its own, one of its continuation rows, or one of a
/// configurable's children) is left out whole; a store-view row whose view feeds
/// no site is left out alone.
pub fn read(
    input: impl Read,
    categories: &HashMap<String, CategoryId>,
    settings: &MagentoSettings,
) -> Result<ReadOutcome<ProductFile>, FileError> {
    read_with_tree(input, categories, settings, &[]).map(|(read, _)| read)
}

/// Reads a whole export as [`read`] does, with the old shop's whole category
/// tree: `tree` names each category by its path (parents first, in the order
/// they are to be created), so that those without products are created too; no
/// note is made of them. Also returns where each of `tree` is (`None` for a path
/// without a name).
pub fn read_with_tree(
    input: impl Read,
    categories: &HashMap<String, CategoryId>,
    settings: &MagentoSettings,
    tree: &[String],
) -> Result<(ReadOutcome<ProductFile>, Vec<Option<CategoryRef>>), FileError> {
    let sites = &settings.stores;
    let mut reader = crate::csv_reader(input, true);
    let required: Vec<String> = REQUIRED.map(String::from).to_vec();
    let header = crate::header(&mut reader, &required)?;
    let index = crate::ColumnIndex::new(&header);
    let mut gathered: Vec<Gathered> = Vec::new();
    // The line each SKU first appears on.
    let mut first_lines: HashMap<String, u64> = HashMap::new();
    let mut errors = Vec::new();
    // Rows left out alone, their product kept.
    let mut rows_left_out = Vec::new();
    // After a product row without SKU, its continuation rows are left out with it.
    let mut skipping = false;
    // Rows imported with a change, said in the report.
    let mut notes: Vec<RowError> = Vec::new();
    // Columns that may hold a super attribute's values.
    let attribute_columns: Vec<(usize, &str)> = header
        .iter()
        .enumerate()
        .map(|(at, column)| (at, column.as_str()))
        .filter(|(_, column)| !column.is_empty() && !READ_COLUMNS.contains(column))
        .collect();
    let mut attribute_values = AttributeValues::default();
    let mut super_attributes: HashSet<String> = HashSet::new();
    notes.push(RowError {
        line: 1,
        message: match settings.prices {
            PriceBasis::IncludingVat => "prices read as including VAT (Magento's price_includes_tax = 1): each site sells at the price written",
            PriceBasis::ExcludingVat => "prices read without VAT (Magento's price_includes_tax = 0): each site adds its standard VAT",
        }
        .to_owned(),
    });
    let attributes = &settings.attributes;
    crate::read_rows(&mut reader, &mut errors, |line, fields, errors| {
        let field = |name: &str| index.field(fields, name);
        let fact =
            |column: &Option<String>| column.as_deref().map(field).unwrap_or_default().to_owned();
        let sku = index.untrimmed(fields, "sku");
        if !sku.trim().is_empty() {
            skipping = false;
            let identity = magento_identity(sku);
            if let Some(first) = first_lines.insert(identity.clone(), line) {
                errors.push(RowError {
                    line,
                    message: format!(
                        "SKU '{}' appears twice (first on line {first})",
                        sku.escape_debug()
                    ),
                });
            }
            let mut product = Gathered {
                line,
                sku: sku.to_owned(),
                identity,
                kind: field("_type").to_owned(),
                price: field("price").to_owned(),
                special_price: field("special_price").to_owned(),
                special_from: field("special_from_date").to_owned(),
                special_to: field("special_to_date").to_owned(),
                status: field("status").to_owned(),
                visibility: field("visibility").to_owned(),
                qty: field("qty").to_owned(),
                in_stock: field("is_in_stock").to_owned(),
                manage_stock: StockSetting::read(
                    field("manage_stock"),
                    field("use_config_manage_stock"),
                ),
                backorders: StockSetting::read(field("backorders"), field("use_config_backorders")),
                min_sale_units: StockSetting::read(
                    field("min_sale_qty"),
                    field("use_config_min_sale_qty"),
                ),
                max_sale_units: StockSetting::read(
                    field("max_sale_qty"),
                    field("use_config_max_sale_qty"),
                ),
                main_image: field("image").to_owned(),
                gender: fact(&attributes.gender),
                age_group: fact(&attributes.age_group),
                theme: fact(&attributes.theme),
                brand: fact(&attributes.brand),
                gtin: fact(&attributes.gtin),
                made_in: field("country_of_manufacture").to_owned(),
                weight: field("weight").to_owned(),
                news_from: field("news_from_date").to_owned(),
                news_to: field("news_to_date").to_owned(),
                tax_class: field("tax_class_id").to_owned(),
                websites: index.has("_product_websites").then(Vec::new),
                ..Gathered::default()
            };
            if product.kind == "simple" {
                for &(at, _) in &attribute_columns {
                    let value = fields.get(at).map_or("", |value| value.trim());
                    if !value.is_empty() && value.len() <= AttributeValues::LONGEST {
                        product.attributes.push((at, attribute_values.id(value)));
                    }
                }
            }
            gathered.push(product);
        } else if !field("_type").is_empty()
            || (field("_store").is_empty()
                && (!field("name").is_empty() || !field("price").is_empty()))
        {
            // A product of its own whose SKU was lost (a spreadsheet edit): merged
            // into the product above, it would overwrite its name and URL key.
            rows_left_out.push(RowError {
                line,
                message: "no SKU, but a type, name or price of its own: a product whose SKU is missing, not a continuation of the one above".to_owned(),
            });
            skipping = true;
            return;
        } else if skipping {
            return;
        }
        let Some(product) = gathered.last_mut() else {
            errors.push(RowError {
                line,
                message: "a continuation row before any product".to_owned(),
            });
            return;
        };
        let website = field("_product_websites");
        if let Some(websites) = &mut product.websites
            && !website.is_empty()
            && !websites.iter().any(|known| known == website)
        {
            websites.push(website.to_owned());
        }
        let store = field("_store");
        let site = if store.is_empty() {
            Some(sites.default_site)
        } else {
            sites.site_of(store)
        };
        match site {
            Some(site) => {
                for (column, values) in [
                    ("name", &mut product.names),
                    ("description", &mut product.descriptions),
                    ("url_key", &mut product.url_keys),
                    ("meta_title", &mut product.meta_titles),
                    ("meta_description", &mut product.meta_descriptions),
                    ("meta_keyword", &mut product.meta_keywords),
                    ("short_description", &mut product.short_descriptions),
                ] {
                    let value = field(column);
                    if !value.is_empty() {
                        values.insert(site, value.to_owned());
                    }
                }
                for (column, values) in [
                    ("price", &mut product.site_prices),
                    ("special_price", &mut product.site_special_prices),
                    ("visibility", &mut product.site_visibilities),
                ] {
                    let value = field(column);
                    if !store.is_empty() && !value.is_empty() {
                        values.insert(site, value.to_owned());
                    }
                }
                // A store view may disable the product on its own site.
                if !store.is_empty()
                    && field("status") == "2"
                    && !product.disabled_on.contains(&site)
                {
                    product.disabled_on.push(site);
                }
                let url_key = field("url_key");
                let url_path = field("url_path");
                if !url_path.is_empty() {
                    product.url_paths.insert(site, url_path.to_owned());
                }
                // Magento's default URL suffix.
                let old = [format!("{url_key}.html"), field("url_path").to_owned()];
                for path in old {
                    let path = path.trim_start_matches('/').to_owned();
                    if !url_key.is_empty()
                        && path.len() > ".html".len()
                        && !product.old_paths.contains(&(site, path.clone()))
                    {
                        product.old_paths.push((site, path));
                    }
                }
            }
            None => rows_left_out.push(RowError {
                line,
                message: format!("store view '{store}' is not mapped to a site: left out"),
            }),
        }
        let category = field("_category");
        if !category.is_empty() {
            product.categories.push(category.to_owned());
        }
        let image = field("_media_image");
        if !image.is_empty() && field("_media_is_disabled") != "1" {
            // Without a position, after those that have one, in file order.
            let position = field("_media_position").parse().unwrap_or(i64::MAX);
            product.images.push((position, image.to_owned()));
        }
        let child = index.untrimmed(fields, "_super_products_sku");
        if !child.trim().is_empty() {
            let child = magento_identity(child);
            if !product.children.contains(&child) {
                product.children.push(child);
            }
        }
        let option_store = field("_custom_option_store");
        if option_store.is_empty() {
            let sort = |column: &str| field(column).parse().unwrap_or(i64::MAX);
            let kind = field("_custom_option_type");
            if !kind.is_empty() {
                product.custom_options.push(CustomOption {
                    line,
                    kind: kind.to_owned(),
                    title: field("_custom_option_title").to_owned(),
                    required: flag(field("_custom_option_is_required")) == Some(true),
                    sort: sort("_custom_option_sort_order"),
                    values: Vec::new(),
                    titles: HashMap::new(),
                    store_rows: HashMap::new(),
                });
            }
            let value = field("_custom_option_row_title");
            if !value.is_empty() {
                match product.custom_options.last_mut() {
                    Some(option) => option.values.push(CustomValue {
                        title: value.to_owned(),
                        price: field("_custom_option_row_price").to_owned(),
                        sort: sort("_custom_option_row_sort"),
                        titles: HashMap::new(),
                    }),
                    None => errors.push(RowError {
                        line,
                        message: "a custom option's value before any custom option".to_owned(),
                    }),
                }
            }
        } else if let (Some(site), Some(option)) = (
            sites.site_of(option_store),
            product.custom_options.last_mut(),
        ) {
            // A store view's rows follow its option's: the option's title where it
            // differs, and the title of each value in turn.
            let row = option.store_rows.entry(site).or_default();
            *row += 1;
            let title = field("_custom_option_title");
            if !title.is_empty() {
                option.titles.insert(site, title.to_owned());
            }
            let value = field("_custom_option_row_title");
            if let (false, Some(translated)) = (value.is_empty(), option.values.get_mut(*row - 1)) {
                translated.titles.insert(site, value.to_owned());
            }
        }
        if !field("_tier_price_price").is_empty() {
            product.tiers.push(TierRow {
                line,
                group: field("_tier_price_customer_group").to_owned(),
                units: field("_tier_price_qty").to_owned(),
                price: field("_tier_price_price").to_owned(),
            });
        }
        if !field("_group_price_price").is_empty() {
            product.tiers.push(TierRow {
                line,
                group: field("_group_price_customer_group").to_owned(),
                units: "1".to_owned(),
                price: field("_group_price_price").to_owned(),
            });
        }
        for (kind, sku, position) in [
            (
                LinkKind::Related,
                "_links_related_sku",
                "_links_related_position",
            ),
            (
                LinkKind::UpSell,
                "_links_upsell_sku",
                "_links_upsell_position",
            ),
            (
                LinkKind::CrossSell,
                "_links_crosssell_sku",
                "_links_crosssell_position",
            ),
        ] {
            let sku = index.untrimmed(fields, sku);
            if !sku.trim().is_empty() {
                let position = field(position).parse().unwrap_or(i64::MAX);
                product.links.push((kind, sku.to_owned(), position));
            }
        }
        let attribute = field("_super_attribute_code");
        if !attribute.is_empty() {
            super_attributes.insert(attribute.to_owned());
            product.super_prices.push(SuperPrice {
                attribute: attribute.to_owned(),
                option: field("_super_attribute_option").to_owned(),
                correction: field("_super_attribute_price_corr").to_owned(),
            });
        }
    })?;
    // The super attributes' columns are read (as each child's values).
    let ignored: Vec<&str> = attribute_columns
        .iter()
        .map(|(_, column)| *column)
        .filter(|column| {
            !super_attributes.contains(*column)
                && !SIZE_CODES.contains(column)
                && !COLOUR_CODES.contains(column)
                && !attributes.names().any(|read| read == *column)
        })
        .collect();
    if !ignored.is_empty() {
        notes.push(RowError {
            line: 1,
            message: format!(
                "{} columns not imported: {}",
                ignored.len(),
                ignored.join(", ")
            ),
        });
    }
    // Each product's rows run from its first line to the next product's: a row
    // error among them leaves the product out.
    // Sorted, so that each product looks its range up rather than every error (a
    // large file with many bad rows would otherwise cost products × errors).
    let mut wrong_lines: Vec<u64> = errors.iter().map(|error| error.line).collect();
    wrong_lines.sort_unstable();
    let next_lines = gathered.iter().skip(1).map(|g| g.line).chain([u64::MAX]);
    let whole: Vec<bool> = gathered
        .iter()
        .zip(next_lines)
        .map(|(product, next)| {
            let first_wrong_after = wrong_lines.partition_point(|&line| line < product.line);
            wrong_lines
                .get(first_wrong_after)
                .is_none_or(|&line| line >= next)
        })
        .collect();
    let context = FileContext {
        skus: comptoir_skus(&gathered, &mut notes),
        by_sku: gathered
            .iter()
            .zip(&whole)
            .filter(|(_, whole)| **whole)
            .map(|(g, _)| (g.identity.as_str(), g))
            .collect(),
        settings,
        columns: &index,
        attribute_values: &attribute_values,
    };
    let children: HashSet<&str> = gathered
        .iter()
        .flat_map(|g| g.children.iter().map(String::as_str))
        .collect();
    // A configurable's child is one of its variants, not a product of its own.
    let own_products: Vec<bool> = gathered
        .iter()
        .zip(&whole)
        .map(|(product, whole)| *whole && !children.contains(product.identity.as_str()))
        .collect();
    let texts = sanitised_descriptions(&gathered, &own_products, sites.default_site);
    let mut category_paths = CategoryPaths::new(categories);
    let tree_places = tree
        .iter()
        .map(|path| category_paths.place(path, 1, &mut Vec::new()))
        .collect();
    let mut products = Vec::new();
    // The rows each product comes from, for what is decided over them all.
    let mut sources: Vec<&Gathered> = Vec::new();
    for (product, texts) in gathered.iter().zip(texts) {
        let Some(texts) = texts else {
            continue;
        };
        let mut problems = Vec::new();
        let mut product_notes = Vec::new();
        if let Some(imported) = build(
            product,
            texts,
            &context,
            &mut category_paths,
            &mut problems,
            &mut product_notes,
        ) && problems.is_empty()
        {
            products.push(imported);
            sources.push(product);
            notes.extend(product_notes);
        }
        errors.extend(problems.into_iter().map(|message| RowError {
            line: product.line,
            message,
        }));
    }
    unique_url_keys(&mut products, &sources, sites, &mut notes);
    tax_classes(&mut products, &sources, &mut notes);
    let for_groups = products
        .iter()
        .flat_map(|product| product.price_tiers.iter().flatten())
        .filter(|tier| tier.customer_group.is_some())
        .count();
    if for_groups > 0 {
        notes.push(RowError {
            line: 1,
            message: format!(
                "{for_groups} prices of a customer group kept for the B2B side: no shopper is charged them yet"
            ),
        });
    }
    errors.extend(rows_left_out);
    errors.sort_by_key(|e| e.line);
    let named = sources.iter().flat_map(|product| &product.categories);
    notes.sort_by_key(|note| note.line);
    let read = ReadOutcome {
        records: ProductFile {
            old_category_paths: old_category_paths(named, &category_paths),
            new_categories: category_paths.into_new(),
            products,
        },
        rejected: errors,
        notes,
    };
    Ok((read, tree_places))
}

/// Gives each product a URL key no earlier product of the file has, per language.
/// Magento allows two products one `url_key` and makes their `url_path` unique
/// (`ambrosia.html`, `ambrosia-575.html`): a later product takes its `url_path`'s
/// stem, else its key with a number; its guessed old URL `{key}.html` (the earlier
/// product's) is dropped, its `url_path` kept. Each change is noted.
fn unique_url_keys(
    products: &mut [ImportedProduct],
    sources: &[&Gathered],
    sites: &StoreSites,
    notes: &mut Vec<RowError>,
) {
    let mut taken: PerLocale<HashSet<String>> = PerLocale::from_fn(|_| HashSet::new());
    for (product, gathered) in products.iter_mut().zip(sources) {
        for locale in Locale::ALL {
            let key = product.url_keys[locale].clone();
            if taken[locale].insert(key.clone()) {
                continue;
            }
            let site = locale.site();
            let stem = gathered
                .url_paths
                .get(&site)
                .or_else(|| gathered.url_paths.get(&sites.default_site))
                .map(|path| {
                    let file = path.rsplit('/').next().unwrap_or(path);
                    comptoir_domain::slug::slugify(file.trim_end_matches(".html"))
                });
            let free = stem
                .filter(|stem| {
                    comptoir_domain::slug::is_url_key(stem) && !taken[locale].contains(stem)
                })
                .unwrap_or_else(|| {
                    (2..)
                        .map(|n| format!("{key}-{n}"))
                        .find(|candidate| !taken[locale].contains(candidate))
                        .expect("some number is free")
                });
            let note = RowError {
                line: gathered.line,
                message: format!("url_key '{key}' is an earlier product's too: '{free}' used"),
            };
            if !notes.contains(&note) {
                notes.push(note);
            }
            taken[locale].insert(free.clone());
            product.url_keys[locale] = free;
            // The URLs guessed from the shared key (alone, or under a category)
            // are the earlier product's; its own url_path stays.
            let guessed = format!("{key}.html");
            let under_category = format!("/{guessed}");
            let url_path = gathered
                .url_paths
                .get(&site)
                .map(|p| p.trim_start_matches('/'));
            product.old_paths.retain(|(old_site, path)| {
                *old_site != site
                    || Some(path.as_str()) == url_path
                    || (*path != guessed && !path.ends_with(&under_category))
            });
        }
    }
}

/// The old URLs of the categories a file names and of their parents: Magento's
/// category `url_path` is its and its parents' URL keys, each made from the admin
/// name (as Magento makes them), with the `.html` suffix. Store views seldom have
/// their own category URL keys, so each path stands on every site.
fn old_category_paths<'a>(
    named: impl Iterator<Item = &'a String>,
    categories: &CategoryPaths<'_>,
) -> Vec<OldCategoryPath> {
    let mut seen = HashSet::new();
    let mut paths = Vec::new();
    for path in named {
        let names = crate::magento_categories::names(path);
        for depth in 1..=names.len() {
            let Some(category) = categories.find(&names[..depth].join("/")) else {
                continue;
            };
            let keys: Vec<String> = names[..depth]
                .iter()
                .map(|name| comptoir_domain::slug::slugify(name))
                .collect();
            let old = format!("{}.html", keys.join("/"));
            if keys.iter().any(String::is_empty) || !seen.insert(old.clone()) {
                continue;
            }
            paths.extend(SiteCode::ALL.into_iter().map(|site| OldCategoryPath {
                site,
                path: old.clone(),
                category,
            }));
        }
    }
    paths
}

/// A Magento number (`24.9900`) in cents: decimals beyond the cent must be zeros.
pub fn amount(text: &str, site: SiteCode) -> Option<Money> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let (cents, rest) = fraction.split_at(fraction.len().min(2));
    if !rest.bytes().all(|b| b == b'0') {
        return None;
    }
    Money::parse(&format!("{whole}.{cents:0<2}"), site.currency()).ok()
}

/// A Magento quantity (`100.0000`, `-1.0000`) as whole units, below zero included
/// (Magento lets stock fall below zero with backorders).
fn units(text: &str) -> Option<i32> {
    if text.is_empty() {
        return Some(0);
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if !fraction.bytes().all(|b| b == b'0') {
        return None;
    }
    whole.parse::<i32>().ok()
}

/// A Magento date as a day, with or without its time: `2026-10-20`, `2026/10/20`,
/// or `10/20/2026` (PHP, which Magento reads dates with, takes a slashed date with
/// the year last as month/day/year).
pub(crate) fn day(text: &str) -> Result<Option<NaiveDate>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let date = text.split(' ').next().unwrap_or(text);
    ["%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y"]
        .into_iter()
        .find_map(|format| NaiveDate::parse_from_str(date, format).ok())
        .map(Some)
        .ok_or_else(|| format!("'{text}' is not a date"))
}

/// What every product of a file is built with.
struct FileContext<'a> {
    /// The file's products that are whole, by their Magento SKU's identity.
    by_sku: HashMap<&'a str, &'a Gathered>,
    skus: ComptoirSkus,
    settings: &'a MagentoSettings,
    columns: &'a crate::ColumnIndex,
    attribute_values: &'a AttributeValues,
}

impl FileContext<'_> {
    /// A simple product's value of the attribute column `code`.
    fn value_of(&self, product: &Gathered, code: &str) -> Option<&str> {
        let at = self.columns.position(code)?;
        product
            .attributes
            .iter()
            .find(|(column, _)| *column == at)
            .map(|(_, id)| self.attribute_values.text(*id))
    }
}

fn build(
    product: &Gathered,
    texts: SanitisedTexts,
    context: &FileContext<'_>,
    categories: &mut CategoryPaths<'_>,
    problems: &mut Vec<String>,
    notes: &mut Vec<RowError>,
) -> Option<ImportedProduct> {
    let FileContext { skus, settings, .. } = context;
    let sku = skus
        .of(&product.identity)
        .map_err(|e| problems.push(format!("sku: {e}")))
        .ok()?;
    let kind = match product.kind.as_str() {
        "simple" => ProductKind::Simple,
        "configurable" => ProductKind::Configurable,
        other => {
            problems.push(format!(
                "a {other} product: only simple and configurable products are imported"
            ));
            return None;
        }
    };
    let enabled = match product.status.as_str() {
        "1" => true,
        "2" => false,
        other => {
            problems.push(format!(
                "status '{other}' is not 1 (enabled) or 2 (disabled)"
            ));
            true
        }
    };
    let visibility_of = |code: &str, problems: &mut Vec<String>| match code {
        "1" => Visibility::NotVisible,
        "2" => Visibility::Catalogue,
        "3" => Visibility::Search,
        "4" => Visibility::CatalogueAndSearch,
        other => {
            problems.push(format!("visibility '{other}' is not 1 to 4"));
            Visibility::CatalogueAndSearch
        }
    };
    let visibility = visibility_of(&product.visibility, problems);
    // A store view's own visibility applies on its site.
    let visibilities = SiteCode::ALL.map(|site| match product.site_visibilities.get(&site) {
        Some(code) => visibility_of(code, problems),
        None => visibility,
    });
    let default_site = settings.stores.default_site;
    let text = |values| per_locale(values, default_site);
    let names = text(&product.names);
    let mut url_keys = text(&product.url_keys);
    // Meta texts fall back to nothing rather than to another language's: the page
    // then makes its own in its language.
    let meta = PerLocale::from_fn(|locale| PageMeta {
        title: own_text(&product.meta_titles, locale),
        description: own_text(&product.meta_descriptions, locale),
    });
    // Keys Magento accepts and Comptoir does not (`café-chairs`, `lawn-&-garden`,
    // empty): one made from them, else from the name; the old URL still redirects.
    let mut replaced: Vec<String> = Vec::new();
    for locale in Locale::ALL {
        if names[locale].is_empty() {
            problems.push(format!("no name ({})", locale.as_str()));
        }
        let key = &url_keys[locale];
        if comptoir_domain::slug::is_url_key(key) {
            continue;
        }
        let derived = [key, &names[locale]]
            .into_iter()
            .map(|text| comptoir_domain::slug::slugify(text))
            .find(|derived| comptoir_domain::slug::is_url_key(derived));
        match derived {
            Some(derived) => {
                if !replaced.contains(key) {
                    replaced.push(key.clone());
                    notes.push(RowError {
                        line: product.line,
                        message: format!(
                            "url_key '{key}' is not a URL key: '{derived}' used, the old URL redirects to it"
                        ),
                    });
                }
                url_keys[locale] = derived;
            }
            None => problems.push(format!(
                "url_key '{key}' ({}) is not a URL key, and none can be made from the name",
                locale.as_str()
            )),
        }
    }
    let basis = settings.prices;
    if basis.shelf_price(&product.price, default_site).is_none() {
        problems.push(format!("price '{}' is not an amount", product.price));
    }
    for (site, price) in &product.site_prices {
        if basis.shelf_price(price, *site).is_none() {
            problems.push(format!("price '{price}' ({site}) is not an amount"));
        }
    }
    let price_on = |site: SiteCode| product.site_prices.get(&site).unwrap_or(&product.price);
    // Each site's special price: its store view's own, else the admin one; the
    // days are the admin scope's.
    let special_on = |site: SiteCode| {
        product
            .site_special_prices
            .get(&site)
            .unwrap_or(&product.special_price)
            .as_str()
    };
    let specials: Vec<(SiteCode, &str)> = SiteCode::ALL
        .into_iter()
        .map(|site| (site, special_on(site)))
        .filter(|(_, special)| !special.is_empty())
        .collect();
    let sale_days = match (day(&product.special_from), day(&product.special_to)) {
        _ if specials.is_empty() => None,
        (Ok(from), Ok(until))
            if specials
                .iter()
                .all(|(site, special)| basis.shelf_price(special, *site).is_some()) =>
        {
            Some((from, until))
        }
        _ => {
            let written: Vec<&str> = specials.iter().map(|(_, special)| *special).collect();
            problems.push(format!(
                "special price '{}' or its dates cannot be read",
                written.join("', '")
            ));
            None
        }
    };
    // Each site's shelf price: the same when prices include VAT, the net price
    // with the site's VAT otherwise.
    let offer_on = |site: SiteCode| {
        let sale = sale_days.and_then(|(from, until)| {
            Sale::over_days(basis.shelf_price(special_on(site), site)?, from, until)
        });
        Some(SitePrice {
            price: basis.shelf_price(price_on(site), site)?,
            sale,
            visibility: visibilities[site.index()],
        })
    };
    if sale_days.is_some()
        && SiteCode::ALL.into_iter().any(|site| {
            !special_on(site).is_empty() && offer_on(site).is_some_and(|offer| offer.sale.is_none())
        })
    {
        problems.push("the special price ends before it starts".to_owned());
    }
    let shelf_prices = SiteCode::ALL.map(|site| basis.shelf_price(price_on(site), site));
    let options = custom_options(product, &shelf_prices, basis, problems, notes);
    let variants = match kind {
        ProductKind::Simple => {
            let options = ChildOptions::default();
            vec![variant(product, sku.clone(), options, problems, notes)?]
        }
        ProductKind::Configurable => {
            let variants = configurable_variants(product, &shelf_prices, context, problems, notes);
            if variants.is_empty() && problems.is_empty() {
                problems.push("a configurable product without children".to_owned());
            }
            variants
        }
    };
    // In no website, Magento sells it nowhere: imported, but disabled.
    let in_no_website = product.websites.as_ref().is_some_and(Vec::is_empty);
    if in_no_website && enabled {
        notes.push(RowError {
            line: product.line,
            message: "in no website (_product_websites empty): imported disabled".to_owned(),
        });
    }
    if !problems.is_empty() {
        return None;
    }
    // Only a product that is imported creates the categories it names.
    let mut placed: Vec<Placement> = Vec::new();
    for path in &product.categories {
        if let Some(category) = categories.place(path, product.line, notes)
            && !placed.iter().any(|known| known.category == category)
        {
            placed.push(Placement::in_category(category));
        }
    }
    let mut offers = SiteCode::ALL.map(offer_on);
    for site in &product.disabled_on {
        offers[site.index()] = None;
        notes.push(RowError {
            line: product.line,
            message: format!("disabled in the {site} store view: not sold on that site"),
        });
    }
    Some(ImportedProduct {
        sku,
        kind,
        enabled: enabled && !in_no_website,
        theme: fact_of(
            product,
            "theme",
            &product.theme,
            |value| settings.attributes.theme_of(value),
            notes,
        ),
        gender: fact_of(
            product,
            "gender",
            &product.gender,
            |value| settings.attributes.gender_of(value),
            notes,
        ),
        age_group: fact_of(
            product,
            "age group",
            &product.age_group,
            |value| settings.attributes.age_group_of(value),
            notes,
        ),
        names,
        descriptions: texts.descriptions,
        url_keys,
        meta,
        facts: Some(facts(product, texts.short_descriptions, notes)),
        links: Some(links(product, skus, notes)),
        price_tiers: Some(price_tiers(product, basis, notes)),
        // Magento's single website sells on every store view: every site, less
        // those whose store view disables it.
        sites: offers,
        categories: placed,
        images: gallery(product),
        options: Some(options),
        old_paths: old_paths(product, default_site)
            .into_iter()
            .chain(visible_children_paths(product, &variants, context))
            .collect(),
        variants,
    })
}

/// What the product page tells besides name, price and description. A fact that
/// cannot be read is left out with a note; the product is imported all the same.
fn facts(
    product: &Gathered,
    short_descriptions: PerLocale<String>,
    notes: &mut Vec<RowError>,
) -> ProductFacts {
    let mut read = |column: &str, value: &str, why: Option<String>| {
        if let (false, Some(why)) = (value.is_empty(), why) {
            notes.push(RowError {
                line: product.line,
                message: format!("{column}: {why}: left out"),
            });
        }
    };
    let made_in = CountryCode::parse(&product.made_in);
    read(
        "country_of_manufacture",
        &product.made_in,
        made_in.as_ref().err().map(ToString::to_string),
    );
    let gtin = Gtin::parse(&product.gtin);
    read(
        "GTIN",
        &product.gtin,
        gtin.as_ref().err().map(ToString::to_string),
    );
    let weight_grams = grams(&product.weight);
    read(
        "weight",
        &product.weight,
        weight_grams
            .is_none()
            .then(|| format!("'{}' is not a weight in kilograms", product.weight)),
    );
    let (new_from, new_until) = match (day(&product.news_from), day(&product.news_to)) {
        (Ok(from), Ok(until)) if from.zip(until).is_none_or(|(from, until)| from <= until) => {
            (from, until)
        }
        _ => {
            notes.push(RowError {
                line: product.line,
                message: format!(
                    "news_from_date '{}' to news_to_date '{}' are not days in order: not shown as new",
                    product.news_from, product.news_to
                ),
            });
            (None, None)
        }
    };
    ProductFacts {
        short_descriptions,
        keywords: PerLocale::from_fn(|locale| own_text(&product.meta_keywords, locale)),
        brand: Some(product.brand.clone()).filter(|brand| !brand.is_empty()),
        made_in: made_in.ok(),
        weight_grams,
        gtin: gtin.ok(),
        new_from,
        new_until,
    }
}

/// Tier and group prices, at each site's shelf price (with its VAT when the file's
/// prices are net). `all` groups is every shopper; a tier that cannot be read is
/// left out with a note.
fn price_tiers(product: &Gathered, basis: PriceBasis, notes: &mut Vec<RowError>) -> Vec<PriceTier> {
    let mut tiers = Vec::with_capacity(product.tiers.len());
    for row in &product.tiers {
        let units = units(&row.units).and_then(|units| u32::try_from(units).ok());
        let prices = SiteCode::ALL.map(|site| basis.shelf_price(&row.price, site));
        match (units, prices) {
            (Some(min_units), [Some(es), Some(fr), Some(pt), Some(it)]) if min_units >= 1 => tiers
                .push(PriceTier {
                    customer_group: match row.group.to_lowercase().as_str() {
                        "all" | "" => None,
                        _ => Some(row.group.clone()),
                    },
                    min_units,
                    unit_price_cents: [es, fr, pt, it].map(|price| price.cents()),
                }),
            _ => notes.push(RowError {
                line: row.line,
                message: format!(
                    "tier price '{}' from '{}' units cannot be read: left out",
                    row.price, row.units
                ),
            }),
        }
    }
    tiers
}

/// The products it suggests, each kind by its positions. A linked SKU of the file
/// becomes the SKU its product is given; another is kept as Comptoir reads it (the
/// product may already be in the shop, or come in a later file).
fn links(product: &Gathered, skus: &ComptoirSkus, notes: &mut Vec<RowError>) -> Vec<ProductLink> {
    let mut links: Vec<&(LinkKind, String, i64)> = product.links.iter().collect();
    // Stable: links without a position stay in file order, after the others.
    links.sort_by_key(|(kind, _, position)| (kind.as_str(), *position));
    let mut kept: Vec<ProductLink> = Vec::with_capacity(links.len());
    for (kind, sku, _) in links {
        let sku = match skus.0.get(&magento_identity(sku)) {
            Some(given) => given.clone(),
            None => Sku::parse(sku),
        };
        match sku {
            Ok(sku) => {
                let link = ProductLink { kind: *kind, sku };
                if !kept.contains(&link) {
                    kept.push(link);
                }
            }
            Err(e) => notes.push(RowError {
                line: product.line,
                message: format!("{} link: {e}: left out", kind.as_str()),
            }),
        }
    }
    kept
}

/// Grams of a weight in kilograms (`0.4500`), Magento's usual unit.
fn grams(kilograms: &str) -> Option<u32> {
    let kilograms: f64 = kilograms.trim().parse().ok()?;
    let grams = (kilograms * 1000.0).round();
    (0.0..=f64::from(ProductFacts::HEAVIEST_GRAMS))
        .contains(&grams)
        .then_some(grams as u32)
}

/// Magento's tax class for goods taxed at the standard rate, by name and id.
const STANDARD_TAX_CLASSES: [&str; 2] = ["taxable goods", "2"];
/// Magento's class of untaxed goods, by name and id.
const UNTAXED_CLASSES: [&str; 2] = ["none", "0"];

/// Comptoir sells every product at its country's standard VAT rate. A product of
/// Magento's untaxed class would then be sold with VAT: it is imported disabled,
/// for staff to decide. Any other class the shop made is read as the standard rate,
/// named once with how many products have it.
fn tax_classes(products: &mut [ImportedProduct], sources: &[&Gathered], notes: &mut Vec<RowError>) {
    let mut others: Vec<(String, u64, usize)> = Vec::new();
    for (product, gathered) in products.iter_mut().zip(sources) {
        let class = gathered.tax_class.trim();
        let lower = class.to_lowercase();
        if class.is_empty() || STANDARD_TAX_CLASSES.contains(&lower.as_str()) {
            continue;
        }
        if UNTAXED_CLASSES.contains(&lower.as_str()) {
            product.enabled = false;
            notes.push(RowError {
                line: gathered.line,
                message: format!(
                    "tax class '{class}': Comptoir sells at each country's standard VAT rate: imported disabled"
                ),
            });
            continue;
        }
        match others.iter_mut().find(|(known, _, _)| *known == class) {
            Some((_, _, count)) => *count += 1,
            None => others.push((class.to_owned(), gathered.line, 1)),
        }
    }
    for (class, line, count) in others {
        notes.push(RowError {
            line,
            message: format!(
                "tax class '{class}' ({count} products, the first here) read as the standard VAT rate"
            ),
        });
    }
}

/// The old URLs of a configurable's children that Magento showed on their own
/// (visibility other than 1): they now lead to the configurable.
fn visible_children_paths(
    product: &Gathered,
    variants: &[ImportedVariant],
    context: &FileContext<'_>,
) -> Vec<(SiteCode, String)> {
    let default_site = context.settings.stores.default_site;
    product
        .children
        .iter()
        .filter_map(|child| context.by_sku.get(child.as_str()))
        .filter(|child| child.visibility != "1")
        .filter(|child| {
            context
                .skus
                .of(&child.identity)
                .is_ok_and(|sku| variants.iter().any(|v| v.sku == sku))
        })
        .flat_map(|child| old_paths(child, default_site))
        .collect()
}

/// A product's fact from its value as written; a value not understood is left out
/// with a note.
fn fact_of<T>(
    product: &Gathered,
    what: &str,
    value: &str,
    read: impl Fn(&str) -> Option<T>,
    notes: &mut Vec<RowError>,
) -> Option<T> {
    if value.is_empty() {
        return None;
    }
    let fact = read(value);
    if fact.is_none() {
        notes.push(RowError {
            line: product.line,
            message: format!("{what} '{value}' is not one Comptoir knows: left out"),
        });
    }
    fact
}

/// Each language's value of a text column: its store view's, else the admin
/// scope's (the default site's), as Magento falls back.
fn per_locale(values: &HashMap<SiteCode, String>, default_site: SiteCode) -> PerLocale<String> {
    let fallback = values.get(&default_site).cloned().unwrap_or_default();
    PerLocale::from_fn(|locale| {
        let site = locale.site();
        values
            .get(&site)
            .cloned()
            .unwrap_or_else(|| fallback.clone())
    })
}

/// A language's value of a text column that is each language's own (meta texts,
/// keywords): its store view's, else nothing rather than another language's.
fn own_text(values: &HashMap<SiteCode, String>, locale: Locale) -> String {
    values.get(&locale.site()).cloned().unwrap_or_default()
}

/// A product's HTML texts, sanitised.
struct SanitisedTexts {
    descriptions: PerLocale<String>,
    short_descriptions: PerLocale<String>,
}

/// The sanitised descriptions of the products `wanted` says, on every core: HTML
/// sanitising is most of the reading's work on a shop's worth of descriptions.
fn sanitised_descriptions(
    gathered: &[Gathered],
    wanted: &[bool],
    default_site: SiteCode,
) -> Vec<Option<SanitisedTexts>> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let per_thread = gathered.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = gathered
            .chunks(per_thread)
            .zip(wanted.chunks(per_thread))
            .map(|(products, wanted)| {
                scope.spawn(move || {
                    products
                        .iter()
                        .zip(wanted)
                        .map(|(product, wanted)| {
                            wanted.then(|| SanitisedTexts {
                                descriptions: sanitised_once(per_locale(
                                    &product.descriptions,
                                    default_site,
                                )),
                                short_descriptions: sanitised_once(per_locale(
                                    &product.short_descriptions,
                                    default_site,
                                )),
                            })
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("sanitising does not panic"))
            .collect()
    })
}

/// Magento's HTML descriptions made safe ([`comptoir_domain::rich_text::sanitised`]),
/// each distinct text once: store views without their own share the admin one.
fn sanitised_once(descriptions: PerLocale<String>) -> PerLocale<String> {
    let mut done: Vec<(String, String)> = Vec::with_capacity(1);
    descriptions.map(|text| {
        if let Some((_, clean)) = done.iter().find(|(raw, _)| *raw == text) {
            return clean.clone();
        }
        let clean = comptoir_domain::rich_text::sanitised(&text);
        done.push((text, clean.clone()));
        clean
    })
}

/// A SKU as Magento tells SKUs apart: its column ignores case and trailing spaces
/// (MySQL's comparison), not a trailing tab nor leading spaces.
fn magento_identity(sku: &str) -> String {
    sku.trim_end_matches(' ').to_lowercase()
}

/// Each Magento SKU of a file (by [`magento_identity`]) as a Comptoir SKU, or why
/// it cannot be one.
struct ComptoirSkus(HashMap<String, Result<Sku, SkuError>>);

impl ComptoirSkus {
    fn of(&self, identity: &str) -> Result<Sku, SkuError> {
        self.0
            .get(identity)
            .cloned()
            .expect("every SKU of the file is given its Comptoir SKU")
    }
}

/// Gives every SKU of the file its Comptoir SKU: trimmed and upper-cased. Two SKUs
/// Magento tells apart may become one (`ECW \t` and `ECW `): the later takes a
/// number (`ECW-2`), noted on its line.
fn comptoir_skus(gathered: &[Gathered], notes: &mut Vec<RowError>) -> ComptoirSkus {
    let mut skus = HashMap::with_capacity(gathered.len());
    // Each Comptoir SKU given, with the line of the product it went to.
    let mut given: HashMap<Sku, u64> = HashMap::with_capacity(gathered.len());
    for product in gathered {
        if skus.contains_key(&product.identity) {
            // The same SKU twice: an error reported as the rows were read.
            continue;
        }
        let sku = Sku::parse(&product.sku).map(|sku| match given.get(&sku) {
            None => sku,
            Some(first) => {
                let free = (2..)
                    .filter_map(|n| Sku::parse(&format!("{sku}-{n}")).ok())
                    .find(|candidate| !given.contains_key(candidate))
                    .expect("some number is free");
                notes.push(RowError {
                    line: product.line,
                    message: format!(
                        "SKU '{}' is {sku} once trimmed, as line {first}'s: imported as {free}",
                        product.sku.escape_debug()
                    ),
                });
                free
            }
        });
        if let Ok(sku) = &sku {
            given.insert(sku.clone(), product.line);
        }
        skus.insert(product.identity.clone(), sku);
    }
    ComptoirSkus(skus)
}

/// Magento's gallery, to be copied under `MEDIA_DIR/catalog/product`: the main
/// image (`image`) first, then the others by `_media_position` (a sort that keeps
/// the file's order between equal positions).
fn gallery(product: &Gathered) -> Vec<String> {
    let mut images = product.images.clone();
    images.sort_by_key(|(position, _)| *position);
    let main = [product.main_image.as_str()]
        .into_iter()
        .filter(|main| !main.is_empty() && *main != "no_selection");
    let mut paths: Vec<String> = Vec::new();
    for path in main.chain(images.iter().map(|(_, path)| path.as_str())) {
        let path = format!("media/catalog/product/{}", path.trim_start_matches('/'));
        if !paths.contains(&path) {
            paths.push(path);
        }
    }
    paths
}

/// The product's old URLs; a store view without its own URL keeps the admin ones
/// (Magento falls back to them too).
fn old_paths(product: &Gathered, admin_site: SiteCode) -> Vec<(SiteCode, String)> {
    let mut paths = product.old_paths.clone();
    let admin: Vec<String> = product
        .old_paths
        .iter()
        .filter(|(site, _)| *site == admin_site)
        .map(|(_, path)| path.clone())
        .collect();
    for site in SiteCode::ALL {
        if !product.old_paths.iter().any(|(s, _)| *s == site) {
            paths.extend(admin.iter().map(|path| (site, path.clone())));
        }
    }
    // Magento also serves a product under each of its categories' paths
    // (`accessories/jewelry/pearl-stud-earrings.html`, its default
    // `product_use_categories`), made of the categories' admin names.
    for site in SiteCode::ALL {
        let key = product
            .url_keys
            .get(&site)
            .or_else(|| product.url_keys.get(&admin_site))
            .map_or("", String::as_str);
        if key.is_empty() {
            continue;
        }
        for category in &product.categories {
            let keys: Vec<String> = category
                .trim_matches('/')
                .split('/')
                .map(comptoir_domain::slug::slugify)
                .collect();
            if keys.iter().any(String::is_empty) {
                continue;
            }
            let path = format!("{}/{key}.html", keys.join("/"));
            if !paths.contains(&(site, path.clone())) {
                paths.push((site, path));
            }
        }
    }
    paths
}

/// Attribute codes of a size, and of a colour, in the shops we migrate.
const SIZE_CODES: [&str; 2] = ["size", "talla"];
const COLOUR_CODES: [&str; 2] = ["color", "colour"];

/// A product's drop-down and radio custom options, by their sort order, each value
/// with its surcharge on every site (`prices`: the product's, what percentages are
/// of). Options of other types (text, file, date, several values) are noted as not
/// imported: Comptoir takes no text or file from shoppers.
fn custom_options(
    product: &Gathered,
    prices: &[Option<Money>; 4],
    basis: PriceBasis,
    problems: &mut Vec<String>,
    notes: &mut Vec<RowError>,
) -> Vec<ProductOption> {
    let mut rows: Vec<&CustomOption> = product.custom_options.iter().collect();
    rows.sort_by_key(|option| option.sort);
    let mut options = Vec::new();
    for option in rows {
        let title = &option.title;
        let required = if option.required { ", required" } else { "" };
        if !matches!(option.kind.as_str(), "drop_down" | "radio") {
            notes.push(RowError {
                line: option.line,
                message: format!(
                    "custom option '{title}' ({}{required}) is not imported: only drop-down and radio options are",
                    option.kind
                ),
            });
            continue;
        }
        if title.is_empty() || option.values.is_empty() {
            notes.push(RowError {
                line: option.line,
                message: format!("custom option '{title}' has no title or no values: not imported"),
            });
            continue;
        }
        let mut values: Vec<&CustomValue> = option.values.iter().collect();
        values.sort_by_key(|value| value.sort);
        // Each language's title: its store view's, else the admin one.
        let translated = |titles: &HashMap<SiteCode, String>, admin: &String| {
            PerLocale::from_fn(|locale| titles.get(&locale.site()).unwrap_or(admin).clone())
        };
        let mut imported = Vec::new();
        for value in values {
            let (price, name) = (&value.price, &value.title);
            let surcharge_cents = corrections(price, prices, basis).unwrap_or_else(|| {
                problems.push(format!(
                    "_custom_option_row_price '{price}' of '{title}: {name}' is not an amount or a percentage"
                ));
                [0; 4]
            });
            imported.push(OptionValue {
                id: 0,
                titles: translated(&value.titles, name),
                surcharge_cents,
            });
        }
        options.push(ProductOption {
            id: 0,
            titles: translated(&option.titles, title),
            required: option.required,
            values: imported,
        });
    }
    options
}

/// What tells one of a configurable's children apart, and what it adds to the
/// price on each site.
#[derive(Default, Clone)]
struct ChildOptions {
    size: Option<String>,
    colour: Option<String>,
    choices: Vec<VariantChoice>,
    surcharge_cents: [i64; 4],
}

impl ChildOptions {
    /// Whether shoppers choose both by the same values.
    fn same_choice(&self, other: &ChildOptions) -> bool {
        self.size == other.size && self.colour == other.colour && self.choices == other.choices
    }
}

/// Where a super attribute's values go: the size, the colour, or a choice of
/// its own.
enum Slot {
    Size,
    Colour,
    Choice(ChoiceAttribute),
}

/// A configurable's variants: each child `_super_products_sku` names, once, with
/// its own value of each super attribute (read on the child's row) and the price
/// corrections of its values. A child without a value of one of them, or with
/// the same values as another, cannot be chosen: left out with a note.
/// `prices`: the configurable's price on each site, what percentages are of.
fn configurable_variants(
    product: &Gathered,
    prices: &[Option<Money>; 4],
    context: &FileContext<'_>,
    problems: &mut Vec<String>,
    notes: &mut Vec<RowError>,
) -> Vec<ImportedVariant> {
    let mut codes: Vec<&str> = Vec::new();
    for price in &product.super_prices {
        if !codes.contains(&price.attribute.as_str()) {
            codes.push(&price.attribute);
        }
    }
    let children: Vec<&Gathered> = product
        .children
        .iter()
        .filter_map(|child| match context.by_sku.get(child.as_str()) {
            Some(child) => Some(*child),
            None => {
                problems.push(format!(
                    "child {} is not in the file, or was left out",
                    child.escape_debug()
                ));
                None
            }
        })
        .collect();
    // An export without super attribute rows: the children's size and colour.
    if codes.is_empty() {
        codes = SIZE_CODES
            .iter()
            .chain(&COLOUR_CODES)
            .copied()
            .filter(|code| children.iter().any(|c| context.value_of(c, code).is_some()))
            .collect();
    }
    let mut slots: Vec<(&str, Slot)> = Vec::new();
    for code in codes {
        let taken = |wanted: fn(&Slot) -> bool| slots.iter().any(|(_, slot)| wanted(slot));
        let slot = if SIZE_CODES.contains(&code) && !taken(|s| matches!(s, Slot::Size)) {
            Slot::Size
        } else if COLOUR_CODES.contains(&code) && !taken(|s| matches!(s, Slot::Colour)) {
            Slot::Colour
        } else {
            match ChoiceAttribute::parse(code) {
                Ok(attribute) => Slot::Choice(attribute),
                Err(e) => {
                    problems.push(format!("_super_attribute_code: {e}"));
                    continue;
                }
            }
        };
        slots.push((code, slot));
    }
    let basis = context.settings.prices;
    let mut variants: Vec<ImportedVariant> = Vec::new();
    let mut chosen: Vec<ChildOptions> = Vec::new();
    for child in children {
        let child_sku = match context.skus.of(&child.identity) {
            Ok(sku) => sku,
            Err(e) => {
                problems.push(format!("variant sku: {e}"));
                continue;
            }
        };
        let mut options = ChildOptions::default();
        let mut missing = Vec::new();
        for (code, slot) in &slots {
            let Some(value) = context.value_of(child, code) else {
                missing.push(*code);
                continue;
            };
            for price in product
                .super_prices
                .iter()
                .filter(|p| p.attribute == *code && p.option == value)
            {
                match corrections(&price.correction, prices, basis) {
                    Some(cents) => {
                        for (total, cents) in options.surcharge_cents.iter_mut().zip(cents) {
                            *total += cents;
                        }
                    }
                    None => problems.push(format!(
                        "_super_attribute_price_corr '{}' of {code} '{value}' is not an amount or a percentage",
                        price.correction
                    )),
                }
            }
            match slot {
                Slot::Size => options.size = Some(value.to_owned()),
                Slot::Colour => options.colour = Some(value.to_owned()),
                Slot::Choice(attribute) => options.choices.push(VariantChoice {
                    attribute: attribute.clone(),
                    value: value.to_owned(),
                }),
            }
        }
        if !missing.is_empty() {
            notes.push(RowError {
                line: child.line,
                message: format!(
                    "{} has no {} of its own: left out of {}, which is chosen by it",
                    child_sku.as_str(),
                    missing.join(", "),
                    product.sku.trim()
                ),
            });
            continue;
        }
        if chosen.iter().any(|other| other.same_choice(&options)) {
            notes.push(RowError {
                line: child.line,
                message: format!(
                    "{} has the same options as another child of {}: left out, shoppers could not choose it",
                    child_sku.as_str(),
                    product.sku.trim()
                ),
            });
            continue;
        }
        chosen.push(options.clone());
        if let Some(variant) = variant(child, child_sku, options, problems, notes) {
            variants.push(variant);
        }
    }
    variants
}

/// A price correction as cents on each site the product is sold on (`prices`, by
/// [`SiteCode::index`]); `None` when it cannot be read.
fn corrections(text: &str, prices: &[Option<Money>; 4], basis: PriceBasis) -> Option<[i64; 4]> {
    let mut cents = [0; 4];
    for site in SiteCode::ALL {
        if let Some(price) = prices[site.index()] {
            cents[site.index()] = correction(text, price, basis, site)?;
        }
    }
    Some(cents)
}

/// A `_super_attribute_price_corr` as cents on a site whose price is `price`: an
/// amount (`5.0000`, `-2.5000`), in the basis prices are written in, or a
/// percentage of the price (`10.0000%`), rounded half away from zero.
fn correction(text: &str, price: Money, basis: PriceBasis, site: SiteCode) -> Option<i64> {
    let text = text.trim();
    let (sign, magnitude) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    if magnitude.is_empty() {
        return Some(0);
    }
    let cents = match magnitude.strip_suffix('%') {
        Some(percent) => {
            let (whole, fraction) = percent.split_once('.').unwrap_or((percent, ""));
            let (kept, rest) = fraction.split_at(fraction.len().min(4));
            let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
            if whole.is_empty()
                || !digits(whole)
                || !digits(kept)
                || !rest.bytes().all(|b| b == b'0')
            {
                return None;
            }
            // Ten-thousandths of a percent: 10⁶ to the whole.
            let scaled: i128 = format!("{whole}{kept:0<4}").parse().ok()?;
            let product = i128::from(price.cents()) * scaled;
            i64::try_from((product + 500_000) / 1_000_000).ok()?
        }
        None => basis.shelf_price(magnitude, site)?.cents(),
    };
    Some(sign * cents)
}

/// The variant `row` describes; a stock below zero is imported as none, with a
/// note in `notes`.
fn variant(
    row: &Gathered,
    sku: Sku,
    options: ChildOptions,
    problems: &mut Vec<String>,
    notes: &mut Vec<RowError>,
) -> Option<ImportedVariant> {
    let Some(units) = units(&row.qty) else {
        problems.push(format!(
            "qty '{}' of {} is not a whole number",
            row.qty,
            sku.as_str()
        ));
        return None;
    };
    let stock_policy = row.stock_policy();
    let counted = stock_policy != StockPolicy::NotCounted;
    let stock = if counted && flag(&row.in_stock) == Some(false) {
        if units > 0 {
            notes.push(RowError {
                line: row.line,
                message: format!(
                    "{} is out of stock (is_in_stock 0): imported with none in stock, not its qty {units}",
                    sku.as_str()
                ),
            });
        }
        units.min(0)
    } else {
        units
    };
    let stock = if stock < 0 && stock_policy != StockPolicy::Backorders {
        notes.push(RowError {
            line: row.line,
            message: format!(
                "qty '{}' of {} is below zero: imported as 0 in stock",
                row.qty,
                sku.as_str()
            ),
        });
        0
    } else {
        stock
    };
    let sale_units = row.sale_units().map_err(|message| {
        problems.push(format!("{message} of {}", sku.as_str()));
    });
    Some(ImportedVariant {
        sku,
        size: options.size,
        colour: options.colour,
        choices: options.choices,
        surcharge_cents: options.surcharge_cents,
        stock,
        stock_policy,
        sale_units: sale_units.ok()?,
    })
}

/// A Magento yes/no field (`1`, `0`, `1.0000`); `None` when empty or neither.
fn flag(text: &str) -> Option<bool> {
    match text.split('.').next().unwrap_or(text) {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    }
}

/// One of Magento's stock settings on a row: its value (`manage_stock`,
/// `backorders`), and whether the row sets its own (`use_config_*` is 0) or takes
/// the shop's configuration.
#[derive(Default)]
struct StockSetting {
    value: String,
    own: bool,
}

impl StockSetting {
    fn read(value: &str, use_config: &str) -> StockSetting {
        StockSetting {
            value: value.to_owned(),
            own: flag(use_config) == Some(false),
        }
    }

    /// The row's own setting, or `default` (Magento's configuration as shipped)
    /// where it takes the shop's. Backorders `1` and `2` (with a notice) both allow.
    fn enabled(&self, default: bool) -> bool {
        if !self.own {
            return default;
        }
        matches!(self.value.split('.').next(), Some("1" | "2"))
    }
}

impl Gathered {
    /// The units one order may hold, where the row sets its own limits (Magento's
    /// defaults, 1 and 10 000, are no limit of Comptoir's).
    fn sale_units(&self) -> Result<SaleUnits, String> {
        let own = |setting: &StockSetting, column: &str| match setting.own {
            false => Ok(None),
            true => units(&setting.value)
                .and_then(|n| u32::try_from(n).ok())
                .filter(|&n| n >= 1)
                .map(Some)
                .ok_or_else(|| {
                    format!("{column} '{}' is not a whole number from 1", setting.value)
                }),
        };
        let min = own(&self.min_sale_units, "min_sale_qty")?.unwrap_or(1);
        let max = own(&self.max_sale_units, "max_sale_qty")?;
        SaleUnits::new(min, max).ok_or_else(|| {
            format!(
                "max_sale_qty '{}' is below min_sale_qty '{}'",
                self.max_sale_units.value, self.min_sale_units.value
            )
        })
    }

    /// How the row's units are counted: most exports write `manage_stock` 0 with
    /// `use_config_manage_stock` 1, which is managed (Magento's default).
    fn stock_policy(&self) -> StockPolicy {
        match (
            self.manage_stock.enabled(true),
            self.backorders.enabled(false),
        ) {
            (false, _) => StockPolicy::NotCounted,
            (true, true) => StockPolicy::Backorders,
            (true, false) => StockPolicy::Counted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SKUs of the products read.
    fn skus(read: &ReadOutcome<ProductFile>) -> Vec<&str> {
        read.records
            .products
            .iter()
            .map(|product| product.sku.as_str())
            .collect()
    }

    /// Reads `file` with no category and the default settings.
    fn read_with_defaults(file: &str) -> ReadOutcome<ProductFile> {
        read(
            file.as_bytes(),
            &HashMap::new(),
            &MagentoSettings::default(),
        )
        .unwrap()
    }

    /// The notes on rows, without those on the whole file (line 1).
    fn row_notes(read: &ReadOutcome<ProductFile>) -> Vec<&RowError> {
        read.notes.iter().filter(|note| note.line > 1).collect()
    }

    /// The URL keys of the products read, in `locale`.
    fn url_keys(read: &ReadOutcome<ProductFile>, locale: Locale) -> Vec<&str> {
        read.records
            .products
            .iter()
            .map(|product| product.url_keys[locale].as_str())
            .collect()
    }

    #[test]
    fn a_store_views_own_price_sells_on_its_site() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty\n\
                    PEL,,simple,Peluca,12.5000,1,4,peluca,1.0000\n\
                    ,fr,,Perruque,11.9000,,,perruque,\n\
                    ,it,,Parrucca,,,,parrucca,\n";
        let read = read_with_defaults(file).all_or_nothing().unwrap();
        let prices = read.products[0]
            .sites
            .clone()
            .map(|offer| offer.unwrap().price.cents());
        assert_eq!(prices, [1250, 1190, 1250, 1250], "es, fr, pt, it");
        let own = "sku,_store,_type,name,price,status,visibility,url_key,qty,special_price,special_from_date\n\
                   PEL,,simple,Peluca,12.5000,1,4,peluca,1.0000,,2026-01-01\n\
                   ,fr,,Perruque,,,,perruque,,9.9000,\n\
                   ,pt,,Peruca,,,1,peruca,,,\n";
        let product = &read_with_defaults(own).all_or_nothing().unwrap().products[0];
        let offer = |site: SiteCode| product.sites[site.index()].clone().unwrap();
        assert_eq!(
            offer(SiteCode::Fr).sale.map(|sale| sale.price.cents()),
            Some(990),
            "the French store view's own special price"
        );
        assert_eq!(offer(SiteCode::Es).sale, None, "none in the admin scope");
        assert_eq!(offer(SiteCode::Pt).visibility, Visibility::NotVisible);
        assert_eq!(
            offer(SiteCode::It).visibility,
            Visibility::CatalogueAndSearch
        );
        let wrong = "sku,_store,_type,name,price,status,visibility,url_key,qty\n\
                     PEL,,simple,Peluca,12.5000,1,4,peluca,1.0000\n\
                     ,fr,,Perruque,cher,,,perruque,\n";
        let rejected = read_with_defaults(wrong).rejected;
        assert!(
            rejected[0].message.contains("price 'cher' (fr)"),
            "{rejected:?}"
        );
    }

    #[test]
    fn store_views_map_to_sites() {
        let sites = StoreSites::parse("admin=fr, tienda_es=es, boutique=fr").unwrap();
        assert_eq!(sites.default_site, SiteCode::Fr);
        assert_eq!(sites.stores["tienda_es"], SiteCode::Es);
        assert_eq!(sites.stores.len(), 2);
        assert!(StoreSites::parse("fr").is_err());
        assert!(StoreSites::parse("fr=de").is_err());
        assert!(StoreSites::parse("=es").is_err());
        let mixed = StoreSites::parse("ADMIN=it, Tienda_ES=es").unwrap();
        assert_eq!(mixed.default_site, SiteCode::It);
        assert_eq!(mixed.site_of("tienda_es"), Some(SiteCode::Es));
        assert_eq!(StoreSites::default().site_of("Default"), Some(SiteCode::Es));
        assert_eq!(StoreSites::default().site_of("FR"), Some(SiteCode::Fr));
        assert_eq!(StoreSites::default().site_of("de"), None);
        assert_eq!(
            StoreSites::parse("admin=es,default=es,es=es,fr=fr,pt=pt,it=it").unwrap(),
            StoreSites::default()
        );
    }

    #[test]
    fn a_configurable_by_size_and_colour_has_each_child_once() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,size,color,\
                    _super_products_sku,_super_attribute_code,_super_attribute_option\n\
                    PEL-M-ROJA,,simple,Peluca M roja,9.9900,1,1,pel-m-roja,3.0000,M,Rojo,,,\n\
                    PEL-L-AZUL,,simple,Peluca L azul,9.9900,1,1,pel-l-azul,0.0000,L,Azul,,,\n\
                    PEL,,configurable,Peluca,9.9900,1,4,peluca,,,,PEL-M-ROJA,size,M\n\
                    ,,,,,,,,,,,PEL-M-ROJA,color,Rojo\n\
                    ,,,,,,,,,,,PEL-L-AZUL,size,\n\
                    ,,,,,,,,,,,PEL-L-AZUL,color,Azul\n";
        let read = read_with_defaults(file).all_or_nothing().unwrap();
        assert_eq!(read.products.len(), 1);
        let variants: Vec<_> = read.products[0]
            .variants
            .iter()
            .map(|v| {
                (
                    v.sku.as_str(),
                    v.size.as_deref(),
                    v.colour.as_deref(),
                    v.stock,
                )
            })
            .collect();
        assert_eq!(
            variants,
            [
                ("PEL-M-ROJA", Some("M"), Some("Rojo"), 3),
                ("PEL-L-AZUL", Some("L"), Some("Azul"), 0)
            ],
            "an empty option falls back to the child's own attribute"
        );
    }

    #[test]
    fn every_super_attribute_is_a_choice_and_its_corrections_variant_prices() {
        // As Magento exports it: children and super attribute values paired by
        // position only; each child's values on its own row.
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,talla,genero,formato,\
                    _super_products_sku,_super_attribute_code,_super_attribute_option,_super_attribute_price_corr\n\
                    DIS-M-H,,simple,Disfraz M hombre,20.0000,1,1,dis-m-h,3.0000,M,Hombre,A4,,,,\n\
                    DIS-XXL-H,,simple,Disfraz XXL hombre,20.0000,1,4,dis-xxl-h,2.0000,XXL,Hombre,A4,,,,\n\
                    DIS-M-M,,simple,Disfraz M mujer,20.0000,1,1,dis-m-m,1.0000,M,Mujer,A3,,,,\n\
                    DIS-SIN,,simple,Disfraz sin género,20.0000,1,1,dis-sin,1.0000,L,,A4,,,,\n\
                    DIS-M-H2,,simple,Disfraz M hombre bis,20.0000,1,1,dis-m-h2,1.0000,M,Hombre,A4,,,,\n\
                    DIS,,configurable,Disfraz,20.0000,1,4,disfraz,,,,,DIS-M-H,talla,M,0\n\
                    ,,,,,,,,,,,,DIS-XXL-H,talla,XXL,5.0000\n\
                    ,,,,,,,,,,,,DIS-M-M,genero,Hombre,\n\
                    ,,,,,,,,,,,,DIS-SIN,genero,Mujer,10%\n\
                    ,,,,,,,,,,,,DIS-M-H2,formato,A3,-1.5000\n";
        let read = read_with_defaults(file);
        assert!(read.rejected.is_empty(), "{:?}", read.rejected);
        let product = &read.records.products[0];
        let variants: Vec<_> = product
            .variants
            .iter()
            .map(|v| {
                let choices: Vec<_> = v
                    .choices
                    .iter()
                    .map(|c| format!("{}={}", c.attribute.as_str(), c.value))
                    .collect();
                (
                    v.sku.as_str(),
                    v.size.as_deref(),
                    choices,
                    v.surcharge_cents[0],
                )
            })
            .collect();
        assert_eq!(
            variants,
            [
                (
                    "DIS-M-H",
                    Some("M"),
                    vec!["genero=Hombre".to_owned(), "formato=A4".to_owned()],
                    0
                ),
                (
                    "DIS-XXL-H",
                    Some("XXL"),
                    vec!["genero=Hombre".to_owned(), "formato=A4".to_owned()],
                    500
                ),
                // 10 % of 20 € for Mujer, less 1.50 € for A3.
                (
                    "DIS-M-M",
                    Some("M"),
                    vec!["genero=Mujer".to_owned(), "formato=A3".to_owned()],
                    200 - 150
                ),
            ]
        );
        let notes: Vec<String> = row_notes(&read)
            .iter()
            .map(|n| format!("{}: {}", n.line, n.message))
            .collect();
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("5: DIS-SIN has no genero of its own")),
            "{notes:?}"
        );
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("6: DIS-M-H2 has the same options as another child")),
            "{notes:?}"
        );
        // The child shown on its own (visibility 4) keeps its old URL.
        assert!(
            product
                .old_paths
                .contains(&(SiteCode::Es, "dis-xxl-h.html".to_owned()))
        );
        assert!(
            !product
                .old_paths
                .contains(&(SiteCode::Es, "dis-m-h.html".to_owned()))
        );
        // The super attributes' columns are read, not listed as ignored.
        let file_notes: Vec<&str> = read
            .notes
            .iter()
            .filter(|n| n.line == 1)
            .map(|n| n.message.as_str())
            .collect();
        assert!(
            !file_notes.iter().any(|n| n.contains("formato")),
            "{file_notes:?}"
        );
    }

    #[test]
    fn price_corrections_are_amounts_or_percentages_of_the_price() {
        let price = Money::eur(2_000);
        let gross = PriceBasis::IncludingVat;
        assert_eq!(correction("5.0000", price, gross, SiteCode::Es), Some(500));
        assert_eq!(
            correction("-2.5000", price, gross, SiteCode::Es),
            Some(-250)
        );
        assert_eq!(correction("", price, gross, SiteCode::Es), Some(0));
        assert_eq!(correction("12.5%", price, gross, SiteCode::Es), Some(250));
        assert_eq!(
            correction("0.0025%", Money::eur(20_000), gross, SiteCode::Es),
            Some(1),
            "half up"
        );
        // Net amounts take each site's VAT, as the price does.
        let net = PriceBasis::ExcludingVat;
        assert_eq!(correction("10.0000", price, net, SiteCode::Es), Some(1_210));
        assert_eq!(correction("10.0000", price, net, SiteCode::Fr), Some(1_200));
        for bad in ["abc", "5,00", "%", "1.23456%", "--1"] {
            assert_eq!(correction(bad, price, gross, SiteCode::Es), None, "{bad}");
        }
    }

    #[test]
    fn a_rows_own_sale_quantities_bound_an_order_and_the_shops_defaults_do_not() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,\
                    min_sale_qty,use_config_min_sale_qty,max_sale_qty,use_config_max_sale_qty\n\
                    GLOBOS,,simple,Globos,1.0000,1,4,globos,100.0000,10.0000,0,50.0000,0\n\
                    CAPA,,simple,Capa,9.9900,1,4,capa,5.0000,1.0000,1,10000.0000,1\n\
                    MAL,,simple,Mal,9.9900,1,4,mal,5.0000,5.0000,0,2.0000,0\n\
                    MEDIO,,simple,Medio,9.9900,1,4,medio,5.0000,0.5000,0,,1\n";
        let read = read_with_defaults(file);
        let units: Vec<_> = read
            .records
            .products
            .iter()
            .map(|p| (p.sku.as_str(), p.variants[0].sale_units))
            .collect();
        assert_eq!(
            units,
            [
                ("GLOBOS", SaleUnits::new(10, Some(50)).unwrap()),
                ("CAPA", SaleUnits::default()),
            ]
        );
        let rejected: Vec<String> = read
            .rejected
            .iter()
            .map(|e| format!("{}: {}", e.line, e.message))
            .collect();
        assert_eq!(
            rejected,
            [
                "4: max_sale_qty '2.0000' is below min_sale_qty '5.0000' of MAL",
                "5: min_sale_qty '0.5000' is not a whole number from 1 of MEDIO",
            ]
        );
    }

    #[test]
    fn drop_down_and_radio_custom_options_are_kept_and_the_others_noted() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,\
                    _custom_option_store,_custom_option_type,_custom_option_title,_custom_option_is_required,\
                    _custom_option_sort_order,_custom_option_row_title,_custom_option_row_price,_custom_option_row_sort\n\
                    ANILLO,,simple,Anillo,20.0000,1,4,anillo,5.0000,,radio,Grabado,0,2,Sí,10%,1\n\
                    ,,,,,,,,,,field,Texto,1,3,,,\n\
                    ,,,,,,,,,,drop_down,Talla,1,1,L,1.0000,2\n\
                    ,,,,,,,,,,,,,,S,,1\n";
        let read = read_with_defaults(file);
        let options = read.records.products[0].options.as_ref().unwrap();
        let summary: Vec<String> = options
            .iter()
            .map(|o| {
                let values: Vec<String> = o
                    .values
                    .iter()
                    .map(|v| format!("{}{:+}", v.titles[Locale::Es], v.surcharge_cents[0]))
                    .collect();
                format!(
                    "{}{} {}",
                    o.titles[Locale::Es],
                    if o.required { "*" } else { "" },
                    values.join(" ")
                )
            })
            .collect();
        // By their sort order, values too; 10 % of 20 € is 2 €.
        assert_eq!(summary, ["Talla* S+0 L+100", "Grabado Sí+200"]);
        assert!(
            row_notes(&read).iter().any(|n| n.line == 3
                && n.message == "custom option 'Texto' (field, required) is not imported: only drop-down and radio options are"),
            "{:?}",
            read.notes
        );
    }

    /// Magento writes each store view's translations after the option's own rows:
    /// the title where it differs, then a row per value in the values' order.
    #[test]
    fn store_views_translate_custom_options() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,\
                    _custom_option_store,_custom_option_type,_custom_option_title,_custom_option_is_required,\
                    _custom_option_sort_order,_custom_option_row_title,_custom_option_row_price,_custom_option_row_sort\n\
                    PELUCA,,simple,Peluca,20.0000,1,4,peluca,5.0000,,drop_down,Longitud,1,1,Larga,3.0000,2\n\
                    ,,,,,,,,,,,,,,Corta,,1\n\
                    ,,,,,,,,,fr,,Longueur,,,Longue,,\n\
                    ,,,,,,,,,fr,,,,,Courte,,\n\
                    ,,,,,,,,,it,,,,,,,\n\
                    ,,,,,,,,,it,,,,,Corta (it),,\n\
                    ,,,,,,,,,de,,Länge,,,Lang,,\n";
        let read = read_with_defaults(file);
        let option = &read.records.products[0].options.as_ref().unwrap()[0];
        let titles =
            |titles: &PerLocale<String>| Locale::ALL.map(|locale| titles[locale].clone()).join("/");
        assert_eq!(
            titles(&option.titles),
            "Longitud/Longueur/Longitud/Longitud"
        );
        // By their sort order: Corta first.
        assert_eq!(
            titles(&option.values[0].titles),
            "Corta/Courte/Corta/Corta (it)"
        );
        assert_eq!(titles(&option.values[1].titles), "Larga/Longue/Larga/Larga");
        assert_eq!(option.values[1].surcharge_cents, [300; 4]);
    }

    #[test]
    fn gender_age_and_theme_come_from_the_attributes_the_map_names() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,genero,edad,tematica\n\
                    BRUJA,,simple,Bruja,9.9900,1,4,bruja,1.0000,Mujer,Adulto,Brujas y magos\n\
                    PERRO,,simple,Perro,9.9900,1,4,perro,1.0000,Perro,,\n";
        let settings = MagentoSettings {
            attributes: AttributeMap::parse(
                "[attributes]\ngender = \"genero\"\nage_group = \"edad\"\ntheme = \"tematica\"",
            )
            .unwrap(),
            ..MagentoSettings::default()
        };
        let read = read(file.as_bytes(), &HashMap::new(), &settings).unwrap();
        let witch = &read.records.products[0];
        assert_eq!(witch.gender, Some(comptoir_domain::Gender::Women));
        assert_eq!(witch.age_group, Some(comptoir_domain::AgeGroup::Adult));
        assert_eq!(witch.theme.as_deref(), Some("brujas-y-magos"));
        assert_eq!(read.records.products[1].gender, None);
        assert!(
            row_notes(&read).iter().any(|n| n.line == 3
                && n.message == "gender 'Perro' is not one Comptoir knows: left out")
        );
        assert!(
            !read
                .notes
                .iter()
                .any(|n| n.line == 1 && n.message.contains("genero")),
            "the columns are read"
        );
    }

    #[test]
    fn magento_numbers_become_cents_and_units() {
        assert_eq!(amount("24.9900", SiteCode::Es), Some(Money::eur(2_499)));
        assert_eq!(amount("19", SiteCode::Es), Some(Money::eur(1_900)));
        assert_eq!(amount("19.5", SiteCode::Es), Some(Money::eur(1_950)));
        assert_eq!(amount("24.9950", SiteCode::Es), None, "not a whole cent");
        assert_eq!(amount("-3.0000", SiteCode::Es), None);
        assert_eq!(units("100.0000"), Some(100));
        assert_eq!(units(""), Some(0));
        assert_eq!(units("2.5000"), None);
        assert_eq!(units("-1.0000"), Some(-1));
    }

    #[test]
    fn dates_are_read_as_magento_reads_them() {
        let day_of = |text| day(text).unwrap().unwrap().to_string();
        assert_eq!(day_of("2026-10-20 00:00:00"), "2026-10-20");
        assert_eq!(day_of("2026-10-20"), "2026-10-20");
        assert_eq!(day_of("2014/01/29"), "2014-01-29");
        assert_eq!(day_of("4/24/2014 19:50:04"), "2014-04-24", "month/day/year");
        assert_eq!(day_of("10/12/2014"), "2014-10-12");
        assert_eq!(day(""), Ok(None));
        for bad in ["24/4/2014", "2014-13-01", "tomorrow", "2014/02/30"] {
            assert!(day(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_row_without_sku_but_its_own_product_data_is_an_error_not_a_continuation() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key\n\
                    CAPA,,simple,Capa,9.9900,1,4,capa\n\
                    ,fr,,Cape,,,,cape\n\
                    ,,simple,Sombrero,4.9900,1,4,sombrero\n\
                    ,,,,,,,\n";
        let errors = read_with_defaults(file).all_or_nothing().unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 4);
        assert!(errors[0].message.contains("no SKU"), "{}", errors[0]);
        let without = file.replace(",,simple,Sombrero,4.9900,1,4,sombrero\n", "");
        let read = read(
            without.as_bytes(),
            &HashMap::new(),
            &MagentoSettings::default(),
        )
        .unwrap()
        .all_or_nothing()
        .unwrap();
        assert_eq!(read.products[0].url_keys[Locale::Es], "capa");
        assert_eq!(read.products[0].url_keys[Locale::Fr], "cape");
    }

    #[test]
    fn a_wrong_product_is_left_out_whole_and_the_others_kept() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,size,\
                    _super_products_sku,_super_attribute_code,_super_attribute_option\n\
                    CAPA,,simple,Capa,9.9900,1,4,capa,3.0000,,,,\n\
                    ,fr,,Cape,,,,cape,,,,,\n\
                    ,de,,Umhang,,,,umhang,,,,,\n\
                    GORRO,,simple,Gorro,mucho,1,4,gorro,1.0000,,,,\n\
                    PEL-M,,simple,Peluca M,9.9900,1,1,pel-m,1.0000,M,,,\n\
                    PEL-L,,simple,Peluca L,9.9900,1,1,pel-l,lots,L,,,\n\
                    PEL,,configurable,Peluca,9.9900,1,4,peluca,,,PEL-M,size,M\n\
                    ,,,,,,,,,,PEL-L,size,L\n\
                    MASCARA,,simple,Máscara,4.9900,1,4,mascara,2.0000,,,,\n";
        let read = read_with_defaults(file);
        let kept = skus(&read);
        assert_eq!(kept, ["CAPA", "MASCARA"], "{:?}", read.rejected);
        assert_eq!(read.records.products[0].names[Locale::Fr], "Cape");
        let lines: Vec<u64> = read.rejected.iter().map(|row| row.line).collect();
        assert!(
            lines.contains(&4),
            "the unmapped store view, alone: {lines:?}"
        );
        assert!(lines.contains(&5), "the unreadable price: {lines:?}");
        assert!(
            read.rejected.iter().any(|row| row.line == 8),
            "the configurable goes with its child's unreadable stock: {:?}",
            read.rejected
        );
        assert!(read.all_or_nothing().is_err());
    }

    #[test]
    fn products_of_other_types_are_left_out_without_blocking_the_file() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,\
                    special_price,special_from_date,_super_products_sku\n\
                    LOTE,,bundle,Lote de fiesta,29.9900,1,4,lote,0.0000,,,\n\
                    TARJETA,,virtual,Tarjeta regalo,20.0000,1,4,tarjeta,0.0000,,,\n\
                    VACIO,,configurable,Sin tallas,9.9900,1,4,vacio,0.0000,,,\n\
                    CAPA,,simple,Capa,9.9900,1,4,capa,3.0000,7.9900,2014/01/29,\n";
        let read = read_with_defaults(file);
        let kept = skus(&read);
        assert_eq!(kept, ["CAPA"], "{:?}", read.rejected);
        let reasons: Vec<(u64, &str)> = read
            .rejected
            .iter()
            .map(|row| (row.line, row.message.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [
                (
                    2,
                    "a bundle product: only simple and configurable products are imported"
                ),
                (
                    3,
                    "a virtual product: only simple and configurable products are imported"
                ),
                (4, "a configurable product without children"),
            ]
        );
    }

    #[test]
    fn a_stock_below_zero_is_imported_as_none_with_a_note() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty\n\
                    CAPA,,simple,Capa,9.9900,1,4,capa,-1.0000\n\
                    GORRO,,simple,Gorro,4.9900,1,4,gorro,2.0000\n";
        let read = read_with_defaults(file);
        assert!(read.rejected.is_empty(), "{:?}", read.rejected);
        assert_eq!(read.records.products[0].variants[0].stock, 0);
        assert_eq!(row_notes(&read).len(), 1);
        assert_eq!(row_notes(&read)[0].line, 2);
        assert!(
            row_notes(&read)[0].message.contains("below zero"),
            "{}",
            row_notes(&read)[0]
        );
    }

    #[test]
    fn url_keys_magento_accepts_are_remade_once_with_a_note() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,url_path,qty\n\
                    SILLA,,simple,Café chairs,9.9900,1,4,café-chairs,café-chairs.html,1.0000\n\
                    JARDIN,,simple,Lawn & garden,9.9900,1,4,lawn-&-garden,,1.0000\n\
                    SOFA,,simple,3 piece sectional,9.9900,1,4,,,1.0000\n";
        let read = read_with_defaults(file);
        assert!(read.rejected.is_empty(), "{:?}", read.rejected);
        let keys = url_keys(&read, Locale::Fr);
        assert_eq!(keys, ["cafe-chairs", "lawn-garden", "3-piece-sectional"]);
        assert_eq!(
            row_notes(&read).len(),
            3,
            "once per key, not per language: {:?}",
            row_notes(&read)
        );
        assert!(row_notes(&read)[0].message.contains("'cafe-chairs' used"));
        assert!(
            read.records.products[0]
                .old_paths
                .contains(&(SiteCode::Es, "café-chairs.html".to_owned())),
            "the old URL redirects"
        );
    }

    #[test]
    fn a_url_key_two_products_share_takes_magentos_unique_url_path() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,url_path,qty\n\
                    AMB-1,,simple,Ambrosia,9.9900,1,4,ambrosia,ambrosia.html,1.0000\n\
                    AMB-2,,simple,Ambrosia,9.9900,1,4,ambrosia,ambrosia-575.html,1.0000\n\
                    AMB-3,,simple,Ambrosia,9.9900,1,4,ambrosia,,1.0000\n";
        let read = read_with_defaults(file);
        assert!(read.rejected.is_empty(), "{:?}", read.rejected);
        let keys = url_keys(&read, Locale::Es);
        assert_eq!(keys, ["ambrosia", "ambrosia-575", "ambrosia-2"]);
        let second = &read.records.products[1];
        assert!(
            second
                .old_paths
                .iter()
                .all(|(_, path)| path == "ambrosia-575.html"),
            "its real old URL, not the first product's: {:?}",
            second.old_paths
        );
        assert_eq!(read.records.products[0].old_paths[0].1, "ambrosia.html");
        assert_eq!(
            row_notes(&read).len(),
            2,
            "once a product: {:?}",
            row_notes(&read)
        );
    }

    #[test]
    fn no_website_disables_and_a_store_views_status_withdraws_its_site() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,_product_websites\n\
                    CAPA,,simple,Capa,9.9900,1,4,capa,1.0000,base\n\
                    ,fr,,Cape,,2,,cape,,\n\
                    GORRO,,simple,Gorro,4.9900,1,4,gorro,1.0000,\n";
        let read = read_with_defaults(file);
        assert!(read.rejected.is_empty(), "{:?}", read.rejected);
        let (cape, hat) = (&read.records.products[0], &read.records.products[1]);
        assert!(cape.enabled);
        assert!(
            cape.sites[SiteCode::Fr.index()].is_none(),
            "withdrawn from France"
        );
        assert!(cape.sites[SiteCode::Es.index()].is_some());
        assert!(!hat.enabled, "in no website");
        let notes: Vec<(u64, &str)> = row_notes(&read)
            .into_iter()
            .map(|note| (note.line, note.message.as_str()))
            .collect();
        assert_eq!(
            notes,
            [
                (2, "disabled in the fr store view: not sold on that site"),
                (
                    4,
                    "in no website (_product_websites empty): imported disabled"
                ),
            ]
        );
    }

    #[test]
    fn the_main_image_comes_first_then_the_gallery_by_position_without_disabled_ones() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,image,\
                    _media_image,_media_position,_media_is_disabled\n\
                    CAPA,,simple,Capa,9.9900,1,4,capa,1.0000,/c/a/capa-frente.jpg,/c/a/capa-lado.jpg,3,0\n\
                    ,,,,,,,,,,/c/a/capa-frente.jpg,2,0\n\
                    ,,,,,,,,,,/c/a/capa-rota.jpg,1,1\n\
                    ,,,,,,,,,,/c/a/capa-espalda.jpg,1,0\n";
        let read = read_with_defaults(file);
        assert_eq!(
            read.records.products[0].images,
            [
                "media/catalog/product/c/a/capa-frente.jpg",
                "media/catalog/product/c/a/capa-espalda.jpg",
                "media/catalog/product/c/a/capa-lado.jpg",
            ]
        );
    }

    #[test]
    fn products_keep_their_urls_under_each_category() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,url_path,qty,_category\n\
                    PENDIENTES,,simple,Pendientes,9.9900,1,4,pearl-stud-earrings,pearl-stud-earrings.html,1.0000,Accessories/Jewelry\n\
                    ,,,,,,,,,,Rebajas\n\
                    ,fr,,Boucles,,,,boucles-perle,boucles-perle.html,,\n";
        let categories: HashMap<String, CategoryId> = [
            ("Accessories/Jewelry".to_owned(), CategoryId(1)),
            ("Rebajas".to_owned(), CategoryId(2)),
        ]
        .into();
        let read = read(file.as_bytes(), &categories, &MagentoSettings::default()).unwrap();
        assert!(read.rejected.is_empty(), "{:?}", read.rejected);
        let paths = &read.records.products[0].old_paths;
        for expected in [
            (SiteCode::Es, "accessories/jewelry/pearl-stud-earrings.html"),
            (SiteCode::Es, "rebajas/pearl-stud-earrings.html"),
            (SiteCode::Fr, "accessories/jewelry/boucles-perle.html"),
            (SiteCode::It, "rebajas/pearl-stud-earrings.html"),
        ] {
            assert!(
                paths.contains(&(expected.0, expected.1.to_owned())),
                "{expected:?} in {paths:?}"
            );
        }
    }

    #[test]
    fn every_column_not_imported_is_named_once() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,weight,size,\
                    small_image,meta_keyword,custom_design\n\
                    CAPA,,simple,Capa,9.9900,1,4,capa,1.0000,0.5000,M,/c/capa.jpg,capa,\n\
                    GORRO,,simple,Gorro,4.9900,1,4,gorro,1.0000,0.1000,,,,default/modern\n";
        let read = read_with_defaults(file);
        assert_eq!(
            read.notes[1],
            RowError {
                line: 1,
                message: "2 columns not imported: small_image, custom_design".to_owned()
            }
        );
        assert_eq!(read.notes.len(), 2, "the price basis, then the columns");
    }

    #[test]
    fn facts_are_kept_and_unreadable_ones_left_out_with_a_note() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,\
                    short_description,meta_keyword,manufacturer,country_of_manufacture,weight,\
                    ean,news_from_date,news_to_date,tax_class_id\n\
                    CAPA,,simple,Capa,9.9900,1,4,capa,1.0000,<p>Capa <b>larga</b><script>x</script></p>,\
                    capa vampiro,Rubie's,cn,0.4500,4006381333931,2026-10-01 00:00:00,10/31/2026,Taxable Goods\n\
                    ,fr,,,,,,,,<p>Cape longue</p>,cape vampire,,,,,,,\n\
                    GORRO,,simple,Gorro,4.9900,1,4,gorro,1.0000,,,,China,heavy,4006381333932,\
                    2026-11-01,2026-10-01,IVA General\n\
                    VALE,,simple,Vale,10.0000,1,4,vale,1.0000,,,,,,,,,None\n\
                    LAZO,,simple,Lazo,1.0000,1,4,lazo,1.0000,,,,,,,,,IVA General\n";
        let read = read_with_defaults(file);
        assert_eq!(skus(&read), ["CAPA", "GORRO", "VALE", "LAZO"]);
        let capa = read.records.products[0].facts.as_ref().unwrap();
        assert_eq!(capa.brand.as_deref(), Some("Rubie's"));
        assert_eq!(capa.made_in.unwrap().as_str(), "CN");
        assert_eq!(capa.weight_grams, Some(450));
        assert_eq!(capa.gtin.as_ref().unwrap().as_str(), "4006381333931");
        assert_eq!(capa.new_from.unwrap().to_string(), "2026-10-01");
        assert_eq!(capa.new_until.unwrap().to_string(), "2026-10-31");
        assert_eq!(
            capa.short_descriptions[Locale::Es],
            "<p>Capa <b>larga</b></p>"
        );
        assert_eq!(capa.short_descriptions[Locale::Fr], "<p>Cape longue</p>");
        assert_eq!(
            capa.short_descriptions[Locale::It],
            "<p>Capa <b>larga</b></p>",
            "a store view without its own takes the admin one"
        );
        assert_eq!(capa.keywords[Locale::Fr], "cape vampire");
        assert_eq!(
            capa.keywords[Locale::It],
            "",
            "keywords are a language's own"
        );

        let gorro = read.records.products[1].facts.as_ref().unwrap();
        assert_eq!(
            (
                gorro.made_in,
                gorro.weight_grams,
                &gorro.gtin,
                gorro.new_from
            ),
            (None, None, &None, None)
        );
        let notes: Vec<String> = row_notes(&read)
            .iter()
            .map(|note| format!("{}: {}", note.line, note.message))
            .collect();
        assert_eq!(
            notes,
            [
                "4: country_of_manufacture: 'China' is not a two-letter country code: left out",
                "4: GTIN: '4006381333932' has a wrong check digit: left out",
                "4: weight: 'heavy' is not a weight in kilograms: left out",
                "4: news_from_date '2026-11-01' to news_to_date '2026-10-01' are not days in order: not shown as new",
                "4: tax class 'IVA General' (2 products, the first here) read as the standard VAT rate",
                "5: tax class 'None': Comptoir sells at each country's standard VAT rate: imported disabled",
            ]
        );
        assert!(!read.records.products[2].enabled, "untaxed: disabled");
        assert!(read.records.products[3].enabled);
    }

    #[test]
    fn tier_and_group_prices_are_kept_at_shelf_prices() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,\
                    _tier_price_website,_tier_price_customer_group,_tier_price_qty,_tier_price_price,\
                    _group_price_website,_group_price_customer_group,_group_price_price\n\
                    GLOBOS,,simple,Globos,4.1322,1,4,globos,100.0000,all,all,10.0000,3.7190,,,\n\
                    ,,,,,,,,,base,2,50.0000,2.8926,all,2,3.3058\n\
                    ,,,,,,,,,all,all,2.5000,3.0000,,,\n";
        let settings = MagentoSettings {
            prices: PriceBasis::ExcludingVat,
            ..MagentoSettings::default()
        };
        let read = read(file.as_bytes(), &HashMap::new(), &settings).unwrap();
        let tiers = read.records.products[0].price_tiers.as_ref().unwrap();
        let seen: Vec<(Option<&str>, u32, [i64; 4])> = tiers
            .iter()
            .map(|t| (t.customer_group.as_deref(), t.min_units, t.unit_price_cents))
            .collect();
        assert_eq!(
            seen,
            [
                (None, 10, [450, 446, 457, 454]),
                (Some("2"), 50, [350, 347, 356, 353]),
                (Some("2"), 1, [400, 397, 407, 403]),
            ]
        );
        let notes: Vec<&str> = read.notes.iter().map(|n| n.message.as_str()).collect();
        assert!(
            notes.contains(&"tier price '3.0000' from '2.5000' units cannot be read: left out"),
            "{notes:?}"
        );
        assert!(
            notes.contains(
                &"2 prices of a customer group kept for the B2B side: no shopper is charged them yet"
            ),
            "{notes:?}"
        );
    }

    #[test]
    fn links_follow_their_positions_and_the_skus_products_are_given() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,\
                    _links_related_sku,_links_related_position,_links_upsell_sku,\
                    _links_upsell_position,_links_crosssell_sku,_links_crosssell_position\n\
                    capa,,simple,Capa,9.9900,1,4,capa,1.0000,gorro ,2,,,lazo,1\n\
                    ,,,,,,,,,mascara,1,capa-lujo,1,,\n\
                    ,,,,,,,,,{long},3,,,,\n\
                    gorro,,simple,Gorro,4.9900,1,4,gorro,1.0000,,,,,,\n"
            .replace("{long}", &"X".repeat(Sku::MAX_CHARS + 1));
        let read = read_with_defaults(&file);
        let links: Vec<(&str, &str)> = read.records.products[0]
            .links
            .as_ref()
            .unwrap()
            .iter()
            .map(|link| (link.kind.as_str(), link.sku.as_str()))
            .collect();
        assert_eq!(
            links,
            [
                ("cross_sell", "LAZO"),
                ("related", "MASCARA"),
                ("related", "GORRO"),
                ("up_sell", "CAPA-LUJO"),
            ]
        );
        assert!(
            row_notes(&read)
                .iter()
                .any(|note| note.line == 2 && note.message.starts_with("related link: ")),
            "{:?}",
            read.notes
        );
    }

    #[test]
    fn categories_the_catalogue_lacks_are_created_once_for_the_products_kept() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,_root_category,_category\n\
                    CAPA,,simple,Capa,9.9900,1,4,capa,1.0000,Default Category,Disfraces/Adultos\n\
                    ,,,,,,,,,Default Category,Disfraces\n\
                    GORRO,,simple,Gorro,4.9900,1,4,gorro,1.0000,Default Category,disfraces/adultos\n\
                    MALO,,simple,Malo,caro,1,4,malo,1.0000,Default Category,Ofertas\n";
        let existing: HashMap<String, CategoryId> =
            [("Disfraces".to_owned(), CategoryId(7))].into();
        let read = read(file.as_bytes(), &existing, &MagentoSettings::default()).unwrap();
        assert_eq!(skus(&read), ["CAPA", "GORRO"]);
        let new = &read.records.new_categories;
        assert_eq!(new.len(), 1, "not for the product left out: {new:?}");
        assert_eq!(new[0].path, "Disfraces/Adultos");
        assert_eq!(new[0].parent, Some(CategoryRef::Existing(CategoryId(7))));
        for product in &read.records.products {
            assert!(
                product
                    .categories
                    .contains(&Placement::in_category(CategoryRef::New(0)))
            );
        }
        assert_eq!(
            read.records.products[0].categories,
            [CategoryRef::New(0), CategoryRef::Existing(CategoryId(7))].map(Placement::in_category)
        );
        let created: Vec<u64> = read
            .notes
            .iter()
            .filter(|note| note.message.contains("created"))
            .map(|note| note.line)
            .collect();
        assert_eq!(created, [2]);
        assert!(
            read.records
                .old_category_paths
                .iter()
                .any(|old| old.path == "disfraces/adultos.html"
                    && old.category == CategoryRef::New(0)),
            "the new category keeps its old URL"
        );
    }

    #[test]
    fn skus_magento_accepts_are_kept_and_whitespace_twins_numbered() {
        let long = format!("TRAJE-{}", "ROJO-XL-".repeat(10));
        let file = format!(
            "sku,_store,_type,name,price,status,visibility,url_key,qty\n\
             Kit Pirata <2>,,simple,Kit,9.9900,1,4,kit,1.0000\n\
             {long},,simple,Traje,9.9900,1,4,traje,1.0000\n\
             \"ABC-ECW \t\",,simple,Peluca uno,9.9900,1,4,peluca-uno,1.0000\n\
             \"ABC-ECW \",,simple,Peluca dos,9.9900,1,4,peluca-dos,1.0000\n\
             \"abc-ecw\",,simple,Peluca tres,9.9900,1,4,peluca-tres,1.0000\n"
        );
        let read = read_with_defaults(&file);
        let long = long.to_ascii_uppercase();
        assert_eq!(
            skus(&read),
            ["KIT PIRATA <2>", long.as_str(), "ABC-ECW", "ABC-ECW-2"],
            "{:?}",
            read.rejected
        );
        assert_eq!(
            read.records.products[3].variants[0].sku.as_str(),
            "ABC-ECW-2"
        );
        assert_eq!(row_notes(&read).len(), 1, "{:?}", row_notes(&read));
        assert_eq!(row_notes(&read)[0].line, 5);
        assert!(
            row_notes(&read)[0]
                .message
                .contains("imported as ABC-ECW-2"),
            "{}",
            row_notes(&read)[0]
        );
        assert_eq!(read.rejected.len(), 1, "a true twin: {:?}", read.rejected);
        assert_eq!(read.rejected[0].line, 6);
        assert!(
            read.rejected[0]
                .message
                .contains("appears twice (first on line 5)")
        );
    }

    #[test]
    fn net_prices_become_each_sites_shelf_price() {
        let net = PriceBasis::ExcludingVat;
        let gross = PriceBasis::IncludingVat;
        assert_eq!(
            net.shelf_price("24.7934", SiteCode::Es),
            Some(Money::eur(3_000))
        );
        assert_eq!(
            net.shelf_price("24.7934", SiteCode::Fr),
            Some(Money::eur(2_975))
        );
        assert_eq!(net.shelf_price("10", SiteCode::Pt), Some(Money::eur(1_230)));
        assert_eq!(
            net.shelf_price("10.0000", SiteCode::It),
            Some(Money::eur(1_220))
        );
        assert_eq!(net.shelf_price("0.0041", SiteCode::Es), Some(Money::eur(0)));
        assert_eq!(
            net.shelf_price("0.0042", SiteCode::Es),
            Some(Money::eur(1)),
            "half up"
        );
        for bad in ["", "-1.0000", "1.23456", "1,50", "abc", ".5"] {
            assert_eq!(net.shelf_price(bad, SiteCode::Es), None, "{bad}");
        }
        assert_eq!(gross.shelf_price("24.7934", SiteCode::Es), None);
        assert_eq!(
            gross.shelf_price("29.9900", SiteCode::Fr),
            Some(Money::eur(2_999))
        );

        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,special_price\n\
                    CAPA,,simple,Capa,24.7934,1,4,capa,1.0000,20.6612\n";
        let settings = MagentoSettings {
            prices: PriceBasis::ExcludingVat,
            ..MagentoSettings::default()
        };
        let read = read(file.as_bytes(), &HashMap::new(), &settings).unwrap();
        let offers = &read.records.products[0].sites;
        let prices: Vec<(i64, i64)> = offers
            .iter()
            .map(|offer| {
                let offer = offer.as_ref().unwrap();
                (offer.price.cents(), offer.sale.unwrap().price.cents())
            })
            .collect();
        assert_eq!(
            prices,
            [
                (3_000, 2_500),
                (2_975, 2_479),
                (3_050, 2_541),
                (3_025, 2_521)
            ]
        );
        assert!(read.notes[0].message.starts_with("prices read without VAT"));
    }

    #[test]
    fn magento_stock_settings_decide_how_units_are_counted() {
        let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,is_in_stock,\
                    manage_stock,use_config_manage_stock,backorders,use_config_backorders\n\
                    USUAL,,simple,Usual,9.9900,1,4,usual,5.0000,1,0,1,0,1\n\
                    GONE,,simple,Gone,9.9900,1,4,gone,5.0000,0,0,1,0,1\n\
                    MADE,,simple,Made,9.9900,1,4,made,0.0000,0,0,0,0,1\n\
                    OWED,,simple,Owed,9.9900,1,4,owed,-2.0000,1,1,0,1,0\n\
                    TOLD,,simple,Told,9.9900,1,4,told,0.0000,1,1,1,2,0\n\
                    NOOWN,,simple,No own,9.9900,1,4,no-own,-1.0000,1,1,1,1,1\n";
        let read = read_with_defaults(file);
        assert!(read.rejected.is_empty(), "{:?}", read.rejected);
        let stock: Vec<(&str, i32, StockPolicy)> = read
            .records
            .products
            .iter()
            .map(|p| {
                (
                    p.sku.as_str(),
                    p.variants[0].stock,
                    p.variants[0].stock_policy,
                )
            })
            .collect();
        assert_eq!(
            stock,
            [
                ("USUAL", 5, StockPolicy::Counted),
                ("GONE", 0, StockPolicy::Counted),
                ("MADE", 0, StockPolicy::NotCounted),
                ("OWED", -2, StockPolicy::Backorders),
                ("TOLD", 0, StockPolicy::Backorders),
                ("NOOWN", 0, StockPolicy::Counted),
            ],
            "use_config 1 is Magento's default: managed, no backorders"
        );
        let lines: Vec<(u64, bool)> = row_notes(&read)
            .iter()
            .map(|note| (note.line, note.message.contains("is_in_stock 0")))
            .collect();
        assert_eq!(lines, [(3, true), (7, false)], "{:?}", read.notes);
    }
}
