//! Emitters: one per `--format` value. They render diagnostics; they decide nothing.

pub mod concise;
pub mod escape;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::diagnostic::{Diagnostic, Location};
use crate::source::Sources;

/// 1-based start and end line/column of a location.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

pub fn position(sources: &Sources, location: Location) -> Position {
    let source = sources.get(location.source);
    let (line, column) = source.line_col(location.span.start as usize);
    let (end_line, end_column) = source.line_col(location.span.end as usize);
    Position {
        line,
        column,
        end_line,
        end_column,
    }
}

/// Counts per severity, for summaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl Counts {
    pub fn of(diagnostics: &[Diagnostic]) -> Counts {
        let mut c = Counts::default();
        for d in diagnostics {
            match d.severity {
                crate::diagnostic::Severity::Error => c.error += 1,
                crate::diagnostic::Severity::Warning => c.warning += 1,
                crate::diagnostic::Severity::Info => c.info += 1,
            }
        }
        c
    }
}
