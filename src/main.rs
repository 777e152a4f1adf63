//! Thin entry point: parse arguments, call the library, map the result to an exit code.

/// A line on stderr, with anything that came from input escaped (it is one line,
/// whatever it holds). A closed stderr (`2>&1 | head`) is no reason to panic: the line
/// is dropped.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = format!($($arg)*);
        let _ = writeln!(std::io::stderr(), "{}", zonelint::output::escape::text(&line));
    }};
}

/// Text on stderr as it is (already a whole report), dropped if stderr is closed.
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

mod cli;
mod session;

use clap::{CommandFactory as _, Parser as _};
use cli::{CheckArgs, Cli, Command, FailOn, FixArgs, Format, Generate};
use session::{checked, compare_with_revision, wants_color};
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use zonelint::diagnostic::Severity;
use zonelint::fix::{self, Applicability};
use zonelint::output;
use zonelint::rules::RULES;

fn main() -> ExitCode {
    // An interrupted run leaves no temporary file or tree behind.
    let _ = ctrlc::set_handler(|| {
        zonelint::write::Cleanup::run();
        std::process::exit(130);
    });
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => run_check(args),
        Command::Fix(args) => run_fix(args),
        Command::Generate(Generate::Ptr(args)) => run_generate_ptr(args),
        Command::Rules => print_quietly(|out| {
            for r in RULES {
                let preview = if r.preview { " (preview)" } else { "" };
                writeln!(
                    out,
                    "{:<8} {:<8} {}{preview}",
                    r.code,
                    r.severity.as_str(),
                    r.summary
                )?;
            }
            Ok(())
        }),
        Command::Completions { shell } => print_quietly(|out| {
            // clap_complete panics when its writer fails: let it write to memory.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "zonelint", &mut script);
            out.write_all(&script)
        }),
        Command::Man => print_quietly(|out| clap_mangen::Man::new(Cli::command()).render(out)),
        Command::Explain { code } => match zonelint::rules::rule(&code) {
            Some(r) => print_quietly(|out| {
                writeln!(
                    out,
                    "# {} ({}): {}\n\nFix: {}.\n\n{}",
                    r.code,
                    r.severity,
                    r.summary,
                    r.fix.describe(),
                    r.explanation()
                )
            }),
            None => {
                say!("error: unknown rule code `{code}`; `zonelint rules` lists them");
                ExitCode::from(2)
            }
        },
    }
}

/// Runs a printer; a closed pipe (`| head`) ends the output quietly.
fn print_quietly(f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> ExitCode {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match f(&mut out).and_then(|_| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            say!("error: cannot write output: {e}");
            ExitCode::from(2)
        }
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    let (mut report, config) = match checked(&args.set) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if let Err(code) = compare_with_revision(&args, &config, &mut report) {
        return code;
    }
    let threshold = match args.fail_on {
        Some(FailOn::Error) => Severity::Error,
        Some(FailOn::Warning) => Severity::Warning,
        Some(FailOn::Info) => Severity::Info,
        None => config.fail_on.unwrap_or(Severity::Error),
    };
    let failed = report.diagnostics.iter().any(|d| d.severity >= threshold);
    if args.show_suppressed {
        let sources = &report.set.sources;
        for s in &report.suppressed {
            let p = output::position(sources, s.diagnostic.location);
            let by = output::position(sources, s.by);
            say!(
                "suppressed: {}:{}:{}: {}[{}] {} (by the directive at {}:{})",
                sources.display(s.diagnostic.location.source),
                p.line,
                p.column,
                s.diagnostic.severity,
                s.diagnostic.code,
                s.diagnostic.message,
                sources.display(s.by.source),
                by.line
            );
        }
        say!("{} finding(s) suppressed", report.suppressed.len());
    }
    if args.set.verbose {
        for n in &report.notices {
            say!("note: {n}");
        }
        say!(
            "note: read and parsed {} record(s) in {} file(s) in {:.0?}, ran the rules in {:.0?}",
            report.set.record_count(),
            report.set.sources.len(),
            report.timings.load,
            report.timings.rules
        );
        let n = report.unvalidated();
        if n > 0 {
            say!(
                "note: {n} record(s) of types zonelint does not validate yet were accepted unchecked"
            );
        }
    }
    let output_started = std::time::Instant::now();
    let render = |format: Format, out: &mut dyn Write, color: bool| match format {
        Format::Human => output::human::write(&report, out, color),
        Format::Concise => output::concise::write(&report, out),
        Format::Json => output::json::write(&report, out),
        Format::Sarif => output::sarif::write(&report, out),
        Format::Github => output::github::write(&report, out),
    };
    if let Some(path) = &args.output {
        if let Some(input) = is_an_input(&report, path) {
            say!(
                "error: --output `{}` is `{input}`, which this run reads; choose another file",
                path.display()
            );
            return ExitCode::from(2);
        }
        let mut bytes = Vec::new();
        if let Err(e) = render(args.format, &mut bytes, false) {
            say!("error: cannot render the report: {e}");
            return ExitCode::from(2);
        }
        if let Err(e) = zonelint::write::write_output(path, &bytes) {
            say!("error: {e}");
            return ExitCode::from(2);
        }
        let mut log = Vec::new();
        let color_err = wants_color(io::stderr().is_terminal());
        if render(Format::Human, &mut log, color_err).is_ok() {
            let _ = io::stderr().write_all(&log);
        }
    } else {
        let color = wants_color(io::stdout().is_terminal());
        let printed = print_quietly(|out| render(args.format, out, color));
        if printed != ExitCode::SUCCESS {
            return printed;
        }
    }
    if args.timings {
        let mut stages = report.timings.stages.clone();
        stages.push(zonelint::timings::Stage::ended(
            "output",
            output_started.elapsed(),
        ));
        let _ = io::stderr().write_all(zonelint::timings::table(&stages).as_bytes());
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The input file (a zone, an include, the inventory, a configuration) that `path` is,
/// if it is one.
fn is_an_input(report: &zonelint::Report, path: &std::path::Path) -> Option<String> {
    let wanted = path.canonicalize().ok()?;
    report
        .set
        .sources
        .files
        .iter()
        .find(|s| s.path.canonicalize().is_ok_and(|c| c == wanted))
        .map(|s| s.display.clone())
}

fn run_fix(args: FixArgs) -> ExitCode {
    let (report, _) = match checked(&args.set) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let allow = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let plan = fix::plan(&report, allow, fix::today());
    let held_back = plan.held_back_note();
    if !plan.stale.is_empty() {
        for file in &plan.stale {
            say!("error: `{file}` changed since zonelint read it; its fixes were not applied");
        }
        say!("nothing written: run zonelint again on the new version");
        return ExitCode::from(2);
    }
    if plan.changes.is_empty() {
        if !report.diagnostics.is_empty() {
            say!(
                "{} finding(s), none fixable with the options given",
                report.diagnostics.len()
            );
        }
        if !held_back.is_empty() {
            say!("{held_back}");
        }
        return ExitCode::SUCCESS;
    }
    if !held_back.is_empty() {
        say!("{held_back}");
    }
    if args.write {
        let replacements: Vec<zonelint::write::Replacement> = plan
            .changes
            .iter()
            .map(|c| zonelint::write::Replacement {
                display: &c.display,
                path: &c.path,
                old: &c.old,
                new: &c.new,
            })
            .collect();
        let policy = zonelint::write::WritePolicy {
            roots: report.roots.clone(),
            allow_hardlinks: args.write_hardlinks,
        };
        return match zonelint::write::replace_all(
            &replacements,
            &policy,
            &zonelint::write::Hooks::default(),
        ) {
            Ok(written) => {
                say!(
                    "applied {} fix(es) to {} file(s): {}",
                    plan.applied,
                    written.files.len(),
                    written.files.join(", ")
                );
                for (file, kept) in &written.raced {
                    say!(
                        "error: `{file}` was changed by another writer while zonelint replaced it; that version is saved as `{}`",
                        kept.display()
                    );
                }
                if written.raced.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(2)
                }
            }
            Err(e) => {
                say!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    // On a terminal the diff is for reading: control characters from the files are
    // shown escaped. Piped, it is for `git apply`: byte for byte.
    let terminal = io::stdout().is_terminal();
    let printed = print_quietly(|out| {
        for change in &plan.changes {
            let diff = fix::unified_diff(&change.display, &change.old, &change.new);
            if terminal {
                for line in diff.lines() {
                    writeln!(out, "{}", output::escape::text(line))?;
                }
            } else {
                out.write_all(diff.as_bytes())?;
            }
        }
        Ok(())
    });
    if printed != ExitCode::SUCCESS {
        return printed;
    }
    ExitCode::from(1)
}

fn run_generate_ptr(args: cli::GeneratePtrArgs) -> ExitCode {
    use zonelint::generate::ptr::{self, Classless};
    let (report, config) = match checked(&args.set) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut asked = Vec::new();
    for n in &args.network {
        match n.parse::<ipnet::IpNet>() {
            Ok(net) => asked.push(net.trunc()),
            Err(_) => {
                say!("error: --network `{n}` is not a prefix such as 203.0.113.0/24");
                return ExitCode::from(2);
            }
        }
    }
    let indices = zonelint::model::index::SetIndex::build(&report.set);
    let plan = zonelint::rules::mail::plan::MailPlan::build(
        &report.set,
        &indices,
        config.allow_doc_ranges.unwrap_or(false),
    );
    let wanted = ptr::wanted(&report, &indices, &plan);
    for w in wanted.iter().filter(|w| !w.others.is_empty()) {
        say!(
            "note: {} has several names; its PTR names `{}`, not {}",
            w.address,
            w.name,
            w.others.join(", ")
        );
    }
    let nets = ptr::networks(&report, &asked, &wanted);
    let inventory_classless = |net: &ipnet::IpNet| {
        report
            .set
            .inventory
            .as_ref()
            .is_some_and(|(inv, _)| inv.networks.iter().any(|n| n.prefix == *net && n.rfc2317))
    };
    let style = if args.rfc2317_style == cli::ClasslessStyle::Dash {
        Classless::Dash
    } else {
        Classless::Slash
    };
    let selected: Vec<&ptr::Wanted> = wanted
        .iter()
        .filter(|w| nets.iter().any(|n| n.contains(&w.address)))
        .collect();
    let today = fix::today();
    let mut files: Vec<(String, String)> = Vec::new();
    match args.format {
        cli::PtrFormat::Csv => {
            let mut text = String::from("address,ptr_name,ttl\n");
            for w in &selected {
                text.push_str(&format!("{},{},{}\n", w.address, w.name, w.ttl));
            }
            files.push(("ptr.csv".into(), text));
        }
        cli::PtrFormat::Json => {
            let list: Vec<serde_json::Value> = selected
                .iter()
                .map(|w| serde_json::json!({"address": w.address.to_string(), "ptr_name": w.name, "ttl": w.ttl}))
                .collect();
            files.push((
                "ptr.json".into(),
                format!(
                    "{}\n",
                    serde_json::to_string_pretty(&list).unwrap_or_default()
                ),
            ));
        }
        cli::PtrFormat::Zone => {
            let zones = ptr::zones_to_write(
                &report,
                &nets,
                |net| args.rfc2317 || inventory_classless(net),
                style,
            );
            for zone in &zones {
                let records: Vec<&ptr::Wanted> = selected
                    .iter()
                    .copied()
                    .filter(|w| zone.network.contains(&w.address))
                    .collect();
                files.push((
                    format!("{}zone", zone.origin.replace('/', "-")),
                    ptr::zone_text(&report, zone, &zones, &records, today),
                ));
                // A zone written in the same run that holds the child (its parent, or a
                // shorter prefix) already has these CNAMEs.
                let parent_written = zone.parent.is_some()
                    && zones
                        .iter()
                        .any(|z| z.parent.is_none() && z.network.contains(&zone.network.network()));
                if !parent_written && let Some(cnames) = ptr::parent_cnames(zone, &records) {
                    files.push((
                        format!("{}cnames", zone.parent.clone().unwrap_or_default()),
                        cnames,
                    ));
                }
            }
        }
        cli::PtrFormat::Diff => {
            let (changes, extras, uncovered) = ptr::diff(&report, &indices, &selected, today);
            for e in &extras {
                say!("warning: PTR {e} is not called for by any forward record; left as it is");
            }
            if !uncovered.is_empty() {
                say!(
                    "note: {} address(es) have no reverse zone file in the set; use --format zone",
                    uncovered.len()
                );
            }
            let mut text = String::new();
            for c in &changes {
                text.push_str(&fix::unified_diff(&c.display, &c.old, &c.new));
            }
            let code = if text.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            };
            let printed = print_quietly(|out| out.write_all(text.as_bytes()));
            return if printed == ExitCode::SUCCESS {
                code
            } else {
                printed
            };
        }
    }
    if let Some(dir) = &args.out_dir {
        if let Err(e) = std::fs::create_dir_all(dir) {
            say!("error: cannot create `{}`: {e}", dir.display());
            return ExitCode::from(2);
        }
        for (name, text) in &files {
            if let Err(e) = std::fs::write(dir.join(name), text) {
                say!("error: cannot write `{}`: {e}", dir.join(name).display());
                return ExitCode::from(2);
            }
        }
        return ExitCode::SUCCESS;
    }
    print_quietly(|out| {
        for (i, (_, text)) in files.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            out.write_all(text.as_bytes())?;
        }
        Ok(())
    })
}
