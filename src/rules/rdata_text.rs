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
/// policy records read them (RFC 7208 §3.3: no separator), able to say where any byte
/// of the text was written in the file.
pub struct Joined {
    pub text: Vec<u8>,
    /// The record as written, where its bytes start in the file, and the ranges of its
    /// strings in it: enough to map text back to the file without keeping a position
    /// per byte.
    raw: Vec<u8>,
    base: usize,
    fields: Vec<std::ops::Range<usize>>,
}

/// The bytes of the strings `fields` of `raw` decoded, each with the range of `raw` it
/// was written as (an escape such as `\059` is several bytes).
fn decoded<'a>(
    raw: &'a [u8],
    fields: &'a [std::ops::Range<usize>],
) -> impl Iterator<Item = (u8, std::ops::Range<usize>)> + 'a {
    fields.iter().flat_map(move |f| {
        let mut k = f.start;
        std::iter::from_fn(move || {
            if k >= f.end {
                return None;
            }
            let (byte, len) = match raw[k] {
                b'\\' if k + 3 < f.end && raw[k + 1..k + 4].iter().all(u8::is_ascii_digit) => {
                    let v = u32::from(raw[k + 1] - b'0') * 100
                        + u32::from(raw[k + 2] - b'0') * 10
                        + u32::from(raw[k + 3] - b'0');
                    (u8::try_from(v).unwrap_or(b'?'), 4)
                }
                b'\\' if k + 1 < f.end => (raw[k + 1], 2),
                b => (b, 1),
            };
            let at = k..k + len;
            k += len;
            Some((byte, at))
        })
    })
}

impl Joined {
    /// The file span of the text's bytes `range` (an empty range: the point where that
    /// byte, or the end of the text, was written).
    pub fn span(&self, range: std::ops::Range<usize>) -> crate::span::Span {
        let (mut start, mut end) = (None, None);
        let mut last_end = self.fields.last().map_or(0, |f| f.end);
        for (n, (_, at)) in decoded(&self.raw, &self.fields).enumerate() {
            if n == range.start {
                start = Some(at.start);
            }
            if n + 1 == range.end {
                end = Some(at.end);
            }
            last_end = at.end;
            if n + 1 >= range.end.max(range.start + 1) {
                break;
            }
        }
        let start = start.unwrap_or(last_end);
        let end = end
            .filter(|_| range.end > range.start)
            .unwrap_or(start)
            .max(start);
        crate::span::Span::new(self.base + start, self.base + end)
    }

    pub fn as_str(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.text)
    }
}

/// The joined text of a TXT-like record (escapes decoded), or `None` as for [`fields`].
pub fn joined(set: &ZoneSet, zone: &Zone, r: &Record) -> Option<Joined> {
    let (raw, fields) = rdata_fields(set, zone, r)?;
    let text = decoded(&raw, &fields).map(|(b, _)| b).collect();
    Some(Joined {
        text,
        raw,
        base: r.span.start as usize,
        fields,
    })
}
