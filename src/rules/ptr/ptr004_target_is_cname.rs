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
    /// Unsafe (it changes what is published), and only when it keeps the reverse
    /// forward-confirmed: the PTR is pointed at the alias's target when that name has
    /// the address as an A/AAAA record of its own (with an inventory, at the name the
    /// mail planner chose). An alias of a name with other addresses gets no fix.
    ///
    /// ## References
    /// RFC 1912 §2.1; RFC 2181 §10.2.
    PTR004, "PTR004", Error, Sometimes, "PTR target is a CNAME"
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
        let address = fact
            .address
            .map(|a| a.to_string())
            .unwrap_or_else(|| "the address".into());
        // Only a target that resolves straight back keeps the PTR forward-confirmed.
        let confirms = fact.address.is_some_and(|a| {
            crate::model::special::non_public_outside(ctx.set, &to).is_none()
                && ctx
                    .indices
                    .answer_addresses(ctx.set, &ctx.indices.resolve_text(ctx.set, &to))
                    .contains(&a)
        });
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
            .with_help(if confirms {
                format!("point the PTR at `{to}`")
            } else {
                format!("point the PTR at a name whose A/AAAA record is {address}, or give `{target}` that address instead of the alias")
            })
            .with_fix(fact.address.and_then(|a| ctx.plan.ptr_record((ctx.id, fact.record), &target, a)).or_else(|| {
                confirms
                    .then(|| {
                        crate::rules::edits::fix_record(
                            r,
                            crate::rules::edits::replace_last_field(ctx.set, zone, r, &to),
                            crate::fix::Applicability::Unsafe,
                            format!("point the PTR at `{to}`, which resolves back to {address}"),
                        )
                    })
                    .flatten()
            })),
        );
    }
}
