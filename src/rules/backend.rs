//! DTS1xx — the backend as host.json configures it (DESIGN §4, reference §1, §2, §7).

use super::{fix_in, fix_in_when_planned, json_span, Context};
use crate::facts::{facts, BackendId};
use crate::finding::{Finding, Span};
use crate::fix::{Applicability, Fix};
use crate::model::{BackendSource, FunctionsVersion, Hosting, Parsed};
use crate::syntax::jsonc::{Json, Member};
use crate::syntax::jsonc_edit::{
    append_member, edit_object, prepend_member, rename_key, replace_value, NewValue, TextEdit,
};

/// Runs the backend rules.
pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(host) = &cx.app.host else {
        return;
    };
    misplaced_keys(cx, host, out);
    if !cx.durable {
        return;
    }
    match cx.backend.id {
        Some(BackendId::Dts) => {
            backend_type_spelling(cx, host, out);
            dts_section(cx, host, out);
        }
        Some(legacy) => legacy_backend(cx, host, legacy, out),
        None => unknown_type(cx, host, out),
    }
}

/// A `%NAME%` reference as a whole value: the setting name.
pub fn setting_reference(value: &str) -> Option<&str> {
    let inner = value.strip_prefix('%')?.strip_suffix('%')?;
    (!inner.is_empty() && !inner.contains('%')).then_some(inner)
}

/// Whether a literal looks like the name of an app setting (`TASKHUB_NAME`, `MY_HUB`).
fn looks_like_setting_name(value: &str) -> bool {
    let mut parts = value.split('_');
    let first_ok = parts
        .next()
        .is_some_and(|p| p.chars().next().is_some_and(|c| c.is_ascii_uppercase()));
    first_ok
        && value.contains('_')
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && value.split('_').all(|p| !p.is_empty())
}

/// Whether a hub name is valid for DTS: `^[a-zA-Z0-9-]{3,64}$`.
pub fn is_valid_dts_hub_name(name: &str) -> bool {
    (3..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn hub_reference() -> String {
    format!("%{}%", facts().defaults.hub_setting)
}

/// DTS104: keys the runtime will not find where they are.
fn misplaced_keys(cx: &Context<'_>, host: &Parsed<Json>, out: &mut Vec<Finding>) {
    let root = &host.doc;
    let text = &host.file.text;
    let modern = cx.version != FunctionsVersion::V1;
    let project_v2_plus = matches!(
        cx.version,
        FunctionsVersion::V2 | FunctionsVersion::V3 | FunctionsVersion::V4
    );
    // "version": "2.0" — required from Functions 2 on.
    match root.member("version") {
        None if modern
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

/// DTS101: the app runs on Azure Storage, MSSQL or Netherite.
fn legacy_backend(
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
            format!("storageProvider.type is \"{raw}\": the app runs on {label}, not on the Durable Task Scheduler"),
        ),
        BackendSource::Alias { raw } => (
            cx.app.type_member().map(|m| m.value.range.clone()),
            format!("storageProvider.type is \"{raw}\", a name the runtime rejects; it means {label}, a legacy backend"),
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
            (cx.app.storage_provider().map(|m| m.key_range.clone()), message)
        }
        BackendSource::Default => (
            cx.app
                .durable_task()
                .map(|m| m.key_range.clone()),
            format!("no storageProvider is configured, so the app runs on {label}, the default backend"),
        ),
    };
    let span = span.unwrap_or(root.range.start..root.range.start + 1);
    let mut finding =
        Finding::new("DTS101", json_span(host, span), message).label(format!("{label} backend"));
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
                Applicability::Unsafe
            } else {
                Applicability::Safe
            };
            finding = finding.fix(migration_fix(cx, host, applicability));
            if !version.has_dts() {
                finding = finding
                    .help("the Durable Task Scheduler needs Functions 4: upgrade the app first");
            } else if cx.hosting == Hosting::InProcess {
                finding = finding.help("in-process apps reach end of support on 2026-11-10 and DTS samples are isolated-only: the fix is unsafe");
            }
        }
    }
    out.push(finding);
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
    let mut message = format!(
        "use the Durable Task Scheduler: storageProvider {{ type: {dts}, connectionStringName: {setting} }}, hubName {hub}"
    );
    if let Some(old) = old_hub {
        message.push_str(&format!(
            " (the old hub name was {old}; create the task hub under that name or a new one)"
        ));
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

/// DTS102: a type the runtime rejects, on an app whose intent is DTS or unknown.
fn unknown_type(cx: &Context<'_>, host: &Parsed<Json>, out: &mut Vec<Finding>) {
    let Some(member) = cx.app.type_member() else {
        return;
    };
    let f = facts();
    let dts = f.backend(BackendId::Dts);
    let span = json_span(host, member.value.range.clone());
    let Some(raw) = member.value.as_str() else {
        out.push(
            Finding::new(
                "DTS102",
                span,
                format!(
                    "storageProvider.type is {}, not a string; the host will not start",
                    member.value.kind_name()
                ),
            )
            .label("expected a provider name")
            .help(format!(
                "use \"{}\" for the Durable Task Scheduler",
                dts.canonical
            )),
        );
        return;
    };
    let message = if raw.is_empty() {
        "storageProvider.type is empty; the host will not start (\"Storage provider type () was not found\")".to_string()
    } else {
        format!("storageProvider.type \"{raw}\" is not a provider the runtime knows; the host fails with \"Storage provider type ({raw}) was not found\"")
    };
    out.push(
        Finding::new("DTS102", span, message)
            .label("unknown provider type")
            .help(format!(
                "the runtime accepts {}, {}, {} and {} (any case)",
                f.backend(BackendId::Dts).canonical,
                f.backend(BackendId::AzureStorage).canonical,
                f.backend(BackendId::Mssql).canonical,
                f.backend(BackendId::Netherite).canonical
            )),
    );
}

/// DTS102 for DTS aliases the runtime rejects, and DTS103 for accepted but non-canonical
/// spellings of azureManaged.
fn backend_type_spelling(cx: &Context<'_>, host: &Parsed<Json>, out: &mut Vec<Finding>) {
    let Some(member) = cx.app.type_member() else {
        return;
    };
    let Some(raw) = member.value.as_str() else {
        return;
    };
    let canonical = &facts().backend(BackendId::Dts).canonical;
    if raw == canonical {
        return;
    }
    let text = &host.file.text;
    let edits = vec![replace_value(
        text,
        &member.value,
        &NewValue::Str(canonical.clone()),
    )];
    let span = json_span(host, member.value.range.clone());
    match &cx.backend.source {
        BackendSource::Alias { .. } => out.push(
            Finding::new(
                "DTS102",
                span,
                format!("storageProvider.type \"{raw}\" is not a provider name the runtime knows; the host fails with \"Storage provider type ({raw}) was not found\""),
            )
            .label(format!("means \"{canonical}\""))
            .fix(fix_in(host, format!("write \"{canonical}\""), Applicability::Safe, edits)),
        ),
        _ => out.push(
            Finding::new(
                "DTS103",
                span,
                format!("storageProvider.type \"{raw}\" works at runtime but is not the canonical spelling \"{canonical}\" that editor tooling compares exactly"),
            )
            .label(format!("write \"{canonical}\""))
            .fix(fix_in(host, format!("write \"{canonical}\""), Applicability::Safe, edits)),
        ),
    }
}

/// DTS105–DTS108 on an app already on DTS.
fn dts_section(cx: &Context<'_>, host: &Parsed<Json>, out: &mut Vec<Finding>) {
    let Some(dt) = cx.app.durable_task() else {
        return;
    };
    let section = &dt.value;
    let text = &host.file.text;
    let f = facts();

    // DTS105 / DTS106: the task hub name.
    match section.member_ci("hubName") {
        None => {
            let edits = append_member(text, section, "hubName", NewValue::Str(hub_reference()));
            out.push(
                Finding::new(
                    "DTS105",
                    json_span(host, dt.key_range.clone()),
                    "azureManaged without \"hubName\": the hub defaults to the site name and the scheduler answers \"Task hub not found\"",
                )
                .label("no hubName in this section")
                .fix(fix_in(host, format!("add \"hubName\": \"{}\"", hub_reference()), Applicability::Safe, edits)),
            );
        }
        Some(hub) => hub_name(cx, host, hub, out),
    }

    // DTS108: durableTask-level settings DTS does not support.
    if let Some(members) = section.members() {
        for (i, m) in members.iter().enumerate() {
            if f.unsupported_on_dts
                .iter()
                .any(|k| k.eq_ignore_ascii_case(&m.key))
            {
                let edits = edit_object(text, section, &[i], &[]);
                out.push(
                    Finding::new(
                        "DTS108",
                        json_span(host, m.key_range.clone()),
                        format!(
                            "\"{}\" is not available on the Durable Task Scheduler backend",
                            m.key
                        ),
                    )
                    .label("not supported on DTS")
                    .fix(fix_in(
                        host,
                        format!("remove \"{}\"", m.key),
                        Applicability::Safe,
                        edits,
                    )),
                );
            }
            if f.provider_keys
                .durable_level
                .iter()
                .any(|k| k.eq_ignore_ascii_case(&m.key))
            {
                out.push(stale_key(host, section, i, m, "Azure Storage"));
            }
        }
    }

    // DTS107: other providers' keys inside storageProvider.
    if let Some(provider) = cx.app.storage_provider() {
        if let Some(members) = provider.value.members() {
            for (i, m) in members.iter().enumerate() {
                if f.dts_keys.iter().any(|k| k.eq_ignore_ascii_case(&m.key)) {
                    continue;
                }
                let keys = &f.provider_keys;
                let owner = [
                    (&keys.azure_storage, "Azure Storage"),
                    (&keys.mssql, "MSSQL"),
                    (&keys.netherite, "Netherite"),
                ]
                .into_iter()
                .find(|(list, _)| list.iter().any(|k| k.eq_ignore_ascii_case(&m.key)))
                .map(|(_, name)| name);
                if let Some(owner) = owner {
                    out.push(stale_key(host, &provider.value, i, m, owner));
                }
            }
        }
    }
}

fn stale_key(host: &Parsed<Json>, object: &Json, index: usize, m: &Member, owner: &str) -> Finding {
    let edits = edit_object(&host.file.text, object, &[index], &[]);
    Finding::new(
        "DTS107",
        json_span(host, m.key_range.clone()),
        format!(
            "\"{}\" is a setting of the {owner} backend; the Durable Task Scheduler ignores it",
            m.key
        ),
    )
    .label(format!("{owner} setting"))
    .fix(fix_in(
        host,
        format!("remove \"{}\"", m.key),
        Applicability::Safe,
        edits,
    ))
}

/// DTS106: the hub name under azureManaged.
fn hub_name(cx: &Context<'_>, host: &Parsed<Json>, hub: &Member, out: &mut Vec<Finding>) {
    let text = &host.file.text;
    let span = json_span(host, hub.value.range.clone());
    let Some(value) = hub.value.as_str() else {
        out.push(
            Finding::new(
                "DTS106",
                span,
                format!("\"hubName\" is {}, not a string", hub.value.kind_name()),
            )
            .label("expected a task hub name"),
        );
        return;
    };
    if value.contains('%') {
        // A setting reference: check the resolved value when local.settings.json has it.
        let Some(name) = setting_reference(value) else {
            return;
        };
        // Values of an encrypted local.settings.json cannot be read (DTS503).
        if cx
            .app
            .local_settings
            .as_ref()
            .is_some_and(|s| super::files::is_encrypted(&s.doc))
        {
            return;
        }
        let Some(setting) = cx.app.setting(name) else {
            return;
        };
        let Some(resolved) = setting.value.as_str() else {
            return;
        };
        if !is_valid_dts_hub_name(resolved) {
            if let Some(settings) = &cx.app.local_settings {
                out.push(
                    Finding::new(
                        "DTS106",
                        span,
                        format!("\"hubName\" resolves to \"{resolved}\" (from {name}), which is not a valid task hub name (3–64 letters, digits and hyphens)"),
                    )
                    .label("invalid task hub name")
                    .related(Span::new(&settings.file, setting.value.range.clone()), format!("{name} is set here")),
                );
            }
        }
        return;
    }
    let is_setting = cx.app.setting(value).is_some();
    if is_setting || looks_like_setting_name(value) {
        let reference = format!("%{value}%");
        let edits = vec![replace_value(
            text,
            &hub.value,
            &NewValue::Str(reference.clone()),
        )];
        let why = if is_setting {
            "is the name of a setting in local.settings.json"
        } else {
            "looks like the name of an app setting"
        };
        out.push(
            Finding::new(
                "DTS106",
                span,
                format!("\"hubName\" is the literal \"{value}\", which {why}; without % around it the hub is literally named \"{value}\""),
            )
            .label(format!("write \"{reference}\""))
            .fix(fix_in(host, format!("write \"{reference}\""), Applicability::Safe, edits)),
        );
    } else if !is_valid_dts_hub_name(value) {
        out.push(
            Finding::new(
                "DTS106",
                span,
                format!("\"hubName\" \"{value}\" is not a valid Durable Task Scheduler task hub name (3–64 letters, digits and hyphens)"),
            )
            .label("invalid task hub name"),
        );
    }
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
        assert!(looks_like_setting_name("TASKHUB_NAME"));
        assert!(!looks_like_setting_name("default"));
        assert!(!looks_like_setting_name("MYHUB"));
        assert_eq!(setting_reference("%TASKHUB_NAME%"), Some("TASKHUB_NAME"));
        assert_eq!(setting_reference("%A%-%B%"), None);
    }
}
