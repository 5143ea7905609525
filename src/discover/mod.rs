//! Discovery: a parallel walk of the given paths that finds every Functions app (a folder
//! holding a `host.json` file) and the files that belong to it.
//!
//! The walk ignores `.gitignore` on purpose: `local.settings.json` is usually git-ignored and
//! is still the file the developer runs with. It prunes build and tool folders, and honours
//! `.dts-migrate-ignore` files (gitignore syntax). It yields paths ([`AppFiles`]) and walk
//! problems; it reads no config file (only ignore files) and never parses or judges one.

mod listing;
mod names;
mod walk;

use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};

use rayon::slice::ParallelSliceMut;

use crate::model::AppFiles;
use crate::source::read::{io_reason, read_bounded};
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
