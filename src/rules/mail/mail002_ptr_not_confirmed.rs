use super::{SetContext, ptrs_of};
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// For every outbound mail host, checks that the PTR of each public address it sends
    /// from names a host that resolves back to that address (forward-confirmed reverse
    /// DNS). For a provider-published network the PTR is the host's `ptr:` in the
    /// inventory. Names outside the zone set are not checked.
    ///
    /// ## Why is this bad?
    /// Receivers follow the PTR to a name and the name back to addresses; when the
    /// sending address is not among them the reverse DNS does not count, and the mail is
    /// refused as if there were no PTR at all.
    ///
    /// ## Example
    /// ```text
    /// 25    IN PTR mx.source.example.     ; but mx.source.example. is 198.51.100.9
    /// ```
    /// Use instead: a PTR naming the host whose A record is the public address.
    ///
    /// ## Fix safety
    /// Rewriting the PTR changes what is published (an unsafe fix: `zonelint fix
    /// --unsafe-fixes`). The mail planner picks the new target: a name that resolves
    /// back to the address once its own planned fixes are applied — the host's inventory
    /// name first — and never a HELO name under a special-use suffix such as `.local`.
    ///
    /// ## References
    /// RFC 8499 §7 (FCrDNS); RFC 1912 §2.1.
    MAIL002, "MAIL002", Error, Sometimes, "the PTR of a mail host's public address does not resolve back to it"
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
            for ptr in ptrs_of(ctx, public, entry).unwrap_or_default() {
                let Some(addresses) = ctx.addresses_of(&ptr.name) else {
                    continue;
                };
                if addresses.contains(&public) {
                    continue;
                }
                let what = crate::rules::resolution(&addresses);
                // The planner either re-points this PTR, or keeps it because the name
                // it already names gets the address.
                let planned = ptr
                    .record
                    .and_then(|r| ctx.plan.ptr_record(r, &ptr.name, public));
                out.push(
                    Diagnostic::new(
                        "MAIL002",
                        ptr.location,
                        format!("PTR for {public} names `{}`, which {what}; expected a name that resolves back to {public}", ptr.name),
                    )
                    .with_owner(super::reverse_name(public))
                    .with_label(format!("{public} → `{}`", ptr.name))
                    .with_related(ctx.at(host.name_span), format!("mail host `{}` sends from {public}", host.name))
                    .with_help(match planned.clone() {
                        Some(f) => f.title,
                        None => format!(
                            "point the PTR at a public name whose A/AAAA record is {public}{}",
                            match ctx.plan.elsewhere.get(&k) {
                                Some(why) => format!("; {why}"),
                                None if crate::model::special::non_public_outside(ctx.set, &host.name).is_none() => {
                                    format!(" (such as `{}`, once it has that address)", host.name)
                                }
                                None => String::new(),
                            }
                        ),
                    })
                    .with_fix(planned),
                );
            }
        }
    }
}
