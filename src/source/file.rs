//! A file as the tool holds it: the path the user named and its decoded text, shared by
//! reference, and a [`Span`] (a byte range of one file) for findings and edits to point with.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use super::text::SourceText;

/// A file of an app, read and decoded.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user named it (relative to the working directory when possible).
    pub path: PathBuf,
    /// The decoded text (empty for files that could not be read).
    pub text: SourceText,
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
