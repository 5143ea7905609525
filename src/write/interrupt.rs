//! Interrupts while files are written: the register of every temporary file the run has made
//! and not yet removed, the lock that keeps an interrupt from cutting an app's commit in two,
//! and (on Unix, once [`install`]ed) the SIGINT/SIGTERM handler that removes them all. It never
//! decides what to write.
//!
//! The handler runs on a thread of its own (the signal itself only wakes it): it marks the run
//! interrupted, takes the lock for writing — waiting for the commit in progress, which sees the
//! mark after its current rename and puts its app back — removes every registered temporary
//! file and exits with 128 + the signal number (130 for SIGINT, 143 for SIGTERM). Temporary
//! files are made, and commits run, under the lock for reading, so none is made after the
//! sweep. Every file is then whole, old or new, and every app is old or new.

use std::collections::BTreeSet;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Mutex, RwLock, RwLockReadGuard};

/// The signal that interrupted the run, 0 while none did.
static INTERRUPTED: AtomicI32 = AtomicI32::new(0);

/// Held for reading while a temporary file is made or an app is committed; for writing by the
/// sweep.
static LOCK: RwLock<()> = RwLock::new(());

/// Every temporary file of the run that exists (or may exist) on disk.
static TEMPS: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

/// Whether the run was interrupted (the commit in progress then puts its app back, and no
/// other starts).
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst) != 0
}

/// The lock under which temporary files are made and apps committed.
pub(super) fn shared() -> RwLockReadGuard<'static, ()> {
    LOCK.read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Records a temporary file (call under [`shared`]).
fn register(path: &Path) {
    let mut temps = TEMPS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    temps.insert(path.to_path_buf());
}

/// Forgets a temporary file that is gone (removed, or renamed to a real name).
fn unregister(path: &Path) {
    let mut temps = TEMPS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    temps.remove(path);
}

/// A temporary file of the run (`.dts-migrate-*.tmp` in the folder of the file it stands in
/// for), registered for the interrupt handler; removed and forgotten on drop unless
/// [`Temp::renamed`] says it became a real file.
#[derive(Debug)]
pub(super) struct Temp {
    path: Option<PathBuf>,
}

impl Temp {
    /// Creates an empty temporary file in `dir` (mode 0600 unless `permissions` says otherwise;
    /// the umask applies), refused once the run is interrupted.
    pub fn create_in(
        dir: &Path,
        permissions: Option<std::fs::Permissions>,
    ) -> io::Result<(File, Temp)> {
        let _shared = shared();
        if interrupted() {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "the run was interrupted",
            ));
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".dts-migrate-").suffix(".tmp");
        if let Some(permissions) = permissions {
            builder.permissions(permissions);
        }
        let (file, path) = builder.tempfile_in(dir)?.keep().map_err(|e| e.error)?;
        register(&path);
        Ok((file, Temp { path: Some(path) }))
    }

    /// Makes a temporary name in `dir` with `make` (a hard link, a copy), retried under another
    /// name when the name is taken. The caller holds [`shared`] (a commit does).
    pub fn make_in(dir: &Path, make: impl FnMut(&Path) -> io::Result<()>) -> io::Result<Temp> {
        if interrupted() {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "the run was interrupted",
            ));
        }
        let made = tempfile::Builder::new()
            .prefix(".dts-migrate-")
            .suffix(".tmp")
            .make_in(dir, make)?;
        let ((), path) = made.keep().map_err(|e| e.error)?;
        register(&path);
        Ok(Temp { path: Some(path) })
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(""))
    }

    /// It was renamed to a real name: there is nothing left to remove.
    pub fn renamed(mut self) {
        if let Some(path) = self.path.take() {
            unregister(&path);
        }
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = std::fs::remove_file(&path);
            unregister(&path);
        }
    }
}

/// Removes every registered temporary file; returns how many were removed.
#[cfg(unix)]
fn sweep() -> usize {
    let mut temps = TEMPS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let removed = temps
        .iter()
        .filter(|p| std::fs::remove_file(p).is_ok())
        .count();
    temps.clear();
    removed
}

/// What to do when the signal `signal` arrives: mark the run, wait for the commit in progress,
/// remove the temporary files and exit 128 + `signal`.
#[cfg(unix)]
fn on_signal(signal: i32) -> ! {
    INTERRUPTED.store(signal, Ordering::SeqCst);
    let _exclusive = LOCK
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let removed = sweep();
    let name = if signal == 2 { "SIGINT" } else { "SIGTERM" };
    eprintln!(
        "dts-migrate: interrupted ({name}); {removed} temporary file(s) removed; every file is whole, as it was or as migrated, and no app is half-migrated"
    );
    std::process::exit(128 + signal)
}

/// Ends the process the way the handler does when the run was interrupted: the handler waits
/// for the commit in progress, and the thread that ran it may reach this point first (it must
/// not go on to report a run that was interrupted). Does nothing otherwise.
pub fn exit_if_interrupted() {
    #[cfg(unix)]
    {
        let signal = INTERRUPTED.load(Ordering::SeqCst);
        if signal != 0 {
            on_signal(signal);
        }
    }
}

/// Installs the SIGINT/SIGTERM handler for the rest of the process (once; later calls do
/// nothing). Until it is installed an interrupt kills the process the default way, which may
/// leave temporary files behind.
#[cfg(unix)]
pub fn install() -> std::io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    static INSTALLED: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    if INSTALLED.get().is_some() {
        return Ok(());
    }
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
    std::thread::Builder::new()
        .name("dts-migrate-interrupt".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                on_signal(signal);
            }
        })?;
    let _ = INSTALLED.set(());
    Ok(())
}

/// Installs nothing where there are no Unix signals.
#[cfg(not(unix))]
pub fn install() -> std::io::Result<()> {
    Ok(())
}
