use crate::diagnostic::Diagnostic;
use crate::rules::{ZoneContext, declare_rule};
use crate::spf::{Dns, Lookup};

declare_rule! {
    /// ## What it does
    /// For each `mailto:` report address (`rua`, `ruf`) of a DMARC record at
    /// `_dmarc.<domain>` whose mailbox lies in another domain of the set — neither the
    /// domain, nor one of its parents or children — checks that the other domain
    /// consents with a `<domain>._report._dmarc.<other>` TXT record starting
    /// `v=DMARC1` (or a wildcard `*._report._dmarc.<other>`).
    ///
    /// ## Why is this bad?
    /// Receivers send no reports to a domain that has not agreed to take them: the
    /// `rua` looks right, and no report ever arrives.
    ///
    /// ## Example
    /// ```text
    /// _dmarc.shop.example.  IN TXT "v=DMARC1; p=none; rua=mailto:d@reports.example"
    /// ; reports.example has no shop.example._report._dmarc TXT "v=DMARC1"
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the other domain's owner must agree.
    ///
    /// ## References
    /// RFC 7489 §7.1.
    DMARC003, "DMARC003", Error, None, "DMARC reports go to another domain that has not agreed to receive them"
}

/// Whether one of the names is the other or below it.
fn related(a: &str, b: &str) -> bool {
    a == b || a.ends_with(&format!(".{b}")) || b.ends_with(&format!(".{a}"))
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    super::take(ctx, "DMARC003", out);
}

pub fn check_record(ctx: &ZoneContext, p: &super::PolicyRecord, out: &mut Vec<Diagnostic>) {
    let empty = std::collections::HashMap::new();
    let dns = crate::rules::mail::dns::SetDns {
        set: ctx.set,
        indices: ctx.indices,
        overlay: &empty,
    };
    {
        let owner = ctx.zone.name(ctx.zone.records[p.record].owner);
        let Some(domain) = owner.strip_prefix("_dmarc.") else {
            return;
        };
        // Only `_dmarc.<domain>` records reach here, not consents: the reading is the
        // one DMARC001 makes.
        for t in &p.dmarc().1 {
            if related(domain, &t.domain) || ctx.set.zone_for(&t.domain).is_none() {
                continue;
            }
            let consents = |name: String| matches!(dns.txt(&name), Lookup::Found(texts) if texts.iter().any(|x| crate::policy::looks_like(x, "DMARC1")));
            if consents(format!(
                "{}._report._dmarc.{}",
                domain.trim_end_matches('.'),
                t.domain
            )) || consents(format!("*._report._dmarc.{}", t.domain))
            {
                continue;
            }
            let needed = format!(
                "{}._report._dmarc.{}",
                domain.trim_end_matches('.'),
                t.domain
            );
            out.push(
                Diagnostic::new(
                    "DMARC003",
                    p.location(ctx, t.at.clone()),
                    format!(
                        "DMARC reports of `{domain}` go to `{}`, which does not publish `{needed}`",
                        t.domain
                    ),
                )
                .with_owner(owner.clone())
                .with_label("receivers send no reports here")
                .with_help(format!(
                    "add `{needed} IN TXT \"v=DMARC1\"` to the zone of `{}`",
                    t.domain
                )),
            );
        }
    }
}
