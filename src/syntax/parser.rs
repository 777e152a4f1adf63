//! Zone parser: directives, owner/TTL/class inheritance, typed RDATA, `$INCLUDE` and
//! `$GENERATE`. One bad entry yields one finding and parsing goes on with the next.

use super::dollar_generate;
use super::entries::{Entry, EntryProblem, EntryReader, Tok};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::names::{LabelBuf, NameId, NameTable};
use crate::model::zone::{OriginSource, Record, RecordData, Zone};
use crate::rr::rdata::{self, Ctx, Field, Parsed, show};
use crate::rr::text::parse_ttl;
use crate::rr::{RClass, RType};
use crate::source::{Source, Sources};
use crate::span::Span;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Nesting limit for `$INCLUDE`.
pub const MAX_INCLUDE_DEPTH: usize = 16;

/// How `$INCLUDE` paths are resolved and confined.
#[derive(Clone, Debug, Default)]
pub struct IncludePolicy {
    /// Tried after the including file's directory (named-checkzone's `-w`).
    pub include_base: Option<PathBuf>,
    /// Canonical directories an included file must lie in.
    pub allowed_roots: Vec<PathBuf>,
    pub allow_outside: bool,
}

/// The result of parsing one zone file and everything it includes.
pub struct ParsedZone {
    pub zone: Zone,
    /// Sources local to this parse; record and diagnostic source ids index into it.
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    /// Canonical paths of every file `$INCLUDE`d.
    pub included: Vec<PathBuf>,
}

pub struct Parser<'p> {
    pub(crate) zone: Zone,
    pub(crate) sources: Sources,
    pub(crate) diagnostics: Vec<Diagnostic>,
    policy: &'p IncludePolicy,
    include_stack: Vec<PathBuf>,
    included: Vec<PathBuf>,
    pub(crate) origin: NameId,
    default_ttl: Option<u32>,
    last_ttl: Option<u32>,
    /// `None` after an owner failed to parse: a following blank owner has nothing to inherit.
    last_owner: Option<NameId>,
    last_class: Option<RClass>,
    zone_class: Option<RClass>,
    pub(crate) labels: LabelBuf,
    pub(crate) scratch: Vec<u8>,
}

/// What the record builder needs to know about the text it reads.
pub(crate) struct RecordInput<'a> {
    pub text: &'a [u8],
    pub toks: &'a [Tok],
    pub blank_owner: bool,
    /// Where findings point: the record itself, or the `$GENERATE` line.
    pub span: Span,
    pub source: u32,
    pub generated: bool,
}

impl<'p> Parser<'p> {
    /// Parses `text` as a zone with the given origin (absolute presentation text).
    pub fn parse(
        path: &Path,
        display: String,
        text: Arc<[u8]>,
        origin: &str,
        origin_source: OriginSource,
        policy: &'p IncludePolicy,
    ) -> ParsedZone {
        let mut names = NameTable::new();
        let origin_id = names
            .intern_text(origin, NameId::ROOT)
            .unwrap_or(NameId::ROOT);
        let mut sources = Sources::default();
        let source = sources.add(Source::new(display, path.to_path_buf(), text.clone()));
        let mut zone = Zone::new(origin_id, names, source);
        zone.origin_source = origin_source;
        let mut p = Parser {
            zone,
            sources,
            diagnostics: Vec::new(),
            policy,
            include_stack: path.canonicalize().into_iter().collect(),
            included: Vec::new(),
            origin: origin_id,
            default_ttl: None,
            last_ttl: None,
            last_owner: Some(origin_id),
            last_class: None,
            zone_class: None,
            labels: LabelBuf::default(),
            scratch: Vec::new(),
        };
        p.parse_source(source, &text);
        ParsedZone {
            zone: p.zone,
            sources: p.sources,
            diagnostics: p.diagnostics,
            included: p.included,
        }
    }

    pub(crate) fn report(&mut self, code: &'static str, source: u32, span: Span, message: String) {
        self.diagnostics
            .push(Diagnostic::new(code, Location { source, span }, message));
    }

    fn parse_source(&mut self, source: u32, text: &[u8]) {
        let mut reader = EntryReader::new(text);
        let mut toks: Vec<Tok> = Vec::new();
        while let Some(entry) = reader.next_entry(&mut toks) {
            reader.comments.clear();
            if let Some(problem) = entry.problem {
                self.entry_problem(source, problem);
                if !entry.blank_owner {
                    self.last_owner = None;
                }
                continue;
            }
            if toks.is_empty() {
                continue;
            }
            let first = toks[0].text(text);
            if !entry.blank_owner && first.first() == Some(&b'$') && !toks[0].quoted {
                self.directive(source, text, &entry, &toks);
            } else {
                self.record(RecordInput {
                    text,
                    toks: &toks,
                    blank_owner: entry.blank_owner,
                    span: entry.span,
                    source,
                    generated: false,
                });
            }
        }
    }

    fn entry_problem(&mut self, source: u32, problem: EntryProblem) {
        let (span, message) = match problem {
            EntryProblem::NestedParen(s) => (s, "parentheses cannot nest; this record is skipped"),
            EntryProblem::UnexpectedCloseParen(s) => {
                (s, "`)` without a matching `(`; this record is skipped")
            }
            EntryProblem::UnclosedParen(s) => (
                s,
                "`(` is never closed; everything from here to the end of the file is skipped",
            ),
            EntryProblem::UnterminatedQuote(s) => (
                s,
                "quoted string is never closed; everything from here to the end of the file is skipped",
            ),
        };
        self.report("SYN001", source, span, message.to_string());
    }

    fn directive(&mut self, source: u32, text: &[u8], entry: &Entry, toks: &[Tok]) {
        let name = toks[0].text(text);
        let arg_span = |i: usize| toks.get(i).map_or(entry.span, |t| t.span);
        if name.eq_ignore_ascii_case(b"$ORIGIN") {
            let Some(arg) = toks.get(1) else {
                return self.report(
                    "SYN006",
                    source,
                    entry.span,
                    "`$ORIGIN` needs a domain name".into(),
                );
            };
            if let Some(extra) = toks.get(2) {
                return self.report(
                    "SYN006",
                    source,
                    extra.span,
                    "`$ORIGIN` takes one domain name".into(),
                );
            }
            match self.name_at(arg.text(text), self.origin) {
                Ok(id) => self.origin = id,
                Err(e) => self.report("SYN006", source, arg.span, format!("`$ORIGIN` name {e}")),
            }
        } else if name.eq_ignore_ascii_case(b"$TTL") {
            let Some(arg) = toks.get(1) else {
                return self.report("SYN006", source, entry.span, "`$TTL` needs a value".into());
            };
            if let Some(extra) = toks.get(2) {
                return self.report(
                    "SYN006",
                    source,
                    extra.span,
                    "`$TTL` takes one value".into(),
                );
            }
            match parse_ttl(arg.text(text)) {
                Some(ttl) => self.default_ttl = Some(ttl),
                None => self.report(
                    "SYN003",
                    source,
                    arg.span,
                    format!("`$TTL` value `{}` is not a TTL (seconds up to 4294967295, or units like `1h30m`)", show(arg.text(text))),
                ),
            }
        } else if name.eq_ignore_ascii_case(b"$INCLUDE") {
            self.include(source, text, entry, toks);
        } else if name.eq_ignore_ascii_case(b"$GENERATE") {
            dollar_generate::expand(self, source, text, entry.span, toks);
        } else {
            self.report(
                "SYN006",
                source,
                arg_span(0),
                format!(
                    "unknown directive `{}` (known: $ORIGIN, $TTL, $INCLUDE, $GENERATE)",
                    show(name)
                ),
            );
        }
    }

    /// A domain name in presentation text, relative to `origin` unless absolute.
    pub(crate) fn name_at(
        &mut self,
        text: &[u8],
        origin: NameId,
    ) -> Result<NameId, crate::model::names::NameError> {
        if text == b"@" {
            return Ok(origin);
        }
        let absolute = self.labels.parse(text)?;
        self.labels.intern(
            &mut self.zone.names,
            if absolute { NameId::ROOT } else { origin },
        )
    }

    fn include(&mut self, source: u32, text: &[u8], entry: &Entry, toks: &[Tok]) {
        let Some(path_tok) = toks.get(1) else {
            return self.report(
                "SYN006",
                source,
                entry.span,
                "`$INCLUDE` needs a file name".into(),
            );
        };
        let raw = String::from_utf8_lossy(path_tok.text(text)).into_owned();
        let new_origin = match toks.get(2) {
            Some(t) => match self.name_at(t.text(text), self.origin) {
                Ok(id) => Some(id),
                Err(e) => {
                    return self.report("SYN006", source, t.span, format!("`$INCLUDE` origin {e}"));
                }
            },
            None => None,
        };
        let including_dir = self.sources.files[source as usize]
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let wanted = Path::new(&raw);
        let mut candidates = vec![including_dir.join(wanted)];
        if let Some(base) = &self.policy.include_base {
            candidates.push(base.join(wanted));
        }
        let Some(found) = candidates.iter().find(|c| c.exists()) else {
            return self.report(
                "SYN007",
                source,
                path_tok.span,
                format!(
                    "`$INCLUDE` file `{raw}` not found (looked in {}{})",
                    including_dir.display(),
                    if self.policy.include_base.is_some() {
                        " and --include-base"
                    } else {
                        "; pass --include-base DIR if it is relative to another directory"
                    }
                ),
            );
        };
        let canonical = match found.canonicalize() {
            Ok(c) => c,
            Err(e) => {
                return self.report(
                    "SYN007",
                    source,
                    path_tok.span,
                    format!("`$INCLUDE` file `{raw}` cannot be read: {e}"),
                );
            }
        };
        if !self.policy.allow_outside
            && !self
                .policy
                .allowed_roots
                .iter()
                .any(|r| canonical.starts_with(r))
        {
            return self.report(
                "SYN007",
                source,
                path_tok.span,
                format!("`$INCLUDE` file `{raw}` lies outside the directories being checked; pass --allow-include-outside to read it"),
            );
        }
        if canonical.is_dir() {
            return self.report(
                "SYN007",
                source,
                path_tok.span,
                format!("`$INCLUDE` names a directory, `{raw}`"),
            );
        }
        if self.include_stack.contains(&canonical) {
            return self.report(
                "SYN007",
                source,
                path_tok.span,
                format!("`$INCLUDE` of `{raw}` is a cycle: that file is already being read"),
            );
        }
        if self.include_stack.len() > MAX_INCLUDE_DEPTH {
            return self.report(
                "SYN007",
                source,
                path_tok.span,
                format!("`$INCLUDE` nesting is deeper than {MAX_INCLUDE_DEPTH} files; `{raw}` is not read"),
            );
        }
        let bytes: Arc<[u8]> = match std::fs::read(&canonical) {
            Ok(b) => b.into(),
            Err(e) => {
                return self.report(
                    "SYN007",
                    source,
                    path_tok.span,
                    format!("`$INCLUDE` file `{raw}` cannot be read: {e}"),
                );
            }
        };
        let display = found.to_string_lossy().into_owned();
        let child = self
            .sources
            .add(Source::new(display, found.clone(), bytes.clone()));
        self.zone.sources.push(child);
        self.included.push(canonical.clone());
        self.include_stack.push(canonical);
        let saved_origin = self.origin;
        if let Some(o) = new_origin {
            self.origin = o;
        }
        self.parse_source(child, &bytes);
        self.origin = saved_origin;
        self.include_stack.pop();
    }

    /// Builds one record from its tokens. Returns false when a finding was reported.
    pub(crate) fn record(&mut self, input: RecordInput) -> bool {
        let RecordInput {
            text,
            toks,
            blank_owner,
            span,
            source,
            generated,
        } = input;
        let mut i = 0;
        let owner = if blank_owner {
            match self.last_owner {
                Some(o) => o,
                None => {
                    self.report(
                        "SYN002",
                        source,
                        span,
                        "record has no owner: the previous record's owner was invalid".into(),
                    );
                    return false;
                }
            }
        } else {
            let t = toks[0];
            i = 1;
            if t.quoted {
                self.last_owner = None;
                self.report(
                    "SYN002",
                    source,
                    t.span,
                    "owner name cannot be a quoted string".into(),
                );
                return false;
            }
            match self.name_at(t.text(text), self.origin) {
                Ok(id) => id,
                Err(e) => {
                    self.last_owner = None;
                    let span = if generated { span } else { t.span };
                    self.report(
                        "SYN002",
                        source,
                        span,
                        format!("owner name `{}` {e}", show(t.text(text))),
                    );
                    return false;
                }
            }
        };
        self.last_owner = Some(owner);
        let mut ttl = None;
        let mut class = None;
        let mut rtype = None;
        let mut generic_type = false;
        while let Some(t) = toks.get(i) {
            let word = t.text(text);
            let at = if generated { span } else { t.span };
            if t.quoted {
                self.report(
                    "SYN004",
                    source,
                    at,
                    "expected a TTL, class or record type, found a quoted string".into(),
                );
                return false;
            }
            if word.first().is_some_and(u8::is_ascii_digit) && ttl.is_none() {
                match parse_ttl(word) {
                    Some(v) => ttl = Some(v),
                    None => {
                        self.report("SYN003", source, at, format!("TTL `{}` is not valid (seconds up to 4294967295, or units like `1h30m`)", show(word)));
                        return false;
                    }
                }
            } else if let (None, Some(c)) = (class, RClass::from_mnemonic(word)) {
                class = Some(c);
            } else {
                match RType::from_mnemonic(word) {
                    Some(t) => {
                        rtype = Some(t);
                        generic_type = word.len() > 4
                            && word[..4].eq_ignore_ascii_case(b"TYPE")
                            && word[4..].iter().all(u8::is_ascii_digit);
                        i += 1;
                        break;
                    }
                    None => {
                        let what = if class.is_some() {
                            "record type"
                        } else {
                            "TTL, class or record type"
                        };
                        self.report(
                            "SYN004",
                            source,
                            at,
                            format!("unknown {what} `{}`", show(word)),
                        );
                        return false;
                    }
                }
            }
            i += 1;
        }
        let Some(rtype) = rtype else {
            self.report("SYN004", source, span, "record has no type".into());
            return false;
        };
        if rtype.is_meta() {
            let at = if generated { span } else { toks[i - 1].span };
            self.report(
                "SYN008",
                source,
                at,
                format!("{rtype} is a query or transport type and cannot appear in zone data"),
            );
            return false;
        }
        let class = class.or(self.last_class).unwrap_or(RClass::IN);
        self.last_class = Some(class);
        match self.zone_class {
            None => self.zone_class = Some(class),
            Some(zc) if zc != class => {
                self.report(
                    "SYN010",
                    source,
                    span,
                    format!("record class {class} differs from the zone's class {zc}"),
                );
                return false;
            }
            _ => {}
        }
        let rtoks = &toks[i..];
        let fields_iter = rtoks.iter().map(|t| Field {
            text: t.text(text),
            quoted: t.quoted,
            glued: t.glued,
        });
        let fields: smallvec_like::Fields = fields_iter.collect();
        let mut ctx = Ctx {
            names: &mut self.zone.names,
            origin: self.origin,
            labels: &mut self.labels,
            scratch: &mut self.scratch,
        };
        let parsed = match rdata::parse(rtype, generic_type, &fields, &mut ctx) {
            Ok(p) => p,
            Err(e) => {
                let at = match (generated, e.field.and_then(|f| rtoks.get(f))) {
                    (false, Some(t)) => t.span,
                    _ => span,
                };
                let mnemonic = rtype.to_string();
                let message = if e.message.starts_with(&mnemonic) {
                    e.message
                } else {
                    format!("{mnemonic} {}", e.message)
                };
                self.report("SYN005", source, at, message);
                return false;
            }
        };
        let rdata_span = match (rtoks.first(), rtoks.last()) {
            (Some(a), Some(b)) if !generated => a.span.join(b.span),
            _ => Span::new(span.end as usize, span.end as usize),
        };
        let data = match parsed {
            Parsed::A(a) => RecordData::A(a),
            Parsed::Aaaa(a) => {
                self.zone.aaaa.push(a);
                RecordData::Aaaa((self.zone.aaaa.len() - 1) as u32)
            }
            Parsed::Name(n) => RecordData::Name(n),
            Parsed::Mx(p, n) => {
                self.zone.mx.push((p, n));
                RecordData::Mx((self.zone.mx.len() - 1) as u32)
            }
            Parsed::Srv(s) => {
                self.zone.srv.push(s);
                RecordData::Srv((self.zone.srv.len() - 1) as u32)
            }
            Parsed::Soa(s) => {
                self.zone.soa.push(s);
                RecordData::Soa((self.zone.soa.len() - 1) as u32)
            }
            Parsed::Other { validated } => {
                if !validated {
                    self.zone.unvalidated += 1;
                }
                if generated {
                    let joined = fields
                        .iter()
                        .map(|f| String::from_utf8_lossy(f.text))
                        .collect::<Vec<_>>()
                        .join(" ");
                    self.zone.generated.push(joined);
                    RecordData::GeneratedText((self.zone.generated.len() - 1) as u32)
                } else {
                    RecordData::Text
                }
            }
        };
        let ttl = match ttl {
            Some(t) => {
                self.last_ttl = Some(t);
                t
            }
            None => match (self.default_ttl, self.last_ttl, &parsed) {
                (Some(t), _, _) => t,
                (None, Some(t), _) => t,
                (None, None, Parsed::Soa(s)) => s.minimum,
                _ => self.zone.soa.first().map_or(0, |s| s.minimum),
            },
        };
        let mut flags = 0;
        if generated {
            flags |= Record::GENERATED;
        }
        if blank_owner {
            flags |= Record::OWNER_INHERITED;
        }
        self.zone.records.push(Record {
            owner,
            rtype,
            class,
            ttl,
            source,
            span,
            rdata: rdata_span,
            data,
            flags,
        });
        true
    }
}

/// A field list that lives on the stack for the common short records.
mod smallvec_like {
    use crate::rr::rdata::Field;

    pub struct Fields<'a> {
        inline: [Field<'a>; 8],
        len: usize,
        heap: Vec<Field<'a>>,
    }

    impl<'a> FromIterator<Field<'a>> for Fields<'a> {
        fn from_iter<I: IntoIterator<Item = Field<'a>>>(iter: I) -> Self {
            let empty = Field {
                text: b"",
                quoted: false,
                glued: false,
            };
            let mut f = Fields {
                inline: [empty; 8],
                len: 0,
                heap: Vec::new(),
            };
            for x in iter {
                if f.len < 8 && f.heap.is_empty() {
                    f.inline[f.len] = x;
                    f.len += 1;
                } else {
                    if f.heap.is_empty() {
                        f.heap.extend_from_slice(&f.inline[..f.len]);
                    }
                    f.heap.push(x);
                }
            }
            f
        }
    }

    impl<'a> std::ops::Deref for Fields<'a> {
        type Target = [Field<'a>];
        fn deref(&self) -> &[Field<'a>] {
            if self.heap.is_empty() {
                &self.inline[..self.len]
            } else {
                &self.heap
            }
        }
    }
}
