//! The model layer: an app's files, read and parsed ([`load`]), and what they say together —
//! hosting model, Functions version, backend, whether it is a durable app at all. It reads
//! through the source layer and never walks folders, runs rules or writes.

mod durable;
pub mod files;
pub mod hub_note;
pub mod load;

pub use durable::Manifest;
pub use files::AppFiles;
pub use load::{load_json, load_project, read_source, LoadFailure, LoadProblem};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::facts::{facts, starts_with_ci, BackendId};
use crate::source::read::Reader;
use crate::source::{FileRef, Span};
use crate::syntax::jsonc::{Json, Member};
use crate::syntax::msbuild::{self, Project};

/// A file that was read and parsed.
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    /// The file and its text.
    pub file: FileRef,
    /// The parsed document.
    pub doc: T,
}

/// How the app's code runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hosting {
    /// .NET isolated worker.
    Isolated,
    /// .NET in-process.
    InProcess,
    /// C# script (`.csx`): no compiled project, extensions from extensions.csproj or a bundle.
    CSharpScript,
    /// Python.
    Python,
    /// JavaScript or TypeScript.
    Node,
    /// Java.
    Java,
    /// PowerShell.
    PowerShell,
    /// A custom handler.
    Custom,
    /// Nothing says.
    Unknown,
}

impl Hosting {
    /// Whether the app is a .NET project that takes extensions as NuGet packages.
    pub fn is_dotnet(self) -> bool {
        matches!(self, Hosting::Isolated | Hosting::InProcess)
    }

    /// Name for messages.
    pub fn label(self) -> &'static str {
        match self {
            Hosting::Isolated => ".NET isolated",
            Hosting::InProcess => ".NET in-process",
            Hosting::CSharpScript => "C# script",
            Hosting::Python => "Python",
            Hosting::Node => "JavaScript/TypeScript",
            Hosting::Java => "Java",
            Hosting::PowerShell => "PowerShell",
            Hosting::Custom => "custom handler",
            Hosting::Unknown => "unknown",
        }
    }
}

/// The Functions runtime version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FunctionsVersion {
    /// Functions 1.x (host.json without `"version"`, `durableTask` at the root).
    V1,
    /// 2.x.
    V2,
    /// 3.x.
    V3,
    /// 4.x.
    V4,
    /// 2.x or later; the exact version is not written anywhere (non-.NET apps).
    Modern,
}

impl FunctionsVersion {
    /// Whether the DTS provider exists for this version (Functions 4).
    pub fn has_dts(self) -> bool {
        matches!(self, FunctionsVersion::V4 | FunctionsVersion::Modern)
    }
}

/// How the backend was determined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendSource {
    /// `storageProvider.type` names it (the runtime accepts the value).
    Type {
        /// The value as written.
        raw: String,
    },
    /// A name the runtime rejects but whose meaning is clear (`azure`, `MicrosoftSQL`,
    /// `durabletask-scheduler`, `sql` next to the MSSQL package).
    Alias {
        /// The value as written.
        raw: String,
    },
    /// `storageProvider` without `type`: Azure Storage for today's runtime.
    Typeless,
    /// No `storageProvider` (or no durableTask section): the default, Azure Storage.
    Default,
}

/// The backend and the evidence for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backend {
    /// Which backend; `None` when the type is a value the runtime rejects and whose intent is
    /// unknown.
    pub id: Option<BackendId>,
    /// How it was determined.
    pub source: BackendSource,
}

/// An app with its files read and parsed. Files that failed are absent here; their DTS501 or
/// DTS504 problems are in `load_problems`.
#[derive(Debug)]
pub struct App {
    /// The folder.
    pub dir: PathBuf,
    /// host.json, parsed.
    pub host: Option<Parsed<Json>>,
    /// local.settings.json, parsed; `None` when absent or broken (see `has_local_settings`).
    pub local_settings: Option<Parsed<Json>>,
    /// Whether the app has a local.settings.json at all (even a broken one).
    pub has_local_settings: bool,
    /// The app's own project files.
    pub projects: Vec<Parsed<Project>>,
    /// extensions.csproj.
    pub extensions_project: Option<Parsed<Project>>,
    /// Directory.*.props files above the app, nearest first.
    pub props: Vec<Arc<Parsed<Project>>>,
    /// The language manifests beside host.json that are files, in name order.
    pub manifests: Vec<Manifest>,
    /// Whether a function.json binds a Durable trigger or client (looked at only when the
    /// app's other files do not say it is durable: [`durable`]).
    pub durable_bindings: bool,
    /// Whether a project of the app has a `ProjectReference` to a project that references a
    /// Durable package (or a wrapper of one); looked at only when what was read before does
    /// not say the app is durable.
    pub durable_project_reference: bool,
    /// Files that could not be read, decoded or parsed (DTS501 / DTS504).
    pub load_problems: Vec<LoadProblem>,
    /// How many files were read.
    pub files_read: usize,
}

impl App {
    /// Reads and parses the files of the app (those that only tell whether it is durable, only
    /// as far as that is undecided: [`durable`]). `props` are shared between apps (parsed once).
    pub fn load(files: &AppFiles, props: Vec<Arc<Parsed<Project>>>, reader: &Reader<'_>) -> App {
        let mut problems = Vec::new();
        let mut files_read = 1;
        // A file of the app's own that leads outside the boundary is not read at all.
        let readable = |p: &Path, problems: &mut Vec<LoadProblem>| {
            if files.is_outside(p) {
                problems.push(load::outside(p));
                return false;
            }
            true
        };
        // The app's own files, which the walk listed (function.json files and referenced
        // projects are read as any file is).
        let listed = &reader.listed(&files.not_regular, files.walked.as_ref());
        let host = readable(&files.host, &mut problems)
            .then(|| load_json(&files.host, listed, &mut problems, true))
            .flatten();
        let local_settings = files.local_settings.as_ref().and_then(|p| {
            files_read += 1;
            readable(p, &mut problems)
                .then(|| load_json(p, listed, &mut problems, true))
                .flatten()
        });
        let projects: Vec<Parsed<Project>> = files
            .projects
            .iter()
            .filter_map(|p| {
                files_read += 1;
                readable(p, &mut problems)
                    .then(|| load_project(p, listed, &mut problems))
                    .flatten()
            })
            .collect();
        let extensions_project = files.extensions_project.as_ref().and_then(|p| {
            files_read += 1;
            readable(p, &mut problems)
                .then(|| load_project(p, listed, &mut problems))
                .flatten()
        });
        let manifests = durable::manifests(files);
        let mut app = App {
            dir: files.dir.clone(),
            durable_project_reference: false,
            host,
            has_local_settings: files.local_settings.is_some(),
            local_settings,
            projects,
            extensions_project,
            props,
            manifests,
            durable_bindings: false,
            load_problems: problems,
            files_read,
        };
        durable::read_what_decides(&mut app, files, reader, listed);
        app
    }

    /// `Values` of local.settings.json, when the file exists and parsed.
    pub fn values(&self) -> Option<&Json> {
        self.local_settings.as_ref()?.doc.get("Values")
    }

    /// A setting from `Values` (exact name, as the host's environment is on Windows it is
    /// matched ignoring case too).
    pub fn setting(&self, name: &str) -> Option<&Member> {
        let values = self.values()?;
        values.member(name).or_else(|| values.member_ci(name))
    }

    /// The string value of a setting.
    pub fn setting_str(&self, name: &str) -> Option<&str> {
        self.setting(name)?.value.as_str()
    }

    /// Every package reference of the app's own projects and extensions.csproj.
    pub fn all_package_refs(
        &self,
    ) -> impl Iterator<Item = (&Parsed<Project>, &msbuild::PackageItem)> {
        self.projects
            .iter()
            .chain(self.extensions_project.iter())
            .flat_map(|p| p.doc.package_references.iter().map(move |r| (p, r)))
    }

    /// The `host.json` `durableTask` member where the runtime reads it: `extensions.durableTask`
    /// on Functions 2+, the root on Functions 1. Keys match ignoring case, as .NET
    /// configuration binds them.
    pub fn durable_task(&self) -> Option<&Member> {
        let root = &self.host.as_ref()?.doc;
        if self.functions_version() == FunctionsVersion::V1 {
            root.member_ci("durableTask")
        } else {
            root.get_ci("extensions")?.member_ci("durableTask")
        }
    }

    /// `storageProvider` inside the durableTask section.
    pub fn storage_provider(&self) -> Option<&Member> {
        self.durable_task()?.value.member_ci("storageProvider")
    }

    /// The `type` member of storageProvider: exactly `type` if present, else a key that
    /// differs only in case (which the runtime misses; DTS104 says so).
    pub fn type_member(&self) -> Option<&Member> {
        let provider = &self.storage_provider()?.value;
        provider
            .member("type")
            .or_else(|| provider.member_ci("type"))
    }

    /// The Functions version: `AzureFunctionsVersion` of the project, else the host.json
    /// schema (`"version": "2.0"` means 2 or later; no version and no `extensions` means 1).
    pub fn functions_version(&self) -> FunctionsVersion {
        for project in &self.projects {
            if let Some(p) = project.doc.property("AzureFunctionsVersion") {
                let v = p.value.value.to_ascii_lowercase();
                let v = v.trim_start_matches('v');
                match v.chars().next() {
                    Some('1') => return FunctionsVersion::V1,
                    Some('2') => return FunctionsVersion::V2,
                    Some('3') => return FunctionsVersion::V3,
                    Some('4') => return FunctionsVersion::V4,
                    _ => {}
                }
            }
        }
        let Some(host) = &self.host else {
            return FunctionsVersion::Modern;
        };
        let root = &host.doc;
        // `{}` is a default version-2.0 file for the host (azure-functions-host test
        // `EmptyHostJson_CreatesDefaultFile`), not a Functions 1.x one.
        if root.members().is_some_and(<[Member]>::is_empty)
            || root.get("version").is_some()
            || root.get_ci("extensions").is_some()
            || root.get_ci("extensionBundle").is_some()
        {
            FunctionsVersion::Modern
        } else {
            FunctionsVersion::V1
        }
    }

    /// The hosting model, from the app's own project file, then its settings, then its
    /// manifests (in that order of trust). extensions.csproj never decides it.
    pub fn hosting(&self) -> Hosting {
        let packages = &facts().packages;
        let mut in_process = false;
        for project in &self.projects {
            for r in &project.doc.package_references {
                let id = &r.id.value;
                if packages
                    .isolated_prefixes
                    .iter()
                    .any(|p| starts_with_ci(id, p))
                {
                    return Hosting::Isolated;
                }
                if packages
                    .in_process
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(id))
                    || starts_with_ci(id, &packages.in_process_durable_prefix)
                {
                    in_process = true;
                }
            }
        }
        if in_process {
            return Hosting::InProcess;
        }
        if let Some(runtime) = self.setting_str("FUNCTIONS_WORKER_RUNTIME") {
            match runtime.trim().to_ascii_lowercase().as_str() {
                "dotnet-isolated" => return Hosting::Isolated,
                "dotnet" if self.projects.is_empty() => return Hosting::CSharpScript,
                "dotnet" => return Hosting::InProcess,
                "python" => return Hosting::Python,
                "node" => return Hosting::Node,
                "java" => return Hosting::Java,
                "powershell" => return Hosting::PowerShell,
                "custom" => return Hosting::Custom,
                _ => {}
            }
        }
        if !self.projects.is_empty() {
            // A .NET project with no Functions package we know of (CPM-only references are
            // still listed, so this is rare): the SDK decides.
            return Hosting::InProcess;
        }
        for manifest in &self.manifests {
            match manifest.name.as_str() {
                "requirements.txt" => return Hosting::Python,
                "package.json" => return Hosting::Node,
                "pom.xml" | "build.gradle" | "build.gradle.kts" => return Hosting::Java,
                "requirements.psd1" => return Hosting::PowerShell,
                _ => {}
            }
        }
        Hosting::Unknown
    }

    /// The backend provider package the app references, if any (first found), with where.
    pub fn backend_package(&self) -> Option<(BackendId, Span, String)> {
        self.all_package_refs().find_map(|(project, r)| {
            let id = facts().backend_of_package(&r.id.value)?;
            Some((
                id,
                Span::new(&project.file, r.id.range.clone()),
                r.id.value.clone(),
            ))
        })
    }

    /// The backend, following DESIGN §2.
    pub fn backend(&self) -> Backend {
        let f = facts();
        let Some(type_member) = self.type_member() else {
            let source = if self.storage_provider().is_some() {
                BackendSource::Typeless
            } else {
                BackendSource::Default
            };
            return Backend {
                id: Some(BackendId::AzureStorage),
                source,
            };
        };
        let Some(raw) = type_member.value.as_str() else {
            return Backend {
                id: None,
                source: BackendSource::Alias { raw: String::new() },
            };
        };
        let trimmed = raw.to_string();
        for backend in &f.backends {
            if backend.canonical.eq_ignore_ascii_case(&trimmed) {
                return Backend {
                    id: Some(backend.id),
                    source: BackendSource::Type { raw: trimmed },
                };
            }
            if backend
                .legacy_aliases
                .iter()
                .chain(&backend.rejected_aliases)
                .any(|a| a.eq_ignore_ascii_case(&trimmed))
            {
                return Backend {
                    id: Some(backend.id),
                    source: BackendSource::Alias { raw: trimmed },
                };
            }
        }
        if f.ambiguous_types
            .iter()
            .any(|a| a.eq_ignore_ascii_case(&trimmed))
        {
            if let Some((id, _, _)) = self.backend_package() {
                if id != BackendId::Dts {
                    return Backend {
                        id: Some(id),
                        source: BackendSource::Alias { raw: trimmed },
                    };
                }
            }
        }
        Backend {
            id: None,
            source: BackendSource::Alias { raw: trimmed },
        }
    }
}
