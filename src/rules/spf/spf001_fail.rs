use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::rules::mail::SetContext;
use crate::spf::Verdict;

declare_rule! {
    /// ## What it does
    /// Evaluates, offline and as a receiver would, the SPF record of each mail domain of
    /// the inventory for each public (post-NAT) address an outbound mail host sends
    /// from, and reports a *fail* result: the deciding term is underlined, the lookups
    /// that led there are named.
    ///
    /// ## Why is this bad?
    /// A receiver that sees `fail` for the connecting address refuses the mail or sends
    /// it to spam; with DMARC `p=reject` it is refused outright. The usual cause is a
    /// record that authorizes the server through `mx` or `a` while those names publish
    /// the server's inside address, not the address mail leaves from.
    ///
    /// ## Example
    /// ```text
    /// @     IN TXT   "v=spf1 mx -all"
    /// @     IN MX    10 mail
    /// mail  IN CNAME srv1
    /// srv1  IN A     10.10.10.1     ; NAT sends from 203.0.113.25: -all decides
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe. When the mail planner's own fixes make `mx` or `a` match (the MX name gets
    /// the public address), the fix is those edits; otherwise it adds `ip4:`/`ip6:` with
    /// the public address before the `all` term, starting a new character-string when
    /// the current one would pass 255 octets.
    ///
    /// ## References
    /// RFC 7208 §2.6.4, §4, §5; RFC 7489 (DMARC).
    SPF001, "SPF001", Error, Sometimes, "SPF fails for a mail host's public address"
}

/// Reports the evaluations with `verdict` as `code` (SPF001 and SPF002 differ in
/// nothing else).
pub(crate) fn report(
    ctx: &SetContext,
    out: &mut Vec<Diagnostic>,
    code: &'static str,
    verdict: Verdict,
    word: &str,
) {
    for e in super::evaluations(ctx) {
        if e.outcome.verdict != verdict {
            continue;
        }
        let Some((location, term, _)) = super::decided_at(ctx, &e) else {
            continue;
        };
        let host = &ctx.inventory.hosts[e.host];
        let fix = ctx.plan.spf(&e.domain, e.address);
        out.push(
            Diagnostic::new(
                code,
                location,
                format!(
                    "SPF of `{}` {word} mail from {} (mail host `{}`): `{term}` decides{}",
                    e.domain,
                    e.address,
                    host.name,
                    super::trail(&e.outcome)
                ),
            )
            .with_owner(e.domain.clone())
            .with_label(format!("decides `{word}` for {}", e.address))
            .with_related(ctx.at(host.name_span), format!("sends from {}", e.address))
            .with_help(match &fix {
                Some(f) => f.title.clone(),
                None => format!("authorize {}: make a mechanism before `{term}` match it (`ip4:`/`ip6:`, or `a`/`mx` names that publish it)", e.address),
            })
            .with_fix(fix),
        );
    }
}

pub fn check(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    report(ctx, out, "SPF001", Verdict::Fail, "fails");
}
