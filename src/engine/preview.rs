//! What `--write` would do, seen from a plain check ([`preview`]): the apps fixed in memory
//! and their writes planned as `--write` plans them, so that a check never claims a fix that
//! `--write` would refuse, and the human report can count the fixes and files. Only in runs of
//! at most [`COUNTED_APPS`] apps: beyond, it would cost as much as `--write`, and the check
//! streams its report as it goes, before any app could be fixed.

use std::path::PathBuf;

use rayon::prelude::*;

use super::{fix_one, planned_writes, Options, Outcome};
use crate::fix;
use crate::model;

/// Runs of more apps than this are not fixed in memory by a plain check ([`preview`]): that
/// costs as much as `--write`.
pub const COUNTED_APPS: usize = 200;

/// What `--write` would do after a plain check, from fixing the apps in memory and planning
/// their writes as `--write` does.
#[derive(Debug, Default)]
pub struct Preview {
    /// Fixes applied.
    pub fixes: usize,
    /// Files written.
    pub files: usize,
    /// Apps `--write` would hold (folder, why).
    pub held: Vec<(PathBuf, String)>,
}

/// The [`Preview`] of `--write` at `allowed` for the apps `apps`; `None` when there are more
/// than [`COUNTED_APPS`].
pub fn preview(
    apps: &[model::AppFiles],
    options: &Options,
    allowed: fix::Applicability,
) -> Option<Preview> {
    if apps.len() > COUNTED_APPS {
        return None;
    }
    let fixes = crate::discover::Pool::new(options.threads).run(|| {
        apps.par_iter()
            .map(|files| (files.dir.clone(), fix_one(files, options, allowed)))
            .collect()
    });
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
