//! `--format human`: miette's graphical reports, with labels in every file involved.

use super::Counts;
use crate::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Source;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::io::{self, Write};

/// A source window for miette that finds lines through the source's line index instead
/// of scanning the file from the start for every diagnostic.
struct Window<'a> {
    source: &'a Source,
    text: &'a [u8],
}

impl SourceCode for Window<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let text = self.text;
        let starts = self.source.line_starts();
        let offset = span.offset().min(text.len());
        let end = (offset + span.len()).min(text.len());
        let first = self.source.line_index(offset).saturating_sub(before);
        let last = (self
            .source
            .line_index(end.saturating_sub(usize::from(!span.is_empty())))
            + after)
            .min(starts.len() - 1);
        let start_byte = starts[first] as usize;
        let end_byte = starts
            .get(last + 1)
            .map_or(text.len(), |&s| s as usize)
            .max(start_byte);
        let data = &text[start_byte..end_byte];
        Ok(Box::new(MietteSpanContents::new_named(
            self.source.display.clone(),
            data,
            SourceSpan::new(start_byte.into(), end_byte - start_byte),
            first,
            0,
            last - first + 1,
        )))
    }
}

/// One diagnostic as miette sees it; related locations in other files become related
/// reports with their own source window.
struct Rendered<'a> {
    message: String,
    code: &'static str,
    severity: Severity,
    help: Option<String>,
    /// `None` when the file changed since it was read: the report has no snippet then.
    source: Option<Window<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered<'a>>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (!self.code.is_empty()).then(|| Box::new(self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|w| w as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

fn span_of(d: crate::diagnostic::Location) -> SourceSpan {
    SourceSpan::new((d.span.start as usize).into(), d.span.len())
}

fn window(source: &Source) -> Option<Window<'_>> {
    source.text().map(|text| Window { source, text })
}

fn build<'a>(report: &'a Report, d: &Diagnostic) -> Rendered<'a> {
    let sources = &report.set.sources;
    let label = (!d.label.is_empty()).then(|| d.label.clone());
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        label,
        span_of(d.location),
    )];
    let mut related = Vec::new();
    for r in &d.related {
        if r.location.source == d.location.source {
            labels.push(LabeledSpan::new_with_span(
                Some(r.message.clone()),
                span_of(r.location),
            ));
        } else {
            related.push(Rendered {
                message: r.message.clone(),
                code: "",
                severity: Severity::Info,
                help: None,
                source: window(sources.get(r.location.source)),
                labels: vec![LabeledSpan::new_primary_with_span(
                    None,
                    span_of(r.location),
                )],
                related: Vec::new(),
            });
        }
    }
    let source = sources.get(d.location.source);
    let mut help = match &d.help {
        Some(h) => format!("{h}\n(`zonelint explain {}` tells more)", d.code),
        None => format!("`zonelint explain {}` tells more", d.code),
    };
    let window = window(source);
    if window.is_none() {
        let (line, column) = source.line_col(d.location.span.start as usize);
        help.push_str(&format!(
            "\nat {}:{line}:{column} (the file changed since it was read, so no snippet is shown)",
            source.display
        ));
    }
    Rendered {
        message: d.message.clone(),
        code: d.code,
        severity: d.severity,
        help: Some(help),
        source: window,
        labels,
        related,
    }
}

pub fn write(report: &Report, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100);
    for d in &report.diagnostics {
        let mut s = String::new();
        handler
            .render_report(&mut s, &build(report, d))
            .map_err(io::Error::other)?;
        write!(out, "{s}")?;
        if let Some(fix) = &d.fix {
            write_fix(report, fix, out)?;
        }
        writeln!(out)?;
    }
    let c = Counts::of(&report.diagnostics);
    let files = report.set.sources.len();
    let records = report.set.record_count();
    if report.diagnostics.is_empty() {
        writeln!(out, "no findings in {files} file(s), {records} record(s)")?;
    } else {
        writeln!(
            out,
            "found {} error(s), {} warning(s), {} info in {files} file(s), {records} record(s)",
            c.error, c.warning, c.info
        )?;
    }
    Ok(())
}

/// The fix under its finding: how it applies, its title, and the lines it changes.
fn write_fix(report: &Report, fix: &crate::fix::Fix, out: &mut dyn Write) -> io::Result<()> {
    use crate::fix::Applicability;
    let how = match fix.applicability {
        Applicability::Safe => "safe fix, `zonelint fix` applies it",
        Applicability::Unsafe => "unsafe fix, `zonelint fix --unsafe-fixes` applies it",
        Applicability::DisplayOnly => "display-only fix, not applied",
    };
    writeln!(out, "  fix ({how}): {}", fix.title)?;
    for p in crate::fix::preview(&report.set.sources, fix) {
        writeln!(out, "    {}:{}", p.display, p.line)?;
        for line in &p.removed {
            writeln!(out, "    - {line}")?;
        }
        for line in &p.added {
            writeln!(out, "    + {line}")?;
        }
    }
    Ok(())
}

/// An inventory that cannot be used, as a miette report labelled at the offending value.
pub fn inventory_error(e: &crate::inventory::InventoryError, color: bool) -> String {
    input_error("inventory", &e.path, &e.text, &e.message, e.span, color)
}

/// A configuration file that cannot be used, labelled at the offending key or value.
pub fn config_error(e: &crate::config::ConfigError, color: bool) -> String {
    input_error("configuration", &e.path, &e.text, &e.message, e.span, color)
}

fn input_error(
    what: &str,
    path: &std::path::Path,
    text: &str,
    message: &str,
    span: Option<crate::span::Span>,
    color: bool,
) -> String {
    let source = Source::in_memory(
        path.to_string_lossy().into_owned(),
        path.to_path_buf(),
        text.as_bytes().into(),
    );
    let labels = span
        .filter(|s| !text.is_empty() && (s.end as usize) <= text.len())
        .map(|s| {
            vec![LabeledSpan::new_primary_with_span(
                Some("here".into()),
                SourceSpan::new((s.start as usize).into(), s.len()),
            )]
        })
        .unwrap_or_default();
    let rendered = Rendered {
        message: format!("invalid {what}: {message}"),
        code: "",
        severity: Severity::Error,
        help: Some(format!("nothing was checked: fix the {what} and run again")),
        source: if labels.is_empty() {
            None
        } else {
            window(&source)
        },
        labels,
        related: Vec::new(),
    };
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100);
    if handler.render_report(&mut out, &rendered).is_err() {
        out = format!("error: {}: {message}\n", path.display());
    }
    out
}
