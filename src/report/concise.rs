//! The `concise` report: one line per finding, `path:line:col: CODE [severity] message`.

use super::display_path;
use crate::finding::Finding;
use crate::redact::mask;

/// One finding as a line (no newline).
pub fn line(finding: &Finding) -> String {
    let (line, column) = finding.span.start();
    let fixable = match &finding.fix {
        Some(fix) if fix.applicability == crate::fix::Applicability::Safe => " [*]",
        _ => "",
    };
    format!(
        "{}:{line}:{column}: {}{fixable} [{}] {}",
        display_path(&finding.span.file.path),
        finding.code,
        finding.severity.as_str(),
        mask(&finding.message)
    )
}

/// Renders the findings, one per line (formatted in parallel, written in order).
pub fn render(findings: &[Finding], out: &mut String) {
    use rayon::prelude::*;
    let lines: Vec<String> = findings.par_iter().map(line).collect();
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
}
