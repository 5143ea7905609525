//! The write boundary (DESIGN §5): the folders a run may write a user's configuration in, and
//! the one judgement of whether a file is inside them. It never writes.
//!
//! For each scanned path the root is the repository that holds it (the nearest folder at or
//! above it with a `.git` folder or file), else the scanned path itself (its folder when it is a
//! file). Roots are canonical, and so is every target judged: a file is inside when the file it
//! names, all symlinks resolved, is inside one root. Whether a path was given relative or
//! absolute plays no part.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::source::display_path;
use crate::source::read::io_reason;
use crate::source::repo::repository_of;

/// The folders a run may write in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteBoundary {
    /// Canonical root folders, sorted, none inside another.
    roots: Vec<PathBuf>,
}

impl WriteBoundary {
    /// The boundary of a run over `paths` (as given on the command line): for each, the
    /// repository that holds it, else the path itself (its folder for a file). A path that
    /// cannot be resolved adds nothing.
    pub fn around(paths: &[PathBuf]) -> WriteBoundary {
        let roots: Vec<PathBuf> = paths
            .iter()
            .filter_map(|p| {
                // A file stands for its folder as named, not for the folder a link there leads
                // to.
                let folder = if p.is_dir() {
                    p.as_path()
                } else {
                    match p.parent() {
                        Some(dir) if !dir.as_os_str().is_empty() => dir,
                        _ => Path::new("."),
                    }
                };
                std::fs::canonicalize(folder).ok()
            })
            .map(|dir| repository_of(&dir).unwrap_or(dir))
            .collect();
        WriteBoundary::from_roots(roots)
    }

    /// A boundary made of `roots` themselves (canonicalised when they can be).
    pub fn from_roots(roots: impl IntoIterator<Item = PathBuf>) -> WriteBoundary {
        let mut roots: Vec<PathBuf> = roots
            .into_iter()
            .map(|r| std::fs::canonicalize(&r).unwrap_or(r))
            .collect();
        roots.sort();
        roots.dedup();
        // A root inside another adds nothing.
        let kept: Vec<PathBuf> = roots
            .iter()
            .filter(|r| !roots.iter().any(|o| o != *r && r.starts_with(o)))
            .cloned()
            .collect();
        WriteBoundary { roots: kept }
    }

    /// The canonical root folders.
    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// Whether the canonical path `canonical` is inside the boundary.
    pub fn contains(&self, canonical: &Path) -> bool {
        self.roots.iter().any(|r| canonical.starts_with(r))
    }

    /// The file `path` names, all symlinks resolved, when it is inside the boundary; else why
    /// it may not be written, naming it (and, for a link, where it leads).
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, String> {
        let shown = display_path(path);
        let target = canonical(path).map_err(|e| format!("{shown}: {}", io_reason(&e)))?;
        if self.contains(&target) {
            return Ok(target);
        }
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        Err(if is_link {
            format!(
                "{shown} is a symlink to {}, outside the scanned tree; it is not written",
                display_path(&target)
            )
        } else {
            format!(
                "{shown} ({}) is outside the scanned tree and of the repository holding it ({}); it is not written",
                display_path(&target),
                self.describe()
            )
        })
    }

    /// The roots, for messages.
    fn describe(&self) -> String {
        if self.roots.is_empty() {
            return "nothing was scanned".to_string();
        }
        self.roots
            .iter()
            .map(|r| display_path(r))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The file `path` names, all symlinks resolved.
pub fn canonical(path: &Path) -> io::Result<PathBuf> {
    std::fs::canonicalize(path)
}

/// What makes two names one file: its device and inode on Unix (two links, a hard link,
/// `app/x` and `/abs/app/x` all give the same key), its canonical path elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKey {
    /// Device and inode.
    Inode(u64, u64),
    /// A canonical path, or the path as given when it cannot be resolved.
    Path(PathBuf),
}

impl FileKey {
    /// The key of the file `path` names (one `stat`); the path itself when it cannot be read.
    pub fn of(path: &Path) -> FileKey {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            match std::fs::metadata(path) {
                Ok(meta) => FileKey::Inode(meta.dev(), meta.ino()),
                Err(_) => FileKey::Path(path.to_path_buf()),
            }
        }
        #[cfg(not(unix))]
        FileKey::Path(canonical(path).unwrap_or_else(|_| path.to_path_buf()))
    }

    /// The key of an open file (`meta` of its handle) at the canonical `target`.
    pub(super) fn of_open(meta: &std::fs::Metadata, target: &Path) -> FileKey {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let _ = target;
            FileKey::Inode(meta.dev(), meta.ino())
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            FileKey::Path(target.to_path_buf())
        }
    }
}

/// Canonical folders already resolved in this run, shared by the threads that stage: a folder
/// costs one `lstat` once its parent is known (the parent of many apps is resolved once).
#[derive(Debug, Default)]
pub(super) struct Folders {
    resolved: std::sync::Mutex<HashMap<PathBuf, PathBuf>>,
}

impl Folders {
    fn cached(&self, folder: &Path) -> Option<PathBuf> {
        let resolved = self
            .resolved
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        resolved.get(folder).cloned()
    }

    /// The canonical form of `folder`: its parent's, joined with its name when it is a plain
    /// folder (not a link); `realpath` otherwise.
    fn resolve(&self, folder: &Path) -> io::Result<PathBuf> {
        if let Some(dir) = self.cached(folder) {
            return Ok(dir);
        }
        let dir = match (folder.parent(), folder.components().next_back()) {
            (Some(parent), Some(std::path::Component::Normal(name)))
                if !parent.as_os_str().is_empty() =>
            {
                let meta = std::fs::symlink_metadata(folder)?;
                if meta.is_dir() {
                    self.resolve(parent)?.join(name)
                } else {
                    canonical(folder)?
                }
            }
            _ => canonical(folder)?,
        };
        let mut resolved = self
            .resolved
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        resolved.insert(folder.to_path_buf(), dir.clone());
        Ok(dir)
    }
}

impl WriteBoundary {
    /// Opens the file `path` names for reading when it lies inside the boundary: returns its
    /// canonical path and the handle (opened without following a link put there since, and
    /// without waiting on a pipe). The folder is resolved through `folders`; the file itself
    /// only when it is a symlink.
    pub(super) fn open_inside(
        &self,
        path: &Path,
        folders: &Folders,
    ) -> Result<(PathBuf, std::fs::File), String> {
        let shown = display_path(path);
        let failed = |e: &io::Error| format!("{shown}: {}", io_reason(e));
        let folder = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let name = path
            .file_name()
            .ok_or_else(|| format!("{shown}: not a file name"))?;
        let dir = folders.resolve(folder).map_err(|e| failed(&e))?;
        let candidate = dir.join(name);
        let opened = match open_no_follow(&candidate) {
            Ok(file) => Ok((candidate, file)),
            // A link (O_NOFOLLOW refuses it): resolve it whole.
            Err(e)
                if std::fs::symlink_metadata(&candidate)
                    .is_ok_and(|m| m.file_type().is_symlink()) =>
            {
                let _ = e;
                let target = self.resolve(path)?;
                open_no_follow(&target).map(|file| (target, file))
            }
            Err(e) => Err(e),
        };
        let (target, file) = opened.map_err(|e| failed(&e))?;
        if !self.contains(&target) {
            // The message says where it is (and where a link leads).
            return Err(self.resolve(path).err().unwrap_or_else(|| {
                format!("{shown} is outside the scanned tree; it is not written")
            }));
        }
        Ok((target, file))
    }
}

/// Opens `path` for reading without following a link at its last component, and without
/// waiting on a pipe.
fn open_no_follow(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOFOLLOW;
        options.custom_flags(flags.bits() as i32);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_the_repository_or_the_scanned_path() {
        let tree = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tree.path()).unwrap();
        std::fs::create_dir_all(root.join("repo/.git")).unwrap();
        std::fs::create_dir_all(root.join("repo/src/app")).unwrap();
        std::fs::create_dir_all(root.join("loose/app")).unwrap();
        std::fs::write(root.join("loose/app/host.json"), "{}").unwrap();
        let b = WriteBoundary::around(&[root.join("repo/src/app")]);
        assert_eq!(b.roots(), [root.join("repo")]);
        let b = WriteBoundary::around(&[root.join("loose/app/host.json")]);
        assert_eq!(b.roots(), [root.join("loose/app")]);
        let b = WriteBoundary::around(&[root.join("loose"), root.join("loose/app")]);
        assert_eq!(b.roots(), [root.join("loose")]);
        assert!(b.contains(&root.join("loose/app/host.json")));
        assert!(!b.contains(&root.join("loosely/x")));
        std::fs::write(root.join("Directory.Packages.props"), "<Project/>").unwrap();
        let err = b
            .resolve(&root.join("Directory.Packages.props"))
            .unwrap_err();
        assert!(err.contains("outside the scanned tree"), "{err}");
    }
}
