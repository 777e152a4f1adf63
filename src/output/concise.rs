//! `--format concise`: `file:line:col: severity[CODE] message`, one line each.

use super::{escape, position};
use crate::Report;
use std::io::{self, Write};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for d in &report.diagnostics {
        let p = position(&report.set.sources, d.location);
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            escape::text(report.set.sources.display(d.location.source)),
            p.line,
            p.column,
            d.severity,
            d.code,
            escape::text(&d.message)
        )?;
    }
    Ok(())
}
