//! Whole mail set-ups (`tests/fixtures/scenarios/*`): `check` with the inventory finds
//! what `expect.toml` lists, `fix --unsafe-fixes --write` leaves only the errors it
//! names (those no DNS edit can mend), writes the records it names, brings no new
//! finding, and a second fix is empty.

use crate::common::{copy_dir, manifest_dir, zonelint};
use std::collections::BTreeSet;
use std::path::Path;

#[derive(serde::Deserialize)]
struct Expect {
    before: Vec<String>,
    after_errors: Vec<String>,
    #[serde(default)]
    contains: std::collections::BTreeMap<String, Vec<String>>,
}

fn codes(dir: &Path, errors_only: bool) -> BTreeSet<String> {
    let out = zonelint(
        &[
            "check",
            "--allow-doc-ranges",
            "-i",
            "inventory.yaml",
            "--format",
            "json",
            ".",
        ],
        dir,
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !errors_only || d["severity"] == "error")
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_scenario_converges_to_what_it_expects() {
    let root = manifest_dir().join("tests/fixtures/scenarios");
    let mut seen = 0;
    for entry in std::fs::read_dir(&root).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let expect: Expect =
            toml::from_str(&std::fs::read_to_string(entry.path().join("expect.toml")).unwrap())
                .unwrap();
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&entry.path(), tmp.path());
        let dir = tmp.path();
        let before = codes(dir, false);
        for code in &expect.before {
            assert!(
                before.contains(code),
                "{name}: `check` misses {code}: {before:?}"
            );
        }
        crate::fix::assert_converges(dir, ".", &["-i", "inventory.yaml"]);
        let after: Vec<String> = codes(dir, true).into_iter().collect();
        assert_eq!(
            after, expect.after_errors,
            "{name}: errors left after the fix"
        );
        for (file, wanted) in &expect.contains {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            for w in wanted {
                assert!(
                    text.contains(w.as_str()),
                    "{name}: {file} lacks `{w}` after the fix:\n{text}"
                );
            }
        }
        seen += 1;
    }
    assert!(seen >= 3, "the scenarios are missing");
}

/// Without `--allow-doc-ranges`, a scenario written with documentation addresses says
/// why its public address counts as inside, instead of leaving the user to guess.
#[test]
fn documentation_addresses_are_named_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &manifest_dir().join("tests/fixtures/scenarios/exchange-behind-nat"),
        tmp.path(),
    );
    let out = zonelint(
        &["check", "-i", "inventory.yaml", "--format", "concise", "."],
        tmp.path(),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.contains("MAIL004"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("--allow-doc-ranges") && line.contains("198.51.100.77"),
        "{line}"
    );
}
