//! Who is logged in to the back office. The session holds only the staff member's
//! id; the account is read again on every request, so disabling it or changing its
//! role takes effect at once.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use comptoir_domain::staff::Permission;
use comptoir_store::{Actor, StaffMember};
use tower_sessions::Session;

use crate::{AppState, BackofficeError};

const STAFF_KEY: &str = "staff";

/// The logged-in staff member; pages that take it need a login.
pub struct CurrentStaff(pub StaffMember);

impl CurrentStaff {
    /// Refuses the request unless the staff member's role allows `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), BackofficeError> {
        if self.0.role.may(permission) {
            Ok(())
        } else {
            Err(BackofficeError::NotAllowed(permission))
        }
    }

    pub fn actor(&self) -> Actor {
        Actor::staff(&self.0)
    }
}

impl FromRequestParts<AppState> for CurrentStaff {
    type Rejection = BackofficeError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|_| BackofficeError::Internal("the session layer is missing"))?;
        let Some(id) = session.get::<i64>(STAFF_KEY).await? else {
            return Err(BackofficeError::LoginRequired);
        };
        match state.store.staff_member(id).await? {
            Some(member) if member.active => Ok(CurrentStaff(member)),
            _ => {
                session.flush().await?;
                Err(BackofficeError::LoginRequired)
            }
        }
    }
}

/// Logs `staff_id` in, under a new session id (no fixation).
pub async fn log_in(session: &Session, staff_id: i64) -> Result<(), BackofficeError> {
    session.cycle_id().await?;
    session.insert(STAFF_KEY, staff_id).await?;
    Ok(())
}

/// Ends the session: its record deleted, its cookie removed.
pub async fn log_out(session: &Session) -> Result<(), BackofficeError> {
    session.flush().await?;
    Ok(())
}
