//! DTS1xx — the backend as host.json configures it (DESIGN §4, reference §1, §2, §7).
//!
//! One file per rule; this module holds what they share and the order in which they run.
//! DTS109 (duplicate keys) belongs to this family but applies to every JSON file of every app,
//! durable or not: `files::check` runs it.

mod dts101_legacy_backend;
mod dts102_unknown_backend_type;
mod dts103_non_canonical_backend_type;
mod dts104_misplaced_backend_key;
mod dts105_missing_hub_name;
mod dts106_invalid_hub_name;
mod dts107_stale_provider_setting;
mod dts108_unsupported_on_dts;
pub(crate) mod dts109_duplicate_key;
mod dts110_renamed_provider_key;

use super::Context;
use crate::facts::{facts, BackendId};
use crate::finding::Finding;
use crate::model::Parsed;
use crate::syntax::jsonc::{Json, Member};

/// Runs the backend rules.
pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(host) = &cx.app.host else {
        return;
    };
    dts104_misplaced_backend_key::check(cx, host, out);
    dts104_misplaced_backend_key::check_nested(cx, host, out);
    if !cx.durable {
        return;
    }
    match cx.backend.id {
        Some(BackendId::Dts) => {
            // At most one of the two fires: DTS102 for an alias, DTS103 for another spelling.
            dts102_unknown_backend_type::check_dts_alias(cx, host, out);
            dts103_non_canonical_backend_type::check(cx, host, out);
            dts_section(cx, host, out);
        }
        Some(legacy) => dts101_legacy_backend::check(cx, host, legacy, out),
        None => dts102_unknown_backend_type::check(cx, host, out),
    }
}

/// DTS105–DTS108 on an app already on DTS: the rules that read its durableTask section, in
/// one walk over the section's members.
fn dts_section(cx: &Context<'_>, host: &Parsed<Json>, out: &mut Vec<Finding>) {
    let Some(dt) = cx.app.durable_task() else {
        return;
    };
    let section = &dt.value;

    // DTS105 / DTS106: the task hub name.
    match section.member_ci("hubName") {
        None => dts105_missing_hub_name::check(host, dt, out),
        Some(hub) => dts106_invalid_hub_name::check(cx, host, hub, out),
    }

    // DTS108 and DTS107: durableTask-level settings DTS does not support or ignores.
    if let Some(members) = section.members() {
        for (i, m) in members.iter().enumerate() {
            dts108_unsupported_on_dts::check_member(host, section, i, m, out);
            dts107_stale_provider_setting::check_durable_member(host, section, i, m, out);
        }
    }

    // DTS107: other providers' keys inside storageProvider.
    dts107_stale_provider_setting::check_provider(cx, host, out);

    // DTS110: the provider's own keys under their old names.
    dts110_renamed_provider_key::check(cx, host, out);
}

/// storageProvider.type on an app already on DTS, when it is a string other than the
/// canonical spelling of azureManaged (DTS102 for the aliases the runtime rejects, DTS103 for
/// the spellings it accepts): the member, its value and the canonical spelling.
/// The span of a `storageProvider.type` member's value and the safe fix that writes
/// `canonical` there (DTS102's DTS aliases, DTS103's spellings).
fn write_canonical_type(
    host: &Parsed<Json>,
    member: &Member,
    canonical: &str,
) -> (crate::finding::Span, Option<crate::fix::Fix>) {
    let edits = vec![crate::syntax::jsonc_edit::replace_value(
        &host.file.text,
        &member.value,
        &crate::syntax::jsonc_edit::NewValue::Str(canonical.into()),
    )];
    let fix = crate::rules::fix_in(
        host,
        format!("write \"{canonical}\""),
        crate::fix::Applicability::Safe,
        edits,
    );
    (
        crate::rules::json_span(host, member.value.range.clone()),
        fix,
    )
}

fn non_canonical_dts_type<'a>(cx: &Context<'a>) -> Option<(&'a Member, &'a str, &'static str)> {
    let member = cx.app.type_member()?;
    let raw = member.value.as_str()?;
    let canonical = &facts().backend(BackendId::Dts).canonical;
    (raw != canonical).then_some((member, raw, canonical.as_str()))
}

/// An `extensions` or `durableTask` member nested where the host never reads it (for example
/// under `logging`): the object holding it and its index there.
pub(crate) struct Misplaced<'a> {
    /// The object that holds the member.
    pub parent: &'a Json,
    /// The member's index in `parent`.
    pub index: usize,
    /// The member.
    pub member: &'a Member,
}

/// The `extensions` and `durableTask` members of a Functions 2+ host.json that sit anywhere
/// but where the host reads them (`extensions` at the root, `durableTask` under it). The root's
/// own `extensions` and a root-level `durableTask` (DTS104's Functions 1.x layout case) are not
/// listed; nothing inside a listed member is.
pub(crate) fn misplaced_sections(root: &Json) -> Vec<Misplaced<'_>> {
    fn walk<'a>(object: &'a Json, depth: usize, out: &mut Vec<Misplaced<'a>>) {
        let Some(members) = object.members() else {
            return;
        };
        for (index, member) in members.iter().enumerate() {
            // Only objects: `"DurableTask": "Information"` under `logLevel` is a log category.
            if (member.key.eq_ignore_ascii_case("extensions")
                || member.key.eq_ignore_ascii_case("durableTask"))
                && member.value.members().is_some()
            {
                out.push(Misplaced {
                    parent: object,
                    index,
                    member,
                });
            } else if depth > 0 {
                walk(&member.value, depth - 1, out);
            }
        }
    }
    let mut out = Vec::new();
    for member in root.members().unwrap_or_default() {
        let key = &member.key;
        if !key.eq_ignore_ascii_case("extensions") && !key.eq_ignore_ascii_case("durableTask") {
            walk(&member.value, 3, &mut out);
        }
    }
    out
}

/// A `%NAME%` reference as a whole value: the setting name.
pub fn setting_reference(value: &str) -> Option<&str> {
    let inner = value.strip_prefix('%')?.strip_suffix('%')?;
    (!inner.is_empty() && !inner.contains('%')).then_some(inner)
}

/// Whether a hub name is valid for DTS: `^[a-zA-Z0-9-]{3,64}$`.
pub fn is_valid_dts_hub_name(name: &str) -> bool {
    (3..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The hub name the fixes write: a reference to the hub setting (`%TASKHUB_NAME%`).
fn hub_reference() -> String {
    format!("%{}%", facts().defaults.hub_setting)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_names() {
        assert!(is_valid_dts_hub_name("default"));
        assert!(is_valid_dts_hub_name("my-hub-01"));
        assert!(!is_valid_dts_hub_name("ab"));
        assert!(!is_valid_dts_hub_name("TASKHUB_NAME"));
        assert_eq!(setting_reference("%TASKHUB_NAME%"), Some("TASKHUB_NAME"));
        assert_eq!(setting_reference("%A%-%B%"), None);
    }
}
