//! Property tests: the lexer is lossless, and no input makes the parser panic.

use proptest::prelude::*;
use std::sync::Arc;
use zonelint::model::zone::OriginSource;
use zonelint::syntax::lexer::Lexer;
use zonelint::syntax::parser::{IncludePolicy, Parser};

/// Pieces that exercise every lexer and parser state when shuffled together.
fn zoneish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just("$ORIGIN ".to_string()),
        Just("$TTL ".to_string()),
        Just("$INCLUDE ".to_string()),
        Just("$GENERATE 1-5 h$ A 10.0.0.${0,3,d}".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("\"".to_string()),
        Just(";".to_string()),
        Just("\n".to_string()),
        Just(" ".to_string()),
        Just("\t".to_string()),
        Just("\\".to_string()),
        Just("@".to_string()),
        Just("\\# 4 0a000001".to_string()),
        Just("IN".to_string()),
        Just("A".to_string()),
        Just("MX".to_string()),
        Just("SOA".to_string()),
        Just("SVCB 1 . alpn=h2".to_string()),
        "[a-z0-9.*-]{1,10}",
        "[0-9]{1,12}",
        any::<u8>().prop_map(|b| String::from_utf8_lossy(&[b]).into_owned()),
    ];
    prop::collection::vec(piece, 0..120).prop_map(|v| v.concat().into_bytes())
}

fn parse(bytes: &[u8]) -> usize {
    let policy = IncludePolicy::default();
    let parsed = Parser::parse_bytes(
        std::path::Path::new("/nonexistent/fuzz.zone"),
        "fuzz.zone".into(),
        Arc::from(bytes),
        "example.",
        OriginSource::Argument,
        &policy,
    );
    parsed.zone.records.len() + parsed.diagnostics.len()
}

fn reassemble(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut pos = 0;
    for t in Lexer::new(bytes) {
        assert_eq!(t.span.start as usize, pos, "tokens must be contiguous");
        assert!(t.span.end > t.span.start, "tokens are never empty");
        out.extend_from_slice(&bytes[t.span.range()]);
        pos = t.span.end as usize;
    }
    out
}

proptest! {
    #[test]
    fn lexer_reproduces_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4000)) {
        prop_assert_eq!(reassemble(&bytes), bytes);
    }

    #[test]
    fn lexer_reproduces_zone_like_text(bytes in zoneish()) {
        prop_assert_eq!(reassemble(&bytes), bytes);
    }

    #[test]
    fn parser_never_panics(bytes in zoneish()) {
        parse(&bytes);
    }

    #[test]
    fn parser_never_panics_on_raw_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        parse(&bytes);
    }
}

#[test]
fn hostile_inputs_give_findings() {
    let long_line = format!("a IN TXT \"{}\"\n", "x".repeat(1 << 20));
    let inputs: Vec<Vec<u8>> = vec![
        b"\0\0\0\xff\xfe IN A 1.2.3.4\n".to_vec(),
        long_line.into_bytes(),
        b"a IN SOA ( ( ( (\n".to_vec(),
        b"a IN TXT \"unterminated\n".to_vec(),
        b"$GENERATE 0-4294967295 h$ A 10.0.0.1\n".to_vec(),
        b"$GENERATE 1-2 h$ TKEY 1\n".to_vec(),
        b"\\".to_vec(),
    ];
    for input in inputs {
        assert!(
            parse(&input) > 0,
            "no finding and no record for {:?}",
            String::from_utf8_lossy(&input[..input.len().min(40)])
        );
    }
}
