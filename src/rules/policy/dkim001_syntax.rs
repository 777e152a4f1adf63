use crate::diagnostic::Diagnostic;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks each DKIM key record (TXT at `<selector>._domainkey.<domain>`): a tag
    /// list with no tag twice, `v=DKIM1` first if present, a key type verifiers know
    /// (`k=rsa` or `k=ed25519`), flags written `t=y:s`, and the required `p=` in valid
    /// base64 (whitespace inside is allowed). The strings are joined first, so a key
    /// split over several strings is read whole.
    ///
    /// ## Why is this bad?
    /// A verifier that cannot read the key fails every signature made with the
    /// selector: DKIM fails, and with it DMARC for mail that SPF does not cover
    /// (forwarded mail, mailing lists).
    ///
    /// ## Example
    /// ```text
    /// sel1._domainkey  IN TXT "v=DKIM1; k=rsa; p=MIGfMA0G*CSqG"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the key comes from the signing server.
    ///
    /// ## References
    /// RFC 6376 §3.2 and §3.6.1; RFC 8463.
    DKIM001, "DKIM001", Error, None, "DKIM key record is malformed"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    super::take(ctx, "DKIM001", out);
}

pub fn check_record(ctx: &ZoneContext, p: &super::PolicyRecord, out: &mut Vec<Diagnostic>) {
    super::report_syntax(ctx, p, out, ("DKIM001", "DKIM key record"), &p.dkim().0);
}
