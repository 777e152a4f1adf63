//! Parsing one large zone file on several threads.
//!
//! The file is cut at line starts that look like the start of a record, the parts are
//! parsed in parallel, and the parts are joined in file order. A later part cannot know
//! the state in force where it begins (origin, previous owner, TTL, class), so it parses
//! against stand-ins: relative names hang under a placeholder origin node, a blank
//! owner at its start inherits a placeholder owner, and records whose TTL or class
//! depends on earlier lines are flagged. Joining re-roots the part's names under the
//! real origin (names are interned as parent + label, so this is one probe per name),
//! resolves the flags, and renumbers sources and side tables.
//!
//! In a reverse zone a part also guesses the origin at its start (from the last
//! `$ORIGIN` line before it) and hashes its names as if below it. When the guess holds,
//! its names and their index are taken over as they are ([`Joining::Adopt`]): only the
//! names below names the first part has are looked up.
//!
//! When a guess turns out wrong — the cut fell inside a parenthesised record or a
//! quoted string, a name grows past 255 octets under the real origin, the classes
//! disagree, the origin guessed was not the origin and names were written in full
//! below it — the rest of the file is parsed again sequentially from where the joined
//! part ended, so the result is always the one a single-threaded parse gives.

use super::parser::{IncludePolicy, ParsedZone, Parser};
use crate::model::names::NameId;
use crate::model::zone::{OriginSource, Record, RecordData};
use crate::rr::RClass;
use crate::source::Source;
use rayon::prelude::*;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Files smaller than this are parsed on one thread: the join would cost more than it
/// saves.
pub const SPLIT_MIN: u64 = 8 << 20;

const CHUNK: usize = 1 << 20;
const ORIGIN_MARK: u8 = 0xfe;
const OWNER_MARK: u8 = 0xfd;

/// Time spent joining parts, summed over files (nanoseconds), for `check --timings`:
/// the join runs on one thread while the parts ran on all.
pub static JOIN_NANOS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub fn worth_splitting(len: u64) -> bool {
    len >= SPLIT_MIN && rayon::current_num_threads() > 1
}

/// Offsets where the parts after the first begin: the start of a line that begins with
/// an owner name (not blank, not a comment or directive), after `target`.
fn cut_points(file: &mut std::fs::File, len: u64, parts: usize) -> std::io::Result<Vec<usize>> {
    let mut cuts = Vec::new();
    let mut window = vec![0u8; 64 << 10];
    for k in 1..parts {
        let target = len as usize * k / parts;
        file.seek(SeekFrom::Start(target as u64))?;
        let n = file.read(&mut window)?;
        let w = &window[..n];
        let found = memchr::memchr_iter(b'\n', w).map(|i| i + 1).find(|&i| {
            w.get(i).is_some_and(|b| {
                !matches!(
                    b,
                    b' ' | b'\t' | b'\r' | b'\n' | b';' | b'$' | b'(' | b')' | b'"'
                )
            })
        });
        if let Some(i) = found {
            let at = target + i;
            if cuts.last().is_none_or(|&c| c < at) {
                cuts.push(at);
            }
        }
    }
    Ok(cuts)
}

/// How far back [`origin_before`] looks for an `$ORIGIN` line.
const ORIGIN_WINDOW: usize = 1 << 20;

/// What the lines shortly before a cut say of the origin in force at it.
#[derive(Debug, PartialEq, Eq)]
enum OriginBefore {
    /// No `$ORIGIN` line: the origin the file began with, most likely (certainly, when
    /// the window reaches the file's start).
    Unchanged,
    /// The last `$ORIGIN` line gives this absolute name.
    Absolute(String),
    /// The last `$ORIGIN` line gives a name relative to an earlier origin, or no name.
    Unknown,
}

/// The origin a part starting at `cut` most likely begins with, from the last
/// `$ORIGIN` line in the `window` bytes before it. Only a guess, which the
/// join checks (an `$INCLUDE`d file's own `$ORIGIN` ends with it, and a line that
/// only looks like a directive may sit inside a record): a wrong one costs time,
/// never a wrong name.
fn origin_before(path: &Path, cut: usize, window: usize) -> std::io::Result<OriginBefore> {
    let from = cut.saturating_sub(window);
    let mut window = Vec::with_capacity(cut - from);
    let mut file = crate::files::open_regular(path)?;
    file.seek(SeekFrom::Start(from as u64))?;
    (&mut file)
        .take((cut - from) as u64)
        .read_to_end(&mut window)?;
    let line_starts = memchr::memrchr_iter(b'\n', &window).map(|i| i + 1);
    for at in line_starts.chain((from == 0).then_some(0)) {
        let line = &window[at..];
        let Some(rest) = line
            .get(..7)
            .filter(|d| d.eq_ignore_ascii_case(b"$ORIGIN"))
            .map(|_| &line[7..])
        else {
            continue;
        };
        if rest.first().is_some_and(|b| !b.is_ascii_whitespace()) {
            continue;
        }
        let line = rest
            .split(|&b| b == b'\n' || b == b';')
            .next()
            .unwrap_or_default();
        let name = line
            .split(|b| b.is_ascii_whitespace())
            .find(|t| !t.is_empty())
            .unwrap_or_default();
        let plain = |b: &u8| b.is_ascii_graphic() && !matches!(b, b'(' | b')' | b'"' | b'\\');
        return Ok(match std::str::from_utf8(name) {
            Ok(text) if text.ends_with('.') && name.iter().all(plain) => {
                OriginBefore::Absolute(text.to_string())
            }
            _ => OriginBefore::Unknown,
        });
    }
    Ok(OriginBefore::Unchanged)
}

/// The class of the file's first record (the zone's class), as later parts assume it.
fn first_record_class(path: &Path) -> std::io::Result<RClass> {
    use super::entries::{Chunk, EntryReader};
    let mut head = Vec::new();
    crate::files::open_regular(path)?
        .take(64 << 10)
        .read_to_end(&mut head)?;
    let text = Chunk::whole(&head);
    let mut reader = EntryReader::new(text, true);
    let mut toks = Vec::new();
    while let Some(entry) = reader.next_entry(&mut toks) {
        let Some(first) = toks.first() else { continue };
        if !entry.blank_owner && first.text(text).starts_with(b"$") {
            continue;
        }
        let fields = if entry.blank_owner {
            &toks[..]
        } else {
            &toks[1..]
        };
        return Ok(fields
            .iter()
            .take(2)
            .find_map(|t| RClass::from_mnemonic(t.text(text)))
            .unwrap_or(RClass::IN));
    }
    Ok(RClass::IN)
}

struct Part<'p> {
    parser: Parser<'p>,
    start: usize,
    end: usize,
    /// Where parsing stopped; short of `end` when an entry crossed the cut.
    stopped: usize,
}

pub fn parse_file(
    path: &Path,
    display: String,
    origin: &str,
    origin_source: OriginSource,
    policy: &IncludePolicy,
    meta: &std::fs::Metadata,
) -> std::io::Result<ParsedZone> {
    // A part a thread. More parts would give an idle thread more places to step in
    // (see [`CarryOn`]), but each part a thread does take costs a join: measured, an
    // ip6.arpa zone in three parts took a fifth longer than in two.
    let parts = rayon::current_num_threads()
        .min((meta.len() / (SPLIT_MIN / 2)) as usize)
        .max(1);
    parse_in_parts(
        path,
        display,
        origin,
        origin_source,
        policy,
        meta,
        parts,
        CarryOn::WhileUnclaimed,
        Joining::for_origin(origin),
    )
    .map(|(zone, _)| zone)
}

/// Whether a part's parser, at the end of its part, goes on into the next one.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum CarryOn {
    /// When no other thread has started the next part: a part parsed by the thread
    /// that just parsed the one before it is parsed as its continuation, and costs no
    /// join. The parts are then only the places where an idle thread may step in.
    WhileUnclaimed,
    /// Never: every part is parsed on its own and joined (tests of the join).
    #[cfg(test)]
    Never,
}

/// How a part's names were joined (see [`Joining`]).
enum Joined {
    Adopted,
    Rerooted,
}

/// How many parts were joined, by how their names were.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Joins {
    pub adopted: usize,
    pub rerooted: usize,
}

impl Joins {
    pub fn total(&self) -> usize {
        self.adopted + self.rerooted
    }
}

/// How a later part's names join the first part's.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Joining {
    /// Each name is entered again below the origin found at the cut.
    Reroot,
    /// The part guesses the origin at its start and, when the guess holds, its names
    /// and their index are taken over whole (see `NameTable::adopt`): a name below a
    /// name new to the first part is new itself, and is not looked up. Its index is
    /// kept beside the first part's, which is then sized for the first part alone.
    Adopt,
}

impl Joining {
    /// A reverse zone in address order gives each part subtrees of its own (nearly
    /// every name of a later part lies below a name new to the first): taking them
    /// over halved the join of a 12 MB ip6.arpa zone. A forward zone's later names
    /// mostly lie below names the first part has (`prod.example.`), so each is looked
    /// up either way: there two indexes only cost room, and lookups in a fuller first
    /// index made a 10M-record zone's join a fifth slower.
    fn for_origin(origin: &str) -> Joining {
        let origin = origin.to_ascii_lowercase();
        if origin.ends_with(".arpa.") || origin.ends_with(".arpa") {
            Joining::Adopt
        } else {
            Joining::Reroot
        }
    }
}

/// [`parse_file`] with the number of parts given (tests use many small parts). Also
/// returns how many parts were joined rather than parsed again.
#[allow(clippy::too_many_arguments)]
pub(crate) fn parse_in_parts<'p>(
    path: &Path,
    display: String,
    origin: &str,
    origin_source: OriginSource,
    policy: &'p IncludePolicy,
    meta: &std::fs::Metadata,
    parts: usize,
    carry_on: CarryOn,
    joining: Joining,
) -> std::io::Result<(ParsedZone, Joins)> {
    let len = meta.len();
    let cuts = cut_points(&mut crate::files::open_regular(path)?, len, parts)?;
    let mut bounds = vec![0usize];
    bounds.extend(cuts);
    bounds.push(len as usize);
    let regions: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    let modified = meta.modified().ok();
    let zone_class = first_record_class(path)?;
    let size_hint = len as usize / regions.len();
    // Each part is parsed once: by its own task, or by the parser of the part before
    // it carrying on. Whichever claims it first parses it.
    let claimed: Vec<std::sync::atomic::AtomicBool> = regions
        .iter()
        .map(|_| std::sync::atomic::AtomicBool::new(false))
        .collect();
    let claim = |k: usize| !claimed[k].swap(true, std::sync::atomic::Ordering::AcqRel);
    let parse_from = |k: usize| -> std::io::Result<Part<'p>> {
        let (start, mut end) = regions[k];
        // The first part receives every other part's records and names: size them for
        // the whole file so joining never reallocates (its index: see below).
        let hint = if k == 0 { len as usize } else { size_hint };
        let mut parser = Parser::new(path, origin, origin_source, policy, hint);
        if k == 0 && regions.len() > 1 {
            // While the parts are parsed, the first part's index holds its own names
            // only. Adopted parts bring an index of their own; re-rooted ones are
            // entered into this one when joined, which keeps room for them.
            parser.indexed_bytes = Some(end - start);
            parser.index_room = joining == Joining::Reroot;
        }
        if k > 0 {
            parser.part = true;
            parser.zone_class = Some(zone_class);
            let names = &mut parser.zone.names;
            // Re-rooting gives the part's names back in id order as it goes.
            names.store_labels_in_id_order();
            let guess = match joining {
                Joining::Reroot => None,
                Joining::Adopt => match origin_before(path, start, ORIGIN_WINDOW)? {
                    OriginBefore::Unchanged => Some(parser.origin),
                    OriginBefore::Absolute(text) => names.intern_text(&text, NameId::ROOT),
                    OriginBefore::Unknown => None,
                },
            };
            let placeholder_origin = match guess {
                Some(guess) => names.stand_in(ORIGIN_MARK, guess),
                None => names.placeholder(ORIGIN_MARK),
            };
            let placeholder_owner = parser.zone.names.placeholder(OWNER_MARK);
            parser.origin = placeholder_origin;
            parser.last_owner = Some(placeholder_owner);
            parser.placeholders = Some((placeholder_origin, placeholder_owner));
        }
        let source = parser.sources.add(Source::streamed(
            display.clone(),
            path.to_path_buf(),
            modified,
        ));
        let mut file = crate::files::open_regular(path)?;
        file.seek(SeekFrom::Start(start as u64))?;
        let mut stopped = parser.parse_region(
            source,
            &mut (&file).take((end - start) as u64),
            start,
            end == len as usize,
            CHUNK,
            // The first part is reserved for the whole file (it absorbs the rest).
            if k == 0 { len as usize } else { end - start },
        )?;
        let mut next = k + 1;
        while carry_on == CarryOn::WhileUnclaimed && next < regions.len() && claim(next) {
            // From where this part stopped: short of the cut when an entry crosses it.
            let next_end = regions[next].1;
            // Its names come without an index of their own: the index makes room.
            parser.indexed_bytes = None;
            parser.sources.files[source as usize].truncate_lines(stopped);
            file.seek(SeekFrom::Start(stopped as u64))?;
            stopped = parser.parse_region(
                source,
                &mut (&file).take((next_end - stopped) as u64),
                stopped,
                next_end == len as usize,
                CHUNK,
                next_end - stopped,
            )?;
            end = next_end;
            next += 1;
        }
        Ok(Part {
            parser,
            start,
            end,
            stopped,
        })
    };
    let results: Vec<std::io::Result<Part<'p>>> = (0..regions.len())
        .into_par_iter()
        // Every part a task of its own, which an idle thread may take.
        .with_max_len(1)
        .filter_map(|k| claim(k).then(|| parse_from(k)))
        .collect();
    let join_started = std::time::Instant::now();
    let mut parts = results.into_iter();
    let first = parts.next().expect("at least one part")?;
    let mut joined = first.parser;
    let mut stopped = first.stopped;
    let mut valid = first.stopped == first.end;
    let mut joins = Joins::default();
    for part in parts {
        let part = part?;
        if !valid {
            break;
        }
        match joined.absorb(part.parser) {
            Some(Joined::Adopted) => joins.adopted += 1,
            Some(Joined::Rerooted) => joins.rerooted += 1,
            None => break,
        }
        debug_assert_eq!(part.start, stopped);
        stopped = part.stopped;
        valid = part.stopped == part.end;
    }
    // Parts that carried on needed no join: only joins are timed (a run without any
    // shows no join line).
    if joins.total() > 0 {
        JOIN_NANOS.fetch_add(
            join_started.elapsed().as_nanos() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
    }
    if stopped < len as usize {
        // A guess failed: finish the file from where the joined parts end.
        let mut file = crate::files::open_regular(path)?;
        file.seek(SeekFrom::Start(stopped as u64))?;
        joined.sources.files[0].truncate_lines(stopped);
        // The names from here on come without an index of their own.
        joined.indexed_bytes = None;
        joined.parse_region(0, &mut file, stopped, true, CHUNK, len as usize - stopped)?;
    }
    Ok((joined.finish(), joins))
}

impl Parser<'_> {
    /// Appends the records of the next part of the same file, and says how its names
    /// were joined. Returns `None`, having added no record, when the part's guesses
    /// about the state at its start fail.
    fn absorb(&mut self, part: Parser) -> Option<Joined> {
        let (origin_stand_in, owner_stand_in) = part.placeholders?;
        let origin_at_cut = self.origin;
        // After an invalid owner, a blank owner at the start of the part is an error the
        // part could not see.
        let owner_at_cut = match self.last_owner {
            Some(o) => o,
            None if part.zone.records.iter().any(|r| r.owner == owner_stand_in) => return None,
            None => NameId::ROOT,
        };
        let class_at_cut = self.last_class.unwrap_or(RClass::IN);
        // The `$GENERATE` budget is the zone's: the part counted only its own lines, so
        // when the two together pass it, a line the part expanded may be one the zone
        // may not.
        if self.generated.saturating_add(part.generated) > self.policy_max_generated() {
            return None;
        }
        // An SOA in this part would supply the last-resort TTL only if none came before.
        if self.soa_minimum.is_none()
            && part.soa_minimum.is_some()
            && part
                .zone
                .records
                .iter()
                .any(|r| r.flags & Record::TTL_UNRESOLVED != 0)
        {
            return None;
        }
        // The part checked classes against a guess of the zone's class, and left records
        // whose class comes from before the part unchecked.
        if self.zone_class != part.zone_class
            || (class_at_cut != part.zone_class.unwrap_or(RClass::IN)
                && part
                    .zone
                    .records
                    .iter()
                    .any(|r| r.flags & Record::CLASS_UNRESOLVED != 0))
        {
            return None;
        }
        let mut part = part;
        let fixed = |id: NameId| {
            if id == origin_stand_in {
                Some(origin_at_cut)
            } else if id == owner_stand_in {
                Some(owner_at_cut)
            } else {
                None
            }
        };
        // The part hashed its names as if the origin at the cut were the one it
        // guessed. When the guess holds, its names are taken over as they are (see
        // `NameTable::adopt`), its index with them. When it fails, they are re-rooted;
        // but names written in full below the guessed origin were put below its
        // stand-in, and cannot be told from relative ones: the part is parsed again.
        let held = part
            .zone
            .names
            .guessed()
            .filter(|&g| self.zone.names.find_same(&part.zone.names, g) == Some(origin_at_cut));
        if held.is_none() && part.zone.names.redirected {
            return None;
        }
        let (map, joined) = if let Some(guess) = held
            && !part.zone.names.any_child_of(&[owner_stand_in, guess])
        {
            match self
                .zone
                .names
                .adopt(std::mem::take(&mut part.zone.names), fixed)
            {
                Ok(map) => (map, Joined::Adopted),
                Err(_) => return None,
            }
        } else {
            // Re-root the part's names: every node's parent has a smaller id, so one pass in
            // id order maps them all. A name too long under the real origin was never valid:
            // give up (names interned so far own no records and change nothing).
            // Only read by id from here on: its index goes at once.
            let mut names = std::mem::take(&mut part.zone.names).into_list();
            self.zone.names.reserve(names.len());
            let mut map = vec![0u32; names.len()];
            // Each name's hash under the real origin, worked out first from the part's own
            // names (read in order): interning then never looks a parent up in the big
            // table, and can ask for the table's memory a few names ahead.
            names.rehash(|id| fixed(id).map(|to| self.zone.names.hash_of(to)));
            const AHEAD: usize = 12;
            // The part's names are read once, in id order: the memory of those passed
            // goes back as the first part's grows, a block at a time, so the two are
            // not both held whole (at 10M records, 77 MiB). Tests release often, so
            // that their small parts do.
            const RELEASE_EVERY: usize = if cfg!(test) { 64 } else { 1 << 14 };
            for id in 1..names.len() {
                if id % RELEASE_EVERY == 0 {
                    names.release_before(NameId(id as u32));
                }
                if id + AHEAD < names.len() {
                    self.zone
                        .names
                        .prefetch(names.hash(NameId((id + AHEAD) as u32)));
                }
                let id = NameId(id as u32);
                map[id.0 as usize] = match fixed(id) {
                    Some(to) => to.0,
                    None => {
                        let up = names.parent(id).0 as usize;
                        match self.zone.names.child_with_hash(
                            NameId(map[up]),
                            names.label(id),
                            names.hash(id),
                        ) {
                            Ok(n) => n.0,
                            Err(_) => return None,
                        }
                    }
                };
            }
            drop(names);
            (map, Joined::Rerooted)
        };
        let name = |n: NameId| NameId(map[n.0 as usize]);

        let main = self.zone.source;
        let source_base = self.sources.len() as u32;
        let source = |s: u32| if s == 0 { main } else { source_base + s - 1 };
        self.sources.files[main as usize].append_lines(&part.sources.files[0]);
        for s in part.sources.files.drain(..).skip(1) {
            self.sources.add(s);
        }
        for s in part.zone.sources.iter().skip(1) {
            self.zone.sources.push(source(*s));
        }
        let (default_ttl, last_ttl, soa_minimum) =
            (self.default_ttl, self.last_ttl, self.soa_minimum);
        let unresolved_ttl = |r: &Record| {
            default_ttl
                .or(if r.flags & Record::TTL_LOCAL_LAST != 0 {
                    Some(r.ttl)
                } else {
                    last_ttl
                })
                .or(soa_minimum)
                .unwrap_or(0)
        };
        let zone = &mut self.zone;
        let (aaaa, mx, srv, soa, hashes) = (
            zone.aaaa.len() as u32,
            zone.mx.len() as u32,
            zone.srv.len() as u32,
            zone.soa.len() as u32,
            zone.rdata_hashes.len() as u32,
        );
        zone.aaaa.extend_from_slice(&part.zone.aaaa);
        zone.mx
            .extend(part.zone.mx.iter().map(|&(p, n)| (p, name(n))));
        zone.srv
            .extend(part.zone.srv.iter().map(|s| crate::rr::rdata::Srv {
                target: name(s.target),
                ..*s
            }));
        zone.soa
            .extend(part.zone.soa.iter().map(|s| crate::rr::rdata::Soa {
                mname: name(s.mname),
                rname: name(s.rname),
                ..*s
            }));
        zone.rdata_hashes.extend_from_slice(&part.zone.rdata_hashes);
        zone.unvalidated += part.zone.unvalidated;

        // Copy the part's records from the back in blocks, releasing each block as it
        // is copied, so the two record arrays never coexist in full.
        let mut records = std::mem::take(&mut part.zone.records);
        let total = records.len();
        let first_index = zone.records.len() as u32;
        for &(first, s) in &part.zone.source_runs {
            let s = source(s);
            if zone.source_runs.last().is_none_or(|&(_, last)| last != s) {
                zone.source_runs.push((first_index + first, s));
            }
        }
        zone.records.reserve(total);
        crate::memory::prefer_huge_pages(&zone.records);
        const BLOCK: usize = 1 << 16;
        let mut end = records.len();
        while end > 0 {
            let start = end.saturating_sub(BLOCK);
            for (i, r) in records[start..end].iter().enumerate() {
                let mut r = *r;
                r.owner = name(r.owner);
                r.set_data(match r.data() {
                    RecordData::Name(n) => RecordData::Name(name(n)),
                    RecordData::Aaaa(i) => RecordData::Aaaa(i + aaaa),
                    RecordData::Mx(i) => RecordData::Mx(i + mx),
                    RecordData::Srv(i) => RecordData::Srv(i + srv),
                    RecordData::Soa(i) => RecordData::Soa(i + soa),
                    RecordData::Other(i) => RecordData::Other(i + hashes),
                    d @ RecordData::A(_) => d,
                });
                if r.flags & Record::TTL_UNRESOLVED != 0 {
                    r.ttl = unresolved_ttl(&r);
                }
                let class = if r.flags & Record::CLASS_UNRESOLVED != 0 {
                    class_at_cut
                } else {
                    part.zone.class_at(&r, start + i)
                };
                zone.set_class(&mut r, first_index as usize + start + i, class);
                r.flags &=
                    !(Record::TTL_UNRESOLVED | Record::TTL_LOCAL_LAST | Record::CLASS_UNRESOLVED);
                zone.records.spare_capacity_mut()[start + i].write(r);
            }
            records.truncate(start);
            records.shrink_to_fit();
            end = start;
        }
        let len = zone.records.len() + total;
        // SAFETY: the loop above wrote all `total` slots after the old length.
        unsafe { zone.records.set_len(len) };
        for mut d in part.diagnostics.drain(..) {
            d.location.source = source(d.location.source);
            for rel in d.related_mut() {
                rel.location.source = source(rel.location.source);
            }
            self.diagnostics.push(d);
        }
        self.included.append(&mut part.included);
        // The state at the end of the part is the state from here on.
        self.origin = name(part.origin);
        self.last_owner = part.last_owner.map(name);
        self.default_ttl = part.default_ttl.or(self.default_ttl);
        self.last_ttl = part.last_ttl.or(self.last_ttl);
        self.soa_minimum = self.soa_minimum.or(part.soa_minimum);
        self.last_class = part.last_class.or(self.last_class);
        self.generated += part.generated;
        Some(joined)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(p: &ParsedZone) -> (Vec<String>, Vec<String>, Vec<u32>) {
        let z = &p.zone;
        let records = z
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let target = z.target(r).map(|t| z.name(t)).unwrap_or_default();
                // Every kind of data, with the names in it, as the zone holds it.
                let data = match r.data() {
                    RecordData::Mx(k) => format!("{:?} {}", z.mx[k as usize].0, target),
                    RecordData::Srv(k) => {
                        let srv = z.srv[k as usize];
                        let n = z.name(srv.target);
                        format!("{} {} {} {n}", srv.priority, srv.weight, srv.port)
                    }
                    RecordData::Soa(k) => {
                        let soa = z.soa[k as usize];
                        let (m, h) = (z.name(soa.mname), z.name(soa.rname));
                        format!("{m} {h} {} {}", soa.serial, soa.minimum)
                    }
                    RecordData::Other(k) => format!("{:x}", z.rdata_hashes[k as usize]),
                    _ => format!("{:?} {}", z.address(r), target),
                };
                format!(
                    "{} {} {} {} {:?} {} {} flags {:#x}",
                    z.name(r.owner),
                    r.rtype,
                    z.class_of(r),
                    r.ttl,
                    r.span,
                    z.source_of(i),
                    data,
                    r.flags
                )
            })
            .collect();
        let diags = p
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{} {:?} {} {}",
                    d.code,
                    d.location,
                    d.message,
                    p.sources.display(d.location.source)
                )
            })
            .chain([format!("unvalidated {}", p.zone.unvalidated)])
            .collect();
        (
            records,
            diags,
            p.sources.files[0].line_starts().iter_from(0).collect(),
        )
    }

    #[test]
    fn parts_join_to_the_sequential_result() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("inc.db"),
            "inc IN A 192.0.2.99\n\tIN TXT \"from include\"\n",
        )
        .unwrap();
        // No `$ORIGIN` first: the first part's names hang under the real origin, never
        // under a stand-in.
        let mut text =
            String::from("@ IN SOA ns h ( 1 2 3 4 60 )\n  IN NS ns\nns IN A 192.0.2.1\n");
        for i in 0..400 {
            match i % 23 {
                0 => text.push_str("$TTL 300\n"),
                5 => text.push_str(&format!("$ORIGIN sub{i}.example.\n")),
                7 => text.push_str("multi IN TXT ( \"a\"\nb\n \"c\" )\n"),
                9 => text.push_str("$INCLUDE inc.db\n"),
                11 => text.push_str("bad..name IN A 192.0.2.3\n\tIN A 192.0.2.4\n"),
                13 => text.push_str(&format!("t{i} 77 CH A 192.0.2.5\n")),
                17 => text.push_str("$ORIGIN example.\n"),
                _ => {}
            }
            text.push_str(&format!(
                "h{i} 600 IN A 10.0.{}.{}\n\tAAAA 2001:db8::{i:x}\n\tMX 10 @\n",
                i / 250,
                i % 250
            ));
            text.push_str(&format!("c{i} CNAME h{i}\nq{i} TXT \"open\n"));
        }
        let path = dir.path().join("example.zone");
        std::fs::write(&path, &text).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let policy = IncludePolicy {
            allowed_roots: vec![dir.path().canonicalize().unwrap()],
            ..Default::default()
        };
        let run_with = |parts, carry_on, joining| {
            parse_in_parts(
                &path,
                "example.zone".into(),
                "example.",
                OriginSource::Argument,
                &policy,
                &meta,
                parts,
                carry_on,
                joining,
            )
            .unwrap()
        };
        let (whole, joins) = run_with(1, CarryOn::Never, Joining::Adopt);
        assert_eq!(joins.total(), 0);
        let sequential = summary(&whole);
        assert!(sequential.0.len() > 1000 && sequential.1.len() > 100);
        let joinings = [Joining::Reroot, Joining::Adopt];
        let (each, _) = assert_split_parses_as_a_whole(dir.path(), &text, &policy, 13, &joinings);
        // Every part begins below an absolute `$ORIGIN` line, or the file's origin: each
        // guess holds, and every part is joined the way asked for.
        let [reroot, adopt] = &each[..] else {
            unreachable!()
        };
        assert!(
            reroot.joins.rerooted >= 10 && reroot.joins.adopted == 0,
            "{reroot:?}"
        );
        assert!(
            adopt.joins.adopted >= 10 && adopt.joins.rerooted == 0,
            "{adopt:?}"
        );
        assert_eq!(
            (reroot.parsed_again, adopt.parsed_again),
            (0, 0),
            "a part fell back"
        );
        // On one thread nothing is stolen: the first part's parser carries on through
        // every cut (some inside records) and nothing is joined.
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        for parts in [2, 5, 13] {
            let (zone, joins) =
                one.install(|| run_with(parts, CarryOn::WhileUnclaimed, Joining::Adopt));
            assert_eq!(joins.total(), 0, "{parts} parts carried on");
            let carried = summary(&zone);
            assert_eq!(carried.0, sequential.0, "records through {parts} parts");
            assert_eq!(carried.1, sequential.1, "findings through {parts} parts");
            assert_eq!(carried.2, sequential.2, "line starts through {parts} parts");
        }
    }

    /// A file where the parts' guesses about the state at their start often fail: an
    /// invalid owner followed by records that inherit it, class changes that blank
    /// classes inherit, records without a TTL and an SOA (which supplies the last-resort
    /// TTL) only half-way through. Every way of cutting it must parse as the whole file
    /// does, by joining where the guesses held and parsing again where they did not.
    #[test]
    fn failed_guesses_parse_as_the_whole_file_does() {
        let dir = tempfile::tempdir().unwrap();
        // Without `$TTL` the SOA's minimum is the TTL of the records before and after
        // it; with one, the part holding the second SOA can be joined too.
        let mut parsed_again = 0;
        for head in ["", "$TTL 300\n@ IN SOA ns h1 1 2 3 4 60\n"] {
            let mut text = format!("{head}ns IN A 192.0.2.1\n");
            for i in 0..300 {
                if i % 3 == 0 {
                    // Records of class CH, then an invalid owner and a valid one whose
                    // records take their class from them (the zone's class is IN).
                    text.push_str(&format!("cls{i} CH TXT \"x\"\n\tTXT \"y\"\n"));
                    text.push_str("bad..name A 192.0.2.3\n\tA 192.0.2.4\n");
                    text.push_str(&format!("inherits{i} TXT \"class CH\"\n"));
                }
                if i == 150 {
                    text.push_str("@ IN SOA ns h120 1 2 3 4 60\n");
                }
                text.push_str(&format!(
                    "h{i} IN A 10.0.0.{}\n\tAAAA 2001:db8::{i:x}\n\tMX {i} h{}\n",
                    i % 250,
                    i / 2
                ));
                if i % 5 == 0 {
                    text.push_str(&format!(
                        "_s{i}._tcp IN SRV 1 2 {i} h{}\n\tTXT \"t{i}\"\n\tX25 \"3110617{:02}\"\n",
                        i / 3,
                        i % 100
                    ));
                }
            }
            let (each, unvalidated) = assert_split_parses_as_a_whole(
                dir.path(),
                &text,
                &IncludePolicy::default(),
                40,
                &[Joining::Reroot, Joining::Adopt],
            );
            assert!(each.iter().all(|c| c.joins.total() > 0), "{each:?}");
            assert!(
                unvalidated > 0,
                "the X25 records are counted as read by no validator"
            );
            parsed_again += each.iter().map(|c| c.parsed_again).sum::<usize>();
        }
        assert!(parsed_again > 0, "every guess held");
    }

    #[test]
    fn the_origin_before_a_cut_is_the_last_origin_line_in_reach() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z");
        let guess = |text: &str, window: usize| {
            std::fs::write(&path, text).unwrap();
            origin_before(&path, text.len(), window).unwrap()
        };
        let absolute = |name: &str| OriginBefore::Absolute(name.to_string());
        assert_eq!(
            guess("a A 192.0.2.1\nb A 192.0.2.2\n", 1 << 20),
            OriginBefore::Unchanged
        );
        assert_eq!(guess("", 1 << 20), OriginBefore::Unchanged);
        // The last one counts, at the very start too, in any case, with a comment.
        let two = "$ORIGIN a.example.\nx A 192.0.2.1\n$origin\tB.example. ; b\ny A 192.0.2.2\n";
        assert_eq!(guess(two, 1 << 20), absolute("B.example."));
        assert_eq!(guess(&two[..19], 1 << 20), absolute("a.example."));
        // Only what the window reaches: here the first line alone.
        let far = format!("$ORIGIN a.example.\n{}", "x A 192.0.2.1\n".repeat(100));
        assert_eq!(guess(&far, far.len()), absolute("a.example."));
        assert_eq!(guess(&far, far.len() - 1), OriginBefore::Unchanged);
        // A relative name, none, or one that is no plain name: unknown.
        assert_eq!(
            guess("$ORIGIN a.example.\n$ORIGIN sub\n", 99),
            OriginBefore::Unknown
        );
        assert_eq!(guess("$ORIGIN\n", 99), OriginBefore::Unknown);
        assert_eq!(guess("$ORIGIN ;x.\n", 99), OriginBefore::Unknown);
        assert_eq!(guess("$ORIGIN a\\.b.\n", 99), OriginBefore::Unknown);
        assert_eq!(guess("$ORIGIN (a.)\n", 99), OriginBefore::Unknown);
        // Nothing at or after the cut is read.
        let after = format!("{far}$ORIGIN b.example.\n");
        std::fs::write(&path, &after).unwrap();
        for window in [far.len(), far.len() - 1, 20] {
            assert_ne!(
                origin_before(&path, far.len(), window).unwrap(),
                absolute("b.example."),
                "a window of {window}"
            );
        }
        // Not a directive: one indented, another word, one in a comment.
        for line in [
            " $ORIGIN a.\n",
            "$ORIGINS a.\n",
            "; $ORIGIN a.\n",
            "x $ORIGIN a.\n",
        ] {
            assert_eq!(guess(line, 99), OriginBefore::Unchanged, "{line}");
        }
    }

    #[test]
    fn reverse_zones_take_their_parts_names_over() {
        for origin in [
            "0.10.in-addr.arpa.",
            "8.B.D.0.1.0.0.2.IP6.ARPA.",
            "0/26.2.0.192.in-addr.arpa",
        ] {
            assert_eq!(Joining::for_origin(origin), Joining::Adopt, "{origin}");
        }
        for origin in ["example.", "arpa.example.", "example.arpanet."] {
            assert_eq!(Joining::for_origin(origin), Joining::Reroot, "{origin}");
        }
    }

    /// An `$ORIGIN` line inside a record misleads the guess: parts below it are joined
    /// by entering their names again, or, where they wrote names in full below the
    /// wrong guess, parsed again; all as the whole file parses.
    #[test]
    fn a_wrong_origin_guess_costs_time_not_names() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from("$ORIGIN example.\n@ IN SOA ns h 1 2 3 4 60\n");
        for i in 0..300 {
            text.push_str(&format!("h{i} A 10.0.{}.{}\n", i / 250, i % 250));
            match i % 50 {
                10 => text.push_str(&format!("q{i} TXT ( \"a\"\n$ORIGIN fake.\n\"b\" )\n")),
                30 => text.push_str(&format!("r{i} CNAME t{i}.fake.\n")),
                _ => text.push_str(&format!("c{i} CNAME h{i}.example.\n")),
            }
        }
        let policy = IncludePolicy::default();
        let (each, _) =
            assert_split_parses_as_a_whole(dir.path(), &text, &policy, 60, &[Joining::Adopt]);
        let Cuttings {
            joins,
            parsed_again,
        } = &each[0];
        assert!(joins.adopted > 0 && joins.rerooted > 0, "{joins:?}");
        assert!(*parsed_again > 0, "every part was joined");
    }

    /// What cutting a file every way gave: the parts joined, each way, and in how many
    /// cuttings a failed guess had the rest parsed again.
    #[derive(Default, Debug)]
    struct Cuttings {
        joins: Joins,
        parsed_again: usize,
    }

    /// Parses `text` cut into 2 to `most` parts, each part on its own (no carrying on),
    /// joining them each of `joinings`' ways, and checks each gives the records,
    /// findings and line starts of the whole file. Returns what the cuttings gave, by
    /// way of joining, and how many records no validator read.
    fn assert_split_parses_as_a_whole(
        dir: &std::path::Path,
        text: &str,
        policy: &IncludePolicy,
        most: usize,
        joinings: &[Joining],
    ) -> (Vec<Cuttings>, usize) {
        let path = dir.join("example.zone");
        std::fs::write(&path, text).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let run = |parts, joining| {
            parse_in_parts(
                &path,
                "example.zone".into(),
                "example.",
                OriginSource::Argument,
                policy,
                &meta,
                parts,
                CarryOn::Never,
                joining,
            )
            .unwrap()
        };
        let whole = run(1, Joining::Reroot).0;
        let sequential = summary(&whole);
        let mut each = Vec::new();
        for &joining in joinings {
            let mut got = Cuttings::default();
            for parts in 2..=most {
                let (zone, joins) = run(parts, joining);
                let cuts = cut_points(&mut std::fs::File::open(&path).unwrap(), meta.len(), parts)
                    .unwrap()
                    .len();
                got.joins.adopted += joins.adopted;
                got.joins.rerooted += joins.rerooted;
                got.parsed_again += usize::from(joins.total() < cuts);
                let split = summary(&zone);
                assert_eq!(split.0, sequential.0, "records, {parts} parts, {joining:?}");
                assert_eq!(
                    split.1, sequential.1,
                    "findings, {parts} parts, {joining:?}"
                );
                assert_eq!(split.2, sequential.2, "lines, {parts} parts, {joining:?}");
            }
            each.push(got);
        }
        (each, whole.zone.unvalidated)
    }

    /// A part's names are given back while they are re-rooted: parts large enough to
    /// give back many pages of names join as the whole file parses, names that point
    /// back to names of earlier parts among them.
    #[test]
    fn parts_whose_names_are_given_back_while_joined_parse_as_a_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from("$ORIGIN example.\n$TTL 300\n@ IN SOA ns h 1 2 3 4 5\n");
        for i in 0..3000 {
            text.push_str(&format!(
                "host-{i}.site-{}.example. IN A 10.0.{}.{}\n",
                i % 40,
                i / 250,
                i % 250
            ));
            text.push_str(&format!(
                "alias-{i} IN CNAME host-{}.site-{}\n",
                i / 2,
                (i / 2) % 40
            ));
        }
        let policy = IncludePolicy::default();
        let (each, _) =
            assert_split_parses_as_a_whole(dir.path(), &text, &policy, 4, &[Joining::Reroot]);
        assert!(each[0].joins.rerooted >= 3, "{each:?}");
    }

    /// The zone's `$GENERATE` budget holds across the parts of a split file: each part
    /// counts only its own lines, so the line the whole file refuses is refused wherever
    /// the file is cut.
    #[test]
    fn the_generate_budget_is_the_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from("ns IN A 192.0.2.1\n");
        for i in 0..200 {
            text.push_str(&format!("h{i} IN A 10.0.0.{}\n", i % 250));
            if i % 10 == 0 {
                text.push_str(&format!("$GENERATE 1-20 g{i}-$ A 10.1.{}.$\n", i / 10));
            }
        }
        let policy = IncludePolicy {
            max_generated: Some(150),
            ..Default::default()
        };
        let joinings = [Joining::Reroot, Joining::Adopt];
        let (each, _) = assert_split_parses_as_a_whole(dir.path(), &text, &policy, 40, &joinings);
        assert!(each.iter().all(|c| c.joins.total() > 0), "{each:?}");
    }
}
