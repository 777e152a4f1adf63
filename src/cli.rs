//! Command-line interface (clap derive).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "zonelint",
    version,
    about = "Lint authoritative DNS zones: structure, syntax, forward/reverse and mail consistency; write the corrections"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check zone files and directories and report findings.
    Check(CheckArgs),
    /// Print the corrections as a unified diff, or write them with --write.
    ///
    /// Safe fixes apply by default, unsafe ones with --unsafe-fixes; display-only ones
    /// are described by `check` and never applied. A zone signed with DNSSEC (RRSIG,
    /// NSEC or NSEC3 records) is never edited, since any edit invalidates its
    /// signatures: its fixes are display-only. Each changed zone's SOA serial is raised
    /// once (SOURCE_DATE_EPOCH sets "today" for date serials).
    Fix(FixArgs),
    /// Generate records from the zone set: `generate ptr`.
    #[command(subcommand)]
    Generate(Generate),
    /// List every rule with its default severity and summary.
    Rules,
    /// Print the documentation of a rule.
    Explain {
        /// A rule code such as ZONE004.
        code: String,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `zonelint man > zonelint.1`.
    Man,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Reports with the source lines, labels and fixes.
    Human,
    /// One line per finding: `file:line:column: severity CODE message`.
    Concise,
    /// The zonelint JSON report (schema in the README).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands, for annotations on a pull request.
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

/// What every command that reads a zone set takes.
#[derive(Args, Debug)]
pub struct SetArgs {
    /// Zone files or directories; `PATH=ORIGIN` gives a file's origin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// The origin of the single zone file given.
    #[arg(long, value_name = "ORIGIN")]
    pub origin: Option<String>,
    /// Directory for relative `$INCLUDE` paths not found beside the including file.
    #[arg(long, value_name = "DIR")]
    pub include_base: Option<PathBuf>,
    /// Let `$INCLUDE` read files outside the directories being checked.
    #[arg(long)]
    pub allow_include_outside: bool,
    /// A server configuration (named.conf, knot.conf, nsd.conf) that says which zones
    /// the files hold (repeatable). Those in the checked directories are read anyway.
    #[arg(long, value_name = "FILE")]
    pub server_config: Vec<PathBuf>,
    /// Let the inventory named in zonelint.toml, and the zone files an inventory names,
    /// lie outside the checked directories and the project.
    #[arg(long)]
    pub allow_inventory_outside: bool,
    /// YAML inventory of mail domains, mail hosts, NAT mappings and networks.
    #[arg(short, long, value_name = "FILE")]
    pub inventory: Option<PathBuf>,
    /// Enable preview rules.
    #[arg(long)]
    pub preview: bool,
    /// Count the documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
    /// 2001:db8::/32) as public addresses, as examples and tests need.
    #[arg(long)]
    pub allow_doc_ranges: bool,
    /// Say more: timings, records accepted without validation.
    #[arg(short, long)]
    pub verbose: bool,
    /// Report only these codes or prefixes (comma-separated); replaces the config's `select`.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Option<Vec<String>>,
    /// Do not report these codes or prefixes; replaces the config's `ignore`.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Option<Vec<String>>,
    /// Read this configuration file instead of the nearest `zonelint.toml`.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long)]
    pub isolated: bool,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub set: SetArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 1 when a finding of this severity or higher is reported.
    /// [default: error, or the config's `fail-on`]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Compare with git revision REV: a zone changed since without a higher SOA serial
    /// is SERIAL001.
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// With --changed-since: report only findings REV did not already have.
    #[arg(long, requires = "changed_since")]
    pub new_only: bool,
    /// List on stderr the findings `zonelint: disable` comments suppressed.
    #[arg(long)]
    pub show_suppressed: bool,
    /// Write the report to FILE (atomically) and the human report to stderr.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Print on stderr the wall time, CPU time and peak memory of each stage of the run
    /// (discovery, parsing, index, each rule family, output).
    #[arg(long)]
    pub timings: bool,
}

#[derive(Args, Debug)]
pub struct FixArgs {
    #[command(flatten)]
    pub set: SetArgs,
    /// Also apply fixes that change what is published (add a PTR, rewrite a target).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Write the corrected files (atomically, all or none) instead of printing the diff.
    #[arg(long)]
    pub write: bool,
    /// With --write: also replace files that have other hard links (which keep the old
    /// text).
    #[arg(long, requires = "write")]
    pub write_hardlinks: bool,
}

#[derive(Subcommand, Debug)]
pub enum Generate {
    /// The PTR records the forward zones and the inventory call for.
    Ptr(GeneratePtrArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PtrFormat {
    /// Complete reverse zones.
    Zone,
    /// A unified diff against the reverse zone files of the set.
    Diff,
    /// `address,ptr_name,ttl` lines.
    Csv,
    /// A JSON list of {address, ptr_name, ttl}.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ClasslessStyle {
    /// `64/26.113.0.203.in-addr.arpa.` (RFC 2317 §4).
    Slash,
    /// `64-26.113.0.203.in-addr.arpa.`
    Dash,
}

#[derive(Args, Debug)]
pub struct GeneratePtrArgs {
    #[command(flatten)]
    pub set: SetArgs,
    /// Networks to write (repeatable); default: the inventory's, or the /24s and ip6
    /// /64s that hold the addresses.
    #[arg(long, value_name = "PREFIX")]
    pub network: Vec<String>,
    #[arg(long, value_enum, default_value_t = PtrFormat::Zone)]
    pub format: PtrFormat,
    /// Treat networks longer than /24 as RFC 2317 children (with the parent's CNAMEs).
    #[arg(long)]
    pub rfc2317: bool,
    /// How RFC 2317 child zones are named when the set does not show it.
    #[arg(long, value_enum, default_value_t = ClasslessStyle::Slash)]
    pub rfc2317_style: ClasslessStyle,
    /// Write one file per zone into DIR instead of printing.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}
