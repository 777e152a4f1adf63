//! How zonelint asks glibc's allocator to place large blocks (see
//! `zonelint::memory::map_large_blocks`). Alone in its own test binary: the
//! allocator's counters are the whole process's, and another test allocating beside
//! this one would move them.

#[test]
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn once_asked_large_blocks_get_mappings_of_their_own() {
    use std::hint::black_box;
    // Bytes in blocks with a mapping of their own.
    let mapped = || unsafe { libc::mallinfo2() }.hblkhd;
    let size = zonelint::memory::MAPPED_BLOCK + (1 << 20);
    // Freeing a large mapped block raises glibc's threshold past `size`, as loading a
    // large zone does: a block of `size` then comes from the arena.
    drop(black_box(vec![1u8; 24 << 20]));
    let before = mapped();
    let from_arena = black_box(vec![1u8; size]);
    assert!(
        mapped() < before + size,
        "the threshold was not raised: nothing is tested"
    );
    // Still held: a free stretch of the arena is used before any new memory, mapped
    // or not.
    zonelint::memory::map_large_blocks();
    let before = mapped();
    let block = black_box(vec![1u8; size]);
    assert!(mapped() >= before + size);
    // And smaller blocks still come from the arena.
    let before = mapped();
    let small = black_box(vec![1u8; zonelint::memory::MAPPED_BLOCK / 2]);
    assert!(mapped() < before + small.len());
    drop((from_arena, block, small));
}
