use super::{SetContext, ptrs_of};
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// For every outbound mail host, compares the PTR name of each public address it
    /// sends from with the name it gives in HELO/EHLO (`helo:` in the inventory, the host
    /// name by default). A HELO name that cannot be looked up at all is MAIL009's
    /// error instead.
    ///
    /// ## Why is this bad?
    /// Many receivers and spam filters score a mismatch between the reverse name and
    /// the HELO name; some reject it. Keeping them equal removes a common reason for
    /// mail landing in junk folders.
    ///
    /// ## Example
    /// ```text
    /// 25   IN PTR smtp.source.example.    ; the server says EHLO mail.source.example
    /// ```
    /// Use instead: `25 IN PTR mail.source.example.`, or make the server say the PTR
    /// name.
    ///
    /// ## Fix safety
    /// No automatic fix: which of the two names to change is your call.
    ///
    /// ## References
    /// RFC 5321 §4.1.1.1 and §4.1.4.
    MAIL003, "MAIL003", Warning, None, "the PTR name differs from the host's HELO/EHLO name"
}

pub fn check(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    for host in ctx.inventory.hosts.iter().filter(|h| h.outbound) {
        // A HELO name nobody can look up is MAIL009's error; matching the PTR to it
        // would be the wrong advice.
        if super::mail009_helo_not_public::helo_problem(ctx.set, &host.helo).is_some() {
            continue;
        }
        for (public, entry) in ctx.public_addresses(host, true) {
            for ptr in ptrs_of(ctx, public, entry).unwrap_or_default() {
                if ptr.name == host.helo {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        "MAIL003",
                        ptr.location,
                        format!(
                            "PTR for {public} names `{}`, but the host says HELO `{}`",
                            ptr.name, host.helo
                        ),
                    )
                    .with_owner(super::reverse_name(public))
                    .with_label(format!("reverse name `{}`", ptr.name))
                    .with_related(
                        ctx.at(host.helo_span),
                        format!("HELO/EHLO name `{}`", host.helo),
                    )
                    .with_help("make the PTR name and the HELO name the same"),
                );
            }
        }
    }
}
