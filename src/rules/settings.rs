//! DTS2xx — connection settings: host.json names them, local.settings.json holds them
//! (DESIGN §4, reference §3 and §6).
//!
//! Only durable apps on the Durable Task Scheduler are checked. Without a local.settings.json
//! (it is usually git-ignored) DTS201 and DTS204 are info findings that name the app settings to
//! create in Azure, and the other rules stay silent; the missing file is never read as empty. A
//! local.settings.json that did not parse gets no findings here (DTS501 says why). In an
//! encrypted one (DTS503) names are checked, values are not, and no fix writes into it.

use std::ops::Range;
use std::sync::OnceLock;

use serde::Deserialize;

use super::connection_string::{
    build_connection_string, check_connection_string, find_part, parse_parts, Part,
};
use super::files::is_encrypted;
use super::{fix_in, json_span, Context};
use crate::facts::Severity;
use crate::facts::{facts, starts_with_ci, BackendId};
use crate::finding::{Finding, Span};
use crate::fix::Applicability;
use crate::model::{App, Parsed};
use crate::source::redact::mask;
use crate::syntax::jsonc::{string_inner_range, Json, JsonKind, Member};
use crate::syntax::jsonc_edit::{append_member, edit_object, replace_value, NewValue, TextEdit};

/// Settings only an old backend read, by default name.
#[derive(Debug, Deserialize)]
pub struct StaleSettings {
    /// The backend that read them.
    pub backend: BackendId,
    /// Setting names.
    pub names: Vec<String>,
}

/// storageProvider keys whose value names a setting of the old backend.
#[derive(Debug, Deserialize)]
pub struct StaleSettingKeys {
    /// The keys.
    pub keys: Vec<String>,
}

/// Another service's connection string, told apart by its keys.
#[derive(Debug, Deserialize)]
pub struct ForeignString {
    /// "an Azure Storage connection string".
    pub kind: String,
    /// Keys only that kind has.
    pub keys: Vec<String>,
}

/// Everything in `rules/settings.toml`.
#[derive(Debug, Deserialize)]
pub struct SettingsFacts {
    /// Keys of the DTS connection string.
    pub connection_string_keys: Vec<String>,
    /// `Authentication=` values.
    pub authentication_types: Vec<String>,
    /// Host names with a dot that are local.
    pub local_hosts: Vec<String>,
    /// Connection-string keys holding secrets.
    pub secret_keys: Vec<String>,
    /// Prefixes of values resolved in Azure only.
    pub unresolved_locally: Vec<String>,
    /// `NAME__part` separator.
    pub identity_separator: String,
    /// The identity-style part naming the credential.
    pub identity_credential: String,
    /// The host's storage setting.
    pub host_storage: String,
    /// Its local value.
    pub host_storage_local: String,
    /// `FUNCTIONS_WORKER_RUNTIME`.
    pub worker_runtime_setting: String,
    /// Its values.
    pub worker_runtimes: Vec<String>,
    /// Stale settings per backend.
    pub stale_settings: Vec<StaleSettings>,
    /// storageProvider keys naming stale settings.
    pub stale_setting_keys: StaleSettingKeys,
    /// Other services' connection strings.
    pub foreign_strings: Vec<ForeignString>,
}

/// The facts of `rules/settings.toml`, parsed once.
pub fn settings_facts() -> &'static SettingsFacts {
    static FACTS: OnceLock<SettingsFacts> = OnceLock::new();
    FACTS.get_or_init(|| {
        toml::from_str(include_str!("../../rules/settings.toml"))
            .expect("rules/settings.toml is valid (checked by a test)")
    })
}

pub(super) fn contains_ci(list: &[String], item: &str) -> bool {
    list.iter().any(|k| k.eq_ignore_ascii_case(item))
}

/// Runs the settings rules.
pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if !cx.durable || cx.backend.id != Some(BackendId::Dts) {
        return;
    }
    let Some(host) = &cx.app.host else {
        return;
    };
    if cx.app.has_local_settings && cx.app.local_settings.is_none() {
        return;
    }
    let s = Settings {
        app: cx.app,
        host,
        local: cx.app.local_settings.as_ref(),
        encrypted: cx
            .app
            .local_settings
            .as_ref()
            .is_some_and(|l| is_encrypted(&l.doc)),
    };
    let conn = s.connection(out);
    s.hub(conn.as_ref(), out);
    if let Some(local) = s.local {
        s.stale_settings(local, out);
        s.host_storage(local, out);
        if !s.encrypted {
            s.worker_runtime(local, out);
        }
    }
}

/// One app's host.json and local.settings.json.
struct Settings<'a> {
    app: &'a App,
    host: &'a Parsed<Json>,
    local: Option<&'a Parsed<Json>>,
    encrypted: bool,
}

/// Where host.json names the connection setting.
struct ConnectionName {
    /// The name as written (may hold `%X%`), or the default.
    raw: String,
    /// `connectionName` / `connectionStringName`, or `None` for the default.
    key: Option<&'static str>,
    /// The span to point at in host.json.
    range: Range<usize>,
}

/// The DTS connection string that was found, for DTS205.
struct FoundString<'a> {
    name: String,
    file: &'a Parsed<Json>,
    value: &'a Json,
    parts: Vec<Part>,
}

/// `%x%` tokens of a value, as the host's name resolver reads them.
fn tokens(value: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(start) = rest.find('%') {
        let Some(len) = rest[start + 1..].find('%') else {
            break;
        };
        out.push(&rest[start + 1..start + 1 + len]);
        rest = &rest[start + len + 2..];
    }
    out
}

impl<'a> Settings<'a> {
    fn host_span(&self, range: Range<usize>) -> Span {
        json_span(self.host, range)
    }

    /// The `Values` key of local.settings.json, or its first byte, for related spans.
    fn values_span(local: &Parsed<Json>) -> Span {
        let range = local.doc.member("Values").map_or_else(
            || local.doc.range.start..local.doc.range.start + 1,
            |m| m.key_range.clone(),
        );
        json_span(local, range)
    }

    /// `connectionName`, then `connectionStringName` (non-blank strings), else the default.
    fn connection_name(&self) -> ConnectionName {
        let provider = self.app.storage_provider();
        for key in ["connectionName", "connectionStringName"] {
            let member =
                provider.and_then(|p| p.value.member(key).or_else(|| p.value.member_ci(key)));
            if let Some(m) = member {
                if let Some(v) = m.value.as_str().filter(|v| !v.trim().is_empty()) {
                    return ConnectionName {
                        raw: v.to_string(),
                        key: Some(key),
                        range: m.value.range.clone(),
                    };
                }
            }
        }
        let root = &self.host.doc;
        let range = self
            .app
            .type_member()
            .map(|m| m.value.range.clone())
            .or_else(|| provider.map(|m| m.key_range.clone()))
            .unwrap_or(root.range.start..root.range.start + 1);
        ConnectionName {
            raw: facts().defaults.connection_setting.clone(),
            key: None,
            range,
        }
    }

    /// Substitutes every `%x%` from `Values` (the host's name resolver); the names of the
    /// missing ones otherwise.
    fn resolve(&self, value: &str) -> Result<String, Vec<String>> {
        let mut resolved = String::new();
        let mut missing = Vec::new();
        let mut rest = value;
        for token in tokens(value) {
            let at = rest.find(&format!("%{token}%")).unwrap_or(0);
            resolved.push_str(&rest[..at]);
            match self.app.setting_str(token) {
                Some(v) => resolved.push_str(v),
                None => missing.push(token.to_string()),
            }
            rest = &rest[at + token.len() + 2..];
        }
        resolved.push_str(rest);
        if missing.is_empty() {
            Ok(resolved)
        } else {
            Err(missing)
        }
    }

    /// A setting as the host finds it: `ConnectionStrings` first, then `Values`.
    fn lookup(&self, local: &'a Parsed<Json>, name: &str) -> Option<&'a Json> {
        let from_strings = local.doc.get_ci("ConnectionStrings").and_then(|cs| {
            let m = cs.member(name).or_else(|| cs.member_ci(name))?;
            match &m.value.kind {
                JsonKind::Object(_) => m.value.get_ci("ConnectionString"),
                _ => Some(&m.value),
            }
        });
        from_strings.or_else(|| self.app.setting(name).map(|m| &m.value))
    }

    /// A fix of local.settings.json; none when the file is encrypted (values would be plain).
    fn local_fix(
        &self,
        local: &Parsed<Json>,
        message: String,
        applicability: Applicability,
        edits: Vec<TextEdit>,
    ) -> Option<crate::fix::Fix> {
        if self.encrypted {
            return None;
        }
        fix_in(local, message, applicability, edits)
    }

    /// DTS201, DTS202, DTS203. Returns the connection string when one was found and parsed.
    fn connection(&self, out: &mut Vec<Finding>) -> Option<FoundString<'a>> {
        let conn = self.connection_name();
        let span = self.host_span(conn.range.clone());
        let named = match conn.key {
            Some(key) => format!("{key} \"{}\"", conn.raw),
            None => "the default connection setting".to_string(),
        };
        let Some(local) = self.local else {
            let message = match self.resolve(&conn.raw) {
                Ok(name) => format!(
                    "no local.settings.json: create the app setting \"{name}\" in Azure with the scheduler's connection string, e.g. \"Endpoint=https://<scheduler>.<region>.durabletask.io;Authentication=ManagedIdentity\""
                ),
                Err(missing) => format!(
                    "no local.settings.json: {named} takes the setting name from the app setting{} {}; create {} in Azure, and the setting it names with the scheduler's connection string",
                    plural(missing.len()),
                    list(&missing),
                    them(missing.len())
                ),
            };
            out.push(
                Finding::new("DTS201", span, message)
                    .severity(Severity::Info)
                    .label("the app setting to create in Azure"),
            );
            return None;
        };
        let name = match self.resolve(&conn.raw) {
            Ok(name) => name,
            Err(missing) => {
                out.push(
                    Finding::new(
                        "DTS201",
                        span,
                        format!(
                            "{named} refers to {}, so the provider looks for a setting literally named \"{}\"",
                            not_in_values(&missing), conn.raw
                        ),
                    )
                    .label("unresolved setting reference")
                    .related(Self::values_span(local), "not defined in Values")
                    .help(format!(
                        "add {} to Values with the name of the connection setting",
                        list(&missing)
                    )),
                );
                return None;
            }
        };
        let adds_name = self.identity_style(local, &name, &span, out);
        self.connection_value(local, name, &conn, span, adds_name, out)
    }

    /// DTS201 (absent or empty) and DTS202 for the connection setting `name`.
    fn connection_value(
        &self,
        local: &'a Parsed<Json>,
        name: String,
        conn: &ConnectionName,
        span: Span,
        adds_name: bool,
        out: &mut Vec<Finding>,
    ) -> Option<FoundString<'a>> {
        let Some(value) = self.lookup(local, &name) else {
            if adds_name {
                return None;
            }
            let local_string = &facts().defaults.local_connection_string;
            let edits = add_setting(local, &name, local_string);
            out.push(
                Finding::new(
                    "DTS201",
                    span,
                    format!(
                        "the connection setting \"{name}\" is not in local.settings.json (Values or ConnectionStrings); the host stops with \"No valid connection string found for '{name}'\""
                    ),
                )
                .label(match conn.key {
                    Some(_) => format!("names \"{name}\""),
                    None => format!("reads \"{name}\" by default"),
                })
                .related(Self::values_span(local), format!("no \"{name}\" here"))
                .fix(self.local_fix(
                    local,
                    format!("add \"{name}\": \"{local_string}\" (the local emulator) to Values"),
                    Applicability::Safe,
                    edits,
                )),
            );
            return None;
        };
        if self.encrypted {
            return None;
        }
        let text = match &value.kind {
            JsonKind::String(s) if !s.is_empty() => s,
            JsonKind::String(_) | JsonKind::Null => {
                let local_string = &facts().defaults.local_connection_string;
                let edits = vec![replace_value(
                    &local.file.text,
                    value,
                    &NewValue::Str(local_string.clone()),
                )];
                out.push(
                    Finding::new(
                        "DTS201",
                        json_span(local, value.range.clone()),
                        format!("the connection setting \"{name}\" is empty; the host stops with \"No valid connection string found for '{name}'\""),
                    )
                    .label("empty")
                    .related(span, "the connection setting named here")
                    .fix(self.local_fix(
                        local,
                        format!("set \"{name}\" to \"{local_string}\" (the local emulator)"),
                        Applicability::Safe,
                        edits,
                    )),
                );
                return None;
            }
            _ => {
                out.push(
                    Finding::new(
                        "DTS202",
                        json_span(local, value.range.clone()),
                        format!(
                            "the connection setting \"{name}\" is {}, not a connection string",
                            value.kind_name()
                        ),
                    )
                    .label("expected \"Endpoint=…;Authentication=…\"")
                    .related(span, "the connection setting named here"),
                );
                return None;
            }
        };
        if settings_facts()
            .unresolved_locally
            .iter()
            .any(|p| starts_with_ci(text, p))
        {
            return None;
        }
        for p in check_connection_string(text) {
            out.push(
                Finding::new(
                    "DTS202",
                    json_span(
                        local,
                        string_inner_range(local.file.text.as_str(), value, &p.range),
                    ),
                    format!("the connection string in \"{name}\" {}", p.message),
                )
                .label(p.label)
                .related(span.clone(), "the connection setting named here"),
            );
        }
        let parts = parse_parts(text).ok()?;
        Some(FoundString {
            name,
            file: local,
            value,
            parts,
        })
    }

    /// DTS203: `NAME__endpoint`-style settings. Returns whether its fix adds `NAME` itself.
    fn identity_style(
        &self,
        local: &Parsed<Json>,
        name: &str,
        conn_span: &Span,
        out: &mut Vec<Finding>,
    ) -> bool {
        let f = settings_facts();
        let Some(values) = local.doc.get("Values") else {
            return false;
        };
        let Some(members) = values.members() else {
            return false;
        };
        let prefix = format!("{name}{}", f.identity_separator);
        let parts: Vec<(usize, &Member)> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| starts_with_ci(&m.key, &prefix))
            .collect();
        let Some((_, first)) = parts.first() else {
            return false;
        };
        let has_name = self.lookup(local, name).is_some();
        let built = if has_name || self.encrypted {
            None
        } else {
            build_connection_string(
                parts
                    .iter()
                    .map(|(_, m)| (&m.key[prefix.len()..], m.value.as_str())),
            )
        };
        let remove: Vec<usize> = parts.iter().map(|(i, _)| *i).collect();
        let append: Vec<(String, NewValue)> = built
            .iter()
            .map(|s| (name.to_string(), NewValue::Str(s.clone())))
            .collect();
        let edits = edit_object(&local.file.text, values, &remove, &append);
        let fix_message = match &built {
            Some(s) => format!(
                "replace the {} settings with \"{name}\": \"{}\"",
                parts.len(),
                mask(s)
            ),
            None if parts.len() == 1 => {
                format!("remove \"{}\", which the provider ignores", first.key)
            }
            None => format!("remove the {} settings the provider ignores", parts.len()),
        };
        let keys: Vec<String> = parts.iter().map(|(_, m)| m.key.to_string()).collect();
        let why = if has_name {
            format!(
                "\"{name}\" is set, so {} ignored",
                if keys.len() == 1 {
                    "this one is"
                } else {
                    "these are"
                }
            )
        } else {
            format!("without \"{name}\" the host stops with \"No valid connection string found for '{name}'\"")
        };
        let mut finding = Finding::new(
            "DTS203",
            json_span(local, first.key_range.clone()),
            format!(
                "{} {} identity-style part{} of the connection \"{name}\", but the Durable Task Scheduler provider reads only the single connection string \"{name}\"; {why}",
                list(&keys),
                if keys.len() == 1 { "is an" } else { "are" },
                plural(keys.len())
            ),
        )
        .label("not read by the provider")
        .related(conn_span.clone(), "the connection setting named here");
        for (_, m) in parts.iter().skip(1) {
            finding = finding.related(json_span(local, m.key_range.clone()), "not read either");
        }
        if built.is_none() && !has_name {
            finding = finding.help(format!(
                "write \"{name}\": \"Endpoint=https://<scheduler>.<region>.durabletask.io;Authentication=ManagedIdentity\" and delete these settings"
            ));
        }
        if built.is_some() || has_name {
            finding = finding.fix(self.local_fix(local, fix_message, Applicability::Safe, edits));
        }
        out.push(finding);
        built.is_some()
    }

    /// DTS204 (hub setting missing) and DTS205 (TaskHub in the string differs).
    fn hub(&self, conn: Option<&FoundString<'_>>, out: &mut Vec<Finding>) {
        let Some(hub) = self
            .app
            .durable_task()
            .and_then(|dt| dt.value.member_ci("hubName"))
        else {
            return;
        };
        let Some(raw) = hub.value.as_str() else {
            return;
        };
        let span = self.host_span(hub.value.range.clone());
        match self.resolve(raw) {
            Ok(resolved) => {
                if let Some(conn) = conn {
                    task_hub_mismatch(conn, raw, &resolved, span, out);
                }
            }
            Err(missing) => self.unresolved_hub(raw, &missing, span, out),
        }
    }

    /// DTS204: `%X%` in hubName without `X`.
    fn unresolved_hub(&self, raw: &str, missing: &[String], span: Span, out: &mut Vec<Finding>) {
        let Some(local) = self.local else {
            out.push(
                Finding::new(
                    "DTS204",
                    span,
                    format!(
                        "no local.settings.json: \"hubName\" \"{raw}\" reads the app setting{} {}; create {} in Azure with the name of the task hub",
                        plural(missing.len()),
                        list(missing),
                        them(missing.len())
                    ),
                )
                .severity(Severity::Info)
                .label("the app setting to create in Azure"),
            );
            return;
        };
        // Only a whole `%X%` gets a value: a composite name is the team's choice.
        let whole = tokens(raw).len() == 1 && raw.starts_with('%') && raw.ends_with('%');
        let hub_name = &facts().defaults.emulator_hub;
        let fix = missing.first().filter(|_| whole).and_then(|x| {
            self.local_fix(
                local,
                format!("add \"{x}\": \"{hub_name}\" (the emulator's task hub) to Values"),
                Applicability::Safe,
                add_setting(local, x, hub_name),
            )
        });
        out.push(
            Finding::new(
                "DTS204",
                span,
                format!(
                    "\"hubName\" \"{raw}\" refers to {}; the host then uses the literal \"{raw}\" as the task hub name and the scheduler answers \"Task hub not found\"",
                    not_in_values(missing)
                ),
            )
            .label("unresolved setting reference")
            .related(Self::values_span(local), format!("no {} here", list(missing)))
            .fix(fix),
        );
    }

    /// DTS206: settings only the old backend read.
    fn stale_settings(&self, local: &Parsed<Json>, out: &mut Vec<Finding>) {
        let f = settings_facts();
        let Some(values) = local.doc.get("Values") else {
            return;
        };
        let Some(members) = values.members() else {
            return;
        };
        let mut stale: Vec<(String, String)> = f
            .stale_settings
            .iter()
            .flat_map(|s| {
                let label = &facts().backend(s.backend).label;
                s.names
                    .iter()
                    .map(move |n| (n.clone(), format!("a setting of the {label} backend")))
            })
            .collect();
        if let Some(provider) = self.app.storage_provider().and_then(|p| p.value.members()) {
            for m in provider {
                if contains_ci(&f.stale_setting_keys.keys, &m.key) {
                    if let Some(v) = m.value.as_str() {
                        stale.push((
                            v.to_string(),
                            format!(
                                "the setting that the leftover storageProvider.{} names",
                                m.key
                            ),
                        ));
                    }
                }
            }
        }
        let conn = self.resolve(&self.connection_name().raw).ok();
        for (i, m) in members.iter().enumerate() {
            let Some((_, owner)) = stale.iter().find(|(n, _)| n.eq_ignore_ascii_case(&m.key))
            else {
                continue;
            };
            if m.key.eq_ignore_ascii_case(&f.host_storage)
                || conn
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(&m.key))
            {
                continue;
            }
            let edits = edit_object(&local.file.text, values, &[i], &[]);
            out.push(
                Finding::new(
                    "DTS206",
                    json_span(local, m.key_range.clone()),
                    format!(
                        "\"{}\" is {owner}; the app runs on the Durable Task Scheduler and no longer reads it",
                        m.key
                    ),
                )
                .label("left over from the old backend")
                .fix(self.local_fix(
                    local,
                    format!("remove \"{}\" (other code may still read it)", m.key),
                    Applicability::Unsafe,
                    edits,
                )),
            );
        }
    }

    /// DTS207: the host's own storage.
    fn host_storage(&self, local: &Parsed<Json>, out: &mut Vec<Finding>) {
        let f = settings_facts();
        let name = &f.host_storage;
        let identity_prefix = format!("{name}{}", f.identity_separator);
        let identity = self
            .app
            .values()
            .and_then(Json::members)
            .is_some_and(|ms| ms.iter().any(|m| starts_with_ci(&m.key, &identity_prefix)));
        if identity {
            return;
        }
        let value = self.lookup(local, name);
        let empty = match value.map(|v| &v.kind) {
            None => false,
            Some(JsonKind::String(s)) => !self.encrypted && s.trim().is_empty(),
            Some(JsonKind::Null) => true,
            Some(_) => false,
        };
        if value.is_some() && !empty {
            return;
        }
        let new = &f.host_storage_local;
        let type_span = self
            .app
            .type_member()
            .map(|m| self.host_span(m.value.range.clone()));
        let (span, message, edits) = match value {
            Some(v) if empty => (
                json_span(local, v.range.clone()),
                format!("\"{name}\" is empty; the host still needs its storage with the Durable Task Scheduler"),
                vec![replace_value(&local.file.text, v, &NewValue::Str(new.clone()))],
            ),
            _ => (
                Self::values_span(local),
                format!("neither \"{name}\" nor \"{name}__*\" settings are in local.settings.json; the host still needs its storage with the Durable Task Scheduler"),
                add_setting(local, name, new),
            ),
        };
        let mut finding = Finding::new("DTS207", span, message)
            .label(format!("no usable \"{name}\""))
            .help("start Azurite for local runs; in Azure, point it at the app's storage account")
            .fix(self.local_fix(
                local,
                format!("set \"{name}\": \"{new}\" (Azurite)"),
                Applicability::Safe,
                edits,
            ));
        if let Some(type_span) = type_span {
            finding = finding.related(type_span, "the app runs on the Durable Task Scheduler");
        }
        out.push(finding);
    }

    /// DTS208: FUNCTIONS_WORKER_RUNTIME against the project and manifests.
    fn worker_runtime(&self, local: &Parsed<Json>, out: &mut Vec<Finding>) {
        let f = settings_facts();
        let Some(setting) = self.app.setting(&f.worker_runtime_setting) else {
            return;
        };
        let Some(value) = setting.value.as_str() else {
            return;
        };
        let span = json_span(local, setting.value.range.clone());
        let runtime = value.trim();
        if !contains_ci(&f.worker_runtimes, runtime) {
            out.push(
                Finding::new(
                    "DTS208",
                    span,
                    format!(
                        "{} \"{}\" is not a worker runtime the host knows ({})",
                        f.worker_runtime_setting,
                        mask(value),
                        f.worker_runtimes.join(", ")
                    ),
                )
                .label("unknown worker runtime"),
            );
            return;
        }
        if runtime.eq_ignore_ascii_case("custom") {
            return;
        }
        let Some((expected, evidence)) = project_runtime(self.app) else {
            return;
        };
        if runtime.eq_ignore_ascii_case(expected) {
            return;
        }
        let because = match &evidence {
            Evidence::Package(_, id) => format!("the project references {id}"),
            Evidence::Manifest(name) => format!("{name} is beside host.json"),
        };
        let mut finding = Finding::new(
            "DTS208",
            span,
            format!(
                "{} is \"{runtime}\", but the app needs \"{expected}\" ({because}); the host starts the wrong worker and finds no functions",
                f.worker_runtime_setting
            ),
        )
        .label(format!("expected \"{expected}\""));
        if let Evidence::Package(span, _) = evidence {
            finding = finding.related(span, format!("makes it a {expected} app"));
        }
        out.push(finding);
    }
}

/// DTS205: hubName wins over `TaskHub=`, so a different value misleads every other client of
/// the string.
fn task_hub_mismatch(
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

/// What decided the runtime a project needs.
enum Evidence {
    /// A package reference of the app's own project.
    Package(Span, String),
    /// A language manifest beside host.json.
    Manifest(String),
}

/// The FUNCTIONS_WORKER_RUNTIME the app's own files call for, from its project packages, else
/// from the one language manifest beside host.json (several: unknown). Unlike
/// `App::hosting`, settings never count: they are what is checked.
fn project_runtime(app: &App) -> Option<(&'static str, Evidence)> {
    let packages = &facts().packages;
    let mut in_process = None;
    for project in &app.projects {
        for r in &project.doc.package_references {
            let id = &r.id.value;
            let span =
                || Evidence::Package(Span::new(&project.file, r.id.range.clone()), id.clone());
            if packages
                .isolated_prefixes
                .iter()
                .any(|p| starts_with_ci(id, p))
            {
                return Some(("dotnet-isolated", span()));
            }
            if in_process.is_none()
                && (contains_ci(&packages.in_process, id)
                    || starts_with_ci(id, &packages.in_process_durable_prefix))
            {
                in_process = Some(span());
            }
        }
    }
    if let Some(evidence) = in_process {
        return Some(("dotnet", evidence));
    }
    if !app.projects.is_empty() {
        return None;
    }
    let mut found: Option<(&'static str, &str)> = None;
    for (name, _) in &app.manifests {
        let runtime = match name.as_str() {
            "requirements.txt" => "python",
            "package.json" => "node",
            "pom.xml" | "build.gradle" | "build.gradle.kts" => "java",
            "requirements.psd1" => "powershell",
            _ => continue,
        };
        match found {
            Some((r, _)) if r != runtime => return None,
            _ => found = Some((runtime, name)),
        }
    }
    found.map(|(r, name)| (r, Evidence::Manifest(name.to_string())))
}

/// Edits that add `name` as the last entry of `Values`, creating `Values` when absent.
fn add_setting(local: &Parsed<Json>, name: &str, value: &str) -> Vec<TextEdit> {
    let text = &local.file.text;
    let entry = (name.to_string(), NewValue::Str(value.to_string()));
    match local.doc.get("Values") {
        Some(values) => edit_object(text, values, &[], &[entry]),
        None => append_member(text, &local.doc, "Values", NewValue::Object(vec![entry])),
    }
}

fn them(n: usize) -> &'static str {
    if n == 1 {
        "it"
    } else {
        "them"
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `"A", which is not in Values` / `"A" and "B", which are not in Values`.
fn not_in_values(missing: &[String]) -> String {
    let verb = if missing.len() == 1 { "is" } else { "are" };
    format!("{}, which {verb} not in Values", list(missing))
}

/// `"A"`, `"A" and "B"`, `"A", "B" and "C"`.
fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_parse() {
        let f = settings_facts();
        assert!(contains_ci(&f.connection_string_keys, "endpoint"));
        assert!(contains_ci(&f.authentication_types, "managedidentity"));
        assert_eq!(f.stale_settings.len(), 2);
        assert!(!f.foreign_strings.is_empty());
    }

    #[test]
    fn tokens_and_identity_strings() {
        assert_eq!(tokens("%A%-%B%"), vec!["A", "B"]);
        assert_eq!(tokens("100%"), Vec::<&str>::new());
        assert_eq!(
            list(&["A".into(), "B".into(), "C".into()]),
            "\"A\", \"B\" and \"C\""
        );
    }
}
