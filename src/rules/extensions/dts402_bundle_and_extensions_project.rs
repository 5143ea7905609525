//! DTS402 `bundle-and-extensions-project`: host.json configures an extension bundle and the app
//! has an extensions.csproj, which the host then ignores. When the project pins the AzureManaged
//! package the fix removes `extensionBundle` from host.json (unsafe: every other extension must
//! then be in the project); otherwise there is no fix and the help names both ways out.

use crate::facts::facts;
use crate::facts::packages::package_facts;
use crate::finding::{Finding, Span};
use crate::fix::Applicability;
use crate::model::Parsed;
use crate::rules::packages::project_span;
use crate::rules::{fix_in, json_span};
use crate::syntax::jsonc::{Json, Member};
use crate::syntax::jsonc_edit::edit_object;

/// DTS402: both a bundle and extensions.csproj; the host loads only the bundle.
pub(super) fn bundle_and_project(
    host: &Parsed<Json>,
    bundle: &Member,
    ext: &Parsed<crate::syntax::msbuild::Project>,
    out: &mut Vec<Finding>,
) {
    let am = &package_facts().webjobs.azure_managed;
    let pinned = ext.doc.package_reference(&am.id);
    let (related, label) = match pinned {
        Some(r) => (
            Span::new(&ext.file, r.id.range.clone()),
            format!("{} pinned here, ignored", am.id),
        ),
        None => (
            project_span(ext),
            "ignored while the bundle is configured".to_string(),
        ),
    };
    let mut finding = Finding::new(
        "DTS402",
        json_span(host, bundle.key_range.clone()),
        "host.json configures an extension bundle and the app has an extensions.csproj: the host loads only the bundle and silently ignores the project",
    )
    .label("the host loads extensions from this bundle only")
    .related(related, label);
    if pinned.is_some() {
        let root = &host.doc;
        let index = root
            .members()
            .and_then(|m| m.iter().position(|m| std::ptr::eq(m, bundle)));
        let edits = index.map_or_else(Vec::new, |i| edit_object(&host.file.text, root, &[i], &[]));
        finding = finding
            .fix(fix_in(
                host,
                "remove extensionBundle from host.json: extensions come from extensions.csproj",
                Applicability::Unsafe,
                edits,
            ))
            .help("the fix keeps the explicit route; it is unsafe because every other extension the bundle supplied (Storage, Service Bus, …) must then be in extensions.csproj");
    } else {
        finding = finding.help(format!(
            "keep one mechanism: delete extensions.csproj (the bundle {} carries the DTS extension), or delete extensionBundle and add {} to extensions.csproj",
            facts().defaults.bundle_range,
            am.id
        ));
    }
    out.push(finding);
}
