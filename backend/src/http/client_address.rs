//! The client's IP address: the TCP peer, or, when the peer is one of our own reverse proxies
//! (`BUURTKRACHT_TRUSTED_PROXIES`), the address that proxy put in `X-Forwarded-For`. Rate
//! limits and budgets per client read it here and nowhere else.

use std::net::IpAddr;

use actix_web::HttpRequest;

/// One address range, e.g. `10.0.0.0/8`, `::1/128` (a single address has the full length).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Range {
    network: IpAddr,
    prefix: u8,
}

impl Range {
    fn parse(text: &str) -> Option<Self> {
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = address.trim().parse().ok()?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.trim().parse::<u8>().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(Self { network, prefix })
    }

    fn contains(&self, address: IpAddr) -> bool {
        match (self.network, unmapped(address)) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4 address written as IPv6 (`::ffff:192.0.2.1`, as dual-stack sockets report it) is the
/// IPv4 address.
fn unmapped(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 @ IpAddr::V4(_) => v4,
    }
}

/// The reverse proxies whose `X-Forwarded-For` we believe (`BUURTKRACHT_TRUSTED_PROXIES`).
/// Empty by default: the header is then ignored, since any client can send it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Range>);

impl TrustedProxies {
    /// Parse a comma-separated list of IP addresses and CIDR ranges (`10.0.0.0/8, ::1`); an
    /// empty text is the empty set. The error names the entry that is not an address or range.
    pub fn parse(text: &str) -> Result<Self, String> {
        text.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                Range::parse(entry).ok_or_else(|| {
                    format!("{entry:?} is not an IP address or CIDR range (e.g. 10.0.0.0/8)")
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    /// Whether `address` is one of the trusted proxies.
    pub fn contains(&self, address: IpAddr) -> bool {
        self.0.iter().any(|range| range.contains(address))
    }

    /// Whether no proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One entry of `X-Forwarded-For`: an address, possibly with a port (`192.0.2.1:4711`,
/// `[2001:db8::1]:4711`), as some proxies write it.
fn forwarded_address(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .map(unmapped)
}

/// The client of the request, from the peer address and the `X-Forwarded-For` headers.
///
/// Without a trusted peer the header is ignored. From a trusted peer, the entries are read from
/// the right (each proxy appends the address it saw): the first address that is not itself a
/// trusted proxy is the client; when every entry is a trusted proxy, the left-most one. An
/// entry that is not an address stops the walk at the hop that wrote it, so a client cannot
/// smuggle anything past our own proxy. `None` only when the peer is unknown.
pub fn client_address(req: &HttpRequest, trusted: &TrustedProxies) -> Option<IpAddr> {
    let peer = unmapped(req.peer_addr()?.ip());
    if !trusted.contains(peer) {
        return Some(peer);
    }
    let entries: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    let mut client = peer;
    for entry in entries.iter().rev() {
        let Some(address) = forwarded_address(entry) else {
            break;
        };
        client = address;
        if !trusted.contains(address) {
            break;
        }
    }
    Some(client)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn client(peer: &str, headers: &[&str], trusted: &str) -> Option<IpAddr> {
        let mut req = TestRequest::default().peer_addr(peer.parse().expect("a socket address"));
        for h in headers {
            req = req.append_header(("x-forwarded-for", *h));
        }
        let trusted = TrustedProxies::parse(trusted).expect("a valid list");
        client_address(&req.to_http_request(), &trusted)
    }

    fn ip(text: &str) -> Option<IpAddr> {
        text.parse().ok()
    }

    #[test]
    fn the_header_is_ignored_unless_the_peer_is_trusted() {
        assert_eq!(
            client("203.0.113.9:5000", &["198.51.100.1"], ""),
            ip("203.0.113.9")
        );
        assert_eq!(
            client("203.0.113.9:5000", &["198.51.100.1"], "10.0.0.0/8"),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_right_most_untrusted_entry_is_the_client() {
        let trusted = "127.0.0.1, 10.0.0.0/8";
        assert_eq!(
            client(
                "127.0.0.1:5000",
                &["6.6.6.6, 198.51.100.1, 10.1.2.3"],
                trusted
            ),
            ip("198.51.100.1"),
            "a forged left-most entry is not believed"
        );
        assert_eq!(
            client("127.0.0.1:5000", &["6.6.6.6", "198.51.100.1"], trusted),
            ip("198.51.100.1"),
            "several headers count as one list"
        );
        assert_eq!(
            client("127.0.0.1:5000", &["10.0.0.1, 10.0.0.2"], trusted),
            ip("10.0.0.1")
        );
        assert_eq!(client("127.0.0.1:5000", &[], trusted), ip("127.0.0.1"));
        assert_eq!(
            client("127.0.0.1:5000", &["198.51.100.1:4711"], trusted),
            ip("198.51.100.1")
        );
        assert_eq!(
            client("127.0.0.1:5000", &["[2001:db8::1]:4711"], trusted),
            ip("2001:db8::1")
        );
        assert_eq!(
            client("127.0.0.1:5000", &["198.51.100.1, nonsense"], trusted),
            ip("127.0.0.1"),
            "garbage stops the walk at the proxy that wrote it"
        );
    }

    #[test]
    fn ranges_parse_and_match() {
        let set = TrustedProxies::parse(" 10.0.0.0/8 ,192.168.1.7, 2001:db8::/32,").expect("valid");
        assert!(set.contains("10.200.3.4".parse().expect("ip")));
        assert!(!set.contains("11.0.0.1".parse().expect("ip")));
        assert!(set.contains("192.168.1.7".parse().expect("ip")));
        assert!(!set.contains("192.168.1.8".parse().expect("ip")));
        assert!(set.contains("2001:db8:ffff::1".parse().expect("ip")));
        assert!(
            set.contains("::ffff:10.1.1.1".parse().expect("ip")),
            "IPv4 in IPv6"
        );
        assert!(
            TrustedProxies::parse("0.0.0.0/0")
                .expect("valid")
                .contains("8.8.8.8".parse().expect("ip"))
        );
        assert!(TrustedProxies::parse("").expect("valid").is_empty());
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.example.org").is_err());
    }
}
