use super::{SetContext, missing_ptr};
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// For every outbound mail host of the inventory, checks that each public address it
    /// sends from (its address mapped through NAT) has a PTR in the reverse zone of the
    /// set that covers that address.
    ///
    /// ## Why is this bad?
    /// Receivers look up the PTR of the address the connection comes from — the NAT
    /// outside address, not the server's own. Without it, large mailbox providers refuse
    /// the mail: the sender gets an NDR with 5.5.0 or `554 ... Domain not found`.
    ///
    /// ## Example
    /// ```text
    /// # inventory: mail.source.example has 10.10.10.1, NATed to 203.0.113.25
    /// ; 113.0.203.in-addr.arpa.zone has no record for 25
    /// ```
    /// Use instead:
    /// ```text
    /// 25   IN PTR mail.source.example.
    /// ```
    ///
    /// ## Fix safety
    /// Adding the PTR changes what is published (an unsafe fix: `zonelint fix
    /// --unsafe-fixes`). The mail planner picks the name: the host's inventory name when
    /// it resolves (or, with the planned fixes, will resolve) to the public address, else
    /// its HELO name; never a name under a special-use or private suffix such as `.local`
    /// that no receiver can look up. Without such a name there is no fix.
    ///
    /// ## References
    /// RFC 1912 §2.1; RFC 8499 §7; RFC 5321 §4.1.4 (HELO and reverse lookups).
    MAIL001, "MAIL001", Error, Sometimes, "outbound mail host's public address has no PTR"
}

pub fn check(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    for (k, host) in ctx
        .inventory
        .hosts
        .iter()
        .enumerate()
        .filter(|(_, h)| h.outbound)
    {
        for (public, entry) in ctx.public_addresses(host, true) {
            let Some(z) = ctx.set.reverse_zone_for(public) else {
                continue;
            };
            if ctx.indices.ptrs_for(ctx.set, public).next().is_some() {
                continue;
            }
            let zone = &ctx.set.zones[z];
            let place = missing_ptr(ctx.set, ctx.indices, z, public);
            let via = if public == entry.address {
                String::new()
            } else {
                format!(", seen outside as {public}")
            };
            out.push(
                Diagnostic::new(
                    "MAIL001",
                    ctx.at(host.name_span),
                    format!("no PTR for {public}, the public address of mail host `{}`", host.name),
                )
                .with_owner(host.name.clone())
                .with_label(format!("sends from {}{via}", entry.address))
                .with_related(place.location, place.label)
                .with_help(match ctx.plan.ptr(public) {
                    Some(f) => format!("{} — receivers that check reverse DNS refuse mail from an address without a PTR that resolves back", f.title),
                    None => format!(
                        "add `{}  IN  PTR  <name>` to `{}`, naming a public name whose A/AAAA record is {public}{}",
                        place.owner,
                        zone.origin_text(),
                        ctx.plan.elsewhere.get(&k).map(|why| format!("; {why}")).unwrap_or_default()
                    ),
                })
                .with_fix(ctx.plan.ptr(public)),
            );
        }
    }
}
