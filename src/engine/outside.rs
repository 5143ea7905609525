//! Files outside the run's boundary (DESIGN §5): which of the apps' files lead outside the
//! repository holding each scanned path (a link out of it, a props file above a scanned folder
//! that no repository holds), and what findings may say about them. An app's own file there is
//! never read (the model turns it into DTS501); a props file there is read for analysis, but a
//! finding shows it by name only: no excerpt, no value taken from it, no fix that edits it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::finding::Finding;
use crate::fix::Applicability;
use crate::model::AppFiles;
use crate::source::text::SourceText;
use crate::source::{display_path, FileRef, SourceFile, Span};
use crate::write::WriteBoundary;

/// Finds, for every app, which of its links and props files resolve outside `boundary`, and
/// records them in [`AppFiles::outside`]. Only links and props files are resolved: the walk
/// follows no linked folder, so every other file it found is inside.
pub fn mark(apps: &mut [AppFiles], boundary: &WriteBoundary) {
    let mut resolved: HashMap<PathBuf, bool> = HashMap::new();
    for app in apps.iter_mut() {
        let mut outside = Vec::new();
        for path in app.links.iter().chain(app.props.iter()) {
            let out = *resolved.entry(path.clone()).or_insert_with(|| {
                // A dangling link or a loop is not read either way; the model reports it.
                std::fs::canonicalize(path).is_ok_and(|target| !boundary.contains(&target))
            });
            if out {
                outside.push(path.clone());
            }
        }
        app.outside = outside;
    }
}

/// The files of `app` outside the boundary that are read (its props files there); its own
/// files there are not read at all.
pub fn read_outside(app: &AppFiles) -> Vec<PathBuf> {
    app.outside
        .iter()
        .filter(|p| app.props.contains(p))
        .cloned()
        .collect()
}

/// Rewrites `findings` so that nothing of the files `outside` (read, but outside the boundary)
/// reaches a report: a finding in such a file keeps its code, severity and the file's name,
/// and says no more; a related place there keeps only the name; a fix that edits such a file
/// is not applied.
pub fn redact(outside: &[PathBuf], findings: &mut [Finding]) {
    if outside.is_empty() {
        return;
    }
    let is_outside = |path: &Path| outside.iter().any(|p| p == path);
    let mut named: HashMap<PathBuf, FileRef> = HashMap::new();
    let mut name_only = |file: &FileRef| -> FileRef {
        Arc::clone(named.entry(file.path.clone()).or_insert_with(|| {
            Arc::new(SourceFile {
                path: file.path.clone(),
                text: SourceText::from_string(String::new()),
                walked: file.walked.clone(),
            })
        }))
    };
    for finding in findings {
        if is_outside(&finding.span.file.path) {
            let shown = display_path(&finding.span.file.path);
            finding.message = format!(
                "{shown} is outside the scanned tree (and of the repository holding it): it was read for this check, but nothing of it is shown"
            );
            finding.label = "outside the scanned tree".to_string();
            finding.help = None;
            finding.span = Span::new(&name_only(&finding.span.file), 0..0);
        }
        for related in &mut finding.related {
            if is_outside(&related.span.file.path) {
                related.span = Span::new(&name_only(&related.span.file), 0..0);
                related.label = "outside the scanned tree".to_string();
            }
        }
        let Some(fix) = &mut finding.fix else {
            continue;
        };
        let Some(out) = fix.edits.iter().find(|e| is_outside(&e.file.path)) else {
            continue;
        };
        let shown = display_path(&out.file.path);
        fix.message = format!(
            "not applied: it edits {shown}, which is outside the scanned tree and is not written"
        );
        fix.applicability = Applicability::DisplayOnly;
        fix.edits.clear();
    }
}
