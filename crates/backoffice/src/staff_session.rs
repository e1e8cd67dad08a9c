//! Who is logged in to the back office. The session holds only the staff member's
//! id and a fingerprint of the password it was opened with; the account is read
//! again on every request, so disabling it, changing its role or its password takes
//! effect at once (a new password ends every other session).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use comptoir_domain::staff::Permission;
use comptoir_store::{Actor, StaffMember};
use tower_sessions::Session;

use crate::{AppState, HttpError};

const SIGNED_IN_KEY: &str = "staff-signed-in";

/// Who a session was opened for, and with which password.
#[derive(serde::Serialize, serde::Deserialize)]
struct SignedIn {
    staff_id: i64,
    /// [`comptoir_accounts::credentials_fingerprint`] of the password hash at login.
    credentials: String,
}

/// The logged-in staff member; pages that take it need a login.
pub struct CurrentStaff(pub StaffMember);

impl CurrentStaff {
    /// Refuses the request unless the staff member's role allows `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), HttpError> {
        if self.0.role.may(permission) {
            Ok(())
        } else {
            Err(HttpError::forbidden(format!(
                "the role does not allow {permission:?}"
            )))
        }
    }

    pub fn actor(&self) -> Actor {
        Actor::staff(&self.0)
    }
}

impl FromRequestParts<AppState> for CurrentStaff {
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|_| HttpError::internal("the session layer is missing"))?;
        let Some(signed_in) = session.get::<SignedIn>(SIGNED_IN_KEY).await? else {
            return Err(HttpError::LoginRequired("/login"));
        };
        let fingerprint = |member: &StaffMember| {
            comptoir_accounts::credentials_fingerprint(&member.password_hash)
        };
        match state.store.staff_member(signed_in.staff_id).await? {
            Some(member) if member.active && fingerprint(&member) == signed_in.credentials => {
                Ok(CurrentStaff(member))
            }
            _ => {
                session.flush().await?;
                Err(HttpError::LoginRequired("/login"))
            }
        }
    }
}

/// Whether the session is a staff member's (checked in full by [`CurrentStaff`]).
pub async fn signed_in(session: &Session) -> Result<bool, HttpError> {
    Ok(session.get::<SignedIn>(SIGNED_IN_KEY).await?.is_some())
}

/// Logs `member` in, under a new session id (no fixation), remembering the password
/// it logged in with.
pub async fn log_in(session: &Session, member: &StaffMember) -> Result<(), HttpError> {
    session.cycle_id().await?;
    let signed_in = SignedIn {
        staff_id: member.id,
        credentials: comptoir_accounts::credentials_fingerprint(&member.password_hash),
    };
    session.insert(SIGNED_IN_KEY, signed_in).await?;
    Ok(())
}

/// Ends the session: its record deleted, its cookie removed.
pub async fn log_out(session: &Session) -> Result<(), HttpError> {
    session.flush().await?;
    Ok(())
}
