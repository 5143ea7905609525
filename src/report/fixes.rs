//! What `--write` and `--show-fixes` print about fixes (the diff of `--diff` is
//! [`super::diff`]), every path and message escaped for the console.

use std::fmt::Write as _;

use super::{console_path, console_text};
use crate::engine::{HeldBack, Outcome};
use crate::write::WriteResult;

/// The summary after `--write`, ending with `azure`: what the files cannot do, the plan's
/// short form ([`crate::plan::summary`]) of the apps that were written.
pub fn summary(
    outcome: &Outcome,
    results: &[WriteResult],
    held: &[HeldBack],
    show_fixes: bool,
    azure: &str,
) -> String {
    let mut out = String::new();
    let mut fixed_apps = 0;
    for result in results {
        let Some(fix) = outcome.fix_of(&result.app) else {
            continue;
        };
        let app = console_path(&result.app);
        if let Some(error) = &result.error {
            let _ = writeln!(out, "error: {app}: not written: {}", console_text(error));
            continue;
        }
        fixed_apps += 1;
        let files: Vec<String> = result
            .written
            .iter()
            .map(|p| console_path(p.strip_prefix(&result.app).unwrap_or(p)))
            .collect();
        let count = fix.applied.len();
        let _ = writeln!(
            out,
            "Fixed {app}: {count} {} in {}",
            if count == 1 { "fix" } else { "fixes" },
            files.join(", ")
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
    if fixed_apps > 0 {
        // The plan's summary names hubs and folders taken from the apps' files.
        for line in azure.lines() {
            out.push_str(&console_text(line));
            out.push('\n');
        }
    }
    out
}
