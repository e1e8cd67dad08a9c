//! Who is asking, as far as limits care: the client's address.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::{AppState, StorefrontError};

/// The client's address: the TCP peer, or the balancer's last `X-Forwarded-For` entry
/// when the balancer is trusted to append it (`TRUST_FORWARDED_FOR`). Limits (logins,
/// open unpaid orders) count per client address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = StorefrontError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = state
            .shop
            .trust_forwarded_for
            .then(|| {
                parts
                    .headers
                    .get("x-forwarded-for")?
                    .to_str()
                    .ok()?
                    .rsplit(',')
                    .next()
                    .map(|a| a.trim().to_owned())
            })
            .flatten()
            .filter(|a| !a.is_empty());
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| peer.ip().to_string());
        forwarded
            .or(peer)
            .map(ClientAddress)
            .ok_or(StorefrontError::Internal(
                "the server gives no peer address",
            ))
    }
}
