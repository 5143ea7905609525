//! DTS303 `outdated-package`: a Durable package below the lowest version that works with the
//! Durable Task Scheduler, or an AzureManaged/Durable pair no Microsoft sample shows working
//! together. The fix raises the pair to its recommended versions (safe within a major).

use super::{raise_fix, version_finding, PackageUse};
use crate::facts::packages::ModelPackages;
use crate::finding::Finding;
use crate::rules::Context;
use crate::syntax::nuget::Version;

fn find_use<'u, 'a>(uses: &'u [PackageUse<'a>], id: &str) -> Option<&'u PackageUse<'a>> {
    uses.iter()
        .find(|u| u.item.id.value.eq_ignore_ascii_case(id))
}

/// DTS303: Durable packages below the minimum that works with DTS, or a pair no sample shows
/// working together. With `check_minimum` false only pairs are checked (extensions.csproj,
/// where DTS403 reports the minimums).
pub(super) fn outdated(
    cx: &Context<'_>,
    model: &ModelPackages,
    uses: &[PackageUse<'_>],
    check_minimum: bool,
    out: &mut Vec<Finding>,
) {
    let am = find_use(uses, &model.azure_managed.id);
    let df = find_use(uses, &model.durable.id);
    let pair = [am, df];
    let mut below = false;
    for (u, tracked) in pair.iter().zip([&model.azure_managed, &model.durable]) {
        let Some(u) = u else { continue };
        let Some(range) = u.range() else { continue };
        if !range.resolves_below(&tracked.minimum) {
            continue;
        }
        below = true;
        if !check_minimum {
            continue;
        }
        let written = &u
            .site
            .map(|(_, s)| s.text.value.clone())
            .unwrap_or_default();
        let what = if range.min.as_ref().is_some_and(Version::is_prerelease)
            && tracked.minimum.major() > 0
        {
            "a prerelease"
        } else {
            "a version"
        };
        out.push(version_finding(
            "DTS303",
            u,
            format!(
                "{} {written} is {what} below {}, the lowest that works with the Durable Task Scheduler",
                tracked.id, tracked.minimum
            ),
            format!("below {}", tracked.minimum),
            raise_fix(cx.app, model, &pair),
        ));
    }
    if below {
        return;
    }
    let (Some(am), Some(df)) = (am, df) else {
        return;
    };
    let (Some(am_range), Some(df_range)) = (am.range(), df.range()) else {
        return;
    };
    // The lowest AzureManaged the reference allows; floats are left to DTS306.
    let Some(am_version) = am_range.min.as_ref().filter(|_| !am_range.is_floating()) else {
        return;
    };
    let Some(proven) = model
        .pairs
        .iter()
        .filter(|p| &p.azure_managed <= am_version)
        .max_by(|a, b| a.azure_managed.cmp(&b.azure_managed))
    else {
        return;
    };
    if !df_range.resolves_below(&proven.durable) {
        return;
    }
    let written = df
        .site
        .map(|(_, s)| s.text.value.clone())
        .unwrap_or_default();
    out.push(version_finding(
        "DTS303",
        df,
        format!(
            "{} {written} with AzureManaged {am_version} is a pair no Microsoft sample shows working together; AzureManaged {} was seen with {} in {}",
            model.durable.id, proven.azure_managed, proven.durable, proven.seen
        ),
        format!("below {} for AzureManaged {am_version}", proven.durable),
        raise_fix(cx.app, model, &pair),
    )
    // Both packages are released versions: at most information (issue 14).
    .severity(crate::facts::Severity::Info));
}
