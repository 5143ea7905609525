//! DTS4xx — how a non-.NET durable app gets its extensions: the extension bundle in host.json or
//! an `extensions.csproj` (DESIGN §4, reference §5).
//!
//! A bundle range resolves to the highest bundle it allows; the GA bundle holds the DTS extension
//! from 4.30.0 (the docs ask for 4.32.0), the Preview bundle from 4.28.0, with a 0.x alpha of it
//! until 4.35.0. When host.json has `extensionBundle` the host loads only the bundle and ignores
//! extensions.csproj.
//!
//! This module holds what the rules share (the bundle read once for DTS401 and DTS405, its fix's
//! edits, the span of host.json's `type`) and the order they run in; each rule is in the file
//! named after its code and name in `rules/DTSNNN.toml`.

mod dts401_bundle_too_old;
mod dts402_bundle_and_extensions_project;
mod dts403_extensions_project_incomplete;
mod dts404_no_durable_extension;
mod dts405_preview_bundle;

use dts402_bundle_and_extensions_project::bundle_and_project;
use dts403_extensions_project_incomplete::incomplete_project;
use dts404_no_durable_extension::no_extension;

use super::{fix_in, json_span, Context};
use crate::facts::packages::package_facts;
use crate::facts::Severity;
use crate::facts::{facts, BackendId};
use crate::finding::{Finding, Span};
use crate::fix::Applicability;
use crate::model::{FunctionsVersion, Parsed};
use crate::syntax::jsonc::{Json, Member};
use crate::syntax::jsonc_edit::{edit_object, replace_value, NewValue, TextEdit};
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

/// host.json's `extensionBundle`, read once for DTS401 and DTS405: what their findings point
/// at and the fix they share (the GA bundle with the documented range).
struct BundleSite<'c, 'a> {
    cx: &'c Context<'a>,
    host: &'a Parsed<Json>,
    /// The bundle id, empty when there is none.
    id: &'a str,
    /// The version value, or the `extensionBundle` key when there is no version.
    span: std::ops::Range<usize>,
    edits: Vec<TextEdit>,
    target: String,
}

impl BundleSite<'_, '_> {
    /// A finding about the bundle, with the fix that switches to the GA bundle; a fix that is
    /// not `safe` is unsafe and says why.
    fn finding(
        &self,
        code: &'static str,
        severity: Severity,
        message: String,
        label: &str,
        safe: bool,
    ) -> Finding {
        let applicability = if safe {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        };
        let mut finding = Finding::new(code, json_span(self.host, self.span.clone()), message)
            .severity(severity)
            .label(label)
            .fix(fix_in(
                self.host,
                self.target.clone(),
                applicability,
                self.edits.clone(),
            ));
        if let Some(t) = type_span(self.cx) {
            finding = finding.related(t, "the Durable Task Scheduler is selected here");
        }
        if !safe {
            finding = finding.help(format!(
                "{} also holds extensions the GA bundle does not; check the app uses none before switching (the fix is unsafe)",
                if self.id.is_empty() { "this bundle" } else { self.id }
            ));
        }
        finding
    }
}

/// DTS401 and DTS405: the bundle range against the bundles that hold the DTS extension. A
/// bundle gets at most one finding: DTS401 when no bundle its range allows holds the extension
/// (or a GA one below the docs' floor), else DTS405 for a Preview bundle.
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
    let site = BundleSite {
        cx,
        host,
        id,
        span,
        edits: ga_bundle_edits(host, &bundle.value),
        target: format!("use {} {}", d.bundle_id, d.bundle_range),
    };
    let is_ga = id.eq_ignore_ascii_case(&b.ga.id);
    let is_preview = id.eq_ignore_ascii_case(&b.preview.id);
    if !is_ga && !is_preview {
        out.push(dts401_bundle_too_old::other_bundle(&site));
        return;
    }
    let Some(range) = range else {
        out.push(dts401_bundle_too_old::not_a_range(&site, written, is_ga));
        return;
    };
    let written = written.unwrap_or_default();
    if is_ga {
        out.extend(dts401_bundle_too_old::ga_too_old(&site, written, &range));
        return;
    }
    let highest = range.highest(&b.preview.known);
    let finding = dts401_bundle_too_old::preview_too_old(&site, written, &highest)
        .unwrap_or_else(|| dts405_preview_bundle::preview_bundle(&site, written, &highest));
    out.push(finding);
}
