//! Corrections as edits on the original bytes: applying them, bumping SOA serials,
//! printing unified diffs, and writing files atomically.
//!
//! Rules attach a [`Fix`] to a diagnostic; this module never decides what is wrong. An
//! edit replaces a byte range of one source with new text, so every byte it does not
//! touch — comments, alignment, other records — stays as it was.

use crate::span::Span;
use std::path::Path;

/// How safe a fix is to apply without a person reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Only described: applying it needs a decision zonelint cannot make.
    DisplayOnly,
    /// Changes what is published (adds a PTR, rewrites a target): `--unsafe-fixes`.
    Unsafe,
    /// Keeps the meaning exactly (removes an exact duplicate): applied by default.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

/// Replace the bytes `span` of source `source` by `content` (an insertion when the span
/// is empty, a deletion when the content is).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub source: u32,
    pub span: Span,
    pub content: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub title: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(applicability: Applicability, title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            applicability,
            title: title.into(),
            edits,
        }
    }
}

/// Applies edits to one file's bytes in one sorted pass. An edit overlapping one already
/// applied is skipped, and so is an insertion equal to one already made at the same
/// place (two findings adding the same record); different insertions at one place are
/// made in the order given. Returns the new bytes and how many edits were applied.
pub fn apply(text: &[u8], edits: &[&Edit]) -> (Vec<u8>, usize) {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = Vec::with_capacity(text.len() + 256);
    let mut pos = 0usize;
    // The insertions made at `pos` so far, when the last edit was an insertion there.
    let mut inserted_here: Vec<&str> = Vec::new();
    let mut applied = 0;
    for e in sorted {
        let (start, end) = (e.span.start as usize, e.span.end as usize);
        let insertion = start == end;
        if end > text.len() || start < pos {
            continue;
        }
        if insertion && start == pos && inserted_here.contains(&e.content.as_str()) {
            continue;
        }
        if start > pos || !insertion {
            inserted_here.clear();
        }
        out.extend_from_slice(&text[pos..start]);
        out.extend_from_slice(e.content.as_bytes());
        pos = end;
        if insertion {
            inserted_here.push(&e.content);
        }
        applied += 1;
    }
    out.extend_from_slice(&text[pos..]);
    (out, applied)
}

/// Today as `YYYYMMDD` (UTC), honouring `SOURCE_DATE_EPOCH` for reproducible runs.
pub fn today() -> u32 {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    date_of(secs)
}

/// `YYYYMMDD` (UTC) of a Unix time.
fn date_of(secs: i64) -> u32 {
    // Days to civil date (Howard Hinnant's algorithm).
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year * 10_000 + month * 100 + day) as u32
}

/// The next serial: a date serial `YYYYMMDDnn` becomes the larger of today's
/// `YYYYMMDD00` and the old serial + 1; any other serial + 1. Both in RFC 1982
/// arithmetic (wrapping at 2^32), so the serial never goes backwards.
pub fn next_serial(old: u32, today: u32) -> u32 {
    let plus_one = old.wrapping_add(1);
    let is_date = (1_970_010_100..=2_999_123_199).contains(&old) && {
        let date = old / 100;
        let (month, day) = ((date / 100) % 100, date % 100);
        (1..=12).contains(&month) && (1..=31).contains(&day)
    };
    if !is_date {
        return plus_one;
    }
    let today00 = today.wrapping_mul(100);
    // RFC 1982: a is greater than b when (a - b) mod 2^32 is in 1..2^31.
    let greater = today00.wrapping_sub(plus_one);
    if greater != 0 && greater < 1 << 31 {
        today00
    } else {
        plus_one
    }
}

/// A unified diff of one file (3 lines of context, `a/` and `b/` headers), empty when
/// nothing changed. Lines that are not UTF-8 are shown lossily.
pub fn unified_diff(path: &str, old: &[u8], new: &[u8]) -> String {
    if old == new {
        return String::new();
    }
    let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(new));
    similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(3)
        .missing_newline_hint(true)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// One edit of a fix as the lines it changes: where, the old lines and the new ones.
/// The human format prints these as a short diff under the finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preview {
    pub display: String,
    /// 1-based line of the first old line (for an insertion: the line it goes before).
    pub line: usize,
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

/// The lines each edit of `fix` changes, computed on the edited lines alone so that a
/// preview costs nothing like a whole-file diff. Empty for a source that changed on disk.
pub fn preview(sources: &crate::source::Sources, fix: &Fix) -> Vec<Preview> {
    let mut out = Vec::new();
    for e in &fix.edits {
        let source = sources.get(e.source);
        let len = source.len() as usize;
        let (start, end) = (
            (e.span.start as usize).min(len),
            (e.span.end as usize).min(len),
        );
        let first = source.line_index(start);
        let last = if end > start {
            source.line_index(end - 1)
        } else {
            first
        };
        // Only the lines the edit touches are read again.
        let Some((region_start, lines)) = source.read_lines(first, last) else {
            continue;
        };
        let insert_at_line_start = end == start && start == region_start;
        let region_end = if insert_at_line_start {
            start
        } else {
            (region_start + lines.len()).max(end)
        };
        let text = |a: usize, b: usize| {
            String::from_utf8_lossy(&lines[a - region_start..b - region_start]).into_owned()
        };
        let old = text(region_start, region_end.min(region_start + lines.len()));
        let mut new = text(region_start, start);
        new.push_str(&e.content);
        new.push_str(&text(
            end.min(region_start + lines.len()),
            region_end.min(region_start + lines.len()),
        ));
        let lines = |s: &str| -> Vec<String> { s.lines().map(str::to_owned).collect() };
        let (removed, added) = (lines(&old), lines(&new));
        if removed != added {
            out.push(Preview {
                display: normalise_path(&source.display),
                line: first + 1,
                removed,
                added,
            });
        }
    }
    out
}

/// One file a fix run changes: its bytes before and after.
pub struct FileChange {
    pub source: u32,
    /// The path for diff headers, relative to the working directory.
    pub display: String,
    pub path: std::path::PathBuf,
    pub old: Vec<u8>,
    pub new: Vec<u8>,
}

/// What a fix run would do.
pub struct Plan {
    pub changes: Vec<FileChange>,
    /// Files that would change but changed on disk since they were read.
    pub stale: Vec<String>,
    /// Fixes applied; fixes that need `--unsafe-fixes`; fixes only described.
    pub applied: usize,
    pub needs_unsafe: usize,
    pub display_only: usize,
}

impl Plan {
    /// What was left out and why, for stderr; empty when every fix applied.
    pub fn held_back_note(&self) -> String {
        let mut parts = Vec::new();
        if self.needs_unsafe > 0 {
            parts.push(format!("{} need --unsafe-fixes", self.needs_unsafe));
        }
        if self.display_only > 0 {
            parts.push(format!(
                "{} display-only (`zonelint check` describes them)",
                self.display_only
            ));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("fixes not applied: {}", parts.join(", "))
        }
    }
}

/// Applies every fix at least as safe as `allow` (never display-only ones), then raises
/// the SOA serial of each zone whose files changed, once.
pub fn plan(report: &crate::Report, allow: Applicability, today: u32) -> Plan {
    let (mut applied, mut needs_unsafe, mut display_only) = (0, 0, 0);
    let mut edits = Vec::new();
    for d in &report.diagnostics {
        match d.fix() {
            Some(f) if f.applicability == Applicability::DisplayOnly => display_only += 1,
            Some(f) if f.applicability >= allow => {
                applied += 1;
                edits.extend(f.edits.iter().cloned());
            }
            Some(_) => needs_unsafe += 1,
            None => {}
        }
    }
    let (changes, stale) = changes(&report.set, edits, today);
    Plan {
        changes,
        stale,
        applied,
        needs_unsafe,
        display_only,
    }
}

/// Applies `edits` to the files of `set`, raising the SOA serial of each zone whose
/// files change, once; returns the files that changed, and those that would have but
/// changed on disk since they were read.
pub fn changes(
    set: &crate::model::ZoneSet,
    mut edits: Vec<Edit>,
    today: u32,
) -> (Vec<FileChange>, Vec<String>) {
    use std::collections::BTreeMap;
    let touched: std::collections::HashSet<u32> = edits.iter().map(|e| e.source).collect();
    edits.extend(
        set.zones
            .iter()
            .filter(|z| z.sources.iter().any(|s| touched.contains(s)))
            .filter_map(|z| crate::rules::edits::serial_edit(set, z, today)),
    );
    let mut by_source: BTreeMap<u32, Vec<&Edit>> = BTreeMap::new();
    for e in &edits {
        by_source.entry(e.source).or_default().push(e);
    }
    let mut changes = Vec::new();
    let mut stale = Vec::new();
    for (source, edits) in by_source {
        let src = set.sources.get(source);
        let Some(old) = src.text().filter(|_| src.unchanged_on_disk()) else {
            stale.push(normalise_path(&src.display));
            continue;
        };
        let (new, _) = apply(old, &edits);
        if new != old {
            changes.push(FileChange {
                source,
                display: normalise_path(&src.display),
                path: src.path.clone(),
                old: old.to_vec(),
                new,
            });
        }
    }
    (changes, stale)
}

/// A path for diff headers: `./` and `dir/..` removed, relative to the working directory
/// when it lies below it, so `git apply` and `patch -p1` accept the diff.
pub fn normalise_path(display: &str) -> String {
    use std::path::Component;
    let path = Path::new(display);
    let path = match std::env::current_dir() {
        Ok(cwd) if path.is_absolute() => path
            .strip_prefix(&cwd)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    };
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for c in path.components() {
        match c {
            Component::RootDir => absolute = true,
            Component::CurDir | Component::Prefix(_) => {}
            Component::ParentDir => {
                if parts.last().is_some_and(|p| p != "..") {
                    parts.pop();
                } else {
                    parts.push("..".into());
                }
            }
            Component::Normal(n) => parts.push(n.to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, content: &str) -> Edit {
        Edit {
            source: 0,
            span: Span::new(start, end),
            content: content.into(),
        }
    }

    #[test]
    fn edits_apply_in_order_and_overlaps_are_skipped() {
        let text = b"abcdef";
        let (e1, e2, e3, e4) = (
            edit(4, 6, "XY"),
            edit(0, 1, ""),
            edit(2, 2, "+"),
            edit(2, 2, "-"),
        );
        let same = edit(2, 2, "+");
        let (out, n) = apply(text, &[&e1, &e2, &e3, &e4, &same]);
        assert_eq!(String::from_utf8(out).unwrap(), "b+-cdXY");
        assert_eq!(n, 4);
        let overlapping = edit(3, 5, "!");
        let (out, n) = apply(text, &[&e1, &overlapping]);
        assert_eq!(
            (String::from_utf8(out).unwrap(), n),
            ("abc!f".to_string(), 1)
        );
    }

    #[test]
    fn serials_move_forward() {
        assert_eq!(next_serial(2026112801, 20261129), 2026112900);
        assert_eq!(next_serial(2026112905, 20261129), 2026112906);
        assert_eq!(next_serial(2026113099, 20261129), 2026113100);
        assert_eq!(next_serial(41, 20261129), 42);
        assert_eq!(next_serial(u32::MAX, 20261129), 0);
    }

    #[test]
    fn unix_times_to_dates() {
        assert_eq!(date_of(0), 19_700_101);
        assert_eq!(date_of(951_868_799), 20_000_229);
        assert_eq!(date_of(1_795_910_400), 20_261_129);
        assert_eq!(date_of(1_795_910_399), 20_261_128);
    }

    #[test]
    fn diffs_have_git_headers() {
        let d = unified_diff("zones/x.zone", b"a\nb\nc\n", b"a\nB\nc\n");
        assert!(
            d.starts_with("--- a/zones/x.zone\n+++ b/zones/x.zone\n@@ -1,3 +1,3 @@\n"),
            "{d}"
        );
        assert!(unified_diff("x", b"same", b"same").is_empty());
        let d = unified_diff("x", b"a", b"b");
        assert!(d.contains("\\ No newline at end of file"), "{d}");
    }
}
