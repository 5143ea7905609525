//! DTS401 `bundle-too-old`: the `extensionBundle` of a non-.NET app on the Durable Task
//! Scheduler cannot resolve to a bundle that holds the DTS extension (an old range, no range, a
//! bundle id without the extension), or resolves to a GA bundle below the docs' floor. The fix
//! points host.json at the GA bundle with the documented range; unsafe when leaving the Preview
//! or an unknown bundle.

use super::BundleSite;
use crate::facts::packages::package_facts;
use crate::facts::Severity;
use crate::finding::Finding;
use crate::syntax::nuget::{Highest, VersionRange};

/// A bundle id that is neither the GA nor the Preview bundle.
pub(super) fn other_bundle(site: &BundleSite<'_, '_>) -> Finding {
    let b = &package_facts().bundles;
    site.finding(
        "DTS401",
        Severity::Warning,
        format!("the extension bundle \"{}\" is neither {} nor {}, the bundles that carry the Durable Task Scheduler extension", site.id, b.ga.id, b.preview.id),
        "not a bundle with the DTS extension",
        false,
    )
}

/// A GA or Preview bundle whose version is missing or not a range.
pub(super) fn not_a_range(
    site: &BundleSite<'_, '_>,
    written: Option<&str>,
    is_ga: bool,
) -> Finding {
    let shown = written.map_or("missing".to_string(), |w| format!("\"{w}\""));
    site.finding(
        "DTS401",
        Severity::Error,
        format!(
            "the extension bundle version is {shown}, not a version range the host can resolve"
        ),
        "not a version range",
        is_ga,
    )
}

/// A GA bundle range that resolves below the first bundle with the DTS extension, or below the
/// version the docs require.
pub(super) fn ga_too_old(
    site: &BundleSite<'_, '_>,
    written: &str,
    range: &VersionRange,
) -> Option<Finding> {
    let b = &package_facts().bundles;
    let highest = range.highest(&b.ga.known);
    if highest.is_below(&b.ga.first_with_dts) {
        Some(site.finding(
            "DTS401",
            Severity::Error,
            format!(
                "the bundle range {written} {}, but only bundles from {} on hold the Durable Task Scheduler extension; the host fails with \"Storage provider type (azureManaged) was not found\"",
                highest.describe(),
                b.ga.first_with_dts
            ),
            "no bundle in this range has the DTS extension",
            true,
        ))
    } else if highest.is_below(&b.ga.docs_floor) {
        Some(site.finding(
            "DTS401",
            Severity::Warning,
            format!(
                "the bundle range {written} {}, below {}, the version the Durable Task Scheduler docs require",
                highest.describe(),
                b.ga.docs_floor
            ),
            format!("below {}", b.ga.docs_floor).as_str(),
            true,
        ))
    } else {
        None
    }
}

/// A Preview bundle range whose `highest` bundle is below the first Preview bundle with the DTS
/// extension; `None` when it holds the extension (DTS405's case).
pub(super) fn preview_too_old(
    site: &BundleSite<'_, '_>,
    written: &str,
    highest: &Highest<'_>,
) -> Option<Finding> {
    let b = &package_facts().bundles;
    if !highest.is_below(&b.preview.first_with_dts) {
        return None;
    }
    Some(site.finding(
        "DTS401",
        Severity::Error,
        format!(
            "the Preview bundle range {written} {}, but only Preview bundles from {}-Preview on hold the Durable Task Scheduler extension",
            highest.describe(),
            b.preview.first_with_dts
        ),
        "no bundle in this range has the DTS extension",
        false,
    ))
}
