//! Per-rule fixtures: each fixture zone marks the lines that must get a finding with
//! `; expect CODE` (`# expect CODE` in an inventory). The test compares those marks with what zonelint reports, then
//! snapshots the human output so message wording changes are reviewed.

use crate::common::check_with_inventory;
use std::collections::BTreeSet;
use std::path::Path;
use zonelint::rules::RULES;

/// `(file, line, code)` for every `; expect CODE [CODE...]` mark in the fixture files.
fn expected_marks(files: &[String], prefixes: &[&str]) -> BTreeSet<(String, usize, String)> {
    let mut marks = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        for (i, line) in text.lines().enumerate() {
            let marked = line
                .split("; expect ")
                .nth(1)
                .or_else(|| line.split("# expect ").nth(1));
            let Some(codes) = marked else {
                continue;
            };
            for code in codes.split_whitespace() {
                if prefixes.iter().any(|p| code.starts_with(p)) {
                    marks.insert((file.clone(), i + 1, code.to_string()));
                }
            }
        }
    }
    marks
}

fn check_fixture(name: &str, prefix: &str) {
    check_fixture_codes(name, &[prefix]);
}

/// Checks a fixture: `tests/fixtures/rules/NAME.zone`, or every zone file in the
/// directory `tests/fixtures/rules/NAME/` as one zone set, for the codes with the given
/// prefixes.
fn check_fixture_codes(name: &str, prefixes: &[&str]) {
    let dir = format!("tests/fixtures/rules/{name}");
    let rel = if Path::new(&dir).is_dir() {
        dir
    } else {
        format!("{dir}.zone")
    };
    let inventory = Path::new(&rel).join("inventory.yaml");
    let inventory = inventory.is_file().then_some(inventory.as_path());
    let run = check_with_inventory(&[(Path::new(&rel), None)], None, true, inventory);
    let sources = &run.report.set.sources;
    let files: Vec<String> = (0..sources.len())
        .map(|i| sources.display(i as u32).to_string())
        .collect();
    let found: BTreeSet<(String, usize, String)> = run
        .findings()
        .into_iter()
        .filter(|f| prefixes.iter().any(|p| f.code.starts_with(p)))
        .map(|f| (f.file, f.line, f.code.to_string()))
        .collect();
    let want = expected_marks(&files, prefixes);
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
fn server_configuration() {
    check_fixture_codes("CONF", &["CONF", "LOAD"]);
}
#[test]
fn origin_unknown() {
    check_fixture_codes("LOAD", &["LOAD", "ZONE"]);
}
#[test]
fn zone011() {
    check_fixture("ZONE011", "ZONE011");
}
#[test]
fn zone012() {
    check_fixture("ZONE012", "ZONE012");
}
#[test]
fn zone013() {
    check_fixture("ZONE013", "ZONE013");
}
#[test]
fn zone014() {
    check_fixture("ZONE014", "ZONE014");
}
#[test]
fn zone015() {
    check_fixture("ZONE015", "ZONE015");
}
#[test]
fn zone016() {
    check_fixture("ZONE016", "ZONE016");
}
#[test]
fn syntax() {
    check_fixture("SYN", "SYN");
}
#[test]
fn byte_order_mark() {
    check_fixture("SYN011", "SYN");
}

#[test]
fn mx() {
    check_fixture_codes("MX", &["MX", "PTR"]);
}
#[test]
fn ptr() {
    check_fixture_codes("PTR", &["PTR", "MX", "REV"]);
}
#[test]
fn mail() {
    check_fixture_codes("MAIL", &["MAIL", "INV"]);
}
#[test]
fn spf() {
    check_fixture_codes("SPF", &["SPF", "MAIL", "MX0", "PTR"]);
}
#[test]
fn mail_policy_records() {
    check_fixture_codes(
        "POLICY",
        &["DMARC", "DKIM", "MTASTS", "TLSRPT", "DANE", "INV", "MAIL"],
    );
}
#[test]
fn lint() {
    // Suppression: the marks are what remains after the directives did their work.
    check_fixture_codes("LINT", &["LINT", "ZONE", "INV", "MAIL"]);
}
#[test]
fn rev() {
    check_fixture_codes("REV", &["REV", "PTR"]);
}

#[test]
fn every_rule_has_a_fixture_or_is_exercised() {
    let mut marked = String::new();
    for entry in walk(Path::new("tests/fixtures/rules")) {
        marked.push_str(&std::fs::read_to_string(entry).unwrap());
    }
    for r in RULES {
        let has_mark = marked
            .lines()
            .filter_map(|l| {
                l.split("; expect ")
                    .nth(1)
                    .or_else(|| l.split("# expect ").nth(1))
            })
            .any(|codes| codes.split_whitespace().any(|c| c == r.code));
        assert!(
            // SERIAL001 needs a git history (tests/history.rs).
            has_mark || r.code == "SERIAL001",
            "{} has no fixture line marked `; expect {}`",
            r.code,
            r.code
        );
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
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

/// Every rule says whether it fixes, and that matches both what the fixtures show and
/// its `## Fix safety` text (as ruff's `FIX_AVAILABILITY`).
#[test]
fn fix_availability_matches_the_fixtures_and_the_docs() {
    use std::collections::BTreeMap;
    use zonelint::rules::FixAvailability;
    let mut seen: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for entry in std::fs::read_dir("tests/fixtures/rules").unwrap().flatten() {
        let path = entry.path();
        let inventory = path.join("inventory.yaml");
        let inventory = inventory.is_file().then_some(inventory.as_path());
        let run = check_with_inventory(&[(path.as_path(), None)], None, true, inventory);
        for d in &run.report.diagnostics {
            let e = seen.entry(d.code).or_default();
            e.0 += 1;
            e.1 += usize::from(d.fix().is_some());
        }
    }
    for r in RULES {
        let (found, fixed) = seen.get(r.code).copied().unwrap_or_default();
        match r.fix {
            FixAvailability::None => assert_eq!(fixed, 0, "{} says it has no fix", r.code),
            FixAvailability::Sometimes => assert!(
                fixed > 0 || found == 0,
                "{} says it fixes, but none of its {found} fixture findings has a fix",
                r.code
            ),
            FixAvailability::Always => assert_eq!(fixed, found, "{} says it always fixes", r.code),
        }
        let doc = r.explanation();
        let safety = doc.split("## Fix safety").nth(1).unwrap_or_default();
        let safety = safety.split("## ").next().unwrap_or_default();
        let says_none =
            safety.contains("No automatic fix") || safety.trim_start().starts_with("No fix");
        assert_eq!(
            says_none,
            r.fix == FixAvailability::None,
            "{}: `## Fix safety` says {safety:?} but the rule declares {:?}",
            r.code,
            r.fix
        );
    }
}
