//! The source layer: how bytes come in and text goes out. Bounded, non-blocking reads
//! ([`read`]), the decoded text with its line index, BOM and line endings ([`text`]), the file
//! a finding points into ([`file`]), paths as shown to the user ([`display_path`]), escaping
//! for XML ([`escape`]), the masking of secrets ([`redact`]) and the repository a path is in
//! ([`repo`]). It uses only `std`: it never
//! parses JSON or XML and knows nothing of apps or rules.

pub mod escape;
pub mod file;
pub(crate) mod memo;
pub mod read;
pub mod redact;
pub mod repo;
mod secret_name;
pub mod text;

use std::borrow::Cow;
use std::path::Path;

pub use file::{FileRef, SourceFile, Span, WalkRoot};
pub use text::SourceText;

/// A path for output: relative paths lose a leading `./`, and `/` separates components. Only
/// on Windows is `\\` a separator (and shown as `/`); elsewhere it is a character a name may
/// hold, and is shown as it is.
pub fn display_path(path: &Path) -> String {
    // `to_str` checks UTF-8 a word at a time; the lossy conversion, only for the rare path
    // that is not UTF-8, goes byte by byte.
    let text = path
        .to_str()
        .map_or_else(|| path.to_string_lossy(), Cow::Borrowed);
    let text = if cfg!(windows) {
        Cow::Owned(text.replace('\\', "/"))
    } else {
        text
    };
    match text.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => text.into_owned(),
    }
}
