//! Who is logged in to the back office. The session holds only the staff member's
//! id and a fingerprint of the password it was opened with; the account is read
//! again on every request, so disabling it, changing its role or its password takes
//! effect at once (a new password ends every other session).

use std::marker::PhantomData;
use std::ops::Deref;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use comptoir_domain::staff::Permission;
use comptoir_store::{Actor, StaffMember};
use comptoir_web::csrf::FormToken;
use tower_sessions::Session;

use crate::pages::Layout;
use crate::{AppState, HttpError};

const SIGNED_IN_KEY: &str = "staff-signed-in";

/// Who a session was opened for, and with which password.
#[derive(serde::Serialize, serde::Deserialize)]
struct SignedIn {
    staff_id: i64,
    /// [`comptoir_accounts::credentials_fingerprint`] of the password hash at login.
    credentials: String,
}

/// The logged-in staff member, with the token of the forms of their pages; pages
/// that take it need a login.
pub struct CurrentStaff {
    pub member: StaffMember,
    form_token: FormToken,
}

impl CurrentStaff {
    pub fn actor(&self) -> Actor {
        Actor::staff(&self.member)
    }

    /// The frame of a page for this staff member.
    pub fn layout(&self) -> Layout<'_> {
        Layout::for_staff(&self.member, &self.form_token)
    }

    /// What the forms of this staff member's pages carry.
    pub fn form_token(&self) -> &FormToken {
        &self.form_token
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
            return Err(HttpError::LoginRequired("/login".to_owned()));
        };
        let fingerprint = |member: &StaffMember| {
            comptoir_accounts::credentials_fingerprint(&member.password_hash)
        };
        match state.store.staff_member(signed_in.staff_id).await? {
            Some(member) if member.active && fingerprint(&member) == signed_in.credentials => {
                let form_token = FormToken::from_request_parts(parts, state)
                    .await
                    .map_err(|_| HttpError::unavailable("a session for a form cannot be stored"))?;
                Ok(CurrentStaff { member, form_token })
            }
            _ => {
                session.flush().await?;
                Err(HttpError::LoginRequired("/login".to_owned()))
            }
        }
    }
}

/// What a page needs the staff member's role to allow.
pub trait Right: Send + Sync + 'static {
    /// `None`: any logged-in staff member.
    const NEEDED: Option<Permission>;
}

/// Rights, one type each, for handlers to name: `Staff<EditCatalogue>`.
macro_rules! rights {
    ($($(#[$doc:meta])* $name:ident => $needed:expr;)*) => {$(
        $(#[$doc])*
        pub struct $name;

        impl Right for $name {
            const NEEDED: Option<Permission> = $needed;
        }
    )*};
}

rights! {
    /// Reading: every role.
    AnyRole => None;
    EditCatalogue => Some(Permission::EditCatalogue);
    ManageOrders => Some(Permission::ManageOrders);
    ManageStaff => Some(Permission::ManageStaff);
    ReadAuditLog => Some(Permission::ReadAuditLog);
    HandlePrivacyRequests => Some(Permission::HandlePrivacyRequests);
    ManagePromotions => Some(Permission::ManagePromotions);
}

/// The logged-in staff member, whose role allows `R`: checked before the request's
/// body is read, so a refused request reads and changes nothing.
pub struct Staff<R: Right = AnyRole> {
    current: CurrentStaff,
    right: PhantomData<R>,
}

impl<R: Right> Deref for Staff<R> {
    type Target = CurrentStaff;

    fn deref(&self) -> &CurrentStaff {
        &self.current
    }
}

impl<R: Right> FromRequestParts<AppState> for Staff<R> {
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let current = CurrentStaff::from_request_parts(parts, state).await?;
        if let Some(permission) = R::NEEDED
            && !current.member.role.may(permission)
        {
            return Err(HttpError::forbidden(format!(
                "the role of {} does not allow {permission:?}",
                current.member.email
            )));
        }
        Ok(Staff {
            current,
            right: PhantomData,
        })
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
