use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::rules::mail::SetContext;
use crate::spf::Verdict;

declare_rule! {
    /// ## What it does
    /// Notes an SPF evaluation for a mail host's public address that reached a name no
    /// zone of the set holds — typically `include:` of a mail provider — before any
    /// term decided: zonelint cannot tell offline whether the address passes.
    ///
    /// ## Why is this bad?
    /// It may be fine. But a check that could not be made should say so instead of
    /// passing in silence: look the result up (`dig TXT`), or add the zone to the set.
    ///
    /// ## Example
    /// ```text
    /// @  IN TXT "v=spf1 include:_spf.provider.example -all"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: nothing in the set is known to be wrong.
    ///
    /// ## References
    /// RFC 7208 §5.2 and §5.4.
    SPF006, "SPF006", Info, None, "SPF result for a mail host cannot be verified offline"
}

pub fn check(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    for e in super::evaluations(ctx) {
        let Verdict::Unknown(why) = &e.outcome.verdict else {
            continue;
        };
        let Some((location, term, _)) = super::decided_at(ctx, &e) else {
            continue;
        };
        let host = &ctx.inventory.hosts[e.host];
        let at = if term.is_empty() {
            String::new()
        } else {
            format!(" at `{term}`")
        };
        out.push(
            Diagnostic::new(
                "SPF006",
                location,
                format!(
                    "SPF of `{}` for mail from {} is not checked{at}: {why}",
                    e.domain, e.address
                ),
            )
            .with_owner(e.domain.clone())
            .with_label("cannot be evaluated offline")
            .with_related(
                ctx.at(host.name_span),
                format!("mail host `{}` sends from {}", host.name, e.address),
            )
            .with_help("check the result online, or add the zone it needs to the set"),
        );
    }
}
