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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
        // Labels are stored lowercase: no case folding needed.
        let mut labels = std::iter::once(id)
            .chain(names.ancestors(id))
            .map(|n| names.label(n));
        let first = labels.next()?;
        if !first.starts_with(b"_")
            && names.label(names.parent(id)?) != b"_domainkey"
            && names.label(names.parent(id)?) != b"_report"
        {
            return None;
        }
        let second = labels.next();
        let third = labels.next();
        Some(match (first, second, third) {
            (b"_dmarc", _, _) => Kind::Dmarc,
            (_, Some(b"_report"), Some(b"_dmarc")) => Kind::DmarcAuthorization,
            (_, Some(b"_domainkey"), _) if first != b"_domainkey" => Kind::Dkim,
            (b"_mta-sts", _, _) => Kind::MtaSts,
            (b"_smtp", Some(b"_tls"), _) => Kind::TlsRpt,
            _ => return None,
        })
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
    /// The joined text, decoded once.
    pub text: String,
    pub siblings: usize,
    /// The DKIM reading of the text, made once for the three DKIM rules.
    dkim: std::sync::OnceLock<(Vec<crate::policy::Problem>, Option<crate::policy::DkimKey>)>,
    /// The DMARC reading of the text, made once for the DMARC rules.
    dmarc: std::sync::OnceLock<(
        Vec<crate::policy::Problem>,
        Vec<crate::policy::ReportTarget>,
    )>,
}

impl PolicyRecord {
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The record read as a DKIM key record (see [`crate::policy::dkim`]).
    pub fn dkim(&self) -> &(Vec<crate::policy::Problem>, Option<crate::policy::DkimKey>) {
        self.dkim.get_or_init(|| crate::policy::dkim(&self.text))
    }

    /// The record read as a DMARC record (see [`crate::policy::dmarc`]); a consent to
    /// receive reports (RFC 7489 §7.1) is read as one.
    pub fn dmarc(
        &self,
    ) -> &(
        Vec<crate::policy::Problem>,
        Vec<crate::policy::ReportTarget>,
    ) {
        self.dmarc
            .get_or_init(|| crate::policy::dmarc(&self.text, self.kind == Kind::DmarcAuthorization))
    }

    pub fn location(&self, ctx: &ZoneContext, range: std::ops::Range<usize>) -> Location {
        Location {
            source: ctx.zone.location(&ctx.zone.records[self.record]).source,
            span: self.joined.span(range),
        }
    }
}

/// A rule that looks at one policy record at a time (only at records of the kinds
/// [`RECORD_RULES`] gives it).
type RecordRule = fn(&ZoneContext, &PolicyRecord, &mut Vec<Diagnostic>);

/// The per-record policy rules, with the kinds of record each reads. They run in one
/// pass that reads each policy record from its file once, whichever of them are
/// enabled, and reads only the kinds the enabled ones need.
const RECORD_RULES: &[(&str, &[Kind], RecordRule)] = &[
    (
        "DMARC001",
        &[Kind::Dmarc, Kind::DmarcAuthorization],
        dmarc001_syntax::check_record,
    ),
    (
        "DMARC003",
        &[Kind::Dmarc],
        dmarc003_report_authorization::check_record,
    ),
    ("DKIM001", &[Kind::Dkim], dkim001_syntax::check_record),
    ("DKIM002", &[Kind::Dkim], dkim002_key::check_record),
    ("DKIM003", &[Kind::Dkim], dkim003_revoked::check_record),
    ("MTASTS001", &[Kind::MtaSts], mtasts001_syntax::check_record),
    ("TLSRPT001", &[Kind::TlsRpt], tlsrpt001_syntax::check_record),
];

/// The findings of every enabled per-record policy rule for the zone: one pass over the
/// names that hold policy records. Records at a policy name that do not start with the
/// kind's version (`v=DMARC1`, in any case) are not policy records — receivers skip
/// them; DKIM keys have no required version and all count.
pub fn findings(ctx: &ZoneContext) -> crate::rules::Findings {
    let enabled: Vec<&(&str, &[Kind], RecordRule)> = RECORD_RULES
        .iter()
        .filter(|(code, _, _)| ctx.selection.enabled(code))
        .collect();
    let rules: Vec<(&[Kind], RecordRule)> = enabled
        .iter()
        .map(|&&(_, kinds, rule)| (kinds, rule))
        .collect();
    let wanted = |kind: Kind| enabled.iter().any(|(_, kinds, _)| kinds.contains(&kind));
    let zone = ctx.zone;
    if rules.is_empty() {
        return crate::rules::Findings::default();
    }
    // Finding the policy records is one pass over the records in file order (owners
    // repeat on neighbouring lines, so a name's kind is worked out once per run of it).
    let mut candidates: Vec<(NameId, u32, Kind)> = Vec::new();
    let mut last: Option<(NameId, Option<Kind>)> = None;
    for (i, r) in zone.records.iter().enumerate() {
        if r.rtype != RType::TXT {
            continue;
        }
        let kind = match last {
            Some((owner, kind)) if owner == r.owner => kind,
            _ => Kind::of(&zone.names, r.owner).filter(|&k| wanted(k)),
        };
        last = Some((r.owner, kind));
        if let Some(kind) = kind {
            candidates.push((r.owner, i as u32, kind));
        }
    }
    crate::rules::pass_by_owner(ctx, candidates, |kind, records| {
        let mut out = Vec::new();
        let mut here: Vec<PolicyRecord> = records
            .into_iter()
            .filter_map(|(i, joined)| {
                let text = joined.as_str().into_owned();
                if let Some(v) = kind.version()
                    && !crate::policy::looks_like(&text, v)
                {
                    return None;
                }
                Some(PolicyRecord {
                    record: i,
                    kind,
                    joined,
                    text,
                    siblings: 0,
                    dkim: std::sync::OnceLock::new(),
                    dmarc: std::sync::OnceLock::new(),
                })
            })
            .collect();
        let n = here.len();
        for p in &mut here {
            p.siblings = n;
        }
        for p in &here {
            for (kinds, rule) in &rules {
                if kinds.contains(&p.kind) {
                    rule(ctx, p, &mut out);
                }
            }
        }
        out
    })
}

/// The findings of `code` from the shared pass (see [`findings`]).
pub fn take(ctx: &ZoneContext, code: &str, out: &mut Vec<Diagnostic>) {
    crate::rules::take(ctx.policy_findings(), code, out);
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

/// Reports `problems`, the syntax problems of `p`, as `code`, and several records of
/// its kind at one name.
pub fn report_syntax(
    ctx: &ZoneContext,
    p: &PolicyRecord,
    out: &mut Vec<Diagnostic>,
    (code, what): (&'static str, &str),
    problems: &[crate::policy::Problem],
) {
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
    for problem in problems {
        out.push(diagnostic(ctx, code, p, problem, what).with_label("here"));
    }
}
