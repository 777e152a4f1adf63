use super::Verdict;
use crate::diagnostic::Diagnostic;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a PTR whose target is an alias (CNAME).
    ///
    /// ## Why is this bad?
    /// A PTR must name the host's canonical name (RFC 1912 §2.1). Checks of
    /// forward-confirmed reverse DNS compare names and addresses without following
    /// aliases, so the check fails, and some resolvers refuse the answer.
    ///
    /// ## Example
    /// ```text
    /// 25    IN PTR   smtp.source.example.
    /// smtp  IN CNAME mail                  ; in source.example.
    /// ```
    /// Use instead: `25 IN PTR mail.source.example.`.
    ///
    /// ## Fix safety
    /// Pointing the PTR at the CNAME's target changes what is published (unsafe).
    ///
    /// ## References
    /// RFC 1912 §2.1; RFC 2181 §10.2.
    PTR004, "PTR004", Error, "PTR target is a CNAME"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    for fact in ctx.ptr_facts() {
        let Verdict::Cname((z, i)) = fact.verdict else {
            continue;
        };
        let (alias_zone, cname, to) = crate::rules::alias(ctx.set, (z, i));
        let r = &zone.records[fact.record];
        let target = zone.name(fact.target);
        out.push(
            Diagnostic::new(
                "PTR004",
                zone.location(r),
                format!("PTR target `{target}` is a CNAME (to `{to}`)"),
            )
            .with_owner(zone.name(r.owner))
            .with_label("PTR names an alias")
            .with_related(
                alias_zone.location(cname),
                format!("`{target}` is an alias of `{to}`"),
            )
            .with_help(format!("point the PTR at `{to}`"))
            .with_fix(crate::rules::edits::fix_record(
                r,
                crate::rules::edits::replace_last_field(ctx.set, zone, r, &to),
                crate::fix::Applicability::Unsafe,
                format!("point the PTR at `{to}`"),
            )),
        );
    }
}
