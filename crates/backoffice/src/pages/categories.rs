//! The category tree: everyone may look; catalogue managers add, rename, move,
//! reorder, switch off and delete empty categories. Every replica reloads the tree
//! at its next change-log poll.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use comptoir_domain::slug::{is_url_key, slugify};
use comptoir_domain::staff::Permission;
use comptoir_domain::{Category, CategoryId, Locale, PerLocale};
use comptoir_store::{CategoryChoice, CategoryEdit, CategoryOutcome};
use comptoir_web::csrf::CsrfForm;
use serde::Deserialize;
use std::collections::HashMap;

use super::{AfterSave, ButtonOnly, Layout, render};
use crate::staff_session::{CurrentStaff, EditCatalogue, Staff};
use crate::{AppState, HttpError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/categories", get(tree).post(create))
        .route("/categories/new", get(new_form))
        .route("/categories/{id}", get(edit_form).post(update))
        .route("/categories/{id}/delete", post(delete))
}

/// A category as the tree shows it.
struct TreeRow {
    choice: CategoryChoice,
    enabled: bool,
}

#[derive(Template)]
#[template(path = "backoffice/categories.html")]
struct TreePage<'a> {
    layout: Layout<'a>,
    rows: Vec<TreeRow>,
    may_edit: bool,
}

async fn tree(
    State(state): State<AppState>,
    staff: Staff,
    Query(done): Query<AfterSave>,
) -> Result<Response, HttpError> {
    let enabled: HashMap<i64, bool> = state
        .store
        .all_categories()
        .await?
        .into_iter()
        .map(|c| (c.id.0, c.enabled))
        .collect();
    let mut layout = staff.layout();
    if done.done.is_some() {
        layout = layout.with_notice("Saved. Storefronts show the tree within seconds.");
    }
    let page = TreePage {
        layout,
        rows: state
            .store
            .category_choices()
            .await?
            .into_iter()
            .map(|choice| TreeRow {
                enabled: enabled.get(&choice.id).copied().unwrap_or(true),
                choice,
            })
            .collect(),
        may_edit: staff.member.role.may(Permission::EditCatalogue),
    };
    Ok(render(&page)?.into_response())
}

/// The category form as shown.
struct FormView {
    parent: Option<i64>,
    position: String,
    enabled: bool,
    hygiene_sealed: bool,
    texts: Vec<CategoryTexts>,
}

/// A language's texts as the category form shows them.
struct CategoryTexts {
    code: &'static str,
    name: String,
    url_key: String,
    meta_title: String,
    meta_description: String,
}

#[derive(Template)]
#[template(path = "backoffice/category_form.html")]
struct CategoryPage<'a> {
    layout: Layout<'a>,
    /// The category edited; `None` for a new one.
    editing: Option<i64>,
    form: FormView,
    parents: Vec<CategoryChoice>,
    may_edit: bool,
    errors: Vec<String>,
}

async fn form_page(
    state: &AppState,
    staff: &CurrentStaff,
    editing: Option<i64>,
    form: FormView,
    errors: Vec<String>,
) -> Result<Response, HttpError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = CategoryPage {
        layout: staff.layout(),
        editing,
        form,
        // A category cannot go under itself: the store refuses, and the list leaves
        // the category out to begin with.
        parents: state
            .store
            .category_choices()
            .await?
            .into_iter()
            .filter(|c| Some(c.id) != editing)
            .collect(),
        may_edit: staff.member.role.may(Permission::EditCatalogue),
        errors,
    };
    Ok((status, render(&page)?).into_response())
}

#[derive(Deserialize)]
struct NewQuery {
    parent: Option<i64>,
}

async fn new_form(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    Query(query): Query<NewQuery>,
) -> Result<Response, HttpError> {
    let blank = FormView {
        parent: query.parent,
        position: "0".to_owned(),
        enabled: true,
        hygiene_sealed: false,
        texts: Locale::ALL
            .map(|locale| CategoryTexts {
                code: locale.as_str(),
                name: String::new(),
                url_key: String::new(),
                meta_title: String::new(),
                meta_description: String::new(),
            })
            .into(),
    };
    form_page(&state, &staff, None, blank, Vec::new()).await
}

fn stored_form(category: &Category) -> FormView {
    FormView {
        parent: category.parent.map(|p| p.0),
        position: category.position.to_string(),
        enabled: category.enabled,
        hygiene_sealed: category.hygiene_sealed,
        texts: Locale::ALL
            .map(|locale| CategoryTexts {
                code: locale.as_str(),
                name: category.names[locale].clone(),
                url_key: category.url_keys[locale].clone(),
                meta_title: category.meta[locale].title.clone(),
                meta_description: category.meta[locale].description.clone(),
            })
            .into(),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let categories = state.store.all_categories().await?;
    let category = categories
        .iter()
        .find(|c| c.id.0 == id)
        .ok_or(HttpError::NotFound)?;
    form_page(&state, &staff, Some(id), stored_form(category), Vec::new()).await
}

/// The form as typed, for showing it again.
fn typed_form(form: &HashMap<String, String>) -> FormView {
    let field = |name: String| form.get(&name).cloned().unwrap_or_default();
    FormView {
        parent: field("parent".into()).parse().ok(),
        position: field("position".into()),
        enabled: form.contains_key("enabled"),
        hygiene_sealed: form.contains_key("hygiene_sealed"),
        texts: Locale::ALL
            .map(|locale| {
                let code = locale.as_str();
                CategoryTexts {
                    code,
                    name: field(format!("name_{code}")),
                    url_key: field(format!("url_key_{code}")),
                    meta_title: field(format!("meta_title_{code}")),
                    meta_description: field(format!("meta_description_{code}")),
                }
            })
            .into(),
    }
}

/// Reads the form: the category to save, or the messages. An empty URL key is made
/// from the name.
fn parse_form(
    id: Option<i64>,
    form: &HashMap<String, String>,
) -> Result<CategoryEdit, Vec<String>> {
    let mut errors = Vec::new();
    let field = |name: &str| form.get(name).map_or("", |v| v.trim());
    let names = PerLocale::from_fn(|locale| {
        let name = field(&format!("name_{}", locale.as_str()));
        match name.chars().count() {
            0 => errors.push(format!("Name ({}): needed.", locale.as_str())),
            n if n > 100 => errors.push(format!(
                "Name ({}): at most 100 characters.",
                locale.as_str()
            )),
            _ => {}
        }
        name.to_owned()
    });
    let url_keys = PerLocale::from_fn(|locale| {
        let typed = field(&format!("url_key_{}", locale.as_str()));
        let key = if typed.is_empty() {
            slugify(&names[locale])
        } else {
            typed.to_owned()
        };
        if !is_url_key(&key) {
            errors.push(format!(
                "URL key ({}): lower-case letters and digits joined by single hyphens.",
                locale.as_str()
            ));
        }
        key
    });
    let meta = crate::product_form::read_page_meta(&field, &mut errors);
    let parent = match field("parent") {
        "" => None,
        text => match text.parse() {
            Ok(parent) => Some(CategoryId(parent)),
            Err(_) => {
                errors.push("Parent: choose a category.".to_owned());
                None
            }
        },
    };
    let position = field("position").parse::<i32>().unwrap_or_else(|_| {
        errors.push("Position: a whole number.".to_owned());
        0
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CategoryEdit {
        id: id.map(CategoryId),
        parent,
        position,
        enabled: form.contains_key("enabled"),
        hygiene_sealed: form.contains_key("hygiene_sealed"),
        names,
        url_keys,
        meta,
    })
}

/// Saves the typed category (new when `id` is `None`).
async fn save(
    state: &AppState,
    staff: &Staff<EditCatalogue>,
    id: Option<i64>,
    form: HashMap<String, String>,
) -> Result<Response, HttpError> {
    let edit = match parse_form(id, &form) {
        Ok(edit) => edit,
        Err(errors) => {
            return form_page(state, staff, id, typed_form(&form), errors).await;
        }
    };
    let refusal = match state.store.save_category(&edit, &staff.actor()).await? {
        CategoryOutcome::Saved(saved) => {
            tracing::info!(
                by = staff.member.email,
                category = saved.0,
                "category saved"
            );
            return Ok(Redirect::to("/categories?done=1").into_response());
        }
        CategoryOutcome::KeyTaken(locale) => format!(
            "URL key ({}): a category beside it already has it.",
            locale.as_str()
        ),
        CategoryOutcome::InvalidParent => {
            "Parent: a category cannot go under itself or under one of its own.".to_owned()
        }
        CategoryOutcome::NotFound => return Err(HttpError::NotFound),
        CategoryOutcome::Deleted | CategoryOutcome::NotEmpty => {
            return Err(HttpError::internal("unexpected outcome of a save"));
        }
    };
    form_page(state, staff, id, typed_form(&form), vec![refusal]).await
}

async fn create(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, HttpError> {
    save(&state, &staff, None, form).await
}

async fn update(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, HttpError> {
    save(&state, &staff, Some(id), form).await
}

async fn delete(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    Path(id): Path<i64>,
    CsrfForm(ButtonOnly {}): CsrfForm<ButtonOnly>,
) -> Result<Response, HttpError> {
    match state
        .store
        .delete_category(CategoryId(id), &staff.actor())
        .await?
    {
        CategoryOutcome::Deleted => {
            tracing::info!(by = staff.member.email, category = id, "category deleted");
            Ok(Redirect::to("/categories?done=1").into_response())
        }
        CategoryOutcome::NotFound => Err(HttpError::NotFound),
        _ => {
            let categories = state.store.all_categories().await?;
            let category = categories
                .iter()
                .find(|c| c.id.0 == id)
                .ok_or(HttpError::NotFound)?;
            let message = "Only an empty category can be deleted: move its subcategories and \
                           products elsewhere first."
                .to_owned();
            form_page(
                &state,
                &staff,
                Some(id),
                stored_form(category),
                vec![message],
            )
            .await
        }
    }
}
