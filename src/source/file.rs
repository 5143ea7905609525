//! A file as the tool holds it: the path the user named and its decoded text, shared by
//! reference so that findings and edits can point into it.

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
