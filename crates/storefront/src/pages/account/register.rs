//! Registering an account, and activating it from the link mailed to its address.

use super::*;

// ---------- register ----------

pub(super) fn register_form<'a>(shop: &'a Shop, csrf: &FormToken) -> FormPage<'a> {
    let s = shop.s();
    let mut page = form_page(shop, csrf, s.register, "account/register", s.register);
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
    page.links = vec![link(shop, s.have_account, "account/login")];
    page
}

pub(super) async fn register_page(shop: Shop, csrf: FormToken) -> Result<Response, HttpError> {
    render(&register_form(&shop, &csrf), StatusCode::OK)
}

#[derive(Deserialize)]
pub(super) struct RegisterForm {
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
pub(super) fn new_password(
    typed: &str,
    again: &str,
    s: &ShopTexts,
) -> Result<Password, &'static str> {
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
pub(super) async fn register(
    shop: Shop,
    ClientAddress(client): ClientAddress,
    csrf: FormToken,
    CsrfForm(form): CsrfForm<RegisterForm>,
) -> Result<Response, HttpError> {
    let s = shop.s();
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
        let mut page = register_form(&shop, &csrf);
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
        &shop.state,
        &format!("register:{client}"),
        REGISTRATIONS_PER_CLIENT,
    )
    .await?
    {
        tracing::warn!(client, "registrations limited");
        let mut page = register_form(&shop, &csrf);
        page.errors.push(s.too_many_attempts.to_owned());
        return render(&page, StatusCode::TOO_MANY_REQUESTS);
    }
    // Hashed whether or not the address has an account: both answers take as long.
    let hash = blocking(move || password.hash()).await??;
    let token = comptoir_web::random_token();
    let link = shop.url(&format!("account/activate?token={token}"));
    let link_mail = mails::account_activation(shop.site, email.as_str(), &link);
    let already_registered_mail =
        mails::already_registered(shop.site, email.as_str(), &shop.url("account/forgot"));
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
    shop.state
        .store
        .register_customer(&customer, &activation)
        .await?;
    let mut page = register_form(&shop, &csrf);
    page.inputs.clear();
    page.notices.push(s.registration_sent.to_owned());
    render(&page, StatusCode::OK)
}

pub(super) fn activate_form<'a>(shop: &'a Shop, csrf: &FormToken, token: &str) -> FormPage<'a> {
    let s = shop.s();
    let mut page = form_page(
        shop,
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
pub(super) async fn activate_page(
    shop: Shop,
    csrf: FormToken,
    Query(query): Query<TokenQuery>,
) -> Result<Response, HttpError> {
    let page = activate_form(&shop, &csrf, &query.token);
    render(&page, StatusCode::OK)
}

#[derive(Deserialize)]
pub(super) struct ActivateForm {
    #[serde(default)]
    token: String,
}

pub(super) async fn activate(
    shop: Shop,
    csrf: FormToken,
    CsrfForm(form): CsrfForm<ActivateForm>,
) -> Result<Response, HttpError> {
    let activated = shop
        .state
        .store
        .activate_customer(&token_hash(&form.token), Utc::now())
        .await?;
    if activated.is_some() {
        return Ok(shop.redirect("account/login?notice=activated"));
    }
    let s = shop.s();
    let mut page = activate_form(&shop, &csrf, &form.token);
    page.errors.push(s.activation_invalid.to_owned());
    render(&page, StatusCode::UNPROCESSABLE_ENTITY)
}
