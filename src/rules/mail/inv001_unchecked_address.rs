use super::SetContext;
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Notes a public address of an outbound mail host that no reverse zone of the set
    /// covers and no network of the inventory describes: its PTR cannot be checked.
    ///
    /// ## Why is this bad?
    /// Nothing is wrong yet, but nothing was verified either: the most important record
    /// for the host's mail delivery is outside what zonelint was shown.
    ///
    /// ## Example
    /// ```text
    /// # 198.51.100.77 is an uplink address; neither its reverse zone nor a network entry
    /// ```
    /// Use instead: add the reverse zone to the set, or a `networks:` entry with
    /// `reverse: provider` (and the host's `ptr:` as the provider publishes it).
    ///
    /// ## Fix safety
    /// No automatic fix: nothing in the zones is wrong.
    ///
    /// ## References
    /// RFC 1912 §2.1.
    INV001, "INV001", Info, None, "a mail host's public address is covered by no reverse zone or network"
}

pub fn check(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    for host in ctx.inventory.hosts.iter().filter(|h| h.outbound) {
        for (public, entry) in ctx.public_addresses(host, true) {
            if ctx.set.reverse_zone_for(public).is_some()
                || ctx.inventory.network_for(public).is_some()
            {
                continue;
            }
            out.push(
                Diagnostic::new("INV001", ctx.at(entry.span), format!("the PTR of {public} (mail host `{}`) cannot be checked", host.name))
                    .with_owner(host.name.clone())
                    .with_label("no reverse zone or network for this address")
                    .with_help("add the reverse zone to the checked set, or describe the network under `networks:`"),
            );
        }
    }
}
