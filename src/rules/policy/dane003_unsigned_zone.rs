use crate::diagnostic::Diagnostic;
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports TLSA records in a zone file that holds no DNSKEY at its apex, once per
    /// zone, at the first TLSA record.
    ///
    /// ## Why is this bad?
    /// DANE only counts with DNSSEC: a client ignores TLSA records it cannot validate,
    /// so in an unsigned zone they protect nothing. The finding is a warning because
    /// the server may sign the zone as it loads it (BIND `dnssec-policy` or
    /// `inline-signing`, Knot `dnssec-signing`): then the file has no DNSKEY and all is
    /// well.
    ///
    /// ## Example
    /// ```text
    /// _25._tcp.mail  IN TLSA 3 1 1 ( ... )   ; and no DNSKEY at the apex
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: sign the zone.
    ///
    /// ## References
    /// RFC 6698 §4.1; RFC 7672 §2.2.
    DANE003, "DANE003", Warning, None, "TLSA records in a zone file that is not signed"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    let Some(first) = zone.records.iter().find(|r| r.rtype == RType::TLSA) else {
        return;
    };
    let signed = ctx
        .index
        .at(zone.origin)
        .iter()
        .any(|&i| zone.records[i as usize].rtype == RType::DNSKEY);
    if signed {
        return;
    }
    out.push(
        Diagnostic::new(
            "DANE003",
            zone.location(first),
            format!("`{}` publishes TLSA records but the file holds no DNSKEY: without DNSSEC, DANE clients ignore them", zone.origin_text()),
        )
        .with_owner(zone.name(first.owner))
        .with_label("first TLSA record")
        .with_help("sign the zone (or, if the server signs it on load, ignore this for the zone)"),
    );
}
