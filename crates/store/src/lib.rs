//! Comptoir's store: the one interface the rest of the code uses to reach the system
//! of record, and its two backends.
//!
//! - [`postgres::PgStore`]: PostgreSQL, the production system of record.
//! - [`sqlite::SqliteStore`]: an embedded SQLite file for the zero-setup single node.
//!
//! All SQL lives in this crate, one file (or folder) per feature, each with its
//! types, its SQL and its trait; [`Store`] is the sum of the feature traits, and
//! [`ShopStore`] the part the storefront uses. What differs between the backends is
//! named once, in `dialect.rs`. Both backends pass the same conformance suite
//! (`tests/store_conformance.rs`), so neither drifts from the other.

mod catalogue;
mod catalogue_admin;
mod change_log;
mod content;
mod customers;
mod database_url;
mod dialect;
mod ephemeral;
mod error;
mod flatten;
mod images;
mod imports;
mod invoicing;
mod legacy_orders;
mod newsletter;
mod order_admin;
mod orders;
mod outbox;
mod payments;
pub mod postgres;
mod privacy;
mod promotions;
mod redirects;
mod rows;
pub mod sqlite;
mod staff;
mod verifactu;

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;

pub use catalogue::{CatalogueSnapshot, CatalogueStore};
pub use catalogue_admin::{
    BulkChange, BulkOutcome, CategoryAdminStore, CategoryChoice, CategoryEdit, CategoryOutcome,
    EditOutcome, ImageChange, LOW_STOCK_UNITS, LowStock, NewVariant, ProductAdminStore,
    ProductEdit, ProductFilter, ProductListRow, ProductPage, ProductPartsStore, StockFilter,
    VariantOutcome,
};
pub use change_log::{
    CatalogueChange, ChangeKind, ChangePosition, ModificationTimes, PendingChanges, poll_forever,
};
pub use comptoir_domain::customer::NewCustomer;
pub use comptoir_domain::import::{
    ImportClash, ImportedCustomer, ImportedProduct, ImportedVariant, OldCategoryPath, ProductFile,
};
pub use comptoir_domain::order::{InvoiceDetails, ShippingAddress};
pub use content::{
    ContentAdminStore, ContentBlockEdit, ContentOutcome, ContentPageEdit, ContentPageVersion,
    ContentStore,
};
pub use customers::{Activation, Customer, CustomerStore, SavedAddress};
pub use database_url::DatabaseUrl;
pub use ephemeral::EphemeralStore;
pub use error::StoreError;
pub use images::{ImageStore, Renditions};
pub use imports::{CustomerImport, ImportStore, ProductImportOutcome};
pub use invoicing::{
    FullInvoiceOutcome, InvoiceAction, InvoiceAdminStore, InvoiceDocument, InvoiceListRow,
    InvoiceMoment, InvoiceStore, RegisterLine,
};
pub use legacy_orders::{LegacyOrderImport, LegacyOrderStore};
pub use newsletter::{NewsletterStore, NewsletterSubscriber, SubscriberImport};
pub use order_admin::{
    OrderAdminStore, OrderChange, OrderChangeOutcome, OrderEvent, OrderFilter, OrderListRow,
    OrderPage, OrderRefusal, SiteSales,
};
pub use orders::{
    AcceptedTerms, ConfirmationMail, NewOrder, NewOrderLine, NewOrderPromotion, OrderLineRecord,
    OrderPromotionRecord, OrderRecord, OrderStore, OrderSummary, PlacedOrder,
};
pub use outbox::{OutboxStore, OutgoingMail, QueuedMail};
pub use payments::{GatewayAnswer, OfflineMethod, PaymentAttempt, PaymentStore, Settlement};
pub use privacy::{
    ErasureOutcome, ErasureRequest, ErasureStatus, PrivacyAdminStore, PrivacyStore, masked_email,
};
pub use promotions::{
    PromotionAdminStore, PromotionEdit, PromotionImport, PromotionImportOutcome, PromotionOutcome,
    PromotionStore, PromotionSummary,
};
pub use redirects::{OldUrlTarget, RedirectStore};
pub use staff::{Actor, AuditEntry, AuditFilter, NewStaff, StaffMember, StaffStore};
pub use verifactu::{
    QueuedRecord, RecordAnswer, RecordListRow, RecordState, SubmissionState, VerifactuStore,
};

/// Every store trait, for `use comptoir_store::prelude::*;` where a store's methods
/// are called.
pub mod prelude {
    pub use crate::{
        CatalogueStore, CategoryAdminStore, ContentAdminStore, ContentStore, CustomerStore,
        EphemeralStore, ImageStore, ImportStore, InvoiceAdminStore, InvoiceStore, LegacyOrderStore,
        NewsletterStore, OrderAdminStore, OrderStore, OutboxStore, PaymentStore, ProductAdminStore,
        ProductPartsStore, PromotionAdminStore, PromotionStore, RedirectStore, Schema, ShopStore,
        StaffStore, Store, VerifactuStore,
    };
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Reports how many products a long write has stored so far.
pub type Progress<'a> = &'a (dyn Fn(u64) + Send + Sync);

/// The database itself: which backend, and its schema.
#[async_trait]
pub trait Schema: Send + Sync {
    /// `postgres` or `sqlite`, for logs and error messages.
    fn backend(&self) -> &'static str;

    /// Brings the schema up to date (idempotent).
    async fn migrate(&self) -> Result<()>;

    /// Whether the database answers (for readiness).
    async fn ping(&self) -> Result<()>;

    /// The connection pool as it is now, for the metrics.
    fn pool_status(&self) -> PoolStatus;
}

/// A connection pool's state: connections open, idle among them, and the most it
/// opens (when all are in use, queries wait).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStatus {
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

/// What the storefront may ask of the store: never a staff method.
pub trait ShopStore:
    Schema
    + CatalogueStore
    + OrderStore
    + PaymentStore
    + CustomerStore
    + EphemeralStore
    + OutboxStore
    + RedirectStore
    + ContentStore
    + PrivacyStore
    + LegacyOrderStore
    + NewsletterStore
    + PromotionStore
    + InvoiceStore
    + Send
    + Sync
    + 'static
{
}

impl<T> ShopStore for T where
    T: Schema
        + CatalogueStore
        + OrderStore
        + PaymentStore
        + CustomerStore
        + EphemeralStore
        + OutboxStore
        + RedirectStore
        + ContentStore
        + PrivacyStore
        + LegacyOrderStore
        + NewsletterStore
        + PromotionStore
        + InvoiceStore
        + Send
        + Sync
        + 'static
{
}

/// The system of record, as the back office and the command line see it: the
/// shop's part and the staff's.
pub trait Store:
    ShopStore
    + StaffStore
    + ProductAdminStore
    + ProductPartsStore
    + CategoryAdminStore
    + ContentAdminStore
    + PrivacyAdminStore
    + OrderAdminStore
    + ImportStore
    + ImageStore
    + PromotionAdminStore
    + InvoiceAdminStore
    + VerifactuStore
{
}

impl<T> Store for T where
    T: ShopStore
        + StaffStore
        + ProductAdminStore
        + ProductPartsStore
        + CategoryAdminStore
        + ContentAdminStore
        + PrivacyAdminStore
        + OrderAdminStore
        + ImportStore
        + ImageStore
        + PromotionAdminStore
        + InvoiceAdminStore
        + VerifactuStore
{
}

/// Where the store lives.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// PostgreSQL when set; otherwise the embedded SQLite file in `data_dir`.
    pub database_url: Option<DatabaseUrl>,
    /// Folder of the embedded database (created if missing).
    pub data_dir: PathBuf,
    /// Largest number of pooled connections.
    pub max_connections: u32,
    /// How long to keep trying a database that cannot be reached yet (an
    /// orchestrator starts every service at once) before giving up.
    pub connect_wait: std::time::Duration,
    /// When orders' invoices are issued.
    pub invoice_on: InvoiceMoment,
}

/// Opens the store the configuration names. A database that cannot be reached is
/// tried again every 2 s for `connect_wait`, then the error names it (with its
/// password hidden).
pub async fn open(config: &StoreConfig) -> Result<Arc<dyn Store>> {
    Ok(match &config.database_url {
        Some(url) => Arc::new(
            connect_waiting(url, config)
                .await?
                .invoicing_on(config.invoice_on),
        ),
        None => Arc::new(
            sqlite::SqliteStore::open(
                &config.data_dir.join("comptoir.sqlite"),
                config.max_connections,
            )
            .await?
            .invoicing_on(config.invoice_on),
        ),
    })
}

async fn connect_waiting(url: &DatabaseUrl, config: &StoreConfig) -> Result<postgres::PgStore> {
    let deadline = std::time::Instant::now() + config.connect_wait;
    loop {
        match postgres::PgStore::connect(url, config.max_connections).await {
            Err(error) if std::time::Instant::now() < deadline => {
                tracing::warn!(%error, "waiting for the database");
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            }
            outcome => return outcome,
        }
    }
}
