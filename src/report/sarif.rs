//! SARIF 2.1.0: every rule with its help, results with repo-relative URIs, stable
//! `partialFingerprints`, and fixes as artifact changes; every text masked, the new text of
//! fixes included.

use serde_json::{json, Value};

use super::fingerprints;
use crate::facts::Severity;
use crate::facts::{catalogue, RuleMeta};
use crate::finding::{Finding, Span};
use crate::fix::Applicability;
use crate::source::display_path;
use crate::source::redact::mask;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(meta: &RuleMeta) -> Value {
    let markdown = super::rule_docs::text(meta);
    json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": { "text": meta.summary },
        "fullDescription": { "text": meta.docs.what_it_does.trim() },
        "help": { "text": markdown, "markdown": markdown },
        "defaultConfiguration": { "level": level(meta.severity) },
        "properties": { "tags": [meta.family] },
    })
}

fn region(span: &Span) -> Value {
    let (line, col) = span.start();
    let (end_line, end_col) = span.end();
    let text = span.file.text.as_str();
    let char_offset = text[..span.range.start].chars().count();
    let char_length = text[span.range.clone()].chars().count();
    json!({
        "startLine": line,
        "startColumn": col,
        "endLine": end_line,
        "endColumn": end_col,
        "charOffset": char_offset,
        "charLength": char_length,
    })
}

fn location(span: &Span) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": display_path(&span.file.path), "uriBaseId": "SRCROOT" },
            "region": region(span),
        }
    })
}

/// Renders the findings as one SARIF log.
pub fn render(findings: &[Finding], out: &mut String) {
    let rules: Vec<&RuleMeta> = catalogue().values().collect();
    let prints = fingerprints(findings);
    let results: Vec<Value> = findings
        .iter()
        .zip(prints)
        .map(|(f, fingerprint)| {
            let rule_index = rules.iter().position(|r| r.code == f.code);
            let mut result = json!({
                "ruleId": f.code,
                "ruleIndex": rule_index,
                "level": level(f.severity),
                "message": { "text": mask(&f.message) },
                "locations": [location(&f.span)],
                "partialFingerprints": { "dtsMigrateFinding/v1": fingerprint },
            });
            if !f.related.is_empty() {
                result["relatedLocations"] = f
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let mut loc = location(&r.span);
                        loc["id"] = json!(i);
                        loc["message"] = json!({ "text": mask(&r.label) });
                        loc
                    })
                    .collect();
            }
            if let Some(fix) = f.fix.as_ref().filter(|x| x.applicability != Applicability::DisplayOnly) {
                let mut by_file: Vec<(String, Vec<Value>)> = Vec::new();
                for e in &fix.edits {
                    let uri = display_path(&e.file.path);
                    let span = Span::new(&e.file, e.range.clone());
                    let replacement = json!({
                        "deletedRegion": region(&span),
                        "insertedContent": { "text": mask(&e.replacement) },
                    });
                    match by_file.iter_mut().find(|(u, _)| *u == uri) {
                        Some((_, list)) => list.push(replacement),
                        None => by_file.push((uri, vec![replacement])),
                    }
                }
                result["fixes"] = json!([{
                    "description": { "text": format!("{} ({})", mask(&fix.message), fix.applicability.as_str()) },
                    "artifactChanges": by_file.into_iter().map(|(uri, replacements)| json!({
                        "artifactLocation": { "uri": uri, "uriBaseId": "SRCROOT" },
                        "replacements": replacements,
                    })).collect::<Vec<_>>(),
                }]);
            }
            result
        })
        .collect();
    let root = std::env::current_dir()
        .ok()
        .map(|d| format!("file://{}/", d.to_string_lossy().trim_end_matches('/')));
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "dts-migrate",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|r| rule(r)).collect::<Vec<_>>(),
                "properties": { "factsDate": crate::facts::facts_date() },
            }},
            "originalUriBaseIds": { "SRCROOT": { "uri": root } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    super::json::push_pretty(&log, out);
}
