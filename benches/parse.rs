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

/// A and AAAA values in the forms zones hold them: dotted quads, compressed and full
/// IPv6, and a few the parsers must refuse.
fn addresses(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| match i % 5 {
            0 | 1 => format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255),
            2 => format!("fd8a:3c21:77e0:{:x}::{:x}", i & 0xffff, i >> 4),
            3 => format!("2001:db8:0:0:{:x}:{:x}:0:1", i & 0xffff, (i >> 16) & 0xffff),
            _ => format!("10.0.{}.{}x", i & 255, i & 255),
        })
        .collect()
}

#[divan::bench(args = [100_000])]
fn address_values(bencher: divan::Bencher, n: usize) {
    let values = addresses(n);
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| {
            values
                .iter()
                .filter(|v| {
                    let v = divan::black_box(v.as_bytes());
                    zonelint::rr::address::parse_ipv4(v).is_some()
                        || zonelint::rr::address::parse_ipv6(v).is_some()
                })
                .count()
        });
}

/// The addresses of `n` ip6.arpa owners in address order, read one after another as
/// the PTR rules and the address tables read them.
#[divan::bench(args = [50_000])]
fn ip6_owner_addresses(bencher: divan::Bencher, n: usize) {
    use zonelint::model::names::{NameId, NameTable};
    let mut names = NameTable::new();
    let owners: Vec<NameId> = (0..n)
        .map(|i| {
            let nibbles: String = format!("fd8a3c2177e0{:020x}", i * 7919)
                .chars()
                .rev()
                .map(|c| format!("{c}."))
                .collect();
            names
                .intern_text(&format!("{nibbles}ip6.arpa."), NameId::ROOT)
                .unwrap()
        })
        .collect();
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| {
            let mut reader = zonelint::model::reverse::OwnerReader::new(&names);
            owners
                .iter()
                .filter(|&&o| reader.address(divan::black_box(o)).is_some())
                .count()
        });
}
