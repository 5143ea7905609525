//! DTS506 `invalid-suppression`: an inline `dts-migrate-ignore` comment without a reason or with
//! a code that names no rule; it silences nothing (the engine's suppression pass reports it).
//! No fix.

use crate::finding::{Finding, Span};

/// The finding for a malformed suppression at `span`; `problem` says what is wrong with it.
pub fn finding(span: Span, problem: &str) -> Finding {
    Finding::new(
        "DTS506",
        span,
        format!("this suppression {problem}, so it silences nothing"),
    )
    .label("invalid suppression")
    .help("write `dts-migrate-ignore DTS107: the reason` on the line before the finding")
}
