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
use rayon::prelude::*;
use std::fmt;
use std::io::{self, Write};

/// Some whole lines of a file as a snippet shows them ([`escape::SourceView`]): only
/// these lines are read again, however large the file.
struct View {
    display: String,
    /// The file offset and line index of the first line.
    start: usize,
    first_line: usize,
    text: escape::SourceView<'static>,
    /// Line starts in the shown text.
    starts: Vec<u32>,
}

/// Context lines a snippet shows around its labels (miette shows one).
const CONTEXT: usize = 2;

/// Labels of one file further apart than this many lines get snippets of their own.
const CLUSTER_GAP: usize = 12;

impl View {
    /// The lines `first..=last` of `source` (with context), or `None` when the file
    /// changed since it was read.
    fn read(source: &Source, first: usize, last: usize) -> Option<View> {
        let first = first.saturating_sub(CONTEXT);
        let (start, bytes) = source.read_lines(first, last + CONTEXT)?;
        let local: Vec<u32> = source
            .line_starts()
            .iter_from(first)
            .take_while(|&s| (s as usize) < start + bytes.len())
            .map(|s| s - start as u32)
            .collect();
        let text = escape::SourceView::new(&bytes, &local).into_owned();
        let starts = local
            .iter()
            .map(|&s| text.shown_offset(s as usize) as u32)
            .collect();
        Some(View {
            display: escape::text(&source.display).into_owned(),
            start,
            first_line: first,
            text,
            starts,
        })
    }

    fn line_index(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1)
    }

    /// A file span in the shown text.
    fn span(&self, span: crate::span::Span) -> SourceSpan {
        let local = |at: u32| (at as usize).saturating_sub(self.start);
        let start = self.text.shown_offset(local(span.start));
        let end = self.text.shown_offset(local(span.end)).max(start);
        SourceSpan::new(start.into(), end - start)
    }
}

/// A source window for miette over a [`View`].
struct Window {
    view: View,
}

/// The lines miette asked for.
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

impl SourceCode for Window {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let view = &self.view;
        let text = view.text.text();
        let starts = &view.starts;
        let offset = span.offset().min(text.len());
        let end = (offset + span.len()).min(text.len());
        let first = view.line_index(offset).saturating_sub(before);
        let last = (view.line_index(end.saturating_sub(usize::from(!span.is_empty()))) + after)
            .min(starts.len().saturating_sub(1));
        let start_byte = starts.get(first).map_or(0, |&s| s as usize);
        let end_byte = starts
            .get(last + 1)
            .map_or(text.len(), |&s| s as usize)
            .max(start_byte);
        Ok(Box::new(Contents {
            data: &text[start_byte..end_byte],
            span: SourceSpan::new(start_byte.into(), end_byte - start_byte),
            line: view.first_line + first,
            line_count: last - first + 1,
            name: &view.display,
        }))
    }
}

/// One diagnostic as miette sees it; related locations in other files become related
/// reports with their own source window.
struct Rendered {
    message: String,
    code: &'static str,
    severity: Severity,
    help: Option<String>,
    /// `None` when the file changed since it was read: the report has no snippet then.
    source: Option<Window>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered>,
}

impl fmt::Debug for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
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

/// One label: where, and its text.
type Label = (crate::span::Span, Option<String>);

/// Labels of one file, the primary first.
type Labels = Vec<Label>;

/// Splits a file's labels into groups whose lines lie close together.
fn clusters(source: &Source, labels: Labels) -> Vec<Labels> {
    let line = |s: &crate::span::Span| source.line_index(s.start as usize);
    let mut sorted: Vec<(usize, Label)> = labels.into_iter().enumerate().collect();
    sorted.sort_by_key(|(k, (s, _))| (line(s), *k));
    let mut groups: Vec<Vec<(usize, Label)>> = Vec::new();
    for item in sorted {
        match groups.last_mut() {
            Some(g) if line(&item.1.0) <= line(&g[g.len() - 1].1.0) + CLUSTER_GAP => g.push(item),
            _ => groups.push(vec![item]),
        }
    }
    // The group holding the primary (index 0) first; the primary first within it.
    groups.sort_by_key(|g| g.iter().map(|(k, _)| *k).min());
    groups
        .into_iter()
        .map(|mut g| {
            g.sort_by_key(|(k, _)| *k);
            g.into_iter().map(|(_, l)| l).collect()
        })
        .collect()
}

/// A snippet of `source` with `labels`, the first as the primary one.
fn snippet(source: &Source, labels: &Labels) -> Option<(Window, Vec<LabeledSpan>)> {
    if source.garbled {
        return None;
    }
    let lines = labels.iter().flat_map(|(s, _)| {
        [
            source.line_index(s.start as usize),
            source.line_index(s.end as usize),
        ]
    });
    let first = lines.clone().min()?;
    let last = lines.max()?;
    let view = View::read(source, first, last)?;
    let spans = labels
        .iter()
        .enumerate()
        .map(|(k, (s, text))| {
            if k == 0 {
                LabeledSpan::new_primary_with_span(text.clone(), view.span(*s))
            } else {
                LabeledSpan::new_with_span(text.clone(), view.span(*s))
            }
        })
        .collect();
    Some((Window { view }, spans))
}

fn build(report: &Report, d: &Diagnostic) -> Rendered {
    let sources = &report.set.sources;
    let source = sources.get(d.location.source);
    let mut own: Labels = vec![(
        d.location.span,
        (!d.label().is_empty()).then(|| escape::text(d.label()).into_owned()),
    )];
    let mut related = Vec::new();
    let other_file = |location: crate::diagnostic::Location, message: String| {
        Rendered {
            message,
            code: "",
            severity: Severity::Info,
            help: None,
            labels: Vec::new(),
            source: None,
            related: Vec::new(),
        }
        .with_snippet(sources.get(location.source), &vec![(location.span, None)])
    };
    for r in d.related() {
        let message = escape::text(&r.message).into_owned();
        if r.location.source == d.location.source {
            own.push((r.location.span, Some(message)));
        } else {
            related.push(other_file(r.location, message));
        }
    }
    let mut groups = clusters(source, own).into_iter();
    let main = groups.next().unwrap_or_default();
    // Labels of the same file far from the finding get snippets of their own.
    for g in groups {
        let mut g = g;
        let message = g[0].1.take().unwrap_or_default();
        related.insert(
            0,
            other_file(
                crate::diagnostic::Location {
                    source: d.location.source,
                    span: g[0].0,
                },
                message,
            ),
        );
    }
    let mut help = match d.help() {
        Some(h) => format!(
            "{}\n(`zonelint explain {}` tells more)",
            escape::text(h),
            d.code
        ),
        None => format!("`zonelint explain {}` tells more", d.code),
    };
    let rendered = Rendered {
        message: escape::text(&d.message).into_owned(),
        code: d.code,
        severity: d.severity,
        help: None,
        source: None,
        labels: Vec::new(),
        related,
    }
    .with_snippet(source, &main);
    if rendered.source.is_none() {
        let (line, column) = source.line_col(d.location.span.start as usize);
        let why = if source.garbled {
            "nothing in the file reads as a zone, so none of its lines are shown"
        } else {
            "the file changed since it was read, so no snippet is shown"
        };
        help.push_str(&format!(
            "\nat {}:{line}:{column} ({why})",
            escape::text(&source.display)
        ));
    }
    Rendered {
        help: Some(help),
        ..rendered
    }
}

impl Rendered {
    /// The report with a snippet of `labels` in `source` (none if it changed).
    fn with_snippet(mut self, source: &Source, labels: &Labels) -> Rendered {
        if let Some((window, spans)) = snippet(source, labels) {
            self.source = Some(window);
            self.labels = spans;
        }
        self
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
    let render = |d: &Diagnostic| -> io::Result<Vec<u8>> {
        let mut s = String::new();
        handler
            .render_report(&mut s, &build(report, d))
            .map_err(io::Error::other)?;
        let mut text = s.into_bytes();
        if let Some(fix) = d.fix() {
            write_fix(report, fix, &mut text)?;
        }
        text.push(b'\n');
        Ok(text)
    };
    // Laying out a report (line breaking, wrapping, reading the lines it shows) costs
    // tens of microseconds, and a large set has tens of thousands: they are laid out on
    // all cores, a bounded stretch at a time, and written in order.
    const STRETCH: usize = 1024;
    for stretch in report.diagnostics.chunks(STRETCH) {
        let rendered: Vec<io::Result<Vec<u8>>> = stretch.par_iter().map(render).collect();
        for text in rendered {
            out.write_all(&text?)?;
        }
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
    let span = span.filter(|s| !text.is_empty() && (s.end as usize) <= text.len());
    let rendered = Rendered {
        message: format!("invalid {what}: {}", escape::text(message)),
        code: "",
        severity: Severity::Error,
        help: Some(format!("nothing was checked: fix the {what} and run again")),
        source: None,
        labels: Vec::new(),
        related: Vec::new(),
    };
    let rendered = match span {
        Some(s) => rendered.with_snippet(&source, &vec![(s, Some("here".into()))]),
        None => rendered,
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
