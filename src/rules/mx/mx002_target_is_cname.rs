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
    /// No automatic fix yet; pointing the MX at the CNAME's target changes what is
    /// published.
    ///
    /// ## References
    /// RFC 2181 §10.3; RFC 5321 §5.1; RFC 1912 §2.4.
    MX002, "MX002", Error, "MX target is a CNAME"
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
            .with_help(format!(
                "point the MX at `{to}`, or give `{name}` its own A/AAAA records"
            ))
            .with_fix(crate::rules::edits::fix_record(
                r,
                crate::rules::edits::replace_last_field(ctx.set, zone, r, &to),
                crate::fix::Applicability::Unsafe,
                format!("point the MX at `{to}`"),
            )),
        );
    }
}
