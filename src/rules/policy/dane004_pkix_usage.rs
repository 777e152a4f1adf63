use crate::diagnostic::{Diagnostic, Location};
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a TLSA record for SMTP (`_25._tcp.<host>`) with certificate usage 0
    /// (PKIX-TA) or 1 (PKIX-EE).
    ///
    /// ## Why is this bad?
    /// SMTP clients under DANE treat those usages as unusable (RFC 7672 §3.1.3): there
    /// is no common set of trusted CAs for MTAs to check the PKIX part against. With
    /// only such records, the host has no usable TLSA and DANE senders fall back.
    ///
    /// ## Example
    /// ```text
    /// _25._tcp.mail  IN TLSA 1 1 1 ( ... )
    /// ```
    /// Use instead: usage 3 (DANE-EE) or 2 (DANE-TA), e.g. `3 1 1`.
    ///
    /// ## Fix safety
    /// No automatic fix: the new record needs the matching certificate data.
    ///
    /// ## References
    /// RFC 7672 §3.1.3; RFC 7671 §5.
    DANE004, "DANE004", Warning, None, "TLSA usage 0 or 1 for SMTP"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    for (i, r) in zone
        .records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.rtype == RType::TLSA)
    {
        let mut up = std::iter::once(r.owner)
            .chain(zone.names.ancestors(r.owner))
            .map(|n| zone.names.label(n));
        if up.next() != Some(b"_25") || !up.next().is_some_and(|l| l.eq_ignore_ascii_case(b"_tcp"))
        {
            continue;
        }
        let Some(fields) = super::dane001_fields::tlsa_fields(ctx, i) else {
            continue;
        };
        let usage = &fields[0];
        if usage.0 != b"0" && usage.0 != b"1" {
            continue;
        }
        let owner = zone.name(r.owner);
        out.push(
            Diagnostic::new(
                "DANE004",
                Location {
                    source: zone.location(r).source,
                    span: usage.1,
                },
                format!(
                    "TLSA record at `{owner}` has usage {} (PKIX), which SMTP clients do not use",
                    usage.0.escape_ascii()
                ),
            )
            .with_owner(owner)
            .with_label("PKIX usage")
            .with_help("publish a DANE-EE (3) or DANE-TA (2) record for the host instead"),
        );
    }
}
