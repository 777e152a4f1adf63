use super::SetContext;
use crate::diagnostic::Diagnostic;
use crate::model::RecordData;
use crate::rr::RType;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Compares each mail domain's MX records in the zone set with the exchanges the
    /// inventory lists for it (`mail.domains.<domain>.mx`): an intended exchange that is
    /// missing, an exchange nobody listed, or a different preference where the inventory
    /// gives one. Domains whose zone is not in the set are not checked.
    ///
    /// ## Why is this bad?
    /// The MX set decides where the world delivers the domain's mail. A forgotten MX
    /// leaves a server idle; an unexpected one (an old provider, a typo) receives mail
    /// nobody reads.
    ///
    /// ## Example
    /// ```text
    /// # inventory: source.example: mx: [mail.source.example]
    /// @  IN MX 10 old-mx.provider.example.
    /// ```
    /// Use instead: `@ IN MX 10 mail.source.example.`
    ///
    /// ## Fix safety
    /// No automatic fix yet.
    ///
    /// ## References
    /// RFC 5321 §5.1.
    MAIL005, "MAIL005", Error, None, "a mail domain's MX set differs from the inventory"
}

pub fn check(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    for domain in &ctx.inventory.domains {
        if domain.mx.is_empty() {
            continue;
        }
        let Some(z) = ctx.set.zone_for(&domain.name) else {
            continue;
        };
        let zone = &ctx.set.zones[z];
        let Some(id) = zone.names.find_text(&domain.name) else {
            continue;
        };
        let published: Vec<(&crate::model::Record, u16, String)> = ctx.indices.zones[z]
            .at(id)
            .iter()
            .map(|&i| &zone.records[i as usize])
            .filter(|r| r.rtype == RType::MX)
            .filter_map(|r| match r.data() {
                RecordData::Mx(k) => {
                    let (pref, target) = zone.mx[k as usize];
                    Some((r, pref, zone.name(target)))
                }
                _ => None,
            })
            .collect();
        for (name, pref, span) in &domain.mx {
            match published.iter().find(|(_, _, t)| t == name) {
                None => out.push(
                    Diagnostic::new(
                        "MAIL005",
                        ctx.at(*span),
                        format!(
                            "`{}` has no MX record for `{name}`, which the inventory lists",
                            domain.name
                        ),
                    )
                    .with_owner(domain.name.clone())
                    .with_label("intended exchange")
                    .with_help(format!(
                        "add `@ IN MX {} {name}` to `{}`",
                        pref.unwrap_or(10),
                        zone.origin_text()
                    )),
                ),
                Some((r, p, _)) if pref.is_some_and(|want| want != *p) => out.push(
                    Diagnostic::new(
                        "MAIL005",
                        ctx.at(*span),
                        format!(
                            "MX `{name}` of `{}` has preference {p}; the inventory says {}",
                            domain.name,
                            pref.unwrap_or(0)
                        ),
                    )
                    .with_owner(domain.name.clone())
                    .with_label("intended preference")
                    .with_related(zone.location(r), format!("published with preference {p}"))
                    .with_help("make the preference match the inventory"),
                ),
                Some(_) => {}
            }
        }
        for (r, _, target) in &published {
            if !domain.mx.iter().any(|(n, _, _)| n == target) {
                out.push(
                    Diagnostic::new(
                        "MAIL005",
                        ctx.at(domain.span),
                        format!(
                            "`{}` has MX `{target}`, which the inventory does not list",
                            domain.name
                        ),
                    )
                    .with_owner(domain.name.clone())
                    .with_label("the domain's intended exchanges")
                    .with_related(zone.location(r), "unexpected exchange")
                    .with_help("remove the MX, or add the exchange to the inventory"),
                );
            }
        }
    }
}
