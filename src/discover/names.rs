//! Which entries of a folder listing the walk keeps, and what each is: the names of the files an
//! app is made of, compared in place without allocating.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::{IGNORE_FILE, SKIPPED_DIRS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Host,
    LocalSettings,
    Project,
    ExtensionsProject,
    Manifest,
    FunctionJson,
    Props,
}

pub(super) fn classify(name: &OsStr) -> Option<Kind> {
    // Called for every file the walk meets: compared in place, without a lowercase copy, and
    // without checking UTF-8 first (a name that is not cannot equal one of these).
    let name = name.as_encoded_bytes();
    let is = |candidate: &str| name.eq_ignore_ascii_case(candidate.as_bytes());
    let ends = |suffix: &str| {
        name.len() >= suffix.len()
            && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    Some(if is("host.json") {
        Kind::Host
    } else if is("local.settings.json") {
        Kind::LocalSettings
    } else if is("extensions.csproj") {
        Kind::ExtensionsProject
    } else if is("function.json") {
        Kind::FunctionJson
    } else if is("directory.packages.props") || is("directory.build.props") {
        Kind::Props
    } else if MANIFESTS.iter().any(|m| is(m)) {
        Kind::Manifest
    } else if (ends(".csproj") || ends(".fsproj") || ends(".vbproj"))
        && std::str::from_utf8(name).is_ok()
    {
        Kind::Project
    } else {
        return None;
    })
}

/// Language manifests: they hint at an app's hosting model.
pub(super) const MANIFESTS: &[&str] = &[
    "requirements.txt",
    "package.json",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "requirements.psd1",
];

/// The exact name that is read (by the Functions host, Core Tools or MSBuild) of a config file
/// named `name` in any letter case; None for project files, which have names of their own.
pub(super) fn exact_name(name: &OsStr) -> Option<&'static str> {
    let name = name.to_str()?;
    [
        "host.json",
        "local.settings.json",
        "extensions.csproj",
        "function.json",
        "Directory.Packages.props",
        "Directory.Build.props",
    ]
    .iter()
    .chain(MANIFESTS)
    .find(|exact| exact.eq_ignore_ascii_case(name))
    .copied()
}

/// One entry of a folder listing that the walk keeps (see [`Entry::of`]), with what its name
/// says worked out once.
pub(super) struct Entry {
    pub(super) path: PathBuf,
    pub(super) kind: EntryType,
    /// The config file kind its name gives ([`classify`]).
    pub(super) class: Option<Kind>,
    /// What else its name makes it.
    pub(super) name: Named,
}

/// What an entry's name makes it, besides a config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Named {
    /// `.git`: a folder, or the file of a worktree or submodule.
    Git,
    /// The ignore file ([`IGNORE_FILE`]).
    IgnoreFile,
    /// One of [`SKIPPED_DIRS`].
    Skipped,
    /// Anything else.
    Other,
}

impl Entry {
    /// The entry `name` of folder `dir`, when the walk needs it: a folder it may enter,
    /// anything named like a config file, a `.git`, or an ignore file. Every other entry is
    /// dropped without a path being made for it (most entries of a source tree are such
    /// files).
    pub(super) fn of(dir: &Path, name: &OsStr, kind: EntryType) -> Option<Entry> {
        let named = if name == ".git" {
            Named::Git
        } else if name == IGNORE_FILE {
            Named::IgnoreFile
        } else if is_skipped_dir(name) {
            Named::Skipped
        } else {
            Named::Other
        };
        let class = classify(name);
        let wanted = class.is_some()
            || matches!(named, Named::Git | Named::IgnoreFile)
            || (kind == EntryType::Dir && named != Named::Skipped);
        wanted.then(|| Entry {
            path: dir.join(name),
            kind,
            class,
            name: named,
        })
    }
}

/// What a listed entry is, as the listing says (links are not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EntryType {
    Dir,
    Symlink,
    /// A regular file.
    File,
    /// A pipe, socket or device.
    Other,
}

/// Whether `name` is one of [`SKIPPED_DIRS`].
pub(super) fn is_skipped_dir(name: &OsStr) -> bool {
    let name = name.as_encoded_bytes();
    SKIPPED_DIRS.iter().any(|dir| dir.as_bytes() == name)
}

/// What a listed entry is, when it is one of the files an app is made of.
///
/// Regular files count, and so does anything else with such a name — a symbolic link to a
/// file, but also a dangling link, a link loop, a pipe, a folder or a link to one — so that
/// reading it gives the app a DTS501 that names it instead of the file silently missing (which
/// would let `--write` migrate an app it only half saw). Only language manifests and
/// `function.json`, which merely hint at the hosting model, must be files to count.
pub(super) fn config_file(entry: &Entry) -> Option<Kind> {
    let kind = entry.class?;
    let is_dir =
        entry.kind == EntryType::Dir || (entry.kind == EntryType::Symlink && entry.path.is_dir());
    if is_dir && matches!(kind, Kind::Manifest | Kind::FunctionJson) {
        return None;
    }
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn names_are_classified_ignoring_case_and_only_when_utf8() {
        use std::os::unix::ffi::OsStrExt;
        let of = |name: &[u8]| classify(OsStr::from_bytes(name));
        assert_eq!(of(b"HOST.json"), Some(Kind::Host));
        assert_eq!(of(b"App.CsProj"), Some(Kind::Project));
        assert_eq!(of(b"Directory.Build.props"), Some(Kind::Props));
        assert_eq!(of(b"host.json.bak"), None);
        // A name that is not UTF-8 is no config file, whatever it ends with.
        assert_eq!(of(b"\xffApp.csproj"), None);
        assert_eq!(of(b"host.json\xff"), None);
        assert!(is_skipped_dir(OsStr::new("node_modules")));
        assert!(!is_skipped_dir(OsStr::new("Node_Modules")));
        assert!(!is_skipped_dir(OsStr::from_bytes(b"node_modules\xff")));
    }
}
