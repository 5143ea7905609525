//! GitLab Code Quality: a JSON array of issues with stable fingerprints. `location.path` is
//! relative to the repository root (GitLab places an issue by its path in the repository),
//! whatever folder the tool ran in; a file outside the root keeps the path it was found under.

use std::path::Path;

use serde::Serialize;

use super::{Fingerprints, RepoPaths};
use crate::facts::Severity;
use crate::finding::Finding;
use crate::source::redact::mask;

#[derive(Serialize)]
struct Position {
    column: usize,
    line: usize,
}

#[derive(Serialize)]
struct Positions {
    begin: Position,
    end: Position,
}

#[derive(Serialize)]
struct Location {
    path: String,
    positions: Positions,
}

#[derive(Serialize)]
struct Issue<'a> {
    categories: [&'static str; 1],
    check_name: &'a str,
    description: String,
    fingerprint: String,
    location: Location,
    severity: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// The issues of `findings`, appended to `out` as items of the report's array (paths relative
/// to `root`, canonical); returns how many. Fingerprints count the identical findings before
/// each one in its file: a file's findings come in one call.
pub fn piece(findings: &[Finding], root: Option<&Path>, out: &mut Vec<u8>) -> usize {
    let mut prints = Fingerprints::default();
    let mut paths = RepoPaths::new(root);
    let issues = findings.iter().map(|f| {
        let (line, col) = f.span.start();
        let (end_line, end_col) = f.span.end();
        let path = paths.shown(&f.span.file).into_owned();
        let fingerprint = prints.next(f, &path);
        Issue {
            categories: ["Bug Risk"],
            check_name: f.code,
            description: format!("{} {}", f.code, mask(&f.message)),
            fingerprint,
            location: Location {
                path,
                positions: Positions {
                    begin: Position { column: col, line },
                    end: Position {
                        column: end_col,
                        line: end_line,
                    },
                },
            },
            severity: match f.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info => "info",
            },
            kind: "issue",
        }
    });
    super::json::push_elements(issues, 1, out)
}
