use crate::diagnostic::Diagnostic;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks each MTA-STS policy indicator (a TXT record starting `v=STSv1` at
    /// `_mta-sts.<domain>`): `v=STSv1` first, and an `id=` of 1 to 32 letters and
    /// digits; one such record per name.
    ///
    /// ## Why is this bad?
    /// Senders that support MTA-STS discard a record they cannot read: the domain's
    /// policy (TLS required to its MX hosts) is not applied, silently.
    ///
    /// ## Example
    /// ```text
    /// _mta-sts  IN TXT "v=STSv1; id=2026-12-02"
    /// ```
    /// Use instead: `"v=STSv1; id=20261202"`.
    ///
    /// ## Fix safety
    /// No automatic fix: the id must match the policy file the domain serves.
    ///
    /// ## References
    /// RFC 8461 §3.1.
    MTASTS001, "MTASTS001", Error, None, "MTA-STS record is malformed"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    super::take(ctx, "MTASTS001", out);
}

pub fn check_record(ctx: &ZoneContext, p: &super::PolicyRecord, out: &mut Vec<Diagnostic>) {
    super::report_syntax(
        ctx,
        p,
        out,
        ("MTASTS001", "MTA-STS record"),
        &crate::policy::mta_sts(p.text()),
    );
}
