use std::path::PathBuf;

use crate::DatabaseUrl;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot connect to the database at {url}: {source}")]
    Connect {
        url: DatabaseUrl,
        #[source]
        source: sqlx::Error,
    },
    #[error("cannot open the embedded database {}: {source}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0} not found")]
    NotFound(String),
    #[error("only {available} left of {sku}")]
    OutOfStock { sku: String, available: i64 },
    #[error("the code {code} is used up")]
    PromotionUsedUp { code: String },
    #[error("the database holds a value Comptoir cannot read: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// Whether the database could not be reached or was going away (a restart, a
    /// failover): the request may work in a moment, and a transaction it was in was
    /// rolled back whole.
    pub fn is_unreachable(&self) -> bool {
        let StoreError::Database(error) = self else {
            return matches!(self, StoreError::Connect { .. });
        };
        match error {
            sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => true,
            // Class 08: connection exceptions; 57P01-57P03: the server shutting
            // down or starting up.
            sqlx::Error::Database(error) => error
                .code()
                .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_connection_is_unreachable_a_missing_row_is_not() {
        let lost = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset");
        assert!(StoreError::Database(sqlx::Error::Io(lost)).is_unreachable());
        assert!(StoreError::Database(sqlx::Error::PoolTimedOut).is_unreachable());
        assert!(!StoreError::Database(sqlx::Error::RowNotFound).is_unreachable());
        assert!(!StoreError::NotFound("order".to_owned()).is_unreachable());
    }
}
