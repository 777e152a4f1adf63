//! Repositories as operators keep them: which files discovery reads as which zones,
//! and what is reported at which file and line. Each layout under
//! `tests/fixtures/repos/` is written from the server's documented format.

use crate::common::{Finding, Run, manifest_dir, tool, zonelint};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use zonelint::load::PathArg;
use zonelint::{CheckOptions, rules::Selection};

fn repo(name: &str) -> PathBuf {
    manifest_dir().join("tests/fixtures/repos").join(name)
}

fn check_repo(name: &str) -> Run {
    let options = CheckOptions {
        selection: Selection {
            preview: false,
            allow_doc_ranges: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let report = zonelint::check(&[PathArg::new(repo(name), None)], &options);
    Run {
        report: report.expect("the repository loads"),
    }
}

/// A file's path relative to the fixture repository.
fn relative(file: &str) -> String {
    let root = format!("{}/", manifest_dir().join("tests/fixtures/repos").display());
    let rest = file.strip_prefix(&root).unwrap_or(file);
    rest.split_once('/').map_or(rest, |(_, r)| r).to_string()
}

/// The findings, with files relative to the fixture repository.
fn findings(run: &Run) -> Vec<Finding> {
    run.findings()
        .into_iter()
        .map(|mut f| {
            f.file = relative(&f.file);
            f
        })
        .collect()
}

/// (file, origin, view) of every zone read.
fn zones(run: &Run) -> BTreeSet<(String, String, Option<String>)> {
    let set = &run.report.set;
    set.zones
        .iter()
        .map(|z| {
            let origin = if z.origin_source.is_known() {
                z.origin_text()
            } else {
                "(unknown)".to_string()
            };
            (
                relative(set.sources.display(z.source)),
                origin,
                z.view_name.clone(),
            )
        })
        .collect()
}

fn codes_at(findings: &[Finding]) -> BTreeSet<(String, usize, &'static str)> {
    findings
        .iter()
        .map(|f| (f.file.clone(), f.line, f.code))
        .collect()
}

fn set<const N: usize>(
    items: [(&str, &str, Option<&str>); N],
) -> BTreeSet<(String, String, Option<String>)> {
    items
        .into_iter()
        .map(|(f, o, v)| (f.to_string(), o.to_string(), v.map(str::to_string)))
        .collect()
}

#[test]
fn named_conf_with_views_includes_and_server_paths() {
    let run = check_repo("bind-views");
    assert_eq!(
        zones(&run),
        set([
            (
                "etc/bind/zones/external/db.example.com",
                "example.com.",
                Some("external")
            ),
            ("etc/bind/zones/external/db.test", "test.", Some("external")),
            (
                "etc/bind/zones/internal/db.10",
                "0.0.10.in-addr.arpa.",
                Some("internal")
            ),
            (
                "etc/bind/zones/internal/db.example.com",
                "example.com.",
                Some("internal")
            ),
        ]),
        "the secondary's copy in slaves/ is not checked"
    );
    // Two copies of example.com. in two views are not duplicates; the inside view may
    // publish private addresses; the /24 under `db.10` is read as one.
    let found = findings(&run);
    assert!(
        found.is_empty(),
        "a consistent split-horizon repository: {found:#?}"
    );
    let internal = run
        .report
        .set
        .zones
        .iter()
        .find(|z| z.view_name.as_deref() == Some("internal"))
        .unwrap();
    assert_eq!(internal.view, zonelint::inventory::View::Internal);
}

#[test]
fn names_resolve_within_their_view() {
    let run = check_repo("bind-views");
    let set = &run.report.set;
    let indices = zonelint::model::index::SetIndex::build(set);
    let internal_rev = set
        .zones
        .iter()
        .position(|z| z.origin_text() == "0.0.10.in-addr.arpa.")
        .unwrap();
    let names = &set.zones[internal_rev].names;
    let mut lookup = zonelint::model::NameTable::new();
    lookup.perspective = names.perspective;
    let mail = lookup
        .intern_text("mail.example.com.", zonelint::model::NameId::ROOT)
        .unwrap();
    let inside = indices.answer_addresses(set, &indices.resolve(set, &lookup, mail));
    assert_eq!(
        inside,
        vec!["10.0.0.25".parse::<std::net::IpAddr>().unwrap()]
    );
    // The internet (no view) sees the external copy.
    let outside = indices.answer_addresses(set, &indices.resolve_text(set, "mail.example.com."));
    assert_eq!(
        outside,
        vec!["192.0.2.25".parse::<std::net::IpAddr>().unwrap()]
    );
}

#[test]
fn verbose_says_what_the_configuration_decided() {
    let out = zonelint(&["check", "-v", "."], &repo("bind-views"));
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "etc/bind/named.conf:9: zone `example.com.` in view `internal` reads `etc/bind/zones/internal/db.example.com` by its last 5 path components",
        "etc/bind/named.conf:19: zone `example.com.` in view `external` reads `etc/bind/zones/external/db.example.com` relative to `/etc/bind`, which is `etc/bind` here",
        "zone `partner.example.` in view `external` is secondary here; its file `etc/bind/slaves/db.partner` is not checked",
        "etc/bind/named.conf.internal-reverse:1: zone `0.0.10.in-addr.arpa.` in view `internal` reads",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in\n{err}");
    }
}

#[test]
fn knot_conf_with_templates() {
    let run = check_repo("knot");
    assert_eq!(
        zones(&run),
        set([
            ("signed/example.edu.signed.zone", "example.edu.", None),
            ("zones/example.org.zone", "example.org.", None),
            ("zones/net/example.net", "example.net.", None),
        ])
    );
    assert!(findings(&run).is_empty(), "{:#?}", findings(&run));
}

#[test]
fn nsd_conf_with_patterns_and_includes() {
    let run = check_repo("nsd");
    assert_eq!(
        zones(&run),
        set([
            ("zones/example.info.zone", "example.info.", None),
            (
                "zones/reverse/2.0.192.in-addr.arpa",
                "2.0.192.in-addr.arpa.",
                None
            ),
        ])
    );
    assert!(findings(&run).is_empty(), "{:#?}", findings(&run));
}

#[test]
fn windows_dns_export_with_aging_and_crlf() {
    let run = check_repo("windows");
    assert_eq!(
        zones(&run),
        set([
            ("2.0.192.in-addr.arpa.dns", "2.0.192.in-addr.arpa.", None),
            ("example.com.dns", "example.com.", None),
        ])
    );
    // Only the missing `$TTL` is worth a note; the aging marks and CRLF are accepted.
    assert_eq!(
        codes_at(&findings(&run)),
        [
            ("2.0.192.in-addr.arpa.dns".to_string(), 6, "ZONE016"),
            ("example.com.dns".to_string(), 6, "ZONE016"),
            ("example.com.dns".to_string(), 25, "PTR001"),
            ("example.com.dns".to_string(), 27, "PTR001"),
        ]
        .into_iter()
        .collect(),
        "{:#?}",
        findings(&run)
    );
    let aged = run
        .report
        .set
        .zones
        .iter()
        .flat_map(|z| z.records.iter().map(move |r| (z, r)))
        .find(|(z, r)| z.name(r.owner) == "pc17.example.com.")
        .unwrap();
    assert_eq!(aged.1.ttl, 1200, "the TTL after the aging mark");
}

#[test]
fn fixes_in_windows_exports_keep_crlf_and_add_no_aging_mark() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&repo("windows"), dir.path());
    let out = zonelint(&["fix", "--unsafe-fixes", "."], dir.path());
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("+25                      PTR\tmail.example.com.\r\n"),
        "{diff}"
    );
    // Inserted after an aged record, the new one is still static.
    assert!(
        diff.contains("+120                     1200\tPTR\tws120.example.com.\r\n"),
        "{diff}"
    );
    assert!(
        diff.lines()
            .filter(|l| l.starts_with('+'))
            .all(|l| !l.contains("[AGE:")),
        "{diff}"
    );
}

#[test]
fn dump_format_origin_dot_then_absolute_soa() {
    let run = check_repo("dump");
    assert_eq!(
        zones(&run),
        set([
            ("db.api.example", "api.example.", None),
            ("db.example.net", "example.net.", None),
        ])
    );
    assert!(
        findings(&run).is_empty(),
        "`$ORIGIN .` is not the root zone: {:#?}",
        findings(&run)
    );
}

#[test]
fn guessed_origins_that_do_not_fit_ask_instead() {
    let run = check_repo("guessed");
    assert_eq!(
        zones(&run),
        set([
            ("db.10", "(unknown)", None),
            ("example.com.rev", "(unknown)", None),
            ("example.com.zone", "(unknown)", None),
            ("rev.2.0.192.in-addr.arpa", "2.0.192.in-addr.arpa.", None),
        ])
    );
    let found = findings(&run);
    assert_eq!(
        codes_at(&found),
        [
            ("db.10".to_string(), 1, "LOAD001"),
            ("example.com.rev".to_string(), 1, "LOAD001"),
            ("example.com.zone".to_string(), 1, "LOAD001"),
        ]
        .into_iter()
        .collect(),
        "{found:#?}"
    );
    let why = |file: &str| {
        found
            .iter()
            .find(|f| f.file == file)
            .map(|f| f.message.clone())
            .unwrap()
    };
    assert!(why("db.10").contains("`60.10.in-addr.arpa.` is not a whole address"));
    assert!(why("example.com.rev").contains("marks a reverse zone"));
    assert!(why("example.com.zone").contains("holds only PTR records"));
    for f in &found {
        assert!(!f.message.contains("example.com.`=ORIGIN") && !f.message.contains("<"));
    }
}

#[test]
fn findings_do_not_depend_on_argument_order() {
    let fixtures = manifest_dir().join("tests/fixtures/rules/ZONE011");
    let a = fixtures.join("db.zone011.example");
    let b = fixtures.join("zone011.example.zone");
    let run = |first: &Path, second: &Path| {
        let out = zonelint(
            &[
                "check",
                "--format",
                "concise",
                first.to_str().unwrap(),
                second.to_str().unwrap(),
            ],
            &manifest_dir(),
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let forward = run(&a, &b);
    assert!(forward.contains("ZONE011"), "{forward}");
    assert_eq!(forward, run(&b, &a));
}

#[test]
fn a_directory_without_zones_is_an_error_not_a_pass() {
    let out = zonelint(&["check", "."], &repo("empty"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no zone files found"), "{err}");
    assert!(
        err.contains("`README`") && err.contains("`zones.txt`"),
        "{err}"
    );
    assert!(err.contains("--server-config"), "{err}");
}

#[test]
fn binary_files_are_skipped_and_never_echoed() {
    for format in ["human", "concise", "json", "github", "sarif"] {
        let out = zonelint(&["check", "-v", "--format", format, "."], &repo("binary"));
        assert_eq!(out.status.code(), Some(0), "{format}: {out:?}");
        let all = [out.stdout, out.stderr].concat();
        let text = String::from_utf8_lossy(&all);
        assert!(
            !text.contains("hunter2"),
            "{format} echoed a binary file:\n{text}"
        );
        assert!(
            text.contains("skipped `users.db`: it is an SQLite database"),
            "{text}"
        );
        assert!(text.contains("skipped `archive.zone`: it is gzip-compressed"));
    }
    // Named on the command line, a file is read whatever it holds.
    let out = zonelint(
        &["check", "--format", "concise", "users.db=x.example."],
        &repo("binary"),
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn server_config_named_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let zones = dir.path().join("zones");
    std::fs::create_dir(&zones).unwrap();
    std::fs::write(
        zones.join("primary"),
        "$TTL 60\n@ SOA ns1 h 1 2 3 4 5\n NS ns1\nns1 A 192.0.2.1\n",
    )
    .unwrap();
    let conf = dir.path().join("elsewhere.conf");
    std::fs::write(
        &conf,
        "zone \"cmdline.example\" { type master; file \"/var/named/zones/primary\"; };\n",
    )
    .unwrap();
    let out = zonelint(
        &[
            "check",
            "--format",
            "concise",
            "-v",
            "--server-config",
            conf.to_str().unwrap(),
            "zones",
        ],
        dir.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("zone `cmdline.example.` reads `zones/primary`"),
        "{err}"
    );
    let missing = zonelint(
        &["check", "--server-config", "nope.conf", "zones"],
        dir.path(),
    );
    assert_eq!(missing.status.code(), Some(2));
}

/// BIND's own reading of the configuration: `named-checkconf -l` lists every zone with
/// its class, view and type (with the fixture as the root directory).
#[test]
fn bind_zones_match_named_checkconf() {
    let Some(checkconf) = tool("named-checkconf") else {
        return;
    };
    let root = repo("bind-views");
    let out = std::process::Command::new(checkconf)
        .args(["-t"])
        .arg(&root)
        .args(["-l", "/etc/bind/named.conf"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let theirs: BTreeSet<(String, String, String)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            Some((
                format!("{}.", f.first()?),
                f.get(2)?.to_string(),
                f.get(3)?.to_string(),
            ))
        })
        .collect();
    let ours: BTreeSet<(String, String, String)> = zonelint::discover::declared_zones(
        &root.join("etc/bind/named.conf"),
        zonelint::discover::server::Server::Bind,
        &root,
    )
    .into_iter()
    .map(|d| {
        let kind = match d.role {
            zonelint::discover::server::Role::Primary => "primary",
            zonelint::discover::server::Role::Secondary => "secondary",
            zonelint::discover::server::Role::Other(_) => "other",
        };
        (
            format!("{}.", d.name),
            d.view.unwrap_or_default(),
            kind.into(),
        )
    })
    .collect();
    let normalised: BTreeSet<(String, String, String)> = theirs
        .into_iter()
        .map(|(n, v, t)| {
            let kind = match t.as_str() {
                "master" | "primary" => "primary",
                "slave" | "secondary" => "secondary",
                _ => "other",
            };
            (n, v, kind.into())
        })
        .collect();
    assert_eq!(ours, normalised);
}

/// Knot's canonical export of the configuration lists the same zones.
#[test]
fn knot_zones_match_knotc_conf_export() {
    let Some(knotc) = tool("knotc") else {
        return;
    };
    let root = repo("knot");
    let tmp = tempfile::tempdir().unwrap();
    let export = tmp.path().join("export.conf");
    let out = std::process::Command::new(knotc)
        .arg("-c")
        .arg(root.join("knot.conf"))
        .arg("conf-export")
        .arg(&export)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&export).unwrap();
    let theirs: BTreeSet<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- domain:"))
        .map(|d| d.trim().trim_matches('"').to_string())
        .collect();
    let ours: BTreeSet<String> = zonelint::discover::declared_zones(
        &root.join("knot.conf"),
        zonelint::discover::server::Server::Knot,
        &root,
    )
    .into_iter()
    .map(|d| {
        let n = d.name.trim_end_matches('.');
        format!("{n}.")
    })
    .collect();
    assert_eq!(ours, theirs);
}

/// NSD's reading: `nsd-checkconf -z ZONE -o zonefile` prints each zone's file pattern.
#[test]
fn nsd_zonefiles_match_nsd_checkconf() {
    let Some(checkconf) = tool("nsd-checkconf") else {
        return;
    };
    // nsd-checkconf follows the include as written: point it into a copy.
    let tmp = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&repo("nsd"), tmp.path());
    let conf = tmp.path().join("nsd.conf");
    let text = std::fs::read_to_string(&conf).unwrap().replace(
        "/etc/nsd/conf.d",
        &tmp.path().join("conf.d").to_string_lossy(),
    );
    std::fs::write(&conf, text).unwrap();
    let ours = zonelint::discover::declared_zones(
        &conf,
        zonelint::discover::server::Server::Nsd,
        tmp.path(),
    );
    assert_eq!(ours.len(), 3);
    for d in ours {
        let out = std::process::Command::new(&checkconf)
            .args(["-z", &d.name, "-o", "zonefile"])
            .arg(&conf)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let pattern = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let bare = d.name.trim_end_matches('.');
        let theirs = zonelint::discover::nsd::substitute(&pattern, bare);
        let ours = d.file.map(|f| f.0).unwrap_or_default();
        assert_eq!(ours, theirs, "zone {}", d.name);
    }
}

#[test]
fn utf16_exports_are_read_and_their_fixes_only_shown() {
    let dir = tempfile::tempdir().unwrap();
    let text = ";  Database file example.com.dns for example.com zone.\r\n@ IN SOA ns1.example.com. h.example.com. 1 900 600 86400 3600\r\n@ NS ns1.example.com.\r\nns1 A 192.0.2.53\r\nwww A 192.0.2.80\r\nwww A 192.0.2.80\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.path().join("example.com.dns"), &bytes).unwrap();
    let out = zonelint(&["check", "--format", "concise", "."], dir.path());
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains(
            "example.com.dns:6:1: warning[ZONE006] duplicate A record at `www.example.com.`"
        ),
        "{report}"
    );
    let fix = zonelint(&["fix", "--write", "."], dir.path());
    assert_eq!(fix.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&fix.stderr).contains("display-only"),
        "{fix:?}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("example.com.dns")).unwrap(),
        bytes
    );
}

#[test]
fn a_nul_byte_in_a_named_file_is_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("z"),
        b"$ORIGIN nul.example.\n@ SOA ns1 h 1 2 3 4 5\n NS ns1\nns1 A 192.0.2.1\nbad\0name A 192.0.2.2\n",
    )
    .unwrap();
    let out = zonelint(&["check", "--format", "concise", "z"], dir.path());
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("z:5:1: error[SYN002]"), "{report}");
}
