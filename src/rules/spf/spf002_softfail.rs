use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::rules::mail::SetContext;
use crate::spf::Verdict;

declare_rule! {
    /// ## What it does
    /// As SPF001, for a *softfail* result (`~all` or another `~` term decides).
    ///
    /// ## Why is this bad?
    /// Receivers accept the mail but mark it suspicious; large mailbox providers send
    /// it to spam, and under DMARC it does not count as aligned SPF.
    ///
    /// ## Example
    /// ```text
    /// @  IN TXT "v=spf1 ip4:198.51.100.0/24 ~all"   ; the host sends from 203.0.113.25
    /// ```
    /// Use instead: `"v=spf1 ip4:198.51.100.0/24 ip4:203.0.113.25 ~all"`.
    ///
    /// ## Fix safety
    /// Unsafe, as SPF001's: the planner's chain fix, or `ip4:`/`ip6:` before the `all`.
    ///
    /// ## References
    /// RFC 7208 §2.6.5, §8.5.
    SPF002, "SPF002", Warning, Sometimes, "SPF soft-fails a mail host's public address"
}

pub fn check(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    super::spf001_fail::report(ctx, out, "SPF002", Verdict::SoftFail, "soft-fails");
}
