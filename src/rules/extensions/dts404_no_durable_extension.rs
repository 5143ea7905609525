//! DTS404 `no-durable-extension`: a non-.NET durable app (any backend) with neither an
//! `extensionBundle` in host.json nor an extensions.csproj, so the host loads no Durable
//! extension. The fix adds the GA bundle with the documented range to host.json; unsafe unless
//! the app is on the Durable Task Scheduler (which needs Functions 4 anyway).

use crate::facts::{facts, BackendId};
use crate::finding::Finding;
use crate::fix::Applicability;
use crate::model::{Hosting, Parsed};
use crate::rules::{fix_in_when_planned, json_span, Context};
use crate::syntax::jsonc::Json;
use crate::syntax::jsonc_edit::{append_member, NewValue};

/// DTS404: a non-.NET durable app with neither a bundle nor extensions.csproj.
pub(super) fn no_extension(cx: &Context<'_>, host: &Parsed<Json>, out: &mut Vec<Finding>) {
    let d = &facts().defaults;
    let root = &host.doc;
    // DTS needs Functions 4 anyway; other backends may still run on an older host.
    let applicability = if cx.backend.id == Some(BackendId::Dts) {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    let language = match cx.hosting {
        // No project file or manifest says which language the app is written in.
        Hosting::Unknown => "",
        hosting => hosting.label(),
    };
    let mut finding = Finding::new(
        "DTS404",
        json_span(host, root.range.start..root.range.start + 1),
        // `concat`, not `format!`: this runs for most apps of a monorepo.
        [
            "the ",
            language,
            if language.is_empty() { "" } else { " " },
            "durable app has neither an extensionBundle in host.json nor an extensions.csproj: the host loads no Durable extension and its triggers are not found",
        ]
        .concat(),
    )
    .label("no extensionBundle in host.json")
    // Appending a member to host.json's root object always plans an edit.
    .fix(fix_in_when_planned(
        cx,
        host,
        [
            "add \"extensionBundle\": { \"id\": \"",
            &d.bundle_id,
            "\", \"version\": \"",
            &d.bundle_range,
            "\" }",
        ]
        .concat(),
        applicability,
        || {
            let value = NewValue::Object(vec![
                ("id".to_string(), NewValue::Str(d.bundle_id.clone())),
                ("version".to_string(), NewValue::Str(d.bundle_range.clone())),
            ]);
            append_member(&host.file.text, root, "extensionBundle", value)
        },
    ));
    if applicability == Applicability::Unsafe {
        finding = finding.help("the v4 bundle needs the Functions 4 host; the fix is unsafe because the tool cannot see which host version the app runs on");
    }
    out.push(finding);
}
