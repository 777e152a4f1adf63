//! BIND's `named.conf` (also read by PowerDNS's bind backend): the statements that say
//! which zones a server loads from which files.
//!
//! The file is read as BIND's parser sees it — statements of words and strings ended by
//! `;`, with `{ ... }` blocks that hold statements of their own, and `//`, `#` and
//! `/* */` comments — and only `options { directory }`, `zone`, `view` and `include`
//! are interpreted. Everything else is skipped whatever it says, so an option this
//! reader has never heard of cannot make it fail.

use super::server::{ConfigProblem, Declared, Include, Role};
use crate::span::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Word,
    Quoted,
    Open,
    Close,
    Semicolon,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    span: Span,
}

/// Splits the text into tokens; comments and whitespace are dropped. An unterminated
/// string or comment is reported and ends the text.
fn tokenize(text: &[u8], problems: &mut Vec<ConfigProblem>) -> Vec<Token> {
    // (An unterminated string or comment ends the text: see `read`.)
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => i = line_end(text, i),
            b'/' if text.get(i + 1) == Some(&b'/') => i = line_end(text, i),
            b'/' if text.get(i + 1) == Some(&b'*') => {
                match memchr::memmem::find(&text[i + 2..], b"*/") {
                    Some(k) => i += k + 4,
                    None => {
                        problems.push(ConfigProblem::new(
                            Span::new(i, i + 2),
                            "comment `/*` is never closed",
                        ));
                        return tokens;
                    }
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                loop {
                    match text.get(i) {
                        None => {
                            problems.push(ConfigProblem::new(
                                Span::new(start, start + 1),
                                "quoted string is never closed",
                            ));
                            return tokens;
                        }
                        Some(b'\\') => i += 2,
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
                tokens.push(Token {
                    kind: Kind::Quoted,
                    span: Span::new(start, i.min(text.len())),
                });
            }
            b'{' | b'}' | b';' => {
                let kind = match b {
                    b'{' => Kind::Open,
                    b'}' => Kind::Close,
                    _ => Kind::Semicolon,
                };
                tokens.push(Token {
                    kind,
                    span: Span::new(i, i + 1),
                });
                i += 1;
            }
            _ => {
                let start = i;
                while i < text.len()
                    && !matches!(
                        text[i],
                        b' ' | b'\t' | b'\r' | b'\n' | b'{' | b'}' | b';' | b'"' | b'#'
                    )
                    && !(text[i] == b'/' && matches!(text.get(i + 1), Some(b'/' | b'*')))
                {
                    i += 1;
                }
                tokens.push(Token {
                    kind: Kind::Word,
                    span: Span::new(start, i),
                });
            }
        }
    }
    tokens
}

fn line_end(text: &[u8], from: usize) -> usize {
    memchr::memchr(b'\n', &text[from..]).map_or(text.len(), |k| from + k)
}

/// One statement: its words (and strings), and the statements of its block if it has one.
#[derive(Debug, Default)]
struct Statement {
    words: Vec<Token>,
    block: Option<Vec<Statement>>,
}

/// Builds statements from tokens; unbalanced braces and a missing `;` are reported and
/// the reader carries on with what it can make of the rest. `open` is the `{` this
/// level started with; at the end of the text inside a block only that brace is
/// reported, not the `;`s the outer levels then miss.
fn statements(
    tokens: &[Token],
    pos: &mut usize,
    open: Option<Span>,
    depth: usize,
    problems: &mut Vec<ConfigProblem>,
) -> Vec<Statement> {
    let mut out = Vec::new();
    let mut current = Statement::default();
    while let Some(&t) = tokens.get(*pos) {
        *pos += 1;
        match t.kind {
            Kind::Word | Kind::Quoted => {
                if current.block.is_some() {
                    // BIND requires `;` after `}`; say so, and start the next statement.
                    let at = current.words.last().map_or(t.span, |w| w.span);
                    problems.push(ConfigProblem::new(at, "`;` expected after `}`"));
                    out.push(std::mem::take(&mut current));
                }
                current.words.push(t);
            }
            Kind::Semicolon => {
                if !current.words.is_empty() || current.block.is_some() {
                    out.push(std::mem::take(&mut current));
                }
            }
            Kind::Open => {
                if depth >= 32 {
                    problems.push(ConfigProblem::new(t.span, "blocks are nested too deeply"));
                    *pos = tokens.len();
                    return out;
                }
                if current.block.is_some() {
                    problems.push(ConfigProblem::new(t.span, "`;` expected before `{`"));
                    out.push(std::mem::take(&mut current));
                }
                let inner = statements(tokens, pos, Some(t.span), depth + 1, problems);
                current.block = Some(inner);
                if *pos >= tokens.len() && tokens.last().is_none_or(|l| l.kind != Kind::Close) {
                    // The block ran to the end of the text: already reported.
                    out.push(current);
                    return out;
                }
            }
            Kind::Close => {
                if open.is_none() {
                    problems.push(ConfigProblem::new(t.span, "`}` without a matching `{`"));
                    continue;
                }
                if !current.words.is_empty() || current.block.is_some() {
                    let at = current.words.last().map_or(t.span, |w| w.span);
                    problems.push(ConfigProblem::new(at, "`;` expected before `}`"));
                    out.push(current);
                }
                return out;
            }
        }
    }
    if let Some(brace) = open {
        problems.push(ConfigProblem::new(brace, "`{` is never closed with `}`"));
    } else if !current.words.is_empty() || current.block.is_some() {
        let at = current.words.last().map_or(Span::default(), |w| w.span);
        problems.push(ConfigProblem::new(
            at,
            "`;` expected at the end of the statement",
        ));
    }
    if !current.words.is_empty() || current.block.is_some() {
        out.push(current);
    }
    out
}

/// The text of a word or string, quotes removed and `\"` unescaped.
fn value(text: &[u8], t: Token) -> String {
    let raw = &text[t.span.range()];
    let inner = if t.kind == Kind::Quoted {
        let inner = &raw[1..];
        inner.strip_suffix(b"\"").unwrap_or(inner)
    } else {
        raw
    };
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        if inner[i] == b'\\' && i + 1 < inner.len() {
            out.push(inner[i + 1]);
            i += 2;
        } else {
            out.push(inner[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn keyword(text: &[u8], s: &Statement) -> Option<String> {
    s.words
        .first()
        .filter(|w| w.kind == Kind::Word)
        .map(|&w| value(text, w).to_ascii_lowercase())
}

/// Whether text (the start of a file) holds a BIND `zone "NAME" { ... file ...` statement
/// at the start of a line: a configuration fragment, whatever the file is called.
pub fn declares_zones(head: &[u8]) -> bool {
    if crate::discover::binary_reason(head).is_some() {
        return false;
    }
    let text = String::from_utf8_lossy(head);
    text.lines().any(|line| {
        let Some(rest) = line.trim_start().strip_prefix("zone") else {
            return false;
        };
        let rest = rest.trim_start();
        rest.starts_with('"') && rest[1..].contains('"')
    }) && text.contains("file")
}

/// What one BIND configuration file says.
#[derive(Debug, Default)]
pub struct BindFile {
    pub zones: Vec<Declared>,
    pub includes: Vec<Include>,
    /// `options { directory "..."; }`, with where it was set.
    pub directory: Option<(String, Span)>,
    pub problems: Vec<ConfigProblem>,
}

/// Reads one file. `view` is the view an `include` inside a `view` block puts the
/// included text in.
pub fn read(text: &[u8], source: u32, view: Option<&str>) -> BindFile {
    let mut file = BindFile::default();
    let tokens = tokenize(text, &mut file.problems);
    let truncated = !file.problems.is_empty();
    let mut pos = 0;
    let mut structure = Vec::new();
    let top = statements(&tokens, &mut pos, None, 0, &mut structure);
    if !truncated {
        // After an unterminated string or comment, the braces it swallowed are not
        // news: report only that.
        file.problems.extend(structure);
    }
    for s in &top {
        statement(text, source, s, view, &mut file, true);
    }
    file
}

fn statement(
    text: &[u8],
    source: u32,
    s: &Statement,
    view: Option<&str>,
    file: &mut BindFile,
    top_level: bool,
) {
    match keyword(text, s).as_deref() {
        Some("options") if top_level => {
            for o in s.block.iter().flatten() {
                if keyword(text, o).as_deref() == Some("directory")
                    && let Some(&d) = o.words.get(1)
                {
                    file.directory = Some((value(text, d), d.span));
                }
            }
        }
        Some("include") => match s.words.get(1) {
            Some(&p) => file.includes.push(Include {
                raw: value(text, p),
                source,
                span: p.span,
                view: view.map(str::to_string),
            }),
            None => file.problems.push(ConfigProblem::new(
                s.words[0].span,
                "`include` needs a file name",
            )),
        },
        Some("view") if top_level => {
            let Some(&name) = s.words.get(1) else {
                file.problems
                    .push(ConfigProblem::new(s.words[0].span, "`view` needs a name"));
                return;
            };
            let name = value(text, name);
            for inner in s.block.iter().flatten() {
                statement(text, source, inner, Some(&name), file, false);
            }
        }
        Some("zone") => zone(text, source, s, view, file),
        _ => {}
    }
}

fn zone(text: &[u8], source: u32, s: &Statement, view: Option<&str>, file: &mut BindFile) {
    let Some(&name_tok) = s.words.get(1) else {
        file.problems
            .push(ConfigProblem::new(s.words[0].span, "`zone` needs a name"));
        return;
    };
    let Some(block) = &s.block else {
        file.problems.push(ConfigProblem::new(
            name_tok.span,
            "`zone` needs a `{ ... }` block with its type and file",
        ));
        return;
    };
    let class = s.words.get(2).map(|&c| value(text, c).to_ascii_uppercase());
    let mut role = None;
    let mut path = None;
    for o in block {
        match keyword(text, o).as_deref() {
            Some("type") => {
                if let Some(&t) = o.words.get(1) {
                    role = Some(Role::from_bind(&value(text, t).to_ascii_lowercase()));
                }
            }
            Some("file") => {
                if let Some(&f) = o.words.get(1) {
                    path = Some((value(text, f), f.span));
                }
            }
            Some("in-view") => role = Some(Role::Other("in-view".into())),
            _ => {}
        }
    }
    file.zones.push(Declared {
        name: value(text, name_tok),
        class,
        // A zone without `type` is an error to BIND; it loads no file.
        role: role.unwrap_or(Role::Other("(no type)".into())),
        file: path,
        base: None,
        view: view.map(str::to_string),
        source,
        span: name_tok.span,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zones(text: &str) -> Vec<(String, Option<String>, Role, Option<String>)> {
        read(text.as_bytes(), 0, None)
            .zones
            .into_iter()
            .map(|z| (z.name, z.view, z.role, z.file.map(|f| f.0)))
            .collect()
    }

    #[test]
    fn zones_views_and_directory() {
        let text = r#"
// a comment with "quotes" and { braces
options {
    directory "/var/named";   # another comment
    listen-on port 53 { any; };
};
/* block
   comment */
acl trusted { 10.0.0.0/8; localhost; };
view "internal" {
    match-clients { trusted; };
    zone "example.com" IN { type master; file "internal/db.example.com"; };
    include "/etc/bind/internal.zones";
};
view external {
    zone "example.com" { type primary; file "external/db.example.com"; allow-transfer { none; }; };
    zone "backup.example" { type slave; masters { 192.0.2.1; }; file "slaves/bak"; };
};
zone "." { type hint; file "named.ca"; };
"#;
        let f = read(text.as_bytes(), 0, None);
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.directory.as_ref().unwrap().0, "/var/named");
        assert_eq!(f.includes.len(), 1);
        assert_eq!(f.includes[0].view.as_deref(), Some("internal"));
        assert_eq!(
            zones(text),
            vec![
                (
                    "example.com".into(),
                    Some("internal".into()),
                    Role::Primary,
                    Some("internal/db.example.com".into())
                ),
                (
                    "example.com".into(),
                    Some("external".into()),
                    Role::Primary,
                    Some("external/db.example.com".into())
                ),
                (
                    "backup.example".into(),
                    Some("external".into()),
                    Role::Secondary,
                    Some("slaves/bak".into())
                ),
                (
                    ".".into(),
                    None,
                    Role::Other("hint".into()),
                    Some("named.ca".into())
                ),
            ]
        );
    }

    #[test]
    fn broken_files_report_where_and_keep_what_they_can() {
        let f = read(
            b"zone \"a.example\" { type master; file \"a\"; };\nzone \"b\" { type master\n",
            0,
            None,
        );
        assert_eq!(f.zones.len(), 2);
        assert_eq!(f.zones[1].file, None);
        assert_eq!(f.problems.len(), 1, "{:?}", f.problems);
        assert_eq!(f.problems[0].span, Span::new(54, 55));
        let f = read(b"options { directory \"/x\n", 0, None);
        assert_eq!(f.problems.len(), 1);
        assert!(f.problems[0].message.contains("never closed"));
        let f = read(b"}\nzone \"c\" { type master; file \"c\"; };\n", 0, None);
        assert_eq!(f.zones.len(), 1);
        assert_eq!(f.problems[0].span, Span::new(0, 1));
        let f = read(b"/* open", 0, None);
        assert_eq!(f.problems.len(), 1);
    }

    #[test]
    fn fragments_under_other_names_are_recognised() {
        assert!(declares_zones(b"// rfc1918\nzone \"10.in-addr.arpa\"      { type master; file \"/etc/bind/db.empty\"; };\n"));
        assert!(declares_zones(
            b"zone \"a.example\" IN\n{\n  type primary;\n  file \"a\";\n};\n"
        ));
        assert!(!declares_zones(
            b"$ORIGIN example.com.\nzone IN A 192.0.2.1\n"
        ));
        assert!(
            !declares_zones(b"zone \"x\" { type master; };\n"),
            "no file: nothing to learn"
        );
    }

    #[test]
    fn comments_end_where_they_end() {
        let f = read(
            b"/* c */zone \"a.example\" { type master; file /srv/a; };",
            0,
            None,
        );
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.zones.len(), 1);
        assert_eq!(
            f.zones[0].file.as_ref().unwrap().0,
            "/srv/a",
            "an unquoted path"
        );
        let f = read(b"options { directory \"/x\"; }; /* open", 0, None);
        assert_eq!(f.problems[0].span, Span::new(29, 31));
        let f = read(b"zone \"a\" { file \"b; };", 0, None);
        assert_eq!(f.problems[0].span, Span::new(16, 17));
    }

    #[test]
    fn escaped_quotes_and_odd_tokens() {
        let f = read(
            br#"zone "we\"ird" { type master; file "f\"x"; }; key k { secret "a;b{}"; };"#,
            0,
            None,
        );
        assert!(f.problems.is_empty());
        assert_eq!(f.zones[0].name, "we\"ird");
        assert_eq!(f.zones[0].file.as_ref().unwrap().0, "f\"x");
    }
}
