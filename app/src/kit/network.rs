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
    /// can forge). Every field line of the header counts, in order, as one list (RFC 9110
    /// §5.3). `None` is "client unknown": a proxy that sent no header, a header that is not
    /// visible ASCII, a hop that is not an address, or a chain of nothing but proxies. It is
    /// never trusted, and never the proxy's own address.
    pub fn client<'a>(
        &self,
        peer: IpAddr,
        forwarded_for: impl IntoIterator<Item = &'a [u8]>,
    ) -> Option<IpAddr> {
        let peer = canonical(peer);
        if !inside(&self.proxies, peer) {
            return Some(peer);
        }
        let mut hops = Vec::new();
        for line in forwarded_for {
            // Visible ASCII, spaces and tabs only, as a header's value must be.
            if !line
                .iter()
                .all(|&b| b == b'\t' || (b' '..=b'~').contains(&b))
            {
                return None;
            }
            let line = std::str::from_utf8(line).ok()?;
            hops.extend(line.split(','));
        }
        for hop in hops.into_iter().rev() {
            let ip = canonical(hop.trim_matches([' ', '\t']).parse::<IpAddr>().ok()?);
            if !inside(&self.proxies, ip) {
                return Some(ip);
            }
        }
        None
    }

    /// The trusted proxies that lie inside a trusted network: a request from one of them
    /// whose header were believed would count as trusted; start-up says so.
    pub fn proxies_inside_trusted(&self) -> Vec<IpNet> {
        self.proxies
            .iter()
            .filter(|proxy| {
                self.trusted
                    .iter()
                    .any(|net| net.contains(*proxy) || proxy.contains(net))
            })
            .copied()
            .collect()
    }

    /// Whether `client` is inside a trusted network.
    pub fn is_trusted(&self, client: IpAddr) -> bool {
        inside(&self.trusted, client)
    }

    /// Whether a client, perhaps unknown, is inside a trusted network (an unknown one never).
    pub fn is_trusted_client(&self, client: Option<IpAddr>) -> bool {
        client.is_some_and(|ip| self.is_trusted(ip))
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

    fn through(n: &Networks, peer: &str, lines: &[&[u8]]) -> Option<IpAddr> {
        n.client(ip(peer), lines.iter().copied())
    }

    #[test]
    fn the_connection_counts_unless_it_is_a_trusted_proxy() {
        let n = nets();
        // Straight from outside: the header is a claim, not a fact.
        assert_eq!(
            through(&n, "203.0.113.5", &[b"10.8.1.1"]),
            Some(ip("203.0.113.5"))
        );
        // Through the trusted proxy: the address it forwarded for.
        assert_eq!(
            through(&n, "127.0.0.1", &[b"10.8.1.1"]),
            Some(ip("10.8.1.1"))
        );
        // A forged entry further left does not count.
        assert_eq!(
            through(&n, "127.0.0.1", &[b"10.8.1.1, 203.0.113.5"]),
            Some(ip("203.0.113.5"))
        );
        assert_eq!(n.client(ip("::ffff:10.8.0.3"), []), Some(ip("10.8.0.3")));
    }

    /// The variants the probe sent through nginx: each either names the real client or
    /// leaves it unknown; none makes a client outside count as inside.
    #[test]
    fn every_field_line_counts_and_what_does_not_parse_is_unknown() {
        let n = nets();
        let outside = Some(ip("203.0.113.5"));
        // Two field lines: the last one is the proxy's, and it is the one that counts.
        assert_eq!(
            through(&n, "127.0.0.1", &[b"10.8.1.1", b"203.0.113.5"]),
            outside
        );
        assert_eq!(
            through(&n, "127.0.0.1", &[b"10.8.1.1", b"10.8.1.2, 203.0.113.5"]),
            outside
        );
        // Unreadable, unparsable, empty or missing: unknown, never the proxy's address.
        for lines in [
            &[&b"10.8.1.1\xff, 203.0.113.5"[..]][..],
            &[b"10.8.1.1\x01"],
            &[b"garbage"],
            &[b"unknown"],
            &[b""],
            &[b"10.8.1.1,"],
            &[b"10.8.1.1, , 127.0.0.1"],
            &[b"203.0.113.5:4711"],
            &[b"[::1]"],
            &[b"127.0.0.1"],
            &[b"10.8.1.1", b"\xe4\xb8\xad"],
            &[],
        ] {
            assert_eq!(through(&n, "127.0.0.1", lines), None, "{lines:?}");
        }
        // Tabs and spaces around a hop are allowed whitespace.
        assert_eq!(
            through(&n, "127.0.0.1", &[b"10.8.1.1,\t203.0.113.5 "]),
            outside
        );
        // An unknown client is never inside a trusted network.
        assert!(!n.is_trusted_client(None));
    }

    #[test]
    fn a_proxy_inside_a_trusted_network_is_named() {
        let mut n = nets();
        assert!(n.proxies_inside_trusted().is_empty());
        n.proxies = parse_list("10.8.0.1, 172.16.0.1").unwrap();
        assert_eq!(n.proxies_inside_trusted(), parse_list("10.8.0.1").unwrap());
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
