//! `--format human`: miette's graphical reports, with labels in every file involved.

use super::Counts;
use super::escape;
use crate::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Source;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, SourceCode, SourceSpan,
    SpanContents,
};
use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

/// A file as snippets show it ([`escape::SourceView`]) and its line starts there.
struct View<'a> {
    display: String,
    text: escape::SourceView<'a>,
    /// Line starts in the shown text.
    starts: Cow<'a, [u32]>,
}

impl<'a> View<'a> {
    fn new(source: &'a Source, file: &'a [u8]) -> View<'a> {
        let text = escape::SourceView::new(file, source.line_starts());
        let starts = if text.is_identity() {
            Cow::Borrowed(source.line_starts())
        } else {
            Cow::Owned(
                source
                    .line_starts()
                    .iter()
                    .map(|&s| text.shown_offset(s as usize) as u32)
                    .collect(),
            )
        };
        View {
            display: escape::text(&source.display).into_owned(),
            text,
            starts,
        }
    }

    fn line_index(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1)
    }

    /// A location's span in the shown text.
    fn span(&self, location: crate::diagnostic::Location) -> SourceSpan {
        let start = self.text.shown_offset(location.span.start as usize);
        let end = self
            .text
            .shown_offset(location.span.end as usize)
            .max(start);
        SourceSpan::new(start.into(), end - start)
    }
}

/// The views of a report's files, made when a snippet first needs one (a file with no
/// finding is never read again).
struct Views<'a> {
    sources: &'a crate::source::Sources,
    made: Vec<std::sync::OnceLock<Option<View<'a>>>>,
}

impl<'a> Views<'a> {
    fn new(sources: &'a crate::source::Sources) -> Views<'a> {
        Views {
            sources,
            made: (0..sources.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        }
    }

    /// `None` when the file changed since it was read.
    fn get(&self, id: u32) -> Option<&View<'a>> {
        self.made[id as usize]
            .get_or_init(|| {
                let source = self.sources.get(id);
                source.text().map(|t| View::new(source, t))
            })
            .as_ref()
    }
}

/// A source window for miette that finds lines through the view's line index instead
/// of scanning the file from the start for every diagnostic.
struct Window<'a> {
    view: &'a View<'a>,
}

/// The lines miette asked for, owned or borrowed from the view.
struct Contents<'a> {
    data: &'a [u8],
    span: SourceSpan,
    line: usize,
    line_count: usize,
    name: &'a str,
}

impl<'a> SpanContents<'a> for Contents<'a> {
    fn data(&self) -> &'a [u8] {
        self.data
    }
    fn span(&self) -> &SourceSpan {
        &self.span
    }
    fn line(&self) -> usize {
        self.line
    }
    fn column(&self) -> usize {
        0
    }
    fn line_count(&self) -> usize {
        self.line_count
    }
    fn name(&self) -> Option<&str> {
        Some(self.name)
    }
}

impl SourceCode for Window<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let view = self.view;
        let text = view.text.text();
        let starts = &view.starts;
        let offset = span.offset().min(text.len());
        let end = (offset + span.len()).min(text.len());
        let first = view.line_index(offset).saturating_sub(before);
        let last = (view.line_index(end.saturating_sub(usize::from(!span.is_empty()))) + after)
            .min(starts.len() - 1);
        let start_byte = starts[first] as usize;
        let end_byte = starts
            .get(last + 1)
            .map_or(text.len(), |&s| s as usize)
            .max(start_byte);
        Ok(Box::new(Contents {
            data: &text[start_byte..end_byte],
            span: SourceSpan::new(start_byte.into(), end_byte - start_byte),
            line: first,
            line_count: last - first + 1,
            name: &view.display,
        }))
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

fn build<'a>(views: &'a Views<'a>, d: &Diagnostic) -> Rendered<'a> {
    let sources = views.sources;
    let label = (!d.label.is_empty()).then(|| escape::text(&d.label).into_owned());
    let view = views.get(d.location.source);
    let mut labels = Vec::new();
    let mut related = Vec::new();
    if let Some(view) = view {
        labels.push(LabeledSpan::new_primary_with_span(
            label,
            view.span(d.location),
        ));
    }
    for r in &d.related {
        let message = escape::text(&r.message).into_owned();
        if r.location.source == d.location.source {
            if let Some(view) = view {
                labels.push(LabeledSpan::new_with_span(
                    Some(message),
                    view.span(r.location),
                ));
            }
        } else {
            let other = views.get(r.location.source);
            related.push(Rendered {
                message,
                code: "",
                severity: Severity::Info,
                help: None,
                labels: other
                    .map(|v| vec![LabeledSpan::new_primary_with_span(None, v.span(r.location))])
                    .unwrap_or_default(),
                source: other.map(|view| Window { view }),
                related: Vec::new(),
            });
        }
    }
    let source = sources.get(d.location.source);
    let mut help = match &d.help {
        Some(h) => format!(
            "{}\n(`zonelint explain {}` tells more)",
            escape::text(h),
            d.code
        ),
        None => format!("`zonelint explain {}` tells more", d.code),
    };
    if view.is_none() {
        let (line, column) = source.line_col(d.location.span.start as usize);
        help.push_str(&format!(
            "\nat {}:{line}:{column} (the file changed since it was read, so no snippet is shown)",
            escape::text(&source.display)
        ));
    }
    Rendered {
        message: escape::text(&d.message).into_owned(),
        code: d.code,
        severity: d.severity,
        help: Some(help),
        source: view.map(|view| Window { view }),
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
    let views = Views::new(&report.set.sources);
    for d in &report.diagnostics {
        let mut s = String::new();
        handler
            .render_report(&mut s, &build(&views, d))
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
    writeln!(out, "  fix ({how}): {}", escape::text(&fix.title))?;
    for p in crate::fix::preview(&report.set.sources, fix) {
        writeln!(out, "    {}:{}", escape::text(&p.display), p.line)?;
        for line in &p.removed {
            writeln!(out, "    - {}", escape::text(line))?;
        }
        for line in &p.added {
            writeln!(out, "    + {}", escape::text(line))?;
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
    let view = View::new(&source, text.as_bytes());
    let span = span.filter(|s| !text.is_empty() && (s.end as usize) <= text.len());
    let labels = span
        .map(|s| {
            vec![LabeledSpan::new_primary_with_span(
                Some("here".into()),
                view.span(crate::diagnostic::Location { source: 0, span: s }),
            )]
        })
        .unwrap_or_default();
    let rendered = Rendered {
        message: format!("invalid {what}: {}", escape::text(message)),
        code: "",
        severity: Severity::Error,
        help: Some(format!("nothing was checked: fix the {what} and run again")),
        source: span.map(|_| Window { view: &view }),
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
        out = format!(
            "error: {}: {}\n",
            escape::text(&path.to_string_lossy()),
            escape::text(message)
        );
    }
    out
}
