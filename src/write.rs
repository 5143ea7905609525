//! The write layer: committing the changes the engine planned, safely (DESIGN §5). It decides
//! nothing about what to change and never parses; it only stages, checks, flushes and renames.
//!
//! Every file of an app is first checked and written to a temporary file in its own folder
//! with the original permission bits (apps are staged in parallel); then all temporary files of
//! the run are flushed to disk together (on Linux one `syncfs` per filesystem, elsewhere one
//! `fsync` per file), then renamed over the originals, then the renames are flushed the same
//! way. A crash leaves either the old or the new file, never a mix. An app is all-or-nothing: if any of its files cannot be written (changed on
//! disk since it was read, read-only, a symlink leading outside the scanned tree), none is.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tempfile::TempPath;

use crate::fix::FileChange;
use crate::source::display_path;

/// The changed files of one app.
#[derive(Debug)]
pub struct AppWrite {
    /// The app folder (for messages).
    pub app: PathBuf,
    /// Files to write.
    pub files: Vec<(PathBuf, FileChange)>,
}

/// What happened to one app's files.
#[derive(Debug)]
pub struct WriteResult {
    /// The app folder.
    pub app: PathBuf,
    /// Files written.
    pub written: Vec<PathBuf>,
    /// Why the app was not written, when it was not.
    pub error: Option<String>,
}

/// A file's new text, written to a closed temporary file beside its target (so that a run
/// holds no file open however many it writes), deleted on drop unless persisted.
struct Staged {
    temp: TempPath,
    target: PathBuf,
    shown: PathBuf,
}

/// Checks one file and writes its new text to a temporary file beside its target.
fn stage(path: &Path, change: &FileChange, roots: &[PathBuf]) -> Result<Staged, String> {
    let shown = display_path(path);
    let link = fs::symlink_metadata(path)
        .map_err(|e| format!("{shown}: {}", crate::source::read::io_reason(&e)))?;
    let is_link = link.file_type().is_symlink();
    // A link is written through (the rename replaces its target, not the link); a plain
    // file is replaced where it is.
    let target = if is_link {
        fs::canonicalize(path)
            .map_err(|e| format!("{shown}: {}", crate::source::read::io_reason(&e)))?
    } else {
        path.to_path_buf()
    };
    if is_link && !roots.iter().any(|r| target.starts_with(r)) {
        return Err(format!(
            "{shown} is a symlink to {}, outside the scanned tree; it is not written",
            display_path(&target)
        ));
    }
    // Read no more than the original's length (plus one byte to see growth): the file may
    // have been replaced by something large since it was read.
    let original = change.original.text.as_str().as_bytes();
    let limit = u64::try_from(original.len()).unwrap_or(u64::MAX);
    let current = crate::source::read::read_bounded(&target, limit)
        .map_err(|e| format!("{shown}: {}", crate::source::read::io_reason(&e)))?;
    let unchanged = match current {
        crate::source::read::Bounded::Bytes(bytes) => bytes == original,
        crate::source::read::Bounded::TooLarge(_) => false,
        crate::source::read::Bounded::NotAFile(what) => {
            return Err(format!("{shown} is now {what}; it is not written"))
        }
    };
    if !unchanged {
        return Err(format!(
            "{shown} changed on disk since it was read; run again"
        ));
    }
    let meta = fs::metadata(&target)
        .map_err(|e| format!("{shown}: {}", crate::source::read::io_reason(&e)))?;
    if meta.permissions().readonly() {
        return Err(format!("{shown} is read-only; it is not written"));
    }
    let dir = folder_of(&target);
    let mut temp = tempfile::Builder::new()
        .prefix(".dts-migrate-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| {
            format!(
                "{}: cannot create a temporary file: {}",
                display_path(dir),
                crate::source::read::io_reason(&e)
            )
        })?;
    temp.as_file()
        .set_permissions(meta.permissions())
        .and_then(|()| temp.write_all(change.new_text.as_bytes()))
        .map_err(|e| format!("{shown}: {}", crate::source::read::io_reason(&e)))?;
    let temp = temp.into_temp_path();
    Ok(Staged {
        temp,
        target,
        shown: path.to_path_buf(),
    })
}

/// Writes every app's changes. `roots` are the canonical scanned folders: symlinks are written
/// through only when their target is inside one of them.
///
/// Staging runs in parallel, app by app. Durability is batched: every temporary file of the
/// run is flushed before the first rename ([`durable::flush_files`]), and the renames are made
/// durable together afterwards ([`durable::flush_dirs`]).
pub fn write_apps(apps: Vec<AppWrite>, roots: &[PathBuf]) -> Vec<WriteResult> {
    let staged: Vec<Result<(PathBuf, Vec<Staged>), WriteResult>> = apps
        .into_par_iter()
        .map(|app| {
            let staged: Result<Vec<Staged>, String> = app
                .files
                .iter()
                .map(|(path, change)| stage(path, change, roots))
                .collect();
            match staged {
                Ok(staged) => Ok((app.app, staged)),
                // Dropping the staged temporary files deletes them.
                Err(e) => Err(WriteResult {
                    app: app.app,
                    written: Vec::new(),
                    error: Some(e),
                }),
            }
        })
        .collect();
    let mut results = Vec::new();
    let mut staged_apps = Vec::new();
    for s in staged {
        match s {
            Ok(app) => staged_apps.push(app),
            Err(result) => results.push(result),
        }
    }
    // Flush every temporary file before any rename, so the renames publish durable data. An
    // app with a file that cannot be flushed is not renamed at all.
    let temps: Vec<&Path> = staged_apps
        .iter()
        .flat_map(|(_, staged)| staged.iter().map(|s| &*s.temp))
        .collect();
    let mut failures = durable::flush_files(&temps).into_iter();
    drop(temps);
    let mut flushed = Vec::new();
    for (app, staged) in staged_apps {
        // Take exactly this app's entries, so the next app starts at its own.
        let app_failures: Vec<Option<String>> = failures.by_ref().take(staged.len()).collect();
        match app_failures.into_iter().flatten().next() {
            Some(e) => results.push(WriteResult {
                app,
                written: Vec::new(),
                error: Some(format!("cannot flush to disk: {e}")),
            }),
            None => flushed.push((app, staged)),
        }
    }
    // Rename, app by app in parallel (folders of different apps do not contend).
    let renamed: Vec<(WriteResult, Vec<PathBuf>)> = flushed
        .into_par_iter()
        .map(|(app, staged)| publish(app, staged))
        .collect();
    let mut dirs: Vec<PathBuf> = Vec::new();
    for (result, app_dirs) in renamed {
        results.push(result);
        dirs.extend(app_dirs);
    }
    dirs.sort();
    dirs.dedup();
    // Make the renames durable; failure here loses no data (each file is whole, old or new),
    // so it is not reported.
    durable::flush_dirs(&dirs);
    results.sort_by(|a, b| a.app.cmp(&b.app));
    results
}

/// The folder holding `path` (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Renames an app's flushed temporary files over their targets; returns what was written and
/// the folders whose entries changed.
fn publish(app: PathBuf, staged: Vec<Staged>) -> (WriteResult, Vec<PathBuf>) {
    let mut written = Vec::new();
    let mut dirs = Vec::new();
    let mut error = None;
    for s in staged {
        let dir = folder_of(&s.target).to_path_buf();
        match s.temp.persist(&s.target) {
            Ok(_) => {
                written.push(s.shown);
                dirs.push(dir);
            }
            Err(e) => {
                error = Some(format!(
                    "{}: {}",
                    display_path(&s.shown),
                    crate::source::read::io_reason(&e.error)
                ));
                break;
            }
        }
    }
    let result = WriteResult {
        app,
        written,
        error,
    };
    (result, dirs)
}

/// Flushing many files to disk at once.
mod durable {
    use std::fs;
    use std::path::{Path, PathBuf};

    use rayon::prelude::*;

    /// Up to this many files (or folders) are flushed one by one (`fsync`); past it, on Linux,
    /// a whole filesystem at once (`syncfs`): one flush however many files there are, which
    /// is what makes writing thousands of files take seconds instead of minutes, at the price
    /// of also waiting for whatever else is waiting to be written on that filesystem.
    const ONE_BY_ONE: usize = 64;

    /// Flushes the files at `paths` to disk; returns, for each in order, why it could not be
    /// flushed, if it could not. A failed `syncfs` fails every file on its filesystem.
    pub fn flush_files(paths: &[&Path]) -> Vec<Option<String>> {
        #[cfg(target_os = "linux")]
        if paths.len() > ONE_BY_ONE {
            return syncfs_each_filesystem(paths);
        }
        paths
            .par_iter()
            .map(|p| fsync(p).err().map(|e| crate::source::read::io_reason(&e)))
            .collect()
    }

    /// Makes the renames in `dirs` durable (best effort: each file is already whole, old or
    /// new, so a failure here is not reported).
    pub fn flush_dirs(dirs: &[PathBuf]) {
        let dirs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
        let _ = flush_files(&dirs);
    }

    /// `fsync` of a file or folder through a handle of its own (it flushes the file, whichever
    /// handle wrote it).
    fn fsync(path: &Path) -> std::io::Result<()> {
        fs::File::open(path)?.sync_all()
    }

    #[cfg(target_os = "linux")]
    fn syncfs_each_filesystem(paths: &[&Path]) -> Vec<Option<String>> {
        use std::collections::HashMap;
        use std::os::unix::fs::MetadataExt;
        let mut outcome: Vec<Option<String>> = vec![None; paths.len()];
        let mut by_fs: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, path) in paths.iter().enumerate() {
            match fs::metadata(path) {
                Ok(meta) => by_fs.entry(meta.dev()).or_default().push(i),
                Err(e) => outcome[i] = Some(crate::source::read::io_reason(&e)),
            }
        }
        for group in by_fs.into_values() {
            let flushed = fs::File::open(paths[group[0]])
                .and_then(|handle| rustix::fs::syncfs(&handle).map_err(std::io::Error::from));
            if let Err(e) = flushed {
                let reason = crate::source::read::io_reason(&e);
                for i in group {
                    outcome[i] = Some(reason.clone());
                }
            }
        }
        outcome
    }
}
