use crate::diagnostic::Diagnostic;
use crate::model::{NameId, NameTable};
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports a target that is almost surely missing its trailing dot: a PTR target
    /// inside its own reverse zone (`25 PTR mail.example.com` publishes
    /// `mail.example.com.113.0.203.in-addr.arpa.`), or an MX, CNAME or NS target that
    /// ends in its zone's origin twice (`mail.example.com.example.com.`).
    ///
    /// ## Why is this bad?
    /// A name without a final dot is relative: the origin is appended. The record then
    /// names a host that does not exist, and mail, aliases or delegation fail.
    ///
    /// ## Example
    /// ```text
    /// 25  IN PTR mail.source.example
    /// ```
    /// Use instead:
    /// ```text
    /// 25  IN PTR mail.source.example.
    /// ```
    ///
    /// ## Fix safety
    /// Adding the dot changes what is published (an unsafe fix: `zonelint fix --unsafe-fixes`).
    ///
    /// ## References
    /// RFC 1035 §5.1 (absolute and relative names); RFC 1912 §2.1.
    PTR007, "PTR007", Error, Sometimes, "target is almost surely missing its trailing dot"
}

/// Whether `name` ends in `origin` twice: `x.example.com.example.com.`.
fn doubles_origin(names: &NameTable, name: NameId, origin: NameId) -> bool {
    let depth = names.depth(origin);
    if depth == 0 || names.depth(name) < 2 * depth || !names.is_at_or_below(name, origin) {
        return false;
    }
    // The ancestor 2*depth labels deep must spell the origin's labels again.
    let mut inner = name;
    while names.depth(inner) > 2 * depth {
        inner = names.parent(inner).unwrap_or(NameId::ROOT);
    }
    let (mut a, mut b) = (inner, origin);
    for _ in 0..depth {
        if names.label(a) != names.label(b) {
            return false;
        }
        a = names.parent(a).unwrap_or(NameId::ROOT);
        b = names.parent(b).unwrap_or(NameId::ROOT);
    }
    true
}

/// The name as it was probably meant: the part before the origin.
fn meant(names: &NameTable, name: NameId, origin: NameId) -> String {
    let full = names.display(name);
    let origin = names.display(origin);
    full.strip_suffix(&origin)
        .map(str::to_string)
        .unwrap_or(full)
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    let names = &zone.names;
    for fact in ctx.ptr_facts() {
        let super::Verdict::Inside = fact.verdict else {
            continue;
        };
        let r = &zone.records[fact.record];
        let written = meant(names, fact.target, zone.origin);
        out.push(
            Diagnostic::new(
                "PTR007",
                zone.location(r),
                format!("PTR target `{}` is inside the reverse zone; `{written}` is missing its trailing dot", zone.name(fact.target)),
            )
            .with_owner(zone.name(r.owner))
            .with_label("relative name: the origin was appended")
            .with_help(format!("write `{written}` (with the final dot)"))
            .with_fix(crate::rules::edits::fix_record(r, crate::rules::edits::append_to_last_field(ctx.set, zone, r, "."), crate::fix::Applicability::Unsafe, format!("add the trailing dot: `{written}`"))),
        );
    }
    for r in &zone.records {
        if !matches!(r.rtype, RType::MX | RType::CNAME | RType::NS) {
            continue;
        }
        let Some(target) = zone.target(r) else {
            continue;
        };
        if !doubles_origin(names, target, zone.origin) {
            continue;
        }
        let written = meant(names, target, zone.origin);
        out.push(
            Diagnostic::new(
                "PTR007",
                zone.location(r),
                format!(
                    "{} target `{}` repeats the origin; `{written}` is missing its trailing dot",
                    r.rtype,
                    zone.name(target)
                ),
            )
            .with_owner(zone.name(r.owner))
            .with_label("relative name: the origin was appended")
            .with_help(format!("write `{written}` (with the final dot)"))
            .with_fix(crate::rules::edits::fix_record(
                r,
                crate::rules::edits::append_to_last_field(ctx.set, zone, r, "."),
                crate::fix::Applicability::Unsafe,
                format!("add the trailing dot: `{written}`"),
            )),
        );
    }
}
