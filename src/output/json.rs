//! `--format json`: the stable machine-readable report (schema in the README).
//!
//! The report is serialized straight to the writer, one finding at a time: nothing the
//! size of the whole report is built in memory, however many findings there are.

use super::{Counts, escape, position};
use crate::Report;
use crate::diagnostic::{Diagnostic, Location};
use crate::source::Sources;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use std::borrow::Cow;
use std::io::{self, Write};

#[derive(Serialize)]
struct Summary {
    files: usize,
    records: usize,
    error: usize,
    warning: usize,
    info: usize,
}

#[derive(Serialize)]
struct Related<'a> {
    file: Cow<'a, str>,
    line: usize,
    column: usize,
    message: Cow<'a, str>,
}

#[derive(Serialize)]
struct EditOut<'a> {
    file: Cow<'a, str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    /// What the edit writes: data, not text to show, so it is not escaped (JSON
    /// escapes its control characters).
    content: &'a str,
}

#[derive(Serialize)]
struct FixOut<'a> {
    applicability: &'static str,
    title: Cow<'a, str>,
    edits: Vec<EditOut<'a>>,
}

#[derive(Serialize)]
struct DiagnosticOut<'a> {
    code: &'static str,
    severity: &'static str,
    message: Cow<'a, str>,
    file: Cow<'a, str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    owner: Option<Cow<'a, str>>,
    help: Option<Cow<'a, str>>,
    related: Vec<Related<'a>>,
    fix: Option<FixOut<'a>>,
}

fn diagnostic<'a>(sources: &'a Sources, d: &'a Diagnostic) -> DiagnosticOut<'a> {
    let p = position(sources, d.location);
    let file = |id: u32| escape::text(sources.display(id));
    DiagnosticOut {
        code: d.code,
        severity: d.severity.as_str(),
        message: escape::text(&d.message),
        file: file(d.location.source),
        line: p.line,
        column: p.column,
        end_line: p.end_line,
        end_column: p.end_column,
        owner: d.owner().map(escape::text),
        help: d.help().map(escape::text),
        related: d
            .related()
            .iter()
            .map(|r| {
                let rp = position(sources, r.location);
                Related {
                    file: file(r.location.source),
                    line: rp.line,
                    column: rp.column,
                    message: escape::text(&r.message),
                }
            })
            .collect(),
        fix: d.fix().map(|f| FixOut {
            applicability: f.applicability.as_str(),
            title: escape::text(&f.title),
            edits: f
                .edits
                .iter()
                .map(|e| {
                    let p = position(
                        sources,
                        Location {
                            source: e.source,
                            span: e.span,
                        },
                    );
                    EditOut {
                        file: file(e.source),
                        line: p.line,
                        column: p.column,
                        end_line: p.end_line,
                        end_column: p.end_column,
                        content: &e.content,
                    }
                })
                .collect(),
        }),
    }
}

/// The findings as a JSON array, produced one at a time.
struct Diagnostics<'a>(&'a Report);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let sources = &self.0.set.sources;
        s.collect_seq(self.0.diagnostics.iter().map(|d| diagnostic(sources, d)))
    }
}

struct Document<'a>(&'a Report);

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        let counts = Counts::of(&report.diagnostics);
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("version", &1)?;
        map.serialize_entry(
            "summary",
            &Summary {
                files: report.set.sources.len(),
                records: report.set.record_count(),
                error: counts.error,
                warning: counts.warning,
                info: counts.info,
            },
        )?;
        map.serialize_entry("diagnostics", &Diagnostics(report))?;
        map.end()
    }
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut buffered = io::BufWriter::new(&mut *out);
    serde_json::to_writer_pretty(&mut buffered, &Document(report))?;
    writeln!(buffered)?;
    buffered.flush()
}
