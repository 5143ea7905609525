//! DTS502 `ambiguous-project`: more than one project file beside host.json (an
//! extensions.csproj beside a .NET app's own project counts), which stops every build of the
//! app. No fix: the finding says which file to keep.

use crate::finding::{Finding, Span};
use crate::model::Parsed;
use crate::rules::Context;

/// DTS502: more than one project file beside host.json, counting extensions.csproj.
pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
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
