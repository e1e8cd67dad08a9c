//! Promotions: every staff member may see the rules and what they gave; marketing
//! staff and admins create and change them (checked as the CSV import checks them,
//! with optimistic concurrency), try a sample cart against one, and generate and
//! export its codes. Every change is audited and reaches the storefronts through the
//! change log within seconds.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{NaiveDateTime, Utc};
use comptoir_domain::cart::{Cart, Quantity};
use comptoir_domain::checkout::{self, Promotions, ShippingRates};
use comptoir_domain::destination::{Country, Destination};
use comptoir_domain::local_time::TimeZone;
use comptoir_domain::promotions::{
    BatchSpec, CodeVerdict, Discount, EnteredCode, FoundCode, Rule, Target, Trigger,
};
use comptoir_domain::staff::Permission;
use comptoir_domain::{CategoryId, Locale, Money, Product, SiteCode, Sku};
use comptoir_store::{PromotionEdit, PromotionOutcome, PromotionSummary};
use comptoir_web::csrf::CsrfForm;
use serde::Deserialize;

use super::upload::{Missing, read_upload};
use super::{AfterSave, Layout, render};
use crate::staff_session::{ManagePromotions, Staff};
use crate::{AppState, HttpError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/promotions", get(list).post(create))
        .route("/promotions/new", get(new_form))
        .route("/promotions.csv", get(export_rules))
        .route(
            "/promotions/import",
            post(import).layer(DefaultBodyLimit::max(2 * MAX_FILE_BYTES)),
        )
        .route("/promotions/usage.csv", get(export_usage))
        .route("/promotions/{id}", get(edit_form).post(update))
        .route("/promotions/{id}/preview", post(preview))
        .route("/promotions/{id}/codes", post(generate_codes))
        .route("/promotions/{id}/codes.csv", get(export_codes))
}

/// The list's filters.
#[derive(Deserialize, serde::Serialize, Default)]
struct ListFilter {
    #[serde(default)]
    site: String,
    /// `running`, `scheduled`, `ended`, `off` or empty.
    #[serde(default)]
    state: String,
    /// Part of a name or a code.
    #[serde(default)]
    q: String,
    #[serde(default)]
    done: Option<String>,
}

struct ListRow {
    id: i64,
    name: String,
    sites: String,
    when: String,
    state: &'static str,
    how: String,
    gives: String,
    orders: i64,
    discount: String,
    revenue: String,
}

#[derive(Template)]
#[template(path = "backoffice/promotions.html")]
struct ListPage<'a> {
    layout: Layout<'a>,
    filter: ListFilter,
    rows: Vec<ListRow>,
    may_edit: bool,
    /// Why an imported file was refused, row by row.
    errors: Vec<String>,
}

/// The largest promotions file accepted (thousands of rules).
const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;

/// Where a rule stands now on its first site's clock.
fn state_of(rule: &Rule) -> &'static str {
    let site = rule.sites.first().copied().unwrap_or(SiteCode::Es);
    let now = TimeZone::of_site(site).local(Utc::now()).naive_local();
    if !rule.enabled {
        "off"
    } else if rule.starts_at.is_some_and(|start| now < start) {
        "scheduled"
    } else if rule.ends_at.is_some_and(|end| now >= end) {
        "ended"
    } else {
        "running"
    }
}

fn euros(cents: i64) -> String {
    Money::eur(cents).format(Locale::Es)
}

/// What a rule gives, in a few words.
fn gives(rule: &Rule) -> String {
    let on = match rule.action.target {
        Target::MatchingLines if rule.conditions.products.is_empty() => " off every line",
        Target::MatchingLines => " off matching lines",
        Target::WholeCart => " off the cart",
    };
    let mut parts: Vec<String> = match rule.action.discount {
        None => Vec::new(),
        Some(Discount::PercentOff(p)) => vec![format!("{} %{on}", p.decimal())],
        Some(Discount::AmountOff(m)) => vec![format!("{}{on}", m.format(Locale::Es))],
        Some(Discount::FixedPrice(m)) => vec![format!("{} a unit", m.format(Locale::Es))],
        Some(Discount::TakePay { take, pay }) => vec![format!("take {take} pay {pay}")],
    };
    if rule.action.free_shipping {
        parts.push("free shipping".to_owned());
    }
    if let Some(minimum) = rule.conditions.min_subtotal {
        parts.push(format!("from {}", minimum.format(Locale::Es)));
    }
    if let Some(max) = rule.max_discount {
        parts.push(format!("at most {}", max.format(Locale::Es)));
    }
    parts.join(", ")
}

fn how(summary: &PromotionSummary) -> String {
    match &summary.rule.trigger {
        Trigger::Automatic => "automatic".to_owned(),
        Trigger::SharedCode(code) => format!("code {code}"),
        Trigger::GeneratedCodes => format!("{} generated codes", summary.codes),
    }
}

fn when(rule: &Rule) -> String {
    let show = |t: Option<NaiveDateTime>| {
        t.map(|t| t.format("%d/%m/%Y %H:%M").to_string())
            .unwrap_or_else(|| "…".to_owned())
    };
    if rule.starts_at.is_none() && rule.ends_at.is_none() {
        "always".to_owned()
    } else {
        format!("{} → {}", show(rule.starts_at), show(rule.ends_at))
    }
}

async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(filter): Query<ListFilter>,
) -> Result<Response, HttpError> {
    let may_edit = staff.member.role.may(Permission::ManagePromotions);
    let page = list_page(&state, staff.layout(), filter, may_edit, Vec::new()).await?;
    Ok(render(&page)?.into_response())
}

/// The list of rules matching `filter`, with `errors` above it.
async fn list_page<'a>(
    state: &AppState,
    layout: Layout<'a>,
    filter: ListFilter,
    may_edit: bool,
    errors: Vec<String>,
) -> Result<ListPage<'a>, HttpError> {
    let q = filter.q.trim().to_lowercase();
    let rows = state
        .store
        .promotion_summaries()
        .await?
        .into_iter()
        .filter(|s| filter.site.is_empty() || s.rule.sites.iter().any(|site| site.as_str() == filter.site))
        .filter(|s| filter.state.is_empty() || state_of(&s.rule) == filter.state)
        .filter(|s| {
            q.is_empty()
                || s.rule.names.0.iter().any(|n| n.to_lowercase().contains(&q))
                || matches!(&s.rule.trigger, Trigger::SharedCode(c) if c.as_str().to_lowercase().contains(&q))
        })
        .map(|s| ListRow {
            id: s.rule.id,
            name: s.rule.name(Locale::Es).to_owned(),
            sites: s.rule.sites.iter().map(|site| site.as_str()).collect::<Vec<_>>().join(" "),
            when: when(&s.rule),
            state: state_of(&s.rule),
            how: how(&s),
            gives: gives(&s.rule),
            orders: s.orders,
            discount: euros(s.discount_cents),
            revenue: euros(s.revenue_cents),
        })
        .collect();
    let layout = if filter.done.is_some() {
        layout.with_notice("Saved. Storefronts apply it within seconds.")
    } else {
        layout
    };
    Ok(ListPage {
        layout,
        filter,
        rows,
        may_edit,
        errors,
    })
}

/// A promotions file uploaded: every row checked, then all its rules created, or
/// none with every wrong row listed.
async fn import(
    State(state): State<AppState>,
    staff: Staff<ManagePromotions>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, HttpError> {
    let upload = read_upload(
        &headers,
        staff.form_token(),
        &mut multipart,
        "file",
        MAX_FILE_BYTES,
    )
    .await?;
    let (shown_by, shown_to) = (&state, &staff);
    let refused = move |errors: Vec<String>, status: StatusCode| async move {
        let layout = shown_to.layout();
        let page = list_page(shown_by, layout, ListFilter::default(), true, errors).await?;
        Ok::<_, HttpError>((status, render(&page)?).into_response())
    };
    let bytes = match upload {
        Err(forged) => return Ok(forged.into_response()),
        Ok(Err(Missing::TooLarge)) => {
            let error = "That file is larger than 2 MB.".to_owned();
            return refused(vec![error], StatusCode::PAYLOAD_TOO_LARGE).await;
        }
        Ok(Err(Missing::NoFile)) => {
            let error = "Choose a promotions file (CSV) to import.".to_owned();
            return refused(vec![error], StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Ok(Ok(bytes)) => bytes,
    };
    let read = match comptoir_import::promotions::read(bytes.as_slice()) {
        Ok(read) => read,
        Err(error) => {
            return refused(
                vec![format!("The file cannot be read: {error}.")],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let rules = match read.all_or_nothing() {
        Ok(rules) => rules,
        Err(rows) => {
            let mut errors: Vec<String> = rows.iter().map(ToString::to_string).collect();
            errors.push("Nothing was imported.".to_owned());
            return refused(errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match state
        .store
        .create_promotions(&rules, &staff.actor())
        .await?
    {
        PromotionOutcome::Created(_) => Ok(Redirect::to("/promotions?done=1").into_response()),
        PromotionOutcome::CodeTaken(code) => {
            let error = format!("The code {code} belongs to another rule: nothing was imported.");
            refused(vec![error], StatusCode::CONFLICT).await
        }
    }
}

/// The rule form's fields as shown (and as sent back), by the CSV column names the
/// import reads ([`comptoir_import::promotions::parse_rule`]).
#[derive(Default)]
struct RuleForm {
    values: Vec<(String, String)>,
}

impl RuleForm {
    fn get(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn has(&self, name: &str, value: &str) -> bool {
        self.values.iter().any(|(n, v)| n == name && v == value)
    }

    fn set(&mut self, name: &str, value: impl Into<String>) {
        self.values.push((name.to_owned(), value.into()));
    }

    /// A rule's fields.
    fn of(rule: &Rule) -> RuleForm {
        let mut form = RuleForm::default();
        let mut written = Vec::new();
        comptoir_import::promotions::write(std::slice::from_ref(rule), &mut written)
            .expect("writing to memory works");
        let mut reader = csv::Reader::from_reader(written.as_slice());
        let header = reader.headers().expect("the file has its header").clone();
        let row = reader
            .records()
            .next()
            .and_then(Result::ok)
            .expect("the file has the rule's row");
        for (name, value) in header.iter().zip(row.iter()) {
            let value = comptoir_import::spreadsheet::restored(value);
            match name {
                "sites" => value.split('|').for_each(|site| form.set("site", site)),
                "countries" => value.split('|').for_each(|c| form.set("country", c)),
                _ => form.set(name, value),
            }
        }
        let kind = match rule.action.discount {
            None => "none",
            Some(Discount::PercentOff(_)) => "percent_off",
            Some(Discount::AmountOff(_)) => "amount_off",
            Some(Discount::FixedPrice(_)) => "fixed_price",
            Some(Discount::TakePay { .. }) => "take_pay",
        };
        form.set("discount", kind);
        let trigger = match rule.trigger {
            Trigger::Automatic => "automatic",
            Trigger::SharedCode(_) => "shared_code",
            Trigger::GeneratedCodes => "generated_codes",
        };
        form.set("trigger", trigger);
        // Datetime inputs take minutes at most.
        for name in ["starts_at", "ends_at"] {
            let value = form.get(name).get(..16).unwrap_or_default().to_owned();
            form.values.retain(|(n, _)| n != name);
            form.set(name, value);
        }
        form
    }

    /// The rule the form describes, or what is wrong, naming the field.
    fn rule(&self) -> Result<Rule, String> {
        let sites: Vec<&str> = self
            .values
            .iter()
            .filter(|(n, _)| n == "site")
            .map(|(_, v)| v.as_str())
            .collect();
        let countries: Vec<&str> = self
            .values
            .iter()
            .filter(|(n, _)| n == "country")
            .map(|(_, v)| v.as_str())
            .collect();
        let sites = sites.join("|");
        let countries = countries.join("|");
        let kind = self.get("discount");
        let value = self.get("discount_value");
        let cell = |name: &str| -> &str {
            match name {
                "sites" => &sites,
                "countries" => &countries,
                "percent_off" if kind == "percent_off" => value,
                "amount_off" if kind == "amount_off" => value,
                "fixed_price" if kind == "fixed_price" => value,
                "percent_off" | "amount_off" | "fixed_price" => "",
                "take" | "pay" if kind != "take_pay" => "",
                "code" if self.get("trigger") != "shared_code" => "",
                "generated_codes" => {
                    if self.get("trigger") == "generated_codes" {
                        "yes"
                    } else {
                        "no"
                    }
                }
                "stop_further" | "free_shipping" | "enabled" => {
                    if self.get(name) == "yes" {
                        "yes"
                    } else {
                        "no"
                    }
                }
                other => self.get(other).trim(),
            }
        };
        if ![
            "none",
            "percent_off",
            "amount_off",
            "fixed_price",
            "take_pay",
        ]
        .contains(&kind)
        {
            return Err("discount: choose what the rule takes off".to_owned());
        }
        comptoir_import::promotions::parse_rule(&cell)
    }
}

#[derive(Template)]
#[template(path = "backoffice/promotion_form.html")]
struct FormPage<'a> {
    layout: Layout<'a>,
    /// `None` for a new rule.
    id: Option<i64>,
    version: i64,
    form: RuleForm,
    errors: Vec<String>,
    may_edit: bool,
    /// Generated codes' rule: its codes so far.
    codes: Option<i64>,
    preview: Option<Preview>,
    sample: String,
}

impl<'a> FormPage<'a> {
    /// The editor of a stored rule, as `staff` may use it.
    fn of_stored(layout: Layout<'a>, summary: &PromotionSummary, may_edit: bool) -> FormPage<'a> {
        FormPage {
            layout,
            id: Some(summary.rule.id),
            version: summary.version,
            form: RuleForm::of(&summary.rule),
            errors: Vec::new(),
            may_edit,
            codes: (summary.rule.trigger == Trigger::GeneratedCodes).then_some(summary.codes),
            preview: None,
            sample: String::new(),
        }
    }

    fn sites(&self) -> Vec<(&'static str, bool)> {
        SiteCode::ALL
            .iter()
            .map(|site| (site.as_str(), self.form.has("site", site.as_str())))
            .collect()
    }

    fn countries(&self) -> Vec<(&'static str, bool)> {
        ["ES", "FR", "PT", "IT"]
            .into_iter()
            .map(|c| (c, self.form.has("country", c)))
            .collect()
    }
}

async fn new_form(staff: Staff<ManagePromotions>) -> Result<Response, HttpError> {
    let mut form = RuleForm::default();
    for (name, value) in [
        ("discount", "percent_off"),
        ("trigger", "automatic"),
        ("target", "matching_lines"),
        ("audience", "everyone"),
        ("enabled", "yes"),
        ("priority", "0"),
        ("site", "es"),
    ] {
        form.set(name, value);
    }
    let page = FormPage {
        layout: staff.layout(),
        id: None,
        version: 0,
        form,
        errors: Vec::new(),
        may_edit: true,
        codes: None,
        preview: None,
        sample: String::new(),
    };
    Ok(render(&page)?.into_response())
}

async fn summary(state: &AppState, id: i64) -> Result<PromotionSummary, HttpError> {
    state
        .store
        .promotion_summaries()
        .await?
        .into_iter()
        .find(|s| s.rule.id == id)
        .ok_or(HttpError::NotFound)
}

async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(done): Query<AfterSave>,
) -> Result<Response, HttpError> {
    let summary = summary(&state, id).await?;
    let mut layout = staff.layout();
    if done.done.is_some() {
        layout = layout.with_notice("Saved. Storefronts apply it within seconds.");
    }
    let may_edit = staff.member.role.may(Permission::ManagePromotions);
    let page = FormPage::of_stored(layout, &summary, may_edit);
    Ok(render(&page)?.into_response())
}

/// The form sent back with what is wrong.
fn refused(
    staff: &Staff<ManagePromotions>,
    id: Option<i64>,
    version: i64,
    form: RuleForm,
    error: String,
    status: StatusCode,
) -> Result<Response, HttpError> {
    let page = FormPage {
        layout: staff.layout(),
        id,
        version,
        form,
        errors: vec![error],
        may_edit: true,
        codes: None,
        preview: None,
        sample: String::new(),
    };
    Ok((status, render(&page)?).into_response())
}

async fn create(
    State(state): State<AppState>,
    staff: Staff<ManagePromotions>,
    CsrfForm(values): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let form = RuleForm { values };
    let rule = match form.rule() {
        Ok(rule) => rule,
        Err(error) => {
            return refused(
                &staff,
                None,
                0,
                form,
                error,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    match state
        .store
        .create_promotions(&[rule], &staff.actor())
        .await?
    {
        PromotionOutcome::Created(ids) => {
            Ok(Redirect::to(&format!("/promotions/{}?done=1", ids[0])).into_response())
        }
        PromotionOutcome::CodeTaken(code) => refused(
            &staff,
            None,
            0,
            form,
            format!("code: {code} belongs to another rule"),
            StatusCode::CONFLICT,
        ),
    }
}

async fn update(
    State(state): State<AppState>,
    staff: Staff<ManagePromotions>,
    Path(id): Path<i64>,
    CsrfForm(values): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let form = RuleForm { values };
    let version: i64 = form.get("version").parse().unwrap_or(-1);
    let rule = match form.rule() {
        Ok(rule) => rule,
        Err(error) => {
            return refused(
                &staff,
                Some(id),
                version,
                form,
                error,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    match state.store.update_promotion(id, &rule, version, &staff.actor()).await? {
        PromotionEdit::Saved => Ok(Redirect::to(&format!("/promotions/{id}?done=1")).into_response()),
        PromotionEdit::NotFound => Err(HttpError::NotFound),
        PromotionEdit::Stale => refused(
            &staff,
            Some(id),
            version,
            form,
            "Someone saved this rule after you opened it: nothing was saved. Open it again to see their change.".to_owned(),
            StatusCode::CONFLICT,
        ),
        PromotionEdit::CodeTaken(code) => refused(
            &staff,
            Some(id),
            version,
            form,
            format!("code: {code} belongs to another rule"),
            StatusCode::CONFLICT,
        ),
    }
}

/// A sample cart priced with one rule alone.
struct Preview {
    lines: Vec<(String, u32, String, String)>,
    items: String,
    discount: String,
    free_shipping: bool,
    verdict: String,
    /// The rule's maximum or a line's price cut the discount.
    capped: bool,
}

#[derive(Deserialize)]
struct PreviewForm {
    /// `SKU quantity` per line.
    #[serde(default)]
    sample: String,
    #[serde(default)]
    site: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    logged_in: Option<String>,
}

/// What a code's verdict says, for staff.
fn verdict_text(verdict: CodeVerdict) -> String {
    use comptoir_domain::promotions::Shortfall;
    match verdict {
        CodeVerdict::Applied => "applies".to_owned(),
        CodeVerdict::Unknown => "unknown code".to_owned(),
        CodeVerdict::NotYetValid(start) => {
            format!("not yet: starts {}", start.format("%d/%m/%Y %H:%M"))
        }
        CodeVerdict::Expired => "over (ended or switched off)".to_owned(),
        CodeVerdict::UsedUp => "used up".to_owned(),
        CodeVerdict::OtherSite => "not on this site".to_owned(),
        CodeVerdict::Lacks(Shortfall::Subtotal(more)) => {
            format!("needs {} more in the cart", more.format(Locale::Es))
        }
        CodeVerdict::Lacks(Shortfall::Quantity(n)) => format!("needs {n} more matching units"),
        CodeVerdict::Lacks(Shortfall::Products) => "no matching product in the cart".to_owned(),
        CodeVerdict::Lacks(Shortfall::Country) => "not for this country".to_owned(),
        CodeVerdict::Lacks(Shortfall::LogIn) => "only for logged-in customers".to_owned(),
        CodeVerdict::Lacks(Shortfall::Excluded) => "excluded by another rule".to_owned(),
    }
}

async fn preview(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<PreviewForm>,
) -> Result<Response, HttpError> {
    let summary = summary(&state, id).await?;
    let rule = summary.rule.clone();
    let site = SiteCode::parse(&form.site).unwrap_or(SiteCode::Es);
    let country = Country::parse(&form.country).unwrap_or(checkout::home_country(site));
    let mut cart = Cart::default();
    let mut errors = Vec::new();
    let mut skus = Vec::new();
    for line in form
        .sample
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(50)
    {
        let mut words = line.split_whitespace();
        let sku = words.next().and_then(|s| Sku::parse(s).ok());
        let quantity = words.next().unwrap_or("1");
        match (sku, Quantity::parse(quantity)) {
            (Some(sku), Ok(quantity)) => {
                skus.push(sku.clone());
                if cart.add(sku, quantity, u32::MAX).is_err() {
                    errors.push(format!("'{line}': too many lines or units"));
                }
            }
            _ => errors.push(format!("'{line}' is not 'SKU quantity'")),
        }
    }
    let products = state.store.products_of_variants(&skus).await?;
    // The rule's categories match products placed below them too.
    let structure = state.store.load_structure().await?.catalogue;
    let parents: std::collections::HashMap<CategoryId, Option<CategoryId>> = structure
        .categories
        .iter()
        .map(|c| (c.id, c.parent))
        .collect();
    let categories = |product: &Product| {
        let mut ids = Vec::new();
        for (id, _) in &product.categories {
            let mut at = Some(*id);
            while let Some(id) = at.filter(|id| !ids.contains(id)) {
                ids.push(id);
                at = parents.get(&id).copied().flatten();
            }
        }
        ids
    };
    let code = match &rule.trigger {
        Trigger::SharedCode(code) => Some(EnteredCode {
            code: code.clone(),
            found: Some(FoundCode {
                rule_id: id,
                used_up: false,
            }),
        }),
        _ => None,
    };
    // A rule with codes is tried as if its code were entered, whatever its uses.
    let mut tried = rule.clone();
    if tried.trigger == Trigger::GeneratedCodes {
        tried.trigger = Trigger::Automatic;
        tried.limits = Default::default();
    }
    let find = |sku: &Sku| {
        products
            .iter()
            .find_map(|p| p.variants.iter().find(|v| &v.sku == sku).map(|v| (p, v)))
    };
    let quoted = checkout::quote(
        &cart,
        site,
        Destination::mainland(country),
        &ShippingRates::default(),
        Utc::now(),
        find,
        &Promotions {
            rules: std::slice::from_ref(&tried),
            logged_in: form.logged_in.is_some(),
            code: code.as_ref(),
            categories: &categories,
        },
    );
    let preview = match quoted {
        Ok(quote) => Some(Preview {
            lines: quote
                .lines
                .iter()
                .zip(&quote.promotions.line_discounts)
                .map(|(line, discount)| {
                    (
                        line.sku.to_string(),
                        line.quantity,
                        line.unit_price.format(Locale::Es),
                        discount.format(Locale::Es),
                    )
                })
                .collect(),
            items: quote.totals.items.format(Locale::Es),
            discount: Money::eur(quote.promotions.discount()).format(Locale::Es),
            free_shipping: quote.promotions.free_shipping,
            verdict: match (quote.promotions.code, quote.promotions.applied.is_empty()) {
                (Some(verdict), _) => verdict_text(verdict),
                (None, false) => "applies".to_owned(),
                (None, true) => "does not apply to this cart".to_owned(),
            },
            capped: quote.promotions.applied.iter().any(|a| a.capped),
        }),
        Err(error) => {
            errors.push(format!("the cart cannot be priced: {error}"));
            None
        }
    };
    let may_edit = staff.member.role.may(Permission::ManagePromotions);
    let page = FormPage {
        errors,
        preview,
        sample: form.sample,
        ..FormPage::of_stored(staff.layout(), &summary, may_edit)
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
struct CodesForm {
    #[serde(default)]
    count: String,
    #[serde(default)]
    length: String,
    #[serde(default)]
    prefix: String,
}

async fn generate_codes(
    State(state): State<AppState>,
    staff: Staff<ManagePromotions>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<CodesForm>,
) -> Result<Response, HttpError> {
    let summary = summary(&state, id).await?;
    let refuse = |error: String| {
        let page = FormPage {
            errors: vec![error],
            ..FormPage::of_stored(staff.layout(), &summary, true)
        };
        Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
    };
    if summary.rule.trigger != Trigger::GeneratedCodes {
        return refuse("This rule does not take generated codes.".to_owned());
    }
    let count = form.count.trim().parse().unwrap_or(0);
    let length = form.length.trim().parse().unwrap_or(0);
    let spec = match BatchSpec::parse(count, length, &form.prefix) {
        Ok(spec) => spec,
        Err(error) => return refuse(format!("codes: {error}")),
    };
    let codes = spec.generate(|bytes| {
        getrandom::fill(bytes).expect("the operating system gives random bytes");
    });
    state
        .store
        .add_promotion_codes(id, &codes, &staff.actor())
        .await?;
    Ok(Redirect::to(&format!("/promotions/{id}?done=1")).into_response())
}

fn csv_download(name: &str, bytes: Vec<u8>) -> Response {
    comptoir_web::download::attachment(name, "text/csv; charset=utf-8", bytes)
}

async fn export_rules(State(state): State<AppState>, _staff: Staff) -> Result<Response, HttpError> {
    let rules = state.store.promotion_rules().await?;
    let mut bytes = Vec::new();
    comptoir_import::promotions::write(&rules, &mut bytes)
        .map_err(|_| HttpError::internal("the promotions file cannot be written"))?;
    Ok(csv_download("promotions.csv", bytes))
}

async fn export_usage(State(state): State<AppState>, _staff: Staff) -> Result<Response, HttpError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let write = |writer: &mut csv::Writer<Vec<u8>>, row: &[String]| {
        writer
            .write_record(row)
            .map_err(|_| HttpError::internal("the usage file cannot be written"))
    };
    let header = ["id", "name", "how", "orders", "discount", "revenue"].map(str::to_owned);
    write(&mut writer, &header)?;
    for summary in state.store.promotion_summaries().await? {
        let row = [
            summary.rule.id.to_string(),
            comptoir_import::spreadsheet::neutralised(summary.rule.name(Locale::Es)).into_owned(),
            how(&summary),
            summary.orders.to_string(),
            Money::eur(summary.discount_cents).decimal(),
            Money::eur(summary.revenue_cents).decimal(),
        ];
        write(&mut writer, &row)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|_| HttpError::internal("the usage file cannot be written"))?;
    Ok(csv_download("promotions-usage.csv", bytes))
}

async fn export_codes(
    State(state): State<AppState>,
    _staff: Staff<ManagePromotions>,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let codes: Vec<comptoir_domain::promotions::CouponCode> = state
        .store
        .promotion_codes(id)
        .await?
        .into_iter()
        .filter_map(|(code, _)| comptoir_domain::promotions::CouponCode::parse(&code).ok())
        .collect();
    let mut bytes = Vec::new();
    comptoir_import::promotions::write_codes(&codes, &mut bytes)
        .map_err(|_| HttpError::internal("the codes file cannot be written"))?;
    Ok(csv_download(&format!("promotion-{id}-codes.csv"), bytes))
}
