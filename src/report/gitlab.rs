//! GitLab Code Quality: a JSON array of issues with stable fingerprints. `location.path` is
//! relative to the repository root (GitLab places an issue by its path in the repository),
//! whatever folder the tool ran in; a file outside the root keeps the path it was found under.

use std::io;
use std::path::Path;

use serde::ser::{SerializeSeq, Serializer};
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

/// The issues, made one by one as they are serialised.
struct Issues<'a> {
    findings: &'a [Finding],
    root: Option<&'a Path>,
}

impl Serialize for Issues<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.findings.len()))?;
        let mut prints = Fingerprints::default();
        let mut paths = RepoPaths::new(self.root);
        for f in self.findings {
            let (line, col) = f.span.start();
            let (end_line, end_col) = f.span.end();
            let path = paths.shown(&f.span.file.path).into_owned();
            let fingerprint = prints.next(f, &path);
            seq.serialize_element(&Issue {
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
            })?;
        }
        seq.end()
    }
}

/// Writes the findings as a GitLab Code Quality report, issue by issue, followed by a newline;
/// paths relative to `root` (canonical).
pub fn write(findings: &[Finding], root: Option<&Path>, out: &mut dyn io::Write) -> io::Result<()> {
    super::json::write_pretty(&Issues { findings, root }, &mut *out)?;
    out.write_all(b"\n")
}
