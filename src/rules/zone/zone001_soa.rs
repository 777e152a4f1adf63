use crate::diagnostic::Diagnostic;
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks that the zone has exactly one SOA record, at its apex.
    ///
    /// ## Why is this bad?
    /// The SOA marks the start of authority: without it servers refuse the zone, and
    /// secondaries cannot tell whether to transfer it. An SOA below the apex, or two
    /// different SOAs, mean the file is not the zone you think it is (often two files
    /// pasted together, or a wrong `$ORIGIN`).
    ///
    /// ## Example
    /// ```text
    /// $ORIGIN example.com.
    /// www  IN SOA ns1 hostmaster 1 7200 3600 1209600 300
    /// ```
    /// Use instead:
    /// ```text
    /// @    IN SOA ns1 hostmaster 1 7200 3600 1209600 300
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// RFC 1035 §5.2; RFC 1034 §4.3.4; RFC 2181 §6.1.
    ZONE001, "ZONE001", Error, None, "missing SOA at the apex, SOA below the apex, or more than one SOA"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    let origin = zone.origin_text();
    let mut first_apex: Option<usize> = None;
    for (i, r) in zone.records.iter().enumerate() {
        if r.rtype != RType::SOA {
            continue;
        }
        if r.owner != zone.origin {
            out.push(
                Diagnostic::new(
                    "ZONE001",
                    zone.location(r),
                    format!("SOA record at `{}`, which is not the zone apex `{origin}`", zone.name(r.owner)),
                )
                .with_owner(zone.name(r.owner))
                .with_label("SOA below the apex")
                .with_help(format!("move the SOA to `@` or check the `$ORIGIN`; this file is loaded as zone `{origin}`")),
            );
            continue;
        }
        match first_apex {
            None => first_apex = Some(i),
            Some(f) => {
                let first = &zone.records[f];
                // An exact repeat is ZONE006's business; a different SOA is a conflict.
                if zone.soa_of(first) != zone.soa_of(r) {
                    out.push(
                        Diagnostic::new(
                            "ZONE001",
                            zone.location(r),
                            format!(
                                "second SOA record at the apex `{origin}`; a zone has exactly one"
                            ),
                        )
                        .with_owner(origin.clone())
                        .with_label("second SOA")
                        .with_related(zone.location(first), "first SOA is here")
                        .with_help("remove one of them"),
                    );
                }
            }
        }
    }
    if first_apex.is_none() {
        out.push(
            Diagnostic::new("ZONE001", super::zone_start(zone), format!("zone `{origin}` has no SOA record at its apex"))
                .with_owner(origin)
                .with_help("add `@ IN SOA <primary-ns> <hostmaster> <serial> <refresh> <retry> <expire> <minimum>`"),
        );
    }
}
