//! Mail host rules: what receivers check about a sending host behind NAT — a PTR for
//! its public address that resolves back, a HELO name that resolves to it — and what
//! senders need to reach a domain. They read the inventory and run once for the set.

pub mod inv001_unchecked_address;
pub mod inv002_provider_ptr;
pub mod mail001_missing_ptr;
pub mod mail002_ptr_not_confirmed;
pub mod mail003_ptr_not_helo;
pub mod mail004_inside_address_published;
pub mod mail005_mx_differs;
pub mod mail006_generic_ptr;
pub mod mail007_domain_without_mail;
pub mod mail008_helo_not_resolving;
pub mod mail009_helo_not_public;
pub mod mail010_helo_unverifiable;

pub mod dns;
pub mod plan;

use crate::diagnostic::Location;
use crate::inventory::{HostAddress, Inventory, MailHost};
use crate::model::ZoneSet;
use crate::model::address::is_public;
use crate::model::index::{Answer, SetIndex};
use crate::rules::Selection;
use crate::span::Span;
use std::net::IpAddr;

/// What a set-level rule sees.
pub struct SetContext<'a> {
    pub set: &'a ZoneSet,
    pub indices: &'a SetIndex,
    /// The fixes planned for the inventory's mail hosts, attached to the findings.
    pub plan: &'a plan::MailPlan,
    pub selection: &'a Selection,
    pub inventory: &'a Inventory,
    /// The inventory's source id, for locations in it.
    pub inventory_source: u32,
}

impl SetContext<'_> {
    pub fn at(&self, span: Span) -> Location {
        Location {
            source: self.inventory_source,
            span,
        }
    }

    /// The public addresses a host sends from (or, with `outbound` false, is reached
    /// at): its addresses mapped through NAT, or themselves when no mapping applies;
    /// private ones are left out.
    pub fn public_addresses<'h>(
        &self,
        host: &'h MailHost,
        outbound: bool,
    ) -> Vec<(IpAddr, &'h HostAddress)> {
        let mut out = Vec::new();
        for a in &host.addresses {
            for (public, _) in self.inventory.public_addresses(a.address, outbound) {
                if is_public(public, self.selection.allow_doc_ranges)
                    && !out.iter().any(|(p, _)| *p == public)
                {
                    out.push((public, a));
                }
            }
        }
        out
    }

    /// The addresses `name` (absolute text) resolves to in the set, CNAMEs followed;
    /// `None` when no zone of the set holds it, or it is delegated away.
    pub fn addresses_of(&self, name: &str) -> Option<Vec<IpAddr>> {
        self.answer_addresses(self.indices.resolve_text_following(self.set, name))
    }

    fn answer_addresses(&self, answer: Answer) -> Option<Vec<IpAddr>> {
        match answer {
            Answer::OutOfSet | Answer::Delegated => None,
            other => Some(self.indices.answer_addresses(self.set, &other)),
        }
    }
}

/// The owner to write in reverse zone `zone` for `address`: relative to the zone's
/// origin, or the host number in an RFC 2317 child.
pub fn ptr_owner(set: &ZoneSet, zone: usize, address: IpAddr) -> String {
    let full = reverse_name(address);
    let origin = set.zones[zone].origin_text();
    match full.strip_suffix(&origin) {
        Some(rel) if !rel.is_empty() => rel.trim_end_matches('.').to_string(),
        _ => match address {
            IpAddr::V4(a) => a.octets()[3].to_string(),
            IpAddr::V6(_) => full,
        },
    }
}

/// Where the missing PTR for `address` belongs in reverse zone `zone` (see
/// [`missing_ptr`]).
pub struct MissingPtr {
    /// The owner to write ([`ptr_owner`]).
    pub owner: String,
    /// The PTR record of the zone it would follow, if any (a record index).
    pub before: Option<usize>,
    /// That record, or the start of the file, and a label for it.
    pub location: Location,
    pub label: String,
}

/// Where the PTR for `address` belongs in reverse zone `zone`: on the record it would
/// follow, or the start of the file. Worked out once for a finding's place and its fix.
pub fn missing_ptr(set: &ZoneSet, indices: &SetIndex, zone: usize, address: IpAddr) -> MissingPtr {
    let owner = ptr_owner(set, zone, address);
    let z = &set.zones[zone];
    let before = indices.ptr_before(set, zone, address).map(|(_, i)| i);
    let (location, label) = match before {
        Some(i) => (
            z.location(&z.records[i]),
            format!("no record for `{owner}` after this one"),
        ),
        None => (
            Location {
                source: z.source,
                span: Span::new(0, 0),
            },
            format!(
                "`{}` covers {address} but has no record for `{owner}`",
                z.origin_text()
            ),
        ),
    };
    MissingPtr {
        owner,
        before,
        location,
        label,
    }
}

/// The in-addr.arpa or ip6.arpa name of an address.
pub fn reverse_name(address: IpAddr) -> String {
    match address {
        IpAddr::V4(a) => {
            let o = a.octets();
            format!("{}.{}.{}.{}.in-addr.arpa.", o[3], o[2], o[1], o[0])
        }
        IpAddr::V6(a) => {
            let hex = format!("{:032x}", u128::from(a));
            let mut s: String = hex.chars().rev().flat_map(|c| [c, '.']).collect();
            s.push_str("ip6.arpa.");
            s
        }
    }
}

/// One PTR name found for a public address, and where it came from.
pub struct PtrOf {
    pub name: String,
    /// The PTR record, or the host's `ptr:` in the inventory.
    pub location: Location,
    /// The PTR record, when it is one of the set.
    pub record: Option<crate::model::index::RecordRef>,
}

/// The PTR names published for `address`: the records of the reverse zone of the set
/// that covers it, or the `ptr:` the inventory gives for a provider-published network.
/// `None` when nobody in the set or inventory publishes the address's reverse.
pub fn ptrs_of(ctx: &SetContext, address: IpAddr, entry: &HostAddress) -> Option<Vec<PtrOf>> {
    if ctx.set.reverse_zone_for(address).is_some() {
        let found = ctx
            .indices
            .ptrs_for(ctx.set, address)
            .filter_map(|(z, i)| {
                let zone = &ctx.set.zones[z];
                let r = &zone.records[i];
                Some(PtrOf {
                    name: zone.name(zone.target(r)?),
                    location: zone.location(r),
                    record: Some((z, i)),
                })
            })
            .collect();
        return Some(found);
    }
    let network = ctx.inventory.network_for(address)?;
    if network.reverse != crate::inventory::ReverseBy::Provider {
        return None;
    }
    let (name, span) = entry.ptr.as_ref()?;
    Some(vec![PtrOf {
        name: name.clone(),
        location: ctx.at(*span),
        record: None,
    }])
}

type SetRule = fn(&SetContext, &mut Vec<crate::diagnostic::Diagnostic>);

pub const SET_RULES: &[(&str, SetRule)] = &[
    ("MAIL001", mail001_missing_ptr::check),
    ("MAIL002", mail002_ptr_not_confirmed::check),
    ("MAIL003", mail003_ptr_not_helo::check),
    ("MAIL004", mail004_inside_address_published::check),
    ("MAIL005", mail005_mx_differs::check),
    ("MAIL006", mail006_generic_ptr::check),
    ("MAIL007", mail007_domain_without_mail::check),
    ("MAIL008", mail008_helo_not_resolving::check),
    ("MAIL009", mail009_helo_not_public::check),
    ("MAIL010", mail010_helo_unverifiable::check),
    ("SPF001", crate::rules::spf::spf001_fail::check),
    ("SPF002", crate::rules::spf::spf002_softfail::check),
    ("SPF003", crate::rules::spf::spf003_permerror::check_hosts),
    ("SPF006", crate::rules::spf::spf006_unverifiable::check),
    ("DMARC002", crate::rules::policy::dmarc002_missing::check),
    ("INV001", inv001_unchecked_address::check),
    ("INV002", inv002_provider_ptr::check),
];
