//! Per-rule fixtures: each fixture zone marks the lines that must get a finding with
//! `; expect CODE`. The test compares those marks with what zonelint reports, then
//! snapshots the human output so message wording changes are reviewed.

use crate::common::check_with;
use std::collections::BTreeSet;
use std::path::Path;
use zonelint::rules::RULES;

fn expected_marks(text: &str, prefix: &str) -> BTreeSet<(usize, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let code = l.split("; expect ").nth(1)?.trim().to_string();
            code.starts_with(prefix).then_some((i + 1, code))
        })
        .collect()
}

fn check_fixture(name: &str, prefix: &str) {
    let rel = format!("tests/fixtures/rules/{name}.zone");
    let text = std::fs::read_to_string(&rel).unwrap();
    let run = check_with(&[(Path::new(&rel), None)], None, true);
    let found: BTreeSet<(usize, String)> = run
        .findings()
        .into_iter()
        .filter(|f| f.code.starts_with(prefix))
        .map(|f| (f.line, f.code.to_string()))
        .collect();
    let want = expected_marks(&text, prefix);
    assert!(!want.is_empty(), "{rel} marks no expected finding");
    assert_eq!(
        found, want,
        "{rel}: findings (left) differ from `; expect` marks (right)"
    );
    let mut human = Vec::new();
    zonelint::output::human::write(&run.report, &mut human, false).unwrap();
    insta::assert_snapshot!(format!("rule_{name}"), String::from_utf8(human).unwrap());
}

#[test]
fn zone001() {
    check_fixture("ZONE001", "ZONE001");
}
#[test]
fn zone002() {
    check_fixture("ZONE002", "ZONE002");
}
#[test]
fn zone003() {
    check_fixture("ZONE003", "ZONE003");
}
#[test]
fn zone004() {
    check_fixture("ZONE004", "ZONE004");
}
#[test]
fn zone005() {
    check_fixture("ZONE005", "ZONE005");
}
#[test]
fn zone006() {
    check_fixture("ZONE006", "ZONE006");
}
#[test]
fn zone007() {
    check_fixture("ZONE007", "ZONE007");
}
#[test]
fn zone008() {
    check_fixture("ZONE008", "ZONE008");
}
#[test]
fn zone009() {
    check_fixture("ZONE009", "ZONE009");
}
#[test]
fn zone010() {
    check_fixture("ZONE010", "ZONE010");
}
#[test]
fn syntax() {
    check_fixture("SYN", "SYN");
}

#[test]
fn every_rule_has_a_fixture_or_is_exercised() {
    for r in RULES {
        let fixture = Path::new("tests/fixtures/rules").join(format!("{}.zone", r.code));
        let syn = r.code.starts_with("SYN")
            && std::fs::read_to_string("tests/fixtures/rules/SYN.zone")
                .unwrap()
                .contains(&format!("expect {}", r.code));
        assert!(
            fixture.exists() || syn || r.code == "LOAD001",
            "{} has no fixture",
            r.code
        );
    }
}

#[test]
fn rule_table_is_well_formed() {
    let mut seen = BTreeSet::new();
    for r in RULES {
        assert!(seen.insert(r.code), "{} is declared twice", r.code);
        let (prefix, digits) = r.code.split_at(r.code.len() - 3);
        assert!(
            prefix.chars().all(|c| c.is_ascii_uppercase()) && !prefix.is_empty(),
            "{}",
            r.code
        );
        assert!(digits.chars().all(|c| c.is_ascii_digit()), "{}", r.code);
        let doc = r.explanation();
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Fix safety",
            "## References",
        ] {
            assert!(doc.contains(heading), "{} lacks `{heading}`", r.code);
        }
        assert!(
            !r.summary.is_empty() && !r.summary.ends_with('.'),
            "{} summary style",
            r.code
        );
    }
}
