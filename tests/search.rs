//! Search end to end: the search page, layered navigation on search and category
//! pages, autocomplete, bad input, and the `search` service with two replicas.

use std::sync::Arc;
use std::time::Duration;

use comptoir_domain::{Money, SiteCode, Sku};
use comptoir_e2e::{TestStore, on_both_backends, spawn_app, spawn_app_with_search};
use comptoir_search::SearchEngine;
use comptoir_storefront::SearchSettings;

on_both_backends! {
    each_site_finds_misspelt_and_accented_words,
    facets_narrow_search_results,
    category_pages_filter_with_facets,
    every_facet_count_is_what_its_link_shows,
    odd_queries_get_normal_pages,
    nothing_found_offers_a_way_on,
    autocomplete_suggests_products_and_categories,
    price_changes_reach_search,
    search_service_replicas_follow_the_catalogue,
    an_unreachable_search_service_is_a_clear_message,
}

async fn each_site_finds_misspelt_and_accented_words(db: TestStore) {
    let app = spawn_app(db).await;
    app.search_ready().await;
    for (path, heading, found) in [
        (
            "/es/buscar?q=disfras+de+bruja",
            "Resultados para",
            "Disfraz de bruja para mujer",
        ),
        (
            "/fr/recherche?q=SORCI%C3%88RES",
            "Résultats pour",
            "Déguisement de sorcière pour femme",
        ),
        (
            "/fr/recherche?q=sorciere",
            "Résultats pour",
            "Déguisement de sorcière pour femme",
        ),
        (
            "/pt/pesquisa?q=bruxa",
            "Resultados para",
            "Fantasia de bruxa para mulher",
        ),
        (
            "/it/cerca?q=strega",
            "Risultati per",
            "Costume da strega da donna",
        ),
        (
            "/es/buscar?q=peluka+afro",
            "Resultados para",
            "Peluca afro multicolor",
        ),
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(page.body.contains(heading), "{path}");
        assert!(page.body.contains(found), "{path}: {found}");
    }
    // Another language's search path: this site's own, query kept.
    let moved = app.get("/it/buscar?q=strega").await;
    assert_eq!(moved.status, 301);
    assert_eq!(moved.location(), app.url("/it/cerca?q=strega"));
}

/// The number in "(N)" after a facet link's label.
fn facet_count(body: &str, label: &str) -> Option<u64> {
    let at = body.find(&format!("{label} <span class=\"count\">("))?;
    let rest = &body[at..];
    let open = rest.find('(')? + 1;
    rest[open..].split(')').next()?.parse().ok()
}

/// The number of products in the page's heading.
fn total(body: &str) -> u64 {
    let at = body
        .find("<small class=\"count\">")
        .expect("a count in the heading")
        + 21;
    let digits: String = body[at..]
        .split(' ')
        .next()
        .unwrap()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap()
}

async fn facets_narrow_search_results(db: TestStore) {
    let app = spawn_app(db).await;
    app.search_ready().await;
    let all = app.get("/es/buscar?q=disfraz").await;
    let everything = total(&all.body);
    let m_count = facet_count(&all.body, "M").expect("a size M facet");
    assert!(m_count < everything);

    let size_m = app.get("/es/buscar?q=disfraz&size=M").await;
    assert_eq!(size_m.status, 200);
    assert_eq!(
        total(&size_m.body),
        m_count,
        "the facet said how many the filter leaves"
    );
    assert!(size_m.body.contains("class=\"active\""));
    // Counts of the size facet itself ignore the size filter (multi-select).
    assert_eq!(facet_count(&size_m.body, "M"), Some(m_count));
    let both = app
        .get("/es/buscar?q=disfraz&size=M&stock=1&price=20-30")
        .await;
    assert!(total(&both.body) <= m_count);
    // A value the shop has not names no listing.
    let unknown = app
        .get("/es/buscar?q=disfraz&size=M&colour=no-such-colour")
        .await;
    assert_eq!(unknown.status, 404);
}

async fn category_pages_filter_with_facets(db: TestStore) {
    let app = spawn_app(db).await;
    app.search_ready().await;
    let page = app.get("/es/c/halloween").await;
    let all = total(&page.body);
    let women = app
        .eventually("/es/c/halloween", Duration::from_secs(10), |body| {
            facet_count(body, "Mujer").is_some()
        })
        .await;
    assert!(women, "the children of the category are facets");
    let women_count = facet_count(&app.get("/es/c/halloween").await.body, "Mujer").unwrap();
    let category = app
        .get(&format!(
            "/es/c/halloween?cat={}",
            women_category(&app).await
        ))
        .await;
    assert_eq!(category.status, 200);
    assert_eq!(total(&category.body), women_count);
    assert!(women_count < all);
    let filtered = app.get("/es/c/halloween?size=M&sort=price-asc").await;
    assert_eq!(filtered.status, 200);
    let prices = filtered.card_prices();
    assert!(
        prices.windows(2).all(|w| w[0] <= w[1]),
        "the category's own sort is kept"
    );
    assert!(filtered.body.contains("Quitar filtros"));
}

/// The facet links of a page's filter panel that add a filter (an active one's link
/// takes it off): (path, count) of each value.
fn facet_links(app: &comptoir_e2e::TestApp, body: &str) -> Vec<(String, u64)> {
    let Some(start) = body.find("<aside class=\"facets\"") else {
        return Vec::new();
    };
    let panel = &body[start..start + body[start..].find("</aside>").unwrap()];
    panel
        .split("<a href=\"")
        .skip(1)
        .filter(|link| {
            !link
                .split('>')
                .next()
                .unwrap_or_default()
                .contains("class=\"active\"")
        })
        .filter_map(|link| {
            let url = link
                .split('"')
                .next()?
                .replace("&amp;", "&")
                .replace("&#38;", "&");
            let count = link.split("<span class=\"count\">(").nth(1)?;
            let count = count.split(')').next()?.parse().ok()?;
            Some((url.strip_prefix(&app.url(""))?.to_owned(), count))
        })
        .collect()
}

/// A count beside a filter promises what its link shows: checked for every value of
/// the filter panels of category pages (where products found only by searching are
/// not listed) and of searches, with and without a filter already on.
async fn every_facet_count_is_what_its_link_shows(db: TestStore) {
    let app = spawn_app(db).await;
    app.search_ready().await;
    let mut checked = 0;
    for page in [
        "/es/c/halloween",
        "/es/c/carnaval",
        "/es/c/carnaval?stock=1",
        "/fr/c/halloween?size=M",
        "/es/buscar?q=disfraz",
        "/it/cerca?q=parrucca",
        "/pt/pesquisa?q=peruca&stock=1",
    ] {
        let body = app.get(page).await.body;
        let links = facet_links(&app, &body);
        assert!(!links.is_empty(), "{page} has filters");
        for (link, count) in links {
            let shown = app.get(&link).await;
            assert_eq!(shown.status, 200, "{link}");
            let listed = if shown.body.contains("<small class=\"count\">") {
                total(&shown.body)
            } else {
                0
            };
            assert_eq!(listed, count, "{page}: the link {link} said {count}");
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

/// The id of Halloween › Mujer, read from its facet link.
async fn women_category(app: &comptoir_e2e::TestApp) -> String {
    let body = app.get("/es/c/halloween").await.body;
    let at = body.find("Mujer <span class=\"count\">").unwrap();
    let link = &body[..at];
    let href = &link[link.rfind("href=\"").unwrap() + 6..];
    let id = href.split("cat=").nth(1).unwrap();
    id.split(['&', '"']).next().unwrap().to_owned()
}

async fn odd_queries_get_normal_pages(db: TestStore) {
    let app = spawn_app(db).await;
    app.search_ready().await;
    let long = "bruja%20".repeat(150);
    for path in [
        format!("/es/buscar?q={long}"),
        "/es/buscar?q=%22bruja%3A%28disfraz*+AND+-pirata%29".to_owned(),
        "/es/buscar?q=%00%07%1B".to_owned(),
        "/es/buscar?q=%FF%FE".to_owned(),
        "/es/buscar?q=bruja&utm_source=x&gclid=y".to_owned(),
        "/es/buscar".to_owned(),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, 200, "{path}");
    }
    // Past the last page: not found; page 1 named is the bare URL. Results are
    // crawlable but not indexed.
    assert_eq!(app.get("/es/buscar?q=bruja&page=9999").await.status, 404);
    let first = app.get("/es/buscar?q=bruja&page=1").await;
    assert_eq!(first.status, 301);
    assert!(first.location().ends_with("/es/buscar?q=bruja"));
    let results = app.get("/es/buscar?q=bruja").await;
    assert!(
        results
            .body
            .contains(r#"<meta name="robots" content="noindex, follow">"#)
    );
    let browser = app.get("/fr/recherche?q=").await;
    assert!(
        browser.body.contains("Halloween"),
        "an empty query shows the categories"
    );
    assert_eq!(
        app.get("/es/buscar?q=bruja&sort=cheapest").await.status,
        400
    );
    assert_eq!(app.get("/es/buscar?q=bruja&page=0").await.status, 400);
}

async fn nothing_found_offers_a_way_on(db: TestStore) {
    let app = spawn_app(db).await;
    app.search_ready().await;
    let page = app.get("/es/buscar?q=vampirrrro").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("No hemos encontrado nada para"));
    assert!(page.body.contains("¿Quizás quisiste decir"));
    assert!(page.body.contains(">vampiro</a>"));
    assert!(page.body.contains("Categorías populares"));
}

async fn autocomplete_suggests_products_and_categories(db: TestStore) {
    let app = spawn_app(db).await;
    app.search_ready().await;
    let page = app.get("/fr/autocomplete?q=sorci").await;
    assert_eq!(page.status, 200);
    let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    let products = json["products"].as_array().unwrap();
    assert!(!products.is_empty() && products.len() <= 5);
    assert!(
        products
            .iter()
            .any(|p| p["name"] == "Déguisement de sorcière pour femme")
    );
    let categories = json["categories"].as_array().unwrap();
    assert!(
        categories.iter().any(|c| c["name"] == "Sorcière"),
        "{categories:?}"
    );
    let short = app.get("/fr/autocomplete?q=s").await;
    assert_eq!(short.body, r#"{"products":[],"categories":[]}"#);
}

async fn price_changes_reach_search(db: TestStore) {
    let app = spawn_app(db).await;
    app.search_ready().await;
    let cheap_wigs = "/es/buscar?q=peluca+afro&price=0-10";
    assert!(
        !app.get(cheap_wigs)
            .await
            .body
            .contains("Peluca afro multicolor")
    );
    app.db.reprice("PEL-AFRO-MULTI", SiteCode::Es, 555).await;
    assert!(
        app.eventually(cheap_wigs, Duration::from_secs(5), |body| body
            .contains("Peluca afro multicolor"))
            .await,
        "the new price is searchable within 5 s"
    );
}

/// Starts a `search` service replica over `db` on an ephemeral port; its base URL.
async fn spawn_search_replica(db: &TestStore) -> String {
    let engine = Arc::new(SearchEngine::open(None).unwrap());
    tokio::spawn(comptoir_search::follower::follow(
        db.store.clone(),
        engine.clone(),
        Duration::from_millis(100),
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let drain = comptoir_web::health::Drain::new(std::time::Duration::ZERO);
        axum::serve(listener, comptoir_search_service::router(engine, drain)).await
    });
    url
}

async fn search_service_replicas_follow_the_catalogue(db: TestStore) {
    let first = spawn_search_replica(&db).await;
    let second = spawn_search_replica(&db).await;
    let app = spawn_app_with_search(db, SearchSettings::Service { url: first.clone() }).await;
    app.search_ready().await;
    let client = reqwest::Client::new();
    let cheap_afro = |url: String| {
        let client = client.clone();
        async move {
            let response = client
                .post(format!("{url}/v1/sites/pt/search"))
                .json(&serde_json::json!({"query": "peruca afro", "filters": {"prices": ["0-10"]}}))
                .send()
                .await
                .unwrap();
            let results: serde_json::Value = response.json().await.unwrap();
            results["total"].as_u64().unwrap()
        }
    };
    for replica in [&first, &second] {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while client
            .get(format!("{replica}/health"))
            .send()
            .await
            .unwrap()
            .status()
            != 200
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{replica} never became ready"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(cheap_afro(replica.clone()).await, 0);
    }
    let writer = comptoir_store::open(&app.db.store_config).await.unwrap();
    writer
        .set_price(
            &Sku::parse("PEL-AFRO-MULTI").unwrap(),
            SiteCode::Pt,
            Money::eur(499),
        )
        .await
        .unwrap();
    for replica in [&first, &second] {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while cheap_afro(replica.clone()).await != 1 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{replica} did not follow within 5 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    // The storefront searches through the service.
    assert!(
        app.eventually(
            "/pt/pesquisa?q=peruca+afro&price=0-10",
            Duration::from_secs(5),
            |body| { body.contains("Peruca afro multicolor") }
        )
        .await
    );
}

async fn an_unreachable_search_service_is_a_clear_message(db: TestStore) {
    // Nothing listens on port 1 of the loopback.
    let app = spawn_app_with_search(
        db,
        SearchSettings::Service {
            url: "http://127.0.0.1:1".to_owned(),
        },
    )
    .await;
    let page = app.get("/it/cerca?q=strega").await;
    assert_eq!(page.status, 503);
    assert!(
        page.body
            .contains("La ricerca non è disponibile in questo momento")
    );
    // Browsing does not depend on search.
    let category = app.get("/it/c/halloween").await;
    assert_eq!(category.status, 200);
    assert!(category.body.contains("Costume da strega da donna"));
    // A filtered listing shows its category unfiltered, from the snapshot, says why,
    // and is kept by no cache (it is not what its URL names).
    let filtered = app.get("/it/c/halloween?size=M").await;
    assert_eq!(filtered.status, 200);
    assert!(filtered.body.contains("Costume da strega da donna"));
    assert!(
        filtered
            .body
            .contains("La ricerca non è disponibile in questo momento")
    );
    assert_eq!(filtered.headers["cache-control"], "no-store");
    assert_eq!(app.get("/it/autocomplete?q=strega").await.status, 200);
}
