//! DTS108 `unsupported-on-dts`: a durableTask-level setting the Durable Task Scheduler does not
//! offer (extended sessions) on an app that uses azureManaged. Its fix removes the key with its
//! value.

use crate::facts::facts;
use crate::finding::Finding;
use crate::fix::Applicability;
use crate::model::Parsed;
use crate::rules::{fix_in, json_span};
use crate::syntax::jsonc::{Json, Member};
use crate::syntax::jsonc_edit::edit_object;

/// DTS108 for `m`, the member at `i` of the durableTask `section` of an app already on DTS.
pub(super) fn check_member(
    host: &Parsed<Json>,
    section: &Json,
    i: usize,
    m: &Member,
    out: &mut Vec<Finding>,
) {
    let text = &host.file.text;
    if facts()
        .unsupported_on_dts
        .iter()
        .any(|k| k.eq_ignore_ascii_case(&m.key))
    {
        let edits = edit_object(text, section, &[i], &[]);
        out.push(
            Finding::new(
                "DTS108",
                json_span(host, m.key_range.clone()),
                format!(
                    "\"{}\" is not available on the Durable Task Scheduler backend",
                    m.key
                ),
            )
            .label("not supported on DTS")
            .fix(fix_in(
                host,
                format!("remove \"{}\"", m.key),
                Applicability::Safe,
                edits,
            )),
        );
    }
}
