//! Loading an app's files: read through the [`Reader`], decode, parse. Every failure becomes a
//! finding that names the file (DTS504 over the size limit, DTS501 for anything else), so a
//! broken file never stops the run.

use std::path::Path;
use std::sync::Arc;

use super::Parsed;
use crate::facts::Severity;
use crate::finding::{Finding, Span};
use crate::source::read::{not_a_file_message, over_limit, read_failure, Bounded, Reader};
use crate::source::text::floor_char_boundary;
use crate::source::{FileRef, SourceFile, SourceText};
use crate::syntax::jsonc::{self, Json};
use crate::syntax::msbuild::{self, Project};

/// Reads a file for an app: checks the size limit, reads, decodes. Failures become findings
/// (DTS504 for a file over the limit, DTS501 for anything else) that name the file.
pub fn read_source(
    path: &Path,
    reader: &Reader<'_>,
    findings: &mut Vec<Finding>,
) -> Option<FileRef> {
    if let Some(text) = reader.overlaid(path) {
        return Some(Arc::new(SourceFile {
            path: path.to_path_buf(),
            text: SourceText::from_string(text.clone()),
        }));
    }
    let limit = reader.limits.max_file_bytes;
    let fail = |findings: &mut Vec<Finding>, code: &'static str, message: String| {
        let file = Arc::new(SourceFile {
            path: path.to_path_buf(),
            text: SourceText::from_string(String::new()),
        });
        findings.push(Finding {
            code,
            severity: Severity::Error,
            message,
            span: Span::new(&file, 0..0),
            label: "here".to_string(),
            related: Vec::new(),
            help: None,
            fix: None,
        });
    };
    let bytes = match reader.read(path) {
        Ok(Bounded::Bytes(bytes)) => bytes,
        Ok(Bounded::TooLarge(size)) => {
            let message = format!("{}; it was not parsed", over_limit(size, limit));
            fail(findings, "DTS504", message);
            return None;
        }
        Ok(Bounded::NotAFile(what)) => {
            fail(findings, "DTS501", not_a_file_message(what));
            return None;
        }
        Err(err) => {
            fail(
                findings,
                "DTS501",
                format!("the file cannot be read: {}", read_failure(path, &err)),
            );
            return None;
        }
    };
    match SourceText::decode(bytes) {
        Ok(text) => Some(Arc::new(SourceFile {
            path: path.to_path_buf(),
            text,
        })),
        Err(err) => {
            let file = Arc::new(SourceFile {
                path: path.to_path_buf(),
                text: SourceText::from_string(err.shown),
            });
            let at = floor_char_boundary(file.text.as_str(), err.shown_offset);
            findings.push(Finding {
                code: "DTS501",
                severity: Severity::Error,
                message: err.message,
                span: Span::new(&file, at..at),
                label: "cannot be decoded here".to_string(),
                related: Vec::new(),
                help: Some("save the file as UTF-8".to_string()),
                fix: None,
            });
            None
        }
    }
}

fn parse_error(file: &FileRef, range: std::ops::Range<usize>, message: String) -> Finding {
    Finding {
        code: "DTS501",
        severity: Severity::Error,
        message,
        span: Span::new(file, range),
        label: "here".to_string(),
        related: Vec::new(),
        help: Some("fix the syntax; dts-migrate never rewrites a file it cannot parse".to_string()),
        fix: None,
    }
}

/// Reads and parses a JSONC file; `require_object` makes a non-object root a DTS501.
pub fn load_json(
    path: &Path,
    reader: &Reader<'_>,
    findings: &mut Vec<Finding>,
    require_object: bool,
) -> Option<Parsed<Json>> {
    let file = read_source(path, reader, findings)?;
    match jsonc::parse(&file.text) {
        Ok(doc) => {
            if require_object && doc.members().is_none() {
                findings.push(parse_error(
                    &file,
                    doc.range.clone(),
                    format!("the file must hold a JSON object, not {}", doc.kind_name()),
                ));
                return None;
            }
            Some(Parsed { file, doc })
        }
        Err(err) => {
            findings.push(parse_error(&file, err.range, err.message));
            None
        }
    }
}

/// Reads and parses an MSBuild file.
pub fn load_project(
    path: &Path,
    reader: &Reader<'_>,
    findings: &mut Vec<Finding>,
) -> Option<Parsed<Project>> {
    let file = read_source(path, reader, findings)?;
    match msbuild::parse(&file.text) {
        Ok(doc) => Some(Parsed { file, doc }),
        Err(err) => {
            findings.push(parse_error(&file, err.range, err.message));
            None
        }
    }
}
