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

/// Renders the findings, one per line.
pub fn render(findings: &[Finding], out: &mut String) {
    for finding in findings {
        out.push_str(&line(finding));
        out.push('\n');
    }
}
