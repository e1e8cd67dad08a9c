//! Logging in (limited per client and account) and out.

use super::*;

// ---------- log in ----------

pub(super) fn login_form<'a>(shop: &'a Shop, csrf: &FormToken, email: &str) -> FormPage<'a> {
    let s = shop.s();
    let mut page = form_page(shop, csrf, s.login, "account/login", s.login);
    page.inputs = vec![
        Input::new("email", s.email, "email", "email").with_value(email),
        Input::new("password", s.password, "password", "current-password"),
    ];
    page.links = vec![
        link(shop, s.forgot_password, "account/forgot"),
        link(shop, s.no_account_yet, "account/register"),
    ];
    page
}

pub(super) async fn login_page(
    shop: Shop,
    csrf: FormToken,
    Query(query): Query<Notice>,
) -> Result<Response, HttpError> {
    let s = shop.s();
    let mut page = login_form(&shop, &csrf, "");
    match query.notice.as_deref() {
        Some("password-changed") => page.notices.push(s.password_changed.to_owned()),
        Some("activated") => page.notices.push(s.account_activated.to_owned()),
        _ => {}
    }
    render(&page, StatusCode::OK)
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// Counts an event under `key`; whether it is within `limit` for the window.
pub(super) async fn within_limit(
    state: &AppState,
    key: &str,
    limit: u64,
) -> Result<bool, HttpError> {
    let now = Utc::now();
    let window_ends = now + chrono::Duration::from_std(LIMIT_WINDOW).unwrap_or_default();
    Ok(state.store.count_in_window(key, window_ends, now).await? <= limit)
}

pub(super) async fn login(
    shop: Shop,
    ClientAddress(client): ClientAddress,
    session: Session,
    cookies: Cookies,
    csrf: FormToken,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, HttpError> {
    let s = shop.s();
    let refuse = |message: &'static str, status: StatusCode| {
        let mut page = login_form(&shop, &csrf, &form.email);
        page.errors.push(message.to_owned());
        render(&page, status)
    };
    let email = Email::parse(&form.email).map(|e| e.as_str().to_owned());
    let account = email.as_deref().unwrap_or(form.email.trim());
    let throttle = throttle::login_attempt(
        shop.state.store.as_ref(),
        "shop",
        &client,
        account,
        Utc::now(),
    )
    .await?;
    if throttle == Throttle::Wait {
        tracing::warn!(account, client, "login attempts throttled");
        return refuse(s.too_many_attempts, StatusCode::TOO_MANY_REQUESTS);
    }
    let customer = match &email {
        Ok(email) => shop.state.store.customer_by_email(email).await?,
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
    if verification == Verification::ValidNeedsRehash {
        let password = Password::proven(&form.password);
        let hash = blocking(move || password.hash()).await??;
        shop.state
            .store
            .set_password_hash(customer.id, &hash)
            .await?;
        customer.password_hash = hash;
    }
    shopper::log_in(&session, &customer).await?;
    shop.state
        .carts
        .adopt_at_login(&cookies, customer.id)
        .await?;
    Ok(shop.redirect("account"))
}

// ---------- log out ----------

#[derive(Deserialize)]
pub(super) struct EmptyForm {}

pub(super) async fn logout(
    shop: Shop,
    session: Session,
    cookies: Cookies,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, HttpError> {
    shopper::log_out(&session).await?;
    shop.state.carts.forget_in_browser(&cookies);
    Ok(shop.redirect(""))
}
