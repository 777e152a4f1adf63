use crate::diagnostic::Diagnostic;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a PTR in a reverse zone whose owner is not an address: the wrong number of
    /// labels (4 under in-addr.arpa, 32 under ip6.arpa), labels that are not numbers or
    /// nibbles, or a host outside the zone's network. Inside an RFC 2317 child such as
    /// `0/26.113.0.203.in-addr.arpa.` the owner is the host number. Owners with an
    /// underscore label (DNS-SD service data) are not address PTRs and are skipped.
    ///
    /// ## Why is this bad?
    /// Nobody looks such a name up: the PTR never answers a reverse query. It is usually a
    /// relative owner written as if absolute (`25.113.0.203` inside its own zone becomes
    /// `25.113.0.203.113.0.203.in-addr.arpa.`).
    ///
    /// ## Example
    /// ```text
    /// $ORIGIN 113.0.203.in-addr.arpa.
    /// 25.113.0.203  IN PTR mail.source.example.
    /// ```
    /// Use instead: `25 IN PTR mail.source.example.`.
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// RFC 1035 §3.5; RFC 3596 §2.5; RFC 2317 §4.
    PTR005, "PTR005", Error, None, "PTR owner is not an address of its zone"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    let Some(prefix) = super::zone_prefix(ctx) else {
        return;
    };
    for fact in ctx.ptr_facts() {
        let r = &zone.records[fact.record];
        let problem = match fact.address {
            None => "is not an address".to_string(),
            Some(a) if !prefix.contains(&a) => {
                format!("stands for {a}, outside the zone's network {prefix}")
            }
            Some(_) => continue,
        };
        let owner = zone.name(r.owner);
        out.push(
            Diagnostic::new(
                "PTR005",
                zone.location(r),
                format!("PTR owner `{owner}` {problem}"),
            )
            .with_owner(owner)
            .with_label("no reverse query asks for this name")
            .with_help(format!(
                "write the owner relative to `{}`, e.g. the last octet of the address",
                zone.origin_text()
            )),
        );
    }
}
