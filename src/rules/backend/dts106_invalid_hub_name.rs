//! DTS106 `invalid-hub-name`: hubName under azureManaged is not a valid task hub name (3–64
//! letters, digits and hyphens, checked on the resolved value of a `%NAME%` reference when
//! local.settings.json has it), is not a string, or is a setting name written without `%`.
//! Its fix, for a setting name only, wraps it: `"TASKHUB_NAME"` → `"%TASKHUB_NAME%"`.

use super::{is_valid_dts_hub_name, setting_reference};
use crate::finding::{Finding, Span};
use crate::fix::Applicability;
use crate::model::Parsed;
use crate::rules::files::is_encrypted;
use crate::rules::{fix_in, json_span, Context};
use crate::syntax::jsonc::{Json, Member};
use crate::syntax::jsonc_edit::{replace_value, NewValue};

/// DTS106: the hub name under azureManaged.
pub(super) fn check(cx: &Context<'_>, host: &Parsed<Json>, hub: &Member, out: &mut Vec<Finding>) {
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
            .is_some_and(|s| is_encrypted(&s.doc))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setting_names() {
        assert!(looks_like_setting_name("TASKHUB_NAME"));
        assert!(!looks_like_setting_name("default"));
        assert!(!looks_like_setting_name("MYHUB"));
    }
}
