//! One zone's records in flat arrays, and the set of zones a run checks.

use super::names::{NameId, NameTable};
use crate::rr::rdata::{Soa, Srv};
use crate::rr::{RClass, RType};
use crate::source::Sources;
use crate::span::Span;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The typed part of a record. Larger values live in side tables of the zone so that a
/// record stays small.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordData {
    A(Ipv4Addr),
    /// Index into [`Zone::aaaa`].
    Aaaa(u32),
    /// NS, CNAME, PTR, DNAME target.
    Name(NameId),
    /// Index into [`Zone::mx`].
    Mx(u32),
    /// Index into [`Zone::srv`].
    Srv(u32),
    /// Index into [`Zone::soa`].
    Soa(u32),
    /// Any other type: index into [`Zone::rdata_hashes`], a hash of its RDATA fields
    /// (the text itself stays in the file).
    Other(u32),
}

/// One record, in 24 bytes: a million-record zone holds its records in 24 MB. The
/// class is an index into the zone's few classes ([`Zone::class_of`]) and the kind of
/// [`RecordData`] sits in the top bits of `flags` beside its 32-bit value
/// ([`Record::data`]).
#[derive(Clone, Copy, Debug)]
pub struct Record {
    pub owner: NameId,
    pub rtype: RType,
    /// Index into the zone's classes ([`Zone::class_of`]).
    class: u8,
    pub flags: u8,
    pub ttl: u32,
    /// The whole record; for `$GENERATE` output, the `$GENERATE` line. Which file it is
    /// in is kept per run of records ([`Zone::source_of`]).
    pub span: Span,
    /// The value of [`RecordData`], whose kind is in `flags`' top bits.
    value: u32,
}

const _: () = assert!(std::mem::size_of::<Record>() == 24);
// The flags and the kind of data share a byte without overlapping.
const _: () = assert!(
    (Record::GENERATED
        | Record::TTL_UNRESOLVED
        | Record::TTL_LOCAL_LAST
        | Record::CLASS_UNRESOLVED
        | Record::SPF_TEXT)
        & Record::KIND
        == 0
);

impl Record {
    pub const GENERATED: u8 = 1;
    /// Set only while a split file's parts are parsed (see `syntax::split`): the TTL or
    /// class depends on lines before the part; with `TTL_LOCAL_LAST`, `ttl` holds the
    /// part's own last explicit TTL.
    pub const TTL_UNRESOLVED: u8 = 2;
    pub const TTL_LOCAL_LAST: u8 = 4;
    pub const CLASS_UNRESOLVED: u8 = 8;
    /// A TXT record that may be an SPF record (its text starts `v=spf1`): the SPF rules
    /// read only these from their files again.
    pub const SPF_TEXT: u8 = 16;
    /// The bits of `flags` that hold the kind of data (the others are the flags above).
    const KIND: u8 = 0b1110_0000;

    /// A record of class index 0 (see [`Zone::push_record`], which sets the class).
    pub fn new(
        owner: NameId,
        rtype: RType,
        ttl: u32,
        span: Span,
        data: RecordData,
        flags: u8,
    ) -> Record {
        let mut r = Record {
            owner,
            rtype,
            class: 0,
            flags: flags & !Record::KIND,
            ttl,
            span,
            value: 0,
        };
        r.set_data(data);
        r
    }

    pub fn data(&self) -> RecordData {
        let v = self.value;
        match self.flags >> 5 {
            0 => RecordData::A(Ipv4Addr::from(v)),
            1 => RecordData::Aaaa(v),
            2 => RecordData::Name(NameId(v)),
            3 => RecordData::Mx(v),
            4 => RecordData::Srv(v),
            5 => RecordData::Soa(v),
            _ => RecordData::Other(v),
        }
    }

    pub fn set_data(&mut self, data: RecordData) {
        let (kind, value) = match data {
            RecordData::A(a) => (0, u32::from(a)),
            RecordData::Aaaa(i) => (1, i),
            RecordData::Name(n) => (2, n.0),
            RecordData::Mx(i) => (3, i),
            RecordData::Srv(i) => (4, i),
            RecordData::Soa(i) => (5, i),
            RecordData::Other(i) => (6, i),
        };
        self.flags = (self.flags & !Record::KIND) | (kind << 5);
        self.value = value;
    }
}

/// Where a zone's origin came from; the message for a guessed origin says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OriginSource {
    /// `PATH=ORIGIN`, `--origin`, `[origins]` in zonelint.toml, or the inventory.
    Argument,
    /// A server configuration's zone statement.
    Config,
    /// A `$ORIGIN` before the first record (or the SOA owner relative to it).
    Directive,
    /// An SOA record whose owner is absolute.
    SoaOwner,
    /// The header of a Windows DNS export.
    Header,
    /// A guess from the file name that the file does not contradict.
    FileName,
    /// None could be found, or the file contradicted the guess: the zone's records are
    /// not checked and it answers for no names.
    Unknown,
}

impl OriginSource {
    /// Whether the origin is known well enough for the zone to be checked and to
    /// answer for names.
    pub fn is_known(self) -> bool {
        self != OriginSource::Unknown
    }
}

pub struct Zone {
    pub origin: NameId,
    pub origin_source: OriginSource,
    /// Split horizon: an internal zone may publish inside addresses.
    pub view: crate::inventory::View,
    /// The server configuration's view the zone belongs to; names resolve within it.
    pub view_name: Option<String>,
    /// The file named on the command line or found in a directory.
    pub source: u32,
    /// Every source the zone read (itself first, then `$INCLUDE`d files).
    pub sources: Vec<u32>,
    /// (index of the first record, source) for each run of records from one file, in
    /// record order.
    pub source_runs: Vec<(u32, u32)>,
    pub names: NameTable,
    pub records: Vec<Record>,
    pub aaaa: Vec<Ipv6Addr>,
    pub mx: Vec<(u16, NameId)>,
    pub srv: Vec<Srv>,
    pub soa: Vec<Soa>,
    pub rdata_hashes: Vec<u64>,
    /// The classes of the zone's records (nearly always one); a record holds an index
    /// into them. Past 255 classes (never in a real zone), [`Zone::class_overflow`].
    classes: Vec<crate::rr::RClass>,
    /// The class of each record whose class did not fit in `classes`, by index.
    class_overflow: std::collections::HashMap<u32, crate::rr::RClass>,
    /// Records whose type zonelint accepted without a validator.
    pub unvalidated: usize,
    /// The first record, when neither it nor a `$TTL` before it gave a TTL, and the
    /// TTL zonelint took for it (the SOA minimum when the record is the SOA).
    pub implicit_ttl: Option<(crate::diagnostic::Location, u32)>,
}

impl Zone {
    pub fn new(origin: NameId, names: NameTable, source: u32) -> Zone {
        Zone {
            origin,
            origin_source: OriginSource::Unknown,
            view: crate::inventory::View::External,
            view_name: None,
            source,
            sources: vec![source],
            source_runs: Vec::new(),
            names,
            records: Vec::new(),
            aaaa: Vec::new(),
            mx: Vec::new(),
            srv: Vec::new(),
            soa: Vec::new(),
            rdata_hashes: Vec::new(),
            classes: Vec::new(),
            class_overflow: std::collections::HashMap::new(),
            unvalidated: 0,
            implicit_ttl: None,
        }
    }

    /// Appends a record of `class` read from `source`.
    /// Gives back the room the zone's arrays grew beyond what they hold: a zone is kept
    /// until the run ends, and an array grown by doubling holds up to twice its items
    /// (the AAAA addresses and data hashes of a million-record zone left 2.5 MiB
    /// unused).
    pub fn shrink_to_fit(&mut self) {
        self.names.shrink_to_fit();
        self.records.shrink_to_fit();
        self.aaaa.shrink_to_fit();
        self.mx.shrink_to_fit();
        self.srv.shrink_to_fit();
        self.soa.shrink_to_fit();
        self.rdata_hashes.shrink_to_fit();
        self.source_runs.shrink_to_fit();
    }

    pub fn push_record(&mut self, mut record: Record, class: RClass, source: u32) {
        if self.source_runs.last().is_none_or(|&(_, s)| s != source) {
            self.source_runs.push((self.records.len() as u32, source));
        }
        self.set_class(&mut record, self.records.len(), class);
        self.records.push(record);
    }

    /// Gives `record`, the zone's record number `index`, the class `class`.
    pub fn set_class(&mut self, record: &mut Record, index: usize, class: RClass) {
        const OVERFLOW: u8 = u8::MAX;
        let k = match self.classes.iter().position(|&c| c == class) {
            Some(k) => k as u8,
            None if self.classes.len() < usize::from(OVERFLOW) => {
                self.classes.push(class);
                (self.classes.len() - 1) as u8
            }
            None => {
                self.class_overflow.insert(index as u32, class);
                OVERFLOW
            }
        };
        // Only a record given a class a second time can have an entry to drop; the map
        // is empty in any real zone, and hashing an index per record is not free.
        if k != OVERFLOW && !self.class_overflow.is_empty() {
            self.class_overflow.remove(&(index as u32));
        }
        record.class = k;
    }

    /// The class of the record, the zone's record number `index`.
    pub fn class_at(&self, record: &Record, index: usize) -> RClass {
        match self.classes.get(usize::from(record.class)) {
            Some(&c) => c,
            None => self
                .class_overflow
                .get(&(index as u32))
                .copied()
                .unwrap_or(RClass::IN),
        }
    }

    /// The class of one of the zone's records.
    pub fn class_of(&self, record: &Record) -> RClass {
        self.class_at(record, self.index_of(record))
    }

    /// Gives the zone's sources the ids `new` maps them to: a zone parsed on its own
    /// numbers its files from 0, a zone set numbers all files once.
    pub fn renumber_sources(&mut self, new: impl Fn(u32) -> u32) {
        self.source = new(self.source);
        for s in &mut self.sources {
            *s = new(*s);
        }
        for run in &mut self.source_runs {
            run.1 = new(run.1);
        }
        if let Some((at, _)) = &mut self.implicit_ttl {
            at.source = new(at.source);
        }
    }

    /// The source a record was read from, by its index.
    pub fn source_of(&self, index: usize) -> u32 {
        let run = self
            .source_runs
            .partition_point(|&(first, _)| first as usize <= index);
        self.source_runs
            .get(run.wrapping_sub(1))
            .map_or(self.source, |&(_, s)| s)
    }

    /// The index of a record borrowed from [`Zone::records`].
    pub fn index_of(&self, r: &Record) -> usize {
        let offset = (r as *const Record as usize).wrapping_sub(self.records.as_ptr() as usize);
        let index = offset / std::mem::size_of::<Record>();
        debug_assert!(index < self.records.len(), "record not from this zone");
        index
    }

    /// Where a record borrowed from [`Zone::records`] is.
    pub fn location(&self, r: &Record) -> crate::diagnostic::Location {
        crate::diagnostic::Location {
            source: self.source_of(self.index_of(r)),
            span: r.span,
        }
    }

    /// The zone's class: that of its SOA, else of its first record, else IN.
    pub fn class(&self) -> crate::rr::RClass {
        self.records
            .iter()
            .find(|r| r.rtype == RType::SOA)
            .or(self.records.first())
            .map_or(crate::rr::RClass::IN, |r| self.class_of(r))
    }

    pub fn origin_text(&self) -> String {
        self.names.display(self.origin)
    }

    pub fn name(&self, id: NameId) -> String {
        self.names.display(id)
    }

    /// The record's address, for A and AAAA.
    pub fn address(&self, r: &Record) -> Option<IpAddr> {
        match r.data() {
            RecordData::A(a) => Some(IpAddr::V4(a)),
            RecordData::Aaaa(i) => Some(IpAddr::V6(self.aaaa[i as usize])),
            _ => None,
        }
    }

    /// The domain name a record points at (NS, CNAME, PTR, DNAME, MX, SRV).
    pub fn target(&self, r: &Record) -> Option<NameId> {
        match r.data() {
            RecordData::Name(n) => Some(n),
            RecordData::Mx(i) => Some(self.mx[i as usize].1),
            RecordData::Srv(i) => Some(self.srv[i as usize].target),
            _ => None,
        }
    }

    pub fn soa_of(&self, r: &Record) -> Option<&Soa> {
        match r.data() {
            RecordData::Soa(i) => Some(&self.soa[i as usize]),
            _ => None,
        }
    }

    /// A key that is equal for two records exactly when their RDATA is equal: names are
    /// compared case-insensitively through interning, other types by a hash of their
    /// fields with whitespace, comments and parentheses ignored.
    pub fn rdata_key(&self, r: &Record) -> u128 {
        match r.data() {
            RecordData::A(a) => u32::from(a) as u128,
            RecordData::Aaaa(i) => u128::from(self.aaaa[i as usize]),
            RecordData::Name(n) => n.0 as u128,
            RecordData::Mx(i) => {
                let (p, n) = self.mx[i as usize];
                ((p as u128) << 32) | n.0 as u128
            }
            RecordData::Srv(i) => {
                let s = self.srv[i as usize];
                ((s.priority as u128) << 80)
                    | ((s.weight as u128) << 64)
                    | ((s.port as u128) << 48)
                    | s.target.0 as u128
            }
            RecordData::Soa(i) => {
                use std::hash::{Hash, Hasher};
                let mut h = rdata_hasher();
                self.soa[i as usize].hash(&mut h);
                h.finish() as u128
            }
            RecordData::Other(i) => self.rdata_hashes[i as usize] as u128,
        }
    }
}

/// The hasher of RDATA that records are compared by ([`Zone::rdata_key`]): SipHash
/// with keys drawn at random once a run. With fixed keys, anyone could work out
/// offline two different TXT records of the same hash, and a zone holding both would
/// be told to delete one as a duplicate; with keys no one knows, such a pair is as
/// unlikely as any other (one in 2^64).
pub(crate) fn rdata_hasher() -> std::hash::DefaultHasher {
    use std::hash::BuildHasher;
    static KEYS: std::sync::OnceLock<std::hash::RandomState> = std::sync::OnceLock::new();
    KEYS.get_or_init(std::hash::RandomState::new).build_hasher()
}

/// The forward zones (those not in `reverse`) into which no other zone of `zones`
/// reaches: no other zone's table holds the zone's origin, so no name of another zone
/// lies in it. A zone that another reaches is looked up by name for each name
/// translated into it (a PTR target, a CNAME or NS target in another zone: see
/// `Translator::translate`), and keeps its index. One that none reaches is looked up by
/// name seldom (wildcards, the inventory's domains): it gives its index back.
///
/// Each zone is asked of every other, one lookup each; past [`REACH_CHECKS`] lookups in
/// all (thousands of zones), every zone keeps its index, as before.
fn unreached_zones(zones: &[Zone], reverse: &[(usize, ipnet::IpNet)]) -> Vec<usize> {
    let mut is_reverse = vec![false; zones.len()];
    for &(r, _) in reverse {
        is_reverse[r] = true;
    }
    let forward: Vec<usize> = (0..zones.len()).filter(|&z| !is_reverse[z]).collect();
    if forward.len().saturating_mul(zones.len()) > REACH_CHECKS {
        return Vec::new();
    }
    forward
        .into_iter()
        .filter(|&a| {
            let (names, origin) = (&zones[a].names, zones[a].origin);
            !(0..zones.len()).any(|b| b != a && zones[b].names.find_same(names, origin).is_some())
        })
        .collect()
}

/// The most lookups [`unreached_zones`] makes: at a lookup of well under a
/// microsecond, a few milliseconds.
const REACH_CHECKS: usize = 1 << 14;

/// Every zone of a run, and the sources they were read from.
pub struct ZoneSet {
    pub zones: Vec<Zone>,
    pub sources: Sources,
    /// The inventory, when one was given, and its source id (for labels in it).
    pub inventory: Option<(crate::inventory::Inventory, u32)>,
    /// Reverse zones with the network each covers.
    pub reverse: Vec<(usize, ipnet::IpNet)>,
    /// The server views the zones belong to; a zone's [`NameTable::perspective`] is
    /// an index into this list.
    pub views: Vec<String>,
    /// Zones by the hash of their origin ([`NameTable::hash_of`]); zones whose origin
    /// is unknown are left out, so they answer for no name.
    origin_hashes: hashbrown::HashMap<u32, Vec<usize>>,
    /// A bit for each number of labels an origin in `origin_hashes` has (the last bit
    /// for 127 and more): a name with none of them is no origin, which is told without
    /// its hash (worked out from its labels in a table that gave its hashes back).
    origin_depths: u128,
    /// Positions in `reverse` by network, for lookups by address.
    reverse_index: super::prefixes::PrefixTable,
}

/// The bit of [`ZoneSet::origin_depths`] for the name `id` of `names`.
fn depth_bit(names: &NameTable, id: NameId) -> u128 {
    1 << names.depth(id).min(127)
}

impl ZoneSet {
    /// The set of `zones`, ordered by file and origin so that nothing a run reports
    /// depends on the order of its arguments.
    pub fn new(mut zones: Vec<Zone>, sources: Sources) -> ZoneSet {
        zones.sort_by_cached_key(|z| {
            (
                sources.get(z.source).display.clone(),
                z.origin_text(),
                z.view_name.clone(),
            )
        });
        let mut views: Vec<String> = zones.iter().filter_map(|z| z.view_name.clone()).collect();
        views.sort();
        views.dedup();
        for z in &mut zones {
            z.names.perspective = z
                .view_name
                .as_ref()
                .and_then(|v| views.binary_search(v).ok())
                .map(|i| i as u32);
        }
        let reverse: Vec<(usize, ipnet::IpNet)> = zones
            .iter()
            .enumerate()
            .filter(|(_, z)| z.origin_source.is_known())
            .filter_map(|(i, z)| super::reverse::zone_prefix(&z.names, z.origin).map(|p| (i, p)))
            .collect();
        // A reverse zone's names are found by address (the PTR table), seldom by name:
        // the memory of their hash index goes back now, and a lookup by name builds
        // it again. So does that of a forward zone that no other zone of the set
        // reaches into (see `unreached_zones`).
        let unreached = unreached_zones(&zones, &reverse);
        for z in reverse.iter().map(|&(z, _)| z).chain(unreached) {
            zones[z].names.release_index();
        }
        let mut origin_hashes: hashbrown::HashMap<u32, Vec<usize>> = hashbrown::HashMap::new();
        let mut origin_depths = 0;
        for (i, z) in zones.iter().enumerate() {
            if z.origin_source.is_known() {
                origin_hashes
                    .entry(z.names.hash_of(z.origin))
                    .or_default()
                    .push(i);
                origin_depths |= depth_bit(&z.names, z.origin);
            }
        }
        let reverse_index = super::prefixes::PrefixTable::new(
            reverse.iter().enumerate().map(|(k, &(_, p))| (p, k)),
        );
        ZoneSet {
            zones,
            sources,
            inventory: None,
            reverse,
            views,
            origin_hashes,
            origin_depths,
            reverse_index,
        }
    }

    /// The zone holding the name `id` of table `names` (the one with the longest origin
    /// at or above it), without building the name's text.
    pub fn zone_holding(&self, names: &NameTable, id: NameId) -> Option<usize> {
        std::iter::once(id)
            .chain(names.ancestors(id))
            .find_map(|a| self.zone_with_origin(names, a))
    }

    /// The zone whose origin is exactly the name `id` of table `names`, as seen from
    /// the table's view: that view's zone first, then a zone in no view. Seen from no
    /// view (the internet), a zone in no view answers first, then an external one;
    /// among equals the first in file order.
    pub fn zone_with_origin(&self, names: &NameTable, id: NameId) -> Option<usize> {
        use crate::inventory::View;
        let rank = |z: usize| -> Option<u8> {
            let zone = &self.zones[z];
            let view = zone.names.perspective;
            match names.perspective {
                Some(v) if view == Some(v) => Some(0),
                Some(_) if view.is_none() => Some(1),
                Some(_) => None,
                None => Some(u8::from(view.is_some()) * 2 + u8::from(zone.view == View::Internal)),
            }
        };
        if self.origin_depths & depth_bit(names, id) == 0 {
            return None;
        }
        self.origin_hashes
            .get(&names.hash_of(id))?
            .iter()
            .copied()
            .filter(|&z| {
                let zone = &self.zones[z];
                zone.names.same_name(zone.origin, names, id)
            })
            .filter_map(|z| rank(z).map(|r| (r, z)))
            .min()
            .map(|(_, z)| z)
    }

    /// The other zones of the set with the same origin as zone `z` (in any view).
    pub fn same_origin(&self, z: usize) -> impl Iterator<Item = usize> + '_ {
        let zone = &self.zones[z];
        self.origin_hashes
            .get(&zone.names.hash_of(zone.origin))
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&o| {
                o != z && {
                    let other = &self.zones[o];
                    other
                        .names
                        .same_name(other.origin, &zone.names, zone.origin)
                }
            })
    }

    /// The zone that holds `name` (absolute presentation text).
    pub fn zone_for(&self, name: &str) -> Option<usize> {
        let mut names = NameTable::new();
        let id = names.intern_text(name, NameId::ROOT)?;
        self.zone_holding(&names, id)
    }

    /// The reverse zone with the longest prefix covering `address`.
    ///
    /// Among zones of the same network the internet's copy answers: one in no view,
    /// then one in an external view.
    pub fn reverse_zone_for(&self, address: IpAddr) -> Option<usize> {
        let mut holders = self
            .reverse_index
            .matching(address)
            .map(|k| self.reverse[k])
            .peekable();
        let len = holders.peek()?.1.prefix_len();
        holders
            .take_while(|(_, p)| p.prefix_len() == len)
            .map(|(z, _)| z)
            .min_by_key(|&z| {
                let zone = &self.zones[z];
                (
                    zone.view_name.is_some(),
                    zone.view == crate::inventory::View::Internal,
                    z,
                )
            })
    }

    pub fn record_count(&self) -> usize {
        self.zones.iter().map(|z| z.records.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone_of<'s>(set: &'s ZoneSet, origin: &str) -> &'s Zone {
        set.zones
            .iter()
            .find(|z| z.origin_text() == origin)
            .unwrap()
    }

    /// Whether the index of the zone of `origin` in `set` was released.
    fn released(set: &ZoneSet, origin: &str) -> bool {
        zone_of(set, origin).names.index_released()
    }

    #[test]
    fn a_forward_zone_no_other_zone_reaches_gives_its_index_back() {
        let soa = "@ IN SOA ns h 1 2 3 4 5\n";
        let example = format!("{soa}www IN A 10.0.0.7\n");
        let other = format!(
            "{soa}mail IN A 10.0.0.9\nalias IN CNAME www.third.test.\n*.wild IN A 10.0.0.8\n"
        );
        let third = format!("{soa}www IN A 10.0.0.10\n");
        let reverse = format!("{soa}7 IN PTR www.example.\n");
        let set = crate::syntax::parser::set_of_texts(&[
            (&example, "example."),
            (&other, "other.test."),
            (&third, "third.test."),
            (&reverse, "0.0.10.in-addr.arpa."),
        ]);
        // Reached: by the PTR target, by the CNAME target. Not reached: other.test.
        assert!(!released(&set, "example."));
        assert!(!released(&set, "third.test."));
        assert!(released(&set, "other.test."));
        assert!(released(&set, "0.0.10.in-addr.arpa."));
        // Every name is still found by name in every zone.
        for zone in &set.zones {
            assert_eq!(
                zone.names.find_same(&zone.names, zone.origin),
                Some(zone.origin)
            );
        }
        let other = zone_of(&set, "other.test.");
        assert!(other.names.find_text("mail.other.test.").is_some());
        assert!(other.names.find_text("www.other.test.").is_none());
        // Its wildcard too, and none where there is none.
        let wild = other.names.find_text("wild.other.test.").unwrap();
        assert!(other.names.find_child(wild, b"*").is_some());
        assert!(other.names.find_child(other.origin, b"*").is_none());
    }

    #[test]
    fn past_the_budget_of_lookups_every_zone_keeps_its_index() {
        let texts: Vec<(String, String)> = (0..129)
            .map(|k| {
                (
                    format!("@ IN SOA ns h 1 2 3 4 5\nwww IN A 10.0.0.{}\n", k % 250),
                    format!("z{k}.test."),
                )
            })
            .collect();
        let set_of = |n: usize| {
            let pairs: Vec<(&str, &str)> = texts[..n]
                .iter()
                .map(|(t, o)| (t.as_str(), o.as_str()))
                .collect();
            crate::syntax::parser::set_of_texts(&pairs)
        };
        // 128 zones, each asked of the 128: the budget exactly. None reaches another.
        assert_eq!(128 * 128, REACH_CHECKS);
        let within = set_of(128);
        assert!(within.zones.iter().all(|z| z.names.index_released()));
        let past = set_of(129);
        assert!(past.zones.iter().all(|z| !z.names.index_released()));
    }

    #[test]
    fn rdata_is_hashed_with_the_runs_own_keys_on_every_thread() {
        use std::hash::{Hash, Hasher};
        let hash = |mut h: std::hash::DefaultHasher| {
            b"v=spf1 -all".hash(&mut h);
            h.finish()
        };
        let here = hash(rdata_hasher());
        assert_eq!(here, hash(rdata_hasher()));
        // Files are parsed on many threads: all hash alike.
        let there = std::thread::spawn(move || hash(rdata_hasher()))
            .join()
            .unwrap();
        assert_eq!(here, there);
        // Not SipHash's fixed keys, which anyone can find collisions for.
        assert_ne!(here, hash(std::hash::DefaultHasher::new()));
    }

    #[test]
    fn record_data_and_flags_share_a_byte_without_mixing() {
        let flags = Record::GENERATED | Record::SPF_TEXT | Record::CLASS_UNRESOLVED;
        let kinds = [
            RecordData::A(Ipv4Addr::new(192, 0, 2, 255)),
            RecordData::Aaaa(7),
            RecordData::Name(NameId(u32::MAX)),
            RecordData::Mx(3),
            RecordData::Srv(4),
            RecordData::Soa(5),
            RecordData::Other(u32::MAX - 1),
        ];
        for data in kinds {
            let mut r = Record::new(NameId(9), RType::TXT, 300, Span::new(1, 2), data, flags);
            assert_eq!(r.data(), data);
            assert_eq!(r.flags & !Record::KIND, flags, "{data:?}");
            r.flags &= !Record::CLASS_UNRESOLVED;
            assert_eq!(r.data(), data, "clearing a flag keeps the data");
            for other in kinds {
                r.set_data(other);
                assert_eq!(r.data(), other);
                assert_eq!(r.flags & !Record::KIND, flags & !Record::CLASS_UNRESOLVED);
            }
        }
    }

    #[test]
    fn every_class_is_kept_even_past_the_table() {
        // 300 distinct classes in one zone: the first 255 in the table, the rest beside.
        let mut zone = Zone::new(NameId::ROOT, NameTable::new(), 0);
        for k in 0..300u16 {
            let r = Record::new(
                NameId::ROOT,
                RType::A,
                0,
                Span::new(0, 0),
                RecordData::Other(0),
                0,
            );
            zone.push_record(r, RClass(1000 + k), 0);
        }
        zone.push_record(
            Record::new(
                NameId::ROOT,
                RType::A,
                0,
                Span::new(0, 0),
                RecordData::Other(0),
                0,
            ),
            RClass(1000),
            0,
        );
        for (k, r) in zone.records.iter().enumerate() {
            assert_eq!(
                zone.class_of(r),
                RClass(1000 + (k % 300) as u16),
                "record {k}"
            );
        }
        // A class moved back into the table leaves nothing beside it.
        let mut r = zone.records[299];
        zone.set_class(&mut r, 299, RClass(1000));
        assert_eq!(zone.class_at(&r, 299), RClass(1000));
        assert!(!zone.class_overflow.contains_key(&299));
    }
}
