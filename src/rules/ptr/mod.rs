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
#[derive(Debug, PartialEq)]
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
#[derive(Debug, PartialEq)]
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
    facts_in_stretches(ctx, FACTS_CHUNK)
}

/// [`facts`], worked out in stretches of `chunk` records.
fn facts_in_stretches(ctx: &ZoneContext, chunk: usize) -> Vec<PtrFact> {
    use rayon::prelude::*;
    let Some(prefix) = zone_prefix(ctx) else {
        return Vec::new();
    };
    let per_chunk: Vec<Vec<PtrFact>> = ctx
        .zone
        .records
        .par_chunks(chunk)
        .enumerate()
        .map(|(k, records)| facts_of(ctx, &prefix, k * chunk, records))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_are_the_same_in_stretches_of_any_length() {
        let mut forward = String::from("@ IN SOA ns h 1 2 3 4 5\n@ IN NS ns\nns IN A 10.0.1.1\n");
        let mut reverse = String::from("@ IN SOA ns.example.test. h.example.test. 1 2 3 4 5\n");
        for i in 0..60u32 {
            match i % 6 {
                // Resolves back: no fact.
                0 => forward.push_str(&format!("h{i} IN A 10.0.0.{i}\n")),
                // Another address: a mismatch.
                1 => forward.push_str(&format!("h{i} IN A 10.0.0.{}\n", i + 100)),
                // An alias.
                2 => forward.push_str(&format!("h{i} IN CNAME h0\n")),
                // Owns no address.
                3 => forward.push_str(&format!("h{i} IN TXT x\n")),
                // 4: no such name; 5: the target lacks its trailing dot (below).
                _ => {}
            }
            let target = if i % 6 == 5 {
                format!("h{i}.example.test")
            } else {
                format!("h{i}.example.test.")
            };
            reverse.push_str(&format!("{i} IN PTR {target}\n"));
            if i % 10 == 0 {
                // Owners that are not addresses, and a target outside the set.
                reverse.push_str(&format!("x{i} IN PTR h{i}.example.test.\n"));
                reverse.push_str(&format!("{} IN PTR elsewhere.example.org.\n", i + 1));
            }
        }
        // A host a wildcard answers for, with the very address (fine, but only seen by
        // resolving the name), and a PTR below a delegation (occluded: no fact).
        forward.push_str("*.w IN A 10.0.0.240\n");
        reverse.push_str("240 IN PTR host.w.example.test.\n");
        reverse.push_str("sub IN NS ns.example.org.\n1.sub IN PTR nowhere.example.test.\n");
        let set = crate::syntax::parser::set_of_texts(&[
            (&forward, "example.test."),
            (&reverse, "0.0.10.in-addr.arpa."),
        ]);
        let indices = crate::model::index::SetIndex::build(&set);
        let selection = crate::rules::Selection::default();
        let plan = crate::rules::mail::plan::MailPlan::build(&set, &indices, false);
        let contexts = crate::rules::zone_contexts(&set, &indices, &selection, &plan);
        let ctx = contexts
            .iter()
            .find(|c| zone_prefix(c).is_some())
            .expect("the reverse zone");
        let whole = facts_in_stretches(ctx, usize::MAX);
        let kinds: std::collections::HashSet<_> = whole
            .iter()
            .map(|f| std::mem::discriminant(&f.verdict))
            .collect();
        assert_eq!(
            kinds.len(),
            5,
            "the zone gives every kind of verdict: {whole:?}"
        );
        assert!(
            whole.iter().any(|f| f.address.is_none()),
            "an owner that is no address"
        );
        assert!(
            whole.windows(2).all(|w| w[0].record < w[1].record),
            "in record order"
        );
        let about = |owner: &str| {
            let id = ctx.zone.names.find_text(owner).expect("interned");
            whole.iter().any(|f| ctx.zone.records[f.record].owner == id)
        };
        assert!(about("1.0.0.10.in-addr.arpa."), "a mismatch is a fact");
        assert!(
            !about("240.0.0.10.in-addr.arpa."),
            "resolved to its address"
        );
        assert!(
            !about("1.sub.0.0.10.in-addr.arpa."),
            "occluded by the delegation"
        );
        for chunk in [1, 2, 3, 5, 7, 64, FACTS_CHUNK] {
            assert_eq!(
                facts_in_stretches(ctx, chunk),
                whole,
                "stretches of {chunk}"
            );
        }
        assert_eq!(facts(ctx), whole);
    }
}
