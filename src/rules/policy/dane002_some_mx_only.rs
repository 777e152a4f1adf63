use crate::diagnostic::Diagnostic;
use crate::model::index::Answer;
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};
use crate::spf::{Dns, Lookup};

declare_rule! {
    /// ## What it does
    /// For each name with MX records whose exchanges the set holds, checks that either
    /// all of them or none publish TLSA records at `_25._tcp.<exchange>`.
    ///
    /// ## Why is this bad?
    /// A DANE sender authenticates the exchanges that have TLSA records and uses the
    /// others without: mail that falls over to the host without TLSA goes out without
    /// the protection the others promise — or a misconfigured one is only noticed when
    /// the primary is down.
    ///
    /// ## Example
    /// ```text
    /// @              IN MX   10 mx1
    /// @              IN MX   20 mx2
    /// _25._tcp.mx1   IN TLSA 3 1 1 ( ... )     ; nothing for mx2
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the record comes from the host's certificate.
    ///
    /// ## References
    /// RFC 7672 §2.2 and §3.
    DANE002, "DANE002", Warning, None, "TLSA records for some MX hosts of a domain but not others"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    let empty = std::collections::HashMap::new();
    let dns = crate::rules::mail::dns::SetDns {
        set: ctx.set,
        indices: ctx.indices,
        overlay: &empty,
    };
    // Nothing to compare without MX records here and a TLSA record somewhere.
    if ctx.mx_facts().is_empty()
        || !ctx
            .set
            .zones
            .iter()
            .any(|z| z.records.iter().any(|r| r.rtype == RType::TLSA))
    {
        return;
    }
    let mut by_owner: std::collections::BTreeMap<
        crate::model::NameId,
        Vec<&crate::rules::mx::MxFact>,
    > = std::collections::BTreeMap::new();
    for f in ctx.mx_facts() {
        by_owner
            .entry(zone.records[f.record].owner)
            .or_default()
            .push(f);
    }
    for facts in by_owner.values() {
        // (the MX record, whether its exchange has TLSA) for exchanges the set holds.
        let mut held: Vec<(usize, String, bool)> = Vec::new();
        for f in facts {
            if matches!(f.answer, None | Some(Answer::OutOfSet | Answer::Delegated)) {
                continue;
            }
            let exchange = zone.name(f.target);
            let tlsa = format!("_25._tcp.{exchange}");
            let has = ctx.set.zone_for(&tlsa).is_some_and(|z| {
                let other = &ctx.set.zones[z];
                other.names.find_text(&tlsa).is_some_and(|id| {
                    ctx.indices.zones[z]
                        .at(id)
                        .iter()
                        .any(|&j| other.records[j as usize].rtype == RType::TLSA)
                })
            });
            if !matches!(dns.txt(&exchange), Lookup::Unknown) {
                held.push((f.record, exchange, has));
            }
        }
        if !held.iter().any(|h| h.2) {
            continue;
        }
        let with: Vec<&str> = held.iter().filter(|h| h.2).map(|h| h.1.as_str()).collect();
        for (record, exchange, _) in held.iter().filter(|h| !h.2) {
            let r = &zone.records[*record];
            out.push(
                Diagnostic::new(
                    "DANE002",
                    zone.location(r),
                    format!(
                        "MX `{exchange}` has no TLSA record at `_25._tcp.{exchange}`, while {} of the same domain {}",
                        with.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", "),
                        if with.len() == 1 { "has them" } else { "have them" }
                    ),
                )
                .with_owner(zone.name(r.owner))
                .with_label("no DANE for this exchange")
                .with_help(format!("publish TLSA records for `{exchange}` too (or for none of them)")),
            );
        }
    }
}
