use crate::diagnostic::Diagnostic;
use crate::rules::mail::SetContext;
use crate::rules::{ZoneContext, declare_rule};
use crate::spf::Verdict;

declare_rule! {
    /// ## What it does
    /// Reports what makes an SPF record a *permerror*, at the exact term: more than one
    /// `v=spf1` record at a name, a syntax error (unknown mechanism, bad CIDR length,
    /// malformed macro, a modifier twice), more than 10 DNS-querying terms counting the
    /// records it includes (§4.6.4), an `include:` or `redirect=` of a domain of the set
    /// that has no SPF record. Checked for every `v=spf1` record of the set, inventory or
    /// not. With an inventory, an evaluation for a mail host that ends in permerror for
    /// another reason (more than two void lookups, `mx` with more than 10 exchanges) is
    /// reported too.
    ///
    /// ## Why is this bad?
    /// A permerror means the domain has no usable SPF: receivers treat it as a failure
    /// under DMARC, and some refuse the mail outright.
    ///
    /// ## Example
    /// ```text
    /// @  IN TXT "v=spf1 ip4:203.0.113.0/33 -all"   ; /33 is not a prefix length
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: what the record should say is the domain owner's decision.
    ///
    /// ## References
    /// RFC 7208 §2.6.7, §4.5, §4.6, §4.6.4, §5.2, §6.1.
    SPF003, "SPF003", Error, None, "SPF record is a permerror"
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    super::take(ctx, "SPF003", out);
}

/// One SPF record (of `count` at its owner), in the SPF pass ([`super::findings`]).
pub fn check_record(
    ctx: &ZoneContext,
    record: &super::SpfRecord,
    count: usize,
    out: &mut Vec<Diagnostic>,
) {
    let r = &ctx.zone.records[record.record];
    let owner = ctx.zone.name(r.owner);
    for p in super::problems(ctx.set, ctx.indices, &owner, record, count) {
        out.push(
            Diagnostic::new(
                "SPF003",
                record.location(ctx.set, ctx.id, p.at),
                format!("SPF record of `{owner}` is a permerror: {}", p.message),
            )
            .with_owner(owner.clone())
            .with_label("permerror")
            .with_help("receivers ignore an SPF record in error; correct it so that it evaluates"),
        );
    }
}

/// Permerrors that show only when evaluating for a host's address.
pub fn check_hosts(ctx: &SetContext, out: &mut Vec<Diagnostic>) {
    for e in super::evaluations(ctx) {
        let Verdict::PermError(why) = &e.outcome.verdict else {
            continue;
        };
        let Some((location, _, static_problem)) = super::decided_at(ctx, &e) else {
            continue;
        };
        if static_problem {
            continue;
        }
        let host = &ctx.inventory.hosts[e.host];
        out.push(
            Diagnostic::new(
                "SPF003",
                location,
                format!(
                    "SPF of `{}` is a permerror for mail from {}: {why}{}",
                    e.domain,
                    e.address,
                    super::trail(&e.outcome)
                ),
            )
            .with_owner(e.domain.clone())
            .with_label("permerror")
            .with_related(
                ctx.at(host.name_span),
                format!("mail host `{}` sends from {}", host.name, e.address),
            )
            .with_help(
                "receivers ignore an SPF record in error; reduce the lookups so that it evaluates",
            ),
        );
    }
}
