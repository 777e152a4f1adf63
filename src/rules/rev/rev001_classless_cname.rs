use crate::diagnostic::Diagnostic;
use crate::model::index::Answer;
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};
use ipnet::IpNet;

declare_rule! {
    /// ## What it does
    /// Checks RFC 2317 classless reverse delegation when both zones are in the set: every
    /// address PTR in a child such as `64/26.113.0.203.in-addr.arpa.` needs a CNAME in the
    /// parent `113.0.203.in-addr.arpa.` (`65 CNAME 65.64/26`), and every parent CNAME into
    /// a child must name a record the child holds.
    ///
    /// ## Why is this bad?
    /// Resolvers ask the parent for `65.113.0.203.in-addr.arpa.`; only the CNAME leads
    /// them into the child. A PTR in the child without it is never found, and a CNAME to
    /// a name the child lacks answers with nothing — reverse DNS fails for that address.
    ///
    /// ## Example
    /// ```text
    /// ; 64/26.113.0.203.in-addr.arpa.zone
    /// 65  IN PTR mail.source.example.
    /// ; 113.0.203.in-addr.arpa.zone has no `65 CNAME 65.64/26`
    /// ```
    /// Use instead:
    /// ```text
    /// ; 113.0.203.in-addr.arpa.zone
    /// 65  IN CNAME 65.64/26
    /// ```
    ///
    /// ## Fix safety
    /// Adding the CNAME changes what is published (an unsafe fix: `zonelint fix --unsafe-fixes`).
    ///
    /// ## References
    /// RFC 2317 §4 and §5.
    REV001, "REV001", Error, Sometimes, "RFC 2317 child address without a parent CNAME, or a parent CNAME to nothing"
}

fn is_classless(prefix: &IpNet) -> bool {
    matches!(prefix, IpNet::V4(p) if p.prefix_len() > 24)
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    let set = ctx.set;
    let Some(&(me, prefix)) = set.reverse.iter().find(|&&(z, _)| z == ctx.id) else {
        return;
    };
    if is_classless(&prefix) {
        // A child: find its parent in the set, the covering zone of /24 or shorter.
        let parent = set
            .reverse
            .iter()
            .filter(|&&(z, p)| z != me && p.prefix_len() <= 24 && p.contains(&prefix.network()))
            .max_by_key(|(_, p)| p.prefix_len())
            .map(|&(z, _)| z);
        let Some(parent) = parent else { return };
        let parent_zone = &set.zones[parent];
        for r in zone.records.iter().filter(|r| r.rtype == RType::PTR) {
            let Some(std::net::IpAddr::V4(address)) =
                crate::model::reverse::ptr_address(&zone.names, r.owner)
            else {
                continue;
            };
            let o = address.octets();
            let reverse_name = format!("{}.{}.{}.{}.in-addr.arpa.", o[3], o[2], o[1], o[0]);
            let cname_ok = parent_zone
                .names
                .find_text(&reverse_name)
                .is_some_and(|id| {
                    ctx.indices.zones[parent].at(id).iter().any(|&i| {
                        let c = &parent_zone.records[i as usize];
                        c.rtype == RType::CNAME
                            && parent_zone.target(c).is_some_and(|t| {
                                parent_zone.names.same_name(t, &zone.names, r.owner)
                            })
                    })
                });
            if !cname_ok {
                let owner = zone.name(r.owner);
                out.push(
                    Diagnostic::new(
                        "REV001",
                        zone.location(r),
                        format!("{address} is in the classless child `{}`, but the parent `{}` has no CNAME leading to it", zone.origin_text(), parent_zone.origin_text()),
                    )
                    .with_owner(owner.clone())
                    .with_label("resolvers never reach this PTR")
                    .with_help(format!("add `{} IN CNAME {owner}` to `{}`", o[3], parent_zone.origin_text()))
.with_fix({
    let host = o[3];
    let before = parent_zone
        .records
        .iter()
        .filter(|p| parent_zone.names.parent(p.owner) == Some(parent_zone.origin))
        .filter_map(|p| std::str::from_utf8(parent_zone.names.label(p.owner)).ok()?.parse::<u8>().ok().map(|n| (n, p)))
        .filter(|(n, _)| *n < host)
        .max_by_key(|(n, _)| *n)
        .map(|(_, p)| p);
    let value = owner.strip_suffix(&parent_zone.origin_text()).map(|v| v.trim_end_matches('.').to_string()).unwrap_or(owner.clone());
    crate::rules::edits::insert_record(set, parent_zone, before, (&host.to_string(), &reverse_name), "CNAME", &value).map(|e| {
        crate::fix::Fix::new(crate::fix::Applicability::Unsafe, format!("add `{host} CNAME {value}` to the parent"), vec![e])
    })
}),
                );
            }
        }
        return;
    }
    // A parent: its CNAMEs into classless children of the set must land on a record.
    for r in zone.records.iter().filter(|r| r.rtype == RType::CNAME) {
        let Some(target) = zone.target(r) else {
            continue;
        };
        let Some(child) = set.zone_holding(&zone.names, target) else {
            continue;
        };
        if child == me
            || !set
                .reverse
                .iter()
                .any(|&(z, p)| z == child && is_classless(&p))
        {
            continue;
        }
        let lands = match ctx.indices.resolve(set, &zone.names, target) {
            Answer::Addresses { .. } | Answer::NoAddress => set.zones[child]
                .names
                .find_same(&zone.names, target)
                .is_some_and(|id| !ctx.indices.zones[child].at(id).is_empty()),
            _ => true,
        };
        if !lands {
            let name = zone.name(target);
            out.push(
                Diagnostic::new(
                    "REV001",
                    zone.location(r),
                    format!(
                        "CNAME `{}` points to `{name}`, which the child zone `{}` does not hold",
                        zone.name(r.owner),
                        set.zones[child].origin_text()
                    ),
                )
                .with_owner(zone.name(r.owner))
                .with_label("the reverse lookup ends here with no answer")
                .with_help(format!(
                    "add the PTR for `{name}` to `{}`, or remove the CNAME",
                    set.zones[child].origin_text()
                )),
            );
        }
    }
}
