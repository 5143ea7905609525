//! DTS207 `missing-host-storage`: local.settings.json has neither `AzureWebJobsStorage` nor
//! `AzureWebJobsStorage__*` settings, or `AzureWebJobsStorage` is empty; the host still needs
//! its own storage on the Durable Task Scheduler.
//!
//! The fix sets `AzureWebJobsStorage` to Azurite's local value.

use super::{add_setting, Settings};
use crate::facts::settings::settings_facts;
use crate::facts::starts_with_ci;
use crate::finding::Finding;
use crate::fix::Applicability;
use crate::model::Parsed;
use crate::rules::json_span;
use crate::syntax::jsonc::{Json, JsonKind};
use crate::syntax::jsonc_edit::{replace_value, NewValue};

impl Settings<'_> {
    /// DTS207: the host's own storage.
    pub(super) fn host_storage(&self, local: &Parsed<Json>, out: &mut Vec<Finding>) {
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
}
