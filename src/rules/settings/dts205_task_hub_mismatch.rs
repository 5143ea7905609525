//! DTS205 `task-hub-mismatch`: `TaskHub=` in the DTS connection string differs from the
//! `hubName` the host uses (after `%X%` is resolved), reported at the `TaskHub` value.
//!
//! No fix: which of the two names is right is the team's choice.

use super::connection_string::find_part;
use super::FoundString;
use crate::finding::{Finding, Span};
use crate::rules::json_span;
use crate::source::redact::mask;
use crate::syntax::jsonc::string_inner_range;

/// DTS205: hubName wins over `TaskHub=`, so a different value misleads every other client of
/// the string.
pub(super) fn task_hub_mismatch(
    conn: &FoundString<'_>,
    raw: &str,
    resolved: &str,
    span: Span,
    out: &mut Vec<Finding>,
) {
    let Some(task_hub) = find_part(&conn.parts, "TaskHub") else {
        return;
    };
    if task_hub.value.eq_ignore_ascii_case(resolved) || resolved.is_empty() {
        return;
    }
    let range = string_inner_range(
        conn.file.file.text.as_str(),
        conn.value,
        &task_hub.value_range,
    );
    let shown = if resolved == raw {
        format!("\"{resolved}\"")
    } else {
        format!("\"{resolved}\" (from {raw})")
    };
    out.push(
        Finding::new(
            "DTS205",
            json_span(conn.file, range),
            format!(
                "the connection string in \"{}\" says TaskHub={}, but hubName is {shown}; the host uses hubName, clients that read the string use the other hub",
                conn.name,
                mask(&task_hub.value)
            ),
        )
        .label(format!("differs from {shown}"))
        .related(span, "the task hub the host uses")
        .help("make TaskHub= equal to the hub name, or remove it from the string"),
    );
}
