//! `zonelint.toml`: discovery, `--isolated`, select/ignore, severity overrides,
//! per-file ignores, and labelled errors for unknown keys and codes.

use crate::common::zonelint;
use std::path::Path;
use std::process::Output;

/// A zone with an MX pointing at a CNAME (MX002, error) and differing TTLs in one
/// RRset (ZONE007, warning); a legacy copy of it below `zones/legacy`.
const ZONE: &str = "$ORIGIN cfg.example.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\n@ IN MX 10 alias\nns1 IN A 192.0.2.1\nalias IN CNAME ns1\nwww 300 IN A 192.0.2.2\nwww 600 IN A 192.0.2.3\n";

fn setup(config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("zones/legacy")).unwrap();
    std::fs::create_dir_all(dir.path().join("sub/deeper")).unwrap();
    std::fs::write(dir.path().join("zones/cfg.example.zone"), ZONE).unwrap();
    std::fs::write(
        dir.path().join("zones/legacy/old.example.zone"),
        ZONE.replace("cfg.example.", "old.example."),
    )
    .unwrap();
    if let Some(c) = config {
        std::fs::write(dir.path().join("zonelint.toml"), c).unwrap();
    }
    dir
}

/// `(code, file)` of each finding, from the JSON report.
fn codes(out: &Output) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn check(dir: &Path, cwd: &str, extra: &[&str]) -> Output {
    let target = dir.join("zones");
    let mut args = vec!["check", "--allow-doc-ranges", "--format", "json"];
    args.extend(extra);
    args.push(target.to_str().unwrap());
    zonelint(&args, &dir.join(cwd))
}

fn has(found: &[(String, String)], code: &str) -> bool {
    found.iter().any(|(c, _)| c == code)
}

#[test]
fn discovered_from_a_subdirectory_and_ignored_with_isolated() {
    let dir = setup(Some("ignore = [\"ZONE007\"]\n"));
    let found = codes(&check(dir.path(), "sub/deeper", &[]));
    assert!(has(&found, "MX002") && !has(&found, "ZONE007"), "{found:?}");
    let found = codes(&check(dir.path(), "sub/deeper", &["--isolated"]));
    assert!(has(&found, "ZONE007"), "{found:?}");
}

#[test]
fn select_and_ignore_by_prefix_and_flags_override() {
    let dir = setup(Some("select = [\"ZONE\"]\n"));
    let found = codes(&check(dir.path(), ".", &[]));
    assert!(
        !found.is_empty() && found.iter().all(|(c, _)| c.starts_with("ZONE")),
        "{found:?}"
    );
    let found = codes(&check(dir.path(), ".", &["--select", "MX"]));
    assert!(
        !found.is_empty() && found.iter().all(|(c, _)| c.starts_with("MX")),
        "{found:?}"
    );
    let found = codes(&check(dir.path(), ".", &["--ignore", "MX00,ZONE"]));
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn rules_not_selected_never_run() {
    // An unselected or ignored rule costs nothing: the stage table lists the rule
    // families that ran.
    let dir = setup(None);
    let families = |extra: &[&str]| {
        let mut args = vec!["--timings"];
        args.extend(extra);
        let out = check(dir.path(), ".", &args);
        let table = String::from_utf8_lossy(&out.stderr).into_owned();
        ["MX", "ZONE", "PTR"]
            .into_iter()
            .filter(|f| table.contains(&format!("rules: {f} ")))
            .collect::<Vec<_>>()
    };
    assert_eq!(families(&[]), ["MX", "ZONE", "PTR"]);
    assert_eq!(families(&["--select", "MX"]), ["MX"]);
    assert_eq!(families(&["--ignore", "ZONE,PTR"]), ["MX"]);
}

#[test]
fn severity_override_changes_the_exit_code() {
    let dir = setup(None);
    let out = check(dir.path(), ".", &["--ignore", "ZONE007"]);
    assert_eq!(out.status.code(), Some(1), "MX002 is an error");
    std::fs::write(
        dir.path().join("zonelint.toml"),
        "ignore = [\"ZONE007\"]\n[severity]\nMX002 = \"warning\"\n",
    )
    .unwrap();
    let out = check(dir.path(), ".", &[]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["severity"] == "warning")
    );
    std::fs::write(
        dir.path().join("zonelint.toml"),
        "fail-on = \"warning\"\n[severity]\nMX002 = \"warning\"\n",
    )
    .unwrap();
    assert_eq!(check(dir.path(), ".", &[]).status.code(), Some(1));
    assert_eq!(
        check(dir.path(), ".", &["--fail-on", "error"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn per_file_ignores_match_paths_relative_to_the_config() {
    let dir = setup(Some(
        "[per-file-ignores]\n\"zones/legacy/*\" = [\"ZONE007\", \"MX\"]\n",
    ));
    let found = codes(&check(dir.path(), "sub", &[]));
    let legacy: Vec<_> = found.iter().filter(|(_, f)| f.contains("legacy")).collect();
    assert!(legacy.is_empty(), "{legacy:?}");
    assert!(
        found
            .iter()
            .any(|(c, f)| c == "ZONE007" && f.ends_with("cfg.example.zone")),
        "{found:?}"
    );
}

#[test]
fn unknown_keys_and_codes_are_labelled_errors() {
    for (config, label) in [
        ("select = [\"MX\"]\nfial-on = \"warning\"\n", "fial-on"),
        ("ignore = [\"ZONE007\", \"PTR999\"]\n", "\"PTR999\""),
        ("[severity]\nMX02 = \"warning\"\n", "MX02"),
        ("[per-file-ignores]\n\"zones/*\" = [\"NOPE\"]\n", "\"NOPE\""),
    ] {
        let dir = setup(Some(config));
        let out = check(dir.path(), ".", &[]);
        assert_eq!(out.status.code(), Some(2), "{config}");
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("invalid configuration"), "{stderr}");
        assert!(stderr.contains("zonelint.toml"), "{stderr}");
        // miette underlines the offending text: the underline starts in the column
        // where the label's text starts on the source line above it.
        let lines: Vec<&str> = stderr.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.contains('│') && l.contains(label))
            .unwrap_or_else(|| panic!("{label} shown in {stderr}"));
        let column = |l: &str, i: usize| l[..i].chars().count();
        let label_column = column(lines[at], lines[at].find(label).unwrap());
        let underline = lines[at + 1];
        let mark = underline.find(['─', '┬']).expect("an underline");
        assert_eq!(column(underline, mark), label_column, "{stderr}");
        assert!(stderr.contains("here"), "{stderr}");
    }
    let dir = setup(None);
    let out = check(dir.path(), ".", &["--select", "BOGUS"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn config_names_the_inventory_and_origins() {
    let dir = setup(Some(
        "inventory = \"inv.yaml\"\nallow-doc-ranges = true\n[origins]\n\"zones/odd.txt\" = \"odd.example.\"\n",
    ));
    std::fs::write(
        dir.path().join("zones/odd.txt"),
        "@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.9\nns1 IN A 192.0.2.9\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        "version: 1\nmail:\n  hosts:\n    - name: out.cfg.example\n      addresses: [198.51.100.77]\n",
    )
    .unwrap();
    let out = zonelint(&["check", "--format", "json", "zones"], dir.path());
    let found = codes(&out);
    assert!(
        found
            .iter()
            .any(|(c, f)| c == "ZONE006" && f.ends_with("odd.txt")),
        "odd.txt read as odd.example.: {found:?}"
    );
    assert!(has(&found, "INV001"), "the inventory was read: {found:?}");
}
