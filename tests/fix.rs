//! `zonelint fix`: the diff applies with git and equals what --write does, fixed codes
//! are gone afterwards, a second run has nothing to do, and diffs of the rule fixtures
//! are snapshotted.

use crate::common::{copy_dir, manifest_dir, zonelint};
use std::path::Path;
use std::process::Command;

/// The example zone set and inventory in a fresh directory.
fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&manifest_dir().join("zones"), &dir.path().join("zones"));
    std::fs::create_dir_all(dir.path().join("examples")).unwrap();
    std::fs::copy(
        manifest_dir().join("examples/inventory.yaml"),
        dir.path().join("examples/inventory.yaml"),
    )
    .unwrap();
    dir
}

const FIX: &[&str] = &[
    "fix",
    "--unsafe-fixes",
    "--allow-doc-ranges",
    "-i",
    "examples/inventory.yaml",
    "zones",
];

fn git(args: &[&str], cwd: &Path) -> bool {
    Command::new("git")
        .args(args)
        .current_dir(cwd)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for sub in ["zones", "zones/internal"] {
        let mut names: Vec<_> = std::fs::read_dir(dir.join(sub))
            .unwrap()
            .flatten()
            .filter(|e| e.path().is_file())
            .collect();
        names.sort_by_key(|e| e.file_name());
        for e in names {
            out.push((
                format!("{sub}/{}", e.file_name().to_string_lossy()),
                std::fs::read_to_string(e.path()).unwrap(),
            ));
        }
    }
    out
}

#[test]
fn diff_applies_with_git_equals_write_and_converges() {
    let by_diff = example_copy();
    let diff = zonelint(FIX, by_diff.path());
    assert_eq!(diff.status.code(), Some(1), "a non-empty diff exits 1");
    let patch = String::from_utf8(diff.stdout).unwrap();
    assert!(
        patch.contains("+25      IN  PTR  mail.source.example."),
        "{patch}"
    );
    assert!(
        patch.contains("+                 2026112900 ; serial"),
        "{patch}"
    );

    if !git(&["init", "-q"], by_diff.path()) {
        crate::common::skip("the git apply half: git is not available");
        return;
    }
    std::fs::write(by_diff.path().join("fix.patch"), &patch).unwrap();
    assert!(
        git(&["apply", "fix.patch"], by_diff.path()),
        "git apply rejects the diff:\n{patch}"
    );

    let by_write = example_copy();
    let written = zonelint(&[FIX, &["--write"]].concat(), by_write.path());
    assert_eq!(
        written.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    assert_eq!(
        files(by_diff.path()),
        files(by_write.path()),
        "the diff and --write disagree"
    );

    let recheck = zonelint(
        &[
            "check",
            "--format",
            "concise",
            "--allow-doc-ranges",
            "-i",
            "examples/inventory.yaml",
            "zones",
        ],
        by_write.path(),
    );
    let out = String::from_utf8_lossy(&recheck.stdout);
    for fixed in [
        "ZONE006", "MAIL001", "PTR001", "MAIL002", "MAIL003", "PTR002",
    ] {
        assert!(
            !out.contains(fixed),
            "{fixed} is still reported after the fix:\n{out}"
        );
    }
    let again = zonelint(FIX, by_write.path());
    assert_eq!(again.status.code(), Some(0));
    assert!(
        again.stdout.is_empty(),
        "a second fix still has work: {}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[test]
fn safe_fixes_only_without_unsafe_flag() {
    let dir = example_copy();
    let out = zonelint(
        &[
            "fix",
            "--allow-doc-ranges",
            "-i",
            "examples/inventory.yaml",
            "zones",
        ],
        dir.path(),
    );
    let patch = String::from_utf8(out.stdout).unwrap();
    assert!(
        patch.contains("-www     IN  A    203.0.113.80          ; pasted twice"),
        "{patch}"
    );
    assert!(
        !patch.contains("IN  PTR  mail.source.example."),
        "unsafe fix applied without --unsafe-fixes:\n{patch}"
    );
}

/// `fix --unsafe-fixes` on a rule fixture: a directory of zones (with its inventory) or
/// a single `NAME.zone`.
fn fixture_diff(name: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = manifest_dir().join("tests/fixtures/rules");
    if fixtures.join(name).is_dir() {
        copy_dir(&fixtures.join(name), &dir.path().join(name));
    } else {
        std::fs::create_dir_all(dir.path().join(name)).unwrap();
        let file = format!("{name}.zone");
        std::fs::copy(fixtures.join(&file), dir.path().join(name).join(&file)).unwrap();
    }
    let inventory = dir.path().join(name).join("inventory.yaml");
    let mut args = vec!["fix", "--unsafe-fixes", "--allow-doc-ranges"];
    let inv = format!("{name}/inventory.yaml");
    if inventory.is_file() {
        args.extend(["-i", inv.as_str()]);
    }
    args.push(name);
    String::from_utf8(zonelint(&args, dir.path()).stdout).unwrap()
}

#[test]
fn fixture_diffs() {
    for name in ["PTR", "MX", "MAIL", "REV", "ZONE006"] {
        let diff = fixture_diff(name);
        assert!(!diff.is_empty(), "{name} fixtures produce no fix");
        insta::assert_snapshot!(format!("fix_{name}"), diff);
    }
}

#[test]
fn duplicate_records_fix_keeps_inherited_owners() {
    let dir = tempfile::tempdir().unwrap();
    let zone = "$ORIGIN d.example.\n@ IN SOA ns h 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.1\nwww IN A 192.0.2.2\nwww IN A 192.0.2.2\n  IN TXT \"inherits www\"\nftp IN A 192.0.2.3\nftp IN A 192.0.2.3 ; copy\n";
    std::fs::write(dir.path().join("d.example.zone"), zone).unwrap();
    let out = zonelint(&["fix", "d.example.zone"], dir.path());
    let patch = String::from_utf8(out.stdout).unwrap();
    // The second www line gives its owner to the TXT below: deleting it is not safe.
    assert!(!patch.contains("-www IN A 192.0.2.2"), "{patch}");
    assert!(patch.contains("-ftp IN A 192.0.2.3 ; copy"), "{patch}");
    assert!(
        patch.contains("+@ IN SOA ns h 2 2 3 4 5") || patch.contains("-@ IN SOA ns h 1 2 3 4 5"),
        "serial bumped: {patch}"
    );
}

#[test]
fn signed_zones_are_never_edited() {
    let dir = tempfile::tempdir().unwrap();
    let zone = "$ORIGIN s.example.\n@ IN SOA ns h 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.1\nwww IN A 192.0.2.2\nwww IN A 192.0.2.2\nwww IN RRSIG A 13 3 3600 20300101000000 20200101000000 1 s.example. AAAA\n";
    std::fs::write(dir.path().join("s.example.zone"), zone).unwrap();
    let out = zonelint(&["fix", "s.example.zone"], dir.path());
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let json = zonelint(&["check", "--format", "json", "s.example.zone"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let dup = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "ZONE006")
        .unwrap();
    assert_eq!(dup["fix"]["applicability"], "display-only");
    assert!(dup["fix"]["title"].as_str().unwrap().contains("signed"));
    assert_eq!(dup["fix"]["edits"][0]["line"], 6);
}

#[test]
fn generated_records_get_display_only_fixes_and_the_line_stays() {
    let dir = tempfile::tempdir().unwrap();
    let forward = "$ORIGIN gen.example.\n@ IN SOA ns1 host 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\nhost1 IN A 192.0.2.11\nhost2 IN A 192.0.2.12\n";
    let reverse = "$ORIGIN 2.0.192.in-addr.arpa.\n@ IN SOA ns1.gen.example. host.gen.example. 1 3600 600 86400 300\n@ IN NS ns1.gen.example.\n1 IN PTR ns1.gen.example.\n$GENERATE 11-12 $ IN PTR host${-10}.gen.example\n";
    std::fs::write(dir.path().join("gen.example.zone"), forward).unwrap();
    std::fs::write(dir.path().join("2.0.192.in-addr.arpa.zone"), reverse).unwrap();
    let json = zonelint(
        &["check", "--allow-doc-ranges", "--format", "json", "."],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let dots: Vec<&serde_json::Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "PTR007")
        .collect();
    assert_eq!(dots.len(), 2, "{v:#}");
    for d in dots {
        assert_eq!(d["fix"]["applicability"], "display-only");
        assert!(d["fix"]["title"].as_str().unwrap().contains("$GENERATE"));
        assert_eq!(d["fix"]["edits"].as_array().unwrap().len(), 0);
    }
    let out = zonelint(
        &["fix", "--unsafe-fixes", "--allow-doc-ranges", "."],
        dir.path(),
    );
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("2 display-only"), "{stderr}");
}

#[test]
fn provider_networks_point_to_generate_ptr() {
    let dir = example_copy();
    let json = zonelint(
        &[
            "check",
            "--allow-doc-ranges",
            "-i",
            "examples/inventory.yaml",
            "--format",
            "json",
            "zones",
        ],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let provider = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "INV002")
        .expect("the example inventory has a provider-published relay");
    assert_eq!(provider["fix"]["applicability"], "display-only");
    let title = provider["fix"]["title"].as_str().unwrap();
    assert!(
        title.contains("zonelint generate ptr") && title.contains("198.51.100.0/28"),
        "{title}"
    );
}

/// The findings of a check as (code, owner) pairs, counted: what a fix may not add to.
fn finding_keys(dir: &Path, args: &[&str]) -> std::collections::BTreeMap<(String, String), usize> {
    let mut full = vec!["check", "--format", "json"];
    full.extend_from_slice(args);
    let out = zonelint(&full, dir);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check {args:?}: {e}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut keys = std::collections::BTreeMap::new();
    for d in report["diagnostics"].as_array().unwrap() {
        let key = (
            d["code"].as_str().unwrap_or_default().to_string(),
            d["owner"].as_str().unwrap_or_default().to_string(),
        );
        *keys.entry(key).or_default() += 1;
    }
    keys
}

/// `fix --unsafe-fixes --write` over `name` in `dir`, then `check`: nothing new is
/// found, and a second fix has nothing to do (as ruff's fixture harness asserts).
pub(crate) fn assert_converges(dir: &Path, name: &str, extra: &[&str]) {
    let mut args: Vec<&str> = vec!["--allow-doc-ranges"];
    args.extend_from_slice(extra);
    args.push(name);
    let before = finding_keys(dir, &args);
    let mut fix = vec!["fix", "--unsafe-fixes", "--write"];
    fix.extend_from_slice(&args);
    let out = zonelint(&fix, dir);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{name}: fix --write failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = finding_keys(dir, &args);
    let new: Vec<_> = after
        .iter()
        .filter(|(k, n)| before.get(*k).is_none_or(|b| b < *n))
        .collect();
    assert!(
        new.is_empty(),
        "{name}: the fixes brought new findings {new:?}\nbefore: {before:?}"
    );
    let mut again = vec!["fix", "--unsafe-fixes"];
    again.extend_from_slice(&args);
    let second = zonelint(&again, dir);
    assert!(
        second.stdout.is_empty(),
        "{name}: a second fix still changes:\n{}",
        String::from_utf8_lossy(&second.stdout)
    );
}

#[test]
fn every_rule_fixture_converges() {
    let fixtures = manifest_dir().join("tests/fixtures/rules");
    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .flatten()
        .map(|e| {
            e.file_name()
                .to_string_lossy()
                .trim_end_matches(".zone")
                .to_string()
        })
        .collect();
    names.sort();
    for name in names {
        let dir = tempfile::tempdir().unwrap();
        if fixtures.join(&name).is_dir() {
            copy_dir(&fixtures.join(&name), &dir.path().join(&name));
        } else {
            std::fs::create_dir_all(dir.path().join(&name)).unwrap();
            let file = format!("{name}.zone");
            std::fs::copy(fixtures.join(&file), dir.path().join(&name).join(&file)).unwrap();
        }
        let inventory = format!("{name}/inventory.yaml");
        let extra: Vec<&str> = if dir.path().join(&inventory).is_file() {
            vec!["-i", inventory.as_str()]
        } else {
            Vec::new()
        };
        assert_converges(dir.path(), &name, &extra);
    }
}
