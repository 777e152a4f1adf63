use crate::diagnostic::Diagnostic;
use crate::model::Record;
use crate::rules::{ZoneContext, declare_rule};
use rayon::prelude::*;
use std::net::IpAddr;

declare_rule! {
    /// ## What it does
    /// Reports an A or AAAA address with no PTR when a reverse zone of the set covers it.
    /// Addresses that no reverse zone in the set covers are not checked (their PTRs are
    /// someone else's to publish). Wildcard owners and glue below a delegation are skipped.
    ///
    /// ## Why is this bad?
    /// Mail receivers, SSH servers and logs look up the reverse of the address a
    /// connection comes from. With no PTR, large mailbox providers refuse mail outright
    /// ("5.5.0", "554 ... Domain not found"), and the host shows as a bare number
    /// everywhere else.
    ///
    /// ## Example
    /// ```text
    /// ; source.example.zone
    /// mail  IN A  203.0.113.25
    /// ; 113.0.203.in-addr.arpa.zone has no record for 25
    /// ```
    /// Use instead:
    /// ```text
    /// ; 113.0.203.in-addr.arpa.zone
    /// 25    IN PTR mail.source.example.
    /// ```
    ///
    /// ## Fix safety
    /// Adding the PTR changes what is published (an unsafe fix: `zonelint fix
    /// --unsafe-fixes`). A name that is not a host name (`_sip._tcp`, `ns_2`) gets no
    /// PTR written for it: a PTR target must be one.
    ///
    /// ## References
    /// RFC 1912 §2.1; RFC 1035 §3.5; RFC 8499 (forward-confirmed reverse DNS).
    PTR001, "PTR001", Warning, Sometimes, "covered A/AAAA address has no PTR"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    if ctx.set.reverse.is_empty() {
        return;
    }
    let me = ctx.id as u32;
    // Each finding's fix reads from its file the PTR record the new one goes after (its
    // layout is copied): findings are independent of each other, and a zone with
    // thousands of them spreads them over the cores, in order.
    let found: Vec<Diagnostic> = ctx
        .indices
        .addresses_without_ptr(ctx.set)
        .par_iter()
        .filter(|&&(z, _)| z == me)
        .filter_map(|&(_, i)| {
            let r = &zone.records[i as usize];
            let address = zone.address(r)?;
            let reverse = ctx.set.reverse_zone_for(address)?;
            Some(finding(ctx, r, address, reverse))
        })
        .collect();
    // Not copied: a copy would hold the findings twice, at the run's peak of memory.
    crate::rules::hand_over(found, out);
}

/// The PTR001 finding of `r`, whose `address` the reverse zone `reverse` covers but
/// has no PTR for.
fn finding(ctx: &ZoneContext, r: &Record, address: IpAddr, reverse: usize) -> Diagnostic {
    let zone = ctx.zone;
    let rev = &ctx.set.zones[reverse];
    let name = zone.name(r.owner);
    let crate::rules::mail::MissingPtr {
        owner,
        before,
        location: near,
        label: near_label,
    } = crate::rules::mail::missing_ptr(ctx.set, ctx.indices, reverse, address);
    Diagnostic::new(
        "PTR001",
        zone.location(r),
        format!("no PTR for {address}, an address of `{name}`"),
    )
    .with_owner(name.clone())
    .with_label(format!("{address} has no reverse record"))
    .with_related(near, near_label)
    .with_help(format!(
        "add `{owner}  IN  PTR  {name}` to `{}`",
        rev.origin_text()
    ))
    // A mail host's address gets the PTR the mail planner chose, whichever of
    // its names this record is.
    .with_fix(ctx.plan.ptr(address).or_else(|| {
        let before = before.map(|i| &rev.records[i]);
        let absolute = crate::rules::mail::reverse_name(address);
        // A PTR target must be a host name (what ZONE014 checks): a name such as
        // `_sip._tcp` or `ns_2` gets no PTR written for it.
        crate::rules::mail::plan::host_name(&name)
            .then(|| {
                crate::rules::edits::insert_record(
                    ctx.set,
                    rev,
                    before,
                    (&owner, &absolute),
                    "PTR",
                    &name,
                )
            })
            .flatten()
            .map(|e| {
                crate::fix::Fix::new(
                    crate::fix::Applicability::Unsafe,
                    format!("add the PTR for {address}: `{owner} PTR {name}`"),
                    vec![e],
                )
            })
    }))
}
