//! Indices over one zone, built once and shared by every rule: records sorted into
//! RRsets, which names exist, and where the zone cuts and DNAMEs are.

use super::names::{NameId, NameTable};
use super::zone::{Record, Zone, ZoneSet};
use crate::rr::RType;

const EXISTS: u8 = 1;
const CUT: u8 = 2;
const DNAME: u8 = 4;

pub struct ZoneIndex {
    /// Record indices sorted by (owner, type, class), file order within an RRset.
    pub order: Vec<u32>,
    /// Per interned name: where its records start in `order` (one extra entry at the end).
    owner_start: Vec<u32>,
    /// Per interned name: exists (owns data or has descendants that do), is a zone cut,
    /// owns a DNAME.
    flags: Vec<u8>,
    pub has_cuts: bool,
}

fn rrset_key(r: &Record) -> u64 {
    ((r.owner.0 as u64) << 32) | ((r.rtype.0 as u64) << 16) | r.class.0 as u64
}

impl ZoneIndex {
    pub fn build(zone: &Zone) -> ZoneIndex {
        // A counting sort by owner id, then a small sort within each owner.
        let records = &zone.records;
        let mut owner_start = vec![0u32; zone.names.len() + 1];
        for r in records {
            owner_start[r.owner.0 as usize + 1] += 1;
        }
        for i in 1..owner_start.len() {
            owner_start[i] += owner_start[i - 1];
        }
        let mut next = owner_start.clone();
        let mut order = vec![0u32; records.len()];
        for (i, r) in records.iter().enumerate() {
            let slot = &mut next[r.owner.0 as usize];
            order[*slot as usize] = i as u32;
            *slot += 1;
        }
        drop(next);
        for w in owner_start.windows(2) {
            let group = &mut order[w[0] as usize..w[1] as usize];
            if group.len() > 1 {
                group.sort_by_key(|&i| rrset_key(&records[i as usize]));
            }
        }
        let mut flags = vec![0u8; zone.names.len()];
        let mut has_cuts = false;
        for r in &zone.records {
            if r.rtype == RType::NS && r.owner != zone.origin {
                flags[r.owner.0 as usize] |= CUT;
                has_cuts = true;
            }
            if r.rtype == RType::DNAME {
                flags[r.owner.0 as usize] |= DNAME;
                has_cuts = true;
            }
            let mut n = r.owner;
            while flags[n.0 as usize] & EXISTS == 0 {
                flags[n.0 as usize] |= EXISTS;
                match zone.names.parent(n) {
                    Some(p) => n = p,
                    None => break,
                }
            }
        }
        ZoneIndex {
            order,
            owner_start,
            flags,
            has_cuts,
        }
    }

    /// True when some record is owned by `name` or by a name below it (RFC 4592 §2.2.2).
    pub fn exists(&self, name: NameId) -> bool {
        self.flags
            .get(name.0 as usize)
            .is_some_and(|f| f & EXISTS != 0)
    }

    pub fn is_cut(&self, name: NameId) -> bool {
        self.flags
            .get(name.0 as usize)
            .is_some_and(|f| f & CUT != 0)
    }

    /// All records at `name`, as indices into the zone's records.
    pub fn at(&self, name: NameId) -> &[u32] {
        match (
            self.owner_start.get(name.0 as usize),
            self.owner_start.get(name.0 as usize + 1),
        ) {
            (Some(&a), Some(&b)) => &self.order[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Groups of record indices forming one RRset each.
    pub fn rrsets<'a>(&'a self, zone: &'a Zone) -> impl Iterator<Item = &'a [u32]> + 'a {
        self.order.chunk_by(move |a, b| {
            rrset_key(&zone.records[*a as usize]) == rrset_key(&zone.records[*b as usize])
        })
    }

    /// Groups of record indices sharing one owner.
    pub fn owners<'a>(&'a self, zone: &'a Zone) -> impl Iterator<Item = &'a [u32]> + 'a {
        self.order.chunk_by(move |a, b| {
            zone.records[*a as usize].owner == zone.records[*b as usize].owner
        })
    }

    /// The zone cut or DNAME strictly above `name` (below the apex) that hides it from
    /// the zone's own answers, nearest the apex first.
    pub fn occluder(&self, zone: &Zone, name: NameId) -> Option<(NameId, RType)> {
        if !self.has_cuts {
            return None;
        }
        let mut found = None;
        for a in zone.names.ancestors(name) {
            if a == zone.origin || zone.names.depth(a) < zone.names.depth(zone.origin) {
                // The apex may own a DNAME: everything below it is then occluded.
                if a == zone.origin && self.flags[a.0 as usize] & DNAME != 0 {
                    found = Some((a, RType::DNAME));
                }
                break;
            }
            let f = self.flags[a.0 as usize];
            if f & CUT != 0 {
                found = Some((a, RType::NS));
            } else if f & DNAME != 0 {
                found = Some((a, RType::DNAME));
            }
        }
        found
    }

    /// Address records a resolver would find for `name` in this zone: its own, or those
    /// of the wildcard at its closest encloser (RFC 4592 §3.3.1).
    pub fn addresses<'a>(
        &'a self,
        zone: &'a Zone,
        name: NameId,
    ) -> impl Iterator<Item = &'a Record> + 'a {
        let own = self.at(name);
        let source = if !own.is_empty() || self.exists(name) {
            own
        } else {
            self.wildcard_for(zone, name)
                .map_or(&[][..], |w| self.at(w))
        };
        source
            .iter()
            .map(move |&i| &zone.records[i as usize])
            .filter(|r| matches!(r.rtype, RType::A | RType::AAAA))
    }

    fn wildcard_for(&self, zone: &Zone, name: NameId) -> Option<NameId> {
        let encloser = zone.names.ancestors(name).find(|a| self.exists(*a))?;
        zone.names.find_child(encloser, b"*")
    }
}

/// What a resolver gets for a name from the zone set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// No zone of the set holds the name: zonelint cannot say.
    OutOfSet,
    /// The holding zone delegates the name away (a zone cut or DNAME at or above it) to
    /// a zone not in the set.
    Delegated,
    /// The name is an alias: the CNAME record.
    Cname(RecordRef),
    /// The name's A and AAAA records (maybe none), wildcards included.
    Addresses(Vec<RecordRef>),
}

/// Indices over the whole set: one [`ZoneIndex`] per zone, and the cross-zone lookups
/// the forward/reverse rules need.
pub struct SetIndex {
    pub zones: Vec<ZoneIndex>,
    ptrs: std::sync::OnceLock<Vec<(u128, u32, u32)>>,
}

/// A record in the set: (zone, record index).
pub type RecordRef = (usize, usize);

/// An address as one sortable key (IPv4 as IPv4-mapped IPv6).
pub fn address_key(address: std::net::IpAddr) -> u128 {
    match address {
        std::net::IpAddr::V4(a) => u128::from(a.to_ipv6_mapped()),
        std::net::IpAddr::V6(a) => u128::from(a),
    }
}

impl SetIndex {
    pub fn build(set: &ZoneSet) -> SetIndex {
        use rayon::prelude::*;
        SetIndex {
            zones: set.zones.par_iter().map(ZoneIndex::build).collect(),
            ptrs: std::sync::OnceLock::new(),
        }
    }

    /// How a resolver sees the name `id` of table `names` (a name from any zone).
    pub fn resolve(&self, set: &ZoneSet, names: &NameTable, id: NameId) -> Answer {
        let Some(z) = set.zone_holding(names, id) else {
            return Answer::OutOfSet;
        };
        let zone = &set.zones[z];
        let index = &self.zones[z];
        // The name itself if the zone has it, else its closest encloser and a wildcard.
        let (local, synthesised) =
            match zone.names.find_same(names, id).filter(|&l| index.exists(l)) {
                Some(l) => (l, false),
                None => {
                    let encloser = names
                        .ancestors(id)
                        .filter_map(|a| zone.names.find_same(names, a))
                        .find(|&a| index.exists(a));
                    let Some(encloser) = encloser else {
                        return Answer::Addresses(Vec::new());
                    };
                    if index.occluder(zone, encloser).is_some()
                        || (index.is_cut(encloser) && encloser != zone.origin)
                    {
                        return Answer::Delegated;
                    }
                    match zone.names.find_child(encloser, b"*") {
                        Some(star) if index.exists(star) => (star, true),
                        _ => return Answer::Addresses(Vec::new()),
                    }
                }
            };
        if !synthesised
            && (index.occluder(zone, local).is_some()
                || (index.is_cut(local) && local != zone.origin))
        {
            return Answer::Delegated;
        }
        let records = index.at(local);
        if let Some(&c) = records
            .iter()
            .find(|&&i| zone.records[i as usize].rtype == RType::CNAME)
        {
            return Answer::Cname((z, c as usize));
        }
        Answer::Addresses(
            records
                .iter()
                .filter(|&&i| matches!(zone.records[i as usize].rtype, RType::A | RType::AAAA))
                .map(|&i| (z, i as usize))
                .collect(),
        )
    }

    /// [`SetIndex::resolve`] for a name in absolute presentation text.
    pub fn resolve_text(&self, set: &ZoneSet, name: &str) -> Answer {
        let mut names = NameTable::new();
        match names.intern_text(name, NameId::ROOT) {
            Some(id) => self.resolve(set, &names, id),
            None => Answer::OutOfSet,
        }
    }

    /// Every address PTR record of the set, keyed by the address its owner stands for
    /// ([`super::reverse::ptr_address`]); built on first use, sorted for binary search.
    fn ptr_table(&self, set: &ZoneSet) -> &[(u128, u32, u32)] {
        self.ptrs.get_or_init(|| {
            let mut table = Vec::new();
            for &(z, _) in &set.reverse {
                let zone = &set.zones[z];
                for (i, r) in zone.records.iter().enumerate() {
                    if r.rtype == RType::PTR
                        && let Some(address) = super::reverse::ptr_address(&zone.names, r.owner)
                    {
                        table.push((address_key(address), z as u32, i as u32));
                    }
                }
            }
            table.sort_unstable();
            table
        })
    }

    /// The PTR records for `address` anywhere in the set.
    pub fn ptrs_for(
        &self,
        set: &ZoneSet,
        address: std::net::IpAddr,
    ) -> impl Iterator<Item = RecordRef> + '_ {
        let table = self.ptr_table(set);
        let key = address_key(address);
        let start = table.partition_point(|e| e.0 < key);
        table[start..]
            .iter()
            .take_while(move |e| e.0 == key)
            .map(|&(_, z, i)| (z as usize, i as usize))
    }
}
