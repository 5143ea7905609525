//! Discovery: a parallel walk of the given paths that finds every Functions app (a folder
//! holding a `host.json` file) and the files that belong to it.
//!
//! The walk ignores `.gitignore` on purpose: `local.settings.json` is usually git-ignored and
//! is still the file the developer runs with. It prunes build and tool folders, and honours
//! `.dts-migrate-ignore` files (gitignore syntax). It yields paths ([`AppFiles`]) and walk
//! problems; it reads no config file (only ignore files) and never parses or judges one.

mod listing;
mod names;
mod order;
mod walk;

use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::AppFiles;
use crate::source::read::{io_reason, read_bounded, short_reads_end};
use crate::source::WalkRoot;
use names::{classify, Kind};
use walk::Walk;

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

/// The largest ignore file read (64 KiB); a larger one is reported and not used. Its size is
/// checked before it is read.
const IGNORE_FILE_LIMIT: u64 = 64 << 10;

/// The most patterns one ignore file may hold (comments and blank lines do not count); a file
/// with more is reported and not used. Each pattern is compiled into the matcher (about 10 KB
/// each), so without a bound a large file would cost hundreds of megabytes before it is
/// rejected.
pub const IGNORE_FILE_PATTERNS: usize = 1_000;

/// How many faulty lines of one ignore file are reported one by one; the rest are counted.
const IGNORE_LINE_PROBLEMS: usize = 10;

/// The most worker threads the walk runs (`--threads` above it is a usage error): more only
/// costs memory and start-up time, whatever the machine.
pub const MAX_THREADS: usize = 256;

/// The threads a run uses by default: one per core, up to 12. The work is reading many small
/// files; past a dozen threads the file system, not the CPU, sets the pace (ripgrep stops at
/// the same number).
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(12))
}

/// The worker threads of a run: the global rayon pool, or a pool of its own when a number of
/// threads other than the global pool's is asked for.
pub struct Pool(Option<rayon::ThreadPool>);

impl Pool {
    /// Threads for `threads` workers (0: the global pool; at most [`MAX_THREADS`]).
    pub fn new(threads: usize) -> Pool {
        let threads = threads.min(MAX_THREADS);
        Pool(
            (threads > 0 && threads != rayon::current_num_threads())
                .then(|| {
                    rayon::ThreadPoolBuilder::new()
                        .num_threads(threads)
                        .build()
                        .ok()
                })
                .flatten(),
        )
    }

    /// How many threads the pool has.
    pub fn threads(&self) -> usize {
        match &self.0 {
            Some(pool) => pool.current_num_threads(),
            None => rayon::current_num_threads(),
        }
    }

    /// Runs `body` on the calling thread, with a scope whose spawned work runs on the pool's
    /// threads.
    pub fn scope<'s, T>(&self, body: impl FnOnce(&rayon::Scope<'s>) -> T) -> T {
        match &self.0 {
            Some(pool) => pool.in_place_scope(body),
            None => rayon::in_place_scope(body),
        }
    }

    /// Runs `work` on the pool's threads.
    pub fn run<T: Send>(&self, work: impl FnOnce() -> T + Send) -> T {
        match &self.0 {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }
}

/// A problem met while walking (a folder that cannot be read…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkProblem {
    /// Where.
    pub path: Option<PathBuf>,
    /// What.
    pub message: String,
    /// Whether part of the tree could not be seen (a folder that cannot be listed, or not
    /// completely): the apps in it are not checked, so the run must fail.
    pub unseen: bool,
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Apps, sorted by folder.
    pub apps: Vec<AppFiles>,
    /// Problems that did not stop the walk.
    pub problems: Vec<WalkProblem>,
}

impl Discovery {
    /// How many problems left part of the tree unseen ([`WalkProblem::unseen`]).
    pub fn unseen(&self) -> usize {
        self.problems.iter().filter(|p| p.unseen).count()
    }
}

/// A path argument that cannot be used.
#[derive(Debug)]
pub struct PathError {
    /// The argument.
    pub path: PathBuf,
    /// Why.
    pub error: io::Error,
}

/// What a walk root covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    /// The whole tree below the folder.
    Tree,
    /// The one app in the folder (a file argument selects it): its files and its
    /// function.json files one folder down.
    App,
}

/// A folder the walk starts from.
#[derive(Debug)]
pub(super) struct Root {
    /// The folder as the user spelled it (the first spelling, when several name one folder)
    /// and resolved (its identity), shared with the apps found below it.
    pub(super) walked: Arc<WalkRoot>,
    pub(super) scope: Scope,
}

impl Root {
    /// As the user spelled it.
    pub(super) fn path(&self) -> &Path {
        &self.walked.given
    }

    /// Its canonical path: the identity of the folder.
    pub(super) fn canonical(&self) -> &Path {
        &self.walked.canonical
    }
}

/// Adds a walk root; a folder already named (`app`, `./app`, its absolute path, a link to it)
/// is walked once, with the spelling given first, and over the whole tree if any argument
/// asked for that.
fn add_root(roots: &mut Vec<Root>, path: PathBuf, scope: Scope) {
    let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
    match roots.iter_mut().find(|r| r.canonical() == canonical) {
        Some(root) => {
            if scope == Scope::Tree {
                root.scope = Scope::Tree;
            }
        }
        None => roots.push(Root {
            walked: Arc::new(WalkRoot {
                short_reads_end: short_reads_end(&canonical),
                given: path,
                canonical,
            }),
            scope,
        }),
    }
}

/// Walks `paths` (folders or files) and assembles the apps. A file argument selects the app
/// that owns it (the nearest folder above it holding host.json). `threads` sets the walk's
/// worker threads (0: the current rayon pool; at most [`MAX_THREADS`]).
///
/// A path that does not exist, or a folder that cannot be listed, is a [`PathError`]: the run
/// cannot check what it was asked to. Paths that name one folder (or one app) are walked once,
/// and an app reached from two paths (a path inside another, spelled differently) is one app,
/// with the spelling of the path named first.
pub fn discover(paths: &[PathBuf], threads: usize) -> Result<Discovery, PathError> {
    let mut roots: Vec<Root> = Vec::new();
    for path in paths {
        let path_error = |error| PathError {
            path: path.clone(),
            error,
        };
        let meta = std::fs::metadata(path).map_err(path_error)?;
        if meta.is_dir() {
            // Opening it is what the walk does first; a folder it cannot list is not checked.
            std::fs::read_dir(path).map_err(path_error)?;
            add_root(&mut roots, path.clone(), Scope::Tree);
        } else if let Some(app) = owning_app(path) {
            add_root(&mut roots, app, Scope::App);
        } else if path
            .file_name()
            .and_then(classify)
            .is_some_and(|k| k == Kind::Props)
        {
            // A props file with no app above it: every app below it depends on it.
            add_root(&mut roots, parent_or_dot(path), Scope::Tree);
        } else if path
            .file_name()
            .is_some_and(|n| n == "dts-migrate.toml" || n == IGNORE_FILE)
        {
            // The configuration or an ignore file outside any app (pre-commit passes it when
            // it changed): it applies to every app below it.
            add_root(&mut roots, parent_or_dot(path), Scope::Tree);
        }
    }
    let walk = Walk::default();
    let run = || {
        rayon::scope(|scope| {
            for (index, root) in roots.iter().enumerate() {
                let walk = &walk;
                scope.spawn(move |scope| walk.root(scope, index, root));
            }
        })
    };
    Pool::new(threads).run(run);
    let mut discovery = walk.into_discovery(&roots);
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
        assert_eq!(*app.props, nearest_first[..]);
        assert_eq!(*found.apps[1].props, nearest_first[..]);
        assert!(found.apps[2].props.is_empty(), "{:?}", found.apps[2].props);
        // A file argument selects its app; the props above come from disk.
        let found = discover(&[at("repo/src/app/App.csproj")], 2).unwrap();
        assert_eq!(found.apps.len(), 1);
        assert_eq!(*found.apps[0].props, nearest_first[..]);
        assert_eq!(found.apps[0].function_jsons, app.function_jsons);
    }
}
