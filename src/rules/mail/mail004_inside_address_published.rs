use super::SetContext;
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an A/AAAA record, in a zone the internet sees, that publishes an inside
    /// address of an inventory mail host: an address the inventory maps through NAT, or
    /// a private one. Any name counts — `srv1 A 10.10.10.1` as much as the host's own
    /// name — since `mail CNAME srv1` or an MX can lead senders to it. Zones marked
    /// `view: internal`, or served to an internal view, may publish inside addresses
    /// and are not checked.
    ///
    /// ## Why is this bad?
    /// Senders on the internet try to connect to the inside address and cannot; with
    /// the public address published next to it, some deliveries fail at random. SPF's
    /// `a` and `mx` mechanisms match the inside address, not the one mail comes from.
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
    /// Replacing the inside address by its NAT outside address changes what is published
    /// (unsafe). Without a mapping in the inventory there is no fix: the address to
    /// publish is not known.
    ///
    /// ## References
    /// RFC 1918 §3 and §5; RFC 2993 (NAT and DNS).
    MAIL004, "MAIL004", Error, Sometimes, "an external zone publishes a mail host's inside (NAT'd or private) address"
}

pub fn check(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    for inside in &ctx.plan.inside {
        let (z, i) = inside.record;
        let zone = &ctx.set.zones[z];
        let r = &zone.records[i];
        let host = &ctx.inventory.hosts[inside.host];
        let address = inside.address;
        let owner = zone.name(r.owner);
        let what = if owner == host.name {
            format!("mail host `{owner}` publishes its inside address {address}")
        } else {
            format!(
                "`{owner}` publishes the inside address {address} of mail host `{}`",
                host.name
            )
        };
        let seen = match inside.outside {
            Some(p) => format!("; the internet reaches it as {p}"),
            None => {
                // NAT to a documentation address counts as no public address at all:
                // say so, or the user of an example set is left to guess why.
                let mut mapped: Vec<std::net::IpAddr> = [false, true]
                    .into_iter()
                    .flat_map(|outbound| ctx.inventory.public_addresses(address, outbound))
                    .filter(|(a, nat)| nat.is_some() && *a != address)
                    .map(|(a, _)| a)
                    .collect();
                mapped.dedup();
                match crate::rules::documentation_note(&mapped, ctx.selection) {
                    note if !note.is_empty() => format!(
                        "; the inventory maps it to {}{note}",
                        crate::rules::address_list(&mapped)
                    ),
                    _ => crate::rules::documentation_note(&[address], ctx.selection),
                }
            }
        };
        out.push(
            Diagnostic::new(
                "MAIL004",
                zone.location(r),
                format!("{what}{seen}"),
            )
            .with_owner(owner)
            .with_label("not reachable from the internet")
            .with_related(ctx.at(host.name_span), "the mail host in the inventory")
            .with_help(match inside.outside {
                Some(p) => format!("publish {p} instead"),
                None => "publish the host's public address instead, and map the inside address to it in the inventory's `nat`".to_string(),
            })
            .with_fix(ctx.plan.record(inside.record)),
        );
    }
}
