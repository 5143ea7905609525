//! DTS208 `worker-runtime-mismatch`: `FUNCTIONS_WORKER_RUNTIME` is not a runtime the host knows,
//! or contradicts what the app's own project packages or language manifest call for.
//!
//! No fix: a mismatch usually means the project, not the setting, needs a look.

use super::{contains_ci, Settings};
use crate::facts::settings::settings_facts;
use crate::facts::{facts, starts_with_ci};
use crate::finding::{Finding, Span};
use crate::model::{App, Parsed};
use crate::rules::json_span;
use crate::source::redact::mask;
use crate::syntax::jsonc::Json;

impl Settings<'_> {
    /// DTS208: FUNCTIONS_WORKER_RUNTIME against the project and manifests.
    pub(super) fn worker_runtime(&self, local: &Parsed<Json>, out: &mut Vec<Finding>) {
        let f = settings_facts();
        let Some(setting) = self.app.setting(&f.worker_runtime_setting) else {
            return;
        };
        let Some(value) = setting.value.as_str() else {
            return;
        };
        let span = json_span(local, setting.value.range.clone());
        let runtime = value.trim();
        if !contains_ci(&f.worker_runtimes, runtime) {
            out.push(
                Finding::new(
                    "DTS208",
                    span,
                    format!(
                        "{} \"{}\" is not a worker runtime the host knows ({})",
                        f.worker_runtime_setting,
                        mask(value),
                        f.worker_runtimes.join(", ")
                    ),
                )
                .label("unknown worker runtime"),
            );
            return;
        }
        if runtime.eq_ignore_ascii_case("custom") {
            return;
        }
        let Some((expected, evidence)) = project_runtime(self.app) else {
            return;
        };
        if runtime.eq_ignore_ascii_case(expected) {
            return;
        }
        let because = match &evidence {
            Evidence::Package(_, id) => format!("the project references {id}"),
            Evidence::Manifest(name) => format!("{name} is beside host.json"),
        };
        let mut finding = Finding::new(
            "DTS208",
            span,
            format!(
                "{} is \"{runtime}\", but the app needs \"{expected}\" ({because}); the host starts the wrong worker and finds no functions",
                f.worker_runtime_setting
            ),
        )
        .label(format!("expected \"{expected}\""));
        if let Evidence::Package(span, _) = evidence {
            finding = finding.related(span, format!("makes it a {expected} app"));
        }
        out.push(finding);
    }
}

/// What decided the runtime a project needs.
enum Evidence {
    /// A package reference of the app's own project.
    Package(Span, String),
    /// A language manifest beside host.json.
    Manifest(String),
}

/// The FUNCTIONS_WORKER_RUNTIME the app's own files call for, from its project packages, else
/// from the one language manifest beside host.json (several: unknown). Unlike
/// `App::hosting`, settings never count: they are what is checked.
fn project_runtime(app: &App) -> Option<(&'static str, Evidence)> {
    let packages = &facts().packages;
    let mut in_process = None;
    for project in &app.projects {
        for r in &project.doc.package_references {
            let id = &r.id.value;
            let span =
                || Evidence::Package(Span::new(&project.file, r.id.range.clone()), id.clone());
            if packages
                .isolated_prefixes
                .iter()
                .any(|p| starts_with_ci(id, p))
            {
                return Some(("dotnet-isolated", span()));
            }
            if in_process.is_none()
                && (contains_ci(&packages.in_process, id)
                    || starts_with_ci(id, &packages.in_process_durable_prefix))
            {
                in_process = Some(span());
            }
        }
    }
    if let Some(evidence) = in_process {
        return Some(("dotnet", evidence));
    }
    if !app.projects.is_empty() {
        return None;
    }
    let mut found: Option<(&'static str, &str)> = None;
    for manifest in &app.manifests {
        let name = &manifest.name;
        let runtime = match name.as_str() {
            "requirements.txt" => "python",
            "package.json" => "node",
            "pom.xml" | "build.gradle" | "build.gradle.kts" => "java",
            "requirements.psd1" => "powershell",
            _ => continue,
        };
        match found {
            Some((r, _)) if r != runtime => return None,
            _ => found = Some((runtime, name)),
        }
    }
    found.map(|(r, name)| (r, Evidence::Manifest(name.to_string())))
}
