//! `zonelint generate ptr`: zone, diff, csv and json output for IPv4, IPv6 and RFC 2317,
//! and the generated zones check clean.

use crate::common::zonelint;
use std::path::Path;

const FORWARD: &str = "$ORIGIN gen.example.\n$TTL 3600\n@ IN SOA ns1 hostmaster 2026010101 7200 3600 1209600 300\n@ IN NS ns1\n@ IN MX 10 mail\nns1 IN A 192.0.2.1\nmail IN A 192.0.2.25\nsmtp IN A 192.0.2.25\nmail IN AAAA 2001:db8:1::25\nweb 300 IN A 192.0.2.70\nweb IN AAAA 2001:db8:1::80\n";

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gen.example.zone"), FORWARD).unwrap();
    dir
}

fn findings(dir: &Path, paths: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["check", "--format", "json", "--allow-doc-ranges"];
    args.extend(paths);
    let out = zonelint(&args, dir);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["diagnostics"].as_array().unwrap().clone()
}

#[test]
fn zones_for_ipv4_and_ipv6_check_clean() {
    let dir = setup();
    let out = zonelint(
        &["generate", "ptr", "--out-dir", "rev", "gen.example.zone"],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v4 = std::fs::read_to_string(dir.path().join("rev/2.0.192.in-addr.arpa.zone")).unwrap();
    assert!(
        v4.contains("$ORIGIN 2.0.192.in-addr.arpa.")
            && v4.contains("25\tIN\tPTR\tmail.gen.example."),
        "{v4}"
    );
    assert!(
        v4.contains("70\t300\tIN\tPTR\tweb.gen.example."),
        "the A record's TTL is kept: {v4}"
    );
    assert!(
        v4.contains("2026112900"),
        "a fresh zone's serial is today: {v4}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "192.0.2.25 has several names; its PTR names `mail.gen.example.`, not smtp.gen.example."
        ),
        "{stderr}"
    );
    let v6 = std::fs::read_to_string(
        dir.path()
            .join("rev/0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.zone"),
    )
    .unwrap();
    assert!(
        v6.contains("5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0\tIN\tPTR\tmail.gen.example."),
        "{v6}"
    );
    let all = findings(dir.path(), &["gen.example.zone", "rev"]);
    let about_generated: Vec<_> = all
        .iter()
        .filter(|d| d["file"].as_str().unwrap().starts_with("rev/"))
        .collect();
    assert!(about_generated.is_empty(), "{about_generated:#?}");
    assert!(
        !all.iter().any(|d| d["code"] == "PTR001"),
        "every address now has its PTR: {all:#?}"
    );
}

#[test]
fn rfc2317_child_and_parent_cnames() {
    let dir = setup();
    let out = zonelint(
        &[
            "generate",
            "ptr",
            "--network",
            "192.0.2.64/26",
            "--rfc2317",
            "--out-dir",
            "rev",
            "gen.example.zone",
        ],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let child =
        std::fs::read_to_string(dir.path().join("rev/64-26.2.0.192.in-addr.arpa.zone")).unwrap();
    assert!(
        child.contains("$ORIGIN 64/26.2.0.192.in-addr.arpa.")
            && child.contains("70\t300\tIN\tPTR\tweb.gen.example."),
        "{child}"
    );
    assert!(
        !child.contains("mail.gen.example."),
        "only the /26: {child}"
    );
    let cnames =
        std::fs::read_to_string(dir.path().join("rev/2.0.192.in-addr.arpa.cnames")).unwrap();
    assert!(cnames.contains("70\tIN\tCNAME\t70.64/26"), "{cnames}");
    let all = findings(
        dir.path(),
        &["gen.example.zone", "rev/64-26.2.0.192.in-addr.arpa.zone"],
    );
    assert!(
        !all.iter()
            .any(|d| d["file"].as_str().unwrap().starts_with("rev/")),
        "{all:#?}"
    );
    let dash = zonelint(
        &[
            "generate",
            "ptr",
            "--network",
            "192.0.2.64/26",
            "--rfc2317",
            "--rfc2317-style",
            "dash",
            "gen.example.zone",
        ],
        dir.path(),
    );
    assert!(String::from_utf8_lossy(&dash.stdout).contains("$ORIGIN 64-26.2.0.192.in-addr.arpa."));
}

#[test]
fn csv_and_json_for_a_provider() {
    let dir = setup();
    let csv = zonelint(
        &[
            "generate",
            "ptr",
            "--format",
            "csv",
            "--network",
            "192.0.2.0/24",
            "gen.example.zone",
        ],
        dir.path(),
    );
    let text = String::from_utf8(csv.stdout).unwrap();
    assert_eq!(
        text,
        "address,ptr_name,ttl\n192.0.2.1,ns1.gen.example.,3600\n192.0.2.25,mail.gen.example.,3600\n192.0.2.70,web.gen.example.,300\n"
    );
    let json = zonelint(
        &["generate", "ptr", "--format", "json", "gen.example.zone"],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 5);
    assert!(list.iter().any(|e| e["address"] == "2001:db8:1::80"
        && e["ptr_name"] == "web.gen.example."
        && e["ttl"] == 3600));
}

#[test]
fn diff_adds_missing_and_corrects_wrong_ptrs() {
    let dir = setup();
    let reverse = "$ORIGIN 2.0.192.in-addr.arpa.\n$TTL 3600\n@ IN SOA ns1.gen.example. hostmaster.gen.example. 2026010101 7200 3600 1209600 300\n@ IN NS ns1.gen.example.\n1  IN PTR ns1.gen.example.\n70 IN PTR mail.gen.example.\n99 IN PTR manual.gen.example.\n";
    std::fs::write(dir.path().join("2.0.192.in-addr.arpa.zone"), reverse).unwrap();
    let out = zonelint(
        &[
            "generate",
            "ptr",
            "--format",
            "diff",
            "--network",
            "192.0.2.0/24",
            ".",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let patch = String::from_utf8(out.stdout).unwrap();
    assert!(
        patch.starts_with("--- a/2.0.192.in-addr.arpa.zone\n+++ b/2.0.192.in-addr.arpa.zone\n"),
        "{patch}"
    );
    assert!(patch.contains("+25 IN PTR mail.gen.example."), "{patch}");
    assert!(
        patch.contains("\n-70 IN PTR mail.gen.example.\n")
            && patch.contains("\n+70 IN PTR web.gen.example.\n"),
        "{patch}"
    );
    assert!(!patch.contains("-99"), "manual extras stay: {patch}");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("99.2.0.192.in-addr.arpa. (`manual.gen.example.`) is not called for")
    );
}

#[test]
fn a_parent_keeps_the_classless_child_the_set_delegates() {
    let dir = setup();
    let parent = "$ORIGIN 2.0.192.in-addr.arpa.\n$TTL 3600\n@ IN SOA ns1.gen.example. hostmaster.gen.example. 7 7200 3600 1209600 300\n@ IN NS ns1.gen.example.\n1 IN PTR ns1.gen.example.\n64/26 IN NS ns1.gen.example.\n70 IN CNAME 70.64/26\n";
    let child = "$ORIGIN 64/26.2.0.192.in-addr.arpa.\n$TTL 3600\n@ IN SOA ns1.gen.example. hostmaster.gen.example. 3 7200 3600 1209600 300\n@ IN NS ns1.gen.example.\n70 IN PTR web.gen.example.\n";
    std::fs::write(dir.path().join("2.0.192.in-addr.arpa.zone"), parent).unwrap();
    std::fs::write(dir.path().join("64-26.2.0.192.in-addr.arpa.zone"), child).unwrap();
    let out = zonelint(
        &[
            "generate",
            "ptr",
            "--allow-doc-ranges",
            "--network",
            "192.0.2.0/24",
            "--out-dir",
            "rev",
            ".",
        ],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written =
        std::fs::read_to_string(dir.path().join("rev/2.0.192.in-addr.arpa.zone")).unwrap();
    assert!(
        written.contains("64/26\tIN\tNS\tns1.gen.example."),
        "{written}"
    );
    assert!(
        written.contains("70\t300\tIN\tCNAME\t70.64/26"),
        "{written}"
    );
    assert!(!written.contains("PTR\tweb.gen.example."), "{written}");
    assert!(
        written.contains("25\tIN\tPTR\tmail.gen.example."),
        "{written}"
    );
    let child_written =
        std::fs::read_to_string(dir.path().join("rev/64-26.2.0.192.in-addr.arpa.zone")).unwrap();
    assert!(
        child_written.contains("70\t300\tIN\tPTR\tweb.gen.example."),
        "{child_written}"
    );
    assert!(
        !dir.path().join("rev/2.0.192.in-addr.arpa.cnames").exists(),
        "the parent written in the same run holds the CNAMEs"
    );
    let all = findings(
        dir.path(),
        &[
            "gen.example.zone",
            "rev/2.0.192.in-addr.arpa.zone",
            "rev/64-26.2.0.192.in-addr.arpa.zone",
        ],
    );
    let about_ptrs: Vec<_> = all
        .iter()
        .filter(|d| {
            ["PTR", "REV", "ZONE"]
                .iter()
                .any(|p| d["code"].as_str().unwrap().starts_with(p))
        })
        .collect();
    assert!(about_ptrs.is_empty(), "{about_ptrs:#?}");
}

/// `generate ptr` takes its mail PTRs from the mail planner: a PTR that already resolves
/// back is never rewritten (even when another name has the address too), and a HELO
/// name under `.local` is never written as a PTR target.
#[test]
fn generated_ptrs_keep_confirmed_ones_and_skip_names_nobody_can_resolve() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("corp.example.zone"),
        "$ORIGIN corp.example.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.2\n@ IN A 192.0.2.162\nwww IN A 192.0.2.162\nmail IN A 192.0.2.25\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("2.0.192.in-addr.arpa.zone"),
        "$ORIGIN 2.0.192.in-addr.arpa.\n$TTL 3600\n@ IN SOA ns1.corp.example. hostmaster.corp.example. 1 7200 3600 1209600 300\n@ IN NS ns1.corp.example.\n2 IN PTR ns1.corp.example.\n162 IN PTR www.corp.example.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("inventory.yaml"),
        "version: 1\nmail:\n  hosts:\n    - name: mail.corp.example\n      helo: exch01.corp.company.local\n      addresses: [192.0.2.25]\n",
    )
    .unwrap();
    let out = zonelint(
        &[
            "generate",
            "ptr",
            "--allow-doc-ranges",
            "-i",
            "inventory.yaml",
            "--format",
            "diff",
            ".",
        ],
        dir.path(),
    );
    let patch = String::from_utf8(out.stdout).unwrap();
    assert!(patch.contains("+25 IN PTR mail.corp.example."), "{patch}");
    assert!(
        !patch.contains("local"),
        "a .local name was written: {patch}"
    );
    assert!(
        !patch.contains("-162"),
        "a PTR that resolves back was rewritten: {patch}"
    );
}
