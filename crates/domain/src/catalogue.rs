//! The catalogue: categories, products, their variants, prices per site and stock.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::money::Money;
use crate::site::{PerLocale, SiteCode};

/// Database identity of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProductId(pub i64);

/// Database identity of a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CategoryId(pub i64);

/// A stock keeping unit: what staff, suppliers and the warehouse call an article.
/// Any text Magento accepts as one (spaces, `<`, long option-derived codes), but
/// no control characters and no surrounding whitespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sku(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkuError {
    #[error("a SKU cannot be empty")]
    Empty,
    #[error("a SKU has at most {} characters", Sku::MAX_CHARS)]
    TooLong,
    #[error("a SKU cannot hold control characters (tabs, line ends): '{0}'")]
    InvalidCharacter(String),
}

impl Sku {
    /// The longest SKU, as Magento's own column (`varchar(255)` once options'
    /// SKUs are appended) and the database's check.
    pub const MAX_CHARS: usize = 255;

    /// Parses a SKU as typed: surrounding whitespace trimmed, ASCII letters
    /// upper-cased so that `dis-bruja-m` and `DIS-BRUJA-M` are one article (as
    /// Magento's case-insensitive column has them).
    pub fn parse(input: &str) -> Result<Self, SkuError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(SkuError::Empty);
        }
        if trimmed.chars().count() > Sku::MAX_CHARS {
            return Err(SkuError::TooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(SkuError::InvalidCharacter(
                trimmed.escape_debug().to_string(),
            ));
        }
        Ok(Sku(trimmed.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Sku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A simple product is sold as it is; a configurable one is chosen in a size or colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductKind {
    Simple,
    Configurable,
}

/// Which VAT rate of the destination applies. Only the standard rate is sold today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxClass {
    Standard,
}

/// How a product suggests another (Magento's product links): alongside it, as a
/// better one, or in the cart as something to add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Related,
    UpSell,
    CrossSell,
}

/// Another product a product suggests, by its SKU: it may come later, or never be
/// sold on a site; pages show those they find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductLink {
    pub kind: LinkKind,
    pub sku: Sku,
}

/// Where a product may be shown on a site (Magento's four visibilities).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    CatalogueAndSearch,
    Catalogue,
    Search,
    NotVisible,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Women,
    Men,
    Unisex,
}

/// How a variant's units are counted when it sells (Magento's `manage_stock` and
/// `backorders`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StockPolicy {
    /// Sold while units are left, each sale taking its units.
    #[default]
    Counted,
    /// Sold beyond the units left: the count goes below zero, the units owed.
    Backorders,
    /// Not counted: always sold, the count left as it is (made to order).
    NotCounted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeGroup {
    Adult,
    Teen,
    Kid,
    Baby,
}

/// Implements the stable text codes the database stores for a small enum.
macro_rules! text_codes {
    ($type:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $type {
            pub fn as_str(self) -> &'static str {
                match self { $($type::$variant => $code),+ }
            }
            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($type::$variant),)+ _ => None }
            }
        }
    };
}

text_codes!(ProductKind { Simple => "simple", Configurable => "configurable" });
text_codes!(TaxClass { Standard => "standard" });
text_codes!(Visibility {
    CatalogueAndSearch => "both",
    Catalogue => "catalog",
    Search => "search",
    NotVisible => "none",
});
text_codes!(Gender { Women => "women", Men => "men", Unisex => "unisex" });
text_codes!(AgeGroup { Adult => "adult", Teen => "teen", Kid => "kid", Baby => "baby" });
text_codes!(LinkKind { Related => "related", UpSell => "up_sell", CrossSell => "cross_sell" });
text_codes!(StockPolicy {
    Counted => "counted",
    Backorders => "backorders",
    NotCounted => "not_counted",
});

impl Visibility {
    pub fn in_catalog(self) -> bool {
        matches!(self, Visibility::CatalogueAndSearch | Visibility::Catalogue)
    }
}

/// A sale price valid from `starts_at` (inclusive) to `ends_at` (exclusive); an open
/// end means until further notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sale {
    pub price: Money,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
}

impl Sale {
    /// A sale at `price` from its first day to its last day included (UTC days),
    /// either end open; `None` when it would end before it starts.
    pub fn over_days(
        price: Money,
        first_day: Option<chrono::NaiveDate>,
        last_day: Option<chrono::NaiveDate>,
    ) -> Option<Sale> {
        let midnight = |day: chrono::NaiveDate| day.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        let starts_at = first_day.and_then(midnight);
        // The last day is included: the sale ends at the next midnight.
        let ends_at = last_day.and_then(|day| day.succ_opt()).and_then(midnight);
        if let (Some(start), Some(end)) = (starts_at, ends_at)
            && start >= end
        {
            return None;
        }
        Some(Sale {
            price,
            starts_at,
            ends_at,
        })
    }

    /// The last day the sale runs (UTC), if it ends.
    pub fn last_day(&self) -> Option<chrono::NaiveDate> {
        self.ends_at
            .map(|end| (end - chrono::Duration::seconds(1)).date_naive())
    }

    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.starts_at.is_none_or(|start| start <= now) && self.ends_at.is_none_or(|end| now < end)
    }
}

/// A product's offer on one site: its VAT-included shelf price and where it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePrice {
    pub price: Money,
    pub sale: Option<Sale>,
    pub visibility: Visibility,
}

impl SitePrice {
    /// The price a shopper pays at `now`: the sale price while the sale runs.
    pub fn effective(&self, now: DateTime<Utc>) -> Money {
        match self.sale {
            Some(sale) if sale.is_active(now) && sale.price < self.price => sale.price,
            _ => self.price,
        }
    }

    /// Whether the price shown at `now` is a reduction from the regular price.
    pub fn on_sale(&self, now: DateTime<Utc>) -> bool {
        self.effective(now) < self.price
    }

    /// The next instant after `now` at which [`SitePrice::effective`] may change.
    pub fn next_change_after(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let sale = self.sale?;
        [sale.starts_at, sale.ends_at]
            .into_iter()
            .flatten()
            .filter(|instant| *instant > now)
            .min()
    }
}

/// How much of an article is left, as shoppers are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StockState {
    OutOfStock,
    Low,
    InStock,
}

impl StockState {
    /// At or below this many units, shoppers are told that few are left.
    pub const LOW_THRESHOLD: i32 = 3;

    pub fn from_quantity(quantity: i32) -> Self {
        match quantity {
            q if q <= 0 => StockState::OutOfStock,
            q if q <= Self::LOW_THRESHOLD => StockState::Low,
            _ => StockState::InStock,
        }
    }
}

/// A sellable article: a simple product's single variant, or one size or colour of a
/// configurable product. Stock is counted per variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub id: i64,
    pub sku: Sku,
    /// Code of a `size` attribute option (`M`, `XL`, `5-6`), if the product has sizes.
    pub size: Option<String>,
    /// Code of a `colour` attribute option, if the product comes in colours.
    pub colour: Option<String>,
    /// Choices beyond size and colour (Magento's other super attributes: a format,
    /// a gender), in the product's attribute order.
    pub choices: Vec<VariantChoice>,
    /// What this variant adds to its product's price on each site (indexed by
    /// [`SiteCode::index`]), in cents: XXL +500. Zero for most.
    pub surcharge_cents: [i64; 4],
    /// Units counted in stock; below zero only with backorders (units owed).
    pub stock: i32,
    pub stock_policy: StockPolicy,
    pub sale_units: SaleUnits,
    /// Order among the product's variants (sizes small to large).
    pub position: i32,
}

/// How many units of a variant one order may hold (Magento's `min_sale_qty` and
/// `max_sale_qty`): at least `min`, at most `max` when there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleUnits {
    pub min: u32,
    pub max: Option<u32>,
}

impl Default for SaleUnits {
    fn default() -> Self {
        SaleUnits { min: 1, max: None }
    }
}

impl SaleUnits {
    /// The most units of the variant one order line may hold under the shop's
    /// own limit per line.
    pub fn cap(self, shop_limit: u32) -> u32 {
        self.max.map_or(shop_limit, |max| max.min(shop_limit))
    }

    /// Limits from their parts, `None` when `max` is below `min` or `min` is 0.
    pub fn new(min: u32, max: Option<u32>) -> Option<SaleUnits> {
        (min >= 1 && max.is_none_or(|max| max >= min)).then_some(SaleUnits { min, max })
    }
}

impl Variant {
    /// What the variant adds to its product's price on `site`.
    pub fn surcharge(&self, site: SiteCode) -> Money {
        Money::from_cents(self.surcharge_cents[site.index()], site.currency())
    }

    /// The variant's price on `site` at `now`: the offer's price with the variant's
    /// surcharge, never below zero (a Magento correction may be negative).
    pub fn unit_price(&self, offer: &SitePrice, site: SiteCode, now: DateTime<Utc>) -> Money {
        let cents = offer.effective(now).cents() + self.surcharge_cents[site.index()];
        Money::from_cents(cents.max(0), site.currency())
    }

    /// The variant's value of `attribute` (`size`, `colour` or a further choice).
    pub fn value_of(&self, attribute: &str) -> Option<&str> {
        match attribute {
            SIZE => self.size.as_deref(),
            COLOUR => self.colour.as_deref(),
            _ => self
                .choices
                .iter()
                .find(|choice| choice.attribute.as_str() == attribute)
                .map(|choice| choice.value.as_str()),
        }
    }

    /// How many units one order may take: those in stock when they are counted
    /// strictly, any number otherwise.
    pub fn units_for_sale(&self) -> u32 {
        match self.stock_policy {
            StockPolicy::Counted => u32::try_from(self.stock.max(0)).unwrap_or(0),
            StockPolicy::Backorders | StockPolicy::NotCounted => u32::MAX,
        }
    }

    /// What shoppers are told of it: a variant sold beyond its stock is in stock.
    pub fn stock_state(&self) -> StockState {
        match self.stock_policy {
            StockPolicy::Counted => StockState::from_quantity(self.stock),
            StockPolicy::Backorders | StockPolicy::NotCounted => StockState::InStock,
        }
    }
}

/// The attribute codes of a variant's size and colour.
pub const SIZE: &str = "size";
pub const COLOUR: &str = "colour";

/// One of a variant's choices beyond size and colour: the attribute's code
/// (`formato`) and the variant's value of it (`A4`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantChoice {
    pub attribute: ChoiceAttribute,
    pub value: String,
}

/// The code of an attribute that tells variants apart beyond size and colour, as
/// Magento names its attributes: lower-case letters, digits and underscores,
/// starting with a letter (`dimensione_passepartout`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChoiceAttribute(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChoiceAttributeError {
    #[error("'{0}' is not an attribute code (lower-case letters, digits and _)")]
    Invalid(String),
    #[error("'{0}' is a variant's size or colour, not a further choice")]
    Reserved(String),
}

impl ChoiceAttribute {
    pub fn parse(code: &str) -> Result<Self, ChoiceAttributeError> {
        let code = code.trim().to_ascii_lowercase();
        let mut chars = code.chars();
        let well_formed = chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && code.len() <= 64;
        if !well_formed {
            return Err(ChoiceAttributeError::Invalid(code));
        }
        if code == SIZE || code == COLOUR {
            return Err(ChoiceAttributeError::Reserved(code));
        }
        Ok(ChoiceAttribute(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What shoppers read until staff name it: the code as words
    /// (`dimensione_passepartout` is "Dimensione passepartout").
    pub fn default_label(&self) -> String {
        let words = self.0.replace('_', " ");
        let mut chars = words.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => words,
        }
    }
}

/// A choice attribute's label in each language: the legend of its group on a
/// product page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeLabels {
    pub attribute: ChoiceAttribute,
    pub labels: PerLocale<String>,
}

/// A product with everything the shop shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: ProductId,
    pub sku: Sku,
    pub kind: ProductKind,
    pub tax_class: TaxClass,
    /// Switched off everywhere when false, whatever the sites say.
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    /// Units sold recently, for the "best sellers" sort.
    pub popularity: i32,
    /// Code of a `theme` attribute option (pirate, witch, ...).
    pub theme: Option<String>,
    pub gender: Option<Gender>,
    pub age_group: Option<AgeGroup>,
    pub names: PerLocale<String>,
    pub descriptions: PerLocale<String>,
    pub url_keys: PerLocale<String>,
    pub meta: PerLocale<PageMeta>,
    pub facts: crate::product_facts::ProductFacts,
    /// The products it suggests, in the order staff gave them.
    pub links: Vec<ProductLink>,
    /// Lower prices by quantity or customer group.
    pub price_tiers: Vec<crate::price_tiers::PriceTier>,
    /// Image paths relative to the media root, first one is the main image.
    pub images: Vec<String>,
    /// The product's offer per site, indexed by [`SiteCode::index`]; `None` where it is
    /// not sold.
    pub sites: [Option<SitePrice>; 4],
    pub variants: Vec<Variant>,
    /// Options picked on top of the variant (Magento's custom options).
    pub options: Vec<crate::product_options::ProductOption>,
    /// Categories the product is placed in, with its merchandising position there
    /// (smaller first).
    pub categories: Vec<(CategoryId, i32)>,
}

impl Product {
    pub fn site(&self, site: SiteCode) -> Option<&SitePrice> {
        self.sites[site.index()].as_ref()
    }

    /// The site's offer if the product is enabled and listed in the site's catalogue.
    pub fn listed_on(&self, site: SiteCode) -> Option<&SitePrice> {
        self.site(site)
            .filter(|offer| self.enabled && offer.visibility.in_catalog())
    }

    pub fn total_stock(&self) -> i64 {
        self.variants
            .iter()
            .map(|v| i64::from(v.stock.max(0)))
            .sum()
    }

    /// The attributes shoppers choose its variants by, in the page's order: size,
    /// colour, then the further choices in their order.
    pub fn choice_attributes(&self) -> Vec<&str> {
        let mut attributes: Vec<&str> = Vec::new();
        if self.variants.iter().any(|v| v.size.is_some()) {
            attributes.push(SIZE);
        }
        if self.variants.iter().any(|v| v.colour.is_some()) {
            attributes.push(COLOUR);
        }
        for variant in &self.variants {
            for choice in &variant.choices {
                if !attributes.contains(&choice.attribute.as_str()) {
                    attributes.push(choice.attribute.as_str());
                }
            }
        }
        attributes
    }

    /// The values of `attribute` its variants have, each once, in variant order.
    pub fn values_of(&self, attribute: &str) -> Vec<&str> {
        let mut values: Vec<&str> = Vec::new();
        for value in self.variants.iter().filter_map(|v| v.value_of(attribute)) {
            if !values.contains(&value) {
                values.push(value);
            }
        }
        values
    }

    /// The variant a shopper chose by a value of each choice attribute (`chosen`
    /// gives the value picked for an attribute).
    pub fn variant_chosen<'v>(
        &self,
        chosen: impl Fn(&str) -> Option<&'v str>,
    ) -> Result<&Variant, ChoiceError> {
        let attributes = self.choice_attributes();
        let mut picked = Vec::with_capacity(attributes.len());
        for attribute in attributes {
            match chosen(attribute).map(str::trim).filter(|v| !v.is_empty()) {
                Some(value) => picked.push((attribute, value)),
                None => return Err(ChoiceError::NotChosen(attribute.to_owned())),
            }
        }
        self.variants
            .iter()
            .find(|variant| {
                picked
                    .iter()
                    .all(|(attribute, value)| variant.value_of(attribute) == Some(*value))
            })
            .ok_or(ChoiceError::NoSuchCombination)
    }

    /// The product's stock state: the best of its variants'.
    pub fn stock_state(&self) -> StockState {
        self.variants
            .iter()
            .map(Variant::stock_state)
            .max()
            .unwrap_or(StockState::OutOfStock)
    }
}

/// Why a shopper's choice names no variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChoiceError {
    #[error("no value chosen for {0}")]
    NotChosen(String),
    #[error("no variant has these values together")]
    NoSuchCombination,
}

/// A node of the category tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: CategoryId,
    pub parent: Option<CategoryId>,
    /// Order among its siblings.
    pub position: i32,
    pub enabled: bool,
    /// Hygiene goods (wigs, make-up): once unsealed, not returnable, here and below.
    pub hygiene_sealed: bool,
    pub names: PerLocale<String>,
    /// This level's URL key per locale; a category's URL is its ancestors' keys joined.
    pub url_keys: PerLocale<String>,
    pub meta: PerLocale<PageMeta>,
}

/// What the head of a product's or category's page says to search engines on a
/// site, as staff wrote it (or a Magento import brought it). Empty is unwritten: the
/// page then makes its title from the name and its description from its facts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
}

impl PageMeta {
    /// The title staff wrote; `None` when they wrote none (blank counts as none).
    pub fn written_title(&self) -> Option<&str> {
        Some(self.title.trim()).filter(|title| !title.is_empty())
    }

    /// The description staff wrote; `None` when they wrote none.
    pub fn written_description(&self) -> Option<&str> {
        Some(self.description.trim()).filter(|description| !description.is_empty())
    }
}

/// A translated value of a product attribute (a size, a colour, a theme).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeOption {
    /// `size`, `colour` or `theme`.
    pub attribute: String,
    pub code: String,
    pub labels: PerLocale<String>,
    pub position: i32,
}

/// A whole catalogue: what a seed writes and what a snapshot loads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalogue {
    pub attribute_options: Vec<AttributeOption>,
    /// Labels of the choice attributes beyond size and colour.
    pub attribute_labels: Vec<AttributeLabels>,
    /// Parents come before their children.
    pub categories: Vec<Category>,
    pub products: Vec<Product>,
}

#[cfg(test)]
mod tests {
    use super::PageMeta;

    #[test]
    fn blank_page_meta_is_unwritten() {
        let meta = PageMeta {
            title: "  ".to_owned(),
            description: " Disfraces de bruja. ".to_owned(),
        };
        assert_eq!(meta.written_title(), None);
        assert_eq!(meta.written_description(), Some("Disfraces de bruja."));
    }

    use super::*;
    use chrono::TimeZone;

    #[test]
    fn sku_parse() {
        assert_eq!(Sku::parse(" dis-bruja-m ").unwrap().as_str(), "DIS-BRUJA-M");
        assert_eq!(Sku::parse(""), Err(SkuError::Empty));
        assert_eq!(
            Sku::parse("Kit <Pirata> 2 piezas\t").unwrap().as_str(),
            "KIT <PIRATA> 2 PIEZAS"
        );
        assert!(matches!(
            Sku::parse("a\tb"),
            Err(SkuError::InvalidCharacter(_))
        ));
        assert_eq!(
            Sku::parse(&"é".repeat(255))
                .unwrap()
                .as_str()
                .chars()
                .count(),
            255
        );
        assert_eq!(Sku::parse(&"x".repeat(256)), Err(SkuError::TooLong));
    }

    #[test]
    fn choice_attributes_are_magento_codes_other_than_size_and_colour() {
        let format = ChoiceAttribute::parse(" Dimensione_Passepartout ").unwrap();
        assert_eq!(format.as_str(), "dimensione_passepartout");
        assert_eq!(format.default_label(), "Dimensione passepartout");
        for bad in ["", "2x", "a-b", "größe"] {
            assert!(
                matches!(
                    ChoiceAttribute::parse(bad),
                    Err(ChoiceAttributeError::Invalid(_))
                ),
                "{bad}"
            );
        }
        assert_eq!(
            ChoiceAttribute::parse("size"),
            Err(ChoiceAttributeError::Reserved("size".into()))
        );
    }

    #[test]
    fn a_variant_costs_its_products_price_with_its_surcharge() {
        let offer = SitePrice {
            price: Money::eur(2000),
            sale: Some(Sale {
                price: Money::eur(1500),
                starts_at: None,
                ends_at: None,
            }),
            visibility: Visibility::CatalogueAndSearch,
        };
        let variant = Variant {
            id: 1,
            sku: Sku::parse("V-XXL").unwrap(),
            size: Some("XXL".into()),
            colour: None,
            choices: vec![VariantChoice {
                attribute: ChoiceAttribute::parse("formato").unwrap(),
                value: "A4".into(),
            }],
            surcharge_cents: [500, 0, -2000, 0],
            stock: 1,
            stock_policy: StockPolicy::Counted,
            sale_units: SaleUnits::default(),
            position: 0,
        };
        let now = Utc::now();
        assert_eq!(
            variant.unit_price(&offer, SiteCode::Es, now),
            Money::eur(2000)
        );
        assert_eq!(
            variant.unit_price(&offer, SiteCode::Fr, now),
            Money::eur(1500)
        );
        // A negative correction never makes the article free of charge below zero.
        assert_eq!(variant.unit_price(&offer, SiteCode::Pt, now), Money::eur(0));
        assert_eq!(variant.value_of(SIZE), Some("XXL"));
        assert_eq!(variant.value_of("formato"), Some("A4"));
        assert_eq!(variant.value_of(COLOUR), None);
    }

    #[test]
    fn a_variant_is_chosen_by_a_value_of_each_attribute() {
        let variant = |sku: &str, size: &str, gender: &str| Variant {
            id: 1,
            sku: Sku::parse(sku).unwrap(),
            size: Some(size.into()),
            colour: None,
            choices: vec![VariantChoice {
                attribute: ChoiceAttribute::parse("genero").unwrap(),
                value: gender.into(),
            }],
            surcharge_cents: [0; 4],
            stock: 1,
            stock_policy: StockPolicy::Counted,
            sale_units: SaleUnits::default(),
            position: 0,
        };
        let variants = vec![
            variant("D-M-H", "M", "Hombre"),
            variant("D-L-H", "L", "Hombre"),
            variant("D-M-M", "M", "Mujer"),
        ];
        let choose = |size: &'static str, gender: &'static str| {
            let product = Product {
                variants: variants.clone(),
                ..product_without_variants()
            };
            product
                .variant_chosen(|attribute| match attribute {
                    SIZE => Some(size),
                    "genero" => Some(gender),
                    _ => None,
                })
                .map(|v| v.sku.to_string())
        };
        assert_eq!(choose("L", "Hombre"), Ok("D-L-H".to_owned()));
        assert_eq!(choose("M", " Mujer "), Ok("D-M-M".to_owned()));
        assert_eq!(choose("L", "Mujer"), Err(ChoiceError::NoSuchCombination));
        assert_eq!(
            choose("M", ""),
            Err(ChoiceError::NotChosen("genero".into()))
        );
        let product = Product {
            variants,
            ..product_without_variants()
        };
        assert_eq!(product.choice_attributes(), [SIZE, "genero"]);
        assert_eq!(product.values_of(SIZE), ["M", "L"]);
    }

    fn product_without_variants() -> Product {
        Product {
            id: ProductId(1),
            sku: Sku::parse("D").unwrap(),
            kind: ProductKind::Configurable,
            tax_class: TaxClass::Standard,
            enabled: true,
            created_at: Utc::now(),
            popularity: 0,
            theme: None,
            gender: None,
            age_group: None,
            names: PerLocale::default(),
            descriptions: PerLocale::default(),
            url_keys: PerLocale::default(),
            meta: PerLocale::default(),
            facts: Default::default(),
            links: Vec::new(),
            price_tiers: Vec::new(),
            images: Vec::new(),
            sites: Default::default(),
            variants: Vec::new(),
            options: Vec::new(),
            categories: Vec::new(),
        }
    }

    #[test]
    fn sale_applies_only_within_its_dates() {
        let at = |day| Utc.with_ymd_and_hms(2026, 10, day, 0, 0, 0).unwrap();
        let offer = SitePrice {
            price: Money::eur(2999),
            sale: Some(Sale {
                price: Money::eur(1999),
                starts_at: Some(at(10)),
                ends_at: Some(at(20)),
            }),
            visibility: Visibility::CatalogueAndSearch,
        };
        assert_eq!(offer.effective(at(9)), Money::eur(2999));
        assert_eq!(offer.effective(at(10)), Money::eur(1999));
        assert!(offer.on_sale(at(15)));
        assert_eq!(offer.effective(at(20)), Money::eur(2999));
        assert_eq!(offer.next_change_after(at(1)), Some(at(10)));
        assert_eq!(offer.next_change_after(at(10)), Some(at(20)));
        assert_eq!(offer.next_change_after(at(25)), None);
    }

    #[test]
    fn a_sale_price_above_the_price_is_ignored() {
        let offer = SitePrice {
            price: Money::eur(1000),
            sale: Some(Sale {
                price: Money::eur(1500),
                starts_at: None,
                ends_at: None,
            }),
            visibility: Visibility::Catalogue,
        };
        assert_eq!(offer.effective(Utc::now()), Money::eur(1000));
    }

    #[test]
    fn stock_states() {
        assert_eq!(StockState::from_quantity(-1), StockState::OutOfStock);
        assert_eq!(StockState::from_quantity(0), StockState::OutOfStock);
        assert_eq!(StockState::from_quantity(3), StockState::Low);
        assert_eq!(StockState::from_quantity(4), StockState::InStock);
    }

    #[test]
    fn variants_sold_beyond_their_stock_are_always_for_sale() {
        let variant = |stock, stock_policy| Variant {
            id: 1,
            sku: Sku::parse("V-1").unwrap(),
            size: None,
            colour: None,
            choices: Vec::new(),
            surcharge_cents: [0; 4],
            stock,
            stock_policy,
            sale_units: SaleUnits::default(),
            position: 0,
        };
        assert_eq!(variant(2, StockPolicy::Counted).units_for_sale(), 2);
        assert_eq!(variant(-1, StockPolicy::Counted).units_for_sale(), 0);
        assert_eq!(
            variant(-3, StockPolicy::Backorders).units_for_sale(),
            u32::MAX
        );
        assert_eq!(
            variant(0, StockPolicy::NotCounted).stock_state(),
            StockState::InStock
        );
        assert_eq!(
            variant(0, StockPolicy::Counted).stock_state(),
            StockState::OutOfStock
        );
        for policy in [
            StockPolicy::Counted,
            StockPolicy::Backorders,
            StockPolicy::NotCounted,
        ] {
            assert_eq!(StockPolicy::parse(policy.as_str()), Some(policy));
        }
    }

    #[test]
    fn codes_round_trip() {
        for v in [
            Visibility::CatalogueAndSearch,
            Visibility::Catalogue,
            Visibility::Search,
            Visibility::NotVisible,
        ] {
            assert_eq!(Visibility::parse(v.as_str()), Some(v));
        }
        assert_eq!(AgeGroup::parse("kid"), Some(AgeGroup::Kid));
        assert_eq!(Gender::parse("x"), None);
    }

    #[test]
    fn sales_run_over_whole_days() {
        let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        let sale = Sale::over_days(Money::eur(999), day("2026-10-20"), day("2026-10-31")).unwrap();
        assert_eq!(
            sale.starts_at.unwrap().to_rfc3339(),
            "2026-10-20T00:00:00+00:00"
        );
        assert_eq!(
            sale.ends_at.unwrap().to_rfc3339(),
            "2026-11-01T00:00:00+00:00"
        );
        assert_eq!(sale.last_day(), day("2026-10-31"));
        assert!(
            Sale::over_days(Money::eur(999), day("2026-10-31"), day("2026-10-31")).is_some(),
            "one day"
        );
        assert!(Sale::over_days(Money::eur(999), day("2026-11-01"), day("2026-10-31")).is_none());
        assert_eq!(
            Sale::over_days(Money::eur(999), None, None)
                .unwrap()
                .last_day(),
            None
        );
    }
}
