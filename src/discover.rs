//! Discovery: a parallel walk of the given paths that finds every Functions app (a folder
//! holding a `host.json` file) and the files that belong to it.
//!
//! The walk ignores `.gitignore` on purpose: `local.settings.json` is usually git-ignored and
//! is still the file the developer runs with. It prunes build and tool folders, and honours
//! `.dts-migrate-ignore` files (gitignore syntax).

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::app::{io_reason, over_limit, read_bounded, Bounded};

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

/// The files of one app, as paths (nothing is read yet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppFiles {
    /// The app folder.
    pub dir: PathBuf,
    /// `host.json`.
    pub host: PathBuf,
    /// `local.settings.json`, when present.
    pub local_settings: Option<PathBuf>,
    /// The app's own project files (`*.csproj`, `*.fsproj`, `*.vbproj`), sorted.
    pub projects: Vec<PathBuf>,
    /// `extensions.csproj`, when present.
    pub extensions_project: Option<PathBuf>,
    /// Language manifests beside host.json, sorted.
    pub manifests: Vec<PathBuf>,
    /// `function.json` files of the app's functions (one folder down), sorted.
    pub function_jsons: Vec<PathBuf>,
    /// `Directory.Packages.props` and `Directory.Build.props` from the app folder up to the
    /// repository root, nearest first.
    pub props: Vec<PathBuf>,
}

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
    let name = name.to_str()?;
    let lower = name.to_ascii_lowercase();
    Some(match lower.as_str() {
        "host.json" => Kind::Host,
        "local.settings.json" => Kind::LocalSettings,
        "extensions.csproj" => Kind::ExtensionsProject,
        "function.json" => Kind::FunctionJson,
        "directory.packages.props" | "directory.build.props" => Kind::Props,
        "requirements.txt" | "package.json" | "pom.xml" | "build.gradle" | "build.gradle.kts"
        | "requirements.psd1" => Kind::Manifest,
        _ if lower.ends_with(".csproj")
            || lower.ends_with(".fsproj")
            || lower.ends_with(".vbproj") =>
        {
            Kind::Project
        }
        _ => return None,
    })
}

/// Walks `paths` (folders or files) and assembles the apps. A file argument selects the app
/// that owns it (the nearest folder above it holding host.json).
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
    let found = Mutex::new(Vec::<(PathBuf, Kind)>::new());
    let repo_roots = Arc::new(Mutex::new(Vec::<PathBuf>::new()));
    let problems = Mutex::new(Vec::<WalkProblem>::new());
    for (root, depth) in &roots {
        walk(root, *depth, threads, &found, &repo_roots, &problems);
    }
    let found = found.into_inner().unwrap_or_default();
    let mut repo_roots = repo_roots.lock().map(|r| r.clone()).unwrap_or_default();
    repo_roots.sort();
    repo_roots.dedup();
    let mut discovery = Discovery {
        apps: assemble(found, &repo_roots, &roots),
        problems: problems.into_inner().unwrap_or_default(),
    };
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
    discovery.apps.dedup_by(|a, b| a.dir == b.dir);
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
    loop {
        if dir.join("host.json").is_file() {
            return Some(dir);
        }
        let parent = dir.parent()?;
        dir = if parent.as_os_str().is_empty() {
            // Relative path exhausted: continue with the absolute form.
            let abs = std::fs::canonicalize(&dir).ok()?;
            abs.parent()?.to_path_buf()
        } else {
            parent.to_path_buf()
        };
    }
}

fn walk(
    root: &Path,
    depth: Option<usize>,
    threads: usize,
    found: &Mutex<Vec<(PathBuf, Kind)>>,
    repo_roots: &Arc<Mutex<Vec<PathBuf>>>,
    problems: &Mutex<Vec<WalkProblem>>,
) {
    let mut builder = ignore::WalkBuilder::new(root);
    let repo_roots = Arc::clone(repo_roots);
    let ignores = Arc::new(IgnoreFiles::default());
    if depth.is_none_or(|d| d > 0) {
        ignores.enter(root, None);
    }
    let filter_ignores = Arc::clone(&ignores);
    builder
        .standard_filters(false)
        .follow_links(false)
        .max_depth(depth)
        .threads(threads)
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            let in_force = filter_ignores.in_force_above(entry);
            if in_force
                .as_ref()
                .is_some_and(|chain| chain.ignores(entry.path(), is_dir))
            {
                return false;
            }
            let name = entry.file_name().to_str().unwrap_or("");
            // A `.git` folder, or the `.git` file of a worktree or submodule.
            if name == ".git" {
                if let (Some(parent), Ok(mut roots)) = (entry.path().parent(), repo_roots.lock()) {
                    roots.push(parent.to_path_buf());
                }
            }
            let keep = !(is_dir && entry.depth() > 0 && SKIPPED_DIRS.contains(&name));
            // The folder's own ignore file, read before its entries are filtered; a folder
            // at the depth limit is not entered, so its file is not needed.
            if keep && is_dir && depth.is_none_or(|d| entry.depth() < d) {
                filter_ignores.enter(entry.path(), in_force);
            }
            keep
        });
    builder.build_parallel().run(|| {
        Box::new(|result| {
            match result {
                Ok(entry) => {
                    if let Some(kind) = config_file(&entry) {
                        if let Ok(mut found) = found.lock() {
                            found.push((entry.into_path(), kind));
                        }
                    }
                }
                Err(err) => {
                    if let Ok(mut problems) = problems.lock() {
                        problems.push(WalkProblem {
                            path: error_path(&err),
                            message: error_message(&err),
                        });
                    }
                }
            }
            ignore::WalkState::Continue
        })
    });
    let ignore_problems = ignores
        .problems
        .lock()
        .map(|mut p| std::mem::take(&mut *p))
        .unwrap_or_default();
    if let Ok(mut problems) = problems.lock() {
        problems.extend(ignore_problems);
    }
}

/// The `.dts-migrate-ignore` files of one walk, shared by its threads.
///
/// They are read here rather than by the `ignore` crate, which opens them with a blocking
/// `open`: a pipe with that name would stop the run. A folder's file is read (one open
/// attempt, non-blocking, regular files only) when the walk admits the folder, which is
/// before any of its entries is filtered; the walk root's file is read before the walk.
#[derive(Default)]
struct IgnoreFiles {
    /// Whether `in_force` holds anything yet: until an ignore file is found, entries are not
    /// looked up at all.
    any: AtomicBool,
    /// For each folder with an ignore file at or above it (up to the walk root), the matchers
    /// its entries are checked against. Folders with none are not stored.
    in_force: RwLock<HashMap<PathBuf, Arc<IgnoreChain>>>,
    /// Ignore files, or lines of them, that could not be used.
    problems: Mutex<Vec<WalkProblem>>,
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

impl IgnoreFiles {
    /// The ignore files in force for `entry`: those of its folder and the folders above it.
    fn in_force_above(&self, entry: &ignore::DirEntry) -> Option<Arc<IgnoreChain>> {
        if entry.depth() == 0 || !self.any.load(Ordering::Acquire) {
            return None;
        }
        let parent = entry.path().parent()?;
        self.in_force.read().ok()?.get(parent).cloned()
    }

    /// Records the ignore files in force in folder `dir`: its own, read now, then `above`
    /// (those in force for the folder itself).
    fn enter(&self, dir: &Path, above: Option<Arc<IgnoreChain>>) {
        let chain = match self.read(dir) {
            Some(matcher) => Some(Arc::new(IgnoreChain {
                matcher,
                parent: above,
            })),
            None => above,
        };
        if let (Some(chain), Ok(mut in_force)) = (chain, self.in_force.write()) {
            in_force.insert(dir.to_path_buf(), chain);
            self.any.store(true, Ordering::Release);
        }
    }

    /// Reads and compiles the ignore file of `dir`. None when there is none, when it has no
    /// patterns, or when it cannot be used (which is recorded as a problem). A line that is
    /// not a valid pattern is recorded and skipped; the other lines still apply.
    fn read(&self, dir: &Path) -> Option<Gitignore> {
        let path = dir.join(IGNORE_FILE);
        let bytes = match read_bounded(&path, IGNORE_FILE_LIMIT) {
            Ok(Bounded::Bytes(bytes)) => bytes,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return None,
            Ok(Bounded::TooLarge(size)) => {
                let message = format!("{}; it was not read", over_limit(size, IGNORE_FILE_LIMIT));
                self.problem(&path, message);
                return None;
            }
            Ok(Bounded::NotAFile(what)) => {
                self.problem(
                    &path,
                    format!("this is {what}, not a regular file; it was not read"),
                );
                return None;
            }
            Err(err) => {
                self.problem(
                    &path,
                    format!("the file cannot be read: {}", io_reason(&err)),
                );
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

    /// Records a problem with the ignore file at `path`.
    fn problem(&self, path: &Path, message: String) {
        if let Ok(mut problems) = self.problems.lock() {
            problems.push(WalkProblem {
                path: Some(path.to_path_buf()),
                message,
            });
        }
    }
}

/// What a walked entry is, when it is one of the files an app is made of.
///
/// Regular files count, and so does anything else with such a name — a symbolic link to a
/// file, but also a dangling link, a link loop, a pipe, a folder or a link to one — so that
/// reading it gives the app a DTS501 that names it instead of the file silently missing (which
/// would let `--write` migrate an app it only half saw). Only language manifests and
/// `function.json`, which merely hint at the hosting model, must be files to count.
fn config_file(entry: &ignore::DirEntry) -> Option<Kind> {
    let kind = classify(entry.file_name())?;
    let file_type = entry.file_type()?;
    let is_dir = file_type.is_dir() || (file_type.is_symlink() && entry.path().is_dir());
    if is_dir && (entry.depth() == 0 || matches!(kind, Kind::Manifest | Kind::FunctionJson)) {
        return None;
    }
    Some(kind)
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn error_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            error_message(err)
        }
        other => other.to_string(),
    }
}

/// Groups the files found into apps. `roots` are the walked folders with their depth limits:
/// whether a folder inside them is a repository root is known from the walk.
fn assemble(
    found: Vec<(PathBuf, Kind)>,
    repo_roots: &[PathBuf],
    roots: &[(PathBuf, Option<usize>)],
) -> Vec<AppFiles> {
    let mut by_dir: HashMap<PathBuf, Vec<(PathBuf, Kind)>> = HashMap::new();
    for (path, kind) in found {
        let dir = parent_or_dot(&path);
        by_dir.entry(dir).or_default().push((path, kind));
    }
    let mut apps: HashMap<PathBuf, AppFiles> = HashMap::new();
    for (dir, files) in &by_dir {
        let Some((host, _)) = files.iter().find(|(_, k)| *k == Kind::Host) else {
            continue;
        };
        let mut app = AppFiles {
            dir: dir.clone(),
            host: host.clone(),
            ..Default::default()
        };
        for (path, kind) in files {
            match kind {
                Kind::LocalSettings => app.local_settings = Some(path.clone()),
                Kind::Project => app.projects.push(path.clone()),
                Kind::ExtensionsProject => app.extensions_project = Some(path.clone()),
                Kind::Manifest => app.manifests.push(path.clone()),
                Kind::Host | Kind::FunctionJson | Kind::Props => {}
            }
        }
        app.projects.sort();
        app.manifests.sort();
        apps.insert(dir.clone(), app);
    }
    // function.json files sit one folder below their app.
    for (dir, files) in &by_dir {
        let Some(app) = dir.parent().and_then(|p| {
            let key = if p.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                p.to_path_buf()
            };
            apps.get_mut(&key)
        }) else {
            continue;
        };
        for (path, kind) in files {
            if *kind == Kind::FunctionJson {
                app.function_jsons.push(path.clone());
            }
        }
    }
    let mut props_cache: HashMap<PathBuf, (Vec<PathBuf>, bool)> = HashMap::new();
    for app in apps.values_mut() {
        app.function_jsons.sort();
        app.props = props_above(&app.dir, &by_dir, repo_roots, roots, &mut props_cache);
    }
    let mut apps: Vec<AppFiles> = apps.into_values().collect();
    apps.sort_unstable_by(|a, b| a.dir.cmp(&b.dir));
    apps
}

/// `Directory.*.props` files from `dir` up to the repository root (the first folder holding
/// `.git`), nearest first. Folders inside the walk are answered from its results; folders
/// above it are looked at on disk. Each folder is looked at once per run.
fn props_above(
    dir: &Path,
    walked: &HashMap<PathBuf, Vec<(PathBuf, Kind)>>,
    repo_roots: &[PathBuf],
    roots: &[(PathBuf, Option<usize>)],
    cache: &mut HashMap<PathBuf, (Vec<PathBuf>, bool)>,
) -> Vec<PathBuf> {
    // Folders whose every entry the walk saw (a depth-limited walk sees its root's).
    let seen_whole = |d: &Path| {
        roots.iter().any(|(root, depth)| match depth {
            None => d.starts_with(root),
            Some(_) => d == root,
        })
    };
    let mut out = Vec::new();
    let mut current = Some(dir.to_path_buf());
    while let Some(d) = current {
        let (here, is_repo_root) = cache.entry(d.clone()).or_insert_with(|| {
            let props = match walked.get(&d) {
                Some(files) => {
                    let mut v: Vec<PathBuf> = files
                        .iter()
                        .filter(|(_, k)| *k == Kind::Props)
                        .map(|(p, _)| p.clone())
                        .collect();
                    v.sort();
                    v
                }
                None if seen_whole(&d) => Vec::new(),
                None => ["Directory.Packages.props", "Directory.Build.props"]
                    .iter()
                    .map(|n| d.join(n))
                    .filter(|p| p.is_file())
                    .collect(),
            };
            let is_root = repo_roots.binary_search(&d).is_ok()
                || (!seen_whole(&d) && d.join(".git").exists());
            (props, is_root)
        });
        out.extend(here.iter().cloned());
        if *is_repo_root {
            break;
        }
        current = match d.parent() {
            Some(p) if !p.as_os_str().is_empty() => Some(p.to_path_buf()),
            Some(_) => std::fs::canonicalize(&d)
                .ok()
                .and_then(|abs| abs.parent().map(Path::to_path_buf)),
            None => None,
        };
    }
    out
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
}
