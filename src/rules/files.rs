//! DTS5xx — files. DTS501 (parse errors) and DTS504 (size) are raised while loading
//! (`app::load_json`, `app::load_project`); this module adds DTS109 (duplicate keys), which
//! applies to every JSON file of every app, durable or not.

use std::collections::HashMap;

use super::{fix_in, json_span, Context};
use crate::app::Parsed;
use crate::finding::Finding;
use crate::fix::Applicability;
use crate::syntax::jsonc::{Json, JsonKind};
use crate::syntax::jsonc_edit::edit_object;

/// The documentation of this family's rules.
pub const RULE_FILES: &[(&str, &str)] = &[
    ("DTS501", include_str!("../../rules/DTS501.toml")),
    ("DTS504", include_str!("../../rules/DTS504.toml")),
];

/// Runs the file rules.
pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if let Some(host) = &cx.app.host {
        // host.json sections are bound by .NET configuration, which ignores key case.
        duplicate_keys(host, &host.doc, true, out);
    }
    if let Some(settings) = &cx.app.local_settings {
        duplicate_keys(settings, &settings.doc, false, out);
    }
}

/// DTS109: a key repeated in one object. The host's JSON reader keeps the last value.
fn duplicate_keys(file: &Parsed<Json>, value: &Json, ignore_case: bool, out: &mut Vec<Finding>) {
    match &value.kind {
        JsonKind::Object(members) => {
            let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, m) in members.iter().enumerate() {
                let key = if ignore_case {
                    m.key.to_ascii_lowercase()
                } else {
                    m.key.clone()
                };
                groups.entry(key).or_default().push(i);
            }
            let mut repeated: Vec<&Vec<usize>> = groups.values().filter(|g| g.len() > 1).collect();
            repeated.sort();
            for group in repeated {
                let Some(&last) = group.last() else {
                    continue;
                };
                let kept = &members[last];
                for &i in &group[..group.len() - 1] {
                    let m = &members[i];
                    let same_case = m.key == kept.key;
                    let message = if same_case {
                        format!("the key \"{}\" appears more than once in this object; only the last one takes effect", m.key)
                    } else {
                        format!(
                            "the keys \"{}\" and \"{}\" differ only in case; the host reads them as one key and only the last one takes effect",
                            m.key, kept.key
                        )
                    };
                    let edits = edit_object(&file.file.text, value, &[i], &[]);
                    out.push(
                        Finding::new("DTS109", json_span(file, m.key_range.clone()), message)
                            .label("ignored: a later key wins")
                            .related(json_span(file, kept.key_range.clone()), "this one is used")
                            .fix(fix_in(
                                file,
                                format!("remove the earlier \"{}\"", m.key),
                                Applicability::Unsafe,
                                edits,
                            )),
                    );
                }
            }
            for m in members {
                duplicate_keys(file, &m.value, ignore_case, out);
            }
        }
        JsonKind::Array(items) => {
            for item in items {
                duplicate_keys(file, item, ignore_case, out);
            }
        }
        _ => {}
    }
}
