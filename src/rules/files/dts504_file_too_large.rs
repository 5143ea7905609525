//! DTS504 `file-too-large`: a config file over the size limit (default 5 MB, `--max-file-size`)
//! is reported and not parsed, so a stray huge file cannot stall a run. No fix.

use crate::facts::Severity;
use crate::finding::{Finding, Span};
use crate::model::LoadProblem;

/// The finding for a file the loader left unread because of its size.
pub fn finding(problem: &LoadProblem) -> Finding {
    Finding {
        code: "DTS504",
        severity: Severity::Error,
        message: problem.message.clone(),
        span: Span::new(&problem.file, problem.range.clone()),
        label: "here".to_string(),
        related: Vec::new(),
        help: None,
        fix: None,
        more: 0,
    }
}
