//! The floor `check --write` is measured against (scripts/bench.sh): a plain atomic rewrite of a
//! list of files, as fast as the file system lets it be done safely. Standard library only:
//!
//!   rustc -O -o write-floor scripts/write-floor.rs
//!   write-floor [--threads N] [--two-flushes] LIST      # paths in LIST, one a line
//!
//! For each file, on N threads (default: one per core): open it, `fstat` it, read it whole,
//! create a temporary file beside it (`O_CREAT|O_EXCL`, the original's permission bits), write
//! the text read into it, close it and rename it over the original. Then one `syncfs` of the
//! file system (what `src/write/durable.rs` does past 64 files) makes it all durable.
//!
//! `--two-flushes` does what `check --write` does for its guarantees (DESIGN §5): every
//! temporary file is written and flushed (`syncfs`) before the first rename, so that a rename
//! never publishes data that is not on disk, and the renames are flushed by a second `syncfs`.
//! It writes the bytes it read (the new text of a migration differs by a few bytes per file,
//! which makes no measurable difference to the file system's work).

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

extern "C" {
    fn syncfs(fd: i32) -> i32;
}

fn flush(any: &Path) {
    let f = File::open(any).expect("open for syncfs");
    if unsafe { syncfs(f.as_raw_fd()) } != 0 {
        panic!("syncfs: {}", std::io::Error::last_os_error());
    }
}

fn temp_of(path: &Path, i: usize) -> PathBuf {
    let name = format!(".floor-{}-{i}.tmp", std::process::id());
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(name),
        _ => PathBuf::from(name),
    }
}

/// Reads `path` and writes its text to a temporary file beside it; returns the temporary path.
fn stage(path: &Path, i: usize) -> std::io::Result<PathBuf> {
    let mut file = File::open(path)?;
    let meta = file.metadata()?;
    let mut text = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut text)?;
    drop(file);
    let temp = temp_of(path, i);
    let mut out = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(meta.permissions().mode() & 0o7777)
        .open(&temp)?;
    out.write_all(&text)?;
    Ok(temp)
}

/// Runs `work` on every index of `0..n` over `threads` threads.
fn parallel(n: usize, threads: usize, work: impl Fn(usize) + Sync) {
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                work(i);
            });
        }
    });
}

fn main() {
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut two = false;
    let mut list = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => threads = args.next().and_then(|n| n.parse().ok()).expect("--threads N"),
            "--two-flushes" => two = true,
            _ => list = Some(a),
        }
    }
    let list = fs::read_to_string(list.expect("usage: write-floor [--threads N] [--two-flushes] LIST"))
        .expect("read the list");
    let paths: Vec<PathBuf> = list.lines().filter(|l| !l.is_empty()).map(PathBuf::from).collect();
    if paths.is_empty() {
        return;
    }
    let failed = AtomicUsize::new(0);
    if two {
        let temps: Vec<std::sync::Mutex<Option<PathBuf>>> =
            paths.iter().map(|_| std::sync::Mutex::new(None)).collect();
        parallel(paths.len(), threads, |i| match stage(&paths[i], i) {
            Ok(t) => *temps[i].lock().unwrap() = Some(t),
            Err(_) => {
                failed.fetch_add(1, Ordering::Relaxed);
            }
        });
        flush(&paths[0]);
        parallel(paths.len(), threads, |i| {
            if let Some(t) = temps[i].lock().unwrap().take() {
                if fs::rename(&t, &paths[i]).is_err() {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
    } else {
        parallel(paths.len(), threads, |i| {
            if stage(&paths[i], i).and_then(|t| fs::rename(t, &paths[i])).is_err() {
                failed.fetch_add(1, Ordering::Relaxed);
            }
        });
    }
    flush(&paths[0]);
    let failed = failed.load(Ordering::Relaxed);
    if failed > 0 {
        eprintln!("write-floor: {failed} of {} files failed", paths.len());
        std::process::exit(1);
    }
}
