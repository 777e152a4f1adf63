//! `--format json`: the stable machine-readable report (schema in the README).

use super::{Counts, position};
use crate::Report;
use serde_json::{Value, json};
use std::io::{self, Write};

pub fn to_value(report: &Report) -> Value {
    let sources = &report.set.sources;
    let counts = Counts::of(&report.diagnostics);
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let p = position(sources, d.location);
            let related: Vec<Value> = d
                .related
                .iter()
                .map(|r| {
                    let rp = position(sources, r.location);
                    json!({
                        "file": sources.display(r.location.source),
                        "line": rp.line,
                        "column": rp.column,
                        "message": r.message,
                    })
                })
                .collect();
            json!({
                "code": d.code,
                "severity": d.severity.as_str(),
                "message": d.message,
                "file": sources.display(d.location.source),
                "line": p.line,
                "column": p.column,
                "end_line": p.end_line,
                "end_column": p.end_column,
                "owner": d.owner,
                "help": d.help,
                "related": related,
                "fix": d.fix.as_ref().map_or(Value::Null, |f| {
                    let edits: Vec<Value> = f
                        .edits
                        .iter()
                        .map(|e| {
                            let p = position(sources, crate::diagnostic::Location { source: e.source, span: e.span });
                            json!({
                                "file": sources.display(e.source),
                                "line": p.line,
                                "column": p.column,
                                "end_line": p.end_line,
                                "end_column": p.end_column,
                                "content": e.content,
                            })
                        })
                        .collect();
                    json!({"applicability": f.applicability.as_str(), "title": f.title, "edits": edits})
                }),
            })
        })
        .collect();
    json!({
        "version": 1,
        "summary": {
            "files": sources.len(),
            "records": report.set.record_count(),
            "error": counts.error,
            "warning": counts.warning,
            "info": counts.info,
        },
        "diagnostics": diagnostics,
    })
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_value(report))?;
    writeln!(out)
}
