//! The storefront end to end: the real app on an ephemeral port, over a fresh
//! database of each backend, fetched over HTTP.

use std::time::Duration;

use comptoir_domain::{Money, SiteCode, Sku};
use comptoir_e2e::{TestStore, on_both_backends, spawn_app, spawn_app_with_search};

on_both_backends! {
    home_pages_speak_each_sites_language,
    category_pages_list_sort_and_paginate,
    product_pages_show_vat_included_prices_and_variants,
    unknown_pages_are_translated_404s,
    bad_input_gets_4xx_pages,
    other_url_forms_redirect_to_the_canonical_one,
    changes_in_the_database_reach_the_pages,
    pages_carry_security_headers,
    products_in_sizes_link_to_the_size_guide,
    hygiene_goods_say_they_are_not_returned_once_unsealed,
    a_reduction_is_announced_against_the_lowest_earlier_price,
    robots_txt_keeps_crawlers_out_of_private_pages_only,
    health_says_live_at_once_and_ready_once_search_answers,
    pages_for_everyone_are_cacheable_and_revalidated,
    static_files_are_fingerprinted_and_pages_sent_compressed,
}

/// Per site: path prefix, `lang`, the witch costume's name and URL key, a UI text.
const SITES: [(&str, &str, &str, &str, &str); 4] = [
    (
        "es",
        "es-ES",
        "Disfraz de bruja para mujer",
        "disfraz-de-bruja-para-mujer",
        "Destacados",
    ),
    (
        "fr",
        "fr-FR",
        "Déguisement de sorcière pour femme",
        "deguisement-de-sorciere-pour-femme",
        "À la une",
    ),
    (
        "pt",
        "pt-PT",
        "Fantasia de bruxa para mulher",
        "fantasia-de-bruxa-para-mulher",
        "Em destaque",
    ),
    (
        "it",
        "it-IT",
        "Costume da strega da donna",
        "costume-da-strega-da-donna",
        "In evidenza",
    ),
];

async fn home_pages_speak_each_sites_language(db: TestStore) {
    let app = spawn_app(db).await;
    for (prefix, lang, witch, _, featured) in SITES {
        let page = app.get(&format!("/{prefix}/")).await;
        assert_eq!(page.status, 200, "/{prefix}/");
        assert!(page.body.contains(&format!("<html lang=\"{lang}\">")));
        assert!(page.body.contains(featured), "{prefix}: featured heading");
        assert!(
            page.body.contains(witch),
            "{prefix}: featured witch costume"
        );
        assert!(
            page.body.contains("24,99\u{a0}€"),
            "{prefix}: VAT-included price"
        );
        assert!(
            page.body.contains(&app.url(&format!("/{prefix}/c/"))),
            "{prefix}: category links on the base URL"
        );
    }
    let chooser = app.get("/").await;
    assert_eq!(chooser.status, 200);
    for country in ["España", "France", "Portugal", "Italia"] {
        assert!(chooser.body.contains(country));
    }
}

async fn category_pages_list_sort_and_paginate(db: TestStore) {
    let app = spawn_app(db).await;
    for ((prefix, lang, witch, _, _), (path, name)) in SITES.into_iter().zip([
        ("halloween/mujer/bruja", "<h1>Bruja"),
        ("halloween/femme/sorciere", "<h1>Sorcière"),
        ("halloween/mulher/bruxa", "<h1>Bruxa"),
        ("halloween/donna/strega", "<h1>Strega"),
    ]) {
        let page = app.get(&format!("/{prefix}/c/{path}")).await;
        assert_eq!(page.status, 200, "/{prefix}/c/{path}");
        assert!(page.body.contains(&format!("<html lang=\"{lang}\">")));
        assert!(page.body.contains(name), "{prefix}: {name}");
        assert!(
            page.body.contains(witch),
            "{prefix}: the witch costume is listed"
        );
        assert!(
            page.body.contains("24,99\u{a0}€"),
            "{prefix}: its VAT-included price"
        );
    }

    let page = app.get("/es/c/halloween/mujer/bruja").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Disfraz de bruja para mujer"));
    assert!(page.body.contains("Disfraz de hechicera medieval"));
    assert!(
        !page.body.contains("Disfraz de pirata para hombre"),
        "pirates are not witches"
    );

    // A department lists its children's products, 24 a page.
    let halloween = app.get("/fr/c/halloween").await;
    assert_eq!(halloween.status, 200);
    assert!(halloween.body.contains("Trier par"));
    assert_eq!(halloween.card_prices().len(), 24);
    assert!(halloween.body.contains("?page=2"));

    for (sort, ascending) in [("price-asc", true), ("price-desc", false)] {
        let sorted = app
            .get(&format!("/it/c/halloween?sort={sort}&page=2"))
            .await;
        assert_eq!(sorted.status, 200);
        let prices = sorted.card_prices();
        assert_eq!(prices.len(), 24);
        assert!(
            prices.windows(2).all(|w| if ascending {
                w[0] <= w[1]
            } else {
                w[0] >= w[1]
            }),
            "{sort}: {prices:?}"
        );
    }
    let newest = app.get("/pt/c/halloween?sort=newest").await;
    assert_eq!(newest.status, 200);
    let by_name = app.get("/es/c/accesorios/sombreros?sort=name").await;
    assert_eq!(by_name.status, 200);
    let names: Vec<&str> = by_name
        .body
        .split("<span class=\"card-name\">")
        .skip(1)
        .filter_map(|s| s.split('<').next())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| comptoir_domain::slug::slugify(n));
    assert_eq!(names, sorted);

    // Past the last page: not found; page 1 named is the bare URL.
    assert_eq!(app.get("/es/c/halloween?page=9999").await.status, 404);
    let first = app.get("/es/c/halloween?sort=price-asc&page=1").await;
    assert_eq!(first.status, 301);
    assert!(first.location().ends_with("/es/c/halloween?sort=price-asc"));
    // Each page is its own canonical; sorted or filtered, it is not indexed.
    let noindex = r#"<meta name="robots" content="noindex, follow">"#;
    let plain = app.get("/es/c/halloween?page=2").await;
    assert_eq!(plain.status, 200);
    assert!(
        plain
            .body
            .contains(r#"<link rel="canonical" href="http://"#)
    );
    assert!(plain.body.contains("/es/c/halloween?page=2\">"));
    assert!(!plain.body.contains(noindex));
    app.search_ready().await;
    for listing in ["/es/c/halloween?sort=price-asc", "/es/c/halloween?stock=1"] {
        let page = app.get(listing).await;
        assert_eq!(page.status, 200, "{listing}");
        assert!(page.body.contains(noindex), "{listing}");
    }
}

async fn product_pages_show_vat_included_prices_and_variants(db: TestStore) {
    let app = spawn_app(db).await;
    let vat = [
        ("es", "IVA incluido (21\u{a0}%)"),
        ("fr", "TVA incluse (20\u{a0}%)"),
        ("pt", "IVA incluído (23\u{a0}%)"),
        ("it", "IVA inclusa (22\u{a0}%)"),
    ];
    for ((prefix, lang, witch, key, _), (_, vat_note)) in SITES.into_iter().zip(vat) {
        let page = app.get(&format!("/{prefix}/p/{key}")).await;
        assert_eq!(page.status, 200, "{prefix}");
        assert!(page.body.contains(&format!("lang=\"{lang}\"")));
        assert!(page.body.contains(&format!("<h1>{witch}</h1>")));
        assert!(
            page.body.contains("<strong>24,99\u{a0}€</strong>"),
            "{prefix}"
        );
        assert!(page.body.contains(vat_note), "{prefix}: {vat_note}");
        for size in ["S", "M", "L", "XL"] {
            assert!(
                page.body
                    .contains(&format!("value=\"DIS-BRUJA-MUJER-{size}\"")),
                "{prefix}: size {size}"
            );
        }
        assert!(
            page.body
                .contains("value=\"DIS-BRUJA-MUJER-XL\" required disabled"),
            "XL is sold out"
        );
        assert!(page.body.contains("class=\"breadcrumbs\""));
        assert!(
            page.body
                .contains("<source type=\"image/webp\" srcset=\"/static/media/renditions/"),
            "{prefix}: the photos are served resized, WebP first"
        );
    }
    let spanish = app.get("/es/p/disfraz-de-bruja-para-mujer").await;
    assert!(spanish.body.contains("Agotado") && spanish.body.contains("Últimas unidades"));
    let kids = app.get("/fr/p/deguisement-de-squelette-pour-enfant").await;
    assert_eq!(kids.status, 200);
    assert!(kids.body.contains("3-4 ans") && kids.body.contains("10-12 ans"));
    let wig = app.get("/it/p/parrucca-afro-multicolore").await;
    assert_eq!(wig.status, 200);
    assert!(wig.body.contains("12,99\u{a0}€"));
    assert!(
        !wig.body.contains("type=\"radio\""),
        "a simple product has no choice to make"
    );
    assert!(
        wig.body
            .contains("type=\"hidden\" name=\"variant\" value=\"PEL-AFRO-MULTI\""),
        "it is added to the cart as its one variant"
    );
}

async fn unknown_pages_are_translated_404s(db: TestStore) {
    let app = spawn_app(db).await;
    for (path, text) in [
        ("/es/p/no-existe", "Página no encontrada"),
        ("/fr/p/inexistant", "Page introuvable"),
        ("/pt/c/nada/de/nada", "Página não encontrada"),
        ("/it/qualcosa", "Pagina non trovata"),
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(page.body.contains(text), "{path}");
    }
    let unknown_site = app
        .get_with("/de/", &[("accept-language", "pt-PT,pt;q=0.9")])
        .await;
    assert_eq!(unknown_site.status, 404);
    assert!(unknown_site.body.contains("Página não encontrada"));
}

async fn bad_input_gets_4xx_pages(db: TestStore) {
    let app = spawn_app(db).await;
    for (path, status, text) in [
        ("/es/c/halloween?sort=cheapest", 400, "Solicitud no válida"),
        ("/fr/c/halloween?page=0", 400, "Requête invalide"),
        ("/pt/c/halloween?page=-3", 400, "Pedido inválido"),
        ("/it/c/halloween?page=abc", 400, "Richiesta non valida"),
        (
            "/es/c/halloween?page=99999999999999999999999",
            400,
            "Solicitud no válida",
        ),
        ("/es/c/halloween?page=%FF", 400, "Solicitud no válida"),
        ("/es/p/%FF%FE", 400, "Solicitud no válida"),
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, status, "{path}");
        assert!(page.body.contains(text), "{path}: {}", page.body);
    }
    let long = app.get(&format!("/es/p/{}", "a".repeat(5_000))).await;
    assert_eq!(long.status, 414);
    let long_query = app
        .get(&format!("/es/c/halloween?sort={}", "x".repeat(5_000)))
        .await;
    assert_eq!(long_query.status, 414);
}

async fn other_url_forms_redirect_to_the_canonical_one(db: TestStore) {
    let app = spawn_app(db).await;
    for (path, location) in [
        ("/es", "/es/".to_owned()),
        (
            "/fr/p/disfraz-de-bruja-para-mujer",
            "/fr/p/deguisement-de-sorciere-pour-femme".to_owned(),
        ),
        (
            "/es/p/disfraz-de-bruja-para-mujer/",
            "/es/p/disfraz-de-bruja-para-mujer".to_owned(),
        ),
        ("/it/c/carnaval", "/it/c/carnevale".to_owned()),
        ("/es/c/halloween/", "/es/c/halloween".to_owned()),
        ("/es/c/Halloween/Mujer", "/es/c/halloween/mujer".to_owned()),
        (
            "/pt/p/Fantasia-De-Bruxa-Para-Mulher",
            "/pt/p/fantasia-de-bruxa-para-mulher".to_owned(),
        ),
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, 301, "{path}");
        assert_eq!(page.location(), app.url(&location), "{path}");
    }
    // Another host name for the same server: the canonical host, query kept.
    let page = app
        .get_with("/pt/c/halloween?sort=name", &[("host", "localhost")])
        .await;
    assert_eq!(page.status, 301);
    assert_eq!(page.location(), app.url("/pt/c/halloween?sort=name"));
}

async fn changes_in_the_database_reach_the_pages(db: TestStore) {
    let app = spawn_app(db).await;
    // Another process (here, another store with its own connections) changes a
    // price and a stock level; the running storefront follows the change log.
    app.db.reprice("PEL-AFRO-MULTI", SiteCode::Es, 1555).await;
    let writer = comptoir_store::open(&app.db.store_config)
        .await
        .expect("a second store opens");
    writer
        .set_stock(&Sku::parse("DIS-BRUJA-MUJER-XL").unwrap(), 30)
        .await
        .unwrap();

    let wig = "/es/p/peluca-afro-multicolor";
    assert!(
        app.eventually(wig, Duration::from_secs(5), |body| body
            .contains("<strong>15,55\u{a0}€</strong>"))
            .await,
        "the new price shows within 5 s"
    );
    assert!(
        app.eventually(
            "/es/p/disfraz-de-bruja-para-mujer",
            Duration::from_secs(5),
            |body| { !body.contains("value=\"DIS-BRUJA-MUJER-XL\" disabled") }
        )
        .await,
        "the restocked size can be chosen within 5 s"
    );
    // The price sort follows too: the wig moved in its category's price order.
    let listing = app
        .get("/es/c/pelucas/pelucas-de-colores?sort=price-asc")
        .await;
    assert!(listing.card_prices().contains(&1555));
}

async fn pages_carry_security_headers(db: TestStore) {
    let app = spawn_app(db).await;
    for path in ["/es/", "/es/p/no-existe", "/"] {
        let page = app.get(path).await;
        for header in [
            "content-security-policy",
            "x-content-type-options",
            "x-frame-options",
            "referrer-policy",
        ] {
            assert!(page.headers.contains_key(header), "{path}: {header}");
        }
    }
}

/// The host's robots.txt names each site's private pages and nothing else: listings
/// stay crawlable, their head telling crawlers what not to index.
async fn robots_txt_keeps_crawlers_out_of_private_pages_only(db: TestStore) {
    let app = spawn_app(db).await;
    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.status, 200);
    assert_eq!(robots.headers["content-type"], "text/plain; charset=utf-8");
    assert!(robots.headers.contains_key("x-content-type-options"));
    for (prefix, ..) in SITES {
        for private in ["cart", "checkout", "account", "order/", "pay/"] {
            let line = format!("Disallow: /{prefix}/{private}\n");
            assert!(robots.body.contains(&line), "{line}");
        }
    }
    assert!(!robots.body.contains("/c/") && !robots.body.contains("buscar"));
}

/// A product sold in sizes links to its site's size guide, which gives the body
/// measurements of every size in the site's language.
async fn products_in_sizes_link_to_the_size_guide(db: TestStore) {
    let app = spawn_app(db).await;
    for ((prefix, lang, _, key, _), (guide, title)) in SITES.into_iter().zip([
        ("guia-de-tallas", "Guía de tallas"),
        ("guide-des-tailles", "Guide des tailles"),
        ("guia-de-tamanhos", "Guia de tamanhos"),
        ("guida-alle-taglie", "Guida alle taglie"),
    ]) {
        let product = app.get(&format!("/{prefix}/p/{key}")).await;
        let link = app.url(&format!("/{prefix}/{guide}"));
        assert!(
            product.body.contains(&format!("href=\"{link}\"")),
            "{prefix}"
        );
        let page = app.get(&format!("/{prefix}/{guide}")).await;
        assert_eq!(page.status, 200, "{prefix}");
        assert!(page.body.contains(&format!("lang=\"{lang}\"")));
        assert!(page.body.contains(&format!("<h1>{title}</h1>")), "{prefix}");
        assert!(page.body.contains("<th scope=\"row\">XL</th>"), "{prefix}");
    }
    // A product without sizes has no such link.
    let wig = app.get("/es/p/peluca-afro-multicolor").await;
    assert_eq!(wig.status, 200);
    assert!(!wig.body.contains("guia-de-tallas"));
}

/// A wig (its department is marked as hygiene goods) says it cannot be returned once
/// unsealed; a costume does not.
async fn hygiene_goods_say_they_are_not_returned_once_unsealed(db: TestStore) {
    let app = spawn_app(db).await;
    let wig = app.get("/es/p/peluca-afro-multicolor").await;
    assert!(
        wig.body.contains("data-hygiene>Por higiene"),
        "the wig's page"
    );
    let witch = app.get("/es/p/disfraz-de-bruja-para-mujer").await;
    assert!(witch.body.contains("14 días para devolverlo"));
    assert!(!witch.body.contains("data-hygiene"));
}

async fn a_reduction_is_announced_against_the_lowest_earlier_price(db: TestStore) {
    let now = chrono::Utc::now();
    let seeded = comptoir_demo::generate(comptoir_e2e::TEST_PRODUCT_COUNT);
    let (product, offer) = seeded
        .products
        .iter()
        .find_map(|p| {
            let offer = p.listed_on(SiteCode::Es)?;
            offer.on_sale(now).then_some((p, offer))
        })
        .expect("the seed has a product on sale in Spain");
    let app = spawn_app(db).await;
    let path = format!("/es/p/{}", product.url_keys[comptoir_domain::Locale::Es]);
    let (was, price) = (offer.price, offer.effective(now));
    let reduced = |regular: Money| {
        let percent = (regular.cents() - price.cents()) * 100 / regular.cents();
        format!(
            "{}</del> <strong class=\"sale\">{}</strong> <span class=\"badge\">\u{2212}{percent}\u{a0}%</span>",
            regular.format(comptoir_domain::Locale::Es),
            price.format(comptoir_domain::Locale::Es)
        )
    };
    let page = app.get(&path).await;
    assert!(page.body.contains(&reduced(was)), "{}", page.body);
    assert!(page.body.contains(&format!(
        "Precio más bajo de los 30 días anteriores a la rebaja: {}",
        was.format(comptoir_domain::Locale::Es)
    )));

    // The regular price is raised while the sale runs: the reduction is still
    // announced against the lower price the shop charged before it.
    let writer = comptoir_store::open(&app.db.store_config)
        .await
        .expect("a second store opens");
    writer
        .set_price(&product.sku, SiteCode::Es, Money::eur(was.cents() * 3))
        .await
        .unwrap();
    // Then it sells out, a change logged after the price's: once the page shows it,
    // it reflects the raise too.
    for variant in &product.variants {
        writer.set_stock(&variant.sku, 0).await.unwrap();
    }
    let raised = Money::eur(was.cents() * 3).format(comptoir_domain::Locale::Es);
    let reflects_both = |body: &str| body.contains("class=\"stock stock-out\"");
    assert!(
        app.eventually(&path, Duration::from_secs(5), reflects_both)
            .await
    );
    let page = app.get(&path).await;
    assert!(
        !page.body.contains(&raised),
        "the raised price is not shown"
    );
    assert!(page.body.contains(&reduced(was)), "{}", page.body);
}

/// `/health/live` answers as soon as the port is open; `/health/ready` once search
/// answers too (with the snapshot's position), and names what is missing before: here
/// a search service that is down.
async fn health_says_live_at_once_and_ready_once_search_answers(db: TestStore) {
    let without_search = spawn_app_with_search(
        TestStore::sharing(&db).await,
        comptoir_storefront::SearchSettings::Service {
            url: "http://127.0.0.1:9".to_owned(),
        },
    )
    .await;
    let live = without_search.get("/health/live").await;
    assert_eq!((live.status, live.body.as_str()), (200, "live\n"));
    let ready = without_search.get("/health/ready").await;
    assert_eq!(ready.status, 503);
    assert_eq!(ready.body, "not ready: the search index is not ready\n");
    assert_eq!(
        without_search.get("/es/").await.status,
        200,
        "pages still served"
    );

    let app = spawn_app(db).await;
    app.search_ready().await;
    let ready = app.get("/health/ready").await;
    assert_eq!(ready.status, 200, "{}", ready.body);
    let position = app.get("/health").await.body;
    assert_eq!(ready.body, position.replace("ok", "ready"));
}

/// A catalogue page may be kept by a shared cache for a minute and revalidated with
/// its ETag (304 while it is unchanged, 200 with a new ETag once its price changes);
/// a private page says `private, no-store` and has no ETag.
async fn pages_for_everyone_are_cacheable_and_revalidated(db: TestStore) {
    let app = spawn_app(db).await;
    let path = "/es/p/disfraz-de-bruja-para-mujer";
    let page = app.get(path).await;
    assert_eq!(
        page.headers["cache-control"],
        "public, max-age=0, s-maxage=60, stale-while-revalidate=300"
    );
    assert!(
        page.headers.get("set-cookie").is_none(),
        "no cookie on a shared page"
    );
    let etag = page.headers["etag"].to_str().unwrap().to_owned();
    let again = app.get_with(path, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(
        app.get(path).await.headers["etag"].to_str().unwrap(),
        etag,
        "stable"
    );

    app.db
        .reprice("DIS-BRUJA-MUJER", comptoir_domain::SiteCode::Es, 1_999)
        .await;
    let changed = app
        .eventually(path, std::time::Duration::from_secs(5), |body| {
            body.contains("19,99")
        })
        .await;
    assert!(changed);
    let after = app.get_with(path, &[("if-none-match", &etag)]).await;
    assert_eq!(after.status, 200, "changed: the whole page again");
    assert_ne!(after.headers["etag"].to_str().unwrap(), etag);

    let cart = app.get("/es/cart").await;
    assert_eq!(cart.headers["cache-control"], "private, no-store");
    assert!(cart.headers.get("etag").is_none());
}

/// Pages link the stylesheet and scripts under names with their content's hash,
/// which browsers keep for a year; pages and files are sent compressed to clients
/// that take it, and revalidated per coding.
async fn static_files_are_fingerprinted_and_pages_sent_compressed(db: TestStore) {
    use std::io::Read;

    let app = spawn_app(db).await;
    let home = app.get("/es/").await;
    let stylesheet = home
        .body
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page links its stylesheet");
    assert!(
        stylesheet.starts_with("/static/css/shop.") && stylesheet != "/static/css/shop.css",
        "{stylesheet}"
    );
    let css = app.get_with(stylesheet, &[("accept-encoding", "br")]).await;
    assert_eq!(css.status, 200);
    assert_eq!(
        css.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(css.headers["content-encoding"], "br");
    let plain = app.get("/static/css/shop.css").await;
    assert_eq!(plain.headers["cache-control"], "public, no-cache");
    assert!(plain.body.contains("body"), "the plain name still answers");
    let etag = plain.headers["etag"].to_str().unwrap();
    let again = app
        .get_with("/static/css/shop.css", &[("if-none-match", etag)])
        .await;
    assert_eq!(again.status, 304);

    let path = "/es/p/disfraz-de-bruja-para-mujer";
    let zipped = app
        .client
        .get(app.url(path))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    assert_eq!(zipped.headers()["vary"], "accept-encoding");
    let zipped_etag = zipped.headers()["etag"].to_str().unwrap().to_owned();
    let bytes = zipped.bytes().await.unwrap();
    let mut page = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut page)
        .unwrap();
    let identity = app.get(path).await;
    assert_eq!(page, identity.body);
    assert!(
        bytes.len() * 3 < identity.body.len(),
        "{} bytes",
        bytes.len()
    );
    assert_ne!(identity.headers["etag"].to_str().unwrap(), zipped_etag);
    let revalidated = app
        .get_with(
            path,
            &[("accept-encoding", "gzip"), ("if-none-match", &zipped_etag)],
        )
        .await;
    assert_eq!(revalidated.status, 304);

    let cart = app
        .get_with("/es/cart", &[("accept-encoding", "gzip")])
        .await;
    assert_eq!(
        cart.headers["content-encoding"], "gzip",
        "private pages compressed per request"
    );
}
