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
    fields_of(bytes, r.rtype)
}

/// The ranges of the RDATA fields in `bytes`, the text of one record of type `rtype`.
fn fields_of(bytes: Vec<u8>, rtype: RType) -> Option<(Vec<u8>, Vec<std::ops::Range<usize>>)> {
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
            if RType::from_mnemonic(w) == Some(rtype) {
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
        if self.text.len() == self.fields.iter().map(|f| f.len()).sum::<usize>() {
            // No escapes: each text byte is one byte of a field, found by arithmetic.
            return self.span_unescaped(range);
        }
        self.span_decoded(range)
    }

    /// [`Joined::span`] the long way: decoding the text byte by byte.
    fn span_decoded(&self, range: std::ops::Range<usize>) -> crate::span::Span {
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

    /// [`Joined::span`] when every byte of the text was written as itself.
    fn span_unescaped(&self, range: std::ops::Range<usize>) -> crate::span::Span {
        // Where text byte `n` was written; `end` asks for the end of byte `n - 1`.
        let at = |n: usize, end: bool| -> Option<usize> {
            let mut before = 0;
            for f in &self.fields {
                if (end && n <= before + f.len() && n > before) || (!end && n < before + f.len()) {
                    return Some(f.start + (n - before));
                }
                before += f.len();
            }
            None
        };
        // Past the text: where its last byte ends (the last string's end if it is empty).
        let last_end = at(self.text.len(), true)
            .or(self.fields.last().map(|f| f.end))
            .unwrap_or(0);
        let start = at(range.start, false).unwrap_or(last_end);
        let end = if range.end > range.start {
            at(range.end, true).unwrap_or(start).max(start)
        } else {
            start
        };
        crate::span::Span::new(self.base + start, self.base + end)
    }

    pub fn as_str(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.text)
    }
}

/// The joined text of a TXT-like record (escapes decoded), or `None` as for [`fields`].
pub fn joined(set: &ZoneSet, zone: &Zone, r: &Record) -> Option<Joined> {
    let (raw, fields) = rdata_fields(set, zone, r)?;
    Some(join(raw, fields, r))
}

/// The text of each of `indices` (records of `zone`) as written, read with one pass
/// over each file for all of them rather than a read per record; the `k`th is `None`
/// for a record from `$GENERATE` or a file that changed. [`joined_from`] makes each
/// one's joined text.
pub fn read_many(set: &ZoneSet, zone: &Zone, indices: &[usize]) -> ReadTexts {
    // Group the records by file, keeping where each goes.
    let mut by_source: Vec<(u32, usize)> = indices
        .iter()
        .enumerate()
        .filter(|&(_, &i)| zone.records[i].flags & Record::GENERATED == 0)
        .map(|(k, &i)| (zone.source_of(i), k))
        .collect();
    by_source.sort_unstable();
    let mut texts = ReadTexts {
        batch: crate::source::Batch::default(),
        slot: vec![None; indices.len()],
    };
    for group in by_source.chunk_by(|a, b| a.0 == b.0) {
        let source = set.sources.get(group[0].0);
        let ranges: Vec<(usize, usize)> = group
            .iter()
            .map(|&(_, k)| {
                let r = &zone.records[indices[k]];
                (r.span.start as usize, r.span.end as usize)
            })
            .collect();
        let first = texts.batch.len();
        texts.batch.append(source.read_ranges(&ranges));
        for (j, &(_, k)) in group.iter().enumerate() {
            texts.slot[k] = Some(first + j);
        }
    }
    texts
}

/// What [`read_many`] read.
pub struct ReadTexts {
    batch: crate::source::Batch,
    slot: Vec<Option<usize>>,
}

impl ReadTexts {
    /// The text of the `k`th record asked for.
    pub fn get(&self, k: usize) -> Option<&[u8]> {
        self.batch.get((*self.slot.get(k)?)?)
    }
}

/// The joined text of `r` from its text as written (see [`read_many`]).
pub fn joined_from(bytes: &[u8], r: &Record) -> Option<Joined> {
    let (raw, fields) = fields_of(bytes.to_vec(), r.rtype)?;
    Some(join(raw, fields, r))
}

fn join(raw: Vec<u8>, fields: Vec<std::ops::Range<usize>>, r: &Record) -> Joined {
    let mut text = Vec::with_capacity(fields.iter().map(|f| f.len()).sum());
    for f in &fields {
        let field = &raw[f.clone()];
        if memchr::memchr(b'\\', field).is_none() {
            text.extend_from_slice(field);
        } else {
            text.extend(decoded(&raw, std::slice::from_ref(f)).map(|(b, _)| b));
        }
    }
    Joined {
        text,
        raw,
        base: r.span.start as usize,
        fields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn joined(raw: &[u8], fields: Vec<std::ops::Range<usize>>) -> Joined {
        let text = decoded(raw, &fields).map(|(b, _)| b).collect();
        Joined {
            text,
            raw: raw.to_vec(),
            base: 100,
            fields,
        }
    }

    #[test]
    fn spans_of_unescaped_text_point_into_their_strings() {
        // `"v=DKIM1; " "p=AB"` with the quotes' contents at 1..10 and 13..17.
        let j = joined(b"\"v=DKIM1; \" \"p=AB\"", vec![1..10, 13..17]);
        assert_eq!(j.text, b"v=DKIM1; p=AB");
        assert_eq!(j.span(0..1), crate::span::Span::new(101, 102));
        assert_eq!(j.span(9..13), crate::span::Span::new(113, 117));
        assert_eq!(j.span(8..10), crate::span::Span::new(109, 114));
        assert_eq!(j.span(13..13), crate::span::Span::new(117, 117));
    }

    proptest! {
        /// The arithmetic shortcut for text without escapes gives the spans decoding
        /// gives, for every range, including empty strings and ranges past the end.
        #[test]
        fn unescaped_spans_match_decoding(
            lens in proptest::collection::vec(0usize..6, 1..5),
            a in 0usize..30,
            b in 0usize..30,
        ) {
            let mut raw = Vec::new();
            let mut fields = Vec::new();
            for len in lens {
                raw.push(b' ');
                let start = raw.len();
                raw.extend(std::iter::repeat_n(b'x', len));
                fields.push(start..raw.len());
            }
            let j = joined(&raw, fields);
            let range = a.min(b)..a.max(b);
            prop_assert_eq!(j.span_unescaped(range.clone()), j.span_decoded(range));
        }
    }
}
