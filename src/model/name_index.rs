//! The hash index of a [`NameTable`](super::names::NameTable): name id by name hash.
//!
//! Interning a large zone is bounded by memory latency, not arithmetic: almost every
//! lookup lands on a cold cache line. A general hash table keeps its control bytes and
//! its entries in two arrays, so an insert touches two cold lines. Here each entry is
//! the name's full 32-bit hash beside its id, eight entries to a 64-byte group aligned
//! to a cache line: a lookup of a name that is not there reads one line, and a lookup
//! of one that is compares full hashes before it touches the node. Entries are never
//! removed, so the first empty entry ends a search.

/// Eight entries, one cache line. An entry is `hash << 32 | (id + 1)`; 0 is empty.
#[derive(Clone, Copy, Default)]
#[repr(align(64))]
struct Group([u64; 8]);

const EMPTY: u64 = 0;

#[derive(Clone)]
pub struct NameIndex {
    groups: Vec<Group>,
    len: usize,
}

/// The number of groups that holds `names` entries at most 7/8 full.
fn groups_for(names: usize) -> usize {
    let entries = names.saturating_mul(8) / 7 + 1;
    entries.div_ceil(8)
}

/// Where a search for `hash` looks: its home group, then the groups after it. Any
/// number of groups works (no rounding up to a power of two, which would cost up to
/// twice the memory).
struct Probe {
    group: usize,
    groups: usize,
}

impl Probe {
    #[inline]
    fn new(hash: u32, groups: usize) -> Probe {
        // Scales the hash onto 0..groups (a multiply, not a division).
        Probe {
            group: ((u64::from(hash) * groups as u64) >> 32) as usize,
            groups,
        }
    }

    #[inline]
    fn advance(&mut self) {
        self.group += 1;
        if self.group == self.groups {
            self.group = 0;
        }
    }
}

/// The outcome of [`NameIndex::find_or_insert`].
pub enum Found {
    /// The id of the name that was there.
    Existing(u32),
    /// The name was not there; the new id now stands for it.
    Inserted,
}

impl NameIndex {
    pub fn with_capacity(names: usize) -> NameIndex {
        NameIndex {
            groups: empty_groups(groups_for(names)),
            len: 0,
        }
    }

    /// The most entries the current groups take.
    fn capacity(&self) -> usize {
        self.groups.len() * 8 * 7 / 8
    }

    /// The id of a name with `hash` for which `same(id)` holds.
    #[inline]
    pub fn find(&self, hash: u32, mut same: impl FnMut(u32) -> bool) -> Option<u32> {
        let mut probe = Probe::new(hash, self.groups.len());
        loop {
            for &entry in &self.groups[probe.group].0 {
                if entry == EMPTY {
                    return None;
                }
                if (entry >> 32) as u32 == hash && same(entry as u32 - 1) {
                    return Some(entry as u32 - 1);
                }
            }
            probe.advance();
        }
    }

    /// The id of a name with `hash` for which `same(id)` holds, or, when there is none,
    /// `new_id` entered for it. `new_id` must be below `u32::MAX`.
    #[inline]
    pub fn find_or_insert(
        &mut self,
        hash: u32,
        mut same: impl FnMut(u32) -> bool,
        new_id: u32,
    ) -> Found {
        if self.len >= self.capacity() {
            // Half again: reserved tables rarely grow, and an index is a large array.
            // Into the room reserved first, where there is more of it: only growing
            // beyond it holds the old groups beside the new.
            let half_again = self.groups.len() + self.groups.len() / 2 + 1;
            let room = self.groups.capacity();
            self.grow(if room > self.groups.len() {
                half_again.min(room)
            } else {
                half_again
            });
        }
        let mut probe = Probe::new(hash, self.groups.len());
        loop {
            let group = &mut self.groups[probe.group].0;
            for entry in group.iter_mut() {
                if *entry == EMPTY {
                    *entry = (u64::from(hash) << 32) | (u64::from(new_id) + 1);
                    self.len += 1;
                    return Found::Inserted;
                }
                if (*entry >> 32) as u32 == hash && same(*entry as u32 - 1) {
                    return Found::Existing(*entry as u32 - 1);
                }
            }
            probe.advance();
        }
    }

    /// Asks the processor to start loading the group where a search for `hash` begins,
    /// so that a caller who knows the hashes it will look up next can overlap their
    /// cache misses with the work in between. Only a hint: nothing changes.
    #[inline]
    pub fn prefetch(&self, hash: u32) {
        crate::memory::prefetch(&self.groups[Probe::new(hash, self.groups.len()).group]);
    }

    /// Enters `id` for `hash`, known not to be there yet.
    pub fn insert_new(&mut self, hash: u32, id: u32) {
        let _ = self.find_or_insert(hash, |_| false, id);
    }

    /// Gives each entry the id `map` holds for its own (the ids of another table).
    /// The entries stay where they are: they keep their hashes.
    pub fn remap(&mut self, map: &[u32]) {
        for group in &mut self.groups {
            for entry in &mut group.0 {
                if *entry != EMPTY {
                    let id = map[(*entry as u32 - 1) as usize];
                    *entry = (*entry & !u64::from(u32::MAX)) | (u64::from(id) + 1);
                }
            }
        }
    }

    /// How many groups the index holds (tests of its memory).
    #[cfg(test)]
    pub fn groups_len(&self) -> usize {
        self.groups.len()
    }

    /// How many groups its memory holds, and where that is (tests of its growth).
    #[cfg(test)]
    pub fn room(&self) -> (usize, *const u8) {
        (self.groups.capacity(), self.groups.as_ptr().cast())
    }

    /// Makes room for `more` entries beyond those held.
    pub fn reserve(&mut self, more: usize) {
        if self.len + more > self.capacity() {
            self.grow(groups_for(self.len + more));
        }
    }

    /// Makes the groups' memory hold enough for `more` entries beyond those held, without
    /// using it yet: the index grows into it later ([`NameIndex::reserve`]) in place,
    /// never holding the old groups and the new at once. Pages not yet used cost no
    /// memory.
    pub fn reserve_room(&mut self, more: usize) {
        let wanted = groups_for(self.len.saturating_add(more));
        if wanted > self.groups.capacity() {
            self.groups.reserve_exact(wanted - self.groups.len());
            crate::memory::prefer_huge_pages(&self.groups);
        }
    }

    /// Moves the entries into `wanted` groups. The entries carry their hashes: no name
    /// is looked at.
    fn grow(&mut self, wanted: usize) {
        if wanted <= self.groups.capacity() {
            let _ = self.grow_in_place(wanted);
            return;
        }
        let old = std::mem::replace(&mut self.groups, empty_groups(wanted));
        for group in old {
            for entry in group.0 {
                if entry != EMPTY {
                    self.place(entry);
                }
            }
        }
    }

    /// [`NameIndex::grow`] within the memory the groups have (see
    /// [`NameIndex::reserve_room`]).
    ///
    /// A hash's home group is the hash scaled onto the groups, so with more groups it
    /// lies at the same place or later. The old groups are emptied from the last one
    /// down, and each entry is placed again at its new home or after it. When the
    /// entries of group `g` are placed, every group from `g` on holds only entries
    /// already placed anew, or none, and none of those is ever emptied again, so each
    /// entry's run from its home stays unbroken. Two kinds of entry would have to run
    /// through groups not yet emptied: one whose new home lies before `g` (it had been
    /// pushed far from its old home) and one whose run reaches the last group. Those few
    /// are set aside and placed once every group is in the new order. Returns how many
    /// were.
    fn grow_in_place(&mut self, wanted: usize) -> usize {
        let old = self.groups.len();
        self.groups.resize(wanted, Group::default());
        let mut aside = Vec::new();
        for g in (0..old).rev() {
            for entry in std::mem::take(&mut self.groups[g]).0 {
                if entry == EMPTY {
                    continue;
                }
                let mut probe = Probe::new((entry >> 32) as u32, wanted);
                if probe.group < g {
                    aside.push(entry);
                    continue;
                }
                'placed: loop {
                    for slot in self.groups[probe.group].0.iter_mut() {
                        if *slot == EMPTY {
                            *slot = entry;
                            break 'placed;
                        }
                    }
                    if probe.group + 1 == wanted {
                        aside.push(entry);
                        break;
                    }
                    probe.advance();
                }
            }
        }
        for &entry in &aside {
            self.place(entry);
        }
        aside.len()
    }

    /// Puts an entry known not to be there yet in the first empty slot from its home.
    fn place(&mut self, entry: u64) {
        let mut probe = Probe::new((entry >> 32) as u32, self.groups.len());
        loop {
            for slot in self.groups[probe.group].0.iter_mut() {
                if *slot == EMPTY {
                    *slot = entry;
                    return;
                }
            }
            probe.advance();
        }
    }
}

/// `n` empty groups, on huge pages where the system gives them (lookups land anywhere).
fn empty_groups(n: usize) -> Vec<Group> {
    let mut groups = Vec::with_capacity(n);
    crate::memory::prefer_huge_pages(&groups);
    groups.resize(n, Group::default());
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_by_hash_and_identity_through_growth() {
        let mut index = NameIndex::with_capacity(1);
        // Hashes that collide in full, that fall in one group, and spread ones.
        let hash = |id: u32| match id % 3 {
            0 => 7,
            1 => id,
            _ => id.wrapping_mul(0x9e37_79b9),
        };
        for id in 0..5000u32 {
            match index.find_or_insert(hash(id), |other| other == id, id) {
                Found::Inserted => {}
                Found::Existing(other) => panic!("{id} found as {other}"),
            }
        }
        assert_eq!(index.len, 5000);
        for id in 0..5000u32 {
            // A prefetch is only a hint: it changes nothing a lookup sees.
            index.prefetch(hash(id));
            index.prefetch(u32::MAX - id);
            assert_eq!(index.find(hash(id), |other| other == id), Some(id));
            assert!(matches!(
                index.find_or_insert(hash(id), |other| other == id, 9999),
                Found::Existing(found) if found == id
            ));
        }
        assert_eq!(index.len, 5000, "finding inserts nothing");
        assert_eq!(index.find(hash(1), |_| false), None);
        assert_eq!(index.find(12345, |_| true), None);
    }

    #[test]
    fn an_empty_index_finds_nothing() {
        let index = NameIndex::with_capacity(0);
        assert_eq!(index.find(0, |_| true), None);
        assert_eq!(index.find(u32::MAX, |_| true), None);
    }

    #[test]
    fn an_index_takes_about_eight_sevenths_of_an_entry_per_name() {
        for names in [1, 7, 100, 7000, 1_000_000] {
            let index = NameIndex::with_capacity(names);
            let entries = index.groups.len() * 8;
            assert!(index.capacity() >= names, "{names}: room for every name");
            assert!(
                entries <= names * 8 / 7 + 8,
                "{names} names: {entries} entries is more than needed"
            );
        }
    }

    #[test]
    fn reserving_keeps_the_entries_and_leaves_room() {
        let mut index = NameIndex::with_capacity(0);
        for id in 0..100 {
            index.insert_new(id * 31, id);
        }
        index.reserve(10_000);
        assert!(index.capacity() >= 10_100);
        for id in 0..100 {
            assert_eq!(index.find(id * 31, |other| other == id), Some(id));
        }
    }

    /// Hashes for which growing in place sets entries aside: a long run of one hash at
    /// the start (pushed far from its home), runs at the very end (whose places wrap
    /// around), and spread ones.
    fn hashes_that_run_long(id: u32) -> u32 {
        match id % 4 {
            0 => 3,
            1 => u32::MAX - id % 64,
            _ => id.wrapping_mul(0x9e37_79b9),
        }
    }

    #[test]
    fn room_reserved_is_grown_into_in_place_and_every_entry_is_found() {
        for (names, room) in [(10, 30), (700, 5000), (3000, 3100), (3000, 10_000)] {
            let mut index = NameIndex::with_capacity(names);
            index.reserve_room(room);
            let memory = index.groups.as_ptr();
            let capacity = index.groups.capacity();
            assert!(capacity >= groups_for(room), "room for {room} names");
            for id in 0..room as u32 {
                assert!(matches!(
                    index.find_or_insert(hashes_that_run_long(id), |other| other == id, id),
                    Found::Inserted
                ));
            }
            assert!(index.groups.len() > groups_for(names), "the index grew");
            assert_eq!(index.groups.as_ptr(), memory, "in the memory reserved");
            assert_eq!(index.groups.capacity(), capacity);
            for id in 0..room as u32 {
                let hash = hashes_that_run_long(id);
                assert_eq!(index.find(hash, |other| other == id), Some(id), "{id}");
            }
            assert_eq!(index.find(5, |_| true), None);
            assert_eq!(index.len, room);
        }
    }

    #[test]
    fn growing_in_place_keeps_every_run_unbroken() {
        // Full to the limit, then grown once to a size a little larger and once to a
        // much larger one: the new homes of the first entries lie before the group they
        // were pushed to, and the last runs reach the end.
        for wanted in [1.1f64, 1.5, 4.0] {
            let mut index = NameIndex::with_capacity(2000);
            let cap = index.capacity();
            for id in 0..cap as u32 {
                index.insert_new(hashes_that_run_long(id), id);
            }
            let groups = (index.groups.len() as f64 * wanted) as usize;
            index.groups.reserve_exact(groups - index.groups.len());
            let memory = index.groups.as_ptr();
            index.grow(groups);
            assert_eq!(index.groups.as_ptr(), memory);
            assert_eq!(index.groups.len(), groups);
            let entries = index
                .groups
                .iter()
                .flat_map(|g| g.0)
                .filter(|&e| e != EMPTY);
            assert_eq!(entries.count(), cap, "each entry once");
            for id in 0..cap as u32 {
                let hash = hashes_that_run_long(id);
                assert_eq!(
                    index.find(hash, |other| other == id),
                    Some(id),
                    "{wanted}: {id}"
                );
            }
        }
    }

    #[test]
    fn growing_in_place_sets_aside_only_the_few_entries_it_must() {
        // Spread hashes at the 7/8 limit, grown by half and by a tenth: an entry is set
        // aside only when it had been pushed far from its home or its run reaches the
        // last group, not whenever its new home is full.
        let spread = |id: u32| {
            let x = u64::from(id).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            ((x ^ (x >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) >> 32) as u32
        };
        for (more, most) in [(50, 200), (10, 100)] {
            let mut index = NameIndex::with_capacity(50_000);
            let cap = index.capacity();
            for id in 0..cap as u32 {
                index.insert_new(spread(id), id);
            }
            let groups = index.groups.len() * (100 + more) / 100;
            index.groups.reserve_exact(groups - index.groups.len());
            let aside = index.grow_in_place(groups);
            assert!(aside * most < cap, "{aside} of {cap} entries set aside");
            for id in 0..cap as u32 {
                assert_eq!(index.find(spread(id), |o| o == id), Some(id));
            }
        }
        // Runs that reach the last group, and one pushed far from its home, are.
        let mut index = NameIndex::with_capacity(2000);
        let cap = index.capacity();
        for id in 0..cap as u32 {
            index.insert_new(hashes_that_run_long(id), id);
        }
        let groups = index.groups.len() * 3 / 2;
        index.groups.reserve_exact(groups - index.groups.len());
        assert!(index.grow_in_place(groups) > 0);
    }

    #[test]
    fn reserving_room_uses_none_of_it_yet() {
        let mut index = NameIndex::with_capacity(100);
        let groups = index.groups.len();
        index.reserve_room(0);
        assert_eq!(index.groups.capacity(), groups, "no room asked, none taken");
        index.reserve_room(50_000);
        assert_eq!(index.groups.len(), groups);
        assert_eq!(
            index.groups.capacity(),
            groups_for(50_000),
            "the room asked for"
        );
        // Room already there is not asked for again.
        let memory = index.groups.as_ptr();
        index.reserve_room(10_000);
        assert_eq!(index.groups.as_ptr(), memory);
    }

    #[test]
    fn a_full_table_still_ends_every_search() {
        // At the 7/8 limit some entries are empty, so a search for a missing hash stops.
        let mut index = NameIndex::with_capacity(7);
        let cap = index.capacity();
        for id in 0..cap as u32 {
            index.insert_new(id, id);
        }
        assert_eq!(
            index.groups.len() * 8 * 7 / 8,
            cap,
            "no growth up to the limit"
        );
        assert_eq!(index.find(u32::MAX, |_| true), None);
    }
}
