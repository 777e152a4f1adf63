//! Inputs that used to cost more than linear time (issue 9): a huge RRset of
//! duplicates, many suppression directives, many mail hosts behind many NAT mappings.
//! Each runs at n, 2n and 4n: doubling the input should about double the time.
//!
//! Run with `cargo bench --bench hostile`.

use std::path::{Path, PathBuf};
use zonelint::CheckOptions;
use zonelint::load::PathArg;
use zonelint::rules::Selection;

fn main() {
    divan::main();
}

const HEAD: &str = "$ORIGIN h.example.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\nns1 IN A 192.0.2.1\n";

fn address(i: usize) -> String {
    format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255)
}

/// A directory holding `files`, kept for the benchmark's lifetime.
fn files(files: &[(&str, String)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let zone = dir.path().join("a.zone");
    (dir, zone)
}

fn check(zone: &Path, inventory: Option<PathBuf>, select: &str) -> usize {
    let options = CheckOptions {
        inventory,
        selection: Selection {
            only: Some(vec![select.into()]),
            ..Default::default()
        },
        ..Default::default()
    };
    zonelint::check(&[PathArg::new(zone, None)], &options)
        .unwrap()
        .diagnostics
        .len()
}

#[divan::bench(args = [40_000, 80_000, 160_000], sample_count = 5)]
fn duplicates_at_one_owner(bencher: divan::Bencher, n: usize) {
    let mut zone = String::from(HEAD);
    for i in 0..n {
        zone.push_str(&format!("big IN A {}\n", address(i % (n / 2))));
    }
    let (_dir, path) = files(&[("a.zone", zone)]);
    bencher.bench(|| check(&path, None, "ZONE006"));
}

#[divan::bench(args = [20_000, 40_000, 80_000], sample_count = 5)]
fn suppression_directives(bencher: divan::Bencher, n: usize) {
    let mut zone = String::from(HEAD);
    for i in 0..n {
        zone.push_str(&format!(
            "; zonelint: disable=ZONE007\nh{i} IN A {}\n",
            address(i)
        ));
    }
    let (_dir, path) = files(&[("a.zone", zone)]);
    bencher.bench(|| check(&path, None, "LINT"));
}

#[divan::bench(args = [4_000, 8_000, 16_000], sample_count = 5)]
fn mail_hosts_behind_nat(bencher: divan::Bencher, n: usize) {
    let mut inventory = String::from("version: 1\nmail:\n  hosts:\n");
    for i in 0..n {
        inventory.push_str(&format!(
            "    - name: h{i}.h.example\n      addresses: [{}]\n",
            address(i)
        ));
    }
    inventory.push_str("nat:\n");
    for i in 0..n {
        let inside = address(i);
        let outside = inside.replacen("10.", "100.", 1);
        inventory.push_str(&format!("  - inside: {inside}\n    outside: {outside}\n"));
    }
    let (dir, path) = files(&[("a.zone", HEAD.to_string()), ("inv.yaml", inventory)]);
    let inv = dir.path().join("inv.yaml");
    bencher.bench(|| check(&path, Some(inv.clone()), "INV001"));
}
