//! Orders: the list (filters by site, statuses, dates, customer, total) and an
//! order's page, where order managers move it on: processing, shipment (the
//! customer is mailed the tracking number), delivery, cancellation (stock returned),
//! payment received, refunds and notes. The order's rules decide what is allowed.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use comptoir_domain::import::LegacyOrder;
use comptoir_domain::order::{
    FulfilmentStatus, OrderStatus, OrderStep, PaymentStatus, PaymentTiming,
};
use comptoir_domain::staff::Permission;
use comptoir_domain::{Currency, Locale, Money, SiteCode};
use comptoir_store::{
    OrderChange, OrderChangeOutcome, OrderEvent, OrderFilter, OrderListRow, OrderRecord,
    OrderRefusal,
};
use comptoir_web::csrf::CsrfForm;
use serde::{Deserialize, Serialize};

use super::{AfterSave, ButtonOnly, Layout, Pager, render};
use crate::staff_session::{CurrentStaff, ManageOrders, Staff};
use crate::{AppState, HttpError, mails};

const PAGE_SIZE: u32 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orders", get(list))
        .route("/orders/{id}", get(detail))
        .route("/orders/{id}/status", post(change_status))
        .route("/orders/{id}/paid", post(mark_paid))
        .route("/orders/{id}/refund", post(refund))
        .route("/orders/{id}/ship", post(ship))
        .route("/orders/{id}/note", post(note))
}

/// What staff read when the order's rules refuse a change.
fn refusal_text(refusal: OrderRefusal) -> &'static str {
    match refusal {
        OrderRefusal::UnknownStatus => "The order holds a status Comptoir does not know.",
        OrderRefusal::EmptyNote => "A note needs some text.",
        OrderRefusal::ShipWithTracking => "Ship an order with its carrier and tracking number.",
        OrderRefusal::UnreachableStatus => "The order cannot move to that status from where it is.",
        OrderRefusal::NotPaidYet => {
            "The order is not paid: it is prepared once paid, unless paid on delivery."
        }
        OrderRefusal::SettledByGateway => {
            "Card payments are settled by the payment gateway, not by hand."
        }
        OrderRefusal::NotPending => "Only a pending payment can be marked paid.",
        OrderRefusal::Cancelled => "The order is cancelled.",
        OrderRefusal::NotPaid => "Only a paid order can be refunded.",
        OrderRefusal::RefundOutOfRange => {
            "A refund is more than nothing and at most what is left to refund."
        }
        OrderRefusal::ShipmentIncomplete => "A shipment needs its carrier and tracking number.",
        OrderRefusal::NotProcessing => "Only an order being processed can be shipped.",
        OrderRefusal::UnpaidShipment => {
            "An unpaid order is shipped only when it is paid on delivery."
        }
        OrderRefusal::ChangedMeanwhile => "The order changed meanwhile: open it again.",
    }
}

fn euros(cents: i64) -> String {
    Money::from_cents(cents, Currency::Eur).format(Locale::Es)
}

/// The list's filters as typed.
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
pub(super) struct ListQuery {
    q: String,
    site: String,
    payment: String,
    fulfilment: String,
    from: String,
    until: String,
    min_total: String,
    max_total: String,
    #[serde(skip_serializing)]
    page: u32,
}

impl ListQuery {
    /// The store's filter, and the messages about what could not be read.
    pub(super) fn filter(&self) -> (OrderFilter, Vec<String>) {
        let mut errors = Vec::new();
        let mut day = |text: &str, label: &str| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(day) => Some(day),
                Err(_) => {
                    errors.push(format!("'{text}' is not a date ({label} left out)."));
                    None
                }
            }
        };
        let from = day(&self.from, "from");
        let until = day(&self.until, "until");
        let mut amount = |text: &str, label: &str| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match Money::parse(text, Currency::Eur) {
                Ok(money) => Some(money.cents()),
                Err(_) => {
                    errors.push(format!("'{text}' is not an amount ({label} left out)."));
                    None
                }
            }
        };
        let min_total_cents = amount(&self.min_total, "minimum total");
        let max_total_cents = amount(&self.max_total, "maximum total");
        let q = self.q.trim();
        let midnight = |day: NaiveDate| day.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        let filter = OrderFilter {
            text: (!q.is_empty()).then(|| q.chars().take(100).collect()),
            site: SiteCode::parse(&self.site).ok(),
            payment: PaymentStatus::parse(&self.payment),
            fulfilment: FulfilmentStatus::parse(&self.fulfilment),
            placed_from: from.and_then(midnight),
            // Until a date includes that whole day.
            placed_until: until.and_then(|d| d.succ_opt()).and_then(midnight),
            min_total_cents,
            max_total_cents,
        };
        (filter, errors)
    }
}

struct ListRow {
    row: OrderListRow,
    total: String,
}

/// Old orders (of the shop Comptoir replaced) a search finds, shown whole: they
/// are only read.
const PREVIOUS_SHOWN: i64 = 20;

/// An old order as shown, its amounts in euros.
struct PreviousView {
    order: LegacyOrder,
    total: String,
    paid: String,
    lines: Vec<(String, String)>,
}

impl PreviousView {
    fn of(order: LegacyOrder) -> PreviousView {
        PreviousView {
            total: euros(order.total_cents),
            paid: euros(order.paid_cents),
            lines: order
                .lines
                .iter()
                .map(|line| {
                    let text = format!("{} × {} ({})", line.units, line.name, line.sku);
                    (text, euros(line.total_cents))
                })
                .collect(),
            order,
        }
    }
}

#[derive(Template)]
#[template(path = "backoffice/orders.html")]
struct OrderList<'a> {
    layout: Layout<'a>,
    query: ListQuery,
    errors: Vec<String>,
    sites: [SiteCode; 4],
    payment_statuses: [&'static str; 4],
    fulfilment_statuses: [&'static str; 5],
    rows: Vec<ListRow>,
    total: i64,
    /// Old orders the search text finds (by number or e-mail address).
    previous: Vec<PreviousView>,
    pager: Pager,
    /// The export of the orders these filters find.
    export_url: String,
}

async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<ListQuery>,
) -> Result<Response, HttpError> {
    let (filter, errors) = query.filter();
    let page = query.page;
    let found = state
        .store
        .find_orders(&filter, PAGE_SIZE, page.saturating_mul(PAGE_SIZE))
        .await?;
    let previous = match &filter.text {
        Some(text) => state
            .store
            .find_legacy_orders(text, PREVIOUS_SHOWN)
            .await?
            .into_iter()
            .map(PreviousView::of)
            .collect(),
        None => Vec::new(),
    };
    let view = OrderList {
        layout: staff.layout(),
        errors,
        sites: SiteCode::ALL,
        payment_statuses: ["pending", "paid", "failed", "refunded"],
        fulfilment_statuses: ["new", "processing", "shipped", "delivered", "cancelled"],
        rows: found
            .rows
            .into_iter()
            .map(|row| ListRow {
                total: euros(row.total_cents),
                row,
            })
            .collect(),
        total: found.total,
        previous,
        pager: Pager::of_total("/orders", &query, page, found.total, PAGE_SIZE),
        export_url: format!(
            "/orders/export.csv?{}",
            serde_urlencoded::to_string(&query).unwrap_or_default()
        ),
        query,
    };
    Ok(render(&view)?.into_response())
}

/// A line of the order as shown.
struct LineView {
    sku: String,
    name: String,
    quantity: i64,
    unit: String,
    total: String,
}

#[derive(Template)]
#[template(path = "backoffice/order.html")]
struct OrderPage<'a> {
    layout: Layout<'a>,
    order: OrderRecord,
    lines: Vec<LineView>,
    items: String,
    shipping: String,
    vat: String,
    total: String,
    refunded: String,
    /// Card money received when the order could no longer take it.
    refund_due: String,
    events: Vec<(OrderEvent, String)>,
    may_manage: bool,
    /// The fulfilment steps allowed from here, as (status, button label).
    next_steps: Vec<(&'static str, &'static str)>,
    may_mark_paid: bool,
    may_refund: bool,
    may_ship: bool,
    errors: Vec<String>,
}

async fn order_page(
    state: &AppState,
    staff: &CurrentStaff,
    id: i64,
    errors: Vec<String>,
    notice: Option<&'static str>,
) -> Result<Response, HttpError> {
    let order = state.store.order(id).await?.ok_or(HttpError::NotFound)?;
    let events = state
        .store
        .order_events(id)
        .await?
        .into_iter()
        .map(|event| {
            let amount = event.amount_cents.map(euros).unwrap_or_default();
            (event, amount)
        })
        .collect();
    // What the order's rules allow from here, over both statuses.
    let order_status = PaymentStatus::parse(&order.payment_status)
        .zip(FulfilmentStatus::parse(&order.fulfilment_status))
        .map(|(payment, fulfilment)| OrderStatus::new(payment, fulfilment));
    let timing = if order.payment_method == "cash-on-delivery" {
        PaymentTiming::OnDelivery
    } else {
        PaymentTiming::BeforeShipping
    };
    let allows = |step: OrderStep| order_status.is_some_and(|s| s.after(step, timing).is_some());
    let next_steps = [
        (
            OrderStep::StartProcessing,
            FulfilmentStatus::Processing,
            "Start processing",
        ),
        (
            OrderStep::Deliver,
            FulfilmentStatus::Delivered,
            "Mark delivered",
        ),
        (
            OrderStep::Cancel,
            FulfilmentStatus::Cancelled,
            "Cancel (stock goes back)",
        ),
    ]
    .into_iter()
    .filter(|(step, _, _)| allows(*step))
    .map(|(_, to, label)| (to.as_str(), label))
    .collect();
    let mut layout = staff.layout();
    if let Some(notice) = notice {
        layout = layout.with_notice(notice);
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = OrderPage {
        layout,
        lines: order
            .lines
            .iter()
            .map(|line| LineView {
                sku: line.sku.clone(),
                name: line.name.clone(),
                quantity: line.quantity,
                unit: euros(line.unit_cents),
                total: euros(line.gross_cents),
            })
            .collect(),
        items: euros(order.items_cents),
        shipping: euros(order.shipping_cents),
        vat: euros(order.vat_cents),
        total: euros(order.total_cents),
        refunded: euros(order.refunded_cents),
        events,
        may_manage: staff.member.role.may(Permission::ManageOrders),
        next_steps,
        may_mark_paid: allows(OrderStep::MarkPaid)
            && matches!(
                order.payment_method.as_str(),
                "bank-transfer" | "cash-on-delivery"
            ),
        may_refund: allows(OrderStep::Refund { whole: false }),
        may_ship: allows(OrderStep::Ship),
        refund_due: euros(order.refund_due_cents),
        errors,
        order,
    };
    Ok((status, render(&page)?).into_response())
}

async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(done): Query<AfterSave>,
) -> Result<Response, HttpError> {
    let notice = done.done.map(|_| "Saved.");
    order_page(&state, &staff, id, Vec::new(), notice).await
}

/// Applies `change` to order `id`: back to the order with a notice, or with why not.
async fn apply(
    state: &AppState,
    staff: &Staff<ManageOrders>,
    id: i64,
    change: Result<OrderChange, String>,
) -> Result<Response, HttpError> {
    let change = match change {
        Ok(change) => change,
        Err(error) => return order_page(state, staff, id, vec![error], None).await,
    };
    let mail = match &change {
        OrderChange::Ship { carrier, tracking } => {
            let order = state.store.order(id).await?.ok_or(HttpError::NotFound)?;
            Some(mails::shipment(&order, carrier.trim(), tracking.trim()))
        }
        _ => None,
    };
    match state
        .store
        .change_order(id, &change, &staff.actor(), mail.as_ref())
        .await?
    {
        OrderChangeOutcome::Done => {
            tracing::info!(
                by = staff.member.email,
                order = id,
                ?change,
                "order changed"
            );
            Ok(Redirect::to(&format!("/orders/{id}?done=1")).into_response())
        }
        OrderChangeOutcome::Refused(refusal) => {
            let reason = refusal_text(refusal).to_owned();
            order_page(state, staff, id, vec![reason], None).await
        }
        OrderChangeOutcome::NotFound => Err(HttpError::NotFound),
    }
}

#[derive(Deserialize)]
struct StatusForm {
    #[serde(default)]
    to: String,
}

async fn change_status(
    State(state): State<AppState>,
    staff: Staff<ManageOrders>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> Result<Response, HttpError> {
    let change = FulfilmentStatus::parse(&form.to)
        .map(OrderChange::Fulfilment)
        .ok_or_else(|| "Choose a status.".to_owned());
    apply(&state, &staff, id, change).await
}

async fn mark_paid(
    State(state): State<AppState>,
    staff: Staff<ManageOrders>,
    Path(id): Path<i64>,
    CsrfForm(ButtonOnly {}): CsrfForm<ButtonOnly>,
) -> Result<Response, HttpError> {
    apply(&state, &staff, id, Ok(OrderChange::MarkPaid)).await
}

#[derive(Deserialize)]
struct RefundForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
}

async fn refund(
    State(state): State<AppState>,
    staff: Staff<ManageOrders>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<RefundForm>,
) -> Result<Response, HttpError> {
    let change = Money::parse(&form.amount, Currency::Eur)
        .map(|amount| OrderChange::Refund {
            amount_cents: amount.cents(),
            reason: form.reason.chars().take(500).collect(),
        })
        .map_err(|_| format!("'{}' is not an amount such as 12.50.", form.amount.trim()));
    apply(&state, &staff, id, change).await
}

#[derive(Deserialize)]
struct ShipForm {
    #[serde(default)]
    carrier: String,
    #[serde(default)]
    tracking: String,
}

async fn ship(
    State(state): State<AppState>,
    staff: Staff<ManageOrders>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ShipForm>,
) -> Result<Response, HttpError> {
    let change = OrderChange::Ship {
        carrier: form.carrier.chars().take(60).collect(),
        tracking: form.tracking.chars().take(100).collect(),
    };
    apply(&state, &staff, id, Ok(change)).await
}

#[derive(Deserialize)]
struct NoteForm {
    #[serde(default)]
    text: String,
}

async fn note(
    State(state): State<AppState>,
    staff: Staff<ManageOrders>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<NoteForm>,
) -> Result<Response, HttpError> {
    let change = OrderChange::Note(form.text.chars().take(2_000).collect());
    apply(&state, &staff, id, Ok(change)).await
}
