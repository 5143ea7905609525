//! DTS403 `extensions-project-incomplete`: the extensions.csproj the host loads (no bundle in
//! host.json) of an app on the Durable Task Scheduler lacks the AzureManaged package, or has a
//! Durable package below its minimum. The fix adds the package, or raises the pair to its
//! recommended versions, and brings the project to its current form (the target framework and
//! ExtensionsMetadataGenerator of `rules/packages.toml`).

use super::type_span;
use crate::facts::packages::package_facts;
use crate::finding::{Finding, Span};
use crate::fix::{Applicability, Edit, Fix};
use crate::model::Parsed;
use crate::rules::packages::{add_fix, project_span, raise_fix, version_finding, Packages};
use crate::rules::Context;
use crate::syntax::msbuild::Project;
use crate::syntax::msbuild_edit::replace_value;
use crate::syntax::nuget::Requirement;

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
        .fix(current_form(
            ext,
            add_fix(cx.app, &packages, ext, &model.azure_managed, Applicability::Safe),
        ));
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
            current_form(ext, raise_fix(cx.app, model, &pair)),
        ));
    }
}

/// `fix` (the migration of extensions.csproj) with the edits that bring the project to its
/// current form: the target framework and the ExtensionsMetadataGenerator version of
/// `rules/packages.toml`, each only when it is written in the project as a plain value and
/// differs (the generator only raised). The fix's message says what changes.
fn current_form(ext: &Parsed<Project>, fix: Option<Fix>) -> Option<Fix> {
    let mut fix = fix?;
    if fix.edits.is_empty() {
        return Some(fix);
    }
    let form = &package_facts().extensions_project;
    let text = &ext.file.text;
    let mut parts = Vec::new();
    let mut edit = |range: std::ops::Range<usize>, replacement: String| {
        fix.edits.push(Edit {
            file: ext.file.clone(),
            range,
            replacement,
        })
    };
    if let Some(tf) = ext.doc.property("TargetFramework") {
        let value = tf.value.value.as_str();
        if !value.eq_ignore_ascii_case(&form.target_framework) && !value.contains("$(") {
            if let Some((range, replacement)) =
                replace_value(text, &tf.value, &form.target_framework)
            {
                parts.push(format!(
                    "TargetFramework {value} to {}",
                    form.target_framework
                ));
                edit(range, replacement);
            }
        }
    }
    let generator = &form.metadata_generator;
    if let Some(item) = ext.doc.package_reference(&generator.id) {
        if let Some(spec) = item.effective_version() {
            let below = match Requirement::parse(&spec.text.value) {
                Requirement::Range(r) => r.resolves_below(&generator.version),
                Requirement::Unknown(_) => false,
            };
            if below {
                if let Some((range, replacement)) =
                    replace_value(text, &spec.text, generator.version.as_str())
                {
                    parts.push(format!(
                        "{} {} to {}",
                        generator.id, spec.text.value, generator.version
                    ));
                    edit(range, replacement);
                }
            }
        }
    }
    if !parts.is_empty() {
        fix.edits
            .sort_by_key(|e| (e.file.path.clone(), e.range.start));
        fix.message.push_str(&format!(
            "; bring extensions.csproj to its current form: {} (needs the .NET 8 SDK to build)",
            parts.join(", ")
        ));
    }
    Some(fix)
}
