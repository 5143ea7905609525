//! DTS201 `missing-connection-setting`: the connection setting host.json names (or the default
//! one) is absent from local.settings.json, empty, or named through a `%X%` that Values lacks.
//!
//! Without a local.settings.json the finding is info and names the app setting to create in
//! Azure. The fix adds the setting to Values (or fills the empty one) with the local emulator's
//! connection string; an unresolved `%X%` gets help, not a fix.

use super::{add_setting, list, not_in_values, plural, them, ConnectionName, Settings};
use crate::facts::{facts, Severity};
use crate::finding::{Finding, Span};
use crate::fix::Applicability;
use crate::model::Parsed;
use crate::rules::json_span;
use crate::syntax::jsonc::Json;
use crate::syntax::jsonc_edit::{replace_value, NewValue};

/// How messages name the connection setting: by its host.json key, or as the default.
fn named(conn: &ConnectionName) -> String {
    match conn.key {
        Some(key) => format!("{key} \"{}\"", conn.raw),
        None => "the default connection setting".to_string(),
    }
}

impl Settings<'_> {
    /// No local.settings.json: the app setting to create in Azure (info).
    pub(super) fn no_local_connection_setting(
        &self,
        conn: &ConnectionName,
        span: Span,
        out: &mut Vec<Finding>,
    ) {
        let message = match self.resolve(&conn.raw) {
            Ok(name) => format!(
                "no local.settings.json: create the app setting \"{name}\" in Azure with the scheduler's connection string, e.g. \"Endpoint=https://<scheduler>.<region>.durabletask.io;Authentication=ManagedIdentity\""
            ),
            Err(missing) => format!(
                "no local.settings.json: {} takes the setting name from the app setting{} {}; create {} in Azure, and the setting it names with the scheduler's connection string",
                named(conn),
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
    }

    /// The name holds `%X%` tokens that Values lacks.
    pub(super) fn unresolved_connection_name(
        &self,
        local: &Parsed<Json>,
        conn: &ConnectionName,
        missing: &[String],
        span: Span,
        out: &mut Vec<Finding>,
    ) {
        out.push(
            Finding::new(
                "DTS201",
                span,
                format!(
                    "{} refers to {}, so the provider looks for a setting literally named \"{}\"",
                    named(conn),
                    not_in_values(missing),
                    conn.raw
                ),
            )
            .label("unresolved setting reference")
            .related(Self::values_span(local), "not defined in Values")
            .help(format!(
                "add {} to Values with the name of the connection setting",
                list(missing)
            )),
        );
    }

    /// The setting `name` is in neither Values nor ConnectionStrings.
    pub(super) fn absent_connection_setting(
        &self,
        local: &Parsed<Json>,
        name: &str,
        conn: &ConnectionName,
        span: Span,
        out: &mut Vec<Finding>,
    ) {
        let local_string = &facts().defaults.local_connection_string;
        let edits = add_setting(local, name, local_string);
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
    }

    /// The setting `name` is an empty string or `null`.
    pub(super) fn empty_connection_setting(
        &self,
        local: &Parsed<Json>,
        name: &str,
        value: &Json,
        span: Span,
        out: &mut Vec<Finding>,
    ) {
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
    }
}
