//! Comptoir's store: the one interface the rest of the code uses to reach the system
//! of record, and its two backends.
//!
//! - [`postgres::PgStore`]: PostgreSQL, the production system of record.
//! - [`sqlite::SqliteStore`]: an embedded SQLite file for the zero-setup single node.
//!
//! All SQL lives in this crate. Both backends pass the same conformance suite
//! (`tests/store_conformance.rs`), so neither drifts from the other.

mod backoffice;
mod category_admin;
mod change_log;
mod customers;
mod database_url;
mod ephemeral;
mod error;
mod flatten;
mod order_admin;
mod orders;
mod outbox;
mod payments;
pub mod postgres;
mod product_admin;
mod product_import;
mod rows;
mod same_sql;
pub mod sqlite;

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use comptoir_domain::{Catalogue, Money, Product, ProductId, SiteCode, Sku};

pub use backoffice::{
    Actor, AuditEntry, AuditFilter, BackofficeStore, LowStock, NewStaff, SiteSales, StaffMember,
};
pub use category_admin::{CategoryEdit, CategoryOutcome};
pub use change_log::{CatalogChange, ChangeKind, ChangePosition, PendingChanges, poll_forever};
pub use customers::{
    Activation, Customer, CustomerImport, ImportedCustomer, NewCustomer, OrderLineRecord,
    OrderRecord, OrderSummary, SavedAddress,
};
pub use database_url::DatabaseUrl;
pub use error::StoreError;
pub use order_admin::{
    OrderChange, OrderChangeOutcome, OrderEvent, OrderFilter, OrderListRow, OrderPage,
};
pub use orders::{ConfirmationMail, NewOrder, NewOrderLine, PlacedOrder, ShippingAddress};
pub use outbox::{OutgoingMail, QueuedMail};
pub use payments::{GatewayAnswer, OfflineMethod, PaymentAttempt, PaymentStore, Settlement};
pub use product_admin::{
    BulkChange, BulkOutcome, CategoryChoice, EditOutcome, ImageChange, LOW_STOCK_UNITS, NewVariant,
    ProductEdit, ProductFilter, ProductListRow, ProductPage, StockFilter, VariantOutcome,
};
pub use product_import::{
    ImportedProduct, ImportedVariant, OldCategoryPath, OldUrlTarget, ProductFile,
    ProductImportOutcome,
};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A catalogue as loaded, and the change-log position it reflects: a reader applies
/// the changes after `position` to keep it current.
#[derive(Debug, Clone)]
pub struct CatalogueSnapshot {
    pub catalogue: Catalogue,
    pub position: ChangePosition,
}

/// Reports how many products a long write has stored so far.
pub type Progress<'a> = &'a (dyn Fn(u64) + Send + Sync);

/// The system of record, as every part of Comptoir sees it.
#[async_trait]
pub trait Store: BackofficeStore + PaymentStore + Send + Sync + 'static {
    /// `postgres` or `sqlite`, for logs and error messages.
    fn backend(&self) -> &'static str;

    /// Notified when a change other than stock is appended to the change log, so
    /// followers can catch up before their next poll; `None` when the backend cannot
    /// tell (they poll alone). A lost wake-up only delays: the log stays the truth.
    fn change_wakeups(&self) -> Option<std::sync::Arc<tokio::sync::Notify>> {
        None
    }

    /// Brings the schema up to date (idempotent).
    async fn migrate(&self) -> Result<()>;

    /// Whether the catalogue has no product at all (a fresh database).
    async fn catalogue_is_empty(&self) -> Result<bool>;

    /// Replaces the whole catalogue in one transaction (the demo seed): readers see
    /// the old catalogue or the new one, never a mix, and a `reset` change. Orders go
    /// with the catalogue they refer to: this is for demo databases.
    async fn replace_catalogue(&self, catalogue: &Catalogue, progress: Progress<'_>) -> Result<()>;

    /// The whole catalogue and the change-log position it reflects, read from one
    /// consistent snapshot.
    async fn load_catalogue(&self) -> Result<CatalogueSnapshot>;

    /// The given products as they are now; ids that no longer exist are left out.
    async fn load_products(&self, ids: &[ProductId]) -> Result<Vec<Product>>;

    /// Up to `limit` changes after `position`, oldest first.
    async fn changes_after(
        &self,
        position: ChangePosition,
        limit: u32,
    ) -> Result<Vec<CatalogChange>>;

    /// Sets a product's regular shelf price (VAT included) on a site.
    async fn set_price(&self, product: &Sku, site: SiteCode, price: Money) -> Result<()>;

    /// Sets the stock on hand of a variant (a count from the warehouse).
    async fn set_stock(&self, variant: &Sku, quantity: i32) -> Result<()>;

    /// Places an order in one transaction: the attempt's idempotency key claimed,
    /// each line's stock decremented only if enough is left, lines and totals
    /// written, stock changes logged. Not enough stock for a line: nothing is
    /// written ([`StoreError::OutOfStock`]). The same attempt placed again, even
    /// concurrently, returns the first order. The mail `confirmation` gives for the
    /// order's number, if any, is queued in the same transaction.
    async fn place_order(
        &self,
        order: &NewOrder,
        confirmation: ConfirmationMail<'_>,
    ) -> Result<PlacedOrder>;

    /// A short-lived value (a session, a cart) unless it has expired by `now`.
    async fn ephemeral_get(&self, key: &str, now: DateTime<Utc>) -> Result<Option<Vec<u8>>>;

    /// Stores a short-lived value until `expires_at`, replacing any under that key.
    async fn ephemeral_put(&self, key: &str, value: &[u8], expires_at: DateTime<Utc>)
    -> Result<()>;

    /// Stores a short-lived value under a key holding none (or only an expired one by
    /// `now`); `false` if the key is taken.
    async fn ephemeral_put_new(
        &self,
        key: &str,
        value: &[u8],
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool>;

    async fn ephemeral_delete(&self, key: &str) -> Result<()>;

    /// Deletes the values expired by `now`; how many.
    async fn ephemeral_purge(&self, now: DateTime<Utc>) -> Result<u64>;

    /// The secret kept under `name` for this installation: `candidate` if none was
    /// kept yet (the first replica to ask stores it; every other one reads it).
    async fn installation_secret(&self, name: &str, candidate: &str) -> Result<String>;

    /// Creates an account; `None` when the e-mail address already has one.
    async fn create_customer(&self, customer: &NewCustomer) -> Result<Option<i64>>;

    /// Registers an account for its owner to activate, in one transaction with the
    /// mail `activation` says to send: the link for a new account (or for one still
    /// waiting), or the warning for an active one.
    async fn register_customer(
        &self,
        customer: &NewCustomer,
        activation: &Activation<'_>,
    ) -> Result<()>;

    /// Uses an activation link once; the customer it activated, or `None` if the
    /// token is unknown, used or expired.
    async fn activate_customer(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<i64>>;

    /// The account of a (lower-cased) e-mail address.
    async fn customer_by_email(&self, email: &str) -> Result<Option<Customer>>;

    async fn customer(&self, id: i64) -> Result<Option<Customer>>;

    /// Replaces a customer's password hash (a rehash at login, a new password).
    async fn set_password_hash(&self, customer_id: i64, hash: &str) -> Result<()>;

    /// Adds an address to a customer's address book unless it holds `most` already;
    /// its id, or `None` when the book is full.
    async fn add_address(
        &self,
        customer_id: i64,
        address: &ShippingAddress,
        most: u32,
    ) -> Result<Option<i64>>;

    async fn addresses(&self, customer_id: i64) -> Result<Vec<SavedAddress>>;

    /// Deletes one of the customer's addresses; `false` if it is not theirs.
    async fn delete_address(&self, customer_id: i64, address_id: i64) -> Result<bool>;

    /// Stores a password reset token (its hash) valid until `expires_at`, and queues
    /// the mail that carries it, in one transaction.
    async fn create_password_reset(
        &self,
        customer_id: i64,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        mail: &OutgoingMail,
    ) -> Result<()>;

    /// Uses a reset token once, setting the customer's new password hash and ending
    /// every other outstanding token; the customer, or `None` if the token is
    /// unknown, used or expired.
    async fn reset_password(
        &self,
        token_hash: &str,
        new_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>>;

    /// Counts one more event under `key` in the window ending at `window_ends` (a
    /// new window if the last one ended by `now`); the count so far in the window.
    async fn count_in_window(
        &self,
        key: &str,
        window_ends: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<u64>;

    /// An order with its lines, as placed.
    async fn order(&self, id: i64) -> Result<Option<OrderRecord>>;

    async fn order_id_by_number(&self, number: &str) -> Result<Option<i64>>;

    /// The order a checkout attempt placed, if it placed one.
    async fn order_id_by_idempotency_key(&self, key: &str) -> Result<Option<i64>>;

    /// A customer's latest orders, newest first.
    async fn customer_orders(&self, customer_id: i64, limit: u32) -> Result<Vec<OrderSummary>>;

    /// Queues a mail; its id.
    async fn enqueue_mail(&self, mail: &OutgoingMail) -> Result<i64>;

    /// Takes up to `limit` mails due at `now` for this worker: no other worker gets
    /// them until they are marked, or the claim runs out.
    async fn claim_due_mails(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<QueuedMail>>;

    async fn mail_sent(&self, id: i64, at: DateTime<Utc>) -> Result<()>;

    /// Records a failed try; the mail is tried again from `retry_at`.
    async fn mail_failed(&self, id: i64, error: &str, retry_at: DateTime<Utc>) -> Result<()>;
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
}

/// Opens the store the configuration names. Fails fast, naming the database (with
/// its password hidden) when it cannot be reached.
pub async fn open(config: &StoreConfig) -> Result<Arc<dyn Store>> {
    Ok(match &config.database_url {
        Some(url) => Arc::new(postgres::PgStore::connect(url, config.max_connections).await?),
        None => Arc::new(
            sqlite::SqliteStore::open(
                &config.data_dir.join("comptoir.sqlite"),
                config.max_connections,
            )
            .await?,
        ),
    })
}
