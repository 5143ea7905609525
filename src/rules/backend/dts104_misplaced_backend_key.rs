//! DTS104 `misplaced-backend-key`: a backend key in host.json that the runtime will not find
//! where it is — a missing or wrong `"version"`, `durableTask` or `storageProvider` outside
//! `extensions.durableTask`, `extensions` or `durableTask` nested elsewhere (under `logging`), a
//! storageProvider that is not an object, a miscased `"type"`. Its fixes rename the key, set
//! `"version": "2.0"`, move a nested section to where the host reads it, or show a root-level
//! `durableTask` moved under `extensions` (display-only).

use crate::finding::Finding;
use crate::fix::Applicability;
use crate::model::{FunctionsVersion, Parsed};
use crate::rules::{fix_in, json_span, Context};
use crate::syntax::jsonc::Json;
use crate::syntax::jsonc_edit::{
    append_member, edit_object, prepend_member, rename_key, replace_value, NewValue, TextEdit,
};

/// DTS104: `extensions` or `durableTask` nested where the host never reads it; the fix moves it
/// to the root's `extensions` when that does not mean merging two sections.
pub(super) fn check_nested(cx: &Context<'_>, host: &Parsed<Json>, out: &mut Vec<Finding>) {
    if cx.version == FunctionsVersion::V1 {
        return;
    }
    let root = &host.doc;
    let text = &host.file.text;
    let root_ext = root.member_ci("extensions");
    for found in super::misplaced_sections(root) {
        let m = found.member;
        let is_extensions = m.key.eq_ignore_ascii_case("extensions");
        let moved = || NewValue::Raw {
            text: text.as_str()[m.value.range.clone()].to_string(),
            from_indent: text.indent_of_line_at(m.key_range.start).to_string(),
        };
        let remove = edit_object(text, found.parent, &[found.index], &[]);
        // Where it goes: the root (an `extensions`), or the root's `extensions` (a `durableTask`,
        // or the only `durableTask` of a nested `extensions`).
        let nested_dt = if is_extensions {
            m.value.members().and_then(|ms| match ms {
                [only] if only.key.eq_ignore_ascii_case("durableTask") => Some(only),
                _ => None,
            })
        } else {
            Some(m)
        };
        let target: Option<(Vec<TextEdit>, String)> = match (root_ext, is_extensions) {
            (None, true) => Some((
                append_member(text, root, "extensions", moved()),
                "move \"extensions\" to the root of host.json".to_string(),
            )),
            (None, false) => Some((
                append_member(
                    text,
                    root,
                    "extensions",
                    NewValue::Object(vec![("durableTask".into(), moved())]),
                ),
                "move \"durableTask\" into a new \"extensions\" at the root of host.json"
                    .to_string(),
            )),
            (Some(ext), _)
                if ext.value.members().is_some()
                    && ext.value.member_ci("durableTask").is_none() =>
            {
                nested_dt.map(|dt| {
                    let value = NewValue::Raw {
                        text: text.as_str()[dt.value.range.clone()].to_string(),
                        from_indent: text.indent_of_line_at(dt.key_range.start).to_string(),
                    };
                    (
                        append_member(text, &ext.value, "durableTask", value),
                        "move \"durableTask\" into the root's \"extensions\"".to_string(),
                    )
                })
            }
            _ => None,
        };
        let fix = target.and_then(|(mut edits, message)| {
            edits.extend(remove);
            edits.sort_by_key(|(r, _)| (r.start, r.end));
            fix_in(host, message, Applicability::Safe, edits)
        });
        let mut finding = Finding::new(
            "DTS104",
            json_span(host, m.key_range.clone()),
            format!(
                "\"{}\" is nested inside another section of host.json, where the host never reads it; it belongs {}",
                m.key,
                if is_extensions { "at the root" } else { "under the root's \"extensions\"" }
            ),
        )
        .label("ignored by the host here")
        .fix(fix);
        if finding.fix.is_none() {
            finding = finding.help(
                "merge it into the root's \"extensions\" by hand: the root already has the section",
            );
        }
        out.push(finding);
    }
}

/// DTS104: keys the runtime will not find where they are.
pub(super) fn check(cx: &Context<'_>, host: &Parsed<Json>, out: &mut Vec<Finding>) {
    let root = &host.doc;
    let text = &host.file.text;
    let modern = cx.version != FunctionsVersion::V1;
    let project_v2_plus = matches!(
        cx.version,
        FunctionsVersion::V2 | FunctionsVersion::V3 | FunctionsVersion::V4
    );
    // "version": "2.0" — required from Functions 2 on.
    // `{}` is a default version-2.0 file for the host.
    let empty = root.members().is_some_and(<[_]>::is_empty);
    match root.member("version") {
        None if modern
            && !empty
            && (project_v2_plus
                || root.get_ci("extensions").is_some()
                || root.get_ci("extensionBundle").is_some()) =>
        {
            if let Some(variant) = root.member_ci("version") {
                // "Version": adding "version" beside it would make a case-insensitive duplicate
                // (DTS109), whose fix removes the new key again. Rename it instead; a wrong
                // value is reported on the next pass.
                out.push(
                    Finding::new(
                        "DTS104",
                        json_span(host, variant.key_range.clone()),
                        format!(
                            "host.json has \"{}\" but no \"version\"; Functions 2 and later look the key up in lower case",
                            variant.key
                        ),
                    )
                    .label("should be \"version\"")
                    .fix(fix_in(
                        host,
                        format!("rename \"{}\" to \"version\"", variant.key),
                        Applicability::Unsafe,
                        vec![rename_key(variant, "version")],
                    )),
                );
            } else {
                let edits = prepend_member(text, root, "version", NewValue::Str("2.0".into()));
                out.push(
                    Finding::new(
                        "DTS104",
                        json_span(host, root.range.start..root.range.start + 1),
                        "host.json has no \"version\": \"2.0\"; Functions 2 and later read this file only with it",
                    )
                    .label("no \"version\" in this object")
                    .fix(fix_in(host, "add \"version\": \"2.0\"", Applicability::Unsafe, edits)),
                );
            }
        }
        Some(version) if version.value.as_str() != Some("2.0") => {
            let shown = &text.as_str()[version.value.range.clone()];
            let edits = vec![replace_value(
                text,
                &version.value,
                &NewValue::Str("2.0".into()),
            )];
            out.push(
                Finding::new(
                    "DTS104",
                    json_span(host, version.value.range.clone()),
                    format!("host.json \"version\" is {shown}; the only schema version is \"2.0\""),
                )
                .label("expected \"2.0\"")
                .fix(fix_in(
                    host,
                    "set \"version\" to \"2.0\"",
                    Applicability::Unsafe,
                    edits,
                )),
            );
        }
        _ => {}
    }
    // durableTask at the root of a Functions 2+ host.json.
    if modern {
        if let Some(m) = root.member_ci("durableTask") {
            out.push(
                Finding::new(
                    "DTS104",
                    json_span(host, m.key_range.clone()),
                    "\"durableTask\" is at the root of host.json; Functions 2 and later read it only under \"extensions\"",
                )
                .label("ignored by the host here")
                .help("move the section into \"extensions\": { \"durableTask\": { … } }"),
            );
        }
        for (parent, label) in [
            (root, "the root"),
            (root.get_ci("extensions").unwrap_or(root), "\"extensions\""),
        ] {
            if let Some(m) = parent.member_ci("storageProvider") {
                if std::ptr::eq(parent, root) && label != "the root" {
                    continue;
                }
                out.push(
                    Finding::new(
                        "DTS104",
                        json_span(host, m.key_range.clone()),
                        format!("\"storageProvider\" is directly under {label}; the host reads it only inside \"durableTask\""),
                    )
                    .label("ignored by the host here")
                    .help("move it into \"extensions\": { \"durableTask\": { \"storageProvider\": … } }"),
                );
            }
        }
    }
    let Some(provider) = cx.app.storage_provider() else {
        return;
    };
    let Some(members) = provider.value.members() else {
        out.push(
            Finding::new(
                "DTS104",
                json_span(host, provider.value.range.clone()),
                format!("\"storageProvider\" is {}, not an object", provider.value.kind_name()),
            )
            .label("expected { \"type\": … }")
            .help("write \"storageProvider\": { \"type\": \"azureManaged\", \"connectionStringName\": \"DURABLE_TASK_SCHEDULER_CONNECTION_STRING\" }"),
        );
        return;
    };
    let exact = provider.value.member("type").is_some();
    for m in members {
        if m.key != "type" && m.key.eq_ignore_ascii_case("type") {
            let fix = if exact {
                None
            } else {
                fix_in(
                    host,
                    format!("rename \"{}\" to \"type\"", m.key),
                    Applicability::Safe,
                    vec![rename_key(m, "type")],
                )
            };
            out.push(
                Finding::new(
                    "DTS104",
                    json_span(host, m.key_range.clone()),
                    format!("\"{}\" is not read: the runtime looks up \"type\" in lower case and falls back to Azure Storage", m.key),
                )
                .label("should be \"type\"")
                .fix(fix),
            );
        }
    }
}
