//! Invoices and VERI*FACTU records. An order's invoice is issued in the transaction
//! that marks it paid: its number is the next of its series (a row held until the
//! transaction commits, so numbers never skip or repeat), and its registration
//! record is chained after the company's last one (the chain's head, one row, held
//! the same way, so the chain never forks).

use async_trait::async_trait;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use comptoir_domain::destination::{Country, TaxZone};
use comptoir_domain::invoicing::period::Period;
use comptoir_domain::invoicing::recapitulative::SupplyFigure;
use comptoir_domain::invoicing::vat_summary::IssuedFigure;
use comptoir_domain::invoicing::verifactu::{Footprint, InvoiceId, Record, RecordKind};
use comptoir_domain::invoicing::{
    Invoice, InvoiceLine, InvoiceNumber, InvoiceType, Party, SAMPLE_ISSUER_TAX_ID, Treatment,
    invoice_type,
};
use comptoir_domain::local_time::TimeZone;
use comptoir_domain::tax_id::TaxId;
use comptoir_domain::vat::VatRate;
use comptoir_domain::{Locale, Money, SiteCode};

use crate::{Result, StoreError};

/// When an order's invoice is issued (`INVOICE_ON`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum InvoiceMoment {
    /// In the transaction that marks it paid: card and transfer at payment, cash on
    /// delivery when staff record it at delivery.
    #[default]
    Paid,
    /// In the transaction that marks it shipped, paid or not.
    Shipped,
}

impl InvoiceMoment {
    /// `paid` or `shipped`.
    pub fn parse(text: &str) -> std::result::Result<InvoiceMoment, String> {
        match text {
            "paid" => Ok(InvoiceMoment::Paid),
            "shipped" => Ok(InvoiceMoment::Shipped),
            other => Err(format!("'{other}' is not paid or shipped")),
        }
    }
}

/// How staff's action on an invoice went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvoiceAction {
    Done,
    NotFound,
    /// Annulled already: it takes no further record.
    Annulled,
}

/// An invoice as the back office lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct InvoiceListRow {
    pub number: String,
    /// On Madrid's clock: `2027-01-04`.
    pub issued_on: String,
    pub order_id: i64,
    pub order_number: String,
    /// Whom it is made out to, or the order's e-mail address.
    pub customer: String,
    pub net_cents: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
    pub invoice_type: String,
    /// The invoice a rectifying one corrects, or an F3 replaces.
    pub refers_to: Option<String>,
    /// Its last record's submission state (`queued` while nothing is sent).
    pub record_state: Option<String>,
    pub annulled: bool,
}

/// One line of the register of invoices issued: an invoice's figures at one VAT
/// rate (an invoice with two rates has two lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterLine {
    /// Where the next page of the register starts.
    pub invoice_id: i64,
    pub number: String,
    /// `2027-01-04`.
    pub issued_on: String,
    pub invoice_type: String,
    /// The invoice a rectifying one corrects, or an F3 replaces.
    pub refers_to: Option<String>,
    pub order_number: String,
    pub buyer_name: Option<String>,
    pub buyer_tax_id: Option<String>,
    pub treatment: Treatment,
    pub rate: Option<VatRate>,
    pub base: Money,
    pub vat: Money,
    /// Issued by mistake and annulled: listed, counted in no figure.
    pub annulled: bool,
}

/// How a full invoice asked for in place of a simplified one went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FullInvoiceOutcome {
    /// Its number.
    Issued(String),
    NotFound,
    /// Only a simplified invoice (F2) is replaced.
    NotSimplified,
    /// Replaced already, by this F3.
    Replaced(String),
    Annulled,
    /// Refunded in part or whole: its rectifying invoices stand.
    Rectified,
}

/// What staff do to invoices issued: each a new record in the chain, never an
/// edit.
#[async_trait]
pub trait InvoiceAdminStore: Send + Sync {
    /// The latest `limit` invoices, newest first.
    async fn invoice_list(&self, limit: u32) -> Result<Vec<InvoiceListRow>>;

    /// Annuls invoice `number`, issued by mistake: an annulment record; its number
    /// stays used.
    async fn annul_invoice(&self, number: &str, by: &crate::Actor) -> Result<InvoiceAction>;

    /// Issues a full invoice (F3) naming `buyer` in place of simplified invoice
    /// `number`, on its customer's request, with its own record.
    async fn issue_full_invoice(
        &self,
        number: &str,
        buyer: &Party,
        by: &crate::Actor,
    ) -> Result<FullInvoiceOutcome>;

    /// Registers invoice `number` again, fixing wrong data in its earlier record
    /// (`Subsanacion` = `S`).
    async fn register_correction(&self, number: &str, by: &crate::Actor) -> Result<InvoiceAction>;

    /// What the invoices issued in `period` charged, per kind of sale, place, VAT
    /// rate and (for rectifying ones) the date of the invoice corrected. Annulled
    /// invoices count for nothing, nor do full invoices replacing simplified ones
    /// (their sale counted with the simplified invoice).
    async fn vat_figures(&self, period: Period) -> Result<Vec<IssuedFigure>>;

    /// What the intra-community supplies invoiced in `period` came to, per buyer
    /// and (for rectifying invoices) the date of the invoice corrected; annulled
    /// invoices count for nothing.
    async fn intra_community_supplies(&self, period: Period) -> Result<Vec<SupplyFigure>>;

    /// The register of invoices issued in `period`, by number, from the invoice
    /// after `after_id`, `limit` invoices at most.
    async fn invoice_register(
        &self,
        period: Period,
        after_id: i64,
        limit: u32,
    ) -> Result<Vec<RegisterLine>>;
}

/// Invoices and records as the back office, the command line and the account pages
/// read them.
#[async_trait]
pub trait InvoiceStore: Send + Sync {
    /// An order's invoices, the first one first.
    async fn invoices_of_order(&self, order_id: i64) -> Result<Vec<Invoice>>;

    /// Every VERI*FACTU record, in chain order.
    async fn verifactu_records(&self) -> Result<Vec<Record>>;

    /// Invoice `number` with its order, to be printed or mailed.
    async fn invoice_document(&self, number: &str) -> Result<Option<InvoiceDocument>>;

    /// The numbers of order `order_id`'s invoices annulled as issued by mistake.
    async fn annulled_invoices_of_order(&self, order_id: i64) -> Result<Vec<String>>;
}

/// An invoice with the order it was issued for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDocument {
    pub invoice: Invoice,
    pub order_id: i64,
    pub order_number: String,
}

/// The invoice's name for the shipping line, in the order's language.
fn shipping_label(site: SiteCode) -> &'static str {
    match site {
        SiteCode::Es => "Envío",
        SiteCode::Fr => "Livraison",
        SiteCode::Pt => "Envio",
        SiteCode::It => "Spedizione",
    }
}

/// The text of a partial refund's lines, in the order's language.
pub(crate) fn refund_label(language: Locale) -> &'static str {
    match language {
        Locale::Es => "Devolución",
        Locale::Fr => "Remboursement",
        Locale::Pt => "Devolução",
        Locale::It => "Rimborso",
    }
}

/// The issuer shown while the shop's legal settings are empty: plainly a sample.
const SAMPLE_ISSUER_NAME: &str = "EMISOR DE EJEMPLO (datos legales sin configurar)";

/// An order as its invoice needs it.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct OrderForInvoice {
    pub(crate) site: String,
    ship_name: String,
    ship_street: String,
    ship_postcode: String,
    ship_city: String,
    ship_country: String,
    invoice_tax_id: Option<String>,
    invoice_name: Option<String>,
    invoice_street: Option<String>,
    invoice_postcode: Option<String>,
    invoice_city: Option<String>,
    invoice_country: Option<String>,
    invoice_vies_proof: Option<String>,
    shipping_cents: i64,
    vat_cents: i64,
    total_cents: i64,
}

/// A line of the order, as sold.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct LineForInvoice {
    name: String,
    sku: String,
    unit_cents: i64,
    quantity: i64,
    discount_cents: i64,
    net_cents: i64,
    vat_cents: i64,
    vat_rate_bp: i64,
}

pub(crate) const ORDER_FOR_INVOICE_SQL: &str = "SELECT site, ship_name, ship_street, \
     ship_postcode, ship_city, ship_country, invoice_tax_id, invoice_name, invoice_street, \
     invoice_postcode, invoice_city, invoice_country, invoice_vies_proof, shipping_cents, \
     vat_cents, total_cents FROM orders WHERE id = $1";
pub(crate) const LINES_FOR_INVOICE_SQL: &str = "SELECT name, sku, unit_cents, \
     CAST(quantity AS BIGINT) AS quantity, discount_cents, net_cents, vat_cents, \
     CAST(vat_rate_bp AS BIGINT) AS vat_rate_bp FROM order_lines WHERE order_id = $1 \
     ORDER BY position";
/// The company's identity: the Spanish site's legal settings.
pub(crate) const SELLER_SQL: &str =
    "SELECT company_name, tax_id, address FROM seller_identities WHERE site = 'es'";
pub(crate) const HAS_INVOICE_SQL: &str = "SELECT id FROM invoices WHERE order_id = $1 \
     AND invoice_type IN ('F1', 'F2') LIMIT 1";
/// The next number of a series, its row held until the transaction ends.
pub(crate) const NEXT_NUMBER_SQL: &str = "INSERT INTO invoice_series \
     (invoice_type, year, last_number) VALUES ($1, $2, 1) ON CONFLICT (invoice_type, year) \
     DO UPDATE SET last_number = invoice_series.last_number + 1 RETURNING last_number";
pub(crate) const INSERT_INVOICE_SQL: &str = "INSERT INTO invoices (number, invoice_type, year, \
     sequence, order_id, refers_to_id, issued_at, issued_on, site, treatment, destination, \
     seller_name, seller_tax_id, seller_address, buyer_name, buyer_tax_id, buyer_address, \
     net_cents, vat_cents, total_cents) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
     $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id";
pub(crate) const INSERT_INVOICE_LINE_SQL: &str = "INSERT INTO invoice_lines (invoice_id, \
     position, description, sku, quantity, unit_cents, discount_cents, net_cents, vat_cents, \
     vat_rate_bp) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
/// Moves the chain's head on, held until the transaction ends: the new record's
/// place and the footprint it follows.
pub(crate) const ADVANCE_CHAIN_SQL: &str = "UPDATE verifactu_chain \
     SET last_position = last_position + 1 WHERE id = 1 RETURNING last_position, last_footprint";
/// A demo's reseed drops its invoices' mails with them.
pub(crate) const DROP_INVOICE_MAILS_SQL: &str =
    "DELETE FROM outbox WHERE invoice_number IS NOT NULL";
/// A demo's reseed empties the chain with the orders.
pub(crate) const RESET_CHAIN_SQL: &str =
    "UPDATE verifactu_chain SET last_position = 0, last_footprint = '' WHERE id = 1";
pub(crate) const SET_CHAIN_FOOTPRINT_SQL: &str =
    "UPDATE verifactu_chain SET last_footprint = $1 WHERE id = 1";
pub(crate) const INSERT_RECORD_SQL: &str = "INSERT INTO verifactu_records (chain_position, \
     invoice_id, record_type, correction, issuer_tax_id, invoice_number, issued_on, \
     invoice_type, vat_total, total, previous_footprint, footprint, generated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
/// Invoices as [`InvoiceRow`] reads them, followed by `$tail`.
macro_rules! select_invoices {
    ($tail:literal) => {
        concat!(
            "SELECT id, number, issued_at, issued_on, site, treatment, destination, seller_name, \
             seller_tax_id, seller_address, buyer_name, buyer_tax_id, buyer_address, \
             (SELECT r.number FROM invoices AS r WHERE r.id = i.refers_to_id) AS refers_to_number, \
             (SELECT r.issued_on FROM invoices AS r WHERE r.id = i.refers_to_id) AS refers_to_on \
             FROM invoices AS i ",
            $tail
        )
    };
}
pub(crate) use select_invoices;
pub(crate) const INVOICES_OF_ORDER_SQL: &str = select_invoices!("WHERE order_id = $1 ORDER BY id");
/// The invoice a refund of order `$1` corrects: its latest full or simplified one.
pub(crate) const INVOICE_TO_RECTIFY_SQL: &str = select_invoices!(
    "WHERE order_id = $1 AND invoice_type IN ('F1', 'F2', 'F3') ORDER BY id DESC LIMIT 1"
);
/// The rectifying invoices of invoice `$1`, oldest first.
pub(crate) const RECTIFYING_OF_SQL: &str =
    select_invoices!("WHERE refers_to_id = $1 AND invoice_type IN ('R1', 'R4', 'R5') ORDER BY id");
pub(crate) const INVOICE_LIST_SQL: &str = "SELECT i.number, i.issued_on, i.order_id, \
     o.number AS order_number, COALESCE(i.buyer_name, o.email) AS customer, i.net_cents, \
     i.vat_cents, i.total_cents, i.invoice_type, \
     (SELECT r.number FROM invoices AS r WHERE r.id = i.refers_to_id) AS refers_to, \
     (SELECT v.state FROM verifactu_records AS v WHERE v.invoice_id = i.id \
      ORDER BY v.chain_position DESC LIMIT 1) AS record_state, \
     EXISTS (SELECT 1 FROM verifactu_records AS v WHERE v.invoice_id = i.id \
      AND v.record_type = 'anulacion') AS annulled \
     FROM invoices AS i JOIN orders AS o ON o.id = i.order_id ORDER BY i.id DESC LIMIT $1";
/// An invoice's order.
pub(crate) const INVOICE_ORDER_SQL: &str = "SELECT order_id FROM invoices WHERE id = $1";
/// What refers to invoice `$1` already: the F3 replacing it, or a rectifying one.
pub(crate) const REFERRING_SQL: &str = "SELECT number, invoice_type FROM invoices \
     WHERE refers_to_id = $1 ORDER BY id";
pub(crate) const ANNULLED_OF_ORDER_SQL: &str = "SELECT i.number FROM invoices AS i \
     WHERE i.order_id = $1 AND EXISTS (SELECT 1 FROM verifactu_records AS v \
     WHERE v.invoice_id = i.id AND v.record_type = 'anulacion') ORDER BY i.id";
/// Where an order's invoices are mailed, and the order's number they name.
pub(crate) const ORDER_CONTACT_SQL: &str = "SELECT email, number FROM orders WHERE id = $1";
pub(crate) const QUEUE_INVOICE_MAIL_SQL: &str = "INSERT INTO outbox \
     (recipient, subject, body, next_attempt_at, invoice_number) VALUES ($1, $2, $3, $4, $5)";
/// An invoice's order, by the invoice's id.
pub(crate) const ORDER_OF_INVOICE_SQL: &str = "SELECT o.id, o.number FROM orders AS o \
     JOIN invoices AS i ON i.order_id = o.id WHERE i.id = $1";
pub(crate) const VAT_FIGURES_SQL: &str = "SELECT i.treatment, i.destination, \
     CAST(l.vat_rate_bp AS BIGINT) AS vat_rate_bp, r.issued_on AS corrects_on, \
     CAST(SUM(l.net_cents) AS BIGINT) AS base_cents, CAST(SUM(l.vat_cents) AS BIGINT) AS vat_cents, \
     CAST(COUNT(DISTINCT i.id) AS BIGINT) AS invoices \
     FROM invoices AS i JOIN invoice_lines AS l ON l.invoice_id = i.id \
     LEFT JOIN invoices AS r ON r.id = i.refers_to_id AND i.invoice_type IN ('R1', 'R4', 'R5') \
     WHERE i.issued_on >= $1 AND i.issued_on <= $2 AND i.invoice_type <> 'F3' \
     AND NOT EXISTS (SELECT 1 FROM verifactu_records AS v WHERE v.invoice_id = i.id \
     AND v.record_type = 'anulacion') \
     GROUP BY i.treatment, i.destination, l.vat_rate_bp, r.issued_on";
pub(crate) const SUPPLIES_SQL: &str = "SELECT i.destination, i.buyer_tax_id, \
     MAX(i.buyer_name) AS buyer_name, r.issued_on AS corrects_on, \
     CAST(SUM(i.net_cents) AS BIGINT) AS base_cents \
     FROM invoices AS i \
     LEFT JOIN invoices AS r ON r.id = i.refers_to_id AND i.invoice_type IN ('R1', 'R4', 'R5') \
     WHERE i.treatment = 'intra_community' AND i.buyer_tax_id IS NOT NULL \
     AND i.issued_on >= $1 AND i.issued_on <= $2 AND i.invoice_type <> 'F3' \
     AND NOT EXISTS (SELECT 1 FROM verifactu_records AS v WHERE v.invoice_id = i.id \
     AND v.record_type = 'anulacion') \
     GROUP BY i.destination, i.buyer_tax_id, r.issued_on";
pub(crate) const REGISTER_SQL: &str = "SELECT i.id AS invoice_id, i.number, i.issued_on, \
     i.invoice_type, (SELECT r.number FROM invoices AS r WHERE r.id = i.refers_to_id) AS refers_to, \
     o.number AS order_number, i.buyer_name, i.buyer_tax_id, i.treatment, i.destination, \
     CAST(l.vat_rate_bp AS BIGINT) AS vat_rate_bp, CAST(SUM(l.net_cents) AS BIGINT) AS base_cents, \
     CAST(SUM(l.vat_cents) AS BIGINT) AS vat_cents, \
     EXISTS (SELECT 1 FROM verifactu_records AS v WHERE v.invoice_id = i.id \
      AND v.record_type = 'anulacion') AS annulled \
     FROM invoices AS i JOIN orders AS o ON o.id = i.order_id \
     JOIN invoice_lines AS l ON l.invoice_id = i.id \
     WHERE i.id IN (SELECT id FROM invoices WHERE issued_on >= $1 AND issued_on <= $2 \
      AND id > $3 ORDER BY id LIMIT $4) \
     GROUP BY i.id, i.number, i.issued_on, i.invoice_type, i.refers_to_id, o.number, i.buyer_name, \
      i.buyer_tax_id, i.treatment, i.destination, l.vat_rate_bp \
     ORDER BY i.id, l.vat_rate_bp DESC";
pub(crate) const INVOICE_BY_NUMBER_SQL: &str = select_invoices!("WHERE number = $1");
pub(crate) const ANNULLED_SQL: &str = "SELECT id FROM verifactu_records \
     WHERE invoice_id = $1 AND record_type = 'anulacion' LIMIT 1";
pub(crate) const INVOICE_LINES_SQL: &str = "SELECT description, sku, quantity, \
     unit_cents, discount_cents, net_cents, vat_cents, CAST(vat_rate_bp AS BIGINT) AS vat_rate_bp \
     FROM invoice_lines WHERE invoice_id = $1 ORDER BY position";
pub(crate) const RECORDS_SQL: &str = "SELECT record_type, correction, issuer_tax_id, \
     invoice_number, issued_on, invoice_type, vat_total, total, previous_footprint, \
     generated_at FROM verifactu_records ORDER BY chain_position";

/// The company's identity as the Spanish site's legal settings give it, or the
/// sample issuer while they hold no company name or no valid NIF (a record AEAT
/// cannot take is worse than one plainly marked as a sample).
pub(crate) fn seller(settings: Option<(String, String, String)>) -> Party {
    let valid = |tax_id: &str| TaxId::parse(Country::Es, tax_id).ok();
    match settings {
        Some((name, tax_id, address)) if !name.trim().is_empty() && valid(&tax_id).is_some() => {
            Party {
                name,
                tax_id: valid(&tax_id).map(|id| id.as_str().to_owned()),
                address,
            }
        }
        _ => Party {
            name: SAMPLE_ISSUER_NAME.to_owned(),
            tax_id: Some(SAMPLE_ISSUER_TAX_ID.to_owned()),
            address: String::new(),
        },
    }
}

/// `street, postcode city, country`, on one line.
fn address(street: &str, postcode: &str, city: &str, country: &str) -> String {
    format!("{street}, {postcode} {city}, {country}")
}

/// A draft's place in its series until the store takes the next number of it
/// (`numbered`): never stored, as series start at 1.
pub(crate) const UNNUMBERED: u32 = 0;

/// The first invoice of an order, issued `at`, not numbered yet. Its type follows
/// how the sale is taxed; it names the buyer the shopper gave for invoices, else
/// (when it must name one) who the order ships to.
pub(crate) fn order_invoice(
    order: &OrderForInvoice,
    lines: &[LineForInvoice],
    seller: Party,
    at: DateTime<Utc>,
) -> Result<Invoice> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("order to invoice: {what}"));
    let site = SiteCode::parse(&order.site).map_err(|_| corrupt("site"))?;
    let country = Country::parse(&order.ship_country).map_err(|_| corrupt("country"))?;
    let zone = TaxZone::of_address(country, &order.ship_postcode);
    let treatment = Treatment::of(zone, order.invoice_vies_proof.is_some());
    let total = Money::eur(order.total_cents);
    let requested = order.invoice_tax_id.is_some();
    let kind = invoice_type(treatment, total, requested, requested)
        // Checkout asks for a tax id above the simplified limit; an order without
        // one still gets its full invoice, naming whom it ships to.
        .unwrap_or(InvoiceType::F1);
    let issued_on = TimeZone::CentralEuropean.local(at).date_naive();
    let buyer = match (&order.invoice_name, kind) {
        (Some(name), _) => Some(Party {
            name: name.clone(),
            tax_id: order.invoice_tax_id.clone(),
            address: address(
                order.invoice_street.as_deref().unwrap_or_default(),
                order.invoice_postcode.as_deref().unwrap_or_default(),
                order.invoice_city.as_deref().unwrap_or_default(),
                order.invoice_country.as_deref().unwrap_or_default(),
            ),
        }),
        (None, InvoiceType::F2) => None,
        (None, _) => Some(Party {
            name: order.ship_name.clone(),
            tax_id: None,
            address: address(
                &order.ship_street,
                &order.ship_postcode,
                &order.ship_city,
                &order.ship_country,
            ),
        }),
    };
    // An exempt sale's lines carry no rate.
    let rate = zone.vat_rate().filter(|_| treatment.exemption().is_none());
    let mut invoice_lines: Vec<InvoiceLine> = lines
        .iter()
        .map(|line| InvoiceLine {
            description: line.name.clone(),
            sku: line.sku.clone(),
            quantity: line.quantity,
            unit_price: Money::eur(line.unit_cents),
            discount: Money::eur(line.discount_cents),
            rate: rate.and(
                u32::try_from(line.vat_rate_bp)
                    .ok()
                    .map(VatRate::from_basis_points),
            ),
            net: Money::eur(line.net_cents),
            vat: Money::eur(line.vat_cents),
        })
        .collect();
    if order.shipping_cents > 0 {
        // The order keeps shipping's VAT within its own: what the lines do not hold.
        let lines_vat: i64 = lines.iter().map(|line| line.vat_cents).sum();
        let vat = order.vat_cents - lines_vat;
        invoice_lines.push(InvoiceLine {
            description: shipping_label(site).to_owned(),
            sku: String::new(),
            quantity: 1,
            unit_price: Money::eur(order.shipping_cents),
            discount: Money::eur(0),
            rate,
            net: Money::eur(order.shipping_cents - vat),
            vat: Money::eur(vat),
        });
    }
    Ok(Invoice {
        number: InvoiceNumber {
            kind,
            year: issued_on.year(),
            sequence: UNNUMBERED,
        },
        issued_at: at,
        issued_on,
        language: site.locale(),
        treatment,
        seller,
        buyer,
        lines: invoice_lines,
        refers_to: None,
    })
}

/// The columns `treatment` and `destination` of an invoice.
pub(crate) fn treatment_columns(treatment: Treatment) -> (&'static str, &'static str) {
    match treatment {
        Treatment::Domestic => ("domestic", "ES"),
        Treatment::Export => ("export", "ES"),
        Treatment::DistanceSale(country) => ("distance_sale", country.code()),
        Treatment::IntraCommunitySupply(country) => ("intra_community", country.code()),
    }
}

pub(crate) fn treatment_of(column: &str, destination: &str) -> Result<Treatment> {
    let country = Country::parse(destination)
        .map_err(|_| StoreError::Corrupt(format!("invoice destination '{destination}'")))?;
    Ok(match column {
        "domestic" => Treatment::Domestic,
        "export" => Treatment::Export,
        "distance_sale" => Treatment::DistanceSale(country),
        "intra_community" => Treatment::IntraCommunitySupply(country),
        other => return Err(StoreError::Corrupt(format!("invoice treatment '{other}'"))),
    })
}

/// A stored invoice's head, as [`INVOICES_OF_ORDER_SQL`] reads it.
#[derive(sqlx::FromRow)]
pub(crate) struct InvoiceRow {
    pub(crate) id: i64,
    number: String,
    issued_at: DateTime<Utc>,
    issued_on: String,
    site: String,
    treatment: String,
    destination: String,
    seller_name: String,
    seller_tax_id: String,
    seller_address: String,
    buyer_name: Option<String>,
    buyer_tax_id: Option<String>,
    buyer_address: Option<String>,
    refers_to_number: Option<String>,
    refers_to_on: Option<String>,
}

/// A stored invoice line, as [`INVOICE_LINES_SQL`] reads it.
#[derive(sqlx::FromRow)]
pub(crate) struct InvoiceLineRow {
    description: String,
    sku: String,
    quantity: i64,
    unit_cents: i64,
    discount_cents: i64,
    net_cents: i64,
    vat_cents: i64,
    vat_rate_bp: Option<i64>,
}

impl InvoiceRow {
    pub(crate) fn into_invoice(self, lines: Vec<InvoiceLineRow>) -> Result<Invoice> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("invoice {}: {what}", self.number));
        let day =
            |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| corrupt("date"));
        let number = InvoiceNumber::parse(&self.number).ok_or_else(|| corrupt("number"))?;
        let refers_to = match (&self.refers_to_number, &self.refers_to_on) {
            (Some(number), Some(on)) => Some((
                InvoiceNumber::parse(number).ok_or_else(|| corrupt("rectified number"))?,
                day(on)?,
            )),
            _ => None,
        };
        Ok(Invoice {
            number,
            issued_at: self.issued_at,
            issued_on: day(&self.issued_on)?,
            language: SiteCode::parse(&self.site)
                .map_err(|_| corrupt("site"))?
                .locale(),
            treatment: treatment_of(&self.treatment, &self.destination)?,
            seller: Party {
                name: self.seller_name,
                tax_id: Some(self.seller_tax_id),
                address: self.seller_address,
            },
            buyer: self.buyer_name.map(|name| Party {
                name,
                tax_id: self.buyer_tax_id,
                address: self.buyer_address.unwrap_or_default(),
            }),
            lines: lines
                .into_iter()
                .map(|line| InvoiceLine {
                    description: line.description,
                    sku: line.sku,
                    quantity: line.quantity,
                    unit_price: Money::eur(line.unit_cents),
                    discount: Money::eur(line.discount_cents),
                    rate: rate_of(line.vat_rate_bp),
                    net: Money::eur(line.net_cents),
                    vat: Money::eur(line.vat_cents),
                })
                .collect(),
            refers_to,
        })
    }
}

/// A row of [`VAT_FIGURES_SQL`].
#[derive(sqlx::FromRow)]
pub(crate) struct FigureRow {
    treatment: String,
    destination: String,
    vat_rate_bp: Option<i64>,
    corrects_on: Option<String>,
    base_cents: i64,
    vat_cents: i64,
    invoices: i64,
}

impl FigureRow {
    pub(crate) fn into_figure(self) -> Result<IssuedFigure> {
        Ok(IssuedFigure {
            treatment: treatment_of(&self.treatment, &self.destination)?,
            rate: rate_of(self.vat_rate_bp),
            corrects: optional_day(self.corrects_on)?,
            base: Money::eur(self.base_cents),
            vat: Money::eur(self.vat_cents),
            invoices: self.invoices,
        })
    }
}

/// A row of [`SUPPLIES_SQL`].
#[derive(sqlx::FromRow)]
pub(crate) struct SupplyRow {
    destination: String,
    buyer_tax_id: String,
    buyer_name: Option<String>,
    corrects_on: Option<String>,
    base_cents: i64,
}

impl SupplyRow {
    pub(crate) fn into_figure(self) -> Result<SupplyFigure> {
        Ok(SupplyFigure {
            country: Country::parse(&self.destination).map_err(|_| {
                StoreError::Corrupt(format!("invoice destination '{}'", self.destination))
            })?,
            vat_number: self.buyer_tax_id,
            name: self.buyer_name.unwrap_or_default(),
            corrects: optional_day(self.corrects_on)?,
            base: Money::eur(self.base_cents),
        })
    }
}

/// A stored `2027-01-04`, if any.
fn optional_day(text: Option<String>) -> Result<Option<NaiveDate>> {
    text.map(|day| {
        NaiveDate::parse_from_str(&day, "%Y-%m-%d")
            .map_err(|_| StoreError::Corrupt(format!("invoice date '{day}'")))
    })
    .transpose()
}

/// A row of [`REGISTER_SQL`].
#[derive(sqlx::FromRow)]
pub(crate) struct RegisterRow {
    invoice_id: i64,
    number: String,
    issued_on: String,
    invoice_type: String,
    refers_to: Option<String>,
    order_number: String,
    buyer_name: Option<String>,
    buyer_tax_id: Option<String>,
    treatment: String,
    destination: String,
    vat_rate_bp: Option<i64>,
    base_cents: i64,
    vat_cents: i64,
    annulled: bool,
}

impl RegisterRow {
    pub(crate) fn into_line(self) -> Result<RegisterLine> {
        Ok(RegisterLine {
            treatment: treatment_of(&self.treatment, &self.destination)?,
            rate: rate_of(self.vat_rate_bp),
            invoice_id: self.invoice_id,
            number: self.number,
            issued_on: self.issued_on,
            invoice_type: self.invoice_type,
            refers_to: self.refers_to,
            order_number: self.order_number,
            buyer_name: self.buyer_name,
            buyer_tax_id: self.buyer_tax_id,
            base: Money::eur(self.base_cents),
            vat: Money::eur(self.vat_cents),
            annulled: self.annulled,
        })
    }
}

/// A stored VAT rate in basis points; none where no VAT applies.
fn rate_of(basis_points: Option<i64>) -> Option<VatRate> {
    basis_points
        .and_then(|bp| u32::try_from(bp).ok())
        .map(VatRate::from_basis_points)
}

/// A stored record, as [`RECORDS_SQL`] reads it.
#[derive(sqlx::FromRow)]
pub(crate) struct RecordRow {
    record_type: String,
    correction: bool,
    issuer_tax_id: String,
    invoice_number: String,
    issued_on: String,
    invoice_type: Option<String>,
    vat_total: Option<String>,
    total: Option<String>,
    previous_footprint: String,
    generated_at: String,
}

impl RecordRow {
    pub(crate) fn into_record(self) -> Result<Record> {
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("record of {}: {what}", self.invoice_number));
        let amount = |text: &Option<String>| {
            let text = text.as_deref().ok_or_else(|| corrupt("amount"))?;
            let (negative, digits) = match text.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, text),
            };
            let money = Money::parse(digits, comptoir_domain::Currency::Eur)
                .map_err(|_| corrupt("amount"))?;
            Ok::<_, StoreError>(Money::eur(if negative {
                -money.cents()
            } else {
                money.cents()
            }))
        };
        let kind = match self.record_type.as_str() {
            "alta" => RecordKind::Registration {
                invoice_type: self
                    .invoice_type
                    .as_deref()
                    .and_then(InvoiceType::parse)
                    .ok_or_else(|| corrupt("type"))?,
                vat_total: amount(&self.vat_total)?,
                total: amount(&self.total)?,
                correction: self.correction,
            },
            "anulacion" => RecordKind::Annulment,
            _ => return Err(corrupt("record type")),
        };
        Ok(Record {
            invoice: InvoiceId {
                issuer: self.issuer_tax_id.clone(),
                number: self.invoice_number.clone(),
                issued_on: NaiveDate::parse_from_str(&self.issued_on, "%d-%m-%Y")
                    .map_err(|_| corrupt("date"))?,
            },
            kind,
            previous: match self.previous_footprint.as_str() {
                "" => None,
                text => Some(Footprint::parse(text).ok_or_else(|| corrupt("footprint"))?),
            },
            generated_at: DateTime::parse_from_rfc3339(&self.generated_at)
                .map_err(|_| corrupt("time"))?,
        })
    }
}

/// Writes `issue_invoice` (inherent, for the transactions that mark orders paid)
/// and `impl InvoiceStore` for `$store`, a backend's store type.
macro_rules! impl_invoice_store {
    ($store:ty) => {
        const _: () = {
            use chrono::{DateTime, FixedOffset, Timelike, Utc};
            use comptoir_domain::invoicing::verifactu::{Footprint, Record, RecordKind, date};
            use comptoir_domain::invoicing::{Invoice, InvoiceNumber};
            use comptoir_domain::local_time::TimeZone;

            use $crate::Result;
            use $crate::dialect::{Connection, Dialect};
            use $crate::invoicing as sql;

            impl $store {
                /// Issues order `order_id`'s invoice, if it has none, with its
                /// VERI*FACTU record, in the caller's transaction; the invoice's id.
                pub(crate) async fn issue_invoice(
                    conn: &mut Connection<$store>,
                    order_id: i64,
                    at: DateTime<Utc>,
                ) -> Result<Option<i64>> {
                    let issued: Option<i64> = sqlx::query_scalar(sql::HAS_INVOICE_SQL)
                        .bind(order_id)
                        .fetch_optional(&mut *conn)
                        .await?;
                    if issued.is_some() {
                        return Ok(None);
                    }
                    let order: sql::OrderForInvoice = sqlx::query_as(sql::ORDER_FOR_INVOICE_SQL)
                        .bind(order_id)
                        .fetch_one(&mut *conn)
                        .await?;
                    let lines: Vec<sql::LineForInvoice> =
                        sqlx::query_as(sql::LINES_FOR_INVOICE_SQL)
                            .bind(order_id)
                            .fetch_all(&mut *conn)
                            .await?;
                    let settings: Option<(String, String, String)> =
                        sqlx::query_as(sql::SELLER_SQL)
                            .fetch_optional(&mut *conn)
                            .await?;
                    let draft = sql::order_invoice(&order, &lines, sql::seller(settings), at)?;
                    let (id, _) = Self::issue(&mut *conn, order_id, None, draft, at).await?;
                    Ok(Some(id))
                }

                /// Issues the rectifying invoice of order `order_id`'s invoice for a
                /// refund of `amount_cents`, with its record, in the caller's
                /// transaction; none when the order has no invoice (paid before
                /// invoices were issued).
                pub(crate) async fn rectify_invoice(
                    conn: &mut Connection<$store>,
                    order_id: i64,
                    amount_cents: i64,
                    at: DateTime<Utc>,
                ) -> Result<Option<i64>> {
                    use comptoir_domain::invoicing::rectifying::{Refund, rectifying};
                    let row: Option<sql::InvoiceRow> = sqlx::query_as(sql::INVOICE_TO_RECTIFY_SQL)
                        .bind(order_id)
                        .fetch_optional(&mut *conn)
                        .await?;
                    let Some(row) = row else {
                        return Ok(None);
                    };
                    let original_id = row.id;
                    let original = Self::invoice_with_lines(&mut *conn, row).await?;
                    let rows: Vec<sql::InvoiceRow> = sqlx::query_as(sql::RECTIFYING_OF_SQL)
                        .bind(original_id)
                        .fetch_all(&mut *conn)
                        .await?;
                    let mut earlier = Vec::with_capacity(rows.len());
                    for row in rows {
                        earlier.push(Self::invoice_with_lines(&mut *conn, row).await?);
                    }
                    let refund = Refund {
                        amount: comptoir_domain::Money::eur(amount_cents),
                        label: sql::refund_label(original.language).to_owned(),
                    };
                    let on = TimeZone::CentralEuropean.local(at).date_naive();
                    let unnumbered = InvoiceNumber {
                        kind: original.number.kind.rectified_by(true),
                        year: chrono::Datelike::year(&on),
                        sequence: sql::UNNUMBERED,
                    };
                    // Checked before its number is taken.
                    let draft = rectifying(&original, &earlier, &refund, unnumbered, at, on)
                        .map_err(|e| {
                            $crate::StoreError::Corrupt(format!(
                                "rectifying {}: {e}",
                                original.number
                            ))
                        })?;
                    let (id, _) =
                        Self::issue(&mut *conn, order_id, Some(original_id), draft, at).await?;
                    Ok(Some(id))
                }

                /// Numbers `draft` and writes it with its registration record, and
                /// queues the mail that carries it to the customer; its id and the
                /// invoice as issued.
                async fn issue(
                    conn: &mut Connection<$store>,
                    order_id: i64,
                    refers_to: Option<i64>,
                    draft: Invoice,
                    at: DateTime<Utc>,
                ) -> Result<(i64, Invoice)> {
                    let invoice = Self::numbered(&mut *conn, draft).await?;
                    let id = Self::write_invoice(&mut *conn, order_id, refers_to, &invoice).await?;
                    Self::chain_registration(&mut *conn, id, &invoice, at).await?;
                    let (email, order_number): (String, String) =
                        sqlx::query_as(sql::ORDER_CONTACT_SQL)
                            .bind(order_id)
                            .fetch_one(&mut *conn)
                            .await?;
                    let mail = comptoir_invoice_pdf::InvoiceMail::of(&invoice, &order_number);
                    sqlx::query(sql::QUEUE_INVOICE_MAIL_SQL)
                        .bind(email)
                        .bind(mail.subject)
                        .bind(mail.body)
                        .bind(at)
                        .bind(invoice.number.text())
                        .execute(&mut *conn)
                        .await?;
                    Ok((id, invoice))
                }

                /// `draft` with the next number of its series, whose row stays held
                /// until the transaction ends: numbers never skip or repeat.
                async fn numbered(
                    conn: &mut Connection<$store>,
                    draft: Invoice,
                ) -> Result<Invoice> {
                    let sequence: i64 = sqlx::query_scalar(sql::NEXT_NUMBER_SQL)
                        .bind(draft.number.kind.code())
                        .bind(i64::from(draft.number.year))
                        .fetch_one(&mut *conn)
                        .await?;
                    let sequence = u32::try_from(sequence).map_err(|_| {
                        $crate::StoreError::Corrupt("an invoice series is full".into())
                    })?;
                    Ok(Invoice {
                        number: InvoiceNumber {
                            sequence,
                            ..draft.number
                        },
                        ..draft
                    })
                }

                /// The invoice `row` heads, with its lines.
                async fn invoice_with_lines(
                    conn: &mut Connection<$store>,
                    row: sql::InvoiceRow,
                ) -> Result<Invoice> {
                    let lines: Vec<sql::InvoiceLineRow> = sqlx::query_as(sql::INVOICE_LINES_SQL)
                        .bind(row.id)
                        .fetch_all(&mut *conn)
                        .await?;
                    row.into_invoice(lines)
                }

                /// Writes `invoice` and its lines; its id.
                async fn write_invoice(
                    conn: &mut Connection<$store>,
                    order_id: i64,
                    refers_to: Option<i64>,
                    invoice: &Invoice,
                ) -> Result<i64> {
                    let (treatment, destination) = sql::treatment_columns(invoice.treatment);
                    let buyer = invoice.buyer.as_ref();
                    let id: i64 = sqlx::query_scalar(sql::INSERT_INVOICE_SQL)
                        .bind(invoice.number.text())
                        .bind(invoice.number.kind.code())
                        .bind(i64::from(invoice.number.year))
                        .bind(i64::from(invoice.number.sequence))
                        .bind(order_id)
                        .bind(refers_to)
                        .bind(invoice.issued_at)
                        .bind(invoice.issued_on.format("%Y-%m-%d").to_string())
                        .bind(invoice.language.site().as_str())
                        .bind(treatment)
                        .bind(destination)
                        .bind(&invoice.seller.name)
                        .bind(invoice.seller.tax_id.clone().unwrap_or_default())
                        .bind(&invoice.seller.address)
                        .bind(buyer.map(|b| b.name.clone()))
                        .bind(buyer.and_then(|b| b.tax_id.clone()))
                        .bind(buyer.map(|b| b.address.clone()))
                        .bind(invoice.net().cents())
                        .bind(invoice.vat().cents())
                        .bind(invoice.total().cents())
                        .fetch_one(&mut *conn)
                        .await?;
                    for (position, line) in invoice.lines.iter().enumerate() {
                        sqlx::query(sql::INSERT_INVOICE_LINE_SQL)
                            .bind(id)
                            .bind(position as i64)
                            .bind(&line.description)
                            .bind(&line.sku)
                            .bind(line.quantity)
                            .bind(line.unit_price.cents())
                            .bind(line.discount.cents())
                            .bind(line.net.cents())
                            .bind(line.vat.cents())
                            .bind(line.rate.map(|rate| i64::from(rate.basis_points())))
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(id)
                }

                /// Makes `invoice`'s registration record, chained after the
                /// company's last record, made `at` on Spain's clock.
                async fn chain_registration(
                    conn: &mut Connection<$store>,
                    invoice_id: i64,
                    invoice: &Invoice,
                    at: DateTime<Utc>,
                ) -> Result<()> {
                    Self::chain_record(conn, invoice_id, at, |previous, generated_at| {
                        invoice.registration(previous, generated_at, false)
                    })
                    .await
                }

                /// Chains the record `make` gives (from the company's last
                /// footprint and the time to the second on Spain's clock) after the
                /// last one, holding the chain's head until the transaction ends.
                async fn chain_record(
                    conn: &mut Connection<$store>,
                    invoice_id: i64,
                    at: DateTime<Utc>,
                    make: impl FnOnce(Option<Footprint>, DateTime<FixedOffset>) -> Record,
                ) -> Result<()> {
                    let (position, previous): (i64, String) =
                        sqlx::query_as(sql::ADVANCE_CHAIN_SQL)
                            .fetch_one(&mut *conn)
                            .await?;
                    let previous = match previous.as_str() {
                        "" => None,
                        text => Some(Footprint::parse(text).ok_or_else(|| {
                            $crate::StoreError::Corrupt("the chain's last footprint".into())
                        })?),
                    };
                    let local = TimeZone::CentralEuropean.local(at);
                    let record = make(previous, local.with_nanosecond(0).unwrap_or(local));
                    let footprint = record.footprint();
                    let fields = record.fields();
                    let field = |name: &str| {
                        fields
                            .iter()
                            .find(|(n, _)| *n == name)
                            .map(|(_, value)| value.clone())
                    };
                    let correction = matches!(
                        record.kind,
                        RecordKind::Registration {
                            correction: true,
                            ..
                        }
                    );
                    let record_type = match record.kind {
                        RecordKind::Registration { .. } => "alta",
                        RecordKind::Annulment => "anulacion",
                    };
                    sqlx::query(sql::INSERT_RECORD_SQL)
                        .bind(position)
                        .bind(invoice_id)
                        .bind(record_type)
                        .bind(correction)
                        .bind(&record.invoice.issuer)
                        .bind(&record.invoice.number)
                        .bind(date(record.invoice.issued_on))
                        .bind(field("TipoFactura"))
                        .bind(field("CuotaTotal"))
                        .bind(field("ImporteTotal"))
                        .bind(field("Huella").unwrap_or_default())
                        .bind(footprint.as_str())
                        .bind(record.generated_at.to_rfc3339())
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query(sql::SET_CHAIN_FOOTPRINT_SQL)
                        .bind(footprint.as_str())
                        .execute(&mut *conn)
                        .await?;
                    Ok(())
                }

                /// Chains a record of invoice `number` that `make` gives, audited
                /// as `action`; an invoice annulled already takes none.
                async fn record_for_invoice(
                    &self,
                    number: &str,
                    by: &$crate::Actor,
                    action: &str,
                    make: impl FnOnce(&Invoice, Option<Footprint>, DateTime<FixedOffset>) -> Record,
                ) -> Result<$crate::invoicing::InvoiceAction> {
                    use $crate::invoicing::InvoiceAction;
                    let mut tx = self.begin_write().await?;
                    let row: Option<sql::InvoiceRow> = sqlx::query_as(sql::INVOICE_BY_NUMBER_SQL)
                        .bind(number)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some(row) = row else {
                        return Ok(InvoiceAction::NotFound);
                    };
                    let id = row.id;
                    let annulled: Option<i64> = sqlx::query_scalar(sql::ANNULLED_SQL)
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if annulled.is_some() {
                        return Ok(InvoiceAction::Annulled);
                    }
                    let invoice = Self::invoice_with_lines(&mut tx, row).await?;
                    Self::chain_record(&mut tx, id, Utc::now(), |previous, at| {
                        make(&invoice, previous, at)
                    })
                    .await?;
                    Self::audit(&mut tx, by, action, "invoice", number, None, None).await?;
                    tx.commit().await?;
                    Ok(InvoiceAction::Done)
                }
            }

            #[async_trait::async_trait]
            impl $crate::invoicing::InvoiceAdminStore for $store {
                async fn vat_figures(
                    &self,
                    period: comptoir_domain::invoicing::period::Period,
                ) -> Result<Vec<comptoir_domain::invoicing::vat_summary::IssuedFigure>> {
                    let rows: Vec<sql::FigureRow> = sqlx::query_as(sql::VAT_FIGURES_SQL)
                        .bind(period.first.to_string())
                        .bind(period.last.to_string())
                        .fetch_all(self.pool())
                        .await?;
                    rows.into_iter().map(sql::FigureRow::into_figure).collect()
                }

                async fn intra_community_supplies(
                    &self,
                    period: comptoir_domain::invoicing::period::Period,
                ) -> Result<Vec<comptoir_domain::invoicing::recapitulative::SupplyFigure>> {
                    let rows: Vec<sql::SupplyRow> = sqlx::query_as(sql::SUPPLIES_SQL)
                        .bind(period.first.to_string())
                        .bind(period.last.to_string())
                        .fetch_all(self.pool())
                        .await?;
                    rows.into_iter().map(sql::SupplyRow::into_figure).collect()
                }

                async fn invoice_register(
                    &self,
                    period: comptoir_domain::invoicing::period::Period,
                    after_id: i64,
                    limit: u32,
                ) -> Result<Vec<$crate::RegisterLine>> {
                    let rows: Vec<sql::RegisterRow> = sqlx::query_as(sql::REGISTER_SQL)
                        .bind(period.first.to_string())
                        .bind(period.last.to_string())
                        .bind(after_id)
                        .bind(i64::from(limit))
                        .fetch_all(self.pool())
                        .await?;
                    rows.into_iter().map(sql::RegisterRow::into_line).collect()
                }

                async fn invoice_list(
                    &self,
                    limit: u32,
                ) -> Result<Vec<$crate::invoicing::InvoiceListRow>> {
                    Ok(sqlx::query_as(sql::INVOICE_LIST_SQL)
                        .bind(i64::from(limit))
                        .fetch_all(self.pool())
                        .await?)
                }

                async fn annul_invoice(
                    &self,
                    number: &str,
                    by: &$crate::Actor,
                ) -> Result<$crate::invoicing::InvoiceAction> {
                    self.record_for_invoice(number, by, "invoice.annul", |invoice, previous, at| {
                        Record {
                            invoice: invoice.id(),
                            kind: RecordKind::Annulment,
                            previous,
                            generated_at: at,
                        }
                    })
                    .await
                }

                async fn issue_full_invoice(
                    &self,
                    number: &str,
                    buyer: &comptoir_domain::invoicing::Party,
                    by: &$crate::Actor,
                ) -> Result<$crate::invoicing::FullInvoiceOutcome> {
                    use comptoir_domain::invoicing::InvoiceType;
                    use $crate::invoicing::FullInvoiceOutcome;
                    let mut tx = self.begin_write().await?;
                    let row: Option<sql::InvoiceRow> = sqlx::query_as(sql::INVOICE_BY_NUMBER_SQL)
                        .bind(number)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some(row) = row else {
                        return Ok(FullInvoiceOutcome::NotFound);
                    };
                    let original_id = row.id;
                    let simplified = Self::invoice_with_lines(&mut tx, row).await?;
                    if simplified.number.kind != InvoiceType::F2 {
                        return Ok(FullInvoiceOutcome::NotSimplified);
                    }
                    let annulled: Option<i64> = sqlx::query_scalar(sql::ANNULLED_SQL)
                        .bind(original_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if annulled.is_some() {
                        return Ok(FullInvoiceOutcome::Annulled);
                    }
                    let referring: Vec<(String, String)> = sqlx::query_as(sql::REFERRING_SQL)
                        .bind(original_id)
                        .fetch_all(&mut *tx)
                        .await?;
                    if let Some((by_number, kind)) = referring.into_iter().next() {
                        return Ok(if kind == InvoiceType::F3.code() {
                            FullInvoiceOutcome::Replaced(by_number)
                        } else {
                            FullInvoiceOutcome::Rectified
                        });
                    }
                    let order_id: i64 = sqlx::query_scalar(sql::INVOICE_ORDER_SQL)
                        .bind(original_id)
                        .fetch_one(&mut *tx)
                        .await?;
                    let at = Utc::now();
                    let on = TimeZone::CentralEuropean.local(at).date_naive();
                    let unnumbered = InvoiceNumber {
                        kind: InvoiceType::F3,
                        year: chrono::Datelike::year(&on),
                        sequence: sql::UNNUMBERED,
                    };
                    let draft = simplified.replaced_for(buyer.clone(), unnumbered, at, on);
                    let (_, full) =
                        Self::issue(&mut tx, order_id, Some(original_id), draft, at).await?;
                    let issued = full.number.text();
                    Self::audit(
                        &mut tx,
                        by,
                        "invoice.full",
                        "invoice",
                        number,
                        None,
                        Some(issued.clone()),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(FullInvoiceOutcome::Issued(issued))
                }

                async fn register_correction(
                    &self,
                    number: &str,
                    by: &$crate::Actor,
                ) -> Result<$crate::invoicing::InvoiceAction> {
                    self.record_for_invoice(
                        number,
                        by,
                        "invoice.correct",
                        |invoice, previous, at| invoice.registration(previous, at, true),
                    )
                    .await
                }
            }

            #[async_trait::async_trait]
            impl $crate::invoicing::InvoiceStore for $store {
                async fn invoices_of_order(&self, order_id: i64) -> Result<Vec<Invoice>> {
                    let rows: Vec<sql::InvoiceRow> = sqlx::query_as(sql::INVOICES_OF_ORDER_SQL)
                        .bind(order_id)
                        .fetch_all(self.pool())
                        .await?;
                    let mut conn = self.pool().acquire().await?;
                    let mut invoices = Vec::with_capacity(rows.len());
                    for row in rows {
                        invoices.push(Self::invoice_with_lines(&mut conn, row).await?);
                    }
                    Ok(invoices)
                }

                async fn verifactu_records(
                    &self,
                ) -> Result<Vec<comptoir_domain::invoicing::verifactu::Record>> {
                    let rows: Vec<sql::RecordRow> = sqlx::query_as(sql::RECORDS_SQL)
                        .fetch_all(self.pool())
                        .await?;
                    rows.into_iter().map(sql::RecordRow::into_record).collect()
                }

                async fn annulled_invoices_of_order(&self, order_id: i64) -> Result<Vec<String>> {
                    Ok(sqlx::query_scalar(sql::ANNULLED_OF_ORDER_SQL)
                        .bind(order_id)
                        .fetch_all(self.pool())
                        .await?)
                }

                async fn invoice_document(
                    &self,
                    number: &str,
                ) -> Result<Option<$crate::InvoiceDocument>> {
                    let mut conn = self.pool().acquire().await?;
                    let row: Option<sql::InvoiceRow> = sqlx::query_as(sql::INVOICE_BY_NUMBER_SQL)
                        .bind(number)
                        .fetch_optional(&mut *conn)
                        .await?;
                    let Some(row) = row else {
                        return Ok(None);
                    };
                    let (order_id, order_number): (i64, String) =
                        sqlx::query_as(sql::ORDER_OF_INVOICE_SQL)
                            .bind(row.id)
                            .fetch_one(&mut *conn)
                            .await?;
                    let invoice = Self::invoice_with_lines(&mut conn, row).await?;
                    Ok(Some($crate::InvoiceDocument {
                        invoice,
                        order_id,
                        order_number,
                    }))
                }
            }
        };
    };
}
pub(crate) use impl_invoice_store;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issuer_is_the_sample_one_until_the_legal_settings_hold_a_nif() {
        let settings = |name: &str, tax_id: &str| {
            Some((
                name.to_owned(),
                tax_id.to_owned(),
                "Calle Mayor 1".to_owned(),
            ))
        };
        assert_eq!(
            seller(settings("Disfraces SL", "b-1234567-4"))
                .tax_id
                .as_deref(),
            Some("B12345674"),
            "as AEAT writes it"
        );
        for unset in [
            None,
            settings("", "B12345674"),
            settings("Disfraces SL", ""),
            settings("Disfraces SL", "B00000000 (ejemplo)"),
        ] {
            let sample = seller(unset);
            assert_eq!(sample.tax_id.as_deref(), Some(SAMPLE_ISSUER_TAX_ID));
            assert!(sample.name.contains("EJEMPLO"));
        }
    }
}
