use crate::diagnostic::Diagnostic;
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// (Preview.) Reports records owned by a name below a DNAME in the same zone.
    ///
    /// ## Why is this bad?
    /// A DNAME redirects every name below its owner, so data below it is occluded and
    /// never served. NSD refuses such a zone; BIND loads it and ignores the data. It is a
    /// preview rule until an issue decides its default, because BIND's own test suite
    /// treats such zones as valid.
    ///
    /// ## Example
    /// ```text
    /// x        IN DNAME y.example.
    /// a.b.x    IN A     10.0.0.12
    /// ```
    /// Use instead: put the record under the DNAME's target, `a.b.y.example.`.
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// RFC 6672 §2.4 (no data below a DNAME owner); RFC 9499 §7.
    ZONE010, "ZONE010", Warning, None, "record below a DNAME (occluded)", preview
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    if !ctx.index.has_cuts {
        return;
    }
    for r in &zone.records {
        if let Some((dname, RType::DNAME)) = ctx.index.occluder(zone, r.owner) {
            out.push(
                Diagnostic::new(
                    "ZONE010",
                    zone.location(r),
                    format!(
                        "{} record at `{}` is below the DNAME at `{}`, so it is never served",
                        r.rtype,
                        zone.name(r.owner),
                        zone.name(dname)
                    ),
                )
                .with_owner(zone.name(r.owner))
                .with_label("occluded by a DNAME"),
            );
        }
    }
}
