use crate::diagnostic::Diagnostic;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks each DMARC record (a TXT record starting `v=DMARC1` at `_dmarc.<domain>`,
    /// or at a `<domain>._report._dmarc.<other>` authorization name): `v=DMARC1` first
    /// and exactly so, the required `p=`, the values of `p`, `sp`, `adkim`, `aspf`, `pct`,
    /// `ri`, `fo`, `rf`, report URIs in `rua`/`ruf`, no tag twice, and one record per
    /// name. The strings of the TXT record are joined first.
    ///
    /// ## Why is this bad?
    /// A receiver that cannot parse the record ignores it: the domain has no DMARC
    /// policy, mail spoofing it is not refused, and no reports arrive.
    ///
    /// ## Example
    /// ```text
    /// _dmarc  IN TXT "v=DMARC1; p=block; rua=dmarc@example.com"
    /// ```
    /// Use instead: `"v=DMARC1; p=reject; rua=mailto:dmarc@example.com"`.
    ///
    /// ## Fix safety
    /// No automatic fix: the policy is the domain owner's to choose.
    ///
    /// ## References
    /// RFC 7489 §6.3, §6.4, §7.1.
    DMARC001, "DMARC001", Error, None, "DMARC record is malformed"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    super::take(ctx, "DMARC001", out);
}

pub fn check_record(ctx: &ZoneContext, p: &super::PolicyRecord, out: &mut Vec<Diagnostic>) {
    super::report_syntax(ctx, p, out, ("DMARC001", "DMARC record"), &p.dmarc().0);
}
