//! Whether an app's migration can be written whole (DESIGN §5, "whole or not at all"): the
//! reasons known before any fix (a file that cannot be read or parsed, Functions 1.x, a
//! local.settings.json that cannot take the settings the migration adds) and the one known
//! only at the fixed point (the fixed app would have an error it does not have now: a fix the
//! migration needs could not be made). Both `--write` and the fix counts of a plain check use
//! these, so that a check never claims a fix that `--write` would refuse.

use std::collections::HashSet;

use super::fixpoint::{AppFix, Status};
use crate::facts::Severity;
use crate::finding::Finding;
use crate::fix::Applicability;
use crate::model::{App, FunctionsVersion};
use crate::source::display_path;
use crate::syntax::jsonc::JsonKind;

/// Why no file of `app` may be rewritten, from what is known before fixing: `all` are every
/// finding of the first pass, whatever the selection.
pub fn before_fixing(app: &App, all: &[Finding]) -> Option<String> {
    if all.iter().any(|f| matches!(f.code, "DTS501" | "DTS504")) {
        return Some(
            "a file of this app cannot be read or parsed (DTS501/DTS504); no file of the app is rewritten"
                .to_string(),
        );
    }
    if app.functions_version() == FunctionsVersion::V1 {
        return Some("Functions 1.x apps are reported but never rewritten".to_string());
    }
    // The migration (DTS101) adds the scheduler's connection, hub and storage settings.
    if all.iter().any(|f| f.code == "DTS101") {
        return settings_closed(app);
    }
    None
}

/// Why the migration's settings cannot be added to the app's local.settings.json: it is
/// encrypted, or its `Values` is not an object (`null`, a string, an array).
fn settings_closed(app: &App) -> Option<String> {
    let local = app.local_settings.as_ref()?;
    let path = display_path(&local.file.path);
    if crate::rules::files::is_encrypted(&local.doc) {
        return Some(format!(
            "{path} is encrypted, so the settings the migration needs cannot be added; no file of the app is written (run `func settings decrypt`, run again, then `func settings encrypt`)"
        ));
    }
    let values = local.doc.get("Values")?;
    if matches!(values.kind, JsonKind::Object(_)) {
        return None;
    }
    Some(format!(
        "\"Values\" in {path} is {}, not an object, so the settings the migration needs cannot be added; no file of the app is written (make it an object and run again)",
        values.kind_name()
    ))
}

/// Why the fixed app may not be written: errors it would have (`after`, at the fixed point)
/// that it does not have now (`before`, the first pass). Such an error is a fix the migration
/// needs that could not be made, and writing the rest would leave the app unable to start.
pub fn after_fixing(before: &[Finding], after: &[Finding]) -> Option<String> {
    let key = |f: &Finding| (f.code, f.span.file.path.clone(), f.message.clone());
    let had: HashSet<_> = before
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(key)
        .collect();
    let new: Vec<&Finding> = after
        .iter()
        .filter(|f| f.severity == Severity::Error && !had.contains(&key(f)))
        .collect();
    let first = new.first()?;
    let more = match new.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    // Its fix, when it has one that was not applied, says why.
    let why = match &first.fix {
        Some(fix) if fix.applicability == Applicability::DisplayOnly => {
            format!("; {}", fix.message)
        }
        _ => String::new(),
    };
    Some(format!(
        "its fixes would leave it with an error it does not have now ({} in {}: {}{why}){more}; no file of the app is written",
        first.code,
        display_path(&first.span.file.path),
        first.message,
    ))
}

/// Why the migration of `app` cannot be written whole, when one of its files cannot be
/// rewritten (UTF-16) and the app would be left half-migrated: a file of the app's own
/// (host.json, local.settings.json, its projects) that is not UTF-8, or any file a remaining
/// fix still wants to edit but may not because of its encoding. `findings` are those of the
/// fixed point.
pub fn unwritable(app: &App, findings: &[Finding]) -> Option<String> {
    let own = app
        .host
        .iter()
        .map(|p| &p.file)
        .chain(app.local_settings.iter().map(|p| &p.file))
        .chain(app.projects.iter().map(|p| &p.file))
        .chain(app.extensions_project.iter().map(|p| &p.file));
    let wanted = findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .filter(|fix| fix.applicability == Applicability::DisplayOnly)
        .flat_map(|fix| fix.edits.iter().map(|e| &e.file));
    let file = own
        .chain(wanted)
        .find(|file| !file.text.encoding().is_writable())?;
    let encoding = match file.text.encoding() {
        crate::source::text::Encoding::Utf16Be => "UTF-16 (big endian)",
        _ => "UTF-16",
    };
    Some(format!(
        "{} is {encoding}, which dts-migrate reads but never rewrites, and an app is migrated whole or not at all: no file of the app is written (save it as UTF-8 and run again)",
        crate::source::display_path(&file.path)
    ))
}

/// Adds to the reason of an app held with safe fixes that `--unsafe-fixes` migrates it whole,
/// when `with_unsafe` (the app fixed with unsafe fixes too) would be written.
pub fn hint_unsafe(
    result: &mut AppFix,
    allowed: Applicability,
    with_unsafe: impl FnOnce() -> AppFix,
) {
    if allowed != Applicability::Safe || !result.blocked {
        return;
    }
    let Status::Refused { reason } = &mut result.status else {
        return;
    };
    let completed = with_unsafe();
    if completed.status == Status::Converged && !completed.changes.is_empty() {
        reason.push_str("; `--write --unsafe-fixes` migrates it whole");
    }
}

/// Marks the fixes of a held app's findings as not applied: they become display-only and say
/// why, so that no report counts or marks them as fixable.
pub fn mark_held(findings: &mut [Finding], reason: &str) {
    for fix in findings.iter_mut().filter_map(|f| f.fix.as_mut()) {
        if fix.applicability > Applicability::DisplayOnly {
            fix.applicability = Applicability::DisplayOnly;
            fix.message = format!("{} (not applied: {reason})", fix.message);
        }
    }
}
