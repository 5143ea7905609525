//! Flushing many files to disk at once: `fsync` one by one, or `syncfs` per filesystem past a
//! few dozen. It never renames.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// Up to this many files (or folders) are flushed one by one (`fsync`); past it, on Linux,
/// a whole filesystem at once (`syncfs`): one flush however many files there are, which
/// is what makes writing thousands of files take seconds instead of minutes, at the price
/// of also waiting for whatever else is waiting to be written on that filesystem.
const ONE_BY_ONE: usize = 64;

/// Flushes the files at `paths` to disk; returns, for each in order, why it could not be
/// flushed, if it could not. A failed `syncfs` fails every file on its filesystem.
pub fn flush_files(paths: &[&Path]) -> Vec<Option<String>> {
    #[cfg(target_os = "linux")]
    if paths.len() > ONE_BY_ONE {
        return syncfs_each_filesystem(paths);
    }
    paths
        .par_iter()
        .map(|p| fsync(p).err().map(|e| crate::source::read::io_reason(&e)))
        .collect()
}

/// Makes the renames in `dirs` durable (best effort: each file is already whole, old or
/// new, so a failure here is not reported).
pub fn flush_dirs(dirs: &[PathBuf]) {
    let dirs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
    let _ = flush_files(&dirs);
}

/// `fsync` of a file or folder through a handle of its own (it flushes the file, whichever
/// handle wrote it).
fn fsync(path: &Path) -> std::io::Result<()> {
    fs::File::open(path)?.sync_all()
}

#[cfg(target_os = "linux")]
fn syncfs_each_filesystem(paths: &[&Path]) -> Vec<Option<String>> {
    use std::collections::HashMap;
    use std::os::unix::fs::MetadataExt;
    let mut outcome: Vec<Option<String>> = vec![None; paths.len()];
    let mut by_fs: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, path) in paths.iter().enumerate() {
        match fs::metadata(path) {
            Ok(meta) => by_fs.entry(meta.dev()).or_default().push(i),
            Err(e) => outcome[i] = Some(crate::source::read::io_reason(&e)),
        }
    }
    for group in by_fs.into_values() {
        let flushed = fs::File::open(paths[group[0]])
            .and_then(|handle| rustix::fs::syncfs(&handle).map_err(std::io::Error::from));
        if let Err(e) = flushed {
            let reason = crate::source::read::io_reason(&e);
            for i in group {
                outcome[i] = Some(reason.clone());
            }
        }
    }
    outcome
}
