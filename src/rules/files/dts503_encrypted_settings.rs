//! DTS503 `encrypted-settings`: local.settings.json says `"IsEncrypted": true`, so its values
//! cannot be checked and no fix writes into it. Info; no fix (decrypt, check, encrypt again).

use super::is_encrypted;
use crate::finding::Finding;
use crate::model::Parsed;
use crate::rules::json_span;
use crate::syntax::jsonc::Json;

/// DTS503: values encrypted with `func settings encrypt` cannot be checked.
pub fn check(settings: &Parsed<Json>, out: &mut Vec<Finding>) {
    let Some(member) = settings.doc.member_ci("IsEncrypted") else {
        return;
    };
    if !is_encrypted(&settings.doc) {
        return;
    }
    out.push(
        Finding::new(
            "DTS503",
            json_span(settings, member.value.range.clone()),
            "local.settings.json is encrypted: the connection string, hub and storage values cannot be checked, and no fix writes into the file",
        )
        .label("values are encrypted")
        .help("run `func settings decrypt`, check again, then `func settings encrypt`"),
    );
}
