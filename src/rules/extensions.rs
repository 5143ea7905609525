//! DTS4xx — how a non-.NET durable app gets its extensions: the extension bundle in host.json or
//! an `extensions.csproj` (DESIGN §4, reference §5).
//!
//! A bundle range resolves to the highest bundle it allows; the GA bundle holds the DTS extension
//! from 4.30.0 (the docs ask for 4.32.0), the Preview bundle from 4.28.0, with a 0.x alpha of it
//! until 4.35.0. When host.json has `extensionBundle` the host loads only the bundle and ignores
//! extensions.csproj.

use super::packages::{add_fix, project_span, raise_fix, version_finding, Packages};
use super::{fix_in, fix_in_when_planned, json_span, Context};
use crate::facts::packages::package_facts;
use crate::facts::Severity;
use crate::facts::{facts, BackendId};
use crate::finding::{Finding, Span};
use crate::fix::Applicability;
use crate::model::{FunctionsVersion, Hosting, Parsed};
use crate::syntax::jsonc::{Json, Member};
use crate::syntax::jsonc_edit::{append_member, edit_object, replace_value, NewValue, TextEdit};
use crate::syntax::nuget::VersionRange;

/// Runs the extension rules on non-.NET durable apps (Functions 2 and later).
pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if !cx.durable || cx.hosting.is_dotnet() || cx.version == FunctionsVersion::V1 {
        return;
    }
    let Some(host) = &cx.app.host else { return };
    let bundle = host.doc.member_ci("extensionBundle");
    let ext = &cx.app.extensions_project;
    if bundle.is_none() && ext.is_none() {
        no_extension(cx, host, out);
        return;
    }
    if cx.backend.id != Some(BackendId::Dts) {
        return;
    }
    if let Some(bundle) = bundle {
        bundle_version(cx, host, bundle, out);
        if let Some(ext) = ext {
            bundle_and_project(host, bundle, ext, out);
        }
    } else if let Some(ext) = ext {
        incomplete_project(cx, ext, out);
    }
}

/// The related span of host.json's `type`, when there is one.
fn type_span(cx: &Context<'_>) -> Option<Span> {
    let host = cx.app.host.as_ref()?;
    Some(json_span(host, cx.app.type_member()?.value.range.clone()))
}

/// Edits that point the bundle at the GA id with the documented range.
fn ga_bundle_edits(host: &Parsed<Json>, bundle: &Json) -> Vec<TextEdit> {
    let d = &facts().defaults;
    let text = &host.file.text;
    let mut edits = Vec::new();
    let mut append = Vec::new();
    match bundle.member_ci("id") {
        Some(id) if id.value.as_str() == Some(d.bundle_id.as_str()) => {}
        Some(id) => edits.push(replace_value(
            text,
            &id.value,
            &NewValue::Str(d.bundle_id.clone()),
        )),
        None => append.push(("id".to_string(), NewValue::Str(d.bundle_id.clone()))),
    }
    match bundle.member_ci("version") {
        Some(v) => edits.push(replace_value(
            text,
            &v.value,
            &NewValue::Str(d.bundle_range.clone()),
        )),
        None => append.push(("version".to_string(), NewValue::Str(d.bundle_range.clone()))),
    }
    if !append.is_empty() {
        edits.extend(edit_object(text, bundle, &[], &append));
    }
    edits
}

/// DTS401 and DTS405: the bundle range against the bundles that hold the DTS extension.
fn bundle_version(cx: &Context<'_>, host: &Parsed<Json>, bundle: &Member, out: &mut Vec<Finding>) {
    let Some(_) = bundle.value.members() else {
        return;
    };
    let b = &package_facts().bundles;
    let d = &facts().defaults;
    let id = bundle
        .value
        .get_ci("id")
        .and_then(Json::as_str)
        .unwrap_or("");
    let version = bundle.value.member_ci("version");
    let written = version.and_then(|v| v.value.as_str());
    let span = version.map_or(bundle.key_range.clone(), |v| v.value.range.clone());
    let range = written.and_then(VersionRange::parse);
    let edits = ga_bundle_edits(host, &bundle.value);
    let target = format!("use {} {}", d.bundle_id, d.bundle_range);
    let mut push = |code: &'static str,
                    severity: Severity,
                    message: String,
                    label: &str,
                    safe: bool| {
        let applicability = if safe {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        };
        let mut finding = Finding::new(code, json_span(host, span.clone()), message)
            .severity(severity)
            .label(label)
            .fix(fix_in(host, target.clone(), applicability, edits.clone()));
        if let Some(t) = type_span(cx) {
            finding = finding.related(t, "the Durable Task Scheduler is selected here");
        }
        if !safe {
            finding = finding.help(format!(
                "{} also holds extensions the GA bundle does not; check the app uses none before switching (the fix is unsafe)",
                if id.is_empty() { "this bundle" } else { id }
            ));
        }
        out.push(finding);
    };
    let is_ga = id.eq_ignore_ascii_case(&b.ga.id);
    let is_preview = id.eq_ignore_ascii_case(&b.preview.id);
    if !is_ga && !is_preview {
        push(
            "DTS401",
            Severity::Warning,
            format!("the extension bundle \"{id}\" is neither {} nor {}, the bundles that carry the Durable Task Scheduler extension", b.ga.id, b.preview.id),
            "not a bundle with the DTS extension",
            false,
        );
        return;
    }
    let Some(range) = range else {
        let shown = written.map_or("missing".to_string(), |w| format!("\"{w}\""));
        push(
            "DTS401",
            Severity::Error,
            format!(
                "the extension bundle version is {shown}, not a version range the host can resolve"
            ),
            "not a version range",
            is_ga,
        );
        return;
    };
    let written = written.unwrap_or_default();
    if is_ga {
        let highest = range.highest(&b.ga.known);
        if highest.is_below(&b.ga.first_with_dts) {
            push(
                "DTS401",
                Severity::Error,
                format!(
                    "the bundle range {written} {}, but only bundles from {} on hold the Durable Task Scheduler extension; the host fails with \"Storage provider type (azureManaged) was not found\"",
                    highest.describe(),
                    b.ga.first_with_dts
                ),
                "no bundle in this range has the DTS extension",
                true,
            );
        } else if highest.is_below(&b.ga.docs_floor) {
            push(
                "DTS401",
                Severity::Warning,
                format!(
                    "the bundle range {written} {}, below {}, the version the Durable Task Scheduler docs require",
                    highest.describe(),
                    b.ga.docs_floor
                ),
                format!("below {}", b.ga.docs_floor).as_str(),
                true,
            );
        }
        return;
    }
    let highest = range.highest(&b.preview.known);
    if highest.is_below(&b.preview.first_with_dts) {
        push(
            "DTS401",
            Severity::Error,
            format!(
                "the Preview bundle range {written} {}, but only Preview bundles from {}-Preview on hold the Durable Task Scheduler extension",
                highest.describe(),
                b.preview.first_with_dts
            ),
            "no bundle in this range has the DTS extension",
            false,
        );
    } else if highest.is_below(&b.preview.first_with_released_extension) {
        push(
            "DTS405",
            Severity::Warning,
            format!(
                "the Preview bundle range {written} {}, below {}-Preview: the Durable Task Scheduler extension in it is a 0.x alpha",
                highest.describe(),
                b.preview.first_with_released_extension
            ),
            "alpha DTS extension",
            false,
        );
    } else {
        push(
            "DTS405",
            Severity::Info,
            format!(
                "the app uses the Preview extension bundle; the GA bundle has carried the released Durable Task Scheduler extension since {}",
                b.ga.first_with_dts
            ),
            "Preview bundle",
            false,
        );
    }
}

/// DTS402: both a bundle and extensions.csproj; the host loads only the bundle.
fn bundle_and_project(
    host: &Parsed<Json>,
    bundle: &Member,
    ext: &Parsed<crate::syntax::msbuild::Project>,
    out: &mut Vec<Finding>,
) {
    let am = &package_facts().webjobs.azure_managed;
    let pinned = ext.doc.package_reference(&am.id);
    let (related, label) = match pinned {
        Some(r) => (
            Span::new(&ext.file, r.id.range.clone()),
            format!("{} pinned here, ignored", am.id),
        ),
        None => (
            project_span(ext),
            "ignored while the bundle is configured".to_string(),
        ),
    };
    let mut finding = Finding::new(
        "DTS402",
        json_span(host, bundle.key_range.clone()),
        "host.json configures an extension bundle and the app has an extensions.csproj: the host loads only the bundle and silently ignores the project",
    )
    .label("the host loads extensions from this bundle only")
    .related(related, label);
    if pinned.is_some() {
        let root = &host.doc;
        let index = root
            .members()
            .and_then(|m| m.iter().position(|m| std::ptr::eq(m, bundle)));
        let edits = index.map_or_else(Vec::new, |i| edit_object(&host.file.text, root, &[i], &[]));
        finding = finding
            .fix(fix_in(
                host,
                "remove extensionBundle from host.json: extensions come from extensions.csproj",
                Applicability::Unsafe,
                edits,
            ))
            .help("the fix keeps the explicit route; it is unsafe because every other extension the bundle supplied (Storage, Service Bus, …) must then be in extensions.csproj");
    } else {
        finding = finding.help(format!(
            "keep one mechanism: delete extensions.csproj (the bundle {} carries the DTS extension), or delete extensionBundle and add {} to extensions.csproj",
            facts().defaults.bundle_range,
            am.id
        ));
    }
    out.push(finding);
}

/// DTS403: the extensions.csproj the host loads lacks the AzureManaged package or has a Durable
/// package below its minimum.
fn incomplete_project(
    cx: &Context<'_>,
    ext: &Parsed<crate::syntax::msbuild::Project>,
    out: &mut Vec<Finding>,
) {
    let model = &package_facts().webjobs;
    let packages = Packages::new(cx.app);
    let am = packages.find(ext, &model.azure_managed.id);
    let df = packages.find(ext, &model.durable.id);
    let Some(am_use) = &am else {
        let span = df.as_ref().map_or_else(
            || project_span(ext),
            |d| Span::new(&ext.file, d.item.id.range.clone()),
        );
        let mut finding = Finding::new(
            "DTS403",
            span,
            format!(
                "extensions.csproj does not reference {}; without it the host fails with \"Storage provider type (azureManaged) was not found\"",
                model.azure_managed.id
            ),
        )
        .label(format!("no {} here", model.azure_managed.id))
        .fix(add_fix(cx.app, &packages, ext, &model.azure_managed, Applicability::Safe));
        if let Some(t) = type_span(cx) {
            finding = finding.related(t, "the Durable Task Scheduler is selected here");
        }
        out.push(finding);
        return;
    };
    let pair = [Some(am_use), df.as_ref()];
    for (u, tracked) in pair.iter().zip([&model.azure_managed, &model.durable]) {
        let Some(u) = u else { continue };
        let Some(range) = u.range() else { continue };
        if !range.resolves_below(&tracked.minimum) {
            continue;
        }
        let written = u
            .site
            .map(|(_, s)| s.text.value.clone())
            .unwrap_or_default();
        out.push(version_finding(
            "DTS403",
            u,
            format!(
                "{} {written} in extensions.csproj is below {}, the lowest that works with the Durable Task Scheduler",
                tracked.id, tracked.minimum
            ),
            format!("below {}", tracked.minimum),
            raise_fix(cx.app, model, &pair),
        ));
    }
}

/// DTS404: a non-.NET durable app with neither a bundle nor extensions.csproj.
fn no_extension(cx: &Context<'_>, host: &Parsed<Json>, out: &mut Vec<Finding>) {
    let d = &facts().defaults;
    let root = &host.doc;
    // DTS needs Functions 4 anyway; other backends may still run on an older host.
    let applicability = if cx.backend.id == Some(BackendId::Dts) {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    let mut finding = Finding::new(
        "DTS404",
        json_span(host, root.range.start..root.range.start + 1),
        format!(
            "{} has neither an extensionBundle in host.json nor an extensions.csproj: the host loads no Durable extension and its triggers are not found",
            match cx.hosting {
                // No project file or manifest says which language the app is written in.
                Hosting::Unknown => "the durable app".to_string(),
                hosting => format!("the {} durable app", hosting.label()),
            }
        ),
    )
    .label("no extensionBundle in host.json")
    // Appending a member to host.json's root object always plans an edit.
    .fix(fix_in_when_planned(
        cx,
        host,
        format!("add \"extensionBundle\": {{ \"id\": \"{}\", \"version\": \"{}\" }}", d.bundle_id, d.bundle_range),
        applicability,
        || {
            let value = NewValue::Object(vec![
                ("id".to_string(), NewValue::Str(d.bundle_id.clone())),
                ("version".to_string(), NewValue::Str(d.bundle_range.clone())),
            ]);
            append_member(&host.file.text, root, "extensionBundle", value)
        },
    ));
    if applicability == Applicability::Unsafe {
        finding = finding.help("the v4 bundle needs the Functions 4 host; the fix is unsafe because the tool cannot see which host version the app runs on");
    }
    out.push(finding);
}
