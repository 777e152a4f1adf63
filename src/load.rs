//! Finding zone files, working out their origins, parsing them in parallel and merging
//! the results into one [`ZoneSet`].

use crate::diagnostic::{Diagnostic, Location};
use crate::model::zone::{OriginSource, ZoneSet};
use crate::source::Sources;
use crate::span::Span;
use crate::syntax::origin;
use crate::syntax::parser::{IncludePolicy, ParsedZone, Parser};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Bytes of zone files parsed so far in this process, for a progress display. Only a
/// counter: nothing reads it to decide anything.
pub static BYTES_PARSED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A path from the command line, with an origin when given as `PATH=ORIGIN`.
#[derive(Clone, Debug)]
pub struct PathArg {
    pub path: PathBuf,
    pub origin: Option<String>,
    /// The view the inventory gives this zone (external unless it says otherwise).
    pub view: crate::inventory::View,
}

impl PathArg {
    pub fn new(path: impl Into<PathBuf>, origin: Option<String>) -> PathArg {
        PathArg {
            path: path.into(),
            origin,
            view: crate::inventory::View::External,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// `--origin`: the origin of the single file given.
    pub origin: Option<String>,
    pub include_base: Option<PathBuf>,
    pub allow_include_outside: bool,
    /// Files that are never zones (the inventory, the config file).
    pub exclude: Vec<PathBuf>,
    /// Origins for files whose names do not say them (from the configuration); a file
    /// listed here is read as a zone even when its name does not look like one.
    pub origins: Vec<(PathBuf, String)>,
}

/// The tool could not do its job: exit 2.
#[derive(Debug)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub struct Loaded {
    pub set: ZoneSet,
    pub diagnostics: Vec<Diagnostic>,
}

/// File names zonelint reads inside a directory.
pub fn looks_like_zone_file(name: &str) -> bool {
    name.ends_with(".zone")
        || name.ends_with(".db")
        || name.starts_with("db.")
        || name.ends_with(".rev")
        || name.ends_with(".arpa")
}

struct Candidate {
    path: PathBuf,
    display: String,
    origin: Option<String>,
    view: crate::inventory::View,
    /// Named on the command line (a zone whatever its name, even if another includes it).
    explicit: bool,
}

fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./")
        .map(str::to_string)
        .unwrap_or_else(|| s.into_owned())
}

fn walk(
    dir: &Path,
    out: &mut Vec<Candidate>,
    exclude: &HashSet<PathBuf>,
    origins: &HashMap<PathBuf, String>,
) -> Result<(), LoadError> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| LoadError(format!("cannot read directory `{}`: {e}", dir.display())))?
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') {
            continue;
        }
        let path = dir.join(name);
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            walk(&path, out, exclude, origins)?;
        } else if (ft.is_file() || ft.is_symlink()) && path.is_file() {
            let canonical = path.canonicalize().ok();
            let configured = canonical.as_ref().is_some_and(|c| origins.contains_key(c));
            if !(looks_like_zone_file(name) || configured)
                || canonical.is_some_and(|c| exclude.contains(&c))
            {
                continue;
            }
            out.push(Candidate {
                display: display_path(&path),
                path,
                origin: None,
                view: crate::inventory::View::External,
                explicit: false,
            });
        }
    }
    Ok(())
}

/// Reads every zone named by `paths` and returns the zone set and the parse findings.
pub fn load(paths: &[PathArg], opts: &LoadOptions) -> Result<Loaded, LoadError> {
    if paths.is_empty() {
        return Err(LoadError("no zone files or directories given".into()));
    }
    let exclude: HashSet<PathBuf> = opts
        .exclude
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let origins: HashMap<PathBuf, String> = opts
        .origins
        .iter()
        .filter_map(|(p, o)| Some((p.canonicalize().ok()?, o.clone())))
        .collect();
    let mut candidates = Vec::new();
    let mut roots = Vec::new();
    for arg in paths {
        let meta = std::fs::metadata(&arg.path)
            .map_err(|e| LoadError(format!("cannot read `{}`: {e}", arg.path.display())))?;
        let canonical = arg
            .path
            .canonicalize()
            .map_err(|e| LoadError(format!("cannot read `{}`: {e}", arg.path.display())))?;
        if meta.is_dir() {
            roots.push(canonical);
            walk(&arg.path, &mut candidates, &exclude, &origins)?;
        } else {
            roots.push(
                canonical
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
            );
            candidates.push(Candidate {
                display: display_path(&arg.path),
                path: arg.path.clone(),
                origin: arg.origin.clone(),
                view: arg.view,
                explicit: true,
            });
        }
    }
    // A file both named (or listed in the inventory) and found in a directory is read
    // once, as named: that is where its origin and view come from.
    let mut seen = HashSet::new();
    candidates.sort_by_key(|c| !c.explicit);
    candidates.retain(|c| seen.insert(c.path.canonicalize().unwrap_or_else(|_| c.path.clone())));
    for c in candidates.iter_mut().filter(|c| c.origin.is_none()) {
        if let Some(o) = c.path.canonicalize().ok().and_then(|p| origins.get(&p)) {
            c.origin = Some(o.clone());
        }
    }
    if let Some(o) = &opts.origin {
        let files = candidates.len();
        if files != 1 {
            return Err(LoadError(format!(
                "--origin applies to a single zone file, but {files} were found; use PATH=ORIGIN for each file instead"
            )));
        }
        candidates[0].origin = Some(o.clone());
    }
    let mut policy = IncludePolicy {
        include_base: opts.include_base.clone(),
        allowed_roots: roots,
        allow_outside: opts.allow_include_outside,
    };
    if let Some(base) = &opts.include_base {
        let c = base.canonicalize().map_err(|e| {
            LoadError(format!(
                "cannot read --include-base `{}`: {e}",
                base.display()
            ))
        })?;
        policy.allowed_roots.push(c);
    }
    let parsed_zones = candidates
        .par_iter()
        .map(|c| parse_candidate(c, &policy).map(|p| (p, c.explicit, c.path.canonicalize().ok())))
        .collect::<Result<Vec<_>, LoadError>>()?;
    let included: HashSet<PathBuf> = parsed_zones
        .iter()
        .flat_map(|(p, _, _)| p.included.iter().cloned())
        .collect();
    let mut sources = Sources::default();
    let mut zones = Vec::new();
    let mut diagnostics = Vec::new();
    for (mut p, explicit, canonical) in parsed_zones {
        if !explicit && canonical.is_some_and(|c| included.contains(&c)) {
            continue;
        }
        let offset = sources.len() as u32;
        for s in p.sources.files.drain(..) {
            sources.add(s);
        }
        for run in &mut p.zone.source_runs {
            run.1 += offset;
        }
        p.zone.source += offset;
        for s in &mut p.zone.sources {
            *s += offset;
        }
        for mut d in p.diagnostics {
            d.location.source += offset;
            for r in &mut d.related {
                r.location.source += offset;
            }
            diagnostics.push(d);
        }
        zones.push(p.zone);
    }
    Ok(Loaded {
        set: ZoneSet::new(zones, sources),
        diagnostics,
    })
}

fn parse_candidate(c: &Candidate, policy: &IncludePolicy) -> Result<ParsedZone, LoadError> {
    let unreadable = |e: std::io::Error| LoadError(format!("cannot read `{}`: {e}", c.display));
    let (origin, source) = match &c.origin {
        Some(o) => (absolute(o), OriginSource::Argument),
        None => {
            let mut head = Vec::new();
            std::fs::File::open(&c.path)
                .and_then(|f| f.take(origin::SCAN_LIMIT as u64).read_to_end(&mut head))
                .map_err(unreadable)?;
            match origin::from_text(&head, head.len() < origin::SCAN_LIMIT) {
                Some((o, true)) => (o, OriginSource::Directive),
                Some((o, false)) => (o, OriginSource::SoaOwner),
                None => match origin::from_file_name(&c.path) {
                    Some(o) => (o, OriginSource::FileName),
                    None => (".".to_string(), OriginSource::Unknown),
                },
            }
        }
    };
    let mut parsed = Parser::parse_file(&c.path, c.display.clone(), &origin, source, policy)
        .map_err(unreadable)?;
    parsed.zone.view = c.view;
    if source == OriginSource::Unknown {
        parsed.diagnostics.push(Diagnostic::new(
            "LOAD001",
            Location { source: parsed.zone.source, span: Span::new(0, 0) },
            format!("cannot tell the origin of `{}`: it has no leading `$ORIGIN`, no absolute SOA owner, and its name does not say", c.display),
        )
        .with_help(format!("pass `{}=example.com.` (or `--origin example.com.` for a single file), or start the file with `$ORIGIN example.com.`", c.display)));
    }
    Ok(parsed)
}

fn absolute(origin: &str) -> String {
    if origin.ends_with('.') {
        origin.to_string()
    } else {
        format!("{origin}.")
    }
}
