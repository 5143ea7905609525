//! The `dts-migrate` binary: arguments in, exit code out.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use dts_migrate::cli::{
    Annotations, CheckArgs, Cli, Color, Command, DocFormat, FailOn, InitArgs, PlanArgs, PlanFormat,
    RuleArgs, Shell, SkuArg,
};
use dts_migrate::config::{self, Config};
use dts_migrate::engine::{self, Options, Policy, Selection};
use dts_migrate::facts;
use dts_migrate::facts::Severity;
use dts_migrate::fix::Applicability;
use dts_migrate::plan::{self, AppNames, Identity, PlanOptions, Sku};
use dts_migrate::report::{self, Format, ReportContext};
use dts_migrate::rules::Edits;
use dts_migrate::source::display_path;
use dts_migrate::source::read::Limits;
use dts_migrate::write;

/// Many small allocations (parse trees, findings) from several threads: mimalloc spends a
/// fraction of the system allocator's time on them (`scripts/bench.sh`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code: usage error, unreadable path, or output that cannot be written.
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rule(args) => rule(args),
        Command::Init(args) => init(args),
        Command::Plan(args) => plan_command(args),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {}", report::console_text(message));
    ExitCode::from(EXIT_USAGE)
}

fn write_stdout(text: &str) -> Result<(), std::io::Error> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

/// Writes a report to the file the user named (`write::output`: never through a symlink,
/// atomically over a regular file, in place on a pipe or device); the error names the file.
fn write_file(
    path: &std::path::Path,
    body: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), String> {
    interrupts();
    let written = write::output::write_output(path, write::output::Existing::Replace, body);
    write::interrupt::exit_if_interrupted();
    written
}

/// From the first file written on, an interrupt removes the run's temporary files and leaves
/// every file whole (`write::interrupt`).
fn interrupts() {
    if let Err(err) = write::interrupt::install() {
        eprintln!(
            "warning: cannot handle interrupts ({}); an interrupt may leave .dts-migrate-*.tmp files behind",
            dts_migrate::source::read::io_reason(&err)
        );
    }
}

/// The configuration for this run: `--config`, else the nearest file above the first path.
fn load_config(args: &CheckArgs) -> Result<Config, config::ConfigError> {
    find_config(args.no_config, args.config.as_deref(), &args.paths)
}

/// `--no-config`, `--config PATH`, else the nearest file above the first of `paths`.
fn find_config(
    no_config: bool,
    config: Option<&std::path::Path>,
    paths: &[std::path::PathBuf],
) -> Result<Config, config::ConfigError> {
    if no_config {
        return Ok(Config::default());
    }
    let path = match config {
        Some(path) => Some(path.to_path_buf()),
        None => paths.first().and_then(|p| config::find(p)),
    };
    match path {
        Some(path) => config::load(&path),
        None => Ok(Config::default()),
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let config = match load_config(&args) {
        Ok(config) => config,
        Err(err) => return fail(&format!("invalid configuration: {err}")),
    };
    if facts::configure(config.migration.clone()).is_err() {
        return fail("the configuration was applied twice");
    }
    let normalise = |codes: &[String]| -> Vec<String> {
        codes
            .iter()
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .collect()
    };
    // --select replaces the configuration's selection; --ignore adds to its ignores.
    let select = if args.select.is_empty() {
        config.select.clone().unwrap_or_default()
    } else {
        normalise(&args.select)
    };
    let mut ignore = config.ignore.clone();
    ignore.extend(normalise(&args.ignore));
    let selection = Selection { select, ignore };
    let unknown = selection.unknown_codes();
    if !unknown.is_empty() {
        return fail(&format!(
            "unknown rule code or prefix: {} (see `dts-migrate rule --all`)",
            unknown.join(", ")
        ));
    }
    let options = Options {
        paths: args.paths.clone(),
        policy: Policy { selection, config },
        limits: Limits {
            max_file_bytes: args.max_file_size,
        },
        threads: args.threads,
        fix: (args.write || args.diff).then_some(if args.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        }),
        edits: if std::iter::once(args.format)
            .chain(args.report.iter().map(|r| r.format))
            .any(Format::shows_edits)
        {
            Edits::Planned
        } else {
            Edits::Skipped
        },
    };
    let mut outcome = match dts_migrate::engine::check(&options) {
        Ok(outcome) => outcome,
        Err(err) => {
            return fail(&format!(
                "cannot read {}: {}",
                display_path(&err.path),
                dts_migrate::source::read::io_reason(&err.error)
            ))
        }
    };
    for problem in &outcome.problems {
        let message = report::console_text(&problem.message);
        match &problem.path {
            Some(path) => eprintln!("warning: {}: {message}", report::console_path(path)),
            None => eprintln!("warning: {message}"),
        }
    }
    // A gate must not pass on what it could not see: whatever --fail-on and --exit-zero say.
    let unseen = outcome.problems.iter().filter(|p| p.unseen).count();
    let stdout_is_terminal = std::io::stdout().is_terminal();
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => stdout_is_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let cx = ReportContext {
        color,
        width: 100,
        quiet: args.quiet,
    };
    let (writes, held) = dts_migrate::engine::planned_writes(&outcome);
    if args.diff {
        let diff = report::diff::diff(&writes);
        for h in &held {
            let reason = report::console_text(&h.reason);
            eprintln!("error: {}: {reason}", report::console_path(&h.app));
        }
        for note in &diff.notes {
            eprintln!("note: {note}");
        }
        if let Err(err) = write_stdout(&diff.patch) {
            if err.kind() != std::io::ErrorKind::BrokenPipe {
                return fail(&format!("cannot write the diff: {err}"));
            }
        }
        report_unseen(unseen);
        return ExitCode::from(u8::from(!diff.is_empty() || unseen > 0));
    }
    let mut fixed_any = false;
    let mut fix_summary = String::new();
    if args.write {
        interrupts();
        let boundary = write::WriteBoundary::around(&options.paths);
        let results = write::write_within(writes, &boundary);
        write::interrupt::exit_if_interrupted();
        fixed_any = results.iter().any(|r| !r.written.is_empty());
        outcome.record_writes(&results);
        // Apps not written are reported as they are on disk, not as migrated.
        let unwritten: Vec<(std::path::PathBuf, String)> = results
            .iter()
            .filter_map(|r| Some((r.app.clone(), r.error.clone()?)))
            .chain(held.iter().map(|h| (h.app.clone(), h.reason.clone())))
            .collect();
        outcome.recheck(&unwritten, &options);
        // The Azure half of what was migrated: the plan of the apps written, as they are now.
        let written: Vec<std::path::PathBuf> = results
            .iter()
            .filter(|r| r.error.is_none() && !r.written.is_empty())
            .map(|r| r.app.clone())
            .collect();
        let inputs = plan_inputs(&outcome, options.limits, false, Some(&written));
        let azure = plan::summary::render(
            &plan::build(
                &inputs,
                &PlanOptions::default(),
                &facts::facts().defaults.emulator_hub,
            ),
            args.verbose,
        );
        fix_summary = report::fixes::summary(&outcome, &results, &held, args.show_fixes, &azure);
    }
    let files_cx = ReportContext {
        color: false,
        ..cx.clone()
    };
    for extra in &args.report {
        if let Err(err) = write_file(&extra.path, |out| {
            report::write(&outcome, extra.format, &files_cx, out)
        }) {
            return fail(&err);
        }
    }
    match &args.output_file {
        Some(path) => {
            let file_cx = if args.color == Color::Always {
                &cx
            } else {
                &files_cx
            };
            if let Err(err) = write_file(path, |out| {
                report::write(&outcome, args.format, file_cx, out)
            }) {
                return fail(&err);
            }
        }
        None => {
            // Inside a CI, annotations in its syntax follow a console report.
            let console = matches!(args.format, Format::Human | Format::Concise);
            let annotations = ci_annotations(args.annotations).filter(|_| console);
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            let written = report::write(&outcome, args.format, &cx, &mut stdout)
                .and_then(|()| match annotations {
                    Some(format) => report::write(&outcome, format, &files_cx, &mut stdout),
                    None => Ok(()),
                })
                .and_then(|()| stdout.flush());
            if let Err(err) = written {
                if err.kind() != std::io::ErrorKind::BrokenPipe {
                    return fail(&format!("cannot write the report: {err}"));
                }
            }
        }
    }
    if !fix_summary.is_empty() {
        eprint!("{fix_summary}");
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let failing = outcome.findings.iter().any(|f| f.severity >= threshold)
        || (args.exit_non_zero_on_fix && fixed_any);
    report_unseen(unseen);
    let code = ExitCode::from(u8::from((failing && !args.exit_zero) || unseen > 0));
    // The process ends here: freeing the findings one by one would only cost time.
    std::mem::forget(outcome);
    code
}

/// Says why the run fails when `unseen` folders could not be read.
fn report_unseen(unseen: usize) {
    match unseen {
        0 => {}
        1 => eprintln!("error: 1 folder could not be read (see the warning above): the apps in it were not checked, so the run fails"),
        n => eprintln!("error: {n} folders could not be read (see the warnings above): the apps in them were not checked, so the run fails"),
    }
}

/// The annotation format for the console: chosen, or detected from the CI's variables.
fn ci_annotations(choice: Annotations) -> Option<Format> {
    match choice {
        Annotations::None => None,
        Annotations::Github => Some(Format::Github),
        Annotations::Azure => Some(Format::Azure),
        Annotations::Auto => {
            let var = |name: &str| std::env::var(name).unwrap_or_default();
            if var("GITHUB_ACTIONS") == "true" {
                Some(Format::Github)
            } else if var("TF_BUILD").eq_ignore_ascii_case("true") {
                Some(Format::Azure)
            } else {
                None
            }
        }
    }
}

fn init(args: InitArgs) -> ExitCode {
    if args.schema {
        return match write_stdout(config::SCHEMA) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => fail(&format!("cannot write: {err}")),
        };
    }
    let path = args.dir.join(config::FILE_NAME);
    let existing = if args.force {
        write::output::Existing::Replace
    } else {
        write::output::Existing::Keep
    };
    interrupts();
    match write::output::write_output(&path, existing, |out| {
        out.write_all(config::template().as_bytes())
    }) {
        Ok(()) => {
            eprintln!("wrote {}", display_path(&path));
            ExitCode::SUCCESS
        }
        Err(err) => fail(&err),
    }
}

fn rule(args: RuleArgs) -> ExitCode {
    let catalogue = facts::catalogue();
    let rules: Vec<&facts::RuleMeta> = if args.all {
        catalogue.values().collect()
    } else {
        let wanted = args.code.unwrap_or_default();
        match catalogue
            .values()
            .find(|r| r.code.eq_ignore_ascii_case(&wanted) || r.name.eq_ignore_ascii_case(&wanted))
        {
            Some(rule) => vec![rule],
            None => {
                return fail(&format!(
                    "no rule named {wanted} (see `dts-migrate rule --all`)"
                ))
            }
        }
    };
    let text = match args.format {
        DocFormat::Json => report::rule_docs::json(&rules),
        DocFormat::Text => rules
            .iter()
            .map(|r| report::rule_docs::text(r))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    match write_stdout(&text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => fail(&format!("cannot write: {err}")),
    }
}

/// `--app-name`: a template with `{app}`, a mapping file, or one name (for one app).
fn app_names(value: Option<&str>, apps: usize) -> Result<AppNames, String> {
    let Some(value) = value else {
        return Ok(AppNames::Unknown);
    };
    if value.contains("{app}") {
        return Ok(AppNames::Template(value.to_string()));
    }
    let path = std::path::Path::new(value);
    if path.is_file() {
        const LIMIT: u64 = 1 << 20;
        let text = dts_migrate::source::read::read_bounded(path, LIMIT)
            .map_err(|err| dts_migrate::source::read::io_reason(&err))
            .and_then(|b| b.into_bytes(LIMIT))
            .and_then(|bytes| String::from_utf8(bytes).map_err(|_| "it is not UTF-8".to_string()))
            .map_err(|err| format!("--app-name {}: {err}", display_path(path)))?;
        return plan::names::parse_app_name_map(&text)
            .map(AppNames::Map)
            .map_err(|err| format!("--app-name {}: {err}", display_path(path)));
    }
    if apps > 1 {
        return Err(format!(
            "--app-name {value:?} names one function app, and the paths hold {apps} durable apps: use a template such as func-{{app}}, or a TOML file that maps each app to its function app"
        ));
    }
    Ok(AppNames::Template(value.to_string()))
}

fn plan_command(args: PlanArgs) -> ExitCode {
    let config = match find_config(args.no_config, args.config.as_deref(), &args.paths) {
        Ok(config) => config,
        Err(err) => return fail(&format!("invalid configuration: {err}")),
    };
    if facts::configure(config.migration.clone()).is_err() {
        return fail("the configuration was applied twice");
    }
    let options = Options {
        paths: args.paths.clone(),
        policy: Policy {
            selection: Selection::default(),
            config,
        },
        limits: Limits {
            max_file_bytes: args.max_file_size,
        },
        threads: 0,
        fix: Some(if args.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        }),
        edits: Edits::Skipped,
    };
    let outcome = match engine::check(&options) {
        Ok(outcome) => outcome,
        Err(err) => {
            return fail(&format!(
                "cannot read {}: {}",
                display_path(&err.path),
                dts_migrate::source::read::io_reason(&err.error)
            ))
        }
    };
    for problem in &outcome.problems {
        match &problem.path {
            Some(path) => eprintln!("warning: {}: {}", display_path(path), problem.message),
            None => eprintln!("warning: {}", problem.message),
        }
    }
    let inputs = plan_inputs(&outcome, options.limits, true, None);
    if inputs.is_empty() {
        eprintln!("no durable Functions app under the given paths: nothing to plan");
    }
    let app_names = match app_names(args.app_name.as_deref(), inputs.len()) {
        Ok(names) => names,
        Err(err) => return fail(&err),
    };
    let identity = if args.identity.eq_ignore_ascii_case("system") {
        Identity::System
    } else {
        Identity::UserAssigned(args.identity.clone())
    };
    let plan_options = PlanOptions {
        resource_group: args.resource_group.clone(),
        scheduler: args.scheduler.clone(),
        location: args.location.clone(),
        sku: args.sku.map(|s| match s {
            SkuArg::Consumption => Sku::Consumption,
            SkuArg::Dedicated => Sku::Dedicated,
        }),
        capacity: args.capacity,
        app_names,
        identity,
        ip_allowlist: (!args.ip_allowlist.is_empty()).then(|| {
            args.ip_allowlist
                .iter()
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect()
        }),
    };
    let built = plan::build(
        &inputs,
        &plan_options,
        &facts::facts().defaults.emulator_hub,
    );
    let text = match (args.format, args.shell) {
        (PlanFormat::Shell, Shell::Bash) => plan::shell::render(&built),
        (PlanFormat::Shell, Shell::Pwsh) => plan::pwsh::render(&built),
        (PlanFormat::Markdown, _) => plan::markdown::render(&built),
        (PlanFormat::Json, _) => plan::json::render(&built),
        (PlanFormat::Bicep, _) => plan::bicep::render(&built),
    };
    let written = match &args.output_file {
        Some(path) => write_file(path, |out| out.write_all(text.as_bytes())),
        None => write_stdout(&text).or_else(|err| {
            if err.kind() == std::io::ErrorKind::BrokenPipe {
                Ok(())
            } else {
                Err(format!("cannot write the plan: {err}"))
            }
        }),
    };
    if let Err(err) = written {
        return fail(&err);
    }
    for problem in &built.problems {
        eprintln!("problem: {}", problem.message);
    }
    ExitCode::from(u8::from(!built.problems.is_empty()))
}

/// The plan's inputs: each durable app read from disk as it is now, through the plan's adapter.
/// The inputs of the apps in `outcome` (all of them, or those `only` names), in folder order.
/// `pending`: list the fixes of each app's fixed point as what `check --write` changes.
fn plan_inputs(
    outcome: &engine::Outcome,
    limits: Limits,
    pending: bool,
    only: Option<&[std::path::PathBuf]>,
) -> Vec<plan::AppInput> {
    let reader = dts_migrate::source::read::Reader::disk(limits);
    outcome
        .discovered
        .iter()
        .filter(|files| only.is_none_or(|dirs| dirs.contains(&files.dir)))
        .filter_map(|files| {
            let props = files
                .props
                .iter()
                .filter_map(|p| {
                    dts_migrate::model::load_project(p, &reader, &mut Vec::new())
                        .map(std::sync::Arc::new)
                })
                .collect();
            let app = dts_migrate::model::App::load(files, props, &reader);
            let changes = match outcome.fix_of(&files.dir).filter(|_| pending) {
                Some(fix) => (
                    fix.applied
                        .iter()
                        .map(|a| plan::FileChange {
                            code: a.code.to_string(),
                            change: dts_migrate::source::redact::mask(&a.message),
                        })
                        .collect(),
                    fix.changes
                        .keys()
                        .map(|p| display_path(p.strip_prefix(&files.dir).unwrap_or(p)))
                        .collect(),
                ),
                None => (Vec::new(), Vec::new()),
            };
            plan::adapter::app_input(&app, display_path(&files.dir), changes)
        })
        .collect()
}
