//! Where a package's version comes from: the props files MSBuild evaluates for an app, Central
//! Package Management, and each `PackageReference` with the file that writes its version. Reads
//! only; never builds a finding or a fix.

use crate::finding::Span;
use crate::model::{App, Parsed};
use crate::syntax::msbuild::{PackageItem, Project, VersionSpec};
use crate::syntax::nuget::{Requirement, VersionRange};

/// Whether a file name is `name`, ignoring case.
pub(super) fn named(file: &Parsed<Project>, name: &str) -> bool {
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
    pub(super) fn spans(&self) -> (Span, Option<(Span, String)>) {
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
    pub(super) props: Vec<&'a Parsed<Project>>,
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
    pub(super) fn package_version(
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
