//! DTS205 `task-hub-mismatch`: `TaskHub=` in the DTS connection string differs from the
//! `hubName` the host uses (after `%X%` is resolved), reported at the `TaskHub` value.
//!
//! Also an info finding when the connection string points at the local emulator and the hub is
//! not the emulator's `default`: the emulator serves only `default` unless it is started with
//! `DTS_TASK_HUB_NAMES`.
//!
//! No fix: which of the names is right is the team's choice.

use super::connection_string::find_part;
use super::FoundString;
use crate::facts::{facts, Severity};
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

/// DTS205 (info): the hub is not `default` while the connection string points at the local
/// emulator, which answers "Task hub not found" for any other hub unless started with
/// `DTS_TASK_HUB_NAMES` (Azure/Durable-Task-Scheduler #42).
pub(super) fn emulator_hub(
    conn: &FoundString<'_>,
    raw: &str,
    resolved: &str,
    span: Span,
    out: &mut Vec<Finding>,
) {
    let Some(endpoint) = find_part(&conn.parts, "Endpoint") else {
        return;
    };
    let host = endpoint
        .value
        .split("://")
        .nth(1)
        .unwrap_or(&endpoint.value)
        .split([':', '/'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let local = matches!(
        host.as_str(),
        "localhost" | "127.0.0.1" | "[::1]" | "host.docker.internal"
    );
    let emulator_hub = &facts().defaults.emulator_hub;
    if !local || resolved.is_empty() || resolved.eq_ignore_ascii_case(emulator_hub) {
        return;
    }
    let shown = if resolved == raw {
        format!("\"{resolved}\"")
    } else {
        format!("\"{resolved}\" (from {raw})")
    };
    let range = string_inner_range(
        conn.file.file.text.as_str(),
        conn.value,
        &endpoint.value_range,
    );
    out.push(
        Finding::new(
            "DTS205",
            span,
            format!(
                "the task hub is {shown} and \"{}\" points at the local emulator, which serves only the hub \"{emulator_hub}\" unless it is started with DTS_TASK_HUB_NAMES={resolved}",
                conn.name
            ),
        )
        .severity(Severity::Info)
        .label("not served by the emulator by default")
        .related(json_span(conn.file, range), "the local emulator")
        .help(format!(
            "start the emulator with -e DTS_TASK_HUB_NAMES={resolved}, or use the hub \"{emulator_hub}\" locally"
        )),
    );
}
