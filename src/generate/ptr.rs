//! The PTR records the forward zones and the inventory call for, as complete reverse
//! zones, as a diff against the reverse zones of the set, or as a list for a provider.

use crate::Report;
use crate::fix::{Edit, FileChange};
use crate::inventory::View;
use crate::model::RecordData;
use crate::model::index::{AddressKey, SetIndex, address_key};
use crate::rr::RType;
use crate::rules::mail::mail009_helo_not_public::helo_problem;
use crate::rules::mail::plan::MailPlan;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;

/// One PTR to publish: the address, the name it should give, and the record's TTL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wanted {
    pub address: IpAddr,
    pub name: String,
    pub ttl: u32,
    /// Other names with the address, not chosen.
    pub others: Vec<String>,
}

/// Names in DNSSEC canonical order (RFC 4034 §6.1): label by label from the right.
fn canonical_key(name: &str) -> Vec<String> {
    name.trim_end_matches('.')
        .split('.')
        .rev()
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Every address of the forward zones (external view; wildcards and glue left out) and
/// every public address of the inventory's mail hosts, with the name its PTR should
/// give: for a mail host the name the mail planner chose (the existing PTR when it
/// already resolves back; never a HELO name under `.local` or another suffix nobody
/// can look up), else an MX target, else the first name in canonical order.
pub fn wanted(report: &Report, indices: &SetIndex, plan: &MailPlan) -> Vec<Wanted> {
    let set = &report.set;
    let reverse: HashSet<usize> = set.reverse.iter().map(|&(z, _)| z).collect();
    let mut mx_targets = HashSet::new();
    /// A name offered for an address: (priority, name, TTL); 0 is the inventory's HELO
    /// name, 1 an MX target, 2 any other name.
    type Offer = (u8, String, u32);
    let mut found: BTreeMap<AddressKey, (IpAddr, Vec<Offer>)> = BTreeMap::new();
    for (z, zone) in set.zones.iter().enumerate() {
        if reverse.contains(&z) || zone.view == View::Internal {
            continue;
        }
        for r in &zone.records {
            if let RecordData::Mx(i) = r.data() {
                mx_targets.insert(zone.name(zone.mx[i as usize].1));
            }
        }
        for r in &zone.records {
            let Some(address) = zone.address(r) else {
                continue;
            };
            if zone.names.label(r.owner) == b"*"
                || indices.zones[z].occluder(zone, r.owner).is_some()
            {
                continue;
            }
            found
                .entry(address_key(address))
                .or_insert((address, Vec::new()))
                .1
                .push((2, zone.name(r.owner), r.ttl));
        }
    }
    if let Some((inventory, _)) = &set.inventory {
        for host in &inventory.hosts {
            // Without a choice of the planner, the HELO name if receivers can look it
            // up, else the host's name if they can.
            let fallback = [&host.helo, &host.name]
                .into_iter()
                .find(|n| helo_problem(set, n).is_none() && crate::rules::mail::plan::host_name(n));
            for a in &host.addresses {
                for outbound in [true, false] {
                    for (public, _) in inventory.public_addresses(a.address, outbound) {
                        let Some(name) = plan.ptr_names.get(&public).or(fallback) else {
                            continue;
                        };
                        found
                            .entry(address_key(public))
                            .or_insert((public, Vec::new()))
                            .1
                            .push((0, name.clone(), 3600));
                    }
                }
            }
        }
    }
    found
        .into_values()
        .map(|(address, mut names)| {
            for n in &mut names {
                if n.0 == 2 && mx_targets.contains(&n.1) {
                    n.0 = 1;
                }
            }
            names.sort_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| canonical_key(&a.1).cmp(&canonical_key(&b.1)))
            });
            names.dedup_by(|a, b| a.1 == b.1);
            let (_, name, ttl) = names[0].clone();
            let others = names[1..].iter().map(|n| n.1.clone()).collect();
            Wanted {
                address,
                name,
                ttl,
                others,
            }
        })
        .collect()
}

/// How RFC 2317 child zones are named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Classless {
    Slash,
    Dash,
}

/// A reverse zone to write: its network, origin and, for an RFC 2317 child, the parent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReverseZone {
    pub network: IpNet,
    pub origin: String,
    /// For an RFC 2317 child: the parent zone's origin.
    pub parent: Option<String>,
}

/// The reverse zone that publishes `network`: octet or nibble aligned (rounded down),
/// or an RFC 2317 child for IPv4 networks longer than /24 when `classless`.
pub fn reverse_zone(
    report: &Report,
    network: IpNet,
    classless: bool,
    style: Classless,
) -> ReverseZone {
    let set = &report.set;
    let existing = set
        .reverse
        .iter()
        .find(|(_, p)| *p == network)
        .map(|&(z, _)| set.zones[z].origin_text());
    match network {
        IpNet::V4(n) if n.prefix_len() > 24 && classless => {
            let o = n.network().octets();
            let parent = format!("{}.{}.{}.in-addr.arpa.", o[2], o[1], o[0]);
            let sep = if style == Classless::Slash { "/" } else { "-" };
            let origin =
                existing.unwrap_or_else(|| format!("{}{sep}{}.{parent}", o[3], n.prefix_len()));
            ReverseZone {
                network,
                origin,
                parent: Some(parent),
            }
        }
        IpNet::V4(n) => {
            let len = (n.prefix_len() / 8) * 8;
            let net = Ipv4Net::new(n.network(), len)
                .map(|x| x.trunc())
                .unwrap_or(n);
            let o = net.network().octets();
            let labels: Vec<String> = o[..(len / 8) as usize]
                .iter()
                .rev()
                .map(|b| b.to_string())
                .collect();
            let origin = existing.unwrap_or_else(|| {
                format!(
                    "{}in-addr.arpa.",
                    labels.iter().map(|l| format!("{l}.")).collect::<String>()
                )
            });
            ReverseZone {
                network: IpNet::V4(net),
                origin,
                parent: None,
            }
        }
        IpNet::V6(n) => {
            let len = (n.prefix_len() / 4) * 4;
            let net = Ipv6Net::new(n.network(), len)
                .map(|x| x.trunc())
                .unwrap_or(n);
            let hex = format!("{:032x}", u128::from(net.network()));
            let nibbles: String = hex[..(len / 4) as usize]
                .chars()
                .rev()
                .map(|c| format!("{c}."))
                .collect();
            let origin = existing.unwrap_or_else(|| format!("{nibbles}ip6.arpa."));
            ReverseZone {
                network: IpNet::V6(net),
                origin,
                parent: None,
            }
        }
    }
}

/// The owner of `address`'s PTR inside `zone`, relative to its origin.
pub fn owner_in(zone: &ReverseZone, address: IpAddr) -> String {
    match address {
        IpAddr::V4(a) if zone.parent.is_some() => a.octets()[3].to_string(),
        IpAddr::V4(a) => {
            let o = a.octets();
            let keep = 4 - (zone.network.prefix_len() / 8) as usize;
            o[4 - keep..]
                .iter()
                .rev()
                .map(|b| b.to_string())
                .collect::<Vec<_>>()
                .join(".")
        }
        IpAddr::V6(a) => {
            let hex = format!("{:032x}", u128::from(a));
            let skip = (zone.network.prefix_len() / 4) as usize;
            hex[skip..]
                .chars()
                .rev()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(".")
        }
    }
}

/// The networks to write: those asked for, else the inventory's, else the /24s and
/// IPv6 /64s that hold the addresses.
pub fn networks(report: &Report, asked: &[IpNet], wanted: &[Wanted]) -> Vec<IpNet> {
    if !asked.is_empty() {
        return asked.to_vec();
    }
    if let Some((inventory, _)) = &report.set.inventory
        && !inventory.networks.is_empty()
    {
        return inventory.networks.iter().map(|n| n.prefix).collect();
    }
    let mut nets: Vec<IpNet> = wanted
        .iter()
        .map(|w| match w.address {
            IpAddr::V4(a) => IpNet::V4(Ipv4Net::new(a, 24).unwrap().trunc()),
            IpAddr::V6(a) => IpNet::V6(Ipv6Net::new(a, 64).unwrap().trunc()),
        })
        .collect();
    nets.sort();
    nets.dedup();
    nets
}

/// The reverse zones to write for `nets`, plus the RFC 2317 children the set already
/// holds inside them: a parent written without its child would claim addresses it has
/// delegated.
pub fn zones_to_write(
    report: &Report,
    nets: &[IpNet],
    classless: impl Fn(&IpNet) -> bool,
    style: Classless,
) -> Vec<ReverseZone> {
    let mut zones: Vec<ReverseZone> = nets
        .iter()
        .map(|n| reverse_zone(report, *n, classless(n), style))
        .collect();
    for (_, prefix) in &report.set.reverse {
        let is_child = matches!(prefix, IpNet::V4(v) if v.prefix_len() > 24);
        if is_child
            && nets.iter().any(|n| n.contains(prefix))
            && !zones.iter().any(|z| z.network == *prefix)
        {
            zones.push(reverse_zone(report, *prefix, true, style));
        }
    }
    zones
}

/// One reverse zone, complete: SOA and NS from the set's zone with that origin when
/// there is one, else from the first forward zone's SOA, else placeholders; then the
/// PTRs in address order. (An RFC 2317 child's parent CNAMEs: [`parent_cnames`].)
/// Addresses inside one of `children` (RFC 2317 child zones below this one) get the
/// CNAME into the child instead of a PTR.
pub fn zone_text(
    report: &Report,
    zone: &ReverseZone,
    children: &[ReverseZone],
    records: &[&Wanted],
    today: u32,
) -> String {
    let set = &report.set;
    let existing = set.zones.iter().find(|z| z.origin_text() == zone.origin);
    let soa_source = existing.or_else(|| set.zones.iter().find(|z| !z.soa.is_empty()));
    let (mname, rname, refresh, retry, expire, minimum, placeholder) =
        match soa_source.and_then(|z| z.soa.first().map(|s| (z, s))) {
            Some((z, s)) => (
                z.name(s.mname),
                z.name(s.rname),
                s.refresh,
                s.retry,
                s.expire,
                s.minimum,
                false,
            ),
            None => (
                "ns.invalid.".into(),
                "hostmaster.invalid.".into(),
                7200,
                3600,
                1_209_600,
                300,
                true,
            ),
        };
    let serial = existing
        .and_then(|z| z.soa.first())
        .map_or(today.wrapping_mul(100), |s| {
            crate::fix::next_serial(s.serial, today)
        });
    let ns = apex_ns(report, &zone.origin).unwrap_or_else(|| vec![mname.clone()]);
    let mut out = String::new();
    out.push_str(&format!(
        "; reverse zone for {}, written by zonelint generate ptr\n",
        zone.network
    ));
    if placeholder {
        out.push_str("; PLACEHOLDERS: set the SOA name server and mailbox, and the NS records\n");
    }
    out.push_str(&format!("$ORIGIN {}\n$TTL 3600\n", zone.origin));
    out.push_str(&format!(
        "@\tIN\tSOA\t{mname} {rname} {serial} {refresh} {retry} {expire} {minimum}\n"
    ));
    for n in &ns {
        out.push_str(&format!("\tIN\tNS\t{n}\n"));
    }
    // RFC 2317 §4: the parent delegates each child, then aliases its addresses into it.
    // The zone written may be the child's parent or a shorter prefix holding it (a /16).
    let holds = |c: &&ReverseZone| {
        c.parent.is_some() && zone.parent.is_none() && zone.network.contains(&c.network.network())
    };
    for child in children.iter().filter(holds) {
        let label = relative_to(&child.origin, &zone.origin);
        for n in apex_ns(report, &child.origin).unwrap_or_else(|| ns.clone()) {
            out.push_str(&format!("{label}\tIN\tNS\t{n}\n"));
        }
    }
    for w in records {
        let ttl = if w.ttl == 3600 {
            String::new()
        } else {
            format!("{}\t", w.ttl)
        };
        let owner = owner_in(zone, w.address);
        let child = children
            .iter()
            .filter(holds)
            .find(|c| c.network.contains(&w.address));
        match child {
            Some(c) => out.push_str(&format!(
                "{owner}\t{ttl}IN\tCNAME\t{}\n",
                relative_to(
                    &format!("{}.{}", owner_in(c, w.address), c.origin),
                    &zone.origin
                )
            )),
            None => out.push_str(&format!("{owner}\t{ttl}IN\tPTR\t{}\n", w.name)),
        }
    }
    out
}

/// The NS names at the apex of the set's zone `origin`, when the set holds it.
fn apex_ns(report: &Report, origin: &str) -> Option<Vec<String>> {
    let z = report
        .set
        .zones
        .iter()
        .find(|z| z.origin_text() == origin)?;
    Some(
        z.records
            .iter()
            .filter(|r| r.rtype == RType::NS && r.owner == z.origin)
            .filter_map(|r| z.target(r).map(|t| z.name(t)))
            .collect(),
    )
}

/// `name` (absolute) written relative to `origin` when it lies below it.
fn relative_to(name: &str, origin: &str) -> String {
    name.strip_suffix(&format!(".{origin}"))
        .map_or_else(|| name.to_string(), str::to_string)
}

/// An RFC 2317 child's labels below its parent (`192/26`).
fn child_label(zone: &ReverseZone) -> &str {
    match &zone.parent {
        Some(parent) => zone
            .origin
            .strip_suffix(&format!(".{parent}"))
            .unwrap_or(&zone.origin),
        None => &zone.origin,
    }
}

/// The parent's CNAMEs of an RFC 2317 child, as a zone snippet of their own.
pub fn parent_cnames(zone: &ReverseZone, records: &[&Wanted]) -> Option<String> {
    let parent = zone.parent.as_ref()?;
    let child_label = child_label(zone);
    let mut out = format!(
        "; CNAMEs for {parent} leading into {}\n$ORIGIN {parent}\n",
        zone.origin
    );
    for w in records {
        let host = owner_in(zone, w.address);
        out.push_str(&format!("{host}\tIN\tCNAME\t{host}.{child_label}\n"));
    }
    Some(out)
}

/// The edits that make the set's reverse zones publish `wanted`: add missing PTRs,
/// point wrong ones at the wanted name (a PTR that resolves back is never rewritten). PTRs nobody wants are left, and returned.
pub fn diff_edits(
    report: &Report,
    indices: &SetIndex,
    wanted: &[&Wanted],
) -> (Vec<Edit>, Vec<String>, Vec<IpAddr>) {
    let set = &report.set;
    let mut edits = Vec::new();
    let mut uncovered = Vec::new();
    for w in wanted {
        let Some(z) = set.reverse_zone_for(w.address) else {
            uncovered.push(w.address);
            continue;
        };
        let zone = &set.zones[z];
        let existing: Vec<_> = indices.ptrs_for(set, w.address).collect();
        match existing.first() {
            None => {
                let owner = crate::rules::mail::ptr_owner(set, z, w.address);
                let before = indices
                    .ptr_before(set, z, w.address)
                    .map(|(_, i)| &zone.records[i]);
                let absolute = crate::rules::mail::reverse_name(w.address);
                edits.extend(crate::rules::edits::insert_record(
                    set,
                    zone,
                    before,
                    (&owner, &absolute),
                    "PTR",
                    &w.name,
                ));
            }
            // A PTR that already resolves back stays, whatever name was wanted.
            Some(_)
                if existing
                    .iter()
                    .any(|&(pz, pi)| indices.is_confirmed(set, pz, pi)) => {}
            Some(&(pz, pi)) => {
                let pzone = &set.zones[pz];
                let record = &pzone.records[pi];
                if pzone.target(record).map(|t| pzone.name(t)) != Some(w.name.clone()) {
                    edits.extend(crate::rules::edits::replace_last_field(
                        set, pzone, record, &w.name,
                    ));
                }
            }
        }
    }
    let wanted_keys: HashSet<AddressKey> = wanted.iter().map(|w| address_key(w.address)).collect();
    let extras = indices
        .ptr_table(set)
        .iter()
        .filter(|e| !wanted_keys.contains(&e.key))
        .filter_map(|e| {
            let zone = &set.zones[e.zone as usize];
            let record = &zone.records[e.record as usize];
            Some(format!(
                "{} (`{}`)",
                zone.name(record.owner),
                zone.name(zone.target(record)?)
            ))
        })
        .collect();
    (edits, extras, uncovered)
}

/// The files `diff_edits` changes, with serials raised.
pub fn diff(
    report: &Report,
    indices: &SetIndex,
    wanted: &[&Wanted],
    today: u32,
) -> (Vec<FileChange>, Vec<String>, Vec<IpAddr>) {
    let (edits, extras, uncovered) = diff_edits(report, indices, wanted);
    (
        crate::fix::changes(&report.set, edits, today).0,
        extras,
        uncovered,
    )
}
