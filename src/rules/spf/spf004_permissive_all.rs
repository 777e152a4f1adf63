use crate::diagnostic::Diagnostic;
use crate::rules::{ZoneContext, declare_rule};
use crate::spf::{Mechanism, Qualifier, Term};

declare_rule! {
    /// ## What it does
    /// Reports an SPF record whose `all` term passes (`+all`, or `all` with no
    /// qualifier) or is neutral (`?all`).
    ///
    /// ## Why is this bad?
    /// `+all` authorizes every address on the internet to send as the domain: the record
    /// protects nothing, and receivers that see it score the domain as abused. `?all`
    /// says nothing about any address the earlier terms did not match, which DMARC
    /// treats as no SPF at all.
    ///
    /// ## Example
    /// ```text
    /// @  IN TXT "v=spf1 mx +all"
    /// ```
    /// Use instead: `"v=spf1 mx -all"` (or `~all` while checking the list is complete).
    ///
    /// ## Fix safety
    /// No automatic fix: tightening `all` may refuse mail from a sender the record
    /// forgot; list them first.
    ///
    /// ## References
    /// RFC 7208 §5.1 and §10.1.
    SPF004, "SPF004", Warning, None, "SPF record ends in `+all` or `?all`"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    super::take(ctx, "SPF004", out);
}

/// One SPF record (of `count` at its owner), in the SPF pass ([`super::findings`]).
pub fn check_record(
    ctx: &ZoneContext,
    record: &super::SpfRecord,
    _count: usize,
    out: &mut Vec<Diagnostic>,
) {
    let help = "end the record in `-all` (or `~all`) once it lists every sender";
    super::report_terms(
        ctx,
        record,
        ("SPF004", help),
        |term| match term {
            Term::Directive(Qualifier::Pass, Mechanism::All) => Some((
                "authorizes every address on the internet to send mail as it",
                "passes everyone",
            )),
            Term::Directive(Qualifier::Neutral, Mechanism::All) => Some((
                "leaves every address it did not list neutral, which counts as no SPF",
                "neutral for everyone else",
            )),
            _ => None,
        },
        out,
    );
}
