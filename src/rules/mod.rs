//! The rules: one folder per family, one file per rule (`backend/dts101_legacy_backend.rs`),
//! each named after its `rules/DTSNNN.toml`; `check_app` runs them all on one app. A rule reads
//! the model and returns findings with their fixes as data; it never reads or writes files.

pub mod backend;
pub mod bound;
pub mod extensions;
pub mod files;
pub mod packages;
pub mod settings;

use crate::finding::{Finding, Span};
use crate::fix::{Applicability, Edit, Fix};
use crate::model::{App, Backend, FunctionsVersion, Hosting, Parsed};
use crate::source::FileRef;
use crate::syntax::jsonc::Json;
use crate::syntax::jsonc_edit::TextEdit;

/// Whether the rules plan the edits of their fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edits {
    /// Every fix carries its edits: for fixing, and for the reports that show edits (JSON,
    /// SARIF).
    Planned,
    /// Fixes that always have edits may leave them unplanned; their message and
    /// applicability are the same as when planned. For the reports that show neither edits
    /// nor diffs: planning costs more than the rest of the rule.
    Skipped,
}

/// What every rule of one app needs, computed once.
pub struct Context<'a> {
    /// The app.
    pub app: &'a App,
    /// Whether fixes carry their edits.
    pub edits: Edits,
    /// Whether it is a Durable Functions app.
    pub durable: bool,
    /// Its hosting model.
    pub hosting: Hosting,
    /// Its Functions version.
    pub version: FunctionsVersion,
    /// Its backend.
    pub backend: Backend,
    /// Whether rules that can make a finding per key bound what they keep as they go
    /// ([`bound`]): for a plain check, never when fixing (every fix is applied).
    pub bounded: bool,
}

impl<'a> Context<'a> {
    /// Computes the model of `app`.
    pub fn new(app: &'a App, edits: Edits) -> Context<'a> {
        Context {
            app,
            edits,
            durable: app.is_durable(),
            hosting: app.hosting(),
            version: app.functions_version(),
            backend: app.backend(),
            bounded: false,
        }
    }
}

/// Runs every rule on one app and returns its findings (load failures included), unsorted.
/// Every fix carries its edits.
pub fn check_app(app: &App) -> Vec<Finding> {
    check_app_with(app, Edits::Planned)
}

/// [`check_app`], with the fixes' edits planned or not.
pub fn check_app_with(app: &App, edits: Edits) -> Vec<Finding> {
    run(Context::new(app, edits))
}

/// [`check_app_with`] for a plain check: the rules that can make a finding per key keep at most
/// what [`bound::cap`] reports, so that memory stays bounded by the report, not the file.
pub fn check_app_bounded(app: &App, edits: Edits) -> Vec<Finding> {
    run(Context {
        bounded: true,
        ..Context::new(app, edits)
    })
}

fn run(cx: Context<'_>) -> Vec<Finding> {
    let mut out = files::load_findings(&cx.app.load_problems);
    files::check(&cx, &mut out);
    backend::check(&cx, &mut out);
    settings::check(&cx, &mut out);
    packages::check(&cx, &mut out);
    extensions::check(&cx, &mut out);
    out
}

/// A span of a parsed JSON file.
pub fn json_span(file: &Parsed<Json>, range: std::ops::Range<usize>) -> Span {
    Span::new(&file.file, range)
}

/// Builds a fix from text edits of one file of the app (host.json, local.settings.json).
pub fn fix_in(
    file: &Parsed<Json>,
    message: impl Into<String>,
    applicability: Applicability,
    edits: Vec<TextEdit>,
) -> Option<Fix> {
    let edits = edits.into_iter().map(|e| (file.file.clone(), e)).collect();
    build_fix(message, applicability, edits, |f| {
        f.text.encoding().is_writable()
    })
}

/// `applicability`, or display-only when the fix's edits touch a file that may not be written.
fn applicable(applicability: Applicability, all_writable: bool) -> Applicability {
    if all_writable {
        applicability
    } else {
        Applicability::DisplayOnly
    }
}

/// [`fix_in`] for a fix whose `edits` are never empty, planned only when `cx` asks for edits.
/// Unplanned, the fix has the message and applicability it would have when planned, and no
/// edits.
pub fn fix_in_when_planned(
    cx: &Context<'_>,
    file: &Parsed<Json>,
    message: impl Into<String>,
    applicability: Applicability,
    edits: impl FnOnce() -> Vec<TextEdit>,
) -> Option<Fix> {
    match cx.edits {
        Edits::Planned => fix_in(file, message, applicability, edits()),
        Edits::Skipped => Some(Fix {
            message: message.into(),
            applicability: applicable(applicability, file.file.text.encoding().is_writable()),
            edits: Vec::new(),
        }),
    }
}

/// Whether fixes may write `file`: UTF-8 (UTF-16 files are checked but never rewritten).
/// Whether the file lies inside the write boundary is judged when it is written
/// (`write::WriteBoundary`), which then holds the whole app.
pub fn writable(_app: &App, file: &FileRef) -> bool {
    file.text.encoding().is_writable()
}

/// A fix from edits across files of one app; display-only when a file may not be written.
pub fn fix_across(
    app: &App,
    message: impl Into<String>,
    applicability: Applicability,
    edits: Vec<(FileRef, TextEdit)>,
) -> Option<Fix> {
    build_fix(message, applicability, edits, |f| writable(app, f))
}

fn build_fix(
    message: impl Into<String>,
    applicability: Applicability,
    edits: Vec<(FileRef, TextEdit)>,
    writable: impl Fn(&FileRef) -> bool,
) -> Option<Fix> {
    if edits.is_empty() {
        return None;
    }
    Some(Fix {
        message: message.into(),
        applicability: applicable(applicability, edits.iter().all(|(f, _)| writable(f))),
        edits: edits
            .into_iter()
            .map(|(file, (range, replacement))| Edit {
                file,
                range,
                replacement,
            })
            .collect(),
    })
}
