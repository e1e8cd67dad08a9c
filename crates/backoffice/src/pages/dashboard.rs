//! The dashboard: today's orders and revenue per site, and the variants running out.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use chrono::{Local, TimeZone, Utc};
use comptoir_domain::{Locale, Money, SiteCode};
use comptoir_store::LowStock;

use super::{Layout, render};
use crate::staff_session::Staff;
use crate::{AppState, HttpError};

/// Variants with this many units or fewer are listed as low.
const LOW_STOCK_THRESHOLD: i64 = 5;
const LOW_STOCK_ROWS: u32 = 50;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(dashboard))
}

struct SalesRow {
    site: SiteCode,
    orders: i64,
    paid: i64,
    revenue: String,
}

#[derive(Template)]
#[template(path = "backoffice/dashboard.html")]
struct DashboardPage<'a> {
    layout: Layout<'a>,
    since: String,
    sales: Vec<SalesRow>,
    threshold: i64,
    low_stock: Vec<LowStock>,
}

async fn dashboard(State(state): State<AppState>, staff: Staff) -> Result<Html<String>, HttpError> {
    // "Today" is the shop's day: midnight in the server's time zone (`TZ`).
    let midnight = Local::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .and_then(|midnight| Local.from_local_datetime(&midnight).earliest())
        .map_or_else(Utc::now, |midnight| midnight.with_timezone(&Utc));
    let sold = state.store.sales_since(midnight).await?;
    let sales = SiteCode::ALL
        .into_iter()
        .map(|site| {
            let row = sold.iter().find(|row| row.site == site.as_str());
            SalesRow {
                site,
                orders: row.map_or(0, |r| r.orders),
                paid: row.map_or(0, |r| r.paid),
                revenue: Money::from_cents(row.map_or(0, |r| r.revenue_cents), site.currency())
                    .format(Locale::Es),
            }
        })
        .collect();
    let page = DashboardPage {
        layout: staff.layout(),
        since: midnight
            .with_timezone(&Local)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string(),
        sales,
        threshold: LOW_STOCK_THRESHOLD,
        low_stock: state
            .store
            .low_stock(LOW_STOCK_THRESHOLD, LOW_STOCK_ROWS)
            .await?,
    };
    render(&page)
}
