//! The YAML inventory: mail domains and hosts, NAT mappings, networks and extra zones.
//!
//! Every value keeps its place in the file (serde-saphyr's `Spanned`), so findings can
//! label the inventory line next to the zone line. An inventory that cannot be read as
//! intended (unknown key, duplicate key, bad address, NAT prefixes that disagree) is an
//! error for the whole run: zonelint cannot check against an intent it does not know.

use crate::span::Span;
use ipnet::IpNet;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    version: Spanned<u32>,
    #[serde(default)]
    zones: Vec<Spanned<RawZone>>,
    #[serde(default)]
    mail: RawMail,
    #[serde(default)]
    nat: Vec<Spanned<RawNat>>,
    #[serde(default)]
    networks: Vec<Spanned<RawNetwork>>,
    /// Server configuration views (named.conf `view "NAME"`) and which side they serve.
    #[serde(default)]
    views: BTreeMap<String, Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawZone {
    Path(String),
    Detailed(RawZoneEntry),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawZoneEntry {
    path: String,
    origin: Option<String>,
    view: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMail {
    #[serde(default)]
    domains: BTreeMap<String, Spanned<RawDomain>>,
    #[serde(default)]
    hosts: Vec<Spanned<RawHost>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDomain {
    #[serde(default)]
    mx: Vec<Spanned<String>>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHost {
    name: Spanned<String>,
    helo: Option<Spanned<String>>,
    #[serde(default)]
    addresses: Vec<Spanned<RawAddress>>,
    #[serde(default = "yes")]
    outbound: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawAddress {
    Plain(String),
    Detailed(RawAddressEntry),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAddressEntry {
    address: String,
    ptr: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNat {
    inside: Spanned<String>,
    outside: Spanned<String>,
    direction: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNetwork {
    prefix: Spanned<String>,
    reverse: Spanned<String>,
    delegation: Option<Spanned<String>>,
}

/// Which view a zone file belongs to (split-horizon DNS).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum View {
    /// Served to the internet: must publish public addresses.
    #[default]
    External,
    /// Served inside: may publish inside addresses; exempt from public-address checks.
    Internal,
}

#[derive(Clone, Debug)]
pub struct InventoryZone {
    pub path: PathBuf,
    /// Where the inventory names it.
    pub span: Span,
    pub origin: Option<String>,
    pub view: View,
}

#[derive(Clone, Debug)]
pub struct MailDomain {
    /// Absolute, lowercase.
    pub name: String,
    pub span: Span,
    /// Intended exchanges: (absolute lowercase name, preference if given, where).
    pub mx: Vec<(String, Option<u16>, Span)>,
}

#[derive(Clone, Debug)]
pub struct HostAddress {
    pub address: IpAddr,
    pub span: Span,
    /// For a provider-published network: the PTR name the provider publishes.
    pub ptr: Option<(String, Span)>,
}

#[derive(Clone, Debug)]
pub struct MailHost {
    /// Absolute, lowercase.
    pub name: String,
    pub name_span: Span,
    /// The EHLO name, absolute and lowercase (the host name when not given).
    pub helo: String,
    pub helo_span: Span,
    pub addresses: Vec<HostAddress>,
    pub outbound: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Outbound,
    Inbound,
    Both,
}

#[derive(Clone, Debug)]
pub struct Nat {
    pub inside: IpNet,
    pub outside: IpNet,
    pub direction: Direction,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReverseBy {
    /// Published from a zone file of the set.
    Zone,
    /// Published by the upstream provider.
    Provider,
}

#[derive(Clone, Debug)]
pub struct Network {
    pub prefix: IpNet,
    pub reverse: ReverseBy,
    pub rfc2317: bool,
    pub span: Span,
}

/// A validated inventory.
#[derive(Clone, Debug)]
pub struct Inventory {
    pub path: PathBuf,
    pub text: String,
    pub zones: Vec<InventoryZone>,
    pub domains: Vec<MailDomain>,
    pub hosts: Vec<MailHost>,
    pub nat: Vec<Nat>,
    pub networks: Vec<Network>,
    /// Server views by name, and whether each serves inside or outside clients.
    pub views: Vec<(String, View)>,
    /// `nat` by inside prefix, and `networks` by prefix, for lookups by address.
    nat_index: crate::model::prefixes::PrefixTable,
    network_index: crate::model::prefixes::PrefixTable,
}

/// Why an inventory cannot be used: a message and where in the file.
#[derive(Debug)]
pub struct InventoryError {
    pub path: PathBuf,
    pub text: String,
    pub message: String,
    pub span: Option<Span>,
}

impl std::fmt::Display for InventoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

fn span_of<T>(s: &Spanned<T>) -> Span {
    let sp = s.referenced.span();
    match (sp.byte_offset(), sp.byte_len()) {
        (Some(o), Some(l)) => Span::new(o as usize, (o + l.max(1)) as usize),
        _ => Span::default(),
    }
}

/// An absolute, lowercase domain name from inventory text.
fn absolute_name(text: &str) -> Result<String, String> {
    let mut labels = crate::model::names::LabelBuf::default();
    labels
        .parse(text.trim().as_bytes())
        .map_err(|e| format!("`{text}` is not a domain name: it {e}"))?;
    let lower = text.trim().to_ascii_lowercase();
    Ok(if lower.ends_with('.') {
        lower
    } else {
        format!("{lower}.")
    })
}

fn parse_prefix(text: &str) -> Result<IpNet, String> {
    let t = text.trim();
    if let Ok(net) = t.parse::<IpNet>() {
        if net.trunc() != net {
            return Err(format!(
                "`{t}` has host bits set; the network is {}",
                net.trunc()
            ));
        }
        return Ok(net);
    }
    t.parse::<IpAddr>()
        .map(IpNet::from)
        .map_err(|_| format!("`{t}` is not an address or prefix"))
}

/// Where `address` lands when mapped from `from` to `to` (equal-length prefixes) by its
/// offset in the network.
pub fn map_by_offset(address: IpAddr, from: IpNet, to: IpNet) -> Option<IpAddr> {
    if !from.contains(&address) {
        return None;
    }
    match (address, from.network(), to.network()) {
        (IpAddr::V4(a), IpAddr::V4(f), IpAddr::V4(t)) => Some(IpAddr::V4(
            (u32::from(t) + (u32::from(a) - u32::from(f))).into(),
        )),
        (IpAddr::V6(a), IpAddr::V6(f), IpAddr::V6(t)) => Some(IpAddr::V6(
            (u128::from(t) + (u128::from(a) - u128::from(f))).into(),
        )),
        _ => None,
    }
}

impl Inventory {
    /// Reads and validates an inventory file.
    pub fn load(path: &Path) -> Result<Inventory, InventoryError> {
        let text = crate::files::read_to_string(path).map_err(|e| InventoryError {
            path: path.to_path_buf(),
            text: String::new(),
            message: format!("cannot read the inventory: {e}"),
            span: None,
        })?;
        Inventory::parse(path, text)
    }

    pub fn parse(path: &Path, text: String) -> Result<Inventory, InventoryError> {
        let fail = |message: String, span: Option<Span>| InventoryError {
            path: path.to_path_buf(),
            text: text.clone(),
            message,
            span,
        };
        let raw: Raw = serde_saphyr::from_str(&text).map_err(|e| {
            let span = e.location().and_then(|l| {
                let sp = l.span();
                sp.byte_offset().map(|o| {
                    Span::new(o as usize, (o + sp.byte_len().unwrap_or(1).max(1)) as usize)
                })
            });
            let message = e.to_string();
            let message = message
                .lines()
                .next()
                .unwrap_or("invalid inventory")
                .to_string();
            fail(message, span)
        })?;
        if raw.version.value != 1 {
            return Err(fail(
                format!(
                    "inventory version {} is not supported; this zonelint reads version 1",
                    raw.version.value
                ),
                Some(span_of(&raw.version)),
            ));
        }
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut zones = Vec::new();
        for z in &raw.zones {
            let (p, origin, view) = match &z.value {
                RawZone::Path(p) => (p.clone(), None, None),
                RawZone::Detailed(e) => (e.path.clone(), e.origin.clone(), e.view.clone()),
            };
            let view = match view.as_deref() {
                None | Some("external") => View::External,
                Some("internal") => View::Internal,
                Some(other) => {
                    return Err(fail(
                        format!("view `{other}` is not `internal` or `external`"),
                        Some(span_of(z)),
                    ));
                }
            };
            if let Some(o) = &origin {
                absolute_name(o).map_err(|m| fail(m, Some(span_of(z))))?;
            }
            zones.push(InventoryZone {
                path: base.join(p),
                span: span_of(z),
                origin,
                view,
            });
        }
        let mut domains = Vec::new();
        for (name, d) in &raw.mail.domains {
            let name = absolute_name(name).map_err(|m| fail(m, Some(span_of(d))))?;
            let mut mx = Vec::new();
            for m in &d.value.mx {
                let (pref, target) = match m.value.split_once(char::is_whitespace) {
                    Some((p, t)) => {
                        let pref = p.parse::<u16>().map_err(|_| {
                            fail(
                                format!("MX preference `{p}` is not a number"),
                                Some(span_of(m)),
                            )
                        })?;
                        (Some(pref), t.trim())
                    }
                    None => (None, m.value.as_str()),
                };
                mx.push((
                    absolute_name(target).map_err(|e| fail(e, Some(span_of(m))))?,
                    pref,
                    span_of(m),
                ));
            }
            domains.push(MailDomain {
                name,
                span: span_of(d),
                mx,
            });
        }
        let mut hosts = Vec::new();
        for h in &raw.mail.hosts {
            let name = absolute_name(&h.value.name.value)
                .map_err(|m| fail(m, Some(span_of(&h.value.name))))?;
            let (helo, helo_span) = match &h.value.helo {
                Some(helo) => (
                    absolute_name(&helo.value).map_err(|m| fail(m, Some(span_of(helo))))?,
                    span_of(helo),
                ),
                None => (name.clone(), span_of(&h.value.name)),
            };
            let mut addresses = Vec::new();
            for a in &h.value.addresses {
                let (text, ptr) = match &a.value {
                    RawAddress::Plain(t) => (t.clone(), None),
                    RawAddress::Detailed(e) => (e.address.clone(), e.ptr.clone()),
                };
                let address = text.trim().parse::<IpAddr>().map_err(|_| {
                    fail(format!("`{text}` is not an IP address"), Some(span_of(a)))
                })?;
                let ptr = match ptr {
                    Some(p) => Some((
                        absolute_name(&p).map_err(|m| fail(m, Some(span_of(a))))?,
                        span_of(a),
                    )),
                    None => None,
                };
                addresses.push(HostAddress {
                    address,
                    span: span_of(a),
                    ptr,
                });
            }
            if addresses.is_empty() {
                return Err(fail(
                    format!("mail host `{name}` lists no addresses"),
                    Some(span_of(&h.value.name)),
                ));
            }
            hosts.push(MailHost {
                name,
                name_span: span_of(&h.value.name),
                helo,
                helo_span,
                addresses,
                outbound: h.value.outbound,
            });
        }
        let mut nat: Vec<Nat> = Vec::new();
        for n in &raw.nat {
            let inside = parse_prefix(&n.value.inside.value)
                .map_err(|m| fail(m, Some(span_of(&n.value.inside))))?;
            let outside = parse_prefix(&n.value.outside.value)
                .map_err(|m| fail(m, Some(span_of(&n.value.outside))))?;
            if inside.prefix_len() != outside.prefix_len()
                || inside.max_prefix_len() != outside.max_prefix_len()
            {
                return Err(fail(
                    format!(
                        "NAT maps {inside} to {outside}: inside and outside must be the same size (addresses or equal-length prefixes)"
                    ),
                    Some(span_of(&n.value.outside)),
                ));
            }
            let direction = match n.value.direction.as_ref().map(|d| d.value.as_str()) {
                None | Some("both") => Direction::Both,
                Some("outbound") => Direction::Outbound,
                Some("inbound") => Direction::Inbound,
                Some(other) => {
                    let at = n.value.direction.as_ref().map(span_of);
                    return Err(fail(
                        format!("NAT direction `{other}` is not `outbound`, `inbound` or `both`"),
                        at,
                    ));
                }
            };
            nat.push(Nat {
                inside,
                outside,
                direction,
                span: span_of(n),
            });
        }
        let insides: Vec<IpNet> = nat.iter().map(|n| n.inside).collect();
        if let Some((first, second)) = crate::model::prefixes::nested_pair(&insides) {
            return Err(fail(
                format!(
                    "NAT inside {} overlaps {} with a different prefix length: which mapping applies is ambiguous",
                    nat[second].inside, nat[first].inside
                ),
                Some(span_of(&raw.nat[second].value.inside)),
            ));
        }
        let mut networks: Vec<Network> = Vec::new();
        for n in &raw.networks {
            let prefix = parse_prefix(&n.value.prefix.value)
                .map_err(|m| fail(m, Some(span_of(&n.value.prefix))))?;
            let reverse = match n.value.reverse.value.as_str() {
                "zone" => ReverseBy::Zone,
                "provider" => ReverseBy::Provider,
                other => {
                    return Err(fail(
                        format!("reverse `{other}` is not `zone` or `provider`"),
                        Some(span_of(&n.value.reverse)),
                    ));
                }
            };
            let rfc2317 = match n.value.delegation.as_ref().map(|d| d.value.as_str()) {
                None => false,
                Some("rfc2317") => true,
                Some(other) => {
                    let at = n.value.delegation.as_ref().map(span_of);
                    return Err(fail(format!("delegation `{other}` is not `rfc2317`"), at));
                }
            };
            networks.push(Network {
                prefix,
                reverse,
                rfc2317,
                span: span_of(n),
            });
        }
        // One prefix, one answer: two entries for a prefix must agree.
        let mut by_prefix: hashbrown::HashMap<IpNet, usize> = hashbrown::HashMap::new();
        for (k, n) in networks.iter().enumerate() {
            if let Some(&first) = by_prefix.get(&n.prefix) {
                let other = &networks[first];
                if other.reverse != n.reverse || other.rfc2317 != n.rfc2317 {
                    return Err(fail(
                        format!(
                            "network {} is listed twice with different settings; which one applies is ambiguous",
                            n.prefix
                        ),
                        Some(n.span),
                    ));
                }
            } else {
                by_prefix.insert(n.prefix, k);
            }
        }
        let mut views = Vec::new();
        for (name, side) in &raw.views {
            let view = match side.value.as_str() {
                "internal" => View::Internal,
                "external" => View::External,
                other => {
                    return Err(fail(
                        format!("view `{name}` is `{other}`; say `internal` or `external`"),
                        Some(span_of(side)),
                    ));
                }
            };
            views.push((name.clone(), view));
        }
        let nat_index = crate::model::prefixes::PrefixTable::new(
            nat.iter().enumerate().map(|(k, n)| (n.inside, k)),
        );
        let network_index = crate::model::prefixes::PrefixTable::new(
            networks.iter().enumerate().map(|(k, n)| (n.prefix, k)),
        );
        Ok(Inventory {
            path: path.to_path_buf(),
            text,
            zones,
            domains,
            hosts,
            nat,
            networks,
            views,
            nat_index,
            network_index,
        })
    }

    /// The addresses the internet sees for a host address in the given direction: each
    /// NAT mapping that applies (two uplinks give two), or the address itself when none
    /// does. Whether that address is public is for the caller to check.
    pub fn public_addresses(&self, address: IpAddr, outbound: bool) -> Vec<(IpAddr, Option<&Nat>)> {
        let mut applicable: Vec<usize> = self.nat_index.matching(address).collect();
        applicable.sort_unstable();
        let mapped: Vec<_> = applicable
            .into_iter()
            .map(|k| &self.nat[k])
            .filter(|n| match n.direction {
                Direction::Both => true,
                Direction::Outbound => outbound,
                Direction::Inbound => !outbound,
            })
            .filter_map(|n| map_by_offset(address, n.inside, n.outside).map(|a| (a, Some(n))))
            .collect();
        if mapped.is_empty() {
            vec![(address, None)]
        } else {
            mapped
        }
    }

    /// Whether `address` is the inside side of some NAT mapping.
    pub fn is_inside(&self, address: IpAddr) -> bool {
        self.nat_index.matching(address).next().is_some()
    }

    /// The network of the inventory that holds `address`, most specific first.
    pub fn network_for(&self, address: IpAddr) -> Option<&Network> {
        self.network_index
            .matching(address)
            .next()
            .map(|k| &self.networks[k])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Inventory, InventoryError> {
        Inventory::parse(Path::new("inv.yaml"), text.to_string())
    }

    const GOOD: &str = "version: 1\nmail:\n  domains:\n    source.example:\n      mx: [mail.source.example, \"20 backup.source.example\"]\n  hosts:\n    - name: mail.source.example\n      addresses: [10.10.10.1]\n    - name: mx2.source.example\n      helo: mx2-out.source.example\n      outbound: false\n      addresses:\n        - {address: 198.51.100.5, ptr: mx2.source.example}\nnat:\n  - inside: 10.10.10.0/24\n    outside: 203.0.113.0/24\n  - inside: 10.10.10.0/24\n    outside: 198.51.100.0/24\n    direction: outbound\nnetworks:\n  - prefix: 198.51.100.0/28\n    reverse: provider\n";

    #[test]
    fn a_full_inventory_reads() {
        let inv = parse(GOOD).unwrap();
        assert_eq!(inv.domains[0].name, "source.example.");
        assert_eq!(
            inv.domains[0].mx[1],
            (
                "backup.source.example.".into(),
                Some(20),
                inv.domains[0].mx[1].2
            )
        );
        assert_eq!(inv.hosts[0].helo, "mail.source.example.");
        assert!(!inv.hosts[1].outbound);
        assert_eq!(
            inv.hosts[1].addresses[0].ptr.as_ref().unwrap().0,
            "mx2.source.example."
        );
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let out: Vec<IpAddr> = inv
            .public_addresses(ip("10.10.10.1"), true)
            .into_iter()
            .map(|(a, _)| a)
            .collect();
        assert_eq!(
            out,
            vec![ip("203.0.113.1"), ip("198.51.100.1")],
            "two uplinks"
        );
        let inbound: Vec<IpAddr> = inv
            .public_addresses(ip("10.10.10.1"), false)
            .into_iter()
            .map(|(a, _)| a)
            .collect();
        assert_eq!(inbound, vec![ip("203.0.113.1")]);
        assert_eq!(
            inv.public_addresses(ip("192.0.2.9"), true)[0].0,
            ip("192.0.2.9")
        );
        assert!(
            inv.network_for(ip("198.51.100.5"))
                .is_some_and(|n| n.reverse == ReverseBy::Provider)
        );
        // Spans point at the values in the file.
        let name = &inv.hosts[0].name_span;
        assert_eq!(&GOOD[name.range()], "mail.source.example");
    }

    #[test]
    fn mistakes_are_errors_at_their_line() {
        let cases = [
            ("version: 1\nmial: {}\n", "mial"),
            (
                "version: 1\nnat:\n  - inside: 10.0.0.0/24\n    outside: 203.0.113.0/25\n",
                "same size",
            ),
            (
                "version: 1\nnat:\n  - inside: 10.0.0.0/24\n    outside: 203.0.113.0/24\n  - inside: 10.0.0.0/25\n    outside: 198.51.100.0/25\n",
                "overlaps",
            ),
            (
                "version: 1\nmail:\n  hosts:\n    - name: m.example\n      addresses: [10.0.0.300]\n",
                "not an IP address",
            ),
            ("version: 1\nversion: 1\n", "uplicate"),
            ("version: 2\n", "version 2"),
            (
                "version: 1\nnetworks:\n  - prefix: 203.0.113.7/24\n    reverse: zone\n",
                "host bits",
            ),
            (
                "version: 1\nnetworks:\n  - prefix: 203.0.113.0/24\n    reverse: zone\n  - prefix: 203.0.113.0/24\n    reverse: provider\n",
                "listed twice",
            ),
        ];
        for (text, needle) in cases {
            let err = parse(text)
                .err()
                .unwrap_or_else(|| panic!("accepted: {text}"));
            assert!(err.message.contains(needle), "{text:?}: {}", err.message);
        }
    }
}
