//! DTS110 `renamed-provider-key`: a storageProvider key of azureManaged under a name the provider
//! renamed (`largePayloadStorageEnabled` → `payloadStorageEnabled`, …). The fix renames the key;
//! in a .NET isolated app whose AzureManaged is below the version that reads the new names it
//! raises the packages too.

use crate::facts::facts;
use crate::facts::packages::package_facts;
use crate::finding::Finding;
use crate::fix::{Applicability, Edit, Fix};
use crate::model::{Hosting, Parsed};
use crate::rules::packages::{raise_fix, Packages};
use crate::rules::{fix_in, json_span, Context};
use crate::syntax::jsonc::Json;
use crate::syntax::jsonc_edit::rename_key;
use crate::syntax::nuget::Version;

/// DTS110: renamed keys in the storageProvider of an app already on DTS.
pub(super) fn check(cx: &Context<'_>, host: &Parsed<Json>, out: &mut Vec<Finding>) {
    let f = facts();
    let Some(members) = cx.app.storage_provider().and_then(|p| p.value.members()) else {
        return;
    };
    for m in members {
        let Some(renamed) = f
            .renamed_keys
            .iter()
            .find(|r| r.old.eq_ignore_ascii_case(&m.key))
        else {
            continue;
        };
        let taken = members
            .iter()
            .any(|o| o.key.eq_ignore_ascii_case(&renamed.new));
        let fix = if taken {
            None
        } else {
            let rename = fix_in(
                host,
                format!("rename \"{}\" to \"{}\"", m.key, renamed.new),
                Applicability::Safe,
                vec![rename_key(m, &renamed.new)],
            );
            with_raise(cx, rename)
        };
        let mut finding = Finding::new(
            "DTS110",
            json_span(host, m.key_range.clone()),
            format!(
                "\"{}\" is the old name of \"{}\": AzureManaged {} renamed the large-payload keys, and the documentation names only the new ones",
                m.key, renamed.new, f.renamed_keys_since
            ),
        )
        .label(format!("now \"{}\"", renamed.new))
        .fix(fix);
        if taken {
            finding = finding.help(format!(
                "\"{}\" is already set: remove \"{}\"",
                renamed.new, m.key
            ));
        }
        out.push(finding);
    }
}

/// The rename, with the raise of the isolated packages when AzureManaged resolves below the
/// version that reads the new names (the raise's applicability then decides).
fn with_raise(cx: &Context<'_>, rename: Option<Fix>) -> Option<Fix> {
    let mut rename = rename?;
    if cx.hosting != Hosting::Isolated {
        return Some(rename);
    }
    let Some(since) = Version::parse(&facts().renamed_keys_since) else {
        return Some(rename);
    };
    let model = &package_facts().isolated;
    let packages = Packages::new(cx.app);
    for project in &cx.app.projects {
        let am = packages.find(project, &model.azure_managed.id);
        let Some(range) = am.as_ref().and_then(|u| u.range()) else {
            continue;
        };
        if !range.resolves_below(&since) {
            continue;
        }
        let df = packages.find(project, &model.durable.id);
        let raise = raise_fix(cx.app, model, &[am.as_ref(), df.as_ref()])?;
        rename.message = format!("{} and {}", rename.message, raise.message);
        rename.applicability = rename.applicability.min(raise.applicability);
        rename.edits.extend(raise.edits);
        rename.edits.sort_by(|a: &Edit, b: &Edit| {
            (&a.file.path, a.range.start).cmp(&(&b.file.path, b.range.start))
        });
        return Some(rename);
    }
    Some(rename)
}
