//! The check as a stream: the apps are checked in parallel, in units of an app and the apps
//! nested in it, and each unit's findings reach the caller in report order as soon as the units
//! before it are done. A report can then be written as the check goes: what a run holds at once
//! is a window of units, whatever the number of apps and findings.
//!
//! Report order is by file path ([`Finding::report_order`]). Apps come sorted by folder, and
//! the files of an app and of the apps below it sort together: a unit's files form one run of
//! that order. The load findings of props files (read once for the run) sit between units, or
//! inside the unit whose folder holds the file.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use rayon::prelude::*;

use super::{check_files, hold, one_app_per_folder, outside, Options};
use crate::discover::{self, PathError, WalkProblem};
use crate::finding::Finding;
use crate::model::{self, AppFiles, Parsed};
use crate::source::read::Reader;
use crate::syntax::msbuild::Project;
use crate::{rules, write};

/// Units checked before their results are handed on, at most: the window a run holds.
const WINDOW: usize = 256;

/// The apps of a run, found and ready to check: the props files they share are parsed.
#[derive(Debug, Default)]
pub struct Prepared {
    /// Apps, sorted by folder.
    pub apps: Vec<AppFiles>,
    /// Problems met while walking.
    pub problems: Vec<WalkProblem>,
    /// The props files that parsed.
    pub(super) props: HashMap<PathBuf, Arc<Parsed<Project>>>,
    /// The load findings of the props files (each reported once for the run), in report order.
    pub(super) props_findings: Vec<Finding>,
}

impl Prepared {
    /// Props files read (each once).
    pub fn props_read(&self) -> usize {
        self.props.len()
    }
}

/// Discovers the apps of `options.paths`, drops the excluded ones, marks the files outside the
/// write boundary and parses the props files they share (once each).
pub fn prepare(options: &Options) -> Result<Prepared, PathError> {
    let mut discovery = discover::discover(&options.paths, options.threads)?;
    discovery
        .apps
        .retain(|app| !options.policy.excludes(&app.dir));
    one_app_per_folder(&mut discovery.apps, &options.paths);
    outside::mark(
        &mut discovery.apps,
        &write::WriteBoundary::around(&options.paths),
    );
    let props_outside: Vec<PathBuf> = discovery
        .apps
        .iter()
        .flat_map(outside::read_outside)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let props_paths: BTreeSet<&PathBuf> =
        discovery.apps.iter().flat_map(|a| a.props.iter()).collect();
    let parsed: Vec<_> = discover::Pool::new(options.threads).run(|| {
        props_paths
            .into_par_iter()
            .map(|path| {
                let mut problems = Vec::new();
                let parsed =
                    model::load_project(path, &Reader::disk(options.limits), &mut problems)
                        .map(Arc::new);
                let mut found = rules::files::load_findings(&problems);
                outside::redact(&props_outside, &mut found);
                (path.clone(), parsed, found)
            })
            .collect()
    });
    let mut props = HashMap::new();
    let mut props_findings = Vec::new();
    for (path, parsed, found) in parsed {
        props_findings.extend(found);
        if let Some(parsed) = parsed {
            props.insert(path, parsed);
        }
    }
    options.policy.filter(&mut props_findings);
    props_findings.sort_by(Finding::report_order);
    Ok(Prepared {
        apps: discovery.apps,
        problems: std::mem::take(&mut discovery.problems),
        props,
        props_findings,
    })
}

/// What a unit of the stream holds: its findings, in report order, and what it read.
#[derive(Debug, Default)]
pub struct Batch {
    /// The findings, in report order.
    pub findings: Vec<Finding>,
    /// Config files read.
    pub files: usize,
}

/// A piece of work of the stream: the apps `apps` (an app and the apps nested in it; none for
/// props findings between units) and the props findings that sort with them.
struct Unit {
    apps: Range<usize>,
    pub(super) props_findings: Vec<Finding>,
}

/// The units of `apps` (sorted by folder), with the props findings placed among them. With
/// `one_root` (the apps were found from one path, so their folders share its spelling), a
/// folder is below another when its bytes continue the other's past a `/` (on Unix; no
/// splitting into components, which took 5 ms of serial work at 10,000 apps).
fn units(apps: &[AppFiles], props_findings: &[Finding], one_root: bool) -> Vec<Unit> {
    let below = |dir: &Path, root: &Path| {
        if !(one_root && cfg!(unix)) {
            return dir.starts_with(root);
        }
        let (dir, root) = (
            dir.as_os_str().as_encoded_bytes(),
            root.as_os_str().as_encoded_bytes(),
        );
        let root = root.strip_suffix(b"/").unwrap_or(root);
        dir.strip_prefix(root)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(b"/"))
    };
    let mut units = Vec::with_capacity(apps.len());
    let mut props = props_findings.iter().peekable();
    let mut i = 0;
    while i < apps.len() {
        let root = &apps[i].dir;
        let mut end = i + 1;
        while end < apps.len() && below(&apps[end].dir, root) {
            end += 1;
        }
        let mut between = Vec::new();
        // A path not under `root` sorts before all of its files or after all of them.
        while let Some(f) = props.next_if(|f| {
            f.span.file.path.as_path() < root.as_path() && !f.span.file.path.starts_with(root)
        }) {
            between.push(f.clone());
        }
        if !between.is_empty() {
            units.push(Unit {
                apps: i..i,
                props_findings: between,
            });
        }
        let mut inside = Vec::new();
        while let Some(f) = props.next_if(|f| f.span.file.path.starts_with(root)) {
            inside.push(f.clone());
        }
        units.push(Unit {
            apps: i..end,
            props_findings: inside,
        });
        i = end;
    }
    let rest: Vec<Finding> = props.cloned().collect();
    if !rest.is_empty() {
        units.push(Unit {
            apps: apps.len()..apps.len(),
            props_findings: rest,
        });
    }
    units
}

/// Checks the apps of `prepared` and hands each unit's [`Batch`], turned into `R` by `render`
/// on the worker threads, to `sink` on the calling thread, in report order. The apps `held`
/// (folder, why) have the fixes of their findings marked as not applied. Returns the config
/// files read.
pub fn stream<R: Send>(
    prepared: &Prepared,
    options: &Options,
    held: &[(PathBuf, String)],
    render: impl Fn(Batch) -> R + Sync,
    mut sink: impl FnMut(R),
) -> usize {
    let held: HashMap<&Path, &str> = held
        .iter()
        .map(|(dir, why)| (dir.as_path(), why.as_str()))
        .collect();
    let reader = Reader::disk(options.limits);
    let work = |unit: &Unit| {
        let mut batch = Batch {
            findings: unit.props_findings.clone(),
            files: 0,
        };
        for files in &prepared.apps[unit.apps.clone()] {
            let props = files
                .props
                .iter()
                .filter_map(|p| prepared.props.get(p).cloned())
                .collect();
            let (mut found, read) = check_files(files, props, &reader, options);
            if let Some(reason) = held.get(files.dir.as_path()) {
                hold::mark_held(&mut found, reason);
            }
            batch.findings.append(&mut found);
            batch.files += read;
        }
        // One app's findings come sorted; several, or props findings, are merged.
        if unit.apps.len() > 1 || !unit.props_findings.is_empty() {
            batch.findings.sort_by(Finding::report_order);
        }
        let read = batch.files;
        (render(batch), read)
    };
    let units = units(
        &prepared.apps,
        &prepared.props_findings,
        options.paths.len() == 1,
    );
    let mut files = prepared.props_read();
    in_order(&units, options.threads, work, |(rendered, read)| {
        files += read;
        sink(rendered);
    });
    files
}

/// Runs `work` on every unit and hands the results to `sink` on the calling thread, in the
/// units' order. The pool's threads and the calling thread take the next unit as soon as they
/// are free (no unit waits for another's thread, and the calling thread works while the next
/// result to hand on is not ready). No unit is started [`WINDOW`] or more places past the next
/// one to hand on, so what is held at once stays bounded. Threads sleep only when they must
/// wait, and are woken only then: a wake-up for every unit cost a context switch each.
fn in_order<T: Send>(
    units: &[Unit],
    threads: usize,
    work: impl Fn(&Unit) -> T + Sync,
    mut sink: impl FnMut(T),
) {
    let pool = discover::Pool::new(threads);
    let order = Order::new(units.len());
    let run = |i: usize| {
        let result = panic::catch_unwind(AssertUnwindSafe(|| work(&units[i])));
        match result {
            Ok(result) => order.put(i, result),
            Err(payload) => {
                order.stop();
                panic::resume_unwind(payload);
            }
        }
    };
    pool.scope(|scope| {
        // However the calling thread leaves (a panic in `sink` too), the workers stop.
        let _stop = Stop(&order);
        // The calling thread is one of the workers.
        for _ in 1..pool.threads() {
            scope.spawn(|_| {
                while let Some(i) = order.claim() {
                    run(i);
                }
            });
        }
        let mut turn = 0;
        while turn < units.len() {
            if let Some(result) = order.take(turn) {
                sink(result);
                turn += 1;
                order.handed(turn);
            } else if let Some(i) = order.claim_now(turn) {
                run(i);
            } else if !order.wait_for(turn) {
                // A worker panicked: the scope's end passes the panic on.
                break;
            }
        }
    });
}

/// Stops the run of an [`Order`] when dropped.
struct Stop<'a, T>(&'a Order<T>);

impl<T> Drop for Stop<'_, T> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// The state [`in_order`] shares between its threads.
struct Order<T> {
    len: usize,
    /// The next unit to claim.
    next: AtomicUsize,
    /// How many results were handed on.
    handed: AtomicUsize,
    /// The results not handed on yet, unit `i` in slot `i % WINDOW`.
    slots: Vec<Mutex<Option<T>>>,
    /// Threads asleep in [`Order::sleep`] and the signal that wakes them.
    sleeping: AtomicUsize,
    lock: Mutex<()>,
    signal: Condvar,
    /// No more units are to be run: a worker panicked, or the calling thread left.
    stopped: AtomicBool,
}

impl<T> Order<T> {
    fn new(len: usize) -> Order<T> {
        Order {
            len,
            next: AtomicUsize::new(0),
            handed: AtomicUsize::new(0),
            slots: (0..WINDOW.min(len)).map(|_| Mutex::new(None)).collect(),
            sleeping: AtomicUsize::new(0),
            lock: Mutex::new(()),
            signal: Condvar::new(),
            stopped: AtomicBool::new(false),
        }
    }

    fn slot(&self, i: usize) -> MutexGuard<'_, Option<T>> {
        self.slots[i % WINDOW]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The next unit, once it is within the window; `None` when all are claimed or the run
    /// stopped.
    fn claim(&self) -> Option<usize> {
        let i = self.next.fetch_add(1, Ordering::SeqCst);
        if i >= self.len {
            return None;
        }
        self.sleep(|| i < self.handed.load(Ordering::SeqCst) + WINDOW || self.is_stopped());
        (!self.is_stopped()).then_some(i)
    }

    fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }

    /// The next unit, if there is one within the window of `turn`, without waiting.
    fn claim_now(&self, turn: usize) -> Option<usize> {
        let i = self.next.load(Ordering::SeqCst);
        (i < self.len && i < turn + WINDOW)
            .then(|| {
                self.next
                    .compare_exchange(i, i + 1, Ordering::SeqCst, Ordering::SeqCst)
                    .ok()
            })
            .flatten()
    }

    fn put(&self, i: usize, result: T) {
        *self.slot(i) = Some(result);
        self.wake();
    }

    fn take(&self, turn: usize) -> Option<T> {
        self.slot(turn).take()
    }

    /// `turn` results were handed on: the window moves.
    fn handed(&self, turn: usize) {
        self.handed.store(turn, Ordering::SeqCst);
        self.wake();
    }

    fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        self.wake();
    }

    /// Sleeps until the result of `turn` is ready; `false` when the run stopped.
    fn wait_for(&self, turn: usize) -> bool {
        self.sleep(|| self.slot(turn).is_some() || self.is_stopped());
        !self.is_stopped()
    }

    /// Sleeps until `ready`, which another thread makes true and then calls [`Order::wake`].
    fn sleep(&self, ready: impl Fn() -> bool) {
        if ready() {
            return;
        }
        let mut guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        self.sleeping.fetch_add(1, Ordering::SeqCst);
        while !ready() {
            guard = self
                .signal
                .wait(guard)
                .unwrap_or_else(PoisonError::into_inner);
        }
        self.sleeping.fetch_sub(1, Ordering::SeqCst);
    }

    /// Wakes the sleeping threads, if any: the state they wait on changed.
    fn wake(&self) {
        if self.sleeping.load(Ordering::SeqCst) > 0 {
            let _guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
            self.signal.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apps(dirs: &[&str]) -> Vec<AppFiles> {
        dirs.iter()
            .map(|d| AppFiles {
                dir: PathBuf::from(d),
                ..AppFiles::default()
            })
            .collect()
    }

    fn numbered(n: usize) -> Vec<Unit> {
        (0..n)
            .map(|i| Unit {
                apps: i..i + 1,
                props_findings: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn results_are_handed_on_in_order_and_the_window_bounds_what_is_held() {
        let units = numbered(3 * WINDOW + 7);
        for threads in [1, 2, 3, 8] {
            let started = AtomicUsize::new(0);
            let mut handed = Vec::new();
            in_order(
                &units,
                threads,
                |unit| {
                    let i = unit.apps.start;
                    started.fetch_add(1, Ordering::SeqCst);
                    // Uneven work, so results come out of order.
                    let spins = (i * 7919) % 5_000;
                    (0..spins).fold(i, |a, b| std::hint::black_box(a ^ b));
                    i
                },
                |i| {
                    // Nothing starts a window or more past the unit handed on now.
                    assert!(started.load(Ordering::SeqCst) <= i + WINDOW + threads);
                    handed.push(i);
                },
            );
            assert_eq!(handed, (0..units.len()).collect::<Vec<_>>(), "{threads}");
        }
    }

    #[test]
    fn a_panic_in_a_unit_reaches_the_caller() {
        let units = numbered(2 * WINDOW);
        for threads in [1, 2] {
            let caught = std::panic::catch_unwind(AssertUnwindSafe(|| {
                in_order(
                    &units,
                    threads,
                    |unit| assert_ne!(unit.apps.start, WINDOW + 3, "the unit fails"),
                    |()| {},
                )
            }));
            assert!(caught.is_err(), "{threads}");
        }
    }

    #[test]
    fn a_panic_in_the_sink_stops_the_workers_and_reaches_the_caller() {
        let units = numbered(4 * WINDOW);
        for threads in [1, 2, 4] {
            let caught = std::panic::catch_unwind(AssertUnwindSafe(|| {
                in_order(
                    &units,
                    threads,
                    |unit| unit.apps.start,
                    |i| assert_ne!(i, 5, "the sink fails"),
                )
            }));
            assert!(caught.is_err(), "{threads}");
        }
    }

    #[test]
    fn nested_apps_share_a_unit_whichever_way_nesting_is_tested() {
        for root in ["r", "r/", "/", "r/."] {
            let join = |rest: &str| Path::new(root).join(rest).to_string_lossy().into_owned();
            let dirs = [
                join("a"),
                join("a/b"),
                join("a/b/c"),
                join("a-b"),
                join("ab"),
                join("b"),
            ];
            let dirs: Vec<&str> = dirs.iter().map(String::as_str).collect();
            let apps = apps(&dirs);
            let ranges = |one_root| -> Vec<Range<usize>> {
                units(&apps, &[], one_root)
                    .into_iter()
                    .map(|u| u.apps)
                    .collect()
            };
            assert_eq!(ranges(true), [0..3, 3..4, 4..5, 5..6], "{root}");
            assert_eq!(ranges(false), ranges(true), "{root}");
        }
    }
}
