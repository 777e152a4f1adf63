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

/// Types for which every pattern of bytes is a value: every field an integer or an
/// array of integers, no padding, nothing to drop.
///
/// # Safety
///
/// Implement only for such types: [`release_front`] leaves whatever bytes the system
/// gives back (zeros, in practice) in items still owned by the caller.
pub unsafe trait AnyBytes: Copy {}

// SAFETY: a byte is any byte.
unsafe impl AnyBytes for u8 {}

// SAFETY: a `u32` is any 4 bytes, and has nothing to drop.
unsafe impl AnyBytes for u32 {}

/// Gives the memory under the first `count` items of `items` back to the system (the
/// whole pages among them), for items the caller is done with in an array it will free
/// whole. They read as zero bytes from then on: values of no meaning, and of the type
/// still (see [`AnyBytes`]). For an array read once from the front while another is
/// filled from it, so that the two never take their full room together.
pub fn release_front<T: AnyBytes>(items: &mut [T], count: usize) {
    #[cfg(target_os = "linux")]
    {
        let count = count.min(items.len());
        let Some((first, len)) =
            whole_pages(items.as_ptr() as usize, count * size_of::<T>(), page_size())
        else {
            return;
        };
        // SAFETY: the range is whole pages inside `items`, which this call borrows
        // mutably: nothing else reads or writes them meanwhile. `MADV_DONTNEED` frees
        // the pages; later reads find zero bytes (the allocator's memory is private
        // and anonymous), or at worst other bytes, and any bytes are a value of `T`
        // (`T: AnyBytes`), so the items stay valid. The allocation itself and the
        // memory outside the range are not touched. An error leaves the pages as
        // they were: it is ignored.
        unsafe {
            libc::madvise(first as *mut libc::c_void, len, libc::MADV_DONTNEED);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (items, count);
}

/// The size of a page of memory.
#[cfg(target_os = "linux")]
fn page_size() -> usize {
    // SAFETY: `sysconf` only reads a constant of the system.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(page).unwrap_or(0)
}

/// The whole pages of `page` bytes inside `bytes` bytes from `start`, as (start,
/// length).
fn whole_pages(start: usize, bytes: usize, page: usize) -> Option<(usize, usize)> {
    if page == 0 {
        return None;
    }
    let first = start.checked_next_multiple_of(page)?;
    let end = start.checked_add(bytes)? / page * page;
    (end > first).then(|| (first, end - first))
}

/// The whole huge pages inside `bytes` bytes from `start`, as (start, length), for an
/// array large enough to be worth asking for them (two huge pages at least).
fn whole_huge_pages(start: usize, bytes: usize) -> Option<(usize, usize)> {
    if bytes < 2 * HUGE_PAGE {
        return None;
    }
    whole_pages(start, bytes, HUGE_PAGE)
}

/// Blocks at least this large get a mapping of their own once [`map_large_blocks`] has
/// run. Small enough that a rule's address tables and facts (a few MiB each on a
/// million-record set) go back to the system when freed, rather than stay resident
/// under the findings made after them: at 4 MiB, the generated 1M set's peak was
/// 6 MiB higher. At 256 KiB, the rules of its forward zone took 35 ms more (a new
/// mapping's pages are faulted in and zeroed each time).
pub const MAPPED_BLOCK: usize = 1 << 20;

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

/// Gives the system back the free memory the allocator holds (whole free pages inside
/// its arenas as well as at their ends), and says whether there was any. [`crate::check`]
/// calls it once the zones are loaded, when its options allow.
///
/// Why: loading leaves free memory scattered over the arenas of the threads that
/// parsed (their buffers and the parts joined). How much of it the rules then reuse
/// depends on which thread asks for memory when, so the run's peak moved by up to
/// 8 MiB from one run of the 1M set to the next (161 to 170 MiB); given back first, it
/// stays within 4 (161 to 165). It takes a few milliseconds. Elsewhere than glibc this
/// does nothing.
pub fn give_back_free_memory() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only returns free memory of the allocator to the system,
    // under the allocator's own locks; no block in use is moved or changed.
    unsafe {
        libc::malloc_trim(0) == 1
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    false
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
    fn only_whole_pages_inside_the_range_are_released() {
        const P: usize = 4096;
        // From the first page boundary at or after the start to the last before the end.
        assert_eq!(whole_pages(10 * P, 5 * P, P), Some((10 * P, 5 * P)));
        assert_eq!(whole_pages(10 * P, 5 * P + 7, P), Some((10 * P, 5 * P)));
        assert_eq!(whole_pages(10 * P + 8, 5 * P, P), Some((11 * P, 4 * P)));
        assert_eq!(whole_pages(10 * P + 8, 6 * P - 8, P), Some((11 * P, 5 * P)));
        // No whole page, or none at all.
        assert_eq!(whole_pages(10 * P + 8, P, P), None);
        assert_eq!(whole_pages(10 * P, P - 1, P), None);
        assert_eq!(whole_pages(10 * P, 0, P), None);
        assert_eq!(whole_pages(10 * P, 5 * P, 0), None);
        assert_eq!(whole_pages(usize::MAX - P, 4 * P, P), None);
    }

    /// How many of the pages of `len` bytes from `start` (page-aligned) are resident.
    #[cfg(target_os = "linux")]
    fn resident_pages(start: usize, len: usize) -> usize {
        let mut flags = vec![0u8; len.div_ceil(page_size())];
        // SAFETY: `mincore` writes one byte a page of the range into `flags`, which has
        // room for them all; the range lies in an allocation of the caller's.
        let rc =
            unsafe { libc::mincore(start as *mut libc::c_void, len, flags.as_mut_ptr().cast()) };
        assert_eq!(rc, 0, "mincore");
        flags.iter().filter(|&&f| f & 1 != 0).count()
    }

    // SAFETY: a `u64` is any 8 bytes.
    unsafe impl AnyBytes for u64 {}

    #[test]
    #[cfg(target_os = "linux")]
    fn the_front_goes_back_and_the_rest_stays() {
        let page = page_size();
        let mut v: Vec<u64> = (0..(4 << 20) / 8).collect();
        let start = v.as_ptr() as usize;
        let quarter = v.len() / 4;
        // The whole pages under the first quarter.
        let front = start.next_multiple_of(page);
        let front_len = (start + quarter * 8) / page * page - front;
        assert_eq!(resident_pages(front, front_len), front_len / page);
        release_front(&mut v, quarter);
        assert_eq!(resident_pages(front, front_len), 0, "front pages released");
        // Past the released pages every item is as it was; inside them, zero.
        let kept = (front + front_len - start) / 8;
        assert!(
            v[kept..]
                .iter()
                .enumerate()
                .all(|(i, &x)| x == (kept + i) as u64)
        );
        assert!(v[(front - start) / 8..kept].iter().all(|&x| x == 0));
        // More than there are is all of them.
        release_front(&mut v, usize::MAX);
        assert!(resident_pages(front, v.len() * 8 / page * page - page) <= 1);
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
