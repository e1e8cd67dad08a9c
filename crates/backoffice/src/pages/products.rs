//! The catalogue: the product list (search, filters, pages over 65 000 products) and
//! the product editor. Everyone may look; saving needs the catalogue permission.
//! Saves are refused when someone else saved the product since the form was opened.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use comptoir_domain::staff::Permission;
use comptoir_domain::{Locale, Money, Product, ProductId, SiteCode};
use comptoir_store::{CategoryChoice, EditOutcome, ProductFilter, ProductListRow, StockFilter};
use comptoir_web::csrf::CsrfForm;
use serde::{Deserialize, Serialize};
use tower_cookies::Cookies;

use super::{Layout, Pager, render};
use crate::product_form::{self, EditorView, VISIBILITIES};
use crate::staff_session::CurrentStaff;
use crate::{AppState, BackofficeError};

const PAGE_SIZE: u32 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/products", get(list))
        .route("/products/{id}", get(edit_form).post(save))
}

/// The list's filters as typed: all text, so nothing typed is refused outright.
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
struct ListQuery {
    q: String,
    category: String,
    site: String,
    enabled: String,
    stock: String,
    #[serde(skip_serializing)]
    page: u32,
}

impl ListQuery {
    fn filter(&self) -> ProductFilter {
        let q = self.q.trim();
        ProductFilter {
            text: (!q.is_empty()).then(|| q.chars().take(100).collect()),
            category: self.category.parse().ok(),
            site: SiteCode::parse(&self.site).ok(),
            enabled: match self.enabled.as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            },
            stock: match self.stock.as_str() {
                "out" => Some(StockFilter::Out),
                "low" => Some(StockFilter::Low),
                "in" => Some(StockFilter::In),
                _ => None,
            },
        }
    }
}

struct ListRow {
    row: ProductListRow,
    price_es: String,
}

#[derive(Template)]
#[template(path = "backoffice/products.html")]
struct ProductList<'a> {
    layout: Layout<'a>,
    query: ListQuery,
    categories: Vec<CategoryChoice>,
    sites: [SiteCode; 4],
    rows: Vec<ListRow>,
    total: i64,
    first: u64,
    pager: Pager,
}

async fn list(
    State(state): State<AppState>,
    staff: CurrentStaff,
    cookies: Cookies,
    Query(query): Query<ListQuery>,
) -> Result<Response, BackofficeError> {
    let filter = query.filter();
    let page = query.page;
    let found = state
        .store
        .find_products(&filter, PAGE_SIZE, page.saturating_mul(PAGE_SIZE))
        .await?;
    let rows = found
        .rows
        .into_iter()
        .map(|row| ListRow {
            price_es: row
                .price_es_cents
                .map(|cents| Money::eur(cents).format(Locale::Es))
                .unwrap_or_default(),
            row,
        })
        .collect();
    let view = ProductList {
        layout: Layout::new(&state, Some(&staff.0), &cookies),
        categories: state.store.category_choices().await?,
        sites: SiteCode::ALL,
        rows,
        total: found.total,
        first: u64::from(page) * u64::from(PAGE_SIZE) + 1,
        pager: Pager::of_total("/products", &query, page, found.total, PAGE_SIZE),
        query,
    };
    Ok(render(&view)?.into_response())
}

#[derive(Template)]
#[template(path = "backoffice/product_edit.html")]
struct ProductEditor<'a> {
    layout: Layout<'a>,
    id: i64,
    sku: String,
    may_edit: bool,
    form: EditorView,
    visibilities: [(comptoir_domain::Visibility, &'static str); 4],
    errors: Vec<String>,
}

impl ProductEditor<'_> {
    fn respond(self, status: StatusCode) -> Result<Response, BackofficeError> {
        Ok((status, render(&self)?).into_response())
    }
}

fn editor<'a>(
    state: &AppState,
    staff: &'a CurrentStaff,
    cookies: &Cookies,
    product: &Product,
    form: EditorView,
    errors: Vec<String>,
) -> ProductEditor<'a> {
    ProductEditor {
        layout: Layout::new(state, Some(&staff.0), cookies),
        id: product.id.0,
        sku: product.sku.as_str().to_owned(),
        may_edit: staff.0.role.may(Permission::EditCatalogue),
        form,
        visibilities: VISIBILITIES,
        errors,
    }
}

#[derive(Deserialize)]
struct Saved {
    saved: Option<String>,
}

async fn edit_form(
    State(state): State<AppState>,
    staff: CurrentStaff,
    cookies: Cookies,
    Path(id): Path<i64>,
    Query(saved): Query<Saved>,
) -> Result<Response, BackofficeError> {
    let (product, version) = state
        .store
        .product_for_edit(ProductId(id))
        .await?
        .ok_or(BackofficeError::NotFound)?;
    let form = EditorView::of(&product, version);
    let mut page = editor(&state, &staff, &cookies, &product, form, Vec::new());
    if saved.saved.is_some() {
        page.layout = page
            .layout
            .with_notice("Saved. Storefronts and search show it within seconds.");
    }
    page.respond(StatusCode::OK)
}

async fn save(
    State(state): State<AppState>,
    staff: CurrentStaff,
    cookies: Cookies,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, BackofficeError> {
    staff.require(Permission::EditCatalogue)?;
    let (product, _) = state
        .store
        .product_for_edit(ProductId(id))
        .await?
        .ok_or(BackofficeError::NotFound)?;
    let again = |errors: Vec<String>, status| {
        let typed = EditorView::typed(&product, &form);
        editor(&state, &staff, &cookies, &product, typed, errors).respond(status)
    };
    let (edit, version) = match product_form::parse(&product, &form) {
        Ok(parsed) => parsed,
        Err(errors) => return again(errors, StatusCode::UNPROCESSABLE_ENTITY),
    };
    match state
        .store
        .save_product(&edit, version, &staff.actor())
        .await?
    {
        EditOutcome::Saved { .. } => {
            tracing::info!(by = staff.0.email, product = id, "product saved");
            Ok(Redirect::to(&format!("/products/{id}?saved=1")).into_response())
        }
        EditOutcome::Conflict => again(
            vec![
                "Someone else saved this product after you opened it: your changes were not \
                 saved. Open the product again to see theirs, then make your changes."
                    .to_owned(),
            ],
            StatusCode::CONFLICT,
        ),
        EditOutcome::UrlKeyTaken(locale) => again(
            vec![format!(
                "URL key ({}): another product already has it.",
                locale.as_str()
            )],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        EditOutcome::NotFound => Err(BackofficeError::NotFound),
    }
}
