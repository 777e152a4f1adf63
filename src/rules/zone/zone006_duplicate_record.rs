use crate::diagnostic::Diagnostic;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a record that repeats another one exactly: same owner, class, type and
    /// RDATA (names compared case-insensitively).
    ///
    /// ## Why is this bad?
    /// An RRset is a set: servers drop the copy silently, so the duplicate does nothing
    /// but hide the edit that was meant (often a changed address pasted beside the old
    /// one instead of over it).
    ///
    /// ## Example
    /// ```text
    /// www  IN A 192.0.2.10
    /// www  IN A 192.0.2.10
    /// ```
    /// Use instead: one of them.
    ///
    /// ## Fix safety
    /// Removing the exact duplicate is safe: what is published does not change.
    ///
    /// ## References
    /// RFC 2181 §5.
    ZONE006, "ZONE006", Warning, Sometimes, "duplicate record"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    for set in ctx.index.rrsets(zone) {
        if set.len() < 2 {
            continue;
        }
        // By hash: an RRset can hold hundreds of thousands of records.
        let mut seen: hashbrown::HashMap<u128, usize> =
            hashbrown::HashMap::with_capacity(set.len());
        for &i in set {
            let r = &zone.records[i as usize];
            let key = zone.rdata_key(r);
            if let Some(first) = seen.get(&key) {
                let name = zone.name(r.owner);
                out.push(
                    Diagnostic::new(
                        "ZONE006",
                        zone.location(r),
                        format!("duplicate {} record at `{name}`", r.rtype),
                    )
                    .with_owner(name)
                    .with_label("same as an earlier record")
                    .with_related(zone.location(&zone.records[*first]), "first copy is here")
                    .with_help("remove the duplicate")
                    .with_fix(crate::rules::edits::delete_record(
                        ctx.set,
                        zone,
                        r,
                        "remove the duplicate record",
                    )),
                );
            } else {
                seen.insert(key, i as usize);
            }
        }
    }
}
