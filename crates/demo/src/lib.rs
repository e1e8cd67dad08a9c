//! The demo catalogue: a deterministic, realistic costume shop.
//!
//! `generate(n)` always returns the same catalogue for the same `n`: about 300
//! categories in a three-level tree, the hand-written products of [`fixed`] that tests
//! rely on, and generated products up to `n` in all, named and described in the four
//! languages.

pub mod content;
pub mod fixed;
mod random;
mod tree;
mod words;

use chrono::{DateTime, Duration, TimeZone, Utc};
use comptoir_domain::catalogue::Sale;
use comptoir_domain::product_facts::{CountryCode, ProductFacts};
use comptoir_domain::rich_text;
use comptoir_domain::slug::slugify;
use comptoir_domain::{
    AgeGroup, AttributeOption, Catalogue, Gender, Locale, Money, PerLocale, Product, ProductId,
    ProductKind, SaleUnits, SiteCode, SitePrice, Sku, StockPolicy, TaxClass, Variant, Visibility,
};

use random::Rng;
use tree::CategoryTree;
use words::{Audience, ProductType, Theme};

/// Default size of the demo catalogue: the retailer's real catalogue size.
pub const DEFAULT_PRODUCT_COUNT: usize = 65_000;

/// Generates the demo catalogue with `product_count` products in all (the hand-written
/// ones included, so never fewer than those).
pub fn generate(product_count: usize) -> Catalogue {
    let tree = CategoryTree::build();
    let mut generator = Generator {
        rng: Rng::new(0xC0_57_0E_5E),
        tree: &tree,
        products: Vec::with_capacity(product_count),
        url_keys: Default::default(),
        next_variant_id: 1,
    };
    for fixed in fixed::products() {
        generator.push_fixed(fixed);
    }
    let mut combinations = combinations();
    generator.rng.shuffle(&mut combinations);
    // Past the first round, a collection comes back as a new line: "Tortuga II".
    'rounds: for round in 0.. {
        for &(product_type, theme, audience, collection) in &combinations {
            if generator.products.len() >= product_count {
                break 'rounds;
            }
            generator.push_generated(product_type, theme, audience, collection, round);
        }
    }
    let products = generator.products;
    Catalogue {
        attribute_options: attribute_options(),
        attribute_labels: Vec::new(),
        categories: tree.categories,
        products,
    }
}

const ROMAN_NUMERALS: &[&str] = &["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];

type Combination = (&'static ProductType, &'static Theme, Audience, &'static str);

fn combinations() -> Vec<Combination> {
    let mut all = Vec::new();
    for product_type in words::PRODUCT_TYPES {
        for theme in words::THEMES {
            for &audience in product_type.audiences {
                for collection in words::COLLECTIONS {
                    all.push((product_type, theme, audience, *collection));
                }
            }
        }
    }
    all
}

struct Generator<'t> {
    rng: Rng,
    tree: &'t CategoryTree,
    products: Vec<Product>,
    /// URL keys taken, per locale, to keep them unique.
    url_keys: PerLocale<std::collections::HashSet<String>>,
    next_variant_id: i64,
}

impl Generator<'_> {
    fn push_fixed(&mut self, fixed: fixed::FixedProduct) {
        let id = ProductId(self.products.len() as i64 + 1);
        let url_keys = self.unique_url_keys(&fixed.names);
        let variants = self.variants(fixed.sku, fixed.sizes, fixed.colours, |size, colour| {
            fixed.stock_of(size, colour)
        });
        let categories = fixed
            .categories
            .iter()
            .enumerate()
            .map(|(position, path)| (self.tree.by_path(path), position as i32))
            .collect();
        let offer = SitePrice {
            price: Money::eur(fixed.price_cents),
            sale: None,
            visibility: Visibility::CatalogueAndSearch,
        };
        self.products.push(Product {
            id,
            sku: Sku::parse(fixed.sku).expect("hand-written SKUs are valid"),
            kind: kind_of(&variants),
            tax_class: TaxClass::Standard,
            enabled: true,
            created_at: Utc.with_ymd_and_hms(2026, 9, 1, 9, 0, 0).unwrap() + Duration::days(id.0),
            popularity: fixed.units_sold,
            theme: Some(fixed.theme.to_owned()),
            gender: fixed.gender,
            age_group: Some(fixed.age_group),
            names: PerLocale(fixed.names.map(str::to_owned)),
            descriptions: PerLocale(fixed.descriptions.map(rich_text::sanitised)),
            url_keys,
            meta: PerLocale::default(),
            facts: ProductFacts {
                brand: Some(fixed::BRAND.to_owned()),
                made_in: CountryCode::parse(fixed.made_in).ok(),
                weight_grams: Some(fixed.weight_grams),
                ..ProductFacts::default()
            },
            links: Vec::new(),
            price_tiers: Vec::new(),
            images: (1..=fixed::PHOTOS_EACH)
                .map(|n| fixed::photo_path(fixed.sku, n))
                .collect(),
            sites: [0; 4].map(|_| Some(offer.clone())),
            variants,
            options: Vec::new(),
            categories,
        });
    }

    fn push_generated(
        &mut self,
        product_type: &ProductType,
        theme: &Theme,
        audience: Audience,
        collection: &str,
        round: usize,
    ) {
        let id = ProductId(self.products.len() as i64 + 1);
        let sku = format!("{}-{:06}", product_type.sku_prefix, id.0);
        let names = PerLocale::from_fn(|locale| {
            let i = locale.index();
            let mut name = product_type.pattern[i].replace("{}", theme.noun[i]);
            name.push(' ');
            name.push_str(collection);
            if round > 0 {
                name.push(' ');
                name.push_str(ROMAN_NUMERALS[round.min(ROMAN_NUMERALS.len() - 1)]);
            }
            let suffix = audience.suffix()[i];
            if !suffix.is_empty() {
                name.push(' ');
                name.push_str(suffix);
            }
            name
        });
        let descriptions = PerLocale::from_fn(|locale| {
            let i = locale.index();
            let mut text = words::DESCRIPTION_OPENINGS[i]
                .replace("{name}", &names[locale])
                .replace("{theme}", theme.noun[i]);
            for _ in 0..2 {
                let detail = self.rng.pick(words::DESCRIPTION_DETAILS);
                if !text.contains(detail[i]) {
                    text.push(' ');
                    text.push_str(detail[i]);
                }
            }
            rich_text::sanitised(&text)
        });
        let url_keys = self.unique_url_keys(&names.0.each_ref().map(String::as_str));
        let sizes: &[&str] = match (product_type.code, audience) {
            ("costume", Audience::Kids) => words::KID_SIZES,
            ("costume", Audience::Babies) => words::BABY_SIZES,
            ("costume", _) => {
                let from = self.rng.below(2);
                &words::ADULT_SIZES[from..from + 3 + self.rng.below(2)]
            }
            _ => &[],
        };
        let colours: Vec<&str> = if sizes.is_empty() && self.rng.chance(0.25) {
            let first = self.rng.below(words::COLOURS.len() - 2);
            words::COLOURS[first..first + 2]
                .iter()
                .map(|(code, _)| *code)
                .collect()
        } else {
            Vec::new()
        };
        let mut rng = self.rng.fork();
        let variants = self.variants(&sku, sizes, &colours, |_, _| {
            if rng.chance(0.08) {
                0
            } else {
                rng.below(40) as i32
            }
        });
        let categories = self
            .tree
            .placements(product_type, theme, audience)
            .into_iter()
            .map(|category| (category, 10 + self.rng.below(1000) as i32))
            .collect();
        let (low, high) = product_type.price_range;
        let base =
            (low + self.rng.below(((high - low) / 100 + 1) as usize) as i64 * 100) / 100 * 100 + 99;
        let sites = SiteCode::ALL.map(|site| self.offer(site, base));
        self.products.push(Product {
            id,
            sku: Sku::parse(&sku).expect("generated SKUs are valid"),
            kind: kind_of(&variants),
            tax_class: TaxClass::Standard,
            enabled: !self.rng.chance(0.02),
            created_at: Utc.with_ymd_and_hms(2021, 1, 1, 8, 0, 0).unwrap()
                + Duration::minutes(self.rng.below(2_000 * 24 * 60) as i64),
            popularity: self.rng.below(120) as i32,
            theme: Some(theme.code.to_owned()),
            gender: match audience {
                Audience::Women => Some(Gender::Women),
                Audience::Men => Some(Gender::Men),
                _ => Some(Gender::Unisex),
            },
            age_group: Some(match audience {
                Audience::Kids => AgeGroup::Kid,
                Audience::Babies => AgeGroup::Baby,
                _ => AgeGroup::Adult,
            }),
            names,
            descriptions,
            url_keys,
            meta: PerLocale::default(),
            facts: ProductFacts::default(),
            links: Vec::new(),
            price_tiers: Vec::new(),
            images: images_of(product_type.code),
            sites,
            variants,
            options: Vec::new(),
            categories,
        });
    }

    /// The product's offer on `site`, from its Spanish base price.
    fn offer(&mut self, site: SiteCode, base_cents: i64) -> Option<SitePrice> {
        if matches!(site, SiteCode::Pt | SiteCode::It) && self.rng.chance(0.05) {
            return None;
        }
        let price = match site {
            SiteCode::Es | SiteCode::Fr => base_cents,
            SiteCode::Pt => base_cents.max(300) - 100,
            SiteCode::It => base_cents + 100,
        };
        let sale = self.rng.chance(0.12).then(|| {
            let dated = self.rng.chance(0.5);
            Sale {
                price: Money::eur(price * 8 / 10 / 100 * 100 + 99),
                starts_at: Some(utc_date(2026, 10, 1)),
                ends_at: dated.then(|| utc_date(2027, 3, 1)),
            }
        });
        let visibility = match self.rng.below(100) {
            0..=2 => Visibility::Search,
            3 => Visibility::NotVisible,
            4 => Visibility::Catalogue,
            _ => Visibility::CatalogueAndSearch,
        };
        Some(SitePrice {
            price: Money::eur(price),
            sale,
            visibility,
        })
    }

    fn variants(
        &mut self,
        sku: &str,
        sizes: &[&str],
        colours: &[&str],
        mut stock: impl FnMut(Option<&str>, Option<&str>) -> i32,
    ) -> Vec<Variant> {
        let mut options: Vec<(Option<&str>, Option<&str>)> = Vec::new();
        match (sizes.is_empty(), colours.is_empty()) {
            (true, true) => options.push((None, None)),
            (false, _) => options.extend(sizes.iter().map(|s| (Some(*s), None))),
            (true, false) => options.extend(colours.iter().map(|c| (None, Some(*c)))),
        }
        let single = options.len() == 1 && options[0] == (None, None);
        options
            .into_iter()
            .enumerate()
            .map(|(position, (size, colour))| {
                let id = self.next_variant_id;
                self.next_variant_id += 1;
                let variant_sku = match (single, size.or(colour)) {
                    (false, Some(option)) => format!("{sku}-{}", option.to_ascii_uppercase()),
                    _ => sku.to_owned(),
                };
                Variant {
                    id,
                    sku: Sku::parse(&variant_sku).expect("variant SKUs are valid"),
                    size: size.map(str::to_owned),
                    colour: colour.map(str::to_owned),
                    choices: Vec::new(),
                    surcharge_cents: [0; 4],
                    stock: stock(size, colour),
                    stock_policy: StockPolicy::Counted,
                    sale_units: SaleUnits::default(),
                    position: position as i32,
                }
            })
            .collect()
    }

    fn unique_url_keys(&mut self, names: &[&str; 4]) -> PerLocale<String> {
        PerLocale::from_fn(|locale: Locale| {
            let base = slugify(names[locale.index()]);
            let taken = &mut self.url_keys[locale];
            let key = (1..)
                .map(|n| {
                    if n == 1 {
                        base.clone()
                    } else {
                        format!("{base}-{n}")
                    }
                })
                .find(|candidate| !taken.contains(candidate))
                .expect("an unbounded range always yields a free key");
            taken.insert(key.clone());
            key
        })
    }
}

fn kind_of(variants: &[Variant]) -> ProductKind {
    if variants
        .iter()
        .any(|v| v.size.is_some() || v.colour.is_some())
    {
        ProductKind::Configurable
    } else {
        ProductKind::Simple
    }
}

fn images_of(product_type: &str) -> Vec<String> {
    (1..=2)
        .map(|n| format!("img/products/{product_type}-{n}.svg"))
        .collect()
}

fn utc_date(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 0, 0, 0).unwrap()
}

fn attribute_options() -> Vec<AttributeOption> {
    let option =
        |attribute: &str, position: usize, code: &str, labels: [String; 4]| AttributeOption {
            attribute: attribute.to_owned(),
            code: code.to_owned(),
            labels: PerLocale(labels),
            position: position as i32,
        };
    let sizes = words::BABY_SIZES
        .iter()
        .chain(words::KID_SIZES)
        .chain(words::ADULT_SIZES)
        .enumerate()
        .map(|(i, code)| option("size", i, code, words::size_label(code)));
    let colours = words::COLOURS
        .iter()
        .enumerate()
        .map(|(i, (code, labels))| option("colour", i, code, labels.map(str::to_owned)));
    let themes = words::THEMES
        .iter()
        .enumerate()
        .map(|(i, theme)| option("theme", i, theme.code, theme.noun.map(capitalise)));
    sizes.chain(colours).chain(themes).collect()
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_deterministic_and_sized() {
        let a = generate(3_000);
        assert_eq!(a, generate(3_000));
        assert_eq!(a.products.len(), 3_000);
        assert_eq!(generate(3).products.len(), fixed::products().len());
    }

    #[test]
    fn fixed_products_come_first_with_their_stock() {
        let catalogue = generate(100);
        let witch = &catalogue.products[0];
        assert_eq!(witch.sku.as_str(), fixed::WITCH_COSTUME_SKU);
        assert_eq!(
            witch.names[Locale::Fr],
            "Déguisement de sorcière pour femme"
        );
        let stock: Vec<i32> = witch.variants.iter().map(|v| v.stock).collect();
        assert_eq!(stock, [10, 25, 2, 0]);
        assert_eq!(witch.kind, ProductKind::Configurable);
        assert_eq!(catalogue.products[1].kind, ProductKind::Simple);
    }

    #[test]
    fn skus_and_url_keys_are_unique() {
        let catalogue = generate(DEFAULT_PRODUCT_COUNT);
        let mut skus = std::collections::HashSet::new();
        for variant in catalogue.products.iter().flat_map(|p| &p.variants) {
            assert!(skus.insert(variant.sku.clone()), "{}", variant.sku);
        }
        for locale in Locale::ALL {
            let mut keys = std::collections::HashSet::new();
            for product in &catalogue.products {
                assert!(
                    keys.insert(&product.url_keys[locale]),
                    "{}",
                    product.url_keys[locale]
                );
            }
        }
    }
}
