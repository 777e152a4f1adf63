use crate::diagnostic::Diagnostic;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks each SMTP TLS reporting record (a TXT record starting `v=TLSRPTv1` at
    /// `_smtp._tls.<domain>`): `v=TLSRPTv1` first, and `rua=` with `mailto:` or
    /// `https:` destinations; one such record per name.
    ///
    /// ## Why is this bad?
    /// Senders skip a record they cannot read, and the domain gets no reports of failed
    /// TLS deliveries — the reports that show an MTA-STS or DANE problem first.
    ///
    /// ## Example
    /// ```text
    /// _smtp._tls  IN TXT "v=TLSRPTv1; rua=tls-reports@example.com"
    /// ```
    /// Use instead: `"v=TLSRPTv1; rua=mailto:tls-reports@example.com"`.
    ///
    /// ## Fix safety
    /// No automatic fix: the destination is the domain owner's choice.
    ///
    /// ## References
    /// RFC 8460 §3.
    TLSRPT001, "TLSRPT001", Error, None, "TLS reporting record is malformed"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    super::take(ctx, "TLSRPT001", out);
}

pub fn check_record(ctx: &ZoneContext, p: &super::PolicyRecord, out: &mut Vec<Diagnostic>) {
    super::report_syntax(
        ctx,
        p,
        out,
        ("TLSRPT001", "TLSRPT record"),
        &crate::policy::tlsrpt(p.text()),
    );
}
