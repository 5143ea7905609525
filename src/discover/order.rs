//! The order of the apps a walk found: sorted by folder in the order of [`Path::cmp`], the
//! same folder met from several roots kept once, and each `function.json` given to its app.

use std::path::{Path, PathBuf};

use super::Root;
use crate::model::AppFiles;

/// The apps of a walk from one root, sorted by folder, with their function.json files. A
/// walk of one tree meets each folder once, and every path shares the root's spelling.
pub(super) fn one_root(
    mut found: Vec<(usize, AppFiles)>,
    function_jsons: Vec<(usize, PathBuf)>,
) -> Vec<AppFiles> {
    sort_by_path(&mut found, true, |(_, app)| (app.dir.as_path(), 0));
    let mut apps: Vec<AppFiles> = found.into_iter().map(|(_, app)| app).collect();
    for (_, path) in function_jsons {
        let Some(app_dir) = joined_parent(&path).and_then(joined_parent) else {
            continue;
        };
        if let Ok(i) = apps.binary_search_by(|a| joined_order(&a.dir, app_dir)) {
            apps[i].function_jsons.push(path);
        }
    }
    apps
}

/// The apps of a walk from several roots, keyed by canonical folder to find the folders met
/// from more than one, sorted by folder, with their function.json files.
pub(super) fn several_roots(
    found: Vec<(usize, AppFiles)>,
    function_jsons: Vec<(usize, PathBuf)>,
    roots: &[Root],
) -> Vec<AppFiles> {
    let mut apps: Vec<(PathBuf, usize, AppFiles)> = found
        .into_iter()
        .map(|(root, app)| (roots[root].walked.canonical_of(&app.dir), root, app))
        .collect();
    sort_by_path(&mut apps, false, |(canonical, root, _)| {
        (canonical.as_path(), *root)
    });
    apps.dedup_by(|later, first| later.0 == first.0);
    for (root, path) in function_jsons {
        let Some(app_dir) = function_json_app(&path) else {
            continue;
        };
        let key = roots[root].walked.canonical_of(app_dir);
        let Ok(i) = apps.binary_search_by(|a| a.0.cmp(&key)) else {
            continue;
        };
        let (_, app_root, app) = &mut apps[i];
        let path = match (*app_root == root, path.strip_prefix(app_dir)) {
            (false, Ok(rest)) => app.dir.join(rest),
            _ => path,
        };
        app.function_jsons.push(path);
    }
    sort_by_path(&mut apps, false, |(_, _, app)| (app.dir.as_path(), 0));
    apps.into_iter().map(|(_, _, app)| app).collect()
}

/// The app folder of a `function.json` file: one folder up from the function's folder.
fn function_json_app(path: &Path) -> Option<&Path> {
    let app_dir = path.parent().and_then(Path::parent)?;
    Some(if app_dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        app_dir
    })
}

/// Sorts `items` by the path and number `key` gives, in the order of [`Path::cmp`] (by
/// components). With `joined` (paths the walk made by joining names to one root's spelling),
/// paths are compared as bytes ([`joined_order`]); else each path is split into its
/// components once, rather than at every comparison. Items move once, in the sorted order:
/// sorting 10,000 apps in place took 30 ms of one core, serial work of every run.
fn sort_by_path<T: Send + Sync>(
    items: &mut Vec<T>,
    joined: bool,
    key: impl Fn(&T) -> (&Path, usize) + Sync,
) {
    use rayon::prelude::*;
    let order: Vec<usize> = if joined {
        // Each path's bytes as `joined_order` ranks them, so the sort compares with memcmp.
        let mut keys: Vec<(Vec<u8>, usize, usize)> = items
            .par_iter()
            .enumerate()
            .map(|(i, item)| {
                let (path, n) = key(item);
                (joined_key(path), n, i)
            })
            .collect();
        keys.par_sort_unstable();
        keys.into_iter().map(|(_, _, i)| i).collect()
    } else {
        let mut keys: Vec<(Vec<std::path::Component<'_>>, usize, usize)> = items
            .par_iter()
            .enumerate()
            .map(|(i, item)| {
                let (path, n) = key(item);
                (path.components().collect(), n, i)
            })
            .collect();
        keys.par_sort_unstable();
        keys.into_iter().map(|(_, _, i)| i).collect()
    };
    permute(items, order);
}

/// Reorders `items` so that item `k` is the one that was at `order[k]` (a permutation), in
/// place: no second copy of every app, which at 10,000 apps was the walk's peak of memory.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut k = start;
        while order[k] != start {
            let from = order[k];
            items.swap(k, from);
            order[k] = k;
            k = from;
        }
        order[k] = k;
    }
}

/// The folder of a path the walk joined (`dir` of `dir/name`), spelled as `dir` is, even when
/// `Path::parent` would normalise it (`app/.` stays `app/.`). Elsewhere than on Unix,
/// [`Path::parent`].
fn joined_parent(path: &Path) -> Option<&Path> {
    #[cfg(unix)]
    {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        let at = bytes.iter().rposition(|&c| c == b'/')?;
        Some(Path::new(OsStr::from_bytes(&bytes[..at.max(1)])))
    }
    #[cfg(not(unix))]
    {
        path.parent()
    }
}

/// The bytes of `path` as [`joined_order`] ranks them: without trailing separators (a root
/// spelled `app/` is the folder `Path::parent` gives as `app`), each separator made 0, which
/// no file name holds, so it sorts below every other byte.
#[cfg(unix)]
fn ranked(path: &Path) -> impl Iterator<Item = u8> + '_ {
    trimmed(path).iter().map(|&c| if c == b'/' { 0 } else { c })
}

/// The bytes of `path` without trailing separators (a lone `/` stays).
#[cfg(unix)]
fn trimmed(path: &Path) -> &[u8] {
    let bytes = path.as_os_str().as_encoded_bytes();
    let end = bytes
        .iter()
        .rposition(|&c| c != b'/')
        .map_or(bytes.len().min(1), |i| i + 1);
    &bytes[..end]
}

/// The bytes of a joined path that sort as [`joined_order`] orders the paths ([`ranked`]).
/// Elsewhere than on Unix, the bytes of its components, each followed by 0.
fn joined_key(path: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        ranked(path).collect()
    }
    #[cfg(not(unix))]
    {
        let mut key = Vec::new();
        for component in path.components() {
            key.extend_from_slice(component.as_os_str().as_encoded_bytes());
            key.push(0);
        }
        key
    }
}

/// [`Path::cmp`] for paths that share one spelling of their root and go on with names joined
/// by the walk (no `.`, `..` or doubled separator after the root): the bytes, without trailing
/// separators, compared with the separator below every other byte, which is the order of
/// their components, without splitting them. Elsewhere than on Unix, [`Path::cmp`] itself.
fn joined_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    #[cfg(unix)]
    {
        ranked(a).cmp(ranked(b))
    }
    #[cfg(not(unix))]
    {
        a.cmp(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paths as a walk from `root` makes them, from names that sort around the separator.
    fn joined(root: &str, names: &[&str]) -> PathBuf {
        names.iter().fold(PathBuf::from(root), |p, n| p.join(n))
    }

    #[test]
    fn permuting_in_place_puts_each_item_where_the_order_says() {
        let mut state: u64 = 7;
        for n in [0, 1, 2, 3, 10, 257] {
            let mut order: Vec<usize> = (0..n).collect();
            // A Fisher-Yates shuffle.
            for i in (1..n).rev() {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                order.swap(i, (state >> 33) as usize % (i + 1));
            }
            let items: Vec<String> = (0..n).map(|i| format!("item {i}")).collect();
            let mut permuted = items.clone();
            permute(&mut permuted, order.clone());
            let expected: Vec<String> = order.iter().map(|&i| items[i].clone()).collect();
            assert_eq!(permuted, expected, "{n}");
        }
    }

    #[test]
    fn joined_order_is_the_order_of_components() {
        const NAMES: [&str; 7] = ["a", "a-b", "a.b", "ab", "A", "a b", "é"];
        for root in ["t", "t/", "t//", "./t/.", "/t", "/"] {
            let mut paths = vec![PathBuf::from(root)];
            for x in NAMES {
                paths.push(joined(root, &[x]));
                for y in NAMES {
                    paths.push(joined(root, &[x, y]));
                }
            }
            for a in &paths {
                for b in &paths {
                    assert_eq!(joined_order(a, b), a.cmp(b), "{a:?} {b:?}");
                    assert_eq!(joined_key(a).cmp(&joined_key(b)), a.cmp(b), "{a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn a_function_json_finds_its_app_however_the_root_is_spelled() {
        for root in ["app", "app/", "app//", "app/.", "./app/./", "/"] {
            let app = AppFiles {
                dir: PathBuf::from(root),
                ..AppFiles::default()
            };
            let function_json = joined(root, &["F1", "function.json"]);
            let apps = one_root(vec![(0, app)], vec![(0, function_json.clone())]);
            assert_eq!(apps[0].function_jsons, [function_json], "{root}");
        }
    }
}
