//! Hints to the memory system: large arrays on huge pages, and loads asked for before
//! they are needed.
//!
//! The name index, the name nodes and the records of a large zone are arrays of tens
//! of megabytes read in random order: with 4 KiB pages nearly every lookup also misses
//! the TLB. Where the kernel hands out transparent huge pages on request (Linux's
//! `madvise` mode, the usual default), asking for them before the memory is first
//! touched makes those lookups cheaper. Only a hint: nothing else changes, and where
//! the system says no, nothing happens.

/// The size of a huge page on the processors Linux gives them on (2 MiB): only whole
/// huge pages inside an array can be backed by one.
const HUGE_PAGE: usize = 2 << 20;

/// Asks for huge pages under the spare capacity and contents of `v`. Call it after
/// reserving and before filling: pages already touched stay small.
pub fn prefer_huge_pages<T>(v: &Vec<T>) {
    let Some((first, len)) = whole_huge_pages(v.as_ptr() as usize, v.capacity() * size_of::<T>())
    else {
        return;
    };
    #[cfg(target_os = "linux")]
    // SAFETY: the range lies inside the vector's own allocation (its capacity), which
    // is mapped memory of this process; `MADV_HUGEPAGE` changes no byte of it and no
    // mapping's permissions, only how the kernel backs it. An error (a kernel without
    // transparent huge pages) leaves everything as it was, so it is ignored.
    unsafe {
        libc::madvise(first as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (first, len);
}

/// The whole huge pages inside `bytes` bytes from `start`, as (start, length), for an
/// array large enough to be worth asking for them (two huge pages at least).
fn whole_huge_pages(start: usize, bytes: usize) -> Option<(usize, usize)> {
    if bytes < 2 * HUGE_PAGE {
        return None;
    }
    let first = start.checked_next_multiple_of(HUGE_PAGE)?;
    let end = start.checked_add(bytes)? / HUGE_PAGE * HUGE_PAGE;
    (end > first).then(|| (first, end - first))
}

/// Blocks at least this large get a mapping of their own once [`map_large_blocks`] has
/// run.
pub const MAPPED_BLOCK: usize = 4 << 20;

/// From here on, every block of [`MAPPED_BLOCK`] or more gets a memory mapping of its
/// own, as glibc's malloc gives one to blocks over 128 KiB at first. [`crate::check`]
/// calls it once the zones are loaded, before the rules run, when its options allow
/// (the command line's do).
///
/// Why: glibc raises that threshold each time it frees a mapped block, up to 32 MiB,
/// and loading a large zone frees many. The rules' arrays of a few to some tens of
/// MiB (facts, findings) are then carved from the allocator's arenas: grown by copying
/// (old and new both resident), and kept resident once freed. In a mapping of its own a
/// block grows by remapping and goes back to the system when freed. Measured on a
/// 10M-record zone: peak RSS 842 → 811 MB. Loading is left as it was: with the
/// threshold fixed from the start, the 1M-record zone peaked 7 MiB higher and its
/// ip6.arpa zone 11 MiB. Elsewhere than glibc this does nothing.
pub fn map_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets a parameter of the allocator, which glibc guards with
    // its own lock; no block is moved or freed by it. A value it refuses leaves the old
    // one, so its result is ignored.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MAPPED_BLOCK as libc::c_int);
    }
}

/// Asks the processor to start loading the cache line that holds `value`, so that a
/// caller who knows what it will read next can overlap the wait with other work. Only
/// a hint: nothing changes.
#[inline]
pub fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch never faults and reads nothing Rust can observe, and the
    // pointer comes from a live reference in any case. SSE is part of the x86_64
    // baseline, so the instruction exists on every x86_64 processor.
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(
            (value as *const T).cast::<i8>(),
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `VmFlags` of the mapping that holds `address`, from `/proc/self/smaps`.
    #[cfg(target_os = "linux")]
    fn flags_at(address: usize) -> Vec<String> {
        let smaps = std::fs::read_to_string("/proc/self/smaps").expect("smaps is readable");
        let mut inside = false;
        for line in smaps.lines() {
            let range = line.split_whitespace().next().unwrap_or("");
            if let Some((a, b)) = range.split_once('-')
                && let (Ok(a), Ok(b)) = (usize::from_str_radix(a, 16), usize::from_str_radix(b, 16))
            {
                inside = (a..b).contains(&address);
            } else if inside && let Some(flags) = line.strip_prefix("VmFlags:") {
                return flags.split_whitespace().map(String::from).collect();
            }
        }
        panic!("no mapping holds {address:#x}");
    }

    #[test]
    fn only_whole_huge_pages_of_large_arrays_are_asked_for() {
        const H: usize = HUGE_PAGE;
        // Aligned: every huge page; not aligned: the whole ones inside.
        assert_eq!(whole_huge_pages(4 * H, 3 * H), Some((4 * H, 3 * H)));
        assert_eq!(whole_huge_pages(4 * H + 16, 3 * H), Some((5 * H, 2 * H)));
        assert_eq!(whole_huge_pages(4 * H + 16, 2 * H), Some((5 * H, H)));
        assert_eq!(whole_huge_pages(4 * H + 16, 2 * H - 32), None);
        // Below two huge pages it is not worth asking, even where one would fit.
        assert_eq!(whole_huge_pages(4 * H, 2 * H - 1), None);
        assert_eq!(whole_huge_pages(4 * H, 2 * H), Some((4 * H, 2 * H)));
        // Ranges that would wrap the address space ask for nothing.
        assert_eq!(whole_huge_pages(usize::MAX - H, 4 * H), None);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_large_array_is_advised_and_a_small_one_is_not() {
        let big: Vec<u64> = Vec::with_capacity(8 * HUGE_PAGE / 8);
        let middle = big.as_ptr() as usize + 4 * HUGE_PAGE;
        assert!(!flags_at(middle).contains(&"hg".to_string()));
        prefer_huge_pages(&big);
        assert!(flags_at(middle).contains(&"hg".to_string()));
        // One huge page's worth is not worth asking for.
        let small: Vec<u8> = Vec::with_capacity(HUGE_PAGE + 4096);
        prefer_huge_pages(&small);
        let inner = (small.as_ptr() as usize).next_multiple_of(HUGE_PAGE);
        if inner < small.as_ptr() as usize + small.capacity() {
            assert!(!flags_at(inner).contains(&"hg".to_string()));
        }
    }

    #[test]
    fn huge_pages_change_no_contents() {
        let mut v: Vec<u64> = Vec::with_capacity(3 * HUGE_PAGE / 8);
        prefer_huge_pages(&v);
        v.extend(0..v.capacity() as u64);
        prefer_huge_pages(&v);
        assert!(v.iter().enumerate().all(|(i, &x)| x == i as u64));
        let small: Vec<u8> = vec![7; 100];
        prefer_huge_pages(&small);
        assert_eq!(small, vec![7; 100]);
    }
}
