//! Content: pages (legal texts, help), blocks for the layout's slots, and each
//! site's seller identity. Everyone may look; catalogue managers edit. A save based
//! on an older version is refused (409), every save is audited, and storefronts show
//! it at their next change-log poll.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use comptoir_domain::content::{
    BlockSlot, Content, ContentKey, ContentPage, ContentRole, SellerIdentity,
};
use comptoir_domain::slug::slugify;
use comptoir_domain::staff::Permission;
use comptoir_domain::{PageMeta, SiteCode};
use comptoir_store::{ContentBlockEdit, ContentOutcome, ContentPageEdit, ContentPageVersion};
use comptoir_web::csrf::CsrfForm;
use serde::Deserialize;

use super::{AfterSave, Layout, render};
use crate::product_form::page_meta;
use crate::staff_session::{CurrentStaff, EditCatalogue, Staff};
use crate::{AppState, HttpError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/content", get(overview))
        .route("/content/pages/new", get(new_page).post(create_page))
        .route("/content/pages/{id}", get(edit_page).post(update_page))
        .route("/content/pages/{id}/versions/{version}", get(page_version))
        .route(
            "/content/blocks/{site}/{slot}",
            get(edit_block).post(save_block),
        )
        .route(
            "/content/identity/{site}",
            get(edit_identity).post(save_identity),
        )
}

/// Longest title of a page.
const MAX_TITLE_CHARS: usize = 200;
/// Longest body of a page or block.
const MAX_BODY_CHARS: usize = 100_000;

fn site_of(code: &str) -> Result<SiteCode, HttpError> {
    SiteCode::parse(code).map_err(|_| HttpError::NotFound)
}

/// One site's content, as the overview lists it.
struct SiteContent<'a> {
    site: &'static str,
    pages: Vec<&'a ContentPage>,
    /// (slot, whether a block is written and active) for every slot.
    blocks: Vec<(&'static str, &'static str)>,
    company: &'a str,
}

#[derive(Template)]
#[template(path = "backoffice/content.html")]
struct OverviewPage<'a> {
    layout: Layout<'a>,
    sites: Vec<SiteContent<'a>>,
    may_edit: bool,
}

async fn overview(
    State(state): State<AppState>,
    staff: Staff,
    Query(done): Query<AfterSave>,
) -> Result<Response, HttpError> {
    let content = state.store.content().await?;
    let mut layout = staff.layout();
    if done.done.is_some() {
        layout = layout.with_notice("Saved. Storefronts show it within seconds.");
    }
    let sites = SiteCode::ALL
        .into_iter()
        .map(|site| SiteContent {
            site: site.as_str(),
            pages: content.pages.iter().filter(|p| p.site == site).collect(),
            blocks: BlockSlot::ALL
                .into_iter()
                .map(|slot| {
                    let block = content
                        .blocks
                        .iter()
                        .find(|b| b.site == site && b.slot == slot);
                    let state = match block {
                        Some(block) if block.active => "shown",
                        Some(_) => "switched off",
                        None => "empty",
                    };
                    (slot.as_str(), state)
                })
                .collect(),
            company: &content.identities[site.index()].company_name,
        })
        .collect();
    let page = OverviewPage {
        layout,
        sites,
        may_edit: staff.member.role.may(Permission::EditCatalogue),
    };
    Ok(render(&page)?.into_response())
}

/// The page form as shown.
struct PageForm {
    site: String,
    version: i64,
    url_key: String,
    title: String,
    body: String,
    meta_title: String,
    meta_description: String,
    active: bool,
    footer_position: String,
    role: String,
}

impl PageForm {
    fn of(page: &ContentPage) -> PageForm {
        PageForm {
            site: page.site.as_str().to_owned(),
            version: page.version,
            url_key: page.url_key.clone(),
            title: page.title.clone(),
            body: page.body.clone(),
            meta_title: page.meta.title.clone(),
            meta_description: page.meta.description.clone(),
            active: page.active,
            footer_position: page
                .footer_position
                .map(|p| p.to_string())
                .unwrap_or_default(),
            role: page.role.map(ContentRole::as_str).unwrap_or("").to_owned(),
        }
    }

    fn typed(form: &HashMap<String, String>) -> PageForm {
        let field = |name: &str| form.get(name).cloned().unwrap_or_default();
        PageForm {
            site: field("site"),
            version: field("version").parse().unwrap_or(0),
            url_key: field("url_key"),
            title: field("title"),
            body: field("body"),
            meta_title: field("meta_title"),
            meta_description: field("meta_description"),
            active: form.contains_key("active"),
            footer_position: field("footer_position"),
            role: field("role"),
        }
    }
}

#[derive(Template)]
#[template(path = "backoffice/content_page_form.html")]
struct PageFormPage<'a> {
    layout: Layout<'a>,
    /// The page edited; `None` for a new one.
    editing: Option<i64>,
    form: PageForm,
    /// The page's old keys, which lead to it.
    old_keys: Vec<String>,
    versions: Vec<ContentPageVersion>,
    sites: [SiteCode; 4],
    roles: [ContentRole; 6],
    may_edit: bool,
    errors: Vec<String>,
}

async fn page_form(
    state: &AppState,
    staff: &CurrentStaff,
    editing: Option<&ContentPage>,
    form: PageForm,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, HttpError> {
    let versions = match editing {
        Some(page) => state.store.content_page_versions(page.id).await?,
        None => Vec::new(),
    };
    let page = PageFormPage {
        layout: staff.layout(),
        editing: editing.map(|page| page.id),
        form,
        old_keys: editing.map(|p| p.old_keys.clone()).unwrap_or_default(),
        versions,
        sites: SiteCode::ALL,
        roles: ContentRole::ALL,
        may_edit: staff.member.role.may(Permission::EditCatalogue),
        errors,
    };
    Ok((status, render(&page)?).into_response())
}

#[derive(Deserialize)]
struct NewQuery {
    site: Option<String>,
}

async fn new_page(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    Query(query): Query<NewQuery>,
) -> Result<Response, HttpError> {
    let blank = PageForm {
        site: query.site.unwrap_or_else(|| "es".to_owned()),
        version: 0,
        url_key: String::new(),
        title: String::new(),
        body: String::new(),
        meta_title: String::new(),
        meta_description: String::new(),
        active: true,
        footer_position: String::new(),
        role: String::new(),
    };
    page_form(&state, &staff, None, blank, Vec::new(), StatusCode::OK).await
}

fn stored_page(content: &Content, id: i64) -> Result<&ContentPage, HttpError> {
    content
        .pages
        .iter()
        .find(|page| page.id == id)
        .ok_or(HttpError::NotFound)
}

async fn edit_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let content = state.store.content().await?;
    let page = stored_page(&content, id)?;
    let form = PageForm::of(page);
    page_form(&state, &staff, Some(page), form, Vec::new(), StatusCode::OK).await
}

/// Reads the page form: the edit to save, or the messages. An empty URL key is made
/// from the title.
fn parse_page(
    id: Option<i64>,
    form: &HashMap<String, String>,
) -> Result<ContentPageEdit, Vec<String>> {
    let mut errors = Vec::new();
    let field = |name: &str| form.get(name).map_or("", |v| v.trim());
    let site = SiteCode::parse(field("site")).unwrap_or_else(|_| {
        errors.push("Site: choose one.".to_owned());
        SiteCode::Es
    });
    let title = field("title");
    match title.chars().count() {
        0 => errors.push("Title: needed.".to_owned()),
        n if n > MAX_TITLE_CHARS => {
            errors.push(format!("Title: at most {MAX_TITLE_CHARS} characters."));
        }
        _ => {}
    }
    let typed_key = field("url_key");
    let key = if typed_key.is_empty() {
        slugify(title)
    } else {
        typed_key.to_owned()
    };
    let url_key = ContentKey::parse(&key).map_err(|error| format!("URL key: {error}."));
    let body = form.get("body").map_or("", String::as_str);
    if body.chars().count() > MAX_BODY_CHARS {
        errors.push(format!("Text: at most {MAX_BODY_CHARS} characters."));
    }
    let meta: PageMeta = page_meta(
        field("meta_title"),
        field("meta_description"),
        "",
        &mut errors,
    );
    let footer_position = match field("footer_position") {
        "" => None,
        text => match text.parse::<i32>() {
            Ok(position) => Some(position),
            Err(_) => {
                errors.push("Footer position: a whole number, or empty.".to_owned());
                None
            }
        },
    };
    let role = match field("role") {
        "" => None,
        code => {
            let role = ContentRole::parse(code);
            if role.is_none() {
                errors.push("Role: choose one of the list.".to_owned());
            }
            role
        }
    };
    let expected_version = field("version").parse().unwrap_or(0);
    match url_key {
        Ok(url_key) if errors.is_empty() => Ok(ContentPageEdit {
            id,
            expected_version,
            site,
            url_key,
            title: title.to_owned(),
            body: body.replace("\r\n", "\n"),
            meta,
            active: form.contains_key("active"),
            footer_position,
            role,
        }),
        Ok(_) => Err(errors),
        Err(key_error) => {
            errors.push(key_error);
            Err(errors)
        }
    }
}

async fn save_page(
    state: &AppState,
    staff: &Staff<EditCatalogue>,
    id: Option<i64>,
    form: HashMap<String, String>,
) -> Result<Response, HttpError> {
    let content = state.store.content().await?;
    let editing = match id {
        Some(id) => Some(stored_page(&content, id)?),
        None => None,
    };
    let edit = match parse_page(id, &form) {
        Ok(edit) => edit,
        Err(errors) => {
            let form = PageForm::typed(&form);
            return page_form(
                state,
                staff,
                editing,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let (refusal, status) = match state.store.save_content_page(&edit, &staff.actor()).await? {
        ContentOutcome::Saved(saved) => {
            tracing::info!(by = staff.member.email, page = saved, "content page saved");
            return Ok(Redirect::to("/content?done=1").into_response());
        }
        ContentOutcome::Stale => (
            "Someone saved this page since you opened it: nothing was saved. Open it again to \
             see their changes."
                .to_owned(),
            StatusCode::CONFLICT,
        ),
        ContentOutcome::KeyTaken => (
            "URL key: another page of this site has it.".to_owned(),
            StatusCode::CONFLICT,
        ),
        ContentOutcome::RoleTaken(role) => (
            format!(
                "Role: another page of this site is its {}.",
                role_label(role)
            ),
            StatusCode::CONFLICT,
        ),
        ContentOutcome::NotFound => return Err(HttpError::NotFound),
    };
    let form = PageForm::typed(&form);
    page_form(state, staff, editing, form, vec![refusal], status).await
}

async fn create_page(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, HttpError> {
    save_page(&state, &staff, None, form).await
}

async fn update_page(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, HttpError> {
    save_page(&state, &staff, Some(id), form).await
}

/// What a role is, as staff read it.
pub fn role_label(role: ContentRole) -> &'static str {
    match role {
        ContentRole::LegalNotice => "legal notice",
        ContentRole::Terms => "terms of sale (accepted at checkout)",
        ContentRole::Privacy => "privacy policy (linked at checkout)",
        ContentRole::Cookies => "cookie policy",
        ContentRole::Withdrawal => "returns and withdrawal (linked in order mails)",
        ContentRole::Disputes => "dispute resolution",
    }
}

#[derive(Template)]
#[template(path = "backoffice/content_version.html")]
struct VersionPage<'a> {
    layout: Layout<'a>,
    page_id: i64,
    version: ContentPageVersion,
}

async fn page_version(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, version)): Path<(i64, i64)>,
) -> Result<Response, HttpError> {
    let version = state
        .store
        .content_page_versions(id)
        .await?
        .into_iter()
        .find(|v| v.version == version)
        .ok_or(HttpError::NotFound)?;
    let page = VersionPage {
        layout: staff.layout(),
        page_id: id,
        version,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Template)]
#[template(path = "backoffice/content_block_form.html")]
struct BlockFormPage<'a> {
    layout: Layout<'a>,
    site: &'static str,
    slot: &'static str,
    version: i64,
    body: String,
    active: bool,
    may_edit: bool,
    errors: Vec<String>,
}

fn slot_of(code: &str) -> Result<BlockSlot, HttpError> {
    BlockSlot::parse(code).ok_or(HttpError::NotFound)
}

async fn edit_block(
    State(state): State<AppState>,
    staff: Staff,
    Path((site, slot)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    let (site, slot) = (site_of(&site)?, slot_of(&slot)?);
    let content = state.store.content().await?;
    let block = content
        .blocks
        .iter()
        .find(|b| b.site == site && b.slot == slot);
    let page = BlockFormPage {
        layout: staff.layout(),
        site: site.as_str(),
        slot: slot.as_str(),
        version: block.map_or(0, |b| b.version),
        body: block.map(|b| b.body.clone()).unwrap_or_default(),
        active: block.is_none_or(|b| b.active),
        may_edit: staff.member.role.may(Permission::EditCatalogue),
        errors: Vec::new(),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
struct BlockForm {
    #[serde(default)]
    version: i64,
    #[serde(default)]
    body: String,
    active: Option<String>,
}

async fn save_block(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    Path((site, slot)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<BlockForm>,
) -> Result<Response, HttpError> {
    let (site, slot) = (site_of(&site)?, slot_of(&slot)?);
    let edit = ContentBlockEdit {
        site,
        slot,
        expected_version: form.version,
        body: form.body.trim().replace("\r\n", "\n"),
        active: form.active.is_some(),
    };
    let (error, status) = if edit.body.chars().count() > MAX_BODY_CHARS {
        (
            format!("Text: at most {MAX_BODY_CHARS} characters."),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    } else {
        match state
            .store
            .save_content_block(&edit, &staff.actor())
            .await?
        {
            ContentOutcome::Saved(_) => {
                tracing::info!(
                    by = staff.member.email,
                    site = site.as_str(),
                    slot = slot.as_str(),
                    "content block saved"
                );
                return Ok(Redirect::to("/content?done=1").into_response());
            }
            _ => (
                "Someone saved this block since you opened it: nothing was saved. Open it again \
                 to see their changes."
                    .to_owned(),
                StatusCode::CONFLICT,
            ),
        }
    };
    let page = BlockFormPage {
        layout: staff.layout(),
        site: site.as_str(),
        slot: slot.as_str(),
        version: form.version,
        body: form.body,
        active: form.active.is_some(),
        may_edit: true,
        errors: vec![error],
    };
    Ok((status, render(&page)?).into_response())
}

/// Longest value of an identity field.
const MAX_IDENTITY_CHARS: usize = 500;

/// An identity field as the form shows it.
struct IdentityField {
    name: &'static str,
    label: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "backoffice/seller_identity.html")]
struct IdentityPage<'a> {
    layout: Layout<'a>,
    site: &'static str,
    fields: Vec<IdentityField>,
    may_edit: bool,
    errors: Vec<String>,
}

/// What each placeholder is, as staff read it.
fn identity_label(name: &str) -> &'static str {
    match name {
        "company_name" => "Company name",
        "tax_id" => "Tax id (NIF, TVA, NIPC, partita IVA)",
        "address" => "Registered address",
        "registry" => "Registry data and share capital",
        "email" => "Contact e-mail",
        "phone" => "Contact phone",
        "host" => "Host: name, address and phone (France)",
        "publication_director" => "Publication director (France)",
        _ => "Consumer mediator or dispute resolution body",
    }
}

fn identity_fields(identity: &SellerIdentity) -> Vec<IdentityField> {
    identity
        .placeholders()
        .into_iter()
        .map(|(name, value)| IdentityField {
            name,
            label: identity_label(name),
            value: value.to_owned(),
        })
        .collect()
}

async fn edit_identity(
    State(state): State<AppState>,
    staff: Staff,
    Path(site): Path<String>,
) -> Result<Response, HttpError> {
    let site = site_of(&site)?;
    let content = state.store.content().await?;
    let page = IdentityPage {
        layout: staff.layout(),
        site: site.as_str(),
        fields: identity_fields(&content.identities[site.index()]),
        may_edit: staff.member.role.may(Permission::EditCatalogue),
        errors: Vec::new(),
    };
    Ok(render(&page)?.into_response())
}

async fn save_identity(
    State(state): State<AppState>,
    staff: Staff<EditCatalogue>,
    Path(site): Path<String>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, HttpError> {
    let site = site_of(&site)?;
    let field = |name: &str| form.get(name).map_or("", |v| v.trim()).to_owned();
    let identity = SellerIdentity {
        company_name: field("company_name"),
        tax_id: field("tax_id"),
        address: field("address"),
        registry: field("registry"),
        email: field("email"),
        phone: field("phone"),
        host: field("host"),
        publication_director: field("publication_director"),
        dispute_body: field("dispute_body"),
    };
    let mut errors: Vec<String> = identity
        .placeholders()
        .into_iter()
        .filter(|(_, value)| value.chars().count() > MAX_IDENTITY_CHARS)
        .map(|(name, _)| {
            format!(
                "{}: at most {MAX_IDENTITY_CHARS} characters.",
                identity_label(name)
            )
        })
        .collect();
    if identity.company_name.is_empty() {
        errors.push("Company name: needed, the law wants it on every page.".to_owned());
    }
    if errors.is_empty() {
        state
            .store
            .save_seller_identity(site, &identity, &staff.actor())
            .await?;
        tracing::info!(
            by = staff.member.email,
            site = site.as_str(),
            "seller identity saved"
        );
        return Ok(Redirect::to("/content?done=1").into_response());
    }
    let page = IdentityPage {
        layout: staff.layout(),
        site: site.as_str(),
        fields: identity_fields(&identity),
        may_edit: true,
        errors,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}
