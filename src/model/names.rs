//! Interned domain names.
//!
//! A name is stored as (parent, first label): `www.example.com.` is the label `www` under
//! the id of `example.com.`. Every distinct name costs one small node and its first label's
//! bytes, suffixes are shared, and walking to the apex or to a delegation point is a walk
//! up integer ids. Labels are stored lowercased: names compare case-insensitively
//! (RFC 4343) and are shown lowercase.

use super::name_index::{Found, NameIndex};
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct NameId(pub u32);

impl NameId {
    pub const ROOT: NameId = NameId(0);
}

/// A name's node. Its hash is kept beside it, in [`NameTable::hashes`], which a table
/// gives back once all its names are in (see [`NameTable::release_hashes`]).
#[derive(Clone, Copy)]
struct Node {
    parent: u32,
    /// A label of up to [`INLINE_LABEL`] bytes itself; a longer one's start in the
    /// table's label bytes, as a native-endian `u32` in the first four.
    label: [u8; INLINE_LABEL],
    label_len: u8,
    /// Length of the whole name in wire format, root label included (at most 255).
    wire_len: u8,
    depth: u8,
}

/// Labels this short live in their node. Most labels of a reverse zone (octets,
/// nibbles) and many of a forward one (`www`, `mail`) are: reading one then costs no
/// second cache miss, and the bytes take the room the node pads to anyway.
const INLINE_LABEL: usize = 5;

const _: () = assert!(std::mem::size_of::<Node>() == 12);

// SAFETY: a node is integers and an array of bytes, 4 + 5 + 3 bytes with no padding
// (the size above): any 12 bytes are a node, and it has nothing to drop.
unsafe impl crate::memory::AnyBytes for Node {}

impl Node {
    #[inline]
    fn new(parent: u32, label: &[u8], labels: &mut Vec<u8>, recent: &mut RecentLabels) -> Node {
        let mut stored = [0; INLINE_LABEL];
        if label.len() <= INLINE_LABEL {
            stored[..label.len()].copy_from_slice(label);
        } else {
            stored[..4].copy_from_slice(&recent.store(labels, label).to_ne_bytes());
        }
        Node {
            parent,
            label: stored,
            label_len: label.len() as u8,
            wire_len: 0,
            depth: 0,
        }
    }

    /// Where a label longer than [`INLINE_LABEL`] starts in the label bytes.
    #[inline]
    fn label_start(&self) -> usize {
        let [a, b, c, d, _] = self.label;
        u32::from_ne_bytes([a, b, c, d]) as usize
    }

    /// Whether this is the name `label` below the name of id `parent`.
    #[inline]
    fn is_child(&self, parent: u32, label: &[u8], labels: &[u8]) -> bool {
        self.parent == parent && labels_equal(self.label(labels), label)
    }

    #[inline]
    fn label<'a>(&'a self, labels: &'a [u8]) -> &'a [u8] {
        let len = self.label_len as usize;
        if len <= INLINE_LABEL {
            &self.label[..len]
        } else {
            &labels[self.label_start()..][..len]
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameTooLong;

/// How many long labels [`RecentLabels`] remembers.
const RECENT_LABELS: usize = 1024;

/// Label bytes a table holds before it looks for a long label stored before: below
/// this, a table is small enough that the bytes it would save do not pay for the
/// memory of [`RecentLabels`] (a run may hold thousands of small tables).
const RECENT_LABELS_FROM: usize = 1 << 16;

/// Where some long labels of a table start in its label bytes, by a hash of the label.
/// A long label recurs under many parents (`_domainkey`, `_dmarc`, `_acme-challenge`,
/// `autodiscover`): its bytes are then stored once and shared by every node with it,
/// which saves about a megabyte of a million-record zone's eight. Each entry is the
/// label's hash beside its start, so a label met for the first time (most are) is told
/// apart without reading bytes stored long before, a cache miss each. Only a hint: the
/// bytes are compared before they are shared.
struct RecentLabels {
    entries: Option<Box<[u64]>>,
    /// Every long label is stored anew, in id order (see [`NameList::release_before`]).
    in_id_order: bool,
}

impl RecentLabels {
    fn new() -> RecentLabels {
        RecentLabels {
            entries: None,
            in_id_order: false,
        }
    }

    /// Where `label`'s bytes start in `labels`: where they were stored before, if this
    /// remembers it, or at the end, where they are added. Kept out of line: most
    /// labels of a reverse zone are short and never come here.
    #[inline(never)]
    fn store(&mut self, labels: &mut Vec<u8>, label: &[u8]) -> u32 {
        if self.entries.is_none() && !self.in_id_order && labels.len() >= RECENT_LABELS_FROM {
            self.entries = Some(vec![u64::MAX; RECENT_LABELS].into_boxed_slice());
        }
        let end = labels.len() as u32;
        if let Some(entries) = &mut self.entries {
            let hash = label_key(label);
            let entry = &mut entries[hash as usize % RECENT_LABELS];
            let before = *entry as u32 as usize;
            if (*entry >> 32) as u32 == hash
                && labels.get(before..before.saturating_add(label.len())) == Some(label)
            {
                return before as u32;
            }
            *entry = u64::from(hash) << 32 | u64::from(end);
        }
        labels.extend_from_slice(label);
        end
    }
}

/// A quick hash of a label longer than four bytes for [`RecentLabels`], from its
/// length and its first and last four bytes: a label is hashed as often as a name is
/// added, and labels that differ only in the middle merely share an entry.
#[inline]
fn label_key(label: &[u8]) -> u32 {
    let word =
        |at: usize| u32::from_le_bytes([label[at], label[at + 1], label[at + 2], label[at + 3]]);
    let both = (u64::from(word(0)) << 32 | u64::from(word(label.len() - 4))) ^ label.len() as u64;
    (both.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as u32
}

/// The hashes of the labels of the last name [`NameTable::prefetch_text`] read, from
/// the outside in, with its text (without a final dot) and base.
#[derive(Default)]
pub struct SuffixHashes {
    base: NameId,
    body: Vec<u8>,
    hashes: Vec<u32>,
}

/// Names of one zone, indexed by hash (see [`NameIndex`]).
pub struct NameTable {
    nodes: Vec<Node>,
    /// Each name's hash (see [`mix`]), by id; or none at all, given back (see
    /// [`NameTable::release_hashes`]), when a name's hash is worked out from its labels
    /// instead.
    hashes: Vec<u32>,
    labels: Vec<u8>,
    /// Empty after [`NameTable::release_index`]; see [`NameTable::index`].
    index: NameIndex,
    /// The indexes of names taken over whole from other tables (see
    /// [`NameTable::adopt`]), searched after `index`. New names go into `index`.
    adopted: Vec<NameIndex>,
    /// While a later part of a split file is parsed: a name below the first name is
    /// entered below the second, a stand-in for it (see `syntax::split`).
    redirect: Option<(NameId, NameId)>,
    /// Whether `redirect` moved a name.
    pub(crate) redirected: bool,
    /// The index built again, on the first lookup by name after it was released.
    rebuilt: Option<std::sync::OnceLock<NameIndex>>,
    /// While the index is released: whether some name has the label `*`, worked out
    /// on the first lookup of a wildcard (asked for each name a zone does not have).
    /// Without one, such a lookup needs no index. Adding a name takes the index back
    /// first, after which this is not read.
    wildcards: std::sync::OnceLock<bool>,
    recent_labels: RecentLabels,
    /// Whether a name hashes otherwise than its labels do (a [`NameTable::stand_in`]):
    /// the table then keeps its hashes when asked to give them back.
    irregular_hashes: bool,
    /// The server view the names are seen from (the view of the zone that owns the
    /// table): a lookup of one of these names finds that view's zones first.
    /// `None`: no view, as the internet asks.
    pub perspective: Option<u32>,
}

impl Default for NameTable {
    fn default() -> Self {
        NameTable::new()
    }
}

const ROOT_HASH: u32 = 0x2545_f491;

/// The names of a [`NameTable`] by id alone (see [`NameTable::into_list`]): each
/// name's parent, label and hash, and nothing to look a name up by.
pub(crate) struct NameList {
    nodes: Vec<Node>,
    hashes: Vec<u32>,
    labels: Vec<u8>,
    /// Whether each long label's bytes follow those of the names before it (see
    /// [`NameTable::store_labels_in_id_order`]).
    labels_in_id_order: bool,
}

impl NameList {
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The parent of `id` (the root's is the root).
    pub fn parent(&self, id: NameId) -> NameId {
        NameId(self.nodes[id.0 as usize].parent)
    }

    pub fn label(&self, id: NameId) -> &[u8] {
        self.nodes[id.0 as usize].label(&self.labels)
    }

    pub fn hash(&self, id: NameId) -> u32 {
        self.hashes[id.0 as usize]
    }

    /// Gives back the memory of the names before `id` (whole pages of them), for a
    /// caller that reads the list once in id order and will not read them again: from
    /// here on they are names of no meaning. When labels are stored in id order, the
    /// label bytes go too, up to the first long label at or after `id`.
    pub fn release_before(&mut self, id: NameId) {
        let id = (id.0 as usize).min(self.nodes.len());
        crate::memory::release_front(&mut self.nodes, id);
        crate::memory::release_front(&mut self.hashes, id);
        if !self.labels_in_id_order {
            return;
        }
        let next_long = self.nodes[id..]
            .iter()
            .take(64)
            .find(|n| n.label_len as usize > INLINE_LABEL);
        if let Some(n) = next_long {
            let start = n.label_start();
            crate::memory::release_front(&mut self.labels, start);
        }
    }

    /// Works every name's hash out again, parents first, from the hashes `fixed` gives
    /// (those of names that stood in for others): what the names hash to once they hang
    /// below other names. The root's hash is the same in every table and stays.
    pub fn rehash(&mut self, fixed: impl Fn(NameId) -> Option<u32>) {
        for i in 1..self.nodes.len() {
            let id = NameId(i as u32);
            let hash = match fixed(id) {
                Some(hash) => hash,
                None => mix(self.hash(self.parent(id)), self.label(id)),
            };
            self.hashes[i] = hash;
        }
    }
}

/// The hash of `label.parent`, given the parent's hash.
#[inline]
pub fn mix(parent: u32, label: &[u8]) -> u32 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (parent as u64 ^ ((label.len() as u64) << 40)).wrapping_mul(K);
    let mut word = 0u64;
    for (i, &b) in label.iter().enumerate() {
        word |= (b.to_ascii_lowercase() as u64) << ((i & 7) * 8);
        if i & 7 == 7 {
            h = (h ^ word).wrapping_mul(K).rotate_left(23);
            word = 0;
        }
    }
    h = (h ^ word).wrapping_mul(K);
    h ^= h >> 32;
    h = h.wrapping_mul(0xd6e8_feb8_6659_fd93);
    (h ^ (h >> 32)) as u32
}

#[inline]
fn labels_equal(a: &[u8], b: &[u8]) -> bool {
    // Labels are short: a byte loop beats a call into memcmp.
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

impl NameTable {
    pub fn new() -> NameTable {
        NameTable::with_capacity(16)
    }

    /// A table sized for about `names` distinct names.
    pub fn with_capacity(names: usize) -> NameTable {
        let mut nodes = Vec::with_capacity(names + 1);
        crate::memory::prefer_huge_pages(&nodes);
        let mut hashes = Vec::with_capacity(names + 1);
        hashes.push(ROOT_HASH);
        nodes.push(Node {
            parent: 0,
            label: [0; INLINE_LABEL],
            label_len: 0,
            wire_len: 1,
            depth: 0,
        });
        NameTable {
            nodes,
            hashes,
            labels: Vec::with_capacity(names * 8),
            index: NameIndex::with_capacity(names),
            adopted: Vec::new(),
            redirect: None,
            redirected: false,
            rebuilt: None,
            wildcards: std::sync::OnceLock::new(),
            recent_labels: RecentLabels::new(),
            irregular_hashes: false,
            perspective: None,
        }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Makes room for about `more` names: exactly that many, not the doubling a growing
    /// vector would do (at a million names, doubling costs tens of megabytes).
    pub fn reserve(&mut self, more: usize) {
        self.reserve_indexing(more, more);
    }

    /// [`NameTable::reserve`], with room in the index for only `indexed` of the names
    /// (the others come with an index of their own: see [`NameTable::adopt`]).
    pub fn reserve_indexing(&mut self, more: usize, indexed: usize) {
        let label_bytes = self.labels.len() / self.nodes.len().max(1) + 1;
        self.nodes.reserve_exact(more);
        crate::memory::prefer_huge_pages(&self.nodes);
        self.hashes.reserve_exact(more);
        self.labels.reserve_exact(more * label_bytes);
        self.index_mut().reserve(indexed.min(more));
    }

    /// A node for `label` below `parent`, its label stored in this table.
    #[inline]
    fn new_node(&mut self, parent: u32, label: &[u8]) -> Node {
        Node::new(parent, label, &mut self.labels, &mut self.recent_labels)
    }

    /// Adds `node`, whose name hashes to `hash`, and returns its id. (Always inlined:
    /// interning a large zone calls it a million times, and kept a call it took 1% of
    /// the whole set's instructions.)
    #[inline(always)]
    fn push_node(&mut self, node: Node, hash: u32) -> NameId {
        if self.hashes_released() {
            self.take_back_hashes();
            self.wildcards = std::sync::OnceLock::new();
        }
        let id = NameId(self.nodes.len() as u32);
        self.nodes.push(node);
        self.hashes.push(hash);
        id
    }

    /// Makes the index's memory hold `more` names beyond those held, used only as the
    /// index grows (see [`NameIndex::reserve_room`]).
    pub fn reserve_index_room(&mut self, more: usize) {
        self.index_mut().reserve_room(more);
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    /// How many names fit before the table grows (tests of the reservations).
    #[cfg(test)]
    pub fn capacity(&self) -> usize {
        self.nodes.capacity()
    }

    fn label_of<'a>(&'a self, node: &'a Node) -> &'a [u8] {
        node.label(&self.labels)
    }

    /// The id of `label.parent`, without inserting it. `label` must be lowercase.
    pub fn find_child(&self, parent: NameId, label: &[u8]) -> Option<NameId> {
        // Before the parent's hash, which may be worked out from the labels.
        if label == b"*" && !self.may_have_wildcards() {
            return None;
        }
        self.child_of_hash(parent, mix(self.hash_of(parent), label), label)
    }

    /// [`NameTable::find_child`] given the child's hash, `mix(hash of parent, label)`.
    pub fn find_child_hashed(&self, parent: NameId, hash: u32, label: &[u8]) -> Option<NameId> {
        if label == b"*" && !self.may_have_wildcards() {
            return None;
        }
        self.child_of_hash(parent, hash, label)
    }

    fn child_of_hash(&self, parent: NameId, hash: u32, label: &[u8]) -> Option<NameId> {
        self.find_hashed(hash, |id| {
            self.nodes[id as usize].is_child(parent.0, label, &self.labels)
        })
        .map(NameId)
    }

    /// The id of a name of `hash` for which `same` holds, from any of the indexes.
    fn find_hashed(&self, hash: u32, mut same: impl FnMut(u32) -> bool) -> Option<u32> {
        self.index()
            .find(hash, &mut same)
            .or_else(|| self.adopted.iter().find_map(|i| i.find(hash, &mut same)))
    }

    /// Interns `label.parent`. `label` must already be lowercase, 1..=63 bytes.
    pub fn child(&mut self, parent: NameId, label: &[u8]) -> Result<NameId, NameTooLong> {
        let hash = mix(self.hash_of(parent), label);
        self.child_with_hash(parent, label, hash)
    }

    /// [`NameTable::child`] given the name's hash, `mix(hash of parent, label)`, which a
    /// caller that knows the parent's hash can work out without looking the parent up.
    pub fn child_with_hash(
        &mut self,
        parent: NameId,
        label: &[u8],
        hash: u32,
    ) -> Result<NameId, NameTooLong> {
        debug_assert!(!label.is_empty() && label.len() <= 63);
        let parent = match self.redirect {
            Some((from, to)) if parent == from => {
                self.redirected = true;
                to
            }
            _ => parent,
        };
        let p = self.nodes[parent.0 as usize];
        debug_assert_eq!(hash, mix(self.hash_of(parent), label));
        let wire_len = p.wire_len as usize + 1 + label.len();
        if wire_len > 255 {
            // Never entered, so never there.
            return Err(NameTooLong);
        }
        let id = self.nodes.len() as u32;
        self.index_mut();
        let (nodes, labels) = (&self.nodes, &self.labels);
        let same = |i: u32| nodes[i as usize].is_child(parent.0, label, labels);
        if let Some(i) = self.adopted.iter().find_map(|i| i.find(hash, same)) {
            return Ok(NameId(i));
        }
        // One probe finds the name or enters the new id where it belongs.
        let found = self.index.find_or_insert(hash, same, id);
        if let Found::Existing(i) = found {
            return Ok(NameId(i));
        }
        let mut node = self.new_node(parent.0, label);
        node.wire_len = wire_len as u8;
        node.depth = p.depth.saturating_add(1);
        Ok(self.push_node(node, hash))
    }

    /// Starts loading what interning the name `text` (relative to `origin` unless
    /// absolute) will read: the index groups of it and of each of its suffixes.
    /// `last` holds what the previous call hashed: the outer labels the two names share
    /// (most of them, in a zone in order) are neither hashed nor asked for again, as
    /// interning the previous name has just loaded them.
    pub fn prefetch_text(&self, text: &[u8], origin: NameId, last: &mut SuffixHashes) {
        self.text_hashes_after(text, origin, last, |hash| self.prefetch(hash));
    }

    /// The hash of each suffix of `text` below its base and of `text` itself, outermost
    /// first. A name's hash depends only on its labels, so these come from the text and
    /// the base's hash alone, with nothing looked up. Stops where interning would not
    /// take the text as it is (escapes, an empty or over-long label); a name too long
    /// in all is hashed all the same, and never found.
    #[cfg(test)]
    fn text_hashes(&self, text: &[u8], origin: NameId, each: impl FnMut(u32)) {
        self.text_hashes_after(text, origin, &mut SuffixHashes::default(), each);
    }

    /// [`NameTable::text_hashes`] of `text`, left in `last` for the next call, which
    /// works out and gives `each` only those after the labels (from the outside in)
    /// that `text` shares with the text `last` was left by.
    fn text_hashes_after(
        &self,
        text: &[u8],
        origin: NameId,
        last: &mut SuffixHashes,
        mut each: impl FnMut(u32),
    ) {
        let (body, base) = match text.strip_suffix(b".") {
            Some(b) => (b, NameId::ROOT),
            None => (text, origin),
        };
        let shared = if base == last.base {
            body.rsplit(|&b| b == b'.')
                .zip(last.body.rsplit(|&b| b == b'.'))
                .take(last.hashes.len())
                .take_while(|(a, b)| a == b)
                .count()
        } else {
            0
        };
        last.hashes.truncate(shared);
        last.base = base;
        last.body.clear();
        if text.contains(&b'\\') {
            last.hashes.clear();
            return;
        }
        last.body.extend_from_slice(body);
        let mut hash = match last.hashes.last() {
            Some(&hash) => hash,
            None => self.hash_of(base),
        };
        // `mix` folds case itself: a label's hash is that of its lowercase form.
        for label in body.rsplit(|&b| b == b'.').skip(shared) {
            if label.is_empty() || label.len() > 63 {
                return;
            }
            hash = mix(hash, label);
            last.hashes.push(hash);
            each(hash);
        }
    }

    /// Starts loading the node of `id`, which comparing it with another name reads
    /// first; [`NameTable::prefetch_label`] a little later loads its label.
    #[inline]
    pub fn prefetch_node(&self, id: NameId) {
        if let Some(node) = self.nodes.get(id.0 as usize) {
            crate::memory::prefetch(node);
        }
    }

    /// Starts loading the first label of `id` (reads its node).
    #[inline]
    pub fn prefetch_label(&self, id: NameId) {
        if let Some(byte) = self
            .nodes
            .get(id.0 as usize)
            .filter(|n| n.label_len as usize > INLINE_LABEL)
            .and_then(|n| self.labels.get(n.label_start()))
        {
            crate::memory::prefetch(byte);
        }
    }

    /// Starts loading what interning a name of hash `hash` will read (see
    /// [`NameIndex::prefetch`]).
    #[inline]
    pub fn prefetch(&self, hash: u32) {
        self.index().prefetch(hash);
    }

    /// Gives back the room reserved for names that never came. (The hash index keeps
    /// its size: shrinking it would rehash every name.)
    pub fn shrink_to_fit(&mut self) {
        self.nodes.shrink_to_fit();
        self.hashes.shrink_to_fit();
        self.labels.shrink_to_fit();
    }

    /// Gives back the memory of the hash index, for a table whose names will seldom be
    /// looked up by name again: the first lookup builds it anew from the nodes, so every
    /// lookup still answers as before.
    pub fn release_index(&mut self) {
        self.index = NameIndex::with_capacity(0);
        self.adopted = Vec::new();
        self.rebuilt = Some(std::sync::OnceLock::new());
        self.wildcards = std::sync::OnceLock::new();
    }

    /// Gives back the names' hashes, when each can be worked out again from its labels,
    /// root first (see [`NameTable::hash_of`]), for a table whose names are all in:
    /// a quarter of the memory of its names. A lookup by a name of another table
    /// needs only that name's hash, and the index keeps the hashes it holds.
    pub fn release_hashes(&mut self) {
        if !self.irregular_hashes {
            debug_assert!(self.hashes_follow_from_labels());
            self.hashes = Vec::new();
            self.wildcards = std::sync::OnceLock::new();
        }
    }

    /// Whether every name's hash is that of its label below its parent, and every
    /// parent's id below its child's: then the hashes can all be worked out again in one
    /// pass in id order. (Checked in debug builds only: it reads every name.)
    fn hashes_follow_from_labels(&self) -> bool {
        self.hashes.len() == self.nodes.len()
            && self.hashes.first() == Some(&ROOT_HASH)
            && self
                .nodes
                .iter()
                .zip(&self.hashes)
                .enumerate()
                .skip(1)
                .all(|(id, (node, &hash))| {
                    (node.parent as usize) < id
                        && hash == mix(self.hashes[node.parent as usize], self.label_of(node))
                })
    }

    /// Every name's hash, worked out from the labels in id order (a parent's id is
    /// below its children's: a name is added after its parent).
    fn hashes_from_labels(&self) -> Vec<u32> {
        let mut hashes = Vec::with_capacity(self.nodes.len());
        hashes.push(ROOT_HASH);
        for node in &self.nodes[1..] {
            let parent = match hashes.get(node.parent as usize) {
                Some(&hash) => hash,
                None => self.hash_from_labels(NameId(node.parent)),
            };
            hashes.push(mix(parent, self.label_of(node)));
        }
        hashes
    }

    /// Takes the hashes back if they were given back, before a name is added.
    #[inline]
    fn take_back_hashes(&mut self) {
        if self.hashes_released() {
            self.hashes = self.hashes_from_labels();
        }
    }

    /// Whether the hashes were given back (see [`NameTable::release_hashes`]).
    fn hashes_released(&self) -> bool {
        self.hashes.len() != self.nodes.len()
    }

    /// Whether a name may have the label `*`. With the index and the hashes at hand,
    /// yes; while either is given back, the names are read once to tell (a few
    /// milliseconds for a million names, where building the index again would take
    /// tens, and a lookup works its parent's hash out from the labels).
    fn may_have_wildcards(&self) -> bool {
        if self.rebuilt.is_none() && !self.hashes_released() {
            return true;
        }
        // No name is added before the index and the hashes are taken back, which
        // forgets the answer: it holds until then.
        *self
            .wildcards
            .get_or_init(|| self.nodes.iter().any(|n| self.label_of(n) == b"*"))
    }

    /// Whether the hash index was released and not taken back (tests).
    #[cfg(test)]
    pub fn index_released(&self) -> bool {
        self.rebuilt.is_some()
    }

    /// Whether a lookup built the released index again (tests).
    #[cfg(test)]
    pub fn index_built_again(&self) -> bool {
        self.rebuilt.as_ref().is_some_and(|r| r.get().is_some())
    }

    /// The hash index, built again if it was released.
    fn index(&self) -> &NameIndex {
        match &self.rebuilt {
            None => &self.index,
            Some(rebuilt) => rebuilt.get_or_init(|| self.index_of_nodes()),
        }
    }

    /// The hash index to change, taken back from where a release left it.
    fn index_mut(&mut self) -> &mut NameIndex {
        if let Some(rebuilt) = self.rebuilt.take() {
            self.index = rebuilt
                .into_inner()
                .unwrap_or_else(|| self.index_of_nodes());
        }
        &mut self.index
    }

    /// An index of every name but the root (which no lookup needs: see
    /// [`NameTable::find_same`]).
    fn index_of_nodes(&self) -> NameIndex {
        let worked_out;
        let hashes = if self.hashes.len() == self.nodes.len() {
            &self.hashes
        } else {
            worked_out = self.hashes_from_labels();
            &worked_out
        };
        let mut index = NameIndex::with_capacity(self.nodes.len());
        for (id, &hash) in hashes.iter().enumerate().skip(1) {
            index.insert_new(hash, id as u32);
        }
        index
    }

    pub fn parent(&self, id: NameId) -> Option<NameId> {
        (id.0 != 0).then(|| NameId(self.nodes[id.0 as usize].parent))
    }

    pub fn label(&self, id: NameId) -> &[u8] {
        self.label_of(&self.nodes[id.0 as usize])
    }

    pub fn depth(&self, id: NameId) -> usize {
        self.nodes[id.0 as usize].depth as usize
    }

    /// True when `id` equals `ancestor` or lies below it.
    pub fn is_at_or_below(&self, mut id: NameId, ancestor: NameId) -> bool {
        let target_depth = self.depth(ancestor);
        while self.depth(id) > target_depth {
            id = NameId(self.nodes[id.0 as usize].parent);
        }
        id == ancestor
    }

    /// A stand-in name directly under the root for a name not known yet (the origin in
    /// force where a split file's part begins). Its 64-octet label cannot collide with a
    /// real label; names below it are re-rooted when the parts are joined.
    pub(crate) fn placeholder(&mut self, marker: u8) -> NameId {
        self.placeholder_hashed(marker, mix(ROOT_HASH, &[marker; 64]))
    }

    /// A [`NameTable::placeholder`] entered with `hash`.
    fn placeholder_hashed(&mut self, marker: u8, hash: u32) -> NameId {
        self.index_mut();
        let mut node = self.new_node(0, &[marker; 64]);
        node.wire_len = 1;
        let id = self.push_node(node, hash);
        self.index.insert_new(hash, id.0);
        id
    }

    /// A stand-in for the name `guess`, which a split file's later part takes for the
    /// origin in force where it begins: like [`NameTable::placeholder`], but hashed as
    /// `guess`, and names entered below `guess` itself go below the stand-in (see
    /// [`NameTable::redirected`]). If the guess holds, every name of the table then
    /// hashes as it will in the whole file, and the only name that two ids of the table
    /// stand for, the origin, has names below one of them alone: what
    /// [`NameTable::adopt`] needs.
    pub(crate) fn stand_in(&mut self, marker: u8, guess: NameId) -> NameId {
        self.irregular_hashes = true;
        let id = self.placeholder_hashed(marker, self.hash_of(guess));
        self.redirect = Some((guess, id));
        id
    }

    /// The name a [`NameTable::stand_in`] of this table stands for.
    pub(crate) fn guessed(&self) -> Option<NameId> {
        self.redirect.map(|(guess, _)| guess)
    }

    /// Whether a name lies directly below one of `parents`.
    pub(crate) fn any_child_of(&self, parents: &[NameId]) -> bool {
        self.nodes[1..]
            .iter()
            .any(|n| parents.iter().any(|p| p.0 == n.parent))
    }

    /// Takes over the names of `part`, the table of a later part of the same file, whose
    /// names hash as they do here: each gets the id of the same name here, a new id if
    /// this table lacks it, and the part's index joins this table's, its ids rewritten.
    /// `fixed` gives the ids here of the part's stand-ins. Returns the id here of each
    /// of the part's names, by its id there.
    ///
    /// A name is looked up here only if its parent was here before: below a new name
    /// every name is new. So no two of the part's names may be the same name here
    /// unless it was here before (which holds when only a stand-in and the name it
    /// stands for are the same, and names lie below one of them at most). Fails, and
    /// adds nothing, if a name grows past 255 octets below its new parent.
    pub(crate) fn adopt(
        &mut self,
        mut part: NameTable,
        fixed: impl Fn(NameId) -> Option<NameId>,
    ) -> Result<Vec<u32>, NameTooLong> {
        self.take_back_hashes();
        let (first_new, label_bytes) = (self.nodes.len(), self.labels.len());
        self.nodes.reserve_exact(part.nodes.len());
        self.hashes.reserve_exact(part.nodes.len());
        let mut map = vec![0u32; part.nodes.len()];
        // The groups a lookup reads are asked for this many names ahead.
        const AHEAD: usize = 12;
        for i in 1..part.nodes.len() {
            if let Some(ahead) = part.nodes.get(i + AHEAD)
                && (ahead.parent as usize) < i
                && (map[ahead.parent as usize] as usize) < first_new
            {
                self.index()
                    .prefetch(part.hash_of(NameId((i + AHEAD) as u32)));
            }
            if let Some(to) = fixed(NameId(i as u32)) {
                map[i] = to.0;
                continue;
            }
            let node = &part.nodes[i];
            let hash = part.hash_of(NameId(i as u32));
            let up = map[node.parent as usize];
            let label = node.label(&part.labels);
            let p = self.nodes[up as usize];
            let wire_len = p.wire_len as usize + 1 + label.len();
            if wire_len > 255 {
                self.nodes.truncate(first_new);
                self.hashes.truncate(first_new);
                self.labels.truncate(label_bytes);
                return Err(NameTooLong);
            }
            if (up as usize) < first_new {
                let (nodes, labels) = (&self.nodes, &self.labels);
                let found =
                    self.find_hashed(hash, |id| nodes[id as usize].is_child(up, label, labels));
                if let Some(id) = found {
                    map[i] = id;
                    continue;
                }
            }
            // Only a stand-in or a placeholder has a label this long; a stand-in taken
            // over as a name (its stand-in not given) keeps its odd hash here too.
            if label.len() > 63 && hash != mix(self.hash_of(NameId(up)), label) {
                self.irregular_hashes = true;
            }
            let mut new = self.new_node(up, label);
            new.wire_len = wire_len as u8;
            new.depth = p.depth.saturating_add(1);
            map[i] = self.push_node(new, hash).0;
        }
        part.index_mut();
        for mut index in std::iter::once(std::mem::replace(
            &mut part.index,
            NameIndex::with_capacity(0),
        ))
        .chain(part.adopted)
        {
            index.remap(&map);
            self.adopted.push(index);
        }
        Ok(map)
    }

    /// Stores every long label anew from here on, after those of the names before it,
    /// so that the names can be given back in id order with their labels (see
    /// [`NameList::release_before`]). For a table made to be moved into another, while
    /// it is still small: no label has been shared yet.
    pub(crate) fn store_labels_in_id_order(&mut self) {
        debug_assert!(self.recent_labels.entries.is_none());
        self.recent_labels = RecentLabels {
            entries: None,
            in_id_order: true,
        };
    }

    /// The table's names without the index that finds them by text: all a table whose
    /// names are being moved into another one still needs, in less memory.
    pub(crate) fn into_list(mut self) -> NameList {
        self.take_back_hashes();
        NameList {
            nodes: self.nodes,
            hashes: self.hashes,
            labels: self.labels,
            labels_in_id_order: self.recent_labels.in_id_order,
        }
    }

    /// Ancestors from the parent of `id` up to the root, nearest first.
    pub fn ancestors(&self, id: NameId) -> impl Iterator<Item = NameId> + '_ {
        let mut cur = id;
        std::iter::from_fn(move || {
            let p = self.parent(cur)?;
            cur = p;
            Some(p)
        })
    }

    /// The name's hash. It depends only on the labels, so the same name has the same hash
    /// in every table: names can be matched across zones without building their text.
    pub fn hash_of(&self, id: NameId) -> u32 {
        match self.hashes.get(id.0 as usize) {
            Some(&hash) => hash,
            None => self.hash_from_labels(id),
        }
    }

    /// The hash of `id` worked out from its labels, root first, for a table that gave
    /// its hashes back: a name has at most 127 labels below the root.
    fn hash_from_labels(&self, id: NameId) -> u32 {
        let mut chain = [0u32; 128];
        let mut depth = 0;
        let mut at = id.0;
        while at != 0 && depth < chain.len() {
            chain[depth] = at;
            depth += 1;
            at = self.nodes[at as usize].parent;
        }
        chain[..depth].iter().rev().fold(ROOT_HASH, |hash, &at| {
            mix(hash, self.label_of(&self.nodes[at as usize]))
        })
    }

    /// The hash of `id` if the table keeps its hashes.
    #[inline]
    fn kept_hash(&self, id: u32) -> Option<u32> {
        self.hashes.get(id as usize).copied()
    }

    /// Whether `a` in this table and `b` in `other` are the same name.
    pub fn same_name(&self, a: NameId, other: &NameTable, b: NameId) -> bool {
        let (mut a, mut b) = (a, b);
        loop {
            match self.same_first_label(a, other, b) {
                None => return false,
                Some(_) if a == NameId::ROOT => return true,
                Some(parents) => (a, b) = (NameId(parents.0), NameId(parents.1)),
            }
        }
    }

    /// Whether `a` here and `b` in `other` agree in first label, depth and hash; if so,
    /// their parents, which must agree in turn for the names to be the same.
    fn same_first_label(&self, a: NameId, other: &NameTable, b: NameId) -> Option<(u32, u32)> {
        let (na, nb) = (&self.nodes[a.0 as usize], &other.nodes[b.0 as usize]);
        // Equal hashes are only a quick test, made when both tables keep them.
        let hashes_agree = match (self.kept_hash(a.0), other.kept_hash(b.0)) {
            (Some(ha), Some(hb)) => ha == hb,
            _ => true,
        };
        (hashes_agree
            && na.depth == nb.depth
            && labels_equal(self.label_of(na), other.label_of(nb)))
        .then_some((na.parent, nb.parent))
    }

    /// [`NameTable::same_name`] for many pairs of names from the same two tables:
    /// `memo` remembers parent pairs already found equal, so names under one parent
    /// (`web-1.fra1.prod.…`, `web-2.fra1.prod.…`) compare their first labels only.
    /// `memo` may have any length above zero and starts out filled with `(0, 0)`
    /// (the roots, which are always the same name).
    pub fn same_name_memo(
        &self,
        a: NameId,
        other: &NameTable,
        b: NameId,
        memo: &mut [(u32, u32)],
    ) -> bool {
        let Some(parents) = self.same_first_label(a, other, b) else {
            return false;
        };
        if a == NameId::ROOT {
            return true;
        }
        let slot = self.kept_hash(parents.0).unwrap_or(parents.0) as usize % memo.len();
        if memo[slot] == parents {
            return true;
        }
        let same = self.same_name(NameId(parents.0), other, NameId(parents.1));
        if same {
            memo[slot] = parents;
        }
        same
    }

    /// The id in this table of the name `id` of `other`, if this table has it.
    pub fn find_same(&self, other: &NameTable, id: NameId) -> Option<NameId> {
        let hash = other.hash_of(id);
        self.find_hashed(hash, |mine| self.same_name(NameId(mine), other, id))
            .map(NameId)
            .or_else(|| (id == NameId::ROOT).then_some(NameId::ROOT))
    }

    /// Interns a name given as presentation text (absolute or relative to `origin`).
    pub fn intern_text(&mut self, text: &str, origin: NameId) -> Option<NameId> {
        let mut labels = LabelBuf::default();
        let absolute = labels.parse(text.as_bytes()).ok()?;
        labels
            .intern(self, if absolute { NameId::ROOT } else { origin })
            .ok()
    }

    /// Looks a name up by absolute presentation text without inserting it.
    pub fn find_text(&self, text: &str) -> Option<NameId> {
        let mut labels = LabelBuf::default();
        labels.parse(text.as_bytes()).ok()?;
        let mut id = NameId::ROOT;
        for label in labels.iter_from_root() {
            id = self.find_child(id, label)?;
        }
        Some(id)
    }

    /// The absolute presentation form, lowercase, with special bytes escaped.
    pub fn display(&self, id: NameId) -> String {
        // The wire length is one more than the text's when nothing needs escaping.
        let mut out = String::with_capacity(self.nodes[id.0 as usize].wire_len as usize);
        self.write_name(&mut out, id);
        out
    }

    pub fn write_name(&self, out: &mut String, id: NameId) {
        if id == NameId::ROOT {
            out.push('.');
            return;
        }
        let special = |b: u8| matches!(b, b'.' | b'\\' | b'"' | b';' | b'(' | b')' | b'@' | b'$');
        let mut cur = id;
        while cur != NameId::ROOT {
            let label = self.label(cur);
            match std::str::from_utf8(label) {
                // Most labels are printable ASCII with nothing to escape: copied whole.
                Ok(text)
                    if label
                        .iter()
                        .all(|&b| (0x21..=0x7e).contains(&b) && !special(b)) =>
                {
                    out.push_str(text);
                }
                _ => {
                    for &b in label {
                        if special(b) {
                            out.push('\\');
                            out.push(b as char);
                        } else if (0x21..=0x7e).contains(&b) {
                            out.push(b as char);
                        } else {
                            let _ = write!(out, "\\{b:03}");
                        }
                    }
                }
            }
            out.push('.');
            cur = NameId(self.nodes[cur.0 as usize].parent);
        }
    }
}

/// Why a name in presentation format is not a valid domain name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    EmptyLabel,
    LabelTooLong(usize),
    NameTooLong,
    BadEscape,
    Empty,
    /// A raw control byte (C0 or DEL); written as `\DDD` it is legal.
    ControlByte(u8),
}

/// Whether a raw byte may not appear unescaped in a name (RFC 1035 §5.1 allows any
/// octet, but only escaped: servers refuse raw control bytes).
#[inline]
fn is_control(b: u8) -> bool {
    b < 0x20 || b == 0x7f
}

impl std::fmt::Display for NameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameError::EmptyLabel => f.write_str("has an empty label (leading or doubled dot)"),
            NameError::LabelTooLong(n) => write!(f, "has a label of {n} octets; the limit is 63"),
            NameError::NameTooLong => f.write_str("is longer than 255 octets"),
            NameError::BadEscape => {
                f.write_str("has a bad escape (`\\DDD` needs three digits, at most 255)")
            }
            NameError::Empty => f.write_str("is empty"),
            NameError::ControlByte(b) => write!(
                f,
                "holds the raw control byte \\{b:03}; write it escaped, as `\\{b:03}`, if it is meant"
            ),
        }
    }
}

/// The labels of one name in presentation format, unescaped and lowercased, reused
/// between records so parsing a name allocates nothing.
#[derive(Default)]
pub struct LabelBuf {
    bytes: Vec<u8>,
    /// End offset of each label in `bytes`, leftmost label first.
    ends: Vec<u16>,
}

impl LabelBuf {
    /// Parses `text`; returns whether the name is absolute (ends in an unescaped dot).
    pub fn parse(&mut self, text: &[u8]) -> Result<bool, NameError> {
        self.bytes.clear();
        self.ends.clear();
        if text.is_empty() {
            return Err(NameError::Empty);
        }
        if text == b"." {
            return Ok(true);
        }
        let mut i = 0;
        let mut label_start = 0usize;
        let mut absolute = false;
        let end_label = |bytes: &Vec<u8>, ends: &mut Vec<u16>, start: usize| {
            match bytes.len() - start {
                0 => return Err(NameError::EmptyLabel),
                len if len > 63 => return Err(NameError::LabelTooLong(len)),
                _ => ends.push(bytes.len() as u16),
            }
            Ok(())
        };
        while i < text.len() {
            match text[i] {
                b'.' => {
                    end_label(&self.bytes, &mut self.ends, label_start)?;
                    label_start = self.bytes.len();
                    i += 1;
                    absolute = i == text.len();
                    continue;
                }
                b'\\' => {
                    let (byte, next) =
                        crate::rr::text::decode_escape(text, i).ok_or(NameError::BadEscape)?;
                    self.bytes.push(byte.to_ascii_lowercase());
                    i = next;
                }
                b if is_control(b) => return Err(NameError::ControlByte(b)),
                b => {
                    self.bytes.push(b.to_ascii_lowercase());
                    i += 1;
                }
            }
            if self.bytes.len() > 255 {
                return Err(NameError::NameTooLong);
            }
        }
        if !absolute {
            end_label(&self.bytes, &mut self.ends, label_start)?;
        }
        Ok(absolute)
    }

    pub fn label_count(&self) -> usize {
        self.ends.len()
    }

    /// Labels from the rightmost (nearest the root) to the leftmost.
    pub fn iter_from_root(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.ends.len()).rev().map(move |k| {
            let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
            &self.bytes[start..self.ends[k] as usize]
        })
    }

    /// The leftmost label, if any.
    pub fn first(&self) -> Option<&[u8]> {
        self.ends.first().map(|&e| &self.bytes[..e as usize])
    }

    pub fn intern(&self, table: &mut NameTable, base: NameId) -> Result<NameId, NameError> {
        let mut id = base;
        for label in self.iter_from_root() {
            id = table.child(id, label).map_err(|_| NameError::NameTooLong)?;
        }
        Ok(id)
    }
}

/// Turns names in presentation text into ids, remembering recent suffixes.
///
/// Most names in a zone share a few suffixes (`fra1.prod` in `web-18342.fra1.prod`), so
/// the parent of an escape-free name is looked up by its text in a small cache and only
/// the first label is interned; a miss (or any escape) takes the full path.
pub struct NameReader {
    labels: LabelBuf,
    suffixes: Vec<SuffixEntry>,
    /// The last name the full path interned: its base, labels, and the id of each of
    /// its suffixes from the root side (see [`NameReader::slow`]).
    last_base: NameId,
    last_labels: LabelBuf,
    last_ids: Vec<NameId>,
}

#[derive(Default, Clone)]
struct SuffixEntry {
    base: u32,
    text: Vec<u8>,
    parent: NameId,
}

const SUFFIX_CACHE: usize = 512;

impl Default for NameReader {
    fn default() -> Self {
        NameReader {
            labels: LabelBuf::default(),
            suffixes: vec![
                SuffixEntry {
                    base: u32::MAX,
                    ..Default::default()
                };
                SUFFIX_CACHE
            ],
            last_base: NameId::ROOT,
            last_labels: LabelBuf::default(),
            last_ids: Vec::new(),
        }
    }
}

impl NameReader {
    /// Checks a name's syntax without interning it.
    pub fn check(&mut self, text: &[u8]) -> Result<(), NameError> {
        self.labels.parse(text).map(|_| ())
    }

    /// Interns a name written relative to `origin` (unless absolute; `@` is `origin`).
    pub fn intern(
        &mut self,
        table: &mut NameTable,
        text: &[u8],
        origin: NameId,
    ) -> Result<NameId, NameError> {
        if text == b"@" {
            return Ok(origin);
        }
        if text.contains(&b'\\') || text.len() > 255 {
            return self.slow(table, text, origin);
        }
        let (body, base) = match text.strip_suffix(b".") {
            Some(b) if !b.is_empty() => (b, NameId::ROOT),
            Some(_) => return Ok(NameId::ROOT),
            None => (text, origin),
        };
        let (first, rest) = match memchr::memchr(b'.', body) {
            Some(dot) => (&body[..dot], Some(&body[dot + 1..])),
            None => (body, None),
        };
        if first.is_empty() {
            return Err(NameError::EmptyLabel);
        }
        if first.len() > 63 {
            return Err(NameError::LabelTooLong(first.len()));
        }
        let parent = match rest {
            None => base,
            Some(rest) => {
                let slot = mix(base.0, rest) as usize % SUFFIX_CACHE;
                let e = &self.suffixes[slot];
                if e.base == base.0 && e.text == rest {
                    e.parent
                } else {
                    let parent = self.slow(table, rest, base)?;
                    let e = &mut self.suffixes[slot];
                    e.base = base.0;
                    e.text.clear();
                    e.text.extend_from_slice(rest);
                    e.parent = parent;
                    parent
                }
            }
        };
        let mut lower = [0u8; 63];
        let mut control = false;
        for (d, &s) in lower.iter_mut().zip(first) {
            control |= is_control(s);
            *d = s.to_ascii_lowercase();
        }
        if control {
            return self.slow(table, text, origin);
        }
        table
            .child(parent, &lower[..first.len()])
            .map_err(|_| NameError::NameTooLong)
    }

    fn slow(
        &mut self,
        table: &mut NameTable,
        text: &[u8],
        origin: NameId,
    ) -> Result<NameId, NameError> {
        let absolute = self.labels.parse(text)?;
        let base = if absolute { NameId::ROOT } else { origin };
        // Names read one after another often share all but their first few labels (a
        // reverse zone in address order: `4.f.0.0.…`, `6.0.1.0.…`). The labels equal to
        // the last name's, counted from the root side, are the same names: their ids
        // are reused, and only the labels below are looked up.
        let mut same = 0;
        if base == self.last_base {
            same = self
                .labels
                .iter_from_root()
                .zip(self.last_labels.iter_from_root())
                .take_while(|(a, b)| a == b)
                .count();
        }
        self.last_ids.truncate(same);
        let mut id = self.last_ids.last().copied().unwrap_or(base);
        for label in self.labels.iter_from_root().skip(same) {
            match table.child(id, label) {
                Ok(child) => id = child,
                Err(_) => {
                    // Nothing is remembered from a name that could not be interned.
                    self.last_ids.clear();
                    self.last_labels = LabelBuf::default();
                    return Err(NameError::NameTooLong);
                }
            }
            self.last_ids.push(id);
        }
        self.last_base = base;
        std::mem::swap(&mut self.labels, &mut self.last_labels);
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A later part's table, its names hashed below a stand-in for the origin, is
    /// taken over whole: every name is found by its text at one id, names both tables
    /// hold keep the first table's id, and names entered afterwards are not doubled.
    #[test]
    fn an_adopted_table_is_found_as_one_with_the_first() {
        let mut first = NameTable::new();
        let origin = first
            .intern_text("8.b.d.0.1.0.0.2.ip6.arpa.", NameId::ROOT)
            .unwrap();
        for text in ["1.0.0", "2.0.0", "host.example."] {
            first.intern_text(text, origin).unwrap();
        }
        let mut part = NameTable::new();
        let guess = part
            .intern_text("8.b.d.0.1.0.0.2.ip6.arpa.", NameId::ROOT)
            .unwrap();
        let stand_in = part.stand_in(0xfe, guess);
        let owner = part.placeholder(0xfd);
        // Relative names below the stand-in, one of them also in the first table; a name
        // written in full below the guess, put below the stand-in; absolute names.
        for text in ["2.0.0", "3.1.0", "4.1.0", "5.2.0.0"] {
            part.intern_text(text, stand_in).unwrap();
        }
        assert!(!part.redirected);
        let full = part
            .intern_text("6.2.0.0.8.b.d.0.1.0.0.2.ip6.arpa.", NameId::ROOT)
            .unwrap();
        assert!(part.redirected);
        assert_eq!(
            part.parent(full).and_then(|p| part.parent(p)),
            part.find_child(part.find_child(stand_in, b"0").unwrap(), b"0")
        );
        for text in ["host.example.", "other.example."] {
            part.intern_text(text, NameId::ROOT).unwrap();
        }
        assert_eq!(part.guessed(), Some(guess));
        assert!(!part.any_child_of(&[owner, guess]));
        assert!(part.any_child_of(&[stand_in]));
        let texts: Vec<(NameId, String)> = (1..part.len() as u32)
            .map(NameId)
            .filter(|&id| id != stand_in && id != owner)
            .map(|id| {
                let shown = part.display(id);
                let below = part.display(stand_in);
                let text = match shown.strip_suffix(&below) {
                    Some(relative) => format!("{relative}8.b.d.0.1.0.0.2.ip6.arpa."),
                    None => shown,
                };
                (id, text)
            })
            .collect();
        let before = first.len();
        let map = first
            .adopt(part, |id| (id == stand_in || id == owner).then_some(origin))
            .unwrap();
        assert_eq!(map[stand_in.0 as usize], origin.0);
        // Six new names: `1.0` and below it `3.1.0` and `4.1.0`, `5.2.0.0` and `6.2.0.0`,
        // `other.example.`; `2.0.0`, `host.example.` and the origin's chain were there.
        let new: Vec<String> = (before..first.len())
            .map(|i| first.display(NameId(i as u32)))
            .collect();
        assert_eq!(new.len(), 6, "{new:?}");
        for (id, text) in &texts {
            let here = NameId(map[id.0 as usize]);
            assert_eq!(&first.display(here), text);
            assert_eq!(first.find_text(text), Some(here), "{text}");
            // Entering it again finds it, wherever its index entry is.
            assert_eq!(first.intern_text(text, NameId::ROOT), Some(here), "{text}");
        }
        assert_eq!(
            first.intern_text("2.0.0", origin),
            first.find_text("2.0.0.8.b.d.0.1.0.0.2.ip6.arpa.")
        );
        assert_eq!(first.len(), before + 6);
        let fresh = first.intern_text("7.2.0.0", origin).unwrap();
        assert_eq!(fresh.0 as usize, before + 6);
        // Depth and length are the real names': the stand-in's own were placeholders.
        let deep = first
            .find_text("5.2.0.0.8.b.d.0.1.0.0.2.ip6.arpa.")
            .unwrap();
        assert_eq!(first.depth(deep), 14);
        let mut copy = NameTable::new();
        let again = copy
            .intern_text("5.2.0.0.8.b.d.0.1.0.0.2.ip6.arpa.", NameId::ROOT)
            .unwrap();
        assert_eq!(
            first.nodes[deep.0 as usize].wire_len,
            copy.nodes[again.0 as usize].wire_len
        );
        assert!(first.same_name(deep, &copy, again));
        assert_eq!(first.find_same(&copy, again), Some(deep));
        // Released and built again, the index answers the same.
        first.release_index();
        for (id, text) in &texts {
            assert_eq!(
                first.find_text(text),
                Some(NameId(map[id.0 as usize])),
                "{text}"
            );
        }
    }

    /// Two labels whose names below a parent of hash `parent` hash alike: found by
    /// trying labels until two collide (about 80,000 for 32-bit hashes).
    fn colliding_labels(parent: u32) -> (Vec<u8>, Vec<u8>) {
        let mut seen = std::collections::HashMap::new();
        (0u32..)
            .find_map(|i| {
                let label = format!("c{i}").into_bytes();
                seen.insert(mix(parent, &label), label.clone())
                    .map(|other| (other, label))
            })
            .expect("a collision")
    }

    /// Names whose hashes collide are told apart by their labels, wherever their index
    /// entries are: entered, looked up and taken over from another table.
    #[test]
    fn names_that_hash_alike_stay_apart() {
        let mut first = NameTable::new();
        let origin = first.intern_text("example.", NameId::ROOT).unwrap();
        let (a, b) = colliding_labels(first.hash_of(origin));
        let in_first = first.child(origin, &a).unwrap();
        let mut part = NameTable::new();
        let guess = part.intern_text("example.", NameId::ROOT).unwrap();
        let stand_in = part.stand_in(0xfe, guess);
        let in_part = part.child(stand_in, &b).unwrap();
        let map = first
            .adopt(part, |id| (id == stand_in).then_some(origin))
            .unwrap();
        let adopted = NameId(map[in_part.0 as usize]);
        assert_ne!(adopted, in_first);
        assert_eq!(first.label(adopted), &b[..]);
        // Found again, and entered again, each at its own id; and likewise in a table
        // of its own, where both entries sit in the one index.
        assert_eq!(first.find_child(origin, &a), Some(in_first));
        assert_eq!(first.find_child(origin, &b), Some(adopted));
        assert_eq!(first.child(origin, &b), Ok(adopted));
        assert_eq!(first.child(origin, &a), Ok(in_first));
        let mut one = NameTable::new();
        let origin = one.intern_text("example.", NameId::ROOT).unwrap();
        let (x, y) = (
            one.child(origin, &a).unwrap(),
            one.child(origin, &b).unwrap(),
        );
        assert_ne!(x, y);
        assert_eq!(
            (one.find_child(origin, &a), one.find_child(origin, &b)),
            (Some(x), Some(y))
        );
    }

    /// A name of 255 octets, root label included, is a name; of 256, not: entered
    /// directly or taken over from a later part's table.
    #[test]
    fn names_of_up_to_255_octets_are_names() {
        let three = format!("{}.", vec!["a".repeat(63); 3].join("."));
        let mut t = NameTable::new();
        let origin = t.intern_text(&three, NameId::ROOT).unwrap();
        assert_eq!(t.nodes[origin.0 as usize].wire_len, 193);
        assert!(t.child(origin, "b".repeat(61).as_bytes()).is_ok());
        assert_eq!(t.child(origin, "b".repeat(62).as_bytes()), Err(NameTooLong));
        for (len, fits) in [(61, true), (62, false)] {
            let mut part = NameTable::new();
            let guess = part.intern_text(&three, NameId::ROOT).unwrap();
            let stand_in = part.stand_in(0xfe, guess);
            part.child(stand_in, "c".repeat(len).as_bytes()).unwrap();
            let adopted = t.adopt(part, |id| (id == stand_in).then_some(origin));
            assert_eq!(adopted.is_ok(), fits, "a label of {len}");
        }
        let longest = t.find_child(origin, "c".repeat(61).as_bytes()).unwrap();
        assert_eq!(t.nodes[longest.0 as usize].wire_len, 255);
    }

    #[test]
    fn a_name_too_long_below_its_new_parent_leaves_the_table_as_it_was() {
        let mut first = NameTable::new();
        let long = format!("{}.", vec!["a".repeat(60); 4].join("."));
        let origin = first.intern_text(&long, NameId::ROOT).unwrap();
        let mut part = NameTable::new();
        let stand_in = part.placeholder(0xfe);
        part.intern_text(&"b".repeat(60), stand_in).unwrap();
        let (len, labels) = (first.len(), first.labels.len());
        let adopted = first.adopt(part, |id| (id == stand_in).then_some(origin));
        assert_eq!(adopted, Err(NameTooLong));
        assert_eq!(
            (first.len(), first.labels.len(), first.adopted.len()),
            (len, labels, 0)
        );
    }

    #[test]
    fn names_sharing_labels_with_the_last_one_are_the_same_names() {
        let mut t = NameTable::new();
        let mut r = NameReader::default();
        let zone = t
            .intern_text("8.b.d.0.1.0.0.2.ip6.arpa.", NameId::ROOT)
            .unwrap();
        let other = t.intern_text("example.", NameId::ROOT).unwrap();
        let long = format!("{}x", "a.".repeat(126));
        // Escapes take the full path, where the last name's labels are reused.
        let names: &[(&str, NameId)] = &[
            ("1.0.0\\.0", zone),
            ("2.0.0.0", zone),
            ("2.0.0.0", other),
            ("3.1.0.0", zone),
            ("0.0\\.0", zone),
            (&long, zone),
            ("4.1.0.0", zone),
            ("A.b\\.C.", zone),
            ("d.b\\.c.", zone),
        ];
        for &(text, base) in names {
            let got = r.intern(&mut t, text.as_bytes(), base);
            let mut fresh = NameReader::default();
            let expected = fresh.intern(&mut t, text.as_bytes(), base);
            assert_eq!(got, expected, "{text}");
            if let Ok(id) = got {
                let shown = t.display(id);
                assert_eq!(t.find_text(&shown), Some(id), "{text}");
            }
        }
        let id = r.intern(&mut t, b"5.1.0.0", zone).unwrap();
        assert_eq!(t.display(id), "5.1.0.0.8.b.d.0.1.0.0.2.ip6.arpa.");
    }

    #[test]
    fn hashes_from_the_text_are_the_interned_names_hashes() {
        let mut t = NameTable::new();
        let mut r = NameReader::default();
        let origin = t.intern_text("example.test.", NameId::ROOT).unwrap();
        for (text, levels) in [
            (
                "Web-1.FRA1.prod",
                ["prod", "fra1.prod", "web-1.fra1.prod"].as_slice(),
            ),
            ("mx1", &["mx1"]),
            ("a.B.", &["b.", "a.b."]),
        ] {
            let mut hashes = Vec::new();
            t.text_hashes(text.as_bytes(), origin, |h| hashes.push(h));
            let id = r.intern(&mut t, text.as_bytes(), origin).unwrap();
            let expected: Vec<u32> = levels
                .iter()
                .map(|l| {
                    let id = t.find_text(&if l.ends_with('.') {
                        l.to_string()
                    } else {
                        format!("{l}.example.test.")
                    });
                    t.hash_of(id.expect("interned"))
                })
                .collect();
            assert_eq!(hashes, expected, "{text}");
            assert_eq!(hashes.last(), Some(&t.hash_of(id)));
        }
        // Labels of 63 octets are labels; of 64, not.
        let longest = "x".repeat(63);
        let mut hashes = Vec::new();
        t.text_hashes(format!("{longest}.b").as_bytes(), origin, |h| {
            hashes.push(h)
        });
        assert_eq!(hashes.len(), 2);
        hashes.clear();
        t.text_hashes(format!("{longest}x.b").as_bytes(), origin, |h| {
            hashes.push(h)
        });
        assert_eq!(hashes.len(), 1);
        hashes.clear();
        t.text_hashes(format!("b.{longest}").as_bytes(), origin, |h| {
            hashes.push(h)
        });
        assert_eq!(hashes.len(), 2);
        // Nothing for what interning does not take as it is.
        for text in ["a\\.b", "a..b", ""] {
            let mut hashes = Vec::new();
            t.text_hashes(text.as_bytes(), origin, |h| hashes.push(h));
            assert!(hashes.len() <= 1, "{text}: {hashes:?}");
        }
    }

    #[test]
    fn hashes_after_the_last_name_are_its_own_less_the_labels_it_shares() {
        let mut t = NameTable::new();
        let origin = t.intern_text("example.test.", NameId::ROOT).unwrap();
        let other = t.intern_text("other.", NameId::ROOT).unwrap();
        let mut last = SuffixHashes::default();
        // (text, base, labels shared with the name before, from the outside in)
        let names: &[(&str, NameId, usize)] = &[
            ("web-1.fra1.prod", origin, 0),
            ("web-2.fra1.prod", origin, 2),
            ("Web-2.fra1.prod", origin, 2),
            ("db.fra1.prod", origin, 2),
            ("db.fra1.prod", origin, 3),
            ("x.db.fra1.prod", origin, 3),
            ("db.fra1.prod", other, 0),
            ("db.fra1.prod.", origin, 0),
            ("a.fra1.prod.", origin, 2),
            ("a\\.b.fra1.prod.", origin, 0),
            ("a.fra1.prod.", origin, 0),
            ("b..fra1.prod.", origin, 2),
            ("c.x.fra1.prod.", origin, 2),
            ("x.fra1.prod.", origin, 3),
            (".", origin, 0),
            ("mx", origin, 0),
            ("mx", origin, 1),
        ];
        for &(text, base, shared) in names {
            let mut whole = Vec::new();
            t.text_hashes(text.as_bytes(), base, |h| whole.push(h));
            let mut given = Vec::new();
            t.text_hashes_after(text.as_bytes(), base, &mut last, |h| given.push(h));
            assert_eq!(last.hashes, whole, "{text}");
            assert_eq!(given, whole[shared.min(whole.len())..], "{text}");
        }
    }

    #[test]
    fn remembered_parents_answer_like_a_full_comparison() {
        // Two tables with names interned in different orders, so equal names have
        // different ids; a memo of one slot, so every parent pair evicts the last.
        let names = [
            "web-1.fra1.prod.example.test.",
            "web-2.fra1.prod.example.test.",
            "web-1.ams2.prod.example.test.",
            "web-1.fra1.dev.example.test.",
            "web-1.fra1.prod.example.org.",
            "web-1.",
        ];
        let mut a = NameTable::new();
        let mut b = NameTable::new();
        let ids_a: Vec<NameId> = names
            .iter()
            .map(|n| a.intern_text(n, NameId::ROOT).unwrap())
            .collect();
        let ids_b: Vec<NameId> = names
            .iter()
            .rev()
            .map(|n| b.intern_text(n, NameId::ROOT).unwrap())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        // With their hashes and without them (given back, names compare by labels).
        let (mut a_bare, mut b_bare) = (NameTable::new(), NameTable::new());
        for n in &names {
            a_bare.intern_text(n, NameId::ROOT).unwrap();
        }
        for n in names.iter().rev() {
            b_bare.intern_text(n, NameId::ROOT).unwrap();
        }
        a_bare.release_hashes();
        b_bare.release_hashes();
        for (a, b, memo_len) in [
            (&a, &b, 1),
            (&a, &b, 3),
            (&a, &b, 4096),
            (&a_bare, &b_bare, 1),
            (&a_bare, &b_bare, 4096),
        ] {
            let mut memo = vec![(0, 0); memo_len];
            for _ in 0..2 {
                for (i, &x) in ids_a.iter().enumerate() {
                    for (j, &y) in ids_b.iter().enumerate() {
                        assert_eq!(
                            a.same_name_memo(x, b, y, &mut memo),
                            i == j,
                            "{} vs {} (memo of {memo_len})",
                            names[i],
                            names[j]
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn interning_shares_suffixes_and_ignores_case() {
        let mut t = NameTable::new();
        let com = t.intern_text("example.com.", NameId::ROOT).unwrap();
        let www = t.intern_text("WWW", com).unwrap();
        assert_eq!(t.intern_text("www.Example.COM.", NameId::ROOT), Some(www));
        assert_eq!(t.display(www), "www.example.com.");
        assert!(t.is_at_or_below(www, com));
        assert!(!t.is_at_or_below(com, www));
        assert_eq!(t.find_text("www.example.com."), Some(www));
        assert_eq!(t.find_text("ftp.example.com."), None);
    }

    #[test]
    fn short_labels_live_in_their_node_and_long_ones_in_the_label_bytes() {
        let mut t = NameTable::new();
        // Every length from 1 to 63, each under the one before, and the same labels
        // again under the root: a label kept in the node reads back like one kept apart.
        let labels: Vec<Vec<u8>> = (1..=63u8)
            .map(|n| (0..n).map(|k| b'a' + (n + k) % 26).collect())
            .collect();
        let mut parent = NameId::ROOT;
        let mut chain = Vec::new();
        for label in &labels {
            let id = t.child(parent, label).unwrap_or(parent);
            chain.push(id);
            parent = id;
        }
        let flat: Vec<NameId> = labels
            .iter()
            .map(|l| t.child(NameId::ROOT, l).unwrap())
            .collect();
        for (k, label) in labels.iter().enumerate() {
            assert_eq!(t.label(flat[k]), &label[..], "{k}");
            assert_eq!(t.find_child(NameId::ROOT, label), Some(flat[k]), "{k}");
        }
        // The chain ran out of room (255 octets) somewhere: its names read back too.
        for (k, &id) in chain
            .iter()
            .enumerate()
            .filter(|&(k, &id)| k == 0 || id != chain[k - 1])
        {
            assert_eq!(t.label(id), &labels[k][..], "{k}");
        }
        // Only labels past INLINE_LABEL bytes took label bytes: twice (chain and flat)
        // for those the chain holds, once for the rest.
        let long = |ids: &[NameId]| -> usize {
            ids.iter()
                .map(|&id| t.label(id).len())
                .filter(|&n| n > INLINE_LABEL)
                .sum()
        };
        let mut in_chain = chain.clone();
        in_chain.dedup();
        assert_eq!(t.labels.len(), long(&in_chain) + long(&flat));
        let placeholder = t.placeholder(0xfe);
        assert_eq!(t.label(placeholder), &[0xfe; 64][..]);
    }

    #[test]
    fn escapes_and_limits() {
        let mut b = LabelBuf::default();
        assert_eq!(b.parse(b"a\\.b.c."), Ok(true));
        assert_eq!(b.label_count(), 2);
        assert_eq!(b.parse(b"\\1"), Err(NameError::BadEscape));
        assert_eq!(b.parse(b"\\256"), Err(NameError::BadEscape));
        assert_eq!(b.parse(b".a"), Err(NameError::EmptyLabel));
        assert_eq!(b.parse(b"a..b"), Err(NameError::EmptyLabel));
        assert_eq!(b.parse(b"!@#3."), Ok(true));
        assert_eq!(b.parse(b"a\0b."), Err(NameError::ControlByte(0)));
        assert_eq!(b.parse(b"a\\000b."), Ok(true), "an escaped NUL is legal");
        let mut r = NameReader::default();
        assert_eq!(
            r.intern(&mut NameTable::new(), b"x\x1b[2J", NameId::ROOT),
            Err(NameError::ControlByte(0x1b))
        );
        assert_eq!(
            r.intern(&mut NameTable::new(), b"ok.bad\x7f.", NameId::ROOT),
            Err(NameError::ControlByte(0x7f))
        );
        let long = "a".repeat(64);
        assert_eq!(b.parse(long.as_bytes()), Err(NameError::LabelTooLong(64)));
        let mut t = NameTable::new();
        let l63 = "b".repeat(63);
        let text = format!("{l63}.{l63}.{l63}.{l63}.");
        assert!(b.parse(text.as_bytes()).is_ok());
        assert_eq!(b.intern(&mut t, NameId::ROOT), Err(NameError::NameTooLong));
    }

    #[test]
    fn table_grows_and_keeps_every_name() {
        let mut t = NameTable::with_capacity(4);
        let origin = t.intern_text("example.com.", NameId::ROOT).unwrap();
        let ids: Vec<_> = (0..5000)
            .map(|i| t.intern_text(&format!("host-{i}.site"), origin).unwrap())
            .collect();
        assert_eq!(t.len(), 5000 + 4);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(
                t.find_text(&format!("host-{i}.site.example.com.")),
                Some(*id)
            );
        }
    }

    #[test]
    fn reader_fast_path_agrees_with_the_full_parser() {
        let mut t = NameTable::new();
        let origin = t.intern_text("example.com.", NameId::ROOT).unwrap();
        let mut r = NameReader::default();
        for text in [
            "www",
            "WWW.Site",
            "a.b.c.d",
            "x.example.org.",
            "example.net.",
            ".",
            "mail.site",
            "a\\.b.site",
            "Mail.SITE",
        ] {
            let fast = r.intern(&mut t, text.as_bytes(), origin);
            let mut slow = NameReader::default();
            assert_eq!(fast, slow.slow(&mut t, text.as_bytes(), origin), "{text}");
        }
        assert_eq!(r.intern(&mut t, b"@", origin), Ok(origin));
        assert_eq!(r.intern(&mut t, b".a", origin), Err(NameError::EmptyLabel));
        assert_eq!(
            r.intern(&mut t, b"a..b", origin),
            Err(NameError::EmptyLabel)
        );
        assert_eq!(
            r.intern(&mut t, "x".repeat(64).as_bytes(), origin),
            Err(NameError::LabelTooLong(64))
        );
    }

    #[test]
    fn names_match_across_tables() {
        let mut a = NameTable::new();
        let mut b = NameTable::new();
        b.intern_text("other.example.", NameId::ROOT);
        let x = a.intern_text("Mail.Example.com.", NameId::ROOT).unwrap();
        let y = b.intern_text("mail.example.COM.", NameId::ROOT).unwrap();
        assert_ne!(x, y);
        assert_eq!(b.find_same(&a, x), Some(y));
        assert!(a.same_name(x, &b, y));
        let z = a.intern_text("mail.example.org.", NameId::ROOT).unwrap();
        assert_eq!(b.find_same(&a, z), None);
        assert_eq!(b.find_same(&a, NameId::ROOT), Some(NameId::ROOT));
    }

    #[test]
    fn a_released_index_answers_every_lookup_as_before() {
        let mut t = NameTable::new();
        let texts: Vec<String> = (0..300)
            .map(|i| format!("h{i}.{}.{}.0.10.in-addr.arpa.", i % 7, i % 3))
            .collect();
        let ids: Vec<NameId> = texts
            .iter()
            .map(|s| t.intern_text(s, NameId::ROOT).unwrap())
            .collect();
        let mut other = NameTable::new();
        let others: Vec<NameId> = texts
            .iter()
            .chain(&["h1.9.9.0.10.in-addr.arpa.".to_string()])
            .map(|s| other.intern_text(s, NameId::ROOT).unwrap())
            .collect();
        // Every name but the root is found as its parent's child.
        let children = |t: &NameTable| -> Vec<Option<NameId>> {
            (1..t.len() as u32)
                .map(|i| t.find_child(t.parent(NameId(i)).unwrap(), t.label(NameId(i))))
                .collect()
        };
        let before = children(&t);
        assert!(before.iter().zip(1..).all(|(&c, i)| c == Some(NameId(i))));
        let big = t.index.groups_len();
        t.release_index();
        assert!(t.index.groups_len() < big / 8, "{big}");
        for (k, s) in texts.iter().enumerate() {
            assert_eq!(t.find_text(s), Some(ids[k]), "{s}");
            assert_eq!(t.find_same(&other, others[k]), Some(ids[k]), "{s}");
        }
        assert_eq!(t.find_same(&other, others[texts.len()]), None);
        let after = children(&t);
        assert_eq!(after, before);
        // Interning again takes the rebuilt index back: old names are found, new ones
        // entered once.
        assert_eq!(t.intern_text(&texts[5], NameId::ROOT), Some(ids[5]));
        let new = t
            .intern_text("new.0.10.in-addr.arpa.", NameId::ROOT)
            .unwrap();
        assert_eq!(new.0 as usize, t.len() - 1);
        assert_eq!(
            t.intern_text("NEW.0.10.in-addr.arpa.", NameId::ROOT),
            Some(new)
        );
        // Released and interned into without a lookup in between: built on the spot.
        t.release_index();
        let newer = t
            .intern_text("newer.0.10.in-addr.arpa.", NameId::ROOT)
            .unwrap();
        assert_eq!(t.find_text("h7.0.1.0.10.in-addr.arpa."), Some(ids[7]));
        assert_eq!(t.find_text("newer.0.10.in-addr.arpa."), Some(newer));
    }

    #[test]
    fn hashes_given_back_are_worked_out_as_they_were() {
        let mut t = NameTable::new();
        for i in 0..500 {
            let text = format!(
                "{}.{}.{:x}.8.b.d.0.1.0.0.2.ip6.arpa.",
                i % 16,
                i / 16 % 5,
                i
            );
            t.intern_text(&text, NameId::ROOT).unwrap();
        }
        t.intern_text("a-long-host-name.example.", NameId::ROOT)
            .unwrap();
        let before: Vec<u32> = (0..t.len() as u32).map(|i| t.hash_of(NameId(i))).collect();
        let mut other = NameTable::new();
        let same = other
            .intern_text("A-Long-Host-Name.example.", NameId::ROOT)
            .unwrap();
        t.release_index();
        assert_eq!(t.hashes.len(), t.len(), "the index alone is given back");
        t.release_hashes();
        assert!(t.hashes.is_empty(), "the hashes are given back");
        let after: Vec<u32> = (0..t.len() as u32).map(|i| t.hash_of(NameId(i))).collect();
        assert_eq!(after, before);
        let found = t.find_same(&other, same).unwrap();
        assert!(t.same_name(found, &other, same));
        assert_eq!(t.display(found), "a-long-host-name.example.");
        // A name added takes them back, its own hash beside them.
        let new = t.intern_text("new.example.", NameId::ROOT).unwrap();
        assert_eq!(t.hashes.len(), t.len());
        assert_eq!(&t.hashes[..before.len()], &before[..]);
        assert_eq!(
            t.hash_of(new),
            mix(t.hash_of(t.parent(new).unwrap()), b"new")
        );
    }

    #[test]
    fn a_table_that_keeps_its_index_but_not_its_hashes_answers_every_lookup() {
        let mut t = NameTable::new();
        let texts = ["a.example.", "*.w.example.", "b.w.example.", "c.d.example."];
        let ids: Vec<NameId> = texts
            .iter()
            .map(|s| t.intern_text(s, NameId::ROOT).unwrap())
            .collect();
        let children: Vec<Option<NameId>> = (1..t.len() as u32)
            .map(|i| t.find_child(t.parent(NameId(i)).unwrap(), t.label(NameId(i))))
            .collect();
        t.release_hashes();
        assert!(t.hashes.is_empty() && !t.index_released());
        for (k, s) in texts.iter().enumerate() {
            assert_eq!(t.find_text(s), Some(ids[k]), "{s}");
        }
        let again: Vec<Option<NameId>> = (1..t.len() as u32)
            .map(|i| t.find_child(t.parent(NameId(i)).unwrap(), t.label(NameId(i))))
            .collect();
        assert_eq!(again, children);
        // The wildcard below `w` is found, and none is below `d`.
        let (w, d) = (t.parent(ids[1]).unwrap(), t.parent(ids[3]).unwrap());
        assert_eq!(t.find_child(w, b"*"), Some(ids[1]));
        assert_eq!(t.find_child(d, b"*"), None);
        let star_hash = mix(t.hash_of(w), b"*");
        assert_eq!(t.find_child_hashed(w, star_hash, b"*"), Some(ids[1]));
        // A table with no wildcard at all is told so without the index.
        let mut plain = NameTable::new();
        let host = plain.intern_text("h.example.", NameId::ROOT).unwrap();
        plain.release_hashes();
        assert_eq!(plain.find_child(plain.parent(host).unwrap(), b"*"), None);
        assert_eq!(
            plain.find_child(plain.parent(host).unwrap(), b"h"),
            Some(host)
        );
    }

    #[test]
    fn a_table_with_a_stand_in_keeps_its_hashes() {
        let mut t = NameTable::new();
        let guess = t.intern_text("example.", NameId::ROOT).unwrap();
        let stand_in = t.stand_in(0xfe, guess);
        t.child(stand_in, b"www").unwrap();
        let before: Vec<u32> = (0..t.len() as u32).map(|i| t.hash_of(NameId(i))).collect();
        t.release_hashes();
        assert_eq!(t.hashes, before, "a stand-in's hash is not its labels'");
        // A name added keeps them as they are: none is worked out again.
        t.child(stand_in, b"mail").unwrap();
        assert_eq!(&t.hashes[..before.len()], &before[..]);
        // Taken over by another table as a name, a stand-in keeps its hashes there too.
        let mut whole = NameTable::new();
        whole.adopt(t, |_| None).unwrap();
        whole.release_hashes();
        assert_eq!(whole.hashes.len(), whole.len());
    }

    #[test]
    fn a_released_index_looks_up_no_wildcard_where_there_is_none() {
        let mut t = NameTable::new();
        let www = t.intern_text("www.example.", NameId::ROOT).unwrap();
        let example = t.parent(www).unwrap();
        t.release_index();
        // No name has the label `*`: the lookup answers without the index.
        assert_eq!(t.find_child(example, b"*"), None);
        assert!(!t.index_built_again());
        // Other lookups build it.
        assert_eq!(t.find_child(example, b"www"), Some(www));
        assert!(t.index_built_again());

        // With a wildcard, it is found, released or not.
        let star = t.intern_text("*.example.", NameId::ROOT).unwrap();
        assert_eq!(t.find_child(example, b"*"), Some(star));
        t.release_index();
        assert_eq!(t.find_child(example, b"*"), Some(star));
        assert!(t.index_built_again());
        assert_eq!(t.find_child(www, b"*"), None);

        // A wildcard interned after the release (which takes the index back) is
        // found: what was worked out of the names before does not hold any more.
        let mut u = NameTable::new();
        let host = u.intern_text("host.example.", NameId::ROOT).unwrap();
        let parent = u.parent(host).unwrap();
        u.release_index();
        assert_eq!(u.find_child(parent, b"*"), None);
        let later = u.intern_text("*.example.", NameId::ROOT).unwrap();
        assert_eq!(u.find_child(parent, b"*"), Some(later));
    }

    #[test]
    fn names_after_a_release_are_kept_and_those_before_it_are_given_back() {
        let mut t = NameTable::new();
        t.store_labels_in_id_order();
        // Long labels, kept in the label bytes, and short ones, kept in the nodes.
        let ids: Vec<NameId> = (0..3000)
            .map(|i| {
                let text = if i % 2 == 0 {
                    format!("host-number-{i}.example.")
                } else {
                    format!("h{i}.example.")
                };
                t.intern_text(&text, NameId::ROOT).unwrap()
            })
            .collect();
        let mut list = t.into_list();
        // Cut at a name whose label fills its node (five bytes, none in the label
        // bytes): the label bytes kept are those from the next long label on.
        let cut = ids[2001];
        assert_eq!(list.label(cut), b"h2001");
        let kept: Vec<(NameId, Vec<u8>, u32)> = ids[2001..]
            .iter()
            .map(|&id| (list.parent(id), list.label(id).to_vec(), list.hash(id)))
            .collect();
        list.release_before(cut);
        for (k, &id) in ids[2001..].iter().enumerate() {
            assert_eq!(
                (list.parent(id), list.label(id).to_vec(), list.hash(id)),
                kept[k]
            );
        }
        // The whole pages of nodes and label bytes before the cut were given back: an
        // early node reads as zeros now, hash and all.
        #[cfg(target_os = "linux")]
        {
            assert_eq!(list.hash(ids[1000]), 0);
            assert_eq!(list.parent(ids[1000]), NameId::ROOT);
            let zeros = list.labels[..12_000].iter().filter(|&&b| b == 0).count();
            assert!(zeros >= 4096, "{zeros}");
        }
        // Past the end: everything goes, and nothing breaks.
        list.release_before(NameId(u32::MAX));
    }

    #[test]
    fn a_long_label_that_recurs_is_stored_once_in_a_large_table() {
        let mut t = NameTable::new();
        // Enough distinct long labels to pass the size from which labels are shared,
        // each with a recurring long label below it and a short one.
        let brands = RECENT_LABELS_FROM / 8 + 500;
        let mut names = Vec::new();
        for i in 0..brands {
            for text in [
                format!("brand-{i:05}.example."),
                format!("_domainkey.brand-{i:05}.example."),
                format!("sel1._domainkey.brand-{i:05}.example."),
            ] {
                names.push((t.intern_text(&text, NameId::ROOT).unwrap(), text));
            }
        }
        for (id, text) in &names {
            assert_eq!(&t.display(*id), text);
            assert_eq!(t.find_text(text), Some(*id));
        }
        // `example` and each `brand-NNNNN` once; `_domainkey` once for each brand until
        // the table is large enough, then (nearly) never again.
        let unshared = b"example".len() + brands * b"brand-00000".len();
        let domainkeys = (t.labels.len() - unshared) / b"_domainkey".len();
        assert!(
            domainkeys < RECENT_LABELS_FROM / 8 + 50,
            "{domainkeys} copies of `_domainkey`"
        );
        assert!(
            domainkeys > RECENT_LABELS_FROM / 32,
            "small tables share nothing"
        );
        // A table meant to be given back in id order shares nothing.
        let mut apart = NameTable::new();
        apart.store_labels_in_id_order();
        for (_, text) in &names {
            apart.intern_text(text, NameId::ROOT).unwrap();
        }
        assert_eq!(
            apart.labels.len(),
            unshared + brands * b"_domainkey".len(),
            "every long label stored anew"
        );
        assert!(apart.into_list().labels_in_id_order);
        assert!(!t.into_list().labels_in_id_order);
    }

    #[test]
    fn a_remembered_label_is_shared_only_when_its_bytes_are_the_same() {
        let mut recent = RecentLabels::new();
        recent.entries = Some(vec![u64::MAX; RECENT_LABELS].into_boxed_slice());
        let mut labels = b"abcdefgh".to_vec();
        // An entry with the hash of `ijklmnop` that says it lies where `abcdefgh` does.
        let key = label_key(b"ijklmnop");
        recent.entries.as_mut().unwrap()[key as usize % RECENT_LABELS] = u64::from(key) << 32;
        let at = recent.store(&mut labels, b"ijklmnop") as usize;
        assert_eq!(at, 8, "stored anew");
        assert_eq!(&labels[at..], b"ijklmnop");
        // Now it is remembered, and shared.
        assert_eq!(recent.store(&mut labels, b"ijklmnop"), 8);
        assert_eq!(labels.len(), 16);
        // Bytes that match under an entry of another hash are not shared either.
        let at = recent.store(&mut labels, b"abcdefgh") as usize;
        assert_eq!((at, &labels[at..]), (16, &b"abcdefgh"[..]));
    }

    #[test]
    fn room_kept_in_the_index_is_grown_into_as_names_come() {
        let mut t = NameTable::new();
        t.reserve_index_room(20_000);
        let (room, memory) = t.index.room();
        assert!(room * 7 >= 20_000, "room for the names to come");
        for i in 0..15_000 {
            t.intern_text(&format!("h{i}.example."), NameId::ROOT)
                .unwrap();
        }
        assert_eq!(t.index.room(), (room, memory), "grown in place");
        assert!(t.index.groups_len() * 7 >= 15_000);
        for i in (0..15_000).step_by(7) {
            assert!(t.find_text(&format!("h{i}.example.")).is_some());
        }
    }

    #[test]
    fn a_table_that_shares_labels_keeps_them_when_its_names_are_given_back() {
        let mut t = NameTable::new();
        let ids: Vec<NameId> = (0..6000)
            .map(|i| {
                t.intern_text(&format!("_service.host-number-{i}.example."), NameId::ROOT)
                    .unwrap()
            })
            .collect();
        let mut list = t.into_list();
        // Cut at a host's name, whose label was stored after the shared `_service`.
        let cut = NameId(ids[4000].0 + 1);
        assert_eq!(list.label(cut), b"host-number-4001");
        let kept: Vec<Vec<u8>> = ids[4001..]
            .iter()
            .map(|&id| list.label(id).to_vec())
            .collect();
        assert!(kept.iter().all(|l| l == b"_service"));
        list.release_before(cut);
        for (k, &id) in ids[4001..].iter().enumerate() {
            assert_eq!(
                list.label(id),
                kept[k],
                "a shared label outlives the release"
            );
        }
    }

    #[test]
    fn display_escapes_special_bytes() {
        let mut t = NameTable::new();
        let id = t.intern_text("a\\.b\\000.", NameId::ROOT).unwrap();
        assert_eq!(t.display(id), "a\\.b\\000.");
        // Every byte, in a label of its own beside a plain one: special bytes get a
        // backslash, other printable ASCII stays, the rest is `\DDD`; the text reads back
        // as the same name.
        let plain = t.intern_text("plain.example.", NameId::ROOT).unwrap();
        for b in 0..=255u8 {
            let id = t
                .child(plain, &[b'x', b.to_ascii_lowercase(), b'y'])
                .unwrap();
            let b = b.to_ascii_lowercase();
            let shown = match b {
                b'.' | b'\\' | b'"' | b';' | b'(' | b')' | b'@' | b'$' => {
                    format!("\\{}", b as char)
                }
                0x21..=0x7e => (b as char).to_string(),
                _ => format!("\\{b:03}"),
            };
            let text = t.display(id);
            assert_eq!(text, format!("x{shown}y.plain.example."), "byte {b}");
            assert_eq!(t.find_text(&text), Some(id), "{text}");
        }
        let only_special = t.child(plain, b"(@)").unwrap();
        assert_eq!(t.display(only_special), "\\(\\@\\).plain.example.");
    }
}
