//! Writing files so that nothing is lost: atomically, all or nothing, and never over a
//! change someone else made.
//!
//! `fix --write` replaces each file by a complete new copy: a temporary file (mode 0600,
//! created exclusively, in the target's directory) is written and synced, then renamed
//! over the target. Before anything is renamed every target is checked again — still
//! what zonelint read (size, modification time, content), a regular file inside the
//! checked directories, writable, not hard-linked elsewhere — and only then are the
//! temporary files renamed, one after the other. A symbolic link is written through to
//! the file it points at. If another writer slips in between the last check and a
//! rename, its version is saved beside the file and the run says so loudly.
//!
//! Temporary files are registered with [`Cleanup`]: an interrupted run (SIGINT,
//! SIGTERM) removes them before it exits.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Why files were not (all) written.
#[derive(Debug)]
pub struct WriteError(pub String);

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Paths to remove if the process is interrupted: temporary files and directories.
pub struct Cleanup;

static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

impl Cleanup {
    /// Removes `path` (a file or a directory tree) if the run is interrupted before
    /// [`Cleanup::forget`] is called for it.
    pub fn register(path: &Path) {
        if let Ok(mut p) = PENDING.lock() {
            p.push(path.to_path_buf());
        }
    }

    pub fn forget(path: &Path) {
        if let Ok(mut p) = PENDING.lock() {
            p.retain(|x| x != path);
        }
    }

    /// Whether `path` would be removed on an interruption.
    #[cfg(test)]
    fn is_pending(path: &Path) -> bool {
        PENDING.lock().is_ok_and(|p| p.iter().any(|x| x == path))
    }

    /// Removes everything registered (called from the signal handler).
    pub fn run() {
        let paths = match PENDING.lock() {
            Ok(mut p) => std::mem::take(&mut *p),
            Err(_) => return,
        };
        for p in paths {
            if p.is_dir() {
                let _ = std::fs::remove_dir_all(&p);
            } else {
                let _ = std::fs::remove_file(&p);
            }
        }
    }
}

/// A file to replace: where, what zonelint read, and what to write.
pub struct Replacement<'a> {
    pub display: &'a str,
    pub path: &'a Path,
    pub old: &'a [u8],
    pub new: &'a [u8],
}

/// What may be written.
#[derive(Clone, Debug, Default)]
pub struct WritePolicy {
    /// Canonical directories files may be written in.
    pub roots: Vec<PathBuf>,
    /// Replace files with more than one hard link (the other links keep the old text).
    pub allow_hardlinks: bool,
}

/// Points where tests race a writer against zonelint, without timing: called with the
/// target's path just before its last check, and just before its rename.
#[derive(Default)]
pub struct Hooks<'a> {
    pub before_last_check: Option<&'a dyn Fn(&Path)>,
    pub before_rename: Option<&'a dyn Fn(&Path)>,
}

/// What a write did.
#[derive(Debug, Default)]
pub struct Written {
    /// Files replaced, as displayed.
    pub files: Vec<String>,
    /// Files another writer changed during the rename: their version was saved here.
    pub raced: Vec<(String, PathBuf)>,
}

/// A target as checked before writing: its real path and what it looked like.
struct Checked {
    target: PathBuf,
    meta: std::fs::Metadata,
}

fn check(r: &Replacement, policy: &WritePolicy) -> Result<Checked, String> {
    let target = r
        .path
        .canonicalize()
        .map_err(|e| format!("`{}` cannot be found again: {e}", r.display))?;
    if !policy.roots.is_empty() && !policy.roots.iter().any(|root| target.starts_with(root)) {
        return Err(format!(
            "`{}` lies outside the checked directories; zonelint reads such files when allowed, but never writes them",
            r.display
        ));
    }
    let meta = std::fs::metadata(&target).map_err(|e| format!("`{}`: {e}", r.display))?;
    if !meta.is_file() {
        return Err(format!("`{}` is not a regular file", r.display));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 && !policy.allow_hardlinks {
            return Err(format!(
                "`{}` has {} hard links; replacing it would leave the others with the old text (pass --write-hardlinks to replace it anyway)",
                r.display,
                meta.nlink()
            ));
        }
        if meta.mode() & 0o222 == 0 {
            return Err(format!("`{}` is read-only; not written", r.display));
        }
    }
    let current = crate::files::read(&target).map_err(|e| format!("`{}`: {e}", r.display))?;
    if current != r.old {
        return Err(format!(
            "`{}` changed since zonelint read it; run again to fix the new version",
            r.display
        ));
    }
    Ok(Checked { target, meta })
}

/// Whether the file still is what was read, by size, time and content.
fn unchanged(path: &Path, before: &std::fs::Metadata, old: &[u8]) -> bool {
    let Ok(now) = std::fs::metadata(path) else {
        return false;
    };
    now.len() == before.len()
        && now.modified().ok() == before.modified().ok()
        && crate::files::read(path).is_ok_and(|b| b == old)
}

/// A temporary file beside `target` holding `bytes`, with the target's permissions.
fn temporary(
    target: &Path,
    bytes: &[u8],
    meta: Option<&std::fs::Metadata>,
) -> std::io::Result<PathBuf> {
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for attempt in 0..100u32 {
        let tmp = dir.join(format!(".{name}.zonelint-{}-{attempt}", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Readable by us alone until the whole text is in: a 0600 zone never has a
            // world-readable partial copy, even if the run is killed.
            options.mode(0o600);
        }
        let mut f = match options.open(&tmp) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        Cleanup::register(&tmp);
        let written = (|| {
            f.write_all(bytes)?;
            if let Some(meta) = meta {
                f.set_permissions(meta.permissions())?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::MetadataExt;
                    // Keeping the owner needs privileges; without them the file is ours.
                    let _ = std::os::unix::fs::fchown(&f, Some(meta.uid()), Some(meta.gid()));
                }
            }
            f.sync_all()
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            Cleanup::forget(&tmp);
            return Err(e);
        }
        return Ok(tmp);
    }
    Err(std::io::Error::other("no free temporary file name"))
}

fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent()
        && let Ok(d) = std::fs::File::open(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })
    {
        let _ = d.sync_all();
    }
}

/// Replaces every file of `changes`, or none: every target is checked and every new
/// text written to a temporary file first; a problem with any of them writes nothing.
pub fn replace_all(
    changes: &[Replacement],
    policy: &WritePolicy,
    hooks: &Hooks,
) -> Result<Written, WriteError> {
    let mut problems = Vec::new();
    let mut checked = Vec::new();
    for r in changes {
        match check(r, policy) {
            Ok(c) => checked.push(c),
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        return Err(WriteError(format!(
            "nothing written: {}",
            problems.join("; ")
        )));
    }
    let mut temps = Vec::new();
    for (r, c) in changes.iter().zip(&checked) {
        match temporary(&c.target, r.new, Some(&c.meta)) {
            Ok(t) => temps.push(t),
            Err(e) => {
                remove(&temps);
                return Err(WriteError(format!(
                    "nothing written: cannot write beside `{}`: {e}",
                    r.display
                )));
            }
        }
    }
    // The last look before anything is replaced.
    for (r, c) in changes.iter().zip(&checked) {
        if let Some(hook) = hooks.before_last_check {
            hook(&c.target);
        }
        if !unchanged(&c.target, &c.meta, r.old) {
            remove(&temps);
            return Err(WriteError(format!(
                "nothing written: `{}` changed while zonelint was writing; run again to fix the new version",
                r.display
            )));
        }
    }
    let mut written = Written::default();
    for ((r, c), tmp) in changes.iter().zip(&checked).zip(&temps) {
        if let Some(hook) = hooks.before_rename {
            hook(&c.target);
        }
        // Hold the old file open: after the rename it shows what was replaced.
        let old_file = crate::files::open_regular(&c.target).ok();
        if let Err(e) = std::fs::rename(tmp, &c.target) {
            remove(&temps);
            let done = if written.files.is_empty() {
                "nothing was written".to_string()
            } else {
                format!("written before it: {}", written.files.join(", "))
            };
            return Err(WriteError(format!(
                "cannot replace `{}`: {e}; {done}",
                r.display
            )));
        }
        Cleanup::forget(tmp);
        sync_dir(&c.target);
        written.files.push(r.display.to_string());
        if let Some(mut f) = old_file {
            use std::io::Read;
            let mut replaced = Vec::new();
            if f.read_to_end(&mut replaced).is_ok() && replaced != r.old {
                // Someone wrote in the last moment: keep their version.
                let keep = c.target.with_file_name(format!(
                    "{}.zonelint-overwritten-{}",
                    c.target
                        .file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default(),
                    std::process::id()
                ));
                if std::fs::write(&keep, &replaced).is_ok() {
                    written.raced.push((r.display.to_string(), keep));
                }
            }
        }
    }
    Ok(written)
}

fn remove(temps: &[PathBuf]) {
    for t in temps {
        let _ = std::fs::remove_file(t);
        Cleanup::forget(t);
    }
}

/// Writes a report or other output file atomically: readers see the old file or the
/// whole new one, never a part. An existing file's permissions are kept.
pub fn write_output(path: &Path, new: &[u8]) -> Result<(), WriteError> {
    let fail = |e: std::io::Error| WriteError(format!("cannot write `{}`: {e}", path.display()));
    let meta = std::fs::metadata(path).ok();
    let tmp = temporary(path, new, meta.as_ref()).map_err(fail)?;
    let renamed = std::fs::rename(&tmp, path);
    Cleanup::forget(&tmp);
    if let Err(e) = renamed {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    sync_dir(path);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replace(path: &Path, old: &[u8], new: &[u8]) -> Result<Written, WriteError> {
        replace_all(
            &[Replacement {
                display: "z",
                path,
                old,
                new,
            }],
            &WritePolicy::default(),
            &Hooks::default(),
        )
    }

    #[test]
    fn a_forgotten_path_is_no_longer_removed_on_interruption() {
        let a = Path::new("/nonexistent/zonelint-cleanup-a");
        let b = Path::new("/nonexistent/zonelint-cleanup-b");
        Cleanup::register(a);
        Cleanup::register(b);
        Cleanup::forget(a);
        assert!(!Cleanup::is_pending(a));
        assert!(
            Cleanup::is_pending(b),
            "forgetting one path keeps the others"
        );
        Cleanup::forget(b);
        assert!(!Cleanup::is_pending(b));
    }

    #[test]
    fn writes_are_refused_when_the_file_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z.zone");
        std::fs::write(&path, "old\n").unwrap();
        std::fs::write(&path, "changed\n").unwrap();
        let err = replace(&path, b"old\n", b"new\n").unwrap_err();
        assert!(err.0.contains("changed since"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "changed\n");
        replace(&path, b"changed\n", b"new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }
}
