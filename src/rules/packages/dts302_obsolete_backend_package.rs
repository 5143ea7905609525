//! DTS302 `obsolete-backend-package`: MSSQL or Netherite provider packages left in a project
//! (or extensions.csproj) of an app on the Durable Task Scheduler. The fix removes the
//! reference; unsafe for WebJobs packages, whose types the code may use.

use super::PackageUse;
use crate::facts::{facts, starts_with_ci, BackendId};
use crate::finding::{Finding, Span};
use crate::fix::Applicability;
use crate::rules::{fix_across, Context};
use crate::syntax::msbuild_edit::remove_element;

/// DTS302: MSSQL or Netherite provider packages left in an app on DTS.
pub(super) fn obsolete(
    cx: &Context<'_>,
    uses: &[PackageUse<'_>],
    extensions: bool,
    out: &mut Vec<Finding>,
) {
    let f = facts();
    for u in uses {
        let id = &u.item.id.value;
        let Some(backend) = f.backend_of_package(id) else {
            continue;
        };
        if backend == BackendId::Dts {
            continue;
        }
        // Worker extension packages and extensions.csproj carry no API the code can use.
        let safe = extensions
            || f.packages
                .isolated_prefixes
                .iter()
                .any(|p| starts_with_ci(id, p));
        let applicability = if safe {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        };
        let edit = remove_element(&u.project.file.text, u.item.element.clone());
        let label = &f.backend(backend).label;
        let mut finding = Finding::new(
            "DTS302",
            Span::new(&u.project.file, u.item.id.range.clone()),
            format!("{id} is the {label} provider; the app runs on the Durable Task Scheduler and no longer uses it"),
        )
        .label(format!("{label} provider package"))
        .fix(fix_across(
            cx.app,
            format!("remove the {id} reference"),
            applicability,
            vec![(u.project.file.clone(), edit)],
        ));
        if !safe {
            finding = finding.help(format!(
                "remove the reference and any code that uses {label} types (the fix is unsafe for that reason)"
            ));
        }
        out.push(finding);
    }
}
