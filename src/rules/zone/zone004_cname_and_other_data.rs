use crate::diagnostic::Diagnostic;
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a name that owns a CNAME and any other data. Only RRSIG and NSEC may
    /// stand beside a CNAME; KEY may not (BIND and Knot agree).
    ///
    /// ## Why is this bad?
    /// A CNAME says "this name is an alias, look there for everything". Other data at the
    /// same name contradicts it: resolvers return either the alias or the data depending
    /// on the query type and cache state, and servers refuse the zone. A CNAME at the apex
    /// (beside SOA and NS) is the most common case.
    ///
    /// ## Example
    /// ```text
    /// www  IN CNAME web.example.net.
    /// www  IN TXT   "v=spf1 -all"
    /// ```
    /// Use instead: give the TXT to the target name, or replace the CNAME by the
    /// target's A/AAAA records.
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// RFC 1034 §3.6.2; RFC 2181 §10.1; RFC 4035 §2.5.
    ZONE004, "ZONE004", Error, None, "CNAME and other data at the same name"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    for group in ctx.index.owners(zone) {
        let records = || group.iter().map(|&i| &zone.records[i as usize]);
        let Some(cname) = records().find(|r| r.rtype == RType::CNAME) else {
            continue;
        };
        let others: Vec<_> = records()
            .filter(|r| !matches!(r.rtype, RType::CNAME | RType::RRSIG | RType::NSEC))
            .collect();
        let Some(first_other) = others.first() else {
            continue;
        };
        let mut types: Vec<String> = others.iter().map(|r| r.rtype.to_string()).collect();
        types.dedup();
        let name = zone.name(cname.owner);
        out.push(
            Diagnostic::new("ZONE004", zone.location(cname), format!("`{name}` has a CNAME and other data ({})", types.join(", ")))
                .with_owner(name)
                .with_label("CNAME here")
                .with_related(zone.location(first_other), format!("{} record at the same name", first_other.rtype))
                .with_help("a name with a CNAME can own nothing else: move the other records to the target, or drop the CNAME"),
        );
    }
}
