//! Records sorted by address: the A/AAAA records of a set, or its PTRs by the address
//! their owner stands for (see [`super::index::SetIndex`]).
//!
//! A set of a million records holds about as many addresses, and the forward and
//! reverse tables live side by side while the PTR rules run. IPv4 addresses, most of
//! them in most sets, are kept apart from IPv6 ones: an IPv4 entry is its address and a
//! set-wide record number in 8 bytes, where one entry for both families took 24.

use super::zone::{Record, ZoneSet};
use std::net::IpAddr;
use std::ops::Range;
use std::sync::{Mutex, PoisonError};

/// An address as one sortable key (IPv4 as IPv4-mapped IPv6), kept as two halves: a
/// `u128` would align, and so pad, a table entry to 32 bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AddressKey {
    high: u64,
    low: u64,
}

/// The IPv4-mapped IPv6 addresses (`::ffff:0:0/96`) start at this `low` half (with a
/// `high` half of zero): the keys an IPv4 address has.
const MAPPED: u64 = 0xffff_0000_0000;

impl AddressKey {
    /// The IPv4 address this key stands for, IPv4-mapped IPv6 addresses included.
    fn v4(self) -> Option<u32> {
        (self.high == 0 && self.low >> 32 == MAPPED >> 32).then_some(self.low as u32)
    }

    fn of_v4(address: u32) -> AddressKey {
        AddressKey {
            high: 0,
            low: MAPPED | u64::from(address),
        }
    }
}

/// An address as one sortable key (IPv4 as IPv4-mapped IPv6).
pub fn address_key(address: IpAddr) -> AddressKey {
    let bits = match address {
        IpAddr::V4(a) => u128::from(a.to_ipv6_mapped()),
        IpAddr::V6(a) => u128::from(a),
    };
    AddressKey {
        high: (bits >> 64) as u64,
        low: bits as u64,
    }
}

/// An entry of an [`AddressTable`], as the table gives it: a record (zone, record index)
/// and the address it is sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct AddressEntry {
    pub key: AddressKey,
    pub zone: u32,
    pub record: u32,
}

/// An IPv6 entry: the address in 32-bit pieces, most significant first (so that the
/// derived order is the address order), and the set-wide record number. 20 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct V6Entry {
    key: [u32; 4],
    record: u32,
}

impl V6Entry {
    fn key(&self) -> AddressKey {
        let [a, b, c, d] = self.key.map(u64::from);
        AddressKey {
            high: a << 32 | b,
            low: c << 32 | d,
        }
    }
}

/// A table entry of either family.
enum Entry {
    V4(u64),
    V6(V6Entry),
}

/// The entry of `address` for the set-wide record `record`: IPv4 and IPv4-mapped IPv6
/// addresses in 8 bytes, the rest in 20.
fn entry_of(address: IpAddr, record: u32) -> Entry {
    let key = address_key(address);
    match key.v4() {
        Some(v4) => Entry::V4(u64::from(v4) << 32 | u64::from(record)),
        None => Entry::V6(V6Entry {
            key: [
                (key.high >> 32) as u32,
                key.high as u32,
                (key.low >> 32) as u32,
                key.low as u32,
            ],
            record,
        }),
    }
}

/// Keeps an entry of the other family than its table's for later (see
/// [`AddressTable::build`]).
fn set_aside<T, U>(misfits: &Mutex<Vec<T>>, entry: T) -> Option<U> {
    misfits
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(entry);
    None
}

/// Adds the entries set aside for `table`.
fn take_in<T>(table: &mut Vec<T>, misfits: Mutex<Vec<T>>) {
    let misfits = misfits.into_inner().unwrap_or_else(PoisonError::into_inner);
    table.reserve_exact(misfits.len());
    table.extend(misfits);
}

/// Records sorted by address, then in the set's order: read as one sequence in the
/// order of [`AddressKey`].
#[derive(Default)]
#[cfg_attr(test, derive(Debug, PartialEq))]
pub struct AddressTable {
    /// `address << 32 | set-wide record number`, sorted.
    v4: Vec<u64>,
    v6: Vec<V6Entry>,
    /// How many IPv6 entries sort before every IPv4 one (addresses below `::ffff:0:0`).
    v6_before: usize,
    /// The set-wide number of each zone's first record ([`AddressTable::record`]).
    zone_starts: Vec<u32>,
}

/// The family a record's address most likely has, as a caller knows it without working
/// the address out (an A record, an in-addr.arpa zone): [`AddressTable::build`] makes
/// room for each family by it. A wrong guess costs room, never an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    V4,
    V6,
}

impl AddressTable {
    /// The table of what `item` makes of the records of `zones`: for each record, the
    /// address it is sorted by. `family` says which records may have one, and of which
    /// family (see [`Family`]). `item` is given a state of its zone's own, made by
    /// `state`.
    pub fn build<S>(
        set: &ZoneSet,
        zones: &[usize],
        family: impl Fn(usize, &Record) -> Option<Family> + Sync,
        state: impl Fn(usize) -> S + Sync,
        item: impl Fn(&mut S, usize, usize, &Record) -> Option<IpAddr> + Sync,
    ) -> AddressTable {
        use rayon::prelude::*;
        // Numbers run to the set's record count, far below 2^32 in any set that fits in
        // memory (a record alone takes 24 bytes).
        let mut zone_starts = Vec::with_capacity(set.zones.len());
        let mut next = 0u32;
        for zone in &set.zones {
            zone_starts.push(next);
            next = next.saturating_add(zone.records.len() as u32);
        }
        let number = |z: usize, i: usize| zone_starts[z] + i as u32;
        // Each family is filled in its own table, sized by the guesses. An address of
        // the other family than guessed (an IPv4-mapped AAAA, an owner outside its
        // zone) is set aside and added after: rare, so its room is no concern.
        let misfits_v4: Mutex<Vec<u64>> = Mutex::default();
        let misfits_v6: Mutex<Vec<V6Entry>> = Mutex::default();
        let block = super::index::TABLE_BLOCK;
        let mut v4 = super::index::table_of(
            block,
            set,
            zones,
            |z, r| family(z, r) == Some(Family::V4),
            &state,
            |s, z, i, r| match entry_of(item(s, z, i, r)?, number(z, i)) {
                Entry::V4(e) => Some(e),
                Entry::V6(e) => set_aside(&misfits_v6, e),
            },
        );
        let mut v6 = super::index::table_of(
            block,
            set,
            zones,
            |z, r| family(z, r) == Some(Family::V6),
            &state,
            |s, z, i, r| match entry_of(item(s, z, i, r)?, number(z, i)) {
                Entry::V6(e) => Some(e),
                Entry::V4(e) => set_aside(&misfits_v4, e),
            },
        );
        take_in(&mut v4, misfits_v4);
        take_in(&mut v6, misfits_v6);
        // Room left by records `item` passed over (or guessed into the other family).
        v4.shrink_to_fit();
        v6.shrink_to_fit();
        v4.par_sort_unstable();
        v6.par_sort_unstable();
        let first_v4 = AddressKey::of_v4(0);
        let v6_before = v6.partition_point(|e| e.key() < first_v4);
        AddressTable {
            v4,
            v6,
            v6_before,
            zone_starts,
        }
    }

    pub fn len(&self) -> usize {
        self.v4.len() + self.v6.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// (zone, record index) of a set-wide record number.
    fn record(&self, number: u32) -> (u32, u32) {
        let zone = self.zone_starts.partition_point(|&s| s <= number) - 1;
        (zone as u32, number - self.zone_starts[zone])
    }

    /// The address and set-wide record number of the `k`th entry in address order.
    #[inline]
    fn key_and_number(&self, k: usize) -> (AddressKey, u32) {
        if k < self.v6_before {
            (self.v6[k].key(), self.v6[k].record)
        } else if k < self.v6_before + self.v4.len() {
            let e = self.v4[k - self.v6_before];
            (AddressKey::of_v4((e >> 32) as u32), e as u32)
        } else {
            let e = &self.v6[k - self.v4.len()];
            (e.key(), e.record)
        }
    }

    /// The `k`th entry in address order.
    pub fn get(&self, k: usize) -> AddressEntry {
        let (key, number) = self.key_and_number(k);
        let (zone, record) = self.record(number);
        AddressEntry { key, zone, record }
    }

    /// The address of the `k`th entry, without working out its record.
    #[inline]
    pub fn key(&self, k: usize) -> AddressKey {
        self.key_and_number(k).0
    }

    /// The first entry of `from` whose address is not `key` (or the end of `from`): where
    /// a run of entries with `key` that starts the range ends. Runs are short (one or two
    /// entries): scanned, not searched.
    pub fn run_end(&self, key: AddressKey, from: Range<usize>) -> usize {
        let end = from.end;
        from.into_iter()
            .find(|&k| self.key(k) != key)
            .unwrap_or(end)
    }

    /// The entries of `range`, in address order.
    pub fn entries(
        &self,
        range: Range<usize>,
    ) -> impl DoubleEndedIterator<Item = AddressEntry> + '_ {
        range.map(|k| self.get(k))
    }

    pub fn iter(&self) -> impl Iterator<Item = AddressEntry> + '_ {
        self.entries(0..self.len())
    }

    /// The ranges of entries of one address each, in order.
    pub fn runs(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        let mut start = 0;
        std::iter::from_fn(move || {
            if start == self.len() {
                return None;
            }
            let end = self.run_end(self.key(start), start..self.len());
            let run = start..end;
            start = end;
            Some(run)
        })
    }

    /// The first index in `range` whose key `before` does not hold for: `before` must
    /// hold for the keys of a first stretch of the range and for none after it.
    pub fn partition_point(
        &self,
        range: Range<usize>,
        before: impl Fn(AddressKey) -> bool,
    ) -> usize {
        let (mut lo, mut hi) = (range.start, range.end);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if before(self.key(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The entries with `key`.
    pub fn with_key(&self, key: AddressKey) -> Range<usize> {
        let all = 0..self.len();
        let start = self.partition_point(all.clone(), |k| k < key);
        start..self.partition_point(start..all.end, |k| k <= key)
    }

    /// Bytes the entries take (for tests of the layout).
    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.v4.capacity() * size_of::<u64>() + self.v6.capacity() * size_of::<V6Entry>()
    }
}

const _: () = assert!(size_of::<V6Entry>() == 20);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_keys_sort_as_the_addresses_do() {
        let addresses: Vec<IpAddr> = [
            "::",
            "::1",
            "::ffff:0.0.0.0",
            "192.0.2.1",
            "192.0.2.2",
            "255.255.255.255",
            "2001:db8::1",
            "2001:db9::1",
            "fd8a:3c21:77e0::1",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        ]
        .iter()
        .map(|a| a.parse().unwrap())
        .collect();
        let bits = |a: &IpAddr| match a {
            IpAddr::V4(v4) => u128::from(v4.to_ipv6_mapped()),
            IpAddr::V6(v6) => u128::from(*v6),
        };
        for a in &addresses {
            assert_eq!(
                address_key(*a).v4(),
                match a {
                    IpAddr::V4(v4) => Some(u32::from(*v4)),
                    IpAddr::V6(v6) => v6.to_ipv4_mapped().map(u32::from),
                },
                "{a}"
            );
            for b in &addresses {
                assert_eq!(
                    address_key(*a).cmp(&address_key(*b)),
                    bits(a).cmp(&bits(b)),
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn a_table_reads_as_every_entry_sorted_by_address_then_record() {
        use crate::syntax::parser::set_of_texts as set_of;
        // Addresses below, among and above the IPv4-mapped ones, IPv4-mapped AAAAs
        // beside A records of the same address, and repeats across zones.
        let addresses = [
            "2001:db8::1",
            "192.0.2.7",
            "::1",
            "::ffff:192.0.2.7",
            "10.0.0.1",
            "fd00::5",
            "::fffe:ffff:ffff",
            "192.0.2.7",
            "::ffff:0:0",
            "255.255.255.255",
            "1::",
        ];
        let zone = |salt: usize| {
            let mut text = String::from("@ IN SOA ns h 1 2 3 4 5\n@ IN TXT \"x\"\n");
            for (i, a) in addresses.iter().enumerate() {
                let kind = if a.contains(':') { "AAAA" } else { "A" };
                text.push_str(&format!("h{} IN {kind} {a}\n", (i * 7 + salt) % 5));
            }
            text
        };
        let (a, b, c) = (zone(0), zone(1), zone(3));
        let set = set_of(&[(&a, "a.test."), (&b, "b.test."), (&c, "c.test.")]);
        // Guesses of the family: right (but for the mapped AAAAs), all IPv4, all IPv6.
        // Each must give the same table.
        use crate::rr::RType;
        type Guess<'a> = &'a (dyn Fn(usize, &Record) -> Option<Family> + Sync);
        let guesses: [Guess; 3] = [
            &|_, r| match r.rtype {
                RType::A => Some(Family::V4),
                RType::AAAA => Some(Family::V6),
                _ => None,
            },
            &|_, r| (r.rtype != RType::TXT).then_some(Family::V4),
            &|_, r| (r.rtype != RType::TXT).then_some(Family::V6),
        ];
        let tables = guesses.map(|family| {
            AddressTable::build(
                &set,
                &[0, 2, 1],
                family,
                |_| (),
                |_, z, _, r| set.zones[z].address(r),
            )
        });
        let table = &tables[0];
        assert_eq!(tables[1], tables[0]);
        assert_eq!(tables[2], tables[0]);
        let mut expected: Vec<AddressEntry> = [0, 1, 2]
            .iter()
            .flat_map(|&z| {
                let zone = &set.zones[z];
                zone.records.iter().enumerate().filter_map(move |(i, r)| {
                    Some(AddressEntry {
                        key: address_key(zone.address(r)?),
                        zone: z as u32,
                        record: i as u32,
                    })
                })
            })
            .collect();
        expected.sort();
        assert_eq!(expected.len(), 3 * addresses.len());
        assert_eq!(table.iter().collect::<Vec<_>>(), expected);
        assert_eq!(table.len(), expected.len());
        for (k, e) in expected.iter().enumerate() {
            assert_eq!(table.key(k), e.key);
        }
        // Six of the eleven are IPv4 or IPv4-mapped: 8 bytes each, the rest 20.
        // Whatever the guesses, nothing more is held.
        for t in &tables {
            assert_eq!(t.bytes(), 3 * (6 * 8 + 5 * 20));
        }
        for a in addresses.iter().chain(&["192.0.2.8", "::2", "ffff::"]) {
            let key = address_key(a.parse().unwrap());
            let want: Vec<_> = expected.iter().filter(|e| e.key == key).copied().collect();
            let got: Vec<_> = table.entries(table.with_key(key)).collect();
            assert_eq!(got, want, "{a}");
        }
        let empty = AddressTable::build(
            &set,
            &[],
            |_, _| Some(Family::V4),
            |_| (),
            |_, _, _, _| None,
        );
        assert!(empty.is_empty());
        assert_eq!(empty.with_key(address_key("::1".parse().unwrap())), 0..0);
    }
}
