//! The `json` report: one document with the tool, a summary and every finding. The schema is
//! documented in `docs/json-report.md`; its `version` changes only when a field changes
//! meaning or goes away.
//!
//! The document is serialised straight to the output, finding by finding, from borrowed
//! views of the findings: no JSON tree and no copy of the report is held in memory, so the
//! memory a run needs does not grow with the size of its report. Object keys are written in
//! alphabetical order (the fields below are declared in that order).
//!
//! Every JSON text the tool writes (this report, json-lines, SARIF, GitLab) goes through
//! [`Console`], which writes the characters a console must not see raw as `\u` escapes
//! ([`escape::json_fragment`]): the values are unchanged, and no `##vso[` reaches an Azure
//! Pipelines agent reading the report on stdout.

use std::io;
use std::ops::Range as ByteRange;

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};

use super::stream::Totals;
use crate::discover::WalkProblem;
use crate::finding::Finding;
use crate::fix::FileChange;
use crate::fix::Fix;
use crate::source::display_path;
use crate::source::escape;
use crate::source::redact::mask;
use crate::source::FileRef;

/// A `serde_json` formatter that writes string contents through [`escape::json_fragment`] and
/// leaves everything else to the formatter it wraps.
pub struct Console<F> {
    inner: F,
    /// The keys are field names of the report's views, never text from input: written as
    /// they are.
    field_keys: bool,
    /// Within an object key.
    in_key: bool,
}

impl<F> Console<F> {
    /// Every string escaped.
    pub fn new(inner: F) -> Console<F> {
        Console {
            inner,
            field_keys: false,
            in_key: false,
        }
    }

    /// For values whose object keys are all field names of the report's views (no map keyed
    /// by input): keys are written as they are, values escaped.
    pub fn with_field_keys(inner: F) -> Console<F> {
        Console {
            field_keys: true,
            ..Console::new(inner)
        }
    }
}

impl<F: Formatter> Formatter for Console<F> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if self.in_key && self.field_keys {
            debug_assert!(
                escape::json_fragment(fragment) == fragment,
                "a key that needs escaping: {fragment:?}"
            );
            return writer.write_all(fragment.as_bytes());
        }
        writer.write_all(escape::json_fragment(fragment).as_bytes())
    }
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.inner.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.in_key = true;
        self.inner.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.in_key = false;
        self.inner.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_object_value(w)
    }
}

/// Writes `value` as pretty-printed JSON through [`Console`].
pub fn write_pretty<T: ?Sized + Serialize>(value: &T, out: &mut dyn io::Write) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, Console::new(Pretty::at(0)));
    value.serialize(&mut ser).map_err(io::Error::from)
}

/// Appends `value` as pretty-printed JSON and a newline to `out`.
pub fn push_pretty<T: ?Sized + Serialize>(value: &T, out: &mut String) {
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail, and serde_json writes UTF-8.
    let _ = write_pretty(value, &mut bytes);
    out.push_str(&String::from_utf8_lossy(&bytes));
    out.push('\n');
}

/// serde_json's pretty layout (two spaces a level, `": "` after keys) starting at depth
/// `level`: a value written alone is laid out as it is at that depth of a document, so that a
/// report can write its array items one by one (a batch at a time) and still be the document
/// serde_json would write whole.
pub struct Pretty {
    level: usize,
    has_value: bool,
}

impl Pretty {
    /// The layout of a value at depth `level` (0: the document).
    pub fn at(level: usize) -> Pretty {
        Pretty {
            level,
            has_value: false,
        }
    }

    fn indent<W: ?Sized + io::Write>(&self, w: &mut W) -> io::Result<()> {
        // One write for the usual depths, rather than one per level.
        const SPACES: &[u8; 64] = &[b' '; 64];
        let mut left = 2 * self.level;
        while left > 0 {
            let n = left.min(SPACES.len());
            w.write_all(&SPACES[..n])?;
            left -= n;
        }
        Ok(())
    }

    fn open<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Appends `items` to `out` as the elements of a pretty-printed array at depth `level`
/// ([`Pretty`]): each on a line of its own, indented, the elements separated by commas, without
/// the brackets or the newline before the first. Returns how many were written. The items'
/// object keys must be field names ([`Console::with_field_keys`]).
pub fn push_elements<T: Serialize>(
    items: impl IntoIterator<Item = T>,
    level: usize,
    out: &mut Vec<u8>,
) -> usize {
    let mut n = 0;
    for item in items {
        if n > 0 {
            out.extend_from_slice(b",\n");
        }
        out.extend(std::iter::repeat_n(b' ', 2 * level));
        let mut ser = serde_json::Serializer::with_formatter(
            &mut *out,
            Console::with_field_keys(Pretty::at(level)),
        );
        // Writing to a Vec cannot fail, and the views always serialise.
        let _ = item.serialize(&mut ser);
        n += 1;
    }
    n
}

/// A pretty-printed document split around the array under `key`, serialised empty: the text
/// up to its `[` and the text after its `]`. The array's items go between, at the depth
/// `level` ([`push_elements`]), followed by the newline and indent of its `]` when there are
/// any ([`close_array`]).
pub fn split_at_array<T: ?Sized + Serialize>(doc: &T, key: &str) -> (Vec<u8>, Vec<u8>) {
    let mut text = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_pretty(doc, &mut text);
    let marker = format!("\"{key}\": []");
    // No string of the document can hold the marker: its quotes would be escaped.
    match memchr::memmem::find(&text, marker.as_bytes()) {
        Some(at) => {
            let open = at + marker.len() - 1;
            (text[..open].to_vec(), text[open + 1..].to_vec())
        }
        None => (text, Vec::new()),
    }
}

/// What closes an array of `items` items at depth `level` (its items at `level`): `]`, on a
/// line of its own when there are items.
pub fn close_array(items: usize, level: usize) -> Vec<u8> {
    let mut out = Vec::new();
    if items > 0 {
        out.push(b'\n');
        out.extend(std::iter::repeat_n(b' ', 2 * (level - 1)));
    }
    out.push(b']');
    out
}

/// Version of the JSON report schema.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Position {
    column: usize,
    line: usize,
    offset: usize,
}

#[derive(Serialize)]
struct Range {
    end: Position,
    start: Position,
}

impl Range {
    fn of(file: &FileRef, range: &ByteRange<usize>) -> Range {
        let at = |offset: usize| {
            let (line, column) = file.text.line_col(offset);
            Position {
                column,
                line,
                offset,
            }
        };
        Range {
            end: at(range.end),
            start: at(range.start),
        }
    }
}

#[derive(Serialize)]
struct Related {
    file: String,
    label: String,
    range: Range,
}

#[derive(Serialize)]
struct Edit {
    content: String,
    file: String,
    range: Range,
}

#[derive(Serialize)]
struct FixView {
    applicability: &'static str,
    edits: Vec<Edit>,
    message: String,
}

impl FixView {
    fn of(fix: &Fix) -> FixView {
        FixView {
            applicability: fix.applicability.as_str(),
            edits: fix
                .edits
                .iter()
                .map(|e| Edit {
                    content: mask(&e.replacement),
                    file: display_path(&e.file.path),
                    range: Range::of(&e.file, &e.range),
                })
                .collect(),
            message: mask(&fix.message),
        }
    }
}

/// One finding as the JSON report shows it (every text masked).
#[derive(Serialize)]
pub(super) struct FindingView<'a> {
    code: &'a str,
    file: String,
    fix: Option<FixView>,
    help: Option<String>,
    label: String,
    message: String,
    name: Option<&'a str>,
    range: Range,
    related: Vec<Related>,
    severity: &'static str,
}

impl<'a> FindingView<'a> {
    pub(super) fn of(f: &'a Finding) -> FindingView<'a> {
        FindingView {
            code: f.code,
            file: display_path(&f.span.file.path),
            fix: f.fix.as_ref().map(FixView::of),
            help: f.help.as_deref().map(mask),
            label: mask(&f.label),
            message: mask(&f.message),
            name: crate::facts::rule(f.code).map(|m| m.name.as_str()),
            range: Range::of(&f.span.file, &f.span.range),
            related: f
                .related
                .iter()
                .map(|r| Related {
                    file: display_path(&r.span.file.path),
                    label: mask(&r.label),
                    range: Range::of(&r.span.file, &r.span.range),
                })
                .collect(),
            severity: f.severity.as_str(),
        }
    }
}

/// Serialises a slice lazily, each item through a view made on the fly.
struct Each<'a, T, V>(&'a [T], fn(&'a T) -> V);

impl<'a, T, V: Serialize> Serialize for Each<'a, T, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            seq.serialize_element(&(self.1)(item))?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct WrittenEdit {
    content: String,
    range: Range,
}

#[derive(Serialize)]
struct Written {
    edits: Vec<WrittenEdit>,
    file: String,
}

fn written(change: &FileChange) -> Written {
    let file = &change.original;
    Written {
        edits: change
            .edits
            .iter()
            .map(|(r, content)| WrittenEdit {
                content: mask(content),
                range: Range::of(file, r),
            })
            .collect(),
        file: display_path(&file.path),
    }
}

#[derive(Serialize)]
struct Problem {
    message: String,
    path: Option<String>,
    unseen: bool,
}

fn problem(p: &WalkProblem) -> Problem {
    Problem {
        message: mask(&p.message),
        path: p.path.as_deref().map(display_path),
        unseen: p.unseen,
    }
}

#[derive(Serialize)]
struct Held {
    app: String,
    reason: String,
}

fn held((app, reason): &(std::path::PathBuf, String)) -> Held {
    Held {
        app: display_path(app),
        reason: mask(reason),
    }
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    apps: usize,
    errors: usize,
    files: usize,
    fixable: usize,
    info: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct Document<'a> {
    findings: Each<'a, Finding, FindingView<'a>>,
    held: Each<'a, (std::path::PathBuf, String), Held>,
    problems: Each<'a, WalkProblem, Problem>,
    summary: Summary,
    tool: Tool,
    version: u32,
    written: Each<'a, FileChange, Written>,
}

/// Writes one finding as a single-line JSON object (an item of the `findings` array).
pub fn write_finding(f: &Finding, out: &mut dyn io::Write) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(
        &mut *out,
        Console::with_field_keys(CompactFormatter),
    );
    FindingView::of(f)
        .serialize(&mut ser)
        .map_err(io::Error::from)
}

/// The document around its findings, with the run's `totals`: the text up to the findings'
/// `[` and the text after their `]` (a newline ends it).
fn parts(totals: &Totals<'_>) -> (Vec<u8>, Vec<u8>) {
    let doc = Document {
        findings: Each(&[], FindingView::of),
        held: Each(totals.held, held),
        problems: Each(totals.problems, problem),
        summary: Summary {
            apps: totals.apps,
            errors: totals.counts.errors,
            files: totals.files,
            fixable: totals.counts.safe_fixes,
            info: totals.counts.info,
            warnings: totals.counts.warnings,
        },
        tool: Tool {
            name: "dts-migrate",
            version: env!("CARGO_PKG_VERSION"),
        },
        version: SCHEMA_VERSION,
        written: Each(totals.written, written),
    };
    let (head, mut tail) = split_at_array(&doc, "findings");
    tail.push(b'\n');
    (head, tail)
}

/// The depth of the findings in the document.
pub const FINDINGS_LEVEL: usize = 2;

/// The document's text before its findings (up to the `[` of the array).
pub fn head() -> Vec<u8> {
    parts(&Totals::default()).0
}

/// Appends the findings as items of the document's `findings` array; returns how many.
pub fn piece(findings: &[Finding], out: &mut Vec<u8>) -> usize {
    super::pretty::push_items(out, FINDINGS_LEVEL, findings, super::json_finding::write)
}

/// The document's text after its findings (from the `]` of the array), with the totals.
pub fn tail(items: usize, totals: &Totals<'_>) -> Vec<u8> {
    let mut out = close_array(items, FINDINGS_LEVEL);
    out.extend(parts(totals).1);
    out
}
