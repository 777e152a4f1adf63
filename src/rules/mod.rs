//! The rule table and the runner.
//!
//! Every code zonelint can emit is declared once, in the file that implements it, with
//! `declare_rule!`: its doc comment is the `zonelint explain CODE` text. [`RULES`] lists
//! them all; a test checks that codes are unique, well-formed and documented. A shipped
//! code is never renumbered or reused.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::index::{SetIndex, ZoneIndex};
use crate::model::zone::{Zone, ZoneSet};
use rayon::prelude::*;

pub mod conf;
pub mod edits;
pub mod lint;
pub mod load;
pub mod mail;
pub mod mx;
pub mod policy;
pub mod ptr;
pub mod rdata_text;
pub mod rev;
pub mod serial;
pub mod spf;
pub mod syntax;
pub mod zone;

/// Whether a rule's findings come with a fix (as ruff's `FIX_AVAILABILITY`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    /// No finding of the rule has a fix.
    None,
    /// Some findings have a fix (shown, or applied by `zonelint fix`).
    Sometimes,
    /// Every finding has a fix.
    Always,
}

impl FixAvailability {
    pub fn describe(self) -> &'static str {
        match self {
            FixAvailability::None => "no automatic fix",
            FixAvailability::Sometimes => "some findings have a fix (`zonelint check` shows it)",
            FixAvailability::Always => "every finding has a fix (`zonelint check` shows it)",
        }
    }
}

/// One entry of the rule table.
#[derive(Debug)]
pub struct RuleInfo {
    pub code: &'static str,
    pub severity: Severity,
    pub fix: FixAvailability,
    pub summary: &'static str,
    /// Off unless `--preview` (a rule no issue has made a default yet).
    pub preview: bool,
    /// The rule's documentation, in Markdown.
    pub doc: &'static str,
}

impl RuleInfo {
    /// The documentation with the one-space indent of doc comments removed.
    pub fn explanation(&self) -> String {
        self.doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }
}

/// Declares a rule: its doc comment, code, default severity, whether it fixes
/// ([`FixAvailability`]) and one-line summary.
macro_rules! declare_rule {
    ($(#[doc = $doc:expr])* $name:ident, $code:literal, $sev:ident, $fix:ident, $summary:literal $(, $preview:ident)?) => {
        $(#[doc = $doc])*
        pub const $name: crate::rules::RuleInfo = crate::rules::RuleInfo {
            code: $code,
            severity: crate::diagnostic::Severity::$sev,
            fix: crate::rules::FixAvailability::$fix,
            summary: $summary,
            preview: declare_rule!(@preview $($preview)?),
            doc: concat!($($doc, "\n"),*),
        };
    };
    (@preview preview) => { true };
    (@preview) => { false };
}
pub(crate) use declare_rule;

/// Every rule, in code order.
pub static RULES: &[RuleInfo] = &[
    conf::CONF001,
    load::LOAD001,
    load::LOAD002,
    lint::LINT001,
    lint::LINT002,
    syntax::SYN001,
    syntax::SYN002,
    syntax::SYN003,
    syntax::SYN004,
    syntax::SYN005,
    syntax::SYN006,
    syntax::SYN007,
    syntax::SYN008,
    syntax::SYN009,
    syntax::SYN010,
    syntax::SYN011,
    zone::zone001_soa::ZONE001,
    zone::zone002_apex_ns::ZONE002,
    zone::zone003_out_of_zone::ZONE003,
    zone::zone004_cname_and_other_data::ZONE004,
    zone::zone005_multiple_cnames::ZONE005,
    zone::zone006_duplicate_record::ZONE006,
    zone::zone007_ttl_mismatch::ZONE007,
    zone::zone008_ns_without_address::ZONE008,
    zone::zone009_ns_to_cname::ZONE009,
    zone::zone010_below_dname::ZONE010,
    zone::zone011_duplicate_origin::ZONE011,
    zone::zone012_ds_at_apex::ZONE012,
    zone::zone013_srv_target_is_cname::ZONE013,
    zone::zone014_target_not_host_name::ZONE014,
    zone::zone015_cds_without_dnskey::ZONE015,
    zone::zone016_no_default_ttl::ZONE016,
    mx::mx001_target_without_address::MX001,
    mx::mx002_target_is_cname::MX002,
    mx::mx003_address_literal::MX003,
    mx::mx004_null_mx::MX004,
    mx::mx005_private_target::MX005,
    ptr::ptr001_missing_ptr::PTR001,
    ptr::ptr002_target_without_address::PTR002,
    ptr::ptr003_fcrdns_mismatch::PTR003,
    ptr::ptr004_target_is_cname::PTR004,
    ptr::ptr005_owner_not_address::PTR005,
    ptr::ptr006_multiple_ptrs::PTR006,
    ptr::ptr007_missing_trailing_dot::PTR007,
    rev::rev001_classless_cname::REV001,
    serial::SERIAL001,
    mail::mail001_missing_ptr::MAIL001,
    mail::mail002_ptr_not_confirmed::MAIL002,
    mail::mail003_ptr_not_helo::MAIL003,
    mail::mail004_inside_address_published::MAIL004,
    mail::mail005_mx_differs::MAIL005,
    mail::mail006_generic_ptr::MAIL006,
    mail::mail007_domain_without_mail::MAIL007,
    mail::mail008_helo_not_resolving::MAIL008,
    mail::mail009_helo_not_public::MAIL009,
    mail::mail010_helo_unverifiable::MAIL010,
    spf::spf001_fail::SPF001,
    spf::spf002_softfail::SPF002,
    spf::spf003_permerror::SPF003,
    spf::spf004_permissive_all::SPF004,
    spf::spf005_ptr_mechanism::SPF005,
    spf::spf006_unverifiable::SPF006,
    policy::dmarc001_syntax::DMARC001,
    policy::dmarc002_missing::DMARC002,
    policy::dmarc003_report_authorization::DMARC003,
    policy::dkim001_syntax::DKIM001,
    policy::dkim002_key::DKIM002,
    policy::dkim003_revoked::DKIM003,
    policy::mtasts001_syntax::MTASTS001,
    policy::tlsrpt001_syntax::TLSRPT001,
    policy::dane001_fields::DANE001,
    policy::dane002_some_mx_only::DANE002,
    policy::dane003_unsigned_zone::DANE003,
    policy::dane004_pkix_usage::DANE004,
    mail::inv001_unchecked_address::INV001,
    mail::inv002_provider_ptr::INV002,
];

pub fn rule(code: &str) -> Option<&'static RuleInfo> {
    // Every finding asks for its rule by the rule's own code: the exact match is the
    // common case, and cheaper than folding case.
    RULES
        .iter()
        .find(|r| r.code == code)
        .or_else(|| RULES.iter().find(|r| r.code.eq_ignore_ascii_case(code)))
}

pub fn default_severity(code: &str) -> Severity {
    rule(code).map_or(Severity::Error, |r| r.severity)
}

/// A CNAME record found by a lookup, and the name it points to (for messages).
pub(crate) fn alias(
    set: &ZoneSet,
    (z, i): crate::model::index::RecordRef,
) -> (&Zone, &crate::model::Record, String) {
    let zone = &set.zones[z];
    let cname = &zone.records[i];
    let to = zone.target(cname).map(|t| zone.name(t)).unwrap_or_default();
    (zone, cname, to)
}

/// Addresses for a message: `192.0.2.1, 2001:db8::1`.
pub(crate) fn address_list(addresses: &[std::net::IpAddr]) -> String {
    addresses
        .iter()
        .map(|a| a.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a name resolved to, for a message: `has no address` or `resolves to ...`.
pub(crate) fn resolution(addresses: &[std::net::IpAddr]) -> String {
    if addresses.is_empty() {
        "has no address".to_string()
    } else {
        format!("resolves to {}", address_list(addresses))
    }
}

/// When every address a finding calls non-public is a documentation address (RFC 5737,
/// RFC 3849) and those count as non-public, a note saying so: examples and lab set-ups
/// use them for public addresses, and the finding would puzzle their author.
pub(crate) fn documentation_note(addresses: &[std::net::IpAddr], selection: &Selection) -> String {
    if selection.allow_doc_ranges
        || addresses.is_empty()
        || !addresses
            .iter()
            .all(|&a| crate::model::address::is_documentation(a))
    {
        return String::new();
    }
    let what = if addresses.len() == 1 {
        "a documentation address"
    } else {
        "documentation addresses"
    };
    format!(
        " ({what}, counted as non-public: pass `--allow-doc-ranges` if they stand for public ones)"
    )
}

/// Which rules run, and the settings that change what they consider right.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub preview: bool,
    /// Treat the documentation ranges (RFC 5737, RFC 3849) as public addresses.
    pub allow_doc_ranges: bool,
    /// Codes or prefixes that alone may run (`select`); `None`: every code.
    pub only: Option<Vec<String>>,
    /// Codes or prefixes that never run (`ignore`): an ignored rule costs nothing.
    pub skip: Vec<String>,
}

impl Selection {
    pub fn enabled(&self, code: &str) -> bool {
        let listed = |list: &[String]| list.iter().any(|p| code.starts_with(p.as_str()));
        rule(code).is_some_and(|r| !r.preview || self.preview)
            && self.only.as_deref().is_none_or(listed)
            && !listed(&self.skip)
    }
}

/// What a zone-level rule sees.
pub struct ZoneContext<'a> {
    /// The zone's position in [`ZoneSet::zones`].
    pub id: usize,
    pub zone: &'a Zone,
    pub index: &'a ZoneIndex,
    pub set: &'a ZoneSet,
    /// Indices of every zone, for rules that look across zones.
    pub indices: &'a SetIndex,
    pub selection: &'a Selection,
    /// The zone's PTR records and what their targets resolve to, worked out once for
    /// all the PTR rules.
    pub ptr_facts: std::sync::OnceLock<Vec<ptr::PtrFact>>,
    /// The zone's MX records with what their targets resolve to, for the MX rules.
    pub mx_facts: std::sync::OnceLock<Vec<mx::MxFact>>,
    /// The fixes planned for the inventory's mail hosts (empty without an inventory).
    pub plan: &'a mail::plan::MailPlan,
    /// The findings of the per-record SPF rules, made in one pass over the zone's SPF
    /// records.
    pub spf_findings: std::sync::OnceLock<std::sync::Mutex<Findings>>,
    /// The findings of the per-record policy rules (DMARC, DKIM, MTA-STS, TLSRPT), made
    /// in one pass over the zone's policy records.
    pub policy_findings: std::sync::OnceLock<std::sync::Mutex<Findings>>,
}

impl ZoneContext<'_> {
    /// The zone's address PTRs with their resolved targets (see [`ptr::facts`]).
    pub fn ptr_facts(&self) -> &[ptr::PtrFact] {
        self.ptr_facts.get_or_init(|| ptr::facts(self))
    }

    /// The zone's MX records with their resolved targets (see [`mx::facts`]).
    pub fn mx_facts(&self) -> &[mx::MxFact] {
        self.mx_facts.get_or_init(|| mx::facts(self))
    }

    /// The findings of the per-record SPF rules (see [`spf::findings`]).
    pub fn spf_findings(&self) -> &std::sync::Mutex<Findings> {
        self.spf_findings
            .get_or_init(|| std::sync::Mutex::new(spf::findings(self)))
    }

    /// The findings of the per-record policy rules (see [`policy::findings`]).
    pub fn policy_findings(&self) -> &std::sync::Mutex<Findings> {
        self.policy_findings
            .get_or_init(|| std::sync::Mutex::new(policy::findings(self)))
    }

    /// The addresses of resolved A/AAAA records.
    pub fn addresses(&self, records: &[crate::model::index::RecordRef]) -> Vec<std::net::IpAddr> {
        records
            .iter()
            .filter_map(|&(z, i)| self.set.zones[z].address(&self.set.zones[z].records[i]))
            .collect()
    }
}

type ZoneRule = fn(&ZoneContext, &mut Vec<Diagnostic>);

const ZONE_RULES: &[(&str, ZoneRule)] = &[
    ("ZONE001", zone::zone001_soa::check),
    ("ZONE002", zone::zone002_apex_ns::check),
    ("ZONE003", zone::zone003_out_of_zone::check),
    ("ZONE004", zone::zone004_cname_and_other_data::check),
    ("ZONE005", zone::zone005_multiple_cnames::check),
    ("ZONE006", zone::zone006_duplicate_record::check),
    ("ZONE007", zone::zone007_ttl_mismatch::check),
    ("ZONE008", zone::zone008_ns_without_address::check),
    ("ZONE009", zone::zone009_ns_to_cname::check),
    ("ZONE010", zone::zone010_below_dname::check),
    ("ZONE011", zone::zone011_duplicate_origin::check),
    ("ZONE012", zone::zone012_ds_at_apex::check),
    ("ZONE013", zone::zone013_srv_target_is_cname::check),
    ("ZONE014", zone::zone014_target_not_host_name::check),
    ("ZONE015", zone::zone015_cds_without_dnskey::check),
    ("ZONE016", zone::zone016_no_default_ttl::check),
    ("MX001", mx::mx001_target_without_address::check),
    ("MX002", mx::mx002_target_is_cname::check),
    ("MX003", mx::mx003_address_literal::check),
    ("MX004", mx::mx004_null_mx::check),
    ("MX005", mx::mx005_private_target::check),
    ("PTR001", ptr::ptr001_missing_ptr::check),
    ("PTR002", ptr::ptr002_target_without_address::check),
    ("PTR003", ptr::ptr003_fcrdns_mismatch::check),
    ("PTR004", ptr::ptr004_target_is_cname::check),
    ("PTR005", ptr::ptr005_owner_not_address::check),
    ("PTR006", ptr::ptr006_multiple_ptrs::check),
    ("PTR007", ptr::ptr007_missing_trailing_dot::check),
    ("REV001", rev::rev001_classless_cname::check),
    ("SPF003", spf::spf003_permerror::check),
    ("SPF004", spf::spf004_permissive_all::check),
    ("SPF005", spf::spf005_ptr_mechanism::check),
    ("DMARC001", policy::dmarc001_syntax::check),
    ("DMARC003", policy::dmarc003_report_authorization::check),
    ("DKIM001", policy::dkim001_syntax::check),
    ("DKIM002", policy::dkim002_key::check),
    ("DKIM003", policy::dkim003_revoked::check),
    ("MTASTS001", policy::mtasts001_syntax::check),
    ("TLSRPT001", policy::tlsrpt001_syntax::check),
    ("DANE001", policy::dane001_fields::check),
    ("DANE002", policy::dane002_some_mx_only::check),
    ("DANE003", policy::dane003_unsigned_zone::check),
    ("DANE004", policy::dane004_pkix_usage::check),
];

/// Runs every enabled rule over the zone set. Zones are independent, so they run in
/// parallel; the caller sorts the result.
pub fn run(set: &ZoneSet, selection: &Selection) -> Vec<Diagnostic> {
    run_timed(
        set,
        selection,
        Vec::new(),
        &mut crate::timings::Stopwatch::new(),
    )
}

/// The family of a code: its letters (`MAIL` for `MAIL004`).
fn family(code: &str) -> &str {
    code.trim_end_matches(|c: char| c.is_ascii_digit())
}

/// A context for each zone of the set whose origin is known (the rules check no other),
/// with no fact worked out yet.
pub(crate) fn zone_contexts<'a>(
    set: &'a ZoneSet,
    indices: &'a SetIndex,
    selection: &'a Selection,
    plan: &'a mail::plan::MailPlan,
) -> Vec<ZoneContext<'a>> {
    set.zones
        .iter()
        .zip(&indices.zones)
        .enumerate()
        .filter(|(_, (z, _))| z.origin_source.is_known())
        .map(|(id, (zone, index))| ZoneContext {
            id,
            zone,
            index,
            set,
            indices,
            selection,
            ptr_facts: std::sync::OnceLock::new(),
            mx_facts: std::sync::OnceLock::new(),
            plan,
            spf_findings: std::sync::OnceLock::new(),
            policy_findings: std::sync::OnceLock::new(),
        })
        .collect()
}

/// [`run`], lapping `watch` for the index, the mail plan, and each rule family (CPU
/// time summed over the zones and threads that ran it). The findings `earlier` (the
/// loader's) are returned among the rules' ones.
pub fn run_timed(
    set: &ZoneSet,
    selection: &Selection,
    earlier: Vec<Diagnostic>,
    watch: &mut crate::timings::Stopwatch,
) -> Vec<Diagnostic> {
    let indices = SetIndex::build(set);
    watch.lap("index");
    let plan = mail::plan::MailPlan::build(set, &indices, selection.allow_doc_ranges);
    watch.lap("mail plan");
    let spent: std::sync::Mutex<std::collections::BTreeMap<&str, std::time::Duration>> =
        Default::default();
    let timed = |code: &'static str, f: &mut dyn FnMut()| {
        let start = std::time::Instant::now();
        f();
        let took = start.elapsed();
        if let Ok(mut m) = spent.lock() {
            *m.entry(family(code)).or_default() += took;
        }
    };
    let mut set_findings = Vec::new();
    if let Some((inventory, inventory_source)) = &set.inventory {
        let ctx = mail::SetContext {
            set,
            indices: &indices,
            plan: &plan,
            selection,
            inventory,
            inventory_source: *inventory_source,
        };
        for (code, rule) in mail::SET_RULES {
            if selection.enabled(code) {
                timed(code, &mut || rule(&ctx, &mut set_findings));
            }
        }
    }
    let contexts = zone_contexts(set, &indices, selection, &plan);
    // Each rule's findings stay in their own vector until all are made, and are then
    // gathered once (see [`concatenate`]).
    let run_rules = |waits_for: WaitsFor| -> Vec<Vec<Diagnostic>> {
        contexts
            .par_iter()
            .flat_map(|ctx| {
                ZONE_RULES
                    .par_iter()
                    .filter(|(code, _)| selection.enabled(code) && waits_for_of(code) == waits_for)
                    .map(|(code, rule)| {
                        let mut out = Vec::new();
                        timed(code, &mut || rule(ctx, &mut out));
                        debug_assert!(out.iter().all(|d| d.code == *code));
                        out
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    // The rules that read no shared fact run beside the facts, and the PTR rules as
    // soon as the PTR facts are there (see [`warm_shared_facts`]); the others once all
    // the facts are there.
    let (mut per_rule, ptr_rules) = warm_shared_facts(
        set,
        &indices,
        &contexts,
        selection,
        &timed,
        || run_rules(WaitsFor::Nothing),
        || run_rules(WaitsFor::PtrFacts),
    );
    per_rule.extend(ptr_rules);
    per_rule.extend(run_rules(WaitsFor::OtherFacts));
    // The facts and indices go back before the findings are gathered, which grows one
    // vector to hold them all: otherwise both are held at once, the run's peak.
    drop(contexts);
    drop(plan);
    drop(indices);
    watch.lap("rules (all families)");
    for (name, cpu) in spent.into_inner().unwrap_or_default() {
        watch.add_cpu(&format!("  rules: {name}"), cpu);
    }
    per_rule.push(set_findings);
    per_rule.push(earlier);
    concatenate(per_rule)
}

/// Which of the facts [`warm_shared_facts`] works out a zone rule reads, and so when it
/// can run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum WaitsFor {
    /// None: the zone's own structure, classless delegations. These run beside the
    /// facts.
    Nothing,
    /// The PTR facts (and the set's address join under them), and no other fact.
    PtrFacts,
    /// The MX, SPF or policy-record facts.
    OtherFacts,
}

fn waits_for_of(code: &str) -> WaitsFor {
    match family(code) {
        "ZONE" | "REV" => WaitsFor::Nothing,
        "PTR" => WaitsFor::PtrFacts,
        _ => WaitsFor::OtherFacts,
    }
}

/// Findings of a pass that several rules share, by code: each rule takes its own
/// ([`take`]).
pub type Findings = std::collections::HashMap<&'static str, Vec<Diagnostic>>;

/// Moves the findings of `code` out of a shared pass's `found` into `out`.
pub fn take(found: &std::sync::Mutex<Findings>, code: &str, out: &mut Vec<Diagnostic>) {
    // Each rule runs once per zone: its findings are moved out, not copied.
    let Ok(mut all) = found.lock() else {
        return;
    };
    if let Some(found) = all.remove(code) {
        hand_over(found, out);
    }
}

/// Adds `found` to `out`, moving the vector itself when `out` is empty (as a rule's own
/// vector is): the findings are not copied, nor held twice while they are.
pub fn hand_over(mut found: Vec<Diagnostic>, out: &mut Vec<Diagnostic>) {
    if out.is_empty() {
        std::mem::swap(out, &mut found);
    } else {
        out.append(&mut found);
    }
}

/// A pass over some of a zone's records that reads each from its file once, owner by
/// owner: `candidates` are (owner, record index, tag); the records of one owner are
/// handed together to `per_owner` with the tag of the first, as (record index, strings
/// joined), and its findings are gathered by code, in file order. The owners go in
/// batches, each read from the files in a few reads and checked by the thread that read
/// it, a few batches a core at a time: reading is not a step that one thread takes
/// while the others wait, and only the texts and findings of the batches in hand are
/// held beside the findings gathered.
pub fn pass_by_owner<K: Copy + Send + Sync>(
    ctx: &ZoneContext,
    mut candidates: Vec<(crate::model::NameId, u32, K)>,
    per_owner: impl Fn(K, Vec<(usize, rdata_text::Joined)>) -> Vec<Diagnostic> + Sync,
) -> Findings {
    const BATCH: usize = 256;
    const BATCHES_A_CORE: usize = 4;
    let zone = ctx.zone;
    candidates.sort_unstable_by_key(|&(owner, i, _)| (owner, i));
    let mut owners: Vec<&[(crate::model::NameId, u32, K)]> =
        candidates.chunk_by(|a, b| a.0 == b.0).collect();
    owners.sort_unstable_by_key(|o| o[0].1);
    let check_batch = |batch: &[&[(crate::model::NameId, u32, K)]]| {
        let indices: Vec<usize> = batch
            .iter()
            .flat_map(|o| o.iter().map(|&(_, i, _)| i as usize))
            .collect();
        let texts = rdata_text::read_many(ctx.set, zone, &indices);
        // Each owner's records are a stretch of `indices`.
        let mut next = 0;
        let mut found = Vec::new();
        for o in batch {
            let stretch = next..next + o.len();
            next = stretch.end;
            let records = stretch
                .filter_map(|k| {
                    let i = indices[k];
                    let joined = rdata_text::joined_from(texts.get(k)?, &zone.records[i])?;
                    Some((i, joined))
                })
                .collect();
            found.extend(per_owner(o[0].2, records));
        }
        found
    };
    let mut out = Findings::default();
    let wave = BATCH * BATCHES_A_CORE * rayon::current_num_threads();
    for owners in owners.chunks(wave) {
        let found: Vec<Vec<Diagnostic>> = owners.par_chunks(BATCH).map(check_batch).collect();
        for d in found.into_iter().flatten() {
            out.entry(d.code).or_default().push(d);
        }
    }
    out
}

/// The vectors' items in one vector, each moved once. The largest vector is grown to
/// the total and the others appended to it: a large vector grows in place (the
/// allocator remaps its pages), so its findings are neither copied nor held twice, as
/// they would be in a new vector of the total size.
fn concatenate<T>(mut parts: Vec<Vec<T>>) -> Vec<T> {
    let total = parts.iter().map(Vec::len).sum::<usize>();
    let Some(largest) = (0..parts.len()).max_by_key(|&k| parts[k].len()) else {
        return Vec::new();
    };
    let mut all = std::mem::take(&mut parts[largest]);
    all.reserve_exact(total - all.len());
    for mut part in parts {
        all.append(&mut part);
    }
    all
}

/// Works out the facts several rules share (the set's address join; each zone's PTR
/// facts, MX facts, SPF and policy findings) before any rule runs, each by one
/// task with every core free to help it, and the join beside the facts that do not
/// read it. Left to the rules, the first rule to ask would compute a fact while the
/// others asking waited, and a waiting thread is a core lost to the very work it waits
/// for. A fact is worked out when a family of rules that
/// reads it runs; a rule that asks for one not worked out here still gets it.
///
/// `beside` (work that reads none of the facts) runs after the facts that do not read
/// the address join, beside the join and the PTR facts, whose sorts and merges narrow
/// to one thread at their ends. `after_ptr` (work that reads the PTR facts and no
/// other) runs as soon as they are there, beside whatever is left of the rest: the
/// address join and the PTR facts take longest, and work that also waited for
/// everything else would run on alone at the end. Both results are returned.
fn warm_shared_facts<R: Send, Q: Send>(
    set: &ZoneSet,
    indices: &SetIndex,
    contexts: &[ZoneContext],
    selection: &Selection,
    timed: &(dyn Fn(&'static str, &mut dyn FnMut()) + Sync),
    beside: impl FnOnce() -> R + Send,
    after_ptr: impl FnOnce() -> Q + Send,
) -> (R, Q) {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Fact {
        Ptr,
        Mx,
        Spf,
        Policy,
    }
    let runs = |families: &[&str]| {
        RULES
            .iter()
            .any(|r| families.contains(&family(r.code)) && selection.enabled(r.code))
    };
    let facts: Vec<Fact> = [
        (Fact::Ptr, &["PTR"][..]),
        (Fact::Mx, &["MX", "DANE"]),
        (Fact::Spf, &["SPF"]),
        (Fact::Policy, &["DMARC", "DKIM", "MTASTS", "TLSRPT"]),
    ]
    .into_iter()
    .filter(|(_, families)| runs(families))
    .map(|(fact, _)| fact)
    .collect();
    let work_out = |fact: Fact| {
        if !facts.contains(&fact) {
            return;
        }
        contexts.par_iter().for_each(|ctx| match fact {
            Fact::Ptr => timed("PTR", &mut || {
                ctx.ptr_facts();
            }),
            Fact::Mx => timed("MX", &mut || {
                ctx.mx_facts();
            }),
            Fact::Spf => timed("SPF", &mut || {
                ctx.spf_findings();
            }),
            Fact::Policy => timed("policy records", &mut || {
                ctx.policy_findings();
            }),
        });
    };
    // The PTR facts read the set's address join; the others do not, and are worked
    // out beside it, so that the cores the join leaves idle (its sorts and merges
    // narrow to one thread at their ends) have work.
    let (after_ptr, beside) = rayon::join(
        || {
            // Without a reverse zone no PTR rule matches addresses to PTRs.
            if runs(&["PTR"]) && !set.reverse.is_empty() {
                timed("PTR", &mut || indices.prepare_address_join(set));
            }
            work_out(Fact::Ptr);
            after_ptr()
        },
        || {
            rayon::join(
                || work_out(Fact::Policy),
                || {
                    work_out(Fact::Spf);
                    work_out(Fact::Mx);
                },
            );
            beside()
        },
    );
    (beside, after_ptr)
}

#[cfg(test)]
mod tests {
    use super::concatenate;

    #[test]
    fn concatenation_keeps_every_item_once() {
        let parts = vec![vec![1, 2], vec![], vec![3, 4, 5, 6], vec![7]];
        let mut all = concatenate(parts);
        assert_eq!(all.len(), 7);
        assert_eq!(all.capacity(), 7, "grown to the exact total");
        // The largest part comes first (it is grown in place), the others in order.
        assert_eq!(all, [3, 4, 5, 6, 1, 2, 7]);
        all.sort_unstable();
        assert_eq!(all, [1, 2, 3, 4, 5, 6, 7]);
        assert!(concatenate::<u8>(Vec::new()).is_empty());
        assert!(concatenate::<u8>(vec![Vec::new(), Vec::new()]).is_empty());
    }
}
