//! Who may reach the back office. It listens only on the private (VPN) address it is
//! given, and answers only clients from the allowed networks: a request from
//! anywhere else gets 403 and a log line, whatever it claims in its headers.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use comptoir_web::client::{Networks, TrustedProxies, forwarded_for};

/// The networks the back office trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientNetworks {
    /// Clients from these networks are served; others get 403.
    pub allow: Networks,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: TrustedProxies,
}

/// Loopback, and the private ranges VPNs hand out (RFC 1918, IPv6 unique local).
pub const DEFAULT_ALLOW: &str =
    "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetworkError {
    #[error(
        "the back office would listen on {0}, every interface: bind it to the VPN address \
         (BACKOFFICE_BIND), or set BACKOFFICE_PRIVATE_NETWORK=true if this machine is \
         reachable only from a private network"
    )]
    WildcardBind(SocketAddr),
}

/// Refuses to listen on every interface (`0.0.0.0`, `::`) unless the operator says
/// the machine sits on a private network only.
pub fn check_bind(bind: SocketAddr, behind_private_network: bool) -> Result<(), NetworkError> {
    if bind.ip().is_unspecified() && !behind_private_network {
        return Err(NetworkError::WildcardBind(bind));
    }
    Ok(())
}

impl ClientNetworks {
    /// The client's address (see [`TrustedProxies::client_address`]).
    pub fn client_address(&self, peer: IpAddr, forwarded_for: Option<&str>) -> Option<IpAddr> {
        self.trusted_proxies.client_address(peer, forwarded_for)
    }

    pub fn allows(&self, client: IpAddr) -> bool {
        self.allow.contains(client)
    }
}

/// The client's address as [`ClientNetworks::client_address`] found it, for handlers
/// (login limits per address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// Answers 403 to any client outside the allowed networks, before anything else.
pub async fn allowlist_layer(
    State(networks): State<Arc<ClientNetworks>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut request: Request,
    next: Next,
) -> Response {
    let forwarded_for = forwarded_for(request.headers());
    match networks.client_address(peer.ip(), forwarded_for.as_deref()) {
        Some(client) if networks.allows(client) => {
            request.extensions_mut().insert(ClientAddress(client));
            next.run(request).await
        }
        client => {
            tracing::warn!(
                peer = %peer.ip(),
                client = ?client,
                forwarded_for = forwarded_for.as_deref().unwrap_or(""),
                path = request.uri().path(),
                "back office request from outside the allowed networks refused"
            );
            (StatusCode::FORBIDDEN, "Forbidden\n").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn networks(allow: &str, proxies: &str) -> ClientNetworks {
        ClientNetworks {
            allow: Networks::parse(allow).unwrap(),
            trusted_proxies: TrustedProxies::parse(proxies).unwrap(),
        }
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_default_allow_list_parses() {
        assert_eq!(Networks::parse(DEFAULT_ALLOW).unwrap().len(), 6);
    }

    #[test]
    fn default_networks_are_private_ones() {
        let default = networks(DEFAULT_ALLOW, "");
        for allowed in [
            "127.0.0.1",
            "::1",
            "10.8.0.5",
            "172.20.1.1",
            "192.168.1.9",
            "fd00::7",
        ] {
            assert!(default.allows(ip(allowed)), "{allowed}");
        }
        for refused in ["8.8.8.8", "172.32.0.1", "2001:db8::1", "::ffff:8.8.8.8"] {
            assert!(!default.allows(ip(refused)), "{refused}");
        }
        assert!(
            default.allows(ip("::ffff:10.0.0.1")),
            "IPv4-mapped addresses count as IPv4"
        );
    }

    #[test]
    fn wildcard_binds_need_the_operators_word() {
        let wildcard: SocketAddr = "0.0.0.0:8081".parse().unwrap();
        assert!(check_bind(wildcard, false).is_err());
        assert!(check_bind("[::]:8081".parse().unwrap(), false).is_err());
        assert!(check_bind(wildcard, true).is_ok());
        assert!(check_bind("10.8.0.1:8081".parse().unwrap(), false).is_ok());
    }
}
