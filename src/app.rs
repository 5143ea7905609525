//! The app model: an app's files, read and parsed, and what they say together — hosting
//! model, Functions version, backend, whether it is a durable app at all.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::discover::AppFiles;
use crate::finding::{FileRef, Finding, Severity, SourceFile, Span};
use crate::knowledge::{facts, starts_with_ci, BackendId};
use crate::syntax::jsonc::{self, Json, JsonKind, Member};
use crate::syntax::msbuild::{self, Project};
use crate::syntax::text::SourceText;

/// Limits for reading files.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Files larger than this are reported (DTS504) and not parsed.
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 5 * 1024 * 1024,
        }
    }
}

/// Texts that replace files on disk while fixes are applied in memory, by path.
pub type Overlay = HashMap<PathBuf, String>;

/// Bytes of the files one app's fix passes read from disk, so that each file is read once
/// however many passes there are.
pub type ReadCache = std::sync::Mutex<HashMap<PathBuf, Vec<u8>>>;

/// Where file contents come from: the disk, or the texts a fix pass produced.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    /// Size limit.
    pub limits: Limits,
    /// Texts that win over the disk.
    pub overlay: Option<&'a Overlay>,
    /// Files already read from disk (kept there by [`Reader::read`]).
    pub cache: Option<&'a ReadCache>,
}

impl<'a> Reader<'a> {
    /// Reads from disk only.
    pub fn disk(limits: Limits) -> Reader<'static> {
        Reader {
            limits,
            overlay: None,
            cache: None,
        }
    }

    /// Reads `overlay` texts where present, `cache` or the disk elsewhere.
    pub fn with_overlay(limits: Limits, overlay: &'a Overlay, cache: &'a ReadCache) -> Reader<'a> {
        Reader {
            limits,
            overlay: Some(overlay),
            cache: Some(cache),
        }
    }

    fn overlaid(&self, path: &Path) -> Option<&'a String> {
        self.overlay.and_then(|o| o.get(path))
    }

    /// Reads a file within the size limit ([`read_bounded`]), from the cache when it has it.
    pub fn read(&self, path: &Path) -> std::io::Result<Bounded> {
        let Some(cache) = self.cache else {
            return read_bounded(path, self.limits.max_file_bytes);
        };
        if let Some(bytes) = cache.lock().ok().and_then(|c| c.get(path).cloned()) {
            return Ok(Bounded::Bytes(bytes));
        }
        let read = read_bounded(path, self.limits.max_file_bytes)?;
        if let (Bounded::Bytes(bytes), Ok(mut cache)) = (&read, cache.lock()) {
            cache.insert(path.to_path_buf(), bytes.clone());
        }
        Ok(read)
    }
}

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
/// DTS504 findings are in `load_findings`.
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
    /// Lower-cased text of the language manifests, with their file names.
    pub manifests: Vec<(String, String)>,
    /// Whether a function.json binds a Durable trigger or client.
    pub durable_bindings: bool,
    /// DTS501 / DTS504 findings from reading.
    pub load_findings: Vec<Finding>,
    /// How many files were read.
    pub files_read: usize,
}

/// What [`read_bounded`] found at a path.
#[derive(Debug)]
pub enum Bounded {
    /// The whole file; never more than the limit.
    Bytes(Vec<u8>),
    /// The file is over the limit: its size, or the bytes seen before reading stopped when it
    /// grew while it was read. Nothing beyond the limit was read.
    TooLarge(u64),
    /// Not a regular file; what it is instead (for messages).
    NotAFile(&'static str),
}

impl Bounded {
    /// The bytes, or why there are none in the words of a tool that skips such files: over
    /// `limit` (the limit the read used), or not a regular file.
    pub fn into_bytes(self, limit: u64) -> Result<Vec<u8>, String> {
        match self {
            Bounded::Bytes(bytes) => Ok(bytes),
            Bounded::TooLarge(size) => Err(format!("{}; it was not read", over_limit(size, limit))),
            Bounded::NotAFile(what) => Err(not_a_file_message(what)),
        }
    }
}

/// "this is a pipe…, not a regular file; it was not read", for [`Bounded::NotAFile`].
pub fn not_a_file_message(what: &str) -> String {
    format!("this is {what}, not a regular file; it was not read")
}

/// What a path is when it is not a regular file.
fn not_a_file(meta: &std::fs::Metadata) -> Option<&'static str> {
    if meta.is_dir() {
        Some("a folder")
    } else if !meta.is_file() {
        Some("a pipe, socket or device")
    } else {
        None
    }
}

/// Reads a file, but never more than `limit` bytes of it: the size is checked on the open
/// handle, and the read itself stops one byte past the limit (the file may grow, or report no
/// size, as files in `/proc` do). Folders and special files (pipes, devices) are never read,
/// so a pipe named `host.json` cannot block the run: on Unix the file is opened non-blocking
/// (which returns at once even for a pipe with no writer) and looked at before any read, so
/// one `open` and one `fstat` are all a file costs beyond its read; elsewhere the path is
/// looked at before it is opened.
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Bounded> {
    use std::io::Read;
    #[cfg(not(unix))]
    if let Some(what) = not_a_file(&std::fs::metadata(path)?) {
        return Ok(Bounded::NotAFile(what));
    }
    let file = open_without_blocking(path)?;
    let meta = file.metadata()?;
    if let Some(what) = not_a_file(&meta) {
        return Ok(Bounded::NotAFile(what));
    }
    if meta.len() > limit {
        return Ok(Bounded::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > limit {
        return Ok(Bounded::TooLarge(read));
    }
    Ok(Bounded::Bytes(bytes))
}

/// Opens `path` for reading without waiting on it: `O_NONBLOCK` on Unix (it does not change
/// how a regular file reads).
#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
}

/// Opens `path` for reading ([`read_bounded`] has looked at it first).
#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// "the file is N bytes, over the limit of L bytes", for a [`Bounded::TooLarge`] size.
pub fn over_limit(size: u64, limit: u64) -> String {
    let size = if size > limit.saturating_add(1) {
        format!("{size} bytes")
    } else {
        // Reading stopped at the limit: the file grew after its size was checked.
        format!("more than {limit} bytes")
    };
    format!("the file is {size}, over the limit of {limit} bytes")
}

/// Why `path` cannot be read, for the user: [`io_reason`], but a dangling symbolic link says
/// where it points.
fn read_failure(path: &Path, err: &std::io::Error) -> String {
    if err.kind() == std::io::ErrorKind::NotFound {
        if let Ok(target) = std::fs::read_link(path) {
            return format!(
                "it is a symbolic link to {}, which does not exist",
                target.display()
            );
        }
    }
    io_reason(err)
}

/// Reads a file for an app: checks the size limit, reads, decodes. Failures become findings
/// (DTS504 for a file over the limit, DTS501 for anything else) that name the file.
pub fn read_source(
    path: &Path,
    reader: &Reader<'_>,
    findings: &mut Vec<Finding>,
) -> Option<FileRef> {
    if let Some(text) = reader.overlaid(path) {
        return Some(Arc::new(SourceFile {
            path: path.to_path_buf(),
            text: SourceText::from_string(text.clone()),
        }));
    }
    let limit = reader.limits.max_file_bytes;
    let fail = |findings: &mut Vec<Finding>, code: &'static str, message: String| {
        let file = Arc::new(SourceFile {
            path: path.to_path_buf(),
            text: SourceText::from_string(String::new()),
        });
        findings.push(Finding {
            code,
            severity: Severity::Error,
            message,
            span: Span::new(&file, 0..0),
            label: "here".to_string(),
            related: Vec::new(),
            help: None,
            fix: None,
        });
    };
    let bytes = match reader.read(path) {
        Ok(Bounded::Bytes(bytes)) => bytes,
        Ok(Bounded::TooLarge(size)) => {
            let message = format!("{}; it was not parsed", over_limit(size, limit));
            fail(findings, "DTS504", message);
            return None;
        }
        Ok(Bounded::NotAFile(what)) => {
            fail(findings, "DTS501", not_a_file_message(what));
            return None;
        }
        Err(err) => {
            fail(
                findings,
                "DTS501",
                format!("the file cannot be read: {}", read_failure(path, &err)),
            );
            return None;
        }
    };
    match SourceText::decode(bytes) {
        Ok(text) => Some(Arc::new(SourceFile {
            path: path.to_path_buf(),
            text,
        })),
        Err(err) => {
            let file = Arc::new(SourceFile {
                path: path.to_path_buf(),
                text: SourceText::from_string(err.shown),
            });
            let at = crate::syntax::text::floor_char_boundary(file.text.as_str(), err.shown_offset);
            findings.push(Finding {
                code: "DTS501",
                severity: Severity::Error,
                message: err.message,
                span: Span::new(&file, at..at),
                label: "cannot be decoded here".to_string(),
                related: Vec::new(),
                help: Some("save the file as UTF-8".to_string()),
                fix: None,
            });
            None
        }
    }
}

/// A short reason for an I/O error, without the OS error number.
pub fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "it does not exist (it was removed during the run?)".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = err.to_string();
            let mut text = match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            // "Too many levels of symbolic links" reads as part of a sentence.
            if text.chars().nth(1).is_some_and(char::is_lowercase) {
                if let Some(first) = text.get_mut(0..1) {
                    first.make_ascii_lowercase();
                }
            }
            text
        }
    }
}

fn parse_error(file: &FileRef, range: std::ops::Range<usize>, message: String) -> Finding {
    Finding {
        code: "DTS501",
        severity: Severity::Error,
        message,
        span: Span::new(file, range),
        label: "here".to_string(),
        related: Vec::new(),
        help: Some("fix the syntax; dts-migrate never rewrites a file it cannot parse".to_string()),
        fix: None,
    }
}

/// Reads and parses a JSONC file; `require_object` makes a non-object root a DTS501.
pub fn load_json(
    path: &Path,
    reader: &Reader<'_>,
    findings: &mut Vec<Finding>,
    require_object: bool,
) -> Option<Parsed<Json>> {
    let file = read_source(path, reader, findings)?;
    match jsonc::parse(&file.text) {
        Ok(doc) => {
            if require_object && doc.members().is_none() {
                findings.push(parse_error(
                    &file,
                    doc.range.clone(),
                    format!("the file must hold a JSON object, not {}", doc.kind_name()),
                ));
                return None;
            }
            Some(Parsed { file, doc })
        }
        Err(err) => {
            findings.push(parse_error(&file, err.range, err.message));
            None
        }
    }
}

/// Reads and parses an MSBuild file.
pub fn load_project(
    path: &Path,
    reader: &Reader<'_>,
    findings: &mut Vec<Finding>,
) -> Option<Parsed<Project>> {
    let file = read_source(path, reader, findings)?;
    match msbuild::parse(&file.text) {
        Ok(doc) => Some(Parsed { file, doc }),
        Err(err) => {
            findings.push(parse_error(&file, err.range, err.message));
            None
        }
    }
}

impl App {
    /// Reads and parses every file of the app. `props` are shared between apps (parsed once).
    pub fn load(files: &AppFiles, props: Vec<Arc<Parsed<Project>>>, reader: &Reader<'_>) -> App {
        let mut findings = Vec::new();
        let mut files_read = 1;
        let host = load_json(&files.host, reader, &mut findings, true);
        let local_settings = files.local_settings.as_ref().and_then(|p| {
            files_read += 1;
            load_json(p, reader, &mut findings, true)
        });
        let projects = files
            .projects
            .iter()
            .filter_map(|p| {
                files_read += 1;
                load_project(p, reader, &mut findings)
            })
            .collect();
        let extensions_project = files.extensions_project.as_ref().and_then(|p| {
            files_read += 1;
            load_project(p, reader, &mut findings)
        });
        let manifests = files
            .manifests
            .iter()
            .filter_map(|p| {
                let Ok(Bounded::Bytes(bytes)) = reader.read(p) else {
                    return None;
                };
                let name = p.file_name()?.to_string_lossy().to_ascii_lowercase();
                Some((name, String::from_utf8_lossy(&bytes).to_ascii_lowercase()))
            })
            .collect();
        let bindings = &facts().languages.durable_bindings;
        let durable_bindings = files.function_jsons.iter().any(|p| {
            let Ok(Bounded::Bytes(bytes)) = reader.read(p) else {
                return false;
            };
            std::str::from_utf8(&bytes)
                .is_ok_and(|text| bindings.iter().any(|b| text.contains(&format!("\"{b}\""))))
        });
        App {
            dir: files.dir.clone(),
            host,
            has_local_settings: files.local_settings.is_some(),
            local_settings,
            projects,
            extensions_project,
            props,
            manifests,
            durable_bindings,
            load_findings: findings,
            files_read,
        }
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
        if root.get("version").is_some()
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
        for (name, _) in &self.manifests {
            match name.as_str() {
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

    /// Whether this is a Durable Functions app (DESIGN §2). Other apps get no backend findings.
    pub fn is_durable(&self) -> bool {
        let f = facts();
        if let Some(host) = &self.host {
            if find_key(&host.doc, "durableTask", 3) {
                return true;
            }
        }
        if self.durable_bindings {
            return true;
        }
        if self
            .all_package_refs()
            .any(|(_, r)| f.is_durable_package(&r.id.value))
        {
            return true;
        }
        if self.setting(&f.languages.powershell_setting).is_some() {
            return true;
        }
        self.manifests.iter().any(|(name, text)| {
            let names: &[String] = match name.as_str() {
                "requirements.txt" => &f.languages.python,
                "package.json" => &f.languages.node,
                "pom.xml" | "build.gradle" | "build.gradle.kts" => &f.languages.java,
                "requirements.psd1" => &f.languages.powershell,
                _ => return false,
            };
            names
                .iter()
                .any(|n| manifest_mentions(name, text, &n.to_ascii_lowercase()))
        })
    }
}

/// Whether a lower-cased manifest names a package: a requirement line for Python, a quoted
/// name for the others.
fn manifest_mentions(name: &str, text: &str, package: &str) -> bool {
    if name == "requirements.txt" {
        let wanted = package.replace('_', "-");
        text.lines().any(|line| {
            let line = line.trim();
            let end = line
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
                .unwrap_or(line.len());
            line[..end].replace('_', "-") == wanted
        })
    } else {
        text.contains(&format!("\"{package}\""))
            || text.contains(&format!("'{package}'"))
            || text.contains(&format!(">{package}<"))
            || text.contains(&format!(":{package}:"))
            || text.contains(&format!(":{package}\""))
            || text.contains(&format!(":{package}'"))
    }
}

/// Whether an object member named `key` (ignoring case) exists within `depth` levels.
fn find_key(value: &Json, key: &str, depth: usize) -> bool {
    if depth == 0 {
        return false;
    }
    match &value.kind {
        JsonKind::Object(members) => members
            .iter()
            .any(|m| m.key.eq_ignore_ascii_case(key) || find_key(&m.value, key, depth - 1)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_are_matched_by_name_not_substring() {
        assert!(manifest_mentions(
            "requirements.txt",
            "azure-functions\nazure-functions-durable>=1.2\n",
            "azure-functions-durable"
        ));
        assert!(!manifest_mentions(
            "requirements.txt",
            "azure-functions\n",
            "azure-functions-durable"
        ));
        assert!(manifest_mentions(
            "package.json",
            "{\"dependencies\": {\"durable-functions\": \"^3\"}}",
            "durable-functions"
        ));
        assert!(manifest_mentions(
            "build.gradle",
            "implementation 'com.microsoft:durabletask-azure-functions:1.5.0'",
            "durabletask-azure-functions"
        ));
    }
}
