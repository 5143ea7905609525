//! The write layer: committing the changes the engine planned, safely (DESIGN §5), inside the
//! [`WriteBoundary`], and the files the user names for reports and `init` ([`output`]). It
//! decides nothing about what to change and never parses; it only resolves, stages, checks,
//! flushes, renames and puts back.
//!
//! Every file of an app is resolved (symlinks and all) and must lie inside the boundary; it is
//! checked against the text the run read and written to a temporary file in its own folder with
//! the original's owner and permission bits (apps are staged in parallel). Apps that share a
//! file (a props file, two links to one file) form one set that is written whole or not at all.
//! All temporary files of the run are flushed to disk together (on Linux one `syncfs` per
//! filesystem, elsewhere one `fsync` per file), then each set is committed ([`commit`]: checked
//! again, renamed, put back if a rename fails or a file changed), then the renames are flushed
//! the same way. A crash leaves either the old or the new file, never a mix; an interrupt
//! ([`interrupt`]) removes the temporary files and leaves every app old or new.

pub mod boundary;
mod commit;
mod durable;
pub mod interrupt;
pub mod output;
mod stage;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use boundary::{canonical, FileKey, WriteBoundary};

use crate::fix::FileChange;
use crate::source::display_path;
use stage::Staged;

/// The changed files of one app.
#[derive(Debug)]
pub struct AppWrite {
    /// The app folder (for messages).
    pub app: PathBuf,
    /// Files to write.
    pub files: Vec<(PathBuf, FileChange)>,
    /// Files the app's migration changes that the write of another app carries (the same
    /// change to a shared file): the two apps are written together or not at all.
    pub shares: Vec<FileKey>,
}

/// What happened to one app's files.
#[derive(Debug)]
pub struct WriteResult {
    /// The app folder.
    pub app: PathBuf,
    /// Files written.
    pub written: Vec<PathBuf>,
    /// Why the app was not written, when it was not.
    pub error: Option<String>,
    /// Files of the app that had been replaced when its commit failed and were put back as
    /// they were (the app was rolled back).
    pub rolled_back: Vec<PathBuf>,
}

impl WriteResult {
    fn failed(app: PathBuf, error: String) -> WriteResult {
        WriteResult {
            app,
            written: Vec::new(),
            error: Some(error),
            rolled_back: Vec::new(),
        }
    }
}

/// One app staged: its temporary files, and the files it depends on.
struct StagedApp {
    app: PathBuf,
    staged: Result<Vec<Staged>, String>,
    /// Its files and the files it shares.
    keys: Vec<FileKey>,
}

/// Checks one app's files and writes their new text to temporary files.
fn stage_app(app: AppWrite, boundary: &WriteBoundary, folders: &boundary::Folders) -> StagedApp {
    let mut keys = app.shares;
    let mut staged = Ok(Vec::with_capacity(app.files.len()));
    for (path, change) in &app.files {
        let Ok(list) = &mut staged else {
            // The app is not written; its files still tie it to the apps that share them.
            keys.push(FileKey::of(path));
            continue;
        };
        match stage::stage(path, change, boundary, folders) {
            Ok(s) => {
                keys.push(s.key.clone());
                list.push(s);
            }
            Err(e) => {
                keys.push(FileKey::of(path));
                // Dropping the staged temporary files deletes them.
                staged = Err(e);
            }
        }
    }
    StagedApp {
        app: app.app,
        staged,
        keys,
    }
}

/// Writes every app's changes, inside the boundary made of `roots` themselves (canonical
/// folders); see [`write_within`].
pub fn write_apps(apps: Vec<AppWrite>, roots: &[PathBuf]) -> Vec<WriteResult> {
    write_within(apps, &WriteBoundary::from_roots(roots.iter().cloned()))
}

/// Writes every app's changes; a file outside `boundary` (or reached through a link leading
/// outside it) is not written, and neither is any file of its app or of the apps it shares a
/// file with.
///
/// Staging runs in parallel, app by app. Durability is batched: every temporary file of the
/// run is flushed before the first rename ([`durable::flush_files`]), and the renames are made
/// durable together afterwards ([`durable::flush_dirs`]).
///
/// The file-system work runs on [`IO_THREADS_PER_WORKER`] threads for each worker thread of
/// the run: creating, flushing, renaming and removing files mostly waits on the disk.
pub fn write_within(apps: Vec<AppWrite>, boundary: &WriteBoundary) -> Vec<WriteResult> {
    let threads = (rayon::current_num_threads() * IO_THREADS_PER_WORKER).min(MAX_IO_THREADS);
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(|| write_on_this_pool(apps, boundary)),
        Err(_) => write_on_this_pool(apps, boundary),
    }
}

/// Threads for the file-system work of a write, for each worker thread, and at most. With one
/// thread a core (2), a write of 10,000 apps took 2.2 s; with four a core, 1.8 s
/// (`scripts/bench.sh`: removing a file waits for its blocks to be discarded, on file systems
/// mounted so).
const IO_THREADS_PER_WORKER: usize = 4;
const MAX_IO_THREADS: usize = 32;

/// [`write_within`] on the current pool.
fn write_on_this_pool(apps: Vec<AppWrite>, boundary: &WriteBoundary) -> Vec<WriteResult> {
    let folders = boundary::Folders::default();
    let staged: Vec<StagedApp> = apps
        .into_par_iter()
        .map(|app| stage_app(app, boundary, &folders))
        .collect();
    let sets = sets_of(&staged);
    let mut slots: Vec<Option<StagedApp>> = staged.into_iter().map(Some).collect();
    let mut results = Vec::new();
    // Sets whose apps all staged: each app with its staged files.
    let mut ready: Vec<Vec<(PathBuf, Vec<Staged>)>> = Vec::new();
    for set in sets {
        let members: Vec<StagedApp> = set.iter().filter_map(|&i| slots[i].take()).collect();
        let first_failure = members.iter().find_map(|m| match &m.staged {
            Err(e) => Some((m.app.clone(), e.clone())),
            Ok(_) => None,
        });
        match first_failure {
            // Dropping the staged temporary files deletes them.
            Some((bad, reason)) => results.extend(members.into_iter().map(|m| {
                let error = match m.staged {
                    Err(e) => e,
                    Ok(_) => held_with(&bad, &reason),
                };
                WriteResult::failed(m.app, error)
            })),
            None => ready.push(
                members
                    .into_iter()
                    .map(|m| (m.app, m.staged.unwrap_or_default()))
                    .collect(),
            ),
        }
    }
    // Flush every temporary file before any rename, so the renames publish durable data. A set
    // with a file that cannot be flushed is not renamed at all.
    let temps: Vec<&Path> = ready
        .iter()
        .flatten()
        .flat_map(|(_, staged)| staged.iter().map(|s| s.temp.path()))
        .collect();
    let mut failures = durable::flush_files(&temps).into_iter();
    drop(temps);
    let mut flushed = Vec::new();
    for set in ready {
        let count = set.iter().map(|(_, staged)| staged.len()).sum();
        // Take exactly this set's entries, so the next set starts at its own.
        let set_failures: Vec<Option<String>> = failures.by_ref().take(count).collect();
        match set_failures.into_iter().flatten().next() {
            Some(e) => {
                let reason = format!("cannot flush to disk: {e}");
                let first = set.first().map(|(app, _)| app.clone()).unwrap_or_default();
                results.extend(set.into_iter().map(|(app, _)| {
                    let error = if app == first {
                        reason.clone()
                    } else {
                        held_with(&first, &reason)
                    };
                    WriteResult::failed(app, error)
                }));
            }
            None => flushed.push(set),
        }
    }
    // Commit set by set in parallel (folders of different apps do not contend).
    let committed: Vec<(Vec<WriteResult>, Vec<PathBuf>)> =
        flushed.into_par_iter().map(commit_set).collect();
    let mut dirs: Vec<PathBuf> = Vec::new();
    for (set_results, set_dirs) in committed {
        results.extend(set_results);
        dirs.extend(set_dirs);
    }
    dirs.sort();
    dirs.dedup();
    // Make the renames durable; failure here loses no data (each file is whole, old or new),
    // so it is not reported.
    durable::flush_dirs(&dirs);
    results.sort_by(|a, b| a.app.cmp(&b.app));
    results
}

/// Commits one set of apps; returns each app's result and the folders whose entries changed.
fn commit_set(set: Vec<(PathBuf, Vec<Staged>)>) -> (Vec<WriteResult>, Vec<PathBuf>) {
    // Which app each staged file belongs to, and the files each app names.
    let mut owner: Vec<usize> = Vec::new();
    let mut apps: Vec<(PathBuf, Vec<PathBuf>)> = Vec::with_capacity(set.len());
    let mut all: Vec<Staged> = Vec::new();
    for (i, (app, staged)) in set.into_iter().enumerate() {
        apps.push((app, staged.iter().map(|s| s.shown.clone()).collect()));
        owner.extend(std::iter::repeat_n(i, staged.len()));
        all.extend(staged);
    }
    match commit::commit(all) {
        Ok(dirs) => {
            let results = apps
                .into_iter()
                .map(|(app, written)| WriteResult {
                    app,
                    written,
                    error: None,
                    rolled_back: Vec::new(),
                })
                .collect();
            (results, dirs)
        }
        Err(failure) => {
            let culprit = failure.at.and_then(|at| owner.get(at).copied());
            let culprit_app = culprit.map(|i| apps[i].0.clone());
            let results = apps
                .into_iter()
                .enumerate()
                .map(|(i, (app, files))| {
                    let own = |p: &PathBuf| files.contains(p);
                    let rolled_back: Vec<PathBuf> = failure
                        .put_back
                        .iter()
                        .filter(|p| own(p))
                        .cloned()
                        .collect();
                    let not_put_back: Vec<&(PathBuf, String)> = failure
                        .not_put_back
                        .iter()
                        .filter(|(p, _)| own(p))
                        .collect();
                    let mut error = match &culprit_app {
                        Some(bad) if culprit != Some(i) => held_with(bad, &failure.reason),
                        _ => failure.reason.clone(),
                    };
                    error.push_str(&rollback_note(&rolled_back, &not_put_back));
                    WriteResult {
                        app,
                        written: Vec::new(),
                        error: Some(error),
                        rolled_back,
                    }
                })
                .collect();
            (results, Vec::new())
        }
    }
}

/// What a failed commit did to an app's files, for its message.
fn rollback_note(rolled_back: &[PathBuf], not_put_back: &[&(PathBuf, String)]) -> String {
    let mut note = String::new();
    if rolled_back.is_empty() && not_put_back.is_empty() {
        note.push_str("; no file of the app was replaced");
    }
    if !rolled_back.is_empty() {
        let names: Vec<String> = rolled_back.iter().map(|p| display_path(p)).collect();
        note.push_str(&format!(
            "; the app was rolled back: {} put back as it was",
            names.join(", ")
        ));
    }
    for (file, kept) in not_put_back {
        note.push_str(&format!(
            "; {} could NOT be put back: its old text is in {kept}",
            display_path(file)
        ));
    }
    note
}

/// The apps that stand or fall together: those that share a file (by [`FileKey`]), as
/// sets of indices into `staged`, each sorted, in the order of their first app.
fn sets_of(staged: &[StagedApp]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..staged.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut first: HashMap<&FileKey, usize> = HashMap::new();
    for (i, app) in staged.iter().enumerate() {
        for key in &app.keys {
            match first.get(key) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a.max(b)] = a.min(b);
                }
                None => {
                    first.insert(key, i);
                }
            }
        }
    }
    let mut sets: Vec<Vec<usize>> = Vec::new();
    let mut index_of_root: HashMap<usize, usize> = HashMap::new();
    for i in 0..staged.len() {
        let r = root(&mut parent, i);
        let at = *index_of_root.entry(r).or_insert_with(|| {
            sets.push(Vec::new());
            sets.len() - 1
        });
        sets[at].push(i);
    }
    sets
}

/// The message for an app held because another app of its set is not written.
fn held_with(other: &Path, reason: &str) -> String {
    format!(
        "it shares a file with {}, which is not written ({reason}); apps that share a file are written together or not at all",
        display_path(other)
    )
}
