//! Who is asking, as far as limits care: the client's address.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::{AppState, HttpError};

/// The client's address, as [`comptoir_web::client::TrustedProxies`] finds it behind
/// the shop's balancers. Limits (logins, open unpaid orders) count per client address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .ok_or(HttpError::internal("the server gives no peer address"))?
            .0
            .ip();
        let client = state
            .shop
            .trusted_proxies
            .client_of(peer, &parts.headers)
            .ok_or(HttpError::BadRequest(
                "unreadable X-Forwarded-For from a balancer",
            ))?;
        Ok(ClientAddress(client.to_string()))
    }
}
