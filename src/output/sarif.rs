//! `--format sarif`: SARIF 2.1.0 for code-scanning services. One run; the driver lists
//! every rule with its explanation, and each result points at its file, line and column
//! relative to the working directory (`%SRCROOT%`).

use super::position;
use crate::Report;
use crate::diagnostic::{Location, Severity};
use crate::rules::RULES;
use serde_json::{Value, json};
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
    let Some(text) = source.text() else {
        return byte_column;
    };
    let start = source
        .line_starts()
        .get(line - 1)
        .map_or(0, |&s| s as usize);
    let end = (start + byte_column - 1).min(text.len());
    let before = &text[start.min(end)..end];
    if before.is_ascii() {
        byte_column
    } else {
        String::from_utf8_lossy(before).chars().count() + 1
    }
}

fn physical_location(report: &Report, location: Location) -> Value {
    let sources = &report.set.sources;
    let mut p = position(sources, location);
    let source = sources.get(location.source);
    p.column = code_point_column(source, p.line, p.column);
    p.end_column = code_point_column(source, p.end_line, p.end_column);
    let path = crate::fix::normalise_path(sources.display(location.source));
    let artifact = if path.starts_with('/') {
        json!({ "uri": format!("file://{}", uri_path(&path)) })
    } else {
        json!({ "uri": uri_path(&path), "uriBaseId": "%SRCROOT%" })
    };
    json!({
        "artifactLocation": artifact,
        "region": {
            "startLine": p.line,
            "startColumn": p.column,
            "endLine": p.end_line,
            "endColumn": p.end_column,
        },
    })
}

/// Messages end with a period, as SARIF's authoring guidance asks.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

pub fn to_value(report: &Report) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let explanation = r.explanation();
            json!({
                "id": r.code,
                "shortDescription": { "text": sentence(r.summary) },
                "fullDescription": { "text": sentence(r.summary) },
                "help": { "text": explanation, "markdown": explanation },
                "defaultConfiguration": {
                    "level": level(r.severity),
                    "enabled": !r.preview,
                },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut message = sentence(&d.message);
            if let Some(help) = &d.help {
                message.push(' ');
                message.push_str(&sentence(&format!("Help: {help}")));
            }
            let related: Vec<Value> = d
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    json!({
                        "id": i + 1,
                        "physicalLocation": physical_location(report, r.location),
                        "message": { "text": sentence(&r.message) },
                    })
                })
                .collect();
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": { "text": message },
                "locations": [{ "physicalLocation": physical_location(report, d.location) }],
            });
            if let Some(index) = RULES.iter().position(|r| r.code == d.code) {
                result["ruleIndex"] = json!(index);
            }
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            result
        })
        .collect();
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "zonelint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(base) = base_uri() {
        run["originalUriBaseIds"] = json!({ "%SRCROOT%": { "uri": base } });
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    })
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_value(report))?;
    writeln!(out)
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
