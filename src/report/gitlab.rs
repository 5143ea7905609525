//! GitLab Code Quality: a JSON array of issues with stable fingerprints. `location.path` is
//! relative to the repository root (GitLab places an issue by its path in the repository),
//! whatever folder the tool ran in; a file outside the root keeps the path it was found under.

use std::collections::HashMap;
use std::path::Path;

use serde_json::json;

use super::fingerprints;
use crate::facts::Severity;
use crate::finding::Finding;
use crate::source::display_path;
use crate::source::redact::mask;
use crate::source::repo::relative_to;

/// Renders the findings as a GitLab Code Quality report, paths relative to `root` (canonical).
pub fn render(findings: &[Finding], root: Option<&Path>, out: &mut String) {
    let prints = fingerprints(findings);
    // Many findings share a file: its folder is resolved once.
    let mut paths: HashMap<&Path, String> = HashMap::new();
    let issues: Vec<_> = findings
        .iter()
        .zip(prints)
        .map(|(f, fingerprint)| {
            let (line, col) = f.span.start();
            let (end_line, end_col) = f.span.end();
            let file = f.span.file.path.as_path();
            let path = paths
                .entry(file)
                .or_insert_with(|| {
                    root.and_then(|root| relative_to(root, file))
                        .unwrap_or_else(|| display_path(file))
                })
                .clone();
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
                    "path": path,
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
