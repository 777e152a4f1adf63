//! Zone parser: directives, owner/TTL/class inheritance, typed RDATA, `$INCLUDE` and
//! `$GENERATE`. One bad entry yields one finding and parsing goes on with the next.

use super::dollar_generate;
use super::entries::{Chunk, Entry, EntryProblem, EntryReader, Tok};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::names::{NameId, NameReader, NameTable, SuffixHashes};
use crate::model::zone::{OriginSource, Record, RecordData, Zone};
use crate::rr::rdata::{self, Ctx, Field, Parsed, show};
use crate::rr::text::parse_ttl;
use crate::rr::{RClass, RType};
use crate::source::{Source, Sources};
use crate::span::Span;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Nesting limit for `$INCLUDE`.
pub const MAX_INCLUDE_DEPTH: usize = 16;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Bytes read from a zone file at a time. An entry longer than this grows the buffer.
const CHUNK: usize = 1 << 20;

/// How `$INCLUDE` paths are resolved and confined.
#[derive(Clone, Debug, Default)]
pub struct IncludePolicy {
    /// Tried in order after the including file's directory: the zone's server
    /// directory (BIND resolves `$INCLUDE` against `directory`), then `--include-base`
    /// (named-checkzone's `-w`).
    pub include_bases: Vec<PathBuf>,
    /// Canonical directories an included file must lie in.
    pub allowed_roots: Vec<PathBuf>,
    pub allow_outside: bool,
    /// Records all `$GENERATE` lines of one zone may produce together; `None` is
    /// [`dollar_generate::DEFAULT_BUDGET`].
    pub max_generated: Option<u64>,
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

/// The zone set of zones parsed each on its own (tests, benchmarks, generated input),
/// their sources numbered one after another. Their diagnostics are dropped.
pub fn zone_set(parsed: impl IntoIterator<Item = ParsedZone>) -> crate::model::ZoneSet {
    let mut sources = Sources::default();
    let mut zones = Vec::new();
    for mut p in parsed {
        let base = sources.len() as u32;
        for s in p.sources.files.drain(..) {
            sources.add(s);
        }
        p.zone.renumber_sources(|s| s + base);
        zones.push(p.zone);
    }
    crate::model::ZoneSet::new(zones, sources)
}

/// The zone set of `(text, origin)` pairs, each parsed as a file `t.zone` with the
/// origin given by hand (tests).
#[cfg(test)]
pub(crate) fn set_of_texts(texts: &[(&str, &str)]) -> crate::model::ZoneSet {
    zone_set(texts.iter().map(|(text, origin)| {
        Parser::parse_bytes(
            Path::new("t.zone"),
            "t.zone".into(),
            std::sync::Arc::from(text.as_bytes()),
            origin,
            crate::model::zone::OriginSource::Argument,
            &IncludePolicy::default(),
        )
    }))
}

pub struct Parser<'p> {
    pub(crate) zone: Zone,
    pub(crate) sources: Sources,
    pub(crate) diagnostics: Vec<Diagnostic>,
    policy: &'p IncludePolicy,
    include_stack: Vec<PathBuf>,
    pub(crate) included: Vec<PathBuf>,
    pub(crate) origin: NameId,
    pub(crate) default_ttl: Option<u32>,
    pub(crate) last_ttl: Option<u32>,
    /// The SOA minimum, the TTL of last resort when no other is known.
    pub(crate) soa_minimum: Option<u32>,
    /// `None` after an owner failed to parse: a following blank owner has nothing to inherit.
    pub(crate) last_owner: Option<NameId>,
    pub(crate) last_class: Option<RClass>,
    pub(crate) zone_class: Option<RClass>,
    /// Parsing a later part of a file split across threads: the state at the start of the
    /// part (TTL, class) is unknown until the parts are joined, so records that depend on
    /// it are flagged (see `syntax::split`).
    pub(crate) part: bool,
    /// In a later part: the stand-ins for the origin and the owner in force at its start.
    pub(crate) placeholders: Option<(NameId, NameId)>,
    /// In the first part of a file that other threads parse the rest of: the bytes
    /// whose names its hash index is sized for (its part's). Its records and names are
    /// sized for the whole file, which it takes in; the rest comes with an index of its
    /// own (see `NameTable::adopt`) or is entered into this one when joined (see
    /// `index_room`).
    pub(crate) indexed_bytes: Option<usize>,
    /// With `indexed_bytes`: the rest of the file's names join this index later (the
    /// other parts are re-rooted into it), so its memory is reserved for them now and
    /// the index grows into it in place. The part's own names then take only as much
    /// of it as they fill while the parts are parsed side by side.
    pub(crate) index_room: bool,
    pub(crate) reader: NameReader,
    pub(crate) scratch: Vec<u8>,
    /// The labels of the last owner asked for ahead (see [`NameTable::prefetch_text`]).
    prefetched: SuffixHashes,
    /// Records `$GENERATE` lines produced so far.
    pub(crate) generated: u64,
}

/// What the record builder needs to know about the text it reads.
pub(crate) struct RecordInput<'a, 't> {
    pub text: Chunk<'a>,
    pub toks: &'t [Tok],
    pub blank_owner: bool,
    /// Where findings point: the record itself, or the `$GENERATE` line.
    pub span: Span,
    pub source: u32,
    pub generated: bool,
}

impl<'p> Parser<'p> {
    pub(crate) fn new(
        path: &Path,
        origin: &str,
        origin_source: OriginSource,
        policy: &'p IncludePolicy,
        size_hint: usize,
    ) -> Parser<'p> {
        // Reverse zones are denser in names (an owner and a target per record).
        // Sized for the first chunk only: the rest is reserved from what the first chunk
        // turns out to hold (see `grow_for`), so a file of comments reserves nothing.
        let first = size_hint.min(CHUNK);
        let bytes_per_name = if origin.ends_with(".arpa.") { 24 } else { 64 };
        let mut names = NameTable::with_capacity(first / bytes_per_name);
        let origin_id = names
            .intern_text(origin, NameId::ROOT)
            .unwrap_or(NameId::ROOT);
        let mut zone = Zone::new(origin_id, names, 0);
        zone.records.reserve(first / 52);
        zone.origin_source = origin_source;
        Parser {
            zone,
            sources: Sources::default(),
            diagnostics: Vec::new(),
            policy,
            include_stack: path.canonicalize().into_iter().collect(),
            included: Vec::new(),
            origin: origin_id,
            default_ttl: None,
            last_ttl: None,
            soa_minimum: None,
            last_owner: Some(origin_id),
            last_class: None,
            zone_class: None,
            part: false,
            placeholders: None,
            indexed_bytes: None,
            index_room: false,
            reader: NameReader::default(),
            scratch: Vec::new(),
            prefetched: SuffixHashes::default(),
            generated: 0,
        }
    }

    pub(crate) fn finish(mut self) -> ParsedZone {
        // Every name is in: the hashes go back now, while other files may still be
        // parsed beside this one, not once all are (and before the arrays are shrunk,
        // which would copy them).
        self.zone.names.release_hashes();
        self.zone.shrink_to_fit();
        ParsedZone {
            zone: self.zone,
            sources: self.sources,
            diagnostics: self.diagnostics,
            included: self.included,
        }
    }

    /// Parses the zone file at `path`, reading it in bounded chunks.
    pub fn parse_file(
        path: &Path,
        display: String,
        origin: &str,
        origin_source: OriginSource,
        policy: &'p IncludePolicy,
    ) -> std::io::Result<ParsedZone> {
        let mut file = crate::files::open_regular(path)?;
        let meta = file.metadata()?;
        if super::split::worth_splitting(meta.len()) {
            return super::split::parse_file(path, display, origin, origin_source, policy, &meta);
        }
        let mut p = Parser::new(path, origin, origin_source, policy, meta.len() as usize);
        let source = p.sources.add(Source::streamed(
            display,
            path.to_path_buf(),
            meta.modified().ok(),
        ));
        p.parse_stream(source, &mut file, meta.len() as usize)?;
        Ok(p.finish())
    }

    /// Parses zone text held in memory (tests, benchmarks, fuzzing).
    pub fn parse_bytes(
        path: &Path,
        display: String,
        text: Arc<[u8]>,
        origin: &str,
        origin_source: OriginSource,
        policy: &'p IncludePolicy,
    ) -> ParsedZone {
        let mut p = Parser::new(path, origin, origin_source, policy, text.len());
        let source = p
            .sources
            .add(Source::in_memory(display, path.to_path_buf(), text.clone()));
        let chunk = if text.starts_with(UTF8_BOM) {
            p.byte_order_mark(source);
            Chunk {
                base: UTF8_BOM.len(),
                bytes: &text[UTF8_BOM.len()..],
            }
        } else {
            Chunk::whole(&text)
        };
        p.parse_chunk(source, chunk, true);
        p.finish()
    }

    pub(crate) fn policy_max_generated(&self) -> u64 {
        self.policy
            .max_generated
            .unwrap_or(dollar_generate::DEFAULT_BUDGET)
    }

    fn byte_order_mark(&mut self, source: u32) {
        self.report(
            "SYN011",
            source,
            Span::new(0, UTF8_BOM.len()),
            "the file starts with a UTF-8 byte order mark; zonelint skips it, but some servers read it as part of the first name".into(),
        );
    }

    pub(crate) fn report(&mut self, code: &'static str, source: u32, span: Span, message: String) {
        self.diagnostics
            .push(Diagnostic::new(code, Location { source, span }, message));
    }

    /// Reads `input` chunk by chunk; an entry cut by a chunk's end is parsed again with
    /// the next chunk, so memory stays bounded by the chunk size (or the longest entry).
    fn parse_stream(
        &mut self,
        source: u32,
        input: &mut dyn Read,
        size: usize,
    ) -> std::io::Result<()> {
        self.parse_region(source, input, 0, true, CHUNK, size)
            .map(|_| ())
    }

    /// Parses `input`, whose first byte is at file offset `start`. When `ends_file` is
    /// false the input is one region of a longer file: an entry cut by its end is left
    /// unparsed, and the returned offset (where parsing stopped) says so by being short
    /// of the region's end.
    pub(crate) fn parse_region(
        &mut self,
        source: u32,
        input: &mut dyn Read,
        start: usize,
        ends_file: bool,
        chunk: usize,
        size_hint: usize,
    ) -> std::io::Result<usize> {
        let mut buf: Vec<u8> = Vec::with_capacity(chunk);
        // What the parser held before this region (a parser may parse several regions):
        // the density of the region is measured on its own records and names.
        let held = (self.zone.records.len(), self.zone.names.len());
        let mut base = start;
        let mut capacity = chunk;
        let mut grown = false;
        loop {
            let before = buf.len();
            let want = capacity - before;
            (&mut *input).take(want as u64).read_to_end(&mut buf)?;
            let exhausted = buf.len() - before < want;
            let file = &mut self.sources.files[source as usize];
            file.add_bytes(base + before, &buf[before..]);
            crate::load::BYTES_PARSED.fetch_add(
                (buf.len() - before) as u64,
                std::sync::atomic::Ordering::Relaxed,
            );
            // A `zonelint:` split between the kept bytes and the new ones.
            let overlap = before.saturating_sub(crate::suppress::MARKER.len() - 1);
            file.note_text(
                &buf[overlap..(before + crate::suppress::MARKER.len() - 1).min(buf.len())],
            );
            if base == 0 && buf.starts_with(UTF8_BOM) {
                // A byte order mark is not text: parse from after it.
                self.byte_order_mark(source);
                buf.drain(..UTF8_BOM.len());
                base = UTF8_BOM.len();
            }
            let chunk = Chunk { base, bytes: &buf };
            match self.parse_chunk(source, chunk, exhausted && ends_file) {
                None => return Ok(base + buf.len()),
                Some(resume) if exhausted => return Ok(resume),
                Some(resume) => {
                    let consumed = resume - base;
                    if consumed == 0 {
                        capacity *= 2;
                    }
                    if !grown && size_hint > resume - start && resume > start {
                        self.grow_for(held, resume - start, size_hint - (resume - start));
                        grown = true;
                    }
                    buf.drain(..consumed);
                    base = resume;
                }
            }
        }
    }

    /// Reserves room for the records and names of `rest` more bytes, at the density of
    /// the `parsed` bytes read so far in this region (the records and names beyond the
    /// `held` counts).
    fn grow_for(&mut self, held: (usize, usize), parsed: usize, rest: usize) {
        let scale = |n: usize| (n as u128 * rest as u128 / parsed.max(1) as u128) as usize;
        let records = scale(self.zone.records.len() - held.0);
        self.zone.records.reserve(records);
        crate::memory::prefer_huge_pages(&self.zone.records);
        // Names are scaled with an eighth to spare: later lines may share fewer
        // suffixes than the first ones, and a full index grows by half at once.
        let names = scale(self.zone.names.len() - held.1);
        let indexed = match self.indexed_bytes {
            Some(bytes) => {
                (names as u128 * bytes.saturating_sub(parsed) as u128 / rest.max(1) as u128)
                    as usize
            }
            None => names,
        };
        if self.index_room {
            self.zone.names.reserve_index_room(names + names / 8);
        }
        self.zone
            .names
            .reserve_indexing(names + names / 8, indexed + indexed / 8);
    }

    /// Parses the complete entries of one chunk; returns where to resume, or `None` when
    /// the chunk ends the file.
    fn parse_chunk(&mut self, source: u32, text: Chunk, at_eof: bool) -> Option<usize> {
        let mut reader = EntryReader::new(text, at_eof);
        let mut toks: Vec<Tok> = Vec::new();
        let mut fields: Vec<Field> = Vec::new();
        while let Some(entry) = reader.next_entry(&mut toks) {
            reader.comments.clear();
            // Interning an owner is mostly a wait for memory: ask for the next entry's
            // while this one is parsed.
            if let Some(owner) = reader.peek_owner() {
                self.zone
                    .names
                    .prefetch_text(owner, self.origin, &mut self.prefetched);
            }
            self.entry(source, text, &entry, &toks, &mut fields);
        }
        reader.resume_at()
    }

    fn entry<'a>(
        &mut self,
        source: u32,
        text: Chunk<'a>,
        entry: &Entry,
        toks: &[Tok],
        fields: &mut Vec<Field<'a>>,
    ) {
        if let Some(problem) = entry.problem {
            self.entry_problem(source, problem);
            if !entry.blank_owner {
                self.last_owner = None;
            }
            return;
        }
        let Some(first) = toks.first() else { return };
        if !entry.blank_owner && first.text(text).first() == Some(&b'$') && !first.quoted {
            self.directive(source, text, entry, toks);
        } else {
            self.record(
                RecordInput {
                    text,
                    toks,
                    blank_owner: entry.blank_owner,
                    span: entry.span,
                    source,
                    generated: false,
                },
                fields,
            );
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
                "quoted string is not closed (outside parentheses it must end on its line); this record is skipped",
            ),
        };
        self.report("SYN001", source, span, message.to_string());
    }

    fn directive(&mut self, source: u32, text: Chunk, entry: &Entry, toks: &[Tok]) {
        let name = toks[0].text(text);
        if name.eq_ignore_ascii_case(b"$ORIGIN") {
            let Some(arg) = self.sole_argument(source, entry, toks, "`$ORIGIN`", "a domain name")
            else {
                return;
            };
            match self.name_at(arg.text(text), self.origin) {
                Ok(id) => self.origin = id,
                Err(e) => self.report("SYN006", source, arg.span, format!("`$ORIGIN` name {e}")),
            }
        } else if name.eq_ignore_ascii_case(b"$TTL") {
            let Some(arg) = self.sole_argument(source, entry, toks, "`$TTL`", "a value") else {
                return;
            };
            match parse_ttl(arg.text(text)) {
                Some(ttl) => self.default_ttl = Some(ttl),
                None => self.report(
                    "SYN003",
                    source,
                    arg.span,
                    bad_ttl("`$TTL` value", arg.text(text)),
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
                toks[0].span,
                format!(
                    "unknown directive `{}` (known: $ORIGIN, $TTL, $INCLUDE, $GENERATE)",
                    show(name)
                ),
            );
        }
    }

    /// The one argument of a directive, or a finding when it is missing or followed by more.
    fn sole_argument(
        &mut self,
        source: u32,
        entry: &Entry,
        toks: &[Tok],
        directive: &str,
        what: &str,
    ) -> Option<Tok> {
        match (toks.get(1), toks.get(2)) {
            (None, _) => self.report(
                "SYN006",
                source,
                entry.span,
                format!("{directive} needs {what}"),
            ),
            (Some(_), Some(extra)) => self.report(
                "SYN006",
                source,
                extra.span,
                format!("{directive} takes only {what}"),
            ),
            (Some(arg), None) => return Some(*arg),
        }
        None
    }

    /// A domain name in presentation text, relative to `origin` unless absolute.
    pub(crate) fn name_at(
        &mut self,
        text: &[u8],
        origin: NameId,
    ) -> Result<NameId, crate::model::names::NameError> {
        self.reader.intern(&mut self.zone.names, text, origin)
    }

    fn include(&mut self, source: u32, text: Chunk, entry: &Entry, toks: &[Tok]) {
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
        let (found, canonical, mut file) = match self.open_include(source, &raw) {
            Ok(opened) => opened,
            Err(message) => return self.report("SYN007", source, path_tok.span, message),
        };
        let meta = file.metadata().ok();
        let modified = meta.as_ref().and_then(|m| m.modified().ok());
        let size = meta.map_or(0, |m| m.len() as usize);
        let display = found.to_string_lossy().into_owned();
        let child = self
            .sources
            .add(Source::streamed(display, found.clone(), modified));
        self.zone.sources.push(child);
        self.included.push(canonical.clone());
        self.include_stack.push(canonical);
        let saved_origin = self.origin;
        if let Some(o) = new_origin {
            self.origin = o;
        }
        if let Err(e) = self.parse_stream(child, &mut file, size) {
            self.report(
                "SYN007",
                source,
                path_tok.span,
                format!("`$INCLUDE` file `{raw}` could not be read to the end: {e}"),
            );
        }
        self.origin = saved_origin;
        self.include_stack.pop();
    }

    /// Finds, confines and opens an `$INCLUDE`d file; the error is the finding's message.
    fn open_include(
        &self,
        source: u32,
        raw: &str,
    ) -> Result<(PathBuf, PathBuf, std::fs::File), String> {
        let including_dir = self.sources.files[source as usize]
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let wanted = Path::new(raw);
        let mut candidates = vec![including_dir.join(wanted)];
        candidates.extend(self.policy.include_bases.iter().map(|b| b.join(wanted)));
        // One answer for "not there" and "not allowed": a pull request must not learn
        // which paths exist on the machine that checks it.
        let refused = || {
            let bases = if self.policy.include_bases.is_empty() {
                "; pass --include-base DIR for paths relative to another directory"
            } else {
                " and the include bases"
            };
            let outside = if self.policy.allow_outside {
                ""
            } else {
                "; files elsewhere need --allow-include-outside"
            };
            format!(
                "`$INCLUDE` file `{raw}` is not a readable file in the directories being checked (looked in {}{bases}{outside})",
                including_dir.display(),
            )
        };
        let inside = |c: &Path| {
            self.policy.allow_outside || self.policy.allowed_roots.iter().any(|r| c.starts_with(r))
        };
        let Some((found, canonical)) = candidates.into_iter().find_map(|c| {
            let canonical = c.canonicalize().ok()?;
            inside(&canonical).then_some((c, canonical))
        }) else {
            return Err(refused());
        };
        if canonical.is_dir() {
            return Err(format!("`$INCLUDE` names a directory, `{raw}`"));
        }
        if self.include_stack.contains(&canonical) {
            return Err(format!(
                "`$INCLUDE` of `{raw}` is a cycle: that file is already being read"
            ));
        }
        if self.include_stack.len() > MAX_INCLUDE_DEPTH {
            return Err(format!(
                "`$INCLUDE` nesting is deeper than {MAX_INCLUDE_DEPTH} files; `{raw}` is not read"
            ));
        }
        let file = crate::files::open_regular(&canonical)
            .map_err(|e| format!("`$INCLUDE` file `{raw}` cannot be read: {e}"))?;
        Ok((found, canonical, file))
    }

    /// Builds one record from its tokens. Returns false when a finding was reported.
    ///
    /// `fields` is scratch space reused between records of one chunk.
    pub(crate) fn record<'a>(
        &mut self,
        input: RecordInput<'a, '_>,
        fields: &mut Vec<Field<'a>>,
    ) -> bool {
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
            if is_aging(word) && !t.quoted && rtype.is_none() && ttl.is_none() && class.is_none() {
                // Windows DNS writes a dynamic record's timestamp here; servers that
                // read the file back keep it, so it is accepted (and never rewritten).
                i += 1;
                continue;
            }
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
                        self.report("SYN003", source, at, bad_ttl("TTL", word));
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
        let mut flags = 0;
        let class = match class.or(self.last_class) {
            Some(c) => c,
            None if self.part => {
                flags |= Record::CLASS_UNRESOLVED;
                RClass::IN
            }
            None => RClass::IN,
        };
        if flags & Record::CLASS_UNRESOLVED == 0 {
            self.last_class = Some(class);
        }
        match self.zone_class {
            // An inherited class in a later part of a split file is checked at the join.
            _ if flags & Record::CLASS_UNRESOLVED != 0 => {}
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
        fields.clear();
        fields.extend(rtoks.iter().map(|t| Field {
            text: t.text(text),
            quoted: t.quoted,
            glued: t.glued,
        }));
        let fields = &fields[..];
        let mut ctx = Ctx {
            names: &mut self.zone.names,
            origin: self.origin,
            reader: &mut self.reader,
            scratch: &mut self.scratch,
        };
        let parsed = match rdata::parse(rtype, generic_type, fields, &mut ctx) {
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
        if rtype == RType::NSEC3 {
            let hash = self.zone.names.label(owner);
            if !crate::rr::text::is_base32hex_unpadded(hash) {
                let at = if generated || blank_owner {
                    span
                } else {
                    toks[0].span
                };
                self.report(
                    "SYN002",
                    source,
                    at,
                    format!(
                        "NSEC3 owner `{}` does not begin with a hash in unpadded base32hex",
                        self.zone.name(owner)
                    ),
                );
                return false;
            }
        }
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
                self.zone.rdata_hashes.push(hash_fields(fields));
                RecordData::Other((self.zone.rdata_hashes.len() - 1) as u32)
            }
        };
        if let Parsed::Soa(s) = &parsed {
            self.soa_minimum.get_or_insert(s.minimum);
        }
        let explicit_ttl = ttl;
        let ttl = match ttl {
            Some(t) => {
                self.last_ttl = Some(t);
                t
            }
            // In a later part of a split file, a `$TTL` before the part is unknown and
            // would win over this part's own last TTL: defer the choice to the join.
            None if self.part && self.default_ttl.is_none() => {
                flags |= Record::TTL_UNRESOLVED;
                match self.last_ttl {
                    Some(t) => {
                        flags |= Record::TTL_LOCAL_LAST;
                        t
                    }
                    None => 0,
                }
            }
            None => self
                .default_ttl
                .or(self.last_ttl)
                .or(self.soa_minimum)
                .unwrap_or(0),
        };
        if generated {
            flags |= Record::GENERATED;
        }
        if rtype == RType::TXT && fields.first().is_some_and(|f| may_begin_spf(f.text)) {
            flags |= Record::SPF_TEXT;
        }
        if !self.part
            && self.zone.records.is_empty()
            && self.default_ttl.is_none()
            && explicit_ttl.is_none()
        {
            self.zone.implicit_ttl = Some((crate::diagnostic::Location { source, span }, ttl));
        }
        self.zone.push_record(
            Record::new(owner, rtype, ttl, span, data, flags),
            class,
            source,
        );
        true
    }
}

/// The `[AGE:n]` token of Windows DNS (hours since 1601 when a dynamic record was last
/// refreshed), written between the owner and the TTL.
/// Whether a TXT record whose first string is `first` (as written) may be an SPF
/// record once its strings are joined: it starts `v=spf1` (any case), is a shorter
/// beginning of it, or has an escape early on. The SPF rules read only those again.
fn may_begin_spf(first: &[u8]) -> bool {
    const SPF: &[u8] = b"v=spf1";
    let head = &first[..first.len().min(SPF.len())];
    head.contains(&b'\\') || head.eq_ignore_ascii_case(&SPF[..head.len()])
}

pub fn is_aging(word: &[u8]) -> bool {
    word.len() > 6
        && word[..5].eq_ignore_ascii_case(b"[AGE:")
        && word.ends_with(b"]")
        && word[5..word.len() - 1].iter().all(u8::is_ascii_digit)
}

fn bad_ttl(what: &str, word: &[u8]) -> String {
    format!(
        "{what} `{}` is not a TTL (seconds up to 4294967295, or units like `1h30m`)",
        show(word)
    )
}

/// A hash of RDATA fields, equal for the same data however it is laid out.
fn hash_fields(fields: &[Field]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::model::zone::rdata_hasher();
    for f in fields {
        f.quoted.hash(&mut h);
        f.text.hash(&mut h);
    }
    h.finish()
}
#[cfg(test)]
mod tests {
    use super::*;

    /// Records and findings as comparable values.
    fn summary(p: &Parser) -> (Vec<String>, Vec<String>) {
        let records = p
            .zone
            .records
            .iter()
            .map(|r| {
                format!(
                    "{} {} {} {:?} {:?}",
                    p.zone.name(r.owner),
                    r.rtype,
                    r.ttl,
                    r.span,
                    p.zone.rdata_key(r)
                )
            })
            .collect();
        let diags = p
            .diagnostics
            .iter()
            .map(|d| format!("{} {:?} {}", d.code, d.location.span, d.message))
            .collect();
        (records, diags)
    }

    #[test]
    fn chunk_boundaries_do_not_change_the_result() {
        let policy = IncludePolicy::default();
        let mut text = String::from(
            "$ORIGIN example.\n$TTL 60\n@ IN SOA ns h ( 1 2\n 3 4 5 ) ; c\n  IN NS ns\n",
        );
        for i in 0..200 {
            text.push_str(&format!(
                "h{i} IN A 10.0.{}.{}\n\tIN TXT \"a;{i}\" ( \"b\"\n )\n",
                i / 250,
                i % 250
            ));
            if i % 37 == 0 {
                text.push_str("bad IN A 1.2.3\nq IN TXT \"open\n");
            }
        }
        let run = |chunk: usize| {
            let (mut p, source) = streamed_parser(&policy);
            p.parse_region(source, &mut text.as_bytes(), 0, true, chunk, text.len())
                .unwrap();
            summary(&p)
        };
        let whole = run(1 << 20);
        assert!(whole.0.len() > 400 && !whole.1.is_empty());
        for chunk in [1, 7, 64, 333] {
            assert_eq!(run(chunk), whole, "chunk size {chunk}");
        }
    }

    /// A parser for `example.` with one streamed source, `t.zone`, and that source.
    fn streamed_parser(policy: &IncludePolicy) -> (Parser<'_>, u32) {
        let mut p = Parser::new(
            Path::new("t.zone"),
            "example.",
            OriginSource::Argument,
            policy,
            0,
        );
        let source = p
            .sources
            .add(Source::streamed("t.zone".into(), "t.zone".into(), None));
        (p, source)
    }

    #[test]
    fn a_finished_zone_keeps_no_room_it_grew_into() {
        let policy = IncludePolicy::default();
        let (mut p, source) = streamed_parser(&policy);
        let text: String = (0..300)
            .map(|i| {
                format!(
                    "h{i} IN AAAA 2001:db8::{i:x}\n IN MX 10 m{i}\n IN SRV 0 0 25 s{i}\n IN TXT \"t{i}\"\n"
                )
            })
            .collect();
        p.parse_region(source, &mut text.as_bytes(), 0, true, 1 << 20, 0)
            .unwrap();
        let zone = p.finish().zone;
        let arrays = [
            ("aaaa", zone.aaaa.len(), zone.aaaa.capacity()),
            ("mx", zone.mx.len(), zone.mx.capacity()),
            ("srv", zone.srv.len(), zone.srv.capacity()),
            (
                "data hashes",
                zone.rdata_hashes.len(),
                zone.rdata_hashes.capacity(),
            ),
            ("records", zone.records.len(), zone.records.capacity()),
        ];
        for (what, len, capacity) in arrays {
            assert!(len >= 300, "{what}: {len} parsed");
            assert_eq!(capacity, len, "{what}");
        }
        assert_eq!(zone.names.capacity(), zone.names.len(), "names");
    }

    #[test]
    fn growth_is_reckoned_on_the_region_alone() {
        // A parser that carries on into another region reserves for the rest of it at
        // that region's density, not at the density of all it holds (which, measured
        // against the region's bytes alone, would reserve many times too much).
        let policy = IncludePolicy::default();
        let (mut p, source) = streamed_parser(&policy);
        let first: String = (0..2000)
            .map(|i| format!("a{i} IN A 192.0.2.1\n"))
            .collect();
        p.parse_region(source, &mut first.as_bytes(), 0, true, 1 << 20, 0)
            .unwrap();
        let held = (p.zone.records.len(), p.zone.names.len());
        assert_eq!(held.0, 2000);
        let second: String = (0..20).map(|i| format!("b{i} IN A 192.0.2.2\n")).collect();
        p.parse_region(
            source,
            &mut second.as_bytes(),
            first.len(),
            true,
            1 << 20,
            0,
        )
        .unwrap();
        p.zone.records.shrink_to_fit();
        p.zone.names.shrink_to_fit();
        // 20 records in the region's first bytes; ten times as many bytes to come.
        p.grow_for(held, second.len(), second.len() * 10);
        // (A vector grows at least twofold: room for 200 more of 2,020 is 2,020 more.)
        let room = p.zone.records.capacity() - p.zone.records.len();
        assert!((200..=2020).contains(&room), "room for {room} records");
        let names_room = p.zone.names.capacity() - p.zone.names.len();
        assert!(
            (220..=260).contains(&names_room),
            "room for {names_room} names"
        );
    }
}
