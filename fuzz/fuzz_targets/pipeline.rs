//! The whole check pipeline on hostile input: zone bytes, inventory bytes and
//! configuration bytes (split at `\n%%\n`) → check → every output format → fix →
//! check again. Nothing may panic or hang, and no output may carry a raw control
//! character that came from the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use zonelint::load::PathArg;
use zonelint::{CheckOptions, output};

/// The run's files live in a directory of their own per process (tmpfs when there).
fn workdir() -> &'static Path {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let base = if Path::new("/dev/shm").is_dir() {
            std::path::PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("zonelint-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

fn split(data: &[u8]) -> (&[u8], &[u8], &[u8]) {
    let sep = b"\n%%\n";
    let find = |d: &[u8]| d.windows(sep.len()).position(|w| w == sep);
    let Some(a) = find(data) else {
        return (data, b"", b"");
    };
    let (zone, rest) = (&data[..a], &data[a + sep.len()..]);
    match find(rest) {
        Some(b) => (zone, &rest[..b], &rest[b + sep.len()..]),
        None => (zone, rest, b""),
    }
}

/// Output must not carry control characters from the input: only `\n` (and `\t`).
fn assert_safe(format: &str, bytes: &[u8]) {
    for (i, &b) in bytes.iter().enumerate() {
        let control = (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f;
        assert!(!control, "{format}: raw byte {b:#04x} at {i}");
    }
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)),
        "{format}: a C1 control character"
    );
}

fn check(zone: &Path, inventory: Option<&Path>) -> Option<zonelint::Report> {
    let options = CheckOptions {
        inventory: inventory.map(Path::to_path_buf),
        ..Default::default()
    };
    zonelint::check(&[PathArg::new(zone, Some("fuzz.example.".into()))], &options).ok()
}

fuzz_target!(|data: &[u8]| {
    let dir = workdir();
    let (zone_bytes, inventory_bytes, config_bytes) = split(data);
    let zone = dir.join("fuzz.zone");
    std::fs::write(&zone, zone_bytes).unwrap();
    let inventory = dir.join("inventory.yaml");
    let inventory = match std::str::from_utf8(inventory_bytes) {
        Ok(text) if !text.is_empty() => {
            std::fs::write(&inventory, text).unwrap();
            zonelint::inventory::Inventory::parse(&inventory, text.to_string())
                .ok()
                .map(|_| inventory)
        }
        _ => None,
    };
    if let Ok(text) = std::str::from_utf8(config_bytes) {
        // Any text is a configuration or a labelled error, never a panic.
        let _ = zonelint::config::Config::parse(&dir.join("zonelint.toml"), text.to_string());
    }
    let Some(report) = check(&zone, inventory.as_deref()) else {
        return;
    };
    for (name, write) in [
        ("concise", output::concise::write as fn(&zonelint::Report, &mut dyn std::io::Write) -> std::io::Result<()>),
        ("json", output::json::write),
        ("sarif", output::sarif::write),
        ("github", output::github::write),
    ] {
        let mut out = Vec::new();
        write(&report, &mut out).unwrap();
        assert_safe(name, &out);
    }
    let mut human = Vec::new();
    output::human::write(&report, &mut human, false).unwrap();
    assert_safe("human", &human);
    // Fix everything that can be fixed, then check the result again.
    let plan = zonelint::fix::plan(&report, zonelint::fix::Applicability::Unsafe, 20261202);
    for change in &plan.changes {
        std::fs::write(&change.path, &change.new).unwrap();
    }
    if !plan.changes.is_empty() {
        let _ = check(&zone, inventory.as_deref());
    }
});
