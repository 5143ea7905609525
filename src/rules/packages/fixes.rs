//! The fixes the package rules share: raising a model's packages to their recommended versions
//! (DTS303, DTS403) and adding a missing package reference (DTS301, DTS403). Builds fixes only;
//! never decides whether a rule fires.

use super::versions::{named, PackageUse, Packages};
use crate::facts::facts;
use crate::facts::packages::{ModelPackages, TrackedPackage};
use crate::fix::{Applicability, Fix};
use crate::model::{App, Parsed};
use crate::rules::fix_across;
use crate::syntax::msbuild::{PackageItem, Project};
use crate::syntax::msbuild_edit::{insert_item_after, replace_value, NewItem};
use crate::syntax::nuget::{Version, VersionRange};

/// Whether raising from `range` to `to` is safe: same major version, or the AzureManaged
/// prerelease 0.x to 1.x (no code changes). A major raise of the Durable extension (WebJobs
/// DurableTask 2.x → 3.x) changes the extension's behaviour and defaults (its storage layout,
/// partition management) for every language, extensions.csproj included: unsafe.
fn raise_is_safe(range: &VersionRange, to: &Version, azure_managed: bool) -> bool {
    range.min.as_ref().is_some_and(|from| {
        from.major() == to.major() || (azure_managed && from.major() == 0 && to.major() == 1)
    })
}

/// The fix that raises each of the model's packages in `uses` that resolves below its
/// recommended version to that version (the recommended versions are a proven pair).
pub fn raise_fix(
    app: &App,
    model: &ModelPackages,
    uses: &[Option<&PackageUse<'_>>; 2],
) -> Option<Fix> {
    let mut edits = Vec::new();
    let mut safe = true;
    let mut parts = Vec::new();
    for (u, tracked) in uses.iter().zip([&model.azure_managed, &model.durable]) {
        let Some(u) = u else { continue };
        let (Some(range), Some((file, spec))) = (u.range(), u.site) else {
            continue;
        };
        if !range.resolves_below(&tracked.recommended) {
            continue;
        }
        let edit = replace_value(&file.file.text, &spec.text, tracked.recommended.as_str())?;
        safe &= raise_is_safe(
            &range,
            &tracked.recommended,
            std::ptr::eq(tracked, &model.azure_managed),
        );
        parts.push(format!("{} to {}", tracked.id, tracked.recommended));
        edits.push((file.file.clone(), edit));
    }
    let applicability = if safe {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    let mut message = format!("raise {}", parts.join(" and "));
    if !safe {
        message.push_str(
            " (a new major version of the Durable extension: review its release notes, then apply with --unsafe-fixes)",
        );
    }
    fix_across(app, message, applicability, edits)
}

/// The fix that adds a reference to `package` in `project`: with its version, or under Central
/// Package Management without it, plus a `PackageVersion` in the props file that already
/// declares the app's Durable packages (else the nearest one).
pub fn add_fix(
    app: &App,
    packages: &Packages<'_>,
    project: &Parsed<Project>,
    package: &TrackedPackage,
    applicability: Applicability,
) -> Option<Fix> {
    let f = facts();
    let refs: Vec<&PackageItem> = project
        .doc
        .package_references
        .iter()
        .filter(|r| !r.conditional && !r.is_update)
        .collect();
    let sibling = refs
        .iter()
        .rev()
        .find(|r| f.is_durable_package(&r.id.value))
        .or(refs.last())?;
    let version = package.recommended.as_str();
    let central = packages.central(project);
    let mut edits = Vec::new();
    let mut message = format!("add {} {version}", package.id);
    if central && packages.package_version(project, &package.id).is_none() {
        let candidates = || std::iter::once(project).chain(packages.props.iter().copied());
        fn durable_version(file: &Parsed<Project>) -> Option<&PackageItem> {
            file.doc
                .package_versions
                .iter()
                .rev()
                .find(|v| !v.conditional && facts().is_durable_package(&v.id.value))
        }
        let (file, anchor) = candidates()
            .find_map(|file| durable_version(file).map(|v| (file, v)))
            .or_else(|| {
                let file = packages
                    .props
                    .iter()
                    .copied()
                    .find(|p| named(p, "Directory.Packages.props"))
                    .unwrap_or(project);
                let last = file
                    .doc
                    .package_versions
                    .iter()
                    .rev()
                    .find(|v| !v.conditional)?;
                Some((file, last))
            })?;
        let new = NewItem {
            item_type: "PackageVersion",
            id: &package.id,
            version: Some(version),
        };
        edits.push((
            file.file.clone(),
            insert_item_after(&file.file.text, anchor, new),
        ));
        message = format!(
            "add {} (version {version} in {})",
            package.id,
            crate::source::display_path(&file.file.path)
        );
    }
    let new = NewItem {
        item_type: "PackageReference",
        id: &package.id,
        version: (!central).then_some(version),
    };
    edits.push((
        project.file.clone(),
        insert_item_after(&project.file.text, sibling, new),
    ));
    fix_across(app, message, applicability, edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raising_is_safe_within_a_major_and_for_azure_managed_previews() {
        let r = |s: &str| VersionRange::parse(s).unwrap();
        let v = |s: &str| Version::parse(s).unwrap();
        assert!(raise_is_safe(&r("0.4.1-alpha"), &v("1.12.0"), true));
        assert!(!raise_is_safe(&r("0.4.1-alpha"), &v("1.12.0"), false));
        assert!(raise_is_safe(&r("1.2.2"), &v("1.21.1"), false));
        // A major raise of the Durable extension is unsafe, in extensions.csproj too.
        assert!(!raise_is_safe(&r("2.13.7"), &v("3.19.0"), false));
        assert!(!raise_is_safe(&r("(,2.0)"), &v("1.12.0"), true));
    }
}
