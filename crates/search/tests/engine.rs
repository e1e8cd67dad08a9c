//! The search engine's behaviour beyond relevance: facets, filters, sorting, bad input,
//! incremental updates, persistence.

use std::collections::BTreeSet;

use chrono::Utc;
use comptoir_domain::{Catalogue, Locale, Money, SiteCode};
use comptoir_search::{Filters, PriceRange, SearchEngine, SearchRequest, SearchSort};

fn engine(catalogue: &Catalogue) -> SearchEngine {
    let engine = SearchEngine::open(None).unwrap();
    engine
        .rebuild(catalogue, 7, Utc::now(), &|_, _| {})
        .unwrap();
    engine
}

fn query(text: &str) -> SearchRequest {
    SearchRequest {
        query: text.to_owned(),
        ..SearchRequest::default()
    }
}

fn count<T: PartialEq>(counts: &[comptoir_search::FacetCount<T>], value: &T) -> u64 {
    counts
        .iter()
        .find(|c| &c.value == value)
        .map_or(0, |c| c.count)
}

#[test]
fn facet_counts_apply_every_other_filter() {
    let catalogue = comptoir_demo::generate(1_500);
    let engine = engine(&catalogue);
    let all = engine.search(SiteCode::Es, &query("disfraz")).unwrap();
    assert!(all.total > 100);

    // One size selected: the selected size counts its products, and every other one
    // what selecting it too would show (sizes OR together): a count is what its
    // link shows.
    let mut request = query("disfraz");
    request.filters.sizes = vec!["M".to_owned()];
    let size_m = engine.search(SiteCode::Es, &request).unwrap();
    assert_eq!(size_m.total, count(&all.facets.sizes, &"M".to_owned()));
    assert_eq!(size_m.facets.sizes.len(), all.facets.sizes.len());
    for size in &size_m.facets.sizes {
        let shown = if size.value == "M" {
            size_m.total
        } else {
            let mut with_it = request.clone();
            with_it.filters.sizes.push(size.value.clone());
            engine.search(SiteCode::Es, &with_it).unwrap().total
        };
        assert_eq!(size.count, shown, "size {}", size.value);
    }

    request.filters.sizes.push("5-6".to_owned());
    let m_or_kids = engine.search(SiteCode::Es, &request).unwrap();
    assert_eq!(
        m_or_kids.total,
        count(&all.facets.sizes, &"M".to_owned()) + count(&all.facets.sizes, &"5-6".to_owned()),
        "no costume comes in both an adult and a kids' size"
    );
    assert!(m_or_kids.total > size_m.total);

    // AND across facets: size and price band and in stock.
    request.filters.prices = vec![PriceRange::From20To30];
    request.filters.in_stock = true;
    let narrowed = engine.search(SiteCode::Es, &request).unwrap();
    assert!(narrowed.total < m_or_kids.total);
    assert_eq!(
        narrowed.total,
        count(&narrowed.facets.prices, &PriceRange::From20To30)
    );
    let in_band_any_size = {
        let mut r = request.clone();
        r.filters.sizes.clear();
        engine.search(SiteCode::Es, &r).unwrap().total
    };
    assert!(in_band_any_size >= narrowed.total);
}

#[test]
fn a_category_filter_includes_its_children() {
    let catalogue = comptoir_demo::generate(1_000);
    let engine = engine(&catalogue);
    let halloween = catalogue
        .categories
        .iter()
        .find(|c| c.names[Locale::Es] == "Halloween")
        .unwrap();
    let mut request = query("");
    request.filters.categories = vec![halloween.id.0];
    request.all_matches = true;
    let results = engine.search(SiteCode::Fr, &request).unwrap();
    assert!(results.total > 50);
    assert_eq!(results.products.len() as u64, results.total);
    assert!(
        results
            .facets
            .categories
            .iter()
            .any(|c| c.value == halloween.id.0 && c.count == results.total)
    );
}

#[test]
fn sorts_and_pages() {
    let catalogue = comptoir_demo::generate(1_000);
    let engine = engine(&catalogue);
    let price = |id: i64| {
        catalogue.products[id as usize - 1]
            .site(SiteCode::It)
            .unwrap()
            .effective(Utc::now())
            .cents()
    };
    let mut request = query("costume");
    request.sort = SearchSort::PriceAscending;
    let page_one = engine.search(SiteCode::It, &request).unwrap();
    let prices: Vec<i64> = page_one.products.iter().map(|id| price(*id)).collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
    request.page = 2;
    let page_two = engine.search(SiteCode::It, &request).unwrap();
    assert!(price(page_two.products[0]) >= *prices.last().unwrap());
    request.page = 10_000;
    let past_the_end = engine.search(SiteCode::It, &request).unwrap();
    assert!(past_the_end.products.is_empty());
    assert_eq!(past_the_end.total, page_one.total);
    request.sort = SearchSort::BestSellers;
    request.page = 1;
    let best = engine.search(SiteCode::It, &request).unwrap();
    let popularity: Vec<i32> = best
        .products
        .iter()
        .map(|id| catalogue.products[*id as usize - 1].popularity)
        .collect();
    assert!(popularity.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn bad_input_is_a_normal_search() {
    let catalogue = comptoir_demo::generate(300);
    let engine = engine(&catalogue);
    for text in [
        "x".repeat(5_000),
        "bruja ".repeat(400),
        "\"bruja:(disfraz* AND -pirata)~2^3".to_owned(),
        "\u{0}\u{1b}[31mbruja\u{7}".to_owned(),
        "*".to_owned(),
        "\u{fffd}\u{fffd}".to_owned(),
    ] {
        engine.search(SiteCode::Es, &query(&text)).unwrap();
    }
    let syntax = engine
        .search(SiteCode::Es, &query("\"bruja:(disfraz*"))
        .unwrap();
    assert!(syntax.total > 0, "syntax characters are separators");
    let mut unknown = query("disfraz");
    unknown.filters = Filters {
        sizes: vec!["XXXL-NOPE".to_owned()],
        colours: vec!["no-colour".to_owned()],
        categories: vec![999_999],
        ..Filters::default()
    };
    let ignored = engine.search(SiteCode::Es, &unknown).unwrap();
    assert_eq!(
        ignored.total,
        engine
            .search(SiteCode::Es, &query("disfraz"))
            .unwrap()
            .total
    );
}

#[test]
fn nothing_found_suggests_the_indexs_own_words() {
    let catalogue = comptoir_demo::generate(300);
    let engine = engine(&catalogue);
    let results = engine
        .search(SiteCode::Es, &query("esqueletoxx vampirrrro"))
        .unwrap();
    assert_eq!(results.total, 0);
    assert_eq!(results.did_you_mean.as_deref(), Some("esqueleto vampiro"));
}

#[test]
fn changes_are_searchable_after_apply_and_the_position_persists() {
    let folder = tempfile::tempdir().unwrap();
    let mut catalogue = comptoir_demo::generate(300);
    {
        let engine = SearchEngine::open(Some(folder.path())).unwrap();
        assert_eq!(engine.position(), None);
        engine
            .rebuild(&catalogue, 7, Utc::now(), &|_, _| {})
            .unwrap();
        assert_eq!(engine.position(), Some(7));

        let wig = catalogue
            .products
            .iter_mut()
            .find(|p| p.sku.as_str() == "PEL-AFRO-MULTI")
            .unwrap();
        wig.names[Locale::Es] = "Peluca arcoíris gigante".to_owned();
        wig.sites[SiteCode::Es.index()].as_mut().unwrap().price = Money::eur(199);
        let changed = BTreeSet::from([wig.id]);
        engine
            .apply(&changed, std::slice::from_ref(wig), 8, Utc::now())
            .unwrap();
        let found = engine.search(SiteCode::Es, &query("arcoiris")).unwrap();
        assert_eq!(found.products, [wig.id.0]);
        let mut cheap = query("peluca");
        cheap.filters.prices = vec![PriceRange::Under10];
        assert!(
            engine
                .search(SiteCode::Es, &cheap)
                .unwrap()
                .products
                .contains(&wig.id.0)
        );

        // Deleted: gone from every site.
        engine.apply(&changed, &[], 9, Utc::now()).unwrap();
        assert!(
            engine
                .search(SiteCode::Fr, &query("perruque afro"))
                .unwrap()
                .products
                .iter()
                .all(|id| *id != wig.id.0)
        );
    }
    let reopened = SearchEngine::open(Some(folder.path())).unwrap();
    assert_eq!(reopened.position(), Some(9));
    assert!(
        !reopened.is_ready(),
        "the catalogue's structure is needed before searching"
    );
    reopened.set_context(comptoir_search::CatalogueContext::of(&catalogue));
    assert!(
        reopened
            .search(SiteCode::Es, &query("bruja"))
            .unwrap()
            .total
            > 0
    );
}

/// A product listed in its categories but not found by searching is in the index (for
/// category filters), yet neither a search nor a "did you mean" leads to it.
#[test]
fn products_not_found_by_searching_are_neither_found_nor_suggested() {
    let mut catalogue = comptoir_demo::generate(200);
    let product = &mut catalogue.products[0];
    product.names[Locale::Es] = "Capa zarzamorada".to_owned();
    let offer = product.sites[SiteCode::Es.index()]
        .as_mut()
        .expect("sold in Spain");
    offer.visibility = comptoir_domain::Visibility::Catalogue;
    let engine = engine(&catalogue);
    let exact = engine.search(SiteCode::Es, &query("zarzamorada")).unwrap();
    assert_eq!(exact.total, 0, "not found by searching");
    let misspelt = engine.search(SiteCode::Es, &query("zarzamorado")).unwrap();
    assert_eq!(misspelt.total, 0);
    assert_eq!(misspelt.did_you_mean, None, "nor suggested");

    catalogue.products[0].sites[SiteCode::Es.index()]
        .as_mut()
        .unwrap()
        .visibility = comptoir_domain::Visibility::CatalogueAndSearch;
    let engine = self::engine(&catalogue);
    let exact = engine.search(SiteCode::Es, &query("zarzamorada")).unwrap();
    assert_eq!(exact.total, 1, "found once searching shows it");
}

#[test]
fn each_page_is_its_slice_of_the_whole_order() {
    let catalogue = comptoir_demo::generate(1_000);
    let engine = engine(&catalogue);
    let now = Utc::now();
    let product = |id: i64| &catalogue.products[id as usize - 1];
    let price = |id: i64| {
        product(id)
            .site(SiteCode::Es)
            .unwrap()
            .effective(now)
            .cents()
    };
    let mut every = query("disfraz");
    every.all_matches = true;
    let all: Vec<i64> = engine.search(SiteCode::Es, &every).unwrap().products;
    assert!(all.len() > 100);
    for sort in [
        SearchSort::PriceAscending,
        SearchSort::PriceDescending,
        SearchSort::BestSellers,
    ] {
        // Ties (many products share a price) go by id, so pages never overlap.
        let mut expected = all.clone();
        expected.sort_by_key(|&id| match sort {
            SearchSort::PriceAscending => (price(id), id),
            SearchSort::PriceDescending => (-price(id), id),
            _ => (-i64::from(product(id).popularity), id),
        });
        for page in 1..=3 {
            let mut request = query("disfraz");
            request.sort = sort;
            request.page = page;
            request.per_page = 24;
            let found = engine.search(SiteCode::Es, &request).unwrap();
            let start = (page as usize - 1) * 24;
            assert_eq!(
                found.products,
                expected[start..start + 24],
                "{sort:?} page {page}"
            );
            assert_eq!(found.total, all.len() as u64);
        }
    }
}

#[test]
fn suggestions_leave_the_facets_uncounted_and_find_the_same_products() {
    let catalogue = comptoir_demo::generate(1_000);
    let engine = engine(&catalogue);
    // Broad prefixes, whole words, a typo, nothing; the first pages and a later one.
    for typed in ["bru", "di", "pe", "disfraz", "peluka", "zzzz"] {
        for page in [1, 3] {
            let mut counted = query(typed);
            (counted.per_page, counted.page) = (6, page);
            let mut request = counted.clone();
            request.products_only = true;
            let counted = engine.search(SiteCode::Es, &counted).unwrap();
            let uncounted = engine.search(SiteCode::Es, &request).unwrap();
            assert_eq!(uncounted.products, counted.products, "{typed} page {page}");
            assert_eq!(uncounted.total > 0, counted.total > 0, "{typed}");
            assert!(uncounted.total <= counted.total, "{typed}");
            assert!(uncounted.facets.sizes.is_empty() && uncounted.facets.categories.is_empty());
        }
    }
    assert!(
        !engine
            .search(SiteCode::Es, &query("bru"))
            .unwrap()
            .facets
            .sizes
            .is_empty()
    );
}

#[test]
fn a_small_catalogue_counts_every_facet_under_filters() {
    // Twenty products: fewer kinds of product than category values, in one segment.
    let catalogue = comptoir_demo::generate(20);
    let engine = engine(&catalogue);
    let all = engine.search(SiteCode::Es, &query("disfraz")).unwrap();
    let category = all.facets.categories[0].value;
    let mut request = query("disfraz");
    request.filters.categories = vec![category];
    request.filters.in_stock = true;
    let filtered = engine.search(SiteCode::Es, &request).unwrap();
    assert!(filtered.total > 0);
    for other in &filtered.facets.categories {
        let mut with_it = request.clone();
        with_it.filters.categories.push(other.value);
        let shown = engine.search(SiteCode::Es, &with_it).unwrap().total;
        assert_eq!(other.count, shown, "category {}", other.value);
    }
}

#[test]
fn every_count_under_price_size_and_stock_filters_is_what_selecting_it_shows() {
    let catalogue = comptoir_demo::generate(1_000);
    let engine = engine(&catalogue);
    let mut request = query("disfraz");
    request.filters.prices = vec![PriceRange::From20To30];
    request.filters.sizes = vec!["M".to_owned()];
    request.filters.in_stock = true;
    let filtered = engine.search(SiteCode::Es, &request).unwrap();
    assert!(filtered.total > 0);
    let shown = |change: &dyn Fn(&mut Filters)| {
        let mut with_it = request.clone();
        change(&mut with_it.filters);
        engine.search(SiteCode::Es, &with_it).unwrap().total
    };
    let facets = &filtered.facets;
    // A value of a facet with a selection joins it (OR); of another facet, it is
    // required too (AND).
    for price in &facets.prices {
        let count = shown(&|f| f.prices.push(price.value));
        assert_eq!(price.count, count, "price {:?}", price.value);
    }
    for size in &facets.sizes {
        let count = shown(&|f| f.sizes.push(size.value.clone()));
        assert_eq!(size.count, count, "size {}", size.value);
    }
    for theme in &facets.themes {
        let count = shown(&|f| f.themes = vec![theme.value.clone()]);
        assert_eq!(theme.count, count, "theme {}", theme.value);
    }
    for category in &facets.categories {
        let count = shown(&|f| f.categories = vec![category.value]);
        assert_eq!(category.count, count, "category {}", category.value);
    }
    assert!(
        facets.prices.len() > 1 && facets.sizes.len() > 1 && facets.themes.len() > 1,
        "{facets:?}"
    );
}
