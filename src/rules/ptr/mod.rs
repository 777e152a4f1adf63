//! Reverse DNS rules: every covered address has a PTR, and every PTR names a host that
//! resolves back to the address (forward-confirmed reverse DNS).

pub mod ptr001_missing_ptr;
pub mod ptr002_target_without_address;
pub mod ptr003_fcrdns_mismatch;
pub mod ptr004_target_is_cname;
pub mod ptr005_owner_not_address;
pub mod ptr006_multiple_ptrs;
pub mod ptr007_missing_trailing_dot;

use super::ZoneContext;
use crate::model::NameId;
use crate::model::index::{Answer, RecordRef, Translator};
use crate::model::reverse::OwnerReader;
use crate::rr::RType;
use std::net::IpAddr;

/// What a PTR's target turned out to be, for the PTRs that need a finding.
pub enum Verdict {
    /// The target resolves back to the address (or cannot be checked): nothing to say
    /// about the target.
    Fine,
    /// The target lies inside the reverse zone itself: a missing trailing dot (PTR007).
    Inside,
    /// The target is held in the set but has no address (PTR002).
    NoAddress,
    /// The target's addresses do not include the PTR's (PTR003): them, and the first
    /// address record.
    Mismatch(Vec<IpAddr>, RecordRef),
    /// The target is an alias (PTR004).
    Cname(RecordRef),
}

/// A PTR record of a reverse zone that some PTR rule reports.
pub struct PtrFact {
    /// Index of the record in its zone.
    pub record: usize,
    /// The address its owner stands for; `None` when the owner is not an address.
    pub address: Option<IpAddr>,
    pub target: NameId,
    pub verdict: Verdict,
}

/// Whether a name has a label starting with `_` (service data such as DNS-SD,
/// RFC 6763 §11): such PTRs are not address PTRs. (A wildcard owner, `*`, is not one
/// either: it answers for every address below it, RFC 4592.)
pub(crate) fn is_service_name(names: &crate::model::NameTable, id: NameId) -> bool {
    std::iter::once(id)
        .chain(names.ancestors(id))
        .any(|n| names.label(n).first() == Some(&b'_'))
}

/// The network of the zone in context when it is a reverse zone.
pub(crate) fn zone_prefix(ctx: &ZoneContext) -> Option<ipnet::IpNet> {
    ctx.set
        .reverse
        .iter()
        .find(|&&(z, _)| z == ctx.id)
        .map(|&(_, p)| p)
}

/// Records a task of [`facts`] reads: enough that a task's memos (what target names
/// resolve to) pay off, few enough that a large reverse zone keeps every core busy.
const FACTS_CHUNK: usize = 16 << 10;

/// The address PTRs of a reverse zone that some PTR rule reports, with what their targets
/// resolve to. PTRs whose target resolves back to their address are left out, so this
/// stays small however large the zone. In record order; stretches of records are
/// worked out on all cores.
pub fn facts(ctx: &ZoneContext) -> Vec<PtrFact> {
    use rayon::prelude::*;
    let Some(prefix) = zone_prefix(ctx) else {
        return Vec::new();
    };
    let per_chunk: Vec<Vec<PtrFact>> = ctx
        .zone
        .records
        .par_chunks(FACTS_CHUNK)
        .enumerate()
        .map(|(k, chunk)| facts_of(ctx, &prefix, k * FACTS_CHUNK, chunk))
        .collect();
    per_chunk.into_iter().flatten().collect()
}

/// [`facts`] for the records `chunk`, which start at index `first` of the zone.
fn facts_of(
    ctx: &ZoneContext,
    prefix: &ipnet::IpNet,
    first: usize,
    chunk: &[crate::model::Record],
) -> Vec<PtrFact> {
    let zone = ctx.zone;
    let me = ctx.id;
    let mut translator = Translator::new(&zone.names);
    let mut owners = OwnerReader::new(&zone.names);
    let mut facts = Vec::new();
    for (i, r) in (first..).zip(chunk) {
        if r.rtype != RType::PTR {
            continue;
        }
        // An owner that stands for an address has no `_` label: only the others are
        // walked up to look for one.
        let address = owners.address(r.owner);
        if (address.is_none() && is_service_name(&zone.names, r.owner))
            || zone.names.label(r.owner) == b"*"
            || ctx.index.occluder(zone, r.owner).is_some()
        {
            continue;
        }
        // Most PTRs name a host with the very address: confirmed in one pass for the set.
        let owner_fine = address.is_some_and(|a| prefix.contains(&a));
        if owner_fine && ctx.indices.is_confirmed(ctx.set, me, i) {
            continue;
        }
        let Some(target) = zone.target(r) else {
            continue;
        };
        let inside = target != zone.origin && zone.names.is_at_or_below(target, zone.origin);
        let verdict = if inside {
            Verdict::Inside
        } else {
            match ctx.indices.resolve_with(ctx.set, &mut translator, target) {
                Answer::Cname(c) => Verdict::Cname(c),
                Answer::NoAddress => Verdict::NoAddress,
                Answer::Addresses { zone: z, name } => {
                    let found = ctx.indices.address_records(ctx.set, z, name);
                    let addresses = ctx.addresses(&found);
                    match address {
                        Some(a) if !addresses.contains(&a) => {
                            Verdict::Mismatch(addresses, found[0])
                        }
                        _ => Verdict::Fine,
                    }
                }
                Answer::OutOfSet | Answer::Delegated => Verdict::Fine,
            }
        };
        if !owner_fine || !matches!(verdict, Verdict::Fine) {
            facts.push(PtrFact {
                record: i,
                address,
                target,
                verdict,
            });
        }
    }
    facts
}
