//! A forgotten password: a one-time link by mail, then a new password.

use super::*;

// ---------- password reset ----------

pub(super) fn forgot_form<'a>(shop: &'a Shop, csrf: &FormToken) -> FormPage<'a> {
    let s = shop.s();
    let mut page = form_page(
        shop,
        csrf,
        s.reset_password,
        "account/forgot",
        s.send_reset_link,
    );
    page.inputs = vec![Input::new("email", s.email, "email", "email")];
    page.links = vec![link(shop, s.login, "account/login")];
    page
}

pub(super) async fn forgot_page(shop: Shop, csrf: FormToken) -> Result<Response, HttpError> {
    render(&forgot_form(&shop, &csrf), StatusCode::OK)
}

#[derive(Deserialize)]
pub(super) struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// The stored form of a reset token: only its hash, the token being in the mail alone.
pub(super) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub(super) async fn forgot(
    shop: Shop,
    csrf: FormToken,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> Result<Response, HttpError> {
    let s = shop.s();
    if let Ok(email) = Email::parse(&form.email)
        && let Some(customer) = shop.state.store.customer_by_email(email.as_str()).await?
        && within_limit(
            &shop.state,
            &format!("reset:{}", email.as_str()),
            RESETS_PER_ACCOUNT,
        )
        .await?
    {
        let token = comptoir_web::random_token();
        let link = shop.url(&format!("account/reset?token={token}"));
        let mail = mails::password_reset(shop.site, &customer.email, &link);
        shop.state
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
    let mut page = forgot_form(&shop, &csrf);
    page.notices.push(s.reset_sent.to_owned());
    render(&page, StatusCode::OK)
}

#[derive(Deserialize, Default)]
pub(super) struct TokenQuery {
    #[serde(default)]
    pub(super) token: String,
}

pub(super) fn reset_form<'a>(shop: &'a Shop, csrf: &FormToken, token: &str) -> FormPage<'a> {
    let s = shop.s();
    let mut page = form_page(
        shop,
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

pub(super) async fn reset_page(
    shop: Shop,
    csrf: FormToken,
    Query(query): Query<TokenQuery>,
) -> Result<Response, HttpError> {
    render(&reset_form(&shop, &csrf, &query.token), StatusCode::OK)
}

#[derive(Deserialize)]
pub(super) struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

pub(super) async fn reset(
    shop: Shop,
    csrf: FormToken,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> Result<Response, HttpError> {
    let s = shop.s();
    let error = match new_password(&form.password, &form.password_again, s) {
        Ok(password) => {
            let hash = blocking(move || password.hash()).await??;
            let reset = shop
                .state
                .store
                .reset_password(&token_hash(&form.token), &hash, Utc::now())
                .await?;
            match reset {
                Some(_) => {
                    return Ok(shop.redirect("account/login?notice=password-changed"));
                }
                None => s.reset_invalid,
            }
        }
        Err(error) => error,
    };
    let mut page = reset_form(&shop, &csrf, &form.token);
    page.errors.push(error.to_owned());
    render(&page, StatusCode::UNPROCESSABLE_ENTITY)
}
