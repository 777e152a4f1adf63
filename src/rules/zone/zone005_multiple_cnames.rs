use crate::diagnostic::Diagnostic;
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a name with more than one distinct CNAME record.
    ///
    /// ## Why is this bad?
    /// An alias can point at one name only. With two CNAMEs resolvers pick one at random
    /// and servers refuse the zone.
    ///
    /// ## Example
    /// ```text
    /// www  IN CNAME web1.example.net.
    /// www  IN CNAME web2.example.net.
    /// ```
    /// Use instead: one CNAME, or A/AAAA records for both addresses.
    ///
    /// ## Fix safety
    /// No automatic fix: which target is right is your call.
    ///
    /// ## References
    /// RFC 1034 §3.6.2; RFC 2181 §10.1.
    ZONE005, "ZONE005", Error, None, "more than one CNAME at a name"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    for set in ctx.index.rrsets(zone) {
        let first = &zone.records[set[0] as usize];
        if first.rtype != RType::CNAME || set.len() < 2 {
            continue;
        }
        let first_target = zone.target(first);
        if let Some(other) = set
            .iter()
            .map(|&i| &zone.records[i as usize])
            .find(|r| zone.target(r) != first_target)
        {
            let name = zone.name(first.owner);
            out.push(
                Diagnostic::new(
                    "ZONE005",
                    zone.location(other),
                    format!("`{name}` has more than one CNAME"),
                )
                .with_owner(name)
                .with_label(format!(
                    "second CNAME, to `{}`",
                    zone.target(other).map(|t| zone.name(t)).unwrap_or_default()
                ))
                .with_related(zone.location(first), "first CNAME is here")
                .with_help("keep exactly one CNAME per name"),
            );
        }
    }
}
