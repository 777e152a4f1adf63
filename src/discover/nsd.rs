//! NSD's `nsd.conf`: `zone:` clauses with `name:` and `zonefile:`, the `pattern:`s they
//! include, `zonesdir:` and `include:`.
//!
//! The file is a list of clauses (`server:`, `zone:`, `pattern:`, `key:`, ...) each
//! followed by `attribute: value` lines; indentation carries no meaning, `#` starts a
//! comment. Attributes this reader does not use are skipped.

use super::server::{ConfigProblem, Declared, Include, Role};
use crate::span::Span;

/// Where NSD looks for relative zone file names unless `zonesdir:` says otherwise.
pub const DEFAULT_ZONESDIR: &str = "/etc/nsd";

const CLAUSES: &[&str] = &[
    "server",
    "zone",
    "pattern",
    "key",
    "remote-control",
    "tls-auth",
    "dnstap",
    "verify",
];

#[derive(Clone, Debug)]
pub struct Attribute {
    pub key: String,
    pub value: String,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Clause {
    pub kind: String,
    pub attributes: Vec<Attribute>,
    pub source: u32,
}

impl Clause {
    fn get(&self, key: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.key == key)
    }

    fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Attribute> + 'a {
        self.attributes.iter().filter(move |a| a.key == key)
    }
}

#[derive(Debug, Default)]
pub struct NsdFile {
    pub clauses: Vec<Clause>,
    pub includes: Vec<Include>,
    pub problems: Vec<ConfigProblem>,
}

/// The first whitespace-separated value of an attribute, unquoted.
fn first_value(raw: &str) -> String {
    let t = raw.trim();
    if let Some(rest) = t.strip_prefix('"') {
        return rest.split('"').next().unwrap_or("").to_string();
    }
    t.split_whitespace().next().unwrap_or("").to_string()
}

fn without_comment(line: &str) -> &str {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted => return &line[..i],
            _ => {}
        }
    }
    line
}

pub fn read(text: &[u8], source: u32) -> NsdFile {
    let mut file = NsdFile::default();
    let text = String::from_utf8_lossy(text);
    let mut offset = 0;
    for raw_line in text.split_inclusive('\n') {
        let start = offset;
        offset += raw_line.len();
        let line = without_comment(raw_line.trim_end_matches(['\n', '\r'])).trim_end();
        let body = line.trim_start();
        if body.is_empty() {
            continue;
        }
        let indent = line.len() - body.len();
        let at = Span::new(start + indent, start + line.len());
        let Some((key, value)) = body.split_once(':') else {
            file.problems.push(ConfigProblem::new(
                at,
                format!("expected `attribute: value`, found `{body}`"),
            ));
            continue;
        };
        let key = key.trim();
        if value.trim().is_empty() && CLAUSES.contains(&key) {
            file.clauses.push(Clause {
                kind: key.to_string(),
                attributes: Vec::new(),
                source,
            });
            continue;
        }
        let value_start = start + indent + key.len() + 1;
        let value_span = Span::new(
            value_start + (value.len() - value.trim_start().len()),
            start + line.len(),
        );
        if key == "include" {
            file.includes.push(Include {
                raw: first_value(value),
                source,
                span: value_span,
                view: None,
            });
            continue;
        }
        match file.clauses.last_mut() {
            Some(clause) => clause.attributes.push(Attribute {
                key: key.to_string(),
                value: first_value(value),
                span: value_span,
            }),
            None => file.problems.push(ConfigProblem::new(
                at,
                format!("`{key}:` appears before any clause such as `server:` or `zone:`"),
            )),
        }
    }
    file
}

/// NSD's substitutions in `zonefile:` for zone `name` (without its final dot): `%s`,
/// `%1` `%2` `%3` (characters), `%z` `%y` `%x` (the last, next-to-last and the label
/// before that). A character or label that does not exist becomes a `.`.
pub fn substitute(pattern: &str, name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let labels: Vec<&str> = name.split('.').rev().collect();
    let mut out = String::new();
    let mut it = pattern.chars().peekable();
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let pick = |i: usize| chars.get(i).map_or(".".to_string(), char::to_string);
        let label = |i: usize| {
            labels
                .get(i)
                .filter(|l| !l.is_empty())
                .map_or(".".to_string(), |l| l.to_string())
        };
        match it.peek().copied() {
            Some('s') => out.push_str(name),
            Some('1') => out.push_str(&pick(0)),
            Some('2') => out.push_str(&pick(1)),
            Some('3') => out.push_str(&pick(2)),
            Some('z') => out.push_str(&label(0)),
            Some('y') => out.push_str(&label(1)),
            Some('x') => out.push_str(&label(2)),
            _ => {
                out.push('%');
                continue;
            }
        }
        it.next();
    }
    out
}

/// The zones of a set of NSD files (one file and everything it includes), with their
/// patterns applied.
pub fn zones(files: &[NsdFile]) -> Vec<Declared> {
    let clauses: Vec<&Clause> = files.iter().flat_map(|f| &f.clauses).collect();
    let zonesdir = clauses
        .iter()
        .filter(|c| c.kind == "server")
        .find_map(|c| c.get("zonesdir"))
        .map_or(DEFAULT_ZONESDIR.to_string(), |a| a.value.clone());
    let pattern = |name: &str| {
        clauses
            .iter()
            .copied()
            .find(|c| c.kind == "pattern" && c.get("name").is_some_and(|n| n.value == name))
    };
    // A setting of the zone, else of its patterns (and theirs), depth first.
    fn lookup<'a>(
        clause: &'a Clause,
        key: &str,
        pattern: &dyn Fn(&str) -> Option<&'a Clause>,
        depth: usize,
    ) -> Option<&'a Attribute> {
        if let Some(a) = clause.get(key) {
            return Some(a);
        }
        if depth > 8 {
            return None;
        }
        clause
            .all("include-pattern")
            .filter_map(|p| pattern(&p.value))
            .find_map(|p| lookup(p, key, pattern, depth + 1))
    }
    let mut out = Vec::new();
    for z in clauses.iter().filter(|c| c.kind == "zone") {
        let Some(name) = z.get("name") else { continue };
        let bare = name.value.trim_end_matches('.');
        let file = lookup(z, "zonefile", &pattern, 0).map(|a| (substitute(&a.value, bare), a.span));
        let secondary = lookup(z, "request-xfr", &pattern, 0).is_some();
        out.push(Declared {
            name: name.value.clone(),
            class: None,
            role: if secondary {
                Role::Secondary
            } else {
                Role::Primary
            },
            file,
            base: Some(zonesdir.clone()),
            view: None,
            source: z.source,
            span: name.span,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutions_as_the_manual_defines_them() {
        assert_eq!(substitute("%s.zone", "example.com"), "example.com.zone");
        assert_eq!(
            substitute("%1/%2/%3/%s", "example.com"),
            "e/x/a/example.com"
        );
        assert_eq!(
            substitute("%z/%y/%x/%s", "www.example.com"),
            "com/example/www/www.example.com"
        );
        // Missing characters and labels become dots.
        assert_eq!(substitute("%3-%x", "ab"), ".-.");
        assert_eq!(substitute("100%", "a"), "100%");
    }

    #[test]
    fn zones_with_patterns() {
        let text = "\
server:
  zonesdir: \"/var/nsd/zones\"   # where zones live
pattern:
  name: primary
  zonefile: \"primary/%s.zone\"
pattern:
  name: secondary
  include-pattern: \"base\"
pattern:
  name: base
  request-xfr: 192.0.2.1 NOKEY
zone:
  name: example.com
  include-pattern: primary
zone:
  name: example.net
  zonefile: /etc/nsd/example.net
zone:
 name: backup.example
 include-pattern: secondary
 zonefile: %s.bak
include: \"/etc/nsd/more/*.conf\"
";
        let f = read(text.as_bytes(), 2);
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.includes[0].raw, "/etc/nsd/more/*.conf");
        let z = zones(&[f]);
        let got: Vec<_> = z
            .iter()
            .map(|d| {
                (
                    d.name.as_str(),
                    d.file.as_ref().map(|f| f.0.as_str()),
                    d.role.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "example.com",
                    Some("primary/example.com.zone"),
                    Role::Primary
                ),
                ("example.net", Some("/etc/nsd/example.net"), Role::Primary),
                (
                    "backup.example",
                    Some("backup.example.bak"),
                    Role::Secondary
                ),
            ]
        );
        assert_eq!(z[0].base.as_deref(), Some("/var/nsd/zones"));
        assert_eq!(&text[z[1].span.range()], "example.net");
    }

    #[test]
    fn stray_lines_are_problems() {
        let f = read(b"name: lonely\nzone:\n  just words\n", 0);
        assert_eq!(f.problems.len(), 2);
    }
}
