//! Indices over one zone, built once and shared by every rule: records sorted into
//! RRsets, which names exist, and where the zone cuts and DNAMEs are.

use super::names::NameId;
use super::zone::{Record, Zone};
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

/// Indices over the whole set: one [`ZoneIndex`] per zone, and the cross-zone lookups
/// the forward/reverse rules need.
pub struct SetIndex {
    pub zones: Vec<ZoneIndex>,
}

/// A record in the set: (zone, record index).
pub type RecordRef = (usize, usize);

impl SetIndex {
    pub fn build(set: &super::zone::ZoneSet) -> SetIndex {
        use rayon::prelude::*;
        SetIndex {
            zones: set.zones.par_iter().map(ZoneIndex::build).collect(),
        }
    }

    /// The A and AAAA records a resolver finds for `name` (absolute, lowercase) in the
    /// zone of the set that holds it, wildcards included.
    pub fn addresses(&self, set: &super::zone::ZoneSet, name: &str) -> Vec<RecordRef> {
        let Some(z) = set.zone_for(name) else {
            return Vec::new();
        };
        let zone = &set.zones[z];
        let Some(id) = zone.names.find_text(name) else {
            // The name was never written in this zone: only a wildcard can answer.
            return self.wildcard_addresses(set, z, name);
        };
        self.zones[z]
            .addresses(zone, id)
            .map(|r| (z, zone.index_of(r)))
            .collect()
    }

    fn wildcard_addresses(
        &self,
        set: &super::zone::ZoneSet,
        z: usize,
        name: &str,
    ) -> Vec<RecordRef> {
        let zone = &set.zones[z];
        let mut rest = name;
        while let Some(dot) = rest.find('.') {
            rest = &rest[dot + 1..];
            if let Some(encloser) = zone
                .names
                .find_text(if rest.is_empty() { "." } else { rest })
            {
                if !self.zones[z].exists(encloser) {
                    continue;
                }
                let Some(star) = zone.names.find_child(encloser, b"*") else {
                    return Vec::new();
                };
                return self.zones[z]
                    .addresses(zone, star)
                    .map(|r| (z, zone.index_of(r)))
                    .collect();
            }
        }
        Vec::new()
    }

    /// PTR records by the address their owner stands for (see [`super::reverse::ptr_address`]).
    pub fn ptrs_by_address(
        &self,
        set: &super::zone::ZoneSet,
    ) -> std::collections::HashMap<std::net::IpAddr, Vec<RecordRef>> {
        let mut map: std::collections::HashMap<_, Vec<RecordRef>> =
            std::collections::HashMap::new();
        for &(z, _) in &set.reverse {
            let zone = &set.zones[z];
            for (i, r) in zone.records.iter().enumerate() {
                if r.rtype == RType::PTR
                    && let Some(address) = super::reverse::ptr_address(&zone.names, r.owner)
                {
                    map.entry(address).or_default().push((z, i));
                }
            }
        }
        map
    }
}
