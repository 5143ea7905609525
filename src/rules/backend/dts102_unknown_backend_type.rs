//! DTS102 `unknown-backend-type`: storageProvider.type names no provider the runtime knows —
//! a DTS alias such as `durabletask-scheduler`, an unknown name, an empty string or a value
//! that is not a string — so the host does not start. Its fix, for the DTS aliases only, writes
//! the canonical `azureManaged`.

use super::{non_canonical_dts_type, write_canonical_type};
use crate::facts::{facts, BackendId};
use crate::finding::Finding;
use crate::model::{BackendSource, Parsed};
use crate::rules::{json_span, Context};
use crate::syntax::jsonc::Json;

/// DTS102: a type the runtime rejects, on an app whose intent is DTS or unknown.
pub(super) fn check(cx: &Context<'_>, host: &Parsed<Json>, out: &mut Vec<Finding>) {
    let Some(member) = cx.app.type_member() else {
        return;
    };
    let f = facts();
    let dts = f.backend(BackendId::Dts);
    let span = json_span(host, member.value.range.clone());
    let Some(raw) = member.value.as_str() else {
        out.push(
            Finding::new(
                "DTS102",
                span,
                format!(
                    "storageProvider.type is {}, not a string; the host will not start",
                    member.value.kind_name()
                ),
            )
            .label("expected a provider name")
            .help(format!(
                "use \"{}\" for the Durable Task Scheduler",
                dts.canonical
            )),
        );
        return;
    };
    let message = if raw.is_empty() {
        "storageProvider.type is empty; the host will not start (\"Storage provider type () was not found\")".to_string()
    } else {
        format!("storageProvider.type \"{raw}\" is not a provider the runtime knows; the host fails with \"Storage provider type ({raw}) was not found\"")
    };
    out.push(
        Finding::new("DTS102", span, message)
            .label("unknown provider type")
            .help(format!(
                "the runtime accepts {}, {}, {} and {} (any case)",
                f.backend(BackendId::Dts).canonical,
                f.backend(BackendId::AzureStorage).canonical,
                f.backend(BackendId::Mssql).canonical,
                f.backend(BackendId::Netherite).canonical
            )),
    );
}

/// DTS102 for the DTS aliases the runtime rejects, on an app already on DTS.
pub(super) fn check_dts_alias(cx: &Context<'_>, host: &Parsed<Json>, out: &mut Vec<Finding>) {
    let BackendSource::Alias { .. } = &cx.backend.source else {
        return;
    };
    let Some((member, raw, canonical)) = non_canonical_dts_type(cx) else {
        return;
    };
    let (span, fix) = write_canonical_type(host, member, canonical);
    out.push(
        Finding::new(
            "DTS102",
            span,
            format!("storageProvider.type \"{raw}\" is not a provider name the runtime knows; the host fails with \"Storage provider type ({raw}) was not found\""),
        )
        .label(format!("means \"{canonical}\""))
        .fix(fix),
    );
}
