//! A set of small numbers, one bit each: name ids of one table, record indices of one
//! zone. What a rule or an index marks about every name or record of a large zone takes
//! an eighth of the memory of a flag each.

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BitSet {
    words: Vec<u64>,
}

impl BitSet {
    /// An empty set with room for the numbers below `len`.
    pub fn with_len(len: usize) -> BitSet {
        BitSet {
            words: vec![0; len.div_ceil(64)],
        }
    }

    /// Adds `k`, a number below the set's room (one past the words the set has is
    /// ignored).
    pub fn insert(&mut self, k: usize) {
        if let Some(word) = self.words.get_mut(k / 64) {
            *word |= 1 << (k % 64);
        }
    }

    pub fn contains(&self, k: usize) -> bool {
        self.words
            .get(k / 64)
            .is_some_and(|word| word & (1 << (k % 64)) != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    /// How many numbers the set holds.
    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The numbers in the set, in order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(k, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    k * 64 + bit
                })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bit_set_holds_exactly_the_numbers_put_in() {
        let room = 132;
        let mut set = BitSet::with_len(room);
        assert!(set.is_empty());
        assert_eq!((set.len(), set.iter().count()), (0, 0));
        // Both ends of a word, and numbers in three words.
        let chosen = [0, 1, 63, 64, 65, 127, 128, room - 1];
        for &k in chosen.iter().rev() {
            set.insert(k);
        }
        set.insert(64);
        assert!(!set.is_empty());
        assert_eq!(set.len(), chosen.len());
        for k in 0..room {
            assert_eq!(set.contains(k), chosen.contains(&k), "{k}");
        }
        assert_eq!(set.iter().collect::<Vec<_>>(), chosen);
        // A number far past the room is neither added nor found.
        set.insert(100_000);
        assert!(!set.contains(100_000));
        assert_eq!(set.len(), chosen.len());
    }
}
