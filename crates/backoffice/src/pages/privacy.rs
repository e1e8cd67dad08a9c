//! Customers' requests to be erased: admins carry them out or refuse them, saying
//! why; either way the customer is told by mail and the decision is audited. And
//! the newsletter's list of consents, to export.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use comptoir_store::{ErasureOutcome, ErasureRequest, ErasureStatus};
use comptoir_web::csrf::CsrfForm;
use serde::Deserialize;

use super::{AfterSave, ButtonOnly, Layout, render};
use crate::staff_session::{HandlePrivacyRequests, Staff};
use crate::{AppState, HttpError, mails};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/privacy", get(requests))
        .route("/privacy/{id}/erase", post(erase))
        .route("/privacy/{id}/refuse", post(refuse))
}

/// Requests listed.
const LISTED: u32 = 200;
/// Longest reason for a refusal.
const MAX_REASON_CHARS: usize = 1_000;

#[derive(Template)]
#[template(path = "backoffice/privacy.html")]
struct RequestsPage<'a> {
    layout: Layout<'a>,
    requests: Vec<ErasureRequest>,
    errors: Vec<String>,
    /// How many get the newsletter now.
    subscribers: usize,
}

impl RequestsPage<'_> {
    fn pending(request: &ErasureRequest) -> bool {
        request.status == ErasureStatus::Requested
    }
}

async fn page(
    state: &AppState,
    staff: &Staff<HandlePrivacyRequests>,
    notice: Option<&str>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, HttpError> {
    let mut layout = staff.layout();
    if let Some(notice) = notice {
        layout = layout.with_notice(notice);
    }
    let page = RequestsPage {
        layout,
        requests: state.store.erasure_requests(LISTED).await?,
        errors,
        subscribers: state.store.newsletter_subscribers().await?.len(),
    };
    Ok((status, render(&page)?).into_response())
}

async fn requests(
    State(state): State<AppState>,
    staff: Staff<HandlePrivacyRequests>,
    Query(done): Query<AfterSave>,
) -> Result<Response, HttpError> {
    let notice = done
        .done
        .is_some()
        .then_some("Done. The customer is told by mail.");
    page(&state, &staff, notice, Vec::new(), StatusCode::OK).await
}

/// The answer when another admin decided the request first.
async fn decided_already(
    state: &AppState,
    staff: &Staff<HandlePrivacyRequests>,
) -> Result<Response, HttpError> {
    let message = "This request was decided already: nothing changed.".to_owned();
    page(state, staff, None, vec![message], StatusCode::CONFLICT).await
}

async fn erase(
    State(state): State<AppState>,
    staff: Staff<HandlePrivacyRequests>,
    Path(id): Path<i64>,
    CsrfForm(ButtonOnly {}): CsrfForm<ButtonOnly>,
) -> Result<Response, HttpError> {
    let request = state
        .store
        .erasure_request(id)
        .await?
        .ok_or(HttpError::NotFound)?;
    let mail = mails::erasure_done(&request);
    match state
        .store
        .erase_customer(id, &state.retention, &mail, &staff.actor())
        .await?
    {
        ErasureOutcome::Erased { orders_restricted } => {
            tracing::info!(
                by = staff.member.email,
                request = id,
                orders_restricted,
                "customer erased"
            );
            Ok(Redirect::to("/privacy?done=1").into_response())
        }
        _ => decided_already(&state, &staff).await,
    }
}

#[derive(Deserialize)]
struct RefusalForm {
    #[serde(default)]
    reason: String,
}

async fn refuse(
    State(state): State<AppState>,
    staff: Staff<HandlePrivacyRequests>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<RefusalForm>,
) -> Result<Response, HttpError> {
    let reason = form.reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        let message = format!(
            "Reason: needed (the customer reads it), at most {MAX_REASON_CHARS} characters."
        );
        return page(
            &state,
            &staff,
            None,
            vec![message],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let request = state
        .store
        .erasure_request(id)
        .await?
        .ok_or(HttpError::NotFound)?;
    let mail = mails::erasure_refused(&request, reason);
    match state
        .store
        .refuse_erasure(id, reason, &mail, &staff.actor())
        .await?
    {
        ErasureOutcome::Refused => {
            tracing::info!(by = staff.member.email, request = id, "erasure refused");
            Ok(Redirect::to("/privacy?done=1").into_response())
        }
        _ => decided_already(&state, &staff).await,
    }
}
