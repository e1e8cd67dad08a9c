//! Customer accounts, their addresses and password resets, and orders as customers
//! read them back. The SQL is the same for both backends.

use chrono::{DateTime, Utc};

use crate::{OutgoingMail, ShippingAddress};

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Customer {
    pub id: i64,
    /// Lower-cased (see `comptoir_domain::Email`).
    pub email: String,
    pub name: String,
    /// argon2id PHC string, or a legacy Magento hash until the next login.
    pub password_hash: String,
    /// Whether its owner has followed the activation link (or reset the password,
    /// which proves the mailbox too). Imported accounts are active.
    pub activated: bool,
}

/// An account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomer {
    pub email: String,
    pub name: String,
    pub password_hash: String,
}

/// A customer brought from another shop (Magento), with their address book and
/// their old password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedCustomer {
    pub customer: NewCustomer,
    pub addresses: Vec<ShippingAddress>,
}

/// What a customer import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerImport {
    pub created: usize,
    /// Left as they are: an account with that e-mail address was there already.
    pub already_there: usize,
}

/// What a registration sends: a link to activate a new account (or, for an
/// address whose account still waits, a new link), or a warning to the owner of an
/// active account. Which one is never told to the one registering.
#[derive(Debug, Clone, Copy)]
pub struct Activation<'a> {
    /// SHA-256 of the link's token: the token itself is only in the mail.
    pub token_hash: &'a str,
    pub expires_at: DateTime<Utc>,
    /// The mail carrying the link.
    pub link_mail: &'a OutgoingMail,
    /// The mail telling an account's owner that someone tried to register with it.
    pub already_registered_mail: &'a OutgoingMail,
}

/// An address in a customer's address book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedAddress {
    pub id: i64,
    pub address: ShippingAddress,
}

/// An order as its shopper sees it afterwards: the snapshot taken at placement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRecord {
    pub id: i64,
    pub number: String,
    /// `es`, `fr`, `pt` or `it`.
    pub site: String,
    pub customer_id: Option<i64>,
    pub email: String,
    pub ship_to: ShippingAddress,
    pub shipping_method: String,
    pub payment_method: String,
    pub payment_status: String,
    pub fulfilment_status: String,
    pub items_cents: i64,
    pub discount_cents: i64,
    pub shipping_cents: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
    /// Given back so far (refunds recorded by staff).
    pub refunded_cents: i64,
    /// Card payments received when the order could no longer take them: to give
    /// back.
    pub refund_due_cents: i64,
    pub outside_eu_vat: bool,
    pub placed_at: DateTime<Utc>,
    pub lines: Vec<OrderLineRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderLineRecord {
    pub sku: String,
    pub name: String,
    pub unit_cents: i64,
    pub quantity: i64,
    pub gross_cents: i64,
    pub discount_cents: i64,
    pub net_cents: i64,
    pub vat_cents: i64,
    pub vat_rate_bp: i64,
}

/// A line of a customer's order history.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderSummary {
    pub id: i64,
    pub number: String,
    pub site: String,
    pub payment_status: String,
    pub fulfilment_status: String,
    pub total_cents: i64,
    pub placed_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct OrderRow {
    id: i64,
    number: String,
    site: String,
    customer_id: Option<i64>,
    email: String,
    ship_name: String,
    ship_street: String,
    ship_postcode: String,
    ship_city: String,
    ship_country: String,
    shipping_method: String,
    payment_method: String,
    payment_status: String,
    fulfilment_status: String,
    items_cents: i64,
    discount_cents: i64,
    shipping_cents: i64,
    vat_cents: i64,
    total_cents: i64,
    refunded_cents: i64,
    refund_due_cents: i64,
    outside_eu_vat: bool,
    placed_at: DateTime<Utc>,
}

impl OrderRow {
    pub(crate) fn id(&self) -> i64 {
        self.id
    }

    pub(crate) fn with_lines(self, lines: Vec<OrderLineRecord>) -> OrderRecord {
        OrderRecord {
            id: self.id,
            number: self.number,
            site: self.site,
            customer_id: self.customer_id,
            email: self.email,
            ship_to: ShippingAddress {
                name: self.ship_name,
                street: self.ship_street,
                postcode: self.ship_postcode,
                city: self.ship_city,
                country: self.ship_country,
            },
            shipping_method: self.shipping_method,
            payment_method: self.payment_method,
            payment_status: self.payment_status,
            fulfilment_status: self.fulfilment_status,
            items_cents: self.items_cents,
            discount_cents: self.discount_cents,
            shipping_cents: self.shipping_cents,
            vat_cents: self.vat_cents,
            total_cents: self.total_cents,
            refunded_cents: self.refunded_cents,
            refund_due_cents: self.refund_due_cents,
            outside_eu_vat: self.outside_eu_vat,
            placed_at: self.placed_at,
            lines,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AddressRow {
    id: i64,
    name: String,
    street: String,
    postcode: String,
    city: String,
    country: String,
}

impl From<AddressRow> for SavedAddress {
    fn from(row: AddressRow) -> SavedAddress {
        SavedAddress {
            id: row.id,
            address: ShippingAddress {
                name: row.name,
                street: row.street,
                postcode: row.postcode,
                city: row.city,
                country: row.country,
            },
        }
    }
}

/// An active account (created by staff or imported).
pub(crate) const INSERT_CUSTOMER_SQL: &str = "INSERT INTO customers (email, name, password_hash, created_at, activated_at) \
     VALUES ($1, $2, $3, $4, $4) ON CONFLICT (email) DO NOTHING RETURNING id";
/// An account registered by its owner, waiting for activation.
pub(crate) const REGISTER_CUSTOMER_SQL: &str = "INSERT INTO customers (email, name, password_hash, created_at) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO NOTHING RETURNING id";
pub(crate) const CUSTOMER_BY_EMAIL_SQL: &str = "SELECT id, email, name, password_hash, \
     activated_at IS NOT NULL AS activated FROM customers WHERE email = $1";
pub(crate) const CUSTOMER_SQL: &str = "SELECT id, email, name, password_hash, \
     activated_at IS NOT NULL AS activated FROM customers WHERE id = $1";
pub(crate) const INSERT_ACTIVATION_SQL: &str =
    "INSERT INTO account_activations (token_hash, customer_id, expires_at) VALUES ($1, $2, $3)";
/// Takes an activation token once: a used or expired token matches nothing.
pub(crate) const USE_ACTIVATION_SQL: &str = "UPDATE account_activations SET used_at = $2 \
     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING customer_id";
pub(crate) const ACTIVATE_SQL: &str =
    "UPDATE customers SET activated_at = $2 WHERE id = $1 AND activated_at IS NULL";
pub(crate) const END_RESETS_SQL: &str =
    "UPDATE password_resets SET used_at = $2 WHERE customer_id = $1 AND used_at IS NULL";
pub(crate) const SET_PASSWORD_SQL: &str = "UPDATE customers SET password_hash = $2 WHERE id = $1";
/// Adds an address unless the book holds `$8` already.
pub(crate) const ADD_ADDRESS_SQL: &str = "INSERT INTO customer_addresses \
     (customer_id, name, street, postcode, city, country, created_at) \
     SELECT $1, $2, $3, $4, $5, $6, $7 \
     WHERE (SELECT COUNT(*) FROM customer_addresses WHERE customer_id = $1) < $8 RETURNING id";
pub(crate) const ADDRESSES_SQL: &str = "SELECT id, name, street, postcode, city, country \
     FROM customer_addresses WHERE customer_id = $1 ORDER BY id";
pub(crate) const DELETE_ADDRESS_SQL: &str =
    "DELETE FROM customer_addresses WHERE id = $1 AND customer_id = $2";
pub(crate) const INSERT_RESET_SQL: &str =
    "INSERT INTO password_resets (token_hash, customer_id, expires_at) VALUES ($1, $2, $3)";
/// Takes a reset token once: a used or expired token matches nothing.
pub(crate) const USE_RESET_SQL: &str = "UPDATE password_resets SET used_at = $2 \
     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING customer_id";
/// One count per key and window: a key whose window has ended starts again at 1.
pub(crate) const COUNT_SQL: &str = "INSERT INTO counters (key, count, expires_at) VALUES ($1, 1, $2) \
     ON CONFLICT (key) DO UPDATE SET \
     count = CASE WHEN counters.expires_at <= $3 THEN 1 ELSE counters.count + 1 END, \
     expires_at = CASE WHEN counters.expires_at <= $3 THEN excluded.expires_at ELSE counters.expires_at END \
     RETURNING count";
/// An order's columns as [`OrderRow`] reads them.
macro_rules! select_orders {
    () => {
        "SELECT id, number, site, customer_id, email, ship_name, \
         ship_street, ship_postcode, ship_city, ship_country, shipping_method, payment_method, \
         payment_status, fulfilment_status, items_cents, discount_cents, shipping_cents, vat_cents, \
         total_cents, refunded_cents, refund_due_cents, outside_eu_vat, placed_at FROM orders"
    };
}
/// An order line's columns as [`OrderLineRecord`] (and [`OrderLineOf`]) read them.
macro_rules! select_order_lines {
    () => {
        "SELECT order_id, sku, name, unit_cents, CAST(quantity AS BIGINT) AS quantity, \
         gross_cents, discount_cents, net_cents, vat_cents, \
         CAST(vat_rate_bp AS BIGINT) AS vat_rate_bp FROM order_lines"
    };
}
pub(crate) const ORDER_SQL: &str = concat!(select_orders!(), " WHERE id = $1");
pub(crate) const ORDER_LINES_SQL: &str = concat!(
    select_order_lines!(),
    " WHERE order_id = $1 ORDER BY position"
);
/// Followed by a list of ids, then `)`.
pub(crate) const ORDERS_IN: &str = concat!(select_orders!(), " WHERE id IN (");
pub(crate) const ORDER_LINES_IN: &str = concat!(select_order_lines!(), " WHERE order_id IN (");

/// An order line with the order it belongs to, for reading many orders at once.
#[derive(sqlx::FromRow)]
pub(crate) struct OrderLineOf {
    pub(crate) order_id: i64,
    #[sqlx(flatten)]
    pub(crate) line: OrderLineRecord,
}
pub(crate) const ORDER_ID_BY_NUMBER_SQL: &str = "SELECT id FROM orders WHERE number = $1";
pub(crate) const CUSTOMER_ORDERS_SQL: &str = "SELECT id, number, site, payment_status, \
     fulfilment_status, total_cents, placed_at FROM orders WHERE customer_id = $1 \
     ORDER BY placed_at DESC, id DESC LIMIT $2";
