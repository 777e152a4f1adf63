use crate::diagnostic::Diagnostic;
use crate::model::index::Answer;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an MX record whose target is an alias (CNAME) in the zone set.
    ///
    /// ## Why is this bad?
    /// RFC 2181 §10.3 forbids it and RFC 5321 §5.1 says the name must resolve to address
    /// records. Many senders follow the alias anyway, some refuse, and the difference
    /// shows up as mail that arrives from some senders only. Operators who accept it for
    /// providers that flatten the CNAME can lower the severity in the configuration.
    ///
    /// ## Example
    /// ```text
    /// @     IN MX    10 mail
    /// mail  IN CNAME mx.provider.example.
    /// ```
    /// Use instead:
    /// ```text
    /// @     IN MX    10 mx.provider.example.
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe (it changes what is published), and only when it leads somewhere mail can
    /// go. When the inventory lists the MX name (its host `name` or the domain's `mx`),
    /// the fix keeps the name and turns its CNAME into address records with the host's
    /// public address — the inventory's names are what the rest of the chain (PTR, SPF
    /// `mx`) refers to. Otherwise it points the MX at the alias's target, provided that
    /// target is a public name with at least one public address of its own; an alias of
    /// a name with only private addresses gets no fix.
    ///
    /// ## References
    /// RFC 2181 §10.3; RFC 5321 §5.1; RFC 1912 §2.4.
    MX002, "MX002", Error, Sometimes, "MX target is a CNAME"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    for fact in ctx.mx_facts() {
        let Some(Answer::Cname((z, i))) = fact.answer else {
            continue;
        };
        let (alias_zone, cname, to) = crate::rules::alias(ctx.set, (z, i));
        let name = zone.name(fact.target);
        let r = &zone.records[fact.record];
        let planned = ctx.plan.name(&name);
        // A name the inventory lists as the domain's exchange stays the exchange: the
        // fix then has to give it addresses, not move the MX away (MAIL005 would follow).
        let listed = ctx.set.inventory.as_ref().is_some_and(|(inv, _)| {
            inv.domains
                .iter()
                .any(|d| d.mx.iter().any(|(n, _, _)| *n == name))
        });
        let proposable = !listed
            && crate::rules::mail::plan::proposable(
                ctx.set,
                ctx.indices,
                ctx.plan,
                &to,
                ctx.selection.allow_doc_ranges,
            );
        out.push(
            Diagnostic::new(
                "MX002",
                zone.location(r),
                format!("MX target `{name}` is a CNAME (to `{to}`)"),
            )
            .with_owner(zone.name(r.owner))
            .with_label("MX points at an alias")
            .with_related(
                alias_zone.location(cname),
                format!("`{name}` is an alias of `{to}`"),
            )
            .with_help(if proposable {
                format!("point the MX at `{to}`, or give `{name}` its own A/AAAA records")
            } else if listed {
                format!("give `{name}`, the exchange the inventory lists, its own A/AAAA records instead of the alias")
            } else {
                format!("give `{name}` its own A/AAAA records with the public address senders reach; `{to}` has no public address to point the MX at")
            })
            .with_fix(planned.or_else(|| {
                proposable
                    .then(|| {
                        crate::rules::edits::fix_record(
                            r,
                            crate::rules::edits::replace_last_field(ctx.set, zone, r, &to),
                            crate::fix::Applicability::Unsafe,
                            format!("point the MX at `{to}`"),
                        )
                        .map(|f| ctx.plan.with_name(f, &to))
                    })
                    .flatten()
            })),
        );
    }
}
