//! A file as the tool holds it: the path the user named and its decoded text, shared by
//! reference, and a [`Span`] (a byte range of one file) for findings and edits to point with.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::text::SourceText;

/// A folder the walk started from, as given and resolved (links and `..` followed). The walk
/// enters real folders only, never a link, so a folder it found below this one resolves to
/// `canonical` joined with the rest of its path, without a look at the disk.
#[derive(Debug, PartialEq, Eq)]
pub struct WalkRoot {
    /// As given on the command line.
    pub given: PathBuf,
    /// Resolved (`std::fs::canonicalize`).
    pub canonical: PathBuf,
    /// A short read of a regular file below it is the file's end
    /// ([`super::read::short_reads_end`]).
    pub short_reads_end: bool,
}

impl WalkRoot {
    /// The resolved path of `folder`, a folder the walk entered below this root; `None` when
    /// it is not below the root, or the root could not be resolved.
    pub fn resolve(&self, folder: &Path) -> Option<PathBuf> {
        if !self.canonical.is_absolute() {
            return None;
        }
        let rest = folder.strip_prefix(&self.given).ok()?;
        Some(match rest.as_os_str().is_empty() {
            true => self.canonical.clone(),
            false => self.canonical.join(rest),
        })
    }

    /// The canonical path of `path`, a path the walk made below this root ([`WalkRoot::resolve`]);
    /// any other path as it is.
    pub fn canonical_of(&self, path: &Path) -> PathBuf {
        self.resolve(path).unwrap_or_else(|| path.to_path_buf())
    }
}

/// A file of an app, read and decoded.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user named it (relative to the working directory when possible).
    pub path: PathBuf,
    /// The decoded text (empty for files that could not be read).
    pub text: SourceText,
    /// For a file the walk listed in a folder it entered (an app's own files): the root it
    /// walked from, which resolves the file's folder ([`WalkRoot::resolve`]). `None` for the
    /// others, whose folder is resolved on the disk when a report needs it.
    pub walked: Option<Arc<WalkRoot>>,
}

/// A shared reference to a file, so findings can point into it.
pub type FileRef = Arc<SourceFile>;

/// A byte range in a file.
#[derive(Debug, Clone)]
pub struct Span {
    /// The file.
    pub file: FileRef,
    /// Byte range in `file.text`.
    pub range: Range<usize>,
}

impl Span {
    /// A span of `file`.
    pub fn new(file: &FileRef, range: Range<usize>) -> Span {
        Span {
            file: Arc::clone(file),
            range,
        }
    }

    /// 1-based line and character column of the start.
    pub fn start(&self) -> (usize, usize) {
        self.file.text.line_col(self.range.start)
    }

    /// 1-based line and character column of the end.
    pub fn end(&self) -> (usize, usize) {
        self.file.text.line_col(self.range.end)
    }
}
