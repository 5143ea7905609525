//! The source layer: how bytes come in and text goes out. Bounded, non-blocking reads
//! ([`read`]), the decoded text with its line index, BOM and line endings ([`text`]), the file
//! a finding points into ([`file`]), paths as shown to the user ([`display_path`]), escaping
//! for XML ([`escape`]), the masking of secrets ([`redact`]), the lines of a file as a console
//! shows them ([`shown`]) and the repository a path is in ([`repo`]). It never parses JSON or
//! XML and knows nothing of apps or rules.

pub mod escape;
pub mod file;
pub(crate) mod memo;
pub mod read;
pub mod redact;
pub mod repo;
mod secret_name;
#[cfg(test)]
mod secret_texts;
pub mod shown;
pub mod text;

use std::borrow::Cow;
use std::path::Path;

pub use file::{FileRef, SourceFile, Span, WalkRoot};
pub use text::SourceText;

/// A path for output: relative paths lose a leading `./`, and `/` separates components. Only
/// on Windows is `\\` a separator (and shown as `/`); elsewhere it is a character a name may
/// hold, and is shown as it is.
pub fn display_path(path: &Path) -> String {
    shown_path(path).into_owned()
}

/// [`display_path`], borrowing the path's own text when it can (a UTF-8 path on Unix): the
/// JSON formats write a path for every finding, edit and related span.
pub fn shown_path(path: &Path) -> Cow<'_, str> {
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
    // A leading `./` is dropped, unless it is all there is.
    let skip = |t: &str| {
        if t.len() > 2 && t.starts_with("./") {
            2
        } else {
            0
        }
    };
    match text {
        Cow::Borrowed(t) => Cow::Borrowed(&t[skip(t)..]),
        Cow::Owned(mut t) => {
            t.drain(..skip(&t));
            Cow::Owned(t)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_without_a_leading_dot_folder() {
        for (path, shown) in [
            ("./app/host.json", "app/host.json"),
            ("app/host.json", "app/host.json"),
            ("./", "./"),
            ("./a", "a"),
            (".", "."),
            ("/abs/./x", "/abs/./x"),
        ] {
            assert_eq!(display_path(Path::new(path)), shown);
            assert!(matches!(shown_path(Path::new(path)), Cow::Borrowed(s) if s == shown));
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let odd = Path::new(std::ffi::OsStr::from_bytes(b"./b\xff"));
            assert_eq!(display_path(odd), "b\u{fffd}");
            assert_eq!(shown_path(odd), "b\u{fffd}");
        }
    }
}
