//! The fast renderer: a diagnostic of the shapes ours take, written byte for byte as miette
//! 7.6's `GraphicalReportHandler` writes it (unicode theme, ANSI colours or none, one line of
//! context, no links). It declines (returns `None`) what it does not reproduce: a span over
//! several lines, two labels at one offset, a label of several lines, a line with a control
//! character or a character whose width miette and textwrap count differently, a span it
//! cannot read. miette renders those.

use miette::{LabeledSpan, SourceCode, SourceSpan};

use super::wrap::{fill, is_printable_ascii};
use super::{Excerpt, Shown};
use crate::facts::Severity;

/// miette's tab width.
const TAB: usize = 4;

/// The end of a styled text.
const RESET: &str = "\x1b[0m";

/// The ANSI prefixes of miette's `ThemeStyles::ansi`.
mod ansi {
    pub const ERROR: &str = "\x1b[31m";
    pub const WARNING: &str = "\x1b[33m";
    pub const ADVICE: &str = "\x1b[36m";
    pub const HELP: &str = "\x1b[36m";
    pub const LINK: &str = "\x1b[36;1;4m";
    pub const LINUM: &str = "\x1b[2m";
    pub const HIGHLIGHTS: [&str; 3] = ["\x1b[35;1m", "\x1b[33;1m", "\x1b[32;1m"];
}

/// How to style: with ANSI colours or not.
#[derive(Clone, Copy)]
struct Paint {
    color: bool,
}

impl Paint {
    /// Appends `text` in the style of `prefix` (as owo-colors writes it).
    fn push(self, out: &mut String, prefix: &str, text: &str) {
        if self.color {
            out.push_str(prefix);
            out.push_str(text);
            out.push_str(RESET);
        } else {
            out.push_str(text);
        }
    }

    /// `text` in the style of `prefix`.
    fn paint(self, prefix: &str, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 12);
        self.push(&mut out, prefix, text);
        out
    }

    /// The style of the `i`th label (by offset).
    fn highlight(self, i: usize) -> &'static str {
        ansi::HIGHLIGHTS[i % ansi::HIGHLIGHTS.len()]
    }
}

/// Appends `shown` as miette renders it; `false`, with nothing appended, when its shape is not
/// one this renderer takes.
pub(super) fn render(shown: &Shown, color: bool, width: usize, out: &mut String) -> bool {
    let start = out.len();
    let done = render_to(shown, Paint { color }, width, out).is_some();
    if !done {
        out.truncate(start);
    }
    done
}

/// Appends `shown`, or stops (`None`) at a shape this renderer does not take.
fn render_to(shown: &Shown, paint: Paint, width: usize, out: &mut String) -> Option<()> {
    let (style, icon) = match shown.severity {
        Severity::Error => (ansi::ERROR, "×"),
        Severity::Warning => (ansi::WARNING, "⚠"),
        Severity::Info => (ansi::ADVICE, "☞"),
    };
    let width = width.saturating_sub(2);
    if !shown.code.is_empty() {
        paint.push(out, style, &shown.code);
        out.push_str("\n\n");
    }
    let gutter = |mark: &str| {
        let mut gutter = String::from("  ");
        paint.push(&mut gutter, style, mark);
        gutter.push(' ');
        gutter
    };
    let (initial, rest) = (gutter(icon), gutter("│"));
    fill(&shown.message, &initial, &rest, width, out);
    out.push('\n');
    if let Some(source) = &shown.source {
        snippets(out, paint, source, &shown.labels)?;
    }
    if let Some(help) = &shown.help {
        let initial = paint.paint(ansi::HELP, "  help: ");
        fill(help, &initial, "        ", width, out);
        out.push('\n');
    }
    Some(())
}

/// The excerpts of `labels`: labels whose excerpts (with their context) touch or overlap
/// share one.
fn snippets(
    out: &mut String,
    paint: Paint,
    source: &Excerpt,
    labels: &[LabeledSpan],
) -> Option<()> {
    if labels.is_empty() {
        return Some(());
    }
    let mut labels: Vec<&LabeledSpan> = labels.iter().collect();
    labels.sort_by_key(|l| l.offset());
    // miette sorts unstably: labels at one offset could come in either order.
    if labels.windows(2).any(|w| w[0].offset() == w[1].offset()) {
        return None;
    }
    if labels
        .iter()
        .any(|l| l.label().is_some_and(|t| t.contains('\n')))
    {
        return None;
    }
    let mut contexts: Vec<(SourceSpan, usize)> = Vec::with_capacity(labels.len());
    for right in &labels {
        let right_conts = source.read_span(right.inner(), 1, 1).ok()?;
        if let Some((left, left_end_line)) = contexts.last() {
            if *left_end_line >= right_conts.line() {
                let end = (left.offset() + left.len()).max(right.offset() + right.len());
                let merged = SourceSpan::new(left.offset().into(), end - left.offset());
                if let Ok(conts) = source.read_span(&merged, 1, 1) {
                    let end_line = conts.line() + conts.line_count();
                    contexts.pop();
                    contexts.push((merged, end_line));
                    continue;
                }
            }
        }
        let end_line = right_conts.line() + right_conts.line_count();
        contexts.push((*right.inner(), end_line));
    }
    for (context, _) in &contexts {
        self::context(out, paint, source, context, &labels)?;
    }
    Some(())
}

/// A line of an excerpt, as miette's `get_lines` makes it.
struct Line<'a> {
    /// 1-based.
    number: usize,
    /// Where it starts in the source.
    offset: usize,
    /// Its bytes, its line break included.
    length: usize,
    /// Its text, without the line break.
    text: &'a str,
}

impl Line<'_> {
    fn only(&self, span: &SourceSpan) -> bool {
        span.offset() >= self.offset && span.offset() + span.len() <= self.offset + self.length
    }

    fn applies(&self, span: &SourceSpan) -> bool {
        let len = span.len().max(1);
        let (start, end) = (span.offset(), span.offset() + len);
        let line_end = self.offset + self.length;
        (start >= self.offset && start < line_end)
            || (start < self.offset && end > line_end)
            || (end > self.offset && end <= line_end)
    }
}

/// Splits `text` (which starts at `offset`, on 0-based line `line`) as miette does: at LF and
/// CRLF; a lone CR is part of its line. Lines are numbered from 1, but a text ending in a lone
/// CR leaves its last line the number of the line before it, as miette's count does.
fn lines(text: &str, mut line: usize, offset: usize) -> Vec<Line<'_>> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut from = 0;
    let mut push = |line: usize, start: usize, text_end: usize, end: usize| {
        lines.push(Line {
            number: line,
            offset: offset + start,
            length: end - start,
            text: text.get(start..text_end).unwrap_or(""),
        })
    };
    loop {
        let Some(at) = memchr::memchr2(b'\n', b'\r', &bytes[from..]).map(|at| from + at) else {
            if start < bytes.len() {
                push(line + 1, start, bytes.len(), bytes.len());
            }
            break;
        };
        let end = match (bytes[at], bytes.get(at + 1)) {
            (b'\n', _) => at + 1,
            (_, Some(b'\n')) => at + 2,
            (_, Some(_)) => {
                from = at + 1;
                continue;
            }
            (_, None) => {
                push(line, start, bytes.len(), bytes.len());
                break;
            }
        };
        line += 1;
        push(line, start, at, end);
        (start, from) = (end, end);
    }
    lines
}

/// The columns of a character at `column`, as miette counts them (unicode-width 0.1 for all
/// but tabs); `None` for a control character, and for a character outside the ranges where
/// unicode-width 0.1 and 0.2 (which textwrap has) agree.
fn char_width(ch: char, column: usize) -> Option<usize> {
    match ch {
        '\t' => Some(TAB - column % TAB),
        ' '..='~' => Some(1),
        '\0'..='\x7f' => None,
        _ if agreed(ch) => {
            let mut buf = [0; 4];
            Some(textwrap::core::display_width(ch.encode_utf8(&mut buf)))
        }
        _ => None,
    }
}

/// Whether this renderer measures `ch` (an excerpt with another non-ASCII character is left
/// to miette).
#[cfg(test)]
pub(super) fn measured(ch: char) -> bool {
    agreed(ch)
}

/// Whether unicode-width 0.1.14 (miette's) and 0.2 (textwrap's) give `ch` the same width: a
/// few common blocks where the two tables were compared character by character.
fn agreed(ch: char) -> bool {
    matches!(
        ch,
        '\u{80}'..='\u{58f}'
            | '\u{2000}'..='\u{262f}'
            | '\u{2638}'..='\u{2689}'
            | '\u{2690}'..='\u{31e3}'
            | '\u{31e6}'..='\u{4dbf}'
            | '\u{4e00}'..='\u{a4ff}'
            | '\u{ac00}'..='\u{d7a3}'
            | '\u{ff00}'..='\u{ff9d}'
            | '\u{1f300}'..='\u{1f6d7}'
    )
}

/// The columns `text` takes, from the start of its line.
fn visual_width(text: &str) -> Option<usize> {
    if is_printable_ascii(text) {
        return Some(text.len());
    }
    text.chars()
        .try_fold(0, |column, ch| Some(column + char_width(ch, column)?))
}

/// miette's `visual_offset`: the column of byte `offset` on `line` (past the end of the
/// text: one past its last column).
fn visual_offset(line: &Line, offset: usize, start: bool) -> Option<usize> {
    if offset < line.offset || offset > line.offset + line.length {
        return None;
    }
    let text = line.text;
    let mut index = offset - line.offset;
    while index <= text.len() && !text.is_char_boundary(index) {
        if start {
            index -= 1;
        } else {
            index += 1;
        }
    }
    let width = visual_width(&text[..index.min(text.len())])?;
    Some(if index > text.len() { width + 1 } else { width })
}

/// One excerpt: its header, its numbered lines with the underlines and labels of the labels
/// on them, its closing line.
fn context(
    out: &mut String,
    paint: Paint,
    source: &Excerpt,
    context: &SourceSpan,
    labels: &[&LabeledSpan],
) -> Option<()> {
    let contents = source.read_span(context, 1, 1).ok()?;
    let data = std::str::from_utf8(contents.data()).ok()?;
    let lines = lines(data, contents.line(), contents.span().offset());
    let last = lines.last()?;
    // Only spans within one line: no gutter.
    if lines.iter().any(|line| {
        labels
            .iter()
            .any(|l| line.applies(l.inner()) && !line.only(l.inner()))
    }) {
        return None;
    }
    let linum_width = itoa::Buffer::new().format(last.number).len();
    header(out, paint, source, context, labels, linum_width)?;
    for line in &lines {
        numbered_line(out, paint, line, linum_width)?;
        let on_line: Vec<(usize, &LabeledSpan)> = labels
            .iter()
            .enumerate()
            .filter(|(_, l)| line.applies(l.inner()))
            .map(|(i, l)| (i, *l))
            .collect();
        if !on_line.is_empty() {
            highlights(out, paint, line, linum_width, &on_line)?;
        }
    }
    push_spaces(out, linum_width + 2);
    out.push_str("╰────\n");
    Some(())
}

/// The excerpt's first line: `╭─[path:line:column]` of its primary label.
fn header(
    out: &mut String,
    paint: Paint,
    source: &Excerpt,
    context: &SourceSpan,
    labels: &[&LabeledSpan],
    linum_width: usize,
) -> Option<()> {
    let in_context = |l: &&&LabeledSpan| {
        context.offset() <= l.offset() && l.offset() + l.len() <= context.offset() + context.len()
    };
    let primary = labels
        .iter()
        .filter(in_context)
        .find(|l| l.primary())
        .or_else(|| labels.iter().find(in_context))?;
    let contents = source.read_span(primary.inner(), 0, 0).ok()?;
    let name = contents.name()?;
    let (mut line, mut column) = (itoa::Buffer::new(), itoa::Buffer::new());
    let place = [
        name,
        ":",
        line.format(contents.line() + 1),
        ":",
        column.format(contents.column() + 1),
    ]
    .concat();
    push_spaces(out, linum_width + 2);
    out.push_str("╭─[");
    paint.push(out, ansi::LINK, &place);
    out.push_str("]\n");
    Some(())
}

/// A line of source with its number, tabs expanded.
fn numbered_line(out: &mut String, paint: Paint, line: &Line, linum_width: usize) -> Option<()> {
    out.push(' ');
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(line.number);
    if paint.color {
        out.push_str(ansi::LINUM);
    }
    push_spaces(out, linum_width.saturating_sub(digits.len()));
    out.push_str(digits);
    if paint.color {
        out.push_str(RESET);
    }
    out.push_str(" │ ");
    if is_printable_ascii(line.text) {
        out.push_str(line.text);
        out.push('\n');
        return Some(());
    }
    let mut column = 0;
    for ch in line.text.chars() {
        let width = char_width(ch, column)?;
        if ch == '\t' {
            out.extend(std::iter::repeat_n(' ', width));
        } else {
            out.push(ch);
        }
        column += width;
    }
    out.push('\n');
    Some(())
}

/// The start of a line under a source line: no number, a break mark.
fn no_linum(out: &mut String, linum_width: usize) {
    out.push(' ');
    push_spaces(out, linum_width);
    out.push_str(" · ");
}

/// Appends `n` spaces.
fn push_spaces(out: &mut String, n: usize) {
    const SPACES: &str = "                                ";
    let mut n = n;
    while n > 0 {
        let take = n.min(SPACES.len());
        out.push_str(&SPACES[..take]);
        n -= take;
    }
}

/// Appends `n` horizontal box lines (`─`).
fn push_dashes(out: &mut String, n: usize) {
    const DASHES: &str = "────────────────────────────────";
    let dash = '─'.len_utf8();
    let mut n = n;
    while n > 0 {
        let take = n.min(DASHES.len() / dash);
        out.push_str(&DASHES[..take * dash]);
        n -= take;
    }
}

/// The underlines of the labels on `line` (with their index among all labels, which picks
/// their colour), then their label lines, the rightmost first.
fn highlights(
    out: &mut String,
    paint: Paint,
    line: &Line,
    linum_width: usize,
    on_line: &[(usize, &LabeledSpan)],
) -> Option<()> {
    no_linum(out, linum_width);
    let mut highest = 0;
    let mut bars = Vec::with_capacity(on_line.len());
    for &(i, label) in on_line {
        let start = visual_offset(line, label.offset(), true)?.max(highest);
        let end = if label.inner().is_empty() {
            start + 1
        } else {
            visual_offset(line, label.offset() + label.len(), false)?.max(start + 1)
        };
        let bar = (start + end) / 2;
        let mid = if label.inner().is_empty() {
            '▲'
        } else if label.label().is_some() {
            '┬'
        } else {
            '─'
        };
        if paint.color {
            out.push_str(paint.highlight(i));
        }
        push_spaces(out, start.saturating_sub(highest));
        push_dashes(out, bar - start);
        out.push(mid);
        push_dashes(out, end - bar - 1);
        if paint.color {
            out.push_str(RESET);
        }
        highest = highest.max(end);
        bars.push((i, bar));
    }
    out.push('\n');
    for &(i, label) in on_line.iter().rev() {
        if let Some(text) = label.label() {
            label_line(out, paint, linum_width, &bars, i, text);
        }
    }
    Some(())
}

/// The line of label `i`: the bars of the labels left of it, then `╰── label`.
fn label_line(
    out: &mut String,
    paint: Paint,
    linum_width: usize,
    bars: &[(usize, usize)],
    i: usize,
    text: &str,
) {
    no_linum(out, linum_width);
    let style = paint.highlight(i);
    let mut column = 1;
    for &(j, bar) in bars {
        while column < bar + 1 {
            out.push(' ');
            column += 1;
        }
        if j != i {
            paint.push(out, paint.highlight(j), "│");
            column += 1;
        } else {
            let mut label = String::from("╰── ");
            paint.push(&mut label, style, text);
            paint.push(out, style, &label);
            out.push('\n');
            break;
        }
    }
}
