//! Lexer and parser throughput on a generated zone (divan).
//!
//! Run with `cargo bench`. The zone is built in memory so the benchmark needs nothing
//! from outside the repository; `scripts/bench.sh` times the release binary on
//! `../shared/bench/genzone.py` output next to the peer checkers.

use std::sync::Arc;
use zonelint::model::zone::OriginSource;
use zonelint::syntax::lexer::Lexer;
use zonelint::syntax::parser::{IncludePolicy, Parser};

fn main() {
    divan::main();
}

/// A forward zone of `n` records in the shape genzone.py writes.
fn zone(n: usize) -> Vec<u8> {
    let mut s = String::from(
        "$ORIGIN example.test.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\n",
    );
    for i in 0..n {
        match i % 8 {
            0..=3 => s.push_str(&format!(
                "web-{i}.fra1.prod IN A 10.{}.{}.{}\n",
                (i >> 16) & 255,
                (i >> 8) & 255,
                i & 255
            )),
            4 => s.push_str(&format!("app-{i} 300 IN AAAA fd8a:3c21:77e0::{:x}\n", i)),
            5 => s.push_str(&format!("alias-{i} IN CNAME web-{}.fra1.prod\n", i - 5)),
            6 => s.push_str(&format!(
                "txt-{i} IN TXT \"v=spf1 include:_spf.example.test ~all\" ; note\n"
            )),
            _ => s.push_str(&format!("mx-{i} IN MX 10 mail-{i}.example.test.\n")),
        }
    }
    s.into_bytes()
}

#[divan::bench(args = [100_000])]
fn lex(bencher: divan::Bencher, n: usize) {
    let text = zone(n);
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| Lexer::new(divan::black_box(&text)).count());
}

#[divan::bench(args = [100_000])]
fn parse(bencher: divan::Bencher, n: usize) {
    let text: Arc<[u8]> = zone(n).into();
    let policy = IncludePolicy::default();
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| {
            let parsed = Parser::parse_bytes(
                std::path::Path::new("bench.zone"),
                "bench.zone".into(),
                text.clone(),
                "example.test.",
                OriginSource::Argument,
                &policy,
            );
            parsed.zone.records.len()
        });
}
