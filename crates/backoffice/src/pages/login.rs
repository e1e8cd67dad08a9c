//! Logging in and out, and changing one's own password. Login attempts are limited
//! per account and per client address; an unknown address and a wrong password get
//! the same answer, in the same time.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use chrono::Utc;
use comptoir_accounts::throttle::{self, Throttle};
use comptoir_accounts::{Password, Verification};
use comptoir_domain::email::Email;
use comptoir_store::StaffMember;
use comptoir_web::csrf::{CsrfForm, FormToken};
use serde::Deserialize;
use tower_sessions::Session;

use comptoir_web::blocking;

use super::{ButtonOnly, Layout, render};
use crate::network::ClientAddress;
use crate::staff_session::{self, Staff};
use crate::{AppState, HttpError};

pub fn router() -> axum::Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route(
            "/account/password",
            get(password_page).post(change_password),
        )
}

#[derive(Template)]
#[template(path = "backoffice/login.html")]
struct LoginPage<'a> {
    layout: Layout<'a>,
    email: String,
    error: Option<&'static str>,
}

async fn login_page(session: Session, csrf: FormToken) -> Result<Response, HttpError> {
    if staff_session::signed_in(&session).await? {
        return Ok(Redirect::to("/").into_response());
    }
    let page = LoginPage {
        layout: Layout::for_login(&csrf),
        email: String::new(),
        error: None,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

async fn login(
    State(state): State<AppState>,
    Extension(ClientAddress(client)): Extension<ClientAddress>,
    session: Session,
    csrf: FormToken,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, HttpError> {
    let email = Email::parse(&form.email);
    let refuse = |error, status: StatusCode| -> Result<Response, HttpError> {
        let page = LoginPage {
            layout: Layout::for_login(&csrf),
            email: form.email.chars().take(254).collect(),
            error: Some(error),
        };
        Ok((status, render(&page)?).into_response())
    };
    let account = email.as_ref().map_or("-", |email| email.as_str());
    let throttle = throttle::login_attempt(
        state.store.as_ref(),
        "staff",
        &client.to_string(),
        account,
        Utc::now(),
    )
    .await?;
    if throttle == Throttle::Wait {
        tracing::warn!(%client, account, "staff login attempts throttled");
        return refuse(
            "Too many attempts. Wait a little and try again.",
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let member = match &email {
        Ok(email) => state.store.staff_by_email(email.as_str()).await?,
        Err(_) => None,
    };
    let stored = member.as_ref().map(|m| m.password_hash.clone());
    let typed = form.password.clone();
    let verification =
        blocking(move || comptoir_accounts::verify_account(&typed, stored.as_deref())).await?;
    // Staff hashes are argon2id only: a legacy form is never accepted here.
    let Some(member) = member.filter(|m| m.active && verification == Verification::Valid) else {
        tracing::warn!(%client, account, "staff login failed");
        return refuse(
            "That e-mail address and password do not match an active account.",
            StatusCode::UNAUTHORIZED,
        );
    };
    staff_session::log_in(&session, &member).await?;
    tracing::info!(staff = member.email, %client, "staff logged in");
    Ok(Redirect::to("/").into_response())
}

async fn logout(
    session: Session,
    CsrfForm(ButtonOnly {}): CsrfForm<ButtonOnly>,
) -> Result<Redirect, HttpError> {
    staff_session::log_out(&session).await?;
    Ok(Redirect::to("/login"))
}

#[derive(Template)]
#[template(path = "backoffice/password.html")]
struct PasswordPage<'a> {
    layout: Layout<'a>,
    errors: Vec<String>,
}

async fn password_page(staff: Staff) -> Result<Response, HttpError> {
    let page = PasswordPage {
        layout: staff.layout(),
        errors: Vec::new(),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
}

/// Changes the staff member's own password. Every other session of the account ends
/// (its fingerprint no longer matches); this one goes on under a new id.
async fn change_password(
    State(state): State<AppState>,
    staff: Staff,
    session: Session,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, HttpError> {
    let stored = staff.member.password_hash.clone();
    let typed = form.current.clone();
    let verification = blocking(move || comptoir_accounts::verify(&typed, &stored)).await?;
    let new = Password::parse(&form.new);
    let error = match (&verification, &new) {
        (Verification::Valid, Ok(_)) => None,
        (Verification::Valid, Err(error)) => Some(format!("The new password: {error}.")),
        _ => Some("The current password is not right.".to_owned()),
    };
    if let Some(error) = error {
        let page = PasswordPage {
            layout: staff.layout(),
            errors: vec![error],
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    let new = new.expect("checked above");
    let hash = blocking(move || new.hash()).await??;
    state
        .store
        .set_staff_password(staff.member.id, &hash, &staff.actor())
        .await?;
    let changed = StaffMember {
        password_hash: hash,
        ..staff.member.clone()
    };
    staff_session::log_in(&session, &changed).await?;
    let page = PasswordPage {
        layout: staff.layout().with_notice("Password changed."),
        errors: Vec::new(),
    };
    Ok(render(&page)?.into_response())
}
