//! Customer accounts, shared by the four sites (one customer, one e-mail address):
//! register, log in, log out, password reset by an e-mailed one-time link, the
//! address book and the order history.
//!
//! Password hashing (argon2id) runs off the async executor. Logins are limited per
//! account and per client address, and an unknown address gets the same answer, in
//! about the same time, as a wrong password.

use std::time::Duration;

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use comptoir_accounts::throttle::{self, Throttle};
use comptoir_accounts::{Password, PasswordError, Verification};
use comptoir_domain::email::Email;
use comptoir_domain::{Money, SiteCode};
use comptoir_store::{Activation, Customer, NewCustomer};
use comptoir_web::blocking;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tower_cookies::Cookies;
use tower_sessions::Session;

use super::checkout::AddressForm;
use super::views::{self, Layout, Link};
use crate::extract::{ClientAddress, Shop, SignedIn};
use crate::i18n::ShopTexts;
use crate::{AppState, HttpError, mails, shopper};
use comptoir_web::csrf::{CsrfForm, FormToken};

mod data;
mod login;
mod overview;
mod register;
mod reset;

use login::*;
use overview::*;
use register::*;
use reset::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(overview))
        .route("/account/data", get(data::download))
        .route("/account/erase", post(request_erasure))
        .route("/account/login", get(login_page).post(login))
        .route("/account/register", get(register_page).post(register))
        .route("/account/activate", get(activate_page).post(activate))
        .route("/account/logout", post(logout))
        .route("/account/forgot", get(forgot_page).post(forgot))
        .route("/account/reset", get(reset_page).post(reset))
        .route("/account/addresses", post(add_address))
        .route("/account/addresses/delete", post(delete_address))
        .route("/account/newsletter", post(set_newsletter))
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
    shop: &'a Shop,
    csrf: &FormToken,
    heading: &'static str,
    path: &str,
    submit: &'static str,
) -> FormPage<'a> {
    FormPage {
        layout: Layout::new(shop, heading.to_owned(), None),
        csrf: csrf.0.clone(),
        heading,
        action: shop.url(path),
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

fn link(shop: &Shop, label: &'static str, path: &str) -> Link<'static> {
    Link {
        label,
        url: shop.url(path),
    }
}

#[derive(Deserialize, Default)]
struct Notice {
    #[serde(default)]
    notice: Option<String>,
}
