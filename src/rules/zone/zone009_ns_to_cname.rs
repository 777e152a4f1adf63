use crate::diagnostic::Diagnostic;
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an NS record whose target is a CNAME in the zone.
    ///
    /// ## Why is this bad?
    /// NS targets must be names with address records. Resolvers do not follow CNAMEs
    /// when looking for a name server (and many refuse), so the server is unreachable
    /// through this record.
    ///
    /// ## Example
    /// ```text
    /// @    IN NS    dns
    /// dns  IN CNAME ns1.provider.example.
    /// ```
    /// Use instead:
    /// ```text
    /// @    IN NS    ns1.provider.example.
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix yet.
    ///
    /// ## References
    /// RFC 2181 §10.3; RFC 1912 §2.4.
    ZONE009, "ZONE009", Error, None, "NS target is a CNAME"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    for r in &zone.records {
        if r.rtype != RType::NS {
            continue;
        }
        let Some(target) = zone.target(r) else {
            continue;
        };
        let at = ctx.index.at(target);
        if let Some(cname) = at
            .iter()
            .map(|&i| &zone.records[i as usize])
            .find(|c| c.rtype == RType::CNAME)
        {
            let name = zone.name(target);
            let to = zone.target(cname).map(|t| zone.name(t)).unwrap_or_default();
            out.push(
                Diagnostic::new(
                    "ZONE009",
                    zone.location(r),
                    format!("NS target `{name}` is a CNAME (to `{to}`)"),
                )
                .with_owner(zone.name(r.owner))
                .with_label("NS to an alias")
                .with_related(zone.location(cname), "the CNAME")
                .with_help(format!(
                    "point the NS at `{to}` or give `{name}` its own A/AAAA records"
                )),
            );
        }
    }
}
