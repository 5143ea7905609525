//! DTS301 `missing-dts-package`: host.json selects azureManaged but no project of the .NET app
//! references the AzureManaged package of its hosting model. The fix adds the reference (and,
//! under Central Package Management, its `PackageVersion`); unsafe for in-process apps.

use super::{add_fix, project_span, Packages};
use crate::facts::facts;
use crate::facts::packages::ModelPackages;
use crate::finding::{Finding, Span};
use crate::fix::Applicability;
use crate::model::{Hosting, Parsed};
use crate::rules::Context;
use crate::syntax::msbuild::Project;

/// DTS301: azureManaged without the AzureManaged package of the hosting model.
pub(super) fn missing_package(
    cx: &Context<'_>,
    packages: &Packages<'_>,
    model: &ModelPackages,
    out: &mut Vec<Finding>,
) {
    let wanted = &model.azure_managed;
    let has = |p: &Parsed<Project>| p.doc.package_reference(&wanted.id).is_some();
    if cx.app.projects.iter().any(has) {
        return;
    }
    let f = facts();
    let durable_ref = |p: &&Parsed<Project>| {
        p.doc
            .package_references
            .iter()
            .any(|r| f.is_durable_package(&r.id.value))
    };
    let Some(project) = cx
        .app
        .projects
        .iter()
        .find(durable_ref)
        .or(cx.app.projects.first())
    else {
        return;
    };
    let durable = project.doc.package_reference(&model.durable.id);
    let span = durable.map_or_else(
        || project_span(project),
        |r| Span::new(&project.file, r.id.range.clone()),
    );
    let applicability = if cx.hosting == Hosting::InProcess {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let mut finding = Finding::new(
        "DTS301",
        span,
        format!(
            "host.json selects azureManaged but the project does not reference {}; the host fails with \"Storage provider type (azureManaged) was not found\"",
            wanted.id
        ),
    )
    .label(format!("no {} here", wanted.id))
    .fix(add_fix(cx.app, packages, project, wanted, applicability));
    if let (Some(type_member), Some(host)) = (cx.app.type_member(), &cx.app.host) {
        finding = finding.related(
            Span::new(&host.file, type_member.value.range.clone()),
            "the Durable Task Scheduler is selected here",
        );
    }
    if cx.hosting == Hosting::InProcess {
        finding = finding.help("in-process apps reach end of support on 2026-11-10 and the DTS samples are isolated-only: moving to the isolated worker first is the expected path, so the fix is unsafe");
    }
    out.push(finding);
}
