//! Staff accounts and the audit log of their changes.
//!
//! Every change a staff member makes is written with its audit entry in one
//! transaction ([`crate::dialect::Dialect::audit`]): a change without its entry
//! cannot happen.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use comptoir_domain::staff::Role;
use serde::Serialize;

use crate::Result;

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

/// Staff accounts and the audit log of what they change.
#[async_trait]
pub trait StaffStore: Send + Sync {
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
}

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

/// Writes `impl StaffStore for $store`, a backend's store type.
macro_rules! impl_staff_store {
    ($store:ty) => {
        const _: () = {
            use $crate::dialect::Dialect;

            type Db = <$store as Dialect>::Db;

            /// The account `sql` finds by `value`.
            async fn staff_where<'c, V>(
                executor: impl sqlx::Executor<'c, Database = Db>,
                sql: &'static str,
                value: V,
            ) -> $crate::Result<Option<$crate::StaffMember>>
            where
                V: for<'q> sqlx::Encode<'q, Db> + sqlx::Type<Db> + Send + 'static,
            {
                sqlx::query_as::<_, $crate::staff::StaffRow>(sql)
                    .bind(value)
                    .fetch_optional(executor)
                    .await?
                    .map($crate::StaffMember::try_from)
                    .transpose()
            }

            #[async_trait::async_trait]
            impl $crate::staff::StaffStore for $store {
                async fn create_staff(
                    &self,
                    member: &$crate::NewStaff,
                    by: &$crate::staff::Actor,
                ) -> $crate::Result<Option<i64>> {
                    let mut tx = self.begin_write().await?;
                    let id: Option<i64> = sqlx::query_scalar($crate::staff::INSERT_STAFF_SQL)
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
                    let after = $crate::staff::AuditedStaff::of(
                        &member.email,
                        &member.name,
                        member.role,
                        true,
                    );
                    Self::audit(&mut tx, by, "staff.create", "staff", &id.to_string(), None, Some(after))
                        .await?;
                    tx.commit().await?;
                    Ok(Some(id))
                }

                async fn staff_by_email(
                    &self,
                    email: &str,
                ) -> $crate::Result<Option<$crate::StaffMember>> {
                    staff_where(self.pool(), $crate::staff::STAFF_BY_EMAIL_SQL, email.to_owned()).await
                }

                async fn staff_member(&self, id: i64) -> $crate::Result<Option<$crate::StaffMember>> {
                    staff_where(self.pool(), $crate::staff::STAFF_BY_ID_SQL, id).await
                }

                async fn all_staff(&self) -> $crate::Result<Vec<$crate::StaffMember>> {
                    sqlx::query_as::<_, $crate::staff::StaffRow>($crate::staff::ALL_STAFF_SQL)
                        .fetch_all(self.pool())
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
                    by: &$crate::staff::Actor,
                ) -> $crate::Result<bool> {
                    let mut tx = self.begin_write().await?;
                    let Some(before) = staff_where(&mut *tx, $crate::staff::STAFF_BY_ID_SQL, id).await? else {
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
                        $crate::staff::AuditedStaff::of(&before.email, name, role, active)
                    };
                    Self::audit(&mut tx,
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
                    by: &$crate::staff::Actor,
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
                    Self::audit(&mut tx, by, "staff.password", "staff", &id.to_string(), None, None).await?;
                    tx.commit().await?;
                    Ok(true)
                }

                async fn audit_entries(
                    &self,
                    filter: &$crate::AuditFilter,
                    limit: u32,
                    offset: u32,
                ) -> $crate::Result<Vec<$crate::AuditEntry>> {
                    let mut query = sqlx::QueryBuilder::<Db>::new(
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
                        .fetch_all(self.pool())
                        .await?)
                }
            }
        };
    };
}
pub(crate) use impl_staff_store;
