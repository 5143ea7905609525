//! DTS5xx — files. DTS501 (parse errors) and DTS504 (size) are raised while loading
//! (`app::load_json`, `app::load_project`); this module runs DTS109 (duplicate keys, a backend
//! rule in `backend/dts109_duplicate_key.rs`), which applies to every JSON file of every app,
//! durable or not, and adds DTS502 (more than one project file beside host.json, which stops
//! every build of the app) and DTS503 (an encrypted local.settings.json of a durable app).

use super::backend::dts109_duplicate_key;
use super::{json_span, Context};
use crate::finding::{Finding, Span};
use crate::model::Parsed;
use crate::syntax::jsonc::{Json, JsonKind};

/// Runs the file rules.
pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if let Some(host) = &cx.app.host {
        // host.json sections are bound by .NET configuration, which ignores key case.
        dts109_duplicate_key::check(host, true, out);
    }
    if let Some(settings) = &cx.app.local_settings {
        dts109_duplicate_key::check(settings, false, out);
        if cx.durable {
            encrypted_settings(settings, out);
        }
    }
    ambiguous_project(cx, out);
}

/// Whether local.settings.json says its values are encrypted (`"IsEncrypted": true`).
pub fn is_encrypted(settings: &Json) -> bool {
    match settings.get_ci("IsEncrypted").map(|v| &v.kind) {
        Some(JsonKind::Bool(b)) => *b,
        Some(JsonKind::String(s)) => s.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// DTS503: values encrypted with `func settings encrypt` cannot be checked.
fn encrypted_settings(settings: &Parsed<Json>, out: &mut Vec<Finding>) {
    let Some(member) = settings.doc.member_ci("IsEncrypted") else {
        return;
    };
    if !is_encrypted(&settings.doc) {
        return;
    }
    out.push(
        Finding::new(
            "DTS503",
            json_span(settings, member.value.range.clone()),
            "local.settings.json is encrypted: the connection string, hub and storage values cannot be checked, and no fix writes into the file",
        )
        .label("values are encrypted")
        .help("run `func settings decrypt`, check again, then `func settings encrypt`"),
    );
}

/// DTS502: more than one project file beside host.json, counting extensions.csproj.
fn ambiguous_project(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let app = cx.app;
    let projects: Vec<_> = app.projects.iter().chain(&app.extensions_project).collect();
    let Some((last, others)) = projects.split_last() else {
        return;
    };
    if others.is_empty() {
        return;
    }
    let start_tag = |p: &Parsed<crate::syntax::msbuild::Project>| {
        let root = p.doc.root.clone();
        let end = p.file.text.as_str()[root.clone()]
            .find('>')
            .map_or(root.end, |i| root.start + i + 1);
        Span::new(&p.file, root.start..end)
    };
    let name = |p: &Parsed<crate::syntax::msbuild::Project>| {
        p.file
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    };
    let names: Vec<String> = projects.iter().map(|p| name(p)).collect();
    let n = projects.len();
    let help = if app.extensions_project.is_some() && app.projects.len() == 1 {
        "a .NET app takes its extensions as PackageReferences in its own project: move any package only extensions.csproj has there, delete extensions.csproj, then delete bin/ and obj/"
    } else {
        "keep one project file per Functions app folder"
    };
    let mut finding = Finding::new(
        "DTS502",
        start_tag(last),
        format!(
            "{n} project files beside host.json ({}): `func start` and `dotnet build` stop with \"Can't determine Project to build. Expected 1 .csproj or .fsproj but found {n}\"",
            names.join(", ")
        ),
    )
    .label("one project too many")
    .help(help);
    for p in others {
        finding = finding.related(start_tag(p), format!("{} is here", name(p)));
    }
    out.push(finding);
}
