//! The parallel walk: each folder is listed once on the rayon pool, decides at once whether it
//! is an app and which files are its, and hands its props chain and ignore chain down to its
//! subfolders.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::listing::for_each_entry;
use super::names::{config_file, exact_name, Entry, EntryType, Kind, Named};
use super::*;

/// One run of the walk: what its tasks found, gathered as they go.
///
/// The walk is written here rather than taken from the `ignore` crate's walker because
/// everything it decides is per folder: a folder's listing says at once whether it is an app
/// (and which files are its), whether it holds props files, a `.git` or a
/// `.dts-migrate-ignore` — so the ignore file is read only where one exists, the props chain
/// and ignore chain pass down to subfolders as they are, and no grouping of single files
/// into apps is left for after the walk. Folders are listed in parallel on the rayon pool.
#[derive(Default)]
pub(super) struct Walk {
    /// Apps, with the index of the root they were found from.
    apps: Mutex<Vec<(usize, AppFiles)>>,
    /// `function.json` files (with their root's index), attached to their apps (one folder
    /// up) after the walk.
    function_jsons: Mutex<Vec<(usize, PathBuf)>>,
    problems: Mutex<Vec<WalkProblem>>,
}

/// The config files a folder's listing holds: each with its kind, and those the listing shows
/// as links, and as anything but a regular file.
struct Found {
    files: Vec<(PathBuf, Kind)>,
    links: Vec<PathBuf>,
    not_regular: Vec<PathBuf>,
}

/// A folder to list, with what it inherits from the folders above it.
pub(super) struct Folder {
    path: PathBuf,
    /// The index of the walk root it is below.
    root: usize,
    /// 0 for a walk root.
    depth: usize,
    /// Entries deeper than this are not looked at (None: no limit).
    max_depth: Option<usize>,
    /// The ignore files of the folders above (the folder's own is read when it is listed).
    ignores: Option<Arc<IgnoreChain>>,
    /// The props files of the folders above, nearest first, up to the repository root.
    props_above: Arc<[PathBuf]>,
}

impl Walk {
    /// Walks the tree at `root`.
    pub(super) fn root<'s>(&'s self, scope: &rayon::Scope<'s>, index: usize, root: &Root) {
        // The ignore files of the folders above apply to the root as to any folder: a path
        // given on the command line (a file pre-commit passes) that they ignore is skipped.
        let Some(ignores) = self.ignores_above(root) else {
            return;
        };
        let folder = Folder {
            path: root.path().to_path_buf(),
            root: index,
            depth: 0,
            // An app's files, and its function.json files one folder down.
            max_depth: (root.scope == Scope::App).then_some(2),
            ignores,
            props_above: props_above_root(root.path()).into(),
        };
        self.folder(scope, folder);
    }

    /// The ignore files of the folders above `root`, up to its repository (the nearest folder
    /// with `.git`) or the file system's root: `Some(chain)` (`Some(None)` when there are
    /// none), or `None` when they ignore the root itself or a folder between. Their patterns
    /// are matched against canonical paths, into which the walk's paths below the root are
    /// rebased.
    fn ignores_above(&self, root: &Root) -> Option<Option<Arc<IgnoreChain>>> {
        let mut above: Vec<&Path> = Vec::new();
        if !root.canonical().join(".git").exists() {
            for dir in root.canonical().ancestors().skip(1) {
                above.push(dir);
                if dir.join(".git").exists() {
                    break;
                }
            }
        }
        let rebase = Arc::clone(&root.walked);
        let mut chain: Option<Arc<IgnoreChain>> = None;
        // From the top down: each folder's file applies to the folder below it on the way.
        for (i, dir) in above.iter().enumerate().rev() {
            if dir.join(IGNORE_FILE).is_file() {
                if let Some(matcher) = self.read_ignore_file(dir) {
                    chain = Some(Arc::new(IgnoreChain {
                        matcher,
                        parent: chain,
                        rebase: Some(Arc::clone(&rebase)),
                    }));
                }
            }
            let next = if i == 0 {
                root.canonical()
            } else {
                above[i - 1]
            };
            if chain.as_ref().is_some_and(|c| c.ignores(next, true)) {
                return None;
            }
        }
        Some(chain)
    }

    /// Lists `folder`, records its app (if it is one) and queues its subfolders.
    fn folder<'s>(&'s self, scope: &rayon::Scope<'s>, folder: Folder) {
        let Some((entries, complete)) = self.list(&folder.path) else {
            return;
        };
        // The folder's own ignore file applies to its entries.
        let ignores = match entries.iter().any(|e| e.name == Named::IgnoreFile) {
            true => match self.read_ignore_file(&folder.path) {
                Some(matcher) => Some(Arc::new(IgnoreChain {
                    matcher,
                    parent: folder.ignores.clone(),
                    rebase: None,
                })),
                None => folder.ignores.clone(),
            },
            false => folder.ignores.clone(),
        };
        let entry_depth = folder.depth + 1;
        let mut is_repo_root = false;
        let mut files: Vec<(PathBuf, Kind)> = Vec::new();
        let mut links: Vec<PathBuf> = Vec::new();
        let mut not_regular: Vec<PathBuf> = Vec::new();
        let mut subfolders: Vec<PathBuf> = Vec::new();
        for entry in entries {
            let is_dir = entry.kind == EntryType::Dir;
            if ignores
                .as_ref()
                .is_some_and(|chain| chain.ignores(&entry.path, is_dir))
            {
                continue;
            }
            // A `.git` folder, or the `.git` file of a worktree or submodule.
            if entry.name == Named::Git {
                is_repo_root = true;
            }
            if is_dir && matches!(entry.name, Named::Git | Named::Skipped) {
                continue;
            }
            let enter = is_dir && folder.max_depth.is_none_or(|d| entry_depth < d);
            let config = config_file(&entry);
            if config.is_some() {
                if entry.kind == EntryType::Symlink {
                    links.push(entry.path.clone());
                }
                if entry.kind != EntryType::File {
                    not_regular.push(entry.path.clone());
                }
            }
            match (config, enter) {
                (Some(kind), true) => {
                    files.push((entry.path.clone(), kind));
                    subfolders.push(entry.path);
                }
                (Some(kind), false) => files.push((entry.path, kind)),
                (None, true) => subfolders.push(entry.path),
                (None, false) => {}
            }
        }
        self.keep_exact_names(&mut files);
        let mut own_props: Vec<PathBuf> = files
            .iter()
            .filter(|(_, k)| *k == Kind::Props)
            .map(|(p, _)| p.clone())
            .collect();
        own_props.sort();
        let props: Arc<[PathBuf]> = if is_repo_root {
            own_props.into()
        } else if own_props.is_empty() {
            Arc::clone(&folder.props_above)
        } else {
            own_props.extend(folder.props_above.iter().cloned());
            own_props.into()
        };
        // An app seen only in part is not an app to check or migrate: its folder's problem
        // is reported instead.
        if complete {
            let found = Found {
                files,
                links,
                not_regular,
            };
            self.record(folder.root, &folder.path, found, Arc::clone(&props));
        }
        for path in subfolders {
            let sub = Folder {
                path,
                root: folder.root,
                depth: entry_depth,
                max_depth: folder.max_depth,
                ignores: ignores.clone(),
                props_above: Arc::clone(&props),
            };
            scope.spawn(move |scope| self.folder(scope, sub));
        }
    }

    /// The entries of folder `dir` that the walk needs, and whether the listing is complete;
    /// None (and a problem) when the folder cannot be listed. Any failure on the way is a
    /// problem and leaves the listing incomplete.
    fn list(&self, dir: &Path) -> Option<(Vec<Entry>, bool)> {
        let mut entries = Vec::new();
        let listed = for_each_entry(dir, &mut |name, kind| {
            entries.extend(Entry::of(dir, name, kind));
        });
        match listed {
            Ok(errors) => {
                for err in &errors {
                    self.unseen(dir, err);
                }
                Some((entries, errors.is_empty()))
            }
            Err(err) => {
                self.unseen(dir, &err);
                None
            }
        }
    }

    /// Records the app in `dir`, if its config files include a host.json, and keeps its
    /// function.json files for later.
    fn record(&self, root: usize, dir: &Path, found: Found, props: Arc<[PathBuf]>) {
        let Found {
            files,
            links,
            not_regular,
        } = found;
        if files.is_empty() {
            return;
        }
        let mut app = AppFiles {
            dir: dir.to_path_buf(),
            props,
            links,
            not_regular,
            ..Default::default()
        };
        let mut is_app = false;
        let mut function_jsons = Vec::new();
        for (path, kind) in files {
            match kind {
                Kind::Host => {
                    app.host = path;
                    is_app = true;
                }
                Kind::LocalSettings => app.local_settings = Some(path),
                Kind::Project => app.projects.push(path),
                Kind::ExtensionsProject => app.extensions_project = Some(path),
                Kind::Manifest => app.manifests.push(path),
                Kind::FunctionJson => function_jsons.push((root, path)),
                Kind::Props => {}
            }
        }
        if !function_jsons.is_empty() {
            if let Ok(mut all) = self.function_jsons.lock() {
                all.append(&mut function_jsons);
            }
        }
        if is_app {
            app.projects.sort();
            app.manifests.sort();
            if let Ok(mut apps) = self.apps.lock() {
                apps.push((root, app));
            }
        }
    }

    /// Records a problem met at `path`.
    fn problem(&self, path: &Path, message: String) {
        self.push_problem(path, message, false);
    }

    /// Records that folder `dir` could not be listed (or not completely): what is in it is
    /// not checked, and the run fails.
    fn unseen(&self, dir: &Path, err: &io::Error) {
        let reason = if name_too_long(err) {
            "its path is longer than the system allows (PATH_MAX)".to_string()
        } else {
            err.to_string()
        };
        let message = format!("{reason}; the folder was not checked");
        self.push_problem(dir, message, true);
    }

    fn push_problem(&self, path: &Path, message: String, unseen: bool) {
        if let Ok(mut problems) = self.problems.lock() {
            problems.push(WalkProblem {
                path: Some(path.to_path_buf()),
                message,
                unseen,
            });
        }
    }

    /// One file per name: when a folder holds a config file under two spellings that differ
    /// only in letter case (`host.json` and `HOST.JSON`, possible on a case-sensitive file
    /// system), the app gets the one with the exact name the runtime and the build read, and
    /// each other spelling is a walk problem naming it; with no exact spelling, the first in
    /// byte order. Which one a listing returns last is not a choice. Project files are left
    /// as they are: `App.csproj` and `app.csproj` are two projects (DTS502).
    fn keep_exact_names(&self, files: &mut Vec<(PathBuf, Kind)>) {
        // Names that fold alike are of one kind (`classify` ignores case): only files of one
        // kind are compared.
        let clash = files.iter().enumerate().any(|(i, (a, kind))| {
            *kind != Kind::Project
                && files[..i]
                    .iter()
                    .any(|(b, other)| other == kind && folded(a).eq(folded(b)))
        });
        if !clash {
            return;
        }
        files.sort_by(|(a, _), (b, _)| {
            folded(a)
                .cmp(folded(b))
                .then_with(|| a.file_name().cmp(&b.file_name()))
        });
        let mut kept: Vec<(PathBuf, Kind)> = Vec::with_capacity(files.len());
        let mut rest = std::mem::take(files).into_iter().peekable();
        while let Some(first) = rest.next() {
            let mut group = vec![first];
            while let Some(next) = rest.next_if(|(path, kind)| {
                *kind != Kind::Project && folded(path).eq(folded(&group[0].0))
            }) {
                group.push(next);
            }
            self.keep_one(group, &mut kept);
        }
        *files = kept;
    }

    /// Moves the file of `group` (one name in several letter cases) that the app gets to
    /// `kept`, and reports the others.
    fn keep_one(&self, mut group: Vec<(PathBuf, Kind)>, kept: &mut Vec<(PathBuf, Kind)>) {
        if group.len() < 2 {
            kept.append(&mut group);
            return;
        }
        let exact = group[0].0.file_name().and_then(exact_name);
        let chosen = group
            .iter()
            .position(|(p, _)| exact.is_some_and(|e| p.file_name() == Some(OsStr::new(e))))
            .unwrap_or(0);
        let chosen_name = group[chosen]
            .0
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        for (i, (path, _)) in group.iter().enumerate() {
            if i == chosen {
                continue;
            }
            let message = match exact {
                Some(e) if e == chosen_name => format!(
                    "ignored: this folder also holds {e}, the exact name that is read (by the Functions host, Core Tools or MSBuild); delete or rename this file"
                ),
                Some(e) => format!(
                    "ignored: this folder also holds {chosen_name}, a name that differs only in letter case, and dts-migrate reads that one; on a case-sensitive file system neither is read (only {e} would be)"
                ),
                None => format!(
                    "ignored: this folder also holds {chosen_name}, a name that differs only in letter case, and dts-migrate reads that one"
                ),
            };
            self.problem(path, message);
        }
        kept.push(group.swap_remove(chosen));
    }

    /// Reads and compiles the ignore file of `dir`. None when there is none, when it has no
    /// patterns, or when it cannot be used (which is recorded as a problem). A line that is
    /// not a valid pattern is recorded and skipped; the other lines still apply.
    fn read_ignore_file(&self, dir: &Path) -> Option<Gitignore> {
        let path = dir.join(IGNORE_FILE);
        let read = match read_bounded(&path, IGNORE_FILE_LIMIT) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => return None,
            Err(err) => Err(format!("the file cannot be read: {}", io_reason(&err))),
            Ok(read) => read.into_bytes(IGNORE_FILE_LIMIT),
        };
        let bytes = match read {
            Ok(bytes) => bytes,
            Err(message) => {
                self.problem(&path, message);
                return None;
            }
        };
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        // Counted before anything is compiled: the matcher's memory grows with the patterns.
        let patterns = text
            .split(|&b| b == b'\n')
            .filter(|line| !line.starts_with(b"#") && line.iter().any(|b| !b.is_ascii_whitespace()))
            .count();
        if patterns > IGNORE_FILE_PATTERNS {
            self.problem(
                &path,
                format!("the file holds {patterns} patterns, over the limit of {IGNORE_FILE_PATTERNS}; it was not used"),
            );
            return None;
        }
        let mut builder = GitignoreBuilder::new(dir);
        let mut bad_lines = 0usize;
        for (i, line) in text.split(|&b| b == b'\n').enumerate() {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let error = match std::str::from_utf8(line) {
                Ok(line) => match builder.add_line(Some(path.clone()), line) {
                    Ok(_) => continue,
                    Err(err) => err.to_string(),
                },
                Err(_) => "it is not valid UTF-8".to_string(),
            };
            bad_lines += 1;
            if bad_lines <= IGNORE_LINE_PROBLEMS {
                self.problem(
                    &path,
                    format!("line {}: {error}; the line was skipped", i + 1),
                );
            }
        }
        if bad_lines > IGNORE_LINE_PROBLEMS {
            let more = bad_lines - IGNORE_LINE_PROBLEMS;
            self.problem(
                &path,
                format!("{more} more lines cannot be used either; they were skipped"),
            );
        }
        match builder.build() {
            Ok(matcher) if matcher.is_empty() => None,
            Ok(matcher) => Some(matcher),
            Err(err) => {
                self.problem(&path, format!("{err}; the file was not used"));
                None
            }
        }
    }

    /// The apps, sorted by folder, with their function.json files attached. An app root
    /// names one app: the apps below it (met while looking for its function.json files) are
    /// left out. A folder found from several roots (overlapping roots, or roots spelled
    /// differently) is one app, spelled as under the root named first.
    pub(super) fn into_discovery(self, roots: &[Root]) -> Discovery {
        let mut found = self.apps.into_inner().unwrap_or_default();
        found.retain(|(root, app)| {
            roots[*root].scope == Scope::Tree || app.dir == roots[*root].path()
        });
        for (root, app) in &mut found {
            app.walked = Some(Arc::clone(&roots[*root].walked));
        }
        let function_jsons = self.function_jsons.into_inner().unwrap_or_default();
        let mut apps = if roots.len() == 1 {
            order::one_root(found, function_jsons)
        } else {
            order::several_roots(found, function_jsons, roots)
        };
        for app in &mut apps {
            app.function_jsons.sort();
            app.function_jsons.dedup();
        }
        // The list lives as long as the run: no room kept for more.
        apps.shrink_to_fit();
        Discovery {
            apps,
            problems: self.problems.into_inner().unwrap_or_default(),
        }
    }
}

/// The bytes of the file name of `path` in lower case, compared without a copy.
fn folded(path: &Path) -> impl Iterator<Item = u8> + '_ {
    path.file_name()
        .unwrap_or_default()
        .as_encoded_bytes()
        .iter()
        .map(u8::to_ascii_lowercase)
}

/// Whether `err` says a path is longer than the system allows.
fn name_too_long(err: &io::Error) -> bool {
    #[cfg(unix)]
    {
        err.raw_os_error() == Some(rustix::io::Errno::NAMETOOLONG.raw_os_error())
    }
    #[cfg(not(unix))]
    {
        let _ = err;
        false
    }
}

/// The ignore files in force in a folder, nearest first: each node is the matcher of one file,
/// linked to the files of the folders above it.
pub(super) struct IgnoreChain {
    /// The patterns of one ignore file, rooted at the folder holding it.
    matcher: Gitignore,
    /// The next ignore file up, if any.
    parent: Option<Arc<IgnoreChain>>,
    /// For the files above a walk root, whose patterns are rooted at canonical folders: the
    /// walk root, which rebases the walk's paths onto its canonical path.
    rebase: Option<Arc<WalkRoot>>,
}

impl IgnoreChain {
    /// Whether `path` is ignored: the nearest file with a decisive match for it decides (so a
    /// `!pattern` in a deeper file re-includes what a shallower file ignores, as in git). A
    /// canonical path (at or above a walk root) is matched as it is.
    fn ignores(&self, path: &Path, is_dir: bool) -> bool {
        let mut node = Some(self);
        let mut rebased: Option<PathBuf> = None;
        while let Some(chain) = node {
            let path = match &chain.rebase {
                Some(rebase) => rebased.get_or_insert_with(|| rebase.canonical_of(path)),
                None => path,
            };
            match chain.matcher.matched(path, is_dir) {
                ignore::Match::Ignore(_) => return true,
                ignore::Match::Whitelist(_) => return false,
                ignore::Match::None => node = chain.parent.as_deref(),
            }
        }
        false
    }
}
