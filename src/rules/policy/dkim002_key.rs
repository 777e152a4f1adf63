use crate::diagnostic::Diagnostic;
use crate::policy::Level;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reads the public key of each well-formed DKIM key record and reports one that is
    /// not a key of its stated type — an RSA key that is not DER SubjectPublicKeyInfo
    /// (or RSAPublicKey), an Ed25519 key that is not 32 bytes — or an RSA key under
    /// 1024 bits.
    ///
    /// ## Why is this bad?
    /// Verifiers cannot use the key, or must not (RFC 8301): every signature made with
    /// the selector fails. The usual cause is a key pasted in parts with a piece lost.
    ///
    /// ## Example
    /// ```text
    /// sel1._domainkey  IN TXT "v=DKIM1; k=ed25519; p=AAAA"   ; 3 bytes, not 32
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: publish the key the signing server shows.
    ///
    /// ## References
    /// RFC 6376 §3.6.1; RFC 8301 §3.2; RFC 8463 §4.
    DKIM002, "DKIM002", Warning, None, "DKIM key does not read as a key of its type, or is too short"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    super::take(ctx, "DKIM002", out);
}

pub fn check_record(ctx: &ZoneContext, p: &super::PolicyRecord, out: &mut Vec<Diagnostic>) {
    let (problems, Some(key)) = p.dkim() else {
        return;
    };
    if !problems.is_empty() {
        return;
    }
    if let Some(problem) = crate::policy::dkim_key(key).filter(|q| q.level == Level::Warning) {
        out.push(
            super::diagnostic(ctx, "DKIM002", p, &problem, "DKIM key")
                .with_label("the key")
                .with_help("publish the public key exactly as the signing server gives it"),
        );
    }
}
