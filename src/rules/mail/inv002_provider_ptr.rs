use super::{SetContext, reverse_name};
use crate::diagnostic::Diagnostic;
use crate::inventory::ReverseBy;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// For an outbound mail host whose public address lies in a network marked
    /// `reverse: provider`, without a `ptr:` saying what the provider publishes: gives
    /// the exact PTR record to ask the provider for.
    ///
    /// ## Why is this bad?
    /// The reverse zone is the provider's: only they can publish the PTR receivers need.
    /// Until the inventory records what they publish, zonelint cannot confirm it.
    ///
    /// ## Example
    /// ```text
    /// networks: [{prefix: 198.51.100.0/28, reverse: provider}]
    /// hosts: [{name: mail.source.example, addresses: [198.51.100.5]}]
    /// ```
    /// Use instead: ask for `5.100.51.198.in-addr.arpa. PTR mail.source.example.`, then
    /// record it: `addresses: [{address: 198.51.100.5, ptr: mail.source.example}]`.
    ///
    /// ## Fix safety
    /// Nothing to fix in the zones: the record goes to the provider. The fix is
    /// display-only and names the `zonelint generate ptr` command that prints it.
    ///
    /// ## References
    /// RFC 2317 (provider delegation); RFC 1912 §2.1.
    INV002, "INV002", Info, Sometimes, "a mail host's address is in a provider-published network and has no `ptr:`"
}

pub fn check(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    for host in ctx.inventory.hosts.iter().filter(|h| h.outbound) {
        for (public, entry) in ctx.public_addresses(host, true) {
            if entry.ptr.is_some() || ctx.set.reverse_zone_for(public).is_some() {
                continue;
            }
            let Some(network) = ctx.inventory.network_for(public) else {
                continue;
            };
            if network.reverse != ReverseBy::Provider {
                continue;
            }
            let record = format!("{} PTR {}", reverse_name(public), host.helo);
            out.push(
                Diagnostic::new(
                    "INV002",
                    ctx.at(entry.span),
                    format!("{public} of mail host `{}` is in the provider network {}; ask the provider for `{record}`", host.name, network.prefix),
                )
                .with_owner(host.name.clone())
                .with_label("reverse DNS published by the provider")
                .with_related(ctx.at(network.span), "the provider network")
                .with_help(format!("once published, record it: `{{address: {}, ptr: {}}}`", entry.address, host.helo.trim_end_matches('.')))
                .with_fix(Some(crate::fix::Fix::new(
                    crate::fix::Applicability::DisplayOnly,
                    format!("no zone file of the set holds this record; `zonelint generate ptr -i INVENTORY --network {} --format csv` prints it for the provider", network.prefix),
                    Vec::new(),
                ))),
            );
        }
    }
}
