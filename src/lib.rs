//! zonelint: lint authoritative DNS zones.
//!
//! Data flows one way through plain values: [`syntax`] turns each file's bytes into
//! records (files are parsed in parallel by [`load`]), [`model`] holds them as a
//! [`model::ZoneSet`] with interned names and indices, [`rules`] read the zone set and
//! return [`diagnostic::Diagnostic`]s, and [`output`] renders those. Rules never print;
//! emitters never decide.
//!
//! ```no_run
//! use zonelint::{CheckOptions, check, load::PathArg};
//! let paths = [PathArg::new("zones", None)];
//! let report = check(&paths, &CheckOptions::default()).expect("zones are readable");
//! for d in &report.diagnostics {
//!     println!("{} {}", d.code, d.message);
//! }
//! ```

pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod files;
pub mod fix;
pub mod generate;
pub mod history;
pub mod inventory;
pub mod line_starts;
pub mod load;
pub mod memory;
pub mod model;
pub mod output;
pub mod policy;
pub mod rr;
pub mod rules;
pub mod source;
pub mod span;
pub mod spf;
pub mod suppress;
pub mod syntax;
pub mod timings;
pub mod write;

use diagnostic::Diagnostic;
use load::{LoadError, LoadOptions, PathArg};
use model::ZoneSet;
use rules::Selection;

#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    pub load: LoadOptions,
    pub selection: Selection,
    /// The YAML inventory of mail hosts, NAT and networks.
    pub inventory: Option<std::path::PathBuf>,
    /// Which findings are kept and how severe they are (from `zonelint.toml` and flags).
    pub policy: config::Policy,
    /// Where files named by other files may be.
    pub confinement: Confinement,
    /// Whether the run may set how the process's allocator places large blocks once the
    /// zones are loaded ([`memory::map_large_blocks`]), and give back the free memory
    /// loading left ([`memory::give_back_free_memory`]). Both are the whole process's:
    /// the command line asks for them, a program using the library decides.
    pub map_large_blocks: bool,
}

/// What files named by other files (not typed on the command line) may be read.
#[derive(Clone, Debug, Default)]
pub struct Confinement {
    /// The project: the directory of `zonelint.toml`, else the working directory.
    pub project_root: Option<std::path::PathBuf>,
    /// The inventory was named on the command line (`-i`), not in `zonelint.toml`.
    pub inventory_trusted: bool,
    /// `--allow-inventory-outside`: the inventory and the zones it names may lie
    /// anywhere.
    pub allow_inventory_outside: bool,
}

impl Confinement {
    /// Whether `path` lies inside `roots` (canonical directories), after symbolic
    /// links. A path that does not exist is judged by its nearest existing ancestor, so
    /// the answer does not tell whether it exists.
    pub fn inside(path: &std::path::Path, roots: &[std::path::PathBuf]) -> bool {
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(path)
        };
        let resolved = absolute.canonicalize().unwrap_or_else(|_| {
            let mut rest = Vec::new();
            let mut at = absolute.as_path();
            loop {
                if let Ok(c) = at.canonicalize() {
                    let mut out = c;
                    for part in rest.iter().rev() {
                        out.push(part);
                    }
                    break out;
                }
                match (at.parent(), at.file_name()) {
                    (Some(p), Some(name)) => {
                        rest.push(name.to_os_string());
                        at = p;
                    }
                    _ => break absolute.clone(),
                }
            }
        });
        let folded = std::path::PathBuf::from(discover::display_path(&resolved));
        roots.iter().any(|r| folded.starts_with(r))
    }
}

/// Why a check could not run (exit 2).
#[derive(Debug)]
pub enum CheckError {
    Load(LoadError),
    Inventory(inventory::InventoryError),
}

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckError::Load(e) => e.fmt(f),
            CheckError::Inventory(e) => e.fmt(f),
        }
    }
}

/// The outcome of a check: the zone set read and every finding, sorted by file, line,
/// column and code.
pub struct Report {
    pub set: ZoneSet,
    pub diagnostics: Vec<Diagnostic>,
    /// Findings hidden by `zonelint: disable` comments, for `--show-suppressed`.
    pub suppressed: Vec<suppress::Suppressed>,
    /// What discovery decided (which configurations named which files, what was
    /// skipped), for `-v`.
    pub notices: Vec<String>,
    /// Canonical directories being checked (the only ones `fix --write` writes in).
    pub roots: Vec<std::path::PathBuf>,
    /// Wall time spent reading and parsing, and running the rules.
    pub timings: Timings,
}

#[derive(Clone, Debug, Default)]
pub struct Timings {
    pub load: std::time::Duration,
    pub rules: std::time::Duration,
    /// Each stage on its own (`check --timings`).
    pub stages: Vec<timings::Stage>,
}

impl Report {
    /// Records accepted without a validator for their type, over all zones.
    pub fn unvalidated(&self) -> usize {
        self.set.zones.iter().map(|z| z.unvalidated).sum()
    }
}

/// Loads the zones at `paths` and runs every enabled rule.
pub fn check(paths: &[PathArg], options: &CheckOptions) -> Result<Report, CheckError> {
    let start = std::time::Instant::now();
    let mut watch = timings::Stopwatch::new();
    let confine = &options.confinement;
    // Where files named by files may be: the checked directories and the project.
    let mut roots: Vec<std::path::PathBuf> = paths
        .iter()
        .filter_map(|a| {
            let c = a.path.canonicalize().ok()?;
            Some(if c.is_dir() {
                c
            } else {
                c.parent().map(std::path::Path::to_path_buf).unwrap_or(c)
            })
        })
        .collect();
    if let Some(r) = confine
        .project_root
        .as_ref()
        .and_then(|r| r.canonicalize().ok())
    {
        roots.push(r);
    }
    let inventory = match &options.inventory {
        Some(p)
            if !confine.inventory_trusted
                && !confine.allow_inventory_outside
                && !Confinement::inside(p, &roots) =>
        {
            return Err(CheckError::Load(LoadError {
                message: format!(
                    "the inventory `{}` named in zonelint.toml is not a file zonelint may read: it lies outside the checked directories and the project",
                    p.display()
                ),
                hint: Some(
                    "name it with -i on the command line, or pass --allow-inventory-outside".into(),
                ),
            }));
        }
        Some(p) => Some(inventory::Inventory::load(p).map_err(CheckError::Inventory)?),
        None => None,
    };
    let mut refused = Vec::new();
    let mut paths = paths.to_vec();
    let mut load_options = options.load.clone();
    if let Some(inv) = &inventory {
        load_options.exclude.push(inv.path.clone());
        load_options.views.extend(inv.views.iter().cloned());
        for z in &inv.zones {
            if !confine.allow_inventory_outside && !Confinement::inside(&z.path, &roots) {
                refused.push(z.clone());
                continue;
            }
            paths.push(PathArg {
                path: z.path.clone(),
                origin: z.origin.clone(),
                view: z.view,
            });
        }
    }
    let mut loaded = load::load(&paths, &load_options, &mut watch).map_err(CheckError::Load)?;
    if let Some(inv) = inventory {
        let id = loaded.set.sources.add(source::Source::in_memory(
            inv.path.to_string_lossy().into_owned(),
            inv.path.clone(),
            inv.text.as_bytes().into(),
        ));
        for z in refused {
            loaded.diagnostics.push(
                Diagnostic::new(
                    "LOAD002",
                    diagnostic::Location { source: id, span: z.span },
                    format!(
                        "`{}` is not a file zonelint may read: it lies outside the checked directories and the project",
                        z.path.display()
                    ),
                )
                .with_label("not read")
                .with_help("name the file on the command line, or pass --allow-inventory-outside"),
            );
        }
        loaded.set.inventory = Some((inv, id));
    }
    let load_time = start.elapsed();
    let selection = Selection {
        only: options.policy.select.clone(),
        skip: options.policy.ignore.clone(),
        ..options.selection.clone()
    };
    let mut from_loading = loaded.diagnostics;
    from_loading.retain(|d| selection.enabled(d.code));
    if options.map_large_blocks {
        memory::map_large_blocks();
        memory::give_back_free_memory();
    }
    // The loader's few findings join the rules' many (the sort below puts them in their
    // places).
    let mut diagnostics = rules::run_timed(&loaded.set, &selection, from_loading, &mut watch);
    let rules_time = start.elapsed() - load_time;
    let suppressed = suppress::apply(&loaded.set, &mut diagnostics, |code| {
        options.selection.enabled(code) && options.policy.enabled(code)
    });
    options.policy.apply(&mut diagnostics, &loaded.set.sources);
    hold_back_signed_zone_fixes(&loaded.set, &mut diagnostics);
    hold_back_transcoded_fixes(&loaded.set, &mut diagnostics);
    sort_diagnostics(&loaded.set.sources, &mut diagnostics);
    watch.lap("suppress, sort");
    let timings = Timings {
        load: load_time,
        rules: rules_time,
        stages: watch.stages,
    };
    Ok(Report {
        set: loaded.set,
        diagnostics,
        suppressed,
        notices: loaded.notices,
        roots: loaded.roots,
        timings,
    })
}

/// The report order: file, position, code, message.
pub fn sort_diagnostics(sources: &source::Sources, diagnostics: &mut [Diagnostic]) {
    // Each source's place among the sources in name order, worked out once: comparing
    // two file names for every pair the sort compares costs more than the rest.
    let mut by_name: Vec<u32> = (0..sources.len() as u32).collect();
    by_name.sort_by(|&a, &b| sources.display(a).cmp(sources.display(b)));
    let mut rank = vec![0u32; sources.len()];
    for (place, &id) in by_name.iter().enumerate() {
        rank[id as usize] = place as u32;
    }
    // Sources with the same name share the rank of the first of them.
    for pair in by_name.windows(2) {
        if sources.display(pair[0]) == sources.display(pair[1]) {
            rank[pair[1] as usize] = rank[pair[0] as usize];
        }
    }
    let rank_of = |id: u32| rank.get(id as usize).copied().unwrap_or(u32::MAX);
    // Small keys are sorted, not the findings themselves (large, and scattered in
    // memory); the last key, the finding's place, keeps equal findings in order.
    let mut keys: Vec<(u32, u32, &'static str, usize)> = diagnostics
        .iter()
        .enumerate()
        .map(|(i, d)| (rank_of(d.location.source), d.location.span.start, d.code, i))
        .collect();
    keys.sort_unstable_by(|a, b| {
        (a.0, a.1, a.2)
            .cmp(&(b.0, b.1, b.2))
            .then_with(|| diagnostics[a.3].message.cmp(&diagnostics[b.3].message))
            .then(a.3.cmp(&b.3))
    });
    let mut from: Vec<usize> = keys.into_iter().map(|k| k.3).collect();
    permute(diagnostics, &mut from);
}

/// Puts the item at `from[k]` at place `k`, for every `k`, moving each item once (by
/// following the permutation's cycles). `from` is used up.
fn permute<T>(items: &mut [T], from: &mut [usize]) {
    const DONE: usize = usize::MAX;
    for start in 0..items.len() {
        let mut at = start;
        // The item first at `start` moves along the cycle until its place comes up.
        while from[at] != DONE {
            let source = std::mem::replace(&mut from[at], DONE);
            if source == start {
                break;
            }
            items.swap(at, source);
            at = source;
        }
    }
}

/// A file zonelint decoded (UTF-16) is never edited: its edits are offsets into the
/// decoded text, not into the file's bytes. Its fixes are only shown.
fn hold_back_transcoded_fixes(set: &ZoneSet, diagnostics: &mut [Diagnostic]) {
    for d in diagnostics {
        if let Some(f) = d.fix_mut()
            && f.applicability != fix::Applicability::DisplayOnly
            && f.edits.iter().any(|e| set.sources.get(e.source).transcoded)
        {
            f.applicability = fix::Applicability::DisplayOnly;
            f.title.push_str(
                " (not applied: the file is UTF-16, which zonelint reads but does not write; convert it to UTF-8 to apply fixes)",
            );
        }
    }
}

/// A zone with DNSSEC signatures is never edited: any edit invalidates them. Its fixes
/// are only shown.
fn hold_back_signed_zone_fixes(set: &ZoneSet, diagnostics: &mut [Diagnostic]) {
    let signed: std::collections::HashSet<u32> = set
        .zones
        .iter()
        .filter(|z| rules::edits::is_signed(z))
        .flat_map(|z| z.sources.iter().copied())
        .collect();
    if signed.is_empty() {
        return;
    }
    for d in diagnostics {
        if let Some(f) = d.fix_mut()
            && f.edits.iter().any(|e| signed.contains(&e.source))
        {
            f.applicability = fix::Applicability::DisplayOnly;
            f.title.push_str(
                " (not applied: the zone is signed, and any edit would invalidate its signatures)",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permuting_puts_each_item_where_it_is_asked_for() {
        // Fixed points, a swap, a long cycle, and all of them at once.
        for from in [
            vec![0, 1, 2, 3, 4, 5],
            vec![1, 0, 2, 3, 4, 5],
            vec![1, 2, 3, 4, 5, 0],
            vec![5, 0, 1, 2, 3, 4],
            vec![2, 0, 1, 3, 5, 4],
        ] {
            let mut items: Vec<char> = "abcdef".chars().collect();
            let expected: Vec<char> = from.iter().map(|&i| items[i]).collect();
            permute(&mut items, &mut from.clone());
            assert_eq!(items, expected, "{from:?}");
        }
    }

    #[test]
    fn findings_sort_by_file_name_place_code_message_then_as_found() {
        let mut sources = source::Sources::default();
        let b = sources.add(source::Source::in_memory(
            "b.zone".into(),
            "b.zone".into(),
            b"".as_slice().into(),
        ));
        let a = sources.add(source::Source::in_memory(
            "a.zone".into(),
            "a.zone".into(),
            b"".as_slice().into(),
        ));
        let at = |source, start: usize, code, message: &str, label: &str| {
            Diagnostic::new(
                code,
                diagnostic::Location {
                    source,
                    span: span::Span::new(start, start + 1),
                },
                message,
            )
            .with_label(label.to_string())
        };
        let mut found = vec![
            at(b, 1, "ZONE001", "m", "1"),
            at(a, 9, "ZONE001", "m", "2"),
            at(a, 1, "ZONE002", "m", "3"),
            at(a, 1, "ZONE001", "z", "4"),
            at(a, 1, "ZONE001", "m", "5"),
            at(a, 1, "ZONE001", "m", "6"),
        ];
        sort_diagnostics(&sources, &mut found);
        let labels: Vec<&str> = found.iter().map(|d| d.label()).collect();
        assert_eq!(labels, ["5", "6", "4", "3", "2", "1"]);
    }
}
