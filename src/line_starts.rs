//! Where each line of a file starts, in about two bytes a line.
//!
//! Every location becomes a line and column only when a finding is shown, so a run
//! keeps the start of every line of every file it read until the end: on a large zone
//! that was the third largest thing held after the records and the names (four bytes
//! a line). Lines are kept in blocks: a block's first line start in full, each other
//! line as its distance from that one, which fits in 16 bits unless the block's lines
//! are very long; the few that do not fit are kept aside in full.

/// Lines per block.
const BLOCK: usize = 64;

/// A distance that did not fit: the start is in `far`.
const FAR: u16 = u16::MAX;

/// The byte offsets of a file's line starts, in increasing order (the first is 0).
#[derive(Clone, Debug)]
pub struct LineStarts {
    /// The start of each block's first line.
    bases: Vec<u32>,
    /// Each line's distance from its block's first line, or [`FAR`].
    near: Vec<u16>,
    /// The starts whose distance did not fit, as (line index, start), by line.
    far: Vec<(u32, u32)>,
}

impl Default for LineStarts {
    fn default() -> Self {
        LineStarts::new()
    }
}

impl LineStarts {
    /// The starts of a file not read yet: its first line starts at 0.
    pub fn new() -> LineStarts {
        let mut starts = LineStarts {
            bases: Vec::new(),
            near: Vec::new(),
            far: Vec::new(),
        };
        starts.push(0);
        starts
    }

    /// Adds the start of the next line; it must not lie before the last one.
    pub fn push(&mut self, start: u32) {
        let line = self.near.len();
        if line.is_multiple_of(BLOCK) {
            self.bases.push(start);
            self.near.push(0);
            return;
        }
        let distance = start
            .checked_sub(self.bases[line / BLOCK])
            .and_then(|d| u16::try_from(d).ok());
        match distance {
            Some(distance) if distance != FAR => self.near.push(distance),
            _ => {
                self.near.push(FAR);
                self.far.push((line as u32, start));
            }
        }
    }

    pub fn len(&self) -> usize {
        self.near.len()
    }

    pub fn is_empty(&self) -> bool {
        self.near.is_empty()
    }

    /// The start of line `line` (0-based).
    pub fn get(&self, line: usize) -> Option<u32> {
        let distance = *self.near.get(line)?;
        if distance == FAR {
            let at = self.far.partition_point(|&(l, _)| (l as usize) < line);
            return self.far.get(at).map(|&(_, start)| start);
        }
        Some(self.bases[line / BLOCK] + u32::from(distance))
    }

    pub fn last(&self) -> Option<u32> {
        self.len().checked_sub(1).and_then(|line| self.get(line))
    }

    /// How many lines start at or before `offset`.
    pub fn count_through(&self, offset: usize) -> usize {
        let blocks = self.bases.partition_point(|&b| b as usize <= offset);
        let Some(block) = blocks.checked_sub(1) else {
            return 0;
        };
        // Within the block, the lines after its first one that start at or before
        // `offset` (starts only grow, so they come first).
        let first = block * BLOCK;
        let end = (first + BLOCK).min(self.len());
        let (mut low, mut high) = (first + 1, end);
        while low < high {
            let middle = low + (high - low) / 2;
            if self.get(middle).is_some_and(|s| s as usize <= offset) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }

    /// Keeps the first `lines` line starts only.
    pub fn truncate(&mut self, lines: usize) {
        self.near.truncate(lines);
        self.bases.truncate(lines.div_ceil(BLOCK));
        let far = self.far.partition_point(|&(l, _)| (l as usize) < lines);
        self.far.truncate(far);
    }

    /// The starts from line `line` on.
    pub fn iter_from(&self, line: usize) -> impl Iterator<Item = u32> + '_ {
        (line..self.len()).map_while(|l| self.get(l))
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

    /// Line starts with short lines, lines long enough that distances overflow 16 bits
    /// inside a block, and a line longer than that on its own.
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

    #[test]
    fn every_start_reads_back_as_it_was_given() {
        let starts = mixed_starts();
        let lines = built(&starts);
        assert_eq!(lines.len(), starts.len());
        assert!(
            !lines.far.is_empty(),
            "the test must reach the starts kept aside"
        );
        for (line, &start) in starts.iter().enumerate() {
            assert_eq!(lines.get(line), Some(start), "line {line}");
        }
        assert_eq!(lines.get(starts.len()), None);
        assert_eq!(lines.last(), starts.last().copied());
        assert_eq!(lines.iter_from(990).collect::<Vec<_>>(), starts[990..]);
        // About two bytes a line: only the lines far from their block's start are kept
        // in full.
        assert!(lines.near.len() * 2 + lines.bases.len() * 4 < starts.len() * 3);
        let far = (0..starts.len())
            .filter(|&l| starts[l] - starts[l / BLOCK * BLOCK] >= u32::from(FAR))
            .count();
        assert_eq!(lines.far.len(), far);
        assert!(far < starts.len() / 2);
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
        for keep in [1, 63, 64, 65, 98, 99, 100, 500, starts.len()] {
            let mut lines = built(&starts);
            lines.truncate(keep);
            assert_eq!(lines.len(), keep);
            assert_eq!(lines.iter_from(0).collect::<Vec<_>>(), starts[..keep]);
            // Lines added after a truncation read back too (the parts of a split file
            // truncate and carry on).
            lines.extend(starts[keep..].iter().copied());
            assert_eq!(lines.iter_from(0).collect::<Vec<_>>(), starts);
        }
    }

    #[test]
    fn a_distance_of_exactly_the_marker_is_kept_in_full() {
        let starts = [0, 1, u32::from(FAR), u32::from(FAR) + 1, 70_000];
        let lines = built(&starts);
        assert_eq!(lines.iter_from(0).collect::<Vec<_>>(), starts);
        assert_eq!(lines.far.len(), 3);
    }

    #[test]
    fn lines_added_after_a_truncation_replace_the_forgotten_ones() {
        let starts = mixed_starts();
        // A line kept in full is forgotten, and lines take its place: one close to its
        // block's start, then one far again. The old start must never be read back.
        let far_line = (1..starts.len())
            .find(|&l| l % BLOCK != 0 && starts[l] - starts[l / BLOCK * BLOCK] >= u32::from(FAR))
            .expect("the test reaches a start kept aside");
        for replacement in [starts[far_line - 1] + 1, starts[far_line] + 5] {
            let mut lines = built(&starts);
            lines.truncate(far_line);
            lines.push(replacement);
            assert_eq!(lines.get(far_line), Some(replacement));
            assert_eq!(lines.len(), far_line + 1);
        }
    }

    #[test]
    fn a_new_file_has_one_line_at_zero() {
        let lines = LineStarts::new();
        assert_eq!(lines.len(), 1);
        assert!(!lines.is_empty());
        assert_eq!(lines.get(0), Some(0));
        assert_eq!(lines.count_through(0), 1);
        assert_eq!(lines.count_through(usize::MAX), 1);
    }
}
