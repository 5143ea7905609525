//! DTS204 `unresolved-hub-setting`: host.json's `hubName` refers to an app setting (`%X%`) that
//! is not in Values, so the host asks the scheduler for the literal name.
//!
//! Without a local.settings.json the finding is info and names the app setting to create in
//! Azure. For a whole `"%X%"` the fix adds `X` to Values with the emulator's task hub; a
//! composite name gets no fix.

use super::{add_setting, list, not_in_values, plural, them, tokens, Settings};
use crate::facts::{facts, Severity};
use crate::finding::{Finding, Span};
use crate::fix::Applicability;

impl Settings<'_> {
    /// DTS204: `%X%` in hubName without `X`.
    pub(super) fn unresolved_hub(
        &self,
        raw: &str,
        missing: &[String],
        span: Span,
        out: &mut Vec<Finding>,
    ) {
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
}
