//! DTS505 `unused-suppression`: an inline `dts-migrate-ignore` comment that silences no finding
//! on the next line (the engine's suppression pass reports it). No fix: delete or move it.

use crate::finding::{Finding, Span};

/// The finding for a suppression of `codes` at `span` that silenced nothing.
pub fn finding(span: Span, codes: &[String]) -> Finding {
    Finding::new(
        "DTS505",
        span,
        format!(
            "this suppression of {} silences no finding on the next line",
            codes.join(", ")
        ),
    )
    .label("unused suppression")
    .help("delete the comment, or move it to the line before the finding")
}
