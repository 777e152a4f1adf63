use super::SetContext;
use crate::diagnostic::Diagnostic;
use crate::model::index::Answer;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Notes each outbound mail host whose HELO/EHLO name is a public name outside every
    /// zone of the set (or delegated away from it), or an address literal: zonelint
    /// cannot check offline that it resolves to the address mail leaves from.
    ///
    /// ## Why is this bad?
    /// It may be fine. But receivers do check it, and a check that was skipped should
    /// say so rather than pass in silence: look the name up, or add its zone to the set.
    /// An address literal (`[203.0.113.25]`) is valid, yet many receivers score it as
    /// spam.
    ///
    /// ## Example
    /// ```yaml
    /// hosts:
    ///   - name: mail.source.example
    ///     helo: relay.elsewhere.example   # no zone of the set holds it
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: there is nothing to change in the set.
    ///
    /// ## References
    /// RFC 5321 §4.1.1.1 and §4.1.3 (address literals).
    MAIL010, "MAIL010", Info, None, "the HELO/EHLO name cannot be checked offline"
}

pub fn check(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    for host in ctx.inventory.hosts.iter().filter(|h| h.outbound) {
        if super::mail009_helo_not_public::helo_problem(ctx.set, &host.helo).is_some() {
            continue;
        }
        let literal = host.helo.starts_with('[');
        let why = if literal {
            "an address literal: receivers cannot look it up, and many count it against the sender"
        } else {
            match ctx.indices.resolve_text(ctx.set, &host.helo) {
                Answer::OutOfSet => "no zone of the set holds it",
                Answer::Delegated => "its zone of the set delegates it away",
                _ => continue,
            }
        };
        out.push(
            Diagnostic::new(
                "MAIL010",
                ctx.at(host.helo_span),
                format!("HELO name `{}` of mail host `{}` is not checked: {why}", host.helo, host.name),
            )
            .with_owner(host.helo.clone())
            .with_label("announced in HELO/EHLO")
            .with_help(if literal {
                "announce the name the PTR of the public address gives".to_string()
            } else {
                "make sure it resolves to the public address mail leaves from, or add its zone to the set".to_string()
            }),
        );
    }
}
