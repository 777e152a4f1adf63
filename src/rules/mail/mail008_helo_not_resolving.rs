use super::SetContext;
use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// For every outbound mail host whose HELO/EHLO name lies in a zone of the set,
    /// checks that the name resolves to each public address the host sends from.
    ///
    /// ## Why is this bad?
    /// Receivers such as Postfix with `reject_unknown_helo_hostname` refuse a HELO name
    /// without an address record; stricter ones want it to match the connecting address.
    ///
    /// ## Example
    /// ```text
    /// # the server says EHLO mail.source.example, sends from 203.0.113.25
    /// mail  IN A 10.10.10.1
    /// ```
    /// Use instead: `mail IN A 203.0.113.25`.
    ///
    /// ## Fix safety
    /// Unsafe: the mail planner gives the HELO name the public address (a CNAME there
    /// becomes address records). HELO names outside the set are MAIL010's, HELO names
    /// that cannot resolve anywhere MAIL009's.
    ///
    /// ## References
    /// RFC 5321 §4.1.1.1 and §4.1.4; Postfix `reject_unknown_helo_hostname`.
    MAIL008, "MAIL008", Error, Sometimes, "the HELO/EHLO name does not resolve to the host's public address"
}

pub fn check(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    for host in ctx.inventory.hosts.iter().filter(|h| h.outbound) {
        let Some(addresses) = ctx.addresses_of(&host.helo) else {
            continue;
        };
        for (public, _) in ctx.public_addresses(host, true) {
            if addresses.contains(&public) {
                continue;
            }
            let has = crate::rules::resolution(&addresses);
            out.push(
                Diagnostic::new(
                    "MAIL008",
                    ctx.at(host.helo_span),
                    format!(
                        "HELO name `{}` {has}, not {public}, the address `{}` sends from",
                        host.helo, host.name
                    ),
                )
                .with_owner(host.helo.clone())
                .with_label("receivers look this name up")
                .with_help(format!("give `{}` the address {public}", host.helo))
                .with_fix(ctx.plan.name(&host.helo)),
            );
        }
    }
}
