//! DTS109 `duplicate-key`: a key repeated in one object of host.json (case-insensitively, as
//! .NET configuration binds it) or local.settings.json, in every app, durable or not; the
//! host's JSON reader keeps the last value. Its fix (unsafe) removes the earlier occurrences
//! and keeps the last one, the value the host uses today. `files::check` runs it on each file.

use std::collections::HashMap;

use compact_str::CompactString;

use crate::finding::Finding;
use crate::fix::Applicability;
use crate::model::Parsed;
use crate::rules::{bound, fix_in, json_span};
use crate::syntax::jsonc::{Json, JsonKind, Member};
use crate::syntax::jsonc_edit::edit_object;

/// DTS109 in `file`, with keys compared ignoring ASCII case when `ignore_case`. `bounded`:
/// keep only what [`bound::cap`] reports, bounding as findings come (a plain check).
pub(crate) fn check(file: &Parsed<Json>, ignore_case: bool, bounded: bool, out: &mut Vec<Finding>) {
    if !bounded {
        duplicate_keys(file, &file.doc, ignore_case, &mut |f| out.push(f));
        return;
    }
    let mut kept: Vec<Finding> = Vec::new();
    duplicate_keys(file, &file.doc, ignore_case, &mut |f| {
        kept.push(f);
        if kept.len() >= 4 * bound::MAX_PER_RULE_AND_FILE {
            bound::cap(&mut kept);
        }
    });
    bound::cap(&mut kept);
    out.append(&mut kept);
}

/// Whether two members share a key: without allocating for the small objects config files
/// are made of, through a set for large ones.
fn has_duplicates(members: &[Member], ignore_case: bool) -> bool {
    let same = |a: &str, b: &str| {
        if ignore_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    if members.len() <= 32 {
        return members
            .iter()
            .enumerate()
            .any(|(i, a)| members[..i].iter().any(|b| same(&a.key, &b.key)));
    }
    let mut seen = std::collections::HashSet::new();
    !members.iter().all(|m| {
        seen.insert(if ignore_case {
            m.key.to_ascii_lowercase()
        } else {
            m.key.clone()
        })
    })
}

/// DTS109 in `value` and every value inside it.
fn duplicate_keys(
    file: &Parsed<Json>,
    value: &Json,
    ignore_case: bool,
    out: &mut dyn FnMut(Finding),
) {
    match &value.kind {
        JsonKind::Object(members) if !has_duplicates(members, ignore_case) => {
            for m in members {
                duplicate_keys(file, &m.value, ignore_case, out);
            }
        }
        JsonKind::Object(members) => {
            let mut groups: HashMap<CompactString, Vec<usize>> = HashMap::new();
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
                    out(
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
