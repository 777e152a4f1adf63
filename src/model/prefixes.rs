//! Which of many prefixes hold an address, in time that does not grow with their
//! number: one hash table per prefix length in use.

use ipnet::IpNet;
use std::net::IpAddr;

/// Prefixes (NAT mappings, inventory networks) indexed for lookup by address.
#[derive(Clone, Debug, Default)]
pub struct PrefixTable {
    /// (IPv6?, prefix length, network bits → entries), longest prefixes first.
    by_len: Vec<(bool, u8, hashbrown::HashMap<u128, Vec<usize>>)>,
}

fn bits(address: IpAddr) -> (bool, u128, u8) {
    match address {
        IpAddr::V4(a) => (false, u32::from(a) as u128, 32),
        IpAddr::V6(a) => (true, u128::from(a), 128),
    }
}

fn masked(value: u128, width: u8, len: u8) -> u128 {
    if len == 0 {
        0
    } else {
        value >> (width - len) << (width - len)
    }
}

impl PrefixTable {
    /// A table of `prefixes`, each with the entry it stands for.
    pub fn new(prefixes: impl IntoIterator<Item = (IpNet, usize)>) -> PrefixTable {
        let mut table = PrefixTable::default();
        for (net, entry) in prefixes {
            let (v6, value, width) = bits(net.network());
            let len = net.prefix_len();
            let key = masked(value, width, len);
            let slot = match table
                .by_len
                .iter()
                .position(|(f, l, _)| *f == v6 && *l == len)
            {
                Some(i) => i,
                None => {
                    table.by_len.push((v6, len, hashbrown::HashMap::new()));
                    table.by_len.len() - 1
                }
            };
            table.by_len[slot].2.entry(key).or_default().push(entry);
        }
        table
            .by_len
            .sort_by_key(|(_, len, _)| std::cmp::Reverse(*len));
        table
    }

    /// The entries whose prefix holds `address`, longest prefix first (in the order
    /// given, among equal prefixes).
    pub fn matching(&self, address: IpAddr) -> impl Iterator<Item = usize> + '_ {
        let (v6, value, width) = bits(address);
        self.by_len
            .iter()
            .filter(move |(f, _, _)| *f == v6)
            .filter_map(move |(_, len, map)| map.get(&masked(value, width, *len)))
            .flatten()
            .copied()
    }
}

/// The first pair of prefixes that overlap without being equal, if any (one holds
/// the other with a different length). Sorting by start and length makes each prefix
/// meet only those that could hold it.
pub fn nested_pair(prefixes: &[IpNet]) -> Option<(usize, usize)> {
    let mut order: Vec<usize> = (0..prefixes.len()).collect();
    let key = |n: &IpNet| {
        let (v6, value, _) = bits(n.network());
        (v6, value, n.prefix_len())
    };
    order.sort_by_key(|&i| key(&prefixes[i]));
    let mut open: Vec<usize> = Vec::new();
    for &i in &order {
        let here = prefixes[i];
        while open
            .last()
            .is_some_and(|&o| !prefixes[o].contains(&here.network()))
        {
            open.pop();
        }
        if let Some(&o) = open.last()
            && prefixes[o] != here
        {
            return Some((o.min(i), o.max(i)));
        }
        open.push(i);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str) -> IpNet {
        s.parse().unwrap()
    }

    #[test]
    fn lookups_find_every_holder_longest_first() {
        let t = PrefixTable::new([
            (net("10.0.0.0/8"), 0),
            (net("10.1.0.0/16"), 1),
            (net("10.1.0.0/16"), 2),
            (net("2001:db8::/32"), 3),
            (net("0.0.0.0/0"), 4),
        ]);
        let at = |a: &str| t.matching(a.parse().unwrap()).collect::<Vec<_>>();
        assert_eq!(at("10.1.2.3"), vec![1, 2, 0, 4]);
        assert_eq!(at("10.2.0.1"), vec![0, 4]);
        assert_eq!(at("192.0.2.1"), vec![4]);
        assert_eq!(at("2001:db8::1"), vec![3]);
        assert_eq!(at("2001:db9::1"), Vec::<usize>::new());
    }

    #[test]
    fn nested_prefixes_are_found_equal_ones_are_not() {
        assert_eq!(nested_pair(&[net("10.0.0.0/24"), net("10.0.0.0/24")]), None);
        assert_eq!(
            nested_pair(&[net("192.0.2.0/24"), net("10.0.0.0/8"), net("10.9.0.0/16")]),
            Some((1, 2))
        );
        assert_eq!(
            nested_pair(&[net("10.0.0.0/25"), net("10.0.0.128/25")]),
            None
        );
        assert_eq!(
            nested_pair(&[net("10.0.0.0/24"), net("2001:db8::/32")]),
            None
        );
    }
}
