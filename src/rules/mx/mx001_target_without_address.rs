use crate::diagnostic::Diagnostic;
use crate::model::index::Answer;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks that every MX target held in a zone of the set has an A or AAAA record. A
    /// target outside every zone of the set is not checked.
    ///
    /// ## Why is this bad?
    /// Senders look up the exchange's addresses; with none, they cannot deliver and
    /// bounce the mail after their retry period (RFC 5321 §5.1), often days later.
    ///
    /// ## Example
    /// ```text
    /// @     IN MX 10 mail
    /// ; no address for mail
    /// ```
    /// Use instead:
    /// ```text
    /// @     IN MX 10 mail
    /// mail  IN A  203.0.113.25
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: zonelint cannot know the server's address.
    ///
    /// ## References
    /// RFC 5321 §5.1; RFC 1035 §3.3.9.
    MX001, "MX001", Error, None, "MX target has no A/AAAA record in the zone set"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    for fact in ctx.mx_facts() {
        let Some(Answer::NoAddress) = fact.answer else {
            continue;
        };
        let r = &zone.records[fact.record];
        let name = zone.name(fact.target);
        out.push(
            Diagnostic::new(
                "MX001",
                zone.location(r),
                format!("MX target `{name}` has no A or AAAA record"),
            )
            .with_owner(zone.name(r.owner))
            .with_label(format!(
                "mail for `{}` goes to `{name}`",
                zone.name(r.owner)
            ))
            .with_help(format!(
                "add an A or AAAA record for `{name}`, or point the MX at a host that has one"
            )),
        );
    }
}
