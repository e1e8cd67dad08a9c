//! Who is asking: the client's address, one policy for both applications. A
//! request's peer is the client unless it is a trusted proxy (a balancer, the VPN's
//! proxy); then the nearest `X-Forwarded-For` entry that is not itself a trusted
//! proxy is. From any other peer the header is ignored, whatever it claims.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a network in CIDR form (such as 10.8.0.0/24) nor an address")]
pub struct InvalidNetwork(String);

/// A list of networks, such as the clients the back office serves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Networks(Vec<IpNet>);

impl Networks {
    /// A comma-separated list of networks (`10.8.0.0/24`) or single addresses.
    pub fn parse(list: &str) -> Result<Networks, InvalidNetwork> {
        list.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<IpNet>()
                    .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| InvalidNetwork(item.chars().take(60).collect()))
            })
            .collect::<Result<_, _>>()
            .map(Networks)
    }

    /// Whether `address` (IPv4-mapped IPv6 counted as IPv4) is in one of the networks.
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|network| network.contains(&address))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The proxies whose `X-Forwarded-For` is believed; none by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Networks);

impl TrustedProxies {
    /// A CIDR list (`TRUSTED_PROXIES`); empty trusts none.
    pub fn parse(list: &str) -> Result<TrustedProxies, InvalidNetwork> {
        Networks::parse(list).map(TrustedProxies)
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then
    /// the nearest `X-Forwarded-For` entry that is not itself a trusted proxy.
    /// `None` when a trusted proxy forwarded an unreadable list.
    pub fn client_address(&self, peer: IpAddr, forwarded_for: Option<&str>) -> Option<IpAddr> {
        let Some(forwarded_for) = forwarded_for.filter(|_| self.0.contains(peer)) else {
            return Some(peer);
        };
        let mut client = peer;
        // Proxies append: the right-most entries are the ones nearest to us.
        for entry in forwarded_for.rsplit(',') {
            client = entry.trim().parse::<IpAddr>().ok()?;
            if !self.0.contains(client) {
                break;
            }
        }
        Some(client)
    }

    /// [`TrustedProxies::client_address`] of a request from `peer`.
    pub fn client_of(&self, peer: IpAddr, headers: &HeaderMap) -> Option<IpAddr> {
        self.client_address(peer, forwarded_for(headers).as_deref())
    }
}

/// Every `X-Forwarded-For` header, joined in order.
pub fn forwarded_for(headers: &HeaderMap) -> Option<String> {
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

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn proxies(list: &str) -> TrustedProxies {
        TrustedProxies::parse(list).unwrap()
    }

    #[test]
    fn lists_parse_networks_and_single_addresses() {
        assert_eq!(
            Networks::parse(" 10.8.0.0/24, 192.0.2.7 ,").unwrap().0,
            [
                "10.8.0.0/24".parse::<IpNet>().unwrap(),
                "192.0.2.7/32".parse().unwrap()
            ]
        );
        assert!(Networks::parse("10.8.0.0/33").is_err());
        assert!(Networks::parse("office").is_err());
        assert_eq!(
            TrustedProxies::parse("").unwrap(),
            TrustedProxies::default()
        );
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client_address(ip("127.0.0.1"), Some("10.8.0.5")),
            Some(ip("127.0.0.1"))
        );

        let balancer = proxies("127.0.0.1");
        assert_eq!(
            balancer.client_address(ip("127.0.0.1"), Some("10.8.0.5")),
            Some(ip("10.8.0.5"))
        );
        // A client cannot slip another address in front of its own.
        assert_eq!(
            balancer.client_address(ip("127.0.0.1"), Some("10.8.0.5, 203.0.113.9")),
            Some(ip("203.0.113.9"))
        );
        assert_eq!(
            balancer.client_address(ip("127.0.0.1"), Some("garbage")),
            None
        );
        assert_eq!(
            balancer.client_address(ip("127.0.0.1"), None),
            Some(ip("127.0.0.1"))
        );
        assert_eq!(
            balancer.client_address(ip("198.51.100.1"), Some("10.8.0.5")),
            Some(ip("198.51.100.1")),
            "an untrusted peer's header is ignored"
        );
    }

    #[test]
    fn chained_trusted_proxies_are_skipped() {
        let chain = proxies("127.0.0.1,10.0.0.2");
        assert_eq!(
            chain.client_address(ip("127.0.0.1"), Some("10.8.0.5, 10.0.0.2")),
            Some(ip("10.8.0.5"))
        );
    }

    #[test]
    fn every_forwarded_for_header_counts_in_order() {
        let mut headers = HeaderMap::new();
        assert_eq!(forwarded_for(&headers), None);
        headers.append("x-forwarded-for", "10.8.0.5".parse().unwrap());
        headers.append("x-forwarded-for", "10.0.0.2".parse().unwrap());
        assert_eq!(
            forwarded_for(&headers).as_deref(),
            Some("10.8.0.5,10.0.0.2")
        );
    }
}
