//! Login attempts, throttled per client address and account together. Guessing one
//! account's password from one client slows down, more with each try; the owner on
//! another client is never locked out by someone else's guesses. A client also has
//! a ceiling over all accounts (a sweep of many accounts from one address).

use std::time::Duration;

use chrono::{DateTime, Utc};
use comptoir_store::{EphemeralStore, StoreError};

/// Tries of one account from one client that never wait, in a window.
pub const FREE_TRIES: u64 = 5;
/// The longest wait between two tries.
pub const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
/// Tries from one client over all accounts, in a window.
pub const TRIES_PER_CLIENT: u64 = 50;
/// How long tries are remembered.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// How long the next try of a pair must wait once it has tried `tries` times in the
/// window: nothing for the first [`FREE_TRIES`], then 1 s, 2 s, 4 s… up to
/// [`LONGEST_WAIT`].
pub fn wait_after(tries: u64) -> Duration {
    match tries.checked_sub(FREE_TRIES) {
        None | Some(0) => Duration::ZERO,
        Some(over) => {
            let seconds = 1u64
                .checked_shl((over - 1).min(63) as u32)
                .unwrap_or(u64::MAX);
            Duration::from_secs(seconds).min(LONGEST_WAIT)
        }
    }
}

/// Whether a login attempt may go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttle {
    Go,
    /// Refused: this client must wait before trying this account again, or has
    /// tried too much overall.
    Wait,
}

/// Counts a login attempt of `account` from `client` (in `scope`: `shop` or
/// `staff`) and says whether it may go on. Counts live in the store, so every
/// replica sees them.
pub async fn login_attempt(
    store: &dyn EphemeralStore,
    scope: &str,
    client: &str,
    account: &str,
    now: DateTime<Utc>,
) -> Result<Throttle, StoreError> {
    let wait_key = format!("{scope}-login-wait:{client}:{account}");
    if store.ephemeral_get(&wait_key, now).await?.is_some() {
        return Ok(Throttle::Wait);
    }
    let window_ends = now + chrono::Duration::from_std(WINDOW).unwrap_or_default();
    let client_key = format!("{scope}-login-client:{client}");
    if store.count_in_window(&client_key, window_ends, now).await? > TRIES_PER_CLIENT {
        return Ok(Throttle::Wait);
    }
    let pair_key = format!("{scope}-login:{client}:{account}");
    let tries = store.count_in_window(&pair_key, window_ends, now).await?;
    let wait = wait_after(tries);
    if !wait.is_zero() {
        let until = now + chrono::Duration::from_std(wait).unwrap_or_default();
        store.ephemeral_put(&wait_key, b"wait", until).await?;
    }
    Ok(Throttle::Go)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_after_the_free_tries() {
        let waits: Vec<u64> = (1..=12).map(|t| wait_after(t).as_secs()).collect();
        assert_eq!(waits, [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64]);
        assert_eq!(wait_after(30), LONGEST_WAIT);
        assert_eq!(wait_after(u64::MAX), LONGEST_WAIT);
        assert_eq!(wait_after(0), Duration::ZERO);
    }
}
