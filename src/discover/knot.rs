//! Knot DNS's `knot.conf`: the `zone` list, the `template`s it refers to, and `include`.
//!
//! Knot's configuration looks like YAML but is read line by line as Knot reads it: a
//! section name at the left margin (`zone:`), list items (`  - domain: example.com`)
//! with their further `key: value` lines indented below, `#` comments, and sections that
//! may appear more than once (each adds to the list). Strict YAML would refuse a
//! repeated `zone:` key, which real configurations have.

use super::server::{ConfigProblem, Declared, Include, Role};
use crate::span::Span;

/// Knot's compiled-in storage directory, where relative zone file names point.
pub const DEFAULT_STORAGE: &str = "/var/lib/knot";

/// One `key: value` line.
#[derive(Clone, Debug)]
pub struct Field {
    pub key: String,
    pub value: String,
    pub span: Span,
}

/// One list item of a section (or the whole body of a section that is not a list).
#[derive(Clone, Debug, Default)]
pub struct Item {
    pub fields: Vec<Field>,
    /// Where the item starts (its first key).
    pub span: Span,
}

impl Item {
    pub fn get(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// What one Knot configuration file says.
#[derive(Debug, Default)]
pub struct KnotFile {
    pub zones: Vec<Item>,
    pub templates: Vec<Item>,
    pub includes: Vec<Include>,
    pub problems: Vec<ConfigProblem>,
    pub source: u32,
}

/// A value without its quotes; a `[a, b]` list is kept as written (only scalars matter
/// here).
fn scalar(raw: &str) -> String {
    let t = raw.trim();
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        t[1..t.len() - 1].replace("\\\"", "\"")
    } else {
        t.to_string()
    }
}

/// The line without a `#` comment (a `#` inside double quotes stays).
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

pub fn read(text: &[u8], source: u32) -> KnotFile {
    let mut file = KnotFile {
        source,
        ..KnotFile::default()
    };
    let text = String::from_utf8_lossy(text);
    let mut section: Option<String> = None;
    let mut item: Option<Item> = None;
    let mut offset = 0;
    let finish = |file: &mut KnotFile, section: &Option<String>, item: &mut Option<Item>| {
        if let Some(done) = item.take() {
            match section.as_deref() {
                Some("zone") => file.zones.push(done),
                Some("template") => file.templates.push(done),
                _ => {}
            }
        }
    };
    for raw_line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw_line.len();
        let line = without_comment(raw_line.trim_end_matches(['\n', '\r'])).trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let body = line.trim_start();
        let at = |from: usize, len: usize| Span::new(line_start + from, line_start + from + len);
        let (dash, body, body_at) = match body.strip_prefix("- ") {
            Some(rest) => {
                let skipped = body.len() - rest.trim_start().len();
                (true, rest.trim_start(), indent + skipped)
            }
            None if body == "-" => (true, "", indent + 1),
            None => (false, body, indent),
        };
        let Some((key, value)) = body.split_once(':') else {
            file.problems.push(ConfigProblem::new(
                at(indent, body.len().max(1)),
                format!("expected `key: value`, found `{}`", body.trim()),
            ));
            continue;
        };
        let key = key.trim().to_string();
        let value = scalar(value);
        if indent == 0 && !dash {
            finish(&mut file, &section, &mut item);
            if value.is_empty() {
                section = Some(key);
            } else {
                section = None;
                if key == "include" {
                    file.includes.push(Include {
                        raw: value,
                        source,
                        span: at(body_at, body.len()),
                        view: None,
                    });
                }
            }
            continue;
        }
        if section.is_none() {
            file.problems.push(ConfigProblem::new(
                at(indent, body.len()),
                format!("`{key}` is indented but belongs to no section"),
            ));
            continue;
        }
        if dash {
            finish(&mut file, &section, &mut item);
            item = Some(Item {
                fields: Vec::new(),
                span: at(body_at, key.len()),
            });
        }
        let current = item.get_or_insert_with(|| Item {
            fields: Vec::new(),
            span: at(body_at, key.len()),
        });
        let after_colon = body.find(':').map_or(body.len(), |c| c + 1);
        let value_text = &body[after_colon..];
        let value_at = after_colon + (value_text.len() - value_text.trim_start().len());
        current.fields.push(Field {
            key,
            value,
            span: at(body_at + value_at, body.len() - value_at),
        });
    }
    finish(&mut file, &section, &mut item);
    file
}

/// Knot's `%` formatters in a zone file name (`%s`, `%c[N]`, `%c[N-M]`, `%l[N]`,
/// `%%`), for the zone `name` (without its final dot; empty for the root).
pub fn substitute(pattern: &str, name: &str) -> String {
    let chars: Vec<char> = format!("{name}.").chars().collect();
    let labels: Vec<&str> = if name.is_empty() {
        Vec::new()
    } else {
        name.split('.').rev().collect()
    };
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(p) = rest.find('%') {
        out.push_str(&rest[..p]);
        let tail = &rest[p + 1..];
        let (consumed, text) = match tail.chars().next() {
            Some('s') => (1, name.to_string()),
            Some('%') => (1, "%".to_string()),
            Some(kind @ ('c' | 'l')) if tail[1..].starts_with('[') => match tail.find(']') {
                Some(close) => {
                    let inside = &tail[2..close];
                    let (a, b) = match inside.split_once('-') {
                        Some((a, b)) => (a.parse::<usize>().ok(), b.parse::<usize>().ok()),
                        None => {
                            let n = inside.parse::<usize>().ok();
                            (n, n)
                        }
                    };
                    let text = match (kind, a, b) {
                        ('c', Some(a), Some(b)) if a <= b => {
                            chars.iter().skip(a).take(b - a + 1).collect::<String>()
                        }
                        ('l', Some(a), Some(b)) if a <= b => {
                            let mut picked: Vec<&str> =
                                labels.iter().skip(a).take(b - a + 1).copied().collect();
                            picked.reverse();
                            picked.join(".")
                        }
                        _ => String::new(),
                    };
                    (close + 1, text)
                }
                None => (0, "%".to_string()),
            },
            _ => (0, "%".to_string()),
        };
        out.push_str(&text);
        rest = &tail[consumed..];
    }
    out.push_str(rest);
    out
}

/// The zones of a set of Knot files (one file and everything it includes): templates
/// are shared between files, so zones are resolved once all are read.
pub fn zones(files: &[KnotFile]) -> Vec<Declared> {
    let templates: Vec<&Item> = files.iter().flat_map(|f| &f.templates).collect();
    let template = |id: &str| {
        templates
            .iter()
            .copied()
            .find(|t| t.get("id").is_some_and(|f| f.value == id))
    };
    let mut out = Vec::new();
    for file in files {
        for z in &file.zones {
            let Some(domain) = z.get("domain") else {
                continue;
            };
            let t = match z.get("template") {
                Some(id) => template(&id.value),
                None => template("default"),
            };
            let setting = |key: &str| z.get(key).or_else(|| t.and_then(|t| t.get(key)));
            let storage =
                setting("storage").map_or(DEFAULT_STORAGE.to_string(), |f| f.value.clone());
            let name = domain.value.trim_end_matches('.');
            let (pattern, span) = match setting("file") {
                Some(f) => (f.value.clone(), f.span),
                None => ("%s.zone".to_string(), domain.span),
            };
            let secondary = setting("master").or_else(|| setting("primary")).is_some();
            out.push(Declared {
                name: domain.value.clone(),
                class: None,
                role: if secondary {
                    Role::Secondary
                } else {
                    Role::Primary
                },
                file: Some((substitute(&pattern, name), span)),
                base: Some(storage),
                view: None,
                source: file.source,
                span: domain.span,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatters_as_the_manual_defines_them() {
        assert_eq!(substitute("%s.zone", "example.com"), "example.com.zone");
        assert_eq!(substitute("%c[0]/%s", "example.com"), "e/example.com");
        assert_eq!(
            substitute("%c[0-1]/%c[2]/%s", "example.com"),
            "ex/a/example.com"
        );
        assert_eq!(
            substitute("%l[0]/%l[1]/%s.db", "www.example.com"),
            "com/example/www.example.com.db"
        );
        assert_eq!(substitute("%l[0-1]", "www.example.com"), "example.com");
        // Positions past the end have no effect; `%%` is a percent sign.
        assert_eq!(substitute("%c[9]x%l[5]y%%", "a.b"), "xy%");
        assert_eq!(substitute("%s.zone", ""), ".zone");
        assert_eq!(substitute("odd%", "a"), "odd%");
    }

    #[test]
    fn repeated_sections_templates_and_includes() {
        let text = "\
server:
    listen: 0.0.0.0@53   # comment
template:
  - id: default
    storage: \"/srv/knot\"
    file: \"%s.zone\"
  - id: signed
    storage: /srv/signed
    file: \"%c[0]/%s\"
zone:
  - domain: example.com
  - domain: example.net.
    template: signed
include: extra.conf
zone:
  - domain: second.example
    master: upstream
  - domain: \"own.example\"
    file: /etc/knot/own.zone
";
        let f = read(text.as_bytes(), 3);
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.includes[0].raw, "extra.conf");
        let z = zones(&[f]);
        let got: Vec<_> = z
            .iter()
            .map(|d| {
                (
                    d.name.as_str(),
                    d.file.as_ref().unwrap().0.as_str(),
                    d.base.as_deref().unwrap(),
                    d.role.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "example.com",
                    "example.com.zone",
                    "/srv/knot",
                    Role::Primary
                ),
                (
                    "example.net.",
                    "e/example.net",
                    "/srv/signed",
                    Role::Primary
                ),
                (
                    "second.example",
                    "second.example.zone",
                    "/srv/knot",
                    Role::Secondary
                ),
                (
                    "own.example",
                    "/etc/knot/own.zone",
                    "/srv/knot",
                    Role::Primary
                ),
            ]
        );
        assert_eq!(
            &text[z[3].file.as_ref().unwrap().1.range()],
            "/etc/knot/own.zone"
        );
    }

    #[test]
    fn lines_that_are_not_settings_are_problems() {
        let f = read(b"zone:\n  - domain: a.example\n  oops\n    stray: 1\n", 0);
        assert_eq!(f.problems.len(), 1);
        assert_eq!(f.zones.len(), 1);
        let f = read(b"  domain: x\n", 0);
        assert_eq!(f.problems.len(), 1);
    }
}
