//! The `concise` report: one line per finding, `path:line:col: CODE [severity] message`, the
//! path and the message escaped for the console ([`console_path`], [`console_text`]).

use super::{console_path, console_text};
use crate::finding::Finding;

/// One finding as a line (no newline).
pub fn line(finding: &Finding) -> String {
    let mut out = String::new();
    push_line(finding, &console_path(&finding.span.file.path), &mut out);
    out.pop();
    out
}

/// Appends one finding as a line, newline included; `path` is its file's console form.
fn push_line(finding: &Finding, path: &str, out: &mut String) {
    let (line, column) = finding.span.start();
    let fixable = if super::fixable(finding) { " [*]" } else { "" };
    let (mut line_digits, mut column_digits) = (itoa::Buffer::new(), itoa::Buffer::new());
    // Piece by piece, not with `writeln!`: a third of this format's rendering time.
    for piece in [
        path,
        ":",
        line_digits.format(line),
        ":",
        column_digits.format(column),
        ": ",
        finding.code,
        fixable,
        " [",
        finding.severity.as_str(),
        "] ",
        &console_text(&finding.message),
        "\n",
    ] {
        out.push_str(piece);
    }
}

/// Appends the findings, one per line. Findings come sorted by file, so a file's display path
/// is worked out once per run of its findings.
pub fn render(findings: &[Finding], out: &mut String) {
    out.reserve(findings.len() * 160);
    let mut shown: Option<(&crate::source::FileRef, String)> = None;
    for finding in findings {
        let file = &finding.span.file;
        if !matches!(&shown, Some((f, _)) if std::sync::Arc::ptr_eq(f, file)) {
            shown = Some((file, console_path(&file.path)));
        }
        let path = shown.as_ref().map_or("", |(_, path)| path.as_str());
        push_line(finding, path, out);
    }
}
