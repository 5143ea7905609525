//! What `--write` and `--show-fixes` print about fixes (the diff of `--diff` is
//! [`super::diff`]), every path and message escaped for the console. A run lists each app it
//! fixed when it fixed at most [`LISTED_APPS`] apps, or with `--show-fixes` or `-v`; it always
//! ends with one line for the whole run, as ruff does ("Fixed 12 problems in 7 files of 3
//! apps; 2 remaining.").

use std::fmt::Write as _;

use super::{console_path, console_text, plural};
use crate::engine::{HeldBack, Outcome};
use crate::write::WriteResult;

/// Up to this many fixed apps are listed one by one without `--show-fixes` or `-v`.
pub const LISTED_APPS: usize = 20;

/// The summary after `--write`, ending with `azure`: what the files cannot do, the plan's
/// short form ([`crate::plan::summary`]) of the apps that were written. `list`: one line per
/// fixed app whatever their number (`-v`).
pub fn summary(
    outcome: &Outcome,
    results: &[WriteResult],
    held: &[HeldBack],
    show_fixes: bool,
    list: bool,
    azure: &str,
) -> String {
    let mut out = String::new();
    let fixed: Vec<&WriteResult> = results
        .iter()
        .filter(|r| r.error.is_none() && outcome.fix_of(&r.app).is_some())
        .collect();
    let listed = list || show_fixes || fixed.len() <= LISTED_APPS;
    let (mut fixes, mut files) = (0, 0);
    for result in results {
        let Some(fix) = outcome.fix_of(&result.app) else {
            continue;
        };
        let app = console_path(&result.app);
        if let Some(error) = &result.error {
            let _ = writeln!(out, "error: {app}: not written: {}", console_text(error));
            continue;
        }
        let count = fix.applied.len();
        fixes += count;
        files += result.written.len();
        if !listed {
            continue;
        }
        let names: Vec<String> = result
            .written
            .iter()
            .map(|p| console_path(p.strip_prefix(&result.app).unwrap_or(p)))
            .collect();
        let _ = writeln!(
            out,
            "Fixed {app}: {} in {}",
            plural(count, "fix", "fixes"),
            names.join(", ")
        );
        if show_fixes {
            for applied in &fix.applied {
                let _ = writeln!(
                    out,
                    "  {} ({}) {}",
                    applied.code,
                    applied.applicability.as_str(),
                    console_text(&applied.message)
                );
            }
        }
    }
    for h in held {
        let _ = writeln!(
            out,
            "error: {}: {}",
            console_path(&h.app),
            console_text(&h.reason)
        );
    }
    if !fixed.is_empty() {
        let _ = writeln!(out, "{}", closing_line(outcome, fixes, files, fixed.len()));
    }
    if !fixed.is_empty() {
        // The plan's summary names hubs and folders taken from the apps' files.
        for line in azure.lines() {
            out.push_str(&console_text(line));
            out.push('\n');
        }
    }
    out
}

/// The whole run in one line: fixes applied, files and apps written, findings remaining.
pub fn closing_line(outcome: &Outcome, fixes: usize, files: usize, apps: usize) -> String {
    format!(
        "Fixed {} in {} of {}; {} remaining.",
        plural(fixes, "problem", "problems"),
        plural(files, "file", "files"),
        plural(apps, "app", "apps"),
        outcome.findings.len()
    )
}
