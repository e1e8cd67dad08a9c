//! The replica's in-memory catalogue snapshot.
//!
//! Browsing pages never query the database: each replica loads the catalogue at start
//! and keeps it current by following the change log ([`follower`]). Listings are
//! precomputed per site, category and sort, so a category page only slices a list.
//!
//! A snapshot is immutable once published; an update builds the next one from the
//! current one, sharing what did not change (products are `Arc`s, the lookup tables
//! and listings are copied only when touched).

pub mod follower;
pub mod promotion_prices;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use comptoir_domain::image::{ImageFormat, Rendition};
use comptoir_domain::local_time::TimeZone;
use comptoir_domain::price_history::{PriceTag, ReferencePrices};
use comptoir_domain::promotions::Rule;
use comptoir_domain::slug::slugify;
use comptoir_domain::static_base::StaticBase;
use comptoir_domain::{
    Catalogue, Category, CategoryId, ChoiceAttribute, Locale, PerLocale, Product, ProductId,
    SiteCode, Sku, StockState, Variant,
};
use comptoir_store::{ChangePosition, ModificationTimes, Renditions};

use crate::content::Contents;

/// Index of a product in [`Snapshot::products`].
pub type ProductIndex = u32;
/// Index of a category in [`Snapshot::categories`].
pub type CategoryIndex = u32;

/// How a category's products are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    /// Merchandising position chosen by staff.
    Position,
    PriceAscending,
    PriceDescending,
    Name,
    Newest,
}

impl SortOrder {
    pub const ALL: [SortOrder; 5] = [
        SortOrder::Position,
        SortOrder::PriceAscending,
        SortOrder::PriceDescending,
        SortOrder::Name,
        SortOrder::Newest,
    ];

    /// The value of the `sort` query parameter.
    pub fn code(self) -> &'static str {
        match self {
            SortOrder::Position => "position",
            SortOrder::PriceAscending => "price-asc",
            SortOrder::PriceDescending => "price-desc",
            SortOrder::Name => "name",
            SortOrder::Newest => "newest",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        SortOrder::ALL.into_iter().find(|sort| sort.code() == code)
    }
}

/// A product and what sorting it needs, computed once.
#[derive(Debug)]
pub struct ProductEntry {
    pub product: Product,
    /// Accent-folded lower-case name per locale, for sorting by name.
    name_keys: PerLocale<Box<str>>,
}

/// A node of the category tree, with what pages need precomputed.
#[derive(Debug, Clone)]
pub struct CategoryNode {
    pub category: Category,
    pub parent: Option<CategoryIndex>,
    /// Enabled children, by position.
    pub children: Vec<CategoryIndex>,
    /// From the root down to the parent.
    pub ancestors: Vec<CategoryIndex>,
    /// The URL path per locale: the url keys from the root down, joined by `/`.
    pub paths: PerLocale<String>,
}

/// Lookup tables that change only when products' URL keys or the tree change.
#[derive(Debug, Clone, Default)]
struct Lookup {
    product_by_id: HashMap<ProductId, ProductIndex>,
    product_by_key: PerLocale<HashMap<Box<str>, ProductIndex>>,
    /// The product of each variant, by the variant's SKU.
    product_by_variant: HashMap<Sku, ProductIndex>,
    /// Products by their own SKU, which other products' links name.
    product_by_sku: HashMap<Sku, ProductIndex>,
    category_by_path: PerLocale<HashMap<String, CategoryIndex>>,
    category_by_id: HashMap<CategoryId, CategoryIndex>,
    /// Labels and positions of attribute options by (attribute, code).
    options: HashMap<(String, String), (PerLocale<String>, i32)>,
    /// Labels of the choice attributes beyond size and colour, by code.
    attribute_labels: HashMap<String, PerLocale<String>>,
}

/// The precomputed lists of products.
#[derive(Debug, Clone, Default)]
struct Listings {
    /// Per category: every product placed in it or below it, sorted, any site.
    members: Vec<Vec<ProductIndex>>,
    /// Per site, per category, per [`SortOrder`]: the products listed there.
    by_site: [Vec<[Arc<[ProductIndex]>; 5]>; 4],
    /// Per site: the candidates for the home page's featured products, best first.
    featured: [Vec<ProductIndex>; 4],
}

#[derive(Debug, Clone)]
pub struct Snapshot {
    position: ChangePosition,
    /// The position of the last change beyond stock: what listings, pages' texts and
    /// sitemaps are made of is the same for every snapshot of one such position.
    content_position: ChangePosition,
    /// The instant prices were evaluated at for sorting.
    priced_at: DateTime<Utc>,
    /// When a sale starts or ends next, so price sorts are redone then.
    next_price_change: Option<DateTime<Utc>>,
    /// `None` where a product was deleted since the snapshot was first built.
    products: Vec<Option<Arc<ProductEntry>>>,
    categories: Arc<Vec<CategoryNode>>,
    /// Enabled top-level categories, by position.
    roots: Arc<Vec<CategoryIndex>>,
    lookup: Arc<Lookup>,
    listings: Arc<Listings>,
    /// The price each reduction is announced against (the Omnibus rule).
    reference_prices: Arc<ReferencePrices>,
    /// The resized versions of product images, by the image's path.
    pictures: Arc<HashMap<String, PictureSources>>,
    /// Where their URLs point (the shop's `/static`, or a CDN).
    static_base: Arc<StaticBase>,
    /// When products last changed, from the change log.
    modified: Arc<ModificationTimes>,
    /// Content pages, blocks and the seller's identity.
    content: Arc<Contents>,
    /// Every promotion rule, by priority (the evaluation decides which run).
    promotions: Arc<Vec<Rule>>,
    /// What the rules that lower prices announce their reductions against.
    promotion_references: Arc<promotion_prices::PromotionReferences>,
}

/// An image's renditions as pages name them, formatted once when loaded rather than
/// for every card of every page.
#[derive(Debug, Clone)]
pub struct PictureSources {
    /// The 480 px JPEG, for browsers that take no `srcset`.
    pub src: String,
    pub jpeg_srcset: String,
    pub webp_srcset: String,
    /// The 240 px JPEG, for thumbnails and cart lines.
    pub thumbnail: String,
    /// The 960 px JPEG, for link previews and structured data.
    pub large: String,
}

impl PictureSources {
    fn of(rendition: &Rendition, base: &StaticBase) -> PictureSources {
        PictureSources {
            src: rendition.src(base, 480, ImageFormat::Jpeg),
            jpeg_srcset: rendition.srcset(base, ImageFormat::Jpeg),
            webp_srcset: rendition.srcset(base, ImageFormat::Webp),
            thumbnail: rendition.src(base, 240, ImageFormat::Jpeg),
            large: rendition.src(base, 960, ImageFormat::Jpeg),
        }
    }
}

fn pictures(
    renditions: impl IntoIterator<Item = (String, Rendition)>,
    base: &StaticBase,
) -> impl Iterator<Item = (String, PictureSources)> {
    renditions
        .into_iter()
        .map(move |(path, rendition)| (path, PictureSources::of(&rendition, base)))
}

/// What pages show of products beyond the products themselves, read with them.
#[derive(Debug, Default)]
pub struct ProductDisplay {
    pub reference_prices: ReferencePrices,
    pub renditions: Renditions,
    /// When the products last changed beyond their stock.
    pub modified: ModificationTimes,
}

/// Products the home page features per site.
const FEATURED_COUNT: usize = 12;
/// Candidates kept for them: stock changes do not recompute listings, so the home
/// page skips the candidates sold out since and shows the next ones.
const FEATURED_CANDIDATES: usize = 4 * FEATURED_COUNT;

impl Snapshot {
    /// Builds a snapshot of `catalogue` as of change-log `position`, pricing sorts at
    /// `now`.
    pub fn build(catalogue: Catalogue, position: ChangePosition, now: DateTime<Utc>) -> Snapshot {
        let (categories, roots, category_by_path) = build_tree(catalogue.categories);
        let mut lookup = Lookup {
            category_by_path,
            category_by_id: categories
                .iter()
                .enumerate()
                .map(|(i, node)| (node.category.id, i as CategoryIndex))
                .collect(),
            options: catalogue
                .attribute_options
                .into_iter()
                .map(|option| {
                    (
                        (option.attribute, option.code),
                        (option.labels, option.position),
                    )
                })
                .collect(),
            attribute_labels: catalogue
                .attribute_labels
                .into_iter()
                .map(|attribute| (attribute.attribute.as_str().to_owned(), attribute.labels))
                .collect(),
            ..Lookup::default()
        };
        let products: Vec<Option<Arc<ProductEntry>>> = catalogue
            .products
            .into_iter()
            .map(|p| Some(Arc::new(ProductEntry::new(p))))
            .collect();
        for (index, entry) in products.iter().enumerate() {
            let product = &entry.as_ref().expect("all present at build").product;
            lookup.index_product(product, index as ProductIndex);
        }
        let mut snapshot = Snapshot {
            position,
            content_position: position,
            priced_at: now,
            next_price_change: None,
            products,
            categories: Arc::new(categories),
            roots: Arc::new(roots),
            lookup: Arc::new(lookup),
            listings: Arc::new(Listings::default()),
            reference_prices: Arc::default(),
            pictures: Arc::default(),
            static_base: Arc::default(),
            modified: Arc::default(),
            content: Arc::default(),
            promotions: Arc::default(),
            promotion_references: Arc::default(),
        };
        let mut members = vec![Vec::new(); snapshot.categories.len()];
        for index in 0..snapshot.products.len() {
            for category in snapshot.placement_closure(index as ProductIndex) {
                members[category as usize].push(index as ProductIndex);
            }
        }
        Arc::make_mut(&mut snapshot.listings).members = members;
        snapshot.rebuild_listings(0..snapshot.categories.len() as CategoryIndex);
        snapshot
    }

    /// The snapshot with what pages show of its products beyond them, their images
    /// under `static_base`.
    pub fn with_display(mut self, display: ProductDisplay, static_base: StaticBase) -> Snapshot {
        self.reference_prices = Arc::new(display.reference_prices);
        self.pictures = Arc::new(pictures(display.renditions, &static_base).collect());
        self.static_base = Arc::new(static_base);
        self.modified = Arc::new(display.modified);
        self
    }

    /// The snapshot with `content`, as of its position: pages made of it (sitemaps)
    /// are made again.
    pub fn with_content(mut self, content: Contents) -> Snapshot {
        self.content = Arc::new(content);
        self.content_position = self.position;
        self
    }

    /// Content pages, blocks and the seller's identity.
    pub fn content(&self) -> &Contents {
        &self.content
    }

    /// The snapshot with `rules`, the promotions carts are priced with.
    pub fn with_promotions(mut self, rules: Vec<Rule>) -> Snapshot {
        self.promotions = Arc::new(rules);
        self
    }

    pub fn promotions(&self) -> &[Rule] {
        &self.promotions
    }

    /// Per product and site, the rules lowering its price with their references.
    pub fn promotion_references(&self) -> &promotion_prices::PromotionReferences {
        &self.promotion_references
    }

    /// The snapshot with the reference prices of its price-lowering rules.
    pub fn with_promotion_references(
        mut self,
        references: promotion_prices::PromotionReferences,
    ) -> Snapshot {
        self.promotion_references = Arc::new(references);
        self
    }

    /// The ids of `product`'s categories and of every category above them: what a
    /// promotion's categories match.
    pub fn category_ids_with_ancestors(&self, product: &Product) -> Vec<CategoryId> {
        let mut ids = Vec::new();
        for (id, _) in &product.categories {
            ids.push(*id);
            if let Some(index) = self.category_by_id(*id) {
                ids.extend(
                    self.category(index)
                        .ancestors
                        .iter()
                        .map(|a| self.category(*a).category.id),
                );
            }
        }
        ids.sort_unstable_by_key(|id| id.0);
        ids.dedup();
        ids
    }

    /// When `product` last changed beyond its stock, as the change log says, else
    /// when it was created.
    pub fn modified_at(&self, product: &Product) -> DateTime<Utc> {
        self.modified.of(product.id).unwrap_or(product.created_at)
    }

    /// The position of the last change beyond stock.
    pub fn content_position(&self) -> ChangePosition {
        self.content_position
    }

    /// Where URLs of static files and images point.
    pub fn static_base(&self) -> &StaticBase {
        &self.static_base
    }

    /// The resized versions of the image at `path`, once made.
    pub fn picture(&self, path: &str) -> Option<&PictureSources> {
        self.pictures.get(path)
    }

    /// What a shopper is told of `product`'s price on `site` at `now`; `None` where it
    /// is not sold.
    pub fn price_tag(
        &self,
        product: &Product,
        site: SiteCode,
        now: DateTime<Utc>,
    ) -> Option<PriceTag> {
        let offer = product.site(site)?;
        let reference = self.reference_prices.get(&(product.id, site)).copied();
        let tag = PriceTag::of(offer, reference, now);
        // A rule lowering this product's price now, the first by priority, lowers it
        // on the page too, against the lowest price before it began. Only products
        // such rules name look further.
        let lowered = self
            .promotion_references
            .get(&(product.id, site))
            .and_then(|candidates| {
                let local = TimeZone::of_site(site).local(now).naive_local();
                candidates.iter().find_map(|(rule_id, reference)| {
                    let rule = self.promotions.iter().find(|rule| rule.id == *rule_id)?;
                    rule.runs(site, local).then_some((rule, *reference))
                })
            });
        Some(match lowered {
            Some((rule, reference)) => {
                let price = rule.reduced(tag.price);
                PriceTag {
                    price,
                    was: Some(reference).filter(|was| *was > price),
                }
            }
            None => tag,
        })
    }

    pub fn position(&self) -> ChangePosition {
        self.position
    }

    /// Every product, in index order.
    pub fn products(&self) -> impl Iterator<Item = &Product> {
        self.products.iter().flatten().map(|entry| &entry.product)
    }

    pub fn product_count(&self) -> usize {
        self.products.iter().flatten().count()
    }

    pub fn product(&self, index: ProductIndex) -> Option<&Product> {
        self.products
            .get(index as usize)?
            .as_ref()
            .map(|entry| &entry.product)
    }

    pub fn category(&self, index: CategoryIndex) -> &CategoryNode {
        &self.categories[index as usize]
    }

    pub fn roots(&self) -> &[CategoryIndex] {
        &self.roots
    }

    pub fn product_by_id(&self, id: ProductId) -> Option<ProductIndex> {
        self.lookup.product_by_id.get(&id).copied()
    }

    pub fn category_count(&self) -> usize {
        self.categories.len()
    }

    pub fn product_by_key(&self, locale: Locale, key: &str) -> Option<ProductIndex> {
        self.lookup.product_by_key[locale].get(key).copied()
    }

    /// A variant and its product, by the variant's SKU.
    pub fn variant(&self, sku: &Sku) -> Option<(&Product, &Variant)> {
        let index = *self.lookup.product_by_variant.get(sku)?;
        let product = self.product(index)?;
        let variant = product.variants.iter().find(|v| &v.sku == sku)?;
        Some((product, variant))
    }

    /// A product by its own SKU (a link's target); a simple product's SKU is also
    /// its variant's.
    pub fn product_by_sku(&self, sku: &Sku) -> Option<&Product> {
        let index = self.lookup.product_by_sku.get(sku)?;
        self.product(*index)
    }

    /// A product by a non-canonical form of its URL key, for redirects: its key in
    /// any locale, in any letter case (keys are stored lower-case).
    pub fn product_by_foreign_key(&self, key: &str) -> Option<ProductIndex> {
        let key = key.to_ascii_lowercase();
        Locale::ALL
            .into_iter()
            .find_map(|locale| self.product_by_key(locale, &key))
    }

    pub fn category_by_path(&self, locale: Locale, path: &str) -> Option<CategoryIndex> {
        self.lookup.category_by_path[locale].get(path).copied()
    }

    /// A category by a non-canonical form of its path, for redirects: its path in any
    /// locale, in any letter case.
    pub fn category_by_foreign_path(&self, path: &str) -> Option<CategoryIndex> {
        let path = path.to_ascii_lowercase();
        Locale::ALL
            .into_iter()
            .find_map(|locale| self.category_by_path(locale, &path))
    }

    /// The label of an attribute option (`size`, `M`) in `locale`, or its code.
    pub fn option_label<'a>(&'a self, attribute: &str, code: &'a str, locale: Locale) -> &'a str {
        self.lookup
            .options
            .get(&(attribute.to_owned(), code.to_owned()))
            .map_or(code, |(labels, _)| labels[locale].as_str())
    }

    /// The label of a choice attribute beyond size and colour (`formato`), as
    /// staff named it, else its code as words.
    pub fn attribute_label(&self, attribute: &ChoiceAttribute, locale: Locale) -> String {
        self.lookup
            .attribute_labels
            .get(attribute.as_str())
            .map_or_else(
                || attribute.default_label(),
                |labels| labels[locale].clone(),
            )
    }

    /// Whether `code` is an option of `attribute` (`size`, `M`).
    pub fn has_option(&self, attribute: &str, code: &str) -> bool {
        self.lookup
            .options
            .contains_key(&(attribute.to_owned(), code.to_owned()))
    }

    /// Where an attribute option comes in its list (sizes small to large).
    pub fn option_position(&self, attribute: &str, code: &str) -> i32 {
        self.lookup
            .options
            .get(&(attribute.to_owned(), code.to_owned()))
            .map_or(i32::MAX, |(_, position)| *position)
    }

    /// The products listed in `category` on `site`, in `sort` order.
    pub fn listing(
        &self,
        site: SiteCode,
        category: CategoryIndex,
        sort: SortOrder,
    ) -> &[ProductIndex] {
        &self.listings.by_site[site.index()][category as usize][sort as usize]
    }

    /// The home page's featured products: the first candidates still in stock.
    pub fn featured(&self, site: SiteCode) -> impl Iterator<Item = &Product> {
        self.listings.featured[site.index()]
            .iter()
            .filter_map(|&index| self.product(index))
            .filter(|product| product.stock_state() != StockState::OutOfStock)
            .take(FEATURED_COUNT)
    }

    /// Whether sale prices have started or ended since sorts were computed.
    pub fn prices_are_stale(&self, now: DateTime<Utc>) -> bool {
        self.next_price_change.is_some_and(|change| change <= now)
    }

    /// The same catalogue with every listing re-sorted at `now`'s prices.
    pub fn repriced(&self, now: DateTime<Utc>) -> Snapshot {
        let mut next = self.clone();
        next.priced_at = now;
        next.rebuild_listings(0..next.categories.len() as CategoryIndex);
        next
    }

    /// Applies changed products (`changed` lists every id that changed; `loaded` holds
    /// those that still exist, as they are now, and `display` what pages show of
    /// them). Listings are redone only for the categories concerned, and not at all
    /// when only stock changed (which changes nothing of `display`).
    pub fn apply(
        &self,
        changed: &BTreeSet<ProductId>,
        loaded: Vec<Product>,
        display: ProductDisplay,
        position: ChangePosition,
        listings_changed: bool,
    ) -> Snapshot {
        let mut next = self.clone();
        next.position = position;
        if listings_changed {
            next.content_position = position;
            if !display.modified.products.is_empty() {
                Arc::make_mut(&mut next.modified)
                    .products
                    .extend(display.modified.products);
            }
            // Both maps are shared with the previous snapshot: copied only when one
            // of their entries really changes, not for every product edit.
            let stale: Vec<(ProductId, SiteCode)> = changed
                .iter()
                .flat_map(|id| SiteCode::ALL.map(|site| (*id, site)))
                .filter(|key| next.reference_prices.get(key) != display.reference_prices.get(key))
                .collect();
            if !stale.is_empty() {
                let prices = Arc::make_mut(&mut next.reference_prices);
                for key in stale {
                    match display.reference_prices.get(&key) {
                        Some(price) => prices.insert(key, *price),
                        None => prices.remove(&key),
                    };
                }
            }
            // Renditions are named by content: one, once made, stays right.
            let new: Vec<(String, Rendition)> = display
                .renditions
                .into_iter()
                .filter(|(path, _)| !next.pictures.contains_key(path))
                .collect();
            if !new.is_empty() {
                let made = pictures(new, &next.static_base).collect::<Vec<_>>();
                Arc::make_mut(&mut next.pictures).extend(made);
            }
        }
        let mut loaded: HashMap<ProductId, Product> =
            loaded.into_iter().map(|p| (p.id, p)).collect();
        let mut touched_categories = BTreeSet::new();
        for id in changed {
            let existing = next.lookup.product_by_id.get(id).copied();
            let product = loaded.remove(id);
            // The lookup tables are shared with the previous snapshot: they are copied
            // only when a URL key or a SKU changes, not for every order's stock move.
            let mut keys_changed = true;
            let index = match existing {
                Some(index) => {
                    touched_categories.extend(next.placement_closure(index));
                    if let Some(old) = next.products[index as usize].take() {
                        keys_changed = !product
                            .as_ref()
                            .is_some_and(|new| same_keys(&old.product, new));
                        if keys_changed {
                            Arc::make_mut(&mut next.lookup).unindex_product(&old.product);
                        }
                    }
                    index
                }
                None => {
                    next.products.push(None);
                    (next.products.len() - 1) as ProductIndex
                }
            };
            if let Some(product) = product {
                if keys_changed {
                    Arc::make_mut(&mut next.lookup).index_product(&product, index);
                }
                next.products[index as usize] = Some(Arc::new(ProductEntry::new(product)));
                touched_categories.extend(next.placement_closure(index));
            }
            if listings_changed || existing.is_none() {
                let closure: BTreeSet<CategoryIndex> =
                    next.placement_closure(index).into_iter().collect();
                let listings = Arc::make_mut(&mut next.listings);
                for (category, members) in listings.members.iter_mut().enumerate() {
                    let belongs = closure.contains(&(category as CategoryIndex));
                    match (members.binary_search(&index), belongs) {
                        (Ok(at), false) => {
                            members.remove(at);
                        }
                        (Err(at), true) => members.insert(at, index),
                        _ => {}
                    }
                }
            }
        }
        if listings_changed {
            next.rebuild_listings(touched_categories.into_iter());
        }
        next
    }

    /// The categories a product appears in: its placements and their ancestors.
    fn placement_closure(&self, index: ProductIndex) -> Vec<CategoryIndex> {
        let Some(product) = self.product(index) else {
            return Vec::new();
        };
        let mut closure = BTreeSet::new();
        for (category, _) in &product.categories {
            if let Some(node) = self.category_by_id(*category) {
                closure.insert(node);
                closure.extend(self.categories[node as usize].ancestors.iter().copied());
            }
        }
        closure.into_iter().collect()
    }

    pub fn category_by_id(&self, id: CategoryId) -> Option<CategoryIndex> {
        self.lookup.category_by_id.get(&id).copied()
    }

    /// Recomputes the listings of `categories` (all sites and sorts), the featured
    /// products and the next price change.
    fn rebuild_listings(&mut self, categories: impl Iterator<Item = CategoryIndex>) {
        let now = self.priced_at;
        let category_count = self.categories.len();
        let mut listings = std::mem::take(Arc::make_mut(&mut self.listings));
        for site_lists in &mut listings.by_site {
            site_lists.resize_with(category_count, || [0; 5].map(|_| Arc::from(Vec::new())));
        }
        for category in categories {
            for site in SiteCode::ALL {
                let mut listed: Vec<ProductIndex> = listings.members[category as usize]
                    .iter()
                    .copied()
                    .filter(|&i| self.product(i).is_some_and(|p| p.listed_on(site).is_some()))
                    .collect();
                let lists = SortOrder::ALL.map(|sort| {
                    self.sort(&mut listed, site, category, sort, now);
                    Arc::from(listed.as_slice())
                });
                listings.by_site[site.index()][category as usize] = lists;
            }
        }
        for site in SiteCode::ALL {
            let mut candidates: Vec<(i32, std::cmp::Reverse<DateTime<Utc>>, ProductIndex)> = self
                .products
                .iter()
                .enumerate()
                .filter_map(|(i, entry)| {
                    let product = &entry.as_ref()?.product;
                    product.listed_on(site)?;
                    let best = product
                        .categories
                        .iter()
                        .map(|(_, position)| *position)
                        .min()?;
                    Some((
                        best,
                        std::cmp::Reverse(product.created_at),
                        i as ProductIndex,
                    ))
                })
                .collect();
            candidates.sort_unstable();
            listings.featured[site.index()] = candidates
                .into_iter()
                .take(FEATURED_CANDIDATES)
                .map(|(_, _, i)| i)
                .collect();
        }
        *Arc::make_mut(&mut self.listings) = listings;
        self.next_price_change = self
            .products
            .iter()
            .flatten()
            .flat_map(|entry| entry.product.sites.iter().flatten())
            .filter_map(|offer| offer.next_change_after(now))
            .min();
    }

    fn sort(
        &self,
        list: &mut [ProductIndex],
        site: SiteCode,
        category: CategoryIndex,
        sort: SortOrder,
        now: DateTime<Utc>,
    ) {
        let entry = |i: &ProductIndex| {
            self.products[*i as usize]
                .as_deref()
                .expect("listed products exist")
        };
        let price = |i: &ProductIndex| {
            entry(i)
                .product
                .site(site)
                .map_or(0, |offer| offer.effective(now).cents())
        };
        let newest = |i: &ProductIndex| std::cmp::Reverse(entry(i).product.created_at);
        match sort {
            SortOrder::Position => {
                list.sort_by_cached_key(|i| (self.position_in(*i, category), newest(i), *i));
            }
            SortOrder::PriceAscending => list.sort_by_cached_key(|i| (price(i), *i)),
            SortOrder::PriceDescending => {
                list.sort_by_cached_key(|i| (std::cmp::Reverse(price(i)), *i));
            }
            SortOrder::Name => list.sort_by(|a, b| {
                let locale = site.locale();
                entry(a).name_keys[locale]
                    .cmp(&entry(b).name_keys[locale])
                    .then(a.cmp(b))
            }),
            SortOrder::Newest => list.sort_by_cached_key(|i| (newest(i), *i)),
        }
    }

    /// A product's merchandising position in `category`: the best of its placements
    /// in the category or below it.
    fn position_in(&self, index: ProductIndex, category: CategoryIndex) -> i32 {
        let Some(product) = self.product(index) else {
            return i32::MAX;
        };
        product
            .categories
            .iter()
            .filter_map(|(id, position)| {
                let node = self.category_by_id(*id)?;
                let inside = node == category
                    || self.categories[node as usize].ancestors.contains(&category);
                inside.then_some(*position)
            })
            .min()
            .unwrap_or(i32::MAX)
    }
}

impl ProductEntry {
    fn new(product: Product) -> Self {
        let name_keys =
            PerLocale::from_fn(|locale| slugify(&product.names[locale]).into_boxed_str());
        ProductEntry { product, name_keys }
    }
}

impl Lookup {
    fn index_product(&mut self, product: &Product, index: ProductIndex) {
        self.product_by_id.insert(product.id, index);
        self.product_by_sku.insert(product.sku.clone(), index);
        for (locale, key) in product.url_keys.iter() {
            self.product_by_key[locale].insert(key.as_str().into(), index);
        }
        for variant in &product.variants {
            self.product_by_variant.insert(variant.sku.clone(), index);
        }
    }

    fn unindex_product(&mut self, product: &Product) {
        self.product_by_sku.remove(&product.sku);
        for (locale, key) in product.url_keys.iter() {
            self.product_by_key[locale].remove(key.as_str());
        }
        for variant in &product.variants {
            self.product_by_variant.remove(&variant.sku);
        }
    }
}

/// Whether two versions of a product have the same entries in the lookup tables:
/// SKU, URL keys and variant SKUs.
fn same_keys(old: &Product, new: &Product) -> bool {
    old.sku == new.sku
        && old.url_keys == new.url_keys
        && old.variants.len() == new.variants.len()
        && old
            .variants
            .iter()
            .zip(&new.variants)
            .all(|(a, b)| a.sku == b.sku)
}

type CategoryPaths = PerLocale<HashMap<String, CategoryIndex>>;

/// Orders the categories into a tree (parents first), with paths and children.
fn build_tree(
    mut categories: Vec<Category>,
) -> (Vec<CategoryNode>, Vec<CategoryIndex>, CategoryPaths) {
    categories.sort_by_key(|c| c.id);
    let index: HashMap<CategoryId, CategoryIndex> = categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i as CategoryIndex))
        .collect();
    let mut nodes: Vec<CategoryNode> = categories
        .into_iter()
        .map(|category| CategoryNode {
            parent: category.parent.and_then(|p| index.get(&p).copied()),
            category,
            children: Vec::new(),
            ancestors: Vec::new(),
            paths: PerLocale::default(),
        })
        .collect();
    for i in 0..nodes.len() {
        let mut ancestors = Vec::new();
        let mut cursor = nodes[i].parent;
        while let Some(parent) = cursor {
            if ancestors.contains(&parent) || parent as usize == i {
                break; // a cycle in bad data: stop rather than loop
            }
            ancestors.push(parent);
            cursor = nodes[parent as usize].parent;
        }
        ancestors.reverse();
        let enabled = nodes[i].category.enabled
            && ancestors
                .iter()
                .all(|a| nodes[*a as usize].category.enabled);
        nodes[i].category.enabled = enabled;
        nodes[i].paths = PerLocale::from_fn(|locale| {
            let mut path: Vec<&str> = ancestors
                .iter()
                .map(|a| nodes[*a as usize].category.url_keys[locale].as_str())
                .collect();
            path.push(nodes[i].category.url_keys[locale].as_str());
            path.join("/")
        });
        nodes[i].ancestors = ancestors;
    }
    let mut roots = Vec::new();
    for i in 0..nodes.len() {
        if !nodes[i].category.enabled {
            continue;
        }
        match nodes[i].parent {
            Some(parent) => nodes[parent as usize].children.push(i as CategoryIndex),
            None => roots.push(i as CategoryIndex),
        }
    }
    let position =
        |nodes: &[CategoryNode], i: &CategoryIndex| (nodes[*i as usize].category.position, *i);
    roots.sort_by_key(|i| position(&nodes, i));
    for i in 0..nodes.len() {
        let mut children = std::mem::take(&mut nodes[i].children);
        children.sort_by_key(|c| position(&nodes, c));
        nodes[i].children = children;
    }
    let mut paths = PerLocale::<HashMap<String, CategoryIndex>>::default();
    for (i, node) in nodes
        .iter()
        .enumerate()
        .filter(|(_, node)| node.category.enabled)
    {
        for (locale, path) in node.paths.iter() {
            paths[locale].insert(path.clone(), i as CategoryIndex);
        }
    }
    (nodes, roots, paths)
}

#[cfg(test)]
mod tests;
