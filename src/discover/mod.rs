//! Discovery: which files are zones, and what each zone's name is, before any zone is
//! parsed.
//!
//! The truth about a repository's zones is in the server's own configuration when the
//! repository carries one (`named.conf`, `knot.conf`, `nsd.conf`, found in the checked
//! directories or named with `--server-config`): it says each zone's name, class, file
//! and view. Files the configurations do not name are found by their names
//! (`*.zone`, `db.*`, ...), and their origins come from their own text or, failing that,
//! from a guess at their file name that the parsed file must not contradict
//! ([`guess`]). Paths in configurations are server paths; [`tree`] maps them onto the
//! checked directories.

pub mod bind;
pub mod evidence;
pub mod guess;
pub mod knot;
pub mod nsd;
pub mod server;
pub mod tree;

use crate::diagnostic::{Diagnostic, Location};
use crate::inventory::View;
use crate::load::{LoadError, LoadOptions, PathArg};
use crate::model::zone::OriginSource;
use crate::source::{Source, Sources};
use server::{Declared, Include, Role, Server};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use tree::{Mapped, Tree};

/// Configuration files larger than this are not read (no real one comes close).
const MAX_CONFIG_BYTES: u64 = 16 << 20;

/// Nesting limit for configuration `include`s.
const MAX_CONFIG_DEPTH: usize = 16;

/// A zone to parse, as discovery decided it.
#[derive(Clone, Debug)]
pub struct ZoneFile {
    pub path: PathBuf,
    /// The path as given, or as found below a directory given.
    pub display: String,
    /// The origin when something other than the file says it (command line,
    /// `zonelint.toml`, the inventory, a server configuration), absolute.
    pub origin: Option<(String, OriginSource)>,
    /// The zone's class when a configuration gives one other than IN.
    pub class: Option<String>,
    /// The server configuration's view, if any.
    pub view_name: Option<String>,
    /// Whether the view serves inside clients (split horizon).
    pub view: View,
    /// Named on the command line, in the inventory or in a configuration: a zone
    /// whatever its name or content, even if another zone `$INCLUDE`s it.
    pub explicit: bool,
    /// Where relative `$INCLUDE`s are tried after the file's own directory (BIND's
    /// `directory`, mapped onto the tree).
    pub include_base: Option<PathBuf>,
    /// The configuration statement that declared the zone.
    pub declared: Option<Location>,
}

/// A file discovery passed over, and why (shown with `-v`, and named when a run finds
/// no zone at all).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub display: String,
    pub why: String,
}

/// What discovery found.
#[derive(Default)]
pub struct Discovery {
    pub zones: Vec<ZoneFile>,
    /// Canonical directories files may be read from (the checked roots).
    pub roots: Vec<PathBuf>,
    /// The configuration files read; diagnostics point into them.
    pub sources: Sources,
    /// CONF findings: configurations that could not be read or parsed.
    pub diagnostics: Vec<Diagnostic>,
    /// What discovery decided and why, for `-v`.
    pub notices: Vec<String>,
    pub skipped: Vec<Skipped>,
}

/// File names zonelint reads as zones inside a directory.
pub fn looks_like_zone_file(name: &str) -> bool {
    name.ends_with(".zone")
        || name.ends_with(".db")
        || name.starts_with("db.")
        || name.ends_with(".rev")
        || name.ends_with(".arpa")
        || name.ends_with(".dns")
}

/// Signatures of file formats that are never zone text.
const BINARY_SIGNATURES: &[(&[u8], &str)] = &[
    (b"SQLite format 3\0", "an SQLite database"),
    (b"\x7fELF", "an ELF executable"),
    (b"\x1f\x8b", "gzip-compressed"),
    (b"PK\x03\x04", "a zip archive"),
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
];

/// Why a file met in a directory scan is not text, if it is not: a known binary
/// signature, or a NUL byte in its first 8 KiB (UTF-16 text with a byte order mark is
/// text).
pub fn binary_reason(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return None;
    }
    if let Some((_, what)) = BINARY_SIGNATURES
        .iter()
        .find(|(sig, _)| head.starts_with(sig))
    {
        return Some(what);
    }
    memchr::memchr(0, &head[..head.len().min(8192)]).map(|_| "binary (it holds NUL bytes)")
}

fn absolute_name(name: &str) -> String {
    let lower = name.trim().to_ascii_lowercase();
    if lower.ends_with('.') {
        lower
    } else {
        format!("{lower}.")
    }
}

/// An origin a person gave (`PATH=ORIGIN`, `--origin`, `[origins]`), checked: a typo
/// such as `a..b` must not silently become the root.
fn given_origin(name: &str, from: &str) -> Result<String, LoadError> {
    let mut labels = crate::model::names::LabelBuf::default();
    match labels.parse(name.trim().as_bytes()) {
        Ok(_) => Ok(absolute_name(name)),
        Err(e) => Err(LoadError::new(format!(
            "{from}: `{name}` is not a domain name: it {e}"
        ))),
    }
}

/// Whether a configuration's view serves inside clients: the inventory's `views`
/// mapping decides; otherwise the usual names of inside views do.
pub fn view_kind(name: &str, mapping: &[(String, View)]) -> View {
    if let Some((_, v)) = mapping.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        return *v;
    }
    let lower = name.to_ascii_lowercase();
    const INSIDE: &[&str] = &[
        "internal", "inside", "intern", "private", "lan", "local", "trusted", "office", "corp",
    ];
    if INSIDE.iter().any(|w| {
        lower == *w
            || lower
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|part| part == *w)
    }) {
        View::Internal
    } else {
        View::External
    }
}

/// How a path is shown: as given, without a leading `./` and with `dir/..` pairs
/// folded (`examples/../zones/a.zone` is `zones/a.zone`).
pub fn display_path(p: &Path) -> String {
    use std::path::Component;
    let mut parts: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let folded: PathBuf = parts.iter().collect();
    if folded.as_os_str().is_empty() {
        ".".to_string()
    } else {
        folded.to_string_lossy().into_owned()
    }
}

/// Finds the zones named by `paths` and the configurations in them.
pub fn discover(paths: &[PathArg], opts: &LoadOptions) -> Result<Discovery, LoadError> {
    if paths.is_empty() {
        return Err(LoadError::new("no zone files or directories given"));
    }
    let mut found = Discovery::default();
    let mut tree = Tree::default();
    let mut explicit: Vec<&PathArg> = Vec::new();
    for arg in paths {
        let meta = std::fs::metadata(&arg.path)
            .map_err(|e| LoadError::new(format!("cannot read `{}`: {e}", arg.path.display())))?;
        let canonical = arg
            .path
            .canonicalize()
            .map_err(|e| LoadError::new(format!("cannot read `{}`: {e}", arg.path.display())))?;
        if meta.is_dir() {
            tree.add_root(canonical.clone());
            found.roots.push(canonical);
            tree.walk(&arg.path, &mut found.notices);
        } else {
            let dir = canonical
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            tree.add_root(dir.clone());
            found.roots.push(dir);
            explicit.push(arg);
        }
    }
    let exclude: HashSet<PathBuf> = opts
        .exclude
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let configured_origins: HashMap<PathBuf, String> = opts
        .origins
        .iter()
        .filter_map(|(p, o)| Some((p.canonicalize().ok()?, o.clone())))
        .collect();

    // Server configurations: those named on the command line, then those in the tree.
    let mut config_files: Vec<(PathBuf, Server)> = Vec::new();
    for p in &opts.server_configs {
        crate::files::head(p, 1).map_err(|e| {
            LoadError::new(format!(
                "cannot read --server-config `{}`: {e}",
                p.display()
            ))
        })?;
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let server = Server::of_file(name).unwrap_or_else(|| sniff_server(p));
        config_files.push((p.clone(), server));
    }
    for f in &tree.files {
        let name = f.name.to_string_lossy();
        let server = Server::of_file(&name).or_else(|| {
            // A BIND fragment under another name (`zones.rfc1918`, `named.zones`,
            // `zones.conf`): its zone statements say what its files are.
            (!looks_like_zone_file(&name))
                .then(|| tree::head(&f.path))
                .flatten()
                .filter(|h| bind::declares_zones(h))
                .map(|_| Server::Bind)
        });
        if let Some(server) = server
            && !config_files.iter().any(|(p, _)| same_file(p, &f.path))
        {
            config_files.push((f.path.clone(), server));
        }
    }
    let declared = read_configs(&config_files, &tree, &mut found);

    // Zones the configurations declare, mapped onto the tree.
    let mut claimed: HashMap<PathBuf, usize> = HashMap::new();
    let mut seen_declarations: HashSet<(Option<String>, String)> = HashSet::new();
    for d in declared {
        let name = absolute_name(&d.name);
        let view_text = d
            .view
            .as_deref()
            .map(|v| format!(" in view `{v}`"))
            .unwrap_or_default();
        let file_display = found.sources.display(d.source).to_string();
        let line = found
            .sources
            .get(d.source)
            .line_col(d.span.start as usize)
            .0;
        let at = format!("{file_display}:{line}");
        if !seen_declarations.insert((d.view.clone(), name.clone())) {
            found.notices.push(format!(
                "{at}: zone `{name}`{view_text} is declared again; the first declaration is used"
            ));
            continue;
        }
        let Some((raw, _)) = &d.file else {
            found.notices.push(format!(
                "{at}: zone `{name}`{view_text} names no file; skipped"
            ));
            continue;
        };
        let base = d.base.as_deref().map(Path::new);
        let config_dir = found
            .sources
            .get(d.source)
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mapped = tree.map(raw, base, &config_dir);
        let path = match &mapped {
            Mapped::Found { path, how } => {
                if d.role == Role::Primary {
                    found.notices.push(format!(
                        "{at}: zone `{name}`{view_text} reads `{}` {how}",
                        display_path(path)
                    ));
                }
                path.clone()
            }
            Mapped::Missing(why) => {
                found.notices.push(format!(
                    "{at}: zone `{name}`{view_text} ({}): `{raw}` {why}; skipped",
                    d.role.describe()
                ));
                continue;
            }
        };
        let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
        if d.role != Role::Primary {
            // The file belongs to another server (a transferred copy) or holds no zone.
            claimed.entry(canonical).or_insert(usize::MAX);
            found.notices.push(format!(
                "{at}: zone `{name}`{view_text} is {} here; its file `{}` is not checked",
                d.role.describe(),
                display_path(&path)
            ));
            continue;
        }
        let include_base = base
            .filter(|b| b.is_absolute() || !b.as_os_str().is_empty())
            .and_then(|b| tree.map_dir(b, &config_dir));
        let view = d
            .view
            .as_deref()
            .map_or(View::External, |v| view_kind(v, &opts.views));
        claimed.insert(canonical, found.zones.len());
        found.zones.push(ZoneFile {
            display: display_path(&path),
            path,
            origin: Some((name, OriginSource::Config)),
            class: d.class.filter(|c| c != "IN"),
            view_name: d.view.clone(),
            view,
            explicit: true,
            include_base,
            declared: Some(Location {
                source: d.source,
                span: d.span,
            }),
        });
    }

    // Files named on the command line or in the inventory.
    for arg in explicit {
        let canonical = arg.path.canonicalize().unwrap_or_else(|_| arg.path.clone());
        let origin = match (&arg.origin, configured_origins.get(&canonical)) {
            (Some(o), _) => Some((
                given_origin(o, &format!("the origin of `{}`", arg.path.display()))?,
                OriginSource::Argument,
            )),
            (None, Some(o)) => Some((
                given_origin(o, "[origins] in zonelint.toml")?,
                OriginSource::Argument,
            )),
            (None, None) => None,
        };
        if origin.is_none() && claimed.contains_key(&canonical) {
            // A configuration already says which zone (or zones) the file holds.
            continue;
        }
        if origin.is_some() {
            found.zones.retain(|z| !same_file(&z.path, &arg.path));
        }
        claimed.insert(canonical, found.zones.len());
        found.zones.push(ZoneFile {
            display: display_path(&arg.path),
            path: arg.path.clone(),
            origin,
            class: None,
            view_name: None,
            view: arg.view,
            explicit: true,
            include_base: None,
            declared: None,
        });
    }

    // Zone files in the directories, by name or by an `[origins]` entry.
    for f in &tree.files {
        let Some(canonical) = f.canonical.as_ref() else {
            continue;
        };
        if claimed.contains_key(canonical) || exclude.contains(canonical) {
            continue;
        }
        let name = f.name.to_string_lossy();
        let configured = configured_origins.get(canonical);
        if config_files.iter().any(|(p, _)| same_file(p, &f.path)) {
            continue;
        }
        if configured.is_none() && !looks_like_zone_file(&name) {
            found.skipped.push(Skipped {
                display: f.display.clone(),
                why: "its name is not one zonelint reads as a zone".into(),
            });
            continue;
        }
        if configured.is_none() {
            let head = tree::head(&f.path).unwrap_or_default();
            let why = match binary_reason(&head) {
                Some(why) => Some(format!("it is {why}")),
                None if evidence::is_root_hints(&head) => {
                    Some("it is a root hints file, not a zone".to_string())
                }
                None => None,
            };
            if let Some(why) = why {
                found.skipped.push(Skipped {
                    display: f.display.clone(),
                    why,
                });
                continue;
            }
        }
        let origin = match configured {
            Some(o) => Some((
                given_origin(o, "[origins] in zonelint.toml")?,
                OriginSource::Argument,
            )),
            None => None,
        };
        found.zones.push(ZoneFile {
            display: f.display.clone(),
            path: f.path.clone(),
            origin,
            class: None,
            view_name: None,
            view: View::External,
            explicit: configured.is_some(),
            include_base: None,
            declared: None,
        });
    }
    if let Some(o) = &opts.origin {
        if found.zones.len() != 1 {
            return Err(LoadError::new(format!(
                "--origin applies to a single zone file, but {} were found; use PATH=ORIGIN for each file instead",
                found.zones.len()
            )));
        }
        found.zones[0].origin = Some((given_origin(o, "--origin")?, OriginSource::Argument));
    }
    found.notices.extend(
        found
            .skipped
            .iter()
            .map(|s| format!("skipped `{}`: {}", s.display, s.why)),
    );
    Ok(found)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// The server a configuration named on the command line belongs to, by what it says.
fn sniff_server(path: &Path) -> Server {
    let head = tree::head(path).unwrap_or_default();
    let text = String::from_utf8_lossy(&head);
    if text.contains("zonefile:")
        || text.lines().any(|l| l.trim() == "server:") && text.contains("zonesdir")
    {
        Server::Nsd
    } else if text
        .lines()
        .any(|l| l.trim_start().starts_with("- domain:"))
    {
        Server::Knot
    } else {
        Server::Bind
    }
}

/// The zones one server configuration declares (secondaries and hints included), with
/// its includes followed inside `root`: what discovery reads from it, for comparing
/// with the server's own tools.
pub fn declared_zones(config: &Path, server: Server, root: &Path) -> Vec<Declared> {
    let mut tree = Tree::default();
    let mut found = Discovery::default();
    if let Ok(c) = root.canonicalize() {
        tree.add_root(c);
    }
    tree.walk(root, &mut found.notices);
    read_config_tree(config, server, &tree, &mut found)
}

/// A configuration file read and parsed, with the context its includes pass on.
enum Parsed {
    Bind(bind::BindFile),
    Knot(knot::KnotFile),
    Nsd(nsd::NsdFile),
}

impl Parsed {
    fn includes(&self) -> &[Include] {
        match self {
            Parsed::Bind(f) => &f.includes,
            Parsed::Knot(f) => &f.includes,
            Parsed::Nsd(f) => &f.includes,
        }
    }
}

/// Reads one configuration file into the sources; `None` (with a CONF001 finding or a
/// notice) when it cannot be read.
fn read_config(
    path: &Path,
    server: Server,
    view: Option<&str>,
    found: &mut Discovery,
) -> Option<(u32, Parsed)> {
    let display = display_path(path);
    let text = match tree::read_limited(path, MAX_CONFIG_BYTES) {
        Ok(t) => t,
        Err(e) => {
            found.notices.push(format!(
                "cannot read the {} configuration `{display}`: {e}",
                server.name()
            ));
            return None;
        }
    };
    let source = found.sources.add(Source::in_memory(
        display,
        path.to_path_buf(),
        text.clone().into(),
    ));
    let parsed = match server {
        Server::Bind => Parsed::Bind(bind::read(&text, source, view)),
        Server::Knot => Parsed::Knot(knot::read(&text, source)),
        Server::Nsd => Parsed::Nsd(nsd::read(&text, source)),
    };
    let problems = match &parsed {
        Parsed::Bind(f) => &f.problems,
        Parsed::Knot(f) => &f.problems,
        Parsed::Nsd(f) => &f.problems,
    };
    for p in problems {
        found.diagnostics.push(
            Diagnostic::new("CONF001", Location { source, span: p.span }, format!("{} configuration: {}", server.name(), p.message))
                .with_help("the server would refuse this configuration; zonelint read what it could and checks the zone files anyway"),
        );
    }
    Some((source, parsed))
}

/// Reads every configuration (and what it includes) and returns the zones they declare.
/// A configuration another one includes is read only through that include, so its zones
/// get the includer's context (BIND views, NSD patterns, Knot templates).
fn read_configs(files: &[(PathBuf, Server)], tree: &Tree, found: &mut Discovery) -> Vec<Declared> {
    // Which files include which: read each once on its own first.
    let mut included: HashSet<PathBuf> = HashSet::new();
    for (path, server) in files {
        let Ok(text) = tree::read_limited(path, MAX_CONFIG_BYTES) else {
            continue;
        };
        let includes = match server {
            Server::Bind => bind::read(&text, 0, None).includes,
            Server::Knot => knot::read(&text, 0).includes,
            Server::Nsd => nsd::read(&text, 0).includes,
        };
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for inc in includes {
            for p in tree.map_include(&inc.raw, &dir) {
                if let Ok(c) = p.canonicalize() {
                    included.insert(c);
                }
            }
        }
    }
    let mut declared = Vec::new();
    for (path, server) in files {
        let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
        if included.contains(&canonical) {
            continue;
        }
        declared.extend(read_config_tree(path, *server, tree, found));
    }
    declared
}

/// One top-level configuration and everything it includes.
fn read_config_tree(
    path: &Path,
    server: Server,
    tree: &Tree,
    found: &mut Discovery,
) -> Vec<Declared> {
    let mut parsed: Vec<(u32, Parsed)> = Vec::new();
    let mut queue: Vec<(PathBuf, Option<String>, usize)> = vec![(path.to_path_buf(), None, 0)];
    let mut read: HashSet<(PathBuf, Option<String>)> = HashSet::new();
    while let Some((p, view, depth)) = queue.pop() {
        let key = (p.canonicalize().unwrap_or_else(|_| p.clone()), view.clone());
        if !read.insert(key) {
            continue;
        }
        let Some((source, file)) = read_config(&p, server, view.as_deref(), found) else {
            continue;
        };
        let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
        for inc in file.includes().iter().rev() {
            let targets = tree.map_include(&inc.raw, &dir);
            let at = format!(
                "{}:{}",
                found.sources.display(source),
                found
                    .sources
                    .get(source)
                    .line_col(inc.span.start as usize)
                    .0
            );
            if targets.is_empty() {
                found.notices.push(format!(
                    "{at}: include `{}` is not in the checked directories; skipped",
                    inc.raw
                ));
                continue;
            }
            if depth >= MAX_CONFIG_DEPTH {
                found.notices.push(format!(
                    "{at}: includes nest deeper than {MAX_CONFIG_DEPTH}; `{}` not read",
                    inc.raw
                ));
                continue;
            }
            for t in targets {
                queue.push((t, inc.view.clone(), depth + 1));
            }
        }
        parsed.push((source, file));
    }
    let mut out = Vec::new();
    match server {
        Server::Bind => {
            let directory = parsed.iter().find_map(|(_, f)| match f {
                Parsed::Bind(b) => b.directory.as_ref().map(|d| d.0.clone()),
                _ => None,
            });
            for (_, f) in parsed {
                if let Parsed::Bind(b) = f {
                    for mut z in b.zones {
                        z.base = directory.clone();
                        out.push(z);
                    }
                }
            }
        }
        Server::Knot => {
            let files: Vec<knot::KnotFile> = parsed
                .into_iter()
                .filter_map(|(_, f)| match f {
                    Parsed::Knot(k) => Some(k),
                    _ => None,
                })
                .collect();
            out = knot::zones(&files);
        }
        Server::Nsd => {
            let files: Vec<nsd::NsdFile> = parsed
                .into_iter()
                .filter_map(|(_, f)| match f {
                    Parsed::Nsd(n) => Some(n),
                    _ => None,
                })
                .collect();
            out = nsd::zones(&files);
        }
    }
    // Declarations in file order: the sources were read depth first.
    out.sort_by_key(|d| (d.source, d.span.start));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_folded() {
        assert_eq!(display_path(Path::new("./zones/a.zone")), "zones/a.zone");
        assert_eq!(
            display_path(Path::new("examples/../zones/a.zone")),
            "zones/a.zone"
        );
        assert_eq!(display_path(Path::new("../up/a.zone")), "../up/a.zone");
        assert_eq!(display_path(Path::new("/etc/../srv/a")), "/srv/a");
        assert_eq!(display_path(Path::new(".")), ".");
    }

    #[test]
    fn binary_files_are_recognised() {
        assert_eq!(
            binary_reason(b"SQLite format 3\0rest"),
            Some("an SQLite database")
        );
        assert_eq!(binary_reason(b"\x7fELF\x02\x01"), Some("an ELF executable"));
        assert_eq!(binary_reason(b"$TTL 1\n@ SOA a b 1 2 3 4 5\n"), None);
        assert!(binary_reason(b"abc\0def").is_some());
        // UTF-16 text has NUL bytes but is text.
        assert_eq!(binary_reason(b"\xff\xfe;\0 \0"), None);
        let mut late = vec![b'a'; 9000];
        late.push(0);
        assert_eq!(binary_reason(&late), None, "only the first 8 KiB count");
    }

    #[test]
    fn views_inside_or_outside() {
        assert_eq!(view_kind("internal", &[]), View::Internal);
        assert_eq!(view_kind("trusted-clients", &[]), View::Internal);
        assert_eq!(view_kind("external", &[]), View::External);
        assert_eq!(view_kind("public", &[]), View::External);
        assert_eq!(view_kind("localhost_resolver", &[]), View::External);
        assert_eq!(
            view_kind("Office-LAN", &[("office-lan".into(), View::External)]),
            View::External
        );
        assert_eq!(
            view_kind("green", &[("green".into(), View::Internal)]),
            View::Internal
        );
    }

    #[test]
    fn zone_file_names() {
        for name in [
            "example.com.zone",
            "db.example",
            "x.db",
            "10.rev",
            "1.0.10.in-addr.arpa",
            "example.com.dns",
        ] {
            assert!(looks_like_zone_file(name), "{name}");
        }
        for name in ["named.conf", "README", "example.com", "zone.txt"] {
            assert!(!looks_like_zone_file(name), "{name}");
        }
    }
}
