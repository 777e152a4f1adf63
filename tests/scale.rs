//! Recall and precision on a generated zone set: `../shared/bench/genzone.py` injects
//! missing and wrong PTRs and lists them in `expected.tsv`; zonelint must report exactly
//! those as PTR001 and PTR003. Skips when `../shared/bench` or python3 is absent.

use crate::common::{check_with, manifest_dir};
use std::collections::BTreeSet;
use std::process::Command;

#[test]
fn generated_set_findings_match_expected_tsv() {
    let generator = manifest_dir().join("../shared/bench/genzone.py");
    if !generator.is_file() {
        crate::common::skip("../shared/bench/genzone.py is absent");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let status = Command::new("python3")
        .arg(&generator)
        .args(["--records", "20000", "--out"])
        .arg(out.path())
        .status();
    let Ok(status) = status else {
        crate::common::skip("python3 is not available");
        return;
    };
    assert!(status.success(), "genzone.py failed");

    let mut expected = BTreeSet::new();
    let tsv = std::fs::read_to_string(out.path().join("expected.tsv")).unwrap();
    for line in tsv.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let code = match cols[0] {
            "missing-ptr" => "PTR001",
            "wrong-ptr" => "PTR003",
            other => panic!("unknown defect kind {other}"),
        };
        expected.insert((code, cols[1].to_string()));
    }
    assert!(
        expected.len() > 100,
        "too few injected defects to mean anything"
    );

    let run = check_with(&[(out.path(), None)], None, false);
    let set = &run.report.set;
    let mut found = BTreeSet::new();
    for d in &run.report.diagnostics {
        if !matches!(d.code, "PTR001" | "PTR003") {
            continue;
        }
        // The address is the first thing each message names after "for".
        let address = d
            .message
            .split_whitespace()
            .skip_while(|w| *w != "for")
            .nth(1)
            .unwrap()
            .trim_end_matches(',');
        found.insert((d.code, address.to_string()));
    }
    let missed: Vec<_> = expected.difference(&found).collect();
    assert!(
        missed.is_empty(),
        "injected defects not reported: {missed:?}"
    );

    // genzone.py cuts its last entity short to hit the exact record count, but has
    // already queued PTRs for all of its addresses: such a PTR names a host that does not
    // have the address, a genuine FCrDNS failure the generator does not list. Allow
    // exactly those: PTR003 for addresses that no forward record publishes.
    let forward = std::fs::read_to_string(out.path().join("example.test.zone")).unwrap();
    let published: BTreeSet<&str> = forward
        .lines()
        .filter_map(|l| {
            let fields: Vec<&str> = l.split(';').next()?.split_whitespace().collect();
            let t = fields.iter().position(|f| *f == "A" || *f == "AAAA")?;
            fields.get(t + 1).copied()
        })
        .collect();
    let extra: Vec<_> = found
        .difference(&expected)
        .filter(|(code, address)| *code != "PTR003" || published.contains(address.as_str()))
        .collect();
    assert!(extra.is_empty(), "reported but not injected: {extra:?}");
    assert!(set.reverse.len() >= 2, "the reverse zones were loaded");
}
