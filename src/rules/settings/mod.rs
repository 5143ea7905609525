//! DTS2xx — connection settings: host.json names them, local.settings.json holds them
//! (DESIGN §4, reference §3 and §6).
//!
//! Only durable apps on the Durable Task Scheduler are checked. Without a local.settings.json
//! (it is usually git-ignored) DTS201 and DTS204 are info findings that name the app settings to
//! create in Azure, and the other rules stay silent; the missing file is never read as empty. A
//! local.settings.json that did not parse gets no findings here (DTS501 says why). In an
//! encrypted one (DTS503) names are checked, values are not, and no fix writes into it.
//!
//! This module holds what the rules share (the `Settings` view of one app's host.json and
//! local.settings.json with its lookups, the walk from the connection setting to its value,
//! the message helpers) and runs them in order; each rule is in its own file.

mod connection_string;
mod dts201_missing_connection_setting;
mod dts202_invalid_connection_string;
mod dts203_identity_style_settings;
mod dts204_unresolved_hub_setting;
mod dts205_task_hub_mismatch;
mod dts206_stale_backend_setting;
mod dts207_missing_host_storage;
mod dts208_worker_runtime_mismatch;

use std::ops::Range;

use self::connection_string::{parse_parts, Part};
use self::dts202_invalid_connection_string::{invalid_connection_string, not_a_connection_string};
use self::dts205_task_hub_mismatch::{emulator_hub, task_hub_mismatch};
use super::files::is_encrypted;
use super::{fix_in, json_span, Context};
use crate::facts::settings::settings_facts;
use crate::facts::{facts, starts_with_ci, BackendId};
use crate::finding::{Finding, Span};
use crate::fix::Applicability;
use crate::model::{App, Parsed};
use crate::syntax::jsonc::{Json, JsonKind};
use crate::syntax::jsonc_edit::{append_member, edit_object, NewValue, TextEdit};

/// Whether `list` holds `item`, ignoring ASCII case.
fn contains_ci(list: &[String], item: &str) -> bool {
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

    /// DTS201, DTS202, DTS203, from the connection setting's name to its value. Returns the
    /// connection string when one was found and parsed.
    fn connection(&self, out: &mut Vec<Finding>) -> Option<FoundString<'a>> {
        let conn = self.connection_name();
        let span = self.host_span(conn.range.clone());
        let Some(local) = self.local else {
            self.no_local_connection_setting(&conn, span, out);
            return None;
        };
        let name = match self.resolve(&conn.raw) {
            Ok(name) => name,
            Err(missing) => {
                self.unresolved_connection_name(local, &conn, &missing, span, out);
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
            if !adds_name {
                self.absent_connection_setting(local, &name, conn, span, out);
            }
            return None;
        };
        if self.encrypted {
            return None;
        }
        let text = match &value.kind {
            JsonKind::String(s) if !s.is_empty() => s,
            JsonKind::String(_) | JsonKind::Null => {
                self.empty_connection_setting(local, &name, value, span, out);
                return None;
            }
            _ => {
                not_a_connection_string(local, &name, value, span, out);
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
        invalid_connection_string(local, &name, value, text, &span, out);
        let parts = parse_parts(text).ok()?;
        Some(FoundString {
            name,
            file: local,
            value,
            parts,
        })
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
                    task_hub_mismatch(conn, raw, &resolved, span.clone(), out);
                    emulator_hub(conn, raw, &resolved, span, out);
                }
            }
            Err(missing) => self.unresolved_hub(raw, &missing, span, out),
        }
    }
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
    fn tokens_and_identity_strings() {
        assert_eq!(tokens("%A%-%B%"), vec!["A", "B"]);
        assert_eq!(tokens("100%"), Vec::<&str>::new());
        assert_eq!(
            list(&["A".into(), "B".into(), "C".into()]),
            "\"A\", \"B\" and \"C\""
        );
    }
}
