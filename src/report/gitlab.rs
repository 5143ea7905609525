//! GitLab Code Quality: a JSON array of issues with stable fingerprints.

use serde_json::json;

use super::fingerprints;
use crate::facts::Severity;
use crate::finding::Finding;
use crate::source::display_path;
use crate::source::redact::mask;

/// Renders the findings as a GitLab Code Quality report.
pub fn render(findings: &[Finding], out: &mut String) {
    let prints = fingerprints(findings);
    let issues: Vec<_> = findings
        .iter()
        .zip(prints)
        .map(|(f, fingerprint)| {
            let (line, col) = f.span.start();
            let (end_line, end_col) = f.span.end();
            json!({
                "type": "issue",
                "check_name": f.code,
                "description": format!("{} {}", f.code, mask(&f.message)),
                "categories": ["Bug Risk"],
                "severity": match f.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                "fingerprint": fingerprint,
                "location": {
                    "path": display_path(&f.span.file.path),
                    "positions": {
                        "begin": { "line": line, "column": col },
                        "end": { "line": end_line, "column": end_col },
                    },
                },
            })
        })
        .collect();
    super::json::push_pretty(&issues, out);
}
