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

#[derive(Clone, Copy, Debug)]
pub struct Record {
    pub owner: NameId,
    pub rtype: RType,
    pub class: RClass,
    pub ttl: u32,
    /// The whole record; for `$GENERATE` output, the `$GENERATE` line. Which file it is
    /// in is kept per run of records ([`Zone::source_of`]), which keeps a record at 32
    /// bytes.
    pub span: Span,
    pub data: RecordData,
    pub flags: u8,
}

const _: () = assert!(std::mem::size_of::<Record>() == 32);

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
            unvalidated: 0,
            implicit_ttl: None,
        }
    }

    /// Appends a record read from `source`.
    pub fn push_record(&mut self, record: Record, source: u32) {
        if self.source_runs.last().is_none_or(|&(_, s)| s != source) {
            self.source_runs.push((self.records.len() as u32, source));
        }
        self.records.push(record);
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
            .map_or(crate::rr::RClass::IN, |r| r.class)
    }

    pub fn origin_text(&self) -> String {
        self.names.display(self.origin)
    }

    pub fn name(&self, id: NameId) -> String {
        self.names.display(id)
    }

    /// The record's address, for A and AAAA.
    pub fn address(&self, r: &Record) -> Option<IpAddr> {
        match r.data {
            RecordData::A(a) => Some(IpAddr::V4(a)),
            RecordData::Aaaa(i) => Some(IpAddr::V6(self.aaaa[i as usize])),
            _ => None,
        }
    }

    /// The domain name a record points at (NS, CNAME, PTR, DNAME, MX, SRV).
    pub fn target(&self, r: &Record) -> Option<NameId> {
        match r.data {
            RecordData::Name(n) => Some(n),
            RecordData::Mx(i) => Some(self.mx[i as usize].1),
            RecordData::Srv(i) => Some(self.srv[i as usize].target),
            _ => None,
        }
    }

    pub fn soa_of(&self, r: &Record) -> Option<&Soa> {
        match r.data {
            RecordData::Soa(i) => Some(&self.soa[i as usize]),
            _ => None,
        }
    }

    /// A key that is equal for two records exactly when their RDATA is equal: names are
    /// compared case-insensitively through interning, other types by a hash of their
    /// fields with whitespace, comments and parentheses ignored.
    pub fn rdata_key(&self, r: &Record) -> u128 {
        match r.data {
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
                let mut h = std::hash::DefaultHasher::new();
                self.soa[i as usize].hash(&mut h);
                h.finish() as u128
            }
            RecordData::Other(i) => self.rdata_hashes[i as usize] as u128,
        }
    }
}

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
    /// Positions in `reverse` by network, for lookups by address.
    reverse_index: super::prefixes::PrefixTable,
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
        let mut origin_hashes: hashbrown::HashMap<u32, Vec<usize>> = hashbrown::HashMap::new();
        for (i, z) in zones.iter().enumerate() {
            if z.origin_source.is_known() {
                origin_hashes
                    .entry(z.names.hash_of(z.origin))
                    .or_default()
                    .push(i);
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
