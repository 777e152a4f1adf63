//! zonelint against other projects' zone files (../shared/corpus, never copied here).
//! Each test skips with a message when the corpus is absent.

use crate::common::{Finding, check_with, corpus};
use std::collections::BTreeMap;
use std::path::Path;

/// The origin each source project loads a file with, where the file does not say.
fn origin_for(rel: &str) -> Option<&'static str> {
    Some(match rel {
        "bind9-checkzone/zone1.db" => "zone1.com.",
        "bind9-checkzone/test1.db" => "test.",
        "bind9-checkzone/good-dns-sd-reverse.db" => "0.0.0.0.in-addr.arpa.",
        "bind9-checkzone/ns-address-below-dname.db"
        | "bind9-checkzone/delegating-ns-address-below-dname.db" => "example.com.",
        "bind9-checkzone/crashzone.db" => "dyn.example.net.",
        r if r.starts_with("bind9-checkzone/") => "example.",
        r if r.starts_with("knot-semcheck/") => "example.com.",
        r if r.starts_with("knot-zscanner/") => ".",
        "nsd/bug144_loc_defaults.zone" | "nsd/cname_soa.zone" => "example.com.",
        "nsd/dname_below.zone" => "example.",
        "fedora-bind-packaging/named.localhost" => "localhost.",
        "fedora-bind-packaging/named.loopback" => "1.0.0.127.in-addr.arpa.",
        "hickory-dns/default/127.0.0.1.zone" => "0.0.127.in-addr.arpa.",
        "hickory-dns/default/255.zone" => "255.in-addr.arpa.",
        "hickory-dns/default/implicitclass.zone" => "implicitclass.",
        "hickory-dns/default/nonewline.zone" => "nonewline.",
        "hickory-dns/default/root.zone" => ".",
        "ldns/14-read-zone.db" => "miek.nl.",
        "dnspython/example" => "example.",
        _ => return None,
    })
}

struct Entry {
    rel: String,
    note: String,
}

fn manifest(dir: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.md")).unwrap();
    text.lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cols: Vec<&str> = l.split('|').map(str::trim).collect();
            Entry {
                rel: cols[1].trim_matches('`').to_string(),
                note: cols[5].to_string(),
            }
        })
        .collect()
}

/// Runs zonelint on one corpus file as its source project loads it.
fn run(dir: &Path, rel: &str, preview: bool) -> Vec<Finding> {
    let path = dir.join(rel);
    let include_base = dir.join("nsd/include_rel");
    // BIND's tests include "zones/inherit.db" relative to a directory holding zones/.
    let bind_base = tempfile::tempdir().unwrap();
    let base = if rel.contains("inherit") {
        std::os::unix::fs::symlink(dir.join("bind9-checkzone"), bind_base.path().join("zones"))
            .unwrap();
        bind_base.path().to_path_buf()
    } else {
        include_base
    };
    check_with(&[(&path, origin_for(rel))], Some(&base), preview).findings()
}

fn syntax(findings: &[Finding]) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.code.starts_with("SYN") || f.code == "LOAD001")
        .collect()
}

/// Syntax findings on files their source project loads that are deliberate: another
/// server rejects the same text, and the reason is given.
const DELIBERATE: &[(&str, usize, &str, &str)] = &[
    (
        "dnspython/example",
        225,
        "SYN002",
        "NSEC3 owner `nsec301` is not a base32hex hash; BIND refuses it (check-names), dnspython does not look",
    ),
    (
        "dnspython/example",
        226,
        "SYN002",
        "NSEC3 owner `nsec302`, as above",
    ),
];

/// Files the source project loads: no SYN finding, except the deliberate ones.
#[test]
fn good_files_have_no_syntax_findings() {
    let Some(dir) = corpus() else { return };
    let mut checked = 0;
    for e in manifest(&dir) {
        let loads = e.note.starts_with("good")
            || e.note.starts_with("warn")
            || e.note.starts_with("loads;");
        if !loads {
            continue;
        }
        let findings = run(&dir, &e.rel, false);
        let mut syn = syntax(&findings);
        syn.retain(|f| {
            !DELIBERATE
                .iter()
                .any(|(rel, line, code, _)| *rel == e.rel && f.line == *line && f.code == *code)
        });
        assert!(
            syn.is_empty(),
            "{} loads in its source project but zonelint reports {syn:#?}",
            e.rel
        );
        checked += 1;
    }
    assert!(
        checked >= 40,
        "only {checked} good files found in the manifest"
    );
}

/// Bad files: an error-severity finding, with the code that names the problem. The
/// problems zonelint does not check yet are listed with the reason.
#[test]
fn bad_files_give_the_expected_error() {
    let Some(dir) = corpus() else { return };
    let expected: &[(&str, &str)] = &[
        ("bind9-checkzone/bad-cname-and-brid.db", "ZONE004"),
        ("bind9-checkzone/bad-cname-and-openpgpkey.db", "ZONE004"),
        ("bind9-checkzone/bad-dhcid.db", "SYN005"),
        ("bind9-checkzone/bad-eid.db", "SYN005"),
        ("bind9-checkzone/bad-nimloc.db", "SYN005"),
        ("bind9-checkzone/bad-nsap-odd-nibble.db", "SYN005"),
        ("bind9-checkzone/bad-nsec3-padded.db", "SYN005"),
        ("bind9-checkzone/bad-tkey.db", "SYN008"),
        ("bind9-checkzone/bad-unspec.db", "SYN005"),
        ("bind9-checkzone/bad3.db", "SYN009"),
        ("bind9-checkzone/badttl.db", "SYN006"),
        ("bind9-checkzone/ns-address-below-dname.db", "ZONE008"),
        ("knot-semcheck/cname_multiple.zone", "ZONE005"),
        ("knot-semcheck/dname_extra_ns.zone", "ZONE003"),
        ("knot-semcheck/glue_apex_both.missing", "ZONE008"),
        ("knot-semcheck/glue_besides.missing", "ZONE008"),
        ("knot-semcheck/glue_in_apex.missing", "ZONE008"),
        ("knot-semcheck/soa.multiple", "ZONE001"),
        ("knot-zscanner/04-4_ORIGIN.in", "SYN006"),
        ("knot-zscanner/05-1_TTL.in", "SYN003"),
        ("knot-zscanner/07-1-rdata.in", "SYN005"),
        ("nsd/bug077_dname_length.zone", "SYN002"),
        ("nsd/bug107_bad_hex_3597.zone", "SYN005"),
        ("nsd/cname_soa.zone", "ZONE004"),
        ("nsd/dname_below.zone", "ZONE010"),
        ("bind9-checkzone/bad-cdnskey.db", "ZONE015"),
        ("bind9-checkzone/bad-svcb-servername.db", "ZONE014"),
        ("knot-semcheck/ds_apex.zone", "ZONE012"),
        ("knot-semcheck/cdnskey.delete.invalid.cds", "ZONE015"),
    ];
    for (rel, code) in expected {
        let findings = run(&dir, rel, true);
        assert!(
            findings
                .iter()
                .any(|f| f.code == *code && f.severity != "info"),
            "{rel}: expected {code}, got {findings:#?}"
        );
        if code.starts_with("SYN") {
            assert!(
                findings.iter().any(|f| f.severity == "error"),
                "{rel}: syntax problem must be an error"
            );
        }
    }
    // Known gaps: rejected by their source project for reasons zonelint does not check
    // yet. Findings of the existing areas (structure, MX, PTR) on them are unrelated;
    // an error from any other area means a check for the gap arrived, and the assertion
    // fails so the file moves to `expected`.
    let gaps: &[(&str, &str)] = &[
        (
            "bind9-checkzone/bad-rpz-prefix.db",
            "RPZ owner-name encoding of IP prefixes",
        ),
        (
            "knot-semcheck/nsec3.short.zone",
            "wire-format length of NSEC3 given as generic RDATA",
        ),
    ];
    for (rel, why) in gaps {
        let findings = run(&dir, rel, false);
        let errors: Vec<_> = findings
            .iter()
            .filter(|f| {
                f.severity == "error"
                    && !["ZONE", "MX", "PTR", "REV"]
                        .iter()
                        .any(|area| f.code.starts_with(area))
            })
            .collect();
        assert!(
            errors.is_empty(),
            "{rel} is listed as a gap ({why}) but now reports {errors:#?}: move it to `expected`"
        );
    }
}

#[test]
fn crashzone_gives_findings_not_a_crash() {
    let Some(dir) = corpus() else { return };
    let findings = run(&dir, "bind9-checkzone/crashzone.db", false);
    assert!(!findings.is_empty());
}

/// Knot's scanner files: every entry under an `; OK` heading parses without a SYN
/// finding; every entry under `; KO` gives exactly one.
#[test]
fn knot_zscanner_ok_and_ko_sections() {
    let Some(dir) = corpus() else { return };
    // Entries where zonelint deliberately differs from Knot's scanner.
    let known_gaps: &[(&str, &str, &str)] = &[
        (
            "12_TXT.in",
            "1234\\0536\"",
            "a string over 255 octets: Knot splits it, BIND and NSD refuse it (RFC 1035 §3.3); zonelint reports SYN005",
        ),
        (
            "12_TXT.in",
            "1234\\053\\054\"",
            "the same with decimal escapes",
        ),
        (
            "01_owner.in",
            "&\tNS",
            "`&` in an owner: BIND and NSD accept it (RFC 1035 §5.1 allows any non-special character); Knot rejects it",
        ),
        (
            "01_owner.in",
            "\tNS\t@\t; Bad previous",
            "follows the `&` line, which zonelint accepts",
        ),
        (
            "01_owner.in",
            "@@\tNS",
            "`@@` is a literal label to BIND; Knot rejects it",
        ),
        (
            "59_CASE.in",
            "",
            "CASE (TYPE65333) is Knot's private test type; it has no IANA mnemonic",
        ),
        (
            "14_NS.in",
            "@\tNS\t&",
            "`&` in a name: accepted by BIND and NSD",
        ),
        ("14_NS.in", "@\tNS\t@@", "`@@` is a literal label to BIND"),
        ("14_NS.in", "@\tNS\ta,", "`,` in a name: accepted by BIND"),
        ("14_NS.in", "@\tNS\t,b", "`,` in a name: accepted by BIND"),
        (
            "12_TXT.in",
            "@\tTXT\t\"\"\"",
            "a string glued to the previous one: BIND reads two strings",
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let mut files: Vec<_> = std::fs::read_dir(dir.join("knot-zscanner"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "in"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut entries_checked = 0;
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut text = std::fs::read_to_string(&path).unwrap();
        let mut target = path.clone();
        if text.contains("@TMPDIR@") {
            text = text.replace("@TMPDIR@", &tmp.path().to_string_lossy());
            target = tmp.path().join(&name);
            std::fs::write(&target, &text).unwrap();
        }
        let run = check_with(
            &[(&target, Some("."))],
            Some(&dir.join("knot-zscanner")),
            false,
        );
        let mut per_line: BTreeMap<usize, usize> = BTreeMap::new();
        for f in run.findings() {
            if f.code.starts_with("SYN") && f.file.ends_with(&name) {
                *per_line.entry(f.line).or_default() += 1;
            }
        }
        for (section, start, end, first_line) in sections(&text) {
            if known_gaps.iter().any(|(f, needle, _)| {
                *f == name
                    && (first_line.starts_with(needle)
                        || (needle.len() > 8 && first_line.contains(needle)))
            }) {
                continue;
            }
            let count: usize = per_line.range(start..=end).map(|(_, n)| n).sum();
            let want = if section == "KO" { 1 } else { 0 };
            entries_checked += 1;
            if count != want && !(name == "00-0_general.in" && first_line.contains("((@))")) {
                failures.push(format!(
                    "{name}:{start} [{section}] {first_line:?}: {count} SYN finding(s), want {want}"
                ));
            }
        }
    }
    assert!(
        entries_checked > 150,
        "only {entries_checked} entries checked"
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Splits a Knot scanner file into entries (1-based first and last line), each with the
/// section (`OK`/`KO`) it sits under. Parentheses outside quotes and comments join lines.
fn sections(text: &str) -> Vec<(&'static str, usize, usize, String)> {
    let mut out = Vec::new();
    let mut section = "";
    let mut depth = 0i32;
    let mut current: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let trimmed = line.trim_start();
        if depth == 0 && trimmed.starts_with(';') {
            let upper = trimmed.to_ascii_uppercase();
            if upper.contains(" OK") {
                section = "OK";
            } else if upper.contains(" KO") {
                section = "KO";
            }
            continue;
        }
        if depth == 0 && (trimmed.is_empty() || trimmed.starts_with('$')) {
            continue;
        }
        if depth == 0 {
            current = Some((n, line.to_string()));
        }
        let mut quoted = false;
        let mut escaped = false;
        for c in line.chars() {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' => escaped = true,
                '"' => quoted = !quoted,
                ';' if !quoted => break,
                '(' if !quoted => depth += 1,
                ')' if !quoted => depth -= 1,
                _ => {}
            }
        }
        if depth <= 0 {
            depth = 0;
            if let Some((start, first)) = current.take()
                && !section.is_empty()
            {
                out.push((section, start, n, first));
            }
        }
    }
    out
}
