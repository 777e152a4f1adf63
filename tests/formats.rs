//! The CI formats: SARIF's structure as GitHub code scanning reads it, GitHub workflow
//! commands with their escaping, and `--output`.

use crate::common::{manifest_dir, zonelint};

/// The example set: findings in the inventory and in three zone files, with related
/// locations in other files.
fn example_sarif() -> serde_json::Value {
    let out = zonelint(
        &[
            "check",
            "--allow-doc-ranges",
            "-i",
            "examples/inventory.yaml",
            "--format",
            "sarif",
            "zones",
        ],
        &manifest_dir(),
    );
    assert_eq!(out.status.code(), Some(1));
    serde_json::from_slice(&out.stdout).expect("SARIF is JSON")
}

#[test]
fn sarif_has_what_code_scanning_needs() {
    let log = example_sarif();
    assert_eq!(log["version"], "2.1.0");
    assert!(
        log["$schema"]
            .as_str()
            .unwrap()
            .contains("sarif-schema-2.1.0")
    );
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "zonelint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), zonelint::rules::RULES.len(), "every rule");
    for r in rules {
        assert!(r["id"].is_string() && r["shortDescription"]["text"].is_string());
        assert!(
            r["help"]["text"]
                .as_str()
                .unwrap()
                .contains("## What it does")
        );
        assert!(
            ["error", "warning", "note"]
                .contains(&r["defaultConfiguration"]["level"].as_str().unwrap())
        );
        assert!(r.get("helpUri").is_none(), "no published home yet");
    }
    let results = runs[0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let mut files = std::collections::BTreeSet::new();
    let mut related = 0;
    for res in results {
        let id = res["ruleId"].as_str().unwrap();
        let index = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id, "ruleIndex points at the rule");
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
        assert!(!res["message"]["text"].as_str().unwrap().is_empty());
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.starts_with("./"), "{uri}");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(
            manifest_dir().join(uri).is_file(),
            "{uri} is relative to the working directory"
        );
        let region = &loc["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(region["startColumn"].as_u64().unwrap() >= 1);
        assert!(region["endLine"].as_u64().unwrap() >= region["startLine"].as_u64().unwrap());
        files.insert(uri.to_string());
        for r in res["relatedLocations"].as_array().into_iter().flatten() {
            assert!(
                r["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap()
                    >= 1
            );
            assert!(r["message"]["text"].is_string());
            related += 1;
        }
    }
    assert!(files.len() >= 2, "{files:?}");
    assert!(related > 0);
    // The MAIL001 result points at the inventory and relates the reverse zone.
    let mail = results.iter().find(|r| r["ruleId"] == "MAIL001").unwrap();
    assert_eq!(
        mail["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "examples/inventory.yaml"
    );
    assert_eq!(
        mail["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "zones/113.0.203.in-addr.arpa.zone"
    );
}

#[test]
fn github_annotations_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    // A file name with `,` and `:`, an owner with `%`, findings of every severity.
    let zone = "$ORIGIN gh.example.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n100% IN CNAME ns1\n100% IN TXT \"and data\"\nmail IN MX 10 alias\nalias IN CNAME ns1\nns1 IN A 192.0.2.1\nout IN A 198.51.100.77\n";
    std::fs::write(dir.path().join("gh,1:a.example.zone"), zone).unwrap();
    let inventory = "version: 1\nmail:\n  hosts:\n    - name: out.gh.example\n      addresses: [198.51.100.77]\n";
    std::fs::write(dir.path().join("inventory.yaml"), inventory).unwrap();
    let out = zonelint(
        &[
            "check",
            "--allow-doc-ranges",
            "--format",
            "github",
            "-i",
            "inventory.yaml",
            "gh,1:a.example.zone=gh.example.",
        ],
        dir.path(),
    );
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!(text);
    // Each line: a command, then properties whose `,` and `:` are escaped.
    for line in text.lines() {
        let (command, message) = line[2..].split_once("::").unwrap();
        let (kind, properties) = command.split_once(' ').unwrap();
        assert!(["error", "warning", "notice"].contains(&kind), "{line}");
        let keys: Vec<&str> = properties
            .split(',')
            .map(|p| p.split_once('=').unwrap().0)
            .collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "endLine", "endColumn", "title"],
            "{line}"
        );
        assert!(!message.contains('\n'));
    }
    assert!(text.contains("file=gh%2C1%3Aa.example.zone,"), "{text}");
    assert!(text.contains("100%25.gh.example."), "{text}");
    for kind in ["::error ", "::warning ", "::notice "] {
        assert!(text.contains(kind), "{kind} in {text}");
    }
}

#[test]
fn output_file_gets_the_report_and_stderr_the_human_one() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let out = zonelint(
        &[
            "check",
            "--allow-doc-ranges",
            "-i",
            "examples/inventory.yaml",
            "--format",
            "sarif",
            "--output",
            sarif.to_str().unwrap(),
            "zones",
        ],
        &manifest_dir(),
    );
    assert_eq!(out.status.code(), Some(1), "findings still fail the run");
    assert!(out.stdout.is_empty());
    let log: serde_json::Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    assert_eq!(log, example_sarif());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("MAIL001") && stderr.contains("found 7 error(s)"),
        "{stderr}"
    );
    let bad = zonelint(
        &["check", "--output", "/nonexistent-dir/x.sarif", "zones"],
        &manifest_dir(),
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn sarif_columns_count_code_points() {
    let dir = tempfile::tempdir().unwrap();
    // `é` is two bytes: the duplicate's end column is 13 in code points, 14 in bytes.
    let zone = "$ORIGIN u.example.\n@ IN SOA ns1 h 1 2 3 4 5\n@ IN NS ns1\nns1 IN A 192.0.2.1\nt IN TXT \"é\"\nt IN TXT \"é\"\n";
    std::fs::write(dir.path().join("u.example.zone"), zone).unwrap();
    let out = zonelint(
        &["check", "--format", "sarif", "u.example.zone"],
        dir.path(),
    );
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["runs"][0]["columnKind"], "unicodeCodePoints");
    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "ZONE006")
        .unwrap();
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startColumn"].as_u64(), region["endColumn"].as_u64()),
        (Some(1), Some(13))
    );
}
