//! The fix engine: apply the fixes of one app in memory, re-parse, re-check, and repeat until
//! nothing changes (DESIGN §5). Nothing touches the disk here; `write` does that with the
//! result.
//!
//! A pass takes every fix at or above the allowed applicability, in report order, and skips a
//! fix whose edits overlap an edit already taken (it comes back in the next pass, re-computed
//! against the new text). A fix is all-or-nothing across the files it edits.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use crate::finding::Finding;
use crate::fix::{self, Applicability, FileChange, Fix};
use crate::model::AppFiles;
use crate::model::{App, Parsed};

use super::hold;
use crate::source::read::{Limits, Overlay, ReadCache, Reader};
use crate::source::FileRef;
use crate::syntax::msbuild::Project;

/// A file and the edits one pass makes to it.
type FileEdits<'a> = (FileRef, Vec<(Range<usize>, &'a str)>);

/// Passes before giving up on convergence.
pub const MAX_PASSES: usize = 100;

/// One piece of a file's current text: a range of the original, or text a fix wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Kept(Range<usize>),
    New(String),
}

impl Piece {
    fn len(&self) -> usize {
        match self {
            Piece::Kept(r) => r.len(),
            Piece::New(s) => s.len(),
        }
    }
}

/// Tracks how a file's current text derives from its original across passes.
#[derive(Debug, Clone)]
struct Lineage {
    pieces: Vec<Piece>,
    original_len: usize,
}

impl Lineage {
    fn new(original_len: usize) -> Lineage {
        Lineage {
            pieces: vec![Piece::Kept(0..original_len)],
            original_len,
        }
    }

    /// Splits pieces so that a piece boundary falls at `at` (current coordinates) and returns
    /// the index of the first piece at or after it.
    fn split_at(&mut self, at: usize) -> usize {
        let mut pos = 0;
        for i in 0..self.pieces.len() {
            let len = self.pieces[i].len();
            if at == pos {
                return i;
            }
            if at < pos + len {
                let cut = at - pos;
                let (a, b) = match &self.pieces[i] {
                    Piece::Kept(r) => (
                        Piece::Kept(r.start..r.start + cut),
                        Piece::Kept(r.start + cut..r.end),
                    ),
                    Piece::New(s) => (
                        Piece::New(s[..cut].to_string()),
                        Piece::New(s[cut..].to_string()),
                    ),
                };
                self.pieces[i] = a;
                self.pieces.insert(i + 1, b);
                return i + 1;
            }
            pos += len;
        }
        self.pieces.len()
    }

    /// Records one pass's edits (current coordinates, sorted and disjoint).
    fn apply(&mut self, edits: &[(Range<usize>, &str)]) {
        for (range, text) in edits.iter().rev() {
            let start = self.split_at(range.start);
            let end = self.split_at(range.end);
            self.pieces.splice(
                start..end,
                (!text.is_empty()).then(|| Piece::New((*text).to_string())),
            );
        }
    }

    /// The edits that turn the original into the current text.
    fn edits(&self) -> Vec<(Range<usize>, String)> {
        let mut out = Vec::new();
        let mut cursor = 0;
        let mut pending = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::New(s) => pending.push_str(s),
                Piece::Kept(r) => {
                    if r.start != cursor || !pending.is_empty() {
                        out.push((cursor..r.start, std::mem::take(&mut pending)));
                    }
                    cursor = r.end;
                }
            }
        }
        if cursor != self.original_len || !pending.is_empty() {
            out.push((cursor..self.original_len, pending));
        }
        out
    }
}

/// A fix that was applied.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The rule.
    pub code: &'static str,
    /// What the fix did.
    pub message: String,
    /// Its applicability.
    pub applicability: Applicability,
}

/// How fixing an app ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Nothing to fix, or everything fixable was fixed.
    Converged,
    /// Fixes kept producing new fixes; nothing of the app may be written.
    NotConverged {
        /// Rules whose fixes were still applying in the last pass.
        codes: Vec<&'static str>,
    },
    /// The app is not rewritten at all (a file that does not parse, Functions 1.x, a fix that
    /// broke a file).
    Refused {
        /// Why, for the user.
        reason: String,
    },
}

/// The result of fixing one app.
#[derive(Debug)]
pub struct AppFix {
    /// Changed files by path (empty unless `status` is `Converged`).
    pub changes: BTreeMap<PathBuf, FileChange>,
    /// Fixes applied, in order.
    pub applied: Vec<Applied>,
    /// The findings that remain after the last pass (the first pass when nothing applied).
    pub findings: Vec<Finding>,
    /// How it ended.
    pub status: Status,
    /// Files read in the first pass.
    pub files_read: usize,
    /// Whether fixes at the allowed level were left unapplied because of `status`.
    pub blocked: bool,
}

/// The ranges of one file that the fixes chosen so far edit. Two ranges clash when they
/// overlap or start at the same offset. The ranges taken never overlap each other, so a
/// lookup is two searches in ordered sets, whatever the number of fixes (a file may hold
/// hundreds of thousands of duplicate keys, each with its fix).
#[derive(Default)]
struct Taken {
    /// Start of every range taken.
    starts: BTreeSet<usize>,
    /// Non-empty ranges taken, start to end (they never overlap, so starts are unique).
    spans: BTreeMap<usize, usize>,
}

impl Taken {
    fn clashes(&self, r: &Range<usize>) -> bool {
        self.starts.contains(&r.start)
            || self.starts.range(r.start..r.end).next().is_some()
            || self
                .spans
                .range(..r.start)
                .next_back()
                .is_some_and(|(_, &end)| end > r.start)
    }

    fn insert(&mut self, r: &Range<usize>) {
        self.starts.insert(r.start);
        if !r.is_empty() {
            self.spans.insert(r.start, r.end);
        }
    }
}

/// Fixes of `findings` at or above `allowed`, in report order, that do not overlap each other.
pub fn select(findings: &[Finding], allowed: Applicability) -> Vec<&Fix> {
    let mut taken: HashMap<&std::path::Path, Taken> = HashMap::new();
    let mut chosen = Vec::new();
    for finding in findings {
        let Some(fix) = &finding.fix else {
            continue;
        };
        if fix.applicability < allowed || fix.edits.is_empty() {
            continue;
        }
        let clash = fix.edits.iter().any(|e| {
            taken
                .get(e.file.path.as_path())
                .is_some_and(|ranges| ranges.clashes(&e.range))
        });
        let self_clash = fix.edits.iter().enumerate().any(|(i, a)| {
            fix.edits[i + 1..].iter().any(|b| {
                a.file.path == b.file.path
                    && a.range.start < b.range.end
                    && b.range.start < a.range.end
            })
        });
        if clash || self_clash {
            continue;
        }
        for e in &fix.edits {
            taken
                .entry(e.file.path.as_path())
                .or_default()
                .insert(&e.range);
        }
        chosen.push(fix);
    }
    chosen
}

fn load_props(paths: &[PathBuf], reader: &Reader<'_>) -> (Vec<Arc<Parsed<Project>>>, Vec<Finding>) {
    let mut problems = Vec::new();
    let props = paths
        .iter()
        .filter_map(|p| crate::model::load_project(p, reader, &mut problems).map(Arc::new))
        .collect();
    (props, crate::rules::files::load_findings(&problems))
}

/// What is reported of an app's findings (suppressions, selection, severities); fixes of
/// findings it drops are not applied.
pub type Filter<'f> = &'f (dyn Fn(Vec<Finding>, &App) -> Vec<Finding> + Sync);

/// Checks one app and fixes it in memory to a fixed point, taking fixes at or above `allowed`
/// from the findings `filter` keeps.
pub fn fix_app(
    files: &AppFiles,
    limits: Limits,
    allowed: Applicability,
    filter: Filter<'_>,
) -> AppFix {
    let mut overlay: Overlay = Overlay::new();
    let cache = ReadCache::default();
    let mut originals: HashMap<PathBuf, (FileRef, Lineage)> = HashMap::new();
    let mut applied: Vec<Applied> = Vec::new();
    let mut files_read = 0;
    let mut last_codes: Vec<&'static str> = Vec::new();
    // What the first pass found: the files as they are on disk. An app that is not written
    // reports these, never findings (and positions) of texts that exist only in memory.
    let mut on_disk: Vec<Finding> = Vec::new();
    for pass in 0..=MAX_PASSES {
        let reader = Reader::with_overlay(limits, &overlay, &cache);
        let (props, props_findings) = load_props(&files.props, &reader);
        let app = App::load(files, props, &reader);
        let mut all = crate::rules::check_app(&app);
        all.extend(props_findings);
        // Refusals look at every finding, whatever is selected.
        let broken_now = all
            .iter()
            .find(|f| f.code == "DTS501" && overlay.contains_key(&f.span.file.path))
            .map(|f| (f.span.file.path.clone(), f.message.clone()));
        let refusal = (pass == 0)
            .then(|| hold::before_fixing(&app, &all))
            .flatten();
        let mut findings = filter(all, &app);
        findings.sort_by(Finding::report_order);
        if pass == 0 {
            files_read = app.files_read;
            if let Some(reason) = refusal {
                let blocked = !select(&findings, allowed).is_empty();
                hold::mark_held(&mut findings, &reason);
                return AppFix {
                    changes: BTreeMap::new(),
                    applied,
                    findings,
                    status: Status::Refused { reason },
                    files_read,
                    blocked,
                };
            }
        } else if let Some((path, message)) = broken_now {
            return refused(
                on_disk,
                format!(
                    "a fix left {} unparsable ({message}); nothing of the app is written — please report this",
                    path.display(),
                ),
                files_read,
            );
        }
        let chosen = select(&findings, allowed);
        if pass == 0 && !chosen.is_empty() {
            on_disk.clone_from(&findings);
        }
        if chosen.is_empty() {
            let changes: BTreeMap<PathBuf, FileChange> = originals
                .into_iter()
                .filter_map(|(path, (original, lineage))| {
                    let new_text = overlay.remove(&path)?;
                    (new_text != original.text.as_str()).then(|| {
                        let edits = lineage.edits();
                        (
                            path,
                            FileChange {
                                original,
                                new_text,
                                edits,
                            },
                        )
                    })
                })
                .collect();
            if !changes.is_empty() {
                let reason = hold::unwritable(&app, &findings)
                    .or_else(|| hold::after_fixing(&on_disk, &findings));
                if let Some(reason) = reason {
                    return refused(on_disk, reason, files_read);
                }
            }
            return AppFix {
                changes,
                applied,
                findings,
                status: Status::Converged,
                files_read,
                blocked: false,
            };
        }
        if pass == MAX_PASSES {
            break;
        }
        last_codes.clear();
        let mut per_file: BTreeMap<PathBuf, FileEdits<'_>> = BTreeMap::new();
        for fix in &chosen {
            for e in &fix.edits {
                per_file
                    .entry(e.file.path.clone())
                    .or_insert_with(|| (Arc::clone(&e.file), Vec::new()))
                    .1
                    .push((e.range.clone(), e.replacement.as_str()));
            }
        }
        for (path, (file, mut edits)) in per_file {
            let (_, lineage) = originals
                .entry(path.clone())
                .or_insert_with(|| (Arc::clone(&file), Lineage::new(file.text.as_str().len())));
            edits.sort_by_key(|(r, _)| (r.start, r.end));
            lineage.apply(&edits);
            match fix::apply(file.text.as_str(), &edits) {
                Ok(text) => {
                    overlay.insert(path, text);
                }
                Err(_) => {
                    return refused(
                        on_disk,
                        format!(
                        "fixes overlap in {}; nothing of the app is written — please report this",
                        path.display()
                    ),
                        files_read,
                    )
                }
            }
        }
        let applied_now: HashSet<*const Fix> =
            chosen.iter().map(|c| std::ptr::from_ref(*c)).collect();
        for finding in &findings {
            if let Some(fix) = &finding.fix {
                if applied_now.contains(&std::ptr::from_ref(fix)) {
                    last_codes.push(finding.code);
                    applied.push(Applied {
                        code: finding.code,
                        message: fix.message.clone(),
                        applicability: fix.applicability,
                    });
                }
            }
        }
    }
    last_codes.sort_unstable();
    last_codes.dedup();
    AppFix {
        changes: BTreeMap::new(),
        applied,
        findings: on_disk,
        status: Status::NotConverged { codes: last_codes },
        files_read,
        blocked: true,
    }
}

fn refused(mut findings: Vec<Finding>, reason: String, files_read: usize) -> AppFix {
    hold::mark_held(&mut findings, &reason);
    AppFix {
        changes: BTreeMap::new(),
        applied: Vec::new(),
        findings,
        status: Status::Refused { reason },
        files_read,
        blocked: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies passes of edits to `text` and checks that the composed edits, applied to the
    /// original, give the same result.
    fn compose(text: &str, passes: &[&[(Range<usize>, &str)]]) -> Vec<(Range<usize>, String)> {
        let mut lineage = Lineage::new(text.len());
        let mut current = text.to_string();
        for edits in passes {
            lineage.apply(edits);
            current = fix::apply(&current, edits).unwrap();
        }
        let composed = lineage.edits();
        let borrowed: Vec<(Range<usize>, &str)> = composed
            .iter()
            .map(|(r, s)| (r.clone(), s.as_str()))
            .collect();
        assert_eq!(fix::apply(text, &borrowed).unwrap(), current);
        composed
    }

    #[test]
    fn taken_ranges_clash_like_overlapping_ranges() {
        // The rule `Taken` implements: overlap, or the same start.
        let overlaps = |a: &Range<usize>, b: &Range<usize>| {
            (a.start < b.end && b.start < a.end) || a.start == b.start
        };
        let taken_ranges = [2..5, 5..5, 8..8, 9..12];
        let mut taken = Taken::default();
        for r in &taken_ranges {
            taken.insert(r);
        }
        for start in 0..14 {
            for end in start..15 {
                let r = start..end;
                let expected = taken_ranges.iter().any(|t| overlaps(t, &r));
                assert_eq!(taken.clashes(&r), expected, "{r:?}");
            }
        }
    }

    #[test]
    fn passes_compose_into_edits_of_the_original() {
        assert_eq!(compose("abcdef", &[]), vec![]);
        assert_eq!(
            compose("abcdef", &[&[(1..2, "XY")], &[(0..1, ""), (4..5, "Z")]]),
            vec![(0..2, "XY".to_string()), (3..4, "Z".to_string())]
        );
        // An edit inside text a previous pass wrote stays inside that edit.
        assert_eq!(
            compose("abc", &[&[(3..3, "12345")], &[(5..6, "_")]]),
            vec![(3..3, "12_45".to_string())]
        );
        // Two insertions at one point keep their order; a replacement after an insertion too.
        assert_eq!(
            compose("abc", &[&[(1..1, "A"), (1..1, "B"), (1..2, "C")]]),
            vec![(1..2, "ABC".to_string())]
        );
        // Deleting everything, then writing anew.
        assert_eq!(
            compose("abc", &[&[(0..3, "")], &[(0..0, "z")]]),
            vec![(0..3, "z".to_string())]
        );
    }
}
