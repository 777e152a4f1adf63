use super::SetContext;
use crate::diagnostic::Diagnostic;
use crate::model::index::Answer;
use crate::rr::RType;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a mail domain of the inventory, held in the zone set, that has neither an
    /// MX record nor an A/AAAA record at its name.
    ///
    /// ## Why is this bad?
    /// With no MX, senders fall back to the domain's own address (RFC 5321 §5.1); with
    /// neither, they have nowhere to deliver, and receivers that check the sender's
    /// domain answer "Domain not found" (`554 ... Sender address rejected`).
    ///
    /// ## Example
    /// ```text
    /// # inventory lists source.example; its zone has SOA and NS only
    /// ```
    /// Use instead: `@ IN MX 10 mail.source.example.`
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// RFC 5321 §5.1; RFC 7505 (null MX for domains that take no mail).
    MAIL007, "MAIL007", Error, None, "a mail domain has neither MX nor A/AAAA"
}

pub fn check(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    for domain in &ctx.inventory.domains {
        let Some(z) = ctx.set.zone_for(&domain.name) else {
            continue;
        };
        let zone = &ctx.set.zones[z];
        let has_mx = zone.names.find_text(&domain.name).is_some_and(|id| {
            ctx.indices.zones[z]
                .at(id)
                .iter()
                .any(|&i| zone.records[i as usize].rtype == RType::MX)
        });
        let has_address = matches!(
            ctx.indices.resolve_text_following(ctx.set, &domain.name),
            Answer::Addresses { .. }
        );
        if has_mx || has_address {
            continue;
        }
        out.push(
            Diagnostic::new(
                "MAIL007",
                ctx.at(domain.span),
                format!(
                    "mail domain `{}` has neither MX nor A/AAAA records",
                    domain.name
                ),
            )
            .with_owner(domain.name.clone())
            .with_label("no way to deliver mail here")
            .with_help(format!(
                "add `@ IN MX 10 <exchange>` to `{}`, or `@ IN MX 0 .` if it takes no mail",
                zone.origin_text()
            )),
        );
    }
}
