use crate::diagnostic::Diagnostic;
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports records whose owner lies outside the zone's origin, and records at or
    /// below a delegation (a non-apex NS RRset) that are not glue: only NS, DS and the
    /// DNSSEC records may stand at a delegation point, and only address records (glue)
    /// below it.
    ///
    /// ## Why is this bad?
    /// Out-of-zone records are ignored by servers or make them reject the zone; they
    /// usually mean a missing trailing dot or a wrong `$ORIGIN`. Data below a
    /// delegation is occluded: the zone's servers refer resolvers to the child instead of
    /// answering, so the record is never served.
    ///
    /// ## Example
    /// ```text
    /// $ORIGIN example.com.
    /// www.example.org.  IN A   192.0.2.10
    /// sub               IN NS  ns1.sub
    /// www.sub           IN TXT "never served"
    /// ```
    /// Use instead: put `www.example.org.` in its own zone, and `www.sub` in the child
    /// zone `sub.example.com.`.
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// RFC 1034 §4.2.1 (zone cuts, glue); RFC 2181 §6; RFC 9499 §7 ("occluded names").
    ZONE003, "ZONE003", Error, None, "record outside the zone, or below a delegation (occluded, not glue)"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    let origin = zone.origin;
    for r in &zone.records {
        if !zone.names.is_at_or_below(r.owner, origin) {
            out.push(
                Diagnostic::new(
                    "ZONE003",
                    zone.location(r),
                    format!(
                        "`{}` is outside the zone `{}`",
                        zone.name(r.owner),
                        zone.origin_text()
                    ),
                )
                .with_owner(zone.name(r.owner))
                .with_label("out of zone")
                .with_help("check for a missing or extra trailing dot, or the `$ORIGIN` in force"),
            );
            continue;
        }
        if !ctx.index.has_cuts {
            continue;
        }
        let glue = matches!(r.rtype, RType::A | RType::AAAA);
        let cut = match ctx.index.occluder(zone, r.owner) {
            Some((cut, RType::NS)) => Some(cut),
            _ if ctx.index.is_cut(r.owner)
                && !glue
                && !matches!(r.rtype, RType::NS | RType::DS | RType::NSEC | RType::RRSIG) =>
            {
                Some(r.owner)
            }
            _ => None,
        };
        if let Some(cut) = cut {
            if glue && cut != r.owner {
                continue;
            }
            let at = if cut == r.owner { "at" } else { "below" };
            out.push(
                Diagnostic::new(
                    "ZONE003",
                    zone.location(r),
                    format!(
                        "{} record at `{}` is {at} the delegation `{}`, so it is never served",
                        r.rtype,
                        zone.name(r.owner),
                        zone.name(cut)
                    ),
                )
                .with_owner(zone.name(r.owner))
                .with_label("occluded by a delegation")
                .with_help(format!("move it into the child zone `{}`", zone.name(cut))),
            );
        }
    }
}
