//! Loading an app's files: read through the [`Reader`], decode, parse. Every failure becomes a
//! [`LoadProblem`] that names the file and the place (the rules turn them into DTS501 and
//! DTS504 findings), so a broken file never stops the run.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::Parsed;
use crate::source::read::{not_a_file_message, over_limit, read_failure, Bounded, Reader};
use crate::source::text::floor_char_boundary;
use crate::source::{FileRef, SourceFile, SourceText};
use crate::syntax::jsonc::{self, Json};
use crate::syntax::msbuild::{self, Project};

/// Why a file could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadFailure {
    /// Over the size limit: not read (DTS504).
    TooLarge,
    /// Not a regular file, or reading it failed (DTS501).
    Unreadable,
    /// Not valid UTF-8 or UTF-16 (DTS501).
    Undecodable,
    /// Not valid JSONC or XML, or not the kind of document the file must hold (DTS501).
    Invalid,
}

/// A file of an app that could not be read, decoded or parsed: plain data for the rules.
#[derive(Debug, Clone)]
pub struct LoadProblem {
    /// What went wrong.
    pub failure: LoadFailure,
    /// The file (its text is empty when it could not be read).
    pub file: FileRef,
    /// Where in the file.
    pub range: Range<usize>,
    /// What is wrong, for the user.
    pub message: String,
}

/// Reads a file for an app: checks the size limit, reads, decodes. Failures are pushed to
/// `problems`.
pub fn read_source(
    path: &Path,
    reader: &Reader<'_>,
    problems: &mut Vec<LoadProblem>,
) -> Option<FileRef> {
    let file = |text: SourceText| {
        Arc::new(SourceFile {
            path: path.to_path_buf(),
            text,
            walked: reader.walked.cloned(),
        })
    };
    if let Some(text) = reader.overlaid(path) {
        return Some(file(SourceText::from_string(text.clone())));
    }
    let limit = reader.limits.max_file_bytes;
    let fail = |problems: &mut Vec<LoadProblem>, failure: LoadFailure, message: String| {
        let file = file(SourceText::from_string(String::new()));
        problems.push(LoadProblem {
            failure,
            file,
            range: 0..0,
            message,
        });
    };
    let bytes = match reader.read(path) {
        Ok(Bounded::Bytes(bytes)) => bytes,
        Ok(Bounded::TooLarge(size)) => {
            let message = format!("{}; it was not parsed", over_limit(size, limit));
            fail(problems, LoadFailure::TooLarge, message);
            return None;
        }
        Ok(Bounded::NotAFile(what)) => {
            fail(problems, LoadFailure::Unreadable, not_a_file_message(what));
            return None;
        }
        Err(err) => {
            fail(
                problems,
                LoadFailure::Unreadable,
                format!("the file cannot be read: {}", read_failure(path, &err)),
            );
            return None;
        }
    };
    match SourceText::decode(bytes) {
        Ok(text) => Some(file(text)),
        Err(err) => {
            let file = file(SourceText::from_string(err.shown));
            let at = floor_char_boundary(file.text.as_str(), err.shown_offset);
            problems.push(LoadProblem {
                failure: LoadFailure::Undecodable,
                file,
                range: at..at,
                message: err.message,
            });
            None
        }
    }
}

/// The problem of an app's own file that is a link to a file outside the run's boundary: it
/// is not read, so none of its bytes can reach any output, and the app is never rewritten.
pub fn outside(path: &Path) -> LoadProblem {
    LoadProblem {
        failure: LoadFailure::Unreadable,
        file: Arc::new(SourceFile {
            path: path.to_path_buf(),
            text: SourceText::from_string(String::new()),
            walked: None,
        }),
        range: 0..0,
        message: "the file is a link to a file outside the scanned tree (and of the repository holding it); it is not read".to_string(),
    }
}

fn parse_error(file: &FileRef, range: Range<usize>, message: String) -> LoadProblem {
    LoadProblem {
        failure: LoadFailure::Invalid,
        file: file.clone(),
        range,
        message,
    }
}

/// Reads and parses a JSONC file; `require_object` makes a non-object root a DTS501.
pub fn load_json(
    path: &Path,
    reader: &Reader<'_>,
    problems: &mut Vec<LoadProblem>,
    require_object: bool,
) -> Option<Parsed<Json>> {
    let file = read_source(path, reader, problems)?;
    match jsonc::parse(&file.text) {
        Ok(doc) => {
            if require_object && doc.members().is_none() {
                problems.push(parse_error(
                    &file,
                    doc.range.clone(),
                    format!("the file must hold a JSON object, not {}", doc.kind_name()),
                ));
                return None;
            }
            Some(Parsed { file, doc })
        }
        Err(err) => {
            problems.push(parse_error(&file, err.range, err.message));
            None
        }
    }
}

/// Reads and parses an MSBuild file.
pub fn load_project(
    path: &Path,
    reader: &Reader<'_>,
    problems: &mut Vec<LoadProblem>,
) -> Option<Parsed<Project>> {
    let file = read_source(path, reader, problems)?;
    match msbuild::parse(&file.text) {
        Ok(doc) => Some(Parsed { file, doc }),
        Err(err) => {
            problems.push(parse_error(&file, err.range, err.message));
            None
        }
    }
}
