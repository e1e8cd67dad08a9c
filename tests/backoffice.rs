//! The back office end to end, on both backends: who may reach it, logging in and
//! out, what each role may do, CSRF, limits, idle sessions, the audit log.

use std::time::Duration;

use comptoir_backoffice::ClientNetworks;
use comptoir_domain::image::ImageFormat;
use comptoir_domain::staff::Role;
use comptoir_domain::static_base::StaticBase;
use comptoir_domain::{Locale, ProductId};
use comptoir_e2e::{
    Page, STAFF_PASSWORD, Shopper, TestBackoffice, TestStore, backoffice_config, default_networks,
    on_both_backends, post_file, spawn_app, spawn_backoffice, test_order,
};
use comptoir_store::{AuditFilter, ProductFilter};
use comptoir_web::client::{Networks, TrustedProxies};

on_both_backends! {
    a_wildcard_address_is_refused_unless_the_network_is_private,
    clients_outside_the_allowlist_are_refused,
    forwarded_for_counts_only_from_trusted_proxies,
    staff_log_in_and_out,
    unknown_accounts_and_wrong_passwords_get_the_same_answer,
    each_role_may_do_only_its_work,
    admins_manage_staff_and_see_it_in_the_audit_log,
    forms_without_their_token_change_nothing,
    login_attempts_are_limited,
    idle_sessions_end,
    staff_change_their_own_password,
    the_product_list_filters_and_pages,
    a_saved_price_reaches_two_storefronts_within_seconds,
    a_save_based_on_an_old_version_is_refused,
    read_only_staff_see_products_but_cannot_save,
    bad_product_fields_keep_the_form_and_write_nothing,
    order_managers_move_an_order_on_and_the_customer_hears_of_the_shipment,
    the_order_list_filters_and_read_only_staff_change_nothing,
    the_catalogue_and_orders_export_as_csv,
    catalogue_managers_change_products_in_bulk,
    catalogue_managers_edit_the_category_tree,
    images_are_uploaded_checked_and_shown_on_the_storefront,
    catalogue_managers_add_and_remove_variants,
    the_catalogue_export_imports_back_unchanged_and_imports_change_it,
    staff_import_a_file_after_its_preview,
    import_files_never_outlive_their_upload,
    catalogue_managers_edit_content_and_shoppers_see_it,
}

fn networks(allow: &str, proxies: &str) -> ClientNetworks {
    ClientNetworks {
        allow: Networks::parse(allow).unwrap(),
        trusted_proxies: TrustedProxies::parse(proxies).unwrap(),
    }
}

const HOUR: Duration = Duration::from_secs(3600);

async fn get_from(address: &str, path: &str, forwarded_for: Option<&str>) -> Page {
    let mut request = reqwest::Client::new().get(format!("http://{address}{path}"));
    if let Some(forwarded_for) = forwarded_for {
        request = request.header("x-forwarded-for", forwarded_for);
    }
    Page::read(request.send().await.unwrap()).await
}

async fn a_wildcard_address_is_refused_unless_the_network_is_private(t: TestStore) {
    let mut config = backoffice_config(default_networks(), HOUR);
    config.bind = "0.0.0.0:0".parse().unwrap();
    config.import_dir = t.import_dir();
    let refused = comptoir_backoffice::build(t.store.clone(), &config).await;
    let message = refused.expect_err("a wildcard bind is refused").to_string();
    assert!(message.contains("BACKOFFICE_BIND"), "{message}");
    config.behind_private_network = true;
    assert!(
        comptoir_backoffice::build(t.store.clone(), &config)
            .await
            .is_ok()
    );
}

async fn clients_outside_the_allowlist_are_refused(t: TestStore) {
    let vpn_only = networks("10.8.0.0/24", "");
    let app = spawn_backoffice(t, backoffice_config(vpn_only, HOUR)).await;
    for forwarded_for in [None, Some("10.8.0.5")] {
        let page = get_from(&app.address, "/login", forwarded_for).await;
        assert_eq!(
            page.status, 403,
            "loopback with forwarded-for {forwarded_for:?}"
        );
        assert!(!page.body.contains("password"));
    }
    let page = get_from(&app.address, "/static/css/backoffice.css", None).await;
    assert_eq!(page.status, 403, "static files too");
}

async fn forwarded_for_counts_only_from_trusted_proxies(t: TestStore) {
    let behind_proxy = networks("10.8.0.0/24", "127.0.0.1");
    let app = spawn_backoffice(t, backoffice_config(behind_proxy, HOUR)).await;
    let from = |forwarded_for| get_from(&app.address, "/login", forwarded_for);
    assert_eq!(from(Some("10.8.0.5")).await.status, 200);
    assert_eq!(from(Some("203.0.113.9")).await.status, 403);
    assert_eq!(from(Some("10.8.0.5, 203.0.113.9")).await.status, 403);
    assert_eq!(from(Some("not an address")).await.status, 403);
    assert_eq!(
        from(None).await.status,
        403,
        "the proxy itself is not a client"
    );
}

async fn staff_log_in_and_out(t: TestStore) {
    let app = spawn_backoffice(t, backoffice_config(default_networks(), HOUR)).await;
    app.add_staff("marta@comptoir.test", Role::Admin).await;
    let visitor = Shopper::new(&app.address);
    let dashboard = visitor.get("/").await;
    assert_eq!((dashboard.status, dashboard.location()), (303, "/login"));

    let marta = app.logged_in("Marta@Comptoir.test").await;
    let dashboard = marta.get("/").await;
    assert_eq!(dashboard.status, 200);
    assert!(dashboard.body.contains("Low stock"));
    assert!(dashboard.body.contains("Administrator"));
    assert_eq!(dashboard.headers["x-frame-options"], "DENY");
    assert_eq!(dashboard.headers["cache-control"], "no-store");
    assert!(dashboard.headers.contains_key("content-security-policy"));
    let cookie = dashboard.headers.get_all("set-cookie").iter().count();
    assert_eq!(cookie, 0, "no new cookie once logged in");

    let out = marta.post("/logout", &[]).await;
    assert_eq!((out.status, out.location()), (303, "/login"));
    assert_eq!(marta.get("/").await.location(), "/login");
}

async fn unknown_accounts_and_wrong_passwords_get_the_same_answer(t: TestStore) {
    let app = spawn_backoffice(t, backoffice_config(default_networks(), HOUR)).await;
    let id = app.add_staff("marta@comptoir.test", Role::Admin).await;
    let visitor = Shopper::new(&app.address);
    visitor.get("/login").await;
    let wrong = visitor
        .post(
            "/login",
            &[
                ("email", "marta@comptoir.test"),
                ("password", "not-the-password"),
            ],
        )
        .await;
    let unknown = visitor
        .post(
            "/login",
            &[
                ("email", "nadie@comptoir.test"),
                ("password", STAFF_PASSWORD),
            ],
        )
        .await;
    assert_eq!((wrong.status, unknown.status), (401, 401));
    let message = |page: &Page| {
        page.body
            .split("role=\"alert\">")
            .nth(1)
            .map(|rest| rest.split('<').next().unwrap().to_owned())
    };
    assert_eq!(message(&wrong), message(&unknown));
    assert!(
        wrong.body.contains("value=\"marta@comptoir.test\""),
        "the address typed is kept"
    );

    // A disabled account is refused the same way.
    let marta = app.db.store.staff_member(id).await.unwrap().unwrap();
    let by = comptoir_store::Actor::command_line();
    app.db
        .store
        .update_staff(id, &marta.name, marta.role, false, &by)
        .await
        .unwrap();
    let disabled = visitor
        .post(
            "/login",
            &[
                ("email", "marta@comptoir.test"),
                ("password", STAFF_PASSWORD),
            ],
        )
        .await;
    assert_eq!(disabled.status, 401);
    assert_eq!(message(&disabled), message(&unknown));
}

async fn each_role_may_do_only_its_work(t: TestStore) {
    let app = spawn_backoffice(t, backoffice_config(default_networks(), HOUR)).await;
    app.add_staff("support@comptoir.test", Role::Support).await;
    app.add_staff("catalogo@comptoir.test", Role::CatalogueManager)
        .await;
    app.add_staff("pedidos@comptoir.test", Role::OrderManager)
        .await;
    for email in [
        "support@comptoir.test",
        "catalogo@comptoir.test",
        "pedidos@comptoir.test",
    ] {
        let staff = app.logged_in(email).await;
        assert_eq!(
            staff.get("/").await.status,
            200,
            "{email} reads the dashboard"
        );
        for path in ["/staff", "/staff/new", "/audit", "/staff/1"] {
            assert_eq!(staff.get(path).await.status, 403, "{email} GET {path}");
        }
        let created = staff
            .post(
                "/staff",
                &[
                    ("email", "intruso@comptoir.test"),
                    ("name", "Intruso"),
                    ("role", "admin"),
                    ("password", STAFF_PASSWORD),
                ],
            )
            .await;
        assert_eq!(created.status, 403, "{email} POST /staff");
        let raised = staff
            .post(
                "/staff/1",
                &[("name", "x"), ("role", "admin"), ("active", "true")],
            )
            .await;
        assert_eq!(raised.status, 403);
        assert!(
            raised.body.contains("not allowed"),
            "an error page says why"
        );
    }
    assert_eq!(
        app.db
            .store
            .staff_by_email("intruso@comptoir.test")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        app.db.store.staff_member(1).await.unwrap().unwrap().role,
        Role::Support
    );
}

async fn admins_manage_staff_and_see_it_in_the_audit_log(t: TestStore) {
    let app = spawn_backoffice(t, backoffice_config(default_networks(), HOUR)).await;
    let marta_id = app.add_staff("marta@comptoir.test", Role::Admin).await;
    let marta = app.logged_in("marta@comptoir.test").await;
    assert_eq!(marta.get("/staff/new").await.status, 200);

    let invalid = marta
        .post(
            "/staff",
            &[
                ("email", "not-an-address"),
                ("name", "Luis"),
                ("role", "orders"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(invalid.status, 422);
    assert!(invalid.body.contains("is not an e-mail address"));
    assert!(invalid.body.contains("at least 8 characters"));
    assert!(
        invalid.body.contains("value=\"Luis\""),
        "what was typed is kept"
    );

    let fields = [
        ("email", "luis@comptoir.test"),
        ("name", "Luis"),
        ("role", "orders"),
        ("password", STAFF_PASSWORD),
    ];
    let created = marta.post("/staff", &fields).await;
    assert_eq!((created.status, created.location()), (303, "/staff?done=1"));
    let again = marta.post("/staff", &fields).await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("already has an account"));

    let luis = app
        .db
        .store
        .staff_by_email("luis@comptoir.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(luis.role, Role::OrderManager);
    let changed = marta
        .post(
            &format!("/staff/{}", luis.id),
            &[("name", "Luis P."), ("role", "catalogue")],
        )
        .await;
    assert_eq!(changed.status, 303);
    let luis = app.db.store.staff_member(luis.id).await.unwrap().unwrap();
    assert_eq!(
        (luis.role, luis.active),
        (Role::CatalogueManager, false),
        "unticked: disabled"
    );

    let locked_out = marta
        .post(
            &format!("/staff/{marta_id}"),
            &[("name", "Marta"), ("role", "support"), ("active", "true")],
        )
        .await;
    assert_eq!(locked_out.status, 422);
    assert!(locked_out.body.contains("your own administrator role"));
    assert_eq!(
        app.db
            .store
            .staff_member(marta_id)
            .await
            .unwrap()
            .unwrap()
            .role,
        Role::Admin
    );

    let log = marta.get("/audit?action=staff.").await;
    assert_eq!(log.status, 200);
    let shown = log.body.replace("&#34;", "\"").replace("&quot;", "\"");
    assert!(shown.contains("staff.update"));
    assert!(shown.contains(r#""role":"catalogue""#), "the values after");
    assert!(shown.contains(r#""role":"orders""#), "the values before");
    let by_marta = marta
        .get(&format!(
            "/audit?staff={marta_id}&from=2000-01-01&until=2999-12-31"
        ))
        .await;
    assert_eq!(
        by_marta
            .body
            .matches("<td>marta@comptoir.test</td>")
            .count(),
        2
    );
    let bad_date = marta.get("/audit?from=yesterday").await;
    assert_eq!(bad_date.status, 200);
    assert!(bad_date.body.contains("is not a date"));
    assert_eq!(marta.get("/audit?page=x").await.status, 400);
}

async fn forms_without_their_token_change_nothing(t: TestStore) {
    let app = spawn_backoffice(t, backoffice_config(default_networks(), HOUR)).await;
    app.add_staff("marta@comptoir.test", Role::Admin).await;
    let marta = app.logged_in("marta@comptoir.test").await;
    let fields = [
        ("email", "luis@comptoir.test"),
        ("name", "Luis"),
        ("role", "admin"),
        ("password", STAFF_PASSWORD),
    ];
    assert_eq!(marta.post_raw("/staff", &fields).await.status, 403);
    let mut forged = vec![("csrf", "0".repeat(64))];
    forged.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let forged: Vec<(&str, &str)> = forged.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(marta.post_raw("/staff", &forged).await.status, 403);
    assert_eq!(
        app.db
            .store
            .staff_by_email("luis@comptoir.test")
            .await
            .unwrap(),
        None
    );
    let log = app
        .db
        .store
        .audit_entries(&AuditFilter::default(), 10, 0)
        .await
        .unwrap();
    assert_eq!(
        log.len(),
        1,
        "only the command line's creation of marta: {log:?}"
    );
}

/// Guesses from one client slow down, more with each try; the staff member on
/// another machine logs in all the same.
async fn login_attempts_are_limited(t: TestStore) {
    let app = spawn_backoffice(t, backoffice_config(default_networks(), HOUR)).await;
    app.add_staff("marta@comptoir.test", Role::Admin).await;
    let guesser = Shopper::new(&app.address);
    guesser.get("/login").await;
    let guess = |password: String| {
        let guesser = &guesser;
        async move {
            guesser
                .post(
                    "/login",
                    &[("email", "marta@comptoir.test"), ("password", &password)],
                )
                .await
        }
    };
    for attempt in 1..=6 {
        let page = guess(format!("guess-{attempt:04}")).await;
        assert_eq!(page.status, 401, "attempt {attempt}");
    }
    let right_but_late = guess(STAFF_PASSWORD.to_owned()).await;
    assert_eq!(right_but_late.status, 429, "the seventh try waits a second");
    assert!(right_but_late.body.contains("Too many attempts"));
    let marta = Shopper::from_client_address(&app.address, std::net::Ipv4Addr::new(127, 0, 0, 2));
    marta.get("/login").await;
    let owner = marta
        .post(
            "/login",
            &[
                ("email", "marta@comptoir.test"),
                ("password", STAFF_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        owner.status, 303,
        "never locked out by someone else's guesses"
    );
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(
        guess("guess-0007".into()).await.status,
        401,
        "after the wait"
    );
    assert_eq!(
        guess("guess-0008".into()).await.status,
        429,
        "now two seconds"
    );
}

async fn idle_sessions_end(t: TestStore) {
    let app = spawn_backoffice(
        t,
        backoffice_config(default_networks(), Duration::from_secs(2)),
    )
    .await;
    app.add_staff("marta@comptoir.test", Role::Admin).await;
    let marta = app.logged_in("marta@comptoir.test").await;
    assert_eq!(marta.get("/").await.status, 200);
    tokio::time::sleep(Duration::from_millis(3_000)).await;
    assert_eq!(marta.get("/").await.location(), "/login");
}

async fn staff_change_their_own_password(t: TestStore) {
    let app = spawn_backoffice(t, backoffice_config(default_networks(), HOUR)).await;
    let id = app.add_staff("marta@comptoir.test", Role::Support).await;
    let marta = app.logged_in("marta@comptoir.test").await;
    let other_laptop = app.logged_in("marta@comptoir.test").await;
    assert_eq!(other_laptop.get("/").await.status, 200);
    assert_eq!(marta.get("/account/password").await.status, 200);
    let wrong = marta
        .post(
            "/account/password",
            &[("current", "not-it-at-all"), ("new", "otra-clave-larga")],
        )
        .await;
    assert_eq!(wrong.status, 422);
    let changed = marta
        .post(
            "/account/password",
            &[("current", STAFF_PASSWORD), ("new", "otra-clave-larga")],
        )
        .await;
    assert_eq!(changed.status, 200);
    assert!(changed.body.contains("Password changed."));
    assert_eq!(marta.get("/").await.status, 200, "this session goes on");
    let ended = other_laptop.get("/").await;
    assert_eq!(ended.status, 303, "every other session ended");
    assert_eq!(ended.location_path(), "/login");
    let stored = app
        .db
        .store
        .staff_member(id)
        .await
        .unwrap()
        .unwrap()
        .password_hash;
    assert_eq!(
        comptoir_accounts::verify("otra-clave-larga", &stored),
        comptoir_accounts::Verification::Valid
    );
    let log = app
        .db
        .store
        .audit_entries(&AuditFilter::default(), 1, 0)
        .await
        .unwrap();
    assert_eq!(
        (log[0].action.as_str(), log[0].actor.as_str()),
        ("staff.password", "marta@comptoir.test")
    );
}

/// The id of the product whose SKU is `sku`.
async fn product_id(t: &TestStore, sku: &str) -> i64 {
    let filter = ProductFilter {
        text: Some(sku.into()),
        ..ProductFilter::default()
    };
    t.store.find_products(&filter, 1, 0).await.unwrap().rows[0].id
}

/// Product `id` as stored, and its version.
async fn stored(t: &TestStore, id: i64) -> (comptoir_domain::Product, i64) {
    t.store
        .product_for_edit(ProductId(id))
        .await
        .unwrap()
        .unwrap()
}

/// The editor's form of product `id` as `staff` opened it, with `changes` typed in.
async fn edited_form(staff: &Shopper, id: i64, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    form_with(staff, &format!("/products/{id}"), changes).await
}

/// The form at `path` as its page shows it, with `changes` made.
async fn form_with(staff: &Shopper, path: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let editor = staff.get(path).await;
    assert_eq!(editor.status, 200);
    let mut fields = editor.form_fields(path);
    for (name, value) in changes {
        match fields.iter_mut().find(|(field, _)| field == name) {
            Some(field) => field.1 = (*value).to_owned(),
            None => fields.push(((*name).to_owned(), (*value).to_owned())),
        }
    }
    fields
}

async fn post_form(staff: &Shopper, path: &str, fields: &[(String, String)]) -> Page {
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    staff.post_raw(path, &fields).await
}

async fn catalogue_manager(t: TestStore) -> (TestBackoffice, Shopper) {
    let app = spawn_backoffice(t, backoffice_config(default_networks(), HOUR)).await;
    app.add_staff("catalogo@comptoir.test", Role::CatalogueManager)
        .await;
    let staff = app.logged_in("catalogo@comptoir.test").await;
    (app, staff)
}

async fn the_product_list_filters_and_pages(t: TestStore) {
    let (_app, staff) = catalogue_manager(t).await;
    let all = staff.get("/products").await;
    assert_eq!(all.status, 200);
    assert!(all.body.contains("2000 products, from 1."));
    assert_eq!(all.body.matches("<td><a href=\"/products/").count(), 50);
    let second = staff.get("/products?page=1").await;
    assert!(second.body.contains("from 51."));
    assert!(second.body.contains("Previous"));
    let found = staff.get("/products?q=pel-afro-multi").await;
    assert!(found.body.contains("1 products"), "{}", found.body);
    assert!(found.body.contains("PEL-AFRO-MULTI"));
    let nothing = staff
        .get("/products?q=%25%25&stock=out&enabled=no&site=xx&category=abc")
        .await;
    assert_eq!(nothing.status, 200, "unknown filter values are ignored");
    assert_eq!(staff.get("/products?page=-1").await.status, 400);
}

async fn a_saved_price_reaches_two_storefronts_within_seconds(t: TestStore) {
    let shop_a = spawn_app(TestStore::sharing(&t).await).await;
    let shop_b = spawn_app(TestStore::sharing(&t).await).await;
    let id = product_id(&t, "PEL-AFRO-MULTI").await;
    let (product, _) = stored(&t, id).await;
    let page = format!("/es/p/{}", product.url_keys[Locale::Es]);
    assert!(!shop_a.get(&page).await.body.contains("43,21"));
    let (_app, staff) = catalogue_manager(t).await;

    let form = edited_form(&staff, id, &[("price_es", "43.21"), ("sale_price_es", "")]).await;
    let saved_at = std::time::Instant::now();
    let saved = post_form(&staff, &format!("/products/{id}"), &form).await;
    assert_eq!(
        (saved.status, saved.location()),
        (303, format!("/products/{id}?done=1").as_str())
    );
    for shop in [&shop_a, &shop_b] {
        let shown = shop
            .eventually(&page, Duration::from_secs(5), |body| body.contains("43,21"))
            .await;
        assert!(shown, "the new price on {} within 5 s", shop.address);
    }
    assert!(saved_at.elapsed() < Duration::from_secs(5));
    let after = staff.get(&format!("/products/{id}?done=1")).await;
    assert!(after.body.contains("Saved."));
    assert!(after.body.contains("value=\"43.21\""));
}

async fn a_save_based_on_an_old_version_is_refused(t: TestStore) {
    let (app, first) = catalogue_manager(t).await;
    app.add_staff("otra@comptoir.test", Role::Admin).await;
    let second = app.logged_in("otra@comptoir.test").await;
    let id = product_id(&app.db, "PEL-AFRO-MULTI").await;
    let first_form = edited_form(&first, id, &[("name_es", "Peluca de la primera")]).await;
    let second_form = edited_form(&second, id, &[("name_es", "Peluca de la segunda")]).await;
    let first_saved = post_form(&first, &format!("/products/{id}"), &first_form).await;
    assert_eq!(first_saved.status, 303);
    let refused = post_form(&second, &format!("/products/{id}"), &second_form).await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("Someone else saved this product"));
    assert!(
        refused.body.contains("Peluca de la segunda"),
        "their typing is kept on the page"
    );
    let (product, _) = stored(&app.db, id).await;
    assert_eq!(product.names[Locale::Es], "Peluca de la primera");
}

async fn read_only_staff_see_products_but_cannot_save(t: TestStore) {
    let app = spawn_backoffice(t, backoffice_config(default_networks(), HOUR)).await;
    app.add_staff("support@comptoir.test", Role::Support).await;
    let support = app.logged_in("support@comptoir.test").await;
    let id = product_id(&app.db, "PEL-AFRO-MULTI").await;
    let (before, _) = stored(&app.db, id).await;
    let editor = support.get(&format!("/products/{id}")).await;
    assert!(editor.body.contains("Read only"));
    assert!(!editor.body.contains(">Save</button>"));
    let form = edited_form(&support, id, &[("price_es", "1.00")]).await;
    assert_eq!(
        post_form(&support, &format!("/products/{id}"), &form)
            .await
            .status,
        403
    );
    let (after, _) = stored(&app.db, id).await;
    assert_eq!(after, before);
}

async fn bad_product_fields_keep_the_form_and_write_nothing(t: TestStore) {
    let (app, staff) = catalogue_manager(t).await;
    let id = product_id(&app.db, "PEL-AFRO-MULTI").await;
    let (before, version) = stored(&app.db, id).await;
    let other_key = {
        let other = product_id(&app.db, "DIS-BRUJA-MUJER").await;
        stored(&app.db, other).await.0.url_keys[Locale::Fr].clone()
    };
    let form = edited_form(
        &staff,
        id,
        &[("price_es", "doce"), ("name_fr", "Perruque typée")],
    )
    .await;
    let refused = post_form(&staff, &format!("/products/{id}"), &form).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Site es: the price is an amount"));
    assert!(refused.body.contains("value=\"doce\""));
    assert!(refused.body.contains("Perruque typée"));
    let taken = edited_form(&staff, id, &[("url_key_fr", &other_key)]).await;
    let refused = post_form(&staff, &format!("/products/{id}"), &taken).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("URL key (fr): another product already has it.")
    );
    assert_eq!(stored(&app.db, id).await, (before, version));
}

async fn order_managers_move_an_order_on_and_the_customer_hears_of_the_shipment(t: TestStore) {
    let mut transfer = test_order("transfer", &[("DIS-BRUJA-MUJER-M", 2)]);
    transfer.payment_method = "bank-transfer".to_owned();
    transfer.email = "lucia@example.es".to_owned();
    let placed = t
        .store
        .place_order(&transfer, &|_: &comptoir_domain::order::OrderNumber| None)
        .await
        .unwrap();
    let app = spawn_backoffice(t, backoffice_config(default_networks(), HOUR)).await;
    app.add_staff("pedidos@comptoir.test", Role::OrderManager)
        .await;
    let staff = app.logged_in("pedidos@comptoir.test").await;
    let order = format!("/orders/{}", placed.id);

    let page = staff.get(&order).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(placed.number.as_str()));
    assert!(page.body.contains("Payment received"));
    assert!(
        !page.body.contains("Ship and tell"),
        "not before processing"
    );

    let post = |path: String, fields: Vec<(&'static str, &'static str)>| {
        let staff = &staff;
        async move { staff.post(&path, &fields).await }
    };
    let paid = post(format!("{order}/paid"), vec![]).await;
    assert_eq!(
        (paid.status, paid.location()),
        (303, format!("{order}?done=1").as_str())
    );
    let too_early = post(
        format!("{order}/ship"),
        vec![("carrier", "SEUR"), ("tracking", "SE123")],
    )
    .await;
    assert_eq!(too_early.status, 422);
    assert!(
        too_early
            .body
            .contains("Only an order being processed can be shipped.")
    );
    assert_eq!(
        post(format!("{order}/status"), vec![("to", "processing")])
            .await
            .status,
        303
    );
    assert_eq!(
        post(
            format!("{order}/ship"),
            vec![("carrier", "SEUR"), ("tracking", "SE123")]
        )
        .await
        .status,
        303
    );
    let late_cancel = post(format!("{order}/status"), vec![("to", "cancelled")]).await;
    assert_eq!(late_cancel.status, 422);
    let bad_refund = post(
        format!("{order}/refund"),
        vec![("amount", "diez"), ("reason", "")],
    )
    .await;
    assert_eq!(bad_refund.status, 422);
    assert!(bad_refund.body.contains("is not an amount"));
    assert_eq!(
        post(
            format!("{order}/refund"),
            vec![("amount", "5"), ("reason", "Talla")]
        )
        .await
        .status,
        303
    );
    assert_eq!(
        post(
            format!("{order}/note"),
            vec![("text", "Llamó para dar las gracias")]
        )
        .await
        .status,
        303
    );
    assert_eq!(
        post(format!("{order}/note"), vec![("text", "  ")])
            .await
            .status,
        422
    );

    let page = staff.get(&order).await;
    assert!(
        page.body
            .contains("data-payment-status>paid</strong>, 5,00"),
        "partly refunded"
    );
    assert!(page.body.contains("data-fulfilment-status>shipped"));
    assert!(page.body.contains("SEUR · SE123"));
    assert!(page.body.contains("Llamó para dar las gracias"));
    // The storefronts' mail workers send it; here it waits in the outbox.
    let mail = queued_mail(&app, "SE123")
        .await
        .expect("the shipment mail is queued");
    assert!(
        mail.contains("va de camino"),
        "in the site's language: {mail}"
    );
}

/// A queued mail mentioning `needle`, read from the outbox.
async fn queued_mail(app: &TestBackoffice, needle: &str) -> Option<String> {
    let mails = app
        .db
        .store
        .claim_due_mails(chrono::Utc::now(), 100)
        .await
        .unwrap();
    mails
        .into_iter()
        .find(|mail| mail.body.contains(needle))
        .map(|mail| format!("{}\n{}", mail.subject, mail.body))
}

async fn the_order_list_filters_and_read_only_staff_change_nothing(t: TestStore) {
    for n in 0..3 {
        let mut placed = test_order(&format!("list-{n}"), &[("PEL-AFRO-MULTI", 1)]);
        placed.email = format!("cliente{n}@example.es");
        t.store
            .place_order(&placed, &|_: &comptoir_domain::order::OrderNumber| None)
            .await
            .unwrap();
    }
    let app = spawn_backoffice(t, backoffice_config(default_networks(), HOUR)).await;
    app.add_staff("support@comptoir.test", Role::Support).await;
    let support = app.logged_in("support@comptoir.test").await;
    let all = support.get("/orders").await;
    assert!(all.body.contains("3 orders."));
    let one = support
        .get(
            "/orders?q=cliente1&site=es&payment=pending&fulfilment=new&min_total=5&max_total=10,00",
        )
        .await;
    assert!(one.body.contains("1 orders."), "{}", one.body);
    let bad = support.get("/orders?from=ayer&min_total=mucho").await;
    assert_eq!(bad.status, 200);
    assert!(bad.body.contains("is not a date") && bad.body.contains("is not an amount"));
    let id = app
        .db
        .store
        .find_orders(&comptoir_store::OrderFilter::default(), 1, 0)
        .await
        .unwrap()
        .rows[0]
        .id;
    let page = support.get(&format!("/orders/{id}")).await;
    assert!(
        !page.body.contains("Add note"),
        "no actions for read-only staff"
    );
    let note = support
        .post(&format!("/orders/{id}/note"), &[("text", "hola")])
        .await;
    assert_eq!(note.status, 403);
    assert!(app.db.store.order_events(id).await.unwrap().is_empty());
}

/// The fields of one CSV line.
fn csv_fields(line: &str) -> Vec<String> {
    csv_records(line)[0].iter().map(str::to_owned).collect()
}

/// A CSV download's records, header first.
fn csv_records(body: &str) -> Vec<csv::StringRecord> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes())
        .records()
        .map(|record| record.expect("well-formed CSV"))
        .collect()
}

async fn the_catalogue_and_orders_export_as_csv(t: TestStore) {
    let catalogue = t.store.load_catalogue().await.unwrap().catalogue;
    let variants: usize = catalogue.products.iter().map(|p| p.variants.len()).sum();
    let mut big = test_order("export", &[("DIS-BRUJA-MUJER-M", 2), ("PEL-AFRO-MULTI", 1)]);
    big.email = "exporta@example.es".to_owned();
    big.ship_to.name = "=HYPERLINK(\"http://evil.example\")".to_owned();
    big.ship_to.street = "+cmd|' /C calc'!A0".to_owned();
    t.store
        .place_order(&big, &|_: &comptoir_domain::order::OrderNumber| None)
        .await
        .unwrap();
    let app = spawn_backoffice(t, backoffice_config(default_networks(), HOUR)).await;
    app.add_staff("support@comptoir.test", Role::Support).await;
    let staff = app.logged_in("support@comptoir.test").await;

    let export = staff.get("/products/export.csv").await;
    assert_eq!(export.status, 200);
    assert_eq!(export.headers["content-type"], "text/csv; charset=utf-8");
    let records = csv_records(&export.body);
    assert_eq!(
        records.len(),
        variants + 1,
        "a header and a row per variant"
    );
    let header: Vec<&str> = records[0].iter().collect();
    assert_eq!(&header[..3], ["sku", "kind", "enabled"]);
    let column = |name: &str| header.iter().position(|c| *c == name).unwrap();
    let witch = records
        .iter()
        .find(|r| &r[column("variant_sku")] == "DIS-BRUJA-MUJER-M")
        .expect("the witch costume in M");
    assert_eq!(&witch[column("sku")], "DIS-BRUJA-MUJER");
    assert_eq!(&witch[column("price_es")], "24.99");
    assert_eq!(&witch[column("size")], "M");
    assert!(witch[column("categories")].contains('/'), "category paths");
    assert!(!witch[column("name_fr")].is_empty());

    let orders = staff.get("/orders/export.csv?q=exporta").await;
    assert_eq!(orders.status, 200);
    let records = csv_records(&orders.body);
    assert_eq!(records.len(), 3, "a header and a row per line");
    assert_eq!(&records[1][3], "exporta@example.es");
    assert_eq!(
        &records[1][4], "'=HYPERLINK(\"http://evil.example\")",
        "shopper input never runs as a formula"
    );
    assert_eq!(&records[1][5], "'+cmd|' /C calc'!A0");
    assert_eq!(&records[1][16], "30.00", "amounts as they are");
    assert_eq!(&records[2][18], "PEL-AFRO-MULTI");
    assert_eq!(
        &records[0][23], "phone",
        "what carriers need, after the first columns"
    );
    assert_eq!(
        &records[1][23], "'+34612345678",
        "a phone is not a formula either"
    );
    let none = staff.get("/orders/export.csv?q=nadie").await;
    assert_eq!(csv_records(&none.body).len(), 1, "only the header");
}

async fn catalogue_managers_change_products_in_bulk(t: TestStore) {
    let (app, staff) = catalogue_manager(t).await;
    let wig = product_id(&app.db, "PEL-AFRO-MULTI").await;
    let witch = product_id(&app.db, "DIS-BRUJA-MUJER").await;
    let list = staff.get("/products").await;
    assert!(list.body.contains("name=\"id\""), "rows can be ticked");
    let ids = (wig.to_string(), witch.to_string());
    let disabled = staff
        .post(
            "/products/bulk",
            &[
                ("id", &ids.0),
                ("id", &ids.1),
                ("scope", "selected"),
                ("action", "disable"),
            ],
        )
        .await;
    assert_eq!(disabled.status, 303);
    let after = staff.get(&disabled.location_path()).await;
    assert!(after.body.contains("Changed 2 products."));
    for id in [wig, witch] {
        assert!(!stored(&app.db, id).await.0.enabled);
    }

    let (before, _) = stored(&app.db, wig).await;
    let all_wigs = staff
        .post(
            "/products/bulk",
            &[
                ("q", "PEL-AFRO"),
                ("scope", "all"),
                ("action", "price"),
                ("percent", "10"),
                ("price_site", ""),
            ],
        )
        .await;
    assert_eq!(all_wigs.status, 303);
    assert!(
        all_wigs.location().contains("q=PEL-AFRO"),
        "back to the same filters"
    );
    let (after, _) = stored(&app.db, wig).await;
    assert_eq!(
        after.site(comptoir_domain::SiteCode::It).unwrap().price,
        before
            .site(comptoir_domain::SiteCode::It)
            .unwrap()
            .price
            .changed_by_percent(10)
            .unwrap()
    );

    for (fields, message) in [
        (
            vec![("scope", "selected"), ("action", "disable")],
            "Tick the products",
        ),
        (
            vec![
                ("id", ids.0.as_str()),
                ("scope", "selected"),
                ("action", "price"),
                ("percent", "mucho"),
            ],
            "whole percentage",
        ),
        (
            vec![
                ("id", ids.0.as_str()),
                ("scope", "selected"),
                ("action", "move"),
                ("to_category", "999999"),
            ],
            "no such category",
        ),
    ] {
        let refused = staff.post("/products/bulk", &fields).await;
        assert_eq!(refused.status, 422, "{fields:?}");
        assert!(refused.body.contains(message), "{message}");
    }
    app.add_staff("support@comptoir.test", Role::Support).await;
    let support = app.logged_in("support@comptoir.test").await;
    let list = support.get("/products").await;
    assert!(!list.body.contains("name=\"id\""));
    let refused = support
        .post(
            "/products/bulk",
            &[("id", &ids.0), ("scope", "selected"), ("action", "enable")],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert!(!stored(&app.db, wig).await.0.enabled);
}

async fn catalogue_managers_edit_the_category_tree(t: TestStore) {
    let shop = spawn_app(TestStore::sharing(&t).await).await;
    let (app, staff) = catalogue_manager(t).await;
    let tree = staff.get("/categories").await;
    assert_eq!(tree.status, 200);
    let root = app
        .db
        .store
        .all_categories()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.parent.is_none())
        .unwrap();
    assert_eq!(
        staff
            .get(&format!("/categories/new?parent={}", root.id.0))
            .await
            .status,
        200
    );
    let parent = root.id.0.to_string();
    let fields = [
        ("parent", parent.as_str()),
        ("position", "0"),
        ("enabled", "true"),
        ("name_es", "Novedades Carnaval"),
        ("url_key_es", ""),
        ("name_fr", "Nouveautés Carnaval"),
        ("url_key_fr", ""),
        ("name_pt", "Novidades Carnaval"),
        ("url_key_pt", ""),
        ("name_it", "Novità Carnevale"),
        ("url_key_it", ""),
        ("meta_title_es", "Novedades de Carnaval 2027"),
        (
            "meta_description_es",
            "Los disfraces que llegan para el Carnaval de 2027.",
        ),
    ];
    let too_long = "x".repeat(71);
    let mut long_title = fields.to_vec();
    long_title.push(("meta_title_fr", &too_long));
    let refused = staff.post("/categories", &long_title).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("Meta title (fr): at most 70 characters"),
        "{}",
        refused.body
    );
    let created = staff.post("/categories", &fields).await;
    assert_eq!(
        (created.status, created.location()),
        (303, "/categories?done=1")
    );
    let category = app
        .db
        .store
        .all_categories()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.names[Locale::Es] == "Novedades Carnaval")
        .expect("created");
    assert_eq!(
        category.url_keys[Locale::Fr],
        "nouveautes-carnaval",
        "made from the name"
    );
    let page = format!(
        "/es/c/{}/{}",
        root.url_keys[Locale::Es],
        category.url_keys[Locale::Es]
    );
    assert!(
        shop.eventually(&page, Duration::from_secs(5), |body| body
            .contains("Novedades Carnaval"))
            .await,
        "the storefront shows the new category"
    );
    let head = comptoir_e2e::Head::of(&shop.get(&page).await);
    assert_eq!(head.title, "Novedades de Carnaval 2027 · Comptoir");
    assert_eq!(
        head.description(),
        Some("Los disfraces que llegan para el Carnaval de 2027.")
    );
    let again = staff.post("/categories", &fields).await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("a category beside it already has it"));
    assert!(again.body.contains("value=\"Novedades Carnaval\""));
    let not_empty = staff
        .post(&format!("/categories/{}/delete", root.id.0), &[])
        .await;
    assert_eq!(not_empty.status, 422);
    assert!(
        not_empty
            .body
            .contains("Only an empty category can be deleted")
    );
    let deleted = staff
        .post(&format!("/categories/{}/delete", category.id.0), &[])
        .await;
    assert_eq!(deleted.status, 303);
    app.add_staff("support@comptoir.test", Role::Support).await;
    let support = app.logged_in("support@comptoir.test").await;
    assert_eq!(support.post("/categories", &fields).await.status, 403);
    assert_eq!(support.get("/categories/new").await.status, 403);
}

/// Posts `bytes` as the image upload of product `id`, with the staff member's token.
async fn upload(
    app: &TestBackoffice,
    staff: &Shopper,
    id: i64,
    bytes: Vec<u8>,
    token: Option<String>,
) -> Page {
    let path = format!("/products/{id}/images");
    post_file(app, staff, &path, ("image", "photo.png"), bytes, token).await
}

/// A product photo as staff upload them: a 1 200 px JPEG of a few hundred kilobytes.
fn photo() -> Vec<u8> {
    comptoir_media::demo::photos().swap_remove(0).1
}

async fn images_are_uploaded_checked_and_shown_on_the_storefront(t: TestStore) {
    let shop = spawn_app(TestStore::sharing(&t).await).await;
    let (app, staff) = catalogue_manager(t).await;
    let id = product_id(&app.db, "PEL-AFRO-MULTI").await;
    let (before, _) = stored(&app.db, id).await;
    let token = staff.form_token();

    let uploaded = upload(&app, &staff, id, photo(), token.clone()).await;
    assert_eq!(
        (uploaded.status, uploaded.location()),
        (303, format!("/products/{id}?done=1").as_str())
    );
    let (after, _) = stored(&app.db, id).await;
    assert_eq!(after.images.len(), before.images.len() + 1);
    let path = after.images.last().unwrap().clone();
    assert!(
        path.starts_with("media/products/") && path.ends_with(".jpg"),
        "{path}"
    );
    let served = shop.get(&format!("/static/{path}")).await;
    assert_eq!(
        served.status, 200,
        "every storefront serves the shared media folder"
    );
    // Resized in the background, then shown from its renditions, kept for good.
    let page = format!("/es/p/{}", after.url_keys[Locale::Es]);
    let mut rendition = None;
    for _ in 0..50 {
        rendition = app
            .db
            .store
            .renditions(Some(&[ProductId(id)]))
            .await
            .unwrap()
            .remove(&path);
        if rendition.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let rendition = rendition.expect("the upload is resized within 5 s");
    assert_eq!((rendition.width, rendition.height), (1200, 1200));
    let webp = rendition.srcset(&StaticBase::default(), ImageFormat::Webp);
    assert!(
        shop.eventually(&page, Duration::from_secs(5), |body| body.contains(&webp))
            .await,
        "the product page shows it: {webp}"
    );
    let file = shop
        .get(&rendition.src(&StaticBase::default(), 240, ImageFormat::Webp))
        .await;
    assert_eq!(file.status, 200);
    assert_eq!(
        file.headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("public, max-age=31536000, immutable")
    );

    for (bytes, message) in [
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec(),
            "not a JPEG, PNG or WebP",
        ),
        (vec![0xFF; 6 * 1024 * 1024], "larger than 5 MB"),
        (photo()[..40_000].to_vec(), "damaged"),
        // A PNG whose data does not match its checksum.
        (
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\0\x01\0\0\x05\0\x01\r\n-\xb4\0\0\0\0IEND\xaeB`\x82".to_vec(),
            "damaged",
        ),
    ] {
        let refused = upload(&app, &staff, id, bytes, token.clone()).await;
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains(message), "{message}");
    }
    assert_eq!(
        upload(&app, &staff, id, photo(), None).await.status,
        403,
        "no token"
    );
    assert_eq!(
        stored(&app.db, id).await.0.images.len(),
        after.images.len(),
        "nothing added"
    );

    assert!(!before.images.is_empty(), "the new image goes after others");
    let main = staff
        .post(&format!("/products/{id}/images/main"), &[("path", &path)])
        .await;
    assert_eq!(main.status, 303);
    let reordered = stored(&app.db, id).await.0.images;
    assert_eq!(reordered[0], path, "the main image comes first");
    assert_eq!(reordered[1..], before.images[..]);
    assert_eq!(
        staff
            .post(
                &format!("/products/{id}/images/main"),
                &[("path", "media/x.png")]
            )
            .await
            .status,
        404
    );

    let removed = staff
        .post(&format!("/products/{id}/images/remove"), &[("path", &path)])
        .await;
    assert_eq!(removed.status, 303);
    assert_eq!(stored(&app.db, id).await.0.images, before.images);
}

async fn catalogue_managers_add_and_remove_variants(t: TestStore) {
    let ordered = test_order("variant", &[("DIS-BRUJA-MUJER-M", 1)]);
    t.store
        .place_order(&ordered, &|_: &comptoir_domain::order::OrderNumber| None)
        .await
        .unwrap();
    let (app, staff) = catalogue_manager(t).await;
    let witch = product_id(&app.db, "DIS-BRUJA-MUJER").await;
    let editor = format!("/products/{witch}");
    let add = format!("{editor}/variants");
    assert!(staff.get(&editor).await.body.contains("Add a variant"));
    let before = stored(&app.db, witch).await.0.variants.len();

    let added = staff
        .post(
            &add,
            &[
                ("sku", "DIS-BRUJA-MUJER-XXL"),
                ("size", "XXL"),
                ("colour", ""),
                ("stock", "4"),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let product = stored(&app.db, witch).await.0;
    assert_eq!(product.variants.len(), before + 1);
    let xxl = product.variants.last().unwrap();
    assert_eq!(
        (xxl.sku.as_str(), xxl.size.as_deref(), xxl.stock),
        ("DIS-BRUJA-MUJER-XXL", Some("XXL"), 4)
    );
    let taken = staff
        .post(
            &add,
            &[("sku", "PEL-AFRO-MULTI"), ("size", "XL"), ("stock", "1")],
        )
        .await;
    assert_eq!(taken.status, 422);
    assert!(taken.body.contains("Another variant already has that SKU"));
    let bad = staff
        .post(&add, &[("sku", "no sku"), ("size", ""), ("stock", "many")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("a size or a colour"));
    assert_eq!(stored(&app.db, witch).await.0.variants.len(), before + 1);

    let remove = |variant: i64| format!("{editor}/variants/{variant}/remove");
    let m = product
        .variants
        .iter()
        .find(|v| v.sku.as_str() == "DIS-BRUJA-MUJER-M")
        .unwrap();
    let kept = staff.post(&remove(m.id), &[]).await;
    assert_eq!(kept.status, 422);
    assert!(kept.body.contains("Orders name this variant"));
    assert_eq!(staff.post(&remove(xxl.id), &[]).await.status, 303);
    assert_eq!(stored(&app.db, witch).await.0.variants.len(), before);
    assert_eq!(
        staff.post(&remove(xxl.id), &[]).await.status,
        404,
        "removed once"
    );
    let wig = product_id(&app.db, "PEL-AFRO-MULTI").await;
    let only = stored(&app.db, wig).await.0.variants[0].id;
    let last = staff
        .post(&format!("/products/{wig}/variants/{only}/remove"), &[])
        .await;
    assert_eq!(last.status, 422);
    assert!(last.body.contains("at least one variant"));
    assert_eq!(
        staff.post(&remove(only), &[]).await.status,
        404,
        "another product's variant"
    );

    let audited: Vec<String> = app
        .db
        .store
        .audit_entries(&AuditFilter::default(), 50, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|entry| entry.action)
        .filter(|action| action.starts_with("product.variant"))
        .collect();
    assert_eq!(audited, ["product.variant.remove", "product.variant.add"]);

    app.add_staff("soporte@comptoir.test", Role::Support).await;
    let support = app.logged_in("soporte@comptoir.test").await;
    assert!(!support.get(&editor).await.body.contains("Add a variant"));
    let refused = support
        .post(&add, &[("sku", "DIS-BRUJA-MUJER-XS"), ("size", "XS")])
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(stored(&app.db, witch).await.0.variants.len(), before);
}

/// A product name a spreadsheet would run as a formula.
const FORMULA_NAME: &str = "=HYPERLINK(\"http://evil.example\",\"Disfraz\")";

async fn the_catalogue_export_imports_back_unchanged_and_imports_change_it(t: TestStore) {
    let loaded = t.store.load_catalogue().await.unwrap();
    let before = loaded.catalogue;
    let (app, staff) = catalogue_manager(t).await;
    let export = staff.get("/products/export.csv").await.body;
    let paths = app.db.store.category_paths().await.unwrap();
    let read = |text: &str| {
        comptoir_import::comptoir_products::read(text.as_bytes(), &paths)
            .unwrap()
            .all_or_nothing()
    };
    let file = read(&export).unwrap();
    assert_eq!(file.products.len(), before.products.len());
    let by = comptoir_store::Actor::command_line();
    let reported = std::sync::Mutex::new(Vec::new());
    let outcome = app
        .db
        .store
        .import_products(&file, &by, &|written| {
            reported.lock().unwrap().push(written);
        })
        .await
        .unwrap();
    assert_eq!(
        outcome,
        comptoir_store::ProductImportOutcome::Done {
            created: 0,
            updated: 0,
            unchanged: 2000,
            categories_created: 0,
        },
        "an export imported back leaves every product alone"
    );
    let reported = reported.into_inner().unwrap();
    assert_eq!(
        reported,
        [500, 1000, 1500, 2000],
        "the progress counts up to every product"
    );
    let reloaded = app.db.store.load_catalogue().await.unwrap();
    assert_eq!(
        reloaded.position, loaded.position,
        "nothing for the replicas to reload"
    );
    let after = reloaded.catalogue;
    for (old, new) in before.products.iter().zip(&after.products) {
        let mut old = old.clone();
        let mut new = new.clone();
        old.categories.sort_unstable();
        new.categories.sort_unstable();
        assert_eq!(new, old, "an export imported back changes nothing");
    }

    // A changed price, a new product, and the errors of a bad file.
    let lines: Vec<&str> = export.lines().collect();
    let wig = lines
        .iter()
        .position(|l| l.starts_with("PEL-AFRO-MULTI,"))
        .unwrap();
    let header: Vec<&str> = lines[0].split(',').collect();
    let price_es = header.iter().position(|c| *c == "price_es").unwrap();
    let mut row = csv_fields(lines[wig]);
    row[price_es] = "19.95".into();
    let mut new_product = row.clone();
    new_product[0] = "PEL-AFRO-NUEVA".into();
    for (i, column) in header.iter().enumerate() {
        if let Some(locale) = column.strip_prefix("url_key_") {
            new_product[i] = format!("peluca-afro-nueva-{locale}");
        }
        if *column == "variant_sku" {
            new_product[i] = "PEL-AFRO-NUEVA-U".into();
        }
        // Text a spreadsheet would run as a formula.
        if *column == "name_es" {
            new_product[i] = FORMULA_NAME.into();
        }
        if *column == "description_es" {
            new_product[i] = "- 100 % poliéster".into();
        }
    }
    let write = |rows: &[Vec<String>]| {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&header).unwrap();
        for row in rows {
            writer.write_record(row).unwrap();
        }
        String::from_utf8(writer.into_inner().unwrap()).unwrap()
    };
    let file = read(&write(&[row.clone(), new_product.clone()])).unwrap();
    let outcome = app
        .db
        .store
        .import_products(&file, &by, &|_| {})
        .await
        .unwrap();
    assert_eq!(
        outcome,
        comptoir_store::ProductImportOutcome::Done {
            created: 1,
            updated: 1,
            unchanged: 0,
            categories_created: 0,
        }
    );
    let catalogue = app.db.store.load_catalogue().await.unwrap().catalogue;
    let wig = catalogue
        .products
        .iter()
        .find(|p| p.sku.as_str() == "PEL-AFRO-MULTI")
        .unwrap();
    assert_eq!(
        wig.site(comptoir_domain::SiteCode::Es)
            .unwrap()
            .price
            .cents(),
        1_995
    );
    assert!(
        catalogue
            .products
            .iter()
            .any(|p| p.sku.as_str() == "PEL-AFRO-NUEVA")
    );
    // Exported, the formula is marked as text; imported back, it is the same text.
    let again = staff.get("/products/export.csv").await.body;
    let records = csv_records(&again);
    let name_es = header.iter().position(|c| *c == "name_es").unwrap();
    let nueva = records.iter().find(|r| &r[0] == "PEL-AFRO-NUEVA").unwrap();
    assert_eq!(&nueva[name_es], format!("'{FORMULA_NAME}"));
    let description_es = header.iter().position(|c| *c == "description_es").unwrap();
    assert_eq!(
        &nueva[description_es], "<p>- 100 % poliéster</p>",
        "descriptions are HTML: they start with a tag, never as a formula"
    );
    let outcome = app
        .db
        .store
        .import_products(&read(&again).unwrap(), &by, &|_| {})
        .await
        .unwrap();
    assert_eq!(
        outcome,
        comptoir_store::ProductImportOutcome::Done {
            created: 0,
            updated: 0,
            unchanged: 2001,
            categories_created: 0,
        },
        "the marked cells import back as the text they were"
    );

    let mut bad = row.clone();
    bad[price_es] = "-3".into();
    let mut unknown_category = row.clone();
    let categories = header.iter().position(|c| *c == "categories").unwrap();
    unknown_category[categories] = "Disfraces/No existe".into();
    let errors = read(&write(&[bad, unknown_category])).unwrap_err();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors[0].message.contains("site es: price '-3'"));
    assert!(errors.iter().any(|e| e.message.contains("differ")));
    let taken = {
        let mut clash = new_product.clone();
        clash[0] = "PEL-AFRO-OTRA".into();
        for (i, column) in header.iter().enumerate() {
            if *column == "variant_sku" {
                clash[i] = "PEL-AFRO-OTRA-U".into();
            }
        }
        read(&write(&[clash])).unwrap()
    };
    let refused = app
        .db
        .store
        .import_products(&taken, &by, &|_| {})
        .await
        .unwrap();
    assert!(
        matches!(refused, comptoir_store::ProductImportOutcome::Refused(clash) if clash.to_string().contains("belongs to another product"))
    );
    assert!(
        !app.db
            .store
            .load_catalogue()
            .await
            .unwrap()
            .catalogue
            .products
            .iter()
            .any(|p| p.sku.as_str() == "PEL-AFRO-OTRA"),
        "nothing written"
    );
}

/// Upload files left by an earlier run are deleted at start; a cut upload leaves
/// nothing; a file with a monstrous row is refused with a clear message and deleted.
async fn import_files_never_outlive_their_upload(t: TestStore) {
    use tokio::io::AsyncWriteExt;
    let folder = t.import_dir();
    let files = move || std::fs::read_dir(&folder).unwrap().count();
    std::fs::write(
        t.import_dir().join(format!("{}.csv", "0".repeat(64))),
        "sku\n",
    )
    .unwrap();
    assert_eq!(files(), 1);
    let (app, staff) = catalogue_manager(t).await;
    assert_eq!(files(), 0, "an earlier run's file is deleted at start");

    // A 1 GB upload cut after 4 MB.
    assert_eq!(staff.get("/import").await.status, 200);
    let token = staff.form_token().unwrap();
    let head = format!(
        "--cut\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n\
         --cut\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n\
         Content-Type: text/csv\r\n\r\nsku,name\n"
    );
    let mut socket = tokio::net::TcpStream::connect(&app.address).await.unwrap();
    let request = format!(
        "POST /import HTTP/1.1\r\nHost: {}\r\nCookie: backoffice_session={}\r\n\
         Content-Type: multipart/form-data; boundary=cut\r\nContent-Length: 1000000000\r\n\r\n{head}",
        app.address,
        staff.cookie("backoffice_session").unwrap()
    );
    socket.write_all(request.as_bytes()).await.unwrap();
    let row = b"DIS-X,Disfraz\n".repeat(4 * 1024 * 1024 / 14);
    socket.write_all(&row).await.unwrap();
    socket.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(files(), 1, "the upload is being received");
    drop(socket);
    let mut left = files();
    for _ in 0..50 {
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        left = files();
    }
    assert_eq!(left, 0, "a cut upload leaves nothing behind");

    // A 3 MB row.
    let export = staff.get("/products/export.csv").await.body;
    let header = export.lines().next().unwrap();
    let mut file = format!("{header}\nDIS-X,").into_bytes();
    file.extend(std::iter::repeat_n(b'x', 3 * 1024 * 1024));
    file.push(b'\n');
    let uploaded = post_file(
        &app,
        &staff,
        "/import",
        ("file", "long.csv"),
        file,
        Some(token),
    )
    .await;
    assert_eq!(uploaded.status, 303, "{}", uploaded.body);
    let refused = settled(&staff, &uploaded.location_path()).await;
    assert!(
        refused.body.contains("a row is longer than 1024 KiB"),
        "{}",
        refused.body
    );
    assert_eq!(files(), 0, "a refused file is deleted");
}

async fn staff_import_a_file_after_its_preview(t: TestStore) {
    let (app, staff) = catalogue_manager(t).await;
    let export = staff.get("/products/export.csv").await.body;
    let mut lines = export.lines();
    let header = lines.next().unwrap();
    let wig_rows: Vec<&str> = lines.filter(|l| l.starts_with("PEL-AFRO-MULTI,")).collect();
    let price_es = header.split(',').position(|c| c == "price_es").unwrap();
    // `row` with its Spanish price replaced by `price`.
    let repriced = |row: &str, price: &str| {
        let mut record = csv_fields(row);
        record[price_es] = price.into();
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&record).unwrap();
        String::from_utf8(writer.into_inner().unwrap()).unwrap()
    };
    let changed: Vec<String> = wig_rows.iter().map(|row| repriced(row, "11.11")).collect();
    let file = format!("{header}\r\n{}", changed.concat());
    assert_eq!(staff.get("/import").await.status, 200);
    let token = staff.form_token();
    let uploaded = post_file(
        &app,
        &staff,
        "/import",
        ("file", "catalogo.csv"),
        file.into_bytes(),
        token.clone(),
    )
    .await;
    assert_eq!(uploaded.status, 303, "{}", uploaded.body);
    let job = uploaded.location_path();
    let preview = settled(&staff, &job).await;
    assert!(
        preview
            .body
            .contains("1 products, 1 variants, 0 old URLs to redirect, every row checked."),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("catalogo.csv"));
    let wig = product_id(&app.db, "PEL-AFRO-MULTI").await;
    let es =
        |p: &comptoir_domain::Product| p.site(comptoir_domain::SiteCode::Es).unwrap().price.cents();
    assert_ne!(
        es(&stored(&app.db, wig).await.0),
        1_111,
        "nothing written before the import is confirmed"
    );
    let started = staff.post(&job, &[]).await;
    assert_eq!(started.status, 303);
    assert_eq!(started.location_path(), job);
    let done = settled(&staff, &job).await;
    assert!(
        done.body
            .contains("Imported: 0 products created, 1 updated, 0 unchanged."),
        "{}",
        done.body
    );
    assert_eq!(es(&stored(&app.db, wig).await.0), 1_111);
    let again = staff.post(&job, &[]).await;
    assert_eq!(again.status, 303, "a second click shows the job");
    let imports = app
        .db
        .store
        .audit_entries(&comptoir_store::AuditFilter::default(), 100, 0)
        .await
        .unwrap()
        .into_iter()
        .filter(|entry| entry.action == "products.import")
        .count();
    assert_eq!(imports, 1, "imported once");
    assert_eq!(staff.get("/import/../../etc/passwd").await.status, 404);
    assert_eq!(
        staff
            .get(&format!("/import/{}", "0".repeat(64)))
            .await
            .status,
        404
    );

    let bad = format!("{header}\n{}", changed.concat().replace("11.11", "once"));
    let refused = post_file(
        &app,
        &staff,
        "/import",
        ("file", "catalogo.csv"),
        bad.into_bytes(),
        token.clone(),
    )
    .await;
    let refused = settled(&staff, &refused.location_path()).await;
    assert!(refused.body.contains("The file has errors and no product"));
    assert!(
        refused
            .body
            .contains("<td class=\"num\">2</td><td>site es: price &#39;once&#39;")
    );
    assert!(
        !refused.body.contains("Import them"),
        "a file with errors cannot be imported"
    );
    // A wrong row leaves its product out; the rest is imported once confirmed.
    let witch_row = export
        .lines()
        .find(|l| l.starts_with("DIS-BRUJA-MUJER,"))
        .unwrap();
    let wrong_witch = repriced(witch_row, "once");
    let mixed = format!(
        "{header}\n{}{wrong_witch}",
        changed.concat().replace("11.11", "12.12")
    );
    let uploaded = post_file(
        &app,
        &staff,
        "/import",
        ("file", "mezcla.csv"),
        mixed.into_bytes(),
        token.clone(),
    )
    .await;
    let partial = uploaded.location_path();
    let preview = settled(&staff, &partial).await;
    assert!(
        preview.body.contains("1 rows will be left out"),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("Import the 1 products"));
    staff.post(&partial, &[]).await;
    let done = settled(&staff, &partial).await;
    assert!(
        done.body
            .contains("0 products created, 1 updated, 0 unchanged; 1 rows of the file left out."),
        "{}",
        done.body
    );
    assert_eq!(es(&stored(&app.db, wig).await.0), 1_212);
    let garbage = post_file(
        &app,
        &staff,
        "/import",
        ("file", "x.csv"),
        b"\x00\x01garbage\nno,header".to_vec(),
        token.clone(),
    )
    .await;
    let garbage = settled(&staff, &garbage.location_path()).await;
    assert!(
        garbage
            .body
            .contains("The file cannot be read: the header is neither")
    );
    let empty = post_file(
        &app,
        &staff,
        "/import",
        ("file", "x.csv"),
        Vec::new(),
        token,
    )
    .await;
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("Choose a CSV file"));
}

/// The import job's page once it has stopped refreshing itself (checked, refused or
/// done).
async fn settled(staff: &Shopper, job: &str) -> Page {
    for _ in 0..300 {
        let page = staff.get(job).await;
        assert_eq!(page.status, 200, "{job}: {}", page.body);
        if !page.body.contains("http-equiv=\"refresh\"") {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import {job} is still running after 15 s");
}

/// A legal page renamed and rewritten in the back office reaches two storefronts
/// within 5 s, its old key redirecting; raw HTML stays text; a save from an older
/// version, a reserved or taken key, and read-only staff change nothing; blocks and
/// the seller identity show on every page.
async fn catalogue_managers_edit_content_and_shoppers_see_it(t: TestStore) {
    let shop_a = spawn_app(TestStore::sharing(&t).await).await;
    let shop_b = spawn_app(TestStore::sharing(&t).await).await;
    let id = t
        .store
        .content()
        .await
        .unwrap()
        .pages
        .into_iter()
        .find(|page| page.url_key == "aviso-legal")
        .expect("the sample legal notice")
        .id;
    let (app, staff) = catalogue_manager(t).await;
    let overview = staff.get("/content").await;
    assert!(
        overview
            .body
            .contains(&format!("<a href=\"/content/pages/{id}\">Aviso legal</a>"))
    );

    let editor_path = format!("/content/pages/{id}");
    let opened = form_with(&staff, &editor_path, &[]).await;
    let form = form_with(
        &staff,
        &editor_path,
        &[
            ("title", "Aviso legal y contacto"),
            ("url_key", "aviso-legal-y-contacto"),
            (
                "body",
                "Atendemos de **9 a 18 h** en {{email}}.\n\n<script>alert(1)</script>",
            ),
        ],
    )
    .await;
    let saved = post_form(&staff, &editor_path, &form).await;
    assert_eq!((saved.status, saved.location()), (303, "/content?done=1"));
    for shop in [&shop_a, &shop_b] {
        let shown = shop
            .eventually(
                "/es/aviso-legal-y-contacto",
                Duration::from_secs(5),
                |body| {
                    body.contains("Atendemos de <strong>9 a 18 h</strong> en tienda@example.com.")
                },
            )
            .await;
        assert!(shown, "the page on {} within 5 s", shop.address);
        let page = shop.get("/es/aviso-legal-y-contacto").await;
        assert!(!page.body.contains("<script>alert"), "raw HTML is text");
        assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(
            page.body.contains(">Aviso legal y contacto</a></li>"),
            "in the footer"
        );
        let old = shop.get("/es/aviso-legal").await;
        assert_eq!(old.status, 301);
        assert_eq!(old.location_path(), "/es/aviso-legal-y-contacto");
    }

    // The form opened before the save is one version behind.
    let stale = post_form(&staff, &editor_path, &opened).await;
    assert_eq!(stale.status, 409);
    assert!(
        stale
            .body
            .contains("Someone saved this page since you opened it")
    );
    let versions = staff.get(&editor_path).await;
    assert!(
        versions
            .body
            .contains(&format!("/content/pages/{id}/versions/1\""))
    );
    assert!(
        versions
            .body
            .contains(&format!("/content/pages/{id}/versions/2\""))
    );
    let first = staff.get(&format!("/content/pages/{id}/versions/1")).await;
    assert!(
        first.body.contains("Titular del sitio web"),
        "the first text is kept"
    );

    let reserved = post_form(
        &staff,
        "/content/pages/new",
        &form_with(
            &staff,
            "/content/pages/new",
            &[("site", "es"), ("title", "Cesta"), ("url_key", "cart")],
        )
        .await,
    )
    .await;
    assert_eq!(reserved.status, 422);
    assert!(
        reserved
            .body
            .contains("URL key: a page of the storefront itself uses it."),
        "{}",
        reserved.body
    );
    let taken = post_form(
        &staff,
        "/content/pages/new",
        &form_with(
            &staff,
            "/content/pages/new",
            &[
                ("site", "es"),
                ("title", "Otra"),
                ("url_key", "politica-de-cookies"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(taken.status, 409);

    let notice = form_with(
        &staff,
        "/content/blocks/es/site_notice",
        &[("body", "Rebajas de *carnaval*")],
    )
    .await;
    let saved = post_form(&staff, "/content/blocks/es/site_notice", &notice).await;
    assert_eq!(saved.status, 303);
    let identity = form_with(
        &staff,
        "/content/identity/it",
        &[("company_name", "Maschere Srl")],
    )
    .await;
    let saved = post_form(&staff, "/content/identity/it", &identity).await;
    assert_eq!(saved.status, 303);
    assert!(
        shop_a
            .eventually("/es/", Duration::from_secs(5), |body| body.contains(
                "<aside class=\"site-notice\"><p>Rebajas de <em>carnaval</em></p>"
            ))
            .await
    );
    assert!(
        shop_a
            .eventually("/it/", Duration::from_secs(5), |body| body
                .contains("Maschere Srl · P.IVA IT00000000000 (esempio)"))
            .await
    );

    app.add_staff("apoyo@comptoir.test", Role::Support).await;
    let support = app.logged_in("apoyo@comptoir.test").await;
    assert_eq!(support.get(&editor_path).await.status, 200);
    let refused = post_form(&support, &editor_path, &form).await;
    assert_eq!(refused.status, 403);

    let audit = app
        .db
        .store
        .audit_entries(
            &AuditFilter {
                entity: Some("content_page".to_owned()),
                entity_id: Some(id.to_string()),
                action_prefix: Some("content_page.update".to_owned()),
                ..AuditFilter::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor, "catalogo@comptoir.test");
}
