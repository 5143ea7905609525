//! DTS306 `floating-version`: a Durable or provider package whose version floats (`*`, `1.*`,
//! `1.0.0-*`), so each restore may pick a different build. No fix: the help suggests the exact
//! version the fixes write, or a lock file.

use super::PackageUse;
use crate::facts::facts;
use crate::facts::packages::package_facts;
use crate::finding::Finding;

/// DTS306: floating versions of Durable packages.
pub(super) fn floating(uses: &[PackageUse<'_>], out: &mut Vec<Finding>) {
    let f = facts();
    let p = package_facts();
    for u in uses {
        let id = &u.item.id.value;
        if !(f.is_durable_package(id) || f.backend_of_package(id).is_some()) {
            continue;
        }
        let Some(range) = u.range() else { continue };
        if !range.is_floating() {
            continue;
        }
        let written = u
            .site
            .map(|(_, s)| s.text.value.clone())
            .unwrap_or_default();
        let recommended = [&p.isolated, &p.webjobs]
            .into_iter()
            .flat_map(|m| [&m.azure_managed, &m.durable])
            .find(|t| t.id.eq_ignore_ascii_case(id))
            .map(|t| {
                format!(
                    " (for example {}, the version the fixes write)",
                    t.recommended
                )
            })
            .unwrap_or_default();
        let (span, related) = u.spans();
        let mut finding = Finding::new(
            "DTS306",
            span,
            format!("{id} uses the floating version {written}: each restore may pick a different build, so builds are not reproducible"),
        )
        .label("floating version")
        .help(format!("pin an exact version{recommended}, or commit a packages.lock.json"));
        if let Some((span, label)) = related {
            finding = finding.related(span, label);
        }
        out.push(finding);
    }
}
