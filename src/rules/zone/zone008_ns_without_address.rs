use crate::diagnostic::Diagnostic;
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks the address of every name server named inside the zone:
    /// - a target at or below a delegation needs glue (an A or AAAA record in this zone);
    /// - any other in-zone target needs an A or AAAA record (a wildcard counts);
    /// - an apex NS target below a DNAME cannot be served by the zone at all.
    ///
    /// NS records that are themselves occluded by a delegation are not checked.
    ///
    /// ## Why is this bad?
    /// Resolvers cannot reach a name server whose address they cannot find. Without glue
    /// a delegation to `ns1.sub.example.com` is a loop: to find the server of `sub` you
    /// must first ask that server.
    ///
    /// ## Example
    /// ```text
    /// sub       IN NS ns1.sub
    /// ; no address for ns1.sub
    /// ```
    /// Use instead:
    /// ```text
    /// sub       IN NS ns1.sub
    /// ns1.sub   IN A  192.0.2.53
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: zonelint cannot know the server's address.
    ///
    /// ## References
    /// RFC 1034 §4.2.1 (glue); RFC 1912 §2.3; RFC 9471.
    ZONE008, "ZONE008", Error, None, "in-zone NS target without glue or without an address"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    let index = ctx.index;
    for r in &zone.records {
        if r.rtype != RType::NS || !zone.names.is_at_or_below(r.owner, zone.origin) {
            continue;
        }
        if index.occluder(zone, r.owner).is_some() {
            continue;
        }
        let Some(target) = zone.target(r) else {
            continue;
        };
        if !zone.names.is_at_or_below(target, zone.origin) {
            continue;
        }
        let at_target = index.at(target);
        if at_target
            .iter()
            .any(|&i| zone.records[i as usize].rtype == RType::CNAME)
        {
            continue; // ZONE009 reports it.
        }
        let name = zone.name(target);
        let owner = zone.name(r.owner);
        let occluder = index.occluder(zone, target);
        let diag = |message: String, help: &str| {
            Diagnostic::new("ZONE008", zone.location(r), message)
                .with_owner(owner.clone())
                .with_label(format!("name server `{name}`"))
                .with_help(help.to_string())
        };
        match occluder {
            Some((dname, RType::DNAME)) => {
                if r.owner == zone.origin {
                    out.push(diag(
                        format!("NS target `{name}` is below the DNAME at `{}`, so the zone cannot serve its address", zone.name(dname)),
                        "name a server outside the DNAME's subtree",
                    ));
                }
            }
            Some((cut, _)) => {
                let glued = at_target
                    .iter()
                    .any(|&i| matches!(zone.records[i as usize].rtype, RType::A | RType::AAAA));
                if !glued {
                    out.push(diag(
                        format!("NS target `{name}` is below the delegation `{}` and has no glue A or AAAA record", zone.name(cut)),
                        "add an A or AAAA record for the name server (glue)",
                    ));
                }
            }
            None => {
                let is_cut = index.is_cut(target);
                let has_address = if is_cut {
                    at_target
                        .iter()
                        .any(|&i| matches!(zone.records[i as usize].rtype, RType::A | RType::AAAA))
                } else {
                    index.addresses(zone, target).next().is_some()
                };
                if !has_address {
                    let message = if is_cut {
                        format!(
                            "NS target `{name}` is a delegation point and has no glue A or AAAA record"
                        )
                    } else {
                        format!("NS target `{name}` is inside the zone but has no A or AAAA record")
                    };
                    out.push(diag(message, "add an A or AAAA record for the name server"));
                }
            }
        }
    }
}
