use crate::diagnostic::Diagnostic;
use crate::model::bits::BitSet;
use crate::model::names::NameTable;
use crate::model::zone::Record;
use crate::model::{NameId, RecordData};
use crate::rr::RType;
use crate::rules::{ZoneContext, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports an NS, MX or SRV target, the target of an SVCB/HTTPS record in ServiceMode
    /// (priority above 0), and the target of a PTR in a reverse zone, that is not a host
    /// name: a label with a character other than a letter, a
    /// digit or a hyphen, or one that starts or ends with a hyphen. The root (`.`, a null
    /// MX or an SRV "no service") is fine, and so are the DNS-SD browse PTRs of RFC 6763
    /// §11 (`b`, `db`, `r`, `dr`, `lb` under `_dns-sd._udp`). Owner names are not
    /// checked: `_` is at home there (`_dmarc`, `_sip._tcp`).
    ///
    /// ## Why is this bad?
    /// These names must be host names that resolve to addresses. BIND's `check-names`,
    /// whose default for a primary zone is `fail`, refuses to load a zone with one that
    /// is not; mail and resolver software may refuse the name too.
    ///
    /// ## Example
    /// ```text
    /// @   IN MX  10 mail_1
    /// 25  IN PTR mail_server.example.com.
    /// ```
    /// Use instead:
    /// ```text
    /// @   IN MX  10 mail-1
    /// 25  IN PTR mail-server.example.com.
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: renaming a host is yours to decide.
    ///
    /// ## References
    /// RFC 952; RFC 1123 §2.1 (host names); RFC 2181 §11; RFC 6763 §11; BIND 9 ARM,
    /// `check-names`.
    ZONE014, "ZONE014", Error, None, "target is not a host name (BIND's check-names)"
}

/// The first label of `id` that is not a host name label, if any. `host_names` marks
/// the names already found to be host names, labels above included: targets share
/// their suffixes, so each label is looked at about once.
fn bad_label(names: &NameTable, id: NameId, host_names: &mut BitSet) -> Option<String> {
    let mut walked = 0;
    for n in std::iter::once(id).chain(names.ancestors(id)) {
        if n == NameId::ROOT || host_names.contains(n.0 as usize) {
            break;
        }
        let label = names.label(n);
        if !is_host_label(label) {
            return Some(String::from_utf8_lossy(label).into_owned());
        }
        walked += 1;
    }
    for n in std::iter::once(id).chain(names.ancestors(id)).take(walked) {
        host_names.insert(n.0 as usize);
    }
    None
}

/// Letters and digits, with hyphens only inside (RFC 952 as RFC 1123 §2.1 relaxed it).
pub fn is_host_label(label: &[u8]) -> bool {
    let n = label.len();
    n > 0
        && label
            .iter()
            .enumerate()
            .all(|(i, &b)| b.is_ascii_alphanumeric() || (b == b'-' && i != 0 && i != n - 1))
}

/// Whether a PTR owner is one of the DNS-SD browse names of RFC 6763 §11.
fn is_browse_name(names: &NameTable, owner: NameId) -> bool {
    let mut up = std::iter::once(owner)
        .chain(names.ancestors(owner))
        .map(|n| names.label(n));
    matches!(up.next(), Some(b"b" | b"db" | b"r" | b"dr" | b"lb"))
        && up.next() == Some(b"_dns-sd")
        && up.next() == Some(b"_udp")
}

pub fn check(ctx: &ZoneContext, out: &mut Vec<Diagnostic>) {
    let zone = ctx.zone;
    let reverse = crate::rules::ptr::zone_prefix(ctx).is_some();
    let mut report = |r: &Record, what: &str, shown: String, label: String| {
        out.push(
            Diagnostic::new(
                "ZONE014",
                zone.location(r),
                format!("{what} `{shown}` is not a host name: its label `{label}` has a character other than a letter, digit or inner hyphen"),
            )
            .with_owner(zone.name(r.owner))
            .with_label("not a host name")
            .with_help("use letters, digits and hyphens only (BIND refuses this zone with its default `check-names fail`)"),
        );
    };
    // What each target is, as an index into WHAT.
    const WHAT: [&str; 4] = ["NS target", "PTR target", "MX exchange", "SRV target"];
    let target_of = |r: &Record| -> Option<(usize, NameId)> {
        match (r.rtype, r.data()) {
            (RType::NS, RecordData::Name(t)) => Some((0, t)),
            (RType::PTR, RecordData::Name(t))
                if reverse && !is_browse_name(&zone.names, r.owner) =>
            {
                Some((1, t))
            }
            (_, RecordData::Mx(k)) => Some((2, zone.mx[k as usize].1)),
            (_, RecordData::Srv(k)) => Some((3, zone.srv[k as usize].target)),
            _ => None,
        }
    };
    // Targets are checked in name order, not record order: a large zone's names do not
    // fit in the cache, and ids in order read the name table front to back. The
    // targets are marked in a set of one bit per name, and only the records of a bad
    // one (there are seldom any) are looked for again.
    let mut targets = BitSet::with_len(zone.names.len());
    for r in &zone.records {
        if let Some((_, target)) = target_of(r) {
            targets.insert(target.0 as usize);
            continue;
        }
        if !matches!(r.rtype, RType::SVCB | RType::HTTPS) {
            continue;
        }
        // Kept only as a hash: read the TargetName from the file.
        let Some(fields) = crate::rules::rdata_text::fields(ctx.set, zone, r) else {
            continue;
        };
        let Some(target) = fields.get(1) else {
            continue;
        };
        // In AliasMode (priority 0) the target names another SVCB RRset, which may well
        // start with `_port._scheme`: only ServiceMode targets are hosts.
        if fields.first().is_some_and(|p| p == b"0") {
            continue;
        }
        let mut labels = crate::model::names::LabelBuf::default();
        if target == b"." || labels.parse(target).is_err() {
            continue;
        }
        if let Some(l) = labels.iter_from_root().find(|l| !is_host_label(l)) {
            let label = String::from_utf8_lossy(l).into_owned();
            report(
                r,
                "SVCB TargetName",
                String::from_utf8_lossy(target).into_owned(),
                label,
            );
        }
    }
    let mut host_names = BitSet::with_len(zone.names.len());
    let mut bad = BitSet::with_len(zone.names.len());
    for target in targets.iter() {
        if bad_label(&zone.names, NameId(target as u32), &mut host_names).is_some() {
            bad.insert(target);
        }
    }
    if bad.is_empty() {
        return;
    }
    for r in &zone.records {
        if let Some((what, target)) = target_of(r).filter(|&(_, t)| bad.contains(t.0 as usize))
            && let Some(label) = bad_label(&zone.names, target, &mut host_names)
        {
            report(r, WHAT[what], zone.name(target), label);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_name_labels() {
        for ok in [&b"mail"[..], b"mail-1", b"1a", b"xn--bcher-kva", b"a"] {
            assert!(is_host_label(ok), "{}", String::from_utf8_lossy(ok));
        }
        for bad in [&b"mail_1"[..], b"-a", b"a-", b"*", b"!@#3", b"", b"a b"] {
            assert!(!is_host_label(bad), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn names_sharing_a_checked_suffix_are_still_checked_label_by_label() {
        let mut t = NameTable::new();
        let names = [
            "mail.example.com.",
            "x.bad_label.example.com.",
            "y.bad_label.example.com.",
            "bad_leaf.example.com.",
            "ok.example.com.",
            "z.ok.example.com.",
            "a-.ok.example.com.",
        ];
        let ids: Vec<NameId> = names
            .iter()
            .map(|n| t.intern_text(n, NameId::ROOT).unwrap())
            .collect();
        let mut host_names = BitSet::with_len(t.len());
        let found: Vec<Option<String>> = ids
            .iter()
            .map(|&id| bad_label(&t, id, &mut host_names))
            .collect();
        let expected = [
            None,
            Some("bad_label"),
            Some("bad_label"),
            Some("bad_leaf"),
            None,
            None,
            Some("a-"),
        ];
        assert_eq!(found, expected.map(|e| e.map(String::from)));
        // Only names found to be host names are remembered as such.
        let remembered = |n: &str| host_names.contains(t.find_text(n).unwrap().0 as usize);
        assert!(remembered("mail.example.com.") && remembered("example.com."));
        assert!(!remembered("bad_label.example.com.") && !remembered("x.bad_label.example.com."));
    }

    #[test]
    fn browse_names() {
        let mut t = NameTable::new();
        let id = |t: &mut NameTable, s: &str| t.intern_text(s, NameId::ROOT).unwrap();
        let yes = id(&mut t, "lb._dns-sd._udp.0.0.0.0.in-addr.arpa.");
        assert!(is_browse_name(&t, yes));
        for no in ["b._fail._udp.x.", "lb._dns-sd._tcp.x.", "c._dns-sd._udp.x."] {
            let n = id(&mut t, no);
            assert!(!is_browse_name(&t, n), "{no}");
        }
    }
}
