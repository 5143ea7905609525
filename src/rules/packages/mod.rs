//! DTS3xx — NuGet packages of .NET apps and of the `extensions.csproj` of non-.NET apps
//! (DESIGN §4, §5 Central Package Management; reference §4).
//!
//! A package's version is read where MSBuild takes it from: `VersionOverride`, the
//! `PackageReference`'s own `Version` (attribute or child element), or, under Central Package
//! Management, the `PackageVersion` of the project or of the nearest `Directory.Packages.props`
//! (and the parent props files it imports). Versions written as `$(Property)` are not evaluated:
//! the rules stay silent about them rather than guess.
//!
//! This module holds what the rules share and the order they run in; each rule is in the file
//! named after its code and name in `rules/DTSNNN.toml`. Where versions come from is in
//! [`versions`], the fixes two rules share in [`fixes`].

mod dts301_missing_dts_package;
mod dts302_obsolete_backend_package;
mod dts303_outdated_package;
mod dts304_in_process_model;
mod dts305_mixed_hosting_packages;
mod dts306_floating_version;
mod dts307_feature_needs_newer_provider;
mod fixes;
mod versions;

pub use fixes::{add_fix, raise_fix};
pub use versions::{effective_props, PackageUse, Packages};

use dts301_missing_dts_package::missing_package;
use dts302_obsolete_backend_package::obsolete;
use dts303_outdated_package::outdated;
use dts304_in_process_model::in_process_model;
use dts305_mixed_hosting_packages::mixed_hosting;
use dts306_floating_version::floating;
use dts307_feature_needs_newer_provider::feature_floors;

use super::Context;
use crate::facts::packages::{package_facts, ModelPackages};
use crate::facts::BackendId;
use crate::finding::{Finding, Span};
use crate::fix::Fix;
use crate::model::{App, Hosting, Parsed};
use crate::syntax::msbuild::Project;

/// The packages of the hosting model whose project this is.
fn model_of(hosting: Hosting) -> &'static ModelPackages {
    let p = package_facts();
    if hosting == Hosting::Isolated {
        &p.isolated
    } else {
        &p.webjobs
    }
}

/// Whether host.json configures an extension bundle.
pub fn has_bundle(app: &App) -> bool {
    app.host
        .as_ref()
        .is_some_and(|h| h.doc.member_ci("extensionBundle").is_some())
}

/// Runs the package rules.
pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if !cx.durable {
        return;
    }
    let packages = Packages::new(cx.app);
    let dts = cx.backend.id == Some(BackendId::Dts);
    if cx.hosting.is_dotnet() {
        in_process_model(cx, out);
        let model = model_of(cx.hosting);
        for project in &cx.app.projects {
            let uses = packages.uses(project);
            mixed_hosting(cx, project, out);
            floating(&uses, out);
            if dts && cx.version.has_dts() {
                obsolete(cx, &uses, false, out);
                outdated(cx, model, &uses, true, out);
            }
        }
        if dts && cx.version.has_dts() {
            missing_package(cx, &packages, model, out);
            feature_floors(cx, &packages, model, out);
        }
    }
    if let Some(ext) = &cx.app.extensions_project {
        let uses = packages.uses(ext);
        floating(&uses, out);
        if dts {
            obsolete(cx, &uses, true, out);
            // Without a bundle the host loads extensions.csproj; DTS403 reports packages below
            // their minimum there, this rule the pairs.
            if !has_bundle(cx.app) {
                outdated(cx, &package_facts().webjobs, &uses, false, out);
            }
        }
    }
}

/// The span of a project's root element start tag name (`<Project`).
pub fn project_span(project: &Parsed<Project>) -> Span {
    let start = project.doc.root.start;
    let end = (start + "<Project".len()).min(project.doc.root.end);
    Span::new(&project.file, start..end)
}

/// A finding about a package's version, pointing at the version (and at the reference when the
/// version is set in a props file).
pub fn version_finding(
    code: &'static str,
    u: &PackageUse<'_>,
    message: String,
    label: String,
    fix: Option<Fix>,
) -> Finding {
    let (span, related) = u.spans();
    let mut finding = Finding::new(code, span, message).label(label).fix(fix);
    if let Some((span, label)) = related {
        finding = finding.related(span, label);
    }
    finding
}

#[cfg(test)]
mod tests {
    use crate::facts::facts;
    use crate::facts::packages::package_facts;
    use crate::syntax::nuget::VersionRange;

    #[test]
    fn facts_parse_and_are_consistent() {
        let p = package_facts();
        for model in [&p.isolated, &p.webjobs] {
            for t in [&model.azure_managed, &model.durable] {
                assert!(t.minimum <= t.recommended, "{}", t.id);
                assert!(facts().is_durable_package(&t.id), "{}", t.id);
            }
            // Fixes never write below the floors, and the recommended versions are at or above
            // every proven pair (NuGet resolves the declared minimum dependencies itself).
            for t in [&model.azure_managed, &model.durable] {
                assert!(t.fix_floor <= t.recommended, "{} below its fix floor", t.id);
                assert!(t.minimum <= t.fix_floor, "{}", t.id);
            }
            for pair in &model.pairs {
                assert!(pair.durable >= model.durable.minimum);
                assert!(pair.azure_managed >= model.azure_managed.minimum);
                assert!(pair.azure_managed <= model.azure_managed.recommended);
                assert!(pair.durable <= model.durable.recommended);
            }
        }
        for feature in &p.features {
            assert!(feature.minimum <= p.isolated.azure_managed.recommended);
            assert!(feature.minimum <= p.webjobs.azure_managed.recommended);
        }
        let ga = &p.bundles.ga;
        assert!(ga.first_with_dts < ga.docs_floor);
        assert!(ga.known.iter().any(|v| v == &ga.first_with_dts));
        assert_eq!(ga.id, facts().defaults.bundle_id);
        let floor = VersionRange::parse(&facts().defaults.bundle_range).unwrap();
        assert_eq!(floor.min.as_ref(), Some(&ga.docs_floor));
        let preview = &p.bundles.preview;
        assert!(preview.first_with_dts < preview.first_with_released_extension);
        assert!(preview.known.iter().any(|v| v == &preview.first_with_dts));
    }
}
