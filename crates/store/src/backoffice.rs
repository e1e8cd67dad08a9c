//! What only the back office asks of the store: staff accounts, the audit log of
//! their changes, and the dashboard's figures.
//!
//! Every change a staff member makes is written with its audit entry in one
//! transaction: a change without its entry cannot happen. The SQL is the same for
//! both backends, so [`impl_backoffice_store!`] writes the implementation once.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use comptoir_domain::staff::Role;
use comptoir_domain::{Category, CategoryId, Product, ProductId, SiteCode};
use serde::Serialize;

use crate::category_admin::{CategoryEdit, CategoryOutcome};
use crate::order_admin::{OrderChange, OrderChangeOutcome, OrderEvent, OrderFilter, OrderPage};
use crate::product_admin::{
    BulkChange, BulkOutcome, CategoryChoice, EditOutcome, ImageChange, NewVariant, ProductEdit,
    ProductFilter, ProductPage, VariantOutcome,
};
use crate::{
    CustomerImport, ImportedCustomer, OldUrlTarget, OutgoingMail, ProductFile,
    ProductImportOutcome, Progress, Result,
};

/// A staff account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: i64,
    /// Lower-cased.
    pub email: String,
    pub name: String,
    pub role: Role,
    /// argon2id PHC string.
    pub password_hash: String,
    /// A disabled account cannot log in; it stays for the audit log.
    pub active: bool,
}

/// An account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaff {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
}

/// Who makes a change: a staff member, or someone at the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub staff_id: Option<i64>,
    /// The staff member's e-mail address, or `command line`.
    pub name: String,
}

impl Actor {
    pub fn command_line() -> Actor {
        Actor {
            staff_id: None,
            name: "command line".to_owned(),
        }
    }

    pub fn staff(member: &StaffMember) -> Actor {
        Actor {
            staff_id: Some(member.id),
            name: member.email.clone(),
        }
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub staff_id: Option<i64>,
    pub actor: String,
    /// What was done, such as `staff.create` or `product.price`.
    pub action: String,
    /// The kind of thing changed (`staff`, `product`, `order`...).
    pub entity: String,
    pub entity_id: String,
    /// The changed values before and after, as JSON objects.
    #[sqlx(rename = "old_values")]
    pub before: Option<String>,
    #[sqlx(rename = "new_values")]
    pub after: Option<String>,
}

/// Which audit entries to list; `None` matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub staff_id: Option<i64>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// Actions starting with this (`staff.` for every staff change).
    pub action_prefix: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// A site's orders over a period, for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SiteSales {
    /// `es`, `fr`, `pt` or `it`.
    pub site: String,
    /// Orders placed and not cancelled.
    pub orders: i64,
    /// Their grand totals, in the site's currency's cents.
    pub revenue_cents: i64,
    /// Those of them paid already.
    pub paid: i64,
}

/// A variant of an enabled product running out, for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LowStock {
    pub product_id: i64,
    /// The product's name in Spanish (the back office's catalogue language).
    pub name: String,
    pub sku: String,
    pub size: Option<String>,
    pub stock: i64,
}

/// What the audit log keeps of a staff account: never its password hash.
#[derive(Serialize)]
pub(crate) struct AuditedStaff<'a> {
    email: &'a str,
    name: &'a str,
    role: &'static str,
    active: bool,
}

impl<'a> AuditedStaff<'a> {
    pub(crate) fn of(email: &'a str, name: &'a str, role: Role, active: bool) -> String {
        serde_json::to_string(&AuditedStaff {
            email,
            name,
            role: role.code(),
            active,
        })
        .expect("a staff record serialises")
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct StaffRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    password_hash: String,
    active: bool,
}

impl TryFrom<StaffRow> for StaffMember {
    type Error = crate::StoreError;

    fn try_from(row: StaffRow) -> Result<StaffMember> {
        Ok(StaffMember {
            role: Role::parse(&row.role).map_err(|e| crate::StoreError::Corrupt(e.to_string()))?,
            id: row.id,
            email: row.email,
            name: row.name,
            password_hash: row.password_hash,
            active: row.active,
        })
    }
}

/// The back office's side of the store.
#[async_trait]
pub trait BackofficeStore: Send + Sync {
    /// Creates an account; `None` when the e-mail address already has one.
    async fn create_staff(&self, member: &NewStaff, by: &Actor) -> Result<Option<i64>>;

    /// The account of a (lower-cased) e-mail address.
    async fn staff_by_email(&self, email: &str) -> Result<Option<StaffMember>>;

    async fn staff_member(&self, id: i64) -> Result<Option<StaffMember>>;

    /// Every account, by e-mail address.
    async fn all_staff(&self) -> Result<Vec<StaffMember>>;

    /// Changes an account's name, role and whether it may log in; `false` if there
    /// is no such account.
    async fn update_staff(
        &self,
        id: i64,
        name: &str,
        role: Role,
        active: bool,
        by: &Actor,
    ) -> Result<bool>;

    /// Replaces an account's password hash (audited without the hash).
    async fn set_staff_password(&self, id: i64, hash: &str, by: &Actor) -> Result<bool>;

    /// The newest audit entries matching `filter`, newest first, from `offset`.
    async fn audit_entries(
        &self,
        filter: &AuditFilter,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<AuditEntry>>;

    /// Orders placed from `since` on, per site (sites without orders left out).
    async fn sales_since(&self, since: DateTime<Utc>) -> Result<Vec<SiteSales>>;

    /// Up to `limit` variants of enabled products with at most `threshold` units
    /// left, fewest first.
    async fn low_stock(&self, threshold: i64, limit: u32) -> Result<Vec<LowStock>>;

    /// A page of the products matching `filter`, by SKU, and how many match.
    async fn find_products(
        &self,
        filter: &ProductFilter,
        limit: u32,
        offset: u32,
    ) -> Result<ProductPage>;

    /// Every category, parents before their children, with Spanish names.
    async fn category_choices(&self) -> Result<Vec<CategoryChoice>>;

    /// Every category's id by its path from the root (`Pelucas/Pelucas de colores`),
    /// as import files name them.
    async fn category_paths(&self) -> Result<std::collections::HashMap<String, CategoryId>> {
        Ok(self
            .category_choices()
            .await?
            .into_iter()
            .map(|choice| (choice.path, CategoryId(choice.id)))
            .collect())
    }

    /// The `theme` attribute's options: (code, Spanish label).
    async fn theme_choices(&self) -> Result<Vec<(String, String)>>;

    /// Every product's id, by SKU (for exports, read in chunks).
    async fn product_ids(&self) -> Result<Vec<ProductId>>;

    /// A product as the editor shows it, and its version.
    async fn product_for_edit(&self, id: ProductId) -> Result<Option<(Product, i64)>>;

    /// Saves an edit based on `expected_version`, with its change-log entry and its
    /// audit entry, in one transaction; refused if the product was saved since.
    async fn save_product(
        &self,
        edit: &ProductEdit,
        expected_version: i64,
        by: &Actor,
    ) -> Result<EditOutcome>;

    /// Applies one change to every product of `ids` in one transaction: each
    /// product's version moves on (an editor open on it must reload), each change is
    /// logged and audited.
    async fn bulk_change(
        &self,
        ids: &[ProductId],
        change: BulkChange,
        by: &Actor,
    ) -> Result<BulkOutcome>;

    /// The whole category tree, every language.
    async fn all_categories(&self) -> Result<Vec<Category>>;

    /// Creates or changes a category, checking its parent and its siblings' keys.
    async fn save_category(&self, edit: &CategoryEdit, by: &Actor) -> Result<CategoryOutcome>;

    /// Deletes a category with neither subcategories nor products.
    async fn delete_category(&self, id: CategoryId, by: &Actor) -> Result<CategoryOutcome>;

    /// Adds an image (a path under the media root) after the product's others;
    /// `false` if there is no such product.
    async fn add_product_image(&self, id: ProductId, path: &str, by: &Actor) -> Result<bool>;

    /// Takes an image off a product or makes it the main one; `false` if the
    /// product has no such image.
    async fn change_product_image(
        &self,
        id: ProductId,
        path: &str,
        change: ImageChange,
        by: &Actor,
    ) -> Result<bool>;

    /// Adds a variant (a size or colour) after the product's others, with its
    /// change-log entry and audit entry.
    async fn add_variant(
        &self,
        id: ProductId,
        variant: &NewVariant,
        by: &Actor,
    ) -> Result<VariantOutcome>;

    /// Removes a variant no order names, unless it is the product's last.
    async fn remove_variant(
        &self,
        id: ProductId,
        variant_id: i64,
        by: &Actor,
    ) -> Result<VariantOutcome>;

    /// Creates the accounts of `customers` with their addresses, in one transaction;
    /// an e-mail address that has an account already is left as it is.
    async fn import_customers(
        &self,
        customers: &[ImportedCustomer],
        by: &Actor,
    ) -> Result<CustomerImport>;

    /// Creates or updates (by SKU) every product of an import file and keeps its old
    /// URLs, in one transaction; each product is logged for the replicas, and the
    /// import audited. `progress` hears how many products are written so far.
    async fn import_products(
        &self,
        file: &ProductFile,
        by: &Actor,
        progress: Progress<'_>,
    ) -> Result<ProductImportOutcome>;

    /// What an old URL (of a site, without its leading slash) stands for now.
    async fn redirect_target(&self, site: SiteCode, path: &str) -> Result<Option<OldUrlTarget>>;

    /// The orders `ids` with their lines, in the order of `ids` (unknown ones left
    /// out): many orders in two queries, for exports.
    async fn orders_by_ids(&self, ids: &[i64]) -> Result<Vec<crate::OrderRecord>>;

    /// A page of the orders matching `filter`, newest first, and how many match.
    async fn find_orders(&self, filter: &OrderFilter, limit: u32, offset: u32)
    -> Result<OrderPage>;

    /// An order's timeline: notes, status changes, payments, shipments, refunds.
    async fn order_events(&self, order_id: i64) -> Result<Vec<OrderEvent>>;

    /// Applies `change` if the order's rules allow it, with its timeline event, its
    /// audit entry and `mail` (queued), in one transaction.
    async fn change_order(
        &self,
        order_id: i64,
        change: &OrderChange,
        by: &Actor,
        mail: Option<&OutgoingMail>,
    ) -> Result<OrderChangeOutcome>;
}

pub(crate) const SALES_SINCE_SQL: &str = "SELECT site, COUNT(*) AS orders, \
     CAST(COALESCE(SUM(total_cents), 0) AS BIGINT) AS revenue_cents, \
     CAST(COALESCE(SUM(CASE WHEN payment_status = 'paid' THEN 1 ELSE 0 END), 0) AS BIGINT) AS paid \
     FROM orders WHERE placed_at >= $1 AND fulfilment_status <> 'cancelled' \
     GROUP BY site ORDER BY site";
pub(crate) const LOW_STOCK_SQL: &str = "SELECT p.id AS product_id, t.name, v.sku, v.size, \
     CAST(v.stock AS BIGINT) AS stock \
     FROM variants v JOIN products p ON p.id = v.product_id \
     JOIN product_translations t ON t.product_id = p.id AND t.locale = 'es' \
     WHERE p.enabled AND v.stock <= $1 ORDER BY v.stock, v.sku LIMIT $2";

pub(crate) const INSERT_AUDIT_SQL: &str = "INSERT INTO audit_log \
     (at, staff_id, actor, action, entity, entity_id, old_values, new_values) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
pub(crate) const INSERT_STAFF_SQL: &str = "INSERT INTO staff \
     (email, name, role, password_hash, active, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
     ON CONFLICT (email) DO NOTHING RETURNING id";
pub(crate) const STAFF_BY_EMAIL_SQL: &str =
    "SELECT id, email, name, role, password_hash, active FROM staff WHERE email = $1";
pub(crate) const STAFF_BY_ID_SQL: &str =
    "SELECT id, email, name, role, password_hash, active FROM staff WHERE id = $1";
pub(crate) const ALL_STAFF_SQL: &str =
    "SELECT id, email, name, role, password_hash, active FROM staff ORDER BY email";

/// Writes the implementation of [`BackofficeStore`] for a backend's store type, whose
/// `pool` field is a pool of `$db` and whose `begin_write()` starts a write
/// transaction.
macro_rules! impl_backoffice_store {
    ($store:ty, $db:ty) => {
        $crate::product_import::import_chunk_writer!($db);

        /// Appends one audit entry in the transaction of the change.
        async fn audit(
            tx: &mut sqlx::Transaction<'static, $db>,
            by: &$crate::backoffice::Actor,
            action: &str,
            entity: &str,
            entity_id: &str,
            before: Option<String>,
            after: Option<String>,
        ) -> $crate::Result<()> {
            sqlx::query($crate::backoffice::INSERT_AUDIT_SQL)
                .bind(chrono::Utc::now())
                .bind(by.staff_id)
                .bind(&by.name)
                .bind(action)
                .bind(entity)
                .bind(entity_id)
                .bind(before)
                .bind(after)
                .execute(&mut **tx)
                .await?;
            Ok(())
        }

        /// Writes a product's names, descriptions and URL keys in every language; the
        /// language whose URL key another product has, if any (then the caller drops
        /// the transaction: nothing is written).
        async fn write_texts(
            tx: &mut sqlx::Transaction<'static, $db>,
            product_id: i64,
            [names, descriptions, url_keys]: [&comptoir_domain::PerLocale<String>; 3],
        ) -> $crate::Result<Option<comptoir_domain::Locale>> {
            for locale in comptoir_domain::Locale::ALL {
                let written = sqlx::query($crate::product_import::UPSERT_TRANSLATION_SQL)
                    .bind(product_id)
                    .bind(locale.as_str())
                    .bind(&names[locale])
                    .bind(&descriptions[locale])
                    .bind(&url_keys[locale])
                    .execute(&mut **tx)
                    .await;
                match written {
                    Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                        return Ok(Some(locale));
                    }
                    other => {
                        other?;
                    }
                }
            }
            Ok(None)
        }

        /// Whether product `id` exists, read in the transaction of a change to it.
        async fn product_exists(
            tx: &mut sqlx::Transaction<'static, $db>,
            id: comptoir_domain::ProductId,
        ) -> $crate::Result<bool> {
            let found: Option<i64> = sqlx::query_scalar($crate::product_admin::PRODUCT_EXISTS_SQL)
                .bind(id.0)
                .fetch_optional(&mut **tx)
                .await?;
            Ok(found.is_some())
        }

        /// Replaces a product's offers with `sites` (by `SiteCode::index`).
        async fn write_offers(
            tx: &mut sqlx::Transaction<'static, $db>,
            product_id: i64,
            sites: &[Option<comptoir_domain::SitePrice>; 4],
        ) -> $crate::Result<()> {
            sqlx::query($crate::product_admin::DELETE_OFFERS_SQL)
                .bind(product_id)
                .execute(&mut **tx)
                .await?;
            for site in comptoir_domain::SiteCode::ALL {
                let Some(offer) = &sites[site.index()] else {
                    continue;
                };
                sqlx::query($crate::product_admin::INSERT_OFFER_SQL)
                    .bind(product_id)
                    .bind(site.as_str())
                    .bind(offer.price.cents())
                    .bind(offer.sale.map(|sale| sale.price.cents()))
                    .bind(offer.sale.and_then(|sale| sale.starts_at))
                    .bind(offer.sale.and_then(|sale| sale.ends_at))
                    .bind(offer.visibility.as_str())
                    .execute(&mut **tx)
                    .await?;
            }
            Ok(())
        }

        /// The account `sql` finds by `value`.
        async fn staff_where<'c, V>(
            executor: impl sqlx::Executor<'c, Database = $db>,
            sql: &'static str,
            value: V,
        ) -> $crate::Result<Option<$crate::StaffMember>>
        where
            V: for<'q> sqlx::Encode<'q, $db> + sqlx::Type<$db> + Send + 'static,
        {
            sqlx::query_as::<_, $crate::backoffice::StaffRow>(sql)
                .bind(value)
                .fetch_optional(executor)
                .await?
                .map($crate::StaffMember::try_from)
                .transpose()
        }

        #[async_trait::async_trait]
        impl $crate::BackofficeStore for $store {
            async fn create_staff(
                &self,
                member: &$crate::NewStaff,
                by: &$crate::backoffice::Actor,
            ) -> $crate::Result<Option<i64>> {
                let mut tx = self.begin_write().await?;
                let id: Option<i64> = sqlx::query_scalar($crate::backoffice::INSERT_STAFF_SQL)
                    .bind(&member.email)
                    .bind(&member.name)
                    .bind(member.role.code())
                    .bind(&member.password_hash)
                    .bind(true)
                    .bind(chrono::Utc::now())
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(id) = id else {
                    return Ok(None);
                };
                let after = $crate::backoffice::AuditedStaff::of(
                    &member.email,
                    &member.name,
                    member.role,
                    true,
                );
                audit(&mut tx, by, "staff.create", "staff", &id.to_string(), None, Some(after))
                    .await?;
                tx.commit().await?;
                Ok(Some(id))
            }

            async fn staff_by_email(
                &self,
                email: &str,
            ) -> $crate::Result<Option<$crate::StaffMember>> {
                staff_where(&self.pool, $crate::backoffice::STAFF_BY_EMAIL_SQL, email.to_owned()).await
            }

            async fn staff_member(&self, id: i64) -> $crate::Result<Option<$crate::StaffMember>> {
                staff_where(&self.pool, $crate::backoffice::STAFF_BY_ID_SQL, id).await
            }

            async fn all_staff(&self) -> $crate::Result<Vec<$crate::StaffMember>> {
                sqlx::query_as::<_, $crate::backoffice::StaffRow>($crate::backoffice::ALL_STAFF_SQL)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map($crate::StaffMember::try_from)
                    .collect()
            }

            async fn update_staff(
                &self,
                id: i64,
                name: &str,
                role: comptoir_domain::staff::Role,
                active: bool,
                by: &$crate::backoffice::Actor,
            ) -> $crate::Result<bool> {
                let mut tx = self.begin_write().await?;
                let Some(before) = staff_where(&mut *tx, $crate::backoffice::STAFF_BY_ID_SQL, id).await? else {
                    return Ok(false);
                };
                sqlx::query("UPDATE staff SET name = $2, role = $3, active = $4 WHERE id = $1")
                    .bind(id)
                    .bind(name)
                    .bind(role.code())
                    .bind(active)
                    .execute(&mut *tx)
                    .await?;
                let audited = |name: &str, role, active| {
                    $crate::backoffice::AuditedStaff::of(&before.email, name, role, active)
                };
                audit(
                    &mut tx,
                    by,
                    "staff.update",
                    "staff",
                    &id.to_string(),
                    Some(audited(&before.name, before.role, before.active)),
                    Some(audited(name, role, active)),
                )
                .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn set_staff_password(
                &self,
                id: i64,
                hash: &str,
                by: &$crate::backoffice::Actor,
            ) -> $crate::Result<bool> {
                let mut tx = self.begin_write().await?;
                let changed = sqlx::query("UPDATE staff SET password_hash = $2 WHERE id = $1")
                    .bind(id)
                    .bind(hash)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if changed == 0 {
                    return Ok(false);
                }
                audit(&mut tx, by, "staff.password", "staff", &id.to_string(), None, None).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn audit_entries(
                &self,
                filter: &$crate::AuditFilter,
                limit: u32,
                offset: u32,
            ) -> $crate::Result<Vec<$crate::AuditEntry>> {
                let mut query = sqlx::QueryBuilder::<$db>::new(
                    "SELECT id, at, staff_id, actor, action, entity, entity_id, old_values, new_values \
                     FROM audit_log WHERE 1 = 1",
                );
                if let Some(staff_id) = filter.staff_id {
                    query.push(" AND staff_id = ").push_bind(staff_id);
                }
                if let Some(entity) = &filter.entity {
                    query.push(" AND entity = ").push_bind(entity.clone());
                }
                if let Some(entity_id) = &filter.entity_id {
                    query.push(" AND entity_id = ").push_bind(entity_id.clone());
                }
                if let Some(prefix) = &filter.action_prefix {
                    // A prefix range, not LIKE: no wildcard in the input can widen it.
                    query.push(" AND action >= ").push_bind(prefix.clone());
                    query.push(" AND action < ").push_bind(format!("{prefix}\u{10FFFF}"));
                }
                if let Some(from) = filter.from {
                    query.push(" AND at >= ").push_bind(from);
                }
                if let Some(until) = filter.until {
                    query.push(" AND at < ").push_bind(until);
                }
                query
                    .push(" ORDER BY at DESC, id DESC LIMIT ")
                    .push_bind(i64::from(limit))
                    .push(" OFFSET ")
                    .push_bind(i64::from(offset));
                Ok(query
                    .build_query_as::<$crate::AuditEntry>()
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn sales_since(
                &self,
                since: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<Vec<$crate::SiteSales>> {
                Ok(sqlx::query_as($crate::backoffice::SALES_SINCE_SQL)
                    .bind(since)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn low_stock(
                &self,
                threshold: i64,
                limit: u32,
            ) -> $crate::Result<Vec<$crate::LowStock>> {
                Ok(sqlx::query_as($crate::backoffice::LOW_STOCK_SQL)
                    .bind(threshold)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn find_products(
                &self,
                filter: &$crate::ProductFilter,
                limit: u32,
                offset: u32,
            ) -> $crate::Result<$crate::ProductPage> {
                use $crate::product_admin as admin;
                let mut rows = sqlx::QueryBuilder::<$db>::new(admin::PRODUCT_LIST_SELECT);
                rows.push(admin::PRODUCT_LIST_FROM);
                admin::push_product_filter(&mut rows, filter);
                rows.push(" ORDER BY p.sku LIMIT ")
                    .push_bind(i64::from(limit))
                    .push(" OFFSET ")
                    .push_bind(i64::from(offset));
                let rows = rows
                    .build_query_as::<$crate::ProductListRow>()
                    .fetch_all(&self.pool)
                    .await?;
                let mut count = sqlx::QueryBuilder::<$db>::new(admin::PRODUCT_LIST_COUNT);
                count.push(admin::PRODUCT_LIST_FROM);
                admin::push_product_filter(&mut count, filter);
                let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
                Ok($crate::ProductPage { rows, total })
            }

            async fn category_choices(&self) -> $crate::Result<Vec<$crate::CategoryChoice>> {
                let rows: Vec<(i64, Option<i64>, String)> =
                    sqlx::query_as($crate::product_admin::CATEGORY_CHOICES_SQL)
                        .fetch_all(&self.pool)
                        .await?;
                Ok($crate::product_admin::category_tree(rows))
            }

            async fn theme_choices(&self) -> $crate::Result<Vec<(String, String)>> {
                Ok(sqlx::query_as($crate::product_admin::THEME_CHOICES_SQL)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn product_ids(&self) -> $crate::Result<Vec<comptoir_domain::ProductId>> {
                let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM products ORDER BY sku")
                    .fetch_all(&self.pool)
                    .await?;
                Ok(ids.into_iter().map(comptoir_domain::ProductId).collect())
            }

            async fn product_for_edit(
                &self,
                id: comptoir_domain::ProductId,
            ) -> $crate::Result<Option<(comptoir_domain::Product, i64)>> {
                let Some(product) = $crate::Store::load_products(self, &[id]).await?.pop() else {
                    return Ok(None);
                };
                let version: i64 = sqlx::query_scalar($crate::product_admin::PRODUCT_VERSION_SQL)
                    .bind(id.0)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(Some((product, version)))
            }

            async fn save_product(
                &self,
                edit: &$crate::ProductEdit,
                expected_version: i64,
                by: &$crate::backoffice::Actor,
            ) -> $crate::Result<$crate::EditOutcome> {
                use $crate::EditOutcome;
                use $crate::product_admin as admin;
                let id = edit.id.0;
                let Some(before) = $crate::Store::load_products(self, &[edit.id]).await?.pop()
                else {
                    return Ok(EditOutcome::NotFound);
                };
                let mut tx = self.begin_write().await?;
                let version: Option<i64> = sqlx::query_scalar(admin::BUMP_VERSION_SQL)
                    .bind(id)
                    .bind(expected_version)
                    .bind(edit.enabled)
                    .bind(&edit.theme)
                    .bind(edit.gender.map(comptoir_domain::Gender::as_str))
                    .bind(edit.age_group.map(comptoir_domain::AgeGroup::as_str))
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(version) = version else {
                    return Ok(EditOutcome::Conflict);
                };
                let texts = [&edit.names, &edit.descriptions, &edit.url_keys];
                if let Some(locale) = write_texts(&mut tx, id, texts).await? {
                    return Ok(EditOutcome::UrlKeyTaken(locale));
                }
                write_offers(&mut tx, id, &edit.sites).await?;
                sqlx::query(admin::DELETE_PLACEMENTS_SQL)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                for (category, position) in &edit.categories {
                    let placed = sqlx::query(admin::INSERT_PLACEMENT_AT_SQL)
                        .bind(id)
                        .bind(category.0)
                        .bind(position)
                        .execute(&mut *tx)
                        .await;
                    match placed {
                        Err(sqlx::Error::Database(error)) if error.is_foreign_key_violation() => {
                            return Ok(EditOutcome::UnknownCategory);
                        }
                        other => {
                            other?;
                        }
                    }
                }
                for (variant_id, units) in &edit.stock_counts {
                    sqlx::query(admin::SET_VARIANT_STOCK_SQL)
                        .bind(variant_id)
                        .bind(id)
                        .bind(units)
                        .execute(&mut *tx)
                        .await?;
                }
                append_changes(&mut tx, $crate::ChangeKind::Product, &[id]).await?;
                let (old, new) = admin::audited_changes(&before, edit);
                audit(&mut tx, by, "product.edit", "product", &id.to_string(), Some(old), Some(new))
                    .await?;
                tx.commit().await?;
                Ok(EditOutcome::Saved { version })
            }

            async fn bulk_change(
                &self,
                ids: &[comptoir_domain::ProductId],
                change: $crate::BulkChange,
                by: &$crate::backoffice::Actor,
            ) -> $crate::Result<$crate::BulkOutcome> {
                use $crate::product_admin as admin;
                use $crate::{BulkChange, BulkOutcome};
                let mut tx = self.begin_write().await?;
                if let BulkChange::MoveToCategory(category) = change {
                    let exists: Option<i64> = sqlx::query_scalar(admin::CATEGORY_EXISTS_SQL)
                        .bind(category)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if exists.is_none() {
                        return Ok(BulkOutcome::Refused("There is no such category."));
                    }
                }
                let mut changed = Vec::with_capacity(ids.len());
                for id in ids.iter().map(|id| id.0) {
                    let (action, before, after) = match change {
                        BulkChange::Enable(enabled) => {
                            let Some(was): Option<bool> = sqlx::query_scalar(admin::ENABLED_SQL)
                                .bind(id)
                                .fetch_optional(&mut *tx)
                                .await?
                            else {
                                continue;
                            };
                            sqlx::query(admin::SET_ENABLED_SQL)
                                .bind(id)
                                .bind(enabled)
                                .execute(&mut *tx)
                                .await?;
                            (
                                "product.bulk.enabled",
                                serde_json::json!({ "enabled": was }),
                                serde_json::json!({ "enabled": enabled }),
                            )
                        }
                        BulkChange::MoveToCategory(category) => {
                            let was: Vec<i64> = sqlx::query_scalar(admin::PLACEMENTS_SQL)
                                .bind(id)
                                .fetch_all(&mut *tx)
                                .await?;
                            sqlx::query(admin::DELETE_PLACEMENTS_SQL)
                                .bind(id)
                                .execute(&mut *tx)
                                .await?;
                            sqlx::query(admin::INSERT_PLACEMENT_SQL)
                                .bind(id)
                                .bind(category)
                                .execute(&mut *tx)
                                .await?;
                            (
                                "product.bulk.category",
                                serde_json::json!({ "categories": was }),
                                serde_json::json!({ "categories": [category] }),
                            )
                        }
                        BulkChange::PriceByPercent { site, percent } => {
                            let offers: Vec<(String, i64, Option<i64>)> =
                                sqlx::query_as(admin::OFFERS_SQL)
                                    .bind(id)
                                    .fetch_all(&mut *tx)
                                    .await?;
                            let mut was = serde_json::Map::new();
                            let mut now = serde_json::Map::new();
                            for (code, price, sale) in offers {
                                if site.is_some_and(|site| site.as_str() != code) {
                                    continue;
                                }
                                let Some((new_price, new_sale)) =
                                    admin::repriced(price, sale, percent)
                                else {
                                    return Ok(BulkOutcome::Refused(
                                        "A price would be too large: nothing was changed.",
                                    ));
                                };
                                sqlx::query(admin::SET_OFFER_PRICE_SQL)
                                    .bind(id)
                                    .bind(&code)
                                    .bind(new_price)
                                    .bind(new_sale)
                                    .execute(&mut *tx)
                                    .await?;
                                was.insert(
                                    code.clone(),
                                    serde_json::json!({ "price_cents": price, "sale_price_cents": sale }),
                                );
                                now.insert(
                                    code,
                                    serde_json::json!({ "price_cents": new_price, "sale_price_cents": new_sale }),
                                );
                            }
                            if now.is_empty() {
                                continue;
                            }
                            ("product.bulk.price", was.into(), now.into())
                        }
                    };
                    sqlx::query(admin::BUMP_ANY_VERSION_SQL)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    audit(
                        &mut tx,
                        by,
                        action,
                        "product",
                        &id.to_string(),
                        Some(before.to_string()),
                        Some(after.to_string()),
                    )
                    .await?;
                    changed.push(id);
                }
                if !changed.is_empty() {
                    append_changes(&mut tx, $crate::ChangeKind::Product, &changed).await?;
                }
                tx.commit().await?;
                Ok(BulkOutcome::Done(changed.len()))
            }

            async fn all_categories(&self) -> $crate::Result<Vec<comptoir_domain::Category>> {
                let rows = sqlx::query_as($crate::rows::CATEGORIES_SQL)
                    .fetch_all(&self.pool)
                    .await?;
                let translations = sqlx::query_as($crate::rows::CATEGORY_TRANSLATIONS_SQL)
                    .fetch_all(&self.pool)
                    .await?;
                $crate::rows::assemble_categories(rows, translations)
            }

            async fn save_category(
                &self,
                edit: &$crate::CategoryEdit,
                by: &$crate::backoffice::Actor,
            ) -> $crate::Result<$crate::CategoryOutcome> {
                use $crate::CategoryOutcome;
                use $crate::category_admin as admin;
                let before = match edit.id {
                    Some(id) => match self.all_categories().await?.iter().find(|c| c.id == id) {
                        Some(category) => Some(admin::audited(&category.into())),
                        None => return Ok(CategoryOutcome::NotFound),
                    },
                    None => None,
                };
                let mut tx = self.begin_write().await?;
                if let Some(parent) = edit.parent {
                    let exists: Option<i64> = sqlx::query_scalar(admin::CATEGORY_EXISTS_SQL)
                        .bind(parent.0)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let below: Option<i64> = match edit.id {
                        Some(id) => {
                            sqlx::query_scalar(admin::IS_BELOW_SQL)
                                .bind(id.0)
                                .bind(parent.0)
                                .fetch_optional(&mut *tx)
                                .await?
                        }
                        None => None,
                    };
                    if exists.is_none() || below.is_some() {
                        return Ok(CategoryOutcome::InvalidParent);
                    }
                }
                for locale in comptoir_domain::Locale::ALL {
                    let taken: Option<i64> = sqlx::query_scalar(admin::SIBLING_KEY_SQL)
                        .bind(edit.parent.map(|p| p.0))
                        .bind(locale.as_str())
                        .bind(&edit.url_keys[locale])
                        .bind(edit.id.map_or(0, |id| id.0))
                        .fetch_optional(&mut *tx)
                        .await?;
                    if taken.is_some() {
                        return Ok(CategoryOutcome::KeyTaken(locale));
                    }
                }
                let id = match edit.id {
                    Some(id) => {
                        sqlx::query(admin::UPDATE_CATEGORY_SQL)
                            .bind(id.0)
                            .bind(edit.parent.map(|p| p.0))
                            .bind(edit.position)
                            .bind(edit.enabled)
                            .execute(&mut *tx)
                            .await?;
                        id.0
                    }
                    None => {
                        sqlx::query_scalar(admin::INSERT_CATEGORY_SQL)
                            .bind(edit.parent.map(|p| p.0))
                            .bind(edit.position)
                            .bind(edit.enabled)
                            .fetch_one(&mut *tx)
                            .await?
                    }
                };
                for locale in comptoir_domain::Locale::ALL {
                    sqlx::query(admin::UPSERT_CATEGORY_TEXT_SQL)
                        .bind(id)
                        .bind(locale.as_str())
                        .bind(&edit.names[locale])
                        .bind(&edit.url_keys[locale])
                        .execute(&mut *tx)
                        .await?;
                }
                append_changes(&mut tx, $crate::ChangeKind::Category, &[]).await?;
                let action = if before.is_some() {
                    "category.update"
                } else {
                    "category.create"
                };
                let saved = $crate::CategoryEdit {
                    id: Some(comptoir_domain::CategoryId(id)),
                    ..edit.clone()
                };
                audit(
                    &mut tx,
                    by,
                    action,
                    "category",
                    &id.to_string(),
                    before,
                    Some(admin::audited(&saved)),
                )
                .await?;
                tx.commit().await?;
                Ok(CategoryOutcome::Saved(comptoir_domain::CategoryId(id)))
            }

            async fn delete_category(
                &self,
                id: comptoir_domain::CategoryId,
                by: &$crate::backoffice::Actor,
            ) -> $crate::Result<$crate::CategoryOutcome> {
                use $crate::CategoryOutcome;
                use $crate::category_admin as admin;
                let Some(before) = self
                    .all_categories()
                    .await?
                    .iter()
                    .find(|c| c.id == id)
                    .map(|category| admin::audited(&category.into()))
                else {
                    return Ok(CategoryOutcome::NotFound);
                };
                let mut tx = self.begin_write().await?;
                let has_content: bool = sqlx::query_scalar(admin::HAS_CONTENT_SQL)
                    .bind(id.0)
                    .fetch_one(&mut *tx)
                    .await?;
                if has_content {
                    return Ok(CategoryOutcome::NotEmpty);
                }
                sqlx::query(admin::DELETE_CATEGORY_SQL)
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
                append_changes(&mut tx, $crate::ChangeKind::Category, &[]).await?;
                audit(
                    &mut tx,
                    by,
                    "category.delete",
                    "category",
                    &id.0.to_string(),
                    Some(before),
                    None,
                )
                .await?;
                tx.commit().await?;
                Ok(CategoryOutcome::Deleted)
            }

            async fn add_product_image(
                &self,
                id: comptoir_domain::ProductId,
                path: &str,
                by: &$crate::backoffice::Actor,
            ) -> $crate::Result<bool> {
                use $crate::product_admin as admin;
                let mut tx = self.begin_write().await?;
                if !product_exists(&mut tx, id).await? {
                    return Ok(false);
                }
                sqlx::query(admin::ADD_IMAGE_SQL)
                    .bind(id.0)
                    .bind(path)
                    .execute(&mut *tx)
                    .await?;
                append_changes(&mut tx, $crate::ChangeKind::Product, &[id.0]).await?;
                let after = serde_json::json!({ "image": path }).to_string();
                audit(&mut tx, by, "product.image.add", "product", &id.0.to_string(), None, Some(after))
                    .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn change_product_image(
                &self,
                id: comptoir_domain::ProductId,
                path: &str,
                change: $crate::ImageChange,
                by: &$crate::backoffice::Actor,
            ) -> $crate::Result<bool> {
                use $crate::product_admin as admin;
                let (sql, action) = match change {
                    $crate::ImageChange::Remove => (admin::REMOVE_IMAGE_SQL, "product.image.remove"),
                    $crate::ImageChange::MakeMain => (admin::MAKE_MAIN_IMAGE_SQL, "product.image.main"),
                };
                let mut tx = self.begin_write().await?;
                let changed = sqlx::query(sql)
                    .bind(id.0)
                    .bind(path)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if changed == 0 {
                    return Ok(false);
                }
                append_changes(&mut tx, $crate::ChangeKind::Product, &[id.0]).await?;
                let image = Some(serde_json::json!({ "image": path }).to_string());
                let (before, after) = match change {
                    $crate::ImageChange::Remove => (image, None),
                    $crate::ImageChange::MakeMain => (None, image),
                };
                audit(&mut tx, by, action, "product", &id.0.to_string(), before, after).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn add_variant(
                &self,
                id: comptoir_domain::ProductId,
                variant: &$crate::NewVariant,
                by: &$crate::backoffice::Actor,
            ) -> $crate::Result<$crate::VariantOutcome> {
                use $crate::VariantOutcome;
                use $crate::product_admin as admin;
                let mut tx = self.begin_write().await?;
                if !product_exists(&mut tx, id).await? {
                    return Ok(VariantOutcome::NotFound);
                }
                let added = sqlx::query(admin::ADD_VARIANT_SQL)
                    .bind(id.0)
                    .bind(variant.sku.as_str())
                    .bind(&variant.size)
                    .bind(&variant.colour)
                    .bind(variant.stock)
                    .execute(&mut *tx)
                    .await;
                match added {
                    Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                        return Ok(VariantOutcome::SkuTaken);
                    }
                    other => {
                        other?;
                    }
                }
                sqlx::query(admin::BECOME_CONFIGURABLE_SQL)
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
                append_changes(&mut tx, $crate::ChangeKind::Product, &[id.0]).await?;
                let after = serde_json::json!({
                    "variant": variant.sku.as_str(),
                    "size": variant.size,
                    "colour": variant.colour,
                    "stock": variant.stock,
                });
                audit(&mut tx, by, "product.variant.add", "product", &id.0.to_string(), None, Some(after.to_string()))
                    .await?;
                tx.commit().await?;
                Ok(VariantOutcome::Done)
            }

            async fn remove_variant(
                &self,
                id: comptoir_domain::ProductId,
                variant_id: i64,
                by: &$crate::backoffice::Actor,
            ) -> $crate::Result<$crate::VariantOutcome> {
                use $crate::VariantOutcome;
                use $crate::product_admin as admin;
                let mut tx = self.begin_write().await?;
                let variants: Vec<(i64, String)> = sqlx::query_as(admin::PRODUCT_VARIANTS_SQL)
                    .bind(id.0)
                    .fetch_all(&mut *tx)
                    .await?;
                let Some((_, sku)) = variants.iter().find(|(v, _)| *v == variant_id) else {
                    return Ok(VariantOutcome::NotFound);
                };
                if variants.len() == 1 {
                    return Ok(VariantOutcome::LastVariant);
                }
                let ordered: Option<i64> = sqlx::query_scalar(admin::VARIANT_ORDERED_SQL)
                    .bind(variant_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if ordered.is_some() {
                    return Ok(VariantOutcome::Ordered);
                }
                sqlx::query(admin::DELETE_VARIANT_SQL)
                    .bind(variant_id)
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
                append_changes(&mut tx, $crate::ChangeKind::Product, &[id.0]).await?;
                let before = serde_json::json!({ "variant": sku }).to_string();
                audit(&mut tx, by, "product.variant.remove", "product", &id.0.to_string(), Some(before), None)
                    .await?;
                tx.commit().await?;
                Ok(VariantOutcome::Done)
            }

            async fn import_customers(
                &self,
                customers: &[$crate::ImportedCustomer],
                by: &$crate::backoffice::Actor,
            ) -> $crate::Result<$crate::CustomerImport> {
                let mut tx = self.begin_write().await?;
                let mut report = $crate::CustomerImport {
                    created: 0,
                    already_there: 0,
                };
                let now = chrono::Utc::now();
                for imported in customers {
                    let id: Option<i64> = sqlx::query_scalar($crate::customers::INSERT_CUSTOMER_SQL)
                        .bind(&imported.customer.email)
                        .bind(&imported.customer.name)
                        .bind(&imported.customer.password_hash)
                        .bind(now)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some(id) = id else {
                        report.already_there += 1;
                        continue;
                    };
                    report.created += 1;
                    for address in &imported.addresses {
                        sqlx::query($crate::customers::ADD_ADDRESS_SQL)
                            .bind(id)
                            .bind(&address.name)
                            .bind(&address.street)
                            .bind(&address.postcode)
                            .bind(&address.city)
                            .bind(&address.country)
                            .bind(now)
                            // Imports keep every address the old shop had.
                            .bind(i64::MAX)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                let after = serde_json::json!({
                    "created": report.created,
                    "already_there": report.already_there,
                })
                .to_string();
                audit(&mut tx, by, "customers.import", "customers", "", None, Some(after)).await?;
                tx.commit().await?;
                Ok(report)
            }

            async fn import_products(
                &self,
                file: &$crate::ProductFile,
                by: &$crate::backoffice::Actor,
                progress: $crate::Progress<'_>,
            ) -> $crate::Result<$crate::ProductImportOutcome> {
                use $crate::ProductImportOutcome;
                let mut tx = self.begin_write().await?;
                begin_bulk(&mut tx).await?;
                let (mut created, mut unchanged) = (0, 0);
                let mut changed = Vec::with_capacity(file.products.len());
                let now = chrono::Utc::now();
                let mut done = 0;
                for chunk in file.products.chunks($crate::product_import::CHUNK) {
                    match write_import_chunk(&mut tx, chunk, now).await? {
                        Ok(written) => {
                            created += written.created;
                            unchanged += written.unchanged;
                            changed.extend(written.changed);
                        }
                        Err(reason) => return Ok(ProductImportOutcome::Refused(reason)),
                    }
                    done += chunk.len() as u64;
                    progress(done);
                }
                let updated = changed.len() - created;
                for old in &file.old_category_paths {
                    sqlx::query($crate::product_import::UPSERT_CATEGORY_REDIRECT_SQL)
                        .bind(old.site.as_str())
                        .bind(&old.path)
                        .bind(old.category.0)
                        .execute(&mut *tx)
                        .await?;
                }
                if !changed.is_empty() {
                    append_changes(&mut tx, $crate::ChangeKind::Product, &changed).await?;
                }
                let after =
                    serde_json::json!({ "created": created, "updated": updated, "unchanged": unchanged })
                        .to_string();
                audit(&mut tx, by, "products.import", "products", "", None, Some(after)).await?;
                tx.commit().await?;
                Ok(ProductImportOutcome::Done {
                    created,
                    updated,
                    unchanged,
                })
            }

            async fn redirect_target(
                &self,
                site: comptoir_domain::SiteCode,
                path: &str,
            ) -> $crate::Result<Option<$crate::OldUrlTarget>> {
                let found: Vec<(Option<i64>, Option<i64>)> =
                    sqlx::query_as($crate::product_import::REDIRECT_SQL)
                        .bind(site.as_str())
                        .bind(path)
                        .fetch_all(&self.pool)
                        .await?;
                let product = found.iter().find_map(|(product, _)| *product);
                let category = found.iter().find_map(|(_, category)| *category);
                Ok(product
                    .map(|id| $crate::OldUrlTarget::Product(comptoir_domain::ProductId(id)))
                    .or(category.map(|id| $crate::OldUrlTarget::Category(comptoir_domain::CategoryId(id)))))
            }

            async fn orders_by_ids(&self, ids: &[i64]) -> $crate::Result<Vec<$crate::OrderRecord>> {
                use $crate::customers::{ORDER_LINES_IN, ORDERS_IN, OrderLineOf, OrderRow};
                let orders: Vec<OrderRow> = listed(ORDERS_IN, ids.iter().copied())
                    .build_query_as()
                    .fetch_all(&self.pool)
                    .await?;
                let lines: Vec<OrderLineOf> = listed(ORDER_LINES_IN, ids.iter().copied())
                    .push(" ORDER BY order_id, position")
                    .build_query_as()
                    .fetch_all(&self.pool)
                    .await?;
                let mut lines_of: std::collections::HashMap<i64, Vec<$crate::OrderLineRecord>> =
                    std::collections::HashMap::new();
                for line in lines {
                    lines_of.entry(line.order_id).or_default().push(line.line);
                }
                let mut by_id: std::collections::HashMap<i64, OrderRow> =
                    orders.into_iter().map(|order| (order.id(), order)).collect();
                Ok(ids
                    .iter()
                    .filter_map(|id| {
                        let order = by_id.remove(id)?;
                        Some(order.with_lines(lines_of.remove(id).unwrap_or_default()))
                    })
                    .collect())
            }

            async fn find_orders(
                &self,
                filter: &$crate::OrderFilter,
                limit: u32,
                offset: u32,
            ) -> $crate::Result<$crate::OrderPage> {
                use $crate::order_admin as admin;
                let mut rows = sqlx::QueryBuilder::<$db>::new(admin::ORDER_LIST_SELECT);
                admin::push_order_filter(&mut rows, filter);
                rows.push(" ORDER BY placed_at DESC, id DESC LIMIT ")
                    .push_bind(i64::from(limit))
                    .push(" OFFSET ")
                    .push_bind(i64::from(offset));
                let rows = rows
                    .build_query_as::<$crate::OrderListRow>()
                    .fetch_all(&self.pool)
                    .await?;
                let mut count = sqlx::QueryBuilder::<$db>::new(admin::ORDER_LIST_COUNT);
                admin::push_order_filter(&mut count, filter);
                let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
                Ok($crate::OrderPage { rows, total })
            }

            async fn order_events(&self, order_id: i64) -> $crate::Result<Vec<$crate::OrderEvent>> {
                Ok(sqlx::query_as($crate::order_admin::ORDER_EVENTS_SQL)
                    .bind(order_id)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn change_order(
                &self,
                order_id: i64,
                change: &$crate::OrderChange,
                by: &$crate::backoffice::Actor,
                mail: Option<&$crate::OutgoingMail>,
            ) -> $crate::Result<$crate::OrderChangeOutcome> {
                use $crate::order_admin as admin;
                use $crate::{OrderChange, OrderChangeOutcome};
                let mut tx = self.begin_write().await?;
                let state: Option<admin::OrderState> = sqlx::query_as(admin::ORDER_STATE_SQL)
                    .bind(order_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(state) = state else {
                    return Ok(OrderChangeOutcome::NotFound);
                };
                let plan = match admin::plan(&state, change) {
                    Ok(plan) => plan,
                    Err(reason) => return Ok(OrderChangeOutcome::Refused(reason)),
                };
                let moved = sqlx::query(admin::APPLY_PLAN_SQL)
                    .bind(order_id)
                    .bind(plan.fulfilment.as_str())
                    .bind(plan.payment.as_str())
                    .bind(plan.refunded_cents)
                    .bind(&state.fulfilment_status)
                    .bind(&state.payment_status)
                    .bind(state.refunded_cents)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if moved == 0 {
                    return Ok(OrderChangeOutcome::Refused(
                        "The order changed meanwhile: open it again.",
                    ));
                }
                if plan.restock {
                    let products = $crate::payments::release_order!(&mut *tx, order_id);
                    if !products.is_empty() {
                        append_changes(&mut tx, $crate::ChangeKind::Stock, &products).await?;
                    }
                }
                let (text, carrier, tracking, amount_cents) = match change {
                    OrderChange::Note(text) => (text.trim().to_owned(), None, None, None),
                    OrderChange::Fulfilment(next) => (
                        format!("{} → {}", state.fulfilment_status, next.as_str()),
                        None,
                        None,
                        None,
                    ),
                    OrderChange::MarkPaid => ("payment received".to_owned(), None, None, None),
                    OrderChange::Refund { amount_cents, reason } => {
                        (reason.trim().to_owned(), None, None, Some(*amount_cents))
                    }
                    OrderChange::Ship { carrier, tracking } => (
                        String::new(),
                        Some(carrier.trim().to_owned()),
                        Some(tracking.trim().to_owned()),
                        None,
                    ),
                };
                let event = $crate::OrderEvent {
                    at: chrono::Utc::now(),
                    actor: by.name.clone(),
                    kind: plan.event_kind.to_owned(),
                    text,
                    carrier,
                    tracking,
                    amount_cents,
                };
                sqlx::query(admin::INSERT_EVENT_SQL)
                    .bind(order_id)
                    .bind(event.at)
                    .bind(by.staff_id)
                    .bind(&event.actor)
                    .bind(&event.kind)
                    .bind(&event.text)
                    .bind(&event.carrier)
                    .bind(&event.tracking)
                    .bind(event.amount_cents)
                    .execute(&mut *tx)
                    .await?;
                if let Some(mail) = mail {
                    $crate::outbox::enqueue!(&mut *tx, mail);
                }
                let before = admin::audited(
                    &state.fulfilment_status,
                    &state.payment_status,
                    state.refunded_cents,
                    None,
                );
                let after = admin::audited(
                    plan.fulfilment.as_str(),
                    plan.payment.as_str(),
                    plan.refunded_cents,
                    Some(&event),
                );
                audit(
                    &mut tx,
                    by,
                    plan.action,
                    "order",
                    &order_id.to_string(),
                    Some(before),
                    Some(after),
                )
                .await?;
                tx.commit().await?;
                Ok(OrderChangeOutcome::Done)
            }
        }
    };
}
pub(crate) use impl_backoffice_store;
