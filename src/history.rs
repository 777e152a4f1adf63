//! What a change did to the zones: the set as it was at a git revision, read through
//! git (no checkout of the working tree), compared with the set as it is.
//!
//! - `SERIAL001`: a zone whose files changed but whose SOA serial did not increase.
//! - "new only": the findings the revision did not already have, matched by code,
//!   owner, file and the text of the record they point at — never by line number, so
//!   an edit above a finding does not make it new.

use crate::diagnostic::Diagnostic;
use crate::load::PathArg;
use crate::rr::RType;
use crate::{CheckOptions, Report};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What identifies a finding across revisions (see [`key`]).
type FindingKey = (String, Option<String>, PathBuf, String);

/// The zone set at a revision: its report, and where its files were unpacked.
pub struct Baseline {
    pub revision: String,
    pub report: Option<Report>,
    /// The repository's top directory, and the temporary copy of the revision's tree.
    repo: PathBuf,
    tree: tempfile::TempDir,
}

impl Drop for Baseline {
    fn drop(&mut self) {
        crate::write::Cleanup::forget(self.tree.path());
    }
}

fn git(args: &[&str], cwd: &Path) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// The path of `path` relative to the repository's top, when it lies inside.
fn in_repo(repo: &Path, path: &Path) -> Option<PathBuf> {
    let absolute = path.canonicalize().ok().or_else(|| {
        // A file that no longer exists: resolve its directory instead.
        let parent = path.parent()?.canonicalize().ok()?;
        Some(parent.join(path.file_name()?))
    })?;
    absolute.strip_prefix(repo).ok().map(Path::to_path_buf)
}

impl Baseline {
    /// Unpacks the tree at `revision` and checks the same paths there with the same
    /// options. Paths that did not exist at the revision are left out; a revision
    /// where nothing could be checked has no report.
    pub fn load(
        revision: &str,
        paths: &[PathArg],
        options: &CheckOptions,
    ) -> Result<Baseline, String> {
        let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
        let top = git(&["rev-parse", "--show-toplevel"], &cwd)
            .map_err(|e| format!("--changed-since needs a git repository: {e}"))?;
        let repo = PathBuf::from(String::from_utf8_lossy(&top).trim())
            .canonicalize()
            .map_err(|e| e.to_string())?;
        git(
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{revision}^{{commit}}"),
            ],
            &repo,
        )
        .map_err(|_| {
            format!("--changed-since: `{revision}` is not a revision of this repository")
        })?;
        let tree = tempfile::Builder::new()
            .prefix("zonelint-baseline-")
            .tempdir()
            .map_err(|e| format!("cannot make a temporary directory: {e}"))?;
        // An interrupted run removes the unpacked tree too.
        crate::write::Cleanup::register(tree.path());
        let archive = git(&["archive", "--format=tar", revision], &repo)?;
        let mut tar = Command::new("tar")
            .args(["-x", "-f", "-", "-C"])
            .arg(tree.path())
            .stdin(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run tar: {e}"))?;
        if let Some(mut stdin) = tar.stdin.take() {
            use std::io::Write;
            stdin
                .write_all(&archive)
                .map_err(|e| format!("cannot unpack `{revision}`: {e}"))?;
        }
        let status = tar.wait().map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("cannot unpack `{revision}`"));
        }
        let mut base = Baseline {
            revision: revision.to_string(),
            report: None,
            repo,
            tree,
        };
        let old_paths: Vec<PathArg> = paths
            .iter()
            .filter_map(|p| {
                let old = base.old_path(&p.path)?;
                old.exists().then(|| PathArg {
                    path: old,
                    origin: p.origin.clone(),
                    view: p.view,
                })
            })
            .collect();
        if old_paths.is_empty() {
            return Ok(base);
        }
        let mut old_options = options.clone();
        old_options.inventory = options
            .inventory
            .as_ref()
            .and_then(|i| base.old_path(i))
            .filter(|p| p.is_file());
        old_options.load.origins = options
            .load
            .origins
            .iter()
            .filter_map(|(p, o)| Some((base.old_path(p)?, o.clone())))
            .collect();
        base.report = crate::check(&old_paths, &old_options).ok();
        Ok(base)
    }

    /// Where a file of the working tree is in the unpacked revision.
    fn old_path(&self, path: &Path) -> Option<PathBuf> {
        in_repo(&self.repo, path).map(|rel| self.tree.path().join(rel))
    }

    /// A file of the revision's report as a path relative to the repository.
    fn old_relative(&self, path: &Path) -> Option<PathBuf> {
        let tree = self.tree.path().canonicalize().ok()?;
        let absolute = path.canonicalize().ok()?;
        absolute.strip_prefix(tree).ok().map(Path::to_path_buf)
    }

    /// `SERIAL001` for each zone whose files differ from the revision's but whose SOA
    /// serial is not greater (RFC 1982) than the revision's.
    pub fn serial_findings(&self, report: &Report) -> Vec<Diagnostic> {
        let Some(old) = &self.report else {
            return Vec::new();
        };
        let set = &report.set;
        let mut out = Vec::new();
        for zone in &set.zones {
            let Some(soa) = zone.soa.first() else {
                continue;
            };
            let origin = zone.origin_text();
            let Some(old_zone) = old
                .set
                .zones
                .iter()
                .find(|z| z.origin_text() == origin && z.view == zone.view)
            else {
                continue;
            };
            let Some(old_soa) = old_zone.soa.first() else {
                continue;
            };
            let changed = zone.sources.iter().any(|&s| {
                let source = set.sources.get(s);
                let Some(old_path) = self.old_path(&source.path) else {
                    return true;
                };
                // Sizes settle most files without reading either version; a file that
                // is missing at the revision or unreadable now counts as changed.
                match std::fs::metadata(&old_path) {
                    Ok(m) if m.len() == source.len() => {}
                    _ => return true,
                }
                match (source.text(), std::fs::read(&old_path)) {
                    (Some(now), Ok(then)) => now != then.as_slice(),
                    _ => true,
                }
            });
            let increased = {
                let d = soa.serial.wrapping_sub(old_soa.serial);
                d != 0 && d < 1 << 31
            };
            if !changed || increased {
                continue;
            }
            let Some(record) = zone
                .records
                .iter()
                .find(|r| r.rtype == RType::SOA && r.owner == zone.origin)
            else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    "SERIAL001",
                    zone.location(record),
                    format!(
                        "`{origin}` changed since {} but its SOA serial is still {} (was {})",
                        self.revision, soa.serial, old_soa.serial
                    ),
                )
                .with_owner(origin.clone())
                .with_label("not raised")
                .with_help(format!(
                    "raise the serial above {}; secondaries ignore a zone whose serial did not increase",
                    old_soa.serial
                )),
            );
        }
        out
    }

    /// Keeps only the findings the revision did not have. Each old finding excuses one
    /// new finding with the same code, owner, file and record text.
    pub fn keep_new(&self, report: &mut Report) {
        let Some(old) = &self.report else { return };
        let mut seen: HashMap<FindingKey, usize> = HashMap::new();
        for d in &old.diagnostics {
            let path = &old.set.sources.get(d.location.source).path;
            let Some(rel) = self.old_relative(path) else {
                continue;
            };
            *seen.entry(key(old, d, rel)).or_default() += 1;
        }
        let repo = self.repo.clone();
        let set = &report.set;
        let keys: Vec<Option<FindingKey>> = report
            .diagnostics
            .iter()
            .map(|d| {
                let rel = in_repo(&repo, &set.sources.get(d.location.source).path)?;
                Some(key(report, d, rel))
            })
            .collect();
        let mut keys = keys.into_iter();
        report.diagnostics.retain(|_| match keys.next().flatten() {
            Some(k) => match seen.get_mut(&k) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            },
            None => true,
        });
    }
}

/// What identifies a finding across revisions: code, owner, file, and the text at its
/// location with the spacing collapsed.
fn key(report: &Report, d: &Diagnostic, rel: PathBuf) -> FindingKey {
    let source = report.set.sources.get(d.location.source);
    let text = source
        .text()
        .and_then(|t| t.get(d.location.span.range()))
        .map(|b| {
            String::from_utf8_lossy(b)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    (d.code.to_string(), d.owner().map(str::to_string), rel, text)
}
