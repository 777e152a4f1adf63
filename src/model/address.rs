//! Which addresses are public: reachable from the internet, so a receiver could see mail
//! come from them. Private and special-purpose ranges are not (RFC 1918, RFC 6598,
//! RFC 6890, RFC 4193, RFC 4291); the documentation ranges (RFC 5737, RFC 3849) count as
//! public only when asked, since examples and tests use them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

fn in_v4(a: Ipv4Addr, net: [u8; 4], len: u32) -> bool {
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    u32::from(a) & mask == u32::from(Ipv4Addr::from(net)) & mask
}

fn is_documentation_v4(a: Ipv4Addr) -> bool {
    in_v4(a, [192, 0, 2, 0], 24)
        || in_v4(a, [198, 51, 100, 0], 24)
        || in_v4(a, [203, 0, 113, 0], 24)
}

fn public_v4(a: Ipv4Addr, allow_documentation: bool) -> bool {
    const SPECIAL: &[([u8; 4], u32)] = &[
        ([0, 0, 0, 0], 8),      // "this network"
        ([10, 0, 0, 0], 8),     // RFC 1918
        ([100, 64, 0, 0], 10),  // RFC 6598 shared address space (carrier-grade NAT)
        ([127, 0, 0, 0], 8),    // loopback
        ([169, 254, 0, 0], 16), // link-local
        ([172, 16, 0, 0], 12),  // RFC 1918
        ([192, 0, 0, 0], 24),   // IETF protocol assignments
        ([192, 168, 0, 0], 16), // RFC 1918
        ([198, 18, 0, 0], 15),  // benchmarking
        ([224, 0, 0, 0], 4),    // multicast
        ([240, 0, 0, 0], 4),    // reserved, broadcast
    ];
    if SPECIAL.iter().any(|&(net, len)| in_v4(a, net, len)) {
        return false;
    }
    allow_documentation || !is_documentation_v4(a)
}

fn public_v6(a: Ipv6Addr, allow_documentation: bool) -> bool {
    if let Some(v4) = a.to_ipv4_mapped() {
        return public_v4(v4, allow_documentation);
    }
    let s = a.segments();
    let special = a.is_unspecified()
        || a.is_loopback()
        || (s[0] & 0xfe00) == 0xfc00 // unique local, RFC 4193
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xff00) == 0xff00 // multicast
        || (s[0] == 0x0100 && s[1] == 0 && s[2] == 0 && s[3] == 0); // discard-only, RFC 6666
    let documentation = s[0] == 0x2001 && s[1] == 0x0db8;
    !special && (allow_documentation || !documentation)
}

/// Whether `address` is public; `allow_documentation` makes the documentation ranges
/// (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) public.
pub fn is_public(address: IpAddr, allow_documentation: bool) -> bool {
    match address {
        IpAddr::V4(a) => public_v4(a, allow_documentation),
        IpAddr::V6(a) => public_v6(a, allow_documentation),
    }
}

/// Whether `address` is in a documentation range (192.0.2.0/24, 198.51.100.0/24,
/// 203.0.113.0/24, 2001:db8::/32).
pub fn is_documentation(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(a) => is_documentation_v4(a),
        IpAddr::V6(a) => match a.to_ipv4_mapped() {
            Some(v4) => is_documentation_v4(v4),
            None => a.segments()[0] == 0x2001 && a.segments()[1] == 0x0db8,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(s: &str, doc: bool) -> bool {
        is_public(s.parse().unwrap(), doc)
    }

    #[test]
    fn private_special_and_documentation_ranges() {
        for private in [
            "10.10.10.1",
            "172.16.5.4",
            "192.168.1.1",
            "100.64.0.1",
            "127.0.0.1",
            "169.254.1.1",
            "fd8a:3c21:77e0::1",
            "fe80::1",
            "::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!public(private, true), "{private}");
        }
        for doc in ["192.0.2.1", "198.51.100.7", "203.0.113.25", "2001:db8::25"] {
            assert!(!public(doc, false), "{doc}");
            assert!(public(doc, true), "{doc}");
        }
        for open in ["8.8.8.8", "172.32.0.1", "2a00:1450::1", "::ffff:8.8.4.4"] {
            assert!(public(open, false), "{open}");
        }
    }
}
