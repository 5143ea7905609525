//! DTS305 `mixed-hosting-packages`: isolated (worker) and in-process (WebJobs) Durable packages
//! in one project; each package of the model the project is not on is reported. No fix: the
//! help says which references to remove.

use crate::facts::packages::package_facts;
use crate::facts::{facts, starts_with_ci};
use crate::finding::{Finding, Span};
use crate::model::{Hosting, Parsed};
use crate::rules::Context;
use crate::syntax::msbuild::{PackageItem, Project};

/// DTS305: isolated (worker) and in-process (WebJobs) Durable packages in one project.
pub(super) fn mixed_hosting(cx: &Context<'_>, project: &Parsed<Project>, out: &mut Vec<Finding>) {
    let f = facts();
    let worker_prefix = &package_facts().isolated.durable.id;
    let refs = &project.doc.package_references;
    let worker: Vec<&PackageItem> = refs
        .iter()
        .filter(|r| starts_with_ci(&r.id.value, worker_prefix))
        .collect();
    let webjobs: Vec<&PackageItem> = refs
        .iter()
        .filter(|r| {
            f.is_durable_package(&r.id.value) && !starts_with_ci(&r.id.value, worker_prefix)
        })
        .collect();
    let (Some(first_worker), Some(first_webjobs)) = (worker.first(), webjobs.first()) else {
        return;
    };
    let isolated = cx.hosting == Hosting::Isolated;
    let (wrong, other) = if isolated {
        (&webjobs, first_worker)
    } else {
        (&worker, first_webjobs)
    };
    let (model, other_model) = if isolated {
        ("in-process (WebJobs)", "isolated worker")
    } else {
        ("isolated worker", "in-process (WebJobs)")
    };
    for r in wrong {
        out.push(
            Finding::new(
                "DTS305",
                Span::new(&project.file, r.id.range.clone()),
                format!(
                    "{} is an {model} Durable package in a project that also references {}, an {other_model} one; a project is one or the other",
                    r.id.value, other.id.value
                ),
            )
            .label(format!("{model} package"))
            .related(Span::new(&project.file, other.id.range.clone()), format!("{other_model} package"))
            .help(format!(
                "the project is {}: remove {} (worker projects use Microsoft.Azure.Functions.Worker.Extensions.DurableTask*, in-process ones Microsoft.Azure.WebJobs.Extensions.DurableTask*)",
                cx.hosting.label(),
                r.id.value
            )),
        );
    }
}
