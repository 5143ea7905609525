//! DTS5xx — files, one rule per file. DTS501 (parse errors) and DTS504 (size) are the findings
//! of the problems met while loading (`model::load`, turned into findings by
//! [`load_findings`]); DTS505 and DTS506 those of the engine's suppression pass; [`check`] adds
//! DTS502 (more than one project file beside host.json) and DTS503 (an encrypted
//! local.settings.json of a durable app), and runs DTS109 (duplicate keys, a backend rule in
//! `backend/dts109_duplicate_key.rs`) on every JSON file of every app, durable or not.

use super::backend::dts109_duplicate_key;
use super::Context;
use crate::finding::Finding;
use crate::model::{LoadFailure, LoadProblem};
use crate::syntax::jsonc::{Json, JsonKind};

mod dts501_parse_error;
mod dts502_ambiguous_project;
mod dts503_encrypted_settings;
mod dts504_file_too_large;
pub mod dts505_unused_suppression;
pub mod dts506_invalid_suppression;

/// The findings for the files the loader could not use: DTS504 over the size limit, DTS501
/// for every other failure.
pub fn load_findings(problems: &[LoadProblem]) -> Vec<Finding> {
    problems
        .iter()
        .map(|p| match p.failure {
            LoadFailure::TooLarge => dts504_file_too_large::finding(p),
            _ => dts501_parse_error::finding(p),
        })
        .collect()
}

/// Runs the file rules.
pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if let Some(host) = &cx.app.host {
        // host.json sections are bound by .NET configuration, which ignores key case.
        dts109_duplicate_key::check(host, true, cx.bounded, out);
    }
    if let Some(settings) = &cx.app.local_settings {
        dts109_duplicate_key::check(settings, false, cx.bounded, out);
        if cx.durable {
            dts503_encrypted_settings::check(settings, out);
        }
    }
    dts502_ambiguous_project::check(cx, out);
}

/// Whether local.settings.json says its values are encrypted (`"IsEncrypted": true`).
pub fn is_encrypted(settings: &Json) -> bool {
    match settings.get_ci("IsEncrypted").map(|v| &v.kind) {
        Some(JsonKind::Bool(b)) => *b,
        Some(JsonKind::String(s)) => s.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}
