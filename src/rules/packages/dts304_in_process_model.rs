//! DTS304 `in-process-model`: a durable app on the .NET in-process model, whose support ends
//! and for which the Durable Task Scheduler has no docs or samples. No fix: the help points at
//! the move to the isolated worker.

use super::project_span;
use crate::facts::{facts, starts_with_ci};
use crate::finding::{Finding, Span};
use crate::model::Hosting;
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
    out.push(
        Finding::new(
            "DTS304",
            span,
            "the app uses the .NET in-process model: its support ends on 2026-11-10, and the Durable Task Scheduler docs and samples are isolated-only",
        )
        .label("in-process")
        .help("migrate the app to the .NET isolated worker (Microsoft.Azure.Functions.Worker with Microsoft.Azure.Functions.Worker.Extensions.DurableTask.AzureManaged) before or with the move to DTS"),
    );
}
