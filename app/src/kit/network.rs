//! Where a request comes from: the connection's address, or the address a trusted proxy says
//! it forwarded for; and whether that address is inside the school's trusted networks (where
//! 绝密 values may be shown).

use std::net::IpAddr;

use ipnet::IpNet;

/// The networks of `XUEJI_TRUSTED_NETWORKS` and the proxies of `XUEJI_TRUSTED_PROXIES`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Networks {
    pub trusted: Vec<IpNet>,
    pub proxies: Vec<IpNet>,
}

/// Reads a comma- or space-separated list of CIDR blocks (`10.8.0.0/16, 192.168.1.0/24`); a
/// bare address is a block of one.
pub fn parse_list(text: &str) -> Result<Vec<IpNet>, String> {
    text.split([',', ' ', '\n', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("not a CIDR block or address: {item}"))
        })
        .collect()
}

fn inside(list: &[IpNet], ip: IpAddr) -> bool {
    let ip = canonical(ip);
    list.iter().any(|net| net.contains(&ip))
}

/// An IPv4 address mapped into IPv6 (`::ffff:10.0.0.1`) as the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

impl Networks {
    /// The client's address: the connection's, unless the connection comes from a trusted
    /// proxy, in which case the nearest address in `X-Forwarded-For` that is not itself a
    /// trusted proxy (the entries further left are the client's own claims, which anyone
    /// can forge). A header that does not parse leaves the proxy's address.
    pub fn client(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        let peer = canonical(peer);
        if !inside(&self.proxies, peer) {
            return peer;
        }
        let Some(header) = forwarded_for else {
            return peer;
        };
        let mut client = peer;
        for hop in header.rsplit(',') {
            let Ok(ip) = hop.trim().parse::<IpAddr>() else {
                return client;
            };
            client = canonical(ip);
            if !inside(&self.proxies, client) {
                break;
            }
        }
        client
    }

    /// Whether `client` is inside a trusted network.
    pub fn is_trusted(&self, client: IpAddr) -> bool {
        inside(&self.trusted, client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets() -> Networks {
        Networks {
            trusted: parse_list("10.8.0.0/16, 192.168.1.7").unwrap(),
            proxies: parse_list("127.0.0.1/32").unwrap(),
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn lists_parse_blocks_and_bare_addresses_and_refuse_the_rest() {
        assert_eq!(parse_list("").unwrap(), vec![]);
        assert_eq!(parse_list("10.0.0.0/8 ::1").unwrap().len(), 2);
        assert!(parse_list("10.0.0.0/33").is_err());
        assert!(parse_list("school").is_err());
    }

    #[test]
    fn the_connection_counts_unless_it_is_a_trusted_proxy() {
        let n = nets();
        // Straight from outside: the header is a claim, not a fact.
        assert_eq!(
            n.client(ip("203.0.113.5"), Some("10.8.1.1")),
            ip("203.0.113.5")
        );
        // Through the trusted proxy: the address it forwarded for.
        assert_eq!(n.client(ip("127.0.0.1"), Some("10.8.1.1")), ip("10.8.1.1"));
        // A forged entry further left does not count.
        assert_eq!(
            n.client(ip("127.0.0.1"), Some("10.8.1.1, 203.0.113.5")),
            ip("203.0.113.5")
        );
        assert_eq!(n.client(ip("127.0.0.1"), Some("garbage")), ip("127.0.0.1"));
        assert_eq!(n.client(ip("::ffff:10.8.0.3"), None), ip("10.8.0.3"));
    }

    #[test]
    fn trust_is_by_network() {
        let n = nets();
        assert!(n.is_trusted(ip("10.8.200.1")));
        assert!(n.is_trusted(ip("192.168.1.7")));
        assert!(!n.is_trusted(ip("192.168.1.8")));
        assert!(!Networks::default().is_trusted(ip("127.0.0.1")));
    }
}
