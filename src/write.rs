//! Writing fixed files safely (DESIGN §5).
//!
//! Every file of an app is first checked and written to a temporary file in its own folder
//! with the original permission bits; then all temporary files of the run are flushed to disk
//! together (one `fsync` each, batched so the disk can merge them), then renamed over the
//! originals, then the folders are flushed. A crash leaves either the old or the new file,
//! never a mix. An app is all-or-nothing: if any of its files cannot be written (changed on
//! disk since it was read, read-only, a symlink leading outside the scanned tree), none is.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::fixpoint::FileChange;

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

struct Staged {
    temp: NamedTempFile,
    target: PathBuf,
    shown: PathBuf,
}

/// Checks one file and writes its new text to a temporary file beside its target.
fn stage(path: &Path, change: &FileChange, roots: &[PathBuf]) -> Result<Staged, String> {
    let shown = path.display();
    let link = fs::symlink_metadata(path)
        .map_err(|e| format!("{shown}: {}", crate::app::io_reason(&e)))?;
    let target =
        fs::canonicalize(path).map_err(|e| format!("{shown}: {}", crate::app::io_reason(&e)))?;
    if link.file_type().is_symlink() && !roots.iter().any(|r| target.starts_with(r)) {
        return Err(format!(
            "{shown} is a symlink to {}, outside the scanned tree; it is not written",
            target.display()
        ));
    }
    // Read no more than the original's length (plus one byte to see growth): the file may
    // have been replaced by something large since it was read.
    let original = change.original.text.as_str().as_bytes();
    let limit = u64::try_from(original.len()).unwrap_or(u64::MAX);
    let current = crate::app::read_bounded(&target, limit)
        .map_err(|e| format!("{shown}: {}", crate::app::io_reason(&e)))?;
    let unchanged = match current {
        crate::app::Bounded::Bytes(bytes) => bytes == original,
        crate::app::Bounded::TooLarge(_) => false,
        crate::app::Bounded::NotAFile(what) => {
            return Err(format!("{shown} is now {what}; it is not written"))
        }
    };
    if !unchanged {
        return Err(format!(
            "{shown} changed on disk since it was read; run again"
        ));
    }
    let meta =
        fs::metadata(&target).map_err(|e| format!("{shown}: {}", crate::app::io_reason(&e)))?;
    if meta.permissions().readonly() {
        return Err(format!("{shown} is read-only; it is not written"));
    }
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".dts-migrate-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| {
            format!(
                "{}: cannot create a temporary file: {}",
                dir.display(),
                crate::app::io_reason(&e)
            )
        })?;
    temp.as_file()
        .set_permissions(meta.permissions())
        .and_then(|()| temp.write_all(change.new_text.as_bytes()))
        .map_err(|e| format!("{shown}: {}", crate::app::io_reason(&e)))?;
    Ok(Staged {
        temp,
        target,
        shown: path.to_path_buf(),
    })
}

/// Writes every app's changes. `roots` are the canonical scanned folders: symlinks are written
/// through only when their target is inside one of them.
pub fn write_apps(apps: Vec<AppWrite>, roots: &[PathBuf]) -> Vec<WriteResult> {
    let mut results = Vec::new();
    let mut staged_apps: Vec<(PathBuf, Vec<Staged>)> = Vec::new();
    for app in apps {
        let mut staged = Vec::new();
        let mut error = None;
        for (path, change) in &app.files {
            match stage(path, change, roots) {
                Ok(s) => staged.push(s),
                Err(e) => {
                    error = Some(e);
                    break;
                }
            }
        }
        match error {
            // Dropping the staged temporary files deletes them.
            Some(e) => results.push(WriteResult {
                app: app.app,
                written: Vec::new(),
                error: Some(e),
            }),
            None => staged_apps.push((app.app, staged)),
        }
    }
    // Flush every temporary file before any rename, so the renames publish durable data.
    let mut flushed = Vec::new();
    for (app, staged) in staged_apps {
        match staged.iter().try_for_each(|s| s.temp.as_file().sync_all()) {
            Ok(()) => flushed.push((app, staged)),
            Err(e) => results.push(WriteResult {
                app,
                written: Vec::new(),
                error: Some(format!(
                    "cannot flush to disk: {}",
                    crate::app::io_reason(&e)
                )),
            }),
        }
    }
    let mut dirs: Vec<PathBuf> = Vec::new();
    for (app, staged) in flushed {
        let mut written = Vec::new();
        let mut error = None;
        for s in staged {
            let dir = s.target.parent().map(Path::to_path_buf);
            match s.temp.persist(&s.target) {
                Ok(_) => {
                    written.push(s.shown);
                    if let Some(d) = dir {
                        dirs.push(d);
                    }
                }
                Err(e) => {
                    error = Some(format!(
                        "{}: {}",
                        s.shown.display(),
                        crate::app::io_reason(&e.error)
                    ));
                    break;
                }
            }
        }
        results.push(WriteResult {
            app,
            written,
            error,
        });
    }
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        // Make the renames durable; failure here loses no data, so it is not reported.
        if let Ok(handle) = fs::File::open(&dir) {
            let _ = handle.sync_all();
        }
    }
    results.sort_by(|a, b| a.app.cmp(&b.app));
    results
}
