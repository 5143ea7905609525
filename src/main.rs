//! The `dts-migrate` binary: arguments in, exit code out. `check` is
//! [`dts_migrate::cli::check`]; the other subcommands are here.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use dts_migrate::cli::check::{fail, find_config, plan_inputs, write_file, write_stdout};
use dts_migrate::cli::{
    Cli, Command, DocFormat, InitArgs, PlanArgs, PlanFormat, RuleArgs, Shell, SkuArg,
};
use dts_migrate::config;
use dts_migrate::engine::{self, Options, Policy, Selection};
use dts_migrate::facts;
use dts_migrate::fix::Applicability;
use dts_migrate::plan::{self, AppNames, Identity, PlanOptions, Sku};
use dts_migrate::report;
use dts_migrate::rules::Edits;
use dts_migrate::source::display_path;
use dts_migrate::source::read::Limits;
use dts_migrate::write;

/// Many small allocations (parse trees, findings) from several threads: mimalloc spends a
/// fraction of the system allocator's time on them (`scripts/bench.sh`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay`: its place in `mi_option_e` of mimalloc 3's `mimalloc.h` (the sys
/// crate names no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Memory a thread frees goes back to the system at once, not 10 ms later: a check's
    // batches are freed as fast as they are made, and with the delay the peak grew with the
    // number of apps (10,000 apps: 56 MB, 35 MB without; no time lost, `scripts/bench.sh`).
    // SAFETY: setting an option is allowed at any time; this one is read at each purge.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    // No transparent huge pages: mimalloc asks for them, and the kernel then clears 2 MiB at
    // each first touch. A check touches little of each, so they doubled its peak memory (10,000
    // apps: 36 MB, 18 MB without) and took a twentieth of its time. Best effort: a kernel
    // without THP refuses, and nothing changes.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => dts_migrate::cli::check::check(args),
        Command::Rule(args) => rule(args),
        Command::Init(args) => init(args),
        Command::Plan(args) => plan_command(args),
        Command::Completions(args) => {
            let mut out = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "dts-migrate", &mut out);
            print_or_fail(&String::from_utf8_lossy(&out))
        }
        Command::Man => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut out) {
                Ok(()) => print_or_fail(&String::from_utf8_lossy(&out)),
                Err(err) => fail(&format!("cannot render the man page: {err}")),
            }
        }
    }
}

/// Prints `text`; a closed pipe is not an error.
fn print_or_fail(text: &str) -> ExitCode {
    match write_stdout(text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => fail(&format!("cannot write: {err}")),
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
    dts_migrate::cli::check::interrupts();
    match write::output::write_output(&path, existing, |out| {
        out.write_all(config::template().as_bytes())
    }) {
        Ok(()) => {
            eprintln!("wrote {}", report::console_path(&path));
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
                let names = catalogue
                    .values()
                    .flat_map(|r| [r.code.as_str(), r.name.as_str()]);
                let hint = dts_migrate::cli::suggest::closest(&wanted, names)
                    .map(|n| format!("did you mean {n}? "))
                    .unwrap_or_default();
                return fail(&format!(
                    "no rule named {wanted} ({hint}see `dts-migrate rule --all`)"
                ));
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
    print_or_fail(&text)
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
            Some(path) => eprintln!(
                "warning: {}: {}",
                report::console_path(path),
                report::console_text(&problem.message)
            ),
            None => eprintln!("warning: {}", report::console_text(&problem.message)),
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
        eprintln!("problem: {}", report::console_text(&problem.message));
    }
    ExitCode::from(u8::from(!built.problems.is_empty()))
}
