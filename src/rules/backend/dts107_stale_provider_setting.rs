//! DTS107 `stale-provider-setting`: a setting of the Azure Storage, MSSQL or Netherite provider
//! left on an app that uses azureManaged — inside storageProvider, or at the durableTask level
//! (`useAppLease`, `appLeaseOptions`) — which the Durable Task Scheduler ignores. Its fix
//! removes the key with its value.

use crate::facts::facts;
use crate::finding::Finding;
use crate::fix::Applicability;
use crate::model::Parsed;
use crate::rules::{fix_in, json_span, Context};
use crate::syntax::jsonc::{Json, Member};
use crate::syntax::jsonc_edit::edit_object;

/// DTS107 for `m`, the member at `i` of the durableTask `section` of an app already on DTS:
/// the Azure Storage settings read at that level.
pub(super) fn check_durable_member(
    host: &Parsed<Json>,
    section: &Json,
    i: usize,
    m: &Member,
    out: &mut Vec<Finding>,
) {
    if facts()
        .provider_keys
        .durable_level
        .iter()
        .any(|k| k.eq_ignore_ascii_case(&m.key))
    {
        out.push(stale_key(host, section, i, m, "Azure Storage"));
    }
}

/// DTS107: other providers' keys inside storageProvider, on an app already on DTS.
pub(super) fn check_provider(cx: &Context<'_>, host: &Parsed<Json>, out: &mut Vec<Finding>) {
    let Some(provider) = cx.app.storage_provider() else {
        return;
    };
    let Some(members) = provider.value.members() else {
        return;
    };
    let f = facts();
    for (i, m) in members.iter().enumerate() {
        if f.dts_keys.iter().any(|k| k.eq_ignore_ascii_case(&m.key)) {
            continue;
        }
        let keys = &f.provider_keys;
        let owner = [
            (&keys.azure_storage, "Azure Storage"),
            (&keys.mssql, "MSSQL"),
            (&keys.netherite, "Netherite"),
        ]
        .into_iter()
        .find(|(list, _)| list.iter().any(|k| k.eq_ignore_ascii_case(&m.key)))
        .map(|(_, name)| name);
        if let Some(owner) = owner {
            out.push(stale_key(host, &provider.value, i, m, owner));
        }
    }
}

/// The DTS107 finding for `m`, the member at `index` of `object`, a setting of `owner`.
fn stale_key(host: &Parsed<Json>, object: &Json, index: usize, m: &Member, owner: &str) -> Finding {
    let edits = edit_object(&host.file.text, object, &[index], &[]);
    Finding::new(
        "DTS107",
        json_span(host, m.key_range.clone()),
        format!(
            "\"{}\" is a setting of the {owner} backend; the Durable Task Scheduler ignores it",
            m.key
        ),
    )
    .label(format!("{owner} setting"))
    .fix(fix_in(
        host,
        format!("remove \"{}\"", m.key),
        Applicability::Safe,
        edits,
    ))
}
