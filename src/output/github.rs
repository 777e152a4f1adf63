//! `--format github`: one GitHub Actions workflow command per finding, so the findings
//! show up as annotations on the changed lines of a pull request.

use super::{escape, position};
use crate::Report;
use crate::diagnostic::Severity;
use std::io::{self, Write};

/// Escapes the message part of a workflow command (after the `::`): control characters
/// as everywhere ([`escape::text`]), then GitHub's own encoding.
fn escape_data(s: &str) -> String {
    escape::text(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`), where `:` and `,` separate fields.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let sources = &report.set.sources;
    for d in &report.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let p = position(sources, d.location);
        let file = crate::fix::normalise_path(sources.display(d.location.source));
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&file),
            p.line,
            p.column,
            p.end_line,
            p.end_column,
            escape_property(d.code),
            escape_data(&d.message)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_workflow_command_rules() {
        assert_eq!(escape_data("50% a:b,c"), "50%25 a:b,c");
        // A line break from input is shown, never sent: no new workflow command starts.
        assert_eq!(escape_data("a\r\n::error::x"), "a\\r\\n::error::x");
        assert_eq!(escape_data("\u{1b}]0;t\u{7}"), "\\027]0;t\\007");
        assert_eq!(
            escape_property("zones/a:b,c%.zone"),
            "zones/a%3Ab%2Cc%25.zone"
        );
    }
}
