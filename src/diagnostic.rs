//! Diagnostics are plain data: rules create them, emitters render them. Nothing here
//! prints or decides how a finding looks.

use crate::span::Span;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in one loaded source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// Index into [`crate::source::Sources`].
    pub source: u32,
    pub span: Span,
}

/// A second place that explains the first (the other record of a conflict).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    /// Label text under the primary span; empty means "use nothing". Most labels are
    /// fixed words, kept without an allocation of their own.
    pub label: std::borrow::Cow<'static, str>,
    /// The owner name the finding is about, absolute and lowercase.
    pub owner: Option<String>,
    pub help: Option<String>,
    pub related: Vec<Related>,
    /// Boxed: few findings have a fix, and every finding would carry its room.
    pub fix: Option<Box<crate::fix::Fix>>,
}

impl Diagnostic {
    pub fn new(code: &'static str, location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: crate::rules::default_severity(code),
            message: message.into(),
            location,
            label: std::borrow::Cow::Borrowed(""),
            owner: None,
            help: None,
            related: Vec::new(),
            fix: None,
        }
    }

    pub fn with_fix(mut self, fix: Option<crate::fix::Fix>) -> Self {
        self.fix = fix.map(Box::new);
        self
    }

    pub fn with_label(mut self, label: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_owner(mut self, owner: impl Into<String>) -> Self {
        self.owner = Some(owner.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }
}
