//! Credentials. New passwords are hashed with argon2id. Customers imported from
//! Magento 1.9 keep their old hashes (`md5(salt + password):salt`, or SHA-256 in the
//! same form) until their first login, which verifies the old hash and asks for an
//! argon2id one in its place: no plain password is ever needed.
//!
//! Hashing is slow on purpose: callers run it off the async executor
//! (`tokio::task::spawn_blocking`).

pub mod throttle;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use md5::Md5;
use sha2::{Digest, Sha256};

/// Shortest and longest passwords accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("a password has at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("a password has at most {MAX_PASSWORD_CHARS} characters")]
    TooLong,
    #[error("password hashing failed: {0}")]
    Hashing(String),
}

/// A password as chosen by its owner, checked for length. Never logged.
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub fn parse(text: &str) -> Result<Password, PasswordError> {
        match text.chars().count() {
            n if n < MIN_PASSWORD_CHARS => Err(PasswordError::TooShort),
            n if n > MAX_PASSWORD_CHARS => Err(PasswordError::TooLong),
            _ => Ok(Password(text.to_owned())),
        }
    }

    /// A password a legacy hash has just proved to be its owner's: hashed again
    /// with argon2id whatever its length. Magento allowed 6 characters; the length
    /// rule is for passwords chosen from now on, and a short one is better stored
    /// in argon2id than left in salted MD5.
    pub fn proven(text: &str) -> Password {
        Password(text.to_owned())
    }

    /// The argon2id hash to store (PHC string, with its own random salt).
    pub fn hash(&self) -> Result<String, PasswordError> {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(self.0.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| PasswordError::Hashing(e.to_string()))
    }
}

/// What checking a typed password against a stored hash found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    Valid,
    /// Valid, but the stored hash is a legacy one: store a fresh argon2id hash.
    ValidNeedsRehash,
    Invalid,
}

/// Checks `typed` against `stored` (argon2 PHC, or Magento's `hash:salt`). Anything
/// unreadable is simply invalid.
pub fn verify(typed: &str, stored: &str) -> Verification {
    if stored.starts_with("$argon2") {
        let valid = PasswordHash::new(stored).is_ok_and(|hash| {
            Argon2::default()
                .verify_password(typed.as_bytes(), &hash)
                .is_ok()
        });
        return if valid {
            Verification::Valid
        } else {
            Verification::Invalid
        };
    }
    let Some((hash, salt)) = stored.split_once(':') else {
        return Verification::Invalid;
    };
    let salted = format!("{salt}{typed}");
    let computed = match hash.len() {
        32 => hex(&Md5::digest(salted.as_bytes())),
        64 => hex(&Sha256::digest(salted.as_bytes())),
        _ => return Verification::Invalid,
    };
    if constant_time_eq(computed.as_bytes(), hash.to_ascii_lowercase().as_bytes()) {
        Verification::ValidNeedsRehash
    } else {
        Verification::Invalid
    }
}

/// What a session remembers of the password it was opened with: a digest of the
/// stored hash (never the hash itself). A new password (a new hash, with a new salt)
/// gives another fingerprint, so every session opened before it no longer matches.
pub fn credentials_fingerprint(password_hash: &str) -> String {
    hex(&Sha256::digest(password_hash.as_bytes())[..16])
}

/// Checks `typed` against an account's hash; without an account, against a decoy
/// hash, so that an unknown address answers as slowly as a wrong password.
pub fn verify_account(typed: &str, stored: Option<&str>) -> Verification {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let decoy = DECOY.get_or_init(|| {
        Password::parse("decoy password for unknown accounts")
            .and_then(|p| p.hash())
            .unwrap_or_default()
    });
    match stored {
        Some(stored) => verify(typed, stored),
        None => {
            verify(typed, decoy);
            Verification::Invalid
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares without stopping at the first difference, so timing tells nothing.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip() {
        let hash = Password::parse("bruja-de-oz-2026").unwrap().hash().unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert_eq!(verify("bruja-de-oz-2026", &hash), Verification::Valid);
        assert_eq!(verify("bruja-de-oz-2027", &hash), Verification::Invalid);
        let again = Password::parse("bruja-de-oz-2026").unwrap().hash().unwrap();
        assert_ne!(hash, again, "each hash has its own salt");
    }

    #[test]
    fn magento_hashes_are_verified_once_then_replaced() {
        // md5("Xy" + "secret12") and sha256("Xy" + "secret12"), as Magento 1.9 stores them.
        let md5 = format!("{}:Xy", hex(&Md5::digest(b"Xysecret12")));
        let sha = format!("{}:Xy", hex(&Sha256::digest(b"Xysecret12")));
        for stored in [&md5, &sha] {
            assert_eq!(verify("secret12", stored), Verification::ValidNeedsRehash);
            assert_eq!(verify("secret13", stored), Verification::Invalid);
        }
        assert_eq!(
            verify("secret12", &md5.to_uppercase().replace(":XY", ":Xy")),
            Verification::ValidNeedsRehash
        );
        // Stored values computed apart (Python's hashlib) for salt "qX", "password".
        assert_eq!(
            verify("password", "b88a535a3bce26f9901c0ae40c4ea724:qX"),
            Verification::ValidNeedsRehash
        );
        assert_eq!(
            verify(
                "password",
                "4f7aabc4c21bc37bead812422d8f4c0e5acccb7ff3b2bae913d9b09eed2f3047:qX"
            ),
            Verification::ValidNeedsRehash
        );
    }

    #[test]
    fn garbage_is_invalid() {
        for stored in ["", "nocolon", "abc:salt", "$argon2id$broken", ":"] {
            assert_eq!(
                verify("whatever1", stored),
                Verification::Invalid,
                "{stored}"
            );
        }
    }

    #[test]
    fn password_lengths() {
        assert_eq!(
            Password::parse("short").unwrap_err(),
            PasswordError::TooShort
        );
        assert_eq!(
            Password::parse(&"x".repeat(129)).unwrap_err(),
            PasswordError::TooLong
        );
        assert_eq!(
            format!("{:?}", Password::parse("long enough").unwrap()),
            "Password(***)"
        );
    }

    #[test]
    fn a_new_password_changes_the_fingerprint() {
        let first = Password::parse("correct horse battery")
            .unwrap()
            .hash()
            .unwrap();
        let second = Password::parse("correct horse battery")
            .unwrap()
            .hash()
            .unwrap();
        assert_eq!(
            credentials_fingerprint(&first),
            credentials_fingerprint(&first)
        );
        assert_ne!(
            credentials_fingerprint(&first),
            credentials_fingerprint(&second),
            "even the same password, hashed again with a new salt"
        );
        assert_eq!(credentials_fingerprint(&first).len(), 32);
        assert!(
            !credentials_fingerprint(&first).contains('$'),
            "not the hash"
        );
    }
}
