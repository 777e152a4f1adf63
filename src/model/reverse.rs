//! Reverse DNS names: which network a reverse zone covers, and which address a PTR
//! owner stands for. Understands in-addr.arpa (RFC 1035 §3.5), ip6.arpa nibbles
//! (RFC 3596 §2.5) and RFC 2317 classless children such as `0/25.113.0.203.in-addr.arpa.`
//! (also written `0-25`).

use super::names::{NameId, NameTable};
use crate::rr::address::parse_octet as octet;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Most labels a reverse name can have: 32 nibbles under `ip6.arpa.`.
const MAX_LABELS: usize = 34;

/// The labels of a name from the root down (`[arpa, in-addr, 203, 0, 113]`), without
/// allocating; `None` for a name deeper than any reverse name.
fn labels_down(names: &NameTable, id: NameId) -> Option<([&[u8]; MAX_LABELS], usize)> {
    let depth = names.depth(id);
    if depth > MAX_LABELS {
        return None;
    }
    let mut labels: [&[u8]; MAX_LABELS] = [&[]; MAX_LABELS];
    let mut cur = id;
    for k in (0..depth).rev() {
        labels[k] = names.label(cur);
        cur = names.parent(cur)?;
    }
    Some((labels, depth))
}

fn nibble(label: &[u8]) -> Option<u8> {
    match label {
        [c] => (*c as char).to_digit(16).map(|d| d as u8),
        _ => None,
    }
}

/// An RFC 2317 child label `start/len` or `start-len`: the first host and prefix length,
/// each plain decimal as an address octet is written (no sign, no leading zero).
fn classless(label: &[u8]) -> Option<(u8, u8)> {
    let cut = label
        .iter()
        .position(|&b| b == b'/')
        .or_else(|| label.iter().position(|&b| b == b'-'))?;
    let start = octet(&label[..cut])?;
    let len = octet(&label[cut + 1..])?;
    ((25..=32).contains(&len) && u32::from(start) & ((1u32 << (32 - len)) - 1) == 0)
        .then_some((start, len))
}

enum Family {
    V4,
    V6,
}

fn family<'a>(labels: &'a [&'a [u8]]) -> Option<(Family, &'a [&'a [u8]])> {
    match labels {
        [arpa, kind, rest @ ..] if arpa.eq_ignore_ascii_case(b"arpa") => {
            if kind.eq_ignore_ascii_case(b"in-addr") {
                Some((Family::V4, rest))
            } else if kind.eq_ignore_ascii_case(b"ip6") {
                Some((Family::V6, rest))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The network a reverse zone's origin covers, or `None` for a forward zone.
pub fn zone_prefix(names: &NameTable, origin: NameId) -> Option<IpNet> {
    let (labels, depth) = labels_down(names, origin)?;
    match family(&labels[..depth])? {
        (Family::V4, rest) => {
            let mut octets = [0u8; 4];
            for (k, label) in rest.iter().enumerate() {
                if k == 3 {
                    // A single address can be a zone of its own (`1.2.0.192.in-addr.arpa.`,
                    // delegated for one host), or an RFC 2317 child.
                    let (start, len) = classless(label).or_else(|| Some((octet(label)?, 32)))?;
                    octets[3] = start;
                    return Ipv4Net::new(Ipv4Addr::from(octets), len)
                        .ok()
                        .map(IpNet::V4);
                }
                if k > 3 {
                    return None;
                }
                octets[k] = octet(label)?;
            }
            Ipv4Net::new(Ipv4Addr::from(octets), 8 * rest.len() as u8)
                .ok()
                .map(IpNet::V4)
        }
        (Family::V6, rest) => {
            if rest.len() > 32 {
                return None;
            }
            let mut bits = 0u128;
            for (k, label) in rest.iter().enumerate() {
                bits |= (nibble(label)? as u128) << (124 - 4 * k);
            }
            Ipv6Net::new(Ipv6Addr::from(bits), 4 * rest.len() as u8)
                .ok()
                .map(IpNet::V6)
        }
    }
}

/// The address a PTR owner stands for: four octets under in-addr.arpa, 32 nibbles under
/// ip6.arpa, or a host label inside an RFC 2317 child. Owners with an underscore label
/// (DNS-SD, RFC 6763 §11) and anything else are not addresses.
pub fn ptr_address(names: &NameTable, owner: NameId) -> Option<IpAddr> {
    OwnerReader::new(names).address(owner)
}

/// [`ptr_address`] for many owners of one table, one after another. An owner's
/// ancestors are walked up to the first one the last owner also had; the labels above
/// it are the last owner's. Owners in address order (a reverse zone as servers write
/// it) share all but a label or two, so each costs a step or two instead of 34.
pub struct OwnerReader<'a> {
    names: &'a NameTable,
    /// The last owner's ancestors and their labels, from the root down; `ids[k]` is the
    /// one at depth `k + 1`.
    ids: [NameId; MAX_LABELS],
    labels: [&'a [u8]; MAX_LABELS],
    depth: usize,
    /// Per depth `k`, while the last owner's labels down to `k` can still be an ip6.arpa
    /// address (`arpa`, `ip6`, then nibbles): the bits of those nibbles. An ip6.arpa
    /// owner then costs the nibbles it does not share with the last one, not all 32.
    nibble_bits: [Option<u128>; MAX_LABELS + 1],
}

impl<'a> OwnerReader<'a> {
    pub fn new(names: &'a NameTable) -> OwnerReader<'a> {
        OwnerReader {
            names,
            ids: [NameId::ROOT; MAX_LABELS],
            labels: [&[]; MAX_LABELS],
            depth: 0,
            nibble_bits: [None; MAX_LABELS + 1],
        }
    }

    pub fn address(&mut self, owner: NameId) -> Option<IpAddr> {
        let depth = self.names.depth(owner);
        if depth > MAX_LABELS {
            return None;
        }
        let mut at = owner;
        let mut k = depth;
        // Only the last owner's own ancestors may be reused: entries below its depth
        // are older and need not agree with those above them.
        while k > 0 && !(k <= self.depth && self.ids[k - 1] == at) {
            self.ids[k - 1] = at;
            self.labels[k - 1] = self.names.label(at);
            let Some(up) = self.names.parent(at) else {
                self.depth = 0;
                return None;
            };
            at = up;
            k -= 1;
        }
        self.depth = depth;
        for d in k..depth {
            let label = self.labels[d];
            self.nibble_bits[d + 1] = match d {
                0 => label.eq_ignore_ascii_case(b"arpa").then_some(0),
                1 => self.nibble_bits[1].filter(|_| label.eq_ignore_ascii_case(b"ip6")),
                _ => self.nibble_bits[d]
                    .zip(nibble(label))
                    .map(|(bits, n)| bits | u128::from(n) << (124 - 4 * (d - 2))),
            };
        }
        if depth >= 2 && self.nibble_bits[2].is_some() {
            // Under ip6.arpa only 32 nibbles are an address (a label starting with `_`
            // is no nibble).
            return self.nibble_bits[depth]
                .filter(|_| depth == MAX_LABELS)
                .map(|bits| IpAddr::V6(Ipv6Addr::from(bits)));
        }
        address_of(&self.labels[..depth])
    }
}

/// The address of a reverse name given its labels from the root down.
fn address_of(labels: &[&[u8]]) -> Option<IpAddr> {
    if labels.iter().any(|l| l.first() == Some(&b'_')) {
        return None;
    }
    match family(labels)? {
        (Family::V4, [a, b, c, d]) => Some(IpAddr::V4(Ipv4Addr::new(
            octet(a)?,
            octet(b)?,
            octet(c)?,
            octet(d)?,
        ))),
        (Family::V4, [a, b, c, child, host]) => {
            let (start, len) = classless(child)?;
            let host = octet(host)?;
            let net =
                Ipv4Net::new(Ipv4Addr::new(octet(a)?, octet(b)?, octet(c)?, start), len).ok()?;
            let addr = Ipv4Addr::new(octet(a)?, octet(b)?, octet(c)?, host);
            net.contains(&addr).then_some(IpAddr::V4(addr))
        }
        (Family::V6, rest) if rest.len() == 32 => {
            let mut bits = 0u128;
            for (k, label) in rest.iter().enumerate() {
                bits |= (nibble(label)? as u128) << (124 - 4 * k);
            }
            Some(IpAddr::V6(Ipv6Addr::from(bits)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(t: &mut NameTable, s: &str) -> NameId {
        t.intern_text(s, NameId::ROOT).unwrap()
    }

    #[test]
    fn ip6_owners_read_in_any_order_agree_with_reading_all_their_labels() {
        let mut t = NameTable::new();
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let labels = ["0", "1", "7", "a", "f", "x", "_x", "10"];
        let mut owners = Vec::new();
        for _ in 0..3000 {
            // Mostly nibbles near a few prefixes, so owners share many labels; some are
            // too short or too deep, hold a label that is no nibble, or sit elsewhere.
            let depth = [32, 32, 32, 31, 33, 20][next(6) as usize];
            let mut name: String = (0..depth)
                .map(|k| {
                    let pick = if k < 24 {
                        next(2)
                    } else {
                        next(labels.len() as u64)
                    };
                    let pick = if next(40) == 0 { 5 + next(3) } else { pick % 5 };
                    format!("{}.", labels[pick as usize])
                })
                .collect();
            name.push_str(["ip6.arpa.", "ip6.arpa.", "ip7.arpa.", "ip6.arpb."][next(4) as usize]);
            owners.push(t.intern_text(&name, NameId::ROOT).unwrap());
        }
        let whole = |id: NameId| {
            let (labels, depth) = labels_down(&t, id)?;
            address_of(&labels[..depth])
        };
        let mut reader = OwnerReader::new(&t);
        let mut addresses = 0;
        for order in [owners.clone(), {
            let mut sorted = owners.clone();
            sorted.sort_by_key(|&o| t.display(o));
            sorted
        }] {
            for &owner in &order {
                let got = reader.address(owner);
                assert_eq!(got, whole(owner), "{}", t.display(owner));
                addresses += usize::from(got.is_some());
            }
        }
        assert!(addresses > 400, "{addresses}");
    }

    #[test]
    fn reading_owners_one_after_another_gives_each_its_own_address() {
        let mut t = NameTable::new();
        let v6 = |t: &mut NameTable, nibbles: &str| {
            let name: String = nibbles.chars().rev().map(|c| format!("{c}.")).collect();
            id(t, &format!("{name}ip6.arpa."))
        };
        let owners = [
            id(&mut t, "1.113.0.203.in-addr.arpa."),
            id(&mut t, "2.113.0.203.in-addr.arpa."),
            v6(&mut t, "20010db8000000000000000000000001"),
            v6(&mut t, "20010db8000000000000000000000002"),
            v6(&mut t, "20010db8000000000000000000000012"),
            id(&mut t, "113.0.203.in-addr.arpa."),
            v6(&mut t, "20010db8"),
            id(&mut t, "5.0/25.113.0.203.in-addr.arpa."),
            id(&mut t, "200.0/25.113.0.203.in-addr.arpa."),
            id(&mut t, "_x.2.113.0.203.in-addr.arpa."),
            id(&mut t, "www.example."),
            v6(&mut t, "20010db8000000000000000000000001"),
            id(&mut t, "2.113.0.203.in-addr.arpa."),
            id(&mut t, "2.113.0.198.in-addr.arpa."),
        ];
        let mut reader = OwnerReader::new(&t);
        let mut answers = Vec::new();
        // Every order of reading: forwards, backwards, and each owner twice in a row.
        for order in [
            owners.to_vec(),
            owners.iter().rev().copied().collect(),
            owners.iter().flat_map(|&o| [o, o]).collect(),
        ] {
            for owner in order {
                let got = reader.address(owner);
                assert_eq!(got, ptr_address(&t, owner), "{}", t.display(owner));
                answers.push(got);
            }
        }
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert_eq!(
            answers[..5],
            [
                ip("203.0.113.1"),
                ip("203.0.113.2"),
                ip("2001:db8::1"),
                ip("2001:db8::2"),
                ip("2001:db8::12")
            ]
        );
        assert_eq!(
            answers[5..11],
            [None, None, ip("203.0.113.5"), None, None, None]
        );
        assert_eq!(answers[13], ip("198.0.113.2"));
    }

    #[test]
    fn reverse_zone_prefixes() {
        let mut t = NameTable::new();
        let cases = [
            ("113.0.203.in-addr.arpa.", Some("203.0.113.0/24")),
            ("10.in-addr.arpa.", Some("10.0.0.0/8")),
            ("0/25.113.0.203.in-addr.arpa.", Some("203.0.113.0/25")),
            ("64-26.113.0.203.in-addr.arpa.", Some("203.0.113.64/26")),
            ("1/26.113.0.203.in-addr.arpa.", None),
            // Written as no one writes an octet: not a classless child.
            ("+0/25.113.0.203.in-addr.arpa.", None),
            ("0/+25.113.0.203.in-addr.arpa.", None),
            ("00/25.113.0.203.in-addr.arpa.", None),
            ("128-025.113.0.203.in-addr.arpa.", None),
            ("128-25.113.0.203.in-addr.arpa.", Some("203.0.113.128/25")),
            ("0/32.113.0.203.in-addr.arpa.", Some("203.0.113.0/32")),
            ("0/33.113.0.203.in-addr.arpa.", None),
            (
                "0.e.7.7.1.2.c.3.a.8.d.f.ip6.arpa.",
                Some("fd8a:3c21:77e0::/48"),
            ),
            ("example.com.", None),
            ("in-addr.arpa.", Some("0.0.0.0/0")),
        ];
        for (origin, want) in cases {
            let o = id(&mut t, origin);
            assert_eq!(
                zone_prefix(&t, o).map(|p| p.to_string()),
                want.map(str::to_string),
                "{origin}"
            );
        }
    }

    #[test]
    fn ptr_owner_addresses() {
        let mut t = NameTable::new();
        let cases = [
            ("25.113.0.203.in-addr.arpa.", Some("203.0.113.25")),
            ("65.64/26.113.0.203.in-addr.arpa.", Some("203.0.113.65")),
            ("5.64/26.113.0.203.in-addr.arpa.", None),
            ("65.+64/26.113.0.203.in-addr.arpa.", None),
            ("b._dns-sd._udp.0.0.0.0.in-addr.arpa.", None),
            ("256.113.0.203.in-addr.arpa.", None),
            ("mail.example.com.113.0.203.in-addr.arpa.", None),
            (
                "b.0.0.5.0.7.d.4.b.f.c.a.3.0.b.9.5.4.0.0.0.e.7.7.1.2.c.3.a.8.d.f.ip6.arpa.",
                Some("fd8a:3c21:77e0:45:9b03:acfb:4d70:500b"),
            ),
        ];
        for (owner, want) in cases {
            let o = id(&mut t, owner);
            assert_eq!(
                ptr_address(&t, o).map(|a| a.to_string()),
                want.map(str::to_string),
                "{owner}"
            );
        }
    }
}
