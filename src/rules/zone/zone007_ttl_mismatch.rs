use crate::diagnostic::Diagnostic;
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an RRset whose records have different TTLs. RRSIG sets are exempt: their
    /// records cover different types.
    ///
    /// ## Why is this bad?
    /// The TTL belongs to the RRset, not to a record. Servers use one value (BIND the
    /// first, others the lowest) and caches expire the set as a whole, so the TTL you
    /// wrote on the other records does nothing. DNSSEC signs the set with one TTL.
    ///
    /// ## Example
    /// ```text
    /// www  3600 IN A 192.0.2.10
    /// www   300 IN A 192.0.2.11
    /// ```
    /// Use instead: the same TTL on both.
    ///
    /// ## Fix safety
    /// No automatic fix: which TTL was meant is your call.
    ///
    /// ## References
    /// RFC 2181 §5.2.
    ZONE007, "ZONE007", Warning, None, "TTLs differ within one RRset"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    for set in ctx.index.rrsets(zone) {
        let first = &zone.records[set[0] as usize];
        if set.len() < 2 || first.rtype == RType::RRSIG {
            continue;
        }
        if let Some(other) = set
            .iter()
            .map(|&i| &zone.records[i as usize])
            .find(|r| r.ttl != first.ttl)
        {
            let name = zone.name(first.owner);
            out.push(
                Diagnostic::new(
                    "ZONE007",
                    zone.location(other),
                    format!(
                        "{} RRset at `{name}` mixes TTLs {} and {}",
                        first.rtype, first.ttl, other.ttl
                    ),
                )
                .with_owner(name)
                .with_label(format!("TTL {}", other.ttl))
                .with_related(zone.location(first), format!("TTL {} here", first.ttl))
                .with_help("give every record of the RRset the same TTL"),
            );
        }
    }
}
