//! Short-lived shopper state: sessions and carts. Never in a replica's memory, so any
//! storefront replica can serve any request: in Redis when `REDIS_URL` is set, in
//! the database (PostgreSQL or the embedded SQLite) otherwise.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use comptoir_store::EphemeralStore;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store;

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("redis: {0}")]
    Redis(redis::RedisError),
    #[error(transparent)]
    Store(#[from] comptoir_store::StoreError),
}

/// Every Redis error passes here: counted for the metrics
/// (`comptoir_redis_errors_total`), where a failing Redis shows before shoppers
/// report it.
impl From<redis::RedisError> for StateError {
    fn from(error: redis::RedisError) -> StateError {
        metrics::counter!("comptoir_redis_errors_total").increment(1);
        StateError::Redis(error)
    }
}

/// Where short-lived values live: bytes under a key until they expire.
#[async_trait]
pub trait ShortLived: Send + Sync + 'static {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StateError>;
    async fn put(
        &self,
        key: &str,
        value: &[u8],
        expires_at: DateTime<Utc>,
    ) -> Result<(), StateError>;
    /// Stores a value under a key that holds none yet; `false` if it was taken.
    async fn put_new(
        &self,
        key: &str,
        value: &[u8],
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StateError>;

    async fn delete(&self, key: &str) -> Result<(), StateError>;

    /// Whether the values can be reached (for readiness).
    async fn ping(&self) -> Result<(), StateError>;
}

/// Redis, through one multiplexed connection that reconnects by itself.
#[derive(Clone)]
pub struct RedisState(ConnectionManager);

impl RedisState {
    /// Connects to Redis. While Redis is down, each call fails within about a
    /// second (the shopper gets a "temporarily unavailable" page rather than a long
    /// wait), and the connection is made again once Redis is back.
    pub async fn connect(url: &str) -> Result<RedisState, StateError> {
        let client = redis::Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_millis(500)))
            .set_response_timeout(Some(Duration::from_secs(1)))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(200));
        Ok(RedisState(
            ConnectionManager::new_with_config(client, config).await?,
        ))
    }
}

#[async_trait]
impl ShortLived for RedisState {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StateError> {
        let mut connection = self.0.clone();
        Ok(redis::cmd("GET")
            .arg(key)
            .query_async(&mut connection)
            .await?)
    }

    async fn put(
        &self,
        key: &str,
        value: &[u8],
        expires_at: DateTime<Utc>,
    ) -> Result<(), StateError> {
        let mut connection = self.0.clone();
        // Redis drops the key itself at the expiry instant (EXAT, in Unix seconds).
        let expiry = expires_at.timestamp().max(Utc::now().timestamp() + 1);
        let () = redis::cmd("SET")
            .arg(key)
            .arg(value)
            .arg("EXAT")
            .arg(expiry)
            .query_async(&mut connection)
            .await?;
        Ok(())
    }

    async fn put_new(
        &self,
        key: &str,
        value: &[u8],
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StateError> {
        let mut connection = self.0.clone();
        let expiry = expires_at.timestamp().max(Utc::now().timestamp() + 1);
        let set: Option<String> = redis::cmd("SET")
            .arg(key)
            .arg(value)
            .arg("EXAT")
            .arg(expiry)
            .arg("NX")
            .query_async(&mut connection)
            .await?;
        Ok(set.is_some())
    }

    async fn delete(&self, key: &str) -> Result<(), StateError> {
        let mut connection = self.0.clone();
        let _: i64 = redis::cmd("DEL")
            .arg(key)
            .query_async(&mut connection)
            .await?;
        Ok(())
    }

    async fn ping(&self) -> Result<(), StateError> {
        let mut connection = self.0.clone();
        let _: String = redis::cmd("PING").query_async(&mut connection).await?;
        Ok(())
    }
}

/// The database, through the store: for the single node without Redis.
#[derive(Clone)]
pub struct DatabaseState(pub Arc<dyn EphemeralStore>);

#[async_trait]
impl ShortLived for DatabaseState {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StateError> {
        Ok(self.0.ephemeral_get(key, Utc::now()).await?)
    }

    async fn put(
        &self,
        key: &str,
        value: &[u8],
        expires_at: DateTime<Utc>,
    ) -> Result<(), StateError> {
        Ok(self.0.ephemeral_put(key, value, expires_at).await?)
    }

    async fn put_new(
        &self,
        key: &str,
        value: &[u8],
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StateError> {
        Ok(self
            .0
            .ephemeral_put_new(key, value, expires_at, Utc::now())
            .await?)
    }

    async fn delete(&self, key: &str) -> Result<(), StateError> {
        Ok(self.0.ephemeral_delete(key).await?)
    }

    async fn ping(&self) -> Result<(), StateError> {
        self.0.ephemeral_get("ping", Utc::now()).await?;
        Ok(())
    }
}

/// tower-sessions' store over [`ShortLived`].
#[derive(Clone)]
pub struct SessionStore(pub Arc<dyn ShortLived>);

impl std::fmt::Debug for SessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionStore")
    }
}

fn session_key(id: &Id) -> String {
    format!("session:{id}")
}

fn backend(error: StateError) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn encode(record: &Record) -> session_store::Result<(Vec<u8>, DateTime<Utc>)> {
    let bytes =
        serde_json::to_vec(record).map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let expires_at =
        DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0).unwrap_or_else(Utc::now);
    Ok((bytes, expires_at))
}

#[async_trait]
impl tower_sessions::SessionStore for SessionStore {
    /// A new session never takes over an existing one: on an id collision, another
    /// random id is drawn.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let (bytes, expires_at) = encode(record)?;
            let stored = self
                .0
                .put_new(&session_key(&record.id), &bytes, expires_at)
                .await
                .map_err(backend)?;
            if stored {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let (bytes, expires_at) = encode(record)?;
        self.0
            .put(&session_key(&record.id), &bytes, expires_at)
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(bytes) = self.0.get(&session_key(id)).await.map_err(backend)? else {
            return Ok(None);
        };
        // A record that no longer decodes (an older format) is a lost session, not an error.
        Ok(serde_json::from_slice(&bytes).ok())
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.0.delete(&session_key(id)).await.map_err(backend)
    }
}

/// The cookie of a session kept in `state`: HttpOnly, `same_site`, ending after
/// `idle` without a request. Over https it is Secure and bound to the exact host
/// (`__Host-` + `name`): no subdomain can set or read it.
pub fn session_layer(
    state: Arc<dyn ShortLived>,
    name: &'static str,
    same_site: tower_sessions::cookie::SameSite,
    https: bool,
    idle: std::time::Duration,
) -> tower_sessions::SessionManagerLayer<SessionStore> {
    let name = if https {
        format!("__Host-{name}")
    } else {
        name.to_owned()
    };
    let idle = tower_sessions::cookie::time::Duration::try_from(idle)
        .unwrap_or(tower_sessions::cookie::time::Duration::HOUR);
    tower_sessions::SessionManagerLayer::new(SessionStore(state))
        .with_name(name)
        .with_http_only(true)
        .with_same_site(same_site)
        .with_secure(https)
        .with_expiry(tower_sessions::Expiry::OnInactivity(idle))
}
