use crate::diagnostic::Diagnostic;
use crate::rules::{ZoneContext, declare_rule};
use crate::spf::{Mechanism, Term};

declare_rule! {
    /// ## What it does
    /// Reports the `ptr` mechanism in an SPF record.
    ///
    /// ## Why is this bad?
    /// RFC 7208 §5.5 says it SHOULD NOT be used: it is slow, costs the receiver and the
    /// reverse zones' servers many lookups, and is unreliable when a PTR lookup fails.
    /// Some receivers skip it, so senders it would authorize fail instead.
    ///
    /// ## Example
    /// ```text
    /// @  IN TXT "v=spf1 ptr -all"
    /// ```
    /// Use instead: `"v=spf1 ip4:203.0.113.25 -all"` (or `a`/`mx`).
    ///
    /// ## Fix safety
    /// No automatic fix: the addresses it stands for are not in the record.
    ///
    /// ## References
    /// RFC 7208 §5.5.
    SPF005, "SPF005", Warning, None, "SPF record uses the deprecated `ptr` mechanism"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    super::take(ctx, "SPF005", out);
}

/// One SPF record (of `count` at its owner), in the SPF pass ([`super::findings`]).
pub fn check_record(
    ctx: &ZoneContext,
    record: &super::SpfRecord,
    _count: usize,
    out: &mut Vec<Diagnostic>,
) {
    let help = "list the senders with `ip4:`/`ip6:`, `a` or `mx` instead";
    super::report_terms(
        ctx,
        record,
        ("SPF005", help),
        |term| match term {
            Term::Directive(_, Mechanism::Ptr(_)) => {
                Some(("uses `ptr`, which RFC 7208 says not to use", "deprecated"))
            }
            _ => None,
        },
        out,
    );
}
