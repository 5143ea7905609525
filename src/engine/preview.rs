//! What `--write` would do, seen from a plain check ([`preview`]): the apps with a fixable
//! finding fixed in memory and their writes planned as `--write` plans them, so that a check
//! never claims a fix that `--write` would refuse, and the human report can count the fixes and
//! files. Bounded to [`COUNTED_APPS`] apps: beyond, it would cost as much as `--write`.

use std::collections::HashSet;
use std::path::PathBuf;

use rayon::prelude::*;

use super::{fix_one, hold, planned_writes, Options, Outcome};
use crate::fix;
use crate::model;

/// Apps with more fixable findings than this are not fixed in memory by a plain check
/// ([`preview`]): that costs as much as `--write`.
pub const COUNTED_APPS: usize = 200;

/// What `--write` would do after a plain check, from fixing in memory the apps with a fixable
/// finding and planning their writes as `--write` does.
#[derive(Debug, Default)]
pub struct Preview {
    /// Fixes applied.
    pub fixes: usize,
    /// Files written.
    pub files: usize,
    /// Apps `--write` would hold (folder, why).
    pub held: Vec<(PathBuf, String)>,
}

/// The [`Preview`] of `--write` at `allowed` after the plain check `outcome`; `None` when more
/// than [`COUNTED_APPS`] apps have a fixable finding.
pub fn preview(
    outcome: &Outcome,
    options: &Options,
    allowed: fix::Applicability,
) -> Option<Preview> {
    let fixable: HashSet<&std::path::Path> = outcome
        .findings
        .iter()
        .filter(|f| f.fix.as_ref().is_some_and(|x| x.applicability >= allowed))
        .map(|f| f.span.file.path.as_path())
        .collect();
    let apps: Vec<&model::AppFiles> = outcome
        .discovered
        .iter()
        .filter(|a| {
            own_files(a)
                .chain(&a.props)
                .any(|p| fixable.contains(p.as_path()))
        })
        .collect();
    if apps.len() > COUNTED_APPS {
        return None;
    }
    let fixes = apps
        .par_iter()
        .map(|files| (files.dir.clone(), fix_one(files, options, allowed)))
        .collect();
    let fixed = Outcome {
        fixes,
        ..Outcome::default()
    };
    // Held as `--write` holds: refused, not converged, or a shared file changed two ways.
    let (writes, held) = planned_writes(&fixed);
    let held = held.into_iter().map(|h| (h.app, h.reason)).collect();
    Some(Preview {
        fixes: writes
            .iter()
            .filter_map(|w| fixed.fix_of(&w.app))
            .map(|fix| fix.applied.len())
            .sum(),
        files: writes.iter().map(|w| w.files.len()).sum(),
        held,
    })
}

/// An app's own files (not the props files it shares).
fn own_files(a: &model::AppFiles) -> impl Iterator<Item = &PathBuf> {
    std::iter::once(&a.host)
        .chain(&a.local_settings)
        .chain(&a.projects)
        .chain(&a.extensions_project)
}

impl Outcome {
    /// Marks the fixes of the findings in the own files of the apps `held` (folder, why) as
    /// not applied, so that no report counts or marks them as fixable.
    pub fn mark_held(&mut self, held: &[(PathBuf, String)]) {
        for (dir, reason) in held {
            let Ok(i) = self.discovered.binary_search_by(|a| a.dir.cmp(dir)) else {
                continue;
            };
            let own: HashSet<&PathBuf> = own_files(&self.discovered[i]).collect();
            for finding in &mut self.findings {
                if own.contains(&finding.span.file.path) {
                    hold::mark_held(std::slice::from_mut(finding), reason);
                }
            }
        }
    }
}
