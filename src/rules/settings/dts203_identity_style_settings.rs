//! DTS203 `identity-style-settings`: `NAME__endpoint`-style settings in Values, where `NAME` is
//! the DTS connection setting; the provider reads only the one string `NAME`.
//!
//! When `NAME` is missing, the fix replaces the parts with the one connection string they spell;
//! when `NAME` is set, it removes the parts the provider ignores.

use super::connection_string::build_connection_string;
use super::{list, plural, Settings};
use crate::facts::settings::settings_facts;
use crate::facts::starts_with_ci;
use crate::finding::{Finding, Span};
use crate::fix::Applicability;
use crate::model::Parsed;
use crate::rules::json_span;
use crate::source::redact::mask;
use crate::syntax::jsonc::{Json, Member};
use crate::syntax::jsonc_edit::{edit_object, NewValue};

impl Settings<'_> {
    /// DTS203: `NAME__endpoint`-style settings. Returns whether its fix adds `NAME` itself.
    pub(super) fn identity_style(
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
}
