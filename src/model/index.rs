//! Indices over one zone, built once and shared by every rule: records sorted into
//! RRsets, which names exist, and where the zone cuts and DNAMEs are.

use super::address_table::Family;
pub use super::address_table::{AddressEntry, AddressKey, AddressTable, address_key};
use super::bits::BitSet;
use super::names::{NameId, NameTable, mix};
use super::zone::{Record, RecordData, Zone, ZoneSet};
use crate::rr::RType;

const EXISTS: u8 = 1;
const CUT: u8 = 2;
const DNAME: u8 = 4;
const HAS_CNAME: u8 = 8;
const HAS_ADDRESS: u8 = 16;
/// The names below this one have an occluder ([`ZoneIndex::occluder`]): this name, or
/// one above it, is a zone cut or DNAME below the apex, or the apex owns a DNAME.
const HIDES_BELOW: u8 = 32;

pub struct ZoneIndex {
    /// Record indices sorted by (owner, type, class), file order within an RRset.
    pub order: Vec<u32>,
    /// Which names own records, 64 names a block, and where each block's records
    /// start in `order`.
    owners: Vec<OwnerBlock>,
    /// Per name that owns records, in id order: where its records start in `order`,
    /// counted from its block's first record. Most names of a reverse zone own nothing
    /// (the nibbles above a PTR): kept per owner, not per name, and in a byte, not in
    /// four, these take a fortieth of the room there.
    owner_offsets: Vec<u8>,
    /// The blocks whose owners' records start further than a byte counts from the
    /// block's first (a name with hundreds of records before others of its block), by
    /// block, with where each of their owners' records start in `order`.
    wide_blocks: WideBlocks,
    /// Per interned name: exists (owns data or has descendants that do), is a zone cut,
    /// owns a DNAME, and the others.
    flags: NameFlags,
    pub has_cuts: bool,
}

/// 64 names, from a multiple of 64: a bit for each that owns records, how many names
/// before the block do, and where the block's records start in [`ZoneIndex::order`].
#[derive(Clone, Copy, Default)]
struct OwnerBlock {
    owns: u64,
    before: u32,
    first: u32,
}

/// The number of `name` among the names that own records, if it owns any.
fn owner_slot(owners: &[OwnerBlock], name: NameId) -> Option<usize> {
    let block = owners.get(name.0 as usize / 64)?;
    let bit = 1u64 << (name.0 % 64);
    (block.owns & bit != 0)
        .then(|| block.before as usize + (block.owns & (bit - 1)).count_ones() as usize)
}

/// Blocks of [`ZoneIndex::wide_blocks`]: a block's number, and where each of its owners'
/// records start in [`ZoneIndex::order`].
type WideBlocks = Vec<(u32, Box<[u32]>)>;

/// [`ZoneIndex::owner_offsets`] and [`ZoneIndex::wide_blocks`] of `owner_start`, where
/// each owner's records start in `order` (by owner number), and sets each block's
/// `first`.
fn owner_offsets(
    owners: &mut [OwnerBlock],
    owner_start: &[u32],
    records: usize,
) -> (Vec<u8>, WideBlocks) {
    let mut offsets = Vec::with_capacity(owner_start.len());
    let mut wide = Vec::new();
    let mut next = 0;
    for (b, block) in owners.iter_mut().enumerate() {
        let slots = block.before as usize..block.before as usize + block.owns.count_ones() as usize;
        let starts = &owner_start[slots];
        // A block without owners starts where the records of the blocks before end.
        block.first = starts.first().copied().unwrap_or(next);
        next = owner_start
            .get(starts.len() + block.before as usize)
            .copied()
            .unwrap_or(records as u32);
        let far = starts
            .last()
            .is_some_and(|&s| s - block.first > u32::from(u8::MAX));
        if far {
            wide.push((b as u32, Box::from(starts)));
        }
        offsets.extend(
            starts
                .iter()
                .map(|&s| if far { 0 } else { (s - block.first) as u8 }),
        );
    }
    (offsets, wide)
}

/// Equal for the records of one RRset: owner, type and class.
fn rrset_key(zone: &Zone, index: u32) -> u64 {
    let r = &zone.records[index as usize];
    ((r.owner.0 as u64) << 32)
        | ((r.rtype.0 as u64) << 16)
        | zone.class_at(r, index as usize).0 as u64
}

/// Sets [`HIDES_BELOW`] on every name whose descendants [`ZoneIndex::occluder`] finds an
/// occluder for, from the cut and DNAME flags: one pass in id order, as a name's parent
/// always has a smaller id. The walk there stops at the apex, or above it for names
/// outside the zone; so does this.
fn mark_hidden(zone: &Zone, flags: &mut NameFlags) {
    let origin_depth = zone.names.depth(zone.origin);
    for id in 0..zone.names.len() {
        let name = NameId(id as u32);
        let hides = if name == zone.origin || zone.names.depth(name) < origin_depth {
            name == zone.origin && flags.has(name, DNAME)
        } else {
            flags.has(name, CUT)
                || flags.has(name, DNAME)
                || zone
                    .names
                    .parent(name)
                    .is_some_and(|p| flags.has(p, HIDES_BELOW))
        };
        if hides {
            flags.set(name, HIDES_BELOW);
        }
    }
}

/// The flags of each name ([`EXISTS`] and the others), as a set of names for each.
/// Most flags are set on few names or none (a reverse zone's names own no address, and
/// most zones have no cut below the apex), and a flag set on no name takes no room: in
/// a byte a name, the flags of the 1M set's zones took 3.3 MiB, in bits 0.6 MiB.
struct NameFlags {
    names: usize,
    /// By flag, as its bit's place.
    sets: [Option<BitSet>; 6],
}

impl NameFlags {
    fn new(names: usize) -> NameFlags {
        NameFlags {
            names,
            sets: Default::default(),
        }
    }

    /// Sets `flag` (one of the flag bits) on `name`.
    fn set(&mut self, name: NameId, flag: u8) {
        let names = self.names;
        self.sets[flag.trailing_zeros() as usize]
            .get_or_insert_with(|| BitSet::with_len(names))
            .insert(name.0 as usize);
    }

    /// Whether `name` has `flag` (one of the flag bits).
    fn has(&self, name: NameId, flag: u8) -> bool {
        self.sets[flag.trailing_zeros() as usize]
            .as_ref()
            .is_some_and(|set| set.contains(name.0 as usize))
    }
}

impl ZoneIndex {
    pub fn build(zone: &Zone) -> ZoneIndex {
        // A counting sort by owner id, then a small sort within each owner.
        let records = &zone.records;
        let mut owners = vec![OwnerBlock::default(); zone.names.len().div_ceil(64)];
        for r in records {
            owners[r.owner.0 as usize / 64].owns |= 1 << (r.owner.0 % 64);
        }
        let mut before = 0;
        for block in &mut owners {
            block.before = before;
            before += block.owns.count_ones();
        }
        let mut owner_start = vec![0u32; before as usize + 1];
        let slot_of = |owner: NameId| owner_slot(&owners, owner).expect("marked above");
        for r in records {
            owner_start[slot_of(r.owner) + 1] += 1;
        }
        for i in 1..owner_start.len() {
            owner_start[i] += owner_start[i - 1];
        }
        let mut next = owner_start.clone();
        let mut order = vec![0u32; records.len()];
        for (i, r) in records.iter().enumerate() {
            let slot = &mut next[slot_of(r.owner)];
            order[*slot as usize] = i as u32;
            *slot += 1;
        }
        drop(next);
        let (owner_offsets, wide_blocks) = owner_offsets(&mut owners, &owner_start, order.len());
        drop(owner_start);
        {
            use rayon::prelude::*;
            // Each owner's records in RRset order, owners on all cores (a zone of a
            // million records has nearly as many owners, most with a record or two).
            let owner = |i: &u32| records[*i as usize].owner;
            order
                .par_chunk_by_mut(|a, b| owner(a) == owner(b))
                .filter(|group| group.len() > 1)
                .for_each(|group| group.sort_by_key(|&i| rrset_key(zone, i)));
        }
        let mut flags = NameFlags::new(zone.names.len());
        let mut has_cuts = false;
        for r in &zone.records {
            if r.rtype == RType::NS && r.owner != zone.origin {
                flags.set(r.owner, CUT);
                has_cuts = true;
            }
            if r.rtype == RType::DNAME {
                flags.set(r.owner, DNAME);
                has_cuts = true;
            }
            match r.rtype {
                RType::CNAME => flags.set(r.owner, HAS_CNAME),
                RType::A | RType::AAAA => flags.set(r.owner, HAS_ADDRESS),
                _ => {}
            }
            let mut n = r.owner;
            while !flags.has(n, EXISTS) {
                flags.set(n, EXISTS);
                match zone.names.parent(n) {
                    Some(p) => n = p,
                    None => break,
                }
            }
        }
        if has_cuts {
            mark_hidden(zone, &mut flags);
        }
        ZoneIndex {
            order,
            owners,
            owner_offsets,
            wide_blocks,
            flags,
            has_cuts,
        }
    }

    /// True when some record is owned by `name` or by a name below it (RFC 4592 §2.2.2).
    pub fn exists(&self, name: NameId) -> bool {
        self.flags.has(name, EXISTS)
    }

    fn has(&self, name: NameId, flag: u8) -> bool {
        self.flags.has(name, flag)
    }

    pub fn is_cut(&self, name: NameId) -> bool {
        self.flags.has(name, CUT)
    }

    /// All records at `name`, as indices into the zone's records.
    pub fn at(&self, name: NameId) -> &[u32] {
        let Some(k) = owner_slot(&self.owners, name) else {
            return &[];
        };
        let b = name.0 as usize / 64;
        let block = self.owners[b];
        // The owner's records end where the next owner's start: the next in its block,
        // or the first of the blocks after.
        let later_in_block = block.owns >> (name.0 % 64) >> 1 != 0;
        let block_end = || {
            self.owners
                .get(b + 1)
                .map_or(self.order.len(), |next| next.first as usize)
        };
        let (start, end) = match self.wide_starts(b) {
            Some(starts) => {
                let i = k - block.before as usize;
                let end = if later_in_block {
                    starts[i + 1] as usize
                } else {
                    block_end()
                };
                (starts[i] as usize, end)
            }
            None => {
                let first = block.first as usize;
                let end = if later_in_block {
                    first + self.owner_offsets[k + 1] as usize
                } else {
                    block_end()
                };
                (first + self.owner_offsets[k] as usize, end)
            }
        };
        &self.order[start..end]
    }

    /// Where the records of each owner of block `b` start, if the block is wide (see
    /// [`ZoneIndex::wide_blocks`]).
    fn wide_starts(&self, b: usize) -> Option<&[u32]> {
        if self.wide_blocks.is_empty() {
            return None;
        }
        let at = self
            .wide_blocks
            .binary_search_by_key(&(b as u32), |w| w.0)
            .ok()?;
        Some(&self.wide_blocks[at].1)
    }

    /// Groups of record indices forming one RRset each.
    pub fn rrsets<'a>(&'a self, zone: &'a Zone) -> impl Iterator<Item = &'a [u32]> + 'a {
        self.order
            .chunk_by(move |a, b| rrset_key(zone, *a) == rrset_key(zone, *b))
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
        // Most names have none: one flag of the parent says so.
        if !self.has(zone.names.parent(name)?, HIDES_BELOW) {
            return None;
        }
        self.occluder_walk(zone, name)
    }

    /// [`ZoneIndex::occluder`] by walking up from `name`.
    fn occluder_walk(&self, zone: &Zone, name: NameId) -> Option<(NameId, RType)> {
        let mut found = None;
        for a in zone.names.ancestors(name) {
            if a == zone.origin || zone.names.depth(a) < zone.names.depth(zone.origin) {
                // The apex may own a DNAME: everything below it is then occluded.
                if a == zone.origin && self.flags.has(a, DNAME) {
                    found = Some((a, RType::DNAME));
                }
                break;
            }
            if self.flags.has(a, CUT) {
                found = Some((a, RType::NS));
            } else if self.flags.has(a, DNAME) {
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
    /// The name has no A or AAAA record: it does not exist, or owns other data only.
    NoAddress,
    /// The name (or the wildcard answering for it) owns A/AAAA records in `zone`;
    /// [`SetIndex::address_records`] lists them.
    Addresses { zone: usize, name: NameId },
}

/// Maps names of one table to the zones of the set that hold them and to their ids in
/// those zones' tables, remembering every ancestor it has mapped.
pub struct Translator<'a> {
    from: &'a NameTable,
    /// Name of `from` → its holding zone (`NONE` for none).
    holders: hashbrown::HashMap<u32, u32>,
    /// (name of `from`, zone) → the name's id in that zone's table (`NONE` when absent)
    /// and its hash, for the names that are some name's ancestor (see
    /// [`Translator::holder`]).
    ids: hashbrown::HashMap<(u32, u32), (u32, u32)>,
}

const NONE: u32 = u32::MAX;

impl<'a> Translator<'a> {
    pub fn new(from: &'a NameTable) -> Translator<'a> {
        Translator {
            from,
            holders: hashbrown::HashMap::new(),
            ids: hashbrown::HashMap::new(),
        }
    }

    /// The zone holding `id`: the one whose origin is the nearest ancestor-or-self.
    ///
    /// Only ancestors are remembered, not `id` itself. The names asked about (MX
    /// exchanges, SRV targets) are mostly leaves, each asked about once or a few times,
    /// while their parents are shared by thousands: remembering every leaf made the memo
    /// as large as the zone's list of targets, and asking about a leaf again costs only
    /// one lookup of its origin.
    pub fn holder(&mut self, set: &ZoneSet, id: NameId) -> Option<usize> {
        match set.zone_with_origin(self.from, id) {
            Some(z) => Some(z),
            None => self
                .from
                .parent(id)
                .and_then(|p| self.holder_of_ancestor(set, p)),
        }
    }

    /// [`Translator::holder`] of a name that is some name's ancestor, remembered.
    fn holder_of_ancestor(&mut self, set: &ZoneSet, id: NameId) -> Option<usize> {
        match self.holders.get(&id.0) {
            None => {}
            Some(&NONE) => return None,
            Some(&z) => return Some(z as usize),
        }
        let found = match set.zone_with_origin(self.from, id) {
            Some(z) => Some(z),
            None => match self.from.parent(id) {
                Some(p) => self.holder_of_ancestor(set, p),
                None => None,
            },
        };
        self.holders.insert(id.0, found.map_or(NONE, |z| z as u32));
        found
    }

    /// The id of `id` in the table of zone `z`, if that table has the name.
    ///
    /// Like [`Translator::holder`], only ancestors are remembered: remembering every
    /// PTR target of a large reverse zone made the memo as large as its list of
    /// targets, grown by doubling while the other rules ran beside it.
    pub fn translate(&mut self, set: &ZoneSet, id: NameId, z: usize) -> Option<NameId> {
        // A name of the zone's own table needs no translation.
        if id == NameId::ROOT || std::ptr::eq(&set.zones[z].names, self.from) {
            return Some(id);
        }
        let (parent, hash) = self.translate_ancestor(set, self.from.parent(id)?, z)?;
        let label = self.from.label(id);
        set.zones[z]
            .names
            .find_child_hashed(parent, mix(hash, label), label)
    }

    /// [`Translator::translate`] of a name that is some name's ancestor, remembered
    /// with its hash (the same in every table): its children are then looked up
    /// without working the hash out from the labels again.
    fn translate_ancestor(&mut self, set: &ZoneSet, id: NameId, z: usize) -> Option<(NameId, u32)> {
        let names = &set.zones[z].names;
        if id == NameId::ROOT {
            return Some((id, names.hash_of(id)));
        }
        if let Some(&(known, hash)) = self.ids.get(&(id.0, z as u32)) {
            return (known != NONE).then_some((NameId(known), hash));
        }
        let label = self.from.label(id);
        let (found, hash) = match self.from.parent(id) {
            Some(parent) => match self.translate_ancestor(set, parent, z) {
                Some((p, parent_hash)) => {
                    let hash = mix(parent_hash, label);
                    (names.find_child_hashed(p, hash, label), hash)
                }
                // A name the table lacks has no child there to look up: its hash is
                // never read.
                None => (None, 0),
            },
            None => (None, 0),
        };
        self.ids
            .insert((id.0, z as u32), (found.map_or(NONE, |f| f.0), hash));
        found.map(|f| (f, hash))
    }
}

/// Indices over the whole set: one [`ZoneIndex`] per zone, and the cross-zone lookups
/// the forward/reverse rules need.
pub struct SetIndex {
    pub zones: Vec<ZoneIndex>,
    ptrs: std::sync::OnceLock<AddressTable>,
    /// The runs of [`SetIndex::ptr_table`] of more than one PTR.
    shared_ptrs: std::sync::OnceLock<Vec<std::ops::Range<usize>>>,
    join: std::sync::OnceLock<AddressJoin>,
}

/// Asks for what the address join will compare next, from the forward entries at `f`
/// and the PTR entries at `p` on (each table up to the end of its range): records and
/// names anywhere in the set. The records some entries ahead, the nodes of their names
/// half as far, the labels (found through the node) half as far again. Only a hint.
fn ask_ahead(
    set: &ZoneSet,
    (forward, f, f_end): (&AddressTable, usize, usize),
    (ptrs, p, p_end): (&AddressTable, usize, usize),
) {
    const AHEAD: usize = 16;
    for (table, at, end) in [(forward, f, f_end), (ptrs, p, p_end)] {
        if at + AHEAD < end {
            let e = table.get(at + AHEAD);
            crate::memory::prefetch(&set.zones[e.zone as usize].records[e.record as usize]);
        }
        for (ahead, label) in [(AHEAD / 2, false), (AHEAD / 4, true)] {
            if at + ahead >= end {
                continue;
            }
            let e = table.get(at + ahead);
            let zone = &set.zones[e.zone as usize];
            if let Some(name) = entry_name(zone, &e) {
                if label {
                    zone.names.prefetch_label(name);
                } else {
                    zone.names.prefetch_node(name);
                }
            }
        }
    }
}

/// The name an address table entry is about: an A/AAAA record's owner, a PTR's target.
fn entry_name(zone: &Zone, e: &AddressEntry) -> Option<NameId> {
    let r = &zone.records[e.record as usize];
    match r.rtype {
        RType::PTR => zone.target(r),
        _ => Some(r.owner),
    }
}

/// What `item` makes of the records of `zones`, in zone and record order, in one vector
/// of about its final size, made on all cores. Blocks of `block` records (tests use tiny
/// ones) each fill their own stretch of the vector, as long as `may` says it may hold
/// an item (a cheap test that holds for every record `item` keeps), and the stretches
/// are then closed up: no record is looked at twice, and no second copy of the table is
/// ever held. The memory is first written by the blocks themselves, on all cores, and
/// once: nothing clears it beforehand. Each block makes its items with a `state` of its
/// own, made for its zone.
pub(super) fn table_of<T: Copy + Send + Sync, S>(
    block: usize,
    set: &ZoneSet,
    zones: &[usize],
    may: impl Fn(usize, &Record) -> bool + Sync,
    state: impl Fn(usize) -> S + Sync,
    item: impl Fn(&mut S, usize, usize, &Record) -> Option<T> + Sync,
) -> Vec<T> {
    use rayon::prelude::*;
    use std::mem::MaybeUninit;
    let blocks: Vec<(usize, std::ops::Range<usize>)> = zones
        .iter()
        .flat_map(|&z| {
            let n = set.zones[z].records.len();
            (0..n.div_ceil(block)).map(move |b| (z, b * block..((b + 1) * block).min(n)))
        })
        .collect();
    let room: Vec<usize> = blocks
        .par_iter()
        .map(|(z, range)| {
            set.zones[*z].records[range.clone()]
                .iter()
                .filter(|r| may(*z, r))
                .count()
        })
        .collect();
    let total = room.iter().sum();
    let mut table: Vec<T> = Vec::with_capacity(total);
    crate::memory::prefer_huge_pages(&table);
    let slots: &mut [MaybeUninit<T>] = &mut table.spare_capacity_mut()[..total];
    let mut stretches = Vec::with_capacity(blocks.len());
    let mut rest = &mut *slots;
    for &n in &room {
        let (stretch, after) = rest.split_at_mut(n);
        stretches.push(stretch);
        rest = after;
    }
    // How many slots at the start of each stretch hold an item.
    let filled: Vec<usize> = stretches
        .into_par_iter()
        .zip(&blocks)
        .map(|(stretch, (z, range))| {
            let records = &set.zones[*z].records[range.clone()];
            let mut state = state(*z);
            let made = records
                .iter()
                .enumerate()
                .filter(|(_, r)| may(*z, r))
                .filter_map(|(k, r)| item(&mut state, *z, range.start + k, r));
            let mut n = 0;
            for (slot, value) in stretch.iter_mut().zip(made) {
                slot.write(value);
                n += 1;
            }
            n
        })
        .collect();
    let (mut start, mut end) = (0, 0);
    for (&n, &room) in filled.iter().zip(&room) {
        slots.copy_within(start..start + n, end);
        start += room;
        end += n;
    }
    // SAFETY: the first `end` slots hold items. Each stretch's first `n` slots were
    // written above, and the loop moved each such run down to follow the one before,
    // in order, so that slots `0..end` are exactly those runs. `end` is at most
    // `total`, which is within the capacity.
    unsafe { table.set_len(end) };
    table
}

/// Records per block of [`table_of`] for the address tables.
pub(super) const TABLE_BLOCK: usize = 1 << 15;

/// PTRs a slice of the address join matches in parallel ([`SetIndex::join`]).
const JOIN_SLICE: usize = 1 << 14;

/// Forward addresses and PTRs matched by address, once for the whole set.
#[cfg_attr(test, derive(Debug, PartialEq))]
struct AddressJoin {
    /// A/AAAA records whose address has no PTR, as (zone, record).
    unreversed: Vec<(u32, u32)>,
    /// Per zone, a bit per record: a PTR whose target owns an A/AAAA record with the
    /// PTR's address (forward-confirmed without a lookup).
    confirmed: Vec<BitSet>,
    /// Every A/AAAA record by address, sorted (what a PTR for an address should name).
    forward: AddressTable,
}

/// A record in the set: (zone, record index).
pub type RecordRef = (usize, usize);

impl SetIndex {
    pub fn build(set: &ZoneSet) -> SetIndex {
        use rayon::prelude::*;
        SetIndex {
            zones: set.zones.par_iter().map(ZoneIndex::build).collect(),
            ptrs: std::sync::OnceLock::new(),
            shared_ptrs: std::sync::OnceLock::new(),
            join: std::sync::OnceLock::new(),
        }
    }

    /// How a resolver sees the name `id` of table `names` (a name from any zone).
    pub fn resolve(&self, set: &ZoneSet, names: &NameTable, id: NameId) -> Answer {
        self.resolve_with(set, &mut Translator::new(names), id)
    }

    /// [`SetIndex::resolve`] reusing what `translator` learnt about earlier names of the
    /// same table (their holding zones and ids there): resolving many names of one zone,
    /// such as all PTR targets, then costs about one table probe each.
    pub fn resolve_with(&self, set: &ZoneSet, tr: &mut Translator, id: NameId) -> Answer {
        self.resolve_at(set, tr, id, 0)
    }

    /// Redirections (DNAME, and CNAME in [`SetIndex::resolve_following`]) followed at most.
    const MAX_REDIRECTS: u32 = 8;

    fn resolve_at(&self, set: &ZoneSet, tr: &mut Translator, id: NameId, depth: u32) -> Answer {
        let Some(z) = tr.holder(set, id) else {
            return Answer::OutOfSet;
        };
        let zone = &set.zones[z];
        let index = &self.zones[z];
        // The name itself if the zone has it, else its closest encloser and a wildcard.
        let (local, synthesised) = match tr.translate(set, id, z).filter(|&l| index.exists(l)) {
            Some(l) => (l, false),
            None => {
                let names = tr.from;
                let encloser = names
                    .ancestors(id)
                    .filter_map(|a| tr.translate(set, a, z))
                    .find(|&a| index.exists(a));
                let Some(encloser) = encloser else {
                    return Answer::NoAddress;
                };
                if let Some((dname, RType::DNAME)) = index.occluder(zone, encloser) {
                    return self.follow_dname(set, z, dname, tr.from, id, depth);
                }
                // The name lies below the encloser, so a DNAME there redirects it too.
                if index.has(encloser, DNAME) {
                    return self.follow_dname(set, z, encloser, tr.from, id, depth);
                }
                if index.occluder(zone, encloser).is_some()
                    || (index.is_cut(encloser) && encloser != zone.origin)
                {
                    return Answer::Delegated;
                }
                match zone.names.find_child(encloser, b"*") {
                    Some(star) if index.exists(star) => (star, true),
                    _ => return Answer::NoAddress,
                }
            }
        };
        if !synthesised {
            if let Some((dname, RType::DNAME)) = index.occluder(zone, local) {
                return self.follow_dname(set, z, dname, tr.from, id, depth);
            }
            if index.occluder(zone, local).is_some()
                || (index.is_cut(local) && local != zone.origin)
            {
                return Answer::Delegated;
            }
        }
        if index.has(local, HAS_CNAME) {
            let records = index.at(local);
            if let Some(&c) = records
                .iter()
                .find(|&&i| zone.records[i as usize].rtype == RType::CNAME)
            {
                return Answer::Cname((z, c as usize));
            }
        }
        if index.has(local, HAS_ADDRESS) {
            Answer::Addresses {
                zone: z,
                name: local,
            }
        } else {
            Answer::NoAddress
        }
    }

    /// Resolves again where a DNAME at `dname` (zone `z`) sends the name `id` of `from`:
    /// its suffix replaced by the DNAME's target (RFC 6672 §2.2).
    fn follow_dname(
        &self,
        set: &ZoneSet,
        z: usize,
        dname: NameId,
        from: &NameTable,
        id: NameId,
        depth: u32,
    ) -> Answer {
        let zone = &set.zones[z];
        let record = self.zones[z]
            .at(dname)
            .iter()
            .map(|&i| &zone.records[i as usize])
            .find(|r| r.rtype == RType::DNAME);
        let (Some(target), true) = (
            record.and_then(|r| zone.target(r)),
            depth < Self::MAX_REDIRECTS,
        ) else {
            return Answer::Delegated;
        };
        let name = from.display(id);
        let Some(prefix) = name.strip_suffix(&zone.name(dname)) else {
            return Answer::Delegated;
        };
        let redirected = if target == NameId::ROOT {
            prefix.to_string()
        } else {
            format!("{prefix}{}", zone.name(target))
        };
        let mut names = NameTable::new();
        names.perspective = from.perspective;
        match names.intern_text(&redirected, NameId::ROOT) {
            Some(new) => self.resolve_at(set, &mut Translator::new(&names), new, depth + 1),
            None => Answer::Delegated,
        }
    }

    /// [`SetIndex::resolve`], following CNAMEs (for the lookups that allow them: a
    /// HELO name, a host's own name).
    pub fn resolve_following(&self, set: &ZoneSet, names: &NameTable, id: NameId) -> Answer {
        let mut answer = self.resolve(set, names, id);
        for _ in 0..Self::MAX_REDIRECTS {
            let Answer::Cname((z, i)) = answer else { break };
            let zone = &set.zones[z];
            let Some(target) = zone.target(&zone.records[i]) else {
                break;
            };
            answer = self.resolve(set, &zone.names, target);
        }
        answer
    }

    /// The A and AAAA records of a name an [`Answer::Addresses`] gave.
    pub fn address_records(&self, set: &ZoneSet, zone: usize, name: NameId) -> Vec<RecordRef> {
        let z = &set.zones[zone];
        self.zones[zone]
            .at(name)
            .iter()
            .filter(|&&i| matches!(z.records[i as usize].rtype, RType::A | RType::AAAA))
            .map(|&i| (zone, i as usize))
            .collect()
    }

    /// The addresses in an answer (none unless it is [`Answer::Addresses`]).
    pub fn answer_addresses(&self, set: &ZoneSet, answer: &Answer) -> Vec<std::net::IpAddr> {
        match *answer {
            Answer::Addresses { zone, name } => self
                .address_records(set, zone, name)
                .into_iter()
                .filter_map(|(z, i)| set.zones[z].address(&set.zones[z].records[i]))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// [`SetIndex::resolve`] for a name in absolute presentation text.
    pub fn resolve_text(&self, set: &ZoneSet, name: &str) -> Answer {
        let mut names = NameTable::new();
        match names.intern_text(name, NameId::ROOT) {
            Some(id) => self.resolve(set, &names, id),
            None => Answer::OutOfSet,
        }
    }

    /// [`SetIndex::resolve_following`] for a name in absolute presentation text.
    pub fn resolve_text_following(&self, set: &ZoneSet, name: &str) -> Answer {
        let mut names = NameTable::new();
        match names.intern_text(name, NameId::ROOT) {
            Some(id) => self.resolve_following(set, &names, id),
            None => Answer::OutOfSet,
        }
    }

    /// Every address PTR record of the set (with a target), keyed by the address its
    /// owner stands for ([`super::reverse::ptr_address`]); built on first use and sorted,
    /// so the PTRs of one address are adjacent, in the set's order.
    pub fn ptr_table(&self, set: &ZoneSet) -> &AddressTable {
        self.ptrs.get_or_init(|| {
            let zones: Vec<usize> = set.reverse.iter().map(|&(z, _)| z).collect();
            // A reverse zone's owners stand for addresses of the family of its network.
            let mut families = vec![Family::V4; set.zones.len()];
            for &(z, net) in &set.reverse {
                if net.addr().is_ipv6() {
                    families[z] = Family::V6;
                }
            }
            AddressTable::build(
                set,
                &zones,
                |z, r| (r.rtype == RType::PTR).then_some(families[z]),
                |z| super::reverse::OwnerReader::new(&set.zones[z].names),
                |owners, z, _, r| {
                    let address = owners.address(r.owner)?;
                    set.zones[z].target(r)?;
                    Some(address)
                },
            )
        })
    }

    /// The ranges of [`SetIndex::ptr_table`] whose address has more than one PTR, in
    /// order: found in one walk of the table, however many zones ask.
    pub fn addresses_with_several_ptrs(&self, set: &ZoneSet) -> &[std::ops::Range<usize>] {
        self.shared_ptrs.get_or_init(|| {
            self.ptr_table(set)
                .runs()
                .filter(|run| run.len() > 1)
                .collect()
        })
    }

    /// The A and AAAA records of the set (wildcards and glue below a delegation left out)
    /// whose address has no PTR anywhere in the set, as (zone, record).
    pub fn addresses_without_ptr(&self, set: &ZoneSet) -> &[(u32, u32)] {
        &self.join(set).unreversed
    }

    /// The A/AAAA records of the set (wildcards and glue left out) with `address`.
    pub fn records_with_address(&self, set: &ZoneSet, address: std::net::IpAddr) -> Vec<RecordRef> {
        let forward = &self.join(set).forward;
        forward
            .entries(forward.with_key(address_key(address)))
            .map(|e| (e.zone as usize, e.record as usize))
            .collect()
    }

    /// Matches the set's addresses and PTRs now (see [`SetIndex::is_confirmed`]), so
    /// that no later caller waits for it.
    pub fn prepare_address_join(&self, set: &ZoneSet) {
        self.join(set);
    }

    /// Whether the PTR `record` of zone `zone` names a host that owns an A/AAAA record
    /// with the PTR's address, found without resolving the name.
    pub fn is_confirmed(&self, set: &ZoneSet, zone: usize, record: usize) -> bool {
        self.join(set).confirmed[zone].contains(record)
    }

    /// Sorts the set's forward addresses and walks them beside [`SetIndex::ptr_table`]:
    /// one pass finds the addresses without PTR and the PTRs confirmed by an address
    /// record of their target, instead of one random lookup per record. Names are
    /// compared by hash first (in their nodes), by label only when hashes agree.
    fn join(&self, set: &ZoneSet) -> &AddressJoin {
        self.join
            .get_or_init(|| self.match_addresses(set, JOIN_SLICE))
    }

    /// [`SetIndex::join`] with slices of `slice` PTRs matched in parallel.
    fn match_addresses(&self, set: &ZoneSet, slice: usize) -> AddressJoin {
        use rayon::prelude::*;
        let ptrs = self.ptr_table(set);
        let zones: Vec<usize> = (0..set.zones.len()).collect();
        let forward = AddressTable::build(
            set,
            &zones,
            |_, r| match r.data() {
                RecordData::A(_) => Some(Family::V4),
                RecordData::Aaaa(_) => Some(Family::V6),
                _ => None,
            },
            |_| (),
            |_, z, _, r| {
                let zone = &set.zones[z];
                let address = zone.address(r)?;
                if zone.names.label(r.owner) == b"*"
                    || self.zones[z].occluder(zone, r.owner).is_some()
                {
                    return None;
                }
                Some(address)
            },
        );
        // Work on slices of the PTR table in parallel; each finds its forward range.
        type Found = (Vec<(u32, u32)>, Vec<(u32, u32)>);
        let results: Vec<Found> = (0..ptrs.len().div_ceil(slice))
            .into_par_iter()
            .map(|k| {
                let chunk = k * slice..((k + 1) * slice).min(ptrs.len());
                let mut confirmed = Vec::new();
                let mut unreversed = Vec::new();
                // Parent pairs found equal, per pair of tables (forward, reverse).
                let mut memos: hashbrown::HashMap<(u32, u32), Vec<(u32, u32)>> =
                    hashbrown::HashMap::new();
                // Forward addresses from the end of the previous slice's keys up to
                // this slice's last key belong to this slice.
                let all = 0..forward.len();
                let lo = if k == 0 {
                    0
                } else {
                    let before = ptrs.key(chunk.start - 1);
                    forward.partition_point(all.clone(), |key| key <= before)
                };
                let hi = if chunk.end == ptrs.len() {
                    forward.len()
                } else {
                    let last = ptrs.key(chunk.end - 1);
                    forward.partition_point(all, |key| key <= last)
                };
                let mut p = chunk.start;
                let mut f = lo;
                while f < hi {
                    ask_ahead(set, (&forward, f, hi), (ptrs, p, chunk.end));
                    let key = forward.key(f);
                    let f_end = forward.run_end(key, f..hi);
                    while p < chunk.end && ptrs.key(p) < key {
                        p += 1;
                    }
                    let p_end = ptrs.run_end(key, p..chunk.end);
                    if p == p_end {
                        unreversed.extend(forward.entries(f..f_end).map(|e| (e.zone, e.record)));
                    }
                    for ptr in ptrs.entries(p..p_end) {
                        let ptr_zone = &set.zones[ptr.zone as usize];
                        let Some(target) = entry_name(ptr_zone, &ptr) else {
                            continue;
                        };
                        let hit = forward.entries(f..f_end).any(|a| {
                            let zone = &set.zones[a.zone as usize];
                            entry_name(zone, &a).is_some_and(|owner| {
                                zone.names.same_name_memo(
                                    owner,
                                    &ptr_zone.names,
                                    target,
                                    memos
                                        .entry((a.zone, ptr.zone))
                                        .or_insert_with(|| vec![(0, 0); 4096]),
                                )
                            })
                        });
                        if hit {
                            confirmed.push((ptr.zone, ptr.record));
                        }
                    }
                    f = f_end;
                }
                (unreversed, confirmed)
            })
            .collect();
        let mut confirmed: Vec<BitSet> = set.zones.iter().map(|_| BitSet::default()).collect();
        for &(z, _) in &set.reverse {
            confirmed[z] = BitSet::with_len(set.zones[z].records.len());
        }
        let mut unreversed = Vec::new();
        if ptrs.is_empty() {
            unreversed.extend(forward.iter().map(|e| (e.zone, e.record)));
        }
        for (u, c) in results {
            unreversed.extend(u);
            for (z, i) in c {
                confirmed[z as usize].insert(i as usize);
            }
        }
        AddressJoin {
            unreversed,
            confirmed,
            forward,
        }
    }

    /// The PTR of zone `zone` with the highest address below `address`: where a person
    /// would add the PTR for `address`.
    pub fn ptr_before(
        &self,
        set: &ZoneSet,
        zone: usize,
        address: std::net::IpAddr,
    ) -> Option<RecordRef> {
        let table = self.ptr_table(set);
        let key = address_key(address);
        let end = table.partition_point(0..table.len(), |k| k < key);
        table
            .entries(end.saturating_sub(64)..end)
            .rev()
            .find(|e| e.zone as usize == zone)
            .map(|e| (e.zone as usize, e.record as usize))
    }

    /// The PTR records for `address` anywhere in the set.
    pub fn ptrs_for(
        &self,
        set: &ZoneSet,
        address: std::net::IpAddr,
    ) -> impl Iterator<Item = RecordRef> + '_ {
        let table = self.ptr_table(set);
        table
            .entries(table.with_key(address_key(address)))
            .map(|e| (e.zone as usize, e.record as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::syntax::parser::set_of_texts as set_of;

    #[test]
    fn an_owners_records_are_grouped_into_rrsets_in_type_order() {
        let text = "@ IN SOA ns h 1 2 3 4 5\nwww IN A 192.0.2.1\nwww IN MX 10 a\n\
            mail IN A 192.0.2.9\nwww IN A 192.0.2.2\nwww IN TXT x\nwww IN MX 20 b\n\
            mail IN TXT y\nwww IN A 192.0.2.3\n";
        let set = set_of(&[(text, "example.test.")]);
        let (zone, index) = (&set.zones[0], ZoneIndex::build(&set.zones[0]));
        let www = zone.names.find_text("www.example.test.").unwrap();
        // Records are numbered in file order: SOA 0, www A 1, MX 2, mail A 3, www A 4, ...
        let at: Vec<u32> = index.at(www).to_vec();
        assert_eq!(at, [1, 4, 8, 2, 6, 5]);
        let sets: Vec<Vec<u32>> = index
            .rrsets(zone)
            .filter(|s| zone.records[s[0] as usize].owner == www)
            .map(<[u32]>::to_vec)
            .collect();
        assert_eq!(sets, [vec![1, 4, 8], vec![2, 6], vec![5]]);
    }

    #[test]
    fn every_name_finds_its_own_records_and_only_those() {
        // Names that own records among many that own none (the labels above each
        // owner), across many blocks of 64 names, in an order unlike the ids'.
        let mut text = String::from("@ IN SOA ns h 1 2 3 4 5\n");
        for i in 0..300 {
            text.push_str(&format!("h{i}.x.y.z{} IN A 192.0.2.{}\n", i % 7, i % 250));
            if i % 3 == 0 {
                text.push_str(&format!("h{} IN TXT t\n", i / 2));
            }
        }
        let set = set_of(&[(&text, "example.test.")]);
        let (zone, index) = (&set.zones[0], ZoneIndex::build(&set.zones[0]));
        assert!(zone.names.len() > 4 * 64);
        let mut owning = 0;
        for id in 0..zone.names.len() as u32 + 70 {
            let name = NameId(id);
            let mut want: Vec<u32> = (0..zone.records.len() as u32)
                .filter(|&i| zone.records[i as usize].owner == name)
                .collect();
            let mut got = index.at(name).to_vec();
            got.sort();
            want.sort();
            assert_eq!(got, want, "{id}");
            owning += usize::from(!want.is_empty());
        }
        assert!(owning > 400, "{owning}");
    }

    #[test]
    fn a_flag_no_name_has_takes_no_room() {
        let mut text = String::from("@ IN SOA ns.example. h 1 2 3 4 5\n@ IN NS ns.example.\n");
        for i in 0..200 {
            text.push_str(&format!("{i}.{} IN PTR h{i}.example.\n", i % 3));
        }
        let set = set_of(&[(&text, "2.0.192.in-addr.arpa.")]);
        let (zone, index) = (&set.zones[0], ZoneIndex::build(&set.zones[0]));
        let held: Vec<u8> = (0..6u8)
            .filter(|&bit| index.flags.sets[bit as usize].is_some())
            .map(|bit| 1 << bit)
            .collect();
        assert_eq!(held, [EXISTS], "only names that exist are marked");
        let one = zone.names.find_text("1.1.2.0.192.in-addr.arpa.").unwrap();
        assert!(index.exists(one) && index.exists(zone.names.parent(one).unwrap()));
        assert!(!index.has(one, HAS_ADDRESS) && !index.is_cut(one));
        let target = zone.names.find_text("h1.example.").unwrap();
        assert!(
            !index.exists(target),
            "a PTR's target is no name of the zone"
        );
    }

    #[test]
    fn names_beside_one_with_hundreds_of_records_find_their_own() {
        // The apex and `big` own 300 records each, with owners after them in their
        // blocks of 64 names (which then count their records' starts in full), and
        // names owning nothing between.
        let mut text = String::from("@ IN SOA ns h 1 2 3 4 5\n");
        for i in 0..300 {
            text.push_str(&format!("@ IN TXT t{i}\nbig IN A 192.0.2.{}\n", i % 250));
        }
        for i in 0..200 {
            text.push_str(&format!("h{i}.a.b IN A 192.0.2.{}\n", i % 250));
            if i == 100 {
                // A name of 90 labels: whole blocks of names that own nothing follow
                // `h100`, whose records end where the next block's first begin.
                text.push_str(&format!(
                    "{}deep IN TXT d\nh100.a.b IN TXT t\n",
                    "q.".repeat(89)
                ));
            }
            if i == 150 {
                for k in 0..270 {
                    text.push_str(&format!("late IN TXT x{k}\n"));
                }
            }
        }
        let set = set_of(&[(&text, "example.test.")]);
        let (zone, index) = (&set.zones[0], ZoneIndex::build(&set.zones[0]));
        assert!(
            !index.wide_blocks.is_empty(),
            "a block counts its starts in full"
        );
        assert!(index.wide_blocks.len() < index.owners.len());
        for id in 0..zone.names.len() as u32 + 70 {
            let name = NameId(id);
            let want: Vec<u32> = (0..zone.records.len() as u32)
                .filter(|&i| zone.records[i as usize].owner == name)
                .collect();
            let mut got = index.at(name).to_vec();
            got.sort();
            assert_eq!(got, want, "{}", zone.names.display(name));
        }
        let late = zone.names.find_text("late.example.test.").unwrap();
        assert_eq!(index.at(late).len(), 270);
        let h100 = zone.names.find_text("h100.a.b.example.test.").unwrap();
        assert_eq!(index.at(h100).len(), 2);
        assert!(
            index.owners.iter().any(|b| b.owns == 0),
            "a block owns nothing"
        );
    }

    #[test]
    fn the_address_join_is_the_same_however_the_ptrs_are_sliced() {
        // Addresses with and without PTRs, PTRs naming the host or another one, an
        // address held by several hosts and named by several PTRs, in both families.
        let mut forward = String::from("@ IN SOA ns h 1 2 3 4 5\n");
        let mut v4 = forward.clone();
        let mut v6 = forward.clone();
        for i in 0..60u32 {
            let host = i % 45;
            forward.push_str(&format!(
                "h{host} IN A 10.0.0.{i}\nh{host} IN AAAA fd00::{i:x}\n"
            ));
            if i % 4 != 3 {
                let target = if i % 5 == 0 { i + 1 } else { host };
                v4.push_str(&format!("{i} IN PTR h{target}.example.\n"));
                let [hi, lo] = [i / 16, i % 16];
                v6.push_str(&format!("{lo:x}.{hi:x} IN PTR h{target}.example.\n"));
            }
            if i % 7 == 0 {
                v4.push_str(&format!("{i} IN PTR other{i}.example.\n"));
            }
        }
        // fd00::/120: 30 nibbles, two more in each owner.
        let six = format!("{}d.f.ip6.arpa.", "0.".repeat(28));
        let set = set_of(&[
            (&forward, "example."),
            (&v4, "0.0.10.in-addr.arpa."),
            (&v6, &six),
        ]);
        // Only the reverse zones gave their name index back: their PTRs point into the
        // forward zone, which keeps its own.
        let released: Vec<(String, bool)> = set
            .zones
            .iter()
            .map(|z| (z.origin_text(), z.names.index_released()))
            .collect();
        assert_eq!(
            released,
            [
                (six.clone(), true),
                ("0.0.10.in-addr.arpa.".to_string(), true),
                ("example.".to_string(), false)
            ]
        );
        let index = SetIndex::build(&set);
        let whole = index.match_addresses(&set, JOIN_SLICE);
        assert!(whole.unreversed.len() > 20, "{}", whole.unreversed.len());
        let confirmed: usize = whole.confirmed.iter().map(BitSet::len).sum();
        assert!(
            confirmed > 50,
            "{confirmed} {:?} {:?} {:?}",
            whole.confirmed.iter().map(BitSet::len).collect::<Vec<_>>(),
            set.reverse,
            set.zones[0].records.len()
        );
        for slice in [1, 2, 3, 5, 16] {
            assert_eq!(index.match_addresses(&set, slice), whole, "{slice}");
        }
    }

    #[test]
    fn addresses_with_several_ptrs_are_the_runs_longer_than_one() {
        // One PTR for most addresses; two for 10.0.0.7 (one in 0.0.10.in-addr.arpa,
        // one in its parent zone), three for 10.0.0.9, two for fd00::3.
        let mut v4 = String::from("@ IN SOA ns h 1 2 3 4 5\n");
        for i in 1..20 {
            v4.push_str(&format!("{i} IN PTR h{i}.example.\n"));
        }
        v4.push_str("9 IN PTR a.example.\n9 IN PTR b.example.\n");
        let other = "@ IN SOA ns h 1 2 3 4 5\n7.0.0.10.in-addr.arpa. IN PTR x.example.\n";
        // fd00::/124: 31 nibbles, one more in each owner.
        let six = format!("{}d.f.ip6.arpa.", "0.".repeat(29));
        let v6 = "@ IN SOA ns h 1 2 3 4 5\n3 IN PTR a.example.\n3 IN PTR b.example.\n\
            4 IN PTR a.example.\n";
        let set = set_of(&[
            (&v4, "0.0.10.in-addr.arpa."),
            (other, "0.10.in-addr.arpa."),
            (v6, &six),
        ]);
        // The reverse zones' names are still found by name, their index released.
        for zone in &set.zones {
            assert!(zone.names.index_released());
            assert_eq!(
                zone.names.find_same(&zone.names, zone.origin),
                Some(zone.origin)
            );
        }
        let index = SetIndex::build(&set);
        let table = index.ptr_table(&set);
        let shared: Vec<Vec<String>> = index
            .addresses_with_several_ptrs(&set)
            .iter()
            .map(|run| {
                table
                    .entries(run.clone())
                    .map(|e| {
                        let zone = &set.zones[e.zone as usize];
                        zone.name(zone.target(&zone.records[e.record as usize]).unwrap())
                    })
                    .collect()
            })
            .collect();
        assert_eq!(
            shared,
            [
                vec!["h7.example.", "x.example."],
                vec!["h9.example.", "a.example.", "b.example."],
                vec!["a.example.", "b.example."],
            ]
        );
    }

    #[test]
    fn the_hidden_flag_finds_the_occluders_a_walk_finds() {
        let zone = "@ IN SOA ns h 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.1\n\
            sub IN NS ns.sub\nns.sub IN A 192.0.2.2\na.b.sub IN A 192.0.2.3\n\
            deeper.x.sub IN NS ns.sub\nc.deeper.x.sub IN TXT t\n\
            old IN DNAME new.example.\nwww.old IN A 192.0.2.4\n\
            plain.host IN A 192.0.2.5\nhost IN MX 10 mail.elsewhere.\n\
            n.elsewhere. IN NS ns\nx.n.elsewhere. IN A 192.0.2.6\n\
            above. IN NS ns\nb.c.above. IN A 192.0.2.9\n";
        let apex_dname = "@ IN SOA ns h 1 2 3 4 5\n@ IN DNAME other.\nwww IN A 192.0.2.7\n\
            a.b IN TXT t\n";
        let no_cuts = "@ IN SOA ns h 1 2 3 4 5\n@ IN NS ns\nwww IN A 192.0.2.8\n";
        for (text, origin, hidden) in [
            (zone, "example.test.", 8),
            (apex_dname, "example.test.", 5),
            (no_cuts, "example.test.", 0),
            (zone, ".", 10),
        ] {
            let set = set_of(&[(text, origin)]);
            let (zone, index) = (&set.zones[0], ZoneIndex::build(&set.zones[0]));
            let mut found = 0;
            for id in 0..zone.names.len() {
                let name = NameId(id as u32);
                let walked = index.occluder_walk(zone, name);
                assert_eq!(index.occluder(zone, name), walked, "{}", zone.name(name));
                // The flag is exact: set on a parent just when its children are hidden.
                if let Some(parent) = zone.names.parent(name) {
                    let flagged = index.has(parent, HIDES_BELOW);
                    assert_eq!(flagged, walked.is_some(), "{}", zone.name(name));
                }
                found += usize::from(walked.is_some());
            }
            assert_eq!(found, hidden, "{origin}\n{text}");
        }
    }

    #[test]
    fn tables_made_in_blocks_are_the_records_in_order() {
        let mut a = String::from("@ IN SOA ns h 1 2 3 4 5\n");
        let mut b = a.clone();
        for i in 0..40 {
            a.push_str(&format!("h{i} IN A 10.0.0.{i}\nh{i} IN TXT \"t\"\n"));
            b.push_str(&format!("g{i} IN MX 10 h\ng{i} IN A 10.1.0.{i}\n"));
        }
        let set = set_of(&[(&a, "a.test."), (&b, "b.test.")]);
        // `may` lets A and MX records through; `item` keeps the A records whose last
        // octet is not a multiple of three, so blocks end with gaps to close up.
        let may = |_: usize, r: &Record| matches!(r.rtype, RType::A | RType::MX);
        let item = |_: &mut (), z: usize, i: usize, r: &Record| match set.zones[z].address(r) {
            Some(std::net::IpAddr::V4(v4)) if v4.octets()[3] % 3 != 0 => Some((z, i)),
            _ => None,
        };
        let expected: Vec<(usize, usize)> = [0, 1]
            .iter()
            .flat_map(|&z| {
                set.zones[z]
                    .records
                    .iter()
                    .enumerate()
                    .map(move |(i, r)| (z, i, r))
            })
            .filter_map(|(z, i, r)| item(&mut (), z, i, r))
            .collect();
        assert_eq!(expected.len(), 2 * 26);
        for block in [1, 2, 3, 7, 64, 1 << 15] {
            assert_eq!(
                table_of(block, &set, &[0, 1], may, |_| (), item),
                expected,
                "{block}"
            );
        }
        assert_eq!(table_of(3, &set, &[1], may, |_| (), item), expected[26..]);
        assert!(table_of(3, &set, &[], may, |_| (), item).is_empty());
    }
}
