//! Wrapping a diagnostic's message and help as miette does (`textwrap::fill` with
//! `WordSeparator::AsciiSpace`), without textwrap when every line fits.

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

use textwrap::core::display_width;

use crate::source::escape::any_byte;
use crate::source::memo::{remembered, Memo};

/// Where a line's rows start and end in it.
type Rows = Rc<[Range<u32>]>;

thread_local! {
    /// The rows of lines wrapped on this thread, with the widths they were wrapped to: the
    /// same messages and help lines come back for app after app.
    static ROWS: Memo<([usize; 2], Rows)> = RefCell::default();
}

/// Lines longer than this are wrapped every time.
const LONGEST_KEPT: usize = 1024;

/// Appends `text` filled to `width` columns as miette's `textwrap::fill` does, the first line
/// after `initial`, the others after `subsequent` (either may hold ANSI escapes).
///
/// A line that fits comes out as it is, less its trailing spaces; a line of printable ASCII
/// that does not is wrapped here as textwrap wraps it. Any other text is textwrap's.
pub(super) fn fill(text: &str, initial: &str, subsequent: &str, width: usize, out: &mut String) {
    let start = out.len();
    let widths = [
        width.saturating_sub(display_width(initial)),
        width.saturating_sub(display_width(subsequent)),
    ];
    let room = widths[0].min(widths[1]);
    let mut first = true;
    let mut push_row = |out: &mut String, row: &str| {
        out.push_str(if first { initial } else { subsequent });
        out.push_str(row);
        out.push('\n');
        first = false;
    };
    for line in split_lines(text) {
        let trimmed = line.trim_end_matches(' ');
        let ascii = is_printable_ascii(trimmed);
        if (ascii && trimmed.len() <= room) || (!ascii && display_width(trimmed) <= room) {
            push_row(out, trimmed);
        } else if ascii && !initial.is_empty() {
            for row in rows(line, widths).iter() {
                // The line is ASCII: every offset is a character boundary.
                push_row(
                    out,
                    line.get(row.start as usize..row.end as usize).unwrap_or(""),
                );
            }
        } else {
            out.truncate(start);
            out.push_str(&slow(text, initial, subsequent, width));
            return;
        }
    }
    // Rows end in a line break but the last.
    out.pop();
}

/// `text.split('\n')`, each line feed found with `memchr` (the standard library's search for a
/// character looks at a word at a time).
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let left = rest?;
        match memchr::memchr(b'\n', left.as_bytes()) {
            Some(at) => {
                rest = Some(&left[at + 1..]);
                Some(&left[..at])
            }
            None => {
                rest = None;
                Some(left)
            }
        }
    })
}

/// Whether `line` is all printable ASCII (each byte one column).
pub(super) fn is_printable_ascii(line: &str) -> bool {
    !any_byte(line.as_bytes(), |b| b.wrapping_sub(b' ') > b'~' - b' ')
}

/// Where the rows of [`first_fit`] start and end in `line`, from this thread's memo when the
/// line was wrapped to `widths` before.
fn rows(line: &str, widths: [usize; 2]) -> Rows {
    let wrap = |line: &str| {
        let mut rows = Vec::new();
        first_fit(line, widths, &mut |row| {
            rows.push(row.start as u32..row.end as u32)
        });
        (widths, Rc::from(rows))
    };
    if line.len() > u32::MAX as usize {
        return wrap(line).1;
    }
    match remembered(&ROWS, LONGEST_KEPT, line, wrap) {
        (kept, rows) if kept == widths => rows,
        _ => wrap(line).1,
    }
}

/// The rows of a line of printable ASCII, as textwrap makes them with `WordSeparator::
/// AsciiSpace`, the hyphen splitter, broken words and the first-fit algorithm, the first row
/// `widths[0]` wide and the others `widths[1]`. One pass over the line:
///
/// - a word starts at the line's start and at each non-space after a space, and runs to the
///   next word (its spaces are part of it, but take no room at the end of a row);
/// - a word is split after each hyphen between two alphanumerics;
/// - a piece wider than `widths[1]` is broken into pieces of that width (at least one column),
///   the last keeping the spaces;
/// - pieces are placed on the row while they fit, a new row starting at a piece that does not.
fn first_fit(line: &str, widths: [usize; 2], push_row: &mut impl FnMut(Range<usize>)) {
    let bytes = line.as_bytes();
    let mut row = Row {
        begin: 0,
        end: 0,
        width: 0,
        // The row starts with the empty word textwrap puts first when there is an initial
        // indent.
        count: 1,
        room: widths[0],
        next_room: widths[1],
    };
    let size = widths[1].max(1);
    let mut start = 0;
    while start < bytes.len() {
        let text = &bytes[start..];
        let word_end = start + text.iter().position(|&b| b == b' ').unwrap_or(text.len());
        let spaces = &bytes[word_end..];
        let end = word_end
            + spaces
                .iter()
                .position(|&b| b != b' ')
                .unwrap_or(spaces.len());
        let mut piece = start;
        let mut from = start + 1;
        while from < word_end {
            let Some(at) = bytes[from..word_end].iter().position(|&b| b == b'-') else {
                break;
            };
            let hyphen = from + at;
            if hyphen + 1 < word_end
                && bytes[hyphen - 1].is_ascii_alphanumeric()
                && bytes[hyphen + 1].is_ascii_alphanumeric()
            {
                row.place_broken(piece, hyphen + 1, hyphen + 1, size, push_row);
                piece = hyphen + 1;
            }
            from = hyphen + 1;
        }
        row.place_broken(piece, word_end, end, size, push_row);
        start = end;
    }
    push_row(row.begin..row.end);
}

/// The row [`first_fit`] is filling.
struct Row {
    /// Where its text starts and ends in the line.
    begin: usize,
    end: usize,
    /// Its columns, the spaces after its last piece included.
    width: usize,
    /// Its pieces.
    count: usize,
    /// Its columns, and those of the rows after it.
    room: usize,
    next_room: usize,
}

impl Row {
    /// Places the piece `start..word_end` followed by spaces to `end`, broken into pieces of
    /// `size` when it is wider than the rows after the first.
    fn place_broken(
        &mut self,
        mut start: usize,
        word_end: usize,
        end: usize,
        size: usize,
        push_row: &mut impl FnMut(Range<usize>),
    ) {
        if word_end - start > self.next_room {
            while word_end - start > size {
                self.place(start, start + size, start + size, push_row);
                start += size;
            }
        }
        self.place(start, word_end, end, push_row);
    }

    /// Places a piece: on this row when it fits, else on a new one.
    fn place(
        &mut self,
        start: usize,
        word_end: usize,
        end: usize,
        push_row: &mut impl FnMut(Range<usize>),
    ) {
        if self.width + (word_end - start) > self.room && self.count > 0 {
            push_row(self.begin..self.end);
            (self.begin, self.width, self.count, self.room) = (start, 0, 0, self.next_room);
        }
        self.width += end - start;
        self.end = word_end;
        self.count += 1;
    }
}

/// What miette does: textwrap with its options.
fn slow(text: &str, initial: &str, subsequent: &str, width: usize) -> String {
    let options = textwrap::Options::new(width)
        .initial_indent(initial)
        .subsequent_indent(subsequent)
        .break_words(true)
        .word_separator(textwrap::WordSeparator::AsciiSpace);
    textwrap::fill(text, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `split_lines` cuts as `split('\n')` does: empty texts and lines, a line feed at either
    /// end, CRLF, a lone CR.
    #[test]
    fn split_lines_is_split() {
        for text in [
            "",
            "\n",
            "\n\n",
            "a",
            "a\n",
            "\na",
            "a\n\nb",
            "a\r\nb\rc\n",
            "é\nü",
        ] {
            let ours: Vec<&str> = split_lines(text).collect();
            let std: Vec<&str> = text.split('\n').collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    /// Compares with textwrap on texts that fit and texts that do not.
    #[test]
    fn fill_is_textwraps() {
        let texts = [
            "",
            "short",
            "trailing   ",
            "  leading and  double  spaces ",
            "a\nb\n\nc  \n",
            "a-very-long-hyphenated-word-that-goes-on-and-on and more words to wrap here",
            "ＣＪＫ全角の文字はニ列を取ります、そして折り返されるはずですよ。",
            "emoji 🎉🎉🎉🎉 and tabs\tin text and more text that keeps going on and on",
            "exactly-twenty-cols!",
            "exactly-twenty-cols!x",
            "--double--hyphens-- a-b -a b- x--y well-formed-words-that-wrap-here and-there",
            "averyveryveryveryverylongwordwithnospacesatallthatmustbebrokenapart ok",
            "   leading spaces then a line long enough to wrap past the width of the row",
            "trailing spaces at a break point                                       x",
            "short\nand a second line that is long enough to wrap past the width for sure",
        ];
        for width in [0, 1, 2, 5, 9, 10, 11, 20, 24, 30, 41, 98] {
            for (initial, subsequent) in [("  × ", "  │ "), ("  help: ", "        ")] {
                for text in texts {
                    let mut ours = String::new();
                    fill(text, initial, subsequent, width, &mut ours);
                    assert_eq!(
                        ours,
                        slow(text, initial, subsequent, width),
                        "{text:?} at {width}"
                    );
                }
            }
        }
    }

    /// A line wrapped before, to the same widths or others, wraps as textwrap wraps it: the
    /// memo answers only for the widths it was wrapped to.
    #[test]
    fn remembered_rows_are_for_their_widths() {
        let line = "a line of words long enough to wrap at every width tried here, twice over";
        for _ in 0..2 {
            for width in [12, 30, 12, 50, 30] {
                for (initial, subsequent) in [("  × ", "  │ "), ("  help: ", "        ")] {
                    let mut ours = String::new();
                    fill(line, initial, subsequent, width, &mut ours);
                    assert_eq!(ours, slow(line, initial, subsequent, width), "at {width}");
                }
            }
        }
    }

    /// Compares with textwrap on random lines of words, hyphens, runs of spaces and long
    /// words, at random widths.
    #[test]
    fn fill_is_textwraps_on_random_lines() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let pieces = [
            "a",
            "bc",
            "-",
            "--",
            " ",
            "  ",
            "x-y",
            "9",
            "long-hyphen-word",
            "zzzzzzzzzzzz",
            "(",
            ".",
        ];
        for _ in 0..20_000 {
            let len = next(30);
            let text: String = (0..len)
                .map(|_| pieces[next(pieces.len() as u64) as usize])
                .collect();
            let width = next(40) as usize;
            for (initial, subsequent) in [("  × ", "  │ "), ("  help: ", "        ")] {
                let mut ours = String::new();
                fill(&text, initial, subsequent, width, &mut ours);
                assert_eq!(
                    ours,
                    slow(&text, initial, subsequent, width),
                    "{text:?} at {width}"
                );
            }
        }
    }
}
