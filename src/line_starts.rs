//! Where each line of a file starts, in about a byte a line.
//!
//! Every location becomes a line and column only when a finding is shown, so a run
//! keeps the start of every line of every file it read until the end: on a large zone
//! that was the third largest thing held after the records and the names (four bytes
//! a line). Lines are kept in blocks: a block's first line start in full, each other
//! line as its distance from the line before, a variable-length number of seven bits a
//! byte (LEB128). A zone file's lines are mostly shorter than 128 bytes, so most take
//! one byte; a longer line takes two, and only a line of 16 KiB or more takes three.
//! Reading a start decodes at most a block's distances.

/// Lines per block.
const BLOCK: usize = 64;

/// The byte offsets of a file's line starts, in increasing order (the first is 0).
#[derive(Clone, Debug)]
pub struct LineStarts {
    /// Per block: the start of its first line, and where the distances of its other
    /// lines begin in `gaps`.
    blocks: Vec<(u32, u32)>,
    /// Each line's distance from the line before it (a block's first line has none).
    gaps: Vec<u8>,
    /// How many lines.
    len: usize,
    /// The start of the last line.
    last: u32,
}

impl Default for LineStarts {
    fn default() -> Self {
        LineStarts::new()
    }
}

/// Appends `value` in seven-bit groups, low first, each but the last with its top bit.
fn put_gap(gaps: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        gaps.push(value as u8 | 0x80);
        value >>= 7;
    }
    gaps.push(value as u8);
}

/// The distance encoded at `gaps[*at..]`, and `*at` moved past it.
#[inline]
fn take_gap(gaps: &[u8], at: &mut usize) -> u32 {
    let mut value = 0u32;
    let mut shift = 0;
    loop {
        let byte = gaps[*at];
        *at += 1;
        value |= u32::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return value;
        }
        shift += 7;
    }
}

impl LineStarts {
    /// The starts of a file not read yet: its first line starts at 0.
    pub fn new() -> LineStarts {
        let mut starts = LineStarts::empty();
        starts.push(0);
        starts
    }

    fn empty() -> LineStarts {
        LineStarts {
            blocks: Vec::new(),
            gaps: Vec::new(),
            len: 0,
            last: 0,
        }
    }

    /// The start of line `line` (one of the lines held), and where the distance of the
    /// line after it begins in `gaps` when that line is in the same block.
    fn seek(&self, line: usize) -> (u32, usize) {
        let (mut start, at) = self.blocks[line / BLOCK];
        let mut at = at as usize;
        for _ in 0..line % BLOCK {
            start += take_gap(&self.gaps, &mut at);
        }
        (start, at)
    }

    /// Adds the start of the next line; it must not lie before the last one.
    pub fn push(&mut self, start: u32) {
        debug_assert!(self.len == 0 || start >= self.last);
        if self.len.is_multiple_of(BLOCK) {
            self.blocks.push((start, self.gaps.len() as u32));
        } else {
            put_gap(&mut self.gaps, start.saturating_sub(self.last));
        }
        self.len += 1;
        self.last = start;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The start of line `line` (0-based).
    pub fn get(&self, line: usize) -> Option<u32> {
        (line < self.len).then(|| self.seek(line).0)
    }

    pub fn last(&self) -> Option<u32> {
        (self.len > 0).then_some(self.last)
    }

    /// How many lines start at or before `offset`.
    pub fn count_through(&self, offset: usize) -> usize {
        let blocks = self.blocks.partition_point(|&(b, _)| b as usize <= offset);
        let Some(block) = blocks.checked_sub(1) else {
            return 0;
        };
        // The block's first line starts at or before `offset`; so do the lines after
        // it up to the first that starts beyond (starts only grow).
        let first = block * BLOCK;
        let (mut start, at) = self.blocks[block];
        let mut at = at as usize;
        let mut line = first + 1;
        while line < (first + BLOCK).min(self.len) {
            start += take_gap(&self.gaps, &mut at);
            if start as usize > offset {
                break;
            }
            line += 1;
        }
        line
    }

    /// Keeps the first `lines` line starts only.
    pub fn truncate(&mut self, lines: usize) {
        if lines >= self.len {
            return;
        }
        if lines == 0 {
            *self = LineStarts::empty();
            return;
        }
        // The last line kept: its start, and the end of its distance, which is the end
        // of what is kept.
        let (start, at) = self.seek(lines - 1);
        self.gaps.truncate(at);
        self.blocks.truncate(lines.div_ceil(BLOCK));
        self.len = lines;
        self.last = start;
    }

    /// The starts from line `line` on, decoded one after another.
    pub fn iter_from(&self, line: usize) -> impl Iterator<Item = u32> + '_ {
        let mut next = line;
        let mut at = 0usize;
        let mut start = 0u32;
        std::iter::from_fn(move || {
            if next >= self.len {
                return None;
            }
            if next.is_multiple_of(BLOCK) || next == line {
                (start, at) = self.seek(next);
            } else {
                start += take_gap(&self.gaps, &mut at);
            }
            next += 1;
            Some(start)
        })
    }
}

impl Extend<u32> for LineStarts {
    fn extend<I: IntoIterator<Item = u32>>(&mut self, starts: I) {
        for start in starts {
            self.push(start);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line starts with short lines, lines of a few kilobytes (two-byte distances) and
    /// lines longer than 16 KiB (three bytes).
    fn mixed_starts() -> Vec<u32> {
        let mut starts = vec![0u32];
        let mut at = 0u32;
        for i in 0..1000u32 {
            at += match i % 97 {
                0 => 70_000,
                1..=3 => 9_000,
                _ => 1 + i % 41,
            };
            starts.push(at);
        }
        starts
    }

    fn built(starts: &[u32]) -> LineStarts {
        let mut lines = LineStarts::new();
        lines.extend(starts.iter().copied().skip(1));
        lines
    }

    /// Bytes of a distance in seven-bit groups.
    fn encoded_len(gap: u32) -> usize {
        match gap {
            0..0x80 => 1,
            0x80..0x4000 => 2,
            0x4000..0x20_0000 => 3,
            0x20_0000..0x1000_0000 => 4,
            _ => 5,
        }
    }

    #[test]
    fn every_start_reads_back_as_it_was_given() {
        let starts = mixed_starts();
        let lines = built(&starts);
        assert_eq!(lines.len(), starts.len());
        for (line, &start) in starts.iter().enumerate() {
            assert_eq!(lines.get(line), Some(start), "line {line}");
        }
        assert_eq!(lines.get(starts.len()), None);
        assert_eq!(lines.last(), starts.last().copied());
        for from in [0, 1, 63, 64, 65, 990, starts.len() - 1, starts.len()] {
            assert_eq!(
                lines.iter_from(from).collect::<Vec<_>>(),
                starts[from..],
                "from line {from}"
            );
        }
        // A block's first start in full, every other line in as many bytes as its
        // distance needs: one for the short lines.
        let expected: usize = (1..starts.len())
            .filter(|l| l % BLOCK != 0)
            .map(|l| encoded_len(starts[l] - starts[l - 1]))
            .sum();
        assert_eq!(lines.gaps.len(), expected);
        assert_eq!(lines.blocks.len(), starts.len().div_ceil(BLOCK));
        assert!(lines.gaps.len() + lines.blocks.len() * 8 < starts.len() * 3 / 2);
    }

    #[test]
    fn distances_of_every_length_read_back() {
        let gaps = [
            0,
            1,
            0x7f,
            0x80,
            0x3fff,
            0x4000,
            0x1f_ffff,
            0x20_0000,
            0x0fff_ffff,
            0x1000_0000,
        ];
        let mut starts = vec![0u32];
        for gap in gaps {
            starts.push(starts.last().unwrap() + gap);
        }
        starts.push(u32::MAX);
        let lines = built(&starts);
        assert_eq!(lines.iter_from(0).collect::<Vec<_>>(), starts);
        for (line, &start) in starts.iter().enumerate() {
            assert_eq!(lines.get(line), Some(start));
        }
        let gap_bytes: usize = starts.windows(2).map(|w| encoded_len(w[1] - w[0])).sum();
        assert_eq!(lines.gaps.len(), gap_bytes);
    }

    #[test]
    fn lines_through_an_offset_are_counted_as_a_search_of_the_list_would() {
        let starts = mixed_starts();
        let lines = built(&starts);
        let end = *starts.last().unwrap() as usize + 10;
        let mut probes: Vec<usize> = starts
            .iter()
            .flat_map(|&s| [s as usize, (s as usize).saturating_sub(1), s as usize + 1])
            .collect();
        probes.extend((0..end).step_by(997));
        for offset in probes {
            let expected = starts.partition_point(|&s| s as usize <= offset);
            assert_eq!(lines.count_through(offset), expected, "offset {offset}");
        }
    }

    #[test]
    fn truncating_forgets_the_later_lines_and_takes_new_ones() {
        let starts = mixed_starts();
        for keep in [0, 1, 2, 63, 64, 65, 98, 99, 100, 128, 500, starts.len()] {
            let mut lines = built(&starts);
            lines.truncate(keep);
            assert_eq!(lines.len(), keep);
            assert_eq!(lines.iter_from(0).collect::<Vec<_>>(), starts[..keep]);
            assert_eq!(lines.last(), keep.checked_sub(1).map(|l| starts[l]));
            // Lines added after a truncation read back too (the parts of a split file
            // truncate and carry on).
            lines.extend(starts[keep..].iter().copied());
            assert_eq!(lines.iter_from(0).collect::<Vec<_>>(), starts);
            assert_eq!(lines.gaps.len(), built(&starts).gaps.len());
        }
    }

    #[test]
    fn lines_added_after_a_truncation_replace_the_forgotten_ones() {
        let starts = mixed_starts();
        // A line of a long distance is forgotten, and lines take its place: one close to
        // the line before, then one far again. The old start must never be read back.
        let far_line = (1..starts.len())
            .find(|&l| l % BLOCK != 0 && starts[l] - starts[l - 1] >= 0x4000)
            .expect("the test reaches a three-byte distance");
        for replacement in [starts[far_line - 1] + 1, starts[far_line] + 5] {
            let mut lines = built(&starts);
            lines.truncate(far_line);
            lines.push(replacement);
            lines.push(replacement + 3);
            assert_eq!(lines.get(far_line), Some(replacement));
            assert_eq!(lines.get(far_line + 1), Some(replacement + 3));
            assert_eq!(lines.len(), far_line + 2);
            assert_eq!(lines.last(), Some(replacement + 3));
        }
    }

    #[test]
    fn a_new_file_has_one_line_at_zero() {
        let lines = LineStarts::new();
        assert_eq!(lines.len(), 1);
        assert!(!lines.is_empty());
        assert_eq!(lines.get(0), Some(0));
        assert_eq!(lines.last(), Some(0));
        assert_eq!(lines.count_through(0), 1);
        assert_eq!(lines.count_through(usize::MAX), 1);
        let mut none = LineStarts::new();
        none.truncate(0);
        assert!(none.is_empty());
        assert_eq!(none.last(), None);
        assert_eq!(none.get(0), None);
        assert_eq!(none.count_through(5), 0);
    }
}
