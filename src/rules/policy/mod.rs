//! Rules for the mail policy records besides SPF: DMARC, DKIM keys, MTA-STS, TLSRPT
//! (TXT tag lists, read by [`crate::policy`]) and DANE TLSA records for SMTP.

pub mod dane001_fields;
pub mod dane002_some_mx_only;
pub mod dane003_unsigned_zone;
pub mod dane004_pkix_usage;
pub mod dkim001_syntax;
pub mod dkim002_key;
pub mod dkim003_revoked;
pub mod dmarc001_syntax;
pub mod dmarc002_missing;
pub mod dmarc003_report_authorization;
pub mod mtasts001_syntax;
pub mod tlsrpt001_syntax;

use crate::diagnostic::{Diagnostic, Location};
use crate::model::NameId;
use crate::rr::RType;
use crate::rules::ZoneContext;
use crate::rules::rdata_text::Joined;

/// Which policy a TXT record's owner name says it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `_dmarc.<domain>`.
    Dmarc,
    /// `<domain>._report._dmarc.<other>`: the consent to receive another domain's
    /// reports (RFC 7489 §7.1).
    DmarcAuthorization,
    /// `<selector>._domainkey.<domain>`.
    Dkim,
    /// `_mta-sts.<domain>`.
    MtaSts,
    /// `_smtp._tls.<domain>`.
    TlsRpt,
}

impl Kind {
    /// The kind of policy the name `id` holds, from its labels.
    pub fn of(names: &crate::model::NameTable, id: NameId) -> Option<Kind> {
        let mut labels = std::iter::once(id)
            .chain(names.ancestors(id))
            .map(|n| names.label(n).to_ascii_lowercase());
        let first = labels.next()?;
        let second = labels.next();
        let third = labels.next();
        Some(
            match (first.as_slice(), second.as_deref(), third.as_deref()) {
                (b"_dmarc", _, _) => Kind::Dmarc,
                (_, Some(b"_report"), Some(b"_dmarc")) => Kind::DmarcAuthorization,
                (_, Some(b"_domainkey"), _) if first != b"_domainkey" => Kind::Dkim,
                (b"_mta-sts", _, _) => Kind::MtaSts,
                (b"_smtp", Some(b"_tls"), _) => Kind::TlsRpt,
                _ => return None,
            },
        )
    }

    /// The version tag value records of this kind start with, if they have one.
    fn version(self) -> Option<&'static str> {
        match self {
            Kind::Dmarc | Kind::DmarcAuthorization => Some("DMARC1"),
            Kind::Dkim => None,
            Kind::MtaSts => Some("STSv1"),
            Kind::TlsRpt => Some("TLSRPTv1"),
        }
    }
}

/// One policy TXT record of a zone: its kind, joined text, and how many records of the
/// same kind share its owner (receivers refuse to choose between several).
pub struct PolicyRecord {
    pub record: usize,
    pub kind: Kind,
    pub joined: Joined,
    pub siblings: usize,
}

impl PolicyRecord {
    pub fn text(&self) -> String {
        self.joined.as_str().into_owned()
    }

    pub fn location(&self, ctx: &ZoneContext, range: std::ops::Range<usize>) -> Location {
        Location {
            source: ctx.zone.location(&ctx.zone.records[self.record]).source,
            span: self.joined.span(range),
        }
    }
}

/// The zone's policy TXT records. Records at a policy name that do not start with the
/// kind's version (`v=DMARC1`, in any case) are not policy records — receivers skip
/// them — and are left out; DKIM keys have no required version and all count.
pub fn records(ctx: &ZoneContext) -> Vec<PolicyRecord> {
    let zone = ctx.zone;
    let mut out: Vec<PolicyRecord> = Vec::new();
    for (i, r) in zone.records.iter().enumerate() {
        if r.rtype != RType::TXT {
            continue;
        }
        let Some(kind) = Kind::of(&zone.names, r.owner) else {
            continue;
        };
        let Some(joined) = crate::rules::rdata_text::joined(ctx.set, zone, r) else {
            continue;
        };
        if let Some(v) = kind.version()
            && !crate::policy::looks_like(&joined.as_str(), v)
        {
            continue;
        }
        out.push(PolicyRecord {
            record: i,
            kind,
            joined,
            siblings: 0,
        });
    }
    for k in 0..out.len() {
        let owner = zone.records[out[k].record].owner;
        let kind = out[k].kind;
        out[k].siblings = out
            .iter()
            .filter(|p| p.kind == kind && zone.records[p.record].owner == owner)
            .count();
    }
    out
}

/// A problem of a policy record as a diagnostic of `code`.
pub fn diagnostic(
    ctx: &ZoneContext,
    code: &'static str,
    p: &PolicyRecord,
    problem: &crate::policy::Problem,
    what: &str,
) -> Diagnostic {
    let owner = ctx.zone.name(ctx.zone.records[p.record].owner);
    Diagnostic::new(
        code,
        p.location(ctx, problem.at.clone()),
        format!("{what} at `{owner}`: {}", problem.message),
    )
    .with_owner(owner)
}

/// Reports the syntax problems `check` finds in the zone's records of `kind` as `code`,
/// and several records of the kind at one name.
pub fn report_syntax(
    ctx: &ZoneContext,
    out: &mut Vec<Diagnostic>,
    code: &'static str,
    kinds: &[Kind],
    what: &str,
    check: impl Fn(&PolicyRecord, &str) -> Vec<crate::policy::Problem>,
) {
    for p in ctx
        .policy_records()
        .iter()
        .filter(|p| kinds.contains(&p.kind))
    {
        let text = p.text();
        if p.siblings > 1 && p.kind != Kind::Dkim {
            let problem = crate::policy::Problem {
                level: crate::policy::Level::Error,
                at: 0..text.len(),
                message: format!(
                    "{} records of this kind at one name; receivers then use none",
                    p.siblings
                ),
            };
            out.push(diagnostic(ctx, code, p, &problem, what).with_label("one of several"));
        }
        for problem in check(p, &text) {
            out.push(diagnostic(ctx, code, p, &problem, what).with_label("here"));
        }
    }
}
