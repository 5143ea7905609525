//! DTS103 `non-canonical-backend-type`: storageProvider.type is a spelling of azureManaged that
//! the runtime accepts (it ignores case) but that is not the canonical `azureManaged` editor
//! tooling compares exactly. Its fix writes the canonical spelling and changes nothing else.

use super::{non_canonical_dts_type, write_canonical_type};
use crate::finding::Finding;
use crate::model::{BackendSource, Parsed};
use crate::rules::Context;
use crate::syntax::jsonc::Json;

/// DTS103: an accepted but non-canonical spelling of azureManaged, on an app already on DTS.
/// The DTS aliases the runtime rejects are DTS102.
pub(super) fn check(cx: &Context<'_>, host: &Parsed<Json>, out: &mut Vec<Finding>) {
    if let BackendSource::Alias { .. } = &cx.backend.source {
        return;
    }
    let Some((member, raw, canonical)) = non_canonical_dts_type(cx) else {
        return;
    };
    let (span, fix) = write_canonical_type(host, member, canonical);
    out.push(
        Finding::new(
            "DTS103",
            span,
            format!("storageProvider.type \"{raw}\" works at runtime but is not the canonical spelling \"{canonical}\" that editor tooling compares exactly"),
        )
        .label(format!("write \"{canonical}\""))
        .fix(fix),
    );
}
