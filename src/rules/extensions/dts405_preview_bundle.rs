//! DTS405 `preview-bundle`: a non-.NET app on the Durable Task Scheduler uses the Preview
//! extension bundle, in a range that holds the DTS extension (older ranges are DTS401's): a
//! warning while the range can only reach the 0.x alpha of the extension, else an info. The
//! fix switches to the GA bundle with the documented range; unsafe, since the Preview bundle
//! holds extensions the GA one does not.

use super::BundleSite;
use crate::facts::packages::package_facts;
use crate::facts::Severity;
use crate::finding::Finding;
use crate::syntax::nuget::Highest;

/// A Preview bundle whose `highest` bundle holds the DTS extension.
pub(super) fn preview_bundle(
    site: &BundleSite<'_, '_>,
    written: &str,
    highest: &Highest<'_>,
) -> Finding {
    let b = &package_facts().bundles;
    if highest.is_below(&b.preview.first_with_released_extension) {
        site.finding(
            "DTS405",
            Severity::Warning,
            format!(
                "the Preview bundle range {written} {}, below {}-Preview: the Durable Task Scheduler extension in it is a 0.x alpha",
                highest.describe(),
                b.preview.first_with_released_extension
            ),
            "alpha DTS extension",
            false,
        )
    } else {
        site.finding(
            "DTS405",
            Severity::Info,
            format!(
                "the app uses the Preview extension bundle; the GA bundle has carried the released Durable Task Scheduler extension since {}",
                b.ga.first_with_dts
            ),
            "Preview bundle",
            false,
        )
    }
}
