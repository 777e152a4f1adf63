//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use zonelint::load::PathArg;
use zonelint::rules::Selection;
use zonelint::{CheckOptions, Report};

/// One finding reduced to what tests compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub severity: &'static str,
    pub file: String,
    pub line: usize,
    pub message: String,
}

pub struct Run {
    pub report: Report,
}

impl Run {
    pub fn findings(&self) -> Vec<Finding> {
        let sources = &self.report.set.sources;
        self.report
            .diagnostics
            .iter()
            .map(|d| Finding {
                code: d.code,
                severity: d.severity.as_str(),
                file: sources.display(d.location.source).to_string(),
                line: zonelint::output::position(sources, d.location).line,
                message: d.message.to_string(),
            })
            .collect()
    }
}

pub fn check_with(
    paths: &[(&Path, Option<&str>)],
    include_base: Option<&Path>,
    preview: bool,
) -> Run {
    check_with_inventory(paths, include_base, preview, None)
}

pub fn check_with_inventory(
    paths: &[(&Path, Option<&str>)],
    include_base: Option<&Path>,
    preview: bool,
    inventory: Option<&Path>,
) -> Run {
    let args: Vec<PathArg> = paths
        .iter()
        .map(|(p, o)| PathArg::new(p.to_path_buf(), o.map(str::to_string)))
        .collect();
    let mut options = CheckOptions {
        selection: Selection {
            preview,
            allow_doc_ranges: true,
            ..Default::default()
        },
        ..Default::default()
    };
    options.load.include_base = include_base.map(Path::to_path_buf);
    options.inventory = inventory.map(Path::to_path_buf);
    let report = zonelint::check(&args, &options).expect("zones load");
    Run { report }
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether this run is CI, where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Skips a test for lack of something, with a note; under CI a skip is a failure.
pub fn skip(what: &str) {
    assert!(!in_ci(), "CI must not skip: {what}");
    eprintln!("skipping: {what}");
}

/// `../shared/corpus`, or `None` (and a note on stderr) when this clone has no shared/.
pub fn corpus() -> Option<PathBuf> {
    let dir = manifest_dir().join("../shared/corpus");
    if dir.join("MANIFEST.md").is_file() {
        Some(dir)
    } else {
        skip("../shared/corpus is absent (a user's clone has no shared/)");
        None
    }
}

/// A program from the PATH, or `None` (skipping, or failing under CI) when absent.
pub fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .chain(["/usr/sbin".into(), "/sbin".into()])
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        skip(&format!(
            "`{name}` is not installed (.ci/run installs it with apt-get)"
        ));
    }
    found
}

/// A fixed "today" (2026-11-29) so date serials in diffs and generated zones are
/// reproducible.
pub const EPOCH: &str = "1795910400";

/// The zonelint binary as a command, without colour and with the fixed "today".
pub fn command(cwd: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zonelint"));
    c.current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", EPOCH);
    c
}

/// Runs zonelint with `args` in `cwd`.
pub fn zonelint(args: &[&str], cwd: &Path) -> Output {
    command(cwd).args(args).output().expect("zonelint runs")
}

/// Copies a directory tree (fixtures into a temporary directory).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
