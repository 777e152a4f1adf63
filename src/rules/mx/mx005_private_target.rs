use crate::diagnostic::Diagnostic;
use crate::model::address::is_public;
use crate::model::index::Answer;
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an MX target whose addresses are all private or special-purpose
    /// (RFC 1918, RFC 6598, loopback, link-local, ULA; the documentation ranges too unless
    /// `--allow-doc-ranges`) in a zone that publishes public addresses elsewhere. A zone
    /// with no public address at all (an internal zone) is not flagged. An MX target
    /// that is an alias is followed to its addresses, as senders do.
    ///
    /// ## Why is this bad?
    /// The public zone tells the internet to deliver to an address it cannot reach: the
    /// inside address of a mail server behind NAT was published instead of the outside
    /// one. Senders time out and bounce.
    ///
    /// ## Example
    /// ```text
    /// @     IN MX 10 mail
    /// mail  IN A  10.10.10.1      ; the server's inside address
    /// www   IN A  203.0.113.80
    /// ```
    /// Use instead:
    /// ```text
    /// mail  IN A  203.0.113.25    ; what the firewall maps to 10.10.10.1
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix here: the zone alone does not say which public address reaches
    /// the host. With an inventory that maps the address through NAT, MAIL004 reports the
    /// same record and carries the fix.
    ///
    /// ## References
    /// RFC 1918 §3; RFC 5321 §5.1; RFC 6890.
    MX005, "MX005", Warning, None, "MX target has only non-public addresses in a zone that publishes public ones"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    if zone.view == crate::inventory::View::Internal {
        return;
    }
    let allow_doc = ctx.selection.allow_doc_ranges;
    let publishes_public = zone
        .records
        .iter()
        .filter(|r| matches!(r.rtype, RType::A | RType::AAAA))
        .filter_map(|r| zone.address(r))
        .any(|a| is_public(a, allow_doc));
    if !publishes_public {
        return;
    }
    for fact in ctx.mx_facts() {
        // A sender follows an alias to its addresses, and so does this check.
        let answer = match &fact.answer {
            Some(Answer::Cname(_)) => {
                ctx.indices
                    .resolve_following(ctx.set, &zone.names, fact.target)
            }
            Some(other) => other.clone(),
            None => continue,
        };
        let Answer::Addresses { zone: z, name } = answer else {
            continue;
        };
        let found = ctx.indices.address_records(ctx.set, z, name);
        let addresses = ctx.addresses(&found);
        if addresses.is_empty() || addresses.iter().any(|&a| is_public(a, allow_doc)) {
            continue;
        }
        let r = &zone.records[fact.record];
        let list = crate::rules::address_list(addresses.as_slice());
        let name = zone.name(fact.target);
        let via = if matches!(fact.answer, Some(Answer::Cname(_))) {
            format!(
                " (an alias of `{}`)",
                ctx.set.zones[z].name(ctx.set.zones[z].records[found[0].1].owner)
            )
        } else {
            String::new()
        };
        let (z, i) = found[0];
        let first = &ctx.set.zones[z];
        out.push(
            Diagnostic::new(
                "MX005",
                zone.location(r),
                format!(
                    "MX target `{name}`{via} has only non-public addresses ({list}){}",
                    crate::rules::documentation_note(&addresses, ctx.selection)
                ),
            )
            .with_owner(zone.name(r.owner))
            .with_label("mail from the internet is sent here")
            .with_related(first.location(&first.records[i]), "a non-public address")
            .with_help(format!(
                "publish the address the internet reaches `{name}` at (its NAT outside address)"
            )),
        );
    }
}
