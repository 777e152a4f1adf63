//! `--format concise`: `file:line:col: severity[CODE] message`, one line each.

use super::escape;
use crate::Report;
use std::io::{self, Write};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for d in &report.diagnostics {
        // Only where the finding starts: looking up where it ends costs as much again.
        let (line, column) = report
            .set
            .sources
            .get(d.location.source)
            .line_col(d.location.span.start as usize);
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            escape::text(report.set.sources.display(d.location.source)),
            line,
            column,
            d.severity,
            d.code,
            escape::text(&d.message)
        )?;
    }
    Ok(())
}
