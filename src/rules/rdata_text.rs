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
    let (bytes, fields) = rdata_fields(set, zone, r)?;
    Some(fields.iter().map(|f| bytes[f.clone()].to_vec()).collect())
}

/// The RDATA fields of `r` with where each stands in its file (as for [`fields`]).
pub fn fields_with_spans(
    set: &ZoneSet,
    zone: &Zone,
    r: &Record,
) -> Option<Vec<(Vec<u8>, crate::span::Span)>> {
    let (bytes, fields) = rdata_fields(set, zone, r)?;
    let base = r.span.start as usize;
    Some(
        fields
            .into_iter()
            .map(|f| {
                (
                    bytes[f.clone()].to_vec(),
                    crate::span::Span::new(base + f.start, base + f.end),
                )
            })
            .collect(),
    )
}

/// The text of the record (read again) and the byte ranges in it of its RDATA fields,
/// quotes removed.
fn rdata_fields(
    set: &ZoneSet,
    zone: &Zone,
    r: &Record,
) -> Option<(Vec<u8>, Vec<std::ops::Range<usize>>)> {
    if r.flags & Record::GENERATED != 0 {
        return None;
    }
    let source = set.sources.get(zone.location(r).source);
    let bytes = source
        .read_range(r.span.start as usize, r.span.end as usize)?
        .to_vec();
    let words: Vec<std::ops::Range<usize>> = Lexer::new(&bytes)
        .filter_map(|t| match t.kind {
            TokenKind::Word => Some(t.span.range()),
            TokenKind::Quoted { .. } => {
                let q = t.span.range();
                let end = if q.len() >= 2 && bytes[q.end - 1] == b'"' {
                    q.end - 1
                } else {
                    q.end
                };
                Some(q.start + 1..end.max(q.start + 1))
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
            let w = &bytes[w.clone()];
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
    let rdata = words[type_at + 1..].to_vec();
    if rdata.first().is_some_and(|f| &bytes[f.clone()] == b"\\#") {
        return None;
    }
    Some((bytes, rdata))
}

/// A TXT record's character-strings joined into one text, as SPF and the other mail
/// policy records read them (RFC 7208 §3.3: no separator), with where each byte of the
/// text was written in the file.
pub struct Joined {
    pub text: Vec<u8>,
    /// For each byte of `text`, its bytes in the file (an escape such as `\059` is
    /// several).
    at: Vec<(u32, u32)>,
}

impl Joined {
    /// The file span of the text's bytes `range` (an empty range: the point after the
    /// text before it).
    pub fn span(&self, range: std::ops::Range<usize>) -> crate::span::Span {
        let end = range.end.min(self.at.len());
        let start = range.start.min(end);
        match (
            self.at.get(start),
            end.checked_sub(1).and_then(|e| self.at.get(e)),
        ) {
            (Some(&(s, _)), Some(&(_, e))) if start < end => {
                crate::span::Span::new(s as usize, e as usize)
            }
            _ => {
                let p = self
                    .at
                    .get(start)
                    .map(|a| a.0)
                    .or_else(|| self.at.last().map(|a| a.1))
                    .unwrap_or(0);
                crate::span::Span::new(p as usize, p as usize)
            }
        }
    }

    pub fn as_str(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.text)
    }
}

/// The joined text of a TXT-like record (escapes decoded), or `None` as for [`fields`].
pub fn joined(set: &ZoneSet, zone: &Zone, r: &Record) -> Option<Joined> {
    let (bytes, fields) = rdata_fields(set, zone, r)?;
    let base = r.span.start;
    let mut text = Vec::new();
    let mut at = Vec::new();
    for f in fields {
        let mut k = f.start;
        while k < f.end {
            let (byte, len) = match bytes[k] {
                b'\\' if k + 3 < f.end && bytes[k + 1..k + 4].iter().all(u8::is_ascii_digit) => {
                    let v = (bytes[k + 1] - b'0') as u32 * 100
                        + (bytes[k + 2] - b'0') as u32 * 10
                        + (bytes[k + 3] - b'0') as u32;
                    (u8::try_from(v).unwrap_or(b'?'), 4)
                }
                b'\\' if k + 1 < f.end => (bytes[k + 1], 2),
                b => (b, 1),
            };
            text.push(byte);
            at.push((base + k as u32, base + (k + len) as u32));
            k += len;
        }
    }
    Some(Joined { text, at })
}
