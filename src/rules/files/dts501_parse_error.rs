//! DTS501 `parse-error`: a config file that cannot be read, decoded (not UTF-8 or UTF-16 with a
//! BOM) or parsed (not valid JSONC or XML, or not the document it must hold), reported at the
//! exact position. No fix: the file is never rewritten, and neither is any other file of its app.

use crate::facts::Severity;
use crate::finding::{Finding, Span};
use crate::model::{LoadFailure, LoadProblem};

/// The finding for a file the loader could not use (any failure but the size limit).
pub fn finding(problem: &LoadProblem) -> Finding {
    let (label, help) = match problem.failure {
        LoadFailure::Undecodable => ("cannot be decoded here", Some("save the file as UTF-8")),
        LoadFailure::Invalid => (
            "here",
            Some("fix the syntax; dts-migrate never rewrites a file it cannot parse"),
        ),
        LoadFailure::Unreadable | LoadFailure::TooLarge => ("here", None),
    };
    Finding {
        code: "DTS501",
        severity: Severity::Error,
        message: problem.message.clone(),
        span: Span::new(&problem.file, problem.range.clone()),
        label: label.to_string(),
        related: Vec::new(),
        help: help.map(str::to_string),
        fix: None,
        more: 0,
    }
}
