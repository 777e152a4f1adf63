use super::mx_records;
use crate::diagnostic::Diagnostic;
use crate::model::NameId;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks null MX records (`MX 0 .`, "this domain accepts no mail"): the preference
    /// must be 0 and no other MX record may stand beside it.
    ///
    /// ## Why is this bad?
    /// RFC 7505 §3 defines the null MX as the only MX of a domain, with preference 0.
    /// Next to real exchanges it is contradictory: some senders give up at once, others
    /// deliver; with another preference it is not a null MX at all to some software.
    ///
    /// ## Example
    /// ```text
    /// @  IN MX 0  .
    /// @  IN MX 10 mail
    /// ```
    /// Use instead: either `@ IN MX 0 .` alone (no mail) or only the real exchanges.
    ///
    /// ## Fix safety
    /// No automatic fix: whether the domain takes mail is your call.
    ///
    /// ## References
    /// RFC 7505 §3 and §4.
    MX004, "MX004", Error, None, "null MX together with other MX records, or with a non-zero preference"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    let all: Vec<_> = mx_records(ctx).collect();
    for &(r, preference, target) in &all {
        if target != NameId::ROOT {
            continue;
        }
        let owner = zone.name(r.owner);
        if preference != 0 {
            out.push(
                Diagnostic::new(
                    "MX004",
                    zone.location(r),
                    format!("null MX at `{owner}` has preference {preference}; it must be 0"),
                )
                .with_owner(owner.clone())
                .with_label("null MX")
                .with_help(format!("write `{} IN MX 0 .`", owner)),
            );
        }
        if let Some(&(other, _, other_target)) = all
            .iter()
            .find(|(o, _, t)| o.owner == r.owner && *t != NameId::ROOT)
        {
            out.push(
                Diagnostic::new(
                    "MX004",
                    zone.location(r),
                    format!(
                        "`{owner}` has a null MX (no mail accepted) and also MX `{}`",
                        zone.name(other_target)
                    ),
                )
                .with_owner(owner)
                .with_label("null MX")
                .with_related(zone.location(other), "a real exchange for the same domain")
                .with_help("keep either the null MX or the real exchanges"),
            );
        }
    }
}
