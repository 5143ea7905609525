//! DTS101 `legacy-backend`: the durable app runs on Azure Storage, MSSQL or Netherite (a
//! `storageProvider.type` naming one of them or an alias of one, no type, or no storageProvider
//! at all) instead of the Durable Task Scheduler. Its fix rewrites the backend selection in
//! host.json: storageProvider becomes `azureManaged` with the DTS connection setting, hubName
//! becomes `%TASKHUB_NAME%`.

use super::{hub_reference, setting_reference};
use crate::facts::settings::settings_facts;
use crate::facts::{facts, BackendId};
use crate::finding::Finding;
use crate::fix::{Applicability, Fix};
use crate::model::hub_note::{self, HubNote};
use crate::model::{BackendSource, FunctionsVersion, Hosting, Parsed};
use crate::rules::{fix_in, fix_in_when_planned, json_span, Context};
use crate::syntax::jsonc::{Json, Member};
use crate::syntax::jsonc_edit::{append_member, edit_object, replace_value, NewValue, TextEdit};

/// DTS101: the app runs on Azure Storage, MSSQL or Netherite.
pub(super) fn check(
    cx: &Context<'_>,
    host: &Parsed<Json>,
    legacy: BackendId,
    out: &mut Vec<Finding>,
) {
    let f = facts();
    let label = &f.backend(legacy).label;
    let root = &host.doc;
    let (span, message) = match &cx.backend.source {
        BackendSource::Type { raw } => (
            cx.app.type_member().map(|m| m.value.range.clone()),
            // `concat`, not `format!`: this runs for most apps of a monorepo.
            [
                "storageProvider.type is \"",
                raw,
                "\": the app runs on ",
                label,
                ", not on the Durable Task Scheduler",
            ]
            .concat(),
        ),
        BackendSource::Alias { raw } => (
            cx.app.type_member().map(|m| m.value.range.clone()),
            [
                "storageProvider.type is \"",
                raw,
                "\", a name the runtime rejects; it means ",
                label,
                ", a legacy backend",
            ]
            .concat(),
        ),
        BackendSource::Typeless => {
            let mut message = format!(
                "storageProvider has no \"type\", so the runtime uses {label}, the default backend"
            );
            if let Some((pkg_backend, _, id)) = cx.app.backend_package() {
                if pkg_backend != legacy {
                    message.push_str(&format!(
                        " (the app also references {id}, the {} provider package, which older runtimes picked by itself)",
                        f.backend(pkg_backend).label
                    ));
                }
            }
            if only_netherite_keys(cx) {
                message.push_str(&format!(
                    "; its keys are all {}'s, so {} was most likely meant (a typeless storageProvider never selects it)",
                    f.backend(BackendId::Netherite).label,
                    f.backend(BackendId::Netherite).label
                ));
            }
            (
                cx.app.storage_provider().map(|m| m.key_range.clone()),
                message,
            )
        }
        BackendSource::Default => (
            cx.app.durable_task().map(|m| m.key_range.clone()),
            [
                "no storageProvider is configured, so the app runs on ",
                label,
                ", the default backend",
            ]
            .concat(),
        ),
    };
    let span = span.unwrap_or(root.range.start..root.range.start + 1);
    let mut finding =
        Finding::new("DTS101", json_span(host, span), message).label([label, " backend"].concat());
    if let Some((pkg_backend, pkg_span, id)) = cx.app.backend_package() {
        if pkg_backend != BackendId::Dts {
            finding = finding.related(pkg_span, format!("{id} ({})", f.backend(pkg_backend).label));
        }
    }
    match cx.version {
        FunctionsVersion::V1 => {
            finding = finding.help("Functions 1.x has no Durable Task Scheduler provider: move the app to Functions 4 (.NET isolated) first; files of v1 apps are never rewritten");
        }
        version => {
            let applicability = if !version.has_dts() {
                Applicability::DisplayOnly
            } else if cx.hosting == Hosting::InProcess {
                // Applied, it would select azureManaged in an in-process app: DTS304's error.
                Applicability::DisplayOnly
            } else {
                Applicability::Safe
            };
            // A section nested where the host never reads it is moved first (DTS104); the
            // migration follows on the next pass, so it never adds a second block.
            if super::misplaced_sections(root).is_empty() {
                finding = finding.fix(migration_fix(cx, host, applicability));
            } else {
                finding = finding.help("a durable section is nested where the host never reads it: DTS104 moves it first, then this migration applies");
            }
            if !version.has_dts() {
                finding = finding.help(
                    "the Durable Task Scheduler needs Functions 4, and Functions 2.x and 3.x have been out of support since December 2022: upgrade the app first",
                );
            } else if cx.hosting == Hosting::InProcess {
                finding = finding.help("in-process support ended on 2026-11-10 and the Durable Task Scheduler supports only the isolated worker: move the app to the isolated worker first (the fix is display-only)");
            }
        }
    }
    out.push(finding);
}

/// Whether the typeless storageProvider holds only Netherite keys, at least one of which
/// Azure Storage does not read (keys match ignoring case).
fn only_netherite_keys(cx: &Context<'_>) -> bool {
    let keys = &facts().provider_keys;
    let Some(members) = cx.app.storage_provider().and_then(|p| p.value.members()) else {
        return false;
    };
    let has = |list: &[String], key: &str| list.iter().any(|k| k.eq_ignore_ascii_case(key));
    !members.is_empty()
        && members.iter().all(|m| has(&keys.netherite, &m.key))
        && members.iter().any(|m| !has(&keys.azure_storage, &m.key))
}

/// The host.json part of the migration (DESIGN §4, DTS101): storageProvider becomes exactly
/// `type` + `connectionStringName`, hubName becomes `%TASKHUB_NAME%`, missing objects are
/// inserted as last members in the order extensions → durableTask → hubName, storageProvider.
fn migration_fix(
    cx: &Context<'_>,
    host: &Parsed<Json>,
    applicability: Applicability,
) -> Option<Fix> {
    let f = facts();
    let setting = &f.defaults.connection_setting;
    let hub = hub_reference();
    let dts = &f.backend(BackendId::Dts).canonical;
    let section = cx.app.durable_task().map(|dt| &dt.value);
    // The section's hubName member, when the section is an object; a hubName that names an
    // app setting is kept as it is.
    let hub_name = section.and_then(|s| s.members().map(|_| s.member_ci("hubName")));
    let kept = |h: &Member| {
        h.value
            .as_str()
            .is_some_and(|v| setting_reference(v).is_some())
    };
    let old_hub = match hub_name {
        Some(Some(h)) if !kept(h) => Some(&host.file.text.as_str()[h.value.range.clone()]),
        _ => None,
    };
    // An existing `%X%` hubName is kept; the message says what is really written.
    let kept_hub = match hub_name {
        Some(Some(h)) if kept(h) => h.value.as_str().map(|v| format!("{v} (kept)")),
        _ => None,
    };
    let shown_hub = kept_hub.unwrap_or_else(|| hub.clone());
    let mut message = [
        "use the Durable Task Scheduler: storageProvider { type: ",
        dts,
        ", connectionStringName: ",
        setting,
        " }, hubName ",
        &shown_hub,
    ]
    .concat();
    if let Some(old) = old_hub {
        for part in [
            " (the old hub name was ",
            old,
            "; create the task hub under that name or a new one)",
        ] {
            message.push_str(part);
        }
    }
    // Edits are certain unless the section is an object that keeps its hubName and has a
    // storageProvider object (which may already read as wanted): only then must they be
    // planned to know whether there is a fix at all.
    let provider_object = section
        .and_then(|s| s.member_ci("storageProvider"))
        .is_some_and(|sp| sp.value.members().is_some());
    let certain = match hub_name {
        None => true,
        Some(hub_member) => old_hub.is_some() || hub_member.is_none() || !provider_object,
    };
    let edits = || migration_edits(cx, host, dts, setting, &hub);
    if certain {
        fix_in_when_planned(cx, host, message, applicability, edits)
    } else {
        fix_in(host, message, applicability, edits())
    }
}

/// The edits of [`migration_fix`].
fn migration_edits(
    cx: &Context<'_>,
    host: &Parsed<Json>,
    dts: &str,
    setting: &str,
    hub: &str,
) -> Vec<TextEdit> {
    let text = &host.file.text;
    let provider_value = || {
        NewValue::Object(vec![
            ("type".into(), NewValue::Str(dts.into())),
            ("connectionStringName".into(), NewValue::Str(setting.into())),
        ])
    };
    let mut edits: Vec<TextEdit> = Vec::new();
    match cx.app.durable_task() {
        Some(dt) if dt.value.members().is_some() => {
            let section = &dt.value;
            let mut append: Vec<(String, NewValue)> = Vec::new();
            match section.member_ci("hubName") {
                Some(h) => {
                    let keep = h
                        .value
                        .as_str()
                        .is_some_and(|v| setting_reference(v).is_some());
                    if !keep {
                        edits.push(replace_value(text, &h.value, &NewValue::Str(hub.into())));
                    }
                }
                None => append.push(("hubName".into(), NewValue::Str(hub.into()))),
            }
            match section.member_ci("storageProvider") {
                Some(sp) if sp.value.members().is_some() => {
                    edits.extend(rewrite_provider(text, &sp.value, dts, setting));
                }
                Some(sp) => edits.push(replace_value(text, &sp.value, &provider_value())),
                None => append.push(("storageProvider".into(), provider_value())),
            }
            if !append.is_empty() {
                edits.extend(edit_object(text, section, &[], &append));
            }
        }
        Some(dt) => {
            let value = NewValue::Object(vec![
                ("hubName".into(), NewValue::Str(hub.into())),
                ("storageProvider".into(), provider_value()),
            ]);
            edits.push(replace_value(text, &dt.value, &value));
        }
        None => {
            let section = NewValue::Object(vec![
                ("hubName".into(), NewValue::Str(hub.into())),
                ("storageProvider".into(), provider_value()),
            ]);
            let root = &host.doc;
            match root.member_ci("extensions") {
                Some(ext) if ext.value.members().is_some() => {
                    edits.extend(append_member(text, &ext.value, "durableTask", section));
                }
                Some(ext) => edits.push(replace_value(
                    text,
                    &ext.value,
                    &NewValue::Object(vec![("durableTask".into(), section)]),
                )),
                None => edits.extend(append_member(
                    text,
                    root,
                    "extensions",
                    NewValue::Object(vec![("durableTask".into(), section)]),
                )),
            }
        }
    }
    add_note(cx, host, edits)
}

/// The migration's note ([`HubNote`]) on the line before `hubName`, so that `dts-migrate plan`
/// finds the old hub name, backend and settings after the migration: inside the text an edit
/// inserts when that text holds `hubName`, else before the section's own `hubName` member.
/// Nothing is added when host.json holds a note already.
fn add_note(cx: &Context<'_>, host: &Parsed<Json>, mut edits: Vec<TextEdit>) -> Vec<TextEdit> {
    let text = &host.file.text;
    if HubNote::find(text.as_str()).is_some() {
        return edits;
    }
    let Some(legacy) = cx.backend.id.filter(|id| *id != BackendId::Dts) else {
        return edits;
    };
    let section = cx.app.durable_task().map(|dt| &dt.value);
    let hub_member = section.and_then(|s| s.members().and_then(|_| s.member_ci("hubName")));
    let s = settings_facts();
    let defaults: Vec<String> = s
        .stale_settings
        .iter()
        .filter(|st| st.backend == legacy)
        .flat_map(|st| st.names.iter().cloned())
        .collect();
    let note = HubNote {
        task_hub: hub_member
            .and_then(|h| h.value.as_str())
            .filter(|v| !v.trim().is_empty() && !v.contains('%'))
            .map(str::to_string),
        hub_setting: hub_member
            .and_then(|h| h.value.as_str())
            .and_then(setting_reference)
            .map(str::to_string),
        migrated_from: Some(facts().backend(legacy).canonical.clone()),
        old_settings: hub_note::legacy_settings(
            cx.app.storage_provider().map(|p| &p.value),
            &defaults,
            &s.stale_setting_keys.keys,
            &s.host_storage,
        ),
    };
    let eol = text.eol();
    if let Some((_, inserted)) = edits.iter_mut().find(|(_, t)| t.contains("\"hubName\"")) {
        *inserted = hub_note::with_note_before_hub_name(inserted, &note, eol);
    } else if let Some(h) = hub_member {
        let (at, insert) =
            hub_note::insertion_before_key(text.as_str(), h.key_range.start, &note, eol);
        edits.push((at..at, insert));
        edits.sort_by_key(|(range, _)| (range.start, range.end));
    }
    edits
}

/// Edits that leave a storageProvider object with only `type` and `connectionStringName`.
fn rewrite_provider(
    text: &crate::source::text::SourceText,
    provider: &Json,
    dts: &str,
    setting: &str,
) -> Vec<TextEdit> {
    let Some(members) = provider.members() else {
        return Vec::new();
    };
    let type_idx = members.iter().rposition(|m| m.key == "type");
    let conn_idx = members
        .iter()
        .rposition(|m| m.key == "connectionStringName");
    let mut edits = Vec::new();
    let mut append = Vec::new();
    match type_idx {
        Some(i) if members[i].value.as_str() == Some(dts) => {}
        Some(i) => edits.push(replace_value(
            text,
            &members[i].value,
            &NewValue::Str(dts.into()),
        )),
        None => append.push(("type".to_string(), NewValue::Str(dts.into()))),
    }
    match conn_idx {
        Some(i) if members[i].value.as_str() == Some(setting) => {}
        Some(i) => edits.push(replace_value(
            text,
            &members[i].value,
            &NewValue::Str(setting.into()),
        )),
        None => append.push((
            "connectionStringName".to_string(),
            NewValue::Str(setting.into()),
        )),
    }
    let remove: Vec<usize> = (0..members.len())
        .filter(|&i| Some(i) != type_idx && Some(i) != conn_idx)
        .collect();
    edits.extend(edit_object(text, provider, &remove, &append));
    edits
}
