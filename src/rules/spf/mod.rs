//! SPF rules (RFC 7208): the record's own errors for every `v=spf1` record of the set
//! (zone rules, no inventory needed), and the result a receiver computes for each
//! outbound mail host of the inventory (set rules).

pub mod spf001_fail;
pub mod spf002_softfail;
pub mod spf003_permerror;
pub mod spf004_permissive_all;
pub mod spf005_ptr_mechanism;
pub mod spf006_unverifiable;

use crate::diagnostic::Location;
use crate::model::index::{RecordRef, SetIndex};
use crate::model::zone::{Record, ZoneSet};
use crate::rr::RType;
use crate::rules::ZoneContext;
use crate::rules::rdata_text::Joined;
use crate::spf::{Dns, Lookup, Mechanism, Term};
use std::collections::HashMap;

/// One `v=spf1` record of a zone, joined and parsed.
pub struct SpfRecord {
    /// Index of the TXT record in its zone.
    pub record: usize,
    pub joined: Joined,
    pub parsed: Result<crate::spf::Record, crate::spf::SyntaxError>,
}

impl SpfRecord {
    fn read(set: &ZoneSet, (z, i): RecordRef) -> Option<SpfRecord> {
        let zone = &set.zones[z];
        let r = &zone.records[i];
        if r.rtype != RType::TXT {
            return None;
        }
        SpfRecord::from_joined(i, crate::rules::rdata_text::joined(set, zone, r)?)
    }

    /// The record `record` of its zone, from its joined text, if that is SPF.
    fn from_joined(record: usize, joined: Joined) -> Option<SpfRecord> {
        let text = joined.as_str().into_owned();
        crate::spf::is_spf(&text).then(|| SpfRecord {
            record,
            parsed: crate::spf::parse(&text),
            joined,
        })
    }

    /// Where the text's bytes `range` are in zone `z`'s file.
    pub fn location(&self, set: &ZoneSet, z: usize, range: std::ops::Range<usize>) -> Location {
        let zone = &set.zones[z];
        Location {
            source: zone.location(&zone.records[self.record]).source,
            span: self.joined.span(range),
        }
    }
}

/// A rule that looks at one SPF record at a time, given how many SPF records its
/// owner has.
type RecordRule = fn(&ZoneContext, &SpfRecord, usize, &mut Vec<crate::diagnostic::Diagnostic>);

/// The per-record SPF rules. They run in one pass that reads each SPF record from its
/// file once and keeps none: a zone may hold hundreds of thousands of them.
const RECORD_RULES: &[(&str, RecordRule)] = &[
    ("SPF003", spf003_permerror::check_record),
    ("SPF004", spf004_permissive_all::check_record),
    ("SPF005", spf005_ptr_mechanism::check_record),
];

/// The findings of every enabled per-record SPF rule for the zone (see
/// [`crate::rules::pass_by_owner`]): the TXT records whose text may be SPF, read owner
/// by owner, each owner's `v=spf1` records counted before they are checked.
pub fn findings(ctx: &ZoneContext) -> crate::rules::Findings {
    let rules: Vec<RecordRule> = RECORD_RULES
        .iter()
        .filter(|(code, _)| ctx.selection.enabled(code))
        .map(|&(_, rule)| rule)
        .collect();
    if rules.is_empty() {
        return crate::rules::Findings::default();
    }
    let candidates = ctx
        .zone
        .records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.rtype == RType::TXT && r.flags & Record::SPF_TEXT != 0)
        .map(|(i, r)| (r.owner, i as u32, ()))
        .collect();
    crate::rules::pass_by_owner(ctx, candidates, |(), records| {
        let here: Vec<SpfRecord> = records
            .into_iter()
            .filter_map(|(i, joined)| SpfRecord::from_joined(i, joined))
            .collect();
        let mut out = Vec::new();
        for record in &here {
            for rule in &rules {
                rule(ctx, record, here.len(), &mut out);
            }
        }
        out
    })
}

/// Reports as `code` each term of `record` that `pick` names: `pick` gives what the
/// term does (the message goes on from "SPF record of `owner`") and the label under it.
/// For the rules that judge one term at a time.
pub fn report_terms(
    ctx: &ZoneContext,
    record: &SpfRecord,
    (code, help): (&'static str, &'static str),
    pick: impl Fn(&Term) -> Option<(&'static str, &'static str)>,
    out: &mut Vec<crate::diagnostic::Diagnostic>,
) {
    let Ok(parsed) = &record.parsed else {
        return;
    };
    for t in &parsed.terms {
        let Some((what, label)) = pick(&t.term) else {
            continue;
        };
        let owner = ctx.zone.name(ctx.zone.records[record.record].owner);
        out.push(
            crate::diagnostic::Diagnostic::new(
                code,
                record.location(ctx.set, ctx.id, t.at.clone()),
                format!("SPF record of `{owner}` {what}"),
            )
            .with_owner(owner)
            .with_label(label)
            .with_help(help),
        );
    }
}

/// The findings of `code` from the shared pass (see [`findings`]).
pub fn take(ctx: &ZoneContext, code: &str, out: &mut Vec<crate::diagnostic::Diagnostic>) {
    crate::rules::take(ctx.spf_findings(), code, out);
}

/// The SPF record of `domain` in the set, read and parsed (the first, if several).
pub fn record_of(set: &ZoneSet, indices: &SetIndex, domain: &str) -> Option<(usize, SpfRecord)> {
    let (z, i) = crate::rules::mail::plan::spf_record(set, indices, domain)?;
    SpfRecord::read(set, (z, i)).map(|r| (z, r))
}

/// An error that makes the record a permerror for every sender, whatever the address:
/// several records at one name, a syntax error, more than 10 lookups however the
/// evaluation goes, an `include:` or `redirect=` of a domain of the set that has no SPF
/// record. The byte range is in the record's joined text.
pub struct Problem {
    pub at: std::ops::Range<usize>,
    pub message: String,
}

/// The static problems of `record` (owned by `owner`, absolute), given the other SPF
/// records of its name (`count` in all).
pub fn problems(
    set: &ZoneSet,
    indices: &SetIndex,
    owner: &str,
    record: &SpfRecord,
    count: usize,
) -> Vec<Problem> {
    let mut out = Vec::new();
    if count > 1 {
        out.push(Problem {
            at: 0..6,
            message: format!("`{owner}` has {count} SPF records; receivers return permerror when there is more than one (RFC 7208 §4.5)"),
        });
    }
    let parsed = match &record.parsed {
        Ok(p) => p,
        Err(e) => {
            out.push(Problem {
                at: e.at.clone(),
                message: e.message.clone(),
            });
            return out;
        }
    };
    let empty = HashMap::new();
    let dns = crate::rules::mail::dns::SetDns {
        set,
        indices,
        overlay: &empty,
    };
    let mut lookups = 0;
    let mut over = false;
    let mut seen = vec![owner.to_ascii_lowercase()];
    for t in &parsed.terms {
        let (cost, target) = match &t.term {
            Term::Directive(_, Mechanism::Include(d)) | Term::Redirect(d) => {
                let nested = if d.contains('%') {
                    0
                } else {
                    crate::spf::worst_case_lookups(&dns, d, 1, &mut seen)
                };
                (1 + nested, (!d.contains('%')).then_some(d))
            }
            Term::Directive(_, m) if m.looks_up() => (1, None),
            _ => (0, None),
        };
        lookups += cost;
        if lookups > 10 && !over {
            over = true;
            out.push(Problem {
                at: t.at.clone(),
                message: format!(
                    "with this term the record needs up to {lookups} DNS lookups; receivers stop at 10 and return permerror (RFC 7208 §4.6.4)"
                ),
            });
        }
        if let Some(d) = target {
            let absolute = if d.ends_with('.') {
                d.to_ascii_lowercase()
            } else {
                format!("{}.", d.to_ascii_lowercase())
            };
            let has_spf = match dns.txt(&absolute) {
                Lookup::Unknown => true,
                Lookup::Void => false,
                Lookup::Found(texts) => texts.iter().any(|t| crate::spf::is_spf(t)),
            };
            if !has_spf {
                out.push(Problem {
                    at: t.at.clone(),
                    message: format!("`{absolute}` has no SPF record: receivers return permerror when they reach this term (RFC 7208 §5.2, §6.1)"),
                });
            }
        }
    }
    out
}

/// The result a receiver computes for one outbound host's public address and one mail
/// domain of the inventory.
pub struct Evaluation {
    /// The host's index in the inventory.
    pub host: usize,
    pub domain: String,
    pub address: std::net::IpAddr,
    pub outcome: crate::spf::Outcome,
}

/// `check_host()` for every outbound host's public addresses and every mail domain of
/// the inventory, as the set stands.
pub fn evaluations(ctx: &crate::rules::mail::SetContext) -> Vec<Evaluation> {
    let empty = HashMap::new();
    let dns = crate::rules::mail::dns::SetDns {
        set: ctx.set,
        indices: ctx.indices,
        overlay: &empty,
    };
    let mut out = Vec::new();
    for (k, host) in ctx
        .inventory
        .hosts
        .iter()
        .enumerate()
        .filter(|(_, h)| h.outbound)
    {
        for (address, _) in ctx.public_addresses(host, true) {
            for domain in &ctx.inventory.domains {
                out.push(Evaluation {
                    host: k,
                    domain: domain.name.clone(),
                    address,
                    outcome: crate::spf::check_host(&dns, address, &domain.name, &host.helo),
                });
            }
        }
    }
    out
}

/// Where a result was decided: the deciding term of the record that decided it, or the
/// domain's record as a whole; `None` when the set holds no SPF record for either.
pub fn decided_at(
    ctx: &crate::rules::mail::SetContext,
    e: &Evaluation,
) -> Option<(Location, String, bool)> {
    if let Some(d) = &e.outcome.decided_by
        && let Some((z, r)) = record_of(ctx.set, ctx.indices, &d.domain)
    {
        let term = r
            .joined
            .as_str()
            .get(d.at.clone())
            .unwrap_or_default()
            .to_string();
        let static_problem = {
            let zone = &ctx.set.zones[z];
            let owner = zone.name(zone.records[r.record].owner);
            !problems(ctx.set, ctx.indices, &owner, &r, 1).is_empty()
        };
        return Some((r.location(ctx.set, z, d.at.clone()), term, static_problem));
    }
    let (z, r) = record_of(ctx.set, ctx.indices, &e.domain)?;
    let zone = &ctx.set.zones[z];
    let owner = zone.name(zone.records[r.record].owner);
    let static_problem = !problems(ctx.set, ctx.indices, &owner, &r, 1).is_empty();
    Some((
        zone.location(&zone.records[r.record]),
        String::new(),
        static_problem,
    ))
}

/// The lookups that led to a result, for a message: ` (after mx example.com, ...)`.
pub fn trail(outcome: &crate::spf::Outcome) -> String {
    if outcome.trail.is_empty() {
        String::new()
    } else {
        format!(" (after {})", outcome.trail.join(" → "))
    }
}
