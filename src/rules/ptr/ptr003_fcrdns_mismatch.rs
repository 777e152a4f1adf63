use super::Verdict;
use crate::diagnostic::Diagnostic;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a PTR whose target has A/AAAA records, none of which is the PTR's
    /// address: forward-confirmed reverse DNS fails. (A target with no address at all is
    /// PTR002.)
    ///
    /// ## Why is this bad?
    /// Receivers check that the name a PTR gives resolves back to the connecting address;
    /// when it does not they treat the address as having no valid reverse DNS and refuse
    /// or junk its mail. Usually the PTR is stale after a renumbering, or names the wrong
    /// host.
    ///
    /// ## Example
    /// ```text
    /// 25    IN PTR mx.source.example.     ; mx.source.example. has A 198.51.100.9
    /// ```
    /// Use instead: the name whose A record is 203.0.113.25, e.g.
    /// `25 IN PTR mail.source.example.`.
    ///
    /// ## Fix safety
    /// Rewriting the PTR target changes what is published (an unsafe fix: `zonelint fix --unsafe-fixes`).
    ///
    /// ## References
    /// RFC 1912 §2.1; RFC 8499 §7 ("forward-confirmed reverse DNS").
    PTR003, "PTR003", Error, "PTR target does not resolve back to the address (FCrDNS mismatch)"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    for fact in ctx.ptr_facts() {
        let (Verdict::Mismatch(addresses, (z, i)), Some(address)) = (&fact.verdict, fact.address)
        else {
            continue;
        };
        let r = &zone.records[fact.record];
        let target = zone.name(fact.target);
        let list = crate::rules::address_list(addresses.as_slice());
        let forward = &ctx.set.zones[*z];
        out.push(
            Diagnostic::new(
                "PTR003",
                zone.location(r),
                format!("PTR for {address} names `{target}`, whose addresses are {list}; expected a name that resolves back to {address}"),
            )
            .with_owner(zone.name(r.owner))
            .with_label(format!("{address} → `{target}`"))
            .with_related(forward.location(&forward.records[*i]), format!("`{target}` resolves to {list}"))
            .with_help(format!("point the PTR at the name whose address is {address}, or add {address} to `{target}`"))
.with_fix({
    let names: Vec<String> = ctx
        .indices
        .records_with_address(ctx.set, address)
        .into_iter()
        .map(|(z, i)| ctx.set.zones[z].name(ctx.set.zones[z].records[i].owner))
        .collect();
    match names.as_slice() {
        [one] => crate::rules::edits::fix_record(r, crate::rules::edits::replace_last_field(ctx.set, zone, r, one), crate::fix::Applicability::Unsafe, format!("point the PTR at `{one}`, whose address is {address}")),
        _ => None,
    }
}),
        );
    }
}
