use crate::diagnostic::{Diagnostic, Location};
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks the fields of each TLSA record: certificate usage 0–3, selector 0–1,
    /// matching type 0–2, and association data of the length the matching type
    /// implies (32 bytes for SHA-256, 64 for SHA-512).
    ///
    /// ## Why is this bad?
    /// A TLSA record a client cannot use is treated as unusable; when all of a host's
    /// records are, DANE clients fall back — or, for SMTP under DANE, may refuse to
    /// deliver. A hash of the wrong length is usually a digest of the wrong kind pasted
    /// into the record.
    ///
    /// ## Example
    /// ```text
    /// _25._tcp.mail  IN TLSA 3 1 1 ( 2bb183af... )   ; 20 bytes: a SHA-1, not SHA-256
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the data comes from the server's certificate.
    ///
    /// ## References
    /// RFC 6698 §2.1 and §7.2–7.4; RFC 7671; RFC 7672.
    DANE001, "DANE001", Error, None, "TLSA record field out of range, or hash of the wrong length"
}

/// The fields of a TLSA record: usage, selector, matching type and the data as hex,
/// each with its span; `None` when the record cannot be read again.
pub fn tlsa_fields(ctx: &ZoneContext, i: usize) -> Option<Vec<(Vec<u8>, crate::span::Span)>> {
    crate::rules::rdata_text::fields_with_spans(ctx.set, ctx.zone, &ctx.zone.records[i])
        .filter(|f| f.len() >= 4)
}

fn number(field: &[u8]) -> Option<u32> {
    std::str::from_utf8(field).ok()?.parse().ok()
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    for (i, r) in zone
        .records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.rtype == RType::TLSA)
    {
        let Some(fields) = tlsa_fields(ctx, i) else {
            continue;
        };
        let owner = zone.name(r.owner);
        let source = zone.location(r).source;
        let mut report = |span: crate::span::Span, message: String| {
            out.push(
                Diagnostic::new("DANE001", Location { source, span }, format!("TLSA record at `{owner}`: {message}"))
                    .with_owner(owner.clone())
                    .with_label("here")
                    .with_help("publish the record as the certificate tooling prints it (for example `3 1 1` and a SHA-256 of the key)"),
            );
        };
        for (k, (name, max)) in [
            ("certificate usage", 3),
            ("selector", 1),
            ("matching type", 2),
        ]
        .into_iter()
        .enumerate()
        {
            if let Some(v) = number(&fields[k].0)
                && v > max
            {
                report(
                    fields[k].1,
                    format!("{name} {v} is not defined (0 to {max})"),
                );
            }
        }
        let hex: Vec<u8> = fields[3..]
            .iter()
            .flat_map(|(f, _)| f.iter().copied())
            .collect();
        let bytes = hex.len() / 2;
        let want = match number(&fields[2].0) {
            Some(1) => Some((32, "SHA-256")),
            Some(2) => Some((64, "SHA-512")),
            _ => None,
        };
        if let Some((n, digest)) = want
            && bytes != n
        {
            let span = crate::span::Span::new(
                fields[3].1.start as usize,
                fields[fields.len() - 1].1.end as usize,
            );
            report(
                span,
                format!(
                    "matching type {} wants a {digest} digest of {n} bytes; this is {bytes}",
                    fields[2].0.escape_ascii()
                ),
            );
        }
    }
}
