//! DTS105 `missing-hub-name`: azureManaged is selected but `extensions.durableTask` has no
//! `hubName`, so the hub defaults to the site name and the scheduler answers "Task hub not
//! found". Its fix adds `"hubName": "%TASKHUB_NAME%"` as the section's last member.

use super::hub_reference;
use crate::finding::Finding;
use crate::fix::Applicability;
use crate::model::Parsed;
use crate::rules::{fix_in, json_span};
use crate::syntax::jsonc::{Json, Member};
use crate::syntax::jsonc_edit::{append_member, NewValue};

/// DTS105: the durableTask section `dt` of an app already on DTS, which has no hubName.
pub(super) fn check(host: &Parsed<Json>, dt: &Member, out: &mut Vec<Finding>) {
    let section = &dt.value;
    let text = &host.file.text;
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
