//! Inline suppressions (DESIGN §6): a comment on the line before a finding,
//! `// dts-migrate-ignore DTS107: reason` in JSONC or
//! `<!-- dts-migrate-ignore DTS302: reason -->` in MSBuild files, silences the findings of those
//! codes (or prefixes, comma-separated) that start on the next line. The reason is required. A
//! suppression without a reason or with an unknown code is DTS506; one that silences nothing is
//! DTS505. The findings themselves are built by those rules' files
//! (`rules/files/dts505_unused_suppression.rs`, `rules/files/dts506_invalid_suppression.rs`).

use std::ops::Range;

use crate::finding::{Finding, Span};
use crate::model::App;
use crate::rules::files::{dts505_unused_suppression, dts506_invalid_suppression};
use crate::source::FileRef;
use crate::syntax::jsonc::outside_string;

/// The word that starts a suppression.
pub const MARKER: &str = "dts-migrate-ignore";

/// One suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Suppression {
    /// The comment text from the marker to the end of the comment.
    range: Range<usize>,
    /// 1-based line whose findings it silences.
    target_line: usize,
    /// Codes or prefixes, upper-cased.
    codes: Vec<String>,
    /// What is wrong with it, if anything (then it silences nothing).
    problem: Option<String>,
}

/// Every file of the app the rules read, for suppressions.
pub fn files_of(app: &App) -> Vec<FileRef> {
    let mut files: Vec<FileRef> = Vec::new();
    files.extend(app.host.iter().map(|p| p.file.clone()));
    files.extend(app.local_settings.iter().map(|p| p.file.clone()));
    files.extend(app.projects.iter().map(|p| p.file.clone()));
    files.extend(app.extensions_project.iter().map(|p| p.file.clone()));
    files.extend(app.props.iter().map(|p| p.file.clone()));
    files
}

/// The suppressions in `file`: markers inside a `//`, `/* */` or `<!-- -->` comment.
fn scan(file: &FileRef) -> Vec<Suppression> {
    let text = file.text.as_str();
    let mut out = Vec::new();
    for (at, _) in text.match_indices(MARKER) {
        // Lines end at LF, CRLF or a lone CR (`SourceText`), and so does a `//` comment.
        let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let before = &text[line_start..at];
        let close = if before.contains("<!--") {
            "-->"
        } else if before.contains("/*") {
            "*/"
        } else if before
            .find("//")
            .is_some_and(|i| outside_string(&before[..i]))
        {
            "\n"
        } else {
            continue;
        };
        let body_start = at + MARKER.len();
        let body_end = match close {
            "\n" => text[body_start..].find(['\n', '\r']),
            _ => text[body_start..].find(close),
        }
        .map_or(text.len(), |i| body_start + i);
        let body = text[body_start..body_end].trim_end();
        let (codes_text, reason) = match body.split_once(':') {
            Some((codes, reason)) => (codes, reason.trim()),
            None => (body, ""),
        };
        let codes: Vec<String> = codes_text
            .split([',', ' '])
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .collect();
        let unknown: Vec<&String> = codes
            .iter()
            .filter(|c| {
                !crate::facts::catalogue()
                    .keys()
                    .any(|k| k.starts_with(c.as_str()))
            })
            .collect();
        let problem = if codes.is_empty() {
            Some("names no rule code".to_string())
        } else if !unknown.is_empty() {
            Some(format!(
                "names unknown rule code {}",
                unknown
                    .iter()
                    .map(|c| format!("{c:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        } else if reason.is_empty() {
            Some("gives no reason (write `CODE: why`)".to_string())
        } else {
            None
        };
        let end_line = file.text.line_col(body_end.min(text.len())).0;
        let close_on_same_line = close != "\n";
        out.push(Suppression {
            range: at..body_start + body.len(),
            target_line: if close_on_same_line {
                end_line + 1
            } else {
                file.text.line_col(at).0 + 1
            },
            codes,
            problem,
        });
    }
    out
}

/// Removes the findings that a suppression silences and adds DTS505/DTS506 for suppressions
/// that are unused or malformed. `enabled` says whether a code runs at all: a suppression for a
/// rule that is switched off is not reported as unused.
pub fn apply(findings: &mut Vec<Finding>, files: &[FileRef], enabled: impl Fn(&str) -> bool) {
    for file in files {
        if !file.text.as_str().contains(MARKER) {
            continue;
        }
        let suppressions = scan(file);
        let mut used = vec![false; suppressions.len()];
        findings.retain(|f| {
            if f.span.file.path != file.path || matches!(f.code, "DTS505" | "DTS506") {
                return true;
            }
            let line = f.span.file.text.line_col(f.span.range.start).0;
            let hit = suppressions.iter().position(|s| {
                s.problem.is_none()
                    && s.target_line == line
                    && s.codes.iter().any(|c| f.code.starts_with(c.as_str()))
            });
            if let Some(i) = hit {
                used[i] = true;
            }
            hit.is_none()
        });
        for (s, used) in suppressions.iter().zip(used) {
            let span = Span::new(file, s.range.clone());
            if let Some(problem) = &s.problem {
                findings.push(dts506_invalid_suppression::finding(span, problem));
            } else if !used && s.codes.iter().all(|c| enabled(c)) {
                findings.push(dts505_unused_suppression::finding(span, &s.codes));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::text::SourceText;
    use crate::source::SourceFile;
    use std::sync::Arc;

    fn file(text: &str) -> FileRef {
        Arc::new(SourceFile {
            path: "host.json".into(),
            text: SourceText::from_string(text.to_string()),
            walked: None,
        })
    }

    #[test]
    fn scans_jsonc_and_xml_comments() {
        let f = file("{\n  // dts-migrate-ignore DTS107, dts108: tuned on purpose\n  \"a\": 1,\n  \"u\": \"http://x dts-migrate-ignore DTS1: no\"\n}\n");
        let s = scan(&f);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].target_line, 3);
        assert_eq!(s[0].codes, vec!["DTS107", "DTS108"]);
        assert_eq!(s[0].problem, None);
        let f = file("<Project>\r\n  <!-- dts-migrate-ignore DTS302:\r\n       kept for the rollback -->\r\n  <X/>\r\n</Project>");
        let s = scan(&f);
        assert_eq!(s[0].target_line, 4);
        assert_eq!(s[0].problem, None);
        let f = file("// dts-migrate-ignore DTS107\n// dts-migrate-ignore DTS999: why\n");
        let s = scan(&f);
        assert!(s[0].problem.as_deref().unwrap().contains("reason"));
        assert!(s[1].problem.as_deref().unwrap().contains("DTS999"));
    }
}
