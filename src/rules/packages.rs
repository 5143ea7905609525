//! DTS3xx — NuGet packages of .NET apps and of the `extensions.csproj` of non-.NET apps
//! (DESIGN §4, §5 Central Package Management; reference §4).
//!
//! A package's version is read where MSBuild takes it from: `VersionOverride`, the
//! `PackageReference`'s own `Version` (attribute or child element), or, under Central Package
//! Management, the `PackageVersion` of the project or of the nearest `Directory.Packages.props`
//! (and the parent props files it imports). Versions written as `$(Property)` are not evaluated:
//! the rules stay silent about them rather than guess.

use super::{fix_across, Context};
use crate::facts::packages::{package_facts, ModelPackages, TrackedPackage};
use crate::facts::{facts, starts_with_ci, BackendId};
use crate::finding::{Finding, Span};
use crate::fix::{Applicability, Fix};
use crate::model::{App, Hosting, Parsed};
use crate::syntax::msbuild::{PackageItem, Project, VersionSpec};
use crate::syntax::msbuild_edit::{insert_item_after, remove_element, replace_value, NewItem};
use crate::syntax::nuget::{Requirement, Version, VersionRange};

// ---------------------------------------------------------------------------------------------
// Where versions come from

/// Whether a file name is `name`, ignoring case.
fn named(file: &Parsed<Project>, name: &str) -> bool {
    file.file
        .path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case(name))
}

/// Whether a props file imports the props file of the same name above it
/// (`GetPathOfFileAbove(...)`, `$(MSBuildThisFileDirectory)..`).
fn imports_parent(file: &Parsed<Project>) -> bool {
    file.doc.imports.iter().any(|i| {
        let v = i.value.to_ascii_lowercase();
        v.contains("getpathoffileabove")
            || v.contains("getdirectorynameoffileabove")
            || v.contains("..")
    })
}

/// The props files MSBuild evaluates for the app: the nearest `Directory.Packages.props` and
/// the parents it imports, then the same for `Directory.Build.props`.
pub fn effective_props(app: &App) -> Vec<&Parsed<Project>> {
    let mut out = Vec::new();
    for name in ["Directory.Packages.props", "Directory.Build.props"] {
        for file in app.props.iter().filter(|p| named(p, name)) {
            out.push(file.as_ref());
            if !imports_parent(file) {
                break;
            }
        }
    }
    out
}

/// Whether Central Package Management is on for `project`.
fn manages_centrally(project: &Project, props: &[&Parsed<Project>]) -> bool {
    project
        .manages_versions_centrally()
        .or_else(|| {
            props
                .iter()
                .find_map(|p| p.doc.manages_versions_centrally())
        })
        .unwrap_or(false)
}

/// A `PackageReference` of a project and where its version is written.
pub struct PackageUse<'a> {
    /// The project holding the reference.
    pub project: &'a Parsed<Project>,
    /// The reference.
    pub item: &'a PackageItem,
    /// The file holding the version (the project, or a props file under CPM).
    pub site: Option<(&'a Parsed<Project>, &'a VersionSpec)>,
}

impl<'a> PackageUse<'a> {
    /// The version requirement, when it is written and evaluable.
    pub fn range(&self) -> Option<VersionRange> {
        match Requirement::parse(&self.site?.1.text.value) {
            Requirement::Range(r) => Some(r),
            Requirement::Unknown(_) => None,
        }
    }

    /// Whether the version comes from a `PackageVersion` of another file.
    fn central(&self) -> bool {
        self.site
            .is_some_and(|(file, _)| !std::ptr::eq(file, self.project))
    }

    /// The finding's primary span (the version, or the reference when the version is
    /// elsewhere) and a related span for a central version.
    fn spans(&self) -> (Span, Option<(Span, String)>) {
        let project = &self.project.file;
        match self.site {
            Some((file, spec)) if self.central() => (
                Span::new(project, self.item.id.range.clone()),
                Some((
                    Span::new(&file.file, spec.text.range.clone()),
                    format!("{} is set here", spec.text.value),
                )),
            ),
            Some((_, spec)) => (Span::new(project, spec.text.range.clone()), None),
            None => (Span::new(project, self.item.id.range.clone()), None),
        }
    }
}

/// Reads the package references of one project with their versions.
pub struct Packages<'a> {
    props: Vec<&'a Parsed<Project>>,
}

impl<'a> Packages<'a> {
    /// For one app.
    pub fn new(app: &'a App) -> Packages<'a> {
        Packages {
            props: effective_props(app),
        }
    }

    /// Whether Central Package Management is on for `project`.
    pub fn central(&self, project: &Parsed<Project>) -> bool {
        manages_centrally(&project.doc, &self.props)
    }

    /// The `PackageVersion` for `id` in the project or its props files, with its file.
    fn package_version(
        &self,
        project: &'a Parsed<Project>,
        id: &str,
    ) -> Option<(&'a Parsed<Project>, &'a PackageItem)> {
        std::iter::once(project)
            .chain(self.props.iter().copied())
            .find_map(|file| {
                let matching = || {
                    file.doc
                        .package_versions
                        .iter()
                        .filter(|v| v.id.value.eq_ignore_ascii_case(id))
                };
                matching()
                    .find(|v| !v.conditional)
                    .or_else(|| matching().next())
                    .map(|v| (file, v))
            })
    }

    /// Every (non-`Update`) reference of `project` with its version site.
    pub fn uses(&self, project: &'a Parsed<Project>) -> Vec<PackageUse<'a>> {
        let central = self.central(project);
        project
            .doc
            .package_references
            .iter()
            .filter(|r| !r.is_update)
            .map(|item| {
                let own = if central {
                    item.version_override.as_ref().or(item.version.as_ref())
                } else {
                    item.version.as_ref().or(item.version_override.as_ref())
                };
                let site = own.map(|spec| (project, spec)).or_else(|| {
                    if !central {
                        return None;
                    }
                    let (file, v) = self.package_version(project, &item.id.value)?;
                    v.version.as_ref().map(|spec| (file, spec))
                });
                PackageUse {
                    project,
                    item,
                    site,
                }
            })
            .collect()
    }

    /// The reference to `id` in `project`.
    pub fn find(&self, project: &'a Parsed<Project>, id: &str) -> Option<PackageUse<'a>> {
        self.uses(project)
            .into_iter()
            .find(|u| u.item.id.value.eq_ignore_ascii_case(id))
    }
}

// ---------------------------------------------------------------------------------------------
// Fixes

/// Whether raising from `range` to `to` is safe: same major version, the AzureManaged
/// prerelease 0.x to 1.x (no code changes), or any raise in the extensions.csproj of an app
/// whose code does not compile against the packages (Python, JavaScript, Java, PowerShell).
fn raise_is_safe(range: &VersionRange, to: &Version, azure_managed: bool, no_code: bool) -> bool {
    range.min.as_ref().is_some_and(|from| {
        no_code
            || from.major() == to.major()
            || (azure_managed && from.major() == 0 && to.major() == 1)
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
        // C# scripts compile against the extension's types; other languages do not.
        let no_code = !matches!(
            app.hosting(),
            Hosting::Isolated | Hosting::InProcess | Hosting::CSharpScript
        ) && app
            .extensions_project
            .as_ref()
            .is_some_and(|ext| std::ptr::eq(ext, u.project));
        safe &= raise_is_safe(
            &range,
            &tracked.recommended,
            std::ptr::eq(tracked, &model.azure_managed),
            no_code,
        );
        parts.push(format!("{} to {}", tracked.id, tracked.recommended));
        edits.push((file.file.clone(), edit));
    }
    let applicability = if safe {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    fix_across(
        app,
        format!("raise {}", parts.join(" and ")),
        applicability,
        edits,
    )
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

// ---------------------------------------------------------------------------------------------
// Rules

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

fn find_use<'u, 'a>(uses: &'u [PackageUse<'a>], id: &str) -> Option<&'u PackageUse<'a>> {
    uses.iter()
        .find(|u| u.item.id.value.eq_ignore_ascii_case(id))
}

/// The span of a project's root element start tag name (`<Project`).
pub fn project_span(project: &Parsed<Project>) -> Span {
    let start = project.doc.root.start;
    let end = (start + "<Project".len()).min(project.doc.root.end);
    Span::new(&project.file, start..end)
}

/// DTS301: azureManaged without the AzureManaged package of the hosting model.
fn missing_package(
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

/// DTS302: MSSQL or Netherite provider packages left in an app on DTS.
fn obsolete(cx: &Context<'_>, uses: &[PackageUse<'_>], extensions: bool, out: &mut Vec<Finding>) {
    let f = facts();
    for u in uses {
        let id = &u.item.id.value;
        let Some(backend) = f.backend_of_package(id) else {
            continue;
        };
        if backend == BackendId::Dts {
            continue;
        }
        // Worker extension packages and extensions.csproj carry no API the code can use.
        let safe = extensions
            || f.packages
                .isolated_prefixes
                .iter()
                .any(|p| starts_with_ci(id, p));
        let applicability = if safe {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        };
        let edit = remove_element(&u.project.file.text, u.item.element.clone());
        let label = &f.backend(backend).label;
        let mut finding = Finding::new(
            "DTS302",
            Span::new(&u.project.file, u.item.id.range.clone()),
            format!("{id} is the {label} provider; the app runs on the Durable Task Scheduler and no longer uses it"),
        )
        .label(format!("{label} provider package"))
        .fix(fix_across(
            cx.app,
            format!("remove the {id} reference"),
            applicability,
            vec![(u.project.file.clone(), edit)],
        ));
        if !safe {
            finding = finding.help(format!(
                "remove the reference and any code that uses {label} types (the fix is unsafe for that reason)"
            ));
        }
        out.push(finding);
    }
}

/// DTS303: Durable packages below the minimum that works with DTS, or a pair no sample shows
/// working together. With `check_minimum` false only pairs are checked (extensions.csproj,
/// where DTS403 reports the minimums).
fn outdated(
    cx: &Context<'_>,
    model: &ModelPackages,
    uses: &[PackageUse<'_>],
    check_minimum: bool,
    out: &mut Vec<Finding>,
) {
    let am = find_use(uses, &model.azure_managed.id);
    let df = find_use(uses, &model.durable.id);
    let pair = [am, df];
    let mut below = false;
    for (u, tracked) in pair.iter().zip([&model.azure_managed, &model.durable]) {
        let Some(u) = u else { continue };
        let Some(range) = u.range() else { continue };
        if !range.resolves_below(&tracked.minimum) {
            continue;
        }
        below = true;
        if !check_minimum {
            continue;
        }
        let written = &u
            .site
            .map(|(_, s)| s.text.value.clone())
            .unwrap_or_default();
        let what = if range.min.as_ref().is_some_and(Version::is_prerelease)
            && tracked.minimum.major() > 0
        {
            "a prerelease"
        } else {
            "a version"
        };
        out.push(version_finding(
            "DTS303",
            u,
            format!(
                "{} {written} is {what} below {}, the lowest that works with the Durable Task Scheduler",
                tracked.id, tracked.minimum
            ),
            format!("below {}", tracked.minimum),
            raise_fix(cx.app, model, &pair),
        ));
    }
    if below {
        return;
    }
    let (Some(am), Some(df)) = (am, df) else {
        return;
    };
    let (Some(am_range), Some(df_range)) = (am.range(), df.range()) else {
        return;
    };
    // The lowest AzureManaged the reference allows; floats are left to DTS306.
    let Some(am_version) = am_range.min.as_ref().filter(|_| !am_range.is_floating()) else {
        return;
    };
    let Some(proven) = model
        .pairs
        .iter()
        .filter(|p| &p.azure_managed <= am_version)
        .max_by(|a, b| a.azure_managed.cmp(&b.azure_managed))
    else {
        return;
    };
    if !df_range.resolves_below(&proven.durable) {
        return;
    }
    let written = df
        .site
        .map(|(_, s)| s.text.value.clone())
        .unwrap_or_default();
    out.push(version_finding(
        "DTS303",
        df,
        format!(
            "{} {written} with AzureManaged {am_version} is a pair no Microsoft sample shows working together; AzureManaged {} was seen with {} in {}",
            model.durable.id, proven.azure_managed, proven.durable, proven.seen
        ),
        format!("below {} for AzureManaged {am_version}", proven.durable),
        raise_fix(cx.app, model, &pair),
    ));
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

/// DTS304: a durable app on the .NET in-process model.
fn in_process_model(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if cx.hosting != Hosting::InProcess {
        return;
    }
    let p = &facts().packages;
    let marker = cx.app.projects.iter().find_map(|project| {
        let r = project.doc.package_references.iter().find(|r| {
            p.in_process
                .iter()
                .any(|id| id.eq_ignore_ascii_case(&r.id.value))
                || starts_with_ci(&r.id.value, &p.in_process_durable_prefix)
        })?;
        Some(Span::new(&project.file, r.id.range.clone()))
    });
    let span = marker
        .or_else(|| cx.app.projects.first().map(project_span))
        .or_else(|| {
            let settings = cx.app.local_settings.as_ref()?;
            let setting = cx.app.setting("FUNCTIONS_WORKER_RUNTIME")?;
            Some(Span::new(&settings.file, setting.value.range.clone()))
        });
    let Some(span) = span else { return };
    out.push(
        Finding::new(
            "DTS304",
            span,
            "the app uses the .NET in-process model: its support ends on 2026-11-10, and the Durable Task Scheduler docs and samples are isolated-only",
        )
        .label("in-process")
        .help("migrate the app to the .NET isolated worker (Microsoft.Azure.Functions.Worker with Microsoft.Azure.Functions.Worker.Extensions.DurableTask.AzureManaged) before or with the move to DTS"),
    );
}

/// DTS305: isolated (worker) and in-process (WebJobs) Durable packages in one project.
fn mixed_hosting(cx: &Context<'_>, project: &Parsed<Project>, out: &mut Vec<Finding>) {
    let f = facts();
    let worker_prefix = &package_facts().isolated.durable.id;
    let refs = &project.doc.package_references;
    let worker: Vec<&PackageItem> = refs
        .iter()
        .filter(|r| starts_with_ci(&r.id.value, worker_prefix))
        .collect();
    let webjobs: Vec<&PackageItem> = refs
        .iter()
        .filter(|r| {
            f.is_durable_package(&r.id.value) && !starts_with_ci(&r.id.value, worker_prefix)
        })
        .collect();
    let (Some(first_worker), Some(first_webjobs)) = (worker.first(), webjobs.first()) else {
        return;
    };
    let isolated = cx.hosting == Hosting::Isolated;
    let (wrong, other) = if isolated {
        (&webjobs, first_worker)
    } else {
        (&worker, first_webjobs)
    };
    let (model, other_model) = if isolated {
        ("in-process (WebJobs)", "isolated worker")
    } else {
        ("isolated worker", "in-process (WebJobs)")
    };
    for r in wrong {
        out.push(
            Finding::new(
                "DTS305",
                Span::new(&project.file, r.id.range.clone()),
                format!(
                    "{} is an {model} Durable package in a project that also references {}, an {other_model} one; a project is one or the other",
                    r.id.value, other.id.value
                ),
            )
            .label(format!("{model} package"))
            .related(Span::new(&project.file, other.id.range.clone()), format!("{other_model} package"))
            .help(format!(
                "the project is {}: remove {} (worker projects use Microsoft.Azure.Functions.Worker.Extensions.DurableTask*, in-process ones Microsoft.Azure.WebJobs.Extensions.DurableTask*)",
                cx.hosting.label(),
                r.id.value
            )),
        );
    }
}

/// DTS306: floating versions of Durable packages.
fn floating(uses: &[PackageUse<'_>], out: &mut Vec<Finding>) {
    let f = facts();
    let p = package_facts();
    for u in uses {
        let id = &u.item.id.value;
        if !(f.is_durable_package(id) || f.backend_of_package(id).is_some()) {
            continue;
        }
        let Some(range) = u.range() else { continue };
        if !range.is_floating() {
            continue;
        }
        let written = u
            .site
            .map(|(_, s)| s.text.value.clone())
            .unwrap_or_default();
        let recommended = [&p.isolated, &p.webjobs]
            .into_iter()
            .flat_map(|m| [&m.azure_managed, &m.durable])
            .find(|t| t.id.eq_ignore_ascii_case(id))
            .map(|t| {
                format!(
                    " (for example {}, the version the fixes write)",
                    t.recommended
                )
            })
            .unwrap_or_default();
        let (span, related) = u.spans();
        let mut finding = Finding::new(
            "DTS306",
            span,
            format!("{id} uses the floating version {written}: each restore may pick a different build, so builds are not reproducible"),
        )
        .label("floating version")
        .help(format!("pin an exact version{recommended}, or commit a packages.lock.json"));
        if let Some((span, label)) = related {
            finding = finding.related(span, label);
        }
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_parse_and_are_consistent() {
        let p = package_facts();
        for model in [&p.isolated, &p.webjobs] {
            for t in [&model.azure_managed, &model.durable] {
                assert!(t.minimum <= t.recommended, "{}", t.id);
                assert!(facts().is_durable_package(&t.id), "{}", t.id);
            }
            // The recommended versions are a proven pair.
            assert!(model
                .pairs
                .iter()
                .any(|pair| pair.azure_managed == model.azure_managed.recommended
                    && pair.durable == model.durable.recommended));
            for pair in &model.pairs {
                assert!(pair.durable >= model.durable.minimum);
                assert!(pair.azure_managed >= model.azure_managed.minimum);
            }
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

    #[test]
    fn raising_is_safe_within_a_major_and_for_azure_managed_previews() {
        let r = |s: &str| VersionRange::parse(s).unwrap();
        let v = |s: &str| Version::parse(s).unwrap();
        assert!(raise_is_safe(&r("0.4.1-alpha"), &v("1.8.1"), true, false));
        assert!(!raise_is_safe(&r("0.4.1-alpha"), &v("1.8.1"), false, false));
        assert!(raise_is_safe(&r("1.2.2"), &v("1.16.5"), false, false));
        assert!(!raise_is_safe(&r("2.13.7"), &v("3.13.0"), false, false));
        assert!(!raise_is_safe(&r("(,2.0)"), &v("1.8.1"), true, false));
        // In an extensions.csproj of a Python/JS/Java/PowerShell app no code compiles against it.
        assert!(raise_is_safe(&r("2.13.7"), &v("3.13.0"), false, true));
    }
}
