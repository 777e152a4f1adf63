//! `--changed-since` and `--new-only` against a temporary git repository: a changed
//! zone without a serial bump, with one, unchanged, new and deleted files.

use crate::common::{command, zonelint};
use std::path::Path;
use std::process::{Command, Output};

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args([
            "-c",
            "user.name=zonelint",
            "-c",
            "user.email=zonelint@example.invalid",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        ok.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

fn zone(origin: &str, serial: u32, body: &str) -> String {
    format!(
        "$ORIGIN {origin}\n$TTL 3600\n@ IN SOA ns1 hostmaster {serial} 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n{body}"
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join("zones").join(name), text).unwrap();
}

/// A repository whose first commit holds zones a, b, c and e; `a` has a finding.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("zones")).unwrap();
    write(
        dir.path(),
        "a.example.zone",
        &zone(
            "a.example.",
            10,
            "www 300 IN A 192.0.2.2\nwww 600 IN A 192.0.2.3\n",
        ),
    );
    write(
        dir.path(),
        "b.example.zone",
        &zone("b.example.", 2026112801, "www IN A 192.0.2.4\n"),
    );
    write(
        dir.path(),
        "c.example.zone",
        &zone("c.example.", 5, "www IN A 192.0.2.5\n"),
    );
    write(
        dir.path(),
        "e.example.zone",
        &zone("e.example.", 5, "www IN A 192.0.2.6\n"),
    );
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "zones"]);
    dir
}

fn check(dir: &Path, extra: &[&str]) -> (Output, Vec<(String, String, u64)>) {
    let mut args = vec!["check", "--allow-doc-ranges", "--format", "json"];
    args.extend(extra);
    args.push("zones");
    let out = zonelint(&args, dir);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    let found = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    (out, found)
}

fn serials(found: &[(String, String, u64)]) -> Vec<&str> {
    found
        .iter()
        .filter(|(c, _, _)| c == "SERIAL001")
        .map(|(_, f, _)| f.as_str())
        .collect()
}

#[test]
fn changed_zones_need_a_higher_serial() {
    let dir = repo();
    let d = dir.path();
    // a: changed, serial kept. b: changed, serial raised. c: untouched.
    write(
        d,
        "a.example.zone",
        &zone(
            "a.example.",
            10,
            "www 300 IN A 192.0.2.2\nwww 600 IN A 192.0.2.3\nftp IN A 192.0.2.9\n",
        ),
    );
    write(
        d,
        "b.example.zone",
        &zone("b.example.", 2026112900, "www IN A 192.0.2.44\n"),
    );
    // d: new since the revision. e: deleted since.
    write(
        d,
        "d.example.zone",
        &zone("d.example.", 1, "www IN A 192.0.2.7\n"),
    );
    std::fs::remove_file(d.join("zones/e.example.zone")).unwrap();
    let (out, found) = check(d, &["--changed-since", "HEAD"]);
    assert_eq!(serials(&found), ["zones/a.example.zone"], "{found:?}");
    let line = found.iter().find(|(c, _, _)| c == "SERIAL001").unwrap().2;
    assert_eq!(line, 3, "at the SOA");
    assert_eq!(out.status.code(), Some(1));
    // Without the flag there is no history to compare.
    let (_, found) = check(d, &[]);
    assert!(serials(&found).is_empty());
    // Committed, the same files are unchanged relative to HEAD.
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "more"]);
    let (_, found) = check(d, &["--changed-since", "HEAD"]);
    assert!(serials(&found).is_empty(), "{found:?}");
    // A serial that went backwards is not an increase either.
    write(
        d,
        "c.example.zone",
        &zone("c.example.", 4, "www IN A 192.0.2.5\n"),
    );
    let (_, found) = check(d, &["--changed-since", "HEAD"]);
    assert_eq!(serials(&found), ["zones/c.example.zone"]);
}

#[test]
fn new_only_hides_what_the_revision_already_had() {
    let dir = repo();
    let d = dir.path();
    // A line added above the old ZONE007 finding moves it; it is still old. The
    // duplicate record is new.
    write(
        d,
        "a.example.zone",
        &zone(
            "a.example.",
            11,
            "mail IN A 192.0.2.25\nwww 300 IN A 192.0.2.2\nwww 600 IN A 192.0.2.3\nmail IN A 192.0.2.25\n",
        ),
    );
    let (_, all) = check(d, &["--changed-since", "HEAD"]);
    assert!(all.iter().any(|(c, _, _)| c == "ZONE007"), "{all:?}");
    assert!(all.iter().any(|(c, _, _)| c == "ZONE006"), "{all:?}");
    let (_, new) = check(d, &["--changed-since", "HEAD", "--new-only"]);
    assert!(!new.iter().any(|(c, _, _)| c == "ZONE007"), "{new:?}");
    assert!(new.iter().any(|(c, _, _)| c == "ZONE006"), "{new:?}");
}

#[test]
fn bad_revisions_and_no_repository_exit_2() {
    let dir = repo();
    let out = zonelint(
        &["check", "--changed-since", "no-such-rev", "zones"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-rev"));
    let plain = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(plain.path().join("zones")).unwrap();
    std::fs::write(
        plain.path().join("zones/x.example.zone"),
        zone("x.example.", 1, ""),
    )
    .unwrap();
    let out = command(plain.path())
        .args(["check", "--changed-since", "HEAD", "zones"])
        .env("GIT_CEILING_DIRECTORIES", plain.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("git repository"));
}
