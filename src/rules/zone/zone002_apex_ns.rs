use crate::diagnostic::Diagnostic;
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks that the zone apex has at least one NS record.
    ///
    /// ## Why is this bad?
    /// The apex NS RRset names the zone's authoritative servers. Without it BIND refuses
    /// to load the zone, and resolvers that ask the zone itself for its servers get
    /// nothing, even when the parent delegates correctly.
    ///
    /// ## Example
    /// ```text
    /// @  IN SOA ns1 hostmaster 1 7200 3600 1209600 300
    /// www IN A 192.0.2.10
    /// ```
    /// Use instead:
    /// ```text
    /// @  IN SOA ns1 hostmaster 1 7200 3600 1209600 300
    ///    IN NS  ns1
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: zonelint cannot know your name servers.
    ///
    /// ## References
    /// RFC 1034 §4.2.1; RFC 1035 §5.2.
    ZONE002, "ZONE002", Error, None, "no NS record at the apex"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    let at_apex = ctx.index.at(zone.origin);
    if at_apex
        .iter()
        .any(|&i| zone.records[i as usize].rtype == RType::NS)
    {
        return;
    }
    let origin = zone.origin_text();
    let location = at_apex
        .iter()
        .map(|&i| &zone.records[i as usize])
        .find(|r| r.rtype == RType::SOA)
        .map_or_else(|| super::zone_start(zone), |r| zone.location(r));
    out.push(
        Diagnostic::new(
            "ZONE002",
            location,
            format!("zone `{origin}` has no NS record at its apex"),
        )
        .with_owner(origin)
        .with_label("apex without NS")
        .with_help("add `@ IN NS <name server>` for each authoritative server"),
    );
}
