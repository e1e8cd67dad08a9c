//! Who may reach the back office. It listens only on the private (VPN) address it is
//! given, and answers only clients from the allowed networks: a request from
//! anywhere else gets 403 and a log line, whatever it claims in its headers.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;

/// The networks the back office trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientNetworks {
    /// Clients from these networks are served; others get 403.
    pub allow: Vec<IpNet>,
    /// Reverse proxies whose `X-Forwarded-For` is believed. A request from any
    /// other peer is judged by the peer's own address.
    pub trusted_proxies: Vec<IpNet>,
}

/// Loopback, and the private ranges VPNs hand out (RFC 1918, IPv6 unique local).
pub const DEFAULT_ALLOW: &str =
    "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetworkError {
    #[error("'{0}' is not a network in CIDR form (such as 10.8.0.0/24) nor an address")]
    InvalidNetwork(String),
    #[error(
        "the back office would listen on {0}, every interface: bind it to the VPN address \
         (BACKOFFICE_BIND), or set BACKOFFICE_PRIVATE_NETWORK=true if this machine is \
         reachable only from a private network"
    )]
    WildcardBind(SocketAddr),
}

/// Parses a comma-separated list of networks (`10.8.0.0/24`) or single addresses.
pub fn parse_networks(list: &str) -> Result<Vec<IpNet>, NetworkError> {
    list.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| NetworkError::InvalidNetwork(item.chars().take(60).collect()))
        })
        .collect()
}

/// Refuses to listen on every interface (`0.0.0.0`, `::`) unless the operator says
/// the machine sits on a private network only.
pub fn check_bind(bind: SocketAddr, behind_private_network: bool) -> Result<(), NetworkError> {
    if bind.ip().is_unspecified() && !behind_private_network {
        return Err(NetworkError::WildcardBind(bind));
    }
    Ok(())
}

fn contains(networks: &[IpNet], address: IpAddr) -> bool {
    let address = address.to_canonical();
    networks.iter().any(|network| network.contains(&address))
}

impl ClientNetworks {
    /// The client's address: the peer's, unless the peer is a trusted proxy; then
    /// the nearest `X-Forwarded-For` entry that is not itself a trusted proxy.
    /// `None` when a trusted proxy forwarded an unreadable list.
    pub fn client_address(&self, peer: IpAddr, forwarded_for: Option<&str>) -> Option<IpAddr> {
        let Some(forwarded_for) = forwarded_for.filter(|_| contains(&self.trusted_proxies, peer))
        else {
            return Some(peer);
        };
        let mut client = peer;
        // Proxies append: the right-most entries are the ones nearest to us.
        for entry in forwarded_for.rsplit(',') {
            client = entry.trim().parse::<IpAddr>().ok()?;
            if !contains(&self.trusted_proxies, client) {
                break;
            }
        }
        Some(client)
    }

    pub fn allows(&self, client: IpAddr) -> bool {
        contains(&self.allow, client)
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

/// Every `X-Forwarded-For` header, joined in order.
fn forwarded_for(headers: &HeaderMap) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .map(|value| value.to_str().unwrap_or("?"))
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn networks(allow: &str, proxies: &str) -> ClientNetworks {
        ClientNetworks {
            allow: parse_networks(allow).unwrap(),
            trusted_proxies: parse_networks(proxies).unwrap(),
        }
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn lists_parse_networks_and_single_addresses() {
        assert_eq!(parse_networks(DEFAULT_ALLOW).unwrap().len(), 6);
        assert_eq!(
            parse_networks(" 10.8.0.0/24, 192.0.2.7 ,").unwrap(),
            [
                "10.8.0.0/24".parse::<IpNet>().unwrap(),
                "192.0.2.7/32".parse().unwrap()
            ]
        );
        assert!(parse_networks("10.8.0.0/33").is_err());
        assert!(parse_networks("office").is_err());
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
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let vpn = networks("10.8.0.0/24", "");
        assert_eq!(
            vpn.client_address(ip("127.0.0.1"), Some("10.8.0.5")),
            Some(ip("127.0.0.1"))
        );

        let proxied = networks("10.8.0.0/24", "127.0.0.1");
        assert_eq!(
            proxied.client_address(ip("127.0.0.1"), Some("10.8.0.5")),
            Some(ip("10.8.0.5"))
        );
        // A client cannot slip an allowed address in front of its own.
        assert_eq!(
            proxied.client_address(ip("127.0.0.1"), Some("10.8.0.5, 203.0.113.9")),
            Some(ip("203.0.113.9"))
        );
        assert_eq!(
            proxied.client_address(ip("127.0.0.1"), Some("garbage")),
            None
        );
        assert_eq!(
            proxied.client_address(ip("127.0.0.1"), None),
            Some(ip("127.0.0.1"))
        );
    }

    #[test]
    fn chained_trusted_proxies_are_skipped() {
        let chain = networks("10.8.0.0/24", "127.0.0.1,10.0.0.2");
        assert_eq!(
            chain.client_address(ip("127.0.0.1"), Some("10.8.0.5, 10.0.0.2")),
            Some(ip("10.8.0.5"))
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
