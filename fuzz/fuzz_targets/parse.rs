//! Any byte sequence must parse to records and findings without a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::Arc;
use zonelint::model::zone::OriginSource;
use zonelint::syntax::parser::{IncludePolicy, Parser};

fuzz_target!(|data: &[u8]| {
    let policy = IncludePolicy::default();
    let parsed = Parser::parse_bytes(
        std::path::Path::new("/nonexistent/fuzz.zone"),
        "fuzz.zone".into(),
        Arc::from(data),
        "example.",
        OriginSource::Argument,
        &policy,
    );
    // Every location must be inside the input.
    for d in &parsed.diagnostics {
        assert!(d.location.span.end as usize <= data.len());
    }
});
