//! Listing one folder: every entry's name and type, read in place from a `getdents64` buffer
//! on Linux (no allocation per entry), through `std::fs::read_dir` elsewhere.

use std::ffi::OsStr;
use std::io;
use std::path::Path;

use super::names::EntryType;

/// Calls `each` with the name and type of every entry of folder `dir` (`.` and `..` left out).
/// Returns the errors met on the way (an entry that vanished is simply not there); fails when
/// the folder cannot be opened.
///
/// On Linux the names are read in place from a `getdents64` buffer, without an allocation per
/// entry (which `std::fs::read_dir` makes).
#[cfg(target_os = "linux")]
pub(super) fn for_each_entry(
    dir: &Path,
    each: &mut dyn FnMut(&OsStr, EntryType),
) -> io::Result<Vec<io::Error>> {
    use rustix::fs::{openat, statat, AtFlags, FileType, Mode, OFlags, RawDir, CWD};
    use std::os::unix::ffi::OsStrExt;
    let fd = openat(
        CWD,
        dir,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let mut buf = Vec::<u8>::with_capacity(32 * 1024);
    let mut raw = RawDir::new(&fd, buf.spare_capacity_mut());
    let mut errors = Vec::new();
    while let Some(entry) = raw.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                errors.push(err.into());
                break;
            }
        };
        let name = entry.file_name();
        if matches!(name.to_bytes(), b"." | b"..") {
            continue;
        }
        let file_type = match entry.file_type() {
            // Some file systems leave the type out of the listing.
            FileType::Unknown => match statat(&fd, name, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(stat) => FileType::from_raw_mode(stat.st_mode),
                Err(rustix::io::Errno::NOENT) => continue,
                Err(err) => {
                    errors.push(err.into());
                    continue;
                }
            },
            known => known,
        };
        let kind = match file_type {
            FileType::Directory => EntryType::Dir,
            FileType::Symlink => EntryType::Symlink,
            FileType::RegularFile => EntryType::File,
            _ => EntryType::Other,
        };
        each(OsStr::from_bytes(name.to_bytes()), kind);
    }
    Ok(errors)
}

/// Calls `each` with the name and type of every entry of folder `dir`. Returns the errors met
/// on the way (an entry that vanished is simply not there); fails when the folder cannot be
/// read.
#[cfg(not(target_os = "linux"))]
pub(super) fn for_each_entry(
    dir: &Path,
    each: &mut dyn FnMut(&OsStr, EntryType),
) -> io::Result<Vec<io::Error>> {
    let mut errors = Vec::new();
    for item in std::fs::read_dir(dir)? {
        match item.and_then(|e| Ok((e.file_type()?, e))) {
            Ok((file_type, e)) => {
                let kind = if file_type.is_dir() {
                    EntryType::Dir
                } else if file_type.is_symlink() {
                    EntryType::Symlink
                } else if file_type.is_file() {
                    EntryType::File
                } else {
                    EntryType::Other
                };
                each(&e.file_name(), kind);
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => errors.push(err),
        }
    }
    Ok(errors)
}
