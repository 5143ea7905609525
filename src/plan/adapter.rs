//! The only place the plan reads the model: an [`App`] (with the configured setting names of
//! the facts) becomes an [`AppInput`]. Everything after this is plain data.

use crate::facts::settings::settings_facts;
use crate::facts::{facts, BackendId};
use crate::model::hub_note::{self, HubNote};
use crate::model::{App, FunctionsVersion, Hosting};

use super::{AppInput, FileChange, HubInput, OldBackend};

/// The plan's view of a durable app; `None` for an app that is not durable or whose host.json
/// did not parse (its findings say why). `path` is the folder as shown to people and
/// `pending` what `check --write` would change: its fixes, and the files they change.
pub fn app_input(
    app: &App,
    path: String,
    pending: (Vec<FileChange>, Vec<String>),
) -> Option<AppInput> {
    let (file_changes, changed_files) = pending;
    let host = app.host.as_ref()?;
    if !app.is_durable() {
        return None;
    }
    let f = facts();
    let backend = app.backend();
    let note = HubNote::find(host.file.text.as_str());
    let on_dts = backend.id == Some(BackendId::Dts);
    let old_id = match backend.id {
        Some(BackendId::Dts) | None => note
            .as_ref()
            .and_then(|n| n.migrated_from.as_deref())
            .and_then(|from| {
                f.backends
                    .iter()
                    .find(|b| b.id != BackendId::Dts && b.canonical.eq_ignore_ascii_case(from))
                    .map(|b| b.id)
            }),
        Some(legacy) => Some(legacy),
    };
    let old_backend = old_id.map(|id| OldBackend {
        label: f.backend(id).label.clone(),
        canonical: f.backend(id).canonical.clone(),
    });
    // A value that holds a secret (a connection string pasted as the hub name) names no hub:
    // the plan never derives a name, or prints anything, from it.
    let hub_value = app
        .durable_task()
        .and_then(|dt| dt.value.member_ci("hubName"))
        .and_then(|h| h.value.as_str())
        .filter(|v| !v.trim().is_empty() && no_secret(v));
    let setting = hub_value.and_then(setting_reference).map(str::to_string);
    let literal = hub_value.filter(|v| !v.contains('%')).map(str::to_string);
    let mut hub = HubInput {
        setting: setting.clone(),
        local_value: setting
            .as_deref()
            .and_then(|s| app.setting_str(s))
            .filter(|v| no_secret(v))
            .map(str::to_string),
        ..HubInput::default()
    };
    if on_dts {
        hub.literal = literal.clone();
    } else {
        hub.old_literal = literal.clone();
        hub.old_setting = setting.clone();
    }
    if let Some(n) = note.as_ref().filter(|_| on_dts) {
        hub.old_literal = n.task_hub.clone().filter(|v| no_secret(v));
        hub.old_setting = n.hub_setting.clone();
    }
    let hub_setting = match (on_dts, &setting, &literal) {
        (_, Some(s), _) => Some(s.clone()),
        (true, None, Some(_)) => None,
        _ => Some(f.defaults.hub_setting.clone()),
    };
    let connection_setting = if on_dts {
        dts_connection_setting(app)
    } else {
        f.defaults.connection_setting.clone()
    };
    let mut old_settings = match (old_id, on_dts) {
        (Some(id), false) => legacy_settings(app, id),
        _ => Vec::new(),
    };
    if let Some(n) = &note {
        old_settings.extend(n.old_settings.iter().cloned());
    }
    old_settings.extend(stale_local_settings(app, old_id));
    let host_storage = &settings_facts().host_storage;
    let mut seen = Vec::<String>::new();
    old_settings.retain(|s| {
        let lower = s.to_ascii_lowercase();
        let keep = !lower.starts_with(&host_storage.to_ascii_lowercase())
            && !s.eq_ignore_ascii_case(&connection_setting)
            && hub_setting
                .as_ref()
                .is_none_or(|h| !s.eq_ignore_ascii_case(h))
            && !seen.contains(&lower);
        seen.push(lower);
        keep
    });
    let name = folder_name(app);
    Some(AppInput {
        path,
        name,
        hosting: app.hosting().label().to_string(),
        old_backend,
        on_dts,
        hub,
        hub_setting,
        connection_setting,
        old_settings,
        file_changes,
        changed_files,
        migrated: on_dts && note.is_some(),
        blocked: blocked(app),
    })
}

/// A `%NAME%` reference as a whole value: the setting name.
fn setting_reference(value: &str) -> Option<&str> {
    let inner = value.strip_prefix('%')?.strip_suffix('%')?;
    (!inner.is_empty() && !inner.contains('%')).then_some(inner)
}

/// The folder's own name (of the absolute path for `.`).
fn folder_name(app: &App) -> String {
    let named = |p: &std::path::Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    named(&app.dir)
        .or_else(|| {
            std::fs::canonicalize(&app.dir)
                .ok()
                .as_deref()
                .and_then(named)
        })
        .unwrap_or_else(|| "app".to_string())
}

/// `connectionName`, then `connectionStringName` (a `%X%` value resolved from local settings
/// when it can be), else the default.
fn dts_connection_setting(app: &App) -> String {
    let provider = app.storage_provider();
    for key in ["connectionName", "connectionStringName"] {
        let value = provider
            .and_then(|p| p.value.member(key).or_else(|| p.value.member_ci(key)))
            .and_then(|m| m.value.as_str())
            .filter(|v| !v.trim().is_empty());
        if let Some(v) = value {
            return match setting_reference(v) {
                Some(x) => app.setting_str(x).unwrap_or(x).to_string(),
                None => v.to_string(),
            };
        }
    }
    facts().defaults.connection_setting.clone()
}

/// Settings the legacy backend reads, by the names its storageProvider gives or their defaults
/// (the same list the DTS101 fix writes in the note).
fn legacy_settings(app: &App, backend: BackendId) -> Vec<String> {
    let s = settings_facts();
    let defaults: Vec<String> = s
        .stale_settings
        .iter()
        .filter(|st| st.backend == backend)
        .flat_map(|st| st.names.iter().cloned())
        .collect();
    hub_note::legacy_settings(
        app.storage_provider().map(|p| &p.value),
        &defaults,
        &s.stale_setting_keys.keys,
        &s.host_storage,
    )
}

/// Settings in local.settings.json that only the old backend read (DTS206's names).
fn stale_local_settings(app: &App, backend: Option<BackendId>) -> Vec<String> {
    let Some(values) = app.values().and_then(|v| v.members()) else {
        return Vec::new();
    };
    settings_facts()
        .stale_settings
        .iter()
        .filter(|st| backend.is_none_or(|b| st.backend == b))
        .flat_map(|st| st.names.iter())
        .filter(|name| values.iter().any(|m| m.key.eq_ignore_ascii_case(name)))
        .cloned()
        .collect()
}

/// Why `check --write` does not migrate the app's files, when it does not.
fn blocked(app: &App) -> Option<String> {
    let version = app.functions_version();
    if version == FunctionsVersion::V1 {
        return Some("Functions 1.x has no Durable Task Scheduler provider: move the app to Functions 4 (.NET isolated) first; its files are never rewritten".to_string());
    }
    if !version.has_dts() {
        return Some(
            "the Durable Task Scheduler needs Functions 4: upgrade the app first".to_string(),
        );
    }
    if app.hosting() == Hosting::InProcess {
        return Some("a .NET in-process app: DTS supports the isolated model only (DTS304); move it to the isolated worker first (`check --write` leaves its backend as it is)".to_string());
    }
    None
}

/// Whether `text` holds nothing the redaction would mask.
fn no_secret(text: &str) -> bool {
    matches!(
        crate::source::redact::masked(text),
        std::borrow::Cow::Borrowed(_)
    )
}
