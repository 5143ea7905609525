//! The repository a path belongs to: the nearest folder at or above it that holds `.git` (a
//! folder, or a file for a worktree or submodule). The write boundary and the reports whose
//! paths are relative to the repository root (GitLab Code Quality, SARIF) use this one
//! function. It only looks at the file system; it never runs git.

use std::path::{Path, PathBuf};

use super::WalkRoot;

/// The nearest folder at or above the canonical folder `dir` that holds `.git`.
pub fn repository_of(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The folder report paths are relative to for a run over `paths`: the repository holding
/// the first path (its folder when it is a file), else the current folder; canonical. `None`
/// only when neither can be resolved.
pub fn report_root(paths: &[PathBuf]) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let first = paths.first().map(|p| cwd.join(p));
    let scanned = first.and_then(|p| {
        let folder = if p.is_dir() {
            p
        } else {
            p.parent().map(Path::to_path_buf)?
        };
        std::fs::canonicalize(folder).ok()
    });
    scanned
        .as_deref()
        .and_then(repository_of)
        .or_else(|| std::fs::canonicalize(&cwd).ok())
}

/// `path` relative to the canonical folder `root`, `/`-separated, as GitLab and SARIF want
/// it: the file's folder is resolved (links and `..` in the folders), its own name is kept.
/// A file the walk from `walked` listed has its folder resolved from that root, without a
/// look at the disk ([`WalkRoot::resolve`]). `None` when the file lies outside `root` or its
/// folder cannot be resolved.
pub fn relative_to(root: &Path, path: &Path, walked: Option<&WalkRoot>) -> Option<String> {
    let name = path.file_name()?;
    let folder = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let folder = walked
        .and_then(|w| w.resolve(folder))
        .or_else(|| canonical_folder(folder))?;
    let relative = folder.join(name);
    let relative = relative.strip_prefix(root).ok()?;
    Some(super::display_path(relative))
}

/// `folder` resolved as `std::fs::canonicalize` resolves it, from this thread's answers for
/// the folders above it: a folder whose last part is a plain name of a folder that is not a
/// link is its parent's answer joined with that name, which takes one `lstat` instead of one
/// `readlink` per part of the path (and a `getcwd` for a relative one), as `realpath` does.
/// Report paths are worked out for every finding's file, folder after folder of one tree.
fn canonical_folder(folder: &Path) -> Option<PathBuf> {
    use std::cell::RefCell;
    use std::path::Component;
    thread_local! {
        static KNOWN: RefCell<rustc_hash::FxHashMap<PathBuf, Option<PathBuf>>> =
            RefCell::default();
    }
    /// Answers a thread keeps at most (forgotten all at once).
    const KEPT: usize = 4096;
    if let Some(known) = KNOWN.with_borrow(|known| known.get(folder).cloned()) {
        return known;
    }
    let mut parts = folder.components();
    let answer = match (parts.next_back(), parts.as_path()) {
        (Some(Component::Normal(name)), parent)
            if std::fs::symlink_metadata(folder).is_ok_and(|m| m.file_type().is_dir()) =>
        {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            canonical_folder(parent).map(|p| p.join(name))
        }
        _ => std::fs::canonicalize(folder).ok(),
    };
    KNOWN.with_borrow_mut(|known| {
        if known.len() >= KEPT {
            known.clear();
        }
        known.insert(folder.to_path_buf(), answer.clone());
    });
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_repository() {
        let tree = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tree.path()).unwrap();
        std::fs::create_dir_all(root.join("repo/.git")).unwrap();
        std::fs::create_dir_all(root.join("repo/src/app")).unwrap();
        assert_eq!(
            repository_of(&root.join("repo/src/app")),
            Some(root.join("repo"))
        );
        assert_eq!(repository_of(&root), None);
        let host = root.join("repo/src/app/../app/host.json");
        assert_eq!(
            relative_to(&root.join("repo"), &host, None).as_deref(),
            Some("src/app/host.json")
        );
        assert_eq!(
            relative_to(&root.join("repo/src/app"), &root.join("repo/x"), None),
            None
        );
    }

    /// A file the walk listed has its folder resolved from the walk's root, as the disk would
    /// resolve it (the root given through a link), without looking: a folder that is not on
    /// the disk resolves all the same. A file outside the root is resolved on the disk.
    #[cfg(unix)]
    #[test]
    fn a_walked_file_resolves_from_its_root() {
        let tree = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(tree.path()).unwrap();
        std::fs::create_dir_all(top.join("repo/.git")).unwrap();
        std::fs::create_dir_all(top.join("repo/apps/app")).unwrap();
        std::os::unix::fs::symlink(top.join("repo/apps"), top.join("link")).unwrap();
        let walked = WalkRoot {
            given: top.join("link"),
            canonical: std::fs::canonicalize(top.join("link")).unwrap(),
            short_reads_end: false,
        };
        let repo = top.join("repo");
        let host = top.join("link/app/host.json");
        let expected = relative_to(&repo, &host, None);
        assert_eq!(expected.as_deref(), Some("apps/app/host.json"));
        assert_eq!(relative_to(&repo, &host, Some(&walked)), expected);
        // Worked out from the root alone.
        let gone = top.join("link/removed/host.json");
        assert_eq!(relative_to(&repo, &gone, None), None);
        assert_eq!(
            relative_to(&repo, &gone, Some(&walked)).as_deref(),
            Some("apps/removed/host.json")
        );
        // Not below the root: the disk decides.
        let props = top.join("repo/Directory.Packages.props");
        assert_eq!(
            relative_to(&repo, &props, Some(&walked)).as_deref(),
            Some("Directory.Packages.props")
        );
    }

    /// Folders are resolved as `canonicalize` resolves them: through links (to folders and
    /// to links), `..` after a link, `.`, relative paths; a missing folder is not resolved.
    #[cfg(unix)]
    #[test]
    fn folders_resolve_as_canonicalize_resolves_them() {
        let tree = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tree.path()).unwrap();
        std::fs::create_dir_all(root.join("a/b/c")).unwrap();
        std::fs::create_dir_all(root.join("x/y")).unwrap();
        std::os::unix::fs::symlink(root.join("x/y"), root.join("a/link")).unwrap();
        std::os::unix::fs::symlink("link", root.join("a/link2")).unwrap();
        std::os::unix::fs::symlink("../a/b", root.join("x/back")).unwrap();
        let cases = [
            "a/b/c",
            "a/link",
            "a/link/..",
            "a/link2",
            "a/link2/../y",
            "x/back/c",
            "x/back/c/../../b/./c",
            "a/./b",
            "a/missing",
            "a/link/missing",
        ];
        for _ in 0..2 {
            for case in cases {
                let folder = root.join(case);
                assert_eq!(
                    canonical_folder(&folder),
                    std::fs::canonicalize(&folder).ok(),
                    "{case}"
                );
            }
        }
        // Relative to the working directory (the crate's root when tests run).
        for case in ["src", "src/source", ".", "src/../src"] {
            let folder = Path::new(case);
            assert_eq!(
                canonical_folder(folder),
                std::fs::canonicalize(folder).ok(),
                "{case}"
            );
        }
    }
}
