//! DTS307 `feature-needs-newer-provider`: a .NET app on the Durable Task Scheduler uses a
//! feature of the AzureManaged provider (large payloads, work-item filtering, the
//! sovereign-cloud connection-string keys) below the version that has it, or a feature only the
//! .NET isolated package has. The fix raises the packages to their recommended versions.

use super::{raise_fix, version_finding, Packages};
use crate::facts::facts;
use crate::facts::packages::{package_facts, Feature, ModelPackages};
use crate::finding::Finding;
use crate::model::Hosting;
use crate::rules::Context;

/// Whether the app uses `feature`: a storageProvider key, or a key of the DTS connection string
/// in local.settings.json.
fn uses(cx: &Context<'_>, feature: &Feature) -> bool {
    let provider = cx.app.storage_provider().map(|p| &p.value);
    let has_key = provider.and_then(|p| p.members()).is_some_and(|ms| {
        ms.iter()
            .any(|m| feature.keys.iter().any(|k| k.eq_ignore_ascii_case(&m.key)))
    });
    if has_key || feature.connection_keys.is_empty() {
        return has_key;
    }
    let setting = provider
        .and_then(|p| {
            p.get("connectionName")
                .or_else(|| p.get("connectionStringName"))
        })
        .and_then(|v| v.as_str())
        .map(|s| s.trim_matches('%'))
        .unwrap_or(&facts().defaults.connection_setting);
    cx.app.setting_str(setting).is_some_and(|value| {
        value.split(';').any(|part| {
            let key = part.split('=').next().unwrap_or_default().trim();
            feature
                .connection_keys
                .iter()
                .any(|k| k.eq_ignore_ascii_case(key))
        })
    })
}

/// DTS307: features of the AzureManaged provider the app's version does not have.
pub(super) fn feature_floors(
    cx: &Context<'_>,
    packages: &Packages<'_>,
    model: &ModelPackages,
    out: &mut Vec<Finding>,
) {
    for feature in &package_facts().features {
        if !uses(cx, feature) {
            continue;
        }
        for project in &cx.app.projects {
            let Some(am) = packages.find(project, &model.azure_managed.id) else {
                continue;
            };
            let df = packages.find(project, &model.durable.id);
            if feature.isolated_only && cx.hosting != Hosting::Isolated {
                out.push(version_finding(
                    "DTS307",
                    &am,
                    format!(
                        "the app uses {}, which only the .NET isolated AzureManaged package has; {} does not",
                        feature.name, model.azure_managed.id
                    ),
                    "no such feature in this package".into(),
                    None,
                ));
                continue;
            }
            let Some(range) = am.range() else { continue };
            if !range.resolves_below(&feature.minimum) {
                continue;
            }
            let written = am
                .site
                .map(|(_, s)| s.text.value.clone())
                .unwrap_or_default();
            out.push(version_finding(
                "DTS307",
                &am,
                format!(
                    "the app uses {}, which needs {} {} or later; this is {written}",
                    feature.name, model.azure_managed.id, feature.minimum
                ),
                format!("below {} for {}", feature.minimum, feature.name),
                raise_fix(cx.app, model, &[Some(&am), df.as_ref()]),
            ));
        }
    }
}
