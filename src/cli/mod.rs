//! The command line: the arguments and their documentation (clap, here), and what `check`
//! does with them ([`check`]: the engine, the write layer and the reports wired together),
//! with its helpers: the settings and files it shows ([`show`]), "did you mean" ([`suggest`]),
//! the progress indicator ([`progress`]), the colour and CI environment ([`env`]). `main.rs`
//! holds the other subcommands and the exit code.

pub mod check;
pub mod env;
pub mod progress;
pub mod show;
pub mod stream;
pub mod suggest;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;

/// Lint Azure Durable Functions apps and migrate them to the Durable Task Scheduler.
#[derive(Debug, Parser)]
#[command(name = "dts-migrate", version = crate::facts::version_line(), about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check Functions apps (folders holding host.json) under the given paths.
    Check(CheckArgs),
    /// Show the documentation of a rule, or of every rule.
    Rule(RuleArgs),
    /// Write a commented dts-migrate.toml with every default.
    Init(InitArgs),
    /// Print the Azure-side steps of the migration for each durable app (never calls Azure).
    Plan(PlanArgs),
    /// Print a shell completion script (e.g. `dts-migrate completions bash > ~/.local/share/bash-completion/completions/dts-migrate`).
    Completions(CompletionsArgs),
    /// Print the man page (roff) of dts-migrate (e.g. `dts-migrate man > dts-migrate.1`).
    Man,
}

/// `dts-migrate completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Output format of `dts-migrate plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// A script that runs unattended (bash, or PowerShell with --shell pwsh).
    Shell,
    /// A pull-request description: a section per app with its file changes and commands.
    Markdown,
    /// One JSON document (schema in docs/plan.schema.json).
    Json,
    /// A Bicep module: scheduler, task hubs, role assignments, app settings.
    Bicep,
}

/// The shell of `--format shell`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// bash (`set -euo pipefail`).
    Bash,
    /// PowerShell 7.3 or later.
    Pwsh,
}

/// `--sku`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SkuArg {
    /// Pay per use.
    Consumption,
    /// Reserved capacity units (see --capacity).
    Dedicated,
}

/// `dts-migrate plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Folders or files; a file selects the app that owns it.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Shell)]
    pub format: PlanFormat,
    /// The shell of --format shell.
    #[arg(long, value_enum, default_value_t = Shell::Bash)]
    pub shell: Shell,
    /// The resource group of the scheduler and the function apps.
    #[arg(long, value_name = "NAME")]
    pub resource_group: Option<String>,
    /// The scheduler's name, shared by the apps.
    #[arg(long, value_name = "NAME")]
    pub scheduler: Option<String>,
    /// The scheduler's region (e.g. westeurope).
    #[arg(long, value_name = "REGION")]
    pub location: Option<String>,
    /// The scheduler's SKU.
    #[arg(long, value_enum)]
    pub sku: Option<SkuArg>,
    /// Capacity units of a Dedicated scheduler.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub capacity: Option<u32>,
    /// The function app of each app: a template where {app} is the app folder's name
    /// (func-{app}), a TOML file mapping app paths or folder names to names, or one name.
    #[arg(long, value_name = "TEMPLATE|FILE")]
    pub app_name: Option<String>,
    /// The managed identity: system (each app's own) or a user-assigned identity's resource id.
    #[arg(long, value_name = "system|RESOURCE-ID", default_value = "system")]
    pub identity: String,
    /// The scheduler's IP allow-list (comma-separated; default 0.0.0.0/0).
    #[arg(long, value_name = "CIDR,...", value_delimiter = ',')]
    pub ip_allowlist: Vec<String>,
    /// Count unsafe fixes among the file changes `check --write` makes.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Write the plan to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output_file: Option<PathBuf>,
    /// Use this configuration file instead of the nearest dts-migrate.toml.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore every dts-migrate.toml.
    #[arg(long)]
    pub no_config: bool,
    /// Files larger than this many bytes are not read.
    #[arg(long, value_name = "BYTES", default_value_t = 5 * 1024 * 1024)]
    pub max_file_size: u64,
}

/// `dts-migrate init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to write dts-migrate.toml in.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Replace an existing dts-migrate.toml.
    #[arg(long)]
    pub force: bool,
    /// Print the JSON Schema of the configuration instead.
    #[arg(long)]
    pub schema: bool,
}

/// `--report FORMAT=PATH`: a report written to a file next to the console output.
#[derive(Debug, Clone)]
pub struct ReportFile {
    /// Its format.
    pub format: Format,
    /// Where it goes.
    pub path: PathBuf,
}

impl std::str::FromStr for ReportFile {
    type Err = String;

    fn from_str(s: &str) -> Result<ReportFile, String> {
        let (format, path) = s
            .split_once('=')
            .ok_or_else(|| format!("expected FORMAT=PATH, e.g. sarif=dts.sarif, not {s:?}"))?;
        let format = <Format as ValueEnum>::from_str(format, true).map_err(|_| {
            let names: Vec<String> = Format::value_variants()
                .iter()
                .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
                .collect();
            let hint = suggest::closest(format, names.iter().map(String::as_str))
                .map(|n| format!("did you mean {n}? "))
                .unwrap_or_default();
            format!(
                "unknown format {format:?} ({hint}one of {})",
                names.join(", ")
            )
        })?;
        if path.is_empty() {
            return Err("the report path is empty".to_string());
        }
        Ok(ReportFile {
            format,
            path: PathBuf::from(path),
        })
    }
}

/// Which findings fail the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Only errors.
    Error,
    /// Warnings and errors (default).
    Warning,
    /// Any finding.
    Info,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// When stdout is a terminal and NO_COLOR is unset or empty; FORCE_COLOR or CLICOLOR_FORCE
    /// turn it on when piped.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// CI annotations next to the console report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Annotations {
    /// GitHub Actions when GITHUB_ACTIONS=true, Azure Pipelines when TF_BUILD=True.
    Auto,
    /// Never.
    None,
    /// GitHub Actions workflow commands.
    Github,
    /// Azure Pipelines logging commands.
    Azure,
}

/// `dts-migrate check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Folders or files to check; a file selects the app that owns it.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Report only these rule codes or prefixes (comma-separated, e.g. DTS1,DTS501).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Vec<String>,
    /// Never report these rule codes or prefixes (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,
    /// Apply safe fixes in place (the migration), then report what remains (alias: --fix).
    #[arg(long, visible_alias = "fix", conflicts_with = "diff")]
    pub write: bool,
    /// Also apply fixes marked unsafe (with --write or --diff).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing (exit 1 when there is a diff).
    #[arg(long)]
    pub diff: bool,
    /// List every fix applied (with --write).
    #[arg(long)]
    pub show_fixes: bool,
    /// With --write: exit 1 when any fix was applied, even if nothing remains.
    #[arg(long)]
    pub exit_non_zero_on_fix: bool,
    /// Output format (alias: --output-format).
    #[arg(long, visible_alias = "output-format", value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output_file: Option<PathBuf>,
    /// Also write a report in FORMAT to PATH (repeatable), e.g. --report sarif=dts.sarif.
    #[arg(long, value_name = "FORMAT=PATH")]
    pub report: Vec<ReportFile>,
    /// Use this configuration file instead of the nearest dts-migrate.toml.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore every dts-migrate.toml.
    #[arg(long)]
    pub no_config: bool,
    /// CI annotations added to the console output: auto (GITHUB_ACTIONS / TF_BUILD), or none.
    #[arg(long, value_enum, default_value_t = Annotations::Auto)]
    pub annotations: Annotations,
    /// Lowest severity that makes the run fail (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Exit 0 even when findings remain (usage errors still exit 2, and a folder that cannot
    /// be read still exits 1).
    #[arg(long)]
    pub exit_zero: bool,
    /// Colour in the human report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Print findings only, without the summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// More detail: with --write, one line per app fixed and per app in the closing summary
    /// of the Azure steps, however many; the configuration files used, on stderr.
    #[arg(long, short)]
    pub verbose: bool,
    /// Print the number of findings per rule (count, code, name, [*] when fixable) on stdout
    /// instead of the report, as ruff does.
    #[arg(long, conflicts_with_all = ["diff", "show_settings", "show_files"])]
    pub statistics: bool,
    /// Print the configuration that applies and the dts-migrate.toml files it came from,
    /// then exit.
    #[arg(long, conflicts_with = "show_files")]
    pub show_settings: bool,
    /// Print each app found and the files it is made of, then exit.
    #[arg(long)]
    pub show_files: bool,
    /// Files larger than this many bytes are reported (DTS504) and not parsed.
    #[arg(long, value_name = "BYTES", default_value_t = 5 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Worker threads (0: one per core, up to 12; at most 256).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new()
            .range(0..=crate::discover::MAX_THREADS as u64)
    )]
    pub threads: usize,
}

/// Format of `dts-migrate rule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    /// Markdown text.
    Text,
    /// JSON.
    Json,
}

/// `dts-migrate rule`.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// The rule code (DTS101) or name (legacy-backend).
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub code: Option<String>,
    /// Every rule.
    #[arg(long)]
    pub all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DocFormat::Text)]
    pub format: DocFormat,
}
