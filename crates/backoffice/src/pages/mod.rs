//! The back office's pages. Each feature module exposes a `router()`; they are
//! merged here.

mod audit;
mod categories;
mod content;
mod dashboard;
mod exports;
mod images;
mod import;
mod invoice_exports;
mod invoices;

pub use import::ImportJobs;
mod login;
mod orders;
mod privacy;
mod products;
mod promotions;
mod staff;
mod upload;
mod variants;
mod verifactu_records;

use askama::Template;
use axum::Router;
use axum::response::Html;
use comptoir_domain::staff::Permission;
use comptoir_store::StaffMember;
use comptoir_web::csrf::FormToken;

use crate::{AppState, HttpError};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(login::router())
        .merge(dashboard::router())
        .merge(products::router())
        .merge(categories::router())
        .merge(content::router())
        .merge(orders::router())
        .merge(invoices::router())
        .merge(verifactu_records::router())
        .merge(exports::router())
        .merge(invoice_exports::router())
        .merge(images::router())
        .merge(variants::router())
        .merge(import::router())
        .merge(staff::router())
        .merge(audit::router())
        .merge(privacy::router())
        .merge(promotions::router())
}

/// A form that carries nothing but its CSRF token: a button.
#[derive(serde::Deserialize)]
pub struct ButtonOnly {}

/// The query after the redirect that follows a save: `?done=1` shows a notice.
#[derive(serde::Deserialize)]
pub struct AfterSave {
    pub done: Option<String>,
}

/// What the frame of every page shows.
pub struct Layout<'a> {
    /// The logged-in staff member; `None` on the login page.
    pub staff: Option<&'a StaffMember>,
    /// The token every form of the page carries.
    pub csrf: String,
    pub may_manage_staff: bool,
    pub may_read_audit: bool,
    pub may_handle_privacy: bool,
    /// Confirmations shown above the page ("Saved.").
    pub notices: Vec<String>,
}

impl<'a> Layout<'a> {
    /// The frame of the login page: no one is logged in yet.
    pub fn for_login(csrf: &FormToken) -> Self {
        Layout::new(None, csrf)
    }

    /// The frame of `staff`'s pages: the menu shows what their role allows.
    pub fn for_staff(staff: &'a StaffMember, csrf: &FormToken) -> Self {
        Layout::new(Some(staff), csrf)
    }

    fn new(staff: Option<&'a StaffMember>, csrf: &FormToken) -> Self {
        let may = |permission| staff.is_some_and(|s| s.role.may(permission));
        Layout {
            staff,
            csrf: csrf.0.clone(),
            may_manage_staff: may(Permission::ManageStaff),
            may_read_audit: may(Permission::ReadAuditLog),
            may_handle_privacy: may(Permission::HandlePrivacyRequests),
            notices: Vec::new(),
        }
    }

    pub fn with_notice(mut self, notice: impl Into<String>) -> Self {
        self.notices.push(notice.into());
        self
    }
}

/// Links to a list's neighbouring pages, keeping its filters.
pub struct Pager {
    pub previous_url: Option<String>,
    pub next_url: Option<String>,
}

impl Pager {
    /// For page `page` (from 0) of the list at `path` filtered by `filters`.
    pub fn new(path: &str, filters: &impl serde::Serialize, page: u32, has_next: bool) -> Pager {
        let filters = serde_urlencoded::to_string(filters).unwrap_or_default();
        let url = |page: u32| format!("{path}?{filters}&page={page}");
        Pager {
            previous_url: (page > 0).then(|| url(page - 1)),
            next_url: has_next.then(|| url(page + 1)),
        }
    }

    /// For a list of `total` items, `page_size` a page.
    pub fn of_total(
        path: &str,
        filters: &impl serde::Serialize,
        page: u32,
        total: i64,
        page_size: u32,
    ) -> Pager {
        let pages = (total.max(1) as u64).div_ceil(u64::from(page_size));
        Pager::new(path, filters, page, u64::from(page) + 1 < pages)
    }
}

pub fn render(page: &impl Template) -> Result<Html<String>, HttpError> {
    Ok(Html(page.render()?))
}
