use crate::diagnostic::Diagnostic;
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a DS record at the zone's apex.
    ///
    /// ## Why is this bad?
    /// A DS record belongs to the parent side of a delegation: it is published in the
    /// parent zone, at the child's name, and points at the child's key. At the child's
    /// own apex it is never asked for there and means nothing; BIND refuses to load such
    /// a zone. It is usually a DS meant for the registrar or the parent zone's operator
    /// (or a CDS, RFC 7344, with the type mistyped).
    ///
    /// ## Example
    /// ```text
    /// @  IN DS  12345 13 2 4A5B...
    /// ```
    /// Use instead: give the DS to the parent (registrar), or publish it as a `CDS`
    /// record if the parent reads CDS.
    ///
    /// ## Fix safety
    /// No automatic fix: whether it belongs in the parent or was meant as a CDS is yours
    /// to say.
    ///
    /// ## References
    /// RFC 4035 §2.4 (DS records at delegation points, in the parent); RFC 4034 §5;
    /// RFC 7344 §3 (CDS).
    ZONE012, "ZONE012", Error, None, "DS record at the zone apex"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    let origin = zone.origin_text();
    for &i in ctx.index.at(zone.origin) {
        let r = &zone.records[i as usize];
        if r.rtype != RType::DS {
            continue;
        }
        out.push(
            Diagnostic::new(
                "ZONE012",
                zone.location(r),
                format!("DS record at the apex of `{origin}`; a DS belongs in the parent zone"),
            )
            .with_owner(origin.clone())
            .with_label("DS at the apex")
            .with_help("give the DS to the parent zone (the registrar), or publish it as a CDS record if the parent reads them"),
        );
    }
}
