use crate::diagnostic::Diagnostic;
use crate::policy::Level;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Notes a DKIM key record with an empty `p=`: the selector's key is revoked.
    ///
    /// ## Why is this bad?
    /// It may be deliberate, after a key rotation. But a server still signing with the
    /// selector has every signature fail, so it is worth a look.
    ///
    /// ## Example
    /// ```text
    /// old._domainkey  IN TXT "v=DKIM1; p="
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// RFC 6376 §3.6.1 (`p=`) and §6.1.2.
    DKIM003, "DKIM003", Info, None, "DKIM key is revoked (empty `p=`)"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    super::take(ctx, "DKIM003", out);
}

pub fn check_record(ctx: &ZoneContext, p: &super::PolicyRecord, out: &mut Vec<Diagnostic>) {
    let (_, Some(key)) = p.dkim() else {
        return;
    };
    if let Some(problem) = crate::policy::dkim_key(key).filter(|q| q.level == Level::Note) {
        out.push(
            super::diagnostic(ctx, "DKIM003", p, &problem, "DKIM key")
                .with_label("revoked")
                .with_help("make sure no server still signs with this selector"),
        );
    }
}
