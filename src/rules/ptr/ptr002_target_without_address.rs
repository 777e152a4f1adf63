use super::Verdict;
use crate::diagnostic::Diagnostic;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a PTR whose target lies in a zone of the set but has no A or AAAA record.
    /// A target outside every zone of the set is not checked.
    ///
    /// ## Why is this bad?
    /// Forward-confirmed reverse DNS fails: a receiver looks up the PTR, then the name's
    /// addresses, and finds none. Mail from the address is treated like mail from a host
    /// without reverse DNS.
    ///
    /// ## Example
    /// ```text
    /// 25  IN PTR mail.source.example.    ; but mail.source.example. has no A
    /// ```
    /// Use instead: add `mail IN A 203.0.113.25` to `source.example.`, or point the PTR
    /// at the host's real name.
    ///
    /// ## Fix safety
    /// No automatic fix: which side is wrong is your call.
    ///
    /// ## References
    /// RFC 1912 §2.1.
    PTR002, "PTR002", Warning, None, "PTR target has no A/AAAA in the zone set"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    for fact in ctx.ptr_facts() {
        let Verdict::NoAddress = fact.verdict else {
            continue;
        };
        let r = &zone.records[fact.record];
        let target = zone.name(fact.target);
        let about = fact
            .address
            .map_or_else(|| zone.name(r.owner), |a| a.to_string());
        out.push(
            Diagnostic::new(
                "PTR002",
                zone.location(r),
                format!("PTR for {about} names `{target}`, which has no A or AAAA record"),
            )
            .with_owner(zone.name(r.owner))
            .with_label(format!("`{target}` does not resolve"))
            .with_help(format!(
                "add an A/AAAA record for `{target}`, or name a host that has one"
            )),
        );
    }
}
