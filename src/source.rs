//! The files a run read, kept in memory for rendering diagnostics and writing fixes.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

pub struct Source {
    /// The path as the user gave it, or as found below a directory they gave.
    pub display: String,
    pub path: PathBuf,
    pub text: Arc<[u8]>,
    /// Byte offsets of line starts, computed the first time a location is rendered.
    line_starts: OnceLock<Vec<u32>>,
}

impl Source {
    pub fn new(display: String, path: PathBuf, text: Arc<[u8]>) -> Source {
        Source {
            display,
            path,
            text,
            line_starts: OnceLock::new(),
        }
    }

    pub fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', &self.text).map(|i| i as u32 + 1))
                .collect()
        })
    }

    /// 0-based line index of a byte offset.
    pub fn line_index(&self, offset: usize) -> usize {
        self.line_starts()
            .partition_point(|&s| s as usize <= offset)
            - 1
    }

    /// 1-based line and column (in bytes) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        (line + 1, offset - self.line_starts()[line] as usize + 1)
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

    pub fn text(&self, id: u32) -> &[u8] {
        &self.files[id as usize].text
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        let s = Source::new("f".into(), "f".into(), Arc::from(&b"ab\ncd\n\nx"[..]));
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(4), (2, 2));
        assert_eq!(s.line_col(6), (3, 1));
        assert_eq!(s.line_col(7), (4, 1));
        assert_eq!(s.line_col(99), (4, 2));
    }
}
