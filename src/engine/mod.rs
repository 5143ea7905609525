//! The engine: the pipeline of a check run. Discover the apps, load each one, run the rules,
//! apply the policy (selection, severities, per-path ignores, inline suppressions) and the
//! bound on findings per rule and file ([`bound`]), and when fixing, take each app to its fixed
//! point ([`fixpoint`]) and plan the writes. Its result is
//! the [`Outcome`], plain data that the reports render. It never prints and never writes a
//! user's file itself (the `write` layer does, with the plan the engine gives it).

pub mod fixpoint;
pub mod hold;
pub mod outside;
pub mod preview;
pub mod stream;

pub use preview::{preview, Preview, COUNTED_APPS};
pub mod suppress;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::discover::{self, PathError, WalkProblem};
use crate::finding::Finding;
use crate::fix::{self, FileChange};
use crate::model::{self, App, Parsed};
use crate::source::display_path;
use crate::source::read::{Limits, Reader};
use crate::syntax::msbuild::Project;
use crate::{config, facts, rules, write};

/// Which rules to report.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Codes or prefixes to report; empty means all.
    pub select: Vec<String>,
    /// Codes or prefixes never to report.
    pub ignore: Vec<String>,
}

impl Selection {
    /// Whether findings of `code` are reported.
    pub fn allows(&self, code: &str) -> bool {
        let matches = |p: &String| code.starts_with(p.as_str());
        (self.select.is_empty() || self.select.iter().any(matches))
            && !self.ignore.iter().any(matches)
    }

    /// Codes or prefixes that match no rule of the catalogue.
    pub fn unknown_codes(&self) -> Vec<String> {
        self.select
            .iter()
            .chain(&self.ignore)
            .filter(|p| !facts::catalogue().keys().any(|c| c.starts_with(p.as_str())))
            .cloned()
            .collect()
    }
}

/// What is reported: the rule selection, the configuration's severities, per-path ignores and
/// excludes, and inline suppressions.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Rule selection (command line and configuration together).
    pub selection: Selection,
    /// The configuration.
    pub config: config::Config,
}

impl Policy {
    /// The configured level of `code`: the longest matching code or prefix wins.
    fn level(&self, code: &str) -> Option<config::Level> {
        self.config
            .severity
            .iter()
            .filter(|(prefix, _)| code.starts_with(prefix.as_str()))
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|(_, level)| *level)
    }

    /// Whether findings of `code` (or a prefix) are reported at all.
    pub fn enabled(&self, code: &str) -> bool {
        self.selection.allows(code) && self.level(code) != Some(config::Level::Off)
    }

    /// Whether the app folder `dir` is excluded by the configuration.
    pub fn excludes(&self, dir: &std::path::Path) -> bool {
        if self.config.exclude.is_empty() {
            return false;
        }
        std::fs::canonicalize(dir).is_ok_and(|dir| dir.ancestors().any(|d| self.config.excludes(d)))
    }

    /// Applies suppressions (in `files`), selection, severities and per-path ignores.
    pub fn apply(
        &self,
        mut findings: Vec<Finding>,
        files: &[crate::source::FileRef],
    ) -> Vec<Finding> {
        suppress::apply(&mut findings, files, |code| self.enabled(code));
        self.filter(&mut findings);
        findings
    }

    /// Selection, severities and per-path ignores (no suppressions).
    pub fn filter(&self, findings: &mut Vec<Finding>) {
        let per_path = &self.config.per_path_ignores;
        findings.retain(|f| {
            self.enabled(f.code)
                && (per_path.is_empty() || {
                    let path = std::fs::canonicalize(&f.span.file.path)
                        .unwrap_or_else(|_| f.span.file.path.clone());
                    !per_path.iter().any(|p| {
                        p.matches(&path) && p.codes.iter().any(|c| f.code.starts_with(c.as_str()))
                    })
                })
        });
        for f in findings.iter_mut() {
            if let Some(config::Level::On(severity)) = self.level(f.code) {
                f.severity = severity;
            }
        }
    }
}

/// What a check run needs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Folders or files to check.
    pub paths: Vec<PathBuf>,
    /// What is reported.
    pub policy: Policy,
    /// File size limit and the like.
    pub limits: Limits,
    /// Worker threads for the walk (0 = one per core).
    pub threads: usize,
    /// Compute fixes at or above this applicability (the migration); `None` only checks.
    pub fix: Option<fix::Applicability>,
    /// Whether findings' fixes carry their edits when only checking (the JSON and SARIF
    /// reports show them); fixing always plans them.
    pub edits: rules::Edits,
}

/// The result of a check run.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Findings in report order.
    pub findings: Vec<Finding>,
    /// Apps checked.
    pub apps: usize,
    /// Config files read.
    pub files: usize,
    /// Problems met while walking.
    pub problems: Vec<WalkProblem>,
    /// Per app, what fixing did (only with `Options::fix`), sorted by app folder.
    pub fixes: Vec<(PathBuf, fixpoint::AppFix)>,
    /// The apps `--write` did not write (folder, why): held back, or refused by the write.
    pub held: Vec<(PathBuf, String)>,
    /// The files `--write` wrote, filled in by [`Outcome::record_writes`].
    pub written: Vec<FileChange>,
    /// The apps' files as discovered, sorted by app folder, for [`Outcome::recheck`].
    pub discovered: Vec<model::AppFiles>,
}

impl Outcome {
    /// Records the files that were written, with their edits, for the reports.
    pub fn record_writes(&mut self, results: &[write::WriteResult]) {
        for result in results {
            let Some(fix) = self.fix_of(&result.app) else {
                continue;
            };
            let changes: Vec<FileChange> = result
                .written
                .iter()
                .filter_map(|path| fix.changes.get(path).cloned())
                .collect();
            self.written.extend(changes);
        }
    }

    /// Reports the apps `unwritten` (folder, why) as their files are on disk: their findings (from
    /// the fixed point, when fixing) are replaced by a fresh check. For apps whose migration
    /// was computed but not written (held back, or refused by the write), so that the report
    /// and the exit code describe the files as they are, and no fix of theirs counts as fixable.
    pub fn recheck(&mut self, unwritten: &[(PathBuf, String)], options: &Options) {
        let reader = Reader::disk(options.limits);
        for (dir, reason) in unwritten {
            let Ok(i) = self.discovered.binary_search_by(|a| a.dir.cmp(dir)) else {
                continue;
            };
            let files = &self.discovered[i];
            // Props load findings are reported once for the run; they are not needed here.
            let props = files
                .props
                .iter()
                .filter_map(|p| model::load_project(p, &reader, &mut Vec::new()).map(Arc::new))
                .collect();
            let (mut fresh, _) = check_files(files, props, &reader, options);
            hold::mark_held(&mut fresh, reason);
            // Props findings are reported once for the run, not per app.
            fresh.retain(|f| !files.props.contains(&f.span.file.path));
            let own = |path: &std::path::Path| {
                path == files.host
                    || files.local_settings.as_deref() == Some(path)
                    || files.projects.iter().any(|p| p == path)
                    || files.extensions_project.as_deref() == Some(path)
            };
            self.findings.retain(|f| !own(&f.span.file.path));
            self.findings.append(&mut fresh);
        }
        self.findings.sort_by(Finding::report_order);
    }

    /// What fixing did to the app in folder `app` (a binary search: `fixes` is sorted).
    pub fn fix_of(&self, app: &std::path::Path) -> Option<&fixpoint::AppFix> {
        let i = self
            .fixes
            .binary_search_by(|(dir, _)| dir.as_path().cmp(app))
            .ok()?;
        Some(&self.fixes[i].1)
    }
}

/// Reads, parses and checks one app's files; returns what the options' policy reports, in
/// report order, and how many files were read.
fn check_files(
    files: &model::AppFiles,
    props: Vec<Arc<Parsed<Project>>>,
    reader: &Reader<'_>,
    options: &Options,
) -> (Vec<Finding>, usize) {
    let app = App::load(files, props, reader);
    let found = rules::check_app_bounded(&app, options.edits);
    let held = hold::before_fixing(&app, &found);
    let mut found = options.policy.apply(found, &suppress::files_of(&app));
    outside::redact(&outside::read_outside(files), &mut found);
    // What `--write` would refuse is not counted or marked as fixable.
    let fixable = found.iter().any(|f| {
        f.fix
            .as_ref()
            .is_some_and(|x| x.applicability > fix::Applicability::DisplayOnly)
    });
    if let Some(reason) = held.or_else(|| fixable.then(|| hold::unwritable(&app, &found)).flatten())
    {
        hold::mark_held(&mut found, &reason);
    }
    rules::bound::cap(&mut found);
    // Sorted here, in parallel, the apps' findings make runs that the final sort only merges.
    found.sort_by(Finding::report_order);
    (found, app.files_read)
}

/// Fixes one app to its fixed point at `allowed`, taking the fixes of what the options'
/// policy reports.
fn fix_one(
    files: &model::AppFiles,
    options: &Options,
    allowed: fix::Applicability,
) -> fixpoint::AppFix {
    let filter = |found, app: &App| {
        let mut found = options.policy.apply(found, &suppress::files_of(app));
        outside::redact(&outside::read_outside(files), &mut found);
        found
    };
    let mut result = fixpoint::fix_app(files, options.limits, allowed, &filter);
    hold::hint_unsafe(&mut result, allowed, || {
        fixpoint::fix_app(files, options.limits, fix::Applicability::Unsafe, &filter)
    });
    result
}

/// Runs discovery and every rule over `options.paths`, and with `options.fix` takes each app
/// to its fixed point.
pub fn check(options: &Options) -> Result<Outcome, PathError> {
    let mut prepared = stream::prepare(options)?;
    let mut findings: Vec<Finding> = Vec::new();
    let mut fixes = Vec::new();
    let files = match options.fix {
        Some(allowed) => {
            findings = std::mem::take(&mut prepared.props_findings);
            let per_app: Vec<(PathBuf, fixpoint::AppFix)> = discover::Pool::new(options.threads)
                .run(|| {
                    prepared
                        .apps
                        .par_iter()
                        .map(|files| {
                            let mut result = fix_one(files, options, allowed);
                            // Props findings are reported once, above, not per app.
                            result
                                .findings
                                .retain(|f| !files.props.contains(&f.span.file.path));
                            // Fixes went to every finding; what is reported is bounded.
                            rules::bound::cap(&mut result.findings);
                            (files.dir.clone(), result)
                        })
                        .collect()
                });
            let mut files = prepared.props_read();
            for (dir, mut result) in per_app {
                files += result.files_read;
                findings.append(&mut result.findings);
                fixes.push((dir, result));
            }
            findings.par_sort_by(Finding::report_order);
            files
        }
        None => stream::stream(
            &prepared,
            options,
            &[],
            |batch| batch.findings,
            |mut found| findings.append(&mut found),
        ),
    };
    Ok(Outcome {
        findings,
        apps: prepared.apps.len(),
        files,
        problems: std::mem::take(&mut prepared.problems),
        fixes,
        held: Vec::new(),
        written: Vec::new(),
        discovered: std::mem::take(&mut prepared.apps),
    })
}

/// An app whose changes are held back, and why.
#[derive(Debug, Clone)]
pub struct HeldBack {
    /// The app folder.
    pub app: PathBuf,
    /// Why its files are not written.
    pub reason: String,
}

/// The writes a fixing run plans, app by app. Files are told apart by what they are, not by
/// the name they were found under ([`write::FileKey`]: two links to one file, `app/x` and
/// `/abs/app/x`, are one file). A file changed by several
/// apps (a props file, two links to one file) is written once, by the first app, when every app
/// changes it the same way, and the apps after it name it in [`write::AppWrite::shares`], so
/// that the write layer writes them together or not at all; an app whose change to such a file
/// differs from an earlier app's is held back whole (a second `--write` picks it up).
pub fn planned_writes(outcome: &Outcome) -> (Vec<write::AppWrite>, Vec<HeldBack>) {
    let mut seen: HashMap<write::FileKey, (&str, PathBuf)> = HashMap::new();
    let mut writes = Vec::new();
    let mut held = Vec::new();
    for (dir, result) in &outcome.fixes {
        match &result.status {
            fixpoint::Status::Converged => {}
            fixpoint::Status::NotConverged { codes } => {
                held.push(HeldBack {
                    app: dir.clone(),
                    reason: format!(
                        "fixes did not converge ({}); nothing of the app is written — please report this",
                        codes.join(", ")
                    ),
                });
                continue;
            }
            fixpoint::Status::Refused { reason } => {
                if result.blocked {
                    held.push(HeldBack {
                        app: dir.clone(),
                        reason: reason.clone(),
                    });
                }
                continue;
            }
        }
        if result.changes.is_empty() {
            continue;
        }
        // A file that cannot be read keeps its path as its key; the write reports it.
        let keyed: Vec<(write::FileKey, &PathBuf, &FileChange)> = result
            .changes
            .iter()
            .map(|(path, change)| (write::FileKey::of(path), path, change))
            .collect();
        let conflict = keyed.iter().enumerate().find_map(|(i, (key, path, change))| {
            let text = change.new_text.as_str();
            if let Some((other_text, other)) = seen.get(key) {
                return (*other_text != text).then(|| {
                    format!(
                        "{} is also changed, differently, by the fixes of {}; run --write again",
                        display_path(path),
                        display_path(other)
                    )
                });
            }
            // Two names of one file within the app.
            keyed[..i]
                .iter()
                .find(|(k, _, c)| k == key && c.new_text != text)
                .map(|(_, first, _)| {
                    format!(
                        "{} and {} are one file, which the fixes change in two ways; nothing of the app is written",
                        display_path(first),
                        display_path(path)
                    )
                })
        });
        if let Some(reason) = conflict {
            held.push(HeldBack {
                app: dir.clone(),
                reason,
            });
            continue;
        }
        let mut files = Vec::new();
        let mut shares = Vec::new();
        for (key, path, change) in keyed {
            match seen.get(&key) {
                Some((_, other)) if other != dir => shares.push(key),
                // The same file under a second name of this app: written once.
                Some(_) => {}
                None => {
                    seen.insert(key, (change.new_text.as_str(), dir.clone()));
                    files.push((path.clone(), change.clone()));
                }
            }
        }
        shares.sort();
        shares.dedup();
        writes.push(write::AppWrite {
            app: dir.clone(),
            files,
            shares,
        });
    }
    (writes, held)
}

/// Keeps one app for each folder named several ways (`app`, `./app`, its absolute path, a
/// link to it), the one shown shortest. Only when the given paths overlap (as canonical
/// folders) can a folder be reached twice, so only then are app folders resolved.
fn one_app_per_folder(apps: &mut Vec<model::AppFiles>, paths: &[PathBuf]) {
    if paths.len() < 2 {
        return;
    }
    let roots: Vec<PathBuf> = paths
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .map(|p| match p.parent() {
            Some(dir) if !p.is_dir() => dir.to_path_buf(),
            _ => p,
        })
        .collect();
    let overlap = roots.iter().enumerate().any(|(i, a)| {
        roots[i + 1..]
            .iter()
            .any(|b| a.starts_with(b) || b.starts_with(a))
    });
    if !overlap {
        return;
    }
    let mut best: HashMap<PathBuf, usize> = HashMap::new();
    for (i, app) in apps.iter().enumerate() {
        let key = std::fs::canonicalize(&app.dir).unwrap_or_else(|_| app.dir.clone());
        let shown = |j: usize| display_path(&apps[j].dir).len();
        best.entry(key)
            .and_modify(|j| {
                if shown(i) < shown(*j) {
                    *j = i;
                }
            })
            .or_insert(i);
    }
    let keep: std::collections::HashSet<usize> = best.into_values().collect();
    let mut i = 0;
    apps.retain(|_| {
        i += 1;
        keep.contains(&(i - 1))
    });
}
