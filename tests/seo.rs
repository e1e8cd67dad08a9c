//! What search engines read of the shop: each page's head (title, description,
//! canonical, alternates in the other languages, link previews, structured data)
//! and which listing URLs exist at all.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Read;
use std::time::Duration;

use chrono::{DateTime, Utc};
use comptoir_domain::SiteCode;
use comptoir_e2e::{Head, TestApp, TestStore, on_both_backends, spawn_app};
use serde_json::Value;

on_both_backends! {
    indexable_pages_have_a_full_head_on_every_site,
    alternates_point_at_each_other,
    category_titles_name_their_parents_and_differ,
    product_data_has_what_merchant_listings_need,
    filter_values_the_shop_has_not_are_not_found,
    sitemaps_list_every_page_and_follow_changes,
}

/// Per site: prefix, hreflang, the witch category's path, the witch costume's key,
/// the size guide's path, the privacy policy's key (a content page).
const SITES: [(&str, &str, &str, &str, &str, &str); 4] = [
    (
        "es",
        "es-ES",
        "halloween/mujer/bruja",
        "disfraz-de-bruja-para-mujer",
        "guia-de-tallas",
        "politica-de-privacidad",
    ),
    (
        "fr",
        "fr-FR",
        "halloween/femme/sorciere",
        "deguisement-de-sorciere-pour-femme",
        "guide-des-tailles",
        "donnees-personnelles",
    ),
    (
        "pt",
        "pt-PT",
        "halloween/mulher/bruxa",
        "fantasia-de-bruxa-para-mulher",
        "guia-de-tamanhos",
        "politica-de-privacidade",
    ),
    (
        "it",
        "it-IT",
        "halloween/donna/strega",
        "costume-da-strega-da-donna",
        "guida-alle-taglie",
        "privacy",
    ),
];

/// Home, category, product, size guide and a content page of one site, with the
/// structured data each must carry.
fn indexable_pages(site: usize) -> [(String, &'static [&'static str]); 5] {
    let (prefix, _, category, product, guide, privacy) = SITES[site];
    [
        (format!("/{prefix}/"), &["Organization"]),
        (format!("/{prefix}/c/{category}"), &["BreadcrumbList"]),
        (
            format!("/{prefix}/p/{product}"),
            &["Product", "BreadcrumbList"],
        ),
        (format!("/{prefix}/{guide}"), &[]),
        (format!("/{prefix}/{privacy}"), &[]),
    ]
}

async fn head_of(app: &TestApp, path: &str) -> Head {
    let page = app.get(path).await;
    assert_eq!(page.status, 200, "{path}");
    Head::of(&page)
}

async fn indexable_pages_have_a_full_head_on_every_site(db: TestStore) {
    let app = spawn_app(db).await;
    for (site, (_, lang, ..)) in SITES.into_iter().enumerate() {
        for (path, types) in indexable_pages(site) {
            let head = head_of(&app, &path).await;
            assert!(
                head.title.ends_with(" · Comptoir"),
                "{path}: {}",
                head.title
            );
            let description = head.description().unwrap_or_default();
            assert!(
                (20..=160).contains(&description.chars().count()),
                "{path}: description {description:?}"
            );
            assert_eq!(head.canonical(), Some(app.url(&path).as_str()), "{path}");
            assert!(!head.noindex(), "{path}");
            assert!(
                head.alternates().contains(&(lang, &app.url(&path))),
                "{path} names itself among its alternates"
            );
            assert_eq!(
                head.alternates()
                    .iter()
                    .find(|(hreflang, _)| *hreflang == "x-default")
                    .map(|(_, href)| *href),
                Some(app.url("/").as_str()),
                "{path}: x-default is the country chooser"
            );
            for (property, expected) in [
                ("og:url", Some(app.url(&path))),
                (
                    "og:title",
                    Some(head.title.trim_end_matches(" · Comptoir").to_owned()),
                ),
                ("og:description", Some(description.to_owned())),
                ("og:locale", Some(lang.replace('-', "_"))),
            ] {
                assert_eq!(head.meta(property).map(str::to_owned), expected, "{path}");
            }
            assert!(head.meta("twitter:card").is_some(), "{path}");
            for kind in types {
                let data = head
                    .data_of_type(kind)
                    .unwrap_or_else(|| panic!("{path}: no {kind} in {:?}", head.structured_data));
                assert_eq!(data["@context"], "https://schema.org", "{path}");
            }
        }
    }
    // The home page names the shop; a product's preview shows its photo.
    let home = head_of(&app, "/it/").await;
    let organization = home.data_of_type("Organization").unwrap();
    assert_eq!(organization["url"], app.url("/it/"));
    assert!(
        organization["logo"]
            .as_str()
            .unwrap()
            .starts_with("http://")
    );
    let product = head_of(&app, "/fr/p/deguisement-de-sorciere-pour-femme").await;
    assert_eq!(product.meta("og:type"), Some("product"));
    assert_eq!(product.meta("twitter:card"), Some("summary_large_image"));
    let image = product.meta("og:image").unwrap();
    assert!(
        image.starts_with(&app.url("/static/media/renditions/")),
        "{image}"
    );
    assert_eq!(
        app.get(image.trim_start_matches(&app.url(""))).await.status,
        200
    );
    let category = head_of(&app, "/es/c/halloween").await;
    assert!(
        category
            .meta("og:image")
            .is_some_and(|image| image.starts_with(&app.url("/static/"))),
        "a listing's preview shows one of its products"
    );
    // The country chooser, every page's x-default, names each site's home back.
    let chooser = head_of(&app, "/").await;
    assert_eq!(chooser.canonical(), Some(app.url("/").as_str()));
    for (prefix, lang, ..) in SITES {
        let home = app.url(&format!("/{prefix}/"));
        assert!(
            chooser.alternates().contains(&(lang, home.as_str())),
            "{lang}"
        );
    }
    assert!(
        chooser
            .alternates()
            .contains(&("x-default", app.url("/").as_str()))
    );
    // Private pages say nothing to search engines.
    let cart = Head::of(&app.get("/es/cart").await);
    assert!(cart.description().is_none() && cart.structured_data.is_empty());
}

/// Every alternate of a page is the same page in another language, which names the
/// first one back.
async fn alternates_point_at_each_other(db: TestStore) {
    let app = spawn_app(db).await;
    for kind in 0..5 {
        let path = &indexable_pages(0)[kind].0;
        let head = head_of(&app, path).await;
        let alternates: Vec<(String, String)> = head
            .alternates()
            .into_iter()
            .filter(|(hreflang, _)| *hreflang != "x-default")
            .map(|(hreflang, href)| (hreflang.to_owned(), href.to_owned()))
            .collect();
        let languages: HashSet<&str> = alternates.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            languages,
            HashSet::from(["es-ES", "fr-FR", "pt-PT", "it-IT"]),
            "{path}: sold on every site"
        );
        for (site, (prefix, lang, ..)) in SITES.into_iter().enumerate() {
            let (other_path, _) = &indexable_pages(site)[kind];
            let expected = (lang.to_owned(), app.url(other_path));
            assert!(alternates.contains(&expected), "{path}: {prefix}");
            let other = head_of(&app, other_path).await;
            let back: Vec<(String, String)> = other
                .alternates()
                .into_iter()
                .map(|(l, h)| (l.to_owned(), h.to_owned()))
                .collect();
            for alternate in &alternates {
                assert!(back.contains(alternate), "{other_path} lists {alternate:?}");
            }
        }
    }
}

/// Category titles say where the category sits, so that no two are the same; later
/// pages of a listing say which page they are.
async fn category_titles_name_their_parents_and_differ(db: TestStore) {
    let app = spawn_app(db).await;
    let prefix = app.url("/es/c/");
    let mut seen = HashSet::new();
    let mut queue = VecDeque::from([app.url("/es/")]);
    let mut titles: HashMap<String, String> = HashMap::new();
    while let Some(url) = queue.pop_front() {
        let page = app.get(url.trim_start_matches(&app.url(""))).await;
        assert_eq!(page.status, 200, "{url}");
        if url.starts_with(&prefix) {
            let title = Head::of(&page).title;
            if let Some(other) = titles.insert(title.clone(), url.clone()) {
                panic!("{url} and {other} are both titled {title:?}");
            }
        }
        for link in page.body.split("href=\"").skip(1) {
            let href = link.split('"').next().unwrap_or_default();
            if href.starts_with(&prefix) && !href.contains('?') && seen.insert(href.to_owned()) {
                queue.push_back(href.to_owned());
            }
        }
    }
    assert!(
        titles.len() > 100,
        "only {} categories reached",
        titles.len()
    );
    let women = head_of(&app, "/es/c/halloween/mujer").await;
    assert_eq!(women.title, "Mujer · Halloween · Comptoir");
    let witches = head_of(&app, "/es/c/halloween/mujer/bruja").await;
    assert_eq!(witches.title, "Bruja · Mujer · Halloween · Comptoir");

    let first = head_of(&app, "/es/c/halloween").await;
    let second = head_of(&app, "/es/c/halloween?page=2").await;
    assert_eq!(second.title, "Halloween · Página 2 · Comptoir");
    let page_two = app.url("/es/c/halloween?page=2");
    assert_eq!(second.canonical(), Some(page_two.as_str()));
    assert!(second.alternates().contains(&("es-ES", &page_two)));
    assert!(
        second
            .alternates()
            .contains(&("fr-FR", &app.url("/fr/c/halloween?page=2"))),
        "the same page of the other sites: {:?}",
        second.alternates()
    );
    assert_ne!(first.description(), second.description());
    assert!(
        first.description().unwrap().starts_with("Halloween: ")
            && first.description().unwrap().contains(" desde "),
        "{:?}",
        first.description()
    );
}

/// The properties Google documents for product snippets and merchant listings:
/// required (name, image, an offer's price and currency) and recommended
/// (description, SKU, availability, condition, shipping, returns).
async fn product_data_has_what_merchant_listings_need(db: TestStore) {
    let app = spawn_app(db).await;
    for (prefix, lang, _, key, ..) in SITES {
        let url = app.url(&format!("/{prefix}/p/{key}"));
        let head = head_of(&app, &format!("/{prefix}/p/{key}")).await;
        let product = head.data_of_type("Product").expect("Product data");
        assert!(product["name"].as_str().is_some_and(|n| !n.is_empty()));
        assert!(
            product["description"]
                .as_str()
                .is_some_and(|d| !d.is_empty())
        );
        assert_eq!(product["sku"], "DIS-BRUJA-MUJER");
        assert_eq!(product["url"], url);
        let images = product["image"].as_array().expect("images");
        assert!(!images.is_empty());
        for image in images {
            assert!(image.as_str().unwrap().starts_with("http://"), "{image}");
        }
        let offers = product["offers"].as_array().expect("offers");
        let skus: Vec<&str> = offers.iter().map(|o| o["sku"].as_str().unwrap()).collect();
        assert_eq!(
            skus,
            ["S", "M", "L", "XL"].map(|size| format!("DIS-BRUJA-MUJER-{size}")),
            "one offer per variant"
        );
        let country = lang.split('-').nth(1).unwrap();
        for offer in offers {
            assert_eq!(offer["@type"], "Offer");
            assert_eq!(offer["price"], "24.99", "the price shown on the page");
            assert_eq!(offer["priceCurrency"], "EUR");
            assert_eq!(offer["url"], url);
            assert_eq!(offer["itemCondition"], "https://schema.org/NewCondition");
            let shipping = &offer["shippingDetails"];
            assert_eq!(shipping["@type"], "OfferShippingDetails");
            assert_eq!(shipping["shippingDestination"]["addressCountry"], country);
            assert_eq!(shipping["shippingRate"]["currency"], "EUR");
            assert!(shipping["shippingRate"]["value"].as_str().is_some());
            for time in ["handlingTime", "transitTime"] {
                let days = &shipping["deliveryTime"][time];
                assert_eq!(days["unitCode"], "DAY", "{time}");
                assert!(days["minValue"].as_u64() <= days["maxValue"].as_u64());
            }
            let returns = &offer["hasMerchantReturnPolicy"];
            assert_eq!(returns["applicableCountry"], country);
            assert_eq!(
                returns["returnPolicyCategory"],
                "https://schema.org/MerchantReturnFiniteReturnWindow"
            );
            assert_eq!(returns["merchantReturnDays"], 14);
            assert!(returns["returnMethod"].is_string() && returns["returnFees"].is_string());
        }
        let availability: Vec<&Value> = offers.iter().map(|o| &o["availability"]).collect();
        assert_eq!(
            availability[3], "https://schema.org/OutOfStock",
            "XL is sold out"
        );
        assert!(
            availability[..3]
                .iter()
                .all(|a| *a == "https://schema.org/InStock"
                    || *a == "https://schema.org/LimitedAvailability")
        );
        let trail = head.data_of_type("BreadcrumbList").expect("breadcrumbs");
        let items = trail["itemListElement"].as_array().unwrap();
        assert_eq!(items.last().unwrap()["item"], url);
        for (n, item) in items.iter().enumerate() {
            assert_eq!(item["position"], n + 1);
            assert!(item["name"].as_str().is_some_and(|n| !n.is_empty()));
        }
    }
}

/// A filter value no product can have names no listing (404), while tracking
/// parameters change nothing.
async fn filter_values_the_shop_has_not_are_not_found(db: TestStore) {
    let app = spawn_app(db).await;
    app.search_ready().await;
    for query in [
        "size=ZZZ",
        "colour=plaid",
        "theme=nothing",
        "cat=abc",
        "cat=987654",
        "price=nope",
        "price=10-25",
        "gender=martian",
        "age=ancient",
        "stock=yes",
    ] {
        let path = format!("/es/c/halloween?{query}");
        assert_eq!(app.get(&path).await.status, 404, "{path}");
        let search = format!("/es/buscar?q=bruja&{query}");
        assert_eq!(app.get(&search).await.status, 404, "{search}");
    }
    let filtered = app.get("/es/c/halloween?size=M&gender=women").await;
    assert_eq!(filtered.status, 200);
    assert!(Head::of(&filtered).noindex());
    let tracked = app
        .get("/es/c/halloween?utm_source=news&utm_medium=mail&gclid=abc&fbclid=def")
        .await;
    assert_eq!(tracked.status, 200);
    let head = Head::of(&tracked);
    assert_eq!(head.canonical(), Some(app.url("/es/c/halloween").as_str()));
    assert!(!head.noindex());
}

/// A sitemap file's `<url>` entries: (loc, lastmod), checked against the sitemap
/// protocol's schema: a `urlset` of the protocol's namespace holding only `url`
/// elements, each with one absolute `loc` under 2 048 characters and at most one
/// W3C date-time `lastmod`.
fn url_entries(xml: &str) -> Vec<(String, Option<DateTime<Utc>>)> {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .and_then(|rest| {
            rest.strip_prefix("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
        })
        .and_then(|rest| rest.strip_suffix("</urlset>\n"))
        .expect("an XML urlset of the sitemap namespace");
    body.lines()
        .map(|line| {
            let inner = line
                .strip_prefix("<url>")
                .and_then(|l| l.strip_suffix("</url>"))
                .unwrap_or_else(|| panic!("not a url element: {line}"));
            let loc = element(inner, "loc").expect("a loc");
            assert!(loc.starts_with("http://") && loc.len() < 2048, "{loc}");
            assert!(!loc.contains(['<', '>', '"', '\'', ' ']), "{loc}");
            let lastmod = element(inner, "lastmod").map(|text| {
                DateTime::parse_from_rfc3339(&text)
                    .unwrap_or_else(|e| panic!("lastmod {text}: {e}"))
                    .with_timezone(&Utc)
            });
            let mut rest = inner.replacen(&format!("<loc>{loc}</loc>"), "", 1);
            if let Some(text) = element(&rest, "lastmod") {
                rest = rest.replacen(&format!("<lastmod>{text}</lastmod>"), "", 1);
            }
            assert!(rest.is_empty(), "unexpected elements in {inner}");
            (loc.replace("&amp;", "&"), lastmod)
        })
        .collect()
}

fn element(xml: &str, name: &str) -> Option<String> {
    let start = xml.find(&format!("<{name}>"))? + name.len() + 2;
    let end = start + xml[start..].find(&format!("</{name}>"))?;
    Some(xml[start..end].to_owned())
}

async fn gunzipped(app: &TestApp, url: &str) -> String {
    let response = app.client.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    assert_eq!(response.headers()["content-type"], "application/gzip");
    let bytes = response.bytes().await.unwrap();
    let mut xml = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut xml)
        .expect("gzipped UTF-8");
    xml
}

/// Each site's sitemap index, named by robots.txt, lists its product sitemaps first;
/// every URL listed answers 200 and every product and category page is listed; a
/// change of a product moves its `lastmod`.
async fn sitemaps_list_every_page_and_follow_changes(db: TestStore) {
    let app = spawn_app(db).await;
    let robots = app.get("/robots.txt").await.body;
    for (prefix, ..) in SITES {
        let line = format!("Sitemap: {}\n", app.url(&format!("/{prefix}/sitemap.xml")));
        assert!(robots.contains(&line), "{robots}");
    }
    for (prefix, _, category, product, guide, privacy) in SITES {
        let index = app.get(&format!("/{prefix}/sitemap.xml")).await;
        assert_eq!(index.status, 200);
        assert_eq!(
            index.headers["content-type"],
            "application/xml; charset=utf-8"
        );
        assert!(
            index
                .body
                .contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
        );
        let files: Vec<String> = index
            .body
            .split("<sitemap>")
            .skip(1)
            .map(|entry| element(entry, "loc").unwrap())
            .collect();
        assert_eq!(
            files,
            [
                app.url(&format!("/{prefix}/sitemaps/products-1.xml.gz")),
                app.url(&format!("/{prefix}/sitemaps/pages.xml.gz")),
            ]
        );
        let mut urls = Vec::new();
        for file in &files {
            let entries = url_entries(&gunzipped(&app, file).await);
            assert!(entries.len() <= 50_000);
            urls.extend(entries);
        }
        let listed: HashSet<&str> = urls.iter().map(|(url, _)| url.as_str()).collect();
        assert_eq!(listed.len(), urls.len(), "{prefix}: no URL twice");
        for path in [
            format!("/{prefix}/"),
            format!("/{prefix}/c/{category}"),
            format!("/{prefix}/p/{product}"),
            format!("/{prefix}/{guide}"),
            format!("/{prefix}/{privacy}"),
        ] {
            assert!(listed.contains(app.url(&path).as_str()), "{path} is listed");
        }
        let products = urls.iter().filter(|(url, _)| url.contains("/p/")).count();
        assert!(products > 1_500, "{prefix}: {products} products listed");
        if prefix == "es" {
            // Every URL answers 200, eight at a time.
            let mut pending: Vec<String> = listed.iter().map(|url| url.to_string()).collect();
            while !pending.is_empty() {
                let batch: Vec<String> = pending.drain(..pending.len().min(8)).collect();
                let mut requests = tokio::task::JoinSet::new();
                for url in batch {
                    let client = app.client.clone();
                    requests.spawn(async move {
                        let status = client.get(&url).send().await.unwrap().status();
                        (url, status.as_u16())
                    });
                }
                while let Some(answer) = requests.join_next().await {
                    let (url, status) = answer.unwrap();
                    assert_eq!(status, 200, "{url}");
                }
            }
        }
    }
    assert_eq!(app.get("/es/sitemaps/products-9.xml.gz").await.status, 404);

    // A price change moves the product's lastmod, and its category's.
    let wig = app.url("/es/p/peluca-afro-multicolor");
    let lastmod_of_wig = |xml: &str| {
        url_entries(xml)
            .into_iter()
            .find(|(url, _)| *url == wig)
            .and_then(|(_, lastmod)| lastmod)
            .expect("the wig has a lastmod")
    };
    let products = app.url("/es/sitemaps/products-1.xml.gz");
    let before = lastmod_of_wig(&gunzipped(&app, &products).await);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    app.db.reprice("PEL-AFRO-MULTI", SiteCode::Es, 1555).await;
    let mut after = before;
    for _ in 0..50 {
        after = lastmod_of_wig(&gunzipped(&app, &products).await);
        if after > before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(after > before, "lastmod {before} → {after}");
    assert!(after <= Utc::now());
}
