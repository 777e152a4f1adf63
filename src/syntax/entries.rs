//! Groups lexer tokens into logical entries: one record or directive, which may span
//! lines inside parentheses. Reuses the caller's token buffer so nothing is allocated per
//! entry once the buffer has grown.
//!
//! The reader works on a [`Chunk`] of a file: spans are file offsets, and an entry cut
//! off by the end of a chunk is not returned; [`EntryReader::resume_at`] tells the caller
//! where to continue once more of the file is read.

use super::lexer::{Lexer, Token, TokenKind};
use crate::span::Span;

/// A window of a file: `bytes` starts at file offset `base`.
#[derive(Clone, Copy, Debug)]
pub struct Chunk<'a> {
    pub base: usize,
    pub bytes: &'a [u8],
}

impl<'a> Chunk<'a> {
    /// A whole file (or generated text) held in memory.
    pub fn whole(bytes: &'a [u8]) -> Chunk<'a> {
        Chunk { base: 0, bytes }
    }

    /// The bytes of a span given in file offsets.
    pub fn get(&self, span: Span) -> &'a [u8] {
        &self.bytes[span.start as usize - self.base..span.end as usize - self.base]
    }
}

/// A word or quoted string of an entry.
#[derive(Clone, Copy, Debug)]
pub struct Tok {
    pub span: Span,
    pub quoted: bool,
    /// Follows the previous token with no whitespace between.
    pub glued: bool,
}

impl Tok {
    /// The token's text, without the quotes of a quoted string.
    pub fn text<'a>(&self, src: Chunk<'a>) -> &'a [u8] {
        let t = src.get(self.span);
        if self.quoted {
            let inner = &t[1..];
            inner.strip_suffix(b"\"").unwrap_or(inner)
        } else {
            t
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryProblem {
    NestedParen(Span),
    UnexpectedCloseParen(Span),
    UnclosedParen(Span),
    UnterminatedQuote(Span),
}

#[derive(Debug)]
pub struct Entry {
    /// From the first token to the end of the last word (comments excluded).
    pub span: Span,
    /// The entry's line starts with whitespace: its owner is inherited.
    pub blank_owner: bool,
    pub problem: Option<EntryProblem>,
}

pub struct EntryReader<'a> {
    lexer: Lexer<'a>,
    base: usize,
    /// The chunk ends where the file ends: a last entry without a newline is complete.
    at_eof: bool,
    resume_at: Option<usize>,
    /// Comments seen since the last call, with their spans (used by suppressions).
    pub comments: Vec<Span>,
}

impl<'a> EntryReader<'a> {
    pub fn new(chunk: Chunk<'a>, at_eof: bool) -> EntryReader<'a> {
        EntryReader {
            lexer: Lexer::new(chunk.bytes),
            base: chunk.base,
            at_eof,
            resume_at: None,
            comments: Vec::new(),
        }
    }

    /// After `next_entry` returned `None` on a chunk that is not the end of the file: the
    /// file offset of the first byte not yet consumed.
    pub fn resume_at(&self) -> Option<usize> {
        self.resume_at
    }

    /// The owner name the next entry seems to start with, read without consuming
    /// anything. Only a hint, for asking the memory a name needs ahead of time: it is
    /// `None` where the next line is blank, a comment or a directive, or has an escape,
    /// and it may be wrong (a line inside a comment-only run, say).
    pub fn peek_owner(&self) -> Option<&'a [u8]> {
        let rest = self.lexer.text().get(self.lexer.position()..)?;
        let end = rest.iter().position(|&b| {
            matches!(
                b,
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'(' | b')' | b'"' | b'\\'
            )
        })?;
        let owner = &rest[..end];
        (end > 0 && rest[end] != b'\\' && owner[0] != b'$').then_some(owner)
    }

    /// Reads the next entry into `toks`; `None` at end of input. An entry may be empty
    /// (a blank or comment-only line is skipped, so empty entries are never returned).
    pub fn next_entry(&mut self, toks: &mut Vec<Tok>) -> Option<Entry> {
        toks.clear();
        if self.resume_at.is_some() {
            return None;
        }
        // Where this entry starts: blank and comment lines before it are consumed, so a
        // reader that stops mid-entry never asks for them again (a file of comments is
        // never buffered whole).
        let mut call_start = self.lexer.position();
        let base = self.base;
        let global = |s: Span| Span::new(s.start as usize + base, s.end as usize + base);
        let mut depth = 0u32;
        let mut open_paren = Span::default();
        let mut at_line_start = true;
        let mut blank_owner = false;
        let mut problem = None;
        let mut prev_end: Option<u32> = None;
        let mut span: Option<Span> = None;
        loop {
            let Some(Token {
                mut kind,
                span: mut s,
            }) = self.lexer.next()
            else {
                if !self.at_eof {
                    self.resume_at = Some(call_start + base);
                    return None;
                }
                if depth > 0 && problem.is_none() {
                    problem = Some(EntryProblem::UnclosedParen(open_paren));
                }
                break;
            };
            let local = s;
            s = global(s);
            let line_start = at_line_start;
            at_line_start = false;
            match kind {
                TokenKind::Newline => {
                    if depth == 0 {
                        if toks.is_empty() && problem.is_none() {
                            at_line_start = true;
                            blank_owner = false;
                            prev_end = None;
                            span = None;
                            call_start = self.lexer.position();
                            continue;
                        }
                        break;
                    }
                    prev_end = None;
                }
                TokenKind::Space => {
                    if line_start && depth == 0 && toks.is_empty() {
                        blank_owner = true;
                    }
                    prev_end = None;
                }
                TokenKind::Comment => {
                    self.comments.push(s);
                    prev_end = None;
                }
                TokenKind::LParen => {
                    if depth > 0 && problem.is_none() {
                        problem = Some(EntryProblem::NestedParen(s));
                    }
                    if depth == 0 {
                        open_paren = s;
                    }
                    depth += 1;
                    span = Some(span.map_or(s, |x| x.join(s)));
                    prev_end = None;
                }
                TokenKind::RParen => {
                    if depth == 0 {
                        if problem.is_none() {
                            problem = Some(EntryProblem::UnexpectedCloseParen(s));
                        }
                    } else {
                        depth -= 1;
                    }
                    span = Some(span.map_or(s, |x| x.join(s)));
                    prev_end = None;
                }
                TokenKind::Word | TokenKind::Quoted { .. } => {
                    if let (TokenKind::Quoted { .. }, 0) = (kind, depth) {
                        // Outside parentheses a quoted string cannot run past the line end.
                        let text = self.lexer.text();
                        if let Some(nl) = memchr::memchr(b'\n', &text[local.range()]) {
                            let end = local.start as usize + nl;
                            s = Span::new(s.start as usize, s.start as usize + nl);
                            kind = TokenKind::Quoted { terminated: false };
                            self.lexer.reset_to(end);
                        }
                    }
                    let quoted = matches!(kind, TokenKind::Quoted { .. });
                    if let TokenKind::Quoted { terminated: false } = kind
                        && problem.is_none()
                    {
                        problem = Some(EntryProblem::UnterminatedQuote(Span::new(
                            s.start as usize,
                            s.start as usize + 1,
                        )));
                    }
                    let glued = prev_end == Some(s.start);
                    toks.push(Tok {
                        span: s,
                        quoted,
                        glued,
                    });
                    span = Some(span.map_or(s, |x| x.join(s)));
                    prev_end = Some(s.end);
                }
            }
        }
        let span = span?;
        Some(Entry {
            span,
            blank_owner,
            problem,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(text: &str) -> Vec<(Vec<String>, bool, Option<EntryProblem>)> {
        let chunk = Chunk::whole(text.as_bytes());
        let mut r = EntryReader::new(chunk, true);
        let mut toks = Vec::new();
        let mut out = Vec::new();
        while let Some(e) = r.next_entry(&mut toks) {
            let words = toks
                .iter()
                .map(|t| String::from_utf8_lossy(t.text(chunk)).into_owned())
                .collect();
            out.push((words, e.blank_owner, e.problem));
        }
        out
    }

    #[test]
    fn the_next_owner_is_peeked_where_a_line_starts_with_one() {
        let text = "a IN SOA ns h (\n 1 2 3 4 5 )\nwww.Sub A 1.2.3.4\n\tA 1.2.3.5\nlast;x\n\
                    $TTL 5\nm\\.x A 1.1.1.1\n; c\nz A 1.1.1.1\n(\n";
        let chunk = Chunk::whole(text.as_bytes());
        let mut r = EntryReader::new(chunk, true);
        let mut toks = Vec::new();
        let mut peeked = Vec::new();
        while r.next_entry(&mut toks).is_some() {
            peeked.push(
                r.peek_owner()
                    .map(|o| String::from_utf8_lossy(o).into_owned()),
            );
        }
        let owner = |s: &str| Some(s.to_string());
        // After the SOA, `www.Sub`; `last` ends at its comment; a blank owner, a
        // directive, an escape, a comment line and a parenthesis give none.
        assert_eq!(
            peeked,
            [
                owner("www.Sub"),
                None,
                owner("last"),
                None,
                None,
                None,
                None,
                None
            ]
        );
    }

    #[test]
    fn parentheses_join_lines_and_blank_owner_is_seen() {
        let e = entries("a IN SOA ns h (\n 1 ; serial\n 2 3 4 5 )\n\tNS ns\n; only a comment\n");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].0.len(), 10);
        assert!(!e[0].1);
        assert_eq!(e[1].0, vec!["NS", "ns"]);
        assert!(e[1].1);
    }

    #[test]
    fn an_entry_cut_by_the_chunk_end_is_resumed() {
        let text = b"a IN A 1.2.3.4\nb IN TXT ( \"x\" )\n";
        let cut = 20;
        let mut r = EntryReader::new(
            Chunk {
                base: 0,
                bytes: &text[..cut],
            },
            false,
        );
        let mut toks = Vec::new();
        assert!(r.next_entry(&mut toks).is_some());
        assert!(r.next_entry(&mut toks).is_none());
        assert_eq!(r.resume_at(), Some(15));
        let mut r = EntryReader::new(
            Chunk {
                base: 15,
                bytes: &text[15..],
            },
            true,
        );
        let e = r.next_entry(&mut toks).unwrap();
        assert_eq!(e.span, Span::new(15, 31));
        assert!(e.problem.is_none());
        assert_eq!(toks.len(), 4);
    }

    #[test]
    fn comment_lines_before_a_cut_entry_are_consumed() {
        let text = b"; one\n\n; two\n  \na IN A";
        let mut r = EntryReader::new(Chunk::whole(text), false);
        let mut toks = Vec::new();
        assert!(r.next_entry(&mut toks).is_none());
        assert_eq!(
            r.resume_at(),
            Some(text.len() - 6),
            "resume at `a IN A`, not at 0"
        );
        let mut r = EntryReader::new(Chunk::whole(b"; only\n; comments\n"), false);
        assert!(r.next_entry(&mut toks).is_none());
        assert_eq!(r.resume_at(), Some(18));
    }

    #[test]
    fn paren_problems_are_reported() {
        let e = entries("@ NS ((@))\n");
        assert!(matches!(e[0].2, Some(EntryProblem::NestedParen(_))));
        let e = entries("@ NS @ )\n");
        assert!(matches!(
            e[0].2,
            Some(EntryProblem::UnexpectedCloseParen(_))
        ));
        let e = entries("@ SOA ( a b\n");
        assert!(matches!(e[0].2, Some(EntryProblem::UnclosedParen(_))));
    }
}
