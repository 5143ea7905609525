//! DTS5xx — files. DTS501 (parse errors) and DTS504 (size) are the findings of the problems met
//! while loading (`model::load`); DTS505 and DTS506 those of the engine's suppression pass; this
//! module adds DTS109 (duplicate keys), which
//! applies to every JSON file of every app, durable or not, DTS502 (more than one project file
//! beside host.json, which stops every build of the app) and DTS503 (an encrypted
//! local.settings.json of a durable app).

use std::collections::HashMap;

use compact_str::CompactString;

use super::{fix_in, json_span, Context};
use crate::finding::{Finding, Span};
use crate::fix::Applicability;
use crate::model::{LoadFailure, LoadProblem, Parsed};
use crate::syntax::jsonc::{Json, JsonKind, Member};
use crate::syntax::jsonc_edit::edit_object;

mod dts501_parse_error;
mod dts504_file_too_large;
pub mod dts505_unused_suppression;
pub mod dts506_invalid_suppression;

/// The findings for the files the loader could not use: DTS504 over the size limit, DTS501
/// for every other failure.
pub fn load_findings(problems: &[LoadProblem]) -> Vec<Finding> {
    problems
        .iter()
        .map(|p| match p.failure {
            LoadFailure::TooLarge => dts504_file_too_large::finding(p),
            _ => dts501_parse_error::finding(p),
        })
        .collect()
}

/// Runs the file rules.
pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if let Some(host) = &cx.app.host {
        // host.json sections are bound by .NET configuration, which ignores key case.
        duplicate_keys(host, &host.doc, true, out);
    }
    if let Some(settings) = &cx.app.local_settings {
        duplicate_keys(settings, &settings.doc, false, out);
        if cx.durable {
            encrypted_settings(settings, out);
        }
    }
    ambiguous_project(cx, out);
}

/// Whether local.settings.json says its values are encrypted (`"IsEncrypted": true`).
pub fn is_encrypted(settings: &Json) -> bool {
    match settings.get_ci("IsEncrypted").map(|v| &v.kind) {
        Some(JsonKind::Bool(b)) => *b,
        Some(JsonKind::String(s)) => s.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// DTS503: values encrypted with `func settings encrypt` cannot be checked.
fn encrypted_settings(settings: &Parsed<Json>, out: &mut Vec<Finding>) {
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

/// DTS502: more than one project file beside host.json, counting extensions.csproj.
fn ambiguous_project(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let app = cx.app;
    let projects: Vec<_> = app.projects.iter().chain(&app.extensions_project).collect();
    let Some((last, others)) = projects.split_last() else {
        return;
    };
    if others.is_empty() {
        return;
    }
    let start_tag = |p: &Parsed<crate::syntax::msbuild::Project>| {
        let root = p.doc.root.clone();
        let end = p.file.text.as_str()[root.clone()]
            .find('>')
            .map_or(root.end, |i| root.start + i + 1);
        Span::new(&p.file, root.start..end)
    };
    let name = |p: &Parsed<crate::syntax::msbuild::Project>| {
        p.file
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    };
    let names: Vec<String> = projects.iter().map(|p| name(p)).collect();
    let n = projects.len();
    let help = if app.extensions_project.is_some() && app.projects.len() == 1 {
        "a .NET app takes its extensions as PackageReferences in its own project: move any package only extensions.csproj has there, delete extensions.csproj, then delete bin/ and obj/"
    } else {
        "keep one project file per Functions app folder"
    };
    let mut finding = Finding::new(
        "DTS502",
        start_tag(last),
        format!(
            "{n} project files beside host.json ({}): `func start` and `dotnet build` stop with \"Can't determine Project to build. Expected 1 .csproj or .fsproj but found {n}\"",
            names.join(", ")
        ),
    )
    .label("one project too many")
    .help(help);
    for p in others {
        finding = finding.related(start_tag(p), format!("{} is here", name(p)));
    }
    out.push(finding);
}

/// DTS109: a key repeated in one object. The host's JSON reader keeps the last value.
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

fn duplicate_keys(file: &Parsed<Json>, value: &Json, ignore_case: bool, out: &mut Vec<Finding>) {
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
