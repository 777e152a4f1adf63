//! Building fixes: edits located on the tokens of a record, read again from its file.
//!
//! Rules describe the correction; these helpers find the bytes. A record from
//! `$GENERATE` gets no edit (the line would have to be expanded), and neither does one
//! whose file changed since it was read.

use crate::fix::{Applicability, Edit, Fix};
use crate::model::zone::{Record, Zone, ZoneSet};
use crate::span::Span;
use crate::syntax::lexer::{Lexer, TokenKind};

/// The bytes of a file around a record — its lines and a few after — indexed by file
/// offsets. Fixes read only this much again: a set with thousands of fixes in large
/// reverse zones never holds those files in memory.
struct Window<'a> {
    base: usize,
    bytes: std::borrow::Cow<'a, [u8]>,
    /// The window reaches the end of the file.
    at_end: bool,
}

/// How many lines after a record a fix may need to look at (the next record's owner).
const LINES_AFTER: usize = 64;

impl Window<'_> {
    fn end(&self) -> usize {
        self.base + self.bytes.len()
    }

    fn get(&self, at: usize) -> Option<&u8> {
        at.checked_sub(self.base).and_then(|i| self.bytes.get(i))
    }
}

impl std::ops::Index<std::ops::Range<usize>> for Window<'_> {
    type Output = [u8];
    fn index(&self, r: std::ops::Range<usize>) -> &[u8] {
        &self.bytes[r.start - self.base..r.end - self.base]
    }
}

impl std::ops::Index<std::ops::RangeFrom<usize>> for Window<'_> {
    type Output = [u8];
    fn index(&self, r: std::ops::RangeFrom<usize>) -> &[u8] {
        &self.bytes[r.start - self.base..]
    }
}

impl std::ops::Index<std::ops::RangeTo<usize>> for Window<'_> {
    type Output = [u8];
    fn index(&self, r: std::ops::RangeTo<usize>) -> &[u8] {
        &self.bytes[..r.end - self.base]
    }
}

/// The spans of a record's words and quoted strings, and the bytes around it.
fn tokens<'a>(set: &'a ZoneSet, zone: &Zone, r: &Record) -> Option<(u32, Window<'a>, Vec<Span>)> {
    if r.flags & Record::GENERATED != 0 {
        return None;
    }
    let source = zone.location(r).source;
    let src = set.sources.get(source);
    let first = src.line_index(r.span.start as usize);
    let last = src.line_index(
        (r.span.end as usize)
            .saturating_sub(1)
            .max(r.span.start as usize),
    );
    let (base, bytes) = src.read_lines(first, last + LINES_AFTER)?;
    let text = Window {
        base,
        at_end: base + bytes.len() >= src.len() as usize,
        bytes,
    };
    if text.end() < r.span.end as usize {
        return None;
    }
    let record = &text[r.span.range()];
    let at = r.span.start as usize;
    let spans = Lexer::new(record)
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Quoted { .. }))
        .map(|t| Span::new(at + t.span.start as usize, at + t.span.end as usize))
        .collect();
    Some((source, text, spans))
}

/// An edit of the record's last field that keeps a trailing comment in its column: the
/// spaces between the field and the comment shrink or grow by the change in length.
fn edit_last_field(
    set: &ZoneSet,
    zone: &Zone,
    r: &Record,
    new_field: impl FnOnce(&str) -> String,
) -> Option<Edit> {
    let (source, text, spans) = tokens(set, zone, r)?;
    let last = *spans.last()?;
    let old = String::from_utf8_lossy(&text[last.range()]).into_owned();
    let mut content = new_field(&old);
    let rest = &text[last.end as usize..];
    let gap = rest.iter().take_while(|b| **b == b' ').count();
    let mut end = last.end as usize;
    if gap > 0 && rest.get(gap) == Some(&b';') {
        let wanted = (gap + old.len()).saturating_sub(content.len()).max(1);
        content.push_str(&" ".repeat(wanted));
        end += gap;
    }
    Some(Edit {
        source,
        span: Span::new(last.start as usize, end),
        content,
    })
}

/// Replaces a record's type and data (`CNAME srv1` → `A 203.0.113.25`), keeping its
/// owner, TTL, class and the layout between the type and the data.
pub fn replace_type_and_data(
    set: &ZoneSet,
    zone: &Zone,
    r: &Record,
    rtype: &str,
    data: &str,
) -> Option<Edit> {
    use crate::rr::RType;
    let (source, text, spans) = tokens(set, zone, r)?;
    let word = |k: usize| &text[spans[k].range()];
    // The type is the first token after the owner (if any), TTL, class and aging mark
    // that names the record's type.
    let at = (0..spans.len()).find(|&k| {
        RType::from_mnemonic(word(k)) == Some(r.rtype)
            && (0..k).all(|j| {
                j == 0
                    || word(j).first().is_some_and(u8::is_ascii_digit)
                    || crate::rr::RClass::from_mnemonic(word(j)).is_some()
                    || crate::syntax::parser::is_aging(word(j))
            })
    })?;
    let first_data = *spans.get(at + 1)?;
    let last = *spans.last()?;
    let gap = String::from_utf8_lossy(&text[spans[at].end as usize..first_data.start as usize])
        .into_owned();
    Some(Edit {
        source,
        span: Span::new(spans[at].start as usize, last.end as usize),
        content: format!("{rtype}{gap}{data}"),
    })
}

/// Adds `term` before the `all` term of an SPF record (`ip4:203.0.113.25`), keeping
/// each character-string within 255 octets: when the string would grow past it, the
/// term starts a new string.
pub fn add_spf_term(set: &ZoneSet, zone: &Zone, r: &Record, term: &str) -> Option<Edit> {
    let source = zone.location(r).source;
    let src = set.sources.get(source);
    if r.flags & Record::GENERATED != 0 {
        return None;
    }
    let bytes = src.read_range(r.span.start as usize, r.span.end as usize)?;
    let base = r.span.start as usize;
    for t in Lexer::new(&bytes) {
        if !matches!(t.kind, TokenKind::Quoted { .. }) {
            continue;
        }
        let quoted = &bytes[t.span.range()];
        let inner =
            String::from_utf8_lossy(&quoted[1..quoted.len().saturating_sub(1)]).into_owned();
        // The `all` term: a word `all` with an optional qualifier.
        let mut offset = 0;
        let mut found = None;
        for w in inner.split(' ') {
            let bare = w.trim_start_matches(['+', '-', '~', '?']);
            if bare.eq_ignore_ascii_case("all") {
                found = Some(offset);
                break;
            }
            offset += w.len() + 1;
        }
        let Some(at) = found else { continue };
        let insert_at = base + t.span.start as usize + 1 + at;
        let content = if inner.len() + term.len() < 255 {
            format!("{term} ")
        } else {
            // End this string before the `all` term and start a new one with the term.
            format!("\" \"{term} ")
        };
        return Some(Edit {
            source,
            span: Span::new(insert_at, insert_at),
            content,
        });
    }
    None
}

/// Replaces the record's last field (a target or an address) by `content`.
pub fn replace_last_field(set: &ZoneSet, zone: &Zone, r: &Record, content: &str) -> Option<Edit> {
    edit_last_field(set, zone, r, |_| content.to_string())
}

/// Appends `content` to the record's last field (a trailing dot to a target).
pub fn append_to_last_field(set: &ZoneSet, zone: &Zone, r: &Record, content: &str) -> Option<Edit> {
    edit_last_field(set, zone, r, |old| format!("{old}{content}"))
}

/// `edit` as a fix of the record; for a record a `$GENERATE` line produced, which has
/// no edit of its own, the same correction described only.
pub fn fix_record(
    r: &Record,
    edit: Option<Edit>,
    applicability: Applicability,
    title: String,
) -> Option<Fix> {
    match edit {
        Some(e) => Some(Fix::new(applicability, title, vec![e])),
        None if r.flags & Record::GENERATED != 0 => Some(Fix::new(
            Applicability::DisplayOnly,
            format!(
                "{title} (the record comes from a `$GENERATE` line, which zonelint does not expand: change that line by hand)"
            ),
            Vec::new(),
        )),
        None => None,
    }
}

fn line_bounds(text: &Window, span: Span) -> (usize, usize) {
    let start = memchr::memrchr(b'\n', &text[text.base..span.start as usize])
        .map_or(text.base, |i| text.base + i + 1);
    let end = memchr::memchr(b'\n', &text[span.end as usize..])
        .map_or(text.end(), |i| span.end as usize + i + 1);
    (start, end)
}

/// Deletes the lines a record occupies. Safe only when nothing else stands on them and
/// the next record does not inherit the owner written on the deleted line.
pub fn delete_record(set: &ZoneSet, zone: &Zone, r: &Record, title: &str) -> Option<Fix> {
    let Some((source, text, spans)) = tokens(set, zone, r) else {
        return fix_record(r, None, Applicability::Safe, title.to_string());
    };
    let (start, end) = line_bounds(&text, r.span);
    let before_alone = text[start..r.span.start as usize]
        .iter()
        .all(|b| *b == b' ' || *b == b'\t');
    let after = &text[r.span.end as usize..end];
    let after_alone = after
        .iter()
        .find(|b| **b != b' ' && **b != b'\t')
        .is_none_or(|b| *b == b';' || *b == b'\n' || *b == b'\r');
    let writes_owner =
        text.get(start).is_some_and(|b| *b != b' ' && *b != b'\t') && !spans.is_empty();
    // Past the window and not at the end of the file, the next record is unknown:
    // assume it inherits, which keeps the fix from being applied unread.
    let next_inherits = match text[end..].split(|b| *b == b'\n').find(|l| {
        !l.iter().all(|b| b.is_ascii_whitespace()) && !l.trim_ascii_start().starts_with(b";")
    }) {
        Some(l) => l.first().is_some_and(|b| *b == b' ' || *b == b'\t'),
        None => !text.at_end,
    };
    let applicability = if before_alone && after_alone && !(writes_owner && next_inherits) {
        Applicability::Safe
    } else {
        Applicability::DisplayOnly
    };
    Some(Fix::new(
        applicability,
        title,
        vec![Edit {
            source,
            span: Span::new(start, end),
            content: String::new(),
        }],
    ))
}

/// Adds a record line after `after` (or at the end of the zone's file), laid out like
/// `after`: its owner and last field swapped for `owner` and `value`, the columns kept.
pub fn insert_record(
    set: &ZoneSet,
    zone: &Zone,
    after: Option<&Record>,
    (relative, absolute): (&str, &str),
    rtype: &str,
    value: &str,
) -> Option<Edit> {
    if let Some(r) = after
        && let Some((source, text, spans)) = tokens(set, zone, r)
        && spans.len() >= 2
    {
        let (start, end) = line_bounds(&text, r.span);
        let line_has_owner = text.get(start).is_some_and(|b| *b != b' ' && *b != b'\t');
        let last = *spans.last()?;
        let mut line = String::new();
        // Write the owner as the neighbour does: relative, or absolute with a dot.
        let owner = if line_has_owner && text[spans[0].range()].ends_with(b".") {
            absolute
        } else {
            relative
        };
        if line_has_owner {
            let first = spans[0];
            line.push_str(owner);
            // Keep the column where the next field starts.
            let gap_start = first.end as usize;
            let next = spans[1].start as usize;
            let width = next - start;
            let gap = String::from_utf8_lossy(&text[gap_start..next]).into_owned();
            if gap.contains('\t') || owner.len() >= width {
                line.push_str(if gap.contains('\t') { &gap } else { " " });
            } else {
                line.push_str(&" ".repeat(width - owner.len()));
            }
            line.push_str(&without_aging(&String::from_utf8_lossy(
                &text[next..last.start as usize],
            )));
        } else {
            line.push_str(owner);
            line.push('\t');
            line.push_str(
                without_aging(&String::from_utf8_lossy(
                    &text[spans[0].start as usize..last.start as usize],
                ))
                .trim_start(),
            );
        }
        line.push_str(value);
        // The file's own line end (Windows DNS writes CRLF).
        line.push_str(if text[..end].ends_with(b"\r\n") {
            "\r\n"
        } else {
            "\n"
        });
        // The neighbour's type may differ (a CNAME next to PTRs): name the one meant.
        let neighbour_type = r.rtype.to_string();
        if neighbour_type != rtype {
            line = line
                .replacen(&format!(" {neighbour_type} "), &format!(" {rtype} "), 1)
                .replacen(&format!("\t{neighbour_type}\t"), &format!("\t{rtype}\t"), 1);
        }
        let at = if text[..end].ends_with(b"\n") {
            end
        } else {
            line.insert(0, '\n');
            end
        };
        return Some(Edit {
            source,
            span: Span::new(at, at),
            content: line,
        });
    }
    let source = zone.source;
    let src = set.sources.get(source);
    let len = src.len() as usize;
    let last_byte = src.read_range(len.saturating_sub(1), len)?;
    let mut line = String::new();
    if len > 0 && last_byte.as_ref() != b"\n" {
        line.push('\n');
    }
    line.push_str(&format!("{relative}\tIN\t{rtype}\t{value}\n"));
    Some(Edit {
        source,
        span: Span::new(len, len),
        content: line,
    })
}

/// The fields between a neighbour's owner and value without a Windows DNS aging mark
/// (`[AGE:3614289]`): a record zonelint adds is static, and the mark would make the
/// server scavenge it as a stale dynamic record.
fn without_aging(middle: &str) -> std::borrow::Cow<'_, str> {
    let Some(start) = middle.find("[AGE:") else {
        return middle.into();
    };
    let Some(close) = middle[start..].find(']') else {
        return middle.into();
    };
    let end = start + close + 1;
    let rest = &middle[end..];
    let skip = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    format!("{}{}", &middle[..start], &rest[skip..]).into()
}

/// Fixes that edit a signed zone become display-only: any edit invalidates signatures.
pub fn is_signed(zone: &Zone) -> bool {
    use crate::rr::RType;
    zone.records
        .iter()
        .any(|r| matches!(r.rtype, RType::RRSIG | RType::NSEC | RType::NSEC3))
}

/// The edit that raises a zone's SOA serial ([`crate::fix::next_serial`]), on the serial
/// field where it is written (inside parentheses and beside its comment, as it stands).
pub fn serial_edit(set: &ZoneSet, zone: &Zone, today: u32) -> Option<Edit> {
    use crate::rr::RType;
    let soa = zone
        .records
        .iter()
        .find(|r| r.rtype == RType::SOA && r.owner == zone.origin)?;
    let old = zone.soa_of(soa)?.serial;
    let (source, text, spans) = tokens(set, zone, soa)?;
    let at = spans
        .iter()
        .position(|s| text[s.range()].eq_ignore_ascii_case(b"SOA"))?;
    let serial = *spans.get(at + 3)?;
    if text[serial.range()] != *old.to_string().as_bytes() {
        return None;
    }
    Some(Edit {
        source,
        span: serial,
        content: crate::fix::next_serial(old, today).to_string(),
    })
}
