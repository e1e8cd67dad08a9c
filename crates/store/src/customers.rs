//! Customer accounts: registration and activation, passwords and their reset
//! links, address books.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use comptoir_domain::Locale;
use comptoir_domain::customer::{AddressDetails, CustomerDetails};

use crate::{NewCustomer, OutgoingMail, Result, ShippingAddress};

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
    /// Company, region and phone, as an old shop's address book had them.
    pub details: AddressDetails,
}

/// Customer accounts, as the shop and its workers see them.
#[async_trait]
pub trait CustomerStore: Send + Sync {
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

    /// What an old shop's account held besides the name and e-mail address.
    async fn customer_details(&self, customer_id: i64) -> Result<CustomerDetails>;

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
}

#[derive(sqlx::FromRow)]
pub(crate) struct AddressRow {
    id: i64,
    name: String,
    street: String,
    postcode: String,
    city: String,
    country: String,
    company: String,
    region: String,
    phone: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct DetailsRow {
    phone: String,
    company: String,
    tax_id: String,
    birth_date: Option<chrono::NaiveDate>,
    gender: Option<String>,
    customer_group: String,
    locale: Option<String>,
}

impl DetailsRow {
    pub(crate) fn into_details(self) -> Result<CustomerDetails> {
        let gender = match self.gender.as_deref() {
            None => None,
            Some(code) => Some(
                CUSTOMER_GENDERS
                    .into_iter()
                    .find(|known| *known == code)
                    .ok_or_else(|| {
                        crate::StoreError::Corrupt(format!("customer gender '{code}'"))
                    })?,
            ),
        };
        let locale =
            match self.locale.as_deref() {
                None => None,
                Some(code) => Some(Locale::parse(code).ok_or_else(|| {
                    crate::StoreError::Corrupt(format!("customer locale '{code}'"))
                })?),
            };
        Ok(CustomerDetails {
            phone: self.phone,
            company: self.company,
            tax_id: self.tax_id,
            birth_date: self.birth_date,
            gender,
            group: self.customer_group,
            locale,
        })
    }
}

/// The genders a customer's account may record (the database's check).
pub const CUSTOMER_GENDERS: [&str; 3] = ["female", "male", "other"];

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
            details: AddressDetails {
                company: row.company,
                region: row.region,
                phone: row.phone,
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
pub(crate) const ADDRESSES_SQL: &str = "SELECT id, name, street, postcode, city, country, \
     company, region, phone FROM customer_addresses WHERE customer_id = $1 ORDER BY id";
pub(crate) const DETAILS_SQL: &str = "SELECT phone, company, tax_id, birth_date, gender, \
     customer_group, locale FROM customers WHERE id = $1";
/// What an import brings besides the account itself.
pub(crate) const SET_DETAILS_SQL: &str = "UPDATE customers SET phone = $2, company = $3, \
     tax_id = $4, birth_date = $5, gender = $6, customer_group = $7, locale = $8 WHERE id = $1";
pub(crate) const SET_ADDRESS_DETAILS_SQL: &str =
    "UPDATE customer_addresses SET company = $2, region = $3, phone = $4 WHERE id = $1";
pub(crate) const DELETE_ADDRESS_SQL: &str =
    "DELETE FROM customer_addresses WHERE id = $1 AND customer_id = $2";
pub(crate) const INSERT_RESET_SQL: &str =
    "INSERT INTO password_resets (token_hash, customer_id, expires_at) VALUES ($1, $2, $3)";
/// Takes a reset token once: a used or expired token matches nothing.
pub(crate) const USE_RESET_SQL: &str = "UPDATE password_resets SET used_at = $2 \
     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING customer_id";

/// Writes `impl CustomerStore for $store`, a backend's store type.
macro_rules! impl_customer_store {
    ($store:ty) => {
        const _: () = {
            use chrono::{DateTime, Utc};

            use $crate::customers::{
                self as sql, Activation, AddressRow, Customer, CustomerStore, SavedAddress,
            };
            use $crate::dialect::Dialect;
            use $crate::{NewCustomer, OutgoingMail, Result, ShippingAddress};

            #[async_trait::async_trait]
            impl CustomerStore for $store {
                async fn create_customer(&self, customer: &NewCustomer) -> Result<Option<i64>> {
                    let insert = sqlx::query_scalar(sql::INSERT_CUSTOMER_SQL)
                        .bind(&customer.email)
                        .bind(&customer.name)
                        .bind(&customer.password_hash)
                        .bind(Utc::now());
                    Ok(insert.fetch_optional(self.pool()).await?)
                }

                async fn register_customer(
                    &self,
                    customer: &NewCustomer,
                    activation: &Activation<'_>,
                ) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    let created: Option<i64> = sqlx::query_scalar(sql::REGISTER_CUSTOMER_SQL)
                        .bind(&customer.email)
                        .bind(&customer.name)
                        .bind(&customer.password_hash)
                        .bind(Utc::now())
                        .fetch_optional(&mut *tx)
                        .await?;
                    let waiting = match created {
                        Some(id) => Some(id),
                        None => {
                            let existing: Customer = sqlx::query_as(sql::CUSTOMER_BY_EMAIL_SQL)
                                .bind(&customer.email)
                                .fetch_one(&mut *tx)
                                .await?;
                            // An account waiting for activation gets a new link (its
                            // password stays the one first chosen); an active one, a
                            // warning.
                            (!existing.activated).then_some(existing.id)
                        }
                    };
                    match waiting {
                        Some(id) => {
                            sqlx::query(sql::INSERT_ACTIVATION_SQL)
                                .bind(activation.token_hash)
                                .bind(id)
                                .bind(activation.expires_at)
                                .execute(&mut *tx)
                                .await?;
                            Self::enqueue(&mut tx, activation.link_mail).await?;
                        }
                        None => {
                            Self::enqueue(&mut tx, activation.already_registered_mail).await?;
                        }
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn activate_customer(
                    &self,
                    token_hash: &str,
                    now: DateTime<Utc>,
                ) -> Result<Option<i64>> {
                    let mut tx = self.begin_write().await?;
                    let customer: Option<i64> = sqlx::query_scalar(sql::USE_ACTIVATION_SQL)
                        .bind(token_hash)
                        .bind(now)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if let Some(id) = customer {
                        sqlx::query(sql::ACTIVATE_SQL)
                            .bind(id)
                            .bind(now)
                            .execute(&mut *tx)
                            .await?;
                    }
                    tx.commit().await?;
                    Ok(customer)
                }

                async fn customer_by_email(&self, email: &str) -> Result<Option<Customer>> {
                    let query = sqlx::query_as(sql::CUSTOMER_BY_EMAIL_SQL).bind(email);
                    Ok(query.fetch_optional(self.pool()).await?)
                }

                async fn customer(&self, id: i64) -> Result<Option<Customer>> {
                    let query = sqlx::query_as(sql::CUSTOMER_SQL).bind(id);
                    Ok(query.fetch_optional(self.pool()).await?)
                }

                async fn set_password_hash(&self, customer_id: i64, hash: &str) -> Result<()> {
                    sqlx::query(sql::SET_PASSWORD_SQL)
                        .bind(customer_id)
                        .bind(hash)
                        .execute(self.pool())
                        .await?;
                    Ok(())
                }

                async fn add_address(
                    &self,
                    customer_id: i64,
                    address: &ShippingAddress,
                    most: u32,
                ) -> Result<Option<i64>> {
                    let insert = sqlx::query_scalar(sql::ADD_ADDRESS_SQL)
                        .bind(customer_id)
                        .bind(&address.name)
                        .bind(&address.street)
                        .bind(&address.postcode)
                        .bind(&address.city)
                        .bind(&address.country)
                        .bind(Utc::now())
                        .bind(i64::from(most));
                    Ok(insert.fetch_optional(self.pool()).await?)
                }

                async fn addresses(&self, customer_id: i64) -> Result<Vec<SavedAddress>> {
                    let rows: Vec<AddressRow> = sqlx::query_as(sql::ADDRESSES_SQL)
                        .bind(customer_id)
                        .fetch_all(self.pool())
                        .await?;
                    Ok(rows.into_iter().map(SavedAddress::from).collect())
                }

                async fn customer_details(
                    &self,
                    customer_id: i64,
                ) -> Result<comptoir_domain::customer::CustomerDetails> {
                    let row: Option<sql::DetailsRow> = sqlx::query_as(sql::DETAILS_SQL)
                        .bind(customer_id)
                        .fetch_optional(self.pool())
                        .await?;
                    row.map_or_else(|| Ok(Default::default()), sql::DetailsRow::into_details)
                }

                async fn delete_address(&self, customer_id: i64, address_id: i64) -> Result<bool> {
                    let deleted = sqlx::query(sql::DELETE_ADDRESS_SQL)
                        .bind(address_id)
                        .bind(customer_id)
                        .execute(self.pool())
                        .await?;
                    Ok(deleted.rows_affected() > 0)
                }

                async fn create_password_reset(
                    &self,
                    customer_id: i64,
                    token_hash: &str,
                    expires_at: DateTime<Utc>,
                    mail: &OutgoingMail,
                ) -> Result<()> {
                    let mut tx = self.begin_write().await?;
                    sqlx::query(sql::INSERT_RESET_SQL)
                        .bind(token_hash)
                        .bind(customer_id)
                        .bind(expires_at)
                        .execute(&mut *tx)
                        .await?;
                    Self::enqueue(&mut tx, mail).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn reset_password(
                    &self,
                    token_hash: &str,
                    new_hash: &str,
                    now: DateTime<Utc>,
                ) -> Result<Option<i64>> {
                    let mut tx = self.begin_write().await?;
                    let customer: Option<i64> = sqlx::query_scalar(sql::USE_RESET_SQL)
                        .bind(token_hash)
                        .bind(now)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if let Some(id) = customer {
                        sqlx::query(sql::SET_PASSWORD_SQL)
                            .bind(id)
                            .bind(new_hash)
                            .execute(&mut *tx)
                            .await?;
                        // A new password ends every link sent before it.
                        sqlx::query(sql::END_RESETS_SQL)
                            .bind(id)
                            .bind(now)
                            .execute(&mut *tx)
                            .await?;
                        // The link came to the account's mailbox: the account is its
                        // owner's.
                        sqlx::query(sql::ACTIVATE_SQL)
                            .bind(id)
                            .bind(now)
                            .execute(&mut *tx)
                            .await?;
                    }
                    tx.commit().await?;
                    Ok(customer)
                }
            }
        };
    };
}
pub(crate) use impl_customer_store;
