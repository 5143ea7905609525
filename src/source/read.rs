//! Reading files without surprises: a size limit checked during the read (and before it where
//! the file is looked at first), no blocking on pipes or devices, and the overlay and cache that
//! fix passes read through. It
//! never parses and never reports findings; callers turn its errors into their own words.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::file::WalkRoot;

/// Limits for reading files.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Files larger than this are reported (DTS504) and not parsed.
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 5 * 1024 * 1024,
        }
    }
}

/// Texts that replace files on disk while fixes are applied in memory, by path.
pub type Overlay = HashMap<PathBuf, String>;

/// Bytes of the files one app's fix passes read from disk, so that each file is read once
/// however many passes there are.
pub type ReadCache = std::sync::Mutex<HashMap<PathBuf, Vec<u8>>>;

/// Where file contents come from: the disk, or the texts a fix pass produced.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    /// Size limit.
    pub limits: Limits,
    /// Texts that win over the disk.
    pub overlay: Option<&'a Overlay>,
    /// Files already read from disk (kept there by [`Reader::read`]).
    pub cache: Option<&'a ReadCache>,
    /// Reads of files a folder listing showed, with those it did not show as regular files:
    /// the others are read without a look at what they are first ([`read_listed`]).
    pub not_regular: Option<&'a [PathBuf]>,
    /// The root the walk listed those files below, when it did: whether a short read of
    /// one is its end ([`short_reads_end`]), and how its folder resolves.
    pub walked: Option<&'a Arc<WalkRoot>>,
}

impl<'a> Reader<'a> {
    /// Reads from disk only.
    pub fn disk(limits: Limits) -> Reader<'static> {
        Reader {
            limits,
            overlay: None,
            cache: None,
            not_regular: None,
            walked: None,
        }
    }

    /// This reader for files that a folder listing showed, all regular files but
    /// `not_regular`, in a folder the walk from `walked` entered.
    pub fn listed(
        self,
        not_regular: &'a [PathBuf],
        walked: Option<&'a Arc<WalkRoot>>,
    ) -> Reader<'a> {
        Reader {
            not_regular: Some(not_regular),
            walked,
            ..self
        }
    }

    /// Reads `overlay` texts where present, `cache` or the disk elsewhere.
    pub fn with_overlay(limits: Limits, overlay: &'a Overlay, cache: &'a ReadCache) -> Reader<'a> {
        Reader {
            limits,
            overlay: Some(overlay),
            cache: Some(cache),
            not_regular: None,
            walked: None,
        }
    }

    pub fn overlaid(&self, path: &Path) -> Option<&'a String> {
        self.overlay.and_then(|o| o.get(path))
    }

    /// Reads a file within the size limit ([`read_bounded`]), from the cache when it has it.
    pub fn read(&self, path: &Path) -> std::io::Result<Bounded> {
        let Some(cache) = self.cache else {
            let limit = self.limits.max_file_bytes;
            return match self.not_regular {
                Some(listed) if !listed.iter().any(|p| p == path) => {
                    let short_reads_end = self.walked.is_some_and(|w| w.short_reads_end);
                    read_listed(path, limit, short_reads_end)
                }
                _ => read_bounded(path, limit),
            };
        };
        if let Some(bytes) = cache.lock().ok().and_then(|c| c.get(path).cloned()) {
            return Ok(Bounded::Bytes(bytes));
        }
        let read = read_bounded(path, self.limits.max_file_bytes)?;
        if let (Bounded::Bytes(bytes), Ok(mut cache)) = (&read, cache.lock()) {
            cache.insert(path.to_path_buf(), bytes.clone());
        }
        Ok(read)
    }
}

/// Whether `path` leads to a regular file (a link is followed): what a listed entry that was not
/// a regular file turned out to be.
pub fn leads_to_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// What [`read_bounded`] found at a path.
#[derive(Debug)]
pub enum Bounded {
    /// The whole file; never more than the limit.
    Bytes(Vec<u8>),
    /// The file is over the limit: its size, or the bytes seen before reading stopped when it
    /// grew while it was read. Nothing beyond the limit was read.
    TooLarge(u64),
    /// Not a regular file; what it is instead (for messages).
    NotAFile(&'static str),
}

impl Bounded {
    /// The bytes, or why there are none in the words of a tool that skips such files: over
    /// `limit` (the limit the read used), or not a regular file.
    pub fn into_bytes(self, limit: u64) -> Result<Vec<u8>, String> {
        match self {
            Bounded::Bytes(bytes) => Ok(bytes),
            Bounded::TooLarge(size) => Err(format!("{}; it was not read", over_limit(size, limit))),
            Bounded::NotAFile(what) => Err(not_a_file_message(what)),
        }
    }
}

/// "this is a pipe…, not a regular file; it was not read", for [`Bounded::NotAFile`].
pub fn not_a_file_message(what: &str) -> String {
    format!("this is {what}, not a regular file; it was not read")
}

/// What a path is when it is not a regular file.
fn not_a_file(meta: &std::fs::Metadata) -> Option<&'static str> {
    if meta.is_dir() {
        Some("a folder")
    } else if !meta.is_file() {
        Some("a pipe, socket or device")
    } else {
        None
    }
}

/// Reads a file, but never more than `limit` bytes of it: the size is checked on the open
/// handle, and the read itself stops one byte past the limit (the file may grow, or report no
/// size, as files in `/proc` do). Folders and special files (pipes, devices) are never read,
/// so a pipe named `host.json` cannot block the run: on Unix the file is opened non-blocking
/// (which returns at once even for a pipe with no writer) and looked at before any read, so
/// one `open` and one `fstat` are all a file costs beyond its read; elsewhere the path is
/// looked at before it is opened.
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Bounded> {
    use std::io::Read;
    #[cfg(not(unix))]
    if let Some(what) = not_a_file(&std::fs::metadata(path)?) {
        return Ok(Bounded::NotAFile(what));
    }
    let file = open_without_blocking(path)?;
    let meta = file.metadata()?;
    if let Some(what) = not_a_file(&meta) {
        return Ok(Bounded::NotAFile(what));
    }
    if meta.len() > limit {
        return Ok(Bounded::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > limit {
        return Ok(Bounded::TooLarge(read));
    }
    Ok(Bounded::Bytes(bytes))
}

/// [`read_bounded`] for a file its folder's listing showed as a regular file: read without the
/// look at what it is, into a buffer kept by the thread, then copied out at its size (no
/// `fstat`, and no buffer grown to fit). With `short_reads_end` (the file system returns every
/// byte asked for up to a file's end: [`short_reads_end`]) a first read that returns less than
/// it asked for is the whole file, and no second read is made to find the end: one system call
/// less per file. The guarantees stay: the file is opened without blocking and read no further
/// than one byte past the limit (then its size is looked up for the report), and a read that
/// fails (the path is now a folder, or a pipe with nothing to read) is looked at and answered
/// as [`read_bounded`] answers.
pub fn read_listed(path: &Path, limit: u64, short_reads_end: bool) -> std::io::Result<Bounded> {
    use std::io::Read;
    /// The bytes the first read asks for: the config files of an app fit.
    const FIRST: usize = 64 * 1024;
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let mut file = open_without_blocking(path)?;
    let asked = usize::try_from(limit.saturating_add(1)).map_or(FIRST, |n| n.min(FIRST));
    let first = BUFFER.with_borrow_mut(|buffer| {
        // Filled once a thread; a read writes over what the last one left.
        buffer.resize(FIRST, 0);
        let n = file.read(&mut buffer[..asked]).ok()?;
        Some((n, buffer[..n].to_vec()))
    });
    let Some((first, mut bytes)) = first else {
        return read_bounded(path, limit);
    };
    // An empty read is the end of any file; a short one, where `short_reads_end` says so.
    if first == 0 || (first < asked && short_reads_end) {
        return Ok(Bounded::Bytes(bytes));
    }
    let rest = limit
        .saturating_add(1)
        .saturating_sub(u64::try_from(bytes.len()).unwrap_or(u64::MAX));
    if (&mut file).take(rest).read_to_end(&mut bytes).is_err() {
        return read_bounded(path, limit);
    }
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > limit {
        // The report gives the file's size, as a look first would have.
        let size = file.metadata().map_or(read, |meta| meta.len().max(read));
        return Ok(Bounded::TooLarge(size));
    }
    Ok(Bounded::Bytes(bytes))
}

/// Whether a read of a regular file below folder `dir` that returns fewer bytes than it asked
/// for has reached the file's end: on Linux, for the local file systems (ext2 to ext4, XFS,
/// Btrfs, F2FS, ZFS, tmpfs, ramfs, overlayfs, bcachefs), whose reads go through the page
/// cache and stop short only at a file's end. Not for network and FUSE file systems, or
/// elsewhere: a read there may return less, and only an empty read is the end. Looked up once
/// for a folder given on the command line; a file system mounted below it is taken to be of
/// its kind.
pub fn short_reads_end(dir: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        /// `f_type` of the local file systems (`linux/magic.h`).
        const LOCAL: [i128; 9] = [
            0xEF53,      // ext2, ext3, ext4
            0x5846_5342, // XFS
            0x9123_683E, // Btrfs
            0xF2F5_2010, // F2FS
            0x2FC1_2FC1, // ZFS
            0x0102_1994, // tmpfs
            0x8584_58F6, // ramfs
            0x794C_7630, // overlayfs
            0xCA45_1A4E, // bcachefs
        ];
        rustix::fs::statfs(dir).is_ok_and(|fs| LOCAL.contains(&i128::from(fs.f_type)))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        false
    }
}

/// Opens `path` for reading without waiting on it: `O_NONBLOCK` on Unix (it does not change
/// how a regular file reads).
#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
}

/// Opens `path` for reading ([`read_bounded`] has looked at it first).
#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// "the file is N bytes, over the limit of L bytes", for a [`Bounded::TooLarge`] size.
pub fn over_limit(size: u64, limit: u64) -> String {
    let size = if size > limit.saturating_add(1) {
        format!("{size} bytes")
    } else {
        // Reading stopped at the limit: the file grew after its size was checked.
        format!("more than {limit} bytes")
    };
    format!("the file is {size}, over the limit of {limit} bytes")
}

/// Why `path` cannot be read, for the user: [`io_reason`], but a dangling symbolic link says
/// where it points.
pub fn read_failure(path: &Path, err: &std::io::Error) -> String {
    if err.kind() == std::io::ErrorKind::NotFound {
        if let Ok(target) = std::fs::read_link(path) {
            return format!(
                "it is a symbolic link to {}, which does not exist",
                target.display()
            );
        }
    }
    io_reason(err)
}

/// A short reason for an I/O error, without the OS error number.
pub fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "it does not exist (it was removed during the run?)".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = err.to_string();
            let mut text = match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            // "Too many levels of symbolic links" reads as part of a sentence.
            if text.chars().nth(1).is_some_and(char::is_lowercase) {
                if let Some(first) = text.get_mut(0..1) {
                    first.make_ascii_lowercase();
                }
            }
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a read of `path` found, in words, by both readers: they must agree.
    fn both(path: &Path, limit: u64) -> String {
        let words = |read: std::io::Result<Bounded>| match read {
            Ok(Bounded::Bytes(bytes)) => {
                let same = std::fs::read(path).is_ok_and(|on_disk| on_disk == bytes);
                format!(
                    "{} bytes{}",
                    bytes.len(),
                    if same { "" } else { ", not the file's" }
                )
            }
            Ok(Bounded::TooLarge(size)) => format!("too large: {size}"),
            Ok(Bounded::NotAFile(what)) => format!("not a file: {what}"),
            Err(err) => format!("error: {:?}", err.kind()),
        };
        let looked = words(read_bounded(path, limit));
        for short_reads_end in [false, true] {
            assert_eq!(
                words(read_listed(path, limit, short_reads_end)),
                looked,
                "{} {short_reads_end}",
                path.display()
            );
        }
        looked
    }

    #[test]
    fn a_read_without_a_look_answers_as_a_read_with_one() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("host.json");
        std::fs::write(&small, "{}").unwrap();
        let large = dir.path().join("large.json");
        std::fs::write(&large, vec![b' '; 3000]).unwrap();
        assert_eq!(both(&small, 100), "2 bytes");
        // The file's size, not the bytes read before stopping.
        assert_eq!(both(&large, 100), "too large: 3000");
        assert_eq!(both(&large, 3000), "3000 bytes");
        // Files around the size of the first read, and past it.
        for size in [65_535, 65_536, 65_537, 200_000] {
            let file = dir.path().join(format!("{size}.json"));
            let text: Vec<u8> = (0..size).map(|i| b'a' + (i % 26) as u8).collect();
            std::fs::write(&file, text).unwrap();
            assert_eq!(both(&file, 1 << 20), format!("{size} bytes"));
            assert_eq!(both(&file, size), format!("{size} bytes"));
            assert_eq!(both(&file, size - 1), format!("too large: {size}"));
        }
        assert_eq!(both(dir.path(), 100), "not a file: a folder");
        assert_eq!(both(&dir.path().join("none"), 100), "error: NotFound");
        // The buffer the thread keeps does not leak one file into the next.
        assert_eq!(both(&small, 100), "2 bytes");
        #[cfg(unix)]
        {
            let pipe = dir.path().join("pipe.json");
            rustix::fs::mknodat(
                rustix::fs::CWD,
                &pipe,
                rustix::fs::FileType::Fifo,
                rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
                0,
            )
            .unwrap();
            // No writer: the read without a look finds nothing at once, and does not block.
            assert!(matches!(read_listed(&pipe, 100, true), Ok(Bounded::Bytes(b)) if b.is_empty()));
            // Which is why the walk's listing decides: a pipe it lists is read with a look.
            assert!(matches!(read_bounded(&pipe, 100), Ok(Bounded::NotAFile(_))));
        }
    }

    /// Only a local file system ends a file at a short read: not /proc, whose files come a
    /// record at a time, nor a folder that cannot be looked up.
    #[test]
    fn short_reads_end_only_on_local_file_systems() {
        assert!(!short_reads_end(Path::new("/proc/self")));
        assert!(!short_reads_end(Path::new("/no/such/folder")));
    }
}
