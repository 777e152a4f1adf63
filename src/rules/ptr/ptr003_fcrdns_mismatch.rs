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
    /// Rewriting the PTR target changes what is published (an unsafe fix: `zonelint fix
    /// --unsafe-fixes`). It is offered when exactly one public name of a zone the
    /// internet sees has the address (with an inventory, the name the mail planner
    /// chose); never a name under a special-use suffix outside the set.
    ///
    /// ## References
    /// RFC 1912 §2.1; RFC 8499 §7 ("forward-confirmed reverse DNS").
    PTR003, "PTR003", Error, Sometimes, "PTR target does not resolve back to the address (FCrDNS mismatch)"
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
    let mut names: Vec<String> = ctx
        .indices
        .records_with_address(ctx.set, address)
        .into_iter()
        .filter(|&(z, _)| ctx.set.zones[z].view != crate::inventory::View::Internal)
        .map(|(z, i)| ctx.set.zones[z].name(ctx.set.zones[z].records[i].owner))
        .filter(|n| crate::model::special::non_public_outside(ctx.set, n).is_none())
        .collect();
    names.dedup();
    // Another PTR of the same owner that already names a confirming name makes this
    // one redundant: re-pointing it would duplicate that record.
    let confirmed_sibling = ctx.index.at(r.owner).iter().any(|&j| {
        j as usize != fact.record
            && zone.records[j as usize].rtype == crate::rr::RType::PTR
            && ctx.indices.is_confirmed(ctx.set, ctx.id, j as usize)
    });
    ctx.plan.ptr_record((ctx.id, fact.record), &target, address).or_else(|| match names.as_slice() {
        _ if confirmed_sibling => crate::rules::edits::delete_record(
            ctx.set,
            zone,
            r,
            &format!("remove this PTR: another PTR of {address} already names a name that resolves back"),
        )
        .map(|mut f| {
            f.applicability = f.applicability.min(crate::fix::Applicability::Unsafe);
            f
        }),
        [one] => crate::rules::edits::fix_record(r, crate::rules::edits::replace_last_field(ctx.set, zone, r, one), crate::fix::Applicability::Unsafe, format!("point the PTR at `{one}`, whose address is {address}")),
        _ => None,
    })
}),
        );
    }
}
