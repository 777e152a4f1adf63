//! One zone's records in flat arrays, and the set of zones a run checks.

use super::names::{NameId, NameTable};
use crate::rr::rdata::{Soa, Srv};
use crate::rr::{RClass, RType};
use crate::source::Sources;
use crate::span::Span;
use std::collections::HashMap;
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
    /// Other types: compared by their RDATA text (`rdata` span, or [`Zone::generated`]).
    Text,
    /// Other types expanded from `$GENERATE`: index into [`Zone::generated`].
    GeneratedText(u32),
}

#[derive(Clone, Copy, Debug)]
pub struct Record {
    pub owner: NameId,
    pub rtype: RType,
    pub class: RClass,
    pub ttl: u32,
    /// Global source index (see [`Sources`]).
    pub source: u32,
    /// The whole record; for `$GENERATE` output, the `$GENERATE` line.
    pub span: Span,
    /// The RDATA text.
    pub rdata: Span,
    pub data: RecordData,
    pub flags: u8,
}

impl Record {
    pub const GENERATED: u8 = 1;
    pub const OWNER_INHERITED: u8 = 2;

    pub fn location(&self) -> crate::diagnostic::Location {
        crate::diagnostic::Location {
            source: self.source,
            span: self.span,
        }
    }
}

/// Where a zone's origin came from; the message for a guessed origin says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OriginSource {
    Argument,
    Directive,
    SoaOwner,
    FileName,
    /// None could be found; the zone was read relative to the root.
    Unknown,
}

pub struct Zone {
    pub origin: NameId,
    pub origin_source: OriginSource,
    /// The file named on the command line or found in a directory.
    pub source: u32,
    /// Every source the zone read (itself first, then `$INCLUDE`d files).
    pub sources: Vec<u32>,
    pub names: NameTable,
    pub records: Vec<Record>,
    pub aaaa: Vec<Ipv6Addr>,
    pub mx: Vec<(u16, NameId)>,
    pub srv: Vec<Srv>,
    pub soa: Vec<Soa>,
    pub generated: Vec<String>,
    /// Records whose type zonelint accepted without a validator.
    pub unvalidated: usize,
}

impl Zone {
    pub fn new(origin: NameId, names: NameTable, source: u32) -> Zone {
        Zone {
            origin,
            origin_source: OriginSource::Unknown,
            source,
            sources: vec![source],
            names,
            records: Vec::new(),
            aaaa: Vec::new(),
            mx: Vec::new(),
            srv: Vec::new(),
            soa: Vec::new(),
            generated: Vec::new(),
            unvalidated: 0,
        }
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

    /// A key that is equal for two records exactly when their RDATA is equal (names
    /// compared case-insensitively through interning, other text token by token).
    pub fn rdata_key(&self, r: &Record, sources: &Sources) -> RdataKey {
        match r.data {
            RecordData::A(a) => RdataKey::Bits(u32::from(a) as u128),
            RecordData::Aaaa(i) => RdataKey::Bits(u128::from(self.aaaa[i as usize])),
            RecordData::Name(n) => RdataKey::Bits(n.0 as u128),
            RecordData::Mx(i) => {
                let (p, n) = self.mx[i as usize];
                RdataKey::Bits(((p as u128) << 32) | n.0 as u128)
            }
            RecordData::Srv(i) => {
                let s = self.srv[i as usize];
                RdataKey::Bits(
                    ((s.priority as u128) << 80)
                        | ((s.weight as u128) << 64)
                        | ((s.port as u128) << 48)
                        | s.target.0 as u128,
                )
            }
            RecordData::Soa(i) => {
                let s = self.soa[i as usize];
                RdataKey::Text(format!("{:?}", s))
            }
            RecordData::Text => {
                RdataKey::Text(normalise_rdata(&sources.text(r.source)[r.rdata.range()]))
            }
            RecordData::GeneratedText(i) => {
                RdataKey::Text(normalise_rdata(self.generated[i as usize].as_bytes()))
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RdataKey {
    Bits(u128),
    Text(String),
}

/// RDATA text with comments and parentheses removed and whitespace collapsed, so that
/// the same data laid out differently compares equal.
pub fn normalise_rdata(text: &[u8]) -> String {
    use crate::syntax::lexer::{Lexer, TokenKind};
    let mut out = Vec::with_capacity(text.len());
    for t in Lexer::new(text) {
        match t.kind {
            TokenKind::Word | TokenKind::Quoted { .. } => {
                if !out.is_empty() {
                    out.push(b' ');
                }
                out.extend_from_slice(&text[t.span.range()]);
            }
            _ => {}
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every zone of a run, and the sources they were read from.
pub struct ZoneSet {
    pub zones: Vec<Zone>,
    pub sources: Sources,
    /// Zones by origin text, for finding which zone holds a name.
    pub by_origin: HashMap<String, usize>,
}

impl ZoneSet {
    pub fn new(zones: Vec<Zone>, sources: Sources) -> ZoneSet {
        let by_origin = zones
            .iter()
            .enumerate()
            .map(|(i, z)| (z.origin_text(), i))
            .collect();
        ZoneSet {
            zones,
            sources,
            by_origin,
        }
    }

    pub fn record_count(&self) -> usize {
        self.zones.iter().map(|z| z.records.len()).sum()
    }
}
