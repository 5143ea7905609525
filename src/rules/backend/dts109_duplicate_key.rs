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

/// Whether two members share a key: pair by pair for the small objects config files are made
/// of; for large ones, by sorting the hashes of their keys and comparing only the keys whose
/// hashes are equal (no set is built: this runs on every object of every file).
fn has_duplicates(members: &[Member], ignore_case: bool) -> bool {
    let same = |a: &str, b: &str| {
        if ignore_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    if members.len() <= 8 {
        return members
            .iter()
            .enumerate()
            .any(|(i, a)| members[..i].iter().any(|b| same(&a.key, &b.key)));
    }
    let mut hashes: Vec<(u64, usize)> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (key_hash(&m.key, ignore_case), i))
        .collect();
    hashes.sort_unstable();
    hashes.chunk_by(|a, b| a.0 == b.0).any(|run| {
        run.iter().enumerate().any(|(i, a)| {
            run[..i]
                .iter()
                .any(|b| same(&members[a.1].key, &members[b.1].key))
        })
    })
}

/// The hash of a key, of its ASCII lowercase when `ignore_case` (keys equal ignoring case hash
/// alike), without a copy.
fn key_hash(key: &str, ignore_case: bool) -> u64 {
    key.bytes().fold(key.len() as u64, |h, b| {
        let b = if ignore_case {
            b.to_ascii_lowercase()
        } else {
            b
        };
        (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn members(keys: &[&str]) -> Vec<Member> {
        let text = format!(
            "{{{}}}",
            keys.iter()
                .map(|k| format!("\"{k}\": 1"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let source = crate::source::text::SourceText::from_string(text);
        match crate::syntax::jsonc::parse(&source).map(|doc| doc.kind) {
            Ok(JsonKind::Object(members)) => members,
            other => panic!("not an object: {other:?}"),
        }
    }

    /// Small objects are compared pair by pair, large ones through a set: both ways agree.
    #[test]
    fn duplicates_are_found_in_small_and_large_objects_with_and_without_case() {
        for size in [2, 8, 9, 40] {
            let mut keys: Vec<String> = (0..size).map(|i| format!("key{i}")).collect();
            let distinct: Vec<&str> = keys.iter().map(String::as_str).collect();
            assert!(!has_duplicates(&members(&distinct), true), "{size}");
            keys.push(format!("KEY{}", size - 1));
            let cased: Vec<&str> = keys.iter().map(String::as_str).collect();
            assert!(has_duplicates(&members(&cased), true), "{size}");
            assert!(!has_duplicates(&members(&cased), false), "{size}");
            keys.push(format!("key{}", size / 2));
            let repeated: Vec<&str> = keys.iter().map(String::as_str).collect();
            assert!(has_duplicates(&members(&repeated), false), "{size}");
        }
    }
}
