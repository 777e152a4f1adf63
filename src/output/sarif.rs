//! `--format sarif`: SARIF 2.1.0 for code-scanning services. One run; the driver lists
//! every rule with its explanation, and each result points at its file, line and column
//! relative to the working directory (`%SRCROOT%`). Results are serialized straight to
//! the writer, one at a time.

use super::{escape, position};
use crate::Report;
use crate::diagnostic::{Location, Severity};
use crate::rules::RULES;
use serde::{Serialize, Serializer};
use std::io::{self, Write};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encodes what a URI reference cannot hold literally; `/` stays a separator.
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A file URI for the working directory, ending in `/` as `originalUriBaseIds` wants.
fn base_uri() -> Option<String> {
    let cwd = std::env::current_dir().ok()?;
    let mut path = uri_path(&cwd.to_string_lossy());
    if !path.ends_with('/') {
        path.push('/');
    }
    Some(format!("file://{path}"))
}

/// A byte column (1-based) of `line` as a column in code points, as `columnKind`
/// `unicodeCodePoints` says; the same number on ASCII lines.
fn code_point_column(source: &crate::source::Source, line: usize, byte_column: usize) -> usize {
    let Some((_, text)) = source.read_lines(line - 1, line - 1) else {
        return byte_column;
    };
    let before = &text[..(byte_column - 1).min(text.len())];
    if before.is_ascii() {
        byte_column
    } else {
        String::from_utf8_lossy(before).chars().count() + 1
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

fn physical_location(report: &Report, location: Location) -> PhysicalLocation {
    let sources = &report.set.sources;
    let mut p = position(sources, location);
    let source = sources.get(location.source);
    p.column = code_point_column(source, p.line, p.column);
    p.end_column = code_point_column(source, p.end_line, p.end_column);
    let path = crate::fix::normalise_path(sources.display(location.source));
    let artifact_location = if path.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", uri_path(&path)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: uri_path(&path),
            uri_base_id: Some("%SRCROOT%"),
        }
    };
    PhysicalLocation {
        artifact_location,
        region: Region {
            start_line: p.line,
            start_column: p.column,
            end_line: p.end_line,
            end_column: p.end_column,
        },
    }
}

/// Messages end with a period, as SARIF's authoring guidance asks.
fn sentence(text: &str) -> String {
    let text = escape::text(text.trim_end());
    if text.ends_with(['.', '!', '?']) {
        text.into_owned()
    } else {
        format!("{text}.")
    }
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct DefaultConfiguration {
    level: &'static str,
    enabled: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleOut {
    id: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: DefaultConfiguration,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedOut {
    id: usize,
    physical_location: PhysicalLocation,
    message: Message,
}

#[derive(Serialize)]
struct LocationOut {
    #[serde(rename = "physicalLocation")]
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultOut {
    rule_id: &'static str,
    level: &'static str,
    message: Message,
    locations: [LocationOut; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedOut>,
}

fn result(report: &Report, d: &crate::diagnostic::Diagnostic) -> ResultOut {
    let mut message = sentence(&d.message);
    if let Some(help) = d.help() {
        message.push(' ');
        message.push_str(&sentence(&format!("Help: {help}")));
    }
    ResultOut {
        rule_id: d.code,
        level: level(d.severity),
        message: Message { text: message },
        locations: [LocationOut {
            physical_location: physical_location(report, d.location),
        }],
        rule_index: RULES.iter().position(|r| r.code == d.code),
        related_locations: d
            .related()
            .iter()
            .enumerate()
            .map(|(i, r)| RelatedOut {
                id: i + 1,
                physical_location: physical_location(report, r.location),
                message: Message {
                    text: sentence(&r.message),
                },
            })
            .collect(),
    }
}

/// The results, produced one at a time.
struct Results<'a>(&'a Report);

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.diagnostics.iter().map(|d| result(self.0, d)))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<RuleOut>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
struct BaseUri {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    column_kind: &'static str,
    results: Results<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<std::collections::BTreeMap<&'static str, BaseUri>>,
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

fn log(report: &Report) -> Log<'_> {
    let rules = RULES
        .iter()
        .map(|r| {
            let explanation = r.explanation();
            RuleOut {
                id: r.code,
                short_description: Text {
                    text: sentence(r.summary),
                },
                full_description: Text {
                    text: sentence(r.summary),
                },
                help: Help {
                    text: explanation.clone(),
                    markdown: explanation,
                },
                default_configuration: DefaultConfiguration {
                    level: level(r.severity),
                    enabled: !r.preview,
                },
            }
        })
        .collect();
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "zonelint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results: Results(report),
            original_uri_base_ids: base_uri()
                .map(|uri| std::iter::once(("%SRCROOT%", BaseUri { uri })).collect()),
        }],
    }
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut buffered = io::BufWriter::new(&mut *out);
    serde_json::to_writer_pretty(&mut buffered, &log(report))?;
    writeln!(buffered)?;
    buffered.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri_path("zones/a b#1.zone"), "zones/a%20b%231.zone");
        assert_eq!(uri_path("zones/64-26.x.zone"), "zones/64-26.x.zone");
        assert_eq!(sentence("no PTR"), "no PTR.");
        assert_eq!(sentence("done."), "done.");
    }
}
