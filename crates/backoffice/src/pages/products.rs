//! The catalogue: the product list (search, filters, pages over 65 000 products) and
//! the product editor. Everyone may look; saving needs the catalogue permission.
//! Saves are refused when someone else saved the product since the form was opened.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use comptoir_domain::staff::Permission;
use comptoir_domain::{Locale, Money, Product, ProductId, SiteCode};
use comptoir_store::{
    BulkChange, BulkOutcome, CategoryChoice, EditOutcome, ProductFilter, ProductListRow,
    StockFilter,
};
use comptoir_web::csrf::CsrfForm;
use serde::{Deserialize, Serialize};

use super::{AfterSave, Layout, Pager, render};
use crate::product_form::{
    self, AGE_GROUPS, Choices, EditorView, GENDERS, Posted, STOCK_POLICIES, VISIBILITIES,
};
use crate::staff_session::{CurrentStaff, EditCatalogue, Staff};
use crate::{AppState, HttpError};

const PAGE_SIZE: u32 = 50;

/// Most products one bulk change applies to ("all matching" included).
const MAX_BULK: u32 = 5_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/products", get(list))
        .route("/products/bulk", post(bulk))
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
    /// How many products the last bulk change changed, for its notice.
    #[serde(skip_serializing)]
    changed: Option<usize>,
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
    may_edit: bool,
    /// The filters as hidden fields of the bulk form ("all matching").
    filters: Vec<(&'static str, String)>,
    errors: Vec<String>,
}

async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<ListQuery>,
) -> Result<Response, HttpError> {
    list_page(&state, &staff, query, Vec::new()).await
}

async fn list_page(
    state: &AppState,
    staff: &CurrentStaff,
    query: ListQuery,
    errors: Vec<String>,
) -> Result<Response, HttpError> {
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
    let mut layout = staff.layout();
    if let Some(changed) = query.changed {
        layout = layout.with_notice(format!(
            "Changed {changed} products. Storefronts and search show it within seconds."
        ));
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let view = ProductList {
        layout,
        categories: state.store.category_choices().await?,
        sites: SiteCode::ALL,
        rows,
        total: found.total,
        first: u64::from(page) * u64::from(PAGE_SIZE) + 1,
        pager: Pager::of_total("/products", &query, page, found.total, PAGE_SIZE),
        may_edit: staff.member.role.may(Permission::EditCatalogue),
        filters: vec![
            ("q", query.q.clone()),
            ("category", query.category.clone()),
            ("site", query.site.clone()),
            ("enabled", query.enabled.clone()),
            ("stock", query.stock.clone()),
        ],
        errors,
        query,
    };
    Ok((status, render(&view)?).into_response())
}

/// Reads the bulk form: the products it names and the change, or what is wrong.
async fn bulk_request(
    state: &AppState,
    fields: &[(String, String)],
    query: &ListQuery,
) -> Result<Result<(Vec<ProductId>, BulkChange), String>, HttpError> {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.trim())
    };
    let change = match field("action") {
        "enable" => BulkChange::Enable(true),
        "disable" => BulkChange::Enable(false),
        "move" => match field("to_category").parse() {
            Ok(category) => BulkChange::MoveToCategory(category),
            Err(_) => return Ok(Err("Choose the category to move them to.".to_owned())),
        },
        "price" => match field("percent").trim_end_matches('%').trim().parse::<i64>() {
            Ok(percent) if (-90..=500).contains(&percent) && percent != 0 => {
                BulkChange::PriceByPercent {
                    site: SiteCode::parse(field("price_site")).ok(),
                    percent,
                }
            }
            _ => {
                return Ok(Err(
                    "The price change is a whole percentage from -90 to 500, such as -20."
                        .to_owned(),
                ));
            }
        },
        _ => return Ok(Err("Choose what to do.".to_owned())),
    };
    let ids: Vec<ProductId> = if field("scope") == "all" {
        let found = state
            .store
            .find_products(&query.filter(), MAX_BULK + 1, 0)
            .await?;
        if found.total > i64::from(MAX_BULK) {
            return Ok(Err(format!(
                "{} products match: a bulk change takes at most {MAX_BULK}. Narrow the filters.",
                found.total
            )));
        }
        found.rows.iter().map(|row| ProductId(row.id)).collect()
    } else {
        fields
            .iter()
            .filter(|(key, _)| key == "id")
            .filter_map(|(_, value)| value.parse().ok().map(ProductId))
            .take(MAX_BULK as usize)
            .collect()
    };
    if ids.is_empty() {
        return Ok(Err(
            "Tick the products to change, or choose all matching.".to_owned()
        ));
    }
    Ok(Ok((ids, change)))
}

async fn bulk(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map_or_else(String::new, |(_, value)| value.clone())
    };
    let query = ListQuery {
        q: field("q"),
        category: field("category"),
        site: field("site"),
        enabled: field("enabled"),
        stock: field("stock"),
        ..ListQuery::default()
    };
    let (ids, change) = match bulk_request(&state, &fields, &query).await? {
        Ok(request) => request,
        Err(error) => return list_page(&state, &staff, query, vec![error]).await,
    };
    match state
        .store
        .bulk_change(&ids, change, &staff.actor())
        .await?
    {
        BulkOutcome::Done(changed) => {
            tracing::info!(
                by = staff.member.email,
                changed,
                ?change,
                "bulk product change"
            );
            let filters = serde_urlencoded::to_string(&query).unwrap_or_default();
            Ok(Redirect::to(&format!("/products?{filters}&changed={changed}")).into_response())
        }
        BulkOutcome::UnknownCategory => {
            let error = "There is no such category.".to_owned();
            list_page(&state, &staff, query, vec![error]).await
        }
        BulkOutcome::PriceTooLarge => {
            let error = "A price would be too large: nothing was changed.".to_owned();
            list_page(&state, &staff, query, vec![error]).await
        }
    }
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
    genders: [comptoir_domain::Gender; 3],
    stock_policies: [(comptoir_domain::StockPolicy, &'static str); 3],
    age_groups: [comptoir_domain::AgeGroup; 4],
    /// Theme options: (code, Spanish label).
    themes: Vec<(String, String)>,
    categories: Vec<CategoryChoice>,
    errors: Vec<String>,
}

/// What the editor's pickers offer.
struct Pickers {
    themes: Vec<(String, String)>,
    categories: Vec<CategoryChoice>,
}

impl Pickers {
    async fn load(state: &AppState) -> Result<Pickers, HttpError> {
        Ok(Pickers {
            themes: state.store.theme_choices().await?,
            categories: state.store.category_choices().await?,
        })
    }

    fn choices(&self) -> Choices {
        Choices {
            themes: self.themes.iter().map(|(code, _)| code.clone()).collect(),
            categories: self.categories.iter().map(|c| c.id).collect(),
        }
    }
}

/// What an editor page shows besides the product: the form, and how it went.
struct Shown {
    form: EditorView,
    errors: Vec<String>,
    notice: Option<&'static str>,
    status: StatusCode,
}

/// The editor page for `product`.
fn editor(
    staff: &CurrentStaff,
    product: &Product,
    pickers: Pickers,
    shown: Shown,
) -> Result<Response, HttpError> {
    let mut layout = staff.layout();
    if let Some(notice) = shown.notice {
        layout = layout.with_notice(notice);
    }
    let page = ProductEditor {
        layout,
        id: product.id.0,
        sku: product.sku.as_str().to_owned(),
        may_edit: staff.member.role.may(Permission::EditCatalogue),
        form: shown.form,
        visibilities: VISIBILITIES,
        genders: GENDERS,
        stock_policies: STOCK_POLICIES,
        age_groups: AGE_GROUPS,
        themes: pickers.themes,
        categories: pickers.categories,
        errors: shown.errors,
    };
    Ok((shown.status, render(&page)?).into_response())
}

/// The editor of product `id` as stored, with the errors (422) or the notice.
async fn stored_editor(
    state: &AppState,
    staff: &CurrentStaff,
    id: i64,
    errors: Vec<String>,
    notice: Option<&'static str>,
) -> Result<Response, HttpError> {
    let (product, version) = state
        .store
        .product_for_edit(ProductId(id))
        .await?
        .ok_or(HttpError::NotFound)?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let shown = Shown {
        form: EditorView::of(&product, version),
        errors,
        notice,
        status,
    };
    let pickers = Pickers::load(state).await?;
    editor(staff, &product, pickers, shown)
}

/// The editor of product `id` as stored, with `message` on top (422).
pub(super) async fn editor_with_error(
    state: &AppState,
    staff: &CurrentStaff,
    id: i64,
    message: &str,
) -> Result<Response, HttpError> {
    stored_editor(state, staff, id, vec![message.to_owned()], None).await
}

async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(done): Query<AfterSave>,
) -> Result<Response, HttpError> {
    let notice = done
        .done
        .map(|_| "Saved. Storefronts and search show it within seconds.");
    stored_editor(&state, &staff, id, Vec::new(), notice).await
}

async fn save(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let (product, _) = state
        .store
        .product_for_edit(ProductId(id))
        .await?
        .ok_or(HttpError::NotFound)?;
    let posted = Posted::new(pairs);
    let pickers = Pickers::load(&state).await?;
    let choices = pickers.choices();
    let again = |errors: Vec<String>, status| {
        let shown = Shown {
            form: EditorView::typed(&product, &posted),
            errors,
            notice: None,
            status,
        };
        editor(&staff, &product, pickers, shown)
    };
    let (edit, version) = match product_form::parse(&product, &posted, &choices) {
        Ok(parsed) => parsed,
        Err(errors) => return again(errors, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let (message, status) = match state
        .store
        .save_product(&edit, version, &staff.actor())
        .await?
    {
        EditOutcome::Saved { .. } => {
            tracing::info!(by = staff.member.email, product = id, "product saved");
            return Ok(Redirect::to(&format!("/products/{id}?done=1")).into_response());
        }
        EditOutcome::NotFound => return Err(HttpError::NotFound),
        EditOutcome::Conflict => (
            "Someone else saved this product after you opened it: your changes were not \
             saved. Open the product again to see theirs, then make your changes."
                .to_owned(),
            StatusCode::CONFLICT,
        ),
        EditOutcome::UrlKeyTaken(locale) => (
            format!(
                "URL key ({}): another product already has it.",
                locale.as_str()
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        EditOutcome::UnknownCategory => (
            "A category was deleted meanwhile: choose the categories again.".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    again(vec![message], status)
}
