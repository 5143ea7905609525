//! The `json` report: one document with the tool, a summary and every finding. The schema is
//! documented in `docs/json-report.md`; its `version` changes only when a field changes
//! meaning or goes away.

use serde_json::{json, Value};

use super::display_path;
use crate::finding::{Finding, Span};
use crate::redact::mask;
use crate::Outcome;

/// Version of the JSON report schema.
pub const SCHEMA_VERSION: u32 = 1;

fn position(span: &Span, offset: usize) -> Value {
    let (line, column) = span.file.text.line_col(offset);
    json!({ "line": line, "column": column, "offset": offset })
}

fn range(span: &Span) -> Value {
    json!({
        "start": position(span, span.range.start),
        "end": position(span, span.range.end),
    })
}

/// One finding as a JSON object.
pub fn finding(f: &Finding) -> Value {
    let meta = crate::knowledge::rule(f.code);
    json!({
        "code": f.code,
        "name": meta.map(|m| m.name.as_str()),
        "severity": f.severity.as_str(),
        "message": mask(&f.message),
        "file": display_path(&f.span.file.path),
        "range": range(&f.span),
        "label": mask(&f.label),
        "help": f.help.as_deref().map(mask),
        "related": f.related.iter().map(|r| json!({
            "file": display_path(&r.span.file.path),
            "range": range(&r.span),
            "label": mask(&r.label),
        })).collect::<Vec<_>>(),
        "fix": f.fix.as_ref().map(|fix| json!({
            "message": mask(&fix.message),
            "applicability": fix.applicability.as_str(),
            "edits": fix.edits.iter().map(|e| {
                let span = Span::new(&e.file, e.range.clone());
                json!({
                    "file": display_path(&e.file.path),
                    "range": range(&span),
                    "content": mask(&e.replacement),
                })
            }).collect::<Vec<_>>(),
        })),
    })
}

/// Renders the whole report.
pub fn render(outcome: &Outcome, out: &mut String) {
    let counts = super::Counts::of(&outcome.findings);
    let doc = json!({
        "version": SCHEMA_VERSION,
        "tool": { "name": "dts-migrate", "version": env!("CARGO_PKG_VERSION") },
        "summary": {
            "apps": outcome.apps,
            "files": outcome.files,
            "errors": counts.errors,
            "warnings": counts.warnings,
            "info": counts.info,
            "fixable": counts.safe_fixes,
        },
        "findings": outcome.findings.iter().map(finding).collect::<Vec<_>>(),
        "written": outcome.written.iter().map(|change| {
            let file = &change.original;
            json!({
                "file": display_path(&file.path),
                "edits": change.edits.iter().map(|(r, content)| json!({
                    "range": range(&Span::new(file, r.clone())),
                    "content": mask(content),
                })).collect::<Vec<_>>(),
            })
        }).collect::<Vec<_>>(),
        "problems": outcome.problems.iter().map(|p| json!({
            "path": p.path.as_ref().map(|p| display_path(p)),
            "message": p.message,
        })).collect::<Vec<_>>(),
    });
    out.push_str(&serde_json::to_string_pretty(&doc).unwrap_or_default());
    out.push('\n');
}
