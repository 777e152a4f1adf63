//! Inline suppression: `zonelint: disable=CODE,...` comments in zone files (after `;`)
//! and in the inventory (after `#`).
//!
//! - on a line of its own, a directive covers the next record (all its lines);
//! - at the end of a record's line, it covers that record;
//! - `disable-file=CODE,...` anywhere covers the whole file.
//!
//! Codes may be prefixes (`PTR`), as in the configuration. A directive zonelint cannot
//! read is `LINT001`; one that suppressed nothing is `LINT002`.

use crate::diagnostic::{Diagnostic, Location};
use crate::model::ZoneSet;
use crate::span::Span;
use std::collections::BTreeMap;

pub(crate) const MARKER: &[u8] = b"zonelint:";

/// What a directive covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    File,
    Bytes(Span),
}

#[derive(Clone, Debug)]
struct Directive {
    location: Location,
    codes: Vec<String>,
    scope: Scope,
    used: bool,
}

/// A finding a directive hid, and where that directive is.
#[derive(Clone, Debug)]
pub struct Suppressed {
    pub diagnostic: Diagnostic,
    pub by: Location,
}

/// Where the comment of a line starts, if it has one: the first `comment` byte outside
/// a quoted string.
fn comment_start(line: &[u8], comment: u8) -> Option<usize> {
    let (mut quoted, mut escaped) = (false, false);
    for (i, &b) in line.iter().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'"' if comment == b';' => quoted = !quoted,
            // In YAML, `#` starts a comment only after a space (`a#b` is text).
            _ if b == comment
                && !quoted
                && (comment == b';' || i == 0 || line[i - 1].is_ascii_whitespace()) =>
            {
                return Some(i);
            }
            _ => {}
        }
    }
    None
}

/// The lines of `text` as (start, end without the newline).
fn lines(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text) {
        out.push((start, end));
        start = end + 1;
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

fn is_blank_or_comment(line: &[u8], comment: u8) -> bool {
    let t = line.trim_ascii();
    t.is_empty() || t[0] == comment
}

fn indent(line: &[u8]) -> usize {
    line.iter()
        .take_while(|b| **b == b' ' || **b == b'\t')
        .count()
}

/// Reads every directive of one source. `records` are the spans of the records read
/// from it, sorted; the inventory has none and uses its indentation instead.
fn scan(
    source: u32,
    text: &[u8],
    comment: u8,
    records: &[Span],
    out: &mut Vec<Directive>,
    problems: &mut Vec<Diagnostic>,
) {
    let lines = lines(text);
    let layout = Layout::new(text, &lines, comment);
    for (n, &(start, end)) in lines.iter().enumerate() {
        let line = &text[start..end];
        if memchr::memmem::find(line, MARKER).is_none() {
            continue;
        }
        let Some(c) = comment_start(line, comment) else {
            continue;
        };
        let body = line[c + 1..].trim_ascii_start();
        let Some(rest) = body.strip_prefix(MARKER) else {
            continue;
        };
        let at = Location {
            source,
            span: Span::new(start + c, end),
        };
        let rest = String::from_utf8_lossy(rest.trim_ascii());
        let word = rest.split_whitespace().next().unwrap_or("");
        let (verb, list) = word.split_once('=').unwrap_or((word, ""));
        let file_wide = match verb {
            "disable" => false,
            "disable-file" => true,
            _ => {
                problems.push(
                    Diagnostic::new(
                        "LINT001",
                        at,
                        format!("`zonelint: {word}` is not a directive zonelint knows"),
                    )
                    .with_label("not understood")
                    .with_help(
                        "write `zonelint: disable=CODE,...` or `zonelint: disable-file=CODE,...`",
                    ),
                );
                continue;
            }
        };
        let mut codes = Vec::new();
        for code in list.split(',') {
            match crate::config::rule_code(code) {
                Ok(code) => codes.push(code),
                Err(message) => problems.push(
                    Diagnostic::new(
                        "LINT001",
                        at,
                        if code.trim().is_empty() {
                            format!("`zonelint: {verb}` names no code")
                        } else {
                            format!("suppression directive: {message}")
                        },
                    )
                    .with_label("this directive"),
                ),
            }
        }
        if codes.is_empty() {
            continue;
        }
        let own_line = line[..c].trim_ascii().is_empty();
        let scope = if file_wide {
            Scope::File
        } else if own_line {
            // The next line with content, and the record or block that starts there.
            let Some(next) = layout
                .next_content
                .get(n + 1)
                .copied()
                .filter(|&k| k < lines.len())
            else {
                continue;
            };
            Scope::Bytes(covered_from(&layout, &lines, next, comment, records))
        } else if comment == b';' {
            Scope::Bytes(covering(start, end, records))
        } else {
            // In YAML the "record" on a line is the block that starts there.
            Scope::Bytes(covered_from(&layout, &lines, n, comment, records))
        };
        out.push(Directive {
            location: at,
            codes,
            scope,
            used: false,
        });
    }
}

/// What a directive on its own line covers, starting at the line `start..end`: the
/// record that begins there (zone files), or the line and the more indented lines
/// below it (the inventory's YAML).
/// Where each line's content and each YAML block ends, worked out once per file so
/// that many directives cost one pass.
struct Layout {
    /// For each line, the first line at or after it with content (not blank, not only
    /// a comment); `lines.len()` when none.
    next_content: Vec<usize>,
    /// For each content line of YAML, the end of the block it starts (its last line's
    /// end): the lines indented deeper that follow it.
    block_end: Vec<usize>,
}

impl Layout {
    fn new(text: &[u8], lines: &[(usize, usize)], comment: u8) -> Layout {
        let content: Vec<bool> = lines
            .iter()
            .map(|&(s, e)| !is_blank_or_comment(&text[s..e], comment))
            .collect();
        let mut next_content = vec![lines.len(); lines.len() + 1];
        for n in (0..lines.len()).rev() {
            next_content[n] = if content[n] { n } else { next_content[n + 1] };
        }
        let mut block_end: Vec<usize> = lines.iter().map(|&(_, e)| e).collect();
        if comment == b'#' {
            // Open blocks by indentation; a line closes those indented as deep or deeper.
            let mut open: Vec<(usize, usize)> = Vec::new();
            let mut last_content_end = 0;
            for (n, &(s, e)) in lines.iter().enumerate().filter(|&(n, _)| content[n]) {
                let depth = indent(&text[s..e]);
                while open.last().is_some_and(|&(d, _)| d >= depth) {
                    let (_, k) = open.pop().unwrap_or_default();
                    block_end[k] = last_content_end;
                }
                open.push((depth, n));
                last_content_end = e;
            }
            for (_, k) in open {
                block_end[k] = last_content_end;
            }
        }
        Layout {
            next_content,
            block_end,
        }
    }
}

/// What a directive covers when it stands on its own line before line `n` (or, in YAML,
/// at the end of line `n`): the record that starts there, or in YAML the block.
fn covered_from(
    layout: &Layout,
    lines: &[(usize, usize)],
    n: usize,
    comment: u8,
    records: &[Span],
) -> Span {
    let (start, end) = lines[n];
    if comment == b';' {
        let i = records.partition_point(|r| (r.start as usize) < start);
        return match records.get(i) {
            Some(r) if (r.start as usize) <= end => *r,
            _ => Span::new(start, end),
        };
    }
    Span::new(start, layout.block_end[n].max(end))
}

/// What a directive at the end of the line `start..end` covers: the record on that
/// line (all of it, when it spans several), else the line.
fn covering(start: usize, end: usize, records: &[Span]) -> Span {
    let i = records.partition_point(|r| (r.start as usize) <= end);
    match i.checked_sub(1).map(|i| records[i]) {
        Some(r) if r.end as usize >= start => {
            Span::new((r.start as usize).min(start), (r.end as usize).max(end))
        }
        _ => Span::new(start, end),
    }
}

/// Directives by file and position, so that finding the one that covers a finding costs
/// a binary search, not a pass over every directive.
struct Index {
    by_source: hashbrown::HashMap<u32, SourceDirectives>,
}

/// The directives of one source: file-wide ones, and the others sorted by where their
/// scope starts, with the furthest scope end seen up to each of them.
#[derive(Default)]
struct SourceDirectives {
    file_wide: Vec<usize>,
    scoped: Vec<usize>,
    max_end: Vec<u32>,
}

impl Index {
    fn new(directives: &[Directive]) -> Index {
        let mut by_source: hashbrown::HashMap<u32, SourceDirectives> = hashbrown::HashMap::new();
        for (k, d) in directives.iter().enumerate() {
            let entry = by_source.entry(d.location.source).or_default();
            match d.scope {
                Scope::File => entry.file_wide.push(k),
                Scope::Bytes(_) => entry.scoped.push(k),
            }
        }
        let start = |d: &Directive| match d.scope {
            Scope::Bytes(s) => (s.start, s.end),
            Scope::File => (0, u32::MAX),
        };
        for SourceDirectives {
            scoped, max_end, ..
        } in by_source.values_mut()
        {
            scoped.sort_by_key(|&k| start(&directives[k]));
            let mut furthest = 0;
            *max_end = scoped
                .iter()
                .map(|&k| {
                    furthest = furthest.max(start(&directives[k]).1);
                    furthest
                })
                .collect();
        }
        Index { by_source }
    }

    /// The first directive (in file order) that covers `diagnostic`.
    fn find(&self, directives: &[Directive], diagnostic: &Diagnostic) -> Option<usize> {
        let SourceDirectives {
            file_wide,
            scoped,
            max_end,
        } = self.by_source.get(&diagnostic.location.source)?;
        let at = diagnostic.location.span.start;
        let mut best = file_wide
            .iter()
            .copied()
            .find(|&k| covers(&directives[k], diagnostic));
        let upto = scoped.partition_point(|&k| match directives[k].scope {
            Scope::Bytes(s) => s.start <= at,
            Scope::File => true,
        });
        // Walk back only while some earlier scope still reaches `at`.
        for j in (0..upto).rev() {
            if max_end[j] < at {
                break;
            }
            let k = scoped[j];
            if covers(&directives[k], diagnostic) && best.is_none_or(|b| k < b) {
                best = Some(k);
            }
        }
        best
    }
}

fn covers(d: &Directive, diagnostic: &Diagnostic) -> bool {
    d.location.source == diagnostic.location.source
        && d.codes
            .iter()
            .any(|c| diagnostic.code.starts_with(c.as_str()))
        && match d.scope {
            Scope::File => true,
            Scope::Bytes(span) => {
                let at = diagnostic.location.span.start;
                span.start <= at && at <= span.end
            }
        }
}

/// Removes the findings directives cover and returns them; adds `LINT001` for
/// unreadable directives and `LINT002` for those that covered nothing. `active` says
/// whether a code's rule ran, so a directive for a rule that was off is not stale.
pub fn apply(
    set: &ZoneSet,
    diagnostics: &mut Vec<Diagnostic>,
    active: impl Fn(&str) -> bool,
) -> Vec<Suppressed> {
    let mut directives = Vec::new();
    let mut problems = Vec::new();
    let inventory = set.inventory.as_ref().map(|(_, id)| *id);
    let mut with_marker: Vec<u32> = Vec::new();
    for (id, source) in set.sources.files.iter().enumerate() {
        if source.mentions_zonelint() && source.text().is_some() {
            with_marker.push(id as u32);
        }
    }
    if with_marker.is_empty() {
        return Vec::new();
    }
    let mut records: BTreeMap<u32, Vec<Span>> =
        with_marker.iter().map(|&s| (s, Vec::new())).collect();
    for zone in &set.zones {
        if !zone.sources.iter().any(|s| records.contains_key(s)) {
            continue;
        }
        for r in &zone.records {
            let loc = zone.location(r);
            if let Some(list) = records.get_mut(&loc.source) {
                list.push(r.span);
            }
        }
    }
    for (&source, spans) in records.iter_mut() {
        spans.sort_by_key(|s| (s.start, s.end));
        spans.dedup();
        let Some(text) = set.sources.get(source).text() else {
            continue;
        };
        let comment = if Some(source) == inventory {
            b'#'
        } else {
            b';'
        };
        scan(source, text, comment, spans, &mut directives, &mut problems);
    }
    let mut suppressed = Vec::new();
    let index = Index::new(&directives);
    diagnostics.retain(|d| match index.find(&directives, d) {
        Some(k) => {
            let x = &mut directives[k];
            x.used = true;
            suppressed.push(Suppressed {
                diagnostic: d.clone(),
                by: x.location,
            });
            false
        }
        None => true,
    });
    for x in directives.iter().filter(|x| !x.used) {
        let live: Vec<&str> = x
            .codes
            .iter()
            .map(String::as_str)
            .filter(|c| {
                crate::rules::RULES
                    .iter()
                    .any(|r| r.code.starts_with(c) && active(r.code))
            })
            .collect();
        if live.is_empty() {
            continue;
        }
        problems.push(
            Diagnostic::new(
                "LINT002",
                x.location,
                format!("this directive suppressed nothing ({})", live.join(", ")),
            )
            .with_label("no finding here to suppress")
            .with_help("remove the directive, or move it to the record it is meant for"),
        );
    }
    diagnostics.extend(problems);
    suppressed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_start_outside_quotes() {
        assert_eq!(comment_start(b"a TXT \"x;y\" ; c", b';'), Some(12));
        assert_eq!(comment_start(b"a TXT \"x\\\";y\"", b';'), None);
        assert_eq!(comment_start(b"  - name: a # c", b'#'), Some(12));
        assert_eq!(comment_start(b"  helo: a#b", b'#'), None);
    }

    #[test]
    fn directives_cover_records_and_blocks() {
        let records = [Span::new(0, 10), Span::new(20, 40)];
        // End of a line inside a record that spans two lines.
        assert_eq!(covering(30, 40, &records), Span::new(20, 40));
        // A line with no record.
        assert_eq!(covering(12, 18, &records), Span::new(12, 18));
        let yaml = b"hosts:\n  - name: a\n    # c\n    helo: b\n  - name: c\n";
        let lines = lines(yaml);
        let layout = Layout::new(yaml, &lines, b'#');
        let span = covered_from(&layout, &lines, 1, b'#', &[]);
        assert_eq!(&yaml[span.range()], b"  - name: a\n    # c\n    helo: b");
        assert_eq!(layout.next_content[2], 3, "the comment line is skipped");
        let whole = covered_from(&layout, &lines, 0, b'#', &[]);
        assert_eq!(whole.end as usize, yaml.len() - 1);
    }
}
