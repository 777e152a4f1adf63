//! One benchmark per stage after parsing (divan): interning names, building the set's
//! indices, running the rules, writing a JSON report with many findings. A change that
//! slows one stage shows here even when the whole run hides it. `check --timings` gives
//! the same split for a real run.
//!
//! The zones are built in memory in the shape `../shared/bench/genzone.py` writes: a
//! forward zone and the reverse zone of its addresses, with missing and wrong PTRs.

use std::sync::Arc;
use zonelint::model::index::SetIndex;
use zonelint::model::names::{NameId, NameReader, NameTable};
use zonelint::model::zone::{OriginSource, ZoneSet};
use zonelint::syntax::parser::{IncludePolicy, Parser};

fn main() {
    divan::main();
}

const N: usize = 50_000;

fn forward(n: usize) -> String {
    let mut s = String::from(concat!(
        "$ORIGIN example.test.\n$TTL 3600\n",
        "@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n",
        "  IN NS ns1\nns1 IN A 10.255.0.1\n",
    ));
    for i in 0..n {
        let (b, c) = ((i >> 8) & 255, i & 255);
        match i % 4 {
            0 | 1 => s.push_str(&format!("web-{i}.fra1.prod IN A 10.0.{b}.{c}\n")),
            2 => s.push_str(&format!("alias-{i} IN CNAME web-{}.fra1.prod\n", i - 2)),
            _ => s.push_str(&format!("@ IN MX 10 web-{}.fra1.prod\n", i - 3)),
        }
    }
    s
}

/// The PTRs of the forward zone's addresses, one in 20 missing and one in 40 wrong.
fn reverse(n: usize) -> String {
    let mut s = String::from(concat!(
        "$ORIGIN 0.10.in-addr.arpa.\n$TTL 3600\n",
        "@ IN SOA ns1.example.test. hostmaster.example.test. 1 7200 3600 1209600 300\n",
        "  IN NS ns1.example.test.\n",
    ));
    for i in (0..n).filter(|i| i % 4 < 2) {
        let (b, c) = ((i >> 8) & 255, i & 255);
        match i % 40 {
            0 => {}
            1 => s.push_str(&format!(
                "{c}.{b} IN PTR web-{}.fra1.prod.example.test.\n",
                i + 1
            )),
            _ => s.push_str(&format!("{c}.{b} IN PTR web-{i}.fra1.prod.example.test.\n")),
        }
    }
    s
}

fn parse(text: String, origin: &str) -> zonelint::syntax::parser::ParsedZone {
    let policy = IncludePolicy::default();
    Parser::parse_bytes(
        std::path::Path::new("bench.zone"),
        "bench.zone".into(),
        Arc::from(text.into_bytes()),
        origin,
        OriginSource::Argument,
        &policy,
    )
}

fn zone_set(n: usize) -> ZoneSet {
    zonelint::syntax::parser::zone_set([
        parse(forward(n), "example.test."),
        parse(reverse(n), "0.10.in-addr.arpa."),
    ])
}

#[divan::bench]
fn intern_owner_names(bencher: divan::Bencher) {
    let names: Vec<String> = (0..N).map(|i| format!("web-{i}.fra1.prod")).collect();
    bencher
        .counter(divan::counter::ItemsCount::new(N))
        .bench(|| {
            let mut table = NameTable::with_capacity(N);
            let origin = table.intern_text("example.test.", NameId::ROOT).unwrap();
            let mut reader = NameReader::default();
            for n in &names {
                divan::black_box(reader.intern(&mut table, n.as_bytes(), origin).unwrap());
            }
            table.len()
        });
}

#[divan::bench]
fn index_the_set(bencher: divan::Bencher) {
    let set = zone_set(N);
    bencher
        .counter(divan::counter::ItemsCount::new(set.record_count()))
        .bench(|| SetIndex::build(divan::black_box(&set)).zones.len());
}

#[divan::bench]
fn run_every_rule(bencher: divan::Bencher) {
    let set = zone_set(N);
    let selection = zonelint::rules::Selection::default();
    bencher
        .counter(divan::counter::ItemsCount::new(set.record_count()))
        .bench(|| zonelint::rules::run(divan::black_box(&set), &selection).len());
}

#[divan::bench]
fn json_report_of_many_findings(bencher: divan::Bencher) {
    let set = zone_set(N);
    let diagnostics = zonelint::rules::run(&set, &zonelint::rules::Selection::default());
    let findings = diagnostics.len();
    let report = zonelint::Report {
        set,
        diagnostics,
        suppressed: Vec::new(),
        notices: Vec::new(),
        roots: Vec::new(),
        timings: Default::default(),
    };
    bencher
        .counter(divan::counter::ItemsCount::new(findings))
        .bench(|| {
            let mut out = Vec::new();
            zonelint::output::json::write(&report, &mut out).unwrap();
            out.len()
        });
}
