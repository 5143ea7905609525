//! DTS304 `in-process-model`: a durable app on the .NET in-process model, whose support ended
//! on 2026-11-10 and which the Durable Task Scheduler does not support. An error when the app
//! selects azureManaged (not a supported combination), a warning otherwise. No fix: the help
//! points at the move to the isolated worker.

use super::project_span;
use crate::facts::{facts, starts_with_ci, BackendId, Severity};
use crate::finding::{Finding, Span};
use crate::model::{FunctionsVersion, Hosting};
use crate::rules::Context;

/// DTS304: a durable app on the .NET in-process model.
pub(super) fn in_process_model(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if cx.hosting != Hosting::InProcess {
        return;
    }
    let p = &facts().packages;
    let marker = cx.app.projects.iter().find_map(|project| {
        let r = project.doc.package_references.iter().find(|r| {
            p.in_process
                .iter()
                .any(|id| id.eq_ignore_ascii_case(&r.id.value))
                || starts_with_ci(&r.id.value, &p.in_process_durable_prefix)
        })?;
        Some(Span::new(&project.file, r.id.range.clone()))
    });
    let span = marker
        .or_else(|| cx.app.projects.first().map(project_span))
        .or_else(|| {
            let settings = cx.app.local_settings.as_ref()?;
            let setting = cx.app.setting("FUNCTIONS_WORKER_RUNTIME")?;
            Some(Span::new(&settings.file, setting.value.range.clone()))
        });
    let Some(span) = span else { return };
    let runtime = match cx.version {
        FunctionsVersion::V2 | FunctionsVersion::V3 => {
            "; its Functions runtime (2.x/3.x) has been out of support since December 2022"
        }
        _ => "",
    };
    let finding = if cx.backend.id == Some(BackendId::Dts) {
        Finding::new(
            "DTS304",
            span,
            format!("the app uses the .NET in-process model with azureManaged, which is not a supported combination: the Durable Task Scheduler supports only the isolated worker, and in-process support ended on 2026-11-10{runtime}"),
        )
        .severity(Severity::Error)
        .label("in-process")
        .help("move the app to the .NET isolated worker (Microsoft.Azure.Functions.Worker with Microsoft.Azure.Functions.Worker.Extensions.DurableTask.AzureManaged)")
    } else {
        Finding::new(
            "DTS304",
            span,
            format!("the app uses the .NET in-process model, whose support ended on 2026-11-10; the Durable Task Scheduler supports only the isolated worker{runtime}"),
        )
        .label("in-process")
        .help("move the app to the .NET isolated worker first (Microsoft.Azure.Functions.Worker), then to the Durable Task Scheduler; dts-migrate does not migrate the backend of an in-process app")
    };
    out.push(finding);
}
