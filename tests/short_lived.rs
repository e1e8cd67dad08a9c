//! Short-lived state (sessions, carts) behaves alike in Redis, PostgreSQL and SQLite.
//!
//! Redis is found at `TEST_REDIS_URL` (default `redis://127.0.0.1:6379`); without it
//! the Redis test says so loudly and passes as skipped, unless
//! `COMPTOIR_REQUIRE_REDIS=1` (as in CI).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use comptoir_e2e::{TestStore, on_both_backends};
use comptoir_sessions::{DatabaseState, RedisState, SessionStore, ShortLived};
use tower_sessions::SessionStore as _;
use tower_sessions::cookie::time::{Duration as TimeDuration, OffsetDateTime};
use tower_sessions::session::{Id, Record};

on_both_backends! {
    database_state_keeps_and_forgets,
}

async fn database_state_keeps_and_forgets(t: TestStore) {
    let state: Arc<dyn ShortLived> = Arc::new(DatabaseState(t.store.clone()));
    keeps_and_forgets(state.clone()).await;
    sessions_round_trip(state).await;
    let purged = t
        .store
        .ephemeral_purge(Utc::now() + chrono::Duration::days(365))
        .await
        .unwrap();
    assert!(purged >= 1, "expired values are purged");
}

#[tokio::test]
async fn redis_state_keeps_and_forgets() {
    let url =
        std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
    let state = match RedisState::connect(&url).await {
        Ok(state) => state,
        Err(error) if std::env::var("COMPTOIR_REQUIRE_REDIS").is_ok_and(|v| v == "1") => {
            panic!("Redis is required (COMPTOIR_REQUIRE_REDIS=1) but unreachable at {url}: {error}")
        }
        Err(error) => {
            eprintln!("\n*** SKIPPED: Redis test, no server at {url} ({error}). ***\n");
            return;
        }
    };
    let state: Arc<dyn ShortLived> = Arc::new(state);
    keeps_and_forgets(state.clone()).await;
    sessions_round_trip(state).await;
}

/// A key unique to this run, so that parallel tests sharing one Redis do not meet.
fn key(name: &str) -> String {
    format!(
        "test:{}:{}:{name}",
        std::process::id(),
        Utc::now().timestamp_nanos_opt().unwrap_or(0)
    )
}

async fn keeps_and_forgets(state: Arc<dyn ShortLived>) {
    let cart = key("cart");
    assert_eq!(state.get(&cart).await.unwrap(), None);
    state
        .put(
            &cart,
            b"two witches",
            Utc::now() + chrono::Duration::hours(1),
        )
        .await
        .unwrap();
    assert_eq!(
        state.get(&cart).await.unwrap().as_deref(),
        Some(&b"two witches"[..])
    );
    state
        .put(&cart, b"one witch", Utc::now() + chrono::Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(
        state.get(&cart).await.unwrap().as_deref(),
        Some(&b"one witch"[..])
    );
    state.delete(&cart).await.unwrap();
    assert_eq!(state.get(&cart).await.unwrap(), None);

    let fleeting = key("fleeting");
    state
        .put(
            &fleeting,
            b"soon gone",
            Utc::now() + chrono::Duration::seconds(1),
        )
        .await
        .unwrap();
    let hour = Utc::now() + chrono::Duration::hours(1);
    assert!(
        !state.put_new(&fleeting, b"taken", hour).await.unwrap(),
        "a live key is not taken over"
    );
    let fresh = key("fresh");
    assert!(state.put_new(&fresh, b"first", hour).await.unwrap());
    assert!(!state.put_new(&fresh, b"second", hour).await.unwrap());
    assert_eq!(
        state.get(&fresh).await.unwrap().as_deref(),
        Some(&b"first"[..])
    );
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    assert_eq!(
        state.get(&fleeting).await.unwrap(),
        None,
        "an expired value is gone"
    );
    assert!(
        state.put_new(&fleeting, b"again", hour).await.unwrap(),
        "an expired key is free again"
    );
}

async fn sessions_round_trip(state: Arc<dyn ShortLived>) {
    let store = SessionStore(state);
    let mut record = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: OffsetDateTime::now_utc() + TimeDuration::hours(2),
    };
    record
        .data
        .insert("csrf".to_owned(), serde_json::json!("b4c8e1"));
    store.create(&mut record).await.unwrap();
    assert_eq!(store.load(&record.id).await.unwrap(), Some(record.clone()));
    store.delete(&record.id).await.unwrap();
    assert_eq!(store.load(&record.id).await.unwrap(), None);
}
