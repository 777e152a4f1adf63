//! The files a run read.
//!
//! Zone files are parsed in bounded chunks and not kept in memory: a source remembers its
//! line starts (so every location gets a line and column) and its length and
//! modification time. The bytes are read again only when a diagnostic is shown with a
//! snippet, and only if the file is unchanged.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

pub struct Source {
    /// The path as the user gave it, or as found below a directory they gave.
    pub display: String,
    pub path: PathBuf,
    /// Byte offsets of line starts; the first is 0.
    line_starts: crate::line_starts::LineStarts,
    len: u64,
    modified: Option<SystemTime>,
    text: OnceLock<Option<Arc<[u8]>>>,
    /// The file, opened again once for the rules and snippets that read records back
    /// (`None` when it changed since it was read): one handle for all those reads.
    handle: OnceLock<Option<std::fs::File>>,
    /// Whether the bytes hold `zonelint:` (a suppression directive, perhaps): only
    /// such files are read again to look for directives.
    mentions_zonelint: bool,
    /// The text was decoded from another encoding (UTF-16): spans are offsets into the
    /// decoded text, so fixes cannot be written back as edits of the file's bytes.
    pub transcoded: bool,
    /// The bytes added last ended with a CR (whose `\n` may come next).
    cr_at_end: bool,
    /// Nothing in the file read as a record: it is not a zone (a binary or some other
    /// file named by mistake), so reports show none of its lines.
    pub garbled: bool,
}

impl Source {
    /// A source whose bytes are in memory already (tests, generated input).
    pub fn in_memory(display: String, path: PathBuf, text: Arc<[u8]>) -> Source {
        let mut s = Source::streamed(display, path, None);
        s.add_bytes(0, &text);
        s.len = text.len() as u64;
        s.text = OnceLock::from(Some(text));
        s
    }

    /// A source read in chunks; call [`Source::add_bytes`] for each chunk as it is read.
    pub fn streamed(display: String, path: PathBuf, modified: Option<SystemTime>) -> Source {
        Source {
            display,
            path,
            line_starts: crate::line_starts::LineStarts::new(),
            len: 0,
            modified,
            text: OnceLock::new(),
            handle: OnceLock::new(),
            mentions_zonelint: false,
            transcoded: false,
            cr_at_end: false,
            garbled: false,
        }
    }

    /// Records the line starts in `bytes`, which begin at file offset `base`. A line
    /// ends at `\n`, or at a carriage return not followed by one (old Mac files).
    pub fn add_bytes(&mut self, base: usize, bytes: &[u8]) {
        // A CR that ended the previous bytes counted as a line end; the `\n` of its CRLF
        // does not count again.
        let skip =
            usize::from(std::mem::take(&mut self.cr_at_end) && bytes.first() == Some(&b'\n'));
        let rest = &bytes[skip..];
        let base = base + skip;
        if memchr::memchr(b'\r', rest).is_none() {
            self.line_starts
                .extend(memchr::memchr_iter(b'\n', rest).map(|i| (base + i + 1) as u32));
        } else {
            for i in memchr::memchr2_iter(b'\n', b'\r', rest) {
                if rest[i] == b'\n' || rest.get(i + 1) != Some(&b'\n') {
                    self.line_starts.push((base + i + 1) as u32);
                }
            }
            self.cr_at_end = rest.last() == Some(&b'\r');
        }
        self.len = self.len.max((base + bytes.len()) as u64);
        self.note_text(bytes);
    }

    /// Notes whether `bytes` (read from this file) mention `zonelint:`. Readers that
    /// keep the end of one chunk before the next pass the overlap too.
    pub fn note_text(&mut self, bytes: &[u8]) {
        self.mentions_zonelint |= memchr::memmem::find(bytes, crate::suppress::MARKER).is_some();
    }

    pub fn mentions_zonelint(&self) -> bool {
        self.mentions_zonelint
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    /// Forgets the line starts after `offset` (they will be found again).
    pub fn truncate_lines(&mut self, offset: usize) {
        let keep = self.line_starts.count_through(offset);
        self.line_starts.truncate(keep);
    }

    /// Takes over the line starts another reader of this file found in a later region.
    pub fn append_lines(&mut self, later: &Source) {
        let from = self.line_starts.last().unwrap_or(0);
        self.line_starts
            .extend(later.line_starts.iter_from(0).filter(|&s| s > from));
        self.len = self.len.max(later.len);
        self.mentions_zonelint |= later.mentions_zonelint;
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes `start..end` of the file, read again without reading the rest; `None`
    /// when the file changed (or vanished) since it was parsed.
    pub fn read_range(&self, start: usize, end: usize) -> Option<std::borrow::Cow<'_, [u8]>> {
        let end = end.min(self.len as usize);
        let start = start.min(end);
        if let Some(Some(text)) = self.text.get() {
            return text.get(start..end).map(std::borrow::Cow::Borrowed);
        }
        let file = self.unchanged_handle()?;
        let mut bytes = vec![0u8; end - start];
        read_into(file, &self.path, start, &mut bytes)?;
        Some(std::borrow::Cow::Owned(bytes))
    }

    /// The bytes of each of `ranges` (`start..end`, in any order), as [`read_range`]
    /// gives them, but with one check that the file is unchanged and one read for
    /// ranges that lie close together: rules that read many records read them this
    /// way. All `None` when the file changed.
    ///
    /// [`read_range`]: Source::read_range
    pub fn read_ranges(&self, ranges: &[(usize, usize)]) -> Batch {
        let ranges = clamped(ranges, self.len as usize);
        let mut batch = Batch {
            bytes: Vec::new(),
            at: vec![None; ranges.len()],
        };
        if let Some(Some(text)) = self.text.get() {
            for (k, &(start, end)) in ranges.iter().enumerate() {
                if let Some(bytes) = text.get(start..end) {
                    let base = batch.bytes.len();
                    batch.bytes.extend_from_slice(bytes);
                    batch.at[k] = Some(base..batch.bytes.len());
                }
            }
            return batch;
        }
        let Some(file) = self.unchanged_handle() else {
            return batch;
        };
        // Only the ranges' own bytes are kept: a read also holds the gaps between them.
        let mut block = Vec::new();
        for (read, members) in plan_reads(&ranges) {
            block.resize(read.len(), 0);
            if read_into(file, &self.path, read.start, &mut block).is_none() {
                continue;
            }
            for i in members {
                let (s, e) = ranges[i];
                let base = batch.bytes.len();
                batch
                    .bytes
                    .extend_from_slice(&block[s - read.start..e - read.start]);
                batch.at[i] = Some(base..batch.bytes.len());
            }
        }
        batch
    }

    /// The open file, if it is still the one that was parsed (same length and time).
    fn unchanged_handle(&self) -> Option<&std::fs::File> {
        let file = self
            .handle
            .get_or_init(|| {
                let file = crate::files::open_regular(&self.path).ok()?;
                let meta = file.metadata().ok()?;
                (meta.len() == self.len && meta.modified().ok() == self.modified).then_some(file)
            })
            .as_ref()?;
        // The handle keeps the file that was checked even if another is renamed over
        // its path; one truncated or rewritten in place shows in its length or time.
        let meta = file.metadata().ok()?;
        (meta.len() == self.len && meta.modified().ok() == self.modified).then_some(file)
    }

    /// The whole lines `first..=last` (0-based line indices, clamped to the file): their
    /// first byte's offset and their bytes.
    pub fn read_lines(
        &self,
        first: usize,
        last: usize,
    ) -> Option<(usize, std::borrow::Cow<'_, [u8]>)> {
        let last = last.min(self.line_starts.len() - 1);
        let first = first.min(last);
        let start = self.line_starts.get(first).unwrap_or(0) as usize;
        let end = self
            .line_starts
            .get(last + 1)
            .map_or(self.len as usize, |s| s as usize);
        self.read_range(start, end).map(|b| (start, b))
    }

    /// Whether the file on disk still has the size and modification time it had when it
    /// was read (a source held in memory always has).
    pub fn unchanged_on_disk(&self) -> bool {
        if self.modified.is_none() && self.text.get().is_some() {
            return true;
        }
        std::fs::metadata(&self.path)
            .is_ok_and(|m| m.len() == self.len && m.modified().ok() == self.modified)
    }

    /// The file's bytes, read again if needed; `None` when the file changed (or vanished)
    /// since it was parsed.
    pub fn text(&self) -> Option<&[u8]> {
        self.text
            .get_or_init(|| {
                let meta = std::fs::metadata(&self.path).ok()?;
                if meta.len() != self.len || meta.modified().ok() != self.modified {
                    return None;
                }
                let bytes = crate::files::read(&self.path).ok()?;
                (bytes.len() as u64 == self.len).then(|| bytes.into())
            })
            .as_deref()
    }

    pub fn line_starts(&self) -> &crate::line_starts::LineStarts {
        &self.line_starts
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        self.line_starts.count_through(offset) - 1
    }

    /// 1-based line and column (in bytes) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.len as usize);
        let line = self.line_index(offset);
        let start = self.line_starts.get(line).unwrap_or(0) as usize;
        (line + 1, offset - start + 1)
    }
}

#[derive(Default)]
pub struct Sources {
    pub files: Vec<Source>,
}

impl Sources {
    pub fn add(&mut self, source: Source) -> u32 {
        self.files.push(source);
        (self.files.len() - 1) as u32
    }

    pub fn get(&self, id: u32) -> &Source {
        &self.files[id as usize]
    }

    pub fn display(&self, id: u32) -> &str {
        &self.files[id as usize].display
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// The bytes of many ranges of one file read at once: one buffer, so that a batch is
/// one allocation however many records it holds, and where each range is in it.
#[derive(Debug, Default)]
pub struct Batch {
    bytes: Vec<u8>,
    at: Vec<Option<std::ops::Range<usize>>>,
}

impl Batch {
    /// The bytes of the `k`th range asked for; `None` when the file changed.
    pub fn get(&self, k: usize) -> Option<&[u8]> {
        let at = self.at.get(k)?.clone()?;
        Some(&self.bytes[at])
    }

    /// How many ranges were asked for.
    pub fn len(&self) -> usize {
        self.at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// Appends the ranges of `other` after these.
    pub fn append(&mut self, other: Batch) {
        let base = self.bytes.len();
        self.bytes.extend_from_slice(&other.bytes);
        self.at.extend(
            other
                .at
                .into_iter()
                .map(|r| r.map(|r| base + r.start..base + r.end)),
        );
    }
}

/// `ranges` cut to a file of `len` bytes.
fn clamped(ranges: &[(usize, usize)], len: usize) -> Vec<(usize, usize)> {
    ranges
        .iter()
        .map(|&(start, end)| {
            let end = end.min(len);
            (start.min(end), end)
        })
        .collect()
}

/// Ranges at most this far apart are read as one.
const READ_GAP: usize = 16 << 10;
/// No read joining ranges is longer than this.
const READ_SPAN: usize = 1 << 20;

/// The reads that fetch `ranges` (within the file), each with the indices of the ranges
/// it holds: ranges in file order, neighbours at most [`READ_GAP`] apart joined into one
/// read of at most [`READ_SPAN`] bytes (a single range longer than that is read alone).
fn plan_reads(ranges: &[(usize, usize)]) -> Vec<(std::ops::Range<usize>, Vec<usize>)> {
    let mut order: Vec<usize> = (0..ranges.len()).collect();
    order.sort_unstable_by_key(|&k| ranges[k]);
    let mut reads = Vec::new();
    let mut k = 0;
    while k < order.len() {
        let (first, mut last_end) = ranges[order[k]];
        let mut stop = k + 1;
        while stop < order.len() {
            let (s, e) = ranges[order[stop]];
            if s > last_end + READ_GAP || e.max(last_end) - first > READ_SPAN {
                break;
            }
            last_end = last_end.max(e);
            stop += 1;
        }
        reads.push((first..last_end, order[k..stop].to_vec()));
        k = stop;
    }
    reads
}

/// Fills `bytes` from offset `start` of `file` (whose path is `path`), without moving a
/// shared cursor: several threads read through one handle.
fn read_into(file: &std::fs::File, path: &Path, start: usize, bytes: &mut [u8]) -> Option<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let _ = path;
        file.read_exact_at(bytes, start as u64).ok()?;
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::FileExt;
        let _ = path;
        let mut done = 0;
        while done < bytes.len() {
            match file.seek_read(&mut bytes[done..], (start + done) as u64) {
                Ok(0) | Err(_) => return None,
                Ok(n) => done += n,
            }
        }
    }
    #[cfg(not(any(unix, windows)))]
    {
        use std::io::{Read, Seek, SeekFrom};
        let mut own = crate::files::open_regular(path).ok()?;
        own.seek(SeekFrom::Start(start as u64)).ok()?;
        own.read_exact(bytes).ok()?;
        let _ = file;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_carriage_returns_end_lines() {
        let s = Source::in_memory("f".into(), "f".into(), Arc::from(&b"a\rbb\r\nc"[..]));
        assert_eq!(s.line_col(2), (2, 1));
        assert_eq!(s.line_col(6), (3, 1));
        // A CRLF cut between two reads is one line end.
        let mut t = Source::streamed("t".into(), "t".into(), None);
        t.add_bytes(0, b"a\r");
        t.add_bytes(2, b"\nb");
        assert_eq!(t.line_starts().iter_from(0).collect::<Vec<_>>(), [0, 2]);
    }

    #[test]
    fn line_and_column() {
        let s = Source::in_memory("f".into(), "f".into(), Arc::from(&b"ab\ncd\n\nx"[..]));
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(4), (2, 2));
        assert_eq!(s.line_col(6), (3, 1));
        assert_eq!(s.line_col(7), (4, 1));
        assert_eq!(s.line_col(99), (4, 2));
    }

    #[test]
    fn ranges_and_lines_are_read_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z");
        std::fs::write(&path, "a\nbb\nccc\n").unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let mut s = Source::streamed("z".into(), path.clone(), meta.modified().ok());
        s.add_bytes(0, b"a\nbb\nccc\n");
        assert_eq!(s.read_range(2, 4).as_deref(), Some(&b"bb"[..]));
        assert_eq!(
            s.read_lines(1, 2).map(|(at, b)| (at, b.into_owned())),
            Some((2, b"bb\nccc\n".to_vec()))
        );
        assert_eq!(s.read_lines(2, 99).map(|(at, _)| at), Some(5));
        std::fs::write(&path, "changed").unwrap();
        assert_eq!(s.read_range(0, 1), None);
    }

    #[test]
    fn many_ranges_read_together_are_the_ranges_read_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z");
        // Far-apart ranges (more than the gap that joins reads) and near ones.
        let mut text: Vec<u8> = (0..200_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        text[150_000] = b'\n';
        std::fs::write(&path, &text).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let mut s = Source::streamed("z".into(), path.clone(), meta.modified().ok());
        s.add_bytes(0, &text);
        let ranges = [
            (150_000, 150_010),
            (5, 9),
            (0, 3),
            (2, 40_000),
            (199_990, 250_000),
            (7, 7),
            (90_000, 90_100),
        ];
        let together = s.read_ranges(&ranges);
        assert_eq!(together.len(), ranges.len());
        assert!(!together.is_empty() && s.read_ranges(&[]).is_empty());
        for (k, r) in ranges.iter().enumerate() {
            assert_eq!(
                together.get(k),
                s.read_range(r.0, r.1).as_deref(),
                "range {r:?}"
            );
        }
        assert_eq!(together.get(1), Some(&text[5..9]));
        assert_eq!(together.get(4), Some(&text[199_990..]));
        // Batches appended keep every range.
        let mut both = s.read_ranges(&ranges[..2]);
        both.append(s.read_ranges(&ranges[2..]));
        for k in 0..ranges.len() {
            assert_eq!(both.get(k), together.get(k));
        }
        std::fs::write(&path, "changed").unwrap();
        let changed = s.read_ranges(&ranges);
        assert!((0..ranges.len()).all(|k| changed.get(k).is_none()));
    }

    #[test]
    fn near_ranges_are_read_together_and_far_ones_apart() {
        let gap = READ_GAP;
        let ranges = [
            (100, 200),
            (0, 50),
            (200 + gap, 300 + gap),
            (301 + 2 * gap, 400 + 2 * gap),
            (150, 180),
        ];
        let reads = plan_reads(&ranges);
        let shown: Vec<_> = reads
            .iter()
            .map(|(r, members)| (r.clone(), members.clone()))
            .collect();
        assert_eq!(
            shown,
            vec![
                (0..300 + gap, vec![1, 0, 4, 2]),
                (301 + 2 * gap..400 + 2 * gap, vec![3]),
            ],
            "ranges GAP apart join, one byte more apart do not"
        );
    }

    #[test]
    fn no_joined_read_is_longer_than_the_span() {
        // Ranges touching each other, together three times the span.
        let step = READ_SPAN / 4;
        let ranges: Vec<(usize, usize)> = (0..12).map(|k| (k * step, (k + 1) * step)).collect();
        let reads = plan_reads(&ranges);
        assert_eq!(reads.len(), 3);
        for (read, members) in &reads {
            assert!(read.len() <= READ_SPAN, "{read:?}");
            assert_eq!(members.len(), 4);
        }
        // One range longer than the span is read alone, whole.
        let reads = plan_reads(&[(0, 3 * READ_SPAN), (10, 20)]);
        assert_eq!(reads, vec![(0..3 * READ_SPAN, vec![0]), (10..20, vec![1])]);
    }

    #[test]
    fn changed_file_is_not_shown() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z");
        std::fs::write(&path, "a\nb\n").unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let mut s = Source::streamed("z".into(), path.clone(), meta.modified().ok());
        s.add_bytes(0, b"a\nb\n");
        std::fs::write(&path, "a\n").unwrap();
        assert_eq!(s.text(), None);
        assert_eq!(s.line_col(2), (2, 1));
    }
}
