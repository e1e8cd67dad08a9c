//! The VERI*FACTU records and how they fared with the AEAT: where records go, how
//! many wait, the last error, and each record's state with AEAT's code and words.
//! A record AEAT rejected or accepted with errors is fixed by registering its
//! invoice again (the invoices page's action), never by sending it unchanged.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use comptoir_domain::invoicing::verifactu::Endpoint;
use comptoir_store::{RecordListRow, SubmissionState};
use serde::Deserialize;

use super::{Layout, render};
use crate::staff_session::Staff;
use crate::{AppState, HttpError};

pub fn router() -> Router<AppState> {
    Router::new().route("/invoices/records", get(records))
}

/// Records listed.
const LISTED: u32 = 500;

#[derive(Template)]
#[template(path = "backoffice/verifactu_records.html")]
struct RecordsPage<'a> {
    layout: Layout<'a>,
    endpoint: &'static str,
    sending: bool,
    submission: SubmissionState,
    records: Vec<RecordListRow>,
    only_failed: bool,
    may_act: bool,
}

impl RecordsPage<'_> {
    fn time(at: &Option<chrono::DateTime<chrono::Utc>>) -> String {
        at.map(|at| at.format("%Y-%m-%d %H:%M:%S UTC").to_string())
            .unwrap_or_default()
    }

    fn kind(record: &RecordListRow) -> &'static str {
        match (record.record_type.as_str(), record.correction) {
            ("anulacion", _) => "annulment",
            (_, true) => "registration, corrected",
            _ => "registration",
        }
    }

    /// Whether AEAT wants this record fixed by a corrected one.
    fn failed(record: &RecordListRow) -> bool {
        matches!(record.state.as_str(), "rejected" | "accepted_with_errors")
            && record.record_type == "alta"
    }
}

#[derive(Deserialize)]
struct Filter {
    failed: Option<String>,
}

async fn records(
    State(state): State<AppState>,
    staff: Staff,
    Query(filter): Query<Filter>,
) -> Result<Response, HttpError> {
    let only_failed = filter.failed.is_some();
    let page = RecordsPage {
        layout: staff.layout(),
        endpoint: match state.verifactu {
            Endpoint::Off => "off",
            Endpoint::Test => "AEAT's test service",
            Endpoint::Production => "AEAT's production service",
        },
        sending: state.verifactu != Endpoint::Off,
        submission: state.store.submission_state().await?,
        records: state.store.record_list(only_failed, LISTED).await?,
        only_failed,
        may_act: staff
            .member
            .role
            .may(comptoir_domain::staff::Permission::ManageOrders),
    };
    Ok(axum::response::IntoResponse::into_response(render(&page)?))
}
