//! DTS103 `non-canonical-backend-type`: storageProvider.type is a spelling of azureManaged that
//! the runtime accepts (it ignores case) but that is not the canonical `azureManaged` editor
//! tooling compares exactly. Its fix writes the canonical spelling and changes nothing else.

use super::non_canonical_dts_type;
use crate::finding::Finding;
use crate::fix::Applicability;
use crate::model::{BackendSource, Parsed};
use crate::rules::{fix_in, json_span, Context};
use crate::syntax::jsonc::Json;
use crate::syntax::jsonc_edit::{replace_value, NewValue};

/// DTS103: an accepted but non-canonical spelling of azureManaged, on an app already on DTS.
/// The DTS aliases the runtime rejects are DTS102.
pub(super) fn check(cx: &Context<'_>, host: &Parsed<Json>, out: &mut Vec<Finding>) {
    if let BackendSource::Alias { .. } = &cx.backend.source {
        return;
    }
    let Some((member, raw, canonical)) = non_canonical_dts_type(cx) else {
        return;
    };
    let text = &host.file.text;
    let edits = vec![replace_value(
        text,
        &member.value,
        &NewValue::Str(canonical.into()),
    )];
    let span = json_span(host, member.value.range.clone());
    out.push(
        Finding::new(
            "DTS103",
            span,
            format!("storageProvider.type \"{raw}\" works at runtime but is not the canonical spelling \"{canonical}\" that editor tooling compares exactly"),
        )
        .label(format!("write \"{canonical}\""))
        .fix(fix_in(host, format!("write \"{canonical}\""), Applicability::Safe, edits)),
    );
}
