//! What every command that reads a zone set does first: find the configuration, merge
//! the flags into it, run the check (with a progress line on terminals), and compare
//! with a git revision when asked.

use crate::cli::{CheckArgs, SetArgs};
use std::io::{self, IsTerminal};
use std::path::Path;
use std::process::ExitCode;
use zonelint::config::Config;
use zonelint::load::{LoadOptions, PathArg};
use zonelint::rules::Selection;
use zonelint::{CheckOptions, output};

/// A progress line on stderr for long runs: only when stderr is a terminal and not in
/// CI, and only once a run has taken half a second.
struct Progress {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start() -> Progress {
        use std::sync::atomic::{AtomicBool, Ordering};
        let done = std::sync::Arc::new(AtomicBool::new(false));
        let wanted = io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let thread = wanted.then(|| {
            let done = done.clone();
            std::thread::spawn(move || {
                let tick = std::time::Duration::from_millis(100);
                // park_timeout, not sleep: `finish` unparks, so a run never waits for a tick.
                let start = std::time::Instant::now();
                while start.elapsed() < tick * 5 {
                    if done.load(Ordering::Relaxed) {
                        return;
                    }
                    std::thread::park_timeout(tick);
                }
                let bar = indicatif::ProgressBar::new_spinner();
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
                );
                while !done.load(Ordering::Relaxed) {
                    let bytes = zonelint::load::BYTES_PARSED.load(Ordering::Relaxed);
                    bar.set_message(format!(
                        "checking: {:.1} MB of zone files parsed",
                        bytes as f64 / 1e6
                    ));
                    bar.tick();
                    std::thread::park_timeout(tick);
                }
                bar.finish_and_clear();
            })
        });
        Progress { done, thread }
    }

    fn finish(mut self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            t.thread().unpark();
            let _ = t.join();
        }
    }
}

/// Colour for a terminal, unless `NO_COLOR` is set (https://no-color.org).
pub fn wants_color(terminal: bool) -> bool {
    terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Splits `PATH=ORIGIN`, unless a file with the whole name exists.
fn path_arg(raw: &str) -> PathArg {
    if !Path::new(raw).exists()
        && let Some((path, origin)) = raw.rsplit_once('=')
        && !path.is_empty()
        && !origin.is_empty()
    {
        return PathArg::new(path, Some(origin.to_string()));
    }
    PathArg::new(raw, None)
}

/// The configuration a command runs with: `--config FILE`, else the nearest
/// `zonelint.toml`, else none (`--isolated`); then the flags that override it.
fn configuration(args: &SetArgs) -> Result<Config, ExitCode> {
    let color_err = wants_color(io::stderr().is_terminal());
    let path = if args.isolated {
        None
    } else if let Some(p) = &args.config {
        Some(p.clone())
    } else {
        std::env::current_dir()
            .ok()
            .and_then(|d| zonelint::config::discover(&d))
    };
    let mut config = match path {
        Some(p) => Config::load(&p).map_err(|e| {
            say_raw!("{}", output::human::config_error(&e, color_err));
            ExitCode::from(2)
        })?,
        None => Config::default(),
    };
    let codes = |list: &[String], flag: &str| -> Result<Vec<String>, ExitCode> {
        list.iter()
            .map(|c| {
                zonelint::config::rule_code(c).map_err(|message| {
                    say!("error: {flag}: {message}");
                    ExitCode::from(2)
                })
            })
            .collect()
    };
    if let Some(list) = &args.select {
        config.policy.select = Some(codes(list, "--select")?);
    }
    if let Some(list) = &args.ignore {
        config.policy.ignore = codes(list, "--ignore")?;
    }
    if args.inventory.is_some() {
        config.inventory = args.inventory.clone();
    }
    if args.preview {
        config.preview = Some(true);
    }
    if args.allow_doc_ranges {
        config.allow_doc_ranges = Some(true);
    }
    Ok(config)
}

/// Runs the check a command asks for, with the configuration's policy applied; `Err`
/// holds the exit code when it could not run.
pub fn checked(args: &SetArgs) -> Result<(zonelint::Report, Config), ExitCode> {
    let config = configuration(args)?;
    let (paths, options) = check_input(args, &config);
    let color_err = wants_color(io::stderr().is_terminal());
    let progress = Progress::start();
    let result = zonelint::check(&paths, &options);
    progress.finish();
    match result {
        Ok(report) => Ok((report, config)),
        Err(zonelint::CheckError::Inventory(e)) => {
            say_raw!("{}", output::human::inventory_error(&e, color_err));
            Err(ExitCode::from(2))
        }
        Err(zonelint::CheckError::Load(e)) => {
            say!("error: {}", e.message);
            if let Some(hint) = &e.hint {
                say!("  {hint}");
            }
            Err(ExitCode::from(2))
        }
    }
}

/// The paths and options a check runs with, from the flags and the configuration.
fn check_input(args: &SetArgs, config: &Config) -> (Vec<PathArg>, CheckOptions) {
    let mut exclude = Vec::new();
    if let Some(p) = &config.path {
        exclude.push(p.clone());
    }
    let options = CheckOptions {
        load: LoadOptions {
            origin: args.origin.clone(),
            include_base: args.include_base.clone(),
            allow_include_outside: args.allow_include_outside,
            exclude,
            origins: config.origins.clone(),
            server_configs: args.server_config.clone(),
            views: Vec::new(),
            max_generated: config.max_generated,
        },
        selection: Selection {
            preview: config.preview.unwrap_or(false),
            allow_doc_ranges: config.allow_doc_ranges.unwrap_or(false),
            ..Default::default()
        },
        inventory: config.inventory.clone(),
        policy: config.policy.clone(),
        confinement: zonelint::Confinement {
            project_root: config
                .path
                .as_ref()
                .and_then(|p| p.parent().map(Path::to_path_buf))
                .or_else(|| std::env::current_dir().ok()),
            inventory_trusted: args.inventory.is_some(),
            allow_inventory_outside: args.allow_inventory_outside,
        },
        map_large_blocks: true,
    };
    let paths: Vec<PathArg> = args.paths.iter().map(|p| path_arg(p)).collect();
    (paths, options)
}

/// `--changed-since`: adds SERIAL001 for zones changed without a higher serial and,
/// with `--new-only`, drops the findings the revision already had.
pub fn compare_with_revision(
    args: &CheckArgs,
    config: &Config,
    report: &mut zonelint::Report,
) -> Result<(), ExitCode> {
    let Some(revision) = &args.changed_since else {
        return Ok(());
    };
    let (paths, options) = check_input(&args.set, config);
    let baseline = zonelint::history::Baseline::load(revision, &paths, &options).map_err(|e| {
        say!("error: {e}");
        ExitCode::from(2)
    })?;
    if args.new_only {
        baseline.keep_new(report);
    }
    let mut serial = baseline.serial_findings(report);
    options.policy.apply(&mut serial, &report.set.sources);
    report.diagnostics.extend(serial);
    zonelint::sort_diagnostics(&report.set.sources, &mut report.diagnostics);
    Ok(())
}
