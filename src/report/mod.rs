//! Reports: one module per output format. Every format masks secrets and lists findings in
//! the order of [`Finding::report_order`].

pub mod concise;
pub mod fixes;
pub mod human;
pub mod json;
pub mod rule_docs;

use std::path::Path;

use crate::finding::{Finding, Severity};
use crate::fix::Applicability;
use crate::Outcome;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Source excerpts with labels and help (miette), and a summary.
    Human,
    /// One line per finding: `path:line:col: CODE [severity] message`.
    Concise,
    /// One JSON document (schema in docs/json-report.md).
    Json,
}

/// How to render.
#[derive(Debug, Clone)]
pub struct ReportContext {
    /// ANSI colours.
    pub color: bool,
    /// Line width for wrapping.
    pub width: usize,
    /// Leave out the summary line.
    pub quiet: bool,
}

/// Finding counts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Info.
    pub info: usize,
    /// Findings with a safe fix.
    pub safe_fixes: usize,
}

impl Counts {
    /// Counts findings.
    pub fn of(findings: &[Finding]) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            match f.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.info += 1,
            }
            if f.fix
                .as_ref()
                .is_some_and(|x| x.applicability == Applicability::Safe)
            {
                c.safe_fixes += 1;
            }
        }
        c
    }
}

/// A path for output: relative paths lose a leading `./`, and `/` separates components.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    match text.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => text,
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The closing line of the human and concise reports.
pub fn summary(outcome: &Outcome) -> String {
    let c = Counts::of(&outcome.findings);
    let checked = format!(
        "{} checked ({})",
        plural(outcome.apps, "app", "apps"),
        plural(outcome.files, "file", "files")
    );
    if outcome.findings.is_empty() {
        return format!("No problems found: {checked}.\n");
    }
    let mut line = format!(
        "Found {}: {}, {}, {}; {checked}.",
        plural(outcome.findings.len(), "problem", "problems"),
        plural(c.errors, "error", "errors"),
        plural(c.warnings, "warning", "warnings"),
        plural(c.info, "info", "info"),
    );
    if c.safe_fixes > 0 {
        line.push_str(&format!(
            " {} a safe fix.",
            plural(c.safe_fixes, "has", "have")
        ));
    }
    line.push('\n');
    line
}

/// Renders `outcome` in `format`.
pub fn render(outcome: &Outcome, format: Format, cx: &ReportContext) -> String {
    let mut out = String::new();
    match format {
        Format::Human => {
            human::render(&outcome.findings, cx, &mut out);
            if !cx.quiet {
                out.push_str(&summary(outcome));
            }
        }
        Format::Concise => {
            concise::render(&outcome.findings, &mut out);
            if !cx.quiet {
                out.push_str(&summary(outcome));
            }
        }
        Format::Json => json::render(outcome, &mut out),
    }
    out
}
