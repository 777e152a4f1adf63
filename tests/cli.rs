//! The command-line contract: exit codes, formats, paths and origins.

use crate::common::{command, copy_dir, manifest_dir, zonelint};
use std::path::Path;
use std::process::{Output, Stdio};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const CLEAN: &str =
    "$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\nns1 IN A 192.0.2.1\n";

/// The README's main command: the example zones with the example inventory.
const MAIN: &[&str] = &[
    "check",
    "--allow-doc-ranges",
    "--inventory",
    "examples/inventory.yaml",
    "zones",
];

fn main_command(extra: &[&str]) -> Output {
    let mut args: Vec<&str> = MAIN.to_vec();
    args.splice(1..1, extra.iter().copied());
    zonelint(&args, &manifest_dir())
}

#[test]
fn example_zones_show_findings_and_exit_1() {
    let o = main_command(&[]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = stdout(&o);
    for code in [
        "MAIL001", "MAIL002", "MAIL008", "INV002", "REV001", "PTR001", "ZONE004", "ZONE006",
        "ZONE007", "ZONE008",
    ] {
        assert!(out.contains(code), "{code} missing from:\n{out}");
    }
    assert!(
        out.contains(
            "no PTR for 203.0.113.25, the public address of mail host `mail.source.example.`"
        ),
        "{out}"
    );
    assert!(
        out.contains("examples/inventory.yaml:14:1]"),
        "the MAIL001 label is on the inventory line: {out}"
    );
    assert!(out.contains("zones/source.example.zone:"), "{out}");
}

#[test]
fn json_follows_the_contract() {
    let o = main_command(&["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(
        v["summary"]["files"], 6,
        "four zones, the internal view and the inventory"
    );
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(
        v["summary"]["error"].as_u64().unwrap() as usize,
        diags.iter().filter(|d| d["severity"] == "error").count()
    );
    assert_eq!(
        v["summary"]["warning"].as_u64().unwrap() as usize,
        diags.iter().filter(|d| d["severity"] == "warning").count()
    );
    let records = v["summary"]["records"].as_u64().unwrap();
    assert!(records >= 30, "{records}");
    let cname = diags
        .iter()
        .find(|d| d["code"] == "ZONE004")
        .expect("ZONE004 reported");
    assert_eq!(cname["file"], "zones/source.example.zone");
    assert_eq!(cname["line"], 23);
    assert_eq!(cname["column"], 1);
    assert_eq!(cname["end_line"], 23);
    assert_eq!(cname["owner"], "webmail.source.example.");
    assert!(cname["help"].is_string());
    assert_eq!(cname["fix"], serde_json::Value::Null);
    assert_eq!(cname["related"][0]["line"], 24);
    let mail = diags
        .iter()
        .find(|d| d["code"] == "MAIL001")
        .expect("MAIL001 reported");
    assert_eq!(mail["file"], "examples/inventory.yaml");
    assert_eq!(
        (mail["line"].as_u64(), mail["column"].as_u64()),
        (Some(14), Some(13))
    );
    assert_eq!(
        mail["related"][0]["file"],
        "zones/113.0.203.in-addr.arpa.zone"
    );
    for key in [
        "code",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "owner",
        "help",
        "related",
        "fix",
    ] {
        assert!(cname.get(key).is_some(), "missing key {key}");
    }
    let order: Vec<(String, u64, u64, String)> = diags
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().into(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(
        order, sorted,
        "diagnostics are sorted by file, line, column, code"
    );
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "clean.example.zone", CLEAN);
    write(
        dir.path(),
        "warn.example.zone",
        &format!("{CLEAN}www 300 IN A 192.0.2.2\nwww 600 IN A 192.0.2.3\n"),
    );
    let d = dir.path();
    assert_eq!(
        zonelint(&["check", "clean.example.zone"], d).status.code(),
        Some(0)
    );
    assert_eq!(
        zonelint(&["check", "warn.example.zone"], d).status.code(),
        Some(0)
    );
    assert_eq!(
        zonelint(&["check", "--fail-on", "warning", "warn.example.zone"], d)
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        zonelint(&["check", "--fail-on", "info", "clean.example.zone"], d)
            .status
            .code(),
        Some(0)
    );
    let missing = zonelint(&["check", "nope.zone"], d);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nope.zone"));
    assert_eq!(
        zonelint(&["check", "--format", "yaml", "clean.example.zone"], d)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(zonelint(&["check"], d).status.code(), Some(2));
}

#[test]
fn concise_format_is_one_line_each() {
    let o = main_command(&["--format", "concise"]);
    let out = stdout(&o);
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with("examples/inventory.yaml:14:13: error[MAIL001] "),
        "{first}"
    );
    assert!(
        out.lines()
            .all(|l| l.contains(": error[") || l.contains(": warning[") || l.contains(": info[")),
        "{out}"
    );
}

#[test]
fn directories_pick_zone_files_skip_hidden_and_included() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "zones/a.example.zone",
        &format!("{CLEAN}$INCLUDE common.db\n"),
    );
    // Included by a.example.zone, so not a zone of its own even though it matches *.db.
    write(d, "zones/common.db", "extra IN A 192.0.2.9\n");
    write(
        d,
        "zones/db.192.168.1",
        "$TTL 1\n@ IN SOA ns1.a.example. h.a.example. 1 2 3 4 5\n IN NS ns1.a.example.\n5 IN PTR x.a.example.\n",
    );
    write(d, "zones/notes.txt", "not a zone\n");
    write(d, "zones/.git/b.example.zone", "garbage ((\n");
    let o = zonelint(&["check", "--format", "json", "zones"], d);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(0), "{v}");
    assert_eq!(
        v["summary"]["files"], 3,
        "a.example.zone, its include and db.192.168.1: {v}"
    );
    assert_eq!(v["summary"]["records"], 7);
}

#[test]
fn origins_from_arguments_names_and_content() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "primary", CLEAN);
    let o = zonelint(&["check", "--format", "concise", "primary"], d);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("LOAD001"), "{}", stdout(&o));
    assert_eq!(
        zonelint(&["check", "primary=example.com"], d).status.code(),
        Some(0)
    );
    assert_eq!(
        zonelint(&["check", "--origin", "example.com.", "primary"], d)
            .status
            .code(),
        Some(0)
    );
    write(
        d,
        "soa-owned",
        &CLEAN
            .replace("@ IN SOA", "example.net. IN SOA")
            .replace("  IN NS", "example.net. IN NS"),
    );
    assert_eq!(zonelint(&["check", "soa-owned"], d).status.code(), Some(0));
}

#[test]
fn includes_stay_inside_the_checked_tree() {
    let outer = tempfile::tempdir().unwrap();
    write(outer.path(), "secret.txt", "root:x:0:0\n");
    write(
        outer.path(),
        "zones/a.example.zone",
        &format!("{CLEAN}$INCLUDE ../secret.txt\n"),
    );
    let d = outer.path();
    let o = zonelint(&["check", "--format", "json", "zones"], d);
    let out = stdout(&o);
    assert!(
        out.contains("SYN007")
            && out.contains("not a readable file in the directories being checked"),
        "{out}"
    );
    assert!(
        !out.contains("root:x"),
        "the outside file must not be read: {out}"
    );
    let allowed = zonelint(
        &[
            "check",
            "--format",
            "concise",
            "--allow-include-outside",
            "zones",
        ],
        d,
    );
    assert!(!stdout(&allowed).contains("SYN007"), "{}", stdout(&allowed));
}

#[test]
fn include_cycles_and_missing_files_are_findings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "a.example.zone",
        &format!("{CLEAN}$INCLUDE loop.inc\n$INCLUDE missing.inc\n"),
    );
    write(d, "loop.inc", "$INCLUDE loop.inc\n");
    let o = zonelint(&["check", "--format", "concise", "a.example.zone"], d);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.contains("is a cycle"), "{out}");
    assert!(
        out.contains("`missing.inc` is not a readable file in the directories being checked"),
        "{out}"
    );
}

#[test]
fn explain_and_rules() {
    let o = zonelint(&["explain", "zone004"], &manifest_dir());
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.contains("## What it does") && out.contains("RFC 1034 §3.6.2"),
        "{out}"
    );
    assert_eq!(
        zonelint(&["explain", "NOPE001"], &manifest_dir())
            .status
            .code(),
        Some(2)
    );
    let rules = stdout(&zonelint(&["rules"], &manifest_dir()));
    for r in zonelint::rules::RULES {
        assert!(
            rules.contains(r.code),
            "{} missing from `zonelint rules`",
            r.code
        );
    }
    assert!(
        rules.contains("ZONE010  warning  record below a DNAME (occluded) (preview)"),
        "{rules}"
    );
}

#[test]
fn preview_rules_only_with_preview() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "d.example.zone",
        &format!("{CLEAN}x IN DNAME y.example.\na.x IN A 192.0.2.7\n"),
    );
    let plain = stdout(&zonelint(
        &["check", "--format", "concise", "d.example.zone"],
        dir.path(),
    ));
    assert!(!plain.contains("ZONE010"), "{plain}");
    let preview = stdout(&zonelint(
        &[
            "check",
            "--preview",
            "--format",
            "concise",
            "d.example.zone",
        ],
        dir.path(),
    ));
    assert!(preview.contains("ZONE010"), "{preview}");
}

#[test]
fn broken_pipe_exits_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let many: String = (0..20000)
        .map(|i| {
            format!(
                "dup{} IN A 192.0.2.1\ndup{} IN A 192.0.2.1\n",
                i % 50,
                i % 50
            )
        })
        .collect();
    write(dir.path(), "big.example.zone", &format!("{CLEAN}{many}"));
    let mut child = command(dir.path())
        .args(["check", "--format", "concise", "big.example.zone"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked") && stderr.is_empty(),
        "{stderr}"
    );
    assert_ne!(out.status.code(), None, "killed by a signal");
}

#[test]
fn findings_in_included_files_point_at_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "a.example.zone",
        &format!("{CLEAN}$INCLUDE hosts.inc\nafter IN A 192.0.2.30\nafter IN A 192.0.2.30\n"),
    );
    write(
        d,
        "hosts.inc",
        "; hosts\nwww IN A 192.0.2.20\nwww IN A 192.0.2.20\n",
    );
    let o = zonelint(&["check", "--format", "concise", "a.example.zone"], d);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with("a.example.zone:7:1: warning[ZONE006]"),
        "{out}"
    );
    assert!(
        lines[1].ends_with("duplicate A record at `www.a.example.`")
            && lines[1].contains("hosts.inc:3:1:"),
        "{out}"
    );
}

/// Every `$ zonelint ...` example in the README, run from the repository root with the
/// README's date, prints each line the README shows (`...` stands for lines left out).
#[test]
fn readme_examples_show_real_output() {
    let readme = std::fs::read_to_string(manifest_dir().join("README.md")).unwrap();
    let lines: Vec<&str> = readme.lines().collect();
    let mut checked = 0;
    // `$ cd DIR` before a command: it runs there (until the code block ends).
    let mut cwd = manifest_dir();
    for (k, line) in lines.iter().enumerate() {
        if line.starts_with("```") {
            cwd = manifest_dir();
        }
        if let Some(dir) = line.strip_prefix("$ cd ") {
            cwd = manifest_dir().join(dir);
            continue;
        }
        let Some(command) = line.strip_prefix("$ zonelint ") else {
            continue;
        };
        let shown: Vec<&str> = lines[k + 1..]
            .iter()
            .take_while(|l| !l.starts_with("```") && !l.starts_with("$ "))
            .filter(|l| **l != "...")
            .copied()
            .collect();
        let args: Vec<&str> = command.split_whitespace().collect();
        let out = zonelint(&args, &cwd);
        let printed = stdout(&out);
        for l in shown {
            // Windows exports end their lines in CRLF; the README cannot show the CR.
            assert!(
                printed.lines().any(|p| p.trim_end_matches('\r') == l),
                "README line `{l}` is not in the output of `zonelint {command}`:\n{printed}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 2, "the README shows `fix` and `generate ptr`");
}

#[test]
fn show_suppressed_lists_what_directives_hid() {
    let root = manifest_dir();
    let fixture = "tests/fixtures/rules/LINT";
    let inventory = format!("{fixture}/inventory.yaml");
    let out = zonelint(
        &[
            "check",
            "--allow-doc-ranges",
            "-i",
            &inventory,
            "--show-suppressed",
            fixture,
        ],
        &root,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("suppressed: "))
        .collect();
    assert_eq!(lines.len(), 6, "{stderr}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("lint.example.zone:15:1: error[ZONE004]")
                && l.contains(
                    "by the directive at tests/fixtures/rules/LINT/lint.example.zone:14"
                )),
        "{stderr}"
    );
    assert!(stderr.contains("6 finding(s) suppressed"));
    // Without the flag nothing is listed, and the suppressed findings are not reported.
    let quiet = zonelint(
        &[
            "check",
            "--allow-doc-ranges",
            "-i",
            &inventory,
            "--format",
            "concise",
            fixture,
        ],
        &root,
    );
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("suppressed"));
    assert!(
        !stdout(&quiet).contains("lint.example.zone:15:"),
        "{}",
        stdout(&quiet)
    );
}

/// The pre-commit hook's `files` pattern takes the zone files zonelint reads from a
/// directory, and not the inventory or other files.
#[test]
fn pre_commit_hook_matches_zone_files() {
    let text = std::fs::read_to_string(manifest_dir().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Vec<std::collections::BTreeMap<String, serde_json::Value>> =
        serde_saphyr::from_str(&text).unwrap();
    let hook = hooks.iter().find(|h| h["id"] == "zonelint").unwrap();
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["entry"], "zonelint check");
    let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
    for name in [
        "zones/source.example.zone",
        "zones/113.0.203.in-addr.arpa.zone",
        "db.example.com",
        "zones/db.192.168.1",
        "reverse/10.rev",
        "x/3.1.1.0.8.b.d.0.1.0.0.2.ip6.arpa",
    ] {
        assert!(files.is_match(name), "{name}");
    }
    for name in [
        "examples/inventory.yaml",
        "README.md",
        "zonelint.toml",
        "zones/notes.txt",
    ] {
        assert!(!files.is_match(name), "{name}");
    }
}

/// The example workflow's zonelint commands run on the example zones: none is refused
/// (exit 2), and the SARIF step writes its file.
#[test]
fn workflow_commands_run() {
    let text =
        std::fs::read_to_string(manifest_dir().join("examples/github-workflow.yml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&manifest_dir().join("zones"), &dir.path().join("zones"));
    let commands: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("run: zonelint "))
        .collect();
    assert!(!commands.is_empty());
    for command in commands {
        let args: Vec<&str> = command.split_whitespace().collect();
        let out = zonelint(&args, dir.path());
        assert_ne!(
            out.status.code(),
            Some(2),
            "{command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(dir.path().join("zonelint.sarif").is_file());
    assert!(text.contains("--format github"));
}

#[test]
fn completions_and_man_page() {
    let root = manifest_dir();
    for shell in ["bash", "zsh", "fish"] {
        let out = zonelint(&["completions", shell], &root);
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(0));
        for word in ["check", "fix", "changed-since", "format"] {
            assert!(text.contains(word), "{shell} completion knows {word}");
        }
    }
    let man = stdout(&zonelint(&["man"], &root));
    assert!(man.contains(".TH zonelint 1"), "{man}");
    assert!(man.contains("check") && man.contains("generate"));
    assert_eq!(
        zonelint(&["completions", "tcsh"], &root).status.code(),
        Some(2)
    );
}

/// The README's rule table lists every rule with its severity and summary.
#[test]
fn readme_rule_table_matches_the_rules() {
    let readme = std::fs::read_to_string(manifest_dir().join("README.md")).unwrap();
    let rows: Vec<&str> = readme
        .lines()
        .skip_while(|l| *l != "| code | severity | summary |")
        .skip(2)
        .take_while(|l| l.starts_with("| "))
        .collect();
    let want: Vec<String> = zonelint::rules::RULES
        .iter()
        .map(|r| {
            let preview = if r.preview { " (preview)" } else { "" };
            format!("| {} | {}{preview} | {} |", r.code, r.severity, r.summary)
        })
        .collect();
    assert_eq!(rows, want);
}

/// The README shows the first finding of its first command as it really is.
#[test]
fn readme_first_finding_is_the_real_output() {
    let readme = std::fs::read_to_string(manifest_dir().join("README.md")).unwrap();
    let start = readme.find("The first finding:\n\n```text\n").unwrap()
        + "The first finding:\n\n```text\n".len();
    let shown = &readme[start..start + readme[start..].find("```").unwrap()];
    let out = zonelint(
        &[
            "check",
            "--allow-doc-ranges",
            "-i",
            "examples/inventory.yaml",
            "zones/",
        ],
        &manifest_dir(),
    );
    let real: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .take(shown.lines().count())
        .map(|l| l.trim_end().to_string())
        .collect();
    assert_eq!(shown.lines().collect::<Vec<_>>(), real);
}

/// `--timings` prints each stage with its time and memory on stderr, the report on
/// stdout unchanged.
#[test]
fn timings_list_each_stage() {
    let out = zonelint(
        &[
            "check",
            "--timings",
            "--allow-doc-ranges",
            "-i",
            "examples/inventory.yaml",
            "--format",
            "concise",
            "zones/",
        ],
        &manifest_dir(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    for stage in [
        "read, tokenize, parse, intern",
        "index",
        "mail plan",
        "rules: MAIL",
        "rules: ZONE",
        "output",
    ] {
        assert!(
            err.lines().any(|l| l.trim_start().starts_with(stage)),
            "{stage} missing:\n{err}"
        );
    }
    assert!(stdout(&out).contains("error[MAIL001]"));
}
