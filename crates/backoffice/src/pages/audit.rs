//! The audit log, for administrators: every change, who made it and when, with the
//! values before and after, filtered by staff member, action, entity and dates.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use chrono::NaiveDate;
use comptoir_store::{AuditEntry, AuditFilter, StaffMember};
use serde::{Deserialize, Serialize};

use super::{Layout, Pager, render};
use crate::staff_session::{ReadAuditLog, Staff};
use crate::{AppState, HttpError};

const PAGE_SIZE: u32 = 50;
/// Deeper pages are refused: filter instead.
const MAX_PAGE: u32 = 2_000;

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(audit_log))
}

/// The filters as typed: all text, so that nothing typed is refused outright.
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
struct AuditQuery {
    staff: String,
    action: String,
    entity: String,
    entity_id: String,
    from: String,
    until: String,
    #[serde(skip_serializing)]
    page: u32,
}

#[derive(Template)]
#[template(path = "backoffice/audit.html")]
struct AuditPage<'a> {
    layout: Layout<'a>,
    members: Vec<StaffMember>,
    query: AuditQuery,
    filter: AuditFilter,
    errors: Vec<String>,
    entries: Vec<AuditEntry>,
    pager: Pager,
}

/// A filter value: trimmed, `None` when empty.
fn given(text: &str, max_chars: usize) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.chars().take(max_chars).collect())
}

/// The store's filter for what was typed, and what could not be understood.
fn filter_of(query: &AuditQuery) -> (AuditFilter, Vec<String>) {
    let mut errors = Vec::new();
    let mut date = |text: &str, label: &str| {
        let text = given(text, 10)?;
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                errors.push(format!("'{text}' is not a date ({label} left out)."));
                None
            }
        }
    };
    let from = date(&query.from, "from");
    let until = date(&query.until, "until");
    let staff_id = given(&query.staff, 20).and_then(|id| id.parse().ok());
    let filter = AuditFilter {
        staff_id,
        entity: given(&query.entity, 30),
        entity_id: given(&query.entity_id, 60),
        action_prefix: given(&query.action, 60),
        from: from
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc()),
        // Until a date includes that whole day.
        until: until
            .and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc()),
    };
    (filter, errors)
}

async fn audit_log(
    State(state): State<AppState>,
    staff: Staff<ReadAuditLog>,
    Query(query): Query<AuditQuery>,
) -> Result<Html<String>, HttpError> {
    let page = query.page.min(MAX_PAGE);
    let (filter, errors) = filter_of(&query);
    // One more than shown tells whether there is an older page.
    let mut entries = state
        .store
        .audit_entries(&filter, PAGE_SIZE + 1, page * PAGE_SIZE)
        .await?;
    let more = entries.len() > PAGE_SIZE as usize;
    entries.truncate(PAGE_SIZE as usize);
    let page_view = AuditPage {
        layout: staff.layout(),
        members: state.store.all_staff().await?,
        pager: Pager::new("/audit", &query, page, more && page < MAX_PAGE),
        query,
        filter,
        errors,
        entries,
    };
    render(&page_view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_filters_become_the_stores() {
        let query = AuditQuery {
            staff: "7".into(),
            action: " staff. ".into(),
            from: "2026-11-01".into(),
            until: "2026-11-24".into(),
            ..AuditQuery::default()
        };
        let (filter, errors) = filter_of(&query);
        assert!(errors.is_empty());
        assert_eq!(filter.staff_id, Some(7));
        assert_eq!(filter.action_prefix.as_deref(), Some("staff."));
        assert_eq!(filter.entity, None);
        assert_eq!(
            filter.from.unwrap().to_rfc3339(),
            "2026-11-01T00:00:00+00:00"
        );
        assert_eq!(
            filter.until.unwrap().to_rfc3339(),
            "2026-11-25T00:00:00+00:00"
        );
    }

    #[test]
    fn unreadable_dates_are_left_out_with_a_message() {
        let query = AuditQuery {
            from: "yesterday".into(),
            staff: "x".into(),
            ..AuditQuery::default()
        };
        let (filter, errors) = filter_of(&query);
        assert_eq!((filter.from, filter.staff_id), (None, None));
        assert_eq!(errors.len(), 1);
    }
}
