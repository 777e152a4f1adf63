//! A streaming, lossless lexer for RFC 1035 master files.
//!
//! Every byte of the input belongs to exactly one token, so concatenating the token spans
//! reproduces the file (a property test checks this). The lexer allocates nothing: tokens
//! are spans into the caller's buffer, produced one at a time.

use crate::span::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A run of non-delimiter bytes; `\X` and `\DDD` escapes stay inside the word.
    Word,
    /// A `"..."` string, quotes included; `terminated` is false when the file ends first.
    Quoted {
        terminated: bool,
    },
    /// `;` up to (not including) the end of the line.
    Comment,
    /// Spaces, tabs and the carriage return of a CRLF.
    Space,
    /// `\n`, or a carriage return not followed by `\n` (old Mac line ends).
    Newline,
    LParen,
    RParen,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

const WORD: u8 = 0;
const SPACE: u8 = 1;
const NEWLINE: u8 = 2;
const SPECIAL: u8 = 3;
const CR: u8 = 4;

static CLASS: [u8; 256] = {
    let mut table = [WORD; 256];
    table[b' ' as usize] = SPACE;
    table[b'\t' as usize] = SPACE;
    table[b'\r' as usize] = CR;
    table[b'\n' as usize] = NEWLINE;
    table[b';' as usize] = SPECIAL;
    table[b'(' as usize] = SPECIAL;
    table[b')' as usize] = SPECIAL;
    table[b'"' as usize] = SPECIAL;
    table
};

pub struct Lexer<'a> {
    text: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a [u8]) -> Lexer<'a> {
        Lexer { text, pos: 0 }
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn text(&self) -> &'a [u8] {
        self.text
    }

    /// Continues lexing from `pos` (used to cut a token short at a line end).
    pub fn reset_to(&mut self, pos: usize) {
        self.pos = pos;
    }

    fn word_end(&self, mut i: usize) -> usize {
        let text = self.text;
        while i < text.len() {
            let b = text[i];
            if b == b'\\' {
                // A backslash never escapes the end of a line: the record ends there.
                if text.get(i + 1) == Some(&b'\n') {
                    i += 1;
                    break;
                }
                i += 2;
                continue;
            }
            if CLASS[b as usize] != WORD {
                break;
            }
            i += 1;
        }
        i.min(text.len())
    }

    fn quoted_end(&self, start: usize) -> (usize, bool) {
        let text = self.text;
        let mut i = start + 1;
        loop {
            match memchr::memchr2(b'"', b'\\', &text[i.min(text.len())..]) {
                None => return (text.len(), false),
                Some(k) => {
                    let at = i + k;
                    if text[at] == b'\\' {
                        i = at + 2;
                        if i >= text.len() {
                            return (text.len(), false);
                        }
                    } else {
                        return (at + 1, true);
                    }
                }
            }
        }
    }
}

/// Whether the byte at `i` is the carriage return of a CRLF.
#[inline]
fn is_crlf(text: &[u8], i: usize) -> bool {
    text[i] == b'\r' && text.get(i + 1) == Some(&b'\n')
}

/// Where the line that `from` is on ends: at its `\n`, at a lone CR, or at the end.
fn line_end(text: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(k) = memchr::memchr2(b'\n', b'\r', &text[at..]) {
        let i = at + k;
        if text[i] == b'\n' || !is_crlf(text, i) {
            return if text[i] == b'\r' || i == 0 || text[i - 1] != b'\r' {
                i
            } else {
                i - 1
            };
        }
        at = i + 1;
    }
    text.len()
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    // Always: the parser's loop over tokens is the hottest of the run, and a build in
    // which the compiler kept this a call took 6 % more instructions on a large zone.
    #[inline(always)]
    fn next(&mut self) -> Option<Token> {
        let text = self.text;
        let start = self.pos;
        let &b = text.get(start)?;
        let (kind, end) = match CLASS[b as usize] {
            WORD => (TokenKind::Word, self.word_end(start)),
            SPACE => {
                let mut i = start + 1;
                while i < text.len() && (CLASS[text[i] as usize] == SPACE || is_crlf(text, i)) {
                    i += 1;
                }
                (TokenKind::Space, i)
            }
            NEWLINE => (TokenKind::Newline, start + 1),
            CR if is_crlf(text, start) => (TokenKind::Space, start + 1),
            CR => (TokenKind::Newline, start + 1),
            _ => match b {
                b';' => {
                    let end = line_end(text, start);
                    (TokenKind::Comment, end)
                }
                b'(' => (TokenKind::LParen, start + 1),
                b')' => (TokenKind::RParen, start + 1),
                _ => {
                    let (end, terminated) = self.quoted_end(start);
                    (TokenKind::Quoted { terminated }, end)
                }
            },
        };
        self.pos = end;
        Some(Token {
            kind,
            span: Span::new(start, end),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        Lexer::new(text.as_bytes())
            .map(|t| (t.kind, &text[t.span.range()]))
            .collect()
    }

    #[test]
    fn escapes_stay_inside_words_and_quotes_keep_semicolons() {
        let toks = kinds("a\\;b \"x;y\\\"z\" ; c\n");
        assert_eq!(
            toks,
            vec![
                (TokenKind::Word, "a\\;b"),
                (TokenKind::Space, " "),
                (TokenKind::Quoted { terminated: true }, "\"x;y\\\"z\""),
                (TokenKind::Space, " "),
                (TokenKind::Comment, "; c"),
                (TokenKind::Newline, "\n"),
            ]
        );
    }

    #[test]
    fn unterminated_quote_runs_to_end_of_file() {
        let toks = kinds("\"abc\n def");
        assert_eq!(
            toks,
            vec![(TokenKind::Quoted { terminated: false }, "\"abc\n def")]
        );
    }

    #[test]
    fn backslash_does_not_escape_a_line_end() {
        let toks = kinds("a\\\nb");
        assert_eq!(
            toks,
            vec![
                (TokenKind::Word, "a\\"),
                (TokenKind::Newline, "\n"),
                (TokenKind::Word, "b")
            ]
        );
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let toks = kinds("a ;c\rb\r\nc\n");
        assert_eq!(
            toks,
            vec![
                (TokenKind::Word, "a"),
                (TokenKind::Space, " "),
                (TokenKind::Comment, ";c"),
                (TokenKind::Newline, "\r"),
                (TokenKind::Word, "b"),
                (TokenKind::Space, "\r"),
                (TokenKind::Newline, "\n"),
                (TokenKind::Word, "c"),
                (TokenKind::Newline, "\n"),
            ]
        );
        assert_eq!(kinds("x ; y\r\n")[2], (TokenKind::Comment, "; y"));
    }

    #[test]
    fn trailing_backslash_does_not_overrun() {
        let toks = kinds("a\\");
        assert_eq!(toks, vec![(TokenKind::Word, "a\\")]);
    }
}
