//! The bound on what one file can make a run report: at most [`MAX_PER_RULE_AND_FILE`] findings
//! of one rule in one file, the first ones in report order, and one summary finding for the
//! rest. Applied by the engine to every app's findings after the rules and the policy ran, so
//! it holds for every rule; it never changes which fixes are applied (the fix engine works on
//! every finding, and only what is reported is bounded). A plain check also bounds DTS109 as
//! it goes (a file can hold hundreds of thousands of duplicate keys): a summary stands for the
//! findings it sums up ([`Finding::more`]), so bounding again gives the same summary.

use std::collections::HashMap;
use std::path::Path;

use crate::finding::Finding;

/// The most findings of one rule reported one by one in one file.
pub const MAX_PER_RULE_AND_FILE: usize = 100;

/// Keeps the first [`MAX_PER_RULE_AND_FILE`] findings (in report order) of each rule in each
/// file, and puts in place of the others one finding of the same rule at the first of them:
/// "… and N more CODE findings in this file", with the highest severity among them (so the
/// exit code is the same). When any are dropped, the findings come out in report order.
pub fn cap(findings: &mut Vec<Finding>) {
    if findings.len() <= MAX_PER_RULE_AND_FILE {
        return;
    }
    let mut groups: HashMap<(&Path, &'static str), Vec<usize>> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        groups
            .entry((f.span.file.path.as_path(), f.code))
            .or_default()
            .push(i);
    }
    let mut over: Vec<Vec<usize>> = groups
        .into_values()
        .filter(|group| group.len() > MAX_PER_RULE_AND_FILE)
        .collect();
    if over.is_empty() {
        return;
    }
    // In file and position order, so that the summaries come in report order too.
    over.sort_by_key(|group| group.first().copied());
    let mut dropped = vec![false; findings.len()];
    let mut summaries = Vec::with_capacity(over.len());
    for mut group in over {
        // The first MAX_PER_RULE_AND_FILE in report order, in linear time.
        group.select_nth_unstable_by(MAX_PER_RULE_AND_FILE, |&a, &b| {
            Finding::report_order(&findings[a], &findings[b])
        });
        let rest = &group[MAX_PER_RULE_AND_FILE..];
        let Some(&first) = rest
            .iter()
            .min_by(|&&a, &&b| Finding::report_order(&findings[a], &findings[b]))
        else {
            continue;
        };
        let severity = rest.iter().map(|&i| findings[i].severity).max();
        let count: usize = rest.iter().map(|&i| findings[i].more.max(1)).sum();
        for &i in rest {
            dropped[i] = true;
        }
        let shown = &findings[first];
        let code = shown.code;
        let mut summary = Finding::new(
            code,
            shown.span.clone(),
            format!("… and {count} more {code} findings in this file"),
        )
        .label("the first of them")
        .help(format!(
            "only the first {MAX_PER_RULE_AND_FILE} {code} findings of a file are reported one by one; fixes still apply to all of them"
        ));
        if let Some(severity) = severity {
            summary = summary.severity(severity);
        }
        summary.more = count;
        summaries.push(summary);
    }
    let mut i = 0;
    findings.retain(|_| {
        i += 1;
        !dropped[i - 1]
    });
    findings.extend(summaries);
    findings.sort_by(Finding::report_order);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Severity;
    use crate::source::{SourceFile, SourceText, Span};
    use std::sync::Arc;

    #[test]
    fn keeps_the_first_findings_of_a_rule_in_a_file_and_sums_up_the_rest() {
        let file = |name: &str| {
            Arc::new(SourceFile {
                path: name.into(),
                text: SourceText::from_string("x".repeat(1000)),
                walked: None,
            })
        };
        let (a, b) = (file("a.json"), file("b.json"));
        let at = |f: &Arc<SourceFile>, code: &'static str, i: usize| {
            Finding::new(code, Span::new(f, i..i + 1), format!("{i}"))
        };
        // 150 DTS109 in a.json, backwards; 100 in b.json; 120 DTS107 in a.json, one an error.
        let mut findings: Vec<Finding> = (0..150).rev().map(|i| at(&a, "DTS109", i)).collect();
        findings.extend((0..100).map(|i| at(&b, "DTS109", i)));
        findings.extend((0..120).map(|i| {
            let f = at(&a, "DTS107", 500 + i);
            if i == 110 {
                f.severity(Severity::Error)
            } else {
                f
            }
        }));
        cap(&mut findings);
        let count = |path: &str, code: &str| {
            findings
                .iter()
                .filter(|f| f.span.file.path == Path::new(path) && f.code == code)
                .count()
        };
        assert_eq!(count("a.json", "DTS109"), 101);
        assert_eq!(count("b.json", "DTS109"), 100);
        assert_eq!(count("a.json", "DTS107"), 101);
        // The kept ones are the first 100 by position, in their order.
        let in_a: Vec<(usize, &str)> = findings
            .iter()
            .filter(|f| f.span.file.path == Path::new("a.json"))
            .map(|f| (f.span.range.start, f.code))
            .collect();
        let mut expected: Vec<(usize, &str)> = (0..101).map(|i| (i, "DTS109")).collect();
        expected.extend((500..601).map(|i| (i, "DTS107")));
        assert_eq!(in_a, expected);
        let summary = |at: usize| {
            findings
                .iter()
                .find(|f| f.span.range.start == at && f.message.starts_with('…'))
        };
        let s109 = summary(100).unwrap();
        assert_eq!(s109.message, "… and 50 more DTS109 findings in this file");
        let s107 = summary(600).unwrap();
        assert_eq!(s107.message, "… and 20 more DTS107 findings in this file");
        assert_eq!(s107.severity, Severity::Error);
    }

    #[test]
    fn bounding_as_findings_come_gives_what_bounding_once_gives() {
        let file = Arc::new(SourceFile {
            path: "a.json".into(),
            text: SourceText::from_string("x".repeat(5000)),
            walked: None,
        });
        let at = |i: usize| Finding::new("DTS109", Span::new(&file, i..i + 1), format!("{i}"));
        // In one go.
        let mut once: Vec<Finding> = (0..3000).rev().map(at).collect();
        cap(&mut once);
        // As they come, bounded every 400, as DTS109 does in a plain check.
        let mut going: Vec<Finding> = Vec::new();
        for i in (0..3000).rev() {
            going.push(at(i));
            if going.len() >= 400 {
                cap(&mut going);
            }
        }
        cap(&mut going);
        let shown = |f: &[Finding]| -> Vec<(usize, String, usize)> {
            f.iter()
                .map(|x| (x.span.range.start, x.message.clone(), x.more))
                .collect()
        };
        assert_eq!(shown(&going), shown(&once));
        assert_eq!(once.len(), 101);
        assert_eq!(
            once[100].message,
            "… and 2900 more DTS109 findings in this file"
        );
        assert_eq!(once[100].more, 2900);
    }
}
