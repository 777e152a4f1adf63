//! How zonelint asks glibc's allocator to place large blocks (see
//! `zonelint::memory::map_large_blocks`). Alone in its own test binary: the
//! allocator's counters are the whole process's, and another test allocating beside
//! this one would move them.

/// Checks a small zone with `map_large_blocks` as given.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn check_a_zone(map_large_blocks: bool) {
    let dir = std::env::temp_dir().join(format!("zonelint-allocator-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join("example.test.zone");
    std::fs::write(
        &path,
        "$ORIGIN example.test.\n@ 3600 IN SOA ns h 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.1\n",
    )
    .expect("the zone is written");
    let options = zonelint::CheckOptions {
        map_large_blocks,
        ..Default::default()
    };
    let report = zonelint::check(&[zonelint::load::PathArg::new(&path, None)], &options)
        .expect("the zone is checked");
    assert_eq!(report.set.zones.len(), 1);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn once_asked_large_blocks_get_mappings_of_their_own() {
    use std::hint::black_box;
    // Bytes in blocks with a mapping of their own.
    // SAFETY: `mallinfo2` takes no arguments and returns counters by value; glibc reads
    // them under its own locks, so it is sound to call at any time.
    let mapped = || unsafe { libc::mallinfo2() }.hblkhd;
    let size = zonelint::memory::MAPPED_BLOCK + (1 << 20);
    // Freeing a large mapped block raises glibc's threshold past `size`, as loading a
    // large zone does: a block of `size` then comes from the arena.
    drop(black_box(vec![1u8; 24 << 20]));
    // A check whose options do not allow it leaves the allocator as it was.
    check_a_zone(false);
    let before = mapped();
    let from_arena = black_box(vec![1u8; size]);
    assert!(
        mapped() < before + size,
        "the threshold was not raised, or was fixed: nothing is tested"
    );
    // Still held: a free stretch of the arena is used before any new memory, mapped
    // or not.
    check_a_zone(true);
    let before = mapped();
    let block = black_box(vec![1u8; size]);
    assert!(mapped() >= before + size);
    // And smaller blocks still come from the arena.
    let before = mapped();
    let small = black_box(vec![1u8; zonelint::memory::MAPPED_BLOCK / 2]);
    assert!(mapped() < before + small.len());
    drop((from_arena, block, small));

    // Free memory inside an arena, below a block still in use (so that freeing alone
    // cannot shrink the arena), goes back when asked for: 8 MiB of it.
    let resident = || {
        let statm = std::fs::read_to_string("/proc/self/statm").expect("statm");
        let pages: usize = statm.split(' ').nth(1).unwrap().parse().unwrap();
        pages * 4096
    };
    let mut pieces: Vec<Vec<u8>> = (0..512).map(|_| black_box(vec![1u8; 16 << 10])).collect();
    let kept = black_box(vec![1u8; 16 << 10]);
    pieces.clear();
    let before = resident();
    assert!(zonelint::memory::give_back_free_memory());
    let after = resident();
    assert!(
        before > after + (4 << 20),
        "{before} → {after} bytes resident"
    );
    drop(kept);
}
