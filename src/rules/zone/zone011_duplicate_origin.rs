use crate::diagnostic::Diagnostic;
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports two zone files with the same origin and class in the same view (or both
    /// in no view): the same server view, and the same side in the inventory's `zones`
    /// (`view: internal` or external). The finding is on the file whose path sorts later; the other is
    /// shown beside it.
    ///
    /// ## Why is this bad?
    /// A server loads one zone per name and view: one of the two files is not what it
    /// publishes, and which one depends on the configuration. zonelint answers lookups
    /// from the file whose path sorts first, so that no finding depends on the order
    /// of the arguments — but checks that read across zones may be looking at the
    /// copy the server never loads. Split-horizon copies belong in different views:
    /// give zonelint the server's configuration (`--server-config named.conf`) or
    /// mark the inside copy with `view: internal` in the inventory.
    ///
    /// ## Example
    /// ```text
    /// zones/example.com.zone         @ IN SOA ns1.example.com. ...
    /// zones/old/example.com.zone     @ IN SOA ns1.example.com. ...
    /// ```
    /// Use instead: remove the stale copy, or say which view each copy belongs to.
    ///
    /// ## Fix safety
    /// No automatic fix: only you know which copy is live.
    ///
    /// ## References
    /// RFC 1034 §4.2 (one zone per name in a server's name space); BIND 9 ARM, `view`.
    ZONE011, "ZONE011", Error, None, "two zone files with the same origin in the same view"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let set = ctx.set;
    let zone = ctx.zone;
    let me = ctx.id;
    let class = zone.class();
    let sort_key = |z: usize| set.sources.display(set.zones[z].source);
    // The zone set is ordered by file: the first copy is the one that answers.
    let Some(first) = set
        .same_origin(me)
        .filter(|&o| {
            let other = &set.zones[o];
            other.view_name == zone.view_name && other.view == zone.view && other.class() == class
        })
        .filter(|&o| (sort_key(o), o) < (sort_key(me), me))
        .min_by_key(|&o| (sort_key(o), o))
    else {
        return;
    };
    let other = &set.zones[first];
    let soa = |id: usize| {
        let z = &set.zones[id];
        ctx.indices.zones[id]
            .at(z.origin)
            .iter()
            .map(|&i| &z.records[i as usize])
            .find(|r| r.rtype == RType::SOA)
            .map_or_else(|| super::zone_start(z), |r| z.location(r))
    };
    let origin = zone.origin_text();
    let other_file = set.sources.display(other.source).to_string();
    let view = zone
        .view_name
        .as_deref()
        .map(|v| format!(" in view `{v}`"))
        .unwrap_or_default();
    out.push(
        Diagnostic::new(
            "ZONE011",
            soa(me),
            format!("zone `{origin}`{view} is also loaded from `{other_file}`; lookups use that file"),
        )
        .with_owner(origin.clone())
        .with_label("a second copy of the zone")
        .with_related(soa(first), format!("`{origin}` is first loaded here"))
        .with_help("remove the stale copy, or say which view each copy belongs to (`--server-config`, or `view:` in the inventory)"),
    );
}
