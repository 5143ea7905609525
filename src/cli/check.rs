//! `dts-migrate check`: the arguments turned into engine options, the engine run, the writes
//! of `--write`, the reports (console, `--output-file`, `--report`, the GitHub job summary)
//! and the exit code. Also the helpers the other subcommands share: the configuration, report
//! files, the plan's inputs.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::progress::Progress;
use super::{env, show, suggest, Annotations, CheckArgs, Color, FailOn};
use crate::config::{self, Config};
use crate::discover::WalkProblem;
use crate::engine::{self, Options, Outcome, Policy, Selection};
use crate::facts::{self, Severity};
use crate::fix::Applicability;
use crate::plan::{self, PlanOptions};
use crate::report::{self, Format, ReportContext};
use crate::rules::Edits;
use crate::source::display_path;
use crate::source::read::{io_reason, Limits};
use crate::write;

/// Exit code: usage error, unreadable path, or output that cannot be written.
pub const EXIT_USAGE: u8 = 2;

/// Prints `error: message` and returns the usage exit code.
pub fn fail(message: &str) -> ExitCode {
    eprintln!("error: {}", report::console_text(message));
    ExitCode::from(EXIT_USAGE)
}

/// Writes `text` to stdout.
pub fn write_stdout(text: &str) -> Result<(), std::io::Error> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

/// `text` to stdout; a closed pipe is not an error.
fn print(text: &str, what: &str) -> Result<(), ExitCode> {
    match write_stdout(text) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(fail(&format!("cannot write {what}: {err}")))
        }
        _ => Ok(()),
    }
}

/// Writes a report to the file the user named (`write::output`: never through a symlink,
/// atomically over a regular file, in place on a pipe or device); the error names the file.
pub fn write_file(
    path: &Path,
    body: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), String> {
    interrupts();
    let written = write::output::write_output(path, write::output::Existing::Replace, body);
    write::interrupt::exit_if_interrupted();
    written
}

/// From the first file written on, an interrupt removes the run's temporary files and leaves
/// every file whole (`write::interrupt`).
pub fn interrupts() {
    if let Err(err) = write::interrupt::install() {
        eprintln!(
            "warning: cannot handle interrupts ({}); an interrupt may leave .dts-migrate-*.tmp files behind",
            io_reason(&err)
        );
    }
}

/// `--no-config`, `--config PATH`, else the nearest file above the first of `paths`.
pub fn find_config(
    no_config: bool,
    config: Option<&Path>,
    paths: &[PathBuf],
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

/// The rule selection: `--select` replaces the configuration's, `--ignore` adds to it. A code
/// or prefix that matches no rule is a usage error, with the closest one.
fn selection(args: &CheckArgs, config: &Config) -> Result<Selection, String> {
    let normalise = |codes: &[String]| -> Vec<String> {
        codes
            .iter()
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .collect()
    };
    let select = if args.select.is_empty() {
        config.select.clone().unwrap_or_default()
    } else {
        normalise(&args.select)
    };
    let mut ignore = config.ignore.clone();
    ignore.extend(normalise(&args.ignore));
    let selection = Selection { select, ignore };
    let unknown = selection.unknown_codes();
    if unknown.is_empty() {
        return Ok(selection);
    }
    let hints: Vec<String> = unknown
        .iter()
        .filter_map(|u| suggest::rule_code(u).map(|s| format!("{u}: did you mean {s}?")))
        .collect();
    let hint = if hints.is_empty() {
        String::new()
    } else {
        format!(" ({})", hints.join("; "))
    };
    Err(format!(
        "unknown rule code or prefix: {}{hint} (see `dts-migrate rule --all`)",
        unknown.join(", ")
    ))
}

pub(super) fn threshold(fail_on: FailOn) -> Severity {
    match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    }
}

/// Runs the engine, with the progress indicator on a terminal.
fn run_engine(options: &Options, progress: bool) -> Result<Outcome, ExitCode> {
    let mut shown = Progress::start(progress, "checking");
    let outcome = engine::check(options);
    shown.finish();
    outcome.map_err(|err| {
        fail(&format!(
            "cannot read {}: {}",
            display_path(&err.path),
            io_reason(&err.error)
        ))
    })
}

/// `dts-migrate check`.
pub fn check(args: CheckArgs) -> ExitCode {
    let config = match find_config(args.no_config, args.config.as_deref(), &args.paths) {
        Ok(config) => config,
        Err(err) => return fail(&format!("invalid configuration: {err}")),
    };
    if facts::configure(config.migration.clone()).is_err() {
        return fail("the configuration was applied twice");
    }
    let selection = match selection(&args, &config) {
        Ok(selection) => selection,
        Err(err) => return fail(&err),
    };
    if args.show_settings {
        return match print(&show::settings(&config, &selection), "the settings") {
            Ok(()) => ExitCode::SUCCESS,
            Err(code) => code,
        };
    }
    if args.verbose {
        for file in &config.files {
            eprintln!("using {}", report::console_path(file));
        }
    }
    let fix = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let threads = match args.threads {
        0 => crate::discover::default_threads(),
        n => n,
    };
    // One pool for the walk, the checks and the reports (already built in a test process).
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global();
    let options = Options {
        paths: args.paths.clone(),
        policy: Policy { selection, config },
        limits: Limits {
            max_file_bytes: args.max_file_size,
        },
        threads,
        fix: (args.write || args.diff).then_some(fix),
        edits: if std::iter::once(args.format)
            .chain(args.report.iter().map(|r| r.format))
            .any(Format::shows_edits)
        {
            Edits::Planned
        } else {
            Edits::Skipped
        },
    };
    let progress = Progress::wanted(&env::process);
    if !args.write && !args.diff && !args.show_files && !args.statistics {
        return super::stream::check(&args, &options, progress, fix);
    }
    let mut outcome = match run_engine(&options, progress) {
        Ok(outcome) => outcome,
        Err(code) => return code,
    };
    if args.show_files {
        return match print(&show::files(&outcome), "the files") {
            Ok(()) => ExitCode::SUCCESS,
            Err(code) => code,
        };
    }
    let (unseen, no_app) = warn_problems(&outcome.problems, outcome.apps, &args.paths);
    let step_summary = env::step_summary(&env::process);
    let fail_on = threshold(args.fail_on);
    let (cx, files_cx) = contexts(&args, fail_on, None);
    let (writes, held) = engine::planned_writes(&outcome);
    if args.diff {
        let diff = report::diff::diff(&writes);
        for h in &held {
            let reason = report::console_text(&h.reason);
            eprintln!("error: {}: {reason}", report::console_path(&h.app));
        }
        for note in &diff.notes {
            eprintln!("note: {note}");
        }
        if let Err(code) = print(&diff.patch, "the diff") {
            return code;
        }
        report_unseen(unseen);
        return ExitCode::from(u8::from(!diff.is_empty() || unseen > 0));
    }
    let mut fixed_any = false;
    let mut fix_summary = String::new();
    let mut changes = String::new();
    if args.write {
        interrupts();
        let boundary = write::WriteBoundary::around(&options.paths);
        let mut shown = Progress::start(progress, "writing");
        let results = write::write_within(writes, &boundary);
        shown.finish();
        write::interrupt::exit_if_interrupted();
        fixed_any = results.iter().any(|r| !r.written.is_empty());
        outcome.record_writes(&results);
        // Apps not written are reported as they are on disk, not as migrated.
        let unwritten: Vec<(PathBuf, String)> = results
            .iter()
            .filter_map(|r| Some((r.app.clone(), r.error.clone()?)))
            .chain(held.iter().map(|h| (h.app.clone(), h.reason.clone())))
            .collect();
        outcome.recheck(&unwritten, &options);
        outcome.held = unwritten;
        // The Azure half of what was migrated: the plan of the apps written, as they are now.
        let written: Vec<PathBuf> = results
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
        fix_summary = report::fixes::summary(
            &outcome,
            &results,
            &held,
            args.show_fixes,
            args.verbose,
            &azure,
        );
        changes = fix_summary
            .lines()
            .find(|l| l.starts_with("Fixed ") && l.ends_with(" remaining."))
            .unwrap_or_default()
            .to_string();
    }
    for extra in &args.report {
        if let Err(err) = write_file(&extra.path, |out| {
            report::write(&outcome, extra.format, &files_cx, out)
        }) {
            return fail(&err);
        }
    }
    if args.statistics {
        if let Err(code) = print(&report::statistics::render(&outcome), "the statistics") {
            return code;
        }
    } else if let Err(code) = console_report(&args, &outcome, &cx, &files_cx) {
        return code;
    }
    if let Some(path) = step_summary {
        let summary = report::step_summary::render(
            &report::step_summary::Digest::of(&outcome),
            &report::stream::Totals::of(&outcome),
            &changes,
        );
        append_step_summary(&path, &summary);
    }
    // A machine format says everything in its report (`held`, `written`); only the apps that
    // could not be written are told on stderr too.
    if args.format.is_machine() {
        fix_summary = fix_summary
            .lines()
            .filter(|l| l.starts_with("error: "))
            .map(|l| format!("{l}\n"))
            .collect();
    }
    if !fix_summary.is_empty() {
        eprint!("{fix_summary}");
    }
    let failing = outcome.findings.iter().any(|f| f.severity >= fail_on);
    let code = exit_code(&args, failing, fixed_any, no_app, unseen);
    // The process ends here: freeing the findings one by one would only cost time.
    std::mem::forget(outcome);
    code
}

/// Prints the problems met while walking, and a warning when no app was found; returns how
/// many folders could not be read and whether no app was found.
pub(super) fn warn_problems(
    problems: &[WalkProblem],
    apps: usize,
    paths: &[PathBuf],
) -> (usize, bool) {
    for problem in problems {
        let message = report::console_text(&problem.message);
        match &problem.path {
            Some(path) => eprintln!("warning: {}: {message}", report::console_path(path)),
            None => eprintln!("warning: {message}"),
        }
    }
    // A gate must not pass on what it could not see: whatever --fail-on and --exit-zero say.
    let unseen = problems.iter().filter(|p| p.unseen).count();
    // A gate pointed at the wrong folder is not silent.
    let no_app = apps == 0 && unseen == 0;
    if no_app {
        let paths: Vec<String> = paths.iter().map(|p| report::console_path(p)).collect();
        eprintln!(
            "warning: no Functions app (a folder holding host.json) under {}: nothing was checked",
            paths.join(", ")
        );
    }
    (unseen, no_app)
}

/// The contexts of the console report and of report files (no colour unless asked for).
pub(super) fn contexts(
    args: &CheckArgs,
    fail_on: Severity,
    would_write: Option<(usize, usize)>,
) -> (ReportContext, ReportContext) {
    let cx = ReportContext {
        color: env::color(args.color, std::io::stdout().is_terminal(), &env::process),
        width: 100,
        quiet: args.quiet,
        root: crate::source::repo::report_root(&args.paths),
        fail_on,
        would_write,
        rule_hint: true,
    };
    let files_cx = ReportContext {
        color: false,
        ..cx.clone()
    };
    (cx, files_cx)
}

/// The exit code of a check: 1 when a finding fails the run (unless `--exit-zero`), when
/// `--exit-non-zero-on-fix` and something was fixed, or when part of the tree was unseen.
pub(super) fn exit_code(
    args: &CheckArgs,
    failing: bool,
    fixed_any: bool,
    no_app: bool,
    unseen: usize,
) -> ExitCode {
    let failing = failing
        || (args.exit_non_zero_on_fix && fixed_any)
        || (no_app && args.fail_on == FailOn::Info);
    report_unseen(unseen);
    ExitCode::from(u8::from((failing && !args.exit_zero) || unseen > 0))
}

/// The report of `--format`, to `--output-file` or to stdout (with the CI's annotations after
/// a console report).
fn console_report(
    args: &CheckArgs,
    outcome: &Outcome,
    cx: &ReportContext,
    files_cx: &ReportContext,
) -> Result<(), ExitCode> {
    if let Some(path) = &args.output_file {
        let file_cx = if args.color == Color::Always {
            cx
        } else {
            files_cx
        };
        return write_file(path, |out| {
            report::write(outcome, args.format, file_cx, out)
        })
        .map_err(|err| fail(&err));
    }
    // Inside a CI, annotations in its syntax follow a console report.
    let console = matches!(args.format, Format::Human | Format::Concise);
    let annotations = ci_annotations(args.annotations).filter(|_| console);
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let written = report::write(outcome, args.format, cx, &mut stdout)
        .and_then(|()| match annotations {
            Some(format) => report::write(outcome, format, files_cx, &mut stdout),
            None => Ok(()),
        })
        .and_then(|()| stdout.flush());
    match written {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(fail(&format!("cannot write the report: {err}")))
        }
        _ => Ok(()),
    }
}

/// The most a job summary file may already hold for this run to add to it (GitHub's limit for
/// a step's summary is 1 MiB).
const STEP_SUMMARY_LIMIT: u64 = 1 << 20;

/// Appends `text` to the GitHub job summary file at `path`, by the rules of every report file
/// ([`write::output`]: never through a symlink, atomically over a regular file, in place on a
/// pipe): what it holds is read first (a regular file only) and written back before `text`.
/// A summary that cannot be written is a warning: it never changes the run's result.
pub(super) fn append_step_summary(path: &Path, text: &str) {
    let shown = report::console_path(path);
    let existing = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            eprintln!("warning: GITHUB_STEP_SUMMARY {shown} is a symlink; the job summary was not written");
            return;
        }
        Ok(meta) if meta.is_file() => {
            let read = crate::source::read::read_bounded(path, STEP_SUMMARY_LIMIT)
                .map_err(|err| io_reason(&err))
                .and_then(|b| b.into_bytes(STEP_SUMMARY_LIMIT));
            match read {
                Ok(bytes) => bytes,
                Err(err) => {
                    eprintln!("warning: cannot add to the job summary {shown}: {err}");
                    return;
                }
            }
        }
        _ => Vec::new(),
    };
    let written = write_file(path, |out| {
        out.write_all(&existing)?;
        if !existing.is_empty() && !existing.ends_with(b"\n") {
            out.write_all(b"\n")?;
        }
        out.write_all(text.as_bytes())
    });
    if let Err(err) = written {
        eprintln!(
            "warning: the job summary was not written: {}",
            report::console_text(&err)
        );
    }
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
pub(super) fn ci_annotations(choice: Annotations) -> Option<Format> {
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

/// The plan's inputs: each durable app read from disk as it is now, through the plan's adapter.
/// The inputs of the apps in `outcome` (all of them, or those `only` names), in folder order.
/// `pending`: list the fixes of each app's fixed point as what `check --write` changes.
pub fn plan_inputs(
    outcome: &Outcome,
    limits: Limits,
    pending: bool,
    only: Option<&[PathBuf]>,
) -> Vec<plan::AppInput> {
    use rayon::prelude::*;
    let reader = crate::source::read::Reader::disk(limits);
    let only: Option<std::collections::HashSet<&PathBuf>> = only.map(|dirs| dirs.iter().collect());
    let apps: Vec<&crate::model::AppFiles> = outcome
        .discovered
        .iter()
        .filter(|files| only.as_ref().is_none_or(|dirs| dirs.contains(&files.dir)))
        .collect();
    // The props files the apps share, each read once.
    let props_paths: std::collections::BTreeSet<&PathBuf> =
        apps.iter().flat_map(|files| files.props.iter()).collect();
    let props: std::collections::HashMap<&PathBuf, _> = props_paths
        .into_par_iter()
        .filter_map(|p| {
            let parsed = crate::model::load_project(p, &reader, &mut Vec::new())?;
            Some((p, std::sync::Arc::new(parsed)))
        })
        .collect();
    apps.into_par_iter()
        .filter_map(|files| {
            let props = files
                .props
                .iter()
                .filter_map(|p| props.get(p).cloned())
                .collect();
            let app = crate::model::App::load(files, props, &reader);
            let changes = match outcome.fix_of(&files.dir).filter(|_| pending) {
                Some(fix) => (
                    fix.applied
                        .iter()
                        .map(|a| plan::FileChange {
                            code: a.code.to_string(),
                            change: crate::source::redact::mask(&a.message),
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
