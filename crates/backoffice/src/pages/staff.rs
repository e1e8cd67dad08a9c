//! Staff accounts, for administrators: list, add, change role or name, disable,
//! set a new password. Every change is audited by the store.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use comptoir_accounts::Password;
use comptoir_domain::email::Email;
use comptoir_domain::staff::Role;
use comptoir_store::{NewStaff, StaffMember};
use comptoir_web::csrf::CsrfForm;
use serde::Deserialize;
use tower_sessions::Session;

use comptoir_web::blocking;

use super::{AfterSave, Layout, render};
use crate::staff_session::{self, CurrentStaff, ManageStaff, Staff};
use crate::{AppState, HttpError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff", get(list).post(create))
        .route("/staff/new", get(new_form))
        .route("/staff/{id}", get(edit_form).post(update))
}

#[derive(Template)]
#[template(path = "backoffice/staff_list.html")]
struct StaffList<'a> {
    layout: Layout<'a>,
    members: Vec<StaffMember>,
}

async fn list(
    State(state): State<AppState>,
    staff: Staff<ManageStaff>,
    Query(done): Query<AfterSave>,
) -> Result<Response, HttpError> {
    let mut layout = staff.layout();
    if done.done.is_some() {
        layout = layout.with_notice("Saved.");
    }
    let page = StaffList {
        layout,
        members: state.store.all_staff().await?,
    };
    Ok(render(&page)?.into_response())
}

/// The staff form as typed, kept to show it again with its errors.
#[derive(Deserialize, Default)]
struct StaffForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    /// Present (`true`) when the box is ticked.
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    password: String,
}

/// What the form shows.
struct FormView {
    email: String,
    name: String,
    role: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "backoffice/staff_form.html")]
struct StaffFormPage<'a> {
    layout: Layout<'a>,
    heading: &'static str,
    action: String,
    /// The account edited; `None` for a new one.
    editing: Option<i64>,
    form: FormView,
    roles: [Role; 5],
    errors: Vec<String>,
}

impl StaffFormPage<'_> {
    fn respond(self) -> Result<Response, HttpError> {
        let status = if self.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        Ok((status, render(&self)?).into_response())
    }
}

/// The form for a new account (`editing: None`) or for account `editing`.
fn form_page(
    staff: &CurrentStaff,
    editing: Option<i64>,
    form: FormView,
    errors: Vec<String>,
) -> Result<Response, HttpError> {
    StaffFormPage {
        layout: staff.layout(),
        heading: if editing.is_some() {
            "Edit a staff member"
        } else {
            "Add a staff member"
        },
        action: editing.map_or_else(|| "/staff".to_owned(), |id| format!("/staff/{id}")),
        editing,
        form,
        roles: Role::ALL,
        errors,
    }
    .respond()
}

impl FormView {
    fn typed(form: &StaffForm) -> FormView {
        FormView {
            email: form.email.chars().take(254).collect(),
            name: form.name.chars().take(100).collect(),
            role: form.role.chars().take(20).collect(),
            active: form.active.is_some(),
        }
    }
}

async fn new_form(staff: Staff<ManageStaff>) -> Result<Response, HttpError> {
    let blank = FormView {
        email: String::new(),
        name: String::new(),
        role: Role::Support.code().to_owned(),
        active: true,
    };
    form_page(&staff, None, blank, Vec::new())
}

/// A name as staff see it: trimmed, 1–100 characters.
fn parse_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    match name.chars().count() {
        0 => Err("A name is needed.".to_owned()),
        1..=100 => Ok(name.to_owned()),
        _ => Err("A name has at most 100 characters.".to_owned()),
    }
}

async fn create(
    State(state): State<AppState>,
    staff: Staff<ManageStaff>,
    CsrfForm(form): CsrfForm<StaffForm>,
) -> Result<Response, HttpError> {
    let email = Email::parse(&form.email).map_err(|e| format!("{e}."));
    let name = parse_name(&form.name);
    let role = Role::parse(&form.role).map_err(|e| format!("{e}."));
    let password = Password::parse(&form.password).map_err(|e| format!("The password: {e}."));
    let again = |errors| form_page(&staff, None, FormView::typed(&form), errors);
    let (email, name, role, password) = match (email, name, role, password) {
        (Ok(email), Ok(name), Ok(role), Ok(password)) => (email, name, role, password),
        (email, name, role, password) => {
            let errors = [email.err(), name.err(), role.err(), password.err()]
                .into_iter()
                .flatten()
                .collect();
            return again(errors);
        }
    };
    let password_hash = blocking(move || password.hash()).await??;
    let member = NewStaff {
        email: email.as_str().to_owned(),
        name,
        role,
        password_hash,
    };
    match state.store.create_staff(&member, &staff.actor()).await? {
        Some(id) => {
            tracing::info!(
                by = staff.member.email,
                id,
                email = member.email,
                "staff account created"
            );
            Ok(Redirect::to("/staff?done=1").into_response())
        }
        None => again(vec![
            "This e-mail address already has an account.".to_owned(),
        ]),
    }
}

async fn member_or_404(state: &AppState, id: i64) -> Result<StaffMember, HttpError> {
    state
        .store
        .staff_member(id)
        .await?
        .ok_or(HttpError::NotFound)
}

async fn edit_form(
    State(state): State<AppState>,
    staff: Staff<ManageStaff>,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let member = member_or_404(&state, id).await?;
    let stored = FormView {
        email: member.email,
        name: member.name,
        role: member.role.code().to_owned(),
        active: member.active,
    };
    form_page(&staff, Some(id), stored, Vec::new())
}

async fn update(
    State(state): State<AppState>,
    staff: Staff<ManageStaff>,
    session: Session,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<StaffForm>,
) -> Result<Response, HttpError> {
    let member = member_or_404(&state, id).await?;
    let active = form.active.is_some();
    let name = parse_name(&form.name);
    let role = Role::parse(&form.role).map_err(|e| format!("{e}."));
    let password = (!form.password.is_empty())
        .then(|| Password::parse(&form.password).map_err(|e| format!("The new password: {e}.")))
        .transpose();
    // An administrator cannot lock themselves out: another one must do it.
    let locks_out_self =
        id == staff.member.id && (!active || role.as_ref().is_ok_and(|role| *role != Role::Admin));
    let (name, role, password) = match (name, role, password) {
        (Ok(name), Ok(role), Ok(password)) if !locks_out_self => (name, role, password),
        (name, role, password) => {
            let mut errors: Vec<String> = [name.err(), role.err(), password.err()]
                .into_iter()
                .flatten()
                .collect();
            if locks_out_self {
                errors.push(
                    "You cannot disable your own account or take away your own \
                     administrator role."
                        .to_owned(),
                );
            }
            let typed = FormView {
                email: member.email,
                ..FormView::typed(&form)
            };
            return form_page(&staff, Some(id), typed, errors);
        }
    };
    // Hashed first: nothing is written if hashing fails.
    let new_hash = match password {
        Some(password) => Some(blocking(move || password.hash()).await??),
        None => None,
    };
    let by = staff.actor();
    state
        .store
        .update_staff(id, &name, role, active, &by)
        .await?;
    if let Some(hash) = new_hash {
        state.store.set_staff_password(id, &hash, &by).await?;
        // An administrator who sets their own password here stays logged in here;
        // their other sessions end.
        if id == staff.member.id {
            let changed = StaffMember {
                password_hash: hash,
                ..staff.member.clone()
            };
            staff_session::log_in(&session, &changed).await?;
        }
    }
    tracing::info!(by = staff.member.email, id, "staff account changed");
    Ok(Redirect::to("/staff?done=1").into_response())
}
