//! Staging one file: checking it against the text the run read, and writing its new text to a
//! temporary file beside it with the original's owner and permission bits. It renames
//! nothing ([`super::commit`] does).

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::boundary::{FileKey, Folders, WriteBoundary};
use super::interrupt::Temp;
use crate::fix::FileChange;
use crate::source::display_path;
use crate::source::read::io_reason;

/// What a file was when it was staged: compared again right before it is replaced, so that a
/// file changed (written, replaced, chmod-ed, chown-ed) in between is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Identity {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    unix: (u64, u64, u32, u32, u32),
    #[cfg(not(unix))]
    readonly: bool,
}

impl Identity {
    pub fn of(meta: &fs::Metadata) -> Identity {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Identity {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            unix: (meta.dev(), meta.ino(), meta.mode(), meta.uid(), meta.gid()),
            #[cfg(not(unix))]
            readonly: meta.permissions().readonly(),
        }
    }

    /// The identity of the file at `path` now (the path itself, not a link's target).
    pub fn now(path: &Path) -> std::io::Result<Identity> {
        fs::symlink_metadata(path).map(|m| Identity::of(&m))
    }
}

/// A file's new text in a closed temporary file beside its target.
#[derive(Debug)]
pub(super) struct Staged {
    /// The temporary file.
    pub temp: Temp,
    /// The file replaced: canonical, inside the boundary.
    pub target: PathBuf,
    /// What makes it one file, whatever its name.
    pub key: FileKey,
    /// The path as the app names it (for messages and the report).
    pub shown: PathBuf,
    /// What the target was when it was checked.
    pub seen: Identity,
}

impl Staged {
    /// Why the target may no longer be replaced, if it changed since it was staged.
    pub fn changed(&self) -> Option<String> {
        match Identity::now(&self.target) {
            Ok(now) if now == self.seen => None,
            Ok(_) => Some(format!(
                "{} changed on disk while the run was writing (after it was checked)",
                display_path(&self.shown)
            )),
            Err(e) => Some(format!("{}: {}", display_path(&self.shown), io_reason(&e))),
        }
    }
}

/// The folder holding `path` (`.` for a bare file name).
pub(super) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Checks one file (inside the boundary, a regular file, unchanged since it was read, not
/// read-only) and writes its new text to a temporary file beside its target, owned like it and
/// with its permission bits.
pub(super) fn stage(
    path: &Path,
    change: &FileChange,
    boundary: &WriteBoundary,
    folders: &Folders,
) -> Result<Staged, String> {
    let shown = display_path(path);
    let failed = |e: &std::io::Error| format!("{shown}: {}", io_reason(e));
    let (target, file) = boundary.open_inside(path, folders)?;
    let meta = file.metadata().map_err(|e| failed(&e))?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "a pipe, socket or device"
        };
        return Err(format!("{shown} is now {what}; it is not written"));
    }
    // Taken before the read: a write after it shows in the identity compared before the
    // rename, whatever the read saw.
    let seen = Identity::of(&meta);
    let key = FileKey::of_open(&meta, &target);
    // Read no more than the original's length (plus one byte to see growth): the file may
    // have been replaced by something large since it was read.
    let original = change.original.text.as_str().as_bytes();
    let limit = u64::try_from(original.len()).unwrap_or(u64::MAX);
    let mut current = Vec::with_capacity(original.len());
    file.take(limit.saturating_add(1))
        .read_to_end(&mut current)
        .map_err(|e| failed(&e))?;
    if current != original {
        return Err(format!(
            "{shown} changed on disk since it was read; run again"
        ));
    }
    if meta.permissions().readonly() {
        return Err(format!("{shown} is read-only; it is not written"));
    }
    let dir = folder_of(&target);
    let (mut temp_file, temp) = Temp::create_in(dir, None).map_err(|e| {
        format!(
            "{}: cannot create a temporary file: {}",
            display_path(dir),
            io_reason(&e)
        )
    })?;
    keep_owner(&temp_file, &meta).map_err(|owner| {
        format!("{shown} belongs to {owner}, and the rewritten file could not be given that owner (run as that user, or as root); it is not written")
    })?;
    temp_file
        .set_permissions(meta.permissions())
        .and_then(|()| temp_file.write_all(change.new_text.as_bytes()))
        .map_err(|e| failed(&e))?;
    Ok(Staged {
        temp,
        target,
        key,
        shown: path.to_path_buf(),
        seen,
    })
}

/// Gives the temporary file `temp` the owner and group of the original (`meta`) when they
/// differ (a run as root, a file of another user the run may write, a set-group-ID folder);
/// the error names the owner that could not be kept. Done before the permission bits are set:
/// a change of owner clears the set-user-ID and set-group-ID bits.
#[cfg(unix)]
fn keep_owner(temp: &fs::File, meta: &fs::Metadata) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let mine = temp
        .metadata()
        .map_err(|e| format!("an owner that cannot be read back ({})", io_reason(&e)))?;
    if (mine.uid(), mine.gid()) == (meta.uid(), meta.gid()) {
        return Ok(());
    }
    let owner =
        |m: &fs::Metadata| (m.uid() != mine.uid()).then(|| rustix::fs::Uid::from_raw(m.uid()));
    let group =
        |m: &fs::Metadata| (m.gid() != mine.gid()).then(|| rustix::fs::Gid::from_raw(m.gid()));
    rustix::fs::fchown(temp, owner(meta), group(meta))
        .map_err(|_| format!("user {} and group {}", meta.uid(), meta.gid()))
}

#[cfg(not(unix))]
fn keep_owner(_temp: &fs::File, _meta: &fs::Metadata) -> Result<(), String> {
    Ok(())
}
