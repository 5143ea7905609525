//! The repository a path belongs to: the nearest folder at or above it that holds `.git` (a
//! folder, or a file for a worktree or submodule). The write boundary and the reports whose
//! paths are relative to the repository root (GitLab Code Quality, SARIF) use this one
//! function. It only looks at the file system; it never runs git.

use std::path::{Path, PathBuf};

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
/// `None` when the file lies outside `root` or its folder cannot be resolved.
pub fn relative_to(root: &Path, path: &Path) -> Option<String> {
    let name = path.file_name()?;
    let folder = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let folder = std::fs::canonicalize(folder).ok()?;
    let relative = folder.join(name);
    let relative = relative.strip_prefix(root).ok()?;
    Some(super::display_path(relative))
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
            relative_to(&root.join("repo"), &host).as_deref(),
            Some("src/app/host.json")
        );
        assert_eq!(
            relative_to(&root.join("repo/src/app"), &root.join("repo/x")),
            None
        );
    }
}
