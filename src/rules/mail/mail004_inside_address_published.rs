use super::SetContext;
use crate::diagnostic::Diagnostic;
use crate::inventory::View;
use crate::model::address::is_public;
use crate::model::index::Answer;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an A/AAAA record of a mail host's name, in an external zone, that
    /// publishes an inside address: one the inventory maps through NAT, or any private
    /// address. Zones marked `view: internal` may publish inside addresses and are not
    /// checked.
    ///
    /// ## Why is this bad?
    /// Senders on the internet try to connect to the inside address and cannot; with
    /// the public address published next to it, some deliveries fail at random.
    ///
    /// ## Example
    /// ```text
    /// mail  IN A  10.10.10.1      ; inside address; NAT maps it to 203.0.113.25
    /// ```
    /// Use instead:
    /// ```text
    /// mail  IN A  203.0.113.25
    /// ```
    ///
    /// ## Fix safety
    /// Replacing the inside address by the public one changes what is published (unsafe).
    ///
    /// ## References
    /// RFC 1918 §3 and §5; RFC 2993 (NAT and DNS).
    MAIL004, "MAIL004", Error, "a mail host's name publishes an inside (NAT'd or private) address"
}

pub fn check(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    for host in &ctx.inventory.hosts {
        let Answer::Addresses { zone, name } =
            ctx.indices.resolve_text_following(ctx.set, &host.name)
        else {
            continue;
        };
        for (z, i) in ctx.indices.address_records(ctx.set, zone, name) {
            let zone = &ctx.set.zones[z];
            if zone.view == View::Internal {
                continue;
            }
            let r = &zone.records[i];
            let Some(address) = zone.address(r) else {
                continue;
            };
            let inside = ctx.inventory.is_inside(address);
            if !inside && is_public(address, ctx.selection.allow_doc_ranges) {
                continue;
            }
            let outside: Vec<String> = ctx
                .inventory
                .public_addresses(address, false)
                .into_iter()
                .filter(|(a, n)| n.is_some() && *a != address)
                .map(|(a, _)| a.to_string())
                .collect();
            let seen = if outside.is_empty() {
                String::new()
            } else {
                format!("; the internet reaches it as {}", outside.join(", "))
            };
            out.push(
                Diagnostic::new(
                    "MAIL004",
                    zone.location(r),
                    format!(
                        "mail host `{}` publishes the inside address {address}{seen}",
                        host.name
                    ),
                )
                .with_owner(host.name.clone())
                .with_label("not reachable from the internet")
                .with_related(ctx.at(host.name_span), "the mail host in the inventory")
                .with_help(if outside.is_empty() {
                    "publish the host's public address instead".to_string()
                } else {
                    format!("publish {} instead", outside.join(", "))
                })
                .with_fix(match outside.as_slice() {
                    [one] => crate::rules::edits::fix_record(
                        r,
                        crate::rules::edits::replace_last_field(ctx.set, zone, r, one),
                        crate::fix::Applicability::Unsafe,
                        format!("publish {one} instead of {address}"),
                    ),
                    _ => None,
                }),
            );
        }
    }
}
