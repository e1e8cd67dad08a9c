//! Customer accounts through HTTP, on PostgreSQL + Redis and on the embedded default.

use std::time::Duration;

use comptoir_domain::staff::Role;
use comptoir_e2e::{
    Shopper, TestApp, TestBackoffice, TestStore, backoffice_config, coded_promotion,
    default_networks, on_both_backends, spawn_app, spawn_backoffice, test_order,
};

on_both_backends! {
    register_order_and_log_out,
    registration_tells_no_one_whether_an_address_has_an_account,
    form_tokens_are_the_sessions_and_change_at_login_and_logout,
    failed_logins_look_alike_and_are_limited,
    a_password_is_reset_by_mail_once,
    a_new_password_ends_other_sessions_and_older_links,
    the_guest_cart_joins_the_customers_at_login,
    addresses_are_checked_and_private,
    an_erased_customer_is_gone_and_their_orders_restricted,
    the_newsletter_is_the_customers_choice_and_the_admins_list,
    a_customer_is_told_in_the_cart_that_their_code_is_used,
}

const PASSWORD: &str = "disfraces de carnaval";

/// Registers `email` as its owner does: the form, the link in the mail, then the
/// first login.
async fn register(app: &TestApp, shopper: &Shopper, email: &str) {
    let sent = ask_to_register(shopper, email, PASSWORD).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.body.contains("Te hemos enviado un correo"));
    let token = activation_token(app, email)
        .await
        .expect("an activation mail");
    let form = shopper
        .get(&format!("/es/account/activate?token={token}"))
        .await;
    assert_eq!(form.status, 200);
    let activated = shopper
        .post("/es/account/activate", &[("token", &token)])
        .await;
    assert_eq!(
        activated.location_path(),
        "/es/account/login?notice=activated"
    );
    let logged_in = shopper.log_in(email, PASSWORD).await;
    assert_eq!(logged_in.status, 303, "{}", logged_in.body);
    assert_eq!(logged_in.location_path(), "/es/account");
}

/// From a started checkout to a placed cash-on-delivery order for Ana in Madrid,
/// accepting the terms: the attempt's key and the answer to placing it.
async fn place_cash_on_delivery(shopper: &Shopper) -> (String, comptoir_e2e::Page) {
    for (path, fields) in [
        (
            "/es/checkout/address",
            vec![
                ("email", "ana@example.es"),
                ("name", "Ana García"),
                ("street", "Calle Mayor 1"),
                ("postcode", "28013"),
                ("city", "Madrid"),
                ("country", "ES"),
                ("phone", "612345678"),
            ],
        ),
        ("/es/checkout/payment", vec![("method", "cash-on-delivery")]),
    ] {
        assert_eq!(shopper.post(path, &fields).await.status, 303, "{path}");
    }
    let review = shopper.get("/es/checkout/review").await;
    let attempt = review.hidden("attempt").unwrap();
    let placed = shopper
        .post(
            "/es/checkout/place",
            &[("attempt", &attempt), ("accept_terms", "1")],
        )
        .await;
    (attempt, placed)
}

/// Posts the registration form.
async fn ask_to_register(shopper: &Shopper, email: &str, password: &str) -> comptoir_e2e::Page {
    assert_eq!(shopper.get("/es/account/register").await.status, 200);
    shopper
        .post(
            "/es/account/register",
            &[
                ("name", "Ana García"),
                ("email", email),
                ("password", password),
                ("password_again", password),
            ],
        )
        .await
}

/// The token of the last activation link mailed to `email`.
async fn activation_token(app: &TestApp, email: &str) -> Option<String> {
    let mail = app
        .db
        .mail_with(&format!("To: {}", email.to_lowercase()))
        .await?;
    let link = mail
        .split_whitespace()
        .find(|word| word.contains("/account/activate?token="))?;
    Some(link.split("token=").nth(1)?.to_owned())
}

async fn log_out(shopper: &Shopper) {
    let out = shopper.post("/es/account/logout", &[]).await;
    assert_eq!(out.status, 303);
}

async fn add(shopper: &Shopper, variant: &str) {
    shopper.get("/es/p/disfraz-de-bruja-para-mujer").await;
    let added = shopper
        .post("/es/cart/add", &[("variant", variant), ("quantity", "1")])
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
}

async fn register_order_and_log_out(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    // A guest starts a checkout (a session exists), then registers.
    add(&shopper, "DIS-BRUJA-MUJER-M").await;
    assert_eq!(shopper.get("/es/checkout").await.status, 303);
    let guest_session = shopper.cookie("session").expect("a guest session");
    register(&app, &shopper, "Ana@Example.es").await;
    let customer_session = shopper.cookie("session").expect("a customer session");
    assert_ne!(
        guest_session, customer_session,
        "the session id changes at login"
    );
    let account = shopper.get("/es/account").await;
    assert!(account.body.contains("Ana García · ana@example.es"));
    assert!(account.body.contains("Todavía no has hecho ningún pedido."));
    // The checkout knows the customer: the e-mail is the account's.
    let start = shopper.get("/es/checkout").await;
    assert_eq!(start.status, 303);
    let (_, placed) = place_cash_on_delivery(&shopper).await;
    let order_path = placed.location_path();
    let number = order_path.trim_start_matches("/es/order/").to_owned();
    let account = shopper.get("/es/account").await;
    assert!(
        account.body.contains(&number),
        "the order is in the history"
    );
    // The customer takes their data away: the account, the order and its lines.
    let data = shopper.get("/es/account/data").await;
    assert_eq!(data.status, 200);
    assert_eq!(data.headers["cache-control"], "private, no-store");
    assert_eq!(
        data.headers["content-disposition"],
        "attachment; filename=\"my-data.json\""
    );
    let data: serde_json::Value = serde_json::from_str(&data.body).expect("JSON");
    assert_eq!(data["account"]["email"], "ana@example.es");
    assert!(data["account"].get("password_hash").is_none());
    let order = &data["orders"][0];
    assert_eq!(order["number"], number.as_str());
    assert_eq!(order["ship_to"]["city"], "Madrid");
    assert_eq!(order["lines"][0]["sku"], "DIS-BRUJA-MUJER-M");
    assert_eq!(order["lines"][0]["unit_price"], "24.99");
    assert_eq!(order["currency"], "EUR");
    let before_logout = shopper.cookie("session");
    log_out(&shopper).await;
    assert_ne!(shopper.cookie("session"), before_logout, "the session ends");
    assert!(
        shopper.cookie("cart").is_none(),
        "the cart stays with the account"
    );
    let account = shopper.get("/es/account").await;
    assert_eq!(account.location_path(), "/es/account/login");
    let data = shopper.get("/es/account/data").await;
    assert_eq!(
        data.location_path(),
        "/es/account/login",
        "no data without the account"
    );
    assert_eq!(shopper.get(&order_path).await.status, 404, "logged out");
    assert_eq!(shopper.log_in("ana@example.es", PASSWORD).await.status, 303);
    assert_eq!(
        shopper.get(&order_path).await.status,
        200,
        "the customer's order"
    );
    // One account per address, whatever its case: the owner is warned, nothing
    // else changes.
    let other = Shopper::new(&app.address);
    let taken = ask_to_register(&other, "ANA@example.es", "otra contraseña larga").await;
    assert_eq!(taken.status, 200);
    assert!(
        app.db
            .mail_with("Alguien ha intentado registrarse")
            .await
            .is_some_and(|mail| mail.contains("To: ana@example.es"))
    );
    assert_eq!(shopper.log_in("ana@example.es", PASSWORD).await.status, 303);
}

async fn registration_tells_no_one_whether_an_address_has_an_account(db: TestStore) {
    let app = spawn_app(db).await;
    let ana = Shopper::new(&app.address);
    register(&app, &ana, "ana.reg@example.es").await;
    let stranger = Shopper::new(&app.address);
    let taken = ask_to_register(&stranger, "ana.reg@example.es", "otra contraseña larga").await;
    let new = ask_to_register(&stranger, "nuevo@example.es", "otra contraseña larga").await;
    assert_eq!((taken.status, new.status), (200, 200));
    let notice = "Te hemos enviado un correo. Abre el enlace que contiene para activar tu cuenta.";
    assert!(taken.body.contains(notice) && new.body.contains(notice));
    assert!(
        !taken.body.contains("Ya existe"),
        "nothing tells the address is taken"
    );
    let warning = app
        .db
        .mail_with("Alguien ha intentado registrarse")
        .await
        .expect("the owner is told");
    assert!(warning.contains("To: ana.reg@example.es"));
    assert!(warning.contains("/es/account/forgot"));
    assert_eq!(
        ana.log_in("ana.reg@example.es", PASSWORD).await.status,
        303,
        "unchanged"
    );
    // The new account waits for its link.
    let early = stranger
        .log_in("nuevo@example.es", "otra contraseña larga")
        .await;
    assert_eq!(early.status, 403);
    assert!(early.body.contains("Activa tu cuenta"));
    let wrong = stranger
        .log_in("nuevo@example.es", "no es la contraseña")
        .await;
    assert_eq!(
        wrong.status, 401,
        "only the password's owner learns it waits"
    );
    let first = activation_token(&app, "nuevo@example.es").await.unwrap();
    // Registering it again sends a new link; the password stays the first one.
    ask_to_register(&stranger, "nuevo@example.es", "una tercera contraseña").await;
    let links = app.db.mails_with("/account/activate?token=", 3).await;
    assert_eq!(links.len(), 3, "ana's, and two for the new address");
    let used = stranger
        .post("/es/account/activate", &[("token", &first)])
        .await;
    assert_eq!(used.location_path(), "/es/account/login?notice=activated");
    let again = stranger
        .post("/es/account/activate", &[("token", &first)])
        .await;
    assert_eq!(again.status, 422, "a link works once");
    let bogus = stranger
        .post("/es/account/activate", &[("token", "x")])
        .await;
    assert_eq!(bogus.status, 422);
    assert_eq!(
        stranger
            .log_in("nuevo@example.es", "una tercera contraseña")
            .await
            .status,
        401
    );
    assert_eq!(
        stranger
            .log_in("nuevo@example.es", "otra contraseña larga")
            .await
            .status,
        303
    );
    // Registrations per client address are limited.
    let mut statuses = Vec::new();
    for n in 0..4 {
        let page = ask_to_register(&stranger, &format!("otro{n}@example.es"), PASSWORD).await;
        statuses.push(page.status);
    }
    assert_eq!(
        statuses,
        [200, 429, 429, 429],
        "five in the window: {statuses:?}"
    );
}

async fn form_tokens_are_the_sessions_and_change_at_login_and_logout(db: TestStore) {
    let app = spawn_app(db).await;
    let ana = Shopper::new(&app.address);
    register(&app, &ana, "ana.tokens@example.es").await;
    log_out(&ana).await;
    ana.get("/es/account/login").await;
    let before_login = ana.form_token().expect("the login form's token");
    assert!(ana.log_in("ana.tokens@example.es", PASSWORD).await.status == 303);
    let logged_in = ana.form_token().expect("the account page's token");
    assert_ne!(before_login, logged_in, "a login rotates the token");
    let address = |token: String| {
        let ana = &ana;
        async move {
            let fields = [
                ("csrf", token.as_str()),
                ("name", "Ana"),
                ("street", "Calle Mayor 1"),
                ("postcode", "28013"),
                ("city", "Madrid"),
                ("country", "ES"),
            ];
            ana.post_raw("/es/account/addresses", &fields).await.status
        }
    };
    assert_eq!(address(before_login).await, 403, "the old token is dead");
    assert_eq!(address(logged_in.clone()).await, 303);
    log_out(&ana).await;
    ana.get("/es/account/login").await;
    assert_ne!(
        ana.form_token(),
        Some(logged_in.clone()),
        "a logout rotates it too"
    );
    assert_eq!(address(logged_in).await, 403);
}

async fn failed_logins_look_alike_and_are_limited(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    register(&app, &shopper, "luis@example.es").await;
    log_out(&shopper).await;
    let unknown = shopper.log_in("nadie@example.es", PASSWORD).await;
    let wrong = shopper.log_in("luis@example.es", "contraseña mala").await;
    assert_eq!((unknown.status, wrong.status), (401, 401));
    let message = "El correo o la contraseña no son correctos.";
    assert!(unknown.body.contains(message) && wrong.body.contains(message));
    assert!(
        !wrong.body.contains("contraseña mala"),
        "passwords are not echoed"
    );
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(
            shopper
                .log_in("luis@example.es", "contraseña mala")
                .await
                .status,
        );
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    let limited = shopper.log_in("luis@example.es", PASSWORD).await;
    assert_eq!(limited.status, 429, "even the right password waits");
    assert!(limited.body.contains("Demasiados intentos"));
    // Luis, on his own phone, is not locked out by the guesses.
    let luis = Shopper::from_client_address(&app.address, std::net::Ipv4Addr::new(127, 0, 0, 3));
    luis.get("/es/account/login").await;
    assert_eq!(luis.log_in("luis@example.es", PASSWORD).await.status, 303);
}

async fn a_password_is_reset_by_mail_once(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    register(&app, &shopper, "marta@example.es").await;
    log_out(&shopper).await;
    shopper.get("/es/account/forgot").await;
    for email in ["marta@example.es", "nadie@example.es"] {
        let asked = shopper
            .post("/es/account/forgot", &[("email", email)])
            .await;
        assert_eq!(asked.status, 200);
        assert!(
            asked.body.contains("Si existe una cuenta con ese correo"),
            "{email}"
        );
    }
    let mail = app
        .db
        .mail_with("Restablece tu contraseña")
        .await
        .expect("a reset mail");
    assert!(mail.contains("To: marta@example.es"));
    let link = mail
        .split_whitespace()
        .find(|word| word.contains("/account/reset?token="))
        .expect("a link");
    let resets = app.db.mails_with("/account/reset?token=", 1).await;
    assert_eq!(resets.len(), 1, "no mail for an unknown address");
    let form = shopper.get(link).await;
    assert_eq!(form.status, 200);
    let token = form.hidden("token").unwrap();
    let short = shopper
        .post(
            "/es/account/reset",
            &[
                ("token", &token),
                ("password", "corta"),
                ("password_again", "corta"),
            ],
        )
        .await;
    assert_eq!(short.status, 422);
    let new_password = "una contraseña nueva";
    let fields = [
        ("token", token.as_str()),
        ("password", new_password),
        ("password_again", new_password),
    ];
    let changed = shopper.post("/es/account/reset", &fields).await;
    assert_eq!(
        changed.location_path(),
        "/es/account/login?notice=password-changed"
    );
    let again = shopper.post("/es/account/reset", &fields).await;
    assert_eq!(again.status, 422, "a link works once");
    assert!(again.body.contains("no es válido o ha caducado"));
    assert_eq!(
        shopper.log_in("marta@example.es", PASSWORD).await.status,
        401
    );
    assert_eq!(
        shopper
            .log_in("marta@example.es", new_password)
            .await
            .status,
        303
    );
}

async fn a_new_password_ends_other_sessions_and_older_links(db: TestStore) {
    let app = spawn_app(db).await;
    let phone = Shopper::new(&app.address);
    register(&app, &phone, "elena@example.es").await;
    let laptop = Shopper::new(&app.address);
    assert_eq!(
        laptop.log_in("elena@example.es", PASSWORD).await.status,
        303
    );
    assert_eq!(laptop.get("/es/account").await.status, 200);
    // Two links asked for; the newer one is used.
    let stranger = Shopper::new(&app.address);
    stranger.get("/es/account/forgot").await;
    for _ in 0..2 {
        let asked = stranger
            .post("/es/account/forgot", &[("email", "elena@example.es")])
            .await;
        assert_eq!(asked.status, 200);
    }
    let links: Vec<String> = app
        .db
        .mails_with("/account/reset?token=", 2)
        .await
        .iter()
        .filter(|mail| mail.contains("To: elena@example.es"))
        .filter_map(|mail| {
            mail.split_whitespace()
                .find(|word| word.contains("/account/reset?token="))
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(links.len(), 2);
    let new_password = "otra contraseña nueva";
    let reset_with = |link: String| {
        let stranger = &stranger;
        async move {
            let form = stranger.get(&link).await;
            let token = form.hidden("token").unwrap();
            let fields = [
                ("token", token.as_str()),
                ("password", new_password),
                ("password_again", new_password),
            ];
            stranger.post("/es/account/reset", &fields).await.status
        }
    };
    assert_eq!(reset_with(links[1].clone()).await, 303);
    for (name, browser) in [("phone", &phone), ("laptop", &laptop)] {
        let account = browser.get("/es/account").await;
        assert_eq!(account.status, 303, "{name}: the session ended");
        assert_eq!(account.location_path(), "/es/account/login");
    }
    assert_eq!(
        reset_with(links[0].clone()).await,
        422,
        "the older link died with the new password"
    );
    assert_eq!(
        laptop.log_in("elena@example.es", new_password).await.status,
        303
    );
    assert_eq!(laptop.get("/es/account").await.status, 200);
}

async fn the_guest_cart_joins_the_customers_at_login(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    register(&app, &shopper, "pablo@example.es").await;
    add(&shopper, "DIS-BRUJA-MUJER-S").await;
    log_out(&shopper).await;
    // Later, as a guest on the same browser, another article, then logging in.
    add(&shopper, "DIS-BRUJA-MUJER-M").await;
    assert_eq!(
        shopper.log_in("pablo@example.es", PASSWORD).await.status,
        303
    );
    let cart = shopper.get("/es/cart").await;
    assert!(cart.body.contains("DIS-BRUJA-MUJER-S") && cart.body.contains("DIS-BRUJA-MUJER-M"));
    assert_eq!(shopper.cookie("cart_units").as_deref(), Some("2"));
}

async fn addresses_are_checked_and_private(db: TestStore) {
    let app = spawn_app(db).await;
    let ana = Shopper::new(&app.address);
    register(&app, &ana, "ana.dir@example.es").await;
    let bad = ana
        .post(
            "/es/account/addresses",
            &[
                ("name", "Ana"),
                ("street", "Calle Mayor 1"),
                ("postcode", "ABC"),
                ("city", "Madrid"),
                ("country", "ES"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Este código postal no es válido"));
    assert!(bad.body.contains("value=\"Calle Mayor 1\""), "input kept");
    let good = ana
        .post(
            "/es/account/addresses",
            &[
                ("name", "Ana"),
                ("street", "Calle Mayor 1"),
                ("postcode", "35001"),
                ("city", "Las Palmas"),
                ("country", "ES"),
            ],
        )
        .await;
    assert_eq!(good.status, 303);
    let account = ana.get(&good.location_path()).await;
    assert!(account.body.contains("Dirección guardada."));
    let id = account.hidden("id").expect("the address can be deleted");
    let luis = Shopper::new(&app.address);
    register(&app, &luis, "luis.dir@example.es").await;
    let stolen = luis
        .post("/es/account/addresses/delete", &[("id", &id)])
        .await;
    assert_eq!(stolen.status, 404);
    assert!(ana.get("/es/account").await.body.contains("Las Palmas"));
    let deleted = ana
        .post("/es/account/addresses/delete", &[("id", &id)])
        .await;
    assert_eq!(deleted.status, 303);
    assert!(!ana.get("/es/account").await.body.contains("Las Palmas"));
    // The book holds twenty addresses; the twenty-first is refused with the reason.
    let address = |n: usize| {
        let street = format!("Calle Mayor {n}");
        let fields = [
            ("name", "Ana".to_owned()),
            ("street", street),
            ("postcode", "28013".to_owned()),
            ("city", "Madrid".to_owned()),
            ("country", "ES".to_owned()),
        ];
        let ana = &ana;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            ana.post("/es/account/addresses", &fields).await
        }
    };
    for n in 1..=20 {
        assert_eq!(address(n).await.status, 303, "address {n}");
    }
    let full = address(21).await;
    assert_eq!(full.status, 422);
    assert!(full.body.contains("Tu libreta ya tiene 20 direcciones"));
    assert!(!ana.get("/es/account").await.body.contains("Calle Mayor 21"));
}

/// A customer asks to be erased (their password confirms it), an admin carries it
/// out: the account, its session and its mails are gone, the order stays for tax
/// law, restricted; the request is kept, masked, and cannot be carried out twice.
/// The back office of `app`'s shop, with the admin `dpo@comptoir.test`.
async fn office_with_admin(app: &TestApp) -> TestBackoffice {
    let backoffice = spawn_backoffice(
        TestStore::sharing(&app.db).await,
        backoffice_config(default_networks(), Duration::from_secs(3600)),
    )
    .await;
    backoffice.add_staff("dpo@comptoir.test", Role::Admin).await;
    backoffice
}

/// A customer subscribes in their account on the site they are on, and leaves
/// the same way; admins export who is subscribed, with the date of their consent;
/// other staff may not.
async fn the_newsletter_is_the_customers_choice_and_the_admins_list(db: TestStore) {
    let app = spawn_app(db).await;
    let ana = Shopper::new(&app.address);
    register(&app, &ana, "ana.news@example.es").await;
    let account = ana.get("/fr/account").await.body;
    assert!(account.contains("Newsletter"));
    assert!(
        account.contains(r#"name="subscribed" value="1">"#),
        "not ticked"
    );
    let saved = ana
        .post("/fr/account/newsletter", &[("subscribed", "1")])
        .await;
    assert_eq!(saved.status, 303);
    let account = ana.get(&saved.location_path()).await.body;
    assert!(account.contains("Vous êtes abonné à la newsletter."));
    assert!(account.contains(r#"name="subscribed" value="1" checked>"#));
    assert!(account.contains("Abonné depuis le"));

    let backoffice = office_with_admin(&app).await;
    backoffice
        .add_staff("catalogo@comptoir.test", Role::CatalogueManager)
        .await;
    let catalogue_staff = backoffice.logged_in("catalogo@comptoir.test").await;
    assert_eq!(
        catalogue_staff.get("/privacy/newsletter.csv").await.status,
        403
    );
    let admin = backoffice.logged_in("dpo@comptoir.test").await;
    assert!(
        admin
            .get("/privacy")
            .await
            .body
            .contains("1 people get the newsletter")
    );
    let list = admin.get("/privacy/newsletter.csv").await;
    assert_eq!(list.status, 200);
    assert_eq!(
        list.headers["content-disposition"],
        "attachment; filename=\"newsletter.csv\""
    );
    let rows: Vec<&str> = list.body.lines().collect();
    assert_eq!(rows[0], "email,site,language,subscribed_at");
    assert!(
        rows[1].starts_with("ana.news@example.es,fr,fr,"),
        "{}",
        list.body
    );

    let left = ana.post("/fr/account/newsletter", &[]).await;
    let account = ana.get(&left.location_path()).await.body;
    assert!(account.contains("Vous ne recevrez plus la newsletter."));
    assert!(account.contains(r#"name="subscribed" value="1">"#));
    let list = admin.get("/privacy/newsletter.csv").await.body;
    assert_eq!(list.lines().count(), 1, "only the header: {list}");
}

async fn an_erased_customer_is_gone_and_their_orders_restricted(db: TestStore) {
    let app = spawn_app(db).await;
    let shopper = Shopper::new(&app.address);
    register(&app, &shopper, "ana@example.es").await;
    add(&shopper, "DIS-BRUJA-MUJER-M").await;
    assert_eq!(shopper.get("/es/checkout").await.status, 303);
    let (attempt, _) = place_cash_on_delivery(&shopper).await;
    let order_id = app
        .db
        .store
        .order_id_by_idempotency_key(&attempt)
        .await
        .unwrap()
        .expect("placed");

    let account = shopper.get("/es/account").await;
    assert!(account.body.contains("Pedir la supresión de mi cuenta"));
    let wrong = shopper
        .post("/es/account/erase", &[("password", "no es la mía")])
        .await;
    assert!(
        wrong.body.contains("La contraseña no es correcta"),
        "{}",
        wrong.body
    );
    let asked = shopper
        .post("/es/account/erase", &[("password", PASSWORD)])
        .await;
    assert_eq!(asked.location_path(), "/es/account");
    let account = shopper.get("/es/account").await;
    assert!(
        account
            .body
            .contains("Pediste la supresión de tu cuenta el")
    );
    assert!(!account.body.contains("Pedir la supresión de mi cuenta"));

    let backoffice = office_with_admin(&app).await;
    backoffice
        .add_staff("pedidos@comptoir.test", Role::OrderManager)
        .await;
    let orders_staff = backoffice.logged_in("pedidos@comptoir.test").await;
    assert_eq!(orders_staff.get("/privacy").await.status, 403);
    let admin = backoffice.logged_in("dpo@comptoir.test").await;
    let requests = admin.get("/privacy").await;
    assert!(requests.body.contains("ana@example.es"));
    let id = app.db.store.erasure_requests(10).await.unwrap()[0].id;
    let erased = admin.post(&format!("/privacy/{id}/erase"), &[]).await;
    assert_eq!(erased.location_path(), "/privacy?done=1", "{}", erased.body);
    let again = admin.post(&format!("/privacy/{id}/erase"), &[]).await;
    assert_eq!(again.status, 409);
    let requests = admin.get("/privacy").await;
    assert!(requests.body.contains("a•••@example.es"));
    assert!(!requests.body.contains("ana@example.es"));

    let account = shopper.get("/es/account").await;
    assert_eq!(
        account.location_path(),
        "/es/account/login",
        "the session ended"
    );
    assert_eq!(shopper.log_in("ana@example.es", PASSWORD).await.status, 401);
    assert_eq!(
        app.db
            .store
            .customer_by_email("ana@example.es")
            .await
            .unwrap(),
        None
    );
    let order = app.db.store.order(order_id).await.unwrap().unwrap();
    assert_eq!(order.customer_id, None);
    assert_eq!(order.ship_to.name, "Ana García", "kept intact for tax law");
    let until = order.restricted_until.expect("restricted");
    assert!(until > chrono::Utc::now() + chrono::Duration::days(365 * 6 - 2));
    let mail = app
        .db
        .mail_with("Hemos suprimido tu cuenta")
        .await
        .expect("told");
    assert!(mail.contains("To: ana@example.es"));
}

/// A code for one use per customer: a customer who used it is told so in the cart,
/// before the checkout; another customer may use it.
async fn a_customer_is_told_in_the_cart_that_their_code_is_used(db: TestStore) {
    use comptoir_domain::promotions::{Audience, CouponCode, Discount, Percent};
    let mut rule = coded_promotion(
        "Bienvenida",
        "BIENVENIDA",
        Discount::PercentOff(Percent::parse("10").unwrap()),
    );
    rule.audience = Audience::Customers;
    rule.limits.uses_per_customer = Some(1);
    let comptoir_store::PromotionOutcome::Created(ids) = db
        .store
        .create_promotions(&[rule], &comptoir_store::Actor::command_line())
        .await
        .unwrap()
    else {
        panic!("created");
    };
    // Ana used it once already.
    let mut used = test_order("bienvenida-ana", &[("PEL-AFRO-MULTI", 1)]);
    used.email = "ana@example.es".to_owned();
    used.promotions = vec![comptoir_store::NewOrderPromotion {
        rule_id: ids[0],
        name: "Bienvenida".to_owned(),
        code: Some(CouponCode::parse("BIENVENIDA").unwrap()),
        amount_cents: 100,
        free_shipping: false,
    }];
    db.store.place_order(&used, &|_| None).await.unwrap();
    let app = spawn_app(db).await;

    let guest = Shopper::new(&app.address);
    add(&guest, "DIS-BRUJA-MUJER-M").await;
    guest.get("/es/cart").await;
    guest.post("/es/cart/code", &[("code", "bienvenida")]).await;
    let told = guest.get("/es/cart").await;
    assert!(
        told.body
            .contains("Inicia sesión en tu cuenta para usar el código BIENVENIDA.")
    );

    let ana = Shopper::new(&app.address);
    register(&app, &ana, "ana@example.es").await;
    add(&ana, "DIS-BRUJA-MUJER-M").await;
    ana.get("/es/cart").await;
    ana.post("/es/cart/code", &[("code", "bienvenida")]).await;
    let cart = ana.get("/es/cart").await;
    assert!(
        cart.body
            .contains("El código BIENVENIDA ya se ha usado todas las veces posibles."),
        "{}",
        cart.body
    );

    let bea = Shopper::new(&app.address);
    register(&app, &bea, "bea@example.es").await;
    add(&bea, "DIS-BRUJA-MUJER-M").await;
    bea.get("/es/cart").await;
    bea.post("/es/cart/code", &[("code", "bienvenida")]).await;
    let cart = bea.get("/es/cart").await;
    assert!(
        cart.body.contains("Código BIENVENIDA aplicado."),
        "{}",
        cart.body
    );
}
