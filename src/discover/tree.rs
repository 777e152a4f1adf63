//! The checked directories as discovery sees them: every regular file below the roots,
//! and the mapping of server paths (`/etc/bind/zones/db.example`) onto them.

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

/// A regular file found below a checked directory.
#[derive(Clone, Debug)]
pub struct TreeFile {
    pub path: PathBuf,
    pub display: String,
    pub name: OsString,
    /// The file after symbolic links (inside the roots: links leading out are dropped).
    pub canonical: Option<PathBuf>,
}

#[derive(Default)]
pub struct Tree {
    /// Canonical checked directories.
    pub roots: Vec<PathBuf>,
    pub files: Vec<TreeFile>,
    /// Directories seen, with their canonical paths.
    pub dirs: Vec<(PathBuf, PathBuf)>,
}

/// Where a server path leads in the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mapped {
    Found { path: PathBuf, how: String },
    Missing(String),
}

/// The first 8 KiB of a regular file (never opens a FIFO or device).
pub fn head(path: &Path) -> Option<Vec<u8>> {
    crate::files::head(path, 8192).ok()
}

/// A whole regular file of at most `max` bytes.
pub fn read_limited(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    crate::files::read_limited(path, max)
}

fn display(p: &Path) -> String {
    super::display_path(p)
}

/// The normal components of a path (`/`, `.` and `..` left out).
fn components(p: &Path) -> Vec<&std::ffi::OsStr> {
    p.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s),
            _ => None,
        })
        .collect()
}

impl Tree {
    pub fn add_root(&mut self, canonical: PathBuf) {
        if !self.roots.contains(&canonical) {
            self.roots.push(canonical);
        }
    }

    /// Whether a canonical path lies inside a checked directory.
    pub fn contains(&self, canonical: &Path) -> bool {
        self.roots.iter().any(|r| canonical.starts_with(r))
    }

    /// Collects the regular files below `dir`, skipping hidden entries. Symbolic links
    /// are followed only to files inside the roots; directory links are not followed
    /// (they could loop).
    pub fn walk(&mut self, dir: &Path, notices: &mut Vec<String>) {
        let Ok(read) = std::fs::read_dir(dir) else {
            notices.push(format!("cannot read directory `{}`", display(dir)));
            return;
        };
        if let Ok(c) = dir.canonicalize() {
            self.dirs.push((dir.to_path_buf(), c));
        }
        let mut entries: Vec<_> = read.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name();
            if name.as_encoded_bytes().first() == Some(&b'.') {
                continue;
            }
            let path = dir.join(&name);
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                self.walk(&path, notices);
                continue;
            }
            let canonical = path.canonicalize().ok();
            if ft.is_symlink() {
                let inside = canonical.as_deref().is_some_and(|c| self.contains(c));
                if !inside {
                    notices.push(format!(
                        "`{}` is a symbolic link that leads outside the checked directories; not read",
                        display(&path)
                    ));
                    continue;
                }
                if path.is_dir() {
                    notices.push(format!(
                        "`{}` is a symbolic link to a directory; not followed",
                        display(&path)
                    ));
                    continue;
                }
            }
            if !path.is_file() {
                notices.push(format!(
                    "`{}` is not a regular file; not read",
                    display(&path)
                ));
                continue;
            }
            self.files.push(TreeFile {
                display: display(&path),
                path,
                name,
                canonical,
            });
        }
    }

    /// A path in the tree that exists as a regular file, canonically inside the roots.
    fn usable(&self, p: &Path) -> Option<PathBuf> {
        let c = p.canonicalize().ok()?;
        (self.contains(&c) && c.is_file()).then(|| p.to_path_buf())
    }

    /// Maps a file a configuration names onto the tree: the path itself if it lies in
    /// the tree, else relative to `base` (the server's `directory`, `storage` or
    /// `zonesdir`) or to the configuration's own directory, else the one file of the
    /// tree whose trailing path components match it best.
    pub fn map(&self, raw: &str, base: Option<&Path>, config_dir: &Path) -> Mapped {
        let wanted = Path::new(raw);
        if wanted.is_absolute() {
            if let Some(p) = self.usable(wanted) {
                return Mapped::Found {
                    path: p,
                    how: "as written".into(),
                };
            }
        } else {
            if let Some(b) = base {
                let b = if b.is_absolute() {
                    b.to_path_buf()
                } else {
                    config_dir.join(b)
                };
                if let Some(p) = self.usable(&b.join(wanted)) {
                    return Mapped::Found {
                        path: p,
                        how: format!("relative to the directory `{}`", display(&b)),
                    };
                }
                if let Some(mapped) = self.map_dir(&b, config_dir)
                    && let Some(p) = self.usable(&mapped.join(wanted))
                {
                    return Mapped::Found {
                        path: p,
                        how: format!(
                            "relative to `{}`, which is `{}` here",
                            display(&b),
                            display(&mapped)
                        ),
                    };
                }
            }
            if let Some(p) = self.usable(&config_dir.join(wanted)) {
                return Mapped::Found {
                    path: p,
                    how: "relative to the configuration file".into(),
                };
            }
        }
        let server_path = match base {
            Some(b) if !wanted.is_absolute() => b.join(wanted),
            _ => wanted.to_path_buf(),
        };
        self.by_trailing_components(&server_path)
    }

    /// The tree file whose path ends with the most components of `server_path` (at
    /// least its file name); a tie is not a match.
    fn by_trailing_components(&self, server_path: &Path) -> Mapped {
        let want = components(server_path);
        let Some(&last) = want.last() else {
            return Mapped::Missing("is not a file name".into());
        };
        let mut best: Vec<(&TreeFile, usize)> = Vec::new();
        for f in self.files.iter().filter(|f| f.name == last) {
            let have = components(&f.path);
            let k = have
                .iter()
                .rev()
                .zip(want.iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            match best.first() {
                Some(&(_, top)) if k < top => {}
                Some(&(_, top)) if k == top => best.push((f, k)),
                _ => best = vec![(f, k)],
            }
        }
        match best.as_slice() {
            [] => Mapped::Missing("is not in the checked directories".into()),
            [(f, k)] => Mapped::Found {
                path: f.path.clone(),
                how: if *k == 1 {
                    "by its file name (the only file of that name)".to_string()
                } else {
                    format!("by its last {k} path components")
                },
            },
            several => Mapped::Missing(format!(
                "matches {} files equally well ({}); name the file with PATH=ORIGIN",
                several.len(),
                several
                    .iter()
                    .take(3)
                    .map(|(f, _)| format!("`{}`", f.display))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// Maps a server directory onto the tree: itself if inside, else the tree directory
    /// whose trailing components match it (uniquely), else none.
    pub fn map_dir(&self, dir: &Path, config_dir: &Path) -> Option<PathBuf> {
        let dir = if dir.is_absolute() {
            dir.to_path_buf()
        } else {
            config_dir.join(dir)
        };
        if let Ok(c) = dir.canonicalize()
            && self.contains(&c)
            && c.is_dir()
        {
            return Some(dir);
        }
        let want = components(&dir);
        let last = *want.last()?;
        let mut best: Vec<(&PathBuf, usize)> = Vec::new();
        for (d, _) in &self.dirs {
            let have = components(d);
            if have.last() != Some(&last) {
                continue;
            }
            let k = have
                .iter()
                .rev()
                .zip(want.iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            match best.first() {
                Some(&(_, top)) if k < top => {}
                Some(&(_, top)) if k == top => best.push((d, k)),
                _ => best = vec![(d, k)],
            }
        }
        match best.as_slice() {
            [(d, _)] => Some((*d).clone()),
            _ => None,
        }
    }

    /// The configuration files an `include` names (a glob pattern may name several),
    /// found as [`Tree::map`] finds zone files.
    pub fn map_include(&self, raw: &str, config_dir: &Path) -> Vec<PathBuf> {
        let is_glob = raw.contains(['*', '?', '[', '{']);
        if !is_glob {
            return match self.map(raw, None, config_dir) {
                Mapped::Found { path, .. } => vec![path],
                Mapped::Missing(_) => Vec::new(),
            };
        }
        let pattern = if Path::new(raw).is_absolute() {
            PathBuf::from(raw)
        } else {
            config_dir.join(raw)
        };
        let want: Vec<String> = components(&pattern)
            .iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect();
        let Some(last) = want.last() else {
            return Vec::new();
        };
        let Ok(name_glob) = globset::Glob::new(last).map(|g| g.compile_matcher()) else {
            return Vec::new();
        };
        // Files whose name matches and whose directory ends like the pattern's.
        let parent: Vec<&String> = want[..want.len() - 1].iter().collect();
        let mut out: Vec<PathBuf> = Vec::new();
        // The pattern's directory must match at least in its last component.
        let mut best = usize::from(!parent.is_empty());
        for f in &self.files {
            if !name_glob.is_match(&f.name) {
                continue;
            }
            let have: Vec<String> = components(f.path.parent().unwrap_or(Path::new("")))
                .iter()
                .map(|c| c.to_string_lossy().into_owned())
                .collect();
            let k = have
                .iter()
                .rev()
                .zip(parent.iter().rev())
                .take_while(|(a, b)| *a == **b)
                .count();
            if k < best {
                continue;
            }
            if k > best {
                best = k;
                out.clear();
            }
            out.push(f.path.clone());
        }
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree_with(files: &[&str]) -> (tempfile::TempDir, Tree) {
        let dir = tempfile::tempdir().unwrap();
        for f in files {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "x").unwrap();
        }
        let mut t = Tree::default();
        t.add_root(dir.path().canonicalize().unwrap());
        let mut notes = Vec::new();
        t.walk(dir.path(), &mut notes);
        (dir, t)
    }

    #[test]
    fn server_paths_map_onto_the_tree() {
        let (dir, t) = tree_with(&[
            "etc/bind/named.conf",
            "etc/bind/zones/db.example.com",
            "etc/bind/zones/db.example.net",
            "other/zones/db.example.net",
            "var/named/internal/db.example.com",
        ]);
        let root = dir.path();
        let conf = root.join("etc/bind");
        let found = |m: Mapped| match m {
            Mapped::Found { path, .. } => path.strip_prefix(root).unwrap().to_path_buf(),
            Mapped::Missing(w) => panic!("missing: {w}"),
        };
        // Relative to the configuration's directory.
        assert_eq!(
            found(t.map("zones/db.example.com", None, &conf)),
            Path::new("etc/bind/zones/db.example.com")
        );
        // A server path: the trailing components decide.
        assert_eq!(
            found(t.map("/etc/bind/zones/db.example.net", None, &conf)),
            Path::new("etc/bind/zones/db.example.net")
        );
        // Relative to a server `directory` that exists in the tree under another root.
        assert_eq!(
            found(t.map(
                "internal/db.example.com",
                Some(Path::new("/var/named")),
                &conf
            )),
            Path::new("var/named/internal/db.example.com")
        );
        // Two equally good matches: not a match.
        assert!(
            matches!(t.map("/srv/zones/db.example.net", None, &conf), Mapped::Missing(w) if w.contains("2 files"))
        );
        assert!(matches!(
            t.map("/etc/bind/db.missing", None, &conf),
            Mapped::Missing(_)
        ));
        // A path inside the tree as written.
        let abs = root.join("other/zones/db.example.net");
        assert_eq!(
            found(t.map(abs.to_str().unwrap(), None, &conf)),
            Path::new("other/zones/db.example.net")
        );
        assert_eq!(
            t.map_dir(Path::new("/var/named"), &conf).unwrap(),
            root.join("var/named")
        );
    }

    #[test]
    fn includes_with_globs() {
        let (dir, t) = tree_with(&[
            "nsd/nsd.conf",
            "nsd/conf.d/a.conf",
            "nsd/conf.d/b.conf",
            "nsd/conf.d/c.txt",
        ]);
        let conf = dir.path().join("nsd");
        let got = t.map_include("/etc/nsd/conf.d/*.conf", &conf);
        assert_eq!(
            got,
            vec![conf.join("conf.d/a.conf"), conf.join("conf.d/b.conf")]
        );
        assert_eq!(
            t.map_include("conf.d/b.conf", &conf),
            vec![conf.join("conf.d/b.conf")]
        );
        assert!(t.map_include("/etc/nsd/none/*.conf", &conf).is_empty());
    }

    #[test]
    fn links_out_of_the_tree_are_not_followed() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("x.zone"))
            .unwrap();
        std::fs::write(dir.path().join("real.zone"), "r").unwrap();
        std::os::unix::fs::symlink(dir.path().join("real.zone"), dir.path().join("alias.zone"))
            .unwrap();
        let mut t = Tree::default();
        t.add_root(dir.path().canonicalize().unwrap());
        let mut notes = Vec::new();
        t.walk(dir.path(), &mut notes);
        let names: Vec<_> = t
            .files
            .iter()
            .map(|f| f.name.to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["alias.zone", "real.zone"]);
        assert!(
            notes
                .iter()
                .any(|n| n.contains("x.zone") && n.contains("outside"))
        );
    }
}
