//! The files the user names for the tool's own output: report files (`--output-file`,
//! `--report FMT=PATH`) and the configuration `init` writes. They go wherever the user names
//! them, inside or outside the scanned tree, but a symlink there is never followed to create or
//! replace a file. It never writes a user's configuration of an app (the commit does that).
//!
//! - nothing there: the file is created through a temporary file in the same folder, renamed
//!   into place (a folder that does not exist is said to);
//! - a regular file: it is replaced the same way, atomically, keeping its permission bits (a
//!   reader sees the old report or the new one, never half of one);
//! - a pipe, a device (`/dev/null`), a socket, or a name of an open descriptor
//!   (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`): written in place, as a shell redirection
//!   would;
//! - a symlink to anything else (a file, a folder, nothing): refused, naming it;
//! - a folder: refused.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path};

use super::interrupt::Temp;
use super::stage::folder_of;
use crate::source::display_path;
use crate::source::read::io_reason;

/// Whether an existing file may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Replace it (reports, `init --force`).
    Replace,
    /// Refuse when anything is there (`init` without `--force`); the message says how to
    /// replace it.
    Keep,
}

/// Where a named output goes.
enum Destination {
    /// Through a temporary file renamed over the path; the permission bits of the file
    /// replaced, if any.
    Replace(Option<fs::Permissions>),
    /// Opened and written where it is (a pipe, a device, an open descriptor).
    InPlace,
}

/// An output file the user named, open for writing ([`OutputFile::create`]): written through
/// a buffer, in place or into a temporary file that [`OutputFile::finish`] renames over the
/// path. Dropped unfinished, it leaves the path as it was (a temporary file is removed).
pub struct OutputFile {
    out: io::BufWriter<fs::File>,
    path: std::path::PathBuf,
    existing: Existing,
    /// The temporary file and the permission bits of the file it replaces, if any; `None`
    /// when writing in place.
    replace: Option<(Temp, Option<fs::Permissions>)>,
}

impl OutputFile {
    /// Opens `path` for writing, by the rules of the module; the error names the file.
    pub fn create(path: &Path, existing: Existing) -> Result<OutputFile, String> {
        let shown = display_path(path);
        let cannot = |e: &io::Error| format!("cannot write {shown}: {}", io_reason(e));
        let (file, replace) = match destination(path, existing)? {
            Destination::InPlace => (open_in_place(path).map_err(|e| cannot(&e))?, None),
            Destination::Replace(permissions) => {
                // New files get the mode a plain create gives (0666 less the umask).
                #[cfg(unix)]
                let mode = {
                    use std::os::unix::fs::PermissionsExt;
                    Some(fs::Permissions::from_mode(0o666))
                };
                #[cfg(not(unix))]
                let mode = None;
                let (file, temp) =
                    Temp::create_in(folder_of(path), mode).map_err(|e| cannot(&e))?;
                (file, Some((temp, permissions)))
            }
        };
        Ok(OutputFile {
            out: io::BufWriter::new(file),
            path: path.to_path_buf(),
            existing,
            replace,
        })
    }

    /// Flushes the file and, when it was written into a temporary file, puts it in place.
    pub fn finish(self) -> Result<(), String> {
        let shown = display_path(&self.path);
        let cannot = |e: &io::Error| format!("cannot write {shown}: {}", io_reason(e));
        let file = self.out.into_inner().map_err(|e| cannot(e.error()))?;
        let Some((temp, permissions)) = self.replace else {
            return Ok(());
        };
        if let Some(permissions) = permissions {
            file.set_permissions(permissions).map_err(|e| cannot(&e))?;
        }
        drop(file);
        place(temp, &self.path, self.existing).map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => exists(&self.path),
            _ => cannot(&e),
        })
    }

    /// The error of a failed write to the file, naming it.
    pub fn error(&self, err: &io::Error) -> String {
        format!(
            "cannot write {}: {}",
            display_path(&self.path),
            io_reason(err)
        )
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Writes an output file the user named: `body` writes the contents through a buffer. The
/// error says why, naming the file.
pub fn write_output(
    path: &Path,
    existing: Existing,
    body: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), String> {
    let mut file = OutputFile::create(path, existing)?;
    body(&mut file).map_err(|e| file.error(&e))?;
    file.finish()
}

/// Renames the finished temporary file to `path`; with [`Existing::Keep`], only if nothing
/// is there (a hard link fails on an existing name, where a rename would replace it).
fn place(temp: Temp, path: &Path, existing: Existing) -> io::Result<()> {
    if existing == Existing::Keep {
        match fs::hard_link(temp.path(), path) {
            // Dropping the temporary file removes its name; the link stays.
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(e),
            // A file system without hard links: the check made before the write stands.
            Err(_) => {}
        }
    }
    fs::rename(temp.path(), path)?;
    temp.renamed();
    Ok(())
}

fn exists(path: &Path) -> String {
    format!("{} exists (use --force to replace it)", display_path(path))
}

/// Looks at what is at `path` (without following a link there).
fn destination(path: &Path, existing: Existing) -> Result<Destination, String> {
    let shown = display_path(path);
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let dir = folder_of(path);
            return match fs::metadata(dir) {
                Ok(m) if m.is_dir() => Ok(Destination::Replace(None)),
                Ok(_) => Err(format!(
                    "cannot write {shown}: {} is not a folder",
                    display_path(dir)
                )),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Err(format!(
                    "cannot write {shown}: the folder {} does not exist",
                    display_path(dir)
                )),
                Err(e) => Err(format!("cannot write {shown}: {}", io_reason(&e))),
            };
        }
        Err(e) => return Err(format!("cannot write {shown}: {}", io_reason(&e))),
    };
    if existing == Existing::Keep {
        return Err(exists(path));
    }
    let kind = meta.file_type();
    if kind.is_symlink() {
        let special = fs::metadata(path).is_ok_and(|t| !t.is_file() && !t.is_dir());
        if special || names_a_descriptor(path) {
            return Ok(Destination::InPlace);
        }
        let target = fs::read_link(path)
            .map(|t| display_path(&t))
            .unwrap_or_else(|_| "?".into());
        return Err(format!(
            "cannot write {shown}: it is a symbolic link (to {target}), which is never followed to create or replace a file; name the file itself"
        ));
    }
    if kind.is_dir() {
        return Err(format!("cannot write {shown}: it is a folder"));
    }
    if kind.is_file() {
        return Ok(Destination::Replace(Some(meta.permissions())));
    }
    Ok(Destination::InPlace)
}

/// Whether `path` names an open descriptor of this process (`/dev/stdout`, `/dev/stderr`,
/// `/dev/fd/N`, `/proc/self/fd/N`, `/proc/PID/fd/N`): writing there writes where the shell
/// pointed the descriptor.
fn names_a_descriptor(path: &Path) -> bool {
    let parts: Vec<&str> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    if !path.is_absolute() {
        return false;
    }
    match parts.as_slice() {
        ["dev", "stdout" | "stderr"] => true,
        ["dev", "fd", n] => n.parse::<u32>().is_ok(),
        ["proc", pid, "fd", n] => {
            (*pid == "self" || pid.parse::<u32>().is_ok()) && n.parse::<u32>().is_ok()
        }
        _ => false,
    }
}

/// Opens a pipe, device or descriptor for writing, truncating a regular file behind a
/// descriptor as a shell's `>` would; never creates a file.
fn open_in_place(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true);
    let through_descriptor = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if through_descriptor && fs::metadata(path).is_ok_and(|m| m.is_file()) {
        options.truncate(true);
    }
    #[cfg(unix)]
    if !through_descriptor {
        use std::os::unix::fs::OpenOptionsExt;
        // A link put there since it was looked at is not followed.
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptors_are_recognised_by_name() {
        for yes in [
            "/dev/stdout",
            "/dev/stderr",
            "/dev/fd/3",
            "/proc/self/fd/1",
            "/proc/42/fd/2",
        ] {
            assert!(names_a_descriptor(Path::new(yes)), "{yes}");
        }
        for no in ["dev/stdout", "/dev/fd/x", "/tmp/stdout", "/proc/self/fd"] {
            assert!(!names_a_descriptor(Path::new(no)), "{no}");
        }
    }
}
