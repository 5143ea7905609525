//! DTS403 `extensions-project-incomplete`: the extensions.csproj the host loads (no bundle in
//! host.json) of an app on the Durable Task Scheduler lacks the AzureManaged package, or has a
//! Durable package below its minimum. The fix adds the package, or raises the pair to its
//! recommended versions.

use super::type_span;
use crate::facts::packages::package_facts;
use crate::finding::{Finding, Span};
use crate::fix::Applicability;
use crate::model::Parsed;
use crate::rules::packages::{add_fix, project_span, raise_fix, version_finding, Packages};
use crate::rules::Context;

/// DTS403: the extensions.csproj the host loads lacks the AzureManaged package or has a Durable
/// package below its minimum.
pub(super) fn incomplete_project(
    cx: &Context<'_>,
    ext: &Parsed<crate::syntax::msbuild::Project>,
    out: &mut Vec<Finding>,
) {
    let model = &package_facts().webjobs;
    let packages = Packages::new(cx.app);
    let am = packages.find(ext, &model.azure_managed.id);
    let df = packages.find(ext, &model.durable.id);
    let Some(am_use) = &am else {
        let span = df.as_ref().map_or_else(
            || project_span(ext),
            |d| Span::new(&ext.file, d.item.id.range.clone()),
        );
        let mut finding = Finding::new(
            "DTS403",
            span,
            format!(
                "extensions.csproj does not reference {}; without it the host fails with \"Storage provider type (azureManaged) was not found\"",
                model.azure_managed.id
            ),
        )
        .label(format!("no {} here", model.azure_managed.id))
        .fix(add_fix(cx.app, &packages, ext, &model.azure_managed, Applicability::Safe));
        if let Some(t) = type_span(cx) {
            finding = finding.related(t, "the Durable Task Scheduler is selected here");
        }
        out.push(finding);
        return;
    };
    let pair = [Some(am_use), df.as_ref()];
    for (u, tracked) in pair.iter().zip([&model.azure_managed, &model.durable]) {
        let Some(u) = u else { continue };
        let Some(range) = u.range() else { continue };
        if !range.resolves_below(&tracked.minimum) {
            continue;
        }
        let written = u
            .site
            .map(|(_, s)| s.text.value.clone())
            .unwrap_or_default();
        out.push(version_finding(
            "DTS403",
            u,
            format!(
                "{} {written} in extensions.csproj is below {}, the lowest that works with the Durable Task Scheduler",
                tracked.id, tracked.minimum
            ),
            format!("below {}", tracked.minimum),
            raise_fix(cx.app, model, &pair),
        ));
    }
}
