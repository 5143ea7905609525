//! One finding of the JSON report, written field by field through [`Pretty`] in the bytes
//! serde_json writes for [`super::json::FindingView`] (the schema of docs/json-report.md):
//! the findings are nearly all of a report, and serialising each key as an escaped string,
//! and copying each text into a view first, took a good part of its time.

use std::cell::RefCell;
use std::ops::Range;

use super::pretty::{Layouts, Pretty};
use crate::finding::Finding;
use crate::source::redact::masked;
use crate::source::{shown_path, FileRef};

/// Writes `f` as an object at the writer's depth.
pub fn write(w: &mut Pretty<'_>, f: &Finding) {
    w.open(b'{');
    w.str_field("code", f.code);
    w.str_field("file", &shown_path(&f.span.file.path));
    w.key("fix");
    match &f.fix {
        Some(fix) => {
            w.open(b'{');
            w.str_field("applicability", fix.applicability.as_str());
            w.key("edits");
            w.open(b'[');
            for e in &fix.edits {
                w.item();
                w.open(b'{');
                w.str_field("content", &masked(&e.replacement));
                w.str_field("file", &shown_path(&e.file.path));
                w.key("range");
                range(w, &e.file, &e.range);
                w.close(b'}');
            }
            w.close(b']');
            w.str_field("message", &masked(&fix.message));
            w.close(b'}');
        }
        None => w.null(),
    }
    w.key("help");
    match &f.help {
        Some(help) => w.str(&masked(help)),
        None => w.null(),
    }
    w.str_field("label", &masked(&f.label));
    w.str_field("message", &masked(&f.message));
    w.key("name");
    match crate::facts::rule(f.code) {
        Some(rule) => w.str(&rule.name),
        None => w.null(),
    }
    w.key("range");
    range(w, &f.span.file, &f.span.range);
    w.key("related");
    w.open(b'[');
    for r in &f.related {
        w.item();
        w.open(b'{');
        w.str_field("file", &shown_path(&r.span.file.path));
        w.str_field("label", &masked(&r.label));
        w.key("range");
        range(w, &r.span.file, &r.span.range);
        w.close(b'}');
    }
    w.close(b']');
    w.str_field("severity", f.severity.as_str());
    w.close(b'}');
}

/// `{"end": …, "start": …}`, each a line, a column and a byte offset: a finding and each of
/// its edits and related spans hold one, so it is written from its layout.
fn range(w: &mut Pretty<'_>, file: &FileRef, range: &Range<usize>) {
    thread_local! {
        static LAYOUTS: Layouts = const { RefCell::new(Vec::new()) };
    }
    let (end_line, end_column) = file.text.line_col(range.end);
    let (start_line, start_column) = file.text.line_col(range.start);
    let numbers = [
        end_column,
        end_line,
        range.end,
        start_column,
        start_line,
        range.start,
    ];
    w.laid_out(
        &LAYOUTS,
        |w, holes| {
            w.open(b'{');
            for key in ["end", "start"] {
                w.key(key);
                w.open(b'{');
                for field in ["column", "line", "offset"] {
                    w.key(field);
                    holes.push(w.written());
                }
                w.close(b'}');
            }
            w.close(b'}');
        },
        &numbers,
    );
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::finding::Span;
    use crate::fix::{Applicability, Edit, Fix};
    use crate::source::text::SourceText;
    use crate::source::SourceFile;

    fn file(path: &str, text: &str) -> FileRef {
        Arc::new(SourceFile {
            path: PathBuf::from(path),
            text: SourceText::from_string(text.to_string()),
            walked: None,
        })
    }

    /// What the writer writes is what serde_json writes for the view, for findings with and
    /// without a fix, help, a label, related spans and a known rule, secrets and escapes in
    /// their texts.
    #[test]
    fn writes_what_serde_json_writes_for_the_view() {
        let host = file(
            "./app/host.json",
            "\u{feff}{\n  \"Password\": \"hunter2\",\n  \"é\": \"x\u{1b}[31m\"\n}\n",
        );
        let other = file("app/local.settings.json", "{ \"Values\": {} }");
        let fix = Fix {
            message: "set AccountKey=abc;x=1 \"quoted\"".into(),
            applicability: Applicability::Safe,
            edits: vec![
                Edit {
                    file: Arc::clone(&host),
                    range: 3..13,
                    replacement: "\"ApiKey\": \"k\"\n##vso[task]".into(),
                },
                Edit {
                    file: Arc::clone(&other),
                    range: 0..0,
                    replacement: String::new(),
                },
            ],
        };
        let findings = [
            Finding::new("DTS101", Span::new(&host, 5..13), "plain"),
            Finding::new("DTS999", Span::new(&host, 0..0), "unknown rule \u{7}")
                .label("a label")
                .help("Password=secret; see ::error::x"),
            Finding::new("DTS102", Span::new(&host, 30..34), "with all")
                .label("é")
                .related(Span::new(&other, 2..8), "related https://u:p@h/")
                .related(Span::new(&host, 3..5), "")
                .fix(Some(fix)),
        ];
        let mut expected = Vec::new();
        crate::report::json::push_elements(
            findings.iter().map(crate::report::json::FindingView::of),
            2,
            &mut expected,
        );
        let mut ours = Vec::new();
        for (n, f) in findings.iter().enumerate() {
            if n > 0 {
                ours.extend_from_slice(b",\n");
            }
            ours.extend_from_slice(b"    ");
            write(&mut Pretty::at(2, &mut ours), f);
        }
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&expected)
        );
    }
}
