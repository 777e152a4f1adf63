//! The RDATA of records zonelint keeps only as a hash (DNSKEY, CDS, SVCB, ...), read
//! again from their files for the few rules that need the values.

use crate::model::zone::{Record, Zone, ZoneSet};
use crate::rr::RType;
use crate::rr::types::RClass;
use crate::syntax::lexer::{Lexer, TokenKind};

/// The RDATA fields of `r` as written (quotes removed), or `None` when the record came
/// from `$GENERATE`, its file changed since it was read, or it is in the generic `\#`
/// form.
pub fn fields(set: &ZoneSet, zone: &Zone, r: &Record) -> Option<Vec<Vec<u8>>> {
    if r.flags & Record::GENERATED != 0 {
        return None;
    }
    let source = set.sources.get(zone.location(r).source);
    let text = source.read_range(r.span.start as usize, r.span.end as usize)?;
    let bytes: &[u8] = &text;
    let words: Vec<&[u8]> = Lexer::new(bytes)
        .filter_map(|t| match t.kind {
            TokenKind::Word => Some(&bytes[t.span.range()]),
            TokenKind::Quoted { .. } => {
                let q = &bytes[t.span.range()];
                Some(q[1..].strip_suffix(b"\"").unwrap_or(&q[1..]))
            }
            _ => None,
        })
        .collect();
    // The type is the first word after the owner (if the line has one) and any TTL,
    // class or Windows aging mark; try with an owner first.
    let type_at = [1, 0].into_iter().find_map(|skip| {
        let mut ttl = false;
        let mut class = false;
        for (k, w) in words.iter().enumerate().skip(skip) {
            if RType::from_mnemonic(w) == Some(r.rtype) {
                return Some(k);
            }
            if w.first().is_some_and(u8::is_ascii_digit) && !ttl {
                ttl = true;
            } else if RClass::from_mnemonic(w).is_some() && !class {
                class = true;
            } else if !crate::syntax::parser::is_aging(w) {
                return None;
            }
        }
        None
    })?;
    let rdata: Vec<Vec<u8>> = words[type_at + 1..].iter().map(|w| w.to_vec()).collect();
    if rdata.first().is_some_and(|f| f == b"\\#") {
        return None;
    }
    Some(rdata)
}
