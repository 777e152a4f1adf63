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
    /// Rewriting the PTR changes what is published (an unsafe fix: `zonelint fix --unsafe-fixes`).
    ///
    /// ## References
    /// RFC 8499 §7 (FCrDNS); RFC 1912 §2.1.
    MAIL002, "MAIL002", Error, "the PTR of a mail host's public address does not resolve back to it"
}

pub fn check(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    for host in ctx.inventory.hosts.iter().filter(|h| h.outbound) {
        for (public, entry) in ctx.public_addresses(host, true) {
            for ptr in ptrs_of(ctx, public, entry).unwrap_or_default() {
                let Some(addresses) = ctx.addresses_of(&ptr.name) else {
                    continue;
                };
                if addresses.contains(&public) {
                    continue;
                }
                let what = crate::rules::resolution(&addresses);
                out.push(
                    Diagnostic::new(
                        "MAIL002",
                        ptr.location,
                        format!("PTR for {public} names `{}`, which {what}; expected a name that resolves back to {public}", ptr.name),
                    )
                    .with_owner(super::reverse_name(public))
                    .with_label(format!("{public} → `{}`", ptr.name))
                    .with_related(ctx.at(host.name_span), format!("mail host `{}` sends from {public}", host.name))
                    .with_help(format!("point the PTR at `{}` and give that name the A/AAAA record {public}", host.helo))
.with_fix(match (ptr.record, ctx.addresses_of(&host.helo)) {
    (Some((z, i)), Some(helo_addresses)) if helo_addresses.contains(&public) => {
        let zone = &ctx.set.zones[z];
        crate::rules::edits::fix_record(&zone.records[i], crate::rules::edits::replace_last_field(ctx.set, zone, &zone.records[i], &host.helo), crate::fix::Applicability::Unsafe, format!("point the PTR at `{}`", host.helo))
    }
    _ => None,
}),
                );
            }
        }
    }
}
