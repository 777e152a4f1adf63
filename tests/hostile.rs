//! A pull request controls every file zonelint reads. One regression test per defect
//! a red-team run found (issue 9), named after the defect. Each runs the zonelint
//! binary (or the library) on the hostile input and checks that nothing leaks, nothing
//! hangs and nothing is lost.

use crate::common::{command, manifest_dir, zonelint};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const ZONE: &str = "$ORIGIN h.example.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\nns1 IN A 192.0.2.1\n";

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p
}

/// The peak resident memory of a running process, in KiB (`VmHWM`: the high-water mark
/// of its own image, which the fork's copy of the test process does not count in).
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Runs `cmd`, killing it (and failing) if it has not ended after `secs` seconds; also
/// returns its peak resident memory in KiB, as last seen while it ran.
fn bounded(mut cmd: Command, secs: u64) -> (Output, u64) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zonelint starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = stdout.read_to_end(&mut b);
        b
    });
    let err_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = stderr.read_to_end(&mut b);
        b
    });
    let pid = child.id();
    let start = Instant::now();
    let mut rss = 0;
    let status = loop {
        if let Some(kib) = peak_kib(pid) {
            rss = rss.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("zonelint did not end within {secs} s");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let output = Output {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    };
    (output, rss)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

const FORMATS: [&str; 5] = ["human", "concise", "json", "sarif", "github"];

// 1
#[test]
fn symlink_leading_out_of_the_tree_is_not_read() {
    let outside = tempfile::tempdir().unwrap();
    let secret = write(outside.path(), "shadow", "root:$6$planted-hash:19000::\n");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "z/a.zone", ZONE);
    std::os::unix::fs::symlink(&secret, dir.path().join("z/x.zone")).unwrap();
    for format in FORMATS {
        let o = zonelint(&["check", "-v", "--format", format, "z"], dir.path());
        let all = text(&o);
        assert!(!all.contains("planted-hash"), "{format}: {all}");
        assert!(all.contains("symbolic link that leads outside"), "{all}");
    }
}

#[test]
fn a_file_that_is_no_zone_shows_only_its_offending_tokens() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "notes.txt",
        "password: planted-s3cret-line for the admin panel\nother words: more-secret-words\n",
    );
    let o = zonelint(&["check", "notes.txt=x.example."], dir.path());
    let all = text(&o);
    assert!(all.contains("nothing in the file reads as a zone"), "{all}");
    assert!(!all.contains("for the admin panel"), "{all}");
}

// 2
#[test]
fn inventory_named_by_zonelint_toml_outside_the_project_is_not_read() {
    let outside = tempfile::tempdir().unwrap();
    let secret = write(outside.path(), "secret", "token: planted-s3cret\n");
    for target in [secret.clone(), outside.path().join("missing")] {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "zones/a.zone", ZONE);
        write(
            dir.path(),
            "zonelint.toml",
            format!("inventory = \"{}\"\n", target.display()),
        );
        let o = zonelint(&["check", "zones"], dir.path());
        assert_eq!(o.status.code(), Some(2));
        let all = text(&o);
        assert!(!all.contains("planted-s3cret"), "{all}");
        assert!(
            all.contains("lies outside the checked directories and the project"),
            "{all}"
        );
    }
    // Zones an inventory names: the same, as a finding.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "zones/a.zone", ZONE);
    write(
        dir.path(),
        "inv.yaml",
        format!(
            "version: 1\nzones:\n  - {}\n  - ../../../x\n",
            secret.display()
        ),
    );
    let o = zonelint(
        &["check", "--format", "concise", "-i", "inv.yaml", "zones"],
        dir.path(),
    );
    let all = text(&o);
    assert!(!all.contains("planted-s3cret"), "{all}");
    assert_eq!(all.matches("LOAD002").count(), 2, "{all}");
}

// 3
#[test]
fn newlines_from_input_never_start_an_output_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "z/a.zone",
        format!("{ZONE}mx IN MX ( \"\n::add-mask::x\n\" host )\n"),
    );
    write(
        dir.path(),
        "z/ex.com\n::error file=a::X\n.zone",
        ZONE.replace("h.example.", "n.example."),
    );
    for format in FORMATS {
        let o = zonelint(&["check", "--format", format, "z"], dir.path());
        for line in text(&o).lines() {
            assert!(
                !line.starts_with("::add-mask") && !line.starts_with("::error file=a::X"),
                "{format}: a line from input: {line:?}"
            );
        }
    }
}

// 4
#[test]
fn terminal_control_sequences_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "z/a.zone",
        format!("{ZONE}u IN \x1b[2J\x1b]0;OWNED\x07 A 192.0.2.9\n"),
    );
    write(
        dir.path(),
        "inv.yaml",
        "version: 1\nmail:\n  hosts:\n    - name: \"bad\\e[31m.h.example\"\n      addresses: [192.0.2.9]\n",
    );
    for format in FORMATS {
        let o = zonelint(
            &["check", "--format", format, "-i", "inv.yaml", "z"],
            dir.path(),
        );
        let all = [o.stdout.clone(), o.stderr.clone()].concat();
        assert!(!all.contains(&0x1b), "{format}: raw ESC in\n{}", text(&o));
        assert!(!all.contains(&0x07), "{format}: raw BEL");
    }
    let o = zonelint(&["check", "--format", "concise", "z"], dir.path());
    assert!(text(&o).contains("\\027"), "{}", text(&o));
}

// 5
#[test]
fn include_refusal_reads_the_same_whether_the_target_exists_or_not() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "z/a.zone",
        format!("{ZONE}$INCLUDE /etc/passwd\n$INCLUDE /no/such/file/anywhere\n"),
    );
    let o = zonelint(&["check", "--format", "concise", "z"], dir.path());
    let lines: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| l.contains("SYN007"))
        .map(|l| {
            l.split_once("] ")
                .unwrap()
                .1
                .replace("/etc/passwd", "PATH")
                .replace("/no/such/file/anywhere", "PATH")
        })
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0], lines[1]);
    assert!(!text(&o).contains("root:"));
}

// 6
#[test]
fn duplicates_at_one_owner_cost_linear_time_and_an_ignored_rule_none() {
    let dir = tempfile::tempdir().unwrap();
    let mut zone = String::from(ZONE);
    for i in 0..320_000u32 {
        zone.push_str(&format!(
            "big IN A 10.{}.{}.{}\n",
            i >> 16,
            (i >> 8) & 255,
            i & 255
        ));
    }
    zone.push_str("big IN A 10.0.0.1\n");
    write(dir.path(), "a.zone", zone);
    let mut cmd = command(dir.path());
    cmd.args([
        "check", "--format", "concise", "--select", "ZONE006", "a.zone",
    ]);
    let (o, _) = bounded(cmd, 120);
    assert!(text(&o).contains("ZONE006"), "{}", text(&o));
    let mut cmd = command(dir.path());
    cmd.args([
        "check", "--format", "concise", "--ignore", "ZONE006", "a.zone",
    ]);
    let (o, _) = bounded(cmd, 120);
    assert!(!text(&o).contains("ZONE006"));
}

// 7
#[test]
fn many_suppression_directives_cost_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut zone = String::from(ZONE);
    for i in 0..80_000u32 {
        zone.push_str("; zonelint: disable=ZONE007\n");
        zone.push_str(&format!(
            "h{i} IN A 10.{}.{}.{}\n",
            i >> 16,
            (i >> 8) & 255,
            i & 255
        ));
    }
    write(dir.path(), "a.zone", zone);
    let mut cmd = command(dir.path());
    cmd.args(["check", "--format", "concise", "a.zone"]);
    let (o, _) = bounded(cmd, 120);
    // Every directive suppressed nothing: 80,000 LINT002 findings, found in linear time.
    assert_eq!(text(&o).matches("LINT002").count(), 80_000);
}

// 8
#[test]
fn mail_hosts_times_nat_mappings_cost_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let n = 15_000u32;
    let mut inv = String::from("version: 1\nmail:\n  hosts:\n");
    for i in 0..n {
        inv.push_str(&format!(
            "    - name: h{i}.h.example\n      addresses: [10.{}.{}.{}]\n",
            i >> 16,
            (i >> 8) & 255,
            i & 255
        ));
    }
    inv.push_str("nat:\n");
    for i in 0..n {
        inv.push_str(&format!(
            "  - inside: 10.{a}.{b}.{c}\n    outside: 100.{a}.{b}.{c}\n",
            a = i >> 16,
            b = (i >> 8) & 255,
            c = i & 255
        ));
    }
    write(dir.path(), "inv.yaml", inv);
    write(dir.path(), "a.zone", ZONE);
    let mut cmd = command(dir.path());
    cmd.args(["check", "--format", "concise", "-i", "inv.yaml", "a.zone"]);
    let (o, _) = bounded(cmd, 60);
    assert_eq!(text(&o).matches("INV001").count(), n as usize);
}

// 9
#[test]
fn generate_has_a_total_budget_per_zone() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "zonelint.toml",
        "max-generated-records = 1000\n",
    );
    write(
        dir.path(),
        "z/a.zone",
        format!("{ZONE}$GENERATE 1-600 a$ A 10.0.0.1\n$GENERATE 1-600 b$ A 10.0.0.1\n"),
    );
    let o = zonelint(&["check", "--format", "concise", "z"], dir.path());
    let all = text(&o);
    assert!(all.contains("a.zone:7:11: error[SYN009]"), "{all}");
    assert!(all.contains("more than 1000 records in all"), "{all}");
}

// 10
#[test]
fn a_file_of_comments_is_never_held_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.path().join("c.zone")).unwrap());
    use std::io::Write;
    f.write_all(ZONE.as_bytes()).unwrap();
    let line = format!("; {}\n", "x".repeat(98));
    for _ in 0..2_000_000 {
        f.write_all(line.as_bytes()).unwrap();
    }
    f.write_all(b"last IN A 192.0.2.7\n").unwrap();
    drop(f);
    for format in ["human", "json"] {
        let mut cmd = command(dir.path());
        cmd.args(["check", "--format", format, "c.zone"]);
        let (o, rss_kib) = bounded(cmd, 120);
        assert!(o.status.code().is_some());
        assert!(
            rss_kib < 128 * 1024,
            "{format}: {rss_kib} KiB for a 200 MB file of comments"
        );
    }
}

// 11
#[test]
fn json_and_sarif_are_streamed_not_built_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let mut zone = String::from(ZONE);
    for i in 0..100_000u32 {
        let name = format!("h{i}");
        zone.push_str(&format!("{name} IN TXT \"x\"\n{name} IN TXT \"x\"\n"));
    }
    write(dir.path(), "a.zone", zone);
    for format in ["json", "sarif"] {
        let mut cmd = command(dir.path());
        cmd.args(["check", "--format", format, "--select", "ZONE006", "a.zone"]);
        let (o, rss_kib) = bounded(cmd, 120);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let n = if format == "json" {
            v["diagnostics"].as_array().unwrap().len()
        } else {
            v["runs"][0]["results"].as_array().unwrap().len()
        };
        assert_eq!(n, 100_000);
        assert!(
            rss_kib < 400 * 1024,
            "{format}: {rss_kib} KiB for 100,000 findings"
        );
    }
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

// 12
#[test]
fn fifos_and_devices_never_block_a_run() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("fifo"));
    write(
        dir.path(),
        "z/a.zone",
        format!("{ZONE}$INCLUDE ../fifo\n$INCLUDE /dev/zero\n"),
    );
    let cases: [&[&str]; 5] = [
        &[
            "check",
            "--allow-include-outside",
            "--format",
            "concise",
            "z",
        ],
        &["check", "fifo=x.example."],
        &["check", "-i", "fifo", "z"],
        &["check", "--config", "fifo", "z"],
        &["check", "--server-config", "fifo", "z"],
    ];
    for args in cases {
        let mut cmd = command(dir.path());
        cmd.args(args);
        let (o, rss_kib) = bounded(cmd, 20);
        assert!(o.status.code().is_some(), "{args:?}");
        assert!(rss_kib < 256 * 1024, "{args:?}: {rss_kib} KiB");
        assert!(!text(&o).contains("panicked"), "{args:?}: {}", text(&o));
    }
}

/// Runs zonelint with the read end of its stdout (or stderr) closed at once.
fn into_closed_pipe(args: &[&str], stderr: bool) -> Output {
    let mut cmd = command(&manifest_dir());
    cmd.args(args).stdin(Stdio::null());
    if stderr {
        cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    } else {
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    }
    let mut child = cmd.spawn().unwrap();
    if stderr {
        drop(child.stderr.take());
    } else {
        drop(child.stdout.take());
    }
    child.wait_with_output().unwrap()
}

// 13
#[test]
fn a_closed_pipe_is_a_quiet_end_not_a_panic() {
    for args in [
        &["completions", "bash"][..],
        &["man"][..],
        &["rules"][..],
        &["check", "--format", "json", "zones"][..],
    ] {
        let o = into_closed_pipe(args, false);
        assert_ne!(o.status.code(), Some(101), "{args:?}: {}", text(&o));
    }
    let o = into_closed_pipe(&["check", "-v", "zones"], true);
    assert_ne!(o.status.code(), Some(101));
}

// 14
#[test]
fn generate_offset_overflow_is_a_finding_not_a_wrap() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.zone",
        format!("{ZONE}$GENERATE 1-3 h$ A 10.0.0.${{9223372036854775807,3,d}}\n"),
    );
    let o = zonelint(&["check", "--format", "concise", "a.zone"], dir.path());
    let all = text(&o);
    assert!(
        all.contains("error[SYN009]") && all.contains("overflows"),
        "{all}"
    );
    assert!(!all.contains("panicked"));
}

const DUPLICATE: &str = "www IN A 192.0.2.80\nwww IN A 192.0.2.80\n";

// 15
#[test]
fn fix_write_through_a_symlink_fixes_its_target() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "z/real/a.zone", format!("{ZONE}{DUPLICATE}"));
    std::os::unix::fs::symlink("real/a.zone", dir.path().join("z/link.zone")).unwrap();
    let o = zonelint(&["fix", "--write", "z/link.zone"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let link = dir.path().join("z/link.zone");
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    let fixed = std::fs::read_to_string(dir.path().join("z/real/a.zone")).unwrap();
    assert_eq!(fixed.matches("192.0.2.80").count(), 1, "{fixed}");
}

fn one_replacement(dir: &Path) -> (PathBuf, Vec<u8>, Vec<u8>) {
    let path = write(dir, "a.zone", "old text\n");
    (path, b"old text\n".to_vec(), b"new text\n".to_vec())
}

// 16
#[test]
fn an_edit_racing_the_rename_is_never_lost() {
    use zonelint::write::{Hooks, Replacement, WritePolicy, replace_all};
    let dir = tempfile::tempdir().unwrap();
    let (path, old, new) = one_replacement(dir.path());
    let r = [Replacement {
        display: "a.zone",
        path: &path,
        old: &old,
        new: &new,
    }];
    // A writer before the last check: nothing is written, the edit stays.
    let racer = |p: &Path| std::fs::write(p, "their edit\n").unwrap();
    let e = replace_all(
        &r,
        &WritePolicy::default(),
        &Hooks {
            before_last_check: Some(&racer),
            before_rename: None,
        },
    )
    .unwrap_err();
    assert!(e.0.contains("changed while zonelint was writing"), "{e}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "their edit\n");
    // A writer between the last check and the rename: their version is saved and said.
    std::fs::write(&path, "old text\n").unwrap();
    let written = replace_all(
        &r,
        &WritePolicy::default(),
        &Hooks {
            before_last_check: None,
            before_rename: Some(&racer),
        },
    )
    .unwrap();
    assert_eq!(written.raced.len(), 1);
    assert_eq!(
        std::fs::read_to_string(&written.raced[0].1).unwrap(),
        "their edit\n"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "new text\n");
}

// 17
#[test]
fn temporary_files_are_private_and_removed_on_interrupt() {
    use std::os::unix::fs::PermissionsExt;
    use zonelint::write::{Cleanup, Hooks, Replacement, WritePolicy, replace_all};
    let dir = tempfile::tempdir().unwrap();
    let (path, old, new) = one_replacement(dir.path());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let seen = std::cell::Cell::new(0u32);
    let look = |p: &Path| {
        for e in std::fs::read_dir(p.parent().unwrap()).unwrap().flatten() {
            if e.file_name().to_string_lossy().contains(".zonelint-") {
                let mode = e.metadata().unwrap().permissions().mode();
                assert_eq!(mode & 0o077, 0, "temporary file mode {mode:o}");
                seen.set(seen.get() + 1);
            }
        }
    };
    replace_all(
        &[Replacement {
            display: "a.zone",
            path: &path,
            old: &old,
            new: &new,
        }],
        &WritePolicy::default(),
        &Hooks {
            before_last_check: None,
            before_rename: Some(&look),
        },
    )
    .unwrap();
    assert_eq!(seen.get(), 1);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // What an interrupt removes: registered files and trees.
    let tree = dir.path().join("baseline");
    std::fs::create_dir_all(tree.join("sub")).unwrap();
    Cleanup::register(&tree);
    Cleanup::run();
    assert!(!tree.exists());
}

// 18
#[test]
fn a_file_changed_between_parse_and_write_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "a.zone", format!("{ZONE}{DUPLICATE}"));
    let report = zonelint::check(
        &[zonelint::load::PathArg::new(&path, None)],
        &zonelint::CheckOptions::default(),
    )
    .unwrap();
    std::fs::write(&path, format!("{ZONE}{DUPLICATE}; edited meanwhile\n")).unwrap();
    let plan = zonelint::fix::plan(&report, zonelint::fix::Applicability::Safe, 20261202);
    assert!(plan.changes.is_empty());
    assert_eq!(plan.stale.len(), 1, "the change is reported, not dropped");
}

// 19
#[test]
fn output_over_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let zone = format!("{ZONE}{DUPLICATE}");
    write(dir.path(), "a.zone", &zone);
    let o = zonelint(
        &["check", "--format", "json", "-o", "a.zone", "a.zone"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.zone")).unwrap(),
        zone
    );
}

// 20
#[test]
fn a_shared_include_is_fixed_once_and_writes_are_all_or_none() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "z/shared.inc", DUPLICATE);
    write(
        dir.path(),
        "z/a.zone",
        format!("{ZONE}$INCLUDE shared.inc\n"),
    );
    write(
        dir.path(),
        "z/b.zone",
        format!(
            "{}$INCLUDE shared.inc\n",
            ZONE.replace("h.example.", "g.example.")
        ),
    );
    let o = zonelint(&["fix", "z"], dir.path());
    let diff = String::from_utf8_lossy(&o.stdout);
    assert_eq!(diff.matches("+++ b/z/shared.inc").count(), 1, "{diff}");
    // One file that cannot be written: nothing is.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        dir.path().join("z/b.zone"),
        std::fs::Permissions::from_mode(0o444),
    )
    .unwrap();
    let before: Vec<String> = ["z/a.zone", "z/b.zone", "z/shared.inc"]
        .iter()
        .map(|f| std::fs::read_to_string(dir.path().join(f)).unwrap())
        .collect();
    let o = zonelint(&["fix", "--write", "z"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("nothing written"), "{}", text(&o));
    let after: Vec<String> = ["z/a.zone", "z/b.zone", "z/shared.inc"]
        .iter()
        .map(|f| std::fs::read_to_string(dir.path().join(f)).unwrap())
        .collect();
    assert_eq!(before, after);
}

// 21
#[test]
fn hard_links_outside_files_and_read_only_files_are_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let zone = format!("{ZONE}{DUPLICATE}");
    let a = write(dir.path(), "z/a.zone", &zone);
    std::fs::hard_link(&a, dir.path().join("other-link.zone")).unwrap();
    let o = zonelint(&["fix", "--write", "z"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("hard links"), "{}", text(&o));
    assert_eq!(std::fs::read_to_string(&a).unwrap(), zone);
    let o = zonelint(&["fix", "--write", "--write-hardlinks", "z"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // Included from outside the tree: read when allowed, never written.
    let outside = tempfile::tempdir().unwrap();
    let inc = write(outside.path(), "dup.inc", DUPLICATE);
    write(
        dir.path(),
        "y/b.zone",
        format!("{ZONE}$INCLUDE {}\n", inc.display()),
    );
    let o = zonelint(
        &["fix", "--write", "--allow-include-outside", "y"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&inc).unwrap(), DUPLICATE);
    // Read-only.
    use std::os::unix::fs::PermissionsExt;
    let ro = write(dir.path(), "x/c.zone", &zone);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    let o = zonelint(&["fix", "--write", "x"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("read-only"), "{}", text(&o));
    assert_eq!(std::fs::read_to_string(&ro).unwrap(), zone);
}

// 22
#[test]
fn bad_origins_odd_names_lone_cr_and_generated_parents() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.zone", ZONE);
    for args in [
        &["check", "a.zone=bad..origin"][..],
        &["check", "--origin", "a..b", "a.zone"][..],
    ] {
        let o = zonelint(args, dir.path());
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(text(&o).contains("empty label"), "{}", text(&o));
    }
    // A file name that is not UTF-8 is checked and shown escaped.
    use std::os::unix::ffi::OsStrExt;
    let odd = dir.path().join("d");
    std::fs::create_dir(&odd).unwrap();
    std::fs::write(
        odd.join(std::ffi::OsStr::from_bytes(b"bad\xff\x1b.zone")),
        format!("{ZONE}{DUPLICATE}"),
    )
    .unwrap();
    let o = zonelint(&["check", "--format", "concise", "d"], dir.path());
    let all = text(&o);
    assert!(all.contains("ZONE006"), "{all}");
    assert!(!o.stdout.contains(&0x1b) && !o.stdout.contains(&0xff));
    // Old Mac line ends: lines are lines.
    write(
        dir.path(),
        "cr/a.zone",
        format!("{ZONE}{DUPLICATE}").replace('\n', "\r"),
    );
    let o = zonelint(&["check", "--format", "concise", "cr"], dir.path());
    assert!(
        text(&o).contains("a.zone:7:1: warning[ZONE006]"),
        "{}",
        text(&o)
    );
    // A /16 written beside an RFC 2317 child: its own check finds nothing to say.
    let out = tempfile::tempdir().unwrap();
    let o = zonelint(
        &[
            "generate",
            "ptr",
            "--allow-doc-ranges",
            "-i",
            "examples/inventory.yaml",
            "--network",
            "203.0.0.0/16",
            "--out-dir",
            out.path().to_str().unwrap(),
            "zones",
        ],
        &manifest_dir(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = zonelint(
        &[
            "check",
            "--allow-doc-ranges",
            "--format",
            "concise",
            out.path().to_str().unwrap(),
        ],
        &manifest_dir(),
    );
    assert!(!text(&o).contains("REV001"), "{}", text(&o));
    // Two entries for one network that disagree: the inventory is refused.
    write(
        dir.path(),
        "inv.yaml",
        "version: 1\nnetworks:\n  - {prefix: 192.0.2.0/24, reverse: zone}\n  - {prefix: 192.0.2.0/24, reverse: provider}\n",
    );
    let o = zonelint(&["check", "-i", "inv.yaml", "a.zone"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("listed twice"), "{}", text(&o));
}
