//! Moving from Magento 1.9, on both backends: a product export (a realistic one in
//! `data/`, and small files with each of Magento's quirks) becomes products sold on
//! every site with their old URLs redirected; customers (a realistic export) are
//! imported with their address books, and each logs in with their old password,
//! which is then replaced by an argon2id hash. Bad rows are the readers' unit tests.
//! A running shop's database (the fixture `data/magento19.sql` in MariaDB) is
//! migrated in one go: its translated category tree, products and every old URL.

use comptoir_domain::staff::Role;
use comptoir_domain::{Locale, SiteCode};
use comptoir_e2e::{
    MagentoFixture, QuietMigration, Shopper, TestApp, TestStore, backoffice_config,
    default_networks, on_both_backends, spawn_app, spawn_backoffice,
};
use comptoir_magento::migration::{self, MigrationSettings};
use comptoir_magento::{MagentoDb, MagentoError, Report};
use comptoir_store::Actor;

on_both_backends! {
    a_magento_export_becomes_products_on_every_site,
    magento_store_codes_in_any_case_and_slashed_dates_are_read,
    magento_url_keys_comptoir_refuses_are_remade_and_their_old_urls_redirect,
    categories_a_magento_export_names_are_created_and_sell_its_products,
    magento_skus_with_spaces_and_symbols_are_sold_and_bought,
    magento_html_descriptions_show_as_html_without_what_is_unsafe,
    magento_stock_settings_decide_what_shoppers_may_buy,
    a_configurable_chosen_by_several_attributes_sells_each_combination_at_its_price,
    magento_sale_quantities_bound_what_one_cart_line_holds,
    magento_custom_options_are_picked_and_priced_in_the_cart,
    magento_facts_links_and_tier_prices_show_on_the_page_and_in_the_cart,
    magento_customers_log_in_with_their_old_passwords,
    a_short_magento_password_is_upgraded_at_the_first_login_too,
    a_magento_database_migrates_with_its_translations_and_every_old_url,
    a_dry_run_of_a_magento_migration_writes_nothing,
    an_older_magento_without_the_newer_tables_migrates_what_it_has,
    magento_cart_price_rules_become_promotions_and_those_that_cannot_are_listed,
}

/// Migrates `fixture` into `t`'s catalogue with the default settings.
async fn migrate(fixture: &MagentoFixture, t: &TestStore, dry_run: bool) -> Report {
    let settings = MigrationSettings {
        dry_run,
        media_dir: t.media_dir(),
        ..MigrationSettings::default()
    };
    migrate_with(fixture, t, &settings).await
}

async fn migrate_with(
    fixture: &MagentoFixture,
    t: &TestStore,
    settings: &MigrationSettings,
) -> Report {
    let db = MagentoDb::connect(&fixture.url, "").await.unwrap();
    migration::migrate(db, t.store.as_ref(), settings, &QuietMigration)
        .await
        .unwrap()
}

/// The report's counts of `kind`: read, created, updated, unchanged, left out.
fn counts(report: &Report, kind: &str) -> [usize; 5] {
    let counts = report
        .counts
        .iter()
        .find(|counts| counts.kind == kind)
        .unwrap_or_else(|| panic!("no counts of {kind}"));
    [
        counts.read,
        counts.created,
        counts.updated,
        counts.unchanged,
        counts.skipped,
    ]
}

/// Asserts that each old path answers 301 to a URL ending with its new path.
async fn assert_moved(shop: &TestApp, moves: &[(&str, &str)]) {
    for (old, new) in moves {
        let moved = shop.get(old).await;
        assert_eq!(moved.status, 301, "{old}");
        assert!(
            moved.location().ends_with(new),
            "{old}: {}",
            moved.location()
        );
    }
}

/// Whether the report says `words` about `entity` (`product 30`).
fn says(report: &Report, entity: &str, words: &str) -> bool {
    report
        .about(entity)
        .any(|problem| problem.message.contains(words))
}

/// The fixture shop, read from its database: each product in each store view's
/// language, the configurables with their children as variants, the category tree
/// with its translations; what cannot be migrated is reported by entity and id;
/// every old URL answers 301 to the new page of its store view's site; a re-run
/// updates what changed in Magento and duplicates nothing.
async fn a_magento_database_migrates_with_its_translations_and_every_old_url(t: TestStore) {
    let Some(fixture) = MagentoFixture::load("").await else {
        return;
    };
    // Magento's media folder holds the costume's photo and the CMS page's, not
    // the wig's.
    let magento_media = tempfile::tempdir().unwrap();
    let photo = t.media_dir().join("demo/dis-bruja-mujer-1.jpg");
    for copy in ["catalog/product/b/r/bruja.jpg", "wysiwyg/tienda.jpg"] {
        let to = magento_media.path().join(copy);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&photo, to).unwrap();
    }
    let settings = MigrationSettings {
        magento_media: Some(magento_media.path().to_owned()),
        media_dir: t.media_dir(),
        ..MigrationSettings::default()
    };
    let report = migrate_with(&fixture, &t, &settings).await;
    assert_eq!(counts(&report, "products"), [9, 4, 0, 0, 5], "{report:#?}");
    assert_eq!(
        counts(&report, "images"),
        [4, 2, 0, 0, 2],
        "the wig's two are missing"
    );
    assert!(t.media_dir().join("catalog/product/b/r/bruja.jpg").exists());
    assert!(t.media_dir().join("wysiwyg/tienda.jpg").exists());
    assert_eq!(
        counts(&report, "CMS pages"),
        [5, 0, 0, 0, 2],
        "home and no-route are Magento's"
    );
    assert!(says(
        &report,
        "CMS page 3",
        "{{block type=\"cms/block\" block_id=\"envios\"}} removed"
    ));
    assert!(says(
        &report,
        "CMS page 3",
        "{{skin url=\"images/logo.png\"}} removed"
    ));
    assert_eq!(
        counts(&report, "categories")[4],
        2,
        "the orphan and the inactive one"
    );
    assert_eq!(counts(&report, "customers"), [2, 2, 0, 0, 0]);
    assert_eq!(
        counts(&report, "newsletter subscribers"),
        [3, 2, 0, 0, 1],
        "the one who left is not read"
    );
    assert!(says(
        &report,
        "newsletter subscriber 4",
        "'not-an-address' is not an e-mail address"
    ));
    let subscribers = t.store.newsletter_subscribers().await.unwrap();
    assert_eq!(
        subscribers
            .iter()
            .map(|s| (s.email.as_str(), s.site))
            .collect::<Vec<_>>(),
        [
            ("lucia.garcia@example.com", SiteCode::Es),
            ("invite.guest@example.com", SiteCode::Fr)
        ]
    );
    assert_eq!(
        subscribers[0].subscribed_at.to_rfc3339(),
        "2024-11-02T10:15:00+00:00",
        "the date of her consent"
    );
    assert_eq!(counts(&report, "orders"), [2, 2, 0, 0, 0]);
    assert!(says(
        &report,
        "reviews",
        "3 reviews and 2 ratings not migrated"
    ));
    let lucia = t
        .store
        .customer_by_email("lucia.garcia@example.com")
        .await
        .unwrap()
        .unwrap();
    let book = t.store.addresses(lucia.id).await.unwrap();
    assert_eq!(book[0].address.street, "Calle Mayor 12, 3º B");
    let catalogue = t.store.load_catalogue().await.unwrap().catalogue;
    let costume = catalogue
        .products
        .iter()
        .find(|product| product.sku.as_str() == "BRUJA")
        .unwrap();
    let mut positions: Vec<i32> = costume.categories.iter().map(|(_, at)| *at).collect();
    positions.sort_unstable();
    assert_eq!(
        positions,
        [1, 2],
        "Magento's positions in Mujer and Disfraces"
    );
    for (entity, words) in [
        ("product 30", "a bundle product"),
        ("product 31", "a grouped product"),
        ("product 32", "a virtual product"),
        ("product 40", "without a SKU"),
        ("product 50", "child 999 is missing"),
        ("product 70", "description (store view 0) is not UTF-8"),
        (
            "product 10",
            "custom option 'Nombre bordado' (field) is not imported",
        ),
        ("category 8", "its parent 99 is missing"),
        ("category 9", "inactive"),
        ("store view 5", "no site"),
        (
            "URL producto-borrado.html",
            "product 888, which is not migrated",
        ),
    ] {
        assert!(says(&report, entity, words), "{entity}: {report:#?}");
    }
    let shop = spawn_app(t).await;
    for (page, name) in [
        ("/es/p/disfraz-bruja", "Disfraz de bruja"),
        ("/fr/p/deguisement-sorciere", "Déguisement de sorcière"),
        ("/pt/p/fantasia-bruxa", "Fantasia de bruxa"),
        ("/it/p/costume-strega", "Costume da strega"),
        ("/fr/p/chapeau-pirate", "Chapeau de pirate"),
        ("/es/p/mascara-veneciana", "Máscara veneciana"),
    ] {
        let product = shop.get(page).await;
        assert_eq!(product.status, 200, "{page}");
        assert!(product.body.contains(name), "{page}");
    }
    let witch = shop.get("/es/p/disfraz-bruja").await.body;
    assert!(witch.contains("M (+5,00"), "size M costs 5 € more");
    assert!(witch.contains("sombrero de bruja"), "its description");
    assert!(witch.contains("Con escoba"), "its custom option");
    let french = shop.get("/fr/p/deguisement-sorciere").await.body;
    assert!(
        french.contains("chapeau de sorcière"),
        "its French description"
    );
    assert!(french.contains("Balai") && french.contains("Avec balai"));
    let french_hat = shop.get("/fr/p/chapeau-pirate").await.body;
    assert!(
        french_hat.contains("16,99"),
        "the French store view's own price"
    );
    let hat = shop.get("/es/p/sombrero-pirata").await.body;
    assert!(hat.contains("14,99"), "the admin price elsewhere");
    let italian_hat = shop.get("/it/p/sombrero-pirata").await.body;
    assert!(
        italian_hat.contains("12,99"),
        "the Italian store view's own special price"
    );
    assert!(
        hat.contains("Negro") && hat.contains("Rojo"),
        "chosen by colour too"
    );
    assert_eq!(
        shop.get("/it/p/parrucca-bionda").await.status,
        404,
        "disabled in the Italian store view"
    );
    assert_moved(
        &shop,
        &[
            ("/es/disfraz-bruja.html", "/es/p/disfraz-bruja"),
            (
                "/es/disfraces/mujer/disfraz-bruja.html",
                "/es/p/disfraz-bruja",
            ),
            (
                "/fr/deguisements/femme/deguisement-sorciere.html",
                "/fr/p/deguisement-sorciere",
            ),
            ("/es/catalog/product/view/id/10", "/es/p/disfraz-bruja"),
            ("/it/catalog/product/view/id/12", "/it/p/costume-strega"),
            ("/es/bruja-halloween-2019.html", "/es/p/disfraz-bruja"),
            ("/es/ofertas/peluca.html", "/es/p/peluca-rubia"),
            ("/pt/peruca-loira.html", "/pt/p/peruca-loira"),
        ],
    )
    .await;
    for (old, heading) in [
        ("/fr/deguisements/femme.html", "Femme"),
        ("/es/disfraces/mujer.html", "Mujer"),
        ("/it/catalog/category/view/id/7", "Parrucche"),
    ] {
        let moved = shop.get(old).await;
        assert_eq!(moved.status, 301, "{old}");
        let category = shop.get(&moved.location_path()).await;
        assert_eq!(category.status, 200, "{old} → {}", moved.location());
        assert!(
            category.body.contains(heading),
            "{old} → {}",
            moved.location()
        );
    }
    // Staff change a price in Magento before the final run.
    fixture
        .execute(
            "UPDATE catalog_product_entity_decimal SET value = 32.9900              WHERE entity_id = 10 AND attribute_id = 75",
        )
        .await;
    // And rename the wigs' category, in Spanish (its path) and in French.
    fixture
        .execute(
            "UPDATE catalog_category_entity_varchar SET value = CASE store_id \
             WHEN 0 THEN 'Pelucas y postizos' ELSE 'Perruques et postiches' END \
             WHERE entity_id = 7 AND attribute_id = 41 AND store_id IN (0, 2)",
        )
        .await;
    let about = shop.get("/es/quienes-somos").await;
    assert_eq!(about.status, 200);
    assert!(about.body.contains("Vendemos disfraces desde 1998"));
    assert!(
        about
            .body
            .contains(r#"<a href="disfraces.html">novedades</a>"#),
        "a link to the old URL, which moved"
    );
    assert!(
        about
            .body
            .contains(r#"src="/static/media/wysiwyg/tienda.jpg""#)
    );
    assert!(!about.body.contains("{{"), "no directive left");
    assert_eq!(shop.get("/fr/qui-sommes-nous").await.status, 200);
    assert_eq!(
        shop.get("/es/qui-sommes-nous").await.status,
        404,
        "a French page"
    );
    assert_eq!(shop.get("/es/pagina-antigua").await.status, 404, "inactive");
    assert_eq!(
        shop.get("/es/block-envios").await.status,
        404,
        "a block is kept, not shown"
    );
    let shopper = Shopper::new(&shop.address);
    assert_eq!(
        shopper
            .log_in("lucia.garcia@example.com", "bruja2019")
            .await
            .status,
        303,
        "Lucía logs in with her Magento password"
    );
    // Her order of the old shop is in her account, with its old number.
    let account = shopper.get("/es/account").await.body;
    for words in [
        "Pedidos en nuestra tienda anterior",
        "100000021",
        "1 × Disfraz de bruja (BRUJA-M)",
        "Correos PK123456789ES",
    ] {
        assert!(account.contains(words), "{words}");
    }
    assert!(
        !account.contains("100000022"),
        "a guest's order is not hers"
    );
    // Staff find both in the back office, by number or e-mail address.
    let office = spawn_backoffice(
        TestStore::sharing(&shop.db).await,
        backoffice_config(default_networks(), std::time::Duration::from_secs(3600)),
    )
    .await;
    office
        .add_staff("pedidos@comptoir.test", Role::OrderManager)
        .await;
    let staff = office.logged_in("pedidos@comptoir.test").await;
    let found = staff.get("/orders?q=100000022").await.body;
    assert!(found.contains("Orders of the previous shop"), "{found}");
    assert!(found.contains("invitado@example.com"));
    let found = staff.get("/orders?q=lucia.garcia").await.body;
    assert!(found.contains("100000021") && found.contains("PK123456789ES"));
    let categories_before = shop.db.store.all_categories().await.unwrap().len();
    let again = migrate(&fixture, &shop.db, false).await;
    assert_eq!(counts(&again, "products"), [9, 0, 1, 3, 5]);
    assert_eq!(counts(&again, "customers"), [2, 0, 0, 2, 0]);
    assert_eq!(counts(&again, "newsletter subscribers"), [3, 0, 0, 2, 1]);
    assert_eq!(
        counts(&again, "orders"),
        [2, 0, 0, 2, 0],
        "an old order once"
    );
    assert_eq!(
        counts(&again, "pages written"),
        [4, 0, 0, 4, 0],
        "{again:#?}"
    );
    assert_eq!(
        counts(&again, "categories")[1..3],
        [0, 1],
        "renamed, not made twice: {again:#?}"
    );
    let categories = shop.db.store.all_categories().await.unwrap();
    assert_eq!(categories.len(), categories_before, "none made twice");
    let wigs = categories
        .iter()
        .find(|category| category.names[Locale::Es] == "Pelucas y postizos")
        .expect("the wigs' category under its new name");
    assert_eq!(wigs.names[Locale::Fr], "Perruques et postiches");
    assert_eq!(wigs.names[Locale::It], "Parrucche", "as it was");
}

/// Magento CE 1.4.0 kept orders in EAV tables (the flat ones came with 1.4.1),
/// and group prices came with 1.7; an install without them, nor the newsletter
/// or the reviews modules, migrates its catalogue and customers all the same,
/// and the report says what it had no table for.
async fn an_older_magento_without_the_newer_tables_migrates_what_it_has(t: TestStore) {
    let Some(fixture) = MagentoFixture::load("").await else {
        return;
    };
    fixture
        .execute(
            "DROP TABLE catalog_product_entity_group_price, newsletter_subscriber, \
             sales_flat_order, sales_flat_order_item, sales_flat_order_address, \
             sales_flat_order_payment, sales_flat_invoice, sales_flat_shipment, \
             sales_flat_shipment_track, review, rating_option_vote, tax_class, \
             catalog_product_super_attribute_pricing, salesrule_website",
        )
        .await;
    let report = migrate(&fixture, &t, false).await;
    assert_eq!(counts(&report, "products"), [9, 4, 0, 0, 5], "{report:#?}");
    assert_eq!(counts(&report, "customers"), [2, 2, 0, 0, 0]);
    assert_eq!(counts(&report, "newsletter subscribers"), [0; 5]);
    assert!(says(
        &report,
        "newsletter",
        "no newsletter_subscriber table"
    ));
    assert!(
        says(&report, "orders", "no sales_flat_order"),
        "{report:#?}"
    );
    assert!(says(
        &report,
        "cart price rules",
        "no salesrule_website table (Magento before 1.7?)"
    ));
    let catalogue = t.store.load_catalogue().await.unwrap().catalogue;
    let wig = catalogue
        .products
        .iter()
        .find(|product| product.sku.as_str() == "PELUCA-RUBIA")
        .unwrap();
    assert_eq!(
        wig.price_tiers.len(),
        1,
        "its tier, without the group's price"
    );
}

/// A dry run reads and checks the whole shop and reports as a migration would,
/// but writes nothing.
async fn a_dry_run_of_a_magento_migration_writes_nothing(t: TestStore) {
    let Some(fixture) = MagentoFixture::load("").await else {
        return;
    };
    let categories = t.store.category_paths().await.unwrap();
    let report = migrate(&fixture, &t, true).await;
    assert_eq!(counts(&report, "products"), [9, 0, 0, 0, 5]);
    assert!(says(&report, "product 30", "a bundle product"));
    assert_eq!(t.store.category_paths().await.unwrap(), categories);
    assert_eq!(
        t.store
            .redirect_target(SiteCode::Es, "disfraz-bruja.html")
            .await
            .unwrap(),
        None
    );
}

/// What keeps a migration from starting is told at once: a server that does not
/// answer, a wrong password, a database that is not Magento's (its missing
/// tables listed), a store code the shop lacks. Tables with a prefix are found.
#[tokio::test]
async fn a_magento_database_that_cannot_be_read_is_told_at_once() {
    let Some(fixture) = MagentoFixture::load("mage_").await else {
        return;
    };
    let error = |result: Result<MagentoDb, MagentoError>| match result {
        Ok(_) => panic!("connected"),
        Err(error) => error.to_string(),
    };
    let closed = error(MagentoDb::connect("mysql://root@127.0.0.1:1/magento", "").await);
    assert!(
        closed.starts_with("cannot reach the Magento database 'magento' on 127.0.0.1:1"),
        "{closed}"
    );
    let wrong_password = fixture.url.replacen("root@", "root:wrong@", 1);
    let refused = error(MagentoDb::connect(&wrong_password, "mage_").await);
    assert!(refused.contains("Access denied"), "{refused}");
    assert!(
        !refused.contains("wrong"),
        "the password is not shown: {refused}"
    );
    let unprefixed = error(MagentoDb::connect(&fixture.url, "").await);
    assert!(
        unprefixed.starts_with("not a Magento 1.x database: it lacks the tables core_store,"),
        "{unprefixed}"
    );
    let empty = MagentoFixture::empty().await.unwrap();
    assert!(error(MagentoDb::connect(&empty.url, "").await).contains("cms_page"));
    let mut db = MagentoDb::connect(&fixture.url, "mage_").await.unwrap();
    let sites =
        comptoir_import::magento_products::StoreSites::parse("admin=es,default=es,es=es").unwrap();
    let unknown = comptoir_magento::stores::Stores::read(&mut db, Some(&sites))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        unknown.contains(
            "store code es which the Magento shop lacks (it has: default, fr, pt, it, de)"
        ),
        "{unknown}"
    );
    let stores = comptoir_magento::stores::Stores::read(&mut db, None)
        .await
        .unwrap();
    assert_eq!(stores.mapped().count(), 4, "default, fr, pt, it");
    db.close().await;
}

async fn a_magento_export_becomes_products_on_every_site(t: TestStore) {
    use comptoir_domain::SiteCode;
    let paths = t.store.category_paths().await.unwrap();
    let file = std::fs::File::open(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/magento_products.csv"
    ))
    .unwrap();
    let sites = comptoir_import::magento_products::MagentoSettings::default();
    let imported = comptoir_import::magento_products::read(file, &paths, &sites)
        .unwrap()
        .all_or_nothing()
        .unwrap();
    let products = &imported.products;
    assert_eq!(
        products.len(),
        2,
        "the children are the costume's variants, not products"
    );
    let costume = &products[0];
    assert_eq!(costume.sku.as_str(), "DIS-CALABAZA");
    let sizes: Vec<_> = costume
        .variants
        .iter()
        .map(|v| (v.size.clone().unwrap(), v.stock))
        .collect();
    assert_eq!(
        sizes,
        [
            ("M".to_owned(), 12),
            ("L".to_owned(), 0),
            ("XL".to_owned(), 5)
        ]
    );
    assert_eq!(costume.categories.len(), 2, "Halloween and Carnaval");
    assert_eq!(costume.images.len(), 2);
    let es = costume.sites[SiteCode::Es.index()].as_ref().unwrap();
    assert_eq!(
        (es.price.cents(), es.sale.unwrap().price.cents()),
        (2_999, 2_499)
    );
    assert_eq!(
        es.sale.unwrap().last_day().unwrap().to_string(),
        "2026-10-31"
    );
    assert_eq!(
        costume.meta[Locale::Fr].title,
        "Déguisement citrouille Halloween"
    );
    assert!(
        costume.meta[Locale::Pt].title.is_empty(),
        "no Portuguese meta title: the page makes its own, not the Spanish one"
    );
    assert!(!products[1].enabled, "status 2 is disabled");
    assert_eq!(
        products[1].url_keys[Locale::It],
        "peluca-arcoiris",
        "no Italian view: the admin scope"
    );

    let outcome = t
        .store
        .import_products(&imported, &comptoir_store::Actor::command_line(), &|_| {})
        .await
        .unwrap();
    assert_eq!(
        outcome,
        comptoir_store::ProductImportOutcome::Done {
            created: 2,
            updated: 0,
            unchanged: 0,
            categories_created: 0,
        }
    );
    let shop = spawn_app(t).await;
    let page = shop.get("/fr/p/deguisement-de-citrouille").await;
    assert_eq!(page.status, 200);
    let head = comptoir_e2e::Head::of(&page);
    assert_eq!(head.title, "Déguisement citrouille Halloween · Comptoir");
    assert_eq!(
        head.description(),
        Some("Déguisement de citrouille orange avec bonnet vert, du M au XL.")
    );
    let portuguese = comptoir_e2e::Head::of(&shop.get("/pt/p/fantasia-de-abobora").await);
    assert_eq!(portuguese.title, "Fantasia de abóbora · Comptoir");
    assert_eq!(
        portuguese.description(),
        Some("Fantasia de abóbora com capuz.")
    );
    assert!(page.body.contains("Déguisement de citrouille"));
    assert!(page.body.contains("29,99"));
    assert!(
        page.body.contains("DIS-CALABAZA-XL"),
        "the sizes can be chosen"
    );
    assert_eq!(shop.get("/it/p/costume-da-zucca").await.status, 200);
    for (old, new) in [
        (
            "/fr/deguisement-de-citrouille.html",
            "/fr/p/deguisement-de-citrouille",
        ),
        (
            "/fr/halloween/deguisement-de-citrouille.html",
            "/fr/p/deguisement-de-citrouille",
        ),
        ("/es/disfraz-de-calabaza.html", "/es/p/disfraz-de-calabaza"),
        (
            "/it/halloween/costume-da-zucca.html",
            "/it/p/costume-da-zucca",
        ),
    ] {
        let moved = shop.get(old).await;
        assert_eq!(moved.status, 301, "{old}");
        assert!(
            moved.location().ends_with(new),
            "{old} → {}",
            moved.location()
        );
    }
    // Magento's category URLs, made from the admin names, on every site.
    assert!(
        imported
            .old_category_paths
            .iter()
            .any(|old| old.site == SiteCode::It && old.path == "pelucas/pelucas-de-colores.html")
    );
    for (old, new) in [
        ("/fr/pelucas/pelucas-de-colores.html", "/fr/c/"),
        ("/es/pelucas.html", "/es/c/pelucas"),
        ("/pt/halloween.html", "/pt/c/"),
    ] {
        let moved = shop.get(old).await;
        assert_eq!(moved.status, 301, "{old}");
        let location = moved.location();
        assert!(location.contains(new), "{old} → {location}");
        let path = &location[location.find(new).unwrap()..];
        assert_eq!(shop.get(path).await.status, 200, "{old} → {location}");
    }
    assert_eq!(
        shop.get("/fr/disfraz-de-calabaza-inexistente.html")
            .await
            .status,
        404
    );
    assert_eq!(
        shop.get("/es/p/peluca-arcoiris").await.status,
        404,
        "disabled"
    );

    let bad = "sku,_store,_type,name,price,status,visibility,url_key,qty,_category\nX-1,,simple,X,12.3456,3,5,x-1,1.5000,Nada\nY-1,,simple,Y,1.0000,1,4,y-1,1,\nY-1,,simple,Y,1.0000,1,4,y-2,1,\n";
    let errors = comptoir_import::magento_products::read(bad.as_bytes(), &paths, &sites)
        .unwrap()
        .all_or_nothing()
        .unwrap_err();
    let all: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    for expected in [
        "status '3'",
        "visibility '5'",
        "price '12.3456'",
        "qty '1.5000'",
        "SKU 'Y-1' appears twice (first on line 3)",
    ] {
        assert!(
            all.iter().any(|m| m.contains(expected)),
            "{expected} in {all:?}"
        );
    }
}

/// Magento mixes the case of store codes (`Default`, `FR`) and writes dates with
/// slashes (`10/20/2026`, month first as PHP reads it, or `2026/10/31`): an export
/// written so imports as one written the usual way.
async fn magento_store_codes_in_any_case_and_slashed_dates_are_read(t: TestStore) {
    use comptoir_domain::SiteCode;
    let usual = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/magento_products.csv"
    ))
    .unwrap();
    let quirky = usual
        .replace(",fr,", ",FR,")
        .replace(",pt,", ",Pt,")
        .replace("2026-10-20 00:00:00", "10/20/2026 00:00:00")
        .replace("2026-10-31 00:00:00", "2026/10/31");
    assert_ne!(quirky, usual);
    let paths = t.store.category_paths().await.unwrap();
    let sites = comptoir_import::magento_products::MagentoSettings::default();
    let read = |text: &str| {
        comptoir_import::magento_products::read(text.as_bytes(), &paths, &sites)
            .unwrap()
            .all_or_nothing()
            .unwrap()
    };
    let imported = read(&quirky);
    assert_eq!(
        imported,
        read(&usual),
        "read the same as the usual spelling"
    );
    let costume = &imported.products[0];
    assert_eq!(costume.names[Locale::Fr], "Déguisement de citrouille");
    assert_eq!(costume.names[Locale::Pt], "Fantasia de abóbora");
    let sale = costume.sites[SiteCode::Es.index()]
        .as_ref()
        .unwrap()
        .sale
        .unwrap();
    assert_eq!(sale.last_day().unwrap().to_string(), "2026-10-31");
    let outcome = t
        .store
        .import_products(&imported, &comptoir_store::Actor::command_line(), &|_| {})
        .await
        .unwrap();
    assert!(
        matches!(
            outcome,
            comptoir_store::ProductImportOutcome::Done { created: 2, .. }
        ),
        "{outcome:?}"
    );
}

/// URL keys Magento accepts and Comptoir does not (accents, `&`, a trailing hyphen)
/// are made again from themselves, and a key two products share gives the second
/// Magento's unique `url_path`: each product is sold at its key, and its old URL, as
/// a browser sends it (percent-encoded), answers 301 there.
async fn magento_url_keys_comptoir_refuses_are_remade_and_their_old_urls_redirect(t: TestStore) {
    let file = "sku,_store,_type,name,price,status,visibility,url_key,url_path,qty\n\
                SILLA-CAFE,,simple,Silla café,9.9900,1,4,silla-café,silla-café.html,1.0000\n\
                SOFA-3,,simple,Sofá de 3 plazas,9.9900,1,4,sofa-3-plazas-,sofa-3-plazas-.html,1.0000\n\
                AMB-1,,simple,Ambrosía,9.9900,1,4,ambrosia,ambrosia.html,1.0000\n\
                AMB-2,,simple,Ambrosía roja,9.9900,1,4,ambrosia,ambrosia-575.html,1.0000\n";
    let paths = t.store.category_paths().await.unwrap();
    let sites = comptoir_import::magento_products::MagentoSettings::default();
    let read = comptoir_import::magento_products::read(file.as_bytes(), &paths, &sites).unwrap();
    assert!(read.rejected.is_empty(), "{:?}", read.rejected);
    let row_notes = read.notes.iter().filter(|note| note.line > 1).count();
    assert_eq!(row_notes, 3, "{:?}", read.notes);
    t.store
        .import_products(
            &read.records,
            &comptoir_store::Actor::command_line(),
            &|_| {},
        )
        .await
        .unwrap();
    let shop = spawn_app(t).await;
    assert_eq!(shop.get("/es/p/silla-cafe").await.status, 200);
    assert_moved(
        &shop,
        &[
            ("/es/silla-caf%C3%A9.html", "/es/p/silla-cafe"),
            ("/fr/sofa-3-plazas-.html", "/fr/p/sofa-3-plazas"),
            ("/es/ambrosia.html", "/es/p/ambrosia"),
            ("/es/ambrosia-575.html", "/es/p/ambrosia-575"),
        ],
    )
    .await;
}

/// A Magento export's `_category` paths under `Default Category` that the tree
/// lacks are created (with their missing parents, once), named as in the file in
/// every language; their pages list the products, their old URLs redirect, and
/// importing the file again creates nothing more.
async fn categories_a_magento_export_names_are_created_and_sell_its_products(t: TestStore) {
    let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,_root_category,_category\n\
                CAPA-VAMPIRO,,simple,Capa de vampiro,19.9900,1,4,capa-de-vampiro,3.0000,Default Category,Disfraces Magento/Adultos\n\
                ,,,,,,,,,Default Category,Disfraces Magento\n\
                GORRO-BRUJA,,simple,Gorro de bruja,9.9900,1,4,gorro-de-bruja,2.0000,Default Category,disfraces magento/adultos\n";
    let sites = comptoir_import::magento_products::MagentoSettings::default();
    let read = |paths| {
        comptoir_import::magento_products::read(file.as_bytes(), paths, &sites)
            .unwrap()
            .all_or_nothing()
            .unwrap()
    };
    let before = t.store.category_paths().await.unwrap();
    let imported = read(&before);
    let new: Vec<&str> = imported
        .new_categories
        .iter()
        .map(|c| c.path.as_str())
        .collect();
    assert_eq!(new, ["Disfraces Magento", "Disfraces Magento/Adultos"]);
    let by = Actor::command_line();
    let outcome = t
        .store
        .import_products(&imported, &by, &|_| {})
        .await
        .unwrap();
    assert!(
        matches!(
            outcome,
            comptoir_store::ProductImportOutcome::Done {
                created: 2,
                categories_created: 2,
                ..
            }
        ),
        "{outcome:?}"
    );
    let after = t.store.category_paths().await.unwrap();
    assert_eq!(after.len(), before.len() + 2);
    let again = read(&after);
    assert!(
        again.new_categories.is_empty(),
        "{:?}",
        again.new_categories
    );
    let categories = t.store.all_categories().await.unwrap();
    let adults = categories
        .iter()
        .find(|c| c.id == after["Disfraces Magento/Adultos"])
        .unwrap();
    assert_eq!(
        adults.names[Locale::It],
        "Adultos",
        "the admin name in every language"
    );
    assert_eq!(adults.url_keys[Locale::Fr], "adultos");

    let shop = spawn_app(t).await;
    let page = shop.get("/es/c/disfraces-magento/adultos").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Capa de vampiro"), "{}", page.body);
    assert!(page.body.contains("Gorro de bruja"));
    let moved = shop.get("/fr/disfraces-magento/adultos.html").await;
    assert_eq!(moved.status, 301);
    assert!(
        moved
            .location()
            .ends_with("/fr/c/disfraces-magento/adultos"),
        "{}",
        moved.location()
    );
}

/// SKUs Magento accepts (spaces, `<`, long ones) are sold and bought: the product
/// page offers them and the cart takes them.
async fn magento_skus_with_spaces_and_symbols_are_sold_and_bought(t: TestStore) {
    let long = format!("TRAJE {}", "ROJO-XL <B> ".repeat(8).trim_end());
    let file = format!(
        "sku,_store,_type,name,price,status,visibility,url_key,qty\n\
         Kit Pirata <2>,,simple,Kit pirata,9.9900,1,4,kit-pirata,5.0000\n\
         {long},,simple,Traje rojo,19.9900,1,4,traje-rojo,5.0000\n"
    );
    t.import_magento(&file).await;
    let shop = spawn_app(t).await;
    for (url, sku) in [
        ("/es/p/kit-pirata", "KIT PIRATA <2>".to_owned()),
        ("/es/p/traje-rojo", long.to_ascii_uppercase()),
    ] {
        let shopper = Shopper::new(&shop.address);
        let page = shopper.get(url).await;
        assert_eq!(page.status, 200, "{url}");
        assert!(!page.body.contains("<2>"), "the SKU is escaped in the page");
        let variant = page
            .hidden("variant")
            .expect("the page's form names the article");
        assert_eq!(variant, sku);
        let added = shopper
            .post("/es/cart/add", &[("variant", &variant), ("quantity", "2")])
            .await;
        assert_eq!(added.status, 303, "{sku}: {}", added.body);
        let cart = shopper.get("/es/cart").await;
        assert!(
            cart.body.contains("name=\"quantity\" value=\"2\""),
            "{sku} in the cart: {}",
            cart.body
        );
    }
}

/// Magento's descriptions are HTML: the page shows their headings, emphasis and
/// lists (entities decoded), never their scripts or handlers; the meta description
/// and search read their text.
async fn magento_html_descriptions_show_as_html_without_what_is_unsafe(t: TestStore) {
    let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,description\n\
                TELEFONO,,simple,Teléfono retro,9.9900,1,4,telefono-retro,3.0000,\"<h1>Le t&eacute;l&eacute;phone</h1>\
                <p onclick=\"\"steal()\"\">Un <strong>vrai</strong> cadran.</p><ul><li>Rouge</li></ul>\
                <script>alert('x')</script><img src=x onerror=alert(1)>\"\n";
    t.import_magento(file).await;
    let shop = spawn_app(t).await;
    let page = shop.get("/fr/p/telefono-retro").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(
            "<h3>Le téléphone</h3><p>Un <strong>vrai</strong> cadran.</p><ul><li>Rouge</li></ul>"
        ),
        "{}",
        page.body
    );
    for unsafe_part in ["steal()", "alert(", "onerror", "&lt;h1&gt;"] {
        assert!(!page.body.contains(unsafe_part), "{unsafe_part}");
    }
    assert_eq!(
        comptoir_e2e::Head::of(&page).description(),
        Some("Le téléphone Un vrai cadran. Rouge")
    );
}

/// An article Magento marks out of stock is not sold whatever its `qty`; one whose
/// stock Magento does not manage is sold with none; one with backorders beyond it.
async fn magento_stock_settings_decide_what_shoppers_may_buy(t: TestStore) {
    let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,is_in_stock,\
                manage_stock,use_config_manage_stock,backorders,use_config_backorders\n\
                AGOTADO,,simple,Capa agotada,9.9900,1,4,capa-agotada,5.0000,0,0,1,0,1\n\
                A-MEDIDA,,simple,Capa a medida,9.9900,1,4,capa-a-medida,0.0000,0,0,0,0,1\n\
                ENCARGO,,simple,Capa por encargo,9.9900,1,4,capa-por-encargo,0.0000,1,1,0,1,0\n";
    t.import_magento(file).await;
    let shop = spawn_app(t).await;
    let shopper = Shopper::new(&shop.address);
    let add = |sku: &'static str| {
        let shopper = &shopper;
        async move {
            shopper
                .post("/es/cart/add", &[("variant", sku), ("quantity", "3")])
                .await
        }
    };
    let buy_row = "class=\"buy-row\"";
    let sold_out = shopper.get("/es/p/capa-agotada").await;
    assert!(!sold_out.body.contains(buy_row), "no quantity to choose");
    assert_eq!(add("AGOTADO").await.status, 409, "out of stock in Magento");
    for (page, sku) in [
        ("/es/p/capa-a-medida", "A-MEDIDA"),
        ("/es/p/capa-por-encargo", "ENCARGO"),
    ] {
        assert!(shopper.get(page).await.body.contains(buy_row), "{sku}");
        let added = add(sku).await;
        assert_eq!(added.status, 303, "{sku}");
        assert_eq!(added.location_path(), "/es/cart?notice=added", "{sku}");
    }
    let cart = shopper.get("/es/cart").await;
    assert!(
        cart.body.contains("Capa a medida") && cart.body.contains("Capa por encargo"),
        "{}",
        cart.body
    );
    assert!(!cart.body.contains("Capa agotada"));
}

/// A configurable with a size and a gender (Magento's super attributes) offers a
/// group of each on its page; the cart takes each combination that exists, at
/// its price with the size's surcharge, and refuses the others with a reason.
async fn a_configurable_chosen_by_several_attributes_sells_each_combination_at_its_price(
    t: TestStore,
) {
    let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,talla,genero,\
                _super_products_sku,_super_attribute_code,_super_attribute_option,_super_attribute_price_corr\n\
                DIS-M-H,,simple,Disfraz M hombre,20.0000,1,1,dis-m-h,3.0000,M,Hombre,,,,\n\
                DIS-XXL-H,,simple,Disfraz XXL hombre,20.0000,1,4,dis-xxl-h,2.0000,XXL,Hombre,,,,\n\
                DIS-M-M,,simple,Disfraz M mujer,20.0000,1,1,dis-m-m,1.0000,M,Mujer,,,,\n\
                DIS,,configurable,Disfraz,20.0000,1,4,disfraz,,,,DIS-M-H,talla,XXL,5.0000\n\
                ,,,,,,,,,,,DIS-XXL-H,genero,Hombre,\n\
                ,,,,,,,,,,,DIS-M-M,,,\n";
    t.import_magento(file).await;
    // Read again as it is, the import changes nothing.
    t.import_magento(file).await;
    let shop = spawn_app(t).await;
    let shopper = Shopper::new(&shop.address);
    let page = shopper.get("/es/p/disfraz").await;
    assert_eq!(page.status, 200);
    for part in [
        "name=\"choice-size\" value=\"XXL\"",
        "name=\"choice-genero\" value=\"Mujer\"",
        "<legend>Genero",
        "El precio depende de las opciones elegidas.",
    ] {
        assert!(page.body.contains(part), "{part}: {}", page.body);
    }
    let product = page.hidden("product").expect("the form names the product");
    let add = |size: &'static str, gender: &'static str| {
        let (shopper, product) = (&shopper, product.clone());
        async move {
            shopper
                .post(
                    "/es/cart/add",
                    &[
                        ("product", product.as_str()),
                        ("choice-size", size),
                        ("choice-genero", gender),
                        ("quantity", "1"),
                    ],
                )
                .await
        }
    };
    let missing = add("M", "").await;
    assert_eq!(missing.status, 422);
    assert!(missing.body.contains("Elige genero"), "{}", missing.body);
    let impossible = add("XXL", "Mujer").await;
    assert_eq!(impossible.status, 422);
    assert!(
        impossible
            .body
            .contains("Esta combinación no está disponible")
    );
    assert_eq!(add("XXL", "Hombre").await.status, 303);
    assert_eq!(add("M", "Mujer").await.status, 303);
    let cart = shopper.get("/es/cart").await;
    for part in [
        "Disfraz · Talla XXL · Genero Hombre",
        "25,00\u{a0}€",
        "Disfraz · Talla M · Genero Mujer",
        "20,00\u{a0}€",
    ] {
        assert!(cart.body.contains(part), "{part}: {}", cart.body);
    }
    // The child Magento showed on its own leads to the configurable.
    let moved = shopper.get("/es/dis-xxl-h.html").await;
    assert_eq!(moved.status, 301);
    assert_eq!(moved.location_path(), "/es/p/disfraz");
}

/// Balloons Magento sells 10 to 15 at a time (the shop's own limit per line is 20): the page starts at 10, the cart
/// refuses fewer and more, and takes what lies between.
async fn magento_sale_quantities_bound_what_one_cart_line_holds(t: TestStore) {
    let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,\
                min_sale_qty,use_config_min_sale_qty,max_sale_qty,use_config_max_sale_qty\n\
                GLOBOS,,simple,Globos,0.5000,1,4,globos,100.0000,10.0000,0,15.0000,0\n";
    t.import_magento(file).await;
    let shop = spawn_app(t).await;
    let shopper = Shopper::new(&shop.address);
    let page = shopper.get("/es/p/globos").await;
    assert!(
        page.body
            .contains("name=\"quantity\" value=\"10\" min=\"10\""),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Este artículo se vende a partir de 10 unidades.")
    );
    let add = |quantity| add_balloons(&shopper, quantity);
    let too_few = add("9").await;
    assert_eq!(too_few.status, 422);
    assert!(
        too_few.body.contains("a partir de 10 unidades"),
        "{}",
        too_few.body
    );
    let too_many = add("16").await;
    assert_eq!(too_many.status, 422);
    assert!(
        too_many.body.contains("como máximo 15 unidades"),
        "{}",
        too_many.body
    );
    assert_eq!(add("10").await.status, 303);
    // 5 more make 15: within the limits.
    assert_eq!(add("5").await.status, 303);
    let cart = shopper.get("/es/cart").await;
    assert!(
        cart.body.contains("name=\"quantity\" value=\"15\""),
        "{}",
        cart.body
    );
}

/// A wig with Magento custom options: a required length (the long one costs
/// 3 € more) and optional gift wrapping; a name to print is not taken. The page
/// offers them, the cart insists on the required one and prices what is picked,
/// one line per set of picks, each changed and removed on its own.
async fn magento_custom_options_are_picked_and_priced_in_the_cart(t: TestStore) {
    let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,\
                _custom_option_store,_custom_option_type,_custom_option_title,_custom_option_is_required,\
                _custom_option_sort_order,_custom_option_row_title,_custom_option_row_price,_custom_option_row_sort\n\
                PELUCA,,simple,Peluca,9.9900,1,4,peluca,20.0000,,drop_down,Longitud,1,1,Corta,0.0000,1\n\
                ,,,,,,,,,,,,,,Larga,3.0000,2\n\
                ,,,,,,,,,,radio,Envoltorio,0,2,Sí,1.5000,1\n\
                ,,,,,,,,,,field,Nombre,0,3,,,\n\
                ,,,,,,,,,fr,,Longueur,,,Courte,,\n";
    t.import_magento(file).await;
    let shop = spawn_app(t).await;
    let shopper = Shopper::new(&shop.address);
    let page = shopper.get("/es/p/peluca").await;
    for part in [
        "<legend>Longitud</legend>",
        "<legend>Envoltorio (opcional)</legend>",
        "Larga (+3,00\u{a0}€)",
        "Sin esta opción",
    ] {
        assert!(page.body.contains(part), "{part}: {}", page.body);
    }
    assert!(
        !page.body.contains("Nombre"),
        "a text option is not offered"
    );
    let field = |title: &str| {
        let at = page.body.find(&format!("<legend>{title}")).unwrap();
        let name_at = page.body[at..].find("name=\"option-").unwrap() + at + 6;
        page.body[name_at..].split('"').next().unwrap().to_owned()
    };
    let value = |label: &str| {
        let at = page.body.find(label).unwrap();
        let before = &page.body[..at];
        let value_at = before.rfind("value=\"").unwrap() + 7;
        before[value_at..].split('"').next().unwrap().to_owned()
    };
    let (length, wrap) = (field("Longitud"), field("Envoltorio"));
    let (short, long, yes) = (value("Corta<"), value("Larga ("), value("Sí ("));
    let add = |picks: Vec<(String, String)>| {
        let shopper = &shopper;
        async move {
            let mut form = vec![("variant".to_owned(), "PELUCA".to_owned())];
            form.push(("quantity".to_owned(), "1".to_owned()));
            form.extend(picks);
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            shopper.post("/es/cart/add", &form).await
        }
    };
    let without = add(vec![(wrap.clone(), yes.clone())]).await;
    assert_eq!(without.status, 422);
    assert!(without.body.contains("Elige longitud"), "{}", without.body);
    let forged = add(vec![(length.clone(), yes.clone())]).await;
    assert_eq!(forged.status, 422);
    assert_eq!(
        add(vec![(length.clone(), long), (wrap, yes)]).await.status,
        303
    );
    assert_eq!(add(vec![(length, short)]).await.status, 303);
    let cart = shopper.get("/es/cart").await;
    for part in [
        "Peluca · Longitud: Larga · Envoltorio: Sí",
        "14,49\u{a0}€",
        "Peluca · Longitud: Corta",
        "9,99\u{a0}€",
    ] {
        assert!(cart.body.contains(part), "{part}: {}", cart.body);
    }
    // The short wig's line: removed on its own.
    let at = cart.body.find("Longitud: Corta").unwrap();
    let marker = "name=\"options\" value=\"";
    let options_at = cart.body[at..].find(marker).unwrap() + at + marker.len();
    let picks = cart.body[options_at..]
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let removed = shopper
        .post(
            "/es/cart/remove",
            &[("variant", "PELUCA"), ("options", &picks)],
        )
        .await;
    assert_eq!(removed.status, 303);
    let cart = shopper.get("/es/cart").await;
    assert!(!cart.body.contains("Longitud: Corta"), "{}", cart.body);
    assert!(cart.body.contains("Longitud: Larga"));
    // Picks the product does not offer, forged into the cart's own form.
    let forged = shopper
        .post(
            "/es/cart/update",
            &[
                ("variant", "PELUCA"),
                ("options", "999:1"),
                ("quantity", "2"),
            ],
        )
        .await;
    assert_eq!(forged.status, 422);
    assert!(forged.body.contains("Esta combinación no está disponible"));
}

/// A Magento product with its facts, a related product and a price from ten units:
/// the page tells them (short description, brand, barcode, weight, "new", the
/// tier), suggests the related one first, and the cart charges the tier's price
/// from ten units and suggests the cross-sell.
async fn magento_facts_links_and_tier_prices_show_on_the_page_and_in_the_cart(t: TestStore) {
    let file = "sku,_store,_type,name,price,status,visibility,url_key,qty,\
                short_description,manufacturer,ean,weight,news_from_date,\
                _links_related_sku,_links_related_position,\
                _tier_price_website,_tier_price_customer_group,_tier_price_qty,_tier_price_price,\
                _links_crosssell_sku,_links_crosssell_position\n\
                GLOBOS,,simple,Globos,5.0000,1,4,globos,100.0000,<p>Bolsa de <b>50</b> globos</p>,\
                Smiffys,4006381333931,0.3500,2020-01-01 00:00:00,banderines,1,all,all,10.0000,4.0000,\
                hinchador,1\n\
                BANDERINES,,simple,Banderines,3.0000,1,4,banderines,20.0000,,,,,,,,,,,,,\n\
                HINCHADOR,,simple,Hinchador,6.0000,1,4,hinchador,20.0000,,,,,,,,,,,,,\n";
    t.import_magento(file).await;
    let shop = spawn_app(t).await;
    let shopper = Shopper::new(&shop.address);
    let page = shopper.get("/es/p/globos").await;
    assert_eq!(page.status, 200);
    for shown in [
        "<div class=\"short-description\"><p>Bolsa de <b>50</b> globos</p></div>",
        "<p class=\"product-brand\">Smiffys</p>",
        "<dd>4006381333931</dd>",
        "<dd>350\u{a0}g</dd>",
        "Novedad",
        "A partir de 10 unidades: 4,00",
        "/es/p/banderines\"",
        "\"brand\":{\"@type\":\"Brand\",\"name\":\"Smiffys\"}",
        "\"gtin\":\"4006381333931\"",
    ] {
        assert!(page.body.contains(shown), "{shown} in {}", page.body);
    }
    let french = shopper.get("/fr/p/globos").await;
    assert!(
        french.body.contains("À partir de 10 unités\u{a0}: 4,00"),
        "{}",
        french.body
    );

    let add = |quantity| add_balloons(&shopper, quantity);
    assert_eq!(add("9").await.status, 303);
    let nine = shopper.get("/es/cart").await;
    assert!(nine.body.contains("45,00"), "9 × 5,00: {}", nine.body);
    assert_eq!(add("1").await.status, 303);
    let ten = shopper.get("/es/cart").await;
    assert!(ten.body.contains("40,00"), "10 × 4,00: {}", ten.body);
    assert!(
        ten.body.contains("Completa tu pedido") && ten.body.contains("/es/p/hinchador\""),
        "the cross-sell is suggested: {}",
        ten.body
    );
    assert!(!ten.body.contains("50,00"), "{}", ten.body);
}

/// Adds `quantity` units of the balloons (`GLOBOS`) of the quantity tests to the
/// Spanish cart.
async fn add_balloons(shopper: &Shopper, quantity: &str) -> comptoir_e2e::Page {
    shopper
        .post(
            "/es/cart/add",
            &[("variant", "GLOBOS"), ("quantity", quantity)],
        )
        .await
}

const EXPORT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/magento_customers.csv");

async fn magento_customers_log_in_with_their_old_passwords(t: TestStore) {
    let read = comptoir_import::magento_customers::read(
        std::fs::File::open(EXPORT).unwrap(),
        &comptoir_import::magento_products::StoreSites::default(),
    )
    .unwrap();
    assert_eq!(read.notes.len(), 1, "the address in Germany is left out");
    let file = read.all_or_nothing().unwrap();
    assert_eq!(file.customers.len(), 3);
    let by = Actor::command_line();
    let report = t
        .store
        .import_customers(&file.customers, &by)
        .await
        .unwrap();
    assert_eq!((report.created, report.already_there), (3, 0));
    let again = t
        .store
        .import_customers(&file.customers, &by)
        .await
        .unwrap();
    assert_eq!(
        (again.created, again.already_there),
        (0, 3),
        "importing twice changes nothing"
    );

    let lucia = t
        .store
        .customer_by_email("lucia.fernandez@example.es")
        .await
        .unwrap()
        .unwrap();
    let addresses = t.store.addresses(lucia.id).await.unwrap();
    assert_eq!(addresses.len(), 2);
    assert_eq!(
        addresses[0].address.street,
        "Calle Sierpes 12, 3º izquierda"
    );
    assert_eq!(addresses[1].address.postcode, "35001");

    let app = spawn_app(t).await;
    for (email, password) in [
        ("lucia.fernandez@example.es", "carnaval2019"),
        ("marie.dubois@example.fr", "carnaval2020"),
    ] {
        let shopper = Shopper::new(&app.address);
        assert_eq!(shopper.log_in(email, "not-the-password").await.status, 401);
        assert_eq!(
            shopper.log_in(email, password).await.status,
            303,
            "{email} with the old password"
        );
        let rehashed = app
            .db
            .store
            .customer_by_email(email)
            .await
            .unwrap()
            .unwrap();
        assert!(
            rehashed.password_hash.starts_with("$argon2id$"),
            "replaced at first login"
        );
        let later = Shopper::new(&app.address);
        assert_eq!(
            later.log_in(email, password).await.status,
            303,
            "and the same password still works"
        );
    }
    // What Magento knew of Lucía beyond her name is hers to download.
    let lucia = Shopper::new(&app.address);
    lucia
        .log_in("lucia.fernandez@example.es", "carnaval2019")
        .await;
    let data: serde_json::Value =
        serde_json::from_str(&lucia.get("/es/account/data").await.body).unwrap();
    let account = &data["account"];
    assert_eq!(account["birth_date"], "1985-06-14");
    assert_eq!(account["gender"], "female");
    assert_eq!(account["phone"], "954000000");
    assert_eq!(account["language"], "es");
    assert_eq!(account["customer_group"], "1");
    assert_eq!(data["addresses"][0]["region"], "Sevilla");
    assert_eq!(data["addresses"][0]["phone"], "954000000");
    let joao = Shopper::new(&app.address);
    assert_eq!(
        joao.log_in("joao.silva@example.pt", "").await.status,
        401,
        "no hash: a reset is needed"
    );
}

/// Magento allowed 6-character passwords; this shop asks 8 of new ones. A customer
/// whose old password is short still logs in with it, and its salted MD5 hash is
/// replaced by an argon2id one all the same.
async fn a_short_magento_password_is_upgraded_at_the_first_login_too(t: TestStore) {
    let export = std::fs::read_to_string(EXPORT).unwrap();
    let header = export.lines().next().unwrap();
    let marie = export
        .lines()
        .find(|line| line.starts_with("marie.dubois@example.fr"))
        .unwrap();
    // md5("zz" + "capa66"), salt "zz": a 6-character password.
    let short = marie
        .replace("marie.dubois@example.fr", "pablo@example.es")
        .replace(
            "35f27a97fcd0e86fc368859e60dd4352d9ab45e347dc56a0d1c339277a450c2a:Xy7QpR2sL9mN4vB8cD1fG6hJ3kZ5wT0e",
            "1010781ca54dba6b2e235972a195c682:zz",
        );
    let file = comptoir_import::magento_customers::read(
        format!("{header}\n{short}\n").as_bytes(),
        &comptoir_import::magento_products::StoreSites::default(),
    )
    .unwrap()
    .all_or_nothing()
    .unwrap();
    t.store
        .import_customers(&file.customers, &Actor::command_line())
        .await
        .unwrap();
    let app = spawn_app(t).await;
    let shopper = Shopper::new(&app.address);
    assert_eq!(
        shopper.log_in("pablo@example.es", "capa66").await.status,
        303
    );
    let account = app
        .db
        .store
        .customer_by_email("pablo@example.es")
        .await
        .unwrap()
        .unwrap();
    assert!(
        account.password_hash.starts_with("$argon2id$"),
        "{}",
        account.password_hash
    );
    let later = Shopper::new(&app.address);
    assert_eq!(later.log_in("pablo@example.es", "capa66").await.status, 303);
}

/// Magento's shopping cart price rules become promotions: labels per store view,
/// dates to the end of their last day, categories by their new ids, a shared
/// code with the uses it had (in all and by each customer), generated codes; a
/// shopper's code keeps working. A rule Comptoir would apply otherwise is listed
/// with why, and a re-run duplicates nothing.
async fn magento_cart_price_rules_become_promotions_and_those_that_cannot_are_listed(t: TestStore) {
    use comptoir_domain::promotions::{CouponCode, Discount, Percent, Target, Trigger};

    let Some(fixture) = MagentoFixture::load("").await else {
        return;
    };
    let report = migrate(&fixture, &t, false).await;
    assert_eq!(
        counts(&report, "cart price rules"),
        [9, 5, 0, 0, 4],
        "{report:#?}"
    );
    for (entity, words) in [
        ("cart price rule 6", "only for customer groups 2"),
        ("cart price rule 7", "it takes 5.0000 off each item"),
        ("cart price rule 8", "category 8, which is not migrated"),
        (
            "cart price rule 9",
            "'address payment_method == cashondelivery'",
        ),
        (
            "cart price rule 2",
            "Magento kept it from customer groups 2",
        ),
        (
            "cart price rule 2",
            "compared with the cart's subtotal with VAT",
        ),
        (
            "cart price rule 5",
            "1 of its generated codes cannot be typed",
        ),
    ] {
        assert!(says(&report, entity, words), "{entity}: {report:#?}");
    }
    let rules = t.store.promotion_rules().await.unwrap();
    let named = |name: &str| {
        rules
            .iter()
            .find(|rule| rule.name(Locale::Es) == name)
            .unwrap_or_else(|| panic!("{name}: {rules:#?}"))
    };
    let halloween = named("Halloween: -20 % en disfraces");
    assert_eq!(halloween.sites, SiteCode::ALL);
    assert_eq!(
        halloween.name(Locale::Fr),
        "Halloween : -20 % sur les déguisements"
    );
    assert_eq!(
        halloween.name(Locale::Pt),
        "Halloween: -20 % en disfraces",
        "the label of every store view"
    );
    assert_eq!(
        halloween.ends_at.unwrap().to_string(),
        "2026-11-01 00:00:00",
        "through the 31st"
    );
    let costumes = t.store.category_paths().await.unwrap()["Disfraces"];
    assert_eq!(halloween.conditions.products.categories, [costumes]);
    assert_eq!(
        halloween.action.discount,
        Some(Discount::PercentOff(Percent::parse("20").unwrap()))
    );
    assert!(halloween.is_price_reduction());
    let shipping = named("Envío gratis");
    assert_eq!(
        (shipping.action.discount, shipping.action.free_shipping),
        (None, true)
    );
    assert_eq!(
        shipping.conditions.min_subtotal.map(|m| m.cents()),
        Some(39_00)
    );
    let wigs = named("3x2 en pelucas");
    assert_eq!(
        wigs.action.discount,
        Some(Discount::TakePay { take: 3, pay: 2 })
    );
    assert_eq!(
        (wigs.action.target, wigs.conditions.min_quantity),
        (Target::MatchingLines, Some(3))
    );
    assert_eq!(named("Códigos de socios").trigger, Trigger::GeneratedCodes);
    let code = |text: &str| CouponCode::parse(text).unwrap();
    let lucia = Some("lucia.garcia@example.com");
    let used_up = |found: Option<comptoir_domain::promotions::FoundCode>| found.unwrap().used_up;
    assert!(
        used_up(t.store.find_code(&code("BRUJA10"), lucia).await.unwrap()),
        "Lucía used hers in Magento"
    );
    assert!(!used_up(
        t.store
            .find_code(&code("bruja10"), Some("pablo@example.com"))
            .await
            .unwrap()
    ));
    assert!(used_up(
        t.store.find_code(&code("SOCIO-AB12"), None).await.unwrap()
    ));
    assert!(!used_up(
        t.store.find_code(&code("SOCIO-CD34"), None).await.unwrap()
    ));
    let bruja10 = named("Cupón BRUJA10");
    let codes = t.store.promotion_codes(bruja10.id).await.unwrap();
    assert_eq!(codes, [("BRUJA10".to_owned(), 3)], "its 3 uses in Magento");
    let again = migrate(&fixture, &t, false).await;
    assert_eq!(counts(&again, "cart price rules"), [9, 0, 0, 5, 4]);
    assert_eq!(t.store.promotion_rules().await.unwrap().len(), 5);

    let shop = spawn_app(t).await;
    let shopper = Shopper::new(&shop.address);
    shopper.get("/es/cart").await;
    let added = shopper
        .post(
            "/es/cart/add",
            &[("variant", "PELUCA-RUBIA"), ("quantity", "1")],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    shopper.get("/es/cart").await;
    let entered = shopper.post("/es/cart/code", &[("code", "bruja10")]).await;
    assert_eq!(entered.status, 303, "{}", entered.body);
    let cart = shopper.get("/es/cart").await.body;
    assert!(cart.contains("Cupón BRUJA10 (BRUJA10)"), "{cart}");
    assert!(
        cart.contains("−9,99\u{a0}€"),
        "10 € off a 9,99 € wig stops at its price: {cart}"
    );
}
