//! The fast renderer against miette: byte for byte, colour on and off, on every fixture
//! finding, the real corpus when it is there, and hand-made findings of the shapes it takes
//! and those it leaves to miette.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{diagnostics, handler, render, render_one, render_with_miette, Excerpt, Shown};
use crate::finding::Finding;
use crate::report::ReportContext;
use crate::source::text::SourceText;
use crate::source::{SourceFile, Span};

/// The contexts compared: colour on and off, at a few widths.
fn contexts() -> Vec<ReportContext> {
    let mut all = Vec::new();
    for color in [false, true] {
        for width in [100, 80, 40, 12] {
            all.push(ReportContext {
                color,
                width,
                ..ReportContext::default()
            });
        }
    }
    all
}

/// Counts of diagnostics the fast renderer took and declined.
#[derive(Default, Debug)]
struct Taken {
    fast: usize,
    declined: usize,
}

/// Asserts that every diagnostic the fast renderer takes comes out as miette renders it, and
/// that the whole report does; returns how many it took.
fn compare(findings: &[Finding]) -> Taken {
    let mut taken = Taken::default();
    for cx in contexts() {
        let handler = handler(&cx);
        let mut excerpts: HashMap<*const SourceFile, Arc<Excerpt>> = HashMap::new();
        for finding in findings {
            let (shown, related) = diagnostics(finding, &cx, &HashMap::new(), &mut excerpts);
            for one in std::iter::once(&shown).chain(&related) {
                compare_one(&handler, &cx, one, &mut taken);
            }
        }
        let (mut fast, mut slow) = (String::new(), String::new());
        render(findings, &cx, &mut fast);
        render_with_miette(findings, &cx, &mut slow);
        assert_eq!(fast, slow, "the whole report at {cx:?}");
    }
    eprintln!("{} findings: {taken:?}", findings.len());
    taken
}

fn compare_one(
    handler: &miette::GraphicalReportHandler,
    cx: &ReportContext,
    shown: &Shown,
    taken: &mut Taken,
) {
    let mut fast = String::new();
    if !super::fast::render(shown, cx.color, cx.width, &mut fast) {
        assert!(fast.is_empty(), "a declined diagnostic leaves nothing");
        taken.declined += 1;
        return;
    }
    taken.fast += 1;
    let mut slow = String::new();
    let rendered = handler.render_report(&mut slow, shown);
    assert!(rendered.is_ok(), "miette fails where the fast path did not");
    assert_eq!(
        fast, slow,
        "{:?} at width {}, color {}\n--- fast\n{fast}\n--- miette\n{slow}",
        shown.message, cx.width, cx.color
    );
}

/// Every finding of a check of `paths`.
fn findings_of(paths: Vec<PathBuf>) -> Vec<Finding> {
    let options = crate::engine::Options {
        paths,
        policy: crate::engine::Policy::default(),
        limits: crate::source::read::Limits::default(),
        threads: 2,
        fix: None,
        edits: crate::rules::Edits::Skipped,
    };
    crate::engine::check(&options)
        .map(|outcome| outcome.findings)
        .unwrap_or_default()
}

#[test]
fn fixture_findings_render_as_miette_renders_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let findings = findings_of(vec![root.join("fixtures")]);
    assert!(findings.len() > 50, "{} findings", findings.len());
    let taken = compare(&findings);
    assert!(taken.fast > taken.declined * 4, "{taken:?}");
}

#[test]
fn corpus_findings_render_as_miette_renders_them() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.join("MANIFEST.tsv").is_file() {
        eprintln!("skipped: ../shared/corpus is not here");
        return;
    }
    let findings = findings_of(vec![corpus]);
    let taken = compare(&findings);
    assert!(taken.fast > taken.declined, "{taken:?}");
}

/// A file of `text` at `path`.
fn file(path: &str, text: &str) -> Arc<SourceFile> {
    Arc::new(SourceFile {
        path: PathBuf::from(path),
        text: SourceText::from_string(text.to_string()),
        walked: None,
    })
}

/// The byte range of the `nth` (0-based) `needle` in `file`.
fn at(file: &Arc<SourceFile>, needle: &str, nth: usize) -> Span {
    let text = file.text.as_str();
    let start = text
        .match_indices(needle)
        .nth(nth)
        .map_or(text.len(), |(i, _)| i);
    Span::new(file, start..start + needle.len())
}

const HOST: &str = "{\n  \"version\": \"2.0\",\n  \"extensions\": {\n    \"durableTask\": {\n      \"hubName\": \"MyHub\",\n      \"storageProvider\": { \"type\": \"mssql\" }\n    }\n  }\n}\n";

/// Findings of many shapes, over files of many shapes.
fn hand_made() -> Vec<Finding> {
    let host = file("app/host.json", HOST);
    let crlf = file("app/crlf.json", &HOST.replace('\n', "\r\n"));
    let no_newline = file("app/end.json", HOST.trim_end());
    let lone_cr = file("app/cr.json", "{\n  \"a\": 1,\r  \"b\": 2\n  \"c\": 3\r");
    let tabs = file("app/tabs.json", "{\n\t\"a\":\t\"x\",\n\t\t\"b\": 1\n}\n");
    let wide = file(
        "app/wide.json",
        "{\n  \"名前\": \"東京タワー\", \"emoji\": \"🎉🎉\",\n  \"é\": \"café\"\n}\n",
    );
    let long_lines = (1..=120)
        .map(|i| format!("  \"key{i}\": \"value number {i}\","))
        .collect::<Vec<_>>()
        .join("\n");
    let long_file = file("app/long.json", &format!("{{\n{long_lines}\n}}\n"));
    let multi = file("app/multi.json", "{\n  \"a\": [\n    1,\n    2\n  ]\n}\n");
    let long_message = "the storage provider is configured with a connection string whose name \
        is not found in any settings file of the app, so the app cannot start on the Durable \
        Task Scheduler until the setting is added"
        .to_string();
    let long_label = "a label that is much longer than the width of the terminal and goes on \
        and on past the right margin without being wrapped at all by the renderer";
    let mut all = vec![
        Finding::new("DTS101", at(&host, "\"mssql\"", 0), "mssql backend").label("MSSQL"),
        Finding::new("DTS101", at(&host, "\"mssql\"", 0), long_message.clone())
            .label(long_label)
            .help(long_message.clone()),
        Finding::new("DTS102", at(&host, "hubName", 0), "two labels on one line")
            .label("here")
            .related(at(&host, "\"MyHub\"", 0), "and here"),
        Finding::new(
            "DTS102",
            at(&host, "storageProvider", 0),
            "neighbouring lines",
        )
        .label("provider")
        .related(at(&host, "hubName", 0), "hub"),
        Finding::new("DTS102", at(&host, "\"version\"", 0), "far apart")
            .label("version")
            .related(at(&host, "\"mssql\"", 0), "mssql"),
        Finding::new("DTS103", Span::new(&host, 0..0), "zero-length at the start"),
        Finding::new("DTS103", at(&host, "MyHub", 0), "zero-length").label(""),
        Finding::new(
            "DTS103",
            Span::new(&host, HOST.len()..HOST.len()),
            "at end of file",
        )
        .label("end"),
        Finding::new(
            "DTS103",
            Span::new(&host, HOST.len() - 2..HOST.len()),
            "last bytes",
        )
        .label("last"),
        Finding::new("DTS101", at(&crlf, "\"mssql\"", 0), "crlf").label("MSSQL"),
        Finding::new("DTS101", at(&crlf, "hubName", 0), "crlf two")
            .label("hub")
            .related(at(&crlf, "\"mssql\"", 0), "mssql"),
        Finding::new("DTS101", at(&no_newline, "}", 2), "no final newline").label("end"),
        Finding::new("DTS101", at(&lone_cr, "\"a\"", 0), "lone CR in a line").label("a"),
        Finding::new("DTS101", at(&lone_cr, "\"c\"", 0), "lone CR at the end").label("c"),
        Finding::new("DTS101", at(&lone_cr, "\"b\"", 0), "between").label("b"),
        Finding::new(
            "DTS101",
            Span::new(&no_newline, HOST.trim_end().len()..HOST.trim_end().len()),
            "past the end",
        )
        .label("eof"),
        Finding::new("DTS101", at(&tabs, "\"x\"", 0), "after tabs").label("x"),
        Finding::new("DTS101", at(&tabs, "1", 0), "after two tabs")
            .label("one")
            .related(at(&tabs, "\"a\"", 0), "a"),
        Finding::new("DTS101", at(&wide, "\"東京タワー\"", 0), "wide 東京").label("タワー"),
        Finding::new("DTS101", at(&wide, "\"🎉🎉\"", 0), "emoji 🎉").label("party"),
        Finding::new("DTS101", at(&wide, "café", 0), "accents")
            .label("é")
            .related(at(&wide, "\"é\"", 0), "key"),
        Finding::new("DTS101", at(&wide, "京", 0), "inside a wide run").label("kyō"),
        Finding::new(
            "DTS101",
            at(&long_file, "\"key99\"", 0),
            "line numbers grow",
        )
        .label("99"),
        Finding::new("DTS101", at(&long_file, "\"key100\"", 0), "three digits").label("100"),
        Finding::new("DTS101", at(&long_file, "key9\"", 0), "one digit to two")
            .label("9")
            .related(at(&long_file, "key10\"", 0), "10"),
        Finding::new(
            "DTS101",
            at(&multi, "[\n    1,\n    2\n  ]", 0),
            "multi-line",
        )
        .label("the array"),
        Finding::new(
            "DTS101",
            at(&multi, "[\n    1,\n    2\n  ]", 0),
            "multi-line, no label",
        ),
        Finding::new("DTS101", at(&host, "hubName", 0), "other file")
            .label("hub")
            .related(at(&tabs, "\"x\"", 0), "the x")
            .related(at(&wide, "café", 0), "the café"),
        Finding::new("DTS101", at(&host, "hubName", 0), "same offset")
            .label("hub")
            .related(at(&host, "hubName", 0), "again"),
        Finding::new("DTS101", at(&host, "hub", 0), "overlapping")
            .label("hub")
            .related(at(&host, "bName", 0), "name"),
        Finding::new("DTS101", at(&host, "hubName", 0), "multi-line label").label("one\ntwo"),
        Finding::new(
            "DTS101",
            at(&host, "hubName", 0),
            "message\nof two lines\n\nand more",
        )
        .help("help\nof  three   \nlines"),
        Finding::new(
            "DTS101",
            at(&host, "hubName", 0),
            "secret AccountKey=abc123def456==",
        )
        .label("\u{1b}[31mred\u{7} and ::error::x"),
    ];
    for severity in [
        crate::facts::Severity::Error,
        crate::facts::Severity::Warning,
        crate::facts::Severity::Info,
    ] {
        let mut finding = Finding::new("DTS101", at(&host, "2.0", 0), "each severity").label("v");
        finding.severity = severity;
        all.push(finding);
    }
    all
}

#[test]
fn hand_made_findings_render_as_miette_renders_them() {
    let taken = compare(&hand_made());
    assert!(taken.fast > 0 && taken.declined > 0, "{taken:?}");
}

/// Characters of every range the fast renderer measures itself (a sample of each), one per
/// line before a label: the underline falls where miette puts it.
#[test]
fn character_widths_are_miettes() {
    let ranges = [
        ('\u{80}', '\u{58f}'),
        ('\u{2000}', '\u{31e3}'),
        ('\u{31e6}', '\u{4dbf}'),
        ('\u{4e00}', '\u{a4ff}'),
        ('\u{ac00}', '\u{d7a3}'),
        ('\u{ff00}', '\u{ff9d}'),
        ('\u{1f300}', '\u{1f6d7}'),
    ];
    let chars: Vec<char> = ranges
        .iter()
        .flat_map(|&(a, b)| (a..=b).step_by(7))
        .filter(|&c| super::fast::measured(c))
        .collect();
    let text: String = chars.iter().map(|c| format!("{c}\t{c}x = 1\n")).collect();
    let source = file("app/chars.txt", &text);
    let findings: Vec<Finding> = (0..chars.len())
        .map(|i| Finding::new("DTS101", at(&source, "x", i), "width").label("x"))
        .collect();
    let cx = ReportContext::default();
    let handler = handler(&cx);
    let mut excerpts: HashMap<*const SourceFile, Arc<Excerpt>> = HashMap::new();
    let mut taken = Taken::default();
    for finding in &findings {
        let (shown, _) = diagnostics(finding, &cx, &HashMap::new(), &mut excerpts);
        compare_one(&handler, &cx, &shown, &mut taken);
    }
    assert!(taken.fast > chars.len() / 2, "{taken:?}");
}

/// Excerpts made of the lines a report's findings show render as excerpts of the whole file
/// do, and mask a value whose secret name is lines above the lines shown.
#[test]
fn excerpts_of_the_lines_shown_render_as_those_of_the_whole_file() {
    let mut text = String::from("{\n  \"a\": 1,\n");
    for i in 0..30 {
        text.push_str(&format!("  \"k{i}\": \"v{i}\",\n"));
    }
    text.push_str("  \"Password\":\n\n    \"S3cr3tValue\",\n  \"z\": \"AccountKey=abc;\"\n}\n");
    let host = file("host.json", &text);
    let findings = vec![
        Finding::new("DTS101", at(&host, "\"a\"", 0), "top").label("a"),
        Finding::new("DTS101", at(&host, "\"z\"", 0), "bottom")
            .label("z")
            .related(at(&host, "\"k3\"", 0), "k3"),
    ];
    for cx in contexts() {
        let mut shown = String::new();
        render(&findings, &cx, &mut shown);
        let mut whole = String::new();
        let (handler, mut excerpts) = (OnceCell::new(), HashMap::new());
        for finding in &findings {
            let (one, _) = diagnostics(finding, &cx, &HashMap::new(), &mut excerpts);
            assert!(render_one(&handler, &cx, &one, true, &mut whole));
            whole.push('\n');
        }
        assert_eq!(shown, whole, "{cx:?}");
        assert!(shown.contains("***") && !shown.contains("S3cr3t") && !shown.contains("abc;"));
        // The lines between the excerpts are not shown.
        assert!(!shown.contains("v20"), "{shown}");
    }
}
