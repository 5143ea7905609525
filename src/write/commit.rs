//! The commit point of a write: the renames of one set of apps that stand or fall together,
//! checked before and after each, and put back when one fails. It stages nothing and decides
//! nothing about what to write.
//!
//! Before the first rename every file is checked again against what it was when it was staged
//! (device, inode, size, modification time, mode, owner). On Linux each file is then swapped
//! with its temporary file in one step (`renameat2(RENAME_EXCHANGE)`): the old file lives on
//! under the temporary name, so it is checked once more there (a change made right before the
//! swap is caught) and a later failure swaps it back; once every file of the set is in place,
//! the old ones are removed. Where the swap is not available the old file is first kept under a
//! temporary name with a hard link (or, failing that, a copy) and the temporary file is renamed
//! over it. An interrupt between two renames puts the set back too.

use std::path::{Path, PathBuf};

use super::interrupt::{self, Temp};
#[cfg(any(target_os = "linux", target_os = "android"))]
use super::stage::Identity;
use super::stage::{folder_of, Staged};
use crate::source::display_path;
use crate::source::read::io_reason;

/// A file whose new text is in place, and where its old text is kept until the set commits.
struct Replaced {
    staged: Staged,
    old: Kept,
}

/// Where the old text of a replaced file is.
enum Kept {
    /// Under the staged temporary file's name (swapped).
    #[cfg_attr(not(any(target_os = "linux", target_os = "android")), allow(dead_code))]
    Swapped,
    /// Under a temporary name of its own (the staged temporary file was renamed over the
    /// target).
    Backup(Temp),
}

/// Why a set was not committed.
#[derive(Debug)]
pub(super) struct Failure {
    /// The index of the file that failed, when one did (not for an interrupt).
    pub at: Option<usize>,
    /// What went wrong, naming the file.
    pub reason: String,
    /// Files that were replaced and then put back as they were.
    pub put_back: Vec<PathBuf>,
    /// Files that were replaced and could not be put back, with where their old text is.
    pub not_put_back: Vec<(PathBuf, String)>,
}

/// Replaces every target of `staged` with its new text, or none: returns the folders whose
/// entries changed.
pub(super) fn commit(staged: Vec<Staged>) -> Result<Vec<PathBuf>, Failure> {
    let _shared = interrupt::shared();
    let fail = |at: Option<usize>, reason: String| Failure {
        at,
        reason,
        put_back: Vec::new(),
        not_put_back: Vec::new(),
    };
    if interrupt::interrupted() {
        return Err(fail(None, "the run was interrupted".into()));
    }
    if let Some((at, reason)) = staged
        .iter()
        .enumerate()
        .find_map(|(i, s)| s.changed().map(|r| (i, r)))
    {
        return Err(fail(Some(at), reason));
    }
    let mut done: Vec<Replaced> = Vec::with_capacity(staged.len());
    for (at, s) in staged.into_iter().enumerate() {
        let outcome = if interrupt::interrupted() {
            Err("the run was interrupted".to_string())
        } else {
            replace(s)
        };
        match outcome {
            Ok(replaced) => done.push(replaced),
            Err(reason) => {
                let at = (!interrupt::interrupted()).then_some(at);
                return Err(put_back(done, at, reason));
            }
        }
    }
    let mut dirs = Vec::with_capacity(done.len());
    for r in done {
        dirs.push(folder_of(&r.staged.target).to_path_buf());
        // The old text goes: the temporary name holds it now.
        match r.old {
            Kept::Swapped => drop(r.staged.temp),
            Kept::Backup(backup) => {
                drop(backup);
                r.staged.temp.renamed();
            }
        }
    }
    Ok(dirs)
}

/// Puts the new text of one staged file in place, keeping the old one.
fn replace(s: Staged) -> Result<Replaced, String> {
    let shown = display_path(&s.shown);
    hook::before_rename(&s.target).map_err(|e| format!("{shown}: {}", io_reason(&e)))?;
    if interrupt::interrupted() {
        return Err("the run was interrupted".to_string());
    }
    if let Some(reason) = s.changed() {
        return Err(reason);
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    match swap(s.temp.path(), &s.target) {
        Ok(()) => {
            // The old file is now under the temporary name: it must be the one checked.
            if Identity::now(s.temp.path()).ok().as_ref() != Some(&s.seen) {
                let reason = format!(
                    "{shown} changed on disk while the run was writing (after it was checked)"
                );
                return match swap(s.temp.path(), &s.target) {
                    Ok(()) => Err(reason),
                    Err(e) => Err(format!(
                        "{reason}, and it could not be put back ({}): the file that was there is {}",
                        io_reason(&e),
                        display_path(s.temp.path())
                    )),
                };
            }
            return Ok(Replaced {
                staged: s,
                old: Kept::Swapped,
            });
        }
        Err(e) if !swap_unsupported(&e) => return Err(format!("{shown}: {}", io_reason(&e))),
        Err(_) => {}
    }
    let backup = keep_old(&s.target).map_err(|e| {
        format!(
            "{shown}: its text could not be kept for a rollback: {}",
            io_reason(&e)
        )
    })?;
    std::fs::rename(s.temp.path(), &s.target).map_err(|e| format!("{shown}: {}", io_reason(&e)))?;
    Ok(Replaced {
        staged: s,
        old: Kept::Backup(backup),
    })
}

/// Keeps the text of `target` under a temporary name beside it: a hard link, else a copy.
fn keep_old(target: &Path) -> std::io::Result<Temp> {
    let dir = folder_of(target);
    Temp::make_in(dir, |name| std::fs::hard_link(target, name)).or_else(|_| {
        Temp::make_in(dir, |name| {
            let mut from = std::fs::File::open(target)?;
            let mut to = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(name)?;
            std::io::copy(&mut from, &mut to)?;
            to.sync_all()
        })
    })
}

/// Puts back every file of `done` (newest first); `reason` is why.
fn put_back(done: Vec<Replaced>, at: Option<usize>, reason: String) -> Failure {
    let mut failure = Failure {
        at,
        reason,
        put_back: Vec::new(),
        not_put_back: Vec::new(),
    };
    for Replaced { staged, old } in done.into_iter().rev() {
        let restored = match &old {
            Kept::Swapped => swap_back(&staged),
            Kept::Backup(backup) => std::fs::rename(backup.path(), &staged.target),
        };
        match (restored, old) {
            // The new text is under the temporary name again; dropping it removes it.
            (Ok(()), Kept::Swapped) => failure.put_back.push(staged.shown.clone()),
            // The backup is the file again, and the new text is gone with the rename.
            (Ok(()), Kept::Backup(backup)) => {
                failure.put_back.push(staged.shown.clone());
                backup.renamed();
                staged.temp.renamed();
            }
            // The old text must not be removed: say where it is.
            (Err(e), Kept::Swapped) => {
                let kept = format!("{} ({})", display_path(staged.temp.path()), io_reason(&e));
                failure.not_put_back.push((staged.shown.clone(), kept));
                staged.temp.renamed();
            }
            (Err(e), Kept::Backup(backup)) => {
                let kept = format!("{} ({})", display_path(backup.path()), io_reason(&e));
                failure.not_put_back.push((staged.shown.clone(), kept));
                backup.renamed();
                staged.temp.renamed();
            }
        }
    }
    failure.put_back.reverse();
    failure
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn swap_back(s: &Staged) -> std::io::Result<()> {
    swap(s.temp.path(), &s.target)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn swap_back(_s: &Staged) -> std::io::Result<()> {
    Err(std::io::Error::other("no swap on this system"))
}

/// Swaps the files at `a` and `b` in one step.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn swap(a: &Path, b: &Path) -> std::io::Result<()> {
    rustix::fs::renameat_with(
        rustix::fs::CWD,
        a,
        rustix::fs::CWD,
        b,
        rustix::fs::RenameFlags::EXCHANGE,
    )
    .map_err(std::io::Error::from)
}

/// Whether the file system (or kernel) cannot swap two files in one step.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn swap_unsupported(e: &std::io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(code) if code == rustix::io::Errno::INVAL.raw_os_error()
            || code == rustix::io::Errno::NOSYS.raw_os_error()
            || code == rustix::io::Errno::OPNOTSUPP.raw_os_error()
    )
}

/// Test hooks (debug builds only), read from the environment once:
///
/// - `DTS_MIGRATE_TEST_PAUSE_BEFORE_RENAME=SUFFIX`: before renaming the file whose canonical
///   path ends with the path `SUFFIX` (its app's earlier files already renamed), print
///   `test hook: paused before renaming PATH` on stderr and wait until the file named by
///   `DTS_MIGRATE_TEST_RESUME` exists, or the run is interrupted (at most 60 seconds);
/// - `DTS_MIGRATE_TEST_FAIL_RENAME=SUFFIX`: the rename of that file fails (as EIO would).
///
/// They let tests change a file, interrupt, or fail a rename at one exact point of a commit.
mod hook {
    use std::path::Path;

    #[cfg(debug_assertions)]
    pub fn before_rename(target: &Path) -> std::io::Result<()> {
        use std::time::{Duration, Instant};
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        if var("DTS_MIGRATE_TEST_PAUSE_BEFORE_RENAME").is_some_and(|s| target.ends_with(s)) {
            eprintln!("test hook: paused before renaming {}", target.display());
            let resume = var("DTS_MIGRATE_TEST_RESUME");
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(60)
                && !super::interrupt::interrupted()
                && !resume.as_ref().is_some_and(|r| Path::new(r).exists())
            {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        if var("DTS_MIGRATE_TEST_FAIL_RENAME").is_some_and(|s| target.ends_with(s)) {
            return Err(std::io::Error::other("input/output error (test hook)"));
        }
        Ok(())
    }

    #[cfg(not(debug_assertions))]
    #[inline(always)]
    pub fn before_rename(_target: &Path) -> std::io::Result<()> {
        Ok(())
    }
}
