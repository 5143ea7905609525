//! DTS206 `stale-backend-setting`: settings in Values that only the old backend read (by
//! default name, or named by a leftover storageProvider key); never `AzureWebJobsStorage` or
//! the DTS connection setting.
//!
//! The fix (unsafe: other code may still read it) removes the setting.

use super::{contains_ci, Settings};
use crate::facts::facts;
use crate::facts::settings::settings_facts;
use crate::finding::Finding;
use crate::fix::Applicability;
use crate::model::Parsed;
use crate::rules::json_span;
use crate::syntax::jsonc::Json;
use crate::syntax::jsonc_edit::edit_object;

impl Settings<'_> {
    /// DTS206: settings only the old backend read.
    pub(super) fn stale_settings(&self, local: &Parsed<Json>, out: &mut Vec<Finding>) {
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
}
