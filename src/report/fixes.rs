//! What `--write`, `--diff` and `--show-fixes` print about fixes.

use std::fmt::Write as _;

use similar::TextDiff;

use crate::engine::{HeldBack, Outcome};
use crate::source::display_path;
use crate::source::redact::mask;
use crate::write::{AppWrite, WriteResult};

/// Unified diffs of every planned write (`a/` and `b/` prefixes, so `patch -p1` applies them).
pub fn diff(writes: &[AppWrite]) -> String {
    let mut out = String::new();
    for app in writes {
        for (path, change) in &app.files {
            let shown = display_path(path);
            let text =
                TextDiff::from_lines(change.original.text.as_str(), change.new_text.as_str())
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{shown}"), &format!("b/{shown}"))
                    .to_string();
            out.push_str(&mask(&text));
        }
    }
    out
}

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
        let app = display_path(&result.app);
        if let Some(error) = &result.error {
            let _ = writeln!(out, "error: {app}: not written: {error}");
            continue;
        }
        fixed_apps += 1;
        let files: Vec<String> = result
            .written
            .iter()
            .map(|p| display_path(p.strip_prefix(&result.app).unwrap_or(p)))
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
                    mask(&applied.message)
                );
            }
        }
    }
    for h in held {
        let _ = writeln!(out, "error: {}: {}", display_path(&h.app), h.reason);
    }
    if fixed_apps > 0 {
        out.push_str(azure);
    }
    out
}
