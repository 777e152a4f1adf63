use crate::diagnostic::Diagnostic;
use crate::rules::declare_rule;
use crate::rules::mail::SetContext;
use crate::spf::{Dns, Lookup};

declare_rule! {
    /// ## What it does
    /// For each mail domain of the inventory whose zone is in the set, looks for a
    /// DMARC record at `_dmarc.<domain>`, or at `_dmarc` of a parent domain the set
    /// holds (where receivers fall back to the organizational domain's policy).
    ///
    /// ## Why is this bad?
    /// Without DMARC, anyone can send mail in the domain's name and receivers have no
    /// policy to refuse it; large mailbox providers require DMARC of bulk senders, and
    /// the domain gets no reports of who sends as it.
    ///
    /// ## Example
    /// ```text
    /// ; source.example has MX and SPF but no _dmarc.source.example TXT
    /// ```
    /// Use instead: `_dmarc IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@source.example"`,
    /// then tighten `p=` once the reports show every sender passes.
    ///
    /// ## Fix safety
    /// No automatic fix: the policy and the report address are the owner's to choose.
    ///
    /// ## References
    /// RFC 7489 §6.1 and §6.6.3.
    DMARC002, "DMARC002", Warning, None, "a mail domain of the inventory has no DMARC record"
}

pub fn check(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    let empty = std::collections::HashMap::new();
    let dns = crate::rules::mail::dns::SetDns {
        set: ctx.set,
        indices: ctx.indices,
        overlay: &empty,
    };
    for domain in &ctx.inventory.domains {
        if ctx.set.zone_for(&domain.name).is_none() {
            continue;
        }
        let mut name = domain.name.as_str();
        let mut found = false;
        let mut unknown = false;
        // The domain, then its parents while a zone of the set holds them.
        loop {
            match dns.txt(&format!("_dmarc.{name}")) {
                Lookup::Found(texts)
                    if texts.iter().any(|t| crate::policy::looks_like(t, "DMARC1")) =>
                {
                    found = true;
                    break;
                }
                Lookup::Unknown => {
                    unknown = true;
                    break;
                }
                _ => {}
            }
            match name.split_once('.') {
                Some((_, parent))
                    if !parent.is_empty()
                        && parent.contains('.')
                        && ctx.set.zone_for(parent).is_some() =>
                {
                    name = parent
                }
                _ => break,
            }
        }
        if found || unknown {
            continue;
        }
        out.push(
            Diagnostic::new(
                "DMARC002",
                ctx.at(domain.span),
                format!("mail domain `{}` has no DMARC record (`_dmarc.{}`)", domain.name, domain.name),
            )
            .with_owner(domain.name.clone())
            .with_label("no DMARC policy")
            .with_help(format!(
                "publish `_dmarc.{} IN TXT \"v=DMARC1; p=none; rua=mailto:<reports address>\"`, then tighten `p=` once the reports look right",
                domain.name
            )),
        );
    }
}
