//! `zonelint.toml`: which codes run, how severe they are, where they are ignored, and
//! defaults for the command line. Found by walking up from the working directory
//! (`--config FILE` names one, `--isolated` ignores it); flags override it.
//!
//! Reading the file is strict: an unknown key, an unknown code or a bad value stops the
//! run with a report labelled at the offending text, since a typo in a suppression list
//! would otherwise silently let findings through (or hide them).

use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Span;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const FILE_NAME: &str = "zonelint.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    fail_on: Option<Spanned<String>>,
    per_file_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    inventory: Option<String>,
    origins: Option<BTreeMap<String, String>>,
    allow_doc_ranges: Option<bool>,
    preview: Option<bool>,
    max_generated_records: Option<u64>,
}

/// A configuration file that cannot be used: the message and where in the file.
#[derive(Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    pub text: String,
    pub message: String,
    pub span: Option<Span>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// Which findings are reported and how severe they are; the part of the configuration
/// that acts on diagnostics (the command line can set the same).
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// Codes or prefixes to report; `None` reports every code.
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub severity: Vec<(String, Severity)>,
    /// Path patterns (relative to `base`) and the codes ignored in those files.
    pub per_file_ignores: Vec<(globset::GlobMatcher, Vec<String>)>,
    /// The directory path patterns are relative to: the configuration file's.
    pub base: PathBuf,
}

#[derive(Debug, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub policy: Policy,
    pub fail_on: Option<Severity>,
    pub inventory: Option<PathBuf>,
    /// Files whose names do not say their origin, resolved against the file's directory.
    pub origins: Vec<(PathBuf, String)>,
    pub allow_doc_ranges: Option<bool>,
    pub preview: Option<bool>,
    /// `max-generated-records`: how many records `$GENERATE` may produce in one zone.
    pub max_generated: Option<u64>,
}

/// The nearest `zonelint.toml` in `start` or a directory above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// A rule code or prefix of rule codes (`PTR`, `MAIL00`) as a user wrote it, trimmed
/// and upper-cased; `Err` says why it names no rule. The configuration, the flags and
/// the suppression comments all accept codes through this.
pub fn rule_code(text: &str) -> Result<String, String> {
    let code = text.trim().to_ascii_uppercase();
    if !code.is_empty()
        && crate::rules::RULES
            .iter()
            .any(|r| r.code.starts_with(&code))
    {
        Ok(code)
    } else {
        Err(format!(
            "`{}` is not a rule code or a prefix of one (`zonelint rules` lists them)",
            text.trim()
        ))
    }
}

fn matches(code: &str, prefixes: &[String]) -> bool {
    prefixes.iter().any(|p| code.starts_with(p.as_str()))
}

pub fn parse_severity(text: &str) -> Option<Severity> {
    match text {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        _ => None,
    }
}

impl Policy {
    pub fn enabled(&self, code: &str) -> bool {
        self.select.as_ref().is_none_or(|s| matches(code, s)) && !matches(code, &self.ignore)
    }

    /// The codes ignored for the file at `path`.
    fn ignored_in(&self, path: &Path) -> Vec<&str> {
        if self.per_file_ignores.is_empty() {
            return Vec::new();
        }
        let absolute = path
            .canonicalize()
            .unwrap_or_else(|_| std::env::current_dir().unwrap_or_default().join(path));
        let base = self
            .base
            .canonicalize()
            .unwrap_or_else(|_| self.base.clone());
        let relative = absolute.strip_prefix(&base).unwrap_or(&absolute);
        self.per_file_ignores
            .iter()
            .filter(|(glob, _)| glob.is_match(relative) || glob.is_match(path))
            .flat_map(|(_, codes)| codes.iter().map(String::as_str))
            .collect()
    }

    /// Drops the findings not selected, ignored, or ignored in their file, and applies
    /// the severity overrides.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>, sources: &crate::source::Sources) {
        let mut per_source: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        diagnostics.retain(|d| {
            let ignored = per_source.entry(d.location.source).or_insert_with(|| {
                self.ignored_in(&sources.get(d.location.source).path)
                    .into_iter()
                    .map(str::to_owned)
                    .collect()
            });
            self.enabled(d.code) && !matches(d.code, ignored)
        });
        for d in diagnostics.iter_mut() {
            // The most specific override wins: `MX002` over `MX`.
            if let Some((_, s)) = self
                .severity
                .iter()
                .filter(|(p, _)| d.code.starts_with(p.as_str()))
                .max_by_key(|(p, _)| p.len())
            {
                d.severity = *s;
            }
        }
    }
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = crate::files::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            text: String::new(),
            message: format!("cannot read the configuration: {e}"),
            span: None,
        })?;
        Config::parse(path, text)
    }

    pub fn parse(path: &Path, text: String) -> Result<Config, ConfigError> {
        let fail = |message: String, span: Option<std::ops::Range<usize>>| ConfigError {
            path: path.to_path_buf(),
            text: text.clone(),
            message,
            span: span.map(|r| Span::new(r.start, r.end.max(r.start + 1))),
        };
        let raw: Raw = toml::from_str(&text).map_err(|e| {
            let message = e.message().trim().to_string();
            fail(message, e.span())
        })?;
        let code =
            |c: &Spanned<String>| rule_code(c.get_ref()).map_err(|m| fail(m, Some(c.span())));
        let codes = |list: &[Spanned<String>]| list.iter().map(code).collect::<Result<Vec<_>, _>>();
        let base = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let mut policy = Policy {
            select: raw.select.as_deref().map(codes).transpose()?,
            ignore: raw
                .ignore
                .as_deref()
                .map(codes)
                .transpose()?
                .unwrap_or_default(),
            base: base.clone(),
            ..Policy::default()
        };
        for (c, level) in raw.severity.iter().flatten() {
            let c = code(c)?;
            let s = parse_severity(level.get_ref()).ok_or_else(|| {
                fail(
                    format!(
                        "severity `{}` is not one of error, warning, info",
                        level.get_ref()
                    ),
                    Some(level.span()),
                )
            })?;
            policy.severity.push((c, s));
        }
        for (pattern, list) in raw.per_file_ignores.iter().flatten() {
            let glob = globset::Glob::new(pattern.get_ref())
                .map_err(|e| fail(format!("bad path pattern: {e}"), Some(pattern.span())))?
                .compile_matcher();
            policy.per_file_ignores.push((glob, codes(list)?));
        }
        let fail_on = match &raw.fail_on {
            Some(s) => Some(parse_severity(s.get_ref()).ok_or_else(|| {
                fail(
                    format!(
                        "fail-on `{}` is not one of error, warning, info",
                        s.get_ref()
                    ),
                    Some(s.span()),
                )
            })?),
            None => None,
        };
        let origins = raw
            .origins
            .unwrap_or_default()
            .into_iter()
            .map(|(p, o)| (base.join(p), o))
            .collect();
        Ok(Config {
            path: Some(path.to_path_buf()),
            policy,
            fail_on,
            inventory: raw.inventory.map(|p| base.join(p)),
            origins,
            allow_doc_ranges: raw.allow_doc_ranges,
            preview: raw.preview,
            max_generated: raw.max_generated_records,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("zonelint.toml"), text.to_string())
    }

    #[test]
    fn unknown_keys_and_codes_point_at_the_text() {
        let text = "select = [\"PTR\"]\ncolour = true\n";
        let e = parse(text).unwrap_err();
        let span = e.span.unwrap();
        assert_eq!(&text[span.range()], "colour", "{}", e.message);
        let text = "ignore = [\"ZONE007\", \"PTX\"]\n";
        let e = parse(text).unwrap_err();
        assert_eq!(&text[e.span.unwrap().range()], "\"PTX\"");
        let text = "[severity]\nMX009 = \"warning\"\n";
        let e = parse(text).unwrap_err();
        assert_eq!(&text[e.span.unwrap().range()], "MX009");
        let text = "[severity]\nMX002 = \"loud\"\n";
        let e = parse(text).unwrap_err();
        assert_eq!(&text[e.span.unwrap().range()], "\"loud\"");
    }

    /// The shipped example, with every commented setting switched on, is valid and
    /// sets every key.
    #[test]
    fn the_example_sets_every_key() {
        let example = include_str!("../examples/zonelint.toml");
        let text: String = example
            .lines()
            .map(|l| {
                let setting = l.strip_prefix("# ").filter(|rest| {
                    rest.split_once(" = ")
                        .is_some_and(|(key, _)| !key.contains(' ') || key.starts_with('"'))
                });
                format!("{}\n", setting.unwrap_or(l))
            })
            .collect();
        let c = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert!(c.policy.select.is_some() && !c.policy.ignore.is_empty());
        assert!(!c.policy.severity.is_empty() && !c.policy.per_file_ignores.is_empty());
        assert!(c.fail_on.is_some() && c.inventory.is_some() && !c.origins.is_empty());
        assert!(c.allow_doc_ranges.is_some() && c.preview.is_some());
    }

    #[test]
    fn policy_selects_ignores_and_overrides() {
        let c = parse("select = [\"PTR\", \"MX\"]\nignore = [\"PTR006\"]\n[severity]\nMX = \"info\"\nMX002 = \"warning\"\n").unwrap();
        let p = &c.policy;
        assert!(p.enabled("PTR001") && p.enabled("MX002"));
        assert!(!p.enabled("PTR006") && !p.enabled("ZONE004"));
        let mut d = vec![
            Diagnostic::new(
                "MX002",
                crate::diagnostic::Location {
                    source: 0,
                    span: Span::default(),
                },
                "x",
            ),
            Diagnostic::new(
                "MX001",
                crate::diagnostic::Location {
                    source: 0,
                    span: Span::default(),
                },
                "y",
            ),
        ];
        let mut sources = crate::source::Sources::default();
        sources.add(crate::source::Source::in_memory(
            "z".into(),
            "z".into(),
            b"".as_slice().into(),
        ));
        p.apply(&mut d, &sources);
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(d[1].severity, Severity::Info);
    }
}
