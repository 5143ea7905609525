//! `--show-settings` and `--show-files`: what a run would use, printed instead of running it
//! (as ruff's flags of the same names). Every path and value is escaped for the console and
//! masked ([`console_text`], [`console_path`]).

use std::fmt::Write as _;

use crate::config::{Config, Level};
use crate::engine::{Outcome, Selection};
use crate::report::{console_path, console_text};

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|i| format!("{:?}", console_text(i)))
        .collect();
    format!("[{}]", quoted.join(", "))
}

/// The resolved configuration, in the syntax of `dts-migrate.toml`, headed by the files it
/// came from (closest first) and with the selection as the command line made it.
pub fn settings(config: &Config, selection: &Selection) -> String {
    let mut out = String::new();
    if config.files.is_empty() {
        out.push_str("# no dts-migrate.toml applies: the defaults\n");
    } else {
        out.push_str("# from (closest first):\n");
        for file in &config.files {
            let _ = writeln!(out, "#   {}", console_path(file));
        }
    }
    let select = if selection.select.is_empty() {
        "[] # every rule".to_string()
    } else {
        list(&selection.select)
    };
    let _ = writeln!(out, "select = {select}");
    let _ = writeln!(out, "ignore = {}", list(&selection.ignore));
    let globs = |entries: &[crate::config::PathIgnore]| -> Vec<String> {
        entries
            .iter()
            .map(|e| format!("{}/{}", crate::source::display_path(&e.base), e.pattern))
            .collect()
    };
    let _ = writeln!(out, "exclude = {}", list(&globs(&config.exclude)));
    out.push_str("\n[severity]\n");
    for (code, level) in &config.severity {
        let level = match level {
            Level::Off => "off",
            Level::On(severity) => severity.as_str(),
        };
        let _ = writeln!(out, "{} = \"{level}\"", console_text(code));
    }
    out.push_str("\n[per-path-ignores]\n");
    for entry in &config.per_path_ignores {
        let glob = format!(
            "{}/{}",
            crate::source::display_path(&entry.base),
            entry.pattern
        );
        let _ = writeln!(out, "{:?} = {}", console_text(&glob), list(&entry.codes));
    }
    let defaults = &crate::facts::facts().defaults;
    let m = &config.migration;
    let value = |set: &Option<String>, default: &str| {
        format!("{:?}", console_text(set.as_deref().unwrap_or(default)))
    };
    out.push_str("\n[migration]\n");
    let _ = writeln!(
        out,
        "connection-setting = {}",
        value(&m.connection_setting, &defaults.connection_setting)
    );
    let _ = writeln!(
        out,
        "hub-setting = {}",
        value(&m.hub_setting, &defaults.hub_setting)
    );
    let _ = writeln!(
        out,
        "local-connection-string = {}",
        value(
            &m.local_connection_string,
            &defaults.local_connection_string
        )
    );
    let _ = writeln!(
        out,
        "bundle-range = {}",
        value(&m.bundle_range, &defaults.bundle_range)
    );
    out.push_str("\n[migration.packages]\n");
    for (id, version) in &m.packages {
        let _ = writeln!(out, "{:?} = {:?}", console_text(id), console_text(version));
    }
    out
}

/// Each app found and the files it is made of (those the run reads), one app a paragraph.
pub fn files(outcome: &Outcome) -> String {
    let mut out = String::new();
    for app in &outcome.discovered {
        let _ = writeln!(out, "{}", console_path(&app.dir));
        let files = std::iter::once(&app.host)
            .chain(&app.local_settings)
            .chain(&app.projects)
            .chain(&app.extensions_project)
            .chain(&app.manifests)
            .chain(&app.function_jsons)
            .chain(app.props.iter());
        for file in files {
            let _ = writeln!(out, "  {}", console_path(file));
        }
    }
    out
}
