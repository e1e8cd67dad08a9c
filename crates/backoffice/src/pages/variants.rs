//! A product's variants from its editor: staff add a size or colour (a new SKU with
//! its stock count), or remove one that no order names and that is not the last.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use comptoir_domain::ProductId;
use comptoir_store::VariantOutcome;
use comptoir_web::csrf::CsrfForm;

use super::ButtonOnly;
use super::products::editor_with_error;
use crate::product_form::{NewVariantForm, parse_new_variant};
use crate::staff_session::{CurrentStaff, EditCatalogue, Staff};
use crate::{AppState, HttpError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/products/{id}/variants", post(add))
        .route("/products/{id}/variants/{variant_id}/remove", post(remove))
}

/// The editor after a variant change: the product again, or why nothing changed.
async fn after(
    state: &AppState,
    staff: &CurrentStaff,
    id: i64,
    outcome: VariantOutcome,
) -> Result<Response, HttpError> {
    let refusal = match outcome {
        VariantOutcome::Done => {
            return Ok(Redirect::to(&format!("/products/{id}?done=1")).into_response());
        }
        VariantOutcome::NotFound => return Err(HttpError::NotFound),
        VariantOutcome::SkuTaken => "Another variant already has that SKU: nothing was added.",
        VariantOutcome::LastVariant => {
            "A product keeps at least one variant: disable the product instead."
        }
        VariantOutcome::Ordered => {
            "Orders name this variant, so it stays: set its units to 0 to stop selling it."
        }
    };
    editor_with_error(state, staff, id, refusal).await
}

async fn add(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<NewVariantForm>,
) -> Result<Response, HttpError> {
    let variant = match parse_new_variant(&form) {
        Ok(variant) => variant,
        Err(errors) => {
            return editor_with_error(&state, &staff, id, &errors.join(" ")).await;
        }
    };
    let outcome = state
        .store
        .add_variant(ProductId(id), &variant, &staff.actor())
        .await?;
    if outcome == VariantOutcome::Done {
        tracing::info!(
            by = staff.member.email,
            product = id,
            sku = variant.sku.as_str(),
            "variant added"
        );
    }
    after(&state, &staff, id, outcome).await
}

async fn remove(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    Path((id, variant_id)): Path<(i64, i64)>,
    CsrfForm(ButtonOnly {}): CsrfForm<ButtonOnly>,
) -> Result<Response, HttpError> {
    let outcome = state
        .store
        .remove_variant(ProductId(id), variant_id, &staff.actor())
        .await?;
    after(&state, &staff, id, outcome).await
}
