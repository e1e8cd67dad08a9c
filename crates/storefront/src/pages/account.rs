//! Customer accounts, shared by the four sites (one customer, one e-mail address):
//! register, log in, log out, password reset by an e-mailed one-time link, the
//! address book and the order history.
//!
//! Password hashing (argon2id) runs off the async executor. Logins are limited per
//! account and per client address, and an unknown address gets the same answer, in
//! about the same time, as a wrong password.

use std::time::Duration;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use chrono::Utc;
use comptoir_accounts::throttle::{self, Throttle};
use comptoir_accounts::{Password, PasswordError, Verification};
use comptoir_domain::email::Email;
use comptoir_domain::{Money, SiteCode};
use comptoir_store::{Activation, NewCustomer};
use comptoir_web::blocking;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tower_cookies::Cookies;
use tower_sessions::Session;

use super::checkout::AddressForm;
use super::views::{self, Layout, Link};
use crate::client::ClientAddress;
use crate::i18n::ShopTexts;
use crate::{AppState, HttpError, mails, shopper};
use comptoir_web::csrf::{CsrfForm, FormToken};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(overview))
        .route("/account/login", get(login_page).post(login))
        .route("/account/register", get(register_page).post(register))
        .route("/account/activate", get(activate_page).post(activate))
        .route("/account/logout", post(logout))
        .route("/account/forgot", get(forgot_page).post(forgot))
        .route("/account/reset", get(reset_page).post(reset))
        .route("/account/addresses", post(add_address))
        .route("/account/addresses/delete", post(delete_address))
}

/// Reset mails allowed per address in a window: no one can flood a mailbox.
const RESETS_PER_ACCOUNT: u64 = 3;
const LIMIT_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Registrations allowed per client address in a window.
const REGISTRATIONS_PER_CLIENT: u64 = 5;
/// How long an activation link works.
const ACTIVATION_LINK_LIFETIME: chrono::Duration = chrono::Duration::days(2);
/// How long a reset link works.
const RESET_LINK_LIFETIME: chrono::Duration = chrono::Duration::hours(1);
/// Addresses one account's address book holds at most.
const MAX_ADDRESSES: u32 = 20;
/// Orders listed in the account.
const ORDER_HISTORY: u32 = 50;

/// An input of an account form.
struct Input {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    value: String,
    error: Option<&'static str>,
}

impl Input {
    fn new(
        name: &'static str,
        label: &'static str,
        kind: &'static str,
        autocomplete: &'static str,
    ) -> Input {
        Input {
            name,
            label,
            kind,
            autocomplete,
            value: String::new(),
            error: None,
        }
    }

    fn with_value(mut self, value: &str) -> Input {
        // Passwords are never sent back to the browser.
        if self.kind != "password" {
            self.value = value.trim().to_owned();
        }
        self
    }

    fn with_error(mut self, error: Option<&'static str>) -> Input {
        self.error = error;
        self
    }
}

#[derive(Template)]
#[template(path = "account_form.html")]
struct FormPage<'a> {
    layout: Layout<'a>,
    csrf: String,
    heading: &'static str,
    action: String,
    inputs: Vec<Input>,
    hidden: Vec<(&'static str, String)>,
    submit: &'static str,
    notices: Vec<String>,
    errors: Vec<String>,
    links: Vec<Link<'static>>,
}

fn form_page<'a>(
    state: &AppState,
    snapshot: &'a crate::snapshot::Snapshot,
    site: SiteCode,
    csrf: &FormToken,
    heading: &'static str,
    path: &str,
    submit: &'static str,
) -> FormPage<'a> {
    FormPage {
        layout: Layout::new(state, snapshot, site, heading.to_owned(), None),
        csrf: csrf.0.clone(),
        heading,
        action: state.sites.base(site).join(path),
        inputs: Vec::new(),
        hidden: Vec::new(),
        submit,
        notices: Vec::new(),
        errors: Vec::new(),
        links: Vec::new(),
    }
}

fn render(page: &impl Template, status: StatusCode) -> Result<Response, HttpError> {
    Ok((status, Html(views::render_page(page)?)).into_response())
}

fn link(state: &AppState, site: SiteCode, label: &'static str, path: &str) -> Link<'static> {
    Link {
        label,
        url: state.sites.base(site).join(path),
    }
}

fn to_path(state: &AppState, site: SiteCode, path: &str) -> Response {
    Redirect::to(&state.sites.base(site).join(path)).into_response()
}

#[derive(Deserialize, Default)]
struct Notice {
    #[serde(default)]
    notice: Option<String>,
}

// ---------- log in ----------

fn login_form<'a>(
    state: &AppState,
    snapshot: &'a crate::snapshot::Snapshot,
    site: SiteCode,
    csrf: &FormToken,
    email: &str,
) -> FormPage<'a> {
    let s = ShopTexts::of(site.locale());
    let mut page = form_page(
        state,
        snapshot,
        site,
        csrf,
        s.login,
        "account/login",
        s.login,
    );
    page.inputs = vec![
        Input::new("email", s.email, "email", "email").with_value(email),
        Input::new("password", s.password, "password", "current-password"),
    ];
    page.links = vec![
        link(state, site, s.forgot_password, "account/forgot"),
        link(state, site, s.no_account_yet, "account/register"),
    ];
    page
}

async fn login_page(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    csrf: FormToken,
    Query(query): Query<Notice>,
) -> Result<Response, HttpError> {
    let snapshot = state.snapshot.load();
    let s = ShopTexts::of(site.locale());
    let mut page = login_form(&state, &snapshot, site, &csrf, "");
    match query.notice.as_deref() {
        Some("password-changed") => page.notices.push(s.password_changed.to_owned()),
        Some("activated") => page.notices.push(s.account_activated.to_owned()),
        _ => {}
    }
    render(&page, StatusCode::OK)
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// Counts an event under `key`; whether it is within `limit` for the window.
async fn within_limit(state: &AppState, key: &str, limit: u64) -> Result<bool, HttpError> {
    let now = Utc::now();
    let window_ends = now + chrono::Duration::from_std(LIMIT_WINDOW).unwrap_or_default();
    Ok(state.store.count_in_window(key, window_ends, now).await? <= limit)
}

async fn login(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    ClientAddress(client): ClientAddress,
    session: Session,
    cookies: Cookies,
    csrf: FormToken,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, HttpError> {
    let s = ShopTexts::of(site.locale());
    let snapshot = state.snapshot.load();
    let refuse = |message: &'static str, status: StatusCode| {
        let mut page = login_form(&state, &snapshot, site, &csrf, &form.email);
        page.errors.push(message.to_owned());
        render(&page, status)
    };
    let email = Email::parse(&form.email).map(|e| e.as_str().to_owned());
    let account = email.as_deref().unwrap_or(form.email.trim());
    let throttle =
        throttle::login_attempt(state.store.as_ref(), "shop", &client, account, Utc::now()).await?;
    if throttle == Throttle::Wait {
        tracing::warn!(account, client, "login attempts throttled");
        return refuse(s.too_many_attempts, StatusCode::TOO_MANY_REQUESTS);
    }
    let customer = match &email {
        Ok(email) => state.store.customer_by_email(email).await?,
        Err(_) => None,
    };
    let stored = customer.as_ref().map(|c| c.password_hash.clone());
    let typed = form.password.clone();
    let verification =
        blocking(move || comptoir_accounts::verify_account(&typed, stored.as_deref())).await?;
    let Some(mut customer) = customer.filter(|_| verification != Verification::Invalid) else {
        return refuse(s.login_failed, StatusCode::UNAUTHORIZED);
    };
    // Told only to whoever knows the password.
    if !customer.activated {
        return refuse(s.activation_needed, StatusCode::FORBIDDEN);
    }
    if verification == Verification::ValidNeedsRehash
        && let Ok(password) = Password::parse(&form.password)
    {
        let hash = blocking(move || password.hash()).await??;
        state.store.set_password_hash(customer.id, &hash).await?;
        customer.password_hash = hash;
    }
    shopper::log_in(&session, &customer).await?;
    state.carts.adopt_at_login(&cookies, customer.id).await?;
    Ok(to_path(&state, site, "account"))
}

// ---------- register ----------

fn register_form<'a>(
    state: &AppState,
    snapshot: &'a crate::snapshot::Snapshot,
    site: SiteCode,
    csrf: &FormToken,
) -> FormPage<'a> {
    let s = ShopTexts::of(site.locale());
    let mut page = form_page(
        state,
        snapshot,
        site,
        csrf,
        s.register,
        "account/register",
        s.register,
    );
    page.inputs = vec![
        Input::new("name", s.full_name, "text", "name"),
        Input::new("email", s.email, "email", "email"),
        Input::new("password", s.password, "password", "new-password"),
        Input::new(
            "password_again",
            s.password_again,
            "password",
            "new-password",
        ),
    ];
    page.links = vec![link(state, site, s.have_account, "account/login")];
    page
}

async fn register_page(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    csrf: FormToken,
) -> Result<Response, HttpError> {
    let snapshot = state.snapshot.load();
    render(
        &register_form(&state, &snapshot, site, &csrf),
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
struct RegisterForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

/// A new password, checked for length and typed twice alike.
fn new_password(typed: &str, again: &str, s: &ShopTexts) -> Result<Password, &'static str> {
    let password = Password::parse(typed).map_err(|error| match error {
        PasswordError::TooShort | PasswordError::TooLong | PasswordError::Hashing(_) => {
            s.password_length
        }
    })?;
    if typed != again {
        return Err(s.passwords_differ);
    }
    Ok(password)
}

/// Registers an account for its owner to activate. The answer is the same whether
/// the address has an account or not ("check your inbox"): a new account gets its
/// activation link, an existing one's owner a warning. Limited per client address.
async fn register(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    ClientAddress(client): ClientAddress,
    csrf: FormToken,
    CsrfForm(form): CsrfForm<RegisterForm>,
) -> Result<Response, HttpError> {
    let s = ShopTexts::of(site.locale());
    let snapshot = state.snapshot.load();
    let name = form.name.trim();
    let name_error = if name.is_empty() {
        Some(s.required_field)
    } else if name.chars().count() > 200 {
        Some(s.field_too_long)
    } else {
        None
    };
    let email = Email::parse(&form.email);
    let email_error = email.is_err().then_some(s.invalid_email);
    let password = new_password(&form.password, &form.password_again, s);
    let password_error = password.as_ref().err().copied();
    let (None, Ok(email), Ok(password)) = (name_error, email, password) else {
        let mut page = register_form(&state, &snapshot, site, &csrf);
        for input in &mut page.inputs {
            let (value, error) = match input.name {
                "name" => (form.name.as_str(), name_error),
                "email" => (form.email.as_str(), email_error),
                "password" => ("", password_error),
                _ => ("", None),
            };
            input.value = value.trim().to_owned();
            input.error = error;
        }
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    if !within_limit(
        &state,
        &format!("register:{client}"),
        REGISTRATIONS_PER_CLIENT,
    )
    .await?
    {
        tracing::warn!(client, "registrations limited");
        let mut page = register_form(&state, &snapshot, site, &csrf);
        page.errors.push(s.too_many_attempts.to_owned());
        return render(&page, StatusCode::TOO_MANY_REQUESTS);
    }
    // Hashed whether or not the address has an account: both answers take as long.
    let hash = blocking(move || password.hash()).await??;
    let token = comptoir_web::random_token();
    let base = state.sites.base(site);
    let link = base.join(&format!("account/activate?token={token}"));
    let link_mail = mails::account_activation(site, email.as_str(), &link);
    let already_registered_mail =
        mails::already_registered(site, email.as_str(), &base.join("account/forgot"));
    let customer = NewCustomer {
        email: email.as_str().to_owned(),
        name: name.to_owned(),
        password_hash: hash,
    };
    let activation = Activation {
        token_hash: &token_hash(&token),
        expires_at: Utc::now() + ACTIVATION_LINK_LIFETIME,
        link_mail: &link_mail,
        already_registered_mail: &already_registered_mail,
    };
    state
        .store
        .register_customer(&customer, &activation)
        .await?;
    let mut page = register_form(&state, &snapshot, site, &csrf);
    page.inputs.clear();
    page.notices.push(s.registration_sent.to_owned());
    render(&page, StatusCode::OK)
}

fn activate_form<'a>(
    state: &AppState,
    snapshot: &'a crate::snapshot::Snapshot,
    site: SiteCode,
    csrf: &FormToken,
    token: &str,
) -> FormPage<'a> {
    let s = ShopTexts::of(site.locale());
    let mut page = form_page(
        state,
        snapshot,
        site,
        csrf,
        s.activate_account,
        "account/activate",
        s.activate_account,
    );
    page.hidden = vec![("token", token.to_owned())];
    page
}

/// The link of the activation mail: a button, so that a mail scanner opening the
/// link activates nothing.
async fn activate_page(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    csrf: FormToken,
    Query(query): Query<TokenQuery>,
) -> Result<Response, HttpError> {
    let snapshot = state.snapshot.load();
    let page = activate_form(&state, &snapshot, site, &csrf, &query.token);
    render(&page, StatusCode::OK)
}

#[derive(Deserialize)]
struct ActivateForm {
    #[serde(default)]
    token: String,
}

async fn activate(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    csrf: FormToken,
    CsrfForm(form): CsrfForm<ActivateForm>,
) -> Result<Response, HttpError> {
    let activated = state
        .store
        .activate_customer(&token_hash(&form.token), Utc::now())
        .await?;
    if activated.is_some() {
        return Ok(to_path(&state, site, "account/login?notice=activated"));
    }
    let snapshot = state.snapshot.load();
    let s = ShopTexts::of(site.locale());
    let mut page = activate_form(&state, &snapshot, site, &csrf, &form.token);
    page.errors.push(s.activation_invalid.to_owned());
    render(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

// ---------- log out ----------

#[derive(Deserialize)]
struct EmptyForm {}

async fn logout(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    session: Session,
    cookies: Cookies,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, HttpError> {
    shopper::log_out(&session).await?;
    state.carts.forget_in_browser(&cookies);
    Ok(to_path(&state, site, ""))
}

// ---------- password reset ----------

fn forgot_form<'a>(
    state: &AppState,
    snapshot: &'a crate::snapshot::Snapshot,
    site: SiteCode,
    csrf: &FormToken,
) -> FormPage<'a> {
    let s = ShopTexts::of(site.locale());
    let mut page = form_page(
        state,
        snapshot,
        site,
        csrf,
        s.reset_password,
        "account/forgot",
        s.send_reset_link,
    );
    page.inputs = vec![Input::new("email", s.email, "email", "email")];
    page.links = vec![link(state, site, s.login, "account/login")];
    page
}

async fn forgot_page(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    csrf: FormToken,
) -> Result<Response, HttpError> {
    let snapshot = state.snapshot.load();
    render(&forgot_form(&state, &snapshot, site, &csrf), StatusCode::OK)
}

#[derive(Deserialize)]
struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// The stored form of a reset token: only its hash, the token being in the mail alone.
fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

async fn forgot(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    csrf: FormToken,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> Result<Response, HttpError> {
    let s = ShopTexts::of(site.locale());
    if let Ok(email) = Email::parse(&form.email)
        && let Some(customer) = state.store.customer_by_email(email.as_str()).await?
        && within_limit(
            &state,
            &format!("reset:{}", email.as_str()),
            RESETS_PER_ACCOUNT,
        )
        .await?
    {
        let token = comptoir_web::random_token();
        let link = state
            .sites
            .base(site)
            .join(&format!("account/reset?token={token}"));
        let mail = mails::password_reset(site, &customer.email, &link);
        state
            .store
            .create_password_reset(
                customer.id,
                &token_hash(&token),
                Utc::now() + RESET_LINK_LIFETIME,
                &mail,
            )
            .await?;
    }
    // The same answer whether or not the address has an account.
    let snapshot = state.snapshot.load();
    let mut page = forgot_form(&state, &snapshot, site, &csrf);
    page.notices.push(s.reset_sent.to_owned());
    render(&page, StatusCode::OK)
}

#[derive(Deserialize, Default)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

fn reset_form<'a>(
    state: &AppState,
    snapshot: &'a crate::snapshot::Snapshot,
    site: SiteCode,
    csrf: &FormToken,
    token: &str,
) -> FormPage<'a> {
    let s = ShopTexts::of(site.locale());
    let mut page = form_page(
        state,
        snapshot,
        site,
        csrf,
        s.reset_password,
        "account/reset",
        s.reset_password,
    );
    page.inputs = vec![
        Input::new("password", s.new_password, "password", "new-password"),
        Input::new(
            "password_again",
            s.password_again,
            "password",
            "new-password",
        ),
    ];
    page.hidden = vec![("token", token.to_owned())];
    page
}

async fn reset_page(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    csrf: FormToken,
    Query(query): Query<TokenQuery>,
) -> Result<Response, HttpError> {
    let snapshot = state.snapshot.load();
    render(
        &reset_form(&state, &snapshot, site, &csrf, &query.token),
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

async fn reset(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    csrf: FormToken,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> Result<Response, HttpError> {
    let s = ShopTexts::of(site.locale());
    let error = match new_password(&form.password, &form.password_again, s) {
        Ok(password) => {
            let hash = blocking(move || password.hash()).await??;
            let reset = state
                .store
                .reset_password(&token_hash(&form.token), &hash, Utc::now())
                .await?;
            match reset {
                Some(_) => {
                    return Ok(to_path(
                        &state,
                        site,
                        "account/login?notice=password-changed",
                    ));
                }
                None => s.reset_invalid,
            }
        }
        Err(error) => error,
    };
    let snapshot = state.snapshot.load();
    let mut page = reset_form(&state, &snapshot, site, &csrf, &form.token);
    page.errors.push(error.to_owned());
    render(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

// ---------- the account ----------

struct OrderRow {
    number: String,
    url: String,
    date: String,
    status: String,
    total: String,
}

struct AddressRow {
    id: i64,
    text: String,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage<'a> {
    layout: Layout<'a>,
    csrf: String,
    name: String,
    email: String,
    notices: Vec<String>,
    errors: Vec<String>,
    orders: Vec<OrderRow>,
    addresses: Vec<AddressRow>,
    /// The add-address form: (name, label, value, error) per input.
    address_inputs: Vec<Input>,
    countries: Vec<(&'static str, &'static str)>,
    country: String,
}

async fn overview(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    session: Session,
    csrf: FormToken,
    Query(query): Query<Notice>,
) -> Result<Response, HttpError> {
    let s = ShopTexts::of(site.locale());
    let notices = match query.notice.as_deref() {
        Some("address-saved") => vec![s.address_saved.to_owned()],
        _ => Vec::new(),
    };
    account_page(&state, site, &session, &csrf, notices, Vec::new(), None).await
}

/// The account page; `form` is an address form sent back with its messages, and
/// `errors` why the last change was refused.
async fn account_page(
    state: &AppState,
    site: SiteCode,
    session: &Session,
    csrf: &FormToken,
    notices: Vec<String>,
    errors: Vec<String>,
    form: Option<(Vec<Input>, String)>,
) -> Result<Response, HttpError> {
    let Some(customer) = logged_in(state, session).await? else {
        return Ok(to_path(state, site, "account/login"));
    };
    let s = ShopTexts::of(site.locale());
    let locale = site.locale();
    let orders = state
        .store
        .customer_orders(customer.id, ORDER_HISTORY)
        .await?
        .into_iter()
        .map(|order| {
            let order_site = SiteCode::parse(&order.site).unwrap_or(site);
            OrderRow {
                url: state
                    .sites
                    .base(order_site)
                    .join(&format!("order/{}", order.number)),
                date: order.placed_at.format("%d/%m/%Y").to_string(),
                status: format!(
                    "{} · {}",
                    s.payment_status(&order.payment_status),
                    s.fulfilment_status(&order.fulfilment_status)
                ),
                total: Money::from_cents(order.total_cents, site.currency()).format(locale),
                number: order.number,
            }
        })
        .collect();
    let addresses = state
        .store
        .addresses(customer.id)
        .await?
        .into_iter()
        .map(|saved| AddressRow {
            id: saved.id,
            text: mails::address_text(&saved.address),
        })
        .collect();
    let has_errors = form.is_some() || !errors.is_empty();
    let (address_inputs, country) = form.unwrap_or_else(|| {
        (
            address_inputs(s),
            comptoir_domain::checkout::home_country(site)
                .code()
                .to_owned(),
        )
    });
    let snapshot = state.snapshot.load();
    let page = AccountPage {
        layout: Layout::new(state, &snapshot, site, s.my_account.to_owned(), None),
        csrf: csrf.0.clone(),
        name: customer.name,
        email: customer.email,
        notices,
        errors,
        orders,
        addresses,
        address_inputs,
        countries: super::checkout::delivery_countries(state),
        country,
    };
    let status = if has_errors {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(&page, status)
}

fn address_inputs(s: &ShopTexts) -> Vec<Input> {
    vec![
        Input::new("name", s.full_name, "text", "name"),
        Input::new("street", s.street, "text", "street-address"),
        Input::new("postcode", s.postcode, "text", "postal-code"),
        Input::new("city", s.city, "text", "address-level2"),
    ]
}

async fn logged_in(
    state: &AppState,
    session: &Session,
) -> Result<Option<comptoir_store::Customer>, HttpError> {
    shopper::customer(state.store.as_ref(), session).await
}

async fn add_address(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    session: Session,
    csrf: FormToken,
    CsrfForm(mut form): CsrfForm<AddressForm>,
) -> Result<Response, HttpError> {
    let Some(customer) = logged_in(&state, &session).await? else {
        return Ok(to_path(&state, site, "account/login"));
    };
    let s = ShopTexts::of(site.locale());
    // The address book's addresses are the account's: its e-mail address.
    form.email = customer.email;
    let checked = super::checkout::check_address_fields(&state, &form, s);
    match checked {
        Ok(address) => {
            let added = state
                .store
                .add_address(customer.id, &address, MAX_ADDRESSES)
                .await?;
            if added.is_some() {
                return Ok(to_path(&state, site, "account?notice=address-saved"));
            }
            let full = s
                .address_book_full
                .replace("{n}", &MAX_ADDRESSES.to_string());
            account_page(&state, site, &session, &csrf, Vec::new(), vec![full], None).await
        }
        Err(errors) => {
            let inputs = address_inputs(s)
                .into_iter()
                .zip([&form.name, &form.street, &form.postcode, &form.city])
                .map(|(input, value)| {
                    let error = errors.get(input.name).copied();
                    input.with_value(value).with_error(error)
                })
                .collect();
            account_page(
                &state,
                site,
                &session,
                &csrf,
                Vec::new(),
                Vec::new(),
                Some((inputs, form.country.clone())),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
struct DeleteAddressForm {
    #[serde(default)]
    id: String,
}

async fn delete_address(
    State(state): State<AppState>,
    Extension(site): Extension<SiteCode>,
    session: Session,
    CsrfForm(form): CsrfForm<DeleteAddressForm>,
) -> Result<Response, HttpError> {
    let Some(customer) = logged_in(&state, &session).await? else {
        return Ok(to_path(&state, site, "account/login"));
    };
    let id: i64 = form
        .id
        .parse()
        .map_err(|_| HttpError::BadRequest("address id"))?;
    if !state.store.delete_address(customer.id, id).await? {
        // Another customer's address does not exist, as far as this one can tell.
        return Err(HttpError::NotFound);
    }
    Ok(to_path(&state, site, "account"))
}
