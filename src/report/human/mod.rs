//! The `human` report: each finding rendered by miette with a source excerpt, labels, help,
//! the rule code and a `dts-migrate rule CODE` hint, then a summary line. Excerpts come from a
//! copy of the lines they show with their secrets masked and their control characters escaped
//! ([`Redacted::for_console`]), and every text taken from input goes through [`console_text`],
//! so no secret, no raw control character and no CI command reaches the console; line and column are counted in characters (the BOM takes none).

mod fast;
#[cfg(test)]
mod tests;
mod wrap;

use std::cell::OnceCell;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::{console_path, console_text, ReportContext};
use crate::facts::Severity;
use crate::finding::Finding;
use crate::source::shown::Redacted;
use crate::source::text::{lone_cr_as_lf, SourceText};
use crate::source::SourceFile;

/// A file as shown in excerpts: secrets masked, control characters escaped, with its own line
/// index (and the file, whose columns the excerpt's header gives).
struct Excerpt {
    name: String,
    file: Arc<SourceFile>,
    /// The offsets of the shown text and of the file, one to the other (its text is `lines`).
    redacted: Redacted,
    lines: SourceText,
}

impl Excerpt {
    /// The excerpts of `file` for `spans`: the lines they are on, with one line before and two
    /// after each (an excerpt shows one line either side of its span), masked and escaped,
    /// and the lines between them shown empty ([`Redacted::for_console`]). A long file's
    /// findings are not charged for masking the lines they do not show.
    fn new(file: &Arc<SourceFile>, spans: &[Range<usize>]) -> Excerpt {
        let lines = shown_lines(&file.text, spans);
        let mut redacted = Redacted::for_console(file.text.as_str(), &lines);
        let shown = std::mem::take(&mut redacted.text);
        Excerpt {
            name: console_path(&file.path),
            file: Arc::clone(file),
            // miette ends lines at LF and CRLF only: a lone CR would print raw and merge lines.
            lines: SourceText::from_string(lone_cr_as_lf(shown)),
            redacted,
        }
    }

    fn span(&self, range: &Range<usize>) -> SourceSpan {
        let r = self.redacted.map_range(range);
        SourceSpan::new(r.start.into(), r.len())
    }

    /// Whether the lines an excerpt of `range` shows (with one line of context either side)
    /// are short enough to show. A minified file's one line is not: the excerpt would repeat
    /// the whole file for every finding, and the renderer cannot underline past column 65,535.
    fn fits(&self, range: &Range<usize>) -> bool {
        let r = self.redacted.map_range(range);
        let first = self.lines.line_index(r.start).saturating_sub(1);
        let last = (self.lines.line_index(r.end) + 1).min(self.lines.line_count() - 1);
        (first..=last).all(|i| self.lines.line_range(i).len() <= MAX_SHOWN_LINE)
    }
}

/// The byte ranges of the whole lines the excerpts of `spans` in `text` show, sorted and
/// merged.
fn shown_lines(text: &SourceText, spans: &[Range<usize>]) -> Vec<Range<usize>> {
    let len = text.as_str().len();
    let last_line = text.line_count() - 1;
    let mut lines: Vec<(usize, usize)> = spans
        .iter()
        .map(|span| {
            let first = text.line_index(span.start.min(len)).saturating_sub(1);
            let last = (text.line_index(span.end.min(len)) + 2).min(last_line);
            (first, last)
        })
        .collect();
    lines.sort_unstable();
    let mut out: Vec<Range<usize>> = Vec::with_capacity(lines.len());
    for (first, last) in lines {
        let range = text.full_line_range(first).start..text.full_line_range(last).end;
        match out.last_mut() {
            Some(shown) if range.start <= shown.end => shown.end = shown.end.max(range.end),
            _ => out.push(range),
        }
    }
    out
}

/// The longest line (in bytes) an excerpt shows; a finding on or beside a longer line is shown
/// without an excerpt, with its position.
const MAX_SHOWN_LINE: usize = 1_000;

/// Where a span starts, for a finding shown without an excerpt.
fn position(file: &SourceFile, range: &Range<usize>) -> String {
    let (line, column) = file.text.line_col(range.start);
    format!("{}:{line}:{column}", console_path(&file.path))
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.lines.as_str();
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = self.lines.line_index(start);
        let last_line = self.lines.line_index(end.saturating_sub(1).max(start));
        let from_line = first_line.saturating_sub(before);
        let to_line = (last_line + after).min(self.lines.line_count() - 1);
        let mut data_start = self.lines.full_line_range(from_line).start;
        if data_start == 0 {
            data_start = self.lines.bom_len().min(start);
        }
        let data_end = self.lines.full_line_range(to_line).end.max(end);
        // The header's column is the file's, not the shown text's (masks and escapes change
        // lengths).
        let column = if before == 0 {
            self.file.text.line_col(self.redacted.original(start)).1 - 1
        } else {
            0
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &text.as_bytes()[data_start..data_end],
            SourceSpan::new(data_start.into(), data_end - data_start),
            from_line,
            column,
            to_line - from_line + 1,
        )))
    }
}

/// One finding as a miette diagnostic.
struct Shown {
    message: String,
    code: String,
    severity: Severity,
    help: Option<String>,
    /// The excerpt's file; none when the finding is shown by position only.
    source: Option<Arc<Excerpt>>,
    labels: Vec<LabeledSpan>,
}

impl fmt::Debug for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Shown {}

impl Diagnostic for Shown {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_deref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty()).then(|| Box::new(self.labels.iter().cloned()) as Box<_>)
    }
}

/// Renders findings for a person: each diagnostic by the fast renderer ([`fast`]) when it
/// takes its shape, else by miette; the output is the same either way.
pub fn render(findings: &[Finding], cx: &ReportContext, out: &mut String) {
    render_with(findings, cx, out, true);
}

/// Renders findings for a person with miette only: what [`render`] must equal byte for byte.
pub fn render_with_miette(findings: &[Finding], cx: &ReportContext, out: &mut String) {
    render_with(findings, cx, out, false);
}

/// The miette handler of the report.
fn handler(cx: &ReportContext) -> GraphicalReportHandler {
    let theme = if cx.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(cx.width)
        .with_context_lines(1)
        // Words are split at ASCII spaces only: the Unicode line-break rules took about half
        // of a human report's time, and a message's words are separated by spaces.
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
}

/// Appends one diagnostic: by the fast renderer when `fast` and it takes the shape, else by
/// miette (less any leading blank lines); `false`, with nothing appended, when miette cannot
/// place a span.
fn render_one(
    handler: &OnceCell<GraphicalReportHandler>,
    cx: &ReportContext,
    shown: &Shown,
    fast: bool,
    out: &mut String,
) -> bool {
    if fast && fast::render(shown, cx.color, cx.width, out) {
        return true;
    }
    let mut text = String::new();
    if handler
        .get_or_init(|| self::handler(cx))
        .render_report(&mut text, shown)
        .is_err()
    {
        return false;
    }
    out.push_str(text.trim_start_matches('\n'));
    true
}

/// How many files' excerpts a batch keeps at most.
const KEPT_EXCERPTS: usize = 16;

/// Renders findings one after the other, by the fast renderer when `fast`. The callers render
/// batches in parallel ([`super::stream`]).
fn render_with(findings: &[Finding], cx: &ReportContext, out: &mut String, fast: bool) {
    // Made when a diagnostic first needs miette (most never do).
    let handler = OnceCell::new();
    // The findings' spans in each file.
    let mut needed: HashMap<*const SourceFile, Vec<Range<usize>>> = HashMap::new();
    for finding in findings {
        let spans = std::iter::once(&finding.span).chain(finding.related.iter().map(|r| &r.span));
        for span in spans {
            let file = needed.entry(Arc::as_ptr(&span.file)).or_default();
            file.push(span.range.clone());
        }
    }
    let mut excerpts: HashMap<*const SourceFile, Arc<Excerpt>> = HashMap::new();
    for finding in findings {
        // Findings come sorted by file: the excerpts of the last few files are enough, and
        // holding every file's would take fresh memory for each.
        if excerpts.len() > KEPT_EXCERPTS {
            excerpts.clear();
        }
        let (shown, related) = diagnostics(finding, cx, &needed, &mut excerpts);
        // A span the renderer cannot place: fall back to the concise line.
        if !render_one(&handler, cx, &shown, fast, out) {
            out.push_str(&super::concise::line(finding));
            out.push('\n');
        }
        // Spans in other files follow as notes under the finding.
        for note in &related {
            render_one(&handler, cx, note, fast, out);
        }
        out.push('\n');
    }
}

/// A finding as diagnostics: itself, and a "see also" note for each related span in another
/// file. `excerpts` keeps each file's excerpt, made once for the spans `needed` gives (the whole file when it gives none).
fn diagnostics(
    finding: &Finding,
    cx: &ReportContext,
    needed: &HashMap<*const SourceFile, Vec<Range<usize>>>,
    excerpts: &mut HashMap<*const SourceFile, Arc<Excerpt>>,
) -> (Shown, Vec<Shown>) {
    let mut excerpt = |file: &Arc<SourceFile>| {
        let key = Arc::as_ptr(file);
        Arc::clone(excerpts.entry(key).or_insert_with(|| {
            // A file whose spans are not given is shown whole.
            let whole = 0..file.text.as_str().len();
            let spans = needed
                .get(&key)
                .map_or(std::slice::from_ref(&whole), Vec::as_slice);
            Arc::new(Excerpt::new(file, spans))
        }))
    };
    let source = excerpt(&finding.span.file);
    // Lines too long to show: the finding and its notes are given by position instead.
    let mut notes = Vec::new();
    let mut labels = Vec::new();
    if source.fits(&finding.span.range) {
        labels.push(LabeledSpan::new_primary_with_span(
            (!finding.label.is_empty()).then(|| console_text(&finding.label).into_owned()),
            source.span(&finding.span.range),
        ));
    } else {
        notes.push(format!(
            "at {}: {} (the line is too long to show)",
            position(&finding.span.file, &finding.span.range),
            console_text(&finding.label)
        ));
    }
    let mut related = Vec::new();
    for r in &finding.related {
        let same_file = Arc::ptr_eq(&r.span.file, &finding.span.file);
        let other = if same_file {
            Arc::clone(&source)
        } else {
            excerpt(&r.span.file)
        };
        if !other.fits(&r.span.range) || (same_file && labels.is_empty()) {
            notes.push(format!(
                "see also {}: {}",
                position(&r.span.file, &r.span.range),
                console_text(&r.label)
            ));
        } else if same_file {
            labels.push(LabeledSpan::new_with_span(
                Some(console_text(&r.label).into_owned()),
                source.span(&r.span.range),
            ));
        } else {
            related.push(Shown {
                message: format!("see also: {}", console_text(&r.label)),
                code: String::new(),
                severity: Severity::Info,
                help: None,
                labels: vec![LabeledSpan::new_primary_with_span(
                    None,
                    other.span(&r.span.range),
                )],
                source: Some(other),
            });
        }
    }
    let name = crate::facts::rule(finding.code).map_or("", |r| r.name.as_str());
    let help = help_of(finding, &notes, cx);
    let shown = Shown {
        message: console_text(&finding.message).into_owned(),
        code: [finding.code, "(", name, ")"].concat(),
        severity: finding.severity,
        help,
        source: (!labels.is_empty()).then_some(source),
        labels,
    };
    (shown, related)
}

/// A finding's help lines: the notes of spans too long to show, its help, its fix, the
/// `dts-migrate rule` hint.
fn help_of(finding: &Finding, notes: &[String], cx: &ReportContext) -> Option<String> {
    let (mut help, mut lines) = (String::new(), 0);
    let mut line = |pieces: &[&str]| {
        if lines > 0 {
            help.push('\n');
        }
        lines += 1;
        pieces.iter().for_each(|piece| help.push_str(piece));
    };
    for note in notes {
        line(&[note]);
    }
    if let Some(text) = &finding.help {
        line(&[&console_text(text)]);
    }
    if let Some(fix) = &finding.fix {
        let applicability = fix.applicability.as_str();
        line(&["fix (", applicability, "): ", &console_text(&fix.message)]);
    }
    if cx.rule_hint {
        line(&["docs: dts-migrate rule ", finding.code]);
    }
    (lines > 0).then_some(help)
}
