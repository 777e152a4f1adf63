//! The one place where text that came from input is made safe to print.
//!
//! A zone file, a file name, an inventory or a configuration in a pull request can hold
//! any byte. Printed raw, an ESC starts a terminal control sequence, a newline starts a
//! new output line (where `::add-mask::` is a GitHub workflow command), and a bidi
//! override reorders what a reviewer sees. Every emitter passes such text through
//! [`text`] (messages, labels, file names) or shows file contents through a
//! [`SourceView`] (snippets), which escape control characters the way zone files do,
//! as `\DDD`.

use std::borrow::Cow;

/// Whether a character must not reach a terminal as it is: C0 controls (tab aside),
/// DEL, C1 controls, and the bidirectional formatting characters.
fn is_hazard(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{a}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        _ => {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\{b:03}"));
            }
        }
    }
}

/// Text for one line of output: control characters shown as `\DDD` (`\n` and `\r` as
/// themselves, visibly), so input can never start a new line or a terminal sequence.
pub fn text(s: &str) -> Cow<'_, str> {
    // Nearly all text is printable ASCII (tab included), which a byte test settles
    // without decoding characters.
    if s.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)) || !s.chars().any(is_hazard) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_hazard(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Bytes that may not be UTF-8 (file names, file contents) as safe text: invalid bytes
/// as `\DDD`, then as [`text`].
pub fn bytes(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    for chunk in b.utf8_chunks() {
        out.push_str(&text(chunk.valid()));
        for &x in chunk.invalid() {
            out.push_str(&format!("\\{x:03}"));
        }
    }
    out
}

/// Lines longer than this are cut in snippets, keeping their start and end.
pub const MAX_LINE: usize = 400;
const KEEP_HEAD: usize = 240;
const KEEP_TAIL: usize = 80;

/// One stretch of a file and how it is shown.
#[derive(Clone, Copy, Debug)]
struct Segment {
    from: u32,
    len: u32,
    shown_at: u32,
    /// Copied byte for byte; otherwise replaced (an escape or a cut's marker).
    copied: bool,
}

/// A file's text as snippets show it, with the offsets of the file mapped onto it:
/// control bytes and invalid UTF-8 escaped as `\DDD`, a lone CR shown as a line end,
/// and overlong lines cut in the middle with a marker. A file that needs none of that
/// is borrowed as it is.
pub struct SourceView<'a> {
    shown: Cow<'a, [u8]>,
    /// Where the mapping changes, in file order; empty when the view is the file.
    segments: Vec<Segment>,
}

impl<'a> SourceView<'a> {
    pub fn new(file: &'a [u8], line_starts: &[u32]) -> SourceView<'a> {
        let long_line = line_starts
            .windows(2)
            .map(|w| (w[1] - w[0]) as usize)
            .chain(std::iter::once(
                file.len()
                    .saturating_sub(*line_starts.last().unwrap_or(&0) as usize),
            ))
            .any(|n| n > MAX_LINE);
        let clean = !long_line
            && std::str::from_utf8(file).is_ok_and(|s| {
                !s.chars().any(|c| is_hazard(c) && c != '\n' && c != '\r')
                    && !has_lone_cr(s.as_bytes())
            });
        if clean {
            return SourceView {
                shown: Cow::Borrowed(file),
                segments: Vec::new(),
            };
        }
        let mut view = Builder::default();
        let mut line_start = 0usize;
        let mut lines = line_starts.iter().skip(1).map(|&s| s as usize).peekable();
        while line_start < file.len() {
            let line_end = lines.next().unwrap_or(file.len()).max(line_start);
            view.line(file, line_start, line_end);
            line_start = line_end;
        }
        SourceView {
            shown: Cow::Owned(view.shown),
            segments: view.segments,
        }
    }

    pub fn text(&self) -> &[u8] {
        &self.shown
    }

    /// The view, owning its text.
    pub fn into_owned(self) -> SourceView<'static> {
        SourceView {
            shown: Cow::Owned(self.shown.into_owned()),
            segments: self.segments,
        }
    }

    /// Whether the view is the file itself, byte for byte.
    pub fn is_identity(&self) -> bool {
        self.segments.is_empty()
    }

    /// Where file offset `at` is in the shown text (inside a replaced stretch: at its
    /// start).
    pub fn shown_offset(&self, at: usize) -> usize {
        if self.segments.is_empty() {
            return at;
        }
        let i = self.segments.partition_point(|s| s.from as usize <= at);
        let Some(seg) = i.checked_sub(1).map(|i| self.segments[i]) else {
            return at;
        };
        let inside = at - seg.from as usize;
        if seg.copied || inside == 0 {
            seg.shown_at as usize + inside.min(seg.len as usize)
        } else if inside >= seg.len as usize {
            // Past the segment: the next one starts here (or the text ends).
            self.segments
                .get(i)
                .map_or(self.shown.len(), |n| n.shown_at as usize)
        } else {
            seg.shown_at as usize
        }
    }
}

fn has_lone_cr(b: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', b).any(|i| b.get(i + 1) != Some(&b'\n'))
}

#[derive(Default)]
struct Builder {
    shown: Vec<u8>,
    segments: Vec<Segment>,
}

impl Builder {
    fn copy(&mut self, file: &[u8], from: usize, to: usize) {
        if from >= to {
            return;
        }
        match self.segments.last_mut() {
            Some(last) if last.copied && (last.from + last.len) as usize == from => {
                last.len += (to - from) as u32;
            }
            _ => self.segments.push(Segment {
                from: from as u32,
                len: (to - from) as u32,
                shown_at: self.shown.len() as u32,
                copied: true,
            }),
        }
        self.shown.extend_from_slice(&file[from..to]);
    }

    fn replace(&mut self, from: usize, to: usize, with: &str) {
        self.segments.push(Segment {
            from: from as u32,
            len: (to - from) as u32,
            shown_at: self.shown.len() as u32,
            copied: false,
        });
        self.shown.extend_from_slice(with.as_bytes());
    }

    /// The bytes `from..to` escaped, in order.
    fn escaped(&mut self, file: &[u8], from: usize, to: usize) {
        let mut at = from;
        for chunk in file[from..to].utf8_chunks() {
            let valid = chunk.valid();
            let mut run = at;
            for (k, c) in valid.char_indices() {
                let here = at + k;
                let keep =
                    !is_hazard(c) || c == '\n' || (c == '\r' && file.get(here + 1) == Some(&b'\n'));
                if keep {
                    continue;
                }
                self.copy(file, run, here);
                let len = c.len_utf8();
                if c == '\r' {
                    // A lone CR ends a line (old Mac files): show it as one.
                    self.replace(here, here + 1, "\n");
                } else {
                    let mut s = String::new();
                    push_escaped(&mut s, c);
                    self.replace(here, here + len, &s);
                }
                run = here + len;
            }
            let valid_end = at + valid.len();
            self.copy(file, run, valid_end);
            at = valid_end;
            for (k, &b) in chunk.invalid().iter().enumerate() {
                self.replace(at + k, at + k + 1, &format!("\\{b:03}"));
            }
            at += chunk.invalid().len();
        }
    }

    fn line(&mut self, file: &[u8], start: usize, end: usize) {
        if end - start <= MAX_LINE {
            return self.escaped(file, start, end);
        }
        // Backs up to the start of the character at `i`: over three continuation bytes
        // at most, the most a character has (a longer run is not UTF-8, and its bytes are
        // escaped one by one wherever the cut falls).
        let floor = |mut i: usize| {
            let lowest = i.saturating_sub(3).max(start);
            while i > lowest && (file[i] & 0xC0) == 0x80 {
                i -= 1;
            }
            i
        };
        let head_end = floor(start + KEEP_HEAD);
        let tail_start = floor(end - KEEP_TAIL);
        self.escaped(file, start, head_end);
        let marker = format!(" … [{} bytes not shown] … ", tail_start - head_end);
        self.replace(head_end, tail_start, &marker);
        self.escaped(file, tail_start, end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(text: &[u8]) -> Vec<u32> {
        let mut s = vec![0u32];
        for (i, &b) in text.iter().enumerate() {
            let lone_cr = b == b'\r' && text.get(i + 1) != Some(&b'\n');
            if b == b'\n' || lone_cr {
                s.push(i as u32 + 1);
            }
        }
        s
    }

    #[test]
    fn messages_never_carry_controls() {
        assert_eq!(text("plain `x`"), "plain `x`");
        assert_eq!(text("a\n::add-mask::x\n"), "a\\n::add-mask::x\\n");
        assert_eq!(
            text("u \u{1b}[2J\u{1b}]0;OWNED\u{7}"),
            "u \\027[2J\\027]0;OWNED\\007"
        );
        assert_eq!(text("\u{9b}31m"), "\\194\\15531m");
        assert_eq!(text("abc\u{202e}cba"), "abc\\226\\128\\174cba");
        assert_eq!(text("tab\tstays"), "tab\tstays");
        assert_eq!(bytes(b"f\xffo\x1b"), "f\\255o\\027");
    }

    /// Every printable byte outside a cut sits at the shown offset of its file offset;
    /// offsets never go backwards; the view is valid UTF-8.
    fn check_mapping(file: &[u8]) {
        let line_starts = starts(file);
        let v = SourceView::new(file, &line_starts);
        let shown = v.text();
        assert!(
            std::str::from_utf8(shown).is_ok(),
            "{:?}",
            String::from_utf8_lossy(shown)
        );
        // The middle of an overlong line is cut: its bytes have no place of their own.
        let in_cut = |at: usize| {
            let line = line_starts.partition_point(|&s| s as usize <= at) - 1;
            let start = line_starts[line] as usize;
            let end = line_starts
                .get(line + 1)
                .map_or(file.len(), |&e| e as usize);
            end - start > MAX_LINE && at + 4 >= start + KEEP_HEAD && at < end - KEEP_TAIL + 4
        };
        let mut last = 0;
        for at in 0..file.len() {
            let o = v.shown_offset(at);
            assert!(o >= last, "offset {at} goes back: {o} < {last}");
            assert!(o <= shown.len());
            last = o;
            if (0x20..0x7f).contains(&file[at]) && !in_cut(at) {
                assert_eq!(shown.get(o), Some(&file[at]), "byte {at} of {file:?}");
            }
        }
        assert_eq!(v.is_identity(), matches!(v.shown, Cow::Borrowed(_)));
    }

    #[test]
    fn offsets_map_through_every_kind_of_change() {
        let long_ascii = format!("a IN TXT \"{}\"\nnext IN A 192.0.2.1\n", "x".repeat(900));
        let long_utf8 = format!("b IN TXT \"{}\"\n", "é".repeat(500));
        // Cuts that fall inside a character back up to its start, at both ends.
        let odd_utf8 = format!("bb IN TXT \"{}\"\n", "€".repeat(400));
        let cases: Vec<Vec<u8>> = vec![
            b"plain IN A 192.0.2.1\n".to_vec(),
            b"u IN \x1b[2J A 1\nnext\xff line\n".to_vec(),
            b"mac\rstyle\rlines\r".to_vec(),
            b"\x00\x01\x02\r\n\x7f\n".to_vec(),
            long_ascii.into_bytes(),
            long_utf8.into_bytes(),
            odd_utf8.into_bytes(),
            [&[0xe2, 0x80, 0xae][..], b"rtl\n", &[0xc3][..], b"cut\n"].concat(),
            // Runs of continuation bytes (no UTF-8) where the cut begins and ends: the
            // printable bytes before them stay in view.
            [
                &[b'a'; 231][..],
                b"?",
                &[0x80; 9],
                &[b'b'; 79],
                b"!",
                &[0xbf; 9],
                &[b'c'; 71],
            ]
            .concat(),
        ];
        for c in &cases {
            check_mapping(c);
        }
        let shown =
            |b: &[u8]| String::from_utf8(SourceView::new(b, &starts(b)).text().to_vec()).unwrap();
        assert_eq!(shown(b"mac\rstyle\rlines\r"), "mac\nstyle\nlines\n");
        assert_eq!(shown(b"a\x00\r\nb\r\n"), "a\\000\r\nb\r\n");
        assert_eq!(shown(b"\xffz\xfe"), "\\255z\\254");
        // A cut backs up over three continuation bytes at most: at 240 it begins at 237,
        // at 321 (80 before the end) it stops at the `!` before the run.
        assert_eq!(
            shown(&cases[8]),
            format!(
                "{}?{} … [83 bytes not shown] … !{}{}",
                "a".repeat(231),
                "\\128".repeat(5),
                "\\191".repeat(9),
                "c".repeat(71)
            )
        );
        // A cut never splits a character into bytes to escape.
        let cut = shown(&cases[6]);
        assert!(
            cut.contains("bytes not shown") && !cut.contains('\\'),
            "{cut}"
        );
        assert!(
            cut.contains("€€\"\n"),
            "the tail keeps whole characters: {cut}"
        );
        let v = SourceView::new(&cases[4], &starts(&cases[4]));
        let shown = String::from_utf8_lossy(v.text()).into_owned();
        let marker = shown.find("bytes not shown").unwrap();
        assert!(shown.lines().next().unwrap().len() < MAX_LINE, "{shown}");
        assert!(
            shown[..marker].ends_with(&format!("[{} ", 912 - KEEP_HEAD - KEEP_TAIL)),
            "{shown}"
        );
        assert!(shown.contains("next IN A 192.0.2.1"));
        // A file offset past a cut lands after the marker, on the same byte.
        let at = cases[4].len() - 25;
        assert_eq!(v.text()[v.shown_offset(at)], cases[4][at]);
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_map_monotonically(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..1200)) {
            check_mapping(&bytes);
        }
    }

    #[test]
    fn clean_files_are_borrowed() {
        let file = b"a IN A 192.0.2.1\r\nb IN A 192.0.2.2\n";
        let v = SourceView::new(file, &starts(file));
        assert!(matches!(v.shown, Cow::Borrowed(_)));
        assert_eq!(v.shown_offset(20), 20);
    }

    #[test]
    fn escapes_keep_offsets_mapped() {
        let file = b"u IN \x1b[2J A 1\nnext\xff line\n";
        let v = SourceView::new(file, &starts(file));
        assert_eq!(
            String::from_utf8_lossy(v.text()),
            "u IN \\027[2J A 1\nnext\\255 line\n"
        );
        // `[` follows the ESC in the file and the escape in the view.
        assert_eq!(v.shown_offset(6), 9);
        assert_eq!(&v.text()[v.shown_offset(6)..v.shown_offset(6) + 3], b"[2J");
        // The ESC itself maps to the start of its escape.
        assert_eq!(v.shown_offset(5), 5);
        // After the invalid byte on the next line.
        let line2 = 14;
        assert_eq!(
            &v.text()[v.shown_offset(line2)..v.shown_offset(line2) + 4],
            b"next"
        );
        assert_eq!(v.shown_offset(file.len()), v.text().len());
    }

    #[test]
    fn lone_cr_is_a_line_end_and_long_lines_are_cut() {
        let file = b"a\rb\r";
        let v = SourceView::new(file, &starts(file));
        assert_eq!(v.text(), b"a\nb\n");
        let long = format!("x {}\ny\n", "a".repeat(1000));
        let v = SourceView::new(long.as_bytes(), &starts(long.as_bytes()));
        let shown = String::from_utf8_lossy(v.text()).into_owned();
        assert!(shown.contains("bytes not shown"), "{shown}");
        assert!(shown.len() < 500);
        assert!(shown.ends_with("a\ny\n"));
        // An offset inside the cut lands on the marker; the next line is found.
        let y = long.find("\ny").unwrap() + 1;
        assert_eq!(&v.text()[v.shown_offset(y)..], b"y\n");
        let cut = v.shown_offset(600);
        assert!(shown[cut..].starts_with(" … ["));
    }
}
