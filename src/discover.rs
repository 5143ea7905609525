//! Discovery: a parallel walk of the given paths that finds every Functions app (a folder
//! holding a `host.json` file) and the files that belong to it.
//!
//! The walk ignores `.gitignore` on purpose: `local.settings.json` is usually git-ignored and
//! is still the file the developer runs with. It prunes build and tool folders, and honours
//! `.dts-migrate-ignore` files (gitignore syntax).

use rayon::slice::ParallelSliceMut;
use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::model::AppFiles;
use crate::source::read::{io_reason, read_bounded};

/// Folders never entered.
pub const SKIPPED_DIRS: &[&str] = &[
    "bin",
    "obj",
    "node_modules",
    ".git",
    ".venv",
    "__pycache__",
    ".vs",
    "dist",
];

/// The name of the ignore files the walk honours.
pub const IGNORE_FILE: &str = ".dts-migrate-ignore";

/// The largest ignore file read (1 MiB); a larger one is reported and not used.
const IGNORE_FILE_LIMIT: u64 = 1 << 20;

/// How many faulty lines of one ignore file are reported one by one; the rest are counted.
const IGNORE_LINE_PROBLEMS: usize = 10;

/// A problem met while walking (a folder that cannot be read…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkProblem {
    /// Where.
    pub path: Option<PathBuf>,
    /// What.
    pub message: String,
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Apps, sorted by folder.
    pub apps: Vec<AppFiles>,
    /// Problems that did not stop the walk.
    pub problems: Vec<WalkProblem>,
}

/// A path argument that cannot be used.
#[derive(Debug)]
pub struct PathError {
    /// The argument.
    pub path: PathBuf,
    /// Why.
    pub error: io::Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Host,
    LocalSettings,
    Project,
    ExtensionsProject,
    Manifest,
    FunctionJson,
    Props,
}

fn classify(name: &OsStr) -> Option<Kind> {
    // Called for every file the walk meets: compared in place, without a lowercase copy.
    let name = name.to_str()?.as_bytes();
    let is = |candidate: &str| name.eq_ignore_ascii_case(candidate.as_bytes());
    let ends = |suffix: &str| {
        name.len() >= suffix.len()
            && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    Some(if is("host.json") {
        Kind::Host
    } else if is("local.settings.json") {
        Kind::LocalSettings
    } else if is("extensions.csproj") {
        Kind::ExtensionsProject
    } else if is("function.json") {
        Kind::FunctionJson
    } else if is("directory.packages.props") || is("directory.build.props") {
        Kind::Props
    } else if MANIFESTS.iter().any(|m| is(m)) {
        Kind::Manifest
    } else if ends(".csproj") || ends(".fsproj") || ends(".vbproj") {
        Kind::Project
    } else {
        return None;
    })
}

/// Language manifests: they hint at an app's hosting model.
const MANIFESTS: &[&str] = &[
    "requirements.txt",
    "package.json",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "requirements.psd1",
];

/// Walks `paths` (folders or files) and assembles the apps. A file argument selects the app
/// that owns it (the nearest folder above it holding host.json). `threads` sets the walk's
/// worker threads (0: the current rayon pool).
pub fn discover(paths: &[PathBuf], threads: usize) -> Result<Discovery, PathError> {
    let mut roots: Vec<(PathBuf, Option<usize>)> = Vec::new();
    let mut only_apps: Vec<PathBuf> = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|error| PathError {
            path: path.clone(),
            error,
        })?;
        if meta.is_dir() {
            roots.push((path.clone(), None));
        } else if let Some(app) = owning_app(path) {
            roots.push((app.clone(), Some(2)));
            only_apps.push(app);
        } else if path
            .file_name()
            .and_then(classify)
            .is_some_and(|k| k == Kind::Props)
        {
            // A props file with no app above it: every app below it depends on it.
            let dir = parent_or_dot(path);
            roots.push((dir, None));
        }
    }
    let walk = Walk::default();
    let run = || {
        rayon::scope(|scope| {
            for (root, depth) in &roots {
                let walk = &walk;
                scope.spawn(move |scope| walk.root(scope, root, *depth));
            }
        })
    };
    match (threads > 0).then(|| rayon::ThreadPoolBuilder::new().num_threads(threads).build()) {
        Some(Ok(pool)) => pool.install(run),
        _ => run(),
    }
    let mut discovery = walk.into_discovery();
    if !only_apps.is_empty() || roots.iter().any(|(_, d)| d.is_some()) {
        let dirs: Vec<PathBuf> = roots
            .iter()
            .filter(|(_, d)| d.is_none())
            .map(|(r, _)| r.clone())
            .collect();
        discovery.apps.retain(|app| {
            only_apps.contains(&app.dir) || dirs.iter().any(|d| app.dir.starts_with(d))
        });
    }
    discovery.problems.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(discovery)
}

fn parent_or_dot(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The folder of the app that owns `file`: the nearest folder at or above it with host.json.
fn owning_app(file: &Path) -> Option<PathBuf> {
    let mut dir = parent_or_dot(file);
    while !dir.join("host.json").is_file() {
        dir = parent_folder(&dir)?;
    }
    Some(dir)
}

/// One run of the walk: what its tasks found, gathered as they go.
///
/// The walk is written here rather than taken from the `ignore` crate's walker because
/// everything it decides is per folder: a folder's listing says at once whether it is an app
/// (and which files are its), whether it holds props files, a `.git` or a
/// `.dts-migrate-ignore` — so the ignore file is read only where one exists, the props chain
/// and ignore chain pass down to subfolders as they are, and no grouping of single files
/// into apps is left for after the walk. Folders are listed in parallel on the rayon pool.
#[derive(Default)]
struct Walk {
    apps: Mutex<Vec<AppFiles>>,
    /// `function.json` files, attached to their apps (one folder up) after the walk.
    function_jsons: Mutex<Vec<PathBuf>>,
    problems: Mutex<Vec<WalkProblem>>,
}

/// A folder to list, with what it inherits from the folders above it.
struct Folder {
    path: PathBuf,
    /// 0 for a walk root.
    depth: usize,
    /// Entries deeper than this are not looked at (None: no limit).
    max_depth: Option<usize>,
    /// The ignore files of the folders above (the folder's own is read when it is listed).
    ignores: Option<Arc<IgnoreChain>>,
    /// The props files of the folders above, nearest first, up to the repository root.
    props_above: Arc<[PathBuf]>,
}

/// One entry of a folder listing that the walk keeps (see [`wanted`]).
struct Entry {
    path: PathBuf,
    kind: EntryType,
}

/// What a listed entry is, as the listing says (links are not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryType {
    Dir,
    Symlink,
    /// A regular file, or a pipe, socket or device.
    Other,
}

/// Whether the walk needs a listed entry: a folder it may enter, anything named like a config
/// file, a `.git`, or an ignore file. Every other entry is dropped without a path being made
/// for it (most entries of a source tree are such files).
fn wanted(name: &OsStr, kind: EntryType) -> bool {
    name == ".git"
        || name == IGNORE_FILE
        || classify(name).is_some()
        || (kind == EntryType::Dir && !is_skipped_dir(name))
}

/// Whether `name` is one of [`SKIPPED_DIRS`].
fn is_skipped_dir(name: &OsStr) -> bool {
    name.to_str().is_some_and(|n| SKIPPED_DIRS.contains(&n))
}

/// Calls `each` with the name and type of every entry of folder `dir` (`.` and `..` left out).
/// Returns the errors met on the way (an entry that vanished is simply not there); fails when
/// the folder cannot be opened.
///
/// On Linux the names are read in place from a `getdents64` buffer, without an allocation per
/// entry (which `std::fs::read_dir` makes).
#[cfg(target_os = "linux")]
fn for_each_entry(
    dir: &Path,
    each: &mut dyn FnMut(&OsStr, EntryType),
) -> io::Result<Vec<io::Error>> {
    use rustix::fs::{openat, statat, AtFlags, FileType, Mode, OFlags, RawDir, CWD};
    use std::os::unix::ffi::OsStrExt;
    let fd = openat(
        CWD,
        dir,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let mut buf = Vec::<u8>::with_capacity(32 * 1024);
    let mut raw = RawDir::new(&fd, buf.spare_capacity_mut());
    let mut errors = Vec::new();
    while let Some(entry) = raw.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                errors.push(err.into());
                break;
            }
        };
        let name = entry.file_name();
        if matches!(name.to_bytes(), b"." | b"..") {
            continue;
        }
        let file_type = match entry.file_type() {
            // Some file systems leave the type out of the listing.
            FileType::Unknown => match statat(&fd, name, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(stat) => FileType::from_raw_mode(stat.st_mode),
                Err(rustix::io::Errno::NOENT) => continue,
                Err(err) => {
                    errors.push(err.into());
                    continue;
                }
            },
            known => known,
        };
        let kind = match file_type {
            FileType::Directory => EntryType::Dir,
            FileType::Symlink => EntryType::Symlink,
            _ => EntryType::Other,
        };
        each(OsStr::from_bytes(name.to_bytes()), kind);
    }
    Ok(errors)
}

/// Calls `each` with the name and type of every entry of folder `dir`. Returns the errors met
/// on the way (an entry that vanished is simply not there); fails when the folder cannot be
/// read.
#[cfg(not(target_os = "linux"))]
fn for_each_entry(
    dir: &Path,
    each: &mut dyn FnMut(&OsStr, EntryType),
) -> io::Result<Vec<io::Error>> {
    let mut errors = Vec::new();
    for item in std::fs::read_dir(dir)? {
        match item.and_then(|e| Ok((e.file_type()?, e))) {
            Ok((file_type, e)) => {
                let kind = if file_type.is_dir() {
                    EntryType::Dir
                } else if file_type.is_symlink() {
                    EntryType::Symlink
                } else {
                    EntryType::Other
                };
                each(&e.file_name(), kind);
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => errors.push(err),
        }
    }
    Ok(errors)
}

impl Walk {
    /// Walks the tree at `root`.
    fn root<'s>(&'s self, scope: &rayon::Scope<'s>, root: &Path, max_depth: Option<usize>) {
        if max_depth == Some(0) {
            return;
        }
        let folder = Folder {
            path: root.to_path_buf(),
            depth: 0,
            max_depth,
            ignores: None,
            props_above: props_above_root(root).into(),
        };
        self.folder(scope, folder);
    }

    /// Lists `folder`, records its app (if it is one) and queues its subfolders.
    fn folder<'s>(&'s self, scope: &rayon::Scope<'s>, folder: Folder) {
        let Some((entries, complete)) = self.list(&folder.path) else {
            return;
        };
        // The folder's own ignore file applies to its entries.
        let ignores = match entries
            .iter()
            .any(|e| e.path.file_name() == Some(OsStr::new(IGNORE_FILE)))
        {
            true => match self.read_ignore_file(&folder.path) {
                Some(matcher) => Some(Arc::new(IgnoreChain {
                    matcher,
                    parent: folder.ignores.clone(),
                })),
                None => folder.ignores.clone(),
            },
            false => folder.ignores.clone(),
        };
        let entry_depth = folder.depth + 1;
        let mut is_repo_root = false;
        let mut files: Vec<(PathBuf, Kind)> = Vec::new();
        let mut subfolders: Vec<PathBuf> = Vec::new();
        for entry in entries {
            let is_dir = entry.kind == EntryType::Dir;
            if ignores
                .as_ref()
                .is_some_and(|chain| chain.ignores(&entry.path, is_dir))
            {
                continue;
            }
            let name = entry.path.file_name().unwrap_or_default();
            // A `.git` folder, or the `.git` file of a worktree or submodule.
            if name == ".git" {
                is_repo_root = true;
            }
            if is_dir && is_skipped_dir(name) {
                continue;
            }
            if let Some(kind) = config_file(&entry) {
                files.push((entry.path.clone(), kind));
            }
            if is_dir && folder.max_depth.is_none_or(|d| entry_depth < d) {
                subfolders.push(entry.path);
            }
        }
        let mut own_props: Vec<PathBuf> = files
            .iter()
            .filter(|(_, k)| *k == Kind::Props)
            .map(|(p, _)| p.clone())
            .collect();
        own_props.sort();
        let props: Arc<[PathBuf]> = if is_repo_root {
            own_props.into()
        } else if own_props.is_empty() {
            Arc::clone(&folder.props_above)
        } else {
            own_props.extend(folder.props_above.iter().cloned());
            own_props.into()
        };
        // An app seen only in part is not an app to check or migrate: its folder's problem
        // is reported instead.
        if complete {
            self.record(&folder.path, files, &props);
        }
        for path in subfolders {
            let sub = Folder {
                path,
                depth: entry_depth,
                max_depth: folder.max_depth,
                ignores: ignores.clone(),
                props_above: Arc::clone(&props),
            };
            scope.spawn(move |scope| self.folder(scope, sub));
        }
    }

    /// The entries of folder `dir` that the walk needs, and whether the listing is complete;
    /// None (and a problem) when the folder cannot be listed. Any failure on the way is a
    /// problem and leaves the listing incomplete.
    fn list(&self, dir: &Path) -> Option<(Vec<Entry>, bool)> {
        let mut entries = Vec::new();
        let listed = for_each_entry(dir, &mut |name, kind| {
            if wanted(name, kind) {
                entries.push(Entry {
                    path: dir.join(name),
                    kind,
                });
            }
        });
        match listed {
            Ok(errors) => {
                for err in &errors {
                    self.problem(dir, err.to_string());
                }
                Some((entries, errors.is_empty()))
            }
            Err(err) => {
                self.problem(dir, err.to_string());
                None
            }
        }
    }

    /// Records the app in `dir`, if its config files include a host.json, and keeps its
    /// function.json files for later.
    fn record(&self, dir: &Path, files: Vec<(PathBuf, Kind)>, props: &[PathBuf]) {
        let mut app = AppFiles {
            dir: dir.to_path_buf(),
            props: props.to_vec(),
            ..Default::default()
        };
        let mut is_app = false;
        let mut function_jsons = Vec::new();
        for (path, kind) in files {
            match kind {
                Kind::Host => {
                    app.host = path;
                    is_app = true;
                }
                Kind::LocalSettings => app.local_settings = Some(path),
                Kind::Project => app.projects.push(path),
                Kind::ExtensionsProject => app.extensions_project = Some(path),
                Kind::Manifest => app.manifests.push(path),
                Kind::FunctionJson => function_jsons.push(path),
                Kind::Props => {}
            }
        }
        if !function_jsons.is_empty() {
            if let Ok(mut all) = self.function_jsons.lock() {
                all.append(&mut function_jsons);
            }
        }
        if is_app {
            app.projects.sort();
            app.manifests.sort();
            if let Ok(mut apps) = self.apps.lock() {
                apps.push(app);
            }
        }
    }

    /// Records a problem met at `path`.
    fn problem(&self, path: &Path, message: String) {
        if let Ok(mut problems) = self.problems.lock() {
            problems.push(WalkProblem {
                path: Some(path.to_path_buf()),
                message,
            });
        }
    }

    /// Reads and compiles the ignore file of `dir`. None when there is none, when it has no
    /// patterns, or when it cannot be used (which is recorded as a problem). A line that is
    /// not a valid pattern is recorded and skipped; the other lines still apply.
    fn read_ignore_file(&self, dir: &Path) -> Option<Gitignore> {
        let path = dir.join(IGNORE_FILE);
        let read = match read_bounded(&path, IGNORE_FILE_LIMIT) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => return None,
            Err(err) => Err(format!("the file cannot be read: {}", io_reason(&err))),
            Ok(read) => read.into_bytes(IGNORE_FILE_LIMIT),
        };
        let bytes = match read {
            Ok(bytes) => bytes,
            Err(message) => {
                self.problem(&path, message);
                return None;
            }
        };
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let mut builder = GitignoreBuilder::new(dir);
        let mut bad_lines = 0usize;
        for (i, line) in text.split(|&b| b == b'\n').enumerate() {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let error = match std::str::from_utf8(line) {
                Ok(line) => match builder.add_line(Some(path.clone()), line) {
                    Ok(_) => continue,
                    Err(err) => err.to_string(),
                },
                Err(_) => "it is not valid UTF-8".to_string(),
            };
            bad_lines += 1;
            if bad_lines <= IGNORE_LINE_PROBLEMS {
                self.problem(
                    &path,
                    format!("line {}: {error}; the line was skipped", i + 1),
                );
            }
        }
        if bad_lines > IGNORE_LINE_PROBLEMS {
            let more = bad_lines - IGNORE_LINE_PROBLEMS;
            self.problem(
                &path,
                format!("{more} more lines cannot be used either; they were skipped"),
            );
        }
        match builder.build() {
            Ok(matcher) if matcher.is_empty() => None,
            Ok(matcher) => Some(matcher),
            Err(err) => {
                self.problem(&path, format!("{err}; the file was not used"));
                None
            }
        }
    }

    /// The apps, sorted by folder, with their function.json files attached. Overlapping
    /// walk roots find some folders twice; each is kept once.
    fn into_discovery(self) -> Discovery {
        let mut apps = self.apps.into_inner().unwrap_or_default();
        apps.par_sort_unstable_by(|a, b| a.dir.cmp(&b.dir));
        apps.dedup_by(|a, b| a.dir == b.dir);
        let mut function_jsons = self.function_jsons.into_inner().unwrap_or_default();
        function_jsons.sort();
        function_jsons.dedup();
        for path in function_jsons {
            // function.json files sit one folder below their app.
            let Some(app_dir) = path.parent().and_then(Path::parent) else {
                continue;
            };
            let app_dir = if app_dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                app_dir
            };
            if let Ok(i) = apps.binary_search_by(|a| a.dir.as_path().cmp(app_dir)) {
                apps[i].function_jsons.push(path);
            }
        }
        Discovery {
            apps,
            problems: self.problems.into_inner().unwrap_or_default(),
        }
    }
}

/// Props files above walk root `root`, read from disk: from its parent up to the repository
/// root (the first folder holding `.git`), nearest first. Empty when `root` is a repository
/// root itself.
fn props_above_root(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if root.join(".git").exists() {
        return out;
    }
    let mut current = parent_folder(root);
    while let Some(dir) = current {
        // In the order a walked folder's props are kept in (sorted).
        for name in ["Directory.Build.props", "Directory.Packages.props"] {
            let path = dir.join(name);
            if path.is_file() {
                out.push(path);
            }
        }
        if dir.join(".git").exists() {
            break;
        }
        current = parent_folder(&dir);
    }
    out
}

/// The folder above `dir`; a relative path whose parents are exhausted continues with its
/// absolute form.
fn parent_folder(dir: &Path) -> Option<PathBuf> {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => Some(p.to_path_buf()),
        Some(_) => std::fs::canonicalize(dir)
            .ok()
            .and_then(|abs| abs.parent().map(Path::to_path_buf)),
        None => None,
    }
}

/// The ignore files in force in a folder, nearest first: each node is the matcher of one file,
/// linked to the files of the folders above it.
struct IgnoreChain {
    /// The patterns of one ignore file, rooted at the folder holding it.
    matcher: Gitignore,
    /// The next ignore file up, if any.
    parent: Option<Arc<IgnoreChain>>,
}

impl IgnoreChain {
    /// Whether `path` is ignored: the nearest file with a decisive match for it decides (so a
    /// `!pattern` in a deeper file re-includes what a shallower file ignores, as in git).
    fn ignores(&self, path: &Path, is_dir: bool) -> bool {
        let mut node = Some(self);
        while let Some(chain) = node {
            match chain.matcher.matched(path, is_dir) {
                ignore::Match::Ignore(_) => return true,
                ignore::Match::Whitelist(_) => return false,
                ignore::Match::None => node = chain.parent.as_deref(),
            }
        }
        false
    }
}

/// What a listed entry is, when it is one of the files an app is made of.
///
/// Regular files count, and so does anything else with such a name — a symbolic link to a
/// file, but also a dangling link, a link loop, a pipe, a folder or a link to one — so that
/// reading it gives the app a DTS501 that names it instead of the file silently missing (which
/// would let `--write` migrate an app it only half saw). Only language manifests and
/// `function.json`, which merely hint at the hosting model, must be files to count.
fn config_file(entry: &Entry) -> Option<Kind> {
    let kind = classify(entry.path.file_name()?)?;
    let is_dir =
        entry.kind == EntryType::Dir || (entry.kind == EntryType::Symlink && entry.path.is_dir());
    if is_dir && matches!(kind, Kind::Manifest | Kind::FunctionJson) {
        return None;
    }
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_config_files() {
        assert_eq!(classify(OsStr::new("host.json")), Some(Kind::Host));
        assert_eq!(classify(OsStr::new("App.csproj")), Some(Kind::Project));
        assert_eq!(
            classify(OsStr::new("extensions.csproj")),
            Some(Kind::ExtensionsProject)
        );
        assert_eq!(
            classify(OsStr::new("Directory.Packages.props")),
            Some(Kind::Props)
        );
        assert_eq!(classify(OsStr::new("readme.md")), None);
    }

    /// `.dts-migrate-ignore` files nest as `.gitignore` files do: the walk root's counts, the
    /// nearest decisive match wins (a deeper `!pattern` re-includes), patterns are relative to
    /// the file's folder, and a bad line is reported and skipped while the others still apply.
    #[test]
    fn ignore_files_nest_like_gitignore() {
        let tree = tempfile::tempdir().unwrap();
        let root = tree.path();
        for app in [
            "plain",
            "gone",
            "sub/a",
            "sub/b",
            "sub/deep/c",
            "other/sub/a",
        ] {
            std::fs::create_dir_all(root.join(app)).unwrap();
            std::fs::write(root.join(app).join("host.json"), "{}").unwrap();
            std::fs::write(root.join(app).join("local.settings.json"), "{}").unwrap();
        }
        let ignore = |dir: &str, text: &str| std::fs::write(root.join(dir).join(IGNORE_FILE), text);
        ignore("", "# comment\r\n\r\ngone/\r\n/sub/a\r\nhost.json\r\n").unwrap();
        ignore("sub", "!host.json\n{bad\nb/local.settings.json\n").unwrap();
        ignore("sub/deep", "\u{feff}c\n").unwrap();
        let found = discover(&[root.to_path_buf()], 2).unwrap();
        let apps: Vec<_> = found
            .apps
            .iter()
            .map(|a| a.dir.strip_prefix(root).unwrap())
            .collect();
        assert_eq!(apps, [Path::new("sub/b")]);
        assert_eq!(found.apps[0].local_settings, None);
        let problems: Vec<_> = found
            .problems
            .iter()
            .map(|p| (p.path.as_deref(), p.message.as_str()))
            .collect();
        let bad = root.join("sub").join(IGNORE_FILE);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].0, Some(bad.as_path()));
        assert!(problems[0].1.starts_with("line 2: "), "{problems:?}");
    }

    /// Each app gets its own files, the function.json files one folder down, and the props
    /// files from its folder up to the nearest folder holding `.git` (a folder or a file),
    /// nearest first; build folders are not entered; overlapping roots find each app once.
    #[test]
    fn apps_get_their_files_and_the_props_up_to_the_repository_root() {
        let tree = tempfile::tempdir().unwrap();
        let root = tree.path();
        let write = |path: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "{}").unwrap();
        };
        for file in [
            "Directory.Build.props",
            "repo/.git/HEAD",
            "repo/Directory.Packages.props",
            "repo/src/Directory.Build.props",
            "repo/src/Directory.Packages.props",
            "repo/src/app/host.json",
            "repo/src/app/App.csproj",
            "repo/src/app/Hello/function.json",
            "repo/src/app/nested/host.json",
            "repo/src/app/bin/host.json",
            "repo/sub/.git",
            "repo/sub/app/host.json",
        ] {
            write(file);
        }
        let at = |p: &str| root.join(p);
        let found = discover(&[at("repo"), at("repo/src")], 2).unwrap();
        let dirs: Vec<_> = found.apps.iter().map(|a| a.dir.clone()).collect();
        assert_eq!(
            dirs,
            [
                at("repo/src/app"),
                at("repo/src/app/nested"),
                at("repo/sub/app")
            ]
        );
        let app = &found.apps[0];
        assert_eq!(app.projects, [at("repo/src/app/App.csproj")]);
        assert_eq!(app.function_jsons, [at("repo/src/app/Hello/function.json")]);
        let nearest_first = [
            at("repo/src/Directory.Build.props"),
            at("repo/src/Directory.Packages.props"),
            at("repo/Directory.Packages.props"),
        ];
        assert_eq!(app.props, nearest_first);
        assert_eq!(found.apps[1].props, nearest_first);
        assert!(found.apps[2].props.is_empty(), "{:?}", found.apps[2].props);
        // A file argument selects its app; the props above come from disk.
        let found = discover(&[at("repo/src/app/App.csproj")], 2).unwrap();
        assert_eq!(found.apps.len(), 1);
        assert_eq!(found.apps[0].props, nearest_first);
        assert_eq!(found.apps[0].function_jsons, app.function_jsons);
    }
}
