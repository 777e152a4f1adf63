use crate::diagnostic::Diagnostic;
use crate::model::NameId;
use crate::model::RecordData;
use crate::model::index::{Answer, Translator};
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an SRV record whose target is an alias (CNAME) in the zone set.
    ///
    /// ## Why is this bad?
    /// RFC 2782 says the target "must not be an alias": clients look up the target's
    /// A/AAAA records directly, and some do not follow a CNAME there, so the service is
    /// reachable for some clients only. BIND warns about it.
    ///
    /// ## Example
    /// ```text
    /// _sip._tcp  IN SRV   10 0 5060 sip
    /// sip        IN CNAME pbx.provider.example.
    /// ```
    /// Use instead:
    /// ```text
    /// _sip._tcp  IN SRV   10 0 5060 pbx.provider.example.
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: pointing the SRV at the CNAME's target changes what is published.
    ///
    /// ## References
    /// RFC 2782 (the Target field); RFC 2181 §10.3.
    ZONE013, "ZONE013", Error, Sometimes, "SRV target is a CNAME"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    let mut translator = Translator::new(&zone.names);
    for r in &zone.records {
        let RecordData::Srv(k) = r.data() else {
            continue;
        };
        let target = zone.srv[k as usize].target;
        if target == NameId::ROOT {
            continue;
        }
        let Answer::Cname(alias) = ctx.indices.resolve_with(ctx.set, &mut translator, target)
        else {
            continue;
        };
        let (alias_zone, cname, to) = crate::rules::alias(ctx.set, alias);
        let name = zone.name(target);
        out.push(
            Diagnostic::new(
                "ZONE013",
                zone.location(r),
                format!("SRV target `{name}` is a CNAME (to `{to}`)"),
            )
            .with_owner(zone.name(r.owner))
            .with_label("SRV points at an alias")
            .with_related(
                alias_zone.location(cname),
                format!("`{name}` is an alias of `{to}`"),
            )
            .with_help(format!(
                "point the SRV at `{to}`, or give `{name}` its own A/AAAA records"
            ))
            .with_fix(crate::rules::edits::fix_record(
                r,
                crate::rules::edits::replace_last_field(ctx.set, zone, r, &to),
                crate::fix::Applicability::Unsafe,
                format!("point the SRV at `{to}`"),
            )),
        );
    }
}
