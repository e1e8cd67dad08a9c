//! Short-lived values (sessions, carts) kept in the database when no Redis is
//! configured. The SQL is the same for both backends.

pub(crate) const GET_SQL: &str = "SELECT value FROM ephemeral WHERE key = $1 AND expires_at > $2";
pub(crate) const PUT_SQL: &str = "INSERT INTO ephemeral (key, value, expires_at) VALUES ($1, $2, $3) \
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at";
/// Inserts unless a live value holds the key; an expired one is replaced.
pub(crate) const PUT_NEW_SQL: &str = "INSERT INTO ephemeral (key, value, expires_at) VALUES ($1, $2, $3) \
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at \
     WHERE ephemeral.expires_at <= $4";
pub(crate) const DELETE_SQL: &str = "DELETE FROM ephemeral WHERE key = $1";
pub(crate) const PURGE_SQL: &str = "DELETE FROM ephemeral WHERE expires_at <= $1";
