//! Reading the zones discovery found: each zone's origin from the file's own text when
//! nothing else gave it, parsing in parallel, and merging the results into one
//! [`ZoneSet`].

use crate::diagnostic::{Diagnostic, Location};
use crate::discover::{self, Discovery, Skipped, ZoneFile, evidence, guess};
use crate::inventory::View;
use crate::model::zone::{OriginSource, ZoneSet};
use crate::span::Span;
use crate::syntax::parser::{IncludePolicy, ParsedZone, Parser};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Bytes of zone files parsed so far in this process, for a progress display. Only a
/// counter: nothing reads it to decide anything.
pub static BYTES_PARSED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// UTF-16 zone files (some Windows tools write them) are decoded in memory; larger
/// ones are refused.
const MAX_UTF16_BYTES: u64 = 256 << 20;

/// A path from the command line, with an origin when given as `PATH=ORIGIN`.
#[derive(Clone, Debug)]
pub struct PathArg {
    pub path: PathBuf,
    pub origin: Option<String>,
    /// The view the inventory gives this zone (external unless it says otherwise).
    pub view: View,
}

impl PathArg {
    pub fn new(path: impl Into<PathBuf>, origin: Option<String>) -> PathArg {
        PathArg {
            path: path.into(),
            origin,
            view: View::External,
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
    /// Server configurations named with `--server-config`.
    pub server_configs: Vec<PathBuf>,
    /// Server views the inventory says are internal or external.
    pub views: Vec<(String, View)>,
    /// `max-generated-records`: the `$GENERATE` budget of one zone.
    pub max_generated: Option<u64>,
}

/// The tool could not do its job: exit 2.
#[derive(Debug)]
pub struct LoadError {
    pub message: String,
    /// What to do about it, shown on a line of its own.
    pub hint: Option<String>,
}

impl LoadError {
    pub fn new(message: impl Into<String>) -> LoadError {
        LoadError {
            message: message.into(),
            hint: None,
        }
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

pub struct Loaded {
    pub set: ZoneSet,
    /// Canonical directories being checked: where files may be written.
    pub roots: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
    /// What discovery decided and why, for `-v`.
    pub notices: Vec<String>,
}

/// The message for a run that found nothing to check.
fn nothing_found(paths: &[PathArg], configs: &[String], skipped: &[Skipped]) -> LoadError {
    let given: Vec<String> = paths
        .iter()
        .map(|p| format!("`{}`", p.path.display()))
        .collect();
    let mut message = format!("no zone files found in {}", given.join(", "));
    if !configs.is_empty() {
        let names: Vec<String> = configs.iter().map(|c| format!("`{c}`")).collect();
        message.push_str(&format!(
            "; the server configuration ({}) names no primary zone whose file is there (`-v` says why)",
            names.join(", ")
        ));
    }
    if !skipped.is_empty() {
        let names: Vec<String> = skipped
            .iter()
            .take(5)
            .map(|s| format!("`{}` ({})", s.display, s.why))
            .collect();
        let more = skipped.len().saturating_sub(5);
        message.push_str(&format!("; skipped {}", names.join(", ")));
        if more > 0 {
            message.push_str(&format!(" and {more} more"));
        }
    }
    LoadError {
        message,
        hint: Some("to check a file whatever its name, name it (`zonelint check FILE=ORIGIN`), add it to `[origins]` in zonelint.toml, or point at the server's configuration with `--server-config FILE`".into()),
    }
}

/// Reads every zone named by `paths` and returns the zone set and the parse findings.
pub fn load(
    paths: &[PathArg],
    opts: &LoadOptions,
    watch: &mut crate::timings::Stopwatch,
) -> Result<Loaded, LoadError> {
    let Discovery {
        zones: files,
        roots,
        sources: config_sources,
        diagnostics: config_findings,
        notices,
        skipped,
    } = discover::discover(paths, opts)?;
    watch.lap("discover (walk, configurations)");
    if files.is_empty() {
        let configs: Vec<String> = config_sources
            .files
            .iter()
            .map(|s| s.display.clone())
            .collect();
        return Err(nothing_found(paths, &configs, &skipped));
    }
    let checked_roots = roots.clone();
    let mut allowed_roots = roots;
    let mut include_bases = Vec::new();
    if let Some(base) = &opts.include_base {
        let c = base.canonicalize().map_err(|e| {
            LoadError::new(format!(
                "cannot read --include-base `{}`: {e}",
                base.display()
            ))
        })?;
        allowed_roots.push(c);
        include_bases.push(base.clone());
    }
    let policy = IncludePolicy {
        include_bases,
        allowed_roots,
        allow_outside: opts.allow_include_outside,
        max_generated: opts.max_generated,
    };
    // Largest files first, each a task of its own: a large file that starts last
    // keeps one core busy after the others are done. Results go back in file order.
    let mut by_size: Vec<(u64, usize)> = files
        .iter()
        .enumerate()
        .map(|(k, f)| (std::fs::metadata(&f.path).map_or(0, |m| m.len()), k))
        .collect();
    by_size.sort_unstable_by(|a, b| b.cmp(a));
    let mut results: Vec<(usize, Result<_, LoadError>)> = by_size
        .par_iter()
        .with_max_len(1)
        .map(|&(_, k)| {
            let f = &files[k];
            let mut zone_policy = policy.clone();
            if let Some(b) = &f.include_base {
                zone_policy.include_bases.insert(0, b.clone());
            }
            let parsed = parse_zone_file(f, &zone_policy)
                .map(|p| (p, f.explicit, f.path.canonicalize().ok()));
            (k, parsed)
        })
        .collect();
    results.sort_unstable_by_key(|&(k, _)| k);
    let parsed_zones = results
        .into_iter()
        .map(|(_, r)| r)
        .collect::<Result<Vec<_>, LoadError>>()?;
    watch.lap("read, tokenize, parse, intern");
    let joined = crate::syntax::split::JOIN_NANOS.swap(0, std::sync::atomic::Ordering::Relaxed);
    if joined > 0 {
        watch.add_cpu(
            "  of which: join split parts",
            std::time::Duration::from_nanos(joined),
        );
    }
    let included: HashSet<PathBuf> = parsed_zones
        .iter()
        .flat_map(|(p, _, _)| p.included.iter().cloned())
        .collect();
    let mut sources = config_sources;
    let mut by_path: HashMap<PathBuf, u32> = HashMap::new();
    let mut zones = Vec::new();
    let mut diagnostics = config_findings;
    for (mut p, explicit, canonical) in parsed_zones {
        if !explicit && canonical.is_some_and(|c| included.contains(&c)) {
            continue;
        }
        // One source per file: a file several zones read (a template, a shared
        // include) is one file in every report, and fixes edit it once.
        let ids: Vec<u32> = p
            .sources
            .files
            .drain(..)
            .map(|s| {
                let key = s.path.canonicalize().unwrap_or_else(|_| s.path.clone());
                *by_path.entry(key).or_insert_with(|| sources.add(s))
            })
            .collect();
        p.zone.renumber_sources(|s| ids[s as usize]);
        for mut d in p.diagnostics {
            d.location.source = ids[d.location.source as usize];
            for r in d.related_mut() {
                r.location.source = ids[r.location.source as usize];
            }
            diagnostics.push(d);
        }
        zones.push(p.zone);
    }
    dedupe(&mut diagnostics);
    let set = ZoneSet::new(zones, sources);
    watch.lap("assemble the zone set");
    Ok(Loaded {
        set,
        roots: checked_roots,
        diagnostics,
        notices,
    })
}

/// Drops findings that are the same finding twice (one file read by several zones).
fn dedupe(diagnostics: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    diagnostics.retain(|d| {
        seen.insert((
            d.code,
            d.location.source,
            d.location.span,
            d.message.clone(),
        ))
    });
}

/// The first bytes of a file (at most `limit`), for origin evidence.
fn head(path: &Path, limit: usize) -> std::io::Result<Vec<u8>> {
    crate::files::head(path, limit)
}

/// UTF-16 text with a byte order mark, as UTF-8; `None` for anything else.
fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let little = bytes.starts_with(&[0xFF, 0xFE]);
    if !little && !bytes.starts_with(&[0xFE, 0xFF]) {
        return None;
    }
    let units = bytes[2..].chunks_exact(2).map(|c| {
        if little {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{FFFD}'))
            .collect(),
    )
}

fn parse_zone_file(f: &ZoneFile, policy: &IncludePolicy) -> Result<ParsedZone, LoadError> {
    let unreadable =
        |e: std::io::Error| LoadError::new(format!("cannot read `{}`: {e}", f.display));
    let meta = std::fs::metadata(&f.path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(LoadError::new(format!(
            "`{}` is not a regular file",
            f.display
        )));
    }
    let head = head(&f.path, evidence::SCAN_LIMIT).map_err(unreadable)?;
    let utf16 = if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        if meta.len() > MAX_UTF16_BYTES {
            return Err(LoadError::new(format!(
                "`{}` is UTF-16 text larger than {} MiB; convert it to UTF-8",
                f.display,
                MAX_UTF16_BYTES >> 20
            )));
        }
        let bytes = crate::files::read(&f.path).map_err(unreadable)?;
        decode_utf16(&bytes)
    } else {
        None
    };
    let text_head = utf16.as_ref().map_or(&head[..], |t| t.as_bytes());
    let at_eof = utf16.is_some() || head.len() < evidence::SCAN_LIMIT;
    let mut refused_guess = None;
    let (origin, source) = match &f.origin {
        Some((o, s)) => (o.clone(), *s),
        None => match evidence::from_text(text_head, at_eof) {
            Some(found) => found,
            None => match guess::from_file_name(&f.path) {
                Ok(o) => (o, OriginSource::FileName),
                Err(why) => {
                    refused_guess = Some(why);
                    (".".to_string(), OriginSource::Unknown)
                }
            },
        },
    };
    let mut parsed = match utf16 {
        Some(text) => {
            let mut p = Parser::parse_bytes(
                &f.path,
                f.display.clone(),
                text.into_bytes().into(),
                &origin,
                source,
                policy,
            );
            p.sources.files[0].transcoded = true;
            p
        }
        None => Parser::parse_file(&f.path, f.display.clone(), &origin, source, policy)
            .map_err(unreadable)?,
    };
    parsed.zone.view = f.view;
    parsed.zone.view_name = f.view_name.clone();
    let main = parsed.zone.source;
    if parsed.zone.records.is_empty()
        && parsed
            .diagnostics
            .iter()
            .any(|d| d.location.source == main && d.code.starts_with("SYN"))
    {
        parsed.sources.files[main as usize].garbled = true;
    }
    let at = Location {
        source: parsed.zone.source,
        span: Span::new(0, 0),
    };
    let help = format!(
        "give the origin: `zonelint check '{}=ORIGIN'`, an `[origins]` entry in zonelint.toml, or the server's configuration with `--server-config FILE`",
        f.display
    );
    if let Some(why) = refused_guess {
        parsed.diagnostics.push(
            Diagnostic::new(
                "LOAD001",
                at,
                format!(
                    "cannot tell the origin of `{}`: no server configuration names it, it has no SOA with an absolute owner, no `$ORIGIN` before its first record, and its name does not say ({why})",
                    f.display
                ),
            )
            .with_help(help),
        );
    } else if source == OriginSource::FileName
        && let Some(why) = guess::contradiction(&parsed.zone)
    {
        parsed.zone.origin_source = OriginSource::Unknown;
        parsed.diagnostics.push(
            Diagnostic::new(
                "LOAD001",
                at,
                format!(
                    "the origin `{origin}` was only guessed from the file name `{}`, and the file does not fit it: {why}",
                    f.display
                ),
            )
            .with_help(help),
        );
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(
            "@ SOA a b 1 2 3 4 5\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        assert_eq!(decode_utf16(&le).unwrap(), "@ SOA a b 1 2 3 4 5\n");
        let mut be = vec![0xFE, 0xFF];
        be.extend("x".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode_utf16(&be).unwrap(), "x");
        assert_eq!(decode_utf16(b"plain"), None);
    }

    #[test]
    fn an_empty_run_names_what_it_skipped() {
        let skipped: Vec<Skipped> = (0..7)
            .map(|i| Skipped {
                display: format!("f{i}"),
                why: "why".into(),
            })
            .collect();
        let e = nothing_found(&[PathArg::new("repo", None)], &[], &skipped);
        assert!(e.message.starts_with("no zone files found in `repo`"));
        assert!(e.message.contains("`f4` (why)") && !e.message.contains("`f5`"));
        assert!(e.message.contains("and 2 more"));
        assert!(e.hint.unwrap().contains("--server-config"));
        let e = nothing_found(&[PathArg::new("etc", None)], &["etc/nsd.conf".into()], &[]);
        assert!(
            e.message
                .contains("configuration (`etc/nsd.conf`) names no primary zone"),
            "{}",
            e.message
        );
    }
}
