use crate::diagnostic::Diagnostic;
use crate::model::index::AddressEntry;
use crate::model::reverse::ptr_address;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an address with PTR records naming more than one host, anywhere in the
    /// set (exact duplicates are ZONE006).
    ///
    /// ## Why is this bad?
    /// Resolvers return the PTRs in any order and most software uses the first one, so
    /// the name a receiver sees changes from query to query; forward-confirmed reverse
    /// DNS and HELO checks pass or fail at random.
    ///
    /// ## Example
    /// ```text
    /// 25  IN PTR mail.source.example.
    /// 25  IN PTR www.source.example.
    /// ```
    /// Use instead: one PTR naming the host that sends mail from the address.
    ///
    /// ## Fix safety
    /// No automatic fix: which name is right is your call.
    ///
    /// ## References
    /// RFC 1912 §2.1; RFC 2181 §10.2.
    PTR006, "PTR006", Warning, None, "more than one PTR for one address"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    if super::zone_prefix(ctx).is_none() {
        return;
    }
    let me = Some(ctx.id as u32);
    // PTRs of one address are adjacent in the sorted table: look at runs longer than one.
    let table = ctx.indices.ptr_table(ctx.set);
    for run in ctx.indices.addresses_with_several_ptrs(ctx.set) {
        let run: Vec<AddressEntry> = table.entries(run.clone()).collect();
        let (fz, fi) = (run[0].zone, run[0].record);
        let first_zone = &ctx.set.zones[fz as usize];
        let first = &first_zone.records[fi as usize];
        let Some(first_target) = first_zone.target(first) else {
            continue;
        };
        for &AddressEntry {
            zone: z, record: i, ..
        } in &run[1..]
        {
            if Some(z) != me {
                continue;
            }
            let r = &zone.records[i as usize];
            let Some(target) = zone.target(r) else {
                continue;
            };
            if first_zone
                .names
                .same_name(first_target, &zone.names, target)
            {
                continue;
            }
            let Some(address) = ptr_address(&zone.names, r.owner) else {
                continue;
            };
            let name = first_zone.name(first_target);
            out.push(
                Diagnostic::new(
                    "PTR006",
                    zone.location(r),
                    format!(
                        "{address} has more than one PTR: `{}` here and `{name}`",
                        zone.name(target)
                    ),
                )
                .with_owner(zone.name(r.owner))
                .with_label("another PTR for the same address")
                .with_related(first_zone.location(first), format!("PTR to `{name}`"))
                .with_help("keep one PTR per address, naming the host that uses it"),
            );
        }
    }
}
